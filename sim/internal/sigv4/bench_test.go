package sigv4

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// BenchmarkParseVerifyIAM is Parse and Verify of a typical IAM POST as a server receives it
// (Go SDK headers, a form body), with the derived signing key cached.
func BenchmarkParseVerifyIAM(b *testing.B) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	creds := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	r, body := overTheWire(b, signedIAM(b, creds, at, "Action=CreateUser&UserName=alice&Path=%2Fteam%2F&Version=2010-05-08"))
	b.ReportAllocs()
	for b.Loop() {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := Verify(r, body, a, creds.SecretAccessKey, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVerifyIAMColdKey is the same with a signing key derived on every call (a new
// secret each time): the cost the key cache saves.
func BenchmarkParseVerifyIAMColdKey(b *testing.B) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	creds := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}
	const n = 1024
	type req struct {
		r      *http.Request
		body   []byte
		secret string
	}
	reqs := make([]req, n)
	for i := range reqs {
		creds.SecretAccessKey = "secret" + strconv.Itoa(i)
		r, body := overTheWire(b, signedIAM(b, creds, at, "Action=GetUser&Version=2010-05-08"))
		reqs[i] = req{r, body, creds.SecretAccessKey}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := reqs[i%n]
		i++
		if i%n == 0 {
			keys.Lock()
			keys.m = nil
			keys.Unlock()
		}
		a, err := Parse(q.r)
		if err != nil {
			b.Fatal(err)
		}
		if err := Verify(q.r, q.body, a, q.secret, at); err != nil {
			b.Fatal(err)
		}
	}
}
