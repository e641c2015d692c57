package policy

import (
	"strings"
	"unicode/utf8"
)

// segKind is the kind of one piece of a compiled wildcard pattern.
type segKind uint8

const (
	segLit   segKind = iota // literal text
	segStar                 // * : any run of characters, including none, across / and :
	segQuest                // ? : exactly one character
	segVar                  // ${key} or ${key, 'default'}: the value of a context key, as literal text
)

type seg struct {
	kind   segKind
	text   string // segLit: the text; segVar: the key, lower-cased
	def    string // segVar: the default value
	hasDef bool
}

// pattern is a compiled wildcard pattern (a Resource, a StringLike value, an ARN part…).
type pattern struct {
	segs  []seg
	exact bool // no wildcard and no variable: segs is one literal (or none)
	all   bool // the pattern is "*"
	vars  bool // has segVar
}

// compilePattern splits p into literal runs, wildcards and, if vars, policy variables.
// With wild false, * and ? are literal (StringEquals), but variables still apply.
func compilePattern(p string, wild, vars bool) pattern {
	var out pattern
	lit := make([]byte, 0, len(p))
	flush := func() {
		if len(lit) > 0 {
			out.segs = append(out.segs, seg{kind: segLit, text: string(lit)})
			lit = lit[:0]
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case wild && c == '*':
			flush()
			if n := len(out.segs); n == 0 || out.segs[n-1].kind != segStar {
				out.segs = append(out.segs, seg{kind: segStar})
			}
			i++
			continue
		case wild && c == '?':
			flush()
			out.segs = append(out.segs, seg{kind: segQuest})
			i++
			continue
		case vars && c == '$' && i+1 < len(p) && p[i+1] == '{':
			end := strings.IndexByte(p[i+2:], '}')
			if end < 0 {
				break
			}
			body := p[i+2 : i+2+end]
			i += 2 + end + 1
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
			switch body {
			case "*", "?", "$":
				lit = append(lit, body...)
				continue
			}
			key, def, hasDef := strings.Cut(body, ",")
			key = strings.TrimSpace(key)
			if hasDef {
				def = strings.TrimSpace(def)
				if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
					def = def[1 : len(def)-1]
				}
			}
			flush()
			out.segs = append(out.segs, seg{kind: segVar, text: strings.ToLower(key), def: def, hasDef: hasDef})
			out.vars = true
			continue
		}
		lit = append(lit, c)
		i++
	}
	flush()
	switch {
	case len(out.segs) == 1 && out.segs[0].kind == segStar:
		out.all = true
	case !out.vars && len(out.segs) <= 1 && (len(out.segs) == 0 || out.segs[0].kind == segLit):
		out.exact = true
	}
	return out
}

// literal returns the text of an exact pattern.
func (p *pattern) literal() string {
	if len(p.segs) == 0 {
		return ""
	}
	return p.segs[0].text
}

// match reports whether s matches the pattern, resolving variables from ctx. A variable
// missing from ctx (with no default) makes the pattern match nothing.
func (p *pattern) match(s string, ctx Context, fold bool) bool {
	if p.all {
		return true
	}
	if p.exact {
		if fold {
			return equalFoldASCII(s, p.literal())
		}
		return s == p.literal()
	}
	segs := p.segs
	if p.vars {
		var buf [16]seg
		r := buf[:0]
		for _, sg := range p.segs {
			if sg.kind == segVar {
				v, ok := ctx.lookupLower(sg.text)
				switch {
				case ok && len(v) > 0:
					sg = seg{kind: segLit, text: v[0]}
				case sg.hasDef:
					sg = seg{kind: segLit, text: sg.def}
				default:
					return false
				}
			}
			r = append(r, sg)
		}
		segs = r
	}
	return matchSegs(segs, s, fold)
}

// resolvable reports whether every variable of the pattern has a value or a default in ctx.
func (p *pattern) resolvable(ctx Context) bool {
	if !p.vars {
		return true
	}
	for i := range p.segs {
		if sg := &p.segs[i]; sg.kind == segVar && !sg.hasDef {
			if _, ok := ctx.lookupLower(sg.text); !ok {
				return false
			}
		}
	}
	return true
}

// matchSegs is a glob match with backtracking to the last star only, which is enough because
// the pieces between stars have a fixed length in characters.
func matchSegs(segs []seg, s string, fold bool) bool {
	pi, si := 0, 0
	starPi, starSi := -1, 0
	for {
		if pi < len(segs) {
			sg := &segs[pi]
			switch sg.kind {
			case segStar:
				starPi, starSi = pi, si
				pi++
				continue
			case segQuest:
				if si < len(s) {
					_, w := utf8.DecodeRuneInString(s[si:])
					si += w
					pi++
					continue
				}
			case segLit:
				if hasPrefix(s[si:], sg.text, fold) {
					si += len(sg.text)
					pi++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starPi < 0 || starSi >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starSi:])
		starSi += w
		pi, si = starPi+1, starSi
	}
}

func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if fold {
		return equalFoldASCII(s[:len(prefix)], prefix)
	}
	return s[:len(prefix)] == prefix
}

// equalFoldASCII reports whether s equals t, ignoring the case of ASCII letters.
func equalFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c, d := s[i], t[i]
		if c == d {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// lowerASCII lower-cases the ASCII letters of s (policy actions and keys are ASCII; other
// bytes are kept, so that matching stays byte-exact for them).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
