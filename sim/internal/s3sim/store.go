package s3sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the S3 state of one account: its buckets, which are global by name and each in a
// region, and their objects. It is safe for concurrent use: one lock guards it. Object data
// is never changed once stored (an overwrite stores a new record), so responses share it.
type Store struct {
	mu      sync.RWMutex
	account string
	owner   string // the account's canonical user ID
	clock   *core.Clock
	ids     *core.IDs
	buckets map[string]*bucket
}

// NewStore returns the empty S3 state of account.
func NewStore(account string, clock *core.Clock, ids *core.IDs) *Store {
	sum := sha256.Sum256([]byte("s3 canonical user " + account))
	return &Store{account: account, owner: hex.EncodeToString(sum[:]), clock: clock, ids: ids, buckets: map[string]*bucket{}}
}

// Access is one permission a request needs: an IAM action on a resource, with the request's
// S3 condition keys, and the bucket policy that applies to it (nil when none does).
type Access struct {
	Action   string
	Resource string
	Context  map[string]string
	Policy   *policy.Policy
	Bucket   string // the bucket whose policy Policy is
}

// Request is an S3 request as the front door hands it over: authenticated, its body read
// and decoded (an aws-chunked body is already unwrapped, its trailing headers in Trailer).
type Request struct {
	Method  string
	Target  // the bucket and key the request addresses
	Query   url.Values
	Header  http.Header
	Trailer http.Header // trailing headers of an aws-chunked body (x-amz-checksum-…)
	Body    []byte
	Region  string // the region the request was signed for; "" for an anonymous one
	Caller  *core.Caller
	// Authorize checks one permission with the caller's policies and Access.Policy, and
	// returns the AccessDenied error to answer when it is refused.
	Authorize func(Access) error

	op *route
}

// Response is what S3 answers: status, headers and body. For HEAD the body is empty and
// Content-Length says the object's size.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// handler runs one operation. The bucket it names exists (for bucket and object
// operations) when it is called, but may go away before it takes the lock.
type handler func(s *Store, ctx context.Context, r *Request) (*Response, error)

// handlers are the operations the simulator implements; every other operation of the
// routing table answers NotImplemented.
var handlers map[string]handler

// Implemented reports whether the simulator implements the S3 operation op.
func Implemented(op string) bool { _, ok := handlers[op]; return ok }

// Operations returns the names of every S3 operation, implemented or not, sorted.
func Operations() []string {
	var out []string
	for _, r := range routes {
		out = append(out, r.op)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Serve routes r to its operation, authorizes it with r.Authorize, and runs it. Errors are
// *Error values for the front door to render.
func (s *Store) Serve(ctx context.Context, r *Request) (*Response, error) {
	rt, ok := match(r.Method, r.Target, r.Query, r.Header)
	if !ok {
		return nil, methodNotAllowed(r)
	}
	r.op = rt
	if r.Bucket != "" && rt.op != "CreateBucket" {
		s.mu.RLock()
		b := s.buckets[r.Bucket]
		s.mu.RUnlock()
		if b == nil {
			return nil, noSuchBucket(r.Bucket)
		}
		// A bucket answers requests signed for its own region only; GetBucketLocation is
		// how a client learns the region, so it is answered from any.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
		if r.Region != "" && r.Region != b.Region && rt.op != "GetBucketLocation" {
			if r.Method == http.MethodHead {
				return nil, errorf("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.").
					withHeader("X-Amz-Bucket-Region", b.Region)
			}
			return nil, errorf("AuthorizationHeaderMalformed", "The authorization header is malformed; the region '%s' is wrong; expecting '%s'", r.Region, b.Region).
				with("Region", b.Region).withHeader("X-Amz-Bucket-Region", b.Region)
		}
	}
	if err := s.authorize(r); err != nil {
		return nil, err
	}
	h, ok := handlers[rt.op]
	if !ok {
		return nil, errorf("NotImplemented", "The simulator does not implement s3:%s yet.", rt.op)
	}
	resp, err := h(s, ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.Status == 0 {
		resp.Status = rt.status
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	return resp, nil
}

// authorize checks the permissions the request needs before it runs: the operation's action
// on the bucket or object (or "*" for the service), and for a copy s3:GetObject on the
// source. DeleteObjects checks each key as it deletes it.
func (s *Store) authorize(r *Request) error {
	op := r.op.op
	if op == "DeleteObjects" {
		return nil
	}
	acc := s.access(r, action(op, r.Query.Has("versionId")), r.Target)
	if op == "ListObjects" || op == "ListObjectsV2" || op == "ListObjectVersions" {
		acc.Context = map[string]string{}
		for _, k := range []string{"prefix", "delimiter", "max-keys"} {
			if r.Query.Has(k) {
				acc.Context["s3:"+k] = r.Query.Get(k)
			}
		}
	}
	if op == "PutObject" || op == "CreateMultipartUpload" || op == "CopyObject" {
		if v := r.Header.Get("X-Amz-Acl"); v != "" {
			acc.Context = map[string]string{"s3:x-amz-acl": v}
		}
	}
	if err := r.Authorize(acc); err != nil {
		return err
	}
	if op == "CopyObject" || op == "UploadPartCopy" {
		src, err := parseCopySource(r.Header.Get("X-Amz-Copy-Source"))
		if err != nil {
			return err
		}
		a := s.access(r, action("GetObject", src.VersionID != ""), Target{src.Bucket, src.Key})
		if err := r.Authorize(a); err != nil {
			return err
		}
	}
	return nil
}

// access is the permission to do act on t, with the bucket policy that applies.
func (s *Store) access(r *Request, act string, t Target) Access {
	a := Access{Action: act, Resource: "*", Bucket: t.Bucket}
	switch {
	case t.Bucket == "":
	case t.Key == "":
		a.Resource = "arn:aws:s3:::" + t.Bucket
	default:
		a.Resource = "arn:aws:s3:::" + t.Bucket + "/" + t.Key
	}
	a.Policy = s.policyFor(r.Caller, t.Bucket)
	return a
}

// policyFor returns the policy of the bucket called name as it applies to caller: none for
// an anonymous caller when the bucket's RestrictPublicBuckets setting blocks its public policy.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func (s *Store) policyFor(caller *core.Caller, name string) *policy.Policy {
	if name == "" {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[name]
	if b == nil || b.policy == nil {
		return nil
	}
	if b.PublicAccessBlock != nil && b.PublicAccessBlock.RestrictPublicBuckets && b.public &&
		(caller == nil || caller.Kind == core.Anonymous || caller.Account != s.account) {
		return nil
	}
	return b.policy
}

func methodNotAllowed(r *Request) *Error {
	kind := "SERVICE"
	switch {
	case r.Key != "":
		kind = "OBJECT"
	case r.Bucket != "":
		kind = "BUCKET"
	}
	return errorf("MethodNotAllowed", "The specified method is not allowed against this resource.").
		with("Method", r.Method).with("ResourceType", kind)
}

// now returns the simulator's time.
func (s *Store) now() time.Time { return s.clock.Now() }

// Buckets returns the names of the buckets, sorted.
func (s *Store) Buckets() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for n := range s.buckets {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
