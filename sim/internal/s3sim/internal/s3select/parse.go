package s3select

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// MaxExpression is the longest SQL expression S3 takes, in bytes.
const MaxExpression = 256 << 10

// maxDepth bounds how deep an expression nests, so that a hostile one cannot exhaust the
// stack (FuzzParse).
const maxDepth = 200

type tokenKind int

const (
	tEOF    tokenKind = iota
	tIdent            // name, _1
	tQuoted           // "Name": case-sensitive
	tString           // 'text'
	tNumber           // 12, 1.5, 2e3
	tOp               // , ( ) [ ] . * + - / % = <> != < <= > >= ||
)

type token struct {
	kind tokenKind
	text string
	pos  int // byte offset in the expression
}

// lex splits an expression into tokens.
func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(src) {
					return nil, fail(LexerInvalidLiteral, "Unterminated string literal at %s.", where(src, i))
				}
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			out = append(out, token{tString, b.String(), i})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(src[i+1:], '"')
			if j < 0 {
				return nil, fail(LexerInvalidLiteral, "Unterminated quoted identifier at %s.", where(src, i))
			}
			out = append(out, token{tQuoted, src[i+1 : i+1+j], i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					for k < len(src) && src[k] >= '0' && src[k] <= '9' {
						k++
					}
					j = k
				}
			}
			text := src[i:j]
			if strings.Count(text, ".") > 1 {
				return nil, fail(LexerInvalidLiteral, "Invalid number %q at %s.", text, where(src, i))
			}
			out = append(out, token{tNumber, text, i})
			i = j
		case c == '_' || c < utf8.RuneSelf && unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] < utf8.RuneSelf && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])))) {
				j++
			}
			out = append(out, token{tIdent, src[i:j], i})
			i = j
		default:
			op := ""
			for _, o := range []string{"<>", "!=", "<=", ">=", "||"} {
				if strings.HasPrefix(src[i:], o) {
					op = o
				}
			}
			if op == "" && strings.IndexByte(",()[].*+-/%=<>", c) >= 0 {
				op = string(c)
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, fail(LexerInvalidChar, "Invalid character %q at %s.", r, where(src, i))
			}
			out = append(out, token{tOp, op, i})
			i += len(op)
		}
	}
	return append(out, token{tEOF, "", len(src)}), nil
}

// where is "line L, column C" of byte offset i in src, as S3 Select's messages say it.
func where(src string, i int) string {
	line, col := 1, 1
	for _, r := range src[:min(i, len(src))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// Query is a parsed SELECT statement.
type Query struct {
	Star      bool   // SELECT * (or alias.*)
	Items     []item // the SELECT list otherwise
	Alias     string // the FROM clause's alias, "" when none
	From      []step // the path after S3Object: S3Object[*].a.b
	Where     expr   // nil when none
	Limit     int64  // -1 when none
	aggregate bool
}

type item struct {
	e     expr
	alias string
}

// step is one step of a path: a member by name, an index, or [*].
type step struct {
	name   string
	quoted bool // a "quoted" name matches case-sensitively
	index  int
	kind   int // stepName, stepIndex, stepStar
}

const (
	stepName = iota
	stepIndex
	stepStar
)

type parser struct {
	src   string
	toks  []token
	i     int
	depth int
}

// Parse reads a SELECT statement of S3 Select's SQL.
func Parse(sql string) (*Query, error) {
	if len(sql) > MaxExpression {
		return nil, fail(ExpressionTooLong, "")
	}
	toks, err := lex(sql)
	if err != nil {
		return nil, err
	}
	p := &parser{src: sql, toks: toks}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return q, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// keyword reports whether the next token is the keyword kw, and takes it if so.
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == tIdent && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) op(o string) bool {
	t := p.peek()
	if t.kind == tOp && t.text == o {
		p.i++
		return true
	}
	return false
}

func (p *parser) unexpected() *core.Error {
	t := p.peek()
	if t.kind == tEOF {
		return fail(ParseExpectedExpression, "Unexpected end of the expression at %s.", where(p.src, t.pos))
	}
	return fail(ParseUnexpectedToken, "Unexpected token %q at %s.", t.text, where(p.src, t.pos))
}

func (p *parser) expectOp(o string) error {
	if !p.op(o) {
		t := p.peek()
		return fail(ParseExpectedTokenType, "Expected %q, found %q at %s.", o, t.text, where(p.src, t.pos))
	}
	return nil
}

func (p *parser) expectKeyword(kw string) error {
	if !p.keyword(kw) {
		t := p.peek()
		return fail(ParseExpectedKeyword, "Expected %s, found %q at %s.", strings.ToUpper(kw), t.text, where(p.src, t.pos))
	}
	return nil
}

// reserved are the keywords that cannot be an alias without AS or a column name unquoted.
var reserved = map[string]bool{
	"select": true, "from": true, "where": true, "limit": true, "as": true, "and": true, "or": true, "not": true,
	"like": true, "escape": true, "between": true, "in": true, "is": true, "null": true, "missing": true, "true": true,
	"false": true, "cast": true, "case": true, "when": true, "then": true, "else": true, "end": true, "group": true,
	"order": true, "by": true, "having": true, "join": true, "union": true, "distinct": true,
}

func isReserved(t token) bool { return t.kind == tIdent && reserved[strings.ToLower(t.text)] }

func (p *parser) query() (*Query, error) {
	if err := p.expectKeyword("select"); err != nil {
		return nil, err
	}
	q := &Query{Limit: -1}
	if p.keyword("distinct") {
		return nil, fail(UnsupportedSQLOperation, "DISTINCT is not supported.")
	}
	if t := p.peek(); t.kind == tEOF || t.kind == tIdent && strings.EqualFold(t.text, "from") {
		return nil, fail(ParseEmptySelect, "")
	}
	if err := p.selectList(q); err != nil {
		return nil, err
	}
	if err := p.expectFrom(); err != nil {
		return nil, err
	}
	if err := p.from(q); err != nil {
		return nil, err
	}
	if p.keyword("where") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if hasAggregate(e) {
			return nil, fail(UnsupportedSQLStructure, "Aggregate functions are not allowed in WHERE.")
		}
		q.Where = e
	}
	if p.keyword("limit") {
		t := p.next()
		n, err := strconv.ParseInt(t.text, 10, 64)
		if t.kind != tNumber || err != nil || n < 0 {
			return nil, fail(ParseExpectedNumber, "LIMIT takes a non-negative integer, found %q at %s.", t.text, where(p.src, t.pos))
		}
		q.Limit = n
	}
	for _, kw := range []string{"group", "order", "having", "join", "union"} {
		if p.keyword(kw) {
			return nil, fail(UnsupportedSQLOperation, "%s is not supported.", strings.ToUpper(kw))
		}
	}
	if p.peek().kind != tEOF {
		return nil, p.unexpected()
	}
	return q, q.check()
}

func (p *parser) expectFrom() error {
	if p.keyword("from") {
		return nil
	}
	if p.peek().kind == tEOF {
		return fail(ParseSelectMissingFrom, "")
	}
	return p.unexpected()
}

func (p *parser) selectList(q *Query) error {
	for {
		if p.op("*") {
			q.Star = true
		} else if t, t2, t3 := p.peek(), p.toks[min(p.i+1, len(p.toks)-1)], p.toks[min(p.i+2, len(p.toks)-1)]; (t.kind == tIdent || t.kind == tQuoted) && t2.text == "." && t2.kind == tOp && t3.kind == tOp && t3.text == "*" {
			// alias.*: every column, as * (checked against the FROM alias below).
			p.i += 3
			q.Star = true
			q.Items = append(q.Items, item{e: &ref{path: []step{{name: t.text, quoted: t.kind == tQuoted}}, starOf: true}})
		} else {
			e, err := p.expr()
			if err != nil {
				return err
			}
			it := item{e: e}
			if p.keyword("as") {
				t := p.next()
				if t.kind != tIdent && t.kind != tQuoted || isReserved(t) {
					return fail(ParseExpectedIdentForAlias, "Found %q at %s.", t.text, where(p.src, t.pos))
				}
				it.alias = t.text
			} else if t := p.peek(); t.kind == tQuoted || t.kind == tIdent && !isReserved(t) {
				p.i++
				it.alias = t.text
			}
			q.Items = append(q.Items, it)
		}
		if !p.op(",") {
			break
		}
	}
	if q.Star {
		for _, it := range q.Items {
			if r, ok := it.e.(*ref); !ok || !r.starOf || len(q.Items) > 1 {
				return fail(ParseAsteriskIsNotAloneInSelect, "")
			}
		}
	}
	return nil
}

// from reads S3Object, its path ([*], .name, [n]) and its alias.
func (p *parser) from(q *Query) error {
	t := p.next()
	if t.kind != tIdent || !strings.EqualFold(t.text, "s3object") {
		return fail(InvalidDataSource, "The FROM clause names %q; it must be S3Object, at %s.", t.text, where(p.src, t.pos))
	}
	for {
		switch {
		case p.op("["):
			if p.op("*") {
				q.From = append(q.From, step{kind: stepStar})
			} else {
				n := p.next()
				i, err := strconv.Atoi(n.text)
				if n.kind != tNumber || err != nil || i < 0 {
					return fail(ParseUnexpectedToken, "Expected an index or *, found %q at %s.", n.text, where(p.src, n.pos))
				}
				q.From = append(q.From, step{kind: stepIndex, index: i})
			}
			if err := p.expectOp("]"); err != nil {
				return err
			}
		case p.op("."):
			n := p.next()
			if n.kind != tIdent && n.kind != tQuoted {
				return fail(ParseUnexpectedToken, "Expected a name, found %q at %s.", n.text, where(p.src, n.pos))
			}
			q.From = append(q.From, step{name: n.text, quoted: n.kind == tQuoted})
		default:
			if p.keyword("as") {
				a := p.next()
				if a.kind != tIdent && a.kind != tQuoted || isReserved(a) {
					return fail(ParseExpectedIdentForAlias, "Found %q at %s.", a.text, where(p.src, a.pos))
				}
				q.Alias = a.text
			} else if a := p.peek(); a.kind == tQuoted || a.kind == tIdent && !isReserved(a) {
				p.i++
				q.Alias = a.text
			}
			return nil
		}
	}
}

// check validates the query as a whole: alias.* names the FROM alias; aggregates and plain
// columns are not mixed.
func (q *Query) check() error {
	if q.Star {
		for _, it := range q.Items {
			r := it.e.(*ref)
			if !q.isAlias(r.path[0]) {
				return fail(InvalidTableAlias, "%q is not the alias of the FROM clause.", r.path[0].name)
			}
		}
		q.Items = nil
		return nil
	}
	aggs := 0
	for _, it := range q.Items {
		if hasAggregate(it.e) {
			aggs++
			if err := checkNested(it.e, false); err != nil {
				return err
			}
		}
	}
	if aggs > 0 && aggs < len(q.Items) {
		return fail(UnsupportedSQLStructure, "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list.")
	}
	q.aggregate = aggs > 0
	return nil
}

// checkNested refuses an aggregate inside an aggregate.
func checkNested(e expr, inside bool) error {
	switch e := e.(type) {
	case *call:
		if e.agg != nil {
			if inside {
				return fail(UnsupportedSQLStructure, "Aggregate functions cannot be nested.")
			}
			inside = true
		}
		for _, a := range e.args {
			if err := checkNested(a, inside); err != nil {
				return err
			}
		}
	default:
		for _, c := range children(e) {
			if err := checkNested(c, inside); err != nil {
				return err
			}
		}
	}
	return nil
}

func (q *Query) isAlias(s step) bool {
	if s.kind != stepName || q.Alias == "" {
		return false
	}
	if s.quoted {
		return s.name == q.Alias
	}
	return strings.EqualFold(s.name, q.Alias)
}

// The expression grammar, lowest precedence first: OR, AND, NOT, comparisons and
// predicates, ||, + -, * / %, unary - +, primaries.

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return fail(UnsupportedSQLStructure, "The expression nests too deeply.")
	}
	return nil
}

func (p *parser) expr() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &binary{op: "or", l: l, r: r}
	}
	return l, nil
}

func (p *parser) and() (expr, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &binary{op: "and", l: l, r: r}
	}
	return l, nil
}

func (p *parser) not() (expr, error) {
	if p.keyword("not") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &unary{op: "not", x: x}, nil
	}
	return p.predicate()
}

func (p *parser) predicate() (expr, error) {
	l, err := p.concat()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tOp && (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
			p.i++
			r, err := p.concat()
			if err != nil {
				return nil, err
			}
			op := t.text
			if op == "!=" {
				op = "<>"
			}
			l = &binary{op: op, l: l, r: r}
		case p.keyword("is"):
			neg := p.keyword("not")
			switch {
			case p.keyword("null"):
				l = &isNull{x: l, not: neg}
			case p.keyword("missing"):
				l = &isNull{x: l, not: neg, missing: true}
			default:
				return nil, p.unexpected()
			}
		default:
			neg := false
			save := p.i
			if p.keyword("not") {
				neg = true
			}
			switch {
			case p.keyword("like"):
				pat, err := p.concat()
				if err != nil {
					return nil, err
				}
				lk := &like{x: l, pattern: pat, not: neg}
				if p.keyword("escape") {
					if lk.escape, err = p.concat(); err != nil {
						return nil, err
					}
				}
				l = lk
			case p.keyword("between"):
				lo, err := p.concat()
				if err != nil {
					return nil, err
				}
				if err := p.expectKeyword("and"); err != nil {
					return nil, err
				}
				hi, err := p.concat()
				if err != nil {
					return nil, err
				}
				l = &between{x: l, lo: lo, hi: hi, not: neg}
			case p.keyword("in"):
				if err := p.expectOp("("); err != nil {
					return nil, err
				}
				in := &inList{x: l, not: neg}
				for {
					e, err := p.expr()
					if err != nil {
						return nil, err
					}
					in.list = append(in.list, e)
					if !p.op(",") {
						break
					}
				}
				if err := p.expectOp(")"); err != nil {
					return nil, err
				}
				l = in
			default:
				p.i = save
				return l, nil
			}
		}
	}
}

func (p *parser) concat() (expr, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	for p.op("||") {
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		l = &binary{op: "||", l: l, r: r}
	}
	return l, nil
}

func (p *parser) additive() (expr, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || t.text != "+" && t.text != "-" {
			return l, nil
		}
		p.i++
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = &binary{op: t.text, l: l, r: r}
	}
}

func (p *parser) multiplicative() (expr, error) {
	l, err := p.unaryExpr()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || t.text != "*" && t.text != "/" && t.text != "%" {
			return l, nil
		}
		p.i++
		r, err := p.unaryExpr()
		if err != nil {
			return nil, err
		}
		l = &binary{op: t.text, l: l, r: r}
	}
}

func (p *parser) unaryExpr() (expr, error) {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+") {
		p.i++
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.unaryExpr()
		if err != nil {
			return nil, err
		}
		if lit, ok := x.(*literal); ok && t.text == "-" {
			switch v := lit.v.(type) {
			case int64:
				return &literal{v: -v}, nil
			case float64:
				return &literal{v: -v}, nil
			}
		}
		if t.text == "+" {
			return x, nil
		}
		return &unary{op: "-", x: x}, nil
	}
	return p.primary()
}

func (p *parser) primary() (expr, error) {
	save := p.i
	t := p.next()
	switch t.kind {
	case tNumber:
		if !strings.ContainsAny(t.text, ".eE") {
			if n, err := strconv.ParseInt(t.text, 10, 64); err == nil {
				return &literal{v: n}, nil
			}
		}
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fail(LexerInvalidLiteral, "Invalid number %q at %s.", t.text, where(p.src, t.pos))
		}
		return &literal{v: f}, nil
	case tString:
		return &literal{v: t.text}, nil
	case tOp:
		if t.text == "(" {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			return e, p.expectOp(")")
		}
		p.i = save
		return nil, p.unexpected()
	case tQuoted:
		return p.path(step{name: t.text, quoted: true})
	case tIdent:
		lower := strings.ToLower(t.text)
		switch lower {
		case "null":
			return &literal{v: nil}, nil
		case "missing":
			return &literal{v: missing{}}, nil
		case "true":
			return &literal{v: true}, nil
		case "false":
			return &literal{v: false}, nil
		case "cast":
			return p.cast()
		case "case":
			return p.caseExpr()
		}
		if p.peek().kind == tOp && p.peek().text == "(" {
			p.i++
			return p.call(lower, t)
		}
		if reserved[lower] {
			p.i = save
			return nil, p.unexpected()
		}
		return p.path(step{name: t.text})
	}
	p.i = save
	return nil, p.unexpected()
}

// path reads the rest of a reference: .name, ."Name", [n], ['name'].
func (p *parser) path(first step) (expr, error) {
	r := &ref{path: []step{first}}
	for {
		switch {
		case p.op("."):
			n := p.next()
			if n.kind != tIdent && n.kind != tQuoted {
				if n.kind == tOp && n.text == "*" {
					return nil, fail(ParseAsteriskIsNotAloneInSelect, "")
				}
				return nil, fail(ParseUnexpectedToken, "Expected a name, found %q at %s.", n.text, where(p.src, n.pos))
			}
			r.path = append(r.path, step{name: n.text, quoted: n.kind == tQuoted})
		case p.op("["):
			n := p.next()
			switch n.kind {
			case tNumber:
				i, err := strconv.Atoi(n.text)
				if err != nil || i < 0 {
					return nil, fail(InvalidColumnIndex, "Index %q at %s.", n.text, where(p.src, n.pos))
				}
				r.path = append(r.path, step{kind: stepIndex, index: i})
			case tString:
				r.path = append(r.path, step{name: n.text, quoted: true})
			default:
				return nil, fail(ParseUnexpectedToken, "Expected an index, found %q at %s.", n.text, where(p.src, n.pos))
			}
			if err := p.expectOp("]"); err != nil {
				return nil, err
			}
		default:
			return r, nil
		}
	}
}

// types are the names CAST takes, each to its kind of value.
var types = map[string]string{
	"int": "int", "integer": "int", "bigint": "int", "smallint": "int",
	"float": "float", "real": "float", "double": "float", "decimal": "float", "numeric": "float",
	"string": "string", "varchar": "string", "char": "string", "character": "string", "text": "string",
	"bool": "bool", "boolean": "bool",
	"timestamp": "timestamp",
}

func (p *parser) cast() (expr, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !p.keyword("as") {
		return nil, fail(ParseCastArity, "Expected AS at %s.", where(p.src, p.peek().pos))
	}
	t := p.next()
	typ, ok := types[strings.ToLower(t.text)]
	if t.kind != tIdent || !ok {
		return nil, fail(ParseExpectedTypeName, "Found %q at %s.", t.text, where(p.src, t.pos))
	}
	if p.op("(") { // VARCHAR(10), DECIMAL(10,2): the size is not kept
		for !p.op(")") {
			if p.next().kind == tEOF {
				return nil, p.unexpected()
			}
		}
	}
	return &cast{x: x, to: typ}, p.expectOp(")")
}

func (p *parser) caseExpr() (expr, error) {
	c := &caseWhen{}
	if t := p.peek(); !(t.kind == tIdent && strings.EqualFold(t.text, "when")) {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.subject = x
	}
	for p.keyword("when") {
		w, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectKeyword("then"); err != nil {
			return nil, err
		}
		th, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.whens = append(c.whens, [2]expr{w, th})
	}
	if len(c.whens) == 0 {
		return nil, fail(ParseExpectedKeyword, "Expected WHEN at %s.", where(p.src, p.peek().pos))
	}
	if p.keyword("else") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.orElse = e
	}
	return c, p.expectKeyword("end")
}

// call reads a function call after its "(": the aggregates, SUBSTRING and TRIM with their
// keyword forms, and the scalar functions.
func (p *parser) call(name string, at token) (expr, error) {
	c := &call{name: name}
	if agg, ok := aggregates[name]; ok {
		c.agg = agg
		if p.op("*") {
			if name != "count" {
				return nil, fail(ParseUnsupportedCallWithStar, "")
			}
			c.star = true
			return c, p.expectOp(")")
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.args = []expr{x}
		if p.op(",") {
			return nil, fail(ParseNonUnaryAggregateCall, "")
		}
		return c, p.expectOp(")")
	}
	fn, ok := functions[name]
	if !ok {
		return nil, fail(UnsupportedFunction, "%s at %s.", strings.ToUpper(name), where(p.src, at.pos))
	}
	c.fn = fn
	switch name {
	case "substring":
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.args = []expr{x}
		if p.keyword("from") || p.op(",") {
			from, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, from)
			if p.keyword("for") || p.op(",") {
				n, err := p.expr()
				if err != nil {
					return nil, err
				}
				c.args = append(c.args, n)
			}
		}
		return c, p.finishCall(c, at)
	case "trim":
		// TRIM([[LEADING|TRAILING|BOTH] [chars] FROM] s): args are s, the side, the chars.
		side := "both"
		for _, s := range []string{"leading", "trailing", "both"} {
			if p.keyword(s) {
				side = s
			}
		}
		var chars expr
		if !p.keyword("from") {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.keyword("from") {
				c.args = []expr{x, &literal{v: side}}
				return c, p.finishCall(c, at)
			}
			chars = x
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.args = []expr{x, &literal{v: side}}
		if chars != nil {
			c.args = append(c.args, chars)
		}
		return c, p.finishCall(c, at)
	}
	if p.op(")") {
		return c, checkArity(c, at, p.src)
	}
	for {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, x)
		if !p.op(",") {
			break
		}
	}
	return c, p.finishCall(c, at)
}

func (p *parser) finishCall(c *call, at token) error {
	if err := p.expectOp(")"); err != nil {
		return err
	}
	return checkArity(c, at, p.src)
}

func checkArity(c *call, at token, src string) error {
	if len(c.args) < c.fn.min || c.fn.max >= 0 && len(c.args) > c.fn.max {
		return fail(EvaluatorInvalidArguments, "%s takes %s, given %d, at %s.", strings.ToUpper(c.name), c.fn.arity(), len(c.args), where(src, at.pos))
	}
	return nil
}
