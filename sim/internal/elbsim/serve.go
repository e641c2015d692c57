package elbsim

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// The load balancers' traffic: a request to a load balancer's DNS name (in memory through the
// Cloud's HTTP client, or on `awsx sim serve` with .localhost in place of .amazonaws.com) is
// answered as the load balancer answers it — by its listener's rules, forwarded to a healthy
// target through the instances' hosts ([world.Hosts]), across the network ([world.Network]).

// ParseHost reports whether host (with or without a port) is a load balancer's DNS name in
// AWS's forms, or in those forms with .localhost in place of .amazonaws.com; dns is the name
// in AWS's form, and port the port the host names (0 when it names none or is a .localhost
// name, whose port is the server's).
func ParseHost(host string) (dns string, port int, ok bool) {
	if strings.Contains(host, ":") { // else no port, and no error for SplitHostPort to build
		if h, p, err := net.SplitHostPort(host); err == nil {
			host = h
			port, _ = strconv.Atoi(p)
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	switch {
	case strings.HasSuffix(host, ".amazonaws.com"):
	case strings.HasSuffix(host, ".localhost"):
		host, port = strings.TrimSuffix(host, ".localhost")+".amazonaws.com", 0
	default:
		return "", 0, false
	}
	l := strings.Split(host, ".")
	n := len(l)
	switch {
	case n == 5 && l[2] == "elb" && core.IsRegion(l[1]): // name-123.us-east-1.elb.amazonaws.com
	case n == 5 && l[1] == "elb" && core.IsRegion(l[2]): // name-0123abcd.elb.us-east-1.amazonaws.com
	default:
		return "", 0, false
	}
	if !strings.Contains(l[0], "-") {
		return "", 0, false
	}
	return host, port, true
}

// Request is one request to a load balancer, as the door hands it over.
type Request struct {
	HTTP     *http.Request
	Body     []byte
	SourceIP string
}

// Response is a load balancer's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// TrafficService returns the load balancers' HTTP traffic as the door serves it: every
// request to a load balancer's host name, unauthenticated, answered as the load balancer
// answers it.
func (s *Store) TrafficService() *service.Service {
	return &service.Service{
		Name:            "elasticloadbalancing",
		State:           s,
		Protocol:        traffic{},
		Handler:         trafficHandler{s},
		Resources:       func(*service.Request) ([]service.Access, error) { return []service.Access{}, nil },
		Dialect:         service.QueryDialect,
		Anonymous:       true,
		Unauthenticated: true,
		Claims: func(r *http.Request) bool {
			host := r.Host
			if host == "" && r.URL != nil {
				host = r.URL.Host
			}
			_, _, ok := ParseHost(host)
			return ok
		},
	}
}

const trafficOp = "Forward"

// traffic is the protocol of the load balancers' hosts: any request, one operation.
type traffic struct{}

func (traffic) Operation(*service.Request) (string, error) { return trafficOp, nil }

func (traffic) Decode(r *service.Request, in any) error {
	req := in.(*Request)
	req.HTTP, req.Body = r.HTTP, r.Body
	if r.Caller != nil {
		req.SourceIP = r.Caller.SourceIP
	}
	return nil
}

func (traffic) Encode(_ *service.Request, out any) (*service.Response, error) {
	o := out.(*Response)
	return &service.Response{Status: o.Status, Header: o.Header, Body: o.Body}, nil
}

func (traffic) Error(_ *service.Request, e *core.Error) *service.Response {
	status := e.Status
	if status < 500 {
		status = http.StatusServiceUnavailable
	}
	o := errorPage(status, e.Message)
	return &service.Response{Status: o.Status, Header: o.Header, Body: o.Body}
}

func (traffic) RequestID(ids *core.IDs) string                  { return ids.RequestID() }
func (traffic) Recognizes(*service.Request) service.Recognition { return service.NotMine }

type trafficHandler struct{ s *Store }

func (h trafficHandler) Input(op string) (any, bool) { return &Request{}, op == trafficOp }

func (h trafficHandler) Call(ctx context.Context, _ string, in any) (any, error) {
	return h.s.Serve(ctx, in.(*Request)), nil
}

// errorPage is the load balancer's own answer with a status, in the page AWS's load
// balancers send (the ALB User Guide, "Troubleshoot your Application Load Balancers"); why
// is the simulator's explanation, in a header, for a learner to read.
func errorPage(status int, why string) *Response {
	title := strconv.Itoa(status) + " " + map[int]string{
		http.StatusBadGateway:         "Bad Gateway",
		http.StatusServiceUnavailable: "Service Temporarily Unavailable",
		http.StatusGatewayTimeout:     "Gateway Time-out",
	}[status]
	if strings.HasSuffix(title, " ") {
		title += http.StatusText(status)
	}
	body := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title + "</h1></center>\r\n</body>\r\n</html>\r\n"
	hd := http.Header{"Server": {"awselb/2.0"}, "Content-Type": {"text/html"}}
	if why != "" {
		hd.Set("X-Awsx-Reason", why)
	}
	return &Response{Status: status, Header: hd, Body: []byte(body)}
}

// site is what a request reads of a load balancer, copied out of the store.
type site struct {
	region   string
	lb       *loadBalancer
	listener *listener
	rules    []*rule
	groups   map[string]*groupView
}

// find returns the load balancer with a DNS name and the listener a request reaches: the one
// on the port the host names, else the one on 80, else the one on the lowest port.
func (s *Store) find(dns string, port int) (*site, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for region, r := range s.st.Regions {
		for _, lb := range r.LBs {
			if lb.DNSName != dns {
				continue
			}
			st := &site{region: region, lb: cloneLB(lb), groups: map[string]*groupView{}}
			var ls []*listener
			for _, l := range r.Listeners {
				if l.LB == lb.ARN {
					ls = append(ls, l)
				}
			}
			slices.SortFunc(ls, func(a, b *listener) int { return int(a.Port) - int(b.Port) })
			for _, l := range ls {
				if port != 0 && int(l.Port) == port || port == 0 && l.Port == 80 {
					st.listener = l
				}
			}
			if st.listener == nil && port == 0 && len(ls) > 0 {
				st.listener = ls[0]
			}
			if st.listener == nil {
				return st, nil
			}
			cp := *st.listener
			st.listener = &cp
			for _, ru := range r.Rules {
				if ru.Listener == cp.ARN && !ru.Default {
					c := *ru
					st.rules = append(st.rules, &c)
				}
			}
			slices.SortFunc(st.rules, ruleOrder)
			for _, acts := range append([][]action{cp.Actions}, rulesActions(st.rules)...) {
				for _, a := range acts {
					for _, w := range a.Forward {
						if tg := r.TGs[w.TG]; tg != nil && st.groups[w.TG] == nil {
							st.groups[w.TG] = view(region, r, tg)
						}
					}
				}
			}
			return st, nil
		}
	}
	return nil, nil
}

func rulesActions(rs []*rule) [][]action {
	var out [][]action
	for _, r := range rs {
		out = append(out, r.Actions)
	}
	return out
}

// Serve answers a request to a load balancer.
func (s *Store) Serve(ctx context.Context, req *Request) *Response {
	r := req.HTTP
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	dns, port, _ := ParseHost(host)
	if port == 0 && !strings.HasSuffix(strings.ToLower(hostOnly(host)), ".localhost") && (r.TLS != nil || r.URL != nil && r.URL.Scheme == "https") {
		port = 443 // https://name/ in memory: the HTTPS listener's port, answered without TLS
	}
	st, _ := s.find(dns, port)
	now := s.clock.Now()
	switch {
	case st == nil:
		return errorPage(http.StatusServiceUnavailable, "No load balancer has the DNS name "+dns+": on AWS the name would not resolve.")
	case st.lb.state(now) == "provisioning":
		return errorPage(http.StatusServiceUnavailable, "The load balancer is still provisioning: on AWS its DNS name would not resolve yet.")
	case st.listener == nil:
		return errorPage(http.StatusServiceUnavailable, "The load balancer has no listener on this port: on AWS the connection would be refused or time out.")
	}
	ctx = core.WithRegion(ctx, st.region)
	client := s.clientAddress(req.SourceIP)
	if why := s.admit(st, client); why != "" {
		return errorPage(http.StatusGatewayTimeout, why)
	}
	// The request reached the load balancer: from here on it counts in its metrics.
	var rec served
	if len(st.lb.Subnets) > 0 {
		rec.az = st.lb.Subnets[0].AZ
	}
	resp := s.answer(ctx, st, req, client, &rec)
	if st.lb.Type == "application" {
		s.record(st, &rec, resp.Status)
	}
	return resp
}

// answer answers a request that reached a listener: by the first rule that matches, else
// the listener's default actions. rec notes what happened, for the metrics.
func (s *Store) answer(ctx context.Context, st *site, req *Request, client string, rec *served) *Response {
	r := req.HTTP
	acts := st.listener.Actions
	for _, ru := range st.rules {
		if matchRule(ru, r, client) {
			acts = ru.Actions
			break
		}
	}
	var act action
	for _, a := range acts {
		if a.Type == "forward" || a.Type == "redirect" || a.Type == "fixed-response" {
			act = a
		}
	}
	switch act.Type {
	case "fixed-response":
		rec.fixed = true
		return fixedResponse(act.Fixed)
	case "redirect":
		rec.redirect = true
		return redirectResponse(act.Redirect, st.listener, r)
	case "forward":
		return s.forward(ctx, st, act, req, client, rec)
	}
	return errorPage(http.StatusInternalServerError, "The listener has no action.")
}

// learnerAddress is what a network that knows the learner's address on the internet answers
// (EC2's store).
type learnerAddress interface{ InternetAddress() netip.Addr }

// clientAddress is the address a request comes from as the load balancer sees it. A request
// from this machine (loopback, or in memory with no address) is the learner's, whose address
// on the internet is the network's setting: on AWS the learner's curl arrives from that
// public address, which the load balancer's security group, its source-ip conditions and
// X-Forwarded-For see — never 127.0.0.1.
func (s *Store) clientAddress(source string) string {
	a, err := netip.ParseAddr(source)
	if source != "" && (err != nil || !a.IsLoopback()) {
		return source
	}
	if l, ok := s.net.(learnerAddress); ok {
		if me := l.InternetAddress(); me.IsValid() {
			return me.String()
		}
	}
	return "127.0.0.1"
}

// admit checks that the client reaches the listener: an internal load balancer is not
// reachable from the internet, and an internet-facing one's security groups must let the
// listener's port in. It returns why not, or "".
func (s *Store) admit(st *site, client string) string {
	if st.lb.Scheme == "internal" {
		return "The load balancer is internal: its nodes have only private addresses, which the internet does not reach."
	}
	if s.net == nil || len(st.lb.Subnets) == 0 {
		return ""
	}
	addr, _ := netip.ParseAddr(client)
	sn := st.lb.Subnets[0]
	node, _ := netip.ParseAddr(sn.Node)
	v := s.net.Reach(world.Flow{
		From: world.Endpoint{Region: st.region, Internet: true, Address: addr},
		To: world.Endpoint{Region: st.region, Subnet: sn.ID, SecurityGroups: slices.Clone(st.lb.SecurityGroups),
			Address: node, PublicAddress: nodePublicAddress(st.lb.Name, sn.ID), Name: "load balancer " + st.lb.Name + "'s node in " + sn.ID},
		Protocol: "tcp", Port: int(st.listener.Port),
	})
	if v.OK {
		return ""
	}
	return fmt.Sprintf("The connection to the load balancer timed out: %s (%s)", v.Reason, v.Component)
}

// matchRule reports whether every condition of a rule matches the request; a condition
// matches when one of its values does.
func matchRule(ru *rule, r *http.Request, client string) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, c := range ru.Conditions {
		ok := false
		for _, v := range c.Values {
			switch c.Field {
			case "host-header":
				ok = wildcard(strings.ToLower(v), strings.ToLower(host))
			case "path-pattern":
				ok = wildcard(v, r.URL.Path)
			case "http-request-method":
				ok = v == r.Method
			case "source-ip":
				p, err1 := netip.ParsePrefix(v)
				a, err2 := netip.ParseAddr(client)
				ok = err1 == nil && err2 == nil && p.Contains(a)
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// wildcard matches s against a pattern of AWS's rule conditions: * any run of characters,
// ? any one.
func wildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func fixedResponse(fx *fixed) *Response {
	code, _ := strconv.Atoi(fx.Status)
	ct := fx.ContentType
	if ct == "" {
		ct = "text/plain"
	}
	return &Response{Status: code, Header: http.Header{"Server": {"awselb/2.0"}, "Content-Type": {ct + "; charset=utf-8"}}, Body: []byte(fx.Body)}
}

// redirectResponse answers a redirect action, its #{protocol}, #{host}, #{port}, #{path} and
// #{query} filled from the request (the ALB User Guide, "Redirect actions"); a port that is
// the protocol's default is left out of the location.
func redirectResponse(rd *redirect, l *listener, r *http.Request) *Response {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	fill := func(v string) string {
		return strings.NewReplacer("#{protocol}", strings.ToLower(l.Protocol), "#{host}", host, "#{port}", strconv.Itoa(int(l.Port)),
			"#{path}", strings.TrimPrefix(r.URL.Path, "/"), "#{query}", r.URL.RawQuery).Replace(v)
	}
	proto := strings.ToLower(fill(rd.Protocol))
	port := fill(rd.Port)
	loc := proto + "://" + fill(rd.Host)
	if !(proto == "http" && port == "80" || proto == "https" && port == "443") {
		loc += ":" + port
	}
	loc += fill(rd.Path)
	if q := fill(rd.Query); q != "" {
		loc += "?" + q
	}
	code := http.StatusMovedPermanently
	if rd.Status == "HTTP_302" {
		code = http.StatusFound
	}
	return &Response{Status: code, Header: http.Header{"Server": {"awselb/2.0"}, "Location": {loc}, "Content-Type": {"text/html"}},
		Body: []byte(fmt.Sprintf("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n</body>\r\n</html>\r\n",
			code, http.StatusText(code), code, http.StatusText(code)))}
}

// forward sends the request to a target of the action's target groups: a group chosen by
// weight in turn, then its healthy targets in turn. A group with no healthy target sends to
// its unhealthy ones (the ALB User Guide: "If a target group contains only unhealthy
// registered targets, the load balancer routes requests to all those targets"); a group with
// neither (no target, or only initial, draining or unused ones) answers 503.
func (s *Store) forward(ctx context.Context, st *site, act action, req *Request, client string, rec *served) *Response {
	total := int32(0)
	for _, w := range act.Forward {
		total += w.Weight
	}
	if total == 0 {
		return errorPage(http.StatusServiceUnavailable, "Every target group of the forward action has weight 0.")
	}
	n := int32(0)
	if len(act.Forward) > 1 {
		n = int32(s.next(st.listener.ARN+"#"+fmt.Sprint(act.Forward)) % uint64(total))
	}
	var tgARN string
	for _, w := range act.Forward {
		if n < w.Weight {
			tgARN = w.TG
			break
		}
		n -= w.Weight
	}
	v := st.groups[tgARN]
	if v == nil {
		return errorPage(http.StatusServiceUnavailable, "The target group is gone.")
	}
	if v.tg.TargetType == "lambda" {
		return errorPage(http.StatusBadGateway, "The simulator does not run Lambda functions.")
	}
	insts, err := s.targetInstances(ctx, v)
	if err != nil {
		return errorPage(http.StatusBadGateway, err.Error())
	}
	t := s.clock.Now()
	var healthy, unhealthy []hop
	for _, tgt := range v.tg.Targets {
		switch hv, p := s.health(v, tgt, insts, t); {
		case hv.routable():
			healthy = append(healthy, p)
		case hv.State == "unhealthy":
			unhealthy = append(unhealthy, p)
		}
	}
	if len(healthy) == 0 {
		healthy = unhealthy // failing open
	}
	if len(healthy) == 0 {
		return errorPage(http.StatusServiceUnavailable, "The target group "+v.tg.Name+" has no healthy or unhealthy target: none is registered, or they are still in their initial health checks, draining or unused.")
	}
	p := healthy[s.next(tgARN)%uint64(len(healthy))]
	rec.tg, rec.chosen = tgARN, true
	if i := slices.IndexFunc(st.lb.Subnets, func(sn subnet) bool { return sn.ID == p.from.Subnet }); i >= 0 {
		rec.az = st.lb.Subnets[i].AZ // the node in the target's zone
	}
	if p.instance == "" || !s.reach(p.from, p.instance, p.port).OK {
		rec.connErr = true
		return errorPage(http.StatusGatewayTimeout, "The target did not answer: the network does not let the load balancer reach port "+strconv.Itoa(p.port)+" of the target.")
	}
	var h http.Handler
	if s.hosts != nil {
		h = s.hosts.Handler(p.instance, p.port)
	}
	if h == nil {
		rec.connErr = true
		return errorPage(http.StatusBadGateway, "Nothing listens on port "+strconv.Itoa(p.port)+" of "+p.instance+": the connection was refused.")
	}
	out := req.HTTP.Clone(ctx)
	out.Body = nopCloser{bytes.NewReader(req.Body)}
	out.ContentLength = int64(len(req.Body))
	out.RequestURI = ""
	if st.lb.Type == "application" {
		xff := client
		if prior := req.HTTP.Header.Get("X-Forwarded-For"); prior != "" {
			xff = prior + ", " + client
		}
		out.Header.Set("X-Forwarded-For", xff)
		out.Header.Set("X-Forwarded-Proto", strings.ToLower(st.listener.Protocol))
		out.Header.Set("X-Forwarded-Port", strconv.Itoa(int(st.listener.Port)))
		out.Header.Set("X-Amzn-Trace-Id", "Root=1-"+fmt.Sprintf("%08x", s.clock.Now().Unix())+"-"+s.ids.Hex("", 24))
	}
	began := time.Now() // the target's response time is the handler's, measured
	w, ok := serveSafely(h, out)
	rec.took = time.Since(began)
	if !ok {
		rec.connErr = true
		return errorPage(http.StatusBadGateway, "The target closed the connection without an answer.")
	}
	rec.byTarget = true
	return &Response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// hostOnly is a host without its port.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
