package cli

import (
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

//go:generate go run ./internal/sensitivegen -o serve_log_sensitive.go

// The request log of `awsx sim serve` holds no secret. It never holds a header (Authorization
// carries a signature) or a body, and in the query string it replaces with [redacted] the
// value of every parameter that may be a secret:
//
//   - a presigned URL's signature, SigV4's X-Amz-Signature and SigV2's Signature: either
//     signs requests until the URL expires, up to seven days;
//   - a session token, X-Amz-Security-Token (x-amz-security-token in SigV2 URLs) and SigV2's
//     SecurityToken;
//   - every parameter whose member the service's model marks sensitive, from the table
//     internal/sensitivegen makes of botocore's models (serve_log_sensitive.go): Password of
//     a CreateLoginProfile sent as a GET, ec2's UserData, S3's SSE-C key moved into the URL.
//
// The key stays, so the log still says what was sent; the access key of X-Amz-Credential and
// AWSAccessKeyId stays too: an access key ID names a key and is no secret.
const redacted = "REDACTED"

// signingParams are the query parameters of a signature or a session token (any case).
var signingParams = []string{"X-Amz-Signature", "X-Amz-Security-Token", "Signature", "SecurityToken"}

// logRequests logs one line per request: remote address, method, path and query (redacted:
// see [redacted]), status, duration.
func logRequests(l *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		d := time.Since(start).Round(time.Microsecond)
		line := make([]byte, 0, 128)
		line = append(line, r.RemoteAddr...)
		line = append(line, ' ')
		line = append(line, r.Method...)
		line = append(line, ' ')
		line = appendLogURI(line, r.URL)
		line = append(line, ' ')
		line = strconv.AppendInt(line, int64(sw.status), 10)
		line = append(line, ' ')
		line = append(line, d.String()...)
		l.Print(string(line))
	})
}

// asyncLog writes the request log from a goroutine of its own, so that no answer waits for
// the write of its line (a system call per request, to a terminal, a pipe or a file). The
// goroutine wakes for a line, waits logLinger for more, and writes them together: requests
// that come one after another (an SDK's calls) cost one wake-up and one write per logLinger
// rather than one per line, each a thread woken on a machine whose cores the client uses.
// Past maxPending bytes waiting, a line is written at once, so a writer that blocks holds the
// requests back rather than filling memory. Close writes what is left. An asyncLog is safe
// for concurrent use; its writer is written by one goroutine at a time.
type asyncLog struct {
	w       io.Writer
	wmu     sync.Mutex // held while w is written, so that lines go out whole and in order
	mu      sync.Mutex // guards pending and closed
	pending []byte
	closed  bool
	wake    chan struct{}
	stop    chan struct{} // closed by Close: no more lingering
	done    chan struct{}
}

const (
	maxPending = 1 << 20
	// logLinger is how long a line waits for others to go out with it: too short to see on
	// a terminal.
	logLinger = 10 * time.Millisecond
)

func newAsyncLog(w io.Writer) *asyncLog {
	a := &asyncLog{w: w, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

func (a *asyncLog) Write(p []byte) (int, error) {
	a.mu.Lock()
	if !a.closed && len(a.pending)+len(p) <= maxPending {
		if len(a.pending) == 0 { // else the goroutine is already woken for the lines before
			select { // under the lock, so never after Close closed wake
			case a.wake <- struct{}{}:
			default:
			}
		}
		a.pending = append(a.pending, p...)
		a.mu.Unlock()
		return len(p), nil
	}
	a.mu.Unlock()
	if err := a.flush(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes the pending lines, then p.
func (a *asyncLog) flush(p []byte) error {
	a.wmu.Lock()
	defer a.wmu.Unlock()
	a.mu.Lock()
	out := append(a.pending, p...)
	a.pending = nil
	a.mu.Unlock()
	if len(out) == 0 {
		return nil
	}
	_, err := a.w.Write(out)
	return err
}

func (a *asyncLog) run() {
	defer close(a.done)
	var out []byte
	linger := time.NewTimer(logLinger)
	for range a.wake {
		linger.Reset(logLinger)
		select {
		case <-linger.C:
		case <-a.stop:
		}
		a.wmu.Lock()
		a.mu.Lock()
		out, a.pending = a.pending, out[:0]
		a.mu.Unlock()
		if len(out) > 0 {
			a.w.Write(out)
		}
		a.wmu.Unlock()
	}
}

// Close writes the lines still waiting; later lines are written at once.
func (a *asyncLog) Close() {
	a.mu.Lock()
	a.closed = true
	close(a.stop)
	close(a.wake)
	a.mu.Unlock()
	<-a.done
	a.flush(nil)
}

// statusWriter remembers the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap is for [http.ResponseController].
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// appendLogURI appends u's request URI with its secrets redacted.
func appendLogURI(dst []byte, u *url.URL) []byte {
	if u.Opaque == "" {
		// url.URL.RequestURI's common case, without copying u.
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		dst = append(dst, path...)
		if u.ForceQuery || u.RawQuery != "" {
			dst = append(dst, '?')
			dst = append(dst, redactQuery(u.RawQuery)...)
		}
		return dst
	}
	c := *u
	c.RawQuery = redactQuery(u.RawQuery)
	return append(dst, c.RequestURI()...)
}

// redactQuery returns the raw query string with the value of every parameter that may be a
// secret replaced with [redacted], the rest byte for byte. Keys compare in any case and
// unescaped; a key that does not unescape has its value redacted. Pairs split at ';' as well
// as '&': Go's server refuses a query with ';', but the client still sent what follows it.
func redactQuery(raw string) string {
	if raw == "" {
		return raw
	}
	pairs := splitQuery(raw)
	// The operation is the URL's Action when it has one (the door reads the URL's before
	// the body's); the keys of an action spelled in another case count too.
	var actions []string
	named := false
	for _, p := range pairs {
		if k, v, ok := p.unescaped(); ok && strings.EqualFold(k, "Action") {
			actions = append(actions, v)
			named = named || k == "Action"
		}
	}
	secret := sensitiveIndex().matcher(actions, named)
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(p.sep)
		k, _, ok := p.unescaped()
		if !p.hasValue || (ok && !secret(k)) {
			b.WriteString(p.raw)
			continue
		}
		b.WriteString(p.rawKey)
		b.WriteString("=" + redacted)
	}
	return b.String()
}

// queryPair is one key=value of a raw query string, with the separator before it.
type queryPair struct {
	sep, raw     string
	rawKey, rawV string
	hasValue     bool
}

func (p queryPair) unescaped() (k, v string, ok bool) {
	k, err := url.QueryUnescape(p.rawKey)
	if err != nil {
		return "", "", false
	}
	if v, err = url.QueryUnescape(p.rawV); err != nil {
		v = p.rawV
	}
	return k, v, true
}

func splitQuery(raw string) []queryPair {
	var out []queryPair
	sep := ""
	for raw != "" || sep != "" {
		i := strings.IndexAny(raw, "&;")
		part, next := raw, ""
		if i >= 0 {
			part, next = raw[:i], raw[i:i+1]
			raw = raw[i+1:]
		} else {
			raw = ""
		}
		k, v, has := strings.Cut(part, "=")
		out = append(out, queryPair{sep: sep, raw: part, rawKey: k, rawV: v, hasValue: has})
		sep = next
	}
	return out
}

// sensitiveKeys is [sensitiveQuery] arranged for the log: keys lowercased and split at dots.
type sensitiveKeys struct {
	// always are the keys of the services addressed by path (S3), whose operation the log
	// cannot tell: every request's.
	always [][]string
	// byAction are the keys of the query protocols' operations by lowercased Action, across
	// services; anyAction all of them, for a request whose URL names no Action it knows (the
	// Action may be in the body, which the door merges with the URL's parameters).
	byAction  map[string][][]string
	anyAction [][]string
}

var sensitiveIndex = sync.OnceValue(func() *sensitiveKeys {
	s := &sensitiveKeys{byAction: map[string][][]string{}}
	for name, ops := range sensitiveQuery {
		svc, _ := awsmodel.Lookup(name)
		byAction := svc.Protocol == awsmodel.AWSQuery || svc.Protocol == awsmodel.EC2Query
		for op, keys := range ops {
			a := strings.ToLower(op)
			if byAction && s.byAction[a] == nil {
				s.byAction[a] = [][]string{} // known, if with nothing to redact
			}
			for _, k := range keys {
				segs := strings.Split(strings.ToLower(k), ".")
				if !byAction {
					s.always = append(s.always, segs)
					continue
				}
				s.byAction[a] = append(s.byAction[a], segs)
				s.anyAction = append(s.anyAction, segs)
			}
		}
	}
	return s
})

// matcher returns the test of a query key for a request whose URL has actions, of which one
// under the key Action when named.
func (s *sensitiveKeys) matcher(actions []string, named bool) func(key string) bool {
	keys := s.always
	if !named {
		keys = append(keys[:len(keys):len(keys)], s.anyAction...)
	}
	for _, a := range actions {
		ks, ok := s.byAction[strings.ToLower(a)]
		if !ok {
			ks = s.anyAction
		}
		keys = append(keys[:len(keys):len(keys)], ks...)
	}
	return func(key string) bool {
		for _, p := range signingParams {
			if strings.EqualFold(key, p) {
				return true
			}
		}
		segs := strings.Split(strings.ToLower(key), ".")
		for _, k := range keys {
			if begins(segs, k) {
				return true
			}
		}
		return false
	}
}

// begins reports whether the key's segments begin with those of a sensitive key, whose "*"
// is any one segment.
func begins(key, sensitive []string) bool {
	if len(key) < len(sensitive) {
		return false
	}
	for i, s := range sensitive {
		if s != "*" && s != key[i] {
			return false
		}
	}
	return true
}
