package ec2sim

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// sgRule is one security group rule: one protocol and port range, one peer. An IpPermission
// with several peers is several rules, each with its own sgr- ID, as EC2 stores them.
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
type sgRule struct {
	meta
	Egress      bool
	Protocol    string // tcp, udp, icmp, icmpv6, -1 for all, or another protocol's number
	From, To    int32  // the port range, or ICMP type and code; -1 when the protocol has none
	Peer        peer
	Description string
}

// peer is the other end of a rule: exactly one field is set (GroupOwner goes with Group).
type peer struct {
	CIDR, CIDRv6, PrefixList, Group, GroupOwner string
}

// same reports whether two rules allow the same traffic, whatever their descriptions.
func (rl *sgRule) same(o *sgRule) bool {
	return rl.Egress == o.Egress && rl.Protocol == o.Protocol && rl.From == o.From && rl.To == o.To &&
		rl.Peer.CIDR == o.Peer.CIDR && rl.Peer.CIDRv6 == o.Peer.CIDRv6 && rl.Peer.PrefixList == o.Peer.PrefixList && rl.Peer.Group == o.Peer.Group
}

// String describes the rule as EC2's InvalidPermission.Duplicate message does.
func (rl *sgRule) String() string {
	p := rl.Peer.CIDR + rl.Peer.CIDRv6 + rl.Peer.PrefixList + rl.Peer.Group
	proto := strings.ToUpper(rl.Protocol)
	if proto == "-1" {
		proto = "ALL"
	}
	ports := ""
	if hasPorts(rl.Protocol) {
		ports = fmt.Sprintf(", from port: %d, to port: %d", rl.From, rl.To)
	}
	return fmt.Sprintf("peer: %s, %s%s, ALLOW", p, proto, ports)
}

// protocolNames are the protocols EC2 names; a rule given by number is stored by name.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
var protocolNames = map[string]string{
	"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp",
	"icmp": "icmp", "1": "icmp", "icmpv6": "icmpv6", "58": "icmpv6", "-1": "-1",
}

func protocol(p *string) (string, error) {
	if p == nil {
		return "", missingParameter("ipProtocol")
	}
	l := strings.ToLower(*p)
	if n, ok := protocolNames[l]; ok {
		return n, nil
	}
	if n, err := strconv.Atoi(l); err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == l {
		return l, nil
	}
	return "", core.Errorf(InvalidParameterValue, "Invalid value '%s' for IP protocol. Unknown protocol.", *p)
}

// hasPorts reports whether rules of the protocol have a port range (ICMP: a type and code).
func hasPorts(proto string) bool {
	return proto == "tcp" || proto == "udp" || proto == "icmp" || proto == "icmpv6"
}

// ports checks a permission's port range for its protocol. TCP and UDP need both ends, 0 to
// 65535; ICMP takes a type and a code, -1 meaning all; other protocols have no ports.
func ports(proto string, from, to *int32) (int32, int32, error) {
	switch proto {
	case "tcp", "udp":
		if from == nil || to == nil {
			return 0, 0, core.Errorf(InvalidParameterValue, "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.")
		}
		for _, p := range []int32{*from, *to} {
			if p < 0 || p > 65535 {
				return 0, 0, core.Errorf(InvalidPermissionMalformed, "TCP/UDP port (%d) out of range", p)
			}
		}
		if *from > *to {
			return 0, 0, core.Errorf(InvalidParameterValue, "Invalid TCP/UDP port range: from port %d is greater than to port %d", *from, *to)
		}
		return *from, *to, nil
	case "icmp", "icmpv6":
		typ, code := aws.ToInt32(from), aws.ToInt32(to)
		if from == nil {
			typ = -1
		}
		if to == nil {
			code = -1
		}
		if typ < -1 || typ > 255 {
			return 0, 0, core.Errorf(InvalidPermissionMalformed, "ICMP type (%d) out of range", typ)
		}
		if code < -1 || code > 255 {
			return 0, 0, core.Errorf(InvalidPermissionMalformed, "ICMP code (%d) out of range", code)
		}
		return typ, code, nil
	}
	return -1, -1, nil
}

// ruleCIDR checks a rule's IPv4 (or IPv6) block.
func ruleCIDR(s string, v6 bool) (string, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Addr().Is4() == v6 || p.Addr().Zone() != "" {
		return "", core.Errorf(InvalidParameterValue, "CIDR block %s is malformed", s)
	}
	return p.String(), nil
}

// legacyPermission turns the top-level members that AuthorizeSecurityGroupIngress kept from
// EC2-Classic (IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName and -OwnerId) into
// the IpPermission they stand for; ok is false when none is set. A source group alone allows
// all traffic from it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
func legacyPermission(proto *string, from, to *int32, cidr, group, owner *string) (types.IpPermission, bool) {
	if proto == nil && from == nil && to == nil && cidr == nil && group == nil && owner == nil {
		return types.IpPermission{}, false
	}
	p := types.IpPermission{IpProtocol: proto, FromPort: from, ToPort: to}
	if proto == nil && group != nil {
		p.IpProtocol = aws.String("-1")
	}
	if cidr != nil {
		p.IpRanges = []types.IpRange{{CidrIp: cidr}}
	}
	if group != nil {
		p.UserIdGroupPairs = []types.UserIdGroupPair{{GroupName: group, UserId: owner}}
	}
	return p, true
}

// rulesOf returns the rules that perms stand for, in g, with their peers checked: blocks well
// formed, referenced groups existing (a group name is looked up in g's VPC).
func (s *Store) rulesOf(r *regionState, g *securityGroup, egress bool, perms []types.IpPermission) ([]*sgRule, error) {
	if len(perms) == 0 {
		return nil, missingParameter("ipPermissions")
	}
	var out []*sgRule
	for _, p := range perms {
		proto, err := protocol(p.IpProtocol)
		if err != nil {
			return nil, err
		}
		from, to, err := ports(proto, p.FromPort, p.ToPort)
		if err != nil {
			return nil, err
		}
		add := func(pr peer, desc *string) {
			out = append(out, &sgRule{Egress: egress, Protocol: proto, From: from, To: to, Peer: pr, Description: aws.ToString(desc)})
		}
		for _, ip := range p.IpRanges {
			c, err := ruleCIDR(aws.ToString(ip.CidrIp), false)
			if err != nil {
				return nil, err
			}
			add(peer{CIDR: c}, ip.Description)
		}
		for _, ip := range p.Ipv6Ranges {
			c, err := ruleCIDR(aws.ToString(ip.CidrIpv6), true)
			if err != nil {
				return nil, err
			}
			add(peer{CIDRv6: c}, ip.Description)
		}
		for _, pl := range p.PrefixListIds {
			if !strings.HasPrefix(aws.ToString(pl.PrefixListId), "pl-") {
				return nil, core.Errorf(InvalidPrefixListIDMalformed, "Invalid id: \"%s\" (expecting \"pl-...\")", aws.ToString(pl.PrefixListId))
			}
			if err := r.checkPrefixList(*pl.PrefixListId); err != nil {
				return nil, err
			}
			add(peer{PrefixList: *pl.PrefixListId}, pl.Description)
		}
		for _, pair := range p.UserIdGroupPairs {
			ref, err := s.referencedGroup(r, g, pair)
			if err != nil {
				return nil, err
			}
			add(ref, pair.Description)
		}
		if len(p.IpRanges)+len(p.Ipv6Ranges)+len(p.PrefixListIds)+len(p.UserIdGroupPairs) == 0 {
			return nil, core.Errorf(MissingParameter, "The request must contain a source or destination: ipRanges, ipv6Ranges, prefixListIds or groups")
		}
	}
	return out, nil
}

// referencedGroup resolves a rule's group peer. A group of another account cannot be checked
// and is taken as given.
func (s *Store) referencedGroup(r *regionState, g *securityGroup, pair types.UserIdGroupPair) (peer, error) {
	owner := aws.ToString(pair.UserId)
	if owner == "" {
		owner = s.account
	}
	switch {
	case owner != s.account && pair.GroupId != nil:
		return peer{Group: *pair.GroupId, GroupOwner: owner}, nil
	case pair.GroupId != nil:
		ref, err := find(groupKind, r.Groups, *pair.GroupId)
		if err != nil {
			return peer{}, err
		}
		return peer{Group: ref.ID, GroupOwner: owner}, nil
	case pair.GroupName != nil:
		ref := r.groupNamed(g.VPC, *pair.GroupName)
		if ref == nil {
			return peer{}, core.Errorf(InvalidGroupNotFound, "The security group '%s' does not exist in VPC '%s'", *pair.GroupName, g.VPC)
		}
		return peer{Group: ref.ID, GroupOwner: owner}, nil
	}
	return peer{}, missingParameter("groupId")
}

// maxRules is the quota of inbound, and of outbound, rules per security group.
// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
const maxRules = 60

// authorize adds rules to a group: all of them, or none when one is a duplicate.
func (s *Store) authorize(ctx context.Context, groupID, groupName *string, egress bool, perms []types.IpPermission, specs []types.TagSpecification) ([]types.SecurityGroupRule, error) {
	t, err := tagsFor(specs, types.ResourceTypeSecurityGroupRule)
	if err != nil {
		return nil, err
	}
	var out []types.SecurityGroupRule
	return out, s.write(ctx, func(r *regionState) error {
		g, err := r.groupFor(groupID, groupName)
		if err != nil {
			return err
		}
		add, err := s.rulesOf(r, g, egress, perms)
		if err != nil {
			return err
		}
		n := 0
		for _, rl := range g.Rules {
			if rl.Egress == egress {
				n++
			}
		}
		if n+len(add) > maxRules {
			return core.Errorf(RulesPerSecurityGroupLimitExceeded, "The maximum number of rules per security group has been reached.")
		}
		for i, rl := range add {
			for _, have := range append(g.Rules, add[:i]...) {
				if rl.same(have) {
					return core.Errorf(InvalidPermissionDuplicate, "the specified rule \"%s\" already exists", rl)
				}
			}
		}
		for _, rl := range add {
			rl.meta = r.newMeta(s.id("sgr"), t.clone()) // rules made together do not share their tags
			g.Rules = append(g.Rules, rl)
			out = append(out, s.ruleOut(r, g, rl))
		}
		return nil
	})
}

// revoke removes rules from a group, given by permission or by rule ID: all of them, or none
// when one does not exist.
func (s *Store) revoke(ctx context.Context, groupID, groupName *string, egress bool, perms []types.IpPermission, ruleIDs []string) ([]types.RevokedSecurityGroupRule, error) {
	if len(perms) > 0 && len(ruleIDs) > 0 {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter securityGroupRuleIds cannot be used with the parameter ipPermissions")
	}
	var out []types.RevokedSecurityGroupRule
	return out, s.write(ctx, func(r *regionState) error {
		g, err := r.groupFor(groupID, groupName)
		if err != nil {
			return err
		}
		gone := map[*sgRule]bool{}
		if len(ruleIDs) > 0 {
			for _, id := range ruleIDs {
				rl := g.ruleByID(id)
				if rl == nil || rl.Egress != egress {
					if !ruleKind.wellFormed(id) {
						return ruleKind.malformedError(id)
					}
					return ruleKind.notFoundError(id)
				}
				gone[rl] = true
			}
		} else {
			want, err := s.rulesOf(r, g, egress, perms)
			if err != nil {
				return err
			}
			for _, w := range want {
				rl := g.matching(w)
				if rl == nil {
					return core.Errorf(InvalidPermissionNotFound, "The specified rule does not exist in this security group.")
				}
				gone[rl] = true
			}
		}
		kept := g.Rules[:0]
		for _, rl := range g.Rules {
			if !gone[rl] {
				kept = append(kept, rl)
				continue
			}
			o := s.ruleOut(r, g, rl)
			out = append(out, types.RevokedSecurityGroupRule{
				SecurityGroupRuleId: o.SecurityGroupRuleId, GroupId: o.GroupId, IsEgress: o.IsEgress, IpProtocol: o.IpProtocol,
				FromPort: o.FromPort, ToPort: o.ToPort, CidrIpv4: o.CidrIpv4, CidrIpv6: o.CidrIpv6, PrefixListId: o.PrefixListId,
				Description: o.Description, ReferencedGroupId: groupIDOf(o.ReferencedGroupInfo),
			})
		}
		g.Rules = kept
		return nil
	})
}

func groupIDOf(ref *types.ReferencedSecurityGroup) *string {
	if ref == nil {
		return nil
	}
	return ref.GroupId
}

func (g *securityGroup) ruleByID(id string) *sgRule {
	for _, rl := range g.Rules {
		if rl.ID == id {
			return rl
		}
	}
	return nil
}

func (g *securityGroup) matching(want *sgRule) *sgRule {
	for _, rl := range g.Rules {
		if rl.same(want) {
			return rl
		}
	}
	return nil
}

// rule returns the rule with id and its group, or nils.
func (r *regionState) rule(id string) (*securityGroup, *sgRule) {
	for _, g := range r.Groups {
		if rl := g.ruleByID(id); rl != nil {
			return g, rl
		}
	}
	return nil, nil
}

// AuthorizeSecurityGroupIngress adds inbound rules, given as IpPermissions or by the legacy
// top-level members the AWS CLI's --protocol, --port, --cidr and --source-group fill.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
func (h *EC2) AuthorizeSecurityGroupIngress(ctx context.Context, in *ec2.AuthorizeSecurityGroupIngressInput) (*ec2.AuthorizeSecurityGroupIngressOutput, error) {
	perms := in.IpPermissions
	if p, ok := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId); ok {
		perms = append(perms, p)
	}
	rules, err := h.s.authorize(ctx, in.GroupId, in.GroupName, false, perms, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupIngressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

// AuthorizeSecurityGroupEgress adds outbound rules.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html
func (h *EC2) AuthorizeSecurityGroupEgress(ctx context.Context, in *ec2.AuthorizeSecurityGroupEgressInput) (*ec2.AuthorizeSecurityGroupEgressOutput, error) {
	perms := in.IpPermissions
	if p, ok := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId); ok {
		perms = append(perms, p)
	}
	rules, err := h.s.authorize(ctx, in.GroupId, nil, true, perms, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupEgressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

// RevokeSecurityGroupIngress removes inbound rules, by permission or by rule ID.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
func (h *EC2) RevokeSecurityGroupIngress(ctx context.Context, in *ec2.RevokeSecurityGroupIngressInput) (*ec2.RevokeSecurityGroupIngressOutput, error) {
	perms := in.IpPermissions
	if p, ok := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId); ok {
		perms = append(perms, p)
	}
	revoked, err := h.s.revoke(ctx, in.GroupId, in.GroupName, false, perms, in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupIngressOutput{Return: aws.Bool(true), RevokedSecurityGroupRules: revoked}, nil
}

// RevokeSecurityGroupEgress removes outbound rules, by permission or by rule ID.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupEgress.html
func (h *EC2) RevokeSecurityGroupEgress(ctx context.Context, in *ec2.RevokeSecurityGroupEgressInput) (*ec2.RevokeSecurityGroupEgressOutput, error) {
	perms := in.IpPermissions
	if p, ok := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId); ok {
		perms = append(perms, p)
	}
	revoked, err := h.s.revoke(ctx, in.GroupId, nil, true, perms, in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupEgressOutput{Return: aws.Bool(true), RevokedSecurityGroupRules: revoked}, nil
}

func (s *Store) ruleOut(r *regionState, g *securityGroup, rl *sgRule) types.SecurityGroupRule {
	out := types.SecurityGroupRule{
		SecurityGroupRuleId: aws.String(rl.ID), GroupId: aws.String(g.ID), GroupOwnerId: aws.String(s.account),
		IsEgress: aws.Bool(rl.Egress), IpProtocol: aws.String(rl.Protocol), FromPort: aws.Int32(rl.From), ToPort: aws.Int32(rl.To),
		SecurityGroupRuleArn: aws.String(s.arn(r.Name, "security-group-rule/"+rl.ID)), Tags: rl.Tags.out(),
	}
	if rl.Description != "" {
		out.Description = aws.String(rl.Description)
	}
	switch p := rl.Peer; {
	case p.CIDR != "":
		out.CidrIpv4 = aws.String(p.CIDR)
	case p.CIDRv6 != "":
		out.CidrIpv6 = aws.String(p.CIDRv6)
	case p.PrefixList != "":
		out.PrefixListId = aws.String(p.PrefixList)
	case p.Group != "":
		out.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: aws.String(p.Group), UserId: aws.String(p.GroupOwner)}
	}
	return out
}

// permissionsOut groups a group's rules of one direction into IpPermissions, one per protocol
// and port range, in the order the rules were authorized.
func (s *Store) permissionsOut(g *securityGroup, egress bool) []types.IpPermission {
	out := []types.IpPermission{}
	index := map[[3]string]int{}
	for _, rl := range g.Rules {
		if rl.Egress != egress {
			continue
		}
		k := [3]string{rl.Protocol, itoa(rl.From), itoa(rl.To)}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			p := types.IpPermission{
				IpProtocol: aws.String(rl.Protocol), IpRanges: []types.IpRange{}, Ipv6Ranges: []types.Ipv6Range{},
				PrefixListIds: []types.PrefixListId{}, UserIdGroupPairs: []types.UserIdGroupPair{},
			}
			if hasPorts(rl.Protocol) {
				p.FromPort, p.ToPort = aws.Int32(rl.From), aws.Int32(rl.To)
			}
			out = append(out, p)
		}
		p := &out[i]
		var desc *string
		if rl.Description != "" {
			desc = aws.String(rl.Description)
		}
		switch pr := rl.Peer; {
		case pr.CIDR != "":
			p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(pr.CIDR), Description: desc})
		case pr.CIDRv6 != "":
			p.Ipv6Ranges = append(p.Ipv6Ranges, types.Ipv6Range{CidrIpv6: aws.String(pr.CIDRv6), Description: desc})
		case pr.PrefixList != "":
			p.PrefixListIds = append(p.PrefixListIds, types.PrefixListId{PrefixListId: aws.String(pr.PrefixList), Description: desc})
		case pr.Group != "":
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, types.UserIdGroupPair{GroupId: aws.String(pr.Group), UserId: aws.String(pr.GroupOwner), Description: desc})
		}
	}
	return out
}

var ruleFields = fields[types.SecurityGroupRule]{
	"group-id":               func(r types.SecurityGroupRule) []string { return one(*r.GroupId) },
	"security-group-rule-id": func(r types.SecurityGroupRule) []string { return one(*r.SecurityGroupRuleId) },
}

// DescribeSecurityGroupRules lists rules by ID or by filter.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroupRules.html
func (h *EC2) DescribeSecurityGroupRules(ctx context.Context, in *ec2.DescribeSecurityGroupRulesInput) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	s := h.s
	out := &ec2.DescribeSecurityGroupRulesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		for _, id := range in.SecurityGroupRuleIds {
			if !ruleKind.wellFormed(id) {
				return ruleKind.malformedError(id)
			}
			if _, rl := r.rule(id); rl == nil {
				return ruleKind.notFoundError(id)
			}
		}
		var all []types.SecurityGroupRule
		for _, g := range inOrder(r.Groups) {
			for _, rl := range g.Rules {
				if len(in.SecurityGroupRuleIds) == 0 || contains(in.SecurityGroupRuleIds, rl.ID) {
					all = append(all, s.ruleOut(r, g, rl))
				}
			}
		}
		var err error
		out.SecurityGroupRules, out.NextToken, err = describe(all, in.Filters, ruleFields,
			func(r types.SecurityGroupRule) []types.Tag { return r.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

func itoa[T ~int32 | ~int](n T) string { return strconv.Itoa(int(n)) }
