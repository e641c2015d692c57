package asgsim

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/schemas"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is Auto Scaling's awsQuery, from the SDK's own schemas, made when it is first used.
var protocol = sync.OnceValue(func() service.Protocol {
	return query.FromSchema(schemas.AutoScaling_2011_01_01, (*autoscaling.Client)(nil)).Wire()
})

// Service returns Auto Scaling as the door serves it: each operation authorized on the
// group or launch configuration it names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "autoscaling",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(New(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			return append(service.On(s.resources(r.Region, r.In)...), s.passRole(r.Region, r.In)...), nil
		},
		Dialect: service.QueryDialect,
	}
}

// passRole is the permission to pass the role of a launch configuration's instance profile
// to EC2, which CreateLaunchConfiguration needs, as RunInstances does.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html
func (s *Store) passRole(region string, in any) []service.Access {
	lc, ok := in.(*autoscaling.CreateLaunchConfigurationInput)
	if !ok || lc.IamInstanceProfile == nil || s.profiles == nil {
		return nil
	}
	role, ok := s.profiles(*lc.IamInstanceProfile)
	if !ok || role == "" {
		return nil
	}
	return []service.Access{{Action: "iam:PassRole", Resource: role,
		Context: map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}}}
}

// resources names the ARNs a request acts on: the group
// (arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:UUID:autoScalingGroupName/NAME, with *
// for the UUID of a group not made yet) or the launch configuration; the Describe operations
// and the rest act on "*", as AWS authorizes them.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
func (s *Store) resources(region string, in any) []string {
	groupARN := func(name *string) []string {
		n := aws.ToString(name)
		if n == "" {
			return []string{"*"}
		}
		var arn string
		_ = s.read(region, func(r *regionState) error {
			if g, ok := r.Groups[n]; ok {
				arn = g.ARN
			}
			return nil
		})
		if arn == "" {
			arn = s.arn(region, "autoScalingGroup:*:autoScalingGroupName/"+n)
		}
		return []string{arn}
	}
	configARN := func(name *string) []string {
		return []string{s.arn(region, "launchConfiguration:*:launchConfigurationName/"+aws.ToString(name))}
	}
	switch in := in.(type) {
	case *autoscaling.CreateAutoScalingGroupInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.UpdateAutoScalingGroupInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DeleteAutoScalingGroupInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.SetDesiredCapacityInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.PutScalingPolicyInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DeletePolicyInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.ExecutePolicyInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.PutScheduledUpdateGroupActionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DeleteScheduledActionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.AttachLoadBalancerTargetGroupsInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DetachLoadBalancerTargetGroupsInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.AttachTrafficSourcesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DetachTrafficSourcesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.PutLifecycleHookInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DeleteLifecycleHookInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.CompleteLifecycleActionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.RecordLifecycleActionHeartbeatInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.SuspendProcessesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.ResumeProcessesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.SetInstanceProtectionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DetachInstancesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.AttachInstancesInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.EnterStandbyInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.ExitStandbyInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.StartInstanceRefreshInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.CancelInstanceRefreshInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.EnableMetricsCollectionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.DisableMetricsCollectionInput:
		return groupARN(in.AutoScalingGroupName)
	case *autoscaling.TerminateInstanceInAutoScalingGroupInput:
		return []string{"*"} // the group is the instance's, known only when it runs
	case *autoscaling.CreateLaunchConfigurationInput:
		return configARN(in.LaunchConfigurationName)
	case *autoscaling.DeleteLaunchConfigurationInput:
		return configARN(in.LaunchConfigurationName)
	}
	return []string{"*"}
}
