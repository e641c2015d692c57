package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm  = "AWS4-HMAC-SHA256"
	terminator = "aws4_request"
	timeFormat = "20060102T150405Z"
	dateFormat = "20060102"

	// Payload hash values that are not the hash of the body.
	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingPayload         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingPayloadTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// Auth is what a request says about its signature, parsed without any secret.
// An Auth is a plain value; it is not modified by [Verify] and may be shared between goroutines.
type Auth struct {
	AccessKeyID   string
	Date          string // yyyymmdd of the credential scope
	Region        string
	Service       string // "iam", "sts", "ec2", "s3"
	SignedHeaders []string
	Signature     string
	SessionToken  string    // X-Amz-Security-Token, "" if none
	Time          time.Time // X-Amz-Date (or Date header)
	Presigned     bool
	Expires       time.Duration // presigned only; 0 when X-Amz-Expires is absent
	PayloadHash   string        // X-Amz-Content-Sha256 if present

	// amzDate is the X-Amz-Date value exactly as sent ("" when the time came from Date).
	amzDate string
}

// Scope returns the credential scope, "20150830/us-east-1/iam/aws4_request".
func (a *Auth) Scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + terminator
}

// CheckScope reports, as an [Error] of Kind [Scope], a credential scope that names another
// service than service, or a region outside regions (when regions is not empty). IAM, for
// instance, is signed for us-east-1 only.
func (a *Auth) CheckScope(service string, regions ...string) error {
	if a.Service != service {
		if isS3(service) {
			return &Error{Kind: Scope, Presigned: a.Presigned, Message: "The authorization header is malformed; incorrect service \"" + a.Service + "\". This endpoint belongs to \"" + service + "\"."}
		}
		return &Error{Kind: Scope, Presigned: a.Presigned, Message: "Credential should be scoped to correct service: '" + service + "'. "}
	}
	if len(regions) == 0 {
		return nil
	}
	for _, r := range regions {
		if a.Region == r {
			return nil
		}
	}
	if isS3(service) {
		return &Error{Kind: Scope, Presigned: a.Presigned, Message: "The authorization header is malformed; the region '" + a.Region + "' is wrong; expecting '" + regions[0] + "'"}
	}
	return &Error{Kind: Scope, Presigned: a.Presigned, Message: "Credential should be scoped to a valid region, not '" + a.Region + "'. "}
}

// Parse reads the signature fields of r: the Authorization header, or the X-Amz-* query
// parameters of a presigned URL. A request with no signature at all returns [ErrNoAuth].
// Other failures are an [*Error] of Kind [Incomplete] with AWS's message. Parse reads neither
// r.Body nor any secret.
func Parse(r *http.Request) (*Auth, error) {
	authz, hasHeader := headerValue(r.Header, "Authorization")
	var query url.Values
	if r.URL != nil && r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	hasQuery := query.Has("X-Amz-Algorithm") || query.Has("X-Amz-Credential") || query.Has("X-Amz-Signature")
	switch {
	case hasHeader && hasQuery:
		return nil, &Error{Kind: Unsupported, Message: msgTwoAuth, Argument: "Authorization", Value: authz}
	case hasHeader:
		return parseHeader(r, authz)
	case hasQuery:
		return parseQuery(r, query)
	}
	return nil, ErrNoAuth
}

func parseHeader(r *http.Request, authz string) (*Auth, error) {
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	rest, ok := strings.CutPrefix(authz, algorithm+" ")
	if ok {
		for part := range strings.SplitSeq(rest, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			k, v, found := strings.Cut(part, "=")
			if !found {
				return nil, incomplete(false, "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, authz)
			}
			switch k {
			case "Credential":
				if !haveCred {
					cred, haveCred = v, true
				}
			case "SignedHeaders":
				if !haveSigned {
					signed, haveSigned = v, true
				}
			case "Signature":
				if !haveSig {
					sig, haveSig = v, true
				}
			}
		}
	}
	amzDate, haveAmzDate := headerValue(r.Header, "X-Amz-Date")
	var httpDate string
	var haveDate bool
	if !haveAmzDate { // the Date header counts only without X-Amz-Date
		httpDate, haveDate = headerValue(r.Header, "Date")
	}
	if !haveCred || !haveSigned || !haveSig || !(haveAmzDate || haveDate) {
		if service := serviceOf(cred); isS3(service) {
			if !haveAmzDate && !haveDate && haveCred && haveSigned && haveSig {
				return nil, &Error{Kind: Undated, Message: msgNoDateS3}
			}
			return nil, &Error{Kind: Incomplete, Message: msgHeaderS3}
		}
		var msg strings.Builder
		for _, m := range []struct {
			ok   bool
			text string
		}{
			{haveCred, "Authorization header requires 'Credential' parameter. "},
			{haveSig, "Authorization header requires 'Signature' parameter. "},
			{haveSigned, "Authorization header requires 'SignedHeaders' parameter. "},
			{haveAmzDate || haveDate, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "},
		} {
			if !m.ok {
				msg.WriteString(m.text)
			}
		}
		msg.WriteString("Authorization=" + authz)
		if !ok {
			// Another scheme than AWS4-HMAC-SHA256 (Bearer, AWS4-HMAC-SHA512, garbage).
			return nil, &Error{Kind: Unsupported, Message: msg.String(), S3Message: msgTypeS3, Argument: "Authorization", Value: authz}
		}
		return nil, &Error{Kind: Incomplete, Message: msg.String()}
	}
	a := &Auth{Signature: sig}
	if err := a.setCredential(cred, false); err != nil {
		return nil, err
	}
	if err := a.setTime(amzDate, haveAmzDate, httpDate, false); err != nil {
		return nil, err
	}
	if signed != "" {
		a.SignedHeaders = strings.Split(signed, ";")
	}
	a.SessionToken, _ = headerValue(r.Header, "X-Amz-Security-Token")
	a.PayloadHash, _ = headerValue(r.Header, "X-Amz-Content-Sha256")
	return a, nil
}

func parseQuery(r *http.Request, q url.Values) (*Auth, error) {
	service := serviceOf(q.Get("X-Amz-Credential"))
	required := []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders"}
	if isS3(service) {
		required = append(required, "X-Amz-Expires")
	}
	for _, k := range required {
		if !q.Has(k) {
			if isS3(service) {
				return nil, &Error{Kind: Incomplete, Message: msgQueryS3, Presigned: true}
			}
			return nil, incomplete(true, "AWS query-string parameters must include '%s'. Re-examine the query-string parameters.", k)
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return nil, incomplete(true, "X-Amz-Algorithm only supports \"%s\"", algorithm)
	}
	a := &Auth{Presigned: true, Signature: q.Get("X-Amz-Signature")}
	if err := a.setCredential(q.Get("X-Amz-Credential"), true); err != nil {
		return nil, err
	}
	if err := a.setTime(q.Get("X-Amz-Date"), true, "", true); err != nil {
		return nil, err
	}
	if q.Has("X-Amz-Expires") {
		n, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
		switch {
		case err != nil:
			return nil, incomplete(true, "X-Amz-Expires should be a number")
		case n < 0:
			return nil, incomplete(true, "X-Amz-Expires must be non-negative")
		case n > int64(maxExpires/time.Second):
			return nil, incomplete(true, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		a.Expires = time.Duration(n) * time.Second
	}
	if s := q.Get("X-Amz-SignedHeaders"); s != "" {
		a.SignedHeaders = strings.Split(s, ";")
	}
	a.SessionToken = q.Get("X-Amz-Security-Token")
	a.PayloadHash = q.Get("X-Amz-Content-Sha256")
	return a, nil
}

// setCredential parses "AKID/20150830/us-east-1/iam/aws4_request".
func (a *Auth) setCredential(cred string, presigned bool) error {
	parts, ok := credentialParts(cred)
	s3 := ok && isS3(parts[3])
	if !ok {
		return incomplete(presigned, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	if parts[4] != terminator {
		if s3 {
			return incomplete(presigned, "The authorization header is malformed; incorrect terminal \"%s\". This endpoint uses \"%s\".", parts[4], terminator)
		}
		return incomplete(presigned, "Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, parts[4])
	}
	if parts[2] == "" {
		if s3 {
			return incomplete(presigned, "The authorization header is malformed; the region '' is wrong; expecting 'us-east-1'")
		}
		return incomplete(presigned, "Credential should be scoped to a valid region, not ''. ")
	}
	if parts[3] == "" {
		return incomplete(presigned, "Credential should be scoped to correct service: ''. ")
	}
	if !isDate(parts[1]) {
		if s3 {
			return incomplete(presigned, "The authorization header is malformed; Invalid credential date \"%s\". This date is not the same as X-Amz-Date: \"\".", parts[1])
		}
		return incomplete(presigned, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", parts[1])
	}
	a.AccessKeyID, a.Date, a.Region, a.Service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

// setTime reads X-Amz-Date (or, for header authentication only, the HTTP Date header) and checks
// it against the date of the credential scope.
func (a *Auth) setTime(amzDate string, haveAmzDate bool, httpDate string, presigned bool) error {
	if haveAmzDate {
		t, ok := parseAmzDate(amzDate)
		if !ok {
			var err error
			if t, err = time.Parse(timeFormat, amzDate); err == nil && t.Format(timeFormat) != amzDate {
				err = errNotCanonical
			}
			ok = err == nil
		}
		if !ok {
			switch {
			case presigned && isS3(a.Service):
				return incomplete(true, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
			case isS3(a.Service):
				return &Error{Kind: Undated, Message: msgNoDateS3}
			}
			return incomplete(presigned, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate)
		}
		a.Time, a.amzDate = t, amzDate
	} else {
		t, err := http.ParseTime(httpDate)
		if err != nil {
			if isS3(a.Service) {
				return &Error{Kind: Undated, Message: msgNoDateS3}
			}
			return incomplete(false, "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", httpDate)
		}
		a.Time = t.UTC()
	}
	var buf [len(dateFormat)]byte
	if d := a.Time.AppendFormat(buf[:0], dateFormat); string(d) != a.Date {
		if isS3(a.Service) {
			return incomplete(presigned, "The authorization header is malformed; Invalid credential date \"%s\". This date is not the same as X-Amz-Date: \"%s\".", a.Date, string(d))
		}
		from := amzDate
		if !haveAmzDate {
			from = a.Time.Format(timeFormat)
		}
		return incomplete(presigned, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, string(d), from)
	}
	return nil
}

// serviceOf returns the service of a credential string, "" if it has none.
func serviceOf(cred string) string {
	parts, ok := credentialParts(cred)
	if !ok {
		return ""
	}
	return parts[3]
}

// credentialParts splits a credential at '/', reporting whether it has exactly 5 parts.
func credentialParts(cred string) (parts [5]string, ok bool) {
	for i := range 4 {
		var found bool
		if parts[i], cred, found = strings.Cut(cred, "/"); !found {
			return parts, false
		}
	}
	parts[4] = cred
	return parts, strings.IndexByte(cred, '/') < 0
}

// headerValue returns the first value of the header name, looked up without regard to case so
// that requests built in-process with non-canonical keys are read like those from the wire.
func headerValue(h http.Header, name string) (string, bool) {
	if v, ok := h[name]; ok && len(v) > 0 {
		return v[0], true
	}
	for k, v := range h {
		if len(v) > 0 && len(k) == len(name) && strings.EqualFold(k, name) {
			return v[0], true
		}
	}
	return "", false
}

var errNotCanonical = errors.New("not in the canonical format")

// isDate reports whether s is a date as dateFormat writes it, 20060102, that time.Parse
// accepts: eight digits naming a day of the calendar. (time.Parse costs more, on every request.)
func isDate(s string) bool {
	if len(s) != len(dateFormat) {
		return false
	}
	n := 0
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// parseAmzDate reads "20060102T150405Z" as time.Parse(timeFormat, s) does, for s that are
// exactly that formatting of a time; it reports false for any other s (which time.Parse then
// reads, to refuse it with its own error).
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(timeFormat) || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	var f [6]int
	for i, span := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
		for j := span[0]; j < span[1]; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			f[i] = f[i]*10 + int(c-'0')
		}
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
	if t.Year() != f[0] || int(t.Month()) != f[1] || t.Day() != f[2] || t.Hour() != f[3] || t.Minute() != f[4] || t.Second() != f[5] {
		return time.Time{}, false // out of range: 20261332T…, 24:00:00, 23:59:60
	}
	return t, true
}
