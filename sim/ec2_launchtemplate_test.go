package sim_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// tagOf returns the value of the tag key in ts, "" when there is none.
func tagOf(ts []types.Tag, key string) string {
	for _, t := range ts {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func TestEC2LaunchTemplates(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("lab")}))(t)
		vpc := must(client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("is-default", "true")}}))(t).Vpcs[0].VpcId
		web := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: vpc}))(t).GroupId
		userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hello\n"))

		created := must(client.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{
			LaunchTemplateName: aws.String("web"), VersionDescription: aws.String("first"),
			LaunchTemplateData: &types.RequestLaunchTemplateData{
				ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT2Micro, KeyName: aws.String("lab"),
				SecurityGroupIds: []string{*web}, UserData: aws.String(userData),
				TagSpecifications: []types.LaunchTemplateTagSpecificationRequest{{ResourceType: types.ResourceTypeInstance,
					Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}, {Key: aws.String("tier"), Value: aws.String("front")}}}},
			},
			TagSpecifications: nameTag(types.ResourceTypeLaunchTemplate, "web-template"),
		}))(t).LaunchTemplate
		id := *created.LaunchTemplateId
		if len(id) != 20 || id[:3] != "lt-" || *created.DefaultVersionNumber != 1 || *created.LatestVersionNumber != 1 ||
			*created.CreatedBy != "arn:aws:iam::123456789012:root" || tagOf(created.Tags, "Name") != "web-template" {
			t.Errorf("created = %+v", created)
		}

		// Version 2 from version 1: a larger type, the rest inherited.
		v2 := must(client.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{
			LaunchTemplateName: aws.String("web"), SourceVersion: aws.String("1"), VersionDescription: aws.String("larger"),
			LaunchTemplateData: &types.RequestLaunchTemplateData{InstanceType: types.InstanceTypeT3Small},
		}))(t).LaunchTemplateVersion
		if *v2.VersionNumber != 2 || *v2.DefaultVersion || v2.LaunchTemplateData.InstanceType != types.InstanceTypeT3Small ||
			aws.ToString(v2.LaunchTemplateData.ImageId) != "ami-4fffc834" || aws.ToString(v2.LaunchTemplateData.KeyName) != "lab" {
			t.Errorf("version 2 = %+v, data %+v", v2, v2.LaunchTemplateData)
		}
		// Version 3 without a source has only what it says.
		v3 := must(client.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{
			LaunchTemplateId: aws.String(id), LaunchTemplateData: &types.RequestLaunchTemplateData{InstanceType: types.InstanceTypeT3Micro},
		}))(t).LaunchTemplateVersion
		if *v3.VersionNumber != 3 || v3.LaunchTemplateData.ImageId != nil {
			t.Errorf("version 3 = %+v", v3.LaunchTemplateData)
		}

		versions := func(in *ec2.DescribeLaunchTemplateVersionsInput) []int64 {
			t.Helper()
			var out []int64
			for _, v := range must(client.DescribeLaunchTemplateVersions(ctx, in))(t).LaunchTemplateVersions {
				out = append(out, *v.VersionNumber)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			in   ec2.DescribeLaunchTemplateVersionsInput
			want []int64
		}{
			{"all", ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id)}, []int64{1, 2, 3}},
			{"latest and default", ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("web"), Versions: []string{"$Latest", "$Default"}}, []int64{3, 1}},
			{"range", ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id), MinVersion: aws.String("2"), MaxVersion: aws.String("2")}, []int64{2}},
			{"filter", ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id), Filters: []types.Filter{filter("instance-type", "t3.small", "t3.micro")}}, []int64{2, 3}},
			{"every template's latest", ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{"$Latest"}}, []int64{3}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := versions(&tc.in); !equalInts(got, tc.want) {
					t.Errorf("versions = %v, want %v", got, tc.want)
				}
			})
		}

		// Launch from the template: its data fills in what the call leaves out, and the
		// instance carries the template's ID and version as tags.
		i := run(t, client, ec2.RunInstancesInput{LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web"), Version: aws.String("2")}})[0]
		if aws.ToString(i.ImageId) != "ami-4fffc834" || i.InstanceType != types.InstanceTypeT3Small || aws.ToString(i.KeyName) != "lab" ||
			len(i.SecurityGroups) != 1 || *i.SecurityGroups[0].GroupId != *web ||
			tagOf(i.Tags, "aws:ec2launchtemplate:id") != id || tagOf(i.Tags, "aws:ec2launchtemplate:version") != "2" || tagOf(i.Tags, "tier") != "front" {
			t.Errorf("instance from version 2 = type %s, image %s, key %v, groups %+v, tags %+v", i.InstanceType, aws.ToString(i.ImageId), i.KeyName, i.SecurityGroups, i.Tags)
		}
		ud := must(client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: i.InstanceId, Attribute: types.InstanceAttributeNameUserData}))(t)
		if aws.ToString(ud.UserData.Value) != userData {
			t.Errorf("user data = %v", ud.UserData.Value)
		}
		// The call's own parameters win; without a version, the default (1) is used.
		j := run(t, client, ec2.RunInstancesInput{InstanceType: types.InstanceTypeT3Nano,
			TagSpecifications: nameTag(types.ResourceTypeInstance, "mine"),
			LaunchTemplate:    &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(id)}})[0]
		if j.InstanceType != types.InstanceTypeT3Nano || tagOf(j.Tags, "Name") != "mine" || tagOf(j.Tags, "tier") != "front" ||
			tagOf(j.Tags, "aws:ec2launchtemplate:version") != "1" {
			t.Errorf("instance with its own type = %s, tags %+v", j.InstanceType, j.Tags)
		}
		// Version 3 has no image, and the call gives none.
		_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(id), Version: aws.String("$Latest")}})
		wantCode(t, err, "MissingParameter")

		// The default version moves; it cannot be deleted, others can.
		mod := must(client.ModifyLaunchTemplate(ctx, &ec2.ModifyLaunchTemplateInput{LaunchTemplateId: aws.String(id), DefaultVersion: aws.String("2")}))(t).LaunchTemplate
		if *mod.DefaultVersionNumber != 2 {
			t.Errorf("default after modify = %d", *mod.DefaultVersionNumber)
		}
		del := must(client.DeleteLaunchTemplateVersions(ctx, &ec2.DeleteLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id), Versions: []string{"1", "2", "9"}}))(t)
		if len(del.SuccessfullyDeletedLaunchTemplateVersions) != 1 || *del.SuccessfullyDeletedLaunchTemplateVersions[0].VersionNumber != 1 ||
			len(del.UnsuccessfullyDeletedLaunchTemplateVersions) != 2 ||
			del.UnsuccessfullyDeletedLaunchTemplateVersions[1].ResponseError.Code != types.LaunchTemplateErrorCodeLaunchTemplateVersionDoesNotExist {
			t.Errorf("delete versions = %+v", del)
		}
		if got := versions(&ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id)}); !equalInts(got, []int64{2, 3}) {
			t.Errorf("versions after delete = %v", got)
		}

		list := must(client.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{Filters: []types.Filter{filter("tag:Name", "web-template")}}))(t).LaunchTemplates
		if len(list) != 1 || *list[0].LaunchTemplateId != id || *list[0].LatestVersionNumber != 3 {
			t.Errorf("described = %+v", list)
		}

		t.Run("errors", func(t *testing.T) {
			data := &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}
			for _, tc := range []struct {
				name string
				call func() error
				code string
			}{
				{"name in use", func() error {
					_, err := client.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"), LaunchTemplateData: data})
					return err
				}, "InvalidLaunchTemplateName.AlreadyExistsException"},
				{"bad name", func() error {
					_, err := client.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("a b"), LaunchTemplateData: data})
					return err
				}, "InvalidLaunchTemplateName.MalformedException"},
				{"bad type", func() error {
					_, err := client.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("typo"),
						LaunchTemplateData: &types.RequestLaunchTemplateData{InstanceType: "t2.huge"}})
					return err
				}, "InvalidParameterValue"},
				{"no such ID", func() error {
					_, err := client.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{"lt-0123456789abcdef0"}})
					return err
				}, "InvalidLaunchTemplateId.NotFound"},
				{"malformed ID", func() error {
					_, err := client.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String("web")})
					return err
				}, "InvalidLaunchTemplateId.Malformed"},
				{"no such name", func() error {
					_, err := client.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateName: aws.String("nope")})
					return err
				}, "InvalidLaunchTemplateName.NotFoundException"},
				{"no such version", func() error {
					_, err := client.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(id), Versions: []string{"7"}})
					return err
				}, "InvalidLaunchTemplateId.VersionNotFound"},
				{"deleted version as source", func() error {
					_, err := client.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: aws.String(id), SourceVersion: aws.String("1"), LaunchTemplateData: data})
					return err
				}, "InvalidLaunchTemplateId.VersionNotFound"},
				{"run from no template", func() error {
					_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
						LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("nope")}})
					return err
				}, "InvalidLaunchTemplateName.NotFoundException"},
			} {
				t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.call(), tc.code) })
			}
		})

		gone := must(client.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateName: aws.String("web")}))(t).LaunchTemplate
		if *gone.LaunchTemplateId != id {
			t.Errorf("deleted %+v", gone)
		}
		_, err = client.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: aws.String(id)})
		wantCode(t, err, "InvalidLaunchTemplateId.NotFound")
	})
}

// A template's instance profile is passed when an instance is launched from it: the caller
// needs iam:PassRole on its role as if the call named the profile.
func TestEC2LaunchTemplatePassRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		passRoleSetup(t, c)
		root := ec2Client(t, c)
		must(root.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("admin"),
			LaunchTemplateData: &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834"),
				IamInstanceProfile: &types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("admin")}}}))(t)
		launch := func(client *ec2.Client) error {
			_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("admin")}})
			return err
		}
		wantCode(t, launch(userWith(t, c, "nopass", "")), "UnauthorizedOperation")
		if err := launch(userWith(t, c, "pass", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/admin"}`)); err != nil {
			t.Fatal(err)
		}
	})
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
