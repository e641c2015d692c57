package netcalc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// checkRule asserts that err is a *RuleError for rule with the message,
// conflicting block and valid alternative given; want empty means no error.
func checkRule(t *testing.T, err error, rule Rule, conflict, valid, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("error %v; want none", err)
		}
		return
	}
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T); want a *RuleError %q", err, err, want)
	}
	if re.Error() != want {
		t.Errorf("message\n got %s\nwant %s", re.Error(), want)
	}
	if re.Rule != rule {
		t.Errorf("Rule = %v; want %v", re.Rule, rule)
	}
	if got := blockOrEmpty(re.Conflict); got != conflict {
		t.Errorf("Conflict = %q; want %q", got, conflict)
	}
	if got := blockOrEmpty(re.Valid); got != valid {
		t.Errorf("Valid = %q; want %q", got, valid)
	}
}

func blockOrEmpty(b Block) string {
	if !b.IsValid() {
		return ""
	}
	return b.String()
}

func TestValidateVPC(t *testing.T) {
	tests := []struct {
		block           string
		rule            Rule
		conflict, valid string
		want            string
	}{
		{block: "10.0.0.0/16"},
		{block: "10.0.0.0/28"},
		{block: "172.31.0.0/16"},
		{block: "192.168.0.0/20"},
		{block: "100.64.0.0/16"},
		{block: "203.0.113.0/24"}, // a public block is allowed
		{block: "172.17.0.0/16"},  // advised against, not refused
		{"10.0.0.0/8", RuleVPCSize, "", "10.0.0.0/16",
			`netcalc: VPC block "10.0.0.0/8": /8 is too big; an IPv4 VPC block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.0/16`},
		{"10.0.0.0/15", RuleVPCSize, "", "10.0.0.0/16",
			`netcalc: VPC block "10.0.0.0/15": /15 is too big; an IPv4 VPC block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.0/16`},
		{"10.0.0.16/29", RuleVPCSize, "", "10.0.0.16/28",
			`netcalc: VPC block "10.0.0.16/29": /29 is too small; an IPv4 VPC block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.16/28`},
		{"169.254.0.0/16", RuleVPCRange, "169.254.0.0/16", "10.0.0.0/16",
			`netcalc: VPC block "169.254.0.0/16": overlaps 169.254.0.0/16, link-local (RFC 3927): no VPC may use it; use a private block such as 10.0.0.0/16`},
		{"169.254.169.0/24", RuleVPCRange, "169.254.0.0/16", "10.0.0.0/24",
			`netcalc: VPC block "169.254.169.0/24": overlaps 169.254.0.0/16, link-local (RFC 3927): no VPC may use it; use a private block such as 10.0.0.0/24`},
		{"2001:db8::/56", RuleVPCFamily, "", "",
			`netcalc: VPC block "2001:db8::/56": a VPC is created with an IPv4 block, such as 10.0.0.0/16; IPv6 blocks are added to it afterwards`},
	}
	for _, tt := range tests {
		t.Run(tt.block, func(t *testing.T) {
			checkRule(t, ValidateVPC(MustParse(tt.block)), tt.rule, tt.conflict, tt.valid, tt.want)
		})
	}
	if err := ValidateVPC(Block{}); err == nil || err.Error() != "netcalc: VPC block is the zero Block" {
		t.Errorf("ValidateVPC(zero) = %v", err)
	}
}

func TestValidateVPCBlock(t *testing.T) {
	tests := []struct {
		vpc, add        string
		rule            Rule
		conflict, valid string
		want            string
	}{
		{vpc: "10.0.0.0/16", add: "10.2.0.0/16"},
		{vpc: "10.0.0.0/16", add: "100.64.0.0/16"},
		{vpc: "10.0.0.0/16", add: "203.0.113.0/24"},
		{vpc: "172.30.0.0/16", add: "172.29.0.0/16"},
		{vpc: "192.168.0.0/20", add: "192.168.16.0/20"},
		{vpc: "198.19.0.0/20", add: "100.64.0.0/16"},
		{vpc: "203.0.113.0/24", add: "198.51.100.0/24"},
		{vpc: "203.0.113.0/24", add: "198.19.0.0/24", rule: RuleVPCRange, conflict: "198.19.0.0/16",
			want: `netcalc: VPC block "198.19.0.0/24": a VPC whose primary block 203.0.113.0/24 is public or in 100.64.0.0/10 may not add blocks from 198.19.0.0/16; add one from 100.64.0.0/10 or a public range`},
		{vpc: "10.0.0.0/16 2001:db8::/56", add: "2001:db8:1::/56"},
		{vpc: "10.0.0.0/16", add: "192.168.0.0/16", rule: RuleVPCRange, conflict: "192.168.0.0/16",
			want: `netcalc: VPC block "192.168.0.0/16": a VPC whose primary block 10.0.0.0/16 is in 10.0.0.0/8 may not add blocks from 192.168.0.0/16; add one from 10.0.0.0/8, 100.64.0.0/10 or a public range`},
		{vpc: "10.0.0.0/16", add: "198.19.0.0/16", rule: RuleVPCRange, conflict: "198.19.0.0/16",
			want: `netcalc: VPC block "198.19.0.0/16": a VPC whose primary block 10.0.0.0/16 is in 10.0.0.0/8 may not add blocks from 198.19.0.0/16; add one from 10.0.0.0/8, 100.64.0.0/10 or a public range`},
		{vpc: "172.30.0.0/16", add: "172.31.0.0/16", rule: RuleVPCRange, conflict: "172.31.0.0/16",
			want: `netcalc: VPC block "172.31.0.0/16": a VPC whose primary block 172.30.0.0/16 is in 172.16.0.0/12 may not add blocks from 172.31.0.0/16; add one from 172.16.0.0/12 outside 172.31.0.0/16, 100.64.0.0/10 or a public range`},
		{vpc: "192.168.0.0/16", add: "10.0.0.0/16", rule: RuleVPCRange, conflict: "10.0.0.0/8",
			want: `netcalc: VPC block "10.0.0.0/16": a VPC whose primary block 192.168.0.0/16 is in 192.168.0.0/16 may not add blocks from 10.0.0.0/8; add one from 192.168.0.0/16, 100.64.0.0/10 or a public range`},
		{vpc: "198.19.0.0/16", add: "172.16.0.0/16", rule: RuleVPCRange, conflict: "172.16.0.0/12",
			want: `netcalc: VPC block "172.16.0.0/16": a VPC whose primary block 198.19.0.0/16 is in 198.19.0.0/16 may not add blocks from 172.16.0.0/12; add one from 100.64.0.0/10 or a public range`},
		{vpc: "10.1.0.0/16", add: "10.0.0.0/16", rule: RuleVPCRange, conflict: "10.0.0.0/16",
			want: `netcalc: VPC block "10.0.0.0/16": a VPC with a block in 10.0.0.0/15 (here 10.1.0.0/16) may not add blocks from 10.0.0.0/16; add one elsewhere in 10.0.0.0/8`},
		{vpc: "10.0.0.0/16", add: "10.0.128.0/17", rule: RuleVPCOverlap, conflict: "10.0.0.0/16",
			want: `netcalc: VPC block "10.0.128.0/17": overlaps the VPC's block 10.0.0.0/16; a VPC's blocks may not overlap`},
		{vpc: "10.0.0.0/16 2001:db8::/56", add: "2001:db8::/64", rule: RuleVPCOverlap, conflict: "2001:db8::/56",
			want: `netcalc: VPC block "2001:db8::/64": overlaps the VPC's block 2001:db8::/56; a VPC's blocks may not overlap`},
		{vpc: "10.0.0.0/16", add: "10.2.0.0/15", rule: RuleVPCSize, valid: "10.2.0.0/16",
			want: `netcalc: VPC block "10.2.0.0/15": /15 is too big; an IPv4 VPC block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.2.0.0/16`},
		{vpc: "10.0.0.0/16", add: "169.254.0.0/16", rule: RuleVPCRange, conflict: "169.254.0.0/16", valid: "10.0.0.0/16",
			want: `netcalc: VPC block "169.254.0.0/16": overlaps 169.254.0.0/16, link-local (RFC 3927): no VPC may use it; use a private block such as 10.0.0.0/16`},
	}
	for _, tt := range tests {
		t.Run(tt.vpc+"+"+tt.add, func(t *testing.T) {
			var vpc []Block
			for _, s := range strings.Fields(tt.vpc) {
				vpc = append(vpc, MustParse(s))
			}
			checkRule(t, ValidateVPCBlock(vpc, MustParse(tt.add)), tt.rule, tt.conflict, tt.valid, tt.want)
		})
	}
	if err := ValidateVPCBlock([]Block{MustParse("10.0.0.0/16")}, Block{}); err == nil || err.Error() != "netcalc: VPC block is the zero Block" {
		t.Errorf("ValidateVPCBlock(zero) = %v", err)
	}
	err := ValidateVPCBlock([]Block{MustParse("2001:db8::/56")}, MustParse("10.0.0.0/16"))
	if want := `netcalc: VPC block "10.0.0.0/16": the VPC has no IPv4 block; a VPC's first IPv4 block is its primary block`; err == nil || err.Error() != want {
		t.Errorf("no primary: error %v; want %q", err, want)
	}
}

func TestValidateSubnet(t *testing.T) {
	vpc := []Block{MustParse("10.0.0.0/16"), MustParse("2001:db8::/56")}
	others := []Block{MustParse("10.0.0.0/24"), MustParse("10.0.1.0/24"), MustParse("2001:db8::/64")}
	tests := []struct {
		subnet          string
		rule            Rule
		conflict, valid string
		want            string
	}{
		{subnet: "10.0.2.0/24"},
		{subnet: "10.0.2.0/28"},
		{subnet: "10.0.128.0/17"},
		{subnet: "2001:db8:0:1::/64"},
		{subnet: "2001:db8:0:10::/60"},
		{"10.1.0.0/24", RuleSubnetOutside, "10.0.0.0/16", "10.0.2.0/24",
			`netcalc: subnet "10.1.0.0/24": not within the VPC's block 10.0.0.0/16 (10.0.0.0 to 10.0.255.255); a free /24 is 10.0.2.0/24`},
		{"10.0.0.0/24", RuleSubnetOverlap, "10.0.0.0/24", "10.0.2.0/24",
			`netcalc: subnet "10.0.0.0/24": overlaps the subnet 10.0.0.0/24; a free /24 is 10.0.2.0/24`},
		{"10.0.0.0/23", RuleSubnetOverlap, "10.0.0.0/24", "10.0.2.0/23",
			`netcalc: subnet "10.0.0.0/23": overlaps the subnet 10.0.0.0/24; a free /23 is 10.0.2.0/23`},
		{"10.0.0.0/16", RuleSubnetOverlap, "10.0.0.0/24", "",
			`netcalc: subnet "10.0.0.0/16": overlaps the subnet 10.0.0.0/24`},
		{"10.0.0.0/29", RuleSubnetSize, "", "10.0.0.0/28",
			`netcalc: subnet "10.0.0.0/29": /29 is too small; an IPv4 subnet block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.0/28`},
		{"10.0.0.0/8", RuleSubnetSize, "", "10.0.0.0/16",
			`netcalc: subnet "10.0.0.0/8": /8 is too big; an IPv4 subnet block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.0/16`},
		{"2001:db8::/65", RuleSubnetSize, "", "2001:db8::/64",
			`netcalc: subnet "2001:db8::/65": an IPv6 subnet block is /44 to /64 in steps of 4 bits, such as 2001:db8::/64`},
		{"2001:db8::/58", RuleSubnetSize, "", "2001:db8::/56",
			`netcalc: subnet "2001:db8::/58": an IPv6 subnet block is /44 to /64 in steps of 4 bits, such as 2001:db8::/56`},
		{"2001:db8:0:40::/58", RuleSubnetSize, "", "2001:db8::/56",
			`netcalc: subnet "2001:db8:0:40::/58": an IPv6 subnet block is /44 to /64 in steps of 4 bits, such as 2001:db8::/56`},
		{"2001:db8::/40", RuleSubnetSize, "", "2001:db8::/44",
			`netcalc: subnet "2001:db8::/40": an IPv6 subnet block is /44 to /64 in steps of 4 bits, such as 2001:db8::/44`},
		{"2001:db8:1::/64", RuleSubnetOutside, "2001:db8::/56", "2001:db8:0:1::/64",
			`netcalc: subnet "2001:db8:1::/64": not within the VPC's block 2001:db8::/56 (2001:db8:: to 2001:db8:0:ff:ffff:ffff:ffff:ffff); a free /64 is 2001:db8:0:1::/64`},
		{"2001:db8::/52", RuleSubnetOutside, "2001:db8::/56", "",
			`netcalc: subnet "2001:db8::/52": not within the VPC's block 2001:db8::/56 (2001:db8:: to 2001:db8:0:ff:ffff:ffff:ffff:ffff)`},
	}
	for _, tt := range tests {
		t.Run(tt.subnet, func(t *testing.T) {
			checkRule(t, ValidateSubnet(MustParse(tt.subnet), vpc, others), tt.rule, tt.conflict, tt.valid, tt.want)
		})
	}

	t.Run("no IPv6 block", func(t *testing.T) {
		err := ValidateSubnet(MustParse("2001:db8::/64"), vpc[:1], nil)
		checkRule(t, err, RuleSubnetOutside, "", "", `netcalc: subnet "2001:db8::/64": the VPC has no IPv6 block to hold it`)
	})
	t.Run("secondary block", func(t *testing.T) {
		two := []Block{MustParse("10.0.0.0/16"), MustParse("100.64.0.0/16")}
		checkRule(t, ValidateSubnet(MustParse("100.64.3.0/24"), two, others), 0, "", "", "")
	})
	t.Run("full VPC", func(t *testing.T) {
		small := []Block{MustParse("10.0.0.0/28")}
		err := ValidateSubnet(MustParse("10.0.0.0/28"), small, small)
		checkRule(t, err, RuleSubnetOverlap, "10.0.0.0/28", "", `netcalc: subnet "10.0.0.0/28": overlaps the subnet 10.0.0.0/28`)
	})
	if err := ValidateSubnet(Block{}, vpc, nil); err == nil || err.Error() != "netcalc: subnet block is the zero Block" {
		t.Errorf("ValidateSubnet(zero) = %v", err)
	}
}

func TestRuleString(t *testing.T) {
	for r, want := range map[Rule]string{RuleVPCSize: "vpc-size", RuleSubnetOverlap: "subnet-overlap", 0: "Rule(0)", 99: "Rule(99)"} {
		if r.String() != want {
			t.Errorf("Rule(%d).String() = %q; want %q", int(r), r.String(), want)
		}
	}
}

func TestReserved(t *testing.T) {
	tests := []struct {
		subnet string
		want   string
		usable string
	}{
		// The course notes: 10.0.0.0/24 has 251 usable AWS addresses.
		{"10.0.0.0/24", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.255", "251"},
		{"10.0.0.0/28", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.15", "11"},
		{"10.0.0.0/16", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 10.0.255.255", "65531"},
		{"10.0.0.0/29", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.7", "3"},
		{"10.0.0.0/30", "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3", "0"},
		{"10.0.0.0/31", "10.0.0.0 10.0.0.1", "0"},
		{"10.0.0.9/32", "10.0.0.9", "0"},
		{"2001:db8:1234:1a00::/64", "2001:db8:1234:1a00:: 2001:db8:1234:1a00::1 2001:db8:1234:1a00::2 2001:db8:1234:1a00::3 2001:db8:1234:1a00:ffff:ffff:ffff:ffff", "18446744073709551611"},
	}
	for _, tt := range tests {
		t.Run(tt.subnet, func(t *testing.T) {
			b := MustParse(tt.subnet)
			var got []string
			for _, r := range Reserved(b) {
				if !b.Contains(r.Addr) || r.Purpose == "" {
					t.Errorf("reserved %v (%q) is not in the block or has no purpose", r.Addr, r.Purpose)
				}
				got = append(got, r.Addr.String())
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("Reserved = %s; want %s", strings.Join(got, " "), tt.want)
			}
			if u := Usable(b).String(); u != tt.usable {
				t.Errorf("Usable = %s; want %s", u, tt.usable)
			}
		})
	}
	r := Reserved(MustParse("10.0.0.0/24"))
	if fmt.Sprint(r[1]) != "{10.0.0.1 VPC router}" || fmt.Sprint(r[2]) != "{10.0.0.2 Amazon DNS server}" {
		t.Errorf("purposes of 10.0.0.1 and .2: %v, %v", r[1], r[2])
	}
	if Reserved(Block{}) != nil || Usable(Block{}).Sign() != 0 {
		t.Error("the zero Block has reserved or usable addresses")
	}
}

func TestDefaultVPC(t *testing.T) {
	if DefaultVPC() != MustParse("172.31.0.0/16") || ValidateVPC(DefaultVPC()) != nil {
		t.Errorf("DefaultVPC = %v", DefaultVPC())
	}
	got, err := DefaultSubnets(6) // us-east-1 has six zones
	if want := "172.31.0.0/20 172.31.16.0/20 172.31.32.0/20 172.31.48.0/20 172.31.64.0/20 172.31.80.0/20"; err != nil || join(got) != want {
		t.Errorf("DefaultSubnets(6) = %s, %v; want %s", join(got), err, want)
	}
	// The default subnets are valid subnets of the default VPC.
	for i, s := range got {
		if err := ValidateSubnet(s, []Block{DefaultVPC()}, got[:i]); err != nil {
			t.Errorf("default subnet %v: %v", s, err)
		}
	}
	all, err := DefaultSubnets(16)
	if sub, _ := DefaultVPC().Subnets(20); err != nil || join(all) != join(sub) {
		t.Errorf("DefaultSubnets(16) = %v, %v; want the 16 /20s of the default VPC", all, err)
	}
	for _, n := range []int{0, 17} {
		if _, err := DefaultSubnets(n); err == nil || err.Error() != fmt.Sprintf("netcalc: default subnets for %d zones: the default VPC holds 1 to 16", n) {
			t.Errorf("DefaultSubnets(%d) error = %v", n, err)
		}
	}
}

func TestVPCRanges(t *testing.T) {
	ranges := VPCRanges()
	var forbidden []string
	for _, r := range ranges {
		if !r.Block.IsValid() || r.Name == "" || r.Rule == "" {
			t.Errorf("range %+v is incomplete", r)
		}
		if r.Forbidden {
			forbidden = append(forbidden, r.Block.String())
			if ValidateVPC(r.Block) == nil {
				t.Errorf("ValidateVPC accepts the forbidden range %v", r.Block)
			}
		}
	}
	if strings.Join(forbidden, " ") != "169.254.0.0/16" {
		t.Errorf("forbidden ranges = %v", forbidden)
	}
	ranges[0].Block = Block{}
	if !VPCRanges()[0].Block.IsValid() {
		t.Error("VPCRanges returns the package's own slice")
	}
	// The ranges a VPC may use are judged by IsPrivate as the notes teach.
	for _, s := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		if !MustParse(s).IsPrivate() {
			t.Errorf("%s is not private", s)
		}
	}
	if MustParse("100.64.0.0/10").IsPrivate() || !MustParse("fd12:3456::/48").IsPrivate() {
		t.Error("IsPrivate of 100.64.0.0/10 or fd12:3456::/48 is wrong")
	}
}
