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

// ipQuota is how many private addresses the interface may have: its instance type's quota
// when attached, else the largest the simulator knows.
func (r *regionState) ipQuota(n *netInterface) int {
	if n.Attach != nil {
		if i := r.Instances[n.Attach.Instance]; i != nil {
			if it, ok := lookupInstanceType(i.Type); ok && it.IPs > 0 {
				return int(it.IPs)
			}
		}
	}
	return maxSecondary + 1
}

// AssignPrivateIpAddresses gives an interface of the account's own secondary private
// addresses: those asked for, or a number of free ones. An address another interface has
// as a secondary one moves only with AllowReassignment.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssignPrivateIpAddresses.html
func (h *EC2) AssignPrivateIpAddresses(ctx context.Context, in *ec2.AssignPrivateIpAddressesInput) (*ec2.AssignPrivateIpAddressesOutput, error) {
	s := h.s
	count := int(aws.ToInt32(in.SecondaryPrivateIpAddressCount))
	switch {
	case len(in.Ipv4Prefixes) > 0 || in.Ipv4PrefixCount != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator assigns addresses, not IPv4 prefixes.")
	case len(in.PrivateIpAddresses) > 0 && in.SecondaryPrivateIpAddressCount != nil:
		return nil, core.Errorf(InvalidParameterCombination, "The parameters PrivateIpAddress and SecondaryPrivateIpAddressCount cannot be used together.")
	case len(in.PrivateIpAddresses) == 0 && count <= 0:
		return nil, missingParameter("privateIpAddress or secondaryPrivateIpAddressCount")
	}
	var out *ec2.AssignPrivateIpAddressesOutput
	return out, s.write(ctx, func(r *regionState) error {
		if r.primaryOf(aws.ToString(in.NetworkInterfaceId)) != nil {
			return core.Errorf(core.NotImplemented, "The simulator gives secondary addresses to network interfaces created with CreateNetworkInterface only, not to an instance's primary interface.")
		}
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		sn := r.Subnets[n.Subnet]
		if sn == nil {
			return core.Errorf(InvalidParameterValue, "The subnet of network interface %s no longer exists.", n.ID)
		}
		want := len(in.PrivateIpAddresses) + count
		if quota := r.ipQuota(n); len(n.addresses())+want > quota {
			return core.Errorf(PrivateIpAddressLimitExceeded, "Number of private addresses will exceed limit.")
		}
		var taken []*netInterface // interfaces the addresses move from
		var assigned []string
		for _, ip := range in.PrivateIpAddresses {
			a, err := netip.ParseAddr(ip)
			if err != nil || !a.Is4() {
				return invalidValue("PrivateIpAddress", ip, "It is not a valid IPv4 address.")
			}
			if !sn.usable(a) {
				return core.Errorf(InvalidParameterValue, "Address %s does not fall within the subnet's address range", ip)
			}
			ip = a.String()
			if owner := sn.Used[ip]; owner != "" {
				other := r.ENIs[owner]
				if other == nil || other == n || other.PrivateIP == ip || !aws.ToBool(in.AllowReassignment) {
					return core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", ip)
				}
				taken = append(taken, other)
			} else {
				taken = append(taken, nil)
			}
			if slices.Contains(assigned, ip) {
				return core.Errorf(InvalidParameterValue, "Address %s is specified more than once.", ip)
			}
			assigned = append(assigned, ip)
		}
		if count > int(sn.available()) {
			return core.Errorf(InsufficientFreeAddressesInSubnet, "There are not enough free addresses in subnet '%s' to satisfy the requested number of addresses.", sn.ID)
		}
		for k, ip := range assigned {
			if o := taken[k]; o != nil {
				o.Secondary = slices.DeleteFunc(o.Secondary, func(v string) bool { return v == ip })
			}
			sn.Used[ip] = n.ID
		}
		for range count {
			a, _ := sn.allocate()
			sn.Used[a.String()] = n.ID
			assigned = append(assigned, a.String())
		}
		n.Secondary = append(n.Secondary, assigned...)
		out = &ec2.AssignPrivateIpAddressesOutput{NetworkInterfaceId: aws.String(n.ID)}
		for _, ip := range assigned {
			out.AssignedPrivateIpAddresses = append(out.AssignedPrivateIpAddresses, types.AssignedPrivateIpAddress{PrivateIpAddress: aws.String(ip)})
		}
		return nil
	})
}

// UnassignPrivateIpAddresses takes secondary private addresses from an interface of the
// account's own.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UnassignPrivateIpAddresses.html
func (h *EC2) UnassignPrivateIpAddresses(ctx context.Context, in *ec2.UnassignPrivateIpAddressesInput) (*ec2.UnassignPrivateIpAddressesOutput, error) {
	s := h.s
	if len(in.Ipv4Prefixes) > 0 {
		return nil, core.Errorf(core.NotImplemented, "The simulator assigns addresses, not IPv4 prefixes.")
	}
	if len(in.PrivateIpAddresses) == 0 {
		return nil, missingParameter("privateIpAddress")
	}
	return &ec2.UnassignPrivateIpAddressesOutput{}, s.write(ctx, func(r *regionState) error {
		if r.primaryOf(aws.ToString(in.NetworkInterfaceId)) != nil {
			return core.Errorf(InvalidParameterValue, "Some of the specified addresses are not assigned to interface %s", aws.ToString(in.NetworkInterfaceId))
		}
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		for _, ip := range in.PrivateIpAddresses {
			if !slices.Contains(n.Secondary, ip) {
				return core.Errorf(InvalidParameterValue, "Some of the specified addresses are not assigned to interface %s", n.ID)
			}
		}
		sn := r.Subnets[n.Subnet]
		for _, ip := range in.PrivateIpAddresses {
			n.Secondary = slices.DeleteFunc(n.Secondary, func(v string) bool { return v == ip })
			if sn != nil && sn.Used[ip] == n.ID {
				sn.release(ip)
			}
			for _, a := range r.Addresses {
				if a.Assoc != nil && a.Assoc.ENI == n.ID && a.Assoc.PrivateIP == ip {
					a.Assoc = nil
				}
			}
		}
		return nil
	})
}
