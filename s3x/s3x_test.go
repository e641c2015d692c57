package s3x_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/s3x"
	"github.com/awsxlab/awsx/sim"
)

func newCloud(t *testing.T) (*sim.Cloud, *s3.Client) {
	t.Helper()
	cloud := sim.New()
	return cloud, s3.NewFromConfig(cloud.Config())
}

// writeTree writes files (path → content) below a new directory, dated an hour ago.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// keys lists the bucket's keys, "" when the bucket does not exist.
func keys(t *testing.T, c *s3.Client, bucket string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "NoSuchBucket" {
			return nil
		}
		t.Fatal(err)
	}
	var ks []string
	for _, o := range out.Contents {
		ks = append(ks, aws.ToString(o.Key))
	}
	return ks
}

func buckets(t *testing.T, c *s3.Client) []string {
	t.Helper()
	out, err := c.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	return names
}

// s3Key and s3Header read a request as sim.Fault's Match sees it: S3's requests reach Match
// as the simulator's own request type (its internal *s3sim.Request, not the SDK's input
// types of the other services), so they are read by name.
func s3Key(in any) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if f := v.FieldByName("Key"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

func s3Header(in any, name string) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if h, ok := v.FieldByName("Header").Interface().(http.Header); ok {
		return h.Get(name)
	}
	return ""
}

func s3Query(in any, name string) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if q, ok := v.FieldByName("Query").Interface().(url.Values); ok {
		return q.Get(name)
	}
	return ""
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

var siteFiles = map[string]string{"index.html": "<h1>hi</h1>", "error.html": "oops", "css/a.css": "a{}", "img/x.png": "png"}

// A step of StaticSite that fails on a bucket the call made leaves nothing: no bucket, no
// object; the error wraps S3's, code and all.
func TestStaticSiteRollsBack(t *testing.T) {
	for _, op := range []string{"PutPublicAccessBlock", "PutBucketPolicy", "PutBucketWebsite", "PutObject", "ListObjectsV2"} {
		t.Run(op, func(t *testing.T) {
			cloud, c := newCloud(t)
			dir := writeTree(t, siteFiles)
			fault := sim.Fault{Service: "s3", Operation: op, Code: "AccessDenied", Message: "Access Denied", Status: 403}
			if op == "PutObject" {
				fault.Times = 1 // one file fails, the others are uploaded, then all undone
			}
			cloud.Inject(fault)
			site, err := s3x.StaticSite(context.Background(), c, "site-b", "us-east-1", dir)
			if err == nil || site != nil {
				t.Fatalf("StaticSite = %v, %v; want the injected failure", site, err)
			}
			if code(err) != "AccessDenied" || !strings.HasPrefix(err.Error(), `s3x: static site "site-b"`) {
				t.Errorf("error %q (code %q)", err, code(err))
			}
			if got := buckets(t, c); len(got) != 0 {
				t.Errorf("left behind: buckets %q", got)
			}
		})
	}
}

// A failure on a bucket that was there before leaves the bucket as it was.
func TestStaticSiteKeepsExistingBucket(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	dir := writeTree(t, siteFiles)
	if _, err := s3x.StaticSite(ctx, c, "site-b", "us-east-1", dir); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "new.html"), []byte("new"), 0o644)
	cloud.Inject(sim.Fault{Service: "s3", Operation: "PutObject", Code: "AccessDenied", Message: "Access Denied", Status: 403})
	if _, err := s3x.StaticSite(ctx, c, "site-b", "us-east-1", dir); code(err) != "AccessDenied" {
		t.Fatalf("re-run: %v, want AccessDenied", err)
	}
	if got := keys(t, c, "site-b"); len(got) != 4 {
		t.Errorf("the existing site's keys = %q, want its 4", got)
	}
}

// What StaticSite sets up, read back; a directory without its index document makes nothing.
func TestStaticSite(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	if _, err := s3x.StaticSite(ctx, c, "site-b", "us-east-1", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no index document index.html") {
		t.Fatalf("empty directory: %v", err)
	}
	if calls := cloud.Calls(); len(calls) != 0 {
		t.Fatalf("a refused site made %d requests", len(calls))
	}
	dir := writeTree(t, siteFiles)
	site, err := s3x.StaticSite(ctx, c, "site-b", "eu-central-1", dir, func(o *s3x.SiteOptions) { o.Error = "error.html" })
	if err != nil {
		t.Fatal(err)
	}
	if site.URL != "http://site-b.s3-website.eu-central-1.amazonaws.com" || !site.Created || site.Report.Count(s3x.OpUpload) != 4 {
		t.Errorf("site %+v", site)
	}
	in := func(o *s3.Options) { o.Region = "eu-central-1" }
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("site-b")}, in)
	if err != nil || loc.LocationConstraint != "eu-central-1" {
		t.Errorf("location %v, %v", loc, err)
	}
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("site-b")}, in)
	if err != nil {
		t.Fatal(err)
	}
	if p := pab.PublicAccessBlockConfiguration; !*p.BlockPublicAcls || !*p.IgnorePublicAcls || *p.BlockPublicPolicy || *p.RestrictPublicBuckets {
		t.Errorf("block public access %+v", *p)
	}
	web, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("site-b")}, in)
	if err != nil || *web.IndexDocument.Suffix != "index.html" || *web.ErrorDocument.Key != "error.html" {
		t.Errorf("website %+v, %v", web, err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("site-b"), Key: aws.String("css/a.css")}, in)
	if err != nil || aws.ToString(head.ContentType) != "text/css" {
		t.Errorf("css/a.css: %v, %v", head, err)
	}
	// Anyone may read; nobody anonymous may list or write.
	resp, err := cloud.HTTPClient().Get("http://site-b.s3.eu-central-1.amazonaws.com/index.html")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("anonymous GET: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = cloud.HTTPClient().Get("http://site-b.s3.eu-central-1.amazonaws.com/?list-type=2")
	if err != nil || resp.StatusCode != 403 {
		t.Fatalf("anonymous list: %v %v", resp, err)
	}
	resp.Body.Close()

	// Re-run after a file is removed: the site follows the directory.
	os.Remove(filepath.Join(dir, "img/x.png"))
	site, err = s3x.StaticSite(ctx, c, "site-b", "eu-central-1", dir, func(o *s3x.SiteOptions) { o.Error = "error.html" })
	if err != nil {
		t.Fatal(err)
	}
	if site.Created || site.Report.Count(s3x.OpDelete) != 1 || site.Report.Count(s3x.OpUpload) != 0 {
		t.Errorf("re-run: %+v", site.Report)
	}
}

func TestPublicReadPolicy(t *testing.T) {
	doc, err := s3x.PublicReadPolicy("my-site")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"PublicReadGetObject","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-site/*"}]}`
	if doc != want {
		t.Errorf("policy\n%s\nwant\n%s", doc, want)
	}
}

func TestWebsiteURL(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":      "http://b.s3-website-us-east-1.amazonaws.com",
		"us-east-2":      "http://b.s3-website.us-east-2.amazonaws.com",
		"ap-northeast-1": "http://b.s3-website-ap-northeast-1.amazonaws.com",
		"ap-northeast-2": "http://b.s3-website.ap-northeast-2.amazonaws.com",
		"us-gov-west-1":  "http://b.s3-website-us-gov-west-1.amazonaws.com",
		"us-gov-east-1":  "http://b.s3-website.us-gov-east-1.amazonaws.com",
		"cn-northwest-1": "http://b.s3-website.cn-northwest-1.amazonaws.com.cn",
	} {
		if got := s3x.WebsiteURL("b", region); got != want {
			t.Errorf("WebsiteURL(b, %s) = %s, want %s", region, got, want)
		}
	}
	// The simulator's website endpoint is the same.
	cloud, c := newCloud(t)
	for _, region := range []string{"us-west-2", "eu-west-3"} {
		name := "b-" + region
		if _, err := s3x.CreateBucket(context.Background(), c, name, region); err != nil {
			t.Fatal(err)
		}
		if got, _ := cloud.WebsiteURL(name); got != s3x.WebsiteURL(name, region) {
			t.Errorf("%s: simulator %s, s3x %s", region, got, s3x.WebsiteURL(name, region))
		}
	}
}

func TestOutdated(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	older, newer := t0.Add(-time.Second), t0.Add(time.Second)
	for _, tc := range []struct {
		name            string
		op              s3x.Op
		src, dest       s3x.Stat
		sizeOnly, exact bool
		want            bool
	}{
		{"sizes differ", s3x.OpUpload, s3x.Stat{1, older}, s3x.Stat{2, newer}, false, false, true},
		{"upload of a newer file", s3x.OpUpload, s3x.Stat{1, newer}, s3x.Stat{1, t0}, false, false, true},
		{"upload of an older file", s3x.OpUpload, s3x.Stat{1, older}, s3x.Stat{1, t0}, false, false, false},
		{"upload, same time", s3x.OpUpload, s3x.Stat{1, t0}, s3x.Stat{1, t0}, false, false, false},
		{"size only ignores time", s3x.OpUpload, s3x.Stat{1, newer}, s3x.Stat{1, t0}, true, false, false},
		{"size only, sizes differ", s3x.OpUpload, s3x.Stat{1, t0}, s3x.Stat{3, t0}, true, false, true},
		{"download of a newer object", s3x.OpDownload, s3x.Stat{1, newer}, s3x.Stat{1, t0}, false, false, false},
		{"download over a newer file", s3x.OpDownload, s3x.Stat{1, t0}, s3x.Stat{1, newer}, false, false, true},
		{"exact timestamps, newer object", s3x.OpDownload, s3x.Stat{1, newer}, s3x.Stat{1, t0}, false, true, true},
		{"exact timestamps, same", s3x.OpDownload, s3x.Stat{1, t0}, s3x.Stat{1, t0}, false, true, false},
		{"exact timestamps win over size only", s3x.OpDownload, s3x.Stat{1, newer}, s3x.Stat{1, t0}, true, true, true},
		{"copy of a newer object", s3x.OpCopy, s3x.Stat{1, newer}, s3x.Stat{1, t0}, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s3x.Outdated(tc.op, tc.src, tc.dest, tc.sizeOnly, tc.exact); got != tc.want {
				t.Errorf("Outdated = %v, want %v", got, tc.want)
			}
		})
	}
}

// Sync both ways with the AWS CLI's rules, each step checked by what it did and what the
// other end holds.
func TestSync(t *testing.T) {
	_, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	dir := writeTree(t, map[string]string{"a.txt": "a", "b.log": "b", "keep/c.log": "c", "keep/d.txt": "d"})
	opt := func(f func(*s3x.SyncOptions)) func(*s3x.SyncOptions) { return f }

	// Later rules win: drop *.log, but keep keep/*.
	r, err := s3x.Sync(ctx, c, dir, "s3://bkt/p", opt(func(o *s3x.SyncOptions) {
		o.Rules = []s3x.Rule{s3x.Exclude("*.log"), s3x.Include("keep/*")}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys(t, c, "bkt"), " "); got != "p/a.txt p/keep/c.log p/keep/d.txt" {
		t.Fatalf("after the first sync: %s", got)
	}
	if r.Count(s3x.OpUpload) != 3 || r.Bytes != 3 {
		t.Errorf("report %+v", r)
	}
	// Nothing changed: nothing sent; --delete deletes nothing the rules exclude.
	r, err = s3x.Sync(ctx, c, dir, "s3://bkt/p/", opt(func(o *s3x.SyncOptions) { o.Delete = true }))
	if err != nil {
		t.Fatal(err)
	}
	if r.Count(s3x.OpUpload) != 1 || r.Skipped != 3 { // b.log, excluded before
		t.Errorf("second sync: %+v", r)
	}
	// A changed size is sent again.
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("aaa"), 0o644)
	os.Chtimes(filepath.Join(dir, "a.txt"), time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	if r, err = s3x.Sync(ctx, c, dir, "s3://bkt/p"); err != nil || r.Count(s3x.OpUpload) != 1 {
		t.Errorf("changed file: %+v %v", r, err)
	}

	// Down again, into a new directory, then nothing to do.
	down := filepath.Join(t.TempDir(), "down")
	if r, err = s3x.Sync(ctx, c, "s3://bkt/p", down); err != nil || r.Count(s3x.OpDownload) != 4 {
		t.Fatalf("download: %+v %v", r, err)
	}
	if b, _ := os.ReadFile(filepath.Join(down, "keep/d.txt")); string(b) != "d" {
		t.Errorf("keep/d.txt = %q", b)
	}
	if r, err = s3x.Sync(ctx, c, "s3://bkt/p", down); err != nil || len(r.Transfers) != 0 || r.Skipped != 4 {
		t.Errorf("second download: %+v %v", r, err)
	}
	// --exact-timestamps: a file dated otherwise is fetched again; --size-only does not care.
	when := time.Now().Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(down, "a.txt"), when, when)
	if r, _ = s3x.Sync(ctx, c, "s3://bkt/p", down, opt(func(o *s3x.SyncOptions) { o.SizeOnly = true })); len(r.Transfers) != 0 {
		t.Errorf("size only: %+v", r)
	}
	if r, _ = s3x.Sync(ctx, c, "s3://bkt/p", down); len(r.Transfers) != 0 {
		t.Errorf("an older local file is not fetched: %+v", r)
	}
	if r, _ = s3x.Sync(ctx, c, "s3://bkt/p", down, opt(func(o *s3x.SyncOptions) { o.ExactTimestamps = true })); r.Count(s3x.OpDownload) != 1 {
		t.Errorf("exact timestamps: %+v", r)
	}
	// --delete locally.
	os.WriteFile(filepath.Join(down, "extra"), []byte("x"), 0o644)
	if r, _ = s3x.Sync(ctx, c, "s3://bkt/p", down, opt(func(o *s3x.SyncOptions) { o.Delete = true; o.DryRun = true })); r.Count(s3x.OpDelete) != 1 {
		t.Errorf("dry run: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(down, "extra")); err != nil {
		t.Errorf("a dry run deleted: %v", err)
	}
	if r, _ = s3x.Sync(ctx, c, "s3://bkt/p", down, opt(func(o *s3x.SyncOptions) { o.Delete = true })); r.Count(s3x.OpDelete) != 1 {
		t.Errorf("delete: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(down, "extra")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("extra still there: %v", err)
	}

	// What Sync refuses.
	for _, tc := range [][2]string{{dir, down}, {"s3://bkt/p", "s3://bkt/q"}, {"s3://", dir}, {filepath.Join(dir, "none"), "s3://bkt/x"}} {
		if _, err := s3x.Sync(ctx, c, tc[0], tc[1]); err == nil || !strings.HasPrefix(err.Error(), "s3x: ") {
			t.Errorf("Sync(%s, %s): %v", tc[0], tc[1], err)
		}
	}
	if _, err := s3x.UploadDir(ctx, c, dir, "bkt", "", opt(func(o *s3x.SyncOptions) { o.Delete = true })); err == nil {
		t.Error("UploadDir took Delete")
	}
}

// A sync whose files partly fail transfers the others, reports each failure, and a re-run
// finishes the job.
func TestSyncPartialFailure(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("f%02d", i)] = "x"
	}
	dir := writeTree(t, files)
	remove := cloud.Inject(sim.Fault{Service: "s3", Operation: "PutObject", Code: "AccessDenied", Message: "Access Denied", Status: 403,
		Match: func(in any) bool { return strings.HasSuffix(s3Key(in), "7") }})
	var calls atomic.Int32
	r, err := s3x.Sync(ctx, c, dir, "s3://bkt/", func(o *s3x.SyncOptions) {
		o.Progress = func(p s3x.Progress) {
			calls.Add(1)
			if p.TotalFiles != 20 || (p.Err != nil) != strings.HasSuffix(p.Src, "7") {
				t.Errorf("progress %+v", p)
			}
		}
	})
	if code(err) != "AccessDenied" || !strings.Contains(err.Error(), "2 of 20 failed") {
		t.Fatalf("error %v", err)
	}
	if r.Count(s3x.OpUpload) != 18 || calls.Load() != 20 || len(keys(t, c, "bkt")) != 18 {
		t.Errorf("report %d uploads, %d progress calls, %d keys", r.Count(s3x.OpUpload), calls.Load(), len(keys(t, c, "bkt")))
	}
	cloud.ResetCalls()
	remove()
	r, err = s3x.Sync(ctx, c, dir, "s3://bkt/")
	if err != nil || r.Count(s3x.OpUpload) != 2 || r.Skipped != 18 {
		t.Errorf("re-run: %+v, %v", r, err)
	}
}

// A multipart upload that fails is aborted: no object, no parts left to be billed; a
// failed download leaves no file and no temporary file.
func TestTransferFailuresLeaveNothing(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	dir := t.TempDir()
	big := make([]byte, 11<<20)
	for i := range big {
		big[i] = byte(i % 253)
	}
	path := filepath.Join(dir, "big.bin")
	os.WriteFile(path, big, 0o644)

	remove := cloud.Inject(sim.Fault{Service: "s3", Operation: "UploadPart", Code: "AccessDenied", Message: "Access Denied", Status: 403,
		Match: func(in any) bool { return s3Query(in, "partNumber") == "2" }})
	err := s3x.UploadFile(ctx, c, path, "bkt", "big.bin")
	if code(err) != "AccessDenied" {
		t.Fatalf("upload: %v", err)
	}
	remove()
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("bkt")})
	if err != nil || len(ups.Uploads) != 0 || len(keys(t, c, "bkt")) != 0 {
		t.Fatalf("left behind: %d uploads (%v), keys %q", len(ups.Uploads), err, keys(t, c, "bkt"))
	}

	if err := s3x.UploadFile(ctx, c, path, "bkt", "big.bin"); err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("big.bin")})
	if err != nil || !strings.HasSuffix(aws.ToString(head.ETag), `-2"`) || aws.ToString(head.ContentType) != "application/octet-stream" {
		t.Fatalf("head %v %v", head, err)
	}

	dest := filepath.Join(t.TempDir(), "sub", "big.bin")
	remove = cloud.Inject(sim.Fault{Service: "s3", Operation: "GetObject", Code: "AccessDenied", Message: "Access Denied", Status: 403,
		Match: func(in any) bool { return strings.HasPrefix(s3Header(in, "Range"), "bytes=8388608-") }})
	if err := s3x.DownloadFile(ctx, c, "bkt", "big.bin", dest); code(err) != "AccessDenied" {
		t.Fatalf("download: %v", err)
	}
	remove()
	if left, _ := os.ReadDir(filepath.Dir(dest)); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
	if err := s3x.DownloadFile(ctx, c, "bkt", "big.bin", dest); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dest)
	fi, _ := os.Stat(dest)
	if !bytes.Equal(got, big) || !fi.ModTime().Equal(head.LastModified.Truncate(time.Second)) {
		t.Errorf("downloaded %d bytes (equal %v), mtime %v, want %v", len(got), bytes.Equal(got, big), fi.ModTime(), head.LastModified)
	}

	// A stream of unknown size.
	if err := s3x.Upload(ctx, c, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("stream"), Body: io.MultiReader(bytes.NewReader(big))}); err != nil {
		t.Fatal(err)
	}
	// An empty object downloads as an empty file.
	os.WriteFile(filepath.Join(dir, "empty"), nil, 0o644)
	if err := s3x.UploadFile(ctx, c, filepath.Join(dir, "empty"), "bkt", "empty"); err != nil {
		t.Fatal(err)
	}
	if err := s3x.DownloadFile(ctx, c, "bkt", "empty", filepath.Join(dir, "empty2")); err != nil {
		t.Fatal(err)
	}
}

// EmptyBucket deletes every version and delete marker in batches of 1,000, and reports
// what S3 would not delete with its code.
func TestEmptyBucket(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "vbk", "us-east-1")
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vbk"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	put := func(key string) {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vbk"), Key: aws.String(key), Body: strings.NewReader(key)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		put(fmt.Sprintf("k%04d", i))
	}
	put("k0000")
	c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vbk"), Key: aws.String("k0001")}) // a delete marker
	c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("vbk"), Key: aws.String("half")})

	// A user who may not delete one key: DeleteObjects answers that key's AccessDenied among
	// the others' success. (Fault.Answer cannot answer S3's operations with SDK outputs:
	// the simulator's S3 encodes its own response type.)
	im := iam.NewFromConfig(cloud.Config())
	im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")})
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},` +
		`{"Effect":"Deny","Action":["s3:DeleteObject","s3:DeleteObjectVersion"],"Resource":"arn:aws:s3:::vbk/k0002"}]}`
	if _, err := im.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	key, err := im.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	ops := s3.NewFromConfig(cloud.Config(sim.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")))
	cloud.ResetCalls()
	n, err := s3x.EmptyBucket(ctx, ops, "vbk")
	var de *s3x.DeleteError
	if !errors.As(err, &de) || code(err) != "AccessDenied" || de.Key != "k0002" || n != 1001 {
		t.Fatalf("EmptyBucket with a refusal: %d, %v", n, err)
	}
	var calls []string
	for _, call := range cloud.Calls() {
		calls = append(calls, call.Operation)
	}
	sort.Strings(calls)
	if got := strings.Join(calls, " "); got != "AbortMultipartUpload DeleteObjects DeleteObjects ListMultipartUploads ListObjectVersions ListObjectVersions" {
		t.Errorf("calls %s", got)
	}
	cloud.ResetCalls()
	var progress []int
	n, err = s3x.EmptyBucket(ctx, c, "vbk", func(o *s3x.EmptyOptions) { o.Progress = func(d int) { progress = append(progress, d) } })
	if err != nil || n != 1 { // k0002
		t.Fatalf("EmptyBucket: %d, %v", n, err)
	}
	calls = nil
	for _, call := range cloud.Calls() {
		calls = append(calls, call.Operation)
	}
	sort.Strings(calls)
	if got := strings.Join(calls, " "); got != "DeleteObjects ListMultipartUploads ListObjectVersions" {
		t.Errorf("calls %s", got)
	}
	if len(progress) != 1 || progress[0] != 1 {
		t.Errorf("progress %v", progress)
	}
	if err := s3x.DeleteBucket(ctx, c, "vbk"); err != nil {
		t.Fatal(err)
	}
	if got := buckets(t, c); len(got) != 0 {
		t.Errorf("buckets %q", got)
	}
	if n, err := s3x.EmptyBucket(ctx, c, "vbk"); n != 0 || err != nil {
		t.Errorf("EmptyBucket of no bucket: %d, %v", n, err)
	}
}

func TestPresign(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	p := s3.NewPresignClient(c)
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	put, err := s3x.Presign(ctx, p, http.MethodPut, "bkt", "up.txt", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPut, put, strings.NewReader("uploaded"))
	resp, err := cloud.HTTPClient().Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("PUT: %v %v", resp, err)
	}
	get, err := s3x.Presign(ctx, p, http.MethodGet, "bkt", "up.txt", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = cloud.HTTPClient().Get(get)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "uploaded" || !strings.Contains(get, "X-Amz-Expires=3600") {
		t.Errorf("GET %d %q (%s)", resp.StatusCode, body, get)
	}
	for _, tc := range []struct {
		method, key string
		d           time.Duration
	}{{"GET", "k", 0}, {"GET", "k", 8 * 24 * time.Hour}, {"DELETE", "k", time.Hour}, {"GET", "", time.Hour}} {
		if _, err := s3x.Presign(ctx, p, tc.method, "bkt", tc.key, tc.d); err == nil {
			t.Errorf("Presign(%s, %q, %v) signed", tc.method, tc.key, tc.d)
		}
	}
}

// CreateBucket is safe to re-run; a bucket of another account is its error.
func TestCreateBucket(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	for i, want := range []bool{true, false} {
		created, err := s3x.CreateBucket(ctx, c, "bkt", "ap-south-1")
		if err != nil || created != want {
			t.Fatalf("run %d: %v, %v", i, created, err)
		}
	}
	if _, err := s3x.CreateBucket(ctx, c, "bkt", ""); err == nil {
		t.Error("no region: no error")
	}
	_ = cloud
}

// A pipe is an *os.File, a Seeker that cannot seek: it is read as a stream.
func TestUploadPipe(t *testing.T) {
	_, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.Write([]byte("through a pipe"))
		w.Close()
	}()
	if err := s3x.Upload(ctx, c, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("piped"), Body: r}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("piped")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out.Body)
	if string(b) != "through a pipe" {
		t.Errorf("got %q", b)
	}
}

// The transfer manager (feature/s3/transfermanager) sends a file up to the part size in one
// PutObject and a larger one in parts of the part size, as the AWS CLI does; downloads are
// ranged GETs of the part size; FileOptions.ClientOptions reach every request; a member the
// manager cannot send is refused, naming it.
func TestTransferParts(t *testing.T) {
	cloud, c := newCloud(t)
	ctx := context.Background()
	s3x.CreateBucket(ctx, c, "bkt", "us-east-1")
	dir := t.TempDir()
	ops := func() string {
		var names []string
		for _, call := range cloud.Calls() {
			names = append(names, call.Operation)
		}
		cloud.ResetCalls()
		return strings.Join(names, " ")
	}
	for _, tt := range []struct {
		size int
		want string
	}{
		{0, "PutObject"},
		{s3x.MinPartSize, "PutObject"},
		{s3x.MinPartSize + 1, "CreateMultipartUpload UploadPart UploadPart CompleteMultipartUpload"},
		{2*s3x.MinPartSize + 1, "CreateMultipartUpload UploadPart UploadPart UploadPart CompleteMultipartUpload"},
	} {
		path := filepath.Join(dir, fmt.Sprint(tt.size))
		data := bytes.Repeat([]byte{7}, tt.size)
		os.WriteFile(path, data, 0o644)
		var calls atomic.Int32
		cloud.ResetCalls()
		err := s3x.UploadFile(ctx, c, path, "bkt", "k", func(o *s3x.FileOptions) {
			o.PartSize = s3x.MinPartSize
			o.ClientOptions = append(o.ClientOptions, func(*s3.Options) { calls.Add(1) })
		})
		got := ops()
		if err != nil || got != tt.want || int(calls.Load()) != len(strings.Fields(tt.want)) {
			t.Errorf("upload of %d bytes: %q, %d tuned requests, %v; want %q", tt.size, got, calls.Load(), err, tt.want)
		}
		dest := filepath.Join(dir, "out")
		if err := s3x.DownloadFile(ctx, c, "bkt", "k", dest, func(o *s3x.FileOptions) { o.PartSize = s3x.MinPartSize }); err != nil {
			t.Fatalf("download of %d bytes: %v", tt.size, err)
		}
		back, _ := os.ReadFile(dest)
		if gets := strings.Count(ops(), "GetObject"); !bytes.Equal(back, data) || gets != max(1, (tt.size+s3x.MinPartSize-1)/s3x.MinPartSize) {
			t.Errorf("download of %d bytes: %d bytes back (equal %v) in %d GETs", tt.size, len(back), bytes.Equal(back, data), gets)
		}
	}
	err := s3x.Upload(ctx, c, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("md5"), Body: strings.NewReader("x"),
		ContentMD5: aws.String("nZQ5nD1m3p8KG9vOa2yBJw==")})
	if err == nil || !strings.Contains(err.Error(), "ContentMD5") || ops() != "" {
		t.Errorf("upload with ContentMD5: %v", err)
	}
	err = s3x.DownloadFile(ctx, c, "bkt", "k", filepath.Join(dir, "p"), func(o *s3x.FileOptions) {
		o.Get = func(in *s3.GetObjectInput) { in.PartNumber = aws.Int32(1) }
	})
	if err == nil || !strings.Contains(err.Error(), "PartNumber") {
		t.Errorf("download with PartNumber: %v", err)
	}
}
