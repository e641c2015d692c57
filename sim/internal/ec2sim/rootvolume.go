package ec2sim

import (
	"cmp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// plannedVolume is a volume RunInstances makes for each instance it launches: the image's root
// volume and the request's other EBS mappings, checked before anything is made.
type plannedVolume struct {
	device    string
	spec      volSpec
	snapshot  string
	encrypted bool
	key       string
	dot       bool // DeleteOnTermination
	root      bool
}

// planVolumes merges the image's block device mappings with the request's: a mapping for the
// image's root device changes its size (never below the snapshot's), type, IOPS, throughput,
// encryption and DeleteOnTermination; other devices add volumes (empty, or from the account's
// snapshots) or are instance store (VirtualName), which EC2 does not list; NoDevice drops a
// mapping of the image's. The root volume is deleted on termination unless told, the others
// are not unless told ("True for the root volume … False for all other volume types").
// https://docs.aws.amazon.com/ebs/latest/userguide/block-device-mapping-concepts.html
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/preserving-volumes-on-termination.html
func (s *Store) planVolumes(r *regionState, l *launch, im regionImage) ([]plannedVolume, error) {
	var out []plannedVolume
	if im.own != nil {
		out = s.ownVolumes(r, im.own)
	} else if !im.InstanceStore {
		out = append(out, plannedVolume{
			device: im.Root, spec: volSpec{Type: im.Volume, Size: im.Size}, snapshot: im.Snapshot, dot: true, root: true,
		})
		if im.Volume == types.VolumeTypeGp3 {
			out[0].spec.IOPS, out[0].spec.Throughput = 3000, 125
		}
		out[0].encrypted, out[0].key, _ = s.encryption(r, nil, nil, nil) // encryption by default

	}
	seen := map[string]bool{}
	for k, m := range l.in.BlockDeviceMappings {
		dev := aws.ToString(m.DeviceName)
		if dev == "" {
			return nil, core.Errorf(MissingParameter, "The request must contain the parameter BlockDeviceMapping.%d.DeviceName", k+1)
		}
		if seen[dev] {
			return nil, core.Errorf(InvalidBlockDeviceMapping, "The device '%s' is used in more than one block-device mapping", dev)
		}
		seen[dev] = true
		if err := checkDevice(dev, im.Windows); err != nil {
			return nil, err
		}
		at := slices.IndexFunc(out, func(p plannedVolume) bool { return p.device == dev })
		switch {
		case m.NoDevice != nil:
			if at >= 0 && out[at].root {
				return nil, core.Errorf(InvalidBlockDeviceMapping, "The device '%s' is the image's root device and cannot be suppressed.", dev)
			}
			if at >= 0 {
				out = slices.Delete(out, at, at+1)
			}
			continue
		case m.VirtualName != nil:
			if at >= 0 {
				return nil, core.Errorf(InvalidBlockDeviceMapping, "The device '%s' of the image is an EBS volume, not instance store.", dev)
			}
			continue // instance store: not an EBS volume, and not listed
		case m.Ebs == nil:
			return nil, core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give Ebs, VirtualName or NoDevice.", dev)
		}
		p, err := s.planMapping(r, dev, m.Ebs, at, out)
		if err != nil {
			return nil, err
		}
		if at >= 0 {
			out[at] = p
		} else {
			out = append(out, p)
		}
	}
	return out, nil
}

// planMapping is one EBS mapping of a launch, over the image's own for the device when at is
// its index in have (else -1).
func (s *Store) planMapping(r *regionState, dev string, e *types.EbsBlockDevice, at int, have []plannedVolume) (plannedVolume, error) {
	p := plannedVolume{device: dev, spec: volSpec{Type: types.VolumeTypeGp2}}
	minSize := int32(0)
	var snap *snapshot
	if at >= 0 {
		p = have[at]
		minSize = p.spec.Size
		if e.SnapshotId != nil && *e.SnapshotId != p.snapshot {
			return p, core.Errorf(InvalidBlockDeviceMapping, "The snapshot of the image's device '%s' cannot be replaced.", dev)
		}
	} else if e.SnapshotId != nil {
		var err error
		if snap, err = r.snapshotFor(*e.SnapshotId); err != nil {
			return p, err
		}
		p.snapshot, minSize, p.spec.Size = snap.ID, snap.Size, snap.Size
	}
	if e.VolumeSize != nil {
		if *e.VolumeSize < minSize {
			return p, core.Errorf(InvalidBlockDeviceMapping, "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", *e.VolumeSize, p.snapshot, minSize)
		}
		p.spec.Size = *e.VolumeSize
	}
	if p.spec.Size == 0 {
		return p, core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give a volume size or a snapshot.", dev)
	}
	t := p.spec.Type
	if e.VolumeType != "" {
		t = e.VolumeType
	}
	iops, tp := e.Iops, e.Throughput
	if t == p.spec.Type && at >= 0 {
		if iops == nil && p.spec.IOPS > 0 {
			iops = aws.Int32(p.spec.IOPS)
		}
		if tp == nil && p.spec.Throughput > 0 {
			tp = aws.Int32(p.spec.Throughput)
		}
	}
	sp, err := checkSpec(t, p.spec.Size, iops, tp)
	if err != nil {
		return p, err
	}
	p.spec = sp
	if e.DeleteOnTermination != nil {
		p.dot = *e.DeleteOnTermination
	}
	p.encrypted, p.key, err = s.encryption(r, e.Encrypted, e.KmsKeyId, snap)
	return p, err
}

// makeVolumes makes the planned volumes of an instance, attached; the root volume takes the
// ID drawn for it with the instance's, so that IDs come in the order they always have. r is
// held for writing.
func (s *Store) makeVolumes(r *regionState, i *instance, plan []plannedVolume, t tags) {
	now := s.now()
	for _, p := range plan {
		id := i.Volume
		if !p.root {
			id = s.id("vol")
		}
		v := &volume{
			meta: r.newMeta(id, t.clone()), Zone: i.Zone, volSpec: p.spec, Encrypted: p.encrypted, KMSKey: p.key,
			Snapshot: p.snapshot, Created: now, Ready: now,
			Attach: &volAttach{Instance: i.ID, Device: p.device, Time: now, Ready: now, DeleteOnTermination: p.dot},
		}
		if p.encrypted && p.key == "" {
			v.KMSKey = s.ebsKey(r.Name)
		}
		r.Volumes[v.ID] = v
		r.attach(v)
	}
}

// releaseVolumes is what terminating an instance does to its volumes: those marked
// DeleteOnTermination are deleted, the others detached. r is held for writing.
func (s *Store) releaseVolumes(r *regionState, i *instance) {
	for _, v := range s.attachedTo(r, i.ID) {
		if v.Attach.DeleteOnTermination {
			delete(r.Volumes, v.ID)
		} else {
			v.Attach = nil
		}
	}
	delete(r.attachedIDs, i.ID) // none is attached now
}

// attachedTo returns the volumes attached to the instance (detaching ones included), in the
// order they were attached.
func (s *Store) attachedTo(r *regionState, instanceID string) []*volume {
	now := s.now()
	var out []*volume
	for id := range r.attachedIDs[instanceID] {
		if v := r.Volumes[id]; v != nil {
			if a := v.attachedAt(now); a != nil && a.Instance == instanceID {
				out = append(out, v)
			}
		}
	}
	slices.SortFunc(out, func(a, b *volume) int { return cmp.Or(a.Attach.Time.Compare(b.Attach.Time), cmp.Compare(a.Seq, b.Seq)) })
	return out
}

// blockDevices are an instance's EBS volumes as DescribeInstances lists them.
func (s *Store) blockDevices(r *regionState, i *instance) []types.InstanceBlockDeviceMapping {
	now := s.now()
	out := []types.InstanceBlockDeviceMapping{}
	for _, v := range s.attachedTo(r, i.ID) {
		a := v.Attach
		st := types.AttachmentStatusAttached
		switch a.stateAt(now) {
		case types.VolumeAttachmentStateAttaching:
			st = types.AttachmentStatusAttaching
		case types.VolumeAttachmentStateDetaching:
			st = types.AttachmentStatusDetaching
		}
		out = append(out, types.InstanceBlockDeviceMapping{
			DeviceName: aws.String(a.Device),
			Ebs: &types.EbsInstanceBlockDevice{
				AttachTime: aws.Time(a.Time), DeleteOnTermination: aws.Bool(a.DeleteOnTermination), Status: st, VolumeId: aws.String(v.ID),
			},
		})
	}
	return out
}

// blockDeviceEdit is ModifyInstanceAttribute's BlockDeviceMapping: DeleteOnTermination of the
// volumes attached at the devices named.
func blockDeviceEdit(ms []types.InstanceBlockDeviceMappingSpecification) edit {
	return edit{name: types.InstanceAttributeNameBlockDeviceMapping, apply: func(r *regionState, i *instance) error {
		type change struct {
			v   *volume
			dot bool
		}
		var changes []change
		for _, m := range ms {
			dev := aws.ToString(m.DeviceName)
			if m.Ebs == nil || m.Ebs.DeleteOnTermination == nil || m.NoDevice != nil || m.VirtualName != nil {
				return core.Errorf(InvalidParameterCombination, "Only the DeleteOnTermination of an attached EBS volume can be changed: device '%s'.", dev)
			}
			var found *volume
			for _, v := range r.Volumes {
				if v.Attach != nil && v.Attach.Instance == i.ID && v.Attach.Device == dev && v.Attach.Detach.IsZero() {
					found = v
				}
			}
			if found == nil || m.Ebs.VolumeId != nil && *m.Ebs.VolumeId != found.ID {
				return core.Errorf(InvalidInstanceAttributeValue, "No device is currently mapped at %s", dev)
			}
			changes = append(changes, change{found, *m.Ebs.DeleteOnTermination})
		}
		for _, c := range changes {
			c.v.Attach.DeleteOnTermination = c.dot
		}
		return nil
	}}
}
