package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
)

// Bucket settings that are kept and answered but change nothing else here: Transfer
// Acceleration (no accelerated endpoint is simulated), Requester Pays (there is no bill),
// and server access logging (no log objects are written).

type accelerateConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccelerateConfiguration"`
	Status  string   `xml:"Status,omitempty"`
}

func putBucketAccelerateConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in accelerateConfiguration
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if in.Status != "Enabled" && in.Status != "Suspended" {
		return nil, malformedXML()
	}
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/transfer-acceleration.html (Requirements)
	if strings.Contains(r.Bucket, ".") {
		return nil, errorf(InvalidRequest, "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names")
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Accelerate = in.Status
		return empty(http.StatusOK), nil
	})
}

func getBucketAccelerateConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		return xmlResponse(accelerateConfiguration{Status: b.Accelerate})
	})
}

type requestPaymentConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ RequestPaymentConfiguration"`
	Payer   string   `xml:"Payer"`
}

func putBucketRequestPayment(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in requestPaymentConfiguration
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if in.Payer != "Requester" && in.Payer != "BucketOwner" {
		return nil, malformedXML()
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.RequesterPays = in.Payer == "Requester"
		return empty(http.StatusOK), nil
	})
}

func getBucketRequestPayment(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		payer := "BucketOwner"
		if b.RequesterPays {
			payer = "Requester"
		}
		return xmlResponse(requestPaymentConfiguration{Payer: payer})
	})
}

// loggingEnabled is where a bucket's server access logs would go.
type loggingEnabled struct {
	TargetBucket string `xml:"TargetBucket"`
	TargetPrefix string `xml:"TargetPrefix"`
	TargetGrants *struct {
		Grants []struct{} `xml:"Grant"`
	} `xml:"TargetGrants,omitempty" json:"-"` // refused: buckets here take no ACLs
	TargetObjectKeyFormat *struct {
		SimplePrefix      *struct{} `xml:"SimplePrefix,omitempty" json:",omitempty"`
		PartitionedPrefix *struct {
			PartitionDateSource string `xml:"PartitionDateSource,omitempty" json:",omitempty"`
		} `xml:"PartitionedPrefix,omitempty" json:",omitempty"`
	} `xml:"TargetObjectKeyFormat,omitempty" json:",omitempty"`
}

type bucketLoggingStatus struct {
	XMLName        xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ BucketLoggingStatus"`
	LoggingEnabled *loggingEnabled `xml:"LoggingEnabled,omitempty"`
}

func putBucketLogging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	var in bucketLoggingStatus
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	le := in.LoggingEnabled
	if le != nil && le.TargetGrants != nil && len(le.TargetGrants.Grants) > 0 {
		return nil, errorf(AccessControlListNotSupported, "The bucket does not allow ACLs").With("BucketName", r.Bucket)
	}
	if le != nil && le.TargetBucket == "" {
		return nil, malformedXML()
	}
	if le != nil && le.TargetObjectKeyFormat != nil && (le.TargetObjectKeyFormat.SimplePrefix == nil) == (le.TargetObjectKeyFormat.PartitionedPrefix == nil) {
		return nil, malformedXML()
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	b, ok := s.buckets[r.Bucket]
	if !ok {
		return nil, noSuchBucket(r.Bucket)
	}
	if le != nil {
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
		target, ok := s.buckets[le.TargetBucket]
		switch {
		case !ok:
			return nil, errorf(InvalidTargetBucketForLogging, "The target bucket for logging does not exist").With("TargetBucket", le.TargetBucket)
		case target.Region != b.Region:
			return nil, errorf(CrossLocationLoggingProhibitted, "Cross S3 location logging not allowed. ").
				With("TargetBucketLocation", target.Region)
		}
		c := *le
		c.TargetGrants = nil
		b.Logging = &c
	} else {
		b.Logging = nil
	}
	return empty(http.StatusOK), nil
}

func getBucketLogging(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		return xmlResponse(bucketLoggingStatus{LoggingEnabled: b.Logging})
	})
}
