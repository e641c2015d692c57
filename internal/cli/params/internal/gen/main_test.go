package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// TestFresh fails when required_gen.go is not what the generator writes for the SDK versions
// in go.mod: run `go generate ./internal/cli/params`.
func TestFresh(t *testing.T) {
	want, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../required_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("required_gen.go is stale: run go generate ./internal/cli/params")
	}
	for _, key := range []string{
		"github.com/aws/aws-sdk-go-v2/service/ec2.RunInstancesInput",
		"github.com/aws/aws-sdk-go-v2/service/iam/types.Tag",
	} {
		if !bytes.Contains(got, []byte(`"`+key+`"`)) {
			t.Errorf("required_gen.go lacks %s", key)
		}
	}
	for _, s := range awsmodel.Services() {
		if !bytes.Contains(got, []byte(`"`+s.Module+".")) {
			t.Errorf("required_gen.go has nothing of %s", s.Name)
		}
	}
}
