package jsonproto

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/smithy-go"
	smithycbor "github.com/aws/smithy-go/encoding/cbor"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/rpcv2"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CBOR is the server side of Smithy RPC v2 CBOR (smithy.protocols#rpcv2Cbor) for one
// service, such as CloudWatch's. It is safe for concurrent use; plans are built on first use
// of each operation.
//
// A request is POST /service/<service shape name>/operation/<Operation> with a CBOR body
// whose map keys are member names; timestamps are epoch seconds in tag 1, blobs byte strings.
// https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
type CBOR struct {
	service string // the service shape's name: "GraniteServiceVersion20100801"
	prefix  string // "/service/<service>/operation/"
	ops     map[string]*operation
	sdk     *rpcv2.Protocol // the SDK's client protocol: its serializer writes our responses

	// queryCompatible reports the service's @awsQueryCompatible trait: errors carry
	// x-amzn-query-error with the code its awsQuery API gave.
	queryCompatible bool
	errs            map[core.Code]errShape // by a query error code or a shape name

	planCache
}

// errShape is a modeled error: its shape's ID and the member its message goes in ("message"
// or, in some shapes, "Message").
type errShape struct{ id, message string }

// CBOR's own content type and the value of the Smithy-Protocol header of its requests and
// responses.
const (
	CBORContentType = "application/cbor"
	CBORProtocol    = "rpc-v2-cbor"
)

// NewCBOR returns the rpcv2Cbor codec of service, whose operations are the methods of client
// (only its method set is used: (*cloudwatch.Client)(nil) will do) and whose modeled errors
// are in types, the SDK's TypeRegistry: an error is written with its shape's ID in __type, so
// that the SDK's client returns the modeled error type, and, for an @awsQueryCompatible
// service, with the awsQuery code in x-amzn-query-error, which both the SDK and botocore give
// as the error's code. It panics if client has no operation methods, a programming error.
func NewCBOR(service *smithy.ServiceSchema, client any, types *smithy.TypeRegistry) *CBOR {
	_, qc := smithy.SchemaTrait[*traits.AWSQueryCompatible](service.Schema)
	name := service.ID().Name
	p := &CBOR{
		service:         name,
		prefix:          "/service/" + name + "/operation/",
		ops:             operations(client, true),
		sdk:             rpcv2.NewCBOR(service),
		queryCompatible: qc,
		errs:            map[core.Code]errShape{},
	}
	if types != nil {
		// A shape's own name first, then the query codes in the order of the shapes' IDs, so
		// that a code two shapes share ("ResourceNotFound") names the same one every time.
		ids := make([]string, 0, len(types.Entries))
		for id, e := range types.Entries {
			if _, ok := smithy.SchemaTrait[*traits.Error](e.Schema); ok {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		shape := func(id string) errShape {
			e := errShape{id: id, message: "message"}
			for _, m := range types.Entries[id].Schema.Members() {
				if strings.EqualFold(m.MemberName(), "message") {
					e.message = m.MemberName()
				}
			}
			return e
		}
		for _, id := range ids {
			p.errs[core.Code(types.Entries[id].Schema.ID().Name)] = shape(id)
		}
		for _, id := range ids {
			if q, ok := smithy.SchemaTrait[*traits.AWSQueryError](types.Entries[id].Schema); ok {
				if _, taken := p.errs[core.Code(q.ErrorCode)]; !taken {
					p.errs[core.Code(q.ErrorCode)] = shape(id)
				}
			}
		}
	}
	return p
}

// HasOperation reports whether the SDK's client has the operation.
func (p *CBOR) HasOperation(op string) bool { return p.ops[op] != nil }

// Operation returns the name of the operation a request calls, from its path:
// /service/GraniteServiceVersion20100801/operation/PutMetricData. A request that is not a
// POST, or whose path names another service or no operation of this one, is an
// UnknownOperationException (404), as no route of the service matches it.
func (p *CBOR) Operation(r *http.Request) (string, error) {
	path := r.URL.EscapedPath()
	op, ok := strings.CutPrefix(path, p.prefix)
	if !ok || p.ops[op] == nil {
		e := core.Errorf(UnknownOperationException, "No operation of %s is at %q; requests go to %s<Operation>.", p.service, path, p.prefix)
		e.Status = http.StatusNotFound
		return "", e
	}
	if r.Method != http.MethodPost {
		e := core.Errorf(UnknownOperationException, "%s takes POST, not %s.", path, r.Method)
		e.Status = http.StatusNotFound
		return "", e
	}
	return op, nil
}

func (p *CBOR) op(name string) (*operation, error) { return op(p.ops, p.service, name) }

// Encode returns the CBOR body of a successful response to op: out, the SDK's output
// struct, written by the SDK's own rpcv2Cbor serializer (through the public client
// protocol, which serializes any struct into a request body; rpcv2Cbor bodies are the same
// in both directions). An output without members is an empty map; Smithy's Unit, no body.
func (p *CBOR) Encode(op string, out any) ([]byte, error) {
	o, err := p.op(op)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return emptyCBORMap, nil
	}
	v := reflect.ValueOf(out)
	if v.Type() != o.out {
		return nil, fmt.Errorf("jsonproto: Encode(%s) needs a %v, not a %v", op, o.out, v.Type())
	}
	if v.IsNil() {
		return emptyCBORMap, nil
	}
	s, err := o.encodingSchema(false, func(top *smithy.Schema) *smithy.OperationSchema {
		opSchema := smithy.NewSchema(smithy.ShapeID{Namespace: top.ID().Namespace, Name: o.name}, smithy.ShapeTypeOperation, 0)
		return smithy.NewOperationSchema(opSchema, top, nil)
	})
	if err != nil || s == nil {
		return nil, err
	}
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := p.sdk.SerializeRequest(context.Background(), s, out.(smithy.Serializable), req); err != nil {
		return nil, fmt.Errorf("jsonproto: encoding the %s output: %w", op, err)
	}
	return requestBody(req)
}

// emptyCBORMap is {} in CBOR.
var emptyCBORMap = []byte{0xa0}

// ErrorType returns the __type of an error with code: the ID of the modeled error shape
// whose name or awsQuery code it is ("com.amazonaws.cloudwatch#InvalidParameterValueException"
// for InvalidParameterValue), else the code itself.
func (p *CBOR) ErrorType(code core.Code) string {
	if e, ok := p.errs[code]; ok {
		return e.id
	}
	return string(code)
}

// EncodeError returns the error document: a CBOR map of __type (see [CBOR.ErrorType]) and
// message, as the SDK's client and botocore read it (smithy-go's GetProtocolErrorInfo and
// botocore read "message"; a modeled error's members are read from the same map, and a
// shape whose member is "Message" gets the message under that key too).
func (p *CBOR) EncodeError(code core.Code, message string) []byte {
	m := smithycbor.Map{"__type": smithycbor.String(p.ErrorType(code))}
	if message != "" {
		m["message"] = smithycbor.String(message)
		if e, ok := p.errs[code]; ok {
			m[e.message] = smithycbor.String(message)
		}
	}
	return smithycbor.Encode(m)
}

// maxInflated bounds what a gzip body may inflate to: AWS takes 1 MB of PutMetricData.
const maxInflated = 8 << 20

// Inflate returns the body of a request as its Content-Encoding says: gzip bodies (the SDK
// and botocore compress PutMetricData's bodies of 10 KiB or more, its @requestCompression
// trait) are inflated, up to 8 MiB; other encodings are refused.
func Inflate(h http.Header, body []byte) ([]byte, error) {
	enc := strings.TrimSpace(strings.ToLower(h.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return body, nil
	case "gzip":
	default:
		return nil, core.Errorf(SerializationException, "Content-Encoding %q is not supported; gzip is.", enc)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, core.Errorf(SerializationException, "Cannot read the request body: it is not gzip: %v.", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxInflated+1))
	if err != nil {
		return nil, core.Errorf(SerializationException, "Cannot read the request body: bad gzip: %v.", err)
	}
	if len(out) > maxInflated {
		e := core.Errorf(RequestEntityTooLarge, "The request body inflates to more than %d bytes.", maxInflated)
		e.Status = http.StatusRequestEntityTooLarge
		return nil, e
	}
	return out, nil
}

// SetErrorHeaders sets the headers of an error response: its Content-Type and
// Smithy-Protocol and, for a query-compatible service, x-amzn-query-error
// ("InvalidParameterValue;Sender"), from which the SDK (ParseQueryError and
// SetErrorCodeOverride) and botocore (_do_query_compatible_error_parse) take the code they
// report.
func (p *CBOR) SetErrorHeaders(h http.Header, e *core.Error) {
	h.Set("Content-Type", CBORContentType)
	h.Set("Smithy-Protocol", CBORProtocol)
	if p.queryCompatible {
		fault := "Sender"
		if !e.Sender() {
			fault = "Receiver"
		}
		h.Set("X-Amzn-Query-Error", string(e.Code)+";"+fault)
	}
}
