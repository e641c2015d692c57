package jsonproto

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	smithytime "github.com/aws/smithy-go/time"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Decode fills in (a pointer to the zero SDK input struct of op) from a request that
// [Rest.Operation] routed to op, and its body: members bound by @httpLabel from the path,
// by @httpQuery and @httpQueryParams from the query string, by @httpHeader and
// @httpPrefixHeaders from headers, the @httpPayload member from the whole body, and the
// others from the body's JSON object (keys by @jsonName).
//
// Values in the URI and the query string are text: timestamps there are RFC 3339 date-times
// unless the member says otherwise, in headers HTTP dates; header lists are comma-separated,
// with quoted strings. A value that cannot be read is a SerializationException; the rest is
// as for [Protocol.Decode]. Prefix header keys are read in lower case.
func (p *Rest) Decode(op string, r *http.Request, body []byte, in any) error {
	o, err := p.op(op)
	if err != nil {
		return err
	}
	sp, rv, err := p.target(o, op, in)
	if err != nil {
		return err
	}
	rt := p.byOp[op]
	query := r.URL.Query()
	labels, ok := rt.match(r.Method, pathSegments(r.URL.EscapedPath()), query)
	if !ok && rt.alt != nil {
		rt = rt.alt
		labels, ok = rt.match(r.Method, pathSegments(r.URL.EscapedPath()), query)
	}
	if !ok {
		return fmt.Errorf("jsonproto: %s %s is not a request for %s", r.Method, r.URL.EscapedPath(), op)
	}
	v := rv.Elem()
	for _, f := range sp.bound {
		if err := bound(rt, sp, f, v.Field(f.index), r, query, labels); err != nil {
			return err
		}
	}
	switch {
	case sp.payload != nil:
		return payload(sp.payload, v.Field(sp.payload.index), body)
	case sp.body:
		d := decoder{buf: body}
		if d.atEnd() {
			return nil
		}
		if d.buf[d.i] != '{' {
			return d.serializationError(d.fail("the body is not a JSON object"))
		}
		if err := d.object(sp, v); err != nil {
			return d.serializationError(err)
		}
		if !d.atEnd() {
			return d.serializationError(d.fail("unexpected %s after the JSON object", d.found()))
		}
	}
	return nil
}

// bound reads a member carried in the URI, the query string or headers into v.
func bound(rt *route, sp *structPlan, f *fieldPlan, v reflect.Value, r *http.Request, query url.Values, labels []string) error {
	fail := func(where string, err error) error {
		return core.Errorf(SerializationException, "Cannot read %s: %v.", where, err)
	}
	c := f.c
	switch f.bind {
	case inLabel:
		s, ok := rt.label(labels, f.loc)
		if !ok {
			return fmt.Errorf("jsonproto: the route of %s has no label {%s}", rt.op.name, f.loc)
		}
		if err := text(c, v, s, "date-time", false); err != nil {
			return fail("the URI label "+f.loc, err)
		}
	case inQuery:
		vs, ok := query[f.loc]
		if !ok {
			return nil
		}
		if err := texts(c, v, vs, "date-time", false); err != nil {
			return fail("the query parameter "+f.loc, err)
		}
	case inHeader:
		vs := r.Header.Values(f.loc)
		if len(vs) == 0 {
			return nil
		}
		if c.kind == kList {
			split := smithyhttp.SplitHeaderListValues
			if e := c.elem; e.kind == kTime && (!e.tfSet || e.tf == "http-date") {
				split = smithyhttp.SplitHTTPDateTimestampHeaderListValues
			}
			var err error
			if vs, err = split(vs); err != nil {
				return fail("the header "+f.loc, err)
			}
		}
		if err := texts(c, v, vs, "http-date", true); err != nil {
			return fail("the header "+f.loc, err)
		}
	case inQueryParams:
		m := reflect.MakeMap(c.typ)
		for k, vs := range query {
			if isBoundQuery(rt, sp, k) {
				continue
			}
			e := reflect.New(c.typ.Elem()).Elem()
			if err := texts(c.elem, e, vs, "date-time", false); err != nil {
				return fail("the query parameter "+k, err)
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(c.typ.Key()), e)
		}
		if m.Len() > 0 {
			v.Set(m)
		}
	case inPrefixHeaders:
		m := reflect.MakeMap(c.typ)
		for k, vs := range r.Header {
			lk := strings.ToLower(k)
			if !strings.HasPrefix(lk, f.loc) || len(vs) == 0 {
				continue
			}
			e := reflect.New(c.typ.Elem()).Elem()
			if err := text(c.elem, e, vs[0], "http-date", true); err != nil {
				return fail("the header "+k, err)
			}
			m.SetMapIndex(reflect.ValueOf(lk[len(f.loc):]).Convert(c.typ.Key()), e)
		}
		if m.Len() > 0 {
			v.Set(m)
		}
	}
	return nil
}

// isBoundQuery reports whether a query parameter is the route's own or a member's.
func isBoundQuery(rt *route, sp *structPlan, key string) bool {
	for _, kv := range rt.query {
		if kv[0] == key {
			return true
		}
	}
	for _, f := range sp.bound {
		if f.bind == inQuery && f.loc == key {
			return true
		}
	}
	return false
}

// payload reads the @httpPayload member from the whole body.
func payload(f *fieldPlan, v reflect.Value, body []byte) error {
	c := f.c
	switch c.kind {
	case kBlob:
		if len(body) > 0 {
			v.SetBytes(bytes.Clone(body))
		}
		return nil
	case kString:
		if len(body) > 0 {
			return text(c, v, string(body), "", false)
		}
		return nil
	}
	d := decoder{buf: body}
	if d.atEnd() {
		return nil
	}
	null, err := d.null()
	if err != nil {
		return d.serializationError(err)
	}
	if !null {
		if err := d.value(c, v); err != nil {
			return d.serializationError(in(err, f.name))
		}
	}
	if !d.atEnd() {
		return d.serializationError(d.fail("unexpected %s after the JSON value", d.found()))
	}
	return nil
}

// texts reads a list from its values, or a scalar from the first.
func texts(c *codec, v reflect.Value, vs []string, tf string, header bool) error {
	if c.kind != kList {
		return text(c, v, vs[0], tf, header)
	}
	sv := reflect.MakeSlice(c.typ, len(vs), len(vs))
	for i, s := range vs {
		if err := text(c.elem, sv.Index(i), s, tf, header); err != nil {
			return err
		}
	}
	v.Set(sv)
	return nil
}

// text reads a scalar written as text; tf is the place's timestamp format, unless the member
// has its own. In a header, a string with @mediaType and a blob are base64.
func text(c *codec, v reflect.Value, s string, tf string, header bool) error {
	if !c.ptr {
		return textDirect(c, v, s, tf, header)
	}
	p := reflect.New(c.typ)
	if err := textDirect(c, p.Elem(), s, tf, header); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// textDirect is text into a value of c's Go type with any pointer removed.
func textDirect(c *codec, v reflect.Value, s string, tf string, header bool) error {
	switch c.kind {
	case kString:
		if header && c.media {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return fmt.Errorf("invalid base64 %q", s)
			}
			s = string(b)
		}
		v.SetString(s)
	case kBool:
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return fmt.Errorf("%q is not a boolean", s)
		}
	case kInt:
		n, err := strconv.ParseInt(s, 10, c.bits)
		if err != nil {
			return fmt.Errorf("%q is not an integer of %d bits", s, c.bits)
		}
		v.SetInt(n)
	case kFloat:
		var f float64
		switch s {
		case "NaN":
			f = math.NaN()
		case "Infinity":
			f = math.Inf(1)
		case "-Infinity":
			f = math.Inf(-1)
		default:
			var err error
			if f, err = strconv.ParseFloat(s, c.bits); err != nil {
				return fmt.Errorf("%q is not a number", s)
			}
		}
		v.SetFloat(f)
	case kTime:
		if c.tfSet {
			tf = c.tf
		}
		var t time.Time
		var err error
		switch tf {
		case "date-time":
			t, err = smithytime.ParseDateTime(s)
		case "http-date":
			t, err = smithytime.ParseHTTPDate(s)
		default:
			d := decoder{buf: []byte(s)}
			lit, nerr := d.number()
			ok := nerr == nil && d.i == len(s)
			if ok {
				t, ok = epochSeconds(lit)
			}
			if !ok {
				err = fmt.Errorf("not epoch seconds")
			}
		}
		if err != nil {
			return fmt.Errorf("%q is not a %s timestamp", s, tf)
		}
		v.Set(reflect.ValueOf(t))
	case kBlob:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("invalid base64 %q", s)
		}
		v.SetBytes(b)
	default:
		return fmt.Errorf("a %v cannot be read from text", c.typ)
	}
	return nil
}
