package ec2sim

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// FuzzPrefixListEntries feeds a prefix list's entry checks any lines of CIDRs: they must never
// panic, and what they take is masked, of the list's family and each once. The seed corpus is
// in testdata/fuzz/FuzzPrefixListEntries.
func FuzzPrefixListEntries(f *testing.F) {
	f.Add("203.0.113.0/24\n198.51.100.7/24", false)
	f.Add("2001:db8::/32\n2001:db8::1/32", true)
	f.Add("::ffff:10.0.0.0/104", true)
	f.Add("10.0.0.0/8\n10.0.0.0/8", false)
	f.Add("not a block", false)
	f.Fuzz(func(t *testing.T, text string, ipv6 bool) {
		var in []types.AddPrefixListEntry
		for line := range strings.SplitSeq(text, "\n") {
			in = append(in, types.AddPrefixListEntry{Cidr: aws.String(line)})
		}
		es, err := parseEntries(in, ipv6)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range es {
			p, err := netip.ParsePrefix(e.CIDR)
			if err != nil || p != p.Masked() || p.Addr().Is6() != ipv6 || seen[e.CIDR] {
				t.Fatalf("took %q as %+v", text, es)
			}
			seen[e.CIDR] = true
		}
	})
}
