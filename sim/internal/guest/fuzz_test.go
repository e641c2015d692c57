package guest

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzRun: no script makes the shell or a command panic, hang past its bounds, or write past
// the output bound; a second run on the same machine still works.
func FuzzRun(f *testing.F) {
	for _, seed := range []string{
		"whoami", "ls -la /", "cat /etc/os-release | grep -i name", "sudo yum install -y httpd nginx && sudo systemctl enable --now httpd",
		"echo x > /tmp/f; cp /tmp/f /tmp/g; mv /tmp/g ~; rm -rf ~/g", "chmod u+x,go-w f; chmod 9999 f; chmod +t /tmp",
		"curl -sSfL -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token",
		"python3 -m http.server 8000 --directory /tmp & curl localhost:8000/", "grep -rnE '(a|b)+' /etc", "head -n -3 /etc/passwd; tail -c 5",
		"printf 'A\\nB\\n\\n\\n' | aws configure", "sudo -u ec2-user -i whoami", "bash -c 'exit 7'", "sh -x -e -c 'false; echo no'",
		"cat <(echo x)", "coproc cat", "sudo apt-get install -y nginx", "systemctl status; systemctl is-enabled httpd.service",
		"type -a cd; command -v ls; hash -r", "for i in 1 2 3; do mkdir -p d$i/e; done; ls -R d1", "date +%s%%%Q", "cd /root",
		"x=$(cat /nope 2>&1); echo \"$x\"", "./nope; /usr/bin/nope; ../../etc/passwd", "test -O /etc && echo mine", "[[ -x /tmp ]]",
		"source /etc/os-release; echo $PRETTY_NAME", "exec whoami", "read a; echo $a", "set -e; false; echo no", "env -i FOO=1 whoami",
		"cat > /dev/stdout <<EOF\nhi\nEOF", "echo a | sed -E 's/(a)/\\1\\1/g; s|x|&y|I'", "find / -maxdepth 2 -type d -name 'v*' -exec ls {} +",
		"ec2-metadata --all", "echo x > f; aws s3 cp f s3://b/; aws iam create-policy --policy-document file://f", "sudo -i; sudo su - -c whoami", "amazon-linux-extras install nginx1", "cloud-init status --wait", "tee -a /tmp/x < /etc/hostname",
		"sleep 1.5m 2d x; sleep -1; sleep inf nan 0x10 1e400",
	} {
		f.Add(seed)
	}
	s, in := newTestStore(f, al2023Image, "")
	f.Fuzz(func(t *testing.T, script string) {
		var out bytes.Buffer
		start := time.Now()
		_, err := s.Run(context.Background(), in, script, RunOptions{Stdin: strings.NewReader("y\n"), Stdout: &out, Stderr: &out, Timeout: 500 * time.Millisecond})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("ran %v", d)
		}
		if out.Len() > maxOutput+4096 {
			t.Errorf("wrote %d bytes", out.Len())
		}
		if code, _ := s.Run(context.Background(), in, "true", RunOptions{Stdout: io.Discard}); code != 0 {
			t.Errorf("the machine is broken after %q", script)
		}
	})
}

// FuzzSleepOperand: whatever an operand of sleep, it is refused or read as a duration
// between 0 and maxSleep; a number of seconds is read as itself.
func FuzzSleepOperand(f *testing.F) {
	for _, seed := range []string{"5", "0.5", "2m", "1.5h", "1d", "30s", "-1", "inf", "NaN", "0x10", "1e400", "1_0", "s", "", ".5", "5.", "1e3m"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, a string) {
		d, ok := sleepOperand(a)
		if !ok {
			return
		}
		if d < 0 || d > maxSleep {
			t.Fatalf("sleep %q: %s", a, d)
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 0 && n < 86400 && d != time.Duration(n)*time.Second {
			t.Fatalf("sleep %q: %s", a, d)
		}
	})
}
