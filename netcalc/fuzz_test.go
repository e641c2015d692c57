package netcalc

import (
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// FuzzParse checks Parse against net/netip and net: it accepts exactly the
// prefixes netip.ParsePrefix accepts with no host bits set, agrees with
// net.ParseCIDR on the range, and round-trips through String and text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/24", "10.1.0.0/24", "10.0.0.1/24", "10.0.0.0/33", "0.0.0.0/0", "172.31.0.0/16",
		"2001:db8::/56", "::/0", "::ffff:10.0.0.0/104", "fe80::%eth0/64", "10.0.0.0/024", "10.0.0.0",
		"", "/", "1.2.3.4/", "::/128", "1.2.3.256/8", "10.0.0.0/-1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Parse(s)
		p, perr := netip.ParsePrefix(s)
		if err != nil {
			if b.IsValid() {
				t.Fatalf("Parse(%q) returned %v with error %v", s, b, err)
			}
			if !strings.HasPrefix(err.Error(), "netcalc: parse "+strconv.Quote(s)+": ") {
				t.Fatalf("Parse(%q) error %q does not quote the input", s, err)
			}
			if perr == nil && p == p.Masked() {
				t.Fatalf("Parse(%q) = %v but netip accepts %v", s, err, p)
			}
			if m, merr := ParseMasked(s); (merr == nil) != (perr == nil) || (merr == nil && m.Prefix() != p.Masked()) {
				t.Fatalf("ParseMasked(%q) = %v, %v; netip gives %v, %v", s, m, merr, p.Masked(), perr)
			}
			return
		}
		if perr != nil || p != p.Masked() || b.Prefix() != p {
			t.Fatalf("Parse(%q) = %v; netip gives %v, %v", s, b, p, perr)
		}

		// Round trips.
		if b2, err := Parse(b.String()); err != nil || b2 != b {
			t.Fatalf("Parse(%q).String() = %q, which parses to %v, %v", s, b.String(), b2, err)
		}
		text, _ := b.MarshalText()
		var b3 Block
		if err := b3.UnmarshalText(text); err != nil || b3 != b {
			t.Fatalf("text round trip of %v: %q gives %v, %v", b, text, b3, err)
		}

		// net.ParseCIDR (which also accepts host bits) agrees on the range.
		_, ipnet, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatalf("net.ParseCIDR(%q) = %v, but Parse accepts it", s, err)
		}
		ones, size := ipnet.Mask.Size()
		if ones != b.Bits() || size != b.width() {
			t.Fatalf("net mask of %q is /%d of %d bits; Parse gives %d of %d", s, ones, size, b.Bits(), b.width())
		}
		last := make(net.IP, len(ipnet.IP))
		for i := range last {
			last[i] = ipnet.IP[i] | ^ipnet.Mask[i]
		}
		if !ipnet.IP.Equal(b.First().AsSlice()) || !last.Equal(b.Last().AsSlice()) {
			t.Fatalf("net range of %q is %v to %v; Parse gives %v to %v", s, ipnet.IP, last, b.First(), b.Last())
		}
		if m := net.IP(b.Netmask().AsSlice()); !m.Equal(net.IP(ipnet.Mask)) {
			t.Fatalf("Netmask of %v = %v; net gives %v", b, b.Netmask(), net.IP(ipnet.Mask))
		}

		// The facts agree with one another.
		if !b.Contains(b.First()) || !b.Contains(b.Last()) || b.Last().Less(b.First()) {
			t.Fatalf("%v does not contain its ends %v and %v", b, b.First(), b.Last())
		}
		want := new(big.Int).Sub(new(big.Int).SetBytes(b.Last().AsSlice()), new(big.Int).SetBytes(b.First().AsSlice()))
		if want.Add(want, big.NewInt(1)); b.Size().Cmp(want) != 0 {
			t.Fatalf("Size of %v = %v; its range holds %v", b, b.Size(), want)
		}
		layout := b.Layout()
		if len(layout) != len(Binary(b.First())) || strings.Count(layout, "X") != b.Bits() || strings.Count(layout, "#") != b.HostBits() {
			t.Fatalf("Layout of %v = %q", b, layout)
		}
		if b.IsPrivate() && b.Is4() && (!b.First().IsPrivate() || !b.Last().IsPrivate()) {
			t.Fatalf("%v is private but netip says its ends %v, %v are not", b, b.First(), b.Last())
		}
	})
}

// fuzzAddr makes an address of raw's length (4 or 16 bytes), or reports false.
func fuzzAddr(raw []byte) (netip.Addr, bool) {
	a, ok := netip.AddrFromSlice(raw)
	return a, ok
}

// FuzzContains checks Block.Contains against netip.Prefix.Contains,
// net.IPNet.Contains and a comparison of the block's ends.
func FuzzContains(f *testing.F) {
	f.Add("10.0.0.0/24", []byte{10, 0, 0, 7})
	f.Add("10.0.0.0/24", []byte{10, 0, 1, 0})
	f.Add("10.0.0.0/8", []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1})
	f.Add("2001:db8::/32", []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add("::/0", []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, s string, raw []byte) {
		b, err := ParseMasked(s)
		a, ok := fuzzAddr(raw)
		if err != nil || !ok {
			return
		}
		got := b.Contains(a)
		if want := b.Prefix().Contains(a); got != want {
			t.Fatalf("%v.Contains(%v) = %v; netip says %v", b, a, got, want)
		}
		inRange := a.BitLen() == b.First().BitLen() && !a.Less(b.First()) && !b.Last().Less(a)
		if got != inRange {
			t.Fatalf("%v.Contains(%v) = %v; the range %v to %v says %v", b, a, got, b.First(), b.Last(), inRange)
		}
		// net treats IPv4 and IPv4-mapped IPv6 as one; compare where the families are plain.
		if a.Is4In6() || b.First().Is4In6() || a.Is4() != b.Is4() {
			return
		}
		_, ipnet, err := net.ParseCIDR(b.String())
		if err != nil {
			t.Fatalf("net.ParseCIDR(%v): %v", b, err)
		}
		if want := ipnet.Contains(a.AsSlice()); got != want {
			t.Fatalf("%v.Contains(%v) = %v; net says %v", b, a, got, want)
		}
	})
}

// FuzzPair checks the operations on two blocks against netip and against
// each other: Overlaps, Covers, Compare, Exclude and Merge.
func FuzzPair(f *testing.F) {
	f.Add("10.0.0.0/16", "10.0.5.0/24")
	f.Add("10.0.0.0/24", "10.1.0.0/24")
	f.Add("::/0", "ffff::/128")
	f.Add("10.0.0.0/8", "::ffff:10.0.0.0/104")
	f.Add("0.0.0.0/0", "255.255.255.255/32")
	f.Fuzz(func(t *testing.T, s1, s2 string) {
		a, err1 := ParseMasked(s1)
		o, err2 := ParseMasked(s2)
		if err1 != nil || err2 != nil {
			return
		}
		if got, want := a.Overlaps(o), a.Prefix().Overlaps(o.Prefix()); got != want || got != o.Overlaps(a) {
			t.Fatalf("%v.Overlaps(%v) = %v; netip says %v", a, o, got, want)
		}
		covers := a.Overlaps(o) && a.Bits() <= o.Bits()
		if a.Covers(o) != covers {
			t.Fatalf("%v.Covers(%v) = %v; want %v", a, o, a.Covers(o), covers)
		}
		if c := a.Compare(o); c != -o.Compare(a) || (c == 0) != (a == o) {
			t.Fatalf("Compare(%v, %v) = %d, reversed %d", a, o, c, o.Compare(a))
		}

		// a less o: inside a, clear of o, disjoint, and the right size.
		rest := a.Exclude(o)
		total := new(big.Int)
		for i, r := range rest {
			if !a.Covers(r) || r.Overlaps(o) {
				t.Fatalf("%v less %v gave %v, outside a or inside o", a, o, r)
			}
			if i > 0 && !rest[i-1].Last().Less(r.First()) {
				t.Fatalf("%v less %v: %v and %v are out of order or overlap", a, o, rest[i-1], r)
			}
			total.Add(total, r.Size())
		}
		want := a.Size()
		if a.Overlaps(o) {
			inner := o
			if o.Covers(a) {
				inner = a
			}
			want.Sub(want, inner.Size())
		}
		if total.Cmp(want) != 0 {
			t.Fatalf("%v less %v holds %v addresses; want %v", a, o, total, want)
		}
		if len(rest) > a.HostBits() && len(rest) > 1 {
			t.Fatalf("%v less %v is %d blocks, more than its %d host bits", a, o, len(rest), a.HostBits())
		}

		// Merging a with o, or a's remainder with o, gives the union.
		m := Merge([]Block{a, o})
		if a.Overlaps(o) {
			big := a
			if o.Covers(a) {
				big = o
			}
			if len(m) != 1 || m[0] != big {
				t.Fatalf("Merge(%v, %v) = %v; want %v", a, o, m, big)
			}
			if !o.Covers(a) {
				if m2 := Merge(append(rest, o)); len(m2) != 1 || m2[0] != a {
					t.Fatalf("Merge(%v less %v, %v) = %v; want %v", a, o, o, m2, a)
				}
			}
		} else if len(m) < 1 || len(m) > 2 {
			t.Fatalf("Merge(%v, %v) = %v", a, o, m)
		}
	})
}

// FuzzSummarize checks that Summarize covers exactly its range with aligned
// blocks in order, and that no two of them could be one.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{10, 0, 0, 1}, []byte{10, 0, 0, 254})
	f.Add([]byte{0, 0, 0, 0}, []byte{255, 255, 255, 255})
	f.Add([]byte{0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, []byte{0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, r1, r2 []byte) {
		lo, ok1 := fuzzAddr(r1)
		hi, ok2 := fuzzAddr(r2)
		if !ok1 || !ok2 {
			return
		}
		got, err := Summarize(lo, hi)
		if lo.BitLen() != hi.BitLen() || hi.Less(lo) {
			if err == nil {
				t.Fatalf("Summarize(%v, %v) = %v; want an error", lo, hi, got)
			}
			return
		}
		if err != nil || len(got) == 0 || len(got) > 2*lo.BitLen() {
			t.Fatalf("Summarize(%v, %v) = %v, %v", lo, hi, got, err)
		}
		if got[0].First() != lo || got[len(got)-1].Last() != hi {
			t.Fatalf("Summarize(%v, %v) spans %v to %v", lo, hi, got[0].First(), got[len(got)-1].Last())
		}
		for i := 1; i < len(got); i++ {
			if got[i-1].Last().Next() != got[i].First() {
				t.Fatalf("Summarize(%v, %v): a gap or overlap between %v and %v", lo, hi, got[i-1], got[i])
			}
		}
		if m := Merge(got); join(m) != join(got) {
			t.Fatalf("Summarize(%v, %v) = %v is not the fewest blocks: %v", lo, hi, got, m)
		}
	})
}

// FuzzNextFree checks NextFree against a search of every candidate block,
// with used blocks drawn from raw (five bytes each: an IPv4 address and a
// prefix length).
func FuzzNextFree(f *testing.F) {
	f.Add("10.0.0.0/20", uint8(24), []byte{10, 0, 0, 0, 24, 10, 0, 1, 0, 25, 10, 0, 2, 0, 23})
	f.Add("10.0.0.0/16", uint8(16), []byte{10, 0, 9, 0, 24})
	f.Add("255.255.255.0/24", uint8(26), []byte{255, 255, 255, 128, 25, 255, 255, 255, 0, 26})
	f.Fuzz(func(t *testing.T, s string, bits uint8, raw []byte) {
		within, err := ParseMasked(s)
		if err != nil {
			return
		}
		var used []Block
		for i := 0; i+5 <= len(raw) && len(used) < 64; i += 5 {
			a := netip.AddrFrom4([4]byte(raw[i : i+4]))
			used = append(used, Block{netip.PrefixFrom(a, int(raw[i+4])%33).Masked()})
		}
		got, err := NextFree(within, int(bits), used)
		if err != nil && !strings.HasPrefix(err.Error(), "netcalc: ") {
			t.Fatalf("NextFree error %q lacks the package prefix", err)
		}
		// The largest free block the error names is free, and nothing bigger is.
		if _, named, ok := strings.Cut(fmt.Sprint(err), "the largest free block is "); ok {
			largest := MustParse(named[:strings.IndexByte(named, ';')])
			if next, err := NextFree(within, largest.Bits(), used); err != nil || !within.Covers(largest) {
				t.Fatalf("NextFree(%v, %d, %v) names %v as the largest free block; a /%d search gives %v, %v", within, bits, used, largest, largest.Bits(), next, err)
			}
			for _, u := range used {
				if u.Overlaps(largest) {
					t.Fatalf("the largest free block %v overlaps the used %v", largest, u)
				}
			}
			if b := largest.Bits() - 1; b >= within.Bits() {
				if bigger, err := NextFree(within, b, used); err == nil {
					t.Fatalf("NextFree(%v, %d, %v) names %v as the largest free block, but %v is free", within, bits, used, largest, bigger)
				}
			}
		}
		if err == nil {
			if got.Bits() != int(bits) || !within.Covers(got) {
				t.Fatalf("NextFree(%v, %d) = %v, not a /%d inside", within, bits, got, bits)
			}
			for _, u := range used {
				if u.Overlaps(got) {
					t.Fatalf("NextFree(%v, %d) = %v, which overlaps the used %v", within, bits, got, u)
				}
			}
		}
		all, serr := within.Subnets(int(bits))
		if serr != nil || len(all) > 4096 {
			return
		}
		var first Block
		for _, c := range all {
			free := true
			for _, u := range used {
				free = free && !u.Overlaps(c)
			}
			if free {
				first = c
				break
			}
		}
		if first != got {
			t.Fatalf("NextFree(%v, %d, %v) = %v, %v; the first free is %v", within, bits, used, got, err, first)
		}
	})
}

// FuzzValidate checks the AWS rules against their definitions: a subnet that
// passes lies in the VPC, overlaps no other subnet and has an allowed size,
// and the valid block a failure suggests passes in its place.
func FuzzValidate(f *testing.F) {
	f.Add("10.0.0.0/16", "10.0.1.0/24", "10.0.1.0/24")
	f.Add("10.0.0.0/16", "10.1.0.0/24", "10.0.0.0/24")
	f.Add("10.0.0.0/8", "10.0.0.0/29", "10.0.0.0/28")
	f.Add("2001:db8::/56", "2001:db8:0:40::/58", "2001:db8::/64")
	f.Add("169.254.0.0/16", "169.254.0.0/24", "10.0.0.0/24")
	f.Fuzz(func(t *testing.T, v, s, o string) {
		vpc, err1 := ParseMasked(v)
		subnet, err2 := ParseMasked(s)
		other, err3 := ParseMasked(o)
		if err1 != nil || err2 != nil || err3 != nil {
			return
		}
		if err := ValidateVPC(vpc); err == nil {
			if !vpc.Is4() || vpc.Bits() < 16 || vpc.Bits() > 28 || vpc.Overlaps(MustParse("169.254.0.0/16")) {
				t.Fatalf("ValidateVPC accepts %v", vpc)
			}
		} else if re, ok := err.(*RuleError); ok && re.Rule == RuleVPCSize && (re.Valid.Bits() < 16 || re.Valid.Bits() > 28 || !re.Valid.Overlaps(vpc)) {
			t.Fatalf("ValidateVPC(%v) suggests %v", vpc, re.Valid)
		}
		_ = ValidateVPCBlock([]Block{vpc, other}, subnet) // must not panic

		vpcs, others := []Block{vpc}, []Block{other}
		err := ValidateSubnet(subnet, vpcs, others)
		if err == nil {
			if !vpc.Covers(subnet) || other.Overlaps(subnet) {
				t.Fatalf("ValidateSubnet(%v, %v, %v) passes", subnet, vpc, other)
			}
			if subnet.Is4() && (subnet.Bits() < 16 || subnet.Bits() > 28) || !subnet.Is4() && (subnet.Bits() < 44 || subnet.Bits() > 64 || subnet.Bits()%4 != 0) {
				t.Fatalf("ValidateSubnet passes the size of %v", subnet)
			}
			return
		}
		re, ok := err.(*RuleError)
		if !ok {
			t.Fatalf("ValidateSubnet(%v, %v, %v) = %v, not a *RuleError", subnet, vpc, other, err)
		}
		if re.Block != subnet || !strings.Contains(re.Error(), strconv.Quote(subnet.String())) {
			t.Fatalf("RuleError %q is about %v, not %v", re, re.Block, subnet)
		}
		if re.Valid.IsValid() && re.Rule != RuleSubnetSize {
			if err := ValidateSubnet(re.Valid, vpcs, others); err != nil {
				t.Fatalf("ValidateSubnet(%v, %v, %v) suggests %v, which fails: %v", subnet, vpc, other, re.Valid, err)
			}
		}
		if re.Valid.IsValid() && re.Rule == RuleSubnetSize {
			if err := ValidateSubnet(re.Valid, []Block{re.Valid}, nil); err != nil {
				t.Fatalf("ValidateSubnet(%v) suggests the size of %v, which fails: %v", subnet, re.Valid, err)
			}
		}
	})
}
