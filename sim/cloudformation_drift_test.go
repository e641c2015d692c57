package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Drift detection reads each resource through its service: in sync after the stack is made;
// a parameter overwritten outside the stack MODIFIED, with the property's difference; a topic
// deleted outside it DELETED; a VPC, whose properties the simulator does not read,
// NOT_CHECKED; the stack DRIFTED.
func TestCloudFormationDrift(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := "Resources:\n  Setting:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: /app/colour, Type: String, Value: blue}\n" +
			"  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: alerts}\n  Net:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.9.0.0/16}\n"
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app"), TemplateBody: &body}))(t)
		_, err := client.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("app")})
		wantCode(t, err, "ValidationError") // still CREATE_IN_PROGRESS
		c.Advance(t, time.Minute)
		id := must(client.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("app")}))(t).StackDriftDetectionId
		st := must(client.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: id}))(t)
		if st.StackDriftStatus != cfntypes.StackDriftStatusInSync || st.DetectionStatus != cfntypes.StackDriftDetectionStatusDetectionComplete || aws.ToInt32(st.DriftedStackResourceCount) != 0 {
			t.Errorf("in sync: %s %s %d", st.StackDriftStatus, st.DetectionStatus, aws.ToInt32(st.DriftedStackResourceCount))
		}

		must(ssm.NewFromConfig(c.Config()).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/colour"), Value: aws.String("red"), Type: "String", Overwrite: aws.Bool(true)}))(t)
		res := must(client.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("app"), LogicalResourceId: aws.String("Topic")}))(t)
		must(sns.NewFromConfig(c.Config()).DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: res.StackResourceDetail.PhysicalResourceId}))(t)
		id = must(client.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("app")}))(t).StackDriftDetectionId
		st = must(client.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: id}))(t)
		if st.StackDriftStatus != cfntypes.StackDriftStatusDrifted || aws.ToInt32(st.DriftedStackResourceCount) != 2 {
			t.Errorf("drifted: %s %d", st.StackDriftStatus, aws.ToInt32(st.DriftedStackResourceCount))
		}
		drifts := must(client.DescribeStackResourceDrifts(ctx, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String("app")}))(t).StackResourceDrifts
		var got []string
		for _, d := range drifts {
			line := aws.ToString(d.LogicalResourceId) + " " + string(d.StackResourceDriftStatus)
			for _, p := range d.PropertyDifferences {
				line += " " + aws.ToString(p.PropertyPath) + ":" + aws.ToString(p.ExpectedValue) + "->" + aws.ToString(p.ActualValue) + ":" + string(p.DifferenceType)
			}
			got = append(got, line)
		}
		if strings.Join(got, "|") != "Setting MODIFIED /Value:blue->red:NOT_EQUAL|Topic DELETED|Net NOT_CHECKED" {
			t.Errorf("drifts %q", got)
		}
		only := must(client.DescribeStackResourceDrifts(ctx, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String("app"),
			StackResourceDriftStatusFilters: []cfntypes.StackResourceDriftStatus{cfntypes.StackResourceDriftStatusDeleted}}))(t).StackResourceDrifts
		if len(only) != 1 || aws.ToString(only[0].LogicalResourceId) != "Topic" {
			t.Errorf("filtered: %+v", only)
		}
		one := must(client.DetectStackResourceDrift(ctx, &cloudformation.DetectStackResourceDriftInput{StackName: aws.String("app"), LogicalResourceId: aws.String("Setting")}))(t).StackResourceDrift
		if one.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || aws.ToString(one.ExpectedProperties) != `{"Type":"String","Value":"blue"}` ||
			aws.ToString(one.ActualProperties) != `{"Type":"String","Value":"red"}` {
			t.Errorf("one: %s %s %s", one.StackResourceDriftStatus, aws.ToString(one.ExpectedProperties), aws.ToString(one.ActualProperties))
		}
		if s := must(stackStatus(t, client, "app"))(t); s.DriftInformation.StackDriftStatus != cfntypes.StackDriftStatusDrifted || s.DriftInformation.LastCheckTimestamp == nil {
			t.Errorf("DescribeStacks: %+v", s.DriftInformation)
		}
		_, err = client.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: aws.String("nope")})
		wantCode(t, err, "ValidationError")
		_, err = client.DetectStackResourceDrift(ctx, &cloudformation.DetectStackResourceDriftInput{StackName: aws.String("app"), LogicalResourceId: aws.String("Nope")})
		wantCode(t, err, "ValidationError")
	})
}
