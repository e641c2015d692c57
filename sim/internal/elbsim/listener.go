package elbsim

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// checkListener checks a listener's protocol, port and certificates for its load balancer.
func checkListener(lb *loadBalancer, protocol string, port int32, certs []types.Certificate) error {
	protos := albProtocols
	if lb.Type == "network" {
		protos = nlbProtocols
	}
	if !slices.Contains(protos, protocol) {
		// moto quotes AWS so.
		return errorf(ValidationError, "Listener protocol '%s' must be one of '%s'", protocol, strings.Join(protos, ", "))
	}
	if port < 1 || port > 65535 {
		return errorf(ValidationError, "1 validation error detected: Value '%d' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535", port)
	}
	if (protocol == "HTTPS" || protocol == "TLS") && len(certs) == 0 {
		return errorf(ValidationError, "A certificate must be specified for %s listeners", protocol)
	}
	if len(certs) > 1 {
		return errorf(ValidationError, "A listener takes exactly one default certificate; add the others with AddListenerCertificates")
	}
	return nil
}

func (h *ELB) CreateListener(ctx context.Context, in *elb.CreateListenerInput) (*elb.CreateListenerOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	lbARN := aws.ToString(in.LoadBalancerArn)
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if err := s.checkCertificates(ctx, in.Certificates); err != nil {
		return nil, err
	}
	var out types.Listener
	err = s.write(region, func(r *regionState) (bool, error) {
		lb, err := findLB(r, lbARN)
		if err != nil {
			return false, err
		}
		protocol, port := string(in.Protocol), aws.ToInt32(in.Port)
		if protocol == "" {
			protocol = map[string]string{"application": "HTTP", "network": "TCP"}[lb.Type]
		}
		if in.Port == nil {
			return false, errorf(ValidationError, "A listener port must be specified")
		}
		if err := checkListener(lb, protocol, port, in.Certificates); err != nil {
			return false, err
		}
		for _, l := range r.Listeners {
			if l.LB == lbARN && l.Port == port {
				if l.Protocol == protocol {
					// The same listener again answers it, as creating load balancers does.
					out = listenerOut(l)
					return false, nil
				}
				return false, errorf(DuplicateListener, "A listener already exists on this port for this load balancer '%s'", lbARN)
			}
		}
		acts, err := checkActions(r, lb, in.DefaultActions)
		if err != nil {
			return false, err
		}
		id := s.ids.Hex("", 16)
		base := strings.Replace(lb.ARN, ":loadbalancer/", ":listener/", 1) + "/" + id
		l := &listener{ARN: base, LB: lbARN, Protocol: protocol, Port: port, Actions: acts, Created: s.clock.Now(), Tags: tags}
		for _, c := range in.Certificates {
			l.Certificates = append(l.Certificates, aws.ToString(c.CertificateArn))
		}
		if err := checkSSLPolicy(aws.ToString(in.SslPolicy)); err != nil {
			return false, err
		}
		if protocol == "HTTPS" || protocol == "TLS" {
			l.SSLPolicy = aws.ToString(in.SslPolicy)
			if l.SSLPolicy == "" {
				l.SSLPolicy = defaultSSLPolicy
			}
		}
		def := &rule{ARN: strings.Replace(base, ":listener/", ":listener-rule/", 1) + "/" + s.ids.Hex("", 16), Listener: l.ARN, Default: true}
		l.DefaultRule = def.ARN
		r.Listeners[l.ARN], r.Rules[def.ARN] = l, def
		markUse(r, s.clock.Now())
		out = listenerOut(l)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.CreateListenerOutput{Listeners: []types.Listener{out}}, nil
}

func listenerOut(l *listener) types.Listener {
	out := types.Listener{ListenerArn: aws.String(l.ARN), LoadBalancerArn: aws.String(l.LB), Port: aws.Int32(l.Port),
		Protocol: types.ProtocolEnum(l.Protocol), DefaultActions: actionsOut(l.Actions)}
	for _, c := range l.Certificates {
		out.Certificates = append(out.Certificates, types.Certificate{CertificateArn: aws.String(c)})
	}
	if l.SSLPolicy != "" {
		out.SslPolicy = aws.String(l.SSLPolicy)
	}
	return out
}

// deleteListener removes a listener and its rules.
func deleteListener(r *regionState, arn string) {
	for ra, ru := range r.Rules {
		if ru.Listener == arn {
			delete(r.Rules, ra)
		}
	}
	delete(r.Listeners, arn)
}

func findListener(r *regionState, arn string) (*listener, error) {
	if r != nil {
		if l := r.Listeners[arn]; l != nil {
			return l, nil
		}
	}
	return nil, listenerNotFound()
}

func (h *ELB) DescribeListeners(ctx context.Context, in *elb.DescribeListenersInput) (*elb.DescribeListenersOutput, error) {
	if in.LoadBalancerArn == nil && len(in.ListenerArns) == 0 {
		return nil, errorf(ValidationError, "You must specify either listener ARNs or a load balancer ARN")
	}
	if in.LoadBalancerArn != nil && len(in.ListenerArns) > 0 {
		return nil, errorf(ValidationError, "Listener ARNs and a load balancer ARN cannot be specified at the same time")
	}
	var ls []types.Listener
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		if in.LoadBalancerArn != nil {
			if _, err := findLB(r, aws.ToString(in.LoadBalancerArn)); err != nil {
				return err
			}
			for _, l := range r.Listeners {
				if l.LB == aws.ToString(in.LoadBalancerArn) {
					ls = append(ls, listenerOut(l))
				}
			}
			return nil
		}
		for _, a := range in.ListenerArns {
			l, err := findListener(r, a)
			if err != nil {
				return err
			}
			ls = append(ls, listenerOut(l))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ls, func(a, b types.Listener) int {
		return strings.Compare(aws.ToString(a.ListenerArn), aws.ToString(b.ListenerArn))
	})
	ls = slices.CompactFunc(ls, func(a, b types.Listener) bool { return aws.ToString(a.ListenerArn) == aws.ToString(b.ListenerArn) })
	keys := make([]string, len(ls))
	for i, l := range ls {
		keys[i] = aws.ToString(l.ListenerArn)
	}
	from, to, next, err := page(keys, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeListenersOutput{Listeners: append([]types.Listener{}, ls[from:to]...)}
	if next != "" {
		out.NextMarker = aws.String(next)
	}
	return out, nil
}

func (h *ELB) ModifyListener(ctx context.Context, in *elb.ModifyListenerInput) (*elb.ModifyListenerOutput, error) {
	s := h.s
	if err := s.checkCertificates(ctx, in.Certificates); err != nil {
		return nil, err
	}
	var out types.Listener
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		l, err := findListener(r, aws.ToString(in.ListenerArn))
		if err != nil {
			return false, err
		}
		lb := r.LBs[l.LB]
		next := *l
		if in.Protocol != "" {
			next.Protocol = string(in.Protocol)
		}
		if in.Port != nil {
			next.Port = *in.Port
		}
		certs := in.Certificates
		if certs == nil {
			for _, c := range l.Certificates {
				certs = append(certs, types.Certificate{CertificateArn: aws.String(c)})
			}
		} else {
			next.Certificates = nil
			for _, c := range certs {
				next.Certificates = append(next.Certificates, aws.ToString(c.CertificateArn))
			}
		}
		if err := checkListener(lb, next.Protocol, next.Port, certs); err != nil {
			return false, err
		}
		for _, o := range r.Listeners {
			if o.LB == l.LB && o.ARN != l.ARN && o.Port == next.Port {
				return false, errorf(DuplicateListener, "A listener already exists on this port for this load balancer '%s'", l.LB)
			}
		}
		if in.DefaultActions != nil {
			// A listener's own target groups are not "another load balancer's".
			saved := l.Actions
			l.Actions = nil
			acts, err := checkActions(r, lb, in.DefaultActions)
			l.Actions = saved
			if err != nil {
				return false, err
			}
			next.Actions = acts
		}
		if err := checkSSLPolicy(aws.ToString(in.SslPolicy)); err != nil {
			return false, err
		}
		if next.Protocol == "HTTPS" || next.Protocol == "TLS" {
			if in.SslPolicy != nil {
				next.SSLPolicy = *in.SslPolicy
			} else if next.SSLPolicy == "" {
				next.SSLPolicy = defaultSSLPolicy
			}
		} else {
			next.SSLPolicy, next.Certificates, next.Extra = "", nil, nil
		}
		*l = next
		markUse(r, s.clock.Now())
		out = listenerOut(l)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.ModifyListenerOutput{Listeners: []types.Listener{out}}, nil
}

func (h *ELB) DeleteListener(ctx context.Context, in *elb.DeleteListenerInput) (*elb.DeleteListenerOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		if _, err := findListener(r, aws.ToString(in.ListenerArn)); err != nil {
			return false, err
		}
		deleteListener(r, aws.ToString(in.ListenerArn))
		markUse(r, s.clock.Now())
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.DeleteListenerOutput{}, nil
}

func findRule(r *regionState, arn string) (*rule, error) {
	if r != nil {
		if ru := r.Rules[arn]; ru != nil {
			return ru, nil
		}
	}
	return nil, ruleNotFound()
}

func checkPriority(p int32) error {
	if p < 1 || p > 50000 {
		return errorf(ValidationError, "1 validation error detected: Value '%d' at 'priority' failed to satisfy constraint: Member must have value between 1 and 50000", p)
	}
	return nil
}

func priorityInUse(p int32) error {
	return errorf(PriorityInUse, "Priority '%d' is currently in use", p)
}

func (h *ELB) CreateRule(ctx context.Context, in *elb.CreateRuleInput) (*elb.CreateRuleOutput, error) {
	s := h.s
	prio := aws.ToInt32(in.Priority)
	if err := checkPriority(prio); err != nil {
		return nil, err
	}
	conds, err := checkConditions(in.Conditions)
	if err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var out types.Rule
	err = s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		l, err := findListener(r, aws.ToString(in.ListenerArn))
		if err != nil {
			return false, err
		}
		lb := r.LBs[l.LB]
		if lb.Type != "application" {
			return false, errorf(ValidationError, "Rules are only supported by the listeners of Application Load Balancers")
		}
		n := 0
		for _, ru := range r.Rules {
			if ru.Listener == l.ARN && !ru.Default {
				n++
				if ru.Priority == prio {
					return false, priorityInUse(prio)
				}
			}
		}
		if n >= 100 {
			return false, errorf(TooManyRules, "You've reached the limit on the number of rules per load balancer")
		}
		acts, err := checkActions(r, lb, in.Actions)
		if err != nil {
			return false, err
		}
		ru := &rule{ARN: strings.Replace(l.ARN, ":listener/", ":listener-rule/", 1) + "/" + s.ids.Hex("", 16), Listener: l.ARN,
			Priority: prio, Conditions: conds, Actions: acts, Tags: tags}
		r.Rules[ru.ARN] = ru
		markUse(r, s.clock.Now())
		out = ruleOut(r, ru)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.CreateRuleOutput{Rules: []types.Rule{out}}, nil
}

func ruleOut(r *regionState, ru *rule) types.Rule {
	out := types.Rule{RuleArn: aws.String(ru.ARN), IsDefault: aws.Bool(ru.Default), Conditions: conditionsOut(ru.Conditions)}
	if ru.Default {
		out.Priority = aws.String("default")
		if l := r.Listeners[ru.Listener]; l != nil {
			out.Actions = actionsOut(l.Actions)
		}
	} else {
		out.Priority = aws.String(strconv.Itoa(int(ru.Priority)))
		out.Actions = actionsOut(ru.Actions)
	}
	return out
}

// ruleOrder sorts rules by priority, the default rule last.
func ruleOrder(a, b *rule) int {
	switch {
	case a.Default != b.Default:
		if a.Default {
			return 1
		}
		return -1
	case a.Priority != b.Priority:
		return int(a.Priority) - int(b.Priority)
	}
	return strings.Compare(a.ARN, b.ARN)
}

func (h *ELB) DescribeRules(ctx context.Context, in *elb.DescribeRulesInput) (*elb.DescribeRulesOutput, error) {
	if in.ListenerArn == nil && len(in.RuleArns) == 0 {
		return nil, errorf(ValidationError, "You must specify either listener rule ARNs or a listener ARN")
	}
	if in.ListenerArn != nil && len(in.RuleArns) > 0 {
		return nil, errorf(ValidationError, "Listener rule ARNs and a listener ARN cannot be specified at the same time")
	}
	var rs []types.Rule
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var found []*rule
		if in.ListenerArn != nil {
			if _, err := findListener(r, aws.ToString(in.ListenerArn)); err != nil {
				return err
			}
			for _, ru := range r.Rules {
				if ru.Listener == aws.ToString(in.ListenerArn) {
					found = append(found, ru)
				}
			}
		} else {
			for _, a := range in.RuleArns {
				ru, err := findRule(r, a)
				if err != nil {
					return err
				}
				if !slices.Contains(found, ru) {
					found = append(found, ru)
				}
			}
		}
		slices.SortFunc(found, ruleOrder)
		for _, ru := range found {
			rs = append(rs, ruleOut(r, ru))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The marker is a position here: rules are ordered by priority, not by a key.
	from := 0
	if m := aws.ToString(in.Marker); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(rs) {
			return nil, errorf(ValidationError, "Invalid marker '%s'", m)
		}
		from = n
	}
	size := 400
	if in.PageSize != nil {
		if *in.PageSize < 1 || *in.PageSize > 400 {
			return nil, errorf(ValidationError, "1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400", *in.PageSize)
		}
		size = int(*in.PageSize)
	}
	to := min(from+size, len(rs))
	out := &elb.DescribeRulesOutput{Rules: append([]types.Rule{}, rs[from:to]...)}
	if to < len(rs) {
		out.NextMarker = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func (h *ELB) ModifyRule(ctx context.Context, in *elb.ModifyRuleInput) (*elb.ModifyRuleOutput, error) {
	s := h.s
	var conds []condition
	if in.Conditions != nil {
		var err error
		if conds, err = checkConditions(in.Conditions); err != nil {
			return nil, err
		}
	}
	var out types.Rule
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		ru, err := findRule(r, aws.ToString(in.RuleArn))
		if err != nil {
			return false, err
		}
		l := r.Listeners[ru.Listener]
		if ru.Default && in.Conditions != nil {
			return false, errorf(OperationNotPermitted, "The conditions of a default rule cannot be modified")
		}
		if in.Actions != nil {
			saved := ru.Actions
			ru.Actions = nil
			if ru.Default {
				saved, l.Actions = l.Actions, nil
			}
			acts, err := checkActions(r, r.LBs[l.LB], in.Actions)
			if ru.Default {
				l.Actions = saved
			} else {
				ru.Actions = saved
			}
			if err != nil {
				return false, err
			}
			if ru.Default {
				l.Actions = acts
			} else {
				ru.Actions = acts
			}
		}
		if in.Conditions != nil {
			ru.Conditions = conds
		}
		markUse(r, s.clock.Now())
		out = ruleOut(r, ru)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.ModifyRuleOutput{Rules: []types.Rule{out}}, nil
}

func (h *ELB) DeleteRule(ctx context.Context, in *elb.DeleteRuleInput) (*elb.DeleteRuleOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		ru, err := findRule(r, aws.ToString(in.RuleArn))
		if err != nil {
			return false, err
		}
		if ru.Default {
			return false, errorf(OperationNotPermitted, "Default rule '%s' cannot be deleted", ru.ARN)
		}
		delete(r.Rules, ru.ARN)
		markUse(r, s.clock.Now())
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.DeleteRuleOutput{}, nil
}

func (h *ELB) SetRulePriorities(ctx context.Context, in *elb.SetRulePrioritiesInput) (*elb.SetRulePrioritiesOutput, error) {
	if len(in.RulePriorities) == 0 {
		return nil, errorf(ValidationError, "At least one rule priority must be specified")
	}
	seen := map[int32]bool{}
	for _, p := range in.RulePriorities {
		if err := checkPriority(aws.ToInt32(p.Priority)); err != nil {
			return nil, err
		}
		if seen[aws.ToInt32(p.Priority)] {
			return nil, errorf(ValidationError, "Priority '%d' was provided multiple times", aws.ToInt32(p.Priority))
		}
		seen[aws.ToInt32(p.Priority)] = true
	}
	var out []types.Rule
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		next := map[string]int32{}
		for _, p := range in.RulePriorities {
			ru, err := findRule(r, aws.ToString(p.RuleArn))
			if err != nil {
				return false, err
			}
			if ru.Default {
				return false, errorf(OperationNotPermitted, "The priority of the default rule cannot be set")
			}
			next[ru.ARN] = aws.ToInt32(p.Priority)
		}
		// The priorities after the change must be unique within each listener.
		byListener := map[string]map[int32]bool{}
		for _, ru := range r.Rules {
			if ru.Default {
				continue
			}
			p := ru.Priority
			if np, ok := next[ru.ARN]; ok {
				p = np
			}
			if byListener[ru.Listener] == nil {
				byListener[ru.Listener] = map[int32]bool{}
			}
			if byListener[ru.Listener][p] {
				return false, priorityInUse(p)
			}
			byListener[ru.Listener][p] = true
		}
		var changed []*rule
		for arn, p := range next {
			r.Rules[arn].Priority = p
			changed = append(changed, r.Rules[arn])
		}
		slices.SortFunc(changed, ruleOrder)
		for _, ru := range changed {
			out = append(out, ruleOut(r, ru))
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.SetRulePrioritiesOutput{Rules: out}, nil
}
