package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// DBEndpoint returns the network endpoint of an RDS DB instance, named by its identifier or
// its endpoint's DNS name, for [Cloud.Reach]: the subnet of its DB subnet group in its
// Availability Zone, its VPC security groups, and an address in that subnet — where RDS's
// network interface would be, the same for the same instance (RDS lists no address; the
// DNS name resolves to it). A publicly accessible instance has a public address too. A DB
// instance still being created has no endpoint yet.
func (c *Cloud) DBEndpoint(region, name string) (Endpoint, error) {
	if region == "" {
		region = DefaultRegion
	}
	if err := c.needs(c.dbs); err != nil {
		return Endpoint{}, err
	}
	db, ok := c.dbs.NetworkEndpoint(region, name)
	switch {
	case !ok:
		return Endpoint{}, fmt.Errorf("no DB instance of %s is called %s or has it as its endpoint", region, name)
	case db.Status == "creating":
		return Endpoint{}, fmt.Errorf("DB instance %s is creating: it has no endpoint yet", db.ID)
	case db.Subnet == "":
		return Endpoint{}, fmt.Errorf("DB instance %s has no subnet in its zone", db.ID)
	}
	ctx := core.WithRegion(core.WithCaller(context.Background(), c.rootCaller()), region)
	out, err := c.call(ctx, "ec2", "DescribeSubnets", &ec2.DescribeSubnetsInput{SubnetIds: []string{db.Subnet}})
	if err != nil {
		return Endpoint{}, fmt.Errorf("DB instance %s: its subnet %s: %v", db.ID, db.Subnet, err)
	}
	subnets := out.(*ec2.DescribeSubnetsOutput).Subnets
	if len(subnets) == 0 {
		return Endpoint{}, fmt.Errorf("DB instance %s: its subnet %s does not exist", db.ID, db.Subnet)
	}
	cidr, err := netip.ParsePrefix(aws.ToString(subnets[0].CidrBlock))
	if err != nil {
		return Endpoint{}, fmt.Errorf("DB instance %s: its subnet %s has no IPv4 block", db.ID, db.Subnet)
	}
	e := Endpoint{Region: region, Subnet: db.Subnet, SecurityGroups: db.SecurityGroups, Address: dbAddress(cidr, db.ID)}
	if db.Public {
		e.PublicAddress = dbPublicAddress(region, db.ID)
	}
	e.Name = fmt.Sprintf("DB instance %s (%s, %v)", db.ID, db.Host, e.Address)
	return e, nil
}

// dbAddress is a DB instance's private address in its subnet: one of the upper half of the
// subnet's addresses, the same for the same identifier, away from the addresses EC2 hands
// instances from the bottom up.
func dbAddress(p netip.Prefix, id string) netip.Addr {
	if !p.Addr().Is4() || p.Bits() > 28 {
		return p.Masked().Addr().Next().Next().Next().Next()
	}
	size := uint32(1) << (32 - p.Bits())
	h := fnv.New32a()
	h.Write([]byte(id))
	off := size/2 + h.Sum32()%(size/2-1)
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) + off
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// dbPublicAddress is a publicly accessible DB instance's public address: one of 52.0.0.0/11,
// a block of Amazon's, the same for the same instance.
func dbPublicAddress(region, id string) netip.Addr {
	h := fnv.New32a()
	h.Write([]byte(region + "/" + id))
	v := 52<<24 | h.Sum32()&(1<<21-1)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
