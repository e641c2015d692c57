package ec2sim

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
	"github.com/awsxlab/awsx/sim/internal/core"
)

type vpc struct {
	meta
	CIDR         netcalc.Block
	AssocID      string // its CIDR block's association
	Default      bool
	Tenancy      types.Tenancy
	DNSSupport   bool
	DNSHostnames bool
}

// maxVPCs is the default quota of VPCs per region, the default VPC included.
// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
const maxVPCs = 5

// newVPC makes a VPC with what AWS makes with every VPC: its main route table (with the local
// route), its default network ACL and its default security group.
// https://docs.aws.amazon.com/vpc/latest/userguide/create-vpc.html
func (s *Store) newVPC(r *regionState, block netcalc.Block, isDefault bool, t tags) *vpc {
	v := &vpc{
		meta: r.newMeta(s.id("vpc"), t), CIDR: block, AssocID: s.id("vpc-cidr-assoc"), Default: isDefault,
		Tenancy: types.TenancyDefault, DNSSupport: true, DNSHostnames: isDefault,
	}
	r.VPCs[v.ID] = v
	s.newRouteTable(r, v, true, nil)
	s.newNetworkACL(r, v)
	s.newDefaultGroup(r, v)
	return v
}

// defaultNetwork makes a region's default VPC: 172.31.0.0/16, a default /20 subnet in each
// zone that maps public addresses, an internet gateway attached, and a main route table that
// sends 0.0.0.0/0 to it.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
func (s *Store) defaultNetwork(r *regionState, geo *region) {
	s.newDefaultDHCP(r)
	v := s.newVPC(r, netcalc.DefaultVPC(), true, nil)
	blocks, _ := netcalc.DefaultSubnets(len(geo.Zones)) // every region has 1 to 16 zones
	for i, b := range blocks {
		s.newSubnet(r, v, b, zoneOf(geo, i), true)
	}
	g := s.newGateway(r, nil)
	g.VPC = v.ID
	rt := r.mainRouteTable(v.ID)
	rt.Routes = append(rt.Routes, route{Destination: "0.0.0.0/0", Gateway: g.ID, Origin: types.RouteOriginCreateRoute})
}

// defaultVPC returns the region's default VPC, or nil if it was deleted.
func (r *regionState) defaultVPC() *vpc {
	for _, v := range r.VPCs {
		if v.Default {
			return v
		}
	}
	return nil
}

// noDefaultVPC is EC2's answer to a request that needs the default VPC when there is none.
func noDefaultVPC() error {
	return core.Errorf(VPCIDNotSpecified, "No default VPC for this user")
}

func (s *Store) vpcOut(r *regionState, v *vpc) types.Vpc {
	out := types.Vpc{
		VpcId: aws.String(v.ID), CidrBlock: aws.String(v.CIDR.String()), State: types.VpcStateAvailable,
		IsDefault: aws.Bool(v.Default), OwnerId: aws.String(s.account), InstanceTenancy: v.Tenancy,
		DhcpOptionsId: aws.String(r.dhcpOf(v.ID)), Tags: v.Tags.out(),
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{{
			AssociationId: aws.String(v.AssocID), CidrBlock: aws.String(v.CIDR.String()),
			CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated},
		}},
	}
	r.blocksOut(v, &out)
	return out
}

// CreateVpc checks the block with AWS's rules (netcalc.ValidateVPC).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
func (h *EC2) CreateVpc(ctx context.Context, in *ec2.CreateVpcInput) (*ec2.CreateVpcOutput, error) {
	if in.CidrBlock == nil {
		return nil, missingParameter("cidrBlock")
	}
	block, err := netcalc.ParseMasked(*in.CidrBlock)
	if err != nil || !block.Is4() {
		return nil, invalidValue("cidrBlock", *in.CidrBlock, "This is not a valid CIDR block.")
	}
	var rerr *netcalc.RuleError
	if err := netcalc.ValidateVPC(block); errors.As(err, &rerr) {
		return nil, core.Errorf(InvalidVpcRange, "The CIDR '%s' is invalid.", *in.CidrBlock)
	}
	tenancy := types.TenancyDefault
	switch in.InstanceTenancy {
	case "", types.TenancyDefault:
	case types.TenancyDedicated:
		tenancy = types.TenancyDedicated
	default:
		return nil, invalidValue("instanceTenancy", string(in.InstanceTenancy), "Valid values are default and dedicated.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeVpc)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateVpcOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		if len(r.VPCs) >= maxVPCs {
			return core.Errorf(VpcLimitExceeded, "The maximum number of VPCs has been reached.")
		}
		v := s.newVPC(r, block, false, t)
		v.Tenancy = tenancy
		if aws.ToBool(in.AmazonProvidedIpv6CidrBlock) {
			if _, err := s.addIPv6(r, v); err != nil {
				return err
			}
		}
		o := s.vpcOut(r, v)
		// AWS answers a new VPC as pending, and describes it as available moments later; the
		// simulator's VPCs are available from the next request on.
		// https://docs.aws.amazon.com/cli/latest/reference/ec2/create-vpc.html#examples
		o.State = types.VpcStatePending
		out.Vpc = &o
		return nil
	})
}

var vpcFields = fields[types.Vpc]{
	"vpc-id": func(v types.Vpc) []string { return one(*v.VpcId) },
	"cidr":   func(v types.Vpc) []string { return one(*v.CidrBlock) },
	"cidr-block-association.cidr-block": func(v types.Vpc) []string {
		return cidrValues(v, func(a types.VpcCidrBlockAssociation) *string { return a.CidrBlock })
	},
	"cidr-block-association.association-id": func(v types.Vpc) []string {
		return cidrValues(v, func(a types.VpcCidrBlockAssociation) *string { return a.AssociationId })
	},
	"cidr-block-association.state": func(v types.Vpc) []string {
		return cidrValues(v, func(types.VpcCidrBlockAssociation) *string { return aws.String("associated") })
	},
	"ipv6-cidr-block-association.ipv6-cidr-block": func(v types.Vpc) []string {
		return cidr6Values(v, func(a types.VpcIpv6CidrBlockAssociation) *string { return a.Ipv6CidrBlock })
	},
	"ipv6-cidr-block-association.association-id": func(v types.Vpc) []string {
		return cidr6Values(v, func(a types.VpcIpv6CidrBlockAssociation) *string { return a.AssociationId })
	},
	"ipv6-cidr-block-association.ipv6-pool": func(v types.Vpc) []string {
		return cidr6Values(v, func(a types.VpcIpv6CidrBlockAssociation) *string { return a.Ipv6Pool })
	},
	"ipv6-cidr-block-association.state": func(v types.Vpc) []string {
		return cidr6Values(v, func(types.VpcIpv6CidrBlockAssociation) *string { return aws.String("associated") })
	},
	"is-default":       func(v types.Vpc) []string { return boolValue(*v.IsDefault) },
	"state":            func(v types.Vpc) []string { return one(string(v.State)) },
	"instance-tenancy": func(v types.Vpc) []string { return one(string(v.InstanceTenancy)) },
	"owner-id":         func(v types.Vpc) []string { return one(*v.OwnerId) },
	"dhcp-options-id":  func(v types.Vpc) []string { return one(*v.DhcpOptionsId) },
}

// DescribeVpcs lists the region's VPCs.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html
func (h *EC2) DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput) (*ec2.DescribeVpcsOutput, error) {
	s := h.s
	out := &ec2.DescribeVpcsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		vs, err := pick(vpcKind, r.VPCs, in.VpcIds)
		if err != nil {
			return err
		}
		all := make([]types.Vpc, len(vs))
		for i, v := range vs {
			all[i] = s.vpcOut(r, v)
		}
		out.Vpcs, out.NextToken, err = describe(all, in.Filters, vpcFields, func(v types.Vpc) []types.Tag { return v.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteVpc refuses while the VPC has subnets, an internet gateway, security groups or route
// tables of its own; its main route table, default network ACL and default security group go
// with it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html
func (h *EC2) DeleteVpc(ctx context.Context, in *ec2.DeleteVpcInput) (*ec2.DeleteVpcOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	return &ec2.DeleteVpcOutput{}, h.s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		if r.vpcInUse(v.ID) {
			return core.Errorf(DependencyViolation, "The vpc '%s' has dependencies and cannot be deleted.", v.ID)
		}
		for id, rt := range r.RouteTables {
			if rt.VPC == v.ID {
				delete(r.RouteTables, id)
			}
		}
		for id, a := range r.ACLs {
			if a.VPC == v.ID {
				delete(r.ACLs, id)
			}
		}
		for _, g := range r.Groups {
			if g.VPC == v.ID {
				r.removeGroup(g)
			}
		}
		delete(r.VPCs, v.ID)
		h.s.forgetVPC(r, v.ID)
		return nil
	})
}

// vpcInUse reports whether anything the user made remains in the VPC.
func (r *regionState) vpcInUse(id string) bool {
	for _, sn := range r.Subnets {
		if sn.VPC == id {
			return true
		}
	}
	for _, g := range r.Gateways {
		if g.VPC == id {
			return true
		}
	}
	for _, rt := range r.RouteTables {
		if rt.VPC == id && !rt.Main {
			return true
		}
	}
	for _, g := range r.Groups {
		if g.VPC == id && g.Name != defaultGroupName {
			return true
		}
	}
	for _, i := range r.Instances {
		if i.VPC == id {
			return true
		}
	}
	for _, a := range r.ACLs {
		if a.VPC == id && a.Custom {
			return true
		}
	}
	for _, n := range r.NATs {
		if n.VPC == id && n.Deleted.IsZero() {
			return true
		}
	}
	return r.vpcNetInUse(id)
}

// vpcAttributes are the VPC attributes the simulator keeps, by the name DescribeVpcAttribute
// takes.
var vpcAttributes = map[types.VpcAttributeName]func(*vpc) *bool{
	types.VpcAttributeNameEnableDnsSupport:   func(v *vpc) *bool { return &v.DNSSupport },
	types.VpcAttributeNameEnableDnsHostnames: func(v *vpc) *bool { return &v.DNSHostnames },
}

// ModifyVpcAttribute changes one DNS attribute per request; DNS hostnames need DNS support.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcAttribute.html
func (h *EC2) ModifyVpcAttribute(ctx context.Context, in *ec2.ModifyVpcAttributeInput) (*ec2.ModifyVpcAttributeOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	var name types.VpcAttributeName
	var value *types.AttributeBooleanValue
	for n, v := range map[types.VpcAttributeName]*types.AttributeBooleanValue{
		types.VpcAttributeNameEnableDnsSupport:   in.EnableDnsSupport,
		types.VpcAttributeNameEnableDnsHostnames: in.EnableDnsHostnames,
	} {
		if v == nil {
			continue
		}
		if value != nil {
			return nil, core.Errorf(InvalidParameterCombination, "Only one attribute can be modified at a time")
		}
		name, value = n, v
	}
	if value == nil || value.Value == nil {
		if in.EnableNetworkAddressUsageMetrics != nil {
			return nil, core.Errorf(core.NotImplemented, "The simulator does not keep the VPC attribute enableNetworkAddressUsageMetrics.")
		}
		return nil, core.Errorf(InvalidParameterCombination, "No attributes specified.")
	}
	return &ec2.ModifyVpcAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		if name == types.VpcAttributeNameEnableDnsHostnames && *value.Value && !v.DNSSupport {
			return core.Errorf(InvalidParameterValue, "Cannot enable DNS hostnames: DNS resolution is disabled for the VPC %s.", v.ID)
		}
		*vpcAttributes[name](v) = *value.Value
		return nil
	})
}

// DescribeVpcAttribute answers one attribute.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html
func (h *EC2) DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput) (*ec2.DescribeVpcAttributeOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	if in.Attribute == "" {
		return nil, missingParameter("attribute")
	}
	get, ok := vpcAttributes[in.Attribute]
	if !ok {
		return nil, invalidValue("attribute", string(in.Attribute), "Valid values are enableDnsSupport and enableDnsHostnames.")
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: in.VpcId}
	return out, h.s.read(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		value := &types.AttributeBooleanValue{Value: aws.Bool(*get(v))}
		if in.Attribute == types.VpcAttributeNameEnableDnsSupport {
			out.EnableDnsSupport = value
		} else {
			out.EnableDnsHostnames = value
		}
		return nil
	})
}
