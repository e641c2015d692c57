package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sdkSignature is the oracle of the differential tests: the signature the simulator checked
// before it computed the canonical request itself (sign.go). It rebuilds r as the client signed
// it and signs the copy with the SDK's own v4 signer.
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
func sdkSignature(r *http.Request, a *Auth, secret, payloadHash string) (string, error) {
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
	signer := v4.NewSigner()
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
