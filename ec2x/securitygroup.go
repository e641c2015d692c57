package ec2x

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A Rule lets traffic into a security group: TCP (or Protocol: "udp", "icmp", "-1" for all)
// to Port (or the range Port–ToPort) from a CIDR range ("203.0.113.7/32", "0.0.0.0/0") or
// from the members of another group (Group: "sg-…").
type Rule struct {
	Protocol string // "tcp" by default
	Port     int32
	ToPort   int32 // Port by default
	CIDR     string
	Group    string
}

// SSHFrom lets SSH (tcp/22) in from cidr: the course's rule for an instance you log in to,
// with your own address as cidr ("203.0.113.7/32") rather than the whole internet.
func SSHFrom(cidr string) Rule { return Rule{Port: 22, CIDR: cidr} }

// HTTPFrom lets HTTP (tcp/80) in from cidr.
func HTTPFrom(cidr string) Rule { return Rule{Port: 80, CIDR: cidr} }

func (r Rule) permission() (types.IpPermission, error) {
	proto := r.Protocol
	if proto == "" {
		proto = "tcp"
	}
	to := r.ToPort
	if to == 0 {
		to = r.Port
	}
	p := types.IpPermission{IpProtocol: aws.String(proto), FromPort: aws.Int32(r.Port), ToPort: aws.Int32(to)}
	switch {
	case (r.CIDR == "") == (r.Group == ""):
		return p, fmt.Errorf("a rule names a CIDR range or a group, one of them: %+v", r)
	case strings.Contains(r.CIDR, ":"): // an IPv6 range ("2001:db8::7/128") is a rule of its own kind
		p.Ipv6Ranges = []types.Ipv6Range{{CidrIpv6: aws.String(r.CIDR)}}
	case r.CIDR != "":
		p.IpRanges = []types.IpRange{{CidrIp: aws.String(r.CIDR)}}
	default:
		p.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: aws.String(r.Group)}}
	}
	return p, nil
}

// SecurityGroup makes the security group name in the VPC vpcID (the default VPC when "")
// with the rules, tagged Name=name, and returns its ID. It is safe to run again: a group of
// that name already in the VPC is kept, and only the rules it lacks are added. A group this
// call made is deleted again when a rule is refused, so that a failure leaves nothing.
func SecurityGroup(ctx context.Context, cfg aws.Config, vpcID, name, description string, rules ...Rule) (string, error) {
	id, err := securityGroup(ctx, ec2.NewFromConfig(cfg), vpcID, name, description, rules)
	if err != nil {
		return "", fmt.Errorf("ec2x: security group %q: %w", name, err)
	}
	return id, nil
}

func securityGroup(ctx context.Context, client *ec2.Client, vpcID, name, description string, rules []Rule) (string, error) {
	perms := make([]types.IpPermission, len(rules))
	for i, r := range rules {
		var err error
		if perms[i], err = r.permission(); err != nil {
			return "", err
		}
	}
	if vpcID == "" {
		out, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
		if err != nil {
			return "", err
		}
		if len(out.Vpcs) == 0 {
			return "", errors.New("the region has no default VPC: name one")
		}
		vpcID = aws.ToString(out.Vpcs[0].VpcId)
	}
	existing, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}}, {Name: aws.String("group-name"), Values: []string{name}},
	}})
	if err != nil {
		return "", err
	}
	made := len(existing.SecurityGroups) == 0
	var id string
	if made {
		out, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: aws.String(name), Description: aws.String(description), VpcId: aws.String(vpcID),
			TagSpecifications: nameTag(types.ResourceTypeSecurityGroup, name),
		})
		if err != nil {
			return "", err
		}
		id = aws.ToString(out.GroupId)
	} else {
		id = aws.ToString(existing.SecurityGroups[0].GroupId)
	}
	for _, p := range perms {
		_, err := client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{p}})
		if err == nil || code(err) == "InvalidPermission.Duplicate" {
			continue
		}
		if made {
			// Undo on a context of its own: the caller's may be what failed.
			uctx, cancel := undoContext(ctx)
			defer cancel()
			if _, derr := client.DeleteSecurityGroup(uctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}); derr != nil {
				return "", fmt.Errorf("%w; deleting %s, which this call made, failed too: %w", err, id, derr)
			}
			return "", fmt.Errorf("%w (%s, which this call made, was deleted)", err, id)
		}
		return "", err
	}
	return id, nil
}

// nameTag tags a resource being made Name=name.
func nameTag(kind types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: kind, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}
