package query

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// EncodeResult appends the XML response for operation op with output out (a pointer to the
// SDK's output struct for op; ResultMetadata and unexported fields are ignored) to dst:
//
//	awsQuery: <OpResponse xmlns="…"><OpResult>…</OpResult><ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></OpResponse>
//	ec2query: <OpResponse xmlns="…"><requestId>id</requestId>…</OpResponse>
//
// Timestamps are written as AWS writes them: IAM and STS to the second (2006-01-02T15:04:05Z),
// EC2 with milliseconds (2006-01-02T15:04:05.000Z). A nil out writes an empty result.
func (s *Service) EncodeResult(dst []byte, op string, out any, requestID string) ([]byte, error) {
	tb, err := s.data()
	if err != nil {
		return dst, err
	}
	o := tb.ops[op]
	if o == nil {
		return dst, fmt.Errorf("query: %s has no operation %q", s.name, op)
	}
	var rv reflect.Value
	var p *structPlan
	if out != nil {
		rv = reflect.ValueOf(out)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				rv = reflect.Value{}
			} else {
				rv = rv.Elem()
			}
		}
		if rv.IsValid() {
			if rv.Type().Name() != o.output {
				return dst, fmt.Errorf("query: %s %s answers %s, not %v", s.name, op, o.output, rv.Type())
			}
			if p, err = s.outputPlan(rv.Type()); err != nil {
				return dst, err
			}
		}
	}
	// Answers of one operation are about the size of the last: room for it at once, rather
	// than growing to it.
	start := len(dst)
	dst = slices.Grow(dst, int(o.size.Load()))
	defer func() { o.size.Store(int64(len(dst) - start)) }()
	e := encoder{ec2: s.protocol == EC2Query, millis: s.protocol == EC2Query || s.ops != nil && !s.seconds}
	if e.ec2 {
		dst = append(dst, xmlHeader...)
	}
	dst = append(dst, '<')
	dst = append(dst, op...)
	dst = append(dst, `Response xmlns="`...)
	dst = append(dst, s.xmlns...)
	dst = append(dst, `">`...)
	if e.ec2 {
		dst = append(dst, "<requestId>"...)
		dst = appendText(dst, requestID)
		dst = append(dst, "</requestId>"...)
		if p != nil {
			dst = e.structBody(dst, p, rv)
		}
	} else {
		if o.result != "" {
			dst = append(dst, '<')
			dst = append(dst, o.result...)
			dst = append(dst, '>')
			if p != nil {
				dst = e.structBody(dst, p, rv)
			}
			dst = append(dst, "</"...)
			dst = append(dst, o.result...)
			dst = append(dst, '>')
		}
		dst = append(dst, "<ResponseMetadata><RequestId>"...)
		dst = appendText(dst, requestID)
		dst = append(dst, "</RequestId></ResponseMetadata>"...)
	}
	dst = append(dst, "</"...)
	dst = append(dst, op...)
	dst = append(dst, "Response>"...)
	return dst, nil
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// EncodeError appends AWS's error document for the protocol to dst:
//
//	awsQuery: <ErrorResponse xmlns="…"><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>
//	ec2query: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
func (s *Service) EncodeError(dst []byte, code, message, requestID string, sender bool) []byte {
	if s.protocol == EC2Query {
		dst = append(dst, xmlHeader...)
		dst = append(dst, "<Response><Errors><Error><Code>"...)
		dst = appendText(dst, code)
		dst = append(dst, "</Code><Message>"...)
		dst = appendText(dst, message)
		dst = append(dst, "</Message></Error></Errors><RequestID>"...)
		dst = appendText(dst, requestID)
		return append(dst, "</RequestID></Response>"...)
	}
	dst = append(dst, `<ErrorResponse xmlns="`...)
	dst = append(dst, s.xmlns...)
	dst = append(dst, `"><Error><Type>`...)
	if sender {
		dst = append(dst, "Sender"...)
	} else {
		dst = append(dst, "Receiver"...)
	}
	dst = append(dst, "</Type><Code>"...)
	dst = appendText(dst, code)
	dst = append(dst, "</Code><Message>"...)
	dst = appendText(dst, message)
	dst = append(dst, "</Message></Error><RequestId>"...)
	dst = appendText(dst, requestID)
	return append(dst, "</RequestId></ErrorResponse>"...)
}

type encoder struct {
	ec2    bool
	millis bool // timestamps with milliseconds: EC2, and the services of FromSchema but STS (as RDS, ELB and Auto Scaling write them)
}

func open(dst []byte, name string) []byte {
	dst = append(dst, '<')
	dst = append(dst, name...)
	return append(dst, '>')
}

func closeTag(dst []byte, name string) []byte {
	dst = append(dst, '<', '/')
	dst = append(dst, name...)
	return append(dst, '>')
}

func (e *encoder) structBody(dst []byte, p *structPlan, v reflect.Value) []byte {
	for i := range p.fields {
		f := &p.fields[i]
		fv := v.Field(f.index)
		c := f.c
		switch fv.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			if fv.IsNil() {
				continue
			}
		case reflect.String:
			if fv.Len() == 0 { // an unset enum
				continue
			}
		}
		if f.flat && (c.kind == kList || c.kind == kMap) {
			dst = e.flattened(dst, f.wire, c, fv)
			continue
		}
		dst = open(dst, f.wire)
		dst = e.value(dst, c, fv)
		dst = closeTag(dst, f.wire)
	}
	return dst
}

// value writes the content of one element (its tags are the caller's).
func (e *encoder) value(dst []byte, c *codec, v reflect.Value) []byte {
	if c.ptr {
		if v.IsNil() {
			return dst
		}
		v = v.Elem()
	}
	switch c.kind {
	case kString:
		return appendText(dst, v.String())
	case kBool:
		return strconv.AppendBool(dst, v.Bool())
	case kInt:
		return strconv.AppendInt(dst, v.Int(), 10)
	case kUint:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case kFloat:
		return appendFloat(dst, v.Float(), c.bits)
	case kTime:
		t := v.Interface().(time.Time).UTC()
		switch c.tf {
		case "http-date":
			return t.AppendFormat(dst, "Mon, 02 Jan 2006 15:04:05 GMT")
		case "epoch-seconds":
			return appendFloat(dst, float64(t.UnixMilli())/1e3, 64)
		}
		if e.millis {
			return t.AppendFormat(dst, "2006-01-02T15:04:05.000Z")
		}
		return t.AppendFormat(dst, "2006-01-02T15:04:05Z")
	case kBlob:
		b := v.Bytes()
		n := base64.StdEncoding.EncodedLen(len(b))
		dst = slices.Grow(dst, n)
		base64.StdEncoding.Encode(dst[len(dst):len(dst)+n], b)
		return dst[:len(dst)+n]
	case kStruct:
		return e.structBody(dst, c.st, v)
	case kList:
		for i := 0; i < v.Len(); i++ {
			dst = open(dst, c.member)
			dst = e.value(dst, c.elem, v.Index(i))
			dst = closeTag(dst, c.member)
		}
		return dst
	case kMap:
		for _, k := range sortedKeys(v) {
			dst = open(dst, c.member)
			dst = e.entry(dst, c, k, v.MapIndex(k))
			dst = closeTag(dst, c.member)
		}
		return dst
	case kUnion:
		if v.IsNil() {
			return dst
		}
		m := v.Elem() // *Member
		name := c.unionByType[m.Type().Elem()]
		um := c.union[name]
		dst = open(dst, name)
		dst = e.value(dst, um.c, m.Elem().Field(um.index))
		return closeTag(dst, name)
	}
	return dst
}

func (e *encoder) entry(dst []byte, c *codec, k, v reflect.Value) []byte {
	dst = open(dst, c.key)
	dst = appendText(dst, k.String())
	dst = closeTag(dst, c.key)
	dst = open(dst, c.val)
	dst = e.value(dst, c.elem, v)
	return closeTag(dst, c.val)
}

// flattened writes a list or map without its wrapper: each element is named wire.
func (e *encoder) flattened(dst []byte, wire string, c *codec, v reflect.Value) []byte {
	if c.kind == kList {
		for i := 0; i < v.Len(); i++ {
			dst = open(dst, wire)
			dst = e.value(dst, c.elem, v.Index(i))
			dst = closeTag(dst, wire)
		}
		return dst
	}
	for _, k := range sortedKeys(v) {
		dst = open(dst, wire)
		dst = e.entry(dst, c, k, v.MapIndex(k))
		dst = closeTag(dst, wire)
	}
	return dst
}

func sortedKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		switch as, bs := a.String(), b.String(); {
		case as < bs:
			return -1
		case as > bs:
			return 1
		}
		return 0
	})
	return keys
}

// appendFloat writes f as the SDK's ParseFloat reads it back exactly: plain decimals where
// encoding/json would use them, exponents for very large and small magnitudes, and the SDK's
// NaN, Infinity and -Infinity.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'g'
	}
	return strconv.AppendFloat(dst, f, format, -1, bits)
}

// appendText appends s escaped as XML character data. Carriage returns are written as
// character references (a literal one would reach the client as a newline), and characters XML
// cannot carry become U+FFFD, as encoding/xml.EscapeText does.
func appendText(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		r, width := rune(c), 1
		if c >= utf8.RuneSelf {
			r, width = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\n' || r == '\t':
			i += width
			continue
		case r == utf8.RuneError && width == 1, !isXMLChar(r):
			esc = "\uFFFD"
		default:
			i += width
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		i += width
		last = i
	}
	return append(dst, s[last:]...)
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
