package sim_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/sim"
)

// countingReader counts what is read of it; after its bytes it blocks until release is
// closed (a client that claims more than it sends and holds the connection).
type countingReader struct {
	data    []byte
	read    atomic.Int64
	release chan struct{}
}

func (r *countingReader) Read(p []byte) (int, error) {
	if int(r.read.Load()) >= len(r.data) {
		if r.release == nil {
			return 0, io.EOF
		}
		<-r.release
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, r.data[r.read.Load():])
	r.read.Add(int64(n))
	return n, nil
}

// An upload S3 refuses is refused from its headers: not a byte of its body is read. (In
// memory, where what the client sent is what the door read; a server also discards what a
// client sends unasked, up to Go's 256 KiB, then closes the connection.)
func TestS3RefusedUploadIsNotRead(t *testing.T) {
	c := sim.New()
	must(s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("private-bucket")}))(t)
	for _, tc := range []struct{ name, bucket, code string }{
		{"anonymous, private bucket", "private-bucket", "<Code>AccessDenied</Code>"},
		{"anonymous, no bucket", "no-such-bucket", "<Code>NoSuchBucket</Code>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingReader{data: make([]byte, 100<<20)}
			req, _ := http.NewRequest(http.MethodPut, "https://s3.us-east-1.amazonaws.com/"+tc.bucket+"/k", body)
			req.ContentLength = int64(len(body.data))
			resp, err := c.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(msg), tc.code) {
				t.Errorf("= %d %s", resp.StatusCode, msg)
			}
			if n := body.read.Load(); n > 0 {
				t.Errorf("%d bytes of the refused body were read", n)
			}
		})
	}
}

// Four uploads that claim 1 GiB each, send 5 bytes and hold, cost no more than the bytes
// that arrived: the door never allocates on a client's word.
func TestClaimedLengthCostsNothing(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	root := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("drop-box")}))(t)
	must(root.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("drop-box")}))(t)
	must(root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("drop-box"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::drop-box/*"}]}`)}))(t)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			body := &countingReader{data: []byte("hello"), release: release}
			req, _ := http.NewRequest(http.MethodPut, "https://s3.us-east-1.amazonaws.com/drop-box/k", body)
			req.ContentLength = 1 << 30
			if resp, err := c.HTTPClient().Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // the four are in, holding
	var during runtime.MemStats
	runtime.ReadMemStats(&during)
	close(release)
	wg.Wait()
	if grew := int64(during.HeapInuse) - int64(before.HeapInuse); grew > 20<<20 {
		t.Errorf("four held 1 GiB claims took %d MiB of heap", grew>>20)
	}
}

// IAM is signed for us-east-1 only; EC2 for a region it has; and a service other than S3
// signs the body's own hash, whatever X-Amz-Content-Sha256 says.
func TestSignatureScopeAndPayload(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	creds := must(c.Config().Credentials.Retrieve(ctx))(t)
	send := func(t *testing.T, url, body, service, region, payloadHash string, after func(*http.Request)) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		if payloadHash == "" {
			payloadHash = sha256Hex(body)
		} else {
			req.Header.Set("X-Amz-Content-Sha256", payloadHash)
		}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, payloadHash, service, region, time.Now()); err != nil {
			t.Fatal(err)
		}
		if after != nil {
			after(req)
		}
		resp, err := c.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Status + " " + string(b)
	}
	listUsers := "Action=ListUsers&Version=2010-05-08"
	if got := send(t, "https://iam.amazonaws.com/", listUsers, "iam", "us-east-1", "", nil); !strings.HasPrefix(got, "200") {
		t.Errorf("IAM signed for us-east-1 = %s", got)
	}
	got := send(t, "https://iam.amazonaws.com/", listUsers, "iam", "eu-west-1", "", nil)
	if !strings.HasPrefix(got, "403") || !strings.Contains(got, "<Code>SignatureDoesNotMatch</Code>") || !strings.Contains(got, "Credential should be scoped to a valid region, not 'eu-west-1'.") {
		t.Errorf("IAM signed for eu-west-1 = %s", got)
	}
	got = send(t, "https://ec2.xx-fake-1.amazonaws.com/", "Action=DescribeRegions&Version=2016-11-15", "ec2", "xx-fake-1", "", nil)
	if !strings.HasPrefix(got, "401") || !strings.Contains(got, "<Code>AuthFailure</Code>") {
		t.Errorf("EC2 signed for xx-fake-1 = %s", got)
	}
	// UNSIGNED-PAYLOAD is S3's: IAM signs the body, so a body swapped after signing is refused.
	got = send(t, "https://iam.amazonaws.com/", listUsers, "iam", "us-east-1", "UNSIGNED-PAYLOAD", func(r *http.Request) {
		r.Body = io.NopCloser(strings.NewReader("Action=CreateUser&UserName=mallory&Version=2010-05-08"))
		r.ContentLength = int64(len("Action=CreateUser&UserName=mallory&Version=2010-05-08"))
	})
	if !strings.HasPrefix(got, "403") || !strings.Contains(got, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("a swapped body under UNSIGNED-PAYLOAD = %s", got)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// A request signed for a service the simulator does not have is authenticated first: a
// stranger gets the refusal of its key, a caller who signed well hears the service is not
// simulated.
func TestUnknownServiceAuthenticatesFirst(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	send := func(creds aws.Credentials) string {
		req, _ := http.NewRequest(http.MethodPost, "https://logs.us-east-1.amazonaws.com/", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "Logs_20140328.DescribeLogGroups")
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, sha256Hex(`{}`), "logs", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := c.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Status + " " + string(b)
	}
	if got := send(aws.Credentials{AccessKeyID: "AKIANOTAKEY000000000", SecretAccessKey: "x"}); !strings.HasPrefix(got, "400") || !strings.Contains(got, "UnrecognizedClientException") {
		t.Errorf("an unknown key = %s", got)
	}
	root := must(c.Config().Credentials.Retrieve(ctx))(t)
	wrong := root
	wrong.SecretAccessKey = "not the secret"
	if got := send(wrong); !strings.HasPrefix(got, "400") || !strings.Contains(got, "InvalidSignatureException") {
		t.Errorf("a bad signature = %s", got)
	}
	if got := send(root); !strings.HasPrefix(got, "501") || !strings.Contains(got, `The simulator does not serve the \"logs\" service.`) {
		t.Errorf("the root = %s", got)
	}
}
