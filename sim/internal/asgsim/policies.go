package asgsim

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Scaling policies: simple and step scaling change the desired capacity when an alarm (or
// ExecutePolicy) invokes them; target tracking makes its two CloudWatch alarms, as AWS does,
// and sets the capacity that brings the metric to the target.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scale-based-on-demand.html

func (p *policy) steps() []types.StepAdjustment {
	var out []types.StepAdjustment
	_ = json.Unmarshal(p.StepsJSON, &out) // written by PutScalingPolicy
	return out
}

func (p *policy) target() *types.TargetTrackingConfiguration {
	if len(p.TargetJSON) == 0 {
		return nil
	}
	var out types.TargetTrackingConfiguration
	_ = json.Unmarshal(p.TargetJSON, &out) // written by PutScalingPolicy
	return &out
}

func checkAdjustmentType(t string) error {
	switch t {
	case "ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity":
		return nil
	}
	return validation("Invalid adjustment type %s. Valid values are: ChangeInCapacity, ExactCapacity, PercentChangeInCapacity.", t)
}

// metricOf is a target tracking policy's metric: the predefined ones as AWS defines them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredefinedMetricSpecification.html
func metricOf(g string, tt *types.TargetTrackingConfiguration) (ns, name, stat string, dims []cwtypes.Dimension, err error) {
	if p := tt.PredefinedMetricSpecification; p != nil {
		dims = []cwtypes.Dimension{{Name: aws.String("AutoScalingGroupName"), Value: aws.String(g)}}
		switch p.PredefinedMetricType {
		case types.MetricTypeASGAverageCPUUtilization:
			return "AWS/EC2", "CPUUtilization", "Average", dims, nil
		case types.MetricTypeASGAverageNetworkIn:
			return "AWS/EC2", "NetworkIn", "Average", dims, nil
		case types.MetricTypeASGAverageNetworkOut:
			return "AWS/EC2", "NetworkOut", "Average", dims, nil
		case types.MetricTypeALBRequestCountPerTarget:
			label := aws.ToString(p.ResourceLabel)
			_, tg, ok := strings.Cut(label, "/targetgroup/")
			if !ok {
				return "", "", "", nil, validation("The resource label %s is not valid for ALBRequestCountPerTarget: it must be app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>.", label)
			}
			return "AWS/ApplicationELB", "RequestCountPerTarget", "Sum", []cwtypes.Dimension{{Name: aws.String("TargetGroup"), Value: aws.String("targetgroup/" + tg)}}, nil
		}
		return "", "", "", nil, validation("Unsupported predefined metric type %s.", p.PredefinedMetricType)
	}
	if c := tt.CustomizedMetricSpecification; c != nil && c.MetricName != nil {
		for _, d := range c.Dimensions {
			dims = append(dims, cwtypes.Dimension{Name: d.Name, Value: d.Value})
		}
		return aws.ToString(c.Namespace), *c.MetricName, string(c.Statistic), dims, nil
	}
	return "", "", "", nil, validation("Either a predefined or a customized metric specification is required for a target tracking policy.")
}

// PutScalingPolicy makes or replaces a policy of a group and returns its ARN; a target
// tracking policy gets its alarms, made through CloudWatch.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html
func (h *AutoScaling) PutScalingPolicy(ctx context.Context, in *autoscaling.PutScalingPolicyInput) (*autoscaling.PutScalingPolicyOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	pname, err := checkName("PolicyName", in.PolicyName)
	if err != nil {
		return nil, err
	}
	p := &policy{Name: pname, Type: aws.ToString(in.PolicyType), Adjustment: aws.ToString(in.AdjustmentType), Scaling: in.ScalingAdjustment,
		MinMagnitude: in.MinAdjustmentMagnitude, Cooldown: in.Cooldown, Aggregation: aws.ToString(in.MetricAggregationType),
		Warmup: in.EstimatedInstanceWarmup, Enabled: in.Enabled == nil || *in.Enabled}
	if p.Type == "" {
		p.Type = "SimpleScaling"
	}
	switch p.Type {
	case "SimpleScaling":
		if err := checkAdjustmentType(p.Adjustment); err != nil {
			return nil, err
		}
		if p.Scaling == nil {
			return nil, validation("ScalingAdjustment is required for a SimpleScaling policy.")
		}
	case "StepScaling":
		if err := checkAdjustmentType(p.Adjustment); err != nil {
			return nil, err
		}
		if len(in.StepAdjustments) == 0 {
			return nil, validation("StepAdjustments is required for a StepScaling policy.")
		}
		if p.Aggregation == "" {
			p.Aggregation = "Average"
		}
		for _, st := range in.StepAdjustments {
			if st.ScalingAdjustment == nil {
				return nil, missing("StepAdjustments.member.ScalingAdjustment")
			}
			if st.MetricIntervalLowerBound == nil && st.MetricIntervalUpperBound == nil && len(in.StepAdjustments) > 1 {
				return nil, validation("Only one step adjustment may have an unbounded interval.")
			}
		}
		p.StepsJSON, _ = json.Marshal(in.StepAdjustments)
	case "TargetTrackingScaling":
		tt := in.TargetTrackingConfiguration
		if tt == nil || tt.TargetValue == nil {
			return nil, validation("TargetTrackingConfiguration with a TargetValue is required for a TargetTrackingScaling policy.")
		}
		if _, _, _, _, err := metricOf(gname, tt); err != nil {
			return nil, err
		}
		p.TargetJSON, _ = json.Marshal(tt)
	case "PredictiveScaling":
		return nil, core.Errorf(core.NotImplemented, "The simulator does not forecast: predictive scaling policies are not simulated.")
	default:
		return nil, validation("Invalid policy type %s. Valid values are: SimpleScaling, StepScaling, TargetTrackingScaling, PredictiveScaling.", p.Type)
	}
	var old *policy
	var detailed bool
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		old = g.Policies[pname]
		if old != nil {
			p.ARN = old.ARN
		} else {
			p.ARN = s.arn(region, "scalingPolicy:"+s.uuid()+":autoScalingGroupName/"+gname+":policyName/"+pname)
		}
		if g.Config != "" {
			detailed = r.Configs[g.Config] != nil && r.Configs[g.Config].Monitoring
		}
		g.Policies[pname] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &autoscaling.PutScalingPolicyOutput{PolicyARN: aws.String(p.ARN), Alarms: []types.Alarm{}}
	if p.Type == "TargetTrackingScaling" {
		alarms, err := s.trackingAlarms(ctx, gname, p, detailed)
		if err != nil {
			// The policy goes as it came: the one it replaced, if any, is back.
			s.deleteAlarms(ctx, &policy{Type: p.Type, Alarms: alarms})
			_ = s.write(region, func(r *regionState) error {
				if g, ok := r.Groups[gname]; ok && g.Policies[pname] == p {
					if old != nil {
						g.Policies[pname] = old
					} else {
						delete(g.Policies, pname)
					}
				}
				return nil
			})
			return nil, err
		}
		_ = s.write(region, func(r *regionState) error {
			if g, ok := r.Groups[gname]; ok && g.Policies[pname] == p {
				p.Alarms = alarms
			}
			return nil
		})
		for _, a := range alarms {
			out.Alarms = append(out.Alarms, types.Alarm{AlarmName: aws.String(a.Name), AlarmARN: aws.String(a.ARN)})
		}
	}
	if old != nil {
		s.deleteAlarms(ctx, old) // the replaced policy's, once the new one stands
	}
	return out, nil
}

// trackingAlarms makes a target tracking policy's alarms in CloudWatch, as AWS names and
// sets them: TargetTracking-GROUP-AlarmHigh-UUID above the target for 3 periods, and
// TargetTracking-GROUP-AlarmLow-UUID below 90% of it for 15 (none if scale in is disabled).
// Their periods are a minute for instances with detailed monitoring, else five.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/target-tracking-scaling-policy-overview.html
func (s *Store) trackingAlarms(ctx context.Context, group string, p *policy, detailed bool) ([]alarmRef, error) {
	if s.call == nil {
		return nil, core.Errorf(core.InternalError, "Auto Scaling cannot reach CloudWatch in this simulator")
	}
	tt := p.target()
	ns, name, stat, dims, _ := metricOf(group, tt)
	period := int32(300)
	if detailed {
		period = 60
	}
	type spec struct {
		suffix string
		op     cwtypes.ComparisonOperator
		thresh float64
		n      int32
	}
	specs := []spec{{"AlarmHigh", cwtypes.ComparisonOperatorGreaterThanThreshold, *tt.TargetValue, 3}}
	if !aws.ToBool(tt.DisableScaleIn) {
		specs = append(specs, spec{"AlarmLow", cwtypes.ComparisonOperatorLessThanThreshold, *tt.TargetValue * 0.9, 15})
	}
	var out []alarmRef
	region := core.RegionFrom(ctx)
	for _, sp := range specs {
		an := "TargetTracking-" + group + "-" + sp.suffix + "-" + s.uuid()
		in := &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String(an), Namespace: aws.String(ns), MetricName: aws.String(name), Dimensions: dims,
			Statistic: cwtypes.Statistic(stat), Period: aws.Int32(period), EvaluationPeriods: aws.Int32(sp.n), DatapointsToAlarm: aws.Int32(sp.n),
			Threshold: aws.Float64(sp.thresh), ComparisonOperator: sp.op, AlarmActions: []string{p.ARN},
			AlarmDescription: aws.String("DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + p.ARN + "."),
		}
		if _, err := s.call(ctx, "monitoring", "PutMetricAlarm", in); err != nil {
			return out, err
		}
		out = append(out, alarmRef{Name: an, ARN: "arn:aws:cloudwatch:" + region + ":" + s.account + ":alarm:" + an})
	}
	return out, nil
}

// deleteAlarms deletes the alarms a target tracking policy made.
func (s *Store) deleteAlarms(ctx context.Context, p *policy) {
	if s.call == nil || p.Type != "TargetTrackingScaling" || len(p.Alarms) == 0 {
		return
	}
	var names []string
	for _, a := range p.Alarms {
		names = append(names, a.Name)
	}
	_, _ = s.call(ctx, "monitoring", "DeleteAlarms", &cloudwatch.DeleteAlarmsInput{AlarmNames: names})
}

func (p *policy) out(group string) types.ScalingPolicy {
	out := types.ScalingPolicy{
		AutoScalingGroupName: aws.String(group), PolicyName: aws.String(p.Name), PolicyARN: aws.String(p.ARN), PolicyType: aws.String(p.Type),
		ScalingAdjustment: p.Scaling, MinAdjustmentMagnitude: p.MinMagnitude, Cooldown: p.Cooldown, EstimatedInstanceWarmup: p.Warmup,
		Enabled: aws.Bool(p.Enabled), StepAdjustments: p.steps(), TargetTrackingConfiguration: p.target(), Alarms: []types.Alarm{},
	}
	if p.Adjustment != "" {
		out.AdjustmentType = aws.String(p.Adjustment)
	}
	if p.Aggregation != "" {
		out.MetricAggregationType = aws.String(p.Aggregation)
	}
	if out.StepAdjustments == nil {
		out.StepAdjustments = []types.StepAdjustment{}
	}
	for _, a := range p.Alarms {
		out.Alarms = append(out.Alarms, types.Alarm{AlarmName: aws.String(a.Name), AlarmARN: aws.String(a.ARN)})
	}
	return out
}

// DescribePolicies lists the policies of a group, or of every group.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribePolicies.html
func (h *AutoScaling) DescribePolicies(ctx context.Context, in *autoscaling.DescribePoliciesInput) (*autoscaling.DescribePoliciesOutput, error) {
	out := &autoscaling.DescribePoliciesOutput{ScalingPolicies: []types.ScalingPolicy{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		name := aws.ToString(in.AutoScalingGroupName)
		if name != "" {
			if _, err := r.group(name); err != nil {
				return err
			}
		}
		var all []types.ScalingPolicy
		for _, g := range sortedGroups(r) {
			if name != "" && g.Name != name {
				continue
			}
			var ps []*policy
			for _, p := range g.Policies {
				if (len(in.PolicyNames) == 0 || slices.Contains(in.PolicyNames, p.Name) || slices.Contains(in.PolicyNames, p.ARN)) &&
					(len(in.PolicyTypes) == 0 || slices.Contains(in.PolicyTypes, p.Type)) {
					ps = append(ps, p)
				}
			}
			slices.SortFunc(ps, func(a, b *policy) int { return strings.Compare(a.Name, b.Name) })
			for _, p := range ps {
				all = append(all, p.out(g.Name))
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		out.ScalingPolicies, out.NextToken = append(out.ScalingPolicies, pg...), next
		return nil
	})
}

// policyNamed finds a policy by name or ARN; without a group, the name must be an ARN.
func (r *regionState) policyNamed(group, name string) (*group, *policy, error) {
	for _, g := range sortedGroups(r) {
		if group != "" && g.Name != group {
			continue
		}
		for _, p := range g.Policies {
			if p.Name == name && group != "" || p.ARN == name {
				return g, p, nil
			}
		}
	}
	if group != "" {
		if _, err := r.group(group); err != nil {
			return nil, nil, err
		}
	}
	return nil, nil, validation("No scaling policy found for service namespace: ec2, resource ID: autoScalingGroup/%s, scalable dimension: autoscaling:autoScalingGroup:DesiredCapacity, policy name: %s", group, name)
}

// DeletePolicy deletes a policy, and the alarms target tracking made for it.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeletePolicy.html
func (h *AutoScaling) DeletePolicy(ctx context.Context, in *autoscaling.DeletePolicyInput) (*autoscaling.DeletePolicyOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("PolicyName", in.PolicyName)
	if err != nil {
		return nil, err
	}
	var gone *policy
	err = s.write(region, func(r *regionState) error {
		g, p, err := r.policyNamed(aws.ToString(in.AutoScalingGroupName), name)
		if err != nil {
			return err
		}
		delete(g.Policies, p.Name)
		gone = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.deleteAlarms(ctx, gone)
	return &autoscaling.DeletePolicyOutput{}, nil
}

// adjust returns the capacity a simple or step policy sets from current, before the bounds.
func (p *policy) adjust(current int32, by int32) int32 {
	switch p.Adjustment {
	case "ExactCapacity":
		return by
	case "PercentChangeInCapacity":
		// A fraction rounds toward zero below 1 and above -1, away from zero otherwise; the
		// change is at least MinAdjustmentMagnitude.
		// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-adjustment
		ch := float64(current) * float64(by) / 100
		var n int32
		switch {
		case ch > 0 && ch < 1, ch < 0 && ch > -1:
			n = 0
			if ch > 0 {
				n = 1 // AWS: "Auto Scaling rounds values between 0 and 1 to 1"
			} else {
				n = -1
			}
		case ch > 0:
			n = int32(math.Floor(ch))
		default:
			n = int32(math.Ceil(ch))
		}
		if m := aws.ToInt32(p.MinMagnitude); m > 0 && n != 0 && abs(n) < m {
			n = m * sign(n)
		}
		return current + n
	}
	return current + by
}

func abs(n int32) int32 {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int32) int32 {
	if n < 0 {
		return -1
	}
	return 1
}

// execute runs a policy on g with the metric's value and the alarm's threshold (NaN when not
// known) and reports the new desired capacity. r is held for writing; why begins the cause.
func (s *Store) execute(g *group, p *policy, value, threshold float64, honorCooldown bool, why string, now time.Time) error {
	if !p.Enabled {
		return nil
	}
	current := g.Desire
	var want int32
	switch p.Type {
	case "SimpleScaling":
		cooldown := g.Cooldown
		if p.Cooldown != nil {
			cooldown = *p.Cooldown
		}
		if honorCooldown && s.cooling(g, cooldown, now) {
			return errorf(ScalingActivityInProgress, "The scaling activity on the AutoScalingGroup %s is in progress or in cooldown.", g.Name)
		}
		want = p.adjust(current, aws.ToInt32(p.Scaling))
	case "StepScaling":
		if math.IsNaN(value) || math.IsNaN(threshold) {
			return validation("Both MetricValue and BreachThreshold are required for a StepScaling policy.")
		}
		// While the instances of its last scaling warm up, a step policy waits.
		// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-step-scaling-warmup
		warmup := g.Cooldown
		if p.Warmup != nil {
			warmup = *p.Warmup
		}
		if honorCooldown && s.cooling(g, warmup, now) {
			return errorf(ScalingActivityInProgress, "The scaling activity on the AutoScalingGroup %s is in progress or its instances are warming up.", g.Name)
		}
		diff := value - threshold
		found := false
		for _, st := range p.steps() {
			lo, hi := math.Inf(-1), math.Inf(1)
			if st.MetricIntervalLowerBound != nil {
				lo = *st.MetricIntervalLowerBound
			}
			if st.MetricIntervalUpperBound != nil {
				hi = *st.MetricIntervalUpperBound
			}
			// Above the threshold the lower bound is inclusive, below it the upper.
			// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-steps
			in := diff >= lo && diff < hi
			if hi <= 0 {
				in = diff > lo && diff <= hi
			}
			if in {
				want, found = p.adjust(current, aws.ToInt32(st.ScalingAdjustment)), true
				break
			}
		}
		if !found {
			return validation("The metric value %v does not fall in any step of policy %s.", value, p.Name)
		}
	case "TargetTrackingScaling":
		tt := p.target()
		if math.IsNaN(value) || tt == nil || *tt.TargetValue <= 0 {
			return nil
		}
		// The capacity that brings the metric to the target, if the load spreads evenly over
		// the instances there are; a high metric never scales in, a low one never out.
		target := *tt.TargetValue
		want = int32(math.Ceil(float64(g.inService()) * value / target))
		if value > target && want <= current || value < target && (want >= current || aws.ToBool(tt.DisableScaleIn)) {
			return nil
		}
	default:
		return validation("Policy %s of type %s cannot be executed.", p.Name, p.Type)
	}
	want = clamp(want, g.Min, g.Max)
	if want == current {
		return nil
	}
	g.Cause = fmt.Sprintf("%s changing the desired capacity from %d to %d.", why, current, want)
	g.Desire = want
	g.LastScaled = now // the cooldown starts (the simulator's launches take no time)
	return nil
}

// ExecutePolicy runs a policy as its alarm would.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ExecutePolicy.html
func (h *AutoScaling) ExecutePolicy(ctx context.Context, in *autoscaling.ExecutePolicyInput) (*autoscaling.ExecutePolicyOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("PolicyName", in.PolicyName)
	if err != nil {
		return nil, err
	}
	value, threshold := math.NaN(), math.NaN()
	if in.MetricValue != nil {
		value = *in.MetricValue
	}
	if in.BreachThreshold != nil {
		threshold = *in.BreachThreshold
	}
	err = s.write(region, func(r *regionState) error {
		g, p, err := r.policyNamed(aws.ToString(in.AutoScalingGroupName), name)
		if err != nil {
			return err
		}
		if p.Type == "TargetTrackingScaling" {
			return validation("ExecutePolicy is not supported for a policy of type TargetTrackingScaling.")
		}
		return s.execute(g, p, value, threshold, aws.ToBool(in.HonorCooldown), fmt.Sprintf("At %s a user request executed policy %s", stamp(s.now()), p.Name), s.now())
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.ExecutePolicyOutput{}, nil
}

// AlarmAction runs the policy policyARN for the CloudWatch alarm called alarm, which entered
// ALARM at time at: CloudWatch's alarm actions on Auto Scaling policies. It only changes the
// desired capacity; the instances follow at the next Settle, so that it never calls another
// service (CloudWatch calls it under its own lock).
func (s *Store) AlarmAction(region, policyARN, alarm string, value, threshold float64, at time.Time) error {
	return s.write(region, func(r *regionState) error {
		g, p, err := r.policyNamed("", policyARN)
		if err != nil {
			return err
		}
		if g.suspended("AlarmNotification") {
			return nil // the alarm's notification is not acted on while the process is suspended
		}
		err = s.execute(g, p, value, threshold, true, fmt.Sprintf("At %s a monitor alarm %s in state ALARM triggered policy %s", stamp(at.UTC()), alarm, p.Name), at)
		if err != nil && core.AsError(err).Code == ScalingActivityInProgress {
			return nil // a cooldown or warm-up: the alarm's call is taken and ignored, as AWS does
		}
		return err
	})
}
