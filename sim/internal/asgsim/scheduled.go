package asgsim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Scheduled actions set a group's sizes at a time. The simulator runs one-time actions; a
// recurring one (a cron expression) is refused as not simulated.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html

// PutScheduledUpdateGroupAction makes or replaces a scheduled action.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html
func (h *AutoScaling) PutScheduledUpdateGroupAction(ctx context.Context, in *autoscaling.PutScheduledUpdateGroupActionInput) (*autoscaling.PutScheduledUpdateGroupActionOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("ScheduledActionName", in.ScheduledActionName)
	if err != nil {
		return nil, err
	}
	if in.Recurrence != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator runs one-time scheduled actions only, not recurring ones.")
	}
	if in.MinSize == nil && in.MaxSize == nil && in.DesiredCapacity == nil {
		return nil, validation("At least one of MinSize, MaxSize or DesiredCapacity must be specified.")
	}
	at := in.StartTime
	if in.Time != nil {
		at = in.Time
	}
	now := s.now()
	if at == nil {
		at = &now
	}
	if at.Before(now) {
		return nil, validation("Given start time is in the past.")
	}
	return &autoscaling.PutScheduledUpdateGroupActionOutput{}, s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		arn := s.arn(region, "scheduledUpdateGroupAction:"+s.uuid()+":autoScalingGroupName/"+gname+":scheduledActionName/"+name)
		if old, ok := g.Scheduled[name]; ok {
			arn = old.ARN
		}
		g.Scheduled[name] = &scheduled{Name: name, ARN: arn, Start: at.UTC(), Next: at.UTC(), TimeZone: aws.ToString(in.TimeZone),
			Min: in.MinSize, Max: in.MaxSize, Desired: in.DesiredCapacity}
		return nil
	})
}

// runScheduled runs the group's one-time actions that came due, oldest first; an action whose
// sizes do not fit is dropped, as AWS's fails. r is held for writing.
func (s *Store) runScheduled(g *group, now time.Time) {
	var due []*scheduled
	for _, a := range g.Scheduled {
		if !a.Next.After(now) {
			due = append(due, a)
		}
	}
	slices.SortFunc(due, func(a, b *scheduled) int { return a.Next.Compare(b.Next) })
	for _, a := range due {
		delete(g.Scheduled, a.Name)
		min, max, desired := g.Min, g.Max, g.Desire
		if a.Min != nil {
			min = *a.Min
		}
		if a.Max != nil {
			max = *a.Max
		}
		if a.Desired != nil {
			desired = *a.Desired
		} else {
			desired = clamp(desired, min, max)
		}
		if err := capacity(min, max, desired); err != nil {
			f := s.newActivity(g, "Executing scheduled action "+a.Name, "At "+stamp(a.Next)+" a scheduled action update of AutoScalingGroup constraints failed.", "Failed")
			f.Message, f.End = core.AsError(err).Message, now
			continue
		}
		if desired != g.Desire {
			g.Cause = fmt.Sprintf("At %s a scheduled action update of AutoScalingGroup constraints to min: %d, max: %d, desired: %d changing the desired capacity from %d to %d.",
				stamp(a.Next), min, max, desired, g.Desire, desired)
		}
		g.Min, g.Max, g.Desire = min, max, desired
	}
}

// DescribeScheduledActions lists the scheduled actions that have not run.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html
func (h *AutoScaling) DescribeScheduledActions(ctx context.Context, in *autoscaling.DescribeScheduledActionsInput) (*autoscaling.DescribeScheduledActionsOutput, error) {
	out := &autoscaling.DescribeScheduledActionsOutput{ScheduledUpdateGroupActions: []types.ScheduledUpdateGroupAction{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		name := aws.ToString(in.AutoScalingGroupName)
		if name != "" {
			if _, err := r.group(name); err != nil {
				return err
			}
		}
		var all []types.ScheduledUpdateGroupAction
		for _, g := range sortedGroups(r) {
			if name != "" && g.Name != name {
				continue
			}
			var as []*scheduled
			for _, a := range g.Scheduled {
				if (len(in.ScheduledActionNames) == 0 || slices.Contains(in.ScheduledActionNames, a.Name)) &&
					(in.StartTime == nil || !a.Next.Before(*in.StartTime)) && (in.EndTime == nil || !a.Next.After(*in.EndTime)) {
					as = append(as, a)
				}
			}
			slices.SortFunc(as, func(a, b *scheduled) int { return strings.Compare(a.Name, b.Name) })
			for _, a := range as {
				all = append(all, types.ScheduledUpdateGroupAction{
					AutoScalingGroupName: aws.String(g.Name), ScheduledActionName: aws.String(a.Name), ScheduledActionARN: aws.String(a.ARN),
					Time: aws.Time(a.Next), StartTime: aws.Time(a.Start), MinSize: a.Min, MaxSize: a.Max, DesiredCapacity: a.Desired,
					TimeZone: optional(a.TimeZone),
				})
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		out.ScheduledUpdateGroupActions, out.NextToken = append(out.ScheduledUpdateGroupActions, pg...), next
		return nil
	})
}

// DeleteScheduledAction deletes a scheduled action.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteScheduledAction.html
func (h *AutoScaling) DeleteScheduledAction(ctx context.Context, in *autoscaling.DeleteScheduledActionInput) (*autoscaling.DeleteScheduledActionOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("ScheduledActionName", in.ScheduledActionName)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DeleteScheduledActionOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		if _, ok := g.Scheduled[name]; !ok {
			return validation("Scheduled action name not found - Scheduled action %s not found", name)
		}
		delete(g.Scheduled, name)
		return nil
	})
}

// CreateOrUpdateTags adds or replaces tags of groups.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateOrUpdateTags.html
func (h *AutoScaling) CreateOrUpdateTags(ctx context.Context, in *autoscaling.CreateOrUpdateTagsInput) (*autoscaling.CreateOrUpdateTagsOutput, error) {
	if len(in.Tags) == 0 {
		return nil, missing("Tags")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &autoscaling.CreateOrUpdateTagsOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		for _, t := range in.Tags {
			if rt := aws.ToString(t.ResourceType); rt != "" && rt != "auto-scaling-group" {
				return validation("Invalid resource type %s: the only resource type is auto-scaling-group.", rt)
			}
			if _, err := r.group(aws.ToString(t.ResourceId)); err != nil {
				return err
			}
		}
		for _, t := range in.Tags {
			r.Groups[aws.ToString(t.ResourceId)].setTag(tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value), Propagate: aws.ToBool(t.PropagateAtLaunch)})
		}
		return nil
	})
}

// DeleteTags removes tags of groups, by key.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteTags.html
func (h *AutoScaling) DeleteTags(ctx context.Context, in *autoscaling.DeleteTagsInput) (*autoscaling.DeleteTagsOutput, error) {
	if len(in.Tags) == 0 {
		return nil, missing("Tags")
	}
	return &autoscaling.DeleteTagsOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		for _, t := range in.Tags {
			if _, err := r.group(aws.ToString(t.ResourceId)); err != nil {
				return err
			}
		}
		for _, t := range in.Tags {
			g := r.Groups[aws.ToString(t.ResourceId)]
			g.Tags = slices.DeleteFunc(g.Tags, func(x tag) bool { return x.Key == aws.ToString(t.Key) })
		}
		return nil
	})
}

// DescribeTags lists the tags of every group, with filters auto-scaling-group, key, value and
// propagate-at-launch.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeTags.html
func (h *AutoScaling) DescribeTags(ctx context.Context, in *autoscaling.DescribeTagsInput) (*autoscaling.DescribeTagsOutput, error) {
	out := &autoscaling.DescribeTagsOutput{Tags: []types.TagDescription{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var all []types.TagDescription
		for _, g := range sortedGroups(r) {
			ts := slices.Clone(g.Tags)
			slices.SortFunc(ts, func(a, b tag) int { return strings.Compare(a.Key, b.Key) })
			for _, t := range ts {
				ok := true
				for _, f := range in.Filters {
					var v string
					switch aws.ToString(f.Name) {
					case "auto-scaling-group":
						v = g.Name
					case "key":
						v = t.Key
					case "value":
						v = t.Value
					case "propagate-at-launch":
						v = fmt.Sprint(t.Propagate)
					default:
						return validation("Filter type %s is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch", aws.ToString(f.Name))
					}
					ok = ok && slices.Contains(f.Values, v)
				}
				if ok {
					all = append(all, t.out(g.Name))
				}
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		out.Tags, out.NextToken = append(out.Tags, pg...), next
		return nil
	})
}

// AttachLoadBalancerTargetGroups attaches target groups; the group's instances are
// registered with them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AttachLoadBalancerTargetGroups.html
func (h *AutoScaling) AttachLoadBalancerTargetGroups(ctx context.Context, in *autoscaling.AttachLoadBalancerTargetGroupsInput) (*autoscaling.AttachLoadBalancerTargetGroupsOutput, error) {
	return &autoscaling.AttachLoadBalancerTargetGroupsOutput{}, h.s.attach(ctx, in.AutoScalingGroupName, in.TargetGroupARNs, true)
}

// DetachLoadBalancerTargetGroups detaches target groups; the group's instances are
// deregistered from them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachLoadBalancerTargetGroups.html
func (h *AutoScaling) DetachLoadBalancerTargetGroups(ctx context.Context, in *autoscaling.DetachLoadBalancerTargetGroupsInput) (*autoscaling.DetachLoadBalancerTargetGroupsOutput, error) {
	return &autoscaling.DetachLoadBalancerTargetGroupsOutput{}, h.s.attach(ctx, in.AutoScalingGroupName, in.TargetGroupARNs, false)
}

func trafficTargets(ts []types.TrafficSourceIdentifier) ([]string, error) {
	var out []string
	for _, t := range ts {
		switch aws.ToString(t.Type) {
		case "", "elbv2":
			out = append(out, aws.ToString(t.Identifier))
		default:
			return nil, core.Errorf(core.NotImplemented, "The simulator attaches ELBv2 target groups only, not traffic sources of type %s.", aws.ToString(t.Type))
		}
	}
	return out, nil
}

// AttachTrafficSources attaches ELBv2 target groups, as AttachLoadBalancerTargetGroups does.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AttachTrafficSources.html
func (h *AutoScaling) AttachTrafficSources(ctx context.Context, in *autoscaling.AttachTrafficSourcesInput) (*autoscaling.AttachTrafficSourcesOutput, error) {
	tgs, err := trafficTargets(in.TrafficSources)
	if err != nil {
		return nil, err
	}
	return &autoscaling.AttachTrafficSourcesOutput{}, h.s.attach(ctx, in.AutoScalingGroupName, tgs, true)
}

// DetachTrafficSources detaches ELBv2 target groups.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachTrafficSources.html
func (h *AutoScaling) DetachTrafficSources(ctx context.Context, in *autoscaling.DetachTrafficSourcesInput) (*autoscaling.DetachTrafficSourcesOutput, error) {
	tgs, err := trafficTargets(in.TrafficSources)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DetachTrafficSourcesOutput{}, h.s.attach(ctx, in.AutoScalingGroupName, tgs, false)
}

// attach adds (on) or removes target groups of a group and registers or deregisters its
// in-service instances with each, through ELBv2.
func (s *Store) attach(ctx context.Context, groupName *string, tgs []string, on bool) error {
	region := core.RegionFrom(ctx)
	name, err := checkName("AutoScalingGroupName", groupName)
	if err != nil {
		return err
	}
	if len(tgs) == 0 {
		return missing("TargetGroupARNs")
	}
	for _, tg := range tgs {
		if !strings.HasPrefix(tg, "arn:aws:elasticloadbalancing:") || !strings.Contains(tg, ":targetgroup/") {
			return validation("%s is not a valid target group ARN.", tg)
		}
	}
	var ids []string
	var changed []string
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(name)
		if err != nil {
			return err
		}
		for _, tg := range tgs {
			has := slices.Contains(g.TargetGroups, tg)
			switch {
			case on && !has:
				g.TargetGroups = append(g.TargetGroups, tg)
				changed = append(changed, tg)
			case !on && has:
				g.TargetGroups = slices.DeleteFunc(g.TargetGroups, func(x string) bool { return x == tg })
				changed = append(changed, tg)
			}
		}
		for _, m := range sortedMembers(g) {
			if m.Lifecycle == "InService" {
				ids = append(ids, m.ID)
			}
		}
		return nil
	})
	if err != nil || s.targets == nil || len(ids) == 0 {
		return err
	}
	ctx = core.WithRegion(ctx, region)
	for _, tg := range changed {
		if err := s.targets(ctx, on, tg, ids); err != nil {
			return err
		}
	}
	return nil
}
