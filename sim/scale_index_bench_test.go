package sim_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// The benchmarks of lookups in a large account: IAM users, EC2 security groups and subnets,
// at 0, 1,000 and 10,000 of them beside the one a call is about. What a call costs should not
// grow with the resources it does not return; each runs beside its floor, as in
// scale_bench_test.go.
//
//	go test ./sim -run '^$' -bench 'IAM.*At/|EC2.*At/|RunTerminateAt|DescribeInstancesAt' -count 5

// fillUsers makes n users, each with an access key, on paths /fill/0000042/.
func fillUsers(b *testing.B, c *sim.Cloud, n int) {
	b.Helper()
	ctx := context.Background()
	root := iam.NewFromConfig(c.Config())
	for i := range n {
		name := fmt.Sprintf("user%07d", i)
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Path: aws.String(fmt.Sprintf("/fill/%07d/", i))}); err != nil {
			b.Fatal(err)
		}
		if _, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIAMGetUserAt gets alex, as alex, in an account of 0, 1,000 or 10,000 users more.
func BenchmarkIAMGetUserAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c, cfg := benchCloud(b)
			fillUsers(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				_, err := iam.NewFromConfig(cfg).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("alex")})
				return err
			})
		})
	}
}

// BenchmarkIAMCreateDeleteUserAt creates a user and deletes it, as alex, in an account of 0,
// 1,000 or 10,000 users more.
func BenchmarkIAMCreateDeleteUserAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c, cfg := benchCloud(b)
			fillUsers(b, c, n)
			ctx := context.Background()
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				client := iam.NewFromConfig(cfg)
				if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("brief")}); err != nil {
					return err
				}
				_, err := client.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("brief")})
				return err
			})
		})
	}
}

// BenchmarkIAMSignedCallAt asks STS who alex is, as alex: what authenticating a user's access
// key costs, in an account of 0, 1,000 or 10,000 users more, each with a key.
func BenchmarkIAMSignedCallAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c, cfg := benchCloud(b)
			fillUsers(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				_, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
				return err
			})
		})
	}
}

// BenchmarkIAMListUsersPathAt lists the one user under /team/, as alex, in an account of 0,
// 1,000 or 10,000 users more on other paths.
func BenchmarkIAMListUsersPathAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			if _, err := iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("sam"), Path: aws.String("/team/")}); err != nil {
				b.Fatal(err)
			}
			fillUsers(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				out, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/team/")})
				if err == nil && len(out.Users) != 1 {
					err = fmt.Errorf("%d users, want 1", len(out.Users))
				}
				return err
			})
		})
	}
}

// fillGroups makes n security groups in the default VPC.
func fillGroups(b *testing.B, c *sim.Cloud, n int) {
	b.Helper()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	for i := range n {
		name := fmt.Sprintf("fill-%07d", i)
		if _, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name)}); err != nil {
			b.Fatal(err)
		}
	}
}

// fillSubnets makes n subnets of 16 addresses in VPCs of their own, 4,096 to a VPC.
func fillSubnets(b *testing.B, c *sim.Cloud, n int) {
	b.Helper()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	var vpc string
	for i := range n {
		if i%4096 == 0 {
			out, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", 100+i/4096))})
			if err != nil {
				b.Fatal(err)
			}
			vpc = *out.Vpc.VpcId
		}
		block := fmt.Sprintf("10.%d.%d.%d/28", 100+i/4096, i%4096/16, i%16*16)
		if _, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(block)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEC2DescribeSecurityGroupsAt describes one security group by its ID, as alex, in a
// region of 0, 1,000 or 10,000 security groups more.
func BenchmarkEC2DescribeSecurityGroupsAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			out, err := ec2.NewFromConfig(c.Config()).CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
			if err != nil {
				b.Fatal(err)
			}
			fillGroups(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				got, err := ec2.NewFromConfig(cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{*out.GroupId}})
				if err == nil && len(got.SecurityGroups) != 1 {
					err = fmt.Errorf("%d security groups, want 1", len(got.SecurityGroups))
				}
				return err
			})
		})
	}
}

// BenchmarkEC2DescribeSubnetsAt describes the one subnet of a VPC by a vpc-id filter, as alex,
// in a region of 0, 1,000 or 10,000 subnets more in other VPCs.
func BenchmarkEC2DescribeSubnetsAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			vpc := benchNetwork(b, c)
			fillSubnets(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				got, err := ec2.NewFromConfig(cfg).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{
					Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc.vpc}}}})
				if err == nil && len(got.Subnets) != 1 {
					err = fmt.Errorf("%d subnets, want 1", len(got.Subnets))
				}
				return err
			})
		})
	}
}

// launchNet is a VPC with one subnet, a security group and a key pair to launch into.
type launchNet struct{ vpc, subnet, group, key string }

func benchNetwork(b *testing.B, c *sim.Cloud) launchNet {
	b.Helper()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	v, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		b.Fatal(err)
	}
	sn, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24")})
	if err != nil {
		b.Fatal(err)
	}
	g, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: v.Vpc.VpcId, GroupName: aws.String("web"), Description: aws.String("web")})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	return launchNet{*v.Vpc.VpcId, *sn.Subnet.SubnetId, *g.GroupId, "bench"}
}

// BenchmarkEC2RunTerminateNetAt launches one instance into a subnet with a security group and a
// key pair, and terminates it, as alex, in a region of 0, 1,000 or 10,000 subnets and as many
// security groups more: RunInstances' own lookups.
func BenchmarkEC2RunTerminateNetAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			net := benchNetwork(b, c)
			fillSubnets(b, c, n)
			fillGroups(b, c, n)
			benchCalls(b, cfg, 0, func(cfg aws.Config) error {
				client := ec2.NewFromConfig(cfg)
				out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
					InstanceType: "t2.micro", SubnetId: aws.String(net.subnet), SecurityGroupIds: []string{net.group}, KeyName: aws.String(net.key)})
				if err != nil {
					return err
				}
				_, err = client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*out.Instances[0].InstanceId}})
				return err
			})
		})
	}
}

// BenchmarkEC2DescribeInstancesFilterAt describes the one instance of a VPC by a vpc-id filter,
// and the one instance tagged role=db by its tag, as alex, in a region of 0, 1,000 or 10,000
// instances more.
func BenchmarkEC2DescribeInstancesFilterAt(b *testing.B) {
	for _, n := range accountSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			c, cfg := benchCloud(b)
			net := benchNetwork(b, c)
			if _, err := ec2.NewFromConfig(c.Config()).RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				InstanceType: "t2.micro", SubnetId: aws.String(net.subnet), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
					Tags: []ec2types.Tag{{Key: aws.String("role"), Value: aws.String("db")}}}}}); err != nil {
				b.Fatal(err)
			}
			fillInstances(b, c, n)
			for _, f := range []struct{ name, filter, value string }{{"ByVPC", "vpc-id", net.vpc}, {"ByTag", "tag:role", "db"}} {
				b.Run(f.name, func(b *testing.B) {
					benchCalls(b, cfg, 0, func(cfg aws.Config) error {
						out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{
							Filters: []ec2types.Filter{{Name: aws.String(f.filter), Values: []string{f.value}}}})
						if err == nil && len(out.Reservations) != 1 {
							err = fmt.Errorf("%d reservations, want 1", len(out.Reservations))
						}
						return err
					})
				})
			}
		})
	}
}
