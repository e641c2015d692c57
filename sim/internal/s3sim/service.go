package s3sim

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Service returns S3 as the door serves it: the REST API on S3's hosts (path-style,
// virtual-hosted, bucket.localhost), taking bodies of up to maxBody bytes.
func (s *Store) Service(maxBody int64) *service.Service {
	return &service.Service{
		Name:      "s3",
		State:     s,
		Protocol:  restXML{s},
		Handler:   handlerOf{s},
		Resources: func(r *service.Request) ([]service.Access, error) { return s.accesses(r.In.(*Request)) },
		Dialect:   service.S3Dialect,
		Anonymous: true,
		SigV2:     func(r *http.Request) string { return ParseHost(hostOf(r)).Bucket },
		MaxBody:   maxBody,
		LateBody:  true,
		BodyHash:  md5.New,
		Claims:    func(r *http.Request) bool { e := ParseHost(hostOf(r)); return e.S3 && !e.Website },
		Fallback:  true,
		IDFirst:   true,
	}
}

// WebsiteService returns the static website endpoints of the buckets
// (bucket.s3-website-us-east-1.amazonaws.com): anonymous GETs and HEADs, whatever they carry,
// answered with pages rather than XML. Each request is authorized as it runs: the object it
// serves, the error document, the listing that tells a missing key from a forbidden one.
func (s *Store) WebsiteService() *service.Service {
	return &service.Service{
		Name:            "s3",
		State:           s,
		Protocol:        website{},
		Handler:         websiteHandler{s},
		Resources:       func(*service.Request) ([]service.Access, error) { return []service.Access{}, nil },
		Dialect:         service.S3Dialect,
		Anonymous:       true,
		Unauthenticated: true,
		Claims:          func(r *http.Request) bool { return ParseHost(hostOf(r)).Website },
		IDFirst:         true,
	}
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

// restXML is S3's protocol: the operation named by method, path, query and headers; the
// request handed to the operation as it came; XML documents and headers out. Its store
// gives errors the CORS headers of the bucket's rules, so that a browser can read them.
type restXML struct{ s *Store }

func (restXML) Operation(r *service.Request) (string, error) {
	if n := headerSection(r.HTTP.Header); n > maxHeaderSection {
		return "", errorf(RequestHeaderSectionTooLarge, "Your request header section exceeds the maximum allowed size.").
			With("MaxSizeAllowed", strconv.Itoa(maxHeaderSection))
	}
	host := ParseHost(hostOf(r.HTTP))
	req := requestAt(r, host)
	if !addressable(req.Target, host.Bucket != "") {
		return "", errorf(InvalidBucketName, "The specified bucket is not valid.").With("BucketName", req.Bucket)
	}
	if req.Method == http.MethodOptions && req.Bucket != "" {
		req.op = &route{op: preflightOp, method: http.MethodOptions, status: http.StatusOK}
		r.Scratch = req
		return preflightOp, nil
	}
	rt, ok := match(req.Method, req.Target, req.Query, req.Header)
	if !ok {
		return "", methodNotAllowed(req)
	}
	req.op = rt
	r.Scratch = req
	return rt.op, nil
}

// maxHeaderSection is the size of the header section S3 takes: 8 KiB of names, values and
// their separators. Larger sections up to the HTTP server's own limit (Go's
// http.DefaultMaxHeaderBytes, 1 MiB) get S3's error; beyond it the server answers 431.
const maxHeaderSection = 8192

// headerSection is the size of h as it was sent: "Name: value\r\n" for each value.
func headerSection(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// newRequest is the S3 request of r as far as routing needs it.
func newRequest(r *service.Request) *Request { return requestAt(r, ParseHost(hostOf(r.HTTP))) }

// requestAt is newRequest for r sent to host.
func requestAt(r *service.Request, host Endpoint) *Request {
	path := "/"
	if r.HTTP.URL != nil {
		path = r.HTTP.URL.Path
	}
	return &Request{
		Method: r.HTTP.Method, Target: TargetOf(host, path),
		Query: r.HTTP.URL.Query(), Header: r.HTTP.Header,
	}
}

func (restXML) Decode(r *service.Request, in any) error {
	req := in.(*Request)
	*req = *r.Scratch.(*Request)
	fill(req, r)
	return nil
}

func fill(req *Request, r *service.Request) {
	req.Trailer, req.Body, req.bodyMD5, req.Region, req.Caller = r.Trailer, r.Body, r.BodyHash, r.Region, r.Caller
	req.Authorize, req.Auth = r.Authorize, r.Auth
	req.ID, req.HostID = r.ID, hostIDOf(r)
}

func (restXML) Encode(r *service.Request, out any) (*service.Response, error) {
	resp, ok := out.(*Response)
	if !ok {
		// An answer injected by a test (sim.Fault.Answer) in the SDK's output type: S3's
		// operations answer with their own documents, not the SDK's outputs.
		return nil, fmt.Errorf("s3: an S3 operation cannot answer with a %T; inject an error instead", out)
	}
	return success(r, resp), nil
}

func (x restXML) Error(r *service.Request, e *core.Error) *service.Response {
	h := http.Header{}
	for k, v := range e.Header {
		h[k] = v
	}
	var body []byte
	if r.HTTP.Method != http.MethodHead {
		body = ErrorBody(e, r.ID, hostIDOf(r))
		h.Set("Content-Type", "application/xml")
	}
	if req, ok := r.Scratch.(*Request); ok && x.s != nil && req.op != nil && req.op.op != preflightOp {
		x.s.addCORS(req, h)
	}
	out := success(r, &Response{Status: e.Status, Header: h, Body: body})
	if r.HTTP.Method == http.MethodHead {
		out.Header.Del("Content-Length")
	}
	return out
}

// RequestID returns a request ID of S3's shape: 16 upper-case hex digits, the first of a
// UUID's.
func (restXML) RequestID(ids *core.IDs) string {
	uuid := ids.RequestID()
	var id [16]byte
	n := 0
	for i := 0; i < len(uuid) && n < len(id); i++ {
		c := uuid[i]
		if c == '-' {
			continue
		}
		if 'a' <= c && c <= 'f' {
			c -= 'a' - 'A'
		}
		id[n] = c
		n++
	}
	return string(id[:n])
}

func (restXML) Recognizes(*service.Request) service.Recognition { return service.NotMine }

// hostID is the x-amz-id-2 that goes with a request ID.
func hostID(requestID string) string {
	a := sha256.Sum256([]byte("host " + requestID))
	b := sha256.Sum256(a[:])
	return base64.StdEncoding.EncodeToString(append(a[:], b[:24]...))
}

// hostIDOf returns r's x-amz-id-2, worked out once a request (it takes two SHA-256s) and
// kept in the protocol's parse of r, when it has one.
func hostIDOf(r *service.Request) string {
	s, ok := r.Scratch.(*Request)
	if !ok {
		return hostID(r.ID)
	}
	if s.HostID == "" || s.ID != r.ID {
		s.ID, s.HostID = r.ID, hostID(r.ID)
	}
	return s.HostID
}

// success writes the headers every S3 response has.
func success(r *service.Request, resp *Response) *service.Response {
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	h.Set("X-Amz-Request-Id", r.ID)
	h.Set("X-Amz-Id-2", hostIDOf(r))
	if h.Get("Content-Length") == "" && resp.Status != http.StatusNoContent && resp.Status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	h.Set("Server", "AmazonS3")
	body := resp.Body
	if r.HTTP.Method == http.MethodHead {
		body = nil
	}
	return &service.Response{Status: resp.Status, Header: h, Body: body}
}

// handlerOf runs S3's operations on a store; every operation of the routing table has an
// input, and those without a handler answer NotImplemented once authorized.
type handlerOf struct{ s *Store }

func (h handlerOf) Input(string) (any, bool) { return &Request{}, true }

func (h handlerOf) Call(ctx context.Context, op string, in any) (any, error) {
	r := in.(*Request)
	fn, ok := handlers[op]
	if !ok {
		return nil, errorf(core.NotImplemented, "The simulator does not implement s3:%s yet.", op)
	}
	h.s.settleLifecycle(ctx, r.Bucket)
	if src := r.Header.Get("X-Amz-Copy-Source"); src != "" && (op == "CopyObject" || op == "UploadPartCopy") {
		if cs, err := parseCopySource(src); err == nil && cs.Bucket != r.Bucket {
			h.s.settleLifecycle(ctx, cs.Bucket)
		}
	}
	resp, err := fn(h.s, ctx, r)
	if err != nil {
		return nil, err
	}
	if op != preflightOp {
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		h.s.addCORS(r, resp.Header)
		h.s.notify(ctx, r, resp)
	}
	if resp.Status == 0 {
		resp.Status = r.op.status
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	return resp, nil
}

// website is the protocol of the website endpoints: one operation, pages out.
type website struct{}

const websiteOp = "GetWebsitePage"

func (website) Operation(r *service.Request) (string, error) {
	r.Scratch = newRequest(r)
	return websiteOp, nil
}

func (website) Decode(r *service.Request, in any) error {
	req := in.(*Request)
	*req = *r.Scratch.(*Request)
	fill(req, r)
	return nil
}

func (website) Encode(r *service.Request, out any) (*service.Response, error) {
	return success(r, out.(*Response)), nil
}

func (website) Error(r *service.Request, e *core.Error) *service.Response {
	return success(r, websiteError(newRequest(r), e, r.ID, hostIDOf(r)))
}

func (website) RequestID(ids *core.IDs) string                  { return restXML{}.RequestID(ids) }
func (website) Recognizes(*service.Request) service.Recognition { return service.NotMine }

type websiteHandler struct{ s *Store }

func (h websiteHandler) Input(string) (any, bool) { return &Request{}, true }

func (h websiteHandler) Call(ctx context.Context, _ string, in any) (any, error) {
	r := in.(*Request)
	h.s.settleLifecycle(ctx, r.Bucket)
	if r.Method == http.MethodOptions {
		resp, err := preflight(h.s, ctx, r)
		if err != nil {
			return websiteError(r, AsError(err), r.ID, r.HostID), nil
		}
		return resp, nil
	}
	resp := h.s.ServeWebsite(ctx, r, r.ID, r.HostID)
	if resp.Status < 300 {
		h.s.addCORS(r, resp.Header)
	}
	return resp, nil
}

// InternalRequest is a request another of the simulator's services makes of S3 without HTTP
// (CloudFormation making a stack's bucket): its operation, and the request for the door to
// authorize and call once Bind has given it its caller.
func InternalRequest(method, bucket, key string, query url.Values, header http.Header, body []byte) (string, *Request, error) {
	if query == nil {
		query = url.Values{}
	}
	if header == nil {
		header = http.Header{}
	}
	req := &Request{Method: method, Target: Target{Bucket: bucket, Key: key}, Query: query, Header: header, Body: body}
	rt, ok := match(method, req.Target, query, header)
	if !ok {
		return "", nil, methodNotAllowed(req)
	}
	req.op = rt
	return rt.op, req, nil
}

// Bind gives an internal request the door's request's caller, region and authorization.
func (req *Request) Bind(r *service.Request) {
	body := req.Body
	fill(req, r)
	req.Body, req.Trailer, req.bodyMD5 = body, nil, nil
}
