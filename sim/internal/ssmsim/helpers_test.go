package ssmsim_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ec2sim"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

const (
	account = "123456789012"
	rootARN = "arn:aws:iam::123456789012:root"
	east    = "us-east-1"
)

var start = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// world is a store and its service, with the clock they use.
type world struct {
	store *ssmsim.Store
	ssm   *ssmsim.SSM
	clock *core.Clock
}

// catalog lists EC2's public images of a region as the simulator wires them to the store.
func catalog(region string) []ssmsim.Image {
	var out []ssmsim.Image
	for _, im := range ec2sim.PublicImages(region) {
		out = append(out, ssmsim.Image{ID: im.ID, Name: im.Name, Owner: im.Owner, Arch: im.Arch, Windows: im.Windows, Created: im.Created})
	}
	return out
}

func newWorld(t testing.TB) *world {
	t.Helper()
	clock := core.NewClock(func() time.Time { return start })
	s := ssmsim.NewStore(account, clock, core.NewIDs(1), catalog)
	return &world{store: s, ssm: ssmsim.NewSSM(s), clock: clock}
}

// in returns a request context for region, signed by the account's root.
func in(region string) context.Context {
	ctx := core.WithRegion(context.Background(), region)
	return core.WithCaller(ctx, &core.Caller{Kind: core.Root, Account: account, ARN: rootARN, UserID: account})
}

// put creates or overwrites a parameter and fails the test if it cannot.
func (w *world) put(t testing.TB, region string, input *ssm.PutParameterInput) *ssm.PutParameterOutput {
	t.Helper()
	out, err := w.ssm.PutParameter(in(region), input)
	if err != nil {
		t.Fatalf("PutParameter %s: %v", aws.ToString(input.Name), err)
	}
	return out
}

func (w *world) putString(t testing.TB, region, name, value string) {
	t.Helper()
	w.put(t, region, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: types.ParameterTypeString})
}

func (w *world) overwrite(t testing.TB, region, name, value string) int64 {
	t.Helper()
	return w.put(t, region, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Overwrite: aws.Bool(true)}).Version
}

// get reads a parameter and fails the test if it cannot.
func (w *world) get(t testing.TB, region, name string, decrypt bool) types.Parameter {
	t.Helper()
	out, err := w.ssm.GetParameter(in(region), &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(decrypt)})
	if err != nil {
		t.Fatalf("GetParameter %s: %v", name, err)
	}
	return *out.Parameter
}

// exists reports whether the account has a parameter in region.
func (w *world) exists(t testing.TB, region, name string) bool {
	t.Helper()
	_, err := w.ssm.GetParameter(in(region), &ssm.GetParameterInput{Name: aws.String(name)})
	if err != nil && codeOf(err) != ssmsim.ParameterNotFound {
		t.Fatalf("GetParameter %s: %v", name, err)
	}
	return err == nil
}

// codeOf returns the code of an SSM error, or "" for nil.
func codeOf(err error) core.Code {
	if err == nil {
		return ""
	}
	var e *core.Error
	if !errors.As(err, &e) {
		return "not a *core.Error: " + core.Code(err.Error())
	}
	return e.Code
}

// wantError checks an error's code, status 400 and that its message holds msg.
func wantError(t testing.TB, err error, code core.Code, msg string) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || !strings.Contains(e.Message, msg) {
		t.Fatalf("error = %s %q, want %s with %q", e.Code, e.Message, code, msg)
	}
	want := 400
	if e.Code == core.NotImplemented {
		want = 501
	}
	if e.Status != want {
		t.Fatalf("status of %s = %d, want %d", e.Code, e.Status, want)
	}
}

func names(ps []types.Parameter) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.Name))
	}
	return out
}

func metaNames(ps []types.ParameterMetadata) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.Name))
	}
	return out
}
