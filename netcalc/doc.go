// Package netcalc is CIDR and subnet math for AWS networking, on
// [net/netip]: the calculator a learner uses to see why a /24 holds 256
// addresses, and the checks the simulator and vpcx use to validate and plan
// VPCs and subnets. It uses only the standard library.
//
// # Blocks
//
// A [Block] is a CIDR block such as 10.0.0.0/24: a [netip.Prefix] whose host
// bits are zero. [Parse] is strict about that, so a typo such as
// 10.0.0.1/24 is an error naming 10.0.0.0/24 rather than a silent guess;
// [ParseMasked] clears host bits as the EC2 API does. IPv4 and IPv6 work
// alike throughout. A Block answers what a planner asks of one:
// [Block.First] and [Block.Last] (the range), [Block.Netmask] and
// [Block.Wildcard], [Block.Size] (a [math/big.Int], as an IPv6 /0 holds
// 2^128 addresses), [Block.Contains] an address, [Block.Covers] or
// [Block.Overlaps] another block, [Block.IsPrivate] (RFC 1918, or unique
// local for IPv6), and [Block.Supernet].
//
// # Bit layout
//
// The course notes draw 10.0.0.0/24 as network bits X and host bits #, over
// the address in binary; [Block.Layout] and [Binary] write those two lines:
//
//	XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####
//	0000 1010.0000 0000.0000 0000.0000 0000
//
// 24 network bits leave 8 host bits, so the block holds 2^8 = 256 addresses,
// 10.0.0.0 to 10.0.0.255.
//
// # Planning
//
// [Block.Subnets] cuts a block into all its subnets of one size (a /16 VPC
// into 256 /24s); [Block.Split] cuts it into n equal parts (one per
// Availability Zone); [NextFree] finds the first block of a size that no
// used block overlaps; [Block.Exclude] takes one block out of another;
// [Summarize] turns an address range into the fewest blocks and [Merge]
// does the same for a list of blocks.
//
// # AWS rules
//
// Each rule cites the AWS documentation page it comes from.
// [ValidateVPC] checks a new VPC's block (IPv4, /16 to /28, not a range no
// VPC may use); [ValidateVPCBlock] checks a block added to a VPC, with the
// association restrictions; [ValidateSubnet] checks a subnet (size, inside
// the VPC, overlapping no other subnet). Their errors are [*RuleError]
// values: the message says what is wrong and what would be valid, and the
// fields carry the broken [Rule], the conflicting block and a valid
// alternative. [Reserved] lists the five addresses AWS keeps in every subnet
// and [Usable] counts the rest; [VPCRanges] lists the ranges the rules name;
// [DefaultVPC] and [DefaultSubnets] give the blocks of a Region's default
// VPC.
//
// # Errors
//
// Every error starts with "netcalc:" and quotes the input, as in
//
//	netcalc: parse "10.0.0.0/33": prefix length 33 is longer than 32 bits
//
// No input makes a function panic, except [MustParse], which is meant for
// constants.
//
// # Concurrency
//
// Every type here is an immutable value and every function is pure, so all
// of the package is safe for concurrent use.
package netcalc
