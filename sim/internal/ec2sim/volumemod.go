package ec2sim

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxModsPerDay is how many modifications a volume takes in any 24 hours, each once the one
// before has completed (AWS's rule since January 2026; six hours between them before).
// https://docs.aws.amazon.com/ebs/latest/userguide/modify-volume-requirements.html
const maxModsPerDay = 4

// ModifyVolume changes a volume's size (only up), type, IOPS or throughput while it is in use:
// modifying for a minute of the simulator's clock, then optimizing (the new size and type
// show from here) for ten, then completed.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVolume.html
func (h *EC2) ModifyVolume(ctx context.Context, in *ec2.ModifyVolumeInput) (*ec2.ModifyVolumeOutput, error) {
	s := h.s
	if in.VolumeId == nil {
		return nil, missingParameter("VolumeId")
	}
	if aws.ToBool(in.MultiAttachEnabled) {
		return nil, core.Errorf(core.NotImplemented, "The simulator attaches a volume to one instance at a time: Multi-Attach is not simulated.")
	}
	var out *ec2.ModifyVolumeOutput
	err := s.write(ctx, func(r *regionState) error {
		now := s.now()
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		if st := v.stateAt(now); st != types.VolumeStateAvailable && st != types.VolumeStateInUse {
			return core.Errorf(IncorrectState, "Volume '%s' is in the '%s' state.", v.ID, st)
		}
		if m := v.modifying(now); m != nil {
			return core.Errorf(IncorrectModificationState, "Volume %s is already being modified.", v.ID)
		}
		recent := 0
		for _, m := range v.Mods {
			if now.Sub(m.Start) < 24*time.Hour {
				recent++
			}
		}
		if recent >= maxModsPerDay {
			return core.Errorf(VolumeModificationRateExceeded, "You've reached the maximum modification rate per volume limit. "+
				"Wait until fewer than %d modifications of volume %s were started in the last 24 hours.", maxModsPerDay, v.ID)
		}
		from := v.volSpec
		t, size := from.Type, from.Size
		if in.VolumeType != "" {
			t = in.VolumeType
		}
		if in.Size != nil {
			size = *in.Size
		}
		if from.Type == types.VolumeTypeStandard || t == types.VolumeTypeStandard && from.Type != t {
			return core.Errorf(UnsupportedOperation, "Volume %s: the previous-generation volume type standard can't be modified or be the target of a modification.", v.ID)
		}
		if size < from.Size {
			return core.Errorf(InvalidParameterValue, "New size cannot be smaller than existing size")
		}
		// IOPS and throughput carry over within a type that has them; a new type takes its
		// defaults unless given.
		iops, tp := in.Iops, in.Throughput
		if t == from.Type {
			if iops == nil && from.IOPS > 0 {
				iops = aws.Int32(from.IOPS)
			}
			if tp == nil && from.Throughput > 0 {
				tp = aws.Int32(from.Throughput)
			}
		}
		to, err := checkSpec(t, size, iops, tp)
		if err != nil {
			return err
		}
		if to == from {
			return core.Errorf(InvalidParameterCombination, "New type, size, iops and throughput are identical to the existing volume %s's.", v.ID)
		}
		m := &volMod{From: from, To: to, Start: now, Optimizing: now.Add(volumeModifying), Done: now.Add(volumeModifying + volumeOptimize)}
		v.Mods = append(v.Mods, m)
		out = &ec2.ModifyVolumeOutput{VolumeModification: new(modificationOut(v.ID, m, now))}
		return nil
	})
	return out, err
}

// modificationOut describes a modification at now; its progress runs from 0 to 100 over its
// modifying and optimizing states.
func modificationOut(id string, m *volMod, now time.Time) types.VolumeModification {
	state := types.VolumeModificationStateCompleted
	switch {
	case now.Before(m.Optimizing):
		state = types.VolumeModificationStateModifying
	case now.Before(m.Done):
		state = types.VolumeModificationStateOptimizing
	}
	progress := int64(100)
	if now.Before(m.Done) {
		progress = int64(now.Sub(m.Start) * 100 / m.Done.Sub(m.Start))
	}
	out := types.VolumeModification{
		VolumeId: aws.String(id), ModificationState: state, StartTime: aws.Time(m.Start), Progress: aws.Int64(progress),
		OriginalSize: aws.Int32(m.From.Size), OriginalVolumeType: m.From.Type, OriginalIops: m.From.shownIOPS(),
		OriginalThroughput: m.From.shownThroughput(), OriginalMultiAttachEnabled: aws.Bool(false),
		TargetSize: aws.Int32(m.To.Size), TargetVolumeType: m.To.Type, TargetIops: m.To.shownIOPS(),
		TargetThroughput: m.To.shownThroughput(), TargetMultiAttachEnabled: aws.Bool(false),
	}
	if state == types.VolumeModificationStateCompleted {
		out.EndTime = aws.Time(m.Done)
	}
	return out
}

var modificationFields = fields[types.VolumeModification]{
	"volume-id":            func(m types.VolumeModification) []string { return one(*m.VolumeId) },
	"modification-state":   func(m types.VolumeModification) []string { return one(string(m.ModificationState)) },
	"original-size":        func(m types.VolumeModification) []string { return one(itoa(*m.OriginalSize)) },
	"target-size":          func(m types.VolumeModification) []string { return one(itoa(*m.TargetSize)) },
	"original-volume-type": func(m types.VolumeModification) []string { return one(string(m.OriginalVolumeType)) },
	"target-volume-type":   func(m types.VolumeModification) []string { return one(string(m.TargetVolumeType)) },
	"start-time":           func(m types.VolumeModification) []string { return one(m.StartTime.Format(timeFormat)) },
	"target-iops": func(m types.VolumeModification) []string {
		if m.TargetIops == nil {
			return nil
		}
		return one(itoa(*m.TargetIops))
	},
	"target-throughput": func(m types.VolumeModification) []string {
		if m.TargetThroughput == nil {
			return nil
		}
		return one(itoa(*m.TargetThroughput))
	},
}

// DescribeVolumesModifications lists the latest modification of each volume named, or of
// every volume that was modified.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumesModifications.html
func (h *EC2) DescribeVolumesModifications(ctx context.Context, in *ec2.DescribeVolumesModificationsInput) (*ec2.DescribeVolumesModificationsOutput, error) {
	s := h.s
	out := &ec2.DescribeVolumesModificationsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		vs, err := pick(volumeKind, r.Volumes, in.VolumeIds)
		if err != nil {
			return err
		}
		now := s.now()
		var all []types.VolumeModification
		for _, v := range vs {
			if n := len(v.Mods); n > 0 {
				all = append(all, modificationOut(v.ID, v.Mods[n-1], now))
			} else if len(in.VolumeIds) > 0 {
				return core.Errorf(InvalidVolumeModificationNotFound, "Modification for volume '%s' does not exist.", v.ID)
			}
		}
		out.VolumesModifications, out.NextToken, err = describe(all, in.Filters, modificationFields, nil, in.MaxResults, in.NextToken)
		return err
	})
}

// GetEbsEncryptionByDefault reports whether the region encrypts new volumes by default.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsEncryptionByDefault.html
func (h *EC2) GetEbsEncryptionByDefault(ctx context.Context, in *ec2.GetEbsEncryptionByDefaultInput) (*ec2.GetEbsEncryptionByDefaultOutput, error) {
	out := &ec2.GetEbsEncryptionByDefaultOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		out.EbsEncryptionByDefault = aws.Bool(r.EBSEncryption)
		out.SseType = types.SSETypeSseEbs
		return nil
	})
}

// EnableEbsEncryptionByDefault makes the region encrypt every new volume, with its default key.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html
func (h *EC2) EnableEbsEncryptionByDefault(ctx context.Context, in *ec2.EnableEbsEncryptionByDefaultInput) (*ec2.EnableEbsEncryptionByDefaultOutput, error) {
	out := &ec2.EnableEbsEncryptionByDefaultOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		r.EBSEncryption = true
		out.EbsEncryptionByDefault = aws.Bool(true)
		return nil
	})
}

// DisableEbsEncryptionByDefault stops the region encrypting new volumes unless asked.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableEbsEncryptionByDefault.html
func (h *EC2) DisableEbsEncryptionByDefault(ctx context.Context, in *ec2.DisableEbsEncryptionByDefaultInput) (*ec2.DisableEbsEncryptionByDefaultOutput, error) {
	out := &ec2.DisableEbsEncryptionByDefaultOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		r.EBSEncryption = false
		out.EbsEncryptionByDefault = aws.Bool(false)
		return nil
	})
}

// GetEbsDefaultKmsKeyId returns the key the region encrypts volumes with by default: the AWS
// managed key aws/ebs unless another was set.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsDefaultKmsKeyId.html
func (h *EC2) GetEbsDefaultKmsKeyId(ctx context.Context, in *ec2.GetEbsDefaultKmsKeyIdInput) (*ec2.GetEbsDefaultKmsKeyIdOutput, error) {
	out := &ec2.GetEbsDefaultKmsKeyIdOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		out.KmsKeyId = aws.String("alias/aws/ebs")
		if r.EBSKey != "" {
			out.KmsKeyId = aws.String(r.EBSKey)
		}
		return nil
	})
}

// ModifyEbsDefaultKmsKeyId sets the key the region encrypts volumes with by default.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyEbsDefaultKmsKeyId.html
func (h *EC2) ModifyEbsDefaultKmsKeyId(ctx context.Context, in *ec2.ModifyEbsDefaultKmsKeyIdInput) (*ec2.ModifyEbsDefaultKmsKeyIdOutput, error) {
	if in.KmsKeyId == nil {
		return nil, missingParameter("KmsKeyId")
	}
	out := &ec2.ModifyEbsDefaultKmsKeyIdOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		arn, err := h.s.keyARN(r.Name, *in.KmsKeyId)
		if err != nil {
			return err
		}
		r.EBSKey = arn
		if arn == h.s.ebsKey(r.Name) {
			r.EBSKey = ""
		}
		out.KmsKeyId = aws.String(arn)
		return nil
	})
}

// ResetEbsDefaultKmsKeyId makes aws/ebs the region's default key again.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetEbsDefaultKmsKeyId.html
func (h *EC2) ResetEbsDefaultKmsKeyId(ctx context.Context, in *ec2.ResetEbsDefaultKmsKeyIdInput) (*ec2.ResetEbsDefaultKmsKeyIdOutput, error) {
	out := &ec2.ResetEbsDefaultKmsKeyIdOutput{}
	return out, h.s.write(ctx, func(r *regionState) error {
		r.EBSKey = ""
		out.KmsKeyId = aws.String(h.s.ebsKey(r.Name))
		return nil
	})
}
