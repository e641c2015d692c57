package iamx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
)

// AdministratorAccess is the ARN of AWS's managed policy that allows everything.
const AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

// Credentials are a user's access key.
type Credentials struct {
	UserName        string
	UserARN         string
	AccessKeyID     string
	SecretAccessKey string
}

// AdminOptions tunes [CreateAdminUser].
type AdminOptions struct {
	// Group is the administrators' group, "admin" by default. It is created with
	// AdministratorAccess attached, or reused (and the policy attached) if it exists.
	Group string
	// Password, when set, gives the user a console login profile.
	Password string
	// PasswordResetRequired makes the user change the password at first sign-in.
	PasswordResetRequired bool
}

// CreateAdminUser does what the course asks first: an IAM user in an admin group that has
// AdministratorAccess, with an access key for the CLI, so that nobody works as root.
//
// It is all or nothing: if a step fails, what this call made is undone — the user (with
// its key, login profile and membership), the group if it made it, the policy if it
// attached it to a group that existed — and the error (wrapping IAM's) is returned. A user
// that exists already is an error (EntityAlreadyExists), and is left as it was. Undoing
// runs on a context of its own, so a cancelled ctx still cleans up.
//
// On AWS, IAM is free; the user's access key is a long-term secret to keep out of code.
func CreateAdminUser(ctx context.Context, cfg aws.Config, name string, optFns ...func(*AdminOptions)) (creds *Credentials, err error) {
	o := AdminOptions{Group: "admin"}
	for _, f := range optFns {
		f(&o)
	}
	client := iam.NewFromConfig(cfg)
	var undo []func(context.Context) error
	defer func() {
		if err == nil {
			return
		}
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		for i := len(undo) - 1; i >= 0; i-- {
			if uerr := undo[i](uctx); uerr != nil {
				err = errors.Join(err, fmt.Errorf("iamx: admin user %q: undoing: %w", name, uerr))
			}
		}
		creds = nil
	}()
	group := aws.String(o.Group)
	_, err = client.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: group})
	switch {
	case err == nil:
		undo = append(undo, func(ctx context.Context) error { return deleteGroup(ctx, client, o.Group) })
	case isCode(err, "EntityAlreadyExists"):
		attached, lerr := hasGroupPolicy(ctx, client, o.Group, AdministratorAccess)
		if lerr != nil {
			return nil, fmt.Errorf("iamx: admin user %q: group %q: %w", name, o.Group, lerr)
		}
		if !attached {
			undo = append(undo, func(ctx context.Context) error {
				_, err := client.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: group, PolicyArn: aws.String(AdministratorAccess)})
				if isCode(err, "NoSuchEntity") {
					return nil
				}
				return err
			})
		}
	default:
		return nil, fmt.Errorf("iamx: admin user %q: group %q: %w", name, o.Group, err)
	}
	if _, err = client.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: group, PolicyArn: aws.String(AdministratorAccess)}); err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: group %q: %w", name, o.Group, err)
	}
	creds, err = createUser(ctx, client, name, o.Password, o.PasswordResetRequired, &undo)
	if err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: %w", name, err)
	}
	if _, err = client.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: group, UserName: aws.String(name)}); err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: %w", name, err)
	}
	return creds, nil
}

// hasGroupPolicy reports whether the managed policy arn is attached to the group.
func hasGroupPolicy(ctx context.Context, client *iam.Client, group, arn string) (bool, error) {
	p := iam.NewListAttachedGroupPoliciesPaginator(client, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return false, err
		}
		for _, a := range page.AttachedPolicies {
			if aws.ToString(a.PolicyArn) == arn {
				return true, nil
			}
		}
	}
	return false, nil
}

// deleteGroup detaches the group's managed policies, deletes its inline ones and the group.
func deleteGroup(ctx context.Context, client *iam.Client, group string) error {
	name := aws.String(group)
	ap := iam.NewListAttachedGroupPoliciesPaginator(client, &iam.ListAttachedGroupPoliciesInput{GroupName: name})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if isCode(err, "NoSuchEntity") {
			return nil
		}
		if err != nil {
			return err
		}
		for _, a := range page.AttachedPolicies {
			if _, err := client.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: name, PolicyArn: a.PolicyArn}); err != nil && !isCode(err, "NoSuchEntity") {
				return err
			}
		}
	}
	ip := iam.NewListGroupPoliciesPaginator(client, &iam.ListGroupPoliciesInput{GroupName: name})
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.PolicyNames {
			if _, err := client.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: name, PolicyName: aws.String(p)}); err != nil && !isCode(err, "NoSuchEntity") {
				return err
			}
		}
	}
	if _, err := client.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: name}); err != nil && !isCode(err, "NoSuchEntity") {
		return err
	}
	return nil
}

// createUser makes a user with an access key and, given a password, a login profile; it
// adds the user's deletion to undo once the user exists.
func createUser(ctx context.Context, client *iam.Client, name, password string, reset bool, undo *[]func(context.Context) error) (*Credentials, error) {
	u, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	*undo = append(*undo, func(ctx context.Context) error { return deleteUser(ctx, client, name) })
	if password != "" {
		if _, err := client.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
			UserName: aws.String(name), Password: aws.String(password), PasswordResetRequired: reset,
		}); err != nil {
			return nil, err
		}
	}
	k, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	return &Credentials{
		UserName: name, UserARN: aws.ToString(u.User.Arn),
		AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey),
	}, nil
}

// CreateUserWithPolicy makes a user whose only permissions are document, an identity policy
// kept inline under the name policyName: the least-privilege lesson's user.
// Like [CreateAdminUser] it is all or nothing: a user whose policy is refused is deleted.
func CreateUserWithPolicy(ctx context.Context, cfg aws.Config, name, policyName, document string) (*Credentials, error) {
	client := iam.NewFromConfig(cfg)
	var undo []func(context.Context) error
	creds, err := createUser(ctx, client, name, "", false, &undo)
	if err == nil {
		_, err = client.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String(name), PolicyName: aws.String(policyName), PolicyDocument: aws.String(document),
		})
		if err != nil {
			err = fmt.Errorf("policy %q: %w", policyName, err)
		}
	}
	if err != nil {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		for _, u := range undo {
			if uerr := u(uctx); uerr != nil {
				err = errors.Join(err, fmt.Errorf("undoing: %w", uerr))
			}
		}
		return nil, fmt.Errorf("iamx: user %q: %w", name, err)
	}
	return creds, nil
}

// InstanceRole is a role EC2 instances can take on, and the instance profile that carries it.
type InstanceRole struct {
	RoleName, RoleARN                       string
	InstanceProfileName, InstanceProfileARN string
}

// CreateInstanceRole makes a role that trusts ec2.amazonaws.com, attaches the managed policies
// given, and wraps it in an instance profile of the same name — what an instance needs to call
// AWS without keys on disk. It is all or nothing: if a step fails, the role and the profile
// are deleted again ([DeleteRole] deletes them together too).
func CreateInstanceRole(ctx context.Context, cfg aws.Config, name string, policyARNs ...string) (*InstanceRole, error) {
	client := iam.NewFromConfig(cfg)
	r, err := createRole(ctx, client, name, trustDocument(map[string]string{"Service": "ec2.amazonaws.com"}, RoleOptions{}), policyARNs, RoleOptions{})
	if err != nil {
		return nil, fmt.Errorf("iamx: instance role %q: %w", name, err)
	}
	p, err := client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)})
	if err == nil {
		_, err = client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(name), RoleName: aws.String(name)})
		if err != nil {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			if _, derr := client.DeleteInstanceProfile(uctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(name)}); derr != nil && !isCode(derr, "NoSuchEntity") {
				err = errors.Join(err, fmt.Errorf("deleting the instance profile: %w", derr))
			}
		}
	}
	if err != nil {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if derr := deleteRole(uctx, client, name); derr != nil {
			return nil, fmt.Errorf("iamx: instance role %q: %w; deleting the role failed too: %w", name, err, derr)
		}
		return nil, fmt.Errorf("iamx: instance role %q: %w (the role was deleted)", name, err)
	}
	return &InstanceRole{
		RoleName: name, RoleARN: r.ARN,
		InstanceProfileName: name, InstanceProfileARN: aws.ToString(p.InstanceProfile.Arn),
	}, nil
}

// Explanation is IAM's answer to "may this principal do this action on this resource?".
type Explanation struct {
	Action, Resource string
	Allowed          bool
	Decision         string   // "allowed", "explicitDeny" or "implicitDeny"
	Statements       []string // the policies whose statements decided, e.g. "AdministratorAccess (aws-managed)"
}

// String reads like a sentence: "ec2:TerminateInstances on *: explicitDeny by ec2-no-terminate (user-managed)".
func (e Explanation) String() string {
	s := e.Action + " on " + e.Resource + ": " + e.Decision
	if len(e.Statements) > 0 {
		s += " by"
		for i, st := range e.Statements {
			if i > 0 {
				s += ","
			}
			s += " " + st
		}
	}
	return s
}

// Explain asks IAM's policy simulator whether principalARN (a user, group or role) may perform
// action on resource ("*" when it has none), and which policy decided.
func Explain(ctx context.Context, cfg aws.Config, principalARN, action, resource string) (*Explanation, error) {
	if resource == "" {
		resource = "*"
	}
	out, err := iam.NewFromConfig(cfg).SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(principalARN), ActionNames: []string{action}, ResourceArns: []string{resource},
	})
	if err != nil {
		return nil, fmt.Errorf("iamx: explain %s for %s: %w", action, principalARN, err)
	}
	if len(out.EvaluationResults) != 1 {
		return nil, fmt.Errorf("iamx: explain %s for %s: %d results, want 1", action, principalARN, len(out.EvaluationResults))
	}
	r := out.EvaluationResults[0]
	e := &Explanation{
		Action: action, Resource: resource, Decision: string(r.EvalDecision),
		Allowed: r.EvalDecision == types.PolicyEvaluationDecisionTypeAllowed,
	}
	for _, st := range r.MatchedStatements {
		e.Statements = append(e.Statements, fmt.Sprintf("%s (%s)", aws.ToString(st.SourcePolicyId), st.SourcePolicyType))
	}
	return e, nil
}

// DecodeDocument returns a policy document as IAM's API returns it (URL-encoded) as JSON text.
func DecodeDocument(encoded string) (string, error) {
	doc, err := url.QueryUnescape(encoded)
	if err != nil {
		return "", fmt.Errorf("iamx: decode policy document: %w", err)
	}
	if !json.Valid([]byte(doc)) {
		return "", fmt.Errorf("iamx: decode policy document: not JSON: %.40q", doc)
	}
	return doc, nil
}

func isCode(err error, code string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == code
}
