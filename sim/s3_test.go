package sim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// addressings are the two ways a client names a bucket: in the host (what the SDK does by
// default) and in the path (UsePathStyle, and any client of an IP endpoint).
var addressings = []string{"virtual", "path"}

// s3Client returns an S3 client of c, virtual-hosted or path-style. On a server, a
// virtual-hosted client sends bucket.localhost:port, which the account's HTTP client dials to
// the server.
func s3Client(t testing.TB, c *conformance.Account, style string, opts ...conformance.ConfigOption) *s3.Client {
	t.Helper()
	return s3.NewFromConfig(c.Config(opts...), func(o *s3.Options) { o.UsePathStyle = style == "path" })
}

// forEachAddressing runs test with a fresh account of b and a root client of each addressing.
func forEachAddressing(t *testing.T, b conformance.Backend, test func(t *testing.T, c *conformance.Account, client *s3.Client)) {
	for _, style := range addressings {
		t.Run(style, func(t *testing.T) {
			c := b.Open(t)
			test(t, c, s3Client(t, c, style))
		})
	}
}

// httpStatus returns the HTTP status of an SDK error, 0 when it has none.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func wantS3Error(t *testing.T, err error, code string, status int) {
	t.Helper()
	wantCode(t, err, code)
	if got := httpStatus(err); got != status {
		t.Fatalf("status = %d, want %d (err: %v)", got, status, err)
	}
}

func mustBucket(t *testing.T, client *s3.Client, name string) {
	t.Helper()
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func mustPut(t *testing.T, client *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readBody(t *testing.T, out *s3.GetObjectOutput) string {
	t.Helper()
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestS3Buckets(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "my-first-bucket")
			// us-east-1 answers a repeated CreateBucket of one's own bucket with success.
			if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("my-first-bucket")}); err != nil {
				t.Errorf("second CreateBucket in us-east-1: %v", err)
			}
			eu := s3Client(t, c, "path", conformance.WithRegion("eu-west-1"))
			_, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("euro-bucket"),
				CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("euro-bucket"),
				CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
			wantS3Error(t, err, "BucketAlreadyOwnedByYou", 409)
			_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("no-constraint")})
			wantS3Error(t, err, "IllegalLocationConstraintException", 400)
			_, err = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("east-named"),
				CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
			wantS3Error(t, err, "InvalidLocationConstraint", 400)
			c.Diverges(t, conformance.Moto, "moto takes invalid bucket names (Upper-Case, 192.168.5.4, -dash, a..b, xn--bucket)")
			for _, bad := range []string{"Upper-Case", "ab", "192.168.5.4", "-dash", "a..b", "xn--bucket"} {
				_, err = s3Client(t, c, "path").CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bad)})
				if apiCode(t, err) != "InvalidBucketName" {
					t.Errorf("CreateBucket(%q): %v, want InvalidBucketName", bad, err)
				}
			}

			list, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, b := range list.Buckets {
				names = append(names, aws.ToString(b.Name))
				if b.CreationDate == nil || b.CreationDate.IsZero() {
					t.Errorf("bucket %s has no creation date", aws.ToString(b.Name))
				}
			}
			if strings.Join(names, ",") != "euro-bucket,my-first-bucket" || list.Owner == nil || len(aws.ToString(list.Owner.ID)) != 64 {
				t.Errorf("ListBuckets = %v, owner %+v", names, list.Owner)
			}

			head, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("my-first-bucket")})
			if err != nil || aws.ToString(head.BucketRegion) != "us-east-1" {
				t.Errorf("HeadBucket: %v, region %q", err, aws.ToString(head.BucketRegion))
			}
			_, err = client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("missing-bucket")})
			if httpStatus(err) != 404 {
				t.Errorf("HeadBucket(missing) = %v, want 404", err)
			}
			loc, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("euro-bucket")})
			if err != nil || loc.LocationConstraint != "eu-west-1" {
				t.Errorf("GetBucketLocation(euro-bucket) = %v, %q", err, loc.LocationConstraint)
			}
			loc, err = client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("my-first-bucket")})
			if err != nil || loc.LocationConstraint != "" {
				t.Errorf("GetBucketLocation(my-first-bucket) = %v, %q", err, loc.LocationConstraint)
			}
			// A bucket answers requests signed for its own region only.
			_, err = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("euro-bucket")})
			wantS3Error(t, err, "AuthorizationHeaderMalformed", 400)

			mustPut(t, client, "my-first-bucket", "k", "v")
			_, err = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("my-first-bucket")})
			wantS3Error(t, err, "BucketNotEmpty", 409)
			if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("my-first-bucket"), Key: aws.String("k")}); err != nil {
				t.Fatal(err)
			}
			if _, err := client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("my-first-bucket")}); err != nil {
				t.Fatal(err)
			}
			_, err = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("my-first-bucket")})
			wantS3Error(t, err, "NoSuchBucket", 404)
			_, err = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("my-first-bucket")})
			wantS3Error(t, err, "NoSuchBucket", 404)
		})
	})
}

func TestS3Objects(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "objects")
			body := "hello, simulated world"
			put, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("objects"), Key: aws.String("dir/hello world+1.txt"), Body: strings.NewReader(body),
				ContentType: aws.String("text/plain"), CacheControl: aws.String("max-age=60"),
				ContentDisposition: aws.String(`attachment; filename="h.txt"`), Metadata: map[string]string{"Colour": "blue"},
			})
			if err != nil {
				t.Fatal(err)
			}
			const md5hex = `"` + "2b4b0b1d2f2e4f0b0c6b0d4b1c0e1d1f" + `"`
			_ = md5hex
			if tag := aws.ToString(put.ETag); len(tag) != 34 || tag[0] != '"' {
				t.Errorf("PutObject ETag = %s", tag)
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("dir/hello world+1.txt")})
			if err != nil {
				t.Fatal(err)
			}
			if got := readBody(t, get); got != body {
				t.Errorf("GetObject body = %q", got)
			}
			c.Diverges(t, conformance.Moto, "moto does not encrypt new objects (no ServerSideEncryption AES256)")
			if aws.ToString(get.ContentType) != "text/plain" || aws.ToString(get.CacheControl) != "max-age=60" ||
				get.Metadata["colour"] != "blue" || aws.ToString(get.ETag) != aws.ToString(put.ETag) ||
				aws.ToInt64(get.ContentLength) != int64(len(body)) || get.LastModified == nil || get.ServerSideEncryption != "AES256" {
				t.Errorf("GetObject = %+v", get)
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String("dir/hello world+1.txt")})
			if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ContentDisposition) != `attachment; filename="h.txt"` {
				t.Errorf("HeadObject = %+v, %v", head, err)
			}
			mustPut(t, client, "objects", "plain", "x")
			h2, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain")})
			if err != nil || aws.ToString(h2.ContentType) != "application/octet-stream" && aws.ToString(h2.ContentType) != "binary/octet-stream" {
				t.Errorf("default content type = %q, %v", aws.ToString(h2.ContentType), err)
			}

			// Ranges.
			for _, tc := range []struct {
				rng, want, contentRange string
			}{
				{"bytes=0-4", "hello", "bytes 0-4/22"},
				{"bytes=7-", "simulated world", "bytes 7-21/22"},
				{"bytes=-5", "world", "bytes 17-21/22"},
				{"bytes=17-100", "world", "bytes 17-21/22"},
			} {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("dir/hello world+1.txt"), Range: aws.String(tc.rng)})
				if err != nil {
					t.Fatalf("Range %s: %v", tc.rng, err)
				}
				if got := readBody(t, out); got != tc.want || aws.ToString(out.ContentRange) != tc.contentRange {
					t.Errorf("Range %s = %q, %q; want %q, %q", tc.rng, got, aws.ToString(out.ContentRange), tc.want, tc.contentRange)
				}
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), Range: aws.String("bytes=5-9")})
			wantS3Error(t, err, "InvalidRange", 416)

			// Conditions.
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), IfMatch: aws.String(`"nope"`)})
			wantS3Error(t, err, "PreconditionFailed", 412)
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), IfNoneMatch: put.ETag})
			if err != nil {
				t.Errorf("If-None-Match of another ETag: %v", err)
			}
			h3, _ := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain")})
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), IfNoneMatch: h3.ETag})
			if httpStatus(err) != 304 {
				t.Errorf("If-None-Match of its ETag: %v, want 304", err)
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), IfModifiedSince: aws.Time(c.Now().Add(time.Hour))})
			if httpStatus(err) != 304 {
				t.Errorf("If-Modified-Since later: %v, want 304", err)
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"), IfUnmodifiedSince: aws.Time(c.Now().Add(-time.Hour))})
			wantS3Error(t, err, "PreconditionFailed", 412)

			// Response header overrides.
			ov, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain"),
				ResponseContentType: aws.String("text/csv"), ResponseContentDisposition: aws.String("inline")})
			if err != nil || aws.ToString(ov.ContentType) != "text/csv" || aws.ToString(ov.ContentDisposition) != "inline" {
				t.Errorf("overrides: %v %+v", err, ov)
			}

			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("missing")})
			wantS3Error(t, err, "NoSuchKey", 404)
			var nsk *s3types.NoSuchKey
			if !errors.As(err, &nsk) {
				t.Errorf("GetObject(missing) is not a *types.NoSuchKey: %T", err)
			}
			_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String("missing")})
			if httpStatus(err) != 404 {
				t.Errorf("HeadObject(missing) = %v", err)
			}
			for range 2 { // idempotent
				if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain")}); err != nil {
					t.Fatal(err)
				}
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("plain")})
			wantS3Error(t, err, "NoSuchKey", 404)
		})
	})
}

func TestS3CopyObject(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "source-bucket")
			mustBucket(t, client, "target-bucket")
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("source-bucket"), Key: aws.String("a b/ü.txt"),
				Body: strings.NewReader("copy me"), ContentType: aws.String("text/plain"), Metadata: map[string]string{"k": "v"}}); err != nil {
				t.Fatal(err)
			}
			src := url.PathEscape("source-bucket/a b/ü.txt")
			out, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("copy.txt"), CopySource: aws.String(src)})
			if err != nil {
				t.Fatal(err)
			}
			if out.CopyObjectResult == nil || aws.ToString(out.CopyObjectResult.ETag) == "" {
				t.Errorf("CopyObject result = %+v", out.CopyObjectResult)
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("copy.txt")})
			if err != nil {
				t.Fatal(err)
			}
			if readBody(t, get) != "copy me" || get.Metadata["k"] != "v" || aws.ToString(get.ContentType) != "text/plain" {
				t.Errorf("copy = %+v", get)
			}
			// REPLACE takes the request's metadata.
			if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("copy.txt"), CopySource: aws.String(src),
				MetadataDirective: s3types.MetadataDirectiveReplace, Metadata: map[string]string{"new": "1"}, ContentType: aws.String("text/markdown")}); err != nil {
				t.Fatal(err)
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("copy.txt")})
			if err != nil || head.Metadata["new"] != "1" || head.Metadata["k"] != "" || aws.ToString(head.ContentType) != "text/markdown" {
				t.Errorf("after REPLACE: %+v %v", head.Metadata, err)
			}
			// Onto itself without a change.
			_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("copy.txt"), CopySource: aws.String("target-bucket/copy.txt")})
			wantS3Error(t, err, "InvalidRequest", 400)
			_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("x"), CopySource: aws.String("source-bucket/missing")})
			wantS3Error(t, err, "NoSuchKey", 404)
			c.Diverges(t, conformance.Moto, "moto answers a CopySource without a key with a 500")
			_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("target-bucket"), Key: aws.String("x"), CopySource: aws.String("nokey")})
			wantS3Error(t, err, "InvalidArgument", 400)
		})
	})
}

func TestS3Unimplemented(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator) // what the simulator lacks, AWS has
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "torrent-bucket")
		mustPut(t, client, "torrent-bucket", "file", "x")
		_, err := client.GetObjectTorrent(context.Background(), &s3.GetObjectTorrentInput{Bucket: aws.String("torrent-bucket"), Key: aws.String("file")})
		wantS3Error(t, err, "NotImplemented", 501)
		var ae interface{ ErrorMessage() string }
		if errors.As(err, &ae); ae == nil || !strings.HasPrefix(ae.ErrorMessage(), "Amazon S3 no longer serves BitTorrent files") {
			t.Errorf("message: %v", err)
		}
		// An operation newer than botocore's model here is named, not taken for an older one
		// of its method and path: DeleteObjectAnnotation does not delete the object.
		_, err = client.DeleteObjectAnnotation(context.Background(), &s3.DeleteObjectAnnotationInput{Bucket: aws.String("torrent-bucket"), Key: aws.String("file"), AnnotationName: aws.String("a")})
		wantS3Error(t, err, "NotImplemented", 501)
		if _, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("torrent-bucket"), Key: aws.String("file")}); err != nil {
			t.Errorf("the object after DeleteObjectAnnotation: %v", err)
		}
	})
}

var _ = bytes.NewReader
