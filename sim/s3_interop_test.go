package sim_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/awscli"
	"github.com/awsxlab/awsx/sim"
)

// awsCLIs returns the AWS CLIs on this machine: v1 (python3 -m awscli) and v2 (Debian's
// package, /usr/bin/aws; a pyenv shim may shadow `aws` on PATH).
func awsCLIs(t *testing.T) []awscli.Client {
	clis, missing := awscli.Installed()
	for _, m := range missing {
		t.Log("skipped: " + m)
	}
	if len(clis) == 0 {
		t.Skip("no AWS CLI on this machine")
	}
	return clis
}

// cliEnvFor is a clean environment for the AWS CLI and boto3: its own HOME, the root's keys.
func cliEnvFor(home string) []string {
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ACCESS_KEY_ID=" + sim.DefaultAccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + sim.DefaultSecretAccessKey, "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true"}
	for _, v := range []string{"PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"} {
		if s, ok := os.LookupEnv(v); ok {
			env = append(env, v+"="+s)
		}
	}
	return env
}

// TestS3AWSCLI drives a loopback server with the real AWS CLIs: s3api calls, a 20 MiB
// `aws s3 cp` (multipart) both ways, `aws s3 sync`, `aws s3 ls` and `aws s3 presign`.
func TestS3AWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	clis := awsCLIs(t)
	c := sim.New()
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	big := make([]byte, 20<<20)
	rand.Read(big)
	for _, cli := range clis {
		name := cli.Name
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			env := cliEnvFor(dir)
			session, err := cli.Start(env, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer session.Close()
			run := func(args ...string) string {
				t.Helper()
				r, err := session.Run(append([]string{"--endpoint-url", srv.URL}, args...)...)
				if err != nil || r.Code != 0 {
					t.Fatalf("aws %s: exit %d, %v\n%s%s", strings.Join(args, " "), r.Code, err, r.Stdout, r.Stderr)
				}
				return r.Stdout
			}
			bucket := "cli-" + name
			run("s3api", "create-bucket", "--bucket", bucket)
			os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello from the CLI"), 0o644)
			if out := run("s3api", "put-object", "--bucket", bucket, "--key", "dir/hello world.txt", "--body", "hello.txt", "--content-type", "text/plain"); !strings.Contains(out, "ETag") {
				t.Errorf("put-object printed %s", out)
			}
			run("s3api", "get-object", "--bucket", bucket, "--key", "dir/hello world.txt", "got.txt")
			if b, _ := os.ReadFile(filepath.Join(dir, "got.txt")); string(b) != "hello from the CLI" {
				t.Errorf("get-object wrote %q", b)
			}
			if out := run("s3api", "list-objects-v2", "--bucket", bucket, "--query", "Contents[].Key", "--output", "text"); strings.TrimSpace(out) != "dir/hello world.txt" {
				t.Errorf("list-objects-v2 = %q", out)
			}

			os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644)
			run("s3", "cp", "big.bin", "s3://"+bucket+"/big.bin")
			if out := run("s3api", "head-object", "--bucket", bucket, "--key", "big.bin", "--query", "ETag", "--output", "text"); !strings.HasSuffix(strings.TrimSpace(out), `-3"`) {
				t.Errorf("the 20 MiB copy's ETag = %s, want a three-part multipart ETag", out)
			}
			run("s3", "cp", "s3://"+bucket+"/big.bin", "back.bin")
			if b, _ := os.ReadFile(filepath.Join(dir, "back.bin")); !bytes.Equal(b, big) {
				t.Errorf("the 20 MiB object came back as %d different bytes", len(b))
			}

			site := filepath.Join(dir, "site")
			os.MkdirAll(filepath.Join(site, "css"), 0o755)
			os.WriteFile(filepath.Join(site, "index.html"), []byte("<h1>hi</h1>"), 0o644)
			os.WriteFile(filepath.Join(site, "css", "main.css"), []byte("body{}"), 0o644)
			// Files older than their upload, so that a second sync has nothing to copy.
			old := time.Now().Add(-time.Hour)
			for _, f := range []string{"index.html", "css/main.css"} {
				os.Chtimes(filepath.Join(site, f), old, old)
			}
			run("s3", "sync", "site", "s3://"+bucket+"/site/")
			out := run("s3", "ls", "--recursive", "s3://"+bucket+"/site/")
			if !strings.Contains(out, "site/index.html") || !strings.Contains(out, "site/css/main.css") {
				t.Errorf("s3 ls after sync:\n%s", out)
			}
			if out := run("s3", "sync", "site", "s3://"+bucket+"/site/"); strings.TrimSpace(out) != "" {
				t.Errorf("a second sync copied again:\n%s", out)
			}
			if out := run("s3", "ls"); !strings.Contains(out, bucket) {
				t.Errorf("s3 ls = %q", out)
			}

			url := strings.TrimSpace(run("s3", "presign", "s3://"+bucket+"/dir/hello world.txt", "--expires-in", "300"))
			py := exec.Command("python3", "-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())", url)
			py.Env = env
			if b, err := py.CombinedOutput(); err != nil || string(b) != "hello from the CLI" {
				t.Errorf("urllib fetch of the presigned URL %s: %v %s", url, err, b)
			}
			// A static website: mb, sync, website, a public policy, then the website endpoint.
			siteBucket := "site-" + name
			run("s3", "mb", "s3://"+siteBucket)
			run("s3", "sync", "site", "s3://"+siteBucket)
			run("s3", "website", "s3://"+siteBucket, "--index-document", "index.html", "--error-document", "error.html")
			run("s3api", "delete-public-access-block", "--bucket", siteBucket)
			os.WriteFile(filepath.Join(dir, "policy.json"), []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::`+siteBucket+`/*"}]}`), 0o644)
			run("s3api", "put-bucket-policy", "--bucket", siteBucket, "--policy", "file://policy.json")
			if out := run("s3api", "get-bucket-website", "--bucket", siteBucket, "--query", "IndexDocument.Suffix", "--output", "text"); strings.TrimSpace(out) != "index.html" {
				t.Errorf("get-bucket-website = %q", out)
			}
			port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
			}}}
			resp, err := hc.Get("http://" + siteBucket + ".s3-website-us-east-1.localhost:" + port + "/")
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(page) != "<h1>hi</h1>" {
				t.Errorf("the website's index = %d %q", resp.StatusCode, page)
			}
			run("s3", "rb", "--force", "s3://"+siteBucket)

			run("s3", "rm", "--recursive", "s3://"+bucket)
			run("s3", "rb", "s3://"+bucket)
		})
	}
}

// TestS3Boto3 drives a loopback server with boto3: buckets, objects, paginated listings,
// a multipart upload_file, a presigned URL fetched with urllib, and an error's code.
func TestS3Boto3(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
	c := sim.New()
	srv := httptest.NewServer(c)
	defer srv.Close()
	dir := t.TempDir()
	script := `
import sys, os, urllib.request, boto3, botocore
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="a/one.txt", Body=b"one", Metadata={"x": "y"})
o = s3.get_object(Bucket="boto-bucket", Key="a/one.txt")
assert o["Body"].read() == b"one" and o["Metadata"] == {"x": "y"}, o
for i in range(5):
    s3.put_object(Bucket="boto-bucket", Key="many/%d" % i, Body=b"x")
keys = [k["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", Prefix="many/", PaginationConfig={"PageSize": 2}) for k in p.get("Contents", [])]
assert keys == ["many/%d" % i for i in range(5)], keys
with open("big.bin", "wb") as f:
    f.write(os.urandom(12 << 20))
s3.upload_file("big.bin", "boto-bucket", "big.bin", Config=TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20))
s3.download_file("boto-bucket", "big.bin", "back.bin")
assert open("big.bin", "rb").read() == open("back.bin", "rb").read()
url = s3.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "a/one.txt"}, ExpiresIn=60)
assert urllib.request.urlopen(url).read() == b"one"
try:
    s3.get_object(Bucket="boto-bucket", Key="missing")
    raise SystemExit("no error")
except s3.exceptions.NoSuchKey as e:
    assert e.response["Error"]["Code"] == "NoSuchKey", e.response
try:
    s3.head_bucket(Bucket="no-such-bucket-here")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "404", e.response
print("ok")
`
	cmd := exec.Command("python3", "-c", script, srv.URL)
	cmd.Env, cmd.Dir = cliEnvFor(dir), dir
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
}
