package iamsim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
)

// GetAccountAuthorizationDetails lists every user, group, role and managed policy with their
// policies, filtered by entity type: the account's own managed policies all, AWS's those
// attached to something. Pages cut the four lists as one: users, then groups, roles,
// policies. Policy documents are URL-encoded, as everywhere in IAM's API.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
func (h *IAM) GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	want := func(t types.EntityType) bool { return len(in.Filter) == 0 || slices.Contains(in.Filter, t) }
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []any
	if want(types.EntityTypeUser) {
		for _, u := range sortedValues(s.st.Users) {
			all = append(all, s.userDetail(u))
		}
	}
	if want(types.EntityTypeGroup) {
		for _, g := range sortedValues(s.st.Groups) {
			all = append(all, types.GroupDetail{
				GroupName: aws.String(g.Name), GroupId: aws.String(g.ID), Path: aws.String(g.Path),
				Arn: aws.String(s.arn("group", g.Path, g.Name)), CreateDate: aws.Time(g.Created),
				GroupPolicyList: inlineDetails(g.Inline), AttachedManagedPolicies: attachedList(g.Attached),
			})
		}
	}
	if want(types.EntityTypeRole) {
		for _, r := range sortedValues(s.st.Roles) {
			all = append(all, s.roleDetail(r))
		}
	}
	if want(types.EntityTypeLocalManagedPolicy) {
		for _, p := range sortedValues(s.st.Policies) {
			out := s.policyOut(p)
			all = append(all, managedDetail(out, p.Versions, p.Default))
		}
	}
	if want(types.EntityTypeAWSManagedPolicy) {
		for _, m := range policy.AWSManagedList() {
			out := s.awsPolicyOut(awsManaged(m.ARN))
			if *out.AttachmentCount == 0 && *out.PermissionsBoundaryUsageCount == 0 {
				continue
			}
			d := managedDetail(out, nil, "")
			d.PolicyVersionList = []types.PolicyVersion{{
				VersionId: aws.String(m.DefaultVersionID), IsDefaultVersion: true, CreateDate: aws.Time(m.UpdateDate),
				Document: encodeDocument(m.Document),
			}}
			all = append(all, d)
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.GetAccountAuthorizationDetailsOutput{
		UserDetailList: []types.UserDetail{}, GroupDetailList: []types.GroupDetail{}, RoleDetailList: []types.RoleDetail{},
		Policies: []types.ManagedPolicyDetail{}, Marker: marker, IsTruncated: truncated,
	}
	for _, it := range items {
		switch it := it.(type) {
		case types.UserDetail:
			out.UserDetailList = append(out.UserDetailList, it)
		case types.GroupDetail:
			out.GroupDetailList = append(out.GroupDetailList, it)
		case types.RoleDetail:
			out.RoleDetailList = append(out.RoleDetailList, it)
		case types.ManagedPolicyDetail:
			out.Policies = append(out.Policies, it)
		}
	}
	return out, nil
}

// userDetail is u as GetAccountAuthorizationDetails gives it. s.mu is held.
func (s *Store) userDetail(u *user) types.UserDetail {
	d := types.UserDetail{
		UserName: aws.String(u.Name), UserId: aws.String(u.ID), Path: aws.String(u.Path),
		Arn: aws.String(s.arn("user", u.Path, u.Name)), CreateDate: aws.Time(u.Created),
		UserPolicyList: inlineDetails(u.Inline), AttachedManagedPolicies: attachedList(u.Attached),
		GroupList: []string{}, Tags: fromTags(u.Tags), PermissionsBoundary: boundaryOut(u.Boundary),
	}
	for _, g := range s.groupsOf(u.Name) {
		d.GroupList = append(d.GroupList, g.Name)
	}
	return d
}

// roleDetail is r as GetAccountAuthorizationDetails gives it. s.mu is held.
func (s *Store) roleDetail(r *role) types.RoleDetail {
	d := types.RoleDetail{
		RoleName: aws.String(r.Name), RoleId: aws.String(r.ID), Path: aws.String(r.Path),
		Arn: aws.String(s.arn("role", r.Path, r.Name)), CreateDate: aws.Time(r.Created),
		AssumeRolePolicyDocument: encodeDocument(r.Trust.Text), RolePolicyList: inlineDetails(r.Inline),
		AttachedManagedPolicies: attachedList(r.Attached), InstanceProfileList: []types.InstanceProfile{},
		Tags: fromTags(r.Tags), PermissionsBoundary: boundaryOut(r.Boundary), RoleLastUsed: &types.RoleLastUsed{},
	}
	for _, ip := range sortedValues(s.st.InstanceProfiles) {
		if slices.ContainsFunc(ip.Roles, func(n string) bool { return key(n) == key(r.Name) }) {
			d.InstanceProfileList = append(d.InstanceProfileList, *s.profileOut(ip))
		}
	}
	return d
}

func boundaryOut(arn string) *types.AttachedPermissionsBoundary {
	if arn == "" {
		return nil
	}
	return &types.AttachedPermissionsBoundary{PermissionsBoundaryArn: aws.String(arn), PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy}
}

func inlineDetails(m map[string]*document) []types.PolicyDetail {
	out := []types.PolicyDetail{}
	for _, name := range sortedKeys(m) {
		out = append(out, types.PolicyDetail{PolicyName: aws.String(name), PolicyDocument: encodeDocument(m[name].Text)})
	}
	return out
}

func attachedList(arns []string) []types.AttachedPolicy {
	out := []types.AttachedPolicy{}
	for _, arn := range arns {
		out = append(out, types.AttachedPolicy{PolicyArn: aws.String(arn), PolicyName: aws.String(arn[strings.LastIndexByte(arn, '/')+1:])})
	}
	return out
}

func managedDetail(p *types.Policy, versions []*policyVersion, def string) types.ManagedPolicyDetail {
	d := types.ManagedPolicyDetail{
		PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
		IsAttachable: p.IsAttachable, Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate,
		PolicyVersionList: []types.PolicyVersion{},
	}
	for _, v := range versions {
		d.PolicyVersionList = append(d.PolicyVersionList, *versionOut(v, v.ID == def, true))
	}
	return d
}
