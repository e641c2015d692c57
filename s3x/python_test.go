package s3x

import (
	"testing"

	"github.com/awsxlab/awsx/internal/pycompare"
)

// Patterns as fnmatch reads them, compared with Python's own fnmatch on the same names.
func TestPatternMatchesPython(t *testing.T) {
	patterns := []string{
		"*", "*.txt", "*.json", "dir/*", "/abs/dir/*", "a?c", "[abc]x", "[!abc]x", "[a-c]x", "[z-a]x", "[!z-a]x",
		"[]]", "[!]]", "[]-a]", "[a-]", "[-a]", "[!-a]", "[", "[a", "a[", "[!]", "[!", "[\\]", "[a\\-z]", "a[b-d-f]g",
		"[a-c-e]", "[&&]", "[~~]", "[||]", "[^a]", "[[]", "[[:alpha:]]", "x[a[:digit:]]", "**", "*a*b*", "?", "??",
		"sub/*.json", "*/.hidden/*", ".*", "[.]*", "a\\b", "*\n*", "é*", "[é-ü]", "[!é]", "(a|b)", "a+", "{a,b}", "$a^",
	}
	names := []string{
		"", "a", "x", "ax", "bx", "dx", "zx", "-x", "]", "-", "[", "[a", "a[", "\\", "\\]", "a\\b", "abc", "a.txt",
		"dir/a.txt", "dir/sub/b.json", "/abs/dir/file", "/abs/dir/sub/file", ".hidden", "x/.hidden/y", "a\nb", "é",
		"éé", "ü", "ñ", "&", "~", "|", "^", "(a|b)", "a+", "aa", "{a,b}", "$a^", "aXbYb", "ac", "abg", "aeg", "a-g",
		"c", "e", "d",
	}
	type pair struct{ P, N string }
	var pairs []pair
	for _, p := range patterns {
		for _, n := range names {
			pairs = append(pairs, pair{p, n})
		}
	}
	var want []any // bool, or null where Python raises
	pycompare.Run(t, `
import fnmatch, json, sys
out = []
for p in json.load(sys.stdin):
    try:
        out.append(fnmatch.fnmatch(p['N'], p['P']))
    except Exception:
        out.append(None)
print(json.dumps(out))
`, pairs, &want)
	for i, p := range pairs {
		w, ok := want[i].(bool)
		if !ok {
			continue // Python itself fails on the pattern
		}
		if got := fnmatch(p.N, p.P); got != w {
			t.Errorf("fnmatch(%q, %q) = %v, Python says %v (regexp %s)", p.N, p.P, got, w, translatePattern(p.P))
		}
	}
}

// Content types as Python's mimetypes guesses them on this machine.
func TestGuessContentTypeMatchesPython(t *testing.T) {
	names := []string{
		"/d/a.txt", "/d/a.html", "/d/a.HTML", "/d/a.json", "/d/a.JSON", "/d/a.tar.gz", "/d/a.gz", "/d/a.tgz", "/d/a.svgz",
		"/d/a.tar.bz2", "/d/a.tbz2", "/d/a.txz", "/d/a.Z", "/d/a.br", "/d/a.py", "/d/a.md", "/d/a.csv", "/d/a.wasm",
		"/d/a.webp", "/d/a.mjs", "/d/a.js", "/d/a.css", "/d/a.png", "/d/a.jpg", "/d/a.jpeg", "/d/a.svg", "/d/a.pdf",
		"/d/a.zip", "/d/a.bin", "/d/a.exe", "/d/a", "/d/.bashrc", "/d/..a", "/d/.a.txt", "/d.x/a", "/d/a.", "/d/a.txt.gz",
		"/d/a.TXT", "/d/a.Gz", "/d/a.ico", "/d/a.xml", "/d/a.yaml", "/d/a.yml", "/d/a.toml", "/d/a.mp4", "/d/a.woff2",
		"/d/a.sh", "/d/a.c", "/d/a.h", "/d/a.go", "/d/a.rs", "/d/a.ts", "/d/a.tsv", "/d/a.ics", "/d/a.epub",
	}
	var want []*string
	pycompare.Run(t, `
import json, mimetypes, sys
print(json.dumps([mimetypes.guess_type(n)[0] for n in json.load(sys.stdin)]))
`, names, &want)
	for i, n := range names {
		w := ""
		if want[i] != nil {
			w = *want[i]
		}
		if got := ContentType(n); got != w {
			t.Errorf("ContentType(%q) = %q, Python's mimetypes %q", n, got, w)
		}
	}
}
