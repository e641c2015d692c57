package params

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The AWS CLI's shorthand syntax ("Using shorthand syntax with the AWS CLI"):
//
//	parameter     = keyval *("," keyval)
//	keyval        = key "=" [values]
//	key           = *(ALPHA / DIGIT / "-" / "_" / "." / "#" / "/" / ":")
//	values        = csv-values / explicit-list / hash-literal
//	csv-values    = first-value *("," second-value)   ; one value is a string, more a list
//	explicit-list = "[" [ explicit-value *("," explicit-value) ] "]"
//	hash-literal  = "{" [ key "=" explicit-value *("," key "=" explicit-value) ] "}"
//	explicit-value = explicit-list / hash-literal / first-value
//
// A first value may hold "=" and "[" but not "," "]" "}"; a second value may hold "]" and "}"
// but not "=" or ",": so in `a=b,c=d` the parser, having read "c", backtracks to the comma and
// starts a new key. `\,` is a literal comma in unquoted values; quoted values ('…' or "…")
// hold anything, with `\'` (or `\"`) and `\\` as escapes.

// ShorthandError is a value the shorthand parser rejects. Its message is the AWS CLI's.
type ShorthandError struct {
	Input    string
	Offset   int    // byte offset in Input where the parser stopped
	Expected string // what the parser expected: "=", ",", "<second>", …
	Actual   string // what it found: a character, "EOF" or "<none>"
	Key      string // for a key given twice: the key (Expected and Actual are empty)
}

func (e *ShorthandError) Error() string {
	if e.Expected == "" {
		return fmt.Sprintf("Second instance of key %q encountered for input:\n%s\n"+
			"This is often because there is a preceding \",\" instead of a space.", e.Key, e.location())
	}
	return fmt.Sprintf("Expected: '%s', received: '%s' for input:\n%s", e.Expected, e.Actual, e.location())
}

// location is the input with a caret under the offending character, on the line where it is.
func (e *ShorthandError) location() string {
	s, i := e.Input, e.Offset
	start := strings.LastIndexByte(s[:i], '\n') + 1
	spaces := utf8.RuneCountInString(s[start:i])
	consumed, remaining := s, ""
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		consumed, remaining = s[:i+j], s[i+j:]
	}
	return consumed + "\n" + strings.Repeat(" ", spaces) + "^" + remaining
}

// object is a shorthand or JSON object that remembers the order of its keys, as the AWS CLI's
// dictionaries do: validation reports problems in that order.
type object struct {
	keys []string
	vals map[string]any
	json bool // decoded from JSON: Python's json.loads makes an OrderedDict
}

func newObject() *object { return &object{vals: map[string]any{}} }

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// ParseShorthand parses the AWS CLI shorthand syntax into generic values: map[string]any for
// structures and maps, []any for lists, string for scalars. Errors are *[ShorthandError].
func ParseShorthand(s string) (any, error) {
	v, err := parseShorthand(s)
	if err != nil {
		return nil, err
	}
	return plain(v), nil
}

func parseShorthand(s string) (*object, error) {
	p := &shParser{s: s}
	return p.parameter()
}

// plain turns objects into maps.
func plain(v any) any {
	switch v := v.(type) {
	case *object:
		m := make(map[string]any, len(v.vals))
		for k, x := range v.vals {
			m[k] = plain(x)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = plain(x)
		}
		return l
	}
	return v
}

type shParser struct {
	s string
	i int
}

func (p *shParser) eof() bool { return p.i >= len(p.s) }

// cur returns the byte at the cursor, or 0 at the end (no syntax character is 0).
func (p *shParser) cur() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.i]
}

func (p *shParser) fail(expected string) error {
	actual := "EOF"
	if !p.eof() {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if r == utf8.RuneError && n == 1 {
			actual = p.s[p.i : p.i+1]
		} else {
			actual = string(r)
		}
	}
	return &ShorthandError{Input: p.s, Offset: p.i, Expected: expected, Actual: actual}
}

func (p *shParser) none(what string) error {
	return &ShorthandError{Input: p.s, Offset: p.i, Expected: "<" + what + ">", Actual: "<none>"}
}

// skipSpace skips ASCII whitespace, the characters Python's string.whitespace holds.
func (p *shParser) skipSpace() {
	for !p.eof() && strings.IndexByte(" \t\n\r\v\f", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *shParser) expect(c byte, space bool) error {
	if space {
		p.skipSpace()
	}
	if p.eof() || p.s[p.i] != c {
		return p.fail(string(c))
	}
	p.i++
	if space {
		p.skipSpace()
	}
	return nil
}

func (p *shParser) parameter() (*object, error) {
	obj := newObject()
	k, v, err := p.keyval()
	if err != nil {
		return nil, err
	}
	obj.set(k, v)
	last := p.i
	for !p.eof() {
		if err := p.expect(',', true); err != nil {
			return nil, err
		}
		k, v, err := p.keyval()
		if err != nil {
			return nil, err
		}
		if _, dup := obj.vals[k]; dup {
			_, n := utf8.DecodeRuneInString(p.s[last:])
			return nil, &ShorthandError{Input: p.s, Offset: last + n, Key: k}
		}
		obj.set(k, v)
		last = p.i
	}
	return obj, nil
}

func (p *shParser) keyval() (string, any, error) {
	k := p.key()
	if err := p.expect('=', true); err != nil {
		return "", nil, err
	}
	v, err := p.values()
	return k, v, err
}

func isKeyChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.#/:", c) >= 0
}

func (p *shParser) key() string {
	start := p.i
	for !p.eof() && isKeyChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *shParser) values() (any, error) {
	switch {
	case p.eof():
		return "", nil
	case p.cur() == '[':
		return p.list()
	case p.cur() == '{':
		return p.hash()
	}
	return p.csv()
}

// csv reads `a` (a string) or `a,b,c` (a list), leaving a following `,key=` to the caller.
func (p *shParser) csv() (any, error) {
	first, err := p.firstValue()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.eof() || p.cur() != ',' {
		return first, nil
	}
	if err := p.expect(',', true); err != nil {
		return nil, err
	}
	list := []any{first}
	for {
		v, err := p.secondValue()
		if err == nil {
			p.skipSpace()
			if p.eof() {
				list = append(list, v)
				break
			}
			if err = p.expect(',', true); err == nil {
				list = append(list, v)
				continue
			}
		}
		// What follows the comma is not a value but the next key=: back up to the comma.
		if p.eof() {
			return nil, err
		}
		for p.i >= 0 && p.s[p.i] != ',' {
			p.i--
		}
		break
	}
	if len(list) == 1 {
		return first, nil
	}
	return list, nil
}

func (p *shParser) list() (any, error) {
	if err := p.expect('[', true); err != nil {
		return nil, err
	}
	list := []any{}
	for p.cur() != ']' || p.eof() {
		v, err := p.explicitValue()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.skipSpace()
		if p.eof() || p.cur() != ']' {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
	}
	if err := p.expect(']', false); err != nil {
		return nil, err
	}
	return list, nil
}

func (p *shParser) hash() (any, error) {
	if err := p.expect('{', true); err != nil {
		return nil, err
	}
	obj := newObject()
	for p.cur() != '}' || p.eof() {
		k := p.key()
		if err := p.expect('=', true); err != nil {
			return nil, err
		}
		v, err := p.explicitValue()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.eof() || p.cur() != '}' {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
		obj.set(k, v)
	}
	if err := p.expect('}', false); err != nil {
		return nil, err
	}
	return obj, nil
}

func (p *shParser) explicitValue() (any, error) {
	if !p.eof() {
		switch p.cur() {
		case '[':
			return p.list()
		case '{':
			return p.hash()
		}
	}
	return p.firstValue()
}

func (p *shParser) firstValue() (string, error) {
	if !p.eof() {
		switch p.cur() {
		case '\'':
			return p.quoted('\'', "singled quoted")
		case '"':
			return p.quoted('"', "double quoted")
		}
	}
	v, _ := p.word(isFirstFollow)
	return v, nil
}

func (p *shParser) secondValue() (string, error) {
	if !p.eof() {
		switch p.cur() {
		case '\'':
			return p.quoted('\'', "singled quoted")
		case '"':
			return p.quoted('"', "double quoted")
		}
	}
	v, ok := p.word(isSecondFollow)
	if !ok {
		return "", p.none("second")
	}
	return v, nil
}

// word reads an unquoted value: a start character or `\,`, then follow characters or `\,`.
// It reports false, consuming nothing, when no value starts at the cursor.
func (p *shParser) word(follow func(rune) bool) (string, bool) {
	start, i := p.i, p.i
	for {
		if strings.HasPrefix(p.s[i:], `\,`) {
			i += 2
			continue
		}
		if i >= len(p.s) {
			break
		}
		r, n := utf8.DecodeRuneInString(p.s[i:])
		if i == start && !isStart(r) || i > start && !follow(r) {
			break
		}
		i += n
	}
	if i == start {
		return "", false
	}
	p.i = i
	v := strings.ReplaceAll(p.s[start:i], `\,`, ",")
	return strings.TrimRightFunc(v, isPySpace), true
}

// quoted reads a quoted value. Its pattern, q (\\ | \q | [^q])* q, is matched as a backtracking
// regular expression would match it, in linear time: the first alternative that leads to a
// closing quote wins.
func (p *shParser) quoted(q byte, name string) (string, error) {
	s, start := p.s, p.i
	n := len(s)
	// end[i] is the index after the closing quote of the first match from i, or -1.
	end := make([]int, n+2)
	end[n], end[n+1] = -1, -1
	for i := n - 1; i > start; i-- {
		switch {
		case s[i] == q:
			end[i] = i + 1
		case s[i] == '\\' && i+1 < n && (s[i+1] == '\\' || s[i+1] == q) && end[i+2] >= 0:
			end[i] = end[i+2]
		default:
			end[i] = end[i+1]
		}
	}
	e := -1
	if start+1 <= n {
		e = end[start+1]
	}
	if e < 0 {
		return "", p.none(name)
	}
	p.i = e
	v := s[start+1 : e-1]
	v = strings.ReplaceAll(v, `\`+string(q), string(q))
	return strings.ReplaceAll(v, `\\`, `\`), nil
}

// isPySpace reports whether Python's str.isspace holds for r.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f }

// The character classes of unquoted values, over the Basic Multilingual Plane as in the AWS CLI.
func isStart(r rune) bool {
	return r == '!' || '#' <= r && r <= '&' || '(' <= r && r <= '+' || '-' <= r && r <= '<' ||
		'>' <= r && r <= 'Z' || '\\' <= r && r <= 'z' || '|' <= r && r <= 0xffff
}

func isFirstFollow(r rune) bool {
	return isPySpace(r) || r == '!' || '#' <= r && r <= '&' || '(' <= r && r <= '+' ||
		'-' <= r && r <= '\\' || '^' <= r && r <= '|' || '~' <= r && r <= 0xffff
}

func isSecondFollow(r rune) bool {
	return isPySpace(r) || r == '!' || '#' <= r && r <= '&' || '(' <= r && r <= '+' ||
		'-' <= r && r <= '<' || '>' <= r && r <= 0xffff
}

// FormatShorthand writes v — a map[string]any of string, []any and map[string]any values, as
// [ParseShorthand] returns — in shorthand that parses back to v. Strings are double-quoted,
// lists bracketed, keys sorted. Keys must be made of shorthand key characters.
func FormatShorthand(v any) (string, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return "", fmt.Errorf("params: shorthand needs a non-empty map at the top, not %T", v)
	}
	var b strings.Builder
	if err := formatPairs(&b, m); err != nil {
		return "", err
	}
	return b.String(), nil
}

func formatPairs(b *strings.Builder, m map[string]any) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		for i := 0; i < len(k); i++ {
			if !isKeyChar(k[i]) {
				return fmt.Errorf("params: %q cannot be a shorthand key", k)
			}
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		if err := formatValue(b, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func formatValue(b *strings.Builder, v any) error {
	switch v := v.(type) {
	case string:
		b.WriteByte('"')
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[i])
		}
		b.WriteByte('"')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := formatValue(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		if err := formatPairs(b, v); err != nil {
			return err
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("params: %T has no shorthand", v)
	}
	return nil
}
