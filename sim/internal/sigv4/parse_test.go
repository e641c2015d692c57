package sigv4

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	const good = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
	tests := []struct {
		name, authz, date, query string
		kind                     Kind
		msg                      string
		code                     string // for the credential's service, or iam
	}{
		{name: "no auth", kind: NoAuth, msg: "Request is missing Authentication Token", code: "MissingAuthenticationToken"},
		{name: "bearer", authz: "Bearer x", date: "20260101T000000Z", kind: Unsupported, code: "IncompleteSignature",
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer x"},
		{name: "only credential, no date", authz: "AWS4-HMAC-SHA256 Credential=ABCDEF", kind: Incomplete, code: "IncompleteSignature",
			msg: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF"},
		{name: "missing equal sign", authz: "AWS4-HMAC-SHA256 Credential AKID/20260101/us-east-1/iam/aws4_request", date: "20260101T000000Z", kind: Incomplete,
			msg: "'Credential AKID/20260101/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential AKID/20260101/us-east-1/iam/aws4_request'."},
		{name: "four elements", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam, SignedHeaders=host, Signature=a", date: "20260101T000000Z", kind: Incomplete,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20260101/us-east-1/iam'"},
		{name: "terminator", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=a", date: "20260101T000000Z", kind: Incomplete,
			msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{name: "empty region", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101//iam/aws4_request, SignedHeaders=host, Signature=a", date: "20260101T000000Z", kind: Incomplete,
			msg: "Credential should be scoped to a valid region, not ''. "},
		{name: "date mismatch", authz: good, date: "20260102T000000Z", kind: Incomplete,
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000000Z'."},
		{name: "bad x-amz-date", authz: good, date: "2026-01-01T00:00:00Z", kind: Incomplete,
			msg: "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "both header and query", authz: good, date: "20260101T000000Z", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256", kind: Unsupported,
			msg: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"},
		{name: "query missing signature", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host", kind: Incomplete,
			msg: "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters."},
		{name: "s3 query missing expires", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=a", kind: Incomplete,
			msg: msgQueryS3, code: "AuthorizationQueryParametersError"},
		{name: "s3 expires over a week", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host&X-Amz-Signature=a", kind: Incomplete,
			msg: "X-Amz-Expires must be less than a week (in seconds) that is 604800", code: "AuthorizationQueryParametersError"},
		{name: "s3 expires not a number", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1h&X-Amz-SignedHeaders=host&X-Amz-Signature=a", kind: Incomplete,
			msg: "X-Amz-Expires should be a number", code: "AuthorizationQueryParametersError"},
		{name: "query algorithm", query: "X-Amz-Algorithm=AWS4-HMAC-SHA512&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=host&X-Amz-Signature=a", kind: Incomplete,
			msg: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", code: "AuthorizationQueryParametersError"},
		{name: "s3 header missing parts", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request", date: "20260101T000000Z", kind: Incomplete,
			msg: msgHeaderS3, code: "AuthorizationHeaderMalformed"},
		{name: "s3 bearer", authz: "Bearer x", date: "20260101T000000Z", kind: Unsupported, code: "InvalidArgument",
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer x"},
		{name: "s3 no date", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=a", kind: Undated, code: "AccessDenied", msg: msgNoDateS3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodGet, "https://iam.amazonaws.com/?"+tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.authz != "" {
				r.Header.Set("Authorization", tt.authz)
			}
			if tt.date != "" {
				r.Header.Set("X-Amz-Date", tt.date)
			}
			a, err := Parse(r)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Message != tt.msg {
				t.Fatalf("Parse = %+v, %v; want %v %q", a, err, tt.kind, tt.msg)
			}
			service := "iam"
			if tt.code == "AuthorizationQueryParametersError" || tt.code == "AuthorizationHeaderMalformed" || tt.code == "InvalidArgument" || tt.code == "AccessDenied" {
				service = "s3"
			}
			if tt.code != "" {
				if code, _ := e.Code(service); code != tt.code {
					t.Fatalf("Code(%s) = %s, want %s", service, code, tt.code)
				}
			}
			if tt.kind == NoAuth && !errors.Is(err, ErrNoAuth) {
				t.Fatal("errors.Is(err, ErrNoAuth) is false")
			}
		})
	}
}

func TestParseDateHeader(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://s3.amazonaws.com/b", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,SignedHeaders=date;host,Signature=abc")
	r.Header.Set("Date", "Fri, 24 May 2013 00:00:00 GMT")
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC); !a.Time.Equal(want) || a.Presigned || a.Scope() != "20130524/us-east-1/s3/aws4_request" {
		t.Fatalf("Parse = %+v", a)
	}
}

func TestCheckScope(t *testing.T) {
	a := &Auth{Service: "iam", Region: "us-west-2"}
	err := a.CheckScope("iam", "us-east-1")
	var e *Error
	if !errors.As(err, &e) || e.Kind != Scope || e.Message != "Credential should be scoped to a valid region, not 'us-west-2'. " {
		t.Fatalf("CheckScope = %v", err)
	}
	if code, status := e.Code("iam"); code != "SignatureDoesNotMatch" || status != 403 {
		t.Fatalf("Code = %s %d", code, status)
	}
	if err := a.CheckScope("sts"); err == nil || err.(*Error).Message != "Credential should be scoped to correct service: 'sts'. " {
		t.Fatalf("CheckScope(sts) = %v", err)
	}
	if err := (&Auth{Service: "ec2", Region: "eu-west-3"}).CheckScope("ec2"); err != nil {
		t.Fatalf("CheckScope(ec2) = %v", err)
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		service string
		kind    Kind
		code    string
		status  int
	}{
		{"iam", NoAuth, "MissingAuthenticationToken", 403},
		{"sts", Incomplete, "IncompleteSignature", 400},
		{"iam", Mismatch, "SignatureDoesNotMatch", 403},
		{"sts", Skewed, "SignatureDoesNotMatch", 403},
		{"ec2", Mismatch, "AuthFailure", 401},
		{"ec2", Skewed, "RequestExpired", 400},
		{"ec2", Expired, "RequestExpired", 400},
		{"s3", Mismatch, "SignatureDoesNotMatch", 403},
		{"s3", Expired, "AccessDenied", 403},
		{"s3", Skewed, "RequestTimeTooSkewed", 403},
		{"s3", NotYetValid, "AccessDenied", 403},
		{"s3", Incomplete, "AuthorizationHeaderMalformed", 400},
		{"s3", PayloadMismatch, "XAmzContentSHA256Mismatch", 400},
	}
	for _, tt := range tests {
		if code, status := Code(tt.service, tt.kind); code != tt.code || status != tt.status {
			t.Errorf("Code(%s, %v) = %s %d, want %s %d", tt.service, tt.kind, code, status, tt.code, tt.status)
		}
	}
}
