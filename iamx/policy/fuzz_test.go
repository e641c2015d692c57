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

// FuzzMatch checks the wildcard matcher against a reference matcher that is plainly correct
// and linear in the product of the lengths, so that no input makes the reference, rather
// than the product, the slow side: the textbook recursion took exponential time on
// ("*********A", 32 zeros) and the fuzzer reported a hang of the test, not of the matcher.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"},
		{"a*b?c", "axxbyc"},
		{"*a*a*a", "aaaa"},
		{"??*", "é"},
		{"ec2:Describe*", "EC2:describeregions"},
		{"", ""},
		{"*********A", strings.Repeat("0", 32)},
		{strings.Repeat("*a", 40) + "b", strings.Repeat("a", 200)},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pat, s string, fold bool) {
		if len(pat) > 1024 || len(s) > 1024 || !utf8.ValidString(pat) || !utf8.ValidString(s) {
			return // the reference works on characters; 1 KiB × 1 KiB is a million steps
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

// TestRefMatch pins the reference itself on the cases a glob gets wrong most often, and on
// the input that made the recursive reference take exponential time.
func TestRefMatch(t *testing.T) {
	tests := []struct {
		p, s string
		fold bool
		want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"?", "", false, false},
		{"?", "é", false, true},
		{"a*b?c", "axxbyc", false, true},
		{"a*b?c", "axxbc", false, false},
		{"*a*a*a", "aaaa", false, true},
		{"*a*a*a", "aa", false, false},
		{"ec2:describe*", "EC2:DescribeRegions", true, true},
		{"ec2:describe*", "EC2:DescribeRegions", false, false},
		{"é", "É", true, false}, // folding is ASCII only
		{"*********A", strings.Repeat("0", 32), true, false},
		{"*********0", strings.Repeat("0", 32), true, true},
	}
	for _, tt := range tests {
		if got := refMatch([]rune(tt.p), []rune(tt.s), tt.fold); got != tt.want {
			t.Errorf("refMatch(%q, %q, %v) = %v, want %v", tt.p, tt.s, tt.fold, got, tt.want)
		}
	}
}

// refMatch is the textbook glob — * any run of characters, ? one character, anything else
// itself (ASCII letters in either case when fold) — as dynamic programming over suffixes:
// m[i][j] reports whether p[i:] matches s[j:]. O(len(p)·len(s)) time.
func refMatch(p, s []rune, fold bool) bool {
	m := make([][]bool, len(p)+1)
	for i := range m {
		m[i] = make([]bool, len(s)+1)
	}
	m[len(p)][len(s)] = true // the empty pattern matches only the empty string
	for i := len(p) - 1; i >= 0; i-- {
		for j := len(s); j >= 0; j-- {
			switch {
			case p[i] == '*': // no character, or one more and still the star
				m[i][j] = m[i+1][j] || j < len(s) && m[i][j+1]
			case j == len(s):
				m[i][j] = false
			case p[i] == '?':
				m[i][j] = m[i+1][j+1]
			default:
				m[i][j] = sameRune(p[i], s[j], fold) && m[i+1][j+1]
			}
		}
	}
	return m[0][0]
}

// sameRune reports whether a and b are equal, ASCII letters in either case when fold.
func sameRune(a, b rune, fold bool) bool {
	if fold && a < 128 && b < 128 {
		a, b = []rune(strings.ToLower(string(a)))[0], []rune(strings.ToLower(string(b)))[0]
	}
	return a == b
}
