package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
)

// A network interface of one's own: made in a subnet with the VPC's default group and free
// addresses, listed with the instances' primary interfaces, deleted when not attached.
func TestEC2NetworkInterfaceCreateDescribeDelete(t *testing.T) {
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
	sn := *i.SubnetId

	// An instance's address is not given again.
	_, err := client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(sn), PrivateIpAddress: i.PrivateIpAddress})
	wantCode(t, err, "InvalidIPAddress.InUse")
	_, err = client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String("subnet-0123456789abcdef0")})
	wantCode(t, err, "InvalidSubnetID.NotFound")

	n := must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{
		SubnetId: aws.String(sn), Description: aws.String("second"), SecondaryPrivateIpAddressCount: aws.Int32(2),
		TagSpecifications: nameTag(types.ResourceTypeNetworkInterface, "extra"),
	}))(t).NetworkInterface
	if !strings.HasPrefix(*n.NetworkInterfaceId, "eni-") || n.Status != types.NetworkInterfaceStatusAvailable || *n.Description != "second" ||
		len(n.Groups) != 1 || *n.Groups[0].GroupName != "default" || len(n.PrivateIpAddresses) != 3 || !*n.SourceDestCheck || *n.SubnetId != sn {
		t.Fatalf("created %s", must(jsonOf(n))(t))
	}
	seen := map[string]bool{*i.PrivateIpAddress: true}
	for _, p := range n.PrivateIpAddresses {
		if seen[*p.PrivateIpAddress] {
			t.Errorf("address %s given twice", *p.PrivateIpAddress)
		}
		seen[*p.PrivateIpAddress] = true
	}
	_, err = client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(sn), PrivateIpAddress: n.PrivateIpAddress})
	wantCode(t, err, "InvalidIPAddress.InUse")

	all := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
	if len(all) != 2 || *all[0].NetworkInterfaceId != *i.NetworkInterfaces[0].NetworkInterfaceId || *all[1].NetworkInterfaceId != *n.NetworkInterfaceId {
		t.Fatalf("DescribeNetworkInterfaces = %s", must(jsonOf(all))(t))
	}
	if all[0].Status != types.NetworkInterfaceStatusInUse || *all[0].Attachment.InstanceId != *i.InstanceId || *all[0].Attachment.DeviceIndex != 0 {
		t.Errorf("primary interface = %s", must(jsonOf(all[0]))(t))
	}
	for f, want := range map[string]int{
		"status=available": 1, "status=in-use": 1, "attachment.instance-id=" + *i.InstanceId: 1, "subnet-id=" + sn: 2,
		"vpc-id=" + *i.VpcId: 2, "group-id=" + *n.Groups[0].GroupId: 2, "private-ip-address=" + *n.PrivateIpAddresses[2].PrivateIpAddress: 1,
		"tag:Name=extra": 1, "description=second": 1,
	} {
		name, value, _ := strings.Cut(f, "=")
		got := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter(name, value)}}))(t).NetworkInterfaces
		if len(got) != want {
			t.Errorf("%s: %d interfaces, want %d", f, len(got), want)
		}
	}
	_, err = client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter("nonsense", "x")}})
	wantCode(t, err, "InvalidParameterValue")
	pg := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5)}))(t)
	if len(pg.NetworkInterfaces) != 2 || pg.NextToken != nil {
		t.Errorf("a page of 5: %d, next %v", len(pg.NetworkInterfaces), pg.NextToken)
	}
	_, err = client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-0123456789abcdef0"}})
	wantCode(t, err, "InvalidNetworkInterfaceID.NotFound")
	_, err = client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-x"}})
	wantCode(t, err, "InvalidNetworkInterfaceID.Malformed")

	// Delete: the primary interface is in use; a missing one is not found.
	_, err = client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: i.NetworkInterfaces[0].NetworkInterfaceId})
	wantCode(t, err, "InvalidNetworkInterface.InUse")
	_, err = client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: aws.String("eni-bad")})
	wantCode(t, err, "InvalidNetworkInterfaceID.Malformed")
	must(client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: n.NetworkInterfaceId}))(t)
	_, err = client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: n.NetworkInterfaceId})
	wantCode(t, err, "InvalidNetworkInterfaceID.NotFound")
	// Its addresses are free again.
	must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(sn), PrivateIpAddress: n.PrivateIpAddress}))(t)
}

// Attach at device 1 and up, detach, attributes, and the end of an instance.
func TestEC2NetworkInterfaceAttach(t *testing.T) {
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Small})[0]
	create := func(sn string) types.NetworkInterface {
		return *must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(sn)}))(t).NetworkInterface
	}
	a, b := create(*i.SubnetId), create(*i.SubnetId)
	var elsewhere string
	for _, sn := range must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets {
		if *sn.AvailabilityZone != *i.Placement.AvailabilityZone {
			elsewhere = *sn.SubnetId
		}
	}
	far := create(elsewhere)

	attach := func(n types.NetworkInterface, dev int32) (*ec2.AttachNetworkInterfaceOutput, error) {
		return client.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{InstanceId: i.InstanceId, NetworkInterfaceId: n.NetworkInterfaceId, DeviceIndex: aws.Int32(dev)})
	}
	_, err := attach(a, 0)
	wantCode(t, err, "InvalidParameterValue")
	_, err = attach(far, 1)
	wantCode(t, err, "InvalidParameterCombination")
	att := must(attach(a, 1))(t).AttachmentId
	_, err = attach(b, 1)
	wantCode(t, err, "InvalidParameterValue")
	_, err = attach(a, 2)
	wantCode(t, err, "InvalidNetworkInterface.InUse")
	_, err = client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: a.NetworkInterfaceId})
	wantCode(t, err, "InvalidNetworkInterface.InUse")
	must(attach(b, 2))(t)
	_, err = attach(create(*i.SubnetId), 3) // a t2.small takes 3 interfaces
	wantCode(t, err, "AttachmentLimitExceeded")

	got := describeInstance(t, client, *i.InstanceId).NetworkInterfaces
	if len(got) != 3 || *got[1].NetworkInterfaceId != *a.NetworkInterfaceId || *got[1].Attachment.DeviceIndex != 1 || *got[2].Attachment.DeviceIndex != 2 {
		t.Fatalf("instance's interfaces = %s", must(jsonOf(got))(t))
	}
	ni := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*a.NetworkInterfaceId}}))(t).NetworkInterfaces[0]
	if ni.Status != types.NetworkInterfaceStatusInUse || *ni.Attachment.AttachmentId != *att || *ni.Attachment.DeleteOnTermination {
		t.Errorf("attached = %s", must(jsonOf(ni))(t))
	}

	// Attributes.
	must(client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: a.NetworkInterfaceId, SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))(t)
	must(client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: a.NetworkInterfaceId, Description: &types.AttributeValue{Value: aws.String("router")}}))(t)
	must(client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: a.NetworkInterfaceId,
		Attachment: &types.NetworkInterfaceAttachmentChanges{AttachmentId: att, DeleteOnTermination: aws.Bool(true)}}))(t)
	sdc := must(client.DescribeNetworkInterfaceAttribute(ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: a.NetworkInterfaceId, Attribute: types.NetworkInterfaceAttributeSourceDestCheck}))(t)
	desc := must(client.DescribeNetworkInterfaceAttribute(ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: a.NetworkInterfaceId, Attribute: types.NetworkInterfaceAttributeDescription}))(t)
	if *sdc.SourceDestCheck.Value || *desc.Description.Value != "router" {
		t.Errorf("attributes: %v, %q", *sdc.SourceDestCheck.Value, *desc.Description.Value)
	}
	_, err = client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: aws.String("eni-0123456789abcdef0"), Description: &types.AttributeValue{Value: aws.String("x")}})
	wantCode(t, err, "InvalidNetworkInterfaceID.NotFound")

	// The primary interface stays.
	_, err = client.DetachNetworkInterface(ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: i.NetworkInterfaces[0].Attachment.AttachmentId})
	wantCode(t, err, "OperationNotPermitted")
	_, err = client.DetachNetworkInterface(ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: aws.String("eni-attach-0123456789abcdef0")})
	wantCode(t, err, "InvalidAttachmentID.NotFound")

	// Detach b, attach it again, then terminate: a goes (delete on termination), b stays.
	bAtt := *must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*b.NetworkInterfaceId}}))(t).NetworkInterfaces[0].Attachment.AttachmentId
	must(client.DetachNetworkInterface(ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: &bAtt, Force: aws.Bool(true)}))(t)
	must(attach(b, 2))(t)
	must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*i.InstanceId}}))(t)
	_, err = client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*a.NetworkInterfaceId}})
	wantCode(t, err, "InvalidNetworkInterfaceID.NotFound")
	left := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*b.NetworkInterfaceId}}))(t).NetworkInterfaces[0]
	if left.Status != types.NetworkInterfaceStatusAvailable || left.Attachment != nil {
		t.Errorf("after terminate: %s", must(jsonOf(left))(t))
	}
}

// Interfaces survive Close and Open.
func TestEC2NetworkInterfacePersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	client := ec2.NewFromConfig(c.Config())
	i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
	n := must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: i.SubnetId, TagSpecifications: nameTag(types.ResourceTypeNetworkInterface, "x")}))(t).NetworkInterface
	must(client.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{InstanceId: i.InstanceId, NetworkInterfaceId: n.NetworkInterfaceId, DeviceIndex: aws.Int32(1)}))(t)
	before := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client = ec2.NewFromConfig(c.Config())
	after := must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
	if x, y := must(jsonOf(after))(t), must(jsonOf(before))(t); x != y {
		t.Errorf("interfaces after Open:\n%s\nbefore:\n%s", x, y)
	}
}

// Secondary addresses: assigned by number or by address, moved only with AllowReassignment,
// unassigned and free again.
func TestEC2NetworkInterfacePrivateAddresses(t *testing.T) {
	ctx := context.Background()
	client := ec2.NewFromConfig(sim.New().Config())
	i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro})[0]
	create := func() types.NetworkInterface {
		return *must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: i.SubnetId}))(t).NetworkInterface
	}
	a, b := create(), create()
	got := must(client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: a.NetworkInterfaceId, SecondaryPrivateIpAddressCount: aws.Int32(2)}))(t)
	if len(got.AssignedPrivateIpAddresses) != 2 {
		t.Fatalf("assigned %s", must(jsonOf(got))(t))
	}
	moved := *got.AssignedPrivateIpAddresses[0].PrivateIpAddress
	_, err := client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, PrivateIpAddresses: []string{moved}})
	wantCode(t, err, "InvalidIPAddress.InUse")
	_, err = client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, PrivateIpAddresses: []string{*i.PrivateIpAddress}, AllowReassignment: aws.Bool(true)})
	wantCode(t, err, "InvalidIPAddress.InUse")
	must(client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, PrivateIpAddresses: []string{moved}, AllowReassignment: aws.Bool(true)}))(t)
	ips := func(n types.NetworkInterface) int {
		return len(must(client.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{*n.NetworkInterfaceId}}))(t).NetworkInterfaces[0].PrivateIpAddresses)
	}
	if ips(a) != 2 || ips(b) != 2 {
		t.Errorf("after the move: %d and %d addresses", ips(a), ips(b))
	}
	_, err = client.UnassignPrivateIpAddresses(ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: a.NetworkInterfaceId, PrivateIpAddresses: []string{moved}})
	wantCode(t, err, "InvalidParameterValue")
	_, err = client.UnassignPrivateIpAddresses(ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, PrivateIpAddresses: []string{*b.PrivateIpAddress}})
	wantCode(t, err, "InvalidParameterValue")
	must(client.UnassignPrivateIpAddresses(ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, PrivateIpAddresses: []string{moved}}))(t)
	must(client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: i.SubnetId, PrivateIpAddress: aws.String(moved)}))(t)

	// Attached to a t2.micro, an interface has at most 2 addresses.
	must(client.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{InstanceId: i.InstanceId, NetworkInterfaceId: b.NetworkInterfaceId, DeviceIndex: aws.Int32(1)}))(t)
	must(client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, SecondaryPrivateIpAddressCount: aws.Int32(1)}))(t)
	_, err = client.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: b.NetworkInterfaceId, SecondaryPrivateIpAddressCount: aws.Int32(1)})
	wantCode(t, err, "PrivateIpAddressLimitExceeded")
}
