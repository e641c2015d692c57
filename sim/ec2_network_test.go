package sim_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Every region of a new account has its default network, made on first use.
func TestEC2DefaultNetwork(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)

		vpcs := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
		if len(vpcs) != 1 || !*vpcs[0].IsDefault || *vpcs[0].CidrBlock != "172.31.0.0/16" || vpcs[0].State != types.VpcStateAvailable {
			t.Fatalf("default VPCs = %+v", vpcs)
		}
		vpc := *vpcs[0].VpcId
		if len(vpc) != len("vpc-")+17 || *vpcs[0].OwnerId != sim.DefaultAccount || *vpcs[0].CidrBlockAssociationSet[0].CidrBlock != "172.31.0.0/16" {
			t.Errorf("default VPC = %+v", vpcs[0])
		}

		subnets := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("vpc-id", vpc)}}))(t).Subnets
		var got []string
		for _, s := range subnets {
			got = append(got, *s.AvailabilityZone+" "+*s.AvailabilityZoneId+" "+*s.CidrBlock)
			if !*s.DefaultForAz || !*s.MapPublicIpOnLaunch || *s.AvailableIpAddressCount != 4091 || *s.SubnetArn != "arn:aws:ec2:us-east-1:123456789012:subnet/"+*s.SubnetId {
				t.Errorf("default subnet %+v", s)
			}
		}
		want := []string{
			"us-east-1a use1-az6 172.31.0.0/20", "us-east-1b use1-az1 172.31.16.0/20", "us-east-1c use1-az2 172.31.32.0/20",
			"us-east-1d use1-az4 172.31.48.0/20", "us-east-1e use1-az3 172.31.64.0/20", "us-east-1f use1-az5 172.31.80.0/20",
		}
		if !slices.Equal(got, want) {
			t.Errorf("default subnets:\n got %q\nwant %q", got, want)
		}

		c.Diverges(t, conformance.Moto, "moto's default VPC has no internet gateway")
		igws := must(client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{}))(t).InternetGateways
		if len(igws) != 1 || len(igws[0].Attachments) != 1 || *igws[0].Attachments[0].VpcId != vpc || igws[0].Attachments[0].State != "available" {
			t.Fatalf("internet gateways = %+v", igws)
		}
		igw := *igws[0].InternetGatewayId

		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.main", "true")}}))(t).RouteTables
		if len(rts) != 1 || len(rts[0].Routes) != 2 || !*rts[0].Associations[0].Main {
			t.Fatalf("main route tables = %+v", rts)
		}
		local, internet := rts[0].Routes[0], rts[0].Routes[1]
		if *local.DestinationCidrBlock != "172.31.0.0/16" || *local.GatewayId != "local" || *internet.DestinationCidrBlock != "0.0.0.0/0" ||
			*internet.GatewayId != igw || internet.State != types.RouteStateActive {
			t.Errorf("main routes = %+v, %+v", local, internet)
		}

		acls := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{}))(t).NetworkAcls
		if len(acls) != 1 || !*acls[0].IsDefault || len(acls[0].Entries) != 4 || len(acls[0].Associations) != 6 {
			t.Fatalf("network ACLs = %+v", acls)
		}
		for _, e := range acls[0].Entries {
			allow := *e.RuleNumber == 100 && e.RuleAction == types.RuleActionAllow
			deny := *e.RuleNumber == 32767 && e.RuleAction == types.RuleActionDeny
			if !allow && !deny || *e.Protocol != "-1" || *e.CidrBlock != "0.0.0.0/0" {
				t.Errorf("ACL entry %+v", e)
			}
		}

		sgs := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}}))(t).SecurityGroups
		if len(sgs) != 1 || *sgs[0].VpcId != vpc || *sgs[0].Description != "default VPC security group" {
			t.Fatalf("default security group = %+v", sgs)
		}
		in, out := sgs[0].IpPermissions, sgs[0].IpPermissionsEgress
		if len(in) != 1 || *in[0].IpProtocol != "-1" || len(in[0].UserIdGroupPairs) != 1 || *in[0].UserIdGroupPairs[0].GroupId != *sgs[0].GroupId ||
			len(out) != 1 || *out[0].IpProtocol != "-1" || *out[0].IpRanges[0].CidrIp != "0.0.0.0/0" || in[0].FromPort != nil {
			t.Errorf("default group rules: in %+v, out %+v", in, out)
		}

		// Another region has its own default VPC, with one subnet per zone.
		eu := ec2Client(t, c, conformance.WithRegion("eu-west-1"))
		euVPCs := must(eu.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
		euSubnets := must(eu.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets
		if len(euVPCs) != 1 || *euVPCs[0].VpcId == vpc || len(euSubnets) != 3 || *euSubnets[2].AvailabilityZone != "eu-west-1c" {
			t.Errorf("eu-west-1: VPCs %+v, %d subnets", euVPCs, len(euSubnets))
		}

		// The same seed makes the same network; another seed another.
		c.Require(t, conformance.DeterministicIDs)
		again := must(ec2Client(t, b.Open(t)).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
		other := must(ec2Client(t, b.Open(t, sim.WithSeed(7))).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs
		if *again[0].VpcId != vpc || *other[0].VpcId == vpc {
			t.Errorf("default VPC IDs: %s, same seed %s, seed 7 %s", vpc, *again[0].VpcId, *other[0].VpcId)
		}
	})
}

func TestEC2VPCs(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		created := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.7.9/16"), TagSpecifications: nameTag(types.ResourceTypeVpc, "lab")}))(t).Vpc
		c.Diverges(t, conformance.Moto, "moto keeps a VPC's block as given (10.0.7.9/16); AWS masks it (10.0.0.0/16)")
		if *created.CidrBlock != "10.0.0.0/16" || *created.IsDefault || *created.Tags[0].Value != "lab" || created.InstanceTenancy != types.TenancyDefault {
			t.Errorf("created VPC = %+v", created)
		}
		vpc := *created.VpcId

		for _, tc := range []struct {
			name, cidr, code string
		}{
			{"too big", "10.0.0.0/8", "InvalidVpc.Range"},
			{"too small", "10.0.0.0/29", "InvalidVpc.Range"},
			{"link-local", "169.254.0.0/16", "InvalidVpc.Range"},
			{"not a block", "nonsense", "InvalidParameterValue"},
			{"IPv6", "2001:db8::/56", "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(tc.cidr)})
				wantCode(t, err, tc.code)
			})
		}
		_, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{})
		wantCode(t, err, "MissingParameter")
		_, err = client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16"), TagSpecifications: nameTag(types.ResourceTypeInstance, "x")})
		wantCode(t, err, "InvalidParameterValue")

		// A new VPC comes with its main route table, default network ACL and default security group.
		byVPC := []types.Filter{filter("vpc-id", vpc)}
		rts := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: byVPC}))(t).RouteTables
		acls := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: byVPC}))(t).NetworkAcls
		sgs := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byVPC}))(t).SecurityGroups
		if len(rts) != 1 || len(rts[0].Routes) != 1 || *rts[0].Routes[0].GatewayId != "local" || len(acls) != 1 || len(sgs) != 1 || *sgs[0].GroupName != "default" {
			t.Errorf("new VPC has route tables %+v, ACLs %d, groups %+v", rts, len(acls), sgs)
		}

		for _, tc := range []struct {
			name    string
			filters []types.Filter
			want    int
		}{
			{"is-default", []types.Filter{filter("is-default", "false")}, 1},
			{"tag", []types.Filter{filter("tag:Name", "lab")}, 1},
			{"tag-key", []types.Filter{filter("tag-key", "Name")}, 1},
			{"cidr", []types.Filter{filter("cidr", "172.31.0.0/16")}, 1},
			{"cidr-block-association", []types.Filter{filter("cidr-block-association.cidr-block", "10.0.*")}, 1},
			{"state", []types.Filter{filter("state", "available")}, 2},
			{"two filters", []types.Filter{filter("state", "available"), filter("is-default", "true")}, 1},
			{"no match", []types.Filter{filter("vpc-id", "vpc-00000000")}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: tc.filters}))(t).Vpcs
				if len(got) != tc.want {
					t.Errorf("%d VPCs, want %d", len(got), tc.want)
				}
			})
		}
		_, err = client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("colour", "blue")}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
		wantCode(t, err, "InvalidVpcID.NotFound")
		_, err = client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"xyz"}})
		wantCode(t, err, "InvalidVpcID.Malformed")

		// DNS attributes: hostnames are off in a new VPC, on in the default one.
		attr := func(id string, a types.VpcAttributeName) *ec2.DescribeVpcAttributeOutput {
			t.Helper()
			return must(client.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: a}))(t)
		}
		if !*attr(vpc, types.VpcAttributeNameEnableDnsSupport).EnableDnsSupport.Value || *attr(vpc, types.VpcAttributeNameEnableDnsHostnames).EnableDnsHostnames.Value {
			t.Error("a new VPC's DNS attributes are not support on, hostnames off")
		}
		must(client.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		if !*attr(vpc, types.VpcAttributeNameEnableDnsHostnames).EnableDnsHostnames.Value {
			t.Error("enableDnsHostnames did not change")
		}
		_, err = client.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc),
			EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}, EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
		wantCode(t, err, "InvalidParameterCombination")
		must(client.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))(t)
		must(client.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc), EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))(t)
		_, err = client.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
		wantCode(t, err, "InvalidParameterValue")

		// Five VPCs per region, the default one included.
		for _, cidr := range []string{"10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"} {
			must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}))(t)
		}
		_, err = client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.4.0.0/16")})
		wantCode(t, err, "VpcLimitExceeded")

		// DeleteVpc waits for the VPC's subnets to go, then takes its defaults with it.
		subnet := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.0/24")}))(t).Subnet
		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "DependencyViolation")
		must(client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: subnet.SubnetId}))(t)
		must(client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)}))(t)
		if n := len(must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byVPC}))(t).SecurityGroups); n != 0 {
			t.Errorf("%d security groups left in the deleted VPC", n)
		}
		if n := len(must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: byVPC}))(t).RouteTables); n != 0 {
			t.Errorf("%d route tables left in the deleted VPC", n)
		}
		_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "InvalidVpcID.NotFound")
	})
}

func TestEC2Subnets(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		sn := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1b"),
			TagSpecifications: nameTag(types.ResourceTypeSubnet, "web"),
		}))(t).Subnet
		if *sn.AvailableIpAddressCount != 251 || *sn.DefaultForAz || *sn.MapPublicIpOnLaunch || *sn.AvailabilityZoneId != "use1-az1" || *sn.Tags[0].Value != "web" {
			t.Errorf("subnet = %+v", sn)
		}
		// With no zone, a subnet goes to the zone with the fewest of the VPC's subnets.
		c.Diverges(t, conformance.Moto, "moto puts a subnet made without a zone in a random zone")
		next := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.2.0/28")}))(t).Subnet
		if *next.AvailabilityZone != "us-east-1a" || *next.AvailableIpAddressCount != 11 {
			t.Errorf("second subnet in %s with %d addresses, want us-east-1a with 11", *next.AvailabilityZone, *next.AvailableIpAddressCount)
		}
		byID := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.3.0/24"), AvailabilityZoneId: aws.String("use1-az2")}))(t).Subnet
		if *byID.AvailabilityZone != "us-east-1c" {
			t.Errorf("use1-az2 is %s, want us-east-1c", *byID.AvailabilityZone)
		}

		for _, tc := range []struct {
			name string
			in   ec2.CreateSubnetInput
			code string
		}{
			{"outside the VPC", ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.1.0.0/24")}, "InvalidSubnet.Range"},
			{"too small", ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.9.0/29")}, "InvalidSubnet.Range"},
			{"overlap", ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.128/25")}, "InvalidSubnet.Conflict"},
			{"bad zone", ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZone: aws.String("us-east-1z")}, "InvalidParameterValue"},
			{"bad block", ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.9.0/33")}, "InvalidParameterValue"},
			{"no VPC", ec2.CreateSubnetInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.0.9.0/24")}, "InvalidVpcID.NotFound"},
			{"no block", ec2.CreateSubnetInput{VpcId: vpc}, "MissingParameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateSubnet(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}

		for _, tc := range []struct {
			name    string
			filters []types.Filter
			want    int
		}{
			{"vpc-id", []types.Filter{filter("vpc-id", *vpc)}, 3},
			{"default-for-az", []types.Filter{filter("default-for-az", "true")}, 6},
			{"availability-zone", []types.Filter{filter("availability-zone", "us-east-1b")}, 2},
			{"cidr-block", []types.Filter{filter("cidr-block", "10.0.1.0/24")}, 1},
			{"subnet-id", []types.Filter{filter("subnet-id", *sn.SubnetId, *next.SubnetId)}, 2},
			{"tag", []types.Filter{filter("tag:Name", "w*")}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: tc.filters}))(t).Subnets
				if len(got) != tc.want {
					t.Errorf("%d subnets, want %d", len(got), tc.want)
				}
			})
		}

		must(client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: sn.SubnetId, MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		got := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*sn.SubnetId}}))(t).Subnets
		if !*got[0].MapPublicIpOnLaunch {
			t.Error("MapPublicIpOnLaunch did not change")
		}

		must(client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sn.SubnetId}))(t)
		_, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*sn.SubnetId}})
		wantCode(t, err, "InvalidSubnetID.NotFound")
		acls := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("association.subnet-id", *sn.SubnetId)}}))(t).NetworkAcls
		if len(acls) != 0 {
			t.Errorf("the deleted subnet is still associated with %d network ACLs", len(acls))
		}
		_, err = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("subnet-xyz")})
		wantCode(t, err, "InvalidSubnetID.Malformed")
	})
}

func TestEC2InternetGateways(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		igw := must(client.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: nameTag(types.ResourceTypeInternetGateway, "gw")}))(t).InternetGateway
		if len(igw.Attachments) != 0 || *igw.Tags[0].Value != "gw" {
			t.Errorf("new gateway = %+v", igw)
		}
		id := igw.InternetGatewayId
		must(client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: id, VpcId: vpc}))(t)
		c.Diverges(t, conformance.Moto, "moto attaches a gateway to the VPC it is attached to again")
		_, err := client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: id, VpcId: vpc})
		wantCode(t, err, "Resource.AlreadyAssociated")
		second := must(client.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
		_, err = client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: second, VpcId: vpc})
		wantCode(t, err, "Resource.AlreadyAssociated")

		attached := must(client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{filter("attachment.vpc-id", *vpc)}}))(t).InternetGateways
		if len(attached) != 1 || *attached[0].InternetGatewayId != *id {
			t.Errorf("gateways attached to the VPC = %+v", attached)
		}
		_, err = client.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: id})
		wantCode(t, err, "DependencyViolation")
		defaultVPC := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("is-default", "true")}}))(t).Vpcs[0].VpcId
		_, err = client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: id, VpcId: defaultVPC})
		wantCode(t, err, "Gateway.NotAttached")
		must(client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: id, VpcId: vpc}))(t)
		must(client.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: id}))(t)
		_, err = client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{*id}})
		wantCode(t, err, "InvalidInternetGatewayID.NotFound")
		_, err = client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: second, VpcId: aws.String("vpc-0123456789abcdef0")})
		wantCode(t, err, "InvalidVpcID.NotFound")
	})
}

func TestEC2RouteTables(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		subnet := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24")}))(t).Subnet.SubnetId
		igw := must(client.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
		rt := must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc}))(t).RouteTable
		if len(rt.Routes) != 1 || *rt.Routes[0].DestinationCidrBlock != "10.0.0.0/16" || len(rt.Associations) != 0 {
			t.Errorf("new route table = %+v", rt)
		}
		table := rt.RouteTableId
		route := &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw}

		c.Diverges(t, conformance.Moto, "moto routes to a gateway not attached to the VPC")
		_, err := client.CreateRoute(ctx, route)
		wantCode(t, err, "InvalidParameterValue") // the gateway is not attached to the VPC
		must(client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw, VpcId: vpc}))(t)
		must(client.CreateRoute(ctx, route))(t)
		_, err = client.CreateRoute(ctx, route)
		wantCode(t, err, "RouteAlreadyExists")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("0.0.0.0/0")})
		wantCode(t, err, "InvalidParameterCombination")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("1.2.3.0/24"), NatGatewayId: aws.String("nat-0123456789abcdef0")})
		wantCode(t, err, "NatGatewayNotFound")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("1.2.3.0/24"), VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")})
		wantCode(t, err, "InvalidVpcPeeringConnectionID.NotFound")
		_, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("1.2.3.0/24"), TransitGatewayId: aws.String("tgw-0123456789abcdef0")})
		wantCode(t, err, "NotImplemented")

		assoc := must(client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: table, SubnetId: subnet}))(t)
		if assoc.AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
			t.Errorf("association = %+v", assoc)
		}
		other := must(client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc}))(t).RouteTable.RouteTableId
		_, err = client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: other, SubnetId: subnet})
		wantCode(t, err, "Resource.AlreadyAssociated")
		found := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.subnet-id", *subnet)}}))(t).RouteTables
		if len(found) != 1 || *found[0].RouteTableId != *table {
			t.Errorf("route tables of the subnet = %+v", found)
		}
		_, err = client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: table})
		wantCode(t, err, "DependencyViolation")

		// A route to a detached gateway is a blackhole.
		must(client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: igw, VpcId: vpc}))(t)
		got := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{*table}}))(t).RouteTables[0]
		if got.Routes[1].State != types.RouteStateBlackhole || got.Routes[0].State != types.RouteStateActive {
			t.Errorf("routes after detaching = %+v", got.Routes)
		}

		_, err = client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("10.0.0.0/16")})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("192.168.0.0/16")})
		wantCode(t, err, "InvalidRoute.NotFound")
		must(client.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: table, DestinationCidrBlock: aws.String("0.0.0.0/0")}))(t)

		main := must(client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", *vpc), filter("association.main", "true")}}))(t).RouteTables
		if len(main) != 1 {
			t.Fatalf("%d main route tables in the VPC", len(main))
		}
		_, err = client.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: main[0].Associations[0].RouteTableAssociationId})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: main[0].RouteTableId})
		wantCode(t, err, "DependencyViolation")
		must(client.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: assoc.AssociationId}))(t)
		_, err = client.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: assoc.AssociationId})
		wantCode(t, err, "InvalidAssociationID.NotFound")
		must(client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: table}))(t)
		_, err = client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{*table}})
		wantCode(t, err, "InvalidRouteTableID.NotFound")
	})
}
