package configure

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// result is what a command run leaves: its output and exit status.
type result struct {
	stdout, stderr string
	code           int
}

// runAwsx runs `configure args…` in-process with the environment env (HOME included), and
// returns what the awsx command would print and exit with: a plain error is printed as the
// AWS CLI prints errors ("\n" + message + "\n" on stderr, status 255), a usage error has
// status 252.
func runAwsx(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	o := &options{in: strings.NewReader(stdin), out: &out, errOut: &errOut, getenv: func(k string) string { return env[k] }}
	cmd := newCmdConfigure(o)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args, the test binary's flags
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	r := result{code: 0}
	var ee *ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.Code
	case strings.Contains(err.Error(), "accepts") || strings.Contains(err.Error(), "unknown"):
		r.code = 252
		errOut.WriteString(err.Error() + "\n")
	default:
		r.code = 255
		errOut.WriteString("\n" + err.Error() + "\n")
	}
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

// testHome returns a new home directory and an environment with only HOME set.
func testHome(t *testing.T) (string, map[string]string) {
	t.Helper()
	home := t.TempDir()
	return home, map[string]string{"HOME": home}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "<missing>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
