// Command static-site publishes a directory as a public website from an S3 bucket — the
// course's static-site chapter in one call of s3x.StaticSite — fetches its pages, and
// deletes the bucket again.
//
//	go run ./examples/static-site                   # on the embedded simulator
//	go run ./examples/static-site -keep ./public    # your own directory, left published
//	AWSX_BACKEND=aws go run ./examples/static-site -bucket my-unique-name
//
// On AWS the bucket name must be unused in all of AWS; the site costs its storage and
// requests (cents for a small site) and is readable by anyone until deleted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/s3x"
	"github.com/awsxlab/awsx/simbackend"
)

func main() {
	bucket := flag.String("bucket", "awsx-static-site-example", "the bucket to publish from")
	keep := flag.Bool("keep", false, "leave the site published")
	flag.Parse()
	ctx := context.Background()

	settings, err := awsx.NewSettings()
	if err != nil {
		log.Fatal(err)
	}
	settings.SetDefault("backend", awsx.BackendSim)
	cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Settings = settings })
	if err != nil {
		log.Fatal(err)
	}
	client := s3.NewFromConfig(cfg)

	dir := flag.Arg(0)
	if dir == "" {
		if dir, err = sample(); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	site, err := s3x.StaticSite(ctx, client, *bucket, cfg.Region, dir, func(o *s3x.SiteOptions) {
		o.Error = "error.html"
		o.Sync = append(o.Sync, func(so *s3x.SyncOptions) {
			so.Progress = func(p s3x.Progress) { fmt.Printf("%s %s (%d/%d)\n", p.Op, p.Dest, p.Files, p.TotalFiles) }
		})
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("published at", site.URL)

	// The website endpoint: over the internet on AWS, in memory on the embedded simulator.
	web := http.DefaultClient
	if settings.GetString("backend") == awsx.BackendSim {
		web = simbackend.Default().HTTPClient()
	}
	for _, path := range []string{"/", "/missing.html"} {
		resp, err := web.Get(site.URL + path)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("GET %s: %d %s, %d bytes\n", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	if *keep {
		return
	}
	if err := s3x.DeleteBucket(ctx, client, *bucket); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted", *bucket)
}

// sample writes a two-page site into a temporary directory.
func sample() (string, error) {
	dir, err := os.MkdirTemp("", "site")
	if err != nil {
		return "", err
	}
	for name, text := range map[string]string{
		"index.html":    "<!doctype html><title>awsx</title><h1>Hello from S3</h1>\n",
		"error.html":    "<!doctype html><title>Not found</title><h1>No such page</h1>\n",
		"css/style.css": "h1 { font-family: sans-serif }\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}
