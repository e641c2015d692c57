package netcalc

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// Block is a CIDR block: a network address and a prefix length, with every
// host bit zero (10.0.0.0/24, never 10.0.0.1/24). It wraps a [netip.Prefix].
//
// A Block is a small value: compare it with ==, use it as a map key, copy it
// freely. It is immutable, so it is safe for concurrent use. The zero Block
// is not valid; see [Block.IsValid].
type Block struct {
	p netip.Prefix // always valid and masked, or the zero Prefix
}

// maxSubnets bounds the slices [Block.Subnets] and [Block.Split] return: a
// /8 cut into /24s (65,536 blocks) is the largest list a planner reads.
const maxSubnets = 1 << 16

// Parse parses s as a CIDR block, such as "10.0.0.0/16" or "2001:db8::/56".
//
// Parse is strict: the host bits must be zero, so "10.0.0.1/24" is an error
// that names the network meant (10.0.0.0/24). Use [ParseMasked] to clear
// them instead, as the EC2 API does. IPv6 zones are not accepted. An
// IPv4-mapped IPv6 block such as "::ffff:10.0.0.0/104" is an IPv6 block.
func Parse(s string) (Block, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return Block{}, parseError(s, err)
	}
	if m := p.Masked(); m != p {
		return Block{}, fmt.Errorf("netcalc: parse %q: host bits are set; the network is %s", s, m)
	}
	return Block{p}, nil
}

// MustParse is like [Parse] but panics if s is not a valid block. It is meant
// for constants in code and tests.
func MustParse(s string) Block {
	b, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return b
}

// ParseMasked is like [Parse] but clears any host bits, so "100.68.0.18/18"
// is the block 100.68.0.0/18. This is what CreateVpc and CreateSubnet do with
// the CIDR they are given.
//
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html ("canonical form")
func ParseMasked(s string) (Block, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return Block{}, parseError(s, err)
	}
	return Block{p.Masked()}, nil
}

// FromPrefix returns p as a Block. It is an error if p is invalid or has host
// bits set; the error names the network meant.
func FromPrefix(p netip.Prefix) (Block, error) {
	if !p.IsValid() {
		return Block{}, fmt.Errorf("netcalc: prefix %q is not valid", p.String())
	}
	if m := p.Masked(); m != p {
		return Block{}, fmt.Errorf("netcalc: prefix %q: host bits are set; the network is %s", p.String(), m)
	}
	return Block{p}, nil
}

// parseError explains why netip.ParsePrefix rejected s, part by part.
func parseError(s string, perr error) error {
	addrPart, bitsPart, found := strings.Cut(s, "/")
	a, aerr := netip.ParseAddr(addrPart)
	if !found {
		if aerr == nil && a.Zone() == "" {
			return fmt.Errorf("netcalc: parse %q: no prefix length; a single address is %s/%d", s, s, a.BitLen())
		}
		return fmt.Errorf("netcalc: parse %q: not a CIDR block; write an address and a prefix length, like 10.0.0.0/16", s)
	}
	if aerr != nil {
		why := strings.TrimPrefix(aerr.Error(), fmt.Sprintf("ParseAddr(%q): ", addrPart))
		return fmt.Errorf("netcalc: parse %q: %q is not an IPv4 or IPv6 address: %s", s, addrPart, why)
	}
	if a.Zone() != "" {
		return fmt.Errorf("netcalc: parse %q: a block has no zone; drop %q", s, "%"+a.Zone())
	}
	width := a.BitLen()
	switch {
	case bitsPart == "":
		return fmt.Errorf("netcalc: parse %q: no prefix length after the slash; use 0 to %d", s, width)
	case strings.Trim(bitsPart, "0123456789") != "":
		return fmt.Errorf("netcalc: parse %q: prefix length %q is not a number from 0 to %d", s, bitsPart, width)
	case len(bitsPart) > 1 && bitsPart[0] == '0':
		n := strings.TrimLeft(bitsPart, "0")
		if n == "" {
			n = "0"
		}
		return fmt.Errorf("netcalc: parse %q: prefix length %q has a leading zero; write %s", s, bitsPart, n)
	}
	if n, err := strconv.Atoi(bitsPart); err != nil || n > width {
		return fmt.Errorf("netcalc: parse %q: prefix length %s is longer than %d bits", s, bitsPart, width)
	}
	return fmt.Errorf("netcalc: parse %q: %w", s, perr)
}

// IsValid reports whether b is a block, rather than the zero Block.
func (b Block) IsValid() bool { return b.p.IsValid() }

// Is4 reports whether b is an IPv4 block.
func (b Block) Is4() bool { return b.p.Addr().Is4() }

// String returns b in CIDR notation, such as "10.0.0.0/16", or "invalid Block"
// for the zero Block. [Parse] reads it back.
func (b Block) String() string {
	if !b.IsValid() {
		return "invalid Block"
	}
	return b.p.String()
}

// MarshalText implements [encoding.TextMarshaler]: the CIDR notation, or
// empty for the zero Block.
func (b Block) MarshalText() ([]byte, error) {
	if !b.IsValid() {
		return []byte{}, nil
	}
	return []byte(b.p.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [Parse]; empty
// text is the zero Block.
func (b *Block) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*b = Block{}
		return nil
	}
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Prefix returns b as a [netip.Prefix], with its host bits zero.
func (b Block) Prefix() netip.Prefix { return b.p }

// Bits returns the prefix length: the number of network bits. It is -1 for
// the zero Block.
func (b Block) Bits() int { return b.p.Bits() }

// HostBits returns the number of host bits: 8 for a /24 (256 addresses).
// It is -1 for the zero Block.
func (b Block) HostBits() int {
	if !b.IsValid() {
		return -1
	}
	return b.width() - b.p.Bits()
}

func (b Block) width() int { return b.p.Addr().BitLen() }

func (b Block) first() uint128 { return addrInt(b.p.Addr()) }

func (b Block) last() uint128 { return b.first().or(lowBits(b.HostBits())) }

// blockAt returns the block of the given prefix length starting at start,
// which the caller has aligned.
func blockAt(start uint128, bits int, is4 bool) Block {
	return Block{netip.PrefixFrom(intAddr(start, is4), bits)}
}

// First returns the first address of b, the network address.
func (b Block) First() netip.Addr { return b.p.Addr() }

// Last returns the last address of b; for IPv4 the broadcast address.
func (b Block) Last() netip.Addr {
	if !b.IsValid() {
		return netip.Addr{}
	}
	return intAddr(b.last(), b.Is4())
}

// Netmask returns the network mask as an address: 255.255.255.0 for a /24.
func (b Block) Netmask() netip.Addr {
	if !b.IsValid() {
		return netip.Addr{}
	}
	return intAddr(lowBits(b.width()).andNot(lowBits(b.HostBits())), b.Is4())
}

// Wildcard returns the host mask, the inverse of [Block.Netmask]: 0.0.0.255
// for a /24. Access lists and some firewalls take it instead of the netmask.
func (b Block) Wildcard() netip.Addr {
	if !b.IsValid() {
		return netip.Addr{}
	}
	return intAddr(lowBits(b.HostBits()), b.Is4())
}

// Size returns the number of addresses in b: 2 to the power of its host
// bits, which for IPv6 can exceed any fixed-size integer. It is 0 for the
// zero Block.
func (b Block) Size() *big.Int {
	if !b.IsValid() {
		return new(big.Int)
	}
	return new(big.Int).Lsh(big.NewInt(1), uint(b.HostBits()))
}

// Contains reports whether b contains the address a. As with
// [netip.Prefix.Contains], an IPv4 address is not in an IPv6 block, and an
// address with a zone is in none.
func (b Block) Contains(a netip.Addr) bool { return b.p.Contains(a) }

// Overlaps reports whether b and o have any address in common; blocks of
// different families never do.
func (b Block) Overlaps(o Block) bool { return b.p.Overlaps(o.p) }

// Covers reports whether every address of o is in b, as a VPC's block
// covers its subnets'. A block covers itself.
func (b Block) Covers(o Block) bool {
	return b.IsValid() && o.IsValid() && b.Is4() == o.Is4() &&
		b.p.Bits() <= o.p.Bits() && b.p.Contains(o.p.Addr())
}

// Compare returns an integer comparing b and o: the zero Block sorts first,
// then IPv4 before IPv6, then by first address, then shorter prefixes
// (bigger blocks) first. It suits [slices.SortFunc].
func (b Block) Compare(o Block) int {
	if c := cmp.Compare(b.width(), o.width()); c != 0 || !b.IsValid() {
		return c
	}
	if c := b.p.Addr().Compare(o.p.Addr()); c != 0 {
		return c
	}
	return cmp.Compare(b.p.Bits(), o.p.Bits())
}

// Supernet returns the block with the shorter prefix length bits that
// contains b: 10.0.1.0/24 in a /16 is 10.0.0.0/16.
func (b Block) Supernet(bits int) (Block, error) {
	if !b.IsValid() {
		return Block{}, errors.New("netcalc: supernet of the zero Block")
	}
	if bits < 0 || bits > b.p.Bits() {
		return Block{}, fmt.Errorf("netcalc: supernet of %s: /%d is not a supernet; use a prefix length from 0 to %d", b, bits, b.p.Bits())
	}
	p, _ := b.p.Addr().Prefix(bits)
	return Block{p}, nil
}

// Subnets returns b cut into all its subnets of prefix length bits, in
// order: 10.0.0.0/16 in /24s is 10.0.0.0/24, 10.0.1.0/24 … 10.0.255.0/24.
// bits must be at least b's own length, and the cut must make at most
// 65,536 blocks.
func (b Block) Subnets(bits int) ([]Block, error) {
	if !b.IsValid() {
		return nil, errors.New("netcalc: subnets of the zero Block")
	}
	w := b.width()
	switch {
	case bits < b.p.Bits():
		return nil, fmt.Errorf("netcalc: subnets of %s: /%d is shorter than /%d; use a prefix length from %d to %d", b, bits, b.p.Bits(), b.p.Bits(), w)
	case bits > w:
		return nil, fmt.Errorf("netcalc: subnets of %s: prefix length %d is longer than %d bits", b, bits, w)
	case bits-b.p.Bits() > 16:
		return nil, fmt.Errorf("netcalc: subnets of %s: /%d would make 2^%d blocks, more than %d; use a prefix length from %d to %d", b, bits, bits-b.p.Bits(), maxSubnets, b.p.Bits(), b.p.Bits()+16)
	}
	return b.cut(bits, 1<<(bits-b.p.Bits())), nil
}

// cut returns the first n subnets of prefix length bits.
func (b Block) cut(bits, n int) []Block {
	out := make([]Block, n)
	step := lowBits(b.width() - bits)
	step, _ = step.add(uint128{lo: 1})
	at := b.first()
	for i := range out {
		out[i] = blockAt(at, bits, b.Is4())
		at, _ = at.add(step)
	}
	return out
}

// Split returns n equal subnets of b, the biggest that fit, in order: a /16
// split in 3 gives three /18s (a fourth /18 stays free). It is how a VPC is
// given one subnet per Availability Zone, or one public and one private per
// zone with n twice the zones.
func (b Block) Split(n int) ([]Block, error) {
	if !b.IsValid() {
		return nil, errors.New("netcalc: split of the zero Block")
	}
	if n < 1 || n > maxSubnets {
		return nil, fmt.Errorf("netcalc: split %s into %d: the number of subnets must be from 1 to %d", b, n, maxSubnets)
	}
	extra := uint128{lo: uint64(n - 1)}.bitLen() // ceil(log2(n))
	bits := b.p.Bits() + extra
	if bits > b.width() {
		return nil, fmt.Errorf("netcalc: split %s into %d: each would need /%d, longer than %d bits; at most %d fit", b, n, bits, b.width(), 1<<b.HostBits())
	}
	return b.cut(bits, n), nil
}

// The private ranges: RFC 1918 for IPv4, unique local addresses (RFC 4193)
// for IPv6.
var privateRanges = []Block{
	MustParse("10.0.0.0/8"),
	MustParse("172.16.0.0/12"),
	MustParse("192.168.0.0/16"),
	MustParse("fc00::/7"),
}

// IsPrivate reports whether all of b lies in a private range: 10.0.0.0/8,
// 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918) for IPv4, fc00::/7 (RFC 4193)
// for IPv6. A block that only partly overlaps one, such as 10.0.0.0/7, is not
// private.
func (b Block) IsPrivate() bool {
	for _, r := range privateRanges {
		if r.Covers(b) {
			return true
		}
	}
	return false
}
