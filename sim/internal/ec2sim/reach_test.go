package ec2sim

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// FuzzReach gives the default subnet's network ACL any rule and asks the evaluator about any
// flow between an instance of the default VPC and any address: it must never panic, a flow
// that gets through names no component, and one that does not says why. The seed corpus is
// in testdata/fuzz/FuzzReach.
func FuzzReach(f *testing.F) {
	f.Add(int32(90), false, "tcp", false, "203.0.113.0/24", int32(22), int32(22), "tcp", 22, "203.0.113.10", true)
	f.Add(int32(110), true, "-1", true, "0.0.0.0/0", int32(0), int32(0), "udp", 53, "8.8.8.8", false)
	f.Add(int32(1), true, "icmp", false, "10.0.0.0/8", int32(-1), int32(-1), "icmp", 0, "172.31.0.1", true)
	f.Add(int32(32766), false, "6", true, "0.0.0.0/0", int32(1024), int32(65535), "TCP", 70000, "::1", true)
	f.Fuzz(func(t *testing.T, number int32, egress bool, proto string, allow bool, cidr string, from, to int32,
		flowProto string, port int, addr string, inbound bool) {
		ctx := core.WithRegion(context.Background(), "us-east-1")
		s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) }), core.NewIDs(1), nil)
		h := New(s)
		out, err := h.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		if err != nil {
			t.Fatal(err)
		}
		acls, err := h.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{})
		if err != nil {
			t.Fatal(err)
		}
		action := types.RuleActionDeny
		if allow {
			action = types.RuleActionAllow
		}
		// Any rule: what the operation refuses changes nothing.
		_, _ = h.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: acls.NetworkAcls[0].NetworkAclId, RuleNumber: aws.Int32(number),
			Egress: aws.Bool(egress), Protocol: aws.String(proto), RuleAction: action, CidrBlock: aws.String(cidr),
			PortRange: &types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}, IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(from), Code: aws.Int32(to)}})
		a, _ := netip.ParseAddr(addr)
		inst := world.Endpoint{Region: "us-east-1", Instance: *out.Instances[0].InstanceId}
		other := world.Endpoint{Region: "us-east-1", Address: a}
		fl := world.Flow{From: inst, To: other, Protocol: flowProto, Port: port}
		if inbound {
			fl.From, fl.To = other, inst
		}
		v := s.Reach(fl)
		if v.OK && v.Component != "" || !v.OK && v.Reason == "" {
			t.Fatalf("Reach(%+v) = %+v", fl, v)
		}
	})
}

// A state saved before network ACL rules were records has default ACLs without rules:
// loading it gives them the rules 100 that allow everything.
func TestLoadOldStateGivesDefaultACLRules(t *testing.T) {
	ctx := core.WithRegion(context.Background(), "us-east-1")
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) }), core.NewIDs(1), nil)
	before, err := New(s).DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var saved map[string]map[string]any
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	for _, a := range saved["us-east-1"]["ACLs"].(map[string]any) { // as ACLs were before
		delete(a.(map[string]any), "Entries")
		delete(a.(map[string]any), "Stored")
		delete(a.(map[string]any), "Custom")
	}
	if b, err = json.Marshal(saved); err != nil {
		t.Fatal(err)
	}
	if err := s.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	after, err := New(s).DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := json.Marshal(after.NetworkAcls)
	y, _ := json.Marshal(before.NetworkAcls)
	if string(x) != string(y) || len(after.NetworkAcls[0].Entries) != 4 {
		t.Errorf("after loading an old state:\n%s\nbefore:\n%s", x, y)
	}
}

// BenchmarkReach is one question to the evaluator: SSH from the internet to an instance of
// the default VPC, through its security group (opened), ACL and route table.
func BenchmarkReach(b *testing.B) {
	ctx := core.WithRegion(context.Background(), "us-east-1")
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) }), core.NewIDs(1), nil)
	h := New(s)
	out, err := h.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		b.Fatal(err)
	}
	i := out.Instances[0]
	if _, err := h.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: i.SecurityGroups[0].GroupId,
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("0.0.0.0/0")}); err != nil {
		b.Fatal(err)
	}
	fl := world.Flow{From: world.Endpoint{Internet: true}, To: world.Endpoint{Region: "us-east-1", Instance: *i.InstanceId}, Protocol: "tcp", Port: 22}
	for b.Loop() {
		if v := s.Reach(fl); !v.OK {
			b.Fatal(v)
		}
	}
}
