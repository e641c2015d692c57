package asgsim

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// AutoScaling is the handler: one method per operation, with the SDK client's signature.
type AutoScaling struct{ s *Store }

// New returns the handler of s's operations.
func New(s *Store) *AutoScaling { return &AutoScaling{s} }

// maxGroups is AWS's default quota of groups per region.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html
const maxGroups = 500

// checkName applies Auto Scaling's rule for names: 1 to 255 characters, no colon... AWS's
// pattern is [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*.
func checkName(param string, v *string) (string, error) {
	n := aws.ToString(v)
	switch {
	case v == nil:
		return "", missing(param)
	case n == "" || len(n) > 255:
		return "", validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between 1 and 255", n, lowerFirst(param))
	}
	return n, nil
}

// capacity checks min ≤ desired ≤ max with AWS's messages.
func capacity(min, max, desired int32) error {
	switch {
	case min < 0:
		return validation("1 validation error detected: Value '%d' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0", min)
	case max < 0:
		return validation("1 validation error detected: Value '%d' at 'maxSize' failed to satisfy constraint: Member must have value greater than or equal to 0", max)
	case min > max:
		return validation("Max bound, %d, must be greater than or equal to min bound, %d", max, min)
	case desired < min || desired > max:
		return validation("Desired capacity:%d must be between the specified min size:%d and max size:%d", desired, min, max)
	}
	return nil
}

// network is where a group's instances go: its subnets and their zones, or its zones.
type network struct {
	zones   []string
	subnets []string
	zoneOf  map[string]string
}

// resolveNetwork reads VPCZoneIdentifier's subnets from EC2 (their zones), or checks the
// zones named.
func (s *Store) resolveNetwork(ctx context.Context, vpcZones *string, zones []string) (network, error) {
	var ids []string
	for _, id := range strings.Split(aws.ToString(vpcZones), ",") {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		if len(zones) == 0 {
			return network{}, validation("At least one Availability Zone or VPC Subnet is required.")
		}
		out, err := s.ec2(ctx, "DescribeAvailabilityZones", &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			return network{}, err
		}
		var known []string
		for _, z := range out.(*ec2.DescribeAvailabilityZonesOutput).AvailabilityZones {
			known = append(known, aws.ToString(z.ZoneName))
		}
		var n network
		for _, z := range zones {
			if !slices.Contains(known, z) {
				return network{}, validation("The availability zone %s is not legally formatted or is not available.", z)
			}
			if !slices.Contains(n.zones, z) {
				n.zones = append(n.zones, z)
			}
		}
		return n, nil
	}
	var n network
	vpc := ""
	for _, id := range ids {
		out, err := s.ec2(ctx, "DescribeSubnets", &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: []string{id}}}})
		if err != nil {
			return network{}, err
		}
		sns := out.(*ec2.DescribeSubnetsOutput).Subnets
		if len(sns) == 0 {
			return network{}, validation("The subnet ID '%s' does not exist", id)
		}
		sn := sns[0]
		if vpc != "" && aws.ToString(sn.VpcId) != vpc {
			return network{}, validation("The subnets %s are not in the same VPC.", strings.Join(ids, ", "))
		}
		vpc = aws.ToString(sn.VpcId)
		n.subnets = append(n.subnets, id)
		if n.zoneOf == nil {
			n.zoneOf = map[string]string{}
		}
		n.zoneOf[id] = aws.ToString(sn.AvailabilityZone)
		if z := aws.ToString(sn.AvailabilityZone); !slices.Contains(n.zones, z) {
			n.zones = append(n.zones, z)
		}
	}
	if len(zones) > 0 {
		a, b := slices.Clone(zones), slices.Clone(n.zones)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(slices.Compact(a), b) {
			return network{}, validation("The availability zones of the specified subnets and the Auto Scaling group do not match")
		}
	}
	return n, nil
}

// ec2 calls an EC2 operation for Auto Scaling.
func (s *Store) ec2(ctx context.Context, op string, in any) (any, error) {
	if s.call == nil {
		return nil, core.Errorf(core.InternalError, "Auto Scaling cannot reach EC2 in this simulator")
	}
	return s.call(ctx, "ec2", op, in)
}

// resolveTemplate checks a launch template through EC2 and returns the reference a group
// keeps: its ID and name, and the version as given ($Default when none).
func (s *Store) resolveTemplate(ctx context.Context, spec *types.LaunchTemplateSpecification) (*templateRef, error) {
	if (spec.LaunchTemplateId == nil) == (spec.LaunchTemplateName == nil) {
		return nil, validation("Valid requests must contain either launchTemplateId or LaunchTemplateName")
	}
	in := &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: spec.LaunchTemplateId, LaunchTemplateName: spec.LaunchTemplateName}
	version := aws.ToString(spec.Version)
	if version == "" {
		version = "$Default"
	}
	in.Versions = []string{version}
	out, err := s.ec2(ctx, "DescribeLaunchTemplateVersions", in)
	if err != nil {
		e := core.AsError(err)
		if e.Status >= 500 {
			return nil, err
		}
		return nil, validation("You must use a valid fully-formed launch template. %s", e.Message)
	}
	vs := out.(*ec2.DescribeLaunchTemplateVersionsOutput).LaunchTemplateVersions
	if len(vs) != 1 {
		return nil, validation("You must use a valid fully-formed launch template. The launch template version %s does not exist.", version)
	}
	if vs[0].LaunchTemplateData == nil || vs[0].LaunchTemplateData.ImageId == nil {
		return nil, validation("You must use a valid fully-formed launch template. The launch template must specify an image ID.")
	}
	return &templateRef{ID: aws.ToString(vs[0].LaunchTemplateId), Name: aws.ToString(vs[0].LaunchTemplateName), Version: version}, nil
}

// launchSource resolves what a group launches from: exactly one of a launch configuration, a
// launch template, or a mixed instances policy's template.
func (s *Store) launchSource(ctx context.Context, region string, config *string, tmpl *types.LaunchTemplateSpecification, mixed *types.MixedInstancesPolicy, instanceID *string) (string, *templateRef, bool, error) {
	n := 0
	for _, set := range []bool{config != nil, tmpl != nil, mixed != nil, instanceID != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", nil, false, validation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
	}
	switch {
	case instanceID != nil:
		return "", nil, false, core.Errorf(core.NotImplemented, "The simulator makes groups from a launch configuration or a launch template, not from an instance.")
	case config != nil:
		err := s.read(region, func(r *regionState) error {
			if _, ok := r.Configs[*config]; !ok {
				return validation("Launch configuration name not found - Launch configuration %s not found", *config)
			}
			return nil
		})
		return *config, nil, false, err
	case mixed != nil:
		if mixed.LaunchTemplate == nil || mixed.LaunchTemplate.LaunchTemplateSpecification == nil {
			return "", nil, false, validation("A launch template must be specified in the MixedInstancesPolicy.")
		}
		ref, err := s.resolveTemplate(ctx, mixed.LaunchTemplate.LaunchTemplateSpecification)
		return "", ref, true, err
	}
	ref, err := s.resolveTemplate(ctx, tmpl)
	return "", ref, false, err
}

func checkHealthCheck(typ *string, grace *int32) error {
	switch aws.ToString(typ) {
	case "", "EC2", "ELB", "VPC_LATTICE", "EBS":
	default:
		return validation("Health check type '%s' is invalid; must be one of EC2, ELB, VPC_LATTICE, EBS.", aws.ToString(typ))
	}
	if grace != nil && *grace < 0 {
		return validation("1 validation error detected: Value '%d' at 'healthCheckGracePeriod' failed to satisfy constraint: Member must have value greater than or equal to 0", *grace)
	}
	return nil
}

// checkTags applies Auto Scaling's tag rules to the tags a request gives.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html
func checkTags(ts []types.Tag) error {
	for _, t := range ts {
		k := aws.ToString(t.Key)
		switch {
		case k == "" || len(k) > 128:
			return validation("1 validation error detected: Value '%s' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128", k)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return validation("Tag keys starting with 'aws:' are reserved for internal use")
		case len(aws.ToString(t.Value)) > 256:
			return validation("1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256")
		}
	}
	return nil
}

// CreateAutoScalingGroup makes a group; its instances launch at once, through EC2.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html
func (h *AutoScaling) CreateAutoScalingGroup(ctx context.Context, in *autoscaling.CreateAutoScalingGroupInput) (*autoscaling.CreateAutoScalingGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if in.MinSize == nil {
		return nil, missing("MinSize")
	}
	if in.MaxSize == nil {
		return nil, missing("MaxSize")
	}
	desired := aws.ToInt32(in.MinSize)
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	}
	if err := capacity(*in.MinSize, *in.MaxSize, desired); err != nil {
		return nil, err
	}
	if err := checkHealthCheck(in.HealthCheckType, in.HealthCheckGracePeriod); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	var hooks []*hook
	for _, hs := range in.LifecycleHookSpecificationList {
		hk, err := newHook(aws.ToString(hs.LifecycleHookName), aws.ToString(hs.LifecycleTransition), aws.ToString(hs.DefaultResult), hs.HeartbeatTimeout)
		if err != nil {
			return nil, err
		}
		hk.Metadata, hk.NotificationARN, hk.RoleARN = aws.ToString(hs.NotificationMetadata), aws.ToString(hs.NotificationTargetARN), aws.ToString(hs.RoleARN)
		hooks = append(hooks, hk)
	}
	if len(in.LoadBalancerNames) > 0 {
		return nil, core.Errorf(core.NotImplemented, "The simulator attaches target groups (TargetGroupARNs), not Classic Load Balancers.")
	}
	config, tmpl, mixed, err := s.launchSource(ctx, region, in.LaunchConfigurationName, in.LaunchTemplate, in.MixedInstancesPolicy, in.InstanceId)
	if err != nil {
		return nil, err
	}
	net, err := s.resolveNetwork(ctx, in.VPCZoneIdentifier, in.AvailabilityZones)
	if err != nil {
		return nil, err
	}
	tgs := slices.Clone(in.TargetGroupARNs)
	for _, ts := range in.TrafficSources {
		if t := aws.ToString(ts.Type); t == "" || t == "elbv2" {
			tgs = append(tgs, aws.ToString(ts.Identifier))
		}
	}
	err = s.write(region, func(r *regionState) error {
		if _, ok := r.Groups[name]; ok {
			return errorf(AlreadyExists, "AutoScalingGroup by this name already exists - A group with the name %s already exists", name)
		}
		if len(r.Groups) >= maxGroups {
			return errorf(LimitExceeded, "You have reached your limit of %d Auto Scaling groups in this Region.", maxGroups)
		}
		now := s.now()
		g := &group{
			Name: name, ARN: s.arn(region, "autoScalingGroup:"+s.uuid()+":autoScalingGroupName/"+name), Created: now,
			Config: config, Template: tmpl, Mixed: mixed, Min: *in.MinSize, Max: *in.MaxSize, Desire: desired,
			Zones: net.zones, Subnets: net.subnets, SubnetZone: net.zoneOf, TargetGroups: dedupe(tgs), HealthCheck: aws.ToString(in.HealthCheckType),
			Grace: 300, Cooldown: 300, Termination: in.TerminationPolicies, Protect: aws.ToBool(in.NewInstancesProtectedFromScaleIn),
		}
		if g.HealthCheck == "" {
			g.HealthCheck = "EC2"
		}
		if in.HealthCheckGracePeriod != nil {
			g.Grace = *in.HealthCheckGracePeriod
		}
		if in.DefaultCooldown != nil {
			g.Cooldown = *in.DefaultCooldown
		}
		if len(g.Termination) == 0 {
			g.Termination = []string{"Default"}
		}
		for _, t := range in.Tags {
			g.setTag(tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value), Propagate: aws.ToBool(t.PropagateAtLaunch)})
		}
		g.init()
		for _, hk := range hooks {
			g.Hooks[hk.Name] = hk
		}
		g.Cause = fmt.Sprintf("At %s a user request created an AutoScalingGroup changing the desired capacity from 0 to %d.", stamp(now), desired)
		r.Groups[name] = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.CreateAutoScalingGroupOutput{}, nil
}

func dedupe(l []string) []string {
	var out []string
	for _, v := range l {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (g *group) setTag(t tag) {
	for i := range g.Tags {
		if g.Tags[i].Key == t.Key {
			g.Tags[i] = t
			return
		}
	}
	g.Tags = append(g.Tags, t)
}

// stamp writes a time as Auto Scaling's causes do: 2026-12-07T17:47:51Z.
func stamp(t interface{ Format(string) string }) string { return t.Format("2006-01-02T15:04:05Z") }

// group returns the group called name.
func (r *regionState) group(name string) (*group, error) {
	g, ok := r.Groups[name]
	if !ok {
		return nil, groupNotFound(name)
	}
	return g, nil
}

// UpdateAutoScalingGroup changes a group's launch source, sizes, zones and settings; the
// instances follow at once.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
func (h *AutoScaling) UpdateAutoScalingGroup(ctx context.Context, in *autoscaling.UpdateAutoScalingGroupInput) (*autoscaling.UpdateAutoScalingGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if err := checkHealthCheck(in.HealthCheckType, in.HealthCheckGracePeriod); err != nil {
		return nil, err
	}
	if err := s.read(region, func(r *regionState) error { _, err := r.group(name); return err }); err != nil {
		return nil, err
	}
	var config string
	var tmpl *templateRef
	var mixed bool
	if in.LaunchConfigurationName != nil || in.LaunchTemplate != nil || in.MixedInstancesPolicy != nil {
		if config, tmpl, mixed, err = s.launchSource(ctx, region, in.LaunchConfigurationName, in.LaunchTemplate, in.MixedInstancesPolicy, nil); err != nil {
			return nil, err
		}
	}
	var net *network
	if in.VPCZoneIdentifier != nil || len(in.AvailabilityZones) > 0 {
		n, err := s.resolveNetwork(ctx, in.VPCZoneIdentifier, in.AvailabilityZones)
		if err != nil {
			return nil, err
		}
		net = &n
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(name)
		if err != nil {
			return err
		}
		if g.Deleting {
			return errorf(ScalingActivityInProgress, "AutoScalingGroup %s is pending delete.", name)
		}
		min, max := g.Min, g.Max
		if in.MinSize != nil {
			min = *in.MinSize
		}
		if in.MaxSize != nil {
			max = *in.MaxSize
		}
		desired := g.Desire
		if in.DesiredCapacity != nil {
			desired = *in.DesiredCapacity
		} else {
			// A new bound moves the desired capacity inside it, as AWS does.
			desired = clamp(desired, min, max)
		}
		if err := capacity(min, max, desired); err != nil {
			return err
		}
		if config != "" || tmpl != nil {
			g.Config, g.Template, g.Mixed = config, tmpl, mixed
		}
		if net != nil {
			g.Zones, g.Subnets, g.SubnetZone = net.zones, net.subnets, net.zoneOf
		}
		if in.HealthCheckType != nil {
			g.HealthCheck = *in.HealthCheckType
		}
		if in.HealthCheckGracePeriod != nil {
			g.Grace = *in.HealthCheckGracePeriod
		}
		if in.DefaultCooldown != nil {
			g.Cooldown = *in.DefaultCooldown
		}
		if len(in.TerminationPolicies) > 0 {
			g.Termination = in.TerminationPolicies
		}
		if in.NewInstancesProtectedFromScaleIn != nil {
			g.Protect = *in.NewInstancesProtectedFromScaleIn
		}
		if desired != g.Desire {
			g.Cause = fmt.Sprintf("At %s a user request update of AutoScalingGroup constraints to min: %d, max: %d, desired: %d changing the desired capacity from %d to %d.",
				stamp(s.now()), min, max, desired, g.Desire, desired)
		}
		g.Min, g.Max, g.Desire = min, max, desired
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.UpdateAutoScalingGroupOutput{}, nil
}

func clamp(v, lo, hi int32) int32 { return max(lo, min(v, hi)) }

// DeleteAutoScalingGroup deletes a group: one with no instances at once, one with instances
// only with ForceDelete, which terminates them first.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteAutoScalingGroup.html
func (h *AutoScaling) DeleteAutoScalingGroup(ctx context.Context, in *autoscaling.DeleteAutoScalingGroupInput) (*autoscaling.DeleteAutoScalingGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(name)
		if err != nil {
			return err
		}
		if g.Deleting {
			return errorf(ScalingActivityInProgress, "AutoScalingGroup %s is pending delete.", name)
		}
		if len(g.Members) > 0 && !aws.ToBool(in.ForceDelete) {
			// AWS's answers: instances still in the group, or an activity still running.
			// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteAutoScalingGroup.html
			return errorf(ResourceInUse, "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.")
		}
		if len(g.Members) == 0 {
			s.dropGroup(r, g)
			return nil
		}
		g.Deleting, g.Min, g.Max, g.Desire = true, 0, 0, 0
		g.Cause = fmt.Sprintf("At %s a user request delete of AutoScalingGroup %s changing the desired capacity to 0.", stamp(s.now()), name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.DeleteAutoScalingGroupOutput{}, nil
}

// dropGroup removes a group, keeping its activities for IncludeDeletedGroups. r is held for
// writing.
func (s *Store) dropGroup(r *regionState, g *group) {
	r.Deleted = append(g.Activities, r.Deleted...)
	if len(r.Deleted) > maxActivities {
		r.Deleted = r.Deleted[:maxActivities]
	}
	delete(r.Groups, g.Name)
}

var groupFilters = map[string]func(g *group) []string{
	"tag-key": func(g *group) []string {
		var out []string
		for _, t := range g.Tags {
			out = append(out, t.Key)
		}
		return out
	},
	"tag-value": func(g *group) []string {
		var out []string
		for _, t := range g.Tags {
			out = append(out, t.Value)
		}
		return out
	},
}

// matches reports whether g passes every filter: tag-key, tag-value, tag:KEY.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
func (g *group) matches(fs []types.Filter) (bool, error) {
	for _, f := range fs {
		name := aws.ToString(f.Name)
		var have []string
		if get, ok := groupFilters[name]; ok {
			have = get(g)
		} else if key, ok := strings.CutPrefix(name, "tag:"); ok {
			for _, t := range g.Tags {
				if t.Key == key {
					have = append(have, t.Value)
				}
			}
		} else {
			return false, validation("Filter type %s is not correct. Allowed Filter types are: tag-key tag-value tag:<key>", name)
		}
		if !slices.ContainsFunc(have, func(v string) bool { return slices.Contains(f.Values, v) }) {
			return false, nil
		}
	}
	return true, nil
}

// DescribeAutoScalingGroups lists groups by name or filter, in pages of MaxRecords (50 by
// default, at most 100).
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
func (h *AutoScaling) DescribeAutoScalingGroups(ctx context.Context, in *autoscaling.DescribeAutoScalingGroupsInput) (*autoscaling.DescribeAutoScalingGroupsOutput, error) {
	out := &autoscaling.DescribeAutoScalingGroupsOutput{AutoScalingGroups: []types.AutoScalingGroup{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var all []*group
		for _, g := range sortedGroups(r) {
			if len(in.AutoScalingGroupNames) > 0 && !slices.Contains(in.AutoScalingGroupNames, g.Name) {
				continue
			}
			ok, err := g.matches(in.Filters)
			if err != nil {
				return err
			}
			if ok {
				all = append(all, g)
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		for _, g := range pg {
			out.AutoScalingGroups = append(out.AutoScalingGroups, groupOut(g, aws.ToBool(in.IncludeInstances) || in.IncludeInstances == nil))
		}
		out.NextToken = next
		return nil
	})
}

func sortedGroups(r *regionState) []*group {
	out := make([]*group, 0, len(r.Groups))
	for _, g := range r.Groups {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *group) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// page cuts items to one page of at most max (def when unset, at most hi) from token: the
// position of the page's first item.
func page[T any](items []T, max *int32, token *string, def, hi int32) ([]T, *string, error) {
	start := 0
	if t := aws.ToString(token); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "at-"))
		if err != nil || !strings.HasPrefix(t, "at-") || n < 0 || n > len(items) {
			return nil, nil, errorf(InvalidNextToken, "The token '%s' is invalid.", t)
		}
		start = n
	}
	size := def
	if max != nil {
		if *max < 1 || *max > hi {
			return nil, nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and %d", *max, hi)
		}
		size = *max
	}
	end := min(len(items), start+int(size))
	var next *string
	if end < len(items) {
		next = aws.String("at-" + strconv.Itoa(end))
	}
	return items[start:end], next, nil
}

func (m *member) template() *types.LaunchTemplateSpecification {
	if m.Template == nil {
		return nil
	}
	return &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(m.Template.ID), LaunchTemplateName: aws.String(m.Template.Name), Version: aws.String(m.Template.Version)}
}

func (t *templateRef) out() *types.LaunchTemplateSpecification {
	if t == nil {
		return nil
	}
	return &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(t.ID), LaunchTemplateName: aws.String(t.Name), Version: aws.String(t.Version)}
}

func sortedMembers(g *group) []*member {
	out := make([]*member, 0, len(g.Members))
	for _, m := range g.Members {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *member) int { return int(a.Seq) - int(b.Seq) })
	return out
}

func groupOut(g *group, withInstances bool) types.AutoScalingGroup {
	out := types.AutoScalingGroup{
		AutoScalingGroupName: aws.String(g.Name), AutoScalingGroupARN: aws.String(g.ARN), CreatedTime: aws.Time(g.Created),
		MinSize: aws.Int32(g.Min), MaxSize: aws.Int32(g.Max), DesiredCapacity: aws.Int32(g.Desire),
		DefaultCooldown: aws.Int32(g.Cooldown), AvailabilityZones: slices.Clone(g.Zones), HealthCheckType: aws.String(g.HealthCheck),
		HealthCheckGracePeriod: aws.Int32(g.Grace), TerminationPolicies: slices.Clone(g.Termination),
		NewInstancesProtectedFromScaleIn: aws.Bool(g.Protect), LoadBalancerNames: []string{}, TargetGroupARNs: slices.Clone(g.TargetGroups),
		SuspendedProcesses: []types.SuspendedProcess{}, EnabledMetrics: []types.EnabledMetric{}, Tags: []types.TagDescription{},
		Instances: []types.Instance{}, TrafficSources: []types.TrafficSourceIdentifier{},
		ServiceLinkedRoleARN: aws.String("arn:aws:iam::" + accountOf(g.ARN) + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
		CapacityRebalance:    aws.Bool(false),
	}
	if out.TargetGroupARNs == nil {
		out.TargetGroupARNs = []string{}
	}
	for _, tg := range g.TargetGroups {
		out.TrafficSources = append(out.TrafficSources, types.TrafficSourceIdentifier{Identifier: aws.String(tg), Type: aws.String("elbv2")})
	}
	if len(g.Subnets) > 0 {
		out.VPCZoneIdentifier = aws.String(strings.Join(g.Subnets, ","))
	}
	if g.Config != "" {
		out.LaunchConfigurationName = aws.String(g.Config)
	}
	if g.Template != nil {
		if g.Mixed {
			out.MixedInstancesPolicy = &types.MixedInstancesPolicy{LaunchTemplate: &types.LaunchTemplate{LaunchTemplateSpecification: g.Template.out()}}
		} else {
			out.LaunchTemplate = g.Template.out()
		}
	}
	if g.Deleting {
		out.Status = aws.String("Delete in progress")
	}
	for _, p := range processNames {
		if reason, ok := g.Suspended[p]; ok {
			out.SuspendedProcesses = append(out.SuspendedProcesses, types.SuspendedProcess{ProcessName: aws.String(p), SuspensionReason: aws.String(reason)})
		}
	}
	for _, t := range g.Tags {
		out.Tags = append(out.Tags, t.out(g.Name))
	}
	for _, m := range groupMetrics {
		if _, ok := g.Metrics[m]; ok {
			out.EnabledMetrics = append(out.EnabledMetrics, types.EnabledMetric{Metric: aws.String(m), Granularity: aws.String(granularity)})
		}
	}
	if withInstances {
		for _, m := range sortedMembers(g) {
			out.Instances = append(out.Instances, types.Instance{
				InstanceId: aws.String(m.ID), AvailabilityZone: aws.String(m.Zone), LifecycleState: types.LifecycleState(m.Lifecycle),
				HealthStatus: aws.String(m.Health), ProtectedFromScaleIn: aws.Bool(m.Protected), InstanceType: aws.String(m.Type),
				LaunchConfigurationName: optional(m.Config), LaunchTemplate: m.template(),
			})
		}
	}
	return out
}

func accountOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 4 {
		return parts[4]
	}
	return ""
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func (t tag) out(group string) types.TagDescription {
	return types.TagDescription{Key: aws.String(t.Key), Value: aws.String(t.Value), PropagateAtLaunch: aws.Bool(t.Propagate),
		ResourceId: aws.String(group), ResourceType: aws.String("auto-scaling-group")}
}

// DescribeAutoScalingInstances lists the instances of every group, or those named.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingInstances.html
func (h *AutoScaling) DescribeAutoScalingInstances(ctx context.Context, in *autoscaling.DescribeAutoScalingInstancesInput) (*autoscaling.DescribeAutoScalingInstancesOutput, error) {
	out := &autoscaling.DescribeAutoScalingInstancesOutput{AutoScalingInstances: []types.AutoScalingInstanceDetails{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var all []types.AutoScalingInstanceDetails
		for _, g := range sortedGroups(r) {
			for _, m := range sortedMembers(g) {
				if len(in.InstanceIds) > 0 && !slices.Contains(in.InstanceIds, m.ID) {
					continue
				}
				all = append(all, types.AutoScalingInstanceDetails{
					AutoScalingGroupName: aws.String(g.Name), InstanceId: aws.String(m.ID), AvailabilityZone: aws.String(m.Zone),
					LifecycleState: aws.String(m.Lifecycle), HealthStatus: aws.String(strings.ToUpper(m.Health)),
					ProtectedFromScaleIn: aws.Bool(m.Protected), InstanceType: aws.String(m.Type),
					LaunchConfigurationName: optional(m.Config), LaunchTemplate: m.template(),
				})
			}
		}
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 50)
		if err != nil {
			return err
		}
		out.AutoScalingInstances, out.NextToken = append(out.AutoScalingInstances, pg...), next
		return nil
	})
}

// SetDesiredCapacity sets a group's desired capacity within its bounds.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
func (h *AutoScaling) SetDesiredCapacity(ctx context.Context, in *autoscaling.SetDesiredCapacityInput) (*autoscaling.SetDesiredCapacityOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("AutoScalingGroupName", in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if in.DesiredCapacity == nil {
		return nil, missing("DesiredCapacity")
	}
	err = s.write(region, func(r *regionState) error {
		g, err := r.group(name)
		if err != nil {
			return err
		}
		d := *in.DesiredCapacity
		if d > g.Max {
			return validation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", d, g.Max)
		}
		if d < g.Min {
			return validation("New SetDesiredCapacity value %d is below min value %d for the AutoScalingGroup.", d, g.Min)
		}
		if aws.ToBool(in.HonorCooldown) && s.cooling(g, g.Cooldown, s.now()) {
			return errorf(ScalingActivityInProgress, "The scaling activity on the AutoScalingGroup %s is in progress or in cooldown.", name)
		}
		if d != g.Desire {
			g.Cause = fmt.Sprintf("At %s a user request explicitly set group desired capacity changing the desired capacity from %d to %d.", stamp(s.now()), g.Desire, d)
			g.Desire = d
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.SetDesiredCapacityOutput{}, nil
}

// cooling reports whether the group's last scaling activity ended less than cooldown seconds
// ago.
func (s *Store) cooling(g *group, cooldown int32, now time.Time) bool {
	return !g.LastScaled.IsZero() && now.Before(g.LastScaled.Add(secs(cooldown)))
}

// memberOf finds the group of an instance.
func (r *regionState) memberOf(id string) (*group, *member) {
	for _, g := range r.Groups {
		if m, ok := g.Members[id]; ok {
			return g, m
		}
	}
	return nil, nil
}

// TerminateInstanceInAutoScalingGroup terminates an instance of a group, and lowers the
// desired capacity if asked; otherwise the group launches a replacement.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_TerminateInstanceInAutoScalingGroup.html
func (h *AutoScaling) TerminateInstanceInAutoScalingGroup(ctx context.Context, in *autoscaling.TerminateInstanceInAutoScalingGroupInput) (*autoscaling.TerminateInstanceInAutoScalingGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if in.ShouldDecrementDesiredCapacity == nil {
		return nil, missing("ShouldDecrementDesiredCapacity")
	}
	ids := slices.Clone(in.InstanceIds)
	if in.InstanceId != nil {
		ids = append([]string{*in.InstanceId}, ids...)
	}
	if len(ids) == 0 {
		return nil, missing("InstanceId")
	}
	out := &autoscaling.TerminateInstanceInAutoScalingGroupOutput{}
	var acts []*activity
	err := s.write(region, func(r *regionState) error {
		type pick struct {
			g *group
			m *member
		}
		var picks []pick
		for _, id := range ids {
			g, m := r.memberOf(id)
			if g == nil {
				return validation("Instance Id not found - No managed instance found for instance ID: %s", id)
			}
			if !m.counts() {
				return errorf(ScalingActivityInProgress, "The instance %s is already being terminated.", id)
			}
			picks = append(picks, pick{g, m})
		}
		if *in.ShouldDecrementDesiredCapacity {
			fewer := map[*group]int32{}
			for _, p := range picks {
				fewer[p.g]++
				if p.g.Desire-fewer[p.g] < p.g.Min {
					return validation("Currently, desiredSize equals minSize (%d). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.", p.g.Min)
				}
			}
		}
		now := s.now()
		for _, p := range picks {
			g, m := p.g, p.m
			size := g.inService()
			cause := fmt.Sprintf("At %s instance %s was taken out of service in response to a user request.", stamp(now), m.ID)
			if *in.ShouldDecrementDesiredCapacity {
				cause = fmt.Sprintf("At %s instance %s was taken out of service in response to a user request, shrinking the capacity from %d to %d.", stamp(now), m.ID, size, size-1)
				g.Desire--
			}
			m.Lifecycle = "Terminating"
			status := "InProgress"
			if s.startWait(g, m, transitionTerminating, now) {
				status = "MidLifecycleAction"
			}
			a := s.newActivity(g, "Terminating EC2 instance: "+m.ID, cause, status)
			a.Details = s.details(region, g, m.Subnet, m.Zone)
			m.Activity = a.ID
			acts = append(acts, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		ao := a.out()
		out.Activities = append(out.Activities, ao)
	}
	if len(out.Activities) > 0 {
		out.Activity = &out.Activities[0]
	}
	s.reconcile(ctx, region)
	return out, nil
}

// inService counts the instances that make up the group's capacity.
func (g *group) inService() int32 {
	n := int32(0)
	for _, m := range g.Members {
		if m.counts() {
			n++
		}
	}
	return n
}

// counts reports whether the instance is part of the group's capacity: launched and not
// on its way out.
func (m *member) counts() bool {
	switch m.Lifecycle {
	case "InService", "Pending", "Pending:Wait", "Pending:Proceed":
		return true
	}
	return false
}

// SetInstanceHealth marks an instance Healthy or Unhealthy; an unhealthy one is replaced.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetInstanceHealth.html
func (h *AutoScaling) SetInstanceHealth(ctx context.Context, in *autoscaling.SetInstanceHealthInput) (*autoscaling.SetInstanceHealthOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if in.InstanceId == nil {
		return nil, missing("InstanceId")
	}
	status := aws.ToString(in.HealthStatus)
	if status != "Healthy" && status != "Unhealthy" {
		return nil, validation("Valid instance health states are: [Healthy, Unhealthy].")
	}
	err := s.write(region, func(r *regionState) error {
		g, m := r.memberOf(*in.InstanceId)
		if g == nil {
			return validation("Instance Id not found - No managed instance found for instance ID: %s", *in.InstanceId)
		}
		// RespectGracePeriod true (its default is false) ignores a report within the grace period.
		if aws.ToBool(in.ShouldRespectGracePeriod) && s.now().Before(m.Launched.Add(secs(g.Grace))) {
			return nil
		}
		m.Health = status
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.reconcile(ctx, region)
	return &autoscaling.SetInstanceHealthOutput{}, nil
}
