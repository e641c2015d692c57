package opslist

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// TestOperationsFresh fails when sim/OPERATIONS.md is not what the simulator does now: run
// `go generate ./sim` after adding an operation.
func TestOperationsFresh(t *testing.T) {
	t.Parallel()
	services, err := Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		if len(s.Operations) < 5 || s.Implemented() < 2 {
			t.Errorf("%s: %d operations, %d implemented: the probe is broken", s.Name, len(s.Operations), s.Implemented())
		}
	}
	want := Render(services)
	got, err := os.ReadFile("../../OPERATIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("sim/OPERATIONS.md is stale: run `go generate ./sim`")
	}
}
