package rdssim

import (
	"slices"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// A DB instance is found by its identifier in any case or by its endpoint's DNS name, in the
// subnet of its subnet group in its zone; a deleted one and other names are not.
func TestNetworkEndpoint(t *testing.T) {
	clock := core.NewClock(nil)
	s := NewStore("123456789012", clock, core.NewIDs(1), nil)
	now := clock.Now()
	s.st.Regions["us-east-1"] = &regionState{
		Instances: map[string]*instance{
			"shop-db": {ID: "shop-db", Port: 3306, SubnetGroup: "g", AZ: "us-east-1b", SecurityGroups: []string{"sg-1"}, Status: "available", Since: now},
			"old-db":  {ID: "old-db", Port: 3306, SubnetGroup: "g", AZ: "us-east-1a", Status: "deleting", Since: now.Add(-time.Hour)},
		},
		SubnetGroups: map[string]*subnetGroup{"g": {Name: "g", Subnets: []subnet{{"subnet-a", "us-east-1a"}, {"subnet-b", "us-east-1b"}}}},
	}
	host := "shop-db." + s.endpointHash("us-east-1") + ".us-east-1.rds.amazonaws.com"
	for _, name := range []string{"shop-db", "Shop-DB", host, host + "."} {
		e, ok := s.NetworkEndpoint("us-east-1", name)
		if !ok || e.ID != "shop-db" || e.Host != host || e.Subnet != "subnet-b" || e.Port != 3306 || !slices.Equal(e.SecurityGroups, []string{"sg-1"}) || e.Status != "available" {
			t.Errorf("NetworkEndpoint(%q) = %+v, %v", name, e, ok)
		}
	}
	for _, name := range []string{"old-db", "nope", "shop-db.example.com", "shop-db.abc.us-east-1.rds.amazonaws.com", ""} {
		if e, ok := s.NetworkEndpoint("us-east-1", name); ok {
			t.Errorf("NetworkEndpoint(%q) = %+v, want none", name, e)
		}
	}
	if _, ok := s.NetworkEndpoint("eu-west-1", "shop-db"); ok {
		t.Error("found in another region")
	}
}
