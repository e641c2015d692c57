package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestEC2Tags(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs[0].VpcId
		group := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId
		key := must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab"), KeyType: types.KeyTypeEd25519}))(t).KeyPairId
		inst := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696")})[0].InstanceId
		env := []types.Tag{{Key: aws.String("env"), Value: aws.String("lab")}}
		must(client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{*vpc, *group, *key, *inst, "ami-fce3c696"}, Tags: env}))(t)
		must(client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{*inst}, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1")}}}))(t)

		for _, tc := range []struct {
			name    string
			filters []types.Filter
			want    int
		}{
			{"all", nil, 6},
			{"key", []types.Filter{filter("key", "env")}, 5},
			{"value", []types.Filter{filter("value", "web-*")}, 1},
			{"resource-id", []types.Filter{filter("resource-id", *inst)}, 2},
			{"resource-type", []types.Filter{filter("resource-type", "security-group", "key-pair")}, 2},
			{"image", []types.Filter{filter("resource-type", "image")}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := must(client.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: tc.filters}))(t).Tags; len(got) != tc.want {
					t.Errorf("%d tags, want %d: %+v", len(got), tc.want, got)
				}
			})
		}
		// Each resource shows its tags, and its Describe filters on them.
		c.Diverges(t, conformance.Moto, "moto lists an instance's tags in the order they were made; the simulator sorts them by key")
		if tags := describeInstance(t, client, *inst).Tags; len(tags) != 2 || *tags[0].Key != "Name" {
			t.Errorf("instance tags = %+v", tags)
		}
		if got := must(client.DescribeImages(ctx, &ec2.DescribeImagesInput{IncludeDeprecated: aws.Bool(true), Filters: []types.Filter{filter("tag:env", "lab")}}))(t).Images; len(got) != 1 {
			t.Errorf("%d images tagged env=lab", len(got))
		}

		// A tag given with a value goes only if the value matches; without one, whatever its value.
		must(client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{*inst}, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("other")}}}))(t)
		must(client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{*inst}, Tags: []types.Tag{{Key: aws.String("env")}}}))(t)
		if tags := describeInstance(t, client, *inst).Tags; len(tags) != 1 || *tags[0].Key != "Name" {
			t.Errorf("instance tags after deleting = %+v", tags)
		}
		must(client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{*vpc, *group}}))(t)
		if got := must(client.DescribeTags(ctx, &ec2.DescribeTagsInput{}))(t).Tags; len(got) != 3 {
			t.Errorf("%d tags after deleting all of two resources', want 3", len(got))
		}

		for _, tc := range []struct {
			name, id, code string
			tags           []types.Tag
		}{
			{"not an ID", "web", "InvalidID", env},
			{"unknown prefix", "xyz-0123456789abcdef0", "InvalidID", env},
			{"missing instance", "i-0123456789abcdef0", "InvalidInstanceID.NotFound", env},
			{"missing group", "sg-0123456789abcdef0", "InvalidGroup.NotFound", env},
			{"reserved key", *inst, "InvalidParameterValue", []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{tc.id}, Tags: tc.tags})
				wantCode(t, err, tc.code)
			})
		}
		var many []types.Tag
		for k := range 51 {
			many = append(many, types.Tag{Key: aws.String(string(rune('a'+k%26)) + string(rune('a'+k/26))), Value: aws.String("v")})
		}
		_, err := client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{*inst}, Tags: many})
		wantCode(t, err, "TagLimitExceeded")
	})
}
