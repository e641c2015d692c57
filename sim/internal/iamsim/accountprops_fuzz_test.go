package iamsim

import (
	"errors"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// FuzzCheckProperties: PutAccountProperties' check never panics, refuses with InvalidInput or
// ValidationError only, and accepts exactly the keys of AWS's form: one namespace, one "/",
// the pattern and the bounds.
func FuzzCheckProperties(f *testing.F) {
	for _, s := range [][3]string{
		{"RoleManager/Enabled", "true", "RoleManager/Mode"},
		{"A/b", "", "B/c"},
		{"/A", "x", "A/"},
		{"A/b/c", "x", "Ab"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, k1, v, k2 string) {
		props := map[string]string{k1: v, k2: v}
		err := checkProperties(props)
		if err != nil {
			var e *core.Error
			if !errors.As(err, &e) || (e.Code != InvalidInput && e.Code != ValidationError) {
				t.Fatalf("checkProperties(%q): %v", props, err)
			}
			return
		}
		for k := range props {
			ns, name, ok := strings.Cut(k, "/")
			if !ok || ns == "" || name == "" || strings.Contains(name, "/") || len(k) > 50 || !propertyKey.MatchString(k) || v == "" || len(v) > 1024 {
				t.Fatalf("accepted %q", props)
			}
		}
		if a, _, _ := strings.Cut(k1, "/"); !strings.HasPrefix(k2, a+"/") {
			t.Fatalf("accepted two namespaces: %q", props)
		}
	})
}
