package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The bucket configurations and the objects' encryption, lock and restore survive a reopen
// of the state directory, and the lifecycle rules still play after it.
func TestOpenKeepsS3Configurations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept-vault"), ObjectLockEnabledForBucket: aws.Bool(true)}))(t)
	must(client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("kept-vault"), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: aws.String("k-1")}}}}}))(t)
	must(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("kept-vault"), CORSConfiguration: &s3types.CORSConfiguration{
		CORSRules: []s3types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}}}}))(t)
	must(client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("kept-vault"),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{ID: aws.String("tmp"), Status: "Enabled",
			Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}}}}}))(t)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("tmp/scratch"), Body: strings.NewReader("s")}))(t)
	held := must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("held"), Body: strings.NewReader("h"),
		ObjectLockLegalHoldStatus: "ON", ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32}))(t)
	must(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("cold"), Body: strings.NewReader("c"), StorageClass: "GLACIER"}))(t)
	must(client.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("cold"), RestoreRequest: &s3types.RestoreRequest{Days: aws.Int32(3)}}))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = openCloud(t, dir, false)
	defer c.Close()
	client = s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	enc := must(client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String("kept-vault")}))(t)
	if aws.ToString(enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != "k-1" {
		t.Errorf("encryption after reopen = %+v", enc.ServerSideEncryptionConfiguration.Rules[0])
	}
	if cors := must(client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("kept-vault")}))(t); len(cors.CORSRules) != 1 {
		t.Errorf("CORS after reopen = %+v", cors.CORSRules)
	}
	must(client.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("kept-vault")}))(t)
	head := must(client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("held")}))(t)
	if head.ObjectLockLegalHoldStatus != "ON" || head.ServerSideEncryption != "aws:kms" {
		t.Errorf("object after reopen = hold %q, SSE %q", head.ObjectLockLegalHoldStatus, head.ServerSideEncryption)
	}
	_, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("held"), VersionId: held.VersionId})
	wantS3Error(t, err, "AccessDenied", 403)
	c.Advance(6 * time.Hour)
	if cold := must(client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("cold")}))(t); !strings.Contains(aws.ToString(cold.Restore), `ongoing-request="false"`) {
		t.Errorf("restore after reopen = %q", aws.ToString(cold.Restore))
	}
	c.Advance(48 * time.Hour)
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("kept-vault"), Key: aws.String("tmp/scratch")})
	if httpStatus(err) != 404 {
		t.Errorf("tmp/scratch two days after reopen: %v, want it expired", err)
	}
}
