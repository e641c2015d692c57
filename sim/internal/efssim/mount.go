package efssim

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// NFSPort is the port of EFS's mount targets: NFSv4.1 over TCP.
const NFSPort = 2049

// Mount is a request to mount a file system from an instance, as `mount -t efs` or
// `mount -t nfs4` makes it on the instance.
type Mount struct {
	Region   string
	Instance string // i-…
	// AZ is the instance's Availability Zone, whose mount target the file system's DNS name
	// resolves to; "" asks EC2.
	AZ string
	// Target is what the mount command names: a file system ID (fs-…, as amazon-efs-utils
	// takes it), its DNS name (fs-….efs.REGION.amazonaws.com), or a mount target's IP address.
	Target string
	// TLS reports whether the mount encrypts in transit (amazon-efs-utils' -o tls): the file
	// system policy sees it as aws:SecureTransport.
	TLS bool
}

// CanMount reports whether the instance can mount the file system: the file system and the
// mount target the target resolves to (the one in the instance's zone for an ID or DNS name)
// are available, the network lets the instance reach the mount target's address on TCP 2049
// (world.Network: security groups of both ends, network ACLs, routes), and the file system
// policy, if it has one, allows elasticfilesystem:ClientMount to a client without IAM
// authorization (the anonymous principal; mounts with -o iam are not modelled). A refusal's
// Component and Reason say what stops it, as the mount command would report it.
func (s *Store) CanMount(ctx context.Context, m Mount) world.Verdict {
	target := strings.TrimSuffix(m.Target, ":/")
	var fsID string
	var ip netip.Addr
	switch {
	case strings.HasPrefix(target, "fs-"):
		fsID, _, _ = strings.Cut(target, ".")
		if rest := strings.TrimPrefix(target, fsID); rest != "" && rest != ".efs."+m.Region+".amazonaws.com" {
			return world.Verdict{Component: fsID, Reason: "Failed to resolve \"" + target + "\": the file system's DNS name is " + fsID + ".efs." + m.Region + ".amazonaws.com."}
		}
	default:
		a, err := netip.ParseAddr(target)
		if err != nil {
			return world.Verdict{Reason: "\"" + m.Target + "\" is neither a file system ID, its DNS name nor an IP address."}
		}
		ip = a
	}
	az := m.AZ
	ctx = core.WithRegion(ctx, m.Region) // EC2 is asked in the mount's region
	if az == "" && !ip.IsValid() {
		var ok bool
		if az, ok = s.instanceZone(ctx, m.Instance); !ok {
			return world.Verdict{Component: m.Instance, Reason: "Instance " + m.Instance + " does not exist."}
		}
	}
	var mt *mountTarget
	var verdict *world.Verdict
	var doc string // the file system policy
	s.read(m.Region, func(r *regionState) error {
		now := s.clock.Now()
		for _, x := range r.MountTargets {
			if _, gone := x.phase(now); gone {
				continue
			}
			if ip.IsValid() && x.IP == ip.String() || !ip.IsValid() && x.FileSystem == fsID && x.AZ == az {
				c := *x
				mt = &c
			}
		}
		if mt == nil {
			if ip.IsValid() {
				verdict = &world.Verdict{Reason: "Connection timed out: no mount target has the address " + ip.String() + "."}
			} else if f, err := fileSystemID(r, fsID, now); err != nil {
				verdict = &world.Verdict{Component: fsID, Reason: "File system " + fsID + " does not exist in " + m.Region + "."}
			} else {
				verdict = &world.Verdict{Component: f.ID, Reason: "Failed to resolve \"" + fsID + ".efs." + m.Region + ".amazonaws.com\": the file system has no mount target in " + az + "."}
			}
			return nil
		}
		f := r.FileSystems[mt.FileSystem]
		doc = f.Policy
		if st, _ := f.phase(now); st != "available" && st != "updating" {
			verdict = &world.Verdict{Component: f.ID, Reason: "File system " + f.ID + " is " + st + ", not available."}
		} else if st, _ := mt.phase(now); st != "available" {
			verdict = &world.Verdict{Component: mt.ID, Reason: "Mount target " + mt.ID + " is " + st + ", not available."}
		}
		return nil
	})
	if verdict != nil {
		return *verdict
	}
	if s.network == nil {
		return world.Verdict{Component: mt.ID, Reason: "The simulator has no model of the network to reach mount target " + mt.ID + "."}
	}
	addr, _ := netip.ParseAddr(mt.IP)
	v := s.network.Reach(world.Flow{
		From: world.Endpoint{Region: m.Region, Instance: m.Instance},
		// A mount target is a service's endpoint: EC2 lists no interface for it.
		To: world.Endpoint{Region: m.Region, Subnet: mt.Subnet, SecurityGroups: slices.Clone(mt.SecurityGroups), Address: addr,
			Name: "mount target " + mt.ID + " (" + mt.IP + ")"},
		Protocol: "tcp", Port: NFSPort,
	})
	if !v.OK || doc == "" {
		return v
	}
	return s.clientMount(m, mt, doc)
}

// clientMount evaluates a file system policy for an anonymous NFS client's mount.
// https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
func (s *Store) clientMount(m Mount, mt *mountTarget, doc string) world.Verdict {
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil { // checked by PutFileSystemPolicy: only a state saved by hand gets here
		return world.Verdict{Component: mt.FileSystem, Reason: "The file system policy of " + mt.FileSystem + " is invalid: " + err.Error()}
	}
	ctx := policy.Context{}
	ctx.Set("aws:SecureTransport", strconv.FormatBool(m.TLS))
	ctx.Set("elasticfilesystem:AccessedViaMountTarget", "true")
	d := policy.Evaluate(&policy.Request{Principal: policy.Principal{Anonymous: true}, Action: "elasticfilesystem:ClientMount",
		Resource: fsARN(s.account, m.Region, mt.FileSystem), Context: ctx}, &policy.Policies{Resource: []policy.Attached{{Name: mt.FileSystem + " file system policy", Policy: p}}})
	if d.Effect != policy.Allow {
		return world.Verdict{Component: mt.FileSystem, Reason: "mount.nfs4: access denied by server while mounting " + mt.IP +
			":/ (the file system policy of " + mt.FileSystem + " does not allow elasticfilesystem:ClientMount to this client)."}
	}
	return world.Verdict{OK: true}
}

// NetworkInterface is a mount target's network interface as the network sees it: EC2 does
// not know these interfaces yet (see CreateMountTarget), so the model of the network asks
// EFS for them by ID.
type NetworkInterface struct {
	ID, MountTarget, FileSystem string
	Subnet, VPC, AZ             string
	Address                     netip.Addr
	SecurityGroups              []string
	Available                   bool
}

// NetworkInterface returns the mount target interface with the ID eni in a region.
func (s *Store) NetworkInterface(region, eni string) (NetworkInterface, bool) {
	var out NetworkInterface
	var ok bool
	s.read(region, func(r *regionState) error {
		now := s.clock.Now()
		for _, m := range r.MountTargets {
			st, gone := m.phase(now)
			if m.ENI != eni || gone {
				continue
			}
			a, _ := netip.ParseAddr(m.IP)
			out = NetworkInterface{ID: m.ENI, MountTarget: m.ID, FileSystem: m.FileSystem, Subnet: m.Subnet, VPC: m.VPC, AZ: m.AZ,
				Address: a, SecurityGroups: append([]string(nil), m.SecurityGroups...), Available: st == "available"}
			ok = true
		}
		return nil
	})
	return out, ok
}

// MountedFileSystem returns the ID of the file system a mount's target names: the ID itself,
// the ID of its DNS name, or the file system of the mount target with the address; "" for an
// address no mount target has.
func (s *Store) MountedFileSystem(region, target string) string {
	target = strings.TrimSuffix(target, ":/")
	if strings.HasPrefix(target, "fs-") {
		id, _, _ := strings.Cut(target, ".")
		return id
	}
	ip, err := netip.ParseAddr(target)
	if err != nil {
		return ""
	}
	var out string
	s.read(region, func(r *regionState) error {
		now := s.clock.Now()
		for _, x := range r.MountTargets {
			if _, gone := x.phase(now); !gone && x.IP == ip.String() {
				out = x.FileSystem
			}
		}
		return nil
	})
	return out
}
