package s3x

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Every pattern translates into a regular expression Go compiles; a pattern without
// metacharacters matches itself alone; patterns of literals, * and ? agree with a plain
// backtracking matcher (the differential check against Python is TestPatternMatchesPython).
func FuzzPattern(f *testing.F) {
	for _, s := range []string{"*", "*.txt", "a?c", "[abc]x", "[!a-c]", "[]]", "[z-a]", "[a-c-e]", "[", "a\\b", "**/x", "é[é-ü]"} {
		f.Add(s, "abc")
	}
	f.Fuzz(func(t *testing.T, pat, name string) {
		if !utf8.ValidString(pat) || !utf8.ValidString(name) {
			return // Python's str is text; the CLI's arguments are decoded first
		}
		p, err := CompilePattern(pat)
		if err != nil {
			t.Fatalf("CompilePattern(%q): %v (regexp %s)", pat, err, translatePattern(pat))
		}
		got := p.Match(name)
		if !strings.ContainsAny(pat, "*?[") {
			if got != (name == pat) {
				t.Fatalf("literal %q matching %q: %v", pat, name, got)
			}
			if !p.Match(pat) {
				t.Fatalf("literal %q does not match itself", pat)
			}
		}
		if !strings.Contains(pat, "[") {
			if want := globMatch([]rune(pat), []rune(name)); got != want {
				t.Fatalf("%q matching %q: %v, the plain matcher %v", pat, name, got, want)
			}
		}
	})
}

// globMatch matches * (any run) and ? (any one character), everything else literally.
func globMatch(pat, name []rune) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	switch pat[0] {
	case '*':
		for i := 0; i <= len(name); i++ {
			if globMatch(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	case '?':
		return len(name) > 0 && globMatch(pat[1:], name[1:])
	}
	return len(name) > 0 && pat[0] == name[0] && globMatch(pat[1:], name[1:])
}

// splitExt cuts a path into a root and an extension that join back into it; the extension
// is empty or a dot and no slash.
func FuzzSplitExt(f *testing.F) {
	for _, s := range []string{"a.txt", ".bashrc", "a/b.c/d", "..a", "a.", "/d/a.tar.gz", "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		root, ext := splitExt(p)
		if root+ext != p || (ext != "" && (ext[0] != '.' || strings.Contains(ext, "/"))) {
			t.Fatalf("splitExt(%q) = %q, %q", p, root, ext)
		}
		_ = ContentType(p)
	})
}
