package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
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

// newUser creates a user with an access key as the root of c, a simulator or an account of
// the conformance suite, and returns a config like the root's signing as the user.
func newUser[C *sim.Cloud | *conformance.Account](t *testing.T, c C, name string) aws.Config {
	t.Helper()
	var root aws.Config
	switch c := any(c).(type) {
	case *sim.Cloud:
		root = c.Config()
	case *conformance.Account:
		root = c.Config()
	}
	ctx := context.Background()
	admin := iam.NewFromConfig(root)
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := root.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey, "")
	return cfg
}

// The course's first lesson: a new user is refused, joins the admin group, and is allowed.
func TestFirstLesson(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")

		c.Require(t, conformance.EnforcesIAM)
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
	})
}
