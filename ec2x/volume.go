package ec2x

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// VolumeOptions tunes [AttachVolume].
type VolumeOptions struct {
	// SizeGiB is 8 by default.
	SizeGiB int32
	// Type is gp3 by default.
	Type types.VolumeType
	// Device is the name the instance sees it by, /dev/sdf by default (on Nitro instances
	// the kernel names it /dev/nvme1n1 whatever the device name).
	Device string
	// MaxWait bounds each wait (the volume available, then attached); 5 minutes by default.
	MaxWait time.Duration
	// Poll is how long a wait sleeps before it first asks again (then up to 2.5 times as
	// long): 2 seconds by default, where the SDK's volume waiters sleep 15 seconds at least;
	// a volume is ready within seconds. Against the simulator in a test, a few milliseconds.
	Poll time.Duration
}

// A Volume is an EBS volume attached to an instance.
type Volume struct {
	ID, Device, Zone string
	SizeGiB          int32
}

// AttachVolume makes an EBS volume, tagged Name=name, in the instance's Availability Zone
// (a volume attaches only to an instance in its own zone), waits until it is available,
// attaches it and waits until it is in use. If a step fails the volume is detached and
// deleted again, so that a failure leaves nothing billed behind. On AWS a volume costs
// money for every GiB-month it exists, attached or not.
func AttachVolume(ctx context.Context, cfg aws.Config, name, instanceID string, optFns ...func(*VolumeOptions)) (*Volume, error) {
	o := VolumeOptions{SizeGiB: 8, Type: types.VolumeTypeGp3, Device: "/dev/sdf", MaxWait: 5 * time.Minute, Poll: 2 * time.Second}
	for _, f := range optFns {
		f(&o)
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	v, err := attachVolume(ctx, ec2.NewFromConfig(cfg), name, instanceID, o)
	if err != nil {
		return v, fmt.Errorf("ec2x: volume %q for %s: %w", name, instanceID, err)
	}
	return v, nil
}

func attachVolume(ctx context.Context, client *ec2.Client, name, instanceID string, o VolumeOptions) (*Volume, error) {
	out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{instanceID}})
	if err != nil {
		return nil, err
	}
	if len(out.Reservations) == 0 || len(out.Reservations[0].Instances) == 0 {
		return nil, errors.New("no such instance")
	}
	zone := aws.ToString(out.Reservations[0].Instances[0].Placement.AvailabilityZone)
	made, err := client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(zone), Size: aws.Int32(o.SizeGiB), VolumeType: o.Type,
		TagSpecifications: nameTag(types.ResourceTypeVolume, name)})
	if err != nil {
		return nil, err
	}
	v := &Volume{ID: aws.ToString(made.VolumeId), Device: o.Device, Zone: zone, SizeGiB: o.SizeGiB}
	ids := &ec2.DescribeVolumesInput{VolumeIds: []string{v.ID}}
	available := func(w *ec2.VolumeAvailableWaiterOptions) { w.MinDelay, w.MaxDelay = o.Poll, o.Poll*5/2 }
	err = ec2.NewVolumeAvailableWaiter(client, available).Wait(ctx, ids, o.MaxWait)
	if err == nil {
		_, err = client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: made.VolumeId, InstanceId: aws.String(instanceID), Device: aws.String(o.Device)})
		if err == nil {
			inUse := func(w *ec2.VolumeInUseWaiterOptions) { w.MinDelay, w.MaxDelay = o.Poll, o.Poll*5/2 }
			err = ec2.NewVolumeInUseWaiter(client, inUse).Wait(ctx, ids, o.MaxWait)
		}
	}
	if err == nil {
		return v, nil
	}
	// Undo: detach if it got that far, wait until it is free, delete.
	uctx, cancel := undoContext(ctx)
	defer cancel()
	client.DetachVolume(uctx, &ec2.DetachVolumeInput{VolumeId: made.VolumeId, Force: aws.Bool(true)})
	werr := ec2.NewVolumeAvailableWaiter(client, available).Wait(uctx, ids, time.Minute)
	_, derr := client.DeleteVolume(uctx, &ec2.DeleteVolumeInput{VolumeId: made.VolumeId})
	if derr != nil {
		return v, fmt.Errorf("%w; deleting %s failed, so it still exists: %w", err, v.ID, errors.Join(werr, derr))
	}
	return nil, fmt.Errorf("%w (%s was deleted)", err, v.ID)
}
