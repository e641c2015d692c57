package sim_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Many goroutines write IAM at once, and read and sign with what they made, on one Cloud.
// Run with -race.
func TestConcurrentIAMWrites(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		if _, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{
			GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"),
		}); err != nil {
			t.Fatal(err)
		}
		const workers, each = 16, 8
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					name := fmt.Sprintf("user-%d-%d", w, i)
					if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
						errs <- err
						return
					}
					if _, err := root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String(name)}); err != nil {
						errs <- err
						return
					}
					key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
					if err != nil {
						errs <- err
						return
					}
					cfg := c.Config(conformance.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, ""))
					if _, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
						errs <- fmt.Errorf("%s: %w", name, err)
						return
					}
					if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		users, err := root.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
		if err != nil {
			t.Fatal(err)
		}
		group, err := root.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admin"), MaxItems: aws.Int32(1000)})
		if err != nil {
			t.Fatal(err)
		}
		if len(users.Users) != workers*each || len(group.Users) != workers*each {
			t.Errorf("%d users, %d in admin; want %d", len(users.Users), len(group.Users), workers*each)
		}
		seen := map[string]bool{}
		for _, u := range users.Users {
			if seen[*u.UserId] {
				t.Errorf("duplicate user ID %s", *u.UserId)
			}
			seen[*u.UserId] = true
		}
	})
}

// Many goroutines launch, stop and terminate instances and authorize rules on one Cloud, in
// two regions; no address or ID is handed out twice. Run with -race.
func TestEC2Concurrent(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		clients := []*ec2.Client{ec2Client(t, c), ec2Client(t, c, conformance.WithRegion("eu-west-1"))}
		groups := make([]string, len(clients))
		for k, client := range clients {
			groups[k] = *must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		}
		images := []string{"ami-fce3c696", imageID(t, clients[1], "debian-12-*")}
		const workers, each = 12, 6
		var wg sync.WaitGroup
		errs := make(chan error, workers*each*4)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client, group, image := clients[w%2], groups[w%2], images[w%2]
				for i := range each {
					out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), SecurityGroupIds: []string{group}})
					if err != nil {
						errs <- err
						return
					}
					id := *out.Instances[0].InstanceId
					port := int32(1000 + w*each + i)
					if _, err := client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(group),
						IpPermissions: []ec2types.IpPermission{tcp(port, port, "10.0.0.0/8")}}); err != nil {
						errs <- err
					}
					if _, err := client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
						errs <- err
					}
					if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); err != nil {
						errs <- err
					}
					if _, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		ids, addrs := map[string]bool{}, map[string]bool{}
		for k, client := range clients {
			states := map[ec2types.InstanceStateName]int{}
			for p := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)}); p.HasMorePages(); {
				for _, r := range must(p.NextPage(ctx))(t).Reservations {
					for _, i := range r.Instances {
						states[i.State.Name]++
						if ids[*i.InstanceId] {
							t.Errorf("instance ID %s twice", *i.InstanceId)
						}
						ids[*i.InstanceId] = true
						if i.PrivateIpAddress != nil {
							a := fmt.Sprint(k, *i.PrivateIpAddress)
							if addrs[a] {
								t.Errorf("address %s twice", a)
							}
							addrs[a] = true
						}
					}
				}
			}
			half := workers / 2 * each
			if states["running"] != half || states["terminated"] != half {
				t.Errorf("region %d: %v, want %d running and %d terminated", k, states, half, half)
			}
			g := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{groups[k]}}))(t).SecurityGroups[0]
			if len(g.IpPermissions) != workers/2*each {
				t.Errorf("region %d: %d rules, want %d", k, len(g.IpPermissions), workers/2*each)
			}
		}
	})
}
