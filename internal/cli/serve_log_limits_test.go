package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The limits of `awsx sim serve` and its warning off loopback; the tests are in this file, with
// the log's, for sim.go's serveRun is tested here.

// trickleWindow is the tests' ProgressTimeout.
const trickleWindow = 500 * time.Millisecond

// serveTrickle serves with trickleWindow and a bucket "trickle" holding "big", of size bytes;
// it returns the server's URL, its log and an S3 client as root.
func serveTrickle(t *testing.T, size int) (string, *syncBuffer, *s3.Client) {
	t.Helper()
	srv, log := serveLogged(t, func(o *ServeOptions) { o.ProgressTimeout = trickleWindow })
	client := s3.NewFromConfig(serverConfig(srv), func(o *s3.Options) { o.UsePathStyle = true })
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trickle")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("trickle"), Key: aws.String("big"), Body: bytes.NewReader(make([]byte, size))}); err != nil {
		t.Fatal(err)
	}
	return srv, log, client
}

// presignPut returns the request URI of a presigned PUT of trickle/key.
func presignPut(t *testing.T, client *s3.Client, key string) string {
	t.Helper()
	pre, err := s3.NewPresignClient(client).PresignPutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("trickle"), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pre.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// A client that sends its headers and then its body a little at a time is disconnected once
// a window passes without 64 KiB more, whether the handler reads the body (a presigned PUT) or
// answers without it (a malformed signature, refused before the body is read), and the
// request has its line in the log.
func TestServeCutsTrickledBody(t *testing.T) {
	t.Parallel()
	srv, log, client := serveTrickle(t, 1)
	host := strings.TrimPrefix(srv, "http://")
	tests := []struct {
		name   string
		uri    string
		header string
		every  time.Duration // one byte each
		answer string        // the response the client reads before the connection closes
	}{
		{"a byte a second, read", presignPut(t, client, "read"), "", time.Second, "<Code>RequestTimeout</Code>"},
		{"ten bytes a second, read", presignPut(t, client, "read10"), "", 100 * time.Millisecond, "<Code>RequestTimeout</Code>"},
		{"a byte a second, unread", "/trickle/unread", "Authorization: AWS4-HMAC-SHA256 Credential=malformed\r\n", time.Second, "<Code>AuthorizationHeaderMalformed</Code>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", host)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: 1000\r\n\r\n", tt.uri, host, tt.header); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			closed := make(chan time.Duration, 1)
			var answer bytes.Buffer
			go func() {
				io.Copy(&answer, conn)
				closed <- time.Since(start)
			}()
			tick := time.NewTicker(tt.every)
			defer tick.Stop()
			deadline := time.After(trickleWindow + 2*time.Second)
			var took time.Duration
		trickle:
			for {
				conn.Write([]byte{'x'}) // fails once the server has closed; the reader says when
				select {
				case <-tick.C:
				case took = <-closed:
					break trickle
				case <-deadline:
					t.Fatalf("the server still holds the connection after %v", time.Since(start))
				}
			}
			if took < trickleWindow*8/10 || took > trickleWindow+time.Second {
				t.Errorf("the server closed the connection after %v, want about the window, %v", took, trickleWindow)
			}
			if got := answer.String(); !strings.HasPrefix(got, "HTTP/1.1 400 ") || !strings.Contains(got, tt.answer) {
				t.Errorf("the client read %.400q, want a 400 with %s", got, tt.answer)
			}
			path := strings.SplitN(tt.uri, "?", 2)[0]
			text := waitForLog(t, log, regexp.MustCompile(`(?m) PUT `+regexp.QuoteMeta(path)+`\S* \d{3} `))
			t.Log(regexp.MustCompile(`(?m)^.* PUT ` + regexp.QuoteMeta(path) + `.*$`).FindString(text))
		})
	}
}

// A body that keeps moving goes through however long it takes: 256 KiB in 64 KiB pieces, one
// every 60 % of the window.
func TestServeTakesSlowSteadyBody(t *testing.T) {
	t.Parallel()
	srv, log, client := serveTrickle(t, 1)
	host := strings.TrimPrefix(srv, "http://")
	uri := presignPut(t, client, "steady")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const pieces, piece = 4, 64 << 10
	start := time.Now()
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", uri, host, pieces*piece)
	for i := range pieces {
		if i > 0 {
			time.Sleep(trickleWindow * 6 / 10)
		}
		if _, err := conn.Write(bytes.Repeat([]byte{'a' + byte(i)}, piece)); err != nil {
			t.Fatalf("piece %d: %v", i, err)
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the PUT: %s", resp.Status)
	}
	if took := time.Since(start); took < trickleWindow {
		t.Fatalf("the body took %v, less than the window %v: the test proves nothing", took, trickleWindow)
	}
	out, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("trickle"), Key: aws.String("steady")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(out.ContentLength) != pieces*piece {
		t.Errorf("the object holds %d bytes, want %d", aws.ToInt64(out.ContentLength), pieces*piece)
	}
	waitForLog(t, log, regexp.MustCompile(`(?m) PUT /trickle/steady\?\S* 200 `))
}

// Large transfers at loopback speed go through with the short window: 64 MiB up and down
// through the SDK, each many times 64 KiB and, on most machines, longer than the window.
func TestServeTakesLargeTransfers(t *testing.T) {
	t.Parallel()
	const size = 64 << 20
	start := time.Now()
	_, _, client := serveTrickle(t, size)
	t.Logf("the PUT of %d MiB took %v (with the bucket's creation)", size>>20, time.Since(start))
	start = time.Now()
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("trickle"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	n, err := io.Copy(io.Discard, out.Body)
	if err != nil || n != size {
		t.Fatalf("the GET read %d bytes of %d: %v", n, size, err)
	}
	t.Logf("the GET took %v", time.Since(start))
}

// A client that does not read its response is disconnected once a window passes with no
// 64 KiB taken: the handler's write fails and the request has its line in the log.
func TestServeCutsStalledReader(t *testing.T) {
	t.Parallel()
	const size = 64 << 20 // more than the kernel's socket buffers hold
	srv, log, _ := serveTrickle(t, size)
	host := strings.TrimPrefix(srv, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Anonymous: refused, small. Presign so that the whole object is sent.
	client := s3.NewFromConfig(serverConfig(srv), func(o *s3.Options) { o.UsePathStyle = true })
	pre, err := s3.NewPresignClient(client).PresignGetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("trickle"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(pre.URL)
	start := time.Now()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.RequestURI(), host)
	waitForLog(t, log, regexp.MustCompile(`(?m) GET /trickle/big\?\S* 200 `))
	if took := time.Since(start); took > trickleWindow+2*time.Second {
		t.Errorf("the handler gave up after %v, want about the window, %v", took, trickleWindow)
	}
	n, _ := io.Copy(io.Discard, conn)
	if n >= size {
		t.Errorf("the client read %d bytes, all the object: the server was not cut off", n)
	}
}

func TestExposed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", false},
		{"127.0.0.53", false},
		{"::1", false},
		{"0.0.0.0", true},
		{"::", true},
		{"192.168.1.10", true},
		{"10.0.0.5", true},
		{"fe80::1", true},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			if got := exposed(&net.TCPAddr{IP: net.ParseIP(tt.ip), Port: 4566}); got != tt.want {
				t.Errorf("exposed(%s) = %v, want %v", tt.ip, got, tt.want)
			}
		})
	}
}

// On an address other than loopback, serve warns that the root's keys are public; on loopback
// it says nothing more than where it serves.
func TestServeWarnsOffLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:0", false},
		{"localhost:0", false},
		{"[::1]:0", false},
		{"0.0.0.0:0", true},
		{":0", true},
	}
	if ip := lanIP(); ip != nil {
		tests = append(tests, struct {
			addr string
			warn bool
		}{net.JoinHostPort(ip.String(), "0"), true})
	} else {
		t.Log("no address but loopback on this machine: a LAN address is not tried")
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if ln, err := net.Listen("tcp", tt.addr); err != nil {
				t.Skipf("cannot listen on %s here: %v", tt.addr, err)
			} else {
				ln.Close()
			}
			_, log := serveLogged(t, func(o *ServeOptions) { o.Addr = tt.addr })
			text := log.String()
			if !strings.HasPrefix(text, "awsx sim: serving account 123456789012 on http://") {
				t.Fatalf("stderr does not start with where it serves:\n%s", text)
			}
			warned := strings.Contains(text, "warning")
			if warned != tt.warn {
				t.Fatalf("warned: %v, want %v; stderr:\n%s", warned, tt.warn, text)
			}
			if tt.warn {
				for _, s := range []string{"not a loopback address", "anyone who can reach it", "account 123456789012", "AKIAIOSFODNN7EXAMPLE", "public"} {
					if !strings.Contains(text, s) {
						t.Errorf("the warning does not say %q:\n%s", s, text)
					}
				}
			} else if n := strings.Count(text, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want the one that says where it serves:\n%s", n, text)
			}
		})
	}
}

// lanIP is an address of this machine other than loopback, or nil.
func lanIP() net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP
		}
	}
	return nil
}
