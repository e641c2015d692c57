package efssim

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// What EFS reads of the account's network, through EC2's own operations (see [EC2]); never
// under the store's lock.

// subnetInfo is what a mount target needs of its subnet.
type subnetInfo struct {
	ID, VPC, AZ, AZID string
	CIDR              netip.Prefix
}

// subnet resolves a subnet ID. A subnet EC2 does not know is SubnetNotFound.
func (s *Store) subnet(ctx context.Context, id string) (subnetInfo, error) {
	notFound := errorf(SubnetNotFound, "The subnet ID '%s' does not exist", id)
	if s.ec2 == nil || !strings.HasPrefix(id, "subnet-") {
		return subnetInfo{}, notFound
	}
	res, err := s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidSubnet") {
			return subnetInfo{}, notFound
		}
		return subnetInfo{}, ec2Failure(err)
	}
	sns := res.(*ec2.DescribeSubnetsOutput).Subnets
	if len(sns) != 1 {
		return subnetInfo{}, notFound
	}
	sn := sns[0]
	p, err := netip.ParsePrefix(aws.ToString(sn.CidrBlock))
	if err != nil {
		return subnetInfo{}, ec2Failure(err)
	}
	return subnetInfo{ID: id, VPC: aws.ToString(sn.VpcId), AZ: aws.ToString(sn.AvailabilityZone),
		AZID: aws.ToString(sn.AvailabilityZoneId), CIDR: p.Masked()}, nil
}

// securityGroups checks that the groups exist and are of vpc; none given means the VPC's
// default group. At most five.
func (s *Store) securityGroups(ctx context.Context, ids []string, vpc string) ([]string, error) {
	if len(ids) > 5 {
		return nil, errorf(SecurityGroupLimitExceeded, "The number of security groups per mount target must not exceed 5, but %d were given.", len(ids))
	}
	missing := errorf(SecurityGroupNotFound, "One or more of the security groups %v do not exist in VPC %s.", ids, vpc)
	for _, id := range ids {
		if !strings.HasPrefix(id, "sg-") {
			return nil, missing
		}
	}
	if s.ec2 == nil {
		return nil, missing
	}
	in := &ec2.DescribeSecurityGroupsInput{GroupIds: ids}
	if len(ids) == 0 {
		in = &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}
	}
	res, err := s.ec2(ctx, "DescribeSecurityGroups", in)
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidGroup") {
			return nil, missing
		}
		return nil, ec2Failure(err)
	}
	var out []string
	for _, g := range res.(*ec2.DescribeSecurityGroupsOutput).SecurityGroups {
		if aws.ToString(g.VpcId) != vpc {
			return nil, missing
		}
		out = append(out, aws.ToString(g.GroupId))
	}
	if len(out) == 0 {
		return nil, missing
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// zone resolves an Availability Zone name of the region to its ID (use1-az2); ok is false
// for a name the region does not have.
func (s *Store) zone(ctx context.Context, name string) (id string, ok bool, err error) {
	if s.ec2 == nil {
		return "", false, nil
	}
	res, err := s.ec2(ctx, "DescribeAvailabilityZones", &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return "", false, ec2Failure(err)
	}
	for _, z := range res.(*ec2.DescribeAvailabilityZonesOutput).AvailabilityZones {
		if aws.ToString(z.ZoneName) == name {
			return aws.ToString(z.ZoneId), true, nil
		}
	}
	return "", false, nil
}

// instanceAddresses returns the private addresses of the instances in a subnet: a mount
// target's chosen address must not be one of them.
func (s *Store) instanceAddresses(ctx context.Context, subnet string) (map[netip.Addr]bool, error) {
	used := map[netip.Addr]bool{}
	if s.ec2 == nil {
		return used, nil
	}
	res, err := s.ec2(ctx, "DescribeInstances", &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: []string{subnet}}}})
	if err != nil {
		return nil, ec2Failure(err)
	}
	for _, r := range res.(*ec2.DescribeInstancesOutput).Reservations {
		for _, in := range r.Instances {
			if a, err := netip.ParseAddr(aws.ToString(in.PrivateIpAddress)); err == nil {
				used[a] = true
			}
		}
	}
	return used, nil
}

// instanceZone returns the Availability Zone of an instance of the request's region, for the
// mount check; ok is false for an instance EC2 does not know.
func (s *Store) instanceZone(ctx context.Context, id string) (az string, ok bool) {
	if s.ec2 == nil {
		return "", false
	}
	res, err := s.ec2(ctx, "DescribeInstances", &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		return "", false
	}
	for _, r := range res.(*ec2.DescribeInstancesOutput).Reservations {
		for _, in := range r.Instances {
			if in.Placement != nil {
				return aws.ToString(in.Placement.AvailabilityZone), true
			}
		}
	}
	return "", false
}

// ec2Failure is EFS's answer when reading the network fails otherwise: its own failure, not
// EC2's code, which the caller did not ask about.
func ec2Failure(err error) error {
	return errorf(InternalServerError, "reading the network from EC2 failed: %v", err)
}
