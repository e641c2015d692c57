package s3select

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A value is one of: nil (NULL), missing{} (an attribute that is not there), bool, int64,
// float64, string, time.Time, *object (a JSON object, its keys in order) or []any.
type value = any

// missing is the value of an attribute a record does not have.
type missing struct{}

// object is a JSON object with its keys in document order.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(name string, quoted bool) (any, bool) {
	if v, ok := o.vals[name]; ok {
		return v, true
	}
	if quoted {
		return nil, false
	}
	for _, k := range o.keys {
		if strings.EqualFold(k, name) {
			return o.vals[k], true
		}
	}
	return nil, false
}

// record is one input record, as expressions see it.
type record interface {
	// column resolves the first step of a path (after the alias, if any).
	column(s step) (value, error)
	// whole is the record as one value, for SELECT * and for a path of the alias alone.
	whole() value
}

type expr interface{}

type literal struct{ v value }

type ref struct {
	path   []step
	starOf bool // alias.* in a SELECT list
}

type unary struct {
	op string // "not", "-"
	x  expr
}

type binary struct {
	op   string // or and = <> < <= > >= || + - * / %
	l, r expr
}

type isNull struct {
	x            expr
	not, missing bool
}

type like struct {
	x, pattern, escape expr
	not                bool
}

type between struct {
	x, lo, hi expr
	not       bool
}

type inList struct {
	x    expr
	list []expr
	not  bool
}

type cast struct {
	x  expr
	to string // int float string bool timestamp
}

type caseWhen struct {
	subject expr
	whens   [][2]expr
	orElse  expr
}

type call struct {
	name string
	args []expr
	star bool // COUNT(*)
	fn   *function
	agg  *aggregate
	slot int // the aggregate's index in the query's accumulators
}

func children(e expr) []expr {
	switch e := e.(type) {
	case *unary:
		return []expr{e.x}
	case *binary:
		return []expr{e.l, e.r}
	case *isNull:
		return []expr{e.x}
	case *like:
		return []expr{e.x, e.pattern, e.escape}
	case *between:
		return []expr{e.x, e.lo, e.hi}
	case *inList:
		return append([]expr{e.x}, e.list...)
	case *cast:
		return []expr{e.x}
	case *caseWhen:
		out := []expr{e.subject, e.orElse}
		for _, w := range e.whens {
			out = append(out, w[0], w[1])
		}
		return out
	case *call:
		return e.args
	}
	return nil
}

func hasAggregate(e expr) bool {
	if e == nil {
		return false
	}
	if c, ok := e.(*call); ok && c.agg != nil {
		return true
	}
	for _, c := range children(e) {
		if hasAggregate(c) {
			return true
		}
	}
	return false
}

// env is what an expression is evaluated against: the query, the record and, once the
// records are all read, the aggregates' results.
type env struct {
	q    *Query
	rec  record
	aggs []value // nil while records are read
}

func (v *env) eval(e expr) (value, error) {
	switch e := e.(type) {
	case nil:
		return nil, nil
	case *literal:
		return e.v, nil
	case *ref:
		return v.resolve(e)
	case *unary:
		x, err := v.eval(e.x)
		if err != nil {
			return nil, err
		}
		if e.op == "not" {
			b, ok, err := truth(x)
			if err != nil || !ok {
				return nil, err
			}
			return !b, nil
		}
		return arith("-", int64(0), x)
	case *binary:
		return v.binary(e)
	case *isNull:
		x, err := v.eval(e.x)
		if err != nil {
			return nil, err
		}
		_, isMissing := x.(missing)
		r := isMissing || !e.missing && x == nil
		return r != e.not, nil
	case *like:
		return v.like(e)
	case *between:
		x, err := v.eval(e.x)
		if err != nil {
			return nil, err
		}
		lo, err := v.eval(e.lo)
		if err != nil {
			return nil, err
		}
		hi, err := v.eval(e.hi)
		if err != nil {
			return nil, err
		}
		a, err := compare(">=", x, lo)
		if err != nil {
			return nil, err
		}
		b, err := compare("<=", x, hi)
		if err != nil {
			return nil, err
		}
		r, err := and(a, b)
		if err != nil || r == nil || !e.not {
			return r, err
		}
		return !r.(bool), nil
	case *inList:
		x, err := v.eval(e.x)
		if err != nil {
			return nil, err
		}
		var r value = false
		for _, le := range e.list {
			y, err := v.eval(le)
			if err != nil {
				return nil, err
			}
			eq, err := compare("=", x, y)
			if err != nil {
				return nil, err
			}
			if eq == true {
				r = true
				break
			}
			if eq == nil {
				r = nil
			}
		}
		if r == nil || !e.not {
			return r, nil
		}
		return !r.(bool), nil
	case *cast:
		x, err := v.eval(e.x)
		if err != nil {
			return nil, err
		}
		return castTo(x, e.to)
	case *caseWhen:
		var subj value
		if e.subject != nil {
			s, err := v.eval(e.subject)
			if err != nil {
				return nil, err
			}
			subj = s
		}
		for _, w := range e.whens {
			c, err := v.eval(w[0])
			if err != nil {
				return nil, err
			}
			if e.subject != nil {
				if c, err = compare("=", subj, c); err != nil {
					return nil, err
				}
			}
			if c == true {
				return v.eval(w[1])
			}
		}
		return v.eval(e.orElse)
	case *call:
		if e.agg != nil {
			if v.aggs == nil {
				return nil, fail(UnsupportedSQLStructure, "Aggregate functions are not allowed here.")
			}
			return v.aggs[e.slot], nil
		}
		args := make([]value, len(e.args))
		for i, a := range e.args {
			x, err := v.eval(a)
			if err != nil {
				return nil, err
			}
			args[i] = x
		}
		return e.fn.eval(args)
	}
	return nil, fail(UnsupportedSyntax, "")
}

func (v *env) resolve(r *ref) (value, error) {
	path := r.path
	if len(path) > 0 && v.q.isAlias(path[0]) {
		path = path[1:]
		if len(path) == 0 {
			return v.rec.whole(), nil
		}
	}
	x, err := v.rec.column(path[0])
	if err != nil {
		return nil, err
	}
	return walkPath(x, path[1:]), nil
}

// walkPath follows steps into JSON values; a step that does not apply is MISSING.
func walkPath(x value, steps []step) value {
	for _, s := range steps {
		switch s.kind {
		case stepName:
			o, ok := x.(*object)
			if !ok {
				return missing{}
			}
			if x, ok = o.get(s.name, s.quoted); !ok {
				return missing{}
			}
		case stepIndex:
			a, ok := x.([]any)
			if !ok || s.index >= len(a) {
				return missing{}
			}
			x = a[s.index]
		default:
			return missing{}
		}
	}
	return x
}

func (v *env) binary(e *binary) (value, error) {
	l, err := v.eval(e.l)
	if err != nil {
		return nil, err
	}
	// AND and OR stop early when the left side decides.
	switch e.op {
	case "and", "or":
		lb, lok, err := truth(l)
		if err != nil {
			return nil, err
		}
		if lok && lb == (e.op == "or") {
			return lb, nil
		}
	}
	r, err := v.eval(e.r)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "and":
		return and(l, r)
	case "or":
		return or(l, r)
	case "=", "<>", "<", "<=", ">", ">=":
		return compare(e.op, l, r)
	case "||":
		if isNullish(l) || isNullish(r) {
			return nil, nil
		}
		ls, lok := l.(string)
		rs, rok := r.(string)
		if !lok || !rok {
			return nil, fail(IncorrectSQLFunctionArgumentType, "|| takes strings.")
		}
		return ls + rs, nil
	}
	return arith(e.op, l, r)
}

func isNullish(x value) bool {
	if x == nil {
		return true
	}
	_, ok := x.(missing)
	return ok
}

// truth reads a value as a condition: ok is false for NULL and MISSING (unknown).
func truth(x value) (b, ok bool, err error) {
	switch x := x.(type) {
	case nil, missing:
		return false, false, nil
	case bool:
		return x, true, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, true, nil
		case "false":
			return false, true, nil
		}
	}
	return false, false, fail(IncorrectSQLFunctionArgumentType, "A condition must be a boolean.")
}

func and(l, r value) (value, error) {
	lb, lok, err := truth(l)
	if err != nil {
		return nil, err
	}
	rb, rok, err := truth(r)
	if err != nil {
		return nil, err
	}
	switch {
	case lok && !lb, rok && !rb:
		return false, nil
	case lok && rok:
		return true, nil
	}
	return nil, nil
}

func or(l, r value) (value, error) {
	lb, lok, err := truth(l)
	if err != nil {
		return nil, err
	}
	rb, rok, err := truth(r)
	if err != nil {
		return nil, err
	}
	switch {
	case lok && lb, rok && rb:
		return true, nil
	case lok && rok:
		return false, nil
	}
	return nil, nil
}

// number reads x as a number: CSV's fields are text, and compare and compute as the
// numbers they spell when the other side is a number.
func number(x value) (value, bool) {
	switch x := x.(type) {
	case int64, float64:
		return x, true
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
	}
	return nil, false
}

func isNumber(x value) bool {
	switch x.(type) {
	case int64, float64:
		return true
	}
	return false
}

// compare applies a comparison; NULL or MISSING on either side, or values that cannot be
// compared, give NULL.
func compare(op string, l, r value) (value, error) {
	if isNullish(l) || isNullish(r) {
		return nil, nil
	}
	if isNumber(l) != isNumber(r) {
		var ok1, ok2 bool
		l, ok1 = number(l)
		r, ok2 = number(r)
		if !ok1 || !ok2 {
			return nil, nil
		}
	}
	var c int
	switch lv := l.(type) {
	case int64:
		if rv, ok := r.(int64); ok {
			c = cmp3(lv < rv, lv > rv)
		} else {
			c = cmpFloat(float64(lv), toFloat(r))
		}
	case float64:
		c = cmpFloat(lv, toFloat(r))
	case string:
		rv, ok := r.(string)
		if !ok {
			return nil, nil
		}
		c = strings.Compare(lv, rv)
	case bool:
		rv, ok := r.(bool)
		if !ok {
			return nil, nil
		}
		c = cmp3(!lv && rv, lv && !rv)
	case time.Time:
		rv, ok := r.(time.Time)
		if !ok {
			return nil, nil
		}
		c = lv.Compare(rv)
	default:
		return nil, nil
	}
	switch op {
	case "=":
		return c == 0, nil
	case "<>":
		return c != 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int { return cmp3(a < b, a > b) }

func toFloat(x value) float64 {
	switch x := x.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

// arith applies + - * / % to numbers (or text that spells one).
func arith(op string, l, r value) (value, error) {
	if isNullish(l) || isNullish(r) {
		return nil, nil
	}
	ln, ok1 := number(l)
	rn, ok2 := number(r)
	if !ok1 || !ok2 {
		return nil, fail(IncorrectSQLFunctionArgumentType, "%s takes numbers.", op)
	}
	li, lint := ln.(int64)
	ri, rint := rn.(int64)
	if lint && rint {
		switch op {
		case "+":
			if s := li + ri; (s > li) == (ri > 0) {
				return s, nil
			}
		case "-":
			if s := li - ri; (s < li) == (ri > 0) {
				return s, nil
			}
		case "*":
			if li == 0 || ri == 0 {
				return int64(0), nil
			}
			if p := li * ri; p/ri == li && !(li == -1 && ri == math.MinInt64) && !(ri == -1 && li == math.MinInt64) {
				return p, nil
			}
		case "/", "%":
			if ri == 0 {
				return nil, fail(ExternalEvalException, "Division by zero.")
			}
			if ri == -1 && li == math.MinInt64 {
				break
			}
			if op == "/" {
				return li / ri, nil
			}
			return li % ri, nil
		}
		// Overflow: compute in floating point.
	}
	a, b := toFloat(ln), toFloat(rn)
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, fail(ExternalEvalException, "Division by zero.")
		}
		return a / b, nil
	}
	if b == 0 {
		return nil, fail(ExternalEvalException, "Division by zero.")
	}
	return math.Mod(a, b), nil
}

func (v *env) like(e *like) (value, error) {
	x, err := v.eval(e.x)
	if err != nil {
		return nil, err
	}
	pat, err := v.eval(e.pattern)
	if err != nil {
		return nil, err
	}
	var esc value
	if e.escape != nil {
		if esc, err = v.eval(e.escape); err != nil {
			return nil, err
		}
	}
	if isNullish(x) || isNullish(pat) || e.escape != nil && isNullish(esc) {
		return nil, nil
	}
	s, ok1 := x.(string)
	p, ok2 := pat.(string)
	if !ok1 || !ok2 {
		return nil, fail(LikeInvalidInputs, "LIKE takes strings.")
	}
	escape := rune(-1)
	if esc != nil {
		es, ok := esc.(string)
		if !ok || utf8.RuneCountInString(es) != 1 {
			return nil, fail(LikeInvalidInputs, "ESCAPE takes one character.")
		}
		escape, _ = utf8.DecodeRuneInString(es)
	}
	m, err := matchLike([]rune(s), []rune(p), escape)
	if err != nil {
		return nil, err
	}
	return m != e.not, nil
}

// matchLike matches s against a LIKE pattern: % any run, _ any one character, escape
// taking the next character literally. It runs in O(len(s)·len(p)).
func matchLike(s, p []rune, escape rune) (bool, error) {
	type tok struct {
		r    rune
		kind byte // 'c' a character, '%' or '_'
	}
	var toks []tok
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == escape:
			if i+1 >= len(p) {
				return false, fail(LikeInvalidInputs, "The pattern ends with its escape character.")
			}
			i++
			toks = append(toks, tok{p[i], 'c'})
		case p[i] == '%':
			toks = append(toks, tok{kind: '%'})
		case p[i] == '_':
			toks = append(toks, tok{kind: '_'})
		default:
			toks = append(toks, tok{p[i], 'c'})
		}
	}
	// cur[j]: the first i characters of s match the first j tokens.
	cur := make([]bool, len(toks)+1)
	cur[0] = true
	for j, t := range toks {
		cur[j+1] = cur[j] && t.kind == '%'
	}
	next := make([]bool, len(toks)+1)
	for _, c := range s {
		next[0] = false
		for j, t := range toks {
			switch t.kind {
			case '%':
				next[j+1] = next[j] || cur[j+1]
			case '_':
				next[j+1] = cur[j]
			default:
				next[j+1] = cur[j] && t.r == c
			}
		}
		cur, next = next, cur
	}
	return cur[len(toks)], nil
}

// castTo converts x as CAST(x AS to) does.
func castTo(x value, to string) (value, error) {
	if isNullish(x) {
		return x, nil
	}
	bad := func() (value, error) {
		return nil, fail(CastFailed, "Cannot cast %s to %s.", describe(x), strings.ToUpper(to))
	}
	switch to {
	case "int":
		switch v := x.(type) {
		case int64:
			return v, nil
		case float64:
			if math.IsNaN(v) || v >= math.MaxInt64 || v < math.MinInt64 {
				return bad()
			}
			return int64(v), nil
		case bool:
			if v {
				return int64(1), nil
			}
			return int64(0), nil
		case string:
			s := strings.TrimSpace(v)
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && f < math.MaxInt64 && f >= math.MinInt64 {
				return int64(f), nil
			}
		}
		return bad()
	case "float":
		switch v := x.(type) {
		case int64:
			return float64(v), nil
		case float64:
			return v, nil
		case bool:
			if v {
				return 1.0, nil
			}
			return 0.0, nil
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				return f, nil
			}
		}
		return bad()
	case "string":
		switch x.(type) {
		case *object, []any:
			return bad()
		}
		return text(x), nil
	case "bool":
		switch v := x.(type) {
		case bool:
			return v, nil
		case int64:
			return v != 0, nil
		case float64:
			return v != 0, nil
		case string:
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		}
		return bad()
	case "timestamp":
		switch v := x.(type) {
		case time.Time:
			return v, nil
		case string:
			for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T", "2006-01-02", "2006-01T", "2006T"} {
				if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
					return t, nil
				}
			}
		}
		return bad()
	}
	return bad()
}

func describe(x value) string {
	switch x.(type) {
	case int64:
		return "INT"
	case float64:
		return "FLOAT"
	case string:
		return "STRING"
	case bool:
		return "BOOL"
	case time.Time:
		return "TIMESTAMP"
	case *object:
		return "STRUCT"
	case []any:
		return "LIST"
	}
	return "NULL"
}

// text writes a scalar as S3 Select writes it in CSV output.
func text(x value) string {
	switch v := x.(type) {
	case nil, missing:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatFloat(v, 'f', 1, 64)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	var b strings.Builder
	writeJSON(&b, x)
	return b.String()
}

// function is a scalar function: its arity (max -1 for any) and its body.
type function struct {
	min, max int
	eval     func(args []value) (value, error)
}

func (f *function) arity() string {
	switch {
	case f.min == f.max:
		return strconv.Itoa(f.min) + " arguments"
	case f.max < 0:
		return "at least " + strconv.Itoa(f.min) + " arguments"
	}
	return strconv.Itoa(f.min) + " to " + strconv.Itoa(f.max) + " arguments"
}

func strArg(name string, x value) (string, bool, error) {
	if isNullish(x) {
		return "", false, nil
	}
	s, ok := x.(string)
	if !ok {
		return "", false, fail(IncorrectSQLFunctionArgumentType, "%s takes a string, given %s.", strings.ToUpper(name), describe(x))
	}
	return s, true, nil
}

func intArg(name string, x value) (int64, bool, error) {
	if isNullish(x) {
		return 0, false, nil
	}
	n, ok := number(x)
	if !ok {
		return 0, false, fail(IncorrectSQLFunctionArgumentType, "%s takes an integer, given %s.", strings.ToUpper(name), describe(x))
	}
	switch n := n.(type) {
	case int64:
		return n, true, nil
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false, fail(IncorrectSQLFunctionArgumentType, "%s takes an integer, given %v.", strings.ToUpper(name), n)
		}
		return int64(n), true, nil
	}
	return 0, false, nil
}

func stringFunc(name string, f func(string) value) *function {
	return &function{1, 1, func(a []value) (value, error) {
		s, ok, err := strArg(name, a[0])
		if !ok {
			return nil, err
		}
		return f(s), nil
	}}
}

var functions = map[string]*function{
	"lower":            stringFunc("lower", func(s string) value { return strings.ToLower(s) }),
	"upper":            stringFunc("upper", func(s string) value { return strings.ToUpper(s) }),
	"char_length":      stringFunc("char_length", func(s string) value { return int64(utf8.RuneCountInString(s)) }),
	"character_length": stringFunc("character_length", func(s string) value { return int64(utf8.RuneCountInString(s)) }),
	"substring":        {2, 3, substring},
	"trim":             {2, 3, trim},
	"coalesce": {1, -1, func(a []value) (value, error) {
		for _, x := range a {
			if !isNullish(x) {
				return x, nil
			}
		}
		return nil, nil
	}},
	"nullif": {2, 2, func(a []value) (value, error) {
		eq, err := compare("=", a[0], a[1])
		if err != nil {
			return nil, err
		}
		if eq == true {
			return nil, nil
		}
		return a[0], nil
	}},
	"abs": {1, 1, func(a []value) (value, error) {
		if isNullish(a[0]) {
			return nil, nil
		}
		n, ok := number(a[0])
		if !ok {
			return nil, fail(IncorrectSQLFunctionArgumentType, "ABS takes a number.")
		}
		if i, ok := n.(int64); ok && i != math.MinInt64 {
			return max(i, -i), nil
		}
		return math.Abs(toFloat(n)), nil
	}},
}

// substring is SUBSTRING(s FROM start [FOR n]): positions count from 1, as SQL's do, and a
// start before 1 shortens what FOR takes.
func substring(a []value) (value, error) {
	s, ok, err := strArg("substring", a[0])
	if !ok {
		return nil, err
	}
	start, ok, err := intArg("substring", a[1])
	if !ok {
		return nil, err
	}
	r := []rune(s)
	end := int64(len(r)) + 1
	if len(a) == 3 {
		n, ok, err := intArg("substring", a[2])
		if !ok {
			return nil, err
		}
		if n < 0 {
			return nil, fail(IllegalSQLFunctionArgument, "SUBSTRING's length is negative.")
		}
		if start+n < end && start+n >= start {
			end = start + n
		}
	}
	start = max(start, 1)
	if start >= end || start > int64(len(r)) {
		return "", nil
	}
	return string(r[start-1 : end-1]), nil
}

func trim(a []value) (value, error) {
	s, ok, err := strArg("trim", a[0])
	if !ok {
		return nil, err
	}
	side := a[1].(string)
	cut := func(r rune) bool { return r == ' ' }
	if len(a) == 3 {
		chars, ok, err := strArg("trim", a[2])
		if !ok {
			return nil, err
		}
		cut = func(r rune) bool { return strings.ContainsRune(chars, r) }
	}
	switch side {
	case "leading":
		return strings.TrimLeftFunc(s, cut), nil
	case "trailing":
		return strings.TrimRightFunc(s, cut), nil
	}
	return strings.TrimFunc(s, cut), nil
}

// aggregate is COUNT, SUM, AVG, MIN or MAX: its accumulator.
type aggregate struct {
	name string
}

var aggregates = map[string]*aggregate{
	"count": {"count"}, "sum": {"sum"}, "avg": {"avg"}, "min": {"min"}, "max": {"max"},
}

// acc accumulates one aggregate call over the records.
type acc struct {
	c     *call
	count int64
	sum   value // int64 or float64
	best  value // MIN, MAX
}

func (a *acc) add(x value) error {
	if a.c.star {
		a.count++
		return nil
	}
	if isNullish(x) {
		return nil
	}
	switch a.c.agg.name {
	case "count":
		a.count++
	case "sum", "avg":
		n, ok := number(x)
		if !ok {
			return fail(IncorrectSQLFunctionArgumentType, "%s takes numbers, given %s.", strings.ToUpper(a.c.agg.name), describe(x))
		}
		a.count++
		if a.sum == nil {
			a.sum = n
			return nil
		}
		s, err := arith("+", a.sum, n)
		if err != nil {
			return err
		}
		a.sum = s
	case "min", "max":
		if n, ok := number(x); ok {
			x = n
		}
		if a.best == nil {
			a.best = x
			return nil
		}
		op := "<"
		if a.c.agg.name == "max" {
			op = ">"
		}
		better, err := compare(op, x, a.best)
		if err != nil {
			return err
		}
		if better == true {
			a.best = x
		}
	}
	return nil
}

func (a *acc) result() (value, error) {
	switch {
	case a.c.star, a.c.agg.name == "count":
		return a.count, nil
	case a.c.agg.name == "sum":
		return a.sum, nil
	case a.c.agg.name == "avg":
		if a.count == 0 {
			return nil, nil
		}
		return arith("/", toFloatValue(a.sum), float64(a.count))
	}
	return a.best, nil
}

func toFloatValue(x value) value {
	if i, ok := x.(int64); ok {
		return float64(i)
	}
	return x
}

// collectAggregates numbers the aggregate calls of the SELECT list.
func collectAggregates(e expr, out *[]*acc) {
	if e == nil {
		return
	}
	if c, ok := e.(*call); ok && c.agg != nil {
		c.slot = len(*out)
		*out = append(*out, &acc{c: c})
		return
	}
	for _, c := range children(e) {
		collectAggregates(c, out)
	}
}
