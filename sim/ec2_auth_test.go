package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Identity policies may name instances by ARN: a user allowed to stop one instance cannot stop
// another, nor both at once; RunInstances needs the new instance and the image allowed.
func TestEC2InstanceARNs(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := ec2Client(t, c)
		ids := []string{}
		for _, i := range must(root.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2)}))(t).Instances {
			ids = append(ids, *i.InstanceId)
		}
		alex := ec2.NewFromConfig(newUser(t, c, "alex"))
		arn := "arn:aws:ec2:us-east-1:123456789012:instance/"
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String("alex"), PolicyName: aws.String("one-instance"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["ec2:StopInstances","ec2:DescribeInstanceAttribute"],"Resource":"` + arn + ids[0] + `"},
			{"Effect":"Allow","Action":"ec2:RunInstances","Resource":["` + arn + `*","arn:aws:ec2:us-east-1::image/ami-4fffc834",
				"arn:aws:ec2:us-east-1:123456789012:volume/*","arn:aws:ec2:us-east-1:123456789012:network-interface/*"]}]}`),
		}))(t)

		must(alex.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := alex.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[1:]})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), "on resource: "+arn+ids[1]) {
			t.Errorf("message does not name the instance: %v", err)
		}
		_, err = alex.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids})
		wantCode(t, err, "UnauthorizedOperation")
		must(alex.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String(ids[0]), Attribute: "instanceType"}))(t)
		_, err = alex.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]})
		wantCode(t, err, "UnauthorizedOperation")

		must(alex.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t)
		_, err = alex.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-fce3c696"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "UnauthorizedOperation")
		// DryRun answers with the authorization, and changes nothing.
		_, err = alex.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[1:], DryRun: aws.Bool(true)})
		wantCode(t, err, "UnauthorizedOperation")
		_, err = root.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids[1:], DryRun: aws.Bool(true)})
		wantCode(t, err, "DryRunOperation")
		if s := describeInstance(t, root, ids[1]).State.Name; s != "running" {
			t.Errorf("after a dry run, the instance is %s", s)
		}
	})
}
