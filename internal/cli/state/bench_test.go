package state

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim"
)

const benchUsers = 1000

// benchDir returns a state directory holding benchUsers IAM users.
func benchDir(b *testing.B) *Dir {
	b.Helper()
	d, _, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	err = d.Update(context.Background(), nil, func(c *sim.Cloud) error {
		client := iam.NewFromConfig(c.Config())
		for i := range benchUsers {
			if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%04d", i))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkUpdate is what one awsx invocation pays for its state: lock, load the saved state,
// a call, save (when the call changed something), unlock.
func BenchmarkUpdate(b *testing.B) {
	d := benchDir(b)
	ctx := context.Background()
	b.Run("no-change", func(b *testing.B) {
		for b.Loop() {
			if err := d.Update(ctx, nil, func(*sim.Cloud) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get-user", func(b *testing.B) {
		for b.Loop() {
			err := d.Update(ctx, nil, func(c *sim.Cloud) error {
				_, err := iam.NewFromConfig(c.Config()).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("user-0500")})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tag-user", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			err := d.Update(ctx, nil, func(c *sim.Cloud) error {
				_, err := iam.NewFromConfig(c.Config()).TagUser(ctx, &iam.TagUserInput{
					UserName: aws.String("user-0500"),
					Tags:     []types.Tag{{Key: aws.String("n"), Value: aws.String(fmt.Sprint(i))}},
				})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("view", func(b *testing.B) {
		for b.Loop() {
			if err := d.View(ctx, nil, func(*sim.Cloud) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStateParts splits an Update's cost: the simulator's Load and Save of the state, and
// a fresh simulator (sim.New), without the files and the lock.
func BenchmarkStateParts(b *testing.B) {
	d := benchDir(b)
	var saved bytes.Buffer
	d.View(context.Background(), nil, func(c *sim.Cloud) error { return c.Save(&saved) })
	b.Logf("state of %d users: %d bytes", benchUsers, saved.Len())
	b.Run("sim.New", func(b *testing.B) {
		for b.Loop() {
			sim.New()
		}
	})
	b.Run("Load", func(b *testing.B) {
		for b.Loop() {
			if err := sim.New().Load(bytes.NewReader(saved.Bytes())); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Save", func(b *testing.B) {
		c := sim.New()
		c.Load(bytes.NewReader(saved.Bytes()))
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := c.Save(&buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
