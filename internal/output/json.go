package output

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writeJSON prints v as the AWS CLI's json output does: Python's json.dump with indent=4 and
// ensure_ascii=False, then a newline. An empty object prints nothing (the AWS CLI's rule for
// operations with no output).
func writeJSON(w *bufio.Writer, v any) error {
	if m, ok := v.(*Map); ok && m.Len() == 0 {
		return nil
	}
	if err := encodeJSON(w, v, 0); err != nil {
		return err
	}
	return w.WriteByte('\n')
}

func encodeJSON(w *bufio.Writer, v any, depth int) error {
	switch x := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		if x {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case string:
		writeJSONString(w, x)
	case Datetime:
		writeJSONString(w, string(x))
	case int64:
		w.WriteString(strconv.FormatInt(x, 10))
	case int:
		w.WriteString(strconv.Itoa(x))
	case float64:
		switch {
		case math.IsNaN(x):
			w.WriteString("NaN")
		case math.IsInf(x, 1):
			w.WriteString("Infinity")
		case math.IsInf(x, -1):
			w.WriteString("-Infinity")
		default:
			w.WriteString(pyFloat(x))
		}
	case *Map:
		if x.Len() == 0 {
			w.WriteString("{}")
			return nil
		}
		w.WriteString("{")
		for i, k := range x.keys {
			if i > 0 {
				w.WriteByte(',')
			}
			newline(w, depth+1)
			writeJSONString(w, k)
			w.WriteString(": ")
			if err := encodeJSON(w, x.vals[k], depth+1); err != nil {
				return err
			}
		}
		newline(w, depth)
		w.WriteString("}")
	case map[string]any:
		return encodeJSON(w, sortedMap(x), depth)
	case []any:
		if len(x) == 0 {
			w.WriteString("[]")
			return nil
		}
		w.WriteString("[")
		for i, e := range x {
			if i > 0 {
				w.WriteByte(',')
			}
			newline(w, depth+1)
			if err := encodeJSON(w, e, depth+1); err != nil {
				return err
			}
		}
		newline(w, depth)
		w.WriteString("]")
	default:
		conv := Value(v)
		if _, same := conv.(*Map); !same {
			if _, isList := conv.([]any); !isList {
				switch conv.(type) {
				case nil, bool, string, int64, float64:
				default:
					return fmt.Errorf("output: cannot print %T as json", v)
				}
			}
		}
		return encodeJSON(w, conv, depth)
	}
	return nil
}

func newline(w *bufio.Writer, depth int) {
	w.WriteByte('\n')
	w.WriteString(strings.Repeat("    ", depth))
}

// writeJSONString writes s as Python's json module does with ensure_ascii=False: only '"',
// '\\' and control characters are escaped.
func writeJSONString(w *bufio.Writer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			w.WriteString(`\"`)
		case r == '\\':
			w.WriteString(`\\`)
		case r == '\n':
			w.WriteString(`\n`)
		case r == '\r':
			w.WriteString(`\r`)
		case r == '\t':
			w.WriteString(`\t`)
		case r == '\b':
			w.WriteString(`\b`)
		case r == '\f':
			w.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(w, `\u%04x`, r)
		default:
			w.WriteString(s[i : i+size])
		}
		i += size
	}
	w.WriteByte('"')
}
