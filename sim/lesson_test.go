package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
)

// apiCode returns the AWS error code of err, or "" when it is nil or not an API error.
func apiCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorCode()
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apiCode(t, err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// newUser creates a user with an access key as root, and returns a config signing as it.
func newUser(t *testing.T, c *sim.Cloud, name string) aws.Config {
	t.Helper()
	ctx := context.Background()
	admin := iam.NewFromConfig(config(t, c))
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return config(t, c, sim.WithCredentials(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, ""))
}

// The course's first lesson: a new user is refused, joins the admin group, and is allowed.
func TestFirstLesson(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	root := iam.NewFromConfig(config(t, c))
	alex := newUser(t, c, "alex")

	_, err := ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	wantCode(t, err, "UnauthorizedOperation")
	if !strings.Contains(err.Error(), "User: arn:aws:iam::123456789012:user/alex is not authorized to perform: ec2:DescribeRegions") {
		t.Errorf("message does not name the user and action: %v", err)
	}

	if _, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{
		GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("alex")}); err != nil {
		t.Fatal(err)
	}

	out, err := ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Regions) < 17 {
		t.Errorf("DescribeRegions returned %d regions, want the 17 enabled by default", len(out.Regions))
	}
	id, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *id.Arn != "arn:aws:iam::123456789012:user/alex" || *id.Account != "123456789012" || !strings.HasPrefix(*id.UserId, "AIDA") {
		t.Errorf("GetCallerIdentity = %s %s %s", *id.Arn, *id.Account, *id.UserId)
	}
}
