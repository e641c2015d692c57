package guest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var t0 = time.Date(2025, 1, 21, 10, 0, 0, 0, time.UTC)

// newTestStore returns a store whose metadata service answers its instance ID, and an
// instance of the image launched on it with the user data.
func newTestStore(t testing.TB, image string, userData string) (*Store, Instance) {
	t.Helper()
	clock := core.NewClock(func() time.Time { return t0 })
	s := NewStore(clock, Env{Metadata: func(id string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/latest/api/token" && r.Method == http.MethodPut {
				io.WriteString(w, "TOKEN")
				return
			}
			if r.URL.Path == "/latest/meta-data/instance-id" {
				io.WriteString(w, id)
				return
			}
			http.NotFound(w, r)
		})
	}})
	in := Instance{ID: "i-0123456789abcdef0", Region: "us-east-1", ImageName: image, PrivateIP: "172.31.5.6"}
	var ud []byte
	if userData != "" {
		ud = []byte(userData)
	}
	s.Handle(context.Background(), Event{Kind: Launched, Instance: in, UserData: ud, Time: t0})
	return s, in
}

// run runs script on the instance and returns its exit status, stdout and stderr.
func run(t *testing.T, s *Store, in Instance, script string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code, err := s.Run(context.Background(), in, script, RunOptions{Stdout: &out, Stderr: &errOut})
	if err != nil {
		t.Fatalf("Run(%q): %v", script, err)
	}
	return code, out.String(), errOut.String()
}

const (
	al2023Image = "al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64"
	al2Image    = "amzn2-ami-kernel-5.10-hvm-2.0.20250108.0-x86_64-gp2"
	ubuntuImage = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115"
	debianImage = "debian-12-amd64-20250112-1992"
)

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		name, image, script string
		code                int
		stdout, stderr      string // stdout exactly; stderr contains
	}{
		{"whoami", al2023Image, "whoami", 0, "ec2-user\n", ""},
		{"whoami ubuntu", ubuntuImage, "whoami", 0, "ubuntu\n", ""},
		{"whoami debian", debianImage, "whoami", 0, "admin\n", ""},
		{"sudo whoami", al2023Image, "sudo whoami", 0, "root\n", ""},
		{"id", al2023Image, "id", 0, "uid=1000(ec2-user) gid=1000(ec2-user) groups=1000(ec2-user),4(adm),10(wheel),190(systemd-journal)\n", ""},
		{"id -un", al2023Image, "id -un", 0, "ec2-user\n", ""},
		{"sudo id", al2023Image, "sudo id", 0, "uid=0(root) gid=0(root) groups=0(root)\n", ""},
		{"hostname", al2023Image, "hostname", 0, "ip-172-31-5-6.ec2.internal\n", ""},
		{"hostname -I", al2023Image, "hostname -I", 0, "172.31.5.6 \n", ""},
		{"uname", al2023Image, "uname", 0, "Linux\n", ""},
		{"uname -r", al2Image, "uname -r", 0, "5.10.233-223.887.amzn2.x86_64\n", ""},
		{"uname -sm", al2023Image, "uname -s -m", 0, "Linux x86_64\n", ""},
		{"pwd", al2023Image, "pwd", 0, "/home/ec2-user\n", ""},
		{"echo", al2023Image, "echo hello world", 0, "hello world\n", ""},
		{"os-release", ubuntuImage, "grep PRETTY_NAME /etc/os-release", 0, "PRETTY_NAME=\"Ubuntu 24.04 LTS\"\n", ""},
		{"os-release al2", al2Image, "head -n 2 /etc/os-release", 0, "NAME=\"Amazon Linux\"\nVERSION=\"2\"\n", ""},
		{"cat missing", al2023Image, "cat /nope", 1, "", "cat: /nope: No such file or directory"},
		{"write home", al2023Image, "echo hi > a.txt; cat a.txt; ls", 0, "hi\na.txt\n", ""},
		{"append", al2023Image, "echo a > f; echo b >> f; cat f; wc -l f", 0, "a\nb\n2 f\n", ""},
		{"write root-owned", al2023Image, "echo hi > /etc/motd", 1, "", "bash: /etc/motd: Permission denied"},
		{"sudo tee", al2023Image, "echo hi | sudo tee /etc/motd >/dev/null; cat /etc/motd", 0, "hi\n", ""},
		{"mkdir -p", al2023Image, "mkdir -p a/b/c && touch a/b/c/x && ls a/b/c", 0, "x\n", ""},
		{"mkdir exists", al2023Image, "mkdir a; mkdir a", 1, "", "mkdir: cannot create directory ‘a’: File exists"},
		{"mkdir denied", al2023Image, "mkdir /opt/app", 1, "", "mkdir: cannot create directory ‘/opt/app’: Permission denied"},
		{"cp mv rm", al2023Image, "echo x > a; cp a b; mv b c; rm a; ls; cat c", 0, "c\nx\n", ""},
		{"cp -r", al2023Image, "mkdir -p d/e; echo 1 > d/e/f; cp -r d d2; cat d2/e/f", 0, "1\n", ""},
		{"cp dir without -r", al2023Image, "mkdir d; cp d e", 1, "", "cp: -r not specified; omitting directory ‘d’"},
		{"rm missing", al2023Image, "rm nope", 1, "", "rm: cannot remove ‘nope’: No such file or directory"},
		{"rm -f missing", al2023Image, "rm -f nope", 0, "", ""},
		{"rm dir", al2023Image, "mkdir d; rm d", 1, "", "rm: cannot remove ‘d’: Is a directory"},
		{"rm -rf", al2023Image, "mkdir -p d/e; touch d/e/f; rm -rf d; ls", 0, "", ""},
		{"chmod", al2023Image, "touch k.pem; chmod 400 k.pem; ls -l k.pem", 0, "-r--------. 1 ec2-user ec2-user 0 Jan 21 10:00 k.pem\n", ""},
		{"chmod symbolic", al2023Image, "touch s; chmod u+x s; ls -l s", 0, "-rwxr--r--. 1 ec2-user ec2-user 0 Jan 21 10:00 s\n", ""},
		{"chmod other's", al2023Image, "chmod 777 /etc/os-release", 1, "", "chmod: changing permissions of ‘/etc/os-release’: Operation not permitted"},
		{"ls -la", ubuntuImage, "ls -la", 0, "total 12\ndrwx------ 2 ubuntu ubuntu 4096 Jan 21 10:00 .\ndrwxr-xr-x 2 root root 4096 Jan 21 10:00 ..\n-rw-r--r-- 1 ubuntu ubuntu 10 Jan 21 10:00 .bashrc\n", ""},
		{"ls missing", al2023Image, "ls /nope", 2 - 1, "", "ls: cannot access '/nope': No such file or directory"},
		{"ls root", al2023Image, "ls /root", 1, "", "ls: cannot open directory '/root': Permission denied"},
		{"grep", al2023Image, "printf 'a\\nb\\nab\\n' > f; grep -n b f; grep -c a f; grep -v a f; grep -q zz f", 1, "2:b\n3:ab\n2\nb\n", ""},
		{"grep -i -E", al2023Image, "printf 'Foo\\nbar\\n' | grep -iE 'foo|baz'", 0, "Foo\n", ""},
		{"head tail", al2023Image, "seq() { i=1; while [ $i -le $1 ]; do echo $i; i=$((i+1)); done; }; seq 20 > n; head -3 n; tail -n 2 n; tail -n +19 n", 0, "1\n2\n3\n19\n20\n19\n20\n", ""},
		{"not found", al2023Image, "nosuch", 127, "", "bash: nosuch: command not found"},
		{"not found lists", al2023Image, "nosuch", 127, "", "whoami"},
		{"apt on amazon", al2023Image, "apt-get install nginx", 127, "", "apt-get: command not found"},
		{"yum on ubuntu", ubuntuImage, "yum install httpd", 127, "", "yum: command not found"},
		{"yum not root", al2Image, "yum install -y httpd", 1, "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd\n", "You need to be root to perform this command."},
		{"dnf not root", al2023Image, "dnf install -y httpd", 1, "", "This command has to be run with superuser privileges"},
		{"yum unknown", al2023Image, "sudo yum install -y nosuchpkg", 1, "No match for argument: nosuchpkg\n", "Error: Unable to find a match: nosuchpkg"},
		{"apt not root", ubuntuImage, "apt-get install -y nginx", 100, "", "are you root?"},
		{"apt unknown", ubuntuImage, "sudo apt-get install -y nosuchpkg", 100, "Reading package lists...\nBuilding dependency tree...\nReading state information...\n", "E: Unable to locate package nosuchpkg"},
		{"systemctl unknown", al2023Image, "systemctl status nosuch", 4, "", "Unit nosuch.service could not be found."},
		{"systemctl not root", al2023Image, "sudo yum install -y -q httpd >/dev/null; systemctl start httpd", 1, "", "Interactive authentication required"},
		{"is-active", al2023Image, "sudo yum install -y httpd >/dev/null; systemctl is-active httpd; sudo systemctl start httpd; systemctl is-active httpd", 0, "inactive\nactive\n", ""},
		{"sshd active", al2023Image, "systemctl is-active sshd", 0, "active\n", ""},
		{"apache2 starts on install", ubuntuImage, "sudo apt-get install -y apache2 >/dev/null; systemctl is-active apache2; curl -s localhost | head -n 3 | tail -n 1", 0, "active\n<head><title>Apache2 Default Page: It works</title></head>\n", ""},
		{"curl metadata", al2023Image, "curl -s http://169.254.169.254/latest/meta-data/instance-id", 0, "i-0123456789abcdef0", ""},
		{"curl nothing listens", al2023Image, "curl localhost", 7, "", "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"},
		{"curl silent", al2023Image, "curl -s localhost", 7, "", ""},
		{"curl elsewhere", al2023Image, "curl -sS http://example.com/", 7, "", "curl: (7) Failed to connect to example.com port 80 after 0 ms"},
		{"curl -f", al2023Image, "curl -sf http://169.254.169.254/nope", 22, "", ""},
		{"python version", al2023Image, "python3 --version", 0, "Python 3.9.20\n", ""},
		{"python server", al2023Image, "mkdir site; echo hey > site/index.html; cd site; nohup python3 -m http.server 8080 > /dev/null 2>&1 & curl -s localhost:8080/", 0, "hey\n", ""},
		{"python low port", al2023Image, "python3 -m http.server 80", 1, "", "PermissionError: [Errno 13] Permission denied"},
		{"sudo bash -c", al2023Image, "sudo bash -c 'echo x > /opt/f'; cat /opt/f", 0, "x\n", ""},
		{"script file", al2023Image, "printf '#!/bin/bash\\necho from script $1\\n' > s.sh; ./s.sh; chmod +x s.sh; ./s.sh arg", 0, "from script arg\n", "bash: ./s.sh: Permission denied"},
		{"process substitution", al2023Image, "cat <(echo x)", 2, "", "process substitution"},
		{"date", al2023Image, "date; date +%Y-%m-%d", 0, "Tue Jan 21 10:00:00 UTC 2025\n2025-01-21\n", ""},
		{"command -v", al2023Image, "command -v yum; command -v nosuch || echo none", 0, "/usr/bin/yum\nnone\n", ""},
		{"type", al2023Image, "type cd ls", 0, "cd is a shell builtin\nls is /usr/bin/ls\n", ""},
		{"usr bin path", al2023Image, "/usr/bin/whoami", 0, "ec2-user\n", ""},
		{"aws configure", al2023Image, "printf 'AKIAEXAMPLE1234\\nsecret\\nus-west-2\\njson\\n' | aws configure; echo; cat ~/.aws/config; aws configure get region", 0,
			"AWS Access Key ID [None]: AWS Secret Access Key [None]: Default region name [None]: Default output format [None]: \n[default]\noutput = json\nregion = us-west-2\nus-west-2\n", ""},
		{"aws without cli", al2023Image, "aws sts get-caller-identity", 255, "", "runs no AWS CLI"},
		{"aws on ubuntu", ubuntuImage, "aws --version", 127, "", "aws: command not found"},
		{"node installed", al2023Image, "sudo yum install -y nodejs > /dev/null; node --version", 0, "v18.20.5\n", ""},
		{"cloud-init status", al2023Image, "cloud-init status", 0, "status: done\n", ""},
		{"sleep", al2023Image, "sleep 100; echo done", 0, "done\n", ""},
		{"exit code", al2023Image, "exit 3", 3, "", ""},
		{"syntax error", al2023Image, "if then", 2, "", "bash:"},
		{"env home", al2023Image, "echo $HOME $USER; sudo sh -c 'echo $HOME $USER'", 0, "/home/ec2-user ec2-user\n/root root\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, in := newTestStore(t, tc.image, "")
			code, out, errOut := run(t, s, in, tc.script)
			if code != tc.code || out != tc.stdout || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, stderr containing %q", tc.script, code, out, errOut, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// TestWebServer: httpd installed and started serves /var/www/html on port 80, to curl on
// the instance and to Handler; stopping it closes the port.
func TestWebServer(t *testing.T) {
	s, in := newTestStore(t, al2023Image, "")
	code, out, errOut := run(t, s, in, `sudo yum install -y httpd
sudo systemctl enable --now httpd
echo '<h1>Hello</h1>' | sudo tee /var/www/html/index.html
curl -s http://localhost/`)
	if code != 0 || !strings.HasSuffix(out, "<h1>Hello</h1>\n<h1>Hello</h1>\n") || !strings.Contains(out, "Installed:\n  httpd-2.4.62-1.amzn2023.x86_64") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !s.Listening(in.ID, 80) || s.Listening(in.ID, 8080) {
		t.Errorf("Listening(80), Listening(8080) = %v, %v; want true, false", s.Listening(in.ID, 80), s.Listening(in.ID, 8080))
	}
	h := s.Handler(in.ID, 80)
	for _, tc := range []struct {
		path string
		code int
		body string
	}{
		{"/", 200, "<h1>Hello</h1>\n"},
		{"/index.html", 200, "<h1>Hello</h1>\n"},
		{"/missing", 404, "The requested URL was not found on this server."},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.body) || w.Header().Get("Server") != "Apache/2.4.62 (Amazon Linux)" {
			t.Errorf("GET %s: %d %q %v", tc.path, w.Code, w.Body, w.Header())
		}
	}
	run(t, s, in, "sudo systemctl stop httpd")
	if s.Listening(in.ID, 80) || s.Handler(in.ID, 80) != nil {
		t.Error("httpd stopped still listens")
	}
	// A stop shuts the machine down; a start brings enabled services back.
	s.Handle(context.Background(), Event{Kind: Started, Instance: in, Time: t0})
	if !s.Listening(in.ID, 80) {
		t.Error("an enabled httpd does not start at boot")
	}
	s.Handle(context.Background(), Event{Kind: Stopped, Instance: in, Time: t0})
	if s.Listening(in.ID, 22) {
		t.Error("a stopped instance listens")
	}
	if _, err := s.Run(context.Background(), in, "true", RunOptions{}); err == nil {
		t.Error("Run on a stopped instance: no error")
	}
}

// TestBounds: a script that loops or writes without end stops.
func TestBounds(t *testing.T) {
	s, in := newTestStore(t, al2023Image, "")
	for _, script := range []string{
		"while true; do :; done",
		"while :; do echo yes; done",
		"for ((;;)); do x=1; done",
		"f() { f; }; f",
		"while true; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >> big; done",
	} {
		start := time.Now()
		var out bytes.Buffer
		code, err := s.Run(context.Background(), in, script, RunOptions{Stdout: &out, Stderr: &out, Timeout: time.Second})
		if err != nil || code == 0 || time.Since(start) > 5*time.Second || out.Len() > maxOutput+1024 {
			t.Errorf("%q: exit %d, %v, after %v, %d bytes out", script, code, err, time.Since(start), out.Len())
		}
	}
}

func TestTextTools(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		code         int
		stdout       string
	}{
		{"sed s", "echo 'Listen 80' | sed 's/80/8080/'", 0, "Listen 8080\n"},
		{"sed g & groups", "echo 'a-b-c' | sed -E 's/([a-z])/<\\1>/g; s/-/&&/'", 0, "<a>--<b>-<c>\n"},
		{"sed -i", "echo 'x=1' > f; sed -i 's/1/2/' f; cat f", 0, "x=2\n"},
		{"sed -i root file", "sudo yum install -y httpd >/dev/null; sudo sed -i 's/^Listen 80$/Listen 8080/' /etc/httpd/conf/httpd.conf; grep Listen /etc/httpd/conf/httpd.conf", 0, "Listen 8080\n"},
		{"sed unsupported", "echo a | sed 'p'", 1, ""},
		{"find", "mkdir -p w/a; touch w/a/x.html w/y.txt; find w -type f -name '*.html'; find w -type d", 0, "w/a/x.html\nw\nw/a\n"},
		{"find -exec", "mkdir -p w; touch w/f; find w -type f -exec chmod 600 {} \\;; ls -l w/f", 0, "-rw-------. 1 ec2-user ec2-user 0 Jan 21 10:00 w/f\n"},
		{"ec2-metadata", "ec2-metadata -i", 0, "instance-id: i-0123456789abcdef0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, in := newTestStore(t, al2023Image, "")
			code, out, errOut := run(t, s, in, tc.script)
			if code != tc.code || out != tc.stdout {
				t.Errorf("%q: %d %q %q, want %d %q", tc.script, code, out, errOut, tc.code, tc.stdout)
			}
		})
	}
}

// TestPersist: a machine survives MarshalJSON and UnmarshalJSON; a state whose files do not
// hang together is refused, and changes nothing.
func TestPersist(t *testing.T) {
	s, in := newTestStore(t, ubuntuImage, "")
	run(t, s, in, "echo kept > k; sudo apt-get install -y nginx; python3 -m http.server 8000")
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := newTestStore(t, al2Image, "")
	for _, bad := range []string{
		`{"Machines":{"i-1":null}}`,
		`{"Machines":{"i-1":{"Files":{}}}}`,
		`{"Machines":{"i-1":{"Files":{"/":{"Dir":true},"/a/b":{}}}}}`,
		`{"Machines":{"i-1":{"Files":{"/":{"Dir":true},"a":{}}}}}`,
		`{"Machines":{"i-1":{"Files":{"/":{"Dir":true},"/x":null}}}}`,
		`[]`,
	} {
		if err := d.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%s): no error", bad)
		}
	}
	if code, out, _ := run(t, d, in, "whoami"); code != 0 || out != "ec2-user\n" {
		t.Errorf("after refused states: %d %q", code, out)
	}
	if err := d.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, d, in, "cat k; whoami; systemctl is-active nginx; curl -s localhost:8000/k"); code != 0 || out != "kept\nubuntu\nactive\nkept\n" {
		t.Errorf("after UnmarshalJSON: %d %q", code, out)
	}
}

// BenchmarkLaunch is what a launch without user data costs the guest: its machine made.
func BenchmarkLaunch(b *testing.B) {
	s := NewStore(core.NewClock(func() time.Time { return t0 }), Env{})
	in := Instance{ID: "i-0123456789abcdef0", Region: "us-east-1", ImageName: al2023Image, PrivateIP: "172.31.5.6"}
	b.ReportAllocs()
	for b.Loop() {
		s.Handle(context.Background(), Event{Kind: Launched, Instance: in, Time: t0})
	}
}

// TestNoHostTemp: the interpreter opens its own FIFOs in its temporary directory on the host
// without the open handler; a script naming such a path reaches the machine's files only.
func TestNoHostTemp(t *testing.T) {
	s, in := newTestStore(t, al2023Image, "")
	host := os.TempDir()
	name := "sh-interp-awsx-guest-test"
	defer os.Remove(host + "/" + name)
	run(t, s, in, "echo x > "+host+"/"+name+"; sudo sh -c 'echo y > "+host+"/"+name+"'; TMPDIR=/tmp; echo z > /tmp/"+name+"; echo w > $'/\\x00awsx-sim-no-host-files/sh-interp-x'")
	if _, err := os.Stat(host + "/" + name); err == nil {
		t.Errorf("a script wrote %s on the host", host+"/"+name)
	}
}
