package asgsim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// fakeEC2 answers the EC2 operations Auto Scaling calls, over a map of instances.
type fakeEC2 struct {
	mu        sync.Mutex
	n         int
	instances map[string]ec2types.InstanceStateName
	calls     []string
}

func (f *fakeEC2) call(_ context.Context, svc, op string, in any) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, svc+":"+op)
	switch in := in.(type) {
	case *ec2.DescribeAvailabilityZonesInput:
		return &ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: []ec2types.AvailabilityZone{{ZoneName: aws.String("us-east-1a")}, {ZoneName: aws.String("us-east-1b")}}}, nil
	case *ec2.DescribeLaunchTemplateVersionsInput:
		return &ec2.DescribeLaunchTemplateVersionsOutput{LaunchTemplateVersions: []ec2types.LaunchTemplateVersion{{
			LaunchTemplateId: aws.String("lt-0123456789abcdef0"), LaunchTemplateName: aws.String("web"),
			LaunchTemplateData: &ec2types.ResponseLaunchTemplateData{ImageId: aws.String("ami-1")}}}}, nil
	case *ec2.DescribeInstancesInput:
		var is []ec2types.Instance
		for _, id := range in.Filters[0].Values {
			if st, ok := f.instances[id]; ok {
				is = append(is, ec2types.Instance{InstanceId: aws.String(id), State: &ec2types.InstanceState{Name: st}})
			}
		}
		return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{Instances: is}}}, nil
	case *ec2.RunInstancesInput:
		f.n++
		id := fmt.Sprintf("i-%017x", f.n)
		f.instances[id] = ec2types.InstanceStateNameRunning
		return &ec2.RunInstancesOutput{Instances: []ec2types.Instance{{InstanceId: aws.String(id), ImageId: aws.String("ami-1"), InstanceType: "t3.micro"}}}, nil
	case *ec2.TerminateInstancesInput:
		for _, id := range in.InstanceIds {
			f.instances[id] = ec2types.InstanceStateNameTerminated
		}
		return &ec2.TerminateInstancesOutput{}, nil
	}
	return nil, core.Errorf(core.NotImplemented, "fake: %s %s", svc, op)
}

// fakeTargets records registrations as "+tg/i-…" and "-tg/i-…".
type fakeTargets struct {
	mu  sync.Mutex
	log []string
}

func (f *fakeTargets) targets(_ context.Context, register bool, tg string, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		sign := "-"
		if register {
			sign = "+"
		}
		f.log = append(f.log, sign+tg[strings.LastIndex(tg, "/")+1:]+"/"+id)
	}
	return nil
}

func newTestStore() (*Store, *fakeEC2, *fakeTargets, context.Context) {
	clock := core.NewClock(func() time.Time { return time.Date(2026, 7, 12, 15, 0, 0, 0, time.UTC) })
	e := &fakeEC2{instances: map[string]ec2types.InstanceStateName{}}
	tg := &fakeTargets{}
	s := NewStore("123456789012", clock, core.NewIDs(1), e.call, tg.targets)
	return s, e, tg, core.WithRegion(context.Background(), "us-east-1")
}

const tgARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"

// Instances are registered with the group's target groups when they launch and deregistered
// before they terminate; attaching and detaching registers and deregisters those in service.
func TestTargetGroups(t *testing.T) {
	s, e, tg, ctx := newTestStore()
	h := New(s)
	if _, err := h.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), MinSize: aws.Int32(2), MaxSize: aws.Int32(2),
		LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		TargetGroupARNs: []string{tgARN}}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"+0123456789abcdef/i-00000000000000001", "+0123456789abcdef/i-00000000000000002"}; !slices.Equal(tg.log, want) {
		t.Fatalf("registrations %v, want %v", tg.log, want)
	}
	tg.log = nil
	if _, err := h.SetInstanceHealth(ctx, &autoscaling.SetInstanceHealthInput{InstanceId: aws.String("i-00000000000000001"), HealthStatus: aws.String("Unhealthy")}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"-0123456789abcdef/i-00000000000000001", "+0123456789abcdef/i-00000000000000003"}; !slices.Equal(tg.log, want) {
		t.Fatalf("after Unhealthy: %v, want %v", tg.log, want)
	}
	if e.instances["i-00000000000000001"] != ec2types.InstanceStateNameTerminated {
		t.Errorf("the unhealthy instance is %s", e.instances["i-00000000000000001"])
	}
	tg.log = nil
	other := strings.Replace(tgARN, "web/0123456789abcdef", "api/fedcba9876543210", 1)
	if _, err := h.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String("g"), TargetGroupARNs: []string{other, tgARN}}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"+fedcba9876543210/i-00000000000000002", "+fedcba9876543210/i-00000000000000003"}; !slices.Equal(tg.log, want) {
		t.Fatalf("attach: %v, want %v", tg.log, want)
	}
	tg.log = nil
	if _, err := h.DetachTrafficSources(ctx, &autoscaling.DetachTrafficSourcesInput{AutoScalingGroupName: aws.String("g"),
		TrafficSources: []types.TrafficSourceIdentifier{{Identifier: aws.String(tgARN), Type: aws.String("elbv2")}}}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"-0123456789abcdef/i-00000000000000002", "-0123456789abcdef/i-00000000000000003"}; !slices.Equal(tg.log, want) {
		t.Fatalf("detach: %v, want %v", tg.log, want)
	}
	out, err := h.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	if err != nil || len(out.AutoScalingGroups) != 1 || !slices.Equal(out.AutoScalingGroups[0].TargetGroupARNs, []string{other}) {
		t.Fatalf("group: %+v, %v", out, err)
	}
	_, err = h.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String("g"), TargetGroupARNs: []string{"web"}})
	if core.AsError(err).Code != ValidationError {
		t.Errorf("a malformed ARN: %v", err)
	}
}

// The saved state loads into an equal store, and a bad one leaves the store as it was.
func TestStateRoundTrip(t *testing.T) {
	s, _, _, ctx := newTestStore()
	if _, err := New(s).CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1),
		LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a"}}); err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	d, _, _, _ := newTestStore()
	if err := d.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	c, _ := d.MarshalJSON()
	if string(b) != string(c) {
		t.Errorf("round trip:\n%s\n%s", b, c)
	}
	for _, bad := range []string{`{"Regions":{"us-east-1":{"Groups":{"g":{"Name":"h"}}}}}`, `[`, `{"Regions":{"us-east-1":{"Groups":{"g":{"Name":"g","Members":{"i-1":{"ID":"i-2"}}}}}}}`} {
		if err := d.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("loaded %s", bad)
		}
	}
	if c2, _ := d.MarshalJSON(); string(c2) != string(c) {
		t.Error("a bad state changed the store")
	}
}

// FuzzLoadAndDescribe loads arbitrary saved states and pagination tokens: never a panic.
func FuzzLoadAndDescribe(f *testing.F) {
	f.Add(`{"Regions":{"us-east-1":{"Groups":{"g":{"Name":"g","Zones":["us-east-1a"],"Members":{"i-1":{"ID":"i-1","Lifecycle":"InService"}}}}}}}`, "at-1")
	f.Add(`{}`, "")
	f.Add(`{"Regions":{"us-east-1":null}}`, "at-x")
	f.Fuzz(func(t *testing.T, state, token string) {
		s, _, _, ctx := newTestStore()
		if s.UnmarshalJSON([]byte(state)) != nil {
			return
		}
		h := New(s)
		_, _ = h.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{NextToken: aws.String(token)})
		_, _ = h.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{NextToken: aws.String(token)})
		_, _ = h.DescribeAutoScalingInstances(ctx, &autoscaling.DescribeAutoScalingInstancesInput{})
		s.Settle()
	})
}

// A group whose health check type is ELB replaces the instances a target group reports
// unhealthy, once their grace period has passed; a group of type EC2 does not.
func TestELBHealthCheck(t *testing.T) {
	s, e, tg, ctx := newTestStore()
	unhealthy := map[string]bool{}
	var asked []string
	s.ReadTargetHealth(func(_ context.Context, arn string, ids []string) (map[string]string, error) {
		asked = append(asked, ids...)
		out := map[string]string{}
		for _, id := range ids {
			out[id] = "healthy"
			if unhealthy[id] {
				out[id] = "unhealthy"
			}
		}
		return out, nil
	})
	h := New(s)
	for _, typ := range []string{"ELB", "EC2"} {
		if _, err := h.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(typ), MinSize: aws.Int32(1), MaxSize: aws.Int32(1),
			LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a"},
			TargetGroupARNs: []string{tgARN}, HealthCheckType: aws.String(typ), HealthCheckGracePeriod: aws.Int32(0)}); err != nil {
			t.Fatal(err)
		}
	}
	// i-…1 is the ELB group's, i-…2 the EC2 group's.
	unhealthy["i-00000000000000001"], unhealthy["i-00000000000000002"] = true, true
	tg.log = nil
	s.Settle()
	if e.instances["i-00000000000000001"] != ec2types.InstanceStateNameTerminated || e.instances["i-00000000000000002"] != ec2types.InstanceStateNameRunning {
		t.Fatalf("instances after an ELB health check: %v", e.instances)
	}
	if want := []string{"-0123456789abcdef/i-00000000000000001", "+0123456789abcdef/i-00000000000000003"}; !slices.Equal(tg.log, want) {
		t.Errorf("registrations %v, want %v", tg.log, want)
	}
	if slices.Contains(asked, "i-00000000000000002") {
		t.Errorf("the EC2 group's instance was asked about: %v", asked)
	}
	out, _ := h.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("ELB")})
	if c := *out.Activities[1].Cause; !strings.HasSuffix(c, "an instance was taken out of service in response to an ELB system health check failure.") {
		t.Errorf("cause %q", c)
	}
}
