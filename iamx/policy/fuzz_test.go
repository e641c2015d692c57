package policy

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that its errors are *Error, and that what it
// accepts survives parse → marshal → parse unchanged.
func FuzzParse(f *testing.F) {
	for _, d := range []string{ec2AllButTerminate, publicRead, oneBucket,
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["a*"]},"NumericLessThan":{"s3:max-keys":1e3}}}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		`{"Statement":[{"Sid":"1","Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::${aws:username}/${*}"}]}`,
	} {
		for k := Identity; k <= Trust; k++ {
			f.Add(d, uint8(k))
		}
	}
	f.Fuzz(func(t *testing.T, doc string, k uint8) {
		kind := Kind(k % 3)
		p, err := Parse(doc, kind)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" || !strings.HasPrefix(err.Error(), "policy: ") {
				t.Fatalf("error %T %q is not a proper *Error", err, err)
			}
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		q, err := Parse(string(b), kind)
		if err != nil {
			t.Fatalf("reparse of %s: %v", b, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the policy:\n%s\n%s", p, q)
		}
		b2, _ := json.Marshal(q)
		if string(b) != string(b2) {
			t.Fatalf("marshal not stable:\n%s\n%s", b, b2)
		}
		// Evaluating anything against it must not panic either.
		req := Request{Principal: alex, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
			Context: Context{"aws:username": {"alex"}, "aws:sourceip": {"10.0.0.1"}}}
		Evaluate(&req, &Policies{Identity: []Attached{{Name: "p", Policy: p}}, Resource: []Attached{{Name: "r", Policy: p}}})
	})
}

// FuzzMatch checks the wildcard matcher against a simple recursive reference matcher.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"},
		{"a*b?c", "axxbyc"},
		{"*a*a*a", "aaaa"},
		{"??*", "é"},
		{"ec2:Describe*", "EC2:describeregions"},
		{"", ""},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pat, s string, fold bool) {
		if len(pat) > 64 || len(s) > 64 || !utf8.ValidString(pat) || !utf8.ValidString(s) {
			return // the reference is exponential, and works on characters
		}
		p := pat
		if fold {
			p = lowerASCII(pat)
		}
		c := compilePattern(p, true, false)
		got := c.match(s, nil, fold)
		want := refMatch([]rune(p), []rune(s), fold)
		if got != want {
			t.Fatalf("match(%q, %q, fold=%v) = %v, reference says %v", p, s, fold, got, want)
		}
	})
}

// refMatch is the textbook recursive glob: * any run of characters, ? one character.
func refMatch(p, s []rune, fold bool) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if refMatch(p[1:], s[i:], fold) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && refMatch(p[1:], s[1:], fold)
	}
	if len(s) == 0 {
		return false
	}
	a, b := p[0], s[0]
	if fold && a < 128 && b < 128 {
		a, b = []rune(strings.ToLower(string(a)))[0], []rune(strings.ToLower(string(b)))[0]
	}
	return a == b && refMatch(p[1:], s[1:], fold)
}
