package sim_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3LifecycleConfiguration(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "lc-config")
		_, err := client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-config")})
		wantS3Error(t, err, "NoSuchLifecycleConfiguration", 404)
		put := func(rules ...s3types.LifecycleRule) error {
			_, err := client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("lc-config"),
				LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: rules}})
			return err
		}
		logs := s3types.LifecycleRule{ID: aws.String("logs"), Status: s3types.ExpirationStatusEnabled,
			Filter:     &s3types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(30)},
			Transitions: []s3types.Transition{{Days: aws.Int32(30), StorageClass: s3types.TransitionStorageClassStandardIa},
				{Days: aws.Int32(90), StorageClass: s3types.TransitionStorageClassGlacier}},
			AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(7)}}
		if err := put(logs); err != nil {
			t.Fatal(err)
		}
		got, err := client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-config")})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rules) != 1 || aws.ToString(got.Rules[0].ID) != "logs" || aws.ToString(got.Rules[0].Filter.Prefix) != "logs/" ||
			aws.ToInt32(got.Rules[0].Expiration.Days) != 30 || len(got.Rules[0].Transitions) != 2 ||
			got.Rules[0].Transitions[1].StorageClass != "GLACIER" || aws.ToInt32(got.Rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation) != 7 {
			t.Errorf("GetBucketLifecycleConfiguration = %+v", got.Rules)
		}
		c.Diverges(t, conformance.Moto, "moto does not send x-amz-transition-default-minimum-object-size")
		if got.TransitionDefaultMinimumObjectSize != s3types.TransitionDefaultMinimumObjectSizeAllStorageClasses128k {
			t.Errorf("TransitionDefaultMinimumObjectSize = %q", got.TransitionDefaultMinimumObjectSize)
		}

		for name, tc := range map[string]struct {
			rule s3types.LifecycleRule
			code string
		}{
			"no action": {s3types.LifecycleRule{Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{}}, "InvalidRequest"},
			"zero days": {s3types.LifecycleRule{Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(0)}}, "InvalidArgument"},
			"IA too soon": {s3types.LifecycleRule{Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{},
				Transitions: []s3types.Transition{{Days: aws.Int32(5), StorageClass: "STANDARD_IA"}}}, "InvalidArgument"},
			"bad status": {s3types.LifecycleRule{Status: "Maybe", Filter: &s3types.LifecycleRuleFilter{}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}}, "MalformedXML"},
			"date not midnight": {s3types.LifecycleRule{Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{},
				Expiration: &s3types.LifecycleExpiration{Date: aws.Time(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))}}, "InvalidArgument"},
			"abort with tags": {s3types.LifecycleRule{Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{Tag: &s3types.Tag{Key: aws.String("k"), Value: aws.String("v")}},
				AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}}, "InvalidRequest"},
		} {
			if err := put(tc.rule); apiCode(t, err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if err := put(logs, logs); apiCode(t, err) != "InvalidArgument" {
			t.Errorf("two rules of one ID: %v", err)
		}
		if _, err := client.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: aws.String("lc-config")}); err != nil {
			t.Fatal(err)
		}
		_, err = client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("lc-config")})
		wantS3Error(t, err, "NoSuchLifecycleConfiguration", 404)
	})
}

// TestS3LifecyclePlayed moves the simulator's clock and watches the rules act: objects
// move to colder classes and expire, noncurrent versions go, incomplete uploads are
// aborted, and an archived object must be restored before it is read.
func TestS3LifecyclePlayed(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "lc-played")
		big := bytes.Repeat([]byte("l"), 200<<10) // over the 128 KiB below which nothing moves
		for _, key := range []string{"logs/big", "keep/big"} {
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lc-played"), Key: aws.String(key), Body: bytes.NewReader(big)}); err != nil {
				t.Fatal(err)
			}
		}
		mustPut(t, client, "lc-played", "logs/small", "tiny")
		mp, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/upload")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("lc-played"),
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
				ID: aws.String("logs"), Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
				Transitions:                    []s3types.Transition{{Days: aws.Int32(1), StorageClass: "GLACIER"}},
				Expiration:                     &s3types.LifecycleExpiration{Days: aws.Int32(10)},
				AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(3)},
			}}}}); err != nil {
			t.Fatal(err)
		}
		class := func(key string) string {
			t.Helper()
			h, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-played"), Key: aws.String(key)})
			if err != nil {
				return apiCode(t, err)
			}
			if h.StorageClass == "" {
				return "STANDARD"
			}
			return string(h.StorageClass)
		}
		if got := class("logs/big"); got != "STANDARD" {
			t.Errorf("before a day: %s", got)
		}
		h0, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big")})
		wantExpiry := `expiry-date="` + c.Now().UTC().Add(10*24*time.Hour).Truncate(24*time.Hour).Add(24*time.Hour).Format(http.TimeFormat) + `", rule-id="logs"`
		if err != nil || aws.ToString(h0.Expiration) != wantExpiry {
			t.Errorf("HeadObject Expiration = %q, %v; want %q", aws.ToString(h0.Expiration), err, wantExpiry)
		}
		c.Advance(t, 49*time.Hour) // past the midnight after a day
		if got := class("logs/big"); got != "GLACIER" {
			t.Errorf("after two days logs/big is %s, want GLACIER", got)
		}
		if got, other := class("logs/small"), class("keep/big"); got != "STANDARD" || other != "STANDARD" {
			t.Errorf("a small object moved (%s), or one the rule does not name (%s)", got, other)
		}
		_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big")})
		wantS3Error(t, err, "InvalidObjectState", 403)
		_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("copy"), CopySource: aws.String("lc-played/logs/big")})
		wantS3Error(t, err, "InvalidObjectState", 403)

		// A restore: accepted, in progress, then readable for its days.
		_, err = client.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("keep/big"),
			RestoreRequest: &s3types.RestoreRequest{Days: aws.Int32(1)}})
		wantS3Error(t, err, "InvalidObjectState", 403)
		restore := &s3.RestoreObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big"),
			RestoreRequest: &s3types.RestoreRequest{Days: aws.Int32(2), GlacierJobParameters: &s3types.GlacierJobParameters{Tier: s3types.TierExpedited}}}
		if _, err := client.RestoreObject(ctx, restore); err != nil {
			t.Fatal(err)
		}
		_, err = client.RestoreObject(ctx, restore)
		wantS3Error(t, err, "RestoreAlreadyInProgress", 409)
		h, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big")})
		if err != nil || aws.ToString(h.Restore) != `ongoing-request="true"` {
			t.Errorf("HeadObject during the restore: %q, %v", aws.ToString(h.Restore), err)
		}
		c.Advance(t, 10*time.Minute)
		h, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big")})
		if err != nil || !strings.HasPrefix(aws.ToString(h.Restore), `ongoing-request="false", expiry-date="`) {
			t.Errorf("HeadObject after the restore: %q, %v", aws.ToString(h.Restore), err)
		}
		got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/big")})
		if err != nil {
			t.Fatalf("GetObject of a restored object: %v", err)
		}
		if n := len(readBody(t, got)); n != len(big) {
			t.Errorf("restored body is %d bytes", n)
		}

		// The upload is aborted after its three days; the objects expire after ten.
		c.Advance(t, 2*24*time.Hour)
		_, err = client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("lc-played"), Key: aws.String("logs/upload"), UploadId: mp.UploadId})
		wantS3Error(t, err, "NoSuchUpload", 404)
		c.Advance(t, 7*24*time.Hour)
		list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lc-played")})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "keep/big" {
			var keys []string
			for _, o := range list.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
			t.Errorf("after eleven days the bucket holds %v, want [keep/big]", keys)
		}
	})
}

// In a versioned bucket, expiring the current version adds a delete marker, and the
// noncurrent versions go their own days after they became noncurrent.
func TestS3LifecycleVersions(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		mustBucket(t, client, "lc-versions")
		if _, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("lc-versions"),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: "Enabled"}}); err != nil {
			t.Fatal(err)
		}
		mustPut(t, client, "lc-versions", "doc", "v1")
		mustPut(t, client, "lc-versions", "doc", "v2")
		if _, err := client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("lc-versions"),
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
				Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{},
				Expiration:                  &s3types.LifecycleExpiration{Days: aws.Int32(5)},
				NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(2)},
			}}}}); err != nil {
			t.Fatal(err)
		}
		versions := func() (int, int) {
			t.Helper()
			lv, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("lc-versions")})
			if err != nil {
				t.Fatal(err)
			}
			return len(lv.Versions), len(lv.DeleteMarkers)
		}
		c.Advance(t, 3*24*time.Hour)
		if v, m := versions(); v != 1 || m != 0 {
			t.Errorf("after three days: %d versions, %d markers; want v1 gone", v, m)
		}
		c.Advance(t, 3*24*time.Hour)
		if v, m := versions(); v != 1 || m != 1 {
			t.Errorf("after six days: %d versions, %d markers; want v2 noncurrent behind a marker", v, m)
		}
		c.Advance(t, 3*24*time.Hour)
		if v, m := versions(); v != 0 || m != 0 {
			t.Errorf("after nine days: %d versions, %d markers; want nothing (the lone marker expired too)", v, m)
		}
	})
}

// Many goroutines write and read a bucket whose lifecycle rules play while the clock moves,
// with CORS, notifications and Object Lock in the same requests' path. Run with -race.
func TestS3LifecycleConcurrent(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("busy-bucket"), ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("busy-bucket"),
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
				Status: "Enabled", Filter: &s3types.LifecycleRuleFilter{},
				Expiration:                  &s3types.LifecycleExpiration{Days: aws.Int32(1)},
				NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(1)},
			}}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("busy-bucket"), CORSConfiguration: &s3types.CORSConfiguration{
			CORSRules: []s3types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"*"}}}}}); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		errs := make(chan error, 64)
		for w := range 6 {
			go func() {
				defer func() { done <- struct{}{} }()
				for i := range 20 {
					key := aws.String("k" + string(rune('a'+w)) + string(rune('a'+i%5)))
					if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("busy-bucket"), Key: key, Body: strings.NewReader("x")}); err != nil {
						errs <- err
					}
					client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("busy-bucket"), Key: key})
					if _, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("busy-bucket")}); err != nil {
						errs <- err
					}
				}
			}()
		}
		go func() {
			defer func() { done <- struct{}{} }()
			for range 10 {
				c.Advance(t, 6*time.Hour)
			}
		}()
		for range 7 {
			<-done
		}
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		c.Advance(t, 5*24*time.Hour)
		lv, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("busy-bucket")})
		if err != nil || len(lv.Versions) != 0 || len(lv.DeleteMarkers) != 0 {
			t.Errorf("after five days: %d versions, %d markers, %v; want none", len(lv.Versions), len(lv.DeleteMarkers), err)
		}
	})
}
