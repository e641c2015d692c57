package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// asgFixture is an account with a launch template "web" and two default subnets in two
// zones.
type asgFixture struct {
	ec2     *ec2.Client
	as      *autoscaling.Client
	subnets []string // in zones us-east-1a and us-east-1b
	zones   []string
}

func newASGFixture(t *testing.T, c *conformance.Account) asgFixture {
	t.Helper()
	ctx := context.Background()
	f := asgFixture{ec2: ec2Client(t, c), as: autoscaling.NewFromConfig(c.Config())}
	sns := must(f.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("default-for-az", "true"),
		filter("availability-zone", "us-east-1a", "us-east-1b")}}))(t).Subnets
	if len(sns) != 2 {
		t.Fatalf("%d default subnets in us-east-1a and b", len(sns))
	}
	for _, sn := range sns {
		f.subnets, f.zones = append(f.subnets, *sn.SubnetId), append(f.zones, *sn.AvailabilityZone)
	}
	must(f.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT3Micro}}))(t)
	return f
}

// group describes one group.
func (f asgFixture) group(t *testing.T, name string) astypes.AutoScalingGroup {
	t.Helper()
	gs := must(f.as.DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}}))(t).AutoScalingGroups
	if len(gs) != 1 {
		t.Fatalf("%d groups called %s", len(gs), name)
	}
	return gs[0]
}

// inService returns the IDs of the group's InService instances, by zone.
func inService(g astypes.AutoScalingGroup) map[string][]string {
	out := map[string][]string{}
	for _, i := range g.Instances {
		if i.LifecycleState == astypes.LifecycleStateInService {
			out[*i.AvailabilityZone] = append(out[*i.AvailabilityZone], *i.InstanceId)
		}
	}
	return out
}

func count(m map[string][]string) int {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return n
}

// activities returns the group's activities, newest first.
func (f asgFixture) activities(t *testing.T, name string) []astypes.Activity {
	t.Helper()
	return must(f.as.DescribeScalingActivities(context.Background(), &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String(name)}))(t).Activities
}

func ec2State(t *testing.T, client *ec2.Client, id string) types.Instance {
	t.Helper()
	res := must(client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))(t).Reservations
	return res[0].Instances[0]
}

// The course's group: two instances over two subnets, one terminated and replaced when the
// clock moves, the capacity changed, an instance marked unhealthy, the group deleted.
func TestAutoScalingGroupKeepsItsCount(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		f := newASGFixture(t, c)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(2), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2),
			LaunchTemplate:    &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web"), Version: aws.String("$Latest")},
			VPCZoneIdentifier: aws.String(strings.Join(f.subnets, ",")),
			Tags: []astypes.Tag{{Key: aws.String("Name"), Value: aws.String("web"), PropagateAtLaunch: aws.Bool(true)},
				{Key: aws.String("team"), Value: aws.String("a"), PropagateAtLaunch: aws.Bool(false)}},
		}))(t)
		g := f.group(t, "web")
		zones := inService(g)
		if len(zones[f.zones[0]]) != 1 || len(zones[f.zones[1]]) != 1 || *g.DesiredCapacity != 2 || *g.HealthCheckType != "EC2" ||
			*g.VPCZoneIdentifier != strings.Join(f.subnets, ",") || !strings.HasPrefix(*g.AutoScalingGroupARN, "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:") {
			t.Fatalf("group = %+v, instances by zone %v", g, zones)
		}
		first := zones[f.zones[0]][0]
		i := ec2State(t, f.ec2, first)
		if tagOf(i.Tags, "aws:autoscaling:groupName") != "web" || tagOf(i.Tags, "Name") != "web" || tagOf(i.Tags, "team") != "" ||
			tagOf(i.Tags, "aws:ec2launchtemplate:version") != "1" || *i.SubnetId != f.subnets[0] || i.InstanceType != types.InstanceTypeT3Micro {
			t.Errorf("instance %s: subnet %s, type %s, tags %+v", first, aws.ToString(i.SubnetId), i.InstanceType, i.Tags)
		}
		acts := f.activities(t, "web")
		if len(acts) != 2 {
			t.Fatalf("%d activities", len(acts))
		}
		for _, a := range acts {
			want := "At 2026-07-12T15:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.  " +
				"At 2026-07-12T15:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2."
			if !strings.HasPrefix(*a.Description, "Launching a new EC2 instance: i-") || *a.Cause != want || a.StatusCode != astypes.ScalingActivityStatusCodeSuccessful || *a.Progress != 100 {
				t.Errorf("activity %q, cause %q, status %s", *a.Description, *a.Cause, a.StatusCode)
			}
		}

		// Terminated behind the group's back: replaced when the clock moves, in its zone.
		must(f.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{first}}))(t)
		c.Advance(t, time.Minute)
		zones = inService(f.group(t, "web"))
		if count(zones) != 2 || len(zones[f.zones[0]]) != 1 || zones[f.zones[0]][0] == first {
			t.Fatalf("after a termination: %v", zones)
		}
		acts = f.activities(t, "web")
		if *acts[1].Description != "Terminating EC2 instance: "+first ||
			*acts[1].Cause != "At 2026-07-12T15:01:00Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped." ||
			*acts[0].Cause != "At 2026-07-12T15:01:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2." {
			t.Errorf("activities after the replacement: %q / %q, %q / %q", *acts[0].Description, *acts[0].Cause, *acts[1].Description, *acts[1].Cause)
		}

		// A stopped instance fails the EC2 health check too.
		stopped := zones[f.zones[1]][0]
		must(f.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopped}}))(t)
		c.Advance(t, time.Minute)
		zones = inService(f.group(t, "web"))
		if count(zones) != 2 || zones[f.zones[1]][0] == stopped || ec2State(t, f.ec2, stopped).State.Name != types.InstanceStateNameTerminated {
			t.Fatalf("after a stop: %v", zones)
		}

		// More, then fewer: the zones stay balanced.
		must(f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("web"), DesiredCapacity: aws.Int32(4)}))(t)
		zones = inService(f.group(t, "web"))
		if len(zones[f.zones[0]]) != 2 || len(zones[f.zones[1]]) != 2 {
			t.Fatalf("at 4: %v", zones)
		}
		if a := f.activities(t, "web")[0]; !strings.HasPrefix(*a.Cause, "At 2026-07-12T15:02:00Z a user request explicitly set group desired capacity changing the desired capacity from 2 to 4.  ") {
			t.Errorf("cause = %q", *a.Cause)
		}
		must(f.as.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(0), DesiredCapacity: aws.Int32(2)}))(t)
		zones = inService(f.group(t, "web"))
		if len(zones[f.zones[0]]) != 1 || len(zones[f.zones[1]]) != 1 {
			t.Fatalf("back at 2: %v", zones)
		}
		if a := f.activities(t, "web")[0]; !strings.HasPrefix(*a.Description, "Terminating EC2 instance: ") ||
			!strings.HasPrefix(*a.Cause, "At 2026-07-12T15:02:00Z a user request update of AutoScalingGroup constraints to min: 0, max: 4, desired: 2 changing the desired capacity from 4 to 2.  ") {
			t.Errorf("scale in: %q, %q", *a.Description, *a.Cause)
		}

		// Terminated through Auto Scaling: replaced, or not when the capacity goes down.
		victim := zones[f.zones[0]][0]
		out := must(f.as.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: aws.String(victim), ShouldDecrementDesiredCapacity: aws.Bool(false)}))(t)
		if *out.Activity.Description != "Terminating EC2 instance: "+victim || *out.Activity.Cause != "At 2026-07-12T15:02:00Z instance "+victim+" was taken out of service in response to a user request." {
			t.Errorf("terminate: %q, %q", *out.Activity.Description, *out.Activity.Cause)
		}
		if n := count(inService(f.group(t, "web"))); n != 2 {
			t.Errorf("%d in service after a termination without decrement", n)
		}
		victim = inService(f.group(t, "web"))[f.zones[1]][0]
		out = must(f.as.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: aws.String(victim), ShouldDecrementDesiredCapacity: aws.Bool(true)}))(t)
		if g := f.group(t, "web"); count(inService(g)) != 1 || *g.DesiredCapacity != 1 || !strings.HasSuffix(*out.Activity.Cause, "shrinking the capacity from 2 to 1.") {
			t.Errorf("after a termination with decrement: desired %d, %v, cause %q", *g.DesiredCapacity, inService(g), *out.Activity.Cause)
		}

		// Unhealthy: replaced.
		sick := f.group(t, "web").Instances[0].InstanceId
		must(f.as.SetInstanceHealth(ctx, &autoscaling.SetInstanceHealthInput{InstanceId: sick, HealthStatus: aws.String("Unhealthy")}))(t)
		if g := f.group(t, "web"); count(inService(g)) != 1 || *g.Instances[0].InstanceId == *sick {
			t.Errorf("after Unhealthy: %+v", g.Instances)
		}

		details := must(f.as.DescribeAutoScalingInstances(ctx, &autoscaling.DescribeAutoScalingInstancesInput{}))(t).AutoScalingInstances
		if len(details) != 1 || *details[0].AutoScalingGroupName != "web" || *details[0].HealthStatus != "HEALTHY" || *details[0].LaunchTemplate.LaunchTemplateName != "web" {
			t.Errorf("instances = %+v", details)
		}

		// Deleting: refused while it has instances, unless forced.
		_, err := f.as.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: aws.String("web")})
		wantCode(t, err, "ResourceInUse")
		last := *f.group(t, "web").Instances[0].InstanceId
		must(f.as.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), ForceDelete: aws.Bool(true)}))(t)
		if gs := must(f.as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}))(t).AutoScalingGroups; len(gs) != 0 {
			t.Errorf("groups after delete: %+v", gs)
		}
		if st := ec2State(t, f.ec2, last).State.Name; st != types.InstanceStateNameTerminated {
			t.Errorf("the deleted group's instance is %s", st)
		}
		acts = must(f.as.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("web"), IncludeDeletedGroups: aws.Bool(true)}))(t).Activities
		if len(acts) < 10 {
			t.Errorf("%d activities of the deleted group", len(acts))
		}
	})
}

func TestAutoScalingErrors(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		f := newASGFixture(t, c)
		lt := &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}
		create := func(mod func(in *autoscaling.CreateAutoScalingGroupInput)) error {
			in := &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), MinSize: aws.Int32(1), MaxSize: aws.Int32(2),
				LaunchTemplate: lt, VPCZoneIdentifier: aws.String(f.subnets[0])}
			mod(in)
			_, err := f.as.CreateAutoScalingGroup(ctx, in)
			return err
		}
		for _, tc := range []struct {
			name, code, msg string
			mod             func(in *autoscaling.CreateAutoScalingGroupInput)
		}{
			{"desired above max", "ValidationError", "Desired capacity:3 must be between the specified min size:1 and max size:2",
				func(in *autoscaling.CreateAutoScalingGroupInput) { in.DesiredCapacity = aws.Int32(3) }},
			{"min above max", "ValidationError", "Max bound, 2, must be greater than or equal to min bound, 3",
				func(in *autoscaling.CreateAutoScalingGroupInput) { in.MinSize = aws.Int32(3) }},
			{"no network", "ValidationError", "At least one Availability Zone or VPC Subnet is required.",
				func(in *autoscaling.CreateAutoScalingGroupInput) { in.VPCZoneIdentifier = nil }},
			{"no such subnet", "ValidationError", "The subnet ID 'subnet-0123456789abcdef0' does not exist",
				func(in *autoscaling.CreateAutoScalingGroupInput) {
					in.VPCZoneIdentifier = aws.String("subnet-0123456789abcdef0")
				}},
			{"no such template", "ValidationError", "You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.",
				func(in *autoscaling.CreateAutoScalingGroupInput) {
					in.LaunchTemplate = &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("nope")}
				}},
			{"two sources", "ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
				func(in *autoscaling.CreateAutoScalingGroupInput) { in.LaunchConfigurationName = aws.String("lc") }},
			{"no such configuration", "ValidationError", "Launch configuration name not found - Launch configuration lc not found",
				func(in *autoscaling.CreateAutoScalingGroupInput) {
					in.LaunchTemplate, in.LaunchConfigurationName = nil, aws.String("lc")
				}},
			{"bad zone", "ValidationError", "The availability zone us-east-1z is not legally formatted or is not available.",
				func(in *autoscaling.CreateAutoScalingGroupInput) {
					in.VPCZoneIdentifier, in.AvailabilityZones = nil, []string{"us-east-1z"}
				}},
			{"reserved tag", "ValidationError", "Tag keys starting with 'aws:' are reserved for internal use",
				func(in *autoscaling.CreateAutoScalingGroupInput) {
					in.Tags = []astypes.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}
				}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := create(tc.mod)
				wantCode(t, err, tc.code)
				if !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("message: %v, want %q", err, tc.msg)
				}
			})
		}
		if n := len(must(f.as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}))(t).AutoScalingGroups); n != 0 {
			t.Fatalf("%d groups after refusals", n)
		}
		if err := create(func(*autoscaling.CreateAutoScalingGroupInput) {}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, create(func(*autoscaling.CreateAutoScalingGroupInput) {}), "AlreadyExists")
		_, err := f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("g"), DesiredCapacity: aws.Int32(5)})
		wantCode(t, err, "ValidationError")
		_, err = f.as.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("nope"), MinSize: aws.Int32(0)})
		wantCode(t, err, "ValidationError")
		_, err = f.as.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: aws.String("i-0123456789abcdef0"), ShouldDecrementDesiredCapacity: aws.Bool(true)})
		wantCode(t, err, "ValidationError")
		id := f.group(t, "g").Instances[0].InstanceId
		_, err = f.as.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{InstanceId: id, ShouldDecrementDesiredCapacity: aws.Bool(true)})
		wantCode(t, err, "ValidationError") // below the minimum of 1

		// A launch configuration in use cannot go.
		must(f.as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"), ImageId: aws.String("ami-4fffc834"), InstanceType: aws.String("t3.micro")}))(t)
		_, err = f.as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"), ImageId: aws.String("ami-4fffc834"), InstanceType: aws.String("t3.micro")})
		wantCode(t, err, "AlreadyExists")
		must(f.as.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), LaunchConfigurationName: aws.String("lc")}))(t)
		_, err = f.as.DeleteLaunchConfiguration(ctx, &autoscaling.DeleteLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc")})
		wantCode(t, err, "ResourceInUse")

		// A launch that EC2 refuses is a failed activity, recorded once.
		must(f.ec2.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateName: aws.String("web")}))(t)
		must(f.as.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), LaunchConfigurationName: aws.String("lc")}))(t)
		must(f.as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("bad"), ImageId: aws.String("ami-00000000"), InstanceType: aws.String("t3.micro")}))(t)
		must(f.as.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), LaunchConfigurationName: aws.String("bad"), DesiredCapacity: aws.Int32(2)}))(t)
		must(f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("g"), DesiredCapacity: aws.Int32(2)}))(t)
		failed := 0
		for _, a := range f.activities(t, "g") {
			if a.StatusCode == astypes.ScalingActivityStatusCodeFailed {
				failed++
				if !strings.HasPrefix(*a.Description, "Launching a new EC2 instance.  Status Reason: ") || a.StatusMessage == nil {
					t.Errorf("failed activity: %q", *a.Description)
				}
			}
		}
		if failed != 1 {
			t.Errorf("%d failed activities, want 1", failed)
		}
	})
}

// A target tracking policy makes its two alarms; CPU above the target scales the group out
// when the clock moves. Simple and step policies run through ExecutePolicy.
func TestAutoScalingPolicies(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		cloud := c.Cloud(t)
		f := newASGFixture(t, c)
		// Launch configurations monitor in detail by default: one-minute metrics.
		must(f.as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"), ImageId: aws.String("ami-4fffc834"), InstanceType: aws.String("t3.micro")}))(t)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(1), MaxSize: aws.Int32(4),
			LaunchConfigurationName: aws.String("lc"), AvailabilityZones: f.zones}))(t)
		pol := must(f.as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("cpu50"),
			PolicyType: aws.String("TargetTrackingScaling"), TargetTrackingConfiguration: &astypes.TargetTrackingConfiguration{
				TargetValue: aws.Float64(50), PredefinedMetricSpecification: &astypes.PredefinedMetricSpecification{PredefinedMetricType: astypes.MetricTypeASGAverageCPUUtilization}}}))(t)
		if len(pol.Alarms) != 2 || !strings.HasPrefix(*pol.Alarms[0].AlarmName, "TargetTracking-web-AlarmHigh-") || !strings.HasPrefix(*pol.Alarms[1].AlarmName, "TargetTracking-web-AlarmLow-") {
			t.Fatalf("policy = %+v", pol)
		}
		cw := cloudwatch.NewFromConfig(c.Config())
		alarms := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("TargetTracking-web-")}))(t).MetricAlarms
		if len(alarms) != 2 || alarms[0].AlarmActions[0] != *pol.PolicyARN || *alarms[0].MetricName != "CPUUtilization" || *alarms[0].Period != 60 {
			t.Fatalf("alarms = %+v", alarms)
		}

		// Put again, the policy keeps its ARN and gets two new alarms in place of its old ones.
		again := must(f.as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("cpu50"),
			PolicyType: aws.String("TargetTrackingScaling"), TargetTrackingConfiguration: &astypes.TargetTrackingConfiguration{
				TargetValue: aws.Float64(50), PredefinedMetricSpecification: &astypes.PredefinedMetricSpecification{PredefinedMetricType: astypes.MetricTypeASGAverageCPUUtilization}}}))(t)
		alarms = must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("TargetTracking-web-")}))(t).MetricAlarms
		if *again.PolicyARN != *pol.PolicyARN || len(alarms) != 2 || *again.Alarms[0].AlarmName == *pol.Alarms[0].AlarmName {
			t.Fatalf("replaced policy %+v, alarms %d", again, len(alarms))
		}
		pol = again

		id := *f.group(t, "web").Instances[0].InstanceId
		if err := cloud.SetInstanceLoad(id, sim.Load{CPU: 0.9}); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			c.Advance(t, time.Minute)
		}
		g := f.group(t, "web")
		if *g.DesiredCapacity != 2 || count(inService(g)) != 2 {
			t.Fatalf("after 5 minutes at 90%%: desired %d, %v", *g.DesiredCapacity, inService(g))
		}
		a := f.activities(t, "web")[0]
		if want := "a monitor alarm " + *pol.Alarms[0].AlarmName + " in state ALARM triggered policy cpu50 changing the desired capacity from 1 to 2.  "; !strings.Contains(*a.Cause, want) {
			t.Errorf("cause %q, want it to contain %q", *a.Cause, want)
		}
		hist := must(cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: pol.Alarms[0].AlarmName, HistoryItemType: "Action"}))(t).AlarmHistoryItems
		if len(hist) != 1 || !strings.HasPrefix(*hist[0].HistorySummary, "Successfully executed action") {
			t.Errorf("alarm history: %+v", hist)
		}

		// Simple scaling, by hand.
		must(f.as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("plus1"),
			AdjustmentType: aws.String("ChangeInCapacity"), ScalingAdjustment: aws.Int32(1)}))(t)
		must(f.as.ExecutePolicy(ctx, &autoscaling.ExecutePolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("plus1")}))(t)
		if g := f.group(t, "web"); *g.DesiredCapacity != 3 || count(inService(g)) != 3 {
			t.Errorf("after plus1: desired %d", *g.DesiredCapacity)
		}
		_, err := f.as.ExecutePolicy(ctx, &autoscaling.ExecutePolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("plus1"), HonorCooldown: aws.Bool(true)})
		wantCode(t, err, "ScalingActivityInProgress")

		// Step scaling: 20 above the threshold is the second step, to an exact capacity.
		must(f.as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("steps"),
			PolicyType: aws.String("StepScaling"), AdjustmentType: aws.String("ExactCapacity"), StepAdjustments: []astypes.StepAdjustment{
				{MetricIntervalLowerBound: aws.Float64(0), MetricIntervalUpperBound: aws.Float64(10), ScalingAdjustment: aws.Int32(2)},
				{MetricIntervalLowerBound: aws.Float64(10), ScalingAdjustment: aws.Int32(1)}}}))(t)
		must(f.as.ExecutePolicy(ctx, &autoscaling.ExecutePolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("steps"),
			MetricValue: aws.Float64(70), BreachThreshold: aws.Float64(50)}))(t)
		if g := f.group(t, "web"); *g.DesiredCapacity != 1 {
			t.Errorf("after the step policy: desired %d", *g.DesiredCapacity)
		}

		ps := must(f.as.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: aws.String("web")}))(t).ScalingPolicies
		if len(ps) != 3 || *ps[0].PolicyName != "cpu50" || len(ps[0].Alarms) != 2 || *ps[2].PolicyType != "StepScaling" {
			t.Errorf("policies = %+v", ps)
		}
		must(f.as.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("cpu50")}))(t)
		if n := len(must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("TargetTracking-web-")}))(t).MetricAlarms); n != 0 {
			t.Errorf("%d alarms after the policy went", n)
		}
		_, err = f.as.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("cpu50")})
		wantCode(t, err, "ValidationError")

		// A scheduled action runs when its time comes.
		must(f.as.PutScheduledUpdateGroupAction(ctx, &autoscaling.PutScheduledUpdateGroupActionInput{AutoScalingGroupName: aws.String("web"),
			ScheduledActionName: aws.String("night"), StartTime: aws.Time(c.Now().Add(time.Hour)), MaxSize: aws.Int32(2), DesiredCapacity: aws.Int32(2)}))(t)
		if n := len(must(f.as.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: aws.String("web")}))(t).ScheduledUpdateGroupActions); n != 1 {
			t.Errorf("%d scheduled actions", n)
		}
		c.Advance(t, time.Hour)
		if g := f.group(t, "web"); *g.DesiredCapacity != 2 || *g.MaxSize != 2 || count(inService(g)) != 2 {
			t.Errorf("after the scheduled action: desired %d, max %d", *g.DesiredCapacity, *g.MaxSize)
		}

		// Tags.
		must(f.as.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: []astypes.Tag{{ResourceId: aws.String("web"), ResourceType: aws.String("auto-scaling-group"),
			Key: aws.String("env"), Value: aws.String("prod"), PropagateAtLaunch: aws.Bool(true)}}}))(t)
		tags := must(f.as.DescribeTags(ctx, &autoscaling.DescribeTagsInput{Filters: []astypes.Filter{{Name: aws.String("key"), Values: []string{"env"}}}}))(t).Tags
		if len(tags) != 1 || *tags[0].ResourceId != "web" || !*tags[0].PropagateAtLaunch {
			t.Errorf("tags = %+v", tags)
		}
		gs := must(f.as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{Filters: []astypes.Filter{{Name: aws.String("tag:env"), Values: []string{"prod"}}}}))(t).AutoScalingGroups
		if len(gs) != 1 {
			t.Errorf("%d groups tagged env=prod", len(gs))
		}
		must(f.as.DeleteTags(ctx, &autoscaling.DeleteTagsInput{Tags: []astypes.Tag{{ResourceId: aws.String("web"), ResourceType: aws.String("auto-scaling-group"), Key: aws.String("env")}}}))(t)
		if n := len(must(f.as.DescribeTags(ctx, &autoscaling.DescribeTagsInput{}))(t).Tags); n != 0 {
			t.Errorf("%d tags after delete", n)
		}
	})
}

// Auto Scaling launches through its service-linked role: a user allowed Auto Scaling only
// makes a group whose instances run; one without autoscaling:* is refused.
func TestAutoScalingAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		f := newASGFixture(t, c)
		allowed := autoscaling.NewFromConfig(policyUser(t, c, "scaler", `{"Effect":"Allow","Action":"autoscaling:*","Resource":"*"}`))
		must(allowed.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, VPCZoneIdentifier: aws.String(f.subnets[0])}))(t)
		if n := count(inService(f.group(t, "g"))); n != 1 {
			t.Errorf("%d instances launched for a user without EC2 permissions", n)
		}
		// A launch configuration with an instance profile passes its role: iam:PassRole.
		passRoleSetup(t, c)
		lc := func(client *autoscaling.Client, name, profile string) error {
			_, err := client.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String(name),
				ImageId: aws.String("ami-4fffc834"), InstanceType: aws.String("t3.micro"), IamInstanceProfile: aws.String(profile)})
			return err
		}
		err := lc(allowed, "admin", "admin")
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "iam:PassRole on resource: arn:aws:iam::123456789012:role/admin") {
			t.Errorf("refusal: %v", err)
		}
		if err := lc(allowed, "empty", "empty"); err != nil {
			t.Errorf("a profile without a role: %v", err)
		}
		wantCode(t, lc(allowed, "none", "nope"), "ValidationError")
		passer := autoscaling.NewFromConfig(policyUser(t, c, "passer", `{"Effect":"Allow","Action":"autoscaling:*","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/admin"}`))
		if err := lc(passer, "admin", "admin"); err != nil {
			t.Errorf("with iam:PassRole: %v", err)
		}

		denied := autoscaling.NewFromConfig(policyUser(t, c, "reader", `{"Effect":"Allow","Action":"autoscaling:Describe*","Resource":"*"}`))
		must(denied.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}))(t)
		_, err = denied.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("g"), DesiredCapacity: aws.Int32(0)})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "autoscaling:SetDesiredCapacity on resource: arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:") {
			t.Errorf("refusal: %v", err)
		}
	})
}

// A group survives Save and Load, and goes on keeping its count.
func TestAutoScalingSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New(fixedClock(cwEpoch))
	f := asgFixture{ec2: ec2.NewFromConfig(c.Config()), as: autoscaling.NewFromConfig(c.Config())}
	must(f.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}}))(t)
	must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(2), MaxSize: aws.Int32(2),
		LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New(fixedClock(cwEpoch))
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	g := asgFixture{ec2: ec2.NewFromConfig(d.Config()), as: autoscaling.NewFromConfig(d.Config())}
	before, after := f.group(t, "web"), g.group(t, "web")
	if fmt.Sprint(inService(before)) != fmt.Sprint(inService(after)) || *after.AutoScalingGroupARN != *before.AutoScalingGroupARN {
		t.Fatalf("loaded %v, saved %v", inService(after), inService(before))
	}
	id := *after.Instances[0].InstanceId
	must(g.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))(t)
	d.Advance(time.Minute)
	if n := inService(g.group(t, "web")); count(n) != 2 {
		t.Errorf("after a termination in the loaded cloud: %v", n)
	}
}

// Many goroutines change, read and settle one group at once: the count converges and the
// race detector finds nothing.
func TestAutoScalingRace(t *testing.T) {
	ctx := context.Background()
	c := sim.New(fixedClock(cwEpoch))
	f := asgFixture{ec2: ec2.NewFromConfig(c.Config()), as: autoscaling.NewFromConfig(c.Config())}
	must(f.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}}))(t)
	must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(0), MaxSize: aws.Int32(6),
		LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}))(t)
	done := make(chan error)
	for w := range 6 {
		go func() {
			var err error
			for k := range 5 {
				switch w % 3 {
				case 0:
					_, err = f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("web"), DesiredCapacity: aws.Int32(int32((w + k) % 7))})
				case 1:
					_, err = f.as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
				default:
					c.Advance(time.Second)
				}
				if err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 6 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	must(f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("web"), DesiredCapacity: aws.Int32(3)}))(t)
	g := f.group(t, "web")
	running := 0
	for _, r := range must(f.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("instance-state-name", "running")}}))(t).Reservations {
		running += len(r.Instances)
	}
	if count(inService(g)) != 3 || running != 3 {
		t.Errorf("in service %v, running in EC2 %d, want 3", inService(g), running)
	}
}

// Lifecycle hooks hold a launching instance in Pending:Wait until it is completed, or until
// its heartbeat timeout applies the default result; a terminating one in Terminating:Wait.
func TestAutoScalingLifecycleHooks(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		f := newASGFixture(t, c)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(0), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: f.zones,
			LifecycleHookSpecificationList: []astypes.LifecycleHookSpecification{{LifecycleHookName: aws.String("warm-up"),
				LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_LAUNCHING"), HeartbeatTimeout: aws.Int32(60)}},
		}))(t)
		hooks := must(f.as.DescribeLifecycleHooks(ctx, &autoscaling.DescribeLifecycleHooksInput{AutoScalingGroupName: aws.String("web")}))(t).LifecycleHooks
		if len(hooks) != 1 || *hooks[0].DefaultResult != "ABANDON" || *hooks[0].GlobalTimeout != 6000 {
			t.Fatalf("hooks = %+v", hooks)
		}
		g := f.group(t, "web")
		for _, i := range g.Instances {
			if i.LifecycleState != astypes.LifecycleStatePendingWait {
				t.Fatalf("instance %s is %s", *i.InstanceId, i.LifecycleState)
			}
		}
		if a := f.activities(t, "web")[0]; a.StatusCode != astypes.ScalingActivityStatusCodeMidLifecycleAction {
			t.Errorf("launch activity %s", a.StatusCode)
		}
		kept, dropped := *g.Instances[0].InstanceId, *g.Instances[1].InstanceId
		must(f.as.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: aws.String("web"),
			LifecycleHookName: aws.String("warm-up"), InstanceId: aws.String(kept), LifecycleActionResult: aws.String("CONTINUE")}))(t)
		_, err := f.as.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: aws.String("web"),
			LifecycleHookName: aws.String("warm-up"), InstanceId: aws.String(kept), LifecycleActionResult: aws.String("CONTINUE")})
		wantCode(t, err, "ValidationError")
		states := map[string]astypes.LifecycleState{}
		for _, i := range f.group(t, "web").Instances {
			states[*i.InstanceId] = i.LifecycleState
		}
		if states[kept] != astypes.LifecycleStateInService || states[dropped] != astypes.LifecycleStatePendingWait {
			t.Fatalf("after CONTINUE: %v", states)
		}
		// The other times out: ABANDON, its default, terminates it; its replacement waits.
		c.Advance(t, 2*time.Minute)
		states = map[string]astypes.LifecycleState{}
		for _, i := range f.group(t, "web").Instances {
			states[*i.InstanceId] = i.LifecycleState
		}
		if len(states) != 2 || states[kept] != astypes.LifecycleStateInService || states[dropped] != "" {
			t.Fatalf("after the timeout: %v", states)
		}
		if st := ec2State(t, f.ec2, dropped).State.Name; st != types.InstanceStateNameTerminated {
			t.Errorf("the abandoned instance is %s", st)
		}

		// A terminating hook: scale in waits for it.
		must(f.as.PutLifecycleHook(ctx, &autoscaling.PutLifecycleHookInput{AutoScalingGroupName: aws.String("web"), LifecycleHookName: aws.String("drain"),
			LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_TERMINATING"), DefaultResult: aws.String("CONTINUE")}))(t)
		must(f.as.DeleteLifecycleHook(ctx, &autoscaling.DeleteLifecycleHookInput{AutoScalingGroupName: aws.String("web"), LifecycleHookName: aws.String("warm-up")}))(t)
		must(f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("web"), DesiredCapacity: aws.Int32(1)}))(t)
		var leaving string
		for _, i := range f.group(t, "web").Instances {
			if i.LifecycleState == astypes.LifecycleStateTerminatingWait {
				leaving = *i.InstanceId
			}
		}
		if leaving == "" || ec2State(t, f.ec2, leaving).State.Name != types.InstanceStateNameRunning {
			t.Fatalf("no instance waits to terminate: %+v", f.group(t, "web").Instances)
		}
		must(f.as.RecordLifecycleActionHeartbeat(ctx, &autoscaling.RecordLifecycleActionHeartbeatInput{AutoScalingGroupName: aws.String("web"),
			LifecycleHookName: aws.String("drain"), InstanceId: aws.String(leaving)}))(t)
		must(f.as.CompleteLifecycleAction(ctx, &autoscaling.CompleteLifecycleActionInput{AutoScalingGroupName: aws.String("web"),
			LifecycleHookName: aws.String("drain"), InstanceId: aws.String(leaving), LifecycleActionResult: aws.String("CONTINUE")}))(t)
		if g := f.group(t, "web"); len(g.Instances) != 1 || ec2State(t, f.ec2, leaving).State.Name != types.InstanceStateNameTerminated {
			t.Errorf("after the terminating hook: %+v", g.Instances)
		}
		_, err = f.as.PutLifecycleHook(ctx, &autoscaling.PutLifecycleHookInput{AutoScalingGroupName: aws.String("web"), LifecycleHookName: aws.String("x"),
			LifecycleTransition: aws.String("autoscaling:EC2_INSTANCE_REBOOTING")})
		wantCode(t, err, "ValidationError")
	})
}

// An instance refresh replaces the instances one batch at a time, each after the last one
// warmed up, from the desired launch template, which the group takes at the end.
func TestAutoScalingInstanceRefresh(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		f := newASGFixture(t, c)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(2), MaxSize: aws.Int32(4),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web"), Version: aws.String("1")}, AvailabilityZones: f.zones,
		}))(t)
		old := map[string]bool{}
		for _, i := range f.group(t, "web").Instances {
			old[*i.InstanceId] = true
		}
		must(f.ec2.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateName: aws.String("web"), SourceVersion: aws.String("1"),
			LaunchTemplateData: &types.RequestLaunchTemplateData{InstanceType: types.InstanceTypeT3Small}}))(t)
		id := must(f.as.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: aws.String("web"),
			DesiredConfiguration: &astypes.DesiredConfiguration{LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web"), Version: aws.String("2")}},
			Preferences:          &astypes.RefreshPreferences{InstanceWarmup: aws.Int32(60)}}))(t).InstanceRefreshId
		_, err := f.as.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: aws.String("web")})
		wantCode(t, err, "InstanceRefreshInProgress")
		replaced := func() (n int, types []string) {
			for _, i := range f.group(t, "web").Instances {
				if !old[*i.InstanceId] {
					n++
				}
				types = append(types, *i.InstanceType)
			}
			return n, types
		}
		if n, ts := replaced(); n != 1 {
			t.Fatalf("after the start: %d replaced, types %v", n, ts)
		}
		rf := must(f.as.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: aws.String("web")}))(t).InstanceRefreshes[0]
		if *rf.InstanceRefreshId != *id || rf.Status != astypes.InstanceRefreshStatusInProgress || *rf.PercentageComplete != 0 || *rf.InstancesToUpdate != 2 {
			t.Errorf("refresh = %s, %d%%, %d to update", rf.Status, *rf.PercentageComplete, *rf.InstancesToUpdate)
		}
		c.Advance(t, time.Minute) // the first replacement warmed up: the second batch
		if n, _ := replaced(); n != 2 {
			t.Fatalf("after a minute: %d replaced", n)
		}
		c.Advance(t, time.Minute)
		rf = must(f.as.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: aws.String("web")}))(t).InstanceRefreshes[0]
		g := f.group(t, "web")
		if rf.Status != astypes.InstanceRefreshStatusSuccessful || *rf.PercentageComplete != 100 || *g.LaunchTemplate.Version != "2" {
			t.Errorf("at the end: %s, %d%%, group's version %s", rf.Status, *rf.PercentageComplete, *g.LaunchTemplate.Version)
		}
		for _, i := range g.Instances {
			if *i.InstanceType != "t3.small" {
				t.Errorf("instance %s is a %s", *i.InstanceId, *i.InstanceType)
			}
		}
		acts := f.activities(t, "web")
		found := false
		for _, a := range acts {
			if strings.Contains(*a.Cause, "an instance was taken out of service in response to an instance refresh.") {
				found = true
			}
		}
		if !found {
			t.Error("no activity names the refresh")
		}
		_, err = f.as.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: aws.String("web")})
		wantCode(t, err, "ActiveInstanceRefreshNotFound")

		// A refresh cancelled before its next batch leaves the rest as they are.
		must(f.as.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: aws.String("web"), Preferences: &astypes.RefreshPreferences{InstanceWarmup: aws.Int32(60)}}))(t)
		must(f.as.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: aws.String("web")}))(t)
		c.Advance(t, 5*time.Minute)
		rf = must(f.as.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: aws.String("web")}))(t).InstanceRefreshes[0]
		if rf.Status != astypes.InstanceRefreshStatusCancelled {
			t.Errorf("cancelled refresh is %s", rf.Status)
		}
	})
}

// Suspended processes, scale-in protection, Standby, detaching and attaching instances.
func TestAutoScalingProcessesAndStandby(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		f := newASGFixture(t, c)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(0), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: f.zones,
		}))(t)
		web := aws.String("web")

		// Launch suspended: a terminated instance goes, and nothing replaces it until resumed.
		must(f.as.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: web, ScalingProcesses: []string{"Launch"}}))(t)
		g := f.group(t, "web")
		if len(g.SuspendedProcesses) != 1 || *g.SuspendedProcesses[0].SuspensionReason != "User suspended at 2026-07-12T15:00:00Z" {
			t.Errorf("suspended = %+v", g.SuspendedProcesses)
		}
		must(f.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*g.Instances[0].InstanceId}}))(t)
		c.Advance(t, time.Minute)
		if n := count(inService(f.group(t, "web"))); n != 1 {
			t.Fatalf("%d in service with Launch suspended", n)
		}
		must(f.as.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: web}))(t)
		if g := f.group(t, "web"); count(inService(g)) != 2 || len(g.SuspendedProcesses) != 0 {
			t.Fatalf("after resuming: %v, %+v", inService(g), g.SuspendedProcesses)
		}
		_, err := f.as.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: web, ScalingProcesses: []string{"Sleep"}})
		wantCode(t, err, "ValidationError")

		// The protected instance stays when the group shrinks.
		keep := *f.group(t, "web").Instances[1].InstanceId
		must(f.as.SetInstanceProtection(ctx, &autoscaling.SetInstanceProtectionInput{AutoScalingGroupName: web, InstanceIds: []string{keep}, ProtectedFromScaleIn: aws.Bool(true)}))(t)
		must(f.as.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: web, DesiredCapacity: aws.Int32(1)}))(t)
		if g := f.group(t, "web"); len(g.Instances) != 1 || *g.Instances[0].InstanceId != keep || !*g.Instances[0].ProtectedFromScaleIn {
			t.Fatalf("after scale in: %+v", g.Instances)
		}
		_, err = f.as.SetInstanceProtection(ctx, &autoscaling.SetInstanceProtectionInput{AutoScalingGroupName: web, InstanceIds: []string{"i-0123456789abcdef0"}, ProtectedFromScaleIn: aws.Bool(true)})
		wantCode(t, err, "ValidationError")

		// Standby: out of the capacity, not replaced; back in.
		acts := must(f.as.EnterStandby(ctx, &autoscaling.EnterStandbyInput{AutoScalingGroupName: web, InstanceIds: []string{keep}, ShouldDecrementDesiredCapacity: aws.Bool(true)}))(t).Activities
		if g := f.group(t, "web"); *g.DesiredCapacity != 0 || len(g.Instances) != 1 || g.Instances[0].LifecycleState != astypes.LifecycleStateStandby ||
			*acts[0].Cause != "At 2026-07-12T15:01:00Z instance "+keep+" was moved to standby in response to a user request, shrinking the capacity from 1 to 0." {
			t.Fatalf("in standby: %+v, cause %q", g.Instances, *acts[0].Cause)
		}
		must(f.as.ExitStandby(ctx, &autoscaling.ExitStandbyInput{AutoScalingGroupName: web, InstanceIds: []string{keep}}))(t)
		if g := f.group(t, "web"); *g.DesiredCapacity != 1 || g.Instances[0].LifecycleState != astypes.LifecycleStateInService {
			t.Fatalf("out of standby: %+v", g.Instances)
		}

		// Detached, it runs on its own; attached again, it is the group's.
		must(f.as.DetachInstances(ctx, &autoscaling.DetachInstancesInput{AutoScalingGroupName: web, InstanceIds: []string{keep}, ShouldDecrementDesiredCapacity: aws.Bool(true)}))(t)
		if g := f.group(t, "web"); len(g.Instances) != 0 || *g.DesiredCapacity != 0 || ec2State(t, f.ec2, keep).State.Name != types.InstanceStateNameRunning {
			t.Fatalf("after detaching: %+v", g.Instances)
		}
		must(f.as.AttachInstances(ctx, &autoscaling.AttachInstancesInput{AutoScalingGroupName: web, InstanceIds: []string{keep}}))(t)
		if g := f.group(t, "web"); len(g.Instances) != 1 || *g.DesiredCapacity != 1 {
			t.Fatalf("after attaching: %+v", g.Instances)
		}
		_, err = f.as.AttachInstances(ctx, &autoscaling.AttachInstancesInput{AutoScalingGroupName: web, InstanceIds: []string{keep}})
		wantCode(t, err, "ValidationError")
		limits := must(f.as.DescribeAccountLimits(ctx, &autoscaling.DescribeAccountLimitsInput{}))(t)
		if *limits.NumberOfAutoScalingGroups != 1 || *limits.MaxNumberOfAutoScalingGroups != 500 {
			t.Errorf("limits = %+v", limits)
		}
	})
}

// An alarm that stays in ALARM invokes its simple scaling policy again once the policy's
// cooldown has passed: the group grows a step per cooldown, up to its maximum.
func TestAutoScalingAlarmRepeats(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		cloud := c.Cloud(t)
		f := newASGFixture(t, c)
		must(f.as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"), ImageId: aws.String("ami-4fffc834"), InstanceType: aws.String("t3.micro")}))(t)
		must(f.as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(1), MaxSize: aws.Int32(4),
			LaunchConfigurationName: aws.String("lc"), AvailabilityZones: f.zones}))(t)
		arn := must(f.as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("plus1"),
			AdjustmentType: aws.String("ChangeInCapacity"), ScalingAdjustment: aws.Int32(1), Cooldown: aws.Int32(120)}))(t).PolicyARN
		first := *f.group(t, "web").Instances[0].InstanceId
		// The alarm watches the first instance alone: it stays busy whatever the group does.
		must(cloudwatch.NewFromConfig(c.Config()).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("busy"),
			Namespace: aws.String("AWS/EC2"), MetricName: aws.String("CPUUtilization"), Dimensions: []cwtypes.Dimension{{Name: aws.String("InstanceId"), Value: aws.String(first)}},
			Statistic: cwtypes.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(50),
			ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, AlarmActions: []string{*arn}}))(t)
		if err := cloud.SetInstanceLoad(first, sim.Load{CPU: 0.9}); err != nil {
			t.Fatal(err)
		}
		c.Advance(t, 3*time.Minute)
		if d := *f.group(t, "web").DesiredCapacity; d != 2 {
			t.Fatalf("desired %d after 3 minutes, want 2 (one step, then the cooldown)", d)
		}
		c.Advance(t, 10*time.Minute)
		g := f.group(t, "web")
		steps := 0
		for _, a := range f.activities(t, "web") {
			if strings.Contains(*a.Cause, "a monitor alarm busy in state ALARM triggered policy plus1") {
				steps++
			}
		}
		if *g.DesiredCapacity != 4 || count(inService(g)) != 4 || steps != 3 {
			t.Errorf("desired %d, %d in service, %d launches by the alarm; want 4, 4, 3", *g.DesiredCapacity, count(inService(g)), steps)
		}
	})
}
