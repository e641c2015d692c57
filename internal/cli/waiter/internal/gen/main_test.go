package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// TestGeneratedUpToDate fails when data/ is not what the generator writes from the AWS CLI
// v2's botocore on this machine: run go generate ./internal/cli/waiter.
func TestGeneratedUpToDate(t *testing.T) {
	if _, err := os.Stat(Data); err != nil {
		t.Skipf("cannot check the waiters without the AWS CLI v2's botocore (apt-get install awscli): %v", err)
	}
	dir := t.TempDir()
	if err := Generate(Data, dir, awsmodel.Services()); err != nil {
		t.Fatal(err)
	}
	fresh, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	committed, _ := filepath.Glob("../../data/*.json")
	if len(fresh) != len(committed) {
		t.Errorf("data/ has %d files, the generator writes %d: run go generate ./internal/cli/waiter", len(committed), len(fresh))
	}
	for _, f := range fresh {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("../../data", filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("data/%s is stale: run go generate ./internal/cli/waiter", filepath.Base(f))
		}
	}
}
