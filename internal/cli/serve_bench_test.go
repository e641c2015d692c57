package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

// floorResponses, when set, makes TestFloorServer the cross-process floor of BenchmarkServe: a
// server of its own process that answers recorded responses (the file, JSON), in turn.
var floorResponses = flag.String("floor-responses", "", "serve these recorded responses (BenchmarkServe's floor process)")

// recorded is one response of the simulator, as its handler wrote it.
type recorded struct {
	Status int
	Header http.Header
	Body   []byte
}

// TestFloorServer is BenchmarkServe's floor process: with -floor-responses it listens on a
// loopback port, prints the address, answers every request with the next recorded response
// (reading the request's body first, as the simulator does) until its stdin closes. Without
// the flag it is skipped.
func TestFloorServer(t *testing.T) {
	if *floorResponses == "" {
		t.Skip("the floor process of BenchmarkServe (-floor-responses)")
	}
	b, err := os.ReadFile(*floorResponses)
	if err != nil {
		t.Fatal(err)
	}
	var rs []recorded
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var i atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		resp := rs[(i.Add(1)-1)%int64(len(rs))]
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.Status)
		w.Write(resp.Body)
	})}
	go srv.Serve(ln)
	fmt.Printf("%s\n", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
}

// serveCall is one benchmarked call: setup makes the state it needs (on a fresh account), call
// is what is measured.
type serveCall struct {
	name  string
	setup func(context.Context, aws.Config) error
	call  func(context.Context, aws.Config) error
}

var serveCalls = []serveCall{
	{name: "GetCallerIdentity", call: func(ctx context.Context, cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{name: "IAMGetUser",
		setup: func(ctx context.Context, cfg aws.Config) error {
			_, err := iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")})
			return err
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alex")})
			return err
		}},
	{name: "EC2DescribeRegions", call: func(ctx context.Context, cfg aws.Config) error {
		_, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		return err
	}},
	{name: "S3PutObject1KiB",
		setup: func(ctx context.Context, cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")})
			return err
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("bench"), Key: aws.String("k"), Body: bytes.NewReader(bytes.Repeat([]byte("x"), 1<<10))})
			return err
		}},
	{name: "S3GetObject1KiB",
		setup: func(ctx context.Context, cfg aws.Config) error {
			c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
			if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil && !strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
				return err
			}
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("k"), Body: bytes.NewReader(bytes.Repeat([]byte("x"), 1<<10))})
			return err
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			out, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String("k")})
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, out.Body)
			out.Body.Close()
			if err == nil && n != 1<<10 {
				err = fmt.Errorf("read %d bytes, want 1024", n)
			}
			return err
		}},
}

// countingConfig is an SDK config for the server at url whose HTTP client is the SDK's default
// one with its dials counted.
func countingConfig(url string, dials *atomic.Int64) aws.Config {
	cfg := serverConfig(url)
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		dial := tr.DialContext
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dial(ctx, network, addr)
		}
	})
	return cfg
}

// startServe runs `awsx sim serve` in this process and returns its URL.
func startServe(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	o := &ServeOptions{IO: &IO{Out: nopWriter{}, Err: nopWriter{}}, Addr: "127.0.0.1:0", Seed: 1, Ready: func(a string) { ready <- a }}
	go func() { done <- serveRun(ctx, o) }()
	tb.Cleanup(func() { cancel(); <-done })
	select {
	case a := <-ready:
		return "http://" + a
	case err := <-done:
		tb.Fatalf("serve: %v", err)
	}
	return ""
}

// startProcess starts cmd and stops it (closing its stdin, then killing it) at the end of tb.
// When firstLine, it returns the first line cmd prints.
func startProcess(tb testing.TB, cmd *exec.Cmd, firstLine bool) string {
	tb.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		timer := time.AfterFunc(5*time.Second, func() { cmd.Process.Kill() })
		cmd.Wait()
		timer.Stop()
	})
	var line string
	if firstLine {
		line, _ = bufio.NewReader(stdout).ReadString('\n')
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSpace(line)
}

// waitServing retries GetCallerIdentity on url until it answers, for up to 20 seconds.
func waitServing(tb testing.TB, url string) {
	tb.Helper()
	client := sts.NewFromConfig(serverConfig(url))
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(20 * time.Millisecond) {
		if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err == nil {
			return
		}
	}
	tb.Fatalf("%s does not answer", url)
}

// record runs setup, then call, against the simulator's handler on a loopback server, and
// returns the responses to call.
func record(tb testing.TB, c serveCall) []recorded {
	tb.Helper()
	ctx := context.Background()
	cloud := sim.New(sim.WithSeed(1))
	var mu sync.Mutex
	var on bool
	var rs []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		cloud.ServeHTTP(rec, r)
		mu.Lock()
		if on {
			rs = append(rs, recorded{Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.Bytes()})
		}
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	cfg := serverConfig(srv.URL)
	if c.setup != nil {
		if err := c.setup(ctx, cfg); err != nil {
			tb.Fatal(err)
		}
	}
	on = true
	if err := c.call(ctx, cfg); err != nil {
		tb.Fatal(err)
	}
	return rs
}

// BenchmarkServe compares small calls to `awsx sim serve` with its floor: the same SDK call
// answered over loopback by a server in another process that replays the simulator's
// recorded responses (TestFloorServer). Beside them: `sim serve` in another process (the
// awsx command), `sim serve` in this process, and the simulator's handler on an httptest
// server in this process. Each reports the SDK client's dials (one is keep-alive working).
//
// Those run one after the other, so a load that comes and goes on the machine falls on one
// and not the other; serve-vs-floor calls the floor and `sim serve` (both in processes of
// their own) in turn, on warm connections, and reports each one's time per call, their
// ratio, each server's CPU time per call and each client's dials per call.
//
//	go test ./internal/cli -run '^$' -bench BenchmarkServe -count 6
func BenchmarkServe(b *testing.B) {
	for _, c := range serveCalls {
		b.Run(c.name, func(b *testing.B) {
			servers := []struct {
				name  string
				start func(b *testing.B) benchServer
			}{
				{"floor", func(b *testing.B) benchServer { return startFloor(b, c) }},
				{"serve", func(b *testing.B) benchServer { return startServeCommand(b) }},
				{"serve-in-process", func(b *testing.B) benchServer { return benchServer{url: startServe(b)} }},
				{"httptest", func(b *testing.B) benchServer {
					srv := httptest.NewServer(sim.New(sim.WithSeed(1)))
					b.Cleanup(srv.Close)
					return benchServer{url: srv.URL}
				}},
			}
			for _, s := range servers {
				b.Run(s.name, func(b *testing.B) {
					ctx := context.Background()
					url := s.start(b).url
					if s.name != "floor" && c.setup != nil {
						if err := c.setup(ctx, serverConfig(url)); err != nil {
							b.Fatal(err)
						}
					}
					var dials atomic.Int64
					cfg := countingConfig(url, &dials)
					b.ReportAllocs()
					for b.Loop() {
						if err := c.call(ctx, cfg); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(dials.Load()), "dials")
				})
			}
			b.Run("serve-vs-floor", func(b *testing.B) { benchServeVsFloor(b, c) })
		})
	}
}

// benchServer is one of BenchmarkServe's servers: its URL, and its process when it runs in a
// process of its own.
type benchServer struct {
	url string
	pid int // 0: in this process
}

// startFloor records c's responses and starts the floor process that replays them.
func startFloor(b *testing.B, c serveCall) benchServer {
	b.Helper()
	file := b.TempDir() + "/responses.json"
	data, err := json.Marshal(record(b, c))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFloorServer$", "-floor-responses="+file)
	addr := startProcess(b, cmd, true)
	return benchServer{url: "http://" + addr, pid: cmd.Process.Pid}
}

// startServeCommand starts `awsx sim serve` in a process of its own, its log in a file.
func startServeCommand(b *testing.B) benchServer {
	b.Helper()
	addr := freePort(b)
	cmd := exec.Command(os.Args[0], "sim", "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "AWSX_TEST_MAIN=1")
	log, err := os.Create(b.TempDir() + "/serve.log")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { log.Close() })
	cmd.Stderr = log
	startProcess(b, cmd, false)
	waitServing(b, "http://"+addr)
	return benchServer{url: "http://" + addr, pid: cmd.Process.Pid}
}

// benchServeVsFloor calls the floor and `sim serve` in turn (which goes first alternates), each
// from a client of its own whose connection is warm, and reports the time per call of each,
// serve's over the floor's, each server process's CPU time per call, and the dials per call
// of each client.
func benchServeVsFloor(b *testing.B, c serveCall) {
	ctx := context.Background()
	type side struct {
		name  string
		srv   benchServer
		cfg   aws.Config
		dials atomic.Int64
		took  time.Duration
		cpu   time.Duration
	}
	floor, serve := &side{name: "floor", srv: startFloor(b, c)}, &side{name: "serve", srv: startServeCommand(b)}
	if c.setup != nil {
		if err := c.setup(ctx, serverConfig(serve.srv.url)); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range []*side{floor, serve} {
		s.cfg = countingConfig(s.srv.url, &s.dials)
		if err := c.call(ctx, s.cfg); err != nil { // the connection's dial, before the loop
			b.Fatal(err)
		}
		s.dials.Store(0)
		s.cpu = -processCPU(b, s.srv.pid)
	}
	calls := 0
	for b.Loop() {
		order := []*side{floor, serve}
		if calls%2 == 1 {
			order[0], order[1] = serve, floor
		}
		for _, s := range order {
			start := time.Now()
			if err := c.call(ctx, s.cfg); err != nil {
				b.Fatalf("%s: %v", s.name, err)
			}
			s.took += time.Since(start)
		}
		calls++
	}
	for _, s := range []*side{floor, serve} {
		s.cpu += processCPU(b, s.srv.pid)
		n := float64(calls)
		b.ReportMetric(float64(s.took.Microseconds())/n, s.name+"-µs/call")
		b.ReportMetric(float64(s.cpu.Microseconds())/n, s.name+"-server-cpu-µs/call")
		b.ReportMetric(float64(s.dials.Load())/n, s.name+"-dials/call")
	}
	b.ReportMetric(float64(serve.took)/float64(floor.took), "serve/floor")
}

// processCPU is the CPU time, user and system, that process pid has used (Linux's
// /proc/PID/stat, in clock ticks of 1/100 s): the work a server did for the calls, steadier
// than their times on a machine whose cores other programs share. Elsewhere it is 0.
func processCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses: state is the first,
	// utime and stime the 12th and 13th.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			b.Fatalf("/proc/%d/stat: %v", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// TestServeKeepsConnection: the SDK's default client makes many sequential calls to `sim
// serve` on one connection, whatever the call (reads, writes, an S3 body each way, an error):
// no response asks to close, and a call dials only after the SDK itself dropped the
// connection. (It drops it after some awsQuery and ec2Query calls, against any server — the
// floor's static handler too — when the transport reports the request's write failed with EOF
// after the response came: a client-side race. net/http, having sent a body's ContentLength
// bytes, copies what is left of it with io.Copy, which takes smithy-go's body wrapper's
// WriteTo; that returns io.EOF as an error once the body is closed, and the SDK closes it as
// soon as it has the response. When the transport's writing goroutine gets there after the
// SDK, the write has "failed" and the connection is not reused. A body without WriteTo, or a
// net/http client sending the same POSTs, keeps its one connection.)
func TestServeKeepsConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := startServe(t)
	var dials atomic.Int64
	cfg := countingConfig(url, &dials)
	inner := cfg.HTTPClient
	var closing atomic.Int64
	cfg.HTTPClient = doFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := inner.Do(r)
		if err == nil && resp.Close {
			closing.Add(1)
		}
		return resp, err
	})
	for _, c := range serveCalls {
		if c.setup != nil {
			if err := c.setup(ctx, serverConfig(url)); err != nil && !strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
	}
	calls := append(serveCalls[:len(serveCalls):len(serveCalls)], serveCall{name: "an error", call: func(ctx context.Context, cfg aws.Config) error {
		_, err := iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
		if err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
			return fmt.Errorf("GetUser of nobody: %v, want NoSuchEntity", err)
		}
		return nil
	}})
	const rounds = 60
	var reused, dropped, unexplained int
	writeFailed := false
	for i := range rounds * len(calls) {
		c := calls[i%len(calls)]
		var newConn, failed bool
		trace := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GotConn:      func(g httptrace.GotConnInfo) { newConn = !g.Reused },
			WroteRequest: func(w httptrace.WroteRequestInfo) { failed = failed || w.Err != nil },
		})
		if err := c.call(trace, cfg); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		switch {
		case !newConn:
			reused++
		case i == 0:
		case writeFailed:
			dropped++
		default:
			unexplained++
			t.Logf("call %d (%s) dialed after a call that left its connection usable", i, c.name)
		}
		writeFailed = failed
	}
	if n := closing.Load(); n != 0 {
		t.Errorf("%d responses asked the client to close the connection", n)
	}
	// The transport puts a connection back among its idle ones on a goroutine of its own once
	// the body is read: on a loaded machine the next call may come first and dial. A few such
	// dials are the client's; a server that closes connections makes one a call.
	if limit := rounds * len(calls) / 50; unexplained > limit {
		t.Errorf("%d calls dialed after a call that left its connection usable (at most %d)", unexplained, limit)
	}
	if want := int64(1 + dropped + unexplained); dials.Load() != want {
		t.Errorf("%d dials, want %d (the first, one after each of the SDK's %d dropped connections, and %d others)", dials.Load(), want, dropped, unexplained)
	}
	if reused < rounds*len(calls)*3/4 {
		t.Errorf("only %d of %d calls reused a connection", reused, rounds*len(calls))
	}
	t.Logf("%d calls: %d on a kept connection, %d after the SDK dropped one, %d others", rounds*len(calls), reused, dropped, unexplained)
}

type doFunc func(*http.Request) (*http.Response, error)

func (f doFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
