package cli

import "testing"

// autoScalingSession uses every Auto Scaling operation the simulator answers: a launch
// template from EC2 and a launch configuration, groups and their errors, their instances
// (launched at once: the servers' clocks stand still, and a group acts after each request),
// capacity, terminations and health, activities, policies, scheduled actions, tags and
// target groups, then the deletes. Not yaml where the step changes state: the AWS CLI v1,
// which has no yaml, must change it too.
var autoScalingSession = []step{
	// What the groups launch.
	{args: []string{"ec2", "create-launch-template", "--launch-template-name", "web", "--launch-template-data", `{"ImageId":"ami-4fffc834","InstanceType":"t3.micro"}`,
		"--query", "LaunchTemplate.LaunchTemplateId", "--output", "text"}, capture: "lt"},
	{args: []string{"autoscaling", "create-launch-configuration", "--launch-configuration-name", "lc", "--image-id", "ami-4fffc834", "--instance-type", "t3.micro"}},
	{args: []string{"autoscaling", "create-launch-configuration", "--launch-configuration-name", "lc", "--image-id", "ami-4fffc834", "--instance-type", "t3.micro"}},
	{args: []string{"autoscaling", "create-launch-configuration", "--launch-configuration-name", "half", "--image-id", "ami-4fffc834"}},
	{args: []string{"autoscaling", "describe-launch-configurations"}},
	{args: []string{"autoscaling", "describe-launch-configurations", "--launch-configuration-names", "lc", "--output", "yaml"}},

	// Groups, and the rules of their sizes and sources.
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "web", "--launch-template", "LaunchTemplateId={lt},Version=$Latest",
		"--min-size", "2", "--max-size", "4", "--availability-zones", "us-east-1a", "us-east-1b", "--tags", "Key=Name,Value=web,PropagateAtLaunch=true"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "web", "--launch-configuration-name", "lc", "--min-size", "1", "--max-size", "1", "--availability-zones", "us-east-1a"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "big", "--launch-configuration-name", "lc", "--min-size", "1", "--max-size", "2", "--desired-capacity", "3", "--availability-zones", "us-east-1a"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "inverted", "--launch-configuration-name", "lc", "--min-size", "3", "--max-size", "2", "--availability-zones", "us-east-1a"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "nowhere", "--launch-configuration-name", "lc", "--min-size", "0", "--max-size", "1"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "ghost", "--launch-template", "LaunchTemplateName=nope", "--min-size", "0", "--max-size", "1", "--availability-zones", "us-east-1a"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "both", "--launch-configuration-name", "lc", "--launch-template", "LaunchTemplateName=web", "--min-size", "0", "--max-size", "1", "--availability-zones", "us-east-1a"}},
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "empty", "--launch-configuration-name", "lc", "--min-size", "0", "--max-size", "2", "--availability-zones", "us-east-1c"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].Instances[].[AvailabilityZone,LifecycleState,HealthStatus]", "--output", "text"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--output", "yaml"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--filters", "Name=tag:Name,Values=web", "--query", "AutoScalingGroups[].AutoScalingGroupName"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--max-items", "1", "--query", "AutoScalingGroups[].AutoScalingGroupName"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--filters", "Name=colour,Values=red"}},
	{args: []string{"autoscaling", "describe-auto-scaling-instances", "--output", "table"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].Instances[0].InstanceId", "--output", "text"}, capture: "i1"},

	// Capacity, terminations and health.
	{args: []string{"autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "3"}},
	{args: []string{"autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "9"}},
	{args: []string{"autoscaling", "update-auto-scaling-group", "--auto-scaling-group-name", "web", "--max-size", "3", "--health-check-grace-period", "60", "--default-cooldown", "120"}},
	{args: []string{"autoscaling", "update-auto-scaling-group", "--auto-scaling-group-name", "nope", "--max-size", "3"}},
	{args: []string{"autoscaling", "terminate-instance-in-auto-scaling-group", "--instance-id", "{i1}", "--no-should-decrement-desired-capacity", "--query", "Activity.[Description,StatusCode]", "--output", "text"}},
	{args: []string{"autoscaling", "terminate-instance-in-auto-scaling-group", "--instance-id", "i-0123456789abcdef0", "--should-decrement-desired-capacity"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].Instances[0].InstanceId", "--output", "text"}, capture: "i2"},
	{args: []string{"autoscaling", "set-instance-health", "--instance-id", "{i2}", "--health-status", "Unhealthy"}},
	{args: []string{"autoscaling", "set-instance-health", "--instance-id", "{i2}", "--health-status", "Sick"}},
	{args: []string{"autoscaling", "describe-scaling-activities", "--auto-scaling-group-name", "web", "--query", "Activities[].[Description,Cause,StatusCode]", "--output", "text"}},
	{args: []string{"autoscaling", "describe-scaling-activities", "--max-items", "2"}},

	// Policies.
	{args: []string{"autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "web", "--policy-name", "plus1", "--adjustment-type", "ChangeInCapacity", "--scaling-adjustment", "1", "--query", "PolicyARN", "--output", "text"}},
	{args: []string{"autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "web", "--policy-name", "steps", "--policy-type", "StepScaling", "--adjustment-type", "ExactCapacity",
		"--step-adjustments", "MetricIntervalLowerBound=0,MetricIntervalUpperBound=10,ScalingAdjustment=2", "MetricIntervalLowerBound=10,ScalingAdjustment=3"}},
	{args: []string{"autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "web", "--policy-name", "cpu50", "--policy-type", "TargetTrackingScaling",
		"--target-tracking-configuration", `{"TargetValue":50,"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"}}`, "--query", "length(Alarms)"}},
	{args: []string{"autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "web", "--policy-name", "bad", "--adjustment-type", "Lots", "--scaling-adjustment", "1"}},
	{args: []string{"autoscaling", "describe-policies", "--auto-scaling-group-name", "web", "--query", "ScalingPolicies[].[PolicyName,PolicyType,AdjustmentType]", "--output", "text"}},
	{args: []string{"autoscaling", "describe-policies", "--policy-types", "StepScaling", "--output", "table"}},
	{args: []string{"autoscaling", "execute-policy", "--auto-scaling-group-name", "web", "--policy-name", "steps", "--metric-value", "55", "--breach-threshold", "50"}},
	{args: []string{"autoscaling", "execute-policy", "--auto-scaling-group-name", "web", "--policy-name", "steps"}},
	{args: []string{"autoscaling", "execute-policy", "--auto-scaling-group-name", "web", "--policy-name", "plus1", "--honor-cooldown"}},
	{args: []string{"autoscaling", "delete-policy", "--auto-scaling-group-name", "web", "--policy-name", "cpu50"}},
	{args: []string{"autoscaling", "delete-policy", "--auto-scaling-group-name", "web", "--policy-name", "cpu50"}},

	// Scheduled actions.
	{args: []string{"autoscaling", "put-scheduled-update-group-action", "--auto-scaling-group-name", "web", "--scheduled-action-name", "night", "--start-time", "2099-01-01T00:00:00Z", "--desired-capacity", "2"}},
	{args: []string{"autoscaling", "put-scheduled-update-group-action", "--auto-scaling-group-name", "web", "--scheduled-action-name", "past", "--start-time", "2001-01-01T00:00:00Z", "--desired-capacity", "2"}},
	{args: []string{"autoscaling", "describe-scheduled-actions", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "delete-scheduled-action", "--auto-scaling-group-name", "web", "--scheduled-action-name", "night"}},
	{args: []string{"autoscaling", "delete-scheduled-action", "--auto-scaling-group-name", "web", "--scheduled-action-name", "night"}},

	// Lifecycle hooks: the new instance waits in Pending:Wait until completed.
	{args: []string{"autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up",
		"--lifecycle-transition", "autoscaling:EC2_INSTANCE_LAUNCHING", "--heartbeat-timeout", "300", "--default-result", "CONTINUE"}},
	{args: []string{"autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "bad", "--lifecycle-transition", "autoscaling:EC2_INSTANCE_REBOOTING"}},
	{args: []string{"autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "3"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].Instances[?LifecycleState==`Pending:Wait`].InstanceId", "--output", "text"}, capture: "waiting"},
	{args: []string{"autoscaling", "record-lifecycle-action-heartbeat", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up", "--instance-id", "{waiting}"}},
	{args: []string{"autoscaling", "complete-lifecycle-action", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up", "--instance-id", "{waiting}", "--lifecycle-action-result", "CONTINUE"}},
	{args: []string{"autoscaling", "complete-lifecycle-action", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up", "--instance-id", "{waiting}", "--lifecycle-action-result", "CONTINUE"}},
	{args: []string{"autoscaling", "delete-lifecycle-hook", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up"}},
	{args: []string{"autoscaling", "delete-lifecycle-hook", "--auto-scaling-group-name", "web", "--lifecycle-hook-name", "warm-up"}},

	// Instance refreshes: the first batch goes at once; the servers' clocks stand still.
	{args: []string{"autoscaling", "start-instance-refresh", "--auto-scaling-group-name", "web", "--preferences", "MinHealthyPercentage=50,InstanceWarmup=60"}},
	{args: []string{"autoscaling", "start-instance-refresh", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--query", "InstanceRefreshes[].[Status,PercentageComplete,InstancesToUpdate]", "--output", "text"}},
	{args: []string{"autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--output", "yaml"}},
	{args: []string{"autoscaling", "cancel-instance-refresh", "--auto-scaling-group-name", "web", "--query", "length(InstanceRefreshId)"}},
	{args: []string{"autoscaling", "cancel-instance-refresh", "--auto-scaling-group-name", "web"}},

	// Processes, protection, Standby, detaching and attaching.
	{args: []string{"autoscaling", "suspend-processes", "--auto-scaling-group-name", "web", "--scaling-processes", "Launch", "AZRebalance"}},
	{args: []string{"autoscaling", "suspend-processes", "--auto-scaling-group-name", "web", "--scaling-processes", "Nap"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].SuspendedProcesses"}},
	{args: []string{"autoscaling", "resume-processes", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "describe-scaling-process-types", "--output", "text"}},
	// Group metrics for CloudWatch.
	{args: []string{"autoscaling", "enable-metrics-collection", "--auto-scaling-group-name", "web", "--granularity", "1Minute", "--metrics", "GroupDesiredCapacity", "GroupInServiceInstances"}},
	{args: []string{"autoscaling", "enable-metrics-collection", "--auto-scaling-group-name", "web", "--granularity", "5Minute"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].EnabledMetrics"}},
	{args: []string{"autoscaling", "disable-metrics-collection", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "describe-metric-collection-types", "--output", "table"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query", "AutoScalingGroups[0].Instances[?LifecycleState==`InService`]|[0].InstanceId", "--output", "text"}, capture: "i3"},
	{args: []string{"autoscaling", "set-instance-protection", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}", "--protected-from-scale-in"}},
	{args: []string{"autoscaling", "set-instance-protection", "--auto-scaling-group-name", "web", "--instance-ids", "i-0123456789abcdef0", "--no-protected-from-scale-in"}},
	{args: []string{"autoscaling", "enter-standby", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}", "--should-decrement-desired-capacity", "--query", "Activities[0].[Description,StatusCode]", "--output", "text"}},
	{args: []string{"autoscaling", "enter-standby", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}", "--should-decrement-desired-capacity"}},
	{args: []string{"autoscaling", "exit-standby", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}", "--query", "Activities[0].Cause"}},
	{args: []string{"autoscaling", "detach-instances", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}", "--should-decrement-desired-capacity", "--query", "Activities[0].Description"}},
	{args: []string{"autoscaling", "attach-instances", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}"}},
	{args: []string{"autoscaling", "attach-instances", "--auto-scaling-group-name", "web", "--instance-ids", "{i3}"}},
	{args: []string{"autoscaling", "describe-account-limits"}},
	{args: []string{"autoscaling", "describe-adjustment-types", "--output", "table"}},
	{args: []string{"autoscaling", "describe-termination-policy-types"}},
	{args: []string{"autoscaling", "describe-lifecycle-hook-types", "--output", "text"}},

	// Tags.
	{args: []string{"autoscaling", "create-or-update-tags", "--tags", "ResourceId=web,ResourceType=auto-scaling-group,Key=env,Value=lab,PropagateAtLaunch=false"}},
	{args: []string{"autoscaling", "create-or-update-tags", "--tags", "ResourceId=nope,ResourceType=auto-scaling-group,Key=env,Value=lab,PropagateAtLaunch=false"}},
	{args: []string{"autoscaling", "describe-tags", "--output", "text"}},
	{args: []string{"autoscaling", "describe-tags", "--filters", "Name=key,Values=env"}},
	{args: []string{"autoscaling", "delete-tags", "--tags", "ResourceId=web,ResourceType=auto-scaling-group,Key=env"}},

	// Target groups, on the group without instances.
	{args: []string{"autoscaling", "attach-load-balancer-target-groups", "--auto-scaling-group-name", "empty", "--target-group-arns", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"}},
	{args: []string{"autoscaling", "attach-traffic-sources", "--auto-scaling-group-name", "empty", "--traffic-sources", "Identifier=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/fedcba9876543210"}},
	{args: []string{"autoscaling", "attach-load-balancer-target-groups", "--auto-scaling-group-name", "empty", "--target-group-arns", "web"}},
	{args: []string{"autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "empty", "--query", "AutoScalingGroups[0].[TargetGroupARNs,TrafficSources]"}},
	{args: []string{"autoscaling", "detach-load-balancer-target-groups", "--auto-scaling-group-name", "empty", "--target-group-arns", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"}},
	{args: []string{"autoscaling", "detach-traffic-sources", "--auto-scaling-group-name", "empty", "--traffic-sources", "Identifier=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/fedcba9876543210"}},

	// The command line's own errors (252).
	{args: []string{"autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "x", "--min-size", "1"}},
	{args: []string{"autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "many"}},

	// Deletes.
	{args: []string{"autoscaling", "delete-launch-configuration", "--launch-configuration-name", "lc"}},
	{args: []string{"autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "web"}},
	{args: []string{"autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "web", "--force-delete"}},
	{args: []string{"autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "empty"}},
	{args: []string{"autoscaling", "delete-launch-configuration", "--launch-configuration-name", "lc"}},
	{args: []string{"autoscaling", "delete-launch-configuration", "--launch-configuration-name", "lc"}},
	{args: []string{"autoscaling", "describe-scaling-activities", "--include-deleted-groups", "--query", "length(Activities)"}},
	{args: []string{"ec2", "describe-instances", "--filters", "Name=instance-state-name,Values=running", "--query", "length(Reservations)"}},
}

// Every Auto Scaling operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityAutoScalingSession(t *testing.T) {
	compareSession(t, autoScalingSession, nil)
}
