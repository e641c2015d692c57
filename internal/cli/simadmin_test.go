package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
)

// TestAdminAPIRefuses: the admin API answers only a loopback client's POST, signed by a
// principal of the simulator; other paths go to the simulator's API.
func TestAdminAPIRefuses(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	cloud := sim.New(sim.WithClock(func() time.Time { return clock }))
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := withAdmin(cloud, api)
	root := aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: sim.DefaultSecretAccessKey}
	request := func(method, path, remote, body string, creds *aws.Credentials) *http.Request {
		r := httptest.NewRequest(method, "http://127.0.0.1:4566"+path, strings.NewReader(body))
		r.RemoteAddr = remote
		if creds != nil {
			sum := sha256.Sum256([]byte(body))
			if err := v4.NewSigner().SignHTTP(t.Context(), *creds, r, hex.EncodeToString(sum[:]), adminService, "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	wrong := aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: "not-the-secret"}
	stranger := aws.Credentials{AccessKeyID: "AKIAI44QH8DHBEXAMPLE", SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}
	advance := `{"Duration":"2m"}`
	for _, tc := range []struct {
		name   string
		r      *http.Request
		status int
		msg    string
	}{
		{"another host", request("POST", "/_awsx/v1/advance", "192.0.2.7:50000", advance, &root), 403, "loopback clients only, not 192.0.2.7:50000"},
		{"unsigned", request("POST", "/_awsx/v1/advance", "127.0.0.1:50000", advance, nil), 403, "signed by a principal of the simulator"},
		{"wrong secret", request("POST", "/_awsx/v1/advance", "127.0.0.1:50000", advance, &wrong), 403, "signed by a principal of the simulator"},
		{"unknown key", request("POST", "/_awsx/v1/advance", "[::1]:50000", advance, &stranger), 403, "signed by a principal of the simulator"},
		{"GET", request("GET", "/_awsx/v1/advance", "127.0.0.1:50000", "", &root), 405, "takes POST"},
		{"no such operation", request("POST", "/_awsx/v1/reboot", "127.0.0.1:50000", "{}", &root), 404, `no operation "reboot"`},
		{"not JSON", request("POST", "/_awsx/v1/advance", "127.0.0.1:50000", "2m", &root), 400, "not its JSON"},
		{"bad duration", request("POST", "/_awsx/v1/advance", "127.0.0.1:50000", `{"Duration":"-1m"}`, &root), 400, "not a positive duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tc.r)
			var e adminError
			json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != tc.status || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("%d %s, want %d and %q", w.Code, w.Body, tc.status, tc.msg)
			}
		})
	}
	if got := cloud.Now(); !got.Equal(clock) {
		t.Errorf("a refused request moved the clock to %s", got)
	}

	// Signed by the root, from loopback (IPv4 or IPv6): answered.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request("POST", "/_awsx/v1/advance", "[::1]:50000", advance, &root))
	var out adminAdvanceOut
	if err := json.Unmarshal(w.Body.Bytes(), &out); w.Code != 200 || err != nil || !out.Now.Equal(clock.Add(2*time.Minute)) {
		t.Errorf("advance: %d %s", w.Code, w.Body)
	}
	// Any other path is the simulator's API.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, request("POST", "/", "192.0.2.7:50000", "Action=GetCallerIdentity", nil))
	if w.Code != http.StatusTeapot {
		t.Errorf("POST / went to %d, not to the API", w.Code)
	}
}

// FuzzAdminAPI: whatever the operation and the body of a signed request from loopback, the
// admin API answers JSON with a status, never panics.
func FuzzAdminAPI(f *testing.F) {
	for _, seed := range []struct{ op, body string }{
		{"advance", `{"Duration":"2m"}`},
		{"advance", `{"Duration":"9999999h"}`},
		{"spot-price", `{"Market":{"InstanceType":"m4.large","AvailabilityZone":"us-east-1a","ProductDescription":"Linux/UNIX"},"Price":"0.08"}`},
		{"spot-price", `{"Market":{},"Price":"-1"}`},
		{"interrupt", `{"Instance":"i-00000000000000000","Now":true}`},
		{"run", `{"Instance":"i-00000000000000000","Script":"whoami","Stdin":"aGk="}`},
		{"ssh-host", `{"Address":"203.0.113.5","Port":22}`},
		{"ssh-host", `{"Address":"","Port":-1}`},
		{"files", `{"Instance":"i-00000000000000000","Op":"read","Path":"/etc/os-release"}`},
		{"files", `{"Instance":"i-00000000000000000","Op":"write","Path":"x","Data":"aGk=","Mode":420}`},
		{"files", `{"Op":"format"}`},
		{"why", `{"From":{"Internet":true},"To":{"Address":"203.0.113.5"},"Protocol":"tcp","Port":22}`},
		{"why", `{"From":{"Name":"shop-db"},"To":{"Instance":"i-1"},"Protocol":"gre","Port":70000,"Me":"::1"}`},
		{"fetch", `{"Method":"GET","URL":"http://site.s3-website-us-east-1.amazonaws.com/","Header":{"Range":["bytes=0-1"]}}`},
		{"fetch", `{"Method":"BAD METHOD","URL":"::"}`},
		{"inbox", `{"Address":""}`},
		{"confirm", `{"Address":"ana@example.com","N":-1}`},
		{"nothing", `null`},
		{"advance", `{"Duration":"2m","Extra":1}`},
	} {
		f.Add(seed.op, seed.body)
	}
	cloud := sim.New()
	h := withAdmin(cloud, http.NotFoundHandler())
	root := aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: sim.DefaultSecretAccessKey}
	f.Fuzz(func(t *testing.T, op, body string) {
		r := httptest.NewRequest("POST", "http://127.0.0.1:4566"+adminPrefix+url.PathEscape(op), strings.NewReader(body))
		r.RemoteAddr = "127.0.0.1:50000"
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(t.Context(), root, r, hex.EncodeToString(sum[:]), adminService, "us-east-1", time.Now()); err != nil {
			t.Skip()
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		// JSON, or (run) lines of JSON.
		lines := bytes.SplitAfter(bytes.TrimSuffix(w.Body.Bytes(), []byte("\n")), []byte("\n"))
		if w.Header().Get("Content-Type") != "application/x-ndjson" {
			lines = [][]byte{w.Body.Bytes()}
		}
		for _, l := range lines {
			if !json.Valid(l) || w.Code < 200 || w.Code > 499 {
				t.Errorf("%s %q: %d %q", op, body, w.Code, w.Body)
			}
		}
	})
}

// TestAdminRunStreams: sim on's output comes over the admin API as the command writes it,
// not when it ends: the first line is read while the command still runs.
func TestAdminRunStreams(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	cloud := sim.New()
	release := make(chan struct{})
	cloud.SetInstanceCLI(func(ctx context.Context, call sim.AWSCall) int {
		io.WriteString(call.Stdout, "aws is running\n")
		select { // a long step of user data: the test says when it ends
		case <-release:
		case <-ctx.Done():
		}
		return 0
	})
	srv := httptest.NewServer(withAdmin(cloud, cloud))
	t.Cleanup(srv.Close)
	out, err := ec2.NewFromConfig(cloud.Config()).RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"),
		InstanceType: types.InstanceTypeT2Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	admin := &adminClient{url: srv.URL, cfg: aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, "")}}

	stdout := &signalWriter{first: make(chan string, 1)}
	var stderr bytes.Buffer
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := admin.run(ctx, id, "echo first; echo oops >&2; aws s3 ls; echo last; exit 3", sim.RunOptions{Stdout: stdout, Stderr: &stderr})
		done <- result{code, err}
	}()
	select {
	case got := <-stdout.first:
		if !strings.HasPrefix(got, "first") {
			t.Errorf("the first output: %q", got)
		}
	case r := <-done:
		t.Fatalf("the command ended (%d, %v) before its first output was read", r.code, r.err)
	case <-time.After(20 * time.Second):
		t.Fatal("no output while the command runs")
	}
	select {
	case r := <-done:
		t.Fatalf("the command ended (%d, %v) before it was released", r.code, r.err)
	default:
	}
	close(release)
	r := <-done
	if r.err != nil || r.code != 3 || stdout.String() != "first\naws is running\nlast\n" || stderr.String() != "oops\n" {
		t.Errorf("run: %d %v %q %q", r.code, r.err, stdout.String(), stderr.String())
	}
	if _, err := admin.run(ctx, "i-00000000000000000", "true", sim.RunOptions{}); err == nil || err.Error() != "sim: the simulator has no instance i-00000000000000000" {
		t.Errorf("no such instance: %v", err)
	}
}

// signalWriter keeps what is written, and sends its first write on first.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() == 0 {
		w.first <- string(p)
	}
	return w.buf.Write(p)
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestAdminAPIAuthorizes: past its signature, a request needs the account's root or a
// principal whose policies allow the operation's action (awsx:Advance, …): an administrator
// has them all; a user allowed awsx:Why has that one only; a user with no policy none.
func TestAdminAPIAuthorizes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	cloud := sim.New()
	admin := iam.NewFromConfig(cloud.Config())
	user := func(name, managed, inline string) aws.Credentials {
		t.Helper()
		if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		if managed != "" {
			if _, err := admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(managed)}); err != nil {
				t.Fatal(err)
			}
		}
		if inline != "" {
			if _, err := admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(inline)}); err != nil {
				t.Fatal(err)
			}
		}
		k, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.Credentials{AccessKeyID: *k.AccessKey.AccessKeyId, SecretAccessKey: *k.AccessKey.SecretAccessKey}
	}
	boss := user("boss", "arn:aws:iam::aws:policy/AdministratorAccess", "")
	asker := user("asker", "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"awsx:Why","Resource":"*"}]}`)
	nobody := user("nobody", "", "")
	h := withAdmin(cloud, http.NotFoundHandler())
	call := func(creds aws.Credentials, op, body string) (int, string) {
		r := httptest.NewRequest("POST", "http://127.0.0.1:4566"+adminPrefix+op, strings.NewReader(body))
		r.RemoteAddr = "127.0.0.1:50000"
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(ctx, creds, r, hex.EncodeToString(sum[:]), adminService, "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	why := `{"From":{"Internet":true},"To":{"Address":"198.51.100.1"},"Protocol":"tcp","Port":22}`
	for _, tc := range []struct {
		name   string
		creds  aws.Credentials
		op     string
		body   string
		status int
		msg    string
	}{
		{"administrator advance", boss, "advance", `{"Duration":"1m"}`, 200, ""},
		{"administrator why", boss, "why", why, 200, ""},
		{"allowed why", asker, "why", why, 200, ""},
		{"not allowed advance", asker, "advance", `{"Duration":"1m"}`, 403, "the admin API's advance needs the account's root, or a principal allowed awsx:Advance: User: arn:aws:iam::123456789012:user/asker is not authorized to perform: awsx:Advance"},
		{"no policy", nobody, "run", `{"Instance":"i-00000000000000000","Script":"true"}`, 403, "allowed awsx:Run: User: arn:aws:iam::123456789012:user/nobody is not authorized"},
		{"no policy, no operation", nobody, "reboot", `{}`, 404, "the admin API has no operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(tc.creds, tc.op, tc.body)
			if status != tc.status || !strings.Contains(body, tc.msg) {
				t.Errorf("%d %s, want %d and %q", status, body, tc.status, tc.msg)
			}
		})
	}
}
