package output

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// pyFloat formats f as Python's repr(float) does: the shortest round-tripping digits, fixed
// notation with at least one decimal when the decimal exponent is in [-4, 16), else
// scientific with a signed exponent of at least two digits ("1e-05", "1.5e+16").
func pyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	decpt := exp + 1
	if decpt > -4 && decpt <= 16 {
		var b strings.Builder
		b.WriteString(sign)
		switch {
		case decpt <= 0:
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", -decpt))
			b.WriteString(digits)
		case decpt >= len(digits):
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", decpt-len(digits)))
			b.WriteString(".0")
		default:
			b.WriteString(digits[:decpt])
			b.WriteByte('.')
			b.WriteString(digits[decpt:])
		}
		return b.String()
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := "+"
	if exp < 0 {
		es, exp = "-", -exp
	}
	return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
}

// pyStr formats a scalar as Python's str() does, which is how text and table print them.
// Objects and lists, which those formats print only in odd cases, get Python's repr.
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return x
	case Datetime:
		return x.pyStr()
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return pyFloat(x)
	case *Map, map[string]any, []any:
		return pyRepr(v)
	}
	return fmt.Sprint(v)
}

// pyRepr is Python's repr of parsed data: {'k': 'v', 'n': [1, True, None]}.
func pyRepr(v any) string {
	switch x := v.(type) {
	case string:
		q := "'"
		if strings.Contains(x, "'") && !strings.Contains(x, `"`) {
			q = `"`
		}
		r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
		s := r.Replace(x)
		if q == "'" {
			s = strings.ReplaceAll(s, "'", `\'`)
		}
		return q + s + q
	case *Map:
		parts := make([]string, 0, x.Len())
		for _, k := range x.keys {
			parts = append(parts, pyRepr(k)+": "+pyRepr(x.vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		return pyRepr(sortedMap(x))
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, pyRepr(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return pyStr(v)
}

// sortedKeys returns the keys of an object in Python's sorted() order (by code point; Go
// compares UTF-8 bytes, which orders code points the same way).
func sortedKeys(m *Map) []string {
	keys := append([]string(nil), m.keys...)
	sort.Strings(keys)
	return keys
}
