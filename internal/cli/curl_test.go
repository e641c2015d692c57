package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim"
)

// TestCurl fetches a bucket's website endpoint and a presigned URL from a simulator, as
// `awsx sim curl` does.
func TestCurl(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	client := s3.NewFromConfig(cloud.Config())
	steps := []func() error{
		func() error {
			_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("site")})
			return err
		},
		func() error {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("site"), Key: aws.String("index.html"),
				Body: strings.NewReader("<h1>hello</h1>\n"), ContentType: aws.String("text/html")})
			return err
		},
		func() error {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("site"), Key: aws.String("docs/index.html"), Body: strings.NewReader("docs\n")})
			return err
		},
		func() error {
			_, err := client.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("site"),
				WebsiteConfiguration: &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}})
			return err
		},
	}
	for _, f := range steps {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	site, _ := cloud.WebsiteURL("site")
	run := func(args ...string) (string, int) {
		t.Helper()
		var out bytes.Buffer
		err := curl(NewFactory(&IO{Out: &out}, nil, t.TempDir()), handlerFetch(cloud), awsHostsOnly, args)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.msg, ee.code
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), 0
	}
	// Not public yet: Block Public Access is on and there is no bucket policy.
	if out, code := run("-s", "-f", site); code != 22 || !strings.Contains(out, "403") {
		t.Errorf("before the policy: %d %q", code, out)
	}
	if _, err := client.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("site")}); err != nil {
		t.Fatal(err)
	}
	// s3:ListBucket too: without it a missing page is 403, not 404, for S3 does not say what
	// is not there. https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html
	if _, err := client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("site"), Policy: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},
			{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::site"}]}`)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{site}, 0, "<h1>hello</h1>\n"},
		{[]string{"-I", site}, 0, "HTTP/1.1 200 OK\r\n"},
		{[]string{"-s", site + "/docs"}, 0, ""}, // a redirect to docs/, not followed
		{[]string{"-sL", site + "/docs"}, 0, "docs\n"},
		{[]string{"-sSfL", "-H", "-x: y", site + "/docs"}, 0, "docs\n"},
		{[]string{"-sI", site}, 0, "HTTP/1.1 200 OK\r\n"},
		{[]string{"-f", site + "/missing.html"}, 22, "returned error: 404"},
		{[]string{"http://example.com/"}, 6, "Could not resolve host: example.com"},
		{[]string{"-Z", site}, 2, "not supported"},
	} {
		out, code := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) || tc.want == "" && out != "" {
			t.Errorf("curl %v = %d %q, want %d %q", tc.args, code, out, tc.code, tc.want)
		}
	}
	// A presigned URL, written to a file with -o; it expires with the simulator's clock.
	req, err := s3.NewPresignClient(client).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("site"), Key: aws.String("docs/index.html")},
		s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "got.html")
	if _, code := run("-o", file, req.URL); code != 0 {
		t.Fatalf("presigned: %d", code)
	}
	if b, _ := os.ReadFile(file); string(b) != "docs\n" {
		t.Errorf("presigned body %q", b)
	}
	cloud.Advance(2 * time.Minute)
	if out, code := run("-f", req.URL); code != 22 || !strings.Contains(out, "403") {
		t.Errorf("expired: %d %q", code, out)
	}
}
