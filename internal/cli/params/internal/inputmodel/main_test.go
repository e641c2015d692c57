package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// TestFresh fails when params' input models are not what the extraction writes from the AWS CLI
// v2 on this machine for awsmodel's list: run `go generate ./internal/cli/params`.
func TestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the AWS CLI v2's Python over its models")
	}
	if err := Check(Python); err != nil {
		t.Skipf("cannot check the input models: %v", err)
	}
	dir := t.TempDir()
	if err := Generate(Python, dir, awsmodel.Services()); err != nil {
		t.Fatal(err)
	}
	const committed = "../../model"
	var want []string
	for _, s := range awsmodel.Services() {
		name := s.Name + ".json.gz"
		want = append(want, name)
		if _, err := os.Stat(filepath.Join(committed, name)); err != nil {
			t.Errorf("model/%s is missing: run go generate ./internal/cli/params", name)
			continue
		}
		if !bytes.Equal(gunzip(t, filepath.Join(committed, name)), gunzip(t, filepath.Join(dir, name))) {
			t.Errorf("model/%s is stale: run go generate ./internal/cli/params", name)
		}
	}
	got, _ := filepath.Glob(filepath.Join(committed, "*.json.gz"))
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	if slices.Sort(want); !slices.Equal(got, want) {
		t.Errorf("model/ holds %v, the list %v: run go generate ./internal/cli/params", got, want)
	}
}

func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}
