// Package examples_test runs every program of examples/ on the embedded simulator, as a
// reader would run it (go run ./examples/NAME), and checks what it says.
package examples_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The programs and a line each must print. A new program without its entry fails the test.
var programs = map[string][]string{
	"first-lesson":  {"alex, now in admin, sees 17 regions"},
	"instance-role": {"inventory: [i-", "terminating from the instance: UnauthorizedOperation"},
	"static-site":   {"GET /: 200 text/html", "deleted awsx-static-site-example"},
	"web-server":    {"log in: ssh -i ", "says: <h1>Hello from ip-", "taken down"},
	"vpc-nat": {"NAT gateway nat-", `-o ProxyCommand="ssh -i `, "me → bastion, ssh: open", "me → worker, ssh: closed",
		"bastion → worker, ssh: open", "worker → internet, https (through the NAT gateway): open", "with its instances, NAT gateway and Elastic IP"},
	"spot-worker": {"the cheapest Spot markets now:", "Spot Instance of request sir-", "its request is closed: instance-terminated-no-capacity",
		"taken down: no instance, no open Spot request"},
}

func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every example (each links the simulator)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	// One build of them all: the linker's work is the cost, and go build shares the rest.
	if out, err := exec.Command(goTool, "build", "-o", bin+string(filepath.Separator), "./...").CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/...: %v\n%s", err, out)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, ok := programs[name]
			if !ok {
				t.Fatalf("examples/%s has no expected output in programs", name)
			}
			home := t.TempDir()
			cmd := exec.Command(filepath.Join(bin, name))
			// A clean environment: no ~/.aws or ~/.awsx of the machine's, the simulator chosen
			// by the one setting the programs read.
			cmd.Env = []string{"HOME=" + home, "TMPDIR=" + home, "PATH=" + os.Getenv("PATH"), "AWSX_BACKEND=sim"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, out)
			}
			for _, w := range want {
				if !strings.Contains(string(out), w) {
					t.Errorf("%s does not say %q:\n%s", name, w, out)
				}
			}
		})
	}
}
