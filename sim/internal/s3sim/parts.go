package s3sim

import (
	"strconv"
	"time"
)

// objectRange returns the bytes of o a GET or HEAD asks for: a part, by partNumber, of an
// object uploaded in parts (any object has one part, itself), or the Range header's bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (partNumber)
func objectRange(r *Request, o *object, size int64) (start, end int64, partial bool, err error) {
	if !r.Query.Has("partNumber") {
		return parseRange(r.Header.Get("Range"), size)
	}
	v := r.Query.Get("partNumber")
	n, perr := strconv.Atoi(v)
	if perr != nil || n < 1 || n > maxParts {
		return 0, 0, false, invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	if r.Header.Get("Range") != "" {
		return 0, 0, false, errorf(InvalidRequest, "Cannot specify both Range header and partNumber query parameter")
	}
	sizes := o.PartSizes
	if len(sizes) == 0 {
		sizes = []int64{size}
	}
	if n > len(sizes) {
		return 0, 0, false, errorf(InvalidPartNumber, "The requested partnumber is not satisfiable").
			With("PartNumberRequested", v).With("ActualPartCount", strconv.Itoa(len(sizes)))
	}
	for _, s := range sizes[:n-1] {
		start += s
	}
	if sizes[n-1] == 0 {
		return 0, size - 1, false, nil // an empty part: nothing to range over
	}
	return start, start + sizes[n-1] - 1, true, nil
}

// completion is what an upload completed: CompleteMultipartUpload of the same upload again
// answers it, as long as that version of the object is there.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
type completion struct {
	Key       string
	VersionID string
	At        time.Time
}

// keepCompletions is how long a completed upload is remembered.
const keepCompletions = 24 * time.Hour

// remember records that upload id made o. s.mu is held for writing.
func (s *Store) remember(b *bucket, id string, o *object) {
	now := s.now()
	for k, c := range b.Completed {
		if now.Sub(c.At) > keepCompletions {
			delete(b.Completed, k)
		}
	}
	if b.Completed == nil {
		b.Completed = map[string]*completion{}
	}
	b.Completed[id] = &completion{Key: o.Key, VersionID: o.VersionID, At: now}
}

// completedBefore answers a CompleteMultipartUpload of an upload that was completed: the
// answer it had, with ok; ok is false when the upload is not one that was.
func (s *Store) completedBefore(r *Request) (*Response, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, false, nil
	}
	c, ok := b.Completed[r.Query.Get("uploadId")]
	if !ok || c.Key != r.Key || s.now().Sub(c.At) > keepCompletions {
		return nil, false, nil
	}
	var o *object
	for _, v := range b.Objects[r.Key] {
		if v.VersionID == c.VersionID && !v.DeleteMarker {
			o = v
		}
	}
	if o == nil {
		return nil, false, nil
	}
	resp, err := xmlResponse(completeResult{Location: "https://" + r.Bucket + ".s3." + b.Region + ".amazonaws.com/" + r.Key,
		Bucket: r.Bucket, Key: r.Key, ETag: o.ETag, checksumFields: fieldsOf(o.Checksum)})
	if err != nil {
		return nil, false, err
	}
	o.SSE.header(resp.Header)
	if b.Versioning != "" {
		resp.Header.Set("X-Amz-Version-Id", o.VersionID)
	}
	resp.replayed = true
	return resp, true, nil
}

// partSizes returns the sizes of parts, in order.
func partSizes(parts []*part) []int64 {
	out := make([]int64, len(parts))
	for i, p := range parts {
		out[i] = p.size()
	}
	return out
}
