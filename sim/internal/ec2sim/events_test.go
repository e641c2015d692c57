package ec2sim

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// TestInstanceEvents: each change of an instance's state is told once, after the lock is
// released (the hook reads the store), with the launch's image and user data; a refused
// request tells nothing.
func TestInstanceEvents(t *testing.T) {
	s := NewStore("123456789012", core.NewClock(func() time.Time { return time.Unix(1e9, 0) }), core.NewIDs(1), nil)
	var got []InstanceEvent
	s.OnInstance(func(e InstanceEvent) {
		if _, ok := s.Instance(e.Instance); !ok && e.Kind != InstanceTerminated { // the lock is free
			t.Errorf("%s: the hook does not see instance %s", e.Kind, e.Instance)
		}
		got = append(got, e)
	})
	ctx := core.WithRegion(core.WithCaller(context.Background(), &core.Caller{Kind: core.Root, Account: "123456789012"}), "us-east-1")
	h := New(s)
	image := imagesOf("us-east-1")[0]
	out, err := h.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image.ID), InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2), UserData: aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\n")))})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.Instances[0].InstanceId
	if _, err := h.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-00000000000000000"), InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}); err == nil {
		t.Fatal("a launch of a missing image succeeded")
	}
	ids := []string{id}
	if _, err := h.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids}); err != nil { // already stopped: no change
		t.Fatal(err)
	}
	if _, err := h.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
		t.Fatal(err)
	}
	want := []InstanceEventKind{InstanceLaunched, InstanceLaunched, InstanceStopped, InstanceStarted, InstanceTerminated}
	if len(got) != len(want) {
		t.Fatalf("events %+v, want kinds %v", got, want)
	}
	for i, e := range got {
		if e.Kind != want[i] {
			t.Errorf("event %d: %s, want %s", i, e.Kind, want[i])
		}
	}
	e := got[0]
	if e.Instance != id || e.Region != "us-east-1" || e.Image != image.ID || e.ImageName != image.Name || string(e.UserData) != "#!/bin/sh\n" ||
		e.PrivateIP == "" || e.Arch != string(image.Arch) || !e.Time.Equal(time.Unix(1e9, 0)) {
		t.Errorf("launch event %+v", e)
	}
}
