package netcalc

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string // String of the block, when valid
		wantErr string // the whole error message, when not
	}{
		{in: "10.0.0.0/24", want: "10.0.0.0/24"},
		{in: "10.1.0.0/24", want: "10.1.0.0/24"},
		{in: "0.0.0.0/0", want: "0.0.0.0/0"},
		{in: "255.255.255.255/32", want: "255.255.255.255/32"},
		{in: "2001:db8::/56", want: "2001:db8::/56"},
		{in: "2001:DB8:0::/32", want: "2001:db8::/32"},
		{in: "::/0", want: "::/0"},
		{in: "::ffff:10.0.0.0/104", want: "::ffff:10.0.0.0/104"},
		{in: "10.0.0.1/24", wantErr: `netcalc: parse "10.0.0.1/24": host bits are set; the network is 10.0.0.0/24`},
		{in: "2001:db8::1/64", wantErr: `netcalc: parse "2001:db8::1/64": host bits are set; the network is 2001:db8::/64`},
		{in: "10.0.0.0/33", wantErr: `netcalc: parse "10.0.0.0/33": prefix length 33 is longer than 32 bits`},
		{in: "::/129", wantErr: `netcalc: parse "::/129": prefix length 129 is longer than 128 bits`},
		{in: "10.0.0.0/99999999999999999999", wantErr: `netcalc: parse "10.0.0.0/99999999999999999999": prefix length 99999999999999999999 is longer than 32 bits`},
		{in: "10.0.0.0", wantErr: `netcalc: parse "10.0.0.0": no prefix length; a single address is 10.0.0.0/32`},
		{in: "2001:db8::", wantErr: `netcalc: parse "2001:db8::": no prefix length; a single address is 2001:db8::/128`},
		{in: "", wantErr: `netcalc: parse "": not a CIDR block; write an address and a prefix length, like 10.0.0.0/16`},
		{in: "vpc", wantErr: `netcalc: parse "vpc": not a CIDR block; write an address and a prefix length, like 10.0.0.0/16`},
		{in: "10.0.0.256/24", wantErr: `netcalc: parse "10.0.0.256/24": "10.0.0.256" is not an IPv4 or IPv6 address: IPv4 field has value >255`},
		{in: "10.0.0.0/", wantErr: `netcalc: parse "10.0.0.0/": no prefix length after the slash; use 0 to 32`},
		{in: "10.0.0.0/-1", wantErr: `netcalc: parse "10.0.0.0/-1": prefix length "-1" is not a number from 0 to 32`},
		{in: "10.0.0.0/ 8", wantErr: `netcalc: parse "10.0.0.0/ 8": prefix length " 8" is not a number from 0 to 32`},
		{in: "10.0.0.0/024", wantErr: `netcalc: parse "10.0.0.0/024": prefix length "024" has a leading zero; write 24`},
		{in: "0.0.0.0/00", wantErr: `netcalc: parse "0.0.0.0/00": prefix length "00" has a leading zero; write 0`},
		{in: "fe80::%eth0/64", wantErr: `netcalc: parse "fe80::%eth0/64": a block has no zone; drop "%eth0"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Parse(%q) = %v, %v; want error %q", tt.in, b, err, tt.wantErr)
				}
				if b.IsValid() {
					t.Errorf("Parse(%q) returned the valid block %v with its error", tt.in, b)
				}
				return
			}
			if err != nil || b.String() != tt.want {
				t.Fatalf("Parse(%q) = %v, %v; want %s", tt.in, b, err, tt.want)
			}
		})
	}
}

func TestParseMasked(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "100.68.0.18/18", want: "100.68.0.0/18"}, // the example of the AWS docs
		{in: "10.0.0.0/16", want: "10.0.0.0/16"},
		{in: "2001:db8::1/64", want: "2001:db8::/64"},
		{in: "10.0.0.0/33", wantErr: `netcalc: parse "10.0.0.0/33": prefix length 33 is longer than 32 bits`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, err := ParseMasked(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseMasked(%q) = %v, %v; want error %q", tt.in, b, err, tt.wantErr)
				}
				return
			}
			if err != nil || b.String() != tt.want {
				t.Fatalf("ParseMasked(%q) = %v, %v; want %s", tt.in, b, err, tt.want)
			}
		})
	}
}

func TestFromPrefix(t *testing.T) {
	b, err := FromPrefix(netip.MustParsePrefix("10.0.0.0/16"))
	if err != nil || b != MustParse("10.0.0.0/16") {
		t.Errorf("FromPrefix(10.0.0.0/16) = %v, %v", b, err)
	}
	_, err = FromPrefix(netip.MustParsePrefix("10.0.0.1/16"))
	if want := `netcalc: prefix "10.0.0.1/16": host bits are set; the network is 10.0.0.0/16`; err == nil || err.Error() != want {
		t.Errorf("FromPrefix(10.0.0.1/16) error = %v; want %q", err, want)
	}
	_, err = FromPrefix(netip.Prefix{})
	if want := `netcalc: prefix "invalid Prefix" is not valid`; err == nil || err.Error() != want {
		t.Errorf("FromPrefix(zero) error = %v; want %q", err, want)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustParse(10.0.0.1/24) did not panic")
		}
	}()
	MustParse("10.0.0.1/24")
}

func TestBlockFacts(t *testing.T) {
	tests := []struct {
		block                                string
		first, last, netmask, wildcard, size string
		bits, hostBits                       int
		private, is4                         bool
	}{
		// The course notes: 10.0.0.0/24 spans 10.0.0.0 to 10.0.0.255.
		{"10.0.0.0/24", "10.0.0.0", "10.0.0.255", "255.255.255.0", "0.0.0.255", "256", 24, 8, true, true},
		{"10.1.0.0/24", "10.1.0.0", "10.1.0.255", "255.255.255.0", "0.0.0.255", "256", 24, 8, true, true},
		{"10.0.0.0/16", "10.0.0.0", "10.0.255.255", "255.255.0.0", "0.0.255.255", "65536", 16, 16, true, true},
		{"172.31.0.0/16", "172.31.0.0", "172.31.255.255", "255.255.0.0", "0.0.255.255", "65536", 16, 16, true, true},
		{"172.32.0.0/16", "172.32.0.0", "172.32.255.255", "255.255.0.0", "0.0.255.255", "65536", 16, 16, false, true},
		{"192.168.0.0/20", "192.168.0.0", "192.168.15.255", "255.255.240.0", "0.0.15.255", "4096", 20, 12, true, true},
		{"10.0.0.0/7", "10.0.0.0", "11.255.255.255", "254.0.0.0", "1.255.255.255", "33554432", 7, 25, false, true},
		{"0.0.0.0/0", "0.0.0.0", "255.255.255.255", "0.0.0.0", "255.255.255.255", "4294967296", 0, 32, false, true},
		{"10.0.0.7/32", "10.0.0.7", "10.0.0.7", "255.255.255.255", "0.0.0.0", "1", 32, 0, true, true},
		{"2001:db8::/56", "2001:db8::", "2001:db8:0:ff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ff00::", "::ff:ffff:ffff:ffff:ffff", "4722366482869645213696", 56, 72, false, false},
		{"fd00::/8", "fd00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::", "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1329227995784915872903807060280344576", 8, 120, true, false},
		{"::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "340282366920938463463374607431768211456", 0, 128, false, false},
		{"::ffff:10.0.0.0/104", "::ffff:10.0.0.0", "::ffff:10.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ff00:0", "::ff:ffff", "16777216", 104, 24, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.block, func(t *testing.T) {
			b := MustParse(tt.block)
			got := []string{b.First().String(), b.Last().String(), b.Netmask().String(), b.Wildcard().String(), b.Size().String()}
			want := []string{tt.first, tt.last, tt.netmask, tt.wildcard, tt.size}
			if !slices.Equal(got, want) {
				t.Errorf("first, last, netmask, wildcard, size = %q; want %q", got, want)
			}
			if b.Bits() != tt.bits || b.HostBits() != tt.hostBits {
				t.Errorf("Bits, HostBits = %d, %d; want %d, %d", b.Bits(), b.HostBits(), tt.bits, tt.hostBits)
			}
			if b.IsPrivate() != tt.private {
				t.Errorf("IsPrivate = %v; want %v", b.IsPrivate(), tt.private)
			}
			if b.Is4() != tt.is4 {
				t.Errorf("Is4 = %v; want %v", b.Is4(), tt.is4)
			}
			if b.Prefix() != netip.MustParsePrefix(tt.block) {
				t.Errorf("Prefix = %v; want %s", b.Prefix(), tt.block)
			}
		})
	}
}

func TestZeroBlock(t *testing.T) {
	var z Block
	if z.IsValid() || z.String() != "invalid Block" || z.Bits() != -1 || z.HostBits() != -1 {
		t.Errorf("zero Block: IsValid %v, String %q, Bits %d, HostBits %d", z.IsValid(), z.String(), z.Bits(), z.HostBits())
	}
	if z.First().IsValid() || z.Last().IsValid() || z.Netmask().IsValid() || z.Wildcard().IsValid() {
		t.Error("zero Block has valid addresses")
	}
	if z.Size().Sign() != 0 || z.IsPrivate() || z.Layout() != "" || z.Contains(netip.MustParseAddr("10.0.0.0")) {
		t.Error("zero Block has a size, is private, has a layout or contains an address")
	}
	b := MustParse("10.0.0.0/8")
	if z.Overlaps(b) || z.Covers(b) || b.Covers(z) || z.Exclude(b) != nil || !slices.Equal(b.Exclude(z), []Block{b}) {
		t.Error("zero Block overlaps, covers, is covered or excludes")
	}
	if z.Compare(b) >= 0 || b.Compare(z) <= 0 || z.Compare(Block{}) != 0 {
		t.Error("zero Block does not sort first")
	}
	for name, err := range map[string]error{
		"Supernet": second(z.Supernet(0)),
		"Subnets":  second(z.Subnets(8)),
		"Split":    second(z.Split(2)),
		"NextFree": second(NextFree(z, 8, nil)),
	} {
		if err == nil || !strings.HasPrefix(err.Error(), "netcalc: ") || !strings.Contains(err.Error(), "zero Block") {
			t.Errorf("%s of the zero Block: error %v", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestContainsOverlapsCovers(t *testing.T) {
	tests := []struct {
		a, b              string
		overlaps, aCovers bool
	}{
		// The course notes: the public and the private subnet do not overlap.
		{"10.0.0.0/24", "10.1.0.0/24", false, false},
		{"10.0.0.0/16", "10.0.5.0/24", true, true},
		{"10.0.5.0/24", "10.0.0.0/16", true, false},
		{"10.0.0.0/24", "10.0.0.0/24", true, true},
		{"10.0.0.0/24", "10.0.1.0/24", false, false},
		{"0.0.0.0/0", "192.168.1.0/24", true, true},
		{"::/0", "10.0.0.0/8", false, false},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8", false, false},
		{"2001:db8::/56", "2001:db8:0:ff::/64", true, true},
		{"2001:db8::/56", "2001:db8:0:100::/64", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" "+tt.b, func(t *testing.T) {
			a, b := MustParse(tt.a), MustParse(tt.b)
			if a.Overlaps(b) != tt.overlaps || b.Overlaps(a) != tt.overlaps {
				t.Errorf("Overlaps = %v, reversed %v; want %v", a.Overlaps(b), b.Overlaps(a), tt.overlaps)
			}
			if a.Covers(b) != tt.aCovers {
				t.Errorf("Covers = %v; want %v", a.Covers(b), tt.aCovers)
			}
		})
	}

	contains := []struct {
		block, addr string
		want        bool
	}{
		{"10.0.0.0/24", "10.0.0.0", true},
		{"10.0.0.0/24", "10.0.0.255", true},
		{"10.0.0.0/24", "10.0.1.0", false},
		{"10.0.0.0/24", "9.255.255.255", false},
		{"10.0.0.0/8", "::ffff:10.0.0.1", false},
		{"2001:db8::/32", "2001:db8:ffff::1", true},
		{"2001:db8::/32", "2001:db9::", false},
		{"fe80::/10", "fe80::1%eth0", false},
	}
	for _, tt := range contains {
		t.Run(tt.block+" contains "+tt.addr, func(t *testing.T) {
			if got := MustParse(tt.block).Contains(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("Contains = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	in := []Block{
		MustParse("2001:db8::/32"), MustParse("10.0.1.0/24"), {}, MustParse("10.0.0.0/24"),
		MustParse("10.0.0.0/16"), MustParse("::/0"), MustParse("9.0.0.0/8"),
	}
	slices.SortFunc(in, Block.Compare)
	want := []Block{{}, MustParse("9.0.0.0/8"), MustParse("10.0.0.0/16"), MustParse("10.0.0.0/24"),
		MustParse("10.0.1.0/24"), MustParse("::/0"), MustParse("2001:db8::/32")}
	if !slices.Equal(in, want) {
		t.Errorf("sorted = %v; want %v", in, want)
	}
}

func TestSupernet(t *testing.T) {
	tests := []struct {
		block   string
		bits    int
		want    string
		wantErr string
	}{
		{"10.0.1.0/24", 16, "10.0.0.0/16", ""},
		{"10.0.1.0/24", 24, "10.0.1.0/24", ""},
		{"10.0.1.0/24", 23, "10.0.0.0/23", ""},
		{"10.0.1.0/24", 0, "0.0.0.0/0", ""},
		{"2001:db8:0:ff::/64", 56, "2001:db8::/56", ""},
		{"10.0.1.0/24", 25, "", "netcalc: supernet of 10.0.1.0/24: /25 is not a supernet; use a prefix length from 0 to 24"},
		{"10.0.1.0/24", -1, "", "netcalc: supernet of 10.0.1.0/24: /-1 is not a supernet; use a prefix length from 0 to 24"},
	}
	for _, tt := range tests {
		t.Run(tt.block, func(t *testing.T) {
			got, err := MustParse(tt.block).Supernet(tt.bits)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Supernet(%d) = %v, %v; want error %q", tt.bits, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("Supernet(%d) = %v, %v; want %s", tt.bits, got, err, tt.want)
			}
		})
	}
}

func TestSubnets(t *testing.T) {
	tests := []struct {
		block       string
		bits        int
		n           int
		first, last string
		wantErr     string
	}{
		// The course notes: a 10.0.0.0/16 VPC splits into /24s.
		{"10.0.0.0/16", 24, 256, "10.0.0.0/24", "10.0.255.0/24", ""},
		// The default VPC splits into the default subnets' /20s.
		{"172.31.0.0/16", 20, 16, "172.31.0.0/20", "172.31.240.0/20", ""},
		{"10.0.0.0/24", 24, 1, "10.0.0.0/24", "10.0.0.0/24", ""},
		{"10.0.0.0/24", 25, 2, "10.0.0.0/25", "10.0.0.128/25", ""},
		{"255.255.255.0/24", 26, 4, "255.255.255.0/26", "255.255.255.192/26", ""},
		{"0.0.0.0/0", 16, 65536, "0.0.0.0/16", "255.255.0.0/16", ""},
		{"2001:db8::/56", 64, 256, "2001:db8::/64", "2001:db8:0:ff::/64", ""},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120", 128, 256, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", ""},
		{"10.0.0.0/16", 8, 0, "", "", "netcalc: subnets of 10.0.0.0/16: /8 is shorter than /16; use a prefix length from 16 to 32"},
		{"10.0.0.0/16", 33, 0, "", "", "netcalc: subnets of 10.0.0.0/16: prefix length 33 is longer than 32 bits"},
		{"10.0.0.0/8", 28, 0, "", "", "netcalc: subnets of 10.0.0.0/8: /28 would make 2^20 blocks, more than 65536; use a prefix length from 8 to 24"},
	}
	for _, tt := range tests {
		t.Run(tt.block+"/"+tt.first, func(t *testing.T) {
			got, err := MustParse(tt.block).Subnets(tt.bits)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Subnets(%d) error = %v; want %q", tt.bits, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.n || got[0].String() != tt.first || got[len(got)-1].String() != tt.last {
				t.Fatalf("Subnets(%d) = %d blocks %v…, %v; want %d from %s to %s", tt.bits, len(got), got[:min(len(got), 3)], err, tt.n, tt.first, tt.last)
			}
			if m := Merge(got); len(m) != 1 || m[0] != MustParse(tt.block) {
				t.Errorf("the subnets merge to %v, not back to %s", m, tt.block)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		block   string
		n       int
		want    string
		wantErr string
	}{
		{"10.0.0.0/16", 1, "10.0.0.0/16", ""},
		{"10.0.0.0/16", 2, "10.0.0.0/17 10.0.128.0/17", ""},
		{"10.0.0.0/16", 3, "10.0.0.0/18 10.0.64.0/18 10.0.128.0/18", ""},
		// Three zones, a public and a private subnet in each.
		{"10.0.0.0/16", 6, "10.0.0.0/19 10.0.32.0/19 10.0.64.0/19 10.0.96.0/19 10.0.128.0/19 10.0.160.0/19", ""},
		{"10.0.0.0/30", 4, "10.0.0.0/32 10.0.0.1/32 10.0.0.2/32 10.0.0.3/32", ""},
		{"2001:db8::/56", 3, "2001:db8::/58 2001:db8:0:40::/58 2001:db8:0:80::/58", ""},
		{"10.0.0.0/28", 32, "", "netcalc: split 10.0.0.0/28 into 32: each would need /33, longer than 32 bits; at most 16 fit"},
		{"10.0.0.0/16", 0, "", "netcalc: split 10.0.0.0/16 into 0: the number of subnets must be from 1 to 65536"},
		{"10.0.0.0/8", 65537, "", "netcalc: split 10.0.0.0/8 into 65537: the number of subnets must be from 1 to 65536"},
	}
	for _, tt := range tests {
		t.Run(tt.block+"/"+tt.want, func(t *testing.T) {
			got, err := MustParse(tt.block).Split(tt.n)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Split(%d) error = %v; want %q", tt.n, err, tt.wantErr)
				}
				return
			}
			if err != nil || join(got) != tt.want {
				t.Fatalf("Split(%d) = %s, %v; want %s", tt.n, join(got), err, tt.want)
			}
		})
	}
}

func join(bs []Block) string {
	s := make([]string, len(bs))
	for i, b := range bs {
		s[i] = b.String()
	}
	return strings.Join(s, " ")
}

func TestText(t *testing.T) {
	type doc struct {
		VPC    Block
		Subnet Block
	}
	in := doc{VPC: MustParse("10.0.0.0/16")}
	data, err := json.Marshal(in)
	if err != nil || string(data) != `{"VPC":"10.0.0.0/16","Subnet":""}` {
		t.Fatalf("json.Marshal = %s, %v", data, err)
	}
	var out doc
	if err := json.Unmarshal(data, &out); err != nil || out != in {
		t.Fatalf("json.Unmarshal = %+v, %v; want %+v", out, err, in)
	}
	err = json.Unmarshal([]byte(`{"VPC":"10.0.0.1/16"}`), &out)
	if err == nil || !strings.Contains(err.Error(), `netcalc: parse "10.0.0.1/16": host bits are set`) {
		t.Errorf("json.Unmarshal of a bad block: error %v", err)
	}
}
