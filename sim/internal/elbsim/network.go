package elbsim

import (
	"context"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// What ELB reads of the account's network, through EC2's own operations (see [EC2]); never
// under the store's lock.

// subnets resolves subnet IDs to their VPC, zone and CIDR block. A subnet EC2 does not know
// is SubnetNotFound; subnets of two VPCs, or two in one zone, are InvalidConfigurationRequest.
func (s *Store) subnets(ctx context.Context, ids []string) (vpc string, out []subnet, err error) {
	for _, id := range ids {
		if !strings.HasPrefix(id, "subnet-") {
			return "", nil, errorf(SubnetNotFound, "The subnet ID '%s' is not valid", id)
		}
	}
	if s.ec2 == nil {
		return "", nil, errorf(SubnetNotFound, "The subnet ID '%s' is not valid", ids[0])
	}
	res, err := s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{SubnetIds: ids})
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidSubnet") {
			return "", nil, errorf(SubnetNotFound, "One or more subnets not found")
		}
		return "", nil, ec2Failure(err)
	}
	for _, sn := range res.(*ec2.DescribeSubnetsOutput).Subnets {
		v := aws.ToString(sn.VpcId)
		if vpc != "" && v != vpc {
			return "", nil, errorf(InvalidConfigurationRequest, "The following subnets are not in the same VPC: '%s'", strings.Join(ids, "', '"))
		}
		vpc = v
		out = append(out, subnet{ID: aws.ToString(sn.SubnetId), AZ: aws.ToString(sn.AvailabilityZone), CIDR: aws.ToString(sn.CidrBlock)})
	}
	slices.SortFunc(out, func(a, b subnet) int { return strings.Compare(a.AZ+a.ID, b.AZ+b.ID) })
	for i := 1; i < len(out); i++ {
		if out[i].AZ == out[i-1].AZ {
			// AWS's words (quoted in terraform-provider-aws issues).
			return "", nil, errorf(InvalidConfigurationRequest, "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		}
	}
	return vpc, out, nil
}

// vpcSubnets returns the subnets of a VPC.
func (s *Store) vpcSubnets(ctx context.Context, vpc string) ([]subnet, error) {
	if s.ec2 == nil {
		return nil, nil
	}
	res, err := s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil {
		return nil, ec2Failure(err)
	}
	var out []subnet
	for _, sn := range res.(*ec2.DescribeSubnetsOutput).Subnets {
		out = append(out, subnet{ID: aws.ToString(sn.SubnetId), AZ: aws.ToString(sn.AvailabilityZone), CIDR: aws.ToString(sn.CidrBlock)})
	}
	return out, nil
}

// nodePublicAddress is the public address of an internet-facing load balancer's node in a
// subnet, as the network sees it: an address of 3.208.0.0/12, a block of Amazon's, the same
// for the same load balancer and subnet. (AWS lists no node addresses; clients reach the
// nodes through the DNS name.)
func nodePublicAddress(lbName, subnet string) netip.Addr {
	h := fnv.New32a()
	h.Write([]byte(lbName + "/" + subnet))
	v := 3<<24 | 208<<16 | h.Sum32()&(1<<20-1)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// nodeAddress is the private address of a load balancer's node in a subnet: one of the
// subnet's addresses after the four AWS keeps, the same for the same load balancer.
func nodeAddress(cidr, lbName string) string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	size := uint32(1) << (32 - p.Bits())
	if size < 16 {
		return ""
	}
	h := fnv.New32a()
	h.Write([]byte(lbName))
	off := 4 + h.Sum32()%(size-5)
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += off
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

// securityGroups checks that the security groups exist and are of vpc; none given means the
// VPC's default group.
func (s *Store) securityGroups(ctx context.Context, ids []string, vpc string) ([]string, error) {
	for _, id := range ids {
		if !strings.HasPrefix(id, "sg-") {
			return nil, errorf(InvalidSecurityGroup, "Invalid security group '%s'", id)
		}
	}
	if s.ec2 == nil {
		return nil, errorf(InvalidSecurityGroup, "One or more security groups are invalid")
	}
	in := &ec2.DescribeSecurityGroupsInput{GroupIds: ids}
	if len(ids) == 0 {
		in = &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}
	}
	res, err := s.ec2(ctx, "DescribeSecurityGroups", in)
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidGroup") {
			return nil, errorf(InvalidSecurityGroup, "One or more security groups are invalid")
		}
		return nil, ec2Failure(err)
	}
	var out []string
	for _, g := range res.(*ec2.DescribeSecurityGroupsOutput).SecurityGroups {
		if v := aws.ToString(g.VpcId); v != vpc {
			return nil, errorf(InvalidSecurityGroup, "Security group '%s' does not belong to VPC '%s'", aws.ToString(g.GroupId), vpc)
		}
		out = append(out, aws.ToString(g.GroupId))
	}
	slices.Sort(out)
	return out, nil
}

// vpcCIDRs returns the CIDR blocks of a VPC; ok is false when EC2 does not know it.
func (s *Store) vpcCIDRs(ctx context.Context, vpc string) (cidrs []string, ok bool, err error) {
	if s.ec2 == nil || !strings.HasPrefix(vpc, "vpc-") {
		return nil, false, nil
	}
	res, err := s.ec2(ctx, "DescribeVpcs", &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	if err != nil {
		if strings.HasPrefix(string(core.AsError(err).Code), "InvalidVpc") {
			return nil, false, nil
		}
		return nil, false, ec2Failure(err)
	}
	for _, v := range res.(*ec2.DescribeVpcsOutput).Vpcs {
		cidrs = append(cidrs, aws.ToString(v.CidrBlock))
		for _, a := range v.CidrBlockAssociationSet {
			if c := aws.ToString(a.CidrBlock); !slices.Contains(cidrs, c) {
				cidrs = append(cidrs, c)
			}
		}
	}
	return cidrs, len(res.(*ec2.DescribeVpcsOutput).Vpcs) > 0, nil
}

// instance is what ELB reads of an EC2 instance.
type instance struct {
	ID, State, VPC, Subnet, AZ, PrivateIP string
	Launched                              time.Time // its last start
}

// instances reads the instances with the given IDs; the ones EC2 does not know are absent.
// With none given it reads every instance of the region (for IP targets).
func (s *Store) instances(ctx context.Context, ids []string) (map[string]instance, error) {
	out := map[string]instance{}
	if s.ec2 == nil {
		return out, nil
	}
	var in ec2.DescribeInstancesInput
	if len(ids) > 0 {
		in.Filters = []ec2types.Filter{{Name: aws.String("instance-id"), Values: ids}}
	}
	res, err := s.ec2(ctx, "DescribeInstances", &in)
	if err != nil {
		return nil, ec2Failure(err)
	}
	for _, r := range res.(*ec2.DescribeInstancesOutput).Reservations {
		for _, i := range r.Instances {
			v := instance{ID: aws.ToString(i.InstanceId), VPC: aws.ToString(i.VpcId), Subnet: aws.ToString(i.SubnetId),
				PrivateIP: aws.ToString(i.PrivateIpAddress), Launched: aws.ToTime(i.LaunchTime)}
			if i.State != nil {
				v.State = string(i.State.Name)
			}
			if i.Placement != nil {
				v.AZ = aws.ToString(i.Placement.AvailabilityZone)
			}
			out[v.ID] = v
		}
	}
	return out, nil
}

// ec2Failure is ELB's answer when reading the network fails otherwise: its own failure, not
// EC2's code, which the caller did not ask about.
func ec2Failure(err error) error {
	e := core.Errorf(core.InternalFailure, "reading the network from EC2 failed: %v", err)
	e.Status = 500
	return e
}
