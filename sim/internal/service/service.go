package service

import (
	"context"
	"fmt"
	"hash"
	"net/http"
	"reflect"
	"sync"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Service is one simulated service as the door sees it. Its fields are set once, when the
// simulator is built, and read concurrently afterwards.
type Service struct {
	// Name is the service's signing name, the service of a SigV4 credential scope: "iam",
	// "s3", "ssm". It is also its IAM action prefix unless Prefix says otherwise.
	Name string
	// Prefix is the IAM action prefix when it differs from Name.
	Prefix string
	// Protocol reads requests and writes answers.
	Protocol Protocol
	// Handler runs the operations.
	Handler Handler
	// Resources names what a decoded request acts on; nil means the action on "*".
	Resources func(*Request) ([]Access, error)
	// Dialect words credential and signature refusals and the refusal of an authorization.
	Dialect Dialect
	// State is the service's persisted state (services that share a store name the same
	// one: STS IAM's). It is saved as the part named after the first service registered with
	// it, and read from disk before the first request that needs it.
	State State
	// Public lists operations AWS answers without consulting any policy
	// (sts:GetCallerIdentity).
	Public map[string]bool
	// Anonymous reports whether unsigned requests are taken, as the anonymous principal.
	Anonymous bool
	// AnonymousOps lists the operations that take unsigned requests, as the anonymous
	// principal, when Anonymous is false (STS's AssumeRoleWithWebIdentity, whose token is the
	// credential); the service's other operations refuse them as unsigned.
	AnonymousOps map[string]bool
	// SigV2, when set, takes Signature Version 2 (S3 only): it returns the bucket the host
	// names, which the string to sign includes.
	SigV2 func(r *http.Request) (hostBucket string)
	// Unauthenticated reports whether every request is taken as anonymous, whatever it
	// carries (S3's website endpoints).
	Unauthenticated bool
	// NoSessionTokenCallers refuses credentials made by GetSessionToken, as IAM does without MFA.
	NoSessionTokenCallers bool
	// MaxBody is the largest request body taken; 0 means 8 MiB.
	MaxBody int64
	// LateBody reports whether the service's requests are routed, decoded and authorized from
	// their headers, their bodies read only once they are allowed (S3, whose signature
	// declares the payload's hash in a header): an unauthorized upload is refused unread.
	// Decode runs again once the body is read.
	LateBody bool
	// BodyHash is the hash the service takes of every request body it reads (S3's MD5, for
	// ETags and Content-MD5); nil for none. The door hashes a body as it reads it, into
	// [Request.BodyHash].
	BodyHash func() hash.Hash
	// Regions are the regions a signature may be scoped to (IAM's is us-east-1 alone); nil
	// takes any.
	Regions []string
	// Claims reports whether the service answers r by its host or path alone, before any
	// signature is read (S3's virtual-hosted buckets); nil claims nothing.
	Claims func(r *http.Request) bool
	// IDFirst draws the request ID as the request arrives rather than as it is answered, so
	// the operation can use it (S3's website pages show it).
	IDFirst bool
	// Fallback marks the service that answers an unsigned request no other service claims
	// and that is not a query API call (an anonymous GET of an object, path-style).
	Fallback bool
}

// DefaultMaxBody is the largest request body a service takes unless it says otherwise.
const DefaultMaxBody = 8 << 20

// ActionPrefix returns the IAM action prefix of the service.
func (s *Service) ActionPrefix() string {
	if s.Prefix != "" {
		return s.Prefix
	}
	return s.Name
}

// Limit returns the largest request body the service takes.
func (s *Service) Limit() int64 {
	if s.MaxBody > 0 {
		return s.MaxBody
	}
	return DefaultMaxBody
}

// Handler runs a service's operations.
type Handler interface {
	// Input returns a new, empty input for op, and false when the service does not implement
	// op.
	Input(op string) (in any, ok bool)
	// Call runs op with an input from Input that the protocol has filled.
	Call(ctx context.Context, op string, in any) (out any, err error)
}

// Methods returns the Handler of impl's exported methods that have the SDK's shape,
// func(context.Context, *XInput) (*XOutput, error), by name: the operation PutParameter is
// the method PutParameter.
func Methods(impl any) Handler {
	m := methods{}
	v := reflect.ValueOf(impl)
	for i := range v.NumMethod() {
		ft := v.Type().Method(i).Type
		if ft.NumIn() != 3 || ft.NumOut() != 2 || ft.In(1) != ctxType || ft.Out(1) != errorType ||
			ft.In(2).Kind() != reflect.Pointer || ft.In(2).Elem().Kind() != reflect.Struct {
			continue
		}
		m[v.Type().Method(i).Name] = method{fn: v.Method(i), in: ft.In(2).Elem()}
	}
	return m
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	errorType = reflect.TypeFor[error]()
)

type methods map[string]method

type method struct {
	fn reflect.Value
	in reflect.Type // XInput
}

func (m methods) Input(op string) (any, bool) {
	me, ok := m[op]
	if !ok {
		return nil, false
	}
	return reflect.New(me.in).Interface(), true
}

func (m methods) Call(ctx context.Context, op string, in any) (any, error) {
	me, ok := m[op]
	if !ok || reflect.TypeOf(in) != reflect.PointerTo(me.in) {
		return nil, fmt.Errorf("service: no method %s for %T", op, in)
	}
	out := me.fn.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(in)})
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	return out[0].Interface(), nil
}

// DryRunOperation is EC2's answer to a request whose DryRun flag is set and that would have
// been allowed.
const DryRunOperation core.Code = "DryRunOperation"

// DryRun reports whether in asks for a dry run: a DryRun *bool field set to true, as EC2's
// inputs have.
func DryRun(in any) bool {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return false
	}
	index := dryRunField(v.Elem().Type())
	if index == nil {
		return false
	}
	f, err := v.Elem().FieldByIndexErr(index)
	return err == nil && !f.IsNil() && f.Elem().Bool()
}

// dryRunFields holds, per input type, the index of its DryRun *bool field (nil for none), so
// that no request looks the field up by name.
var dryRunFields sync.Map // reflect.Type → []int

func dryRunField(t reflect.Type) []int {
	if i, ok := dryRunFields.Load(t); ok {
		return i.([]int)
	}
	var index []int
	if f, ok := t.FieldByName("DryRun"); ok && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool {
		index = f.Index
	}
	dryRunFields.Store(t, index)
	return index
}

// State is a service's persisted state. Generation changes with every change and never on a
// read, so that only what changed is written.
type State interface {
	MarshalJSON() ([]byte, error)
	UnmarshalJSON([]byte) error
	Generation() uint64
}

// Blobs keeps large bodies outside a state's parts, named by ref: content-addressed and
// immutable, each durable once PutBlob returns. Package durable's Dir is one.
type Blobs interface {
	PutBlob(data []byte) (ref string, err error)
	ReadBlob(ref string) ([]byte, error)
}

// BlobKeeper is a State that can keep its bodies (S3's objects) as [Blobs], so that its
// parts hold refs and a change writes what it changes, not every body. Whoever keeps the
// parts also collects the blobs no part references any more, with LiveBlobs.
type BlobKeeper interface {
	State
	// UseBlobs makes the state read bodies from b and, unless readOnly, write each new body
	// to b before the change that brings it is made. It moves to b the bodies the state holds
	// in memory (loaded from a part that held them inline), changing the Generation if there
	// were any. With readOnly, new bodies stay in memory.
	UseBlobs(b Blobs, readOnly bool) error
	// Garbage counts the refs the state has let go of since it was made: while it has not
	// grown, there is nothing to collect.
	Garbage() uint64
	// LiveBlobs returns the state's Generation and a function that reports whether a ref is
	// referenced by the state as of that generation, by a change in progress or by the state
	// as it is when the function is called. It is meant for one collection, from one goroutine.
	LiveBlobs() (live func(ref string) bool, gen uint64)
}
