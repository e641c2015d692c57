package ec2sim

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// FuzzParseDHCP feeds CreateDhcpOptions' checks any configurations, given as lines
// "key=v1,v2": they must never panic, and what they take must come back the same through
// them again, each key once, in AWS's order. The seed corpus is in testdata/fuzz/FuzzParseDHCP.
func FuzzParseDHCP(f *testing.F) {
	f.Add("domain-name=corp.example\ndomain-name-servers=10.0.0.2,AmazonProvidedDNS")
	f.Add("netbios-node-type=2\nntp-servers=169.254.169.123,fd00:ec2::123")
	f.Add("ipv6-address-preferred-lease-time=140")
	f.Add("domain-name-servers=1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5")
	f.Add("unknown=x")
	f.Fuzz(func(t *testing.T, text string) {
		var in []types.NewDhcpConfiguration
		for line := range strings.SplitSeq(text, "\n") {
			k, v, _ := strings.Cut(line, "=")
			c := types.NewDhcpConfiguration{Key: aws.String(k)}
			if v != "" {
				c.Values = strings.Split(v, ",")
			}
			in = append(in, c)
		}
		out, err := parseDHCP(in)
		if err != nil {
			return
		}
		var again []types.NewDhcpConfiguration
		last := -1
		for _, c := range out {
			i := 0
			for i < len(dhcpKeys) && dhcpKeys[i].key != c.Key {
				i++
			}
			if i <= last {
				t.Fatalf("keys out of order or repeated: %+v", out)
			}
			last = i
			again = append(again, types.NewDhcpConfiguration{Key: aws.String(c.Key), Values: c.Values})
		}
		back, err := parseDHCP(again)
		if err != nil || !reflect.DeepEqual(back, out) {
			t.Fatalf("%+v came back as %+v, %v", out, back, err)
		}
	})
}
