package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// cfnClock is a fixed clock for the stacks' tests: a stack's events are one second apart
// from its call, and the tests move the clock to see them.
func cfnClock() sim.Option {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return sim.WithClock(func() time.Time { return at })
}

func stackStatus(t *testing.T, client *cloudformation.Client, name string) (cfntypes.Stack, error) {
	t.Helper()
	out, err := client.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		return cfntypes.Stack{}, err
	}
	return out.Stacks[0], nil
}

func outputOf(s cfntypes.Stack, key string) string {
	for _, o := range s.Outputs {
		if aws.ToString(o.OutputKey) == key {
			return aws.ToString(o.OutputValue)
		}
	}
	return ""
}

// A stack in YAML with the short forms: a VPC, a subnet in the region's first zone, an
// internet gateway and its route, a security group and an instance, made in dependency order
// through EC2's operations (the instance is the one DescribeInstances shows), in progress
// until the clock has passed its events, its outputs and export, its events newest first,
// then deleted in the reverse order, the retained bucket kept.
func TestCloudFormationStackLifecycle(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		ec := ec2.NewFromConfig(c.Config())
		must(ec.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("alex")}))(t)
		body := string(must(os.ReadFile("testdata/cloudformation/web.yaml"))(t))

		v := must(client.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: &body}))(t)
		if aws.ToString(v.Description) != "A web server in a VPC of its own" || len(v.Parameters) != 3 ||
			aws.ToString(v.Parameters[0].ParameterKey) != "DbPassword" || !aws.ToBool(v.Parameters[0].NoEcho) ||
			aws.ToString(v.Parameters[2].Description) != "The key pair to log in with" {
			t.Errorf("ValidateTemplate = %+v", v)
		}

		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("web"), TemplateBody: &body,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyName"), ParameterValue: aws.String("nobody")}}})
		wantCode(t, err, "ValidationError")
		if !strings.Contains(err.Error(), "Parameter validation failed: parameter value nobody for parameter name KeyName does not exist") {
			t.Errorf("bad key: %v", err)
		}

		out := must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("web"), TemplateBody: &body,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyName"), ParameterValue: aws.String("alex")}}}))(t)
		id := aws.ToString(out.StackId)
		if !regexp.MustCompile(`^arn:aws:cloudformation:us-east-1:123456789012:stack/web/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(id) {
			t.Errorf("StackId = %s", id)
		}
		_, err = client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("web"), TemplateBody: &body})
		wantCode(t, err, "AlreadyExistsException")

		st := must(stackStatus(t, client, "web"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateInProgress || len(st.Outputs) != 0 {
			t.Errorf("at once: %s, %d outputs", st.StackStatus, len(st.Outputs))
		}
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, id))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(st.StackName) != "web" {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("web")}))(t).StackEvents
			for _, e := range ev {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("after a minute: %s %s", st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		params := map[string]string{}
		for _, p := range st.Parameters {
			params[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
		}
		if params["DbPassword"] != "****" || params["KeyName"] != "alex" || params["InstanceType"] != "t2.micro" {
			t.Errorf("parameters = %v", params)
		}

		// The instance is EC2's own, in the subnet the stack made.
		web := must(client.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("web"), LogicalResourceId: aws.String("Web")}))(t)
		inst := must(ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(web.StackResourceDetail.PhysicalResourceId)}}))(t)
		if len(inst.Reservations) != 1 {
			t.Fatalf("%d reservations", len(inst.Reservations))
		}
		i := inst.Reservations[0].Instances[0]
		if outputOf(st, "PublicIp") != aws.ToString(i.PublicIpAddress) || outputOf(st, "PublicIp") == "" ||
			outputOf(st, "Zone") != "us-east-1a" || aws.ToString(i.KeyName) != "alex" || aws.ToString(i.ImageId) != "ami-fce3c696" ||
			outputOf(st, "Url") != "http://"+aws.ToString(i.PublicDnsName)+"/" {
			t.Errorf("outputs %+v, instance %s %s %s", st.Outputs, aws.ToString(i.PublicIpAddress), aws.ToString(i.KeyName), aws.ToString(i.ImageId))
		}
		sn := must(ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(i.SubnetId)}}))(t).Subnets[0]
		if aws.ToString(sn.CidrBlock) != "10.0.0.0/24" || aws.ToString(sn.VpcId) != outputOf(st, "VpcId") || !aws.ToBool(sn.MapPublicIpOnLaunch) {
			t.Errorf("subnet %s in %s", aws.ToString(sn.CidrBlock), aws.ToString(sn.VpcId))
		}
		ex := must(client.ListExports(ctx, &cloudformation.ListExportsInput{}))(t)
		if len(ex.Exports) != 1 || aws.ToString(ex.Exports[0].Name) != "web-VpcId" || aws.ToString(ex.Exports[0].Value) != outputOf(st, "VpcId") {
			t.Errorf("exports = %+v", ex.Exports)
		}

		// Events, newest first: the stack's completion, then the resources in reverse.
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("web")}))(t).StackEvents
		first, last := ev[len(ev)-1], ev[0]
		if aws.ToString(first.LogicalResourceId) != "web" || first.ResourceStatus != cfntypes.ResourceStatusCreateInProgress ||
			aws.ToString(first.ResourceStatusReason) != "User Initiated" || aws.ToString(last.LogicalResourceId) != "web" ||
			last.ResourceStatus != cfntypes.ResourceStatusCreateComplete || aws.ToString(first.ResourceType) != "AWS::CloudFormation::Stack" {
			t.Errorf("first %+v, last %+v", first, last)
		}
		var order []string
		initiated := 0
		for i := len(ev) - 1; i >= 0; i-- {
			e := ev[i]
			if i > 0 && ev[i].Timestamp.After(*ev[i-1].Timestamp) {
				t.Errorf("events not newest first at %d", i)
			}
			if e.ResourceStatus == cfntypes.ResourceStatusCreateComplete && aws.ToString(e.LogicalResourceId) != "web" {
				order = append(order, aws.ToString(e.LogicalResourceId))
			}
			if aws.ToString(e.ResourceStatusReason) == "Resource creation Initiated" {
				initiated++
			}
		}
		if len(order) != 10 || initiated != 10 {
			t.Errorf("created %v, %d initiated", order, initiated)
		}
		before := func(a, b string) bool { return slices.Index(order, a) < slices.Index(order, b) }
		if !before("VPC", "Subnet") || !before("Attachment", "DefaultRoute") || !before("DefaultRoute", "Web") || !before("WebGroup", "Web") {
			t.Errorf("creation order %v", order)
		}

		res := must(client.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("web")}))(t).StackResources
		sum := must(client.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("web")}))(t).StackResourceSummaries
		one := must(client.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("web"), LogicalResourceId: aws.String("Web")}))(t)
		if len(res) != 10 || len(sum) != 10 || aws.ToString(one.StackResourceDetail.PhysicalResourceId) != aws.ToString(i.InstanceId) ||
			one.StackResourceDetail.ResourceStatus != cfntypes.ResourceStatusCreateComplete {
			t.Errorf("%d resources, %d summaries, Web = %+v", len(res), len(sum), one.StackResourceDetail)
		}
		tmpl := must(client.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String("web")}))(t)
		if aws.ToString(tmpl.TemplateBody) != body {
			t.Error("GetTemplate is not the template given")
		}

		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("web")}))(t)
		if st := must(stackStatus(t, client, "web"))(t); st.StackStatus != cfntypes.StackStatusDeleteInProgress {
			t.Errorf("deleting: %s", st.StackStatus)
		}
		c.Advance(t, time.Minute)
		_, err = stackStatus(t, client, "web")
		wantCode(t, err, "ValidationError")
		if err == nil || !strings.Contains(err.Error(), "Stack with id web does not exist") {
			t.Errorf("deleted by name: %v", err)
		}
		if st := must(stackStatus(t, client, id))(t); st.StackStatus != cfntypes.StackStatusDeleteComplete || st.DeletionTime == nil {
			t.Errorf("deleted by ID: %s", st.StackStatus)
		}
		if n := len(must(ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: nil, Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"10.0.0.0/16"}}}}))(t).Vpcs); n != 0 {
			t.Errorf("%d VPCs left", n)
		}
		if got := must(ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(i.InstanceId)}}))(t); got.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameRunning {
			t.Error("the instance still runs")
		}
		if _, err := s3.NewFromConfig(c.Config()).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(outputOf(st, "Bucket"))}); err != nil {
			t.Errorf("the retained bucket %q: %v", outputOf(st, "Bucket"), err)
		}
		ev = must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)}))(t).StackEvents
		if ev[0].ResourceStatus != cfntypes.ResourceStatusDeleteComplete || aws.ToString(ev[0].LogicalResourceId) != "web" {
			t.Errorf("last event %+v", ev[0])
		}
		skipped := false
		for _, e := range ev {
			if aws.ToString(e.LogicalResourceId) == "Logs" && e.ResourceStatus == cfntypes.ResourceStatusDeleteSkipped {
				skipped = true
			}
		}
		if !skipped {
			t.Error("no DELETE_SKIPPED for the retained bucket")
		}
		ls := must(client.ListStacks(ctx, &cloudformation.ListStacksInput{}))(t)
		if len(ls.StackSummaries) != 1 || ls.StackSummaries[0].StackStatus != cfntypes.StackStatusDeleteComplete {
			t.Errorf("ListStacks = %+v", ls.StackSummaries)
		}
		// The name is free again.
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("web"), TemplateBody: &body,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyName"), ParameterValue: aws.String("alex")}}}))(t)
	})
}

// A resource that fails fails the stack: its CREATE_FAILED event carries the service's
// message, the resources made before it are deleted, and the stack ends ROLLBACK_COMPLETE,
// which DeleteStack then deletes.
func TestCloudFormationRollback(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		ec := ec2.NewFromConfig(c.Config())
		body := `{
  "Resources": {
    "Net": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16"}},
    "Bad": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Net"}, "CidrBlock": "192.168.0.0/24"}},
    "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Bad"}
  }
}`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("broken"), TemplateBody: &body}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "broken"))(t)
		if st.StackStatus != cfntypes.StackStatusRollbackComplete {
			t.Fatalf("status %s", st.StackStatus)
		}
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("broken")}))(t).StackEvents
		var statuses []string
		for i := len(ev) - 1; i >= 0; i-- {
			e := ev[i]
			statuses = append(statuses, aws.ToString(e.LogicalResourceId)+" "+string(e.ResourceStatus))
			if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed && !strings.Contains(aws.ToString(e.ResourceStatusReason), "is invalid") {
				t.Errorf("reason %q", aws.ToString(e.ResourceStatusReason))
			}
			if e.ResourceStatus == cfntypes.ResourceStatusRollbackInProgress &&
				aws.ToString(e.ResourceStatusReason) != "The following resource(s) failed to create: [Bad]. Rollback requested by user." {
				t.Errorf("rollback reason %q", aws.ToString(e.ResourceStatusReason))
			}
		}
		want := []string{"broken CREATE_IN_PROGRESS", "Net CREATE_IN_PROGRESS", "Net CREATE_IN_PROGRESS", "Net CREATE_COMPLETE",
			"Bad CREATE_IN_PROGRESS", "Bad CREATE_FAILED", "broken ROLLBACK_IN_PROGRESS", "Bad DELETE_COMPLETE", "Net DELETE_IN_PROGRESS", "Net DELETE_COMPLETE",
			"broken ROLLBACK_COMPLETE"}
		if !slices.Equal(statuses, want) {
			t.Errorf("events\n%v\nwant\n%v", statuses, want)
		}
		if n := len(must(ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"10.1.0.0/16"}}}}))(t).Vpcs); n != 0 {
			t.Errorf("%d VPCs left after the rollback", n)
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("broken")}))(t)
		c.Advance(t, time.Second)
		_, err := stackStatus(t, client, "broken")
		wantCode(t, err, "ValidationError")
	})
}

// ValidateTemplate's refusals, in AWS's words.
func TestCloudFormationValidateTemplate(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		client := cloudformation.NewFromConfig(b.Open(t).Config())
		for _, tc := range []struct{ body, want string }{
			{"Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref Missing\n",
				"Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"},
			{"Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !GetAtt A.TopicName\n",
				"Circular dependency between resources: [A, B]"},
			{"Resources:\n  A:\n    Type: AWS::Foo::Bar\n", "Template format error: Unrecognized resource types: [AWS::Foo::Bar]"},
			{"Resources: {}\n", "Template format error: At least one Resources member must be defined."},
			{"Resources:\n  A:\n    Properties: {}\n", "Template format error: [/Resources/A] Every Resources object must contain a Type member."},
			{"Resources:\n  A:\n    Type: AWS::SNS::Topic\nOutputs:\n  X:\n    Value: !Ref Nope\n",
				"Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template"},
			{"Resources:\n  A:\n    Type: AWS::SNS::Topic\nBogus: 1\n", "Template format error: Invalid template property or properties [Bogus]"},
			{"Parameters:\n  P:\n    Type: Strin\nResources:\n  A:\n    Type: AWS::SNS::Topic\n", "Template format error: Unrecognized parameter type: Strin"},
			{"Resources:\n  A: [\n", "Template format error: YAML not well-formed."},
		} {
			_, err := client.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(tc.body)})
			wantCode(t, err, "ValidationError")
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: %v, want %q", tc.body, err, tc.want)
			}
		}
		v := must(client.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(
			"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument: {}\n")}))(t)
		if !slices.Equal(v.Capabilities, []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}) {
			t.Errorf("capabilities %v", v.Capabilities)
		}
		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("iam"), TemplateBody: aws.String(
			"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n")})
		wantCode(t, err, "InsufficientCapabilitiesException")
		if !strings.Contains(err.Error(), "Requires capabilities : [CAPABILITY_IAM]") {
			t.Error(err)
		}
	})
}

// Parameters are checked against their constraints at CreateStack, in AWS's words.
func TestCloudFormationParameters(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := `Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Name:
    Type: String
    MinLength: 3
    MaxLength: 8
    AllowedPattern: '[a-z]+'
    Default: web
  Count:
    Type: Number
    MinValue: 1
    MaxValue: 5
    Default: 2
  Zones:
    Type: CommaDelimitedList
    Default: 'a, b'
  Code:
    Type: String
    AllowedPattern: '[0-9]+'
    ConstraintDescription: must be digits
    Default: '1'
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Join ['-', [!Ref Name, !Ref Env, !Ref Count, !Select [1, !Ref Zones]]]
Outputs:
  Arn:
    Value: !Ref T
`
		for _, tc := range []struct {
			params map[string]string
			want   string
		}{
			{map[string]string{"Env": "test"}, "Parameter 'Env' must be one of AllowedValues"},
			{map[string]string{"Name": "ab"}, "Parameter 'Name' must contain at least 3 characters"},
			{map[string]string{"Name": "abcdefghi"}, "Parameter 'Name' must contain at most 8 characters"},
			{map[string]string{"Name": "ABC"}, "Parameter 'Name' must match pattern [a-z]+"},
			{map[string]string{"Count": "x"}, "Parameter 'Count' must be a number"},
			{map[string]string{"Count": "0"}, "Parameter 'Count' must be a number not less than 1"},
			{map[string]string{"Count": "9"}, "Parameter 'Count' must be a number not greater than 5"},
			{map[string]string{"Code": "x"}, "Parameter 'Code' failed to satisfy constraint: must be digits"},
			{map[string]string{"Other": "x"}, "Parameters: [Other] do not exist in the template"},
		} {
			var ps []cfntypes.Parameter
			for k, v := range tc.params {
				ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
			}
			_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("p"), TemplateBody: &body, Parameters: ps})
			wantCode(t, err, "ValidationError")
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v: %v, want %q", tc.params, err, tc.want)
			}
		}
		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("p"),
			TemplateBody: aws.String("Parameters:\n  K:\n    Type: String\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")})
		if err == nil || !strings.Contains(err.Error(), "Parameters: [K] must have values") {
			t.Errorf("missing: %v", err)
		}
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("p"), TemplateBody: &body,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("prod")}}}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "p"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete || outputOf(st, "Arn") != "arn:aws:sns:us-east-1:123456789012:web-prod-2-b" {
			t.Errorf("stack %s, outputs %+v", st.StackStatus, st.Outputs)
		}
	})
}

// A stack's state survives Save and Load.
func TestCloudFormationSaveLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(cfnClock())
	client := cloudformation.NewFromConfig(c.Config())
	body := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: saved\nOutputs:\n  Arn:\n    Value: !Ref T\n    Export:\n      Name: saved-topic\n"
	must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("s"), TemplateBody: &body}))(t)
	c.Advance(time.Minute)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New(cfnClock())
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	st := must(stackStatus(t, cloudformation.NewFromConfig(d.Config()), "s"))(t)
	if st.StackStatus != cfntypes.StackStatusCreateComplete || outputOf(st, "Arn") != "arn:aws:sns:us-east-1:123456789012:saved" {
		t.Errorf("loaded: %s %+v", st.StackStatus, st.Outputs)
	}
}

// A stack's resources are made as the caller: a user allowed CloudFormation but not EC2's
// CreateVpc gets the stack rolled back with EC2's refusal as the reason; a user without
// cloudformation:CreateStack is refused the call. An unknown property fails its resource.
func TestCloudFormationAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl, conformance.EnforcesIAM)
		body := "Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
		nobody := newUser(t, c, "nobody")
		_, err := cloudformation.NewFromConfig(nobody).CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("a"), TemplateBody: &body})
		wantCode(t, err, "AccessDenied")

		cfnOnly := newUser(t, c, "cfn-only")
		root := iam.NewFromConfig(c.Config())
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("cfn-only"), PolicyName: aws.String("cfn"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"arn:aws:cloudformation:us-east-1:123456789012:stack/b/*"}]}`)}))(t)
		client := cloudformation.NewFromConfig(cfnOnly)
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("b"), TemplateBody: &body}))(t)
		c.Advance(t, time.Minute)
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("b")}))(t).StackEvents
		found := false
		for _, e := range ev {
			if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed && strings.Contains(aws.ToString(e.ResourceStatusReason), "ec2:CreateVpc") {
				found = true
			}
		}
		if !found || ev[0].ResourceStatus != cfntypes.ResourceStatusRollbackComplete {
			for _, e := range ev {
				t.Errorf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
		}
		_, err = client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("other")})
		wantCode(t, err, "AccessDenied")

		bad := "Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n      Colour: blue\n"
		rootClient := cloudformation.NewFromConfig(c.Config())
		must(rootClient.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("c"), TemplateBody: &bad}))(t)
		c.Advance(t, time.Minute)
		ev = must(rootClient.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("c")}))(t).StackEvents
		if len(ev) < 4 || aws.ToString(ev[3].ResourceStatusReason) != "Encountered unsupported property Colour" || ev[3].ResourceStatus != cfntypes.ResourceStatusCreateFailed {
			for _, e := range ev {
				t.Errorf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
		}
	})
}

// IAM, SSM and S3 resources: a role with an inline and a managed policy and an instance
// profile, a policy on a user, a parameter naming the role, a bucket with its policy; the
// capability they need; all of them gone after DeleteStack.
func TestCloudFormationIAMAndFriends(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		im := iam.NewFromConfig(c.Config())
		must(im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ana")}))(t)
		body := `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: web-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}
      Policies:
        - PolicyName: read
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sns:Publish', Resource: '*'}]}
  AnaPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: ana-read
      Users: [ana]
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'ec2:Describe*', Resource: '*'}]}
  RoleArn:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /web/role
      Type: String
      Value: !GetAtt Role.Arn
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: site-bucket-cfn
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Role.Arn}, Action: 's3:GetObject', Resource: !Sub '${Site.Arn}/*'}
Outputs:
  Profile:
    Value: !GetAtt Profile.Arn
  Managed:
    Value: !Ref Managed
`
		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("iam"), TemplateBody: &body,
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
		wantCode(t, err, "InsufficientCapabilitiesException")
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("iam"), TemplateBody: &body,
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "iam"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("iam")}))(t).StackEvents
			for _, e := range ev {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("status %s", st.StackStatus)
		}
		role := must(im.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("web-role")}))(t).Role
		attached := must(im.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("web-role")}))(t).AttachedPolicies
		if len(attached) != 1 || aws.ToString(attached[0].PolicyArn) != outputOf(st, "Managed") {
			t.Errorf("attached %+v", attached)
		}
		must(im.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ana"), PolicyName: aws.String("ana-read")}))(t)
		prof := must(im.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("web-role")}))(t).InstanceProfiles
		if len(prof) != 1 || aws.ToString(prof[0].Arn) != outputOf(st, "Profile") {
			t.Errorf("profiles %+v", prof)
		}
		p := must(ssm.NewFromConfig(c.Config()).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/web/role")}))(t)
		if aws.ToString(p.Parameter.Value) != aws.ToString(role.Arn) {
			t.Errorf("parameter %s", aws.ToString(p.Parameter.Value))
		}
		pol := must(s3.NewFromConfig(c.Config()).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("site-bucket-cfn")}))(t)
		if !strings.Contains(aws.ToString(pol.Policy), "arn:aws:s3:::site-bucket-cfn/*") {
			t.Errorf("bucket policy %s", aws.ToString(pol.Policy))
		}

		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("iam")}))(t)
		c.Advance(t, time.Minute)
		if st := must(stackStatus(t, client, aws.ToString(st.StackId)))(t); st.StackStatus != cfntypes.StackStatusDeleteComplete {
			t.Fatalf("deleted: %s %s", st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		_, err = im.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("web-role")})
		wantCode(t, err, "NoSuchEntity")
		_, err = im.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ana"), PolicyName: aws.String("ana-read")})
		wantCode(t, err, "NoSuchEntity")
		_, err = s3.NewFromConfig(c.Config()).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("site-bucket-cfn")})
		if err == nil {
			t.Error("the bucket is left")
		}
	})
}

// Stacks made and deleted from many goroutines at once, each with resources of its own.
func TestCloudFormationConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(cfnClock())
	client := cloudformation.NewFromConfig(c.Config())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("s%d", i)
			body := fmt.Sprintf("Resources:\n  T:\n    Type: AWS::SNS::Topic\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Name: /p/%d\n      Type: String\n      Value: !Ref T\n", i)
			if _, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: &name, TemplateBody: &body}); err != nil {
				t.Error(err)
				return
			}
			if _, err := client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: &name}); err != nil {
				t.Error(err)
			}
			if _, err := client.ListStacks(ctx, &cloudformation.ListStacksInput{}); err != nil {
				t.Error(err)
			}
			if _, err := client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: &name}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	c.Advance(time.Minute)
	out := must(client.ListStacks(ctx, &cloudformation.ListStacksInput{StackStatusFilter: []cfntypes.StackStatus{cfntypes.StackStatusDeleteComplete}}))(t)
	if len(out.StackSummaries) != 8 {
		t.Errorf("%d stacks deleted", len(out.StackSummaries))
	}
}

// The web tier's types: a load balancer over two subnets with a target group and a listener,
// an EFS file system with a mount target, an RDS subnet group; each made through its
// service, and deleted with the stack.
func TestCloudFormationWebTier(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := `Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.5.0.0/16}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref VPC, InternetGatewayId: !Ref Gateway}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.5.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.5.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: lb, VpcId: !Ref VPC}
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    DependsOn: Attach
    Properties:
      Subnets: [!Ref A, !Ref B]
      SecurityGroups: [!Ref Group]
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Port: 80, Protocol: HTTP, VpcId: !Ref VPC, HealthCheckPath: /}
  HTTP:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LB
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref TG}]
  Files:
    Type: AWS::EFS::FileSystem
  DBSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: {DBSubnetGroupDescription: db, SubnetIds: [!Ref A, !Ref B]}
Outputs:
  URL:
    Value: !Sub 'http://${LB.DNSName}'
  Files:
    Value: !Ref Files
    Export: {Name: tier-files}
  Subnet:
    Value: !Ref A
    Export: {Name: tier-subnet}
  Group:
    Value: !GetAtt Group.GroupId
    Export: {Name: tier-group}
`
		// A mount target needs its file system available, which takes EFS a few seconds of
		// the clock: it is made by a second stack, from the first one's exports.
		mount := `Resources:
  Mount:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !ImportValue tier-files, SubnetId: !ImportValue tier-subnet, SecurityGroups: [!ImportValue tier-group]}
`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("tier"), TemplateBody: &body}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "tier"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("tier")}))(t).StackEvents
			for _, e := range ev {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("status %s", st.StackStatus)
		}
		lbs := must(elbv2.NewFromConfig(c.Config()).DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{}))(t).LoadBalancers
		if len(lbs) != 1 || outputOf(st, "URL") != "http://"+aws.ToString(lbs[0].DNSName) {
			t.Errorf("URL %s, load balancers %d", outputOf(st, "URL"), len(lbs))
		}
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("mount"), TemplateBody: &mount}))(t)
		c.Advance(t, time.Minute)
		if m := must(stackStatus(t, client, "mount"))(t); m.StackStatus != cfntypes.StackStatusCreateComplete {
			t.Fatalf("mount: %s", m.StackStatus)
		}
		mts := must(efs.NewFromConfig(c.Config()).DescribeMountTargets(ctx, &efs.DescribeMountTargetsInput{FileSystemId: aws.String(outputOf(st, "Files"))}))(t).MountTargets
		if len(mts) != 1 || aws.ToString(mts[0].SubnetId) != outputOf(st, "Subnet") {
			t.Errorf("mount targets %+v", mts)
		}
		_, err := client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("tier")})
		wantCode(t, err, "ValidationError")
		if err == nil || !strings.Contains(err.Error(), "Export tier-files cannot be deleted as it is in use by mount") {
			t.Errorf("delete an export in use: %v", err)
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("mount")}))(t)
		c.Advance(t, time.Minute)
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("tier")}))(t)
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, aws.ToString(st.StackId)))(t)
		if st.StackStatus != cfntypes.StackStatusDeleteComplete {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId}))(t).StackEvents
			for _, e := range ev[:8] {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("deleted: %s", st.StackStatus)
		}
	})
}

// A stack's service role must be passed: iam:PassRole on it, for cloudformation.amazonaws.com.
func TestCloudFormationPassRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		user := newUser(t, c, "dev")
		root := iam.NewFromConfig(c.Config())
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("cfn"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:*","sns:*"],"Resource":"*"}]}`)}))(t)
		body := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
		role := "arn:aws:iam::123456789012:role/cfn-deployer"
		client := cloudformation.NewFromConfig(user)
		_, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("r"), TemplateBody: &body, RoleARN: &role})
		wantCode(t, err, "AccessDenied")
		if err == nil || !strings.Contains(err.Error(), "iam:PassRole") {
			t.Errorf("without PassRole: %v", err)
		}
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("pass"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"` + role + `","Condition":{"StringEquals":{"iam:PassedToService":"cloudformation.amazonaws.com"}}}]}`)}))(t)
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("r"), TemplateBody: &body, RoleARN: &role}))(t)
		if st := must(stackStatus(t, client, "r"))(t); aws.ToString(st.RoleARN) != role {
			t.Errorf("RoleARN %q", aws.ToString(st.RoleARN))
		}
	})
}

// UpdateStack: a parameter's new value replaces the resources it reaches (a new topic, then
// the parameter naming it), a resource added is made and one removed is deleted in the
// cleanup; an update with no changes is refused; a failing update is rolled back, the stack
// as it was.
func TestCloudFormationUpdateStack(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		sm := ssm.NewFromConfig(c.Config())
		v1 := `Parameters:
  Label: {Type: String, Default: one}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: !Ref Label}
  Setting:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/topic, Type: String, Value: !Ref Topic}
  Old:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: old}
Outputs:
  Topic: {Value: !Ref Topic}
`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("app"), TemplateBody: &v1}))(t)
		_, err := client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true)})
		wantCode(t, err, "ValidationError") // still CREATE_IN_PROGRESS
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "app"))(t)
		first := outputOf(st, "Topic")
		_, err = client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true)})
		if err == nil || !strings.Contains(err.Error(), "No updates are to be performed.") {
			t.Errorf("no changes: %v", err)
		}
		// The parameter /app/topic is named, and its value changes: it cannot be replaced.
		_, err = client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), UsePreviousTemplate: aws.Bool(true),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Label"), ParameterValue: aws.String("two")}}})
		if err == nil || !strings.Contains(err.Error(), "custom-named resource requires replacing. Rename Setting") {
			t.Errorf("named replacement: %v", err)
		}
		v2 := strings.Replace(v1, "Name: /app/topic, ", "", 1)
		v2 = strings.Replace(v2, "  Old:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: old}\n", "  New:\n    Type: AWS::SNS::Topic\n", 1)
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), TemplateBody: &v2,
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Label"), ParameterValue: aws.String("two")}}}))(t)
		if st := must(stackStatus(t, client, "app"))(t); st.StackStatus != cfntypes.StackStatusUpdateInProgress {
			t.Errorf("updating: %s", st.StackStatus)
		}
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, "app"))(t)
		if st.StackStatus != cfntypes.StackStatusUpdateComplete || outputOf(st, "Topic") == first || st.LastUpdatedTime == nil {
			t.Fatalf("updated: %s, topic %s (was %s)", st.StackStatus, outputOf(st, "Topic"), first)
		}
		res := must(client.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("app")}))(t).StackResourceSummaries
		var names []string
		for _, r := range res {
			names = append(names, aws.ToString(r.LogicalResourceId)+" "+string(r.ResourceStatus))
		}
		if !slices.Equal(names, []string{"Topic UPDATE_COMPLETE", "Setting UPDATE_COMPLETE", "New CREATE_COMPLETE"}) {
			t.Errorf("resources %v", names)
		}
		topics := must(sns.NewFromConfig(c.Config()).ListTopics(ctx, &sns.ListTopicsInput{}))(t).Topics
		if len(topics) != 2 {
			t.Errorf("%d topics after the cleanup", len(topics))
		}
		if n := len(must(sm.DescribeParameters(ctx, &ssm.DescribeParametersInput{}))(t).Parameters); n != 1 {
			t.Errorf("%d parameters after the cleanup", n)
		}
		// A failing update: a bad subnet. The stack is rolled back to what it was.
		v3 := strings.Replace(v2, "Outputs:", "  Net:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: vpc-nope, CidrBlock: 10.0.0.0/24}\nOutputs:", 1)
		must(client.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("app"), TemplateBody: &v3, Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Label"), UsePreviousValue: aws.Bool(true)}}}))(t)
		c.Advance(t, time.Minute)
		st2 := must(stackStatus(t, client, "app"))(t)
		if st2.StackStatus != cfntypes.StackStatusUpdateRollbackComplete || outputOf(st2, "Topic") != outputOf(st, "Topic") {
			t.Errorf("rolled back: %s", st2.StackStatus)
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("app")}))(t)
		c.Advance(t, time.Minute)
		if topics := must(sns.NewFromConfig(c.Config()).ListTopics(ctx, &sns.ListTopicsInput{}))(t).Topics; len(topics) != 0 {
			t.Errorf("%d topics after the delete", len(topics))
		}
	})
}
