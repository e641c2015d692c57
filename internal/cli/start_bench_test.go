package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/internal/cli/state"
	"github.com/awsxlab/awsx/sim"
)

// BenchmarkStart times whole awsx processes, as a learner feels them: `awsx --version`, and a
// call on the embedded simulator whose state directory holds 1,000 IAM users.
func BenchmarkStart(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "awsx")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/awsxlab/awsx/cmd/awsx").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	stateDir := filepath.Join(dir, "state")
	d, _, err := state.Open(stateDir)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Update(context.Background(), nil, func(c *sim.Cloud) error {
		client := iam.NewFromConfig(c.Config())
		for i := range 1000 {
			if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%04d", i))}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	created := 0 // users made by the create-user case, for unique names across runs
	env := append(os.Environ(), "AWSX_STATE_DIR="+stateDir, "HOME="+dir, "AWSX_BACKEND=sim", "AWS_ENDPOINT_URL=")
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"--version"}},
		{"get-user-1000-users", []string{"iam", "get-user", "--user-name", "user-0500"}},
		{"create-user-1000-users", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				args := bc.args
				if args == nil {
					created++
					args = []string{"iam", "create-user", "--user-name", fmt.Sprintf("new-%d", created)}
				}
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
		})
	}
}

// BenchmarkStartLargeState is the yardstick: `awsx sts get-caller-identity` on an
// embedded state holding 50 MiB of objects and 1,000 IAM users, beside the same command on
// an empty state (report the ratio), and what one small write into the large state costs.
func BenchmarkStartLargeState(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "awsx")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/awsxlab/awsx/cmd/awsx").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	ctx := context.Background()
	large, empty := filepath.Join(dir, "large"), filepath.Join(dir, "empty")
	c, err := sim.Open(ctx, large, false)
	if err != nil {
		b.Fatal(err)
	}
	client := iam.NewFromConfig(c.Config())
	for i := range 1000 {
		if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%04d", i))}); err != nil {
			b.Fatal(err)
		}
	}
	objects := s3.NewFromConfig(c.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := objects.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("large")}); err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	for i := range 50 {
		body[0] = byte(i) // 50 different bodies
		if _, err := objects.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("large"), Key: aws.String(fmt.Sprint(i)), Body: bytes.NewReader(body)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Mkdir(empty, 0o700); err != nil {
		b.Fatal(err)
	}
	put := 0
	for _, bc := range []struct {
		name, state string
		args        []string
	}{
		{"get-caller-identity-empty", empty, []string{"sts", "get-caller-identity"}},
		{"get-caller-identity-large", large, []string{"sts", "get-caller-identity"}},
		{"list-users-large", large, []string{"iam", "list-users", "--max-items", "5"}},
		{"put-object-1KiB-large", large, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env := append(os.Environ(), "AWSX_STATE_DIR="+bc.state, "HOME="+dir, "AWSX_BACKEND=sim", "AWS_ENDPOINT_URL=")
			small := filepath.Join(dir, "small")
			os.WriteFile(small, bytes.Repeat([]byte("x"), 1024), 0o600)
			for b.Loop() {
				args := bc.args
				if args == nil {
					put++
					args = []string{"s3api", "put-object", "--bucket", "large", "--key", fmt.Sprintf("small-%d", put), "--body", small}
				}
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
		})
	}
}
