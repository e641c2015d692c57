package ec2sim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// ownImage is an image of the account's: made by CreateImage from an instance, by CopyImage,
// or by RegisterImage from a snapshot. It is pending until its snapshots are complete, then
// available. A deregistered image stays as a record, hidden from every request, so that the
// instances launched from it keep their facts (platform, architecture, root device).
type ownImage struct {
	meta
	Name, Description  string
	Arch               types.ArchitectureValues
	Windows            bool
	Virtualization     types.VirtualizationType
	Base               string // the name of the catalog image it descends from: its operating system
	Root               string // the root device's name
	Mappings           []imageMapping
	IMDSv2             bool      `json:",omitempty"`
	Created            time.Time // when it was asked for
	Ready              time.Time // when its snapshots are complete: available from then on
	SourceInstance     string    `json:",omitempty"` // CreateImage's instance
	SourceImage        string    `json:",omitempty"` // CopyImage's source image
	SourceRegion       string    `json:",omitempty"`
	Public             bool      `json:",omitempty"` // launchPermission group all
	SharedWith         []string  `json:",omitempty"` // the accounts that may launch it, besides the owner
	LastLaunched       time.Time `json:",omitzero"`
	Deregistered       bool      `json:",omitempty"`
	DeregistrationTime time.Time `json:",omitzero"`
}

// imageMapping is one block device mapping of an image: an EBS volume made from a snapshot (or
// an empty one, Snapshot ""), or an instance store volume (Virtual, ephemeralN).
type imageMapping struct {
	Device              string
	Virtual             string `json:",omitempty"`
	Snapshot            string `json:",omitempty"`
	Spec                volSpec
	DeleteOnTermination bool
	Encrypted           bool `json:",omitempty"`
}

// ownImageState is the account's images of a region, by ID.
type ownImageState struct {
	Images map[string]*ownImage
}

func (o *ownImage) stateAt(now time.Time) types.ImageState {
	switch {
	case o.Deregistered:
		return types.ImageStateDeregistered
	case now.Before(o.Ready):
		return types.ImageStatePending
	}
	return types.ImageStateAvailable
}

// root returns the image's root mapping.
func (o *ownImage) root() imageMapping {
	for _, m := range o.Mappings {
		if m.Device == o.Root {
			return m
		}
	}
	return imageMapping{Device: o.Root}
}

// regionImage is the image as RunInstances and the instances launched from it see it (its
// Owner is the account's, which the image does not know).
func (o *ownImage) regionImage() regionImage {
	rt := o.root()
	return regionImage{
		image: image{
			Name: o.Name, Description: o.Description, Arch: o.Arch, Windows: o.Windows, Root: o.Root,
			Size: rt.Spec.Size, Volume: rt.Spec.Type, Created: o.Created.Format(timeFormat), IMDSv2: o.IMDSv2,
		},
		ID: o.ID, Snapshot: rt.Snapshot, own: o,
	}
}

// image returns the image id of the region, the catalog's or the account's (a deregistered
// one too, for what its instances show); ok is false when there is none.
func (r *regionState) image(id string) (regionImage, bool) {
	if im, ok := imageByID(r.Name, id); ok {
		return im, true
	}
	if o := r.Images[id]; o != nil {
		return o.regionImage(), true
	}
	return regionImage{}, false
}

// launchable returns the image id names, with EC2's errors for a malformed or unknown ID and
// for an image of the account's that is pending or deregistered.
func (r *regionState) launchable(id *string, now time.Time) (regionImage, error) {
	if id == nil {
		return regionImage{}, missingParameter("ImageId")
	}
	if o := r.Images[*id]; o != nil {
		switch o.stateAt(now) {
		case types.ImageStatePending:
			// https://github.com/hashicorp/packer/issues/12162 (AWS's answer, quoted)
			return regionImage{}, core.Errorf(InvalidAMIIDUnavailable, "AMI '%s' is pending, and cannot be run", o.ID)
		case types.ImageStateDeregistered:
			return regionImage{}, core.Errorf(InvalidAMIIDUnavailable, "The image id '[%s]' is no longer available", o.ID)
		}
		return o.regionImage(), nil
	}
	return imageFor(r.Name, id)
}

// osName is the name of the catalog image whose operating system the image's instances run:
// the image's own for the catalog's, its ancestor's for the account's.
func (im regionImage) osName() string {
	if im.own != nil {
		return im.own.Base
	}
	return im.Name
}

// ownedImage returns the account's image id for an operation on it: a catalog image is
// another account's (AuthFailure), a deregistered one is gone.
func (r *regionState) ownedImage(id string) (*ownImage, error) {
	if id == "" {
		return nil, missingParameter("ImageId")
	}
	if !imageKind.wellFormed(id) {
		return nil, imageKind.malformedError(id)
	}
	if _, ok := imageByID(r.Name, id); ok {
		return nil, core.Errorf(AuthFailure, "Not authorized for images: [%s]", id)
	}
	o := r.Images[id]
	if o == nil || o.Deregistered {
		return nil, imageKind.notFoundError(id)
	}
	return o, nil
}

// notPending refuses an operation on a pending image, as ModifyImageAttribute does.
// https://github.com/SUSE-Enceladus/ec2imgutils/issues/45 (AWS's answer, quoted)
func (o *ownImage) notPending(now time.Time) error {
	if o.stateAt(now) == types.ImageStatePending {
		return core.Errorf(InvalidAMIIDUnavailable, "The AMI ID '%s' is currently pending and may not be used for this operation", o.ID)
	}
	return nil
}

// checkImageName refuses a name EC2 does not take: 3 to 128 characters, letters, digits and
// ( ) [ ] space . / - ' @ _.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
func checkImageName(name *string) error {
	if name == nil {
		return missingParameter("Name")
	}
	ok := len(*name) >= 3 && len(*name) <= 128
	for _, c := range *name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '(' || c == ')' || c == '[' || c == ']' || c == ' ' || c == '.' || c == '/' || c == '-' || c == '\'' || c == '@' || c == '_':
		default:
			ok = false
		}
	}
	if !ok {
		return core.Errorf(InvalidAMINameMalformed, "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '[', ']', ' ', '.', '/', '-', ''', '@' and '_'")
	}
	return nil
}

// checkDescription refuses an image description over 255 characters.
func checkImageDescription(d *string) error {
	if len(aws.ToString(d)) > 255 {
		return invalidValue("description", "(too long)", "The description must be at most 255 characters.")
	}
	return nil
}

// nameTaken refuses a name another of the account's images in the region has.
func (r *regionState) nameTaken(name string) error {
	for _, o := range inOrder(r.Images) {
		if !o.Deregistered && o.Name == name {
			return core.Errorf(InvalidAMINameDuplicate, "AMI name %s is already in use by AMI %s", name, o.ID)
		}
	}
	return nil
}

// out describes the image as DescribeImages does.
func (o *ownImage) out(s *Store, now time.Time) types.Image {
	im := o.regionImage()
	out := types.Image{
		ImageId: aws.String(o.ID), Name: aws.String(o.Name), Description: aws.String(o.Description),
		OwnerId: aws.String(s.account), ImageLocation: aws.String(s.account + "/" + o.Name), State: o.stateAt(now),
		Public: aws.Bool(o.Public), Architecture: o.Arch, ImageType: types.ImageTypeValuesMachine,
		CreationDate: aws.String(o.Created.Format(timeFormat)), RootDeviceType: types.DeviceTypeEbs, RootDeviceName: aws.String(o.Root),
		VirtualizationType: o.Virtualization, Hypervisor: types.HypervisorTypeXen, EnaSupport: aws.Bool(true),
		SriovNetSupport: aws.String("simple"), PlatformDetails: aws.String(im.platformDetails()),
		UsageOperation: aws.String(im.usageOperation()), Tags: o.Tags.out(), BlockDeviceMappings: o.mappingsOut(),
		SourceInstanceId: nilIfEmpty(o.SourceInstance),
	}
	if o.SourceImage != "" {
		out.SourceImageId, out.SourceImageRegion = aws.String(o.SourceImage), aws.String(o.SourceRegion)
	}
	if o.Windows {
		out.Platform = platformWindows
	}
	if o.IMDSv2 {
		out.ImdsSupport = types.ImdsSupportValuesV20
	}
	if !o.LastLaunched.IsZero() {
		out.LastLaunchedTime = aws.String(o.LastLaunched.Format(timeFormat))
	}
	return out
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// mappingsOut are the image's block device mappings as EC2 shows them.
func (o *ownImage) mappingsOut() []types.BlockDeviceMapping {
	out := []types.BlockDeviceMapping{}
	for _, m := range o.Mappings {
		if m.Virtual != "" {
			out = append(out, types.BlockDeviceMapping{DeviceName: aws.String(m.Device), VirtualName: aws.String(m.Virtual)})
			continue
		}
		e := &types.EbsBlockDevice{
			DeleteOnTermination: aws.Bool(m.DeleteOnTermination), VolumeSize: aws.Int32(m.Spec.Size), VolumeType: m.Spec.Type,
			Encrypted: aws.Bool(m.Encrypted), SnapshotId: nilIfEmpty(m.Snapshot),
		}
		if p := m.Spec.shownIOPS(); p != nil {
			e.Iops = p
		}
		if m.Spec.Throughput > 0 {
			e.Throughput = aws.Int32(m.Spec.Throughput)
		}
		out = append(out, types.BlockDeviceMapping{DeviceName: aws.String(m.Device), Ebs: e})
	}
	return out
}

// ownVolumes are the volumes an instance launched from the account's image gets: one of each
// EBS mapping, the root one first.
func (s *Store) ownVolumes(r *regionState, o *ownImage) []plannedVolume {
	var out []plannedVolume
	for _, m := range o.Mappings {
		if m.Virtual != "" {
			continue // instance store: not an EBS volume, and not listed
		}
		p := plannedVolume{device: m.Device, spec: m.Spec, snapshot: m.Snapshot, dot: m.DeleteOnTermination, root: m.Device == o.Root}
		var snap *snapshot
		if sn := r.Snapshots[m.Snapshot]; sn != nil {
			snap = sn
		}
		p.encrypted, p.key, _ = s.encryption(r, aws.Bool(m.Encrypted), nil, snap)
		if p.root {
			out = slices.Insert(out, 0, p)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// takeSnapshot starts a snapshot of volume v, as CreateSnapshot does. r is held for writing.
func (s *Store) takeSnapshot(r *regionState, v *volume, description string, t tags) *snapshot {
	now := s.now()
	sn := &snapshot{
		meta: r.newMeta(s.id("snap"), t), Volume: v.ID, Size: v.specAt(now).Size, Description: description,
		Encrypted: v.Encrypted, KMSKey: v.KMSKey, Started: now, Done: now.Add(snapshotTaking),
	}
	r.Snapshots[sn.ID] = sn
	return sn
}

// CreateImage makes an EBS-backed image of an instance, running or stopped: a snapshot of each
// of its EBS volumes (through the snapshots' own code), pending until they are complete. The
// request's BlockDeviceMappings change a volume's size, type or DeleteOnTermination in the
// image, leave one out (NoDevice), or add an empty volume or an instance store volume. Unless
// NoReboot, a running instance is rebooted for a consistent image, which the API does not show.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
func (h *EC2) CreateImage(ctx context.Context, in *ec2.CreateImageInput) (*ec2.CreateImageOutput, error) {
	s := h.s
	if in.InstanceId == nil {
		return nil, missingParameter("InstanceId")
	}
	if err := checkImageName(in.Name); err != nil {
		return nil, err
	}
	if err := checkImageDescription(in.Description); err != nil {
		return nil, err
	}
	imageTags, err := tagsFor(in.TagSpecifications, types.ResourceTypeImage, types.ResourceTypeSnapshot)
	if err != nil {
		return nil, err
	}
	snapTags, _ := tagsFor(in.TagSpecifications, types.ResourceTypeSnapshot, types.ResourceTypeImage)
	var out *ec2.CreateImageOutput
	return out, s.write(ctx, func(r *regionState) error {
		i, err := find(instanceKind, r.Instances, *in.InstanceId)
		if err != nil {
			return err
		}
		if i.State != types.InstanceStateNameRunning && i.State != types.InstanceStateNameStopped {
			// https://github.com/aws-samples/aws-systemsmanagerautomation-with-asglifecyclehooks/issues/2 (quoted)
			return core.Errorf(InvalidParameterValue, "Invalid value '%s' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'", i.ID)
		}
		if i.InstanceStore {
			return core.Errorf(UnsupportedOperation, "The instance '%s' has an instance store root device: CreateImage makes images of EBS-backed instances only.", i.ID)
		}
		if err := r.nameTaken(*in.Name); err != nil {
			return err
		}
		from, _ := r.image(i.Image)
		o := &ownImage{
			Name: *in.Name, Description: aws.ToString(in.Description), Arch: from.Arch, Windows: from.Windows,
			Virtualization: types.VirtualizationTypeHvm, Base: from.osName(), Root: from.Root, IMDSv2: from.IMDSv2,
			Created: s.now(), SourceInstance: i.ID,
		}
		for _, v := range s.attachedTo(r, i.ID) {
			o.Mappings = append(o.Mappings, imageMapping{
				Device: v.Attach.Device, Snapshot: v.ID, Spec: v.specAt(s.now()), DeleteOnTermination: v.Attach.DeleteOnTermination, Encrypted: v.Encrypted,
			}) // Snapshot holds the volume until the snapshots are taken, below
		}
		if !slices.ContainsFunc(o.Mappings, func(m imageMapping) bool { return m.Device == o.Root }) {
			return core.Errorf(IncorrectState, "The instance '%s' has no volume attached at its root device '%s'.", i.ID, o.Root)
		}
		if err := editMappings(o, in.BlockDeviceMappings); err != nil {
			return err
		}
		o.meta = r.newMeta(s.id("ami"), imageTags)
		o.Ready = o.Created
		for k, m := range o.Mappings {
			v := r.Volumes[m.Snapshot]
			if m.Virtual != "" || v == nil {
				continue
			}
			sn := s.takeSnapshot(r, v, fmt.Sprintf("Created by CreateImage(%s) for %s", i.ID, o.ID), snapTags.clone())
			o.Mappings[k].Snapshot = sn.ID
			o.Ready = sn.Done
		}
		r.Images[o.ID] = o
		s.emitImage(InstanceEvent{Kind: ImageMade, Instance: i.ID, Region: r.Name, Image: o.ID})
		out = &ec2.CreateImageOutput{ImageId: aws.String(o.ID)}
		return nil
	})
}

// editMappings applies CreateImage's BlockDeviceMappings to the instance's volumes in o (whose
// Snapshot holds the volume's ID, "" for a volume to add empty).
func editMappings(o *ownImage, ms []types.BlockDeviceMapping) error {
	seen := map[string]bool{}
	for k, m := range ms {
		dev := aws.ToString(m.DeviceName)
		if dev == "" {
			return core.Errorf(MissingParameter, "The request must contain the parameter BlockDeviceMapping.%d.DeviceName", k+1)
		}
		if seen[dev] {
			return core.Errorf(InvalidBlockDeviceMapping, "The device '%s' is used in more than one block-device mapping", dev)
		}
		seen[dev] = true
		if err := checkDevice(dev, o.Windows); err != nil {
			return err
		}
		at := slices.IndexFunc(o.Mappings, func(x imageMapping) bool { return x.Device == dev })
		switch {
		case m.NoDevice != nil:
			if dev == o.Root {
				return core.Errorf(InvalidBlockDeviceMapping, "The device '%s' is the instance's root device and cannot be suppressed.", dev)
			}
			if at >= 0 {
				o.Mappings = slices.Delete(o.Mappings, at, at+1)
			}
			continue
		case m.VirtualName != nil:
			if at >= 0 {
				return core.Errorf(InvalidBlockDeviceMapping, "The device '%s' of the instance is an EBS volume, not instance store.", dev)
			}
			o.Mappings = append(o.Mappings, imageMapping{Device: dev, Virtual: *m.VirtualName})
			continue
		case m.Ebs == nil:
			return core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give Ebs, VirtualName or NoDevice.", dev)
		case m.Ebs.SnapshotId != nil:
			return core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' cannot name a snapshot: CreateImage takes the instance's volumes.", dev)
		}
		mp := imageMapping{Device: dev, Spec: volSpec{Type: types.VolumeTypeGp2}}
		minSize := int32(1)
		if at >= 0 {
			mp = o.Mappings[at]
			minSize = mp.Spec.Size
		}
		size := mp.Spec.Size
		if m.Ebs.VolumeSize != nil {
			if *m.Ebs.VolumeSize < minSize {
				return core.Errorf(InvalidBlockDeviceMapping, "Volume of size %dGB is smaller than the volume at '%s', expect size >= %dGB", *m.Ebs.VolumeSize, dev, minSize)
			}
			size = *m.Ebs.VolumeSize
		}
		if size == 0 {
			return core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give a volume size.", dev)
		}
		t := mp.Spec.Type
		if m.Ebs.VolumeType != "" {
			t = m.Ebs.VolumeType
		}
		iops, tp := m.Ebs.Iops, m.Ebs.Throughput
		if t == mp.Spec.Type && at >= 0 {
			if iops == nil && mp.Spec.IOPS > 0 {
				iops = aws.Int32(mp.Spec.IOPS)
			}
			if tp == nil && mp.Spec.Throughput > 0 {
				tp = aws.Int32(mp.Spec.Throughput)
			}
		}
		sp, err := checkSpec(t, size, iops, tp)
		if err != nil {
			return err
		}
		mp.Spec = sp
		if m.Ebs.DeleteOnTermination != nil {
			mp.DeleteOnTermination = *m.Ebs.DeleteOnTermination
		} else if at < 0 {
			mp.DeleteOnTermination = true
		}
		mp.Encrypted = mp.Encrypted || aws.ToBool(m.Ebs.Encrypted)
		if at >= 0 {
			o.Mappings[at] = mp
		} else {
			o.Mappings = append(o.Mappings, mp)
		}
	}
	return nil
}

// RegisterImage registers an EBS-backed image from the account's snapshots: its
// BlockDeviceMappings, one of them the RootDeviceName's, from a snapshot. Architecture and
// VirtualizationType default as AWS documents (i386, paravirtual); S3-backed images
// (ImageLocation) are not simulated. It is pending until its snapshots are complete.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html
func (h *EC2) RegisterImage(ctx context.Context, in *ec2.RegisterImageInput) (*ec2.RegisterImageOutput, error) {
	s := h.s
	if err := checkImageName(in.Name); err != nil {
		return nil, err
	}
	if err := checkImageDescription(in.Description); err != nil {
		return nil, err
	}
	if in.ImageLocation != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator registers EBS-backed images only: instance store images from an S3 manifest (ImageLocation) are not simulated.")
	}
	if in.RootDeviceName == nil {
		return nil, missingParameter("RootDeviceName")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeImage)
	if err != nil {
		return nil, err
	}
	o := &ownImage{
		Name: *in.Name, Description: aws.ToString(in.Description), Arch: in.Architecture, Root: *in.RootDeviceName,
		Virtualization: types.VirtualizationType(aws.ToString(in.VirtualizationType)), IMDSv2: in.ImdsSupport == types.ImdsSupportValuesV20,
	}
	if o.Arch == "" {
		o.Arch = types.ArchitectureValuesI386
	}
	if o.Virtualization == "" {
		o.Virtualization = types.VirtualizationTypeParavirtual
	}
	switch {
	case !slices.Contains(types.ArchitectureValues("").Values(), o.Arch):
		return nil, invalidValue("architecture", string(o.Arch), "Valid values are "+fmt.Sprint(types.ArchitectureValues("").Values())+".")
	case !slices.Contains(types.VirtualizationType("").Values(), o.Virtualization):
		return nil, invalidValue("virtualizationType", string(o.Virtualization), "Valid values are hvm and paravirtual.")
	case in.ImdsSupport != "" && in.ImdsSupport != types.ImdsSupportValuesV20:
		return nil, invalidValue("imdsSupport", string(in.ImdsSupport), "The only value is v2.0.")
	}
	var out *ec2.RegisterImageOutput
	return out, s.write(ctx, func(r *regionState) error {
		now := s.now()
		o.Created, o.Ready = now, now
		if err := r.registerMappings(s, o, in.BlockDeviceMappings); err != nil {
			return err
		}
		if err := r.nameTaken(o.Name); err != nil {
			return err
		}
		o.meta = r.newMeta(s.id("ami"), t)
		r.Images[o.ID] = o
		out = &ec2.RegisterImageOutput{ImageId: aws.String(o.ID)}
		return nil
	})
}

// registerMappings are RegisterImage's block device mappings: EBS volumes from the account's
// snapshots or empty, and instance store volumes; the root device's must be from a snapshot.
func (r *regionState) registerMappings(s *Store, o *ownImage, ms []types.BlockDeviceMapping) error {
	seen := map[string]bool{}
	for k, m := range ms {
		dev := aws.ToString(m.DeviceName)
		switch {
		case dev == "":
			return core.Errorf(MissingParameter, "The request must contain the parameter BlockDeviceMapping.%d.DeviceName", k+1)
		case seen[dev]:
			return core.Errorf(InvalidBlockDeviceMapping, "The device '%s' is used in more than one block-device mapping", dev)
		case m.NoDevice != nil:
			continue
		case m.VirtualName != nil:
			if dev == o.Root {
				return core.Errorf(InvalidBlockDeviceMapping, "The root device '%s' must be an EBS volume: instance store images are not simulated.", dev)
			}
			o.Mappings = append(o.Mappings, imageMapping{Device: dev, Virtual: *m.VirtualName})
			seen[dev] = true
			continue
		case m.Ebs == nil:
			return core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give Ebs, VirtualName or NoDevice.", dev)
		}
		seen[dev] = true
		mp := imageMapping{Device: dev, DeleteOnTermination: true}
		size := aws.ToInt32(m.Ebs.VolumeSize)
		if id := m.Ebs.SnapshotId; id != nil {
			sn, err := r.snapshotFor(*id)
			if err != nil {
				return err
			}
			mp.Snapshot, mp.Encrypted = sn.ID, sn.Encrypted
			if m.Ebs.VolumeSize == nil {
				size = sn.Size
			} else if size < sn.Size {
				return core.Errorf(InvalidBlockDeviceMapping, "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", size, sn.ID, sn.Size)
			}
			o.Ready = later(o.Ready, sn.Done)
		} else if dev == o.Root {
			return core.Errorf(InvalidBlockDeviceMapping, "The root device '%s' must be made from a snapshot.", dev)
		}
		if size == 0 {
			return core.Errorf(InvalidBlockDeviceMapping, "The block-device mapping for '%s' must give a volume size or a snapshot.", dev)
		}
		typ := m.Ebs.VolumeType
		if typ == "" {
			typ = types.VolumeTypeGp2
		}
		sp, err := checkSpec(typ, size, m.Ebs.Iops, m.Ebs.Throughput)
		if err != nil {
			return err
		}
		mp.Spec = sp
		if m.Ebs.DeleteOnTermination != nil {
			mp.DeleteOnTermination = *m.Ebs.DeleteOnTermination
		}
		mp.Encrypted = mp.Encrypted || aws.ToBool(m.Ebs.Encrypted)
		o.Mappings = append(o.Mappings, mp)
	}
	if !seen[o.Root] {
		return core.Errorf(InvalidBlockDeviceMapping, "The root device name '%s' has no block-device mapping.", o.Root)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// CopyImage copies an available image of the account's, or a public image of the catalog,
// from its region into the request's: a new image with its own ID and a copy of each of its
// snapshots (encrypted if the source's are, if asked, or with KmsKeyId), pending until they
// are complete.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html
func (h *EC2) CopyImage(ctx context.Context, in *ec2.CopyImageInput) (*ec2.CopyImageOutput, error) {
	s := h.s
	switch {
	case in.SourceImageId == nil:
		return nil, missingParameter("SourceImageId")
	case in.SourceRegion == nil:
		return nil, missingParameter("SourceRegion")
	case in.DestinationOutpostArn != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator copies images into a region: Outposts are not simulated.")
	}
	if err := checkImageName(in.Name); err != nil {
		return nil, err
	}
	if err := checkImageDescription(in.Description); err != nil {
		return nil, err
	}
	if _, ok := lookupRegion(*in.SourceRegion); !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", *in.SourceRegion)
	}
	if !imageKind.wellFormed(*in.SourceImageId) {
		return nil, imageKind.malformedError(*in.SourceImageId)
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeImage, types.ResourceTypeSnapshot)
	if err != nil {
		return nil, err
	}
	snapTags, _ := tagsFor(in.TagSpecifications, types.ResourceTypeSnapshot, types.ResourceTypeImage)
	var out *ec2.CopyImageOutput
	return out, s.write(ctx, func(r *regionState) error {
		now := s.now()
		src := s.regions[*in.SourceRegion]
		if src == nil {
			src = newRegionState(*in.SourceRegion) // a region not used yet has only the catalog
		}
		from, ok := src.image(*in.SourceImageId)
		if !ok || from.own != nil && from.own.Deregistered {
			return imageKind.notFoundError(*in.SourceImageId)
		}
		if from.own != nil {
			if err := from.own.notPending(now); err != nil {
				return err
			}
		}
		if err := r.nameTaken(*in.Name); err != nil {
			return err
		}
		o := &ownImage{
			Name: *in.Name, Description: aws.ToString(in.Description), Arch: from.Arch, Windows: from.Windows,
			Virtualization: types.VirtualizationTypeHvm, Base: from.osName(), Root: from.Root, IMDSv2: from.IMDSv2,
			Created: now, Ready: now, SourceImage: from.ID, SourceRegion: src.Name,
		}
		if in.Description == nil {
			o.Description = from.Description
		}
		var maps []imageMapping
		if from.own != nil {
			maps = slices.Clone(from.own.Mappings)
			o.Virtualization = from.own.Virtualization
		} else {
			for _, m := range from.mappings() {
				mp := imageMapping{Device: aws.ToString(m.DeviceName), Virtual: aws.ToString(m.VirtualName)}
				if m.Ebs != nil {
					mp.Snapshot, mp.Spec, mp.DeleteOnTermination = *m.Ebs.SnapshotId, volSpec{Type: m.Ebs.VolumeType, Size: *m.Ebs.VolumeSize}, true
					if mp.Spec.Type == types.VolumeTypeGp3 {
						mp.Spec.IOPS, mp.Spec.Throughput = 3000, 125
					}
				}
				maps = append(maps, mp)
			}
		}
		if from.InstanceStore {
			return core.Errorf(UnsupportedOperation, "The image '%s' is instance store-backed: the simulator copies EBS-backed images only.", from.ID)
		}
		type copied struct {
			at       int
			enc      bool
			key      string
			fromSnap string
			t        tags
		}
		var plan []copied
		for k, m := range maps {
			if m.Virtual != "" || m.Snapshot == "" {
				continue
			}
			st := snapTags.clone()
			var key *string
			if sn := src.Snapshots[m.Snapshot]; sn != nil && from.own != nil {
				if aws.ToBool(in.CopyImageTags) {
					for k, v := range sn.Tags {
						if _, set := st[k]; !set {
							st[k] = v
						}
					}
				}
				if sn.Encrypted && src.Name == r.Name && in.KmsKeyId == nil {
					key = aws.String(sn.KMSKey) // a copy in its region keeps its key unless told
				}
			}
			if key == nil {
				key = in.KmsKeyId
			}
			enc, arn, err := s.encryption(r, aws.Bool(aws.ToBool(in.Encrypted) || m.Encrypted), key, nil)
			if err != nil {
				return err
			}
			plan = append(plan, copied{k, enc, arn, m.Snapshot, st})
		}
		o.meta = r.newMeta(s.id("ami"), t)
		if aws.ToBool(in.CopyImageTags) && from.own != nil {
			for k, v := range from.own.Tags {
				if _, set := o.Tags[k]; !set {
					o.Tags[k] = v
				}
			}
		}
		for _, c := range plan {
			m := &maps[c.at]
			sn := &snapshot{
				meta: r.newMeta(s.id("snap"), c.t), Volume: "vol-ffffffff", Size: m.Spec.Size, Encrypted: c.enc, KMSKey: c.key,
				Description: fmt.Sprintf("Copied for DestinationAmi %s from SourceAmi %s for SourceSnapshot %s. Task created on %s.",
					o.ID, from.ID, c.fromSnap, now.Format(timeFormat)),
				Started: now, Done: now.Add(snapshotTaking),
			}
			r.Snapshots[sn.ID] = sn
			m.Snapshot, m.Encrypted = sn.ID, c.enc
			o.Ready = later(o.Ready, sn.Done)
		}
		o.Mappings = maps
		r.Images[o.ID] = o
		s.emitImage(InstanceEvent{Kind: ImageMade, Region: r.Name, Image: o.ID, SourceImage: from.ID, SourceRegion: src.Name})
		out = &ec2.CopyImageOutput{ImageId: aws.String(o.ID)}
		return nil
	})
}

// DeregisterImage deregisters an image of the account's: it can launch no more instances, and
// DescribeImages no longer lists it. Its snapshots stay, as on AWS, unless
// DeleteAssociatedSnapshots; the instances launched from it go on.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/deregister-ami.html
func (h *EC2) DeregisterImage(ctx context.Context, in *ec2.DeregisterImageInput) (*ec2.DeregisterImageOutput, error) {
	s := h.s
	out := &ec2.DeregisterImageOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		if id := aws.ToString(in.ImageId); r.Images[id] != nil && r.Images[id].Deregistered {
			return core.Errorf(InvalidAMIIDUnavailable, "The image id '[%s]' is no longer available", id)
		}
		o, err := r.ownedImage(aws.ToString(in.ImageId))
		if err != nil {
			return err
		}
		o.Deregistered, o.DeregistrationTime = true, s.now()
		s.emitImage(InstanceEvent{Kind: ImageDeregistered, Region: r.Name, Image: o.ID})
		if aws.ToBool(in.DeleteAssociatedSnapshots) {
			for _, m := range o.Mappings {
				if m.Snapshot == "" || r.Snapshots[m.Snapshot] == nil {
					continue
				}
				res := types.DeleteSnapshotReturnCode{ReturnCode: types.SnapshotReturnCodesSuccess, SnapshotId: aws.String(m.Snapshot)}
				if other := r.imageOfOwnSnapshot(m.Snapshot); other != "" {
					res.ReturnCode = types.SnapshotReturnCodesErrorCodeClientError
				} else {
					delete(r.Snapshots, m.Snapshot)
				}
				out.DeleteSnapshotResults = append(out.DeleteSnapshotResults, res)
			}
		}
		out.Return = aws.Bool(true)
		return nil
	})
}

// emitImage queues an ImageMade event for the hooks. s.mu is held for writing.
func (s *Store) emitImage(e InstanceEvent) {
	if len(s.hooks) > 0 {
		e.Time = s.now()
		s.pending = append(s.pending, e)
	}
}

// imageOfOwnSnapshot returns the account's registered image made from snapshot id, or "".
func (r *regionState) imageOfOwnSnapshot(id string) string {
	for _, o := range inOrder(r.Images) {
		if o.Deregistered {
			continue
		}
		for _, m := range o.Mappings {
			if m.Snapshot == id {
				return o.ID
			}
		}
	}
	return ""
}

// executableBy reports whether the image matches DescribeImages' ExecutableUsers: all for a
// public image, an account ID it is shared with. self (and the account's own ID) asks for
// images other accounts shared with this one, of which the simulator has none.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html
func executableBy(users []string, public bool, shared []string) bool {
	for _, u := range users {
		if u == "all" && public || slices.Contains(shared, u) {
			return true
		}
	}
	return false
}

// ownImagesOut are the account's images of the region that DescribeImages lists for in.
func (s *Store) ownImagesOut(r *regionState, in *ec2.DescribeImagesInput, now time.Time) []types.Image {
	var out []types.Image
	for _, o := range inOrder(r.Images) {
		switch {
		case o.Deregistered:
			continue
		case len(in.ImageIds) > 0 && !slices.Contains(in.ImageIds, o.ID):
			continue
		case len(in.Owners) > 0 && !slices.Contains(in.Owners, "self") && !slices.Contains(in.Owners, s.account):
			continue
		case len(in.ExecutableUsers) > 0 && !executableBy(in.ExecutableUsers, o.Public, o.SharedWith):
			continue
		}
		out = append(out, o.out(s, now))
	}
	return out
}
