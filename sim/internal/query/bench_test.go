package query_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/query"
)

// runInstancesForm is the body the SDK sends for a typical first-lesson RunInstances.
func runInstancesForm(tb testing.TB) url.Values {
	tb.Helper()
	in := &ec2.RunInstancesInput{
		ImageId:          aws.String("ami-0abcdef1234567890"),
		InstanceType:     types.InstanceTypeT3Micro,
		MinCount:         aws.Int32(1),
		MaxCount:         aws.Int32(2),
		KeyName:          aws.String("my-key"),
		SecurityGroupIds: []string{"sg-0123456789abcdef0", "sg-0fedcba9876543210"},
		SubnetId:         aws.String("subnet-0123456789abcdef0"),
		UserData:         aws.String("IyEvYmluL2Jhc2gKeXVtIGluc3RhbGwgLXkgaHR0cGQK"),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{
			Name: aws.String("web-role"),
		},
		BlockDeviceMappings: []types.BlockDeviceMapping{{
			DeviceName: aws.String("/dev/xvda"),
			Ebs: &types.EbsBlockDevice{
				VolumeSize: aws.Int32(20), VolumeType: types.VolumeTypeGp3,
				DeleteOnTermination: aws.Bool(true), Encrypted: aws.Bool(true),
			},
		}},
		MetadataOptions: &types.InstanceMetadataOptionsRequest{
			HttpTokens: types.HttpTokensStateRequired, HttpEndpoint: types.InstanceMetadataEndpointStateEnabled,
		},
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeInstance,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1")}, {Key: aws.String("env"), Value: aws.String("lab")}},
		}, {
			ResourceType: types.ResourceTypeVolume,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1-root")}},
		}},
		ClientToken: aws.String("3f1e0c52-7f4b-4f55-9a0e-8a2f6a0d9c11"),
	}
	tr := &transport{status: http.StatusOK}
	canned, _ := query.EC2.EncodeResult(nil, "RunInstances", nil, "r")
	tr.resp = canned
	if _, err := ec2.NewFromConfig(testConfig(tr)).RunInstances(context.Background(), in); err != nil {
		tb.Fatal(err)
	}
	return form(tb, tr.body)
}

func describeInstancesOutput() *ec2.DescribeInstancesOutput {
	launch := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	out := &ec2.DescribeInstancesOutput{}
	for r := 0; r < 3; r++ {
		res := types.Reservation{
			ReservationId: aws.String("r-0123456789abcdef0"),
			OwnerId:       aws.String("123456789012"),
		}
		for i := 0; i < 2; i++ {
			res.Instances = append(res.Instances, types.Instance{
				InstanceId:       aws.String("i-0123456789abcdef0"),
				ImageId:          aws.String("ami-0abcdef1234567890"),
				InstanceType:     types.InstanceTypeT3Micro,
				KeyName:          aws.String("my-key"),
				LaunchTime:       aws.Time(launch),
				AmiLaunchIndex:   aws.Int32(int32(i)),
				Architecture:     types.ArchitectureValuesX8664,
				State:            &types.InstanceState{Code: aws.Int32(16), Name: types.InstanceStateNameRunning},
				PrivateDnsName:   aws.String("ip-172-31-16-10.ec2.internal"),
				PrivateIpAddress: aws.String("172.31.16.10"),
				PublicDnsName:    aws.String("ec2-3-80-1-2.compute-1.amazonaws.com"),
				PublicIpAddress:  aws.String("3.80.1.2"),
				SubnetId:         aws.String("subnet-0123456789abcdef0"),
				VpcId:            aws.String("vpc-0123456789abcdef0"),
				Placement:        &types.Placement{AvailabilityZone: aws.String("us-east-1a"), Tenancy: types.TenancyDefault},
				Monitoring:       &types.Monitoring{State: types.MonitoringStateDisabled},
				SecurityGroups:   []types.GroupIdentifier{{GroupId: aws.String("sg-0123456789abcdef0"), GroupName: aws.String("web")}},
				RootDeviceName:   aws.String("/dev/xvda"),
				RootDeviceType:   types.DeviceTypeEbs,
				BlockDeviceMappings: []types.InstanceBlockDeviceMapping{{
					DeviceName: aws.String("/dev/xvda"),
					Ebs: &types.EbsInstanceBlockDevice{
						VolumeId: aws.String("vol-0123456789abcdef0"), Status: types.AttachmentStatusAttached,
						AttachTime: aws.Time(launch), DeleteOnTermination: aws.Bool(true),
					},
				}},
				Tags:               []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1 & <co>")}},
				Hypervisor:         types.HypervisorTypeXen,
				VirtualizationType: types.VirtualizationTypeHvm,
				EbsOptimized:       aws.Bool(false),
				EnaSupport:         aws.Bool(true),
				SourceDestCheck:    aws.Bool(true),
			})
		}
		out.Reservations = append(out.Reservations, res)
	}
	return out
}

// BenchmarkDecodeRunInstances decodes a RunInstances request of the size the labs send.
func BenchmarkDecodeRunInstances(b *testing.B) {
	f := runInstancesForm(b)
	if err := query.EC2.Decode(f, &ec2.RunInstancesInput{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var in ec2.RunInstancesInput
		if err := query.EC2.Decode(f, &in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeDescribeInstances encodes three reservations of two instances each.
func BenchmarkEncodeDescribeInstances(b *testing.B) {
	out := describeInstancesOutput()
	buf, err := query.EC2.EncodeResult(nil, "DescribeInstances", out, "req")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf, err = query.EC2.EncodeResult(buf[:0], "DescribeInstances", out, "req")
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSDKDescribeInstancesFloor is the yardstick: the SDK client reading the same
// response from a canned RoundTripper (its whole call, including signing).
func BenchmarkSDKDescribeInstancesFloor(b *testing.B) {
	buf, err := query.EC2.EncodeResult(nil, "DescribeInstances", describeInstancesOutput(), "req")
	if err != nil {
		b.Fatal(err)
	}
	client := ec2.NewFromConfig(testConfig(&transport{status: http.StatusOK, resp: buf}))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}); err != nil {
			b.Fatal(err)
		}
	}
}
