package sim_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// ABAC is off on a new bucket; while it is on, PutBucketTagging and DeleteBucketTagging are
// refused and the tags stay as they were.
func TestBucketAbac(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no bucket ABAC")
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "abac-bucket")
		if st := must(client.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("abac-bucket")}))(t).AbacStatus; st == nil || st.Status != types.BucketAbacStatusDisabled {
			t.Fatalf("new bucket's ABAC = %+v", st)
		}
		tags := &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}
		must(client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("abac-bucket"), Tagging: tags}))(t)
		must(client.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-bucket"), AbacStatus: &types.AbacStatus{Status: types.BucketAbacStatusEnabled}}))(t)
		if st := must(client.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("abac-bucket")}))(t).AbacStatus; st.Status != types.BucketAbacStatusEnabled {
			t.Errorf("ABAC = %q after enabling", st.Status)
		}
		_, err := client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("abac-bucket"), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}}})
		wantS3Error(t, err, "InvalidRequest", 400)
		_, err = client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("abac-bucket")})
		wantS3Error(t, err, "InvalidRequest", 400)
		if ts := must(client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("abac-bucket")}))(t).TagSet; len(ts) != 1 || *ts[0].Value != "a" {
			t.Errorf("tags = %+v", ts)
		}
		_, err = client.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-bucket"), AbacStatus: &types.AbacStatus{Status: "On"}})
		wantS3Error(t, err, "MalformedXML", 400)
		must(client.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-bucket"), AbacStatus: &types.AbacStatus{Status: types.BucketAbacStatusDisabled}}))(t)
		must(client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("abac-bucket")}))(t)
		_, err = client.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("no-such-abac-bucket")})
		wantS3Error(t, err, "NoSuchBucket", 404)

		// s3:GetBucketAbac and s3:PutBucketAbac authorize them.
		user := s3.NewFromConfig(policyUser(t, c, "abac-reader", `{"Effect":"Allow","Action":"s3:GetBucketAbac","Resource":"*"}`), func(o *s3.Options) { o.UsePathStyle = false })
		must(user.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("abac-bucket")}))(t)
		_, err = user.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-bucket"), AbacStatus: &types.AbacStatus{Status: types.BucketAbacStatusEnabled}})
		wantS3Error(t, err, "AccessDenied", 403)
	})
}

// What S3 serves only to directory buckets, BitTorrent, and S3 Metadata's tables are refused
// with their reason, after the bucket is checked.
func TestS3UnsupportedFeatures(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.Simulator)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "gp-bucket")
		mustPut(t, client, "gp-bucket", "a", "x")
		bucket := aws.String("gp-bucket")
		cases := map[string]struct {
			call   func() error
			reason string
		}{
			"RenameObject": {func() error {
				_, err := client.RenameObject(ctx, &s3.RenameObjectInput{Bucket: bucket, Key: aws.String("b"), RenameSource: aws.String("a")})
				return err
			}, "directory buckets"},
			"CreateSession": {func() error {
				_, err := client.CreateSession(ctx, &s3.CreateSessionInput{Bucket: bucket})
				return err
			}, "directory buckets"},
			"GetObjectTorrent": {func() error {
				_, err := client.GetObjectTorrent(ctx, &s3.GetObjectTorrentInput{Bucket: bucket, Key: aws.String("a")})
				return err
			}, "BitTorrent"},
			"GetBucketMetadataConfiguration": {func() error {
				_, err := client.GetBucketMetadataConfiguration(ctx, &s3.GetBucketMetadataConfigurationInput{Bucket: bucket})
				return err
			}, "S3 Tables"},
			"PutObjectAnnotation": {func() error {
				_, err := client.PutObjectAnnotation(ctx, &s3.PutObjectAnnotationInput{Bucket: bucket, Key: aws.String("a"), AnnotationName: aws.String("n"), AnnotationPayload: strings.NewReader("{}")})
				return err
			}, "S3 Tables"},
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				err := tc.call()
				wantS3Error(t, err, "NotImplemented", 501)
				var ae interface{ ErrorMessage() string }
				if !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), tc.reason) {
					t.Errorf("message: %v", err)
				}
			})
		}
		_, err := client.GetBucketMetadataConfiguration(ctx, &s3.GetBucketMetadataConfigurationInput{Bucket: aws.String("no-such-gp-bucket")})
		wantS3Error(t, err, "NoSuchBucket", 404)
		if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("a")}); err != nil {
			t.Errorf("the object after RenameObject: %v", err)
		}
	})
}

func TestBucketAbacPersistsAndRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	client := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("abac-race")}))(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			st := types.BucketAbacStatusDisabled
			if i%2 == 0 {
				st = types.BucketAbacStatusEnabled
			}
			must(client.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-race"), AbacStatus: &types.AbacStatus{Status: st}}))(t)
			must(client.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("abac-race")}))(t)
			client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("abac-race")})
		})
	}
	wg.Wait()
	must(client.PutBucketAbac(ctx, &s3.PutBucketAbacInput{Bucket: aws.String("abac-race"), AbacStatus: &types.AbacStatus{Status: types.BucketAbacStatusEnabled}}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	c2 := s3.NewFromConfig(d.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	if st := must(c2.GetBucketAbac(ctx, &s3.GetBucketAbacInput{Bucket: aws.String("abac-race")}))(t).AbacStatus; st.Status != types.BucketAbacStatusEnabled {
		t.Errorf("loaded ABAC = %q", st.Status)
	}
}
