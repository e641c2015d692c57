package sim_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func peeringNow(t *testing.T, client *ec2.Client, id string) types.VpcPeeringConnection {
	t.Helper()
	ps := must(client.DescribeVpcPeeringConnections(context.Background(), &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}}))(t).VpcPeeringConnections
	if len(ps) != 1 {
		t.Fatalf("DescribeVpcPeeringConnections %s = %+v", id, ps)
	}
	return ps[0]
}

func peer(t *testing.T, client *ec2.Client, a, b string) string {
	t.Helper()
	return *must(client.CreateVpcPeeringConnection(context.Background(), &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(b)}))(t).VpcPeeringConnection.VpcPeeringConnectionId
}

// VPC peering connections: requested, pending acceptance, accepted or rejected, deleted;
// failed between overlapping VPCs; expired after a week; routes to them.
func TestEC2VpcPeering(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		a, _ := newVPC(t, client, "10.0.0.0/16")
		bv, _ := newVPC(t, client, "10.1.0.0/16")
		overlap, _ := newVPC(t, client, "10.0.0.0/20")

		t.Run("errors", func(t *testing.T) {
			_, err := client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String("vpc-0123456789abcdef0")})
			wantCode(t, err, "InvalidVpcID.NotFound")
			_, err = client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(bv), PeerOwnerId: aws.String("210987654321")})
			wantCode(t, err, "NotImplemented")
			_, err = client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")})
			wantCode(t, err, "InvalidVpcPeeringConnectionID.NotFound")
			_, err = client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String("peer-1")})
			wantCode(t, err, "InvalidVpcPeeringConnectionId.Malformed")
		})

		made := must(client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(bv),
			TagSpecifications: nameTag(types.ResourceTypeVpcPeeringConnection, "a-b")}))(t).VpcPeeringConnection
		pcx := *made.VpcPeeringConnectionId
		if !strings.HasPrefix(pcx, "pcx-") || made.Status.Code != types.VpcPeeringConnectionStateReasonCodeInitiatingRequest ||
			*made.RequesterVpcInfo.VpcId != a || *made.AccepterVpcInfo.VpcId != bv || *made.AccepterVpcInfo.CidrBlock != "10.1.0.0/16" || *made.RequesterVpcInfo.OwnerId != "123456789012" {
			t.Fatalf("CreateVpcPeeringConnection = %+v", made)
		}
		p := peeringNow(t, client, pcx)
		if p.Status.Code != types.VpcPeeringConnectionStateReasonCodePendingAcceptance || *p.Status.Message != "Pending Acceptance by 123456789012" || p.ExpirationTime == nil {
			t.Errorf("a new connection = %+v", p.Status)
		}
		_, err := client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(bv), PeerVpcId: aws.String(a)})
		wantCode(t, err, "VpcPeeringConnectionAlreadyExists")

		// Overlapping blocks: the connection fails, and is listed for two hours.
		failed := peer(t, client, a, overlap)
		if p := peeringNow(t, client, failed); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeFailed || !strings.Contains(*p.Status.Message, "overlapping CIDR range") {
			t.Errorf("a connection between overlapping VPCs = %+v", p.Status)
		}
		_, err = client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(failed)})
		wantCode(t, err, "InvalidStateTransition")

		// Routes to a connection, blackholes until it is active.
		table := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(a)}))(t).RouteTable.RouteTableId
		must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("10.9.0.0/16"), VpcPeeringConnectionId: aws.String(failed)})
		wantCode(t, err, "InvalidVpcPeeringConnectionID.NotFound")
		other := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(overlap)}))(t).RouteTable.RouteTableId
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(other), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)})
		wantCode(t, err, "InvalidParameterValue")
		routeState := func() types.RouteState {
			t.Helper()
			rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.vpc-peering-connection-id", pcx)}}))(t).RouteTables
			if len(rts) != 1 {
				t.Fatalf("tables routing to %s: %+v", pcx, rts)
			}
			r := rts[0].Routes[1]
			if aws.ToString(r.VpcPeeringConnectionId) != pcx {
				t.Fatalf("route = %+v", r)
			}
			return r.State
		}
		if st := routeState(); st != types.RouteStateBlackhole {
			t.Errorf("a route to a pending connection is %s", st)
		}
		acc := must(client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t).VpcPeeringConnection
		if acc.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || acc.ExpirationTime != nil || acc.AccepterVpcInfo.PeeringOptions == nil {
			t.Errorf("AcceptVpcPeeringConnection = %+v", acc)
		}
		if st := routeState(); st != types.RouteStateActive {
			t.Errorf("a route to an active connection is %s", st)
		}
		_, err = client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)})
		wantCode(t, err, "InvalidStateTransition")

		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("status-code", "active"), 1},
			{filter("status-code", "failed"), 1},
			{filter("requester-vpc-info.vpc-id", a), 2},
			{filter("accepter-vpc-info.vpc-id", bv), 1},
			{filter("accepter-vpc-info.cidr-block", "10.0.0.0/20"), 1},
			{filter("requester-vpc-info.owner-id", "123456789012"), 2},
			{filter("tag:Name", "a-b"), 1},
			{filter("vpc-peering-connection-id", failed), 1},
		} {
			if got := must(client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{tc.f}}))(t).VpcPeeringConnections; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d connections, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}

		// A rejected request, and one that expires unanswered.
		cv, _ := newVPC(t, client, "10.2.0.0/16")
		rejected := peer(t, client, cv, a)
		must(client.RejectVpcPeeringConnection(ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(rejected)}))(t)
		if p := peeringNow(t, client, rejected); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeRejected {
			t.Errorf("a rejected connection = %+v", p.Status)
		}
		waiting := peer(t, client, cv, bv)
		c.Advance(t, 3*time.Hour)
		_, err = client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{failed}})
		wantCode(t, err, "InvalidVpcPeeringConnectionID.NotFound")
		c.Advance(t, 7*24*time.Hour)
		if p := peeringNow(t, client, waiting); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeExpired {
			t.Errorf("a week unanswered = %+v", p.Status)
		}
		_, err = client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{rejected}})
		wantCode(t, err, "InvalidVpcPeeringConnectionID.NotFound")

		// Deleting the connection, and deleting a VPC deletes its connections.
		must(client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t)
		if p := peeringNow(t, client, pcx); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeDeleted {
			t.Errorf("a deleted connection = %+v", p.Status)
		}
		if st := routeState(); st != types.RouteStateBlackhole {
			t.Errorf("a route to a deleted connection is %s", st)
		}
		again := peer(t, client, a, bv)
		must(client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(again)}))(t)
		must(client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(bv)}))(t)
		if p := peeringNow(t, client, again); p.Status.Code != types.VpcPeeringConnectionStateReasonCodeDeleted {
			t.Errorf("the connection of a deleted VPC = %+v", p.Status)
		}
	})
}

// The reachability evaluator follows peering routes both ways: a route each way, the
// security groups and ACLs of both ends.
func TestReachVpcPeering(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	a, as := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24")
	b, bs := newVPC(t, client, "10.1.0.0/16", "10.1.1.0/24")
	groupOf := func(vpc string) string {
		return *must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc), filter("group-name", "default")}}))(t).SecurityGroups[0].GroupId
	}
	ga, gb := groupOf(a), groupOf(b)
	ia := *run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SubnetId: aws.String(as[0])})[0].InstanceId
	ib := *run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SubnetId: aws.String(bs[0])})[0].InstanceId
	c.Advance(time.Minute)
	reach := func(from, to string) sim.Verdict {
		return c.Reach(sim.Endpoint{Instance: from}, sim.Endpoint{Instance: to}, "tcp", 22)
	}
	if v := reach(ia, ib); v.OK || !strings.Contains(v.Reason, "through a VPC peering connection") {
		t.Errorf("unpeered: %+v", v)
	}
	pcx := peer(t, client, a, b)
	rta, rtb := mainTable(t, client, a), mainTable(t, client, b)
	must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rta), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
	if v := reach(ia, ib); v.OK || v.Component != rta || !strings.Contains(v.Reason, "not active") {
		t.Errorf("pending: %+v", v)
	}
	must(client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t)
	if v := reach(ia, ib); v.OK || v.Component != rtb || !strings.Contains(v.Reason, "replies cannot return") {
		t.Errorf("a route one way only: %+v", v)
	}
	must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("10.0.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
	// The default groups let in only their own members: b's group refuses a's instance.
	if v := reach(ia, ib); v.OK || v.Component != gb {
		t.Errorf("b's default group: %+v", v)
	}
	must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(gb), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("10.0.0.0/16")}))(t)
	if v := reach(ia, ib); !v.OK || !strings.HasSuffix(v.Reason, " at 10.1.1.4") {
		t.Errorf("a to b over the peering, to b's private address: %+v", v)
	}
	// The other way, by a reference to the peer VPC's group.
	must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(ga), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(gb)}}}}}))(t)
	if v := reach(ib, ia); !v.OK {
		t.Errorf("b to a over the peering: %+v", v)
	}
	must(client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t)
	if v := reach(ia, ib); v.OK {
		t.Errorf("after the deletion: %+v", v)
	}
}

// Who may request, accept and delete peerings: vpc/… and vpc-peering-connection/… ARNs.
func TestEC2VpcPeeringAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		a, _ := newVPC(t, root, "10.0.0.0/16")
		bv, _ := newVPC(t, root, "10.1.0.0/16")
		cv, _ := newVPC(t, root, "10.2.0.0/16")
		mine := peer(t, root, a, bv)
		must(root.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{mine}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}))(t)
		theirs := peer(t, root, a, cv)
		arn := "arn:aws:ec2:us-east-1:123456789012:"
		user := ec2.NewFromConfig(policyUser(t, c, "pat", `{"Effect":"Allow","Action":["ec2:AcceptVpcPeeringConnection","ec2:DeleteVpcPeeringConnection"],
			"Resource":"`+arn+`vpc-peering-connection/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"net"}}},
			{"Effect":"Allow","Action":"ec2:CreateVpcPeeringConnection","Resource":"`+arn+`vpc/`+bv+`"},
			{"Effect":"Allow","Action":"ec2:CreateVpcPeeringConnection","Resource":"`+arn+`vpc-peering-connection/*",
			"Condition":{"StringEquals":{"ec2:AccepterVpc":"`+arn+`vpc/`+cv+`"}}}`))
		must(user.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(mine)}))(t)
		must(user.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(bv), PeerVpcId: aws.String(cv)}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := user.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(theirs)})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), arn+"vpc-peering-connection/"+theirs) {
			t.Errorf("the refusal does not name the connection: %v", err)
		}
		_, err = user.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(bv), PeerVpcId: aws.String(a)})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// Peering connections and routes to them survive Close and Open.
func TestEC2VpcPeeringPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	a, _ := newVPC(t, client, "10.0.0.0/16")
	b, _ := newVPC(t, client, "10.1.0.0/16")
	pcx := peer(t, client, a, b)
	must(client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t)
	must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(mainTable(t, client, a)), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
	describe := func() string {
		ps := must(client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{}))(t).VpcPeeringConnections
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", a)}}))(t).RouteTables
		return must(jsonOf([]any{ps, rts}))(t)
	}
	before := describe()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	if after := describe(); after != before {
		t.Errorf("after Open:\n%s\nbefore:\n%s", after, before)
	}
}

// Many goroutines requesting, accepting and deleting peerings at once.
func TestEC2VpcPeeringRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	a, as := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24")
	b, bs := newVPC(t, client, "10.1.0.0/16", "10.1.1.0/24")
	ia := *run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), SubnetId: aws.String(as[0])})[0].InstanceId
	ib := *run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), SubnetId: aws.String(bs[0])})[0].InstanceId
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				out, err := client.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(b)})
				if err != nil {
					if apiCodeOf(err) != "VpcPeeringConnectionAlreadyExists" {
						t.Error(err)
					}
					continue
				}
				id := out.VpcPeeringConnection.VpcPeeringConnectionId
				if _, err := client.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: id}); err != nil {
					t.Error(err)
				}
				c.Reach(sim.Endpoint{Instance: ia}, sim.Endpoint{Instance: ib}, "tcp", 22)
				if _, err := client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: id}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(must(client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{filter("status-code", "active", "pending-acceptance")}}))(t).VpcPeeringConnections); n != 0 {
		t.Errorf("%d connections left open", n)
	}
}
