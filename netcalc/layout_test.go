package netcalc

import (
	"net/netip"
	"strings"
	"testing"
)

func TestLayout(t *testing.T) {
	tests := []struct {
		block, layout, binary string
	}{
		// The course notes' public and private subnets.
		{"10.0.0.0/24", "XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####", "0000 1010.0000 0000.0000 0000.0000 0000"},
		{"10.1.0.0/24", "XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####", "0000 1010.0000 0001.0000 0000.0000 0000"},
		{"10.0.0.0/16", "XXXX XXXX.XXXX XXXX.#### ####.#### ####", "0000 1010.0000 0000.0000 0000.0000 0000"},
		{"172.16.0.0/12", "XXXX XXXX.XXXX ####.#### ####.#### ####", "1010 1100.0001 0000.0000 0000.0000 0000"},
		{"192.168.1.128/25", "XXXX XXXX.XXXX XXXX.XXXX XXXX.X### ####", "1100 0000.1010 1000.0000 0001.1000 0000"},
		{"0.0.0.0/0", "#### ####.#### ####.#### ####.#### ####", "0000 0000.0000 0000.0000 0000.0000 0000"},
		{"255.255.255.255/32", "XXXX XXXX.XXXX XXXX.XXXX XXXX.XXXX XXXX", "1111 1111.1111 1111.1111 1111.1111 1111"},
		{"2001:db8::/34",
			"XXXX XXXX XXXX XXXX:XXXX XXXX XXXX XXXX:XX## #### #### ####:#### #### #### ####:#### #### #### ####:#### #### #### ####:#### #### #### ####:#### #### #### ####",
			"0010 0000 0000 0001:0000 1101 1011 1000:0000 0000 0000 0000:0000 0000 0000 0000:0000 0000 0000 0000:0000 0000 0000 0000:0000 0000 0000 0000:0000 0000 0000 0000"},
	}
	for _, tt := range tests {
		t.Run(tt.block, func(t *testing.T) {
			b := MustParse(tt.block)
			if got := b.Layout(); got != tt.layout {
				t.Errorf("Layout = %q; want %q", got, tt.layout)
			}
			if got := Binary(b.First()); got != tt.binary {
				t.Errorf("Binary = %q; want %q", got, tt.binary)
			}
			if n := strings.Count(b.Layout(), "X"); n != b.Bits() {
				t.Errorf("Layout has %d X; want %d", n, b.Bits())
			}
		})
	}
	if got := Binary(netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")); !strings.HasSuffix(got, ":1111 1111 1111 1110") || strings.Count(got, "1") != 127 {
		t.Errorf("Binary of the last IPv6 address but one = %q", got)
	}
	if Binary(netip.Addr{}) != "" {
		t.Error("Binary of the zero Addr is not empty")
	}
}
