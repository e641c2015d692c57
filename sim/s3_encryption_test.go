package sim_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Default encryption: SSE-S3 on a new bucket (since 2023), a bucket default of SSE-KMS that
// new objects take, a request's own encryption, and the headers of every object's answers.
func TestS3DefaultEncryption(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "sse-bucket")
		c.Diverges(t, conformance.Moto, "moto answers GetBucketEncryption of a new bucket with ServerSideEncryptionConfigurationNotFoundError")
		got, err := client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("sse-bucket")})
		if err != nil {
			t.Fatal(err)
		}
		rules := got.ServerSideEncryptionConfiguration.Rules
		if len(rules) != 1 || rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAes256 || aws.ToBool(rules[0].BucketKeyEnabled) {
			t.Errorf("default encryption = %+v", rules)
		}
		put := mustPut(t, client, "sse-bucket", "plain", "x")
		if put.ServerSideEncryption != s3types.ServerSideEncryptionAes256 {
			t.Errorf("PutObject SSE = %q", put.ServerSideEncryption)
		}

		if _, err := client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("sse-bucket"),
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")},
				BucketKeyEnabled:                   aws.Bool(true),
			}}}}); err != nil {
			t.Fatal(err)
		}
		got, err = client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("sse-bucket")})
		if err != nil {
			t.Fatal(err)
		}
		if d := got.ServerSideEncryptionConfiguration.Rules[0]; d.ApplyServerSideEncryptionByDefault.SSEAlgorithm != "aws:kms" ||
			aws.ToString(d.ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != "1234abcd-12ab-34cd-56ef-1234567890ab" || !aws.ToBool(d.BucketKeyEnabled) {
			t.Errorf("GetBucketEncryption = %+v", d)
		}
		const keyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		kms := mustPut(t, client, "sse-bucket", "kms", "secret")
		if kms.ServerSideEncryption != "aws:kms" || aws.ToString(kms.SSEKMSKeyId) != keyARN || !aws.ToBool(kms.BucketKeyEnabled) {
			t.Errorf("PutObject under SSE-KMS default = %q %q %v", kms.ServerSideEncryption, aws.ToString(kms.SSEKMSKeyId), aws.ToBool(kms.BucketKeyEnabled))
		}
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("kms")})
		if err != nil || head.ServerSideEncryption != "aws:kms" || aws.ToString(head.SSEKMSKeyId) != keyARN {
			t.Errorf("HeadObject = %+v, %v", head, err)
		}
		// The object written before keeps its encryption.
		old, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("plain")})
		if err != nil || old.ServerSideEncryption != "AES256" || old.SSEKMSKeyId != nil {
			t.Errorf("GetObject of the older object = %+v, %v", old, err)
		}
		// A request's own encryption wins; aws:kms without a key is the AWS managed key.
		own, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("own"), Body: strings.NewReader("o"),
			ServerSideEncryption: s3types.ServerSideEncryptionAes256})
		if err != nil || own.ServerSideEncryption != "AES256" {
			t.Errorf("PutObject AES256 = %+v, %v", own, err)
		}
		copied, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("copy"), CopySource: aws.String("sse-bucket/own")})
		if err != nil || copied.ServerSideEncryption != "aws:kms" {
			t.Errorf("CopyObject takes the bucket's default, not its source's: %+v, %v", copied, err)
		}
		_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("bad"), Body: strings.NewReader("o"),
			ServerSideEncryption: "rot13"})
		wantS3Error(t, err, "InvalidArgument", 400)
		_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sse-bucket"), Key: aws.String("bad"), Body: strings.NewReader("o"),
			ServerSideEncryption: "AES256", SSEKMSKeyId: aws.String("some-key")})
		wantS3Error(t, err, "InvalidArgument", 400)

		// A multipart upload says its encryption on every step.
		mp, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("sse-bucket"), Key: aws.String("mp"), ServerSideEncryption: "aws:kms"})
		if err != nil || mp.ServerSideEncryption != "aws:kms" || !strings.HasPrefix(aws.ToString(mp.SSEKMSKeyId), "arn:aws:kms:us-east-1:123456789012:key/") {
			t.Fatalf("CreateMultipartUpload = %+v, %v", mp, err)
		}
		part, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("sse-bucket"), Key: aws.String("mp"), UploadId: mp.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("p")})
		if err != nil || part.ServerSideEncryption != "aws:kms" {
			t.Errorf("UploadPart = %+v, %v", part, err)
		}

		// Bad configurations, then back to the default.
		_, err = client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("sse-bucket"),
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: "AES256", KMSMasterKeyID: aws.String("k")}}}}})
		wantS3Error(t, err, "InvalidArgument", 400)
		_, err = client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("sse-bucket"),
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: "DES"}}}}})
		wantS3Error(t, err, "MalformedXML", 400)
		if _, err := client.DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: aws.String("sse-bucket")}); err != nil {
			t.Fatal(err)
		}
		if p := mustPut(t, client, "sse-bucket", "after", "x"); p.ServerSideEncryption != "AES256" {
			t.Errorf("after DeleteBucketEncryption: %q", p.ServerSideEncryption)
		}
		_, err = client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("no-such-sse-bucket")})
		wantS3Error(t, err, "NoSuchBucket", 404)
	})
}

// GET and HEAD of one part, by its number; CompleteMultipartUpload done twice answers twice.
func TestS3PartNumberAndCompleteAgain(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "parts-bucket")
		mp, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big")})
		if err != nil {
			t.Fatal(err)
		}
		first := bytes.Repeat([]byte("a"), 5<<20)
		var done []s3types.CompletedPart
		for i, body := range [][]byte{first, []byte("tail")} {
			p, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big"), UploadId: mp.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(body)})
			if err != nil {
				t.Fatal(err)
			}
			done = append(done, s3types.CompletedPart{ETag: p.ETag, PartNumber: aws.Int32(int32(i + 1))})
		}
		in := &s3.CompleteMultipartUploadInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big"), UploadId: mp.UploadId,
			MultipartUpload: &s3types.CompletedMultipartUpload{Parts: done}}
		one, err := client.CompleteMultipartUpload(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		c.Diverges(t, conformance.Moto, "moto answers a second CompleteMultipartUpload with NoSuchUpload")
		two, err := client.CompleteMultipartUpload(ctx, in)
		if err != nil || aws.ToString(two.ETag) != aws.ToString(one.ETag) {
			t.Errorf("CompleteMultipartUpload again = %+v, %v; want ETag %s", two, err, aws.ToString(one.ETag))
		}

		got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big"), PartNumber: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if body := readBody(t, got); body != "tail" || aws.ToInt32(got.PartsCount) != 2 || aws.ToString(got.ContentRange) != "bytes 5242880-5242883/5242884" {
			t.Errorf("GetObject part 2 = %q, parts %d, range %q", body, aws.ToInt32(got.PartsCount), aws.ToString(got.ContentRange))
		}
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big"), PartNumber: aws.Int32(1)})
		if err != nil || aws.ToInt64(head.ContentLength) != 5<<20 || aws.ToInt32(head.PartsCount) != 2 {
			t.Errorf("HeadObject part 1 = %+v, %v", head, err)
		}
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("parts-bucket"), Key: aws.String("big"), PartNumber: aws.Int32(3)})
		wantS3Error(t, err, "InvalidPartNumber", 416)

		mustPut(t, client, "parts-bucket", "small", "whole")
		whole, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("parts-bucket"), Key: aws.String("small"), PartNumber: aws.Int32(1)})
		if err != nil || readBody(t, whole) != "whole" || aws.ToString(whole.ContentRange) != "bytes 0-4/5" {
			t.Errorf("GetObject part 1 of a simple object = %+v, %v", whole, err)
		}
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("parts-bucket"), Key: aws.String("small"), PartNumber: aws.Int32(2)})
		c.Diverges(t, conformance.Moto, "moto answers InvalidRange")
		wantS3Error(t, err, "InvalidPartNumber", 416)
	})
}
