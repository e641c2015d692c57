package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// imageID returns the ID of the one image whose name matches pattern.
func imageID(t *testing.T, client *ec2.Client, pattern string) string {
	t.Helper()
	images := must(client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{Filters: []types.Filter{filter("name", pattern)}}))(t).Images
	if len(images) != 1 {
		t.Fatalf("%d images named %s", len(images), pattern)
	}
	return *images[0].ImageId
}

func TestEC2DescribeImages(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		for _, tc := range []struct {
			name string
			in   ec2.DescribeImagesInput
			want int
		}{
			{"all current", ec2.DescribeImagesInput{}, 8},
			{"with deprecated", ec2.DescribeImagesInput{IncludeDeprecated: aws.Bool(true)}, 11},
			{"amazon", ec2.DescribeImagesInput{Owners: []string{"amazon"}}, 4},
			{"Canonical", ec2.DescribeImagesInput{Owners: []string{"099720109477"}}, 3},
			{"self", ec2.DescribeImagesInput{Owners: []string{"self"}}, 0},
			{"name", ec2.DescribeImagesInput{Filters: []types.Filter{filter("name", "ubuntu/images/*noble*")}}, 2},
			{"architecture", ec2.DescribeImagesInput{Filters: []types.Filter{filter("architecture", "arm64")}}, 2},
			{"platform", ec2.DescribeImagesInput{Filters: []types.Filter{filter("platform", "windows")}}, 1},
			{"owner-alias", ec2.DescribeImagesInput{Filters: []types.Filter{filter("owner-alias", "amazon"), filter("root-device-name", "/dev/sda1")}}, 1},
			{"state and type", ec2.DescribeImagesInput{Filters: []types.Filter{filter("state", "available"), filter("root-device-type", "ebs"), filter("virtualization-type", "hvm")}}, 8},
			{"the course's AMIs", ec2.DescribeImagesInput{ImageIds: []string{"ami-fce3c696", "ami-4fffc834"}}, 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c.Diverges(t, conformance.Moto, map[string]string{
					"all current":    "moto has no deprecated images: it lists them all",
					"Canonical":      "moto has no deprecated images: it lists them all",
					"state and type": "moto has no deprecated images: it lists them all",
					"amazon":         "moto takes every image of its catalog for the alias amazon's",
					"owner-alias":    "moto takes every image of its catalog for the alias amazon's",
				}[tc.name])
				if got := must(client.DescribeImages(ctx, &tc.in))(t).Images; len(got) != tc.want {
					t.Errorf("%d images, want %d", len(got), tc.want)
				}
			})
		}

		xenial := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-fce3c696"}}))(t).Images[0]
		c.Diverges(t, conformance.Moto, "moto has no image deprecation: ami-fce3c696 has no DeprecationTime")
		if *xenial.OwnerId != "099720109477" || *xenial.RootDeviceName != "/dev/sda1" || xenial.DeprecationTime == nil ||
			*xenial.BlockDeviceMappings[0].Ebs.VolumeSize != 8 || xenial.Architecture != types.ArchitectureValuesX8664 {
			t.Errorf("ami-fce3c696 = %+v", xenial)
		}
		al := imageID(t, client, "al2023-ami-*-x86_64")
		eu := ec2Client(t, c, conformance.WithRegion("eu-west-1"))
		if euAL := imageID(t, eu, "al2023-ami-*-x86_64"); euAL == al || len(al) != len("ami-")+17 {
			t.Errorf("AL2023 is %s in us-east-1 and %s in eu-west-1", al, euAL)
		}
		if again := imageID(t, ec2Client(t, b.Open(t, sim.WithSeed(9))), "al2023-ami-*-x86_64"); again != al {
			t.Errorf("AL2023 is %s in one account, %s in another", al, again)
		}

		_, err := eu.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-fce3c696"}})
		wantCode(t, err, "InvalidAMIID.NotFound")
		_, err = client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ubuntu"}})
		wantCode(t, err, "InvalidAMIID.Malformed")
		_, err = client.DescribeImages(ctx, &ec2.DescribeImagesInput{Filters: []types.Filter{filter("colour", "x")}})
		wantCode(t, err, "InvalidParameterValue")
	})
}

func TestEC2DescribeInstanceTypes(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Shared(t) // only reads
		client := ec2Client(t, c)
		c.Diverges(t, conformance.Moto, "moto's t2.micro is not FreeTierEligible")
		micro := must(client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{"t2.micro"}}))(t).InstanceTypes
		if len(micro) != 1 || *micro[0].VCpuInfo.DefaultVCpus != 1 || *micro[0].MemoryInfo.SizeInMiB != 1024 || !*micro[0].FreeTierEligible ||
			micro[0].Hypervisor != types.InstanceTypeHypervisorXen || micro[0].ProcessorInfo.SupportedArchitectures[1] != types.ArchitectureTypeX8664 {
			t.Errorf("t2.micro = %+v", micro)
		}
		c.Require(t, conformance.Simulator) // the simulator's table: two free-tier types, two Graviton ones
		free := must(client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{Filters: []types.Filter{filter("free-tier-eligible", "true")}}))(t).InstanceTypes
		if len(free) != 2 {
			t.Errorf("%d free-tier types, want t2.micro and t3.micro", len(free))
		}
		arm := must(client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{Filters: []types.Filter{filter("processor-info.supported-architecture", "arm64")}}))(t).InstanceTypes
		if len(arm) != 2 || arm[0].Hypervisor != types.InstanceTypeHypervisorNitro {
			t.Errorf("arm64 types = %+v", arm)
		}

		// Pages of 5 cover the table once.
		seen := map[types.InstanceType]bool{}
		p := ec2.NewDescribeInstanceTypesPaginator(client, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			for _, it := range must(p.NextPage(ctx))(t).InstanceTypes {
				if seen[it.InstanceType] {
					t.Errorf("%s twice", it.InstanceType)
				}
				seen[it.InstanceType] = true
			}
		}
		all := must(client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{}))(t).InstanceTypes
		if len(seen) != len(all) || len(all) < 20 {
			t.Errorf("%d types by pages of 5, %d in one call", len(seen), len(all))
		}
		_, err := client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{"t9.huge"}})
		wantCode(t, err, "InvalidInstanceType")
		_, err = client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(101)})
		wantCode(t, err, "InvalidParameterValue")
	})
}
