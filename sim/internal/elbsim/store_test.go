package elbsim

import (
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// A saved state loads back as it was; one whose records are not filed under their ARNs, or
// point at what is not there, is refused and leaves the store as it was.
func TestLoadChecksState(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewStore("123456789012", core.NewClock(func() time.Time { return at }), core.NewIDs(1), nil, nil, nil)
	lbARN := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef"
	l := "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/1111111111111111"
	good := `{"Regions":{"us-east-1":{
		"LBs":{"` + lbARN + `":{"ARN":"` + lbARN + `","Name":"web","Type":"application","Created":"2026-01-01T00:00:00Z"}},
		"Listeners":{"` + l + `":{"ARN":"` + l + `","LB":"` + lbARN + `","Protocol":"HTTP","Port":80,"DefaultRule":"r1"}},
		"Rules":{"r1":{"ARN":"r1","Listener":"` + l + `","Default":true}}}}}`
	if err := s.UnmarshalJSON([]byte(good)); err != nil {
		t.Fatal(err)
	}
	if dns, ok := s.DNSName("us-east-1", "web"); !ok || dns != "" {
		t.Errorf("DNSName = %q, %v", dns, ok)
	}
	b, err := s.MarshalJSON()
	if err != nil || !strings.Contains(string(b), `"Port":80`) {
		t.Fatalf("saved %s, %v", b, err)
	}
	gen := s.Generation()
	for name, bad := range map[string]string{
		"not JSON":           `{`,
		"filed elsewhere":    strings.Replace(good, `"ARN":"`+lbARN, `"ARN":"x`, 1),
		"a listener alone":   `{"Regions":{"us-east-1":{"Listeners":{"l":{"ARN":"l","LB":"gone","DefaultRule":"r"}}}}}`,
		"a rule without one": `{"Regions":{"us-east-1":{"Rules":{"r":{"ARN":"r","Listener":"gone"}}}}}`,
	} {
		if err := s.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if s.Generation() != gen {
		t.Error("a refused state changed the store")
	}
	if _, ok := s.DNSName("us-east-1", "web"); !ok {
		t.Error("the store lost its load balancer")
	}
}
