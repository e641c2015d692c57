package jsonproto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	signinschemas "github.com/aws/aws-sdk-go-v2/service/signin/schemas"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssoschemas "github.com/aws/aws-sdk-go-v2/service/sso/schemas"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	ssooidcschemas "github.com/aws/aws-sdk-go-v2/service/ssooidc/schemas"
	"github.com/aws/smithy-go/middleware"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var (
	testCredentials = credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
	noValidation    = []func(*middleware.Stack) error{withoutValidation}
)

// restServices are the restJson1 services in go.mod: those whose SDK modules are
// schema-serialized, and EFS, whose module has generated serializers (its wire facts in
// data/efs.rest).
var restServices = []struct {
	name   string
	codec  func() *Rest
	client func(h *restHandler) any
}{
	{"sso", func() *Rest { return NewRest(ssoschemas.SWBPortalService, (*sso.Client)(nil)) }, func(h *restHandler) any {
		return sso.New(sso.Options{Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: aws.String("http://sso.test"),
			HTTPClient: h, Retryer: aws.NopRetryer{}, APIOptions: noValidation})
	}},
	{"ssooidc", func() *Rest { return NewRest(ssooidcschemas.AWSSSOOIDCService, (*ssooidc.Client)(nil)) }, func(h *restHandler) any {
		return ssooidc.New(ssooidc.Options{Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: aws.String("http://oidc.test"),
			HTTPClient: h, Retryer: aws.NopRetryer{}, APIOptions: noValidation})
	}},
	{"signin", func() *Rest { return NewRest(signinschemas.Signin, (*signin.Client)(nil)) }, func(h *restHandler) any {
		return signin.New(signin.Options{Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: aws.String("http://signin.test"),
			HTTPClient: h, Retryer: aws.NopRetryer{}, APIOptions: noValidation})
	}},
	{"efs", func() *Rest { return NewRestFromSerializers("efs", (*efs.Client)(nil)) }, func(h *restHandler) any {
		return efs.New(efs.Options{Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: aws.String("http://efs.test"),
			HTTPClient: h, Retryer: aws.NopRetryer{}, APIOptions: noValidation})
	}},
}

// TestRoundTripRest is TestRoundTripSSM for restJson1: every operation of each service, random
// values through the real client both ways, with Operation routing the request.
func TestRoundTripRest(t *testing.T) {
	total := 0
	for _, svc := range restServices {
		t.Run(svc.name, func(t *testing.T) {
			p := svc.codec()
			h := &restHandler{p: p}
			client := svc.client(h)
			ops := clientOperations(client)
			if len(ops) != len(p.ops) || len(ops) == 0 {
				t.Fatalf("the test found %d operations, the codec %d", len(ops), len(p.ops))
			}
			for i, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(i), 2019_06_10))
					for n := range *iterations {
						g := &gen{r: r, maxDepth: 5, unit: time.Millisecond, nonEmpty: true}
						in := reflect.New(op.in.Elem())
						g.fill(in.Elem(), 0)
						out := reflect.New(op.out.Elem())
						g.unit = time.Second
						g.fill(out.Elem(), 0)
						h.reset(op.name, op.in, out.Interface())
						got, err := op.call(client, in)
						if h.err != nil {
							t.Fatalf("value %d: %v", n, h.err)
						}
						if err != nil {
							t.Fatalf("value %d: the SDK could not read Encode's output: %v\nstatus %d, headers %v, body: %s", n, err, h.status, h.header, h.resp)
						}
						sortQueryLists(t, p, op.name, in, h.decoded)
						if d := diff(in.Elem(), h.decoded.Elem(), "in"); d != "" {
							t.Fatalf("value %d: input round trip: %s\n%s %s\n%v\nbody: %s", n, d, h.req.Method, h.req.URL, h.req.Header, h.body)
						}
						got.Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
						if d := diff(out.Elem(), got.Elem(), "out"); d != "" {
							t.Fatalf("value %d: output round trip: %s\nheaders %v\nbody: %s", n, d, h.header, h.resp)
						}
					}
				})
			}
			total += len(ops)
		})
	}
	t.Logf("%d restJson1 operations round-tripped, %d random values each way", total, *iterations)
}

// sortQueryLists sorts the string lists an input of op carries in the query string, in
// both a and b: the SDK's SigV4 signer sorts each query parameter's values (its canonical
// query string) and writes them back to the URL, so their order on the wire is the signer's.
func sortQueryLists(t *testing.T, p *Rest, op string, a, b reflect.Value) {
	t.Helper()
	sp, err := p.inputPlan(p.ops[op].in.Elem())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sp.bound {
		if f.bind != inQuery || f.c.kind != kList || f.c.elem.kind != kString || f.c.elem.ptr {
			continue
		}
		for _, v := range []reflect.Value{a, b} {
			l := v.Elem().Field(f.index)
			if l.Type() != reflect.TypeFor[[]string]() {
				continue
			}
			slices.SortFunc(l.Interface().([]string), strings.Compare)
		}
	}
}

// restHandler is TestRoundTripRest's HTTP client: the codec under test reads the request and
// writes the answer.
type restHandler struct {
	p *Rest

	op      string
	in      reflect.Type
	out     any
	req     *http.Request
	body    []byte
	decoded reflect.Value
	status  int
	header  http.Header
	resp    []byte
	err     error
}

func (h *restHandler) reset(op string, in reflect.Type, out any) {
	h.op, h.in, h.out = op, in, out
	h.req, h.body, h.decoded, h.status, h.header, h.resp, h.err = nil, nil, reflect.Value{}, 0, nil, nil, nil
}

func (h *restHandler) Do(r *http.Request) (*http.Response, error) {
	h.req = r
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		h.body = b
	}
	op, err := h.p.Operation(r)
	if err != nil || op != h.op {
		h.err = fmt.Errorf("Operation(%s %s) = %q, %v; want %q", r.Method, r.URL, op, err, h.op)
	}
	h.decoded = reflect.New(h.in.Elem())
	if err := h.p.Decode(h.op, r, h.body, h.decoded.Interface()); err != nil && h.err == nil {
		h.err = fmt.Errorf("Decode: %v\n%s %s\n%v\nbody: %s", err, r.Method, r.URL, r.Header, h.body)
	}
	h.status, h.header, h.resp, err = h.p.Encode(h.op, h.out)
	if err != nil && h.err == nil {
		h.err = fmt.Errorf("Encode: %v", err)
	}
	return &http.Response{
		StatusCode: h.status,
		Header:     h.header,
		Body:       io.NopCloser(bytes.NewReader(h.resp)),
		Request:    r,
	}, nil
}

// TestRestDecodeErrors: a value that cannot be read from the URI, the query string, a header
// or the body is a SerializationException naming where it was.
func TestRestDecodeErrors(t *testing.T) {
	p := NewRest(things, (*thingsClient)(nil))
	tests := []struct {
		name, op, method, target string
		header                   http.Header
		body                     string
		where                    string
	}{
		{"label int", "GetBlob", "GET", "/blobs/x/v/three", nil, "", "URI label Version"},
		{"query int", "PutThing", "PUT", "/things/a/files/b?versioning&count=1.5", nil, "", "query parameter count"},
		{"query time", "PutThing", "PUT", "/things/a/files/b?versioning&since=yesterday", nil, "", "query parameter since"},
		{"header bool", "PutThing", "PUT", "/things/a/files/b?versioning", http.Header{"X-Flag": {"yes"}}, "", "header X-Flag"},
		{"header date", "PutThing", "PUT", "/things/a/files/b?versioning", http.Header{"X-When": {"2024-01-01"}}, "", "header X-When"},
		{"header epoch", "PutThing", "PUT", "/things/a/files/b?versioning", http.Header{"X-Epoch": {"1e"}}, "", "header X-Epoch"},
		{"header base64", "PutThing", "PUT", "/things/a/files/b?versioning", http.Header{"X-Key": {"!!"}}, "", "header X-Key"},
		{"header list", "PutThing", "PUT", "/things/a/files/b?versioning", http.Header{"X-Names": {`"unterminated`}}, "", "header X-Names"},
		{"body", "PutThing", "PUT", "/things/a/files/b?versioning", nil, `{"note_text":1}`, "'note_text'"},
		{"payload", "PostBox", "POST", "/boxes", nil, `{"circle":"round"}`, "'Shape.circle'"},
		{"payload not JSON", "PostBox", "POST", "/boxes", nil, `{"circle"`, "Cannot read the request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(tt.method, "http://things.test"+tt.target, nil)
			maps.Copy(r.Header, tt.header)
			in := reflect.New(p.ops[tt.op].in.Elem())
			err := p.Decode(tt.op, r, []byte(tt.body), in.Interface())
			var e *core.Error
			if !errors.As(err, &e) || e.Code != SerializationException || e.Status != http.StatusBadRequest {
				t.Fatalf("Decode = %v; want a SerializationException (400)", err)
			}
			if !strings.Contains(e.Message, tt.where) {
				t.Errorf("message %q does not say %q", e.Message, tt.where)
			}
		})
	}
	r, _ := http.NewRequest("GET", "http://things.test/texts", nil)
	if err := p.Decode("GetBlob", r, nil, &GetBlobInput{}); err == nil || errors.As(err, new(*core.Error)) {
		t.Errorf("Decode of a request for another route: %v, want a plain error", err)
	}
	if _, _, _, err := p.Encode("PutThing", &PutThingOutput{Status: aws.Int32(42)}); err == nil {
		t.Error("Encode with status 42: no error")
	}
}

// TestRestErrorRoundTrip: the real SSO client reads EncodeError's document and headers as
// its modeled error.
func TestRestErrorRoundTrip(t *testing.T) {
	p := NewRest(ssoschemas.SWBPortalService, (*sso.Client)(nil))
	h := http.Header{}
	p.SetErrorHeaders(h, "UnauthorizedException")
	body := p.EncodeError("UnauthorizedException", "Session token not found or invalid")
	client := sso.New(sso.Options{Region: "us-east-1", Credentials: testCredentials, BaseEndpoint: aws.String("http://sso.test"),
		HTTPClient: &staticAnswer{status: http.StatusUnauthorized, header: h, body: body}, Retryer: aws.NopRetryer{}})
	_, err := client.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: aws.String("t")})
	var ue *ssotypes.UnauthorizedException
	if !errors.As(err, &ue) || ue.ErrorCode() != "UnauthorizedException" || ue.ErrorMessage() != "Session token not found or invalid" {
		t.Fatalf("error %v (%T), want *types.UnauthorizedException with the message", err, err)
	}
	if h.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
}

type staticAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a *staticAnswer) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: a.header, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// EFS's DescribeTags is routed at the SDK's URI and at botocore's, which ends in a slash; both
// decode the label.
func TestRestFactsAlias(t *testing.T) {
	p := NewRestFromSerializers("efs", (*efs.Client)(nil))
	for _, target := range []string{"/2015-02-01/tags/fs-1?MaxItems=5", "/2015-02-01/tags/fs-1/?MaxItems=5"} {
		r, _ := http.NewRequest("GET", "http://efs.test"+target, nil)
		op, err := p.Operation(r)
		if op != "DescribeTags" || err != nil {
			t.Fatalf("%s: %q, %v", target, op, err)
		}
		in := &efs.DescribeTagsInput{}
		if err := p.Decode(op, r, nil, in); err != nil || aws.ToString(in.FileSystemId) != "fs-1" || aws.ToInt32(in.MaxItems) != 5 {
			t.Errorf("%s: %+v, %v", target, in, err)
		}
	}
	r, _ := http.NewRequest("GET", "http://efs.test/2015-02-01/file-systems/", nil)
	if op, err := p.Operation(r); err == nil {
		t.Errorf("a slash no model has: routed to %s", op)
	}
}
