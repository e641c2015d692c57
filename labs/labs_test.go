package labs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/awsxlab/awsx/internal/cli"
	"github.com/awsxlab/awsx/labs"
)

// TestMain makes the test binary the labs' commands: `aws` and `awsx` are the awsx command,
// run as a process of its own per call so that each script's environment is its own.
func TestMain(m *testing.M) {
	main := func() int { return cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }
	testscript.Main(m, map[string]func(){
		"aws":  func() { os.Exit(main()) },
		"awsx": func() { os.Exit(main()) },
	})
}

// params runs the scripts in dir as labs run: each script has its own HOME, so its ~/.aws
// and its simulator state (~/.awsx) are its own, on the labs' clock, with none of the
// machine's AWS settings.
func params(dir string) testscript.Params {
	return testscript.Params{
		Dir:           dir,
		UpdateScripts: os.Getenv("UPDATE_GOLDEN") == "1",
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
// shell (bash, with aws being awsx), it passes.
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
		fmt.Fprintf(&s, "exec bash typed.sh\nawsx lab check %d\nstdout -count=%d '✓'\nstdout '\\b%d of %d goals met'\n", lab.Number, n, n, n)
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
