package ssmsim

import (
	"regexp"
	"strings"
	"testing"
)

// The grammar of parameter references, written as regular expressions: the differential
// check for parseRef. A name is one level or up to 15 slash-led levels of a-zA-Z0-9_.-; a
// reference adds a selector after a colon, or is the parameter's ARN.
var (
	nameGrammar = regexp.MustCompile(`^(?:[a-zA-Z0-9_.-]+|(?:/[a-zA-Z0-9_.-]+){1,15})$`)
	refGrammar  = regexp.MustCompile(`^(?:arn:aws:ssm:([^:]+):([^:]*):parameter/([^:]*)|([^:]*))(?::([^:]+))?$`)
)

// FuzzParameterName feeds the name and selector parser any text: it must never panic, must
// take exactly what the grammar above takes, and what it takes must come back the same from
// the reference it writes. The seed corpus is in testdata/fuzz/FuzzParameterName.
func FuzzParameterName(f *testing.F) {
	for _, s := range []string{
		"/app/db/url", "top", "/top", "/app/db/url:3", "/app/db/url:prod", " /spaced ",
		"arn:aws:ssm:us-east-1:123456789012:parameter/app/db/url:prod", "arn:aws:ssm:us-east-1::parameter/aws/service/x",
		"a/b", "/a//b", "/a/b/", "/a:1:2", "/a:", strings.Repeat("/l", 16), "/my param", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRef(s)
		want := grammarTakes(s)
		if (err == nil) != want {
			t.Fatalf("parseRef(%q) = %+v, %v; the grammar takes it: %v", s, r, err, want)
		}
		if err != nil {
			return
		}
		if checkName(r.Name) != nil {
			t.Fatalf("parseRef(%q) took the name %q that checkName refuses", s, r.Name)
		}
		again, err := parseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("parseRef(%q) = %+v; its String %q reads %+v, %v", s, r, r.String(), again, err)
		}
		if k := key(r.Name); key(k) != k && key("/"+k) != k {
			t.Fatalf("key(%q) = %q is not stable", r.Name, k)
		}
		if (r.Label == "") == (r.Selector != "" && !isDigits(r.Selector[1:])) {
			t.Fatalf("parseRef(%q): selector %q, label %q", s, r.Selector, r.Label)
		}
	})
}

// grammarTakes reports whether the regular grammar takes s as a parameter reference.
func grammarTakes(s string) bool {
	m := refGrammar.FindStringSubmatch(trimName(s))
	if m == nil {
		return false
	}
	name := m[4]
	if strings.HasPrefix(trimName(s), "arn:") {
		// Whatever begins so is read as an ARN, never as a name "arn" and a selector.
		if m[3] == "" {
			return false
		}
		name = "/" + m[3]
	}
	return len(name) <= maxNameLength && nameGrammar.MatchString(name)
}
