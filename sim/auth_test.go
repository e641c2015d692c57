package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestCredentialsRefused(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Shared(t) // refused requests change nothing
		c.Require(t, conformance.Authenticates)
		root := must(c.Config().Credentials.Retrieve(ctx))(t)
		wrongSecret := c.Config(conformance.WithCredentials(root.AccessKeyID, "not-the-secret", ""))
		unknown := c.Config(conformance.WithCredentials("AKIAAAAAAAAAAAAAAAAA", "whatever", ""))

		tests := []struct {
			name string
			call func() error
			code string
		}{
			{"wrong secret, IAM", func() error {
				_, err := iam.NewFromConfig(wrongSecret).ListUsers(ctx, &iam.ListUsersInput{})
				return err
			}, "SignatureDoesNotMatch"},
			{"wrong secret, STS", func() error {
				_, err := sts.NewFromConfig(wrongSecret).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				return err
			}, "SignatureDoesNotMatch"},
			{"wrong secret, EC2", func() error {
				_, err := ec2.NewFromConfig(wrongSecret).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
				return err
			}, "AuthFailure"},
			{"unknown key, IAM", func() error {
				_, err := iam.NewFromConfig(unknown).ListUsers(ctx, &iam.ListUsersInput{})
				return err
			}, "InvalidClientTokenId"},
			{"unknown key, STS", func() error {
				_, err := sts.NewFromConfig(unknown).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				return err
			}, "InvalidClientTokenId"},
			{"unknown key, EC2", func() error {
				_, err := ec2.NewFromConfig(unknown).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
				return err
			}, "AuthFailure"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
		}
	})
}

func TestInactiveKeyRefused(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		alex := newUser(t, c, "alex")
		if _, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
		key, _ := alex.Credentials.Retrieve(ctx)
		root := iam.NewFromConfig(c.Config())
		if _, err := root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{
			UserName: aws.String("alex"), AccessKeyId: aws.String(key.AccessKeyID), Status: iamtypes.StatusTypeInactive,
		}); err != nil {
			t.Fatal(err)
		}
		c.Require(t, conformance.Authenticates)
		_, err := sts.NewFromConfig(alex).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "InvalidClientTokenId")
		_, err = ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		wantCode(t, err, "AuthFailure")
	})
}

func TestThirdAccessKey(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		newUser(t, c, "alex") // one key
		if _, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")}); err != nil {
			t.Fatal(err)
		}
		_, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alex")})
		wantCode(t, err, "LimitExceeded")
		keys, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alex")})
		if err != nil {
			t.Fatal(err)
		}
		if len(keys.AccessKeyMetadata) != 2 {
			t.Errorf("alex has %d keys, want 2", len(keys.AccessKeyMetadata))
		}
	})
}

// An explicit deny wins over AdministratorAccess: the notes' "ec2:* but not TerminateInstances".
func TestExplicitDenyBeatsAdministratorAccess(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		alex := newUser(t, c, "alex")
		if _, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{
			UserName: aws.String("alex"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess"),
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String("alex"), PolicyName: aws.String("NoRegions"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"NoRegions","Effect":"Deny","Action":"ec2:DescribeRegions","Resource":"*"}]}`),
		}); err != nil {
			t.Fatal(err)
		}
		c.Require(t, conformance.EnforcesIAM)
		_, err := ec2.NewFromConfig(alex).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), "with an explicit deny in an identity-based policy") {
			t.Errorf("message does not say explicit deny: %v", err)
		}
		if _, err := ec2.NewFromConfig(alex).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); err != nil {
			t.Errorf("other EC2 actions stay allowed: %v", err)
		}
	})
}

const trustUser = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alex"},"Action":"sts:AssumeRole"}]}`
const trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

func createRole(t *testing.T, c *conformance.Account, name, trust string) string {
	t.Helper()
	out, err := iam.NewFromConfig(c.Config()).CreateRole(context.Background(), &iam.CreateRoleInput{
		RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust),
	})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Role.Arn
}

func TestAssumeRoleTrust(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		alex := newUser(t, c, "alex")
		named := createRole(t, c, "named", trustUser)
		account := createRole(t, c, "account", trustAccount)
		assume := func(arn string) error {
			_, err := sts.NewFromConfig(alex).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("s1")})
			return err
		}

		// A trust policy that names the user suffices by itself.
		if err := assume(named); err != nil {
			t.Fatalf("trust naming the user: %v", err)
		}
		// One that names the account needs the user's own policy to allow sts:AssumeRole.
		c.Require(t, conformance.EnforcesIAM)
		wantCode(t, assume(account), "AccessDenied")
		if _, err := iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String("alex"), PolicyName: aws.String("assume"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + account + `"}]}`),
		}); err != nil {
			t.Fatal(err)
		}
		if err := assume(account); err != nil {
			t.Fatalf("trust naming the account, identity policy allowing: %v", err)
		}
		// No such role: refused as AWS does, without saying whether it exists.
		wantCode(t, assume("arn:aws:iam::123456789012:role/nope"), "AccessDenied")
	})
}

func TestAssumedRoleIdentity(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		c := b.Open(t, sim.WithClock(func() time.Time { return clock }))
		alex := newUser(t, c, "alex")
		arn := createRole(t, c, "reader", trustUser)
		if _, err := iam.NewFromConfig(c.Config()).AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
			RoleName: aws.String("reader"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"),
		}); err != nil {
			t.Fatal(err)
		}
		out, err := sts.NewFromConfig(alex).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("audit")})
		if err != nil {
			t.Fatal(err)
		}
		cr := out.Credentials
		if !strings.HasPrefix(*cr.AccessKeyId, "ASIA") || *cr.SessionToken == "" || !cr.Expiration.Equal(clock.Add(time.Hour)) {
			t.Errorf("credentials = %s, token %d bytes, expiry %v", *cr.AccessKeyId, len(*cr.SessionToken), cr.Expiration)
		}
		if want := "arn:aws:sts::123456789012:assumed-role/reader/audit"; *out.AssumedRoleUser.Arn != want {
			t.Errorf("AssumedRoleUser.Arn = %s, want %s", *out.AssumedRoleUser.Arn, want)
		}
		session := c.Config(conformance.WithCredentials(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken))
		id, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if *id.Arn != *out.AssumedRoleUser.Arn || *id.UserId != *out.AssumedRoleUser.AssumedRoleId || !strings.HasSuffix(*id.UserId, ":audit") {
			t.Errorf("GetCallerIdentity = %s %s", *id.Arn, *id.UserId)
		}
		// The session may read EC2 and nothing else.
		if _, err := ec2.NewFromConfig(session).DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
			t.Errorf("session with AmazonEC2ReadOnlyAccess: %v", err)
		}
		_, err = iam.NewFromConfig(session).ListUsers(ctx, &iam.ListUsersInput{})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "assumed-role/reader/audit is not authorized to perform: iam:ListUsers") {
			t.Errorf("message: %v", err)
		}

		// A tampered token is refused.
		bad := []byte(*cr.SessionToken)
		bad[len(bad)/2] ^= 1
		tampered := c.Config(conformance.WithCredentials(*cr.AccessKeyId, *cr.SecretAccessKey, string(bad)))
		_, err = sts.NewFromConfig(tampered).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "InvalidClientTokenId")

		// After an hour on the simulator's clock the session has expired.
		c.Advance(t, time.Hour)
		_, err = sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "ExpiredToken")
	})
}
