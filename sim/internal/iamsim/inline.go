package iamsim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Inline policies of users, groups and roles.

// inlineLimit is the size of all the inline policies of a principal, by kind, without white
// space. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
var inlineLimit = map[string]int{"user": maxUserInlineSize, "group": maxGroupInlineSize, "role": maxRoleInlineSize}

func (s *Store) putInline(e entity, name, policyName, text string) error {
	var v validation
	v.name("policyName", policyName, 128)
	if err := v.err(); err != nil {
		return err
	}
	doc, err := parseDocument("policyDocument", text, policy.Identity)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(e, name)
	if err != nil {
		return err
	}
	// The quota is on all of a principal's inline policies together, the one replaced left out.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
	total := policySize(doc.Text)
	for n, d := range pc.Inline {
		if n != policyName {
			total += policySize(d.Text)
		}
	}
	if limit := inlineLimit[e.kind]; total > limit {
		return core.Errorf(LimitExceeded, "Maximum policy size of %d bytes exceeded for %s %s", limit, e.kind, pc.Name)
	}
	pc.Inline[policyName] = doc
	return nil
}

func (s *Store) getInline(e entity, name, policyName string) (string, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pc, err := s.find(e, name)
	if err != nil {
		return "", "", err
	}
	doc, ok := pc.Inline[policyName]
	if !ok {
		return "", "", core.Errorf(NoSuchEntity, "The %s policy with name %s cannot be found.", e.kind, policyName)
	}
	return pc.Name, doc.Text, nil
}

func (s *Store) deleteInline(e entity, name, policyName string) error {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	pc, err := s.find(e, name)
	if err != nil {
		return err
	}
	if _, ok := pc.Inline[policyName]; !ok {
		return core.Errorf(NoSuchEntity, "The %s policy with name %s cannot be found.", e.kind, policyName)
	}
	delete(pc.Inline, policyName)
	return nil
}

func (s *Store) listInline(e entity, name string, marker *string, maxItems *int32) ([]string, *string, bool, error) {
	s.mu.RLock()
	pc, err := s.find(e, name)
	var names []string
	if err == nil {
		names = sortedKeys(pc.Inline)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, nil, false, err
	}
	items, next, truncated, err := page(names, marker, maxItems)
	return nonNil(items), next, truncated, err
}

func (h *IAM) PutUserPolicy(ctx context.Context, in *iam.PutUserPolicyInput) (*iam.PutUserPolicyOutput, error) {
	return &iam.PutUserPolicyOutput{}, h.s.putInline(userEntity, aws.ToString(in.UserName), aws.ToString(in.PolicyName), aws.ToString(in.PolicyDocument))
}

func (h *IAM) PutGroupPolicy(ctx context.Context, in *iam.PutGroupPolicyInput) (*iam.PutGroupPolicyOutput, error) {
	return &iam.PutGroupPolicyOutput{}, h.s.putInline(groupEntity, aws.ToString(in.GroupName), aws.ToString(in.PolicyName), aws.ToString(in.PolicyDocument))
}

func (h *IAM) PutRolePolicy(ctx context.Context, in *iam.PutRolePolicyInput) (*iam.PutRolePolicyOutput, error) {
	return &iam.PutRolePolicyOutput{}, h.s.putInline(roleEntity, aws.ToString(in.RoleName), aws.ToString(in.PolicyName), aws.ToString(in.PolicyDocument))
}

func (h *IAM) GetUserPolicy(ctx context.Context, in *iam.GetUserPolicyInput) (*iam.GetUserPolicyOutput, error) {
	name, text, err := h.s.getInline(userEntity, aws.ToString(in.UserName), aws.ToString(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &iam.GetUserPolicyOutput{UserName: aws.String(name), PolicyName: in.PolicyName, PolicyDocument: encodeDocument(text)}, nil
}

func (h *IAM) GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput) (*iam.GetGroupPolicyOutput, error) {
	name, text, err := h.s.getInline(groupEntity, aws.ToString(in.GroupName), aws.ToString(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &iam.GetGroupPolicyOutput{GroupName: aws.String(name), PolicyName: in.PolicyName, PolicyDocument: encodeDocument(text)}, nil
}

func (h *IAM) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput) (*iam.GetRolePolicyOutput, error) {
	name, text, err := h.s.getInline(roleEntity, aws.ToString(in.RoleName), aws.ToString(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &iam.GetRolePolicyOutput{RoleName: aws.String(name), PolicyName: in.PolicyName, PolicyDocument: encodeDocument(text)}, nil
}

func (h *IAM) DeleteUserPolicy(ctx context.Context, in *iam.DeleteUserPolicyInput) (*iam.DeleteUserPolicyOutput, error) {
	return &iam.DeleteUserPolicyOutput{}, h.s.deleteInline(userEntity, aws.ToString(in.UserName), aws.ToString(in.PolicyName))
}

func (h *IAM) DeleteGroupPolicy(ctx context.Context, in *iam.DeleteGroupPolicyInput) (*iam.DeleteGroupPolicyOutput, error) {
	return &iam.DeleteGroupPolicyOutput{}, h.s.deleteInline(groupEntity, aws.ToString(in.GroupName), aws.ToString(in.PolicyName))
}

func (h *IAM) DeleteRolePolicy(ctx context.Context, in *iam.DeleteRolePolicyInput) (*iam.DeleteRolePolicyOutput, error) {
	return &iam.DeleteRolePolicyOutput{}, h.s.deleteInline(roleEntity, aws.ToString(in.RoleName), aws.ToString(in.PolicyName))
}

func (h *IAM) ListUserPolicies(ctx context.Context, in *iam.ListUserPoliciesInput) (*iam.ListUserPoliciesOutput, error) {
	names, marker, truncated, err := h.s.listInline(userEntity, aws.ToString(in.UserName), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserPoliciesOutput{PolicyNames: names, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListGroupPolicies(ctx context.Context, in *iam.ListGroupPoliciesInput) (*iam.ListGroupPoliciesOutput, error) {
	names, marker, truncated, err := h.s.listInline(groupEntity, aws.ToString(in.GroupName), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListGroupPoliciesOutput{PolicyNames: names, Marker: marker, IsTruncated: truncated}, nil
}

func (h *IAM) ListRolePolicies(ctx context.Context, in *iam.ListRolePoliciesInput) (*iam.ListRolePoliciesOutput, error) {
	names, marker, truncated, err := h.s.listInline(roleEntity, aws.ToString(in.RoleName), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: names, Marker: marker, IsTruncated: truncated}, nil
}
