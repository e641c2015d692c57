package awscli

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Replaying the AWS CLI.
//
// The AWS CLI is a function of its inputs — words, environment, files, stdin — and of the
// answers it gets. A parity session plays its commands against a simulator of its own, seeded
// and on a frozen clock, whose answers are a function of the requests it is sent. So when a
// command's inputs are those of a recorded run, and the server answers the requests that run
// sent exactly as it answered them then, the command would print what it printed then. A
// [Record] keeps, for each command of a session, its inputs, the requests it sent with the
// answers, and what it printed; [Replay] sends the requests again, signed anew, and says
// whether every answer is the recorded one. Python runs only when something differs.
//
// Times near the session's clock, its server's address and its home directory differ from
// run to run: a [Normalizer] writes them relative to the session before anything is kept or
// compared.

// Exchange is one request a command sent and the answer it got, normalized.
type Exchange struct {
	Method, Target string      // Target is the path and query
	Header         http.Header // as sent, without the signature's own headers
	Body           string
	// Signing: the key, its secret and the scope's region and service; no AccessKeyID for
	// an unsigned request.
	AccessKeyID, Secret, Region, Service string

	Status     int
	RespHeader http.Header // without Date
	RespBody   string
}

// Step is one command of a recorded session.
type Step struct {
	Args  []string
	Env   []string
	Stdin string
	Tree  string // the home directory's files before it ran (see [Home.Hash])
	// Live: the command is run, never replayed (it sent no request, changed its files, or
	// sent one that cannot be signed anew).
	Live      bool
	Exchanges []Exchange
	Result    Result
}

// Record is a session of one AWS CLI, as recorded.
type Record struct {
	Client string // the client's [Client.Identity]
	Steps  []Step
}

// Cache keeps records in a directory, one gzip'd JSON file each.
type Cache struct{ Dir string }

// Load returns the record called name, if there is one.
func (c Cache) Load(name string) (*Record, bool) {
	f, err := os.Open(filepath.Join(c.Dir, name+".json.gz"))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, false
	}
	var r Record
	if json.NewDecoder(z).Decode(&r) != nil {
		return nil, false
	}
	return &r, true
}

// Save writes r as the record called name, whole or not at all.
func (c Cache) Save(name string, r *Record) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.Dir, name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // once renamed, there is nothing to remove
	z := gzip.NewWriter(tmp)
	err = errors.Join(json.NewEncoder(z).Encode(r), z.Close(), tmp.Close())
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(c.Dir, name+".json.gz"))
}

// Normalizer writes what differs between runs of one session relative to the session: times
// within a few days of Now as offsets from it (in the format they were in), and each of Names'
// keys (a server's address, a directory) as its value, a name such as "⟦home⟧".
type Normalizer struct {
	Now   time.Time
	Names map[string]string
}

// window is how far from the session's clock a time is taken for one of its own: further
// than the longest session credentials last (36 hours) and a peering request waits (7 days),
// nearer than the fixed dates of the
// simulator's catalogs (AWS's managed policies, images). A time derived from the clock that
// falls outside it differs from run to run, and the command is run.
const window = 8 * 24 * time.Hour

// large is the size from which a body or a file is kept as it is, not normalized (which would
// take longer than running the command); a request with a larger body is not replayed.
const large = 1 << 20

// The formats of time the AWS CLI and the simulator write: ISO 8601 (XML, JSON, the CLI's
// output; with a space for a T in `aws s3 ls`), HTTP dates, SigV4's compact form, and epoch
// seconds (JSON protocols).
var (
	isoTime     = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?`)
	httpTime    = regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT`)
	compactTime = regexp.MustCompile(`\b\d{8}T\d{6}Z\b`)
	epochTime   = regexp.MustCompile(`\b1\d{9}(\.\d+)?\b`)
	// anyTime finds them all in one pass.
	anyTime = regexp.MustCompile(strings.Join([]string{isoTime.String(), httpTime.String(), compactTime.String(), epochTime.String()}, "|"))
	token   = regexp.MustCompile(`⟦t(-?\d+)\|([a-z]+)\|([^⟧]*)⟧`)
)

// Norm returns s with the session's names and times written relative to it, unless s is large.
func (n Normalizer) Norm(s string) string {
	if len(s) >= large {
		return s
	}
	for _, k := range n.names() {
		s = strings.ReplaceAll(s, k, n.Names[k])
	}
	return anyTime.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case strings.HasSuffix(m, " GMT"):
			t, err := time.Parse(http.TimeFormat, m)
			if err != nil {
				return m
			}
			return n.relative(m, t, "http", "")
		case compactTime.MatchString(m):
			t, err := time.Parse("20060102T150405Z", m)
			if err != nil {
				return m
			}
			return n.relative(m, t, "compact", "")
		case epochTime.MatchString(m):
			sec, frac, _ := strings.Cut(m, ".")
			u, err := strconv.ParseInt(sec, 10, 64)
			if err != nil {
				return m
			}
			if frac != "" {
				frac = "." + frac
			}
			return n.relative(m, time.Unix(u, 0), "epoch", frac)
		}
		g := isoTime.FindStringSubmatch(m)
		if g == nil {
			return m
		}
		zone := time.UTC
		if z := g[3]; z != "" && z != "Z" {
			zone = fixedZone(z)
		}
		format := "iso"
		if g[1][10] == ' ' {
			format = "isospace"
		}
		t, err := time.ParseInLocation("2006-01-02T15:04:05", g[1][:10]+"T"+g[1][11:], zone)
		if err != nil {
			return m
		}
		return n.relative(m, t, format, g[2]+"|"+g[3])
	})
}

// relative is m, the time t in the named format, as an offset from n's clock when it is
// near enough; extra is what the format needs to write it again.
func (n Normalizer) relative(m string, t time.Time, format, extra string) string {
	d := t.Unix() - n.Now.Unix()
	if d < -int64(window/time.Second) || d > int64(window/time.Second) {
		return m
	}
	return "⟦t" + strconv.FormatInt(d, 10) + "|" + format + "|" + extra + "⟧"
}

// Denorm is the inverse of [Normalizer.Norm] for n's session.
func (n Normalizer) Denorm(s string) string {
	s = token.ReplaceAllStringFunc(s, func(m string) string {
		g := token.FindStringSubmatch(m)
		d, _ := strconv.ParseInt(g[1], 10, 64)
		t := time.Unix(n.Now.Unix()+d, 0).UTC()
		switch g[2] {
		case "iso", "isospace":
			frac, zone, _ := strings.Cut(g[3], "|")
			if zone != "" && zone != "Z" {
				t = t.In(fixedZone(zone))
			}
			layout := "2006-01-02T15:04:05"
			if g[2] == "isospace" {
				layout = "2006-01-02 15:04:05"
			}
			return t.Format(layout) + frac + zone
		case "http":
			return t.Format(http.TimeFormat)
		case "compact":
			return t.Format("20060102T150405Z")
		default: // epoch
			return strconv.FormatInt(t.Unix(), 10) + g[3]
		}
	})
	for _, k := range n.names() {
		s = strings.ReplaceAll(s, n.Names[k], k)
	}
	return s
}

// names are n's names, longest first, so that a name within another does not cut it.
func (n Normalizer) names() []string {
	ks := slices.Collect(maps.Keys(n.Names))
	slices.SortFunc(ks, func(a, b string) int { return len(b) - len(a) })
	return ks
}

// fixedZone is the zone of an ISO 8601 offset, +hh:mm or +hhmm.
func fixedZone(z string) *time.Location {
	z = strings.ReplaceAll(z, ":", "")
	h := int(z[1]-'0')*10 + int(z[2]-'0')
	m := int(z[3]-'0')*10 + int(z[4]-'0')
	off := (h*60 + m) * 60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone(z, off)
}

// Home hashes a directory's files, their names and their contents normalized, reading
// again only the files that changed since it last did, and adds the access keys they hold to
// Secrets. A large file is hashed as it is.
type Home struct {
	Dir     string
	Norm    Normalizer
	Secrets map[string]string
	files   map[string]homeFile
}

type homeFile struct {
	size int64
	mod  time.Time
	sum  string
}

// Hash returns the hash of the files as they are now.
func (h *Home) Hash() string {
	if h.files == nil {
		h.files = map[string]homeFile{}
	}
	all := sha256.New()
	filepath.WalkDir(h.Dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		f, ok := h.files[p]
		if !ok || f.size != info.Size() || !f.mod.Equal(info.ModTime()) {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			text := string(b)
			if len(b) < large {
				Secrets(h.Secrets, text)
				text = h.Norm.Norm(text)
			}
			sum := sha256.Sum256([]byte(text))
			f = homeFile{info.Size(), info.ModTime(), hex.EncodeToString(sum[:])}
			h.files[p] = f
		}
		rel, _ := filepath.Rel(h.Dir, p)
		io.WriteString(all, h.Norm.Norm(rel)+"\x00"+f.sum+"\x00")
		return nil
	})
	return hex.EncodeToString(all.Sum(nil))
}

// Tap records what a server is sent and what it answers: wrap the server's handler with it.
// The replayed requests go through it too, so that what is compared was taken alike.
type Tap struct {
	mu     sync.Mutex
	idle   sync.Cond // signalled when no request is being answered
	active int
	got    []*tapped
}

type tapped struct {
	method, target string
	header         http.Header
	body           []byte
	status         int
	respHeader     http.Header
	respBody       bytes.Buffer
}

// Wrap returns next, recorded by t.
func (t *Tap) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		t.active++
		t.mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		x := &tapped{method: r.Method, target: r.URL.RequestURI(), header: r.Header.Clone(), body: body}
		next.ServeHTTP(&tapWriter{ResponseWriter: w, x: x}, r)
		if x.status == 0 {
			x.status = http.StatusOK
		}
		x.respHeader = w.Header().Clone()
		t.mu.Lock()
		t.got = append(t.got, x)
		if t.active--; t.active == 0 {
			t.idle.Broadcast()
		}
		t.mu.Unlock()
	})
}

// take returns what t has recorded since it was last asked, once no request is being
// answered: a client may have read a whole answer before the handler has returned.
func (t *Tap) take() []*tapped {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.idle.L == nil {
		t.idle.L = &t.mu
	}
	for t.active > 0 {
		t.idle.Wait()
	}
	got := t.got
	t.got = nil
	return got
}

type tapWriter struct {
	http.ResponseWriter
	x *tapped
}

func (w *tapWriter) WriteHeader(code int) {
	if w.x.status == 0 {
		w.x.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *tapWriter) Write(b []byte) (int, error) {
	if w.x.status == 0 {
		w.x.status = http.StatusOK
	}
	w.x.respBody.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *tapWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *tapWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// The headers a signature adds, and those net/http writes itself.
var signatureHeaders = []string{"Authorization", "X-Amz-Date", "Content-Length", "Date"}

// Record returns what t has recorded since it was last asked, normalized by n, with the
// secret of each signed request's key from secrets, to which the keys of the answers are
// added first; replayable is false when a request
// cannot be signed anew (no known secret, a presigned URL, a streaming signature).
func (t *Tap) Record(n Normalizer, secrets map[string]string) (ex []Exchange, replayable bool) {
	replayable = true
	got := t.take()
	for _, x := range got {
		Secrets(secrets, x.respBody.String())
	}
	for _, x := range got {
		e := Exchange{Method: x.method, Target: n.Norm(x.target), Header: normHeader(x.header, n), Body: n.Norm(string(x.body)),
			Status: x.status, RespHeader: normHeader(x.respHeader, n), RespBody: n.Norm(x.respBody.String())}
		if auth := x.header.Get("Authorization"); auth != "" {
			e.AccessKeyID, e.Region, e.Service = credentialScope(auth)
			e.Secret = secrets[e.AccessKeyID]
			if e.Secret == "" || strings.HasPrefix(x.header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
				replayable = false
			}
		}
		if strings.Contains(x.target, "X-Amz-Signature=") || len(x.body) >= large {
			replayable = false
		}
		ex = append(ex, e)
	}
	return ex, replayable
}

func normHeader(h http.Header, n Normalizer) http.Header {
	out := http.Header{}
	for k, vs := range h {
		if slices.Contains(signatureHeaders, k) {
			continue
		}
		for _, v := range vs {
			out.Add(k, n.Norm(v))
		}
	}
	return out
}

var scope = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

// credentialScope returns the key, region and service of a SigV4 Authorization header.
func credentialScope(auth string) (key, region, service string) {
	m := scope.FindStringSubmatch(auth)
	if m == nil {
		return "", "", ""
	}
	return m[1], m[2], m[3]
}

// Replay sends the recorded requests to the server at url, behind tap, each signed anew as
// now, and says how the server's answer to one differs from the recorded, if it does.
func Replay(ctx context.Context, url string, tap *Tap, n Normalizer, ex []Exchange) error {
	tap.take()
	for _, e := range ex {
		body := n.Denorm(e.Body)
		req, err := http.NewRequestWithContext(ctx, e.Method, url+n.Denorm(e.Target), strings.NewReader(body))
		if err != nil {
			return err
		}
		for k, vs := range e.Header {
			for _, v := range vs {
				req.Header.Add(k, n.Denorm(v))
			}
		}
		if e.AccessKeyID != "" {
			creds := aws.Credentials{AccessKeyID: e.AccessKeyID, SecretAccessKey: e.Secret, SessionToken: req.Header.Get("X-Amz-Security-Token")}
			req.Header.Del("X-Amz-Security-Token")
			hash := req.Header.Get("X-Amz-Content-Sha256")
			if hash == "" {
				sum := sha256.Sum256([]byte(body))
				hash = hex.EncodeToString(sum[:])
			}
			// S3 signs the path as it is sent; the other services escape it once more.
			signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = e.Service == "s3" })
			if err := signer.SignHTTP(ctx, creds, req, hash, e.Service, e.Region, time.Now()); err != nil {
				return err
			}
		}
		resp, err := replayClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got := tap.take()
		if len(got) != 1 {
			return fmt.Errorf("%s %s: the server saw %d requests", e.Method, e.Target, len(got))
		}
		x := got[0]
		if x.status != e.Status {
			return fmt.Errorf("%s %s: status %d, recorded %d", e.Method, e.Target, x.status, e.Status)
		}
		if got, want := withoutRequestIDs(n.Norm(x.respBody.String())), withoutRequestIDs(e.RespBody); got != want {
			i := diffAt(got, want)
			return fmt.Errorf("%s %s: the answer differs at byte %d: %q, recorded %q", e.Method, e.Target, i, around(got, i), around(want, i))
		}
		if h := normHeader(x.respHeader, n); !equalHeader(withoutRequestIDHeaders(h), withoutRequestIDHeaders(e.RespHeader)) {
			return fmt.Errorf("%s %s: headers %v, recorded %v", e.Method, e.Target, h, e.RespHeader)
		}
	}
	return nil
}

// Request IDs number the requests a server is sent, and the concurrent requests of one
// command (the parts of an upload) are numbered in the order they arrive: they are not
// compared. A command whose output holds one of its request IDs is not replayed (see
// [Exchange.RequestIDs]).
var (
	requestIDHeaders  = []string{"X-Amz-Request-Id", "X-Amz-Id-2", "X-Amzn-Requestid"}
	requestIDElements = regexp.MustCompile(`<((?i:requestid|hostid))>[^<]*</(?i:requestid|hostid)>`)
)

func withoutRequestIDs(body string) string {
	return requestIDElements.ReplaceAllString(body, "<$1/>")
}

func withoutRequestIDHeaders(h http.Header) http.Header {
	h = h.Clone()
	for _, k := range requestIDHeaders {
		h.Del(k)
	}
	return h
}

// RequestIDs returns the request IDs of e's answer.
func (e Exchange) RequestIDs() []string {
	var ids []string
	for _, k := range requestIDHeaders {
		ids = append(ids, e.RespHeader.Values(k)...)
	}
	for _, m := range requestIDElements.FindAllString(e.RespBody, -1) {
		ids = append(ids, m[strings.Index(m, ">")+1:strings.LastIndex(m, "<")])
	}
	return ids
}

// diffAt is where a and b first differ.
func diffAt(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// around is up to 60 bytes of s from 20 before i.
func around(s string, i int) string {
	i = max(0, i-20)
	return s[i:min(len(s), i+60)]
}

// replayClient sends the requests as they were: no compression asked, no redirect followed.
var replayClient = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func equalHeader(a, b http.Header) bool {
	return maps.EqualFunc(a, b, slices.Equal)
}

var (
	keyIDs     = regexp.MustCompile(`(?i)access_?key_?id["'>:=\s]*((?:AKIA|ASIA)[A-Z0-9]{12,})`)
	secretKeys = regexp.MustCompile(`(?i)secret_?access_?key["'>:=\s]*([A-Za-z0-9/+]{40})`)
)

// Secrets adds to into the access keys found in text (an environment, a credentials
// file, a service's answer) with the secret written nearest each.
func Secrets(into map[string]string, text string) {
	if !strings.Contains(text, "ecret") && !strings.Contains(text, "ECRET") {
		return
	}
	ids := keyIDs.FindAllStringSubmatchIndex(text, -1)
	secrets := secretKeys.FindAllStringSubmatchIndex(text, -1)
	for _, id := range ids {
		best, dist := "", -1
		for _, s := range secrets {
			d := s[2] - id[2]
			if d < 0 {
				d = -d
			}
			if dist < 0 || d < dist {
				best, dist = text[s[2]:s[3]], d
			}
		}
		if best != "" {
			into[text[id[2]:id[3]]] = best
		}
	}
}
