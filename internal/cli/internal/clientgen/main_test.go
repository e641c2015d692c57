package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// TestFresh fails when clients_gen.go is not what the generator writes for awsmodel's list:
// run `go generate ./internal/cli`.
func TestFresh(t *testing.T) {
	want, err := Generate(awsmodel.Services())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../clients_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("clients_gen.go is stale: run go generate ./internal/cli")
	}
	for _, s := range awsmodel.Services() {
		if !bytes.Contains(got, []byte(s.Name+".NewFromConfig(c)")) {
			t.Errorf("clients_gen.go makes no client of %s", s.Name)
		}
	}
}
