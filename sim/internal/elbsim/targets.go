package elbsim

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// maxTargets is AWS's quota of targets per target group.
const maxTargets = 1000

func invalidTarget() error {
	// The API reference's description of InvalidTarget.
	return errorf(InvalidTarget, "The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.")
}

// privateRanges are the ranges an IP target outside the VPC may be in (RFC 1918 and RFC 6598),
// with AvailabilityZone "all".
var privateRanges = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10")}

func (h *ELB) RegisterTargets(ctx context.Context, in *elb.RegisterTargetsInput) (*elb.RegisterTargetsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	arn := aws.ToString(in.TargetGroupArn)
	var tg *targetGroup
	if err := s.read(region, func(r *regionState) error {
		t, err := findTG(r, arn)
		if err == nil {
			tg = cloneTG(t)
		}
		return err
	}); err != nil {
		return nil, err
	}
	if len(in.Targets) == 0 {
		return nil, errorf(ValidationError, "At least one target must be specified")
	}
	var add []target
	switch tg.TargetType {
	case "instance":
		var ids []string
		for _, t := range in.Targets {
			id := aws.ToString(t.Id)
			if !strings.HasPrefix(id, "i-") {
				return nil, invalidTarget()
			}
			ids = append(ids, id)
		}
		insts, err := s.instances(ctx, ids)
		if err != nil {
			return nil, err
		}
		var stopped []string
		for _, id := range ids {
			i, ok := insts[id]
			if !ok || i.State == "terminated" || i.VPC != tg.VPC {
				return nil, invalidTarget()
			}
			if i.State != "running" && i.State != "pending" {
				stopped = append(stopped, id)
			}
		}
		if len(stopped) > 0 {
			// AWS's words (moto copies them).
			return nil, errorf(InvalidTarget, "The following targets are not in a running state and cannot be registered: '%s'", strings.Join(stopped, "', '"))
		}
	case "ip":
		cidrs, _, err := s.vpcCIDRs(ctx, tg.VPC)
		if err != nil {
			return nil, err
		}
		zones, err := s.vpcSubnets(ctx, tg.VPC)
		if err != nil {
			return nil, err
		}
		for i, t := range in.Targets {
			ip, err := netip.ParseAddr(aws.ToString(t.Id))
			if err != nil || !ip.Is4() {
				return nil, errorf(ValidationError, "The IP address '%s' is not a valid IPv4 address", aws.ToString(t.Id))
			}
			inVPC := slices.ContainsFunc(cidrs, func(c string) bool { p, err := netip.ParsePrefix(c); return err == nil && p.Contains(ip) })
			private := slices.ContainsFunc(privateRanges, func(p netip.Prefix) bool { return p.Contains(ip) })
			switch {
			case inVPC:
				// An address of the VPC is in the zone of the subnet that holds it.
				j := slices.IndexFunc(zones, func(sn subnet) bool { p, err := netip.ParsePrefix(sn.CIDR); return err == nil && p.Contains(ip) })
				if j < 0 {
					return nil, errorf(InvalidTarget, "The IP address '%s' is in no subnet of the VPC '%s'", ip, tg.VPC)
				}
				if in.Targets[i].AvailabilityZone == nil {
					in.Targets[i].AvailabilityZone = aws.String(zones[j].AZ)
				}
			case private && aws.ToString(t.AvailabilityZone) == "all":
			case private:
				return nil, errorf(ValidationError, "You must specify the Availability Zone 'all' for the IP address '%s', which is outside the VPC", ip)
			default:
				return nil, errorf(InvalidTarget, "The IP address '%s' is not within the VPC's CIDR range or a private range", ip)
			}
		}
	case "lambda":
		if len(in.Targets) > 1 {
			return nil, errorf(TooManyTargets, "You can register only one Lambda function with a target group")
		}
		if id := aws.ToString(in.Targets[0].Id); !strings.HasPrefix(id, "arn:aws:lambda:") {
			return nil, invalidTarget()
		}
	}
	now := s.clock.Now()
	for _, t := range in.Targets {
		nt := target{ID: aws.ToString(t.Id), AZ: aws.ToString(t.AvailabilityZone), Registered: now}
		if tg.TargetType != "lambda" {
			nt.Port = tg.Port
			if t.Port != nil {
				nt.Port = *t.Port
				if nt.Port < 1 || nt.Port > 65535 {
					return nil, errorf(ValidationError, "1 validation error detected: Value '%d' at 'targets.member.port' failed to satisfy constraint: Member must have value between 1 and 65535", nt.Port)
				}
			}
		} else if t.Port != nil {
			return nil, errorf(ValidationError, "A port cannot be specified for a Lambda function target")
		}
		add = append(add, nt)
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		tg, err := findTG(r, arn)
		if err != nil {
			return false, err
		}
		next := slices.Clone(tg.Targets)
		changed := false
		for _, nt := range add {
			i := slices.IndexFunc(next, func(o target) bool { return o.ID == nt.ID && o.Port == nt.Port })
			switch {
			case i < 0:
				next = append(next, nt)
				changed = true
			case !next[i].Deregistered.IsZero(): // draining: registered again
				next[i] = nt
				changed = true
			}
		}
		if len(next) > maxTargets {
			return false, errorf(TooManyTargets, "You've reached the limit on the number of targets per target group")
		}
		tg.Targets = next
		return changed, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.RegisterTargetsOutput{}, nil
}

func (h *ELB) DeregisterTargets(ctx context.Context, in *elb.DeregisterTargetsInput) (*elb.DeregisterTargetsOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		tg, err := findTG(r, aws.ToString(in.TargetGroupArn))
		if err != nil {
			return false, err
		}
		now := s.clock.Now()
		next := slices.Clone(tg.Targets)
		for _, t := range in.Targets {
			id := aws.ToString(t.Id)
			i := slices.IndexFunc(next, func(o target) bool {
				return o.ID == id && (t.Port == nil || o.Port == *t.Port)
			})
			if i < 0 {
				return false, invalidTarget()
			}
			// A group no load balancer uses lets its targets go at once; else they drain for
			// the deregistration delay (the User Guide, "Deregistration delay").
			if tg.InUse.IsZero() || tg.delay() == 0 {
				next = slices.Delete(next, i, i+1)
				continue
			}
			if next[i].Deregistered.IsZero() {
				next[i].Deregistered = now
			}
		}
		tg.Targets = next
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.DeregisterTargetsOutput{}, nil
}

// A groupView is what health checks and forwarding read of a target group, copied out of
// the store: the group and the load balancers that use it.
type groupView struct {
	region string
	tg     *targetGroup
	lbs    []*loadBalancer
}

// view copies a target group and its load balancers out of r.
func view(region string, r *regionState, tg *targetGroup) *groupView {
	v := &groupView{region: region, tg: cloneTG(tg)}
	for _, a := range users(r, tg.ARN) {
		v.lbs = append(v.lbs, cloneLB(r.LBs[a]))
	}
	return v
}

// verdict is a target's health as DescribeTargetHealth answers it.
type verdict struct {
	State, Reason, Description string
}

func (v verdict) routable() bool { return v.State == "healthy" || v.State == "unavailable" }

// targets reads what the view's targets need of EC2: their instances (for IP targets, every
// instance of the region, to find the one with the address).
func (s *Store) targetInstances(ctx context.Context, v *groupView) (map[string]instance, error) {
	if v.tg.TargetType == "lambda" || len(v.tg.Targets) == 0 {
		return nil, nil
	}
	var ids []string
	if v.tg.TargetType == "instance" {
		for _, t := range v.tg.Targets {
			ids = append(ids, t.ID)
		}
	}
	insts, err := s.instances(ctx, ids)
	if err != nil {
		return nil, err
	}
	if v.tg.TargetType == "ip" {
		byIP := map[string]instance{}
		for _, i := range insts {
			if i.State != "terminated" && i.VPC == v.tg.VPC {
				byIP[i.PrivateIP] = i
			}
		}
		return byIP, nil
	}
	return insts, nil
}

// a hop is how traffic reaches a target: the node it leaves from and the instance.
type hop struct {
	from     world.Endpoint
	instance string
	ip       string // the instance's private address
	launched time.Time
	port     int
	verdict  verdict // set when the target cannot be reached at all (not in use, stopped…)
}

// route finds the node a target is reached from and checks the target's registration and
// state, in AWS's order of reasons.
func (v *groupView) route(t target, insts map[string]instance, now time.Time) hop {
	tg := v.tg
	if draining, _ := t.draining(now, tg.delay()); draining {
		return hop{verdict: verdict{"draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"}}
	}
	if len(v.lbs) == 0 {
		return hop{verdict: verdict{"unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"}}
	}
	if tg.TargetType == "lambda" {
		if !tg.Health.Enabled {
			return hop{verdict: verdict{"unavailable", "Target.HealthCheckDisabled", "Health checks are disabled"}}
		}
		return hop{verdict: verdict{"unhealthy", "Target.FailedHealthChecks", "Health checks failed: the simulator does not run Lambda functions"}}
	}
	inst, ok := insts[t.ID]
	if tg.TargetType == "instance" {
		if ok && inst.State == "pending" {
			// An instance registered as it launches (by Auto Scaling) waits for it to run.
			return hop{verdict: verdict{"initial", "Elb.RegistrationInProgress", "Target registration is in progress"}}
		}
		if !ok || inst.State != "running" {
			state := "terminated"
			if ok {
				state = inst.State
			}
			return hop{verdict: verdict{"unused", "Target.InvalidState", "Target is in the " + state + " state"}}
		}
	}
	lb := v.lbs[0]
	p := hop{instance: inst.ID, ip: inst.PrivateIP, port: int(t.Port), launched: inst.Launched}
	az := inst.AZ
	if !ok {
		az = t.AZ
	}
	i := slices.IndexFunc(lb.Subnets, func(sn subnet) bool { return sn.AZ == az })
	switch {
	case i >= 0:
	case az == "all" && len(lb.Subnets) > 0:
		i = 0
	default:
		return hop{verdict: verdict{"unused", "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer"}}
	}
	sn := lb.Subnets[i]
	addr, _ := netip.ParseAddr(sn.Node)
	p.from = world.Endpoint{Region: v.region, Subnet: sn.ID, SecurityGroups: slices.Clone(lb.SecurityGroups), Address: addr,
		Name: "load balancer " + lb.Name + "'s node in " + sn.ID}
	return p
}

// check runs one health check of a target along its path: the network from the node to the
// health check port, then what listens there.
func (s *Store) check(v *groupView, p hop) (ok bool, fail verdict) {
	hc := v.tg.Health
	port := p.port
	if hc.Port != "traffic-port" {
		port, _ = strconv.Atoi(hc.Port)
	}
	if p.instance == "" {
		// An IP target no instance of the VPC has: nothing answers.
		return false, verdict{"unhealthy", "Target.Timeout", "Request timed out"}
	}
	if !s.reach(p.from, p.instance, port).OK {
		return false, verdict{"unhealthy", "Target.Timeout", "Request timed out"}
	}
	if hc.Protocol == "TCP" {
		if s.hosts == nil || !s.hosts.Listening(p.instance, port) {
			return false, verdict{"unhealthy", "Target.FailedHealthChecks", "Health checks failed"}
		}
		return true, verdict{}
	}
	code, answered := s.get(p.instance, port, hc.Path, p.ip)
	if !answered {
		return false, verdict{"unhealthy", "Target.FailedHealthChecks", "Health checks failed"}
	}
	if !matches(hc.Matcher, code) {
		return false, verdict{"unhealthy", "Target.ResponseCodeMismatch", fmt.Sprintf("Health checks failed with these codes: [%d]", code)}
	}
	return true, verdict{}
}

// reach asks the network whether a node's flow to an instance's TCP port gets through; with
// no network model every flow does.
func (s *Store) reach(from world.Endpoint, inst string, port int) world.Verdict {
	if s.net == nil {
		return world.Verdict{OK: true}
	}
	return s.net.Reach(world.Flow{From: from, To: world.Endpoint{Region: from.Region, Instance: inst}, Protocol: "tcp", Port: port})
}

// get sends a health check's GET to what listens on an instance's port and returns the
// status; answered is false when nothing listens or the handler fails.
func (s *Store) get(inst string, port int, path, host string) (code int, answered bool) {
	if s.hosts == nil {
		return 0, false
	}
	h := s.hosts.Handler(inst, port)
	if h == nil {
		return 0, false
	}
	req := httptest.NewRequest(http.MethodGet, "http://"+host+":"+strconv.Itoa(port)+path, nil)
	req.Header.Set("User-Agent", "ELB-HealthChecker/2.0")
	rec, ok := serveSafely(h, req)
	if !ok {
		return 0, false
	}
	return rec.Code, true
}

// serveSafely runs a host's handler, taking its panic for a connection that broke.
func serveSafely(h http.Handler, req *http.Request) (rec *httptest.ResponseRecorder, ok bool) {
	rec = httptest.NewRecorder()
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	h.ServeHTTP(rec, req)
	return rec, true
}

// health is a target's health at now. Health checks run every interval from the latest of
// its registration, its group's coming into use, its load balancer's becoming active and its
// instance's last start;
// a target is healthy after HealthyThreshold passing checks, unhealthy after
// UnhealthyThreshold failing ones, and "initial" until then. After that its state follows
// the current check: the simulator keeps no history of checks.
func (s *Store) health(v *groupView, t target, insts map[string]instance, now time.Time) (verdict, hop) {
	p := v.route(t, insts, now)
	if p.verdict.State != "" {
		return p.verdict, p
	}
	return v.judge(t, p, now, func() (bool, verdict) { return s.check(v, p) }), p
}

// judge is the health at now of a target that route found a path to, given how to run its
// current check (run only when the thresholds need it).
func (v *groupView) judge(t target, p hop, now time.Time, check func() (bool, verdict)) verdict {
	hc := v.tg.Health
	lb := v.lbs[0]
	if lb.state(now) == "provisioning" {
		return verdict{"initial", "Elb.RegistrationInProgress", "Target registration is in progress"}
	}
	if !hc.Enabled {
		return verdict{"unavailable", "Target.HealthCheckDisabled", "Health checks are disabled"}
	}
	start := t.Registered
	// Checks start again when the instance starts again (its LaunchTime is its last start).
	for _, at := range []time.Time{v.tg.InUse, lb.activeAt(), p.launched} {
		if at.After(start) {
			start = at
		}
	}
	checks := int32(now.Sub(start)/(time.Duration(hc.Interval)*time.Second)) + 1
	ok, fail := check()
	switch {
	case ok && checks >= hc.Healthy:
		return verdict{State: "healthy"}
	case !ok && checks >= hc.Unhealthy:
		return fail
	}
	return verdict{"initial", "Elb.InitialHealthChecking", "Initial health checking in progress"}
}

func (h *ELB) DescribeTargetHealth(ctx context.Context, in *elb.DescribeTargetHealthInput) (*elb.DescribeTargetHealthOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v *groupView
	if err := s.read(region, func(r *regionState) error {
		tg, err := findTG(r, aws.ToString(in.TargetGroupArn))
		if err == nil {
			v = view(region, r, tg)
		}
		return err
	}); err != nil {
		return nil, err
	}
	insts, err := s.targetInstances(ctx, v)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	live := v.tg.Targets[:0:0]
	for _, t := range v.tg.Targets {
		if _, gone := t.draining(now, v.tg.delay()); !gone {
			live = append(live, t)
		}
	}
	out := &elb.DescribeTargetHealthOutput{TargetHealthDescriptions: []types.TargetHealthDescription{}}
	describe := func(t target, hv verdict) {
		d := types.TargetHealthDescription{
			Target:       &types.TargetDescription{Id: aws.String(t.ID)},
			TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnum(hv.State)},
		}
		if v.tg.TargetType != "lambda" {
			d.Target.Port = aws.Int32(t.Port)
			port := v.tg.Health.Port
			if port == "traffic-port" {
				port = strconv.Itoa(int(t.Port))
			}
			d.HealthCheckPort = aws.String(port)
		}
		if t.AZ != "" {
			d.Target.AvailabilityZone = aws.String(t.AZ)
		} else if i, ok := insts[t.ID]; ok && v.tg.TargetType == "ip" {
			d.Target.AvailabilityZone = aws.String(i.AZ)
		}
		if hv.Reason != "" {
			d.TargetHealth.Reason = types.TargetHealthReasonEnum(hv.Reason)
			d.TargetHealth.Description = aws.String(hv.Description)
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, d)
	}
	if len(in.Targets) == 0 {
		for _, t := range live {
			hv, _ := s.health(v, t, insts, now)
			describe(t, hv)
		}
		return out, nil
	}
	for _, q := range in.Targets {
		id := aws.ToString(q.Id)
		found := false
		for _, t := range live {
			if t.ID == id && (q.Port == nil || t.Port == *q.Port) {
				hv, _ := s.health(v, t, insts, now)
				describe(t, hv)
				found = true
			}
		}
		if !found {
			t := target{ID: id, Port: aws.ToInt32(q.Port)}
			if q.Port == nil {
				t.Port = v.tg.Port
			}
			describe(t, verdict{"unused", "Target.NotRegistered", "Target is not registered to the target group"})
		}
	}
	return out, nil
}
