package simbackend_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/viper"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/simbackend"
)

// With the package imported, the "sim" backend is its process-wide simulator.
func TestRegistered(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	for _, v := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWSX_CONFIG"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("AWSX_BACKEND", "sim")
	cfg, err := awsx.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || *out.Arn != "arn:aws:iam::123456789012:root" {
		t.Fatalf("caller %v, %v", out, err)
	}
	if simbackend.Default() != simbackend.Default() {
		t.Error("Default is not one simulator")
	}
}

func TestOptions(t *testing.T) {
	v := viper.New()
	v.Set("clock", "2026-01-01T09:00:00Z")
	v.Set("seed", "7")
	if opts, err := simbackend.Options(v); err != nil || len(opts) != 2 {
		t.Errorf("options %d, %v", len(opts), err)
	}
	v.Set("clock", "yesterday")
	if _, err := simbackend.Options(v); err == nil {
		t.Error("a bad clock was taken")
	}
}
