package rdssim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// What RDS reads of the account's network, through EC2's own operations (see [EC2]); never
// under the store's lock.

// subnets resolves subnet IDs to their VPC and Availability Zone. A subnet EC2 does not know
// is InvalidSubnet, as are subnets of more than one VPC.
func (s *Store) subnets(ctx context.Context, ids []string) (vpc string, out []subnet, err error) {
	if len(ids) == 0 {
		// Quoted from AWS in terraform-aws-modules/terraform-aws-rds#326. (Without this check
		// DescribeSubnets would answer every subnet.)
		return "", nil, errorf(InvalidSubnet, "Subnet IDs are required.")
	}
	if s.ec2 == nil {
		return "", nil, errorf(InvalidSubnet, "Some input subnets in :%v are invalid.", ids)
	}
	res, err := s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{SubnetIds: ids})
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidSubnet") {
			return "", nil, errorf(InvalidSubnet, "Some input subnets in :[%s] are invalid.", strings.Join(ids, ", "))
		}
		return "", nil, ec2Failure(err)
	}
	for _, sn := range res.(*ec2.DescribeSubnetsOutput).Subnets {
		v := aws.ToString(sn.VpcId)
		if vpc != "" && v != vpc {
			return "", nil, errorf(InvalidSubnet, "The requested subnet %s is invalid, or multiple subnets were requested that are not all in a common VPC.", aws.ToString(sn.SubnetId))
		}
		vpc = v
		out = append(out, subnet{ID: aws.ToString(sn.SubnetId), AZ: aws.ToString(sn.AvailabilityZone)})
	}
	slices.SortFunc(out, func(a, b subnet) int { return strings.Compare(a.ID, b.ID) })
	return vpc, out, nil
}

// defaultSubnets returns the default VPC of the region and its subnets, for the "default"
// DB subnet group.
func (s *Store) defaultSubnets(ctx context.Context) (vpc string, out []subnet, err error) {
	noVPC := errorf(InvalidVPCNetworkStateFault, "The region has no default VPC: specify a DBSubnetGroupName.")
	if s.ec2 == nil {
		return "", nil, noVPC
	}
	res, err := s.ec2(ctx, "DescribeVpcs", &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil {
		return "", nil, ec2Failure(err)
	}
	vpcs := res.(*ec2.DescribeVpcsOutput).Vpcs
	if len(vpcs) == 0 {
		return "", nil, noVPC
	}
	vpc = aws.ToString(vpcs[0].VpcId)
	res, err = s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil {
		return "", nil, ec2Failure(err)
	}
	for _, sn := range res.(*ec2.DescribeSubnetsOutput).Subnets {
		out = append(out, subnet{ID: aws.ToString(sn.SubnetId), AZ: aws.ToString(sn.AvailabilityZone)})
	}
	slices.SortFunc(out, func(a, b subnet) int { return strings.Compare(a.ID, b.ID) })
	return vpc, out, nil
}

// securityGroups checks that the VPC security groups exist and are of vpc; none given means
// the VPC's default group.
func (s *Store) securityGroups(ctx context.Context, ids []string, vpc string) ([]string, error) {
	if s.ec2 == nil {
		return nil, errorf(InvalidParameterValue, "Invalid security group , groupId= %s, groupName=.", strings.Join(ids, ","))
	}
	in := &ec2.DescribeSecurityGroupsInput{GroupIds: ids}
	if len(ids) == 0 {
		in = &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "sg-") {
			return nil, errorf(InvalidParameterValue, "Invalid security group , groupId= %s, groupName=.", id)
		}
	}
	res, err := s.ec2(ctx, "DescribeSecurityGroups", in)
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidGroup") {
			// "Invalid security group , groupId= sg-…, groupName=." is RDS's answer for a group
			// EC2 does not have (quoted in terraform-provider-aws issues).
			return nil, errorf(InvalidParameterValue, "Invalid security group , groupId= %s, groupName=.", strings.Join(ids, ","))
		}
		return nil, ec2Failure(err)
	}
	var out []string
	for _, g := range res.(*ec2.DescribeSecurityGroupsOutput).SecurityGroups {
		if v := aws.ToString(g.VpcId); v != vpc {
			return nil, errorf(InvalidParameterCombination, "The DB instance and EC2 security group are in different VPCs. The DB instance is in %s and the EC2 security group is in %s", vpc, v)
		}
		out = append(out, aws.ToString(g.GroupId))
	}
	slices.Sort(out)
	return out, nil
}

// azs returns the Availability Zones of subnets, sorted and without repeats.
func azs(sns []subnet) []string {
	var out []string
	for _, sn := range sns {
		if !slices.Contains(out, sn.AZ) {
			out = append(out, sn.AZ)
		}
	}
	slices.Sort(out)
	return out
}

// coverAZs is the rule of DB subnet groups: subnets in at least two Availability Zones.
func coverAZs(sns []subnet) error {
	if z := azs(sns); len(z) < 2 {
		return errorf(DBSubnetGroupDoesNotCoverEnoughAZs, "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: %s. Add subnets to cover at least 2 AZs.", strings.Join(z, ", "))
	}
	return nil
}

// ec2Failure is RDS's answer when reading the network fails otherwise: its own failure, not
// EC2's code, which the caller did not ask about.
func ec2Failure(err error) error {
	e := core.Errorf(core.InternalFailure, "reading the network from EC2 failed: %v", err)
	e.Status = 500
	return e
}
