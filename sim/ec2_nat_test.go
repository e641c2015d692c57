package sim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// natNow describes one NAT gateway as it is now.
func natNow(t *testing.T, client *ec2.Client, id string) types.NatGateway {
	t.Helper()
	ns := must(client.DescribeNatGateways(context.Background(), &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}))(t).NatGateways
	if len(ns) != 1 {
		t.Fatalf("DescribeNatGateways %s = %+v", id, ns)
	}
	return ns[0]
}

// attachGateway makes an internet gateway and attaches it to vpc.
func attachGateway(t *testing.T, client *ec2.Client, vpc string) string {
	t.Helper()
	ctx := context.Background()
	igw := *must(client.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
	must(client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(igw), VpcId: aws.String(vpc)}))(t)
	return igw
}

func TestEC2NatGateways(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24")
		public, private := subnets[0], subnets[1]
		eip := *allocate(t, client).AllocationId

		t.Run("errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         ec2.CreateNatGatewayInput
			}{
				{"no subnet", "MissingParameter", ec2.CreateNatGatewayInput{AllocationId: aws.String(eip)}},
				{"public without address", "MissingParameter", ec2.CreateNatGatewayInput{SubnetId: aws.String(public)}},
				{"private with address", "InvalidParameterCombination", ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String(eip), ConnectivityType: types.ConnectivityTypePrivate}},
				{"no such subnet", "InvalidSubnetID.NotFound", ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-0123456789abcdef0"), AllocationId: aws.String(eip)}},
				{"no such address", "InvalidAllocationID.NotFound", ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String("eipalloc-0123456789abcdef0")}},
				{"address outside the subnet", "InvalidParameterValue", ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String(eip), PrivateIpAddress: aws.String("10.0.1.9")}},
				{"secondary addresses", "NotImplemented", ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String(eip), SecondaryPrivateIpAddressCount: aws.Int32(2)}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateNatGateway(ctx, &tc.in)
					wantCode(t, err, tc.code)
				})
			}
			_, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{"nat-0123456789abcdef0"}})
			wantCode(t, err, "NatGatewayNotFound")
			_, err = client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-0123456789abcdef0")})
			wantCode(t, err, "NatGatewayNotFound")
		})

		// Without an internet gateway, a public NAT gateway fails once pending ends.
		failed := *must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String(eip)}))(t).NatGateway.NatGatewayId
		c.Advance(t, time.Minute)
		if n := natNow(t, client, failed); n.State != types.NatGatewayStateFailed || aws.ToString(n.FailureCode) != "Gateway.NotAttached" {
			t.Errorf("NAT gateway without an internet gateway = %+v", n)
		}
		if a := addressNow(t, client, eip); a.AssociationId != nil {
			t.Errorf("a failed NAT gateway holds its address: %+v", a)
		}

		igw := attachGateway(t, client, vpc)
		made := must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(public), AllocationId: aws.String(eip),
			TagSpecifications: nameTag(types.ResourceTypeNatgateway, "egress")}))(t).NatGateway
		nat := *made.NatGatewayId
		if made.State != types.NatGatewayStatePending || *made.VpcId != vpc || made.ConnectivityType != types.ConnectivityTypePublic || len(made.NatGatewayAddresses) != 1 {
			t.Fatalf("CreateNatGateway = %+v", made)
		}
		na := made.NatGatewayAddresses[0]
		if *na.AllocationId != eip || *na.PrivateIp != "10.0.0.4" || na.Status != types.NatGatewayAddressStatusAssociating || !*na.IsPrimary {
			t.Errorf("NAT gateway address = %+v", na)
		}
		a := addressNow(t, client, eip)
		if *a.NetworkInterfaceId != *na.NetworkInterfaceId || *a.PrivateIpAddress != "10.0.0.4" || a.InstanceId != nil || a.AssociationId == nil {
			t.Errorf("the NAT gateway's Elastic IP = %+v", a)
		}
		sn := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{public}}))(t).Subnets[0]
		if *sn.AvailableIpAddressCount != 250 {
			t.Errorf("the subnet has %d free addresses, want 250: the NAT gateway takes one", *sn.AvailableIpAddressCount)
		}

		_, err := client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(private), AllocationId: aws.String(eip)})
		wantCode(t, err, "Resource.AlreadyAssociated")
		_, err = client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(eip)})
		wantCode(t, err, "InvalidIPAddress.InUse")
		_, err = client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId})
		wantCode(t, err, "InvalidParameterValue")

		c.Advance(t, time.Minute)
		if n := natNow(t, client, nat); n.State != types.NatGatewayStateAvailable || n.NatGatewayAddresses[0].Status != types.NatGatewayAddressStatusSucceeded {
			t.Errorf("after a minute: %+v", n)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("state", "available"), 1},
			{filter("state", "failed"), 1},
			{filter("subnet-id", public), 2},
			{filter("vpc-id", vpc), 2},
			{filter("tag:Name", "egress"), 1},
			{filter("nat-gateway-id", nat), 1},
		} {
			if got := must(client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{tc.f}}))(t).NatGateways; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d NAT gateways, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}

		// Routes to it.
		table := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat)}))(t)
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.nat-gateway-id", nat)}}))(t).RouteTables
		if len(rts) != 1 || *rts[0].RouteTableId != table || aws.ToString(rts[0].Routes[1].NatGatewayId) != nat || rts[0].Routes[1].State != types.RouteStateActive {
			t.Fatalf("route tables routing to the NAT gateway = %+v", rts)
		}
		must(client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)}))(t)
		if r := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}}))(t).RouteTables[0].Routes[1]; aws.ToString(r.GatewayId) != igw || r.NatGatewayId != nil {
			t.Errorf("replaced route = %+v", r)
		}
		_, err = client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("8.8.8.0/24"), NatGatewayId: aws.String(nat)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("10.0.0.0/16"), NatGatewayId: aws.String(nat)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat), GatewayId: aws.String(igw)})
		wantCode(t, err, "InvalidParameterCombination")
		must(client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat)}))(t)

		// While it lives, its subnet stays, and the internet gateway stays attached.
		_, err = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(public)})
		wantCode(t, err, "DependencyViolation")
		_, err = client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(igw), VpcId: aws.String(vpc)})
		wantCode(t, err, "DependencyViolation")
		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "DependencyViolation")

		// Deleting: a minute, then deleted, its address free, listed for an hour.
		if out := must(client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(nat)}))(t); *out.NatGatewayId != nat {
			t.Errorf("DeleteNatGateway = %+v", out)
		}
		if n := natNow(t, client, nat); n.State != types.NatGatewayStateDeleting {
			t.Errorf("deleting: %+v", n)
		}
		if r := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}}))(t).RouteTables[0].Routes[1]; r.State != types.RouteStateBlackhole {
			t.Errorf("route to a deleting NAT gateway = %+v", r)
		}
		c.Advance(t, time.Minute)
		if n := natNow(t, client, nat); n.State != types.NatGatewayStateDeleted || n.DeleteTime == nil {
			t.Errorf("deleted: %+v", n)
		}
		if a := addressNow(t, client, eip); a.AssociationId != nil {
			t.Errorf("the deleted NAT gateway's address = %+v", a)
		}
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("1.0.0.0/8"), NatGatewayId: aws.String(nat)})
		wantCode(t, err, "NatGatewayNotFound")
		must(client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(eip)}))(t)
		c.Advance(t, time.Hour)
		_, err = client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{nat}})
		wantCode(t, err, "NatGatewayNotFound")

		// A private NAT gateway has no Elastic IP.
		pn := must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(private), ConnectivityType: types.ConnectivityTypePrivate,
			PrivateIpAddress: aws.String("10.0.1.50")}))(t).NatGateway
		if pn.ConnectivityType != types.ConnectivityTypePrivate || pn.NatGatewayAddresses[0].PublicIp != nil || *pn.NatGatewayAddresses[0].PrivateIp != "10.0.1.50" {
			t.Errorf("private NAT gateway = %+v", pn)
		}
	})
}

// NAT gateways and network ACLs of one's own survive Close and Open.
func TestEC2NatAndACLPersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.0.0/24")
	attachGateway(t, client, vpc)
	eip := *allocate(t, client).AllocationId
	must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]), AllocationId: aws.String(eip)}))(t)
	acl := *must(client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)}))(t).NetworkAcl.NetworkAclId
	must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 100, false, "tcp", true, "0.0.0.0/0", 22, 22)))(t)
	nats := must(client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}))(t).NatGateways
	acls := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{}))(t).NetworkAcls
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	if x, y := must(jsonOf(must(client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}))(t).NatGateways))(t), must(jsonOf(nats))(t); x != y {
		t.Errorf("NAT gateways after Open:\n%s\nbefore:\n%s", x, y)
	}
	if x, y := must(jsonOf(must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{}))(t).NetworkAcls))(t), must(jsonOf(acls))(t); x != y {
		t.Errorf("network ACLs after Open:\n%s\nbefore:\n%s", x, y)
	}
}

// A NAT gateway is billed by the hour ($0.045) from its creation until its deletion is over:
// the cost meter behind AWS/Billing EstimatedCharges counts it, with no AWS/EC2 metrics.
func TestEC2NatGatewayBilled(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 7, 12, 0, 0, 0, 0, time.UTC)
	c := sim.New(sim.WithClock(func() time.Time { return start }))
	client := ec2.NewFromConfig(c.Config())
	subnet := *must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets[0].SubnetId
	eip := *allocate(t, client).AllocationId
	nat := *must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnet), AllocationId: aws.String(eip)}))(t).NatGateway.NatGatewayId
	c.Advance(12*time.Hour - time.Minute)
	must(client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(nat)}))(t) // over at 12:00
	c.Advance(6*time.Hour + 2*time.Minute)
	cw := cloudwatch.NewFromConfig(c.Config())
	charges := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("AWS/Billing"), MetricName: aws.String("EstimatedCharges"),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("Currency"), Value: aws.String("USD")}},
		StartTime:  aws.Time(start), EndTime: aws.Time(c.Now()), Period: aws.Int32(21600), Statistics: []cwtypes.Statistic{cwtypes.StatisticMaximum},
	}))(t)
	var got []string
	for _, d := range charges.Datapoints {
		got = append(got, fmt.Sprintf("%s %.2f", d.Timestamp.Format("15:04"), *d.Maximum))
	}
	if strings.Join(got, ", ") != "06:00 0.27, 12:00 0.54, 18:00 0.54" {
		t.Errorf("EstimatedCharges of a NAT gateway: %v", got)
	}
	if ms := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/EC2")}))(t).Metrics; len(ms) != 0 {
		t.Errorf("AWS/EC2 metrics of a NAT gateway: %+v", ms)
	}
}
