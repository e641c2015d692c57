package ec2sim

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// How long the states of volumes last on the simulator's clock. AWS gives no figures: these
// are what a small volume takes, so that a lab sees each state and a wait is short.
const (
	volumeCreating  = 5 * time.Second  // creating → available
	volumeAttaching = 5 * time.Second  // attaching → attached
	volumeDetaching = 5 * time.Second  // detaching → (no attachment), the volume available
	volumeModifying = time.Minute      // modifying → optimizing: the new size shows from here
	volumeOptimize  = 10 * time.Minute // optimizing → completed
)

// ebsState is a region's EBS: its volumes and snapshots, and whether it encrypts new volumes
// by default, with which key.
type ebsState struct {
	Volumes       map[string]*volume   `json:",omitempty"`
	Snapshots     map[string]*snapshot `json:",omitempty"`
	EBSEncryption bool                 `json:",omitempty"`
	EBSKey        string               `json:",omitempty"` // the default key's ARN; "" for aws/ebs

	// attachedIDs holds, by instance ID, the IDs of the volumes ever attached to it that may
	// still be: every volume whose Attach names the instance is there (attach notes it), and
	// attachedTo checks each it finds, so that a detached or deleted one need not be taken
	// out. Derived and not saved: reindexVolumes rebuilds it on load.
	attachedIDs map[string]map[string]bool
}

// attach notes that v is attached to its Attach's instance.
func (e *ebsState) attach(v *volume) {
	if v.Attach == nil {
		return
	}
	if e.attachedIDs == nil {
		e.attachedIDs = map[string]map[string]bool{}
	}
	m := e.attachedIDs[v.Attach.Instance]
	if m == nil {
		m = map[string]bool{}
		e.attachedIDs[v.Attach.Instance] = m
	}
	m[v.ID] = true
}

// reindexVolumes rebuilds attachedIDs from the volumes, for a loaded state.
func (e *ebsState) reindexVolumes() {
	e.attachedIDs = nil
	for _, v := range e.Volumes {
		e.attach(v)
	}
}

// volSpec is what a volume is: its type, size, and the IOPS and throughput provisioned for the
// types that take them (0 for the others).
type volSpec struct {
	Type       types.VolumeType
	Size       int32
	IOPS       int32
	Throughput int32
}

// volume is one EBS volume. Its state is a function of the clock: creating until Ready, then
// in-use while attached, else available (volumeState).
type volume struct {
	meta
	Zone zone
	volSpec
	Encrypted    bool
	KMSKey       string // the key's ARN, when encrypted
	Snapshot     string // the snapshot it was made from, or ""
	Created      time.Time
	Ready        time.Time
	Attach       *volAttach `json:",omitempty"`
	Mods         []*volMod  `json:",omitempty"` // its modifications, oldest first
	ClientToken  string     `json:",omitempty"`
	AutoEnableIO bool       `json:",omitempty"`
}

// volAttach is a volume's attachment to an instance.
type volAttach struct {
	Instance            string
	Device              string
	Time                time.Time // when it was attached
	Ready               time.Time // attaching until then
	Detach              time.Time // zero, or detaching until then and detached after
	DeleteOnTermination bool
}

// volMod is one ModifyVolume: modifying until Optimizing, optimizing until Done, completed
// after. The volume is From until Optimizing and To from then on.
type volMod struct {
	From, To         volSpec
	Start            time.Time
	Optimizing, Done time.Time
}

// specAt returns what the volume is at now: its last modification's target once that is
// optimizing.
func (v *volume) specAt(now time.Time) volSpec {
	if n := len(v.Mods); n > 0 {
		if m := v.Mods[n-1]; now.Before(m.Optimizing) {
			return m.From
		} else {
			return m.To
		}
	}
	return v.volSpec
}

// attachedAt returns the volume's attachment at now, nil once a detach is over.
func (v *volume) attachedAt(now time.Time) *volAttach {
	if a := v.Attach; a != nil && (a.Detach.IsZero() || now.Before(a.Detach)) {
		return a
	}
	return nil
}

func (v *volume) stateAt(now time.Time) types.VolumeState {
	switch {
	case now.Before(v.Ready):
		return types.VolumeStateCreating
	case v.attachedAt(now) != nil:
		return types.VolumeStateInUse
	}
	return types.VolumeStateAvailable
}

func (a *volAttach) stateAt(now time.Time) types.VolumeAttachmentState {
	switch {
	case !a.Detach.IsZero():
		return types.VolumeAttachmentStateDetaching
	case now.Before(a.Ready):
		return types.VolumeAttachmentStateAttaching
	}
	return types.VolumeAttachmentStateAttached
}

// modifying reports whether a modification of the volume has not completed at now.
func (v *volume) modifying(now time.Time) *volMod {
	if n := len(v.Mods); n > 0 && now.Before(v.Mods[n-1].Done) {
		return v.Mods[n-1]
	}
	return nil
}

// settleVolumes makes the records say what the clock says: detached volumes lose their
// attachment, completed modifications become the volume. r is held for writing.
func (s *Store) settleVolumes(r *regionState) {
	now := s.now()
	for _, v := range r.Volumes {
		if v.Attach != nil && v.attachedAt(now) == nil {
			v.Attach = nil
		}
		v.volSpec = v.specAt(now)
	}
}

// The limits of each volume type: sizes in GiB, IOPS, IOPS per GiB, throughput in MiB/s.
// https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html (and CreateVolume's
// Size, Iops and Throughput in the API reference).
type volumeLimits struct {
	minSize, maxSize int32
	minIOPS, maxIOPS int32 // 0: the type takes no IOPS
	iopsPerGiB       int32
	defaultIOPS      int32 // gp3's baseline; 0: IOPS are required (io1, io2)
	minTP, maxTP     int32 // 0: the type takes no throughput
}

var volumeTypes = map[types.VolumeType]volumeLimits{
	types.VolumeTypeGp2:      {minSize: 1, maxSize: 16384},
	types.VolumeTypeGp3:      {minSize: 1, maxSize: 65536, minIOPS: 3000, maxIOPS: 80000, iopsPerGiB: 500, defaultIOPS: 3000, minTP: 125, maxTP: 2000},
	types.VolumeTypeIo1:      {minSize: 4, maxSize: 16384, minIOPS: 100, maxIOPS: 64000, iopsPerGiB: 50},
	types.VolumeTypeIo2:      {minSize: 4, maxSize: 65536, minIOPS: 100, maxIOPS: 256000, iopsPerGiB: 1000},
	types.VolumeTypeSt1:      {minSize: 125, maxSize: 16384},
	types.VolumeTypeSc1:      {minSize: 125, maxSize: 16384},
	types.VolumeTypeStandard: {minSize: 1, maxSize: 1024},
}

// maxThroughputPerIOPS is gp3's ratio of throughput to IOPS, in MiB/s per IOPS.
const maxThroughputPerIOPS = 0.25

// volumeType checks a requested type: gp2 when none is given, CreateVolume's default.
func volumeType(t types.VolumeType) (types.VolumeType, volumeLimits, error) {
	if t == "" {
		t = types.VolumeTypeGp2
	}
	lim, ok := volumeTypes[t]
	if !ok {
		return "", lim, invalidValue("volumeType", string(t), "Valid values are gp2, gp3, io1, io2, st1, sc1 and standard.")
	}
	return t, lim, nil
}

// checkSpec applies a volume type's rules to a size and the IOPS and throughput asked for
// (nil: not asked), and returns the spec with the type's defaults filled in.
func checkSpec(t types.VolumeType, size int32, iops, throughput *int32) (volSpec, error) {
	t, lim, err := volumeType(t)
	if err != nil {
		return volSpec{}, err
	}
	sp := volSpec{Type: t, Size: size}
	switch {
	case size < lim.minSize:
		return sp, core.Errorf(InvalidParameterValue, "Volume of size %dGB is too small; minimum is %dGB.", size, lim.minSize)
	case size > lim.maxSize:
		return sp, core.Errorf(InvalidParameterValue, "Volume of size %dGB is too large; maximum is %dGB.", size, lim.maxSize)
	}
	if iops != nil && lim.maxIOPS == 0 {
		return sp, core.Errorf(InvalidParameterCombination, "The parameter iops is not supported for %s volumes.", t)
	}
	if throughput != nil && lim.maxTP == 0 {
		return sp, core.Errorf(InvalidParameterCombination, "The parameter throughput is not supported for %s volumes.", t)
	}
	if lim.maxIOPS > 0 {
		sp.IOPS = lim.defaultIOPS
		if iops != nil {
			sp.IOPS = *iops
		} else if sp.IOPS == 0 {
			return sp, missingParameter("iops")
		}
		switch {
		case sp.IOPS < lim.minIOPS:
			return sp, core.Errorf(InvalidParameterValue, "Volume iops of %d is too low; minimum is %d.", sp.IOPS, lim.minIOPS)
		case sp.IOPS > lim.maxIOPS:
			return sp, core.Errorf(InvalidParameterValue, "Volume iops of %d is too high; maximum is %d.", sp.IOPS, lim.maxIOPS)
		case sp.IOPS > max(lim.defaultIOPS, size*lim.iopsPerGiB):
			return sp, core.Errorf(InvalidParameterValue, "Iops to volume size ratio of %f is too high; maximum is %f",
				float64(sp.IOPS)/float64(size), float64(lim.iopsPerGiB))
		}
	}
	if lim.maxTP > 0 {
		sp.Throughput = lim.minTP
		if throughput != nil {
			sp.Throughput = *throughput
		}
		switch {
		case sp.Throughput < lim.minTP:
			return sp, core.Errorf(InvalidParameterValue, "Volume throughput of %d is too low; minimum is %d.", sp.Throughput, lim.minTP)
		case sp.Throughput > lim.maxTP:
			return sp, core.Errorf(InvalidParameterValue, "Volume throughput of %d is too high; maximum is %d.", sp.Throughput, lim.maxTP)
		case float64(sp.Throughput) > maxThroughputPerIOPS*float64(sp.IOPS):
			return sp, core.Errorf(InvalidParameterValue, "Throughput (MiBps) to iops ratio of %f is too high; maximum is %f MiBps per iops.",
				float64(sp.Throughput)/float64(sp.IOPS), maxThroughputPerIOPS)
		}
	}
	return sp, nil
}

// shownIOPS is the IOPS a volume reports: what is provisioned, or gp2's baseline of 3 per GiB
// (100 to 16,000); none for the HDD and magnetic types.
func (sp volSpec) shownIOPS() *int32 {
	switch {
	case sp.IOPS > 0:
		return aws.Int32(sp.IOPS)
	case sp.Type == types.VolumeTypeGp2:
		return aws.Int32(min(max(3*sp.Size, 100), 16000))
	}
	return nil
}

func (sp volSpec) shownThroughput() *int32 {
	if sp.Throughput == 0 {
		return nil
	}
	return aws.Int32(sp.Throughput)
}

// ebsKey is the AWS managed key aws/ebs of the account in region: encryption's default. Its
// ID is made from the account and region, so it is the same on every run; there is no KMS in
// the simulator to ask.
func (s *Store) ebsKey(region string) string {
	sum := sha256.Sum256([]byte(s.account + "/" + region + "/aws/ebs"))
	h := fmt.Sprintf("%x", sum[:16])
	return "arn:aws:kms:" + region + ":" + s.account + ":key/" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// keyARN returns the ARN of the KMS key a request names by ID, alias, key ARN or alias ARN,
// as EC2 shows it on a volume. Without KMS, an alias other than aws/ebs stays an alias ARN.
func (s *Store) keyARN(region, id string) (string, error) {
	switch {
	case id == "alias/aws/ebs" || id == "arn:aws:kms:"+region+":"+s.account+":alias/aws/ebs":
		return s.ebsKey(region), nil
	case strings.HasPrefix(id, "arn:aws:kms:"):
		return id, nil
	case strings.HasPrefix(id, "alias/") && len(id) > len("alias/"):
		return "arn:aws:kms:" + region + ":" + s.account + ":" + id, nil
	case isKeyID(id):
		return "arn:aws:kms:" + region + ":" + s.account + ":key/" + id, nil
	}
	return "", core.Errorf(InvalidParameterValue, "Invalid KMS key ID '%s'. Specify a key ID, key ARN, alias name or alias ARN.", id)
}

// isKeyID reports whether id has the shape of a KMS key ID: a UUID, or a multi-Region key's
// mrk- and 32 hex digits.
func isKeyID(id string) bool {
	if h, ok := strings.CutPrefix(id, "mrk-"); ok {
		return len(h) == 32 && strings.Trim(h, "0123456789abcdef") == ""
	}
	parts := strings.Split(id, "-")
	if len(parts) != 5 {
		return false
	}
	for k, n := range []int{8, 4, 4, 4, 12} {
		if len(parts[k]) != n || strings.Trim(parts[k], "0123456789abcdefABCDEF") != "" {
			return false
		}
	}
	return true
}

// encryption decides whether a new volume is encrypted and with which key: when asked, when
// its snapshot is, or when the region encrypts by default; a key names needs encryption.
// https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
func (s *Store) encryption(r *regionState, encrypted *bool, key *string, snap *snapshot) (bool, string, error) {
	if key != nil && !aws.ToBool(encrypted) && !r.EBSEncryption && (snap == nil || !snap.Encrypted) {
		return false, "", core.Errorf(InvalidParameterDependency, "The parameter KmsKeyId requires the parameter Encrypted to be set.")
	}
	on := aws.ToBool(encrypted) || r.EBSEncryption || snap != nil && snap.Encrypted
	if !on {
		return false, "", nil
	}
	switch {
	case key != nil:
		arn, err := s.keyARN(r.Name, *key)
		return true, arn, err
	case snap != nil && snap.Encrypted:
		return true, snap.KMSKey, nil
	case r.EBSKey != "":
		return true, r.EBSKey, nil
	}
	return true, s.ebsKey(r.Name), nil
}

// volumeZone resolves the zone of a request that names it by name or by ID, exactly one.
func volumeZone(region string, name, id *string) (zone, error) {
	switch {
	case name != nil && id != nil:
		return zone{}, core.Errorf(InvalidParameterCombination, "Only one of AvailabilityZone or AvailabilityZoneId can be specified.")
	case name == nil && id == nil:
		return zone{}, missingParameter("zone")
	}
	geo, ok := lookupRegion(region)
	want := aws.ToString(name) + aws.ToString(id)
	if ok {
		for _, z := range geo.zones() {
			if name != nil && z.Name == want || id != nil && z.ID == want {
				return z, nil
			}
		}
	}
	return zone{}, core.Errorf(InvalidZoneNotFound, "The zone '%s' does not exist.", want)
}

// CreateVolume makes an EBS volume, empty or from a snapshot: creating for a few seconds of
// the simulator's clock, then available.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html
func (h *EC2) CreateVolume(ctx context.Context, in *ec2.CreateVolumeInput) (*ec2.CreateVolumeOutput, error) {
	s := h.s
	if in.Size == nil && in.SnapshotId == nil {
		return nil, core.Errorf(MissingParameter, "The request must contain the parameter size or snapshotId")
	}
	if aws.ToBool(in.MultiAttachEnabled) {
		return nil, core.Errorf(core.NotImplemented, "The simulator attaches a volume to one instance at a time: Multi-Attach is not simulated.")
	}
	if in.OutpostArn != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator has no Outposts.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeVolume)
	if err != nil {
		return nil, err
	}
	z, err := volumeZone(core.RegionFrom(ctx), in.AvailabilityZone, in.AvailabilityZoneId)
	if err != nil {
		return nil, err
	}
	var out *ec2.CreateVolumeOutput
	err = s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, v := range r.Volumes {
				if v.ClientToken == tok {
					out = created(volumeOut(s, r, v, s.now()))
					return nil
				}
			}
		}
		var snap *snapshot
		size := aws.ToInt32(in.Size)
		if in.SnapshotId != nil {
			if snap, err = r.snapshotFor(*in.SnapshotId); err != nil {
				return err
			}
			if in.Size == nil {
				size = snap.Size
			}
			if size < snap.Size {
				return core.Errorf(InvalidParameterValue, "Volume of %dGiB is smaller than snapshot '%s', expect size >= %dGiB", size, snap.ID, snap.Size)
			}
		}
		sp, err := checkSpec(in.VolumeType, size, in.Iops, in.Throughput)
		if err != nil {
			return err
		}
		enc, key, err := s.encryption(r, in.Encrypted, in.KmsKeyId, snap)
		if err != nil {
			return err
		}
		now := s.now()
		v := &volume{
			meta: r.newMeta(s.id("vol"), t), Zone: z, volSpec: sp, Encrypted: enc, KMSKey: key,
			Created: now, Ready: now.Add(volumeCreating), ClientToken: aws.ToString(in.ClientToken),
		}
		if snap != nil {
			v.Snapshot = snap.ID
		}
		r.Volumes[v.ID] = v
		out = created(volumeOut(s, r, v, now))
		return nil
	})
	return out, err
}

// volumeOut describes a volume as it is at now.
func volumeOut(s *Store, r *regionState, v *volume, now time.Time) types.Volume {
	sp := v.specAt(now)
	out := types.Volume{
		VolumeId: aws.String(v.ID), AvailabilityZone: aws.String(v.Zone.Name),
		CreateTime: aws.Time(v.Created), Encrypted: aws.Bool(v.Encrypted), Size: aws.Int32(sp.Size),
		SnapshotId: aws.String(v.Snapshot), State: v.stateAt(now), VolumeType: sp.Type, Iops: sp.shownIOPS(),
		Throughput: sp.shownThroughput(), MultiAttachEnabled: aws.Bool(false), Tags: v.Tags.out(),
		Attachments: []types.VolumeAttachment{},
	}
	if v.Encrypted {
		out.KmsKeyId = aws.String(v.KMSKey)
	}
	if a := v.attachedAt(now); a != nil {
		out.Attachments = append(out.Attachments, a.out(v.ID, now))
	}
	return out
}

func (a *volAttach) out(volume string, now time.Time) types.VolumeAttachment {
	return types.VolumeAttachment{
		VolumeId: aws.String(volume), InstanceId: aws.String(a.Instance), Device: aws.String(a.Device),
		State: a.stateAt(now), AttachTime: aws.Time(a.Time), DeleteOnTermination: aws.Bool(a.DeleteOnTermination),
	}
}

// created is CreateVolume's answer: the volume's own fields.
func created(v types.Volume) *ec2.CreateVolumeOutput {
	return &ec2.CreateVolumeOutput{
		VolumeId: v.VolumeId, AvailabilityZone: v.AvailabilityZone,
		CreateTime: v.CreateTime, Encrypted: v.Encrypted, KmsKeyId: v.KmsKeyId, Size: v.Size, SnapshotId: v.SnapshotId,
		State: v.State, VolumeType: v.VolumeType, Iops: v.Iops, Throughput: v.Throughput,
		MultiAttachEnabled: v.MultiAttachEnabled, Tags: v.Tags, Attachments: v.Attachments,
	}
}
