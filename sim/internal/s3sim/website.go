package s3sim

import (
	"context"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// WebsiteConfiguration is a bucket's static website configuration, as PutBucketWebsite
// takes it.
type WebsiteConfiguration struct {
	ErrorDocument         *ErrorDocument `xml:"ErrorDocument,omitempty"`
	IndexDocument         *IndexDocument `xml:"IndexDocument,omitempty"`
	RedirectAllRequestsTo *RedirectAll   `xml:"RedirectAllRequestsTo,omitempty"`
	RoutingRules          []RoutingRule  `xml:"RoutingRules>RoutingRule,omitempty"`
}

type ErrorDocument struct {
	Key string `xml:"Key"`
}

type IndexDocument struct {
	Suffix string `xml:"Suffix"`
}

type RedirectAll struct {
	HostName string `xml:"HostName"`
	Protocol string `xml:"Protocol,omitempty"`
}

type RoutingRule struct {
	Condition *RoutingCondition `xml:"Condition,omitempty"`
	Redirect  RoutingRedirect   `xml:"Redirect"`
}

type RoutingCondition struct {
	HTTPErrorCodeReturnedEquals string `xml:"HttpErrorCodeReturnedEquals,omitempty"`
	KeyPrefixEquals             string `xml:"KeyPrefixEquals,omitempty"`
}

type RoutingRedirect struct {
	HostName             string `xml:"HostName,omitempty"`
	HTTPRedirectCode     string `xml:"HttpRedirectCode,omitempty"`
	Protocol             string `xml:"Protocol,omitempty"`
	ReplaceKeyPrefixWith string `xml:"ReplaceKeyPrefixWith,omitempty"`
	ReplaceKeyWith       string `xml:"ReplaceKeyWith,omitempty"`
}

// websiteOut is GetBucketWebsite's answer: the configuration without an empty RoutingRules,
// which encoding/xml writes for an empty list under a path ("RoutingRules>RoutingRule") even
// with omitempty, and which AWS leaves out.
type websiteOut struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ WebsiteConfiguration"`
	ErrorDocument         *ErrorDocument `xml:"ErrorDocument,omitempty"`
	IndexDocument         *IndexDocument `xml:"IndexDocument,omitempty"`
	RedirectAllRequestsTo *RedirectAll   `xml:"RedirectAllRequestsTo,omitempty"`
	RoutingRules          *routingRules  `xml:"RoutingRules,omitempty"`
}

type routingRules struct {
	Rules []RoutingRule `xml:"RoutingRule"`
}

// maxRoutingRules is the most routing rules a website configuration takes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html
const maxRoutingRules = 50

func checkWebsite(c *WebsiteConfiguration) error {
	if c.RedirectAllRequestsTo != nil {
		if c.IndexDocument != nil || c.ErrorDocument != nil || len(c.RoutingRules) > 0 {
			return invalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.", "RedirectAllRequestsTo", "not null")
		}
		if c.RedirectAllRequestsTo.HostName == "" {
			return malformedXML()
		}
		if p := c.RedirectAllRequestsTo.Protocol; p != "" && p != "http" && p != "https" {
			return invalidArgument("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.", "Protocol", p)
		}
		return nil
	}
	if c.IndexDocument == nil {
		return invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "null")
	}
	if sfx := c.IndexDocument.Suffix; sfx == "" || strings.Contains(sfx, "/") {
		return invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", sfx)
	}
	if c.ErrorDocument != nil && c.ErrorDocument.Key == "" {
		return invalidArgument("The ErrorDocument Key is not well formed", "ErrorDocument", "")
	}
	if len(c.RoutingRules) > maxRoutingRules {
		return invalidArgument("The number of routing rules must not exceed the allowed limit of 50.", "RoutingRules", strconv.Itoa(len(c.RoutingRules)))
	}
	for _, rr := range c.RoutingRules {
		rd := rr.Redirect
		if rd.ReplaceKeyPrefixWith != "" && rd.ReplaceKeyWith != "" {
			return invalidArgument("You can only define ReplaceKeyPrefix or ReplaceKey but not both.", "Redirect", "ReplaceKeyPrefixWith")
		}
		if code := rd.HTTPRedirectCode; code != "" {
			if n, err := strconv.Atoi(code); err != nil || n < 300 || n > 399 {
				return invalidArgument("The provided HTTP redirect code ("+code+") is not valid. Valid codes are 3XX except 300.", "HttpRedirectCode", code)
			}
		}
	}
	return nil
}

func putBucketWebsite(s *Store, ctx context.Context, r *Request) (*Response, error) {
	var in WebsiteConfiguration
	if err := decodeXML(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkWebsite(&in); err != nil {
		return nil, err
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Website = &in
		return empty(http.StatusOK), nil
	})
}

func getBucketWebsite(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		if b.Website == nil {
			return nil, noWebsite(b.Name)
		}
		w := b.Website
		out := websiteOut{ErrorDocument: w.ErrorDocument, IndexDocument: w.IndexDocument, RedirectAllRequestsTo: w.RedirectAllRequestsTo}
		if len(w.RoutingRules) > 0 {
			out.RoutingRules = &routingRules{w.RoutingRules}
		}
		return xmlResponse(out)
	})
}

func deleteBucketWebsite(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		b.Website = nil
		return empty(http.StatusNoContent), nil
	})
}

func noWebsite(name string) *Error {
	return errorf(NoSuchWebsiteConfiguration, "The specified bucket does not have a website configuration").With("BucketName", name)
}

// ServeWebsite answers a request to the website endpoint of bucket r.Bucket as AWS's website
// endpoints do: anonymous GET and HEAD only, each object authorized as an anonymous
// s3:GetObject by the bucket policy; the index document for the root and for keys ending in
// '/'; a redirect from "dir" to "dir/" when dir/ has an index document; routing rules;
// the error document, else an HTML error page. requestID and hostID go into error pages.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/CustomErrorDocSupport.html
func (s *Store) ServeWebsite(ctx context.Context, r *Request, requestID, hostID string) *Response {
	fail := func(e *Error) *Response { return websiteError(r, e, requestID, hostID) }
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return fail(errorf(MethodNotAllowed, "The specified method is not allowed against this resource.").With("Method", r.Method).With("ResourceType", "OBJECT"))
	}
	s.mu.RLock()
	b, ok := s.buckets[r.Bucket]
	var cfg *WebsiteConfiguration
	if ok && b.Website != nil {
		c := *b.Website
		cfg = &c
	}
	s.mu.RUnlock()
	switch {
	case !ok:
		return fail(noSuchBucket(r.Bucket))
	case cfg == nil:
		return fail(noWebsite(r.Bucket))
	case cfg.RedirectAllRequestsTo != nil:
		proto := cfg.RedirectAllRequestsTo.Protocol
		if proto == "" {
			proto = "http"
		}
		return redirect(http.StatusMovedPermanently, proto+"://"+cfg.RedirectAllRequestsTo.HostName+"/"+escapeKey(r.Key))
	}
	key := r.Key
	if key == "" || strings.HasSuffix(key, "/") {
		key += cfg.IndexDocument.Suffix
	}
	if rr := matchRule(cfg.RoutingRules, key, 0); rr != nil {
		return ruleRedirect(r, rr, key)
	}
	resp, status, err := s.websiteObject(ctx, r, b, key)
	if err == nil {
		return resp
	}
	// "dir" without its slash, when dir/index.html exists: a redirect to "dir/".
	if status == http.StatusNotFound && key == r.Key && !strings.HasSuffix(key, "/") {
		if _, _, ierr := s.websiteObject(ctx, r, b, key+"/"+cfg.IndexDocument.Suffix); ierr == nil {
			return redirect(http.StatusFound, "/"+escapeKey(key)+"/")
		}
	}
	if rr := matchRule(cfg.RoutingRules, key, status); rr != nil {
		return ruleRedirect(r, rr, key)
	}
	if cfg.ErrorDocument != nil {
		if doc, _, derr := s.websiteObject(ctx, r, b, cfg.ErrorDocument.Key); derr == nil {
			doc.Status = status
			return doc
		}
	}
	return fail(err)
}

// websiteObject answers an anonymous GET of key, returning the error status on failure.
func (s *Store) websiteObject(ctx context.Context, r *Request, b *bucket, key string) (*Response, int, *Error) {
	q := &Request{Method: r.Method, Target: Target{r.Bucket, key}, Query: url.Values{}, Header: r.Header, Caller: r.Caller,
		Authorize: r.Authorize, op: &route{op: "GetObject", path: onObject}}
	if err := r.Authorize(s.access(q, "s3:GetObject", q.Target)); err != nil {
		return nil, http.StatusForbidden, errorf(AccessDenied, msgAccessDenied)
	}
	s.mu.RLock()
	o, err := s.lookup(b, q)
	s.mu.RUnlock()
	if err != nil {
		if aerr := r.Authorize(s.access(q, "s3:ListBucket", Target{Bucket: r.Bucket})); aerr != nil {
			return nil, http.StatusForbidden, errorf(AccessDenied, msgAccessDenied)
		}
		e := AsError(err)
		e.Header = nil
		return nil, e.Status, e
	}
	if o.WebsiteRedirect != "" {
		return redirect(http.StatusMovedPermanently, o.WebsiteRedirect), 0, nil
	}
	resp, rerr := s.objectResponse(q, o, false)
	if rerr != nil {
		e := AsError(rerr)
		return nil, e.Status, e
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	return resp, 0, nil
}

// matchRule returns the first routing rule whose condition holds for key (and, with status
// other than 0, for that error status), or nil.
func matchRule(rules []RoutingRule, key string, status int) *RoutingRule {
	for i := range rules {
		rr := &rules[i]
		c := rr.Condition
		if c == nil {
			if status == 0 {
				return rr
			}
			continue
		}
		if c.HTTPErrorCodeReturnedEquals != "" {
			if status == 0 || c.HTTPErrorCodeReturnedEquals != strconv.Itoa(status) {
				continue
			}
		} else if status != 0 {
			continue
		}
		if c.KeyPrefixEquals != "" && !strings.HasPrefix(key, c.KeyPrefixEquals) {
			continue
		}
		return rr
	}
	return nil
}

func ruleRedirect(r *Request, rr *RoutingRule, key string) *Response {
	rd := rr.Redirect
	newKey := key
	switch {
	case rd.ReplaceKeyWith != "":
		newKey = rd.ReplaceKeyWith
	case rd.ReplaceKeyPrefixWith != "" || rr.Condition != nil && rr.Condition.KeyPrefixEquals != "":
		prefix := ""
		if rr.Condition != nil {
			prefix = rr.Condition.KeyPrefixEquals
		}
		newKey = rd.ReplaceKeyPrefixWith + strings.TrimPrefix(key, prefix)
	}
	code := http.StatusMovedPermanently
	if n, err := strconv.Atoi(rd.HTTPRedirectCode); err == nil {
		code = n
	}
	loc := "/" + escapeKey(newKey)
	if rd.HostName != "" || rd.Protocol != "" {
		host, proto := rd.HostName, rd.Protocol
		if host == "" {
			host = r.Header.Get("Host")
		}
		if proto == "" {
			proto = "http"
		}
		loc = proto + "://" + host + loc
	}
	return redirect(code, loc)
}

func redirect(code int, loc string) *Response {
	return &Response{Status: code, Header: http.Header{"Location": {loc}, "Content-Length": {"0"}}}
}

func escapeKey(k string) string {
	return strings.ReplaceAll(url.PathEscape(k), "%2F", "/")
}

// websiteError is the HTML page a website endpoint answers an error with.
func websiteError(r *Request, e *Error, requestID, hostID string) *Response {
	title := strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
	var b strings.Builder
	b.WriteString("<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n<ul>\n")
	b.WriteString("<li>Code: " + html.EscapeString(string(e.Code)) + "</li>\n")
	b.WriteString("<li>Message: " + html.EscapeString(e.Message) + "</li>\n")
	for _, f := range e.Fields {
		b.WriteString("<li>" + f[0] + ": " + html.EscapeString(f[1]) + "</li>\n")
	}
	b.WriteString("<li>RequestId: " + requestID + "</li>\n<li>HostId: " + hostID + "</li>\n</ul>\n<hr/>\n</body>\n</html>\n")
	body := []byte(b.String())
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(body))}}
	if r.Method == http.MethodHead {
		body = nil
	}
	return &Response{Status: e.Status, Header: h, Body: body}
}

// dashRegions are the regions whose website endpoints are s3-website-<region>; the others'
// are s3-website.<region>.
// https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints
var dashRegions = map[string]bool{
	"us-east-1": true, "us-west-1": true, "us-west-2": true, "ap-southeast-1": true, "ap-southeast-2": true,
	"ap-northeast-1": true, "eu-west-1": true, "sa-east-1": true, "us-gov-west-1": true,
}

// WebsiteEndpoint returns the URL of bucket's website endpoint in region, as AWS names it.
func WebsiteEndpoint(bucket, region string) string {
	if dashRegions[region] {
		return "http://" + bucket + ".s3-website-" + region + ".amazonaws.com"
	}
	return "http://" + bucket + ".s3-website." + region + ".amazonaws.com"
}

// Region returns the region of the bucket called name.
func (s *Store) Region(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[name]
	if !ok {
		return "", false
	}
	return b.Region, true
}
