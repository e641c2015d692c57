package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestDescribeRegions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2.NewFromConfig(c.Config())
		all, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		enabled, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		if err != nil {
			t.Fatal(err)
		}
		c.Diverges(t, conformance.Moto, "moto has 38 regions, all enabled: no opt-in regions")
		if len(all.Regions) != 34 || len(enabled.Regions) != 17 {
			t.Errorf("%d regions in all, %d enabled; want 34 and 17", len(all.Regions), len(enabled.Regions))
		}
		one, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{RegionNames: []string{"af-south-1"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(one.Regions) != 1 || *one.Regions[0].OptInStatus != "not-opted-in" || *one.Regions[0].Endpoint != "ec2.af-south-1.amazonaws.com" {
			t.Errorf("af-south-1 = %+v", one.Regions)
		}
		eu, err := client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{Filters: []types.Filter{{Name: aws.String("region-name"), Values: []string{"eu-*"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(eu.Regions) != 5 { // eu-central-1, eu-north-1, eu-west-1, -2, -3
			t.Errorf("eu-* matched %d enabled regions, want 5", len(eu.Regions))
		}
		_, err = client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{DryRun: aws.Bool(true)})
		wantCode(t, err, "DryRunOperation")
		_, err = ec2.NewFromConfig(newUser(t, c, "alex")).DescribeRegions(ctx, &ec2.DescribeRegionsInput{DryRun: aws.Bool(true)})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

func TestDescribeAvailabilityZones(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		out, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, z := range out.AvailabilityZones {
			got = append(got, *z.ZoneName+"="+*z.ZoneId)
			if *z.RegionName != "eu-west-1" || z.State != types.AvailabilityZoneStateAvailable {
				t.Errorf("zone %s: region %s state %s", *z.ZoneName, *z.RegionName, z.State)
			}
		}
		c.Diverges(t, conformance.Moto, "moto maps eu-west-1's zone names to other zone IDs (euw1-az3, -az1, -az2; a mapping AWS makes per account)")
		want := []string{"eu-west-1a=euw1-az1", "eu-west-1b=euw1-az2", "eu-west-1c=euw1-az3"}
		if len(got) != len(want) {
			t.Fatalf("zones = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("zones = %v, want %v", got, want)
			}
		}
		us, err := ec2.NewFromConfig(c.Config()).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
			Filters: []types.Filter{{Name: aws.String("zone-id"), Values: []string{"use1-az1"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(us.AvailabilityZones) != 1 || *us.AvailabilityZones[0].ZoneName != "us-east-1b" {
			t.Errorf("use1-az1 = %+v", us.AvailabilityZones)
		}
		_, err = client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"eu-west-1z"}})
		wantCode(t, err, "InvalidParameterValue")
	})
}

// must takes a call's results and returns its value for a test, which fails on the error:
// must(client.DescribeVpcs(ctx, in))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// filter is an EC2 filter.
func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// ec2Client returns an EC2 client of c signing as root, in us-east-1 unless opts say otherwise.
func ec2Client(t *testing.T, c *conformance.Account, opts ...conformance.ConfigOption) *ec2.Client {
	t.Helper()
	return ec2.NewFromConfig(c.Config(opts...))
}

// nameTag is the TagSpecifications of a resource called name.
func nameTag(rt types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: rt, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}
