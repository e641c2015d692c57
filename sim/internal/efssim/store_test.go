package efssim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The state round-trips through MarshalJSON, and a state whose records do not hold together
// is refused, leaving the store as it was.
func TestStateRoundTrip(t *testing.T) {
	clock := core.NewClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	s := NewStore("123456789012", clock, core.NewIDs(1), fakeEC2, nil)
	h := NewEFS(s)
	ctx := core.WithRegion(context.Background(), "eu-west-1")
	fs, err := h.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	d := NewStore("123456789012", clock, core.NewIDs(2), fakeEC2, nil)
	if err := d.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	got, err := NewEFS(d).DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
	if err != nil || len(got.FileSystems) != 1 || aws.ToString(got.FileSystems[0].FileSystemId) != aws.ToString(fs.FileSystemId) {
		t.Fatalf("loaded %+v, %v", got, err)
	}
	gen := d.Generation()
	for _, bad := range []string{
		`{"Regions":{"eu-west-1":{"FileSystems":{"fs-1":{"ID":"fs-2"}}}}}`,
		`{"Regions":{"eu-west-1":{"FileSystems":{"fs-1":{"ID":"fs-1"}},"MountTargets":{"fsmt-1":{"ID":"fsmt-1","FileSystem":"fs-9"}}}}}`,
		`{"Regions":{"eu-west-1":{"FileSystems":{"fs-1":{"ID":"fs-1"}},"AccessPoints":{"fsap-1":{"ID":"fsap-2","FileSystem":"fs-1"}}}}}`,
		`{"Regions":`,
	} {
		if err := d.UnmarshalJSON([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "efssim: load") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if d.Generation() != gen {
		t.Error("a refused state changed the store")
	}
}
