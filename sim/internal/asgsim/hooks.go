package asgsim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Lifecycle hooks hold an instance in Pending:Wait after its launch, or in Terminating:Wait
// before its termination, until CompleteLifecycleAction names it or the hook's heartbeat
// timeout passes on the clock; then the result (CONTINUE, ABANDON, or the hook's default)
// decides: a launching instance goes InService or is terminated, a terminating one is
// terminated either way. Notifications to the hook's target are not sent.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html

const (
	transitionLaunching   = "autoscaling:EC2_INSTANCE_LAUNCHING"
	transitionTerminating = "autoscaling:EC2_INSTANCE_TERMINATING"
	maxHooks              = 50 // per group
)

type hook struct {
	Name            string
	Transition      string
	Result          string // the default result
	Heartbeat       int32  // seconds
	Metadata        string `json:",omitempty"`
	NotificationARN string `json:",omitempty"`
	RoleARN         string `json:",omitempty"`
}

// wait is an instance's lifecycle action: the hooks it waits for, each with its deadline and,
// once completed, its result.
type wait struct {
	Token      string
	Transition string
	Hooks      map[string]*hookWait
}

type hookWait struct {
	Deadline time.Time
	Result   string `json:",omitempty"`
}

func newHook(name, transition, result string, heartbeat *int32) (*hook, error) {
	if name == "" || len(name) > 255 {
		return nil, validation("1 validation error detected: Value '%s' at 'lifecycleHookName' failed to satisfy constraint: Member must have length between 1 and 255", name)
	}
	switch transition {
	case transitionLaunching, transitionTerminating:
	default:
		return nil, validation("Invalid Lifecycle Transition %s. Valid values are %s and %s.", transition, transitionLaunching, transitionTerminating)
	}
	h := &hook{Name: name, Transition: transition, Result: "ABANDON", Heartbeat: 3600}
	switch result {
	case "":
	case "CONTINUE", "ABANDON":
		h.Result = result
	default:
		return nil, validation("Invalid default result %s. Valid values are CONTINUE and ABANDON.", result)
	}
	if heartbeat != nil {
		if *heartbeat < 30 || *heartbeat > 7200 {
			return nil, validation("Heartbeat timeout must be between 30 and 7200 seconds.")
		}
		h.Heartbeat = *heartbeat
	}
	return h, nil
}

// hooksFor returns the group's hooks of a transition, by name.
func (g *group) hooksFor(transition string) []*hook {
	var out []*hook
	for _, h := range g.Hooks {
		if h.Transition == transition {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b *hook) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// startWait puts m in the transition's wait if the group has hooks for it, and reports
// whether it did. r is held for writing.
func (s *Store) startWait(g *group, m *member, transition string, now time.Time) bool {
	hs := g.hooksFor(transition)
	if len(hs) == 0 {
		return false
	}
	w := &wait{Token: s.uuid(), Transition: transition, Hooks: map[string]*hookWait{}}
	for _, h := range hs {
		w.Hooks[h.Name] = &hookWait{Deadline: now.Add(secs(h.Heartbeat))}
	}
	m.Wait = w
	if transition == transitionLaunching {
		m.Lifecycle = "Pending:Wait"
	} else {
		m.Lifecycle = "Terminating:Wait"
	}
	return true
}

// settleWait decides m's lifecycle action if every hook has its result or is past its
// deadline (the hook's default result, or ABANDON for a hook deleted meanwhile); it returns
// the result, or "" while the action waits.
func (g *group) settleWait(m *member, now time.Time) string {
	if m.Wait == nil {
		return "CONTINUE"
	}
	result := "CONTINUE"
	for name, hw := range m.Wait.Hooks {
		r := hw.Result
		if r == "" {
			if now.Before(hw.Deadline) {
				return ""
			}
			r = "ABANDON"
			if h, ok := g.Hooks[name]; ok {
				r = h.Result
			}
		}
		if r == "ABANDON" {
			result = "ABANDON"
		}
	}
	m.Wait = nil
	return result
}

// PutLifecycleHook makes or replaces a lifecycle hook of a group.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html
func (h *AutoScaling) PutLifecycleHook(ctx context.Context, in *autoscaling.PutLifecycleHookInput) (*autoscaling.PutLifecycleHookOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("LifecycleHookName", in.LifecycleHookName)
	if err != nil {
		return nil, err
	}
	return &autoscaling.PutLifecycleHookOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		old := g.Hooks[name]
		transition := aws.ToString(in.LifecycleTransition)
		if transition == "" && old != nil {
			transition = old.Transition
		}
		if transition == "" {
			return missing("LifecycleTransition")
		}
		hk, err := newHook(name, transition, aws.ToString(in.DefaultResult), in.HeartbeatTimeout)
		if err != nil {
			return err
		}
		hk.Metadata, hk.NotificationARN, hk.RoleARN = aws.ToString(in.NotificationMetadata), aws.ToString(in.NotificationTargetARN), aws.ToString(in.RoleARN)
		if old == nil && len(g.Hooks) >= maxHooks {
			return errorf(LimitExceeded, "Unable to create lifecycle hook %s for AutoScalingGroup %s: you have reached the limit of %d lifecycle hooks.", name, gname, maxHooks)
		}
		g.Hooks[name] = hk
		return nil
	})
}

// DescribeLifecycleHooks lists a group's hooks.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLifecycleHooks.html
func (h *AutoScaling) DescribeLifecycleHooks(ctx context.Context, in *autoscaling.DescribeLifecycleHooksInput) (*autoscaling.DescribeLifecycleHooksOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	out := &autoscaling.DescribeLifecycleHooksOutput{LifecycleHooks: []types.LifecycleHook{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		for _, t := range []string{transitionLaunching, transitionTerminating} {
			for _, hk := range g.hooksFor(t) {
				if len(in.LifecycleHookNames) > 0 && !slices.Contains(in.LifecycleHookNames, hk.Name) {
					continue
				}
				out.LifecycleHooks = append(out.LifecycleHooks, types.LifecycleHook{
					AutoScalingGroupName: aws.String(g.Name), LifecycleHookName: aws.String(hk.Name), LifecycleTransition: aws.String(hk.Transition),
					DefaultResult: aws.String(hk.Result), HeartbeatTimeout: aws.Int32(hk.Heartbeat),
					// "The maximum time ... is 100 times HeartbeatTimeout or 48 hours, whichever is smaller."
					GlobalTimeout:        aws.Int32(min(100*hk.Heartbeat, 172800)),
					NotificationMetadata: optional(hk.Metadata), NotificationTargetARN: optional(hk.NotificationARN), RoleARN: optional(hk.RoleARN),
				})
			}
		}
		return nil
	})
}

// DeleteLifecycleHook deletes a hook; the actions waiting on it are abandoned, as AWS does.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteLifecycleHook.html
func (h *AutoScaling) DeleteLifecycleHook(ctx context.Context, in *autoscaling.DeleteLifecycleHookInput) (*autoscaling.DeleteLifecycleHookOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("LifecycleHookName", in.LifecycleHookName)
	if err != nil {
		return nil, err
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(gname)
		if err != nil {
			return err
		}
		if _, ok := g.Hooks[name]; !ok {
			return validation("No Lifecycle Hook found for name %s and AutoScalingGroup %s", name, gname)
		}
		delete(g.Hooks, name)
		for _, m := range g.Members {
			if m.Wait != nil && m.Wait.Hooks[name] != nil && m.Wait.Hooks[name].Result == "" {
				m.Wait.Hooks[name].Result = "ABANDON"
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.DeleteLifecycleHookOutput{}, nil
}

// lifecycleAction finds the waiting action of a hook that an instance ID or a token names.
func (r *regionState) lifecycleAction(group, hookName string, instance, token *string) (*group, *member, *hookWait, error) {
	g, err := r.group(group)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, ok := g.Hooks[hookName]; !ok {
		return nil, nil, nil, validation("No Lifecycle Hook found for name %s and AutoScalingGroup %s", hookName, group)
	}
	for _, m := range sortedMembers(g) {
		if m.Wait == nil || (instance != nil && m.ID != *instance) || (token != nil && m.Wait.Token != *token) {
			continue
		}
		if hw := m.Wait.Hooks[hookName]; hw != nil && hw.Result == "" {
			return g, m, hw, nil
		}
	}
	if instance != nil {
		return nil, nil, nil, validation("No active Lifecycle Action found with instance ID %s", *instance)
	}
	return nil, nil, nil, validation("No active Lifecycle Action found with token %s", aws.ToString(token))
}

// CompleteLifecycleAction ends a hook's wait for an instance with CONTINUE or ABANDON.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CompleteLifecycleAction.html
func (h *AutoScaling) CompleteLifecycleAction(ctx context.Context, in *autoscaling.CompleteLifecycleActionInput) (*autoscaling.CompleteLifecycleActionOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("LifecycleHookName", in.LifecycleHookName)
	if err != nil {
		return nil, err
	}
	result := aws.ToString(in.LifecycleActionResult)
	if result != "CONTINUE" && result != "ABANDON" {
		return nil, validation("Invalid lifecycle action result %s. Valid values are CONTINUE and ABANDON.", result)
	}
	if in.InstanceId == nil && in.LifecycleActionToken == nil {
		return nil, validation("Either an instance ID or a lifecycle action token is required.")
	}
	err = s.write(region, func(r *regionState) error {
		_, _, hw, err := r.lifecycleAction(gname, name, in.InstanceId, in.LifecycleActionToken)
		if err != nil {
			return err
		}
		hw.Result = result
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.CompleteLifecycleActionOutput{}, nil
}

// RecordLifecycleActionHeartbeat restarts a hook's heartbeat timeout for an instance.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RecordLifecycleActionHeartbeat.html
func (h *AutoScaling) RecordLifecycleActionHeartbeat(ctx context.Context, in *autoscaling.RecordLifecycleActionHeartbeatInput) (*autoscaling.RecordLifecycleActionHeartbeatOutput, error) {
	gname, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	name, err := checkName("LifecycleHookName", in.LifecycleHookName)
	if err != nil {
		return nil, err
	}
	if in.InstanceId == nil && in.LifecycleActionToken == nil {
		return nil, validation("Either an instance ID or a lifecycle action token is required.")
	}
	return &autoscaling.RecordLifecycleActionHeartbeatOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		g, _, hw, err := r.lifecycleAction(gname, name, in.InstanceId, in.LifecycleActionToken)
		if err != nil {
			return err
		}
		hw.Deadline = h.s.now().Add(secs(g.Hooks[name].Heartbeat))
		return nil
	})
}
