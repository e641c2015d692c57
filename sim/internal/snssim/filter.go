package snssim

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// FilterPolicy is a subscription's filter policy, parsed: a message is delivered to the
// subscription only when it matches. The simulator takes the parts of AWS's filter policy
// language (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html):
//
//   - exact values: strings, numbers, true, false and null, any of a list;
//   - {"prefix": "s"}, {"suffix": "s"}, {"equals-ignore-case": "s"};
//   - {"anything-but": v}, with v a value, a list of values or {"prefix": "s"};
//   - {"numeric": ["<", 10]} and ranges {"numeric": [">=", 0, "<", 10]};
//   - {"exists": true|false};
//   - "$or" of policies; nested keys with the MessageBody scope.
//
// It refuses what AWS refuses among these (more than five keys, more than 150 combinations,
// an unknown operator) with AWS's wording; "cidr" is not taken.
type FilterPolicy struct {
	scope string // MessageAttributes or MessageBody
	root  node
}

// node is a policy object: each key a list of rules or (body scope) a nested object; ors are
// the alternatives of "$or".
type node struct {
	keys  map[string]*field
	order []string
	ors   [][]node
}

type field struct {
	rules  []rule
	nested *node
}

type rule struct {
	kind   string // value, prefix, suffix, ignorecase, anything-but, anything-but-prefix, numeric, exists
	value  any    // a string, float64, bool or nil
	values []any  // anything-but's list
	nums   []numCond
	exists bool
}

type numCond struct {
	op string
	n  float64
}

func filterErr(format string, args ...any) error {
	return invalid("Attributes Reason: FilterPolicy: "+format, args...)
}

// ParseFilterPolicy parses a filter policy for a scope ("" is MessageAttributes).
func ParseFilterPolicy(text, scope string) (*FilterPolicy, error) {
	if scope == "" {
		scope = "MessageAttributes"
	}
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return nil, filterErr("failed to parse JSON")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, filterErr("Filter policy must be a JSON object")
	}
	combos := 1
	n, err := parseNode(obj, scope, 1, &combos)
	if err != nil {
		return nil, err
	}
	if len(n.keys) > 5 {
		return nil, filterErr("Filter policy can not have more than 5 keys")
	}
	if combos > 150 {
		return nil, filterErr("Filter policy is too complex")
	}
	return &FilterPolicy{scope: scope, root: n}, nil
}

func parseNode(obj map[string]any, scope string, depth int, combos *int) (node, error) {
	n := node{keys: map[string]*field{}}
	if len(obj) == 0 {
		return n, filterErr("Empty objects are not allowed")
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v := obj[k]
		if k == "$or" {
			list, ok := v.([]any)
			if !ok || len(list) < 2 {
				return n, filterErr("Or operator must have at least two filter policies")
			}
			var alts []node
			for _, alt := range list {
				o, ok := alt.(map[string]any)
				if !ok {
					return n, filterErr("Or operator must contain filter policy objects")
				}
				an, err := parseNode(o, scope, depth, combos)
				if err != nil {
					return n, err
				}
				alts = append(alts, an)
			}
			n.ors = append(n.ors, alts)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			if scope != "MessageBody" {
				return n, invalid("Filter policy scope MessageAttributes does not support nested filter policy")
			}
			sub, err := parseNode(v, scope, depth+1, combos)
			if err != nil {
				return n, err
			}
			n.keys[k] = &field{nested: &sub}
		case []any:
			if len(v) == 0 {
				return n, filterErr("Empty arrays are not allowed")
			}
			f := &field{}
			for _, r := range v {
				rl, err := parseRule(r)
				if err != nil {
					return n, err
				}
				f.rules = append(f.rules, rl)
			}
			*combos *= len(v) * depth
			if *combos > 1<<20 {
				*combos = 1 << 20
			}
			n.keys[k] = f
		default:
			return n, filterErr("%q must be an object or an array", k)
		}
		n.order = append(n.order, k)
	}
	return n, nil
}

func scalar(v any) (any, bool) {
	switch v := v.(type) {
	case nil, string, bool:
		return v, true
	case json.Number:
		f, err := v.Float64()
		if err != nil || f <= -1e9 || f >= 1e9 {
			return nil, false
		}
		return f, true
	}
	return nil, false
}

func parseRule(v any) (rule, error) {
	if s, ok := scalar(v); ok {
		return rule{kind: "value", value: s}, nil
	}
	if _, isNum := v.(json.Number); isNum {
		return rule{}, filterErr("Numbers must be between -1000000000 and 1000000000")
	}
	obj, ok := v.(map[string]any)
	if !ok || len(obj) != 1 {
		return rule{}, filterErr("Match value must be String, number, true, false, or null")
	}
	for k, arg := range obj {
		switch k {
		case "prefix", "suffix", "equals-ignore-case":
			s, ok := arg.(string)
			if !ok {
				return rule{}, filterErr("%s match pattern must be a string", k)
			}
			kind := map[string]string{"prefix": "prefix", "suffix": "suffix", "equals-ignore-case": "ignorecase"}[k]
			return rule{kind: kind, value: s}, nil
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return rule{}, filterErr("exists match pattern must be either true or false.")
			}
			return rule{kind: "exists", exists: b}, nil
		case "anything-but":
			switch a := arg.(type) {
			case []any:
				if len(a) == 0 {
					return rule{}, filterErr("Empty arrays are not allowed")
				}
				var vals []any
				for _, x := range a {
					s, ok := scalar(x)
					if !ok || s == nil {
						return rule{}, filterErr("Inside anything but list, start|null|boolean is not supported.")
					}
					vals = append(vals, s)
				}
				return rule{kind: "anything-but", values: vals}, nil
			case map[string]any:
				p, ok := a["prefix"].(string)
				if !ok || len(a) != 1 {
					return rule{}, filterErr("Unsupported anything-but pattern")
				}
				return rule{kind: "anything-but-prefix", value: p}, nil
			default:
				s, ok := scalar(a)
				if !ok || s == nil {
					return rule{}, filterErr("Inside anything but list, start|null|boolean is not supported.")
				}
				return rule{kind: "anything-but", values: []any{s}}, nil
			}
		case "numeric":
			list, ok := arg.([]any)
			if !ok || len(list) == 0 {
				return rule{}, filterErr("Value of numeric must be an array.")
			}
			return parseNumeric(list)
		default:
			return rule{}, filterErr("Unrecognized match type %s", k)
		}
	}
	return rule{}, filterErr("Match value must be String, number, true, false, or null")
}

func parseNumeric(list []any) (rule, error) {
	r := rule{kind: "numeric"}
	for i := 0; i < len(list); i += 2 {
		op, ok := list[i].(string)
		if !ok {
			return r, filterErr("Invalid member in numeric match: %v", list[i])
		}
		if !slices.Contains([]string{"<", "<=", "=", ">", ">="}, op) {
			return r, filterErr("Unrecognized numeric range operator: %s", op)
		}
		if i+1 >= len(list) {
			return r, filterErr("Value of %s must be numeric", op)
		}
		n, ok := list[i+1].(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			return r, filterErr("Value of %s must be numeric", op)
		}
		r.nums = append(r.nums, numCond{op, f})
	}
	switch len(r.nums) {
	case 1:
	case 2:
		lo, hi := r.nums[0], r.nums[1]
		if (lo.op != ">" && lo.op != ">=") || (hi.op != "<" && hi.op != "<=") {
			return r, filterErr("Bad numeric range operator: %s", hi.op)
		}
		if hi.n <= lo.n {
			return r, filterErr("Bottom must be less than top")
		}
	default:
		return r, filterErr("Too many elements in numeric expression")
	}
	return r, nil
}

// Attribute is a message attribute as filtering sees it.
type Attribute struct {
	Type  string // String, Number, Binary, String.Array (and custom suffixes: String.x)
	Value string
}

// values returns the values an attribute offers to matching, and whether it can be matched
// at all (a Binary attribute cannot).
func (a Attribute) values() ([]any, bool) {
	base, _, _ := strings.Cut(a.Type, ".")
	switch {
	case a.Type == "String.Array":
		var list []any
		d := json.NewDecoder(strings.NewReader(a.Value))
		d.UseNumber()
		if d.Decode(&list) != nil {
			return nil, false
		}
		out := make([]any, 0, len(list))
		for _, x := range list {
			if s, ok := scalar(x); ok {
				out = append(out, s)
			}
		}
		return out, true
	case base == "Number":
		f, err := strconv.ParseFloat(a.Value, 64)
		if err != nil {
			return nil, false
		}
		return []any{f}, true
	case base == "String":
		return []any{a.Value}, true
	}
	return nil, false
}

// MatchAttributes reports whether a message with these attributes matches (the
// MessageAttributes scope).
func (p *FilterPolicy) MatchAttributes(attrs map[string]Attribute) bool {
	return p.root.match(func(key string) ([]any, bool) {
		a, ok := attrs[key]
		if !ok {
			return nil, false
		}
		return a.values()
	}, nil)
}

// MatchBody reports whether a message body matches (the MessageBody scope); a body that is
// not a JSON object matches no policy.
func (p *FilterPolicy) MatchBody(body string) bool {
	d := json.NewDecoder(bytes.NewReader([]byte(body)))
	d.UseNumber()
	var obj map[string]any
	if d.Decode(&obj) != nil {
		return false
	}
	return p.root.matchObject(obj)
}

// Match reports whether a message matches, by the policy's scope.
func (p *FilterPolicy) Match(attrs map[string]Attribute, body string) bool {
	if p.scope == "MessageBody" {
		return p.MatchBody(body)
	}
	return p.MatchAttributes(attrs)
}

func (n *node) matchObject(obj map[string]any) bool {
	return n.match(func(key string) ([]any, bool) {
		v, ok := obj[key]
		if !ok {
			return nil, false
		}
		if list, isList := v.([]any); isList {
			var out []any
			for _, x := range list {
				if s, ok := scalar(x); ok {
					out = append(out, s)
				}
			}
			return out, true
		}
		if s, ok := scalar(v); ok {
			return []any{s}, true
		}
		return nil, true
	}, obj)
}

// match reports whether every key matches and one policy of each "$or" does; get returns a
// key's values and whether it is present.
func (n *node) match(get func(string) ([]any, bool), obj map[string]any) bool {
	for _, k := range n.order {
		f := n.keys[k]
		if f.nested != nil {
			sub, ok := obj[k].(map[string]any)
			if !ok || !f.nested.matchObject(sub) {
				return false
			}
			continue
		}
		vals, present := get(k)
		if !slices.ContainsFunc(f.rules, func(r rule) bool { return r.match(vals, present) }) {
			return false
		}
	}
	for _, alts := range n.ors {
		if !slices.ContainsFunc(alts, func(a node) bool { return a.match(get, obj) }) {
			return false
		}
	}
	return true
}

func (r rule) match(vals []any, present bool) bool {
	if r.kind == "exists" {
		return present == r.exists
	}
	if !present {
		return false
	}
	switch r.kind {
	case "anything-but":
		for _, v := range vals {
			if slices.ContainsFunc(r.values, func(x any) bool { return equal(x, v) }) {
				return false
			}
		}
		return len(vals) > 0
	case "anything-but-prefix":
		for _, v := range vals {
			if s, ok := v.(string); !ok || strings.HasPrefix(s, r.value.(string)) {
				return false
			}
		}
		return len(vals) > 0
	}
	return slices.ContainsFunc(vals, func(v any) bool { return r.matchOne(v) })
}

func (r rule) matchOne(v any) bool {
	switch r.kind {
	case "value":
		return equal(r.value, v)
	case "prefix":
		s, ok := v.(string)
		return ok && strings.HasPrefix(s, r.value.(string))
	case "suffix":
		s, ok := v.(string)
		return ok && strings.HasSuffix(s, r.value.(string))
	case "ignorecase":
		s, ok := v.(string)
		return ok && strings.EqualFold(s, r.value.(string))
	case "numeric":
		f, ok := v.(float64)
		if !ok {
			return false
		}
		for _, c := range r.nums {
			if !compare(c.op, f, c.n) {
				return false
			}
		}
		return true
	}
	return false
}

func equal(a, b any) bool { return a == b }

func compare(op string, a, b float64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case "=":
		return a == b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}
