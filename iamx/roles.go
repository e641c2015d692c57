package iamx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// A Role is an IAM role: an identity with permissions and no credentials of its own, which
// those its trust policy names take on for a while ([AssumeRole]).
type Role struct {
	Name, ARN string
}

// RoleOptions tunes [CreateServiceRole] and [CreateCrossAccountRole].
type RoleOptions struct {
	// Description is shown in the console's list of roles.
	Description string
	// MaxSession is the longest session [AssumeRole] may ask for, from an hour (AWS's
	// default) to 12 hours.
	MaxSession time.Duration
	// ExternalID, for a role another account assumes, is the secret the trust policy requires
	// (sts:ExternalId): a third party that acts for several customers passes each one's own,
	// so that one customer cannot have it act on another's account (the "confused deputy").
	ExternalID string
	// RequireMFA lets the role be assumed only in a session signed in with MFA
	// (aws:MultiFactorAuthPresent), [AssumeOptions.MFASerial] and its code.
	RequireMFA bool
}

// trustDocument is a trust policy: principal (as IAM's Principal element has it) may assume
// the role, under the conditions the options add.
func trustDocument(principal map[string]string, o RoleOptions) string {
	st := map[string]any{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
	cond := map[string]any{}
	if o.ExternalID != "" {
		cond["StringEquals"] = map[string]string{"sts:ExternalId": o.ExternalID}
	}
	if o.RequireMFA {
		cond["Bool"] = map[string]string{"aws:MultiFactorAuthPresent": "true"}
	}
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
	return string(b)
}

// servicePrincipal is the principal of an AWS service: "ec2.amazonaws.com" as it is, "ec2"
// completed to it.
func servicePrincipal(service string) string {
	if strings.Contains(service, ".") {
		return service
	}
	return service + ".amazonaws.com"
}

// CreateServiceRole makes a role that the AWS service service may assume — its principal
// "lambda.amazonaws.com", or "lambda" for short — with the managed policies attached: the
// role a Lambda function, an ECS task or CloudFormation acts as. (An EC2 instance takes a
// role through an instance profile: [CreateInstanceRole].)
//
// It is all or nothing: if a policy cannot be attached, the role is deleted again and the
// error returned. A role that exists already is an error (EntityAlreadyExists), left as it was.
func CreateServiceRole(ctx context.Context, cfg aws.Config, name, service string, policyARNs []string, optFns ...func(*RoleOptions)) (*Role, error) {
	var o RoleOptions
	for _, f := range optFns {
		f(&o)
	}
	r, err := createRole(ctx, iam.NewFromConfig(cfg), name, trustDocument(map[string]string{"Service": servicePrincipal(service)}, o), policyARNs, o)
	if err != nil {
		return nil, fmt.Errorf("iamx: service role %q for %s: %w", name, service, err)
	}
	return r, nil
}

// CreateCrossAccountRole makes a role that the account account (12 digits) may assume,
// with the managed policies attached: the way to let another of your accounts, or a third
// party, act in this one without a user or keys of its own here. The other account's
// administrator then allows its users sts:AssumeRole on the role's ARN; they call
// [AssumeRole]. Options require an external ID ([RoleOptions.ExternalID]) or MFA
// ([RoleOptions.RequireMFA]).
//
// Like [CreateServiceRole] it is all or nothing.
func CreateCrossAccountRole(ctx context.Context, cfg aws.Config, name, account string, policyARNs []string, optFns ...func(*RoleOptions)) (*Role, error) {
	var o RoleOptions
	for _, f := range optFns {
		f(&o)
	}
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		return nil, fmt.Errorf("iamx: cross-account role %q: the account %q is not an account ID of 12 digits", name, account)
	}
	r, err := createRole(ctx, iam.NewFromConfig(cfg), name, trustDocument(map[string]string{"AWS": "arn:aws:iam::" + account + ":root"}, o), policyARNs, o)
	if err != nil {
		return nil, fmt.Errorf("iamx: cross-account role %q for %s: %w", name, account, err)
	}
	return r, nil
}

// createRole makes the role with its trust policy and attaches the policies; on a failure
// it deletes the role again.
func createRole(ctx context.Context, client *iam.Client, name, trust string, policyARNs []string, o RoleOptions) (*Role, error) {
	in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
	if o.Description != "" {
		in.Description = aws.String(o.Description)
	}
	if o.MaxSession != 0 {
		in.MaxSessionDuration = aws.Int32(int32(o.MaxSession / time.Second))
	}
	out, err := client.CreateRole(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, arn := range policyARNs {
		if _, err := client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}); err != nil {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if derr := deleteRole(uctx, client, name); derr != nil {
				return nil, fmt.Errorf("policy %s: %w; deleting the role failed too: %w", arn, err, derr)
			}
			return nil, fmt.Errorf("policy %s: %w (the role was deleted)", arn, err)
		}
	}
	return &Role{Name: name, ARN: aws.ToString(out.Role.Arn)}, nil
}

// DeleteRole deletes the IAM role called name with what IAM requires gone first: it takes
// the role out of its instance profiles (and deletes those named like the role that then
// hold nothing, as [CreateInstanceRole] makes them), detaches its managed policies and
// deletes its inline ones. A role that does not exist is no error, so DeleteRole is safe to
// re-run. The managed policies themselves are kept. Sessions already issued for the role
// keep working until they expire.
func DeleteRole(ctx context.Context, cfg aws.Config, name string) error {
	if err := deleteRole(ctx, iam.NewFromConfig(cfg), name); err != nil {
		return fmt.Errorf("iamx: delete role %q: %w", name, err)
	}
	return nil
}

func deleteRole(ctx context.Context, client *iam.Client, name string) error {
	role := aws.String(name)
	gone := func(err error) bool { return isCode(err, "NoSuchEntity") }
	profiles := iam.NewListInstanceProfilesForRolePaginator(client, &iam.ListInstanceProfilesForRoleInput{RoleName: role})
	for profiles.HasMorePages() {
		page, err := profiles.NextPage(ctx)
		if gone(err) {
			return nil // no such role
		}
		if err != nil {
			return err
		}
		for _, p := range page.InstanceProfiles {
			if _, err := client.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: p.InstanceProfileName, RoleName: role}); err != nil && !gone(err) {
				return fmt.Errorf("instance profile %s: %w", aws.ToString(p.InstanceProfileName), err)
			}
			// An instance profile holds one role at most: named like it, it was made for it.
			if aws.ToString(p.InstanceProfileName) == name {
				if _, err := client.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: p.InstanceProfileName}); err != nil && !gone(err) {
					return fmt.Errorf("instance profile %s: %w", name, err)
				}
			}
		}
	}
	attached := iam.NewListAttachedRolePoliciesPaginator(client, &iam.ListAttachedRolePoliciesInput{RoleName: role})
	for attached.HasMorePages() {
		page, err := attached.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.AttachedPolicies {
			if _, err := client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: p.PolicyArn}); err != nil && !gone(err) {
				return fmt.Errorf("policy %s: %w", aws.ToString(p.PolicyArn), err)
			}
		}
	}
	inline := iam.NewListRolePoliciesPaginator(client, &iam.ListRolePoliciesInput{RoleName: role})
	for inline.HasMorePages() {
		page, err := inline.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.PolicyNames {
			if _, err := client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: role, PolicyName: aws.String(p)}); err != nil && !gone(err) {
				return fmt.Errorf("inline policy %s: %w", p, err)
			}
		}
	}
	if _, err := client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role}); err != nil && !gone(err) {
		return err
	}
	return nil
}

// AssumeOptions tunes [AssumeRole].
type AssumeOptions struct {
	// SessionName names the session in CloudTrail and in the assumed role's ARN; "awsx" and
	// the time by default.
	SessionName string
	// ExternalID is the external ID the role's trust policy requires, if it does.
	ExternalID string
	// Duration is each session's length: an hour by default, up to the role's maximum.
	Duration time.Duration
	// MFASerial is the ARN of the caller's MFA device, when the role requires MFA; TokenCode
	// then returns its current code (stscreds.StdinTokenProvider asks at the terminal), and
	// is asked again at every refresh.
	MFASerial string
	TokenCode func() (string, error)
}

// AssumeRole returns a copy of cfg that acts as the role roleARN: its credentials are the
// role's temporary ones, from STS's AssumeRole called with cfg's, and they are refreshed
// before they expire (stscreds.AssumeRoleProvider in an aws.CredentialsCache), so the config
// serves a long-running program. The first session is asked for at once, so a role the
// caller may not assume is an error here (AccessDenied) rather than at the first call.
// A root user cannot assume roles: AWS refuses it.
func AssumeRole(ctx context.Context, cfg aws.Config, roleARN string, optFns ...func(*AssumeOptions)) (aws.Config, error) {
	var o AssumeOptions
	for _, f := range optFns {
		f(&o)
	}
	if (o.MFASerial == "") != (o.TokenCode == nil) {
		return aws.Config{}, errors.New("iamx: assume role " + roleARN + ": MFASerial and TokenCode go together")
	}
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleARN, func(p *stscreds.AssumeRoleOptions) {
		if o.SessionName != "" {
			p.RoleSessionName = o.SessionName
		} else {
			p.RoleSessionName = fmt.Sprintf("awsx-%d", time.Now().UnixNano())
		}
		if o.ExternalID != "" {
			p.ExternalID = aws.String(o.ExternalID)
		}
		if o.Duration != 0 {
			p.Duration = o.Duration
		}
		if o.MFASerial != "" {
			p.SerialNumber, p.TokenProvider = aws.String(o.MFASerial), o.TokenCode
		}
	})
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(provider)
	if _, err := out.Credentials.Retrieve(ctx); err != nil {
		return aws.Config{}, fmt.Errorf("iamx: assume role %s: %w", roleARN, err)
	}
	return out, nil
}
