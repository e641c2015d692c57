package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// BenchmarkAutoScalingDescribeAutoScalingGroups lists 10 groups of 2 instances each, as alex:
// the awsQuery codec of the schema-based SDK (query.FromSchema) on both sides of the door,
// beside the floor.
func BenchmarkAutoScalingDescribeAutoScalingGroups(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	if _, err := ec2.NewFromConfig(c.Config()).CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}}); err != nil {
		b.Fatal(err)
	}
	client := autoscaling.NewFromConfig(c.Config())
	for i := range 10 {
		if _, err := client.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String(fmt.Sprintf("g-%d", i)), MinSize: aws.Int32(2), MaxSize: aws.Int32(2),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		}); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
		if err == nil && (len(out.AutoScalingGroups) != 10 || len(out.AutoScalingGroups[9].Instances) != 2) {
			err = fmt.Errorf("%d groups, want 10 of 2 instances", len(out.AutoScalingGroups))
		}
		return err
	})
}
