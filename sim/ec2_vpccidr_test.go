package sim_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func vpcNow(t *testing.T, client *ec2.Client, id string) types.Vpc {
	t.Helper()
	return must(client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{VpcIds: []string{id}}))(t).Vpcs[0]
}

// localRoutes returns the destinations of a route table's local routes.
func localRoutes(t *testing.T, client *ec2.Client, table string) []string {
	t.Helper()
	var out []string
	for _, r := range must(client.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}}))(t).RouteTables[0].Routes {
		if aws.ToString(r.GatewayId) == "local" {
			out = append(out, aws.ToString(r.DestinationCidrBlock)+aws.ToString(r.DestinationIpv6CidrBlock))
		}
	}
	return out
}

func mainTable(t *testing.T, client *ec2.Client, vpc string) string {
	t.Helper()
	return *must(client.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		filter("vpc-id", vpc), filter("association.main", "true")}}))(t).RouteTables[0].RouteTableId
}

// Secondary IPv4 blocks: AWS's association rules, five blocks, local routes, subnets in them,
// and the disassociation's refusals.
func TestEC2SecondaryVpcCidrBlocks(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc, _ := newVPC(t, client, "10.0.0.0/16")
		primary := *vpcNow(t, client, vpc).CidrBlockAssociationSet[0].AssociationId

		for _, tc := range []struct{ name, cidr, code string }{
			{"not a block", "10.1.0.0/33", "InvalidParameterValue"},
			{"too big", "10.0.0.0/8", "InvalidVpc.Range"},
			{"too small", "10.1.0.0/29", "InvalidVpc.Range"},
			{"overlap", "10.0.128.0/17", "InvalidVpc.Range"},
			{"other RFC 1918 range", "192.168.0.0/16", "InvalidVpc.Range"},
			{"172.16/12 from 10/8", "172.16.0.0/16", "InvalidVpc.Range"},
			{"198.19/16 from RFC 1918", "198.19.0.0/16", "InvalidVpc.Range"},
			{"link-local", "169.254.0.0/16", "InvalidVpc.Range"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String(tc.cidr)})
				wantCode(t, err, tc.code)
			})
		}
		_, err := client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "MissingParameter")
		_, err = client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.1.0.0/16")})
		wantCode(t, err, "InvalidVpcID.NotFound")

		made := must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.1.0.0/16")}))(t)
		a := made.CidrBlockAssociation
		if *made.VpcId != vpc || *a.CidrBlock != "10.1.0.0/16" || a.CidrBlockState.State != types.VpcCidrBlockStateCodeAssociating || !strings.HasPrefix(*a.AssociationId, "vpc-cidr-assoc-") {
			t.Fatalf("AssociateVpcCidrBlock = %+v", a)
		}
		// Public blocks and 100.64.0.0/10 are allowed beside 10.0.0.0/8.
		must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String("100.64.0.0/16")}))(t)
		must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.2.0.0/24")}))(t)
		v := vpcNow(t, client, vpc)
		var blocks []string
		for _, a := range v.CidrBlockAssociationSet {
			blocks = append(blocks, *a.CidrBlock+" "+string(a.CidrBlockState.State))
		}
		if strings.Join(blocks, ", ") != "10.0.0.0/16 associated, 10.1.0.0/16 associated, 100.64.0.0/16 associated, 10.2.0.0/24 associated" || *v.CidrBlock != "10.0.0.0/16" {
			t.Errorf("the VPC's blocks: %v, primary %s", blocks, *v.CidrBlock)
		}
		table := mainTable(t, client, vpc)
		if got := localRoutes(t, client, table); !slices.Equal(got, []string{"10.0.0.0/16", "10.1.0.0/16", "100.64.0.0/16", "10.2.0.0/24"}) {
			t.Errorf("the main table's local routes: %v", got)
		}
		own := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		if got := localRoutes(t, client, own); len(got) != 4 {
			t.Errorf("a new table's local routes: %v", got)
		}
		for _, tc := range []struct {
			f    types.Filter
			want int
		}{
			{filter("cidr-block-association.cidr-block", "10.1.0.0/16"), 1},
			{filter("cidr-block-association.association-id", *a.AssociationId), 1},
			{filter("cidr", "10.1.0.0/16"), 0}, // the primary block only
		} {
			if got := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{tc.f}}))(t).Vpcs; len(got) != tc.want {
				t.Errorf("filter %s=%v: %d VPCs, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
			}
		}

		// Subnets in the new blocks; a subnet across two blocks is refused.
		sn := *must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.1.1.0/24")}))(t).Subnet.SubnetId
		must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("100.64.0.0/24")}))(t)
		_, err = client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.3.0.0/24")})
		wantCode(t, err, "InvalidSubnet.Range")

		// The fifth block is the last.
		must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.3.0.0/16")}))(t)
		_, err = client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.4.0.0/16")})
		wantCode(t, err, "CidrLimitExceeded")

		// Disassociation: not the primary, not while a subnet is in the block.
		_, err = client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: aws.String(primary)})
		wantCode(t, err, "OperationNotPermitted")
		_, err = client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a.AssociationId})
		wantCode(t, err, "InvalidCidrBlock.InUse")
		_, err = client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: aws.String("vpc-cidr-assoc-0123456789abcdef0")})
		wantCode(t, err, "InvalidVpcCidrBlockAssociationID.NotFound")
		_, err = client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: aws.String("assoc-1")})
		wantCode(t, err, "InvalidVpcCidrBlockAssociationID.Malformed")
		must(client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(sn)}))(t)
		gone := must(client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a.AssociationId}))(t)
		if *gone.VpcId != vpc || gone.CidrBlockAssociation.CidrBlockState.State != types.VpcCidrBlockStateCodeDisassociating {
			t.Errorf("DisassociateVpcCidrBlock = %+v", gone.CidrBlockAssociation)
		}
		if got := localRoutes(t, client, table); slices.Contains(got, "10.1.0.0/16") || len(got) != 4 {
			t.Errorf("local routes after the disassociation: %v", got)
		}
		_, err = client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.1.1.0/24")})
		wantCode(t, err, "InvalidSubnet.Range")
	})
}

// IPv6: a VPC's Amazon-provided /56, its subnets' /64s, addresses of interfaces, routes to
// ::/0 through an internet gateway or an egress-only one.
func TestEC2IPv6(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		made := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)}))(t).Vpc
		vpc := *made.VpcId
		if len(made.Ipv6CidrBlockAssociationSet) != 1 {
			t.Fatalf("CreateVpc with an IPv6 block = %+v", made)
		}
		a6 := made.Ipv6CidrBlockAssociationSet[0]
		block := *a6.Ipv6CidrBlock
		if !strings.HasPrefix(block, "2600:1f") || !strings.HasSuffix(block, "00::/56") || *a6.Ipv6Pool != "Amazon" || *a6.NetworkBorderGroup != "us-east-1" {
			t.Errorf("the VPC's IPv6 block = %s (pool %s, border group %s)", block, *a6.Ipv6Pool, *a6.NetworkBorderGroup)
		}
		if got := localRoutes(t, client, mainTable(t, client, vpc)); !slices.Equal(got, []string{"10.0.0.0/16", block}) {
			t.Errorf("local routes of an IPv6 VPC: %v", got)
		}
		// The default security group lets all IPv6 traffic out.
		def := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc), filter("group-name", "default")}}))(t).SecurityGroups[0]
		if out := def.IpPermissionsEgress; len(out) != 1 || len(out[0].Ipv6Ranges) != 1 || *out[0].Ipv6Ranges[0].CidrIpv6 != "::/0" || len(out[0].IpRanges) != 1 {
			t.Errorf("the default group's egress rules: %+v", out)
		}
		_, err := client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpc), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
		wantCode(t, err, "CidrLimitExceeded")
		// Another VPC's /56 is another one, and associating it later gives the rule too.
		other, _ := newVPC(t, client, "10.1.0.0/16")
		later := must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(other), AmazonProvidedIpv6CidrBlock: aws.Bool(true)}))(t).Ipv6CidrBlockAssociation
		if *later.Ipv6CidrBlock == block || later.Ipv6CidrBlockState.State != types.VpcCidrBlockStateCodeAssociating {
			t.Errorf("a second VPC's /56 = %+v", later)
		}
		if vs := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("ipv6-cidr-block-association.ipv6-cidr-block", block)}}))(t).Vpcs; len(vs) != 1 || *vs[0].VpcId != vpc {
			t.Errorf("VPCs by IPv6 block: %+v", vs)
		}
		sub64 := strings.Replace(block, "00::/56", "01::/64", 1)

		t.Run("subnet errors", func(t *testing.T) {
			for _, tc := range []struct{ name, v6, code string }{
				{"not a /64", strings.Replace(block, "/56", "/60", 1), "InvalidSubnet.Range"},
				{"outside the /56", "2001:db8::/64", "InvalidSubnet.Range"},
				{"not IPv6", "10.0.9.0/24", "InvalidParameterValue"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.0/24"), Ipv6CidrBlock: aws.String(tc.v6)})
					wantCode(t, err, tc.code)
				})
			}
			_, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(other), CidrBlock: aws.String("10.1.9.0/24"), Ipv6CidrBlock: aws.String(sub64)})
			wantCode(t, err, "InvalidSubnet.Range")
		})

		sn := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(sub64)}))(t).Subnet
		if len(sn.Ipv6CidrBlockAssociationSet) != 1 || *sn.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock != sub64 || *sn.AssignIpv6AddressOnCreation {
			t.Errorf("a subnet with an IPv6 block = %+v", sn)
		}
		_, err = client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.0/24"), Ipv6CidrBlock: aws.String(sub64)})
		wantCode(t, err, "InvalidSubnet.Conflict")
		plain := *must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.0/24")}))(t).Subnet.SubnetId
		_, err = client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(plain), AssignIpv6AddressOnCreation: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
		wantCode(t, err, "InvalidParameterValue")
		second64 := strings.Replace(block, "00::/56", "02::/64", 1)
		assoc := must(client.AssociateSubnetCidrBlock(ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: aws.String(plain), Ipv6CidrBlock: aws.String(second64)}))(t).Ipv6CidrBlockAssociation
		if *assoc.Ipv6CidrBlock != second64 || assoc.Ipv6CidrBlockState.State != types.SubnetCidrBlockStateCodeAssociating {
			t.Errorf("AssociateSubnetCidrBlock = %+v", assoc)
		}
		_, err = client.AssociateSubnetCidrBlock(ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: aws.String(plain), Ipv6CidrBlock: aws.String(strings.Replace(block, "00::/56", "03::/64", 1))})
		wantCode(t, err, "InvalidSubnet.Conflict")
		must(client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(plain), AssignIpv6AddressOnCreation: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)

		// Interfaces: one address by the subnet's attribute, more by AssignIpv6Addresses.
		eni := must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(plain)}))(t).NetworkInterface
		if len(eni.Ipv6Addresses) != 1 || !strings.HasPrefix(*eni.Ipv6Addresses[0].Ipv6Address, strings.TrimSuffix(second64, "::/64")) {
			t.Fatalf("an interface of a subnet with AssignIpv6AddressOnCreation: %+v", eni.Ipv6Addresses)
		}
		want := strings.TrimSuffix(second64, "/64") + "abcd"
		got := must(client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6AddressCount: aws.Int32(2)}))(t).AssignedIpv6Addresses
		if len(got) != 2 || got[0] == got[1] {
			t.Errorf("AssignIpv6Addresses count 2 = %v", got)
		}
		must(client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: []string{want}}))(t)
		_, err = client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: []string{want}})
		wantCode(t, err, "InvalidIPAddress.InUse")
		_, err = client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: []string{"2001:db8::1"}})
		wantCode(t, err, "InvalidParameterValue")
		if n := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*eni.NetworkInterfaceId}}))(t).NetworkInterfaces[0]; len(n.Ipv6Addresses) != 4 {
			t.Errorf("the interface's IPv6 addresses: %+v", n.Ipv6Addresses)
		}
		_, err = client.DisassociateSubnetCidrBlock(ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: assoc.AssociationId})
		wantCode(t, err, "InvalidCidrBlock.InUse")
		un := must(client.UnassignIpv6Addresses(ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: []string{want}}))(t)
		if !slices.Equal(un.UnassignedIpv6Addresses, []string{want}) {
			t.Errorf("UnassignIpv6Addresses = %v", un.UnassignedIpv6Addresses)
		}
		_, err = client.UnassignIpv6Addresses(ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: []string{want}})
		wantCode(t, err, "InvalidParameterValue")
		must(client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterfaceId}))(t)
		must(client.DisassociateSubnetCidrBlock(ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: assoc.AssociationId}))(t)
		_, err = client.DisassociateSubnetCidrBlock(ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: assoc.AssociationId})
		wantCode(t, err, "InvalidSubnetCidrBlockAssociationID.NotFound")

		// Routes to ::/0: an internet gateway, an egress-only one.
		igw := attachGateway(t, client, vpc)
		table := *must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)}))(t).RouteTable.RouteTableId
		must(client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationIpv6CidrBlock: aws.String("::/0"), GatewayId: aws.String(igw)}))(t)
		eigw := must(client.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String(vpc),
			TagSpecifications: nameTag(types.ResourceTypeEgressOnlyInternetGateway, "out")}))(t).EgressOnlyInternetGateway
		if !strings.HasPrefix(*eigw.EgressOnlyInternetGatewayId, "eigw-") || len(eigw.Attachments) != 1 || *eigw.Attachments[0].VpcId != vpc || eigw.Attachments[0].State != types.AttachmentStatusAttached {
			t.Errorf("CreateEgressOnlyInternetGateway = %+v", eigw)
		}
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String("0.0.0.0/0"), EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGatewayId})
		wantCode(t, err, "InvalidParameterCombination")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationIpv6CidrBlock: aws.String("10.0.0.0/8"), GatewayId: aws.String(igw)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationIpv6CidrBlock: aws.String("::/0"), GatewayId: aws.String(igw)})
		wantCode(t, err, "RouteAlreadyExists")
		must(client.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGatewayId}))(t)
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.egress-only-internet-gateway-id", *eigw.EgressOnlyInternetGatewayId)}}))(t).RouteTables
		if len(rts) != 1 || *rts[0].RouteTableId != table {
			t.Fatalf("tables routing to the egress-only gateway: %+v", rts)
		}
		r6 := rts[0].Routes[len(rts[0].Routes)-1]
		if aws.ToString(r6.DestinationIpv6CidrBlock) != "::/0" || r6.DestinationCidrBlock != nil || r6.State != types.RouteStateActive || r6.GatewayId != nil {
			t.Errorf("the ::/0 route = %+v", r6)
		}
		if n := len(must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.destination-ipv6-cidr-block", "::/0")}}))(t).RouteTables); n != 1 {
			t.Errorf("%d tables route ::/0", n)
		}
		if gs := must(client.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{Filters: []types.Filter{filter("tag:Name", "out")}}))(t).EgressOnlyInternetGateways; len(gs) != 1 {
			t.Errorf("egress-only gateways tagged out: %+v", gs)
		}
		_, err = client.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{Filters: []types.Filter{filter("vpc-id", vpc)}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(other)})
		if err != nil {
			t.Errorf("DeleteVpc of a VPC with only an IPv6 block: %v", err)
		}
		must(client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(table), DestinationIpv6CidrBlock: aws.String("::/0")}))(t)
		must(client.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGatewayId}))(t)
		_, err = client.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: eigw.EgressOnlyInternetGatewayId})
		wantCode(t, err, "InvalidEgressOnlyInternetGatewayId.NotFound")

		// The /56 goes once no subnet holds a /64 of it.
		_, err = client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a6.AssociationId})
		wantCode(t, err, "InvalidCidrBlock.InUse")
		must(client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sn.SubnetId}))(t)
		gone := must(client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a6.AssociationId}))(t)
		if gone.Ipv6CidrBlockAssociation == nil || *gone.Ipv6CidrBlockAssociation.Ipv6CidrBlock != block {
			t.Errorf("DisassociateVpcCidrBlock of the /56 = %+v", gone)
		}
		if v := vpcNow(t, client, vpc); len(v.Ipv6CidrBlockAssociationSet) != 0 {
			t.Errorf("after the disassociation: %+v", v.Ipv6CidrBlockAssociationSet)
		}
	})
}

// The VPC, subnet and interface ARNs of the block and IPv6 operations.
func TestEC2VpcCidrAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		t.Parallel()
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		mine, _ := newVPC(t, root, "10.0.0.0/16")
		theirs, _ := newVPC(t, root, "10.1.0.0/16")
		arn := "arn:aws:ec2:us-east-1:123456789012:"
		user := ec2.NewFromConfig(policyUser(t, c, "vic", `{"Effect":"Allow","Action":["ec2:AssociateVpcCidrBlock","ec2:DisassociateVpcCidrBlock","ec2:CreateEgressOnlyInternetGateway"],
			"Resource":["`+arn+`vpc/`+mine+`","`+arn+`egress-only-internet-gateway/*"]}`))
		a := must(user.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(mine), CidrBlock: aws.String("10.2.0.0/16")}))(t).CidrBlockAssociation
		must(user.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a.AssociationId}))(t)
		must(user.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String(mine)}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := user.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(theirs), CidrBlock: aws.String("10.3.0.0/16")})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), arn+"vpc/"+theirs) {
			t.Errorf("the refusal does not name the VPC: %v", err)
		}
		_, err = user.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String(theirs)})
		wantCode(t, err, "UnauthorizedOperation")
		_, err = user.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: aws.String("eni-0123456789abcdef0"), Ipv6AddressCount: aws.Int32(1)})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// Blocks, IPv6 subnets, addresses and egress-only gateways survive Close and Open.
func TestEC2VpcCidrPersist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	v := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)}))(t).Vpc
	must(client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: v.VpcId, CidrBlock: aws.String("10.1.0.0/16")}))(t)
	sub64 := strings.Replace(*v.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock, "00::/56", "07::/64", 1)
	sn := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.VpcId, CidrBlock: aws.String("10.1.0.0/24"), Ipv6CidrBlock: aws.String(sub64)}))(t).Subnet
	must(client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: sn.SubnetId, AssignIpv6AddressOnCreation: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sn.SubnetId}))(t)
	must(client.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: v.VpcId}))(t)
	describe := func() string {
		vs := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{*v.VpcId}}))(t).Vpcs
		ss := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*sn.SubnetId}}))(t).Subnets
		ns := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
		gs := must(client.DescribeEgressOnlyInternetGateways(ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{}))(t).EgressOnlyInternetGateways
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", *v.VpcId)}}))(t).RouteTables
		return must(jsonOf([]any{vs, ss, ns, gs, rts}))(t)
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

// Many goroutines associating and disassociating blocks and IPv6 addresses at once.
func TestEC2VpcCidrRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	v := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)}))(t).Vpc
	sub64 := strings.Replace(*v.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock, "00::/56", "01::/64", 1)
	sn := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.VpcId, CidrBlock: aws.String("10.0.0.0/24"), Ipv6CidrBlock: aws.String(sub64)}))(t).Subnet
	eni := must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sn.SubnetId}))(t).NetworkInterface
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 8 {
				cidr := "10." + string(rune('1'+g)) + "." + string(rune('0'+k)) + ".0/24"
				a, err := client.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: v.VpcId, CidrBlock: aws.String(cidr)})
				if err == nil {
					if _, err := client.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: a.CidrBlockAssociation.AssociationId}); err != nil {
						t.Error(err)
					}
				} else if apiCodeOf(err) != "CidrLimitExceeded" {
					t.Error(err)
				}
				as, err := client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6AddressCount: aws.Int32(1)})
				if err != nil {
					t.Error(err)
					continue
				}
				if _, err := client.UnassignIpv6Addresses(ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: as.AssignedIpv6Addresses}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if v := vpcNow(t, client, *v.VpcId); len(v.CidrBlockAssociationSet) != 1 {
		t.Errorf("blocks left: %+v", v.CidrBlockAssociationSet)
	}
	if n := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*eni.NetworkInterfaceId}}))(t).NetworkInterfaces[0]; len(n.Ipv6Addresses) != 0 {
		t.Errorf("addresses left: %+v", n.Ipv6Addresses)
	}
}
