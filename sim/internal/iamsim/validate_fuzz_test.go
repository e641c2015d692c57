package iamsim

import (
	"regexp"
	"testing"
)

// FuzzIsName: isName accepts exactly what IAM's name pattern, as a regular expression, does.
func FuzzIsName(f *testing.F) {
	pattern := regexp.MustCompile(`^[\w+=,.@-]+$`)
	for _, s := range []string{"alex", "web-role_1+=,.@", "", "a b", "a/b", "é", "a\n", "a$", "ABCxyz0189"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isName(s), pattern.MatchString(s); got != want {
			t.Fatalf("isName(%q) = %v, want %v", s, got, want)
		}
	})
}
