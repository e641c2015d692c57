package ec2sim

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// vpcBlock is a CIDR block associated with a VPC after its primary one: a secondary IPv4
// block, or an Amazon-provided IPv6 /56.
type vpcBlock struct {
	AssocID string
	CIDR    netcalc.Block
}

// cidrState is a region's VPC blocks besides the primary ones.
type cidrState struct {
	VPCBlocks map[string][]vpcBlock `json:",omitempty"` // by VPC, in association order
	IPv6Seq   int                   `json:",omitempty"` // the last Amazon-provided /56 handed out
}

// The quotas of a VPC's blocks: five IPv4 blocks (the primary one included), one IPv6 block
// from Amazon's pool.
// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
const (
	maxVPCBlocks4 = 5
	maxVPCBlocks6 = 1
)

// blocks returns the VPC's blocks: its primary one first, then the others in association
// order.
func (r *regionState) blocks(v *vpc) []netcalc.Block {
	out := []netcalc.Block{v.CIDR}
	for _, b := range r.VPCBlocks[v.ID] {
		out = append(out, b.CIDR)
	}
	return out
}

// blocks4 returns the VPC's IPv4 blocks, the primary one first.
func (r *regionState) blocks4(v *vpc) []netcalc.Block {
	return slices.DeleteFunc(r.blocks(v), func(b netcalc.Block) bool { return !b.Is4() })
}

// ipv6Block returns the VPC's IPv6 block, or the zero Block.
func (r *regionState) ipv6Block(vpcID string) netcalc.Block {
	for _, b := range r.VPCBlocks[vpcID] {
		if !b.CIDR.Is4() {
			return b.CIDR
		}
	}
	return netcalc.Block{}
}

// localRoutes are the local routes of a route table of v: one for each of its blocks.
// https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-routes
func (r *regionState) localRoutes(v *vpc) []route {
	var out []route
	for _, b := range r.blocks(v) {
		out = append(out, route{Destination: b.String(), Gateway: "local", Origin: types.RouteOriginCreateRouteTable})
	}
	return out
}

// blocksOut adds the VPC's other blocks to its description.
func (r *regionState) blocksOut(v *vpc, out *types.Vpc) {
	for _, b := range r.VPCBlocks[v.ID] {
		if b.CIDR.Is4() {
			out.CidrBlockAssociationSet = append(out.CidrBlockAssociationSet, cidr4Out(b, types.VpcCidrBlockStateCodeAssociated))
		} else {
			out.Ipv6CidrBlockAssociationSet = append(out.Ipv6CidrBlockAssociationSet, r.cidr6Out(b, types.VpcCidrBlockStateCodeAssociated))
		}
	}
}

func cidr4Out(b vpcBlock, state types.VpcCidrBlockStateCode) types.VpcCidrBlockAssociation {
	return types.VpcCidrBlockAssociation{AssociationId: aws.String(b.AssocID), CidrBlock: aws.String(b.CIDR.String()),
		CidrBlockState: &types.VpcCidrBlockState{State: state}}
}

func (r *regionState) cidr6Out(b vpcBlock, state types.VpcCidrBlockStateCode) types.VpcIpv6CidrBlockAssociation {
	return types.VpcIpv6CidrBlockAssociation{AssociationId: aws.String(b.AssocID), Ipv6CidrBlock: aws.String(b.CIDR.String()),
		Ipv6CidrBlockState: &types.VpcCidrBlockState{State: state}, Ipv6Pool: aws.String("Amazon"), NetworkBorderGroup: aws.String(r.Name),
		IpSource: types.IpSourceAmazon, Ipv6AddressAttribute: types.Ipv6AddressAttributePublic}
}

// associateBlock adds block to v, with its local route in each of v's route tables.
func (s *Store) associateBlock(r *regionState, v *vpc, block netcalc.Block) vpcBlock {
	b := vpcBlock{AssocID: s.id("vpc-cidr-assoc"), CIDR: block}
	if r.VPCBlocks == nil {
		r.VPCBlocks = map[string][]vpcBlock{}
	}
	r.VPCBlocks[v.ID] = append(r.VPCBlocks[v.ID], b)
	for _, rt := range inOrder(r.RouteTables) {
		if rt.VPC == v.ID {
			rt.Routes = append(rt.Routes, route{Destination: block.String(), Gateway: "local", Origin: types.RouteOriginCreateRouteTable})
		}
	}
	return b
}

// amazonIPv6 returns the next /56 of Amazon's pool for the account in the region: AWS hands
// out /56s from its own 2600:1f00::/24 space, one region's /32 each. The simulator's are
// deterministic: the region picks the /32, the account the next 16 bits, a counter the 8
// after.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#vpc-sizing-ipv6
func (s *Store) amazonIPv6(r *regionState) (netcalc.Block, error) {
	h := fnv.New32a()
	h.Write([]byte(r.Name))
	region := 0x1f00 | h.Sum32()&0xff
	h.Write([]byte(s.account))
	account := h.Sum32() & 0xffff
	for range 256 {
		r.IPv6Seq = (r.IPv6Seq + 1) % 256
		b := netcalc.MustParse(fmt.Sprintf("2600:%x:%x:%x00::/56", region, account, r.IPv6Seq))
		taken := false
		for _, bs := range r.VPCBlocks {
			taken = taken || slices.ContainsFunc(bs, func(o vpcBlock) bool { return o.CIDR == b })
		}
		if !taken {
			return b, nil
		}
	}
	return netcalc.Block{}, core.Errorf(InsufficientCidrBlocks, "There are not enough free IPv6 CIDR blocks in the Amazon pool to satisfy the request.")
}

// addIPv6 associates an Amazon-provided /56 with v, and gives its default security group the
// rule that lets all IPv6 traffic out, as AWS does.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
func (s *Store) addIPv6(r *regionState, v *vpc) (vpcBlock, error) {
	if r.ipv6Block(v.ID).IsValid() {
		return vpcBlock{}, core.Errorf(CidrLimitExceeded, "This network '%s' has met its maximum number of allowed CIDRs: %d", v.ID, maxVPCBlocks6)
	}
	block, err := s.amazonIPv6(r)
	if err != nil {
		return vpcBlock{}, err
	}
	b := s.associateBlock(r, v, block)
	if g := r.groupNamed(v.ID, defaultGroupName); g != nil && !slices.ContainsFunc(g.Rules, func(rl *sgRule) bool { return rl.Egress && rl.Peer.CIDRv6 == "::/0" && rl.Protocol == "-1" }) {
		g.Rules = append(g.Rules, &sgRule{meta: r.newMeta(s.id("sgr"), nil), Egress: true, Protocol: "-1", From: -1, To: -1, Peer: peer{CIDRv6: "::/0"}})
	}
	return b, nil
}

// AssociateVpcCidrBlock adds a block to a VPC: an IPv4 block with AWS's rules
// (netcalc.ValidateVPCBlock: /16 to /28, no overlap, the ranges the primary block allows; five
// in all), or an Amazon-provided IPv6 /56 (one). Each gets its local route in every route table
// of the VPC. Blocks from IPAM pools or one's own IPv6 addresses are not simulated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateVpcCidrBlock.html
func (h *EC2) AssociateVpcCidrBlock(ctx context.Context, in *ec2.AssociateVpcCidrBlockInput) (*ec2.AssociateVpcCidrBlockOutput, error) {
	switch {
	case in.VpcId == nil:
		return nil, missingParameter("vpcId")
	case in.Ipv4IpamPoolId != nil || in.Ipv6IpamPoolId != nil || in.Ipv6Pool != nil || in.Ipv6CidrBlock != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator associates IPv4 blocks (CidrBlock) and Amazon-provided IPv6 blocks only: IPAM and BYOIP pools are not simulated.")
	case in.CidrBlock != nil && aws.ToBool(in.AmazonProvidedIpv6CidrBlock):
		return nil, core.Errorf(InvalidParameterCombination, "The parameter cidrBlock cannot be used with the parameter amazonProvidedIpv6CidrBlock")
	case in.CidrBlock == nil && !aws.ToBool(in.AmazonProvidedIpv6CidrBlock):
		return nil, core.Errorf(MissingParameter, "Either cidrBlock or amazonProvidedIpv6CidrBlock must be specified.")
	case in.Ipv6CidrBlockNetworkBorderGroup != nil && *in.Ipv6CidrBlockNetworkBorderGroup != core.RegionFrom(ctx):
		return nil, invalidValue("ipv6CidrBlockNetworkBorderGroup", *in.Ipv6CidrBlockNetworkBorderGroup, "The simulator's network border group is the region.")
	}
	var block netcalc.Block
	if in.CidrBlock != nil {
		var err error
		if block, err = netcalc.ParseMasked(*in.CidrBlock); err != nil || !block.Is4() {
			return nil, invalidValue("cidrBlock", *in.CidrBlock, "This is not a valid CIDR block.")
		}
	}
	s := h.s
	out := &ec2.AssociateVpcCidrBlockOutput{VpcId: in.VpcId}
	return out, s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		if !block.IsValid() {
			b, err := s.addIPv6(r, v)
			if err != nil {
				return err
			}
			o := r.cidr6Out(b, types.VpcCidrBlockStateCodeAssociating)
			out.Ipv6CidrBlockAssociation = &o
			return nil
		}
		have := r.blocks4(v)
		if len(have) >= maxVPCBlocks4 {
			return core.Errorf(CidrLimitExceeded, "This network '%s' has met its maximum number of allowed CIDRs: %d", v.ID, maxVPCBlocks4)
		}
		var rerr *netcalc.RuleError
		if err := netcalc.ValidateVPCBlock(have, block); errors.As(err, &rerr) {
			switch rerr.Rule {
			case netcalc.RuleVPCRange:
				return core.Errorf(InvalidVpcRange, "The CIDR '%s' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.", *in.CidrBlock)
			case netcalc.RuleVPCOverlap:
				return core.Errorf(InvalidVpcRange, "The CIDR '%s' conflicts with the CIDR %s of the VPC %s.", *in.CidrBlock, rerr.Conflict, v.ID)
			}
			return core.Errorf(InvalidVpcRange, "The CIDR '%s' is invalid.", *in.CidrBlock)
		} else if err != nil {
			return core.Errorf(core.InternalError, "%v", err)
		}
		o := cidr4Out(s.associateBlock(r, v, block), types.VpcCidrBlockStateCodeAssociating)
		out.CidrBlockAssociation = &o
		return nil
	})
}

// DisassociateVpcCidrBlock takes a block other than the primary one from its VPC, with its
// local routes; refused while a subnet is in it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateVpcCidrBlock.html
func (h *EC2) DisassociateVpcCidrBlock(ctx context.Context, in *ec2.DisassociateVpcCidrBlockInput) (*ec2.DisassociateVpcCidrBlockOutput, error) {
	if in.AssociationId == nil {
		return nil, missingParameter("associationId")
	}
	id := *in.AssociationId
	if !strings.HasPrefix(id, "vpc-cidr-assoc-") {
		return nil, core.Errorf(InvalidVpcCidrBlockAssociationIDMalformed, "Invalid id: \"%s\" (expecting \"vpc-cidr-assoc-...\")", id)
	}
	out := &ec2.DisassociateVpcCidrBlockOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		for _, v := range inOrder(r.VPCs) {
			if v.AssocID == id {
				return core.Errorf(OperationNotPermitted, "The vpc CIDR block with association ID %s may not be disassociated. It is the primary IPv4 CIDR block of the VPC", id)
			}
			i := slices.IndexFunc(r.VPCBlocks[v.ID], func(b vpcBlock) bool { return b.AssocID == id })
			if i < 0 {
				continue
			}
			b := r.VPCBlocks[v.ID][i]
			if err := r.blockInUse(v, b.CIDR); err != nil {
				return err
			}
			r.VPCBlocks[v.ID] = slices.Delete(r.VPCBlocks[v.ID], i, i+1)
			for _, rt := range r.RouteTables {
				if rt.VPC == v.ID {
					rt.Routes = slices.DeleteFunc(rt.Routes, func(rte route) bool { return rte.Gateway == "local" && rte.Destination == b.CIDR.String() })
				}
			}
			out.VpcId = aws.String(v.ID)
			if b.CIDR.Is4() {
				o := cidr4Out(b, types.VpcCidrBlockStateCodeDisassociating)
				out.CidrBlockAssociation = &o
			} else {
				o := r.cidr6Out(b, types.VpcCidrBlockStateCodeDisassociating)
				out.Ipv6CidrBlockAssociation = &o
			}
			return nil
		}
		return core.Errorf(InvalidVpcCidrBlockAssociationIDNotFound, "The vpc CIDR block association ID '%s' does not exist", id)
	})
}

// blockInUse refuses to take a block from a VPC while a subnet of the VPC has addresses in it.
func (r *regionState) blockInUse(v *vpc, block netcalc.Block) error {
	for _, sn := range inOrder(r.Subnets) {
		if sn.VPC != v.ID {
			continue
		}
		for _, b := range append([]netcalc.Block{sn.CIDR}, r.subnetBlocks6(sn.ID)...) {
			if block.Overlaps(b) {
				return core.Errorf(InvalidCidrBlockInUse, "The vpc %s currently has a subnet within CIDR block %s", v.ID, block)
			}
		}
	}
	return nil
}

// vpcOfAddress returns the VPC one of whose blocks holds a, or nil.
func (r *regionState) vpcOfAddress(a netip.Addr) *vpc {
	for _, v := range inOrder(r.VPCs) {
		for _, b := range r.blocks(v) {
			if b.Contains(a) {
				return v
			}
		}
	}
	return nil
}

// vpcNetInUse reports whether the VPC still has an egress-only internet gateway, a peering
// connection or an endpoint: DeleteVpc's dependencies of these files.
func (r *regionState) vpcNetInUse(id string) bool {
	for _, g := range r.EIGWs {
		if g.VPC == id {
			return true
		}
	}
	for _, e := range r.Endpoints {
		if e.VPC == id {
			return true
		}
	}
	return false
}

func cidrValues(v types.Vpc, get func(types.VpcCidrBlockAssociation) *string) []string {
	var out []string
	for _, a := range v.CidrBlockAssociationSet {
		out = append(out, aws.ToString(get(a)))
	}
	return out
}

func cidr6Values(v types.Vpc, get func(types.VpcIpv6CidrBlockAssociation) *string) []string {
	var out []string
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		out = append(out, aws.ToString(get(a)))
	}
	return out
}

// forgetVPC drops what these files keep of a deleted VPC, and deletes its peering
// connections.
func (s *Store) forgetVPC(r *regionState, id string) {
	s.closeVPCPeerings(r, id)
	delete(r.VPCBlocks, id)
	delete(r.DHCPOf, id)
}

// forgetSubnet drops what these files keep of a deleted subnet.
func (r *regionState) forgetSubnet(id string) {
	delete(r.SubnetV6, id)
	delete(r.AssignV6, id)
}
