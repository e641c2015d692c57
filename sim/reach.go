package sim

import (
	"net/netip"

	"github.com/awsxlab/awsx/sim/internal/world"
)

// Endpoint is one end of a flow that [Cloud.Reach] evaluates: an instance (Instance), one's
// network interface (Interface), or the internet (Internet: the learner's machine, at
// [Cloud.InternetAddress] unless Address says otherwise). Address optionally picks which of
// an instance's addresses the flow goes to (private, public or Elastic IP); without it a
// flow within a VPC goes to the private address and one from outside to the public one.
//
// An endpoint given by its Address alone is the instance that has it (private, public or
// Elastic IP), or the internet at that address when no VPC of the region holds it.
//
// A service's endpoint that is no instance (a load balancer's node, an EFS mount target, a
// database) is given instead by its Subnet and SecurityGroups, with Address its private
// address, PublicAddress its public one if any, and Name what a verdict calls it.
//
// Region is the endpoints' region, [DefaultRegion] when empty.
type Endpoint struct {
	Region    string
	Instance  string
	Interface string
	Internet  bool
	Address   netip.Addr

	Subnet         string
	SecurityGroups []string
	PublicAddress  netip.Addr
	Name           string
}

// Verdict is whether a flow gets through and, when it does not, the ID of the component that
// stops it (a security group, network ACL, route table, VPC, NAT gateway or instance) and why,
// in one sentence.
//
// Code is the VPC Reachability Analyzer's explanation code of a block
// (ENI_SG_RULES_MISMATCH, SUBNET_ACL_RESTRICTION, NO_ROUTE_TO_DESTINATION, …), as
// DescribeNetworkInsightsAnalyses gives it; "" when nothing on the network blocks the flow
// but one of its ends does not exist.
type Verdict struct {
	OK        bool
	Component string
	Reason    string
	Code      string
}

// String is the verdict as one line: "reachable: …" or "blocked by sg-…: …".
func (v Verdict) String() string {
	switch {
	case v.OK:
		return "reachable: " + v.Reason
	case v.Component != "":
		return "blocked by " + v.Component + ": " + v.Reason
	}
	return "blocked: " + v.Reason
}

func (e Endpoint) world() world.Endpoint {
	if e.Region == "" {
		e.Region = DefaultRegion
	}
	return world.Endpoint{
		Region: e.Region, Instance: e.Instance, Interface: e.Interface, Internet: e.Internet, Address: e.Address,
		Subnet: e.Subnet, SecurityGroups: append([]string(nil), e.SecurityGroups...), PublicAddress: e.PublicAddress, Name: e.Name,
	}
}

// Reach answers whether traffic from one endpoint reaches another's port over a protocol
// ("tcp", "udp", or "icmp" with port 0), through the simulated network: security groups,
// network ACLs, route tables, internet and NAT gateways, public addresses and the instances'
// states (the evaluator's model is described in the sim package's documentation). It says
// nothing of whether a service listens on the port.
func (c *Cloud) Reach(from, to Endpoint, protocol string, port int) Verdict {
	if err := c.needs(c.compute); err != nil {
		return Verdict{Reason: err.Error()}
	}
	v := c.compute.Reach(world.Flow{From: from.world(), To: to.world(), Protocol: protocol, Port: port})
	return Verdict{OK: v.OK, Component: v.Component, Reason: v.Reason, Code: v.Code}
}

// InternetAddress returns the learner's address on the internet: where the internet
// endpoint's flows come from. It is 203.0.113.10 (a documentation address, RFC 5737) unless
// set.
func (c *Cloud) InternetAddress() netip.Addr { return c.compute.InternetAddress() }

// SetInternetAddress sets the learner's address on the internet, for rules that name it (a
// security group allowing SSH from "My IP").
func (c *Cloud) SetInternetAddress(a netip.Addr) { c.compute.SetInternetAddress(a) }
