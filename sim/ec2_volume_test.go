package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// ebsStart is where the EBS tests' clock stands until they move it.
var ebsStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// ebsCloud returns an account on a stopped clock (Advance moves it) and its EC2 client as root.
func ebsCloud(t *testing.T, b conformance.Backend) (*conformance.Account, *ec2.Client) {
	t.Helper()
	c := b.Open(t, sim.WithClock(func() time.Time { return ebsStart }))
	c.Require(t, conformance.ClockControl)
	return c, ec2Client(t, c)
}

// volumeNow describes one volume as it is now.
func volumeNow(t *testing.T, client *ec2.Client, id string) types.Volume {
	t.Helper()
	out := must(client.DescribeVolumes(context.Background(), &ec2.DescribeVolumesInput{VolumeIds: []string{id}}))(t).Volumes
	if len(out) != 1 {
		t.Fatalf("DescribeVolumes %s = %+v", id, out)
	}
	return out[0]
}

func newVolume(t *testing.T, client *ec2.Client, in ec2.CreateVolumeInput) *ec2.CreateVolumeOutput {
	t.Helper()
	if in.AvailabilityZone == nil && in.AvailabilityZoneId == nil {
		in.AvailabilityZone = aws.String("us-east-1a")
	}
	return must(client.CreateVolume(context.Background(), &in))(t)
}

// CreateVolume's rules per volume type, and its defaults.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html
func TestEC2CreateVolume(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		for _, tc := range []struct {
			name string
			in   ec2.CreateVolumeInput
			code string // "" when it succeeds
			want func(*ec2.CreateVolumeOutput) bool
		}{
			{"gp2 by default", ec2.CreateVolumeInput{Size: aws.Int32(10)}, "", func(v *ec2.CreateVolumeOutput) bool {
				return v.VolumeType == types.VolumeTypeGp2 && *v.Iops == 100 && v.Throughput == nil && v.State == types.VolumeStateCreating &&
					*v.Size == 10 && !*v.Encrypted && *v.SnapshotId == ""
			}},
			{"gp2's baseline is 3 IOPS a GiB", ec2.CreateVolumeInput{Size: aws.Int32(1000)}, "", func(v *ec2.CreateVolumeOutput) bool { return *v.Iops == 3000 }},
			{"gp3 defaults", ec2.CreateVolumeInput{Size: aws.Int32(8), VolumeType: types.VolumeTypeGp3}, "", func(v *ec2.CreateVolumeOutput) bool {
				return *v.Iops == 3000 && *v.Throughput == 125
			}},
			{"gp3 provisioned", ec2.CreateVolumeInput{Size: aws.Int32(100), VolumeType: types.VolumeTypeGp3, Iops: aws.Int32(16000), Throughput: aws.Int32(1000)}, "",
				func(v *ec2.CreateVolumeOutput) bool { return *v.Iops == 16000 && *v.Throughput == 1000 }},
			{"io2", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: types.VolumeTypeIo2, Iops: aws.Int32(10000)}, "", func(v *ec2.CreateVolumeOutput) bool { return *v.Iops == 10000 }},
			{"st1", ec2.CreateVolumeInput{Size: aws.Int32(125), VolumeType: types.VolumeTypeSt1}, "", func(v *ec2.CreateVolumeOutput) bool { return v.Iops == nil }},
			{"by zone ID", ec2.CreateVolumeInput{Size: aws.Int32(1), AvailabilityZoneId: aws.String("use1-az2")}, "", func(v *ec2.CreateVolumeOutput) bool {
				return *v.AvailabilityZone == "us-east-1c"
			}},
			{"no size", ec2.CreateVolumeInput{}, "MissingParameter", nil},
			{"no zone", ec2.CreateVolumeInput{Size: aws.Int32(1), AvailabilityZone: aws.String("")}, "InvalidZone.NotFound", nil},
			{"unknown zone", ec2.CreateVolumeInput{Size: aws.Int32(1), AvailabilityZone: aws.String("us-east-1z")}, "InvalidZone.NotFound", nil},
			{"too big", ec2.CreateVolumeInput{Size: aws.Int32(16385)}, "InvalidParameterValue", nil},
			{"gp3 is bigger", ec2.CreateVolumeInput{Size: aws.Int32(65536), VolumeType: types.VolumeTypeGp3}, "", nil},
			{"st1 too small", ec2.CreateVolumeInput{Size: aws.Int32(100), VolumeType: types.VolumeTypeSt1}, "InvalidParameterValue", nil},
			{"io1 too small", ec2.CreateVolumeInput{Size: aws.Int32(3), VolumeType: types.VolumeTypeIo1, Iops: aws.Int32(100)}, "InvalidParameterValue", nil},
			{"io1 without IOPS", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: types.VolumeTypeIo1}, "MissingParameter", nil},
			{"io1 ratio", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: types.VolumeTypeIo1, Iops: aws.Int32(600)}, "InvalidParameterValue", nil},
			{"gp2 takes no IOPS", ec2.CreateVolumeInput{Size: aws.Int32(10), Iops: aws.Int32(300)}, "InvalidParameterCombination", nil},
			{"io2 takes no throughput", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: types.VolumeTypeIo2, Iops: aws.Int32(100), Throughput: aws.Int32(200)}, "InvalidParameterCombination", nil},
			{"gp3 IOPS too low", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: types.VolumeTypeGp3, Iops: aws.Int32(2000)}, "InvalidParameterValue", nil},
			{"gp3 throughput over its IOPS", ec2.CreateVolumeInput{Size: aws.Int32(100), VolumeType: types.VolumeTypeGp3, Throughput: aws.Int32(1000)}, "InvalidParameterValue", nil},
			{"unknown type", ec2.CreateVolumeInput{Size: aws.Int32(10), VolumeType: "gp9"}, "InvalidParameterValue", nil},
			{"key without encryption", ec2.CreateVolumeInput{Size: aws.Int32(10), KmsKeyId: aws.String("alias/aws/ebs")}, "InvalidParameterDependency", nil},
			{"wrong tag type", ec2.CreateVolumeInput{Size: aws.Int32(10), TagSpecifications: nameTag(types.ResourceTypeInstance, "x")}, "InvalidParameterValue", nil},
			{"no such snapshot", ec2.CreateVolumeInput{SnapshotId: aws.String("snap-0123456789abcdef0")}, "InvalidSnapshot.NotFound", nil},
			{"malformed snapshot", ec2.CreateVolumeInput{SnapshotId: aws.String("snap-x")}, "InvalidSnapshotID.Malformed", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				if in.AvailabilityZone == nil && in.AvailabilityZoneId == nil {
					in.AvailabilityZone = aws.String("us-east-1a")
				}
				out, err := client.CreateVolume(ctx, &in)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(*out.VolumeId, "vol-") || len(*out.VolumeId) != len("vol-")+17 || !out.CreateTime.Equal(ebsStart) {
					t.Errorf("volume = %+v", out)
				}
				if tc.want != nil && !tc.want(out) {
					t.Errorf("volume = %s", must(jsonOf(out))(t))
				}
			})
		}

		// Encrypted, with the account's aws/ebs key unless told.
		enc := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1), Encrypted: aws.Bool(true), TagSpecifications: nameTag(types.ResourceTypeVolume, "data")})
		if !*enc.Encrypted || !strings.HasPrefix(*enc.KmsKeyId, "arn:aws:kms:us-east-1:"+sim.DefaultAccount+":key/") || *enc.Tags[0].Value != "data" {
			t.Errorf("encrypted volume = %+v", enc)
		}
		mine := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1), Encrypted: aws.Bool(true), KmsKeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
		if *mine.KmsKeyId != "arn:aws:kms:us-east-1:"+sim.DefaultAccount+":key/1234abcd-12ab-34cd-56ef-1234567890ab" {
			t.Errorf("key = %s", *mine.KmsKeyId)
		}

		// A client token makes a retry answer the first call.
		first := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(2), ClientToken: aws.String("once")})
		again := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(2), ClientToken: aws.String("once")})
		if *first.VolumeId != *again.VolumeId {
			t.Errorf("a retry made %s after %s", *again.VolumeId, *first.VolumeId)
		}

		// creating, then available on the clock.
		if v := volumeNow(t, client, *enc.VolumeId); v.State != types.VolumeStateCreating || len(v.Attachments) != 0 {
			t.Errorf("just made: %s", v.State)
		}
		c.Advance(t, 5*time.Second)
		if v := volumeNow(t, client, *enc.VolumeId); v.State != types.VolumeStateAvailable {
			t.Errorf("five seconds later: %s", v.State)
		}
	})
}

// Attaching and detaching on the clock, a volume per device, its zone, and what DescribeVolumes'
// filters and DescribeInstances show.
func TestEC2AttachVolume(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
		root := *i.BlockDeviceMappings[0].Ebs.VolumeId
		vol := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(10)}).VolumeId
		other := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(10), AvailabilityZone: aws.String("us-east-1b")}).VolumeId

		attach := func(vol, dev string) (*ec2.AttachVolumeOutput, error) {
			return client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(vol), InstanceId: i.InstanceId, Device: aws.String(dev)})
		}
		_, err := attach(vol, "/dev/sdf")
		wantCode(t, err, "IncorrectState") // still creating
		c.Advance(t, 5*time.Second)
		_, err = attach(other, "/dev/sdf")
		wantCode(t, err, "InvalidVolume.ZoneMismatch")
		_, err = attach(vol, "sdf")
		wantCode(t, err, "InvalidParameterValue")
		_, err = attach(vol, "/dev/xvda")
		wantCode(t, err, "InvalidParameterValue") // the root's
		_, err = attach("vol-0123456789abcdef0", "/dev/sdf")
		wantCode(t, err, "InvalidVolume.NotFound")

		out := must(attach(vol, "/dev/sdf"))(t)
		if out.State != types.VolumeAttachmentStateAttaching || *out.Device != "/dev/sdf" || *out.DeleteOnTermination {
			t.Errorf("AttachVolume = %+v", out)
		}
		v := volumeNow(t, client, vol)
		if v.State != types.VolumeStateInUse || v.Attachments[0].State != types.VolumeAttachmentStateAttaching {
			t.Errorf("attaching volume = %+v", v)
		}
		_, err = attach(vol, "/dev/sdg")
		wantCode(t, err, "VolumeInUse")
		_, err = client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(vol)})
		wantCode(t, err, "VolumeInUse")
		c.Advance(t, 5*time.Second)
		if v := volumeNow(t, client, vol); v.Attachments[0].State != types.VolumeAttachmentStateAttached || *v.Attachments[0].InstanceId != *i.InstanceId {
			t.Errorf("attached volume = %+v", v.Attachments)
		}

		// The instance lists both, root first; the filters find them.
		bdm := describeInstance(t, client, *i.InstanceId).BlockDeviceMappings
		if len(bdm) != 2 || *bdm[0].Ebs.VolumeId != root || *bdm[0].DeviceName != "/dev/xvda" || *bdm[1].Ebs.VolumeId != vol || *bdm[1].DeviceName != "/dev/sdf" {
			t.Errorf("block devices = %s", must(jsonOf(bdm))(t))
		}
		for _, tc := range []struct {
			name string
			f    []types.Filter
			want int
		}{
			{"attachment.instance-id", []types.Filter{filter("attachment.instance-id", *i.InstanceId)}, 2},
			{"status", []types.Filter{filter("status", "available")}, 1},
			{"in-use gp2 of 10", []types.Filter{filter("status", "in-use"), filter("size", "10"), filter("volume-type", "gp2")}, 1},
			{"availability-zone", []types.Filter{filter("availability-zone", "us-east-1b")}, 1},
			{"attachment.device", []types.Filter{filter("attachment.device", "/dev/sd*")}, 1},
			{"attachment.delete-on-termination", []types.Filter{filter("attachment.delete-on-termination", "true")}, 1},
		} {
			got := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: tc.f}))(t).Volumes
			if len(got) != tc.want {
				t.Errorf("%s: %d volumes, want %d", tc.name, len(got), tc.want)
			}
		}
		_, err = client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{filter("colour", "red")}})
		wantCode(t, err, "InvalidParameterValue")

		// The root of a running instance stays; the other detaches on the clock.
		_, err = client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(root)})
		wantCode(t, err, "IncorrectInstanceState")
		_, err = client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(vol), Device: aws.String("/dev/sdg")})
		wantCode(t, err, "InvalidAttachment.NotFound")
		d := must(client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(vol)}))(t)
		if d.State != types.VolumeAttachmentStateDetaching {
			t.Errorf("DetachVolume = %s", d.State)
		}
		_, err = client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(vol)})
		wantCode(t, err, "IncorrectState")
		if v := volumeNow(t, client, vol); v.State != types.VolumeStateInUse || v.Attachments[0].State != types.VolumeAttachmentStateDetaching {
			t.Errorf("detaching volume = %+v", v)
		}
		c.Advance(t, 5*time.Second)
		if v := volumeNow(t, client, vol); v.State != types.VolumeStateAvailable || len(v.Attachments) != 0 {
			t.Errorf("detached volume = %+v", v)
		}
		_, err = client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(vol)})
		wantCode(t, err, "IncorrectState")

		// Force ends a detach at once; a stopped instance's root may go.
		must(attach(vol, "/dev/sdf"))(t)
		must(client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(vol), Force: aws.Bool(true)}))(t)
		if v := volumeNow(t, client, vol); v.State != types.VolumeStateAvailable {
			t.Errorf("force-detached volume is %s", v.State)
		}
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
		must(client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(root)}))(t)
		must(client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(vol)}))(t)
		_, err = client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{vol}})
		wantCode(t, err, "InvalidVolume.NotFound")
	})
}

// RunInstances makes the root volume from the image and the request's block device mappings;
// terminating deletes the volumes marked DeleteOnTermination and detaches the others.
func TestEC2RootVolumes(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		_, client := ebsCloud(t, b)
		al := imageID(t, client, "al2023-ami-*-x86_64")
		launch := func(bdm ...types.BlockDeviceMapping) (*ec2.RunInstancesOutput, error) {
			return client.RunInstances(ctx, &ec2.RunInstancesInput{
				ImageId: aws.String(al), InstanceType: types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				BlockDeviceMappings: bdm, TagSpecifications: nameTag(types.ResourceTypeVolume, "web-disk"),
			})
		}
		ebs := func(dev string, e types.EbsBlockDevice) types.BlockDeviceMapping {
			return types.BlockDeviceMapping{DeviceName: aws.String(dev), Ebs: &e}
		}
		for _, tc := range []struct {
			name string
			bdm  []types.BlockDeviceMapping
			code string
		}{
			{"root under the snapshot", []types.BlockDeviceMapping{ebs("/dev/xvda", types.EbsBlockDevice{VolumeSize: aws.Int32(4)})}, "InvalidBlockDeviceMapping"},
			{"bad device", []types.BlockDeviceMapping{ebs("/dev/hdq", types.EbsBlockDevice{VolumeSize: aws.Int32(4)})}, "InvalidParameterValue"},
			{"no size", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{})}, "InvalidBlockDeviceMapping"},
			{"root suppressed", []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), NoDevice: aws.String("")}}, "InvalidBlockDeviceMapping"},
			{"st1 too small", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{VolumeSize: aws.Int32(50), VolumeType: types.VolumeTypeSt1})}, "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := launch(tc.bdm...)
				wantCode(t, err, tc.code)
			})
		}
		if n := instanceCount(t, client); n != 0 {
			t.Fatalf("refused launches left %d instances", n)
		}

		out := must(launch(
			ebs("/dev/xvda", types.EbsBlockDevice{VolumeSize: aws.Int32(20)}),
			ebs("/dev/sdf", types.EbsBlockDevice{VolumeSize: aws.Int32(125), VolumeType: types.VolumeTypeSt1}), // kept at termination by default
			types.BlockDeviceMapping{DeviceName: aws.String("/dev/sdb"), VirtualName: aws.String("ephemeral0")},
		))(t).Instances[0]
		if out.RootDeviceType != types.DeviceTypeEbs || *out.RootDeviceName != "/dev/xvda" || len(out.BlockDeviceMappings) != 2 {
			t.Fatalf("instance's devices = %+v", out.BlockDeviceMappings)
		}
		vols := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{filter("attachment.instance-id", *out.InstanceId)}}))(t).Volumes
		if len(vols) != 2 {
			t.Fatalf("%d volumes attached", len(vols))
		}
		byDevice := map[string]types.Volume{}
		for _, v := range vols {
			byDevice[*v.Attachments[0].Device] = v
		}
		rootVol, data := byDevice["/dev/xvda"], byDevice["/dev/sdf"]
		for what, ok := range map[string]bool{
			"root size and type": *rootVol.Size == 20 && rootVol.VolumeType == types.VolumeTypeGp3 && *rootVol.Iops == 3000 && *rootVol.Throughput == 125,
			"root from snapshot": strings.HasPrefix(*rootVol.SnapshotId, "snap-") && *rootVol.Attachments[0].DeleteOnTermination,
			"root in use":        rootVol.State == types.VolumeStateInUse && rootVol.Attachments[0].State == types.VolumeAttachmentStateAttached,
			"data volume":        *data.Size == 125 && data.VolumeType == types.VolumeTypeSt1 && !*data.Attachments[0].DeleteOnTermination && *data.SnapshotId == "",
			"tags":               len(rootVol.Tags) == 1 && *rootVol.Tags[0].Value == "web-disk" && len(data.Tags) == 1,
			"zone":               *rootVol.AvailabilityZone == *out.Placement.AvailabilityZone,
		} {
			if !ok {
				t.Errorf("wrong %s: %s", what, must(jsonOf(vols))(t))
			}
		}

		// DeleteOnTermination changes with ModifyInstanceAttribute.
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: out.InstanceId,
			BlockDeviceMappings: []types.InstanceBlockDeviceMappingSpecification{{DeviceName: aws.String("/dev/xvda"),
				Ebs: &types.EbsInstanceBlockDeviceSpecification{DeleteOnTermination: aws.Bool(false)}}}}))(t)
		_, err := client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: out.InstanceId,
			BlockDeviceMappings: []types.InstanceBlockDeviceMappingSpecification{{DeviceName: aws.String("/dev/sdz"),
				Ebs: &types.EbsInstanceBlockDeviceSpecification{DeleteOnTermination: aws.Bool(false)}}}})
		wantCode(t, err, "InvalidInstanceAttributeValue")
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: out.InstanceId,
			BlockDeviceMappings: []types.InstanceBlockDeviceMappingSpecification{{DeviceName: aws.String("/dev/xvda"),
				Ebs: &types.EbsInstanceBlockDeviceSpecification{DeleteOnTermination: aws.Bool(true)}}}}))(t)
		attr := must(client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: out.InstanceId, Attribute: types.InstanceAttributeNameBlockDeviceMapping}))(t)
		if len(attr.BlockDeviceMappings) != 2 || !*attr.BlockDeviceMappings[0].Ebs.DeleteOnTermination {
			t.Errorf("blockDeviceMapping attribute = %s", must(jsonOf(attr.BlockDeviceMappings))(t))
		}

		// Terminated: the root is gone, the data volume stays, available.
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*out.InstanceId}}))(t)
		_, err = client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{*rootVol.VolumeId}})
		wantCode(t, err, "InvalidVolume.NotFound")
		if v := volumeNow(t, client, *data.VolumeId); v.State != types.VolumeStateAvailable || len(v.Attachments) != 0 {
			t.Errorf("after terminate, the data volume = %+v", v)
		}
	})
}

// An instance-store-backed image's instance cannot stop: only reboot and terminate.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html
func TestEC2InstanceStoreRoot(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		c.Require(t, conformance.Simulator) // the stand-in image is the simulator's
		im := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{IncludeDeprecated: aws.Bool(true),
			Filters: []types.Filter{filter("root-device-type", "instance-store")}}))(t).Images
		if len(im) != 1 || len(im[0].BlockDeviceMappings) != 1 || *im[0].BlockDeviceMappings[0].VirtualName != "ephemeral0" {
			t.Fatalf("instance-store images = %s", must(jsonOf(im))(t))
		}
		i := run(t, client, ec2.RunInstancesInput{ImageId: im[0].ImageId, InstanceType: types.InstanceTypeM1Small})[0]
		if i.RootDeviceType != types.DeviceTypeInstanceStore || len(i.BlockDeviceMappings) != 0 {
			t.Errorf("instance-store instance = %s, %+v", i.RootDeviceType, i.BlockDeviceMappings)
		}
		_, err := client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*i.InstanceId}})
		wantCode(t, err, "UnsupportedOperation")
		must(client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
	})
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Snapshots: pending with their progress on the clock, then completed; volumes from them.
func TestEC2Snapshots(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		vol := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(8), VolumeType: types.VolumeTypeGp3}).VolumeId
		_, err := client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(vol)})
		wantCode(t, err, "IncorrectState") // creating
		c.Advance(t, 5*time.Second)
		sn := must(client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(vol), Description: aws.String("before the upgrade"),
			TagSpecifications: nameTag(types.ResourceTypeSnapshot, "backup")}))(t)
		if sn.State != types.SnapshotStatePending || *sn.Progress != "0%" || *sn.VolumeSize != 8 || *sn.OwnerId != sim.DefaultAccount || *sn.Tags[0].Value != "backup" {
			t.Errorf("CreateSnapshot = %s", must(jsonOf(sn))(t))
		}
		snapNow := func(id string) types.Snapshot {
			out := must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}}))(t).Snapshots
			if len(out) != 1 {
				t.Fatalf("DescribeSnapshots %s = %+v", id, out)
			}
			return out[0]
		}
		c.Advance(t, time.Minute)
		if s := snapNow(*sn.SnapshotId); s.State != types.SnapshotStatePending || *s.Progress != "50%" {
			t.Errorf("a minute later: %s %s", s.State, *s.Progress)
		}
		// A volume can be made from a pending snapshot, at its size or more.
		_, err = client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), SnapshotId: sn.SnapshotId, Size: aws.Int32(4)})
		wantCode(t, err, "InvalidParameterValue")
		restored := newVolume(t, client, ec2.CreateVolumeInput{SnapshotId: sn.SnapshotId, AvailabilityZone: aws.String("us-east-1b")})
		if *restored.Size != 8 || *restored.SnapshotId != *sn.SnapshotId || *restored.AvailabilityZone != "us-east-1b" {
			t.Errorf("restored = %+v", restored)
		}
		bigger := newVolume(t, client, ec2.CreateVolumeInput{SnapshotId: sn.SnapshotId, Size: aws.Int32(20), VolumeType: types.VolumeTypeGp3})
		if *bigger.Size != 20 {
			t.Errorf("bigger = %d GiB", *bigger.Size)
		}
		c.Advance(t, time.Minute)
		done := snapNow(*sn.SnapshotId)
		if done.State != types.SnapshotStateCompleted || *done.Progress != "100%" || !done.CompletionTime.Equal(ebsStart.Add(5*time.Second+2*time.Minute)) {
			t.Errorf("two minutes later: %s", must(jsonOf(done))(t))
		}

		// Filters, owners and pages.
		for k := range 6 {
			must(client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(vol), Description: aws.String(fmt.Sprint("nightly ", k))}))(t)
		}
		for _, tc := range []struct {
			name string
			in   ec2.DescribeSnapshotsInput
			want int
		}{
			{"all", ec2.DescribeSnapshotsInput{}, 7},
			{"self", ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}, 7},
			{"the account", ec2.DescribeSnapshotsInput{OwnerIds: []string{sim.DefaultAccount}}, 7},
			{"amazon's", ec2.DescribeSnapshotsInput{OwnerIds: []string{"amazon"}}, 0},
			{"pending", ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("status", "pending")}}, 6},
			{"description", ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("description", "nightly*")}}, 6},
			{"tag", ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("tag:Name", "backup")}}, 1},
			{"volume", ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("volume-id", vol)}}, 7},
		} {
			got := must(client.DescribeSnapshots(ctx, &tc.in))(t).Snapshots
			if len(got) != tc.want {
				t.Errorf("%s: %d snapshots, want %d", tc.name, len(got), tc.want)
			}
		}
		var seen []string
		pages := ec2.NewDescribeSnapshotsPaginator(client, &ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(5), OwnerIds: []string{"self"}})
		for pages.HasMorePages() {
			for _, s := range must(pages.NextPage(ctx))(t).Snapshots {
				seen = append(seen, *s.SnapshotId)
			}
		}
		if len(seen) != 7 || seen[0] != *sn.SnapshotId {
			t.Errorf("pages = %v", seen)
		}
		_, err = client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{"snap-0123456789abcdef0"}})
		wantCode(t, err, "InvalidSnapshot.NotFound")

		// Copied to another region: a new snapshot there, pending again.
		eu := ec2Client(t, c, conformance.WithRegion("eu-west-1"))
		cp := must(eu.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-east-1"), SourceSnapshotId: sn.SnapshotId}))(t)
		copied := must(eu.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{*cp.SnapshotId}}))(t).Snapshots[0]
		if copied.State != types.SnapshotStatePending || *copied.VolumeSize != 8 || !strings.Contains(*copied.Description, *sn.SnapshotId) {
			t.Errorf("copy = %s", must(jsonOf(copied))(t))
		}
		_, err = eu.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-east-1"), SourceSnapshotId: aws.String("snap-0123456789abcdef0")})
		wantCode(t, err, "InvalidSnapshot.NotFound")

		// Deleted; an image's snapshot is refused, a missing one not found.
		must(client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: sn.SnapshotId}))(t)
		_, err = client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: sn.SnapshotId})
		wantCode(t, err, "InvalidSnapshot.NotFound")
		if v := volumeNow(t, client, *restored.VolumeId); *v.SnapshotId != *sn.SnapshotId {
			t.Errorf("a volume still names the snapshot it came from: %s", *v.SnapshotId)
		}
	})
}

// ModifyVolume: size only grows; modifying → optimizing → completed on the clock; at most four
// modifications a day, each after the one before completed.
func TestEC2ModifyVolume(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		vol := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(10)}).VolumeId
		c.Advance(t, 5*time.Second)
		modify := func(in ec2.ModifyVolumeInput) (*ec2.ModifyVolumeOutput, error) {
			in.VolumeId = aws.String(vol)
			return client.ModifyVolume(ctx, &in)
		}
		_, err := modify(ec2.ModifyVolumeInput{Size: aws.Int32(5)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = modify(ec2.ModifyVolumeInput{Size: aws.Int32(10)})
		wantCode(t, err, "InvalidParameterCombination")
		_, err = modify(ec2.ModifyVolumeInput{VolumeType: types.VolumeTypeIo1})
		wantCode(t, err, "MissingParameter")
		_, err = modify(ec2.ModifyVolumeInput{VolumeType: types.VolumeTypeStandard})
		wantCode(t, err, "UnsupportedOperation")
		_, err = client.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{VolumeIds: []string{vol}})
		wantCode(t, err, "InvalidVolumeModification.NotFound")

		m := must(modify(ec2.ModifyVolumeInput{Size: aws.Int32(20), VolumeType: types.VolumeTypeGp3}))(t).VolumeModification
		if m.ModificationState != types.VolumeModificationStateModifying || *m.OriginalSize != 10 || *m.TargetSize != 20 ||
			m.OriginalVolumeType != types.VolumeTypeGp2 || m.TargetVolumeType != types.VolumeTypeGp3 || *m.TargetIops != 3000 || *m.TargetThroughput != 125 || *m.Progress != 0 {
			t.Errorf("ModifyVolume = %s", must(jsonOf(m))(t))
		}
		_, err = modify(ec2.ModifyVolumeInput{Size: aws.Int32(30)})
		wantCode(t, err, "IncorrectModificationState")
		if v := volumeNow(t, client, vol); *v.Size != 10 || v.VolumeType != types.VolumeTypeGp2 {
			t.Errorf("while modifying, the volume is %d GiB %s", *v.Size, v.VolumeType)
		}
		modNow := func() types.VolumeModification {
			out := must(client.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{VolumeIds: []string{vol}}))(t).VolumesModifications
			if len(out) != 1 {
				t.Fatalf("modifications = %+v", out)
			}
			return out[0]
		}
		c.Advance(t, time.Minute)
		if got := modNow(); got.ModificationState != types.VolumeModificationStateOptimizing {
			t.Errorf("a minute later: %s", got.ModificationState)
		}
		if v := volumeNow(t, client, vol); *v.Size != 20 || v.VolumeType != types.VolumeTypeGp3 || *v.Iops != 3000 {
			t.Errorf("optimizing, the volume is %d GiB %s", *v.Size, v.VolumeType)
		}
		c.Advance(t, 10*time.Minute)
		if got := modNow(); got.ModificationState != types.VolumeModificationStateCompleted || *got.Progress != 100 || got.EndTime == nil {
			t.Errorf("eleven minutes later: %s", must(jsonOf(got))(t))
		}
		all := must(client.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{Filters: []types.Filter{filter("modification-state", "completed")}}))(t)
		if len(all.VolumesModifications) != 1 {
			t.Errorf("completed modifications = %d", len(all.VolumesModifications))
		}

		// Three more today, then no more until a day after the first.
		for _, size := range []int32{30, 40, 50} {
			must(modify(ec2.ModifyVolumeInput{Size: aws.Int32(size)}))(t)
			c.Advance(t, 11*time.Minute)
		}
		_, err = modify(ec2.ModifyVolumeInput{Size: aws.Int32(60)})
		wantCode(t, err, "VolumeModificationRateExceeded")
		c.Advance(t, 24*time.Hour)
		must(modify(ec2.ModifyVolumeInput{Iops: aws.Int32(4000)}))(t)
	})
}

// Encryption by default, per region: new volumes are encrypted with the region's default key.
func TestEC2EncryptionByDefault(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		if got := must(client.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}))(t); *got.EbsEncryptionByDefault {
			t.Fatal("encryption by default is on in a new account")
		}
		must(client.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}))(t)
		if !*must(client.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}))(t).EbsEncryptionByDefault {
			t.Error("still off after EnableEbsEncryptionByDefault")
		}
		if *must(ec2Client(t, c, conformance.WithRegion("eu-west-1")).GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}))(t).EbsEncryptionByDefault {
			t.Error("encryption by default is per region: on in eu-west-1 too")
		}
		if k := must(client.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{}))(t).KmsKeyId; *k != "alias/aws/ebs" {
			t.Errorf("default key = %s", *k)
		}
		v := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1), Encrypted: aws.Bool(false)})
		if !*v.Encrypted || !strings.Contains(*v.KmsKeyId, ":key/") {
			t.Errorf("volume under encryption by default = %+v", v)
		}
		i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
		if root := volumeNow(t, client, *i.BlockDeviceMappings[0].Ebs.VolumeId); !*root.Encrypted {
			t.Error("the root volume of a new instance is not encrypted")
		}
		must(client.ModifyEbsDefaultKmsKeyId(ctx, &ec2.ModifyEbsDefaultKmsKeyIdInput{KmsKeyId: aws.String("alias/team")}))(t)
		if v := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1)}); *v.KmsKeyId != "arn:aws:kms:us-east-1:"+sim.DefaultAccount+":alias/team" {
			t.Errorf("volume's key = %s", *v.KmsKeyId)
		}
		must(client.ResetEbsDefaultKmsKeyId(ctx, &ec2.ResetEbsDefaultKmsKeyIdInput{}))(t)
		must(client.DisableEbsEncryptionByDefault(ctx, &ec2.DisableEbsEncryptionByDefaultInput{}))(t)
		if v := newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1)}); *v.Encrypted {
			t.Error("encrypted after DisableEbsEncryptionByDefault")
		}
	})
}

// The volume's ARN and condition keys: ec2:VolumeType, ec2:VolumeSize, aws:RequestTag on
// CreateVolume; ec2:ResourceTag on an existing volume; AttachVolume on both instance and volume.
func TestEC2VolumeConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, root := ebsCloud(t, b)
		c.Require(t, conformance.EnforcesIAM)
		user := policyClient(t, c, "storage", `
			{"Effect":"Allow","Action":"ec2:CreateVolume","Resource":"arn:aws:ec2:*:*:volume/*","Condition":{"StringEquals":{"ec2:VolumeType":"gp3","aws:RequestTag/team":"data"},"NumericLessThanEquals":{"ec2:VolumeSize":"100"}}},
			{"Effect":"Allow","Action":["ec2:DeleteVolume","ec2:AttachVolume"],"Resource":"arn:aws:ec2:*:*:volume/*","Condition":{"StringEquals":{"ec2:ResourceTag/team":"data"}}},
			{"Effect":"Allow","Action":"ec2:AttachVolume","Resource":"arn:aws:ec2:*:*:instance/*"},
			{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateVolume"}}}`)
		team := []types.TagSpecification{tagSpec(types.ResourceTypeVolume, "team", "data")}
		create := func(typ types.VolumeType, size int32, specs []types.TagSpecification) (*ec2.CreateVolumeOutput, error) {
			return user.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(size), VolumeType: typ, TagSpecifications: specs})
		}
		_, err := create(types.VolumeTypeGp2, 10, team)
		wantCode(t, err, "UnauthorizedOperation")
		_, err = create(types.VolumeTypeGp3, 200, team)
		wantCode(t, err, "UnauthorizedOperation")
		_, err = create(types.VolumeTypeGp3, 10, nil)
		wantCode(t, err, "UnauthorizedOperation")
		mine := must(create(types.VolumeTypeGp3, 10, team))(t)
		theirs := newVolume(t, root, ec2.CreateVolumeInput{Size: aws.Int32(10)})
		_, err = user.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: theirs.VolumeId})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(apiMessage(t, err), "ec2:DeleteVolume on resource: arn:aws:ec2:us-east-1:"+sim.DefaultAccount+":volume/"+*theirs.VolumeId) {
			t.Errorf("refusal = %s", apiMessage(t, err))
		}
		c.Advance(t, 5*time.Second)
		i := run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
		_, err = user.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: theirs.VolumeId, InstanceId: i.InstanceId, Device: aws.String("/dev/sdf")})
		wantCode(t, err, "UnauthorizedOperation")
		must(user.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: mine.VolumeId, InstanceId: i.InstanceId, Device: aws.String("/dev/sdf")}))(t)
		_, err = user.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// Many goroutines making, attaching, snapshotting, detaching and deleting volumes at once.
func TestEC2VolumesRace(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	i := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t).Instances[0]
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 5 {
				v, err := client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(int32(1 + k))})
				if err != nil {
					t.Error(err)
					return
				}
				c.Advance(5 * time.Second)
				dev := fmt.Sprintf("/dev/sd%c", 'f'+g%10)
				if _, err := client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: v.VolumeId, InstanceId: i.InstanceId, Device: aws.String(dev)}); err == nil {
					client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: v.VolumeId, Force: aws.Bool(true)})
				} else if ae := (smithy.APIError)(nil); !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" {
					t.Errorf("attach: %v", err) // only a device another goroutine holds may refuse
				}
				if _, err := client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: v.VolumeId}); err != nil {
					t.Error(err)
				}
				if _, err := client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}); err != nil {
					t.Error(err)
				}
				if _, err := client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: v.VolumeId}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	vols := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}))(t).Volumes
	snaps := must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{}))(t).Snapshots
	if len(vols) != 1 || len(snaps) != 80 {
		t.Errorf("%d volumes (want the root alone), %d snapshots (want 80)", len(vols), len(snaps))
	}
}

// apiMessage returns the message of an AWS error.
func apiMessage(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorMessage()
}

// Volumes, their attachments and modifications, snapshots and the region's encryption setting
// survive Close and Open.
func TestEC2VolumesPersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	i := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t).Instances[0]
	must(client.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}))(t)
	v := must(client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: i.Placement.AvailabilityZone, Size: aws.Int32(10),
		TagSpecifications: nameTag(types.ResourceTypeVolume, "data")}))(t)
	c.Advance(5 * time.Second)
	must(client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: v.VolumeId, InstanceId: i.InstanceId, Device: aws.String("/dev/sdf")}))(t)
	must(client.ModifyVolume(ctx, &ec2.ModifyVolumeInput{VolumeId: v.VolumeId, Size: aws.Int32(20)}))(t)
	sn := must(client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: v.VolumeId}))(t)
	before := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}))(t).Volumes
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	after := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}))(t).Volumes
	if a, b := must(jsonOf(after))(t), must(jsonOf(before))(t); a != b {
		t.Errorf("volumes after Open:\n%s\nbefore:\n%s", a, b)
	}
	if m := must(client.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{VolumeIds: []string{*v.VolumeId}}))(t).VolumesModifications; len(m) != 1 || *m[0].TargetSize != 20 {
		t.Errorf("modifications after Open = %+v", m)
	}
	if s := must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{*sn.SnapshotId}}))(t).Snapshots; len(s) != 1 || !*s[0].Encrypted {
		t.Errorf("snapshots after Open = %+v", s)
	}
	if !*must(client.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}))(t).EbsEncryptionByDefault {
		t.Error("encryption by default is off after Open")
	}
}

// BenchmarkDescribeVolumes lists 50 volumes, 10 of them attached to instances, tagged, as
// alex, beside the floor.
func BenchmarkDescribeVolumes(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := ec2.NewFromConfig(c.Config())
	if _, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(10), MaxCount: aws.Int32(10),
		InstanceType: types.InstanceTypeT2Micro, TagSpecifications: nameTag(types.ResourceTypeVolume, "root")}); err != nil {
		b.Fatal(err)
	}
	for range 40 {
		if _, err := client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10),
			VolumeType: types.VolumeTypeGp3, TagSpecifications: nameTag(types.ResourceTypeVolume, "data")}); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := ec2.NewFromConfig(cfg).DescribeVolumes(ctx, &ec2.DescribeVolumesInput{})
		if err == nil && len(out.Volumes) != 50 {
			err = fmt.Errorf("%d volumes, want 50", len(out.Volumes))
		}
		return err
	})
}

// DescribeVolumes pages; a Windows instance takes Windows' device names.
func TestEC2VolumePagesAndWindowsDevices(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		var made []string
		for range 12 {
			made = append(made, *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1)}).VolumeId)
		}
		var seen []string
		pages := ec2.NewDescribeVolumesPaginator(client, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(5)})
		n := 0
		for pages.HasMorePages() {
			n++
			for _, v := range must(pages.NextPage(ctx))(t).Volumes {
				seen = append(seen, *v.VolumeId)
			}
		}
		if n != 3 || strings.Join(seen, ",") != strings.Join(made, ",") {
			t.Errorf("%d pages: %v, want %v", n, seen, made)
		}
		_, err := client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(4)})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: made[:1], MaxResults: aws.Int32(5)})
		wantCode(t, err, "InvalidParameterCombination")

		win := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, client, "Windows_Server-2022-English-Full-Base-*")), InstanceType: types.InstanceTypeT3Micro})[0]
		c.Advance(t, 5*time.Second)
		_, err = client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(made[0]), InstanceId: win.InstanceId, Device: aws.String("/dev/xvdf")})
		wantCode(t, err, "InvalidParameterValue")
		must(client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(made[0]), InstanceId: win.InstanceId, Device: aws.String("xvdf")}))(t)
		if bdm := win.BlockDeviceMappings; len(bdm) != 1 || *bdm[0].DeviceName != "/dev/sda1" || *volumeNow(t, client, *bdm[0].Ebs.VolumeId).Size != 30 {
			t.Errorf("Windows root = %+v", bdm)
		}
	})
}

// A stopped instance's root volume may be swapped: detached, and another attached at the root
// device, which is then the root that a running instance keeps.
func TestEC2SwapRootVolume(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
		old := *i.BlockDeviceMappings[0].Ebs.VolumeId
		spare := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(16), AvailabilityZone: i.Placement.AvailabilityZone}).VolumeId
		c.Advance(t, 5*time.Second)
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
		must(client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(old)}))(t)
		c.Advance(t, 5*time.Second)
		must(client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(spare), InstanceId: i.InstanceId, Device: aws.String("/dev/xvda")}))(t)
		c.Advance(t, 5*time.Second)
		must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
		_, err := client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(spare)})
		wantCode(t, err, "IncorrectInstanceState")
		if bdm := describeInstance(t, client, *i.InstanceId).BlockDeviceMappings; len(bdm) != 1 || *bdm[0].Ebs.VolumeId != spare {
			t.Errorf("block devices after the swap = %s", must(jsonOf(bdm))(t))
		}
		must(client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(old)}))(t)
	})
}

// Volume status checks and the autoEnableIO attribute.
func TestEC2VolumeStatusAndAttributes(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		vol := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1)}).VolumeId
		status := func() types.VolumeStatusItem {
			out := must(client.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{VolumeIds: []string{vol}}))(t).VolumeStatuses
			if len(out) != 1 {
				t.Fatalf("DescribeVolumeStatus = %+v", out)
			}
			return out[0]
		}
		if st := status(); st.VolumeStatus.Status != types.VolumeStatusInfoStatusInsufficientData {
			t.Errorf("creating: %s", st.VolumeStatus.Status)
		}
		c.Advance(t, 5*time.Second)
		if st := status(); st.VolumeStatus.Status != types.VolumeStatusInfoStatusOk || *st.VolumeStatus.Details[0].Status != "passed" {
			t.Errorf("available: %s", must(jsonOf(st))(t))
		}
		ok := must(client.DescribeVolumeStatus(ctx, &ec2.DescribeVolumeStatusInput{Filters: []types.Filter{filter("volume-status.status", "ok")}}))(t)
		if len(ok.VolumeStatuses) != 1 {
			t.Errorf("volume-status.status=ok finds %d", len(ok.VolumeStatuses))
		}

		attr := must(client.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: aws.String(vol), Attribute: types.VolumeAttributeNameAutoEnableIO}))(t)
		if *attr.AutoEnableIO.Value {
			t.Error("autoEnableIO is on by default")
		}
		must(client.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: aws.String(vol), AutoEnableIO: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		attr = must(client.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: aws.String(vol), Attribute: types.VolumeAttributeNameAutoEnableIO}))(t)
		if !*attr.AutoEnableIO.Value {
			t.Error("autoEnableIO is off after ModifyVolumeAttribute")
		}
		_, err := client.ModifyVolumeAttribute(ctx, &ec2.ModifyVolumeAttributeInput{VolumeId: aws.String(vol)})
		wantCode(t, err, "InvalidParameterCombination")
		_, err = client.DescribeVolumeAttribute(ctx, &ec2.DescribeVolumeAttributeInput{VolumeId: aws.String(vol), Attribute: "colour"})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// A snapshot shared with an account, made public, and private again; encrypted ones are not
// made public, nor shared under the AWS managed key.
func TestEC2SnapshotPermissions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		vol := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1)}).VolumeId
		enc := *newVolume(t, client, ec2.CreateVolumeInput{Size: aws.Int32(1), Encrypted: aws.Bool(true)}).VolumeId
		c.Advance(t, 5*time.Second)
		sn := must(client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(vol)}))(t).SnapshotId
		encSn := must(client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(enc)}))(t).SnapshotId
		perms := func(id *string) string {
			out := must(client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: id, Attribute: types.SnapshotAttributeNameCreateVolumePermission}))(t)
			var s []string
			for _, p := range out.CreateVolumePermissions {
				s = append(s, string(p.Group)+aws.ToString(p.UserId))
			}
			return strings.Join(s, ",")
		}
		if p := perms(sn); p != "" {
			t.Errorf("a new snapshot's permissions = %q", p)
		}
		must(client.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: sn, Attribute: types.SnapshotAttributeNameCreateVolumePermission,
			OperationType: types.OperationTypeAdd, UserIds: []string{"111122223333"}}))(t)
		must(client.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: sn,
			CreateVolumePermission: &types.CreateVolumePermissionModifications{Add: []types.CreateVolumePermission{{Group: types.PermissionGroupAll}}}}))(t)
		if p := perms(sn); p != "all,111122223333" {
			t.Errorf("shared and public: %q", p)
		}
		must(client.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: sn, OperationType: types.OperationTypeRemove, GroupNames: []string{"all"}}))(t)
		if p := perms(sn); p != "111122223333" {
			t.Errorf("shared: %q", p)
		}
		must(client.ResetSnapshotAttribute(ctx, &ec2.ResetSnapshotAttributeInput{SnapshotId: sn, Attribute: types.SnapshotAttributeNameCreateVolumePermission}))(t)
		if p := perms(sn); p != "" {
			t.Errorf("reset: %q", p)
		}
		for _, tc := range []struct {
			name string
			in   ec2.ModifySnapshotAttributeInput
			code string
		}{
			{"encrypted, public", ec2.ModifySnapshotAttributeInput{SnapshotId: encSn, OperationType: types.OperationTypeAdd, GroupNames: []string{"all"}}, "InvalidParameter"},
			{"AWS managed key, shared", ec2.ModifySnapshotAttributeInput{SnapshotId: encSn, OperationType: types.OperationTypeAdd, UserIds: []string{"111122223333"}}, "InvalidParameter"},
			{"bad account", ec2.ModifySnapshotAttributeInput{SnapshotId: sn, OperationType: types.OperationTypeAdd, UserIds: []string{"alex"}}, "InvalidUserID.Malformed"},
			{"bad group", ec2.ModifySnapshotAttributeInput{SnapshotId: sn, OperationType: types.OperationTypeAdd, GroupNames: []string{"everyone"}}, "InvalidParameterValue"},
			{"nothing", ec2.ModifySnapshotAttributeInput{SnapshotId: sn}, "MissingParameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.ModifySnapshotAttribute(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		_, err := client.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: sn, Attribute: "colour"})
		wantCode(t, err, "InvalidParameterValue")
	})
}
