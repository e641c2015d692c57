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
