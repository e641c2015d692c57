package output

import (
	"bufio"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The AWS CLI v2 prints yaml with ruamel.yaml's safe dumper (default_flow_style=False,
// allow_unicode) over its bundled libyaml emitter: mappings with sorted keys, sequences
// indentless under a mapping key, empty collections as [] and {}, strings plain unless the
// YAML 1.2 resolver would read them as another type or libyaml's scalar analysis forbids it,
// and long lines folded at 80 columns. The emitter below follows libyaml's emitter.c: the
// same indentation stack, column bookkeeping and scalar writers, for the node kinds the
// AWS CLI's data has. go.yaml.in/yaml/v3, a port of the same C code, diverges from it where
// these bytes are decided (sequence indentation, line width, YAML 1.1 quoting).

// yamlWidth is libyaml's best_width: spaces past this column may become line breaks.
const yamlWidth = 80

// writeYAML prints v as `--output yaml` does: nothing for an empty object, a scalar as one
// line of JSON (the AWS CLI's way around YAML's "..." document end), else a YAML document.
func writeYAML(w *bufio.Writer, v any) error {
	if isEmptyObject(v) {
		return nil
	}
	if !isContainer(v) {
		if err := encodeJSON(w, v, 0); err != nil {
			return err
		}
		return w.WriteByte('\n')
	}
	return newYAMLEmitter(w).document(v)
}

// writeYAMLStream prints v as `--output yaml-stream` does: each page as a one-item list, so
// that the pages read as one list; a result that is not a [Stream] is one page.
func writeYAMLStream(w *bufio.Writer, v any) error {
	pages, ok := v.(Stream)
	if !ok {
		if isEmptyObject(v) {
			return nil
		}
		pages = Stream{v}
	}
	for _, p := range pages {
		if err := newYAMLEmitter(w).document([]any{p}); err != nil {
			return err
		}
	}
	return nil
}

// Stream is the pages of a paginated result, each a [Value], for the formats that print page
// by page (yaml-stream, text) rather than the merged result.
type Stream []any

func isEmptyObject(v any) bool {
	switch x := v.(type) {
	case *Map:
		return x.Len() == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// yamlEmitter holds libyaml's emitter state that decides the bytes.
type yamlEmitter struct {
	w       *bufio.Writer
	indent  int   // the current indentation, -1 before the first block
	indents []int // the enclosing blocks' indentations
	column  int
	// whitespace: the last character written was whitespace; indention: only indentation
	// has been written on the current line.
	whitespace, indention bool
	err                   error
}

func newYAMLEmitter(w *bufio.Writer) *yamlEmitter {
	return &yamlEmitter{w: w, indent: -1, whitespace: true, indention: true}
}

// document emits one implicit document holding v, ended by a line break.
func (e *yamlEmitter) document(v any) error {
	e.node(v, false, false)
	e.indent = -1
	e.writeIndent()
	return e.err
}

// node emits v; mapping says v is a mapping's key or value, simpleKey that it is a key
// written inline before ':'.
func (e *yamlEmitter) node(v any, mapping, simpleKey bool) {
	switch x := v.(type) {
	case map[string]any:
		e.node(sortedMap(x), mapping, simpleKey)
	case *Map:
		if x.Len() == 0 {
			e.emptyFlow("{}")
			return
		}
		e.mapping(x)
	case []any:
		if len(x) == 0 {
			e.emptyFlow("[]")
			return
		}
		e.sequence(x, mapping)
	default:
		text, plain, err := yamlScalar(v)
		if err != nil && e.err == nil {
			e.err = err
		}
		e.scalar(text, plain, simpleKey)
	}
}

// emptyFlow emits an empty collection, "[]" or "{}", in flow style as libyaml does.
func (e *yamlEmitter) emptyFlow(brackets string) {
	e.writeIndicator(brackets[:1], true, true, false)
	e.writeIndicator(brackets[1:], false, false, false)
}

// mapping emits a block mapping, its keys sorted as ruamel.yaml's representer sorts them.
func (e *yamlEmitter) mapping(m *Map) {
	e.increaseIndent(false, false)
	for _, k := range sortedKeys(m) {
		e.writeIndent()
		if isSimpleKey(k) {
			e.node(k, true, true)
			e.writeIndicator(":", false, false, false)
		} else {
			e.writeIndicator("?", true, false, true)
			e.node(k, true, false)
			e.writeIndent()
			e.writeIndicator(":", true, false, true)
		}
		e.node(m.vals[k], true, false)
	}
	e.popIndent()
}

// sequence emits a block sequence; under a mapping key its dashes are not indented.
func (e *yamlEmitter) sequence(l []any, mapping bool) {
	e.increaseIndent(false, mapping && !e.indention)
	for _, item := range l {
		e.writeIndent()
		e.writeIndicator("-", true, false, true)
		e.node(item, false, false)
	}
	e.popIndent()
}

// isSimpleKey reports whether libyaml writes key inline ("key: value") rather than as an
// explicit "? key" entry: at most 128 bytes, on one line.
func isSimpleKey(key string) bool {
	return len(key) <= 128 && !analyzeScalar(key).multiline
}

// yamlScalar returns how ruamel.yaml's safe representer writes a scalar, and whether it may
// be plain: a string only when the resolver would read it back as a string.
func yamlScalar(v any) (text string, plainImplicit bool, err error) {
	switch x := v.(type) {
	case nil:
		return "null", true, nil
	case bool:
		return strconv.FormatBool(x), true, nil
	case string:
		return x, !resolvesAsNonString(x), nil
	case Datetime:
		return x.pyStr(), true, nil
	case int64:
		return strconv.FormatInt(x, 10), true, nil
	case int:
		return strconv.Itoa(x), true, nil
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan", true, nil
		case math.IsInf(x, 1):
			return ".inf", true, nil
		case math.IsInf(x, -1):
			return "-.inf", true, nil
		}
		return strings.ToLower(pyFloat(x)), true, nil
	}
	return "", true, fmt.Errorf("output: cannot print %T as yaml", v)
}

// yamlResolvers are ruamel.yaml's implicit resolvers for YAML 1.2 (ruamel/yaml/resolver.py),
// each tried on a plain scalar only when its first character is one of first: a scalar that
// one matches is not a string, so a string that would match is quoted. Python's $ also
// matches before a final newline, hence \n?.
var yamlResolvers = []struct {
	first string
	re    *regexp.Regexp
}{
	{"tTfF", yamlRE(`true|True|TRUE|false|False|FALSE`)},
	{"-+0123456789.", yamlRE(`[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`)},
	{"-+0123456789", yamlRE(`[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+`)},
	{"<", yamlRE(`<<`)},
	{"~nN", yamlRE(`~|null|Null|NULL`)},
	{"0123456789", yamlRE(`[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?`)},
	{"=", yamlRE(`=`)},
	{"!&*", yamlRE(`!|&|\*`)},
}

func yamlRE(alternatives string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + alternatives + `)\n?$`)
}

// resolvesAsNonString reports whether ruamel.yaml would read s, written plain, as something
// other than a string: the empty string is null.
func resolvesAsNonString(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range yamlResolvers {
		if strings.IndexByte(r.first, s[0]) >= 0 && r.re.MatchString(s) {
			return true
		}
	}
	return false
}

// scalarAnalysis is what libyaml's yaml_emitter_analyze_scalar finds out about a scalar.
type scalarAnalysis struct {
	multiline                              bool
	blockPlainAllowed, singleQuotedAllowed bool
	empty                                  bool
}

// analyzeScalar decides which styles can write s faithfully, as libyaml does: indicators
// forbid plain, leading or trailing spaces and breaks forbid plain, a space before a break
// or an unprintable character forbids all but double quotes.
func analyzeScalar(s string) scalarAnalysis {
	if s == "" {
		return scalarAnalysis{blockPlainAllowed: true, singleQuotedAllowed: true, empty: true}
	}
	rs := []rune(s)
	var blockIndicators, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	var previousSpace, previousBreak bool
	for i, r := range rs {
		first, last := i == 0, i == len(rs)-1
		followedByWhitespace := last || isBlank(rs[i+1]) || isBreak(rs[i+1])
		if first {
			switch {
			case strings.ContainsRune("#,[]{}&*!|>'\"%@`", r):
				blockIndicators = true
			case (r == '?' || r == ':') && followedByWhitespace:
				blockIndicators = true
			case r == '-' && followedByWhitespace:
				blockIndicators = true
			}
		} else {
			switch {
			case r == ':' && followedByWhitespace:
				blockIndicators = true
			case r == '#' && precededByWhitespace:
				blockIndicators = true
			}
		}
		if !isPrintable(r) {
			special = true
		}
		if isBreak(r) {
			lineBreaks = true
		}
		switch {
		case r == ' ':
			leadingSpace = leadingSpace || first
			trailingSpace = trailingSpace || last
			breakSpace = breakSpace || previousBreak
			previousSpace, previousBreak = true, false
		case isBreak(r):
			leadingBreak = leadingBreak || first
			trailingBreak = trailingBreak || last
			spaceBreak = spaceBreak || previousSpace
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlank(r) || isBreak(r)
	}
	a := scalarAnalysis{multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlainAllowed = false
	}
	if breakSpace || spaceBreak || special {
		a.blockPlainAllowed, a.singleQuotedAllowed = false, false
	}
	return a
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' }

// isBreak is libyaml's IS_BREAK.
func isBreak(r rune) bool { return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029 }

// isPrintable is libyaml's IS_PRINTABLE, which leaves out tabs and every character beyond
// the Basic Multilingual Plane.
func isPrintable(r rune) bool {
	switch {
	case r == '\n', r >= 0x20 && r <= 0x7e:
		return true
	case r >= 0xa0 && r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	}
	return false
}

type scalarStyle int

const (
	plainStyle scalarStyle = iota
	singleQuotedStyle
	doubleQuotedStyle
)

// scalar emits a scalar in the style libyaml's yaml_emitter_select_scalar_style picks.
func (e *yamlEmitter) scalar(text string, plainImplicit, simpleKey bool) {
	a := analyzeScalar(text)
	style := plainStyle
	if simpleKey && a.multiline {
		style = doubleQuotedStyle
	}
	if style == plainStyle && (!a.blockPlainAllowed || (a.empty && simpleKey) || !plainImplicit) {
		style = singleQuotedStyle
	}
	if style == singleQuotedStyle && !a.singleQuotedAllowed {
		style = doubleQuotedStyle
	}
	e.increaseIndent(true, false)
	rs := []rune(text)
	switch style {
	case plainStyle:
		e.writePlain(rs, !simpleKey)
	case singleQuotedStyle:
		e.writeSingleQuoted(rs, !simpleKey)
	default:
		e.writeDoubleQuoted(rs, !simpleKey)
	}
	e.popIndent()
}

// foldsAt reports whether the space at rs[i] becomes a line break: past the width, after a
// non-space, and (in plain and single-quoted scalars, which cannot escape a leading space)
// before a non-space.
func (e *yamlEmitter) foldsAt(rs []rune, i int, allowBreaks, spaces, beforeSpace bool) bool {
	return allowBreaks && !spaces && e.column > yamlWidth && (beforeSpace || !(i+1 < len(rs) && rs[i+1] == ' '))
}

func (e *yamlEmitter) writePlain(rs []rune, allowBreaks bool) {
	if !e.whitespace && len(rs) > 0 {
		e.put(' ')
	}
	spaces := false
	for i, r := range rs {
		if r == ' ' {
			if e.foldsAt(rs, i, allowBreaks, spaces, false) {
				e.writeIndent()
			} else {
				e.put(r)
			}
			spaces = true
			continue
		}
		e.put(r)
		e.indention, spaces = false, false
	}
	e.whitespace, e.indention = false, false
}

func (e *yamlEmitter) writeSingleQuoted(rs []rune, allowBreaks bool) {
	e.writeIndicator("'", true, false, false)
	spaces, breaks := false, false
	for i, r := range rs {
		switch {
		case r == ' ':
			if i > 0 && i < len(rs)-1 && e.foldsAt(rs, i, allowBreaks, spaces, false) {
				e.writeIndent()
			} else {
				e.put(r)
			}
			spaces = true
		case isBreak(r):
			if !breaks && r == '\n' {
				e.putBreak()
			}
			e.writeBreak(r)
			e.indention, breaks = true, true
		default:
			if breaks {
				e.writeIndent()
			}
			if r == '\'' {
				e.put('\'')
			}
			e.put(r)
			e.indention, spaces, breaks = false, false, false
		}
	}
	if breaks {
		e.writeIndent()
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

// yamlEscapes are libyaml's short escapes in double-quoted scalars.
var yamlEscapes = map[rune]byte{
	0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r',
	0x1b: 'e', '"': '"', '\\': '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
}

func (e *yamlEmitter) writeDoubleQuoted(rs []rune, allowBreaks bool) {
	e.writeIndicator(`"`, true, false, false)
	spaces := false
	for i, r := range rs {
		switch {
		case !isPrintable(r) || isBreak(r) || r == '"' || r == '\\':
			e.writeEscape(r)
			spaces = false
		case r == ' ':
			if i > 0 && i < len(rs)-1 && e.foldsAt(rs, i, allowBreaks, spaces, true) {
				e.writeIndent()
				if i+1 < len(rs) && rs[i+1] == ' ' {
					e.put('\\')
				}
			} else {
				e.put(r)
			}
			spaces = true
		default:
			e.put(r)
			spaces = false
		}
	}
	e.writeIndicator(`"`, false, false, false)
	e.whitespace, e.indention = false, false
}

// writeEscape writes r as a double-quoted scalar's escape: short, else \xXX, \uXXXX or
// \UXXXXXXXX with upper-case digits.
func (e *yamlEmitter) writeEscape(r rune) {
	e.put('\\')
	if c, ok := yamlEscapes[r]; ok {
		e.put(rune(c))
		return
	}
	switch {
	case r <= 0xff:
		e.puts(fmt.Sprintf("x%02X", r))
	case r <= 0xffff:
		e.puts(fmt.Sprintf("u%04X", r))
	default:
		e.puts(fmt.Sprintf("U%08X", r))
	}
}

// increaseIndent opens a block: a flow context or the first block indents by 2 from
// nothing, a nested block by 2 more unless indentless.
func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	switch {
	case e.indent < 0 && flow:
		e.indent = 2
	case e.indent < 0:
		e.indent = 0
	case !indentless:
		e.indent += 2
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

// writeIndent starts a new line unless only indentation was written on this one, then
// indents to the current level.
func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace, e.indention = true, true
}

func (e *yamlEmitter) writeIndicator(indicator string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	e.puts(indicator)
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
}

func (e *yamlEmitter) put(r rune) {
	e.w.WriteRune(r)
	e.column++
}

func (e *yamlEmitter) puts(s string) {
	e.w.WriteString(s)
	e.column += utf8.RuneCountInString(s)
}

func (e *yamlEmitter) putBreak() {
	e.w.WriteByte('\n')
	e.column = 0
}

// writeBreak writes a line break of the scalar: '\n' as is, the others (U+2028…) raw.
func (e *yamlEmitter) writeBreak(r rune) {
	if r == '\n' {
		e.putBreak()
		return
	}
	e.w.WriteRune(r)
	e.column = 0
}

// PlainYAML reports whether the AWS CLI's YAML dumpers write s, in a block mapping's value,
// without quotes.
func PlainYAML(s string) bool {
	return !resolvesAsNonString(s) && analyzeScalar(s).blockPlainAllowed
}
