package jsonproto

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	smithytime "github.com/aws/smithy-go/time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Decode fills in (a pointer to the zero SDK input struct of op, e.g. *ssm.PutParameterInput)
// from a request's JSON body. An empty body is an empty input.
//
// A body that is not JSON, or a member whose value has the wrong JSON type, returns a
// *core.Error with code SerializationException. Members the operation does not have are
// passed over, as AWS's JSON services do (so a newer SDK's members do not break an older
// simulator), and so are members whose value is null. Required members are not checked.
// Other errors (in is not op's input type) are plain errors: the caller's bug, not the
// client's.
func (p *Protocol) Decode(op string, body []byte, in any) error {
	o, err := p.op(op)
	if err != nil {
		return err
	}
	sp, rv, err := p.target(o, op, in)
	if err != nil {
		return err
	}
	d := decoder{buf: body}
	if d.atEnd() {
		return nil
	}
	if d.buf[d.i] != '{' {
		return d.serializationError(d.fail("the body is not a JSON object"))
	}
	if err := d.object(sp, rv.Elem()); err != nil {
		return d.serializationError(err)
	}
	if !d.atEnd() {
		return d.serializationError(d.fail("unexpected %s after the JSON object", d.found()))
	}
	return nil
}

// maxDepth bounds the nesting of arrays and objects, so that a hostile body cannot make the
// decoder recurse without end. The SDK's shapes nest a few levels.
const maxDepth = 1000

type decoder struct {
	buf   []byte
	i     int
	depth int
}

// syntaxError is where and why a body could not be read; path is built as it unwinds.
type syntaxError struct {
	msg  string
	at   int
	path []string // innermost first
}

func (e *syntaxError) Error() string { return e.msg }

func (d *decoder) fail(format string, args ...any) *syntaxError {
	return &syntaxError{msg: fmt.Sprintf(format, args...), at: d.i}
}

// in adds a path segment to err as it passes out of a member, element or map entry.
func in(err error, seg string) error {
	if se, ok := err.(*syntaxError); ok {
		se.path = append(se.path, seg)
	}
	return err
}

func (d *decoder) serializationError(err error) *core.Error {
	se := err.(*syntaxError)
	var path strings.Builder
	for i := len(se.path) - 1; i >= 0; i-- {
		s := se.path[i]
		if path.Len() > 0 && s[0] != '[' {
			path.WriteByte('.')
		}
		path.WriteString(s)
	}
	where := ""
	if path.Len() > 0 {
		where = " in '" + path.String() + "'"
	}
	return core.Errorf(SerializationException, "Cannot read the request body%s: %s (at byte %d).", where, se.msg, se.at)
}

// found describes the token at the cursor for an error message.
func (d *decoder) found() string {
	if d.i >= len(d.buf) {
		return "end of input"
	}
	switch c := d.buf[d.i]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	default:
		return strconv.QuoteRune(rune(c))
	}
}

func (d *decoder) skipSpace() {
	for d.i < len(d.buf) {
		switch d.buf[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// atEnd skips white space and reports whether the input is all read.
func (d *decoder) atEnd() bool {
	d.skipSpace()
	return d.i == len(d.buf)
}

// next skips white space and returns the next byte, 0 at the end of input (or a NUL byte,
// which is no JSON token either).
func (d *decoder) next() byte {
	d.skipSpace()
	if d.i == len(d.buf) {
		return 0
	}
	return d.buf[d.i]
}

func (d *decoder) expect(c byte) error {
	if d.next() != c {
		return d.fail("expected %q, found %s", c, d.found())
	}
	d.i++
	return nil
}

// null consumes a null literal if one is next.
func (d *decoder) null() (bool, error) {
	if d.next() != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

func (d *decoder) literal(word string) error {
	if !bytes.HasPrefix(d.buf[d.i:], []byte(word)) {
		return d.fail("invalid literal, expected %s", word)
	}
	d.i += len(word)
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.fail("nesting deeper than %d", maxDepth)
	}
	return nil
}

// members reads an object's members, calling fn with each key with the cursor at its value;
// fn must consume the value.
func (d *decoder) members(fn func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if err := d.enter(); err != nil {
		return err
	}
	if d.next() == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		if d.next() != '"' {
			return d.fail("expected a member name, found %s", d.found())
		}
		key, err := d.stringBytes()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := fn(key); err != nil {
			return err
		}
		switch d.next() {
		case ',':
			d.i++
		case '}':
			d.i++
			d.depth--
			return nil
		default:
			return d.fail("expected ',' or '}' after an object member, found %s", d.found())
		}
	}
}

// elements reads an array, calling fn with the cursor at each element; fn must consume it.
func (d *decoder) elements(fn func(n int) error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	if err := d.enter(); err != nil {
		return err
	}
	if d.next() == ']' {
		d.i++
		d.depth--
		return nil
	}
	for n := 0; ; n++ {
		if err := fn(n); err != nil {
			return err
		}
		switch d.next() {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			return nil
		default:
			return d.fail("expected ',' or ']' after an array element, found %s", d.found())
		}
	}
}

// object reads a structure into v (a struct). Unknown and null members are passed over.
func (d *decoder) object(sp *structPlan, v reflect.Value) error {
	return d.members(func(key []byte) error {
		f := sp.byKey[string(key)]
		if f == nil {
			return d.skip()
		}
		if null, err := d.null(); null || err != nil {
			return err
		}
		return in(d.value(f.c, v.Field(f.index)), f.key)
	})
}

// value reads a non-null value into v, a settable value of c's Go type.
func (d *decoder) value(c *codec, v reflect.Value) error {
	if !c.ptr {
		return d.direct(c, v)
	}
	p := reflect.New(c.typ)
	if err := d.direct(c, p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// direct reads a non-null value into v, of c's Go type with any pointer removed.
func (d *decoder) direct(c *codec, v reflect.Value) error {
	switch c.kind {
	case kString:
		if d.next() != '"' {
			return d.fail("expected a string, found %s", d.found())
		}
		s, err := d.string()
		if err != nil {
			return err
		}
		v.SetString(s)
	case kBool:
		switch d.next() {
		case 't':
			if err := d.literal("true"); err != nil {
				return err
			}
			v.SetBool(true)
		case 'f':
			if err := d.literal("false"); err != nil {
				return err
			}
			v.SetBool(false)
		default:
			return d.fail("expected a boolean, found %s", d.found())
		}
	case kInt:
		at := d.i
		lit, err := d.number()
		if err != nil {
			return err
		}
		n, perr := strconv.ParseInt(string(lit), 10, c.bits)
		if perr != nil {
			d.i = at
			return d.fail("expected an integer of %d bits, found %s", c.bits, lit)
		}
		v.SetInt(n)
	case kFloat:
		f, err := d.float(c.bits)
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case kTime:
		t, err := d.time(c.tf)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(t))
	case kBlob:
		if d.next() != '"' {
			return d.fail("expected a base64 string, found %s", d.found())
		}
		at := d.i
		s, err := d.stringBytes()
		if err != nil {
			return err
		}
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, berr := base64.StdEncoding.Decode(b, s)
		if berr != nil {
			d.i = at
			return d.fail("invalid base64: %v", berr)
		}
		v.SetBytes(b[:n])
	case kStruct:
		if d.next() != '{' {
			return d.fail("expected an object, found %s", d.found())
		}
		return d.object(c.st, v)
	case kList:
		if d.next() != '[' {
			return d.fail("expected an array, found %s", d.found())
		}
		sv := reflect.MakeSlice(c.typ, 0, 0)
		et := c.typ.Elem()
		err := d.elements(func(n int) error {
			sv = reflect.Append(sv, reflect.Zero(et))
			if null, err := d.null(); null || err != nil {
				return err // a null element is the zero value, as in the SDK's deserializers
			}
			return in(d.value(c.elem, sv.Index(n)), "["+strconv.Itoa(n)+"]")
		})
		if err != nil {
			return err
		}
		v.Set(sv)
	case kMap:
		if d.next() != '{' {
			return d.fail("expected an object, found %s", d.found())
		}
		mv := reflect.MakeMap(c.typ)
		kt, et := c.typ.Key(), c.typ.Elem()
		err := d.members(func(key []byte) error {
			k := reflect.ValueOf(string(key)).Convert(kt)
			ev := reflect.New(et).Elem()
			if null, err := d.null(); err != nil {
				return err
			} else if !null {
				if err := d.value(c.elem, ev); err != nil {
					return in(err, "["+strconv.Quote(string(key))+"]")
				}
			}
			mv.SetMapIndex(k, ev)
			return nil
		})
		if err != nil {
			return err
		}
		v.Set(mv)
	case kUnion:
		return d.union(c, v)
	}
	return nil
}

// union reads a union: an object with one non-null member. Unknown members are passed over;
// two known members are an error, as in the SDK's smithy.ReadUnion.
func (d *decoder) union(c *codec, v reflect.Value) error {
	if d.next() != '{' {
		return d.fail("expected an object, found %s", d.found())
	}
	set := ""
	return d.members(func(key []byte) error {
		vr, ok := c.variants[string(key)]
		if !ok {
			return d.skip()
		}
		if null, err := d.null(); null || err != nil {
			return err
		}
		if set != "" {
			return d.fail("a union has one member; found %s and %s", set, key)
		}
		set = string(key)
		mv := reflect.New(vr.typ)
		if err := d.value(vr.c, mv.Elem().Field(vr.value)); err != nil {
			return in(err, set)
		}
		v.Set(mv)
		return nil
	})
}

// number consumes a JSON number and returns its text.
func (d *decoder) number() ([]byte, error) {
	d.skipSpace()
	start := d.i
	b := d.buf
	i := d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, d.fail("expected a number, found %s", d.found())
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			d.i = i
			return nil, d.fail("a number's fraction has no digits")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			d.i = i
			return nil, d.fail("a number's exponent has no digits")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	d.i = i
	return b[start:i], nil
}

// float reads a number, or one of the strings "NaN", "Infinity" and "-Infinity" by which
// AWS's JSON protocols write those values.
func (d *decoder) float(bits int) (float64, error) {
	if d.next() == '"' {
		at := d.i
		s, err := d.string()
		if err != nil {
			return 0, err
		}
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		d.i = at
		return 0, d.fail("expected a number, found the string %q", s)
	}
	at := d.i
	lit, err := d.number()
	if err != nil {
		return 0, err
	}
	f, perr := strconv.ParseFloat(string(lit), bits)
	if perr != nil {
		d.i = at
		return 0, d.fail("number %s is out of range", lit)
	}
	return f, nil
}

// time reads a timestamp in the member's format: awsJson's default is epoch seconds, a
// number with an optional fraction.
func (d *decoder) time(format string) (time.Time, error) {
	at := d.i
	if format == "epoch-seconds" {
		lit, err := d.number()
		if err != nil {
			return time.Time{}, err
		}
		t, ok := epochSeconds(lit)
		if !ok {
			d.i = at
			return time.Time{}, d.fail("timestamp %s is out of range", lit)
		}
		return t, nil
	}
	if d.next() != '"' {
		return time.Time{}, d.fail("expected a %s timestamp string, found %s", format, d.found())
	}
	s, err := d.string()
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if format == "date-time" {
		t, err = smithytime.ParseDateTime(s)
	} else {
		t, err = smithytime.ParseHTTPDate(s)
	}
	if err != nil {
		d.i = at
		return time.Time{}, d.fail("invalid %s timestamp %q", format, s)
	}
	return t, nil
}

// epochSeconds reads a JSON number of seconds exactly, to the nanosecond: "1515531081.123"
// and Java's "1.515531081123E9" alike. Parsing it as a float first would lose the last
// millisecond of some values. It reports false for more than 15 digits of whole seconds.
func epochSeconds(lit []byte) (time.Time, bool) {
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	mant, exp := lit, 0
	if i := bytes.IndexAny(lit, "eE"); i >= 0 {
		mant = lit[:i]
		e, err := strconv.Atoi(string(lit[i+1:]))
		if err != nil || e > 100 || e < -100 {
			if err == nil && e < 0 {
				return time.Unix(0, 0).UTC(), true // far below a nanosecond
			}
			return time.Time{}, false
		}
		exp = e
	}
	intPart, frac, _ := bytes.Cut(mant, []byte("."))
	digits := make([]byte, 0, len(intPart)+len(frac)+9)
	digits = append(append(digits, intPart...), frac...)
	point := len(intPart) + exp // the decimal point's place in digits
	for point <= 0 {
		digits = append([]byte{'0'}, digits...)
		point++
	}
	for len(digits) < point+9 {
		digits = append(digits, '0')
	}
	whole := bytes.TrimLeft(digits[:point], "0")
	if len(whole) > 15 {
		return time.Time{}, false
	}
	var sec int64
	for _, c := range whole {
		sec = sec*10 + int64(c-'0')
	}
	var nsec int64
	for _, c := range digits[point : point+9] {
		nsec = nsec*10 + int64(c-'0')
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), true
}

// string consumes a JSON string and returns its value.
func (d *decoder) string() (string, error) {
	b, err := d.stringBytes()
	return string(b), err
}

// stringBytes consumes a JSON string and returns its value, which may alias the body.
// Invalid UTF-8 is refused (AWS's JSON services answer SerializationException; encoding/json
// would make it U+FFFD).
func (d *decoder) stringBytes() ([]byte, error) {
	d.i++ // the opening quote, checked by the caller
	start := d.i
	b := d.buf
	for i := start; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return b[start:i], nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return d.slowString(start, i)
		}
	}
	d.i = len(b)
	return nil, d.fail("unterminated string")
}

func (d *decoder) slowString(start, i int) ([]byte, error) {
	b := d.buf
	out := make([]byte, i-start, i-start+16)
	copy(out, b[start:i])
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			d.i = i + 1
			return out, nil
		case c < 0x20:
			d.i = i
			return nil, d.fail("control character %#02x in a string", c)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				d.i = i
				return nil, d.fail("invalid UTF-8 byte %#02x in a string", c)
			}
			out = utf8.AppendRune(out, r)
			i += size
		case c != '\\':
			out = append(out, c)
			i++
		default:
			if i+1 == len(b) {
				d.i = i
				return nil, d.fail("unterminated string")
			}
			i++
			switch e := b[i]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(b[i+1:])
				if !ok {
					d.i = i
					return nil, d.fail("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if i+2 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
						r2, ok = hex4(b[i+3:])
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				d.i = i
				return nil, d.fail("invalid escape \\%c", e)
			}
			i++
		}
	}
	d.i = len(b)
	return nil, d.fail("unterminated string")
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skip consumes one JSON value of any kind, checking its syntax.
func (d *decoder) skip() error {
	switch d.next() {
	case '{':
		return d.members(func([]byte) error { return d.skip() })
	case '[':
		return d.elements(func(int) error { return d.skip() })
	case '"':
		_, err := d.stringBytes()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, err := d.number()
		return err
	}
}
