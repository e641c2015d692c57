package cli

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// s3World is awsx in-process against one server, in a home of its own.
type s3World struct {
	t         *testing.T
	env       []string
	home, url string
}

func newS3World(t *testing.T) *s3World {
	t.Helper()
	home := t.TempDir()
	env := cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	url := startServerWith(t, func(o *ServeOptions) { o.Clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
	return &s3World{t: t, env: env, home: home, url: url}
}

// run runs awsx with args (and stdin) in the home directory.
func (w *s3World) run(stdin string, args ...string) result {
	w.t.Helper()
	return runAwsxStdin(w.t, w.env, w.home, stdin, append([]string{"--endpoint-url", w.url}, args...)...)
}

// ok runs args and fails the test unless it exits 0; it returns the output.
func (w *s3World) ok(args ...string) string {
	w.t.Helper()
	r := w.run("", args...)
	if r.code != 0 {
		w.t.Fatalf("awsx %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func (w *s3World) write(name, text string) {
	w.t.Helper()
	p := filepath.Join(w.home, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		w.t.Fatal(err)
	}
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // before the server's clock: uploads are newer
	os.Chtimes(p, old, old)
}

func (w *s3World) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.home, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

var lsDate = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)

// lines is the output's lines, dates replaced by DATE, sorted when the AWS CLI would print
// them in any order (transfers run concurrently).
func lines(out string, sorted bool) []string {
	var ls []string
	sc := bufio.NewScanner(strings.NewReader(lsDate.ReplaceAllString(out, "DATE")))
	for sc.Scan() {
		ls = append(ls, sc.Text())
	}
	if sorted {
		sortStrings(ls)
	}
	return ls
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func wantLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The course notes' S3 steps, through the awsx command in-process.
func TestS3CourseSteps(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.write("dotfiles/.bashrc", "export PS1='$ '\n")
	w.write("dotfiles/.vimrc", "set number\n")
	w.write("dotfiles/config/git/config", "[user]\n")
	w.write("file.txt", "hello\n")
	w.write("index.html", "<h1>hi</h1>\n")
	w.write("s3-policy.json", `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::lab-notes/*"}]}`)

	wantLines(t, "mb", lines(w.ok("s3", "mb", "s3://lab-notes"), false), "make_bucket: lab-notes")
	wantLines(t, "sync", lines(w.ok("s3", "sync", "dotfiles/", "s3://lab-notes/dotfiles"), true),
		"upload: dotfiles/.bashrc to s3://lab-notes/dotfiles/.bashrc",
		"upload: dotfiles/.vimrc to s3://lab-notes/dotfiles/.vimrc",
		"upload: dotfiles/config/git/config to s3://lab-notes/dotfiles/config/git/config")
	wantLines(t, "sync again", lines(w.ok("s3", "sync", "dotfiles/", "s3://lab-notes/dotfiles"), false))
	if got := lines(w.ok("s3", "ls"), false); !containsLine(got, "DATE lab-notes") {
		t.Errorf("ls: %q", got)
	}
	wantLines(t, "ls b/", lines(w.ok("s3", "ls", "lab-notes/"), false), "                           PRE dotfiles/")
	wantLines(t, "ls b/dotfiles/", lines(w.ok("s3", "ls", "lab-notes/dotfiles/"), false),
		"                           PRE config/",
		"DATE         16 .bashrc",
		"DATE         11 .vimrc")
	wantLines(t, "ls --recursive --human-readable --summarize", lines(w.ok("s3", "ls", "s3://lab-notes", "--recursive", "--human-readable", "--summarize"), false),
		"DATE   16 Bytes dotfiles/.bashrc",
		"DATE   11 Bytes dotfiles/.vimrc",
		"DATE    7 Bytes dotfiles/config/git/config",
		"",
		"Total Objects: 3",
		"   Total Size: 34 Bytes")
	if r := w.run("", "s3", "ls", "lab-notes/nothing"); r.code != 1 || r.stdout != "" {
		t.Errorf("ls of an empty prefix: exit %d %q", r.code, r.stdout)
	}

	wantLines(t, "cp file", lines(w.ok("s3", "cp", "file.txt", "s3://lab-notes/"), false), "upload: ./file.txt to s3://lab-notes/file.txt")
	wantLines(t, "cp --recursive", lines(w.ok("s3", "cp", "--recursive", "s3://lab-notes", "backup"), true),
		"download: s3://lab-notes/dotfiles/.bashrc to backup/dotfiles/.bashrc",
		"download: s3://lab-notes/dotfiles/.vimrc to backup/dotfiles/.vimrc",
		"download: s3://lab-notes/dotfiles/config/git/config to backup/dotfiles/config/git/config",
		"download: s3://lab-notes/file.txt to backup/file.txt")
	if got := w.read("backup/dotfiles/config/git/config"); got != "[user]\n" {
		t.Errorf("downloaded config: %q", got)
	}
	wantLines(t, "rm --recursive", lines(w.ok("s3", "rm", "--recursive", "s3://lab-notes/dotfiles"), true),
		"delete: s3://lab-notes/dotfiles/.bashrc",
		"delete: s3://lab-notes/dotfiles/.vimrc",
		"delete: s3://lab-notes/dotfiles/config/git/config")

	w.ok("s3api", "put-bucket-versioning", "--bucket", "lab-notes", "--versioning-configuration", "Status=Enabled")
	wantLines(t, "get-bucket-versioning", lines(w.ok("s3api", "get-bucket-versioning", "--bucket", "lab-notes", "--output", "text"), false), "Enabled")
	w.ok("s3api", "put-public-access-block", "--bucket", "lab-notes", "--public-access-block-configuration",
		"BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false")
	w.ok("s3api", "put-bucket-policy", "--bucket", "lab-notes", "--policy", "file://s3-policy.json")
	if got := w.ok("s3api", "get-bucket-policy", "--bucket", "lab-notes", "--query", "Policy", "--output", "text"); !strings.Contains(got, `"Sid":"PublicRead"`) {
		t.Errorf("get-bucket-policy: %q", got)
	}
	w.ok("s3", "cp", "index.html", "s3://lab-notes/")
	wantLines(t, "website", lines(w.ok("s3", "website", "s3://lab-notes", "--index-document", "index.html"), false))
	wantLines(t, "get-bucket-website", lines(w.ok("s3api", "get-bucket-website", "--bucket", "lab-notes", "--output", "text"), false), "INDEXDOCUMENT\tindex.html")

	url := strings.TrimSpace(w.ok("s3", "presign", "s3://lab-notes/file.txt", "--expires-in", "300"))
	if !strings.HasPrefix(url, w.url+"/lab-notes/file.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F") ||
		!strings.Contains(url, "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=") || strings.Contains(url, "x-id=") {
		t.Errorf("presign: %q", url)
	}
	get := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // the server's shutdown waits for no idle connection
	if resp, err := get.Get(url); err != nil {
		t.Errorf("GET presigned: %v", err)
	} else {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || b.String() != "hello\n" {
			t.Errorf("GET presigned: %d %q", resp.StatusCode, b.String())
		}
	}

	r := w.run("", "s3", "rb", "s3://lab-notes")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "remove_bucket failed: s3://lab-notes An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: ") {
		t.Errorf("rb of a bucket with objects: exit %d %q", r.code, r.stderr)
	}
	w.ok("s3api", "put-bucket-versioning", "--bucket", "lab-notes", "--versioning-configuration", "Status=Suspended")
	for _, q := range []string{"Versions[].[Key,VersionId]", "DeleteMarkers[].[Key,VersionId]"} {
		out := w.ok("s3api", "list-object-versions", "--bucket", "lab-notes", "--query", q, "--output", "text")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if f := strings.Split(line, "\t"); len(f) == 2 {
				w.ok("s3api", "delete-object", "--bucket", "lab-notes", "--key", f[0], "--version-id", f[1])
			}
		}
	}
	wantLines(t, "rb --force", lines(w.ok("s3", "rb", "--force", "s3://lab-notes"), false), "remove_bucket: lab-notes")
	if got := lines(w.ok("s3", "ls"), false); containsLine(got, "DATE lab-notes") {
		t.Errorf("ls after rb: %q", got)
	}
}

func containsLine(ls []string, s string) bool {
	for _, l := range ls {
		if l == s {
			return true
		}
	}
	return false
}

// Transfers: multipart above 8 MiB both ways and between buckets, streams from standard
// input and to standard output, moves, content types, filters, sync's comparisons.
func TestS3Transfers(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.ok("s3", "mb", "s3://xfer-a")
	w.ok("s3", "mb", "s3://xfer-b")
	big := bytes.Repeat([]byte("0123456789abcdef"), (9<<20)/16+3) // 9 MiB and a bit: two parts
	if err := os.WriteFile(filepath.Join(w.home, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	w.ok("s3", "cp", "big.bin", "s3://xfer-a/big.bin")
	sum := md5.Sum(big[:8<<20])
	sum2 := md5.Sum(big[8<<20:])
	whole := md5.Sum(append(sum[:], sum2[:]...))
	if etag := strings.TrimSpace(w.ok("s3api", "head-object", "--bucket", "xfer-a", "--key", "big.bin", "--query", "ETag", "--output", "text")); etag != `"`+hex.EncodeToString(whole[:])+`-2"` {
		t.Errorf("multipart ETag %s, want two 8 MiB parts' %x-2", etag, whole)
	}
	w.ok("s3", "cp", "s3://xfer-a/big.bin", "s3://xfer-b/copy.bin")
	w.ok("s3", "cp", "s3://xfer-b/copy.bin", "back.bin")
	if got := w.read("back.bin"); got != string(big) {
		t.Errorf("the copy downloaded is %d bytes, not the %d uploaded", len(got), len(big))
	}

	r := w.run("streamed text\n", "s3", "cp", "-", "s3://xfer-a/stream.txt")
	if r.code != 0 || r.stdout != "" {
		t.Errorf("cp - s3://: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := w.ok("s3", "cp", "s3://xfer-a/stream.txt", "-"); got != "streamed text\n" {
		t.Errorf("cp s3:// -: %q", got)
	}

	for name, want := range map[string]string{"a.json": "application/json", "b.html": "text/html", "c.tar.gz": "application/x-tar",
		"d.gz": "binary/octet-stream", "e": "binary/octet-stream", "f.css": "text/css"} {
		w.write("types/"+name, "x")
		w.ok("s3", "cp", "types/"+name, "s3://xfer-a/types/"+name)
		if got := strings.TrimSpace(w.ok("s3api", "head-object", "--bucket", "xfer-a", "--key", "types/"+name, "--query", "ContentType", "--output", "text")); got != want {
			t.Errorf("content type of %s: %s, want %s", name, got, want)
		}
	}
	w.ok("s3", "cp", "types/a.json", "s3://xfer-a/typed", "--content-type", "text/plain")
	if got := strings.TrimSpace(w.ok("s3api", "head-object", "--bucket", "xfer-a", "--key", "typed", "--query", "ContentType", "--output", "text")); got != "text/plain" {
		t.Errorf("--content-type: %s", got)
	}

	wantLines(t, "cp --exclude --include", lines(w.ok("s3", "cp", "types", "s3://xfer-b/only-json", "--recursive", "--exclude", "*", "--include", "*.json"), false),
		"upload: types/a.json to s3://xfer-b/only-json/a.json")
	wantLines(t, "mv", lines(w.ok("s3", "mv", "s3://xfer-b/only-json/a.json", "s3://xfer-b/moved/"), false),
		"move: s3://xfer-b/only-json/a.json to s3://xfer-b/moved/a.json")
	if r := w.run("", "s3", "ls", "s3://xfer-b/only-json/"); r.code != 1 {
		t.Errorf("the moved object is still there: %d %q", r.code, r.stdout)
	}
	wantLines(t, "dryrun", lines(w.ok("s3", "rm", "s3://xfer-b/moved/a.json", "--dryrun"), false), "(dryrun) delete: s3://xfer-b/moved/a.json")

	// sync down, then again: nothing; a local file newer than its object is fetched again
	// only with --exact-timestamps... and a changed size always.
	w.write("site/index.html", "<h1>v1</h1>")
	w.write("site/css/site.css", "body{}")
	w.ok("s3", "sync", "site", "s3://xfer-a/site")
	wantLines(t, "sync down", lines(w.ok("s3", "sync", "s3://xfer-a/site", "mirror"), true),
		"download: s3://xfer-a/site/css/site.css to mirror/css/site.css",
		"download: s3://xfer-a/site/index.html to mirror/index.html")
	wantLines(t, "sync down again", lines(w.ok("s3", "sync", "s3://xfer-a/site", "mirror"), false))
	w.write("mirror/index.html", "<h1>v0</h1>") // same size, older than the object
	wantLines(t, "sync down, local older and same size", lines(w.ok("s3", "sync", "s3://xfer-a/site", "mirror"), false))
	wantLines(t, "sync down --exact-timestamps", lines(w.ok("s3", "sync", "s3://xfer-a/site", "mirror", "--exact-timestamps"), false),
		"download: s3://xfer-a/site/index.html to mirror/index.html")
	w.write("site/index.html", "<h1>v2, longer</h1>")
	w.write("site/extra.txt", "new")
	wantLines(t, "sync up after changes", lines(w.ok("s3", "sync", "site", "s3://xfer-a/site"), true),
		"upload: site/extra.txt to s3://xfer-a/site/extra.txt",
		"upload: site/index.html to s3://xfer-a/site/index.html")
	os.Remove(filepath.Join(w.home, "site/css/site.css"))
	wantLines(t, "sync --delete", lines(w.ok("s3", "sync", "site", "s3://xfer-a/site", "--delete"), false),
		"delete: s3://xfer-a/site/css/site.css")
	wantLines(t, "sync down --delete", lines(w.ok("s3", "sync", "s3://xfer-a/site", "mirror", "--delete"), true),
		"delete: mirror/css/site.css",
		"download: s3://xfer-a/site/extra.txt to mirror/extra.txt",
		"download: s3://xfer-a/site/index.html to mirror/index.html")
	wantLines(t, "sync s3 to s3", lines(w.ok("s3", "sync", "s3://xfer-a/site", "s3://xfer-b/site"), true),
		"copy: s3://xfer-a/site/extra.txt to s3://xfer-b/site/extra.txt",
		"copy: s3://xfer-a/site/index.html to s3://xfer-b/site/index.html")
	wantLines(t, "sync s3 to s3 --size-only", lines(w.ok("s3", "sync", "s3://xfer-a/site", "s3://xfer-b/site", "--size-only"), false))
}

// Errors and exit codes of the s3 commands, as the AWS CLI v2 prints them.
func TestS3Errors(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.ok("s3", "mb", "s3://errs")
	w.write("file.txt", "x")
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string // its start
	}{
		{[]string{"s3", "ls", "s3://no-such-bucket-here"}, 254, "\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "},
		{[]string{"s3", "cp", "s3://errs/missing", "."}, 1, "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"missing\" does not exist\n"},
		{[]string{"s3", "cp", "nofile", "s3://errs/"}, 255, "\nThe user-provided path nofile does not exist.\n"},
		{[]string{"s3", "cp", "file.txt", "s3://no-such-bucket-here/"}, 1, "upload failed: ./file.txt to s3://no-such-bucket-here/file.txt An error occurred (NoSuchBucket) when calling the PutObject operation: "},
		{[]string{"s3", "mb", "errs"}, 252, "\n<S3Uri>\nError: Invalid argument type\n"},
		{[]string{"s3", "rb", "s3://errs/key"}, 252, "\nPlease specify a valid bucket name only. E.g. s3://errs\n"},
		{[]string{"s3", "mv", "s3://errs/a", "s3://errs/a"}, 252, "\nCannot mv a file onto itself: 's3://errs/a' - 's3://errs/a'\n"},
		{[]string{"s3", "cp", "file.txt", "--dryrun", "s3://errs/"}, 252, usageLines + "aws: error: the following arguments are required: paths\n"},
		{[]string{"s3", "cp", "file.txt", "s3://errs/", "extra"}, 252, "\nUnknown options: extra\n"},
		{[]string{"s3", "ls", "--page-size", "x"}, 255, "\ninvalid literal for int() with base 10: 'x'\n"},
		{[]string{"s3", "cp", "-", "s3://errs/x", "--recursive"}, 252, "\nStreaming currently is only compatible with non-recursive cp commands\n"},
		{[]string{"s3", "sync", "file.txt", "local"}, 252, "\nusage: aws s3 sync <LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>\nError: Invalid argument type\n"},
		{[]string{"s3", "nope"}, 252, usageLines + "aws: error: argument subcommand: Invalid choice, valid choices are:"},
		{[]string{"s3"}, 252, "\nusage: aws [options] s3 <subcommand> [parameters]\naws: error: too few arguments\n"},
		{[]string{"s3api", "head-object", "--bucket", "errs", "--key", "nope"}, 254, "\nAn error occurred (404) when calling the HeadObject operation: Not Found\n"},
		{[]string{"s3api", "get-object", "--bucket", "errs", "--key", "nope", "out"}, 254, "\nAn error occurred (NoSuchKey) when calling the GetObject operation: "},
		{[]string{"s3api", "get-object", "--bucket", "errs"}, 252, usageLines + "aws: error: the following arguments are required: --key, outfile\n"},
		{[]string{"s3api", "put-object", "--bucket", "errs", "--key", "k", "--body", "nofile"}, 252, "\nError parsing parameter '--body': Blob values must be a path to a file.\n"},
	} {
		r := w.run("", tc.args...)
		if r.code != tc.code || !strings.HasPrefix(r.stderr, tc.stderr) {
			t.Errorf("awsx %s: exit %d, stderr %q\nwant exit %d, stderr starting %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.code, tc.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(w.home, "out")); err == nil {
		t.Error("a failed get-object created its outfile")
	}
}

// s3api: the outfile of get-object, keys with spaces and non-ASCII letters through
// encoding-type=url listings, pages of list-objects by botocore's tokens.
func TestS3API(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.ok("s3api", "create-bucket", "--bucket", "api-lab")
	w.write("body.txt", "body text\n")
	for _, key := range []string{"a b.txt", "naïve/ü+plus.txt", "p/1", "p/2", "p/3"} {
		w.ok("s3api", "put-object", "--bucket", "api-lab", "--key", key, "--body", "body.txt")
	}
	out := w.ok("s3api", "get-object", "--bucket", "api-lab", "--key", "a b.txt", "got.txt")
	if w.read("got.txt") != "body text\n" || strings.Contains(out, "Body") || !strings.Contains(out, `"Metadata": {}`) {
		t.Errorf("get-object: file %q, output %s", w.read("got.txt"), out)
	}
	wantLines(t, "list-objects-v2 keys", lines(w.ok("s3api", "list-objects-v2", "--bucket", "api-lab", "--query", "Contents[].Key", "--output", "text"), false),
		"a b.txt\tnaïve/ü+plus.txt\tp/1\tp/2\tp/3")
	wantLines(t, "list-objects delimiter", lines(w.ok("s3api", "list-objects", "--bucket", "api-lab", "--delimiter", "/", "--query", "CommonPrefixes[].Prefix", "--output", "text"), false),
		"naïve/\tp/")
	// Asked for by the caller, the keys stay encoded (a+b.txt or a%20b.txt, as the server writes them).
	if got := w.ok("s3api", "list-objects", "--bucket", "api-lab", "--encoding-type", "url", "--prefix", "a", "--query", "Contents[].Key", "--output", "text"); strings.Contains(got, " ") {
		t.Errorf("list-objects --encoding-type url decoded the keys: %q", got)
	}
	// Pages of two keys (ListObjects' token is the last key), printed page by page in text.
	wantLines(t, "list-objects pages", lines(w.ok("s3api", "list-objects", "--bucket", "api-lab", "--page-size", "2", "--query", "Contents[].Key", "--output", "text"), false),
		"a b.txt\tnaïve/ü+plus.txt", "p/1\tp/2", "p/3")
	token := strings.Trim(strings.TrimSpace(w.ok("s3api", "list-objects-v2", "--bucket", "api-lab", "--max-items", "2", "--query", "NextToken")), `"`)
	wantLines(t, "list-objects-v2 --starting-token", lines(w.ok("s3api", "list-objects-v2", "--bucket", "api-lab", "--starting-token", token, "--query", "Contents[].Key", "--output", "text"), false),
		"p/1\tp/2\tp/3")
	wantLines(t, "get-bucket-location", lines(w.ok("s3api", "get-bucket-location", "--bucket", "api-lab"), false), "{", `    "LocationConstraint": null`, "}")
	w.ok("s3api", "create-bucket", "--bucket", "api-lab-eu", "--create-bucket-configuration", "LocationConstraint=eu-west-1", "--region", "eu-west-1")
	wantLines(t, "get-bucket-location eu", lines(w.ok("s3api", "get-bucket-location", "--bucket", "api-lab-eu", "--output", "text"), false), "eu-west-1")
}

// With no endpoint, the s3 commands use the embedded simulator and keep its state.
func TestS3EmbeddedState(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	if err := os.WriteFile(filepath.Join(home, "note.txt"), []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runAwsx(t, env, home, "s3", "mb", "s3://kept"); r.code != 0 || r.stdout != "make_bucket: kept\n" {
		t.Fatalf("mb: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runAwsx(t, env, home, "s3", "cp", "note.txt", "s3://kept/"); r.code != 0 {
		t.Fatalf("cp: %d %q", r.code, r.stderr)
	}
	if r := runAwsx(t, env, home, "s3api", "get-object", "--bucket", "kept", "--key", "note.txt", "back.txt"); r.code != 0 {
		t.Fatalf("get-object in a later invocation: %d %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(home, "back.txt")); string(b) != "kept\n" {
		t.Errorf("the object read back: %q", b)
	}
}

// s3api's help: the synopsis of an operation whose output streams ends with <outfile>, a
// streaming body is a "streaming blob"; the s3 commands are listed and completed.
func TestS3HelpAndCompletion(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	r := runAwsx(t, env, home, "s3api", "get-object", "help")
	syn := section(r.stdout, "SYNOPSIS", regexp.MustCompile(`^\s*\[--debug\]`))
	if len(syn) == 0 || syn[len(syn)-1] != "<outfile>" || strings.Contains(r.stdout, "--cli-input-json") {
		t.Errorf("get-object help's synopsis: %q", syn)
	}
	if !strings.Contains(r.stdout, "       outfile (string)\n") {
		t.Errorf("get-object help has no outfile option:\n%s", r.stdout)
	}
	if r := runAwsx(t, env, home, "s3api", "put-object", "help"); !strings.Contains(r.stdout, "--body (streaming blob)") {
		t.Errorf("put-object help: no streaming blob --body")
	}
	if r := runAwsx(t, env, home, "s3", "cp", "help"); r.code != 0 || !strings.Contains(r.stdout, "--recursive (boolean)") {
		t.Errorf("s3 cp help: %d %q", r.code, r.stdout)
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"s3", ""}, "sync"},
		{[]string{"s3", "cp", "--rec"}, "--recursive"},
		{[]string{"s3api", "get-obj"}, "get-object"},
		{[]string{"s3a"}, "s3api"},
	} {
		got := runAwsx(t, env, home, append([]string{"__complete"}, tc.words...)...)
		if !containsLine(strings.Split(got.stdout, "\n"), tc.want) && !strings.Contains(got.stdout, tc.want+"\t") {
			t.Errorf("completing %q: %q lacks %q", tc.words, got.stdout, tc.want)
		}
	}
}

// s3api operations' help pages have the AWS CLI v2's synopsis.
func TestS3HelpMatchesAWSCLI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff, which the AWS CLI renders help with, is not installed")
	}
	v2 := v2Only(t)
	home := t.TempDir()
	env := append(cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "PAGER=cat", "MANPAGER=cat")
	overstrike := regexp.MustCompile(".\b")
	globals := regexp.MustCompile(`^\s*\[--debug\]`)
	for _, args := range [][]string{{"s3api", "get-object"}, {"s3api", "put-object"}, {"s3api", "list-objects-v2"}, {"s3api", "put-bucket-policy"}} {
		want := run(t, v2, env, home, append(args, "help")...)
		got := runAwsx(t, env, home, append(args, "help")...)
		w, g := section(overstrike.ReplaceAllString(want.stdout, ""), "SYNOPSIS", globals), section(got.stdout, "SYNOPSIS", globals)
		if want.code != 0 || got.code != 0 || strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%s help: exit %d (the AWS CLI %d); synopsis\nawsx:\n%s\naws:\n%s", strings.Join(args, " "), got.code, want.code,
				strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
	}
}
