package sim_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
)

// DescribeInstances filtered on the state answers what the unfiltered listing says of each
// instance, through stops, starts, terminations, an hour's passing and a save and load (the
// index by state is rebuilt from the saved instances).
func TestDescribeInstancesByStateFollowsTheInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(6), MaxCount: aws.Int32(6), InstanceType: "t2.micro"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, i := range out.Instances {
		ids = append(ids, *i.InstanceId)
	}
	must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[:3]}))(t)
	must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[2:4]}))(t)
	must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids[1:2]}))(t)

	check := func(t *testing.T, client *ec2.Client, want map[string][]string) {
		t.Helper()
		for _, state := range []string{"running", "stopped", "terminated"} {
			out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
				{Name: aws.String("instance-state-name"), Values: []string{state}}}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range out.Reservations {
				for _, i := range r.Instances {
					if string(i.State.Name) != state {
						t.Errorf("filtered on %s, got %s in state %s", state, *i.InstanceId, i.State.Name)
					}
					got = append(got, *i.InstanceId)
				}
			}
			if !slices.Equal(got, want[state]) {
				t.Errorf("%s: %v, want %v", state, got, want[state])
			}
		}
		// Two states, and a wildcard, which reads every instance.
		out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
			{Name: aws.String("instance-state-name"), Values: []string{"stopped", "run*"}}}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range out.Reservations {
			n += len(r.Instances)
		}
		if n != len(want["running"])+len(want["stopped"]) {
			t.Errorf("stopped or run*: %d instances, want %d", n, len(want["running"])+len(want["stopped"]))
		}
	}
	want := map[string][]string{"running": {ids[1], ids[4], ids[5]}, "stopped": {ids[0]}, "terminated": {ids[2], ids[3]}}
	check(t, client, want)

	var saved bytes.Buffer
	if err := c.Save(&saved); err != nil {
		t.Fatal(err)
	}
	loaded := sim.New()
	if err := loaded.Load(&saved); err != nil {
		t.Fatal(err)
	}
	lclient := ec2.NewFromConfig(loaded.Config())
	check(t, lclient, want)

	// An hour on, the terminated ones are gone, by ID too.
	for _, cl := range []struct {
		c      *sim.Cloud
		client *ec2.Client
	}{{c, client}, {loaded, lclient}} {
		cl.c.Advance(time.Hour + time.Second)
		must(cl.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[4:5]}))(t) // a write forgets them
		check(t, cl.client, map[string][]string{"running": {ids[1], ids[5]}, "stopped": {ids[0], ids[4]}})
		_, err := cl.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids[2:3]})
		wantCode(t, err, "InvalidInstanceID.NotFound")
	}
}

// A volume moved from one instance to another is listed under the second only, before and
// after a save and load (the volumes by instance are rebuilt from the saved volumes).
func TestVolumeMovedBetweenInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := sim.New(sim.WithClock(func() time.Time { return start }))
	client := ec2.NewFromConfig(c.Config())
	out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), InstanceType: "t2.micro"})
	if err != nil {
		t.Fatal(err)
	}
	a, b := *out.Instances[0].InstanceId, *out.Instances[1].InstanceId
	vol := must(client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: out.Instances[0].Placement.AvailabilityZone, Size: aws.Int32(8)}))(t)
	c.Advance(time.Minute) // created
	must(client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol.VolumeId, InstanceId: aws.String(a), Device: aws.String("/dev/sdf")}))(t)
	c.Advance(10 * time.Second)
	must(client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: vol.VolumeId}))(t)
	c.Advance(10 * time.Second)
	must(client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol.VolumeId, InstanceId: aws.String(b), Device: aws.String("/dev/sdg")}))(t)
	c.Advance(10 * time.Second)

	devices := func(t *testing.T, client *ec2.Client, id string) []string {
		t.Helper()
		out := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))(t)
		var ds []string
		for _, m := range out.Reservations[0].Instances[0].BlockDeviceMappings {
			ds = append(ds, *m.DeviceName)
		}
		return ds
	}
	check := func(t *testing.T, client *ec2.Client) {
		t.Helper()
		if got := devices(t, client, a); !slices.Equal(got, []string{"/dev/sda1"}) {
			t.Errorf("%s has %v, want its root only", a, got)
		}
		if got := devices(t, client, b); !slices.Equal(got, []string{"/dev/sda1", "/dev/sdg"}) {
			t.Errorf("%s has %v, want its root and /dev/sdg", b, got)
		}
	}
	check(t, client)
	var saved bytes.Buffer
	if err := c.Save(&saved); err != nil {
		t.Fatal(err)
	}
	loaded := sim.New(sim.WithClock(func() time.Time { return start }))
	if err := loaded.Load(&saved); err != nil {
		t.Fatal(err)
	}
	loaded.Advance(30 * time.Second)
	check(t, ec2.NewFromConfig(loaded.Config()))
}
