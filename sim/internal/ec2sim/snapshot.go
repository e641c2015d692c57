package ec2sim

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// snapshotTaking is how long a snapshot is pending on the simulator's clock, its progress
// rising evenly from 0% to 100%. AWS's time depends on the data changed since the last
// snapshot; two minutes lets a lab see both states.
const snapshotTaking = 2 * time.Minute

// snapshot is one EBS snapshot of the account's.
type snapshot struct {
	meta
	Volume      string // the volume it was taken of ("vol-ffffffff" for a copy, as EC2 shows)
	Size        int32
	Description string
	Encrypted   bool
	KMSKey      string
	Started     time.Time
	Done        time.Time
	ClientToken string   `json:",omitempty"`
	Public      bool     `json:",omitempty"` // anyone may make volumes of it (createVolumePermission: all)
	SharedWith  []string `json:",omitempty"` // the accounts that may, besides the owner
}

var snapshotKind = kind{"snap", InvalidSnapshotIDMalformed, InvalidSnapshotNotFound, "The snapshot '%s' does not exist.", types.ResourceTypeSnapshot}

// snapshotFor returns the account's snapshot id, for a volume to be made from: pending ones
// too, as EC2 allows.
func (r *regionState) snapshotFor(id string) (*snapshot, error) {
	return find(snapshotKind, r.Snapshots, id)
}

func (sn *snapshot) out(s *Store, now time.Time) types.Snapshot {
	state, progress := types.SnapshotStateCompleted, 100
	if now.Before(sn.Done) {
		state = types.SnapshotStatePending
		progress = int(now.Sub(sn.Started) * 100 / sn.Done.Sub(sn.Started))
	}
	out := types.Snapshot{
		SnapshotId: aws.String(sn.ID), VolumeId: aws.String(sn.Volume), VolumeSize: aws.Int32(sn.Size),
		Description: aws.String(sn.Description), Encrypted: aws.Bool(sn.Encrypted), OwnerId: aws.String(s.account),
		StartTime: aws.Time(sn.Started), State: state, Progress: aws.String(strconv.Itoa(progress) + "%"),
		StorageTier: types.StorageTierStandard, Tags: sn.Tags.out(),
	}
	if sn.Encrypted {
		out.KmsKeyId = aws.String(sn.KMSKey)
	}
	if state == types.SnapshotStateCompleted {
		out.CompletionTime = aws.Time(sn.Done)
	}
	return out
}

// CreateSnapshot takes a snapshot of a volume: pending, with its progress, for two minutes of
// the simulator's clock, then completed. The snapshot is of the volume as it is now.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html
func (h *EC2) CreateSnapshot(ctx context.Context, in *ec2.CreateSnapshotInput) (*ec2.CreateSnapshotOutput, error) {
	s := h.s
	if in.VolumeId == nil {
		return nil, missingParameter("VolumeId")
	}
	if in.OutpostArn != nil || in.Location != "" && in.Location != types.SnapshotLocationEnumRegional {
		return nil, core.Errorf(core.NotImplemented, "The simulator keeps snapshots in the region: Outposts and Local Zones are not simulated.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeSnapshot)
	if err != nil {
		return nil, err
	}
	if len(aws.ToString(in.Description)) > 255 {
		return nil, invalidValue("description", "(too long)", "The description must be at most 255 characters.")
	}
	var out *ec2.CreateSnapshotOutput
	err = s.write(ctx, func(r *regionState) error {
		now := s.now()
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		if st := v.stateAt(now); st == types.VolumeStateCreating {
			return core.Errorf(IncorrectState, "Volume '%s' is in the '%s' state.", v.ID, st)
		}
		sn := &snapshot{
			meta: r.newMeta(s.id("snap"), t), Volume: v.ID, Size: v.specAt(now).Size, Description: aws.ToString(in.Description),
			Encrypted: v.Encrypted, KMSKey: v.KMSKey, Started: now, Done: now.Add(snapshotTaking),
		}
		r.Snapshots[sn.ID] = sn
		o := sn.out(s, now)
		out = &ec2.CreateSnapshotOutput{
			SnapshotId: o.SnapshotId, VolumeId: o.VolumeId, VolumeSize: o.VolumeSize, Description: o.Description,
			Encrypted: o.Encrypted, KmsKeyId: o.KmsKeyId, OwnerId: o.OwnerId, StartTime: o.StartTime, State: o.State,
			Progress: o.Progress, StorageTier: o.StorageTier, Tags: o.Tags,
		}
		return nil
	})
	return out, err
}

var snapshotFields = fields[types.Snapshot]{
	"snapshot-id": func(sn types.Snapshot) []string { return one(*sn.SnapshotId) },
	"volume-id":   func(sn types.Snapshot) []string { return one(*sn.VolumeId) },
	"volume-size": func(sn types.Snapshot) []string { return one(itoa(*sn.VolumeSize)) },
	"status":      func(sn types.Snapshot) []string { return one(string(sn.State)) },
	"progress":    func(sn types.Snapshot) []string { return one(*sn.Progress) },
	"description": func(sn types.Snapshot) []string { return one(*sn.Description) },
	"encrypted":   func(sn types.Snapshot) []string { return boolValue(*sn.Encrypted) },
	"owner-id":    func(sn types.Snapshot) []string { return one(*sn.OwnerId) },
	"start-time":  func(sn types.Snapshot) []string { return one(sn.StartTime.Format(timeFormat)) },
	"storage-tier": func(sn types.Snapshot) []string {
		return one(string(sn.StorageTier))
	},
}

// DescribeSnapshots lists the account's snapshots (OwnerIds may say self or the account's
// ID; the simulator has no other accounts, so no snapshots of theirs), 5 to 1,000 a page.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html
func (h *EC2) DescribeSnapshots(ctx context.Context, in *ec2.DescribeSnapshotsInput) (*ec2.DescribeSnapshotsOutput, error) {
	s := h.s
	if len(in.SnapshotIds) > 0 && in.MaxResults != nil {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter snapshotSet cannot be used with the parameter maxResults")
	}
	out := &ec2.DescribeSnapshotsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		sns, err := pick(snapshotKind, r.Snapshots, in.SnapshotIds)
		if err != nil {
			return err
		}
		mine := len(in.OwnerIds) == 0 || slices.Contains(in.OwnerIds, "self") || slices.Contains(in.OwnerIds, s.account)
		for _, o := range in.OwnerIds {
			if o != "self" && o != "amazon" && o != "aws-marketplace" && !isAccountID(o) {
				return core.Errorf(InvalidUserIDMalformed, "Invalid user id: \"%s\"", o)
			}
		}
		now := s.now()
		var all []types.Snapshot
		for _, sn := range sns {
			if mine {
				all = append(all, sn.out(s, now))
			}
		}
		out.Snapshots, out.NextToken, err = describe(all, in.Filters, snapshotFields, func(sn types.Snapshot) []types.Tag { return sn.Tags }, clamp(in.MaxResults, 1000), in.NextToken)
		return err
	})
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// DeleteSnapshot deletes a snapshot, unless an image is made from it.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSnapshot.html
func (h *EC2) DeleteSnapshot(ctx context.Context, in *ec2.DeleteSnapshotInput) (*ec2.DeleteSnapshotOutput, error) {
	s := h.s
	if in.SnapshotId == nil {
		return nil, missingParameter("SnapshotId")
	}
	return &ec2.DeleteSnapshotOutput{}, s.write(ctx, func(r *regionState) error {
		sn, err := find(snapshotKind, r.Snapshots, *in.SnapshotId)
		if err != nil {
			return err
		}
		// A registered image's snapshots are refused: InvalidSnapshot.InUse (imageown.go).
		if ami := cmp.Or(r.imageOfOwnSnapshot(sn.ID), imageOfSnapshot(r.Name, sn.ID)); ami != "" {
			return core.Errorf(InvalidSnapshotInUse, "The snapshot %s is currently in use by %s", sn.ID, ami)
		}
		delete(r.Snapshots, sn.ID)
		return nil
	})
}

// imageOfSnapshot returns the image made from snapshot id in region, or "".
func imageOfSnapshot(region, id string) string {
	for _, im := range imagesOf(region) {
		if im.Snapshot == id {
			return im.ID
		}
	}
	return ""
}

// CopySnapshot copies a completed snapshot of the account's, from this region or another,
// into the request's region: a new snapshot, pending as a new one is; encrypted if the source
// is, if asked, or if the region encrypts by default.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html
func (h *EC2) CopySnapshot(ctx context.Context, in *ec2.CopySnapshotInput) (*ec2.CopySnapshotOutput, error) {
	s := h.s
	switch {
	case in.SourceRegion == nil:
		return nil, missingParameter("SourceRegion")
	case in.SourceSnapshotId == nil:
		return nil, missingParameter("SourceSnapshotId")
	case in.DestinationOutpostArn != nil || in.DestinationAvailabilityZone != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator copies snapshots into a region: Outposts and Local Zones are not simulated.")
	}
	if _, ok := lookupRegion(*in.SourceRegion); !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", *in.SourceRegion)
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeSnapshot)
	if err != nil {
		return nil, err
	}
	var out *ec2.CopySnapshotOutput
	err = s.write(ctx, func(r *regionState) error {
		now := s.now()
		src := s.regions[*in.SourceRegion]
		var from *snapshot
		if !snapshotKind.wellFormed(*in.SourceSnapshotId) {
			return snapshotKind.malformedError(*in.SourceSnapshotId)
		}
		if src != nil {
			from = src.Snapshots[*in.SourceSnapshotId]
		}
		if from == nil {
			return snapshotKind.notFoundError(*in.SourceSnapshotId)
		}
		if now.Before(from.Done) {
			return core.Errorf(IncorrectState, "Snapshot '%s' is in the 'pending' state.", from.ID)
		}
		var key *string
		if from.Encrypted && *in.SourceRegion == r.Name && in.KmsKeyId == nil {
			key = aws.String(from.KMSKey) // a copy in its region keeps its key unless told
		} else {
			key = in.KmsKeyId
		}
		enc, arn, err := s.encryption(r, aws.Bool(aws.ToBool(in.Encrypted) || from.Encrypted), key, nil)
		if err != nil {
			return err
		}
		desc := aws.ToString(in.Description)
		if in.Description == nil {
			desc = "[Copied " + from.ID + " from " + *in.SourceRegion + "]"
		}
		sn := &snapshot{
			meta: r.newMeta(s.id("snap"), t), Volume: "vol-ffffffff", Size: from.Size, Description: desc,
			Encrypted: enc, KMSKey: arn, Started: now, Done: now.Add(snapshotTaking),
		}
		r.Snapshots[sn.ID] = sn
		out = &ec2.CopySnapshotOutput{SnapshotId: aws.String(sn.ID), Tags: sn.Tags.out()}
		return nil
	})
	return out, err
}
