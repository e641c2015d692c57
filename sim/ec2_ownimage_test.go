package sim_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// imageNow describes one image as it is now.
func imageNow(t *testing.T, client *ec2.Client, id string) types.Image {
	t.Helper()
	out := must(client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{ImageIds: []string{id}}))(t).Images
	if len(out) != 1 {
		t.Fatalf("DescribeImages %s = %+v", id, out)
	}
	return out[0]
}

// webServer launches an Amazon Linux 2023 instance with a 20 GiB root and a data volume at
// /dev/sdf, kept at termination.
func webServer(t *testing.T, client *ec2.Client) types.Instance {
	t.Helper()
	return run(t, client, ec2.RunInstancesInput{
		ImageId: aws.String(imageID(t, client, "al2023-ami-*-x86_64")), InstanceType: types.InstanceTypeT3Micro,
		BlockDeviceMappings: []types.BlockDeviceMapping{
			{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(20)}},
			{DeviceName: aws.String("/dev/sdf"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(5), VolumeType: types.VolumeTypeGp3}},
		},
	})[0]
}

// CreateImage snapshots each of the instance's EBS volumes; the image is pending until the
// snapshots complete, then launches instances whose volumes are made from them.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/creating-an-ami-ebs.html
func TestEC2CreateImage(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		web := webServer(t, client)
		for _, tc := range []struct {
			name string
			in   ec2.CreateImageInput
			code string
		}{
			{"name too short", ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("ab")}, "InvalidAMIName.Malformed"},
			{"name with a comma", ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web,1")}, "InvalidAMIName.Malformed"},
			{"unknown instance", ec2.CreateImageInput{InstanceId: aws.String("i-0123456789abcdef0"), Name: aws.String("web")}, "InvalidInstanceID.NotFound"},
			{"malformed instance", ec2.CreateImageInput{InstanceId: aws.String("i-xyz"), Name: aws.String("web")}, "InvalidInstanceID.Malformed"},
			{"root suppressed", ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web"),
				BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), NoDevice: aws.String("")}}}, "InvalidBlockDeviceMapping"},
			{"root shrunk", ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web"),
				BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(8)}}}}, "InvalidBlockDeviceMapping"},
			{"tags on a volume", ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web"), TagSpecifications: nameTag(types.ResourceTypeVolume, "x")}, "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateImage(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images); n != 0 {
			t.Fatalf("refused requests made %d images", n)
		}

		out := must(client.CreateImage(ctx, &ec2.CreateImageInput{
			InstanceId: web.InstanceId, Name: aws.String("web-v1"), Description: aws.String("the web server"), NoReboot: aws.Bool(true),
			BlockDeviceMappings: []types.BlockDeviceMapping{
				{DeviceName: aws.String("/dev/sdf"), Ebs: &types.EbsBlockDevice{DeleteOnTermination: aws.Bool(true)}},
				{DeviceName: aws.String("/dev/sdg"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(2)}},
			},
			TagSpecifications: append(nameTag(types.ResourceTypeImage, "web"), nameTag(types.ResourceTypeSnapshot, "web-snap")...),
		}))(t)
		id := *out.ImageId
		im := imageNow(t, client, id)
		if im.State != types.ImageStatePending || *im.Name != "web-v1" || *im.OwnerId != "123456789012" || *im.Public ||
			*im.SourceInstanceId != *web.InstanceId || im.RootDeviceType != types.DeviceTypeEbs || *im.RootDeviceName != "/dev/xvda" ||
			im.Architecture != types.ArchitectureValuesX8664 || *im.ImageLocation != "123456789012/web-v1" || len(im.BlockDeviceMappings) != 3 {
			t.Fatalf("new image = %s", must(jsonOf(im))(t))
		}
		byDev := map[string]types.BlockDeviceMapping{}
		for _, m := range im.BlockDeviceMappings {
			byDev[*m.DeviceName] = m
		}
		root, data, empty := byDev["/dev/xvda"].Ebs, byDev["/dev/sdf"].Ebs, byDev["/dev/sdg"].Ebs
		if *root.VolumeSize != 20 || !*root.DeleteOnTermination || *data.VolumeSize != 5 || data.VolumeType != types.VolumeTypeGp3 ||
			!*data.DeleteOnTermination || empty.SnapshotId != nil || *empty.VolumeSize != 2 {
			t.Fatalf("image's mappings = %s", must(jsonOf(im.BlockDeviceMappings))(t))
		}
		snaps := must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{*root.SnapshotId, *data.SnapshotId}}))(t).Snapshots
		for _, sn := range snaps {
			if want := "Created by CreateImage(" + *web.InstanceId + ") for " + id; *sn.Description != want || sn.State != types.SnapshotStatePending ||
				len(sn.Tags) != 1 || *sn.Tags[0].Value != "web-snap" {
				t.Errorf("snapshot = %s", must(jsonOf(sn))(t))
			}
		}
		if len(im.Tags) != 1 || *im.Tags[0].Value != "web" {
			t.Errorf("image tags = %+v", im.Tags)
		}
		_, err := client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web-v1")})
		wantCode(t, err, "InvalidAMIName.Duplicate")
		if msg := apiMessage(t, err); msg != "AMI name web-v1 is already in use by AMI "+id {
			t.Errorf("duplicate's message = %q", msg)
		}

		// Pending: not launchable yet.
		_, err = client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &id, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidAMIID.Unavailable")
		c.Advance(t, 2*time.Minute)
		if im := imageNow(t, client, id); im.State != types.ImageStateAvailable {
			t.Fatalf("after two minutes the image is %s", im.State)
		}

		copy := run(t, client, ec2.RunInstancesInput{ImageId: &id, InstanceType: types.InstanceTypeT3Micro})[0]
		if *copy.ImageId != id || *copy.RootDeviceName != "/dev/xvda" || len(copy.BlockDeviceMappings) != 3 {
			t.Fatalf("copy = %s", must(jsonOf(copy))(t))
		}
		vols := must(client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{filter("attachment.instance-id", *copy.InstanceId)}}))(t).Volumes
		got := map[string]string{}
		for _, v := range vols {
			got[*v.Attachments[0].Device] = fmt.Sprintf("%d %s %t", *v.Size, *v.SnapshotId, *v.Attachments[0].DeleteOnTermination)
		}
		want := map[string]string{
			"/dev/xvda": "20 " + *root.SnapshotId + " true", "/dev/sdf": "5 " + *data.SnapshotId + " true", "/dev/sdg": "2  true",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("copy's volumes = %v, want %v", got, want)
		}
		if im := imageNow(t, client, id); im.LastLaunchedTime == nil {
			t.Error("the image does not say it was launched")
		}

		// A terminated instance is not imaged.
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*copy.InstanceId}}))(t)
		_, err = client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: copy.InstanceId, Name: aws.String("gone")})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// An instance-store-backed instance cannot be imaged by CreateImage.
func TestEC2CreateImageInstanceStore(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		_, client := ebsCloud(t, b)
		images := must(client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{IncludeDeprecated: aws.Bool(true),
			Filters: []types.Filter{filter("root-device-type", "instance-store")}}))(t).Images
		i := run(t, client, ec2.RunInstancesInput{ImageId: images[0].ImageId, InstanceType: types.InstanceTypeT3Micro})[0]
		_, err := client.CreateImage(context.Background(), &ec2.CreateImageInput{InstanceId: i.InstanceId, Name: aws.String("store")})
		wantCode(t, err, "UnsupportedOperation")
	})
}

// availableImage makes an image of a new web server and waits until it is available.
func availableImage(t *testing.T, c *conformance.Account, client *ec2.Client, name string) (string, types.Instance) {
	t.Helper()
	web := webServer(t, client)
	out := must(client.CreateImage(context.Background(), &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String(name)}))(t)
	c.Advance(t, 2*time.Minute)
	return *out.ImageId, web
}

// Launch permissions: an image is shared with accounts, or public (the group all), by its
// owner only; DescribeImages' ExecutableUsers finds it so.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html
func TestEC2ImageLaunchPermissions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		web := webServer(t, client)
		pending := *must(client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web")}))(t).ImageId
		share := func(id string, lp *types.LaunchPermissionModifications) error {
			_, err := client.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: &id, LaunchPermission: lp})
			return err
		}
		friend := &types.LaunchPermissionModifications{Add: []types.LaunchPermission{{UserId: aws.String("111122223333")}}}
		wantCode(t, share(pending, friend), "InvalidAMIID.Unavailable")
		c.Advance(t, 2*time.Minute)
		id := pending
		catalog := imageID(t, client, "al2023-ami-*-x86_64")
		for _, tc := range []struct {
			name string
			id   string
			lp   *types.LaunchPermissionModifications
			code string
		}{
			{"bad account", id, &types.LaunchPermissionModifications{Add: []types.LaunchPermission{{UserId: aws.String("1234")}}}, "InvalidAMIAttributeItemValue"},
			{"bad group", id, &types.LaunchPermissionModifications{Add: []types.LaunchPermission{{Group: "friends"}}}, "InvalidAMIAttributeItemValue"},
			{"nothing", id, nil, "MissingParameter"},
			{"another's image", catalog, friend, "AuthFailure"},
			{"unknown image", "ami-0123456789abcdef0", friend, "InvalidAMIID.NotFound"},
			{"malformed image", "ami-x", friend, "InvalidAMIID.Malformed"},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, share(tc.id, tc.lp), tc.code) })
		}

		perms := func() []string {
			out := must(client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: types.ImageAttributeNameLaunchPermission}))(t)
			var s []string
			for _, p := range out.LaunchPermissions {
				s = append(s, aws.ToString(p.UserId)+string(p.Group))
			}
			return s
		}
		executable := func(users ...string) int {
			return len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}, ExecutableUsers: users}))(t).Images)
		}
		must(0, share(id, friend))(t)
		must(client.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: &id, Attribute: aws.String("launchPermission"),
			OperationType: types.OperationTypeAdd, UserGroups: []string{"all"}}))(t)
		if p := perms(); fmt.Sprint(p) != "[all 111122223333]" || !*imageNow(t, client, id).Public {
			t.Fatalf("launch permissions = %v", p)
		}
		if executable("111122223333") != 1 || executable("all") != 1 || executable("444455556666") != 0 {
			t.Error("ExecutableUsers does not find the shared image")
		}
		if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Filters: []types.Filter{filter("is-public", "false")}}))(t).Images); n != 0 {
			t.Errorf("%d private images after sharing with all", n)
		}
		must(0, share(id, &types.LaunchPermissionModifications{Remove: []types.LaunchPermission{{Group: types.PermissionGroupAll}}}))(t)
		if p := perms(); fmt.Sprint(p) != "[111122223333]" {
			t.Errorf("after removing all = %v", p)
		}
		must(client.ResetImageAttribute(ctx, &ec2.ResetImageAttributeInput{ImageId: &id, Attribute: types.ResetImageAttributeNameLaunchPermission}))(t)
		if p := perms(); len(p) != 0 {
			t.Errorf("after reset = %v", p)
		}

		must(client.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: &id, Description: &types.AttributeValue{Value: aws.String("v2")}}))(t)
		d := must(client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: types.ImageAttributeNameDescription}))(t)
		if *d.Description.Value != "v2" || *imageNow(t, client, id).Description != "v2" {
			t.Errorf("description = %q", *d.Description.Value)
		}
		bdm := must(client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: types.ImageAttributeNameBlockDeviceMapping}))(t)
		if len(bdm.BlockDeviceMappings) != 2 {
			t.Errorf("blockDeviceMapping = %+v", bdm.BlockDeviceMappings)
		}
		_, err := client.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: "colour"})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.ResetImageAttribute(ctx, &ec2.ResetImageAttributeInput{ImageId: &id, Attribute: "description"})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// DeregisterImage: the image is gone, its snapshots stay until deleted (refused while an
// image uses them), and its instances run on.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/deregister-ami.html
func TestEC2DeregisterImage(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		id, _ := availableImage(t, c, client, "web")
		child := run(t, client, ec2.RunInstancesInput{ImageId: &id, InstanceType: types.InstanceTypeT3Micro})[0]
		snaps := must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("description", "*"+id)}}))(t).Snapshots
		if len(snaps) != 2 {
			t.Fatalf("%d snapshots of the image", len(snaps))
		}
		_, err := client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: snaps[0].SnapshotId})
		wantCode(t, err, "InvalidSnapshot.InUse")
		_, err = client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(imageID(t, client, "al2023-ami-*-x86_64"))})
		wantCode(t, err, "AuthFailure")

		must(client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: &id}))(t)
		_, err = client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
		wantCode(t, err, "InvalidAMIID.NotFound")
		if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images); n != 0 {
			t.Errorf("%d images after deregistering", n)
		}
		_, err = client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: &id})
		wantCode(t, err, "InvalidAMIID.Unavailable")
		_, err = client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &id, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidAMIID.Unavailable")
		if i := describeInstance(t, client, *child.InstanceId); *i.ImageId != id || *i.RootDeviceName != "/dev/xvda" || i.Architecture != types.ArchitectureValuesX8664 {
			t.Errorf("the image's instance after deregistering = %s", must(jsonOf(i))(t))
		}
		for _, sn := range snaps {
			must(client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: sn.SnapshotId}))(t)
		}

		// DeleteAssociatedSnapshots deletes them with the image.
		id2, _ := availableImage(t, c, client, "web2")
		out := must(client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: &id2, DeleteAssociatedSnapshots: aws.Bool(true)}))(t)
		if len(out.DeleteSnapshotResults) != 2 || out.DeleteSnapshotResults[0].ReturnCode != types.SnapshotReturnCodesSuccess {
			t.Errorf("DeleteSnapshotResults = %+v", out.DeleteSnapshotResults)
		}
		if n := len(must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("description", "*"+id2)}}))(t).Snapshots); n != 0 {
			t.Errorf("%d snapshots left", n)
		}
	})
}

// CopyImage makes a new image in the request's region, with copies of the snapshots;
// RegisterImage makes one from a snapshot.
func TestEC2CopyAndRegisterImage(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := ebsCloud(t, b)
		id, _ := availableImage(t, c, client, "web")
		ireland := ec2Client(t, c, conformance.WithRegion("eu-west-1"))
		for _, tc := range []struct {
			name string
			in   ec2.CopyImageInput
			code string
		}{
			{"unknown source", ec2.CopyImageInput{SourceRegion: aws.String("us-east-1"), SourceImageId: aws.String("ami-0123456789abcdef0"), Name: aws.String("web")}, "InvalidAMIID.NotFound"},
			{"wrong region", ec2.CopyImageInput{SourceRegion: aws.String("us-west-2"), SourceImageId: &id, Name: aws.String("web")}, "InvalidAMIID.NotFound"},
			{"bad region", ec2.CopyImageInput{SourceRegion: aws.String("mars-1"), SourceImageId: &id, Name: aws.String("web")}, "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := ireland.CopyImage(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		cp := *must(ireland.CopyImage(ctx, &ec2.CopyImageInput{SourceRegion: aws.String("us-east-1"), SourceImageId: &id, Name: aws.String("web")}))(t).ImageId
		if cp == id {
			t.Fatal("the copy has the source's ID")
		}
		im := imageNow(t, ireland, cp)
		if im.State != types.ImageStatePending || *im.SourceImageId != id || *im.SourceImageRegion != "us-east-1" || len(im.BlockDeviceMappings) != 2 {
			t.Fatalf("copy = %s", must(jsonOf(im))(t))
		}
		snaps := must(ireland.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{}))(t).Snapshots
		if len(snaps) != 2 || !strings.HasPrefix(*snaps[0].Description, "Copied for DestinationAmi "+cp+" from SourceAmi "+id) {
			t.Fatalf("snapshots in eu-west-1 = %s", must(jsonOf(snaps))(t))
		}
		_, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{cp}})
		wantCode(t, err, "InvalidAMIID.NotFound") // in its own region only
		c.Advance(t, 2*time.Minute)
		run(t, ireland, ec2.RunInstancesInput{ImageId: &cp, InstanceType: types.InstanceTypeT3Micro})

		// A public image of the catalog copies too.
		al := imageID(t, client, "al2023-ami-*-x86_64")
		must(ireland.CopyImage(ctx, &ec2.CopyImageInput{SourceRegion: aws.String("us-east-1"), SourceImageId: &al, Name: aws.String("my-al2023")}))(t)

		// RegisterImage from a snapshot: x86_64 as asked, i386 by default.
		snap := *must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{filter("volume-size", "20")}}))(t).Snapshots[0].SnapshotId
		reg := func(name string, arch types.ArchitectureValues, bdm ...types.BlockDeviceMapping) (*ec2.RegisterImageOutput, error) {
			return client.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String(name), Architecture: arch, RootDeviceName: aws.String("/dev/xvda"),
				VirtualizationType: aws.String("hvm"), BlockDeviceMappings: bdm})
		}
		rootFrom := func(id string) types.BlockDeviceMapping {
			return types.BlockDeviceMapping{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{SnapshotId: aws.String(id)}}
		}
		_, err = reg("empty-root", "", types.BlockDeviceMapping{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(8)}})
		wantCode(t, err, "InvalidBlockDeviceMapping")
		_, err = reg("no-root", "")
		wantCode(t, err, "InvalidBlockDeviceMapping")
		_, err = reg("unknown", "", rootFrom("snap-0123456789abcdef0"))
		wantCode(t, err, "InvalidSnapshot.NotFound")
		_, err = reg("web", "", rootFrom(snap))
		wantCode(t, err, "InvalidAMIName.Duplicate")
		_, err = client.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String("s3-image"), ImageLocation: aws.String("bucket/image.manifest.xml")})
		wantCode(t, err, "NotImplemented")

		x86 := *must(reg("registered", types.ArchitectureValuesX8664, rootFrom(snap)))(t).ImageId
		if im := imageNow(t, client, x86); im.State != types.ImageStateAvailable || *im.BlockDeviceMappings[0].Ebs.VolumeSize != 20 {
			t.Fatalf("registered = %s", must(jsonOf(im))(t))
		}
		i := run(t, client, ec2.RunInstancesInput{ImageId: &x86, InstanceType: types.InstanceTypeT3Micro})[0]
		if i.Architecture != types.ArchitectureValuesX8664 {
			t.Errorf("instance's architecture = %s", i.Architecture)
		}
		i386 := *must(reg("registered-i386", "", rootFrom(snap)))(t).ImageId
		if im := imageNow(t, client, i386); im.Architecture != types.ArchitectureValuesI386 {
			t.Errorf("default architecture = %s", im.Architecture)
		}
		_, err = client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &i386, InstanceType: types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// The image operations are authorized on the image's ARN (no account), with ec2:Owner.
func TestEC2ImageAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, root := ebsCloud(t, b)
		c.Require(t, conformance.EnforcesIAM)
		id, web := availableImage(t, c, root, "web")
		user := userWith(t, c, "builder", `{"Effect":"Deny","Action":"ec2:CreateImage","Resource":"arn:aws:ec2:us-east-1::image/*"},`+
			`{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*::image/*","Condition":{"StringEquals":{"ec2:Owner":"123456789012"}}},`+
			`{"Effect":"Deny","Action":"ec2:ModifyImageAttribute","Resource":"arn:aws:ec2:us-east-1::image/`+id+`"}`)
		_, err := user.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("again")})
		wantCode(t, err, "UnauthorizedOperation")
		_, err = user.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &id, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "UnauthorizedOperation")
		run(t, user, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, root, "al2023-ami-*-x86_64")), InstanceType: types.InstanceTypeT3Micro})
		_, err = user.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: &id, Description: &types.AttributeValue{Value: aws.String("x")}})
		wantCode(t, err, "UnauthorizedOperation")
		must(user.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: types.ImageAttributeNameDescription}))(t)
	})
}

// The account's images, their tags and launch permissions survive Close and Open.
func TestEC2ImagesPersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	web := webServer(t, client)
	id := *must(client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("web"),
		TagSpecifications: nameTag(types.ResourceTypeImage, "web")}))(t).ImageId
	c.Advance(2 * time.Minute)
	must(client.ModifyImageAttribute(ctx, &ec2.ModifyImageAttributeInput{ImageId: &id,
		LaunchPermission: &types.LaunchPermissionModifications{Add: []types.LaunchPermission{{UserId: aws.String("111122223333")}}}}))(t)
	before := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	after := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images
	if a, b := must(jsonOf(after))(t), must(jsonOf(before))(t); a != b || len(after) != 1 {
		t.Errorf("images after Open:\n%s\nbefore:\n%s", a, b)
	}
	if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{ExecutableUsers: []string{"111122223333"}}))(t).Images); n != 1 {
		t.Errorf("%d images shared after Open", n)
	}
	run(t, client, ec2.RunInstancesInput{ImageId: &id, InstanceType: types.InstanceTypeT3Micro})
}

// Many goroutines image instances, share and deregister images at once.
func TestEC2ImagesRace(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	web := webServer(t, client)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 4 {
				out, err := client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String(fmt.Sprintf("web-%d-%d", g, k))})
				if err != nil {
					t.Error(err)
					return
				}
				c.Advance(time.Minute)
				if _, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}); err != nil {
					t.Error(err)
				}
				if k%2 == 0 {
					if _, err := client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: out.ImageId, DeleteAssociatedSnapshots: aws.Bool(true)}); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := len(must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}}))(t).Images); n != 16 {
		t.Errorf("%d images, want 16", n)
	}
	if n := len(must(client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{}))(t).Snapshots); n != 32 {
		t.Errorf("%d snapshots, want 32", n)
	}
}

// DescribeInstanceTypeOfferings: every type of the table, in the region or in each zone.
func TestEC2InstanceTypeOfferings(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		client := ec2Client(t, b.Open(t))
		types_ := len(must(client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{}))(t).InstanceTypes)
		all := func(in ec2.DescribeInstanceTypeOfferingsInput) []types.InstanceTypeOffering {
			var out []types.InstanceTypeOffering
			p := ec2.NewDescribeInstanceTypeOfferingsPaginator(client, &in)
			for p.HasMorePages() {
				out = append(out, must(p.NextPage(ctx))(t).InstanceTypeOfferings...)
			}
			return out
		}
		region := all(ec2.DescribeInstanceTypeOfferingsInput{MaxResults: aws.Int32(5)})
		if len(region) < 5 || region[0].LocationType != types.LocationTypeRegion || *region[0].Location != "us-east-1" {
			t.Fatalf("region offerings = %+v", region)
		}
		zones := all(ec2.DescribeInstanceTypeOfferingsInput{LocationType: types.LocationTypeAvailabilityZone,
			Filters: []types.Filter{filter("instance-type", "t3.micro"), filter("location", "us-east-1a", "us-east-1b")}})
		if len(zones) != 2 || *zones[1].Location != "us-east-1b" || zones[1].InstanceType != types.InstanceTypeT3Micro {
			t.Errorf("zone offerings = %+v", zones)
		}
		ids := all(ec2.DescribeInstanceTypeOfferingsInput{LocationType: types.LocationTypeAvailabilityZoneId, Filters: []types.Filter{filter("location", "use1-az1")}})
		if len(ids) != len(region) || len(region) != types_ {
			t.Errorf("%d offerings in use1-az1, %d in the region, %d types", len(ids), len(region), types_)
		}
		_, err := client.DescribeInstanceTypeOfferings(ctx, &ec2.DescribeInstanceTypeOfferingsInput{LocationType: "galaxy"})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DescribeInstanceTypeOfferings(ctx, &ec2.DescribeInstanceTypeOfferingsInput{Filters: []types.Filter{filter("colour", "red")}})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// An image carries its instance's disks: an instance launched from it has what was installed,
// enabled and written there, its services running, without user data; so does an instance
// of a copy of the image in another region. Persisted with the cloud.
func TestEC2ImageCarriesDisks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	web := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, client, "al2023-ami-*-x86_64")), InstanceType: types.InstanceTypeT3Micro})[0]
	sh := func(c *sim.Cloud, id, script string) string {
		t.Helper()
		var out, errOut strings.Builder
		if code, err := c.Run(ctx, id, script, sim.RunOptions{Stdout: &out, Stderr: &errOut}); err != nil || code != 0 {
			t.Fatalf("%s on %s: %d %v %s", script, id, code, err, errOut.String())
		}
		return out.String()
	}
	sh(c, *web.InstanceId, "sudo dnf install -y httpd && sudo systemctl enable --now httpd && echo golden | sudo tee /var/www/html/index.html")
	id := *must(client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: web.InstanceId, Name: aws.String("golden")}))(t).ImageId
	sh(c, *web.InstanceId, "echo later | sudo tee /var/www/html/index.html") // after the image: not in it
	c.Advance(2 * time.Minute)
	cp := *must(ec2.NewFromConfig(c.Config(), func(o *ec2.Options) { o.Region = "eu-west-1" }).CopyImage(ctx,
		&ec2.CopyImageInput{SourceRegion: aws.String("us-east-1"), SourceImageId: &id, Name: aws.String("golden")}))(t).ImageId
	c.Advance(2 * time.Minute)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	twin := run(t, client, ec2.RunInstancesInput{ImageId: &id, InstanceType: types.InstanceTypeT3Micro})[0]
	if got := sh(c, *twin.InstanceId, "systemctl is-active httpd; curl -s localhost; hostname"); got != "active\ngolden\nip-"+strings.ReplaceAll(*twin.PrivateIpAddress, ".", "-")+".ec2.internal\n" {
		t.Errorf("the twin = %q", got)
	}
	ireland := ec2.NewFromConfig(c.Config(), func(o *ec2.Options) { o.Region = "eu-west-1" })
	far := run(t, ireland, ec2.RunInstancesInput{ImageId: &cp, InstanceType: types.InstanceTypeT3Micro})[0]
	if got := sh(c, *far.InstanceId, "curl -s localhost"); got != "golden\n" {
		t.Errorf("the copy's instance serves %q", got)
	}
}

// BenchmarkDescribeOwnImages lists the catalog and 20 images of the account's, as alex, beside
// the floor.
func BenchmarkDescribeOwnImages(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := ec2.NewFromConfig(c.Config())
	i, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: types.InstanceTypeT2Micro})
	if err != nil {
		b.Fatal(err)
	}
	for k := range 20 {
		if _, err := client.CreateImage(ctx, &ec2.CreateImageInput{InstanceId: i.Instances[0].InstanceId, Name: aws.String(fmt.Sprintf("web-%02d", k)),
			TagSpecifications: nameTag(types.ResourceTypeImage, "web")}); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := ec2.NewFromConfig(cfg).DescribeImages(ctx, &ec2.DescribeImagesInput{})
		if err == nil && len(out.Images) != 28 {
			err = fmt.Errorf("%d images, want 28", len(out.Images))
		}
		return err
	})
}
