package sigv4

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxSkew is how far the date of a header-signed request may be from now (AWS: 15 minutes).
const MaxSkew = 15 * time.Minute

// emptySHA256 is the hex SHA-256 of no bytes.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Verify recomputes the signature of r (whose body is body; r.Body is not read) with secret and
// compares it, in constant time, with a.Signature; it also checks the time against now: within
// [MaxSkew] of now for header authentication, from X-Amz-Date to X-Amz-Date + X-Amz-Expires for
// a presigned request. a is what [Parse] returned for r. Verify is safe for concurrent use.
//
// The signature is recomputed by the SDK's own v4 signer over a copy of the request that holds
// only the headers the client signed. For a streaming aws-chunked body
// (X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD) Verify checks the seed signature;
// read the body through [NewChunkedReader] to check each chunk.
func Verify(r *http.Request, body []byte, a *Auth, secret string, now time.Time) error {
	if err := checkTime(a, now); err != nil {
		return err
	}
	hashes, err := payloadHashes(a, body)
	if err != nil {
		return err
	}
	return verifyWith(r, a, secret, hashes)
}

// DeclaresPayload reports whether a's request says its payload hash in a header S3 reads
// (X-Amz-Content-Sha256: a hash, UNSIGNED-PAYLOAD or a streaming mode) or is presigned for
// S3, so that its signature can be checked before its body is read, with [VerifyHeaders].
func (a *Auth) DeclaresPayload() bool {
	if !isS3(a.Service) {
		return false
	}
	return a.Presigned || a.PayloadHash == UnsignedPayload || isStreaming(a.PayloadHash) || isHexHash(a.PayloadHash)
}

// VerifyHeaders is [Verify] before the body is read, for a request that [Auth.DeclaresPayload]:
// the signature is checked over the payload hash the request declares. Once the body is
// read, [CheckPayload] checks that it has that hash.
func VerifyHeaders(r *http.Request, a *Auth, secret string, now time.Time) error {
	if !a.DeclaresPayload() {
		return incomplete(a.Presigned, "the payload hash is not declared")
	}
	if err := checkTime(a, now); err != nil {
		return err
	}
	h := a.PayloadHash
	switch {
	case h == "":
		h = UnsignedPayload // presigned S3
	case !isHexHash(h) && h != UnsignedPayload && !isStreaming(h):
		return payloadHashError(a)
	}
	return verifyWith(r, a, secret, []string{h})
}

// CheckPayload reports whether body has the hash the request declared, when it declared one.
func CheckPayload(a *Auth, body []byte) error {
	if h := a.PayloadHash; isHexHash(h) && !strings.EqualFold(h, bodyHash(body)) {
		return &Error{Kind: PayloadMismatch, Presigned: a.Presigned, Message: msgPayloadS3}
	}
	return nil
}

func isStreaming(h string) bool {
	return h == StreamingPayload || h == StreamingPayloadTrailer || h == StreamingUnsignedTrailer
}

func payloadHashError(a *Auth) *Error {
	return &Error{Kind: Unsupported, Presigned: a.Presigned, Argument: "x-amz-content-sha256", Value: a.PayloadHash, Message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."}
}

func verifyWith(r *http.Request, a *Auth, secret string, hashes []string) error {
	for _, h := range hashes {
		sig, err := computeSignature(r, a, secret, h)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(sig), []byte(a.Signature)) == 1 {
			return nil
		}
	}
	return mismatchError(a.Service, a.Presigned)
}

func checkTime(a *Auth, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	t := a.Time.UTC()
	if a.Presigned && (a.Expires > 0 || isS3(a.Service)) {
		switch {
		case now.Before(t):
			if isS3(a.Service) {
				return &Error{Kind: NotYetValid, Presigned: true, Message: msgNotYetS3}
			}
			if a.Service == "ec2" {
				return &Error{Kind: NotYetValid, Presigned: true, Message: msgExpiredEC2}
			}
			return &Error{Kind: NotYetValid, Presigned: true, Message: "Signature not yet current: " + fmtTime(t) + " is still later than " + fmtTime(now) + "."}
		case now.After(t.Add(a.Expires)):
			if isS3(a.Service) {
				return &Error{Kind: Expired, Presigned: true, Message: msgExpiredS3}
			}
			if a.Service == "ec2" {
				return &Error{Kind: Expired, Presigned: true, Message: msgExpiredEC2}
			}
			return &Error{Kind: Expired, Presigned: true, Message: "Signature expired: " + fmtTime(t) + " is now earlier than " + fmtTime(now.Add(-a.Expires)) + " (" + fmtTime(now) + " - " + strconv.FormatInt(int64(a.Expires/time.Second), 10) + " sec.)"}
		}
		return nil
	}
	// Header authentication, and presigned requests of non-S3 services without X-Amz-Expires:
	// the 15-minute window on either side of now.
	var msg string
	switch {
	case t.Before(now.Add(-MaxSkew)):
		msg = "Signature expired: " + fmtTime(t) + " is now earlier than " + fmtTime(now.Add(-MaxSkew)) + " (" + fmtTime(now) + " - 15 min.)"
	case t.After(now.Add(MaxSkew)):
		msg = "Signature not yet current: " + fmtTime(t) + " is still later than " + fmtTime(now.Add(MaxSkew)) + " (" + fmtTime(now) + " + 15 min.)"
	default:
		return nil
	}
	switch {
	case isS3(a.Service):
		msg = msgSkewS3
	case a.Service == "ec2":
		msg = msgExpiredEC2
	}
	return &Error{Kind: Skewed, Presigned: a.Presigned, Message: msg}
}

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// payloadHashes returns the payload hashes to try, in order. Only S3 takes the payload hash a
// request declares (a hash, UNSIGNED-PAYLOAD, a streaming mode); the other services sign the
// body's own hash whatever X-Amz-Content-Sha256 says, so a body cannot be swapped after
// signing. A presigned request of a service other than S3 is accepted with either the body's
// hash (what the Go SDK signs) or UNSIGNED-PAYLOAD (what botocore's SigV4QueryAuth signs), as
// STS accepts both.
func payloadHashes(a *Auth, body []byte) ([]string, error) {
	switch h := a.PayloadHash; {
	case !isS3(a.Service) && a.Presigned:
		return []string{bodyHash(body), UnsignedPayload}, nil
	case !isS3(a.Service):
		return []string{bodyHash(body)}, nil
	case h == UnsignedPayload, isStreaming(h):
		return []string{h}, nil
	case h != "":
		if !isHexHash(h) {
			return nil, payloadHashError(a)
		}
		if !strings.EqualFold(h, bodyHash(body)) {
			msg := msgPayloadS3
			if !isS3(a.Service) {
				msg = mismatchError(a.Service, a.Presigned).Message
			}
			return nil, &Error{Kind: PayloadMismatch, Presigned: a.Presigned, Message: msg}
		}
		return []string{h}, nil
	case a.Presigned && isS3(a.Service):
		return []string{UnsignedPayload}, nil
	case a.Presigned:
		return []string{bodyHash(body), UnsignedPayload}, nil
	}
	return []string{bodyHash(body)}, nil
}

func bodyHash(body []byte) string {
	if len(body) == 0 {
		return emptySHA256
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// computeSignature rebuilds r as the client signed it and signs the copy with the SDK's signer.
//
// The copy holds only the client's signed headers, so that the signer neither adds a header the
// client did not sign nor drops one it did:
//   - host is the request's Host; the copy's URL has no scheme, so the signer strips no port.
//   - content-length is the ContentLength field (the signer signs it only when > 0), and is 0
//     when the client did not sign it.
//   - x-amz-date is set by the signer from the signing time; Parse checked that the client's
//     value is exactly that time's formatting.
//   - Headers the signer ignores by name (Authorization, User-Agent, X-Amzn-Trace-Id, Expect,
//     Transfer-Encoding) are stored under lower-case keys: the signer's ignore list matches
//     canonical keys only, so a client that signed one of them (botocore does not; other
//     signers may) is reproduced. TestVerifySignsIgnoredHeaders pins it.
//   - The session token is passed as a signed header (or query parameter), never as the
//     credentials' token, so the signer adds X-Amz-Security-Token only if the client signed it.
func computeSignature(r *http.Request, a *Auth, secret, payloadHash string) (string, error) {
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	var path, rawQuery string
	if r.URL != nil {
		path, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
	}
	if a.Presigned {
		rawQuery = withoutParam(rawQuery, "X-Amz-Signature")
	}
	c := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Opaque: "//h" + canonicalPath(path), RawQuery: rawQuery},
		Header: make(http.Header, len(a.SignedHeaders)),
		Host:   host,
	}
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	for _, name := range a.SignedHeaders {
		switch name {
		case "host":
			continue
		case "x-amz-date":
			if !a.Presigned {
				// The signer writes it from the signing time; a value other than that
				// formatting cannot be what the client signed.
				if v, _ := headerValue(r.Header, "X-Amz-Date"); a.amzDate != "" && v != a.amzDate {
					return "", nil
				}
				continue
			}
		case "content-length":
			n := r.ContentLength
			if v, ok := headerValue(r.Header, "Content-Length"); ok {
				var err error
				if n, err = strconv.ParseInt(v, 10, 64); err != nil {
					return "", nil
				}
			}
			c.ContentLength = n
			continue
		case "transfer-encoding":
			if len(r.TransferEncoding) > 0 {
				c.Header[name] = []string{strings.Join(r.TransferEncoding, ",")}
				continue
			}
		}
		if vs := headerValues(r.Header, name); len(vs) > 0 {
			c.Header[name] = vs
		}
	}
	signer := signerFor(a.AccessKeyID, secret)
	creds := aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: secret}
	s3 := isS3(a.Service)
	if a.Presigned {
		u, _, err := signer.PresignHTTP(context.Background(), creds, c, payloadHash, a.Service, a.Region, a.Time,
			func(o *v4.SignerOptions) {
				o.DisableHeaderHoisting = true
				o.DisableURIPathEscaping = s3
			})
		if err != nil {
			return "", err
		}
		i := strings.LastIndex(u, "X-Amz-Signature=")
		if i < 0 {
			return "", nil
		}
		return u[i+len("X-Amz-Signature="):], nil
	}
	err := signer.SignHTTP(context.Background(), creds, c, payloadHash, a.Service, a.Region, a.Time,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = s3 })
	if err != nil {
		return "", err
	}
	authz := c.Header.Get("Authorization")
	i := strings.LastIndex(authz, "Signature=")
	if i < 0 {
		return "", nil
	}
	return authz[i+len("Signature="):], nil
}

// headerValues returns all values of the header name, whatever the case of its key (a request
// built in-process may hold several spellings; they are merged in key order).
func headerValues(h http.Header, name string) []string {
	var out []string
	var keys []string
	for k := range h {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 1 {
		return h[keys[0]]
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, h[k]...)
	}
	return out
}

// withoutParam removes every name=value pair whose decoded name is name from a raw query,
// leaving the other pairs exactly as sent.
func withoutParam(rawQuery, name string) string {
	var b strings.Builder
	for pair := range strings.SplitSeq(rawQuery, "&") {
		k, _, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil && dk == name {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pair)
	}
	return b.String()
}

// canonicalPath returns the path as AWS canonicalises it before signing: every byte outside
// A-Z a-z 0-9 - _ . ~ and '/' percent-encoded with upper-case hex, whether or not the client
// escaped it on the wire. An escaped slash (%2F) stays escaped. This is the canonical URI of S3;
// for other services the signer escapes it once more.
func canonicalPath(escaped string) string {
	clean := true
	for i := 0; i < len(escaped); i++ {
		if !unreserved(escaped[i]) && escaped[i] != '/' {
			clean = false
			break
		}
	}
	if clean {
		return escaped
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(escaped) + 16)
	for i := 0; i < len(escaped); i++ {
		c := escaped[i]
		if c == '%' && i+2 < len(escaped) && ishex(escaped[i+1]) && ishex(escaped[i+2]) {
			c = unhex(escaped[i+1])<<4 | unhex(escaped[i+2])
			i += 2
			if c == '/' {
				b.WriteString("%2F")
				continue
			}
		}
		if unreserved(c) || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// Signers are kept per (access key ID, secret). The SDK's signer caches derived signing keys
// inside each Signer, keyed by region/service and checked against the access key ID and the
// day but not the secret; one Signer per secret keeps a cached key from ever serving another
// secret. The map is cleared when it grows past maxSigners.
const maxSigners = 4096

type credKey struct{ akid, secret string }

var signers struct {
	sync.RWMutex
	m map[credKey]*v4.Signer
}

func signerFor(akid, secret string) *v4.Signer {
	k := credKey{akid, secret}
	signers.RLock()
	s := signers.m[k]
	signers.RUnlock()
	if s != nil {
		return s
	}
	signers.Lock()
	defer signers.Unlock()
	if s = signers.m[k]; s != nil {
		return s
	}
	if signers.m == nil || len(signers.m) >= maxSigners {
		signers.m = make(map[credKey]*v4.Signer)
	}
	s = v4.NewSigner()
	signers.m[k] = s
	return s
}
