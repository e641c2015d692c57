package ssmsim_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// TestConcurrentUse runs writers and readers of the same parameters side by side; with -race
// it checks the lock, and after it that no write was lost.
func TestConcurrentUse(t *testing.T) {
	w := newWorld(t)
	const workers, rounds = 16, 40
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := in(east)
			own := fmt.Sprintf("/race/w%02d", g)
			if _, err := w.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(own), Value: aws.String("0"), Type: types.ParameterTypeSecureString, Tags: tagList("g", "x")}); err != nil {
				t.Error(err)
				return
			}
			for i := 1; i < rounds; i++ {
				calls := []func() error{
					func() error {
						_, err := w.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(own), Value: aws.String(fmt.Sprint(i)), Overwrite: aws.Bool(true)})
						return err
					},
					func() error {
						// Every worker overwrites the shared one: only the version count matters.
						_, err := w.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/race/shared"), Value: aws.String("v"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)})
						return err
					},
					func() error {
						_, err := w.ssm.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{Name: aws.String(own), Labels: []string{"latest"}})
						return err
					},
					func() error {
						_, err := w.ssm.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/race"), WithDecryption: aws.Bool(true), MaxResults: aws.Int32(3)})
						return err
					},
					func() error {
						_, err := w.ssm.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("tag:g")}}})
						return err
					},
					func() error {
						_, err := w.ssm.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{own, own + ":latest", "/race/shared", "/aws/service/debian/release/12/latest/amd64"}})
						return err
					},
					func() error {
						_, err := w.ssm.AddTagsToResource(ctx, &ssm.AddTagsToResourceInput{ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: aws.String(own), Tags: tagList("round", fmt.Sprint(i))})
						return err
					},
					func() error { _, err := w.store.MarshalJSON(); return err },
					func() error {
						_ = w.store.Generation()
						_, err := w.store.Resolve(east, "/aws/service/debian/release/12/latest/amd64")
						return err
					},
				}
				for _, call := range calls {
					if err := call(); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for g := range workers {
		p := w.get(t, east, fmt.Sprintf("/race/w%02d:latest", g), true)
		if p.Version != rounds || aws.ToString(p.Value) != fmt.Sprint(rounds-1) {
			t.Fatalf("worker %d: %+v", g, p)
		}
	}
	if p := w.get(t, east, "/race/shared", false); p.Version != int64(workers*(rounds-1)) {
		t.Fatalf("/race/shared is at version %d, want %d", p.Version, workers*(rounds-1))
	}
	h, err := w.ssm.GetParameterHistory(in(east), &ssm.GetParameterHistoryInput{Name: aws.String("/race/shared")})
	if err != nil || h.Parameters[0].Version != int64(workers*(rounds-1)-99) {
		t.Fatalf("the oldest version kept: %+v, %v", h.Parameters[0], err)
	}
	if _, err := w.ssm.GetParameter(in(east), &ssm.GetParameterInput{Name: aws.String("/race/shared:1")}); codeOf(err) != ssmsim.ParameterVersionNotFound {
		t.Fatalf("version 1 was not dropped: %v", err)
	}
}
