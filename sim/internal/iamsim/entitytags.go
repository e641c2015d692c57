package iamsim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Tags on customer managed policies and instance profiles, and UpdateRoleDescription.

// withPolicy runs f on the account's managed policy arn under the write lock.
func (s *Store) withPolicy(arn string, f func(*managedPolicy) error) error {
	if err := checkPolicyARN("policyArn", arn); err != nil {
		return err
	}
	return update(s, s.customer, arn, f)
}

func (h *IAM) TagPolicy(ctx context.Context, in *iam.TagPolicyInput) (*iam.TagPolicyOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagPolicyOutput{}, h.s.withPolicy(aws.ToString(in.PolicyArn), func(p *managedPolicy) (err error) {
		p.Tags, err = mergeTags(p.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagPolicy(ctx context.Context, in *iam.UntagPolicyInput) (*iam.UntagPolicyOutput, error) {
	return &iam.UntagPolicyOutput{}, h.s.withPolicy(aws.ToString(in.PolicyArn), func(p *managedPolicy) error {
		p.Tags = removeTags(p.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListPolicyTags(ctx context.Context, in *iam.ListPolicyTagsInput) (*iam.ListPolicyTagsOutput, error) {
	out := &iam.ListPolicyTagsOutput{}
	return out, h.s.withPolicy(aws.ToString(in.PolicyArn), func(p *managedPolicy) error {
		out.Tags = nonNil(fromTags(p.Tags))
		return nil
	})
}

// withProfile runs f on the named instance profile under the write lock.
func (s *Store) withProfile(name string, f func(*instanceProfile) error) error {
	return update(s, s.profile, name, f)
}

func (h *IAM) TagInstanceProfile(ctx context.Context, in *iam.TagInstanceProfileInput) (*iam.TagInstanceProfileOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagInstanceProfileOutput{}, h.s.withProfile(aws.ToString(in.InstanceProfileName), func(ip *instanceProfile) (err error) {
		ip.Tags, err = mergeTags(ip.Tags, in.Tags)
		return err
	})
}

func (h *IAM) UntagInstanceProfile(ctx context.Context, in *iam.UntagInstanceProfileInput) (*iam.UntagInstanceProfileOutput, error) {
	return &iam.UntagInstanceProfileOutput{}, h.s.withProfile(aws.ToString(in.InstanceProfileName), func(ip *instanceProfile) error {
		ip.Tags = removeTags(ip.Tags, in.TagKeys)
		return nil
	})
}

func (h *IAM) ListInstanceProfileTags(ctx context.Context, in *iam.ListInstanceProfileTagsInput) (*iam.ListInstanceProfileTagsOutput, error) {
	out := &iam.ListInstanceProfileTagsOutput{}
	return out, h.s.withProfile(aws.ToString(in.InstanceProfileName), func(ip *instanceProfile) error {
		out.Tags = nonNil(fromTags(ip.Tags))
		return nil
	})
}

// UpdateRoleDescription is UpdateRole's older form, which answers with the role.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRoleDescription.html
func (h *IAM) UpdateRoleDescription(ctx context.Context, in *iam.UpdateRoleDescriptionInput) (*iam.UpdateRoleDescriptionOutput, error) {
	out := &iam.UpdateRoleDescriptionOutput{}
	return out, h.s.withRole(aws.ToString(in.RoleName), func(r *role) error {
		if isLinked(r) {
			return protectedRole(r.Name)
		}
		r.Description = aws.ToString(in.Description)
		out.Role = h.s.roleOut(r)
		return nil
	})
}

// listedProfile is ip as ListInstanceProfiles and ListInstanceProfilesForRole give it:
// without its tags, which GetInstanceProfile gives.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html
func (s *Store) listedProfile(ip *instanceProfile) *types.InstanceProfile {
	out := s.profileOut(ip)
	out.Tags = nil
	return out
}
