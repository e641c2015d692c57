package policy

import (
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// opBase is a condition operator without its set qualifier, IfExists suffix and negation.
type opBase uint8

const (
	opStringEquals opBase = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike // ArnEquals and ArnLike behave the same
	opNull
)

type setQualifier uint8

const (
	setNone setQualifier = iota
	setAnyValue
	setAllValues
)

// operator is a parsed condition operator such as "ForAllValues:StringNotLikeIfExists".
type operator struct {
	base     opBase
	negated  bool // StringNotEquals, NotIpAddress, ArnNotLike…: true when no value matches
	ifExists bool
	set      setQualifier
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
var operators = map[string]struct {
	base    opBase
	negated bool
}{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opArnLike, false},
	"ArnLike":                   {opArnLike, false},
	"ArnNotEquals":              {opArnLike, true},
	"ArnNotLike":                {opArnLike, true},
	"Null":                      {opNull, false},
}

func parseOperator(op string) (operator, error) {
	var o operator
	name := op
	switch {
	case strings.HasPrefix(name, "ForAnyValue:"):
		o.set, name = setAnyValue, name[len("ForAnyValue:"):]
	case strings.HasPrefix(name, "ForAllValues:"):
		o.set, name = setAllValues, name[len("ForAllValues:"):]
	}
	if n, ok := strings.CutSuffix(name, "IfExists"); ok {
		o.ifExists, name = true, n
	}
	b, ok := operators[name]
	if !ok || (b.base == opNull && (o.ifExists || o.set != setNone)) {
		return o, &Error{Field: "Condition", Message: msgSyntax, Detail: "unknown condition operator " + strconv.Quote(op)}
	}
	o.base, o.negated = b.base, b.negated
	return o, nil
}

// condition is one compiled (operator, key, values) triple of a Condition block.
type condition struct {
	vars bool // some value has a policy variable
	op   operator
	key  string // lower-cased
	vals []condValue
}

// condValue is a policy value, pre-parsed for its operator.
type condValue struct {
	pat   pattern      // string operators; Null: exact "true"/"false"
	parts [6]pattern   // Arn operators: the six colon-separated parts
	ok    bool         // the value is valid for the operator (a number, a date, a CIDR…)
	num   float64      // Numeric
	t     int64        // Date, in Unix nanoseconds
	ip    netip.Prefix // IpAddress
	b     bool         // Bool, Null
	bin   string       // BinaryEquals: the decoded bytes
}

func compileCondition(opName, key string, values []string, vars bool) condition {
	op, _ := parseOperator(opName) // validated by Parse
	c := condition{op: op, key: lowerASCII(key), vals: make([]condValue, len(values))}
	for i, v := range values {
		cv := &c.vals[i]
		switch op.base {
		case opStringEquals:
			cv.pat, cv.ok = compilePattern(v, false, vars), true
		case opStringEqualsIgnoreCase:
			cv.pat, cv.ok = compilePattern(v, false, vars), true
		case opStringLike:
			cv.pat, cv.ok = compilePattern(v, true, vars), true
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			cv.num, cv.ok = parseNumber(v)
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			cv.t, cv.ok = parseDate(v)
		case opBool, opNull:
			cv.b, cv.ok = parseBool(v)
		case opBinaryEquals:
			b, err := base64.StdEncoding.DecodeString(v)
			cv.bin, cv.ok = string(b), err == nil
		case opIPAddress:
			cv.ip, cv.ok = parseCIDR(v)
		case opArnLike:
			parts, ok := splitARNPattern(v)
			if ok {
				for j, p := range parts {
					cv.parts[j] = compilePattern(p, true, vars)
				}
			}
			cv.ok = ok
		}
	}
	for i := range c.vals {
		v := &c.vals[i]
		c.vars = c.vars || v.pat.vars
		for j := range v.parts {
			c.vars = c.vars || v.parts[j].vars
		}
	}
	return c
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f)
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z07:00",
}

// parseDate accepts the ISO 8601 forms IAM documents and epoch seconds (aws:EpochTime).
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-T:") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f > 1e11 {
			return 0, false
		}
		return int64(f * 1e9), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseCIDR accepts an IPv4 or IPv6 CIDR block or a single address.
func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// splitARNPattern splits an ARN pattern into its six colon-separated parts; the last keeps
// any further colons, and colons inside ${…} do not count.
func splitARNPattern(s string) ([6]string, bool) {
	var parts [6]string
	n, start, depth := 0, 0, 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < 5 {
		return parts, false
	}
	parts[5] = s[start:]
	return parts, true
}

// splitARN splits an ARN into its six parts without allocating.
func splitARN(s string) ([6]string, bool) {
	var parts [6]string
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i] = s[:j]
		s = s[j+1:]
	}
	parts[5] = s
	return parts, true
}

// eval evaluates the condition against the request context.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func (c *condition) eval(ctx Context) bool {
	rv, present := ctx.lookupLower(c.key)
	if c.op.base == opNull {
		// "Null": {"k": "true"} holds when k is absent; "false" when it is present.
		for i := range c.vals {
			if c.vals[i].ok && c.vals[i].b != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.op.ifExists:
			return true
		case c.op.set == setAllValues:
			// ForAllValues holds vacuously for a missing key or an empty set.
			return true
		case c.op.set == setAnyValue:
			return false
		}
		// A negated operator holds when the key is absent: nothing matches.
		return c.op.negated
	}
	if c.vars && c.op.negated && !c.resolvable(ctx) {
		// A variable that cannot be resolved makes the statement not apply, rather than
		// making "not equal to it" true.
		return false
	}
	switch c.op.set {
	case setAllValues:
		for _, r := range rv {
			if c.matchAny(r, ctx) == c.op.negated {
				return false
			}
		}
		return true
	case setAnyValue:
		for _, r := range rv {
			if c.matchAny(r, ctx) != c.op.negated {
				return true
			}
		}
		return false
	}
	// Without a qualifier: a positive operator holds when some request value matches some
	// policy value; a negated one when none does (a NOR over the policy values).
	for _, r := range rv {
		if c.matchAny(r, ctx) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

// resolvable reports whether every policy variable in the values can be resolved.
func (c *condition) resolvable(ctx Context) bool {
	for i := range c.vals {
		v := &c.vals[i]
		if !v.pat.resolvable(ctx) {
			return false
		}
		if c.op.base == opArnLike {
			for j := range v.parts {
				if !v.parts[j].resolvable(ctx) {
					return false
				}
			}
		}
	}
	return true
}

// matchAny reports whether the request value r matches any policy value under the positive
// form of the operator.
func (c *condition) matchAny(r string, ctx Context) bool {
	switch c.op.base {
	case opStringEquals, opStringLike:
		for i := range c.vals {
			if c.vals[i].pat.match(r, ctx, false) {
				return true
			}
		}
	case opStringEqualsIgnoreCase:
		for i := range c.vals {
			if c.vals[i].pat.match(r, ctx, true) {
				return true
			}
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, ok := parseNumber(r)
		if !ok {
			return false
		}
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && compare(c.op.base, n, v.num) {
				return true
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(r)
		if !ok {
			return false
		}
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && compare(c.op.base, t, v.t) {
				return true
			}
		}
	case opBool:
		b, ok := parseBool(r)
		if !ok {
			return false
		}
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && v.b == b {
				return true
			}
		}
	case opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(r)
		if err != nil {
			return false
		}
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && v.bin == string(b) {
				return true
			}
		}
	case opIPAddress:
		a, err := netip.ParseAddr(strings.TrimSpace(r))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && v.ip.Contains(a) {
				return true
			}
		}
	case opArnLike:
		parts, ok := splitARN(r)
		if !ok {
			return false
		}
	values:
		for i := range c.vals {
			v := &c.vals[i]
			if !v.ok {
				continue
			}
			for j := range parts {
				if !v.parts[j].match(parts[j], ctx, false) {
					continue values
				}
			}
			return true
		}
	}
	return false
}

func compare[T int64 | float64](op opBase, a, b T) bool {
	switch op {
	case opNumericEquals, opDateEquals:
		return a == b
	case opNumericLessThan, opDateLessThan:
		return a < b
	case opNumericLessThanEquals, opDateLessThanEquals:
		return a <= b
	case opNumericGreaterThan, opDateGreaterThan:
		return a > b
	case opNumericGreaterThanEquals, opDateGreaterThanEquals:
		return a >= b
	}
	return false
}
