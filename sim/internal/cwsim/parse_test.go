package cwsim

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"p50", 50, true}, {"p99", 99, true}, {"p99.9", 99.9, true}, {"p99.99", 99.99, true}, {"p0", 0, true}, {"p100", 100, true},
		{"p100.5", 0, false}, {"p101", 0, false}, {"p99.999", 0, false}, {"p", 0, false}, {"p.5", 0, false}, {"p5.", 0, false},
		{"P50", 0, false}, {"tm90", 0, false}, {"p-1", 0, false}, {"p1000", 0, false}, {"p9x", 0, false},
	} {
		got, ok := percentile(c.in)
		if ok != c.ok || ok && math.Abs(got-c.want) > 1e-9 {
			t.Errorf("percentile(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzPercentile checks the parser against the grammar: p, one to three digits, optionally a
// dot and one or two digits, at most 100; and that what it accepts reads back as a number.
func FuzzPercentile(f *testing.F) {
	for _, s := range []string{"p50", "p99.9", "p100", "p100.01", "p.", "p007.50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, ok := percentile(s)
		num, isP := strings.CutPrefix(s, "p")
		whole, frac, dotted := strings.Cut(num, ".")
		digits := func(x string, lo, hi int) bool {
			if len(x) < lo || len(x) > hi {
				return false
			}
			for _, c := range x {
				if c < '0' || c > '9' {
					return false
				}
			}
			return true
		}
		want := isP && digits(whole, 1, 3) && (!dotted || digits(frac, 1, 2))
		if want {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			want = v <= 100
			if want && math.Abs(v-q) > 1e-9 {
				t.Fatalf("percentile(%q) = %v, want %v", s, q, v)
			}
		}
		if ok != want {
			t.Fatalf("percentile(%q) ok = %v, want %v", s, ok, want)
		}
	})
}

func TestJavaDouble(t *testing.T) {
	for v, want := range map[float64]string{
		95: "95.0", 0.5: "0.5", 80: "80.0", 1.44: "1.44", 0: "0.0", -3: "-3.0", 1e7: "1.0E7", 12345678.9: "1.23456789E7",
		0.001: "0.001", 0.0001: "1.0E-4", 1.2345e-4: "1.2345E-4", 9999999: "9999999.0", math.NaN(): "NaN", math.Inf(-1): "-Infinity",
	} {
		if got := javaDouble(v); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", v, got, want)
		}
	}
}

// FuzzParseExpr parses and evaluates metric math: no panic, errors of the two kinds, and a
// parse of what it accepts is stable (an expression evaluates the same twice).
func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"m1 * 2", "SUM(METRICS())", "(m2 - m1) / 10", "AVG([m1, m2, 3])", "-(-m1)", "ABS(m1 - 100)", "FILL(m1, 0)",
		"m1 +", "((((m1))))", "MAX([m1", "1.5e3", "SUM(METRICS(\"x\"))", strings.Repeat("(", 100) + "m1" + strings.Repeat(")", 100)} {
		f.Add(s)
	}
	t0 := time.Unix(1_700_000_000, 0)
	series := map[string]timeSeries{"m1": {t0: 1, t0.Add(time.Minute): -2}, "m2": {t0: 10}}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseExpr(s)
		if err != nil {
			var e *exprError
			var u *unsupported
			if !errors.As(err, &e) && !errors.As(err, &u) {
				t.Fatalf("parseExpr(%q): %T %v", s, err, err)
			}
			return
		}
		a, errA := n.eval(series, []string{"m1", "m2"})
		b, errB := n.eval(series, []string{"m1", "m2"})
		if (errA == nil) != (errB == nil) || errA == nil && (a.scalar != b.scalar || len(a.s) != len(b.s)) {
			t.Fatalf("%q evaluates differently twice", s)
		}
	})
}
