package s3sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
)

// # Server-side encryption
//
// Every object is encrypted at rest: since January 2023 a bucket without a configuration of
// its own encrypts new objects with SSE-S3 (AES256), and GetBucketEncryption answers that
// default rather than ServerSideEncryptionConfigurationNotFoundError.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
// An object records how it was encrypted (SSE-S3, SSE-KMS with its key's ARN, DSSE-KMS) and
// says so on every PUT, GET and HEAD. No bytes are encrypted: nothing reads them but S3.

// The encryption algorithms of x-amz-server-side-encryption.
const (
	sseS3      = "AES256"
	sseKMS     = "aws:kms"
	sseKMSDSSE = "aws:kms:dsse"
)

// encryption is how an object is (or a bucket's new objects are) encrypted.
type encryption struct {
	Algorithm string `json:",omitempty"` // "" is AES256
	KMSKeyID  string `json:",omitempty"` // the key's ARN, for aws:kms and aws:kms:dsse
	BucketKey bool   `json:",omitempty"`
}

func (e encryption) algorithm() string {
	if e.Algorithm == "" {
		return sseS3
	}
	return e.Algorithm
}

func (e encryption) kms() bool { return e.Algorithm == sseKMS || e.Algorithm == sseKMSDSSE }

// header writes the encryption headers of a response about an object encrypted with e.
func (e encryption) header(h http.Header) {
	h.Set("X-Amz-Server-Side-Encryption", e.algorithm())
	if e.kms() {
		h.Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", e.KMSKeyID)
		if e.BucketKey {
			h.Set("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true")
		}
	}
}

// kmsKeyARN returns the ARN S3 reports for a KMS key named as a request names it: an ARN as
// given, a key ID or alias as an ARN in region, and no key at all as the account's AWS
// managed key for S3 (aws/s3), whose ID is derived from the account and region here.
func kmsKeyARN(account, region, key string) string {
	switch {
	case strings.HasPrefix(key, "arn:"):
		return key
	case strings.HasPrefix(key, "alias/"):
		return "arn:aws:kms:" + region + ":" + account + ":" + key
	case key != "":
		return "arn:aws:kms:" + region + ":" + account + ":key/" + key
	}
	sum := sha256.Sum256([]byte("aws/s3 " + account + " " + region))
	h := hex.EncodeToString(sum[:16])
	return "arn:aws:kms:" + region + ":" + account + ":key/" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// requestEncryption reads the encryption a write asks for in its headers: ok is false when
// it asks for none (the bucket's default then applies).
func requestEncryption(h http.Header) (e encryption, ok bool, err error) {
	alg := h.Get("X-Amz-Server-Side-Encryption")
	key := h.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id")
	bk := h.Get("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled")
	switch alg {
	case "":
		if key != "" {
			return e, false, invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
				"x-amz-server-side-encryption-aws-kms-key-id", key)
		}
		return e, false, nil
	case sseS3, sseKMS, sseKMSDSSE:
	default:
		return e, false, invalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", alg)
	}
	if alg == sseS3 && key != "" {
		return e, false, invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
			"x-amz-server-side-encryption-aws-kms-key-id", key)
	}
	e = encryption{Algorithm: alg, KMSKeyID: key, BucketKey: strings.EqualFold(bk, "true") && alg != sseS3}
	if alg == sseS3 {
		e.Algorithm = ""
	}
	return e, true, nil
}

// encryptionFor returns how a new object of b is encrypted: as its request asks, else as
// the bucket's default says. s.mu is held.
func (s *Store) encryptionFor(b *bucket, h http.Header) (encryption, error) {
	e, ok, err := requestEncryption(h)
	if err != nil {
		return e, err
	}
	if !ok && b.Encryption != nil {
		e = *b.Encryption
	}
	if e.kms() {
		e.KMSKeyID = kmsKeyARN(s.account, b.Region, e.KMSKeyID)
	}
	return e, nil
}

// sseConfiguration is the document of Put/GetBucketEncryption.
type sseConfiguration struct {
	XMLName xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ServerSideEncryptionConfiguration"`
	Rules   []sseRule `xml:"Rule"`
}

type sseRule struct {
	Default *struct {
		SSEAlgorithm   string `xml:"SSEAlgorithm"`
		KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
	} `xml:"ApplyServerSideEncryptionByDefault"`
	Blocked *struct {
		EncryptionType []string `xml:"EncryptionType"`
	} `xml:"BlockedEncryptionTypes"`
	BucketKeyEnabled *bool `xml:"BucketKeyEnabled"`
}

// parseEncryptionConfiguration reads and validates a PutBucketEncryption document.
func parseEncryptionConfiguration(body []byte) (*encryption, error) {
	var in sseConfiguration
	if err := decodeXML(body, &in); err != nil {
		return nil, err
	}
	if len(in.Rules) != 1 || in.Rules[0].Default == nil {
		return nil, malformedXML()
	}
	rule := in.Rules[0]
	e := &encryption{Algorithm: rule.Default.SSEAlgorithm, BucketKey: rule.BucketKeyEnabled != nil && *rule.BucketKeyEnabled}
	switch e.Algorithm {
	case sseS3:
		if rule.Default.KMSMasterKeyID != "" {
			return nil, invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
				"ApplyServerSideEncryptionByDefault", "")
		}
		e.Algorithm = ""
	case sseKMS, sseKMSDSSE:
		e.KMSKeyID = rule.Default.KMSMasterKeyID
	default:
		return nil, malformedXML()
	}
	if rule.Blocked != nil {
		for _, t := range rule.Blocked.EncryptionType {
			if t != "SSE-C" && t != "NONE" {
				return nil, malformedXML()
			}
		}
	}
	return e, nil
}

func putBucketEncryption(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	e, err := parseEncryptionConfiguration(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Encryption = e
		return empty(http.StatusOK), nil
	})
}

func getBucketEncryption(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		e := encryption{}
		if b.Encryption != nil {
			e = *b.Encryption
		}
		rule := sseRule{BucketKeyEnabled: new(e.BucketKey)}
		rule.Default = &struct {
			SSEAlgorithm   string `xml:"SSEAlgorithm"`
			KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
		}{SSEAlgorithm: e.algorithm(), KMSMasterKeyID: e.KMSKeyID}
		return xmlResponse(sseConfiguration{Rules: []sseRule{rule}})
	})
}

// deleteBucketEncryption puts the bucket back to the default, SSE-S3.
func deleteBucketEncryption(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Encryption = nil
		return empty(http.StatusNoContent), nil
	})
}
