package sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/iamx/policy"
)

// stsTarget names what an STS request acts on: for AssumeRole the role, whose trust policy
// must allow the caller.
func (c *Cloud) stsTarget(r *request) target {
	in, ok := r.in.(*sts.AssumeRoleInput)
	if !ok {
		return target{arn: "*"}
	}
	arn := aws.ToString(in.RoleArn)
	t := target{arn: arn, trust: true, policies: []policy.Attached{}}
	if trust, ok := c.identity.Trust(arn); ok {
		t.policies = append(t.policies, policy.Attached{Name: arn + " trust policy", Policy: trust})
	}
	return t
}

// trustAllows applies AWS's rule for a role's trust policy within one account: the trust
// policy must allow the caller. One that names the caller (its ARN, or its role for a
// session) allows by itself; one that names only the account allows when the caller's
// identity policies allow sts:AssumeRole too — which is what d already weighs.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html
func trustAllows(d policy.Decision) bool {
	return d.Allowed() && d.ResourceAllows
}
