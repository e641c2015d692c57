package sigv2

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestStringToSign: a virtual-hosted PUT with subresources, another query parameter and a
// repeated x-amz header gives the string to sign that botocore 1.43's HmacV1Auth writes for
// it (canonical_string, compared by hand), and its signature verifies.
func TestStringToSign(t *testing.T) {
	r, _ := http.NewRequest("PUT", "http://b.s3.amazonaws.com/photos/a%20b.jpg?acl&x=1&versionId=v%2F1", nil)
	r.Header.Set("Content-Type", "image/jpeg")
	r.Header.Set("Date", "Tue, 27 Mar 2007 21:15:45 +0000")
	r.Header.Set("X-Amz-Meta-Colour", "blue")
	r.Header.Add("X-Amz-Meta-Colour", " red ")
	a := &Auth{AccessKeyID: "AKID"}
	got := StringToSign(r, a, "b")
	want := "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\nx-amz-meta-colour:blue,red\n/b/photos/a%20b.jpg?acl&versionId=v/1"
	if got != want {
		t.Fatalf("StringToSign =\n%q\nwant\n%q", got, want)
	}
	a.Signature = Sign("secret", want)
	a.Date, _ = http.ParseTime(r.Header.Get("Date"))
	if err := Verify(r, a, "secret", "b", a.Date.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := Verify(r, a, "other", "b", a.Date); err == nil {
		t.Fatal("a wrong secret verified")
	}
	if err := Verify(r, a, "secret", "b", a.Date.Add(time.Hour)); err == nil || err.(*Error).Code != "RequestTimeTooSkewed" {
		t.Fatalf("an old request: %v", err)
	}
}

// FuzzParse: any request parses and gives a string to sign without panicking.
func FuzzParse(f *testing.F) {
	f.Add("AWS AKID:c2ln", "/b/k", "AWSAccessKeyId=AKID&Expires=1&Signature=x")
	f.Add("", "/", "AWSAccessKeyId=AKID&Expires=abc&Signature=x")
	f.Add("AWS nocolon", "/b", "acl&uploads")
	f.Fuzz(func(t *testing.T, authz, path, rawQuery string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: path, RawQuery: rawQuery}, Header: http.Header{}}
		if authz != "" {
			r.Header.Set("Authorization", authz)
			r.Header.Set("Date", "Tue, 27 Mar 2007 21:15:45 GMT")
		}
		a, ok, err := Parse(r)
		if !ok || err != nil {
			return
		}
		_ = StringToSign(r, a, "")
	})
}
