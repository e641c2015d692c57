package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// A TemplateURL is read from the simulator's S3 as the caller, in S3's URL forms, for
// ValidateTemplate, CreateStack, UpdateStack, CreateChangeSet and GetTemplateSummary; a URL
// that is not S3's, a missing object and a caller who may not read it are refused.
func TestCloudFormationTemplateURL(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl, conformance.EnforcesIAM)
		s3c := s3.NewFromConfig(c.Config())
		must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates")}))(t)
		must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates"), Key: aws.String("app/v1.yaml"), Body: strings.NewReader(changeSetTemplate)}))(t)
		v2 := strings.Replace(changeSetTemplate, "Default: one", "Default: two", 1)
		must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates"), Key: aws.String("app/v2.yaml"), Body: strings.NewReader(v2)}))(t)
		client := cloudformation.NewFromConfig(c.Config())

		v := must(client.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateURL: aws.String("https://templates.s3.amazonaws.com/app/v1.yaml")}))(t)
		if len(v.Parameters) != 1 || aws.ToString(v.Parameters[0].DefaultValue) != "one" {
			t.Errorf("ValidateTemplate = %+v", v.Parameters)
		}
		for _, u := range []string{"https://templates.s3.us-east-1.amazonaws.com/app/v1.yaml", "https://s3.amazonaws.com/templates/app/v1.yaml",
			"https://s3.us-east-1.amazonaws.com/templates/app/v1.yaml", "https://s3-us-east-1.amazonaws.com/templates/app/v1.yaml"} {
			if _, err := client.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateURL: aws.String(u)}); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		for u, want := range map[string]string{
			"https://example.com/app/v1.yaml":                  "TemplateURL must be a supported URL.",
			"https://templates.s3.amazonaws.com/":              "TemplateURL must be a supported URL.",
			"ftp://templates.s3.amazonaws.com/app/v1.yaml":     "TemplateURL must be a supported URL.",
			"https://templates.s3.amazonaws.com/app/none.yaml": "S3 error: ",
			"https://nobucket.s3.amazonaws.com/app/v1.yaml":    "S3 error: ",
		} {
			_, err := client.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateURL: aws.String(u)})
			wantCode(t, err, "ValidationError")
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v", u, err)
			}
		}

		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app"), TemplateURL: aws.String("https://templates.s3.amazonaws.com/app/v1.yaml")}))(t)
		c.Advance(t, time.Minute)
		if st := must(stackStatus(t, client, "app"))(t); st.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(st.Parameters[0].ParameterValue) != "one" {
			t.Fatalf("created from a URL: %s", st.StackStatus)
		}
		cs := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("v2"),
			TemplateURL: aws.String("https://s3.amazonaws.com/templates/app/v2.yaml")}))(t)
		c.Advance(t, time.Second)
		if d := must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id}))(t); len(d.Changes) != 2 {
			t.Errorf("change set from a URL: %s %d changes", d.Status, len(d.Changes))
		}
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), TemplateURL: aws.String("https://templates.s3-us-east-1.amazonaws.com/app/v2.yaml")}))(t)
		c.Advance(t, time.Minute)
		if st := must(stackStatus(t, client, "app"))(t); st.StackStatus != cfntypes.StackStatusUpdateComplete || aws.ToString(st.Parameters[0].ParameterValue) != "two" {
			t.Errorf("updated from a URL: %s", st.StackStatus)
		}

		// A user allowed CloudFormation but not s3:GetObject cannot use the URL.
		cfg := newUser(t, c, "builder")
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("builder"), PolicyName: aws.String("cfn"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"*"}]}`)}))(t)
		_, err := cloudformation.NewFromConfig(cfg).ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateURL: aws.String("https://templates.s3.amazonaws.com/app/v1.yaml")})
		wantCode(t, err, "ValidationError")
		if !strings.Contains(err.Error(), "S3 error: ") || !strings.Contains(err.Error(), "s3:GetObject") {
			t.Errorf("a user without s3:GetObject: %v", err)
		}
	})
}

// A nested stack is made from its TemplateURL with the parameters given; the parent reads its
// outputs with Fn::GetAtt Outputs.NAME; deleting the parent deletes it. A child that rolls
// back fails its parent's resource, and the parent rolls back.
func TestCloudFormationNestedStacks(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		s3c := s3.NewFromConfig(c.Config())
		must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates")}))(t)
		child := "Parameters:\n  Label: {Type: String}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: !Ref Label}\nOutputs:\n  TopicArn: {Value: !Ref Topic}\n"
		must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates"), Key: aws.String("child.yaml"), Body: strings.NewReader(child)}))(t)
		must(s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates"), Key: aws.String("bad.yaml"),
			Body: strings.NewReader("Parameters:\n  Label: {Type: String}\nResources:\n  Net:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-nope, CidrBlock: 10.0.0.0/24}\n")}))(t)
		parent := "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates.s3.amazonaws.com/child.yaml\n      Parameters: {Label: nested}\n" +
			"  Setting:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !GetAtt Child.Outputs.TopicArn}\nOutputs:\n  Topic: {Value: !GetAtt Child.Outputs.TopicArn}\n  ChildId: {Value: !Ref Child}\n"
		client := cloudformation.NewFromConfig(c.Config())
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("parent"), TemplateBody: &parent}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "parent"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete || !strings.HasPrefix(outputOf(st, "Topic"), "arn:aws:sns:us-east-1:123456789012:parent-Child-") ||
			!strings.Contains(outputOf(st, "ChildId"), ":stack/parent-Child-") {
			t.Fatalf("parent: %s %+v", st.StackStatus, st.Outputs)
		}
		kid := must(stackStatus(t, client, outputOf(st, "ChildId")))(t)
		if kid.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(kid.Parameters[0].ParameterValue) != "nested" {
			t.Errorf("child: %s %+v", kid.StackStatus, kid.Parameters)
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("parent")}))(t)
		c.Advance(t, time.Minute)
		_, err := client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: kid.StackName})
		wantCode(t, err, "ValidationError")

		broken := strings.Replace(parent, "child.yaml", "bad.yaml", 1)
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("broken"), TemplateBody: &broken}))(t)
		c.Advance(t, time.Minute)
		if st := must(stackStatus(t, client, "broken"))(t); st.StackStatus != cfntypes.StackStatusRollbackComplete {
			t.Errorf("broken parent: %s", st.StackStatus)
		}
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("broken")}))(t).StackEvents
		found := false
		for _, e := range ev {
			if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed && strings.Contains(aws.ToString(e.ResourceStatusReason), "Embedded stack arn:aws:cloudformation:us-east-1:123456789012:stack/broken-Child-") &&
				strings.Contains(aws.ToString(e.ResourceStatusReason), "The following resource(s) failed to create: [Net]") {
				found = true
			}
		}
		if !found {
			for _, e := range ev {
				t.Errorf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
		}
	})
}
