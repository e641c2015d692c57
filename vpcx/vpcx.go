// Package vpcx builds the network of the course's VPC lessons in one call over aws-sdk-go-v2:
// a VPC whose range is carved into a public and a private subnet in each of several
// Availability Zones, an internet gateway, and the route table that makes the public subnets
// public; with Options.NAT, a NAT gateway that lets the private subnets reach out (the bastion
// pattern: log in to an instance in a public subnet, and from it to the private ones); and
// takes such a network apart in the order AWS requires, NAT gateways and their Elastic IPs
// included.
//
// Each function takes an aws.Config, so it runs the same against the simulator (package
// sim) and against AWS. The address arithmetic is package netcalc's.
//
// # Concurrency
//
// The functions are safe to call from several goroutines; EC2 itself is the shared state.
package vpcx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
)

// Options tunes [Create].
type Options struct {
	// Zones is how many Availability Zones the network spans, the region's first ones; 2 by
	// default.
	Zones int
	// SubnetBits is the prefix length of every subnet; by default 8 bits longer than the
	// VPC's, at most /28 (a /16 gets /24s).
	SubnetBits int
	// NoPrivate leaves out the private subnets.
	NoPrivate bool
	// NAT gives the private subnets a way out to the internet: a NAT gateway in the first
	// zone's public subnet with an Elastic IP of its own, and a route table for the private
	// subnets that sends 0.0.0.0/0 to it; Create waits until it is available (NATWait, 5
	// minutes by default). On AWS a NAT gateway costs by the hour and by the GB it carries,
	// and its Elastic IP by the hour: Delete takes both away.
	NAT     bool
	NATWait time.Duration
	// Poll is how long the waits for NAT gateways sleep before they first ask again (then up
	// to three times as long): 5 seconds by default. Against the simulator in a test, a few
	// milliseconds. Delete reads it too.
	Poll time.Duration
}

// VPC is a network [Create] made.
type VPC struct {
	ID                 string
	CIDR               string
	InternetGatewayID  string
	PublicRouteTableID string
	// With Options.NAT: the NAT gateway, its Elastic IP and the private subnets' route table.
	NATGatewayID, NATAllocationID, PrivateRouteTableID string
	// Public and Private hold one subnet per zone, in the zones' order.
	Public, Private []Subnet
}

// Subnet is one subnet of a [VPC].
type Subnet struct {
	ID, CIDR, Zone string
}

// Create makes the VPC name with the range cidr: a public subnet (its instances get public
// addresses, and its route table sends 0.0.0.0/0 to the VPC's internet gateway) and a
// private one in each zone, every resource tagged Name. The subnets are carved from the
// start of the range, the public ones first. If a step fails, what was made is taken apart
// again.
func Create(ctx context.Context, cfg aws.Config, name, cidr string, optFns ...func(*Options)) (*VPC, error) {
	o := options(optFns)
	v, err := create(ctx, ec2.NewFromConfig(cfg), name, cidr, o)
	if err != nil {
		return nil, fmt.Errorf("vpcx: create %q: %w", name, err)
	}
	return v, nil
}

// options are the defaults with optFns applied.
func options(optFns []func(*Options)) Options {
	o := Options{Zones: 2, NATWait: 5 * time.Minute, Poll: 5 * time.Second}
	for _, f := range optFns {
		f(&o)
	}
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	return o
}

func create(ctx context.Context, client *ec2.Client, name, cidr string, o Options) (v *VPC, err error) {
	block, err := netcalc.Parse(cidr)
	if err != nil {
		return nil, err
	}
	if err := netcalc.ValidateVPC(block); err != nil {
		return nil, err
	}
	if o.NAT && o.NoPrivate {
		return nil, errors.New("a NAT gateway is for private subnets, and NoPrivate leaves them out")
	}
	if o.Zones < 1 {
		return nil, fmt.Errorf("Zones is %d; a network needs at least one zone", o.Zones)
	}
	bits := o.SubnetBits
	if bits == 0 {
		bits = min(block.Bits()+8, 28)
	}
	perZone := 2
	if o.NoPrivate {
		perZone = 1
	}
	blocks, err := block.Subnets(bits)
	if err != nil {
		return nil, err
	}
	if len(blocks) < perZone*o.Zones {
		return nil, fmt.Errorf("%s holds %d subnets of /%d; %d zones need %d", cidr, len(blocks), bits, o.Zones, perZone*o.Zones)
	}
	zones, err := availableZones(ctx, client, o.Zones)
	if err != nil {
		return nil, err
	}

	vpcOut, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: named(types.ResourceTypeVpc, name)})
	if err != nil {
		return nil, err
	}
	v = &VPC{ID: aws.ToString(vpcOut.Vpc.VpcId), CIDR: cidr}
	defer func() {
		if err != nil {
			err = errors.Join(err, deleteVPC(context.WithoutCancel(ctx), client, v.ID, o.Poll))
			v = nil
		}
	}()
	igw, err := client.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: named(types.ResourceTypeInternetGateway, name)})
	if err != nil {
		return v, err
	}
	v.InternetGatewayID = aws.ToString(igw.InternetGateway.InternetGatewayId)
	if _, err = client.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &v.InternetGatewayID, VpcId: &v.ID}); err != nil {
		return v, err
	}
	rt, err := client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &v.ID, TagSpecifications: named(types.ResourceTypeRouteTable, name+"-public")})
	if err != nil {
		return v, err
	}
	v.PublicRouteTableID = aws.ToString(rt.RouteTable.RouteTableId)
	if _, err = client.CreateRoute(ctx, &ec2.CreateRouteInput{
		RouteTableId: &v.PublicRouteTableID, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &v.InternetGatewayID,
	}); err != nil {
		return v, err
	}
	for i, zone := range zones {
		public, err := subnet(ctx, client, v.ID, blocks[i], zone, name+"-public-"+zone)
		if err != nil {
			return v, err
		}
		v.Public = append(v.Public, public)
		if _, err = client.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{
			SubnetId: &public.ID, MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)},
		}); err != nil {
			return v, err
		}
		if _, err = client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &v.PublicRouteTableID, SubnetId: &public.ID}); err != nil {
			return v, err
		}
		if o.NoPrivate {
			continue
		}
		private, err := subnet(ctx, client, v.ID, blocks[o.Zones+i], zone, name+"-private-"+zone)
		if err != nil {
			return v, err
		}
		v.Private = append(v.Private, private)
	}
	if o.NAT {
		if err = nat(ctx, client, v, name, o); err != nil {
			return v, err
		}
	}
	return v, nil
}

// nat makes v's NAT gateway in its first public subnet, with an Elastic IP, and the private
// subnets' route table through it, and waits until the gateway is available.
func nat(ctx context.Context, client *ec2.Client, v *VPC, name string, o Options) error {
	eip, err := client.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: named(types.ResourceTypeElasticIp, name+"-nat")})
	if err != nil {
		return err
	}
	v.NATAllocationID = aws.ToString(eip.AllocationId)
	gw, err := client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: &v.Public[0].ID, AllocationId: eip.AllocationId,
		TagSpecifications: named(types.ResourceTypeNatgateway, name)})
	if err != nil {
		return err
	}
	v.NATGatewayID = aws.ToString(gw.NatGateway.NatGatewayId)
	if err := ec2.NewNatGatewayAvailableWaiter(client, func(w *ec2.NatGatewayAvailableWaiterOptions) {
		w.MinDelay, w.MaxDelay = o.Poll, 3*o.Poll // a NAT gateway is up within a few minutes
	}).Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{v.NATGatewayID}}, o.NATWait); err != nil {
		return fmt.Errorf("waiting for NAT gateway %s: %w", v.NATGatewayID, err)
	}
	rt, err := client.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &v.ID, TagSpecifications: named(types.ResourceTypeRouteTable, name+"-private")})
	if err != nil {
		return err
	}
	v.PrivateRouteTableID = aws.ToString(rt.RouteTable.RouteTableId)
	if _, err := client.CreateRoute(ctx, &ec2.CreateRouteInput{
		RouteTableId: &v.PrivateRouteTableID, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: &v.NATGatewayID,
	}); err != nil {
		return err
	}
	for _, p := range v.Private {
		if _, err := client.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &v.PrivateRouteTableID, SubnetId: &p.ID}); err != nil {
			return err
		}
	}
	return nil
}

func subnet(ctx context.Context, client *ec2.Client, vpc string, b netcalc.Block, zone, name string) (Subnet, error) {
	out, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: &vpc, CidrBlock: aws.String(b.String()), AvailabilityZone: &zone, TagSpecifications: named(types.ResourceTypeSubnet, name),
	})
	if err != nil {
		return Subnet{}, err
	}
	return Subnet{ID: aws.ToString(out.Subnet.SubnetId), CIDR: b.String(), Zone: zone}, nil
}

// availableZones returns the first n available zones of the config's region.
func availableZones(ctx context.Context, client *ec2.Client, n int) ([]string, error) {
	out, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []types.Filter{{Name: aws.String("state"), Values: []string{"available"}}, {Name: aws.String("zone-type"), Values: []string{"availability-zone"}}},
	})
	if err != nil {
		return nil, err
	}
	if len(out.AvailabilityZones) < n {
		return nil, fmt.Errorf("the region has %d available zones, not %d", len(out.AvailabilityZones), n)
	}
	var zones []string
	for _, z := range out.AvailabilityZones[:n] {
		zones = append(zones, aws.ToString(z.ZoneName))
	}
	return zones, nil
}

func named(rt types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: rt, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

// Delete takes the VPC called id apart in the order AWS requires: its NAT gateways (deleted,
// waited for, their Elastic IPs released), its VPC endpoints, its pending and active peering
// connections and its egress-only internet gateways, its internet gateways (detached, then
// deleted), its subnets, its route tables other than the main one, its
// security groups other than the default one, then the VPC. Instances still in it make AWS
// refuse (DependencyViolation): terminate them first. Of the options, it reads Poll.
func Delete(ctx context.Context, cfg aws.Config, id string, optFns ...func(*Options)) error {
	if err := deleteVPC(ctx, ec2.NewFromConfig(cfg), id, options(optFns).Poll); err != nil {
		return fmt.Errorf("vpcx: delete %q: %w", id, err)
	}
	return nil
}

func deleteVPC(ctx context.Context, client *ec2.Client, id string, poll time.Duration) error {
	inVPC := []types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}
	if err := deleteNATs(ctx, client, id, poll); err != nil {
		return err
	}
	if err := deleteNetDependents(ctx, client, id); err != nil {
		return err
	}
	igws, err := client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{
		Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{id}}},
	})
	if err != nil {
		return err
	}
	for _, g := range igws.InternetGateways {
		if _, err := client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: g.InternetGatewayId, VpcId: &id}); err != nil {
			return err
		}
		if _, err := client.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: g.InternetGatewayId}); err != nil {
			return err
		}
	}
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, s := range subnets.Subnets {
		if _, err := client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: s.SubnetId}); err != nil {
			return err
		}
	}
	tables, err := client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, t := range tables.RouteTables {
		if isMain(t) {
			continue
		}
		if _, err := client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: t.RouteTableId}); err != nil {
			return err
		}
	}
	groups, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, g := range groups.SecurityGroups {
		if aws.ToString(g.GroupName) == "default" {
			continue
		}
		if _, err := client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: g.GroupId}); err != nil {
			return err
		}
	}
	_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &id})
	return err
}

// deleteNetDependents deletes what else of the VPC id stops its deletion or outlives it: its
// endpoints (and their routes), its peering connections that are pending or active, and its
// egress-only internet gateways.
func deleteNetDependents(ctx context.Context, client *ec2.Client, id string) error {
	endpoints, err := client.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}})
	if err != nil {
		return err
	}
	var ids []string
	for _, e := range endpoints.VpcEndpoints {
		ids = append(ids, aws.ToString(e.VpcEndpointId))
	}
	if len(ids) > 0 {
		out, err := client.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: ids})
		if err != nil {
			return err
		}
		if len(out.Unsuccessful) > 0 {
			u := out.Unsuccessful[0]
			return fmt.Errorf("endpoint %s: %s", aws.ToString(u.ResourceId), aws.ToString(u.Error.Message))
		}
	}
	live := types.Filter{Name: aws.String("status-code"), Values: []string{"pending-acceptance", "active"}}
	for _, side := range []string{"requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"} {
		peerings, err := client.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{{Name: aws.String(side), Values: []string{id}}, live}})
		if err != nil {
			return err
		}
		for _, p := range peerings.VpcPeeringConnections {
			if _, err := client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: p.VpcPeeringConnectionId}); err != nil {
				return err
			}
		}
	}
	// DescribeEgressOnlyInternetGateways filters by tags only.
	p := ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(client, &ec2.DescribeEgressOnlyInternetGatewaysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, g := range page.EgressOnlyInternetGateways {
			for _, a := range g.Attachments {
				if aws.ToString(a.VpcId) != id {
					continue
				}
				if _, err := client.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: g.EgressOnlyInternetGatewayId}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// isMain reports whether t is its VPC's main route table, which goes with the VPC.
func isMain(t types.RouteTable) bool {
	for _, a := range t.Associations {
		if aws.ToBool(a.Main) {
			return true
		}
	}
	return false
}

// deleteNATs deletes the NAT gateways of the VPC id that are not deleted already, waits until
// they are, and releases their Elastic IPs, which would go on costing.
func deleteNATs(ctx context.Context, client *ec2.Client, id string, poll time.Duration) error {
	out, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("state"), Values: []string{"pending", "available", "deleting"}},
	}})
	if err != nil {
		return err
	}
	var ids, allocations []string
	for _, g := range out.NatGateways {
		ids = append(ids, aws.ToString(g.NatGatewayId))
		for _, a := range g.NatGatewayAddresses {
			if a.AllocationId != nil {
				allocations = append(allocations, aws.ToString(a.AllocationId))
			}
		}
		if g.State != types.NatGatewayStateDeleting {
			if _, err := client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: g.NatGatewayId}); err != nil {
				return err
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := ec2.NewNatGatewayDeletedWaiter(client, func(w *ec2.NatGatewayDeletedWaiterOptions) {
		w.MinDelay, w.MaxDelay = poll, 3*poll
	}).Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: ids}, 10*time.Minute); err != nil {
		return fmt.Errorf("waiting for NAT gateways %v to go: %w", ids, err)
	}
	for _, a := range allocations {
		if _, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &a}); err != nil {
			return err
		}
	}
	return nil
}
