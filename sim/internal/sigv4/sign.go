package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/smithy-go/encoding/httpbinding"
)

// signature computes the SigV4 signature of r as its client computed it, for the payload hash
// payloadHash, and writes it in hex to sig. It reports false when r cannot be what the client
// signed (an X-Amz-Date other than the one parsed, a Content-Length that is not a number, a
// signed header name that is not lower-case ASCII, too many query parameters): the caller treats it
// as a mismatch.
//
// The canonical request is the one aws-sdk-go-v2's v4 signer produces for a request holding only
// the headers the client signed (the differential tests in oracle_test.go pin it):
//   - host is always signed, from r.Host (or r.URL.Host), with runs of spaces collapsed.
//   - content-length is signed when the client signed it and it is positive.
//   - x-amz-date is always signed for header authentication, as the time Parse read.
//   - every other signed header that r carries (under any spelling of its key) is signed with
//     its values joined by ",", each trimmed and with runs of spaces collapsed; a signed header
//     that r does not carry is left out.
//   - the query is decoded and re-encoded (RFC 3986 unreserved bytes kept, all others %XX), sorted
//     by key then value; a presigned request's X-Amz-Signature is dropped and its
//     X-Amz-Algorithm, X-Amz-Date, X-Amz-Credential and X-Amz-SignedHeaders are the signer's.
//   - the path is canonicalPath's; for services other than S3 it is escaped once more.
func signature(sig *[64]byte, r *http.Request, a *Auth, secret, payloadHash string) bool {
	host := r.Host
	var path, rawQuery string
	if r.URL != nil {
		if host == "" {
			host = r.URL.Host
		}
		path, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
	}
	amzDate := a.amzDate
	if amzDate == "" {
		amzDate = a.Time.UTC().Format(timeFormat)
	}

	b := bufs.Get().(*buffers)
	defer bufs.Put(b)
	b.reset()

	// The signed headers: host, then those the client signed and sent.
	b.names = append(b.names, "host")
	var contentLength int64
	for _, name := range a.SignedHeaders {
		if !isLowerASCII(name) {
			return false
		}
		switch name {
		case "host":
			continue
		case "x-amz-date":
			if !a.Presigned {
				// Always signed, from the signing time (below).
				if v, _ := headerValue(r.Header, "X-Amz-Date"); a.amzDate != "" && v != a.amzDate {
					return false
				}
				continue
			}
		case "content-length":
			n := r.ContentLength
			if v, ok := headerValue(r.Header, "Content-Length"); ok {
				var err error
				if n, err = strconv.ParseInt(v, 10, 64); err != nil {
					return false
				}
			}
			if n > 0 {
				contentLength = n
				b.names = append(b.names, name)
			}
			continue
		case "transfer-encoding":
			if len(r.TransferEncoding) > 0 {
				b.names = append(b.names, name)
				continue
			}
		}
		b.wanted = append(b.wanted, name)
	}
	// One pass over the request's headers finds the keys, in any spelling, of the other
	// signed headers; a signed header the request does not carry is left out.
	if len(b.wanted) > 0 {
		slices.Sort(b.wanted)
		b.wanted = slices.Compact(b.wanted)
		for k, vs := range r.Header {
			for _, name := range b.wanted {
				if strings.EqualFold(k, name) {
					b.keys = append(b.keys, headerKey{name, k, len(vs) > 0})
				}
			}
		}
		slices.SortFunc(b.keys, func(x, y headerKey) int {
			if c := strings.Compare(x.name, y.name); c != 0 {
				return c
			}
			return strings.Compare(x.key, y.key)
		})
		for _, k := range b.keys {
			if k.values {
				b.names = append(b.names, k.name)
			}
		}
	}
	if !a.Presigned {
		b.names = append(b.names, "x-amz-date")
	}
	slices.Sort(b.names)
	b.names = slices.Compact(b.names)

	// The canonical headers, into b.headers; the signed header list, into b.signed.
	for i, name := range b.names {
		if i > 0 {
			b.signed = append(b.signed, ';')
		}
		b.signed = append(b.signed, name...)
		b.headers = append(b.headers, name...)
		b.headers = append(b.headers, ':')
		switch {
		case name == "host":
			b.headers = appendStripped(b.headers, host)
		case name == "content-length":
			b.headers = strconv.AppendInt(b.headers, contentLength, 10)
		case name == "x-amz-date" && !a.Presigned:
			b.headers = append(b.headers, amzDate...)
		case name == "transfer-encoding" && len(r.TransferEncoding) > 0:
			b.headers = appendClean(b.headers, strings.Join(r.TransferEncoding, ","))
		default:
			b.headers = b.appendHeaderValues(b.headers, r.Header, name)
		}
		b.headers = append(b.headers, '\n')
	}

	// The canonical query.
	if rawQuery != "" || a.Presigned {
		if !b.parseQuery(rawQuery, a.Presigned) {
			return false
		}
		if a.Presigned {
			b.addParam("X-Amz-Algorithm", algorithm)
			b.addParam("X-Amz-Date", amzDate)
			b.addParam("X-Amz-Credential", a.AccessKeyID+"/"+a.Scope())
			b.addParam("X-Amz-SignedHeaders", string(b.signed))
		}
		slices.SortFunc(b.params, func(x, y param) int {
			if c := strings.Compare(x.key, y.key); c != 0 {
				return c
			}
			return strings.Compare(x.value, y.value)
		})
	}

	// The canonical request.
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	cr := append(b.canonical, method...)
	cr = append(cr, '\n')
	uri := canonicalPath(path)
	if i := strings.IndexByte(uri, '/'); i >= 0 {
		uri = uri[i:]
	} else {
		uri = "/"
	}
	if !isS3(a.Service) && !isCleanPath(uri) { // a clean path escapes to itself
		uri = httpbinding.EscapePath(uri, false)
	}
	cr = append(cr, uri...)
	cr = append(cr, '\n')
	for i, p := range b.params {
		if i > 0 {
			cr = append(cr, '&')
		}
		cr = append(cr, p.key...)
		cr = append(cr, '=')
		cr = append(cr, p.value...)
	}
	cr = append(cr, '\n')
	cr = append(cr, b.headers...)
	cr = append(cr, '\n')
	cr = append(cr, b.signed...)
	cr = append(cr, '\n')
	cr = append(cr, payloadHash...)
	b.canonical = cr
	sum := sha256.Sum256(cr)

	// The string to sign, after the HMAC's inner pad, so that the HMAC is two SHA-256 sums.
	key := signingKey(secret, a.Date, a.Region, a.Service)
	sts := b.sts[:0]
	for i := range 64 {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		sts = append(sts, k^0x36)
	}
	sts = append(sts, algorithm+"\n"...)
	sts = append(sts, amzDate...)
	sts = append(sts, '\n')
	sts = append(sts, a.Date...)
	sts = append(sts, '/')
	sts = append(sts, a.Region...)
	sts = append(sts, '/')
	sts = append(sts, a.Service...)
	sts = append(sts, "/"+terminator+"\n"...)
	sts = hex.AppendEncode(sts, sum[:])
	b.sts = sts
	inner := sha256.Sum256(sts)
	var outer [64 + sha256.Size]byte
	for i := range 64 {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		outer[i] = k ^ 0x5c
	}
	copy(outer[64:], inner[:])
	mac := sha256.Sum256(outer[:])
	hex.Encode(sig[:], mac[:])
	return true
}

// buffers are one signature's scratch space, pooled.
type buffers struct {
	wanted    []string    // the signed headers looked up by name
	keys      []headerKey // their keys in the request, sorted by name then key
	names     []string
	signed    []byte
	headers   []byte
	params    []param
	canonical []byte
	sts       []byte
}

type param struct{ key, value string }

// headerKey is a key of the request's headers that is a spelling of the signed header name.
type headerKey struct {
	name, key string
	values    bool // the key has values
}

var bufs = sync.Pool{New: func() any { return new(buffers) }}

func (b *buffers) reset() {
	clear(b.wanted)
	clear(b.keys)
	clear(b.names)
	clear(b.params)
	b.wanted, b.keys = b.wanted[:0], b.keys[:0]
	b.names, b.signed, b.headers, b.params, b.canonical, b.sts = b.names[:0], b.signed[:0], b.headers[:0], b.params[:0], b.canonical[:0], b.sts[:0]
}

// maxQueryParams is net/url's limit (its urlmaxqueryparams default), over which the SDK's
// signer sees no query at all; such a request is refused rather than checked without its query.
const maxQueryParams = 10000

// parseQuery reads rawQuery as net/url's ParseQuery does (pairs with a ';' or a bad escape are
// skipped, '+' is a space) into b.params, encoded as the canonical query encodes them. A
// presigned request's signature parameters are left out.
func (b *buffers) parseQuery(rawQuery string, presigned bool) bool {
	if strings.Count(rawQuery, "&")+1 > maxQueryParams {
		return false
	}
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, ok := unescapeQuery(k)
		if !ok {
			continue
		}
		if v, ok = unescapeQuery(v); !ok {
			continue
		}
		if presigned {
			switch k {
			case "X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Date", "X-Amz-Credential", "X-Amz-SignedHeaders":
				continue
			}
		}
		b.addParam(k, v)
	}
	return true
}

func (b *buffers) addParam(k, v string) {
	b.params = append(b.params, param{uriEncode(k), uriEncode(v)})
}

// unescapeQuery is url.QueryUnescape, without allocating when there is nothing to unescape.
func unescapeQuery(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				return "", false
			}
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case '+':
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	return string(out), true
}

// uriEncode percent-encodes, with upper-case hex, every byte of s outside A-Z a-z 0-9 - _ . ~.
func uriEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	out := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			out = append(out, c)
			continue
		}
		out = append(out, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(out)
}

// isLowerASCII reports whether s is ASCII without upper-case letters, as signed header names
// are (HTTP field names are ASCII tokens; SigV4 lists them in lower case).
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' || s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// appendHeaderValues appends the values of the signed header name, under all the keys found for
// it in b.keys (a request built in-process may hold several spellings; they are merged in key
// order), each cleaned, joined by ','.
func (b *buffers) appendHeaderValues(dst []byte, h http.Header, name string) []byte {
	i, _ := slices.BinarySearchFunc(b.keys, name, func(k headerKey, name string) int { return strings.Compare(k.name, name) })
	comma := false
	for ; i < len(b.keys) && b.keys[i].name == name; i++ {
		vs := h[b.keys[i].key]
		dst = appendCleanValues(dst, vs, comma)
		comma = comma || len(vs) > 0
	}
	return dst
}

func appendCleanValues(dst []byte, vs []string, comma bool) []byte {
	for _, v := range vs {
		if comma {
			dst = append(dst, ',')
		}
		dst = appendClean(dst, v)
		comma = true
	}
	return dst
}

// appendClean appends v trimmed of white space, with runs of spaces collapsed to one (the SDK
// signer's StripExcessSpaces, then strings.TrimSpace).
func appendClean(dst []byte, v string) []byte {
	return appendStripped(dst, strings.TrimSpace(stripSpaces(v)))
}

// stripSpaces trims leading and trailing spaces (' ' only) without collapsing inner runs.
func stripSpaces(v string) string {
	return strings.TrimRight(strings.TrimLeft(v, " "), " ")
}

// appendStripped appends v without its leading and trailing spaces and with runs of spaces
// collapsed to one (the SDK signer's StripExcessSpaces, which the host header gets alone).
func appendStripped(dst []byte, v string) []byte {
	v = stripSpaces(v)
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, v[i])
	}
	return dst
}

// Derived signing keys (HMAC chains of secret, date, region, service and aws4_request) are
// cached per secret and scope, as AWS's clients cache them; the cache is cleared when it grows
// past maxKeys.
const maxKeys = 4096

type keyID struct{ secret, date, region, service string }

var keys struct {
	sync.RWMutex
	m map[keyID]*[sha256.Size]byte
}

func signingKey(secret, date, region, service string) []byte {
	id := keyID{secret, date, region, service}
	keys.RLock()
	k := keys.m[id]
	keys.RUnlock()
	if k != nil {
		return k[:]
	}
	k = new([sha256.Size]byte)
	copy(k[:], deriveKey(secret, date, region, service))
	keys.Lock()
	defer keys.Unlock()
	if keys.m == nil || len(keys.m) >= maxKeys {
		keys.m = make(map[keyID]*[sha256.Size]byte)
	}
	keys.m[id] = k
	return k[:]
}

func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}
