package elbsim

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var tgProtocols = []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"}

// healthDefaults are a target group's health check settings when CreateTargetGroup gives
// none, per its protocol and target type (the API reference of CreateTargetGroup).
func healthDefaults(protocol, targetType string) healthCheck {
	hc := healthCheck{Enabled: true, Port: "traffic-port", Interval: 30, Timeout: 5, Healthy: 5, Unhealthy: 2}
	switch protocol {
	case "HTTP", "HTTPS":
		hc.Protocol, hc.Path, hc.Matcher = protocol, "/", "200"
		if protocol == "HTTPS" {
			hc.Timeout = 10
		}
	case "GENEVE":
		hc.Protocol, hc.Port, hc.Interval = "TCP", "80", 10
	default:
		hc.Protocol, hc.Timeout = "TCP", 10
	}
	if targetType == "lambda" {
		hc = healthCheck{Enabled: false, Path: "/", Interval: 35, Timeout: 30, Healthy: 5, Unhealthy: 2, Matcher: "200"}
	}
	return hc
}

// applyHealth sets the health check settings given, and checks the result.
func applyHealth(hc *healthCheck, tgProtocol string, enabled *bool, protocol types.ProtocolEnum, port, path *string,
	interval, timeout, healthy, unhealthy *int32, m *types.Matcher) error {
	if enabled != nil {
		hc.Enabled = *enabled
	}
	if protocol != "" {
		if err := enum(string(protocol), "healthCheckProtocol", "HTTP", "HTTPS", "TCP"); err != nil {
			return err
		}
		if (tgProtocol == "HTTP" || tgProtocol == "HTTPS") && protocol == "TCP" {
			return errorf(ValidationError, "Health check protocol '%s' is not supported for target groups with the %s protocol", protocol, tgProtocol)
		}
		if hc.Protocol != string(protocol) && (protocol == "HTTP" || protocol == "HTTPS") && hc.Path == "" {
			hc.Path = "/"
			if hc.Matcher == "" {
				hc.Matcher = "200-399"
			}
		}
		hc.Protocol = string(protocol)
	}
	if port != nil {
		if p := *port; p != "traffic-port" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return errorf(ValidationError, "Health check port '%s' must be 'traffic-port' or an integer between 1 and 65535", p)
			}
		}
		hc.Port = *port
	}
	if path != nil {
		p := *path
		if hc.Protocol == "TCP" {
			return errorf(ValidationError, "Health check path cannot be specified with the TCP health check protocol")
		}
		if !strings.HasPrefix(p, "/") || len(p) > 1024 {
			return errorf(ValidationError, "Health check path must begin with a '/' character, and can be at most 1024 characters in length")
		}
		hc.Path = p
	}
	for _, v := range []struct {
		p      *int32
		dst    *int32
		field  string
		lo, hi int32
	}{{interval, &hc.Interval, "healthCheckIntervalSeconds", 5, 300}, {timeout, &hc.Timeout, "healthCheckTimeoutSeconds", 2, 120},
		{healthy, &hc.Healthy, "healthyThresholdCount", 2, 10}, {unhealthy, &hc.Unhealthy, "unhealthyThresholdCount", 2, 10}} {
		if v.p == nil {
			continue
		}
		if *v.p < v.lo || *v.p > v.hi {
			return errorf(ValidationError, "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s %d", *v.p, v.field,
				map[bool]string{true: "greater than or equal to", false: "less than or equal to"}[*v.p < v.lo], map[bool]int32{true: v.lo, false: v.hi}[*v.p < v.lo])
		}
		*v.dst = *v.p
	}
	if hc.Timeout >= hc.Interval {
		return errorf(ValidationError, "Health check timeout '%d' must be smaller than the interval '%d'", hc.Timeout, hc.Interval)
	}
	if m != nil {
		if m.GrpcCode != nil {
			return core.Errorf(core.NotImplemented, "The simulator does not implement gRPC health checks.")
		}
		code := aws.ToString(m.HttpCode)
		if _, ok := parseMatcher(code); !ok {
			return errorf(ValidationError, "Health check matcher HTTP code '%s' must be a value between 200 and 499, a list of values or a range of values", code)
		}
		if hc.Protocol == "TCP" {
			return errorf(ValidationError, "Health check matcher cannot be specified with the TCP health check protocol")
		}
		hc.Matcher = code
	}
	return nil
}

// parseMatcher reads a matcher's HTTP codes ("200", "200,202", "200-299") as ranges; AWS
// takes codes from 200 to 499.
func parseMatcher(s string) ([][2]int, bool) {
	if s == "" {
		return nil, false
	}
	var out [][2]int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 200 || a > 499 {
			return nil, false
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b > 499 {
				return nil, false
			}
		}
		out = append(out, [2]int{a, b})
	}
	return out, true
}

// matches reports whether an HTTP status is one of a matcher's codes.
func matches(matcher string, code int) bool {
	rs, _ := parseMatcher(matcher)
	for _, r := range rs {
		if code >= r[0] && code <= r[1] {
			return true
		}
	}
	return false
}

// tgAttributeDefaults are a new target group's attributes, per protocol and target type.
func tgAttributeDefaults(protocol, targetType string) map[string]string {
	if targetType == "lambda" {
		return map[string]string{"lambda.multi_value_headers.enabled": "false"}
	}
	m := map[string]string{
		"deregistration_delay.timeout_seconds":                                           "300",
		"stickiness.enabled":                                                             "false",
		"load_balancing.cross_zone.enabled":                                              "use_load_balancer_configuration",
		"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
		"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
		"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
		"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
	}
	switch protocol {
	case "HTTP", "HTTPS":
		m["stickiness.type"] = "lb_cookie"
		m["stickiness.lb_cookie.duration_seconds"] = "86400"
		m["stickiness.app_cookie.cookie_name"] = ""
		m["stickiness.app_cookie.duration_seconds"] = "86400"
		m["slow_start.duration_seconds"] = "0"
		m["load_balancing.algorithm.type"] = "round_robin"
		m["load_balancing.algorithm.anomaly_mitigation"] = "off"
	default:
		m["stickiness.type"] = "source_ip"
		m["deregistration_delay.connection_termination.enabled"] = "false"
		m["proxy_protocol_v2.enabled"] = "false"
		m["preserve_client_ip.enabled"] = map[bool]string{true: "true", false: "false"}[targetType == "instance"]
	}
	return m
}

// delay is the target group's deregistration delay.
func (tg *targetGroup) delay() time.Duration {
	n, err := strconv.Atoi(tg.Attributes["deregistration_delay.timeout_seconds"])
	if err != nil {
		return 0
	}
	return time.Duration(n) * time.Second
}

func (h *ELB) CreateTargetGroup(ctx context.Context, in *elb.CreateTargetGroupInput) (*elb.CreateTargetGroupOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.Name)
	if err := checkName("Target group", name); err != nil {
		return nil, err
	}
	tt := string(in.TargetType)
	if tt == "" {
		tt = "instance"
	}
	if err := enum(tt, "targetType", "instance", "ip", "lambda", "alb"); err != nil {
		return nil, err
	}
	if tt == "alb" {
		return nil, core.Errorf(core.NotImplemented, "The simulator does not implement target groups of type 'alb'.")
	}
	protocol := string(in.Protocol)
	tg := &targetGroup{Name: name, TargetType: tt, Protocol: protocol, Port: aws.ToInt32(in.Port), VPC: aws.ToString(in.VpcId)}
	if tt == "lambda" {
		for _, p := range []struct {
			set  bool
			name string
		}{{protocol != "", "Protocol"}, {in.Port != nil, "Port"}, {in.VpcId != nil, "VPC ID"}} {
			if p.set {
				return nil, errorf(ValidationError, "%s cannot be specified for target groups with target type 'lambda'", p.name)
			}
		}
	} else {
		switch {
		case protocol == "":
			return nil, errorf(ValidationError, "A protocol must be specified")
		case in.Port == nil:
			return nil, errorf(ValidationError, "A port must be specified")
		case tg.VPC == "":
			return nil, errorf(ValidationError, "A VPC ID must be specified")
		}
		if err := enum(protocol, "protocol", tgProtocols...); err != nil {
			return nil, err
		}
		if tg.Port < 1 || tg.Port > 65535 {
			return nil, errorf(ValidationError, "1 validation error detected: Value '%d' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535", tg.Port)
		}
		if _, ok, err := s.vpcCIDRs(ctx, tg.VPC); err != nil {
			return nil, err
		} else if !ok {
			return nil, errorf(ValidationError, "The VPC ID '%s' is not found", tg.VPC)
		}
		tg.IPType = "ipv4"
		if protocol == "HTTP" || protocol == "HTTPS" {
			tg.ProtocolVersion = "HTTP1"
			if v := aws.ToString(in.ProtocolVersion); v != "" {
				if err := enum(v, "protocolVersion", "HTTP1", "HTTP2", "GRPC"); err != nil {
					return nil, err
				}
				tg.ProtocolVersion = v
			}
		} else if in.ProtocolVersion != nil {
			return nil, errorf(ValidationError, "A protocol version can only be specified for target groups with the HTTP or HTTPS protocol")
		}
	}
	tg.Health = healthDefaults(protocol, tt)
	if err := applyHealth(&tg.Health, protocol, in.HealthCheckEnabled, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath,
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	tg.Tags, tg.Attributes = tags, tgAttributeDefaults(protocol, tt)
	var out *targetGroup
	err = s.write(region, func(r *regionState) (bool, error) {
		for _, old := range r.TGs {
			if old.Name != name {
				continue
			}
			// As for load balancers, the same name and settings answer the group that exists.
			if old.TargetType == tg.TargetType && old.Protocol == tg.Protocol && old.Port == tg.Port && old.VPC == tg.VPC && old.Health == tg.Health {
				out = cloneTG(old)
				return false, nil
			}
			return false, errorf(DuplicateTargetGroupName, "A target group with the same name '%s' exists, but with different settings", name)
		}
		tg.ARN = "arn:aws:elasticloadbalancing:" + region + ":" + s.account + ":targetgroup/" + name + "/" + s.ids.Hex("", 16)
		tg.Created = s.clock.Now()
		r.TGs[tg.ARN] = tg
		out = cloneTG(tg)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.CreateTargetGroupOutput{TargetGroups: []types.TargetGroup{tgOut(out, nil)}}, nil
}

func cloneTG(tg *targetGroup) *targetGroup {
	cp := *tg
	cp.Attributes = maps.Clone(tg.Attributes)
	cp.Targets = slices.Clone(tg.Targets)
	cp.Tags = slices.Clone(tg.Tags)
	return &cp
}

func tgOut(tg *targetGroup, lbs []string) types.TargetGroup {
	hc := tg.Health
	out := types.TargetGroup{
		TargetGroupArn: aws.String(tg.ARN), TargetGroupName: aws.String(tg.Name), TargetType: types.TargetTypeEnum(tg.TargetType),
		HealthCheckEnabled: aws.Bool(hc.Enabled), HealthCheckIntervalSeconds: aws.Int32(hc.Interval),
		HealthCheckTimeoutSeconds: aws.Int32(hc.Timeout), HealthyThresholdCount: aws.Int32(hc.Healthy),
		UnhealthyThresholdCount: aws.Int32(hc.Unhealthy), LoadBalancerArns: lbs,
	}
	if out.LoadBalancerArns == nil {
		out.LoadBalancerArns = []string{}
	}
	if tg.Protocol != "" {
		out.Protocol, out.Port, out.VpcId = types.ProtocolEnum(tg.Protocol), aws.Int32(tg.Port), aws.String(tg.VPC)
		out.IpAddressType = types.TargetGroupIpAddressTypeEnum(tg.IPType)
	}
	if tg.ProtocolVersion != "" {
		out.ProtocolVersion = aws.String(tg.ProtocolVersion)
	}
	if hc.Protocol != "" {
		out.HealthCheckProtocol = types.ProtocolEnum(hc.Protocol)
	}
	if hc.Port != "" {
		out.HealthCheckPort = aws.String(hc.Port)
	}
	if hc.Path != "" {
		out.HealthCheckPath = aws.String(hc.Path)
	}
	if hc.Matcher != "" {
		out.Matcher = &types.Matcher{HttpCode: aws.String(hc.Matcher)}
	}
	return out
}

// findTG returns the target group an ARN names in r, or TargetGroupNotFound.
func findTG(r *regionState, arn string) (*targetGroup, error) {
	if r != nil {
		if tg := r.TGs[arn]; tg != nil {
			return tg, nil
		}
	}
	return nil, tgNotFound()
}

// users returns the ARNs of the load balancers whose listeners or rules forward to a target
// group, sorted.
func users(r *regionState, tg string) []string {
	var out []string
	add := func(listenerARN string, acts []action) {
		for _, a := range acts {
			for _, w := range a.Forward {
				if w.TG == tg {
					if l := r.Listeners[listenerARN]; l != nil && !slices.Contains(out, l.LB) {
						out = append(out, l.LB)
					}
				}
			}
		}
	}
	for _, l := range r.Listeners {
		add(l.ARN, l.Actions)
	}
	for _, ru := range r.Rules {
		add(ru.Listener, ru.Actions)
	}
	slices.Sort(out)
	return out
}

// markUse records when each target group came into use by a load balancer: its targets'
// health checks count from then.
func markUse(r *regionState, now time.Time) {
	for arn, tg := range r.TGs {
		used := len(users(r, arn)) > 0
		switch {
		case used && tg.InUse.IsZero():
			tg.InUse = now
		case !used:
			tg.InUse = time.Time{}
		}
	}
}

func (h *ELB) DescribeTargetGroups(ctx context.Context, in *elb.DescribeTargetGroupsInput) (*elb.DescribeTargetGroupsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	n := 0
	for _, set := range []bool{in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, errorf(ValidationError, "Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time")
	}
	type item struct {
		tg  *targetGroup
		lbs []string
	}
	var items []item
	err := s.read(region, func(r *regionState) error {
		switch {
		case in.LoadBalancerArn != nil:
			if _, err := findLB(r, aws.ToString(in.LoadBalancerArn)); err != nil {
				return err
			}
			for arn, tg := range r.TGs {
				if lbs := users(r, arn); slices.Contains(lbs, aws.ToString(in.LoadBalancerArn)) {
					items = append(items, item{cloneTG(tg), lbs})
				}
			}
		case len(in.TargetGroupArns) > 0:
			for _, a := range in.TargetGroupArns {
				tg, err := findTG(r, a)
				if err != nil {
					return err
				}
				items = append(items, item{cloneTG(tg), users(r, a)})
			}
		case len(in.Names) > 0:
			var missing []string
			for _, name := range in.Names {
				var found *targetGroup
				if r != nil {
					for _, tg := range r.TGs {
						if tg.Name == name {
							found = tg
						}
					}
				}
				if found == nil {
					missing = append(missing, name)
					continue
				}
				items = append(items, item{cloneTG(found), users(r, found.ARN)})
			}
			if len(missing) > 0 {
				return errorf(TargetGroupNotFound, "Target groups '[%s]' not found", strings.Join(missing, ", "))
			}
		case r != nil:
			for arn, tg := range r.TGs {
				items = append(items, item{cloneTG(tg), users(r, arn)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.tg.Name, b.tg.Name) })
	items = slices.CompactFunc(items, func(a, b item) bool { return a.tg.ARN == b.tg.ARN })
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.tg.Name
	}
	from, to, next, err := page(keys, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeTargetGroupsOutput{TargetGroups: []types.TargetGroup{}}
	for _, it := range items[from:to] {
		out.TargetGroups = append(out.TargetGroups, tgOut(it.tg, it.lbs))
	}
	if next != "" {
		out.NextMarker = aws.String(next)
	}
	return out, nil
}

func (h *ELB) ModifyTargetGroup(ctx context.Context, in *elb.ModifyTargetGroupInput) (*elb.ModifyTargetGroupOutput, error) {
	var out types.TargetGroup
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		tg, err := findTG(r, aws.ToString(in.TargetGroupArn))
		if err != nil {
			return false, err
		}
		hc := tg.Health
		if err := applyHealth(&hc, tg.Protocol, in.HealthCheckEnabled, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath,
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher); err != nil {
			return false, err
		}
		tg.Health = hc
		out = tgOut(tg, users(r, tg.ARN))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.ModifyTargetGroupOutput{TargetGroups: []types.TargetGroup{out}}, nil
}

func (h *ELB) DeleteTargetGroup(ctx context.Context, in *elb.DeleteTargetGroupInput) (*elb.DeleteTargetGroupOutput, error) {
	arn := aws.ToString(in.TargetGroupArn)
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		if r.TGs[arn] == nil {
			return false, nil // deleting a missing group succeeds, as AWS answers it
		}
		if len(users(r, arn)) > 0 {
			return false, errorf(ResourceInUse, "Target group '%s' is currently in use by a listener or a rule", arn)
		}
		delete(r.TGs, arn)
		delete(h.s.st.Turns, arn)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.DeleteTargetGroupOutput{}, nil
}

func tgAttribute(k, v *string) types.TargetGroupAttribute {
	return types.TargetGroupAttribute{Key: k, Value: v}
}

func (h *ELB) DescribeTargetGroupAttributes(ctx context.Context, in *elb.DescribeTargetGroupAttributesInput) (*elb.DescribeTargetGroupAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		tg, err := findTG(r, aws.ToString(in.TargetGroupArn))
		if err == nil {
			attrs = maps.Clone(tg.Attributes)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &elb.DescribeTargetGroupAttributesOutput{Attributes: attributesOut(attrs, tgAttribute)}, nil
}

func (h *ELB) ModifyTargetGroupAttributes(ctx context.Context, in *elb.ModifyTargetGroupAttributesInput) (*elb.ModifyTargetGroupAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		tg, err := findTG(r, aws.ToString(in.TargetGroupArn))
		if err != nil {
			return false, err
		}
		next := maps.Clone(tg.Attributes)
		for _, a := range in.Attributes {
			k, v := aws.ToString(a.Key), aws.ToString(a.Value)
			if _, ok := next[k]; !ok {
				return false, errorf(ValidationError, "Target group attribute key '%s' is not recognized", k)
			}
			if err := checkAttribute("Target group", k, v); err != nil {
				return false, err
			}
			if k == "stickiness.type" {
				ok := map[string][]string{"HTTP": {"lb_cookie", "app_cookie"}, "HTTPS": {"lb_cookie", "app_cookie"}}[tg.Protocol]
				if ok == nil {
					ok = []string{"source_ip"}
				}
				if !slices.Contains(ok, v) {
					return false, errorf(InvalidConfigurationRequest, "Stickiness type '%s' is not supported for target groups with the %s protocol", v, tg.Protocol)
				}
			}
			next[k] = v
		}
		tg.Attributes = next
		attrs = maps.Clone(next)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.ModifyTargetGroupAttributesOutput{Attributes: attributesOut(attrs, tgAttribute)}, nil
}
