package ec2sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// networkACL is a VPC's default network ACL; the simulator makes no others.
type networkACL struct {
	meta
	VPC    string
	Assocs []association
}

func (s *Store) newNetworkACL(r *regionState, v *vpc) *networkACL {
	a := &networkACL{meta: r.newMeta(s.id("acl"), nil), VPC: v.ID}
	r.ACLs[a.ID] = a
	return a
}

func (r *regionState) defaultACL(vpcID string) *networkACL {
	for _, a := range r.ACLs {
		if a.VPC == vpcID {
			return a
		}
	}
	return nil
}

// defaultACLEntries are the rules of a default network ACL: rule 100 allows all traffic in
// each direction, and the catch-all rule (*, numbered 32767) denies what no rule allows.
// https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
func defaultACLEntries() []types.NetworkAclEntry {
	var out []types.NetworkAclEntry
	for _, egress := range []bool{true, false} {
		for _, e := range []struct {
			n      int32
			action types.RuleAction
		}{{100, types.RuleActionAllow}, {32767, types.RuleActionDeny}} {
			out = append(out, types.NetworkAclEntry{
				CidrBlock: aws.String("0.0.0.0/0"), Egress: aws.Bool(egress), Protocol: aws.String("-1"),
				RuleAction: e.action, RuleNumber: aws.Int32(e.n),
			})
		}
	}
	return out
}

func (s *Store) networkACLOut(a *networkACL) types.NetworkAcl {
	out := types.NetworkAcl{
		NetworkAclId: aws.String(a.ID), VpcId: aws.String(a.VPC), IsDefault: aws.Bool(true), OwnerId: aws.String(s.account),
		Entries: defaultACLEntries(), Associations: []types.NetworkAclAssociation{}, Tags: a.Tags.out(),
	}
	for _, as := range a.Assocs {
		out.Associations = append(out.Associations, types.NetworkAclAssociation{
			NetworkAclAssociationId: aws.String(as.ID), NetworkAclId: aws.String(a.ID), SubnetId: aws.String(as.Subnet),
		})
	}
	return out
}

var networkACLFields = fields[types.NetworkAcl]{
	"network-acl-id": func(a types.NetworkAcl) []string { return one(*a.NetworkAclId) },
	"vpc-id":         func(a types.NetworkAcl) []string { return one(*a.VpcId) },
	"default":        func(a types.NetworkAcl) []string { return boolValue(*a.IsDefault) },
	"owner-id":       func(a types.NetworkAcl) []string { return one(*a.OwnerId) },
	"association.subnet-id": func(a types.NetworkAcl) []string {
		var out []string
		for _, as := range a.Associations {
			out = append(out, *as.SubnetId)
		}
		return out
	},
	"association.association-id": func(a types.NetworkAcl) []string {
		var out []string
		for _, as := range a.Associations {
			out = append(out, *as.NetworkAclAssociationId)
		}
		return out
	},
}

// DescribeNetworkAcls lists the region's network ACLs: each VPC's default one.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html
func (h *EC2) DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput) (*ec2.DescribeNetworkAclsOutput, error) {
	s := h.s
	out := &ec2.DescribeNetworkAclsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		as, err := pick(aclKind, r.ACLs, in.NetworkAclIds)
		if err != nil {
			return err
		}
		all := make([]types.NetworkAcl, len(as))
		for i, a := range as {
			all[i] = s.networkACLOut(a)
		}
		out.NetworkAcls, out.NextToken, err = describe(all, in.Filters, networkACLFields,
			func(a types.NetworkAcl) []types.Tag { return a.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}
