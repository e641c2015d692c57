package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
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
	var sig [64]byte
	for _, h := range hashes {
		if signature(&sig, r, a, secret, h) && subtle.ConstantTimeCompare(sig[:], []byte(a.Signature)) == 1 {
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
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return string(h[:])
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

// canonicalPath returns the path as AWS canonicalises it before signing: every byte outside
// A-Z a-z 0-9 - _ . ~ and '/' percent-encoded with upper-case hex, whether or not the client
// escaped it on the wire. An escaped slash (%2F) stays escaped. This is the canonical URI of S3;
// for other services the signer escapes it once more.
func canonicalPath(escaped string) string {
	if isCleanPath(escaped) {
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

// isCleanPath reports whether p has only unreserved bytes and '/': nothing to escape.
func isCleanPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if !unreserved(p[i]) && p[i] != '/' {
			return false
		}
	}
	return true
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
