package sim

import (
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/iamx/policy"
)

// clients are the SDK's clients of the simulated services: an operation exists when its
// client has a method of that name taking an …Input.
var clients = map[string]reflect.Type{
	"iam": reflect.TypeFor[*iam.Client](),
	"sts": reflect.TypeFor[*sts.Client](),
	"ec2": reflect.TypeFor[*ec2.Client](),
}

func knownOperation(service, op string) bool {
	t, ok := clients[service]
	if !ok {
		return false
	}
	m, ok := t.MethodByName(op)
	return ok && m.Type.NumIn() >= 3 && strings.HasSuffix(m.Type.In(2).String(), "."+op+"Input")
}

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
