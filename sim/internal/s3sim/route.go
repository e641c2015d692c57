package s3sim

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// pathKind is the form of an operation's path in botocore's model.
type pathKind struct{ literal string }

var (
	onService = pathKind{"/"}
	onBucket  = pathKind{"/{Bucket}"}
	onObject  = pathKind{"/{Bucket}/{Key+}"}
)

func onPath(p string) pathKind { return pathKind{p} }

// route is one S3 operation's HTTP binding, generated from botocore's model (routes_gen.go).
type route struct {
	op         string
	method     string
	path       pathKind
	query      []string // required query parameters: "uploads", "list-type=2", "uploadId"
	headers    []string // required headers, canonical (X-Amz-Copy-Source): found without an allocation
	status     int      // the status of success
	deprecated bool     // an older name of an operation that has a newer one on the same binding
	express    bool     // served only by S3 Express's control endpoint
}

//go:generate go run ./internal/routegen -out routes_gen.go

// Endpoint is what the Host of a request says: the bucket of a virtual-hosted request
// ("" for path-style), whether it is a static website endpoint, and the region the host
// names, if any.
type Endpoint struct {
	S3      bool // the host is one of S3's
	Bucket  string
	Website bool
	Region  string
}

// ParseHost reads a Host header (a port, if any, is ignored) as S3 does:
//
//	bucket.s3.amazonaws.com, bucket.s3.us-east-1.amazonaws.com, bucket.s3-us-west-2.amazonaws.com,
//	bucket.s3.dualstack.eu-west-1.amazonaws.com     virtual-hosted
//	s3.amazonaws.com, s3.eu-west-1.amazonaws.com     path-style
//	bucket.s3-website-us-east-1.amazonaws.com,
//	bucket.s3-website.eu-central-1.amazonaws.com     website endpoint
//
// and the same with ".localhost" in place of ".amazonaws.com" (with bucket.localhost as
// virtual-hosted too), so that loopback clients can address buckets by host. Any other host
// (127.0.0.1, a custom name) is path-style. The S3 forms come first: "x.s3.localhost" is
// bucket x, not bucket "x.s3" (FuzzParseHost pins it).
func ParseHost(host string) Endpoint {
	if strings.Contains(host, ":") { // else SplitHostPort's error, which costs an allocation
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	var rest string
	var local bool
	switch {
	case strings.HasSuffix(host, ".amazonaws.com"):
		rest = strings.TrimSuffix(host, ".amazonaws.com")
	case host == "localhost":
		return Endpoint{}
	case strings.HasSuffix(host, ".localhost"):
		rest, local = strings.TrimSuffix(host, ".localhost"), true
	default:
		return Endpoint{}
	}
	labels := strings.Split(rest, ".")
	end := len(rest) + 1 // where labels[i] ends, and its dot
	for i := len(labels) - 1; i >= 0; i-- {
		end -= len(labels[i]) + 1
		e, ok := serviceLabel(labels[i], labels[i+1:])
		if !ok {
			continue
		}
		e.S3, e.Bucket = true, rest[:max(end-1, 0)] // labels[:i], joined by their dots
		return e
	}
	if local {
		return Endpoint{S3: true, Bucket: rest}
	}
	return Endpoint{}
}

// serviceLabel reports whether label, followed by the labels after, is S3's part of a host
// name, and what it says.
func serviceLabel(label string, after []string) (Endpoint, bool) {
	var e Endpoint
	switch {
	case label == "s3", label == "s3-external-1":
		switch {
		case len(after) == 0:
			return e, true
		case len(after) == 1 && isRegionLabel(after[0]):
			e.Region = after[0]
			return e, true
		case len(after) == 2 && after[0] == "dualstack" && isRegionLabel(after[1]):
			e.Region = after[1]
			return e, true
		}
	case label == "s3-website":
		if len(after) == 1 && isRegionLabel(after[0]) {
			return Endpoint{Website: true, Region: after[0]}, true
		}
	case strings.HasPrefix(label, "s3-website-"):
		if r := strings.TrimPrefix(label, "s3-website-"); len(after) == 0 && isRegionLabel(r) {
			return Endpoint{Website: true, Region: r}, true
		}
	case strings.HasPrefix(label, "s3-"):
		if r := strings.TrimPrefix(label, "s3-"); len(after) == 0 && isRegionLabel(r) {
			return Endpoint{Region: r}, true
		}
	}
	return e, false
}

// isRegionLabel reports whether s has a region's shape: us-east-1, ap-southeast-2, us-gov-west-1.
func isRegionLabel(s string) bool {
	n := strings.Count(s, "-") + 1 // parts: letters, then digits last
	if n < 3 {
		return false
	}
	i := 0
	for p := range strings.SplitSeq(s, "-") {
		i++
		if p == "" {
			return false
		}
		for j := 0; j < len(p); j++ {
			if c := p[j]; i == n && (c < '0' || c > '9') || i < n && (c < 'a' || c > 'z') {
				return false
			}
		}
	}
	return true
}

// Target is what a request addresses: a bucket and a key within it (both "" for the
// service), whichever way it is addressed.
type Target struct {
	Bucket string
	Key    string
}

// TargetOf returns the bucket and key of a request from its endpoint and its decoded path.
func TargetOf(e Endpoint, path string) Target {
	path = strings.TrimPrefix(path, "/")
	if e.Bucket != "" {
		return Target{Bucket: e.Bucket, Key: path}
	}
	b, k, _ := strings.Cut(path, "/")
	return Target{Bucket: b, Key: k}
}

// addressable reports whether t's bucket could be the name of a bucket, so that looking it
// up means something: a path-style request may name a bucket of the legacy rules that still
// hold in us-east-1 (3 to 255 letters of either case, digits, periods, hyphens and
// underscores), a virtual-hosted one only a name that is a host name's labels (at most 63
// bytes, no empty label). Anything else — "..", "*", a name of 300 bytes, "bucket." from
// bucket..s3.amazonaws.com, the empty name of a path "//bucket//key" — is refused as
// InvalidBucketName, not looked up (TestHostileInput, routing/).
func addressable(t Target, hosted bool) bool {
	b := t.Bucket
	if b == "" {
		return t.Key == ""
	}
	if len(b) < 3 || len(b) > 255 || hosted && len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	if strings.Trim(b, ".") == "" {
		return false
	}
	return !hosted || !strings.HasPrefix(b, ".") && !strings.HasSuffix(b, ".") && !strings.Contains(b, "..")
}

// match returns the operation a request is: among the routes of its method and path form
// whose required query parameters it has, those that ask for the most; among them, one whose
// required headers it has, the one asking for the most (CopyObject over PutObject when
// x-amz-copy-source is sent). ok is false when no operation has this method and path form.
func match(method string, t Target, q url.Values, h http.Header) (r *route, ok bool) {
	kind := onService
	switch {
	case t.Bucket != "" && t.Key != "":
		kind = onObject
	case t.Bucket != "":
		kind = onBucket
	}
	best, bestHeaders := -1, -1
	for _, c := range routesBy[routeKey{method, kind}] {
		if !hasQuery(q, c.query) {
			continue
		}
		hs := -1 // a route without its headers ranks below one with them
		if hasHeaders(h, c.headers) {
			hs = len(c.headers)
		}
		if len(c.query) > best || len(c.query) == best && hs > bestHeaders {
			r, best, bestHeaders = c, len(c.query), hs
		}
	}
	return r, r != nil
}

func hasQuery(q url.Values, want []string) bool {
	for _, w := range want {
		name, value, hasValue := strings.Cut(w, "=")
		if !q.Has(name) || hasValue && q.Get(name) != value {
			return false
		}
	}
	return true
}

func hasHeaders(h http.Header, want []string) bool {
	for _, w := range want {
		if h.Get(w) == "" {
			return false
		}
	}
	return true
}

// Operation returns the name of the S3 operation a request is, "" when none has its method
// and path.
func Operation(method string, t Target, q url.Values, h http.Header) string {
	r, ok := match(method, t, q, h)
	if !ok {
		return ""
	}
	return r.op
}

// newerRoutes are operations of the SDK in go.mod that botocore's model here does not have
// yet. Without them their requests would match an older operation of the same method and
// path (DeleteObjectAnnotation's DELETE /{Key+}?annotation would delete the object); with
// them they are named, and answered NotImplemented.
var newerRoutes = []route{
	{op: "DeleteObjectAnnotation", method: "DELETE", path: onObject, query: []string{"annotation"}, status: 204},
	{op: "GetObjectAnnotation", method: "GET", path: onObject, query: []string{"annotation"}, status: 200},
	{op: "ListObjectAnnotations", method: "GET", path: onObject, query: []string{"annotation", "x-id=ListObjectAnnotations"}, status: 200},
	{op: "PutObjectAnnotation", method: "PUT", path: onObject, query: []string{"annotation"}, status: 200},
	{op: "UpdateBucketMetadataAnnotationTableConfiguration", method: "PUT", path: onBucket, query: []string{"metadataAnnotationTable"}, status: 200},
}

func init() {
	routes = append(routes, newerRoutes...)
	for i := range routes {
		if c := &routes[i]; !c.deprecated && !c.express {
			k := routeKey{c.method, c.path}
			routesBy[k] = append(routesBy[k], c)
		}
	}
}

// routeKey is what match looks routes up by.
type routeKey struct {
	method string
	path   pathKind
}

// routesBy holds the routes match chooses among (neither deprecated nor S3 Express's), by
// method and path form, in the table's order.
var routesBy = map[routeKey][]*route{}
