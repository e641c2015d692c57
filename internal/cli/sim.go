package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSim returns `awsx sim`, the simulator's own commands.
func NewCmdSim(f *Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "sim", Short: "Run the simulator",
		Long: `The simulator's own commands: serve it over HTTP, and do what AWS has no API for
(log in to an instance, move the Spot market and the clock, read SNS's mail, …).

They work on the embedded simulator, whose state is in ~/.awsx. With --endpoint-url URL
(or AWS_ENDPOINT_URL), sim on, ssh, scp, why, curl, inbox, spot-price, interrupt and
advance work on the simulator that awsx sim serve serves there instead, through its admin
API:

  awsx --endpoint-url http://127.0.0.1:4566 sim advance 2m
  awsx sim on --endpoint-url http://127.0.0.1:4566 i-0abc… whoami`}
	cmd.AddCommand(NewCmdSimServe(f, nil), NewCmdSimOn(f), NewCmdSimCurl(f))
	cmd.AddCommand(NewCmdSimSpotPrice(f), NewCmdSimInterrupt(f), NewCmdSimAdvance(f), NewCmdSimLoad(f)) // simspot.go, simload.go
	cmd.AddCommand(NewCmdSimInbox(f))                                                                   // siminbox.go
	cmd.AddCommand(NewCmdSimWhy(f))                                                                     // simwhy.go
	cmd.AddCommand(NewCmdSimSSH(f), NewCmdSimSCP(f))                                                    // simssh.go, simscp.go
	cmd.AddCommand(NewCmdSimToken(f), NewCmdSimSAML(f))                                                 // simtoken.go
	return cmd
}

// ServeOptions are the settings of `awsx sim serve`.
type ServeOptions struct {
	IO       *IO
	Addr     string
	StateDir string
	Seed     uint64
	Clock    time.Time
	AnyKey   bool
	NoAuthz  bool
	// Ready, when set, is called with the bound address once the server listens (tests).
	Ready func(addr string)
	// clock, when set, is the simulator's base clock in place of Clock (tests: one that runs
	// faster than the wall, so that the AWS CLI's waits end at their first attempt).
	clock func() time.Time
	// wrap, when set, wraps the server's handler (tests: one that records what it is sent).
	wrap func(http.Handler) http.Handler
	// The limits on slow clients (see [serveLimits]); zero is the default. Tests shorten them.
	HeaderTimeout, ProgressTimeout, IdleTimeout time.Duration
}

// The server's limits, so that a slow or stalled client does not hold a connection however
// long it likes (the command's help says them too). None caps how long a transfer takes: an
// upload or a download of any size goes through as long as it keeps moving, and over loopback
// a 1 GiB PUT moves in seconds.
const (
	// defaultHeaderTimeout bounds the request line and headers.
	defaultHeaderTimeout = 10 * time.Second
	// defaultProgressTimeout is how long the server waits for a request body to bring
	// progressBytes more (or its end), and for a response to be taken progressBytes further,
	// before it closes the connection: a body trickled a byte a second is cut off after it.
	defaultProgressTimeout = 30 * time.Second
	progressBytes          = 64 << 10
	// defaultIdleTimeout closes a kept-alive connection that brings no next request: longer
	// than the SDKs keep an idle connection (the Go SDK's 90 s), so that it is they who close.
	defaultIdleTimeout = 2 * time.Minute
)

// serveLimits returns o's limits, the defaults in place of zeros.
func serveLimits(o *ServeOptions) (header, progress, idle time.Duration) {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	return or(o.HeaderTimeout, defaultHeaderTimeout), or(o.ProgressTimeout, defaultProgressTimeout), or(o.IdleTimeout, defaultIdleTimeout)
}

// NewCmdSimServe returns `awsx sim serve`; runF replaces the command's action in tests.
func NewCmdSimServe(f *Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	o := &ServeOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the simulator over HTTP for the AWS CLI, boto3 and the SDKs",
		Long: `Serve the simulator on a loopback address. Point any AWS client at it:

  aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity

The account is 123456789012; its root's keys are AKIAIOSFODNN7EXAMPLE /
wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. Every request is signed and authorized.
Those keys are public, AWS's documented examples: on an address other than loopback
(--addr :4566, a LAN address) anyone who can reach the port can use the account, and
the server says so when it starts.

The log on stderr has a line per request: address, method, path and query, status,
duration. It never holds a header or a body, and the query shows REDACTED in place of
signatures (X-Amz-Signature, Signature), session tokens and every parameter that the
service's model marks sensitive (Password, UserData, …).

The server has an admin API of its own under /_awsx/v1/ (JSON over POST), for the
commands AWS has no API for: awsx sim on, ssh, scp, why, curl, inbox, spot-price,
interrupt and advance with --endpoint-url. It answers loopback clients only, whatever --addr
says, and only requests signed (SigV4) by the account's root, or by a user or role session
whose policies allow the command's action of awsx's own (awsx:Run for on and ssh, awsx:Files
for scp, awsx:Why, awsx:Fetch for curl, awsx:Inbox and awsx:Confirm, awsx:SpotPrice,
awsx:Interrupt, awsx:Advance; an administrator's "*" allows them all).

` + fmt.Sprintf(`Limits, so that a stalled client does not hold a connection: the request line and
headers must arrive within %d s; a request body must bring %d KiB more (or end)
within every %d s the server waits for it, and a response must be taken %[2]d KiB
further within every %[3]d s, else the connection is closed; a kept-alive connection
with no request for %d minutes is closed. No limit caps a whole transfer: an upload
of any size goes through as long as it keeps moving (over loopback a 1 GiB PUT
takes seconds).`, defaultHeaderTimeout/time.Second, progressBytes>>10, defaultProgressTimeout/time.Second, defaultIdleTimeout/time.Minute),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.StateDir != "" {
				o.StateDir = f.Path(o.StateDir)
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return serveRun(cmd.Context(), o)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&o.Addr, "addr", "127.0.0.1:4566", "address to listen on (loopback unless you name another)")
	flags.StringVar(&o.StateDir, "state-dir", "", "directory that keeps the state across restarts (none: in memory only)")
	flags.Uint64Var(&o.Seed, "seed", 1, "seed of the generated IDs")
	flags.TimeVar(&o.Clock, "clock", time.Time{}, []string{time.RFC3339}, "stop the simulator's clock at this time (RFC 3339), for output with the same dates on every run")
	flags.BoolVar(&o.AnyKey, "any-access-key", false, "accept any unknown access key as the root (for tools that use dummy keys such as test/test)")
	flags.BoolVar(&o.NoAuthz, "no-enforce", false, "turn IAM authorization off (signatures are still checked)")
	return cmd
}

func serveRun(ctx context.Context, o *ServeOptions) error {
	opts := []sim.Option{sim.WithSeed(o.Seed)}
	if !o.Clock.IsZero() {
		opts = append(opts, sim.WithClock(func() time.Time { return o.Clock }))
	}
	if o.clock != nil {
		opts = append(opts, sim.WithClock(o.clock))
	}
	if o.AnyKey {
		opts = append(opts, sim.WithAnyAccessKey())
	}
	if o.NoAuthz {
		opts = append(opts, sim.WithoutEnforcement())
	}
	cloud := sim.New(opts...)
	if o.StateDir != "" {
		// The server holds the directory for its lifetime; each change is journaled before
		// its request is answered.
		var err error
		if cloud, err = sim.Open(ctx, o.StateDir, false, opts...); err != nil {
			return err
		}
		defer cloud.Close()
	}
	cloud.SetInstanceCLI(instanceCLI(cloud)) // aws on an instance (awsx sim on, user data at boot)
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	requestLog := newAsyncLog(o.IO.Err)
	defer requestLog.Close()
	logger := log.New(requestLog, "", log.LstdFlags|log.Lmicroseconds)
	header, progress, idle := serveLimits(o)
	handler := logRequests(logger, paced(progress, withAdmin(cloud, cloud)))
	if o.wrap != nil {
		handler = o.wrap(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: header,
		IdleTimeout:       idle,
		// No ReadTimeout or WriteTimeout: each caps a whole request, so would cut a large
		// upload or download off, and a ReadTimeout passed while a handler works cancels its
		// context. paced holds bodies and responses to a pace instead.
		ErrorLog: logger,
	}
	fmt.Fprintf(o.IO.Err, "awsx sim: serving account %s on http://%s\n", cloud.Account(), ln.Addr())
	if exposed(ln.Addr()) {
		keys := "the root's keys (" + sim.DefaultAccessKeyID + ") are AWS's public documented examples"
		if o.AnyKey {
			keys += ", and --any-access-key takes any key"
		}
		fmt.Fprintf(o.IO.Err, "awsx sim: warning: %s is not a loopback address: %s, so anyone who can reach it can use account %s as its root\n",
			ln.Addr(), keys, cloud.Account())
	}
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(shut)
		if errors.Is(err, context.DeadlineExceeded) {
			// A client still sending or reading after 5 s does not keep the server up.
			return srv.Close()
		}
		return err
	}
}

// exposed reports whether the listener's address is reachable from other hosts: any address
// but loopback, the unspecified 0.0.0.0 and :: included.
func exposed(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// paced holds each request's body and response to a pace, so that a client that trickles a
// body or does not read its response is cut off: the body must bring progressBytes more (or
// its end) within every window the server waits for it, and the response be taken
// progressBytes further within every window, through deadlines on the connection
// ([http.ResponseController]).
func paced(window time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		// The connection's previous response may have left a deadline; Go's server sets
		// none without a WriteTimeout.
		rc.SetWriteDeadline(time.Time{})
		var body *pacedBody
		if r.Body != nil && r.Body != http.NoBody {
			body = &pacedBody{ReadCloser: r.Body, rc: rc, window: window, left: window}
			r.Body = body
		}
		next.ServeHTTP(&pacedWriter{ResponseWriter: w, rc: rc, window: window, body: body}, r)
		// After the handler, Go's server reads what is left of the body (up to 256 KiB) and
		// sends what is left of the response: at the same pace. Once the body has ended, the
		// server's read waits for the next request instead, under IdleTimeout.
		end := time.Now().Add(window)
		if body.waiting() {
			rc.SetReadDeadline(end)
		}
		rc.SetWriteDeadline(end)
	})
}

// pacedBody is a request body that must bring progressBytes within every window the server
// spends waiting for it. Only the time in Read counts: a handler that stops to work, or is
// not scheduled, does not use up the client's window.
type pacedBody struct {
	io.ReadCloser
	rc     *http.ResponseController
	window time.Duration
	left   time.Duration // of the window, before progressBytes more
	got    int           // bytes since the window was last renewed
	ended  bool
	failed bool // a read failed, its time up: what is left of the body is not waited for
}

// waiting reports whether the server may still wait for more of the body.
func (b *pacedBody) waiting() bool { return b != nil && !b.ended && !b.failed }

func (b *pacedBody) Read(p []byte) (int, error) {
	if b.ended {
		return b.ReadCloser.Read(p)
	}
	start := time.Now()
	b.rc.SetReadDeadline(start.Add(b.left))
	n, err := b.ReadCloser.Read(p)
	b.left -= time.Since(start)
	if b.got += n; b.got >= progressBytes {
		b.got, b.left = 0, b.window
	}
	switch {
	case err == io.EOF:
		// The server now reads ahead for the next request; a deadline would cancel the
		// request's context when it passed.
		b.ended = true
		b.rc.SetReadDeadline(time.Time{})
	case err != nil:
		b.failed = true
	}
	return n, err
}

// pacedWriter writes a response progressBytes at a time, each within a window.
type pacedWriter struct {
	http.ResponseWriter
	rc     *http.ResponseController
	window time.Duration
	body   *pacedBody // nil for none
	wrote  bool
}

func (w *pacedWriter) Write(p []byte) (int, error) {
	if !w.wrote && w.body.waiting() {
		// Go's server reads what is left of the body before it sends the response's
		// first bytes, from within this Write when they are more than it buffers.
		w.rc.SetReadDeadline(time.Now().Add(w.window))
	}
	w.wrote = true
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), progressBytes)]
		w.rc.SetWriteDeadline(time.Now().Add(w.window))
		m, err := w.ResponseWriter.Write(chunk)
		n += m
		if err != nil {
			return n, err
		}
		p = p[len(chunk):]
	}
	return n, nil
}

// Unwrap is for [http.ResponseController].
func (w *pacedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
