package ec2sim

import (
	"testing"

	"github.com/awsxlab/awsx/netcalc"
)

// allocate gives the lowest free address, whatever was taken and released before: its
// starting point moves up as addresses are used and down as they are released.
func TestAllocateLowestFree(t *testing.T) {
	t.Parallel()
	block, err := netcalc.ParseMasked("10.0.0.0/28")
	if err != nil {
		t.Fatal(err)
	}
	sn := &subnet{CIDR: block, Used: map[string]string{}}
	take := func(want string) {
		t.Helper()
		a, ok := sn.allocate()
		if !ok || a.String() != want {
			t.Fatalf("allocate = %v, %v; want %s", a, ok, want)
		}
		sn.Used[a.String()] = "i-test"
	}
	for _, want := range []string{"10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"} {
		take(want)
	}
	sn.release("10.0.0.5")
	take("10.0.0.5")
	take("10.0.0.8")
	sn.Used["10.0.0.9"] = "eni-given" // an address given by the caller
	take("10.0.0.10")
	sn.release("10.0.0.4")
	sn.release("10.0.0.6")
	take("10.0.0.4")
	take("10.0.0.6")
	for _, want := range []string{"10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14"} {
		take(want)
	}
	if a, ok := sn.allocate(); ok {
		t.Fatalf("a full subnet allocated %v", a)
	}
}
