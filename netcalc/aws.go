package netcalc

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
)

// Rule names an AWS rule that a VPC or subnet block can break. A
// [RuleError] carries it, so that a caller such as the simulator can choose
// the AWS error code without reading the message.
type Rule int

const (
	RuleVPCFamily     Rule = iota + 1 // a VPC is created with an IPv4 block
	RuleVPCSize                       // a VPC's IPv4 block is /16 to /28
	RuleVPCRange                      // the range is reserved, or restricted for this VPC
	RuleVPCOverlap                    // a VPC's blocks do not overlap one another
	RuleSubnetSize                    // a subnet's block is /16 to /28 (IPv4) or /44 to /64 (IPv6)
	RuleSubnetOutside                 // a subnet's block lies within one of its VPC's blocks
	RuleSubnetOverlap                 // a subnet's block overlaps no other subnet's in the VPC
)

var ruleNames = [...]string{
	RuleVPCFamily:     "vpc-family",
	RuleVPCSize:       "vpc-size",
	RuleVPCRange:      "vpc-range",
	RuleVPCOverlap:    "vpc-overlap",
	RuleSubnetSize:    "subnet-size",
	RuleSubnetOutside: "subnet-outside",
	RuleSubnetOverlap: "subnet-overlap",
}

// String returns the rule's short name, such as "vpc-size".
func (r Rule) String() string {
	if r <= 0 || int(r) >= len(ruleNames) {
		return fmt.Sprintf("Rule(%d)", int(r))
	}
	return ruleNames[r]
}

// RuleError reports a block that breaks an AWS rule. Its message quotes the
// block, says what is wrong and what would be valid; the fields say the same
// as values.
type RuleError struct {
	Rule     Rule
	Block    Block // the block that was checked
	Conflict Block // what it runs into: the VPC's block, another subnet, a range; or zero
	Valid    Block // a block that would pass where this one fails, when netcalc knows one; or zero
	msg      string
}

func (e *RuleError) Error() string { return e.msg }

func ruleError(r Rule, b, conflict, valid Block, format string, args ...any) *RuleError {
	what := "VPC block"
	if r >= RuleSubnetSize {
		what = "subnet"
	}
	return &RuleError{Rule: r, Block: b, Conflict: conflict, Valid: valid,
		msg: fmt.Sprintf("netcalc: %s %q: ", what, b.String()) + fmt.Sprintf(format, args...)}
}

// IPv4 VPC and subnet blocks are /16 to /28.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
const (
	minBits4 = 16
	maxBits4 = 28
)

// IPv6 subnet blocks are /44 to /64, in steps of 4 bits.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
const (
	minSubnetBits6 = 44
	maxSubnetBits6 = 64
)

// A Range is an IPv4 range that AWS's VPC rules name.
type Range struct {
	Block     Block
	Name      string // what the range is, such as "link-local (RFC 3927)"
	Rule      string // what AWS says about it for a VPC, one sentence
	Forbidden bool   // true: no VPC may use it; false: advice, or it depends on the VPC's primary block
}

// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html (IPv4 CIDR block association restrictions)
var vpcRanges = []Range{
	{MustParse("10.0.0.0/8"), "private (RFC 1918)", "recommended; a VPC whose primary block is here adds blocks only from 10.0.0.0/8, 100.64.0.0/10 or public ranges", false},
	{MustParse("172.16.0.0/12"), "private (RFC 1918)", "recommended; a VPC whose primary block is here adds blocks only from 172.16.0.0/12 outside 172.31.0.0/16, 100.64.0.0/10 or public ranges", false},
	{MustParse("192.168.0.0/16"), "private (RFC 1918)", "recommended; a VPC whose primary block is here adds blocks only from 192.168.0.0/16, 100.64.0.0/10 or public ranges", false},
	{MustParse("172.17.0.0/16"), "used by some AWS services (Docker's bridge in AWS Cloud9, SageMaker)", "AWS advises against using it for a VPC", false},
	{MustParse("100.64.0.0/10"), "shared address space (RFC 6598)", "any VPC may add blocks from it", false},
	{MustParse("198.19.0.0/16"), "AWS service range", "only a VPC whose primary block is outside RFC 1918 may add blocks from it", false},
	{MustParse("169.254.0.0/16"), "link-local (RFC 3927)", "no VPC may use it", true},
}

// VPCRanges returns the IPv4 ranges AWS's VPC rules name: the recommended
// private ranges, ranges to avoid or that only some VPCs may add, and the
// ranges no VPC may use (Forbidden). [ValidateVPC] and [ValidateVPCBlock]
// apply them.
func VPCRanges() []Range {
	return append([]Range(nil), vpcRanges...)
}

var (
	rfc1918    = privateRanges[:3]
	range10    = privateRanges[0]
	range172   = privateRanges[1]
	range192   = privateRanges[2]
	range17231 = MustParse("172.31.0.0/16")
	range19819 = MustParse("198.19.0.0/16")
	range10_15 = MustParse("10.0.0.0/15")
	range10_16 = MustParse("10.0.0.0/16")
)

// ValidateVPC reports whether b may be the primary block of a new VPC, as
// CreateVpc checks it: an IPv4 block from /16 to /28, outside the ranges no
// VPC may use (see [VPCRanges]). The error is a [*RuleError].
func ValidateVPC(b Block) error {
	if !b.IsValid() {
		return errors.New("netcalc: VPC block is the zero Block")
	}
	if !b.Is4() {
		// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html ("must specify an IPv4 CIDR block")
		return ruleError(RuleVPCFamily, b, Block{}, Block{},
			"a VPC is created with an IPv4 block, such as 10.0.0.0/16; IPv6 blocks are added to it afterwards")
	}
	if err := checkSize4(b, RuleVPCSize, "VPC"); err != nil {
		return err
	}
	for _, r := range vpcRanges {
		if r.Forbidden && r.Block.Overlaps(b) {
			valid := blockAt(range10.first(), b.Bits(), true)
			return ruleError(RuleVPCRange, b, r.Block, valid,
				"overlaps %s, %s: %s; use a private block such as %s", r.Block, r.Name, r.Rule, valid)
		}
	}
	return nil
}

// checkSize4 applies the /16 to /28 rule of IPv4 VPC and subnet blocks.
func checkSize4(b Block, rule Rule, what string) error {
	var valid Block
	var why string
	switch {
	case b.Bits() < minBits4:
		valid, why = blockAt(b.first(), minBits4, true), "too big"
	case b.Bits() > maxBits4:
		valid, _ = b.Supernet(maxBits4)
		why = "too small"
	default:
		return nil
	}
	return ruleError(rule, b, Block{}, valid,
		"/%d is %s; an IPv4 %s block is /%d (65,536 addresses) to /%d (16 addresses), such as %s",
		b.Bits(), why, what, minBits4, maxBits4, valid)
}

// ValidateVPCBlock reports whether add may be associated with a VPC that has
// the blocks vpc, the first IPv4 one being its primary block, as
// AssociateVpcCidrBlock checks it: an IPv4 block passes [ValidateVPC],
// overlaps none of the VPC's blocks, and keeps to the association
// restrictions that follow from the primary block (a VPC in 10.0.0.0/8 may
// not add 192.168.0.0/16, for one). An IPv6 block is only checked for
// overlap: AWS assigns its size. The error is a [*RuleError].
//
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html (IPv4 CIDR block association restrictions)
func ValidateVPCBlock(vpc []Block, add Block) error {
	if !add.IsValid() {
		return errors.New("netcalc: VPC block is the zero Block")
	}
	if add.Is4() {
		if err := ValidateVPC(add); err != nil {
			return err
		}
	}
	var primary Block
	for _, v := range vpc {
		if v.Overlaps(add) {
			return ruleError(RuleVPCOverlap, add, v, Block{}, "overlaps the VPC's block %s; a VPC's blocks may not overlap", v)
		}
		if !primary.IsValid() && v.Is4() {
			primary = v
		}
	}
	if !add.Is4() {
		return nil
	}
	if !primary.IsValid() {
		return fmt.Errorf("netcalc: VPC block %q: the VPC has no IPv4 block; a VPC's first IPv4 block is its primary block", add.String())
	}
	home, restricted, allowed := associationRule(primary)
	for _, r := range restricted {
		if r.Overlaps(add) {
			return ruleError(RuleVPCRange, add, r, Block{},
				"a VPC whose primary block %s is %s may not add blocks from %s; add one from %s", primary, home, r, allowed)
		}
	}
	// A VPC with a block in 10.0.0.0/15 may not add one from 10.0.0.0/16.
	if range10_16.Overlaps(add) {
		for _, v := range vpc {
			if range10_15.Covers(v) {
				return ruleError(RuleVPCRange, add, range10_16, Block{},
					"a VPC with a block in %s (here %s) may not add blocks from %s; add one elsewhere in 10.0.0.0/8", range10_15, v, range10_16)
			}
		}
	}
	return nil
}

// associationRule returns, for a VPC's primary block, where it lies, the
// ranges its secondary blocks may not come from, and what they may be.
func associationRule(primary Block) (home string, restricted []Block, allowed string) {
	switch {
	case range10.Covers(primary):
		return "in " + range10.String(), []Block{range172, range192, range19819},
			"10.0.0.0/8, 100.64.0.0/10 or a public range"
	case range172.Covers(primary):
		return "in " + range172.String(), []Block{range10, range192, range17231, range19819},
			"172.16.0.0/12 outside 172.31.0.0/16, 100.64.0.0/10 or a public range"
	case range192.Covers(primary):
		return "in " + range192.String(), []Block{range10, range172, range19819},
			"192.168.0.0/16, 100.64.0.0/10 or a public range"
	case range19819.Covers(primary):
		return "in " + range19819.String(), rfc1918, "100.64.0.0/10 or a public range"
	}
	return "public or in 100.64.0.0/10", append(append([]Block(nil), rfc1918...), range19819),
		"100.64.0.0/10 or a public range"
}

// ValidateSubnet reports whether subnet may be created in a VPC with the
// blocks vpc that already has the subnets others, as CreateSubnet checks it:
// an IPv4 block is /16 to /28 and an IPv6 block /44 to /64 in steps of 4; it
// lies within one of the VPC's blocks; it overlaps none of the others. The
// error is a [*RuleError]; when it can, it suggests a block that would pass
// (RuleError.Valid): the nearest allowed size, or a free block of the same
// size inside the VPC.
//
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
func ValidateSubnet(subnet Block, vpc, others []Block) error {
	if !subnet.IsValid() {
		return errors.New("netcalc: subnet block is the zero Block")
	}
	if subnet.Is4() {
		if err := checkSize4(subnet, RuleSubnetSize, "subnet"); err != nil {
			return err
		}
	} else if b := subnet.Bits(); b < minSubnetBits6 || b > maxSubnetBits6 || b%4 != 0 {
		valid, _ := subnet.Supernet(min(max(b-b%4, minSubnetBits6), maxSubnetBits6))
		if b < minSubnetBits6 {
			valid = blockAt(subnet.first(), minSubnetBits6, false)
		}
		return ruleError(RuleSubnetSize, subnet, Block{}, valid,
			"an IPv6 subnet block is /%d to /%d in steps of 4 bits, such as %s", minSubnetBits6, maxSubnetBits6, valid)
	}

	var home, family Block
	for _, v := range vpc {
		if v.Covers(subnet) {
			home = v
			break
		}
		if !family.IsValid() && v.Is4() == subnet.Is4() {
			family = v
		}
	}
	if !home.IsValid() {
		if !family.IsValid() {
			kind := "IPv4"
			if !subnet.Is4() {
				kind = "IPv6"
			}
			return ruleError(RuleSubnetOutside, subnet, Block{}, Block{}, "the VPC has no %s block to hold it", kind)
		}
		valid, _ := NextFree(family, max(subnet.Bits(), family.Bits()), others)
		return ruleError(RuleSubnetOutside, subnet, family, valid,
			"not within the VPC's block %s (%s to %s)%s", family, family.First(), family.Last(), suggest(valid))
	}
	for _, o := range others {
		if o.Overlaps(subnet) {
			valid, _ := NextFree(home, subnet.Bits(), others)
			return ruleError(RuleSubnetOverlap, subnet, o, valid,
				"overlaps the subnet %s%s", o, suggest(valid))
		}
	}
	return nil
}

func suggest(valid Block) string {
	if !valid.IsValid() {
		return ""
	}
	return fmt.Sprintf("; a free /%d is %s", valid.Bits(), valid)
}

// ReservedAddr is an address AWS keeps for itself in every subnet.
type ReservedAddr struct {
	Addr    netip.Addr
	Purpose string
}

// Reserved returns the five addresses AWS reserves in a subnet: the first
// four (network address, VPC router, DNS, future use) and the last
// (broadcast, which a VPC does not support). A block too small to hold five
// reserves all its addresses. Reserved returns nil for the zero Block.
//
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
func Reserved(subnet Block) []ReservedAddr {
	if !subnet.IsValid() {
		return nil
	}
	last := "broadcast address (a VPC does not support broadcast)"
	dns := "Amazon DNS server"
	if !subnet.Is4() {
		last, dns = "last address", "reserved by AWS"
	}
	purposes := [...]string{"network address", "VPC router", dns, "reserved by AWS for future use"}
	count := 1 << min(subnet.HostBits(), 3) // addresses in the block, counted up to 8
	var out []ReservedAddr
	for i, p := range purposes[:min(count, len(purposes))] {
		u, _ := subnet.first().add(uint128{lo: uint64(i)})
		out = append(out, ReservedAddr{intAddr(u, subnet.Is4()), p})
	}
	if count > len(purposes) {
		out = append(out, ReservedAddr{subnet.Last(), last})
	}
	return out
}

// Usable returns how many addresses of a subnet AWS lets instances use: its
// size less the five [Reserved] ones, so 251 in a /24.
func Usable(subnet Block) *big.Int {
	n := subnet.Size()
	return n.Sub(n, big.NewInt(int64(len(Reserved(subnet)))))
}

// The default VPC of every Region is 172.31.0.0/16, with a /20 default subnet
// in each Availability Zone, taken in order.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
var defaultVPC = MustParse("172.31.0.0/16")

const defaultSubnetBits = 20

// DefaultVPC returns the block of every Region's default VPC, 172.31.0.0/16.
func DefaultVPC() Block { return defaultVPC }

// DefaultSubnets returns the blocks of the default subnets of a Region with
// zones Availability Zones: the first zones /20s of 172.31.0.0/16, so
// 172.31.0.0/20, 172.31.16.0/20, 172.31.32.0/20 for three zones.
func DefaultSubnets(zones int) ([]Block, error) {
	if n := 1 << (defaultSubnetBits - defaultVPC.Bits()); zones < 1 || zones > n {
		return nil, fmt.Errorf("netcalc: default subnets for %d zones: the default VPC holds 1 to %d", zones, n)
	}
	return defaultVPC.cut(defaultSubnetBits, zones), nil
}
