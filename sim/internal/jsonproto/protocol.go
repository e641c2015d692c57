package jsonproto

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Protocol is the server side of awsJson1.0 or awsJson1.1 for one service. It is safe for
// concurrent use; plans are built on first use of each operation.
type Protocol struct {
	version     string // "1.0" or "1.1"
	contentType string
	prefix      string // X-Amz-Target's service part: the service shape's name, "AmazonSSM"
	ops         map[string]*operation
	sdk         *awsjson.Protocol // the SDK's client protocol: its serializer writes our responses

	planCache
}

// operation is one method of the SDK's client: (ctx, *XInput, ...func(*Options)) (*XOutput, error).
type operation struct {
	name    string
	in, out reflect.Type // *XInput, *XOutput

	once     sync.Once
	encoding *smithy.OperationSchema // the output as the "input" of the SDK's request serializer
	respCode int                     // restJson1: the field bound by @httpResponseCode, or -1
	err      error
}

// New10 returns the awsJson1.0 codec of service (e.g. dynamodb's schemas.DynamoDB_20120810),
// whose operations are the methods of client, a value of the SDK's client type (only its
// method set is used: (*dynamodb.Client)(nil) will do). It panics if client has no
// operation methods, which is a programming error.
func New10(service *smithy.ServiceSchema, client any) *Protocol {
	return newProtocol("1.0", service, client, awsjson.New10(service))
}

// New11 returns the awsJson1.1 codec of service, e.g. New11(schemas.AmazonSSM,
// (*ssm.Client)(nil)); see [New10].
func New11(service *smithy.ServiceSchema, client any) *Protocol {
	return newProtocol("1.1", service, client, awsjson.New11(service))
}

var (
	ctxType          = reflect.TypeFor[context.Context]()
	errorType        = reflect.TypeFor[error]()
	serializableType = reflect.TypeFor[smithy.Serializable]()
)

func newProtocol(version string, service *smithy.ServiceSchema, client any, sdk *awsjson.Protocol) *Protocol {
	return &Protocol{
		version:     version,
		contentType: "application/x-amz-json-" + version,
		prefix:      service.ID().Name,
		ops:         operations(client, true),
		sdk:         sdk,
	}
}

// operations returns the operation methods of an SDK client type; schema says the client is
// of the schema-serialized generation, whose inputs and outputs are smithy.Serializable. It
// panics if there are none: the caller passed something else.
func operations(client any, schema bool) map[string]*operation {
	ops := map[string]*operation{}
	ct := reflect.TypeOf(client)
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		ft := m.Type // with the receiver
		if ft.NumIn() != 4 || !ft.IsVariadic() || ft.In(1) != ctxType || ft.NumOut() != 2 || ft.Out(1) != errorType {
			continue
		}
		in, out := ft.In(2), ft.Out(0)
		if in.Kind() != reflect.Pointer || in.Elem().Name() != m.Name+"Input" ||
			out.Kind() != reflect.Pointer || out.Elem().Name() != m.Name+"Output" ||
			schema && (!in.Implements(serializableType) || !out.Implements(serializableType)) {
			continue
		}
		ops[m.Name] = &operation{name: m.Name, in: in, out: out}
	}
	if len(ops) == 0 {
		panic(fmt.Sprintf("jsonproto: %v has no operation methods of an SDK client (schema-serialized: %v)", ct, schema))
	}
	return ops
}

// ContentType returns the protocol's media type, which requests and responses carry:
// "application/x-amz-json-1.1".
func (p *Protocol) ContentType() string { return p.contentType }

// HasOperation reports whether the SDK's client has the operation.
func (p *Protocol) HasOperation(op string) bool { return p.ops[op] != nil }

// Operation returns the name of the operation a request calls, read from its X-Amz-Target
// header ("AmazonSSM.PutParameter"). A request without the header, or that names another
// service or an operation the SDK does not have, is an UnknownOperationException.
func (p *Protocol) Operation(r *http.Request) (string, error) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return "", core.Errorf(UnknownOperationException, "The request has no X-Amz-Target header; it names the operation, as in %s.OperationName.", p.prefix)
	}
	svc, op, _ := strings.Cut(target, ".")
	if svc != p.prefix || p.ops[op] == nil {
		return "", core.Errorf(UnknownOperationException, "Unknown operation %q: %s has no such operation.", target, p.prefix)
	}
	return op, nil
}

// op returns the operation named, or a programming error.
func (p *Protocol) op(name string) (*operation, error) { return op(p.ops, p.prefix, name) }

func op(ops map[string]*operation, service, name string) (*operation, error) {
	o := ops[name]
	if o == nil {
		return nil, fmt.Errorf("jsonproto: %s has no operation %q", service, name)
	}
	return o, nil
}

// encodingSchema returns the operation schema under which the SDK's client protocol
// serializes the output as if it were a request body; build makes it from the output's
// schema. It is nil for an output of Smithy's Unit type, which has no body. For restJson1
// (rest), it also finds the member bound by @httpResponseCode.
func (o *operation) encodingSchema(rest bool, build func(top *smithy.Schema) *smithy.OperationSchema) (*smithy.OperationSchema, error) {
	o.once.Do(func() {
		t := o.out.Elem()
		top, err := topSchema(t)
		o.respCode, o.err = -1, err
		if top == nil {
			return // Unit, or an error: no body
		}
		o.encoding = build(top)
		if o.encoding.IsInputEventStream() {
			o.encoding, o.err = nil, fmt.Errorf("jsonproto: %s answers an event stream, which is not supported", o.name)
			return
		}
		if !rest {
			return
		}
		fms, err := fieldMembers(t, top)
		if err != nil {
			o.encoding, o.err = nil, fmt.Errorf("jsonproto: %v: %w", t, err)
			return
		}
		for _, fm := range fms {
			if _, ok := smithy.SchemaTrait[*traits.HTTPResponseCode](fm.Member); ok {
				o.respCode = fm.Index
			}
		}
	})
	return o.encoding, o.err
}
