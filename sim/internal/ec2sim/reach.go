package ec2sim

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/world"
)

// The reachability evaluator: the one model of the network that every feature asks
// (world.Network). A flow gets through when every component on its path lets it, in the
// order a packet meets them:
//
//   - the endpoints: an instance must be running; a flow from the internet needs the
//     instance's public address or Elastic IP (a private address is not reachable from it);
//   - the source's security groups (outbound) and the destination's (inbound): stateful, so
//     replies always pass; a rule matches by CIDR, or by security group when the peer is in
//     the same VPC and is addressed by its private address; rules naming prefix lists and
//     IPv6 ranges match nothing here;
//   - the network ACLs of the subnets the flow leaves and enters (none between two addresses
//     of one subnet): stateless, each rule list read in number order, the first match
//     deciding, the catch-all rule denying; the replies must pass both ACLs back, to the
//     client's ephemeral ports — all of 1024–65535, the range AWS recommends opening since it
//     covers every client (Linux, Windows, NAT gateways, load balancers);
//   - the route table of each subnet left (its own or its VPC's main one), by longest prefix:
//     the local route within the VPC; the internet through an internet gateway attached to
//     the VPC — for the source's own public address — or through an available public NAT
//     gateway, whose own subnet's ACL and route table (to an internet gateway) the flow then
//     crosses; a flow from the internet needs the destination subnet's route back to the
//     internet gateway, or its replies cannot leave;
//   - between VPCs, the public addresses: the flow goes out to the internet and back in.
//     Peering is not simulated.
//
// ICMP flows are echo requests (ping, type 8) answered by echo replies (type 0). Whether a
// service listens on the port is the hosts' to say (world.Hosts), not the network's.
//
// https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html
// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html

// DefaultInternetAddress is the learner's own address on the internet unless the simulator's
// owner sets another: an address of TEST-NET-3 (RFC 5737), which no real host has.
var DefaultInternetAddress = netip.MustParseAddr("203.0.113.10")

// ephemeral ports: the replies' destination ports, all of which the ACLs must let back.
const ephemeralLo, ephemeralHi = 1024, 65535

// SetInternetAddress sets the learner's address on the internet: where flows from and to the
// internet endpoint come from and go to when they name no address.
func (s *Store) SetInternetAddress(a netip.Addr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.internet = a
}

// InternetAddress returns the learner's address on the internet.
func (s *Store) InternetAddress() netip.Addr {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.internetAddr()
}

func (s *Store) internetAddr() netip.Addr {
	if s.internet.IsValid() {
		return s.internet
	}
	return DefaultInternetAddress
}

// node is an endpoint in a VPC, resolved.
type node struct {
	name        string // how a verdict calls it: "instance i-…"
	id          string // the component a verdict names when the endpoint itself stops the flow
	vpc, subnet string
	groups      []string
	private     netip.Addr
	public      netip.Addr // invalid when it has none
	addr        netip.Addr // the address the flow names, if any
}

// flow is a flow being evaluated: its protocol ("tcp", "udp", "icmp") and port.
type flow struct {
	proto string
	port  int
}

func (f flow) String() string {
	if f.proto == "icmp" {
		return "icmp"
	}
	return f.proto + "/" + strconv.Itoa(f.port)
}

// blocked is a verdict that stops a flow: code is the Reachability Analyzer's explanation
// code of the block (insights.go), "" where the flow names what does not exist.
func blocked(code explanationCode, component, format string, args ...any) *world.Verdict {
	return &world.Verdict{Code: string(code), Component: component, Reason: fmt.Sprintf(format, args...)}
}

// direction is a verdict's direction as the analyzer words it.
func direction(egress bool) string {
	if egress {
		return "egress"
	}
	return "ingress"
}

// Reach answers whether the flow gets through the network, and if not, which component
// stops it and why. It implements world.Network.
func (s *Store) Reach(f world.Flow) world.Verdict {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.reach(f)
}

// reach is Reach with s.mu held.
func (s *Store) reach(f world.Flow) world.Verdict {
	fl := flow{proto: strings.ToLower(f.Protocol), port: f.Port}
	switch fl.proto {
	case "tcp", "udp":
		if f.Port < 0 || f.Port > 65535 {
			return world.Verdict{Reason: fmt.Sprintf("port %d is not a port: ports are 0 to 65535", f.Port)}
		}
	case "icmp":
		fl.port = 0
	default:
		return world.Verdict{Reason: fmt.Sprintf("protocol %q is not one the evaluator knows: tcp, udp or icmp", f.Protocol)}
	}
	region := f.To.Region
	if f.From.Region != "" && !f.From.Internet {
		region = f.From.Region
	}
	r := s.regions[region]
	if r == nil {
		if _, ok := lookupRegion(region); !ok {
			return world.Verdict{Reason: fmt.Sprintf("%q is not a region", region)}
		}
		r = newRegionState(region) // a region not used yet: its endpoints do not exist
	}
	for _, e := range []*world.Endpoint{&f.From, &f.To} {
		if v := byAddress(r, e); v != nil {
			return *v
		}
	}
	if f.From.Internet && f.To.Internet {
		return world.Verdict{Reason: "both ends are the internet: no resource of the account's is on the path"}
	}
	var v *world.Verdict
	switch {
	case f.From.Internet:
		dst, bad := s.endpoint(r, f.To)
		if bad != nil {
			return *bad
		}
		from := s.internetEnd(f.From)
		if v = s.inbound(r, from, dst, fl); v == nil {
			return world.Verdict{OK: true, Reason: fmt.Sprintf("%s from %s reaches %s at %s", fl, from, dst.name, dst.target(true))}
		}
	case f.To.Internet:
		src, bad := s.endpoint(r, f.From)
		if bad != nil {
			return *bad
		}
		to := s.internetEnd(f.To)
		seen, bad := s.outbound(r, src, to, fl)
		if v = bad; v == nil {
			return world.Verdict{OK: true, Reason: fmt.Sprintf("%s from %s reaches %s on the internet, from %s", fl, src.name, to, seen)}
		}
	default:
		src, bad := s.endpoint(r, f.From)
		if bad != nil {
			return *bad
		}
		dst, bad := s.endpoint(r, f.To)
		if bad != nil {
			return *bad
		}
		if v = s.between(r, src, dst, fl); v == nil {
			return world.Verdict{OK: true, Reason: fmt.Sprintf("%s from %s reaches %s at %s", fl, src.name, dst.name, dst.target(src.vpc != dst.vpc && !r.peeredRoute(src, dst)))}
		}
	}
	return *v
}

// internetEnd is the address of an internet endpoint: its own, or the learner's.
func (s *Store) internetEnd(e world.Endpoint) netip.Addr {
	if e.Address.IsValid() {
		return e.Address
	}
	return s.internetAddr()
}

// target is the address a flow to the node goes to: the one named, else its public address
// when the flow comes over the internet, else its private one.
func (n node) target(public bool) netip.Addr {
	switch {
	case n.addr.IsValid():
		return n.addr
	case public:
		return n.public
	}
	return n.private
}

// endpoint finds an endpoint in the region: an instance, one's network interface, or a
// service's endpoint.
func (s *Store) endpoint(r *regionState, e world.Endpoint) (node, *world.Verdict) {
	var n node
	switch {
	case e.Instance != "" || e.Interface != "":
		var i *instance
		if e.Instance != "" {
			i = r.Instances[e.Instance]
			if i == nil || i.gone(s.now()) {
				return n, blocked("", e.Instance, "instance %s does not exist in %s", e.Instance, r.Name)
			}
		} else {
			for _, c := range r.Instances {
				if c.ENI == e.Interface && c.State != stateTerminated {
					i = c
				}
			}
			if n, ok := r.interfaces()[e.Interface]; i == nil && ok && n.Attach != nil {
				i = r.Instances[n.Attach.Instance]
			}
			if i == nil {
				return n, blocked("", e.Interface, "network interface %s is no instance's in %s", e.Interface, r.Name)
			}
		}
		n = node{name: "instance " + i.ID, id: i.ID, vpc: i.VPC, subnet: i.Subnet, groups: i.Groups}
		n.private, _ = netip.ParseAddr(i.PrivateIP)
		n.public, _ = netip.ParseAddr(r.publicAddr(i))
		if i.State != running {
			return n, blocked(xBadState, i.ID, "instance %s is %s: only a running instance sends and receives traffic", i.ID, i.State)
		}
	case e.Subnet != "":
		sn := r.Subnets[e.Subnet]
		if sn == nil {
			return n, blocked("", e.Subnet, "subnet %s does not exist in %s", e.Subnet, r.Name)
		}
		name := e.Name
		if name == "" {
			name = "the endpoint " + e.Address.String() + " in " + sn.ID
		}
		n = node{name: name, id: sn.ID, vpc: sn.VPC, subnet: sn.ID, groups: e.SecurityGroups, private: e.Address, public: e.PublicAddress}
		if !sn.CIDR.Contains(e.Address) {
			return n, blocked(xENIAddress, sn.ID, "%s: address %v is not in subnet %s (%s)", name, e.Address, sn.ID, sn.CIDR)
		}
		return n, nil
	default:
		return n, &world.Verdict{Reason: "an endpoint names an instance, a network interface, a subnet or the internet"}
	}
	if a := e.Address; a.IsValid() {
		if a != n.private && a != n.public {
			return n, blocked(xENIAddress, n.id, "%v is not an address of %s (private %v, public %v)", a, n.name, n.private, n.public)
		}
		n.addr = a
	}
	return n, nil
}

// between is a flow from one node to another: within a VPC by the local route, else over the
// internet to the destination's public address.
func (s *Store) between(r *regionState, src, dst node, fl flow) *world.Verdict {
	overInternet := src.vpc != dst.vpc || dst.addr.IsValid() && dst.addr == dst.public
	if !overInternet {
		return s.local(r, src, dst, fl)
	}
	if src.vpc != dst.vpc && !(dst.addr.IsValid() && dst.addr == dst.public) {
		if v, ok := s.viaPeering(r, src, dst, fl); ok {
			return v
		}
	}
	to := dst.target(true)
	if !to.IsValid() {
		if src.vpc != dst.vpc {
			return blocked(xNoRoute, dst.id, "%s is in %s and %s in %s: the route table of %s has no route to %v through a VPC peering connection, and %s has no public address to reach over the internet",
				src.name, src.vpc, dst.name, dst.vpc, src.subnet, dst.private, dst.name)
		}
		return blocked(xIGWIngress, dst.id, "%s has no public IPv4 address or Elastic IP", dst.name)
	}
	seen, v := s.outbound(r, src, to, fl)
	if v != nil {
		return v
	}
	dst.addr = to
	return s.inbound(r, seen, dst, fl)
}

// local is a flow within one VPC, to the destination's private address.
func (s *Store) local(r *regionState, src, dst node, fl flow) *world.Verdict {
	to := dst.private
	if v := sgCheck(r, src.groups, true, fl, to, dst.groups, src); v != nil {
		return v
	}
	cross := src.subnet != dst.subnet
	if cross {
		if v := aclCheck(r, src.subnet, true, fl, to); v != nil {
			return v
		}
		if v := aclCheck(r, dst.subnet, false, fl, src.private); v != nil {
			return v
		}
	}
	if v := sgCheck(r, dst.groups, false, fl, src.private, src.groups, dst); v != nil {
		return v
	}
	if cross {
		if v := aclReturn(r, dst.subnet, true, fl, src.private); v != nil {
			return v
		}
		if v := aclReturn(r, src.subnet, false, fl, to); v != nil {
			return v
		}
	}
	return nil
}

// outbound is a flow from a node to an address on the internet; it returns the address the
// internet sees the flow come from.
func (s *Store) outbound(r *regionState, src node, to netip.Addr, fl flow) (netip.Addr, *world.Verdict) {
	var seen netip.Addr
	if v := sgCheck(r, src.groups, true, fl, to, nil, src); v != nil {
		return seen, v
	}
	if v := aclCheck(r, src.subnet, true, fl, to); v != nil {
		return seen, v
	}
	rt := r.subnetRouteTable(src.subnet, src.vpc)
	rte, ok := longest(rt, to)
	switch {
	case !ok:
		return seen, blocked(xNoRoute, rt.ID, "route table %s of subnet %s has no route to %v: add one to 0.0.0.0/0 through an internet gateway (a public subnet) or a NAT gateway (a private subnet)",
			rt.ID, src.subnet, to)
	case rte.Gateway == "local":
		return seen, blocked(xNoRoute, rt.ID, "route table %s of subnet %s sends %v to the VPC's local route, not to the internet", rt.ID, src.subnet, to)
	case rte.Gateway != "":
		if v := gatewayCheck(r, rt, rte, src.vpc); v != nil {
			return seen, v
		}
		if !src.public.IsValid() {
			return seen, blocked(xIGWEgress, src.id, "%s has no public IPv4 address or Elastic IP: the internet gateway %s carries only traffic from public addresses (use a NAT gateway for a private subnet)",
				src.name, rte.Gateway)
		}
		seen = src.public
	case rte.NAT != "":
		var v *world.Verdict
		if seen, v = s.throughNAT(r, src, rt, rte.NAT, to, fl); v != nil {
			return seen, v
		}
	default:
		return seen, blocked(xUnknownDestination, rt.ID, "route table %s of subnet %s sends %v to instance %s: the evaluator does not follow routes through instances",
			rt.ID, src.subnet, to, rte.Instance)
	}
	if v := aclReturn(r, src.subnet, false, fl, to); v != nil {
		return seen, v
	}
	return seen, nil
}

// throughNAT is the part of an outbound flow from the NAT gateway on: the gateway itself,
// its subnet's ACL (in from the source, out to the internet, and the replies back) and its
// subnet's route to an internet gateway.
func (s *Store) throughNAT(r *regionState, src node, rt *routeTable, id string, to netip.Addr, fl flow) (netip.Addr, *world.Verdict) {
	var seen netip.Addr
	n := r.NATs[id]
	if n == nil {
		return seen, blocked(xBadStateRoute, rt.ID, "route table %s of subnet %s sends %v to NAT gateway %s, which no longer exists (a blackhole route)", rt.ID, src.subnet, to, id)
	}
	if st := n.stateAt(s.now()); st != types.NatGatewayStateAvailable {
		return seen, blocked(xBadState, n.ID, "NAT gateway %s is %s, not available", n.ID, st)
	}
	if n.Private {
		return seen, blocked(xNoPossibleDestination, n.ID, "NAT gateway %s is private: it translates to its private address, and reaches no internet", n.ID)
	}
	if n.Subnet != src.subnet {
		if v := aclCheck(r, n.Subnet, false, fl, src.private); v != nil {
			return seen, v
		}
	}
	if v := aclCheck(r, n.Subnet, true, fl, to); v != nil {
		return seen, v
	}
	nrt := r.subnetRouteTable(n.Subnet, n.VPC)
	rte, ok := longest(nrt, to)
	if !ok || rte.Gateway == "" || rte.Gateway == "local" {
		return seen, blocked(xNoRoute, nrt.ID, "route table %s of NAT gateway %s's subnet %s has no route to %v through an internet gateway: a NAT gateway belongs in a public subnet",
			nrt.ID, n.ID, n.Subnet, to)
	}
	if v := gatewayCheck(r, nrt, rte, n.VPC); v != nil {
		return seen, v
	}
	if v := aclReturn(r, n.Subnet, false, fl, to); v != nil {
		return seen, v
	}
	if n.Subnet != src.subnet {
		if v := aclReturn(r, n.Subnet, true, fl, src.private); v != nil {
			return seen, v
		}
	}
	seen, _ = netip.ParseAddr(n.PublicIP)
	return seen, nil
}

// inbound is a flow from an address on the internet to a node's public address.
func (s *Store) inbound(r *regionState, from netip.Addr, dst node, fl flow) *world.Verdict {
	if dst.addr.IsValid() && dst.addr == dst.private {
		return blocked(xIGWIngress, dst.id, "%v is the private address of %s: nothing on the internet can reach it (use its public address, from inside the VPC, or through a bastion)", dst.addr, dst.name)
	}
	if !dst.public.IsValid() {
		return blocked(xIGWIngress, dst.id, "%s has no public IPv4 address or Elastic IP: nothing on the internet can reach it", dst.name)
	}
	g := r.vpcGateway(dst.vpc)
	if g == nil {
		return blocked(xNoRoute, dst.vpc, "VPC %s has no internet gateway attached: nothing on the internet can reach it", dst.vpc)
	}
	rt := r.subnetRouteTable(dst.subnet, dst.vpc)
	if rte, ok := longest(rt, from); !ok || rte.Gateway != g.ID {
		return blocked(xNoRoute, rt.ID, "route table %s of subnet %s has no route to %v through internet gateway %s: the replies cannot leave, so the subnet is not public",
			rt.ID, dst.subnet, from, g.ID)
	}
	if v := aclCheck(r, dst.subnet, false, fl, from); v != nil {
		return v
	}
	if v := sgCheck(r, dst.groups, false, fl, from, nil, dst); v != nil {
		return v
	}
	return aclReturn(r, dst.subnet, true, fl, from)
}

// gatewayCheck checks that a route's internet gateway is attached to the VPC.
func gatewayCheck(r *regionState, rt *routeTable, rte route, vpcID string) *world.Verdict {
	if g := r.Gateways[rte.Gateway]; g == nil || g.VPC != vpcID {
		return blocked(xBadStateRoute, rt.ID, "route table %s sends %s to internet gateway %s, which is not attached to %s (a blackhole route)", rt.ID, rte.Destination, rte.Gateway, vpcID)
	}
	return nil
}

// subnetRouteTable returns the subnet's route table: its own, or its VPC's main one.
func (r *regionState) subnetRouteTable(subnetID, vpcID string) *routeTable {
	for _, rt := range r.RouteTables {
		for _, a := range rt.Assocs {
			if a.Subnet == subnetID {
				return rt
			}
		}
	}
	return r.mainRouteTable(vpcID)
}

// longest returns the route of rt whose destination holds a with the longest prefix.
func longest(rt *routeTable, a netip.Addr) (route, bool) {
	var best route
	bits := -1
	for _, rte := range rt.Routes {
		p, err := netip.ParsePrefix(rte.Destination)
		if err == nil && p.Contains(a) && p.Bits() > bits {
			best, bits = rte, p.Bits()
		}
	}
	return best, bits >= 0
}

// sgCheck checks a flow against the security groups of one end: egress to peer, or ingress
// from it. peerGroups are the other end's groups when it is in the same VPC and addressed
// privately (a rule naming a group matches those only).
func sgCheck(r *regionState, groups []string, egress bool, fl flow, peer netip.Addr, peerGroups []string, who node) *world.Verdict {
	for _, id := range groups {
		g := r.Groups[id]
		if g == nil {
			continue
		}
		for _, rl := range g.Rules {
			if rl.Egress == egress && sgRuleMatches(rl, fl, peer, peerGroups) {
				return nil
			}
		}
	}
	dir, prep := "inbound", "from"
	if egress {
		dir, prep = "outbound", "to"
	}
	if len(groups) == 0 {
		v := blocked(xSGRules, who.id, "%s has no security group: it allows no %s %s %s %v/32", who.name, dir, fl, prep, peer)
		v.Direction = direction(egress)
		return v
	}
	what := "security group " + groups[0] + " allows"
	if len(groups) > 1 {
		what = "security groups " + strings.Join(groups, ", ") + " allow"
	}
	v := blocked(xSGRules, groups[0], "%s no %s %s %s %v/32", what, dir, fl, prep, peer)
	v.Direction = direction(egress)
	return v
}

func sgRuleMatches(rl *sgRule, fl flow, peer netip.Addr, peerGroups []string) bool {
	switch {
	case rl.Protocol == "-1":
	case rl.Protocol != fl.proto:
		return false
	case fl.proto == "icmp":
		if rl.From != -1 && rl.From != 8 {
			return false
		}
	case int32(fl.port) < rl.From || int32(fl.port) > rl.To:
		return false
	}
	switch p := rl.Peer; {
	case p.CIDR != "":
		pre, err := netip.ParsePrefix(p.CIDR)
		return err == nil && pre.Contains(peer)
	case p.Group != "":
		return slices.Contains(peerGroups, p.Group)
	}
	return false // IPv6 ranges and prefix lists
}

// aclProto is a flow's protocol as network ACL rules name it.
var aclProto = map[string]string{"tcp": "6", "udp": "17", "icmp": "1"}

// aclDecide returns the rule of the ACL's list that decides a packet to or from peer on the
// port (for icmp, the ICMP type).
func aclDecide(a *networkACL, egress bool, proto string, port int, peer netip.Addr) aclEntry {
	for _, e := range a.sorted(egress) {
		if e.Protocol != "-1" {
			if e.Protocol != aclProto[proto] {
				continue
			}
			if proto == "icmp" && e.Type != -1 && int(e.Type) != port {
				continue
			}
			if proto != "icmp" && (int32(port) < e.From || int32(port) > e.To) {
				continue
			}
		}
		if p, err := netip.ParsePrefix(e.CIDR); err == nil && p.Contains(peer) {
			return e
		}
	}
	return aclEntry{Number: catchAll}
}

func ruleName(e aclEntry) string {
	if e.Number == catchAll {
		return "its final rule (*), as no rule allows it"
	}
	return "rule " + strconv.Itoa(int(e.Number))
}

// aclCheck checks a flow against the ACL of a subnet it leaves (egress, to peer) or enters
// (ingress, from peer).
func aclCheck(r *regionState, subnetID string, egress bool, fl flow, peer netip.Addr) *world.Verdict {
	a := r.subnetACL(subnetID)
	if a == nil {
		return nil
	}
	port := fl.port
	if fl.proto == "icmp" {
		port = 8
	}
	e := aclDecide(a, egress, fl.proto, port, peer)
	if e.Allow {
		return nil
	}
	dir, prep := "inbound", "from"
	if egress {
		dir, prep = "outbound", "to"
	}
	v := blocked(xACL, a.ID, "network ACL %s of subnet %s denies %s %s %s %v by %s", a.ID, subnetID, dir, fl, prep, peer, ruleName(e))
	v.Direction, v.Rule = direction(egress), e.Number
	return v
}

// aclReturn checks the replies of a flow against the ACL of a subnet they leave (egress, to
// peer) or enter (ingress, from peer): on every ephemeral port, or the echo reply for icmp.
func aclReturn(r *regionState, subnetID string, egress bool, fl flow, peer netip.Addr) *world.Verdict {
	a := r.subnetACL(subnetID)
	if a == nil {
		return nil
	}
	dir, prep := "inbound", "from"
	if egress {
		dir, prep = "outbound", "to"
	}
	if fl.proto == "icmp" {
		if e := aclDecide(a, egress, "icmp", 0, peer); !e.Allow {
			v := blocked(xACL, a.ID, "network ACL %s of subnet %s denies the replies: %s icmp echo replies %s %v, by %s", a.ID, subnetID, dir, prep, peer, ruleName(e))
			v.Direction, v.Rule = direction(egress), e.Number
			return v
		}
		return nil
	}
	// The decision can change only where a rule's port range starts or ends.
	ports := []int{ephemeralLo}
	for _, e := range a.Entries {
		for _, p := range []int{int(e.From), int(e.To) + 1} {
			if p > ephemeralLo && p <= ephemeralHi {
				ports = append(ports, p)
			}
		}
	}
	for _, p := range ports {
		if e := aclDecide(a, egress, fl.proto, p, peer); !e.Allow {
			v := blocked(xACL, a.ID, "network ACL %s of subnet %s denies the replies: %s %s %s %v on the ephemeral ports %d-%d (port %d by %s)",
				a.ID, subnetID, dir, fl.proto, prep, peer, ephemeralLo, ephemeralHi, p, ruleName(e))
			v.Direction, v.Rule = direction(egress), e.Number
			return v
		}
	}
	return nil
}

// The EC2 store is the simulator's network.
var _ world.Network = (*Store)(nil)

// byAddress resolves an endpoint given by its address alone: the instance that has it as its
// private or public address, or the internet when it is in none of the region's VPCs.
func byAddress(r *regionState, e *world.Endpoint) *world.Verdict {
	if e.Instance != "" || e.Interface != "" || e.Subnet != "" || e.Internet || !e.Address.IsValid() {
		return nil
	}
	a := e.Address.String()
	for _, i := range inOrder(r.Instances) {
		if i.State != stateTerminated && (i.PrivateIP == a || r.publicAddr(i) == a) {
			e.Instance = i.ID
			return nil
		}
	}
	if v := r.vpcOfAddress(e.Address); v != nil {
		return blocked(xNoPossibleDestination, v.ID, "no instance has the address %s in %s", a, v.ID)
	}
	e.Internet = true
	return nil
}
