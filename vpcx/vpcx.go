// Package vpcx builds the networks of the course's VPC lessons in one call over
// aws-sdk-go-v2, and takes them down again.
//
// # A public and a private network
//
// [Create] makes a VPC whose range is carved into a public and a private subnet in each of
// several Availability Zones, an internet gateway, and the route table that makes the
// public subnets public; with [Options.NAT], a NAT gateway that lets the private subnets
// reach out to the internet while the internet cannot reach in.
//
// # The bastion pattern
//
// [CreateBastion] puts one host in a public subnet that lets SSH in from your address only
// (the "My IP" rule), and a security group for the private instances that lets SSH in from
// the bastion's group only: you log in to the bastion and from it to the private instances
// ([Bastion.SSHCommand]).
//
// # Taking it down
//
// [Delete] finds everything that keeps AWS from deleting a VPC — instances, VPC endpoints,
// NAT gateways and their Elastic IPs, network interfaces, gateways, subnets, route tables,
// network ACLs, security groups that name one another — and deletes it in the order AWS
// requires. It is safe to run again.
//
// Each function takes an aws.Config, so it runs the same against the simulator (package
// sim, whose configs the examples use) and against AWS. The address arithmetic is package
// netcalc's; the instances and security groups are package ec2x's. A Create or a
// CreateBastion that fails takes down what it made.
//
// # Costs on AWS
//
// A VPC, its subnets, route tables, gateways and security groups are free. A NAT gateway
// costs by the hour and by the GB it carries, and its Elastic IP by the hour, whatever the
// traffic: the one part of these networks that costs money standing idle. The bastion
// costs what its instance costs while it runs.
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
