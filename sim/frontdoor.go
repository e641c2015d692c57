package sim

import (
	"context"
	"errors"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// maxBody is the largest request body the query services take; AWS's limit is near it.
const maxBody = 8 << 20

// request is one call on its way through the front door.
type request struct {
	svc    *service
	op     string
	in     any
	caller *core.Caller
	region string
}

// response is what the front door answers.
type response struct {
	status    int
	header    http.Header // S3's: every header of the response; nil for the query services
	body      []byte
	requestID string
}

// headers returns the response's headers: S3's own, or for the query services the content
// type and request ID.
func (resp *response) headers() http.Header {
	if resp.header != nil {
		return resp.header
	}
	return http.Header{
		"Content-Type":     {"text/xml"},
		"X-Amzn-Requestid": {resp.requestID},
		"Content-Length":   {strconv.Itoa(len(resp.body))},
	}
}

// ServeHTTP is the simulator's only entry: route, authenticate, decode, authorize, call,
// encode — the order AWS takes.
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp := c.handle(r)
	h := w.Header()
	if resp.header != nil {
		maps.Copy(h, resp.header)
	} else {
		h.Set("Content-Type", "text/xml")
		h.Set("X-Amzn-Requestid", resp.requestID)
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

// handle answers r, reading its body (which it does not close).
func (c *Cloud) handle(r *http.Request) response {
	if isS3(r) {
		return c.handleS3(r)
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1)); err != nil {
			return c.fail(nil, r, core.Errorf("InternalFailure", "reading the request body: %v", err))
		}
	}
	if len(body) > maxBody {
		return c.fail(nil, r, core.Errorf("RequestEntityTooLarge", "Request body must be %d bytes or less.", maxBody))
	}
	form, ferr := formOf(r, body)
	auth, err := sigv4.Parse(r)
	if err != nil {
		svc := c.guessService(r, form)
		var se *sigv4.Error
		if errors.As(err, &se) && svc != nil {
			return c.fail(svc, r, authError(svc, se))
		}
		return c.fail(svc, r, core.Errorf("MissingAuthenticationToken", "Request is missing Authentication Token"))
	}
	svc := c.services[auth.Service]
	if svc == nil {
		return c.fail(nil, r, core.Errorf("NotImplemented", "The simulator does not serve the %q service.", auth.Service))
	}
	if ferr != nil {
		return c.fail(svc, r, ferr)
	}

	caller, err := c.authenticate(r, body, auth, svc)
	if err != nil {
		return c.fail(svc, r, err)
	}

	op := form.Get("Action")
	if op == "" {
		return c.fail(svc, r, core.Errorf("MissingAction", "Missing Action"))
	}
	if v := form.Get("Version"); v != "" && v != svc.codec.Version() {
		return c.fail(svc, r, core.Errorf("InvalidAction", "Could not find operation %s for version %s", op, v))
	}
	req := &request{svc: svc, op: op, caller: caller, region: auth.Region}
	ctx := core.WithRegion(core.WithCaller(r.Context(), caller), auth.Region)

	o, ok := svc.ops[op]
	if !ok {
		if !svc.codec.HasOperation(op) {
			return c.fail(svc, r, core.Errorf("InvalidAction", "Could not find operation %s for version %s", op, svc.codec.Version()))
		}
		// An operation AWS has and the simulator does not: authorized as AWS would, then refused by name.
		if err := c.authorize(ctx, req); err != nil {
			return c.fail(svc, r, err)
		}
		return c.fail(svc, r, core.Errorf("NotImplemented", "The simulator does not implement %s:%s yet.", svc.name, op))
	}
	in := reflect.New(o.in.Elem())
	if err := svc.codec.Decode(form, in.Interface()); err != nil {
		return c.fail(svc, r, decodeError(err))
	}
	req.in = in.Interface()
	if err := c.authorize(ctx, req); err != nil {
		return c.fail(svc, r, err)
	}
	if dryRun(in) {
		return c.fail(svc, r, core.Errorf("DryRunOperation", "Request would have succeeded, but DryRun flag is set."))
	}
	out := o.fn.Call([]reflect.Value{reflect.ValueOf(ctx), in})
	if err, _ := out[1].Interface().(error); err != nil {
		return c.fail(svc, r, err)
	}
	id := c.ids.RequestID()
	b, err := svc.codec.EncodeResult(nil, op, out[0].Interface(), id)
	if err != nil {
		return c.fail(svc, r, core.Errorf("InternalFailure", "encoding the %s response: %v", op, err))
	}
	return response{status: http.StatusOK, body: b, requestID: id}
}

// formOf returns the request's parameters: the query string and, for a form-encoded body,
// the body's.
func formOf(r *http.Request, body []byte) (url.Values, error) {
	form, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, core.Errorf("MalformedQueryString", "The query string is malformed: %v", err)
	}
	if len(body) == 0 {
		return form, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" && ct != "" {
		return form, nil
	}
	bf, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, core.Errorf("MalformedQueryString", "The request body is not well-formed form data: %v", err)
	}
	for k, v := range bf {
		form[k] = append(form[k], v...)
	}
	return form, nil
}

// guessService names the service of a request that carries no usable signature, so that
// its error is written in that service's protocol: by the API version, then by the host.
func (c *Cloud) guessService(r *http.Request, form url.Values) *service {
	if form != nil {
		for _, s := range c.services {
			if form.Get("Version") == s.codec.Version() {
				return s
			}
		}
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		return c.services[host[:i]]
	}
	return c.services["sts"]
}

// authenticate resolves the access key to a caller and checks the signature.
func (c *Cloud) authenticate(r *http.Request, body []byte, auth *sigv4.Auth, svc *service) (*core.Caller, error) {
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	caller, secret, verify, err := c.identity.Authenticate(root, auth.AccessKeyID, auth.SessionToken)
	if err != nil {
		var ae iamsim.AuthError
		errors.As(err, &ae)
		return nil, credentialError(svc, ae)
	}
	if verify {
		// Clients sign with the wall clock, so a signature is checked against it; a presigned
		// URL also ages with the simulator's clock, so that Advance expires it.
		now := time.Now()
		if auth.Presigned {
			now = now.Add(c.clock.Offset())
		}
		if err := sigv4.Verify(r, body, auth, secret, now); err != nil {
			var se *sigv4.Error
			if errors.As(err, &se) {
				return nil, authError(svc, se)
			}
			return nil, err
		}
	}
	// IAM refuses GetSessionToken credentials without MFA, and the simulator has no MFA.
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
	if caller.FromSessionToken && svc.name == "iam" {
		return nil, credentialError(svc, iamsim.BadToken)
	}
	if caller.Kind == core.User {
		c.identity.RecordUse(auth.AccessKeyID, svc.name, auth.Region)
	}
	caller.SourceIP = sourceIP(r)
	caller.Secure = r.TLS != nil || r.URL.Scheme == "https"
	return caller, nil
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || host == "" {
		return "127.0.0.1"
	}
	return host
}

// credentialError is each service's answer to an access key or token it does not accept.
func credentialError(svc *service, e iamsim.AuthError) error {
	if svc.name == "ec2" {
		if e == iamsim.ExpiredToken {
			return core.Errorf("RequestExpired", "Request has expired.")
		}
		return core.Errorf("AuthFailure", "AWS was not able to validate the provided access credentials")
	}
	if e == iamsim.ExpiredToken {
		return core.Errorf("ExpiredToken", "The security token included in the request is expired")
	}
	return core.Errorf("InvalidClientTokenId", "The security token included in the request is invalid.")
}

func authError(svc *service, se *sigv4.Error) error {
	code, status := se.Code(svc.name)
	return &core.Error{Code: core.Code(code), Message: se.Message, Status: status}
}

func decodeError(err error) error {
	var qe *query.Error
	if errors.As(err, &qe) {
		return &core.Error{Code: core.Code(qe.Code), Message: qe.Message, Status: http.StatusBadRequest}
	}
	return core.Errorf("InternalFailure", "decoding the request: %v", err)
}

// dryRun reports whether an EC2 input asks for a dry run.
func dryRun(in reflect.Value) bool {
	f := in.Elem().FieldByName("DryRun")
	return f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Bool && f.Elem().Bool()
}

// fail encodes err in svc's protocol (awsQuery when the service is unknown).
func (c *Cloud) fail(svc *service, r *http.Request, err error) response {
	e := core.AsError(err)
	id := c.ids.RequestID()
	codec := query.STS
	if svc != nil {
		codec = svc.codec
	}
	return response{status: e.Status, body: codec.EncodeError(nil, string(e.Code), e.Message, id, e.Sender()), requestID: id}
}

// noAuthorization lists the actions AWS answers without consulting any policy.
var noAuthorization = map[string]bool{
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
	"sts:GetCallerIdentity": true,
	// "No permissions are required for users to perform this operation."
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
	"sts:GetSessionToken": true,
}

// authorize evaluates the caller's policies, and the resource's, for the request.
func (c *Cloud) authorize(ctx context.Context, req *request) error {
	action := req.svc.name + ":" + req.op
	if noAuthorization[action] || c.opts.noEnforce && req.caller.Kind != core.Anonymous {
		return nil
	}
	t := req.svc.target(req)
	if t.err != nil {
		return t.err
	}
	if req.caller.Kind == core.Root && !t.trust && len(t.policies) == 0 {
		return nil // the root user is allowed everything that no resource policy denies
	}
	pols, tags := c.identity.Policies(req.caller)
	pols.Resource = t.policies
	if req.caller.Kind == core.Root {
		pols.Identity = []policy.Attached{{Name: "root", Policy: rootPolicy}}
	}
	ctxValues := iamsim.Context(req.caller, tags, req.region, c.clock.Now())
	// Each resource the request acts on must be allowed, as AWS authorizes a request on several.
	for i := -1; i < len(t.also); i++ {
		arn := t.arn
		if i >= 0 {
			arn = t.also[i]
		}
		preq := &policy.Request{Principal: iamsim.Principal(req.caller), Action: action, Resource: arn, Context: ctxValues}
		d := policy.Evaluate(preq, &pols)
		if t.trust && d.Allowed() && !trustAllows(d) {
			d = policy.Decision{Effect: policy.ImplicitDeny, Missing: policy.TypeResource}
		}
		if d.Allowed() {
			continue
		}
		msg := d.Message(preq)
		if req.svc.deny == "UnauthorizedOperation" {
			msg = "You are not authorized to perform this operation. " + msg
		}
		return core.Errorf(core.Code(req.svc.deny), "%s", msg)
	}
	return nil
}

// rootPolicy stands for the root user's unlimited identity permissions when a resource policy
// must be evaluated too.
var rootPolicy = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.Identity)
