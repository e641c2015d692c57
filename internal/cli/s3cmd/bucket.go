package s3cmd

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/awsxlab/awsx/s3x"
)

// runMb creates the bucket, in the client's region (a LocationConstraint outside
// us-east-1), and prints "make_bucket: b"; a failure is printed and exits 1.
func runMb(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
	path := a.paths[0]
	if !strings.HasPrefix(path, "s3://") {
		return 0, &paramError{"<S3Uri>\nError: Invalid argument type"}
	}
	bucket, _, err := SplitS3Path(path)
	if err != nil {
		return 0, err
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if region := c.Options().Region; region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in); err != nil {
		fmt.Fprintf(env.Err, "make_bucket failed: %s %s\n", path, errorText(err))
		return 1, nil
	}
	fmt.Fprintf(env.Out, "make_bucket: %s\n", bucket)
	return 0, nil
}

// runRb deletes the bucket, with --force first its objects (as rm --recursive does).
func runRb(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
	path := a.paths[0]
	if !strings.HasPrefix(path, "s3://") {
		return 0, &paramError{"<S3Uri>\nError: Invalid argument type"}
	}
	bucket, key, err := SplitS3Path(path)
	if err != nil {
		return 0, err
	}
	if key != "" {
		return 0, &paramError{"Please specify a valid bucket name only. E.g. s3://" + bucket}
	}
	if a.has("force") {
		rm := &args{values: map[string][]string{"recursive": {"true"}}, paths: []string{path}}
		code, err := runTransfer(ctx, c, env, "rm", "<S3Uri>", rm)
		if err != nil {
			code = printError(env.Err, err)
		}
		if code != 0 {
			return 0, &runtimeError{"remove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted."}
		}
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		fmt.Fprintf(env.Err, "remove_bucket failed: %s %s\n", path, errorText(err))
		return 1, nil
	}
	fmt.Fprintf(env.Out, "remove_bucket: %s\n", bucket)
	return 0, nil
}

// runWebsite sets the bucket's website configuration from --index-document and
// --error-document.
func runWebsite(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
	path := strings.TrimSuffix(strings.TrimPrefix(a.paths[0], "s3://"), "/")
	if err := checkSupported(path); err != nil {
		return 0, err
	}
	conf := &types.WebsiteConfiguration{}
	if a.has("index-document") {
		conf.IndexDocument = &types.IndexDocument{Suffix: aws.String(a.get("index-document"))}
	}
	if a.has("error-document") {
		conf.ErrorDocument = &types.ErrorDocument{Key: aws.String(a.get("error-document"))}
	}
	_, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String(path), WebsiteConfiguration: conf})
	return 0, err
}

// runPresign prints a presigned URL that GETs the object for --expires-in seconds (3600),
// signed with SigV4 in the query as botocore's generate_presigned_url signs it ([s3x.Presign],
// which refuses an expiry beyond SigV4's seven days, where botocore signs a URL AWS refuses).
func runPresign(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
	expires := int64(3600)
	if a.has("expires-in") {
		v := a.get("expires-in")
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, &runtimeError{fmt.Sprintf("invalid literal for int() with base 10: '%s'", v)}
		}
		expires = n
	}
	bucket, key, err := SplitS3Path(a.paths[0])
	if err != nil {
		return 0, err
	}
	if key == "" {
		return 0, &paramError{"Parameter validation failed:\nInvalid length for parameter Key, value: 0, valid min length: 1"}
	}
	url, err := s3x.Presign(ctx, s3.NewPresignClient(c), http.MethodGet, bucket, key, time.Duration(expires)*time.Second,
		func(o *s3.PresignOptions) {
			o.ClientOptions = append(o.ClientOptions, func(o *s3.Options) {
				o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
					return s.Build.Add(dropOperationID{}, middleware.After)
				})
			})
		})
	if err != nil {
		return 0, cliError(err, "")
	}
	fmt.Fprintln(env.Out, url)
	return 0, nil
}

// dropOperationID removes the x-id query parameter the SDK adds to every request's URL;
// botocore's presigned URLs have none.
type dropOperationID struct{}

func (dropOperationID) ID() string { return "awsx:DropOperationID" }

func (dropOperationID) HandleBuild(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
	if req, ok := in.Request.(*smithyhttp.Request); ok {
		q := req.URL.Query()
		if q.Has("x-id") {
			q.Del("x-id")
			req.URL.RawQuery = encodeQuery(q)
		}
	}
	return next.HandleBuild(ctx, in)
}

// encodeQuery encodes the query as the SDK does (url.Values.Encode, %20 for spaces).
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}
