package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// TestS3ObjectLock: a bucket made with Object Lock, its default retention, a version's
// retention and legal hold, deletes of locked versions refused, GOVERNANCE bypassed only
// with the header and s3:BypassGovernanceRetention.
func TestS3ObjectLock(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		root := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, root, "plain-bucket")
		_, err := root.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("plain-bucket")})
		wantS3Error(t, err, "ObjectLockConfigurationNotFoundError", 404)
		enable := &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled}
		_, err = root.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("plain-bucket"), ObjectLockConfiguration: enable})
		wantS3Error(t, err, "InvalidBucketState", 409)
		_, err = root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("plain-bucket"), Key: aws.String("k"), Body: strings.NewReader("x"),
			ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn})
		wantS3Error(t, err, "InvalidRequest", 400)
		mustPut(t, root, "plain-bucket", "k", "x")
		_, err = root.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("plain-bucket"), Key: aws.String("k")})
		wantS3Error(t, err, "InvalidRequest", 400)

		if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vault"), ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
		v, err := root.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vault")})
		if err != nil || v.Status != "Enabled" {
			t.Errorf("versioning of a bucket with Object Lock: %q, %v", v.Status, err)
		}
		_, err = root.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vault"),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: "Suspended"}})
		wantS3Error(t, err, "InvalidBucketState", 409)
		lc, err := root.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("vault")})
		if err != nil || lc.ObjectLockConfiguration.ObjectLockEnabled != "Enabled" || lc.ObjectLockConfiguration.Rule != nil {
			t.Errorf("GetObjectLockConfiguration = %+v, %v", lc, err)
		}
		if _, err := root.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("vault"),
			ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: "Enabled", Rule: &s3types.ObjectLockRule{
				DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance, Days: aws.Int32(1)}}}}); err != nil {
			t.Fatal(err)
		}
		lc, err = root.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("vault")})
		if err != nil || lc.ObjectLockConfiguration.Rule == nil || lc.ObjectLockConfiguration.Rule.DefaultRetention.Mode != "GOVERNANCE" ||
			aws.ToInt32(lc.ObjectLockConfiguration.Rule.DefaultRetention.Days) != 1 {
			t.Errorf("GetObjectLockConfiguration with a default = %+v, %v", lc, err)
		}

		// The default retention: a day of GOVERNANCE.
		gov := mustPut(t, root, "vault", "ledger", "page 1")
		ret, err := root.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("vault"), Key: aws.String("ledger")})
		if err != nil || ret.Retention.Mode != "GOVERNANCE" || !ret.Retention.RetainUntilDate.Equal(c.Now().Add(24*time.Hour).Truncate(time.Millisecond)) {
			t.Errorf("GetObjectRetention = %+v, %v", ret, err)
		}
		head, err := root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vault"), Key: aws.String("ledger")})
		if err != nil || head.ObjectLockMode != "GOVERNANCE" || head.ObjectLockRetainUntilDate == nil {
			t.Errorf("HeadObject = %+v, %v", head, err)
		}
		_, err = root.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("ledger"), VersionId: gov.VersionId})
		wantS3Error(t, err, "AccessDenied", 403)
		// Without a version ID, a delete marker is added, as in any versioned bucket.
		if del, err := root.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("ledger")}); err != nil || !aws.ToBool(del.DeleteMarker) {
			t.Errorf("DeleteObject without a version: %+v, %v", del, err)
		}

		// COMPLIANCE, set on a version, binds even root, and cannot be shortened.
		until := c.Now().Add(48 * time.Hour).Truncate(time.Second)
		comp, err := root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("contract"), Body: strings.NewReader("signed"),
			ObjectLockMode: s3types.ObjectLockModeCompliance, ObjectLockRetainUntilDate: aws.Time(until), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatal(err)
		}
		_, err = root.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("vault"), Key: aws.String("contract"),
			Retention: &s3types.ObjectLockRetention{Mode: "COMPLIANCE", RetainUntilDate: aws.Time(until.Add(-time.Hour))}, BypassGovernanceRetention: aws.Bool(true)})
		wantS3Error(t, err, "AccessDenied", 403)
		if _, err := root.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("vault"), Key: aws.String("contract"),
			Retention: &s3types.ObjectLockRetention{Mode: "COMPLIANCE", RetainUntilDate: aws.Time(until.Add(time.Hour))}}); err != nil {
			t.Errorf("lengthening a retention: %v", err)
		}
		out, err := root.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("vault"), Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{
			{Key: aws.String("contract"), VersionId: comp.VersionId}}}, BypassGovernanceRetention: aws.Bool(true)})
		if err != nil || len(out.Errors) != 1 || aws.ToString(out.Errors[0].Code) != "AccessDenied" {
			t.Errorf("DeleteObjects of a COMPLIANCE version = %+v, %v", out, err)
		}
		_, err = root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("x"), Body: strings.NewReader("x"),
			ObjectLockMode: s3types.ObjectLockModeCompliance, ObjectLockRetainUntilDate: aws.Time(c.Now().Add(-time.Hour))})
		wantS3Error(t, err, "InvalidArgument", 400)

		// A legal hold keeps a version whatever its retention says.
		_, err = root.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String("vault"), Key: aws.String("contract")})
		wantS3Error(t, err, "NoSuchObjectLockConfiguration", 404)
		if _, err := root.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("vault"), Key: aws.String("contract"),
			LegalHold: &s3types.ObjectLockLegalHold{Status: "ON"}}); err != nil {
			t.Fatal(err)
		}
		lh, err := root.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String("vault"), Key: aws.String("contract")})
		if err != nil || lh.LegalHold.Status != "ON" {
			t.Errorf("GetObjectLegalHold = %+v, %v", lh, err)
		}
		c.Advance(t, 72*time.Hour) // past every retention
		_, err = root.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("contract"), VersionId: comp.VersionId})
		wantS3Error(t, err, "AccessDenied", 403)
		if _, err := root.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("vault"), Key: aws.String("contract"),
			LegalHold: &s3types.ObjectLockLegalHold{Status: "OFF"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("contract"), VersionId: comp.VersionId}); err != nil {
			t.Errorf("DeleteObject once the hold is off and the retention over: %v", err)
		}

		// GOVERNANCE yields to the bypass header, for a caller allowed s3:BypassGovernanceRetention.
		c.Require(t, conformance.EnforcesIAM)
		g2 := mustPut(t, root, "vault", "draft", "d")
		userCfg := newUser(t, c, "clerk")
		clerk := s3Client(t, c, "path", conformance.WithCredentials(credsOf(t, userCfg)))
		admin := iam.NewFromConfig(c.Config())
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("clerk"), PolicyName: aws.String("delete"), PolicyDocument: aws.String(`{
		"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::vault/*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		del := &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("draft"), VersionId: g2.VersionId, BypassGovernanceRetention: aws.Bool(true)}
		_, err = clerk.DeleteObject(ctx, del)
		wantS3Error(t, err, "AccessDenied", 403)
		if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("clerk"), PolicyName: aws.String("bypass"), PolicyDocument: aws.String(`{
		"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:BypassGovernanceRetention","Resource":"arn:aws:s3:::vault/*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		_, err = clerk.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vault"), Key: aws.String("draft"), VersionId: g2.VersionId})
		wantS3Error(t, err, "AccessDenied", 403) // the permission without the header
		if _, err := clerk.DeleteObject(ctx, del); err != nil {
			t.Errorf("DeleteObject bypassing GOVERNANCE: %v", err)
		}
	})
}
