package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/awscli"
	"github.com/awsxlab/awsx/sim"
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
type client = awscli.Client

// clients returns the AWS CLIs on this machine; the test skips the others with a message.
func clients(t *testing.T) []client {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the AWS CLI: not in -short mode")
	}
	out, missing := awscli.Installed()
	for _, m := range missing {
		t.Log("skipping " + m)
	}
	if len(out) == 0 {
		t.Skip("no AWS CLI on this machine")
	}
	return out
}

// cliEnv is a clean environment for a client signing with the given keys.
func cliEnv(t *testing.T, home, key, secret string) []string {
	return awscli.Env(os.Getenv, home, key, secret)
}

type result struct {
	stdout, stderr string
	code           int
}

// pools holds a pool of sessions for each AWS CLI, which TestMain closes.
var pools = struct {
	sync.Mutex
	of map[string]*awscli.Pool
}{of: map[string]*awscli.Pool{}}

// poolOf returns the client's pool of sessions, shared by every test of the package.
func poolOf(c client) *awscli.Pool {
	pools.Lock()
	defer pools.Unlock()
	p := pools.of[c.Name]
	if p == nil {
		// The machine's HOME: a pyenv shim looks for ~/.pyenv there.
		p = c.Pool(append(awscli.PythonEnv(os.Getenv), "HOME="+os.Getenv("HOME")))
		pools.of[c.Name] = p
	}
	return p
}

// closePools ends the sessions of every pool.
func closePools() error {
	pools.Lock()
	defer pools.Unlock()
	var errs []error
	for name, p := range pools.of {
		if err := p.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// run runs the client's command args in env and dir.
func run(t *testing.T, c client, env []string, dir string, args ...string) result {
	t.Helper()
	r, err := poolOf(c).Do(awscli.Command{Args: args, Env: env, Dir: dir})
	if err != nil {
		t.Fatalf("%s %v: %v", c.Name, args, err)
	}
	return result{r.Stdout, r.Stderr, r.Code}
}

// The notes' first IAM steps, typed into the real AWS CLI against `awsx sim serve`.
func TestAWSCLIAgainstServe(t *testing.T) {
	t.Parallel()
	for _, c := range clients(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			url := startServer(t)
			home := t.TempDir()
			// One AWS CLI session signing as the root, one (later) as alex.
			root := newCLIWorld(c, cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), home, url)
			aws := func(w *cliWorld, args ...string) result {
				t.Helper()
				return w.run(args)
			}
			ok := func(w *cliWorld, args ...string) string {
				t.Helper()
				r := aws(w, args...)
				if r.code != 0 {
					t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
				}
				return r.stdout
			}

			id := ok(root, "sts", "get-caller-identity")
			var ident struct{ Account, Arn, UserId string }
			if err := json.Unmarshal([]byte(id), &ident); err != nil || ident.Arn != "arn:aws:iam::123456789012:root" {
				t.Fatalf("get-caller-identity: %v %s", err, id)
			}

			ok(root, "iam", "create-group", "--group-name", "admin")
			ok(root, "iam", "create-user", "--user-name", "alex")
			ok(root, "iam", "create-login-profile", "--user-name", "alex", "--password", "Lab-Passw0rd!", "--password-reset-required")
			var key struct {
				AccessKey struct{ AccessKeyId, SecretAccessKey string }
			}
			if err := json.Unmarshal([]byte(ok(root, "iam", "create-access-key", "--user-name", "alex")), &key); err != nil {
				t.Fatal(err)
			}
			alex := newCLIWorld(c, cliEnv(t, home, key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey), home, url)

			// Refused until alex joins the admin group.
			r := aws(alex, "ec2", "describe-regions")
			if r.code == 0 || !strings.Contains(r.stderr, "UnauthorizedOperation") {
				t.Fatalf("describe-regions before joining: exit %d: %s", r.code, r.stderr)
			}
			ok(root, "iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
			ok(root, "iam", "add-user-to-group", "--user-name", "alex", "--group-name", "admin")
			regions := ok(alex, "ec2", "describe-regions", "--query", "Regions[?RegionName=='eu-west-1'].Endpoint", "--output", "text")
			if strings.TrimSpace(regions) != "ec2.eu-west-1.amazonaws.com" {
				t.Errorf("describe-regions --query: %q", regions)
			}

			if got := strings.TrimSpace(ok(alex, "iam", "get-user", "--query", "User.Arn", "--output", "text")); got != "arn:aws:iam::123456789012:user/alex" {
				t.Errorf("get-user as alex: %q", got)
			}
			if got := strings.TrimSpace(ok(root, "iam", "list-users", "--query", "Users[].UserName", "--output", "text")); got != "alex" {
				t.Errorf("list-users: %q", got)
			}
			if got := strings.TrimSpace(ok(root, "iam", "list-groups-for-user", "--user-name", "alex", "--query", "Groups[].GroupName", "--output", "text")); got != "admin" {
				t.Errorf("list-groups-for-user: %q", got)
			}
			if got := strings.TrimSpace(ok(root, "iam", "list-attached-group-policies", "--group-name", "admin", "--query", "AttachedPolicies[0].PolicyName", "--output", "text")); got != "AdministratorAccess" {
				t.Errorf("list-attached-group-policies: %q", got)
			}

			// A customer managed policy from a file, and its document read back decoded.
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`
			if err := os.WriteFile(filepath.Join(home, "policy.json"), []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			arn := strings.TrimSpace(ok(root, "iam", "create-policy", "--policy-name", "ec2-no-terminate", "--policy-document", "file://policy.json", "--query", "Policy.Arn", "--output", "text"))
			if arn != "arn:aws:iam::123456789012:policy/ec2-no-terminate" {
				t.Errorf("create-policy: %q", arn)
			}
			got := ok(root, "iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v1", "--query", "PolicyVersion.Document.Statement[1].Action", "--output", "text")
			if strings.TrimSpace(got) != "ec2:TerminateInstances" {
				t.Errorf("get-policy-version document: %q", got)
			}

			// Errors come back with AWS's codes.
			r = aws(root, "iam", "create-user", "--user-name", "alex")
			if r.code == 0 || !strings.Contains(r.stderr, "(EntityAlreadyExists)") {
				t.Errorf("create-user twice: exit %d: %s", r.code, r.stderr)
			}
			r = aws(root, "iam", "get-user", "--user-name", "nobody")
			if r.code == 0 || !strings.Contains(r.stderr, "(NoSuchEntity)") {
				t.Errorf("get-user nobody: exit %d: %s", r.code, r.stderr)
			}
		})
	}
}

// skipWithoutBoto3 skips the test on a machine without boto3.
func skipWithoutBoto3(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs boto3: not in -short mode")
	}
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
}

// runBoto3 runs a Python script with env and args and returns what it printed; a failure
// ends the test with Python's stderr.
func runBoto3(t *testing.T, env []string, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("python3", append([]string{"-c", script}, args...)...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("boto3: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	return out
}

// boto3, as the notes use it: a session, IAM and STS clients, against `awsx sim serve`.
func TestBoto3AgainstServe(t *testing.T) {
	t.Parallel()
	skipWithoutBoto3(t)
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
	out := runBoto3(t, cliEnv(t, t.TempDir(), "", ""), script, url)
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

// boto3 as a CI job uses it: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, no keys; its
// credential chain trades the CI system's token (minted by the simulator, as `awsx sim token`
// does) for the role's session, unsigned, and signs everything else with it.
func TestBoto3WebIdentityAgainstServe(t *testing.T) {
	t.Parallel()
	skipWithoutBoto3(t)
	now := time.Now().UTC().Truncate(time.Second)
	url := startServerWith(t, func(o *ServeOptions) { o.Clock = now })
	dir := t.TempDir()
	setup := `
import boto3, sys
s = boto3.session.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region_name="us-east-1")
iam = s.client("iam", endpoint_url=sys.argv[1])
iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"])
iam.create_role(RoleName="ci", AssumeRolePolicyDocument=sys.argv[2])
iam.put_role_policy(RoleName="ci", PolicyName="s3", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')
`
	runBoto3(t, cliEnv(t, dir, "", ""), setup, url, ciTrustDoc)
	cloud := sim.New(sim.WithSeed(1), sim.WithClock(func() time.Time { return now }))
	tok, err := cloud.IssueWebIdentityToken("https://token.actions.githubusercontent.com", "repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(dir, "token.jwt")
	if err := os.WriteFile(tokenFile, []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, e := range cliEnv(t, dir, "", "") {
		if !strings.HasPrefix(e, "AWS_ACCESS_KEY_ID=") && !strings.HasPrefix(e, "AWS_SECRET_ACCESS_KEY=") {
			env = append(env, e)
		}
	}
	env = append(env, "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/ci", "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile,
		"AWS_ROLE_SESSION_NAME=gh-run-7", "AWS_ENDPOINT_URL="+url)
	job := `
import boto3, json
s = boto3.session.Session()
ident = s.client("sts").get_caller_identity()
s3 = s.client("s3")
s3.create_bucket(Bucket="ci-artifacts")
print(json.dumps({"arn": ident["Arn"], "method": s.get_credentials().method,
    "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]]}))
`
	out := runBoto3(t, env, job)
	var got struct {
		Arn, Method string
		Buckets     []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Arn != "arn:aws:sts::123456789012:assumed-role/ci/gh-run-7" || got.Method != "assume-role-with-web-identity" ||
		len(got.Buckets) != 1 || got.Buckets[0] != "ci-artifacts" {
		t.Errorf("boto3 saw %+v", got)
	}
}
