package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3Versioning(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "versions")
			v, err := client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("versions")})
			if err != nil || v.Status != "" {
				t.Errorf("GetBucketVersioning of a new bucket: %v %q", err, v.Status)
			}
			if first := mustPut(t, client, "versions", "doc", "draft 0"); first.VersionId != nil {
				t.Errorf("unversioned PUT has version %q", aws.ToString(first.VersionId))
			}
			if _, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("versions"),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
				t.Fatal(err)
			}
			v1 := mustPut(t, client, "versions", "doc", "draft 1")
			v2 := mustPut(t, client, "versions", "doc", "draft 2")
			if aws.ToString(v1.VersionId) == "" || aws.ToString(v1.VersionId) == aws.ToString(v2.VersionId) {
				t.Fatalf("version IDs %q, %q", aws.ToString(v1.VersionId), aws.ToString(v2.VersionId))
			}
			c.Diverges(t, conformance.Moto, "moto answers the null version without its VersionId \"null\"")
			for id, want := range map[string]string{aws.ToString(v1.VersionId): "draft 1", "null": "draft 0", aws.ToString(v2.VersionId): "draft 2"} {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc"), VersionId: aws.String(id)})
				if err != nil {
					t.Fatalf("GetObject version %s: %v", id, err)
				}
				if got := readBody(t, out); got != want || aws.ToString(out.VersionId) != id {
					t.Errorf("version %s = %q (%s), want %q", id, got, aws.ToString(out.VersionId), want)
				}
			}
			del, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc")})
			if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
				t.Fatalf("DeleteObject in a versioned bucket: %v %+v", err, del)
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc")})
			wantS3Error(t, err, "NoSuchKey", 404)
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc"), VersionId: del.VersionId})
			wantS3Error(t, err, "MethodNotAllowed", 405)
			list, _ := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("versions")})
			if len(list.Contents) != 0 {
				t.Errorf("a deleted key is listed: %+v", list.Contents)
			}
			lv, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("versions")})
			if err != nil {
				t.Fatal(err)
			}
			if len(lv.Versions) != 3 || len(lv.DeleteMarkers) != 1 || !aws.ToBool(lv.DeleteMarkers[0].IsLatest) ||
				aws.ToString(lv.Versions[0].VersionId) != aws.ToString(v2.VersionId) || aws.ToString(lv.Versions[2].VersionId) != "null" {
				t.Errorf("ListObjectVersions: %d versions, %d markers", len(lv.Versions), len(lv.DeleteMarkers))
			}
			// Paged one at a time, the versions come in the same order.
			var ids []string
			p := s3.NewListObjectVersionsPaginator(client, &s3.ListObjectVersionsInput{Bucket: aws.String("versions"), MaxKeys: aws.Int32(1)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range page.Versions {
					ids = append(ids, aws.ToString(v.VersionId))
				}
				for _, m := range page.DeleteMarkers {
					ids = append(ids, "marker:"+aws.ToString(m.VersionId))
				}
			}
			want := fmt.Sprint([]string{"marker:" + aws.ToString(del.VersionId), aws.ToString(v2.VersionId), aws.ToString(v1.VersionId), "null"})
			if fmt.Sprint(ids) != want {
				t.Errorf("paged versions %v, want %v", ids, want)
			}
			// Deleting the marker brings the key back.
			if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc"), VersionId: del.VersionId}); err != nil {
				t.Fatal(err)
			}
			if out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versions"), Key: aws.String("doc")}); err != nil || readBody(t, out) != "draft 2" {
				t.Errorf("after removing the marker: %v", err)
			}
			_, err = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("versions")})
			wantS3Error(t, err, "BucketNotEmpty", 409)
			// Suspended: PUTs replace the null version.
			if _, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("versions"),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}}); err != nil {
				t.Fatal(err)
			}
			if s := mustPut(t, client, "versions", "doc", "draft 3"); aws.ToString(s.VersionId) != "null" {
				t.Errorf("suspended PUT version = %q", aws.ToString(s.VersionId))
			}
			lv, _ = client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("versions")})
			if len(lv.Versions) != 3 {
				t.Errorf("after a suspended PUT: %d versions, want 3", len(lv.Versions))
			}
		})
	})
}

func TestS3Tagging(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "tagged")
			_, err := client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tagged")})
			wantS3Error(t, err, "NoSuchTagSet", 404)
			if _, err := client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("tagged"),
				Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}}}); err != nil {
				t.Fatal(err)
			}
			bt, err := client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tagged")})
			if err != nil || len(bt.TagSet) != 1 || aws.ToString(bt.TagSet[0].Value) != "web" {
				t.Errorf("GetBucketTagging: %v %+v", err, bt)
			}
			_, err = client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("tagged"),
				Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}}})
			wantS3Error(t, err, "InvalidTag", 400)
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tagged"), Key: aws.String("o"), Body: strings.NewReader("x"),
				Tagging: aws.String("env=prod&owner=a%20b")}); err != nil {
				t.Fatal(err)
			}
			ot, err := client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tagged"), Key: aws.String("o")})
			if err != nil || len(ot.TagSet) != 2 || aws.ToString(ot.TagSet[1].Value) != "a b" {
				t.Errorf("GetObjectTagging: %v %+v", err, ot)
			}
			get, _ := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tagged"), Key: aws.String("o")})
			if aws.ToInt32(get.TagCount) != 2 {
				t.Errorf("TagCount = %d", aws.ToInt32(get.TagCount))
			}
			if _, err := client.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("tagged"), Key: aws.String("o")}); err != nil {
				t.Fatal(err)
			}
			ot, _ = client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tagged"), Key: aws.String("o")})
			if len(ot.TagSet) != 0 {
				t.Errorf("tags after delete: %+v", ot.TagSet)
			}
			if _, err := client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("tagged")}); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// websiteURL is the URL of a bucket's website endpoint on c (over loopback, with the
// s3-website host on localhost, dialled to the server).
func websiteURL(t *testing.T, c *conformance.Account, bucket, path string) string {
	if u := c.URL(); u != "" {
		port := u[strings.LastIndex(u, ":")+1:]
		return "http://" + bucket + ".s3-website-us-east-1.localhost:" + port + path
	}
	u, ok := c.Cloud(t).WebsiteURL(bucket)
	if !ok {
		t.Fatalf("WebsiteURL(%q): no such bucket", bucket)
	}
	return u + path
}

func TestS3Website(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "www.example.com")
		hc := c.HTTPClient()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		get := func(path string) (int, http.Header, string) {
			t.Helper()
			resp, err := hc.Get(websiteURL(t, c, "www.example.com", path))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp.StatusCode, resp.Header, b.String()
		}
		c.Diverges(t, conformance.Moto, "moto serves no website endpoint: bucket.s3-website-us-east-1.localhost gets the REST API")
		status, _, body := get("/")
		if status != 404 || !strings.Contains(body, "<li>Code: NoSuchWebsiteConfiguration</li>") {
			t.Errorf("no website configuration: %d %s", status, body)
		}
		_, err := client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("www.example.com")})
		wantS3Error(t, err, "NoSuchWebsiteConfiguration", 404)
		for _, o := range [][2]string{{"index.html", "<h1>home</h1>"}, {"docs/index.html", "<h1>docs</h1>"}, {"404.html", "<h1>lost</h1>"}, {"style.css", "body{}"}} {
			ct := "text/html"
			if strings.HasSuffix(o[0], ".css") {
				ct = "text/css"
			}
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("www.example.com"), Key: aws.String(o[0]), Body: strings.NewReader(o[1]), ContentType: aws.String(ct)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := client.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("www.example.com"), WebsiteConfiguration: &s3types.WebsiteConfiguration{
			IndexDocument: &s3types.IndexDocument{Suffix: aws.String("index.html")},
			ErrorDocument: &s3types.ErrorDocument{Key: aws.String("404.html")},
			RoutingRules: []s3types.RoutingRule{{Condition: &s3types.Condition{KeyPrefixEquals: aws.String("old/")},
				Redirect: &s3types.Redirect{ReplaceKeyPrefixWith: aws.String("docs/")}}},
		}}); err != nil {
			t.Fatal(err)
		}
		ws, err := client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("www.example.com")})
		if err != nil || aws.ToString(ws.IndexDocument.Suffix) != "index.html" || len(ws.RoutingRules) != 1 {
			t.Errorf("GetBucketWebsite: %v %+v", err, ws)
		}
		// Not public yet: 403 page.
		if status, _, body = get("/"); status != 403 || !strings.Contains(body, "<li>Code: AccessDenied</li>") {
			t.Errorf("private website: %d %s", status, body)
		}
		client.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("www.example.com")})
		if _, err := client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("www.example.com"), Policy: aws.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::www.example.com/*","arn:aws:s3:::www.example.com"]}]}`)}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			path, body, location, ctype string
			status                      int
		}{
			{"/", "<h1>home</h1>", "", "text/html", 200},
			{"/style.css", "body{}", "", "text/css", 200},
			{"/docs/", "<h1>docs</h1>", "", "text/html", 200},
			{"/docs", "", "/docs/", "", 302},
			{"/old/index.html", "", "/docs/index.html", "", 301},
			{"/missing", "<h1>lost</h1>", "", "text/html", 404},
		} {
			status, h, body := get(tc.path)
			if status != tc.status || body != tc.body || h.Get("Location") != tc.location || tc.ctype != "" && h.Get("Content-Type") != tc.ctype {
				t.Errorf("GET %s = %d %q (Location %q, type %q); want %d %q %q", tc.path, status, body, h.Get("Location"), h.Get("Content-Type"), tc.status, tc.body, tc.location)
			}
		}
		// Without an error document: S3's HTML page.
		if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("www.example.com"), Key: aws.String("404.html")}); err != nil {
			t.Fatal(err)
		}
		if status, h, body := get("/nothing"); status != 404 || !strings.Contains(body, "<title>404 Not Found</title>") ||
			!strings.Contains(body, "<li>Code: NoSuchKey</li>") || !strings.Contains(body, "<li>Key: nothing</li>") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("missing page = %d %s", status, body)
		}
		req, _ := http.NewRequest("PUT", websiteURL(t, c, "www.example.com", "/x"), strings.NewReader("x"))
		if resp, err := hc.Do(req); err != nil || resp.StatusCode != 405 {
			t.Errorf("PUT to a website endpoint: %v %v", err, resp)
		}
		if _, err := client.DeleteBucketWebsite(ctx, &s3.DeleteBucketWebsiteInput{Bucket: aws.String("www.example.com")}); err != nil {
			t.Fatal(err)
		}
		if status, _, _ = get("/"); status != 404 {
			t.Errorf("after DeleteBucketWebsite: %d", status)
		}
	})
}

func TestS3SaveLoad(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "kept")
		mustPut(t, client, "kept", "a/b.txt", "persisted")
		client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("kept"), VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
		mustPut(t, client, "kept", "a/b.txt", "second")
		client.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("kept")})
		pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::kept/*"}]}`
		if _, err := client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("kept"), Policy: aws.String(pol)}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.Cloud(t).Save(&buf); err != nil {
			t.Fatal(err)
		}
		d := b.Open(t)
		if err := d.Cloud(t).Load(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		loaded := s3Client(t, d, "virtual")
		out, err := loaded.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("kept"), Key: aws.String("a/b.txt")})
		if err != nil || readBody(t, out) != "second" {
			t.Fatalf("after Load: %v", err)
		}
		lv, err := loaded.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("kept")})
		if err != nil || len(lv.Versions) != 2 {
			t.Errorf("versions after Load: %v %d", err, len(lv.Versions))
		}
		if status, _, body := anonymousGet(t, d, objectURL(t, d, "kept", "a/b.txt")); status != 200 || body != "second" {
			t.Errorf("the bucket policy after Load: %d %s", status, body)
		}
		// A cloud without buckets saves no "s3" state.
		buf.Reset()
		sim.New().Save(&buf)
		if strings.Contains(buf.String(), `"s3"`) {
			t.Errorf("an empty S3 is saved: %s", buf.String())
		}
	})
}

// Many goroutines put, get, list and delete objects on one Cloud. Run with -race.
func TestS3Concurrent(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "virtual")
		mustBucket(t, client, "busy")
		const workers, each = 12, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					key := fmt.Sprintf("w%d/k%d", w, i)
					body := strings.Repeat(key, 10)
					if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("busy"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
						errs <- err
						return
					}
					out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("busy"), Key: aws.String(key)})
					if err != nil {
						errs <- err
						return
					}
					var b bytes.Buffer
					b.ReadFrom(out.Body)
					if b.String() != body {
						errs <- fmt.Errorf("%s: read %q", key, b.String())
					}
					if _, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("busy"), Prefix: aws.String(fmt.Sprintf("w%d/", w))}); err != nil {
						errs <- err
					}
					if i%2 == 1 {
						if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("busy"), Key: aws.String(key)}); err != nil {
							errs <- err
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var n int
		p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String("busy")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.Contents)
		}
		if n != workers*each/2 {
			t.Errorf("%d objects left, want %d", n, workers*each/2)
		}
	})
}
