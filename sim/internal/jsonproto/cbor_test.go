package jsonproto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
	smithycbor "github.com/aws/smithy-go/encoding/cbor"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/transport/http/protocol/rpcv2"

	"github.com/awsxlab/awsx/sim/internal/core"
)

func newCloudWatchCBOR() *CBOR {
	return NewCBOR(cwschemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil), cloudwatch.TypeRegistry)
}

// cborHandler is the SDK client's HTTP client: it reads the request with the CBOR codec and
// answers with the codec's encoding of a canned output, or of a canned error.
type cborHandler struct {
	p *CBOR

	op      string
	in      reflect.Type
	out     any
	fail    *core.Error
	body    []byte
	decoded reflect.Value
	resp    []byte
	header  http.Header
	err     error
}

func (h *cborHandler) reset(op string, in reflect.Type, out any) {
	h.op, h.in, h.out, h.fail = op, in, out, nil
	h.body, h.decoded, h.resp, h.err = nil, reflect.Value{}, nil, nil
}

func (h *cborHandler) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	h.body = body
	if got := r.Header.Get("Smithy-Protocol"); got != CBORProtocol {
		h.err = fmt.Errorf("request Smithy-Protocol %q", got)
	}
	op, err := h.p.Operation(r)
	if err != nil || op != h.op {
		h.err = fmt.Errorf("Operation: %q, %v; want %q", op, err, h.op)
	}
	h.decoded = reflect.New(h.in.Elem())
	if body, err = Inflate(r.Header, body); err != nil {
		h.err = err
	} else if err := h.p.Decode(h.op, body, h.decoded.Interface()); err != nil && h.err == nil {
		h.err = fmt.Errorf("Decode: %v\nbody: %x", err, body)
	}
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {CBORContentType}}, Request: r}
	if h.fail != nil {
		h.resp = h.p.EncodeError(h.fail.Code, h.fail.Message)
		resp.StatusCode = h.fail.Status
		h.p.SetErrorHeaders(resp.Header, h.fail)
	} else if h.resp, err = h.p.Encode(h.op, h.out); err != nil && h.err == nil {
		h.err = fmt.Errorf("Encode: %v", err)
	}
	h.header = resp.Header
	resp.Body = io.NopCloser(bytes.NewReader(h.resp))
	return resp, nil
}

func cloudWatchClient(c cloudwatch.HTTPClient, validate bool) *cloudwatch.Client {
	o := cloudwatch.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		BaseEndpoint: aws.String("http://monitoring.test"),
		HTTPClient:   c,
		Retryer:      aws.NopRetryer{},
	}
	if !validate {
		o.APIOptions = []func(*middleware.Stack) error{withoutValidation}
	}
	return cloudwatch.New(o)
}

// TestRoundTripCloudWatch checks, for every operation of the CloudWatch client, with random
// values that set every member: input → the SDK client's own rpcv2Cbor serializer →
// Operation and Decode → the same input; and output → Encode → the SDK client's own
// deserializer → the same output.
func TestRoundTripCloudWatch(t *testing.T) {
	p := newCloudWatchCBOR()
	h := &cborHandler{p: p}
	client := cloudWatchClient(h, false)
	ops := clientOperations(client)
	if len(ops) != len(p.ops) || len(ops) < 50 {
		t.Fatalf("the test found %d operations, the codec %d", len(ops), len(p.ops))
	}
	for i, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 2010_08_01))
			for n := range *iterations {
				g := &gen{r: r, maxDepth: 5, unit: time.Millisecond}
				in := reflect.New(op.in.Elem())
				g.fill(in.Elem(), 0)
				out := reflect.New(op.out.Elem())
				g.unit = time.Second // the SDK's reader truncates a float's milliseconds
				g.fill(out.Elem(), 0)
				h.reset(op.name, op.in, out.Interface())
				got, err := op.call(client, in)
				if h.err != nil {
					t.Fatalf("value %d: %v", n, h.err)
				}
				if err != nil {
					t.Fatalf("value %d: the SDK could not read Encode's output: %v\nbody: %x", n, err, h.resp)
				}
				if d := diff(in.Elem(), h.decoded.Elem(), "in"); d != "" {
					t.Fatalf("value %d: input round trip: %s\nbody: %x", n, d, h.body)
				}
				got.Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
				inUTC(got) // the SDK's reader gives local times
				if d := diff(out.Elem(), got.Elem(), "out"); d != "" {
					t.Fatalf("value %d: output round trip: %s\nbody: %x", n, d, h.resp)
				}
			}
		})
	}
}

// TestCBORErrors checks that the SDK's client reads each error as AWS's: a modeled error by
// its shape (errors.As finds *types.InvalidParameterValueException) with the awsQuery code
// from x-amzn-query-error as its ErrorCode, and an unmodeled one by the header's code.
func TestCBORErrors(t *testing.T) {
	p := newCloudWatchCBOR()
	h := &cborHandler{p: p}
	client := cloudWatchClient(h, true)
	cases := []struct {
		code     core.Code
		status   int
		typ      any
		wantType string
	}{
		{"InvalidParameterValue", 400, &cwtypes.InvalidParameterValueException{}, "com.amazonaws.cloudwatch#InvalidParameterValueException"},
		{"MissingParameter", 400, &cwtypes.MissingRequiredParameterException{}, "com.amazonaws.cloudwatch#MissingRequiredParameterException"},
		{"ResourceNotFound", 404, &cwtypes.ResourceNotFound{}, "com.amazonaws.cloudwatch#ResourceNotFound"},
		{"ResourceNotFoundException", 404, &cwtypes.ResourceNotFoundException{}, "com.amazonaws.cloudwatch#ResourceNotFoundException"},
		{"LimitExceeded", 400, &cwtypes.LimitExceededFault{}, "com.amazonaws.cloudwatch#LimitExceededFault"},
		{"InternalServiceError", 500, &cwtypes.InternalServiceFault{}, "com.amazonaws.cloudwatch#InternalServiceFault"},
		{"AccessDenied", 403, nil, "AccessDenied"},
		{"SerializationException", 400, nil, "SerializationException"},
	}
	for _, c := range cases {
		t.Run(string(c.code), func(t *testing.T) {
			if got := p.ErrorType(c.code); got != c.wantType {
				t.Errorf("ErrorType = %q, want %q", got, c.wantType)
			}
			h.reset("DescribeAlarms", reflect.TypeFor[*cloudwatch.DescribeAlarmsInput](), nil)
			h.fail = &core.Error{Code: c.code, Message: "it went wrong", Status: c.status}
			_, err := client.DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{})
			if h.err != nil {
				t.Fatal(h.err)
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, not an API error", err)
			}
			if ae.ErrorCode() != string(c.code) || ae.ErrorMessage() != "it went wrong" {
				t.Errorf("ErrorCode %q, message %q", ae.ErrorCode(), ae.ErrorMessage())
			}
			wantFault := smithy.FaultClient
			if c.status >= 500 {
				wantFault = smithy.FaultServer
			}
			if ae.ErrorFault() != wantFault {
				t.Errorf("fault %v, want %v", ae.ErrorFault(), wantFault)
			}
			if c.typ != nil {
				target := reflect.New(reflect.TypeOf(c.typ))
				if !errors.As(err, target.Interface()) {
					t.Errorf("errors.As(%T) failed on %T", c.typ, ae)
				}
			}
			if q := h.header.Get("X-Amzn-Query-Error"); !strings.HasPrefix(q, string(c.code)+";") {
				t.Errorf("x-amzn-query-error %q", q)
			}
		})
	}
}

func TestCBOROperation(t *testing.T) {
	p := newCloudWatchCBOR()
	cases := []struct {
		method, path string
		op           string
		status       int
	}{
		{"POST", "/service/GraniteServiceVersion20100801/operation/PutMetricData", "PutMetricData", 0},
		{"POST", "/service/GraniteServiceVersion20100801/operation/NoSuchThing", "", 404},
		{"POST", "/service/AmazonSSM/operation/PutMetricData", "", 404},
		{"POST", "/service/GraniteServiceVersion20100801/operation/", "", 404},
		{"POST", "/", "", 404},
		{"GET", "/service/GraniteServiceVersion20100801/operation/ListMetrics", "", 404},
	}
	for _, c := range cases {
		t.Run(c.method+c.path, func(t *testing.T) {
			op, err := p.Operation(httptest.NewRequest(c.method, c.path, nil))
			if c.status == 0 {
				if err != nil || op != c.op {
					t.Fatalf("Operation = %q, %v; want %q", op, err, c.op)
				}
				return
			}
			e := core.AsError(err)
			if e == nil || e.Code != UnknownOperationException || e.Status != c.status {
				t.Fatalf("Operation = %q, %v; want UnknownOperationException %d", op, err, c.status)
			}
		})
	}
}

// TestCBORDecodeErrors checks that bodies the SDK would never write are refused with a
// SerializationException naming where, and that null and unknown members are passed over.
func TestCBORDecodeErrors(t *testing.T) {
	p := newCloudWatchCBOR()
	enc := func(v smithycbor.Value) []byte { return smithycbor.Encode(v) }
	s := func(v string) smithycbor.String { return smithycbor.String(v) }
	datum := func(k string, v smithycbor.Value) smithycbor.Value {
		return smithycbor.Map{"Namespace": s("app"), "MetricData": smithycbor.List{smithycbor.Map{"MetricName": s("m"), k: v}}}
	}
	cases := []struct {
		name string
		body []byte
		msg  string // in the message; "" for success
	}{
		{"empty", nil, ""},
		{"not cbor", []byte{0xff}, "it is not CBOR"},
		{"truncated", []byte{0xbf, 0x69}, "it is not CBOR"},
		{"not a map", enc(smithycbor.List{}), "expected a CBOR map, found an array"},
		{"string for number", enc(datum("Value", s("1"))), "in 'MetricData[0].Value': expected a number, found a text string"},
		{"int overflow", enc(datum("StorageResolution", smithycbor.Uint(1<<40))), "in 'MetricData[0].StorageResolution': expected an integer of 32 bits"},
		{"time untagged", enc(datum("Timestamp", smithycbor.Uint(5))), "expected a timestamp (tag 1), found an integer"},
		{"time tag 0", enc(datum("Timestamp", &smithycbor.Tag{ID: 0, Value: s("2020-01-01T00:00:00Z")})), "found tag 0"},
		{"time NaN", enc(datum("Timestamp", &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(nan())})), "timestamp out of range"},
		{"bad utf-8", enc(smithycbor.Map{"Namespace": s("\xff")}), "in 'Namespace': a text string is not UTF-8"},
		{"blob as string", enc(smithycbor.Map{"Namespace": smithycbor.Slice("x")}), "expected a text string, found a byte string"},
		{"list for struct", enc(datum("Dimensions", smithycbor.Map{})), "expected an array, found a map"},
		{"nulls and unknowns", enc(smithycbor.Map{"Namespace": &smithycbor.Nil{}, "Other": smithycbor.List{smithycbor.Bool(true)}, "MetricData": smithycbor.List{&smithycbor.Undefined{}}}), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := p.Decode("PutMetricData", c.body, &cloudwatch.PutMetricDataInput{})
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := core.AsError(err)
			if e == nil || e.Code != SerializationException || e.Status != 400 || !strings.Contains(e.Message, c.msg) {
				t.Fatalf("Decode = %v; want SerializationException with %q", err, c.msg)
			}
		})
	}
	var in cloudwatch.PutMetricDataInput
	body := enc(smithycbor.Map{"Namespace": s("app"), "MetricData": smithycbor.List{smithycbor.Map{
		"MetricName": s("m"), "Value": smithycbor.Uint(3), "Timestamp": &smithycbor.Tag{ID: 1, Value: smithycbor.Float64(1715531081.123)},
		"Values": smithycbor.List{smithycbor.Float32(1.5), smithycbor.NegInt(2)},
	}}})
	if err := p.Decode("PutMetricData", body, &in); err != nil {
		t.Fatal(err)
	}
	d := in.MetricData[0]
	if *d.Value != 3 || !d.Timestamp.Equal(time.UnixMilli(1715531081123)) || d.Values[0] != 1.5 || d.Values[1] != -2 {
		t.Fatalf("decoded %+v", d)
	}
}

func nan() float64 { var z float64; return z / z }

// inUTC sets every time.Time reachable from v in UTC.
func inUTC(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			inUTC(v.Elem())
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			for i := range v.Len() {
				inUTC(v.Index(i))
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			inUTC(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				inUTC(v.Field(i))
			}
		}
	}
}

// BenchmarkCBORDecodeEncode is the codec's work for one CloudWatch request: Decode of the SDK
// client's body for PutMetricData (20 data points with dimensions), Encode of a
// GetMetricStatistics answer of 60 data points.
func BenchmarkCBORDecodeEncode(b *testing.B) {
	p := newCloudWatchCBOR()
	sdk := rpcv2.NewCBOR(cwschemas.GraniteServiceVersion20100801)
	in := &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Web")}
	for i := range 20 {
		in.MetricData = append(in.MetricData, cwtypes.MetricDatum{
			MetricName: aws.String("Latency"), Unit: cwtypes.StandardUnitMilliseconds, Value: aws.Float64(float64(i) * 1.5),
			Timestamp:  aws.Time(time.Unix(1715531081+int64(i)*60, 0)),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("Host"), Value: aws.String("web-1")}, {Name: aws.String("Path"), Value: aws.String("/api")}},
		})
	}
	body := cborSDKBody(b, sdk, "PutMetricData", reflect.ValueOf(in))
	out := &cloudwatch.GetMetricStatisticsOutput{Label: aws.String("Latency")}
	for i := range 60 {
		out.Datapoints = append(out.Datapoints, cwtypes.Datapoint{Average: aws.Float64(12.5), Maximum: aws.Float64(40), SampleCount: aws.Float64(60),
			Timestamp: aws.Time(time.Unix(1715531040+int64(i)*60, 0)), Unit: cwtypes.StandardUnitMilliseconds})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Decode("PutMetricData", body, &cloudwatch.PutMetricDataInput{}); err != nil {
			b.Fatal(err)
		}
		if _, err := p.Encode("GetMetricStatistics", out); err != nil {
			b.Fatal(err)
		}
	}
}
