package s3sim

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
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
	// SSE-C: the customer's algorithm (AES256) and the MD5 of their key, base64. The key
	// itself is never kept, as S3 keeps only a salted HMAC of it to check later requests.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html
	CustomerAlgorithm string `json:",omitempty"`
	CustomerKeyMD5    string `json:",omitempty"`
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
	if e.CustomerAlgorithm != "" {
		h.Set(sseCustomerHeader.algorithm, e.CustomerAlgorithm)
		h.Set(sseCustomerHeader.keyMD5, e.CustomerKeyMD5)
		return
	}
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
	if c, cok, err := customerKey(h, sseCustomerHeader); err != nil || cok {
		if err == nil && ok {
			err = invalidArgument("Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
				"x-amz-server-side-encryption", h.Get("X-Amz-Server-Side-Encryption"))
		}
		return c, err
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

// customerHeaders are the names of the three SSE-C headers, written out whole (and
// canonical) so that reading them costs no allocation.
type customerHeaders struct{ algorithm, key, keyMD5 string }

// The SSE-C headers: the request's own key, and a copy source's.
var (
	sseCustomerHeader = customerHeaders{"X-Amz-Server-Side-Encryption-Customer-Algorithm",
		"X-Amz-Server-Side-Encryption-Customer-Key", "X-Amz-Server-Side-Encryption-Customer-Key-Md5"}
	copySSECustomerHeader = customerHeaders{"X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm",
		"X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key", "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key-Md5"}
)

// customerKey reads the three SSE-C headers of names (…-Algorithm, …-Key, …-Key-MD5): ok
// is false when none is sent. The key must be 256 bits, base64, and its MD5 the one sent.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-s3-c-encryption.html
func customerKey(h http.Header, names customerHeaders) (e encryption, ok bool, err error) {
	alg, key, sum := h.Get(names.algorithm), h.Get(names.key), h.Get(names.keyMD5)
	if alg == "" && key == "" && sum == "" {
		return e, false, nil
	}
	const arg = "x-amz-server-side-encryption"
	switch {
	case alg == "":
		return e, false, invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.", arg, "null")
	case alg != "AES256":
		return e, false, errorf(InvalidEncryptionAlgorithmError, "The Encryption request you specified is not valid. Supported value: AES256.").
			With("ArgumentName", arg).With("ArgumentValue", alg)
	case key == "":
		return e, false, invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.", arg, "null")
	}
	raw, derr := base64.StdEncoding.DecodeString(key)
	if derr != nil || len(raw) != 32 {
		return e, false, invalidArgument("The secret key was invalid for the specified algorithm.", arg, "null")
	}
	if sum == "" {
		return e, false, invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.", arg, "null")
	}
	got := md5.Sum(raw)
	if want := base64.StdEncoding.EncodeToString(got[:]); sum != want {
		return e, false, invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.", arg, "null")
	}
	return encryption{CustomerAlgorithm: alg, CustomerKeyMD5: sum}, true, nil
}

// checkCustomerKey checks that a request reading o (names: its own SSE-C headers, or a copy
// source's) gives o's customer key: none for an object without one, the same one for an
// object with one — a different key is refused as AccessDenied.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (SSECustomerKey)
func (o *object) checkCustomerKey(h http.Header, names customerHeaders) error {
	c, ok, err := customerKey(h, names)
	if err != nil {
		return err
	}
	switch {
	case o.SSE.CustomerAlgorithm == "" && ok:
		return errorf(InvalidRequest, "The encryption parameters are not applicable to this object.")
	case o.SSE.CustomerAlgorithm != "" && !ok:
		return errorf(InvalidRequest, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
	case ok && c.CustomerKeyMD5 != o.SSE.CustomerKeyMD5:
		return errorf(AccessDenied, "Access Denied")
	}
	return nil
}
