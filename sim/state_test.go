package sim_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
)

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	alex := newUser(t, c, "alex")
	root := iam.NewFromConfig(config(t, c))
	if _, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName:     aws.String("ec2-no-terminate"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`),
	}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}

	d := sim.New()
	if err := d.Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	// The user's key works on the loaded cloud.
	key, _ := alex.Credentials.Retrieve(ctx)
	cfg := config(t, d, sim.WithCredentials(key.AccessKeyID, key.SecretAccessKey, ""))
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *id.Arn != "arn:aws:iam::123456789012:user/alex" {
		t.Errorf("loaded identity = %s", *id.Arn)
	}
	pols, err := iam.NewFromConfig(config(t, d)).ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "Local"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pols.Policies) != 1 || *pols.Policies[0].PolicyName != "ec2-no-terminate" {
		t.Errorf("loaded policies = %+v", pols.Policies)
	}
	// The ID generator goes on where it stopped: both clouds hand out the same next ID,
	// and it is not one already used.
	u1, err := iam.NewFromConfig(config(t, c)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	u2, err := iam.NewFromConfig(config(t, d)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if *u1.User.UserId != *u2.User.UserId {
		t.Errorf("IDs diverged after load: %s and %s", *u1.User.UserId, *u2.User.UserId)
	}

	if err := sim.New(sim.WithAccount("111122223333")).Load(bytes.NewReader(buf.Bytes())); err == nil {
		t.Error("loading another account's state succeeded")
	}
}
