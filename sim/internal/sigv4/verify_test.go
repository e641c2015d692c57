package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	exampleAKID   = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	// The S3 documentation's examples use the IAM example pair.
	s3AKID   = "AKIAIOSFODNN7EXAMPLE"
	s3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// readRequest parses raw HTTP/1.1 text as a server receives it. Lines may end in \n; they are
// rewritten to \r\n.
func readRequest(t testing.TB, raw string) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	head = strings.ReplaceAll(head, "\n", "\r\n") + "\r\n\r\n"
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + body)))
	if err != nil {
		t.Fatalf("ReadRequest: %v", err)
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r, b
}

// overTheWire writes r as a client would and reads it back as a server does.
func overTheWire(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatalf("Write: %v", err)
	}
	s, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("ReadRequest: %v", err)
	}
	b, err := io.ReadAll(s.Body)
	if err != nil {
		t.Fatal(err)
	}
	return s, b
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(timeFormat, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func kindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// TestPublishedVectors checks requests and signatures published by AWS: the SigV4 test suite
// (get-vanilla and friends, 20150830T123600Z, AKIDEXAMPLE) and the S3 SigV4 examples
// (20130524, AKIAIOSFODNN7EXAMPLE).
func TestPublishedVectors(t *testing.T) {
	tests := []struct {
		name, raw, secret, now string
		wantSig                string
	}{
		{
			name: "get-vanilla",
			raw: "GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n\n",
			secret: exampleSecret, now: "20150830T123600Z",
		},
		{
			name: "get-vanilla-query-order-key-case",
			raw: "GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500\n\n",
			secret: exampleSecret, now: "20150830T123600Z",
		},
		{
			name: "post-x-www-form-urlencoded",
			raw: "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nContent-Length:13\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a\n\nParam1=value1",
			secret: exampleSecret, now: "20150830T123600Z",
		},
		{
			name: "get-header-value-trim",
			raw: "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\nX-Amz-Date:20150830T123600Z\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736\n\n",
			secret: exampleSecret, now: "20150830T123600Z",
		},
		{
			name: "s3-get-object",
			raw: "GET /test.txt HTTP/1.1\nHost: examplebucket.s3.amazonaws.com\nRange: bytes=0-9\n" +
				"x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date: 20130524T000000Z\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41\n\n",
			secret: s3Secret, now: "20130524T000000Z",
		},
		{
			name: "s3-put-object-date-header-and-escaped-path",
			raw: "PUT /test$file.text HTTP/1.1\nHost: examplebucket.s3.amazonaws.com\nDate: Fri, 24 May 2013 00:00:00 GMT\n" +
				"x-amz-date: 20130524T000000Z\nx-amz-storage-class: REDUCED_REDUNDANCY\n" +
				"x-amz-content-sha256: 44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\nContent-Length: 21\n" +
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd\n\nWelcome to Amazon S3.",
			secret: s3Secret, now: "20130524T000000Z",
		},
		{
			name: "s3-presigned-get",
			raw: "GET /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404 HTTP/1.1\n" +
				"Host: examplebucket.s3.amazonaws.com\n\n",
			secret: s3Secret, now: "20130524T120000Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := readRequest(t, tt.raw)
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			now := mustTime(t, tt.now)
			if err := Verify(r, body, a, tt.secret, now); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if err := Verify(r, body, a, tt.secret+"x", now); kindOf(err) != Mismatch {
				t.Fatalf("Verify with a wrong secret = %v, want Mismatch", err)
			}
		})
	}
}

// signed returns a request signed by the SDK's signer as the Go SDK signs an IAM call.
func signedIAM(t testing.TB, creds aws.Credentials, at time.Time, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux api/iam#1.64.8")
	r.Header.Set("Amz-Sdk-Invocation-Id", "7d1b3c50-5c8f-4c5b-9e5e-1d2b4f1d8d1e")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	sum := bodyHash([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, sum, "iam", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyGoSigner(t *testing.T) {
	at := mustTime(t, "20260101T000000Z")
	creds := aws.Credentials{AccessKeyID: "ASIAEXAMPLE0000000", SecretAccessKey: "secret/for+test", SessionToken: "FwoGZXIvYXdzEXAMPLETOKEN=="}
	body := "Action=GetUser&Version=2010-05-08"
	tamper := []struct {
		name string
		fn   func(r *http.Request, body *[]byte)
	}{
		{"body", func(r *http.Request, b *[]byte) { *b = []byte("Action=GetUser&Version=2010-05-09") }},
		{"method", func(r *http.Request, b *[]byte) { r.Method = http.MethodPut }},
		{"path", func(r *http.Request, b *[]byte) { r.URL.Path = "/x" }},
		{"query", func(r *http.Request, b *[]byte) { r.URL.RawQuery = "a=b" }},
		{"host", func(r *http.Request, b *[]byte) { r.Host = "iam.us-east-1.amazonaws.com" }},
		{"content-type", func(r *http.Request, b *[]byte) { r.Header.Set("Content-Type", "text/plain") }},
		{"session token", func(r *http.Request, b *[]byte) { r.Header.Set("X-Amz-Security-Token", "other") }},
		{"amz-sdk-request", func(r *http.Request, b *[]byte) { r.Header.Set("Amz-Sdk-Request", "attempt=2; max=3") }},
	}
	t.Run("untampered", func(t *testing.T) {
		r, b := overTheWire(t, signedIAM(t, creds, at, body))
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if a.SessionToken != creds.SessionToken || a.Service != "iam" || a.Region != "us-east-1" || a.AccessKeyID != creds.AccessKeyID || !a.Time.Equal(at) {
			t.Fatalf("Parse = %+v", a)
		}
		if err := Verify(r, b, a, creds.SecretAccessKey, at.Add(14*time.Minute)); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if err := Verify(r, b, a, "wrong", at); kindOf(err) != Mismatch || err.(*Error).Message != msgMismatch {
			t.Fatalf("Verify with a wrong secret = %v", err)
		}
	})
	t.Run("in-process request", func(t *testing.T) {
		r := signedIAM(t, creds, at, body)
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(r, []byte(body), a, creds.SecretAccessKey, at); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
	for _, tc := range tamper {
		t.Run("tampered "+tc.name, func(t *testing.T) {
			r, b := overTheWire(t, signedIAM(t, creds, at, body))
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			tc.fn(r, &b)
			if err := Verify(r, b, a, creds.SecretAccessKey, at); kindOf(err) != Mismatch {
				t.Fatalf("Verify = %v, want Mismatch", err)
			}
		})
	}
	t.Run("unsigned headers may change", func(t *testing.T) {
		r, b := overTheWire(t, signedIAM(t, creds, at, body))
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("User-Agent", "something else")
		r.Header.Set("X-Amzn-Trace-Id", "Root=1-abc")
		r.Header.Set("X-Forwarded-For", "10.0.0.1")
		if err := Verify(r, b, a, creds.SecretAccessKey, at); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
}

func TestVerifyClock(t *testing.T) {
	at := mustTime(t, "20260101T000000Z")
	creds := aws.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "s"}
	r, b := overTheWire(t, signedIAM(t, creds, at, "Action=ListUsers&Version=2010-05-08"))
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now      string
		kind     Kind
		message  string
		service  string
		wantCode string
	}{
		{now: "20260101T001500Z"},
		{now: "20251231T234500Z"},
		{now: "20260101T002500Z", kind: Skewed, message: "Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z (20260101T002500Z - 15 min.)", wantCode: "SignatureDoesNotMatch"},
		{now: "20251231T234000Z", kind: Skewed, message: "Signature not yet current: 20260101T000000Z is still later than 20251231T235500Z (20251231T234000Z + 15 min.)", wantCode: "SignatureDoesNotMatch"},
	}
	for _, tt := range tests {
		t.Run(tt.now, func(t *testing.T) {
			err := Verify(r, b, a, creds.SecretAccessKey, mustTime(t, tt.now))
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Message != tt.message {
				t.Fatalf("Verify = %#v, want %v %q", err, tt.kind, tt.message)
			}
			if code, status := e.Code("iam"); code != tt.wantCode || status != 403 {
				t.Fatalf("Code = %s %d", code, status)
			}
		})
	}
}

// TestVerifyConcurrent runs Verify from many goroutines with several secrets sharing one access
// key ID, so that a cached signing key serving the wrong secret would show (and -race sees the
// caches).
func TestVerifyConcurrent(t *testing.T) {
	at := mustTime(t, "20260101T000000Z")
	type signedReq struct {
		r      *http.Request
		body   []byte
		a      *Auth
		secret string
	}
	var reqs []signedReq
	for _, secret := range []string{"s1", "s2", "s3", "s4"} {
		r, b := overTheWire(t, signedIAM(t, aws.Credentials{AccessKeyID: "AKIASAME", SecretAccessKey: secret}, at, "Action=GetUser&Version=2010-05-08"))
		a, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, signedReq{r, b, a, secret})
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				q := reqs[(g+i)%len(reqs)]
				other := reqs[(g+i+1)%len(reqs)].secret
				if err := Verify(q.r, q.body, q.a, q.secret, at); err != nil {
					errs <- err
					return
				}
				if err := Verify(q.r, q.body, q.a, other, at); kindOf(err) != Mismatch {
					errs <- errors.New("verified with another secret of the same access key")
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
