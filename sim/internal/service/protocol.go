package service

import (
	"net/http"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Protocol is a wire protocol — awsQuery, ec2query, awsJson1.1, restXml — as one service
// speaks it: how to name the operation of a request, fill the SDK's input from it, and write
// an output or an error as the SDK's client reads them. A Protocol is safe for concurrent use.
type Protocol interface {
	// Operation names the operation of an authenticated request whose body is read. Its
	// error is the protocol's own answer to a request that names no operation of the API
	// (InvalidAction, UnknownOperationException, MethodNotAllowed).
	Operation(r *Request) (string, error)
	// Decode fills in, the handler's input for r.Op, from the request.
	Decode(r *Request, in any) error
	// Encode writes the answer of a successful call.
	Encode(r *Request, out any) (*Response, error)
	// Error writes e as the protocol's error document.
	Error(r *Request, e *core.Error) *Response
	// RequestID returns a new request ID of the shape the service uses.
	RequestID(ids *core.IDs) string
	// Recognizes reports whether an unsigned request, or one for a service the simulator
	// does not have, is one of this service's or at least of this protocol (an X-Amz-Target
	// header for awsJson, a form with an Action for the query protocols): so that it is
	// refused in a format its client reads.
	Recognizes(r *Request) Recognition
}

// Request is one call on its way through the door. The door fills it step by step: the
// service and the body when routed, the caller once authenticated, the operation and input
// once decoded. Services read it; only the protocol writes Scratch.
type Request struct {
	HTTP    *http.Request
	Body    []byte      // the whole body, aws-chunked framing removed
	Trailer http.Header // the trailing headers of an aws-chunked body
	Service *Service
	Caller  *core.Caller
	Region  string // the region the request was signed for; "" when unsigned
	Auth    Auth
	ID      string // the request ID

	// BodyHash is Body's hash by the service's [Service.BodyHash], taken as the door read it;
	// nil when the service takes none or the body was read before the service was known.
	BodyHash *Digest

	Op string
	In any

	// Authorize checks one more access with the door's own evaluation, for checks an
	// operation can only make as it runs (each key of S3's DeleteObjects).
	Authorize func(Access) error

	// Scratch is the protocol's own parse of the request (a query form), kept between
	// Operation and Decode.
	Scratch any

	// Decisions are the authorization's evaluations, in order, for the call log.
	Decisions []Decision
	// Err is the error the request was answered with, if any.
	Err *core.Error
	// Injected reports whether a test's fault answered the request.
	Injected bool
}

// Decision is one access as it was evaluated.
type Decision struct {
	Action, Resource string
	policy.Decision
}

// Auth says how a request was signed.
type Auth struct {
	Version   int  // 0 unsigned, 2 or 4
	Presigned bool // query-string authentication
}

// Response is what the door writes back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Recognition is how surely a request belongs to a service, by its shape alone.
type Recognition int

const (
	NotMine    Recognition = iota
	MyProtocol             // the protocol's shape, but nothing names this service
	Mine                   // the shape and the service's own mark (its API version, target prefix)
)

// Lazy returns a Protocol that is made by make on its first use, so that a service whose
// protocol takes a while to build (reflection over a large SDK client) costs nothing to a
// program that never calls it.
func Lazy(make func() Protocol) Protocol { return lazy(make) }

type lazy func() Protocol

func (l lazy) Operation(r *Request) (string, error)          { return l().Operation(r) }
func (l lazy) Decode(r *Request, in any) error               { return l().Decode(r, in) }
func (l lazy) Encode(r *Request, out any) (*Response, error) { return l().Encode(r, out) }
func (l lazy) Error(r *Request, e *core.Error) *Response     { return l().Error(r, e) }
func (l lazy) RequestID(ids *core.IDs) string                { return l().RequestID(ids) }
func (l lazy) Recognizes(r *Request) Recognition             { return l().Recognizes(r) }
