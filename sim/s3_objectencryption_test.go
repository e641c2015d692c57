package sim_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// TestS3UpdateObjectEncryption changes objects' encryption in place: SSE-S3 to SSE-KMS with
// a Bucket Key, one KMS key to another, one version of several; everything else of the
// object kept; the sources and targets AWS refuses, Object Lock, and the two permissions.
func TestS3UpdateObjectEncryption(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no UpdateObjectEncryption")
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "vault")
		key1 := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		key2 := "arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321"
		update := func(bucket, k string, version *string, arn string, bucketKey *bool) error {
			_, err := client.UpdateObjectEncryption(ctx, &s3.UpdateObjectEncryptionInput{Bucket: aws.String(bucket), Key: aws.String(k), VersionId: version,
				ObjectEncryption: &s3types.ObjectEncryptionMemberSSEKMS{Value: s3types.SSEKMSEncryption{KMSKeyArn: aws.String(arn), BucketKeyEnabled: bucketKey}}})
			return err
		}
		head := func(bucket, k string, version *string) *s3.HeadObjectOutput {
			t.Helper()
			return must(client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), VersionId: version, ChecksumMode: s3types.ChecksumModeEnabled}))(t)
		}

		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("doc.txt"), Body: strings.NewReader("plans"),
			Metadata: map[string]string{"owner": "ana"}, StorageClass: s3types.StorageClassStandardIa, ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, ContentType: aws.String("text/plain")}))(t)
		before := head("vault", "doc.txt", nil)
		if before.ServerSideEncryption != s3types.ServerSideEncryptionAes256 {
			t.Fatalf("before: %s", before.ServerSideEncryption)
		}
		if err := update("vault", "doc.txt", nil, key1, aws.Bool(true)); err != nil {
			t.Fatal(err)
		}
		after := head("vault", "doc.txt", nil)
		if after.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(after.SSEKMSKeyId) != key1 || !aws.ToBool(after.BucketKeyEnabled) {
			t.Errorf("after: %s %s %v", after.ServerSideEncryption, aws.ToString(after.SSEKMSKeyId), aws.ToBool(after.BucketKeyEnabled))
		}
		if aws.ToString(after.ETag) != aws.ToString(before.ETag) || !aws.ToTime(after.LastModified).Equal(aws.ToTime(before.LastModified)) ||
			after.StorageClass != s3types.StorageClassStandardIa || after.Metadata["owner"] != "ana" || aws.ToString(after.ChecksumSHA256) == "" ||
			aws.ToString(after.ChecksumSHA256) != aws.ToString(before.ChecksumSHA256) || aws.ToString(after.ContentType) != "text/plain" {
			t.Errorf("kept: before %+v, after %+v", before, after)
		}
		// Another key, without a Bucket Key; the object reads as before.
		if err := update("vault", "doc.txt", nil, key2, nil); err != nil {
			t.Fatal(err)
		}
		after = head("vault", "doc.txt", nil)
		if aws.ToString(after.SSEKMSKeyId) != key2 || aws.ToBool(after.BucketKeyEnabled) {
			t.Errorf("second key: %s %v", aws.ToString(after.SSEKMSKeyId), aws.ToBool(after.BucketKeyEnabled))
		}
		get := must(client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vault"), Key: aws.String("doc.txt")}))(t)
		if readBody(t, get) != "plans" || get.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms {
			t.Errorf("get: %s", get.ServerSideEncryption)
		}

		// One version of several.
		must(client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vault"), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}))(t)
		v1 := mustPut(t, client, "vault", "log", "one").VersionId
		v2 := mustPut(t, client, "vault", "log", "two").VersionId
		if err := update("vault", "log", v1, key1, nil); err != nil {
			t.Fatal(err)
		}
		if h := head("vault", "log", v1); h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.VersionId) != aws.ToString(v1) {
			t.Errorf("v1: %s", h.ServerSideEncryption)
		}
		if h := head("vault", "log", v2); h.ServerSideEncryption != s3types.ServerSideEncryptionAes256 {
			t.Errorf("v2 changed: %s", h.ServerSideEncryption)
		}
		if n := len(must(client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vault"), Prefix: aws.String("log")}))(t).Versions); n != 2 {
			t.Errorf("versions = %d, want 2", n)
		}

		// Errors.
		wantS3Error(t, update("vault", "missing", nil, key1, nil), "NoSuchKey", 404)
		wantS3Error(t, update("vault", "log", aws.String("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"), key1, nil), "NoSuchVersion", 404)
		wantS3Error(t, update("nobucket-here", "log", nil, key1, nil), "NoSuchBucket", 404)
		wantS3Error(t, update("vault", "log", nil, "arn:aws:kms:us-east-1:123456789012:alias/mine", nil), "InvalidRequest", 400)
		wantS3Error(t, update("vault", "log", nil, "1234abcd-12ab-34cd-56ef-1234567890ab", nil), "InvalidRequest", 400)
		wantS3Error(t, update("vault", "log", nil, "arn:aws:kms:us-east-1:111122223333:key/1234abcd", nil), "AccessDenied", 403)
		k := newCustomerKey(7)
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("sealed"), Body: strings.NewReader("x"),
			SSECustomerAlgorithm: k.alg, SSECustomerKey: k.key, SSECustomerKeyMD5: k.md5}))(t)
		wantS3Error(t, update("vault", "sealed", nil, key1, nil), "InvalidRequest", 400)
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("dual"), Body: strings.NewReader("x"),
			ServerSideEncryption: s3types.ServerSideEncryptionAwsKmsDsse, SSEKMSKeyId: aws.String(key1)}))(t)
		wantS3Error(t, update("vault", "dual", nil, key2, nil), "InvalidRequest", 400)

		// Object Lock: a legal hold keeps the encryption.
		must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locked"), ObjectLockEnabledForBucket: aws.Bool(true)}))(t)
		must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locked"), Key: aws.String("held"), Body: strings.NewReader("x"), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32, ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn}))(t)
		wantS3Error(t, update("locked", "held", nil, key1, nil), "AccessDenied", 403)

		// Many at once.
		var wg sync.WaitGroup
		for i := range 12 {
			name := fmt.Sprintf("many/%d", i)
			mustPut(t, client, "vault", name, "x")
			wg.Go(func() {
				if err := update("vault", name, nil, key1, aws.Bool(i%2 == 0)); err != nil {
					t.Error(err)
				}
				if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vault"), Key: aws.String(name)}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()

		// Both permissions.
		c.Require(t, conformance.EnforcesIAM)
		putOnly := s3.NewFromConfig(policyUser(t, c, "put-only", `{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}`))
		both := s3.NewFromConfig(policyUser(t, c, "both", `{"Effect":"Allow","Action":["s3:PutObject","s3:UpdateObjectEncryption"],"Resource":"arn:aws:s3:::vault/*"}`))
		updateOnly := s3.NewFromConfig(policyUser(t, c, "update-only", `{"Effect":"Allow","Action":"s3:UpdateObjectEncryption","Resource":"*"}`))
		in := &s3.UpdateObjectEncryptionInput{Bucket: aws.String("vault"), Key: aws.String("doc.txt"),
			ObjectEncryption: &s3types.ObjectEncryptionMemberSSEKMS{Value: s3types.SSEKMSEncryption{KMSKeyArn: aws.String(key1)}}}
		for name, cl := range map[string]*s3.Client{"put-only": putOnly, "update-only": updateOnly} {
			_, err := cl.UpdateObjectEncryption(ctx, in)
			if apiCode(t, err) != "AccessDenied" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := both.UpdateObjectEncryption(ctx, in); err != nil {
			t.Errorf("both: %v", err)
		}
	})
}
