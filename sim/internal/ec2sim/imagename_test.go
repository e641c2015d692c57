package ec2sim

import (
	"regexp"
	"testing"
)

// imageNameRule is AWS's rule for image names, as its API reference words it: 3 to 128 of
// letters, digits, ( ) [ ] space . / - ' @ _.
var imageNameRule = regexp.MustCompile(`^[A-Za-z0-9()\[\] ./'@_-]{3,128}$`)

// FuzzImageName checks CreateImage's name check against the rule written as a regular
// expression: the same verdict for any string, and never a panic. The seed corpus is in
// testdata/fuzz/FuzzImageName.
func FuzzImageName(f *testing.F) {
	for _, s := range []string{"web-v1", "ab", "web,1", "al2023 (golden) [v2] ops@team/it's_1.0", "é-unicode", string(make([]byte, 129))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := checkImageName(&name) == nil, imageNameRule.MatchString(name); got != want {
			t.Fatalf("checkImageName(%q) accepts = %t, the rule says %t", name, got, want)
		}
	})
}
