package s3sim

import (
	"context"
	"crypto/md5"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// object is one version of an object, or a delete marker. A stored object is never changed:
// an update stores a changed copy, so that responses may share its body.
type object struct {
	Key          string
	VersionID    string `json:",omitempty"` // "null" when made while versioning was off or suspended
	DeleteMarker bool   `json:",omitempty"`
	payload
	ETag               string            `json:",omitempty"`
	LastModified       time.Time         //
	ContentType        string            `json:",omitempty"`
	ContentEncoding    string            `json:",omitempty"`
	ContentDisposition string            `json:",omitempty"`
	ContentLanguage    string            `json:",omitempty"`
	CacheControl       string            `json:",omitempty"`
	Expires            string            `json:",omitempty"`
	WebsiteRedirect    string            `json:",omitempty"`
	StorageClass       string            `json:",omitempty"` // "" is STANDARD
	Metadata           map[string]string `json:",omitempty"` // lower-case names, without x-amz-meta-
	Checksum           Checksum          `json:",omitzero"`
	PartsCount         int               `json:",omitempty"`
	PartSizes          []int64           `json:",omitempty"` // of an object uploaded in parts, for GET ?partNumber
	Tags               []Tag             `json:",omitempty"`
	SSE                encryption        `json:",omitzero"`  // how it is encrypted (encryption.go)
	Restore            *restoreState     `json:",omitempty"` // of an archived object (archive.go)
	Retention          *retention        `json:",omitempty"` // Object Lock (objectlock.go)
	LegalHold          string            `json:",omitempty"` // "", "ON" or "OFF"
}

func (o *object) storageClass() string {
	if o.StorageClass == "" {
		return "STANDARD"
	}
	return o.StorageClass
}

// maxKey is the longest key, in bytes of UTF-8.
const maxKey = 1024

// maxMetadata is the most user metadata an object takes: names and values, in bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
const maxMetadata = 2 << 10

var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "GLACIER_IR": true,
}

// newVersionID returns a version ID of AWS's shape: 32 URL-safe characters.
func (s *Store) newVersionID() string {
	t := []byte(s.ids.Token(32))
	for i, c := range t {
		switch c {
		case '+':
			t[i] = '.'
		case '/':
			t[i] = '_'
		}
	}
	return string(t)
}

// store adds o as the current version of its key, as the bucket's versioning state says:
// replacing the "null" version, or adding a version. It returns the version ID to report
// ("" when the bucket was never versioned). s.mu is held for writing.
func (s *Store) store(b *bucket, o *object) string {
	vs := b.Objects[o.Key]
	switch b.Versioning {
	case "Enabled":
		o.VersionID = s.newVersionID()
		vs = append(append([]*object(nil), vs...), o)
	default:
		o.VersionID = "null"
		kept := make([]*object, 0, len(vs)+1)
		for _, v := range vs {
			if v.VersionID != "null" {
				kept = append(kept, v)
			} else {
				s.dropped(v.payload)
			}
		}
		vs = append(kept, o)
	}
	b.setVersions(o.Key, vs)
	if b.Versioning == "" {
		return ""
	}
	return o.VersionID
}

// checkWrite refuses, before a body is stored, a write of an object that would fail: its
// bucket is missing, or takes no ACL headers, or it is conditional and its condition fails.
// The write checks again once it holds the lock.
func (s *Store) checkWrite(r *Request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketForWrite(r)
	if err != nil {
		return err
	}
	return checkWriteConditions(b, r)
}

// bucketForWrite returns the bucket a write of an object names, once its ACL headers are ones
// the bucket takes. s.mu is held.
func (s *Store) bucketForWrite(r *Request) (*bucket, error) {
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	return b, checkACL(b, r.Header)
}

// checkACL refuses ACLs that a bucket with the BucketOwnerEnforced setting does not take.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func checkACL(b *bucket, h http.Header) error {
	if b.Ownership != "BucketOwnerEnforced" {
		return nil
	}
	acl := h.Get("X-Amz-Acl")
	grants := false
	for k := range h {
		if hasPrefixFold(k, "x-amz-grant-") {
			grants = true
		}
	}
	if grants || acl != "" && acl != "private" && acl != "bucket-owner-full-control" {
		return errorf(AccessControlListNotSupported, "The bucket does not allow ACLs").With("BucketName", b.Name)
	}
	return nil
}

// metaPrefix begins the name of a header of user-defined metadata.
const metaPrefix = "x-amz-meta-"

// hasPrefixFold reports whether s begins with prefix, in any case: a header's name as it
// came, without lowering all of it.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// objectFromHeaders reads the stored attributes of a new object from the request headers.
func objectFromHeaders(key string, h http.Header) (*object, error) {
	o := &object{
		Key:                key,
		ContentType:        h.Get("Content-Type"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
		WebsiteRedirect:    h.Get("X-Amz-Website-Redirect-Location"),
	}
	if o.ContentType == "" {
		o.ContentType = "binary/octet-stream"
	}
	// aws-chunked is how the body was sent, not how the object is encoded.
	var enc []string
	for e := range strings.SplitSeq(h.Get("Content-Encoding"), ",") {
		if e = strings.TrimSpace(e); e != "" && e != "aws-chunked" {
			enc = append(enc, e)
		}
	}
	o.ContentEncoding = strings.Join(enc, ",")
	if sc := h.Get("X-Amz-Storage-Class"); sc != "" {
		if !storageClasses[sc] {
			return nil, errorf(InvalidStorageClass, "The storage class you specified is not valid").With("StorageClassRequested", sc)
		}
		if sc != "STANDARD" {
			o.StorageClass = sc
		}
	}
	size := 0
	for k, v := range h {
		if !hasPrefixFold(k, metaPrefix) || len(v) == 0 {
			continue
		}
		name := strings.ToLower(k[len(metaPrefix):])
		if o.Metadata == nil {
			o.Metadata = map[string]string{}
		}
		o.Metadata[name] = strings.Join(v, ",")
		size += len(name) + len(o.Metadata[name])
	}
	if size > maxMetadata {
		return nil, errorf(MetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size.").
			With("Size", strconv.Itoa(size)).With("MaxSizeAllowed", strconv.Itoa(maxMetadata))
	}
	if _, _, err := requestEncryption(h); err != nil {
		return nil, err
	}
	if _, _, err := customerKey(h, sseCustomerHeader); err != nil {
		return nil, err
	}
	if v := h.Get("X-Amz-Tagging"); v != "" {
		tags, err := parseTaggingHeader(v)
		if err != nil {
			return nil, err
		}
		o.Tags = tags
	}
	return o, nil
}

func checkKey(key string) error {
	if len(key) > maxKey {
		return errorf(KeyTooLongError, "Your key is too long").With("MaxSizeAllowed", strconv.Itoa(maxKey)).With("Size", strconv.Itoa(len(key)))
	}
	return nil
}

func putObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if err := checkKey(r.Key); err != nil {
		return nil, err
	}
	md5sum, sum, err := checkDigests(r, false, defaultAlgorithm)
	if err != nil {
		return nil, err
	}
	o, err := objectFromHeaders(r.Key, r.Header)
	if err != nil {
		return nil, err
	}
	o.ETag, o.Checksum = etag(md5sum), sum
	if err := s.checkWrite(r); err != nil {
		return nil, err // before the body is stored
	}
	body, err := s.keep(r.Body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer body.release()
	b, err := s.bucketForWrite(r)
	if err != nil {
		return nil, err
	}
	if err := checkWriteConditions(b, r); err != nil {
		return nil, err
	}
	if o.SSE, err = s.encryptionFor(b, r.Header); err != nil {
		return nil, err
	}
	if err := s.lockFor(b, o, r.Header, true); err != nil {
		return nil, err
	}
	o.payload, o.LastModified = body.take(), s.now()
	h := make(http.Header, 12) // room for the headers here and success's, without growing
	h["Etag"] = []string{o.ETag}
	o.SSE.header(h)
	if v := s.store(b, o); v != "" {
		h.Set("X-Amz-Version-Id", v)
	}
	if e := expirationHeader(b, o); e != "" {
		h.Set("X-Amz-Expiration", e)
	}
	o.Checksum.header(h)
	return &Response{Header: h}, nil
}

// checkWriteConditions applies the conditional writes of PutObject and
// CompleteMultipartUpload: If-None-Match: * fails when the key exists, If-Match when its
// ETag differs. s.mu is held.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
func checkWriteConditions(b *bucket, r *Request) error {
	cur := b.current(r.Key)
	exists := cur != nil && !cur.DeleteMarker
	if v := r.Header.Get("If-None-Match"); v != "" {
		if v != "*" {
			return errorf(core.NotImplemented, "A header you provided implies functionality that is not implemented").With("Header", "If-None-Match")
		}
		if exists {
			return errorf(PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "If-None-Match")
		}
	}
	if v := r.Header.Get("If-Match"); v != "" {
		if !exists {
			return noSuchKey(r.Key)
		}
		if !etagMatches(v, cur.ETag) {
			return errorf(PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "If-Match")
		}
	}
	return nil
}

// etagMatches reports whether an If-Match or If-None-Match list names etag (or is "*").
func etagMatches(list, etag string) bool {
	for v := range strings.SplitSeq(list, ",") {
		v = strings.TrimSpace(v)
		v = strings.TrimPrefix(v, "W/")
		if v == "*" || v == etag || `"`+v+`"` == etag {
			return true
		}
	}
	return false
}

// lookup finds the version of r.Key that r asks for (its versionId, or the current one).
// A delete marker is an error: NoSuchKey for the current version, MethodNotAllowed for one
// asked by ID. s.mu is held.
func (s *Store) lookup(b *bucket, r *Request) (*object, error) {
	vs := b.Objects[r.Key]
	if r.Query.Has("versionId") {
		id := r.Query.Get("versionId")
		for _, v := range vs {
			if v.VersionID == id {
				if v.DeleteMarker {
					return nil, errorf(MethodNotAllowed, "The specified method is not allowed against this resource.").
						With("Method", r.Method).With("ResourceType", "DeleteMarker").
						WithHeader("X-Amz-Delete-Marker", "true").WithHeader("Last-Modified", timeHTTP(v.LastModified)).
						WithHeader("X-Amz-Version-Id", v.VersionID)
				}
				return v, nil
			}
		}
		if id == "" || id != "null" && len(id) < 8 {
			return nil, invalidArgument("Invalid version id specified", "versionId", id)
		}
		return nil, errorf(NoSuchVersion, "The specified version does not exist.").With("Key", r.Key).With("VersionId", id)
	}
	if len(vs) == 0 {
		return nil, noSuchKey(r.Key)
	}
	cur := vs[len(vs)-1]
	if cur.DeleteMarker {
		e := noSuchKey(r.Key).WithHeader("X-Amz-Delete-Marker", "true")
		if b.Versioning != "" {
			e.WithHeader("X-Amz-Version-Id", cur.VersionID)
		}
		return nil, e
	}
	return cur, nil
}

// missing turns NoSuchKey into AccessDenied for a caller who may not list the bucket, as S3
// does so that keys cannot be probed.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Permissions)
func (s *Store) missing(r *Request, err error) error {
	if e, ok := err.(*Error); !ok || e.Code != NoSuchKey {
		return err
	}
	if aerr := r.Authorize(s.access(r, "s3:ListBucket", Target{Bucket: r.Bucket})); aerr != nil {
		return aerr
	}
	return err
}

func getObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.RUnlock()
		return nil, noSuchBucket(r.Bucket)
	}
	o, err := s.lookup(b, r)
	versioned := b.Versioning != ""
	expiry := ""
	if err == nil && !r.Query.Has("versionId") {
		expiry = expirationHeader(b, o)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, s.missing(r, err)
	}
	resp, err := s.objectResponse(r, o, versioned)
	if err == nil && expiry != "" && resp.Status < 300 {
		resp.Header.Set("X-Amz-Expiration", expiry)
	}
	return resp, err
}

// objectResponse answers GetObject and HeadObject for o. It reads the body for a GET only.
func (s *Store) objectResponse(r *Request, o *object, versioned bool) (*Response, error) {
	if r.Method == http.MethodGet && !o.readable(s.now()) {
		return nil, invalidObjectState(o)
	}
	if err := o.checkCustomerKey(r.Header, sseCustomerHeader); err != nil {
		return nil, err
	}
	h := make(http.Header, 16) // room for the headers here and success's, without growing
	h.Set("Last-Modified", timeHTTP(o.LastModified))
	h.Set("Etag", o.ETag)
	if versioned {
		h.Set("X-Amz-Version-Id", o.VersionID)
	}
	if status, cond := preconditions(r.Header, o); status != 0 {
		if status == http.StatusNotModified {
			return &Response{Status: status, Header: h}, nil
		}
		return nil, errorf(PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", cond)
	}
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", o.ContentType)
	o.SSE.header(h)
	o.restoreHeader(h, s.now())
	o.lockHeaders(h)
	for k, v := range map[string]string{
		"Content-Encoding": o.ContentEncoding, "Content-Disposition": o.ContentDisposition,
		"Content-Language": o.ContentLanguage, "Cache-Control": o.CacheControl, "Expires": o.Expires,
		"X-Amz-Website-Redirect-Location": o.WebsiteRedirect,
	} {
		if v != "" {
			h.Set(k, v)
		}
	}
	if o.StorageClass != "" {
		h.Set("X-Amz-Storage-Class", o.StorageClass)
	}
	for k, v := range o.Metadata {
		h["X-Amz-Meta-"+k] = []string{v}
	}
	if len(o.Tags) > 0 && r.Method == http.MethodGet {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(o.Tags)))
	}
	if r.Query.Has("partNumber") && o.PartsCount > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(o.PartsCount))
	}
	// Response header overrides: for signed requests only.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Overriding response header values)
	for _, p := range [][2]string{
		{"response-content-type", "Content-Type"}, {"response-content-language", "Content-Language"},
		{"response-expires", "Expires"}, {"response-cache-control", "Cache-Control"},
		{"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"},
	} {
		if !r.Query.Has(p[0]) {
			continue
		}
		if r.Caller == nil || r.Caller.Kind == core.Anonymous {
			return nil, errorf(InvalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
		}
		h.Set(p[1], r.Query.Get(p[0]))
	}
	size := o.size()
	start, end, partial, err := objectRange(r, o, size)
	if err != nil {
		return nil, err
	}
	if !partial && strings.EqualFold(r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		o.Checksum.header(h)
	}
	status, length := http.StatusOK, size
	if partial {
		status, length = http.StatusPartialContent, end+1-start
		h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.FormatInt(size, 10))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	if r.Method == http.MethodHead {
		return &Response{Status: status, Header: h}, nil
	}
	body, err := s.body(o.payload)
	if err != nil {
		return nil, err
	}
	if partial {
		body = body[start : end+1]
	}
	return &Response{Status: status, Header: h, Body: body}, nil
}

// preconditions evaluates If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since in RFC 7232's order, as S3 does: it returns 412 or 304 and the failing
// header, or 0.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-Match …)
func preconditions(h http.Header, o *object) (int, string) {
	im, ius := h.Get("If-Match"), h.Get("If-Unmodified-Since")
	inm, ims := h.Get("If-None-Match"), h.Get("If-Modified-Since")
	if im != "" {
		if !etagMatches(im, o.ETag) {
			return http.StatusPreconditionFailed, "If-Match"
		}
	} else if t, err := http.ParseTime(ius); err == nil && o.LastModified.After(t) {
		return http.StatusPreconditionFailed, "If-Unmodified-Since"
	}
	if inm != "" {
		if etagMatches(inm, o.ETag) {
			return http.StatusNotModified, "If-None-Match"
		}
	} else if t, err := http.ParseTime(ims); err == nil && !o.LastModified.After(t) {
		return http.StatusNotModified, "If-Modified-Since"
	}
	return 0, ""
}

// parseRange reads a Range header of one byte range against an object of size bytes. A
// header S3 ignores (no "bytes=", several ranges, bad syntax) gives the whole object; a range
// that starts past the end is InvalidRange.
func parseRange(v string, size int64) (start, end int64, partial bool, err error) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, size - 1, false, nil
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return 0, size - 1, false, nil
	}
	invalid := func() error {
		return errorf(InvalidRange, "The requested range is not satisfiable").
			With("RangeRequested", v).With("ActualObjectSize", strconv.FormatInt(size, 10))
	}
	switch {
	case a == "" && b == "":
		return 0, size - 1, false, nil
	case a == "":
		n, perr := strconv.ParseInt(b, 10, 64)
		if perr != nil || n < 0 {
			return 0, size - 1, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, invalid()
		}
		n = min(n, size)
		return size - n, size - 1, true, nil
	}
	s, perr := strconv.ParseInt(a, 10, 64)
	if perr != nil || s < 0 {
		return 0, size - 1, false, nil
	}
	e := size - 1
	if b != "" {
		if e, perr = strconv.ParseInt(b, 10, 64); perr != nil || e < s {
			return 0, size - 1, false, nil
		}
		e = min(e, size-1)
	}
	if s >= size {
		return 0, 0, false, invalid()
	}
	return s, e, true, nil
}

func headObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return getObject(s, ctx, r)
}

func deleteObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	bypass := r.Query.Has("versionId") && s.mayBypass(r, r.Key)
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	h := http.Header{}
	if r.Query.Has("versionId") {
		if err := s.checkDeleteVersion(b, r.Key, r.Query.Get("versionId"), bypass); err != nil {
			return nil, err
		}
		id, marker, err := s.deleteVersion(b, r.Key, r.Query.Get("versionId"))
		if err != nil {
			return nil, err
		}
		h.Set("X-Amz-Version-Id", id)
		if marker {
			h.Set("X-Amz-Delete-Marker", "true")
		}
		return &Response{Status: http.StatusNoContent, Header: h}, nil
	}
	if id := s.deleteCurrent(b, r.Key); id != "" {
		h.Set("X-Amz-Version-Id", id)
		h.Set("X-Amz-Delete-Marker", "true")
	}
	return &Response{Status: http.StatusNoContent, Header: h}, nil
}

// deleteVersion removes one version for good, reporting whether it was a delete marker.
// Deleting a version that does not exist succeeds. s.mu is held.
func (s *Store) deleteVersion(b *bucket, key, id string) (string, bool, error) {
	if id == "" {
		return "", false, invalidArgument("Invalid version id specified", "versionId", id)
	}
	vs := b.Objects[key]
	for i, v := range vs {
		if v.VersionID == id {
			rest := append(append([]*object(nil), vs[:i]...), vs[i+1:]...)
			b.setVersions(key, rest)
			s.dropped(v.payload)
			return id, v.DeleteMarker, nil
		}
	}
	return id, false, nil
}

// deleteCurrent deletes key as a request without a version ID does: for good in a bucket
// that was never versioned, else by adding a delete marker, whose version ID it returns.
// s.mu is held.
func (s *Store) deleteCurrent(b *bucket, key string) string {
	if b.Versioning == "" {
		for _, v := range b.Objects[key] {
			s.dropped(v.payload)
		}
		b.setVersions(key, nil)
		return ""
	}
	m := &object{Key: key, DeleteMarker: true, LastModified: s.now()}
	return s.store(b, m)
}

// copySource is the parsed x-amz-copy-source header.
type copySource struct {
	Bucket, Key, VersionID string
}

// parseCopySource reads "bucket/key", "/bucket/key" or either with "?versionId=…", URL-encoded.
func parseCopySource(v string) (copySource, error) {
	bad := invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", v)
	path, query, _ := strings.Cut(v, "?")
	var src copySource
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return src, bad
		}
		if q.Has("versionId") {
			src.VersionID = q.Get("versionId")
			if src.VersionID == "" {
				return src, invalidArgument("Invalid version id specified", "x-amz-copy-source", v)
			}
		}
	}
	p, err := url.PathUnescape(path)
	if err != nil {
		return src, bad
	}
	p = strings.TrimPrefix(p, "/")
	b, k, ok := strings.Cut(p, "/")
	if !ok || b == "" || k == "" {
		return src, bad
	}
	src.Bucket, src.Key = b, k
	return src, nil
}

// source returns the object a copy reads, checking x-amz-copy-source-if-… s.mu is held.
func (s *Store) source(r *Request) (*object, copySource, error) {
	src, err := parseCopySource(r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return nil, src, err
	}
	b, ok := s.buckets[src.Bucket]
	if !ok {
		return nil, src, noSuchBucket(src.Bucket)
	}
	q := url.Values{}
	if src.VersionID != "" {
		q.Set("versionId", src.VersionID)
	}
	o, err := s.lookup(b, &Request{Method: http.MethodGet, Target: Target{src.Bucket, src.Key}, Query: q})
	if err != nil {
		return nil, src, err
	}
	if !o.readable(s.now()) {
		return nil, src, invalidObjectState(o)
	}
	if err := o.checkCustomerKey(r.Header, copySSECustomerHeader); err != nil {
		return nil, src, err
	}
	h := http.Header{}
	for _, p := range [][2]string{{"X-Amz-Copy-Source-If-Match", "If-Match"}, {"X-Amz-Copy-Source-If-None-Match", "If-None-Match"},
		{"X-Amz-Copy-Source-If-Modified-Since", "If-Modified-Since"}, {"X-Amz-Copy-Source-If-Unmodified-Since", "If-Unmodified-Since"}} {
		if v := r.Header.Get(p[0]); v != "" {
			h.Set(p[1], v)
		}
	}
	if status, cond := preconditions(h, o); status != 0 {
		return nil, src, errorf(PreconditionFailed, "At least one of the pre-conditions you specified did not hold").With("Condition", "x-amz-copy-source-"+strings.ToLower(cond))
	}
	if src.VersionID == "" && b.Versioning != "" {
		src.VersionID = o.VersionID
	}
	return o, src, nil
}

// copySource finds the object a CopyObject reads and holds its body for the copy; the
// caller releases it. It refuses a copy onto itself that changes nothing.
func (s *Store) copySource(r *Request, directive, alg string) (*object, copySource, *newBody, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketForWrite(r)
	if err != nil {
		return nil, copySource{}, nil, err
	}
	src, cs, err := s.source(r)
	if err != nil {
		return nil, cs, nil, err
	}
	// Copying an object onto itself must change something.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
	if cs.Bucket == r.Bucket && cs.Key == r.Key && directive != "REPLACE" && (cs.VersionID == "" || cs.VersionID == b.current(r.Key).VersionID) &&
		r.Header.Get("X-Amz-Storage-Class") == "" && r.Header.Get("X-Amz-Website-Redirect-Location") == "" &&
		r.Header.Get("X-Amz-Server-Side-Encryption") == "" && r.Header.Get(sseCustomerHeader.algorithm) == "" && alg == "" {
		return nil, cs, nil, errorf(InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	return src, cs, s.share(src.payload), nil
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	checksumFields
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	checksumFields
}

// checksumFields are the ChecksumX elements of a result document.
type checksumFields struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

func fieldsOf(c Checksum) checksumFields {
	var f checksumFields
	switch c.Algorithm {
	case "CRC32":
		f.ChecksumCRC32 = c.Value
	case "CRC32C":
		f.ChecksumCRC32C = c.Value
	case "CRC64NVME":
		f.ChecksumCRC64NVME = c.Value
	case "SHA1":
		f.ChecksumSHA1 = c.Value
	case "SHA256":
		f.ChecksumSHA256 = c.Value
	}
	if c.Algorithm != "" {
		f.ChecksumType = c.Type
	}
	return f
}

func copyObject(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if err := checkKey(r.Key); err != nil {
		return nil, err
	}
	directive := r.Header.Get("X-Amz-Metadata-Directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return nil, invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive)
	}
	tagDirective := r.Header.Get("X-Amz-Tagging-Directive")
	if tagDirective != "" && tagDirective != "COPY" && tagDirective != "REPLACE" {
		return nil, invalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", tagDirective)
	}
	fresh, err := objectFromHeaders(r.Key, r.Header)
	if err != nil {
		return nil, err
	}
	alg := strings.ToUpper(r.Header.Get("X-Amz-Checksum-Algorithm"))
	if alg != "" && newHash(alg) == nil {
		return nil, invalidArgument("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]", "x-amz-checksum-algorithm", alg)
	}
	src, cs, body, err := s.copySource(r, directive, alg)
	if err != nil {
		return nil, err
	}
	o := fresh
	if directive != "REPLACE" {
		c := *src
		c.Key, c.Tags, c.StorageClass, c.WebsiteRedirect = r.Key, fresh.Tags, fresh.StorageClass, fresh.WebsiteRedirect
		c.VersionID, c.DeleteMarker = "", false
		o = &c
	}
	if tagDirective != "REPLACE" {
		o.Tags = src.Tags
	}
	o.PartsCount, o.PartSizes, o.Restore = 0, nil, nil
	// The copy shares the source's body; it is read only when the copy's ETag or checksum
	// is not the source's.
	var data []byte
	if src.PartsCount > 0 || alg != "" || src.Checksum.Type != "FULL_OBJECT" {
		if data, err = s.body(src.payload); err != nil {
			body.release()
			return nil, err
		}
	}
	switch {
	case src.PartsCount > 0:
		sum := md5.Sum(data)
		o.ETag = etag(sum[:])
	default:
		o.ETag = src.ETag
	}
	switch {
	case alg != "":
		o.Checksum = Checksum{Algorithm: alg, Value: sumOf(alg, data), Type: "FULL_OBJECT"}
	case src.Checksum.Type == "FULL_OBJECT":
		o.Checksum = src.Checksum
	default:
		o.Checksum = defaultChecksum(data)
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	defer body.release()
	b, err := s.bucketForWrite(r)
	if err != nil {
		return nil, err
	}
	if o.SSE, err = s.encryptionFor(b, r.Header); err != nil {
		return nil, err
	}
	if err := s.lockFor(b, o, r.Header, false); err != nil {
		return nil, err
	}
	o.payload = body.take()
	o.LastModified = s.now()
	h := http.Header{}
	o.SSE.header(h)
	if v := s.store(b, o); v != "" {
		h.Set("X-Amz-Version-Id", v)
	}
	if cs.VersionID != "" {
		h.Set("X-Amz-Copy-Source-Version-Id", cs.VersionID)
	}
	resp, err := xmlResponse(copyObjectResult{ETag: o.ETag, LastModified: timeXML(o.LastModified), checksumFields: fieldsOf(o.Checksum)})
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		resp.Header[k] = v
	}
	return resp, nil
}
