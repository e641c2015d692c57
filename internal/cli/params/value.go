package params

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// converter fills SDK values from generic values (shorthand or JSON), checking them as
// botocore's parameter validator does and collecting its messages.
type converter struct {
	shorthand bool        // values came from shorthand: strings convert to numbers and booleans
	rawBlobs  bool        // blob strings are bytes, not base64
	errs      []string    // validation messages, in botocore's order
	fatal     *UsageError // a conversion the AWS CLI does not catch (int('x')); stops conversion
}

// root is the name botocore gives the input itself in messages.
const root = "input"

func (c *converter) report(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

func (c *converter) invalidType(name string, v any, valid ...string) {
	c.report("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
		name, pyStr(v), pyType(v), strings.Join(valid, ", "))
}

// value converts v to type t. It reports false (and a message) when v does not fit.
func (c *converter) value(t reflect.Type, v any, name string) (reflect.Value, bool) {
	if c.fatal != nil {
		return reflect.Value{}, false
	}
	switch {
	case t.Kind() == reflect.Pointer:
		e, ok := c.value(t.Elem(), v, name)
		if !ok {
			return e, false
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(e)
		return p, true
	case t == timeType:
		return c.timestamp(v, name)
	case t == bytesType:
		return c.blob(v, name)
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			c.invalidType(name, v, "<class 'str'>")
			return reflect.Value{}, false
		}
		return reflect.ValueOf(s).Convert(t), true
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			return reflect.ValueOf(x).Convert(t), true
		case string:
			if c.shorthand && (strings.EqualFold(x, "true") || strings.EqualFold(x, "false")) {
				return reflect.ValueOf(strings.EqualFold(x, "true")).Convert(t), true
			}
		}
		c.invalidType(name, v, "<class 'bool'>")
		return reflect.Value{}, false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return c.integer(t, v, name)
	case reflect.Float32, reflect.Float64:
		return c.float(t, v, name)
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			if c.shorthand && v != nil {
				// The AWS CLI's shorthand turns Values=a into ["a"].
				list = []any{v}
			} else {
				c.invalidType(name, v, "<class 'list'>", "<class 'tuple'>")
				return reflect.Value{}, false
			}
		}
		out := reflect.MakeSlice(t, len(list), len(list))
		good := true
		for i, x := range list {
			e, ok := c.value(t.Elem(), x, fmt.Sprintf("%s[%d]", name, i))
			if ok {
				out.Index(i).Set(e)
			}
			good = good && ok
		}
		return out, good
	case reflect.Map:
		obj, ok := v.(*object)
		if !ok {
			c.invalidType(name, v, "<class 'dict'>")
			return reflect.Value{}, false
		}
		out := reflect.MakeMapWithSize(t, len(obj.keys))
		good := true
		for _, k := range obj.keys {
			kv, ok1 := c.value(t.Key(), k, fmt.Sprintf("%s (key: %s)", name, k))
			ev, ok2 := c.value(t.Elem(), obj.vals[k], name+"."+k)
			if ok1 && ok2 {
				out.SetMapIndex(kv, ev)
			}
			good = good && ok1 && ok2
		}
		return out, good
	case reflect.Struct:
		return c.structure(t, v, name)
	case reflect.Interface:
		if isUnion(t) {
			return c.union(t, v, name)
		}
	}
	c.report("Parameter %s: %s values cannot be given on the command line", name, t)
	return reflect.Value{}, false
}

func (c *converter) structure(t reflect.Type, v any, name string) (reflect.Value, bool) {
	obj, ok := v.(*object)
	if !ok {
		c.invalidType(orRoot(name), v, "<class 'dict'>")
		return reflect.Value{}, false
	}
	out := reflect.New(t).Elem()
	good := true
	for _, f := range required[t.PkgPath()+"."+t.Name()] {
		if _, ok := obj.vals[f]; !ok && name != "" {
			c.report("Missing required parameter in %s: %q", name, f)
			good = false
		}
	}
	for _, k := range obj.keys {
		f, ok := t.FieldByName(k)
		if !ok || !f.IsExported() || f.Anonymous || len(f.Index) != 1 {
			c.report("Unknown parameter in %s: %q, must be one of: %s", orRoot(name), k, strings.Join(memberNames(t), ", "))
			good = false
			continue
		}
		child := k
		if name != "" {
			child = name + "." + k
		}
		fv, ok := c.value(f.Type, obj.vals[k], child)
		if ok {
			out.Field(f.Index[0]).Set(fv)
		}
		good = good && ok
	}
	return out, good
}

func orRoot(name string) string {
	if name == "" {
		return root
	}
	return name
}

// memberNames lists a structure's members as botocore's messages do: required ones first.
func memberNames(t reflect.Type) []string {
	var names []string
	for _, p := range Params(t) {
		names = append(names, p.Field)
	}
	return names
}

func (c *converter) integer(t reflect.Type, v any, name string) (reflect.Value, bool) {
	var n *big.Int
	switch x := v.(type) {
	case json.Number:
		if isJSONInt(string(x)) {
			n, _ = new(big.Int).SetString(string(x), 10)
		}
	case string:
		if c.shorthand {
			var ok bool
			if n, ok = pyInt(x); !ok {
				c.fatal = &UsageError{Message: fmt.Sprintf("invalid literal for int() with base 10: %s", pyRepr(x)), Form: ValueError}
				return reflect.Value{}, false
			}
		}
	}
	if n == nil {
		c.invalidType(name, v, "<class 'int'>")
		return reflect.Value{}, false
	}
	out := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.IsInt64() && !out.OverflowInt(n.Int64()) {
			out.SetInt(n.Int64())
			return out, true
		}
		lo := new(big.Int).Lsh(big.NewInt(-1), uint(t.Bits()-1))
		hi := new(big.Int).Sub(new(big.Int).Neg(lo), big.NewInt(1))
		c.report("Invalid value for parameter %s, value: %s, valid range: %s-%s", name, n, lo, hi)
	default:
		if n.IsUint64() && !out.OverflowUint(n.Uint64()) {
			out.SetUint(n.Uint64())
			return out, true
		}
		hi := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(t.Bits())), big.NewInt(1))
		c.report("Invalid value for parameter %s, value: %s, valid range: 0-%s", name, n, hi)
	}
	return reflect.Value{}, false
}

func (c *converter) float(t reflect.Type, v any, name string) (reflect.Value, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(x), 64); err != nil {
			c.report("Invalid value for parameter %s, value: %s, valid range: a 64-bit float", name, x)
			return reflect.Value{}, false
		}
	case string:
		var ok bool
		if !c.shorthand {
			c.invalidType(name, v, "<class 'float'>", "<class 'decimal.Decimal'>", "<class 'int'>")
			return reflect.Value{}, false
		}
		if f, ok = pyFloat(x); !ok {
			c.fatal = &UsageError{Message: fmt.Sprintf("could not convert string to float: %s", pyRepr(x)), Form: ValueError}
			return reflect.Value{}, false
		}
	default:
		c.invalidType(name, v, "<class 'float'>", "<class 'decimal.Decimal'>", "<class 'int'>")
		return reflect.Value{}, false
	}
	out := reflect.New(t).Elem()
	if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && !math.IsNaN(f) && out.OverflowFloat(f) {
		c.report("Invalid value for parameter %s, value: %s, valid range: a 32-bit float", name, pyStr(v))
		return reflect.Value{}, false
	}
	out.SetFloat(f)
	return out, true
}

func (c *converter) timestamp(v any, name string) (reflect.Value, bool) {
	var (
		tm time.Time
		ok bool
	)
	switch x := v.(type) {
	case string:
		tm, ok = parseTimestamp(x)
	case json.Number:
		tm, ok = parseTimestamp(string(x))
	}
	if !ok {
		c.invalidType(name, v, "<class 'datetime.datetime'>", "timestamp-string")
		return reflect.Value{}, false
	}
	return reflect.ValueOf(tm), true
}

func (c *converter) blob(v any, name string) (reflect.Value, bool) {
	s, ok := v.(string)
	if !ok {
		c.invalidType(name, v, "<class 'bytes'>", "<class 'bytearray'>", "file-like object")
		return reflect.Value{}, false
	}
	if c.rawBlobs {
		return reflect.ValueOf([]byte(s)), true
	}
	b, err := decodeBase64(s)
	if err != nil {
		c.fatal = &UsageError{Message: fmt.Sprintf("Invalid base64: %q", s), Form: ValueError}
		return reflect.Value{}, false
	}
	return reflect.ValueOf(b), true
}

// decodeBase64 decodes standard base64 as Python's base64.b64decode does by default: characters
// outside the alphabet are dropped, padding is required.
func decodeBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '+' || r == '/' || r == '=' {
			return r
		}
		return -1
	}, s)
	return base64.StdEncoding.DecodeString(clean)
}

func isJSONInt(s string) bool { return !strings.ContainsAny(s, ".eE") }

// pyInt parses s as Python's int(s) does: surrounding whitespace, a sign, digits with single
// underscores between them.
func pyInt(s string) (*big.Int, bool) {
	s = strings.TrimFunc(s, isPySpace)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' ||
		strings.Contains(digits, "__") {
		return nil, false
	}
	n, ok := new(big.Int).SetString(strings.TrimPrefix(s[:len(s)-len(digits)], "+")+strings.ReplaceAll(digits, "_", ""), 10)
	return n, ok
}

// pyFloat parses s as Python's float(s) does, near enough: whitespace, inf, nan, exponents.
func pyFloat(s string) (float64, bool) {
	s = strings.TrimFunc(s, isPySpace)
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "inf", "infinity", "nan":
	default:
		if s == "" || strings.ContainsAny(s, "xXpP_") {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}

// Timestamp layouts the AWS CLI (dateutil) accepts and people write.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	"20060102T150405Z",
	"20060102",
	time.RFC1123,
	time.RFC1123Z,
}

// parseTimestamp reads ISO 8601 (a missing zone is UTC, as botocore takes it) or epoch seconds.
func parseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eEnNiI") {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// pyStr is Python's str() of a generic value, as botocore's messages print values.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a generic value.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		if isJSONInt(string(x)) {
			return string(x)
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return string(x)
		}
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	case string:
		q := "'"
		if strings.Contains(x, "'") && !strings.Contains(x, `"`) {
			q = `"`
		}
		var b strings.Builder
		b.WriteString(q)
		for _, r := range x {
			switch {
			case r == '\\':
				b.WriteString(`\\`)
			case string(r) == q:
				b.WriteString(`\` + q)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20 || r == 0x7f:
				fmt.Fprintf(&b, `\x%02x`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteString(q)
		return b.String()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *object:
		parts := make([]string, len(x.keys))
		if x.json {
			for i, k := range x.keys {
				parts[i] = "(" + pyRepr(k) + ", " + pyRepr(x.vals[k]) + ")"
			}
			return "OrderedDict([" + strings.Join(parts, ", ") + "])"
		}
		for i, k := range x.keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyType is the type botocore's messages name for a generic value.
func pyType(v any) string {
	switch x := v.(type) {
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case json.Number:
		if isJSONInt(string(x)) {
			return "<class 'int'>"
		}
		return "<class 'float'>"
	case string:
		return "<class 'str'>"
	case []any:
		return "<class 'list'>"
	case *object:
		if x.json {
			return "<class 'collections.OrderedDict'>"
		}
	}
	return "<class 'dict'>"
}
