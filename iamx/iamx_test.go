package iamx_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
)

func TestCreateAdminUserReusesTheGroup(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	if _, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex"); err != nil {
		t.Fatal(err)
	}
	if _, err := iamx.CreateAdminUser(ctx, cloud.Config(), "sam"); err != nil {
		t.Fatalf("second admin in the existing group: %v", err)
	}
	g, err := iam.NewFromConfig(cloud.Config()).GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Users) != 2 {
		t.Errorf("admin has %d members, want 2", len(g.Users))
	}
	_, err = iamx.CreateAdminUser(ctx, cloud.Config(), "alex")
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "EntityAlreadyExists" {
		t.Errorf("creating alex again: %v, want EntityAlreadyExists", err)
	}
}

func TestCreateAdminUserLoginProfile(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	if _, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex", func(o *iamx.AdminOptions) {
		o.Password, o.PasswordResetRequired = "Lab-Passw0rd!", true
	}); err != nil {
		t.Fatal(err)
	}
	p, err := iam.NewFromConfig(cloud.Config()).GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alex")})
	if err != nil {
		t.Fatal(err)
	}
	if !p.LoginProfile.PasswordResetRequired {
		t.Error("PasswordResetRequired not kept")
	}
}

func TestDecodeDocument(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c"}]}`
	if _, err := iamx.CreateUserWithPolicy(ctx, cloud.Config(), "u", "p", doc); err != nil {
		t.Fatal(err)
	}
	out, err := iam.NewFromConfig(cloud.Config()).GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("p")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := iamx.DecodeDocument(*out.PolicyDocument)
	if err != nil || got != doc {
		t.Errorf("DecodeDocument = %q, %v; want the document as written", got, err)
	}
	if _, err := iamx.DecodeDocument("%zz"); err == nil {
		t.Error("DecodeDocument accepted a bad escape")
	}
}
