package jsonproto

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate regenerates sdk_gen.go from the SDK modules in go.mod and compares
// it with the committed one: after an SDK upgrade, run `go generate`.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator over the SDK sources")
	}
	out := filepath.Join(t.TempDir(), "sdk_gen.go")
	if b, err := exec.Command("go", "run", "./internal/gen", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("sdk_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("sdk_gen.go is stale: run go generate in sim/internal/jsonproto")
	}
}

// TestRestFactsUpToDate regenerates data/*.rest (the wire facts of the restJson1 services
// with generated serializers) and compares them with the committed ones.
func TestRestFactsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator over the SDK sources")
	}
	dir := t.TempDir()
	if b, err := exec.Command("go", "run", "./internal/restgen", "-data", dir).CombinedOutput(); err != nil {
		t.Fatalf("restgen: %v\n%s", err, b)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.rest"))
	if err != nil || len(files) == 0 {
		t.Fatalf("restgen wrote no files (%v)", err)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("data", filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("data/%s is stale (%v): run go generate in sim/internal/jsonproto", filepath.Base(f), err)
		}
	}
}
