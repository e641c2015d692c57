package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// changeSetTemplate is a topic whose display name is a parameter and a parameter naming it:
// changing Label modifies (replaces) the topic, and the parameter with it.
const changeSetTemplate = `Parameters:
  Label: {Type: String, Default: one}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: !Ref Label}
  Setting:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref Topic}
Outputs:
  Topic: {Value: !Ref Topic}
`

// describeChanges is a change set's changes in one line each: action, logical ID,
// replacement, and each detail's target, evaluation, source and causing entity.
func describeChanges(cs *cloudformation.DescribeChangeSetOutput) []string {
	var out []string
	for _, c := range cs.Changes {
		rc := c.ResourceChange
		line := fmt.Sprintf("%s %s %s", rc.Action, aws.ToString(rc.LogicalResourceId), rc.Replacement)
		for _, d := range rc.Details {
			line += fmt.Sprintf(" [%s.%s %s %s %s %s]", d.Target.Attribute, aws.ToString(d.Target.Name), d.Target.RequiresRecreation,
				d.Evaluation, d.ChangeSource, aws.ToString(d.CausingEntity))
		}
		out = append(out, line)
	}
	return out
}

// A CREATE change set makes the stack in REVIEW_IN_PROGRESS with nothing in it; it is
// CREATE_PENDING for its first second on the clock, then CREATE_COMPLETE with every
// resource an Add; executed, the stack is made as CreateStack makes it. An UPDATE change set
// shows the parameter's change replacing the topic (and the setting that names it), and one
// removed resource; another change set of the same stack is deleted when the first is
// executed; a change set that changes nothing is FAILED with AWS's reason.
func TestCloudFormationChangeSets(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := changeSetTemplate

		_, err := client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("first"), TemplateBody: &body})
		wantCode(t, err, "ValidationError") // UPDATE of a stack that does not exist
		if !strings.Contains(err.Error(), "Stack [app] does not exist") {
			t.Errorf("update of nothing: %v", err)
		}
		_, err = client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("1st"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate})
		wantCode(t, err, "ValidationError")

		out := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("first"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate, Description: aws.String("the first")}))(t)
		if !regexp.MustCompile(`^arn:aws:cloudformation:us-east-1:123456789012:changeSet/first/[0-9a-f-]{36}$`).MatchString(aws.ToString(out.Id)) ||
			!strings.HasPrefix(aws.ToString(out.StackId), "arn:aws:cloudformation:us-east-1:123456789012:stack/app/") {
			t.Errorf("CreateChangeSet = %s %s", aws.ToString(out.Id), aws.ToString(out.StackId))
		}
		_, err = client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("first"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate})
		wantCode(t, err, "AlreadyExistsException")
		st := must(stackStatus(t, client, "app"))(t)
		if st.StackStatus != cfntypes.StackStatusReviewInProgress {
			t.Errorf("stack of a CREATE change set: %s", st.StackStatus)
		}
		if res := must(client.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("app")}))(t); len(res.StackResourceSummaries) != 0 {
			t.Errorf("resources in review: %d", len(res.StackResourceSummaries))
		}
		cs := must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("first")}))(t)
		if cs.Status != cfntypes.ChangeSetStatusCreatePending || cs.ExecutionStatus != cfntypes.ExecutionStatusUnavailable || len(cs.Changes) != 0 {
			t.Errorf("at once: %s %s %d changes", cs.Status, cs.ExecutionStatus, len(cs.Changes))
		}
		_, err = client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: out.Id})
		wantCode(t, err, "InvalidChangeSetStatus")
		if !strings.Contains(err.Error(), "cannot be executed in its current status of [CREATE_PENDING]") {
			t.Errorf("pending: %v", err)
		}
		c.Advance(t, time.Second)
		cs = must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id}))(t)
		if cs.Status != cfntypes.ChangeSetStatusCreateComplete || cs.ExecutionStatus != cfntypes.ExecutionStatusAvailable ||
			aws.ToString(cs.Description) != "the first" || aws.ToString(cs.StackName) != "app" ||
			strings.Join(describeChanges(cs), "|") != "Add Topic |Add Setting " {
			t.Errorf("created: %s %s %q", cs.Status, cs.ExecutionStatus, describeChanges(cs))
		}
		if len(cs.Parameters) != 1 || aws.ToString(cs.Parameters[0].ParameterValue) != "one" {
			t.Errorf("parameters %+v", cs.Parameters)
		}
		_, err = client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("nope")})
		wantCode(t, err, "ChangeSetNotFound")
		_, err = client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String("first")})
		wantCode(t, err, "ValidationError")

		must(client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("first")}))(t)
		_, err = client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: out.Id})
		wantCode(t, err, "InvalidChangeSetStatus")
		if cs := must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id}))(t); cs.ExecutionStatus != cfntypes.ExecutionStatusExecuteInProgress {
			t.Errorf("executing: %s", cs.ExecutionStatus)
		}
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, "app"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(st.StackId) != aws.ToString(out.StackId) {
			t.Fatalf("executed: %s %s", st.StackStatus, aws.ToString(st.StackId))
		}
		if cs := must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id}))(t); cs.ExecutionStatus != cfntypes.ExecutionStatusExecuteComplete ||
			cs.Status != cfntypes.ChangeSetStatusCreateComplete {
			t.Errorf("after: %s %s", cs.Status, cs.ExecutionStatus)
		}
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("app")}))(t).StackEvents
		if last := ev[len(ev)-1]; last.ResourceStatus != "REVIEW_IN_PROGRESS" {
			t.Errorf("first event %s", last.ResourceStatus)
		}
		topic := outputOf(st, "Topic")

		// An UPDATE change set: the label changes, and a resource is removed.
		v2 := strings.Replace(body, "  Setting:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Ref Topic}\n", "", 1)
		two := []cfntypes.Parameter{{ParameterKey: aws.String("Label"), ParameterValue: aws.String("two")}}
		up := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("second"),
			TemplateBody: &v2, Parameters: two}))(t)
		other := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("third"),
			UsePreviousTemplate: aws.Bool(true), Parameters: two}))(t)
		same := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("same"),
			UsePreviousTemplate: aws.Bool(true), Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Label"), UsePreviousValue: aws.Bool(true)}}}))(t)
		c.Advance(t, time.Second)
		cs = must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: up.Id}))(t)
		want := "Modify Topic True [Properties.DisplayName Always Static ParameterReference Label]|Remove Setting "
		if got := strings.Join(describeChanges(cs), "|"); got != want || aws.ToString(cs.Changes[0].ResourceChange.PhysicalResourceId) != topic {
			t.Errorf("changes\n got %s\nwant %s", got, want)
		}
		cs = must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: other.Id}))(t)
		want = "Modify Topic True [Properties.DisplayName Always Static ParameterReference Label]|Modify Setting True [Properties.Value Always Dynamic ResourceReference Topic]"
		if got := strings.Join(describeChanges(cs), "|"); got != want {
			t.Errorf("changes\n got %s\nwant %s", got, want)
		}
		cs = must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: same.Id}))(t)
		if cs.Status != cfntypes.ChangeSetStatusFailed || cs.ExecutionStatus != cfntypes.ExecutionStatusUnavailable ||
			aws.ToString(cs.StatusReason) != "The submitted information didn't contain changes. Submit different information to create a change set." {
			t.Errorf("no changes: %s %s %q", cs.Status, cs.ExecutionStatus, aws.ToString(cs.StatusReason))
		}
		list := must(client.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String("app")}))(t).Summaries
		var names []string
		for _, s := range list {
			names = append(names, aws.ToString(s.ChangeSetName)+" "+string(s.Status)+" "+string(s.ExecutionStatus))
		}
		if strings.Join(names, "|") != "first CREATE_COMPLETE EXECUTE_COMPLETE|second CREATE_COMPLETE AVAILABLE|third CREATE_COMPLETE AVAILABLE|same FAILED UNAVAILABLE" {
			t.Errorf("ListChangeSets = %q", names)
		}
		must(client.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: same.Id}))(t)
		_, err = client.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: same.Id})
		wantCode(t, err, "ChangeSetNotFound")

		// Nothing was changed by the change sets; executing one changes the stack and deletes
		// the others.
		if got := len(must(sns.NewFromConfig(c.Config()).ListTopics(ctx, &sns.ListTopicsInput{}))(t).Topics); got != 1 {
			t.Errorf("%d topics before the execution", got)
		}
		tmpl := must(client.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String("app"), ChangeSetName: aws.String("second")}))(t)
		if aws.ToString(tmpl.TemplateBody) != v2 {
			t.Errorf("change set's template %q", aws.ToString(tmpl.TemplateBody))
		}
		must(client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: up.Id}))(t)
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, "app"))(t)
		if st.StackStatus != cfntypes.StackStatusUpdateComplete || outputOf(st, "Topic") == topic {
			t.Errorf("updated: %s, topic %s", st.StackStatus, outputOf(st, "Topic"))
		}
		res := must(client.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("app")}))(t).StackResourceSummaries
		if len(res) != 1 || aws.ToString(res[0].LogicalResourceId) != "Topic" {
			t.Errorf("resources %+v", res)
		}
		list = must(client.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String("app")}))(t).Summaries
		if len(list) != 1 || aws.ToString(list[0].ChangeSetName) != "second" || list[0].ExecutionStatus != cfntypes.ExecutionStatusExecuteComplete {
			t.Errorf("after the execution: %+v", list)
		}
		_, err = client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: other.Id})
		wantCode(t, err, "ChangeSetNotFound")

		// An update made otherwise makes a change set OBSOLETE.
		v3 := body
		obs := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("late"), TemplateBody: &v3}))(t)
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), TemplateBody: &v3}))(t)
		c.Advance(t, time.Minute)
		cs = must(client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: obs.Id}))(t)
		if cs.ExecutionStatus != cfntypes.ExecutionStatusObsolete {
			t.Errorf("after another update: %s", cs.ExecutionStatus)
		}
		_, err = client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: obs.Id})
		wantCode(t, err, "InvalidChangeSetStatus")
		if !strings.Contains(err.Error(), "current execution status of [OBSOLETE]") {
			t.Errorf("obsolete: %v", err)
		}

		// Deleting the stack deletes its change sets.
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("app")}))(t)
		_, err = client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: obs.Id})
		wantCode(t, err, "ChangeSetNotFound")
	})
}

// GetTemplateSummary describes a template or a stack's; a change set needs the capabilities
// its template does; deleting a REVIEW_IN_PROGRESS stack deletes it and its change sets.
func TestCloudFormationTemplateSummary(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := "Description: a role\nParameters:\n  Env: {Type: String, AllowedValues: [dev, prod], Default: dev, Description: where}\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n  T:\n    Type: AWS::SNS::Topic\n"
		sum := must(client.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateBody: &body}))(t)
		if aws.ToString(sum.Description) != "a role" || strings.Join(sum.ResourceTypes, ",") != "AWS::IAM::Role,AWS::SNS::Topic" ||
			len(sum.Parameters) != 1 || aws.ToString(sum.Parameters[0].ParameterType) != "String" || aws.ToString(sum.Parameters[0].DefaultValue) != "dev" ||
			strings.Join(sum.Parameters[0].ParameterConstraints.AllowedValues, ",") != "dev,prod" ||
			len(sum.Capabilities) != 1 || sum.Capabilities[0] != cfntypes.CapabilityCapabilityIam || aws.ToString(sum.Version) != "2010-09-09" {
			t.Errorf("GetTemplateSummary = %+v", sum)
		}
		_, err := client.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{TemplateBody: aws.String("Resources:\n  A:\n    Type: AWS::Foo::Bar\n")})
		wantCode(t, err, "ValidationError")
		_, err = client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("r"), ChangeSetName: aws.String("a"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate})
		wantCode(t, err, "InsufficientCapabilitiesException")
		must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("r"), ChangeSetName: aws.String("a"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}))(t)
		sum = must(client.GetTemplateSummary(ctx, &cloudformation.GetTemplateSummaryInput{StackName: aws.String("r")}))(t)
		if len(sum.Parameters) != 1 {
			t.Errorf("a stack's summary: %+v", sum)
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("r")}))(t)
		c.Advance(t, time.Minute)
		_, err = client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("r")})
		wantCode(t, err, "ValidationError")
		_, err = client.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String("r")})
		wantCode(t, err, "ValidationError")
		if n := len(must(iam.NewFromConfig(c.Config()).ListRoles(ctx, &iam.ListRolesInput{}))(t).Roles); n != 0 {
			t.Errorf("%d roles made by a change set never executed", n)
		}
	})
}

// A user allowed CloudFormation on stack "mine" only is refused change sets of another stack,
// by name and by the change set's ARN.
func TestCloudFormationChangeSetAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl, conformance.EnforcesIAM)
		root := cloudformation.NewFromConfig(c.Config())
		body := changeSetTemplate
		theirs := must(root.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("theirs"), ChangeSetName: aws.String("a"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate}))(t)
		meConfig := newUser(t, c, "me")
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("me"), PolicyName: aws.String("cfn"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"arn:aws:cloudformation:us-east-1:123456789012:stack/mine/*"}]}`)}))(t)
		me := cloudformation.NewFromConfig(meConfig)
		must(me.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("mine"), ChangeSetName: aws.String("a"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate}))(t)
		_, err := me.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("other"), ChangeSetName: aws.String("a"),
			TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate})
		wantCode(t, err, "AccessDenied")
		_, err = me.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: theirs.Id})
		wantCode(t, err, "AccessDenied")
		_, err = me.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: aws.String("a"), StackName: aws.String("theirs")})
		wantCode(t, err, "AccessDenied")
	})
}

// Change sets are saved and loaded with the stacks.
func TestCloudFormationChangeSetSaveLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(cfnClock())
	client := cloudformation.NewFromConfig(c.Config())
	body := changeSetTemplate
	out := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("a"),
		TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate}))(t)
	c.Advance(time.Second)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New(cfnClock())
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	d.Advance(time.Second)
	loaded := cloudformation.NewFromConfig(d.Config())
	cs := must(loaded.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id}))(t)
	if cs.ExecutionStatus != cfntypes.ExecutionStatusAvailable || len(cs.Changes) != 2 {
		t.Fatalf("loaded: %s %d changes", cs.ExecutionStatus, len(cs.Changes))
	}
	must(loaded.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: out.Id}))(t)
	d.Advance(time.Minute)
	if st := must(stackStatus(t, loaded, "s"))(t); st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Errorf("executed after a load: %s", st.StackStatus)
	}
}

// Many goroutines make, describe, list and execute change sets of their own stacks and race
// to execute one shared change set: exactly one execution wins.
func TestCloudFormationChangeSetsConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(cfnClock())
	client := cloudformation.NewFromConfig(c.Config())
	body := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
	shared := must(client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("shared"), ChangeSetName: aws.String("a"),
		TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate}))(t)
	c.Advance(time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 12 {
		wg.Go(func() {
			name := fmt.Sprintf("s%d", i)
			out, err := client.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: &name, ChangeSetName: aws.String("a"),
				TemplateBody: &body, ChangeSetType: cfntypes.ChangeSetTypeCreate})
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := client.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: out.Id}); err != nil {
				t.Error(err)
			}
			if _, err := client.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: &name}); err != nil {
				t.Error(err)
			}
			if _, err := client.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: shared.Id}); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d executions of one change set", wins)
	}
	c.Advance(time.Minute)
	if n := len(must(sns.NewFromConfig(c.Config()).ListTopics(ctx, &sns.ListTopicsInput{}))(t).Topics); n != 1 {
		t.Errorf("%d topics", n)
	}
}
