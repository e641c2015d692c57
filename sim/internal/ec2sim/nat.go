package ec2sim

import (
	"context"
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// How long a NAT gateway's states last on the simulator's clock. AWS says a NAT gateway is
// pending for "a few minutes"; these are short so that a lab sees each state and a wait (the
// SDK's NatGatewayAvailable waiter polls every 15 seconds) ends soon.
// https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html
const (
	natPending  = time.Minute // pending → available (or failed)
	natDeleting = time.Minute // deleting → deleted
	natVisible  = time.Hour   // a deleted NAT gateway stays listed this long
)

// natGateway is one NAT gateway. Its state is a function of the clock (stateAt).
type natGateway struct {
	meta
	VPC, Subnet string
	Private     bool   // its connectivity type is private: no Elastic IP, no internet
	Allocation  string `json:",omitempty"` // its Elastic IP's allocation ID
	PublicIP    string `json:",omitempty"`
	ENI         string
	PrivateIP   string
	Created     time.Time
	Ready       time.Time // pending until then
	Failure     string    `json:",omitempty"` // the failure code when it fails once pending ends
	FailureMsg  string    `json:",omitempty"`
	Deleted     time.Time // zero, or deleting from then for natDeleting, then deleted
	ClientToken string    `json:",omitempty"`
}

// natState is a region's NAT gateways.
type natState struct {
	NATs map[string]*natGateway `json:",omitempty"`
}

var natKind = kind{"nat", NatGatewayMalformed, NatGatewayNotFound, "The Nat Gateway %s was not found", types.ResourceTypeNatgateway}

func init() { taggable[natKind.prefix] = natKind }

func (n *natGateway) stateAt(now time.Time) types.NatGatewayState {
	switch {
	case !n.Deleted.IsZero() && now.Before(n.Deleted.Add(natDeleting)):
		return types.NatGatewayStateDeleting
	case !n.Deleted.IsZero():
		return types.NatGatewayStateDeleted
	case now.Before(n.Ready):
		return types.NatGatewayStatePending
	case n.Failure != "":
		return types.NatGatewayStateFailed
	}
	return types.NatGatewayStateAvailable
}

// gone reports whether a deleted NAT gateway is no longer listed.
func (n *natGateway) gone(now time.Time) bool {
	return !n.Deleted.IsZero() && !now.Before(n.Deleted.Add(natDeleting+natVisible))
}

// holds reports whether the NAT gateway still holds its subnet address and Elastic IP.
func (n *natGateway) holds(now time.Time) bool {
	s := n.stateAt(now)
	return s == types.NatGatewayStatePending || s == types.NatGatewayStateAvailable || s == types.NatGatewayStateDeleting
}

// settleNATs makes the records say what the clock says: a NAT gateway whose deletion is over
// (or that failed) gives back its address in the subnet and its Elastic IP, and one deleted
// an hour ago is forgotten. r is held for writing.
func (s *Store) settleNATs(r *regionState) {
	now := s.now()
	for id, n := range r.NATs {
		if n.holds(now) {
			continue
		}
		if sn := r.Subnets[n.Subnet]; sn != nil && sn.Used[n.PrivateIP] == n.ID {
			sn.release(n.PrivateIP)
		}
		if a := r.Addresses[n.Allocation]; a != nil && a.Assoc != nil && a.Assoc.ENI == n.ENI {
			a.Assoc = nil
		}
		if n.gone(now) {
			delete(r.NATs, id)
		}
	}
}

func (s *Store) natOut(r *regionState, n *natGateway) types.NatGateway {
	now := s.now()
	state := n.stateAt(now)
	out := types.NatGateway{
		NatGatewayId: aws.String(n.ID), VpcId: aws.String(n.VPC), SubnetId: aws.String(n.Subnet), State: state,
		CreateTime: aws.Time(n.Created), ConnectivityType: types.ConnectivityTypePublic, AvailabilityMode: types.AvailabilityModeZonal,
		Tags: n.Tags.out(), NatGatewayAddresses: []types.NatGatewayAddress{},
	}
	if n.Private {
		out.ConnectivityType = types.ConnectivityTypePrivate
	}
	if !n.Deleted.IsZero() && state == types.NatGatewayStateDeleted {
		out.DeleteTime = aws.Time(n.Deleted.Add(natDeleting))
	}
	if state == types.NatGatewayStateFailed {
		out.FailureCode, out.FailureMessage = aws.String(n.Failure), aws.String(n.FailureMsg)
		return out
	}
	status := map[types.NatGatewayState]types.NatGatewayAddressStatus{
		types.NatGatewayStatePending: types.NatGatewayAddressStatusAssociating, types.NatGatewayStateAvailable: types.NatGatewayAddressStatusSucceeded,
		types.NatGatewayStateDeleting: types.NatGatewayAddressStatusDisassociating, types.NatGatewayStateDeleted: types.NatGatewayAddressStatusSucceeded,
	}[state]
	a := types.NatGatewayAddress{NetworkInterfaceId: aws.String(n.ENI), PrivateIp: aws.String(n.PrivateIP), IsPrimary: aws.Bool(true), Status: status}
	if !n.Private {
		a.AllocationId, a.PublicIp = aws.String(n.Allocation), aws.String(n.PublicIP)
		if e := r.Addresses[n.Allocation]; e != nil && e.Assoc != nil && e.Assoc.ENI == n.ENI {
			a.AssociationId = aws.String(e.Assoc.ID)
		}
	}
	out.NatGatewayAddresses = append(out.NatGatewayAddresses, a)
	return out
}

// CreateNatGateway makes a NAT gateway in a subnet: a public one with an Elastic IP, which
// needs its VPC's internet gateway (without one it fails once pending ends, as on AWS), or a
// private one. It takes an address of the subnet's, and is pending for a minute.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
func (h *EC2) CreateNatGateway(ctx context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
	switch {
	case in.AvailabilityMode == types.AvailabilityModeRegional || in.VpcId != nil || len(in.AvailabilityZoneAddresses) > 0:
		return nil, core.Errorf(core.NotImplemented, "The simulator makes zonal NAT gateways only, in a subnet (SubnetId).")
	case len(in.SecondaryAllocationIds) > 0 || len(in.SecondaryPrivateIpAddresses) > 0 || in.SecondaryPrivateIpAddressCount != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator gives a NAT gateway one address: secondary addresses are not simulated.")
	case in.SubnetId == nil:
		return nil, missingParameter("subnetId")
	}
	private := false
	switch in.ConnectivityType {
	case "", types.ConnectivityTypePublic:
		if in.AllocationId == nil {
			return nil, missingParameter("allocationId")
		}
	case types.ConnectivityTypePrivate:
		private = true
		if in.AllocationId != nil {
			return nil, core.Errorf(InvalidParameterCombination, "A private NAT gateway takes no Elastic IP address: AllocationId cannot be specified with ConnectivityType private.")
		}
	default:
		return nil, invalidValue("connectivityType", string(in.ConnectivityType), "Valid values are public and private.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeNatgateway)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateNatGatewayOutput{ClientToken: in.ClientToken}
	return out, s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, n := range r.NATs {
				if n.ClientToken == tok {
					o := s.natOut(r, n)
					out.NatGateway = &o
					return nil
				}
			}
		}
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		var eip *address
		if !private {
			if eip, err = find(addressKind, r.Addresses, *in.AllocationId); err != nil {
				return err
			}
			if eip.Assoc != nil {
				return core.Errorf(ResourceAlreadyAssociated, "Elastic IP address [%s] is already associated", eip.ID)
			}
		}
		ip, err := natAddress(sn, in.PrivateIpAddress)
		if err != nil {
			return err
		}
		now := s.now()
		n := &natGateway{
			meta: r.newMeta(s.id("nat"), t), VPC: sn.VPC, Subnet: sn.ID, Private: private, ENI: s.id("eni"),
			PrivateIP: ip.String(), Created: now, Ready: now.Add(natPending), ClientToken: aws.ToString(in.ClientToken),
		}
		if eip != nil {
			n.Allocation, n.PublicIP = eip.ID, eip.PublicIP
			if r.vpcGateway(sn.VPC) == nil {
				// https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html
				n.Failure, n.FailureMsg = string(GatewayNotAttached), "Network "+sn.VPC+" has no Internet gateway attached"
			} else {
				eip.Assoc = &eipAssoc{ID: s.id("eipassoc"), ENI: n.ENI, PrivateIP: n.PrivateIP}
			}
		}
		if n.Failure == "" {
			sn.Used[n.PrivateIP] = n.ID
		}
		r.NATs[n.ID] = n
		o := s.natOut(r, n)
		out.NatGateway = &o
		return nil
	})
}

// natAddress returns the address a new NAT gateway takes in the subnet: the one asked for,
// if free, or the lowest free one.
func natAddress(sn *subnet, want *string) (netip.Addr, error) {
	if want == nil {
		ip, ok := sn.allocate()
		if !ok {
			return ip, core.Errorf(InsufficientFreeAddressesInSubnet, "Insufficient free IP addresses in subnet %s.", sn.ID)
		}
		return ip, nil
	}
	ip, err := netip.ParseAddr(*want)
	if err != nil || !sn.usable(ip) {
		return ip, invalidValue("privateIpAddress", *want, "The address is not a usable address of subnet "+sn.ID+".")
	}
	if sn.Used[ip.String()] != "" {
		return ip, core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", ip)
	}
	return ip, nil
}

// vpcGateway returns the internet gateway attached to the VPC, or nil.
func (r *regionState) vpcGateway(vpcID string) *gateway {
	for _, g := range inOrder(r.Gateways) {
		if g.VPC == vpcID {
			return g
		}
	}
	return nil
}

// DeleteNatGateway starts a NAT gateway's deletion: deleting for a minute, then deleted, its
// Elastic IP free again; it stays listed for an hour.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html
func (h *EC2) DeleteNatGateway(ctx context.Context, in *ec2.DeleteNatGatewayInput) (*ec2.DeleteNatGatewayOutput, error) {
	if in.NatGatewayId == nil {
		return nil, missingParameter("natGatewayId")
	}
	s := h.s
	out := &ec2.DeleteNatGatewayOutput{NatGatewayId: in.NatGatewayId}
	return out, s.write(ctx, func(r *regionState) error {
		n, err := find(natKind, r.NATs, *in.NatGatewayId)
		if err != nil {
			return err
		}
		if n.Deleted.IsZero() {
			n.Deleted = s.now()
		}
		return nil
	})
}

var natFields = fields[types.NatGateway]{
	"nat-gateway-id": func(n types.NatGateway) []string { return one(*n.NatGatewayId) },
	"state":          func(n types.NatGateway) []string { return one(string(n.State)) },
	"subnet-id":      func(n types.NatGateway) []string { return one(*n.SubnetId) },
	"vpc-id":         func(n types.NatGateway) []string { return one(*n.VpcId) },
}

// DescribeNatGateways lists the region's NAT gateways, the deleted ones for an hour.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html
func (h *EC2) DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
	s := h.s
	out := &ec2.DescribeNatGatewaysOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		now := s.now()
		visible := map[string]*natGateway{}
		for id, n := range r.NATs {
			if !n.gone(now) {
				visible[id] = n
			}
		}
		ns, err := pick(natKind, visible, in.NatGatewayIds)
		if err != nil {
			return err
		}
		all := make([]types.NatGateway, len(ns))
		for i, n := range ns {
			all[i] = s.natOut(r, n)
		}
		out.NatGateways, out.NextToken, err = describe(all, in.Filter, natFields,
			func(n types.NatGateway) []types.Tag { return n.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// liveNAT returns the NAT gateway with id when it is available, or nil.
func (r *regionState) liveNAT(id string, now time.Time) *natGateway {
	if n := r.NATs[id]; n != nil && n.stateAt(now) == types.NatGatewayStateAvailable {
		return n
	}
	return nil
}

// natsUnsettled reports whether a NAT gateway's deletion is over but its records do not say
// so yet: a read then settles them first, under the write lock.
func (r *regionState) natsUnsettled(now time.Time) bool {
	for _, n := range r.NATs {
		if n.holds(now) {
			continue
		}
		if sn := r.Subnets[n.Subnet]; n.gone(now) || sn != nil && sn.Used[n.PrivateIP] == n.ID {
			return true
		}
		if a := r.Addresses[n.Allocation]; a != nil && a.Assoc != nil && a.Assoc.ENI == n.ENI {
			return true
		}
	}
	return false
}

// natOfAddress returns the NAT gateway an Elastic IP is associated with, or nil.
func (r *regionState) natOfAddress(a *address) *natGateway {
	if a.Assoc == nil || a.Assoc.Instance != "" {
		return nil
	}
	for _, n := range r.NATs {
		if n.ENI == a.Assoc.ENI {
			return n
		}
	}
	return nil
}
