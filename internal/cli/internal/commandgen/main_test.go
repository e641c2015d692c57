package main

import (
	"bytes"
	"os"
	"testing"
)

// TestFresh fails when awscommands_gen.go is not what commandgen writes from the AWS CLI v2's
// botocore on this machine: run go generate ./internal/cli.
func TestFresh(t *testing.T) {
	if _, err := os.Stat(Data); err != nil {
		t.Skipf("cannot check the AWS CLI's commands without the AWS CLI v2 (apt-get install awscli): %v", err)
	}
	want, err := Generate(Data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../awscommands_gen.go")
	if err != nil || !bytes.Equal(got, want) {
		t.Error("awscommands_gen.go is stale: run go generate ./internal/cli")
	}
}
