package sim_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3GetObjectAttributes(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "attrs-bucket")
		put, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("one"),
			Body: bytes.NewReader([]byte("hello")), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, StorageClass: s3types.StorageClassStandardIa})
		if err != nil {
			t.Fatal(err)
		}
		all := []s3types.ObjectAttributes{"ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"}
		c.Diverges(t, conformance.Moto, "moto's GetObjectAttributes sends Last-Modified in ISO 8601, which the SDK does not parse")
		got, err := client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("one"), ObjectAttributes: all})
		if err != nil {
			t.Fatal(err)
		}
		if `"`+aws.ToString(got.ETag)+`"` != aws.ToString(put.ETag) || aws.ToInt64(got.ObjectSize) != 5 || got.StorageClass != "STANDARD_IA" ||
			got.Checksum == nil || aws.ToString(got.Checksum.ChecksumSHA256) != aws.ToString(put.ChecksumSHA256) || got.ObjectParts != nil || got.LastModified == nil {
			t.Errorf("GetObjectAttributes = %+v", got)
		}

		mp, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("parts")})
		if err != nil {
			t.Fatal(err)
		}
		var done []s3types.CompletedPart
		for i, size := range []int{5 << 20, 5 << 20, 7} {
			p, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("parts"), UploadId: mp.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(make([]byte, size))})
			if err != nil {
				t.Fatal(err)
			}
			done = append(done, s3types.CompletedPart{ETag: p.ETag, PartNumber: aws.Int32(int32(i + 1))})
		}
		if _, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("parts"),
			UploadId: mp.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: done}}); err != nil {
			t.Fatal(err)
		}
		got, err = client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("parts"),
			ObjectAttributes: []s3types.ObjectAttributes{"ObjectParts", "ObjectSize"}, MaxParts: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if op := got.ObjectParts; op == nil || aws.ToInt32(op.TotalPartsCount) != 3 || len(op.Parts) != 2 || !aws.ToBool(op.IsTruncated) ||
			aws.ToString(op.NextPartNumberMarker) != "2" || aws.ToInt64(op.Parts[1].Size) != 5<<20 || aws.ToInt64(got.ObjectSize) != 10<<20+7 || got.ETag != nil {
			t.Errorf("GetObjectAttributes of parts = %+v %+v", got, got.ObjectParts)
		}
		_, err = client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("one"), ObjectAttributes: []s3types.ObjectAttributes{"Colour"}})
		wantS3Error(t, err, "InvalidArgument", 400)
		_, err = client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs-bucket"), Key: aws.String("missing"), ObjectAttributes: all})
		wantS3Error(t, err, "NoSuchKey", 404)
	})
}

// Transfer Acceleration, Requester Pays and logging settings, kept and answered.
func TestS3BucketSettings(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "settings-bucket")
		mustBucket(t, client, "logs-bucket")
		mustBucket(t, client, "dotted.bucket")

		acc, err := client.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: aws.String("settings-bucket")})
		if err != nil || acc.Status != "" {
			t.Errorf("GetBucketAccelerateConfiguration of a new bucket = %q, %v", acc.Status, err)
		}
		if _, err := client.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: aws.String("settings-bucket"),
			AccelerateConfiguration: &s3types.AccelerateConfiguration{Status: "Enabled"}}); err != nil {
			t.Fatal(err)
		}
		if acc, err = client.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: aws.String("settings-bucket")}); err != nil || acc.Status != "Enabled" {
			t.Errorf("GetBucketAccelerateConfiguration = %q, %v", acc.Status, err)
		}
		_, err = client.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: aws.String("dotted.bucket"),
			AccelerateConfiguration: &s3types.AccelerateConfiguration{Status: "Enabled"}})
		wantS3Error(t, err, "InvalidRequest", 400)

		c.Diverges(t, conformance.Moto, "moto answers GetBucketRequestPayment without a Payer, and refuses logging to a bucket without the log-delivery group's ACL grants, which buckets with ACLs disabled cannot have")
		pay, err := client.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: aws.String("settings-bucket")})
		if err != nil || pay.Payer != "BucketOwner" {
			t.Errorf("GetBucketRequestPayment = %q, %v", pay.Payer, err)
		}
		if _, err := client.PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: aws.String("settings-bucket"),
			RequestPaymentConfiguration: &s3types.RequestPaymentConfiguration{Payer: "Requester"}}); err != nil {
			t.Fatal(err)
		}
		if pay, err = client.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: aws.String("settings-bucket")}); err != nil || pay.Payer != "Requester" {
			t.Errorf("GetBucketRequestPayment = %q, %v", pay.Payer, err)
		}

		lg, err := client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String("settings-bucket")})
		if err != nil || lg.LoggingEnabled != nil {
			t.Errorf("GetBucketLogging of a new bucket = %+v, %v", lg, err)
		}
		logTo := func(target string) error {
			_, err := client.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String("settings-bucket"), BucketLoggingStatus: &s3types.BucketLoggingStatus{
				LoggingEnabled: &s3types.LoggingEnabled{TargetBucket: aws.String(target), TargetPrefix: aws.String("access/")}}})
			return err
		}
		wantS3Error(t, logTo("no-such-logs-bucket"), "InvalidTargetBucketForLogging", 400)
		if err := logTo("logs-bucket"); err != nil {
			t.Fatal(err)
		}
		lg, err = client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String("settings-bucket")})
		if err != nil || lg.LoggingEnabled == nil || aws.ToString(lg.LoggingEnabled.TargetBucket) != "logs-bucket" || aws.ToString(lg.LoggingEnabled.TargetPrefix) != "access/" {
			t.Errorf("GetBucketLogging = %+v, %v", lg.LoggingEnabled, err)
		}
		if _, err := client.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: aws.String("settings-bucket"), BucketLoggingStatus: &s3types.BucketLoggingStatus{}}); err != nil {
			t.Fatal(err)
		}
		if lg, err = client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String("settings-bucket")}); err != nil || lg.LoggingEnabled != nil {
			t.Errorf("GetBucketLogging after it was turned off = %+v, %v", lg.LoggingEnabled, err)
		}
	})
}

// The new operations authorize with AWS's actions: a user is refused each until a policy
// names it; GetObjectAttributes needs s3:GetObject as well.
func TestS3NewOperationsAuthorization(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, root, "guarded-bucket")
		mustPut(t, root, "guarded-bucket", "doc", "x")
		userCfg := newUser(t, c, "auditor")
		user := s3Client(t, c, "path", conformance.WithCredentials(credsOf(t, userCfg)))
		admin := iam.NewFromConfig(c.Config())
		allow := func(actions string) {
			t.Helper()
			if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("auditor"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{
			"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + actions + `],"Resource":["arn:aws:s3:::guarded-bucket","arn:aws:s3:::guarded-bucket/*"]}]}`)}); err != nil {
				t.Fatal(err)
			}
		}
		calls := map[string]func() error{
			"s3:GetEncryptionConfiguration": func() error {
				_, err := user.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("guarded-bucket")})
				return err
			},
			"s3:GetLifecycleConfiguration": func() error {
				_, err := user.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("guarded-bucket")})
				return err
			},
			"s3:GetBucketCORS": func() error {
				_, err := user.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("guarded-bucket")})
				return err
			},
			"s3:GetBucketObjectLockConfiguration": func() error {
				_, err := user.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("guarded-bucket")})
				return err
			},
			"s3:GetBucketNotification": func() error {
				_, err := user.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("guarded-bucket")})
				return err
			},
		}
		for act, call := range calls {
			err := call()
			wantS3Error(t, err, "AccessDenied", 403)
			if !strings.Contains(err.Error(), "perform: "+act+" on resource") {
				t.Errorf("%s: %v", act, err)
			}
		}
		attrs := func() error {
			_, err := user.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("guarded-bucket"), Key: aws.String("doc"),
				ObjectAttributes: []s3types.ObjectAttributes{"ObjectSize"}})
			return err
		}
		allow(`"s3:GetObjectAttributes"`)
		if err := attrs(); err == nil || !strings.Contains(err.Error(), "s3:GetObject on resource") {
			t.Errorf("GetObjectAttributes without s3:GetObject: %v", err)
		}
		allow(`"s3:GetObjectAttributes","s3:GetObject","s3:GetEncryptionConfiguration"`)
		if err := attrs(); err != nil {
			t.Errorf("GetObjectAttributes allowed: %v", err)
		}
		if err := calls["s3:GetEncryptionConfiguration"](); err != nil {
			t.Errorf("GetBucketEncryption allowed: %v", err)
		}
	})
}
