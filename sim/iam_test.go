package sim_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestIAMErrors(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		newUser(t, c, "alex")
		tests := []struct {
			name string
			call func() error
			code string
			msg  string
		}{
			{"bad user name", func() error {
				_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex smith")})
				return err
			}, "ValidationError", "Member must satisfy regular expression pattern"},
			{"user name too long", func() error {
				_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(strings.Repeat("a", 65))})
				return err
			}, "ValidationError", "length less than or equal to 64"},
			{"names are unique regardless of case", func() error {
				_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALEX")})
				return err
			}, "EntityAlreadyExists", "User with name ALEX already exists."},
			{"no such user", func() error {
				_, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
				return err
			}, "NoSuchEntity", "The user with name nobody cannot be found."},
			{"malformed policy", func() error {
				_, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`)})
				return err
			}, "MalformedPolicyDocument", "Policy statement must contain actions."},
			{"identity policy with a principal", func() error {
				_, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("p"),
					PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)})
				return err
			}, "MalformedPolicyDocument", "principal"},
			{"delete a user that has keys", func() error {
				_, err := root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alex")})
				return err
			}, "DeleteConflict", "must delete access keys first"},
			{"attach a policy that does not exist", func() error {
				_, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alex"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
				return err
			}, "NoSuchEntity", "does not exist or is not attachable"},
			// Every IAM operation is answered now (OPERATIONS.md); the door's NotImplemented for
			// an operation without a method is pinned by TestS3Unimplemented.
			{"centralized root access outside an organization", func() error {
				_, err := root.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
				return err
			}, "OrganizationNotFoundException", "no organization is associated with your account"},
		}
		onMoto := map[string]string{
			"bad user name":                                   "moto takes a user name with a space",
			"user name too long":                              "moto takes a user name of 65 characters",
			"names are unique regardless of case":             "moto's user names are case-sensitive: ALEX is made beside alex",
			"identity policy with a principal":                "moto takes an identity policy with a Principal",
			"centralized root access outside an organization": "moto has no centralized root access",
			"delete a user that has keys":                     `moto's DeleteConflict says "must delete policies first" of a user with keys and no policies`,
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.code == "NotImplemented" {
					c.Require(t, conformance.Simulator) // what the simulator lacks, AWS has
				}
				c.Diverges(t, conformance.Moto, onMoto[tt.name])
				err := tt.call()
				wantCode(t, err, tt.code)
				if !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q does not contain %q", err, tt.msg)
				}
			})
		}
	})
}

// An unimplemented operation is authorized first, as AWS would: a user without permission
// learns no more than AccessDenied.
func TestUnimplementedAfterAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator, conformance.EnforcesIAM)
		alex := newUser(t, c, "alex")
		_, err := iam.NewFromConfig(alex).GenerateOrganizationsAccessReport(context.Background(), &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7h8i9j0example")})
		wantCode(t, err, "AccessDenied")
		_, err = ec2.NewFromConfig(alex).DescribeVpcEndpointServices(context.Background(), &ec2.DescribeVpcEndpointServicesInput{})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

func TestGetUserWithoutName(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		out, err := iam.NewFromConfig(c.Config()).GetUser(ctx, &iam.GetUserInput{})
		if err != nil {
			t.Fatal(err)
		}
		c.Diverges(t, conformance.Moto, "moto answers the root's GetUser with a user default_user, not the root")
		if *out.User.Arn != "arn:aws:iam::123456789012:root" || *out.User.UserId != "123456789012" {
			t.Errorf("root's GetUser = %s %s", *out.User.Arn, *out.User.UserId)
		}
		alex := newUser(t, c, "alex")
		// GetUser on oneself still needs iam:GetUser on one's own ARN.
		c.Require(t, conformance.EnforcesIAM)
		_, err = iam.NewFromConfig(alex).GetUser(ctx, &iam.GetUserInput{})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "on resource: arn:aws:iam::123456789012:user/alex") {
			t.Errorf("message does not name alex's ARN: %v", err)
		}
		if _, err := iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String("alex"), PolicyName: aws.String("self"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`),
		}); err != nil {
			t.Fatal(err)
		}
		out, err = iam.NewFromConfig(alex).GetUser(ctx, &iam.GetUserInput{})
		if err != nil {
			t.Fatal(err)
		}
		if *out.User.UserName != "alex" {
			t.Errorf("GetUser = %s", *out.User.UserName)
		}
	})
}

func TestListPagination(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		for i := range 25 {
			if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%02d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		c.Diverges(t, conformance.Moto, "moto's ListUsers ignores MaxItems: one page of 25 users")
		p := iam.NewListUsersPaginator(root, &iam.ListUsersInput{MaxItems: aws.Int32(10)})
		var names []string
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, u := range out.Users {
				names = append(names, *u.UserName)
			}
		}
		if pages != 3 || len(names) != 25 || names[0] != "user-00" || names[24] != "user-24" {
			t.Errorf("%d pages, %d users (%v)", pages, len(names), names)
		}
		_, err := root.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("garbage!")})
		wantCode(t, err, "ValidationError")
	})
}

func TestPolicyVersions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		doc := func(action string) *string {
			return aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*"}]}`)
		}
		p, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: doc("ec2:DescribeRegions")})
		if err != nil {
			t.Fatal(err)
		}
		arn := p.Policy.Arn
		for i := 2; i <= 5; i++ {
			if _, err := root.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: doc("ec2:*"), SetAsDefault: i == 5}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = root.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: doc("s3:*")})
		wantCode(t, err, "LimitExceeded")
		_, err = root.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
		wantCode(t, err, "DeleteConflict")
		got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		if *got.Policy.DefaultVersionId != "v5" {
			t.Errorf("default version = %s", *got.Policy.DefaultVersionId)
		}
		v, err := root.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
		if err != nil {
			t.Fatal(err)
		}
		text, _ := url.QueryUnescape(*v.PolicyVersion.Document)
		if text != *doc("ec2:DescribeRegions") || v.PolicyVersion.IsDefaultVersion {
			t.Errorf("v1 = %s default=%v", text, v.PolicyVersion.IsDefaultVersion)
		}
	})
}

func TestSimulatePrincipalPolicy(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		newUser(t, c, "alex")
		if _, err := root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("alex")}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("no-terminate"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		c.Diverges(t, conformance.Moto, "moto answers SimulatePrincipalPolicy with a 500: it does not implement it")
		out, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/alex"),
			ActionNames:     []string{"ec2:RunInstances", "ec2:TerminateInstances"},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			decision types.PolicyEvaluationDecisionType
			source   string
			typ      types.PolicySourceType
		}{
			{types.PolicyEvaluationDecisionTypeAllowed, "AdministratorAccess", types.PolicySourceTypeAwsManaged},
			{types.PolicyEvaluationDecisionTypeExplicitDeny, "no-terminate", types.PolicySourceTypeUser},
		}
		if len(out.EvaluationResults) != len(want) {
			t.Fatalf("%d results", len(out.EvaluationResults))
		}
		for i, w := range want {
			r := out.EvaluationResults[i]
			if r.EvalDecision != w.decision || len(r.MatchedStatements) != 1 ||
				*r.MatchedStatements[0].SourcePolicyId != w.source || r.MatchedStatements[0].SourcePolicyType != w.typ {
				t.Errorf("%s: %s %+v", *r.EvalActionName, r.EvalDecision, r.MatchedStatements)
			}
		}
	})
}
