package labs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/awsxlab/awsx/internal/cli"
	"github.com/awsxlab/awsx/labs"
)

// params runs the scripts in dir as labs run: each script has its own HOME, so its ~/.aws
// and its simulator state (~/.awsx) are its own, on the labs' clock, with none of the
// machine's AWS settings. A script's `aws` and `awsx` run in the test's process, each with
// the script's environment, directory and stdin, and so do `shell` scripts.
func params(dir string) testscript.Params {
	return testscript.Params{
		Dir:           dir,
		UpdateScripts: os.Getenv("UPDATE_GOLDEN") == "1",
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"aws": awsx, "awsx": awsx, "shell": shell},
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("AWSX_STATE_DIR", env.WorkDir+"/.awsx")
			env.Setenv("AWSX_BACKEND", "sim")
			env.Setenv("AWSX_CLOCK", labs.Clock)
			for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
				"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_DEFAULT_OUTPUT", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE",
				"AWS_SHARED_CREDENTIALS_FILE", "AWSX_CONFIG", "AWSX_SEED"} {
				env.Setenv(v, "")
			}
			return nil
		},
	}
}

// awsx runs the awsx command in the test's process as the script would run it as a process:
// in the script's environment (its `env` lines included) and directory, with the stdin a
// `stdin` line gave it. testscript hands those only to processes, so a shell passes them on.
func awsx(ts *testscript.TestScript, neg bool, args []string) {
	stdin, environ := handedOver(ts)
	streams := &cli.IO{In: strings.NewReader(stdin), Out: ts.Stdout(), Err: ts.Stderr()}
	exited(ts, neg, cli.Run(context.Background(), cli.NewFactory(streams, environ, lookup(environ, "PWD")), args))
}

// handedOver returns the stdin and the environment (PWD its directory) that the script would
// hand its next command.
func handedOver(ts *testscript.TestScript) (stdin string, environ []string) {
	tmp := ts.Getenv("TMPDIR")
	in, vars := filepath.Join(tmp, "awsx.stdin"), filepath.Join(tmp, "awsx.env")
	ts.Check(ts.Exec("sh", "-c", `cat >"$1" && env -0 >"$2"`, "sh", in, vars))
	return ts.ReadFile(in), strings.Split(strings.TrimSuffix(ts.ReadFile(vars), "\x00"), "\x00")
}

// shell runs a shell script (a real POSIX shell's interpreter, mvdan.cc/sh) in the script's
// directory and environment, its `aws` and `awsx` commands in the test's process, as awsx
// does; other commands run as processes.
func shell(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: shell script")
	}
	file, err := syntax.NewParser().Parse(strings.NewReader(ts.ReadFile(args[0])), args[0])
	ts.Check(err)
	stdin, environ := handedOver(ts)
	inProcess := func(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
		return func(ctx context.Context, args []string) error {
			if args[0] != "aws" && args[0] != "awsx" {
				return next(ctx, args)
			}
			hc := interp.HandlerCtx(ctx)
			var env []string
			for name, v := range hc.Env.Each {
				if v.Exported && v.IsSet() {
					env = append(env, name+"="+v.String())
				}
			}
			f := cli.NewFactory(&cli.IO{In: hc.Stdin, Out: hc.Stdout, Err: hc.Stderr}, env, hc.Dir)
			if code := cli.Run(ctx, f, args[1:]); code != 0 {
				return interp.ExitStatus(code)
			}
			return nil
		}
	}
	r, err := interp.New(interp.Env(expand.ListEnviron(environ...)), interp.Dir(lookup(environ, "PWD")),
		interp.StdIO(strings.NewReader(stdin), ts.Stdout(), ts.Stderr()), interp.ExecHandlers(inProcess))
	ts.Check(err)
	err = r.Run(context.Background(), file)
	var status interp.ExitStatus
	if err != nil && !errors.As(err, &status) {
		ts.Fatalf("%s: %v", args[0], err)
	}
	exited(ts, neg, int(status))
}

// exited fails the script when a command's exit code is not what the script expects of it.
func exited(ts *testscript.TestScript, neg bool, code int) {
	switch {
	case neg && code == 0:
		ts.Fatalf("unexpected command success")
	case !neg && code != 0:
		ts.Fatalf("unexpected command failure: exit status %d", code)
	}
}

// lookup is the value of the variable key in environ.
func lookup(environ []string, key string) string {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// TestLabs runs every lab against a fresh simulator. UPDATE_GOLDEN=1 rewrites the scripts'
// want files from what the commands printed.
func TestLabs(t *testing.T) {
	testscript.Run(t, params("."))
}

// generated writes one script per lab, made by script, into a directory of its own.
func generated(t *testing.T, script func(*labs.Lab) *txtar.Archive) string {
	t.Helper()
	all, err := labs.All()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, lab := range all {
		if ar := script(lab); ar != nil {
			if err := os.WriteFile(filepath.Join(dir, lab.Name+".txtar"), txtar.Format(ar), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestCheck checks each lab's goals as a learner meets them: on a fresh account `awsx lab
// check` fails, naming every goal with its hints; after the lab's commands are typed in a
// shell (a POSIX shell, with aws being awsx), it passes.
func TestCheck(t *testing.T) {
	testscript.Run(t, params(generated(t, func(lab *labs.Lab) *txtar.Archive {
		if len(lab.Goals) == 0 {
			return nil
		}
		n := len(lab.Goals)
		var s strings.Builder
		fmt.Fprintf(&s, "! awsx lab check %d\n", lab.Number)
		fmt.Fprintf(&s, "stdout -count=%d '✗'\nstdout '\\b0 of %d goals met'\n", n, n)
		hints := 0
		for _, g := range lab.Goals {
			hints += len(g.Hints)
		}
		fmt.Fprintf(&s, "stdout -count=%d 'hint: '\n", hints)
		fmt.Fprintf(&s, "shell typed.sh\nawsx lab check %d\nstdout -count=%d '✓'\nstdout '\\b%d of %d goals met'\n", lab.Number, n, n, n)
		ar := &txtar.Archive{Comment: []byte(s.String()), Files: []txtar.File{{Name: "typed.sh", Data: typedByHand(lab)}}}
		ar.Files = append(ar.Files, lab.Files...)
		return ar
	})))
}

// typedByHand is the lab's commands as a learner types them in a shell.
func typedByHand(lab *labs.Lab) []byte {
	var b strings.Builder
	b.WriteString("set -e\n")
	stdin := ""
	for _, s := range lab.Steps {
		for _, l := range s.Lines {
			switch {
			case l.Name() == "stdin":
				stdin = " < " + l.Args[1]
			case l.Typed() && l.Neg:
				fmt.Fprintf(&b, "if %s 2>/dev/null%s; then echo 'should be refused: %s' >&2; exit 1; fi\n", l.Text, stdin, l.Name())
				stdin = ""
			case l.Typed():
				fmt.Fprintf(&b, "%s%s\n", l.Text, stdin)
				stdin = ""
			default:
				if file, ok := l.Saves(); ok { // the command just written, with its output kept
					text := strings.TrimSuffix(b.String(), "\n")
					b.Reset()
					fmt.Fprintf(&b, "%s > %s\n", text, file)
				}
			}
		}
	}
	return []byte(b.String())
}

// TestRun plays every lab with `awsx lab run`, piped: no pauses, and every step as the lab
// says.
func TestRun(t *testing.T) {
	testscript.Run(t, params(generated(t, func(lab *labs.Lab) *txtar.Archive {
		script := fmt.Sprintf("awsx lab run %d\nstdout '^%d\\. '\nstdout '^Done\\.'\n! stderr .\n", lab.Number, len(lab.Steps))
		return &txtar.Archive{Comment: []byte(script)}
	})))
}
