package s3x

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
)

// A Pattern is a shell pattern as Python's fnmatch reads it, the AWS CLI's --exclude and
// --include patterns: "*" matches any run of
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
		return Pattern{}, fmt.Errorf("s3x: pattern %q: %w", pat, err)
	}
	return Pattern{pat, re}, nil
}

// Match reports whether name matches the whole pattern. A Pattern is immutable and safe for
// concurrent use.
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

// A Rule is one --exclude or --include of the AWS CLI: a [Pattern] and whether a file it
// matches is kept.
type Rule struct {
	Include bool // true for --include, false for --exclude
	Pattern string
}

// Exclude is the rule --exclude pattern.
func Exclude(pattern string) Rule { return Rule{Pattern: pattern} }

// Include is the rule --include pattern.
func Include(pattern string) Rule { return Rule{Include: true, Pattern: pattern} }

// A Filter is the AWS CLI's --exclude and --include rules over a transfer's files: every
// file is kept unless a rule matches it, and of the rules that match a file the last one
// decides. A rule's pattern is joined to each root (the source's, then the destination's)
// and matched against the whole name of the file as the transfer lists it: an absolute path
// for a local file, "bucket/key" for an object. With the source's root a directory
// ("/home/me/site/") or a prefix ("bucket/site/"), "*.txt" keeps or drops the text files at
// any depth below it ("*" crosses slashes), "img/*" everything below img/.
//
// A Filter is immutable and safe for concurrent use.
type Filter struct {
	rules []Rule
	roots []string
}

// NewFilter returns the filter of the rules, in the order the AWS CLI's command line gives
// them, for a transfer whose roots (source first) are roots: a directory's absolute path or
// an S3 "bucket/prefix". A filter without rules keeps everything.
func NewFilter(rules []Rule, roots ...string) *Filter {
	return &Filter{rules: append([]Rule(nil), rules...), roots: append([]string(nil), roots...)}
}

// Keep reports whether the filter keeps the file or object called name (an absolute path
// when local is true, else "bucket/key").
func (f *Filter) Keep(name string, local bool) bool {
	if f == nil {
		return true
	}
	ok := true
	for _, r := range f.rules {
		for _, root := range f.roots {
			pat := pyJoin(root, r.Pattern)
			if local {
				pat = strings.ReplaceAll(pat, "/", string(os.PathSeparator))
			}
			if fnmatch(name, pat) {
				ok = r.Include
			}
		}
	}
	return ok
}

// pyJoin is posixpath.join of two parts: b as it is when absolute, else a/b.
func pyJoin(a, b string) string {
	switch {
	case strings.HasPrefix(b, "/"):
		return b
	case a == "" || strings.HasSuffix(a, "/"):
		return a + b
	}
	return a + "/" + b
}
