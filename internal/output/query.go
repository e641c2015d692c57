package output

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/jmespath/go-jmespath"
)

// Query applies the JMESPath expression to v (data from [Value]), as the AWS CLI's --query does.
// Objects that come through the query keep their key order; an object a multiselect hash
// makes ({Name: UserName, Id: UserId}) has the expression's key order, as in Python's jmespath.
//
// go-jmespath compares only float64 numbers, so numbers are float64 during the search; an
// integral float64 in the result becomes int64 again, which is what Python prints for the
// model's integers (a float member with an integral value, or avg(), prints as an integer).
func Query(v any, expression string) (any, error) {
	q, err := jmespath.Compile(legacyLiterals(expression))
	if err != nil {
		return nil, fmt.Errorf("output: bad --query %q: %w", expression, err)
	}
	orders := map[uintptr][]string{}
	res, err := q.Search(toPlain(v, orders))
	if err != nil {
		return nil, fmt.Errorf("output: --query %q: %w", expression, err)
	}
	return fromPlain(res, orders, multiselectKeys(expression)), nil
}

// legacyLiterals rewrites the literals between backticks that are not JSON as JSON strings:
// Python's jmespath, which the AWS CLI uses, still reads `us-east-1` as "us-east-1" (its
// deprecated legacy literals), and AWS's documentation writes queries that way.
// go-jmespath wants JSON. Raw strings in single quotes are left alone.
func legacyLiterals(expr string) string {
	if !strings.Contains(expr, "`") {
		return expr
	}
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch c {
		case '\'':
			j := i + 1
			for j < len(expr) && expr[j] != '\'' {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(expr))
			b.WriteString(expr[i:end])
			i = end - 1
		case '`':
			j := i + 1
			var lit strings.Builder
			for j < len(expr) && expr[j] != '`' {
				if expr[j] == '\\' && j+1 < len(expr) && expr[j+1] == '`' {
					j++
				}
				lit.WriteByte(expr[j])
				j++
			}
			if j >= len(expr) { // unterminated: let the parser report it
				b.WriteString(expr[i:])
				return b.String()
			}
			text := lit.String()
			if !json.Valid([]byte(strings.TrimSpace(text))) {
				q, _ := json.Marshal(text)
				text = string(q)
			}
			b.WriteByte('`')
			b.WriteString(strings.ReplaceAll(text, "`", "\\`"))
			b.WriteByte('`')
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// toPlain converts data to the map[string]any, []any and float64 that go-jmespath handles,
// remembering each object's key order by its map's identity.
func toPlain(v any, orders map[uintptr][]string) any {
	switch x := v.(type) {
	case *Map:
		if x == nil {
			return nil
		}
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = toPlain(x.vals[k], orders)
		}
		orders[reflect.ValueOf(m).Pointer()] = x.keys
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = toPlain(e, orders)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = toPlain(e, orders)
		}
		return l
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case int32:
		return float64(x)
	}
	return v
}

func fromPlain(v any, orders map[uintptr][]string, multi [][]string) any {
	switch x := v.(type) {
	case map[string]any:
		keys, ok := orders[reflect.ValueOf(x).Pointer()]
		if !ok || len(keys) != len(x) {
			keys = keyOrder(x, multi)
		}
		out := &Map{}
		for _, k := range keys {
			out.Set(k, fromPlain(x[k], orders, multi))
		}
		return out
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = fromPlain(e, orders, multi)
		}
		return l
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	}
	return v
}

// keyOrder orders the keys of an object the query made: the order of a multiselect hash of
// the expression with the same keys, else sorted.
func keyOrder(m map[string]any, multi [][]string) []string {
	for _, ks := range multi {
		if len(ks) != len(m) {
			continue
		}
		all := true
		for _, k := range ks {
			if _, ok := m[k]; !ok {
				all = false
				break
			}
		}
		if all {
			return ks
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// multiselectKeys returns the key lists of the expression's multiselect hashes ({a: x, b: y}),
// each in the expression's order. It scans the expression's tokens only as far as it needs:
// strings, raw strings and literals are skipped; a key is the identifier before a ':' at its
// brace's own nesting level.
func multiselectKeys(expr string) [][]string {
	type frame struct {
		brace bool
		keys  []string
	}
	var stack []frame
	var out [][]string
	last := "" // the last identifier or quoted identifier seen
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(expr) && expr[j] != '"' {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				return out
			}
			var s string
			if _, err := fmt.Sscanf(expr[i:j+1], "%q", &s); err != nil {
				s = expr[i+1 : j]
			}
			last = s
			i = j
		case c == '\'' || c == '`':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			i = j
			last = ""
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(expr) && (expr[j] == '_' || expr[j] >= 'a' && expr[j] <= 'z' || expr[j] >= 'A' && expr[j] <= 'Z' || expr[j] >= '0' && expr[j] <= '9') {
				j++
			}
			last = expr[i:j]
			i = j - 1
		case c == '{':
			stack = append(stack, frame{brace: true})
			last = ""
		case c == '[' || c == '(':
			stack = append(stack, frame{})
			last = ""
		case c == '}' || c == ']' || c == ')':
			if n := len(stack); n > 0 {
				if stack[n-1].brace && len(stack[n-1].keys) > 0 {
					out = append(out, stack[n-1].keys)
				}
				stack = stack[:n-1]
			}
			last = ""
		case c == ':':
			if n := len(stack); n > 0 && stack[n-1].brace && last != "" {
				stack[n-1].keys = append(stack[n-1].keys, last)
			}
			last = ""
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			last = ""
		}
	}
	return out
}
