package output

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FuzzYAMLRoundTrip: whatever style the emitter picks for a string, as a key and as a
// value, a YAML parser reads the same string back.
func FuzzYAMLRoundTrip(f *testing.F) {
	for _, s := range []string{"", "alex", "yes", "1", "1.5", "0x1F", "- x", "a: b", "#c", " lead", "trail ",
		"it's", "multi\nline\n", "tab\there", "\u2028", "é ☃ 😀", "\ufeff", "---", "...", "a #b", "x, y",
		"a very long string with spaces that goes on and on and on past the eighty column limit of the emitter",
		"double  spaces  in  a  long  line  that  goes  past  the  eighty  column  limit  of  the  emitter  ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the AWS CLI's data is text
		}
		if got := roundTrip(t, NewMap("k", s)); got["k"] != s {
			t.Errorf("value %q read back as %q", s, got["k"])
		}
		if got := roundTrip(t, NewMap(s, "v")); got[s] != "v" {
			t.Errorf("key %q not read back: %q", s, got)
		}
	})
}

// roundTrip writes m as yaml and reads it back.
func roundTrip(t *testing.T, m *Map) map[string]string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "yaml", m, ""); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := yaml.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("the yaml does not parse: %v\n%s", err, b.String())
	}
	return got
}
