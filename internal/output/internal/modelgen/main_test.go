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

// TestFresh fails when the output package's models are not what modelgen writes from the
// botocore models on this machine for awsmodel's list: run `go generate ./internal/output`.
func TestFresh(t *testing.T) {
	if _, err := os.Stat(PrimaryData); err != nil {
		t.Skipf("cannot check the output models without the AWS CLI v2's (apt-get install awscli): %v", err)
	}
	extra, err := ExtraData()
	if err != nil {
		t.Skipf("cannot check the output models: %v", err)
	}
	dir := t.TempDir()
	if err := Generate(PrimaryData, extra, dir, awsmodel.Services()); err != nil {
		t.Fatal(err)
	}
	const committed = "../../model"
	var want []string
	for _, s := range awsmodel.Services() {
		name := s.Name + ".json.gz"
		want = append(want, name)
		if _, err := os.Stat(filepath.Join(committed, name)); err != nil {
			t.Errorf("model/%s is missing: run go generate ./internal/output", name)
			continue
		}
		if !bytes.Equal(gunzip(t, filepath.Join(committed, name)), gunzip(t, filepath.Join(dir, name))) {
			t.Errorf("model/%s is stale (or made from another botocore than %s's): run go generate ./internal/output", name, extra)
		}
	}
	got, _ := filepath.Glob(filepath.Join(committed, "*.json.gz"))
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	if slices.Sort(want); !slices.Equal(got, want) {
		t.Errorf("model/ holds %v, the list %v: run go generate ./internal/output", got, want)
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
