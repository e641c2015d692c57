package jsonproto

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Rest is the server side of restJson1 for one service. It is safe for concurrent use;
// plans are built on first use of each operation.
type Rest struct {
	name   string // the service shape's name, for messages
	ops    map[string]*operation
	routes []*route // most specific first
	byOp   map[string]*route
	sdk    *restjson1.Protocol // nil for a service of wire facts
	facts  *facts              // NewRestFromSerializers's

	planCache
}

// NewRest returns the restJson1 codec of service (e.g. schemas.SWBPortalService of sso), whose
// operations are the methods of client, a value of the SDK's client type ((*sso.Client)(nil)
// will do). Each operation's route is the @http trait of its schema, which must be listed in
// sdk_gen.go: add the SDK module to internal/gen. NewRest panics if client has no
// operation methods or an operation has no schema, which are programming errors.
func NewRest(service *smithy.ServiceSchema, client any) *Rest {
	p := &Rest{
		name:      service.ID().Name,
		ops:       operations(client, true),
		byOp:      map[string]*route{},
		sdk:       restjson1.New(service),
		planCache: planCache{rest: true},
	}
	ns := service.ID().Namespace
	for name, o := range p.ops {
		var s *smithy.Schema
		for _, os := range operationSchemas {
			if os.ID() == (smithy.ShapeID{Namespace: ns, Name: name}) {
				s = os
			}
		}
		if s == nil {
			panic(fmt.Sprintf("jsonproto: no schema for operation %s#%s: add its module to internal/gen and run go generate", ns, name))
		}
		h, ok := smithy.SchemaTrait[*traits.HTTP](s)
		if !ok {
			panic(fmt.Sprintf("jsonproto: operation %s has no @http trait: not a restJson1 service", s.ID()))
		}
		rt, err := newRoute(o, h)
		if err != nil {
			panic(fmt.Sprintf("jsonproto: %s: %v", s.ID(), err))
		}
		p.routes = append(p.routes, rt)
		p.byOp[name] = rt
	}
	slices.SortFunc(p.routes, func(a, b *route) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.op.name, b.op.name)
	})
	return p
}

// ContentType returns the media type of restJson1's JSON bodies: "application/json".
func (p *Rest) ContentType() string { return "application/json" }

// HasOperation reports whether the SDK's client has the operation.
func (p *Rest) HasOperation(op string) bool { return p.ops[op] != nil }

// Operation returns the name of the operation a request calls, by its method and path (and
// the literal query parameters some routes have, such as "?x-amz-client-auth-method=iam").
// A request no route matches is an UnknownOperationException with status 404.
func (p *Rest) Operation(r *http.Request) (string, error) {
	segs := pathSegments(r.URL.EscapedPath())
	query := r.URL.Query()
	for _, rt := range p.routes {
		if _, ok := rt.match(r.Method, segs, query); ok {
			return rt.op.name, nil
		}
	}
	return "", &core.Error{Code: UnknownOperationException, Status: http.StatusNotFound,
		Message: fmt.Sprintf("%s has no operation for %s %s.", p.name, r.Method, r.URL.EscapedPath())}
}

// Encode returns the response to op: its status (the @http trait's code, or the value of a
// member bound by @httpResponseCode), its headers (members bound by @httpHeader and
// @httpPrefixHeaders, and Content-Type) and its body (the @httpPayload member, or the other
// members as a JSON object with @jsonName keys). A nil out is an empty output.
//
// As for awsJson, the SDK writes the response: the output's Serialize method drives the
// SDK's own restJson1 request serializer, whose header and body bindings are the response's.
func (p *Rest) Encode(op string, out any) (status int, header http.Header, body []byte, err error) {
	o, err := p.op(op)
	if err != nil {
		return 0, nil, nil, err
	}
	if p.facts != nil {
		return p.encodeFacts(o, out)
	}
	status = p.byOp[op].code
	if out == nil {
		return status, http.Header{"Content-Type": {"application/json"}}, []byte("{}"), nil
	}
	v := reflect.ValueOf(out)
	if v.Type() != o.out {
		return 0, nil, nil, fmt.Errorf("jsonproto: Encode(%s) needs a %v, not a %v", op, o.out, v.Type())
	}
	if v.IsNil() {
		return status, http.Header{"Content-Type": {"application/json"}}, []byte("{}"), nil
	}
	s, err := o.encodingSchema(true, func(top *smithy.Schema) *smithy.OperationSchema {
		// The request serializer needs a route; the response has no labels or query.
		opSchema := smithy.NewSchema(smithy.ShapeID{Namespace: top.ID().Namespace, Name: o.name}, smithy.ShapeTypeOperation, 0,
			&traits.HTTP{Method: http.MethodPost, URI: "/"})
		return smithy.NewOperationSchema(opSchema, top, nil)
	})
	if err != nil {
		return 0, nil, nil, err
	}
	if s == nil {
		return status, http.Header{"Content-Type": {"application/json"}}, []byte("{}"), nil
	}
	if o.respCode >= 0 {
		// The status, not a body member: the serializer would write it in the body.
		f := v.Elem().Field(o.respCode)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		if f.Kind() == reflect.Int32 && f.Int() != 0 {
			status = int(f.Int())
			if status < 100 || status > 599 {
				return 0, nil, nil, fmt.Errorf("jsonproto: %s: status %d is not an HTTP status", op, status)
			}
		}
		c := reflect.New(o.out.Elem())
		c.Elem().Set(v.Elem())
		c.Elem().Field(o.respCode).SetZero()
		out = c.Interface()
	}
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := p.sdk.SerializeRequest(context.Background(), s, out.(smithy.Serializable), req); err != nil {
		return 0, nil, nil, fmt.Errorf("jsonproto: encoding the %s output: %w", op, err)
	}
	if body, err = requestBody(req); err != nil {
		return 0, nil, nil, err
	}
	return status, req.Header, body, nil
}

// EncodeError returns AWS's JSON error document, as [Protocol.EncodeError].
// A service whose error shapes have an ErrorCode member (EFS) gets
// {"ErrorCode":"…","Message":"…"} instead, as AWS writes it.
func (p *Rest) EncodeError(code core.Code, message string) []byte {
	return p.encodeError(&core.Error{Code: code, Message: message})
}

// encodeError is EncodeError with the error's further fields, where the document has them.
func (p *Rest) encodeError(e *core.Error) []byte {
	if p.facts != nil && p.facts.errorCode {
		return encodeFactsError(e.Code, e.Message, e.Fields)
	}
	return encodeError(e.Code, e.Message)
}

// SetErrorHeaders sets the headers of an error response: Content-Type and X-Amzn-ErrorType,
// where aws-sdk-go-v2 and botocore read restJson1's error code first.
func (p *Rest) SetErrorHeaders(h http.Header, code core.Code) {
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", string(code))
}

func (p *Rest) op(name string) (*operation, error) { return op(p.ops, p.name, name) }

// route is an operation's @http trait: method, path pattern and literal query.
type route struct {
	op     *operation
	method string
	segs   []segment
	query  [][2]string // literal key and value ("" with no "=")
	code   int
	score  int    // specificity: literal segments, then literal query, then no greedy label
	alt    *route // the same operation at another URI (see facts' aliases)
}

// segment is one segment of a path pattern: a literal, a {Label} or a greedy {Label+}.
type segment struct {
	lit, label string
	greedy     bool
}

func newRoute(o *operation, h *traits.HTTP) (*route, error) {
	rt := &route{op: o, method: h.Method, code: h.Code}
	if rt.code == 0 {
		rt.code = http.StatusOK
	}
	path, query, _ := strings.Cut(h.URI, "?")
	greedy := false
	for _, s := range pathSegments(path) {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := s[1 : len(s)-1]
			g := strings.HasSuffix(name, "+")
			if g {
				if greedy {
					return nil, fmt.Errorf("two greedy labels in %q", h.URI)
				}
				greedy, name = true, name[:len(name)-1]
			}
			rt.segs = append(rt.segs, segment{label: name, greedy: g})
			continue
		}
		if strings.ContainsAny(s, "{}") {
			return nil, fmt.Errorf("a label that is not a whole segment in %q", h.URI)
		}
		lit, err := url.PathUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", h.URI, err)
		}
		rt.segs = append(rt.segs, segment{lit: lit})
		rt.score += 100
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			rt.query = append(rt.query, [2]string{k, v})
			rt.score += 10
		}
	}
	if !greedy {
		rt.score++
	}
	return rt, nil
}

// pathSegments splits an escaped path at its slashes: "/a/b%2Fc" is "a", "b%2Fc".
func pathSegments(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether a request matches the route, and returns the labels' values, in the
// order of the pattern's labels.
func (rt *route) match(method string, segs []string, query url.Values) ([]string, bool) {
	if method != rt.method {
		return nil, false
	}
	for _, kv := range rt.query {
		vs, ok := query[kv[0]]
		if !ok || kv[1] != "" && !slices.Contains(vs, kv[1]) {
			return nil, false
		}
	}
	var labels []string
	i := 0 // in segs
	for j, ps := range rt.segs {
		if ps.greedy {
			rest := len(rt.segs) - j - 1 // pattern segments after the greedy label
			n := len(segs) - i - rest
			if n < 1 {
				return nil, false
			}
			parts := make([]string, n)
			for k := range n {
				u, err := url.PathUnescape(segs[i+k])
				if err != nil {
					return nil, false
				}
				parts[k] = u
			}
			labels = append(labels, strings.Join(parts, "/"))
			i += n
			continue
		}
		if i >= len(segs) {
			return nil, false
		}
		u, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		if ps.label != "" {
			if u == "" {
				return nil, false
			}
			labels = append(labels, u)
		} else if u != ps.lit {
			return nil, false
		}
		i++
	}
	return labels, i == len(segs)
}

// label returns the value of the label named in a match's values.
func (rt *route) label(values []string, name string) (string, bool) {
	n := 0
	for _, s := range rt.segs {
		if s.label == "" {
			continue
		}
		if s.label == name {
			return values[n], true
		}
		n++
	}
	return "", false
}
