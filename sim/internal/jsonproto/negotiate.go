package jsonproto

import (
	"reflect"
	"slices"
	"strings"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Negotiate returns the protocol of a service that AWS serves in both Smithy RPC v2 CBOR and
// awsJson1.0 (CloudWatch): each request is read and answered in the one it speaks — rpcv2Cbor
// for a path /service/… or a Smithy-Protocol header, awsJson for an X-Amz-Target header (what
// the AWS CLI v1 sends CloudWatch: botocore's model lists both, and the CLI takes JSON) — and
// CBOR when it says neither. When the CBOR codec's service is @awsQueryCompatible, the JSON
// errors carry x-amzn-query-error too, from which botocore takes the code.
//
// others are protocols the service also speaks to older clients (CloudWatch's awsQuery, which
// its @awsQueryCompatible API still answers and Debian's AWS CLI v2 speaks): a request one of
// them recognizes is theirs.
func Negotiate(cbor *CBOR, json *Protocol, others ...service.Protocol) service.Protocol {
	return negotiated{cbor: cbor.Wire(), json: json.Wire(), others: others, queryCompatible: cbor.queryCompatible}
}

type negotiated struct {
	cbor, json      service.Protocol
	others          []service.Protocol
	queryCompatible bool
}

// pick returns the protocol r speaks.
func (n negotiated) pick(r *service.Request) service.Protocol {
	for _, o := range n.others {
		if o.Recognizes(r) != service.NotMine {
			return o
		}
	}
	h := r.HTTP.Header
	if h.Get("Smithy-Protocol") == "" && !strings.HasPrefix(r.HTTP.URL.Path, "/service/") &&
		(h.Get("X-Amz-Target") != "" || strings.HasPrefix(h.Get("Content-Type"), "application/x-amz-json-")) {
		return n.json
	}
	return n.cbor
}

func (n negotiated) Operation(r *service.Request) (string, error) { return n.pick(r).Operation(r) }
func (n negotiated) Decode(r *service.Request, in any) error      { return n.pick(r).Decode(r, in) }
func (n negotiated) Encode(r *service.Request, out any) (*service.Response, error) {
	return n.pick(r).Encode(r, out)
}
func (n negotiated) RequestID(ids *core.IDs) string { return n.cbor.RequestID(ids) }

func (n negotiated) Error(r *service.Request, e *core.Error) *service.Response {
	p := n.pick(r)
	resp := p.Error(r, e)
	if p == n.json && n.queryCompatible {
		fault := "Sender"
		if !e.Sender() {
			fault = "Receiver"
		}
		resp.Header.Set("X-Amzn-Query-Error", string(e.Code)+";"+fault)
	}
	return resp
}

func (n negotiated) Recognizes(r *service.Request) service.Recognition {
	best := max(n.cbor.Recognizes(r), n.json.Recognizes(r))
	for _, o := range n.others {
		best = max(best, o.Recognizes(r))
	}
	return best
}

// UnionMembers returns the member types of the unions of the services in internal/gen's
// list (sdk_gen.go), for another codec of one of them: CloudWatch's awsQuery
// (query.FromSchema).
func UnionMembers() []reflect.Type { return slices.Clone(unionMembers) }
