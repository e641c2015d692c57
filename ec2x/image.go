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

// ImageOptions are the tunables of [CreateImage].
type ImageOptions struct {
	// Description is the image's; none by default.
	Description string
	// NoReboot images a running instance without rebooting it first. By default EC2 reboots
	// it, so that what its file systems hold is on disk when the snapshots are taken.
	NoReboot bool
	// MaxWait bounds the wait until the image is available; 30 minutes by default (an image
	// is available when the snapshots of its volumes are complete, minutes on AWS).
	MaxWait time.Duration
	// Poll is how long the wait sleeps before it first asks again (then up to 2.5 times as
	// long): 15 seconds by default, as the SDK's image waiter. Against the simulator in a
	// test, a few milliseconds.
	Poll time.Duration
}

// An Image is an AMI of the account's.
type Image struct {
	ID, Name string
	// Snapshots are the EBS snapshots of its volumes, which outlive the image: delete them
	// after deregistering it ([DeleteImage] does both).
	Snapshots []string
}

// CreateImage makes an image (an AMI) of an instance, tagged Name=name, and waits until it is
// available: instances launched from it start as a copy of this one's volumes. If the wait
// fails the image is deregistered and its snapshots deleted, so that a failure leaves
// nothing billed behind. On AWS the snapshots cost money for every GiB-month they exist.
func CreateImage(ctx context.Context, cfg aws.Config, instanceID, name string, optFns ...func(*ImageOptions)) (*Image, error) {
	o := ImageOptions{MaxWait: 30 * time.Minute, Poll: 15 * time.Second}
	for _, f := range optFns {
		f(&o)
	}
	if o.Poll <= 0 {
		o.Poll = 15 * time.Second
	}
	im, err := createImage(ctx, ec2.NewFromConfig(cfg), instanceID, name, o)
	if err != nil {
		return im, fmt.Errorf("ec2x: image %q of %s: %w", name, instanceID, err)
	}
	return im, nil
}

func createImage(ctx context.Context, client *ec2.Client, instanceID, name string, o ImageOptions) (*Image, error) {
	in := &ec2.CreateImageInput{InstanceId: aws.String(instanceID), Name: aws.String(name), NoReboot: aws.Bool(o.NoReboot),
		TagSpecifications: nameTag(types.ResourceTypeImage, name)}
	if o.Description != "" {
		in.Description = aws.String(o.Description)
	}
	made, err := client.CreateImage(ctx, in)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(made.ImageId)
	ids := &ec2.DescribeImagesInput{ImageIds: []string{id}}
	poll := func(w *ec2.ImageAvailableWaiterOptions) { w.MinDelay, w.MaxDelay = o.Poll, o.Poll*5/2 }
	out, err := ec2.NewImageAvailableWaiter(client, poll).WaitForOutput(ctx, ids, o.MaxWait)
	if err == nil && len(out.Images) == 1 {
		return &Image{ID: id, Name: name, Snapshots: snapshotsOf(out.Images[0])}, nil
	}
	if err == nil {
		err = fmt.Errorf("%s is not listed", id)
	}
	uctx, cancel := undoContext(ctx)
	defer cancel()
	if derr := deleteImage(uctx, client, id); derr != nil {
		return &Image{ID: id, Name: name}, fmt.Errorf("%w; deleting %s failed, so it still exists: %w", err, id, derr)
	}
	return nil, fmt.Errorf("%w (%s was deregistered and its snapshots deleted)", err, id)
}

func snapshotsOf(im types.Image) []string {
	var out []string
	for _, m := range im.BlockDeviceMappings {
		if m.Ebs != nil && m.Ebs.SnapshotId != nil {
			out = append(out, *m.Ebs.SnapshotId)
		}
	}
	return out
}

// DeleteImage deregisters an image of the account's and deletes the snapshots of its
// volumes, which deregistering alone leaves (and bills). Instances launched from the image
// are not affected.
func DeleteImage(ctx context.Context, cfg aws.Config, imageID string) error {
	if err := deleteImage(ctx, ec2.NewFromConfig(cfg), imageID); err != nil {
		return fmt.Errorf("ec2x: delete image %s: %w", imageID, err)
	}
	return nil
}

func deleteImage(ctx context.Context, client *ec2.Client, id string) error {
	out, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
	if err != nil {
		return err
	}
	if len(out.Images) != 1 {
		return errors.New("no such image")
	}
	if _, err := client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(id)}); err != nil {
		return err
	}
	var errs []error
	for _, sn := range snapshotsOf(out.Images[0]) {
		if _, err := client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(sn)}); err != nil && code(err) != "InvalidSnapshot.NotFound" {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
