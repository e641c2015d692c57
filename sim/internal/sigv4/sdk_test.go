package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// capture is an http.Client that records the request and answers 500, so that the SDK client
// gives up after one attempt.
type capture struct{ reqs []*http.Request }

var errCaptured = errors.New("captured")

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	c.reqs = append(c.reqs, r)
	return nil, errCaptured
}

func sdkConfig(c *capture, at time.Time, token string) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(s3AKID, s3Secret, token),
		HTTPClient:  c,
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		Logger:      nil,
	}
}

// lastRequest returns the captured request as a server receives it, and its body.
func lastRequest(t *testing.T, c *capture) (*http.Request, []byte) {
	t.Helper()
	if len(c.reqs) == 0 {
		t.Fatal("no request captured")
	}
	return overTheWire(t, c.reqs[len(c.reqs)-1])
}

// TestVerifySDKClients signs with the real service clients (their whole middleware stack:
// User-Agent, amz-sdk-* headers, checksums, aws-chunked trailers) and verifies what arrives.
func TestVerifySDKClients(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second)
	calls := []struct {
		name string
		call func(cfg aws.Config) error
	}{
		{"iam ListUsers", func(cfg aws.Config) error {
			_, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/a b+c/")})
			return err
		}},
		{"sts GetCallerIdentity", func(cfg aws.Config) error {
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}},
		{"ec2 DescribeRegions", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = "eu-west-3" }).DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
			return err
		}},
		{"s3 GetObject odd key", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{
				Bucket: aws.String("bucket"), Key: aws.String("dir/a b+c$!(x)~=é%.txt"), Range: aws.String("bytes=0-9")})
			return err
		}},
		{"s3 PutObject http", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) {
				o.UsePathStyle = true
				o.BaseEndpoint = aws.String("http://127.0.0.1:4566")
			}).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("k y"),
				Body: strings.NewReader("hello world"), Metadata: map[string]string{"owner": "me"}})
			return err
		}},
		{"s3 PutObject https unseekable (aws-chunked trailer)", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("bucket"), Key: aws.String("k"), ContentLength: aws.Int64(11), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32,
				Body: io.NopCloser(strings.NewReader("hello world"))})
			return err
		}},
		{"s3 PutObject https", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("bucket"), Key: aws.String("k"), Body: strings.NewReader("hello world")})
			return err
		}},
	}
	chunked := 0
	defer func() {
		if chunked == 0 {
			t.Error("no SDK call sent an aws-chunked body")
		}
	}()
	for _, token := range []string{"", "FwoGZXIvYXdzEXAMPLE=="} {
		for _, tc := range calls {
			t.Run(tc.name+map[bool]string{true: " with session token"}[token != ""], func(t *testing.T) {
				c := &capture{}
				if err := tc.call(sdkConfig(c, at, token)); !errors.Is(err, errCaptured) {
					t.Fatalf("call: %v", err)
				}
				r, body := lastRequest(t, c)
				a, err := Parse(r)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if a.SessionToken != token {
					t.Fatalf("SessionToken = %q", a.SessionToken)
				}
				if err := Verify(r, body, a, s3Secret, at); err != nil {
					t.Fatalf("Verify: %v\nheaders %v", err, r.Header)
				}
				if err := Verify(r, body, a, "x"+s3Secret, at); kindOf(err) != Mismatch {
					t.Fatalf("Verify with a wrong secret = %v", err)
				}
				if a.PayloadHash == StreamingUnsignedTrailer {
					chunked++
					cr, err := NewChunkedReader(bytes.NewReader(body), a, s3Secret)
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(cr)
					if err != nil || string(got) != "hello world" || len(cr.Trailer()) == 0 {
						t.Fatalf("chunked body = %q, %v, trailer %v", got, err, cr.Trailer())
					}
				}
			})
		}
	}
}

func TestVerifyPresignClients(t *testing.T) {
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Second)
	cfg := sdkConfig(&capture{}, at, "FwoGZXIvYXdzEXAMPLE==")

	ps3 := s3.NewPresignClient(s3.NewFromConfig(cfg))
	get, err := ps3.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("a b/c(1).txt")},
		s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	put, err := ps3.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("up.bin"),
		ContentType: aws.String("application/octet-stream")})
	if err != nil {
		t.Fatal(err)
	}
	psts := sts.NewPresignClient(sts.NewFromConfig(cfg))
	gci, err := psts.PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	type presigned interface{}
	for name, p := range map[string]struct {
		method, url string
		header      http.Header
		expires     time.Duration
	}{
		"s3 GetObject":          {get.Method, get.URL, get.SignedHeader, 10 * time.Minute},
		"s3 PutObject":          {put.Method, put.URL, put.SignedHeader, 15 * time.Minute},
		"sts GetCallerIdentity": {gci.Method, gci.URL, gci.SignedHeader, 0},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := http.NewRequest(p.method, p.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range p.header {
				if !strings.EqualFold(k, "Host") {
					r.Header[k] = v
				}
			}
			r, body := overTheWire(t, r)
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !a.Presigned || a.Expires != p.expires {
				t.Fatalf("Parse = %+v", a)
			}
			if err := Verify(r, body, a, s3Secret, at.Add(time.Minute)); err != nil {
				t.Fatalf("Verify: %v\n%s", err, p.url)
			}
			q := r.URL.Query()
			q.Set("X-Amz-Security-Token", "other")
			r.URL.RawQuery = q.Encode()
			if err := Verify(r, body, a, s3Secret, at.Add(time.Minute)); kindOf(err) != Mismatch {
				t.Fatalf("Verify with a changed token = %v, want Mismatch", err)
			}
		})
	}

	t.Run("expiry", func(t *testing.T) {
		r, err := http.NewRequest(get.Method, get.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			now  time.Time
			kind Kind
		}{
			{at, 0}, {at.Add(10 * time.Minute), 0},
			{at.Add(10*time.Minute + time.Second), Expired},
			{at.Add(-time.Second), NotYetValid},
		} {
			err := Verify(r, nil, a, s3Secret, tc.now)
			if kindOf(err) != tc.kind {
				t.Fatalf("at %v: Verify = %v, want %v", tc.now.Sub(at), err, tc.kind)
			}
			if tc.kind == Expired {
				e := err.(*Error)
				if code, status := e.Code("s3"); code != "AccessDenied" || status != 403 || e.Message != "Request has expired" {
					t.Fatalf("expired: %s %d %q", code, status, e.Message)
				}
			}
		}
	})
}

// TestVerifySignsIgnoredHeaders: a client may sign headers the SDK's signer skips by name
// (User-Agent, X-Amzn-Trace-Id, Expect, Transfer-Encoding) and may leave out content-length; the
// expected signature is computed here from a canonical request written out by hand.
func TestVerifySignsIgnoredHeaders(t *testing.T) {
	raw := "PUT /b/k HTTP/1.1\nHost: s3.amazonaws.com\nUser-Agent: curl/8.5.0\nX-Amzn-Trace-Id: Root=1-2\n" +
		"Expect: 100-continue\nTransfer-Encoding: chunked\nX-Amz-Date: 20260101T000000Z\n" +
		"X-Amz-Content-Sha256: UNSIGNED-PAYLOAD\nX-Unsigned: whatever\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, " +
		"SignedHeaders=expect;host;transfer-encoding;user-agent;x-amz-content-sha256;x-amz-date;x-amzn-trace-id, Signature=@SIG@\n\n" +
		"5\r\nhello\r\n0\r\n\r\n"
	canonical := "PUT\n/b/k\n\n" +
		"expect:100-continue\nhost:s3.amazonaws.com\ntransfer-encoding:chunked\nuser-agent:curl/8.5.0\n" +
		"x-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20260101T000000Z\nx-amzn-trace-id:Root=1-2\n\n" +
		"expect;host;transfer-encoding;user-agent;x-amz-content-sha256;x-amz-date;x-amzn-trace-id\nUNSIGNED-PAYLOAD"
	sig := handSign(exampleSecret, "20260101", "us-east-1", "s3", "20260101T000000Z", canonical)
	r, body := readRequest(t, strings.Replace(raw, "@SIG@", sig, 1))
	if len(r.TransferEncoding) == 0 || r.Header.Get("Transfer-Encoding") != "" {
		t.Fatalf("the server did not move Transfer-Encoding: %v %v", r.TransferEncoding, r.Header)
	}
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(r, body, a, exampleSecret, mustTime(t, "20260101T000000Z")); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	r.Header.Set("User-Agent", "curl/8.6.0")
	if err := Verify(r, body, a, exampleSecret, mustTime(t, "20260101T000000Z")); kindOf(err) != Mismatch {
		t.Fatalf("Verify with another signed User-Agent = %v, want Mismatch", err)
	}
}

// handSign is the SigV4 string to sign and key derivation, written out for tests only.
func handSign(secret, date, region, service, amzDate, canonical string) string {
	mac := func(k []byte, s string) []byte { h := hmac.New(sha256.New, k); h.Write([]byte(s)); return h.Sum(nil) }
	sum := sha256.Sum256([]byte(canonical))
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + date + "/" + region + "/" + service + "/aws4_request\n" + hex.EncodeToString(sum[:])
	k := mac(mac(mac(mac([]byte("AWS4"+secret), date), region), service), "aws4_request")
	return hex.EncodeToString(mac(k, sts))
}
