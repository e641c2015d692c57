package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"

	"github.com/awsxlab/awsx/sim/internal/efssim"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// The mount check of a Cloud reads the instance's zone through EC2's operations and finds the
// mount target of that zone; the rest is the network's model's to say.
func TestEFSMountCheckThroughEC2(t *testing.T) {
	ctx := context.Background()
	c := New()
	e := ec2.NewFromConfig(c.Config())
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.50.0.0/16")})
	fail(err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		sn, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.50.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		fail(err)
		subnets = append(subnets, *sn.Subnet.SubnetId)
	}
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnets[1]})
	fail(err)
	instance := *run.Instances[0].InstanceId
	client := efs.NewFromConfig(c.Config())
	fs, err := client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String("m")})
	fail(err)
	c.Advance(time.Minute)
	_, err = client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: fs.FileSystemId, SubnetId: &subnets[0]})
	fail(err)
	c.Advance(2 * time.Minute)

	mount := efssim.Mount{Region: "us-east-1", Instance: instance, Target: *fs.FileSystemId}
	if got := c.files.CanMount(ctx, mount); got.OK || !strings.Contains(got.Reason, "no mount target in us-east-1b") {
		t.Errorf("from us-east-1b: %+v", got)
	}
	mt, err := client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: fs.FileSystemId, SubnetId: &subnets[1]})
	fail(err)
	c.Advance(2 * time.Minute)
	if *mt.IpAddress == *run.Instances[0].PrivateIpAddress {
		t.Errorf("the mount target took the instance's address %s", *mt.IpAddress)
	}
	got := c.files.CanMount(ctx, mount)
	if _, modelled := any(c.compute).(world.Network); modelled {
		// Both ends are in the VPC's default group, which lets its members reach each other.
		if !got.OK {
			t.Errorf("with a mount target in the zone: %+v", got)
		}
	} else if got.OK || got.Component != *mt.MountTargetId || !strings.Contains(got.Reason, "no model of the network") {
		t.Errorf("with a mount target in the zone, and no model of the network: %+v", got)
	}
}
