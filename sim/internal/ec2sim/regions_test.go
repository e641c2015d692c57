package ec2sim

import (
	"slices"
	"testing"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// TestRegionsArePartitions: EC2 describes exactly the partition's regions, in its order.
func TestRegionsArePartitions(t *testing.T) {
	var names []string
	for _, r := range regions {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, core.Regions()) {
		t.Errorf("EC2's regions %v differ from the partition's %v", names, core.Regions())
	}
	if !slices.IsSorted(names) {
		t.Error("the regions are not sorted")
	}
}
