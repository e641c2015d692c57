package ec2sim

import (
	"testing"

	"github.com/awsxlab/awsx/netcalc"
)

// FuzzParseSubnet6 feeds the check of a subnet's IPv6 block any text: it must never panic,
// and a block it takes is a /64 of the VPC's /56 that another subnet of the VPC does not
// have. The seed corpus is in testdata/fuzz/FuzzParseSubnet6.
func FuzzParseSubnet6(f *testing.F) {
	f.Add("2600:1f18:1:200::/64")
	f.Add("2600:1f18:1:201::/64")
	f.Add("2600:1f18:1:2ff::/64")
	f.Add("2600:1f18:1:200::/60")
	f.Add("2001:db8::/64")
	f.Add("10.0.0.0/24")
	f.Add("2600:1f18:1:2ab::1/64")
	r := newRegionState("us-east-1")
	v := &vpc{meta: meta{ID: "vpc-1"}, CIDR: netcalc.MustParse("10.0.0.0/16")}
	r.VPCs[v.ID] = v
	vb := netcalc.MustParse("2600:1f18:1:200::/56")
	r.VPCBlocks = map[string][]vpcBlock{v.ID: {{AssocID: "vpc-cidr-assoc-1", CIDR: vb}}}
	r.Subnets["subnet-1"] = &subnet{meta: meta{ID: "subnet-1"}, VPC: v.ID, CIDR: netcalc.MustParse("10.0.0.0/24")}
	taken := netcalc.MustParse("2600:1f18:1:201::/64")
	r.SubnetV6 = map[string]subnetBlock6{"subnet-1": {AssocID: "subnet-cidr-assoc-1", CIDR: taken}}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := r.parseSubnet6(v, s, "")
		if err != nil {
			return
		}
		if b.Bits() != 64 || !vb.Covers(b) || b.Overlaps(taken) || b.Prefix().Masked() != b.Prefix() {
			t.Fatalf("took %q as %s", s, b)
		}
	})
}
