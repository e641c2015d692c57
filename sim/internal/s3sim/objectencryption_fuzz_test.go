package s3sim

import (
	"errors"
	"strings"
	"testing"
)

const uoeNS = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`

// TestParseObjectEncryption: UpdateObjectEncryption's document and AWS's InvalidRequest
// messages for each fault of it.
func TestParseObjectEncryption(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	e, err := parseObjectEncryption([]byte(`<ObjectEncryption ` + uoeNS + `><SSE-KMS><KMSKeyArn>` + arn + `</KMSKeyArn><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>`))
	if err != nil || e != (encryption{Algorithm: sseKMS, KMSKeyID: arn, BucketKey: true}) {
		t.Fatalf("= %+v, %v", e, err)
	}
	for doc, msg := range map[string]string{
		`<SSE-S3></SSE-S3>`:   msgUOETarget,
		``:                    msgUOETarget,
		`<SSE-KMS></SSE-KMS>`: msgUOENoKey,
		`<SSE-KMS><KMSKeyArn>alias/mine</KMSKeyArn></SSE-KMS>`:                                          msgUOEBadKey,
		`<SSE-KMS><KMSKeyArn>` + arn + `</KMSKeyArn><BucketKeyEnabled>yes</BucketKeyEnabled></SSE-KMS>`: msgUOEBucketKey,
	} {
		_, err := parseObjectEncryption([]byte(`<ObjectEncryption ` + uoeNS + `>` + doc + `</ObjectEncryption>`))
		var e *Error
		if !errors.As(err, &e) || e.Code != InvalidRequest || e.Message != msg {
			t.Errorf("%s: %v", doc, err)
		}
	}
	if _, err := parseObjectEncryption([]byte(`<ObjectEncryption>`)); err == nil {
		t.Error("malformed accepted")
	}
}

func FuzzObjectEncryption(f *testing.F) {
	for _, s := range []string{
		`<ObjectEncryption ` + uoeNS + `><SSE-KMS><KMSKeyArn>arn:aws:kms:us-east-1:123456789012:key/k-1</KMSKeyArn><BucketKeyEnabled>false</BucketKeyEnabled></SSE-KMS></ObjectEncryption>`,
		`<ObjectEncryption ` + uoeNS + `><SSE-S3/></ObjectEncryption>`,
		`<ObjectEncryption><SSE-KMS/></ObjectEncryption>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := parseObjectEncryption(body)
		if err != nil {
			wantConfigError(t, "ObjectEncryption", err)
			return
		}
		if e.Algorithm != sseKMS || !kmsKeyARNPattern.MatchString(e.KMSKeyID) || strings.TrimSpace(e.KMSKeyID) != e.KMSKeyID {
			t.Fatalf("accepted %+v", e)
		}
	})
}
