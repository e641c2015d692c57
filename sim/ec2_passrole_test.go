package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// passRoleSetup makes the roles of TestEC2PassRole: admin (AdministratorAccess) and reader,
// each in an instance profile of its name, and the profile empty, which holds no role.
func passRoleSetup(t *testing.T, c *conformance.Account) {
	t.Helper()
	ctx := context.Background()
	ic := iam.NewFromConfig(c.Config())
	for role, policy := range map[string]string{"admin": "AdministratorAccess", "reader": "ReadOnlyAccess"} {
		must(ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role), AssumeRolePolicyDocument: aws.String(ec2Trust)}))(t)
		must(ic.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String("arn:aws:iam::aws:policy/" + policy)}))(t)
		must(ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(role)}))(t)
		must(ic.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(role), RoleName: aws.String(role)}))(t)
	}
	must(ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("empty")}))(t)
}

// policyUser makes a user called name whose one inline policy has statements (JSON objects,
// comma-separated), and returns a config signing as the user.
func policyUser(t *testing.T, c *conformance.Account, name, statements string) aws.Config {
	t.Helper()
	cfg := newUser(t, c, name)
	must(iam.NewFromConfig(c.Config()).PutUserPolicy(context.Background(), &iam.PutUserPolicyInput{
		UserName: aws.String(name), PolicyName: aws.String("policy"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[` + statements + `]}`),
	}))(t)
	return cfg
}

// userWith returns an EC2 client of a new user called name, allowed ec2:* and what statements
// say.
func userWith(t *testing.T, c *conformance.Account, name, statements string) *ec2.Client {
	t.Helper()
	all := `{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`
	if statements != "" {
		all += "," + statements
	}
	return ec2.NewFromConfig(policyUser(t, c, name, all))
}

// instanceCount is how many instances the account has, in any state.
func instanceCount(t *testing.T, client *ec2.Client) int {
	t.Helper()
	n := 0
	for _, r := range must(client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}))(t).Reservations {
		n += len(r.Instances)
	}
	return n
}

// Launching an instance with an instance profile passes the profile's role to EC2: the caller
// needs iam:PassRole on the role, with iam:PassedToService ec2.amazonaws.com and
// iam:AssociatedResourceArn the new instances (instance/*), for RunInstances (the profile by
// name or ARN) and RequestSpotInstances alike. A profile without a role passes nothing; the
// root passes any role; a missing profile is EC2's own error.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
func TestEC2PassRole(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, root := spotCloud(t, b)
		c.Require(t, conformance.EnforcesIAM)
		passRoleSetup(t, c)
		const (
			adminARN  = "arn:aws:iam::123456789012:role/admin"
			readerARN = "arn:aws:iam::123456789012:role/reader"
		)

		// The operations that pass a role, each given the instance profile called profile.
		ops := []struct {
			name string
			call func(client *ec2.Client, profile string, dryRun bool) error
		}{
			{"RunInstances by name", func(client *ec2.Client, profile string, dryRun bool) error {
				_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
					IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String(profile)}, DryRun: aws.Bool(dryRun)})
				return err
			}},
			{"RunInstances by ARN", func(client *ec2.Client, profile string, dryRun bool) error {
				_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
					IamInstanceProfile: &types.IamInstanceProfileSpecification{Arn: aws.String("arn:aws:iam::123456789012:instance-profile/" + profile)}, DryRun: aws.Bool(dryRun)})
				return err
			}},
			{"RequestSpotInstances", func(client *ec2.Client, profile string, dryRun bool) error {
				spec := course()
				spec.IamInstanceProfile = &types.IamInstanceProfileSpecification{Name: aws.String(profile)}
				_, err := client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.05"), LaunchSpecification: spec, DryRun: aws.Bool(dryRun)})
				return err
			}},
		}
		spotRequests := func(t *testing.T) int { // the subtest's t: a parent's FailNow from a subtest panics
			return len(must(root.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{}))(t).SpotInstanceRequests)
		}

		cases := []struct {
			name       string
			statements string // beyond ec2:* on *
			allowed    map[string]bool
			deny       string // the end of the refusal's message, after the role's ARN
		}{
			{name: "no PassRole", allowed: map[string]bool{},
				deny: " because no identity-based policy allows the iam:PassRole action"},
			{name: "PassRole on the role",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"` + adminARN + `"}`,
				allowed:    map[string]bool{"admin": true}},
			{name: "PassRole on another role",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"` + readerARN + `"}`,
				allowed:    map[string]bool{"reader": true},
				deny:       " because no identity-based policy allows the iam:PassRole action"},
			{name: "passed to EC2",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`,
				allowed:    map[string]bool{"admin": true, "reader": true}},
			{name: "passed to Lambda only",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}`,
				allowed:    map[string]bool{},
				deny:       " because no identity-based policy allows the iam:PassRole action"},
			{name: "for instances of this region",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:us-east-1:123456789012:instance/*"}}}`,
				allowed:    map[string]bool{"admin": true, "reader": true}},
			{name: "for instances of another region",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:eu-west-1:123456789012:instance/*"}}}`,
				allowed:    map[string]bool{},
				deny:       " because no identity-based policy allows the iam:PassRole action"},
			{name: "explicit deny wins",
				statements: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"` + adminARN + `"}`,
				allowed:    map[string]bool{"reader": true},
				deny:       " with an explicit deny in an identity-based policy"},
		}
		for n, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				client := userWith(t, c, "user"+string(rune('a'+n)), tc.statements)
				for _, op := range ops {
					for _, profile := range []string{"admin", "reader", "empty"} {
						instances, requests := instanceCount(t, root), spotRequests(t)
						err := op.call(client, profile, false)
						if profile == "empty" || tc.allowed[profile] {
							if err != nil {
								t.Errorf("%s with %s: %v", op.name, profile, err)
							}
							continue
						}
						wantCode(t, err, "UnauthorizedOperation")
						want := "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/user" + string(rune('a'+n)) +
							" is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/" + profile
						if msg := err.Error(); !strings.Contains(msg, want) || (profile == "admin" && !strings.Contains(msg, want+tc.deny)) {
							t.Errorf("%s with %s: message = %q, want it to contain %q", op.name, profile, msg, want)
						}
						if i, r := instanceCount(t, root), spotRequests(t); i != instances || r != requests {
							t.Errorf("%s with %s refused: instances %d → %d, Spot requests %d → %d", op.name, profile, instances, i, requests, r)
						}
						// A dry run is refused alike, and answers DryRunOperation where the
						// real call would have been allowed.
						wantCode(t, op.call(client, profile, true), "UnauthorizedOperation")
					}
				}
			})
		}

		t.Run("dry run allowed", func(t *testing.T) {
			client := userWith(t, c, "dry", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"`+adminARN+`"}`)
			for _, op := range ops {
				wantCode(t, op.call(client, "admin", true), "DryRunOperation")
			}
		})
		t.Run("root", func(t *testing.T) {
			for _, op := range ops {
				if err := op.call(root, "admin", false); err != nil {
					t.Errorf("%s as root: %v", op.name, err)
				}
			}
		})
		// A profile that does not exist passes no role: EC2's own error, not a refusal.
		t.Run("missing profile", func(t *testing.T) {
			client := userWith(t, c, "nope", "")
			for _, op := range ops {
				wantCode(t, op.call(client, "nope", false), "InvalidParameterValue")
			}
		})
	})
}
