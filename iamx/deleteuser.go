package iamx

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// DeleteUser deletes the IAM user called name with what IAM requires gone first: its
// access keys, its console password (login profile), its group memberships, its inline
// policies and its attached managed policies. A user that does not exist is no error, so
// DeleteUser is safe to re-run, also after a failure halfway. A user with an MFA device, SSH
// public keys, signing certificates or service-specific (Git) credentials is refused by
// IAM with DeleteConflict, which DeleteUser returns: those are not removed for you.
//
// The groups and managed policies themselves are kept; only the user's ties to them go.
func DeleteUser(ctx context.Context, cfg aws.Config, name string) error {
	if err := deleteUser(ctx, iam.NewFromConfig(cfg), name); err != nil {
		return fmt.Errorf("iamx: delete user %q: %w", name, err)
	}
	return nil
}

func deleteUser(ctx context.Context, client *iam.Client, name string) error {
	user := aws.String(name)
	gone := func(err error) bool { return isCode(err, "NoSuchEntity") }
	keys := iam.NewListAccessKeysPaginator(client, &iam.ListAccessKeysInput{UserName: user})
	for keys.HasMorePages() {
		page, err := keys.NextPage(ctx)
		if gone(err) {
			return nil // no such user
		}
		if err != nil {
			return err
		}
		for _, k := range page.AccessKeyMetadata {
			if _, err := client.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: k.AccessKeyId}); err != nil && !gone(err) {
				return fmt.Errorf("access key %s: %w", aws.ToString(k.AccessKeyId), err)
			}
		}
	}
	if _, err := client.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: user}); err != nil && !gone(err) {
		return fmt.Errorf("login profile: %w", err)
	}
	groups := iam.NewListGroupsForUserPaginator(client, &iam.ListGroupsForUserInput{UserName: user})
	for groups.HasMorePages() {
		page, err := groups.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, g := range page.Groups {
			if _, err := client.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: user, GroupName: g.GroupName}); err != nil && !gone(err) {
				return fmt.Errorf("group %s: %w", aws.ToString(g.GroupName), err)
			}
		}
	}
	inline := iam.NewListUserPoliciesPaginator(client, &iam.ListUserPoliciesInput{UserName: user})
	for inline.HasMorePages() {
		page, err := inline.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.PolicyNames {
			if _, err := client.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: user, PolicyName: aws.String(p)}); err != nil && !gone(err) {
				return fmt.Errorf("inline policy %s: %w", p, err)
			}
		}
	}
	attached := iam.NewListAttachedUserPoliciesPaginator(client, &iam.ListAttachedUserPoliciesInput{UserName: user})
	for attached.HasMorePages() {
		page, err := attached.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.AttachedPolicies {
			if _, err := client.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: user, PolicyArn: p.PolicyArn}); err != nil && !gone(err) {
				return fmt.Errorf("policy %s: %w", aws.ToString(p.PolicyArn), err)
			}
		}
	}
	if _, err := client.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user}); err != nil && !gone(err) {
		return err
	}
	return nil
}
