package jsonproto

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Decode fills in (a pointer to the zero SDK input struct of op, e.g.
// *cloudwatch.PutMetricDataInput) from a request's CBOR body. An empty body is an empty
// input.
//
// The body is read into values by smithy-go's CBOR decoder (encoding/cbor), then walked with
// the same plans as the JSON codec's. A body that is not CBOR, whose top is not a map, or a
// member whose value has the wrong CBOR type (a string where the model has a number, a
// timestamp without tag 1, text that is not UTF-8) returns a *core.Error with code
// SerializationException. Members the operation does not have are passed over, and so are
// members whose value is null or undefined. Required members are not checked.
func (p *CBOR) Decode(op string, body []byte, in any) error {
	o, err := p.op(op)
	if err != nil {
		return err
	}
	sp, rv, err := p.target(o, op, in)
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	v, err := smithycbor.Decode(body)
	if err != nil {
		return core.Errorf(SerializationException, "Cannot read the request body: it is not CBOR: %v.", err)
	}
	m, ok := v.(smithycbor.Map)
	if !ok {
		return core.Errorf(SerializationException, "Cannot read the request body: expected a CBOR map, found %s.", cborKind(v))
	}
	if err := cborStruct(sp, m, rv.Elem()); err != nil {
		return cborError(err)
	}
	return nil
}

// cborError words a decoding error with the path of the member where it happened.
func cborError(err error) *core.Error {
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
	return core.Errorf(SerializationException, "Cannot read the request body%s: %s.", where, se.msg)
}

func cborFail(format string, args ...any) error {
	return &syntaxError{msg: fmt.Sprintf(format, args...)}
}

// cborKind names a CBOR value's type for an error message.
func cborKind(v smithycbor.Value) string {
	switch v := v.(type) {
	case smithycbor.Uint, smithycbor.NegInt:
		return "an integer"
	case smithycbor.Float32, smithycbor.Float64:
		return "a float"
	case smithycbor.String:
		return "a text string"
	case smithycbor.Slice:
		return "a byte string"
	case smithycbor.List:
		return "an array"
	case smithycbor.Map:
		return "a map"
	case smithycbor.Bool:
		return "a boolean"
	case *smithycbor.Tag:
		return "tag " + strconv.FormatUint(v.ID, 10)
	case *smithycbor.Nil, *smithycbor.Undefined:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func cborNull(v smithycbor.Value) bool {
	switch v.(type) {
	case *smithycbor.Nil, *smithycbor.Undefined:
		return true
	}
	return false
}

// cborStruct reads a structure into v (a struct). Unknown and null members are passed over.
func cborStruct(sp *structPlan, m smithycbor.Map, v reflect.Value) error {
	for i := range sp.fields {
		f := &sp.fields[i]
		mv, ok := m[f.key]
		if !ok || cborNull(mv) {
			continue
		}
		if err := cborValue(f.c, mv, v.Field(f.index)); err != nil {
			return in(err, f.key)
		}
	}
	return nil
}

// cborValue reads a non-null value into v, a settable value of c's Go type.
func cborValue(c *codec, cv smithycbor.Value, v reflect.Value) error {
	if !c.ptr {
		return cborDirect(c, cv, v)
	}
	p := reflect.New(c.typ)
	if err := cborDirect(c, cv, p.Elem()); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// cborDirect reads a non-null value into v, of c's Go type with any pointer removed.
func cborDirect(c *codec, cv smithycbor.Value, v reflect.Value) error {
	wrong := func(want string) error { return cborFail("expected %s, found %s", want, cborKind(cv)) }
	switch c.kind {
	case kString:
		s, ok := cv.(smithycbor.String)
		if !ok {
			return wrong("a text string")
		}
		if !utf8.ValidString(string(s)) {
			return cborFail("a text string is not UTF-8")
		}
		v.SetString(string(s))
	case kBool:
		b, ok := cv.(smithycbor.Bool)
		if !ok {
			return wrong("a boolean")
		}
		v.SetBool(bool(b))
	case kInt:
		var n int64
		var err error
		switch cv.(type) {
		case smithycbor.Uint, smithycbor.NegInt:
			n, err = smithycbor.AsInt64(cv)
		default:
			return wrong("an integer")
		}
		if err != nil || v.OverflowInt(n) {
			return cborFail("expected an integer of %d bits", c.bits)
		}
		v.SetInt(n)
	case kFloat:
		f, err := smithycbor.AsFloat64(cv)
		if err != nil {
			return wrong("a number")
		}
		if c.bits == 32 && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return cborFail("number %v is out of range of a 32-bit float", f)
		}
		v.SetFloat(f)
	case kTime:
		t, err := cborTime(cv)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(t))
	case kBlob:
		b, ok := cv.(smithycbor.Slice)
		if !ok {
			return wrong("a byte string")
		}
		v.SetBytes(append([]byte{}, b...))
	case kStruct:
		m, ok := cv.(smithycbor.Map)
		if !ok {
			return wrong("a map")
		}
		return cborStruct(c.st, m, v)
	case kList:
		l, ok := cv.(smithycbor.List)
		if !ok {
			return wrong("an array")
		}
		sv := reflect.MakeSlice(c.typ, len(l), len(l))
		for i, e := range l {
			if cborNull(e) {
				continue // a null element is the zero value, as in the SDK's deserializers
			}
			if err := cborValue(c.elem, e, sv.Index(i)); err != nil {
				return in(err, "["+strconv.Itoa(i)+"]")
			}
		}
		v.Set(sv)
	case kMap:
		m, ok := cv.(smithycbor.Map)
		if !ok {
			return wrong("a map")
		}
		mv := reflect.MakeMapWithSize(c.typ, len(m))
		kt, et := c.typ.Key(), c.typ.Elem()
		for _, key := range slices.Sorted(maps.Keys(m)) {
			e := m[key]
			if !utf8.ValidString(key) {
				return cborFail("a map key is not UTF-8")
			}
			ev := reflect.New(et).Elem()
			if !cborNull(e) {
				if err := cborValue(c.elem, e, ev); err != nil {
					return in(err, "["+strconv.Quote(key)+"]")
				}
			}
			mv.SetMapIndex(reflect.ValueOf(key).Convert(kt), ev)
		}
		v.Set(mv)
	case kUnion:
		m, ok := cv.(smithycbor.Map)
		if !ok {
			return wrong("a map")
		}
		set := ""
		for _, key := range slices.Sorted(maps.Keys(m)) {
			e := m[key]
			vr, ok := c.variants[key]
			if !ok || cborNull(e) {
				continue
			}
			if set != "" {
				return cborFail("a union has one member; found %s and %s", set, key)
			}
			set = key
			mv := reflect.New(vr.typ)
			if err := cborValue(vr.c, e, mv.Elem().Field(vr.value)); err != nil {
				return in(err, key)
			}
			v.Set(mv)
		}
	}
	return nil
}

// cborTime reads a timestamp: epoch seconds, an integer or a float, in tag 1 (the only form
// rpcv2Cbor has). It keeps milliseconds, the protocol's precision (the SDK writes
// UnixMilli/1e3).
func cborTime(cv smithycbor.Value) (time.Time, error) {
	tag, ok := cv.(*smithycbor.Tag)
	if !ok || tag.ID != 1 {
		return time.Time{}, cborFail("expected a timestamp (tag 1), found %s", cborKind(cv))
	}
	switch tv := tag.Value.(type) {
	case smithycbor.Uint, smithycbor.NegInt:
		n, err := smithycbor.AsInt64(tv)
		if err != nil || n > maxEpoch || n < -maxEpoch {
			return time.Time{}, cborFail("timestamp out of range")
		}
		return time.Unix(n, 0).UTC(), nil
	case smithycbor.Float32, smithycbor.Float64:
		f, _ := smithycbor.AsFloat64(tv)
		if math.IsNaN(f) || math.IsInf(f, 0) || f > maxEpoch || f < -maxEpoch {
			return time.Time{}, cborFail("timestamp out of range")
		}
		return time.UnixMilli(int64(math.Round(f * 1e3))).UTC(), nil
	}
	return time.Time{}, cborFail("expected epoch seconds in tag 1, found %s", cborKind(tag.Value))
}

// maxEpoch bounds timestamps to about ±31 million years, where milliseconds still fit an
// int64 and a float's whole seconds are exact.
const maxEpoch = 1e15
