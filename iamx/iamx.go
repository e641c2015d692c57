package iamx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

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
func CreateAdminUser(ctx context.Context, cfg aws.Config, name string, optFns ...func(*AdminOptions)) (*Credentials, error) {
	o := AdminOptions{Group: "admin"}
	for _, f := range optFns {
		f(&o)
	}
	client := iam.NewFromConfig(cfg)
	if _, err := client.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(o.Group)}); err != nil && !isCode(err, "EntityAlreadyExists") {
		return nil, fmt.Errorf("iamx: admin user %q: group %q: %w", name, o.Group, err)
	}
	if _, err := client.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(o.Group), PolicyArn: aws.String(AdministratorAccess)}); err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: group %q: %w", name, o.Group, err)
	}
	creds, err := createUser(ctx, client, name, o.Password, o.PasswordResetRequired)
	if err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: %w", name, err)
	}
	if _, err := client.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(o.Group), UserName: aws.String(name)}); err != nil {
		return nil, fmt.Errorf("iamx: admin user %q: %w", name, err)
	}
	return creds, nil
}

// createUser makes a user with an access key and, given a password, a login profile.
func createUser(ctx context.Context, client *iam.Client, name, password string, reset bool) (*Credentials, error) {
	u, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, err
	}
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
func CreateUserWithPolicy(ctx context.Context, cfg aws.Config, name, policyName, document string) (*Credentials, error) {
	client := iam.NewFromConfig(cfg)
	creds, err := createUser(ctx, client, name, "", false)
	if err != nil {
		return nil, fmt.Errorf("iamx: user %q: %w", name, err)
	}
	if _, err := client.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String(name), PolicyName: aws.String(policyName), PolicyDocument: aws.String(document),
	}); err != nil {
		return nil, fmt.Errorf("iamx: user %q: policy %q: %w", name, policyName, err)
	}
	return creds, nil
}

// InstanceRole is a role EC2 instances can take on, and the instance profile that carries it.
type InstanceRole struct {
	RoleName, RoleARN                       string
	InstanceProfileName, InstanceProfileARN string
}

// ec2Trust lets EC2 assume a role on behalf of an instance.
const ec2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// CreateInstanceRole makes a role that trusts ec2.amazonaws.com, attaches the managed policies
// given, and wraps it in an instance profile of the same name — what an instance needs to call
// AWS without keys on disk.
func CreateInstanceRole(ctx context.Context, cfg aws.Config, name string, policyARNs ...string) (*InstanceRole, error) {
	client := iam.NewFromConfig(cfg)
	r, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(ec2Trust)})
	if err != nil {
		return nil, fmt.Errorf("iamx: instance role %q: %w", name, err)
	}
	for _, arn := range policyARNs {
		if _, err := client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}); err != nil {
			return nil, fmt.Errorf("iamx: instance role %q: %w", name, err)
		}
	}
	p, err := client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("iamx: instance role %q: %w", name, err)
	}
	if _, err := client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(name), RoleName: aws.String(name)}); err != nil {
		return nil, fmt.Errorf("iamx: instance role %q: %w", name, err)
	}
	return &InstanceRole{
		RoleName: name, RoleARN: aws.ToString(r.Role.Arn),
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
