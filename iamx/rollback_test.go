package iamx_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
)

// what lists the account's users, groups and the admin group's policies, as one line.
func what(t *testing.T, c *iam.Client) string {
	t.Helper()
	ctx := context.Background()
	var parts []string
	users, err := c.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users.Users {
		parts = append(parts, "user:"+aws.ToString(u.UserName))
	}
	groups, err := c.ListGroups(ctx, &iam.ListGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups.Groups {
		parts = append(parts, "group:"+aws.ToString(g.GroupName))
		att, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: g.GroupName})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range att.AttachedPolicies {
			parts = append(parts, "policy:"+aws.ToString(p.PolicyName))
		}
	}
	return strings.Join(parts, " ")
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Whichever step of CreateAdminUser fails, the account is left as it was: no user, no
// group it made, no policy it attached.
func TestCreateAdminUserRollsBack(t *testing.T) {
	ctx := context.Background()
	for _, op := range []string{"AttachGroupPolicy", "CreateUser", "CreateLoginProfile", "CreateAccessKey", "AddUserToGroup"} {
		for _, existing := range []bool{false, true} {
			name := op
			if existing {
				name += "/existing group"
			}
			t.Run(name, func(t *testing.T) {
				cloud := sim.New()
				c := iam.NewFromConfig(cloud.Config())
				before := ""
				if existing {
					c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")})
					before = "group:admin"
				}
				cloud.Inject(sim.Fault{Service: "iam", Operation: op, Code: "LimitExceeded", Status: 409, Message: "Cannot exceed quota."})
				creds, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex", func(o *iamx.AdminOptions) { o.Password = "Lab-Passw0rd!" })
				if creds != nil || apiCode(err) != "LimitExceeded" || !strings.HasPrefix(err.Error(), `iamx: admin user "alex"`) {
					t.Fatalf("CreateAdminUser = %v, %v", creds, err)
				}
				if got := what(t, c); got != before {
					t.Errorf("left: %q, want %q", got, before)
				}
			})
		}
	}

	t.Run("an existing user is left alone", func(t *testing.T) {
		cloud := sim.New()
		c := iam.NewFromConfig(cloud.Config())
		c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")})
		if _, err := iamx.CreateAdminUser(ctx, cloud.Config(), "alex"); apiCode(err) != "EntityAlreadyExists" {
			t.Fatalf("err %v", err)
		}
		if got := what(t, c); got != "user:alex" {
			t.Errorf("left: %q", got)
		}
	})
}

func TestCreateUserWithPolicyRollsBack(t *testing.T) {
	cloud := sim.New()
	c := iam.NewFromConfig(cloud.Config())
	_, err := iamx.CreateUserWithPolicy(context.Background(), cloud.Config(), "reader", "read", `{"Version":"2012-10-17","Statement":[]}`)
	if apiCode(err) != "MalformedPolicyDocument" {
		t.Fatalf("err %v", err)
	}
	if got := what(t, c); got != "" {
		t.Errorf("left: %q", got)
	}
}

// DeleteUser removes what IAM requires gone first, keeps the groups and policies, and is
// safe to run again; a failure halfway is finished by a re-run.
func TestDeleteUser(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	c := iam.NewFromConfig(cfg)
	if _, err := iamx.CreateAdminUser(ctx, cfg, "alex", func(o *iamx.AdminOptions) { o.Password = "Lab-Passw0rd!" }); err != nil {
		t.Fatal(err)
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	user := aws.String("alex")
	must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: user}))
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")}))
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: user}))
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: user, PolicyName: aws.String("own"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)}))
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: user, PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))

	remove := cloud.Inject(sim.Fault{Service: "iam", Operation: "DeleteUserPolicy", Code: "ServiceFailure", Status: 500, Message: "Request processing has failed."})
	err := iamx.DeleteUser(ctx, cfg, "alex")
	remove()
	if apiCode(err) != "ServiceFailure" || !strings.Contains(err.Error(), `iamx: delete user "alex": inline policy own`) {
		t.Fatalf("DeleteUser with a failure: %v", err)
	}
	for i := range 2 {
		if err := iamx.DeleteUser(ctx, cfg, "alex"); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if got := what(t, c); got != "group:admin policy:AdministratorAccess group:ops" {
		t.Errorf("left: %q", got)
	}
}
