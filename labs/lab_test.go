package labs

import (
	"strings"
	"testing"
)

// TestAll checks that every lab parses, numbered from 1 with no gaps, with a title, steps
// and an introduction, and that each lab but the pure-arithmetic ones has goals.
func TestAll(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for i, lab := range all {
		if lab.Number != i+1 {
			t.Errorf("lab %s is number %d, want %d", lab.Name, lab.Number, i+1)
		}
		if lab.Title == "" || len(lab.Intro) == 0 || len(lab.Steps) == 0 {
			t.Errorf("lab %s: title %q, %d intro paragraphs, %d steps", lab.Name, lab.Title, len(lab.Intro), len(lab.Steps))
		}
		if len(lab.Goals) == 0 && !strings.Contains(lab.Name, "cidr") {
			t.Errorf("lab %s has no goals for `awsx lab check`", lab.Name)
		}
	}
	for _, id := range []string{"2", "02", "02-iam-admin-user", "iam-admin-user"} {
		if lab, err := Find(id); err != nil || lab.Number != 2 {
			t.Errorf("Find(%q) = %v, %v", id, lab, err)
		}
	}
	if _, err := Find("99"); err == nil {
		t.Error("Find(99) found a lab")
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"01-x.txtar", "# 1. step\naws sts get-caller-identity\n", "starts with"},
		{"x.txtar", "# Lab 1: X\n# 1. s\naws iam list-users\n", "file name"},
		{"01-x.txtar", "# Lab 1: X\naws iam list-users\n", "before the first step"},
		{"01-x.txtar", "# Lab 1: X\n# 2. s\naws iam list-users\n", "step 2 follows step 0"},
		{"01-x.txtar", "# Lab 1: X\n# 1. s\ncurl http://x\n", "unknown command"},
		{"01-x.txtar", "# Lab 1: X\n# 1. s\naws iam list-users 'x\n", "unterminated"},
		{"01-x.txtar", "# Lab 1: X\n# 1. s\naws iam list-users\n-- goals --\n# g\naws iam create-user --user-name x\n", "only reads"},
		{"01-x.txtar", "# Lab 1: X\n# 1. s\naws iam list-users\n-- goals --\n# g\n", "no checks"},
	} {
		_, err := Parse(tc.name, []byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tc.text, err, tc.want)
		}
	}
}

func TestLiteral(t *testing.T) {
	for _, tc := range []struct {
		pattern, text string
		exact         bool
	}{
		{`^arn:aws:iam::123456789012:root$`, "arn:aws:iam::123456789012:root", true},
		{`policy/ec2-no-terminate`, "policy/ec2-no-terminate", false},
		{`^ec2\.us-east-1\.amazonaws\.com$`, "ec2.us-east-1.amazonaws.com", true},
		{`^ec2-no-terminate\tuser-managed$`, "ec2-no-terminate\tuser-managed", true},
		{`^a.c$`, "", false},
		{`\badmin\b`, "", false},
	} {
		text, exact := literal(tc.pattern)
		if text != tc.text || exact != tc.exact {
			t.Errorf("literal(%q) = %q, %v; want %q, %v", tc.pattern, text, exact, tc.text, tc.exact)
		}
	}
}
