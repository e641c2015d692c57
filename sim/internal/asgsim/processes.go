package asgsim

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The processes a group runs, which SuspendProcesses stops and ResumeProcesses starts again.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html
var processNames = []string{"Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification", "AZRebalance",
	"HealthCheck", "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions"}

// suspended reports whether the group's process is suspended.
func (g *group) suspended(process string) bool {
	_, ok := g.Suspended[process]
	return ok
}

func (s *Store) processes(ctx context.Context, name *string, list []string, suspend bool) error {
	region := core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", name)
	if err != nil {
		return err
	}
	for _, p := range list {
		if !slices.Contains(processNames, p) {
			return validation("Invalid process name: %s. Valid process names are: %v", p, processNames)
		}
	}
	if len(list) == 0 {
		list = processNames
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		if g.Suspended == nil {
			g.Suspended = map[string]string{}
		}
		for _, p := range list {
			if !suspend {
				delete(g.Suspended, p)
			} else if _, ok := g.Suspended[p]; !ok {
				g.Suspended[p] = "User suspended at " + stamp(s.now())
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.reconcile(ctx, region)
	return nil
}

// SuspendProcesses suspends processes of a group, all of them when none is named.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SuspendProcesses.html
func (h *AutoScaling) SuspendProcesses(ctx context.Context, in *autoscaling.SuspendProcessesInput) (*autoscaling.SuspendProcessesOutput, error) {
	return &autoscaling.SuspendProcessesOutput{}, h.s.processes(ctx, in.AutoScalingGroupName, in.ScalingProcesses, true)
}

// ResumeProcesses resumes processes of a group, all of them when none is named.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ResumeProcesses.html
func (h *AutoScaling) ResumeProcesses(ctx context.Context, in *autoscaling.ResumeProcessesInput) (*autoscaling.ResumeProcessesOutput, error) {
	return &autoscaling.ResumeProcessesOutput{}, h.s.processes(ctx, in.AutoScalingGroupName, in.ScalingProcesses, false)
}

// DescribeScalingProcessTypes lists the processes.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingProcessTypes.html
func (h *AutoScaling) DescribeScalingProcessTypes(ctx context.Context, in *autoscaling.DescribeScalingProcessTypesInput) (*autoscaling.DescribeScalingProcessTypesOutput, error) {
	out := &autoscaling.DescribeScalingProcessTypesOutput{}
	for _, p := range processNames {
		out.Processes = append(out.Processes, types.ProcessType{ProcessName: aws.String(p)})
	}
	return out, nil
}

// members finds instances of a group by ID: each must be one.
func (g *group) members(ids []string) ([]*member, error) {
	if len(ids) == 0 {
		return nil, missing("InstanceIds")
	}
	var out []*member
	for _, id := range ids {
		m, ok := g.Members[id]
		if !ok {
			return nil, validation("The instance %s is not part of Auto Scaling group %s.", id, g.Name)
		}
		out = append(out, m)
	}
	return out, nil
}

// SetInstanceProtection protects instances from scale in, or stops protecting them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetInstanceProtection.html
func (h *AutoScaling) SetInstanceProtection(ctx context.Context, in *autoscaling.SetInstanceProtectionInput) (*autoscaling.SetInstanceProtectionOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if in.ProtectedFromScaleIn == nil {
		return nil, missing("ProtectedFromScaleIn")
	}
	return &autoscaling.SetInstanceProtectionOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		ms, err := g.members(in.InstanceIds)
		if err != nil {
			return err
		}
		for _, m := range ms {
			m.Protected = *in.ProtectedFromScaleIn
		}
		return nil
	})
}

// away takes InService instances out of a group's capacity — detached from it, or into
// Standby — lowering the desired capacity if asked; it returns their activities and the IDs
// to deregister from the group's target groups.
func (s *Store) away(ctx context.Context, name *string, ids []string, decrement *bool, standby bool) ([]types.Activity, error) {
	region := core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", name)
	if err != nil {
		return nil, err
	}
	if decrement == nil {
		return nil, missing("ShouldDecrementDesiredCapacity")
	}
	var acts []types.Activity
	var tgs []string
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		ms, err := g.members(ids)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Lifecycle != "InService" {
				return validation("The instance %s is not in InService.", m.ID)
			}
		}
		n := int32(len(ms))
		if *decrement && g.Desire-n < g.Min {
			return validation("AutoScalingGroup %s has min-size=%d, max-size=%d, and desired-size=%d. To place into standby or detach %d instances, please update the AutoScalingGroup sizes appropriately.", g.Name, g.Min, g.Max, g.Desire, n)
		}
		now, size := s.now(), g.inService()
		for _, m := range ms {
			var a *activity
			change := ""
			if *decrement {
				change = fmt.Sprintf(", shrinking the capacity from %d to %d", size, size-1)
				size--
				g.Desire--
			}
			if standby {
				m.Lifecycle = "Standby"
				a = s.newActivity(g, "Moving EC2 instance to Standby: "+m.ID,
					fmt.Sprintf("At %s instance %s was moved to standby in response to a user request%s.", stamp(now), m.ID, change), "Successful")
			} else {
				delete(g.Members, m.ID)
				a = s.newActivity(g, "Detaching EC2 instance: "+m.ID,
					fmt.Sprintf("At %s instance %s was detached in response to a user request%s.", stamp(now), m.ID, change), "Successful")
			}
			a.Details, a.End = s.details(region, g, m.Subnet, m.Zone), now
			acts = append(acts, a.out())
		}
		tgs = slices.Clone(g.TargetGroups)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ctx = core.WithRegion(ctx, region)
	for _, tg := range tgs {
		for _, id := range ids {
			s.register(ctx, false, tg, id)
		}
	}
	s.reconcile(ctx, region)
	return acts, nil
}

// DetachInstances removes instances from a group; they go on running, as EC2 instances of
// their own.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachInstances.html
func (h *AutoScaling) DetachInstances(ctx context.Context, in *autoscaling.DetachInstancesInput) (*autoscaling.DetachInstancesOutput, error) {
	acts, err := h.s.away(ctx, in.AutoScalingGroupName, in.InstanceIds, in.ShouldDecrementDesiredCapacity, false)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DetachInstancesOutput{Activities: acts}, nil
}

// EnterStandby moves instances to Standby: in the group, out of its capacity and its target
// groups, not health checked.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnterStandby.html
func (h *AutoScaling) EnterStandby(ctx context.Context, in *autoscaling.EnterStandbyInput) (*autoscaling.EnterStandbyOutput, error) {
	acts, err := h.s.away(ctx, in.AutoScalingGroupName, in.InstanceIds, in.ShouldDecrementDesiredCapacity, true)
	if err != nil {
		return nil, err
	}
	return &autoscaling.EnterStandbyOutput{Activities: acts}, nil
}

// ExitStandby returns instances from Standby to service, raising the desired capacity.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ExitStandby.html
func (h *AutoScaling) ExitStandby(ctx context.Context, in *autoscaling.ExitStandbyInput) (*autoscaling.ExitStandbyOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	out := &autoscaling.ExitStandbyOutput{}
	var tgs []string
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		ms, err := g.members(in.InstanceIds)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Lifecycle != "Standby" {
				return validation("The instance %s is not in Standby.", m.ID)
			}
		}
		if g.Desire+int32(len(ms)) > g.Max {
			return validation("AutoScalingGroup %s has min-size=%d, max-size=%d, and desired-size=%d. To exit standby %d instances, please update the AutoScalingGroup sizes appropriately.", g.Name, g.Min, g.Max, g.Desire, len(ms))
		}
		now, size := s.now(), g.inService()
		for _, m := range ms {
			m.Lifecycle = "InService"
			g.Desire++
			a := s.newActivity(g, "Moving EC2 instance out of Standby: "+m.ID,
				fmt.Sprintf("At %s instance %s was moved out of standby in response to a user request, increasing the capacity from %d to %d.", stamp(now), m.ID, size, size+1), "Successful")
			size++
			a.Details, a.End = s.details(region, g, m.Subnet, m.Zone), now
			out.Activities = append(out.Activities, a.out())
		}
		tgs = slices.Clone(g.TargetGroups)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, tg := range tgs {
		for _, id := range in.InstanceIds {
			s.register(core.WithRegion(ctx, region), true, tg, id)
		}
	}
	s.reconcile(ctx, region)
	return out, nil
}

// AttachInstances adds running EC2 instances to a group, in its zones, raising its desired
// capacity by as many.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AttachInstances.html
func (h *AutoScaling) AttachInstances(ctx context.Context, in *autoscaling.AttachInstancesInput) (*autoscaling.AttachInstancesOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if len(in.InstanceIds) == 0 {
		return nil, missing("InstanceIds")
	}
	res, err := s.ec2(ctx, "DescribeInstances", &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-id"), Values: in.InstanceIds}}})
	if err != nil {
		return nil, err
	}
	found := map[string]ec2types.Instance{}
	for _, rv := range res.(*ec2.DescribeInstancesOutput).Reservations {
		for _, i := range rv.Instances {
			found[aws.ToString(i.InstanceId)] = i
		}
	}
	var tgs []string
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		if g.Desire+int32(len(in.InstanceIds)) > g.Max {
			return validation("Instances could not be attached because the desired capacity would exceed the max size of the group.")
		}
		for _, id := range in.InstanceIds {
			i, ok := found[id]
			switch {
			case !ok:
				return validation("Instance %s is not found or is not in running state.", id)
			case i.State == nil || i.State.Name != ec2types.InstanceStateNameRunning:
				return validation("Instance %s is not in running state.", id)
			case !slices.Contains(g.Zones, aws.ToString(i.Placement.AvailabilityZone)):
				return validation("The instance %s is not in an Availability Zone of the group: %v.", id, g.Zones)
			case len(g.Subnets) > 0 && !slices.Contains(g.Subnets, aws.ToString(i.SubnetId)):
				return validation("The instance %s is not in a subnet of the group.", id)
			}
			if og, _ := r.memberOf(id); og != nil {
				return validation("The instance %s is already part of Auto Scaling group %s.", id, og.Name)
			}
		}
		now := s.now()
		for _, id := range in.InstanceIds {
			i := found[id]
			g.Seq++
			m := &member{ID: id, Zone: aws.ToString(i.Placement.AvailabilityZone), Subnet: aws.ToString(i.SubnetId), Lifecycle: "InService",
				Health: "Healthy", Protected: g.Protect, Image: aws.ToString(i.ImageId), Type: string(i.InstanceType), Launched: now, Seq: g.Seq}
			g.Members[id] = m
			a := s.newActivity(g, "Attaching an existing EC2 instance: "+id,
				fmt.Sprintf("At %s a user request AttachInstances changing the desired capacity from %d to %d.  At %s an existing instance %s was attached in response to a user request.",
					stamp(now), g.Desire, g.Desire+1, stamp(now), id), "Successful")
			a.Details, a.End = s.details(region, g, m.Subnet, m.Zone), now
			g.Desire++
		}
		tgs = slices.Clone(g.TargetGroups)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, tg := range tgs {
		for _, id := range in.InstanceIds {
			s.register(core.WithRegion(ctx, region), true, tg, id)
		}
	}
	s.reconcile(ctx, region)
	return &autoscaling.AttachInstancesOutput{}, nil
}

// DescribeAccountLimits reports the quotas and what the region uses of them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAccountLimits.html
func (h *AutoScaling) DescribeAccountLimits(ctx context.Context, in *autoscaling.DescribeAccountLimitsInput) (*autoscaling.DescribeAccountLimitsOutput, error) {
	out := &autoscaling.DescribeAccountLimitsOutput{MaxNumberOfAutoScalingGroups: aws.Int32(maxGroups), MaxNumberOfLaunchConfigurations: aws.Int32(maxConfigs)}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		out.NumberOfAutoScalingGroups, out.NumberOfLaunchConfigurations = aws.Int32(int32(len(r.Groups))), aws.Int32(int32(len(r.Configs)))
		return nil
	})
}

// DescribeAdjustmentTypes lists the adjustment types of simple and step policies.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAdjustmentTypes.html
func (h *AutoScaling) DescribeAdjustmentTypes(ctx context.Context, in *autoscaling.DescribeAdjustmentTypesInput) (*autoscaling.DescribeAdjustmentTypesOutput, error) {
	out := &autoscaling.DescribeAdjustmentTypesOutput{}
	for _, t := range []string{"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"} {
		out.AdjustmentTypes = append(out.AdjustmentTypes, types.AdjustmentType{AdjustmentType: aws.String(t)})
	}
	return out, nil
}

// DescribeTerminationPolicyTypes lists the termination policies.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeTerminationPolicyTypes.html
func (h *AutoScaling) DescribeTerminationPolicyTypes(ctx context.Context, in *autoscaling.DescribeTerminationPolicyTypesInput) (*autoscaling.DescribeTerminationPolicyTypesOutput, error) {
	return &autoscaling.DescribeTerminationPolicyTypesOutput{TerminationPolicyTypes: []string{"AllocationStrategy", "ClosestToNextInstanceHour", "Default",
		"NewestInstance", "OldestInstance", "OldestLaunchConfiguration", "OldestLaunchTemplate"}}, nil
}

// DescribeLifecycleHookTypes lists the transitions a lifecycle hook may name.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLifecycleHookTypes.html
func (h *AutoScaling) DescribeLifecycleHookTypes(ctx context.Context, in *autoscaling.DescribeLifecycleHookTypesInput) (*autoscaling.DescribeLifecycleHookTypesOutput, error) {
	return &autoscaling.DescribeLifecycleHookTypesOutput{LifecycleHookTypes: []string{transitionLaunching, transitionTerminating}}, nil
}
