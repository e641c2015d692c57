package query_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
)

// transport captures the SDK's request body and answers with canned bytes.
type transport struct {
	mu     sync.Mutex
	body   []byte
	status int
	resp   []byte
	reqID  string // when set, the X-Amzn-Requestid header (the schema-based SDK reads it there)
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		t.body = b
	}
	h := http.Header{"Content-Type": {"text/xml"}}
	if t.reqID != "" {
		h.Set("X-Amzn-Requestid", t.reqID)
	}
	return &http.Response{
		StatusCode: t.status,
		Status:     http.StatusText(t.status),
		Header:     h,
		Body:       io.NopCloser(bytes.NewReader(t.resp)),
		Request:    r,
	}, nil
}

func testConfig(rt http.RoundTripper) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		HTTPClient:  &http.Client{Transport: rt},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// operation is one SDK client method, found by reflection: (ctx, *XInput, ...optFns) (*XOutput, error).
type operation struct {
	name   string
	method reflect.Value
	in     reflect.Type // XInput (not a pointer)
	out    reflect.Type
}

func operations(t *testing.T, client any) []operation {
	t.Helper()
	ctxType := reflect.TypeFor[context.Context]()
	cv := reflect.ValueOf(client)
	var ops []operation
	for i := 0; i < cv.NumMethod(); i++ {
		m := cv.Type().Method(i)
		mt := m.Type
		if mt.NumIn() != 4 || mt.In(1) != ctxType || mt.NumOut() != 2 || !mt.IsVariadic() {
			continue
		}
		in, out := mt.In(2), mt.Out(0)
		if in.Kind() != reflect.Pointer || in.Elem().Name() != m.Name+"Input" || out.Elem().Name() != m.Name+"Output" {
			continue
		}
		ops = append(ops, operation{name: m.Name, method: cv.Method(i), in: in.Elem(), out: out.Elem()})
	}
	if len(ops) == 0 {
		t.Fatalf("no operations found on %T", client)
	}
	return ops
}

// call invokes op on the client with in and returns its output and error.
func (op operation) call(in reflect.Value) (reflect.Value, error) {
	res := op.method.Call([]reflect.Value{reflect.ValueOf(context.Background()), in})
	err, _ := res[1].Interface().(error)
	return res[0], err
}

// gen fills values at random, depth-limited.
type gen struct {
	r        *rand.Rand
	maxDepth int
	all      bool          // fill every optional member (to satisfy the SDK's validators)
	timeUnit time.Duration // precision of generated timestamps
	unions   map[reflect.Type][]reflect.Type
	nonEmpty bool // structs get at least one member (the SDK serializes nothing for an empty one)
}

const alphabet = "abcXYZ019 -_./:=+@&<>\"'%\t\n\r\u00e9\u4e16\U0001F600"

func (g *gen) str() string {
	rs := []rune(alphabet)
	n := g.r.IntN(12)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(rs[g.r.IntN(len(rs))])
	}
	return b.String()
}

func (g *gen) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct && t.Elem() != reflect.TypeFor[time.Time]() && depth >= g.maxDepth {
			return
		}
		p := reflect.New(t.Elem())
		g.fill(p.Elem(), depth)
		v.Set(p)
	case reflect.String:
		if vals := v.Addr().MethodByName("Values"); vals.IsValid() && g.r.IntN(4) > 0 {
			all := vals.Call(nil)[0]
			if all.Len() > 0 {
				v.Set(all.Index(g.r.IntN(all.Len())))
				return
			}
		}
		v.SetString(g.str())
	case reflect.Bool:
		v.SetBool(g.r.IntN(2) == 0)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		bits := t.Bits()
		x := g.r.Int64() >> (64 - bits)
		if g.r.IntN(2) == 0 {
			x = int64(g.r.IntN(100))
		}
		v.SetInt(x)
	case reflect.Float32, reflect.Float64:
		var f float64
		switch g.r.IntN(6) {
		case 0:
			f = math.Inf(1 - 2*g.r.IntN(2))
		case 1:
			f = float64(g.r.IntN(1000))
		case 2:
			f = g.r.NormFloat64() * 1e30
		default:
			f = g.r.NormFloat64() * 100
		}
		if t.Kind() == reflect.Float32 {
			f = float64(float32(f))
		}
		v.SetFloat(f)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, g.r.IntN(20))
			for i := range b {
				b[i] = byte(g.r.IntN(256))
			}
			v.SetBytes(b)
			return
		}
		if depth >= g.maxDepth {
			return
		}
		n := 1 + g.r.IntN(3)
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			g.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if depth >= g.maxDepth {
			return
		}
		m := reflect.MakeMap(t)
		for i := 1 + g.r.IntN(3); i > 0; i-- {
			k := reflect.New(t.Key()).Elem()
			g.fill(k, depth+1)
			e := reflect.New(t.Elem()).Elem()
			g.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface:
		members := g.unions[t]
		if len(members) == 0 || depth >= g.maxDepth {
			return
		}
		p := reflect.New(members[g.r.IntN(len(members))])
		g.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			// 1970–2100, at the wire's precision.
			d := time.Duration(g.r.Int64N(int64(130*365*24*time.Hour) / int64(g.timeUnit)))
			v.Set(reflect.ValueOf(time.Unix(0, 0).UTC().Add(d * g.timeUnit)))
			return
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" {
				continue
			}
			if g.all || g.r.IntN(3) > 0 {
				g.fill(v.Field(i), depth+1)
				if f.Name == "SourceRegion" && f.Type == reflect.TypeFor[*string]() {
					// EC2's CopySnapshot presigns a URL in SourceRegion: it must be a region.
					v.Field(i).Set(reflect.ValueOf(aws.String("us-west-2")))
				}
			}
		}
		if g.nonEmpty && v.IsZero() {
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if !f.IsExported() || f.Name == "ResultMetadata" {
					continue
				}
				g.fill(v.Field(i), depth+1)
				if !v.Field(i).IsZero() && !isEmptyish(v.Field(i)) {
					break
				}
			}
		}
	}
}

// isEmptyish reports whether the SDK's query serializer writes nothing for v.
func isEmptyish(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || isEmptyish(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return false
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && !isEmptyish(v.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.IsNil()
		}
		for i := 0; i < v.Len(); i++ {
			if !isEmptyish(v.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	}
	return false
}

// eqOpts are the SDK-side normalisations a comparison allows for.
type eqOpts struct {
	nilEqualsEmpty bool // an empty list or map and nil (the serializer skips empty ones)
	emptyStructNil bool // a pointer to a struct with nothing set and nil (nothing is serialized)
}

// diff returns "" when a and b are equal, else the path of the first difference.
func diff(a, b reflect.Value, path string, o eqOpts) string {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			return path + ": one side missing"
		}
		return ""
	}
	if o.emptyStructNil && isEmptyish(a) && isEmptyish(b) {
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() == b.IsNil() {
				return ""
			}
			if o.emptyStructNil && (isEmptyish(a) && isEmptyish(b)) {
				return ""
			}
			return fmt.Sprintf("%s: %v vs %v", path, show(a), show(b))
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Elem().Type(), b.Elem().Type())
		}
		return diff(a.Elem(), b.Elem(), path, o)
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[time.Time]() {
			ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
			if !ta.Equal(tb) {
				return fmt.Sprintf("%s: %v vs %v", path, ta, tb)
			}
			return ""
		}
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" {
				continue
			}
			if d := diff(a.Field(i), b.Field(i), path+"."+f.Name, o); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() && !(o.nilEqualsEmpty && a.Len() == 0 && b.Len() == 0) {
			return fmt.Sprintf("%s: nil vs empty (%v vs %v)", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), o); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.IsNil() != b.IsNil() && !(o.nilEqualsEmpty && a.Len() == 0 && b.Len() == 0) {
			return fmt.Sprintf("%s: nil vs empty map", path)
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d vs %d entries", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			if d := diff(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%q]", path, k), o); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float32, reflect.Float64:
		fa, fb := a.Float(), b.Float()
		if fa != fb && !(math.IsNaN(fa) && math.IsNaN(fb)) {
			return fmt.Sprintf("%s: %v vs %v", path, fa, fb)
		}
		return ""
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
		}
		return ""
	}
}

func show(v reflect.Value) any {
	if v.IsNil() {
		return "nil"
	}
	return fmt.Sprintf("%+v", v.Elem().Interface())
}

func isValidationError(err error) bool {
	var ip smithy.InvalidParamsError
	return errors.As(err, &ip)
}

// form parses a captured request body.
func form(t testing.TB, body []byte) url.Values {
	t.Helper()
	f, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("SDK body %q does not parse: %v", body, err)
	}
	return f
}
