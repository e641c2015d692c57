package s3sim

import (
	"context"
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/s3sim/internal/s3select"
)

// selectObjectContent runs an S3 Select query over an object (package s3select has the SQL,
// the readers of CSV and JSON and the event stream): a request S3 refuses before it reads
// the object is an HTTP error; what goes wrong while records are read is an error message
// in the stream.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_SelectObjectContent.html
func selectObjectContent(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in s3select.Request
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	plan, err := s3select.Prepare(&in)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		s.mu.RUnlock()
		return nil, noSuchBucket(r.Bucket)
	}
	o, err := s.lookup(b, r)
	s.mu.RUnlock()
	if err != nil {
		return nil, s.missing(r, err)
	}
	if !o.readable(s.now()) {
		return nil, invalidObjectState(o)
	}
	if err := o.checkCustomerKey(r.Header, sseCustomerHeader); err != nil {
		return nil, err
	}
	data, err := s.body(o.payload)
	if err != nil {
		return nil, err
	}
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {s3select.ContentType}}, Body: plan.Run(data)}, nil
}
