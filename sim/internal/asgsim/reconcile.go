package asgsim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The reconciliation: what Auto Scaling does between requests, on the simulator's clock. It
// runs after each request that changes a group and whenever the clock moves (Settle). One
// round, per region:
//
//  1. reads the EC2 state of every instance of every group (DescribeInstances); an instance
//     EC2 reports terminated, stopped or gone fails the EC2 health check and is Unhealthy;
//  2. runs the scheduled actions that came due;
//  3. terminates the Unhealthy instances, those a request took out of service, and, when a
//     group has more instances than it desires, those the termination policy picks;
//  4. launches instances up to the desired capacity, each in the zone with the fewest;
//  5. records an activity for each launch and termination, with AWS's wording.
//
// Calls to EC2 and ELB are made without the store's lock, one round at a time.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-checks-overview.html
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html

// Settle plays every region's groups up to the clock's now, without a request: the
// simulator calls it when its clock moves, after CloudWatch's alarms have run their actions.
func (s *Store) Settle() {
	for _, region := range s.regionNames() {
		s.reconcile(context.Background(), region)
	}
}

// tagGroupName is the tag EC2 instances of a group carry.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html
const tagGroupName = "aws:autoscaling:groupName"

type launchJob struct {
	group, zone, subnet string
	in                  *ec2.RunInstancesInput
	cause               string
	config              string
	template            *templateRef
}

type termJob struct {
	group, id string
	activity  string // the activity that records it
	targets   []string
}

// reconcile runs one round in region.
func (s *Store) reconcile(ctx context.Context, region string) {
	s.busy.Lock()
	defer s.busy.Unlock()
	ctx = core.WithRegion(context.WithoutCancel(ctx), region)
	states, err := s.instanceStates(ctx, region)
	if err != nil {
		return // EC2 could not be read: the next round tries again
	}
	failing := s.elbFailing(ctx, region)
	var launches []launchJob
	var terms, regs []termJob
	_ = s.write(region, func(r *regionState) error {
		now := s.now()
		for _, g := range sortedGroups(r) {
			if !g.suspended("ScheduledActions") {
				s.runScheduled(g, now)
			}
			t, l := s.plan(r, region, g, states, failing, now, &regs)
			terms, launches = append(terms, t...), append(launches, l...)
		}
		return nil
	})
	for _, t := range regs {
		for _, tg := range t.targets {
			s.register(ctx, true, tg, t.id)
		}
	}
	for _, t := range terms {
		s.terminate(ctx, region, t)
	}
	for _, l := range launches {
		s.launch(ctx, region, l)
	}
	// A group being deleted goes once its last instance has.
	_ = s.write(region, func(r *regionState) error {
		for _, g := range sortedGroups(r) {
			if g.Deleting && len(g.Members) == 0 {
				s.dropGroup(r, g)
			}
		}
		return nil
	})
}

// instanceStates reads the EC2 state of every instance of the region's groups; an instance
// EC2 no longer shows is missing from the map.
func (s *Store) instanceStates(ctx context.Context, region string) (map[string]ec2types.InstanceStateName, error) {
	var ids []string
	_ = s.read(region, func(r *regionState) error {
		for _, g := range r.Groups {
			for id := range g.Members {
				ids = append(ids, id)
			}
		}
		return nil
	})
	out := map[string]ec2types.InstanceStateName{}
	slices.Sort(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 200)]
		ids = ids[len(chunk):]
		res, err := s.ec2(ctx, "DescribeInstances", &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-id"), Values: chunk}}})
		if err != nil {
			return nil, err
		}
		for _, rv := range res.(*ec2.DescribeInstancesOutput).Reservations {
			for _, i := range rv.Instances {
				if i.State != nil {
					out[aws.ToString(i.InstanceId)] = i.State.Name
				}
			}
		}
	}
	return out, nil
}

// elbFailing asks ELBv2 for the health of the InService instances of the groups whose health
// check type is ELB, past their grace period, and returns those a target group of theirs
// reports unhealthy. A target group that cannot be read reports nothing.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-checks-overview.html
func (s *Store) elbFailing(ctx context.Context, region string) map[string]bool {
	if s.health == nil {
		return nil
	}
	type ask struct {
		tgs, ids []string
	}
	var asks []ask
	_ = s.read(region, func(r *regionState) error {
		now := s.now()
		for _, g := range sortedGroups(r) {
			if g.HealthCheck != "ELB" || len(g.TargetGroups) == 0 {
				continue
			}
			var ids []string
			for _, m := range sortedMembers(g) {
				if m.Lifecycle == "InService" && !now.Before(m.Launched.Add(secs(g.Grace))) {
					ids = append(ids, m.ID)
				}
			}
			if len(ids) > 0 {
				asks = append(asks, ask{slices.Clone(g.TargetGroups), ids})
			}
		}
		return nil
	})
	out := map[string]bool{}
	for _, a := range asks {
		for _, tg := range a.tgs {
			states, err := s.health(ctx, tg, a.ids)
			if err != nil {
				continue
			}
			for id, st := range states {
				if st == "unhealthy" {
					out[id] = true
				}
			}
		}
	}
	return out
}

// plan decides a group's terminations and launches for this round, marking the instances it
// terminates. r is held for writing.
func (s *Store) plan(r *regionState, region string, g *group, states map[string]ec2types.InstanceStateName, failing map[string]bool, now time.Time, regs *[]termJob) ([]termJob, []launchJob) {
	var terms []termJob
	take := func(m *member, cause string) {
		m.Lifecycle = "Terminating"
		status := "InProgress"
		if !g.Deleting && s.startWait(g, m, transitionTerminating, now) {
			status = "MidLifecycleAction"
		}
		a := s.newActivity(g, "Terminating EC2 instance: "+m.ID, cause, status)
		a.Details = s.details(region, g, m.Subnet, m.Zone)
		m.Activity = a.ID
	}
	// 0. Lifecycle actions that have their results, or whose hooks timed out. A group being
	// deleted (ForceDelete) waits for none.
	for _, m := range sortedMembers(g) {
		switch m.Lifecycle {
		case "Pending:Wait":
			token := ""
			if m.Wait != nil {
				token = m.Wait.Token
			}
			result := g.settleWait(m, now)
			if g.Deleting {
				result, m.Wait = "ABANDON", nil
			}
			if result == "" {
				continue
			}
			a := g.activity(m.Activity)
			if result == "CONTINUE" {
				m.Lifecycle = "InService"
				if a != nil {
					a.Status, a.End = "Successful", now
				}
				if len(g.TargetGroups) > 0 && !g.suspended("AddToLoadBalancer") {
					*regs = append(*regs, termJob{group: g.Name, id: m.ID, targets: slices.Clone(g.TargetGroups)})
				}
				continue
			}
			if a != nil {
				a.Status, a.End, a.Message = "Cancelled", now, "Instance failed to complete user's Lifecycle Action: Lifecycle Action with token "+token+" was abandoned: Lifecycle Action Completed with ABANDON Result"
			}
			m.Lifecycle = "Terminating"
			b := s.newActivity(g, "Terminating EC2 instance: "+m.ID, fmt.Sprintf("At %s an instance was taken out of service in response to a launch failure.", stamp(now)), "InProgress")
			b.Details = a.detailsOr(s.details(region, g, m.Subnet, m.Zone))
			m.Activity = b.ID
		case "Terminating:Wait":
			if g.Deleting {
				m.Wait = nil
			} else if g.settleWait(m, now) == "" {
				continue
			}
			m.Lifecycle = "Terminating"
			if a := g.activity(m.Activity); a != nil {
				a.Status = "InProgress"
			}
		}
	}
	// 1. The EC2 health check (the HealthCheck process), and the replacement of the unhealthy
	// (ReplaceUnhealthy, which terminates: Terminate).
	checks, replaces := !g.suspended("HealthCheck"), !g.suspended("ReplaceUnhealthy") && !g.suspended("Terminate")
	for _, m := range sortedMembers(g) {
		if !m.counts() {
			continue
		}
		st, ok := states[m.ID]
		cause := ""
		switch {
		case !checks:
		case !ok, st == ec2types.InstanceStateNameTerminated, st == ec2types.InstanceStateNameShuttingDown,
			st == ec2types.InstanceStateNameStopped, st == ec2types.InstanceStateNameStopping:
			cause = "an EC2 health check indicating it has been terminated or stopped"
		case failing[m.ID] && m.Lifecycle == "InService" && g.HealthCheck == "ELB":
			cause = "an ELB system health check failure"
		}
		if cause == "" && m.Health == "Unhealthy" {
			cause = "a user health-check"
		}
		if cause == "" {
			continue
		}
		m.Health = "Unhealthy"
		if replaces {
			take(m, fmt.Sprintf("At %s an instance was taken out of service in response to %s.", stamp(now), cause))
		}
	}
	// An instance refresh takes its next batch out of service.
	if rf := g.activeRefresh(); rf != nil && !g.Deleting && !g.suspended("InstanceRefresh") && !g.suspended("Terminate") {
		for _, m := range rf.step(g, now) {
			take(m, refreshCause(now, m.ID))
		}
	}
	// 2. Too many: the termination policy picks.
	if n := g.inService(); n > g.Desire && !g.suspended("Terminate") {
		for _, m := range s.victims(g, int(n-g.Desire)) {
			cause := fmt.Sprintf("At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.  At %s instance %s was selected for termination.",
				stamp(now), n, g.Desire, stamp(now), m.ID)
			if g.Cause != "" {
				cause = g.Cause + "  " + cause
			}
			take(m, cause)
		}
		g.Cause = ""
	}
	for _, m := range sortedMembers(g) {
		if m.Lifecycle == "Terminating" && !m.queued {
			m.queued = true
			terms = append(terms, termJob{group: g.Name, id: m.ID, activity: m.Activity, targets: slices.Clone(g.TargetGroups)})
		}
	}
	// 3. Too few: launch, each in the zone with the fewest instances.
	var launches []launchJob
	n := g.inService()
	if n < g.Desire && len(g.Zones) == 0 {
		s.launchFailed(g, "", validation("The group has no Availability Zone to launch in."))
		return terms, nil
	}
	if g.Deleting || n >= g.Desire || g.suspended("Launch") {
		if n == g.Desire {
			g.Cause = ""
		}
		return terms, launches
	}
	cause := fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.", stamp(now), n, g.Desire)
	if g.Cause != "" {
		cause = g.Cause + "  " + cause
	}
	counts := map[string]int{}
	for _, m := range g.Members {
		if m.counts() {
			counts[m.Zone]++
		}
	}
	tmpl := g.Template
	if rf := g.activeRefresh(); rf != nil && rf.Template != nil && rf.Status != "Cancelling" {
		tmpl = rf.Template // a refresh's replacements come from its desired configuration
	}
	for range g.Desire - n {
		zone := g.Zones[0]
		for _, z := range g.Zones {
			if counts[z] < counts[zone] {
				zone = z
			}
		}
		counts[zone]++
		subnet := ""
		for _, sn := range g.Subnets {
			if g.SubnetZone[sn] == zone {
				subnet = sn
				break
			}
		}
		in, err := s.runInput(r, g, tmpl, zone, subnet)
		if err != nil {
			s.launchFailed(g, cause, err)
			break
		}
		launches = append(launches, launchJob{group: g.Name, zone: zone, subnet: subnet, in: in, cause: cause, config: g.Config, template: tmpl})
	}
	g.Cause = ""
	return terms, launches
}

// victims picks n instances to terminate, by the group's termination policies; the default
// policy balances the zones (the zone with the most instances first), then takes the
// instances of the oldest launch configuration or template, then the oldest instance.
// Instances protected from scale in are never picked.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html
func (s *Store) victims(g *group, n int) []*member {
	var pool []*member
	for _, m := range sortedMembers(g) {
		if m.counts() && !m.Protected {
			pool = append(pool, m)
		}
	}
	policy := "Default"
	if len(g.Termination) > 0 {
		policy = g.Termination[0]
	}
	var out []*member
	for len(out) < n && len(pool) > 0 {
		counts := map[string]int{}
		for _, m := range pool {
			counts[m.Zone]++
		}
		zone := ""
		for _, z := range g.Zones {
			if counts[z] > counts[zone] {
				zone = z
			}
		}
		var cands []*member
		for _, m := range pool {
			if m.Zone == zone || zone == "" {
				cands = append(cands, m)
			}
		}
		pickFirst := func(better func(a, b *member) bool) *member {
			best := cands[0]
			for _, m := range cands[1:] {
				if better(m, best) {
					best = m
				}
			}
			return best
		}
		var v *member
		switch policy {
		case "NewestInstance":
			v = pickFirst(func(a, b *member) bool { return a.Seq > b.Seq })
		case "OldestLaunchConfiguration", "OldestLaunchTemplate", "OldestInstance", "Default", "ClosestToNextInstanceHour", "AllocationStrategy":
			v = pickFirst(func(a, b *member) bool {
				oa, ob := a.outdated(g), b.outdated(g)
				if oa != ob {
					return oa
				}
				return a.Seq < b.Seq
			})
		default:
			v = pickFirst(func(a, b *member) bool { return a.Seq < b.Seq })
		}
		out = append(out, v)
		pool = slices.DeleteFunc(pool, func(m *member) bool { return m == v })
	}
	return out
}

// outdated reports whether the instance was launched from another launch configuration or
// template than the group's now.
func (m *member) outdated(g *group) bool {
	if g.Config != "" {
		return m.Config != g.Config
	}
	return m.Template == nil || g.Template == nil || *m.Template != *g.Template
}

// runInput is the RunInstances request for one instance of g in zone (and subnet): the
// group's launch template or configuration, its tags that propagate, and the tag naming it.
func (s *Store) runInput(r *regionState, g *group, tmpl *templateRef, zone, subnet string) (*ec2.RunInstancesInput, error) {
	in := &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}
	tags := []ec2types.Tag{{Key: aws.String(tagGroupName), Value: aws.String(g.Name)}}
	for _, t := range g.Tags {
		if t.Propagate {
			tags = append(tags, ec2types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
		}
	}
	in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: tags}}
	switch {
	case tmpl != nil:
		in.LaunchTemplate = &ec2types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(tmpl.ID), Version: aws.String(tmpl.Version)}
	case g.Config != "":
		lc, ok := r.Configs[g.Config]
		if !ok {
			return nil, validation("Launch configuration name not found - Launch configuration %s not found", g.Config)
		}
		in.ImageId, in.InstanceType = aws.String(lc.Image), ec2types.InstanceType(lc.Type)
		in.KeyName = optional(lc.Key)
		if lc.UserData != "" {
			in.UserData = aws.String(lc.UserData)
			if _, err := base64.StdEncoding.DecodeString(lc.UserData); err != nil {
				in.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(lc.UserData)))
			}
		}
		if lc.Profile != "" {
			if strings.HasPrefix(lc.Profile, "arn:") {
				in.IamInstanceProfile = &ec2types.IamInstanceProfileSpecification{Arn: aws.String(lc.Profile)}
			} else {
				in.IamInstanceProfile = &ec2types.IamInstanceProfileSpecification{Name: aws.String(lc.Profile)}
			}
		}
		for _, sg := range lc.SecurityGroups {
			if strings.HasPrefix(sg, "sg-") {
				in.SecurityGroupIds = append(in.SecurityGroupIds, sg)
			} else {
				in.SecurityGroups = append(in.SecurityGroups, sg)
			}
		}
		if lc.Monitoring {
			in.Monitoring = &ec2types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(true)}
		}
		if lc.EbsOptimized {
			in.EbsOptimized = aws.Bool(true)
		}
		if len(lc.BlockDevicesJSON) > 0 {
			_ = json.Unmarshal(lc.BlockDevicesJSON, &in.BlockDeviceMappings) // written by CreateLaunchConfiguration
		}
		if lc.PublicIP != nil && subnet != "" {
			in.NetworkInterfaces = []ec2types.InstanceNetworkInterfaceSpecification{{
				DeviceIndex: aws.Int32(0), SubnetId: aws.String(subnet), Groups: in.SecurityGroupIds, AssociatePublicIpAddress: lc.PublicIP,
			}}
			in.SecurityGroupIds = nil
			return in, nil
		}
	default:
		return nil, validation("The group has no launch template or launch configuration.")
	}
	if subnet != "" {
		in.SubnetId = aws.String(subnet)
	} else {
		in.Placement = &ec2types.Placement{AvailabilityZone: aws.String(zone)}
	}
	return in, nil
}

// launchFailed records a failed launch once for as long as it fails alike. r is held.
func (s *Store) launchFailed(g *group, cause string, err error) {
	msg := core.AsError(err).Message
	if g.FailedLaunch == msg {
		return
	}
	g.FailedLaunch = msg
	a := s.newActivity(g, "Launching a new EC2 instance.  Status Reason: "+msg, cause, "Failed")
	a.Message = msg
	a.End = a.Start
}

// launch runs one launch through EC2 and records it.
func (s *Store) launch(ctx context.Context, region string, l launchJob) {
	res, err := s.ec2(ctx, "RunInstances", l.in)
	var inst ec2types.Instance
	if err == nil {
		is := res.(*ec2.RunInstancesOutput).Instances
		if len(is) == 1 {
			inst = is[0]
		} else {
			err = core.Errorf(core.InternalError, "RunInstances launched %d instances", len(is))
		}
	}
	id := aws.ToString(inst.InstanceId)
	var register []string
	_ = s.write(region, func(r *regionState) error {
		g, ok := r.Groups[l.group]
		if !ok {
			return nil // deleted meanwhile; its instance is EC2's
		}
		if err != nil {
			s.launchFailed(g, l.cause, err)
			return nil
		}
		g.FailedLaunch = ""
		g.Seq++
		now := s.now()
		m := &member{ID: id, Zone: l.zone, Subnet: l.subnet, Lifecycle: "InService", Health: "Healthy", Protected: g.Protect,
			Config: l.config, Template: l.template, Image: aws.ToString(inst.ImageId), Type: string(inst.InstanceType), Launched: now, Seq: g.Seq}
		g.Members[id] = m
		status := "Successful"
		if s.startWait(g, m, transitionLaunching, now) {
			status = "MidLifecycleAction"
		} else if !g.suspended("AddToLoadBalancer") {
			register = slices.Clone(g.TargetGroups)
		}
		a := s.newActivity(g, "Launching a new EC2 instance: "+id, l.cause, status)
		a.Details = s.details(region, g, l.subnet, l.zone)
		if status == "Successful" {
			a.End = now
		}
		m.Activity = a.ID
		g.LastScaled = now
		return nil
	})
	for _, tg := range register {
		s.register(ctx, true, tg, id)
	}
}

func (l launchJob) targetGroups(s *Store, region string) []string {
	var out []string
	_ = s.read(region, func(r *regionState) error {
		if g, ok := r.Groups[l.group]; ok {
			out = slices.Clone(g.TargetGroups)
		}
		return nil
	})
	return out
}

// register registers or deregisters one instance with a target group; a failure is kept as
// the group's last failure to show in its activity, not a failure of the launch.
func (s *Store) register(ctx context.Context, on bool, tg, id string) {
	if s.targets == nil {
		return
	}
	_ = s.targets(ctx, on, tg, []string{id})
}

// terminate deregisters an instance from the group's target groups, terminates it through
// EC2, and completes its activity.
func (s *Store) terminate(ctx context.Context, region string, t termJob) {
	for _, tg := range t.targets {
		s.register(ctx, false, tg, t.id)
	}
	_, err := s.ec2(ctx, "TerminateInstances", &ec2.TerminateInstancesInput{InstanceIds: []string{t.id}})
	if err != nil && core.AsError(err).Code == "InvalidInstanceID.NotFound" {
		err = nil // already gone
	}
	_ = s.write(region, func(r *regionState) error {
		g, ok := r.Groups[t.group]
		if !ok {
			return nil
		}
		now := s.now()
		a := g.activity(t.activity)
		if err != nil {
			if a != nil {
				a.Status, a.Message, a.End = "Failed", core.AsError(err).Message, now
			}
			if m, ok := g.Members[t.id]; ok {
				m.queued = false // the next round tries again
			}
			return nil
		}
		delete(g.Members, t.id)
		if a != nil {
			a.Status, a.End = "Successful", now
		}
		g.LastScaled = now
		return nil
	})
}
