package sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
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

// ec2Target names the instances an EC2 request acts on, so that identity policies may name
// them (arn:aws:ec2:region:account:instance/i-…): each instance of StartInstances,
// StopInstances, RebootInstances and TerminateInstances, the instance of Describe- and
// ModifyInstanceAttribute; for RunInstances, the new instances (instance/*) and the image,
// and its Spot requests (spot-instances-request/*) when it launches Spot Instances; for
// RequestSpotInstances the new requests and the image; for CancelSpotInstanceRequests each
// request (spot-instances-request/sir-…).
// Other operations, which AWS authorizes on "*" or which the simulator does not name yet, act
// on "*".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (c *Cloud) ec2Target(r *request) target {
	instances := "arn:aws:ec2:" + r.region + ":" + c.opts.account + ":instance/"
	spot := "arn:aws:ec2:" + r.region + ":" + c.opts.account + ":spot-instances-request/"
	var ids []string
	switch in := r.in.(type) {
	case *ec2.RunInstancesInput:
		t := target{arn: instances + "*", also: []string{"arn:aws:ec2:" + r.region + "::image/" + aws.ToString(in.ImageId)}}
		if in.InstanceMarketOptions != nil {
			t.also = append(t.also, spot+"*")
		}
		return t
	case *ec2.RequestSpotInstancesInput:
		t := target{arn: spot + "*"}
		if in.LaunchSpecification != nil {
			t.also = []string{"arn:aws:ec2:" + r.region + "::image/" + aws.ToString(in.LaunchSpecification.ImageId)}
		}
		return t
	case *ec2.CancelSpotInstanceRequestsInput:
		if len(in.SpotInstanceRequestIds) == 0 {
			return target{arn: "*"}
		}
		t := target{arn: spot + in.SpotInstanceRequestIds[0]}
		for _, id := range in.SpotInstanceRequestIds[1:] {
			t.also = append(t.also, spot+id)
		}
		return t
	case *ec2.StartInstancesInput:
		ids = in.InstanceIds
	case *ec2.StopInstancesInput:
		ids = in.InstanceIds
	case *ec2.RebootInstancesInput:
		ids = in.InstanceIds
	case *ec2.TerminateInstancesInput:
		ids = in.InstanceIds
	case *ec2.DescribeInstanceAttributeInput:
		ids = []string{aws.ToString(in.InstanceId)}
	case *ec2.ModifyInstanceAttributeInput:
		ids = []string{aws.ToString(in.InstanceId)}
	}
	if len(ids) == 0 {
		return target{arn: "*"}
	}
	t := target{arn: instances + ids[0]}
	for _, id := range ids[1:] {
		t.also = append(t.also, instances+id)
	}
	return t
}
