// Package pycompare runs Python scripts for tests that compare awsx's rules with Python's own
// (fnmatch, mimetypes, urllib): the AWS CLI is Python, so its behaviour is Python's.
package pycompare

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Run runs a Python script on the interpreter the AWS CLI v2 runs on (Debian's
// /usr/bin/python3), with in as JSON on standard input, and decodes its JSON answer into
// out; the test skips without it, and without Debian's AWS CLI when the script imports it.
func Run(t testing.TB, script string, in, out any) {
	t.Helper()
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3 to compare with")
	}
	if strings.Contains(script, "from awscli") {
		if _, err := os.Stat("/usr/lib/python3/dist-packages/awscli"); err != nil {
			t.Skip("the AWS CLI v2 is not installed (apt-get install awscli)")
		}
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(string(b))
	res, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("python's answer: %v\n%s", err, res)
	}
}
