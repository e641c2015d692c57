package efssim

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CreateMountTarget makes a file system's mount target in a subnet: in the subnet's
// Availability Zone (one per zone, all in one VPC), at the address given or a free one of the
// subnet, with the security groups given (at most five, of the VPC) or the VPC's default
// group, behind a network interface of its own. It is "creating" for 90 seconds, then
// "available".
//
// On AWS the interface is a requester-managed ENI that EC2's DescribeNetworkInterfaces
// shows; the simulator's EC2 has no network interfaces yet, so the ID is EFS's own and EC2
// does not know it.
// https://docs.aws.amazon.com/efs/latest/ug/API_CreateMountTarget.html
func (h *EFS) CreateMountTarget(ctx context.Context, in *efs.CreateMountTargetInput) (*efs.CreateMountTargetOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	fsID, subnetID := aws.ToString(in.FileSystemId), aws.ToString(in.SubnetId)
	if fsID == "" || subnetID == "" {
		return nil, errorf(BadRequest, "FileSystemId and SubnetId are required.")
	}
	if t := in.IpAddressType; t != "" && t != types.IpAddressTypeIpv4Only || in.Ipv6Address != nil {
		return nil, errorf(BadRequest, "IPv6 mount targets (IpAddressType %s) are not simulated: use IPV4_ONLY.", t)
	}
	var want netip.Addr
	if a := aws.ToString(in.IpAddress); in.IpAddress != nil {
		var err error
		if want, err = netip.ParseAddr(a); err != nil || !want.Is4() {
			return nil, errorf(BadRequest, "IpAddress '%s' is not an IPv4 address.", a)
		}
	}
	// Check the file system before reading the network: a missing one is the first error.
	if err := s.read(region, func(r *regionState) error {
		_, err := fileSystemID(r, fsID, s.clock.Now())
		return err
	}); err != nil {
		return nil, err
	}
	sn, err := s.subnet(ctx, subnetID)
	if err != nil {
		return nil, err
	}
	sgs, err := s.securityGroups(ctx, in.SecurityGroups, sn.VPC)
	if err != nil {
		return nil, err
	}
	used, err := s.instanceAddresses(ctx, subnetID)
	if err != nil {
		return nil, err
	}
	if want.IsValid() {
		if !usable(sn.CIDR, want) {
			return nil, errorf(BadRequest, "IpAddress %s is not a usable address of subnet %s (%s).", want, subnetID, sn.CIDR)
		}
		if used[want] {
			return nil, errorf(IPAddressInUse, "IpAddress %s is already in use in subnet %s.", want, subnetID)
		}
	}
	var out *efs.CreateMountTargetOutput
	err = s.write(region, func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, fsID, now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		if f.AZ != "" && f.AZ != sn.AZ {
			return false, errorf(AvailabilityZonesMismatch, "Subnet %s is in %s; One Zone file system '%s' is in %s.", subnetID, sn.AZ, f.ID, f.AZ)
		}
		for _, m := range r.MountTargets {
			if _, gone := m.phase(now); gone {
				continue
			}
			if m.IP != "" {
				if a, err := netip.ParseAddr(m.IP); err == nil && m.Subnet == subnetID {
					used[a] = true
				}
			}
			if m.FileSystem != f.ID {
				continue
			}
			if m.VPC != sn.VPC {
				return false, errorf(MountTargetConflict, "The file system's mount targets are in VPC %s; subnet %s is in VPC %s.", m.VPC, subnetID, sn.VPC)
			}
			if m.AZ == sn.AZ {
				return false, errorf(MountTargetConflict, "Mount target already exists in this AZ (%s: %s).", sn.AZ, m.ID)
			}
		}
		ip := want
		if ip.IsValid() {
			if used[ip] {
				return false, errorf(IPAddressInUse, "IpAddress %s is already in use in subnet %s.", ip, subnetID)
			}
		} else if ip = freeAddress(sn.CIDR, used); !ip.IsValid() {
			return false, errorf(NoFreeAddressesInSubnet, "Subnet %s has no free IP address.", subnetID)
		}
		m := &mountTarget{ID: s.newID(r, "fsmt-"), FileSystem: f.ID, Subnet: subnetID, VPC: sn.VPC, AZ: sn.AZ, AZID: sn.AZID,
			IP: ip.String(), ENI: s.ids.Hex("eni-", 17), SecurityGroups: sgs, Status: "creating", Since: now}
		r.MountTargets[m.ID] = m
		d := s.describeMountTarget(m, now)
		out = &efs.CreateMountTargetOutput{FileSystemId: d.FileSystemId, LifeCycleState: d.LifeCycleState, MountTargetId: d.MountTargetId,
			SubnetId: d.SubnetId, AvailabilityZoneId: d.AvailabilityZoneId, AvailabilityZoneName: d.AvailabilityZoneName,
			IpAddress: d.IpAddress, NetworkInterfaceId: d.NetworkInterfaceId, OwnerId: d.OwnerId, VpcId: d.VpcId}
		return true, nil
	})
	return out, err
}

// usable reports whether a is an address of the subnet that AWS lets an interface have: not
// the network address, the next three (the VPC router, DNS, future use) or the last.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
func usable(p netip.Prefix, a netip.Addr) bool {
	if !p.Contains(a) {
		return false
	}
	first := p.Addr()
	for range 4 {
		if a == first {
			return false
		}
		first = first.Next()
	}
	return p.Contains(a.Next())
}

// freeAddress returns the highest usable address of the subnet not in used, or the zero
// Addr. It counts down from the top because EC2 hands instances addresses from the bottom
// and does not see mount targets' interfaces (see CreateMountTarget).
func freeAddress(p netip.Prefix, used map[netip.Addr]bool) netip.Addr {
	if !p.Addr().Is4() {
		return netip.Addr{}
	}
	b := p.Addr().As4()
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n |= uint32(1)<<(32-p.Bits()) - 1
	last := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	for a := last.Prev(); a.IsValid() && p.Contains(a); a = a.Prev() {
		if !usable(p, a) {
			break
		}
		if !used[a] {
			return a
		}
	}
	return netip.Addr{}
}

func (s *Store) describeMountTarget(m *mountTarget, now time.Time) types.MountTargetDescription {
	st, _ := m.phase(now)
	return types.MountTargetDescription{FileSystemId: aws.String(m.FileSystem), LifeCycleState: types.LifeCycleState(st),
		MountTargetId: aws.String(m.ID), SubnetId: aws.String(m.Subnet), AvailabilityZoneId: aws.String(m.AZID),
		AvailabilityZoneName: aws.String(m.AZ), IpAddress: aws.String(m.IP), NetworkInterfaceId: aws.String(m.ENI),
		OwnerId: aws.String(s.account), VpcId: aws.String(m.VPC)}
}

// mountTargetID returns the mount target an ID names, not gone at now.
func mountTargetID(r *regionState, id string, now time.Time) (*mountTarget, error) {
	if m := r.MountTargets[id]; m != nil {
		if _, gone := m.phase(now); !gone {
			return m, nil
		}
	}
	return nil, errorf(MountTargetNotFound, "Mount target '%s' does not exist.", id)
}

// DescribeMountTargets lists the mount targets of a file system (or of an access point's),
// or the one a MountTargetId names, MaxItems (at most 10) at a time.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeMountTargets.html
func (h *EFS) DescribeMountTargets(ctx context.Context, in *efs.DescribeMountTargetsInput) (*efs.DescribeMountTargetsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	n := 0
	for _, p := range []*string{in.FileSystemId, in.MountTargetId, in.AccessPointId} {
		if aws.ToString(p) != "" {
			n++
		}
	}
	if n != 1 {
		return nil, errorf(BadRequest, "Specify exactly one of FileSystemId, MountTargetId or AccessPointId.")
	}
	max, err := maxItems(in.MaxItems, 10)
	if err != nil {
		return nil, err
	}
	out := &efs.DescribeMountTargetsOutput{Marker: in.Marker}
	err = s.read(region, func(r *regionState) error {
		now := s.clock.Now()
		var mts []*mountTarget
		fsID := aws.ToString(in.FileSystemId)
		switch {
		case in.MountTargetId != nil:
			m, err := mountTargetID(r, *in.MountTargetId, now)
			if err != nil {
				return err
			}
			mts = []*mountTarget{m}
		case in.AccessPointId != nil:
			a, err := accessPointID(r, *in.AccessPointId, now)
			if err != nil {
				return err
			}
			fsID = a.FileSystem
			fallthrough
		default:
			f, err := fileSystemID(r, fsID, now)
			if err != nil {
				return err
			}
			for _, m := range r.MountTargets {
				if _, gone := m.phase(now); m.FileSystem == f.ID && !gone {
					mts = append(mts, m)
				}
			}
		}
		slices.SortFunc(mts, func(a, b *mountTarget) int { return strings.Compare(a.ID, b.ID) })
		ids := make([]string, len(mts))
		for i, m := range mts {
			ids[i] = m.ID
		}
		lo, hi, next, err := page(ids, aws.ToString(in.Marker), max)
		if err != nil {
			return err
		}
		out.MountTargets = []types.MountTargetDescription{}
		for _, m := range mts[lo:hi] {
			out.MountTargets = append(out.MountTargets, s.describeMountTarget(m, now))
		}
		out.NextMarker = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DescribeMountTargetSecurityGroups lists a mount target's security groups.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeMountTargetSecurityGroups.html
func (h *EFS) DescribeMountTargetSecurityGroups(ctx context.Context, in *efs.DescribeMountTargetSecurityGroupsInput) (*efs.DescribeMountTargetSecurityGroupsOutput, error) {
	s := h.s
	var out *efs.DescribeMountTargetSecurityGroupsOutput
	err := s.read(core.RegionFrom(ctx), func(r *regionState) error {
		now := s.clock.Now()
		m, err := mountTargetID(r, aws.ToString(in.MountTargetId), now)
		if err != nil {
			return err
		}
		if st, _ := m.phase(now); st == "deleting" {
			return errorf(IncorrectMountTargetState, "Mount target '%s' is in the 'deleting' state.", m.ID)
		}
		out = &efs.DescribeMountTargetSecurityGroupsOutput{SecurityGroups: slices.Clone(m.SecurityGroups)}
		return nil
	})
	return out, err
}

// ModifyMountTargetSecurityGroups replaces an available mount target's security groups.
// https://docs.aws.amazon.com/efs/latest/ug/API_ModifyMountTargetSecurityGroups.html
func (h *EFS) ModifyMountTargetSecurityGroups(ctx context.Context, in *efs.ModifyMountTargetSecurityGroupsInput) (*efs.ModifyMountTargetSecurityGroupsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	id := aws.ToString(in.MountTargetId)
	var vpc string
	if err := s.read(region, func(r *regionState) error {
		m, err := mountTargetID(r, id, s.clock.Now())
		if err == nil {
			vpc = m.VPC
		}
		return err
	}); err != nil {
		return nil, err
	}
	if len(in.SecurityGroups) == 0 {
		return nil, errorf(BadRequest, "SecurityGroups must name at least one security group.")
	}
	sgs, err := s.securityGroups(ctx, in.SecurityGroups, vpc)
	if err != nil {
		return nil, err
	}
	err = s.write(region, func(r *regionState) (bool, error) {
		now := s.clock.Now()
		m, err := mountTargetID(r, id, now)
		if err != nil {
			return false, err
		}
		if st, _ := m.phase(now); st != "available" {
			return false, errorf(IncorrectMountTargetState, "Mount target '%s' is in the '%s' state; it must be 'available'.", m.ID, st)
		}
		m.SecurityGroups = sgs
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.ModifyMountTargetSecurityGroupsOutput{}, nil
}

// DeleteMountTarget deletes a mount target: it is "deleting" for 60 seconds, then gone, and
// its file system can be deleted once none is left.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteMountTarget.html
func (h *EFS) DeleteMountTarget(ctx context.Context, in *efs.DeleteMountTargetInput) (*efs.DeleteMountTargetOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		m, err := mountTargetID(r, aws.ToString(in.MountTargetId), now)
		if err != nil {
			return false, err
		}
		if st, _ := m.phase(now); st == "deleting" {
			return false, nil
		}
		m.Status, m.Since = "deleting", now
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.DeleteMountTargetOutput{}, nil
}
