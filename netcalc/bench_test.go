package netcalc

import (
	"net/netip"
	"testing"
)

var sinkBlock Block

func BenchmarkParse(b *testing.B) {
	for _, s := range []string{"10.0.0.0/24", "2001:db8:1234:1a00::/56"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				blk, err := Parse(s)
				if err != nil {
					b.Fatal(err)
				}
				sinkBlock = blk
			}
		})
	}
}

func BenchmarkContains(b *testing.B) {
	for _, tt := range []struct{ block, addr string }{
		{"10.0.0.0/16", "10.0.200.7"},
		{"2001:db8::/56", "2001:db8:0:ff::1"},
	} {
		blk, a := MustParse(tt.block), netip.MustParseAddr(tt.addr)
		b.Run(tt.block, func(b *testing.B) {
			for b.Loop() {
				if !blk.Contains(a) {
					b.Fatal("not contained")
				}
			}
		})
	}
}

// BenchmarkNextFree finds the next free /24 in a /8 that already has 1,000
// /24s, handed over in reverse order so the sort has work to do.
func BenchmarkNextFree(b *testing.B) {
	within := MustParse("10.0.0.0/8")
	first, err := MustParse("10.0.0.0/14").Subnets(24) // 1,024 /24s
	if err != nil {
		b.Fatal(err)
	}
	used := make([]Block, 1000)
	for i := range used {
		used[i] = first[len(used)-1-i]
	}
	want := first[1000]
	for b.Loop() {
		got, err := NextFree(within, 24, used)
		if err != nil || got != want {
			b.Fatalf("NextFree = %v, %v; want %v", got, err, want)
		}
	}
}
