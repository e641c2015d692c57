package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

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
