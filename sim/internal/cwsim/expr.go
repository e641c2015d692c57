package cwsim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Metric math, a small honest subset of GetMetricData's expressions: numbers, the ids of
// other queries, + - * / and parentheses, ABS(x), and SUM, AVG, MIN and MAX of a list [a, b]
// or of METRICS() (every MetricStat query). Arithmetic on two series keeps the timestamps
// both have; on a series and a number, every point; a division by zero has no point. Any
// other function of AWS's is refused as not simulated, naming it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html

// timeSeries is a query's values by timestamp.
type timeSeries map[time.Time]float64

// exprValue is a series or a number.
type exprValue struct {
	s      timeSeries
	n      float64
	scalar bool
}

// exprNode is a parsed expression.
type exprNode struct {
	op    byte // 'n' number, 'i' id, '+', '-', '*', '/', 'u' unary minus, 'f' function
	num   float64
	name  string // id or function
	args  []*exprNode
	all   bool // the function's argument is METRICS()
	where int
}

// maxExprLen bounds an expression: AWS takes 2,048 characters.
const maxExprLen = 2048

// exprError is a malformed expression.
type exprError struct{ msg string }

func (e *exprError) Error() string { return e.msg }

// unsupported is a function of AWS's that the simulator does not evaluate.
type unsupported struct{ name string }

func (e *unsupported) Error() string { return e.name }

// parseExpr parses an expression, or reports why it cannot.
func parseExpr(s string) (*exprNode, error) {
	if len(s) > maxExprLen {
		return nil, &exprError{fmt.Sprintf("longer than %d characters", maxExprLen)}
	}
	p := &exprParser{s: s}
	n, err := p.sum(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.fail("unexpected %q", p.s[p.i:p.i+1])
	}
	return n, nil
}

type exprParser struct {
	s string
	i int
}

// maxExprDepth bounds nesting, so that a hostile expression cannot recurse without end.
const maxExprDepth = 64

func (p *exprParser) fail(format string, args ...any) error {
	return &exprError{fmt.Sprintf(format, args...) + " at character " + strconv.Itoa(p.i+1)}
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *exprParser) peek() byte {
	p.space()
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *exprParser) sum(depth int) (*exprNode, error) {
	if depth > maxExprDepth {
		return nil, p.fail("nested deeper than %d", maxExprDepth)
	}
	l, err := p.product(depth)
	if err != nil {
		return nil, err
	}
	for c := p.peek(); c == '+' || c == '-'; c = p.peek() {
		p.i++
		r, err := p.product(depth)
		if err != nil {
			return nil, err
		}
		l = &exprNode{op: c, args: []*exprNode{l, r}}
	}
	return l, nil
}

func (p *exprParser) product(depth int) (*exprNode, error) {
	l, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for c := p.peek(); c == '*' || c == '/'; c = p.peek() {
		p.i++
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		l = &exprNode{op: c, args: []*exprNode{l, r}}
	}
	return l, nil
}

func (p *exprParser) unary(depth int) (*exprNode, error) {
	if p.peek() == '-' {
		p.i++
		if depth > maxExprDepth {
			return nil, p.fail("nested deeper than %d", maxExprDepth)
		}
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &exprNode{op: 'u', args: []*exprNode{x}}, nil
	}
	return p.primary(depth)
}

func (p *exprParser) primary(depth int) (*exprNode, error) {
	c := p.peek()
	switch {
	case c == '(':
		p.i++
		n, err := p.sum(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.fail("expected )")
		}
		p.i++
		return n, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
		f, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			p.i = start
			return nil, p.fail("bad number")
		}
		return &exprNode{op: 'n', num: f}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '_') {
			p.i++
		}
		name := p.s[start:p.i]
		if p.peek() != '(' {
			if !queryID.MatchString(name) {
				p.i = start
				return nil, p.fail("%s is no query id", name)
			}
			return &exprNode{op: 'i', name: name, where: start}, nil
		}
		p.i++
		fn := strings.ToUpper(name)
		switch fn {
		case "SUM", "AVG", "MIN", "MAX":
			n := &exprNode{op: 'f', name: fn}
			if p.peek() == '[' {
				p.i++
				for {
					a, err := p.sum(depth + 1)
					if err != nil {
						return nil, err
					}
					n.args = append(n.args, a)
					if p.peek() == ',' {
						p.i++
						continue
					}
					break
				}
				if p.peek() != ']' {
					return nil, p.fail("expected ]")
				}
				p.i++
			} else {
				at := p.i
				if !strings.HasPrefix(strings.ToUpper(p.s[p.i:]), "METRICS") {
					a, err := p.sum(depth + 1)
					if err != nil {
						return nil, err
					}
					n.args = []*exprNode{a}
				} else {
					p.i += len("METRICS")
					if p.peek() != '(' {
						p.i = at
						return nil, p.fail("expected METRICS()")
					}
					p.i++
					if p.peek() != ')' {
						return nil, &unsupported{"METRICS with a filter"}
					}
					p.i++
					n.all = true
				}
			}
			if p.peek() != ')' {
				return nil, p.fail("expected )")
			}
			p.i++
			return n, nil
		case "ABS":
			a, err := p.sum(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.peek() != ')' {
				return nil, p.fail("expected )")
			}
			p.i++
			return &exprNode{op: 'f', name: fn, args: []*exprNode{a}}, nil
		}
		return nil, &unsupported{fn}
	}
	if c == 0 {
		return nil, p.fail("unexpected end")
	}
	return nil, p.fail("unexpected %q", string(c))
}

// ids returns the query ids an expression refers to; METRICS() refers to stats, the ids of
// the MetricStat queries.
func (n *exprNode) ids(out, stats []string) []string {
	if n.op == 'i' && !slices.Contains(out, n.name) {
		out = append(out, n.name)
	}
	if n.all {
		for _, id := range stats {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, a := range n.args {
		out = a.ids(out, stats)
	}
	return out
}

// eval evaluates an expression with the series of the queries by id, and stats, the ids of
// the MetricStat queries (METRICS()).
func (n *exprNode) eval(series map[string]timeSeries, stats []string) (exprValue, error) {
	switch n.op {
	case 'n':
		return exprValue{n: n.num, scalar: true}, nil
	case 'i':
		s, ok := series[n.name]
		if !ok {
			return exprValue{}, &exprError{fmt.Sprintf("no query has the id %s", n.name)}
		}
		return exprValue{s: s}, nil
	case 'u':
		x, err := n.args[0].eval(series, stats)
		if err != nil {
			return x, err
		}
		return apply1(x, func(v float64) float64 { return -v }), nil
	case '+', '-', '*', '/':
		a, err := n.args[0].eval(series, stats)
		if err != nil {
			return a, err
		}
		b, err := n.args[1].eval(series, stats)
		if err != nil {
			return b, err
		}
		return apply2(a, b, n.op), nil
	}
	// Functions.
	if n.name == "ABS" {
		x, err := n.args[0].eval(series, stats)
		if err != nil {
			return x, err
		}
		return apply1(x, math.Abs), nil
	}
	var vals []exprValue
	if n.all {
		for _, id := range stats {
			vals = append(vals, exprValue{s: series[id]})
		}
	} else {
		for _, a := range n.args {
			v, err := a.eval(series, stats)
			if err != nil {
				return v, err
			}
			vals = append(vals, v)
		}
	}
	if len(vals) == 1 && !vals[0].scalar {
		// SUM(m1) of one series is a number per... AWS gives one series: itself.
		return vals[0], nil
	}
	return aggregate(n.name, vals), nil
}

func apply1(x exprValue, f func(float64) float64) exprValue {
	if x.scalar {
		return exprValue{n: f(x.n), scalar: true}
	}
	out := timeSeries{}
	for t, v := range x.s {
		out[t] = f(v)
	}
	return exprValue{s: out}
}

func arith(op byte, a, b float64) (float64, bool) {
	switch op {
	case '+':
		return a + b, true
	case '-':
		return a - b, true
	case '*':
		return a * b, true
	}
	if b == 0 {
		return 0, false
	}
	return a / b, true
}

func apply2(a, b exprValue, op byte) exprValue {
	switch {
	case a.scalar && b.scalar:
		v, ok := arith(op, a.n, b.n)
		if !ok {
			return exprValue{s: timeSeries{}}
		}
		return exprValue{n: v, scalar: true}
	case a.scalar:
		out := timeSeries{}
		for t, v := range b.s {
			if r, ok := arith(op, a.n, v); ok {
				out[t] = r
			}
		}
		return exprValue{s: out}
	case b.scalar:
		out := timeSeries{}
		for t, v := range a.s {
			if r, ok := arith(op, v, b.n); ok {
				out[t] = r
			}
		}
		return exprValue{s: out}
	}
	out := timeSeries{}
	for t, v := range a.s {
		if w, ok := b.s[t]; ok {
			if r, ok := arith(op, v, w); ok {
				out[t] = r
			}
		}
	}
	return exprValue{s: out}
}

// aggregate is SUM, AVG, MIN or MAX across series at each timestamp any of them has; numbers
// count at every timestamp.
func aggregate(fn string, vals []exprValue) exprValue {
	times := map[time.Time]bool{}
	allScalar := true
	for _, v := range vals {
		if !v.scalar {
			allScalar = false
			for t := range v.s {
				times[t] = true
			}
		}
	}
	combine := func(xs []float64) float64 {
		r := xs[0]
		switch fn {
		case "SUM", "AVG":
			r = 0
			for _, x := range xs {
				r += x
			}
			if fn == "AVG" {
				r /= float64(len(xs))
			}
		case "MIN":
			for _, x := range xs {
				r = math.Min(r, x)
			}
		case "MAX":
			for _, x := range xs {
				r = math.Max(r, x)
			}
		}
		return r
	}
	if allScalar {
		xs := make([]float64, len(vals))
		for i, v := range vals {
			xs[i] = v.n
		}
		if len(xs) == 0 {
			return exprValue{s: timeSeries{}}
		}
		return exprValue{n: combine(xs), scalar: true}
	}
	out := timeSeries{}
	for t := range times {
		var xs []float64
		for _, v := range vals {
			if v.scalar {
				xs = append(xs, v.n)
			} else if x, ok := v.s[t]; ok {
				xs = append(xs, x)
			}
		}
		out[t] = combine(xs)
	}
	return exprValue{s: out}
}
