package s3sim

import (
	"strings"
	"testing"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// S3's request IDs are the first 16 hex digits of the door's UUIDs, upper-case.
func TestRequestID(t *testing.T) {
	ours, theirs := core.NewIDs(7), core.NewIDs(7)
	for range 100 {
		got := restXML{}.RequestID(ours)
		want := strings.ToUpper(strings.ReplaceAll(theirs.RequestID(), "-", ""))[:16]
		if got != want {
			t.Fatalf("RequestID = %q, want %q", got, want)
		}
	}
}
