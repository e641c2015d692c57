package ec2sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var volumeKind = kind{"vol", InvalidVolumeIDMalformed, InvalidVolumeNotFound, "The volume '%s' does not exist.", types.ResourceTypeVolume}

// AttachVolume attaches an available volume to a running or stopped instance in its zone, as
// a device: attaching for a few seconds of the simulator's clock, then attached.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVolume.html
func (h *EC2) AttachVolume(ctx context.Context, in *ec2.AttachVolumeInput) (*ec2.AttachVolumeOutput, error) {
	s := h.s
	switch {
	case in.Device == nil:
		return nil, missingParameter("device")
	case in.InstanceId == nil:
		return nil, missingParameter("instanceId")
	case in.VolumeId == nil:
		return nil, missingParameter("volumeId")
	}
	var out *ec2.AttachVolumeOutput
	err := s.write(ctx, func(r *regionState) error {
		now := s.now()
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		i, err := find(instanceKind, r.Instances, *in.InstanceId)
		if err != nil {
			return err
		}
		if i.State != running && i.State != stopped {
			return core.Errorf(IncorrectInstanceState, "Instance '%s' is not 'running'.", i.ID)
		}
		im, _ := r.image(i.Image)
		if err := checkDevice(*in.Device, im.Windows); err != nil {
			return err
		}
		switch st := v.stateAt(now); {
		case st == types.VolumeStateInUse:
			return core.Errorf(VolumeInUse, "%s is already attached to an instance", v.ID)
		case st != types.VolumeStateAvailable:
			return core.Errorf(IncorrectState, "Volume '%s' is in the '%s' state.", v.ID, st)
		}
		if m := v.modifying(now); m != nil && now.Before(m.Optimizing) {
			return core.Errorf(OperationNotPermitted, "Cannot attach volume %s when it is in modification state: MODIFYING", v.ID)
		}
		if v.Zone != i.Zone {
			return core.Errorf(InvalidVolumeZoneMismatch, "The volume '%s' is not in the same availability zone as instance '%s'", v.ID, i.ID)
		}
		for _, o := range s.attachedTo(r, i.ID) {
			if o.Attach.Device == *in.Device {
				return core.Errorf(InvalidParameterValue, "Invalid value '%s' for unixDevice. Attachment point %s is already in use", *in.Device, *in.Device)
			}
		}
		if im.Root == *in.Device && im.InstanceStore {
			return core.Errorf(InvalidParameterValue, "Invalid value '%s' for unixDevice. Attachment point %s is already in use", *in.Device, *in.Device)
		}
		v.Attach = &volAttach{Instance: i.ID, Device: *in.Device, Time: now, Ready: now.Add(volumeAttaching)}
		r.attach(v)
		a := v.Attach.out(v.ID, now)
		out = &ec2.AttachVolumeOutput{
			VolumeId: a.VolumeId, InstanceId: a.InstanceId, Device: a.Device, State: a.State, AttachTime: a.AttachTime,
			DeleteOnTermination: a.DeleteOnTermination,
		}
		return nil
	})
	return out, err
}

// DetachVolume detaches a volume: detaching for a few seconds of the simulator's clock, then
// available. The root volume of an instance that is not stopped stays; Force ends a detach
// under way at once.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachVolume.html
func (h *EC2) DetachVolume(ctx context.Context, in *ec2.DetachVolumeInput) (*ec2.DetachVolumeOutput, error) {
	s := h.s
	if in.VolumeId == nil {
		return nil, missingParameter("volumeId")
	}
	var out *ec2.DetachVolumeOutput
	err := s.write(ctx, func(r *regionState) error {
		now := s.now()
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		a := v.attachedAt(now)
		if a == nil {
			return core.Errorf(IncorrectState, "Volume '%s' is in the '%s' state.", v.ID, v.stateAt(now))
		}
		if in.InstanceId != nil && *in.InstanceId != a.Instance {
			return core.Errorf(InvalidAttachmentNotFound, "Volume %s can not be detached from %s because it is not attached", v.ID, *in.InstanceId)
		}
		if in.Device != nil && *in.Device != a.Device {
			return core.Errorf(InvalidAttachmentNotFound, "The volume %s is not attached to instance %s as device %s", v.ID, a.Instance, *in.Device)
		}
		if !a.Detach.IsZero() && !aws.ToBool(in.Force) {
			return core.Errorf(IncorrectState, "Volume '%s' is in the 'detaching' state.", v.ID)
		}
		// The root is whatever volume is at the image's root device: the one RunInstances made,
		// or one attached there after that was detached (an instance's rescue).
		if i := r.Instances[a.Instance]; i != nil && i.State != stopped && a.Device == rootDevice(r, i) {
			return core.Errorf(IncorrectInstanceState, "Unable to detach root volume '%s' from instance '%s' as the instance is not in the 'stopped' state.", v.ID, i.ID)
		}
		shown := *a
		shown.Detach = now.Add(volumeDetaching)
		if aws.ToBool(in.Force) {
			shown.Detach = now // a forced detach is over at once
			v.Attach = nil
		} else {
			v.Attach.Detach = shown.Detach
		}
		o := shown.out(v.ID, now)
		o.State = types.VolumeAttachmentStateDetaching
		out = &ec2.DetachVolumeOutput{
			VolumeId: o.VolumeId, InstanceId: o.InstanceId, Device: o.Device, State: o.State, AttachTime: o.AttachTime,
			DeleteOnTermination: o.DeleteOnTermination,
		}
		return nil
	})
	return out, err
}

// DeleteVolume deletes an available volume.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVolume.html
func (h *EC2) DeleteVolume(ctx context.Context, in *ec2.DeleteVolumeInput) (*ec2.DeleteVolumeOutput, error) {
	s := h.s
	if in.VolumeId == nil {
		return nil, missingParameter("volumeId")
	}
	return &ec2.DeleteVolumeOutput{}, s.write(ctx, func(r *regionState) error {
		now := s.now()
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		switch st := v.stateAt(now); st {
		case types.VolumeStateInUse:
			return core.Errorf(VolumeInUse, "Volume %s is currently attached to %s", v.ID, v.Attach.Instance)
		case types.VolumeStateAvailable:
		default:
			return core.Errorf(IncorrectState, "Volume '%s' is in the '%s' state.", v.ID, st)
		}
		delete(r.Volumes, v.ID)
		return nil
	})
}

// volumeFields are DescribeVolumes' filters.
var volumeFields = fields[types.Volume]{
	"volume-id":         func(v types.Volume) []string { return one(*v.VolumeId) },
	"availability-zone": func(v types.Volume) []string { return one(*v.AvailabilityZone) },
	"create-time":       func(v types.Volume) []string { return one(v.CreateTime.Format(timeFormat)) },
	"encrypted":         func(v types.Volume) []string { return boolValue(*v.Encrypted) },
	"multi-attach-enabled": func(v types.Volume) []string {
		return boolValue(*v.MultiAttachEnabled)
	},
	"size":        func(v types.Volume) []string { return one(itoa(*v.Size)) },
	"snapshot-id": func(v types.Volume) []string { return one(*v.SnapshotId) },
	"status":      func(v types.Volume) []string { return one(string(v.State)) },
	"volume-type": func(v types.Volume) []string { return one(string(v.VolumeType)) },
	"attachment.attach-time": func(v types.Volume) []string {
		return collect(v.Attachments, func(a types.VolumeAttachment) *string { return aws.String(a.AttachTime.Format(timeFormat)) })
	},
	"attachment.delete-on-termination": func(v types.Volume) []string {
		return collect(v.Attachments, func(a types.VolumeAttachment) *string { return aws.String(boolValue(*a.DeleteOnTermination)[0]) })
	},
	"attachment.device": func(v types.Volume) []string {
		return collect(v.Attachments, func(a types.VolumeAttachment) *string { return a.Device })
	},
	"attachment.instance-id": func(v types.Volume) []string {
		return collect(v.Attachments, func(a types.VolumeAttachment) *string { return a.InstanceId })
	},
	"attachment.status": func(v types.Volume) []string {
		return collect(v.Attachments, func(a types.VolumeAttachment) *string { return aws.String(string(a.State)) })
	},
}

// timeFormat is how EC2's filters and answers write times.
const timeFormat = "2006-01-02T15:04:05.000Z"

// DescribeVolumes lists volumes, 5 to 500 a page.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html
func (h *EC2) DescribeVolumes(ctx context.Context, in *ec2.DescribeVolumesInput) (*ec2.DescribeVolumesOutput, error) {
	s := h.s
	if len(in.VolumeIds) > 0 && in.MaxResults != nil {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter volumeSet cannot be used with the parameter maxResults")
	}
	out := &ec2.DescribeVolumesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		vs, err := pick(volumeKind, r.Volumes, in.VolumeIds)
		if err != nil {
			return err
		}
		now := s.now()
		all := make([]types.Volume, len(vs))
		for k, v := range vs {
			all[k] = volumeOut(s, r, v, now)
		}
		all, err = where(in.Filters, volumeFields, func(v types.Volume) []types.Tag { return v.Tags }, all)
		if err != nil {
			return err
		}
		// "If MaxResults is given a value larger than 500, only 500 items are returned"
		// (DescribeVolumes' reference before 2024); the CLIs send 1,000.
		out.Volumes, out.NextToken, err = page(all, clamp(in.MaxResults, 500), in.NextToken, 5, 500)
		out.Volumes = nonNil(out.Volumes)
		return err
	})
}

// clamp lowers a MaxResults above hi to hi, as the Describe operations that take any larger
// value do.
func clamp(max *int32, hi int32) *int32 {
	if max != nil && *max > hi {
		return &hi
	}
	return max
}

// rootDevice is the device name of the instance's root volume.
func rootDevice(r *regionState, i *instance) string {
	im, _ := r.image(i.Image)
	return im.Root
}
