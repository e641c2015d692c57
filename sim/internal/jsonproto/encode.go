package jsonproto

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Encode returns the JSON body of a successful response to op: out, the SDK's output struct
// (*ssm.GetParameterOutput), as the SDK's client reads it. A nil out is an empty output, {}.
//
// The document is written by the SDK itself: out's generated Serialize method drives the
// SDK's JSON serializer (through the public awsjson client protocol, which serializes any
// struct into a request body). awsJson bodies are the same in both directions — member
// names as keys, timestamps as epoch seconds, blobs in base64 — so this is exactly the
// document the SDK's deserializer reads.
func (p *Protocol) Encode(op string, out any) ([]byte, error) {
	o, err := p.op(op)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return []byte("{}"), nil
	}
	v := reflect.ValueOf(out)
	if v.Type() != o.out {
		return nil, fmt.Errorf("jsonproto: Encode(%s) needs a %v, not a %v", op, o.out, v.Type())
	}
	if v.IsNil() {
		return []byte("{}"), nil
	}
	s, err := o.encodingSchema(false, func(top *smithy.Schema) *smithy.OperationSchema {
		// Only the "input" (our output) and the name matter to the awsJson serializer.
		opSchema := smithy.NewSchema(smithy.ShapeID{Namespace: top.ID().Namespace, Name: o.name}, smithy.ShapeTypeOperation, 0)
		return smithy.NewOperationSchema(opSchema, top, nil)
	})
	if err != nil || s == nil {
		return []byte("{}"), err
	}
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := p.sdk.SerializeRequest(context.Background(), s, out.(smithy.Serializable), req); err != nil {
		return nil, fmt.Errorf("jsonproto: encoding the %s output: %w", op, err)
	}
	b, err := requestBody(req)
	if err != nil || b == nil {
		return []byte("{}"), err
	}
	return b, nil
}

// requestBody returns the body the SDK's serializer set on req, nil for none.
func requestBody(req *smithyhttp.Request) ([]byte, error) {
	switch body := req.GetStream().(type) {
	case *bytes.Reader:
		b := make([]byte, body.Len())
		body.Read(b)
		return b, nil
	case nil:
		return nil, nil
	default:
		return io.ReadAll(body)
	}
}

// EncodeError returns AWS's JSON error document: {"__type":"ParameterNotFound","message":"…"}.
// An empty message is left out, as SSM does for ParameterNotFound.
func (p *Protocol) EncodeError(code core.Code, message string) []byte {
	return encodeError(code, message)
}

// encodeError writes the error document of both awsJson and restJson1.
//
// The code goes without a namespace: the SDKs strip one if present ("aws.protocols#" in
// smithy-go's SanitizeErrorCode, botocore's `code.rsplit('#', 1)`), so either reads it. The
// message key is lower case, as in SSM's and CloudWatch Logs' models; the SDKs read both
// casings (botocore: body.get('message', body.get('Message')); smithy-go matches either
// against the modeled member of an error shape).
func encodeError(code core.Code, message string) []byte {
	b, err := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message,omitempty"`
	}{string(code), message})
	if err != nil {
		panic(err) // two strings always marshal
	}
	return b
}

// SetErrorHeaders sets the headers of an error response: its Content-Type and
// X-Amzn-ErrorType, where aws-sdk-go-v2 reads the code first (botocore reads the body's
// __type).
func (p *Protocol) SetErrorHeaders(h http.Header, code core.Code) {
	h.Set("Content-Type", p.contentType)
	h.Set("X-Amzn-ErrorType", string(code))
}
