package elbsim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// Resources returns the ARNs an ELB request acts on, for authorization: the door authorizes
// elasticloadbalancing:<Operation> on each. The resource types are the Service Authorization
// Reference's: loadbalancer/app|net/NAME/ID, targetgroup/NAME/ID, listener/app|net/…/ID and
// listener-rule/app|net/…/ID. A create names the resource-to-be with "*" for its ID; the
// Describe operations take no resource-level permissions ("*").
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
func Resources(account, region string, in any) []string {
	base := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":"
	one := func(arn *string) []string { return []string{aws.ToString(arn)} }
	switch in := in.(type) {
	case *elb.CreateLoadBalancerInput:
		kind := "app"
		if in.Type == "network" {
			kind = "net"
		}
		return []string{base + "loadbalancer/" + kind + "/" + aws.ToString(in.Name) + "/*"}
	case *elb.DeleteLoadBalancerInput:
		return one(in.LoadBalancerArn)
	case *elb.ModifyLoadBalancerAttributesInput:
		return one(in.LoadBalancerArn)
	case *elb.SetSecurityGroupsInput:
		return one(in.LoadBalancerArn)
	case *elb.SetSubnetsInput:
		return one(in.LoadBalancerArn)
	case *elb.CreateTargetGroupInput:
		return []string{base + "targetgroup/" + aws.ToString(in.Name) + "/*"}
	case *elb.ModifyTargetGroupInput:
		return one(in.TargetGroupArn)
	case *elb.DeleteTargetGroupInput:
		return one(in.TargetGroupArn)
	case *elb.ModifyTargetGroupAttributesInput:
		return one(in.TargetGroupArn)
	case *elb.RegisterTargetsInput:
		return one(in.TargetGroupArn)
	case *elb.DeregisterTargetsInput:
		return one(in.TargetGroupArn)
	case *elb.CreateListenerInput:
		return one(in.LoadBalancerArn)
	case *elb.ModifyListenerInput:
		return one(in.ListenerArn)
	case *elb.DeleteListenerInput:
		return one(in.ListenerArn)
	case *elb.AddListenerCertificatesInput:
		return one(in.ListenerArn)
	case *elb.RemoveListenerCertificatesInput:
		return one(in.ListenerArn)
	case *elb.CreateRuleInput:
		return one(in.ListenerArn)
	case *elb.ModifyRuleInput:
		return one(in.RuleArn)
	case *elb.DeleteRuleInput:
		return one(in.RuleArn)
	case *elb.SetRulePrioritiesInput:
		var out []string
		for _, p := range in.RulePriorities {
			out = append(out, aws.ToString(p.RuleArn))
		}
		return out
	case *elb.AddTagsInput:
		return in.ResourceArns
	case *elb.RemoveTagsInput:
		return in.ResourceArns
	}
	return []string{"*"}
}
