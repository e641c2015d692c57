package s3x_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/s3x"
	"github.com/awsxlab/awsx/sim"
)

// site writes a small site into a new directory and returns it.
func site() string {
	dir, err := os.MkdirTemp("", "site")
	if err != nil {
		panic(err)
	}
	files := map[string]string{
		"index.html":     "<h1>Hello</h1>\n",
		"error.html":     "<h1>Not here</h1>\n",
		"css/site.css":   "h1 { color: teal }\n",
		"img/logo.svg":   "<svg/>\n",
		"notes/todo.txt": "publish\n",
	}
	old := time.Now().Add(-time.Hour) // older than the uploads: sync sees them up to date
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
		os.Chtimes(p, old, old)
	}
	return dir
}

// A directory published as a website: the bucket, its public-read policy, its website
// configuration and the files with their content types, in one call. The site answers
// anyone, on its website endpoint; a page that is not there is the error document, with
// 403 as on AWS: the public may GET objects, not list the bucket, so S3 does not say which
// keys exist.
func ExampleStaticSite() {
	ctx := context.Background()
	cloud := sim.New()
	client := s3.NewFromConfig(cloud.Config())
	dir := site()
	defer os.RemoveAll(dir)

	s, err := s3x.StaticSite(ctx, client, "my-site", "us-east-1", dir, func(o *s3x.SiteOptions) {
		o.Error = "error.html"
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.URL, s.Report.Count(s3x.OpUpload), "files")

	web := cloud.HTTPClient() // fetches the website endpoint in memory
	for _, path := range []string{"/", "/css/site.css", "/missing"} {
		resp, err := web.Get(s.URL + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %d %s %q\n", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	// Run again: nothing changed, nothing is uploaded.
	s, err = s3x.StaticSite(ctx, client, "my-site", "us-east-1", dir)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Created, s.Report.Count(s3x.OpUpload), "files,", s.Report.Skipped, "up to date")
	// Output:
	// http://my-site.s3-website-us-east-1.amazonaws.com 5 files
	// / 200 text/html "<h1>Hello</h1>\n"
	// /css/site.css 200 text/css "h1 { color: teal }\n"
	// /missing 403 text/html "<h1>Not here</h1>\n"
	// false 0 files, 5 up to date
}

// The website endpoint's two forms: the nine oldest regions have a dash before the region.
func ExampleWebsiteURL() {
	fmt.Println(s3x.WebsiteURL("my-site", "us-west-2"))
	fmt.Println(s3x.WebsiteURL("my-site", "eu-central-1"))
	fmt.Println(s3x.WebsiteURL("my-site", "cn-north-1"))
	// Output:
	// http://my-site.s3-website-us-west-2.amazonaws.com
	// http://my-site.s3-website.eu-central-1.amazonaws.com
	// http://my-site.s3-website.cn-north-1.amazonaws.com.cn
}

// Sync both ways, with the AWS CLI's rules: only what changed is sent; --delete removes
// what the source lacks; --exclude keeps files out, and away from --delete.
func ExampleSync() {
	ctx := context.Background()
	client := s3.NewFromConfig(sim.New().Config())
	if _, err := s3x.CreateBucket(ctx, client, "backup", "us-east-1"); err != nil {
		panic(err)
	}
	dir := site()
	defer os.RemoveAll(dir)

	progress := func(o *s3x.SyncOptions) {
		o.Concurrency = 1 // one file at a time, so that the lines come in order
		o.Progress = func(p s3x.Progress) {
			rel, _ := filepath.Rel(dir, p.Src)
			if p.Op == s3x.OpDelete {
				rel = p.Src
			}
			fmt.Printf("  %s %s (%d/%d files)\n", p.Op, filepath.ToSlash(rel), p.Files, p.TotalFiles)
		}
	}
	fmt.Println("first sync, without *.txt:")
	if _, err := s3x.Sync(ctx, client, dir, "s3://backup/site", progress, func(o *s3x.SyncOptions) {
		o.Rules = []s3x.Rule{s3x.Exclude("*.txt")}
	}); err != nil {
		panic(err)
	}
	os.Remove(filepath.Join(dir, "img/logo.svg"))
	fmt.Println("second sync, with --delete:")
	r, err := s3x.Sync(ctx, client, dir, "s3://backup/site", progress, func(o *s3x.SyncOptions) {
		o.Delete = true
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Skipped, "up to date")
	// Output:
	// first sync, without *.txt:
	//   upload css/site.css (1/4 files)
	//   upload error.html (2/4 files)
	//   upload img/logo.svg (3/4 files)
	//   upload index.html (4/4 files)
	// second sync, with --delete:
	//   upload notes/todo.txt (1/2 files)
	//   delete s3://backup/site/img/logo.svg (2/2 files)
	// 3 up to date
}

// A presigned URL lets someone without credentials download one object, for a while.
func ExamplePresign() {
	ctx := context.Background()
	cloud := sim.New()
	client := s3.NewFromConfig(cloud.Config())
	dir := site()
	defer os.RemoveAll(dir)
	s3x.CreateBucket(ctx, client, "reports", "us-east-1")
	if err := s3x.UploadFile(ctx, client, filepath.Join(dir, "index.html"), "reports", "q3.html"); err != nil {
		panic(err)
	}

	url, err := s3x.Presign(ctx, s3.NewPresignClient(client), http.MethodGet, "reports", "q3.html", 15*time.Minute)
	if err != nil {
		panic(err)
	}
	resp, err := cloud.HTTPClient().Get(url)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))

	cloud.Advance(16 * time.Minute) // the simulator's clock; no wait
	resp, err = cloud.HTTPClient().Get(url)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// 200 text/html
	// 403
}

// A bucket with versioning keeps every version and delete marker of its objects;
// DeleteBucket deletes them all, then the bucket, and is safe to run again.
func ExampleDeleteBucket() {
	ctx := context.Background()
	client := s3.NewFromConfig(sim.New().Config())
	dir := site()
	defer os.RemoveAll(dir)
	s3x.CreateBucket(ctx, client, "scratch", "us-east-1")
	if _, err := s3x.UploadDir(ctx, client, dir, "scratch", ""); err != nil {
		panic(err)
	}
	n, err := s3x.EmptyBucket(ctx, client, "scratch")
	fmt.Println(n, "deleted", err)
	fmt.Println(s3x.DeleteBucket(ctx, client, "scratch"))
	fmt.Println(s3x.DeleteBucket(ctx, client, "scratch"))
	// Output:
	// 5 deleted <nil>
	// <nil>
	// <nil>
}
