// Package asgsim simulates Amazon EC2 Auto Scaling: launch configurations, groups and their
// instances, scaling activities, scaling policies, scheduled actions and tags, in AWS's
// awsQuery protocol from the SDK's own schemas (query.FromSchema).
//
// # What a group does
//
// The state is records; what AWS does between requests happens in the reconciliation
// (reconcile.go), run after each request that changes a group and by [Store.Settle], which
// the simulator calls whenever its clock moves. It acts on the other services only through
// the functions given to [NewStore] — EC2's DescribeInstances, RunInstances and
// TerminateInstances, CloudWatch's PutMetricAlarm and DeleteAlarms, ELBv2's RegisterTargets,
// DeregisterTargets and DescribeTargetHealth — which the simulator runs through its door as the account, standing
// for the service-linked role AWSServiceRoleForAutoScaling. No call to another service is
// made under the store's lock: CloudWatch executes a policy through [Store.AlarmAction],
// which only changes the desired capacity, and the instances follow at the next Settle.
//
// # Group metrics
//
// EnableMetricsCollection (granularity 1Minute) publishes the metrics it names — every one
// when it names none — to CloudWatch's AWS/AutoScaling with the dimension
// AutoScalingGroupName and the unit None, a point a minute from then on, read by CloudWatch
// through [Store.Metrics]. Instances have no weights, so each capacity metric is its count
// of instances; the group has no warm pool, so the WarmPool… metrics are 0.
//
// # Scope and limitations
//
// Instances are InService as soon as EC2 runs them, unless a lifecycle hook holds them in
// Pending:Wait (hooks.go; their notifications are not sent); their health is EC2's
// (terminated or stopped is Unhealthy), what SetInstanceHealth says, and for a group of
// health check type ELB what its target groups report ([Store.ReadTargetHealth]). Instance
// refreshes replace instances in batches (refresh.go) without checkpoints, alarms or
// rollback. Warm pools, recurring scheduled actions and predictive scaling are not simulated
// and are answered NotImplemented. A scaling activity takes no time: the cooldown of a policy
// starts when it executes.
package asgsim
