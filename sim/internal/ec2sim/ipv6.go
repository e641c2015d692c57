package ec2sim

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"net/netip"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// subnetBlock6 is a subnet's IPv6 block, from its VPC's /56.
type subnetBlock6 struct {
	AssocID string
	CIDR    netcalc.Block
}

// egressGateway is an egress-only internet gateway: IPv6 traffic out of its VPC, none in.
type egressGateway struct {
	meta
	VPC         string
	ClientToken string `json:",omitempty"`
}

// ipv6State is a region's IPv6 records: subnets' blocks and their AssignIpv6AddressOnCreation,
// the IPv6 addresses of network interfaces, egress-only internet gateways. The VPCs' /56s
// are vpccidr.go's.
type ipv6State struct {
	SubnetV6 map[string]subnetBlock6   `json:",omitempty"` // by subnet
	AssignV6 map[string]bool           `json:",omitempty"` // subnets that give new interfaces an IPv6 address
	ENIv6    map[string][]string       `json:",omitempty"` // an interface's IPv6 addresses, by interface
	EIGWs    map[string]*egressGateway `json:",omitempty"`
}

var eigwKind = kind{"eigw", InvalidEgressOnlyInternetGatewayIDMalformed, InvalidEgressOnlyInternetGatewayIDNotFound,
	"The egress-only internet gateway ID '%s' does not exist", types.ResourceTypeEgressOnlyInternetGateway}

func init() {
	taggable[eigwKind.prefix] = eigwKind
	tagHolders = append(tagHolders, tagHolder{eigwKind, func(r *regionState) []*meta { return metas(r.EIGWs) }})
}

// subnetBlocks6 returns the subnet's IPv6 blocks: none or one.
func (r *regionState) subnetBlocks6(subnetID string) []netcalc.Block {
	if b, ok := r.SubnetV6[subnetID]; ok {
		return []netcalc.Block{b.CIDR}
	}
	return nil
}

// subnet6Out adds the subnet's IPv6 block and attribute to its description.
func (r *regionState) subnet6Out(sn *subnet, out *types.Subnet) {
	if b, ok := r.SubnetV6[sn.ID]; ok {
		out.Ipv6CidrBlockAssociationSet = append(out.Ipv6CidrBlockAssociationSet, subnet6Assoc(b, types.SubnetCidrBlockStateCodeAssociated))
	}
	out.AssignIpv6AddressOnCreation = aws.Bool(r.AssignV6[sn.ID])
}

func subnet6Assoc(b subnetBlock6, state types.SubnetCidrBlockStateCode) types.SubnetIpv6CidrBlockAssociation {
	return types.SubnetIpv6CidrBlockAssociation{AssociationId: aws.String(b.AssocID), Ipv6CidrBlock: aws.String(b.CIDR.String()),
		Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: state}, IpSource: types.IpSourceAmazon, Ipv6AddressAttribute: types.Ipv6AddressAttributePublic}
}

// parseSubnet6 checks an IPv6 block asked for a subnet of v: a /64 of the VPC's /56 that no
// other subnet of the VPC has.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html#subnet-sizing-ipv6
func (r *regionState) parseSubnet6(v *vpc, s string, except string) (netcalc.Block, error) {
	b, err := netcalc.Parse(s)
	if err != nil || b.Is4() || b.Prefix().Masked() != b.Prefix() {
		return b, invalidValue("ipv6CidrBlock", s, "This is not a valid IPv6 CIDR block.")
	}
	vb := r.ipv6Block(v.ID)
	if !vb.IsValid() {
		return b, core.Errorf(InvalidSubnetRange, "The IPv6 CIDR '%s' is invalid: the VPC %s has no IPv6 CIDR block.", s, v.ID)
	}
	var others []netcalc.Block
	for _, sn := range inOrder(r.Subnets) {
		if sn.VPC == v.ID && sn.ID != except {
			others = append(others, r.subnetBlocks6(sn.ID)...)
		}
	}
	var rerr *netcalc.RuleError
	if b.Bits() != 64 {
		return b, core.Errorf(InvalidSubnetRange, "The IPv6 CIDR '%s' is invalid: a subnet's IPv6 block is a /64.", s)
	}
	if err := netcalc.ValidateSubnet(b, []netcalc.Block{vb}, others); errors.As(err, &rerr) {
		if rerr.Rule == netcalc.RuleSubnetOverlap {
			return b, core.Errorf(InvalidSubnetConflict, "The CIDR '%s' conflicts with another subnet", s)
		}
		return b, core.Errorf(InvalidSubnetRange, "The IPv6 CIDR '%s' is invalid.", s)
	}
	return b, nil
}

// setSubnet6 gives the subnet its IPv6 block.
func (s *Store) setSubnet6(r *regionState, sn *subnet, b netcalc.Block) subnetBlock6 {
	if r.SubnetV6 == nil {
		r.SubnetV6 = map[string]subnetBlock6{}
	}
	sb := subnetBlock6{AssocID: s.id("subnet-cidr-assoc"), CIDR: b}
	r.SubnetV6[sn.ID] = sb
	return sb
}

// AssociateSubnetCidrBlock gives a subnet an IPv6 /64 of its VPC's /56: one per subnet.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateSubnetCidrBlock.html
func (h *EC2) AssociateSubnetCidrBlock(ctx context.Context, in *ec2.AssociateSubnetCidrBlockInput) (*ec2.AssociateSubnetCidrBlockOutput, error) {
	switch {
	case in.SubnetId == nil:
		return nil, missingParameter("subnetId")
	case in.Ipv6IpamPoolId != nil || in.Ipv6NetmaskLength != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator does not simulate IPAM pools: give Ipv6CidrBlock.")
	case in.Ipv6CidrBlock == nil:
		return nil, missingParameter("ipv6CidrBlock")
	}
	s := h.s
	out := &ec2.AssociateSubnetCidrBlockOutput{SubnetId: in.SubnetId}
	return out, s.write(ctx, func(r *regionState) error {
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		if _, ok := r.SubnetV6[sn.ID]; ok {
			return core.Errorf(InvalidSubnetConflict, "The subnet %s already has an IPv6 CIDR block.", sn.ID)
		}
		b, err := r.parseSubnet6(r.VPCs[sn.VPC], *in.Ipv6CidrBlock, sn.ID)
		if err != nil {
			return err
		}
		o := subnet6Assoc(s.setSubnet6(r, sn, b), types.SubnetCidrBlockStateCodeAssociating)
		out.Ipv6CidrBlockAssociation = &o
		return nil
	})
}

// DisassociateSubnetCidrBlock takes a subnet's IPv6 block back; refused while an interface
// in the subnet has an IPv6 address.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateSubnetCidrBlock.html
func (h *EC2) DisassociateSubnetCidrBlock(ctx context.Context, in *ec2.DisassociateSubnetCidrBlockInput) (*ec2.DisassociateSubnetCidrBlockOutput, error) {
	if in.AssociationId == nil {
		return nil, missingParameter("associationId")
	}
	out := &ec2.DisassociateSubnetCidrBlockOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		for _, sn := range inOrder(r.Subnets) {
			b, ok := r.SubnetV6[sn.ID]
			if !ok || b.AssocID != *in.AssociationId {
				continue
			}
			for _, n := range inOrder(r.interfaces()) {
				if n.Subnet == sn.ID && len(r.ENIv6[n.ID]) > 0 {
					return core.Errorf(InvalidCidrBlockInUse, "The subnet %s has network interfaces with IPv6 addresses in %s (%s).", sn.ID, b.CIDR, n.ID)
				}
			}
			delete(r.SubnetV6, sn.ID)
			delete(r.AssignV6, sn.ID)
			o := subnet6Assoc(b, types.SubnetCidrBlockStateCodeDisassociating)
			out.SubnetId, out.Ipv6CidrBlockAssociation = aws.String(sn.ID), &o
			return nil
		}
		return core.Errorf(InvalidSubnetCidrBlockAssociationIDNotFound, "The subnet CIDR block with association ID '%s' does not exist", *in.AssociationId)
	})
}

// setAssignIPv6 changes a subnet's AssignIpv6AddressOnCreation, which needs an IPv6 block.
func (r *regionState) setAssignIPv6(sn *subnet, on bool) error {
	if on && len(r.subnetBlocks6(sn.ID)) == 0 {
		return core.Errorf(InvalidParameterValue, "Subnet %s has no IPv6 CIDR block: AssignIpv6AddressOnCreation needs one.", sn.ID)
	}
	if r.AssignV6 == nil {
		r.AssignV6 = map[string]bool{}
	}
	if on {
		r.AssignV6[sn.ID] = true
	} else {
		delete(r.AssignV6, sn.ID)
	}
	return nil
}

// ipv6InUse returns the IPv6 addresses of the subnet's interfaces.
func (r *regionState) ipv6InUse(subnetID string) map[netip.Addr]string {
	used := map[netip.Addr]string{}
	for id, as := range r.ENIv6 {
		if n := r.ENIs[id]; n != nil && n.Subnet == subnetID {
			for _, a := range as {
				used[netip.MustParseAddr(a)] = id
			}
		}
	}
	return used
}

// freeIPv6 returns a free address of the block for interface eni: its interface identifier
// (the low 64 bits) a hash of the interface's ID and a counter, so that the same requests
// give the same addresses. AWS reserves the subnet's first four addresses and its last.
func freeIPv6(block netcalc.Block, eni string, used map[netip.Addr]string) netip.Addr {
	hi := block.First().As16()
	for k := uint64(0); ; k++ {
		h := fnv.New64a()
		h.Write([]byte(eni))
		binary.Write(h, binary.BigEndian, k)
		a16 := hi
		binary.BigEndian.PutUint64(a16[8:], h.Sum64())
		a := netip.AddrFrom16(a16)
		if _, taken := used[a]; !taken && block.Contains(a) && binary.BigEndian.Uint64(a16[8:]) > 3 && a != block.Last() {
			return a
		}
	}
}

// assignIPv6 gives interface n count new addresses and those of want; it returns them.
func (r *regionState) assignIPv6(n *netInterface, count int, want []string) ([]string, error) {
	bs := r.subnetBlocks6(n.Subnet)
	if len(bs) == 0 {
		return nil, core.Errorf(InvalidParameterValue, "The subnet %s of network interface %s has no IPv6 CIDR block.", n.Subnet, n.ID)
	}
	used := r.ipv6InUse(n.Subnet)
	var out []string
	for _, w := range want {
		a, err := netip.ParseAddr(w)
		if err != nil || !a.Is6() || a.Is4In6() {
			return nil, invalidValue("ipv6Addresses", w, "It is not a valid IPv6 address.")
		}
		if !bs[0].Contains(a) {
			return nil, core.Errorf(InvalidParameterValue, "Address %s does not fall within the subnet's IPv6 address range %s", w, bs[0])
		}
		if _, taken := used[a]; taken {
			return nil, core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", a)
		}
		used[a] = n.ID
		out = append(out, a.String())
	}
	for range count {
		a := freeIPv6(bs[0], n.ID, used)
		used[a] = n.ID
		out = append(out, a.String())
	}
	if len(r.ENIv6[n.ID])+len(out) > maxSecondary+1 {
		return nil, core.Errorf(PrivateIpAddressLimitExceeded, "Number of IPv6 addresses will exceed limit.")
	}
	if r.ENIv6 == nil {
		r.ENIv6 = map[string][]string{}
	}
	r.ENIv6[n.ID] = append(r.ENIv6[n.ID], out...)
	return out, nil
}

// autoIPv6 gives a new interface the IPv6 address its subnet's AssignIpv6AddressOnCreation
// asks for.
func (r *regionState) autoIPv6(n *netInterface) {
	if r.AssignV6[n.Subnet] {
		r.assignIPv6(n, 1, nil) // the subnet has a block (setAssignIPv6) and room: a new interface has no address yet
	}
}

// ipv6Out is the interface's IPv6 addresses as DescribeNetworkInterfaces has them.
func (r *regionState) ipv6Out(eni string) []types.NetworkInterfaceIpv6Address {
	out := []types.NetworkInterfaceIpv6Address{}
	for _, a := range r.ENIv6[eni] {
		out = append(out, types.NetworkInterfaceIpv6Address{Ipv6Address: aws.String(a), IsPrimaryIpv6: aws.Bool(false)})
	}
	return out
}

// AssignIpv6Addresses gives an interface of the account's own IPv6 addresses from its
// subnet's /64: those asked for, or a number of free ones.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssignIpv6Addresses.html
func (h *EC2) AssignIpv6Addresses(ctx context.Context, in *ec2.AssignIpv6AddressesInput) (*ec2.AssignIpv6AddressesOutput, error) {
	count := int(aws.ToInt32(in.Ipv6AddressCount))
	switch {
	case in.Ipv6PrefixCount != nil || len(in.Ipv6Prefixes) > 0:
		return nil, core.Errorf(core.NotImplemented, "The simulator assigns IPv6 addresses, not IPv6 prefixes.")
	case in.Ipv6AddressCount != nil && len(in.Ipv6Addresses) > 0:
		return nil, core.Errorf(InvalidParameterCombination, "The parameters Ipv6Addresses and Ipv6AddressCount cannot be used together.")
	case len(in.Ipv6Addresses) == 0 && count <= 0:
		return nil, missingParameter("ipv6Addresses or ipv6AddressCount")
	case count > maxSecondary+1:
		return nil, core.Errorf(PrivateIpAddressLimitExceeded, "Number of IPv6 addresses will exceed limit.")
	}
	out := &ec2.AssignIpv6AddressesOutput{NetworkInterfaceId: in.NetworkInterfaceId}
	return out, h.s.write(ctx, func(r *regionState) error {
		if r.primaryOf(aws.ToString(in.NetworkInterfaceId)) != nil {
			return core.Errorf(core.NotImplemented, "The simulator gives IPv6 addresses to network interfaces created with CreateNetworkInterface only, not to an instance's primary interface.")
		}
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		out.AssignedIpv6Addresses, err = r.assignIPv6(n, count, in.Ipv6Addresses)
		return err
	})
}

// UnassignIpv6Addresses takes IPv6 addresses from an interface.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UnassignIpv6Addresses.html
func (h *EC2) UnassignIpv6Addresses(ctx context.Context, in *ec2.UnassignIpv6AddressesInput) (*ec2.UnassignIpv6AddressesOutput, error) {
	switch {
	case len(in.Ipv6Prefixes) > 0:
		return nil, core.Errorf(core.NotImplemented, "The simulator assigns IPv6 addresses, not IPv6 prefixes.")
	case len(in.Ipv6Addresses) == 0:
		return nil, missingParameter("ipv6Addresses")
	}
	out := &ec2.UnassignIpv6AddressesOutput{NetworkInterfaceId: in.NetworkInterfaceId}
	return out, h.s.write(ctx, func(r *regionState) error {
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		have := slices.Clone(r.ENIv6[n.ID])
		for _, w := range in.Ipv6Addresses {
			a, err := netip.ParseAddr(w)
			i := slices.Index(have, a.String())
			if err != nil || i < 0 {
				return core.Errorf(InvalidParameterValue, "Some of the specified addresses are not assigned to interface %s", n.ID)
			}
			have = slices.Delete(have, i, i+1)
			out.UnassignedIpv6Addresses = append(out.UnassignedIpv6Addresses, a.String())
		}
		if len(have) == 0 {
			delete(r.ENIv6, n.ID)
		} else {
			r.ENIv6[n.ID] = have
		}
		return nil
	})
}

func (s *Store) eigwOut(g *egressGateway) types.EgressOnlyInternetGateway {
	return types.EgressOnlyInternetGateway{
		EgressOnlyInternetGatewayId: aws.String(g.ID), Tags: g.Tags.out(),
		Attachments: []types.InternetGatewayAttachment{{State: types.AttachmentStatusAttached, VpcId: aws.String(g.VPC)}},
	}
}

// CreateEgressOnlyInternetGateway makes an egress-only internet gateway for a VPC: the
// target of routes that let IPv6 traffic out and none in.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateEgressOnlyInternetGateway.html
func (h *EC2) CreateEgressOnlyInternetGateway(ctx context.Context, in *ec2.CreateEgressOnlyInternetGatewayInput) (*ec2.CreateEgressOnlyInternetGatewayOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeEgressOnlyInternetGateway)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateEgressOnlyInternetGatewayOutput{ClientToken: in.ClientToken}
	return out, s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, g := range inOrder(r.EIGWs) {
				if g.ClientToken == tok {
					o := s.eigwOut(g)
					out.EgressOnlyInternetGateway = &o
					return nil
				}
			}
		}
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		g := &egressGateway{meta: r.newMeta(s.id("eigw"), t), VPC: v.ID, ClientToken: aws.ToString(in.ClientToken)}
		if r.EIGWs == nil {
			r.EIGWs = map[string]*egressGateway{}
		}
		r.EIGWs[g.ID] = g
		o := s.eigwOut(g)
		out.EgressOnlyInternetGateway = &o
		return nil
	})
}

// DescribeEgressOnlyInternetGateways lists the region's egress-only internet gateways; AWS
// filters them by tags only.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeEgressOnlyInternetGateways.html
func (h *EC2) DescribeEgressOnlyInternetGateways(ctx context.Context, in *ec2.DescribeEgressOnlyInternetGatewaysInput) (*ec2.DescribeEgressOnlyInternetGatewaysOutput, error) {
	s := h.s
	out := &ec2.DescribeEgressOnlyInternetGatewaysOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		gs, err := pick(eigwKind, r.EIGWs, in.EgressOnlyInternetGatewayIds)
		if err != nil {
			return err
		}
		all := make([]types.EgressOnlyInternetGateway, len(gs))
		for i, g := range gs {
			all[i] = s.eigwOut(g)
		}
		out.EgressOnlyInternetGateways, out.NextToken, err = describe(all, in.Filters, fields[types.EgressOnlyInternetGateway]{},
			func(g types.EgressOnlyInternetGateway) []types.Tag { return g.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteEgressOnlyInternetGateway deletes one; routes to it become blackholes.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteEgressOnlyInternetGateway.html
func (h *EC2) DeleteEgressOnlyInternetGateway(ctx context.Context, in *ec2.DeleteEgressOnlyInternetGatewayInput) (*ec2.DeleteEgressOnlyInternetGatewayOutput, error) {
	if in.EgressOnlyInternetGatewayId == nil {
		return nil, missingParameter("egressOnlyInternetGatewayId")
	}
	return &ec2.DeleteEgressOnlyInternetGatewayOutput{ReturnCode: aws.Bool(true)}, h.s.write(ctx, func(r *regionState) error {
		g, err := find(eigwKind, r.EIGWs, *in.EgressOnlyInternetGatewayId)
		if err != nil {
			return err
		}
		delete(r.EIGWs, g.ID)
		return nil
	})
}

// isIPv6Route reports whether a route's destination is an IPv6 block.
func isIPv6Route(dest string) bool {
	p, err := netip.ParsePrefix(dest)
	return err == nil && p.Addr().Is6()
}
