package s3sim

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The seed corpora of these fuzz tests are in testdata/fuzz/<name>.

// FuzzParseRange: a Range header never panics, a satisfiable range lies within the object,
// and the only error is InvalidRange.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-4", "bytes=7-", "bytes=-5", "bytes=0-0,2-3", "bytes=9-1", "bytes=-0", "items=1-2", "bytes= 3 - 4", ""} {
		f.Add(s, int64(22))
	}
	f.Add("bytes=0-", int64(0))
	f.Fuzz(func(t *testing.T, v string, size int64) {
		if size < 0 {
			size = -size
		}
		if size < 0 {
			return
		}
		start, end, partial, err := parseRange(v, size)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != "InvalidRange" || e.Status != 416 {
				t.Fatalf("parseRange(%q, %d): %v", v, size, err)
			}
			return
		}
		if partial && (start < 0 || end < start || end >= size) {
			t.Fatalf("parseRange(%q, %d) = %d-%d", v, size, start, end)
		}
	})
}

// FuzzParseCopySource: x-amz-copy-source never panics, and a parsed source, encoded again
// as the SDK encodes it, parses to the same bucket, key and version.
func FuzzParseCopySource(f *testing.F) {
	for _, s := range []string{"bucket/key", "/bucket/dir/a%20b.txt", "bucket/key?versionId=abc", "bucket", "/", "b/k?versionId=", "b/%zz", "b/k?x=%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		src, err := parseCopySource(v)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 {
				t.Fatalf("parseCopySource(%q): %v", v, err)
			}
			return
		}
		if src.Bucket == "" || src.Key == "" {
			t.Fatalf("parseCopySource(%q) = %+v", v, src)
		}
		again := url.PathEscape(src.Bucket + "/" + src.Key)
		if src.VersionID != "" {
			again += "?versionId=" + url.QueryEscape(src.VersionID)
		}
		back, err := parseCopySource(again)
		if err != nil || back != src {
			t.Fatalf("%q → %+v → %q → %+v, %v", v, src, again, back, err)
		}
	})
}

// FuzzParseHost: any Host parses without panicking, and a valid bucket name in a
// virtual-hosted or website host comes back as itself.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"b.s3.amazonaws.com", "my.bucket.s3.eu-west-1.amazonaws.com:443", "s3.amazonaws.com", "site.s3-website-us-east-1.localhost:4566",
		"site.s3-website.eu-central-1.amazonaws.com", "127.0.0.1:9000", "[::1]:80", "b.localhost", "s3.dualstack.us-east-1.amazonaws.com", "a.s3-us-west-2.amazonaws.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		e := ParseHost(host)
		if e.Bucket != "" && !e.S3 {
			t.Fatalf("ParseHost(%q) = %+v: a bucket from a host that is not S3's", host, e)
		}
		if !ValidBucketName(host) {
			return
		}
		hosts := []string{host + ".s3.amazonaws.com", host + ".s3.us-west-2.amazonaws.com", host + ".s3-website-us-east-1.amazonaws.com", host + ".s3.localhost"}
		// "x.s3.localhost" is bucket x's S3 host before it is bucket x.s3's localhost one: a
		// name with a label like S3's is not read back from bucket.localhost.
		if !strings.HasPrefix(host, "s3") && !strings.Contains(host, ".s3") {
			hosts = append(hosts, host+".localhost:9000")
		}
		for _, h := range hosts {
			if got := ParseHost(h); got.Bucket != host {
				t.Fatalf("ParseHost(%q) = %+v, want bucket %q", h, got, host)
			}
		}
	})
}

// FuzzRoute: any method, path, query and header resolve to an operation of the table, or
// to none.
func FuzzRoute(f *testing.F) {
	f.Add("GET", "/b/k", "uploadId=1", "")
	f.Add("PUT", "/b/k", "partNumber=1&uploadId=2", "b/src")
	f.Add("GET", "/b", "list-type=2&prefix=a", "")
	f.Add("POST", "/b", "delete", "")
	f.Add("DELETE", "/", "", "")
	f.Fuzz(func(t *testing.T, method, path, rawQuery, copySource string) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		h := http.Header{}
		if copySource != "" {
			h.Set("X-Amz-Copy-Source", copySource)
		}
		op := Operation(method, TargetOf(Endpoint{}, path), q, h)
		if op == "" {
			return
		}
		if _, ok := actions[op]; !ok && !strings.HasPrefix(action(op, false), "s3:") {
			t.Fatalf("%s has no action", op)
		}
	})
}

// FuzzRequestBodies sends any body to each operation that decodes one, as the root, on a
// bucket that exists: the answer is a success or a client error, never a panic or a 5xx.
func FuzzRequestBodies(f *testing.F) {
	seeds := map[string]string{
		"website":           `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith>b/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
		"tagging":           `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`,
		"delete":            `<Delete><Quiet>true</Quiet><Object><Key>a</Key><VersionId>null</VersionId></Object></Delete>`,
		"uploadId":          `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`,
		"versioning":        `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`,
		"publicAccessBlock": `<PublicAccessBlockConfiguration><BlockPublicPolicy>false</BlockPublicPolicy></PublicAccessBlockConfiguration>`,
		"ownershipControls": `<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`,
		"policy":            `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::fuzz/*"}]}`,
		"acl":               `<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>x</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
		"":                  `<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
	}
	for sub, body := range seeds {
		f.Add(sub, []byte(body))
	}
	f.Fuzz(func(t *testing.T, sub string, body []byte) {
		s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Unix(1700000000, 0) }), core.NewIDs(1))
		root := &core.Caller{Kind: core.Root, Account: "123456789012", ARN: "arn:aws:iam::123456789012:root"}
		allow := func(Access) error { return nil }
		serve := func(method, bucket, key, rawQuery string, body []byte) {
			q, _ := url.ParseQuery(rawQuery)
			sum := md5.Sum(body)
			h := http.Header{"Content-Md5": {base64.StdEncoding.EncodeToString(sum[:])}}
			r := &Request{Method: method, Target: Target{bucket, key}, Query: q, Header: h, Body: body, Region: "us-east-1", Caller: root, Authorize: allow}
			_, err := serveRequest(s, r)
			if err != nil && AsError(err).Status >= 500 && AsError(err).Code != "NotImplemented" {
				t.Fatalf("%s %s/%s?%s with %q: %v", method, bucket, key, rawQuery, body, err)
			}
		}
		serve("PUT", "fuzz", "", "", nil)
		up := ""
		if sub == "uploadId" {
			resp, err := serveRequest(s, &Request{Method: "POST", Target: Target{"fuzz", "k"}, Query: url.Values{"uploads": {""}}, Header: http.Header{}, Caller: root, Authorize: allow})
			if err != nil {
				t.Fatal(err)
			}
			_, id, _ := strings.Cut(string(resp.Body), "<UploadId>")
			up, _, _ = strings.Cut(id, "</UploadId>")
		}
		switch sub {
		case "":
			serve("PUT", "other", "", "", body)
		case "delete":
			serve("POST", "fuzz", "", "delete", body)
		case "uploadId":
			serve("POST", "fuzz", "k", "uploadId="+url.QueryEscape(up), body)
		case "tagging":
			serve("PUT", "fuzz", "", "tagging", body)
			serve("PUT", "fuzz", "k", "", []byte("x"))
			serve("PUT", "fuzz", "k", "tagging", body)
		default:
			serve("PUT", "fuzz", "", url.QueryEscape(sub), body)
		}
	})
}

// serve routes r and runs it as the door would once it is authorized.
func serveRequest(s *Store, r *Request) (*Response, error) {
	rt, ok := match(r.Method, r.Target, r.Query, r.Header)
	if !ok {
		return nil, methodNotAllowed(r)
	}
	r.op = rt
	if err := s.checkBucket(r); err != nil {
		return nil, err
	}
	out, err := handlerOf{s}.Call(context.Background(), rt.op, r)
	if err != nil {
		return nil, err
	}
	return out.(*Response), nil
}

// FuzzTaggingHeader: x-amz-tagging never panics, and what it takes is within the limits.
func FuzzTaggingHeader(f *testing.F) {
	for _, s := range []string{"a=b", "a=b&c=d", "a%20b=c%3D", "=v", "a=b&a=c", "aws%3Ax=1", "%zz=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tags, err := parseTaggingHeader(v)
		if err != nil {
			return
		}
		if checkTags(tags, maxObjectTags, true) != nil {
			t.Fatalf("parseTaggingHeader(%q) took tags that checkTags refuses: %+v", v, tags)
		}
	})
}
