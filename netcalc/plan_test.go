package netcalc

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		first, last string
		want        string
		wantErr     string
	}{
		{"10.0.0.0", "10.0.0.255", "10.0.0.0/24", ""},
		{"10.0.0.0", "10.0.2.255", "10.0.0.0/23 10.0.2.0/24", ""},
		{"10.0.0.1", "10.0.0.6", "10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32", ""},
		{"10.0.0.5", "10.0.0.5", "10.0.0.5/32", ""},
		{"0.0.0.0", "255.255.255.255", "0.0.0.0/0", ""},
		{"255.255.255.254", "255.255.255.255", "255.255.255.254/31", ""},
		{"128.0.0.0", "255.255.255.255", "128.0.0.0/1", ""},
		{"0.0.0.1", "255.255.255.255", "0.0.0.1/32 0.0.0.2/31 0.0.0.4/30 0.0.0.8/29 0.0.0.16/28 0.0.0.32/27 0.0.0.64/26 0.0.0.128/25 0.0.1.0/24 0.0.2.0/23 0.0.4.0/22 0.0.8.0/21 0.0.16.0/20 0.0.32.0/19 0.0.64.0/18 0.0.128.0/17 0.1.0.0/16 0.2.0.0/15 0.4.0.0/14 0.8.0.0/13 0.16.0.0/12 0.32.0.0/11 0.64.0.0/10 0.128.0.0/9 1.0.0.0/8 2.0.0.0/7 4.0.0.0/6 8.0.0.0/5 16.0.0.0/4 32.0.0.0/3 64.0.0.0/2 128.0.0.0/1", ""},
		{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0", ""},
		{"2001:db8::", "2001:db8:0:1ff:ffff:ffff:ffff:ffff", "2001:db8::/55", ""},
		{"::ffff:0:0", "::ffff:ffff:ffff", "::ffff:0.0.0.0/96", ""},
		{"10.0.0.9", "10.0.0.1", "", "netcalc: summarize 10.0.0.9 to 10.0.0.1: the range is backwards; did you mean 10.0.0.1 to 10.0.0.9?"},
		{"10.0.0.0", "::1", "", "netcalc: summarize 10.0.0.0 to ::1: the ends must both be IPv4 or both IPv6"},
		{"fe80::1%eth0", "fe80::9", "", "netcalc: summarize fe80::1%eth0 to fe80::9: drop the zones"},
	}
	for _, tt := range tests {
		t.Run(tt.first+"-"+tt.last, func(t *testing.T) {
			got, err := Summarize(netip.MustParseAddr(tt.first), netip.MustParseAddr(tt.last))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Summarize error = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || join(got) != tt.want {
				t.Fatalf("Summarize = %s, %v; want %s", join(got), err, tt.want)
			}
		})
	}
	if _, err := Summarize(netip.Addr{}, netip.MustParseAddr("10.0.0.0")); err == nil || err.Error() != `netcalc: summarize "invalid IP" to "10.0.0.0": both ends must be addresses` {
		t.Errorf("Summarize of the zero Addr: error %v", err)
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"10.0.0.0/24 10.0.1.0/24", "10.0.0.0/23"},
		{"10.0.1.0/24 10.0.0.0/24 10.0.2.0/24", "10.0.0.0/23 10.0.2.0/24"},
		{"10.0.0.0/16 10.0.5.0/24 10.0.0.0/16", "10.0.0.0/16"},
		{"10.0.0.0/24 10.0.2.0/24", "10.0.0.0/24 10.0.2.0/24"},
		{"10.0.0.128/25 10.0.0.0/25 10.0.1.0/24 10.0.2.0/23", "10.0.0.0/22"},
		{"0.0.0.0/1 128.0.0.0/1 10.0.0.0/8", "0.0.0.0/0"},
		{"255.255.255.255/32 255.255.255.0/24 255.255.255.128/25", "255.255.255.0/24"},
		{"255.0.0.0/8 255.255.0.0/16 255.255.255.255/32", "255.0.0.0/8"},
		{"2001:db8::/64 10.0.0.0/24 2001:db8:0:1::/64 10.0.1.0/24", "10.0.0.0/23 2001:db8::/63"},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120"},
		{"::/0 ::/1 8000::/1", "::/0"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var in []Block
			for _, s := range strings.Fields(tt.in) {
				in = append(in, MustParse(s))
			}
			in = append(in, Block{}) // ignored
			if got := join(Merge(in)); got != tt.want {
				t.Errorf("Merge = %s; want %s", got, tt.want)
			}
		})
	}
}

func TestExclude(t *testing.T) {
	tests := []struct {
		b, o, want string
	}{
		{"10.0.0.0/24", "10.0.0.64/26", "10.0.0.0/26 10.0.0.128/25"},
		{"10.0.0.0/24", "10.0.0.0/25", "10.0.0.128/25"},
		{"10.0.0.0/24", "10.0.0.128/25", "10.0.0.0/25"},
		{"10.0.0.0/24", "10.0.0.255/32", "10.0.0.0/25 10.0.0.128/26 10.0.0.192/27 10.0.0.224/28 10.0.0.240/29 10.0.0.248/30 10.0.0.252/31 10.0.0.254/32"},
		{"10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/24"},
		{"10.0.0.0/24", "10.0.0.0/24", ""},
		{"10.0.0.0/24", "10.0.0.0/8", ""},
		{"10.0.0.0/24", "::/0", "10.0.0.0/24"},
		{"::/0", "::/1", "8000::/1"},
		{"::/0", "8000::/1", "::/1"},
		{"2001:db8::/64", "2001:db8::/66", "2001:db8:0:0:4000::/66 2001:db8:0:0:8000::/65"},
	}
	for _, tt := range tests {
		t.Run(tt.b+"-"+tt.o, func(t *testing.T) {
			if got := join(MustParse(tt.b).Exclude(MustParse(tt.o))); got != tt.want {
				t.Errorf("Exclude = %s; want %s", got, tt.want)
			}
		})
	}
	// Taking the last /127 out of all IPv6 leaves one block of each length
	// from /1 to /127.
	rest := MustParse("::/0").Exclude(MustParse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"))
	if len(rest) != 127 || rest[0] != MustParse("::/1") || rest[126] != MustParse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/127") {
		t.Errorf("::/0 less its last /127 = %d blocks from %v to %v", len(rest), rest[0], rest[len(rest)-1])
	}
	for i, b := range rest {
		if b.Bits() != i+1 {
			t.Errorf("block %d is %v; want a /%d", i, b, i+1)
		}
	}
}

func TestNextFree(t *testing.T) {
	blocks := func(s string) []Block {
		var out []Block
		for _, f := range strings.Fields(s) {
			out = append(out, MustParse(f))
		}
		return out
	}
	tests := []struct {
		within  string
		bits    int
		used    string
		want    string
		wantErr string
	}{
		{"10.0.0.0/16", 24, "", "10.0.0.0/24", ""},
		{"10.0.0.0/16", 24, "10.0.0.0/24 10.0.1.0/24", "10.0.2.0/24", ""},
		{"10.0.0.0/16", 24, "10.0.1.0/24", "10.0.0.0/24", ""},
		{"10.0.0.0/16", 24, "10.0.0.0/25", "10.0.1.0/24", ""},
		{"10.0.0.0/16", 25, "10.0.0.0/25", "10.0.0.128/25", ""},
		{"10.0.0.0/16", 24, "10.0.2.0/23 10.0.0.0/24 10.0.1.0/26 10.0.1.255/32", "10.0.4.0/24", ""},
		{"10.0.0.0/16", 24, "10.0.0.0/8", "", "netcalc: no free /24 in 10.0.0.0/16: the used blocks fill it"},
		{"10.0.0.0/16", 24, "192.168.0.0/24 2001:db8::/64", "10.0.0.0/24", ""},
		{"10.0.0.0/22", 23, "10.0.0.0/24 10.0.1.0/25 10.0.2.0/24", "", "netcalc: no free /23 in 10.0.0.0/22: the largest free block is 10.0.3.0/24; ask for /24 or longer"},
		{"10.0.0.0/22", 24, "10.0.0.0/24 10.0.1.0/25 10.0.2.0/24", "10.0.3.0/24", ""},
		{"10.0.0.0/16", 16, "10.0.9.0/24", "", "netcalc: no free /16 in 10.0.0.0/16: the largest free block is 10.0.128.0/17; ask for /17 or longer"},
		{"10.0.0.0/16", 15, "", "", "netcalc: next free /15 in 10.0.0.0/16: use a prefix length from 16 to 32"},
		{"10.0.0.0/16", 33, "", "", "netcalc: next free /33 in 10.0.0.0/16: use a prefix length from 16 to 32"},
		{"255.255.255.0/24", 25, "255.255.255.0/25", "255.255.255.128/25", ""},
		{"255.255.255.0/24", 25, "255.255.255.128/25 255.255.255.0/26", "", "netcalc: no free /25 in 255.255.255.0/24: the largest free block is 255.255.255.64/26; ask for /26 or longer"},
		{"0.0.0.0/0", 1, "0.0.0.0/1", "128.0.0.0/1", ""},
		{"10.0.0.0/30", 31, "10.0.0.0/31 10.0.0.2/32", "", "netcalc: no free /31 in 10.0.0.0/30: the largest free block is 10.0.0.3/32; ask for /32 or longer"},
		{"10.0.0.0/30", 31, "10.0.0.1/32 10.0.0.2/31 9.0.0.0/8", "", "netcalc: no free /31 in 10.0.0.0/30: the largest free block is 10.0.0.0/32; ask for /32 or longer"},
		{"ffff::/16", 24, "ffff::/17 ffff:8000::/18 ffff:c000::/19 ffff:e000::/20 ffff:f000::/21 ffff:f800::/22 ffff:fc00::/23 ffff:fe00::/24 ffff:ff00::/25 ffff:ff80::/32", "", "netcalc: no free /24 in ffff::/16: the largest free block is ffff:ffc0::/26; ask for /26 or longer"},
		{"::/0", 64, "::/1", "8000::/64", ""},
		{"2001:db8::/56", 64, "2001:db8::/64 2001:db8:0:1::/64", "2001:db8:0:2::/64", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d/%s", tt.within, tt.bits, tt.used), func(t *testing.T) {
			got, err := NextFree(MustParse(tt.within), tt.bits, blocks(tt.used))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("NextFree = %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("NextFree = %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}
