package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/iamsim"
	"github.com/awsxlab/awsx/sim/internal/s3sim"
	"github.com/awsxlab/awsx/sim/internal/sigv2"
	"github.com/awsxlab/awsx/sim/internal/sigv4"
)

// defaultMaxObjectSize is the largest request body S3 takes here by default: objects are kept
// in memory. AWS takes 5 GiB in one PUT; larger objects here go through multipart uploads,
// whose parts each fit.
const defaultMaxObjectSize = 1 << 30

// WithMaxObjectSize sets the largest body one S3 request may carry (a PutObject, an
// UploadPart), 1 GiB by default; larger ones are refused with EntityTooLarge.
func WithMaxObjectSize(bytes int64) Option { return func(o *options) { o.maxObject = bytes } }

// isS3 reports whether r is for S3: its host is one of S3's, its signature is scoped to
// S3, or it carries no signature and is not a query API call (no Action), as an anonymous
// GET of an object is.
func isS3(r *http.Request) bool {
	if s3sim.ParseHost(hostOf(r)).S3 {
		return true
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "AWS ") {
		return true // Signature Version 2, which only S3 takes
	}
	if svc, ok := scopeService(r); ok {
		return svc == "s3"
	}
	if r.URL != nil && strings.Contains(r.URL.RawQuery, "Action=") {
		return false
	}
	ct := r.Header.Get("Content-Type")
	return !(r.Method == http.MethodPost && strings.HasPrefix(ct, "application/x-www-form-urlencoded"))
}

func hostOf(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// scopeService returns the service of the request's credential scope, and whether the
// request is signed at all.
func scopeService(r *http.Request) (string, bool) {
	cred := ""
	if a := r.Header.Get("Authorization"); a != "" {
		_, after, ok := strings.Cut(a, "Credential=")
		if !ok {
			return "", true
		}
		cred, _, _ = strings.Cut(after, ",")
	} else if r.URL != nil && strings.Contains(r.URL.RawQuery, "X-Amz-Credential") {
		cred = r.URL.Query().Get("X-Amz-Credential")
	} else {
		return "", false
	}
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 {
		return "", true
	}
	return parts[3], true
}

// s3IDs returns a request ID of S3's shape (16 upper-case hex digits) and its host ID.
func (c *Cloud) s3IDs() (requestID, hostID string) {
	id := strings.ToUpper(strings.ReplaceAll(c.ids.RequestID(), "-", ""))[:16]
	a := sha256.Sum256([]byte("host " + id))
	b := sha256.Sum256(a[:])
	return id, base64.StdEncoding.EncodeToString(append(a[:], b[:24]...))
}

// handleS3 is the front door's path for S3, whose operations are named by method, path and
// query and whose bodies may be large: authenticate, read the body (unwrapping aws-chunked),
// then hand over to package s3sim, which routes, authorizes with the caller's policies and
// the bucket policy, and runs the operation.
func (c *Cloud) handleS3(r *http.Request) response {
	requestID, hostID := c.s3IDs()
	ep := s3sim.ParseHost(hostOf(r))
	path := "/"
	if r.URL != nil {
		path = r.URL.Path
	}
	target := s3sim.TargetOf(ep, path)
	fail := func(err error) response { return s3Failure(r, s3sim.AsError(err), requestID, hostID) }

	if ep.Website {
		return c.serveWebsite(r, target, requestID, hostID)
	}
	caller, auth, secret, err := c.authenticateS3(r)
	if err != nil {
		return fail(err)
	}
	body, trailer, err := c.readS3Body(r, auth, secret)
	if err != nil {
		return fail(err)
	}
	if auth != nil && !isStreaming(auth) {
		if err := c.verify(r, body, auth, secret); err != nil {
			return fail(err)
		}
	}
	region := ""
	if auth != nil {
		region = auth.Region
	}
	ctx := core.WithRegion(core.WithCaller(r.Context(), caller), region)
	query := r.URL.Query()
	req := &s3sim.Request{
		Method: r.Method, Target: target, Query: query, Header: r.Header, Trailer: trailer, Body: body,
		Region: region, Caller: caller, Authorize: c.s3Authorizer(caller, region, auth),
	}
	resp, err := c.buckets.Serve(ctx, req)
	if err != nil {
		return fail(err)
	}
	return s3Success(r, resp, requestID, hostID)
}

// serveWebsite answers a request to a static website endpoint: anonymous, whatever it
// carries.
func (c *Cloud) serveWebsite(r *http.Request, t s3sim.Target, requestID, hostID string) response {
	caller := &core.Caller{Kind: core.Anonymous, SourceIP: sourceIP(r), Secure: r.TLS != nil}
	if r.Body != nil {
		io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
	}
	req := &s3sim.Request{Method: r.Method, Target: t, Query: r.URL.Query(), Header: r.Header, Caller: caller,
		Authorize: c.s3Authorizer(caller, "", nil)}
	resp := c.buckets.ServeWebsite(r.Context(), req, requestID, hostID)
	return s3Success(r, resp, requestID, hostID)
}

func isStreaming(a *sigv4.Auth) bool {
	switch a.PayloadHash {
	case sigv4.StreamingPayload, sigv4.StreamingPayloadTrailer, sigv4.StreamingUnsignedTrailer:
		return true
	}
	return false
}

// authenticateS3 resolves the caller of an S3 request: anonymous when it carries no
// signature, else the owner of its access key. A streaming request's seed signature is
// checked here; others are checked once their body is read.
func (c *Cloud) authenticateS3(r *http.Request) (*core.Caller, *sigv4.Auth, string, error) {
	if v2, ok, err := sigv2.Parse(r); ok {
		if err != nil {
			return nil, nil, "", v2Error(err)
		}
		caller, err := c.authenticateV2(r, v2)
		return caller, nil, "", err
	}
	auth, err := sigv4.Parse(r)
	if errors.Is(err, sigv4.ErrNoAuth) {
		return &core.Caller{Kind: core.Anonymous, SourceIP: sourceIP(r), Secure: r.TLS != nil || r.URL.Scheme == "https"}, nil, "", nil
	}
	var se *sigv4.Error
	if errors.As(err, &se) {
		return nil, nil, "", s3AuthError(se)
	}
	if err != nil {
		return nil, nil, "", err
	}
	if err := auth.CheckScope("s3"); err != nil {
		errors.As(err, &se)
		return nil, nil, "", s3AuthError(se)
	}
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	caller, secret, verify, err := c.identity.Authenticate(root, auth.AccessKeyID, auth.SessionToken)
	if err != nil {
		var ae iamsim.AuthError
		errors.As(err, &ae)
		switch ae {
		case iamsim.ExpiredToken:
			return nil, nil, "", &core.Error{Code: "ExpiredToken", Message: "The provided token has expired.", Status: http.StatusBadRequest}
		case iamsim.BadToken:
			return nil, nil, "", &core.Error{Code: "InvalidToken", Message: "The provided token is malformed or otherwise invalid.", Status: http.StatusBadRequest}
		}
		return nil, nil, "", s3sim.InvalidAccessKeyID(auth.AccessKeyID)
	}
	if !verify {
		secret = ""
	}
	if verify && isStreaming(auth) {
		if err := c.verify(r, nil, auth, secret); err != nil {
			return nil, nil, "", err
		}
	}
	if caller.Kind == core.User {
		c.identity.RecordUse(auth.AccessKeyID, "s3", auth.Region)
	}
	caller.SourceIP = sourceIP(r)
	caller.Secure = r.TLS != nil || r.URL.Scheme == "https"
	return caller, auth, secret, nil
}

// authenticateV2 resolves and checks a request signed with Signature Version 2.
func (c *Cloud) authenticateV2(r *http.Request, a *sigv2.Auth) (*core.Caller, error) {
	root := iamsim.Root{AccessKeyID: c.opts.rootKey, Secret: c.opts.rootSecret, AcceptAny: c.opts.anyKey}
	caller, secret, verify, err := c.identity.Authenticate(root, a.AccessKeyID, a.SessionToken)
	if err != nil {
		var ae iamsim.AuthError
		errors.As(err, &ae)
		switch ae {
		case iamsim.ExpiredToken:
			return nil, &core.Error{Code: "ExpiredToken", Message: "The provided token has expired.", Status: http.StatusBadRequest}
		case iamsim.BadToken:
			return nil, &core.Error{Code: "InvalidToken", Message: "The provided token is malformed or otherwise invalid.", Status: http.StatusBadRequest}
		}
		return nil, s3sim.InvalidAccessKeyID(a.AccessKeyID)
	}
	if verify {
		now := time.Now()
		if a.Presigned {
			now = now.Add(c.clock.Offset())
		}
		if err := sigv2.Verify(r, a, secret, s3sim.ParseHost(hostOf(r)).Bucket, now); err != nil {
			return nil, v2Error(err)
		}
	}
	if caller.Kind == core.User {
		c.identity.RecordUse(a.AccessKeyID, "s3", "")
	}
	caller.SourceIP = sourceIP(r)
	caller.Secure = r.TLS != nil || r.URL.Scheme == "https"
	return caller, nil
}

func v2Error(err error) error {
	var e *sigv2.Error
	if errors.As(err, &e) {
		return &core.Error{Code: core.Code(e.Code), Message: e.Message, Status: e.Status}
	}
	return err
}

// verify checks the signature of r against the wall clock, or for a presigned URL against
// the simulator's clock too, so that Advance expires it.
func (c *Cloud) verify(r *http.Request, body []byte, auth *sigv4.Auth, secret string) error {
	if secret == "" {
		return nil // a key accepted without its secret (WithAnyAccessKey)
	}
	now := time.Now()
	if auth.Presigned {
		now = now.Add(c.clock.Offset())
	}
	if err := sigv4.Verify(r, body, auth, secret, now); err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return s3AuthError(se)
		}
		return err
	}
	return nil
}

func s3AuthError(se *sigv4.Error) error {
	code, status := se.Code("s3")
	return &core.Error{Code: core.Code(code), Message: se.Message, Status: status}
}

// readS3Body reads the body of an S3 request, up to the largest object size: an aws-chunked
// body through sigv4's ChunkedReader, which checks each chunk's signature and returns the
// trailing headers.
func (c *Cloud) readS3Body(r *http.Request, auth *sigv4.Auth, secret string) ([]byte, http.Header, error) {
	if r.Body == nil {
		return nil, nil, nil
	}
	limit := c.opts.maxObject
	tooLarge := func(n int64) error {
		return s3sim.EntityTooLarge(n, limit)
	}
	declared := r.ContentLength
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, nil, &core.Error{Code: "InvalidArgument", Message: "x-amz-decoded-content-length must be a non-negative integer", Status: http.StatusBadRequest}
		}
		declared = n
	}
	if declared > limit {
		return nil, nil, tooLarge(declared)
	}
	var src io.Reader = r.Body
	var cr *sigv4.ChunkedReader
	if auth != nil && isStreaming(auth) {
		var err error
		if cr, err = sigv4.NewChunkedReader(r.Body, auth, secret); err != nil {
			return nil, nil, err
		}
		src = cr
	}
	var buf []byte
	if declared > 0 {
		buf = make([]byte, 0, declared)
	}
	body, err := readAll(io.LimitReader(src, limit+1), buf)
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			if se.Kind == sigv4.Incomplete {
				return nil, nil, &core.Error{Code: "IncompleteBody", Message: "The request body terminated unexpectedly", Status: http.StatusBadRequest}
			}
			return nil, nil, s3AuthError(se)
		}
		return nil, nil, &core.Error{Code: "IncompleteBody", Message: "The request body terminated unexpectedly", Status: http.StatusBadRequest}
	}
	if int64(len(body)) > limit {
		return nil, nil, tooLarge(int64(len(body)))
	}
	if cr == nil {
		return body, nil, nil
	}
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" && strconv.Itoa(len(body)) != v {
		return nil, nil, &core.Error{Code: "IncompleteBody", Message: "You did not provide the number of bytes specified by the Content-Length HTTP header", Status: http.StatusBadRequest}
	}
	return body, cr.Trailer(), nil
}

// readAll is io.ReadAll into buf, which may have room for the whole body already.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// s3Authorizer returns the function with which package s3sim checks each permission a
// request needs: the caller's identity policies and the bucket's policy, evaluated as IAM
// does within one account. The root user is allowed what no bucket policy denies; an
// anonymous caller only what a bucket policy allows.
func (c *Cloud) s3Authorizer(caller *core.Caller, region string, auth *sigv4.Auth) func(s3sim.Access) error {
	var (
		loaded bool
		pols   policy.Policies
		base   policy.Context
	)
	return func(a s3sim.Access) error {
		if c.opts.noEnforce && caller.Kind != core.Anonymous {
			return nil
		}
		if caller.Kind == core.Root && a.Policy == nil {
			return nil
		}
		if !loaded {
			loaded = true
			var tags map[string]string
			if caller.Kind != core.Anonymous {
				pols, tags = c.identity.Policies(caller)
			}
			if caller.Kind == core.Root {
				pols.Identity = []policy.Attached{{Name: "root", Policy: rootPolicy}}
			}
			base = iamsim.Context(caller, tags, region, c.clock.Now())
			if auth != nil {
				base["s3:signatureversion"] = []string{"AWS4-HMAC-SHA256"}
				base["s3:authtype"] = []string{"REST-HEADER"}
				if auth.Presigned {
					base["s3:authtype"] = []string{"REST-QUERY-STRING"}
				}
			}
		}
		p := pols
		p.Resource = nil
		if a.Policy != nil {
			p.Resource = []policy.Attached{{Name: "arn:aws:s3:::" + a.Bucket + " bucket policy", Policy: a.Policy}}
		}
		ctx := base
		if len(a.Context) > 0 {
			ctx = maps.Clone(base)
			for k, v := range a.Context {
				ctx[strings.ToLower(k)] = []string{v}
			}
		}
		preq := &policy.Request{Principal: iamsim.Principal(caller), Action: a.Action, Resource: a.Resource, Context: ctx}
		d := policy.Evaluate(preq, &p)
		if d.Allowed() {
			return nil
		}
		if caller.Kind == core.Anonymous {
			return &core.Error{Code: "AccessDenied", Message: "Access Denied", Status: http.StatusForbidden}
		}
		// S3 quotes the resource in its denials.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
		msg := d.Message(preq)
		if a.Resource != "*" {
			msg = strings.Replace(msg, " on resource: "+a.Resource, " on resource: \""+a.Resource+"\"", 1)
		}
		return &core.Error{Code: "AccessDenied", Message: msg, Status: http.StatusForbidden}
	}
}

// s3Success writes the headers every S3 response has.
func s3Success(r *http.Request, resp *s3sim.Response, requestID, hostID string) response {
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	h.Set("X-Amz-Request-Id", requestID)
	h.Set("X-Amz-Id-2", hostID)
	if h.Get("Content-Length") == "" && resp.Status != http.StatusNoContent && resp.Status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	h.Set("Server", "AmazonS3")
	body := resp.Body
	if r.Method == http.MethodHead {
		body = nil
	}
	return response{status: resp.Status, header: h, body: body, requestID: requestID}
}

// s3Failure renders an S3 error: its XML document, or for HEAD no body.
func s3Failure(r *http.Request, e *s3sim.Error, requestID, hostID string) response {
	h := http.Header{}
	maps.Copy(h, e.Header)
	var body []byte
	if r.Method != http.MethodHead {
		body = s3sim.ErrorBody(e, requestID, hostID)
		h.Set("Content-Type", "application/xml")
	}
	resp := &s3sim.Response{Status: e.Status, Header: h, Body: body}
	out := s3Success(r, resp, requestID, hostID)
	if r.Method == http.MethodHead {
		out.header.Del("Content-Length")
	}
	return out
}
