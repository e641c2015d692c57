package ec2sim

import (
	"math/big"
	"regexp"
	"testing"
	"time"
)

// decimal is the shape parsePrice takes: digits, a point, digits, one side at least.
var decimal = regexp.MustCompile(`^([0-9]+\.?[0-9]*|\.[0-9]+)$`)

// FuzzSpotPrice feeds the price parser any string: it must never panic; what it takes must
// be a plain decimal, equal to math/big's reading of it rounded half up to micro-dollars, and
// come back the same from its own six-decimal and short forms. The seed corpus is in
// testdata/fuzz/FuzzSpotPrice.
func FuzzSpotPrice(f *testing.F) {
	for _, s := range []string{"0.05", ".05", "1", "0", "0.0000005", "0.0000004999", "9999.999999", "10000", "10000.0000001",
		"0.040.050.04 / 3", "-1", "+1", "1e-3", "", ".", "0x10", " 0.05", "00000000000000000000.1", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePrice(s)
		if !ok {
			if decimal.MatchString(s) {
				if r, _ := new(big.Rat).SetString(s); r != nil && r.Cmp(big.NewRat(int64(maxPrice), int64(dollar))) <= 0 {
					t.Fatalf("refused %q, a decimal within bounds", s)
				}
			}
			return
		}
		if !decimal.MatchString(s) {
			t.Fatalf("took %q, not a plain decimal", s)
		}
		r, _ := new(big.Rat).SetString(s)
		micro := new(big.Rat).Mul(r, big.NewRat(int64(dollar), 1))
		// round half up: floor(x + 1/2)
		micro.Add(micro, big.NewRat(1, 2))
		want := new(big.Int).Quo(micro.Num(), micro.Denom())
		if want.Int64() != int64(p) {
			t.Fatalf("parsePrice(%q) = %d micro-dollars, math/big says %s", s, p, want)
		}
		if p < 0 || p > maxPrice {
			t.Fatalf("parsePrice(%q) = %d, out of bounds", s, p)
		}
		for _, form := range []string{p.String(), p.short()} {
			if again, ok := parsePrice(form); !ok || again != p {
				t.Fatalf("%q → %d → %q → %d %v", s, p, form, again, ok)
			}
		}
	})
}

func TestSpotPriceForms(t *testing.T) {
	for _, tc := range []struct {
		in         string
		six, short string
	}{
		{"0.05", "0.050000", "0.05"},
		{".1", "0.100000", "0.1"},
		{"1", "1.000000", "1.0"},
		{"0.0374", "0.037400", "0.0374"},
		{"0.0000005", "0.000001", "0.000001"},
	} {
		p, ok := parsePrice(tc.in)
		if !ok || p.String() != tc.six || p.short() != tc.short {
			t.Errorf("%q → %v %q %q, want %q %q", tc.in, ok, p.String(), p.short(), tc.six, tc.short)
		}
	}
}

// TestMarketSeries: a market's price is found within five slots back, stays within its band,
// and its changes are the instants at which the price moves.
func TestSpotMarketSeries(t *testing.T) {
	m := market{Zone: "us-east-1a", Type: "m4.large"}
	od, _ := onDemandPrice(m.Type, productLinux)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(30 * 24 * time.Hour)
	changes := m.naturalChanges(from, to, od)
	if n := len(changes); n < 30*24/12 || n > 30*24/3+1 {
		t.Errorf("%d changes in 30 days", n)
	}
	for k, c := range changes {
		if c.Price < od/4 || c.Price > od*40/100 {
			t.Errorf("price %s out of its band", c.Price)
		}
		if p, at := m.natural(c.At, od); p != c.Price || !at.Equal(c.At) {
			t.Errorf("at the change %v: %s since %v, want %s", c.At, p, at, c.Price)
		}
		if k > 0 {
			if p, at := m.natural(c.At.Add(-time.Second), od); p != changes[k-1].Price || !at.Equal(changes[k-1].At) {
				t.Errorf("just before %v: %s since %v", c.At, p, at)
			}
		}
	}
}
