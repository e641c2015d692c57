// Package world is the simulator's one model of what lies around the API: the network
// between addresses, and the machines behind them (DESIGN.md, "The world around the API").
// Features that depend on it — a load balancer's health checks, an EFS mount, SSH, a fetch
// of an instance's web page, the Reachability Analyzer — ask these interfaces, never guess
// per feature. EC2 answers Network (its security groups, network ACLs, route tables and
// gateways); the instances' simulated operating systems answer Hosts. sim.New wires them.
package world

import (
	"net/http"
	"net/netip"
	"time"
)

// An Endpoint is one end of a flow: an instance, a network interface (a load balancer's
// node, an EFS mount target, a NAT gateway), or the internet (the learner's machine, whose
// address is a setting of the Cloud). Set exactly one of Instance, Interface and Internet;
// Address is the address the flow is sent to or from (a private, public or Elastic IP),
// optional where the endpoint has only one.
//
// An endpoint given by its Address alone is the instance that has the address, or the
// internet when no VPC holds it.
//
// A service's endpoint that EC2 does not list as an interface (a load balancer's node, an
// EFS mount target, a database) is given instead by its Subnet and SecurityGroups, with
// Address its private address, PublicAddress its public one if it has one (an
// internet-facing load balancer's node), and Name what a verdict calls it.
type Endpoint struct {
	Region    string
	Instance  string // i-…
	Interface string // eni-…
	Internet  bool
	Address   netip.Addr

	Subnet         string   // subnet-…: a service's endpoint
	SecurityGroups []string // its security groups
	PublicAddress  netip.Addr
	Name           string // e.g. "load balancer node web-lb (10.0.1.17)"
}

// A Flow is traffic from one endpoint to another's port over a protocol ("tcp", "udp",
// "icmp"); Port is 0 for icmp.
type Flow struct {
	From, To Endpoint
	Protocol string
	Port     int
}

// A Verdict says whether a flow gets through and, when it does not, which component stops
// it — its ID (sg-…, acl-…, rtb-…, igw-…, or the instance's ID when it is not running or
// nothing listens) — and why, in one sentence a learner can act on.
//
// Code is the VPC Reachability Analyzer's explanation code of the block
// (ENI_SG_RULES_MISMATCH, SUBNET_ACL_RESTRICTION, NO_ROUTE_TO_DESTINATION, …), "" when the
// flow is not blocked by the network but names what is not there; Direction is "ingress" or
// "egress" for a security group or network ACL, and Rule the number of the ACL's deciding
// rule (32767 for its catch-all).
type Verdict struct {
	OK        bool
	Component string
	Reason    string
	Code      string
	Direction string
	Rule      int32
}

// Network answers whether flows get through.
type Network interface {
	Reach(Flow) Verdict
}

// Hosts are the instances' operating systems as the network sees them: which ports have a
// listening service, and what a service answers to HTTP.
type Hosts interface {
	// Listening reports whether a service on the instance listens on the port (tcp).
	Listening(instance string, port int) bool
	// Handler returns what answers HTTP on the instance's port, or nil when nothing listens.
	// The request reaches it after the network has let it through.
	Handler(instance string, port int) http.Handler
}

// A Datum is one minute's data point of a metric that a service's resources produce for
// CloudWatch (a load balancer's request count, an Auto Scaling group's size): the values
// seen in the minute starting at T, each with how many times it was seen — a request count
// of 12 is the value 1 seen 12 times, whose Sum is 12 and whose Minimum, Maximum and Average
// are 1, as AWS's are. Counts nil means each value once.
type Datum struct {
	Region     string
	Namespace  string
	Name       string
	Dimensions []Dimension
	Unit       string
	T          time.Time
	Values     []float64
	Counts     []float64
}

// Dimension is one dimension of a [Datum].
type Dimension struct{ Name, Value string }

// Minute is the period of every [Datum]: AWS's load balancers and Auto Scaling groups
// publish a data point a minute.
const Minute = time.Minute

// Minutes returns the starts of the minutes that ended within (from, to] and after since (a
// resource's beginning, or zero): those a metric's source has a [Datum] for.
func Minutes(from, to, since time.Time) []time.Time {
	first := from.Truncate(Minute)
	if !first.Add(Minute).After(from) {
		first = first.Add(Minute)
	}
	if b := since.Truncate(Minute); b.After(first) {
		first = b
	}
	var out []time.Time
	for at := first; !at.Add(Minute).After(to); at = at.Add(Minute) {
		out = append(out, at)
	}
	return out
}
