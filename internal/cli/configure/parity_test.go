package configure

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/awsxlab/awsx/internal/awscli"
)

// awsCLI is a real AWS CLI: its name and the sessions that run its commands.
type awsCLI struct {
	name string
	pool *awscli.Pool
}

var (
	clientsOnce sync.Once
	clients     []awsCLI
	skipped     []string
)

// realClients finds the AWS CLI v1 (python3 -m awscli) and v2 (/usr/bin/aws, Debian's
// awscli), each with a pool of sessions that TestMain closes.
func realClients() ([]awsCLI, []string) {
	clientsOnce.Do(func() {
		var cs []awscli.Client
		cs, skipped = awscli.Installed()
		// The machine's HOME: a pyenv shim looks for ~/.pyenv there.
		env := append(awscli.PythonEnv(os.Getenv), "HOME="+os.Getenv("HOME"))
		for _, c := range cs {
			clients = append(clients, awsCLI{c.Name, c.Pool(env)})
		}
	})
	return clients, skipped
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range clients {
		if err := c.pool.Close(); err != nil {
			fmt.Fprintln(os.Stderr, c.name, err)
			code = 1
		}
	}
	os.Exit(code)
}

// runAWS runs the real AWS CLI's `configure args…` with the environment env over a clean one.
func runAWS(t *testing.T, c awsCLI, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	cmd := awscli.Command{Args: append([]string{"configure"}, args...), Stdin: stdin,
		Env: []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="}}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	r, err := c.pool.Do(cmd)
	if err != nil {
		t.Fatalf("%s configure %v: %v", c.name, args, err)
	}
	return result{stdout: r.Stdout, stderr: r.Stderr, code: r.Code}
}

type parityStep struct {
	args  []string
	stdin string
	// env is added to HOME; "$HOME" in a value is the run's home directory.
	env map[string]string
}

type parityCase struct {
	name string
	// v2only marks cases where the AWS CLI v1 differs from v2, which awsx follows.
	v2only bool
	// config and credentials are the files' contents before the first step ("" for none).
	config, credentials string
	steps               []parityStep
}

func step(args ...string) parityStep { return parityStep{args: args} }

func stepIn(stdin string, args ...string) parityStep { return parityStep{args: args, stdin: stdin} }

func stepEnv(env map[string]string, args ...string) parityStep {
	return parityStep{args: args, env: env}
}

var parityCases = []parityCase{
	{
		name: "first configure, then keep values on empty input",
		steps: []parityStep{
			stepIn("AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nus-east-1\njson\n"),
			stepIn("\n\neu-west-1\n\n"),
			step("list"),
			step("get", "region"),
			step("get", "aws_secret_access_key"),
			step("get", "output"),
			step("get", "nothere"),
		},
	},
	{
		name: "a named profile",
		steps: []parityStep{
			stepIn("AKIADEV\nsecret2\n\n\n", "--profile", "dev"),
			step("list", "--profile", "dev"),
			stepIn("\n\nap-south-1\ntext\n", "--profile", "dev"),
			step("get", "region", "--profile", "dev"),
			step("get", "dev.region"),
			step("list"),
			step("get", "region"),
		},
	},
	{
		name: "set forms",
		steps: []parityStep{
			step("set", "region", "us-west-2"),
			step("set", "region", "ap-south-1", "--profile", "dev"),
			step("set", "profile.test.aws_session_token", "tok"),
			step("set", "default.output", "table"),
			step("set", "default.s3.max_concurrent_requests", "20"),
			step("set", "s3.addressing_style", "path"),
			step("set", "default.s3.max_concurrent_requests", "30"),
			step("set", "profile.dev.aws_access_key_id", "AKIADEV0001"),
			step("set", "aws_secret_access_key", "devsecret", "--profile", "dev"),
			step("set", "profile.my prof.region", "us-east-2"),
			step("get", "default.s3.max_concurrent_requests"),
			step("get", "s3.addressing_style"),
			step("get", "s3"),
			step("get", "profile.dev.region"),
			step("get", "profile.test.aws_session_token"),
			step("get", "region", "--profile", "my prof"),
			step("list", "--profile", "dev"),
		},
	},
	{
		name: "existing files: comments, other profiles and key order kept",
		config: `# my AWS settings
[default]
region = us-east-1
# the output I like
output = json
cli_pager =
[profile "quoted"]
region = eu-west-1
[profile other]
; about other
output = text
s3 =
    max_concurrent_requests = 10
    multipart_threshold = 64MB
[sso-session corp]
sso_region = us-east-1
# end of file
`,
		credentials: `[default]
aws_access_key_id = AKIAOLDOLDOLD
aws_secret_access_key = oldsecret
# keep me
[other]
aws_access_key_id = AKIAOTHER
aws_secret_access_key = othersecret
`,
		steps: []parityStep{
			step("set", "region", "us-west-1"),
			step("set", "cli_binary_format", "raw-in-base64-out"),
			step("set", "region", "ap-east-1", "--profile", "quoted"),
			step("set", "profile.other.s3.max_concurrent_requests", "50"),
			step("set", "profile.other.s3.use_accelerate_endpoint", "true"),
			step("set", "aws_access_key_id", "AKIANEWNEWNEW"),
			stepIn("\nnewsecret\n\n\n"),
			step("get", "profile.other.s3.multipart_threshold"),
			step("get", "cli_pager"),
			step("list", "--profile", "other"),
		},
	},
	{
		name: "environment: files, profile, credentials",
		steps: []parityStep{
			stepEnv(map[string]string{"AWS_CONFIG_FILE": "$HOME/alt/config", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/alt/credentials"},
				"set", "region", "eu-central-1"),
			stepEnv(map[string]string{"AWS_CONFIG_FILE": "$HOME/alt/config", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/alt/credentials"},
				"set", "aws_access_key_id", "AKIAALTALTALT"),
			stepEnv(map[string]string{"AWS_CONFIG_FILE": "$HOME/alt/config", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/alt/credentials"},
				"get", "region"),
			stepEnv(map[string]string{"AWS_CONFIG_FILE": "$HOME/alt/config", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/alt/credentials"},
				"list"),
			stepEnv(map[string]string{"AWS_PROFILE": "dev"}, "set", "region", "us-west-2"),
			stepEnv(map[string]string{"AWS_PROFILE": "dev"}, "set", "aws_access_key_id", "AKIAENVPROFILE"),
			stepEnv(map[string]string{"AWS_PROFILE": "dev"}, "set", "aws_secret_access_key", "envprofilesecret"),
			stepEnv(map[string]string{"AWS_PROFILE": "dev"}, "get", "region"),
			stepEnv(map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFROMENV12", "AWS_SECRET_ACCESS_KEY": "fromenv"}, "list", "--profile", "dev"),
			stepEnv(map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFROMENV12", "AWS_SECRET_ACCESS_KEY": "fromenv", "AWS_DEFAULT_REGION": "sa-east-1"}, "get", "region", "--profile", "dev"),
		},
	},
	{
		name:   "environment: the rows v1 words differently",
		v2only: true,
		steps: []parityStep{
			step("set", "region", "us-west-2", "--profile", "dev"),
			stepEnv(map[string]string{"AWS_PROFILE": "dev"}, "list"),
			stepEnv(map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFROMENV12", "AWS_SECRET_ACCESS_KEY": "fromenv", "AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "us-west-2"}, "list"),
			step("set", "preview.cloudfront", "true"),
		},
	},
	{
		name:   "errors",
		config: "[profile half]\nregion = us-east-1\n",
		credentials: `[half]
aws_access_key_id = AKIAHALF
`,
		steps: []parityStep{
			step("list", "--profile", "nope"),
			step("get", "region", "--profile", "nope"),
			stepEnv(map[string]string{"AWS_PROFILE": "nope"}, "get", "region"),
			step("get", "profile.nope.region"),
			step("list", "--profile", "half"),
			stepIn("", "--profile", "half"),
			stepIn("AKIAONE\n"),
		},
	},
}

// TestParityWithAWSCLI runs the same configure commands through the real AWS CLI and awsx,
// each in its own temporary HOME, and compares their output, exit status and files.
func TestParityWithAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the AWS CLI")
	}
	cs, skip := realClients()
	for _, s := range skip {
		t.Log("skipping", s)
	}
	if len(cs) == 0 {
		t.Skip("no AWS CLI on this machine")
	}
	for _, c := range cs {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, pc := range parityCases {
				t.Run(pc.name, func(t *testing.T) {
					t.Parallel()
					if pc.v2only && c.name != "v2" {
						t.Skip("the AWS CLI v1 words these differently; awsx follows v2")
					}
					awsHome, awsxHome := t.TempDir(), t.TempDir()
					for _, home := range []string{awsHome, awsxHome} {
						if pc.config != "" {
							writeFile(t, filepath.Join(home, ".aws", "config"), pc.config)
						}
						if pc.credentials != "" {
							writeFile(t, filepath.Join(home, ".aws", "credentials"), pc.credentials)
						}
					}
					for _, st := range pc.steps {
						envFor := func(home string) map[string]string {
							env := map[string]string{"HOME": home}
							for k, v := range st.env {
								env[k] = strings.ReplaceAll(v, "$HOME", home)
							}
							return env
						}
						want := runAWS(t, c, envFor(awsHome), st.stdin, st.args...)
						got := runAwsx(t, envFor(awsxHome), st.stdin, st.args...)
						want.stdout = strings.ReplaceAll(want.stdout, awsHome, "$HOME")
						got.stdout = strings.ReplaceAll(got.stdout, awsxHome, "$HOME")
						if got != want {
							t.Errorf("configure %q (env %v):\nawsx:\n%s\n%s:\n%s", st.args, st.env, show(got), c.name, show(want))
						}
					}
					for _, f := range []string{".aws/config", ".aws/credentials", "alt/config", "alt/credentials"} {
						want, got := readFile(t, filepath.Join(awsHome, f)), readFile(t, filepath.Join(awsxHome, f))
						if got != want {
							t.Errorf("%s differs:\n--- awsx\n%s--- %s\n%s", f, got, c.name, want)
						}
						if want != "<missing>" {
							wfi, _ := os.Stat(filepath.Join(awsHome, f))
							gfi, _ := os.Stat(filepath.Join(awsxHome, f))
							switch {
							case gfi == nil:
								t.Errorf("%s: awsx wrote none, %s one of mode %v", f, c.name, wfi.Mode())
							case gfi.Mode() != wfi.Mode():
								t.Errorf("%s mode %v, %s has %v", f, gfi.Mode(), c.name, wfi.Mode())
							}
						}
					}
				})
			}
		})
	}
}

func show(r result) string {
	return "  exit " + strconv.Itoa(r.code) + "\n  stdout: " + strings.ReplaceAll(r.stdout, "\n", "⏎\n          ") + "\n  stderr: " + strings.ReplaceAll(r.stderr, "\n", "⏎\n          ")
}
