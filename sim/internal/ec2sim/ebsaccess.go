package ec2sim

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// The condition keys of volumes and snapshots.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-volume
const (
	keyEncrypted        = "ec2:Encrypted"
	keyVolumeID         = "ec2:VolumeID"
	keyVolumeType       = "ec2:VolumeType"
	keyVolumeSize       = "ec2:VolumeSize"
	keyVolumeIops       = "ec2:VolumeIops"
	keyVolumeThroughput = "ec2:VolumeThroughput"
	keyParentSnapshot   = "ec2:ParentSnapshot"
	keySnapshotID       = "ec2:SnapshotID"
	keyParentVolume     = "ec2:ParentVolume"
	keySnapshotTime     = "ec2:SnapshotTime"
)

// snapshotARN is a snapshot's ARN: like an image's, it names no account.
func snapshotARN(region, id string) string { return "arn:aws:ec2:" + region + "::snapshot/" + id }

// ebsAccesses names what the EBS operations act on, with their condition keys; ok is false
// for other operations.
func (s *Store) ebsAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.CreateVolumeInput:
		c := regionCond(region)
		if in.AvailabilityZone != nil {
			c[keyZone] = *in.AvailabilityZone
		}
		t := in.VolumeType
		if t == "" {
			t = types.VolumeTypeGp2
		}
		c[keyVolumeType] = string(t)
		c[keyEncrypted] = strconv.FormatBool(aws.ToBool(in.Encrypted))
		if in.Size != nil {
			c[keyVolumeSize] = strconv.Itoa(int(*in.Size))
		}
		if in.Iops != nil {
			c[keyVolumeIops] = strconv.Itoa(int(*in.Iops))
		}
		if in.Throughput != nil {
			c[keyVolumeThroughput] = strconv.Itoa(int(*in.Throughput))
		}
		if in.SnapshotId != nil {
			c[keyParentSnapshot] = snapshotARN(region, *in.SnapshotId)
		}
		out := access(s.arn(region, "volume/*"), c, specTags(in.TagSpecifications, types.ResourceTypeVolume))
		if in.SnapshotId != nil {
			out = append(out, s.snapshotAccess(region, *in.SnapshotId))
		}
		return out, true
	case *ec2.DeleteVolumeInput:
		return []service.Access{s.volumeAccess(region, aws.ToString(in.VolumeId))}, true
	case *ec2.ModifyVolumeInput:
		return []service.Access{s.volumeAccess(region, aws.ToString(in.VolumeId))}, true
	case *ec2.ModifyVolumeAttributeInput:
		return []service.Access{s.volumeAccess(region, aws.ToString(in.VolumeId))}, true
	case *ec2.AttachVolumeInput:
		return append(s.instanceAccesses(region, []string{aws.ToString(in.InstanceId)}), s.volumeAccess(region, aws.ToString(in.VolumeId))), true
	case *ec2.DetachVolumeInput:
		out := []service.Access{s.volumeAccess(region, aws.ToString(in.VolumeId))}
		if in.InstanceId != nil {
			out = append(s.instanceAccesses(region, []string{*in.InstanceId}), out...)
		}
		return out, true
	case *ec2.CreateSnapshotInput:
		out := []service.Access{s.volumeAccess(region, aws.ToString(in.VolumeId))}
		c := regionCond(region)
		c[keyParentVolume] = s.arn(region, "volume/"+aws.ToString(in.VolumeId))
		return append(out, access(snapshotARN(region, "*"), c, specTags(in.TagSpecifications, types.ResourceTypeSnapshot))...), true
	case *ec2.DeleteSnapshotInput:
		return []service.Access{s.snapshotAccess(region, aws.ToString(in.SnapshotId))}, true
	case *ec2.ModifySnapshotAttributeInput:
		return []service.Access{s.snapshotAccess(region, aws.ToString(in.SnapshotId))}, true
	case *ec2.ResetSnapshotAttributeInput:
		return []service.Access{s.snapshotAccess(region, aws.ToString(in.SnapshotId))}, true
	case *ec2.CopySnapshotInput:
		out := []service.Access{s.snapshotAccess(aws.ToString(in.SourceRegion), aws.ToString(in.SourceSnapshotId))}
		return append(out, access(snapshotARN(region, "*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeSnapshot))...), true
	}
	return nil, false
}

// volumeAccess is the access to volume id, with its keys as the store has it.
func (s *Store) volumeAccess(region, id string) service.Access {
	c := regionCond(region)
	c[keyVolumeID] = id
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		v, ok := r.Volumes[id]
		if !ok {
			return
		}
		sp := v.specAt(s.now())
		c[keyZone] = v.Zone.Name
		c[keyEncrypted] = strconv.FormatBool(v.Encrypted)
		c[keyVolumeType] = string(sp.Type)
		c[keyVolumeSize] = strconv.Itoa(int(sp.Size))
		if p := sp.shownIOPS(); p != nil {
			c[keyVolumeIops] = strconv.Itoa(int(*p))
		}
		if sp.Throughput > 0 {
			c[keyVolumeThroughput] = strconv.Itoa(int(sp.Throughput))
		}
		if v.Snapshot != "" {
			c[keyParentSnapshot] = snapshotARN(region, v.Snapshot)
		}
		c.resourceTags(v.Tags)
	})
	return service.Access{Resource: s.arn(region, "volume/"+id), Context: c}
}

// snapshotAccess is the access to snapshot id, with its keys as the store has it.
func (s *Store) snapshotAccess(region, id string) service.Access {
	c := regionCond(region)
	c[keySnapshotID] = id
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		sn, ok := r.Snapshots[id]
		if !ok {
			return
		}
		c[keyOwner] = s.account
		c[keyEncrypted] = strconv.FormatBool(sn.Encrypted)
		c[keyVolumeSize] = strconv.Itoa(int(sn.Size))
		c[keyParentVolume] = s.arn(region, "volume/"+sn.Volume)
		c[keySnapshotTime] = sn.Started.Format(timeFormat)
		c.resourceTags(sn.Tags)
	})
	return service.Access{Resource: snapshotARN(region, id), Context: c}
}
