package elbsim

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzWildcard checks the rule conditions' matcher against the same pattern as a regular
// expression (* any run, ? any one character). The corpus is in testdata/fuzz.
func FuzzWildcard(f *testing.F) {
	for _, s := range [][2]string{{"/api/*", "/api/users"}, {"*.example.com", "www.example.com"}, {"/img/?.png", "/img/a.png"},
		{"*a*b*", "xxaxxbxx"}, {"a*", "b"}, {"", ""}, {"**", "x"}, {"/x", "/x/"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		var re strings.Builder
		re.WriteString(`(?s)^`)
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(`.*`)
			case '?':
				re.WriteString(`.`)
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString(`$`)
		// The matcher works on bytes; the reference on runes: compare on ASCII only.
		for i := 0; i < len(pattern); i++ {
			if pattern[i] >= 0x80 {
				return
			}
		}
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return
			}
		}
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := wildcard(pattern, s); got != want {
			t.Fatalf("wildcard(%q, %q) = %v, the regular expression says %v", pattern, s, got, want)
		}
	})
}

// FuzzParseHost checks that a load balancer's host name is read back as itself, in either
// form, and that what is taken has the shape of AWS's DNS names.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"web-1234567890.us-east-1.elb.amazonaws.com", "internal-web-1.eu-west-1.elb.amazonaws.com:8080",
		"tcp-0123456789abcdef.elb.us-east-1.amazonaws.com", "web-1.us-east-1.elb.localhost:4566", "elasticloadbalancing.us-east-1.amazonaws.com",
		"bucket.s3-website-us-east-1.amazonaws.com", "web.us-east-1.elb.amazonaws.com", "[::1]:80", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		dns, port, ok := ParseHost(host)
		if !ok {
			return
		}
		if !strings.HasSuffix(dns, ".amazonaws.com") || strings.Count(dns, ".") != 4 || !strings.Contains(dns, ".elb.") || port < 0 || port > 65535 {
			t.Fatalf("ParseHost(%q) = %q, %d", host, dns, port)
		}
		again, p2, ok := ParseHost(dns)
		if !ok || again != dns || p2 != 0 {
			t.Fatalf("ParseHost(%q) = %q; again %q, %d, %v", host, dns, again, p2, ok)
		}
		local := strings.TrimSuffix(dns, ".amazonaws.com") + ".localhost:8080"
		if l, p3, ok := ParseHost(local); !ok || l != dns || p3 != 0 {
			t.Fatalf("ParseHost(%q) = %q, %d, %v", local, l, p3, ok)
		}
	})
}

// FuzzMatcher checks that an accepted matcher is codes from 200 to 499, and that it matches
// exactly the codes it lists.
func FuzzMatcher(f *testing.F) {
	for _, s := range []string{"200", "200-399", "200,302", "199", "500", "300-200", "200-", ",", "200,,201", "0200"} {
		f.Add(s, 250)
	}
	f.Fuzz(func(t *testing.T, s string, code int) {
		rs, ok := parseMatcher(s)
		if !ok {
			if matches(s, code) {
				t.Fatalf("matches(%q, %d) with a matcher that does not parse", s, code)
			}
			return
		}
		listed := false
		for _, part := range strings.Split(s, ",") {
			lo, hi, isRange := strings.Cut(part, "-")
			a, _ := strconv.Atoi(lo)
			b := a
			if isRange {
				b, _ = strconv.Atoi(hi)
			}
			if a < 200 || b > 499 || a > b {
				t.Fatalf("parseMatcher(%q) = %v, outside 200-499", s, rs)
			}
			listed = listed || code >= a && code <= b
		}
		if matches(s, code) != listed {
			t.Fatalf("matches(%q, %d) = %v", s, code, !listed)
		}
	})
}
