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
)

// An Endpoint is one end of a flow: an instance, a network interface (a load balancer's
// node, an EFS mount target, a NAT gateway), or the internet (the learner's machine, whose
// address is a setting of the Cloud). Set exactly one of Instance, Interface and Internet;
// Address is the address the flow is sent to or from (a private, public or Elastic IP),
// optional where the endpoint has only one.
type Endpoint struct {
	Region    string
	Instance  string // i-…
	Interface string // eni-…
	Internet  bool
	Address   netip.Addr
	// Node is a managed service's node that EC2 lists no interface for (a load balancer's
	// node in one of its subnets): set it instead of Instance, Interface and Internet. Its
	// Address is the node's private address in the subnet.
	Node *Node
}

// A Node is where a managed service's node sits: a subnet, and the security groups its
// traffic is filtered by (none for a Network Load Balancer without groups).
type Node struct {
	Subnet         string   // subnet-…
	SecurityGroups []string // sg-…
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
type Verdict struct {
	OK        bool
	Component string
	Reason    string
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
