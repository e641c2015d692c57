package conformance_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestMain(m *testing.M) {
	m.Run()
	conformance.Close()
}

// Each test gets a new, empty account 123456789012; its root's config reaches it, and a
// config with a user's key signs as the user.
func TestOpenIsFresh(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		for _, name := range []string{"first", "second"} {
			t.Run(name, func(t *testing.T) {
				c := b.Open(t)
				root := iam.NewFromConfig(c.Config())
				users, err := root.ListUsers(ctx, &iam.ListUsersInput{})
				if err != nil {
					t.Fatal(err)
				}
				if len(users.Users) != 0 {
					t.Fatalf("a new account has users: %+v", users.Users)
				}
				if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")}); err != nil {
					t.Fatal(err)
				}
				key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")})
				if err != nil {
					t.Fatal(err)
				}
				alex := c.Config(conformance.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, ""),
					conformance.WithRegion("eu-west-1"))
				id, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				if err != nil {
					t.Fatal(err)
				}
				if aws.ToString(id.Arn) != "arn:aws:iam::123456789012:user/alex" || alex.Region != "eu-west-1" {
					t.Errorf("alex's config: %s in %s", aws.ToString(id.Arn), alex.Region)
				}
			})
		}
	})
}

// Require skips a test on a backend without the capability, and only there; Diverges skips
// it on the backend named, and only with a reason.
func TestRequireAndDiverges(t *testing.T) {
	if os.Getenv("AWSX_CONFORMANCE_STRICT") == "1" {
		t.Skip("AWSX_CONFORMANCE_STRICT=1 turns Diverges off")
	}
	caps := []conformance.Capability{conformance.Simulator, conformance.Fresh, conformance.Authenticates,
		conformance.EnforcesIAM, conformance.DeterministicIDs, conformance.ClockControl}
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Shared(t)
		if _, err := sts.NewFromConfig(c.Config()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err) // (and loopback wants a test to send a request)
		}
		// ran reports whether check let its subtest go on.
		ran := func(check func(t *testing.T)) bool {
			went := false
			t.Run("check", func(t *testing.T) {
				check(t)
				went = true
			})
			return went
		}
		for _, cp := range caps {
			if got := ran(func(t *testing.T) { c.Require(t, cp) }); got != b.Has(cp) {
				t.Errorf("Require(%v) went on: %v; the backend has it: %v", cp, got, b.Has(cp))
			}
		}
		for _, name := range []string{conformance.Memory, conformance.Loopback, conformance.Moto, conformance.AWS} {
			if got := ran(func(t *testing.T) { c.Diverges(t, name, "a reason") }); got == (name == b.Name()) {
				t.Errorf("Diverges(%s) on %s went on: %v", name, b.Name(), got)
			}
		}
		if !ran(func(t *testing.T) { c.Diverges(t, b.Name(), "") }) {
			t.Error("Diverges without a reason skipped")
		}
		if got := ran(func(t *testing.T) { c.Advance(t, 0) }); got != b.Has(conformance.ClockControl) {
			t.Errorf("Advance went on: %v", got)
		}
		if got := ran(func(t *testing.T) { c.Cloud(t) }); got != b.Has(conformance.Simulator) {
			t.Errorf("Cloud went on: %v", got)
		}
	})
}
