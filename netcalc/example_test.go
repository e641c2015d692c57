package netcalc_test

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/awsxlab/awsx/netcalc"
)

// The course notes' public subnet: its range, masks, size, the addresses AWS
// leaves for instances, and its bits.
func Example() {
	b, err := netcalc.Parse("10.0.0.0/24")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("range:   ", b.First(), "to", b.Last())
	fmt.Println("netmask: ", b.Netmask(), "wildcard", b.Wildcard())
	fmt.Println("addresses:", b.Size(), "usable in AWS:", netcalc.Usable(b))
	fmt.Println("private: ", b.IsPrivate())
	fmt.Println(b.Layout())
	fmt.Println(netcalc.Binary(b.First()))
	// Output:
	// range:    10.0.0.0 to 10.0.0.255
	// netmask:  255.255.255.0 wildcard 0.0.0.255
	// addresses: 256 usable in AWS: 251
	// private:  true
	// XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####
	// 0000 1010.0000 0000.0000 0000.0000 0000
}

func ExampleParse() {
	for _, s := range []string{"10.1.0.0/24", "10.0.0.1/24", "10.0.0.0/33", "2001:db8::/56"} {
		b, err := netcalc.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(b, b.Bits(), b.HostBits())
	}
	// Output:
	// 10.1.0.0/24 24 8
	// netcalc: parse "10.0.0.1/24": host bits are set; the network is 10.0.0.0/24
	// netcalc: parse "10.0.0.0/33": prefix length 33 is longer than 32 bits
	// 2001:db8::/56 56 72
}

func ExampleBlock_Overlaps() {
	public := netcalc.MustParse("10.0.0.0/24")
	private := netcalc.MustParse("10.1.0.0/24")
	vpc := netcalc.MustParse("10.0.0.0/16")
	fmt.Println(public.Overlaps(private), vpc.Covers(public), vpc.Covers(private))
	// Output: false true false
}

func ExampleBlock_Subnets() {
	vpc := netcalc.MustParse("10.0.0.0/16")
	subnets, err := vpc.Subnets(24)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(subnets), "subnets:", subnets[0], subnets[1], "…", subnets[255])
	// Output: 256 subnets: 10.0.0.0/24 10.0.1.0/24 … 10.0.255.0/24
}

// A VPC split for three Availability Zones, a public and a private subnet in
// each: six equal subnets, the biggest that fit.
func ExampleBlock_Split() {
	subnets, err := netcalc.MustParse("10.0.0.0/16").Split(6)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range subnets {
		fmt.Printf("zone %d %-7s %v\n", i/2+1, []string{"public", "private"}[i%2], s)
	}
	// Output:
	// zone 1 public  10.0.0.0/19
	// zone 1 private 10.0.32.0/19
	// zone 2 public  10.0.64.0/19
	// zone 2 private 10.0.96.0/19
	// zone 3 public  10.0.128.0/19
	// zone 3 private 10.0.160.0/19
}

func ExampleBlock_Exclude() {
	fmt.Println(netcalc.MustParse("10.0.0.0/24").Exclude(netcalc.MustParse("10.0.0.64/26")))
	// Output: [10.0.0.0/26 10.0.0.128/25]
}

func ExampleSummarize() {
	blocks, err := netcalc.Summarize(netip.MustParseAddr("10.0.0.0"), netip.MustParseAddr("10.0.2.255"))
	fmt.Println(blocks, err)
	// Output: [10.0.0.0/23 10.0.2.0/24] <nil>
}

func ExampleMerge() {
	fmt.Println(netcalc.Merge([]netcalc.Block{
		netcalc.MustParse("10.0.1.0/24"),
		netcalc.MustParse("10.0.0.0/24"),
		netcalc.MustParse("10.0.0.128/25"),
		netcalc.MustParse("10.0.3.0/24"),
	}))
	// Output: [10.0.0.0/23 10.0.3.0/24]
}

func ExampleNextFree() {
	vpc := netcalc.MustParse("10.0.0.0/16")
	used := []netcalc.Block{netcalc.MustParse("10.0.0.0/24"), netcalc.MustParse("10.0.1.0/25")}
	next, err := netcalc.NextFree(vpc, 24, used)
	fmt.Println(next, err)
	used = []netcalc.Block{netcalc.MustParse("10.0.0.64/26"), netcalc.MustParse("10.0.0.192/26")}
	_, err = netcalc.NextFree(netcalc.MustParse("10.0.0.0/24"), 25, used)
	fmt.Println(err)
	// Output:
	// 10.0.2.0/24 <nil>
	// netcalc: no free /25 in 10.0.0.0/24: the largest free block is 10.0.0.0/26; ask for /26 or longer
}

func ExampleDefaultSubnets() {
	subnets, err := netcalc.DefaultSubnets(3)
	fmt.Println(netcalc.DefaultVPC(), subnets, err)
	// Output: 172.31.0.0/16 [172.31.0.0/20 172.31.16.0/20 172.31.32.0/20] <nil>
}

func ExampleReserved() {
	for _, r := range netcalc.Reserved(netcalc.MustParse("10.0.0.0/24")) {
		fmt.Println(r.Addr, r.Purpose)
	}
	// Output:
	// 10.0.0.0 network address
	// 10.0.0.1 VPC router
	// 10.0.0.2 Amazon DNS server
	// 10.0.0.3 reserved by AWS for future use
	// 10.0.0.255 broadcast address (a VPC does not support broadcast)
}

func ExampleValidateVPC() {
	fmt.Println(netcalc.ValidateVPC(netcalc.MustParse("10.0.0.0/16")))
	fmt.Println(netcalc.ValidateVPC(netcalc.MustParse("10.0.0.0/8")))
	// Output:
	// <nil>
	// netcalc: VPC block "10.0.0.0/8": /8 is too big; an IPv4 VPC block is /16 (65,536 addresses) to /28 (16 addresses), such as 10.0.0.0/16
}

// The simulator tells the rules apart by RuleError.Rule, not by message.
func ExampleValidateSubnet() {
	vpc := []netcalc.Block{netcalc.MustParse("10.0.0.0/16")}
	subnets := []netcalc.Block{netcalc.MustParse("10.0.0.0/24")}
	err := netcalc.ValidateSubnet(netcalc.MustParse("10.0.0.0/24"), vpc, subnets)
	fmt.Println(err)
	var re *netcalc.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Rule, re.Conflict, re.Valid)
	}
	// Output:
	// netcalc: subnet "10.0.0.0/24": overlaps the subnet 10.0.0.0/24; a free /24 is 10.0.1.0/24
	// subnet-overlap 10.0.0.0/24 10.0.1.0/24
}
