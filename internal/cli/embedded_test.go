package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// embeddedEnv returns a HOME of the test's own and an environment with it, whose backend
// is the default (embedded) one.
func embeddedEnv(t *testing.T) (home string, env []string) {
	home = t.TempDir()
	return home, []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
}

func TestEmbeddedStatePersists(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	r := runAwsx(t, env, home, "iam", "create-user", "--user-name", "alex")
	if r.code != 0 {
		t.Fatalf("create-user: %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "embedded simulator") || !strings.Contains(r.stderr, filepath.Join(home, ".awsx")) {
		t.Errorf("the first invocation does not say which backend it uses: %q", r.stderr)
	}
	r = runAwsx(t, env, home, "iam", "list-users", "--query", "Users[].UserName", "--output", "text")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "alex" {
		t.Errorf("list-users in a later invocation: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("later invocations repeat the backend line: %q", r.stderr)
	}
	r = runAwsx(t, env, home, "iam", "create-user", "--user-name", "alex")
	if r.code != exitService || !strings.Contains(r.stderr, "An error occurred (EntityAlreadyExists) when calling the CreateUser operation") {
		t.Errorf("create-user twice: %d %q", r.code, r.stderr)
	}
}

// TestMain lets the test binary act as awsx, so tests can run it as several processes. Most
// tests wait on AWS CLI and boto3 processes, so unless -test.parallel is given, eight run at
// once rather than one per CPU.
func TestMain(m *testing.M) {
	if os.Getenv("AWSX_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", "8")
	}
	code := m.Run()
	if err := closePools(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// Several awsx processes writing to one state directory at once lose nothing.
func TestConcurrentProcesses(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	const procs, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, procs*each)
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				cmd := exec.Command(os.Args[0], "iam", "create-user", "--user-name", fmt.Sprintf("u%d-%d", p, i))
				cmd.Env = append(env, "AWSX_TEST_MAIN=1")
				cmd.Dir = home
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					errs <- fmt.Errorf("u%d-%d: %v: %s", p, i, err, stderr.String())
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r := runAwsx(t, env, home, "iam", "list-users", "--query", "length(Users)")
	var n int
	if err := json.Unmarshal([]byte(r.stdout), &n); err != nil || n != procs*each {
		t.Errorf("%q users after %d concurrent creates (%v, %s)", r.stdout, procs*each, err, r.stderr)
	}
}
