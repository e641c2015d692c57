package sim_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// run launches n instances of image and returns them.
func run(t *testing.T, client *ec2.Client, in ec2.RunInstancesInput) []types.Instance {
	t.Helper()
	if in.MinCount == nil {
		in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
	}
	return must(client.RunInstances(context.Background(), &in))(t).Instances
}

// describe returns one instance as DescribeInstances shows it now.
func describeInstance(t *testing.T, client *ec2.Client, id string) types.Instance {
	t.Helper()
	res := must(client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))(t).Reservations
	if len(res) != 1 || len(res[0].Instances) != 1 {
		t.Fatalf("DescribeInstances %s = %+v", id, res)
	}
	return res[0].Instances[0]
}

func TestEC2RunInstances(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		al := imageID(t, client, "al2023-ami-*-x86_64")
		must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), KeyType: types.KeyTypeEd25519}))(t)
		web := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\nyum install -y httpd\n"))

		before := c.Now()
		out := must(client.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String(al), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), InstanceType: types.InstanceTypeT2Micro,
			KeyName: aws.String("lab"), SecurityGroupIds: []string{*web}, UserData: aws.String(userData),
			TagSpecifications: append(nameTag(types.ResourceTypeInstance, "web"), nameTag(types.ResourceTypeVolume, "disk")...),
		}))(t)
		if !strings.HasPrefix(*out.ReservationId, "r-") || *out.OwnerId != sim.DefaultAccount || len(out.Instances) != 2 {
			t.Fatalf("reservation = %+v", out)
		}
		c.Diverges(t, conformance.Moto, "moto gives an instance of a default subnet (172.31.0.0/20) a private address outside it (10.x.x.x)")
		for k, i := range out.Instances {
			ip := fmt.Sprintf("172.31.0.%d", 4+k) // the first four addresses of a subnet are AWS's
			for what, ok := range map[string]bool{
				"state":        i.State.Name == types.InstanceStateNamePending && *i.State.Code == 0,
				"launch index": *i.AmiLaunchIndex == int32(k),
				"private IP":   *i.PrivateIpAddress == ip && *i.PrivateDnsName == "ip-172-31-0-"+fmt.Sprint(4+k)+".ec2.internal",
				"public IP":    strings.HasPrefix(*i.PublicIpAddress, "3.") && *i.NetworkInterfaces[0].Association.PublicIp == *i.PublicIpAddress,
				"public name":  *i.PublicDnsName == "ec2-"+strings.ReplaceAll(*i.PublicIpAddress, ".", "-")+".compute-1.amazonaws.com",
				"zone":         *i.Placement.AvailabilityZone == "us-east-1a",
				"launch time":  !i.LaunchTime.Before(before) && !i.LaunchTime.After(c.Now()),
				"key":          *i.KeyName == "lab",
				"groups":       len(i.SecurityGroups) == 1 && *i.SecurityGroups[0].GroupName == "web",
				"type":         i.InstanceType == types.InstanceTypeT2Micro && i.Architecture == types.ArchitectureValuesX8664 && i.Hypervisor == types.HypervisorTypeXen,
				"root device":  *i.RootDeviceName == "/dev/xvda" && strings.HasPrefix(*i.BlockDeviceMappings[0].Ebs.VolumeId, "vol-"),
				"interface":    strings.HasPrefix(*i.NetworkInterfaces[0].NetworkInterfaceId, "eni-"),
				"monitoring":   i.Monitoring.State == types.MonitoringStateDisabled,
				"tags":         len(i.Tags) == 1 && *i.Tags[0].Value == "web",
				"ID":           len(*i.InstanceId) == len("i-")+17,
			} {
				if !ok {
					t.Errorf("instance %d: wrong %s: %s", k, what, must(json.Marshal(i))(t))
				}
			}
		}
		now := describeInstance(t, client, *out.Instances[0].InstanceId)
		if now.State.Name != types.InstanceStateNameRunning || *now.State.Code != 16 || *now.PublicIpAddress != *out.Instances[0].PublicIpAddress {
			t.Errorf("after RunInstances, state %s", now.State.Name)
		}
		ud := must(client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: now.InstanceId, Attribute: types.InstanceAttributeNameUserData}))(t)
		if *ud.UserData.Value != userData {
			t.Errorf("user data = %q", *ud.UserData.Value)
		}
		subnet := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*now.SubnetId}}))(t).Subnets[0]
		if *subnet.AvailableIpAddressCount != 4089 {
			t.Errorf("%d addresses left in the subnet, want 4089", *subnet.AvailableIpAddressCount)
		}

		// The defaults: m1.small, the default security group; a zone's default subnet.
		plain := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1c")}})[0]
		if plain.InstanceType != types.InstanceTypeM1Small || *plain.SecurityGroups[0].GroupName != "default" || *plain.PrivateIpAddress != "172.31.32.4" || plain.KeyName != nil {
			t.Errorf("instance with defaults = %+v", plain)
		}

		// Another region names its hosts after itself.
		eu := ec2Client(t, c, conformance.WithRegion("eu-west-1"))
		euI := run(t, eu, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, eu, "debian-12-*")), InstanceType: types.InstanceTypeT3Micro})[0]
		if *euI.PrivateDnsName != "ip-172-31-0-4.eu-west-1.compute.internal" || !strings.HasSuffix(*euI.PublicDnsName, ".eu-west-1.compute.amazonaws.com") {
			t.Errorf("eu-west-1 names %s, %s", *euI.PrivateDnsName, *euI.PublicDnsName)
		}

		// A new VPC's subnet maps no public address, unless asked; its hosts have no public name
		// until DNS hostnames are on.
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		private := must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24")}))(t).Subnet.SubnetId
		inside := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: private, InstanceType: types.InstanceTypeT3Micro, PrivateIpAddress: aws.String("10.0.1.10")})[0]
		if inside.PublicIpAddress != nil || *inside.PrivateIpAddress != "10.0.1.10" || *inside.VpcId != *vpc {
			t.Errorf("instance in a private subnet = %+v", inside)
		}
		public := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), InstanceType: types.InstanceTypeT3Micro,
			NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: private, AssociatePublicIpAddress: aws.Bool(true)}}})[0]
		if public.PublicIpAddress == nil || *public.PublicDnsName != "" || *public.PrivateIpAddress != "10.0.1.4" {
			t.Errorf("instance with a public address in a new VPC = %+v", public)
		}
		// The primary address as the AWS CLI's --private-ip-address puts it beside
		// --associate-public-ip-address: in the interface's PrivateIpAddresses.
		primary := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), InstanceType: types.InstanceTypeT3Micro,
			NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: private, AssociatePublicIpAddress: aws.Bool(false),
				PrivateIpAddresses: []types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.0.1.20"), Primary: aws.Bool(true)}}}}})[0]
		if primary.PublicIpAddress != nil || *primary.PrivateIpAddress != "10.0.1.20" {
			t.Errorf("instance with its primary address in the interface = %+v", primary)
		}

		// An instance profile from IAM, by name or ARN.
		root := iam.NewFromConfig(c.Config())
		profile := must(root.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web"), Path: aws.String("/app/")}))(t).InstanceProfile
		for _, spec := range []types.IamInstanceProfileSpecification{{Name: aws.String("web")}, {Arn: profile.Arn}} {
			i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), InstanceType: types.InstanceTypeT2Micro, IamInstanceProfile: &spec})[0]
			if i.IamInstanceProfile == nil || *i.IamInstanceProfile.Arn != "arn:aws:iam::123456789012:instance-profile/app/web" || *i.IamInstanceProfile.Id != *profile.InstanceProfileId {
				t.Errorf("instance profile = %+v", i.IamInstanceProfile)
			}
		}

		must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("inside"), Description: aws.String("x"), VpcId: vpc}))(t)
		arm := imageID(t, client, "al2023-ami-*-arm64")
		for _, tc := range []struct {
			name, code, message string
			in                  ec2.RunInstancesInput
		}{
			{"no such image", "InvalidAMIID.NotFound", "The image id '[ami-0123456789abcdef0]' does not exist",
				ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0")}},
			{"malformed image", "InvalidAMIID.Malformed", "", ec2.RunInstancesInput{ImageId: aws.String("ubuntu")}},
			{"instance type", "InvalidParameterValue", "Invalid value 't9.huge' for InstanceType.", ec2.RunInstancesInput{ImageId: aws.String(al), InstanceType: "t9.huge"}},
			{"architecture", "InvalidParameterValue", "The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64'",
				ec2.RunInstancesInput{ImageId: aws.String(arm), InstanceType: types.InstanceTypeT2Micro}},
			{"key pair", "InvalidKeyPair.NotFound", "The key pair 'nope' does not exist", ec2.RunInstancesInput{ImageId: aws.String(al), KeyName: aws.String("nope")}},
			{"group ID", "InvalidGroup.NotFound", "", ec2.RunInstancesInput{ImageId: aws.String(al), SecurityGroupIds: []string{"sg-0123456789abcdef0"}}},
			{"group name", "InvalidGroup.NotFound", "", ec2.RunInstancesInput{ImageId: aws.String(al), SecurityGroups: []string{"nope"}}},
			{"group of another VPC", "InvalidParameter", "", ec2.RunInstancesInput{ImageId: aws.String(al), SecurityGroupIds: []string{*web}, SubnetId: private}},
			{"group name with a subnet", "InvalidParameterCombination", "", ec2.RunInstancesInput{ImageId: aws.String(al), SecurityGroups: []string{"inside"}, SubnetId: private}},
			{"no such subnet", "InvalidSubnetID.NotFound", "", ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: aws.String("subnet-0123456789abcdef0")}},
			{"zone", "InvalidParameterValue", "", ec2.RunInstancesInput{ImageId: aws.String(al), Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1z")}}},
			{"min over max", "InvalidParameterValue", "", ec2.RunInstancesInput{ImageId: aws.String(al), MinCount: aws.Int32(3), MaxCount: aws.Int32(2)}},
			{"zero", "InvalidParameterValue", "", ec2.RunInstancesInput{ImageId: aws.String(al), MinCount: aws.Int32(0), MaxCount: aws.Int32(1)}},
			{"user data", "InvalidParameterValue", "Invalid BASE64 encoding of user data.", ec2.RunInstancesInput{ImageId: aws.String(al), UserData: aws.String("#!/bin/sh")}},
			{"address in use", "InvalidIPAddress.InUse", "", ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: private, PrivateIpAddress: aws.String("10.0.1.10")}},
			{"reserved address", "InvalidParameterValue", "", ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: private, PrivateIpAddress: aws.String("10.0.1.1")}},
			{"profile name", "InvalidParameterValue", "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
				ec2.RunInstancesInput{ImageId: aws.String(al), IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("nope")}}},
			{"too many", "InsufficientFreeAddressesInSubnet", "", ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: private, MinCount: aws.Int32(300), MaxCount: aws.Int32(300)}},
			{"secondary address", "NotImplemented", "no secondary addresses", ec2.RunInstancesInput{ImageId: aws.String(al), NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{
				DeviceIndex: aws.Int32(0), PrivateIpAddresses: []types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("172.31.0.99"), Primary: aws.Bool(false)}}}}}},
			{"secondary count", "NotImplemented", "no secondary addresses", ec2.RunInstancesInput{ImageId: aws.String(al), NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{
				DeviceIndex: aws.Int32(0), SecondaryPrivateIpAddressCount: aws.Int32(2)}}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.in.MinCount == nil {
					tc.in.MinCount, tc.in.MaxCount = aws.Int32(1), aws.Int32(1)
				}
				_, err := client.RunInstances(ctx, &tc.in)
				wantCode(t, err, tc.code)
				if !strings.Contains(err.Error(), tc.message) {
					t.Errorf("message %q, want it to say %q", err, tc.message)
				}
			})
		}
		_, err := eu.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidAMIID.NotFound")

		// MaxCount is what fits when MinCount is met: 251 addresses less the 3 in use.
		most := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(al), SubnetId: private, MinCount: aws.Int32(1), MaxCount: aws.Int32(300)}))(t).Instances
		if len(most) != 248 {
			t.Errorf("%d instances launched, want 248", len(most))
		}

		// A client token makes the request idempotent.
		first := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), ClientToken: aws.String("once")})
		second := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(al), ClientToken: aws.String("once")})
		if *first[0].InstanceId != *second[0].InstanceId {
			t.Errorf("the same client token launched %s and %s", *first[0].InstanceId, *second[0].InstanceId)
		}
	})
}

func TestEC2InstanceLifecycle(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		group := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		launched := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, SecurityGroupIds: []string{*group}})[0]
		id := launched.InstanceId
		ids := []string{*id}
		state := func() types.Instance { t.Helper(); return describeInstance(t, client, *id) }
		wantChange := func(changes []types.InstanceStateChange, prev, cur types.InstanceStateName) {
			t.Helper()
			if len(changes) != 1 || *changes[0].InstanceId != *id || changes[0].PreviousState.Name != prev || changes[0].CurrentState.Name != cur {
				t.Errorf("state change = %+v, want %s → %s", changes, prev, cur)
			}
		}

		wantChange(must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids}))(t).StoppingInstances, "running", "stopping")
		stopped := state()
		c.Diverges(t, conformance.Moto, "moto leaves out a stopped instance's PublicDnsName, which AWS answers empty")
		if stopped.State.Name != types.InstanceStateNameStopped || *stopped.State.Code != 80 || stopped.PublicIpAddress != nil ||
			*stopped.PublicDnsName != "" || stopped.StateReason == nil || !strings.HasPrefix(*stopped.StateTransitionReason, "User initiated (") {
			t.Errorf("stopped instance = %+v", stopped)
		}
		wantChange(must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids}))(t).StoppingInstances, "stopped", "stopped")
		wantChange(must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids}))(t).StartingInstances, "stopped", "pending")
		started := state()
		if started.State.Name != types.InstanceStateNameRunning || started.PublicIpAddress == nil || *started.PrivateIpAddress != *launched.PrivateIpAddress {
			t.Errorf("started instance = %+v", started)
		}
		must(client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: ids}))(t)

		// Termination protection.
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, DisableApiTermination: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		_, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids})
		wantCode(t, err, "OperationNotPermitted")
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, Attribute: types.InstanceAttributeNameDisableApiTermination, Value: aws.String("false")}))(t)

		// A group in use cannot go; nor can the subnet.
		_, err = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: group})
		wantCode(t, err, "DependencyViolation")
		_, err = client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: launched.SubnetId})
		wantCode(t, err, "DependencyViolation")

		wantChange(must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))(t).TerminatingInstances, "running", "shutting-down")
		gone := state()
		if gone.State.Name != types.InstanceStateNameTerminated || *gone.State.Code != 48 || gone.PrivateIpAddress != nil || gone.PublicIpAddress != nil || len(gone.NetworkInterfaces) != 0 {
			t.Errorf("terminated instance = %+v", gone)
		}
		wantChange(must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}))(t).TerminatingInstances, "terminated", "terminated")
		for name, call := range map[string]func() error{
			"start": func() error {
				_, err := client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids})
				return err
			},
			"stop": func() error {
				_, err := client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids})
				return err
			},
			"reboot": func() error {
				_, err := client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: ids})
				return err
			},
		} {
			t.Run(name, func(t *testing.T) { wantCode(t, call(), "IncorrectInstanceState") })
		}
		must(client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: group}))(t)
		subnet := must(client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*launched.SubnetId}}))(t).Subnets[0]
		if *subnet.AvailableIpAddressCount != 4091 {
			t.Errorf("%d addresses free after termination, want 4091", *subnet.AvailableIpAddressCount)
		}

		// A terminated instance stays listed for an hour of the simulator's clock.
		c.Advance(t, 59*time.Minute)
		state()
		c.Advance(t, 2*time.Minute)
		_, err = client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
		wantCode(t, err, "InvalidInstanceID.NotFound")
		if res := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations; len(res) != 0 {
			t.Errorf("an hour after termination, %d reservations", len(res))
		}

		_, err = client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"i-0123456789abcdef0", "i-0123456789abcdef1"}})
		wantCode(t, err, "InvalidInstanceID.NotFound")
		if !strings.Contains(err.Error(), "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist") {
			t.Errorf("message: %v", err)
		}
		_, err = client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{"i-xyz"}})
		wantCode(t, err, "InvalidInstanceID.Malformed")
	})
}

func TestEC2DescribeInstances(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		al := imageID(t, client, "al2023-ami-*-x86_64")
		must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), KeyType: types.KeyTypeEd25519}))(t)
		web := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		a := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(al), MinCount: aws.Int32(4), MaxCount: aws.Int32(4),
			InstanceType: types.InstanceTypeT3Micro, KeyName: aws.String("lab"), SecurityGroupIds: []string{*web}, TagSpecifications: nameTag(types.ResourceTypeInstance, "web")}))(t)
		xenial := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(3), MaxCount: aws.Int32(3),
			Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1b")}}))(t)
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*xenial.Instances[0].InstanceId}}))(t)
		first := a.Instances[0]

		count := func(res []types.Reservation) int {
			n := 0
			for _, r := range res {
				n += len(r.Instances)
			}
			return n
		}
		for _, tc := range []struct {
			name    string
			filters []types.Filter
			want    int
		}{
			{"instance-type", []types.Filter{filter("instance-type", "t3.micro")}, 4},
			{"instance-state-name", []types.Filter{filter("instance-state-name", "running")}, 6},
			{"instance-state-code", []types.Filter{filter("instance-state-code", "80")}, 1},
			{"image-id", []types.Filter{filter("image-id", "ami-fce3c696")}, 3},
			{"key-name", []types.Filter{filter("key-name", "lab")}, 4},
			{"availability-zone", []types.Filter{filter("availability-zone", "us-east-1b")}, 3},
			{"subnet-id", []types.Filter{filter("subnet-id", *first.SubnetId)}, 4},
			{"vpc-id", []types.Filter{filter("vpc-id", *first.VpcId)}, 7},
			{"private-ip-address", []types.Filter{filter("private-ip-address", *first.PrivateIpAddress)}, 1},
			{"ip-address", []types.Filter{filter("ip-address", *first.PublicIpAddress)}, 1},
			{"instance.group-id", []types.Filter{filter("instance.group-id", *web)}, 4},
			{"instance.group-name", []types.Filter{filter("instance.group-name", "default")}, 3},
			{"tag", []types.Filter{filter("tag:Name", "web")}, 4},
			{"tag-key", []types.Filter{filter("tag-key", "Name")}, 4},
			{"reservation-id", []types.Filter{filter("reservation-id", *xenial.ReservationId)}, 3},
			{"instance-id", []types.Filter{filter("instance-id", *first.InstanceId, *xenial.Instances[2].InstanceId)}, 2},
			{"owner-id", []types.Filter{filter("owner-id", sim.DefaultAccount)}, 7},
			{"two filters", []types.Filter{filter("instance-state-name", "running"), filter("image-id", "ami-fce3c696")}, 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c.Diverges(t, conformance.Moto, map[string]string{
					"instance-state-code": "moto has no filter instance-state-code: it answers 500",
					"reservation-id":      "moto has no filter reservation-id: it answers 500",
					"availability-zone":   "moto's filter availability-zone matches no instance",
					"instance.group-name": "moto puts an instance launched without groups in none, not in its VPC's default group",
				}[tc.name])
				if got := count(must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: tc.filters}))(t).Reservations); got != tc.want {
					t.Errorf("%d instances, want %d", got, tc.want)
				}
			})
		}

		// Pages count instances, and cut reservations where they fall.
		c.Diverges(t, conformance.Moto, "moto's DescribeInstances ignores MaxResults: one page")
		page1 := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)}))(t)
		if count(page1.Reservations) != 5 || len(page1.Reservations) != 2 || page1.NextToken == nil {
			t.Fatalf("page 1: %d instances in %d reservations, token %v", count(page1.Reservations), len(page1.Reservations), page1.NextToken)
		}
		page2 := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5), NextToken: page1.NextToken}))(t)
		if count(page2.Reservations) != 2 || page2.NextToken != nil || *page2.Reservations[0].ReservationId != *xenial.ReservationId {
			t.Errorf("page 2: %+v", page2)
		}
		n := 0
		for p := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
			n += count(must(p.NextPage(ctx))(t).Reservations)
		}
		if n != 7 {
			t.Errorf("the paginator saw %d instances, want 7", n)
		}

		for _, tc := range []struct {
			name string
			in   ec2.DescribeInstancesInput
			code string
		}{
			{"too few", ec2.DescribeInstancesInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
			{"too many", ec2.DescribeInstancesInput{MaxResults: aws.Int32(1001)}, "InvalidParameterValue"},
			{"IDs and MaxResults", ec2.DescribeInstancesInput{MaxResults: aws.Int32(5), InstanceIds: []string{*first.InstanceId}}, "InvalidParameterCombination"},
			{"bad token", ec2.DescribeInstancesInput{NextToken: aws.String("nope")}, "InvalidPaginationToken"},
			{"missing", ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}}, "InvalidInstanceID.NotFound"},
			{"malformed", ec2.DescribeInstancesInput{InstanceIds: []string{"web"}}, "InvalidInstanceID.Malformed"},
			{"unknown filter", ec2.DescribeInstancesInput{Filters: []types.Filter{filter("colour", "x")}}, "InvalidParameterValue"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.DescribeInstances(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}

		// Status checks: of running instances, or of all.
		running := must(client.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{}))(t).InstanceStatuses
		all := must(client.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)}))(t).InstanceStatuses
		if len(running) != 6 || len(all) != 7 || running[0].InstanceStatus.Status != types.SummaryStatusOk || running[0].SystemStatus.Details[0].Status != types.StatusTypePassed {
			t.Errorf("statuses: %d running, %d in all: %+v", len(running), len(all), running)
		}
		stopped := must(client.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true), Filters: []types.Filter{filter("instance-state-name", "stopped")}}))(t).InstanceStatuses
		if len(stopped) != 1 || stopped[0].InstanceStatus.Status != types.SummaryStatusNotApplicable {
			t.Errorf("stopped statuses = %+v", stopped)
		}
	})
}

func TestEC2InstanceAttributes(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		i := run(t, client, ec2.RunInstancesInput{ImageId: aws.String(imageID(t, client, "al2023-ami-*-x86_64")), InstanceType: types.InstanceTypeT2Micro})[0]
		id := i.InstanceId
		attr := func(a types.InstanceAttributeName) *ec2.DescribeInstanceAttributeOutput {
			t.Helper()
			return must(client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: id, Attribute: a}))(t)
		}
		if got := attr(types.InstanceAttributeNameUserData); got.UserData == nil || got.UserData.Value != nil {
			t.Errorf("user data of an instance launched without = %+v", got.UserData)
		}
		c.Diverges(t, conformance.Moto, "moto puts an instance launched without groups in none, not in its VPC's default group")
		if *attr(types.InstanceAttributeNameDisableApiTermination).DisableApiTermination.Value ||
			*attr(types.InstanceAttributeNameInstanceInitiatedShutdownBehavior).InstanceInitiatedShutdownBehavior.Value != "stop" ||
			*attr(types.InstanceAttributeNameRootDeviceName).RootDeviceName.Value != "/dev/xvda" || len(attr(types.InstanceAttributeNameGroupSet).Groups) != 1 {
			t.Error("default attributes are wrong")
		}

		setType := &ec2.ModifyInstanceAttributeInput{InstanceId: id, InstanceType: &types.AttributeValue{Value: aws.String("t3.small")}}
		_, err := client.ModifyInstanceAttribute(ctx, setType)
		wantCode(t, err, "IncorrectInstanceState")
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*id}}))(t)
		must(client.ModifyInstanceAttribute(ctx, setType))(t)
		if got := *attr(types.InstanceAttributeNameInstanceType).InstanceType.Value; got != "t3.small" {
			t.Errorf("instance type = %s", got)
		}
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, UserData: &types.SecureBlobAttributeValue{Value: []byte("#!/bin/sh\n")}}))(t)
		if got := *attr(types.InstanceAttributeNameUserData).UserData.Value; got != base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\n")) {
			t.Errorf("user data = %s", got)
		}
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, Attribute: types.InstanceAttributeNameInstanceInitiatedShutdownBehavior, Value: aws.String("terminate")}))(t)
		if got := *attr(types.InstanceAttributeNameInstanceInitiatedShutdownBehavior).InstanceInitiatedShutdownBehavior.Value; got != "terminate" {
			t.Errorf("shutdown behavior = %s", got)
		}
		web := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, Groups: []string{*web}}))(t)
		if got := attr(types.InstanceAttributeNameGroupSet).Groups; len(got) != 1 || *got[0].GroupId != *web {
			t.Errorf("groups = %+v", got)
		}
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, DisableApiStop: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*id}}))(t)
		_, err = client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*id}})
		wantCode(t, err, "OperationNotPermitted")

		for _, tc := range []struct {
			name string
			in   ec2.ModifyInstanceAttributeInput
			code string
		}{
			{"two attributes", ec2.ModifyInstanceAttributeInput{InstanceId: id, DisableApiStop: &types.AttributeBooleanValue{Value: aws.Bool(true)},
				SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(true)}}, "InvalidParameterCombination"},
			{"none", ec2.ModifyInstanceAttributeInput{InstanceId: id}, "InvalidParameterCombination"},
			{"running", ec2.ModifyInstanceAttributeInput{InstanceId: id, InstanceType: &types.AttributeValue{Value: aws.String("t3.micro")}}, "IncorrectInstanceState"},
			{"not a bool", ec2.ModifyInstanceAttributeInput{InstanceId: id, Attribute: types.InstanceAttributeNameDisableApiTermination, Value: aws.String("yes please")}, "InvalidParameterValue"},
			{"group of nowhere", ec2.ModifyInstanceAttributeInput{InstanceId: id, Groups: []string{"sg-0123456789abcdef0"}}, "InvalidGroup.NotFound"},
			{"missing", ec2.ModifyInstanceAttributeInput{InstanceId: aws.String("i-0123456789abcdef0"), SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}}, "InvalidInstanceID.NotFound"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.ModifyInstanceAttribute(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		_, err = client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: id, Attribute: "colour"})
		wantCode(t, err, "InvalidParameterValue")
		// A stopped instance takes only a type of its image's architecture.
		must(client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, DisableApiStop: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))(t)
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*id}}))(t)
		_, err = client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: id, InstanceType: &types.AttributeValue{Value: aws.String("t4g.micro")}})
		wantCode(t, err, "InvalidParameterValue")
	})
}
