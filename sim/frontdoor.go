package sim

import (
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/service"
	"github.com/awsxlab/awsx/sim/internal/sigv2"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// The door's own refusals of a body.
const (
	requestEntityTooLarge core.Code = "RequestEntityTooLarge"
	entityTooLarge        core.Code = "EntityTooLarge"
	incompleteBody        core.Code = "IncompleteBody"
	requestTimeout        core.Code = "RequestTimeout"
	invalidArgument       core.Code = "InvalidArgument"
)

// ServeHTTP is the simulator's only entry: route, authenticate, decode, authorize, call,
// encode — the order AWS takes, the same for every service.
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A client that asked to be told to send its body waits for 100 Continue. Go's server
	// sends it when the body is first read, and never for an empty body: botocore, whose
	// next request on the connection then stalls for its read timeout, must hear it anyway.
	if r.ContentLength == 0 && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		w.WriteHeader(http.StatusContinue)
	}
	req, resp := c.handle(r)
	maps.Copy(w.Header(), resp.Header)
	if req.Body == nil && r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody && !drained(r) {
		// Refused before its body was read (or while it was), and the rest is large, held or
		// broken: answer at once and close the connection, as AWS does. (Go's server would
		// first try to read the rest, so a client holding its body would hear nothing.)
		w.Header().Set("Connection", "close")
	}
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// drainLimit is the most of an unread body the door reads past to keep the connection.
const drainLimit = 64 << 10

// drained reads what is left of a small body that the request was refused without reading
// (its signature, say), so that the connection can carry the client's next request; it
// reports whether the body ended. A body of unknown or larger length is not read.
func drained(r *http.Request) bool {
	if r.ContentLength < 0 || r.ContentLength > drainLimit {
		return false
	}
	n, err := io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit+1))
	return err == nil && n <= drainLimit
}

// handle answers r, reading its body (which it does not close) unless it is refused first.
func (c *Cloud) handle(r *http.Request) (*service.Request, *service.Response) {
	req := &service.Request{HTTP: r}
	resp := c.serve(req)
	if err := c.commit(false); err != nil {
		resp = c.fail(req, core.Errorf(core.InternalError, "The change could not be saved: %v", err))
	}
	c.record(req, resp)
	return req, resp
}

// serve takes req through the door. Every refusal is written by the service's protocol, or,
// before the service is known, by one that the request looks like.
func (c *Cloud) serve(req *service.Request) *service.Response {
	r := req.HTTP
	svc, v4, v2, err := c.route(req)
	req.Service = svc
	if err != nil {
		return c.fail(req, err)
	}
	if svc.IDFirst {
		c.withID(req)
	}
	if svc.State != nil {
		if err := c.needs(svc.State); err != nil {
			return c.fail(req, err)
		}
	}
	readBody, err := c.authenticate(req, v4, v2)
	if err != nil {
		return c.fail(req, err)
	}
	if svc.NoSessionTokenCallers && req.Caller.FromSessionToken && req.Caller.MFA.IsZero() {
		return c.fail(req, svc.Dialect.Credential(service.BadToken, req.Caller.AccessKeyID))
	}
	op, err := svc.Protocol.Operation(req)
	if err != nil {
		return c.fail(req, err)
	}
	req.Op = op
	if req.Caller.Kind == core.Anonymous && !svc.Anonymous && !svc.Unauthenticated && !svc.AnonymousOps[op] {
		return c.fail(req, svc.Dialect.Signature(sigv4.ErrNoAuth))
	}
	req.Authorize = c.authorizer(req)
	ctx := core.WithRegion(core.WithCaller(r.Context(), req.Caller), req.Region)

	in, ok := svc.Handler.Input(op)
	if !ok {
		// An operation AWS has and the simulator does not: authorized as AWS would, then
		// refused by name.
		if err := c.authorize(req, service.On()); err != nil {
			return c.fail(req, err)
		}
		return c.fail(req, core.Errorf(core.NotImplemented, "The simulator does not implement %s:%s yet.", svc.ActionPrefix(), op))
	}
	if err := svc.Protocol.Decode(req, in); err != nil {
		return c.fail(req, err)
	}
	req.In = in
	if err := c.authorizeRequest(req); err != nil {
		return c.fail(req, err)
	}
	if service.DryRun(in) {
		return c.fail(req, core.Errorf(service.DryRunOperation, "Request would have succeeded, but DryRun flag is set."))
	}
	if readBody != nil {
		// Allowed: now the body, and the input again with it.
		if err := readBody(); err != nil {
			return c.fail(req, err)
		}
		if err := svc.Protocol.Decode(req, in); err != nil {
			return c.fail(req, err)
		}
	}
	if resp, handled := c.inject(ctx, req); handled {
		return resp
	}
	out, err := svc.Handler.Call(ctx, op, in)
	if err != nil {
		return c.fail(req, err)
	}
	resp, err := svc.Protocol.Encode(c.withID(req), out)
	if err != nil {
		return c.fail(req, core.Errorf(core.InternalFailure, "encoding the %s response: %v", op, err))
	}
	return resp
}

// call runs an operation of another service for a service that builds on it, as the caller
// of ctx and authorized as the door authorizes: EC2 reads the parameter of resolve:ssm:NAME
// as the user who launches the instance.
func (c *Cloud) call(ctx context.Context, name, op string, in any) (any, error) {
	svc := c.registry.byName[name]
	if svc == nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator does not serve the %q service.", name)
	}
	if svc.State != nil {
		if err := c.needs(svc.State); err != nil {
			return nil, err
		}
	}
	req := &service.Request{Service: svc, Caller: core.CallerFrom(ctx), Region: core.RegionFrom(ctx), Op: op, In: in}
	req.Authorize = c.authorizer(req)
	if b, ok := in.(interface{ Bind(*service.Request) }); ok {
		b.Bind(req) // an S3 request made without HTTP (s3sim.InternalRequest) takes its caller
	}
	if err := c.authorizeRequest(req); err != nil {
		return nil, err
	}
	return svc.Handler.Call(ctx, op, in)
}

// route finds the service of r: one that claims its host (S3's buckets and websites), the
// service of its signature's credential scope, one whose protocol it speaks, or the service
// of unsigned requests. It returns the parsed signature too.
func (c *Cloud) route(req *service.Request) (*service.Service, *sigv4.Auth, *sigv2.Auth, error) {
	r := req.HTTP
	svc := c.registry.claim(r)
	if svc != nil && svc.Unauthenticated {
		return svc, nil, nil, nil
	}
	if v2svc := c.registry.sigV2(); v2svc != nil && (svc == nil || svc == v2svc) {
		if v2, ok, err := sigv2.Parse(r); ok {
			if err != nil {
				return v2svc, nil, nil, v2Error(err)
			}
			return v2svc, nil, v2, nil
		}
	}
	auth, err := sigv4.Parse(r)
	switch {
	case err == nil:
		if svc == nil {
			// AWS's endpoint for one service refuses a signature scoped to another.
			if h := c.registry.byAWSHost(r); h != nil && h.Name != auth.Service {
				return h, nil, nil, c.signatureError(h, auth.CheckScope(h.Name))
			}
			if svc = c.registry.byName[auth.Service]; svc == nil {
				return nil, nil, nil, c.unknownService(req, auth)
			}
		}
		return svc, auth, nil, nil
	case !errors.Is(err, sigv4.ErrNoAuth):
		if svc == nil {
			svc = c.registry.unsigned(req, c.readBody)
		}
		var se *sigv4.Error
		if errors.As(err, &se) {
			return svc, nil, nil, svc.Dialect.Signature(se)
		}
		return svc, nil, nil, err
	}
	if svc == nil {
		svc = c.registry.unsigned(req, c.readBody)
	}
	return svc, nil, nil, nil
}

// unknownService answers a request signed for a service the simulator does not have, as AWS
// answers one for a service it does not know at an endpoint: its key and signature are
// checked first, so that a stranger learns nothing; a caller who signed well is told the
// service is not simulated. Refusals are worded as the service the request looks like.
func (c *Cloud) unknownService(req *service.Request, auth *sigv4.Auth) error {
	like := c.registry.unsigned(req, c.readBody)
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	_, secret, verify, err := c.identity.Authenticate(root, auth.AccessKeyID, auth.SessionToken)
	if err != nil {
		return credentialError(like, err, auth.AccessKeyID)
	}
	if verify {
		if err := c.readBody(req); err != nil {
			return err
		}
		if err := sigv4.Verify(req.HTTP, req.Body, auth, secret, c.signingNow(auth.Presigned)); err != nil {
			return c.signatureError(like, err)
		}
	}
	return core.Errorf(core.NotImplemented, "The simulator does not serve the %q service.", auth.Service)
}

// authenticate resolves the caller of the request and checks its signature: SigV4 (in the
// Authorization header or presigned, with a session token, over an aws-chunked body whose
// every chunk is signed), SigV2 where the service takes it, or none, as the anonymous
// principal where the service allows one. It returns how to read the body: nil when it has
// read it already (the signature covers it, or the service decodes it before authorizing);
// else a function for after authorization (see [service.Service.LateBody]).
func (c *Cloud) authenticate(req *service.Request, v4 *sigv4.Auth, v2 *sigv2.Auth) (readBody func() error, err error) {
	r, svc := req.HTTP, req.Service
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	var (
		caller *core.Caller
		secret string
		verify bool
	)
	switch {
	case v4 != nil:
		if err := v4.CheckScope(svc.Name, svc.Regions...); err != nil {
			return nil, c.signatureError(svc, err)
		}
		caller, secret, verify, err = c.identity.Authenticate(root, v4.AccessKeyID, v4.SessionToken)
		if err != nil {
			return nil, credentialError(svc, err, v4.AccessKeyID)
		}
		req.Region, req.Auth = v4.Region, service.Auth{Version: 4, Presigned: v4.Presigned}
		if !verify {
			secret = "" // a key accepted without its secret (WithAnyAccessKey)
		}
		if svc.LateBody && v4.DeclaresPayload() {
			// The signature covers the declared payload hash: check it now, the body later.
			if secret != "" {
				if err := sigv4.VerifyHeaders(r, v4, secret, c.signingNow(v4.Presigned)); err != nil {
					return nil, c.signatureError(svc, err)
				}
			}
			readBody = func() error { return c.readDeclared(req, v4, secret) }
		} else if err := c.readSigned(req, v4, secret); err != nil {
			return nil, err
		}
	case v2 != nil:
		caller, secret, verify, err = c.identity.Authenticate(root, v2.AccessKeyID, v2.SessionToken)
		if err != nil {
			return nil, credentialError(svc, err, v2.AccessKeyID)
		}
		req.Auth = service.Auth{Version: 2, Presigned: v2.Presigned}
		if verify {
			if err := sigv2.Verify(r, v2, secret, svc.SigV2(r), c.signingNow(v2.Presigned)); err != nil {
				return nil, v2Error(err)
			}
		}
		readBody = func() error { return c.readBody(req) }
	default:
		if !svc.Anonymous && len(svc.AnonymousOps) == 0 {
			return nil, svc.Dialect.Signature(sigv4.ErrNoAuth)
		}
		caller = &core.Caller{Kind: core.Anonymous}
		readBody = func() error { return c.readBody(req) }
	}
	if readBody != nil && !svc.LateBody {
		if err := readBody(); err != nil {
			return nil, err
		}
		readBody = nil
	}
	if caller.Kind == core.User || caller.Kind == core.AssumedRole {
		c.identity.RecordUse(caller.AccessKeyID, svc.Name, req.Region)
	}
	caller.SourceIP = sourceIP(r)
	caller.Secure = r.TLS != nil || r.URL.Scheme == "https"
	req.Caller = caller
	return readBody, nil
}

// signatureError is the service's answer to a signature it refuses.
func (c *Cloud) signatureError(svc *service.Service, err error) error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return svc.Dialect.Signature(se)
	}
	return err
}

// credentialError is the service's answer to an access key or token it does not accept.
func credentialError(svc *service.Service, err error, key string) error {
	var ae iamsim.AuthError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae {
	case iamsim.ExpiredToken:
		return svc.Dialect.Credential(service.ExpiredToken, key)
	case iamsim.BadToken:
		return svc.Dialect.Credential(service.BadToken, key)
	}
	return svc.Dialect.Credential(service.UnknownKey, key)
}

// signingNow is the time a signature is checked against: clients sign with the wall clock; a
// presigned URL also ages with the simulator's clock, so that Advance expires it.
func (c *Cloud) signingNow(presigned bool) time.Time {
	now := time.Now()
	if presigned {
		now = now.Add(c.clock.Offset())
	}
	return now
}

// readSigned reads the body of a SigV4 request and checks the signature: a streaming
// request's seed signature before the body, each chunk's as it is read; any other's over the
// whole body.
func (c *Cloud) readSigned(req *service.Request, auth *sigv4.Auth, secret string) error {
	if !isStreaming(auth) {
		if err := c.readBody(req); err != nil {
			return err
		}
		return c.verify(req, req.Body, auth, secret)
	}
	if err := c.verify(req, nil, auth, secret); err != nil {
		return err
	}
	return c.readChunked(req, auth, secret)
}

// readDeclared reads the body of a request whose signature was checked over the payload hash
// it declared: an aws-chunked body checking each chunk's signature, any other checking that
// it has the declared hash.
func (c *Cloud) readDeclared(req *service.Request, auth *sigv4.Auth, secret string) error {
	if isStreaming(auth) {
		return c.readChunked(req, auth, secret)
	}
	if err := c.readBody(req); err != nil {
		return err
	}
	if err := sigv4.CheckPayload(auth, req.Body); err != nil {
		return c.signatureError(req.Service, err)
	}
	return nil
}

// readChunked reads an aws-chunked body, checking each chunk's signature (unless the key was
// taken without its secret) and the decoded length the request declared.
func (c *Cloud) readChunked(req *service.Request, auth *sigv4.Auth, secret string) error {
	svc := req.Service
	r := req.HTTP
	declared := r.ContentLength
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return core.Errorf(invalidArgument, "x-amz-decoded-content-length must be a non-negative integer")
		}
		declared = n
	}
	if declared > svc.Limit() {
		return c.tooLarge(svc, declared)
	}
	if r.Body == nil {
		return nil
	}
	cr, err := sigv4.NewChunkedReader(r.Body, auth, secret)
	if err != nil {
		return err
	}
	hash := bodyHash(svc)
	body, err := readAll(hashing(io.LimitReader(cr, svc.Limit()+1), hash), declared)
	hash.Close()
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) && se.Kind != sigv4.Incomplete {
			return svc.Dialect.Signature(se)
		}
		return bodyError(err)
	}
	if int64(len(body)) > svc.Limit() {
		return c.tooLarge(svc, int64(len(body)))
	}
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" && strconv.Itoa(len(body)) != v {
		return core.Errorf(incompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header")
	}
	req.Body, req.Trailer, req.BodyHash = body, cr.Trailer(), hash
	return nil
}

// verify checks a SigV4 signature, unless the key was taken without its secret.
func (c *Cloud) verify(req *service.Request, body []byte, auth *sigv4.Auth, secret string) error {
	if secret == "" {
		return nil
	}
	err := sigv4.Verify(req.HTTP, body, auth, secret, c.signingNow(auth.Presigned))
	var se *sigv4.Error
	if errors.As(err, &se) {
		return req.Service.Dialect.Signature(se)
	}
	return err
}

func isStreaming(a *sigv4.Auth) bool {
	switch a.PayloadHash {
	case sigv4.StreamingPayload, sigv4.StreamingPayloadTrailer, sigv4.StreamingUnsignedTrailer:
		return true
	}
	return false
}

// readBody reads the request's whole body, up to the service's limit (8 MiB before the
// service is known), once.
func (c *Cloud) readBody(req *service.Request) error {
	r := req.HTTP
	if req.Body != nil || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	limit := int64(service.DefaultMaxBody)
	if req.Service != nil {
		limit = req.Service.Limit()
	}
	if r.ContentLength > limit {
		return c.tooLarge(req.Service, r.ContentLength)
	}
	hash := bodyHash(req.Service)
	body, err := readAll(hashing(io.LimitReader(r.Body, limit+1), hash), r.ContentLength)
	hash.Close()
	if err != nil {
		return bodyError(err)
	}
	if int64(len(body)) > limit {
		return c.tooLarge(req.Service, int64(len(body)))
	}
	req.Body, req.BodyHash = body, hash
	return nil
}

// bodyError is the answer to a body that could not be read: one the client stopped sending
// for longer than the server waits (its read deadline passed: `awsx sim serve`'s progress
// limit) gets S3's RequestTimeout before the connection closes; one that ended early,
// IncompleteBody.
func bodyError(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return core.Errorf(requestTimeout, "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.")
	}
	return core.Errorf(incompleteBody, "The request body terminated unexpectedly")
}

// tooLarge refuses a body larger than the service takes, in S3's words for a service that
// takes objects.
func (c *Cloud) tooLarge(svc *service.Service, n int64) error {
	if svc == nil || svc.MaxBody == 0 {
		return core.Errorf(requestEntityTooLarge, "Request body must be %d bytes or less.", service.DefaultMaxBody)
	}
	return core.Errorf(entityTooLarge, "Your proposed upload exceeds the maximum allowed size").
		With("ProposedSize", strconv.FormatInt(n, 10)).With("MaxSizeAllowed", strconv.FormatInt(svc.MaxBody, 10))
}

// maxPrealloc is the most readAll reserves on a client's word: a body claimed larger grows
// as its bytes arrive, so a claim alone costs no memory.
const maxPrealloc = 1 << 20

// readAll is io.ReadAll for a body whose length the client declared (-1 when unknown),
// without its cost on large bodies: until an eighth of the claim has arrived, the bytes go
// into buffers of maxPrealloc, kept as they fill (a claim costs at most one, and what
// arrives no more than itself); then into one buffer of the declared length, where the
// first ones are copied once. The end of the claim is told from more bytes by a read into a
// small buffer, so that a body that ends where it said takes no more room: a 64 MiB body
// allocates 72 MiB, where appending to one buffer allocated 255. A claim smaller than
// maxPrealloc (most requests) gets a buffer one byte longer instead, for that read.
func readAll(r io.Reader, declared int64) ([]byte, error) {
	size := 512
	switch {
	case declared >= maxPrealloc:
		size = maxPrealloc
	case declared > 0:
		size = int(declared) + 1 // a byte more: the end of the body is heard without a probe
	}
	buf := make([]byte, 0, size)
	var full [][]byte // buffers filled before buf
	total := 0        // the bytes in full
	for {
		if len(buf) == cap(buf) {
			have := int64(total + len(buf))
			switch {
			case have == declared:
				var probe [512]byte
				n, err := readSome(r, probe[:])
				if n == 0 {
					return joined(full, total, buf), eof(err)
				}
				// More than it declared: the rest grows as io.ReadAll grows it.
				buf = append(joined(full, total, buf), probe[:n]...)
				full, total, declared = nil, 0, -1
			case declared > have && declared <= 8*have:
				// An eighth of the claim is in: room for all of it, at once.
				whole := make([]byte, 0, declared)
				for _, b := range full {
					whole = append(whole, b...)
				}
				buf, full, total = append(whole, buf...), nil, 0
			case declared > have:
				full, total = append(full, buf), total+len(buf)
				buf = make([]byte, 0, min(declared-have, maxPrealloc))
			default:
				buf = append(buf, 0)[:len(buf)]
			}
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return joined(full, total, buf), eof(err)
		}
	}
}

// readSome reads into p until it has a byte or an error.
func readSome(r io.Reader, p []byte) (int, error) {
	for {
		n, err := r.Read(p)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// eof is err with io.EOF, the end of the body, as no error.
func eof(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// joined returns the bytes of full and then of last in one slice, last's own when full is
// empty and last has room for them all.
func joined(full [][]byte, total int, last []byte) []byte {
	if len(full) == 0 {
		return last
	}
	out := make([]byte, 0, total+len(last))
	for _, b := range full {
		out = append(out, b...)
	}
	return append(out, last...)
}

func v2Error(err error) error {
	var e *sigv2.Error
	if errors.As(err, &e) {
		return &core.Error{Code: core.Code(e.Code), Message: e.Message, Status: e.Status}
	}
	return err
}

func sourceIP(r *http.Request) string {
	if r.RemoteAddr == "" {
		return "127.0.0.1" // in process: no address (and no error for SplitHostPort to make)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || host == "" {
		return "127.0.0.1"
	}
	return host
}

// fail writes err in the protocol of the request's service, or of a service the request
// looks like when none was found.
func (c *Cloud) fail(req *service.Request, err error) *service.Response {
	e := core.AsError(err)
	req.Err = e
	proto := c.registry.protocolFor(req)
	if req.ID == "" {
		req.ID = proto.RequestID(c.ids)
	}
	return proto.Error(req, e)
}

// withID gives req its request ID, drawn now if it has none yet.
func (c *Cloud) withID(req *service.Request) *service.Request {
	if req.ID == "" {
		req.ID = req.Service.Protocol.RequestID(c.ids)
	}
	return req
}

// authorizeRequest checks every access the request needs, as its service names them.
func (c *Cloud) authorizeRequest(req *service.Request) error {
	if req.Service.Public[req.Op] {
		return nil
	}
	if req.Service.Resources == nil {
		return c.authorize(req, service.On())
	}
	acc, err := req.Service.Resources(req)
	if err != nil {
		return err
	}
	return c.authorize(req, acc)
}

// authorize checks each access with req.Authorize; all must be allowed.
func (c *Cloud) authorize(req *service.Request, accesses []service.Access) error {
	for _, a := range accesses {
		if err := req.Authorize(a); err != nil {
			return err
		}
	}
	return nil
}

// evaluator checks the accesses of one request as IAM does within one account: the caller's
// identity policies (with its groups', boundaries and session policies) and the resource's
// policy; explicit deny wins, then any allow, else implicit deny. The root user is allowed
// what no resource policy denies; an anonymous caller only what a resource policy allows.
// The caller's policies are read once, for all of the request's accesses; the request's
// global condition keys once too, and only when a policy reads them or a denial's encoded
// message shows them.
type evaluator struct {
	c      *Cloud
	req    *service.Request
	loaded bool
	pols   policy.Policies
	tags   map[string]string
	now    time.Time
	base   policy.Context // nil until first needed
}

// authorizer returns the function that checks req's accesses.
func (c *Cloud) authorizer(req *service.Request) func(service.Access) error {
	e := &evaluator{c: c, req: req}
	return e.check
}

func (e *evaluator) check(a service.Access) error {
	req, caller := e.req, e.req.Caller
	if e.c.opts.noEnforce && caller.Kind != core.Anonymous {
		return nil
	}
	if caller.Kind == core.Root && a.Policy == nil && !a.Trust {
		return nil
	}
	if !e.loaded {
		e.loaded = true
		if caller.Kind != core.Anonymous {
			e.pols, e.tags = e.c.identity.Policies(caller)
		}
		if caller.Kind == core.Root {
			e.pols.Identity = []policy.Attached{{Name: "root", Policy: rootPolicy}}
		}
		e.now = e.c.clock.Now()
	}
	action := a.Action
	if action == "" {
		action = req.Service.ActionPrefix() + ":" + req.Op
	}
	pols := e.pols
	pols.Resource = nil
	if a.Policy != nil {
		pols.Resource = []policy.Attached{{Name: a.PolicyName, Policy: a.Policy}}
	}
	preq := &policy.Request{Principal: iamsim.Principal(caller), Action: action, Resource: a.Resource}
	if pols.ReadsContext() {
		preq.Context = e.context(a)
	}
	d := policy.Evaluate(preq, &pols)
	if a.Trust && d.Allowed() && !d.ResourceAllows {
		d = policy.Decision{Effect: policy.ImplicitDeny, Missing: policy.TypeResource}
	}
	req.Decisions = append(req.Decisions, service.Decision{Action: action, Resource: a.Resource, Decision: d})
	if d.Allowed() {
		return nil
	}
	denied := req.Service.Dialect.Denied(d.Message(preq), caller.Kind == core.Anonymous, a.Resource)
	if req.Service.Dialect.EncodesDenial(action) {
		if preq.Context == nil {
			preq.Context = e.context(a) // the encoded message lists the request's condition keys
		}
		denied.Message += " Encoded authorization failure message: " + e.c.identity.EncodeAuthorizationMessage(caller, preq, d)
	}
	return denied
}

// context returns the condition keys of access a: the request's global ones, with the
// access's own.
func (e *evaluator) context(a service.Access) policy.Context {
	if e.base == nil {
		e.base = iamsim.Context(e.req.Caller, e.tags, e.req.Region, e.now)
	}
	if len(a.Context) == 0 {
		return e.base
	}
	ctx := maps.Clone(e.base)
	for k, v := range a.Context {
		ctx[strings.ToLower(k)] = []string{v}
	}
	return ctx
}

// rootPolicy stands for the root user's unlimited identity permissions when a resource policy
// must be evaluated too.
var rootPolicy = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.Identity)
