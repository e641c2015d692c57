package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzParseHeader: no input panics Parse or Verify; every refusal is an *Error; a parsed scope
// is the credential that was sent.
func FuzzParseHeader(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc", "20260101T000000Z", "", "/")
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,SignedHeaders=date;host,Signature=", "", "Fri, 24 May 2013 00:00:00 GMT", "/b/k%2Fx")
	f.Add("AWS4-HMAC-SHA256 ,,=,Credential=/////", "x", "y", "%zz")
	f.Fuzz(func(t *testing.T, authz, amzDate, date, path string) {
		r := &http.Request{Method: "POST", URL: &url.URL{Path: path, RawPath: path}, Header: http.Header{}, Host: "h"}
		r.Header.Set("Authorization", authz)
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
		}
		if date != "" {
			r.Header.Set("Date", date)
		}
		a, err := Parse(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("Parse error %v is not an *Error with a message", err)
			}
			return
		}
		cred, _, _ := strings.Cut(strings.SplitN(authz, "Credential=", 2)[1], ",")
		if got := a.AccessKeyID + "/" + a.Scope(); got != strings.TrimSpace(cred) {
			t.Fatalf("scope %q from credential %q", got, cred)
		}
		_ = Verify(r, []byte("x"), a, "secret", a.Time)
	})
}

// FuzzParseQuery: the presigned form.
func FuzzParseQuery(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
	f.Add("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=00&X-Amz-Security-Token=t")
	f.Add("X-Amz-Signature=&X-Amz-Expires=-1;&%")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/", RawQuery: rawQuery}, Header: http.Header{}, Host: "h"}
		a, err := Parse(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("Parse error %v is not an *Error with a message", err)
			}
			return
		}
		if !a.Presigned || a.Expires < 0 || a.Expires > 7*24*time.Hour {
			t.Fatalf("Parse = %+v", a)
		}
		_ = Verify(r, nil, a, "secret", a.Time)
	})
}
