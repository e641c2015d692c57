package sim_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
)

// network is the course's two-tier VPC: a public subnet with a web server, a private one
// with a database server, a NAT gateway in the public subnet for the private one's way out.
type network struct {
	c                    *sim.Cloud
	client               *ec2.Client
	vpc, public, private string
	publicRT, privateRT  string
	igw, nat, eip        string
	webSG, dbSG          string
	web, db              types.Instance
	publicACL            string // the public subnet's association with the default ACL
	webAddr, natIP       netip.Addr
	other                string // an instance of another VPC, when a case makes one
	eni                  string // a network interface attached to web, when a case makes one
}

func newNetwork(t *testing.T) *network {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	n := &network{c: sim.New(sim.WithClock(func() time.Time { return now }))}
	n.client = ec2.NewFromConfig(n.c.Config())
	client := n.client
	var subnets []string
	n.vpc, subnets = newVPC(t, client, "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24")
	n.public, n.private = subnets[0], subnets[1]
	n.igw = attachGateway(t, client, n.vpc)
	n.publicRT = *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(n.vpc)}))(t).RouteTable.RouteTableId
	must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(n.publicRT), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(n.igw)}))(t)
	must(client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(n.publicRT), SubnetId: aws.String(n.public)}))(t)
	must(client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(n.public), MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)

	n.eip = *allocate(t, client).AllocationId
	n.nat = *must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(n.public), AllocationId: aws.String(n.eip)}))(t).NatGateway.NatGatewayId
	n.c.Advance(time.Minute)
	n.natIP = netip.MustParseAddr(*addressNow(t, client, n.eip).PublicIp)
	n.privateRT = *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(n.vpc)}))(t).RouteTable.RouteTableId
	must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(n.privateRT), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(n.nat)}))(t)
	must(client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(n.privateRT), SubnetId: aws.String(n.private)}))(t)

	n.webSG = *must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: aws.String(n.vpc)}))(t).GroupId
	n.dbSG = *must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db"), VpcId: aws.String(n.vpc)}))(t).GroupId
	must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(n.webSG), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []types.IpRange{{CidrIp: aws.String("203.0.113.10/32")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
	}}))(t)
	must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(n.dbSG), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(n.webSG)}}},
	}}))(t)
	launch := func(subnet, group string) types.Instance {
		return run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro,
			SubnetId: aws.String(subnet), SecurityGroupIds: []string{group}})[0]
	}
	n.web, n.db = launch(n.public, n.webSG), launch(n.private, n.dbSG)
	n.webAddr = netip.MustParseAddr(*describeInstance(t, client, *n.web.InstanceId).PublicIpAddress)
	acl := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("vpc-id", n.vpc)}}))(t).NetworkAcls[0]
	for _, a := range acl.Associations {
		if *a.SubnetId == n.public {
			n.publicACL = *a.NetworkAclAssociationId
		}
	}
	return n
}

// customACL gives the public subnet a new network ACL with the rules given.
func (n *network) customACL(t *testing.T, rules ...*ec2.CreateNetworkAclEntryInput) string {
	t.Helper()
	ctx := context.Background()
	acl := *must(n.client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(n.vpc)}))(t).NetworkAcl.NetworkAclId
	for _, r := range rules {
		r.NetworkAclId = aws.String(acl)
		must(n.client.CreateNetworkAclEntry(ctx, r))(t)
	}
	must(n.client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(n.publicACL), NetworkAclId: aws.String(acl)}))(t)
	return acl
}

func TestReach(t *testing.T) {
	ctx := context.Background()
	internet := sim.Endpoint{Internet: true}
	for _, tc := range []struct {
		name      string
		change    func(t *testing.T, n *network) // before the flow
		from, to  func(n *network) sim.Endpoint
		proto     string
		port      int
		component func(n *network) string // "" when the flow gets through
		reason    string                  // a part of the verdict's reason
	}{
		{name: "ssh from the learner", from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22, reason: "reaches instance"},
		{name: "web from anywhere", from: func(*network) sim.Endpoint {
			return sim.Endpoint{Internet: true, Address: netip.MustParseAddr("198.51.100.7")}
		},
			to: web, proto: "tcp", port: 80, reason: "from 198.51.100.7"},
		{name: "security group missing the port", from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 3389,
			component: func(n *network) string { return n.webSG }, reason: "allows no inbound tcp/3389 from 203.0.113.10/32"},
		{name: "ssh from another address", change: func(t *testing.T, n *network) { n.c.SetInternetAddress(netip.MustParseAddr("198.51.100.7")) },
			from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22,
			component: func(n *network) string { return n.webSG }, reason: "from 198.51.100.7/32"},
		{name: "ACL deny rule before an allow", change: func(t *testing.T, n *network) {
			n.customACL(t, aclEntry("", 90, false, "tcp", false, "203.0.113.0/24", 22, 22), aclEntry("", 100, false, "-1", true, "0.0.0.0/0", 0, 0),
				aclEntry("", 100, true, "-1", true, "0.0.0.0/0", 0, 0))
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22, component: aclOfPublic, reason: "denies inbound tcp/22 from 203.0.113.10 by rule 90"},
		{name: "ACL without the ephemeral ports out", change: func(t *testing.T, n *network) {
			n.customACL(t, aclEntry("", 100, false, "tcp", true, "0.0.0.0/0", 22, 22), aclEntry("", 100, true, "tcp", true, "0.0.0.0/0", 22, 22))
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22, component: aclOfPublic,
			reason: "denies the replies: outbound tcp to 203.0.113.10 on the ephemeral ports 1024-65535 (port 1024 by its final rule (*)"},
		{name: "ACL with only part of the ephemeral ports", change: func(t *testing.T, n *network) {
			n.customACL(t, aclEntry("", 100, false, "tcp", true, "0.0.0.0/0", 22, 22), aclEntry("", 100, true, "tcp", true, "0.0.0.0/0", 32768, 65535))
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22, component: aclOfPublic, reason: "port 1024 by its final rule"},
		{name: "ACL with the ephemeral ports", change: func(t *testing.T, n *network) {
			n.customACL(t, aclEntry("", 100, false, "tcp", true, "0.0.0.0/0", 22, 22), aclEntry("", 100, true, "tcp", true, "0.0.0.0/0", 1024, 65535))
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22, reason: "reaches"},
		{name: "no route to the internet gateway", change: func(t *testing.T, n *network) {
			must(n.client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(n.publicRT), DestinationCidrBlock: aws.String("0.0.0.0/0")}))(t)
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22,
			component: func(n *network) string { return n.publicRT }, reason: "has no route to 203.0.113.10 through internet gateway"},
		{name: "no public address", from: func(*network) sim.Endpoint { return internet }, to: db, proto: "tcp", port: 5432,
			component: func(n *network) string { return *n.db.InstanceId }, reason: "has no public IPv4 address or Elastic IP"},
		{name: "a private address from the internet", from: func(*network) sim.Endpoint { return internet },
			to: func(n *network) sim.Endpoint {
				return sim.Endpoint{Instance: *n.web.InstanceId, Address: netip.MustParseAddr(*n.web.PrivateIpAddress)}
			}, proto: "tcp", port: 80, component: func(n *network) string { return *n.web.InstanceId }, reason: "is the private address of"},
		{name: "an Elastic IP in a private subnet", change: func(t *testing.T, n *network) {
			a := *allocate(t, n.client).AllocationId
			must(n.client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: aws.String(a), InstanceId: n.db.InstanceId}))(t)
			must(n.client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(n.dbSG), IpProtocol: aws.String("tcp"),
				FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), CidrIp: aws.String("0.0.0.0/0")}))(t)
		}, from: func(*network) sim.Endpoint { return internet }, to: db, proto: "tcp", port: 5432,
			component: func(n *network) string { return n.privateRT }, reason: "the replies cannot leave"},
		{name: "private subnet out through the NAT gateway", from: db, to: func(*network) sim.Endpoint { return internet }, proto: "tcp", port: 443, reason: "from "},
		{name: "NAT gateway not yet available", change: func(t *testing.T, n *network) {
			nat := *must(n.client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(n.public), ConnectivityType: types.ConnectivityTypePrivate}))(t).NatGateway.NatGatewayId
			must(n.client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(n.privateRT), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat)}))(t)
		}, from: db, to: func(*network) sim.Endpoint { return internet }, proto: "tcp", port: 443,
			component: func(n *network) string { return natIn(n) }, reason: "is pending, not available"},
		{name: "NAT gateway deleted", change: func(t *testing.T, n *network) {
			must(n.client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(n.nat)}))(t)
		}, from: db, to: func(*network) sim.Endpoint { return internet }, proto: "tcp", port: 443,
			component: func(n *network) string { return n.nat }, reason: "is deleting"},
		{name: "private subnet without a route out", change: func(t *testing.T, n *network) {
			must(n.client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(n.privateRT), DestinationCidrBlock: aws.String("0.0.0.0/0")}))(t)
		}, from: db, to: func(*network) sim.Endpoint { return internet }, proto: "tcp", port: 443,
			component: func(n *network) string { return n.privateRT }, reason: "has no route to 203.0.113.10"},
		{name: "NAT gateway's subnet ACL without the replies", change: func(t *testing.T, n *network) {
			n.customACL(t, aclEntry("", 100, false, "-1", true, "10.0.0.0/16", 0, 0), aclEntry("", 100, true, "-1", true, "0.0.0.0/0", 0, 0))
		}, from: db, to: func(*network) sim.Endpoint { return internet }, proto: "tcp", port: 443, component: aclOfPublic,
			reason: "denies the replies: inbound tcp from 203.0.113.10 on the ephemeral ports"},
		{name: "instance stopped", change: func(t *testing.T, n *network) {
			must(n.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*n.web.InstanceId}}))(t)
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "tcp", port: 22,
			component: func(n *network) string { return *n.web.InstanceId }, reason: "is stopped"},
		{name: "web to db by security group", from: web, to: db, proto: "tcp", port: 5432, reason: "reaches instance"},
		{name: "web to db on another port", from: web, to: db, proto: "tcp", port: 22,
			component: func(n *network) string { return n.dbSG }, reason: "allows no inbound tcp/22 from 10.0.0."},
		{name: "db to web's public address goes out and in", from: db,
			to: func(n *network) sim.Endpoint { return sim.Endpoint{Instance: *n.web.InstanceId, Address: n.webAddr} }, proto: "tcp", port: 80, reason: "reaches instance"},
		{name: "db to web's public address: the NAT's address is not the learner's", from: db,
			to: func(n *network) sim.Endpoint { return sim.Endpoint{Instance: *n.web.InstanceId, Address: n.webAddr} }, proto: "tcp", port: 22,
			component: func(n *network) string { return n.webSG }, reason: "allows no inbound tcp/22 from "},
		{name: "ping without an icmp rule", from: func(*network) sim.Endpoint { return internet }, to: web, proto: "icmp",
			component: func(n *network) string { return n.webSG }, reason: "allows no inbound icmp"},
		{name: "ping", change: func(t *testing.T, n *network) {
			must(n.client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(n.webSG), IpProtocol: aws.String("icmp"),
				FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), CidrIp: aws.String("0.0.0.0/0")}))(t)
		}, from: func(*network) sim.Endpoint { return internet }, to: web, proto: "icmp", reason: "reaches"},
		{name: "a service's endpoint in the private subnet", from: web, to: func(n *network) sim.Endpoint {
			return sim.Endpoint{Subnet: n.private, SecurityGroups: []string{n.dbSG}, Address: netip.MustParseAddr("10.0.1.200"), Name: "database mydb"}
		}, proto: "tcp", port: 5432, reason: "reaches database mydb"},
		{name: "a network interface", from: func(*network) sim.Endpoint { return internet }, to: func(n *network) sim.Endpoint {
			return sim.Endpoint{Interface: *n.web.NetworkInterfaces[0].NetworkInterfaceId}
		}, proto: "tcp", port: 80, reason: "reaches instance"},
		{name: "an attached network interface of one's own", change: func(t *testing.T, n *network) {
			n.eni = *must(n.client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: n.web.SubnetId}))(t).NetworkInterface.NetworkInterfaceId
			must(n.client.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{InstanceId: n.web.InstanceId, NetworkInterfaceId: aws.String(n.eni), DeviceIndex: aws.Int32(1)}))(t)
		}, from: func(*network) sim.Endpoint { return internet }, to: func(n *network) sim.Endpoint { return sim.Endpoint{Interface: n.eni} },
			proto: "tcp", port: 80, reason: "reaches instance"},
		{name: "another VPC's private instance", change: func(t *testing.T, n *network) {
			_, sns := newVPC(t, n.client, "10.1.0.0/16", "10.1.0.0/24")
			n.other = *run(t, n.client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SubnetId: aws.String(sns[0])})[0].InstanceId
		}, from: web, to: func(n *network) sim.Endpoint { return sim.Endpoint{Instance: n.other} },
			proto: "tcp", port: 22, component: func(n *network) string { return n.other }, reason: "has no route to 10.1.0.4 through a VPC peering connection"},
		{name: "unknown protocol", from: web, to: db, proto: "sctp", port: 1, reason: "not one the evaluator knows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNetwork(t)
			if tc.change != nil {
				tc.change(t, n)
			}
			v := n.c.Reach(tc.from(n), tc.to(n), tc.proto, tc.port)
			t.Log(v)
			want := ""
			if tc.component != nil {
				want = tc.component(n)
			}
			ok := tc.component == nil && !strings.Contains(tc.reason, "evaluator knows")
			if v.OK != ok || v.Component != want || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("Reach = %v\nwant OK %v, component %q, a reason with %q", v, ok, want, tc.reason)
			}
		})
	}
}

func web(n *network) sim.Endpoint { return sim.Endpoint{Instance: *n.web.InstanceId} }
func db(n *network) sim.Endpoint  { return sim.Endpoint{Instance: *n.db.InstanceId} }

// aclOfPublic is the network ACL the public subnet has now.
func aclOfPublic(n *network) string {
	out, err := n.client.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("association.subnet-id", n.public)}})
	if err != nil || len(out.NetworkAcls) != 1 {
		return "(no ACL)"
	}
	return *out.NetworkAcls[0].NetworkAclId
}

// natIn is the NAT gateway the private subnet's default route goes to now.
func natIn(n *network) string {
	out, err := n.client.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{n.privateRT}})
	if err != nil {
		return "(no route table)"
	}
	for _, r := range out.RouteTables[0].Routes {
		if r.NatGatewayId != nil {
			return *r.NatGatewayId
		}
	}
	return ""
}

// The learner's address is a setting with a documented default.
func TestReachInternetAddress(t *testing.T) {
	c := sim.New()
	if got := c.InternetAddress(); got != netip.MustParseAddr("203.0.113.10") {
		t.Errorf("default internet address = %v", got)
	}
	c.SetInternetAddress(netip.MustParseAddr("198.51.100.1"))
	if got := c.InternetAddress(); got != netip.MustParseAddr("198.51.100.1") {
		t.Errorf("internet address = %v", got)
	}
	if v := c.Reach(sim.Endpoint{Internet: true}, sim.Endpoint{Instance: "i-0123456789abcdef0"}, "tcp", 22); v.OK || v.Component != "i-0123456789abcdef0" {
		t.Errorf("to a missing instance: %v", v)
	}
}

// Reach reads the network while requests change it.
func TestReachRace(t *testing.T) {
	n := newNetwork(t)
	ctx := context.Background()
	acl := n.customACL(t, aclEntry("", 1, true, "-1", true, "0.0.0.0/0", 0, 0))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := int32(10); i < 30; i++ {
			must(n.client.CreateNetworkAclEntry(ctx, aclEntry(acl, i, false, "tcp", true, "0.0.0.0/0", 22, 22)))(t)
		}
	}()
	for range 50 {
		n.c.Reach(sim.Endpoint{Internet: true}, web(n), "tcp", 22)
		n.c.Reach(db(n), sim.Endpoint{Internet: true}, "tcp", 443)
	}
	<-done
	if v := n.c.Reach(sim.Endpoint{Internet: true}, web(n), "tcp", 22); !v.OK {
		t.Errorf("after the rules: %v", v)
	}
}
