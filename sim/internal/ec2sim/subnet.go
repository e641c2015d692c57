package ec2sim

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
	"github.com/awsxlab/awsx/sim/internal/core"
)

type subnet struct {
	meta
	VPC          string
	CIDR         netcalc.Block
	Zone         zone
	DefaultForAz bool
	MapPublicIP  bool
	Used         map[string]string // private addresses in use → the instance that has each

	// lowFree is where allocate starts: every address of the subnet below it is reserved or
	// in Used (the zero Addr: start at the first). Adding to Used keeps that true; taking an
	// address out goes through release, which lowers it.
	lowFree netip.Addr
}

// release takes the private address ip out of use.
func (sn *subnet) release(ip string) {
	delete(sn.Used, ip)
	if a, err := netip.ParseAddr(ip); err == nil && a.Less(sn.lowFree) {
		sn.lowFree = a
	}
}

// subnetIndex looks the region's subnets up by VPC, beside Subnets (by ID), so that
// DescribeSubnets filtered by VPC and CreateSubnet's overlap check read only that VPC's
// subnets. It is derived from Subnets and not saved: newRegionState makes it empty,
// UnmarshalJSON rebuilds it, and newSubnet and DeleteSubnet keep it. The region's lock guards
// it.
type subnetIndex struct {
	subnetsByVPC map[string]map[string]*subnet
}

// reindexSubnets rebuilds the index from Subnets, for a loaded state.
func (r *regionState) reindexSubnets() {
	for _, sn := range r.Subnets {
		file(r.subnetsByVPC, sn.VPC, sn)
	}
}

// vpcSubnets returns the subnets a DescribeSubnets request may match, in creation order: those
// of the VPCs its vpc-id filter names when it names them without wildcards, else all.
func (r *regionState) vpcSubnets(fs []types.Filter) []*subnet {
	for _, f := range fs {
		if aws.ToString(f.Name) != "vpc-id" || slices.ContainsFunc(f.Values, hasWildcard) {
			continue
		}
		var out []*subnet
		for _, v := range f.Values {
			out = append(out, slices.Collect(maps.Values(r.subnetsByVPC[v]))...)
		}
		slices.SortFunc(out, func(a, b *subnet) int { return cmp.Compare(a.Seq, b.Seq) })
		return slices.CompactFunc(out, func(a, b *subnet) bool { return a == b })
	}
	return inOrder(r.Subnets)
}

// newSubnet makes a subnet, associated with its VPC's default network ACL. Default subnets
// map public addresses on launch; others do not.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
func (s *Store) newSubnet(r *regionState, v *vpc, block netcalc.Block, z zone, isDefault bool) *subnet {
	sn := &subnet{
		meta: r.newMeta(s.id("subnet"), nil), VPC: v.ID, CIDR: block, Zone: z,
		DefaultForAz: isDefault, MapPublicIP: isDefault, Used: map[string]string{},
	}
	r.Subnets[sn.ID] = sn
	file(r.subnetsByVPC, sn.VPC, sn)
	acl := r.defaultACL(v.ID)
	acl.Assocs = append(acl.Assocs, association{ID: s.id("aclassoc"), Subnet: sn.ID})
	return sn
}

// available returns how many addresses of the subnet are free: those AWS does not reserve
// (netcalc.Usable), less those in use.
func (sn *subnet) available() int32 {
	return int32(netcalc.Usable(sn.CIDR).Int64()) - int32(len(sn.Used))
}

// allocate returns the lowest free address of the subnet, past the four that AWS reserves at
// its start and before the broadcast address it reserves at its end.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
func (sn *subnet) allocate() (netip.Addr, bool) {
	reserved := map[netip.Addr]bool{}
	for _, a := range netcalc.Reserved(sn.CIDR) {
		reserved[a.Addr] = true
	}
	a := sn.CIDR.First()
	if sn.lowFree.IsValid() && sn.CIDR.Contains(sn.lowFree) && a.Less(sn.lowFree) {
		a = sn.lowFree
	}
	for ; sn.CIDR.Contains(a); a = a.Next() {
		if !reserved[a] && sn.Used[a.String()] == "" {
			sn.lowFree = a
			return a, true
		}
	}
	return netip.Addr{}, false
}

// usable reports whether a is an address of the subnet that AWS lets an instance have.
func (sn *subnet) usable(a netip.Addr) bool {
	if !sn.CIDR.Contains(a) {
		return false
	}
	for _, res := range netcalc.Reserved(sn.CIDR) {
		if res.Addr == a {
			return false
		}
	}
	return true
}

func (s *Store) subnetOut(r *regionState, sn *subnet) types.Subnet {
	out := types.Subnet{
		SubnetId: aws.String(sn.ID), VpcId: aws.String(sn.VPC), CidrBlock: aws.String(sn.CIDR.String()),
		AvailabilityZone: aws.String(sn.Zone.Name), AvailabilityZoneId: aws.String(sn.Zone.ID),
		AvailableIpAddressCount: aws.Int32(sn.available()), DefaultForAz: aws.Bool(sn.DefaultForAz),
		MapPublicIpOnLaunch: aws.Bool(sn.MapPublicIP), State: types.SubnetStateAvailable,
		OwnerId: aws.String(s.account), SubnetArn: aws.String(s.arn(r.Name, "subnet/"+sn.ID)),
		AssignIpv6AddressOnCreation: aws.Bool(false), MapCustomerOwnedIpOnLaunch: aws.Bool(false),
		EnableDns64: aws.Bool(false), Ipv6Native: aws.Bool(false),
		Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{},
		PrivateDnsNameOptionsOnLaunch: &types.PrivateDnsNameOptionsOnLaunch{
			HostnameType: types.HostnameTypeIpName, EnableResourceNameDnsARecord: aws.Bool(false), EnableResourceNameDnsAAAARecord: aws.Bool(false),
		},
		Tags: sn.Tags.out(),
	}
	r.subnet6Out(sn, &out)
	return out
}

// CreateSubnet checks the block with AWS's rules (netcalc.ValidateSubnet): within the VPC's
// block, /16 to /28, overlapping no other subnet. With no zone given, it picks the zone with
// the fewest of the VPC's subnets.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
func (h *EC2) CreateSubnet(ctx context.Context, in *ec2.CreateSubnetInput) (*ec2.CreateSubnetOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	if aws.ToBool(in.Ipv6Native) || in.Ipv4IpamPoolId != nil || in.Ipv6IpamPoolId != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator makes subnets with an IPv4 block (CidrBlock): IPv6-only subnets and IPAM pools are not simulated.")
	}
	if in.CidrBlock == nil {
		return nil, missingParameter("cidrBlock")
	}
	block, err := netcalc.ParseMasked(*in.CidrBlock)
	if err != nil || !block.Is4() {
		return nil, invalidValue("cidrBlock", *in.CidrBlock, "This is not a valid CIDR block.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeSubnet)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateSubnetOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		z, err := r.subnetZone(v, in.AvailabilityZone, in.AvailabilityZoneId)
		if err != nil {
			return err
		}
		var others []netcalc.Block
		for _, sn := range r.subnetsByVPC[v.ID] {
			others = append(others, sn.CIDR)
		}
		var rerr *netcalc.RuleError
		if err := netcalc.ValidateSubnet(block, r.blocks4(v), others); errors.As(err, &rerr) {
			if rerr.Rule == netcalc.RuleSubnetOverlap {
				return core.Errorf(InvalidSubnetConflict, "The CIDR '%s' conflicts with another subnet", *in.CidrBlock)
			}
			return core.Errorf(InvalidSubnetRange, "The CIDR '%s' is invalid.", *in.CidrBlock)
		}
		var block6 netcalc.Block
		if in.Ipv6CidrBlock != nil {
			if block6, err = r.parseSubnet6(v, *in.Ipv6CidrBlock, ""); err != nil {
				return err
			}
		}
		sn := s.newSubnet(r, v, block, z, false)
		sn.Tags = t
		if block6.IsValid() {
			s.setSubnet6(r, sn, block6)
		}
		o := s.subnetOut(r, sn)
		out.Subnet = &o
		return nil
	})
}

// subnetZone returns the zone a new subnet of v goes in: the one named, or the zone with the
// fewest of v's subnets.
func (r *regionState) subnetZone(v *vpc, name, id *string) (zone, error) {
	geo, _ := lookupRegion(r.Name)
	if name != nil || id != nil {
		param, want := "availabilityZone", aws.ToString(name)
		if name == nil {
			param, want = "availabilityZoneId", aws.ToString(id)
		}
		z, ok := geo.zoneNamed(want)
		if !ok {
			var names []string
			for _, z := range geo.zones() {
				names = append(names, z.Name)
			}
			return zone{}, invalidValue(param, want, "Subnets can currently only be created in the following availability zones: "+strings.Join(names, ", ")+".")
		}
		return z, nil
	}
	count := map[string]int{}
	for _, sn := range r.Subnets {
		if sn.VPC == v.ID {
			count[sn.Zone.Name]++
		}
	}
	best := geo.zones()[0]
	for _, z := range geo.zones() {
		if count[z.Name] < count[best.Name] {
			best = z
		}
	}
	return best, nil
}

var subnetFields = fields[types.Subnet]{
	"subnet-id":                  func(s types.Subnet) []string { return one(*s.SubnetId) },
	"vpc-id":                     func(s types.Subnet) []string { return one(*s.VpcId) },
	"cidr-block":                 func(s types.Subnet) []string { return one(*s.CidrBlock) },
	"cidr":                       func(s types.Subnet) []string { return one(*s.CidrBlock) },
	"cidrBlock":                  func(s types.Subnet) []string { return one(*s.CidrBlock) },
	"availability-zone":          func(s types.Subnet) []string { return one(*s.AvailabilityZone) },
	"availabilityZone":           func(s types.Subnet) []string { return one(*s.AvailabilityZone) },
	"availability-zone-id":       func(s types.Subnet) []string { return one(*s.AvailabilityZoneId) },
	"default-for-az":             func(s types.Subnet) []string { return boolValue(*s.DefaultForAz) },
	"defaultForAz":               func(s types.Subnet) []string { return boolValue(*s.DefaultForAz) },
	"map-public-ip-on-launch":    func(s types.Subnet) []string { return boolValue(*s.MapPublicIpOnLaunch) },
	"available-ip-address-count": func(s types.Subnet) []string { return one(itoa(*s.AvailableIpAddressCount)) },
	"state":                      func(s types.Subnet) []string { return one(string(s.State)) },
	"owner-id":                   func(s types.Subnet) []string { return one(*s.OwnerId) },
	"subnet-arn":                 func(s types.Subnet) []string { return one(*s.SubnetArn) },
}

// DescribeSubnets lists the region's subnets.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
func (h *EC2) DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput) (*ec2.DescribeSubnetsOutput, error) {
	s := h.s
	out := &ec2.DescribeSubnetsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		var sns []*subnet
		var err error
		if len(in.SubnetIds) == 0 {
			sns = r.vpcSubnets(in.Filters) // the filters still apply to them all after
		} else if sns, err = pick(subnetKind, r.Subnets, in.SubnetIds); err != nil {
			return err
		}
		all := make([]types.Subnet, len(sns))
		for i, sn := range sns {
			all[i] = s.subnetOut(r, sn)
		}
		out.Subnets, out.NextToken, err = describe(all, in.Filters, subnetFields, func(s types.Subnet) []types.Tag { return s.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteSubnet refuses while instances use the subnet; its associations with a route table
// and a network ACL go with it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html
func (h *EC2) DeleteSubnet(ctx context.Context, in *ec2.DeleteSubnetInput) (*ec2.DeleteSubnetOutput, error) {
	if in.SubnetId == nil {
		return nil, missingParameter("subnetId")
	}
	s := h.s
	return &ec2.DeleteSubnetOutput{}, s.write(ctx, func(r *regionState) error {
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		for _, i := range r.Instances {
			if i.Subnet == sn.ID {
				return core.Errorf(DependencyViolation, "The subnet '%s' has dependencies and cannot be deleted.", sn.ID)
			}
		}
		for _, n := range r.interfaces() {
			if n.Subnet == sn.ID {
				return core.Errorf(DependencyViolation, "The subnet '%s' has dependencies and cannot be deleted.", sn.ID)
			}
		}
		for _, n := range r.NATs {
			if n.Subnet == sn.ID && n.holds(s.now()) {
				return core.Errorf(DependencyViolation, "The subnet '%s' has dependencies and cannot be deleted.", sn.ID)
			}
		}
		for _, rt := range r.RouteTables {
			rt.Assocs = dropSubnet(rt.Assocs, sn.ID)
		}
		for _, a := range r.ACLs {
			a.Assocs = dropSubnet(a.Assocs, sn.ID)
		}
		delete(r.Subnets, sn.ID)
		unfile(r.subnetsByVPC, sn.VPC, sn)
		r.forgetSubnet(sn.ID)
		return nil
	})
}

// ModifySubnetAttribute changes whether instances launched in the subnet get a public
// address.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySubnetAttribute.html
func (h *EC2) ModifySubnetAttribute(ctx context.Context, in *ec2.ModifySubnetAttributeInput) (*ec2.ModifySubnetAttributeOutput, error) {
	if in.SubnetId == nil {
		return nil, missingParameter("subnetId")
	}
	v6 := in.AssignIpv6AddressOnCreation
	switch {
	case in.MapPublicIpOnLaunch != nil && v6 != nil:
		return nil, core.Errorf(InvalidParameterCombination, "Only one attribute can be modified at a time")
	case v6 != nil && v6.Value != nil:
	case in.MapPublicIpOnLaunch == nil || in.MapPublicIpOnLaunch.Value == nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator changes only the subnet attributes MapPublicIpOnLaunch and AssignIpv6AddressOnCreation.")
	}
	return &ec2.ModifySubnetAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		if v6 != nil {
			return r.setAssignIPv6(sn, *v6.Value)
		}
		sn.MapPublicIP = *in.MapPublicIpOnLaunch.Value
		return nil
	})
}
