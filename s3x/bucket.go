package s3x

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// CreateBucket creates the bucket in region (with its LocationConstraint, which us-east-1
// must not have), and reports whether it made it: a bucket the caller already owns (found
// with HeadBucket) is no error, so CreateBucket is safe to re-run. A name another account holds answers
// BucketAlreadyExists: bucket names are global across all of AWS.
//
// On AWS a bucket costs nothing until it stores something; a new bucket blocks public
// access and disables ACLs (since April 2023).
func CreateBucket(ctx context.Context, c API, bucket, region string) (created bool, err error) {
	if region == "" {
		return false, fmt.Errorf("s3x: create bucket %q: a region is required", bucket)
	}
	// us-east-1 answers a CreateBucket of a bucket its caller owns with success, as if made
	// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html): ask first.
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}, withRegion(region)); err == nil {
		return false, nil
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in, withRegion(region)); err != nil {
		if errorCode(err) == "BucketAlreadyOwnedByYou" {
			return false, nil
		}
		return false, wrap(err, "create bucket %q in %s", bucket, region)
	}
	return true, nil
}

// withRegion sends a request to region: a bucket's requests go to its own region.
func withRegion(region string) func(*s3.Options) {
	return func(o *s3.Options) { o.Region = region }
}

// EmptyOptions tunes [EmptyBucket] and [DeleteBucket].
type EmptyOptions struct {
	// Progress, when set, is called after each batch deleted, with the objects, versions
	// and delete markers deleted so far.
	Progress func(deleted int)
	// ClientOptions tune every request (for example the region of the bucket).
	ClientOptions []func(*s3.Options)
}

// EmptyBucket deletes everything in the bucket: every object, every version of it and
// every delete marker (listed with ListObjectVersions, which lists a bucket that never had
// versioning too) in DeleteObjects batches of up to 1,000, then aborts the multipart
// uploads in progress, whose parts are billed as storage. It returns how many versions and
// markers it deleted. A bucket that does not exist is empty: EmptyBucket is safe to re-run.
// Objects under S3 Object Lock retention cannot be deleted; they are reported in the error.
//
// On AWS, DELETE requests are free; the LIST requests are billed per 1,000.
func EmptyBucket(ctx context.Context, c API, bucket string, optFns ...func(*EmptyOptions)) (int, error) {
	var o EmptyOptions
	for _, f := range optFns {
		f(&o)
	}
	deleted := 0
	var errs []error
	p := s3.NewListObjectVersionsPaginator(c, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			if errorCode(err) == "NoSuchBucket" {
				return deleted, nil
			}
			return deleted, wrap(err, "empty bucket %q", bucket)
		}
		var ids []types.ObjectIdentifier
		for _, v := range page.Versions {
			ids = append(ids, types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		for len(ids) > 0 {
			batch := ids[:min(len(ids), 1000)]
			ids = ids[len(batch):]
			failed, err := deleteBatch(ctx, c, bucket, batch, o.ClientOptions)
			if err != nil {
				return deleted, fmt.Errorf("s3x: empty bucket %q: %w", bucket, errors.Unwrap(err))
			}
			deleted += len(batch) - len(failed)
			for _, e := range failed {
				errs = append(errs, e)
			}
			if o.Progress != nil {
				o.Progress(deleted)
			}
		}
	}
	if err := abortUploads(ctx, c, bucket, o.ClientOptions); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return deleted, fmt.Errorf("s3x: empty bucket %q: %w", bucket, errors.Join(errs...))
	}
	return deleted, nil
}

// abortUploads aborts the bucket's multipart uploads in progress.
func abortUploads(ctx context.Context, c API, bucket string, opts []func(*s3.Options)) error {
	p := s3.NewListMultipartUploadsPaginator(c, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, opts...)
		if err != nil {
			if errorCode(err) == "NoSuchBucket" {
				return nil
			}
			return wrap(err, "list multipart uploads of %q", bucket)
		}
		for _, u := range page.Uploads {
			_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId}, opts...)
			if err != nil && errorCode(err) != "NoSuchUpload" {
				return wrap(err, "abort upload of s3://%s/%s", bucket, aws.ToString(u.Key))
			}
		}
	}
	return nil
}

// DeleteBucket empties the bucket ([EmptyBucket]) and deletes it. A bucket that does not
// exist is no error, so DeleteBucket is safe to re-run.
func DeleteBucket(ctx context.Context, c API, bucket string, optFns ...func(*EmptyOptions)) error {
	var o EmptyOptions
	for _, f := range optFns {
		f(&o)
	}
	if _, err := EmptyBucket(ctx, c, bucket, optFns...); err != nil {
		return err
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}, o.ClientOptions...); err != nil && errorCode(err) != "NoSuchBucket" {
		return wrap(err, "delete bucket %q", bucket)
	}
	return nil
}
