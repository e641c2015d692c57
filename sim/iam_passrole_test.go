package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Putting a role in an instance profile hands it to every instance the profile will be
// associated with, so AddRoleToInstanceProfile needs iam:PassRole on the role as well, with
// iam:PassedToService ec2.amazonaws.com and iam:AssociatedResourceArn
// arn:aws:ec2:*:ACCOUNT:instance/*: without it, a user who may manage profiles could put an
// administrator's role into one and launch with it.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
func TestIAMAddRoleToInstanceProfilePassesTheRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := iam.NewFromConfig(c.Config())
		must(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(ec2Trust)}))(t)
		for _, p := range []string{"one", "two", "three"} {
			must(root.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(p)}))(t)
		}
		const profiles = `{"Effect":"Allow","Action":"iam:AddRoleToInstanceProfile","Resource":"*"}`

		without := iam.NewFromConfig(policyUser(t, c, "profiles-only", profiles))
		_, err := without.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("one"), RoleName: aws.String("admin")})
		wantCode(t, err, "AccessDenied")
		if err != nil && !strings.Contains(err.Error(), "iam:PassRole on resource: arn:aws:iam::123456789012:role/admin") {
			t.Errorf("the refusal does not name iam:PassRole on the role: %v", err)
		}
		got := must(root.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("one")}))(t)
		if n := len(got.InstanceProfile.Roles); n != 0 {
			t.Errorf("the refused call left %d roles in the profile", n)
		}

		toLambda := iam.NewFromConfig(policyUser(t, c, "pass-to-lambda", profiles+`,{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}`))
		_, err = toLambda.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("two"), RoleName: aws.String("admin")})
		wantCode(t, err, "AccessDenied")

		toEC2 := iam.NewFromConfig(policyUser(t, c, "pass-to-ec2", profiles+`,{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/admin","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"},"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:*:123456789012:instance/*"}}}`))
		must(toEC2.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("three"), RoleName: aws.String("admin")}))(t)
	})
}
