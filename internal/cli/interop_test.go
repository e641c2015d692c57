package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServer runs `awsx sim serve` on a free loopback port for the test's duration and
// returns its URL.
func startServer(t *testing.T) string {
	t.Helper()
	return startServerWith(t, nil)
}

// startServerWith is startServer with its options changed by set, when not nil.
func startServerWith(t *testing.T, set func(*ServeOptions)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	o := &ServeOptions{IO: &IO{Out: &log, Err: &log}, Addr: "127.0.0.1:0", Seed: 1, Ready: func(a string) { ready <- a }}
	if set != nil {
		set(o)
	}
	go func() { done <- serveRun(ctx, o) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			<-done
		})
		return "http://" + addr
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

// client is one AWS command-line client: the AWS CLI v1 or v2.
type client struct {
	name string
	argv []string
}

// clients returns the AWS CLIs on this machine; the test skips the others with a message.
func clients(t *testing.T) []client {
	var out []client
	if exec.Command("python3", "-c", "import awscli").Run() == nil {
		out = append(out, client{"v1", []string{"python3", "-m", "awscli"}})
	} else {
		t.Log("skipping the AWS CLI v1: python3 -m awscli is not installed (pip install awscli)")
	}
	if b, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput(); err == nil && strings.HasPrefix(string(b), "aws-cli/2") {
		out = append(out, client{"v2", []string{"/usr/bin/aws"}})
	} else {
		t.Log("skipping the AWS CLI v2: /usr/bin/aws is not v2 (apt-get install awscli)")
	}
	if len(out) == 0 {
		t.Skip("no AWS CLI on this machine")
	}
	return out
}

// cliEnv is a clean environment for a client signing with the given keys.
func cliEnv(t *testing.T, home, key, secret string) []string {
	env := []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
	}
	for _, v := range []string{"PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"} {
		if s, ok := os.LookupEnv(v); ok {
			env = append(env, v+"="+s)
		}
	}
	return env
}

type result struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, c client, env []string, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(c.argv[0], append(c.argv[1:], args...)...)
	cmd.Env, cmd.Dir = env, dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", c.name, args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// The notes' first IAM steps, typed into the real AWS CLI against `awsx sim serve`.
func TestAWSCLIAgainstServe(t *testing.T) {
	for _, c := range clients(t) {
		t.Run(c.name, func(t *testing.T) {
			url := startServer(t)
			home := t.TempDir()
			rootEnv := cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
			aws := func(env []string, args ...string) result {
				t.Helper()
				return run(t, c, env, home, append([]string{"--endpoint-url", url}, args...)...)
			}
			ok := func(env []string, args ...string) string {
				t.Helper()
				r := aws(env, args...)
				if r.code != 0 {
					t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
				}
				return r.stdout
			}

			id := ok(rootEnv, "sts", "get-caller-identity")
			var ident struct{ Account, Arn, UserId string }
			if err := json.Unmarshal([]byte(id), &ident); err != nil || ident.Arn != "arn:aws:iam::123456789012:root" {
				t.Fatalf("get-caller-identity: %v %s", err, id)
			}

			ok(rootEnv, "iam", "create-group", "--group-name", "admin")
			ok(rootEnv, "iam", "create-user", "--user-name", "alex")
			ok(rootEnv, "iam", "create-login-profile", "--user-name", "alex", "--password", "Lab-Passw0rd!", "--password-reset-required")
			var key struct {
				AccessKey struct{ AccessKeyId, SecretAccessKey string }
			}
			if err := json.Unmarshal([]byte(ok(rootEnv, "iam", "create-access-key", "--user-name", "alex")), &key); err != nil {
				t.Fatal(err)
			}
			alexEnv := cliEnv(t, home, key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey)

			// Refused until alex joins the admin group.
			r := aws(alexEnv, "ec2", "describe-regions")
			if r.code == 0 || !strings.Contains(r.stderr, "UnauthorizedOperation") {
				t.Fatalf("describe-regions before joining: exit %d: %s", r.code, r.stderr)
			}
			ok(rootEnv, "iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
			ok(rootEnv, "iam", "add-user-to-group", "--user-name", "alex", "--group-name", "admin")
			regions := ok(alexEnv, "ec2", "describe-regions", "--query", "Regions[?RegionName=='eu-west-1'].Endpoint", "--output", "text")
			if strings.TrimSpace(regions) != "ec2.eu-west-1.amazonaws.com" {
				t.Errorf("describe-regions --query: %q", regions)
			}

			if got := strings.TrimSpace(ok(alexEnv, "iam", "get-user", "--query", "User.Arn", "--output", "text")); got != "arn:aws:iam::123456789012:user/alex" {
				t.Errorf("get-user as alex: %q", got)
			}
			if got := strings.TrimSpace(ok(rootEnv, "iam", "list-users", "--query", "Users[].UserName", "--output", "text")); got != "alex" {
				t.Errorf("list-users: %q", got)
			}
			if got := strings.TrimSpace(ok(rootEnv, "iam", "list-groups-for-user", "--user-name", "alex", "--query", "Groups[].GroupName", "--output", "text")); got != "admin" {
				t.Errorf("list-groups-for-user: %q", got)
			}
			if got := strings.TrimSpace(ok(rootEnv, "iam", "list-attached-group-policies", "--group-name", "admin", "--query", "AttachedPolicies[0].PolicyName", "--output", "text")); got != "AdministratorAccess" {
				t.Errorf("list-attached-group-policies: %q", got)
			}

			// A customer managed policy from a file, and its document read back decoded.
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`
			if err := os.WriteFile(filepath.Join(home, "policy.json"), []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			arn := strings.TrimSpace(ok(rootEnv, "iam", "create-policy", "--policy-name", "ec2-no-terminate", "--policy-document", "file://policy.json", "--query", "Policy.Arn", "--output", "text"))
			if arn != "arn:aws:iam::123456789012:policy/ec2-no-terminate" {
				t.Errorf("create-policy: %q", arn)
			}
			got := ok(rootEnv, "iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v1", "--query", "PolicyVersion.Document.Statement[1].Action", "--output", "text")
			if strings.TrimSpace(got) != "ec2:TerminateInstances" {
				t.Errorf("get-policy-version document: %q", got)
			}

			// Errors come back with AWS's codes.
			r = aws(rootEnv, "iam", "create-user", "--user-name", "alex")
			if r.code == 0 || !strings.Contains(r.stderr, "(EntityAlreadyExists)") {
				t.Errorf("create-user twice: exit %d: %s", r.code, r.stderr)
			}
			r = aws(rootEnv, "iam", "get-user", "--user-name", "nobody")
			if r.code == 0 || !strings.Contains(r.stderr, "(NoSuchEntity)") {
				t.Errorf("get-user nobody: exit %d: %s", r.code, r.stderr)
			}
		})
	}
}

// boto3, as the notes use it: a session, IAM and STS clients, against `awsx sim serve`.
func TestBoto3AgainstServe(t *testing.T) {
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
	url := startServer(t)
	script := `
import boto3, json, sys
from botocore.exceptions import ClientError
s = boto3.session.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region_name="us-east-1")
iam = s.client("iam", endpoint_url=sys.argv[1])
iam.create_group(GroupName="admin")
iam.attach_group_policy(GroupName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_user(UserName="alex")
iam.add_user_to_group(GroupName="admin", UserName="alex")
key = iam.create_access_key(UserName="alex")["AccessKey"]
alex = boto3.session.Session(aws_access_key_id=key["AccessKeyId"],
    aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
ident = alex.client("sts", endpoint_url=sys.argv[1]).get_caller_identity()
regions = alex.client("ec2", endpoint_url=sys.argv[1]).describe_regions()["Regions"]
try:
    iam.get_user(UserName="nobody")
    code = None
except ClientError as e:
    code = e.response["Error"]["Code"]
print(json.dumps({"arn": ident["Arn"], "regions": len(regions),
    "users": [u["UserName"] for u in iam.list_users()["Users"]], "error": code}))
`
	cmd := exec.Command("python3", "-c", script, url)
	cmd.Env = cliEnv(t, t.TempDir(), "", "")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("boto3: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got struct {
		Arn     string
		Regions int
		Users   []string
		Error   string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Arn != "arn:aws:iam::123456789012:user/alex" || got.Regions < 17 || len(got.Users) != 1 || got.Error != "NoSuchEntity" {
		t.Errorf("boto3 saw %+v", got)
	}
}
