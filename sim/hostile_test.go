package sim_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// The server under hostile input: a table of malformed and malicious requests, sent over
// loopback to a server whose handler is a Cloud, each with the status and error code it must
// get — AWS's answer, from AWS's documentation, botocore's models and the dialect table
// (sim/internal/service/dialect.go). After each, a signed GetCallerIdentity must still
// succeed, the request must not have made the process allocate more than
// hostileAllocBudget (runtime.MemStats.TotalAlloc), and the heap in use must stay within
// hostileHeapBudget of where it began (sampled every 2 ms, and on a held connection while
// it is held) — entries that claim a body of 1 GiB included.
//
// Where the simulator's answer differs from AWS's today, the entry still says AWS's answer,
// and hostilePending names it with what the simulator answers instead: it is skipped, so
// that the test is green, and is un-skipped by deleting its line when the fix lands.
// AWSX_HOSTILE_PENDING=1 runs the pending entries too and fails those that now pass.
//
// Requests that http.NewRequest cannot express (a lying Content-Length, a body cut short, a
// connection held open, a malformed request line) are written as bytes on a connection of
// their own, with deadlines so that the test never hangs.

const (
	// hostileAllocBudget is the most one entry may make the process allocate, client and
	// server together: the largest legitimate body in the table is 9 MiB, read once and
	// sent once; an entry that claims 1 GiB must not cost 1 GiB.
	hostileAllocBudget = 96 << 20
	// hostileHeapBudget is how far the heap in use may rise above where it was before the
	// table, sampled while each entry runs (from a collected heap) and after the table.
	hostileHeapBudget = 100 << 20
)

// hostileCase is one request and the answer it must get.
type hostileCase struct {
	name string // category/what
	// req builds the request (signed now, when it is signed); raw, when set instead, writes
	// it as bytes.
	req func(r *hostileRig) *http.Request
	raw *rawExchange
	// status and code are AWS's answer. code is "" when the answer carries none: a success,
	// a HEAD, or a refusal by the HTTP server before any service sees the request. status 0
	// means no answer at all while the connection is held.
	status int
	code   string
}

// anyCode accepts any error code with the status: for entries where AWS documents the status
// of the refusal but not its code.
const anyCode = "*"

// rawExchange is a request written as bytes on a connection of its own.
type rawExchange struct {
	bytes      func(r *hostileRig) []byte
	closeWrite bool          // half-close after writing, as a client that gives up does
	hold       time.Duration // keep the connection open this long, expecting no answer
}

// hostilePending lists the entries whose answer today differs from AWS's, with what the
// simulator answers instead. Delete a line when its fix lands.
var hostilePending = map[string]string{}

// TestHostileInput sends every entry of the table and checks its answer, the server's health
// and the process's memory after it.
func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile-input table takes a few seconds")
	}
	start := time.Now()
	rig := newHostileRig(t)
	cases := hostileCases()
	names := map[string]bool{}
	perCategory := map[string]int{}
	for _, tc := range cases {
		if names[tc.name] {
			t.Fatalf("two entries are named %q", tc.name)
		}
		names[tc.name] = true
		cat, _, _ := strings.Cut(tc.name, "/")
		perCategory[cat]++
	}
	for name := range hostilePending {
		if !names[name] {
			t.Errorf("hostilePending names %q, which is no entry of the table", name)
		}
	}
	if len(cases) < 200 {
		t.Errorf("the table has %d entries, want at least 200", len(cases))
	}
	runPending := os.Getenv("AWSX_HOSTILE_PENDING") == "1"

	baseline := liveHeap()
	watch := watchHeap(t)
	var top struct {
		alloc, peak           uint64
		allocEntry, peakEntry string
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reason, pending := hostilePending[tc.name]
			if pending && !runPending {
				t.Skip("pending: " + reason)
			}
			liveHeap() // the garbage of the entries before is not this one's
			watch.reset()
			before := totalAlloc()
			got := rig.send(t, tc)
			alloc, peak := totalAlloc()-before, max(watch.peak(), got.heapHeld)
			if alloc > top.alloc {
				top.alloc, top.allocEntry = alloc, tc.name
			}
			if peak > top.peak {
				top.peak, top.peakEntry = peak, tc.name
			}
			var faults []string
			if got.status != tc.status || got.code != tc.code && tc.code != anyCode {
				faults = append(faults, fmt.Sprintf("got %d %q, want %d %q; body: %.300s", got.status, got.code, tc.status, tc.code, got.body))
			}
			if alloc > hostileAllocBudget {
				faults = append(faults, fmt.Sprintf("the request made the process allocate %d MiB, more than %d MiB", alloc>>20, hostileAllocBudget>>20))
			}
			if peak > baseline+hostileHeapBudget {
				faults = append(faults, fmt.Sprintf("the heap in use reached %d MiB, %d MiB over the baseline", peak>>20, (peak-baseline)>>20))
			}
			switch {
			case pending && len(faults) == 0:
				t.Errorf("passes now (%d %s): delete it from hostilePending", got.status, got.code)
			case pending:
				t.Logf("still pending: %s", strings.Join(faults, "; "))
			default:
				for _, f := range faults {
					t.Error(f)
				}
			}
			rig.alive(t)
		})
	}
	after := liveHeap()
	if after > baseline+hostileHeapBudget {
		t.Errorf("the heap grew from %d MiB to %d MiB over the table", baseline>>20, after>>20)
	}
	t.Logf("%d entries %v, %d pending, in %v; heap in use: %d MiB before, %d MiB after, at most %d MiB (%s); "+
		"the most one entry allocated: %d MiB (%s); %s",
		len(cases), perCategory, len(hostilePending), time.Since(start).Round(time.Millisecond),
		baseline>>20, after>>20, top.peak>>20, top.peakEntry, top.alloc>>20, top.allocEntry, procStatus("VmRSS", "VmHWM"))
}

// liveHeap returns the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// heapWatch samples the heap in use every few milliseconds until the test ends.
type heapWatch struct{ max atomic.Uint64 }

func watchHeap(t *testing.T) *heapWatch {
	w := &heapWatch{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > w.max.Load() {
					w.max.Store(m.HeapInuse)
				}
			}
		}
	})
	t.Cleanup(func() { close(done); wg.Wait() })
	return w
}

// reset starts a new measure; peak returns the largest sample since.
func (w *heapWatch) reset()       { w.max.Store(0) }
func (w *heapWatch) peak() uint64 { return w.max.Load() }

// procStatus returns the named lines of /proc/self/status, where there is one.
func procStatus(keys ...string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "no /proc/self/status"
	}
	var out []string
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		if slices.Contains(keys, k) {
			out = append(out, k+" "+strings.Join(strings.Fields(v), " "))
		}
	}
	return strings.Join(out, ", ")
}

// hostileRig is the server and what the entries need of it: the root's and a user's keys,
// a bucket with an object, a role to assume, a multipart upload.
type hostileRig struct {
	cloud  *sim.Cloud
	srv    *httptest.Server
	host   string // 127.0.0.1:port
	client *http.Client
	probe  *sts.Client
	root   aws.Credentials
	user   aws.Credentials // mallory, an administrator
	role   string          // the ARN of a role mallory may assume
	upload string          // an upload ID of hostile/mp
}

const (
	hostileBucket = "hostile"
	iamVersion    = "Version=2010-05-08"
	stsVersion    = "Version=2011-06-15"
	ec2Version    = "Version=2016-11-15"
)

func newHostileRig(t *testing.T) *hostileRig {
	t.Helper()
	ctx := context.Background()
	c := sim.New()
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	r := &hostileRig{
		cloud: c, srv: srv, host: srv.Listener.Addr().String(),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}},
		root:   aws.Credentials{AccessKeyID: sim.DefaultAccessKeyID, SecretAccessKey: sim.DefaultSecretAccessKey},
	}
	t.Cleanup(r.client.CloseIdleConnections)
	cfg := aws.Config{
		Region:       sim.DefaultRegion,
		Credentials:  credentials.NewStaticCredentialsProvider(r.root.AccessKeyID, r.root.SecretAccessKey, ""),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   &http.Client{Timeout: 10 * time.Second},
	}
	r.probe = sts.NewFromConfig(cfg)

	admin := iam.NewFromConfig(c.Config())
	must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")}))(t)
	must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("mallory"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))(t)
	key := must(admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("mallory")}))(t)
	r.user = aws.Credentials{AccessKeyID: *key.AccessKey.AccessKeyId, SecretAccessKey: *key.AccessKey.SecretAccessKey}
	role := must(admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("target"), AssumeRolePolicyDocument: aws.String(trustAccount)}))(t)
	r.role = *role.Role.Arn

	s3c := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(hostileBucket)}))(t)
	must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(hostileBucket), Key: aws.String("ten"), Body: strings.NewReader("0123456789")}))(t)
	up := must(s3c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(hostileBucket), Key: aws.String("mp")}))(t)
	r.upload = *up.UploadId
	r.alive(t)
	return r
}

// alive checks that the server answers a signed GetCallerIdentity.
func (r *hostileRig) alive(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := r.probe.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("the server is down: GetCallerIdentity: %v", err)
	}
	if aws.ToString(out.Account) != sim.DefaultAccount {
		t.Fatalf("the server is confused: GetCallerIdentity answered account %q", aws.ToString(out.Account))
	}
}

// hostileAnswer is what the server answered.
type hostileAnswer struct {
	status   int
	code     string
	body     []byte
	heapHeld uint64 // the live heap while a held connection waited
}

func (r *hostileRig) send(t *testing.T, tc hostileCase) hostileAnswer {
	t.Helper()
	if tc.raw != nil {
		return r.sendRaw(t, tc.raw)
	}
	req := tc.req(r)
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	return answerOf(resp)
}

func answerOf(resp *http.Response) hostileAnswer {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return hostileAnswer{status: resp.StatusCode, code: errorCode(resp.Header, body), body: body}
}

var (
	xmlCode  = regexp.MustCompile(`<Code>([^<]*)</Code>`)
	htmlCode = regexp.MustCompile(`<li>Code: ([^<]*)</li>`) // a website endpoint's error page
)

// errorCode reads the error code of an answer in any of the protocols: awsJson's
// X-Amzn-Errortype or __type, or the <Code> of an XML error document.
func errorCode(h http.Header, body []byte) string {
	if v := h.Get("X-Amzn-Query-Error"); v != "" { // an awsQuery-compatible service's code
		code, _, _ := strings.Cut(v, ";")
		return code
	}
	if v := h.Get("X-Amzn-Errortype"); v != "" {
		code, _, _ := strings.Cut(v, ":")
		return code
	}
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		var e struct {
			Type string `json:"__type"`
		}
		if json.Unmarshal(body, &e) == nil && e.Type != "" {
			_, code, found := strings.Cut(e.Type, "#")
			if !found {
				code = e.Type
			}
			return code
		}
	}
	if m := xmlCode.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	if m := htmlCode.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// sendRaw writes an exchange's bytes on a connection of its own and reads the answer, or,
// for a held connection, checks that none comes while the server keeps serving others.
func (r *hostileRig) sendRaw(t *testing.T, x *rawExchange) hostileAnswer {
	t.Helper()
	conn, err := net.DialTimeout("tcp", r.host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// The server may answer and close before it has read everything: a write error is
	// not the test's failure, the answer is what counts.
	conn.Write(x.bytes(r))
	if x.closeWrite {
		conn.(*net.TCPConn).CloseWrite()
	}
	var a hostileAnswer
	if x.hold > 0 {
		conn.SetReadDeadline(time.Now().Add(x.hold))
		var held uint64
		var wg sync.WaitGroup
		wg.Go(func() {
			time.Sleep(x.hold / 2)
			r.alive(t) // others are served while this connection stalls
			held = liveHeap()
		})
		buf := make([]byte, 1)
		n, err := conn.Read(buf)
		wg.Wait()
		a.heapHeld = held
		if n > 0 || !isTimeout(err) {
			// An answer (or a close) came while the request was incomplete: read it.
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, rerr := http.ReadResponse(bufio.NewReader(io.MultiReader(bytes.NewReader(buf[:n]), conn)), nil)
			if rerr != nil {
				t.Fatalf("the held connection ended without an answer: %v", err)
			}
			defer resp.Body.Close()
			ans := answerOf(resp)
			ans.heapHeld = held
			return ans
		}
		return a
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	return answerOf(resp)
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// call describes one request of the table; its options adjust it before and after it is
// signed.
type call struct {
	method, path string
	host         string // "" for the server's address
	header       http.Header
	body         func() []byte

	unsigned        bool
	service, region string
	creds           string        // "root" (the default), "user", "unknown", "wrong-secret"
	skew            time.Duration // the signing time's distance from now
	payload         string        // the payload hash to sign, "" for the body's
	presign         bool
	expires         string // X-Amz-Expires of a presigned request, "" for none
	contentLength   int64  // when not 0, the Content-Length declared
	md5             bool   // send the body's Content-MD5
	after           []func(*http.Request)
}

type opt func(*call)

func (r *hostileRig) credsFor(name string) aws.Credentials {
	switch name {
	case "user":
		return r.user
	case "unknown":
		return aws.Credentials{AccessKeyID: "AKIAQQQQQQQQQQQQQQQQ", SecretAccessKey: "not-a-secret-anyone-has"}
	case "wrong-secret":
		return aws.Credentials{AccessKeyID: r.root.AccessKeyID, SecretAccessKey: "not-the-secret"}
	}
	return r.root
}

// build makes and signs the request c describes.
func (r *hostileRig) build(c call) *http.Request {
	var body []byte
	if c.body != nil {
		body = c.body()
	}
	u := "http://" + r.host + c.path
	req, err := http.NewRequest(c.method, u, bytes.NewReader(body))
	if err != nil {
		panic(fmt.Sprintf("hostile: %s %s: %v", c.method, u, err))
	}
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if c.host != "" {
		req.Host = c.host
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	if c.contentLength != 0 {
		req.ContentLength = c.contentLength
	}
	if c.md5 {
		sum := md5.Sum(body)
		req.Header.Set("Content-Md5", base64.StdEncoding.EncodeToString(sum[:]))
	}
	if !c.unsigned {
		r.sign(req, body, c)
	}
	for _, f := range c.after {
		f(req)
	}
	return req
}

func (r *hostileRig) sign(req *http.Request, body []byte, c call) {
	creds := r.credsFor(c.creds)
	hash := c.payload
	if hash == "" {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
	}
	region := c.region
	if region == "" {
		region = sim.DefaultRegion
	}
	at := time.Now().Add(c.skew)
	s3 := c.service == "s3"
	signer := v4.NewSigner()
	if c.presign {
		q := req.URL.Query()
		if c.expires != "" {
			q.Set("X-Amz-Expires", c.expires)
		}
		req.URL.RawQuery = q.Encode()
		u, _, err := signer.PresignHTTP(context.Background(), creds, req, hash, c.service, region, at,
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = s3 })
		if err != nil {
			panic(err)
		}
		if req.URL, err = url.Parse(u); err != nil {
			panic(err)
		}
		return
	}
	if s3 || c.payload != "" {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if err := signer.SignHTTP(context.Background(), creds, req, hash, c.service, region, at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = s3 }); err != nil {
		panic(err)
	}
}

// do returns an entry's request builder for c with opts.
func do(c call, opts ...opt) func(*hostileRig) *http.Request {
	for _, o := range opts {
		o(&c)
	}
	return func(r *hostileRig) *http.Request { return r.build(c) }
}

func text(s string) func() []byte { return func() []byte { return []byte(s) } }

const formType = "application/x-www-form-urlencoded; charset=utf-8"

// query is a signed awsQuery or ec2query call: a form POSTed to /.
func query(service, form string, opts ...opt) func(*hostileRig) *http.Request {
	return do(call{method: "POST", path: "/", service: service, body: text(form),
		header: http.Header{"Content-Type": {formType}}}, opts...)
}

func iamQ(form string, opts ...opt) func(*hostileRig) *http.Request {
	return query("iam", form+"&"+iamVersion, opts...)
}

func stsQ(form string, opts ...opt) func(*hostileRig) *http.Request {
	return query("sts", form+"&"+stsVersion, opts...)
}

func ec2Q(form string, opts ...opt) func(*hostileRig) *http.Request {
	return query("ec2", form+"&"+ec2Version, opts...)
}

// callerIdentity is the plainest signed call there is.
const callerIdentity = "Action=GetCallerIdentity"

// cwC is a signed Smithy RPC v2 CBOR call of CloudWatch.
func cwC(op string, body []byte, opts ...opt) func(*hostileRig) *http.Request {
	h := http.Header{"Content-Type": {"application/cbor"}, "Smithy-Protocol": {"rpc-v2-cbor"}}
	return do(call{method: "POST", path: "/service/GraniteServiceVersion20100801/operation/" + op, service: "monitoring",
		body: func() []byte { return body }, header: h}, opts...)
}

// cborCases: CloudWatch's CBOR bodies, malformed, deep, lying about their lengths, or
// inflating without end.
func cborCases() []hostileCase {
	deep := append(bytes.Repeat([]byte{0xa1, 0x61, 'a'}, 10_000), 0xf6)
	bomb := func() []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(make([]byte, 64<<20))
		zw.Close()
		return b.Bytes()
	}()
	gz := hdr("Content-Encoding", "gzip")
	return []hostileCase{
		{name: "not CBOR", req: cwC("ListMetrics", []byte("{}")), status: 400, code: "SerializationException"},
		{name: "an array at the top", req: cwC("ListMetrics", []byte{0x80}), status: 400, code: "SerializationException"},
		{name: "truncated map", req: cwC("ListMetrics", []byte{0xbf, 0x69, 'N', 'a', 'm'}), status: 400, code: "SerializationException"},
		{name: "nested 10,000 maps deep", req: cwC("ListMetrics", deep), status: 400, code: "SerializationException"},
		{name: "array claiming 2^32 elements", req: cwC("ListMetrics", []byte{0xa1, 0x6a, 'D', 'i', 'm', 'e', 'n', 's', 'i', 'o', 'n', 's', 0x9a, 0xff, 0xff, 0xff, 0xff}), status: 400, code: "SerializationException"},
		{name: "text claiming 2^63 bytes", req: cwC("ListMetrics", []byte{0xa1, 0x69, 'N', 'a', 'm', 'e', 's', 'p', 'a', 'c', 'e', 0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), status: 400, code: "SerializationException"},
		{name: "wrong type of member", req: cwC("ListMetrics", []byte{0xa1, 0x69, 'N', 'a', 'm', 'e', 's', 'p', 'a', 'c', 'e', 0x01}), status: 400, code: "SerializationException"},
		{name: "gzip of 64 MiB", req: cwC("PutMetricData", bomb, gz), status: 413, code: "RequestEntityTooLarge"},
		{name: "gzip that is not", req: cwC("PutMetricData", []byte("not gzip"), gz), status: 400, code: "SerializationException"},
		{name: "brotli", req: cwC("PutMetricData", []byte{0xa0}, hdr("Content-Encoding", "br")), status: 400, code: "SerializationException"},
		{name: "operation it does not have", req: cwC("NoSuchOperation", []byte{0xa0}), status: 404, code: "UnknownOperationException"},
		{name: "operation of another service", req: do(call{method: "POST", path: "/service/AmazonSSM/operation/GetParameter", service: "monitoring", body: func() []byte { return []byte{0xa0} },
			header: http.Header{"Content-Type": {"application/cbor"}, "Smithy-Protocol": {"rpc-v2-cbor"}}}), status: 404, code: "UnknownOperationException"},
		{name: "GET", req: cwC("ListMetrics", nil, method("GET")), status: 404, code: "UnknownOperationException"},
		{name: "JSON of no operation", req: ssmJ("GraniteServiceVersion20100801.NoSuchOperation", "{}", signedAs("monitoring"), contentType("application/x-amz-json-1.0")), status: 400, code: "UnknownOperationException"},
		{name: "a valid empty map", req: cwC("ListMetrics", []byte{0xa0}), status: 200},
		// CloudWatch's awsQuery, for clients whose models predate the CBOR API.
		{name: "awsQuery", req: query("monitoring", "Action=ListMetrics&Version=2010-08-01"), status: 200},
		{name: "awsQuery of no operation", req: query("monitoring", "Action=NoSuchOperation&Version=2010-08-01"), status: 400, code: "InvalidAction"},
		{name: "awsQuery with a union's two members", req: query("monitoring", "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&EvaluationPeriods=1&ComparisonOperator=GreaterThanThreshold"+
			"&EvaluationWindow.SlidingWindow.Period=60&EvaluationWindow.WallClockWindow.Period=60"), status: 400, code: "InvalidParameterValue"},
		{name: "awsQuery of a bad value", req: query("monitoring", "Action=ListMetrics&Version=2010-08-01&Dimensions.member.x.Name=a"), status: 400, code: "InvalidQueryParameter"},
	}
}

// ssmJ is a signed awsJson1.1 call of Systems Manager.
func ssmJ(target, body string, opts ...opt) func(*hostileRig) *http.Request {
	h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}}
	if target != "" {
		h.Set("X-Amz-Target", target)
	}
	return do(call{method: "POST", path: "/", service: "ssm", body: text(body), header: h}, opts...)
}

// s3R is a signed S3 call, path-style.
func s3R(method, path string, opts ...opt) func(*hostileRig) *http.Request {
	return do(call{method: method, path: path, service: "s3", header: http.Header{}}, opts...)
}

// The options of a call, applied in order: before it is signed…
func hdr(kv ...string) opt {
	return func(c *call) {
		if c.header == nil {
			c.header = http.Header{}
		}
		for i := 0; i+1 < len(kv); i += 2 {
			k := http.CanonicalHeaderKey(kv[i])
			c.header[k] = append(c.header[k], kv[i+1])
		}
	}
}
func contentType(ct string) opt { return func(c *call) { c.header.Set("Content-Type", ct) } }
func body(b func() []byte) opt  { return func(c *call) { c.body = b } }
func bodyText(s string) opt     { return body(text(s)) }
func method(m string) opt       { return func(c *call) { c.method = m } }
func onHost(h string) opt       { return func(c *call) { c.host = h } }
func withMD5() opt              { return func(c *call) { c.md5 = true } }
func unsigned() opt             { return func(c *call) { c.unsigned = true } }
func as(creds string) opt       { return func(c *call) { c.creds = creds } }
func scope(region, service string) opt {
	return func(c *call) { c.region, c.service = region, service }
}
func signedAs(service string) opt  { return func(c *call) { c.service = service } }
func inRegion(region string) opt   { return func(c *call) { c.region = region } }
func skewed(d time.Duration) opt   { return func(c *call) { c.skew = d } }
func payload(h string) opt         { return func(c *call) { c.payload = h } }
func presigned(expires string) opt { return func(c *call) { c.presign, c.expires = true, expires } }

// …and after: tampering with what was signed.
func after(f func(*http.Request)) opt { return func(c *call) { c.after = append(c.after, f) } }
func setHeader(k, v string) opt       { return after(func(r *http.Request) { r.Header.Set(k, v) }) }
func delHeader(k string) opt          { return after(func(r *http.Request) { r.Header.Del(k) }) }
func editAuth(f func(string) string) opt {
	return after(func(r *http.Request) { r.Header.Set("Authorization", f(r.Header.Get("Authorization"))) })
}
func replaceAuth(old, new string) opt {
	return editAuth(func(a string) string { return strings.Replace(a, old, new, 1) })
}
func signature(f func(string) string) opt {
	return editAuth(func(a string) string {
		i := strings.LastIndex(a, "Signature=")
		return a[:i] + "Signature=" + f(a[i+len("Signature="):])
	})
}
func credential(f func(string) string) opt {
	return editAuth(func(a string) string {
		return credRE.ReplaceAllStringFunc(a, func(m string) string { return "Credential=" + f(strings.TrimPrefix(m, "Credential=")) })
	})
}
func editQuery(f func(url.Values)) opt {
	return after(func(r *http.Request) { q := r.URL.Query(); f(q); r.URL.RawQuery = q.Encode() })
}
func setQuery(k, v string) opt { return editQuery(func(q url.Values) { q.Set(k, v) }) }
func delQuery(k string) opt    { return editQuery(func(q url.Values) { q.Del(k) }) }

func repeat(s string, n int) func() []byte {
	return func() []byte { return bytes.Repeat([]byte(s), n) }
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var credRE = regexp.MustCompile(`Credential=[^,]*`)

// seq returns format for 1 to n, joined by sep; format names the number as %[1]d.
func seq(n int, sep, format string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(sep)
		}
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// tags returns n tags in awsQuery's form (Tags.member.N.Key).
func tags(n int) string {
	return seq(n, "&", "Tags.member.%[1]d.Key=k%[1]d&Tags.member.%[1]d.Value=v")
}

// rawRequest is a request written by hand: the request line, the headers, an empty line,
// and the body.
func rawRequest(lines ...string) func(*hostileRig) []byte {
	return func(r *hostileRig) []byte {
		s := strings.Join(lines, "\r\n")
		return []byte(strings.ReplaceAll(s, "{host}", r.host))
	}
}

// rawSigned writes a signed request by hand, with its signed headers as they are and
// contentLength declared whatever the body sent is.
func rawSigned(c call, contentLength int64, sent []byte) func(*hostileRig) []byte {
	return func(r *hostileRig) []byte {
		c := c
		c.contentLength = contentLength
		req := r.build(c)
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.Host)
		if contentLength >= 0 {
			fmt.Fprintf(&b, "Content-Length: %d\r\n", contentLength)
		}
		req.Header.Write(&b)
		b.WriteString("\r\n")
		b.Write(sent)
		return b.Bytes()
	}
}

// signV4 signs by hand, with exactly the headers named (the SDK's signer always signs
// host): what a client that leaves host out would send.
func signV4(req *http.Request, body []byte, creds aws.Credentials, service, region string, at time.Time, signed ...string) {
	amzDate := at.UTC().Format("20060102T150405Z")
	day := amzDate[:8]
	req.Header.Set("X-Amz-Date", amzDate)
	var canon strings.Builder
	for _, h := range signed {
		v := req.Header.Get(h)
		if h == "host" {
			v = req.Host
		}
		canon.WriteString(h + ":" + strings.TrimSpace(v) + "\n")
	}
	creq := strings.Join([]string{req.Method, "/", req.URL.RawQuery, canon.String(), strings.Join(signed, ";"), sha(string(body))}, "\n")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha(creq)
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	key := mac(mac(mac(mac([]byte("AWS4"+creds.SecretAccessKey), day), region), service), "aws4_request")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+creds.AccessKeyID+"/"+scope+
		", SignedHeaders="+strings.Join(signed, ";")+", Signature="+hex.EncodeToString(mac(key, sts)))
}

// chunkedBody returns the body of an aws-chunked upload of chunks, each signed in the chain
// that starts at the request's seed signature, and an edit of the framing.
func chunkedBody(req *http.Request, creds aws.Credentials, at time.Time, chunks [][]byte, edit func(i int, line string) string) []byte {
	authz := req.Header.Get("Authorization")
	seed, _ := hex.DecodeString(authz[strings.LastIndex(authz, "Signature=")+len("Signature="):])
	ss := v4.NewStreamSigner(creds, "s3", sim.DefaultRegion, seed)
	var b bytes.Buffer
	for i, c := range append(chunks, nil) {
		sig, _ := ss.GetSignature(context.Background(), nil, c, at)
		line := fmt.Sprintf("%x;chunk-signature=%s", len(c), hex.EncodeToString(sig))
		if edit != nil {
			line = edit(i, line)
		}
		b.WriteString(line + "\r\n")
		b.Write(c)
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// chunked returns an entry's aws-chunked PUT of chunks to hostile/key, whose framing edit
// may spoil; decoded is the X-Amz-Decoded-Content-Length sent ("" for the true one).
func chunked(key string, chunks [][]byte, decoded string, edit func(i int, line string) string) func(*hostileRig) *http.Request {
	return func(r *hostileRig) *http.Request {
		n := 0
		for _, c := range chunks {
			n += len(c)
		}
		if decoded == "" {
			decoded = strconv.Itoa(n)
		}
		at := time.Now()
		req, _ := http.NewRequest("PUT", "http://"+r.host+"/"+hostileBucket+"/"+key, nil)
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", decoded)
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
		if err := v4.NewSigner().SignHTTP(context.Background(), r.root, req, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "s3", sim.DefaultRegion, at,
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
			panic(err)
		}
		b := chunkedBody(req, r.root, at, chunks, edit)
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		return req
	}
}

// trailing returns an entry's STREAMING-UNSIGNED-PAYLOAD-TRAILER PUT of body to hostile/key
// with the trailer text after the last chunk.
func trailing(key, data, trailerHeader, trailer string) func(*hostileRig) *http.Request {
	return func(r *hostileRig) *http.Request {
		b := fmt.Sprintf("%x\r\n%s\r\n0\r\n%s\r\n", len(data), data, trailer)
		req := r.build(call{method: "PUT", path: "/" + hostileBucket + "/" + key, service: "s3", payload: "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
			header: http.Header{"Content-Encoding": {"aws-chunked"}, "X-Amz-Decoded-Content-Length": {strconv.Itoa(len(data))},
				"X-Amz-Trailer": {trailerHeader}}, body: text(b)})
		return req
	}
}

// hostileCases is the table, by category.
func hostileCases() []hostileCase {
	var all []hostileCase
	for _, cat := range []struct {
		name  string
		cases []hostileCase
	}{
		{"routing", routingCases()},
		{"auth", authCases()},
		{"body", bodyCases()},
		{"s3", s3Cases()},
		{"quota", quotaCases()},
		{"cbor", cborCases()},
	} {
		for _, c := range cat.cases {
			c.name = cat.name + "/" + c.name
			all = append(all, c)
		}
	}
	return all
}

// routingCases: requests that name no service, no operation, or the wrong one.
func routingCases() []hostileCase {
	jsonType := contentType("application/x-amz-json-1.1")
	return []hostileCase{
		// A service the simulator does not have: authentication fails first, as at AWS.
		{name: "unknown service, unknown key", req: iamQ("Action=ListUsers", scope("us-east-1", "nosuchservice"), as("unknown")), status: 403, code: "InvalidClientTokenId"},
		{name: "unknown service, wrong secret", req: iamQ("Action=ListUsers", scope("us-east-1", "nosuchservice"), as("wrong-secret")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "unknown service, signed by root", req: iamQ("Action=ListUsers", scope("us-east-1", "nosuchservice")), status: 501, code: "NotImplemented"},
		{name: "unknown JSON service, signed by root", req: ssmJ("DynamoDB_20120810.ListTables", "{}", signedAs("dynamodb")), status: 501, code: "NotImplemented"},
		{name: "unsigned form of no service", req: do(call{method: "POST", path: "/", unsigned: true, body: text("Action=Frobnicate"), header: http.Header{"Content-Type": {formType}}}), status: 403, code: "MissingAuthenticationToken"},

		// Unknown X-Amz-Target.
		{name: "target of no operation", req: ssmJ("AmazonSSM.NoSuchOperation", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target of another service", req: ssmJ("DynamoDB_20120810.ListTables", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target with no operation", req: ssmJ("AmazonSSM.", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target without a dot", req: ssmJ("AmazonSSM", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target missing", req: ssmJ("", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target of 64 KiB", req: ssmJ("AmazonSSM."+strings.Repeat("A", 64<<10), "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target of an IAM operation", req: ssmJ("AmazonSSM.ListUsers", "{}"), status: 400, code: "UnknownOperationException"},
		{name: "target lower-cased", req: ssmJ("amazonssm.getparameter", `{"Name":"x"}`), status: 400, code: "UnknownOperationException"},

		// One protocol's body sent to another's service.
		{name: "JSON body for IAM", req: iamQ("", jsonType, bodyText(`{"Action":"ListUsers","Version":"2010-05-08"}`)), status: 400, code: "MissingAction"},
		{name: "JSON body and target for IAM", req: iamQ("", jsonType, hdr("X-Amz-Target", "AWSIdentityManagementV20100508.ListUsers"), bodyText(`{}`)), status: 400, code: "MissingAction"},
		{name: "JSON body for STS", req: stsQ("", jsonType, bodyText(`{"Action":"GetCallerIdentity"}`)), status: 400, code: "MissingAction"},
		{name: "JSON body for EC2", req: ec2Q("", jsonType, bodyText(`{"Action":"DescribeRegions"}`)), status: 400, code: "MissingAction"},
		{name: "XML body for IAM", req: iamQ("", contentType("text/xml"), bodyText(`<ListUsers/>`)), status: 400, code: "MissingAction"},
		{name: "form for SSM", req: query("ssm", "Action=GetParameter&Name=x"), status: 400, code: "UnknownOperationException"},
		{name: "form for S3", req: query("s3", "Action=ListBuckets", func(c *call) { c.header.Set("X-Amz-Content-Sha256", sha("Action=ListBuckets")) }), status: 405, code: "MethodNotAllowed"},

		// Operations the API does not have.
		{name: "IAM asked for an EC2 action", req: iamQ("Action=DescribeInstances"), status: 400, code: "InvalidAction"},
		{name: "IAM asked for another version", req: query("iam", "Action=ListUsers&Version=2011-06-15"), status: 400, code: "InvalidAction"},
		{name: "IAM with no Action", req: query("iam", iamVersion), status: 400, code: "MissingAction"},
		{name: "IAM action of 64 KiB", req: iamQ("Action=" + strings.Repeat("L", 64<<10)), status: 400, code: "InvalidAction"},
		{name: "IAM action with a NUL", req: iamQ("Action=List%00Users"), status: 400, code: "InvalidAction"},
		{name: "EC2 asked for an IAM action", req: ec2Q("Action=ListUsers"), status: 400, code: "InvalidAction"},
		{name: "STS asked for an empty action", req: stsQ("Action="), status: 400, code: "MissingAction"},

		// Paths that climb.
		{name: "GET //bucket//key", req: s3R("GET", "//"+hostileBucket+"//ten"), status: 400, code: anyCode},
		{name: "GET /../", req: s3R("GET", "/../"), status: 400, code: "InvalidBucketName"},
		{name: "GET bucket/../../etc/passwd", req: s3R("GET", "/"+hostileBucket+"/../../etc/passwd"), status: 404, code: "NoSuchKey"},
		// S3 signs the path as it decodes it: dots escaped by the client are not what the
		// SDK's signer signed (it signs the path as sent).
		{name: "GET bucket/%2e%2e/ten, signed as sent", req: s3R("GET", "/"+hostileBucket+"/%2e%2e/ten"), status: 403, code: "SignatureDoesNotMatch"},
		{name: "GET bucket/./ten", req: s3R("GET", "/"+hostileBucket+"/./ten"), status: 404, code: "NoSuchKey"},
		{name: "PUT bucket/a/../b keeps the key", req: s3R("PUT", "/"+hostileBucket+"/a/../b", body(text("x"))), status: 200},
		{name: "GET bucket/b after PUT a/../b", req: s3R("GET", "/"+hostileBucket+"/b"), status: 404, code: "NoSuchKey"},
		{name: "raw GET with a dot-dot request line", raw: &rawExchange{bytes: rawRequest("GET /"+hostileBucket+"/../../../etc/passwd HTTP/1.1", "Host: {host}", "", "")}, status: 403, code: "AccessDenied"},
		{name: "raw GET with an absolute URI", raw: &rawExchange{bytes: rawRequest("GET http://evil.example/"+hostileBucket+"/ten HTTP/1.1", "Host: {host}", "", "")}, status: 403, code: "AccessDenied"},
		{name: "raw GET with a request line of *", raw: &rawExchange{bytes: rawRequest("GET * HTTP/1.1", "Host: {host}", "", "")}, status: 400, code: "InvalidBucketName"},

		// Absurd hosts.
		{name: "host of 8 KiB", req: do(call{method: "GET", path: "/" + hostileBucket + "/ten", unsigned: true, host: strings.Repeat("a", 8<<10) + ".example"}), status: 403, code: "AccessDenied"},
		{name: "host of a 300-byte bucket", req: do(call{method: "GET", path: "/ten", unsigned: true, host: strings.Repeat("b", 300) + ".s3.amazonaws.com"}), status: 400, code: "InvalidBucketName"},
		{name: "host bucket..s3", req: do(call{method: "GET", path: "/ten", unsigned: true, host: "bucket..s3.amazonaws.com"}), status: 400, code: "InvalidBucketName"},
		{name: "host s3 then another domain", req: do(call{method: "GET", path: "/" + hostileBucket + "/ten", unsigned: true, host: "s3.amazonaws.com.evil.example"}), status: 403, code: "AccessDenied"},
		{name: "host of a website, PUT", req: s3R("PUT", "/ten", onHost(hostileBucket+".s3-website-us-east-1.amazonaws.com"), body(text("x"))), status: 405, code: "MethodNotAllowed"},
		{name: "host of IAM, unsigned", req: do(call{method: "POST", path: "/", unsigned: true, host: "iam.amazonaws.com", body: text("Action=ListUsers&" + iamVersion), header: http.Header{"Content-Type": {formType}}}), status: 403, code: "MissingAuthenticationToken"},
		{name: "host of EC2, unsigned GET", req: do(call{method: "GET", path: "/", unsigned: true, host: "ec2.amazonaws.com"}), status: 401, code: "MissingAuthenticationToken"},
		{name: "host of STS, signed for IAM", req: iamQ("Action=GetCallerIdentity", onHost("sts.amazonaws.com")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "host of S3, signed for IAM", req: iamQ("Action=ListUsers", onHost("s3.amazonaws.com")), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "raw host with a space", raw: &rawExchange{bytes: rawRequest("GET / HTTP/1.1", "Host: a b", "", "")}, status: 400},
		{name: "raw without a host", raw: &rawExchange{bytes: rawRequest("GET / HTTP/1.1", "", "")}, status: 400},
		{name: "raw with two hosts", raw: &rawExchange{bytes: rawRequest("GET / HTTP/1.1", "Host: a.example", "Host: b.example", "", "")}, status: 400},
		{name: "raw host of a bracket", raw: &rawExchange{bytes: rawRequest("GET / HTTP/1.1", "Host: [::1", "", "")}, status: 403, code: "AccessDenied"},

		// Methods a service does not take.
		{name: "IAM DELETE", req: do(call{method: "DELETE", path: "/?Action=ListUsers&" + iamVersion, service: "iam"}), status: 405, code: anyCode},
		{name: "IAM PUT of a form", req: iamQ("Action=ListUsers", method("PUT")), status: 405, code: anyCode},
		{name: "STS PATCH", req: stsQ(callerIdentity, method("PATCH")), status: 405, code: anyCode},
		{name: "EC2 DELETE", req: do(call{method: "DELETE", path: "/?Action=DescribeRegions&" + ec2Version, service: "ec2"}), status: 405, code: anyCode},
		{name: "S3 PATCH of an object", req: s3R("PATCH", "/"+hostileBucket+"/ten"), status: 405, code: "MethodNotAllowed"},
		{name: "S3 method FROB", req: s3R("FROB", "/"+hostileBucket+"/ten"), status: 405, code: "MethodNotAllowed"},
		{name: "S3 POST of an object", req: s3R("POST", "/"+hostileBucket+"/ten"), status: 405, code: "MethodNotAllowed"},
		{name: "S3 PUT of the service", req: s3R("PUT", "/"), status: 405, code: "MethodNotAllowed"},
		{name: "raw CONNECT", raw: &rawExchange{bytes: rawRequest("CONNECT evil.example:443 HTTP/1.1", "Host: evil.example:443", "", "")}, status: 405, code: "MethodNotAllowed"},
		{name: "raw TRACE", raw: &rawExchange{bytes: rawRequest("TRACE / HTTP/1.1", "Host: {host}", "", "")}, status: 405, code: "MethodNotAllowed"},

		// S3 listing types. AWS documents only list-type=2; other values are listed as version 1
		// (as Ceph's gateway does too): the entries pin that they are answered, not refused.
		{name: "list-type=3", req: s3R("GET", "/"+hostileBucket+"?list-type=3"), status: 200},
		{name: "list-type=two", req: s3R("GET", "/"+hostileBucket+"?list-type=two"), status: 200},
		{name: "list-type twice", req: s3R("GET", "/"+hostileBucket+"?list-type=2&list-type=3"), status: 200},
	}
}

// authCases: signatures that are missing, malformed, misdated, mis-scoped or forged.
func authCases() []hostileCase {
	gci := func(opts ...opt) func(*hostileRig) *http.Request { return stsQ(callerIdentity, opts...) }
	users := func(opts ...opt) func(*hostileRig) *http.Request { return iamQ("Action=ListUsers", opts...) }
	regions := func(opts ...opt) func(*hostileRig) *http.Request { return ec2Q("Action=DescribeRegions", opts...) }
	params := func(opts ...opt) func(*hostileRig) *http.Request {
		return ssmJ("AmazonSSM.DescribeParameters", "{}", opts...)
	}
	object := func(opts ...opt) func(*hostileRig) *http.Request {
		return s3R("GET", "/"+hostileBucket+"/ten", opts...)
	}
	presignedObject := func(expires string, opts ...opt) func(*hostileRig) *http.Request {
		return object(append([]opt{presigned(expires)}, opts...)...)
	}
	presignedGCI := func(expires string, opts ...opt) func(*hostileRig) *http.Request {
		return do(call{method: "GET", path: "/?" + callerIdentity + "&" + stsVersion, service: "sts", presign: true, expires: expires}, opts...)
	}
	stripSigned := editAuth(func(a string) string { return regexp.MustCompile(`SignedHeaders=[^,]*, ?`).ReplaceAllString(a, "") })
	stripSig := editAuth(func(a string) string { return regexp.MustCompile(`, ?Signature=.*`).ReplaceAllString(a, "") })
	stripCred := editAuth(func(a string) string { return regexp.MustCompile(`Credential=[^,]*, ?`).ReplaceAllString(a, "") })
	shortSig := signature(func(s string) string { return s[:63] })
	nonHexSig := signature(func(s string) string { return strings.Repeat("z", 64) })
	longSig := signature(func(s string) string { return strings.Repeat(s, 160) })
	cred := func(f func(parts []string)) opt {
		return credential(func(c string) string { p := strings.Split(c, "/"); f(p); return strings.Join(p, "/") })
	}
	fourParts := credential(func(c string) string { return c[:strings.LastIndex(c, "/")] })
	badTerm := cred(func(p []string) { p[4] = "aws5_request" })
	otherDay := cred(func(p []string) { p[1] = "20200101" })
	badDay := cred(func(p []string) { p[1] = "2020-01-01" })
	noKey := cred(func(p []string) { p[0] = "" })
	sha512 := replaceAuth("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")
	bearer := setHeader("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")
	garbage := setHeader("Authorization", "garbage")
	empty := setHeader("Authorization", "")
	extended := after(func(r *http.Request) {
		d, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		r.Header.Set("X-Amz-Date", d.Format(time.RFC3339))
	})
	yesterday := setHeader("X-Amz-Date", "yesterday")
	noDate := delHeader("X-Amz-Date")
	token := func(tok string) opt { return setHeader("X-Amz-Security-Token", tok) }
	both := after(func(r *http.Request) {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
	})
	v2 := func(authz string) func(*hostileRig) *http.Request {
		return do(call{method: "GET", path: "/" + hostileBucket + "/ten", unsigned: true,
			header: http.Header{"Authorization": {authz}, "Date": {time.Now().UTC().Format(http.TimeFormat)}}})
	}
	v2q := func(q string) func(*hostileRig) *http.Request {
		return do(call{method: "GET", path: "/" + hostileBucket + "/ten?" + q, unsigned: true})
	}
	hostless := func(withHost bool) func(r *hostileRig) *http.Request {
		return func(r *hostileRig) *http.Request {
			b := []byte(callerIdentity + "&" + stsVersion)
			req, _ := http.NewRequest("POST", "http://"+r.host+"/", bytes.NewReader(b))
			req.Header.Set("Content-Type", formType)
			signed := []string{"content-type", "x-amz-date"}
			if withHost {
				signed = []string{"content-type", "host", "x-amz-date"}
			}
			signV4(req, b, r.root, "sts", sim.DefaultRegion, time.Now(), signed...)
			return req
		}
	}
	return []hostileCase{
		// No signature at all.
		{name: "unsigned STS", req: gci(unsigned()), status: 403, code: "MissingAuthenticationToken"},
		{name: "unsigned IAM", req: users(unsigned()), status: 403, code: "MissingAuthenticationToken"},
		{name: "unsigned EC2", req: regions(unsigned()), status: 401, code: "MissingAuthenticationToken"},
		{name: "unsigned SSM", req: params(unsigned()), status: 400, code: "MissingAuthenticationTokenException"},
		{name: "unsigned S3 object of a private bucket", req: object(unsigned()), status: 403, code: "AccessDenied"},

		// A garbled Authorization header.
		{name: "garbage header, STS", req: gci(garbage), status: 400, code: "IncompleteSignature"},
		{name: "garbage header, EC2", req: regions(garbage), status: 400, code: "IncompleteSignature"},
		{name: "garbage header, SSM", req: params(garbage), status: 400, code: "IncompleteSignatureException"},
		{name: "garbage header, S3", req: object(garbage), status: 400, code: "InvalidArgument"},
		{name: "empty header, STS", req: gci(empty), status: 400, code: "IncompleteSignature"},
		{name: "bearer token, STS", req: gci(bearer), status: 400, code: "IncompleteSignature"},
		{name: "bearer token, S3", req: object(bearer), status: 400, code: "InvalidArgument"},
		{name: "algorithm SHA512, STS", req: gci(sha512), status: 400, code: "IncompleteSignature"},
		{name: "algorithm SHA512, IAM", req: users(sha512), status: 400, code: "IncompleteSignature"},
		{name: "algorithm SHA512, EC2", req: regions(sha512), status: 400, code: "IncompleteSignature"},
		{name: "algorithm SHA512, S3", req: object(sha512), status: 400, code: "InvalidArgument"},
		{name: "no SignedHeaders, STS", req: gci(stripSigned), status: 400, code: "IncompleteSignature"},
		{name: "no SignedHeaders, EC2", req: regions(stripSigned), status: 400, code: "IncompleteSignature"},
		{name: "no SignedHeaders, SSM", req: params(stripSigned), status: 400, code: "IncompleteSignatureException"},
		{name: "no SignedHeaders, S3", req: object(stripSigned), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "no Signature, STS", req: gci(stripSig), status: 400, code: "IncompleteSignature"},
		{name: "no Signature, S3", req: object(stripSig), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "no Credential, STS", req: gci(stripCred), status: 400, code: "IncompleteSignature"},
		{name: "no Credential, S3", req: object(stripCred), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "credential of four parts, STS", req: gci(fourParts), status: 400, code: "IncompleteSignature"},
		{name: "credential of four parts, S3", req: object(fourParts), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "credential without a key, STS", req: gci(noKey), status: 403, code: "InvalidClientTokenId"},
		// A signature that leaves host out could be replayed to another endpoint: refused (the
		// door's signer always signs host, so it never matches). The control signs host by the
		// same hand and is taken.
		{name: "host not signed, STS", req: hostless(false), status: 403, code: "SignatureDoesNotMatch"},
		{name: "host signed by hand, STS", req: hostless(true), status: 200},

		// The credential scope.
		{name: "scope terminator aws5_request, STS", req: gci(badTerm), status: 400, code: "IncompleteSignature"},
		{name: "scope terminator aws5_request, S3", req: object(badTerm), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "scope of another day, STS", req: gci(otherDay), status: 400, code: "IncompleteSignature"},
		{name: "scope of another day, S3", req: object(otherDay), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "scope date not basic, STS", req: gci(badDay), status: 400, code: "IncompleteSignature"},
		{name: "scope of an empty region, STS", req: gci(cred(func(p []string) { p[2] = "" })), status: 400, code: "IncompleteSignature"},
		{name: "scope of an empty service, STS", req: gci(cred(func(p []string) { p[3] = "" })), status: 400, code: "IncompleteSignature"},
		{name: "scope of eu-west-1 for IAM", req: users(inRegion("eu-west-1")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "scope of xx-fake-1 for EC2", req: regions(inRegion("xx-fake-1")), status: 401, code: "AuthFailure"},
		{name: "scope of xx-fake-1 for STS", req: gci(inRegion("xx-fake-1")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "scope of eu-west-1 for STS", req: gci(inRegion("eu-west-1")), status: 200},
		{name: "scope of xx-fake-1 for SSM", req: params(inRegion("xx-fake-1")), status: 400, code: "InvalidSignatureException"},
		{name: "scope of eu-west-1 for S3 on its us-east-1 host", req: object(inRegion("eu-west-1"), onHost("s3.us-east-1.amazonaws.com")), status: 400, code: "AuthorizationHeaderMalformed"},
		{name: "scope of S3 for a bucket's host, service iam", req: s3R("GET", "/ten", onHost(hostileBucket+".s3.amazonaws.com"), signedAs("iam")), status: 400, code: "AuthorizationHeaderMalformed"},

		// The date.
		{name: "expired 20 minutes, STS", req: gci(skewed(-20 * time.Minute)), status: 403, code: "SignatureDoesNotMatch"},
		{name: "expired 20 minutes, EC2", req: regions(skewed(-20 * time.Minute)), status: 400, code: "RequestExpired"},
		{name: "expired 20 minutes, SSM", req: params(skewed(-20 * time.Minute)), status: 400, code: "InvalidSignatureException"},
		{name: "expired 20 minutes, S3", req: object(skewed(-20 * time.Minute)), status: 403, code: "RequestTimeTooSkewed"},
		{name: "expired 10 years, STS", req: gci(skewed(-10 * 365 * 24 * time.Hour)), status: 403, code: "SignatureDoesNotMatch"},
		{name: "future 20 minutes, STS", req: gci(skewed(20 * time.Minute)), status: 403, code: "SignatureDoesNotMatch"},
		{name: "future 20 minutes, EC2", req: regions(skewed(20 * time.Minute)), status: 400, code: "RequestExpired"},
		{name: "future 20 minutes, S3", req: object(skewed(20 * time.Minute)), status: 403, code: "RequestTimeTooSkewed"},
		{name: "future year 9999, STS", req: gci(skewed(time.Until(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)))), status: 403, code: "SignatureDoesNotMatch"},
		{name: "date in extended format, STS", req: gci(extended), status: 400, code: "IncompleteSignature"},
		{name: "date of a word, STS", req: gci(yesterday), status: 400, code: "IncompleteSignature"},
		{name: "date of a word, S3", req: object(yesterday), status: 403, code: "AccessDenied"},
		{name: "no date, STS", req: gci(noDate), status: 400, code: "IncompleteSignature"},
		{name: "no date, S3", req: object(noDate), status: 403, code: "AccessDenied"},

		// Presigned URLs.
		{name: "presigned X-Amz-Expires 0, S3", req: presignedObject("0", skewed(-2*time.Second)), status: 403, code: "AccessDenied"},
		{name: "presigned X-Amz-Expires 604801, S3", req: presignedObject("604801"), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned X-Amz-Expires abc, S3", req: presignedObject("abc"), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned X-Amz-Expires -1, S3", req: presignedObject("-1"), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned X-Amz-Expires 1e3, S3", req: presignedObject("1e3"), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned X-Amz-Expires of 30 digits, S3", req: presignedObject(strings.Repeat("9", 30)), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned without X-Amz-Expires, S3", req: presignedObject("", delQuery("X-Amz-Expires")), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned without X-Amz-Signature, S3", req: presignedObject("60", delQuery("X-Amz-Signature")), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned without X-Amz-Credential, S3", req: presignedObject("60", delQuery("X-Amz-Credential")), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned algorithm SHA1, S3", req: presignedObject("60", setQuery("X-Amz-Algorithm", "AWS4-HMAC-SHA1")), status: 400, code: "AuthorizationQueryParametersError"},
		{name: "presigned expired, S3", req: presignedObject("60", skewed(-2*time.Hour)), status: 403, code: "AccessDenied"},
		{name: "presigned not yet valid, S3", req: presignedObject("60", skewed(time.Hour)), status: 403, code: "AccessDenied"},
		{name: "presigned signature tampered, S3", req: presignedObject("60", setQuery("X-Amz-Signature", strings.Repeat("0", 64))), status: 403, code: "SignatureDoesNotMatch"},
		{name: "presigned and an Authorization header, S3", req: presignedObject("60", both), status: 400, code: "InvalidArgument"},
		{name: "presigned X-Amz-Expires 604801, STS", req: presignedGCI("604801"), status: 400, code: "IncompleteSignature"},
		{name: "presigned X-Amz-Expires abc, STS", req: presignedGCI("abc"), status: 400, code: "IncompleteSignature"},
		{name: "presigned without X-Amz-Date, STS", req: presignedGCI("60", delQuery("X-Amz-Date")), status: 400, code: "IncompleteSignature"},
		{name: "presigned expired, STS", req: presignedGCI("60", skewed(-2*time.Hour)), status: 403, code: "SignatureDoesNotMatch"},

		// Session tokens.
		{name: "session token for a root key, STS", req: gci(token("FwoGZXIvYXdzEJr//////////wEaDEXAMPLE")), status: 403, code: "InvalidClientTokenId"},
		{name: "session token for a root key, S3", req: object(token("FwoGZXIvYXdzEJr//////////wEaDEXAMPLE")), status: 400, code: "InvalidToken"},
		{name: "session token for a user key, IAM", req: users(as("user"), token("FwoGZXIvYXdzEJr//////////wEaDEXAMPLE")), status: 403, code: "InvalidClientTokenId"},
		{name: "session token of 64 KiB, STS", req: gci(token(strings.Repeat("A", 64<<10))), status: 403, code: "InvalidClientTokenId"},
		{name: "temporary key without a token, STS", req: gci(credential(func(c string) string { return "ASIAQQQQQQQQQQQQQQQQ" + c[strings.Index(c, "/"):] })), status: 403, code: "InvalidClientTokenId"},

		// Unknown keys and forged signatures.
		{name: "unknown key, STS", req: gci(as("unknown")), status: 403, code: "InvalidClientTokenId"},
		{name: "unknown key, EC2", req: regions(as("unknown")), status: 401, code: "AuthFailure"},
		{name: "unknown key, SSM", req: params(as("unknown")), status: 400, code: "UnrecognizedClientException"},
		{name: "unknown key, S3", req: object(as("unknown")), status: 403, code: "InvalidAccessKeyId"},
		{name: "key of 4 KiB, STS", req: gci(credential(func(c string) string { return strings.Repeat("A", 4<<10) + c[strings.Index(c, "/"):] })), status: 403, code: "InvalidClientTokenId"},
		{name: "wrong secret, SSM", req: params(as("wrong-secret")), status: 400, code: "InvalidSignatureException"},
		{name: "signature of 63 digits, STS", req: gci(shortSig), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signature of 63 digits, EC2", req: regions(shortSig), status: 401, code: "AuthFailure"},
		{name: "signature of 63 digits, SSM", req: params(shortSig), status: 400, code: "InvalidSignatureException"},
		{name: "signature of 63 digits, S3", req: object(shortSig), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signature not hex, STS", req: gci(nonHexSig), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signature of 10 KiB, STS", req: gci(longSig), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signature upper-case, STS", req: gci(signature(strings.ToUpper)), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signed body changed, STS", req: gci(after(func(r *http.Request) {
			b := []byte("Action=GetCallerIdentity&Version=2011-06-16")
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		})), status: 403, code: "SignatureDoesNotMatch"},
		{name: "signed header changed, S3", req: object(hdr("X-Amz-Meta-A", "1"), setHeader("X-Amz-Meta-A", "2")), status: 403, code: "SignatureDoesNotMatch"},

		// X-Amz-Content-Sha256 of a service that signs the real hash.
		{name: "UNSIGNED-PAYLOAD, STS", req: gci(payload("UNSIGNED-PAYLOAD")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "UNSIGNED-PAYLOAD, IAM", req: users(payload("UNSIGNED-PAYLOAD")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "UNSIGNED-PAYLOAD, EC2", req: regions(payload("UNSIGNED-PAYLOAD")), status: 401, code: "AuthFailure"},
		{name: "content hash not hex, STS", req: gci(payload("not-a-hash")), status: 403, code: "SignatureDoesNotMatch"},
		{name: "content hash not hex, EC2", req: regions(payload("not-a-hash")), status: 401, code: "AuthFailure"},
		{name: "content hash of another body, STS", req: gci(payload(sha("Action=ListUsers"))), status: 403, code: "SignatureDoesNotMatch"},
		{name: "content hash not hex, S3", req: object(payload("not-a-hash")), status: 400, code: "InvalidArgument"},
		{name: "content hash of another body, S3", req: s3R("PUT", "/"+hostileBucket+"/k", bodyText("sent"), payload(sha("signed"))), status: 400, code: "XAmzContentSHA256Mismatch"},

		// Signature Version 2.
		{name: "SigV2 without a colon", req: v2("AWS " + sim.DefaultAccessKeyID), status: 400, code: "InvalidArgument"},
		{name: "SigV2 without a key", req: v2("AWS :c2ln"), status: 400, code: "InvalidArgument"},
		{name: "SigV2 without a signature", req: v2("AWS " + sim.DefaultAccessKeyID + ":"), status: 400, code: "InvalidArgument"},
		{name: "SigV2 forged", req: v2("AWS " + sim.DefaultAccessKeyID + ":c2lnbmF0dXJl"), status: 403, code: "SignatureDoesNotMatch"},
		{name: "SigV2 unknown key", req: v2("AWS AKIAQQQQQQQQQQQQQQQQ:c2lnbmF0dXJl"), status: 403, code: "InvalidAccessKeyId"},
		{name: "SigV2 without a date", req: do(call{method: "GET", path: "/" + hostileBucket + "/ten", unsigned: true, header: http.Header{"Authorization": {"AWS " + sim.DefaultAccessKeyID + ":c2ln"}}}), status: 403, code: "AccessDenied"},
		{name: "SigV2 query, Expires abc", req: v2q("AWSAccessKeyId=" + sim.DefaultAccessKeyID + "&Expires=abc&Signature=c2ln"), status: 403, code: "AccessDenied"},
		{name: "SigV2 query, no Signature", req: v2q("AWSAccessKeyId=" + sim.DefaultAccessKeyID + "&Expires=9999999999"), status: 403, code: "AccessDenied"},
		{name: "SigV2 query, expired", req: v2q("AWSAccessKeyId=" + sim.DefaultAccessKeyID + "&Expires=1&Signature=c2ln"), status: 403, code: "AccessDenied"},
		{name: "SigV2 header to IAM", req: do(call{method: "POST", path: "/", unsigned: true, body: text("Action=ListUsers&" + iamVersion),
			header: http.Header{"Content-Type": {formType}, "Authorization": {"AWS " + sim.DefaultAccessKeyID + ":c2ln"}, "Date": {time.Now().UTC().Format(http.TimeFormat)}}}), status: 403, code: "SignatureDoesNotMatch"},
	}
}

// bodyCases: bodies that lie about their length, are framed wrongly, are too large, too deep
// or too many.
func bodyCases() []hostileCase {
	const gib = 1 << 30
	put := func(key string) call {
		return call{method: "PUT", path: "/" + hostileBucket + "/" + key, service: "s3", payload: "UNSIGNED-PAYLOAD", header: http.Header{}}
	}
	form := call{method: "POST", path: "/", service: "sts", header: http.Header{"Content-Type": {formType}}, body: text(callerIdentity + "&" + stsVersion)}
	anonymousPut := func(length string, sent string) func(*hostileRig) []byte {
		return rawRequest("PUT /"+hostileBucket+"/anonymous HTTP/1.1", "Host: {host}", "Content-Length: "+length, "", sent)
	}
	unsignedForm := func(b func() []byte) func(*hostileRig) *http.Request {
		return do(call{method: "POST", path: "/", unsigned: true, body: b, header: http.Header{"Content-Type": {formType}}})
	}
	hello := [][]byte{[]byte("hello")}
	describe := func(f string) func(*hostileRig) *http.Request { return ec2Q("Action=DescribeInstances&" + f) }
	deep := func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) }
	gzipped := func() []byte {
		// 1 KiB of zeros compressed ten-thousand-fold would be a bomb if it were inflated.
		return []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + strings.Repeat("\x00", 64))
	}
	return []hostileCase{
		// Lengths that lie.
		{name: "claims 1 GiB, sends 5 bytes, closes (S3)", raw: &rawExchange{bytes: rawSigned(put("big"), gib, []byte("hello")), closeWrite: true}, status: 400, code: "IncompleteBody"},
		{name: "claims 1 GiB, sends 5 bytes, holds (S3)", raw: &rawExchange{bytes: rawSigned(put("big"), gib, []byte("hello")), hold: 300 * time.Millisecond}},
		{name: "claims 1 GiB anonymously, sends 5 bytes, closes", raw: &rawExchange{bytes: anonymousPut(strconv.Itoa(gib), "hello"), closeWrite: true}, status: 403, code: "AccessDenied"},
		{name: "claims 5 GiB, sends 5 bytes (S3)", raw: &rawExchange{bytes: rawSigned(put("big"), 5*gib, []byte("hello")), closeWrite: true}, status: 400, code: "EntityTooLarge"},
		{name: "claims 1 GiB, sends 5 bytes (STS)", raw: &rawExchange{bytes: rawSigned(form, gib, []byte("hello")), closeWrite: true}, status: 400, code: "RequestEntityTooLarge"},
		{name: "claims 1 GiB unsigned, sends 5 bytes (form)", raw: &rawExchange{bytes: rawRequest("POST / HTTP/1.1", "Host: {host}", "Content-Type: "+formType, "Content-Length: 1073741824", "", "hello"), closeWrite: true}, status: 403, code: "MissingAuthenticationToken"},
		{name: "claims 100 bytes, sends 5, holds (STS)", raw: &rawExchange{bytes: rawSigned(form, 100, []byte("hello")), hold: 300 * time.Millisecond}},
		{name: "claims 100 bytes, sends 5, closes (STS)", raw: &rawExchange{bytes: rawSigned(form, 100, []byte("hello")), closeWrite: true}, status: 400, code: "IncompleteBody"},
		{name: "headers never finished, holds", raw: &rawExchange{bytes: rawRequest("GET / HTTP/1.1", "Host: {host}", "X-Slow: 1"), hold: 300 * time.Millisecond}},
		{name: "sends more than it claims (STS)", raw: &rawExchange{bytes: rawSigned(form, 10, []byte(callerIdentity+"&"+stsVersion)), closeWrite: true}, status: 403, code: "SignatureDoesNotMatch"},
		{name: "Content-Length -1", raw: &rawExchange{bytes: anonymousPut("-1", "")}, status: 400},
		{name: "Content-Length abc", raw: &rawExchange{bytes: anonymousPut("abc", "")}, status: 400},
		{name: "Content-Length of 30 digits", raw: &rawExchange{bytes: anonymousPut(strings.Repeat("9", 30), "")}, status: 400},
		{name: "two Content-Lengths", raw: &rawExchange{bytes: rawRequest("PUT /"+hostileBucket+"/x HTTP/1.1", "Host: {host}", "Content-Length: 1", "Content-Length: 2", "", "xx")}, status: 400},
		{name: "Content-Length and chunked", raw: &rawExchange{bytes: rawRequest("POST / HTTP/1.1", "Host: {host}", "Content-Type: "+formType, "Content-Length: 3", "Transfer-Encoding: chunked", "", "3", "a=b", "0", "", "")}, status: 403, code: "MissingAuthenticationToken"},
		{name: "Transfer-Encoding gzip", raw: &rawExchange{bytes: rawRequest("POST / HTTP/1.1", "Host: {host}", "Transfer-Encoding: gzip", "", "")}, status: 501},
		{name: "chunked framing broken (form)", raw: &rawExchange{bytes: rawRequest("POST / HTTP/1.1", "Host: {host}", "Content-Type: "+formType, "Transfer-Encoding: chunked", "", "zz", "Action=X", "0", "", ""), closeWrite: true}, status: 403, code: "MissingAuthenticationToken"},
		{name: "chunked, 9 MiB unsigned form", req: do(call{method: "POST", path: "/", unsigned: true, body: repeat("a=b&", 9<<18), header: http.Header{"Content-Type": {formType}}},
			after(func(r *http.Request) { r.ContentLength = -1 })), status: 403, code: "MissingAuthenticationToken"},

		// Decoded lengths and aws-chunked framing.
		{name: "X-Amz-Decoded-Content-Length on a plain PUT", req: s3R("PUT", "/"+hostileBucket+"/plain", bodyText("hello"), hdr("X-Amz-Decoded-Content-Length", "999")), status: 200},
		{name: "X-Amz-Decoded-Content-Length of 1 GiB, 5 bytes sent", req: chunked("decoded", hello, strconv.Itoa(gib), nil), status: 400, code: "IncompleteBody"},
		{name: "X-Amz-Decoded-Content-Length of 6 GiB", req: chunked("decoded", hello, strconv.Itoa(6*gib), nil), status: 400, code: "EntityTooLarge"},
		{name: "X-Amz-Decoded-Content-Length too small", req: chunked("decoded", hello, "3", nil), status: 400, code: "IncompleteBody"},
		{name: "X-Amz-Decoded-Content-Length -5", req: chunked("decoded", hello, "-5", nil), status: 400, code: "InvalidArgument"},
		{name: "X-Amz-Decoded-Content-Length abc", req: chunked("decoded", hello, "abc", nil), status: 400, code: "InvalidArgument"},
		{name: "aws-chunked well formed", req: chunked("chunked", [][]byte{[]byte("hello "), []byte("world")}, "", nil), status: 200},
		{name: "aws-chunked size not hex", req: chunked("chunked", hello, "", func(i int, l string) string { return "zz" + l[1:] }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked size negative", req: chunked("chunked", hello, "", func(i int, l string) string { return "-" + l }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked size claims 64 MiB", req: chunked("chunked", hello, "", func(i int, l string) string { return strings.Replace(l, "5;", "4000000;", 1) }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked size over the chunk limit", req: chunked("chunked", hello, "", func(i int, l string) string { return strings.Replace(l, "5;", "ffffffff;", 1) }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked size of 20 digits", req: chunked("chunked", hello, "", func(i int, l string) string { return strings.Replace(l, "5;", "ffffffffffffffffffff;", 1) }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked chunk signature wrong", req: chunked("chunked", hello, "", func(i int, l string) string { return l[:len(l)-1] + otherHex(l[len(l)-1]) }), status: 403, code: "SignatureDoesNotMatch"},
		{name: "aws-chunked last chunk signature wrong", req: chunked("chunked", hello, "", func(i int, l string) string {
			if i == 1 {
				return l[:len(l)-4] + "beef"
			}
			return l
		}), status: 403, code: "SignatureDoesNotMatch"},
		{name: "aws-chunked chunk signature missing", req: chunked("chunked", hello, "", func(i int, l string) string { s, _, _ := strings.Cut(l, ";"); return s }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked chunk signature of 64 KiB", req: chunked("chunked", hello, "", func(i int, l string) string { return l + strings.Repeat("0", 64<<10) }), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked last chunk missing", req: chunked("chunked", hello, "", func(i int, l string) string {
			if i == 1 {
				return ""
			}
			return l
		}), status: 400, code: "IncompleteBody"},
		{name: "aws-chunked trailer missing", req: trailing("trailer", "hello", "x-amz-checksum-crc32", ""), status: 400, code: "InvalidRequest"},
		{name: "aws-chunked trailer checksum wrong", req: trailing("trailer", "hello", "x-amz-checksum-crc32", "x-amz-checksum-crc32:AAAAAA==\r\n"), status: 400, code: "BadDigest"},
		{name: "aws-chunked trailer without a colon", req: trailing("trailer", "hello", "x-amz-checksum-crc32", "x-amz-checksum-crc32\r\n"), status: 400, code: "IncompleteBody"},

		// Bodies too large.
		{name: "9 MiB form, unsigned", req: unsignedForm(repeat("a=b&", 9<<18)), status: 403, code: "MissingAuthenticationToken"},
		{name: "9 MiB form, signed (IAM)", req: iamQ("Action=ListUsers", body(repeat("a=b&", 9<<18))), status: 400, code: "RequestEntityTooLarge"},
		{name: "9 MiB JSON (SSM)", req: ssmJ("AmazonSSM.GetParameter", "", body(func() []byte { return []byte(`{"Name":"` + strings.Repeat("a", 9<<20) + `"}`) })), status: 400, code: "RequestEntityTooLarge"},

		// JSON that is too deep, not UTF-8, not JSON.
		{name: "JSON nested 100k arrays", req: ssmJ("AmazonSSM.GetParameter", "", body(repeat("[", 100000))), status: 400, code: "SerializationException"},
		{name: "JSON nested 2000 objects", req: ssmJ("AmazonSSM.GetParameter", deep(2000)), status: 400, code: "SerializationException"},
		{name: "JSON string not UTF-8", req: ssmJ("AmazonSSM.GetParameter", "{\"Name\":\"\xff\xfe\"}"), status: 400, code: "SerializationException"},
		{name: "JSON key not UTF-8", req: ssmJ("AmazonSSM.GetParameter", "{\"\xc3\x28\":\"x\"}"), status: 400, code: "SerializationException"},
		{name: "JSON lone surrogate escape", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"\ud800"}`), status: 400, code: "ValidationException"},
		{name: "JSON trailing garbage", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"x"} {}`), status: 400, code: "SerializationException"},
		{name: "JSON top-level array", req: ssmJ("AmazonSSM.GetParameter", `["Name"]`), status: 400, code: "SerializationException"},
		{name: "JSON number of 1e400", req: ssmJ("AmazonSSM.DescribeParameters", `{"MaxResults":1e400}`), status: 400, code: "SerializationException"},
		{name: "JSON number of 100k digits", req: ssmJ("AmazonSSM.DescribeParameters", `{"MaxResults":`+strings.Repeat("9", 100000)+`}`), status: 400, code: "SerializationException"},
		{name: "JSON string for a number", req: ssmJ("AmazonSSM.DescribeParameters", `{"MaxResults":"10"}`), status: 400, code: "SerializationException"},
		{name: "JSON unterminated string", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"x`), status: 400, code: "SerializationException"},
		{name: "JSON empty body", req: ssmJ("AmazonSSM.GetParameter", ""), status: 400, code: "ValidationException"},
		{name: "JSON null", req: ssmJ("AmazonSSM.GetParameter", "null"), status: 400, code: "SerializationException"},
		{name: "JSON duplicate keys of two types", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"x","Name":5}`), status: 400, code: "SerializationException"},
		{name: "JSON 100k unknown members", req: ssmJ("AmazonSSM.DescribeParameters", "", body(func() []byte {
			return []byte("{" + seq(100000, ",", `"k%[1]d":%[1]d`) + `,"MaxResults":5}`)
		})), status: 200},
		{name: "JSON gzip-encoded", req: ssmJ("AmazonSSM.GetParameter", "", body(gzipped), hdr("Content-Encoding", "gzip")), status: 400, code: "SerializationException"},

		// Forms of many, huge or broken parameters.
		{name: "form of 100k unknown parameters (IAM)", req: iamQ("Action=ListUsers&", body(func() []byte {
			return []byte("Action=ListUsers&" + iamVersion + "&" + seq(100000, "&", "P%[1]d=%[1]d"))
		})), status: 404, code: "MalformedQueryString"},
		{name: "form of 100k tags (IAM CreateUser)", req: iamQ("Action=CreateUser&UserName=many&", body(func() []byte { return []byte("Action=CreateUser&UserName=many&" + iamVersion + "&" + tags(100000)) })), status: 404, code: "MalformedQueryString"},
		{name: "form key of 1 MiB", req: iamQ("Action=ListUsers&" + strings.Repeat("K", 1<<20) + "=1"), status: 200},
		{name: "form value of 1 MiB (IAM GetUser)", req: iamQ("Action=GetUser&UserName=" + strings.Repeat("u", 1<<20)), status: 400, code: "ValidationError"},
		{name: "form percent-encoding broken", req: iamQ("Action=ListUsers&a=%zz"), status: 404, code: "MalformedQueryString"},
		{name: "form with NUL in a value (IAM GetUser)", req: iamQ("Action=GetUser&UserName=a%00b"), status: 400, code: "ValidationError"},
		{name: "form gzip-encoded (IAM)", req: iamQ("", body(gzipped), hdr("Content-Encoding", "gzip")), status: 400, code: "MissingAction"},
		{name: "query index 999999999 (EC2)", req: describe("Filter.999999999.Name=instance-state-name&Filter.999999999.Value.1=running"), status: 200},
		{name: "query index 0 (EC2)", req: describe("Filter.0.Name=instance-state-name&Filter.0.Value.1=running"), status: 400, code: "UnknownParameter"},
		{name: "query index -1 (EC2)", req: describe("Filter.-1.Name=instance-state-name&Filter.-1.Value.1=running"), status: 400, code: "UnknownParameter"},
		{name: "query index of 20 digits (EC2)", req: describe("Filter.99999999999999999999.Name=instance-state-name"), status: 400, code: "UnknownParameter"},
		{name: "query index 1e3 (EC2)", req: describe("Filter.1e3.Name=instance-state-name"), status: 400, code: "UnknownParameter"},
		{name: "query index empty (EC2)", req: describe("Filter..Name=instance-state-name"), status: 400, code: "UnknownParameter"},
		{name: "query value index 4294967297 (EC2)", req: describe("InstanceId.4294967297=i-0123456789abcdef0"), status: 400, code: "UnknownParameter"},
		{name: "query 1k filters (EC2)", req: ec2Q("Action=DescribeInstances", body(func() []byte {
			return []byte("Action=DescribeInstances&" + ec2Version + "&" + seq(1000, "&", "Filter.%[1]d.Name=tag:k&Filter.%[1]d.Value.1=v"))
		})), status: 400, code: "FilterLimitExceeded"},
		{name: "query 10k filters (EC2)", req: ec2Q("Action=DescribeInstances", body(func() []byte {
			return []byte("Action=DescribeInstances&" + ec2Version + "&" + seq(10000, "&", "Filter.%[1]d.Name=tag:k&Filter.%[1]d.Value.1=v"))
		})), status: 404, code: "MalformedQueryString"},
		{name: "query 201 filter values (EC2)", req: describe(seq(201, "&", "Filter.1.Value.%[1]d=v") + "&Filter.1.Name=tag:k"), status: 400, code: "FilterLimitExceeded"},
		{name: "query 200 filter values (EC2)", req: describe(seq(200, "&", "Filter.1.Value.%[1]d=v") + "&Filter.1.Name=tag:k"), status: 200},
		{name: "query index 0 (IAM tags)", req: iamQ("Action=CreateUser&UserName=zero&Tags.member.0.Key=k&Tags.member.0.Value=v"), status: 400, code: "InvalidQueryParameter"},
		{name: "query index of 20 digits (IAM tags)", req: iamQ("Action=CreateUser&UserName=huge&Tags.member.99999999999999999999.Key=k&Tags.member.99999999999999999999.Value=v"), status: 400, code: "InvalidQueryParameter"},
		{name: "query member without index (IAM tags)", req: iamQ("Action=CreateUser&UserName=flat&Tags.member.Key=k"), status: 400, code: "InvalidQueryParameter"},
		{name: "query member the SDK keeps unexported (EC2 CopySnapshot's DestinationRegion)", req: ec2Q("Action=CopySnapshot&SourceRegion=us-east-1&SourceSnapshotId=snap-0123456789abcdef0&DestinationRegion=eu-west-1"),
			status: 400, code: "InvalidSnapshot.NotFound"},
		{name: "volume size of 20 digits (EC2 CreateVolume)", req: ec2Q("Action=CreateVolume&AvailabilityZone=us-east-1a&Size=99999999999999999999"), status: 400, code: "InvalidParameterValue"},
		{name: "volume size -1 (EC2 CreateVolume)", req: ec2Q("Action=CreateVolume&AvailabilityZone=us-east-1a&Size=-1"), status: 400, code: "InvalidParameterValue"},
		{name: "IOPS of 2^31 (EC2 CreateVolume)", req: ec2Q("Action=CreateVolume&AvailabilityZone=us-east-1a&Size=10&VolumeType=io2&Iops=2147483648"), status: 400, code: "InvalidParameterValue"},
		{name: "zone of 1 MiB (EC2 CreateVolume)", req: ec2Q("Action=CreateVolume&Size=1&AvailabilityZone=" + strings.Repeat("z", 1<<20)), status: 400, code: "InvalidZone.NotFound"},
		{name: "allocation ID of 1 MiB (EC2 ReleaseAddress)", req: ec2Q("Action=ReleaseAddress&AllocationId=eipalloc-" + strings.Repeat("f", 1<<20)), status: 400, code: "InvalidAllocationID.Malformed"},

		// XML that expands, nests or lists too much.
		{name: "XML entity expansion (tagging)", req: s3R("PUT", "/"+hostileBucket+"/ten?tagging", body(text(`<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>&c;</Value></Tag></TagSet></Tagging>`))), status: 400, code: "MalformedXML"},
		{name: "XML nested 100k deep (complete upload)", req: func(r *hostileRig) *http.Request {
			return s3R("POST", "/"+hostileBucket+"/mp?uploadId="+r.upload, body(func() []byte {
				return []byte("<CompleteMultipartUpload>" + strings.Repeat("<Part>", 100000) + strings.Repeat("</Part>", 100000) + "</CompleteMultipartUpload>")
			}))(r)
		}, status: 400, code: "MalformedXML"},
		{name: "XML of 100k parts (complete upload)", req: func(r *hostileRig) *http.Request {
			return s3R("POST", "/"+hostileBucket+"/mp?uploadId="+r.upload, body(func() []byte {
				return []byte("<CompleteMultipartUpload>" + seq(100000, "", `<Part><PartNumber>%[1]d</PartNumber><ETag>"%[1]d"</ETag></Part>`) + "</CompleteMultipartUpload>")
			}))(r)
		}, status: 400, code: "MalformedXML"}, // ten times the parts S3's schema allows
		{name: "XML of 10k parts (complete upload)", req: func(r *hostileRig) *http.Request {
			return s3R("POST", "/"+hostileBucket+"/mp?uploadId="+r.upload, body(func() []byte {
				return []byte("<CompleteMultipartUpload>" + seq(10000, "", `<Part><PartNumber>%[1]d</PartNumber><ETag>"%[1]d"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>`) + "</CompleteMultipartUpload>")
			}))(r)
		}, status: 400, code: "InvalidPart"}, // as many as S3 allows: read, and part 2 was never uploaded
		{name: "XML not XML (tagging)", req: s3R("PUT", "/"+hostileBucket+"/ten?tagging", bodyText("{}")), status: 400, code: "MalformedXML"},
		{name: "XML delete of 1001 keys", req: s3R("POST", "/"+hostileBucket+"?delete", body(func() []byte {
			return []byte("<Delete>" + seq(1001, "", "<Object><Key>k%[1]d</Key></Object>") + "</Delete>")
		}), withMD5()), status: 400, code: "MalformedXML"},
	}
}

// s3Cases: names, keys, headers, ranges, copies, parts and tags past S3's limits.
func s3Cases() []hostileCase {
	createBucket := func(name string) func(*hostileRig) *http.Request { return s3R("PUT", "/"+name) }
	obj := "/" + hostileBucket + "/ten"
	get := func(rng string) func(*hostileRig) *http.Request { return s3R("GET", obj, hdr("Range", rng)) }
	copyFrom := func(src string, opts ...opt) func(*hostileRig) *http.Request {
		return s3R("PUT", "/"+hostileBucket+"/copy", append([]opt{hdr("X-Amz-Copy-Source", src)}, opts...)...)
	}
	part := func(n string) func(*hostileRig) *http.Request {
		return func(r *hostileRig) *http.Request {
			return s3R("PUT", "/"+hostileBucket+"/mp?partNumber="+n+"&uploadId="+r.upload, bodyText("part"))(r)
		}
	}
	tagSet := func(n int) func() []byte {
		return func() []byte {
			return []byte("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>" + seq(n, "", "<Tag><Key>k%[1]d</Key><Value>v%[1]d</Value></Tag>") + "</TagSet></Tagging>")
		}
	}
	policy := func(doc func() []byte) func(*hostileRig) *http.Request {
		return s3R("PUT", "/"+hostileBucket+"?policy", body(doc))
	}
	meta := func(n int) opt {
		return func(c *call) {
			for i := range n {
				c.header.Set(fmt.Sprintf("X-Amz-Meta-M%06d", i), strings.Repeat("v", 100))
			}
		}
	}
	return []hostileCase{
		// Bucket names.
		{name: "bucket abc.-def", req: createBucket("abc.-def"), status: 400, code: "InvalidBucketName"},
		{name: "bucket abc-.def", req: createBucket("abc-.def"), status: 400, code: "InvalidBucketName"},
		{name: "bucket ab", req: createBucket("ab"), status: 400, code: "InvalidBucketName"},
		{name: "bucket of 64 characters", req: createBucket(strings.Repeat("b", 64)), status: 400, code: "InvalidBucketName"},
		{name: "bucket of upper case", req: createBucket("Hostile"), status: 400, code: "InvalidBucketName"},
		{name: "bucket abc..def", req: createBucket("abc..def"), status: 400, code: "InvalidBucketName"},
		{name: "bucket -abc", req: createBucket("-abc"), status: 400, code: "InvalidBucketName"},
		{name: "bucket of an IP address", req: createBucket("192.168.5.4"), status: 400, code: "InvalidBucketName"},
		{name: "bucket xn--abc", req: createBucket("xn--abc"), status: 400, code: "InvalidBucketName"},
		{name: "bucket with a NUL", req: createBucket("abc%00def"), status: 400, code: "InvalidBucketName"},
		{name: "bucket of UTF-8", req: createBucket("b%C3%BCcket"), status: 400, code: "InvalidBucketName"},
		{name: "bucket of 1 KiB", req: createBucket(strings.Repeat("b", 1<<10)), status: 400, code: "InvalidBucketName"},

		// Bucket policies.
		{name: "policy not UTF-8", req: policy(text("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::hostile/\xff\xfe\"}]}")), status: 400, code: "MalformedPolicy"},
		{name: "policy not JSON", req: policy(text("Allow everything")), status: 400, code: "MalformedPolicy"},
		{name: "policy nested 10k deep", req: policy(repeat("[", 10000)), status: 400, code: "MalformedPolicy"},
		{name: "policy of 21 KiB", req: policy(func() []byte {
			return []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("s", 21<<10) + `","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::hostile/*"}]}`)
		}), status: 400, code: "PolicyTooLarge"},
		{name: "policy of another bucket", req: policy(text(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`)), status: 400, code: "MalformedPolicy"},
		{name: "policy empty", req: policy(text("")), status: 400, code: "MalformedPolicy"},

		// Keys and metadata.
		{name: "key of 1025 bytes", req: s3R("PUT", "/"+hostileBucket+"/"+strings.Repeat("k", 1025), bodyText("x")), status: 400, code: "KeyTooLongError"},
		{name: "key of 1024 bytes", req: s3R("PUT", "/"+hostileBucket+"/"+strings.Repeat("k", 1024), bodyText("x")), status: 200},
		{name: "key of 1025 bytes, GET", req: s3R("GET", "/"+hostileBucket+"/"+strings.Repeat("k", 1025)), status: 404, code: "NoSuchKey"},
		{name: "key of 342 three-byte characters", req: s3R("PUT", "/"+hostileBucket+"/"+strings.Repeat("%E2%82%AC", 342), bodyText("x")), status: 400, code: "KeyTooLongError"},
		{name: "key of 2 KiB, copy source", req: copyFrom(hostileBucket + "/" + strings.Repeat("k", 2<<10)), status: 404, code: "NoSuchKey"},
		{name: "key of 8 KiB, copy source", req: copyFrom(hostileBucket + "/" + strings.Repeat("k", 8<<10)), status: 400, code: "RequestHeaderSectionTooLarge"},
		{name: "metadata of 3 KiB", req: s3R("PUT", "/"+hostileBucket+"/meta", bodyText("x"), meta(25)), status: 400, code: "MetadataTooLarge"},
		{name: "metadata of 16 KiB of headers", req: s3R("PUT", "/"+hostileBucket+"/meta", bodyText("x"), meta(140)), status: 400, code: "RequestHeaderSectionTooLarge"},
		// Beyond the HTTP server's limit (1 MiB), Go's server answers before any service does.
		{name: "metadata of 2 MiB of headers", req: s3R("PUT", "/"+hostileBucket+"/meta", bodyText("x"), meta(17000)), status: 431},
		{name: "one metadata header of 64 KiB", req: s3R("PUT", "/"+hostileBucket+"/meta", bodyText("x"), hdr("X-Amz-Meta-Big", strings.Repeat("v", 64<<10))), status: 400, code: "RequestHeaderSectionTooLarge"},
		{name: "one metadata header of 2 KiB", req: s3R("PUT", "/"+hostileBucket+"/meta", bodyText("x"), hdr("X-Amz-Meta-Big", strings.Repeat("v", 2100))), status: 400, code: "MetadataTooLarge"},
		{name: "storage class BOGUS", req: s3R("PUT", "/"+hostileBucket+"/sc", bodyText("x"), hdr("X-Amz-Storage-Class", "BOGUS")), status: 400, code: "InvalidStorageClass"},
		{name: "Content-MD5 not base64", req: s3R("PUT", "/"+hostileBucket+"/md5", bodyText("x"), hdr("Content-Md5", "!!!")), status: 400, code: "InvalidDigest"},
		{name: "Content-MD5 of another body", req: s3R("PUT", "/"+hostileBucket+"/md5", bodyText("x"), hdr("Content-Md5", "XrY7u+Ae7tCTyyK7j1rNww==")), status: 400, code: "BadDigest"},

		// Ranges of the ten-byte object.
		{name: "range bytes=5-1", req: get("bytes=5-1"), status: 200},
		{name: "range bytes=-0", req: get("bytes=-0"), status: 416, code: "InvalidRange"},
		{name: "range bytes=10-", req: get("bytes=10-"), status: 416, code: "InvalidRange"},
		{name: "range bytes=0-0", req: get("bytes=0-0"), status: 206},
		{name: "range bytes=-99999999999999999999", req: get("bytes=-99999999999999999999"), status: 200},
		{name: "range bytes=0-99999999999999999999", req: get("bytes=0-99999999999999999999"), status: 200},
		{name: "range of two ranges", req: get("bytes=0-1,3-4"), status: 200},
		{name: "range of 1k ranges", req: get("bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 1000), ",")), status: 200},
		{name: "range of 10k ranges", req: get("bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 10000), ",")), status: 400, code: "RequestHeaderSectionTooLarge"},
		{name: "range bytes=", req: get("bytes="), status: 200},
		{name: "range items=0-1", req: get("items=0-1"), status: 200},
		{name: "range bytes=--1", req: get("bytes=--1"), status: 200},

		// Copies.
		{name: "copy onto itself", req: s3R("PUT", obj, hdr("X-Amz-Copy-Source", hostileBucket+"/ten")), status: 400, code: "InvalidRequest"},
		{name: "copy onto itself, leading slash", req: s3R("PUT", obj, hdr("X-Amz-Copy-Source", "/"+hostileBucket+"/ten")), status: 400, code: "InvalidRequest"},
		{name: "copy onto itself, encoded", req: s3R("PUT", obj, hdr("X-Amz-Copy-Source", "%68ostile/%74en")), status: 400, code: "InvalidRequest"},
		{name: "copy onto itself, REPLACE without change", req: s3R("PUT", obj, hdr("X-Amz-Copy-Source", hostileBucket+"/ten", "X-Amz-Metadata-Directive", "REPLACE")), status: 200},
		{name: "copy source without a key", req: copyFrom(hostileBucket), status: 400, code: "InvalidArgument"},
		{name: "copy source empty", req: copyFrom("/"), status: 400, code: "InvalidArgument"},
		{name: "copy source of no bucket", req: copyFrom("nosuchbucket-hostile/ten"), status: 404, code: "NoSuchBucket"},
		{name: "copy source with dot-dot", req: copyFrom(hostileBucket + "/../" + hostileBucket + "/ten"), status: 404, code: "NoSuchKey"},
		{name: "copy source of a bad escape", req: copyFrom(hostileBucket + "/%zz"), status: 400, code: "InvalidArgument"},
		{name: "copy source version empty", req: copyFrom(hostileBucket + "/ten?versionId="), status: 400, code: "InvalidArgument"},
		{name: "copy source range onto a part of itself", req: func(r *hostileRig) *http.Request {
			return s3R("PUT", "/"+hostileBucket+"/mp?partNumber=1&uploadId="+r.upload, hdr("X-Amz-Copy-Source", hostileBucket+"/ten", "X-Amz-Copy-Source-Range", "bytes=5-1"))(r)
		}, status: 400, code: "InvalidArgument"},

		// Multipart.
		{name: "part number 0", req: part("0"), status: 400, code: "InvalidArgument"},
		{name: "part number 10001", req: part("10001"), status: 400, code: "InvalidArgument"},
		{name: "part number -1", req: part("-1"), status: 400, code: "InvalidArgument"},
		{name: "part number abc", req: part("abc"), status: 400, code: "InvalidArgument"},
		{name: "part number of 20 digits", req: part("99999999999999999999"), status: 400, code: "InvalidArgument"},
		{name: "part number 10000", req: part("10000"), status: 200},
		{name: "upload ID unknown", req: s3R("PUT", "/"+hostileBucket+"/mp?partNumber=1&uploadId=nosuchupload", bodyText("x")), status: 404, code: "NoSuchUpload"},
		{name: "upload ID of 64 KiB", req: s3R("PUT", "/"+hostileBucket+"/mp?partNumber=1&uploadId="+strings.Repeat("u", 64<<10), bodyText("x")), status: 404, code: "NoSuchUpload"},
		{name: "complete with no parts", req: func(r *hostileRig) *http.Request {
			return s3R("POST", "/"+hostileBucket+"/mp?uploadId="+r.upload, bodyText("<CompleteMultipartUpload></CompleteMultipartUpload>"))(r)
		}, status: 400, code: "MalformedXML"},
		{name: "complete with parts out of order", req: func(r *hostileRig) *http.Request {
			return s3R("POST", "/"+hostileBucket+"/mp?uploadId="+r.upload, bodyText(`<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>"a"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>"b"</ETag></Part></CompleteMultipartUpload>`))(r)
		}, status: 400, code: "InvalidPartOrder"},
		{name: "list parts max-parts -1", req: func(r *hostileRig) *http.Request {
			return s3R("GET", "/"+hostileBucket+"/mp?max-parts=-1&uploadId="+r.upload)(r)
		}, status: 400, code: "InvalidArgument"},

		// Tags.
		{name: "11 tags on an object", req: s3R("PUT", obj+"?tagging", body(tagSet(11)), withMD5()), status: 400, code: "BadRequest"},
		{name: "10 tags on an object", req: s3R("PUT", obj+"?tagging", body(tagSet(10)), withMD5()), status: 200},
		{name: "11 tags in x-amz-tagging", req: s3R("PUT", "/"+hostileBucket+"/tagged", bodyText("x"), hdr("X-Amz-Tagging", seq(11, "&", "k%[1]d=v%[1]d"))), status: 400, code: "BadRequest"},
		{name: "51 tags on a bucket", req: s3R("PUT", "/"+hostileBucket+"?tagging", body(tagSet(51)), withMD5()), status: 400, code: "InvalidTag"},
		{name: "tag key of 129 characters", req: s3R("PUT", obj+"?tagging", bodyText("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>"+strings.Repeat("k", 129)+"</Key><Value>v</Value></Tag></TagSet></Tagging>"), withMD5()), status: 400, code: "InvalidTag"},
		{name: "tag value of 257 characters", req: s3R("PUT", obj+"?tagging", bodyText("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k</Key><Value>"+strings.Repeat("v", 257)+"</Value></Tag></TagSet></Tagging>"), withMD5()), status: 400, code: "InvalidTag"},
		{name: "tag keys repeated", req: s3R("PUT", obj+"?tagging", bodyText("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></TagSet></Tagging>"), withMD5()), status: 400, code: "InvalidTag"},
		{name: "tag key aws:", req: s3R("PUT", obj+"?tagging", bodyText("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>aws:k</Key><Value>1</Value></Tag></TagSet></Tagging>"), withMD5()), status: 400, code: "InvalidTag"},
		{name: "x-amz-tagging not a query", req: s3R("PUT", "/"+hostileBucket+"/tagged", bodyText("x"), hdr("X-Amz-Tagging", "%zz")), status: 400, code: "InvalidArgument"},

		// Listing parameters.
		{name: "max-keys -1", req: s3R("GET", "/"+hostileBucket+"?max-keys=-1"), status: 400, code: "InvalidArgument"},
		{name: "max-keys abc", req: s3R("GET", "/"+hostileBucket+"?list-type=2&max-keys=abc"), status: 400, code: "InvalidArgument"},
		{name: "max-keys of 20 digits", req: s3R("GET", "/"+hostileBucket+"?max-keys=99999999999999999999"), status: 400, code: "InvalidArgument"},
		{name: "encoding-type bogus", req: s3R("GET", "/"+hostileBucket+"?encoding-type=bogus"), status: 400, code: "InvalidArgument"},
		{name: "prefix of 64 KiB", req: s3R("GET", "/"+hostileBucket+"?list-type=2&prefix="+strings.Repeat("p", 64<<10)), status: 200},
		{name: "continuation token forged", req: s3R("GET", "/"+hostileBucket+"?list-type=2&continuation-token=Zm9yZ2Vk"), status: 400, code: "InvalidArgument"},
		{name: "versionId garbage", req: s3R("GET", obj+"?versionId=garbage"), status: 400, code: "InvalidArgument"},
		{name: "max-buckets 0", req: s3R("GET", "/?max-buckets=0"), status: 400, code: "InvalidArgument"},
	}
}

// quotaCases: IAM's and STS's limits on tags, names, policies and sessions.
func quotaCases() []hostileCase {
	assume := func(form string) func(*hostileRig) *http.Request {
		return func(r *hostileRig) *http.Request {
			return stsQ("Action=AssumeRole&RoleArn="+url.QueryEscape(r.role)+"&"+form, as("user"))(r)
		}
	}
	policyArns := func(n int) string {
		var p []string
		for i := 1; i <= n; i++ {
			p = append(p, fmt.Sprintf("PolicyArns.member.%d.arn=%s", i, url.QueryEscape("arn:aws:iam::aws:policy/ReadOnlyAccess")))
		}
		return strings.Join(p, "&")
	}
	// A session policy of high entropy, which AWS's packing cannot shrink below its limit.
	packed := func(n int) string {
		var res []string
		for i := range n {
			res = append(res, fmt.Sprintf(`"arn:aws:s3:::b%x/%x"`, sha(strconv.Itoa(i))[:16], sha(strconv.Itoa(-i))[:24]))
		}
		return url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` + strings.Join(res, ",") + `]}]}`)
	}
	sessionTags := func(n, valueLen int) string {
		return seq(n, "&", "Tags.member.%[1]d.Key=k%[1]d&Tags.member.%[1]d.Value="+strings.Repeat("v", valueLen))
	}
	return []hostileCase{
		// Tags on users and roles.
		{name: "51 tags creating a user", req: iamQ("Action=CreateUser&UserName=tagged51&" + tags(51)), status: 400, code: "ValidationError"},
		{name: "50 tags creating a user", req: iamQ("Action=CreateUser&UserName=tagged50&" + tags(50)), status: 200},
		{name: "51 tags on a user", req: iamQ("Action=TagUser&UserName=mallory&" + tags(51)), status: 400, code: "ValidationError"},
		{name: "51 tags creating a role", req: iamQ("Action=CreateRole&RoleName=tagged51&AssumeRolePolicyDocument=" + url.QueryEscape(trustAccount) + "&" + tags(51)), status: 400, code: "ValidationError"},
		{name: "tag key of 129 characters on a user", req: iamQ("Action=TagUser&UserName=mallory&Tags.member.1.Key=" + strings.Repeat("k", 129) + "&Tags.member.1.Value=v"), status: 400, code: "ValidationError"},
		{name: "tag value of 257 characters on a user", req: iamQ("Action=TagUser&UserName=mallory&Tags.member.1.Key=k&Tags.member.1.Value=" + strings.Repeat("v", 257)), status: 400, code: "ValidationError"},
		{name: "tag key aws: on a user", req: iamQ("Action=TagUser&UserName=mallory&Tags.member.1.Key=aws:k&Tags.member.1.Value=v"), status: 400, code: "InvalidInput"},

		// Names and paths.
		{name: "user name of 65 characters", req: iamQ("Action=CreateUser&UserName=" + strings.Repeat("u", 65)), status: 400, code: "ValidationError"},
		{name: "user name with a slash", req: iamQ("Action=CreateUser&UserName=a/b"), status: 400, code: "ValidationError"},
		{name: "user name empty", req: iamQ("Action=CreateUser&UserName="), status: 400, code: "ValidationError"},
		{name: "user path without slashes", req: iamQ("Action=CreateUser&UserName=pathless&Path=nopath"), status: 400, code: "ValidationError"},
		{name: "user path of 513 characters", req: iamQ("Action=CreateUser&UserName=pathlong&Path=/" + strings.Repeat("p", 511) + "/"), status: 400, code: "ValidationError"},
		{name: "role name of 65 characters", req: iamQ("Action=CreateRole&RoleName=" + strings.Repeat("r", 65) + "&AssumeRolePolicyDocument=" + url.QueryEscape(trustAccount)), status: 400, code: "ValidationError"},
		{name: "MaxItems 0", req: iamQ("Action=ListUsers&MaxItems=0"), status: 400, code: "ValidationError"},
		{name: "MaxItems 1001", req: iamQ("Action=ListUsers&MaxItems=1001"), status: 400, code: "ValidationError"},
		{name: "MaxItems abc", req: iamQ("Action=ListUsers&MaxItems=abc"), status: 400, code: "InvalidParameterValue"},
		{name: "Marker forged", req: iamQ("Action=ListUsers&Marker=forged"), status: 400, code: "ValidationError"},

		// Policies.
		{name: "managed policy of 6145 characters", req: iamQ("Action=CreatePolicy&PolicyName=big&PolicyDocument=" + packed(160)), status: 409, code: "LimitExceeded"},
		{name: "inline user policy of 2049 characters", req: iamQ("Action=PutUserPolicy&UserName=mallory&PolicyName=big&PolicyDocument=" + packed(60)), status: 409, code: "LimitExceeded"},
		{name: "policy document not JSON", req: iamQ("Action=CreatePolicy&PolicyName=notjson&PolicyDocument=allow"), status: 400, code: "MalformedPolicyDocument"},
		{name: "policy document nested 10k deep", req: iamQ("Action=CreatePolicy&PolicyName=deep&PolicyDocument=" + strings.Repeat("%5B", 10000)), status: 400, code: "MalformedPolicyDocument"},
		{name: "policy document not UTF-8", req: iamQ("Action=CreatePolicy&PolicyName=notutf8&PolicyDocument=" + url.QueryEscape("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::\xff\"}]}")), status: 400, code: "ValidationError"},
		{name: "trust policy not JSON", req: iamQ("Action=CreateRole&RoleName=badtrust&AssumeRolePolicyDocument=trust"), status: 400, code: "MalformedPolicyDocument"},
		{name: "second access key", req: iamQ("Action=CreateAccessKey&UserName=mallory"), status: 200},
		{name: "third access key", req: iamQ("Action=CreateAccessKey&UserName=mallory"), status: 409, code: "LimitExceeded"},

		// Sessions.
		{name: "AssumeRole as root", req: func(r *hostileRig) *http.Request {
			return stsQ("Action=AssumeRole&RoleSessionName=root&RoleArn=" + url.QueryEscape(r.role))(r)
		}, status: 403, code: "AccessDenied"},
		{name: "AssumeRole with 10 PolicyArns", req: assume("RoleSessionName=ten&" + policyArns(10)), status: 200},
		{name: "AssumeRole with 11 PolicyArns", req: assume("RoleSessionName=eleven&" + policyArns(11)), status: 400, code: anyCode},
		{name: "AssumeRole with a policy of 3 KiB packed", req: assume("RoleSessionName=packed&Policy=" + packed(40)), status: 400, code: "PackedPolicyTooLarge"},
		{name: "AssumeRole with 50 session tags of 256 characters", req: assume("RoleSessionName=tags&" + sessionTags(50, 256)), status: 400, code: "PackedPolicyTooLarge"},
		{name: "AssumeRole with 51 session tags", req: assume("RoleSessionName=tags&" + sessionTags(51, 1)), status: 400, code: "ValidationError"},
		{name: "AssumeRole with a policy not JSON", req: assume("RoleSessionName=notjson&Policy=allow"), status: 400, code: "MalformedPolicyDocument"},
		{name: "AssumeRole with a policy ARN that does not exist", req: assume("RoleSessionName=noarn&PolicyArns.member.1.arn=" + url.QueryEscape("arn:aws:iam::123456789012:policy/nosuch")), status: 400, code: "InvalidParameterValue"},
		{name: "role session name of 1 character", req: assume("RoleSessionName=a"), status: 400, code: "ValidationError"},
		{name: "role session name of 65 characters", req: assume("RoleSessionName=" + strings.Repeat("s", 65)), status: 400, code: "ValidationError"},
		{name: "role session name with a space", req: assume("RoleSessionName=bad+name"), status: 400, code: "ValidationError"},
		{name: "role session name with a slash", req: assume("RoleSessionName=a/b"), status: 400, code: "ValidationError"},
		{name: "role session name missing", req: assume(""), status: 400, code: "ValidationError"},
		{name: "duration 0", req: assume("RoleSessionName=d&DurationSeconds=0"), status: 400, code: "ValidationError"},
		{name: "duration 899", req: assume("RoleSessionName=d&DurationSeconds=899"), status: 400, code: "ValidationError"},
		{name: "duration 43201", req: assume("RoleSessionName=d&DurationSeconds=43201"), status: 400, code: "ValidationError"},
		{name: "duration -1", req: assume("RoleSessionName=d&DurationSeconds=-1"), status: 400, code: "ValidationError"},
		{name: "duration of 20 digits", req: assume("RoleSessionName=d&DurationSeconds=99999999999999999999"), status: 400, code: "InvalidParameterValue"},
		{name: "duration abc", req: assume("RoleSessionName=d&DurationSeconds=abc"), status: 400, code: "InvalidParameterValue"},
		{name: "duration past the role's maximum", req: assume("RoleSessionName=d&DurationSeconds=7200"), status: 400, code: "ValidationError"},
		{name: "role ARN of 19 characters", req: stsQ("Action=AssumeRole&RoleSessionName=s&RoleArn=arn:aws:iam::1:role", as("user")), status: 400, code: "ValidationError"},
		{name: "role ARN of another account", req: stsQ("Action=AssumeRole&RoleSessionName=s&RoleArn="+url.QueryEscape("arn:aws:iam::999999999999:role/target"), as("user")), status: 403, code: "AccessDenied"},
		{name: "session token duration 899", req: stsQ("Action=GetSessionToken&DurationSeconds=899", as("user")), status: 400, code: "ValidationError"},
		{name: "session token duration 129601", req: stsQ("Action=GetSessionToken&DurationSeconds=129601", as("user")), status: 400, code: "ValidationError"},

		// Systems Manager's names: 2,048 characters of [a-zA-Z0-9_.-/], at most 15 levels.
		{name: "SSM name of 2049 bytes in 2048 characters", req: ssmJ("AmazonSSM.PutParameter", `{"Name":"é`+strings.Repeat("!", 2047)+`","Value":"x","Type":"String"}`), status: 400, code: "ValidationException"},
		{name: "SSM name of 1025 levels in 2048 characters", req: ssmJ("AmazonSSM.PutParameter", `{"Name":"/é`+strings.Repeat("/a", 1023)+`","Value":"x","Type":"String"}`), status: 400, code: "ValidationException"},
		{name: "SSM name of 2049 characters", req: ssmJ("AmazonSSM.PutParameter", `{"Name":"`+strings.Repeat("a", 2049)+`","Value":"x","Type":"String"}`), status: 400, code: "ValidationException"},
		{name: "SSM name of 16 levels", req: ssmJ("AmazonSSM.PutParameter", `{"Name":"`+strings.Repeat("/l", 16)+`","Value":"x","Type":"String"}`), status: 400, code: "HierarchyLevelLimitExceededException"},
		{name: "SSM name with a space", req: ssmJ("AmazonSSM.PutParameter", `{"Name":"/my param","Value":"x","Type":"String"}`), status: 400, code: "ValidationException"},
		{name: "SSM get of a name of 2049 bytes in 2048 characters", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"é`+strings.Repeat("!", 2047)+`"}`), status: 400, code: "ValidationException"},
		{name: "SSM get of a name of 1025 levels in 2048 characters", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"/é`+strings.Repeat("/a", 1023)+`"}`), status: 400, code: "ValidationException"},
		{name: "SSM get of a name with a space", req: ssmJ("AmazonSSM.GetParameter", `{"Name":"/my param"}`), status: 400, code: "ValidationException"},
	}
}

// otherHex is a hex digit other than c: a signature's last digit changed for certain (a fixed
// replacement left one signature in sixteen as it was).
func otherHex(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}
