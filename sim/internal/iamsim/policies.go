package iamsim

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Managed policies: the account's own (customer managed) and AWS's.

func (h *IAM) CreatePolicy(ctx context.Context, in *iam.CreatePolicyInput) (*iam.CreatePolicyOutput, error) {
	var v validation
	v.name("policyName", aws.ToString(in.PolicyName), 128)
	v.path("path", in.Path)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := reservedTags(in.Tags); err != nil {
		return nil, err
	}
	doc, err := parseDocument("policyDocument", aws.ToString(in.PolicyDocument), policy.Identity)
	if err != nil {
		return nil, err
	}
	if err := checkManagedSize(doc); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	path := pathOr(in.Path)
	arn := s.arn("policy", path, *in.PolicyName)
	for _, p := range s.st.Policies {
		if key(p.Name) == key(*in.PolicyName) {
			return nil, core.Errorf(EntityAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", *in.PolicyName)
		}
	}
	now := s.now()
	p := &managedPolicy{
		Name: *in.PolicyName, Path: path, ID: s.ids.Unique("ANPA"), ARN: arn, Description: aws.ToString(in.Description),
		Created: now, Updated: now, Default: "v1", NextVersion: 2, Tags: toTags(in.Tags),
		Versions: []*policyVersion{{ID: "v1", Doc: doc, Created: now}},
	}
	s.st.Policies[arn] = p
	out := s.policyOut(p)
	out.Description = nil // CreatePolicy does not echo the description
	return &iam.CreatePolicyOutput{Policy: out}, nil
}

// attachments counts the users, groups and roles that have arn attached, and those that
// have it as their permissions boundary.
func (s *Store) attachments(arn string) (attached, boundary int32) { return s.ix.usage(arn) }

func (s *Store) policyOut(p *managedPolicy) *types.Policy {
	n, b := s.attachments(p.ARN)
	return &types.Policy{
		PolicyName: aws.String(p.Name), PolicyId: aws.String(p.ID), Arn: aws.String(p.ARN), Path: aws.String(p.Path),
		DefaultVersionId: aws.String(p.Default), AttachmentCount: aws.Int32(n), PermissionsBoundaryUsageCount: aws.Int32(b),
		IsAttachable: true, Description: optional(p.Description), CreateDate: aws.Time(p.Created), UpdateDate: aws.Time(p.Updated),
		Tags: fromTags(p.Tags),
	}
}

func (s *Store) awsPolicyOut(m *awsPolicy) *types.Policy {
	n, b := s.attachments(m.ARN)
	return &types.Policy{
		PolicyName: aws.String(m.Name), PolicyId: aws.String(m.PolicyID), Arn: aws.String(m.ARN), Path: aws.String(m.Path),
		DefaultVersionId: aws.String(m.DefaultVersionID), AttachmentCount: aws.Int32(n), PermissionsBoundaryUsageCount: aws.Int32(b),
		IsAttachable: true, Description: optional(m.Description), CreateDate: aws.Time(m.CreateDate), UpdateDate: aws.Time(m.UpdateDate),
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func noSuchPolicy(arn string) error {
	return core.Errorf(NoSuchEntity, "Policy %s does not exist or is not attachable.", arn)
}

// checkPolicyARN validates the form of a policy ARN as IAM does before looking it up.
func checkPolicyARN(field, arn string) error {
	if len(arn) < 20 || !strings.HasPrefix(arn, "arn:") {
		return core.Errorf(ValidationError, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 20", arn, field)
	}
	if !strings.HasPrefix(arn, "arn:aws:iam::") || !strings.Contains(arn, ":policy/") {
		return core.Errorf(InvalidInput, "ARN %s is not valid.", arn)
	}
	return nil
}

func (h *IAM) GetPolicy(ctx context.Context, in *iam.GetPolicyInput) (*iam.GetPolicyOutput, error) {
	arn := aws.ToString(in.PolicyArn)
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := awsManaged(arn); m != nil {
		return &iam.GetPolicyOutput{Policy: s.awsPolicyOut(m)}, nil
	}
	p, ok := s.st.Policies[arn]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
	}
	return &iam.GetPolicyOutput{Policy: s.policyOut(p)}, nil
}

func (h *IAM) ListPolicies(ctx context.Context, in *iam.ListPoliciesInput) (*iam.ListPoliciesOutput, error) {
	var v validation
	v.maxItems(in.MaxItems)
	if err := v.err(); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []types.Policy
	keep := func(p *types.Policy) {
		if hasPrefix(*p.Path, in.PathPrefix) && (!in.OnlyAttached || *p.AttachmentCount > 0) {
			// ListPolicies gives neither description nor tags: GetPolicy does.
			// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
			p.Tags, p.Description = nil, nil
			all = append(all, *p)
		}
	}
	if in.Scope == "" || in.Scope == types.PolicyScopeTypeAll || in.Scope == types.PolicyScopeTypeAws {
		for _, m := range policy.AWSManagedList() {
			keep(s.awsPolicyOut(awsManaged(m.ARN)))
		}
	}
	if in.Scope == "" || in.Scope == types.PolicyScopeTypeAll || in.Scope == types.PolicyScopeTypeLocal {
		for _, p := range sortedValues(s.st.Policies) {
			keep(s.policyOut(p))
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListPoliciesOutput{Policies: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

// customer returns the account's managed policy arn for a change; AWS's cannot be changed.
func (s *Store) customer(arn string) (*managedPolicy, error) {
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return nil, err
	}
	if awsManaged(arn) != nil {
		return nil, core.Errorf(AccessDenied, "Policy %s is an AWS managed policy and cannot be changed.", arn)
	}
	p, ok := s.st.Policies[arn]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
	}
	return p, nil
}

func (h *IAM) DeletePolicy(ctx context.Context, in *iam.DeletePolicyInput) (*iam.DeletePolicyOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	p, err := s.customer(aws.ToString(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	if n, b := s.attachments(p.ARN); n+b > 0 {
		return nil, core.Errorf(DeleteConflict, "Cannot delete a policy attached to entities.")
	}
	if len(p.Versions) > 1 {
		return nil, core.Errorf(DeleteConflict, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	}
	delete(s.st.Policies, p.ARN)
	return &iam.DeletePolicyOutput{}, nil
}

// versionOut describes v; only GetPolicyVersion includes the document.
func versionOut(v *policyVersion, isDefault, withDocument bool) *types.PolicyVersion {
	out := &types.PolicyVersion{VersionId: aws.String(v.ID), IsDefaultVersion: isDefault, CreateDate: aws.Time(v.Created)}
	if withDocument {
		out.Document = encodeDocument(v.Doc.Text)
	}
	return out
}

func (h *IAM) CreatePolicyVersion(ctx context.Context, in *iam.CreatePolicyVersionInput) (*iam.CreatePolicyVersionOutput, error) {
	doc, err := parseDocument("policyDocument", aws.ToString(in.PolicyDocument), policy.Identity)
	if err != nil {
		return nil, err
	}
	if err := checkManagedSize(doc); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	p, err := s.customer(aws.ToString(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	if len(p.Versions) >= maxVersions {
		return nil, core.Errorf(LimitExceeded, "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxVersions)
	}
	v := &policyVersion{ID: fmt.Sprintf("v%d", p.NextVersion), Doc: doc, Created: s.now()}
	p.NextVersion++
	p.Versions = append(p.Versions, v)
	if in.SetAsDefault {
		p.Default = v.ID
		p.Updated = v.Created
	}
	return &iam.CreatePolicyVersionOutput{PolicyVersion: versionOut(v, p.Default == v.ID, false)}, nil
}

func (h *IAM) GetPolicyVersion(ctx context.Context, in *iam.GetPolicyVersionInput) (*iam.GetPolicyVersionOutput, error) {
	arn, id := aws.ToString(in.PolicyArn), aws.ToString(in.VersionId)
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := awsManaged(arn); m != nil {
		if id != m.DefaultVersionID {
			return nil, core.Errorf(NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", arn, id)
		}
		return &iam.GetPolicyVersionOutput{PolicyVersion: &types.PolicyVersion{
			VersionId: aws.String(id), Document: encodeDocument(m.Document), IsDefaultVersion: true, CreateDate: aws.Time(m.UpdateDate),
		}}, nil
	}
	p, ok := s.st.Policies[arn]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
	}
	for _, v := range p.Versions {
		if v.ID == id {
			return &iam.GetPolicyVersionOutput{PolicyVersion: versionOut(v, v.ID == p.Default, true)}, nil
		}
	}
	return nil, core.Errorf(NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", arn, id)
}

func (h *IAM) ListPolicyVersions(ctx context.Context, in *iam.ListPolicyVersionsInput) (*iam.ListPolicyVersionsOutput, error) {
	arn := aws.ToString(in.PolicyArn)
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []types.PolicyVersion
	if m := awsManaged(arn); m != nil {
		all = append(all, types.PolicyVersion{VersionId: aws.String(m.DefaultVersionID), IsDefaultVersion: true, CreateDate: aws.Time(m.UpdateDate)})
	} else {
		p, ok := s.st.Policies[arn]
		if !ok {
			return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
		}
		for i := len(p.Versions) - 1; i >= 0; i-- { // newest first, as IAM lists them
			v := p.Versions[i]
			all = append(all, *versionOut(v, v.ID == p.Default, false))
		}
	}
	items, marker, truncated, err := page(all, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListPolicyVersionsOutput{Versions: nonNil(items), Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) SetDefaultPolicyVersion(ctx context.Context, in *iam.SetDefaultPolicyVersionInput) (*iam.SetDefaultPolicyVersionOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	p, err := s.customer(aws.ToString(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	id := aws.ToString(in.VersionId)
	i := slices.IndexFunc(p.Versions, func(v *policyVersion) bool { return v.ID == id })
	if i < 0 {
		return nil, core.Errorf(NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", p.ARN, id)
	}
	p.Default, p.Updated = id, s.now()
	return &iam.SetDefaultPolicyVersionOutput{}, nil
}

func (h *IAM) DeletePolicyVersion(ctx context.Context, in *iam.DeletePolicyVersionInput) (*iam.DeletePolicyVersionOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	p, err := s.customer(aws.ToString(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	id := aws.ToString(in.VersionId)
	i := slices.IndexFunc(p.Versions, func(v *policyVersion) bool { return v.ID == id })
	if i < 0 {
		return nil, core.Errorf(NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", p.ARN, id)
	}
	if id == p.Default {
		return nil, core.Errorf(DeleteConflict, "Cannot delete the default version of a policy.")
	}
	p.Versions = slices.Delete(p.Versions, i, i+1)
	return &iam.DeletePolicyVersionOutput{}, nil
}

// Attaching managed policies to users, groups and roles.

// entity is the user, group or role an attach, inline or boundary call is about.
type entity struct{ kind, field string }

var (
	userEntity  = entity{"user", "userName"}
	groupEntity = entity{"group", "groupName"}
	roleEntity  = entity{"role", "roleName"}
)

// find returns the principal of kind e named name. s.mu is held.
func (s *Store) find(e entity, name string) (*principalCommon, error) {
	var v validation
	v.name(e.field, name, 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	switch e.kind {
	case "user":
		u, err := s.user(name)
		if err != nil {
			return nil, err
		}
		return &u.principalCommon, nil
	case "group":
		g, err := s.group(name)
		if err != nil {
			return nil, err
		}
		return &g.principalCommon, nil
	default:
		r, err := s.role(name)
		if err != nil {
			return nil, err
		}
		return &r.principalCommon, nil
	}
}

func (s *Store) attach(e entity, name, arn string) error {
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(e, name)
	if err != nil {
		return err
	}
	if s.managed(arn) == nil {
		return noSuchPolicy(arn)
	}
	if slices.Contains(pc.Attached, arn) {
		return nil
	}
	if len(pc.Attached) >= maxManagedPerRole {
		return core.Errorf(LimitExceeded, "Cannot exceed quota for PoliciesPer%s: %d", strings.ToUpper(e.kind[:1])+e.kind[1:], maxManagedPerRole)
	}
	pc.Attached = append(pc.Attached, arn)
	s.ix.add(arn, policyUses{attached: 1})
	return nil
}

func (s *Store) detach(e entity, name, arn string) error {
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(e, name)
	if err != nil {
		return err
	}
	i := slices.Index(pc.Attached, arn)
	if i < 0 {
		return core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
	}
	pc.Attached = slices.Delete(pc.Attached, i, i+1)
	s.ix.add(arn, policyUses{attached: -1})
	return nil
}

func (s *Store) listAttached(e entity, name string, prefix, marker *string, maxItems *int32) ([]types.AttachedPolicy, *string, bool, error) {
	s.mu.RLock()
	pc, err := s.find(e, name)
	var all []types.AttachedPolicy
	if err == nil {
		for _, arn := range pc.Attached {
			if !hasPrefix(policyPath(arn), prefix) {
				continue
			}
			all = append(all, types.AttachedPolicy{PolicyArn: aws.String(arn), PolicyName: aws.String(arn[strings.LastIndexByte(arn, '/')+1:])})
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, nil, false, err
	}
	items, next, truncated, err := page(all, marker, maxItems)
	return nonNil(items), next, truncated, err
}

// policyPath returns the path part of a policy ARN: "/" or "/job-function/".
func policyPath(arn string) string {
	i := strings.Index(arn, ":policy/")
	j := strings.LastIndexByte(arn, '/')
	if i < 0 || j < i+7 {
		return "/"
	}
	return arn[i+7 : j+1]
}

func (h *IAM) AttachUserPolicy(ctx context.Context, in *iam.AttachUserPolicyInput) (*iam.AttachUserPolicyOutput, error) {
	return &iam.AttachUserPolicyOutput{}, h.s.attach(userEntity, aws.ToString(in.UserName), aws.ToString(in.PolicyArn))
}

func (h *IAM) AttachGroupPolicy(ctx context.Context, in *iam.AttachGroupPolicyInput) (*iam.AttachGroupPolicyOutput, error) {
	return &iam.AttachGroupPolicyOutput{}, h.s.attach(groupEntity, aws.ToString(in.GroupName), aws.ToString(in.PolicyArn))
}

func (h *IAM) AttachRolePolicy(ctx context.Context, in *iam.AttachRolePolicyInput) (*iam.AttachRolePolicyOutput, error) {
	return &iam.AttachRolePolicyOutput{}, h.s.attach(roleEntity, aws.ToString(in.RoleName), aws.ToString(in.PolicyArn))
}

func (h *IAM) DetachUserPolicy(ctx context.Context, in *iam.DetachUserPolicyInput) (*iam.DetachUserPolicyOutput, error) {
	return &iam.DetachUserPolicyOutput{}, h.s.detach(userEntity, aws.ToString(in.UserName), aws.ToString(in.PolicyArn))
}

func (h *IAM) DetachGroupPolicy(ctx context.Context, in *iam.DetachGroupPolicyInput) (*iam.DetachGroupPolicyOutput, error) {
	return &iam.DetachGroupPolicyOutput{}, h.s.detach(groupEntity, aws.ToString(in.GroupName), aws.ToString(in.PolicyArn))
}

func (h *IAM) DetachRolePolicy(ctx context.Context, in *iam.DetachRolePolicyInput) (*iam.DetachRolePolicyOutput, error) {
	return &iam.DetachRolePolicyOutput{}, h.s.detach(roleEntity, aws.ToString(in.RoleName), aws.ToString(in.PolicyArn))
}

func (h *IAM) ListAttachedUserPolicies(ctx context.Context, in *iam.ListAttachedUserPoliciesInput) (*iam.ListAttachedUserPoliciesOutput, error) {
	items, marker, truncated, err := h.s.listAttached(userEntity, aws.ToString(in.UserName), in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: items, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListAttachedGroupPolicies(ctx context.Context, in *iam.ListAttachedGroupPoliciesInput) (*iam.ListAttachedGroupPoliciesOutput, error) {
	items, marker, truncated, err := h.s.listAttached(groupEntity, aws.ToString(in.GroupName), in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedGroupPoliciesOutput{AttachedPolicies: items, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListAttachedRolePolicies(ctx context.Context, in *iam.ListAttachedRolePoliciesInput) (*iam.ListAttachedRolePoliciesOutput, error) {
	items, marker, truncated, err := h.s.listAttached(roleEntity, aws.ToString(in.RoleName), in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: items, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListEntitiesForPolicy(ctx context.Context, in *iam.ListEntitiesForPolicyInput) (*iam.ListEntitiesForPolicyOutput, error) {
	arn := aws.ToString(in.PolicyArn)
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return nil, err
	}
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.managed(arn) == nil {
		return nil, core.Errorf(NoSuchEntity, "Policy %s was not found.", arn)
	}
	out := &iam.ListEntitiesForPolicyOutput{PolicyUsers: []types.PolicyUser{}, PolicyGroups: []types.PolicyGroup{}, PolicyRoles: []types.PolicyRole{}}
	want := func(t types.EntityType) bool { return in.EntityFilter == "" || in.EntityFilter == t }
	for _, u := range sortedValues(s.st.Users) {
		if want(types.EntityTypeUser) && slices.Contains(u.Attached, arn) {
			out.PolicyUsers = append(out.PolicyUsers, types.PolicyUser{UserName: aws.String(u.Name), UserId: aws.String(u.ID)})
		}
	}
	for _, g := range sortedValues(s.st.Groups) {
		if want(types.EntityTypeGroup) && slices.Contains(g.Attached, arn) {
			out.PolicyGroups = append(out.PolicyGroups, types.PolicyGroup{GroupName: aws.String(g.Name), GroupId: aws.String(g.ID)})
		}
	}
	for _, r := range sortedValues(s.st.Roles) {
		if want(types.EntityTypeRole) && slices.Contains(r.Attached, arn) {
			out.PolicyRoles = append(out.PolicyRoles, types.PolicyRole{RoleName: aws.String(r.Name), RoleId: aws.String(r.ID)})
		}
	}
	return out, nil
}

// Permissions boundaries.

func (s *Store) checkBoundary(arn *string) error {
	if arn == nil {
		return nil
	}
	if err := checkPolicyARN("permissionsBoundary", *arn); err != nil {
		return err
	}
	if s.managed(*arn) == nil {
		return core.Errorf(NoSuchEntity, "Scope ARN: %s does not exist or is not attachable.", *arn)
	}
	return nil
}

func (s *Store) setBoundary(e entity, name string, arn *string) error {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(e, name)
	if err != nil {
		return err
	}
	if arn == nil {
		if pc.Boundary == "" {
			return core.Errorf(NoSuchEntity, "The %s with name %s does not have a permissions boundary.", e.kind, name)
		}
		s.ix.add(pc.Boundary, policyUses{boundary: -1})
		pc.Boundary = ""
		return nil
	}
	if err := s.checkBoundary(arn); err != nil {
		return err
	}
	if pc.Boundary != "" {
		s.ix.add(pc.Boundary, policyUses{boundary: -1})
	}
	pc.Boundary = *arn
	s.ix.add(pc.Boundary, policyUses{boundary: 1})
	return nil
}

func (h *IAM) PutUserPermissionsBoundary(ctx context.Context, in *iam.PutUserPermissionsBoundaryInput) (*iam.PutUserPermissionsBoundaryOutput, error) {
	if in.PermissionsBoundary == nil {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value null at 'permissionsBoundary' failed to satisfy constraint: Member must not be null")
	}
	return &iam.PutUserPermissionsBoundaryOutput{}, h.s.setBoundary(userEntity, aws.ToString(in.UserName), in.PermissionsBoundary)
}

func (h *IAM) DeleteUserPermissionsBoundary(ctx context.Context, in *iam.DeleteUserPermissionsBoundaryInput) (*iam.DeleteUserPermissionsBoundaryOutput, error) {
	return &iam.DeleteUserPermissionsBoundaryOutput{}, h.s.setBoundary(userEntity, aws.ToString(in.UserName), nil)
}

func (h *IAM) PutRolePermissionsBoundary(ctx context.Context, in *iam.PutRolePermissionsBoundaryInput) (*iam.PutRolePermissionsBoundaryOutput, error) {
	if in.PermissionsBoundary == nil {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value null at 'permissionsBoundary' failed to satisfy constraint: Member must not be null")
	}
	return &iam.PutRolePermissionsBoundaryOutput{}, h.s.setBoundary(roleEntity, aws.ToString(in.RoleName), in.PermissionsBoundary)
}

func (h *IAM) DeleteRolePermissionsBoundary(ctx context.Context, in *iam.DeleteRolePermissionsBoundaryInput) (*iam.DeleteRolePermissionsBoundaryOutput, error) {
	return &iam.DeleteRolePermissionsBoundaryOutput{}, h.s.setBoundary(roleEntity, aws.ToString(in.RoleName), nil)
}
