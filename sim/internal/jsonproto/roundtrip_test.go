package jsonproto

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"
	"github.com/aws/smithy-go/middleware"
)

var iterations = flag.Int("roundtrips", 4, "random values per operation in the round-trip tests")

// TestRoundTripSSM checks, for every operation of the SSM client, with random values that
// set every member: input → the SDK client's own serializer → Operation and Decode → the same
// input; and output → Encode → the SDK client's own deserializer → the same output.
//
// The client runs for real, over an HTTP client that hands its request to the codec, with one
// change: its validators are removed, so that random values need not respect required members.
func TestRoundTripSSM(t *testing.T) {
	p := New11(schemas.AmazonSSM, (*ssm.Client)(nil))
	h := &handler{p: p}
	client := ssm.New(ssm.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String("http://ssm.test"),
		HTTPClient:   h,
		Retryer:      aws.NopRetryer{},
		APIOptions:   []func(*middleware.Stack) error{withoutValidation},
	})
	ops := clientOperations(client)
	if len(ops) != len(p.ops) {
		t.Fatalf("the test found %d operations, the Protocol %d", len(ops), len(p.ops))
	}
	if len(ops) < 140 {
		t.Fatalf("only %d operations found on *ssm.Client", len(ops))
	}
	for i, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 2014_11_06))
			for n := range *iterations {
				g := &gen{r: r, maxDepth: 5, unit: time.Millisecond}
				in := reflect.New(op.in.Elem())
				g.fill(in.Elem(), 0)
				out := reflect.New(op.out.Elem())
				g.unit = time.Second // the SDK's reader truncates epoch seconds to the millisecond below
				g.fill(out.Elem(), 0)
				h.reset(op.name, op.in, out.Interface())
				got, err := op.call(client, in)
				if h.err != nil {
					t.Fatalf("value %d: %v", n, h.err)
				}
				if err != nil {
					t.Fatalf("value %d: the SDK could not read Encode's output: %v\nbody: %s", n, err, h.resp)
				}
				if d := diff(in.Elem(), h.decoded.Elem(), "in"); d != "" {
					t.Fatalf("value %d: input round trip: %s\nbody: %s", n, d, h.body)
				}
				got.Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
				if d := diff(out.Elem(), got.Elem(), "out"); d != "" {
					t.Fatalf("value %d: output round trip: %s\nbody: %s", n, d, h.resp)
				}
			}
		})
	}
	t.Logf("%d operations round-tripped, %d random values each way", len(ops), *iterations)
}

// withoutValidation removes the SDK's check of required members from the client's stack.
func withoutValidation(s *middleware.Stack) error {
	_, err := s.Initialize.Remove("OperationInputValidation")
	if err != nil && !strings.Contains(err.Error(), "not found") {
		return err
	}
	return nil
}

// handler is the SDK client's HTTP client: it reads the request with the codec under test and
// answers with the codec's encoding of a canned output.
type handler struct {
	p *Protocol

	op      string
	in      reflect.Type
	out     any
	body    []byte        // the request body
	decoded reflect.Value // what Decode made of it
	resp    []byte
	err     error
}

func (h *handler) reset(op string, in reflect.Type, out any) {
	h.op, h.in, h.out = op, in, out
	h.body, h.decoded, h.resp, h.err = nil, reflect.Value{}, nil, nil
}

func (h *handler) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	h.body = body
	if ct := r.Header.Get("Content-Type"); ct != h.p.ContentType() {
		h.err = fmt.Errorf("request Content-Type %q, ContentType() %q", ct, h.p.ContentType())
	}
	op, err := h.p.Operation(r)
	if err != nil || op != h.op {
		h.err = fmt.Errorf("Operation: %q, %v; want %q", op, err, h.op)
	}
	h.decoded = reflect.New(h.in.Elem())
	if err := h.p.Decode(h.op, body, h.decoded.Interface()); err != nil && h.err == nil {
		h.err = fmt.Errorf("Decode: %v\nbody: %s", err, body)
	}
	h.resp, err = h.p.Encode(h.op, h.out)
	if err != nil && h.err == nil {
		h.err = fmt.Errorf("Encode: %v", err)
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {h.p.ContentType()}},
		Body:       io.NopCloser(bytes.NewReader(h.resp)),
		Request:    r,
	}, nil
}

// sdkOperation is one method of the SDK's client: (ctx, *XInput, ...optFns) (*XOutput, error).
type sdkOperation struct {
	name    string
	method  reflect.Method
	in, out reflect.Type // pointers
}

func clientOperations(client any) []sdkOperation {
	ct := reflect.TypeOf(client)
	var ops []sdkOperation
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() != 4 || !m.Type.IsVariadic() || m.Type.NumOut() != 2 || m.Type.In(2).Kind() != reflect.Pointer ||
			m.Type.In(2).Elem().Name() != m.Name+"Input" {
			continue
		}
		ops = append(ops, sdkOperation{name: m.Name, method: m, in: m.Type.In(2), out: m.Type.Out(0)})
	}
	return ops
}

func (o sdkOperation) call(client any, in reflect.Value) (reflect.Value, error) {
	res := o.method.Func.Call([]reflect.Value{reflect.ValueOf(client), reflect.ValueOf(context.Background()), in})
	err, _ := res[1].Interface().(error)
	return res[0], err
}

// gen fills values at random, setting every member, down to maxDepth.
type gen struct {
	r        *rand.Rand
	maxDepth int
	unit     time.Duration // timestamp precision
	nonEmpty bool          // strings and blobs have at least one rune or byte
	alphabet []rune        // of strings; runes if nil
}

var runes = []rune("aZ09 -_/.:\"\\\n\t\x01\x7féß€\u2028😀<>&")

func (g *gen) string() string {
	var b strings.Builder
	n := g.r.IntN(12)
	if g.nonEmpty {
		n++
	}
	alphabet := g.alphabet
	if alphabet == nil {
		alphabet = runes
	}
	for range n {
		b.WriteRune(alphabet[g.r.IntN(len(alphabet))])
	}
	return b.String()
}

func (g *gen) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct && t.Elem() != timeType && depth >= g.maxDepth {
			return
		}
		p := reflect.New(t.Elem())
		g.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.String:
		v.SetString(g.string())
	case reflect.Bool:
		v.SetBool(g.r.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		switch g.r.IntN(4) {
		case 0:
			v.SetInt(-1 << (bits - 1))
		case 1:
			v.SetInt(1<<(bits-1) - 1)
		default:
			v.SetInt(g.r.Int64N(2000) - 1000)
		}
	case reflect.Float32, reflect.Float64:
		switch g.r.IntN(8) {
		case 0:
			v.SetFloat(math.Inf(1 - 2*g.r.IntN(2)))
		case 1:
			v.SetFloat(math.NaN())
		default:
			v.SetFloat((g.r.Float64() - 0.5) * math.Pow(10, float64(g.r.IntN(30)-10)))
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			n := g.r.IntN(9)
			if g.nonEmpty {
				n++
			}
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(g.r.IntN(256))
			}
			v.SetBytes(b)
			return
		}
		n := 1 + g.r.IntN(2)
		if depth >= g.maxDepth {
			n = 0
		}
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			g.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		n := 1 + g.r.IntN(2)
		if depth >= g.maxDepth {
			n = 0
		}
		m := reflect.MakeMapWithSize(t, n)
		for range n {
			k := reflect.New(t.Key()).Elem()
			k.SetString(g.string())
			e := reflect.New(t.Elem()).Elem()
			g.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if t == timeType {
			ms := g.r.Int64N(4e12) - 1e12 // 1938 to 2096
			v.Set(reflect.ValueOf(time.UnixMilli(ms).Truncate(g.unit).UTC()))
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.IsExported() && f.Type != metadataType {
				g.fill(v.Field(i), depth)
			}
		}
	case reflect.Interface:
		var members []reflect.Type
		for _, mt := range unionMembers {
			if reflect.PointerTo(mt).Implements(t) {
				members = append(members, mt)
			}
		}
		if len(members) == 0 {
			panic(fmt.Sprintf("no union members for %v", t))
		}
		m := reflect.New(members[g.r.IntN(len(members))])
		g.fill(m.Elem(), depth+1)
		v.Set(m)
	default:
		panic(fmt.Sprintf("gen: unsupported %v", t))
	}
}

// diff describes the first difference between a and b, or returns "". NaNs are equal, and so
// are instants (time.Time values compare with Equal).
func diff(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %v vs %v", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diff(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil slice %v vs %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil map %v vs %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d entries vs %d", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s: key %q missing", path, k)
			}
			if d := diff(a.MapIndex(k), bv, fmt.Sprintf("%s[%q]", path, k)); d != "" {
				return d
			}
		}
	case reflect.Struct:
		if a.Type() == timeType {
			ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
			if !ta.Equal(tb) || ta.Location() != tb.Location() {
				return fmt.Sprintf("%s: %v vs %v", path, ta, tb)
			}
			return ""
		}
		for i := range a.NumField() {
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if d := diff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Float32, reflect.Float64:
		fa, fb := a.Float(), b.Float()
		if fa != fb && !(math.IsNaN(fa) && math.IsNaN(fb)) {
			return fmt.Sprintf("%s: %v vs %v", path, fa, fb)
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}
