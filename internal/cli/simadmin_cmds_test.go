package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimCurlAndInbox: sim curl fetches a bucket's website endpoint, and sim inbox reads
// and confirms SNS's mail, on the embedded simulator.
func TestSimCurlAndInbox(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simCurlAndInbox(t, env, home)
}

// TestSimCurlAndInboxServed: the same against awsx sim serve, through its admin API.
func TestSimCurlAndInboxServed(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	url := startServer(t)
	simCurlAndInbox(t, append(env, "AWS_ENDPOINT_URL="+url), home)
	// The option after sim curl, which parses its own words.
	if r := runAwsx(t, env, home, "sim", "curl", "--endpoint-url", url, "-s", "http://site.s3-website-us-east-1.amazonaws.com/"); r.code != 0 || !strings.Contains(r.stdout, "<h1>403 Forbidden</h1>") {
		t.Errorf("sim curl --endpoint-url URL: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".awsx")); err == nil {
		t.Errorf("sim curl and inbox on a served simulator made the embedded one's state directory")
	}
	// No simulator at the URL: curl's failure to connect.
	if r := runAwsx(t, env, home, "sim", "curl", "--endpoint-url", "http://127.0.0.1:1", "http://site.s3-website-us-east-1.amazonaws.com/"); r.code != 7 ||
		!strings.HasPrefix(r.stderr, "curl: (7) Failed to connect to site.s3-website-us-east-1.amazonaws.com: no simulator answers at http://127.0.0.1:1") {
		t.Errorf("sim curl with no simulator: %d %q", r.code, r.stderr)
	}
}

func simCurlAndInbox(t *testing.T, env []string, home string) {
	ok := func(args ...string) string {
		t.Helper()
		r := runAwsx(t, env, home, args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r.stdout
	}
	os.WriteFile(filepath.Join(home, "index.html"), []byte("<h1>hello</h1>\n"), 0o644)
	ok("s3", "mb", "s3://site")
	ok("s3", "cp", "index.html", "s3://site/index.html", "--content-type", "text/html")
	ok("s3", "website", "s3://site", "--index-document", "index.html")
	site := "http://site.s3-website-us-east-1.amazonaws.com/"
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{site}, 0, "<h1>hello</h1>\n", ""},
		{[]string{"-sI", site}, 0, "HTTP/1.1 403 Forbidden\r\n", ""}, // Block Public Access
		{[]string{"-sf", site + "missing.html"}, 22, "", "curl: (22) The requested URL returned error: 403\n"},
		{[]string{"http://example.com/"}, 6, "", "curl: (6) Could not resolve host: example.com"},
	} {
		if tc.code == 0 && tc.stdout == "<h1>hello</h1>\n" {
			// Public, for its first case only.
			ok("s3api", "put-public-access-block", "--bucket", "site", "--public-access-block-configuration",
				"BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false")
			os.WriteFile(filepath.Join(home, "policy.json"), []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}`), 0o644)
			ok("s3api", "put-bucket-policy", "--bucket", "site", "--policy", "file://policy.json")
		}
		r := runAwsx(t, env, home, append([]string{"sim", "curl"}, tc.args...)...)
		if r.code != tc.code || !strings.HasPrefix(r.stdout, tc.stdout) || !strings.HasPrefix(r.stderr, tc.stderr) {
			t.Errorf("sim curl %s: %d %q %q, want %d %q %q", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
		}
		if tc.code == 0 && tc.stdout == "<h1>hello</h1>\n" {
			ok("s3api", "delete-bucket-policy", "--bucket", "site")
		}
	}

	if got := ok("sim", "inbox"); got != "No mail: no email subscription has been sent anything.\n" {
		t.Errorf("an empty inbox: %q", got)
	}
	topic := strings.TrimSpace(ok("sns", "create-topic", "--name", "alerts", "--query", "TopicArn", "--output", "text"))
	ok("sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint", "ana@example.com")
	if got := ok("sim", "inbox"); got != "ana@example.com\t1 message\n" {
		t.Errorf("sim inbox: %q", got)
	}
	if got := ok("sim", "inbox", "ana@example.com"); !strings.Contains(got, "--- 1 ---") || !strings.Contains(got, "(To confirm: awsx sim inbox ana@example.com --confirm 1") {
		t.Errorf("sim inbox ana@example.com: %q", got)
	}
	if r := runAwsx(t, env, home, "sim", "inbox", "ana@example.com", "--confirm", "2"); r.code == 0 || !strings.Contains(r.stderr, "ana@example.com has no mail 2 (it has 1)") {
		t.Errorf("--confirm 2: %d %q", r.code, r.stderr)
	}
	if got := ok("sim", "inbox", "ana@example.com", "--confirm", "1"); !strings.HasPrefix(got, "Subscription confirmed!") || !strings.Contains(got, topic+":") {
		t.Errorf("--confirm 1: %q", got)
	}
	ok("sns", "publish", "--topic-arn", topic, "--subject", "Disk", "--message", "80% full")
	if got := ok("sim", "inbox", "ana@example.com"); !strings.Contains(got, "--- 2 ---") || !strings.Contains(got, "Subject: Disk\n\n80% full") {
		t.Errorf("the published mail: %q", got)
	}
	if got := ok("sim", "inbox", "bob@example.com"); got != "No mail for bob@example.com.\n" {
		t.Errorf("no mail: %q", got)
	}
}
