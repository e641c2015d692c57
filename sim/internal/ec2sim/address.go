package ec2sim

import (
	"context"
	"net/netip"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// address is an Elastic IP address of the account's, in a VPC: a public address that stays
// the account's until it is released, associated with at most one instance's network
// interface and private address at a time.
type address struct {
	meta     // its ID is the allocation ID
	PublicIP string
	Assoc    *eipAssoc `json:",omitempty"`
}

// eipAssoc is an address's association: with a network interface and one of its private
// addresses, and the instance the interface belongs to.
type eipAssoc struct {
	ID        string
	Instance  string
	ENI       string
	PrivateIP string
}

// addressState is a region's Elastic IP addresses.
type addressState struct {
	Addresses map[string]*address `json:",omitempty"`
}

// maxAddresses is the default quota of Elastic IP addresses per region.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#using-instance-addressing-limit
const maxAddresses = 5

var (
	addressKind  = kind{"eipalloc", InvalidAllocationIDMalformed, InvalidAllocationIDNotFound, "The allocation ID '%s' does not exist", types.ResourceTypeElasticIp}
	eipAssocKind = kind{"eipassoc", InvalidAssociationIDMalformed, InvalidAssociationIDNotFound, "The association ID '%s' does not exist", ""}
	eniKind      = kind{"eni", InvalidNetworkInterfaceIDMalformed, InvalidNetworkInterfaceIDNotFound, "The networkInterface ID '%s' does not exist", types.ResourceTypeNetworkInterface}
)

// eipOf returns the Elastic IP associated with the instance's primary interface, or nil.
func (r *regionState) eipOf(i *instance) *address {
	for _, a := range r.Addresses {
		if a.Assoc != nil && a.Assoc.ENI == i.ENI {
			return a
		}
	}
	return nil
}

// publicAddr is the instance's public address: its Elastic IP's when it has one, else the
// address EC2 gave it at launch or start.
func (r *regionState) publicAddr(i *instance) string {
	if a := r.eipOf(i); a != nil {
		return a.PublicIP
	}
	return i.PublicIP
}

// publicInUse reports whether the region has handed out the public address ip: to an
// instance (a terminated one has none) or as an Elastic IP.
func (r *regionState) publicInUse(ip string) bool {
	for state, is := range r.byState {
		if state == stateTerminated {
			continue
		}
		for _, i := range is {
			if i.PublicIP == ip {
				return true
			}
		}
	}
	for _, a := range r.Addresses {
		if a.PublicIP == ip {
			return true
		}
	}
	return false
}

func (a *address) out(account, region string) types.Address {
	out := types.Address{
		AllocationId: aws.String(a.ID), PublicIp: aws.String(a.PublicIP), Domain: types.DomainTypeVpc,
		PublicIpv4Pool: aws.String("amazon"), NetworkBorderGroup: aws.String(region), Tags: a.Tags.out(),
	}
	if as := a.Assoc; as != nil {
		out.AssociationId, out.NetworkInterfaceId, out.PrivateIpAddress = aws.String(as.ID), aws.String(as.ENI), aws.String(as.PrivateIP)
		out.NetworkInterfaceOwnerId = aws.String(account)
		if as.Instance != "" {
			out.InstanceId = aws.String(as.Instance)
		}
	}
	return out
}

// AllocateAddress gives the account an Elastic IP address in the region, from Amazon's pool.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html
func (h *EC2) AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
	s := h.s
	switch {
	case in.Domain != "" && in.Domain != types.DomainTypeVpc:
		return nil, invalidValue("domain", string(in.Domain), "EC2-Classic has been retired: addresses are for use in a VPC.")
	case in.Address != nil || in.CustomerOwnedIpv4Pool != nil || in.IpamPoolId != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator allocates addresses from Amazon's pool only: recovering an address, BYOIP, customer-owned and IPAM pools are not simulated.")
	case in.PublicIpv4Pool != nil && *in.PublicIpv4Pool != "amazon":
		return nil, core.Errorf(core.NotImplemented, "The simulator allocates addresses from Amazon's pool only: public IPv4 pools of your own are not simulated.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeElasticIp)
	if err != nil {
		return nil, err
	}
	var out *ec2.AllocateAddressOutput
	err = s.write(ctx, func(r *regionState) error {
		if g := in.NetworkBorderGroup; g != nil && *g != r.Name {
			return invalidValue("NetworkBorderGroup", *g, "The network border group of the region is "+r.Name+".")
		}
		if len(r.Addresses) >= maxAddresses {
			return core.Errorf(AddressLimitExceeded, "The maximum number of addresses has been reached.")
		}
		a := &address{meta: r.newMeta(s.id("eipalloc"), t), PublicIP: s.publicIP(r)}
		r.Addresses[a.ID] = a
		out = &ec2.AllocateAddressOutput{
			AllocationId: aws.String(a.ID), PublicIp: aws.String(a.PublicIP), Domain: types.DomainTypeVpc,
			PublicIpv4Pool: aws.String("amazon"), NetworkBorderGroup: aws.String(r.Name),
		}
		return nil
	})
	return out, err
}

// addressFor finds the address a request names by allocation ID: a VPC's addresses are not
// named by their public IP (the requests refuse that first).
func (r *regionState) addressFor(allocation *string) (*address, error) {
	if allocation == nil {
		return nil, core.Errorf(MissingParameter, "Either public IP or allocation id must be specified")
	}
	return find(addressKind, r.Addresses, *allocation)
}

// interfaceFor finds the network interface an association names, by instance or by ID: an
// instance's primary interface, the only kind the simulator has.
func (r *regionState) interfaceFor(instanceID, eniID *string) (*instance, error) {
	switch {
	case instanceID != nil && eniID != nil:
		return nil, core.Errorf(InvalidParameterCombination, "You may specify either an instance or a network interface, not both.")
	case instanceID != nil:
		i, err := find(instanceKind, r.Instances, *instanceID)
		if err != nil {
			return nil, err
		}
		return i, nil
	case eniID != nil:
		if !eniKind.wellFormed(*eniID) {
			return nil, eniKind.malformedError(*eniID)
		}
		for _, i := range r.Instances {
			if i.ENI == *eniID && i.State != stateTerminated {
				return i, nil
			}
		}
		return nil, eniKind.notFoundError(*eniID)
	}
	return nil, core.Errorf(MissingParameter, "Either instance ID or network interface ID must be specified")
}

// AssociateAddress associates an Elastic IP address with an instance's network interface and
// private address: the instance's own public address goes, and the Elastic IP is its public
// address until it is disassociated. An address associated elsewhere moves only with
// AllowReassociation; an Elastic IP the interface's address had is disassociated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html
func (h *EC2) AssociateAddress(ctx context.Context, in *ec2.AssociateAddressInput) (*ec2.AssociateAddressOutput, error) {
	s := h.s
	if in.AllocationId == nil && in.PublicIp != nil {
		return nil, core.Errorf(InvalidParameterCombination, "You must specify an allocation id when mapping an address to a VPC instance")
	}
	var out *ec2.AssociateAddressOutput
	err := s.write(ctx, func(r *regionState) error {
		a, err := r.addressFor(in.AllocationId)
		if err != nil {
			return err
		}
		i, err := r.interfaceFor(in.InstanceId, in.NetworkInterfaceId)
		if err != nil {
			return err
		}
		if i.State != running && i.State != stopped {
			return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in a valid state for this operation.", i.ID)
		}
		private := i.PrivateIP
		if in.PrivateIpAddress != nil {
			if ip, err := netip.ParseAddr(*in.PrivateIpAddress); err != nil || ip.String() != i.PrivateIP {
				return invalidValue("PrivateIpAddress", *in.PrivateIpAddress, "The address is not a private address of network interface "+i.ENI+".")
			}
		}
		if !slices.ContainsFunc(inOrder(r.Gateways), func(g *gateway) bool { return g.VPC == i.VPC }) {
			return core.Errorf(GatewayNotAttached, "Network %s is not attached to any internet gateway", i.VPC)
		}
		if as := a.Assoc; as != nil {
			if as.ENI == i.ENI && as.PrivateIP == private {
				out = &ec2.AssociateAddressOutput{AssociationId: aws.String(as.ID)}
				return nil
			}
			if !aws.ToBool(in.AllowReassociation) {
				return core.Errorf(ResourceAlreadyAssociated, "resource %s is already associated with associate-id %s", a.ID, as.ID)
			}
			s.disassociate(r, a)
		}
		if old := r.eipOf(i); old != nil {
			old.Assoc = nil
		}
		a.Assoc = &eipAssoc{ID: s.id("eipassoc"), Instance: i.ID, ENI: i.ENI, PrivateIP: private}
		i.PublicIP = "" // the instance's own public address is released
		out = &ec2.AssociateAddressOutput{AssociationId: aws.String(a.Assoc.ID)}
		return nil
	})
	return out, err
}

// disassociate ends an address's association: the instance, if it runs and its interface
// takes a public address, gets a new one of EC2's. r is held for writing.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html
func (s *Store) disassociate(r *regionState, a *address) {
	as := a.Assoc
	a.Assoc = nil
	if i := r.Instances[as.Instance]; i != nil && i.State == running && i.WantsPublicIP && i.PublicIP == "" {
		i.PublicIP = s.publicIP(r)
	}
}

// DisassociateAddress ends an Elastic IP address's association.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateAddress.html
func (h *EC2) DisassociateAddress(ctx context.Context, in *ec2.DisassociateAddressInput) (*ec2.DisassociateAddressOutput, error) {
	s := h.s
	if in.AssociationId == nil {
		if in.PublicIp != nil {
			return nil, core.Errorf(InvalidParameterCombination, "You must specify an association id when unmapping an address from a VPC instance")
		}
		return nil, missingParameter("AssociationId")
	}
	return &ec2.DisassociateAddressOutput{}, s.write(ctx, func(r *regionState) error {
		if !eipAssocKind.wellFormed(*in.AssociationId) {
			return eipAssocKind.malformedError(*in.AssociationId)
		}
		for _, a := range r.Addresses {
			if a.Assoc != nil && a.Assoc.ID == *in.AssociationId {
				if n := r.natOfAddress(a); n != nil {
					// The NAT gateway's interface is AWS's to manage: the address goes with it.
					return core.Errorf(InvalidParameterValue, "The address %s is in use by NAT gateway %s: delete the NAT gateway to free it.", a.PublicIP, n.ID)
				}
				s.disassociate(r, a)
				return nil
			}
		}
		return eipAssocKind.notFoundError(*in.AssociationId)
	})
}

// ReleaseAddress gives an Elastic IP address back to Amazon's pool; an associated one is
// refused.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReleaseAddress.html
func (h *EC2) ReleaseAddress(ctx context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
	s := h.s
	if in.AllocationId == nil && in.PublicIp != nil {
		return nil, core.Errorf(InvalidParameterCombination, "You must specify an allocation id when releasing a VPC elastic IP address")
	}
	return &ec2.ReleaseAddressOutput{}, s.write(ctx, func(r *regionState) error {
		a, err := r.addressFor(in.AllocationId)
		if err != nil {
			return err
		}
		if g := in.NetworkBorderGroup; g != nil && *g != r.Name {
			return invalidValue("NetworkBorderGroup", *g, "The network border group of the region is "+r.Name+".")
		}
		if a.Assoc != nil {
			return core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", a.PublicIP)
		}
		delete(r.Addresses, a.ID)
		return nil
	})
}

var addressFields = fields[types.Address]{
	"allocation-id":              func(a types.Address) []string { return one(*a.AllocationId) },
	"association-id":             func(a types.Address) []string { return one(aws.ToString(a.AssociationId)) },
	"domain":                     func(a types.Address) []string { return one(string(a.Domain)) },
	"instance-id":                func(a types.Address) []string { return one(aws.ToString(a.InstanceId)) },
	"network-border-group":       func(a types.Address) []string { return one(aws.ToString(a.NetworkBorderGroup)) },
	"network-interface-id":       func(a types.Address) []string { return one(aws.ToString(a.NetworkInterfaceId)) },
	"network-interface-owner-id": func(a types.Address) []string { return one(aws.ToString(a.NetworkInterfaceOwnerId)) },
	"private-ip-address":         func(a types.Address) []string { return one(aws.ToString(a.PrivateIpAddress)) },
	"public-ip":                  func(a types.Address) []string { return one(*a.PublicIp) },
	"public-ipv4-pool":           func(a types.Address) []string { return one(aws.ToString(a.PublicIpv4Pool)) },
}

// DescribeAddresses lists the region's Elastic IP addresses: those named by public IP or
// allocation ID, or all. It has no pages.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html
func (h *EC2) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	s := h.s
	out := &ec2.DescribeAddressesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		as, err := pick(addressKind, r.Addresses, in.AllocationIds)
		if err != nil {
			return err
		}
		var all []types.Address
		for _, a := range as {
			if len(in.PublicIps) > 0 && !slices.Contains(in.PublicIps, a.PublicIP) {
				continue
			}
			all = append(all, a.out(s.account, r.Name))
		}
		for _, ip := range in.PublicIps {
			if !slices.ContainsFunc(all, func(a types.Address) bool { return *a.PublicIp == ip }) {
				return core.Errorf(InvalidAddressNotFound, "Address '%s' not found.", ip)
			}
		}
		out.Addresses, err = where(in.Filters, addressFields, func(a types.Address) []types.Tag { return a.Tags }, all)
		out.Addresses = nonNil(out.Addresses)
		return err
	})
}
