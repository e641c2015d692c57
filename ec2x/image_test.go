package ec2x_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
)

// fastCloud is a simulator whose clock runs a thousand times fast: an image's two minutes of
// snapshots pass in a tenth of a second.
func fastCloud() aws.Config {
	start := time.Now()
	return sim.New(sim.WithClock(func() time.Time { return start.Add(1000 * time.Since(start)) })).Config()
}

func TestCreateImage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := fastCloud()
	fast := func(o *ec2x.ImageOptions) { o.Poll = 5 * time.Millisecond }
	client := ec2.NewFromConfig(cfg)
	web := must(ec2x.Launch(ctx, cfg, "web"))(t)
	im, err := ec2x.CreateImage(ctx, cfg, web.ID, "web-v1", fast, func(o *ec2x.ImageOptions) { o.Description = "the web server"; o.NoReboot = true })
	if err != nil {
		t.Fatal(err)
	}
	got := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{im.ID}}))(t).Images[0]
	if got.State != types.ImageStateAvailable || aws.ToString(got.Description) != "the web server" || aws.ToString(got.Tags[0].Value) != "web-v1" ||
		len(im.Snapshots) != 1 || im.Name != "web-v1" {
		t.Fatalf("image %+v: %+v", im, got)
	}
	// A copy launches from it.
	copy := must(ec2x.Launch(ctx, cfg, "web-2", func(o *ec2x.LaunchOptions) { o.ImageID = im.ID }))(t)
	if copy.ImageID != im.ID {
		t.Errorf("the copy runs %s", copy.ImageID)
	}
	// The same name again: EC2's error, wrapped with the name.
	if _, err := ec2x.CreateImage(ctx, cfg, web.ID, "web-v1", fast); err == nil || !strings.Contains(err.Error(), `ec2x: image "web-v1"`) {
		t.Errorf("a second web-v1: %v", err)
	}
	// Teardown of web-v1 deletes the image and its snapshot, as DeleteImage does.
	if err := ec2x.Teardown(ctx, cfg, "web-v1", time.Minute); err != nil {
		t.Fatal(err)
	}
	v2 := must(ec2x.CreateImage(ctx, cfg, web.ID, "web-v2", fast))(t)
	if err := ec2x.DeleteImage(ctx, cfg, v2.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images); n != 0 {
		t.Errorf("%d images after Teardown and DeleteImage", n)
	}
	if n := len(must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{}))(t).Snapshots); n != 0 {
		t.Errorf("%d snapshots after Teardown and DeleteImage", n)
	}
	if _, err := client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: im.Snapshots}); err == nil || !strings.Contains(err.Error(), "InvalidSnapshot.NotFound") {
		t.Errorf("the image's snapshots after DeleteImage: %v", err)
	}
}

// A wait that runs out deregisters the image and deletes its snapshots.
func TestCreateImageNeverOrphans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	stopped := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cfg := sim.New(sim.WithClock(func() time.Time { return stopped })).Config()
	client := ec2.NewFromConfig(cfg)
	web := must(ec2x.Launch(ctx, cfg, "web"))(t)
	_, err := ec2x.CreateImage(ctx, cfg, web.ID, "never", func(o *ec2x.ImageOptions) { o.Poll, o.MaxWait = time.Millisecond, 20*time.Millisecond })
	if err == nil || !strings.Contains(err.Error(), "was deregistered and its snapshots deleted") {
		t.Fatalf("a wait that ran out: %v", err)
	}
	if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images); n != 0 {
		t.Errorf("%d images left", n)
	}
	if n := len(must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{}))(t).Snapshots); n != 0 {
		t.Errorf("%d snapshots left", n)
	}
	if err := ec2x.DeleteImage(ctx, cfg, "ami-0123456789abcdef0"); err == nil {
		t.Error("DeleteImage of no image succeeded")
	}
}

// A web server imaged, and a second one launched from the image.
func ExampleCreateImage() {
	ctx := context.Background()
	start := time.Now() // the simulator's clock a thousand times fast: the snapshots' minutes pass at once
	cfg := sim.New(sim.WithClock(func() time.Time { return start.Add(1000 * time.Since(start)) })).Config()
	web, err := ec2x.Launch(ctx, cfg, "web")
	if err != nil {
		panic(err)
	}
	im, err := ec2x.CreateImage(ctx, cfg, web.ID, "web-v1", func(o *ec2x.ImageOptions) { o.Poll = 10 * time.Millisecond })
	if err != nil {
		panic(err)
	}
	twin, err := ec2x.Launch(ctx, cfg, "web-2", func(o *ec2x.LaunchOptions) { o.ImageID = im.ID })
	if err != nil {
		panic(err)
	}
	fmt.Println(im.Name, len(im.Snapshots), twin.ImageID == im.ID)
	// Output: web-v1 1 true
}
