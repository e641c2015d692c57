package sigv4

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sigRequest is one request of the differential tests, in the parts they vary.
type sigRequest struct {
	method, path, rawQuery, host string
	header                       http.Header
	transferEncoding             []string
	contentLength                int64
	signed                       []string
	service                      string
	presigned                    bool
	payloadHash                  string
}

func (q sigRequest) build() (*http.Request, *Auth) {
	u := &url.URL{Path: q.path, RawQuery: q.rawQuery}
	if p, err := url.PathUnescape(q.path); err == nil {
		u.Path, u.RawPath = p, q.path
	}
	r := &http.Request{Method: q.method, URL: u, Header: q.header, Host: q.host, ContentLength: q.contentLength, TransferEncoding: q.transferEncoding}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	a := &Auth{
		AccessKeyID: "AKIDEXAMPLE", Date: at.Format(dateFormat), Region: "us-east-1", Service: q.service,
		SignedHeaders: q.signed, Time: at, Presigned: q.presigned, amzDate: at.Format(timeFormat),
	}
	if !q.presigned {
		if rand.IntN(2) == 0 {
			r.Header["X-Amz-Date"] = []string{a.amzDate}
		} else {
			r.Header["x-amz-date"] = []string{a.amzDate}
		}
	}
	return r, a
}

// checkAgainstSDK fails t when signature and the SDK signer's (sdkSignature) disagree on r:
// either both refuse r or both compute the same signature.
func checkAgainstSDK(t *testing.T, r *http.Request, a *Auth, secret, payloadHash string) {
	t.Helper()
	want, err := sdkSignature(r, a, secret, payloadHash)
	if err != nil {
		t.Fatalf("SDK signer: %v", err)
	}
	var sig [64]byte
	ok := signature(&sig, r, a, secret, payloadHash)
	got := string(sig[:])
	if !ok {
		got = ""
	}
	if got != want {
		t.Fatalf("signature %q, SDK signer %q\nmethod %q URL %#v host %q\nheader %q\ncontent-length %d transfer-encoding %q\nauth %+v",
			got, want, r.Method, r.URL, r.Host, r.Header, r.ContentLength, r.TransferEncoding, a)
	}
}

// TestSignatureMatchesSDK compares the signature computed here with the SDK signer's over
// random methods, paths, queries, headers and signed header lists, header and presigned, for
// S3 and the other services.
func TestSignatureMatchesSDK(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	const n = 3000
	for i := range n {
		q := sigRequest{
			method:  pick("GET", "PUT", "POST", "DELETE", "HEAD", "", "PATCH"),
			path:    pick("", "/", "/b", "/b/k", "/b/a b", "/b/%2Fk", "/b/k%20x", "/b/caf%C3%A9", "/b/k+x", "/b//k/", "/b/!$'()*", "/b/a%2x", "/./b/../k", "rel", "/~user/x_y-z.txt"),
			host:    pick("example.amazonaws.com", "127.0.0.1:8080", " h  x ", "", "[::1]:443"),
			header:  http.Header{},
			service: pick("s3", "iam", "sts", "ec2", "s3-object-lambda"),
		}
		q.presigned = rng.IntN(3) == 0
		q.payloadHash = pick(UnsignedPayload, emptySHA256, StreamingPayload)
		var params []string
		for range rng.IntN(5) {
			params = append(params, pick("a", "A", "b", "a%20b", "x+y", "%zz", "k;v", "", "=", "X-Amz-Signature", "X-Amz-Date", "X-Amz-Security-Token", "list-type", "%E2%82%AC")+
				pick("", "=", "=1", "=a b", "=%2F", "=+", "=%", "=x&y", "=~-._", "=z"))
		}
		q.rawQuery = strings.Join(params, "&")
		names := []string{"content-type", "x-amz-content-sha256", "x-amz-meta-a", "range", "authorization", "user-agent", "expect", "transfer-encoding", "x-amzn-trace-id", "content-md5"}
		for _, name := range names {
			if rng.IntN(2) == 0 {
				continue
			}
			key := http.CanonicalHeaderKey(name)
			if rng.IntN(4) == 0 {
				key = name
			}
			for range 1 + rng.IntN(2) {
				q.header[key] = append(q.header[key], pick("v", " a  b ", "\tx\t", "a,b", "", "  ", "x  \t  y", "\u00a0z"))
			}
			if rng.IntN(6) == 0 { // a second spelling of the key
				q.header[strings.ToUpper(name)] = []string{pick("w", " second ")}
			}
		}
		if rng.IntN(3) == 0 {
			q.contentLength = int64(rng.IntN(3)) - 1
			if rng.IntN(2) == 0 {
				q.header["Content-Length"] = []string{pick("0", "12", "x", "7")}
			}
		}
		if rng.IntN(4) == 0 {
			q.transferEncoding = []string{"chunked"}
		}
		q.signed = []string{"host"}
		for _, name := range append(names, "content-length", "x-amz-date", "x-absent", "host") {
			if rng.IntN(2) == 0 {
				q.signed = append(q.signed, name)
			}
			if rng.IntN(10) == 0 { // a name signed twice
				q.signed = append(q.signed, name)
			}
		}
		r, a := q.build()
		checkAgainstSDK(t, r, a, "secret"+strconv.Itoa(i%7), q.payloadHash)
	}
}

// TestSignatureRefusals: the requests the direct computation refuses, which the SDK signer would
// have signed differently from any client (a signed header name not in lower-case ASCII) or without their
// query (more parameters than net/url parses).
func TestSignatureRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		q    sigRequest
	}{
		{"upper-case signed header", sigRequest{method: "GET", path: "/", host: "h", header: http.Header{"X-Amz-Meta-A": {"1"}}, signed: []string{"host", "X-Amz-Meta-A"}, service: "s3"}},
		{"non-ASCII signed header", sigRequest{method: "GET", path: "/", host: "h", header: http.Header{"\x86": {"1"}}, signed: []string{"host", "\xcc"}, service: "s3"}},
		{"too many query parameters", sigRequest{method: "GET", path: "/", host: "h", header: http.Header{}, rawQuery: strings.Repeat("a=1&", maxQueryParams), signed: []string{"host"}, service: "s3"}},
		{"content-length not a number", sigRequest{method: "PUT", path: "/", host: "h", header: http.Header{"Content-Length": {"x"}}, signed: []string{"host", "content-length"}, service: "s3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, a := tc.q.build()
			var sig [64]byte
			if signature(&sig, r, a, "secret", UnsignedPayload) {
				t.Fatalf("signature accepted %+v", tc.q)
			}
		})
	}
}

// FuzzSignature compares the signature computed here with the SDK signer's. header is lines of
// "Key: value" (keys kept as written, so that non-canonical spellings are tried); signed is the
// signed header list, lower-case ASCII as clients send it (other names are refused,
// see TestSignatureRefusals; the SDK signer would merge two spellings of one name).
func FuzzSignature(f *testing.F) {
	f.Add("GET", "/b/k", "list-type=2&prefix=a%2Fb", "Content-Type: text/plain\nx-amz-meta-a:  a  b ", "host;content-type;x-amz-meta-a;x-amz-date", uint8(0), false, int64(0))
	f.Add("PUT", "/b/a%20b", "", "Content-Length: 12\nTransfer-Encoding: chunked", "content-length;host;transfer-encoding", uint8(0), false, int64(12))
	f.Add("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15", "Content-Type: application/x-www-form-urlencoded", "content-type;host;x-amz-date", uint8(2), false, int64(43))
	f.Add("GET", "/", "Action=GetCallerIdentity&X-Amz-Algorithm=x&X-Amz-Signature=00&X-Amz-Security-Token=t+1", "X-K8s-Aws-Id: c", "host;x-k8s-aws-id", uint8(2), true, int64(0))
	f.Add("GET", "/b/%E2%82%AC", "a&a=&=b&%zz=1&k;v=2&+=%20", "user-agent: x\nUser-Agent: y", "host;user-agent", uint8(1), true, int64(-1))
	f.Fuzz(func(t *testing.T, method, path, rawQuery, header, signed string, service uint8, presigned bool, contentLength int64) {
		if !isLowerASCII(signed) || strings.Count(rawQuery, "&") >= maxQueryParams {
			t.Skip()
		}
		q := sigRequest{
			method: method, path: path, rawQuery: rawQuery, host: "example.com", header: http.Header{},
			contentLength: contentLength, service: []string{"s3", "iam", "sts", "ec2"}[service%4], presigned: presigned,
		}
		for line := range strings.SplitSeq(header, "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				q.header[k] = append(q.header[k], v)
			}
		}
		if signed != "" {
			q.signed = strings.Split(signed, ";")
		}
		r, a := q.build()
		checkAgainstSDK(t, r, a, "secret", UnsignedPayload)
	})
}

// FuzzParseAmzDate: parseAmzDate accepts exactly the strings that time.Parse reads with
// timeFormat and that are that time's formatting, and reads the same time.
func FuzzParseAmzDate(f *testing.F) {
	for _, s := range []string{"20260304T050607Z", "20261332T000000Z", "20240229T235959Z", "20230229T000000Z", "20260101T240000Z", "20260101T235960Z", "2026-101T000000Z", "00000101T000000Z", "20260101t000000Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := time.Parse(timeFormat, s)
		canonical := err == nil && want.Format(timeFormat) == s
		got, ok := parseAmzDate(s)
		if ok != canonical || ok && !got.Equal(want) {
			t.Fatalf("parseAmzDate(%q) = %v, %v; time.Parse: %v, %v (canonical %v)", s, got, ok, want, err, canonical)
		}
	})
}

// FuzzIsDate: isDate accepts exactly the eight-byte strings that time.Parse reads with
// dateFormat.
func FuzzIsDate(f *testing.F) {
	for _, s := range []string{"20260304", "20261332", "20240229", "20230229", "20260100", "00000101", "2026-101", "+0260101", "2026010", "202601011", "20261231"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := time.Parse(dateFormat, s)
		if want := err == nil && len(s) == len(dateFormat); isDate(s) != want {
			t.Fatalf("isDate(%q) = %v; time.Parse: %v", s, !want, err)
		}
	})
}
