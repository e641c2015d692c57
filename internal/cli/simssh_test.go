package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// sshWorld is an instance of the embedded simulator that SSH from the learner reaches: a
// security group that lets tcp/22 in from the learner's address, a key pair saved as
// key.pem (0400), an Amazon Linux instance launched with it.
type sshWorld struct {
	t                *testing.T
	home             string
	env              []string
	id, sg, ip, priv string
	dns              string
	global           []string // options before every awsx command line (--endpoint-url)
}

func newSSHWorld(t *testing.T) *sshWorld { return newSSHWorldWith(t) }

// newSSHWorldWith is newSSHWorld with global's options on every awsx command line.
func newSSHWorldWith(t *testing.T, global ...string) *sshWorld {
	home, env := embeddedEnv(t)
	w := &sshWorld{t: t, home: home, env: env, global: global}
	w.sg = w.ok("ec2", "create-security-group", "--group-name", "ssh", "--description", "ssh", "--query", "GroupId", "--output", "text")
	w.ok("ec2", "authorize-security-group-ingress", "--group-id", w.sg, "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.10/32")
	w.saveKey("lab-key", "key.pem")
	w.id = w.ok("ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "t2.micro", "--key-name", "lab-key",
		"--security-group-ids", w.sg, "--query", "Instances[0].InstanceId", "--output", "text")
	addrs := strings.Fields(w.ok("ec2", "describe-instances", "--instance-ids", w.id, "--query",
		"Reservations[0].Instances[0].[PublicIpAddress,PrivateIpAddress,PublicDnsName]", "--output", "text"))
	if len(addrs) != 3 {
		t.Fatalf("the instance's addresses: %q", addrs)
	}
	w.ip, w.priv, w.dns = addrs[0], addrs[1], addrs[2]
	return w
}

// saveKey creates the key pair name and saves its private key to file, chmod 400.
func (w *sshWorld) saveKey(name, file string) {
	w.t.Helper()
	pemText := w.ok("ec2", "create-key-pair", "--key-name", name, "--query", "KeyMaterial", "--output", "text")
	if err := os.WriteFile(filepath.Join(w.home, file), []byte(pemText+"\n"), 0o400); err != nil {
		w.t.Fatal(err)
	}
}

func (w *sshWorld) run(stdin string, args ...string) result {
	w.t.Helper()
	return runAwsxStdin(w.t, w.env, w.home, stdin, append(slices.Clone(w.global), args...)...)
}

func (w *sshWorld) ok(args ...string) string {
	w.t.Helper()
	r := w.run("", args...)
	if r.code != 0 {
		w.t.Fatalf("awsx %s: %d %s %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// refused checks that awsx args exits 255 having said want (OpenSSH's words) and then an
// awsx line holding why.
func (w *sshWorld) refused(args []string, want, why string) {
	w.t.Helper()
	r := w.run("", args...)
	if r.code != 255 || !strings.Contains(r.stderr, want) || r.stdout != "" {
		w.t.Errorf("awsx %s: %d %q %q; want 255 and %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, want)
		return
	}
	_, after, _ := strings.Cut(r.stderr, want)
	if !strings.HasPrefix(after, "awsx: ") && !strings.Contains(after, "\nawsx: ") || !strings.Contains(after, why) {
		w.t.Errorf("awsx %s: no awsx line saying %q after OpenSSH's message: %q", strings.Join(args, " "), why, r.stderr)
	}
}

func TestSimSSH(t *testing.T) {
	t.Parallel()
	testSimSSH(t, newSSHWorld(t))
}

// TestSimSSHServed: the same against awsx sim serve, through its admin API.
func TestSimSSHServed(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	w := newSSHWorldWith(t, "--endpoint-url", url)
	// The option after sim ssh and sim on, which parse their own words, as after sim advance.
	for _, args := range [][]string{
		{"sim", "ssh", "--endpoint-url", url, "-i", "key.pem", "ec2-user@" + w.ip, "whoami"},
		{"sim", "on", "--endpoint-url=" + url, w.id, "whoami"},
	} {
		if r := runAwsx(t, w.env, w.home, args...); r.code != 0 || r.stdout != "ec2-user\n" {
			t.Errorf("awsx %s: %d %q %q", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	if r := runAwsx(t, w.env, w.home, "sim", "on", "--endpoint-url"); r.code == 0 || !strings.Contains(r.stderr, "expected one argument") {
		t.Errorf("sim on --endpoint-url: %d %q", r.code, r.stderr)
	}
	testSimSSH(t, w)
	if _, err := os.Stat(filepath.Join(w.home, ".awsx")); err == nil {
		t.Errorf("ssh to a served simulator made the embedded one's state directory")
	}
}

func testSimSSH(t *testing.T, w *sshWorld) {
	ssh := func(args ...string) []string { return append([]string{"sim", "ssh"}, args...) }
	denied := "ec2-user@" + w.ip + ": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n"

	// Success: a command, its exit status, a script on stdin, the DNS name.
	if got := w.ok(ssh("-i", "key.pem", "ec2-user@"+w.ip, "whoami")...); got != "ec2-user" {
		t.Errorf("ssh whoami: %q", got)
	}
	if got := w.ok(ssh("-i", "key.pem", "-o", "ConnectTimeout=5", "ec2-user@"+w.dns, "echo", "a", "&&", "hostname")...); got != "a\nip-"+strings.ReplaceAll(w.priv, ".", "-")+".ec2.internal" {
		t.Errorf("ssh by the DNS name, a command of several words: %q", got)
	}
	if r := w.run("", ssh("-i", "key.pem", "ec2-user@"+w.ip, "exit 3")...); r.code != 3 {
		t.Errorf("ssh 'exit 3': %d %q", r.code, r.stderr)
	}
	r := w.run("whoami\necho done\n", ssh("-i", "key.pem", "ec2-user@"+w.ip)...)
	if r.code != 0 || r.stdout != "ec2-user\ndone\n" || !strings.Contains(r.stderr, "Pseudo-terminal will not be allocated because stdin is not a terminal.") {
		t.Errorf("ssh with a script on stdin: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = w.run("", ssh("-i", "key.pem", "-o", "StrictHostKeyChecking=no", "ec2-user@"+w.ip, "true")...)
	if r.code != 0 || r.stderr != "Warning: Permanently added '"+w.ip+"' (ED25519) to the list of known hosts.\n" {
		t.Errorf("StrictHostKeyChecking=no: %d %q", r.code, r.stderr)
	}

	w.refused(ssh("-i", "key.pem", "-o", "StrictHostKeyChecking=yes", "ec2-user@"+w.ip, "true"),
		"No ED25519 host key is known for "+w.ip+" and you have requested strict checking.\nHost key verification failed.\n", "keeps no known_hosts")

	// The key file.
	if err := os.WriteFile(filepath.Join(w.home, "open.pem"), mustRead(t, filepath.Join(w.home, "key.pem")), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(w.home, "open.pem"), 0o644) // whatever the umask
	w.refused(ssh("-i", "open.pem", "ec2-user@"+w.ip, "whoami"), unprotectedKey("open.pem", 0o644)+
		"ec2-user@"+w.ip+": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n", "chmod 400 open.pem")
	r = w.run("", ssh("-i", "nokey.pem", "ec2-user@"+w.ip, "whoami")...)
	if r.code != 255 || !strings.HasPrefix(r.stderr, "Warning: Identity file nokey.pem not accessible: No such file or directory.\n"+denied) {
		t.Errorf("a missing key file: %d %q", r.code, r.stderr)
	}
	w.refused(ssh("ec2-user@"+w.ip, "whoami"), denied, "no key given")
	w.saveKey("other-key", "other.pem")
	w.refused(ssh("-i", "other.pem", "ec2-user@"+w.ip, "whoami"), denied, "is not the private key of key pair lab-key")
	os.WriteFile(filepath.Join(w.home, "junk.pem"), []byte("not a key\n"), 0o400)
	w.refused(ssh("-i", "junk.pem", "ec2-user@"+w.ip), "Load key \"junk.pem\": invalid format\n"+denied, "not a private key")

	// The user.
	w.refused(ssh("-i", "key.pem", "ubuntu@"+w.ip, "whoami"), "ubuntu@"+w.ip+": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n",
		"the user of this image is ec2-user, not ubuntu")

	// The host and the path to it.
	w.refused(ssh("-i", "key.pem", "ec2-user@198.51.100.99"), "ssh: connect to host 198.51.100.99 port 22: Connection timed out\n", "no instance of the simulator has the address 198.51.100.99")
	w.refused(ssh("-i", "key.pem", "ec2-user@"+w.priv), "ssh: connect to host "+w.priv+" port 22: Connection timed out\n", "private address of instance "+w.id)
	w.refused(ssh("-i", "key.pem", "-p", "2222", "ec2-user@"+w.ip), "ssh: connect to host "+w.ip+" port 2222: Connection timed out\n", "blocked by "+w.sg)
	w.refused(ssh("-i", "key.pem", "ec2-user@no.such.host"), "ssh: Could not resolve hostname no.such.host: Name or service not known\n", "not an address")
	w.ok("sim", "on", w.id, "sudo systemctl stop sshd")
	w.refused(ssh("-i", "key.pem", "ec2-user@"+w.ip), "ssh: connect to host "+w.ip+" port 22: Connection refused\n", "sshd does not run on instance "+w.id)
	w.ok("sim", "on", w.id, "sudo systemctl start sshd")
	w.ok("ec2", "revoke-security-group-ingress", "--group-id", w.sg, "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.10/32")
	w.refused(ssh("-i", "key.pem", "ec2-user@"+w.ip, "whoami"), "ssh: connect to host "+w.ip+" port 22: Connection timed out\n", "blocked by "+w.sg)
	w.ok("ec2", "authorize-security-group-ingress", "--group-id", w.sg, "--protocol", "tcp", "--port", "22", "--cidr", "203.0.113.10/32")
	alloc := strings.Fields(w.ok("ec2", "allocate-address", "--query", "[PublicIp,AllocationId]", "--output", "text"))
	eip := alloc[0]
	w.ok("ec2", "associate-address", "--instance-id", w.id, "--allocation-id", alloc[1])
	if got := w.ok(ssh("-i", "key.pem", "ec2-user@"+eip, "whoami")...); got != "ec2-user" {
		t.Errorf("ssh to the Elastic IP: %q", got)
	}
	w.refused(ssh("-i", "key.pem", "ec2-user@"+w.ip), "ssh: connect to host "+w.ip+" port 22: Connection timed out\n", "no instance of the simulator has the address "+w.ip)
	w.ok("ec2", "stop-instances", "--instance-ids", w.id)
	w.refused(ssh("-i", "key.pem", "ec2-user@"+eip), "ssh: connect to host "+eip+" port 22: Connection timed out\n", "instance "+w.id+" is stopp")

	// Usage.
	for _, args := range [][]string{ssh(), ssh("-Z", "host"), ssh("-i")} {
		if r := w.run("", args...); r.code != 255 || !strings.Contains(r.stderr, "usage: ssh") {
			t.Errorf("awsx %s: %d %q", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func TestSimSCP(t *testing.T) {
	t.Parallel()
	testSimSCP(t, newSSHWorld(t))
}

// TestSimSCPServed: the same against awsx sim serve, through its admin API.
func TestSimSCPServed(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	w := newSSHWorldWith(t, "--endpoint-url", url)
	os.WriteFile(filepath.Join(w.home, "one.txt"), []byte("1\n"), 0o644)
	// The option after sim scp, which parses its own words.
	if r := runAwsx(t, w.env, w.home, "sim", "scp", "--endpoint-url", url, "-i", "key.pem", "one.txt", "ec2-user@"+w.ip+":"); r.code != 0 {
		t.Errorf("sim scp --endpoint-url URL: %d %q", r.code, r.stderr)
	}
	testSimSCP(t, w)
	if got := w.ok("sim", "on", w.id, "cat one.txt"); got != "1" {
		t.Errorf("the file scp sent: %q", got)
	}
	if _, err := os.Stat(filepath.Join(w.home, ".awsx")); err == nil {
		t.Errorf("scp to a served simulator made the embedded one's state directory")
	}
}

func testSimSCP(t *testing.T, w *sshWorld) {
	dest := "ec2-user@" + w.ip
	os.WriteFile(filepath.Join(w.home, "index.html"), []byte("<h1>hello</h1>\n"), 0o644)
	os.MkdirAll(filepath.Join(w.home, "site", "css"), 0o755)
	os.WriteFile(filepath.Join(w.home, "site", "a.txt"), []byte("A\n"), 0o644)
	os.WriteFile(filepath.Join(w.home, "site", "css", "b.css"), []byte("b{}\n"), 0o644)

	w.ok("sim", "scp", "-i", "key.pem", "index.html", dest+":")
	if got := w.ok("sim", "ssh", "-i", "key.pem", dest, "cat index.html"); got != "<h1>hello</h1>" {
		t.Errorf("cat after scp up: %q", got)
	}
	w.ok("sim", "scp", "-i", "key.pem", "index.html", dest+":/tmp/page.html")
	if got := w.ok("sim", "on", w.id, "cat /tmp/page.html"); got != "<h1>hello</h1>" {
		t.Errorf("scp to a file name: %q", got)
	}
	w.ok("sim", "scp", "-i", "key.pem", "-r", "site", dest+":")
	if got := w.ok("sim", "on", w.id, "cat site/a.txt site/css/b.css"); got != "A\nb{}" {
		t.Errorf("scp -r up: %q", got)
	}
	// Down, to a directory and to a name.
	os.Mkdir(filepath.Join(w.home, "back"), 0o755)
	w.ok("sim", "scp", "-i", "key.pem", dest+":/etc/os-release", "back")
	if b := mustRead(t, filepath.Join(w.home, "back", "os-release")); !bytes.Contains(b, []byte("Amazon Linux")) {
		t.Errorf("scp down: %q", b)
	}
	w.ok("sim", "scp", "-i", "key.pem", "-r", dest+":site", "back/copy")
	if b := mustRead(t, filepath.Join(w.home, "back", "copy", "css", "b.css")); string(b) != "b{}\n" {
		t.Errorf("scp -r down: %q", b)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-i", "key.pem", dest + ":nothing.txt", "."}, 1, "scp: nothing.txt: No such file or directory\n"},
		{[]string{"-i", "key.pem", "missing.txt", dest + ":"}, 1, "scp: stat local \"missing.txt\": No such file or directory\n"},
		{[]string{"-i", "key.pem", "site", dest + ":"}, 1, "scp: local \"site\" is not a regular file\n"},
		{[]string{"-i", "key.pem", "index.html", dest + ":/etc/passwd"}, 1, "Permission denied"},
		{[]string{"-i", "key.pem", "index.html", "ubuntu@" + w.ip + ":"}, 255, "ubuntu@" + w.ip + ": Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n"},
		{[]string{"-i", "key.pem", "index.html", "copy.html"}, 1, "awsx: sim scp copies to or from an instance"},
	} {
		r := w.run("", append([]string{"sim", "scp"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("scp %s: %d %q; want %d and %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.code, tc.want)
		}
	}
	if r := w.run("", "sim", "scp", "-i", "key.pem", "index.html", "ubuntu@"+w.ip+":"); !strings.HasSuffix(r.stderr, "scp: Connection closed\n") {
		t.Errorf("a refused scp does not end as OpenSSH's does: %q", r.stderr)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSimSSHMatchesOpenSSH runs OpenSSH's own client, with a private key file of mode 0644,
// against an SSH server on loopback, and compares its refusal with awsx sim ssh's.
func TestSimSSHMatchesOpenSSH(t *testing.T) {
	t.Parallel()
	client, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("OpenSSH's client (ssh) is not installed: apt-get install openssh-client")
	}
	if os.Getenv("GOOS") == "windows" {
		t.Skip("file permissions")
	}
	// A server that offers publickey and accepts no key: OpenSSH loads the key file to sign.
	_, hostKey, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(hostKey)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{PublicKeyCallback: func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) {
		return nil, errors.New("no key logs in")
	}}
	cfg.AddHostKey(signer)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				ssh.NewServerConn(c, cfg)
			}()
		}
	}()

	dir := t.TempDir()
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	pemText := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pemText, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(dir, "key.pem"), 0o644)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	cmd := exec.Command(client, "-F", "/dev/null", "-i", "key.pem", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"-p", port, "user@127.0.0.1", "true")
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")} // never the learner's ~/.ssh
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 255 {
		t.Fatalf("OpenSSH: %v %q", err, stderr.String())
	}
	// OpenSSH ends the lines it logs to stderr with \r\n (its log.c: for a terminal in raw
	// mode); awsx with \n, which shows the same on a terminal and reads well in a log.
	real := strings.ReplaceAll(stderr.String(), "\r\n", "\n")
	if !strings.Contains(real, "UNPROTECTED PRIVATE KEY FILE") {
		t.Fatalf("OpenSSH did not refuse the 0644 key: %q", real)
	}
	// OpenSSH's block, then "user@127.0.0.1: Permission denied (publickey)." from this server.
	want := unprotectedKey("key.pem", 0o644)
	if !strings.HasPrefix(real, want) {
		t.Errorf("OpenSSH's refusal:\n%s\nawsx's:\n%s", real, want)
	}
	if rest := strings.TrimPrefix(real, want); rest != "user@127.0.0.1: Permission denied (publickey).\n" {
		t.Errorf("after the block, OpenSSH said %q", rest)
	}

	// awsx's, with the same file, against an instance: the same block, then the same denial.
	w := newSSHWorld(t)
	os.WriteFile(filepath.Join(w.home, "key.pem"), pemText, 0o644)
	os.Chmod(filepath.Join(w.home, "key.pem"), 0o644)
	r := w.run("", "sim", "ssh", "-i", "key.pem", "ec2-user@"+w.ip, "true")
	if r.code != 255 || !strings.HasPrefix(r.stderr, want+"ec2-user@"+w.ip+": Permission denied (") {
		t.Errorf("awsx sim ssh: %d\n%s\nwant it to start with OpenSSH's\n%s", r.code, r.stderr, real)
	}
}

// TestSimSSHInteractive: with a terminal on stdin (a character device: /dev/null, which
// ends at once), ssh opens an interactive session: the prompt, logout.
func TestSimSSHInteractive(t *testing.T) {
	t.Parallel()
	t.Run("embedded", func(t *testing.T) { t.Parallel(); simSSHInteractive(t, newSSHWorld(t)) })
	t.Run("served", func(t *testing.T) {
		t.Parallel()
		simSSHInteractive(t, newSSHWorldWith(t, "--endpoint-url", startServer(t)))
	})
}

func simSSHInteractive(t *testing.T, w *sshWorld) {
	tty, err := os.Open(os.DevNull)
	if err != nil || !isTerminal(tty) {
		t.Skip("no character device to stand for a terminal")
	}
	defer tty.Close()
	var out, errOut bytes.Buffer
	code := Run(t.Context(), NewFactory(&IO{In: tty, Out: &out, Err: &errOut}, w.env, w.home),
		append(slices.Clone(w.global), "sim", "ssh", "-i", "key.pem", "ec2-user@"+w.ip))
	prompt := "[ec2-user@ip-" + strings.ReplaceAll(w.priv, ".", "-") + " ~]$ "
	if code != 0 || out.String() != prompt+"logout\n" || // ami-4fffc834 is Amazon Linux (1): no banner of 2023's
		errOut.String() != "Connection to "+w.ip+" closed.\n" {
		t.Errorf("an interactive session: %d %q %q", code, out.String(), errOut.String())
	}
}
