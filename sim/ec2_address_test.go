package sim_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func allocate(t *testing.T, client *ec2.Client, specs ...types.TagSpecification) *ec2.AllocateAddressOutput {
	t.Helper()
	return must(client.AllocateAddress(context.Background(), &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: specs}))(t)
}

// addressNow describes one address as it is now.
func addressNow(t *testing.T, client *ec2.Client, allocation string) types.Address {
	t.Helper()
	out := must(client.DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{AllocationIds: []string{allocation}}))(t).Addresses
	if len(out) != 1 {
		t.Fatalf("DescribeAddresses %s = %+v", allocation, out)
	}
	return out[0]
}

// Allocating, describing and releasing addresses; the quota of five a region.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html
func TestEC2AllocateAddress(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		c.Diverges(t, conformance.Moto, "moto allocates from 127.0.0.0/8 with no network border group or pool, and has no limit of five a region")
		a := allocate(t, client, nameTag(types.ResourceTypeElasticIp, "web")...)
		if !strings.HasPrefix(*a.AllocationId, "eipalloc-") || len(*a.AllocationId) != len("eipalloc-")+17 || a.Domain != types.DomainTypeVpc ||
			!strings.HasPrefix(*a.PublicIp, "3.") || *a.NetworkBorderGroup != "us-east-1" || *a.PublicIpv4Pool != "amazon" {
			t.Errorf("AllocateAddress = %+v", a)
		}
		got := addressNow(t, client, *a.AllocationId)
		if *got.PublicIp != *a.PublicIp || got.AssociationId != nil || got.InstanceId != nil || len(got.Tags) != 1 || *got.Tags[0].Value != "web" {
			t.Errorf("described = %s", must(jsonOf(got))(t))
		}
		byIP := must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{*a.PublicIp}}))(t).Addresses
		if len(byIP) != 1 || *byIP[0].AllocationId != *a.AllocationId {
			t.Errorf("by public IP = %+v", byIP)
		}
		for k := 1; k < 5; k++ {
			allocate(t, client)
		}
		_, err := client.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
		wantCode(t, err, "AddressLimitExceeded")
		if eu := allocate(t, ec2Client(t, c, conformance.WithRegion("eu-west-1"))); *eu.NetworkBorderGroup != "eu-west-1" {
			t.Errorf("eu-west-1's address = %+v", eu)
		}

		for _, tc := range []struct {
			name string
			in   ec2.DescribeAddressesInput
			want int
			code string
		}{
			{"all", ec2.DescribeAddressesInput{}, 5, ""},
			{"tag", ec2.DescribeAddressesInput{Filters: []types.Filter{filter("tag:Name", "web")}}, 1, ""},
			{"domain", ec2.DescribeAddressesInput{Filters: []types.Filter{filter("domain", "vpc")}}, 5, ""},
			{"public-ip", ec2.DescribeAddressesInput{Filters: []types.Filter{filter("public-ip", *a.PublicIp)}}, 1, ""},
			{"unknown filter", ec2.DescribeAddressesInput{Filters: []types.Filter{filter("colour", "red")}}, 0, "InvalidParameterValue"},
			{"no such allocation", ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-0123456789abcdef0"}}, 0, "InvalidAllocationID.NotFound"},
			{"malformed allocation", ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-x"}}, 0, "InvalidAllocationID.Malformed"},
			{"no such address", ec2.DescribeAddressesInput{PublicIps: []string{"198.51.100.1"}}, 0, "InvalidAddress.NotFound"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, err := client.DescribeAddresses(ctx, &tc.in)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(out.Addresses) != tc.want {
					t.Errorf("%d addresses, want %d", len(out.Addresses), tc.want)
				}
			})
		}

		must(client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}))(t)
		_, err = client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId})
		wantCode(t, err, "InvalidAllocationID.NotFound")
		_, err = client.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeStandard})
		wantCode(t, err, "InvalidParameterValue")
		allocate(t, client) // a released address frees its place in the quota
	})
}

// An Elastic IP replaces an instance's public address while associated, stays through a stop
// and start (when EC2's own address changes), and moves only when allowed.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html
func TestEC2AssociateAddress(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		is := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, MinCount: aws.Int32(2), MaxCount: aws.Int32(2)})
		web, other := is[0], is[1]
		eip := allocate(t, client)

		// Stop and start: EC2's own public address changes.
		first := *describeInstance(t, client, *web.InstanceId).PublicIpAddress
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*web.InstanceId}}))(t)
		if stoppedIP := describeInstance(t, client, *web.InstanceId).PublicIpAddress; stoppedIP != nil {
			t.Errorf("a stopped instance has public address %s", *stoppedIP)
		}
		must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*web.InstanceId}}))(t)
		second := *describeInstance(t, client, *web.InstanceId).PublicIpAddress
		if second == first {
			t.Errorf("the public address %s stayed through a stop and start", first)
		}

		assoc := must(client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: web.InstanceId}))(t).AssociationId
		if !strings.HasPrefix(*assoc, "eipassoc-") {
			t.Errorf("association = %s", *assoc)
		}
		i := describeInstance(t, client, *web.InstanceId)
		if *i.PublicIpAddress != *eip.PublicIp || *i.NetworkInterfaces[0].Association.IpOwnerId != sim.DefaultAccount ||
			*i.NetworkInterfaces[0].Association.PublicIp != *eip.PublicIp {
			t.Errorf("associated instance: %s, %+v", *i.PublicIpAddress, i.NetworkInterfaces[0].Association)
		}
		a := addressNow(t, client, *eip.AllocationId)
		if *a.InstanceId != *web.InstanceId || *a.AssociationId != *assoc || *a.PrivateIpAddress != *web.PrivateIpAddress ||
			*a.NetworkInterfaceId != *web.NetworkInterfaces[0].NetworkInterfaceId || *a.NetworkInterfaceOwnerId != sim.DefaultAccount {
			t.Errorf("associated address = %s", must(jsonOf(a))(t))
		}
		for name, f := range map[string]types.Filter{
			"instance-id": filter("instance-id", *web.InstanceId), "association-id": filter("association-id", *assoc),
			"private-ip-address": filter("private-ip-address", *web.PrivateIpAddress),
		} {
			if n := len(must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{f}}))(t).Addresses); n != 1 {
				t.Errorf("%s: %d addresses", name, n)
			}
		}
		if n := len(must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("ip-address", *eip.PublicIp)}}))(t).Reservations); n != 1 {
			t.Errorf("DescribeInstances ip-address finds %d reservations", n)
		}

		c.Diverges(t, conformance.Moto, "moto shows no public address on a stopped instance with an Elastic IP, checks AlreadyAssociated before the request's form, "+
			"takes any private address, and releases an associated address")

		// The Elastic IP stays through a stop and start.
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*web.InstanceId}}))(t)
		if ip := describeInstance(t, client, *web.InstanceId).PublicIpAddress; ip == nil || *ip != *eip.PublicIp {
			t.Errorf("stopped, the instance's public address is %v", ip)
		}
		must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*web.InstanceId}}))(t)
		if ip := *describeInstance(t, client, *web.InstanceId).PublicIpAddress; ip != *eip.PublicIp {
			t.Errorf("started again, the instance's public address is %s", ip)
		}

		// Errors.
		for _, tc := range []struct {
			name string
			in   ec2.AssociateAddressInput
			code string
		}{
			{"elsewhere, not allowed", ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: other.InstanceId}, "Resource.AlreadyAssociated"},
			{"by public IP", ec2.AssociateAddressInput{PublicIp: eip.PublicIp, InstanceId: other.InstanceId}, "InvalidParameterCombination"},
			{"both targets", ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: other.InstanceId, NetworkInterfaceId: other.NetworkInterfaces[0].NetworkInterfaceId}, "InvalidParameterCombination"},
			{"no target", ec2.AssociateAddressInput{AllocationId: eip.AllocationId}, "MissingParameter"},
			{"no such instance", ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: aws.String("i-0123456789abcdef0")}, "InvalidInstanceID.NotFound"},
			{"no such interface", ec2.AssociateAddressInput{AllocationId: eip.AllocationId, NetworkInterfaceId: aws.String("eni-0123456789abcdef0")}, "InvalidNetworkInterfaceID.NotFound"},
			{"no such address", ec2.AssociateAddressInput{AllocationId: aws.String("eipalloc-0123456789abcdef0"), InstanceId: other.InstanceId}, "InvalidAllocationID.NotFound"},
			{"another private address", ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: other.InstanceId, PrivateIpAddress: aws.String("172.31.99.99"), AllowReassociation: aws.Bool(true)}, "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.AssociateAddress(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		_, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip.AllocationId})
		wantCode(t, err, "InvalidIPAddress.InUse")

		// Moved with AllowReassociation, to the other's interface: the first gets a new address of
		// EC2's, the old association is gone.
		moved := must(client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip.AllocationId,
			NetworkInterfaceId: other.NetworkInterfaces[0].NetworkInterfaceId, AllowReassociation: aws.Bool(true)}))(t).AssociationId
		if *moved == *assoc {
			t.Error("a reassociation kept its association ID")
		}
		if ip := *describeInstance(t, client, *web.InstanceId).PublicIpAddress; ip == *eip.PublicIp || !strings.HasPrefix(ip, "3.") {
			t.Errorf("after the move, the first instance's public address is %s", ip)
		}
		if ip := *describeInstance(t, client, *other.InstanceId).PublicIpAddress; ip != *eip.PublicIp {
			t.Errorf("after the move, the second instance's public address is %s", ip)
		}
		_, err = client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: assoc})
		wantCode(t, err, "InvalidAssociationID.NotFound")

		// A second address for the same interface replaces the first.
		eip2 := allocate(t, client)
		must(client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip2.AllocationId, InstanceId: other.InstanceId}))(t)
		if a := addressNow(t, client, *eip.AllocationId); a.AssociationId != nil {
			t.Errorf("the replaced address is still associated: %+v", a)
		}

		// Disassociated: the instance gets an address of EC2's again.
		must(client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: must(client.DescribeAddresses(ctx,
			&ec2.DescribeAddressesInput{AllocationIds: []string{*eip2.AllocationId}}))(t).Addresses[0].AssociationId}))(t)
		if ip := describeInstance(t, client, *other.InstanceId).PublicIpAddress; ip == nil || *ip == *eip2.PublicIp {
			t.Errorf("disassociated, the instance's public address is %v", ip)
		}
		_, err = client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{PublicIp: eip2.PublicIp})
		wantCode(t, err, "InvalidParameterCombination")

		// Terminating an instance lets its address go, still the account's.
		must(client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip2.AllocationId, InstanceId: web.InstanceId}))(t)
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*web.InstanceId}}))(t)
		if a := addressNow(t, client, *eip2.AllocationId); a.AssociationId != nil || a.InstanceId != nil {
			t.Errorf("after terminate, the address = %+v", a)
		}
		must(client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip2.AllocationId}))(t)

		// An instance in a VPC without an internet gateway takes no public address.
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		sn := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24")}))(t).Subnet.SubnetId
		private := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SubnetId: sn})[0]
		_, err = client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip2.AllocationId, InstanceId: private.InstanceId})
		wantCode(t, err, "InvalidAllocationID.NotFound")
		_, err = client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: allocate(t, client).AllocationId, InstanceId: private.InstanceId})
		wantCode(t, err, "Gateway.NotAttached")
	})
}

// The address's ARN and keys: AllocateAddress with aws:RequestTag; Associate- and
// ReleaseAddress on elastic-ip/eipalloc-… with ec2:ResourceTag.
func TestEC2AddressConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := ec2Client(t, c)
		user := policyClient(t, c, "netadmin", `
			{"Effect":"Allow","Action":"ec2:AllocateAddress","Resource":"arn:aws:ec2:*:*:elastic-ip/*","Condition":{"StringEquals":{"aws:RequestTag/team":"web"}}},
			{"Effect":"Allow","Action":["ec2:AssociateAddress","ec2:ReleaseAddress"],"Resource":"arn:aws:ec2:*:*:elastic-ip/*","Condition":{"StringEquals":{"ec2:ResourceTag/team":"web"}}},
			{"Effect":"Allow","Action":"ec2:AssociateAddress","Resource":"arn:aws:ec2:*:*:instance/*"},
			{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"ec2:CreateAction":"AllocateAddress"}}}`)
		_, err := user.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
		wantCode(t, err, "UnauthorizedOperation")
		mine := must(user.AllocateAddress(ctx, &ec2.AllocateAddressInput{TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeElasticIp, "team", "web")}}))(t)
		theirs := allocate(t, root)
		i := run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
		_, err = user.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: theirs.AllocationId, InstanceId: i.InstanceId})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(apiMessage(t, err), "elastic-ip/"+*theirs.AllocationId) {
			t.Errorf("refusal = %s", apiMessage(t, err))
		}
		must(user.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: mine.AllocationId, InstanceId: i.InstanceId}))(t)
		_, err = user.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: theirs.AllocationId})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// Many goroutines allocating, associating, moving and releasing addresses at once.
func TestEC2AddressesRace(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	is := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro,
		MinCount: aws.Int32(4), MaxCount: aws.Int32(4)}))(t).Instances
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 10 {
				a, err := client.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
				if err != nil {
					if apiCodeOf(err) != "AddressLimitExceeded" {
						t.Error(err)
					}
					continue
				}
				i := is[(g+k)%len(is)]
				if _, err := client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, InstanceId: i.InstanceId, AllowReassociation: aws.Bool(true)}); err != nil {
					t.Error(err)
				}
				if _, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
					t.Error(err)
				}
				out, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{*a.AllocationId}})
				if err != nil {
					t.Error(err)
					continue
				}
				if as := out.Addresses[0].AssociationId; as != nil {
					if _, err := client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: as}); err != nil && apiCodeOf(err) != "InvalidAssociationID.NotFound" {
						t.Error(err)
					}
				}
				if _, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}); err != nil && apiCodeOf(err) != "InvalidIPAddress.InUse" {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, r := range must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations {
		for _, i := range r.Instances {
			if i.PublicIpAddress == nil || seen[*i.PublicIpAddress] {
				t.Errorf("instance %s has public address %v", *i.InstanceId, i.PublicIpAddress)
				continue
			}
			seen[*i.PublicIpAddress] = true
		}
	}
}

// Addresses and their associations survive Close and Open.
func TestEC2AddressesPersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	i := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t).Instances[0]
	a := must(client.AllocateAddress(ctx, &ec2.AllocateAddressInput{TagSpecifications: nameTag(types.ResourceTypeElasticIp, "web")}))(t)
	must(client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, InstanceId: i.InstanceId}))(t)
	before := must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	after := must(client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses
	if x, y := must(jsonOf(after))(t), must(jsonOf(before))(t); x != y {
		t.Errorf("addresses after Open:\n%s\nbefore:\n%s", x, y)
	}
	if ip := *describeInstance(t, client, *i.InstanceId).PublicIpAddress; ip != *a.PublicIp {
		t.Errorf("after Open, the instance's public address is %s, not its Elastic IP %s", ip, *a.PublicIp)
	}
}

// apiCodeOf returns the AWS error code of err, or "" when it is not an API error: for
// goroutines, which may not call t.Fatal.
func apiCodeOf(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
