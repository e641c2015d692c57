package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// A stack policy that denies replacing the topic fails an update that would, at the topic,
// with the policy's reason, and the stack rolls back untouched; a policy for the update only
// lets it through; a policy that allows only the setting denies the topic implicitly; bad
// policies are refused. Termination protection, turned on and off, refuses and then allows
// DeleteStack.
func TestCloudFormationStackPolicyAndProtection(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := changeSetTemplate
		deny := `{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"},` +
			`{"Effect":"Deny","Action":["Update:Replace","Update:Delete"],"Principal":"*","Resource":"*","Condition":{"StringEquals":{"ResourceType":["AWS::SNS::Topic"]}}}]}`
		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app"), TemplateBody: &body, StackPolicyBody: aws.String(`{"Statement":[{"Effect":"Maybe"}]}`)})
		wantCode(t, err, "ValidationError")
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app"), TemplateBody: &body, StackPolicyBody: &deny}))(t)
		c.Advance(t, time.Minute)
		if got := must(client.GetStackPolicy(ctx, &cloudformation.GetStackPolicyInput{StackName: aws.String("app")}))(t); aws.ToString(got.StackPolicyBody) != deny {
			t.Errorf("GetStackPolicy = %q", aws.ToString(got.StackPolicyBody))
		}
		topic := outputOf(must(stackStatus(t, client, "app"))(t), "Topic")
		two := []cfntypes.Parameter{{ParameterKey: aws.String("Label"), ParameterValue: aws.String("two")}}
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true), Parameters: two}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "app"))(t)
		if st.StackStatus != cfntypes.StackStatusUpdateRollbackComplete || outputOf(st, "Topic") != topic {
			t.Errorf("denied update: %s, topic %s", st.StackStatus, outputOf(st, "Topic"))
		}
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("app")}))(t).StackEvents
		found := false
		for _, e := range ev {
			if e.ResourceStatus == cfntypes.ResourceStatusUpdateFailed && aws.ToString(e.LogicalResourceId) == "Topic" &&
				aws.ToString(e.ResourceStatusReason) == "Action denied by stack policy: Statement [#2] does not allow [Update:Replace] for resource [LogicalResourceId/Topic]" {
				found = true
			}
		}
		if !found {
			t.Errorf("no UPDATE_FAILED of Topic with the policy's reason")
		}

		// The policy for this update only lets it through.
		all := `{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}`
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true), Parameters: two,
			StackPolicyDuringUpdateBody: &all}))(t)
		c.Advance(t, time.Minute)
		if st := must(stackStatus(t, client, "app"))(t); st.StackStatus != cfntypes.StackStatusUpdateComplete || outputOf(st, "Topic") == topic {
			t.Errorf("allowed update: %s", st.StackStatus)
		}

		// A policy that allows the setting only: the topic is denied implicitly.
		must(client.SetStackPolicy(ctx, &cloudformation.SetStackPolicyInput{StackName: aws.String("app"),
			StackPolicyBody: aws.String(`{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"LogicalResourceId/Setting"}]}`)}))(t)
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Label"), ParameterValue: aws.String("three")}}}))(t)
		c.Advance(t, time.Minute)
		ev = must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("app")}))(t).StackEvents
		if len(ev) < 4 || ev[3].ResourceStatus != cfntypes.ResourceStatusUpdateFailed ||
			aws.ToString(ev[3].ResourceStatusReason) != "Action not allowed by stack policy: No statement allows [Update:Replace] for resource [LogicalResourceId/Topic]" {
			t.Errorf("implicit deny: %+v", ev[3])
		}
		for _, bad := range []string{`nope`, `{"Statement":[]}`, `{"Statement":[{"Effect":"Allow","Action":"ec2:*","Principal":"*","Resource":"*"}]}`,
			`{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"alex","Resource":"*"}]}`} {
			_, err := client.SetStackPolicy(ctx, &cloudformation.SetStackPolicyInput{StackName: aws.String("app"), StackPolicyBody: aws.String(bad)})
			wantCode(t, err, "ValidationError")
		}
		_, err = client.SetStackPolicy(ctx, &cloudformation.SetStackPolicyInput{StackName: aws.String("nope"), StackPolicyBody: &all})
		wantCode(t, err, "ValidationError")

		// Termination protection.
		out := must(client.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String("app"), EnableTerminationProtection: aws.Bool(true)}))(t)
		if !strings.Contains(aws.ToString(out.StackId), ":stack/app/") {
			t.Errorf("StackId %s", aws.ToString(out.StackId))
		}
		if st := must(stackStatus(t, client, "app"))(t); !aws.ToBool(st.EnableTerminationProtection) {
			t.Error("protection not shown")
		}
		_, err = client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("app")})
		wantCode(t, err, "ValidationError")
		if !strings.Contains(err.Error(), "cannot be deleted while TerminationProtection is enabled") {
			t.Errorf("protected: %v", err)
		}
		must(client.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String("app"), EnableTerminationProtection: aws.Bool(false)}))(t)
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("app")}))(t)
		c.Advance(t, time.Minute)
		_, err = client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("app")})
		wantCode(t, err, "ValidationError")
	})
}
