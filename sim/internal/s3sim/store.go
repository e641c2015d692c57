package s3sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Store is the S3 state of one account: its buckets, which are global by name and each in a
// region, and their objects. It is safe for concurrent use: one lock guards it. Object data
// is never changed once stored (an overwrite stores a new record), so responses share it.
// Bodies are in memory, or in blob storage once the store is given some ([Store.UseBlobs]).
type Store struct {
	mu      sync.RWMutex
	gen     core.Generation // bumped with every write lock
	account string
	owner   string // the account's canonical user ID
	clock   *core.Clock
	ids     *core.IDs
	buckets map[string]*bucket
	publish Publisher // SNS, for event notifications (notification.go)

	blobs   atomic.Pointer[blobStore] // nil: bodies in memory
	pending atomic.Int64              // refs of changes in progress (see Bodies in body.go)
	garbage atomic.Uint64             // refs let go of, for Garbage
}

// NewStore returns the empty S3 state of account.
func NewStore(account string, clock *core.Clock, ids *core.IDs) *Store {
	sum := sha256.Sum256([]byte("s3 canonical user " + account))
	return &Store{account: account, owner: hex.EncodeToString(sum[:]), clock: clock, ids: ids, buckets: map[string]*bucket{}}
}

// Access is one permission a request needs: the contract's, with the bucket policy that
// applies as its resource policy.
type Access = service.Access

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
	// Auth says how the request was signed, for the s3:authType and s3:signatureversion keys.
	Auth service.Auth
	// ID and HostID are the request's IDs, for the website endpoint's error pages.
	ID, HostID string

	op      *route
	bodyMD5 *service.Digest // Body's MD5, begun by the door as it read the body; nil if not
}

// Response is what S3 answers: status, headers and body. For HEAD the body is empty and
// Content-Length says the object's size.
type Response struct {
	Status int
	Header http.Header
	Body   []byte

	replayed bool // the answer of a request done before (CompleteMultipartUpload again): no event
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

// checkBucket refuses a request for a bucket that does not exist, or that was signed for
// another region than the bucket's: what S3 answers before it authorizes.
func (s *Store) checkBucket(r *Request) error {
	if r.Bucket == "" || r.op.op == "CreateBucket" {
		return nil
	}
	s.mu.RLock()
	b := s.buckets[r.Bucket]
	s.mu.RUnlock()
	if b == nil {
		return noSuchBucket(r.Bucket)
	}
	// A bucket answers requests signed for its own region only; GetBucketLocation is
	// how a client learns the region, so it is answered from any.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
	if r.Region != "" && r.Region != b.Region && r.op.op != "GetBucketLocation" {
		if r.Method == http.MethodHead {
			return errorf(PermanentRedirect, "The bucket you are attempting to access must be addressed using the specified endpoint.").
				WithHeader("X-Amz-Bucket-Region", b.Region)
		}
		return errorf(AuthorizationHeaderMalformed, "The authorization header is malformed; the region '%s' is wrong; expecting '%s'", r.Region, b.Region).
			With("Region", b.Region).WithHeader("X-Amz-Bucket-Region", b.Region)
	}
	return nil
}

// accesses names the permissions the request needs before it runs: the operation's action
// on the bucket or object (or "*" for the service), and for a copy s3:GetObject on the
// source. DeleteObjects checks each key as it deletes it.
func (s *Store) accesses(r *Request) ([]Access, error) {
	if err := s.checkBucket(r); err != nil {
		return nil, err
	}
	op := r.op.op
	if op == "DeleteObjects" || op == preflightOp {
		return []Access{}, nil
	}
	acc := s.access(r, action(op, r.Query.Has("versionId")), r.Target)
	if op == "ListObjects" || op == "ListObjectsV2" || op == "ListObjectVersions" {
		for _, k := range []string{"prefix", "delimiter", "max-keys"} {
			if r.Query.Has(k) {
				acc.Context["s3:"+k] = r.Query.Get(k)
			}
		}
	}
	if op == "PutObject" || op == "CreateMultipartUpload" || op == "CopyObject" {
		if v := r.Header.Get("X-Amz-Acl"); v != "" {
			acc.Context["s3:x-amz-acl"] = v
		}
	}
	out := []Access{acc}
	if op == "GetObjectAttributes" {
		// It needs s3:GetObject (or s3:GetObjectVersion) as well.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html (Permissions)
		out = append(out, s.access(r, action("GetObject", r.Query.Has("versionId")), r.Target))
	}
	if op == "UpdateObjectEncryption" {
		// It needs s3:PutObject as well.
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UpdateObjectEncryption.html (Permissions)
		out = append(out, s.access(r, "s3:PutObject", r.Target))
	}
	if op == "CopyObject" || op == "UploadPartCopy" {
		src, err := parseCopySource(r.Header.Get("X-Amz-Copy-Source"))
		if err != nil {
			return nil, err
		}
		out = append(out, s.access(r, action("GetObject", src.VersionID != ""), Target{src.Bucket, src.Key}))
	}
	return out, nil
}

// access is the permission to do act on t, with the bucket policy that applies.
func (s *Store) access(r *Request, act string, t Target) Access {
	a := Access{Action: act, Resource: "*", Context: authContext(r.Auth)}
	switch {
	case t.Bucket == "":
	case t.Key == "":
		a.Resource = "arn:aws:s3:::" + t.Bucket
	default:
		a.Resource = "arn:aws:s3:::" + t.Bucket + "/" + t.Key
	}
	if a.Policy = s.policyFor(r.Caller, t.Bucket); a.Policy != nil {
		a.PolicyName = "arn:aws:s3:::" + t.Bucket + " bucket policy"
	}
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
	return errorf(MethodNotAllowed, "The specified method is not allowed against this resource.").
		With("Method", r.Method).With("ResourceType", kind)
}

// authContext returns S3's condition keys of how a request was signed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html
func authContext(a service.Auth) map[string]string {
	switch {
	case a.Version != 4:
		return map[string]string{}
	case a.Presigned:
		return map[string]string{"s3:signatureversion": "AWS4-HMAC-SHA256", "s3:authtype": "REST-QUERY-STRING"}
	}
	return map[string]string{"s3:signatureversion": "AWS4-HMAC-SHA256", "s3:authtype": "REST-HEADER"}
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

// Generation changes with every change to the store's state, and never on a read.
func (s *Store) Generation() uint64 { return s.gen.Load() }
