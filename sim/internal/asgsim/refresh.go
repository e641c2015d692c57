package asgsim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// An instance refresh replaces a group's instances in batches on the clock: each round that
// finds the group whole (every instance InService, as many as desired) and the last batch
// warmed up terminates the next batch — as many as MinHealthyPercentage allows, at least one
// — and the group launches their replacements from its (or the refresh's desired) launch
// template. Checkpoints, alarms, rollback and warm pools are not simulated.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html

type refresh struct {
	ID          string
	Status      string
	Reason      string `json:",omitempty"`
	Start, End  time.Time
	MinHealthy  int32
	MaxHealthy  int32
	Warmup      int32
	SkipMatch   bool
	Template    *templateRef `json:",omitempty"` // DesiredConfiguration's
	Seq         uint64       // the instances launched up to it (member.Seq ≤ Seq) are to be replaced
	Total       int32
	Replaced    int32
	NextBatch   time.Time
	Terminating []string `json:",omitempty"` // the current batch
}

// maxRefreshes is how many refreshes a group remembers.
const maxRefreshes = 50

func (g *group) activeRefresh() *refresh {
	for _, rf := range g.Refreshes {
		switch rf.Status {
		case "Pending", "InProgress", "Cancelling":
			return rf
		}
	}
	return nil
}

// StartInstanceRefresh starts replacing a group's instances.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
func (h *AutoScaling) StartInstanceRefresh(ctx context.Context, in *autoscaling.StartInstanceRefreshInput) (*autoscaling.StartInstanceRefreshOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if in.Strategy != "" && in.Strategy != types.RefreshStrategyRolling {
		return nil, validation("Invalid refresh strategy %s. The only valid value is Rolling.", in.Strategy)
	}
	rf := &refresh{Status: "Pending", MinHealthy: 90, MaxHealthy: 100, Warmup: -1}
	if p := in.Preferences; p != nil {
		if p.MinHealthyPercentage != nil {
			rf.MinHealthy = *p.MinHealthyPercentage
		}
		if p.MaxHealthyPercentage != nil {
			rf.MaxHealthy = *p.MaxHealthyPercentage
		}
		if rf.MinHealthy < 0 || rf.MinHealthy > 100 || rf.MaxHealthy < 100 || rf.MaxHealthy > 200 || rf.MaxHealthy-rf.MinHealthy > 100 {
			return nil, validation("MinHealthyPercentage must be between 0 and 100, MaxHealthyPercentage between 100 and 200, and the difference between them at most 100.")
		}
		if p.InstanceWarmup != nil {
			rf.Warmup = *p.InstanceWarmup
		}
		rf.SkipMatch = aws.ToBool(p.SkipMatching)
		if len(p.CheckpointPercentages) > 0 || p.AlarmSpecification != nil || aws.ToBool(p.AutoRollback) {
			return nil, core.Errorf(core.NotImplemented, "The simulator's instance refreshes have no checkpoints, alarms or rollback.")
		}
	}
	if d := in.DesiredConfiguration; d != nil {
		spec := d.LaunchTemplate
		if d.MixedInstancesPolicy != nil && d.MixedInstancesPolicy.LaunchTemplate != nil {
			spec = d.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
		}
		if spec == nil {
			return nil, validation("A desired configuration must specify a launch template.")
		}
		if rf.Template, err = s.resolveTemplate(ctx, spec); err != nil {
			return nil, err
		}
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		if g.activeRefresh() != nil {
			return errorf(InstanceRefreshInProgress, "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
		}
		if rf.Template != nil && g.Config != "" {
			return validation("A desired configuration with a launch template is not allowed for a group that uses a launch configuration.")
		}
		if rf.Warmup < 0 {
			rf.Warmup = g.Grace
		}
		rf.ID, rf.Start, rf.Seq = s.uuid(), s.now(), g.Seq
		for _, m := range g.Members {
			if m.counts() && rf.replaces(g, m) {
				rf.Total++
			}
		}
		g.Refreshes = append([]*refresh{rf}, g.Refreshes...)
		if len(g.Refreshes) > maxRefreshes {
			g.Refreshes = g.Refreshes[:maxRefreshes]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.StartInstanceRefreshOutput{InstanceRefreshId: aws.String(rf.ID)}, nil
}

// replaces reports whether the refresh replaces m: launched before it began and, with
// SkipMatching, not launched from its target configuration already.
func (rf *refresh) replaces(g *group, m *member) bool {
	if m.Seq > rf.Seq {
		return false
	}
	if !rf.SkipMatch {
		return true
	}
	want := g.Template
	if rf.Template != nil {
		want = rf.Template
	}
	if g.Config != "" {
		return m.Config != g.Config
	}
	return m.Template == nil || want == nil || *m.Template != *want
}

// step plays the refresh one round: it reports the instances to take out of service now.
// r is held for writing.
func (rf *refresh) step(g *group, now time.Time) []*member {
	if rf.Status == "Cancelling" {
		if len(rf.Terminating) == 0 || !slices.ContainsFunc(rf.Terminating, func(id string) bool { return g.Members[id] != nil }) {
			rf.Status, rf.End, rf.Reason = "Cancelled", now, "Cancelled due to user request."
		}
		return nil
	}
	var left []*member
	whole := g.inService() >= g.Desire
	for _, m := range sortedMembers(g) {
		if m.Lifecycle != "InService" && m.counts() {
			whole = false
		}
		if m.counts() && rf.replaces(g, m) {
			left = append(left, m)
		}
	}
	rf.Terminating = slices.DeleteFunc(rf.Terminating, func(id string) bool { return g.Members[id] == nil })
	if !whole || len(rf.Terminating) > 0 || now.Before(rf.NextBatch) {
		return nil
	}
	if len(left) == 0 {
		rf.Status, rf.End, rf.Reason = "Successful", now, ""
		rf.Replaced = rf.Total
		if rf.Template != nil {
			g.Template, g.Mixed = rf.Template, false
		}
		return nil
	}
	rf.Status = "InProgress"
	// MinHealthyPercentage of the desired capacity stays in service: the rest, at least one,
	// is replaced at a time.
	batch := max(1, int(g.Desire)-int((int64(g.Desire)*int64(rf.MinHealthy)+99)/100))
	batch = min(batch, len(left))
	rf.Replaced = rf.Total - int32(len(left))
	rf.NextBatch = now.Add(secs(rf.Warmup))
	out := left[:batch]
	for _, m := range out {
		rf.Terminating = append(rf.Terminating, m.ID)
	}
	return out
}

func (rf *refresh) out(g *group) types.InstanceRefresh {
	pct := int32(100)
	if rf.Total > 0 {
		pct = rf.Replaced * 100 / rf.Total
	}
	out := types.InstanceRefresh{
		InstanceRefreshId: aws.String(rf.ID), AutoScalingGroupName: aws.String(g.Name), Status: types.InstanceRefreshStatus(rf.Status),
		StartTime: aws.Time(rf.Start), PercentageComplete: aws.Int32(pct), InstancesToUpdate: aws.Int32(rf.Total - rf.Replaced),
		Strategy: types.RefreshStrategyRolling,
		Preferences: &types.RefreshPreferences{MinHealthyPercentage: aws.Int32(rf.MinHealthy), MaxHealthyPercentage: aws.Int32(rf.MaxHealthy),
			InstanceWarmup: aws.Int32(rf.Warmup), SkipMatching: aws.Bool(rf.SkipMatch), AutoRollback: aws.Bool(false),
			ScaleInProtectedInstances: types.ScaleInProtectedInstancesIgnore, StandbyInstances: types.StandbyInstancesIgnore},
		ProgressDetails: &types.InstanceRefreshProgressDetails{LivePoolProgress: &types.InstanceRefreshLivePoolProgress{
			PercentageComplete: aws.Int32(pct), InstancesToUpdate: aws.Int32(rf.Total - rf.Replaced)}},
	}
	if rf.Status == "Successful" || rf.Status == "Cancelled" {
		out.InstancesToUpdate, out.ProgressDetails.LivePoolProgress.InstancesToUpdate = aws.Int32(0), aws.Int32(0)
	}
	if !rf.End.IsZero() {
		out.EndTime = aws.Time(rf.End)
	}
	if rf.Reason != "" {
		out.StatusReason = aws.String(rf.Reason)
	}
	if rf.Template != nil {
		out.DesiredConfiguration = &types.DesiredConfiguration{LaunchTemplate: rf.Template.out()}
	}
	return out
}

// DescribeInstanceRefreshes lists a group's refreshes, newest first.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
func (h *AutoScaling) DescribeInstanceRefreshes(ctx context.Context, in *autoscaling.DescribeInstanceRefreshesInput) (*autoscaling.DescribeInstanceRefreshesOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	out := &autoscaling.DescribeInstanceRefreshesOutput{InstanceRefreshes: []types.InstanceRefresh{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		var all []types.InstanceRefresh
		for _, rf := range g.Refreshes {
			if len(in.InstanceRefreshIds) == 0 || slices.Contains(in.InstanceRefreshIds, rf.ID) {
				all = append(all, rf.out(g))
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		out.InstanceRefreshes, out.NextToken = append(out.InstanceRefreshes, pg...), next
		return nil
	})
}

// CancelInstanceRefresh stops a refresh: the batch under way finishes, no other starts.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
func (h *AutoScaling) CancelInstanceRefresh(ctx context.Context, in *autoscaling.CancelInstanceRefreshInput) (*autoscaling.CancelInstanceRefreshOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	out := &autoscaling.CancelInstanceRefreshOutput{}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		rf := g.activeRefresh()
		if rf == nil || rf.Status == "Cancelling" {
			return errorf(ActiveInstanceRefreshNotFound, "No in progress or pending Instance Refresh found for Auto Scaling group %s", gname)
		}
		rf.Status = "Cancelling"
		out.InstanceRefreshId = aws.String(rf.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return out, nil
}

// refreshCause is the cause of a termination for a refresh.
func refreshCause(now time.Time, id string) string {
	return fmt.Sprintf("At %s an instance was taken out of service in response to an instance refresh.  At %s instance %s was selected for termination.", stamp(now), stamp(now), id)
}
