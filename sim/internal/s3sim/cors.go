package s3sim

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// # CORS
//
// A bucket's CORS configuration is a list of rules; a browser's preflight (OPTIONS with
// Origin and Access-Control-Request-Method) is answered, on the REST and the website
// endpoints, with the first rule that allows the origin, the method and every requested
// header, and refused with 403 when none does. Other requests that carry an Origin get the
// matching rule's headers on their answer.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html

// preflightOp is the name the call log gives a preflight request: it is not an operation
// of the SDK, which never sends one.
const preflightOp = "PreflightRequest"

// corsRule is one rule of a bucket's CORS configuration.
type corsRule struct {
	ID             string   `xml:"ID,omitempty" json:",omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader" json:",omitempty"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:",omitempty"`
	MaxAgeSeconds  *int32   `xml:"MaxAgeSeconds,omitempty" json:",omitempty"`
}

type corsConfiguration struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CORSConfiguration"`
	Rules   []corsRule `xml:"CORSRule"`
}

// The limits of a CORS configuration.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html
const (
	maxCORSRules = 100
	maxCORSSize  = 64 << 10
)

var corsMethods = map[string]bool{"GET": true, "PUT": true, "HEAD": true, "POST": true, "DELETE": true}

// parseCORS reads and validates a PutBucketCors document.
func parseCORS(body []byte) ([]corsRule, error) {
	if len(body) > maxCORSSize {
		return nil, errorf(InvalidRequest, "The CORS configuration exceeds the maximum size of 64 KB.")
	}
	var in corsConfiguration
	if err := decodeXML(body, &in); err != nil {
		return nil, err
	}
	if len(in.Rules) == 0 || len(in.Rules) > maxCORSRules {
		return nil, malformedXML()
	}
	for i, rule := range in.Rules {
		if len(rule.AllowedMethods) == 0 || len(rule.AllowedOrigins) == 0 || len(rule.ID) > 255 {
			return nil, malformedXML()
		}
		for _, m := range rule.AllowedMethods {
			if !corsMethods[m] {
				return nil, errorf(InvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range rule.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return nil, errorf(InvalidRequest, "AllowedOrigin \"%s\" can not have more than one wildcard.", o)
			}
		}
		for _, h := range rule.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return nil, errorf(InvalidRequest, "AllowedHeader \"%s\" can not have more than one wildcard.", h)
			}
		}
		if rule.MaxAgeSeconds != nil && *rule.MaxAgeSeconds < 0 {
			return nil, malformedXML()
		}
		in.Rules[i] = rule
	}
	return in.Rules, nil
}

func putBucketCors(s *Store, ctx context.Context, r *Request) (*Response, error) {
	if _, _, err := checkDigests(r, true, ""); err != nil {
		return nil, err
	}
	rules, err := parseCORS(r.Body)
	if err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.CORS = rules
		return empty(http.StatusOK), nil
	})
}

func getBucketCors(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if len(b.CORS) == 0 {
			return nil, errorf(NoSuchCORSConfiguration, "The CORS configuration does not exist").With("BucketName", b.Name)
		}
		return xmlResponse(corsConfiguration{Rules: b.CORS})
	})
}

func deleteBucketCors(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.CORS = nil
		return empty(http.StatusNoContent), nil
	})
}

// wildcardMatch reports whether s matches pattern, which has at most one "*" standing for
// any run of characters.
func wildcardMatch(pattern, s string) bool {
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// requestedHeaders splits Access-Control-Request-Headers into lower-case names.
func requestedHeaders(v string) []string {
	var out []string
	for h := range strings.SplitSeq(v, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// matchCORS returns the first rule that allows origin, method and every header of headers,
// or nil.
func matchCORS(rules []corsRule, origin, method string, headers []string) *corsRule {
	for i := range rules {
		rule := &rules[i]
		if !anyMatch(rule.AllowedOrigins, origin, false) {
			continue
		}
		allowed := false
		for _, m := range rule.AllowedMethods {
			allowed = allowed || m == method
		}
		if !allowed {
			continue
		}
		all := true
		for _, h := range headers {
			all = all && anyMatch(rule.AllowedHeaders, h, true)
		}
		if all {
			return rule
		}
	}
	return nil
}

func anyMatch(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			p = strings.ToLower(p)
		}
		if wildcardMatch(p, s) {
			return true
		}
	}
	return false
}

// corsHeaders writes the headers of rule's answer to a request from origin.
func corsHeaders(h http.Header, rule *corsRule, origin string, headers []string, preflight bool) {
	if len(rule.AllowedOrigins) == 1 && rule.AllowedOrigins[0] == "*" {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if preflight && len(headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	if rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(int(*rule.MaxAgeSeconds)))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// corsForbidden is the refusal of a preflight that no rule allows.
func corsForbidden(r *Request, msg string) *Error {
	kind := "BUCKET"
	if r.Key != "" {
		kind = "OBJECT"
	}
	return errorf(AccessForbidden, "CORSResponse: %s", msg).
		With("Method", r.Header.Get("Access-Control-Request-Method")).With("ResourceType", kind)
}

// preflight answers a browser's OPTIONS request for r's bucket or object.
func preflight(s *Store, ctx context.Context, r *Request) (*Response, error) {
	origin, method := r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method")
	if origin == "" {
		return nil, errorf(BadRequest, "Insufficient information. Origin request header needed.")
	}
	if !corsMethods[method] {
		return nil, errorf(BadRequest, "Invalid Access-Control-Request-Method: %s", method)
	}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	var rules []corsRule
	if ok {
		rules = b.CORS
	}
	s.mu.RUnlock()
	switch {
	case !ok:
		return nil, noSuchBucket(r.Bucket)
	case len(rules) == 0:
		return nil, corsForbidden(r, "CORS is not enabled for this bucket.")
	}
	headers := requestedHeaders(r.Header.Get("Access-Control-Request-Headers"))
	rule := matchCORS(rules, origin, method, headers)
	if rule == nil {
		return nil, corsForbidden(r, "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
	}
	h := http.Header{}
	corsHeaders(h, rule, origin, headers, true)
	return &Response{Status: http.StatusOK, Header: h}, nil
}

// addCORS adds to the answer of a request that carries an Origin the headers of the rule of
// its bucket that allows it, if any.
func (s *Store) addCORS(r *Request, h http.Header) {
	origin := r.Header.Get("Origin")
	if origin == "" || r.Bucket == "" {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[r.Bucket]
	if !ok || len(b.CORS) == 0 {
		return
	}
	if rule := matchCORS(b.CORS, origin, r.Method, nil); rule != nil {
		corsHeaders(h, rule, origin, nil, false)
	}
}
