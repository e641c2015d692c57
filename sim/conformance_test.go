package sim_test

import (
	"testing"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// The simulator's behaviour tests are one conformance suite: each runs through
// conformance.Run on every backend — in memory, over loopback, on moto_server and on real
// AWS when asked — as subtests named for them. See package conformance.
func TestMain(m *testing.M) {
	m.Run()
	conformance.Close()
}
