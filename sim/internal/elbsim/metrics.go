package elbsim

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// The load balancers' CloudWatch metrics: what the simulator's load balancers answered,
// counted a minute at a time as they answer it ([Store.Serve]), and their targets' health,
// worked out a minute at a time when CloudWatch asks ([Store.Metrics]), in AWS's namespaces,
// names, dimensions and units.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html

const (
	albNamespace = "AWS/ApplicationELB"
	nlbNamespace = "AWS/NetworkELB"
	// keepTraffic is how long a minute's tally is kept for CloudWatch to read: CloudWatch
	// takes data points at most two weeks old.
	keepTraffic = 15 * 24 * time.Hour
)

// served is what one request that reached a listener did, for the metrics.
type served struct {
	az              string // the zone of the node that answered
	tg              string // the target group a target was chosen in
	chosen          bool   // a target was chosen: the request counts in RequestCount
	byTarget        bool   // the target answered
	connErr         bool   // the load balancer could not reach the target, or it closed the connection
	redirect, fixed bool   // a redirect or fixed-response action answered
	took            time.Duration
}

// tally is one minute's traffic of an Application Load Balancer's node in one zone, for one
// target group ("" for the requests no target was chosen for).
type tally struct {
	Minute   time.Time
	Region   string
	LB, TG   string
	AZ       string
	Requests int64           `json:",omitempty"` // a target was chosen
	Target   [4]int64        // the targets' answers: 2XX, 3XX, 4XX, 5XX
	ELB      map[int]int64   `json:",omitempty"` // the load balancer's own answers, by status
	Conns    int64           `json:",omitempty"` // connections (one a request)
	ConnErrs int64           `json:",omitempty"` // TargetConnectionErrorCount
	Redirect int64           `json:",omitempty"`
	Fixed    int64           `json:",omitempty"`
	Times    map[int64]int64 `json:",omitempty"` // target response times in microseconds, with their counts
}

// maxTimes bounds the distinct response times a tally keeps; past it they are kept to the
// millisecond.
const maxTimes = 1000

// record counts a request in its minute's tally.
func (s *Store) record(st *site, rec *served, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	minute := now.Truncate(world.Minute)
	tg := ""
	if rec.chosen {
		tg = rec.tg
	}
	key := minute.Format(time.RFC3339) + " " + st.lb.ARN + " " + tg + " " + rec.az
	if s.st.Traffic == nil {
		s.st.Traffic = map[string]*tally{}
	}
	t := s.st.Traffic[key]
	if t == nil {
		t = &tally{Minute: minute, Region: st.region, LB: st.lb.ARN, TG: tg, AZ: rec.az}
		s.st.Traffic[key] = t
		for k, old := range s.st.Traffic { // a new minute: the old ones CloudWatch can no longer take go
			if now.Sub(old.Minute) > keepTraffic {
				delete(s.st.Traffic, k)
			}
		}
	}
	t.Conns++
	if rec.chosen {
		t.Requests++
	}
	switch {
	case rec.byTarget:
		if c := status/100 - 2; c >= 0 && c < len(t.Target) {
			t.Target[c]++
		}
		if t.Times == nil {
			t.Times = map[int64]int64{}
		}
		us := rec.took.Microseconds()
		if len(t.Times) >= maxTimes {
			us = us / 1000 * 1000
		}
		t.Times[us]++
	default:
		if rec.connErr {
			t.ConnErrs++
		}
		if rec.redirect {
			t.Redirect++
		}
		if rec.fixed {
			t.Fixed++
		}
		if t.ELB == nil {
			t.ELB = map[int]int64{}
		}
		t.ELB[status]++
	}
	s.gen++
}

// dimension values as AWS spells them: the end of the ARNs.
func lbDimension(arn string) string {
	_, v, _ := strings.Cut(arn, ":loadbalancer/")
	return v // app/name/id
}

func tgDimension(arn string) string {
	if i := strings.LastIndex(arn, ":"); i >= 0 {
		return arn[i+1:] // targetgroup/name/id
	}
	return arn
}

// metricSet gathers data points by metric, dimensions and minute.
type metricSet struct {
	by    map[string]*world.Datum
	order []string
}

// add adds count times the value v to the data point of a metric in a minute.
func (m *metricSet) add(region, ns, name, unit string, t time.Time, v, count float64, dims ...world.Dimension) {
	var b strings.Builder
	b.WriteString(ns + "\x00" + name + "\x00" + t.Format(time.RFC3339))
	for _, d := range dims {
		b.WriteString("\x00" + d.Name + "=" + d.Value)
	}
	k := b.String()
	d := m.by[k]
	if d == nil {
		d = &world.Datum{Region: region, Namespace: ns, Name: name, Unit: unit, T: t, Dimensions: dims}
		m.by[k] = d
		m.order = append(m.order, k)
	}
	if i := slices.Index(d.Values, v); i >= 0 {
		d.Counts[i] += count
		return
	}
	d.Values = append(d.Values, v)
	d.Counts = append(d.Counts, count)
}

func (m *metricSet) data() []world.Datum {
	out := make([]world.Datum, 0, len(m.order))
	for _, k := range m.order {
		out = append(out, *m.by[k])
	}
	return out
}

func dims(kv ...string) []world.Dimension {
	out := make([]world.Dimension, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, world.Dimension{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

// Metrics lists the data points the account's load balancers produced for the minutes that
// ended within (from, to], for CloudWatch (its cwsim.Source):
//
//   - From the requests an Application Load Balancer answered (AWS/ApplicationELB):
//     RequestCount (the requests a target was chosen for) and HTTPCode_Target_2XX…5XX_Count,
//     TargetResponseTime (Seconds: the time the target's handler took, measured) and
//     TargetConnectionErrorCount, with the dimensions LoadBalancer; AvailabilityZone,
//     LoadBalancer; TargetGroup, LoadBalancer; TargetGroup, AvailabilityZone, LoadBalancer;
//     HTTPCode_ELB_3XX/4XX/5XX_Count and HTTPCode_ELB_500/502/503/504_Count (the load
//     balancer's own answers), HTTP_Redirect_Count, HTTP_Fixed_Response_Count,
//     ActiveConnectionCount and NewConnectionCount (a connection a request), with the
//     dimensions LoadBalancer; AvailabilityZone, LoadBalancer. Counts are in Count, each
//     request the value 1, as AWS's.
//   - Every minute, whether requests came or not ("always reported"): RequestCount 0 when
//     none came, and RequestCountPerTarget (None; TargetGroup; TargetGroup, LoadBalancer): the
//     group's requests over its healthy targets (its unhealthy ones when it fails open).
//   - Every minute, for each target group a load balancer uses whose health checks are
//     enabled: HealthyHostCount and UnHealthyHostCount (Count; TargetGroup, LoadBalancer;
//     TargetGroup, AvailabilityZone, LoadBalancer), in AWS/NetworkELB for a Network Load
//     Balancer. A target's health in a past minute is worked out as DescribeTargetHealth's
//     is, with the check's result of now: the simulator keeps no history of checks.
//
// It calls EC2 (the targets' instances) and never CloudWatch.
func (s *Store) Metrics(from, to time.Time) []world.Datum {
	type group struct {
		region string
		v      *groupView
	}
	var tallies []tally
	var groups []group
	s.mu.RLock()
	for _, t := range s.st.Traffic {
		if end := t.Minute.Add(world.Minute); end.After(from) && !end.After(to) {
			tallies = append(tallies, *t)
		}
	}
	regions := make([]string, 0, len(s.st.Regions))
	for name := range s.st.Regions {
		regions = append(regions, name)
	}
	sort.Strings(regions)
	for _, name := range regions {
		r := s.st.Regions[name]
		arns := make([]string, 0, len(r.TGs))
		for arn, tg := range r.TGs {
			if !tg.InUse.IsZero() {
				arns = append(arns, arn)
			}
		}
		sort.Strings(arns)
		for _, arn := range arns {
			if v := view(name, r, r.TGs[arn]); len(v.lbs) > 0 {
				groups = append(groups, group{name, v})
			}
		}
	}
	s.mu.RUnlock()

	m := &metricSet{by: map[string]*world.Datum{}}
	slices.SortFunc(tallies, func(a, b tally) int {
		return strings.Compare(a.Minute.Format(time.RFC3339)+a.LB+a.TG+a.AZ, b.Minute.Format(time.RFC3339)+b.LB+b.TG+b.AZ)
	})
	// Requests by target group and minute, and by load balancer and minute.
	requests := map[string]float64{}
	for _, t := range tallies {
		s.tallied(m, t)
		requests[t.LB+" "+t.Minute.Format(time.RFC3339)] += float64(t.Requests)
		if t.TG != "" {
			requests[t.TG+" "+t.Minute.Format(time.RFC3339)] += float64(t.Requests)
		}
	}
	for _, g := range groups {
		ctx := core.WithRegion(context.Background(), g.region)
		insts, err := s.targetInstances(ctx, g.v)
		if err != nil {
			continue // EC2 did not answer: no health this time
		}
		s.groupMetrics(m, g.v, insts, from, to, requests)
	}
	return m.data()
}

// tallied adds one tally's data points.
func (s *Store) tallied(m *metricSet, t tally) {
	lb := lbDimension(t.LB)
	at := t.Minute
	all := [][]world.Dimension{dims("LoadBalancer", lb), dims("AvailabilityZone", t.AZ, "LoadBalancer", lb)}
	if t.AZ == "" {
		all = all[:1]
	}
	withTG := all
	if t.TG != "" {
		tg := tgDimension(t.TG)
		withTG = append(slices.Clone(all), dims("TargetGroup", tg, "LoadBalancer", lb))
		if t.AZ != "" {
			withTG = append(withTG, dims("TargetGroup", tg, "AvailabilityZone", t.AZ, "LoadBalancer", lb))
		}
	}
	count := func(name string, n int64, sets [][]world.Dimension) {
		if n == 0 {
			return
		}
		for _, d := range sets {
			m.add(t.Region, albNamespace, name, "Count", at, 1, float64(n), d...)
		}
	}
	count("RequestCount", t.Requests, withTG)
	for i, n := range t.Target {
		count("HTTPCode_Target_"+string(rune('2'+i))+"XX_Count", n, withTG)
	}
	count("TargetConnectionErrorCount", t.ConnErrs, withTG)
	us := make([]int64, 0, len(t.Times))
	for v := range t.Times {
		us = append(us, v)
	}
	slices.Sort(us)
	for _, v := range us {
		for _, d := range withTG {
			m.add(t.Region, albNamespace, "TargetResponseTime", "Seconds", at, float64(v)/1e6, float64(t.Times[v]), d...)
		}
	}
	codes := make([]int, 0, len(t.ELB))
	for c := range t.ELB {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		n := t.ELB[c]
		if c/100 >= 3 && c/100 <= 5 {
			count("HTTPCode_ELB_"+string(rune('0'+c/100))+"XX_Count", n, all)
		}
		switch c {
		case 500, 502, 503, 504:
			count("HTTPCode_ELB_"+strconv.Itoa(c)+"_Count", n, all)
		}
	}
	count("HTTP_Redirect_Count", t.Redirect, all)
	count("HTTP_Fixed_Response_Count", t.Fixed, all)
	count("ActiveConnectionCount", t.Conns, all)
	count("NewConnectionCount", t.Conns, all)
}

// groupMetrics adds a target group's data points of each minute: its targets' health and
// its requests per target, for each load balancer that uses it.
func (s *Store) groupMetrics(m *metricSet, v *groupView, insts map[string]instance, from, to time.Time, requests map[string]float64) {
	tg := v.tg
	// Each target's path and check, once: what the network and the hosts say now.
	type probe struct {
		t    target
		p    hop
		ok   bool
		fail verdict
		done bool
	}
	probes := make([]*probe, 0, len(tg.Targets))
	for _, t := range tg.Targets {
		live := t
		live.Deregistered = time.Time{}
		probes = append(probes, &probe{t: t, p: v.route(live, insts, to)})
	}
	for _, lb := range v.lbs {
		ns := albNamespace
		if lb.Type == "network" {
			ns = nlbNamespace
		}
		lv := &groupView{region: v.region, tg: tg, lbs: []*loadBalancer{lb}}
		lbd, tgd := lbDimension(lb.ARN), tgDimension(tg.ARN)
		start := lb.Created
		if tg.InUse.After(start) {
			start = tg.InUse
		}
		for _, at := range world.Minutes(from, to, start) {
			end := at.Add(world.Minute)
			healthy, unhealthy := map[string]float64{}, map[string]float64{}
			var nh, nu float64
			for _, pr := range probes {
				if pr.t.Registered.After(end) {
					continue
				}
				if draining, gone := pr.t.draining(end, tg.delay()); draining || gone {
					continue
				}
				hv := pr.p.verdict
				if hv.State == "" {
					hv = lv.judge(pr.t, pr.p, end, func() (bool, verdict) {
						if !pr.done {
							pr.ok, pr.fail = s.check(lv, pr.p)
							pr.done = true
						}
						return pr.ok, pr.fail
					})
				}
				az := pr.t.AZ
				if i, ok := insts[pr.t.ID]; ok && tg.TargetType == "instance" {
					az = i.AZ
				}
				switch hv.State {
				case "healthy":
					healthy[az]++
					nh++
				case "unhealthy":
					unhealthy[az]++
					nu++
				}
			}
			if tg.Health.Enabled {
				m.add(v.region, ns, "HealthyHostCount", "Count", at, nh, 1, dims("TargetGroup", tgd, "LoadBalancer", lbd)...)
				m.add(v.region, ns, "UnHealthyHostCount", "Count", at, nu, 1, dims("TargetGroup", tgd, "LoadBalancer", lbd)...)
				for _, sn := range lb.Subnets {
					d := dims("TargetGroup", tgd, "AvailabilityZone", sn.AZ, "LoadBalancer", lbd)
					m.add(v.region, ns, "HealthyHostCount", "Count", at, healthy[sn.AZ], 1, d...)
					m.add(v.region, ns, "UnHealthyHostCount", "Count", at, unhealthy[sn.AZ], 1, d...)
				}
			}
			if lb.Type != "application" || tg.TargetType == "lambda" || lb.state(end) != "active" {
				continue
			}
			// Always reported: a minute without requests is 0 (once for a load balancer
			// with several groups).
			n := requests[tg.ARN+" "+at.Format(time.RFC3339)]
			if n == 0 {
				m.add(v.region, ns, "RequestCount", "Count", at, 0, 1, dims("TargetGroup", tgd, "LoadBalancer", lbd)...)
			}
			if k := lb.ARN + " " + at.Format(time.RFC3339); requests[k] == 0 {
				m.add(v.region, ns, "RequestCount", "Count", at, 0, 1, dims("LoadBalancer", lbd)...)
				requests[k] = -1 // added
			}
			per := nh
			if per == 0 {
				per = nu // failing open: the unhealthy targets take the requests
			}
			if per == 0 {
				per = 1
			}
			m.add(v.region, ns, "RequestCountPerTarget", "None", at, n/per, 1, dims("TargetGroup", tgd)...)
			m.add(v.region, ns, "RequestCountPerTarget", "None", at, n/per, 1, dims("TargetGroup", tgd, "LoadBalancer", lbd)...)
		}
	}
}
