package jsonproto

import (
	"bytes"
	"compress/gzip"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Negotiate reads and answers each request in the protocol it speaks.
func TestNegotiate(t *testing.T) {
	p := Negotiate(newCloudWatchCBOR(), New10(cwschemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil)))
	cbor := httptest.NewRequest("POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", nil)
	cbor.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
	json := httptest.NewRequest("POST", "/", nil)
	json.Header.Set("X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics")
	json.Header.Set("Content-Type", "application/x-amz-json-1.0")
	form := httptest.NewRequest("POST", "/", strings.NewReader("Action=ListMetrics"))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	for _, c := range []struct {
		name        string
		r           *service.Request
		body        []byte
		contentType string
	}{
		{"cbor", &service.Request{HTTP: cbor, Body: []byte{0xa0}}, []byte{0xa0}, CBORContentType},
		{"json", &service.Request{HTTP: json, Body: []byte("{}")}, []byte("{}"), "application/x-amz-json-1.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			op, err := p.Operation(c.r)
			if err != nil || op != "ListMetrics" {
				t.Fatalf("Operation = %q, %v", op, err)
			}
			c.r.Op = op
			in := &cloudwatch.ListMetricsInput{}
			if err := p.Decode(c.r, in); err != nil {
				t.Fatal(err)
			}
			resp, err := p.Encode(c.r, &cloudwatch.ListMetricsOutput{})
			if err != nil || resp.Header.Get("Content-Type") != c.contentType {
				t.Fatalf("Encode: %v, %v", resp.Header, err)
			}
			e := p.Error(c.r, core.Errorf("InvalidParameterValue", "bad"))
			if q := e.Header.Get("X-Amzn-Query-Error"); q != "InvalidParameterValue;Sender" {
				t.Errorf("x-amzn-query-error %q", q)
			}
		})
	}
	if _, err := p.Operation(&service.Request{HTTP: form}); core.AsError(err) == nil || core.AsError(err).Code != UnknownOperationException {
		t.Errorf("a query form: %v", err)
	}
	if got := p.Recognizes(&service.Request{HTTP: cbor}); got != service.Mine {
		t.Errorf("Recognizes(cbor) = %v", got)
	}
}

func TestInflate(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte{0xa0})
	zw.Close()
	h := httptest.NewRequest("POST", "/", nil).Header
	h.Set("Content-Encoding", "gzip")
	if out, err := Inflate(h, b.Bytes()); err != nil || !bytes.Equal(out, []byte{0xa0}) {
		t.Fatalf("Inflate = %x, %v", out, err)
	}
	b.Reset()
	zw = gzip.NewWriter(&b)
	zw.Write(make([]byte, maxInflated+1))
	zw.Close()
	if _, err := Inflate(h, b.Bytes()); core.AsError(err) == nil || core.AsError(err).Status != 413 {
		t.Errorf("a body inflating past the limit: %v", err)
	}
	h.Set("Content-Encoding", "zstd")
	if _, err := Inflate(h, []byte{0xa0}); core.AsError(err) == nil || core.AsError(err).Code != SerializationException {
		t.Errorf("zstd: %v", err)
	}
}
