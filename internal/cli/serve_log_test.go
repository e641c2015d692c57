package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveLogged runs serveRun, its options changed by set when not nil, until the test ends;
// it returns the server's URL and its stderr.
func serveLogged(t *testing.T, set func(*ServeOptions)) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	ready, done := make(chan string, 1), make(chan error, 1)
	o := &ServeOptions{IO: &IO{Out: io.Discard, Err: stderr}, Addr: "127.0.0.1:0", Seed: 1, Ready: func(a string) { ready <- a }}
	if set != nil {
		set(o)
	}
	go func() { done <- serveRun(ctx, o) }()
	select {
	case a := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
		return "http://" + a, stderr
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

// waitForLog waits until the log matches every pattern, and fails the test after 5 s.
func waitForLog(t *testing.T, log *syncBuffer, patterns ...*regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		text := log.String()
		var missing []string
		for _, p := range patterns {
			if !p.MatchString(text) {
				missing = append(missing, p.String())
			}
		}
		if len(missing) == 0 {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log has no line matching %q:\n%s", missing, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedactQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"nothing secret", "list-type=2&prefix=a%2Fb&uploads", "list-type=2&prefix=a%2Fb&uploads"},
		{"SigV4 presigned",
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=FwoG%2Ftok%3D&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd",
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-Expires=900&X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders=host&X-Amz-Signature=REDACTED"},
		{"SigV2 presigned", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1772366400&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D&x-amz-security-token=tok",
			"AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1772366400&Signature=REDACTED&x-amz-security-token=REDACTED"},
		{"SigV2 query API", "Action=GetUser&SignatureMethod=HmacSHA256&SignatureVersion=2&SecurityToken=tok&Signature=sig",
			"Action=GetUser&SignatureMethod=HmacSHA256&SignatureVersion=2&SecurityToken=REDACTED&Signature=REDACTED"},
		{"sensitive member", "Action=CreateLoginProfile&UserName=alice&Password=hunter2&PasswordResetRequired=true",
			"Action=CreateLoginProfile&UserName=alice&Password=REDACTED&PasswordResetRequired=true"},
		{"two of an operation", "Action=ChangePassword&OldPassword=a&NewPassword=b", "Action=ChangePassword&OldPassword=REDACTED&NewPassword=REDACTED"},
		{"not sensitive for the operation", "Action=CreateRole&RoleName=r&Description=kept", "Action=CreateRole&RoleName=r&Description=kept"},
		{"sensitive for this one", "Action=ReportInstanceStatus&Description=gone", "Action=ReportInstanceStatus&Description=REDACTED"},
		{"below a list", "Action=RequestSpotFleet&SpotFleetRequestConfig.LaunchSpecifications.2.UserData=c2VjcmV0&SpotFleetRequestConfig.LaunchSpecifications.2.ImageId=ami-1",
			"Action=RequestSpotFleet&SpotFleetRequestConfig.LaunchSpecifications.2.UserData=REDACTED&SpotFleetRequestConfig.LaunchSpecifications.2.ImageId=ami-1"},
		{"below a sensitive structure", "Action=ModifyVpnTunnelOptions&TunnelOptions.PreSharedKey=k&TunnelOptions.DPDTimeoutSeconds=30",
			"Action=ModifyVpnTunnelOptions&TunnelOptions.PreSharedKey=REDACTED&TunnelOptions.DPDTimeoutSeconds=REDACTED"},
		{"any case, escaped key", "action=createloginprofile&pass%77ord=x", "action=createloginprofile&pass%77ord=REDACTED"},
		{"no Action in the URL: any operation's", "UserName=alice&Password=x&UserData=y", "UserName=alice&Password=REDACTED&UserData=REDACTED"},
		{"an unknown Action: any operation's", "Action=Nope&Password=x", "Action=Nope&Password=REDACTED"},
		{"Action in another case: any operation's too", "action=GetUser&Password=x", "action=GetUser&Password=REDACTED"},
		{"S3 header moved into the URL", "x-id=GetObject&X-Amz-Server-Side-Encryption-Customer-Key=a2V5", "x-id=GetObject&X-Amz-Server-Side-Encryption-Customer-Key=REDACTED"},
		{"semicolons", "a=1;Password=x;b=2", "a=1;Password=REDACTED;b=2"},
		{"a key that does not unescape", "Pass%zzword=x&b=2", "Pass%zzword=REDACTED&b=2"},
		{"empty pairs", "&&Password=x&", "&&Password=REDACTED&"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactQuery(tt.in); got != tt.want {
				t.Errorf("redactQuery(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// redactQuery changes values only, each to REDACTED, and always those of a signature or a
// session token, as url.ParseQuery (the server's parser) reads them.
func FuzzRedactQuery(f *testing.F) {
	for _, seed := range []string{
		"X-Amz-Credential=AKID%2F20260301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc",
		"Action=CreateLoginProfile&UserName=a&Password=p",
		"AWSAccessKeyId=AKID&Expires=1&Signature=s%2B%3D&x-amz-security-token=t",
		"a=1;Password=x&&=&b",
		"Pass%zzword=x&%41ction=ChangePassword&OldPassword=o",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := redactQuery(in)
		a, b := splitQuery(in), splitQuery(out)
		if len(a) != len(b) {
			t.Fatalf("redactQuery(%q) = %q: %d pairs, want %d", in, out, len(b), len(a))
		}
		for i := range a {
			if a[i].sep != b[i].sep || a[i].rawKey != b[i].rawKey || a[i].hasValue != b[i].hasValue || (a[i].rawV != b[i].rawV && b[i].rawV != redacted) {
				t.Fatalf("redactQuery(%q) = %q: pair %d is %+v, was %+v", in, out, i, b[i], a[i])
			}
		}
		q, err := url.ParseQuery(in)
		if err != nil {
			return
		}
		r, err := url.ParseQuery(out)
		if err != nil {
			t.Fatalf("redactQuery(%q) = %q, which does not parse: %v", in, out, err)
		}
		for k := range q {
			for _, p := range signingParams {
				if !strings.EqualFold(k, p) {
					continue
				}
				for _, v := range r[k] {
					if v != "" && v != redacted {
						t.Fatalf("redactQuery(%q) = %q keeps %s=%q", in, out, k, v)
					}
				}
			}
		}
	})
}

// A session against `awsx sim serve` with every kind of secret a URL can carry: presigned S3
// URLs (SigV4, and SigV2 made by botocore), a session token, a password in a query API call's
// URL. The log has a line for each request, and holds none of the secrets.
func TestServeLogHoldsNoSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, log := serveLogged(t, nil)
	root := serverConfig(srv)
	pathStyle := func(o *s3.Options) { o.UsePathStyle = true }
	// secrets are every secret the session uses; each must be in what was sent, or the
	// test would prove nothing.
	secrets := map[string]string{"the root's secret key": sim.DefaultSecretAccessKey}
	var want []*regexp.Regexp // the log's lines, one per request
	line := func(method, uri string, status int) {
		want = append(want, regexp.MustCompile(`(?m)^\S+ \S+ 127\.0\.0\.1:\d+ `+method+` `+uri+` `+strconv.Itoa(status)+` \S+$`))
	}
	get := func(rawURL string, status int) {
		t.Helper()
		resp, err := http.Get(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %s\n%s", rawURL, resp.Status, body)
		}
	}
	param := func(rawURL, key string) string {
		t.Helper()
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		v := u.Query().Get(key)
		if v == "" {
			t.Fatalf("%s has no %s", rawURL, key)
		}
		return v
	}

	// A bucket with an object, as root, through the SDK (the signature in the header).
	s3root := s3.NewFromConfig(root, pathStyle)
	if _, err := s3root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("logged")}); err != nil {
		t.Fatal(err)
	}
	line("PUT", `/logged`, 200)
	if _, err := s3root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logged"), Key: aws.String("k"), Body: strings.NewReader("hello")}); err != nil {
		t.Fatal(err)
	}
	line("PUT", `/logged/k\?x-id=PutObject`, 200)

	// A presigned GET, SigV4.
	pre, err := s3.NewPresignClient(s3root).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("logged"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	secrets["the root's presigned URL's signature"] = param(pre.URL, "X-Amz-Signature")
	get(pre.URL, 200)
	line("GET", `/logged/k\?\S*X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F\S*&X-Amz-Signature=REDACTED\S*`, 200)

	// Session credentials, used with the token in a header and in a presigned URL.
	tok, err := sts.NewFromConfig(root).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	line("POST", `/`, 200)
	c := tok.Credentials
	secrets["the session's secret key"] = aws.ToString(c.SecretAccessKey)
	secrets["the session token"] = aws.ToString(c.SessionToken)
	session := root.Copy()
	session.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	s3session := s3.NewFromConfig(session, pathStyle)
	if _, err := s3session.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("logged"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	line("HEAD", `/logged/k`, 200)
	pre, err = s3.NewPresignClient(s3session).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("logged"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	secrets["the session's presigned URL's signature"] = param(pre.URL, "X-Amz-Signature")
	if param(pre.URL, "X-Amz-Security-Token") != secrets["the session token"] {
		t.Fatalf("the presigned URL %s does not carry the session token", pre.URL)
	}
	get(pre.URL, 200)
	line("GET", `/logged/k\?\S*X-Amz-Security-Token=REDACTED\S*&X-Amz-Signature=REDACTED\S*`, 200)

	// CreateLoginProfile as a GET with the password in the URL, signed in the header; then
	// UpdateLoginProfile presigned, the password and the signature both in the URL.
	if _, err := iam.NewFromConfig(root).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	line("POST", `/`, 200)
	creds, err := root.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	secrets["the first password"] = "Hunter2-first+/="
	q := url.Values{"Action": {"CreateLoginProfile"}, "Version": {"2010-05-08"}, "UserName": {"alice"}, "Password": {secrets["the first password"]}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyHash, "iam", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	_, sig, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	secrets["the Authorization header's signature"] = sig
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<UserName>alice</UserName>")) {
		t.Fatalf("CreateLoginProfile: %s\n%s", resp.Status, body)
	}
	line("GET", `/\?Action=CreateLoginProfile&Password=REDACTED&UserName=alice&Version=2010-05-08`, 200)

	secrets["the second password"] = "Hunter2-second%&"
	q = url.Values{"Action": {"UpdateLoginProfile"}, "Version": {"2010-05-08"}, "UserName": {"alice"}, "Password": {secrets["the second password"]}}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, srv+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	presigned, _, err := v4.NewSigner().PresignHTTP(ctx, creds, req, emptyHash, "iam", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	secrets["the presigned IAM call's signature"] = param(presigned, "X-Amz-Signature")
	get(presigned, 200)
	line("GET", `/\?Action=UpdateLoginProfile&Password=REDACTED&UserName=alice&Version=2010-05-08&X-Amz-Algorithm=\S*&X-Amz-Signature=REDACTED\S*`, 200)

	// SigV2 presigned URLs, made by botocore (us-east-1 makes them with signature_version
	// 's3'), as root and with the session's token.
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Logf("skipping SigV2 presigned URLs: python3 has no boto3: %v", err)
	} else {
		for name, keys := range map[string][3]string{
			"root":    {sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, ""},
			"session": {aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)},
		} {
			out, err := exec.Command("python3", "-c", `
import sys, boto3
from botocore.config import Config
s = boto3.session.Session(aws_access_key_id=sys.argv[1], aws_secret_access_key=sys.argv[2], aws_session_token=sys.argv[3] or None, region_name="us-east-1")
c = s.client("s3", endpoint_url=sys.argv[4], config=Config(signature_version="s3", s3={"addressing_style": "path"}))
print(c.generate_presigned_url("get_object", Params={"Bucket": "logged", "Key": "k"}, ExpiresIn=600))
`, keys[0], keys[1], keys[2], srv).Output()
			if err != nil {
				t.Fatalf("botocore presigning: %v", err)
			}
			u := strings.TrimSpace(string(out))
			secrets["the SigV2 URL's signature ("+name+")"] = param(u, "Signature")
			param(u, "AWSAccessKeyId")
			if keys[2] != "" && param(u, "x-amz-security-token") != keys[2] {
				t.Fatalf("the SigV2 URL %s does not carry the session token", u)
			}
			get(u, 200)
			if keys[2] == "" {
				line("GET", `/logged/k\?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=REDACTED&Expires=\d+`, 200)
			} else {
				line("GET", `/logged/k\?AWSAccessKeyId=\w+&Signature=REDACTED&x-amz-security-token=REDACTED&Expires=\d+`, 200)
			}
		}
	}

	text := waitForLog(t, log, want...)
	if n := len(regexp.MustCompile(`(?m)^\S+ \S+ 127\.0\.0\.1:\d+ `).FindAllString(text, -1)); n != len(want) {
		t.Errorf("the log has %d request lines, want one for each of the %d requests:\n%s", n, len(want), text)
	}
	for what, secret := range secrets {
		if len(secret) < 8 {
			t.Fatalf("%s is %q: too short to look for", what, secret)
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(url.QueryEscape(secret), "+", "%20")} {
			if strings.Contains(text, form) {
				t.Errorf("the log holds %s (%q):\n%s", what, form, text)
			}
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("the log:\n%s", text)
}

// TestAsyncLog: lines written from many goroutines all reach the writer, whole and each
// goroutine's in order, by Close; a line written after Close is written at once.
func TestAsyncLog(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	a := newAsyncLog(&out)
	const writers, lines = 8, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(a, "w%d %04d\n", w, i)
			}
		}()
	}
	wg.Wait()
	a.Close()
	fmt.Fprintf(a, "after close\n")
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != writers*lines+1 || got[len(got)-1] != "after close" {
		t.Fatalf("%d lines, the last %q; want %d, the last %q", len(got), got[len(got)-1], writers*lines+1, "after close")
	}
	next := make([]int, writers)
	for _, line := range got[:len(got)-1] {
		var w, i int
		if _, err := fmt.Sscanf(line, "w%d %d", &w, &i); err != nil || w < 0 || w >= writers || i != next[w] {
			t.Fatalf("line %q out of order or broken (next of w%d is %d)", line, w, next[w])
		}
		next[w]++
	}
}
