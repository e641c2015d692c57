package params

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSetUnion: a tagged union in shorthand and JSON, as the AWS CLI takes it, and botocore's
// messages for none, two or an unknown member.
func TestSetUnion(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:kms:us-east-1:123456789012:key/k-1"
	for _, w := range []string{"SSEKMS={KMSKeyArn=" + arn + ",BucketKeyEnabled=true}", `{"SSEKMS":{"KMSKeyArn":"` + arn + `","BucketKeyEnabled":true}}`} {
		in, err := set[s3.UpdateObjectEncryptionInput](t, Options{}, []string{"object-encryption", w})
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		m, ok := in.ObjectEncryption.(*s3types.ObjectEncryptionMemberSSEKMS)
		if !ok || aws.ToString(m.Value.KMSKeyArn) != arn || !aws.ToBool(m.Value.BucketKeyEnabled) {
			t.Errorf("%s: %#v", w, in.ObjectEncryption)
		}
	}
	for w, want := range map[string]string{
		`{}`:                             "Must set one of the following keys for tagged unionstructure ObjectEncryption: SSEKMS.",
		`{"SSEKMS":{},"SSES3":{}}`:       "Invalid number of parameters set for tagged union structure ObjectEncryption. Can only set one of the following keys: SSEKMS.",
		`{"SSES3":{}}`:                   `Unknown parameter in ObjectEncryption: "SSES3", must be one of: SSEKMS`,
		"SSEKMS={BucketKeyEnabled=true}": `Missing required parameter in ObjectEncryption.SSEKMS: "KMSKeyArn"`,
	} {
		_, err := set[s3.UpdateObjectEncryptionInput](t, Options{}, []string{"object-encryption", w})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", w, err, want)
		}
	}
}
