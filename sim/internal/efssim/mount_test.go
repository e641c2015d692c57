package efssim

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// fakeEC2 answers the EC2 operations EFS reads: one VPC with a subnet per zone, its default
// group, and instance i-a in us-east-1a at 10.0.1.4.
func fakeEC2(_ context.Context, op string, in any) (any, error) {
	switch op {
	case "DescribeSubnets":
		id := in.(*ec2.DescribeSubnetsInput).SubnetIds[0]
		zones := map[string]string{"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}
		z, ok := zones[id]
		if !ok {
			return nil, core.Errorf("InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
		}
		cidr := map[string]string{"subnet-a": "10.0.1.0/24", "subnet-b": "10.0.2.0/24"}[id]
		return &ec2.DescribeSubnetsOutput{Subnets: []ec2types.Subnet{{SubnetId: aws.String(id), VpcId: aws.String("vpc-1"),
			AvailabilityZone: aws.String(z), AvailabilityZoneId: aws.String("use1-az" + z[len(z)-1:]), CidrBlock: aws.String(cidr)}}}, nil
	case "DescribeSecurityGroups":
		return &ec2.DescribeSecurityGroupsOutput{SecurityGroups: []ec2types.SecurityGroup{{GroupId: aws.String("sg-default"), VpcId: aws.String("vpc-1")}}}, nil
	case "DescribeInstances":
		i := ec2types.Instance{InstanceId: aws.String("i-a"), PrivateIpAddress: aws.String("10.0.1.4"),
			Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a")}}
		if ids := in.(*ec2.DescribeInstancesInput).InstanceIds; len(ids) > 0 && ids[0] != "i-a" {
			return &ec2.DescribeInstancesOutput{}, nil
		}
		return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{Instances: []ec2types.Instance{i}}}}, nil
	case "DescribeAvailabilityZones":
		return &ec2.DescribeAvailabilityZonesOutput{}, nil
	}
	return nil, fmt.Errorf("fakeEC2: %s", op)
}

// fakeNetwork lets through flows to the addresses in open, and records what it was asked.
type fakeNetwork struct {
	open  map[netip.Addr]bool
	flows []world.Flow
}

func (n *fakeNetwork) Reach(f world.Flow) world.Verdict {
	n.flows = append(n.flows, f)
	if n.open[f.To.Address] {
		return world.Verdict{OK: true}
	}
	return world.Verdict{Component: "sg-default", Reason: "sg-default allows no inbound TCP 2049 from the instance."}
}

func TestCanMount(t *testing.T) {
	clock := core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	net := &fakeNetwork{open: map[netip.Addr]bool{}}
	s := NewStore("123456789012", clock, core.NewIDs(1), fakeEC2, net)
	h := NewEFS(s)
	ctx := core.WithRegion(context.Background(), "us-east-1")
	fs, err := h.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(fs.FileSystemId)
	mount := func(target string) world.Verdict {
		return s.CanMount(context.Background(), Mount{Region: "us-east-1", Instance: "i-a", Target: target})
	}
	if v := mount(id); v.OK || !strings.Contains(v.Reason, "no mount target in us-east-1a") {
		t.Errorf("without a mount target: %+v", v)
	}
	clock.Advance(30 * time.Second)
	mt, err := h.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &id, SubnetId: aws.String("subnet-a")})
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddr(aws.ToString(mt.IpAddress))
	if addr != netip.MustParseAddr("10.0.1.254") {
		t.Errorf("address %s, want the highest free one", addr)
	}
	if v := mount(id); v.OK || v.Component != aws.ToString(mt.MountTargetId) || !strings.Contains(v.Reason, "creating") {
		t.Errorf("while creating: %+v", v)
	}
	clock.Advance(90 * time.Second)
	if v := mount(id); v.OK || v.Component != "sg-default" {
		t.Errorf("blocked by the network: %+v", v)
	}
	last := net.flows[len(net.flows)-1]
	if last.Protocol != "tcp" || last.Port != 2049 || last.From.Instance != "i-a" || last.To.Subnet != aws.ToString(mt.SubnetId) || last.To.Address != addr {
		t.Errorf("asked the network %+v", last)
	}
	net.open[addr] = true
	for _, target := range []string{id, id + ".efs.us-east-1.amazonaws.com", addr.String(), id + ":/"} {
		if v := mount(target); !v.OK {
			t.Errorf("mount %s: %+v", target, v)
		}
	}
	for _, target := range []string{"fs-0000000000000000", id + ".efs.eu-west-1.amazonaws.com", "10.0.1.9", "not a target"} {
		if v := mount(target); v.OK || v.Reason == "" {
			t.Errorf("mount %s: %+v", target, v)
		}
	}
	if v := s.CanMount(context.Background(), Mount{Region: "us-east-1", Instance: "i-gone", Target: id}); v.OK || v.Component != "i-gone" {
		t.Errorf("unknown instance: %+v", v)
	}
	// A file system policy that refuses clients without TLS.
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*"},` +
		`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	if _, err := h.PutFileSystemPolicy(ctx, &efs.PutFileSystemPolicyInput{FileSystemId: &id, Policy: &doc}); err != nil {
		t.Fatal(err)
	}
	if v := mount(id); v.OK || v.Component != id || !strings.Contains(v.Reason, "access denied by server") {
		t.Errorf("without TLS: %+v", v)
	}
	if v := s.CanMount(context.Background(), Mount{Region: "us-east-1", Instance: "i-a", Target: id, TLS: true}); !v.OK {
		t.Errorf("with TLS: %+v", v)
	}
	doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"elasticfilesystem:ClientMount","Resource":"*"}]}`
	if _, err := h.PutFileSystemPolicy(ctx, &efs.PutFileSystemPolicyInput{FileSystemId: &id, Policy: &doc}); err != nil {
		t.Fatal(err)
	}
	if v := s.CanMount(context.Background(), Mount{Region: "us-east-1", Instance: "i-a", Target: id, TLS: true}); v.OK {
		t.Errorf("a policy for a role only let an anonymous client mount: %+v", v)
	}
	if _, err := h.DeleteFileSystemPolicy(ctx, &efs.DeleteFileSystemPolicyInput{FileSystemId: &id}); err != nil {
		t.Fatal(err)
	}
	if v := mount(id); !v.OK {
		t.Errorf("with the default policy again: %+v", v)
	}
	if ni, ok := s.NetworkInterface("us-east-1", aws.ToString(mt.NetworkInterfaceId)); !ok || ni.Address != addr || ni.SecurityGroups[0] != "sg-default" || !ni.Available {
		t.Errorf("interface %+v %v", ni, ok)
	}
	// Without a model of the network, no mount succeeds.
	s.network = nil
	if v := mount(id); v.OK {
		t.Errorf("mounted with no network: %+v", v)
	}
}

// The address chosen skips instances' and other mount targets', and the subnet's reserved ones.
func TestFreeAddress(t *testing.T) {
	p := netip.MustParsePrefix("10.0.0.0/28")
	used := map[netip.Addr]bool{netip.MustParseAddr("10.0.0.14"): true}
	if a := freeAddress(p, used); a != netip.MustParseAddr("10.0.0.13") {
		t.Errorf("got %s", a)
	}
	for i := 4; i <= 14; i++ {
		used[netip.AddrFrom4([4]byte{10, 0, 0, byte(i)})] = true
	}
	if a := freeAddress(p, used); a.IsValid() {
		t.Errorf("a full subnet gave %s", a)
	}
	for _, a := range []string{"10.0.0.0", "10.0.0.3", "10.0.0.15", "10.0.1.4"} {
		if usable(p, netip.MustParseAddr(a)) {
			t.Errorf("%s is usable", a)
		}
	}
}
