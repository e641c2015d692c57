package s3cmd

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
)

// A Pattern is a shell pattern as Python's fnmatch reads it: "*" matches any run of
// characters, slashes included; "?" any one character; "[seq]" and "[!seq]" one character
// in or out of a set of characters and ranges; everything else itself. There is no quoting:
// a "[" with no closing "]" is itself. The zero Pattern is invalid.
type Pattern struct {
	text string
	re   *regexp.Regexp
}

// CompilePattern translates a shell pattern as fnmatch.translate does (Python 3.11) into
// an anchored regular expression.
func CompilePattern(pat string) (Pattern, error) {
	re, err := regexp.Compile(translatePattern(pat))
	if err != nil {
		return Pattern{}, fmt.Errorf("s3cmd: pattern %q: %w", pat, err)
	}
	return Pattern{pat, re}, nil
}

// Match reports whether name matches the whole pattern.
func (p Pattern) Match(name string) bool { return p.re != nil && p.re.MatchString(name) }

// String returns the pattern as written.
func (p Pattern) String() string { return p.text }

var patternCache sync.Map // string → Pattern

// fnmatch is Python's fnmatch.fnmatch on POSIX (case-sensitive).
func fnmatch(name, pat string) bool {
	if p, ok := patternCache.Load(pat); ok {
		return p.(Pattern).Match(name)
	}
	p, err := CompilePattern(pat)
	if err != nil {
		return false
	}
	patternCache.Store(pat, p)
	return p.Match(name)
}

// translatePattern follows fnmatch.translate step by step, writing Go's syntax; the
// character sets are rewritten by setItems, as Python's re would read fnmatch's text.
func translatePattern(pat string) string {
	rs := []rune(pat)
	var b strings.Builder
	b.WriteString(`^(?s:`)
	lastStar := false
	for i, n := 0, len(rs); i < n; {
		c := rs[i]
		i++
		star := false
		switch c {
		case '*':
			star = true
			if !lastStar {
				b.WriteString(`.*`)
			}
		case '?':
			b.WriteString(`.`)
		case '[':
			j := i
			if j < n && rs[j] == '!' {
				j++
			}
			if j < n && rs[j] == ']' {
				j++
			}
			for j < n && rs[j] != ']' {
				j++
			}
			if j >= n {
				b.WriteString(`\[`)
				break
			}
			stuff := setText(rs, i, j)
			i = j + 1
			switch {
			case stuff == "":
				b.WriteString(`[^\x00-\x{10FFFF}]`) // an empty set: never matches
			case stuff == "!":
				b.WriteString(`.`)
			default:
				negate := false
				if stuff[0] == '!' {
					negate, stuff = true, stuff[1:]
				} else if stuff[0] == '^' || stuff[0] == '[' {
					stuff = `\` + stuff
				}
				b.WriteString(goSet(negate, setItems(stuff)))
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
		lastStar = star
	}
	b.WriteString(`)\z`)
	return b.String()
}

// setText is the text fnmatch.translate puts between the brackets for pat[i:j]: with "-"
// ranges kept, empty ranges dropped, and backslashes, other hyphens and the set operators
// &, ~ and | escaped.
func setText(pat []rune, i, j int) string {
	stuff := string(pat[i:j])
	if !strings.Contains(stuff, "-") {
		stuff = strings.ReplaceAll(stuff, `\`, `\\`)
	} else {
		var chunks [][]rune
		k := i + 1
		if pat[i] == '!' {
			k = i + 2
		}
		for {
			k = indexRune(pat, '-', k, j)
			if k < 0 {
				break
			}
			chunks = append(chunks, pat[i:k])
			i = k + 1
			k += 3
		}
		if chunk := pat[i:j]; len(chunk) > 0 {
			chunks = append(chunks, chunk)
		} else {
			last := chunks[len(chunks)-1]
			chunks[len(chunks)-1] = append(append([]rune{}, last...), '-')
		}
		for k := len(chunks) - 1; k > 0; k-- {
			prev, cur := chunks[k-1], chunks[k]
			if len(prev) == 0 || len(cur) == 0 {
				continue // Python fails here (IndexError); keep both
			}
			if prev[len(prev)-1] > cur[0] {
				merged := append(append([]rune{}, prev[:len(prev)-1]...), cur[1:]...)
				chunks[k-1] = merged
				chunks = append(chunks[:k], chunks[k+1:]...)
			}
		}
		parts := make([]string, len(chunks))
		for n, ch := range chunks {
			s := strings.ReplaceAll(string(ch), `\`, `\\`)
			parts[n] = strings.ReplaceAll(s, "-", `\-`)
		}
		stuff = strings.Join(parts, "-")
	}
	var b strings.Builder
	for _, r := range stuff {
		if r == '&' || r == '~' || r == '|' {
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func indexRune(s []rune, r rune, from, to int) int {
	for k := max(from, 0); k < to && k < len(s); k++ {
		if s[k] == r {
			return k
		}
	}
	return -1
}

// setItems reads a set's text as Python's re does: "\x" is x, "a-b" a range (when a
// character follows the hyphen), anything else itself. It returns the ranges, a single
// character as a range of one.
func setItems(stuff string) [][2]rune {
	rs := []rune(stuff)
	var out [][2]rune
	item := func(i int) (rune, int) {
		if rs[i] == '\\' && i+1 < len(rs) {
			return rs[i+1], i + 2
		}
		return rs[i], i + 1
	}
	for i := 0; i < len(rs); {
		lo, next := item(i)
		if next+1 < len(rs) && rs[next] == '-' {
			hi, after := item(next + 1)
			if lo <= hi {
				out = append(out, [2]rune{lo, hi})
			}
			i = after
			continue
		}
		out = append(out, [2]rune{lo, lo})
		i = next
	}
	return out
}

// goSet writes the ranges as a Go character class, every character escaped.
func goSet(negate bool, items [][2]rune) string {
	if len(items) == 0 {
		if negate {
			return `.`
		}
		return `[^\x00-\x{10FFFF}]`
	}
	var b strings.Builder
	b.WriteByte('[')
	if negate {
		b.WriteByte('^')
	}
	for _, it := range items {
		fmt.Fprintf(&b, `\x{%x}`, it[0])
		if it[1] != it[0] {
			fmt.Fprintf(&b, `-\x{%x}`, it[1])
		}
	}
	b.WriteByte(']')
	return b.String()
}

// A filterRule is one --exclude or --include, in command-line order.
type filterRule struct {
	include bool
	pattern string
}

// filter is the AWS CLI's Filter: each rule's pattern joined to the source's root and to
// the destination's, the last rule matching a file deciding whether it is kept.
type filter struct {
	rules             []filterRule
	srcRoot, destRoot string
}

// newFilter is create_filter for the command's formatted source and destination
// (p.src, p.dest as the command line gave them).
func newFilter(rules []filterRule, src, dest string, dirOp bool, dir string) *filter {
	if len(rules) == 0 {
		return &filter{}
	}
	root := func(p string) string {
		if strings.HasPrefix(p, "s3://") {
			bucket, key, _ := SplitS3Path(p)
			if !dirOp && !strings.HasSuffix(key, "/") {
				parts := strings.Split(key, "/")
				key = strings.Join(parts[:len(parts)-1], "/")
			}
			return bucket + "/" + key
		}
		if dirOp {
			return absPath(dir, p)
		}
		return absPath(dir, pyDirname(p))
	}
	return &filter{rules: rules, srcRoot: root(src), destRoot: root(dest)}
}

// pyDirname is posixpath.dirname: everything before the last slash, trailing slashes
// removed unless it is all slashes.
func pyDirname(p string) string {
	i := strings.LastIndexByte(p, '/') + 1
	head := p[:i]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}

// keep reports whether the file or object (its src as the generators name it: an absolute
// path, or "bucket/key") passes the rules.
func (f *filter) keep(src, kind string) bool {
	ok := true
	for _, r := range f.rules {
		for _, root := range []string{f.srcRoot, f.destRoot} {
			pat := pyJoin(root, r.pattern)
			if kind == "local" {
				pat = strings.ReplaceAll(pat, "/", string(os.PathSeparator))
			}
			if fnmatch(src, pat) {
				ok = r.include
			}
		}
	}
	return ok
}
