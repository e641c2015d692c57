package ec2sim

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// defaultGroupName is the name of every VPC's default security group.
const defaultGroupName = "default"

type securityGroup struct {
	meta
	Name        string
	Description string
	VPC         string
	Rules       []*sgRule // ingress and egress, in the order they were authorized
}

// newGroup makes a security group with the rule AWS gives every new group: all traffic out
// to 0.0.0.0/0.
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
func (s *Store) newGroup(r *regionState, v *vpc, name, description string, t tags) *securityGroup {
	g := &securityGroup{meta: r.newMeta(s.id("sg"), t), Name: name, Description: description, VPC: v.ID}
	g.Rules = []*sgRule{{meta: r.newMeta(s.id("sgr"), nil), Egress: true, Protocol: "-1", From: -1, To: -1, Peer: peer{CIDR: "0.0.0.0/0"}}}
	r.Groups[g.ID] = g
	r.groupsByName[groupName{g.VPC, g.Name}] = g
	return g
}

// groupIndex looks the region's security groups up by VPC and name, beside Groups (by ID), so
// that making a group, launching with a VPC's default group and naming a group do not scan
// the others. It is derived from Groups and not saved: newRegionState makes it empty,
// UnmarshalJSON rebuilds it, and newGroup and removeGroup keep it. The region's lock guards
// it.
type groupIndex struct {
	groupsByName map[groupName]*securityGroup
}

type groupName struct{ vpc, name string }

// reindexGroups rebuilds the index from Groups, for a loaded state.
func (r *regionState) reindexGroups() {
	for _, g := range r.Groups {
		r.groupsByName[groupName{g.VPC, g.Name}] = g
	}
}

func (r *regionState) removeGroup(g *securityGroup) {
	delete(r.Groups, g.ID)
	delete(r.groupsByName, groupName{g.VPC, g.Name})
}

// newDefaultGroup makes a VPC's default security group, which also lets in all traffic from
// the instances that use it.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
func (s *Store) newDefaultGroup(r *regionState, v *vpc) *securityGroup {
	g := s.newGroup(r, v, defaultGroupName, "default VPC security group", nil)
	self := &sgRule{meta: r.newMeta(s.id("sgr"), nil), Protocol: "-1", From: -1, To: -1, Peer: peer{Group: g.ID, GroupOwner: s.account}}
	g.Rules = append([]*sgRule{self}, g.Rules...)
	return g
}

// groupNamed returns the group of the VPC called name, or nil.
func (r *regionState) groupNamed(vpcID, name string) *securityGroup {
	return r.groupsByName[groupName{vpcID, name}]
}

// groupFor resolves the group a request names by ID, or by name in the default VPC, which is
// where EC2 looks names up.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html
func (r *regionState) groupFor(id, name *string) (*securityGroup, error) {
	switch {
	case id != nil:
		return find(groupKind, r.Groups, *id)
	case name != nil:
		return r.groupInDefaultVPC(*name)
	}
	return nil, missingParameter("groupId")
}

func (r *regionState) groupInDefaultVPC(name string) (*securityGroup, error) {
	v := r.defaultVPC()
	if v == nil {
		return nil, noDefaultVPC()
	}
	g := r.groupNamed(v.ID, name)
	if g == nil {
		return nil, core.Errorf(InvalidGroupNotFound, "The security group '%s' does not exist in default VPC '%s'", name, v.ID)
	}
	return g, nil
}

func (s *Store) groupOut(r *regionState, g *securityGroup) types.SecurityGroup {
	return types.SecurityGroup{
		GroupId: aws.String(g.ID), GroupName: aws.String(g.Name), Description: aws.String(g.Description),
		VpcId: aws.String(g.VPC), OwnerId: aws.String(s.account),
		SecurityGroupArn: aws.String(s.arn(r.Name, "security-group/"+g.ID)),
		IpPermissions:    s.permissionsOut(g, false), IpPermissionsEgress: s.permissionsOut(g, true),
		Tags: g.Tags.out(),
	}
}

// groupNameChars are the characters a VPC security group's name and description may have.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
const groupNameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*"

func checkGroupText(param, v string) error {
	switch {
	case v == "":
		return missingParameter(param)
	case len(v) > 255:
		return invalidValue(param, v, "Length exceeds maximum of 255 characters.")
	case strings.Trim(v, groupNameChars) != "":
		return invalidValue(param, v, "Valid characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*")
	}
	return nil
}

// CreateSecurityGroup makes a group in the VPC given, or in the default VPC. Names are unique
// within a VPC and may not look like group IDs.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
func (h *EC2) CreateSecurityGroup(ctx context.Context, in *ec2.CreateSecurityGroupInput) (*ec2.CreateSecurityGroupOutput, error) {
	name, desc := aws.ToString(in.GroupName), aws.ToString(in.Description)
	if err := checkGroupText("GroupName", name); err != nil {
		return nil, err
	}
	if err := checkGroupText("GroupDescription", desc); err != nil {
		return nil, err
	}
	if strings.HasPrefix(strings.ToLower(name), "sg-") {
		return nil, invalidValue("GroupName", name, "Group names may not be in the format sg-*.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeSecurityGroup)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateSecurityGroupOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		v := r.defaultVPC()
		if in.VpcId != nil {
			var err error
			if v, err = find(vpcKind, r.VPCs, *in.VpcId); err != nil {
				return err
			}
		} else if v == nil {
			return noDefaultVPC()
		}
		if r.groupNamed(v.ID, name) != nil {
			return core.Errorf(InvalidGroupDuplicate, "The security group '%s' already exists for VPC '%s'", name, v.ID)
		}
		g := s.newGroup(r, v, name, desc, t)
		out.GroupId = aws.String(g.ID)
		out.SecurityGroupArn = aws.String(s.arn(r.Name, "security-group/"+g.ID))
		out.Tags = g.Tags.out()
		return nil
	})
}

// DeleteSecurityGroup refuses a default group, and a group that an instance uses or another
// group's rule refers to.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
func (h *EC2) DeleteSecurityGroup(ctx context.Context, in *ec2.DeleteSecurityGroupInput) (*ec2.DeleteSecurityGroupOutput, error) {
	out := &ec2.DeleteSecurityGroupOutput{Return: aws.Bool(true)}
	return out, h.s.write(ctx, func(r *regionState) error {
		g, err := r.groupFor(in.GroupId, in.GroupName)
		if err != nil {
			return err
		}
		if g.Name == defaultGroupName {
			return core.Errorf(CannotDelete, "the specified group: \"%s\" name: \"%s\" cannot be deleted by a user", g.ID, g.Name)
		}
		if r.groupInUse(g) {
			return core.Errorf(DependencyViolation, "resource %s has a dependent object", g.ID)
		}
		r.removeGroup(g)
		out.GroupId = aws.String(g.ID)
		return nil
	})
}

// groupInUse reports whether an instance uses g or another group's rule refers to it.
func (r *regionState) groupInUse(g *securityGroup) bool {
	for _, i := range r.Instances {
		if i.State != stateTerminated && contains(i.Groups, g.ID) {
			return true
		}
	}
	for _, n := range r.interfaces() {
		if contains(n.Groups, g.ID) {
			return true
		}
	}
	for _, other := range r.Groups {
		if other == g {
			continue
		}
		for _, rl := range other.Rules {
			if rl.Peer.Group == g.ID {
				return true
			}
		}
	}
	return false
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// securityGroupFields are DescribeSecurityGroups' filters; the ip-permission.* and
// egress.ip-permission.* ones are added by init from permissionFields.
var securityGroupFields = fields[types.SecurityGroup]{
	"group-id":    func(g types.SecurityGroup) []string { return one(*g.GroupId) },
	"group-name":  func(g types.SecurityGroup) []string { return one(*g.GroupName) },
	"description": func(g types.SecurityGroup) []string { return one(*g.Description) },
	"vpc-id":      func(g types.SecurityGroup) []string { return one(*g.VpcId) },
	"owner-id":    func(g types.SecurityGroup) []string { return one(*g.OwnerId) },
}

// permissionFields give the values of a group's permissions for the ip-permission.* filters.
var permissionFields = map[string]func(types.IpPermission) []string{
	"protocol":  func(p types.IpPermission) []string { return one(*p.IpProtocol) },
	"from-port": func(p types.IpPermission) []string { return portValue(p.FromPort) },
	"to-port":   func(p types.IpPermission) []string { return portValue(p.ToPort) },
	"cidr": func(p types.IpPermission) []string {
		return collect(p.IpRanges, func(r types.IpRange) *string { return r.CidrIp })
	},
	"ipv6-cidr": func(p types.IpPermission) []string {
		return collect(p.Ipv6Ranges, func(r types.Ipv6Range) *string { return r.CidrIpv6 })
	},
	"prefix-list-id": func(p types.IpPermission) []string {
		return collect(p.PrefixListIds, func(r types.PrefixListId) *string { return r.PrefixListId })
	},
	"group-id": func(p types.IpPermission) []string {
		return collect(p.UserIdGroupPairs, func(r types.UserIdGroupPair) *string { return r.GroupId })
	},
	"group-name": func(p types.IpPermission) []string {
		return collect(p.UserIdGroupPairs, func(r types.UserIdGroupPair) *string { return r.GroupName })
	},
	"user-id": func(p types.IpPermission) []string {
		return collect(p.UserIdGroupPairs, func(r types.UserIdGroupPair) *string { return r.UserId })
	},
}

func init() {
	for name, get := range permissionFields {
		securityGroupFields["ip-permission."+name] = func(g types.SecurityGroup) []string { return flatMap(g.IpPermissions, get) }
		securityGroupFields["egress.ip-permission."+name] = func(g types.SecurityGroup) []string { return flatMap(g.IpPermissionsEgress, get) }
	}
}

func portValue(p *int32) []string {
	if p == nil {
		return nil
	}
	return []string{itoa(*p)}
}

func collect[T any](items []T, get func(T) *string) []string {
	var out []string
	for _, it := range items {
		if v := get(it); v != nil {
			out = append(out, *v)
		}
	}
	return out
}

func flatMap[T any](items []T, get func(T) []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, get(it)...)
	}
	return out
}

// DescribeSecurityGroups lists groups by ID, by name (in the default VPC), or by filter.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html
func (h *EC2) DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput) (*ec2.DescribeSecurityGroupsOutput, error) {
	s := h.s
	out := &ec2.DescribeSecurityGroupsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		gs, err := pick(groupKind, r.Groups, in.GroupIds)
		if err != nil {
			return err
		}
		if len(in.GroupNames) > 0 {
			var named []*securityGroup
			for _, name := range in.GroupNames {
				g, err := r.groupInDefaultVPC(name)
				if err != nil {
					return err
				}
				if len(in.GroupIds) == 0 || contains(in.GroupIds, g.ID) {
					named = append(named, g)
				}
			}
			gs = named
		}
		all := make([]types.SecurityGroup, len(gs))
		for i, g := range gs {
			all[i] = s.groupOut(r, g)
		}
		out.SecurityGroups, out.NextToken, err = describe(all, in.Filters, securityGroupFields,
			func(g types.SecurityGroup) []types.Tag { return g.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}
