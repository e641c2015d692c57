package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Invocations with factories of their own run at once in one process, each in its own
// environment, working directory and state: none sees another's settings, files or users.
func TestConcurrentInvocations(t *testing.T) {
	t.Parallel()
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			home, env := embeddedEnv(t)
			output := []string{"json", "text"}[i%2]
			env = append(env, "AWS_DEFAULT_OUTPUT="+output)
			user := fmt.Sprintf("user-%d", i)
			if r := runAwsx(t, env, home, "configure", "set", "region", "eu-west-1"); r.code != 0 {
				t.Errorf("%d: configure set: %d %s", i, r.code, r.stderr)
				return
			}
			if r := runAwsx(t, env, home, "iam", "create-user", "--user-name", user); r.code != 0 {
				t.Errorf("%d: create-user: %d %s", i, r.code, r.stderr)
				return
			}
			// A relative file:// path is read from the invocation's own directory.
			os.WriteFile(filepath.Join(home, "tags.json"), []byte(fmt.Sprintf(`[{"Key":"n","Value":"%d"}]`, i)), 0o600)
			if r := runAwsx(t, env, home, "iam", "tag-user", "--user-name", user, "--tags", "file://tags.json"); r.code != 0 {
				t.Errorf("%d: tag-user: %d %s", i, r.code, r.stderr)
			}
			r := runAwsx(t, env, home, "iam", "list-users", "--query", "Users[].UserName")
			want := map[string]string{"json": "[\n    \"" + user + "\"\n]\n", "text": user + "\n"}[output]
			if r.code != 0 || r.stdout != want {
				t.Errorf("%d: list-users (--output from AWS_DEFAULT_OUTPUT=%s) = %d %q %s, want %q", i, output, r.code, r.stdout, r.stderr, want)
			}
			r = runAwsx(t, env, home, "configure", "get", "region")
			if strings.TrimSpace(r.stdout) != "eu-west-1" {
				t.Errorf("%d: configure get region = %q %s", i, r.stdout, r.stderr)
			}
			r = runAwsx(t, env, home, "iam", "list-user-tags", "--user-name", user, "--query", "Tags[0].Value", "--output", "text")
			if strings.TrimSpace(r.stdout) != fmt.Sprint(i) {
				t.Errorf("%d: the tag read from file://tags.json = %q %s", i, r.stdout, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(home, ".awsx")); err != nil {
				t.Errorf("%d: the state is not in the invocation's HOME: %v", i, err)
			}
		})
	}
	wg.Wait()
}

// The factory's environment is a copy: With changes the copy, not the original.
func TestFactoryWith(t *testing.T) {
	t.Parallel()
	f := NewFactory(&IO{}, []string{"HOME=/h", "AWS_PROFILE=p", "BROKEN", "=x"}, "/w")
	g := f.With(nil, map[string]string{"AWS_PROFILE": "", "AWSX_BACKEND": "sim"}, "/lab")
	if f.Getenv("AWS_PROFILE") != "p" || f.Getenv("AWSX_BACKEND") != "" || f.Dir() != "/w" {
		t.Errorf("With changed the original: %q %q %q", f.Getenv("AWS_PROFILE"), f.Getenv("AWSX_BACKEND"), f.Dir())
	}
	if g.Getenv("AWS_PROFILE") != "" || g.Getenv("AWSX_BACKEND") != "sim" || g.Getenv("HOME") != "/h" || g.Dir() != "/lab" {
		t.Errorf("With: %q %q %q %q", g.Getenv("AWS_PROFILE"), g.Getenv("AWSX_BACKEND"), g.Getenv("HOME"), g.Dir())
	}
	if g.Path("a/b") != "/lab/a/b" || g.Path("/abs") != "/abs" {
		t.Errorf("Path: %q %q", g.Path("a/b"), g.Path("/abs"))
	}
	if p, err := g.StateDir(); err != nil || p != "/h/.awsx" {
		t.Errorf("StateDir = %q, %v", p, err)
	}
}

// configure list says which backend answers and who the caller is, and how to act as the
// root again once a user's keys are the default profile's; the way it gives works.
func TestConfigureListSaysBackendAndCaller(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	r := runAwsx(t, env, home, "configure", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "backend: the embedded simulator, its state in "+filepath.Join(home, ".awsx")) ||
		!strings.Contains(r.stdout, "caller: arn:aws:iam::123456789012:root\n") || strings.Contains(r.stdout, "act as the account's root") {
		t.Fatalf("configure list as the root: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	keys := runAwsx(t, env, home, "iam", "create-user", "--user-name", "alex")
	keys = runAwsx(t, env, home, "iam", "create-access-key", "--user-name", "alex", "--query", "AccessKey.[AccessKeyId,SecretAccessKey]", "--output", "text")
	id, secret, _ := strings.Cut(strings.TrimSpace(keys.stdout), "\t")
	for _, kv := range [][2]string{{"aws_access_key_id", id}, {"aws_secret_access_key", secret}} {
		if r := runAwsx(t, env, home, "configure", "set", kv[0], kv[1]); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	r = runAwsx(t, env, home, "configure", "list")
	if !strings.Contains(r.stdout, "caller: arn:aws:iam::123456789012:user/alex\n") || !strings.Contains(r.stdout, "--profile root") {
		t.Fatalf("configure list as alex:\n%s%s", r.stdout, r.stderr)
	}
	runAwsx(t, env, home, "configure", "set", "region", "us-east-1", "--profile", "root")
	r = runAwsx(t, env, home, "sts", "get-caller-identity", "--profile", "root", "--query", "Arn", "--output", "text")
	if strings.TrimSpace(r.stdout) != "arn:aws:iam::123456789012:root" {
		t.Errorf("--profile root after the hint: %q %s", r.stdout, r.stderr)
	}
	r = runAwsx(t, append(env, "AWSX_BACKEND=aws"), home, "configure", "list")
	if !strings.Contains(r.stdout, "backend: AWS") || strings.Contains(r.stdout, "caller:") {
		t.Errorf("configure list on AWS asks AWS, or does not say it is AWS:\n%s", r.stdout)
	}
}
