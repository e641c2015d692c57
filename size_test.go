package awsx_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A program that uses awsx.Load and ec2x against AWS links no simulator, and builds to
// within 15% of the same program written on the SDK alone (testdata/size: awsx/ and sdk/).
func TestProgramSize(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	deps, err := exec.Command(goTool, "list", "-deps", "./testdata/size/awsx").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(deps)) {
		if p == "github.com/awsxlab/awsx/sim" || strings.HasPrefix(p, "github.com/awsxlab/awsx/sim/") || strings.HasPrefix(p, "github.com/awsxlab/awsx/internal/cli") {
			t.Errorf("the AWS-only program links %s", p)
		}
	}
	if testing.Short() {
		t.Skip("the sizes need two builds; -short checks the imports only")
	}
	size := func(pkg string) int64 {
		out := filepath.Join(t.TempDir(), filepath.Base(pkg))
		if b, err := exec.Command(goTool, "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	withAwsx, sdk := size("./testdata/size/awsx"), size("./testdata/size/sdk")
	ratio := float64(withAwsx) / float64(sdk)
	t.Logf("awsx+ec2x %d bytes, the SDK alone %d bytes: %.3f", withAwsx, sdk, ratio)
	if ratio > 1.15 {
		t.Errorf("awsx+ec2x is %.0f%% larger than the SDK alone; the goal is within 15%%", (ratio-1)*100)
	}
}
