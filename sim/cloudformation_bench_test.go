package sim_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// BenchmarkCloudFormationDescribeStacks describes, as alex, the web stack of the tests (ten
// resources, outputs and parameters): the awsQuery codec of the schema-based SDK and the
// stack's view at the clock's now, beside the floor.
func BenchmarkCloudFormationDescribeStacks(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b, cfnClock())
	if _, err := ec2.NewFromConfig(c.Config()).CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("alex")}); err != nil {
		b.Fatal(err)
	}
	body, err := os.ReadFile("testdata/cloudformation/web.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cloudformation.NewFromConfig(cfg).CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("web"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyName"), ParameterValue: aws.String("alex")}}}); err != nil {
		b.Fatal(err)
	}
	c.Advance(time.Minute)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := cloudformation.NewFromConfig(cfg).DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("web")})
		if err == nil && (len(out.Stacks) != 1 || len(out.Stacks[0].Outputs) != 5) {
			err = fmt.Errorf("%d stacks", len(out.Stacks))
		}
		return err
	})
}

// bigTemplate is a template of 32 resources across five services: a VPC with four subnets,
// four security groups and an internet gateway (EC2), ten parameters (SSM), ten topics (SNS),
// two buckets (S3) and a role with its instance profile (IAM).
func bigTemplate() string {
	var t strings.Builder
	t.WriteString("Resources:\n  Net:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n")
	t.WriteString("  Gateway:\n    Type: AWS::EC2::InternetGateway\n")
	for i := range 4 {
		fmt.Fprintf(&t, "  Subnet%d:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Net\n      CidrBlock: !Select [%d, !Cidr [!GetAtt Net.CidrBlock, 4, 8]]\n      AvailabilityZone: !Select [%d, !GetAZs '']\n", i, i, i%2)
		fmt.Fprintf(&t, "  Group%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g%d\n      VpcId: !Ref Net\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}\n", i, i)
	}
	for i := range 10 {
		fmt.Fprintf(&t, "  Topic%d:\n    Type: AWS::SNS::Topic\n", i)
		fmt.Fprintf(&t, "  Param%d:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: !Ref Topic%d\n", i, i)
	}
	t.WriteString("  Logs:\n    Type: AWS::S3::Bucket\n  Assets:\n    Type: AWS::S3::Bucket\n")
	t.WriteString("  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n")
	t.WriteString("  Profile:\n    Type: AWS::IAM::InstanceProfile\n    Properties:\n      Roles: [!Ref Role]\n")
	return t.String()
}

// BenchmarkCloudFormationCreateStack creates, as alex, a stack of 32 resources across five
// services, each made through its service's operation at the door, and deletes it: the
// wall time of a stack (the goal: under 100 ms).
func BenchmarkCloudFormationCreateStack(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b, cfnClock())
	client := cloudformation.NewFromConfig(cfg)
	body := bigTemplate()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		name := fmt.Sprintf("big-%d", i)
		if _, err := client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: &name, TemplateBody: &body,
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}); err != nil {
			b.Fatal(err)
		}
		c.Advance(time.Minute)
		out, err := client.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &name})
		if err != nil || out.Stacks[0].StackStatus != cfntypes.StackStatusCreateComplete {
			b.Fatalf("%v %v", err, out.Stacks[0].StackStatusReason)
		}
		if _, err := client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: &name}); err != nil {
			b.Fatal(err)
		}
		c.Advance(time.Minute)
	}
}
