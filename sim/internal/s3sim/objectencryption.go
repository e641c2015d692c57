package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
)

// # UpdateObjectEncryption
//
// UpdateObjectEncryption changes how an existing object (or one version of it) is encrypted,
// in place: from SSE-S3 to SSE-KMS, or from one KMS key to another, with or without an S3
// Bucket Key. Nothing else of the object changes: not its ETag, last-modified time, storage
// class, checksums, metadata or version. Sources encrypted with DSSE-KMS or SSE-C are
// refused, and so is any target but SSE-KMS; the key must be a full KMS key ARN of the
// bucket owner's account; an object under an Object Lock legal hold or an unexpired
// retention cannot be changed. Every object of the simulator is encrypted (SSE-S3 by
// default, as in AWS since 2023), so the refusal of unencrypted sources cannot arise.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UpdateObjectEncryption.html
//
// Authorization: s3:UpdateObjectEncryption and s3:PutObject on the object (the operation's
// Permissions). AWS also checks kms:Encrypt, kms:Decrypt, kms:GenerateDataKey and
// kms:ReEncrypt* on the keys; the simulator has no KMS, and S3's other SSE-KMS writes check
// none either. Pinned by TestS3UpdateObjectEncryption.

// objectEncryptionDoc is UpdateObjectEncryption's request document, the ObjectEncryption
// union: SSE-KMS is its one member; SSE-S3 (which the docs name) is read to be refused.
type objectEncryptionDoc struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ObjectEncryption"`
	SSEKMS  *struct {
		KMSKeyArn        *string `xml:"KMSKeyArn"`
		BucketKeyEnabled *string `xml:"BucketKeyEnabled"`
	} `xml:"SSE-KMS"`
	SSES3 *struct{} `xml:"SSE-S3"`
}

// kmsKeyARNPattern is NonEmptyKmsKeyArnString's pattern in S3's model.
var kmsKeyARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:([0-9]{12}):key/[a-zA-Z0-9-]+$`)

// The InvalidRequest and AccessDenied messages of UpdateObjectEncryption, as its Errors list
// them.
const (
	msgUOESource          = "The UpdateObjectEncryption operation doesn't support source objects with the encryption type DSSE-KMS or SSE-C. Only source objects encrypted with SSE-S3 or SSE-KMS are supported."
	msgUOETarget          = "Requests that modify an object encryption configuration require a valid new encryption type. Valid values are SSEKMS. Modify the request to specify SSE-KMS for the updated encryption type, and then try again."
	msgUOENoKey           = "Requests that modify an object's encryption type to SSE-KMS require an Amazon Web Services KMS key Amazon Resource Name (ARN). Modify the request to specify a KMS key ARN, and then try again."
	msgUOEBadKey          = "Requests that modify an object's encryption type to SSE-KMS require a valid Amazon Web Services KMS key Amazon Resource Name (ARN). Confirm that you have a correctly formatted KMS key ARN in your request, and then try again."
	msgUOEBucketKey       = "The BucketKeyEnabled value isn't valid. Valid values are true or false. Modify the request to specify a valid value, and then try again."
	msgUOEOtherAccountKey = "The Amazon Web Services KMS key in the request must be owned by the same account as the bucket. Modify the request to specify a KMS key from the same account, and then try again."
	msgUOELocked          = "The encryption type for the specified object can’t be updated because that object is protected by S3 Object Lock. If the object has a governance-mode retention period or a legal hold, you must first remove the Object Lock status on the object before you issue your UpdateObjectEncryption request. You can't use the UpdateObjectEncryption operation with objects that have an Object Lock compliance mode retention period applied to them."
)

// parseObjectEncryption reads UpdateObjectEncryption's document into the encryption it asks
// for.
func parseObjectEncryption(body []byte) (encryption, error) {
	var in objectEncryptionDoc
	if err := decodeXML(body, &in); err != nil {
		return encryption{}, err
	}
	k := in.SSEKMS
	if k == nil || in.SSES3 != nil {
		return encryption{}, errorf(InvalidRequest, msgUOETarget)
	}
	if k.KMSKeyArn == nil || strings.TrimSpace(*k.KMSKeyArn) == "" {
		return encryption{}, errorf(InvalidRequest, msgUOENoKey)
	}
	arn := strings.TrimSpace(*k.KMSKeyArn)
	if len(arn) < 20 || len(arn) > 2048 || !kmsKeyARNPattern.MatchString(arn) {
		return encryption{}, errorf(InvalidRequest, msgUOEBadKey)
	}
	e := encryption{Algorithm: sseKMS, KMSKeyID: arn}
	if b := k.BucketKeyEnabled; b != nil {
		switch strings.TrimSpace(*b) {
		case "true":
			e.BucketKey = true
		case "false":
		default:
			return encryption{}, errorf(InvalidRequest, msgUOEBucketKey)
		}
	}
	return e, nil
}

func updateObjectEncryption(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	e, err := parseObjectEncryption(r.Body)
	if err != nil {
		return nil, err
	}
	if m := kmsKeyARNPattern.FindStringSubmatch(e.KMSKeyID); m[1] != s.account {
		return nil, errorf(AccessDenied, msgUOEOtherAccountKey)
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		o, err := s.lookup(b, r)
		if err != nil {
			return nil, err
		}
		if o.SSE.CustomerAlgorithm != "" || o.SSE.Algorithm == sseKMSDSSE {
			return nil, errorf(InvalidRequest, msgUOESource)
		}
		if b.ObjectLock != nil && o.locked(s.now(), false) != nil {
			return nil, errorf(AccessDenied, msgUOELocked)
		}
		c := *o
		c.SSE = e
		replaceVersion(b, o, &c)
		return empty(http.StatusOK), nil
	})
}
