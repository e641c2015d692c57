package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
)

// Attribute-based access control of a general purpose bucket: off by default, switched with
// PutBucketAbac. While it is on, the bucket's tags are managed with S3 Control's TagResource
// and UntagResource only, and PutBucketTagging and DeleteBucketTagging are refused
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging-enable-abac.html).
// The status is kept in the bucket's Configs under "abac" (its one entry, ID ""), so saved
// state carries it. Pinned by TestBucketAbac.

const abacConfig = "abac"

type abacStatus struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AbacStatus"`
	Status  string   `xml:"Status,omitempty"`
}

func putBucketAbac(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, false, ""); err != nil {
		return nil, err
	}
	status, err := parseAbac(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		if b.Configs == nil {
			b.Configs = map[string]map[string]string{}
		}
		b.Configs[abacConfig] = map[string]string{"": status}
		return empty(http.StatusOK), nil
	})
}

// parseAbac reads PutBucketAbac's document: its Status, Enabled or Disabled.
func parseAbac(body []byte) (string, error) {
	var in abacStatus
	if err := decodeXML(body, &in); err != nil {
		return "", err
	}
	if in.Status != "Enabled" && in.Status != "Disabled" {
		return "", malformedXML()
	}
	return in.Status, nil
}

func getBucketAbac(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		return xmlResponse(abacStatus{Status: abacOf(b)})
	})
}

// abacOf is the bucket's ABAC status: "Disabled" until it was set. s.mu is held.
func abacOf(b *bucket) string {
	if st := b.Configs[abacConfig][""]; st != "" {
		return st
	}
	return "Disabled"
}

// unlessAbac refuses a bucket-tagging handler's request while the bucket's ABAC is on.
func unlessAbac(h handler) handler {
	return func(s *Store, ctx context.Context, r *Request) (*Response, error) {
		s.mu.RLock()
		on := false
		if b := s.buckets[r.Bucket]; b != nil {
			on = abacOf(b) == "Enabled"
		}
		s.mu.RUnlock()
		if on {
			return nil, errorf(InvalidRequest, "ABAC is enabled for bucket %s: use TagResource and UntagResource to manage its tags", r.Bucket)
		}
		return h(s, ctx, r)
	}
}
