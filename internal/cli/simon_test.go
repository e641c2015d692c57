package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimOn: on an instance, curl reaches its metadata service and the AWS CLI signs as its
// role, with none of the learner's keys.
func TestSimOn(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simOn(t, env, home)
}

// TestSimOnServed: the same against awsx sim serve, named by AWS_ENDPOINT_URL, through its
// admin API; the instance's AWS CLI runs in the server.
func TestSimOnServed(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simOn(t, append(env, "AWS_ENDPOINT_URL="+startServer(t)), home)
	if _, err := os.Stat(filepath.Join(home, ".awsx")); err == nil {
		t.Errorf("sim on a served simulator made the embedded one's state directory")
	}
}

func simOn(t *testing.T, env []string, home string) {
	trust := filepath.Join(home, "trust.json")
	os.WriteFile(trust, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`), 0o600)
	ok := func(args ...string) string {
		t.Helper()
		r := runAwsx(t, env, home, args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	ok("iam", "create-role", "--role-name", "reader", "--assume-role-policy-document", "file://"+trust)
	ok("iam", "attach-role-policy", "--role-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
	ok("iam", "create-instance-profile", "--instance-profile-name", "reader")
	ok("iam", "add-role-to-instance-profile", "--instance-profile-name", "reader", "--role-name", "reader")
	image := ok("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=amzn2-ami-kernel-5.10-hvm-*",
		"--query", "Images[0].ImageId", "--output", "text")
	id := ok("ec2", "run-instances", "--image-id", image, "--instance-type", "t2.micro", "--iam-instance-profile", "Name=reader",
		"--query", "Instances[0].InstanceId", "--output", "text")
	bare := ok("ec2", "run-instances", "--image-id", image, "--instance-type", "t2.micro", "--query", "Instances[0].InstanceId", "--output", "text")

	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"curl", "-s", "http://169.254.169.254/latest/meta-data/instance-id"}, 0, id, ""},
		{[]string{"curl", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"}, 0, "reader", ""},
		{[]string{"curl", "-sS", "-f", "http://169.254.169.254/latest/meta-data/nothing"}, 22, "", "returned error: 404"},
		{[]string{"curl", "https://example.com/"}, 7, "", "Failed to connect to example.com"},
		{[]string{"aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text"}, 0, "arn:aws:sts::123456789012:assumed-role/reader/" + id, ""},
		{[]string{"aws", "ec2", "describe-instances", "--query", "length(Reservations)"}, 0, "2", ""},
		{[]string{"aws", "iam", "list-users"}, 254, "", "An error occurred (AccessDenied) when calling the ListUsers operation: User: arn:aws:sts::123456789012:assumed-role/reader/" + id},
		{[]string{"ssh", "somewhere"}, 127, "", "ssh: command not found"},
	} {
		r := runAwsx(t, env, home, append([]string{"sim", "on", id}, tc.args...)...)
		if r.code != tc.code || strings.TrimSpace(r.stdout) != tc.stdout || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("sim on %s %v: %d %q %q, want %d %q %q", id, tc.args, r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
	// An instance without a role has no credentials; the learner's own are not used.
	r := runAwsx(t, env, home, "sim", "on", bare, "aws", "sts", "get-caller-identity")
	if r.code != 253 || !strings.Contains(r.stderr, "Unable to locate credentials") {
		t.Errorf("sim on a role-less instance: %d %q", r.code, r.stderr)
	}
	r = runAwsx(t, env, home, "sim", "on", "i-00000000000000000", "curl", "http://169.254.169.254/")
	if r.code == 0 || !strings.Contains(r.stderr, "no instance i-00000000000000000") {
		t.Errorf("sim on no instance: %d %q", r.code, r.stderr)
	}
}

// TestSimOnShell: sim on runs command lines in the instance's shell; user data ran at launch
// with the AWS CLI signing as the role; aws configure on the instance writes the instance's
// ~/.aws, whose keys its AWS CLI then uses, and never the learner's.
func TestSimOnShell(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simOnShell(t, env, home)
}

// TestSimOnShellServed: the same against awsx sim serve; user data's aws runs in the server.
func TestSimOnShellServed(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	simOnShell(t, append(env, "AWS_ENDPOINT_URL="+startServer(t)), home)
}

func simOnShell(t *testing.T, env []string, home string) {
	trust := filepath.Join(home, "trust.json")
	os.WriteFile(trust, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`), 0o600)
	userData := filepath.Join(home, "web.sh")
	os.WriteFile(userData, []byte("#!/bin/bash\nyum install -y httpd\nsystemctl enable --now httpd\necho '<h1>lab</h1>' > /var/www/html/index.html\n"+
		"aws ec2 describe-instances --query 'length(Reservations)' > /root/count\n"), 0o600)
	ok := func(args ...string) string {
		t.Helper()
		r := runAwsx(t, env, home, args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	ok("iam", "create-role", "--role-name", "reader", "--assume-role-policy-document", "file://"+trust)
	ok("iam", "attach-role-policy", "--role-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
	ok("iam", "create-instance-profile", "--instance-profile-name", "reader")
	ok("iam", "add-role-to-instance-profile", "--instance-profile-name", "reader", "--role-name", "reader")
	image := ok("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-2023*-x86_64",
		"--query", "Images[0].ImageId", "--output", "text")
	id := ok("ec2", "run-instances", "--image-id", image, "--instance-type", "t2.micro", "--iam-instance-profile", "Name=reader",
		"--user-data", "file://"+userData, "--query", "Instances[0].InstanceId", "--output", "text")

	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"whoami"}, 0, "ec2-user", ""},
		{[]string{"curl -s localhost"}, 0, "<h1>lab</h1>", ""},
		{[]string{"sudo", "cat", "/root/count"}, 0, "1", ""},
		{[]string{"grep -c 'Cloud-init v. .* finished' /var/log/cloud-init-output.log"}, 0, "1", ""},
		{[]string{"echo", "a  b", "$HOME"}, 0, "a  b $HOME", ""},
		{[]string{"nosuch"}, 127, "", "bash: nosuch: command not found"},
		{[]string{"printf 'AKIAIOSFODNN7EXAMPLE\\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\\nus-east-1\\ntext\\n' | aws configure >/dev/null"}, 0, "", ""},
		{[]string{"aws", "sts", "get-caller-identity", "--query", "Arn"}, 0, "arn:aws:iam::123456789012:root", ""},
		{[]string{"cat ~/.aws/credentials"}, 0, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
		// Files named by the instance's aws are the instance's.
		{[]string{"aws s3 mb s3://guest-files && echo hello > up.txt && aws s3 cp up.txt s3://guest-files/"}, 0, "make_bucket: guest-files\nupload: up.txt to s3://guest-files/up.txt", ""},
		{[]string{"aws s3 cp s3://guest-files/up.txt down.txt && cat down.txt"}, 0, "download: s3://guest-files/up.txt to down.txt\nhello", ""},
		{[]string{`echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}' > p.json; aws iam create-policy --policy-name from-instance --policy-document file://p.json --query Policy.PolicyName`}, 0, "from-instance", ""},
		{[]string{"aws iam create-policy --policy-name x --policy-document file://nope.json"}, 255, "", "Unable to load paramfile file://nope.json"},
		{[]string{"aws s3api get-object --bucket guest-files --key up.txt out.txt"}, 252, "", "use `aws s3 cp`"},
		{[]string{"aws s3 sync s3://guest-files ."}, 252, "", "sync and --recursive"},
	} {
		r := runAwsx(t, env, home, append([]string{"sim", "on", id}, tc.args...)...)
		if r.code != tc.code || strings.TrimSpace(r.stdout) != tc.stdout || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("sim on %s %q: %d %q %q, want %d %q %q", id, tc.args, r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
	// A script on standard input.
	r := runAwsxStdin(t, env, home, "cd /tmp\nmkdir -p x && cd x\npwd\nwhoami | sudo tee owner >/dev/null\ncat owner\n", "sim", "on", id)
	if r.code != 0 || r.stdout != "/tmp/x\nec2-user\n" {
		t.Errorf("sim on %s < script: %d %q %q", id, r.code, r.stdout, r.stderr)
	}
	for _, p := range []string{filepath.Join(home, ".aws"), filepath.Join(home, "credentials"), filepath.Join(home, "config"),
		filepath.Join(home, "up.txt"), filepath.Join(home, "down.txt"), filepath.Join(home, "p.json"), filepath.Join(home, "out.txt")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("aws configure on the instance wrote the learner's %s", p)
		}
	}
}
