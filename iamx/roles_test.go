package iamx_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
)

// roles lists the account's roles and instance profiles, as one line.
func roles(t *testing.T, c *iam.Client) string {
	t.Helper()
	ctx := context.Background()
	var parts []string
	rs, err := c.ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Roles {
		parts = append(parts, "role:"+aws.ToString(r.RoleName))
	}
	ps, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.InstanceProfiles {
		parts = append(parts, "profile:"+aws.ToString(p.InstanceProfileName))
		for _, r := range p.Roles {
			parts = append(parts, "+"+aws.ToString(r.RoleName))
		}
	}
	return strings.Join(parts, " ")
}

// trust returns the role's trust policy as JSON.
func trust(t *testing.T, c *iam.Client, name string) string {
	t.Helper()
	r, err := c.GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := url.QueryUnescape(aws.ToString(r.Role.AssumeRolePolicyDocument))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCreateServiceRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := iam.NewFromConfig(cfg)
	r, err := iamx.CreateServiceRole(ctx, cfg, "fn", "lambda", []string{iamx.AdministratorAccess}, func(o *iamx.RoleOptions) {
		o.Description, o.MaxSession = "the function's role", 2*time.Hour
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.ARN != "arn:aws:iam::123456789012:role/fn" {
		t.Errorf("ARN %s", r.ARN)
	}
	if doc := trust(t, client, "fn"); !strings.Contains(doc, `"Service":"lambda.amazonaws.com"`) {
		t.Errorf("trust policy %s", doc)
	}
	got := must(client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("fn")}))(t).Role
	if aws.ToInt32(got.MaxSessionDuration) != 7200 || aws.ToString(got.Description) != "the function's role" {
		t.Errorf("the role: %+v", got)
	}
	att := must(client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("fn")}))(t).AttachedPolicies
	if len(att) != 1 || aws.ToString(att[0].PolicyArn) != iamx.AdministratorAccess {
		t.Errorf("attached %+v", att)
	}
	// Again: refused, and the role is left as it was.
	if _, err := iamx.CreateServiceRole(ctx, cfg, "fn", "ecs-tasks.amazonaws.com", nil); apiCode(err) != "EntityAlreadyExists" {
		t.Errorf("again: %v", err)
	}
	if doc := trust(t, client, "fn"); !strings.Contains(doc, "lambda.amazonaws.com") {
		t.Errorf("the role changed: %s", doc)
	}
	// A policy that cannot be attached, or a refused attachment: the role is deleted again.
	if _, err := iamx.CreateServiceRole(ctx, cfg, "bad", "lambda", []string{"arn:aws:iam::aws:policy/NoSuchPolicy"}); apiCode(err) != "NoSuchEntity" || !strings.Contains(err.Error(), "the role was deleted") {
		t.Errorf("a missing policy: %v", err)
	}
	remove := cloud.Inject(sim.Fault{Service: "iam", Operation: "AttachRolePolicy", Code: "ServiceFailure", Status: 500, Times: 4})
	_, err = iamx.CreateServiceRole(ctx, cfg, "refused", "lambda", []string{iamx.AdministratorAccess})
	remove()
	if apiCode(err) != "ServiceFailure" || !strings.Contains(err.Error(), "the role was deleted") {
		t.Errorf("a refused attachment: %v", err)
	}
	if got := roles(t, client); got != "role:fn" {
		t.Errorf("left: %s", got)
	}
}

func TestCreateInstanceRoleRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, op := range []string{"AttachRolePolicy", "CreateInstanceProfile", "AddRoleToInstanceProfile"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			cloud := sim.New()
			cloud.Inject(sim.Fault{Service: "iam", Operation: op, Code: "LimitExceeded", Status: 409})
			_, err := iamx.CreateInstanceRole(ctx, cloud.Config(), "web", iamx.AdministratorAccess)
			if apiCode(err) != "LimitExceeded" || !strings.Contains(err.Error(), "the role was deleted") {
				t.Errorf("%v", err)
			}
			if got := roles(t, iam.NewFromConfig(cloud.Config())); got != "" {
				t.Errorf("left: %s", got)
			}
		})
	}
}

// adminConfig makes an administrator user and returns a config that signs as it: roots may
// not assume roles.
func adminConfig(t *testing.T, cloud *sim.Cloud, name string) aws.Config {
	t.Helper()
	creds, err := iamx.CreateAdminUser(context.Background(), cloud.Config(), name)
	if err != nil {
		t.Fatal(err)
	}
	return cloud.Config(sim.WithCredentials(creds.AccessKeyID, creds.SecretAccessKey, ""))
}

func TestCrossAccountRoleAndAssumeRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	alex := adminConfig(t, cloud, "alex")
	r, err := iamx.CreateCrossAccountRole(ctx, cfg, "auditor", "123456789012", []string{iamx.AdministratorAccess},
		func(o *iamx.RoleOptions) { o.ExternalID = "customer-42" })
	if err != nil {
		t.Fatal(err)
	}
	if doc := trust(t, iam.NewFromConfig(cfg), "auditor"); !strings.Contains(doc, `"AWS":"arn:aws:iam::123456789012:root"`) ||
		!strings.Contains(doc, `"sts:ExternalId":"customer-42"`) {
		t.Errorf("trust policy %s", doc)
	}
	for _, tc := range []struct {
		name string
		cfg  aws.Config
		opt  func(*iamx.AssumeOptions)
		want string
	}{
		{"no external ID", alex, func(*iamx.AssumeOptions) {}, "AccessDenied"},
		{"another external ID", alex, func(o *iamx.AssumeOptions) { o.ExternalID = "customer-7" }, "AccessDenied"},
		{"as root", cfg, func(o *iamx.AssumeOptions) { o.ExternalID = "customer-42" }, "Roles may not be assumed by root"},
		{"MFA half given", alex, func(o *iamx.AssumeOptions) { o.MFASerial = "arn:aws:iam::123456789012:mfa/x" }, "go together"},
	} {
		if _, err := iamx.AssumeRole(ctx, tc.cfg, r.ARN, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	as, err := iamx.AssumeRole(ctx, alex, r.ARN, func(o *iamx.AssumeOptions) {
		o.ExternalID, o.SessionName, o.Duration = "customer-42", "audit", 15*time.Minute
	})
	if err != nil {
		t.Fatal(err)
	}
	id := must(sts.NewFromConfig(as).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if got := aws.ToString(id.Arn); got != "arn:aws:sts::123456789012:assumed-role/auditor/audit" {
		t.Errorf("acting as %s", got)
	}
	// The credentials are a cache over STS: once invalidated (or near their expiry) the next
	// call gets a new session.
	first := must(as.Credentials.Retrieve(ctx))(t)
	if !first.CanExpire || first.Expires.Sub(cloud.Now()) > 15*time.Minute {
		t.Errorf("the session expires %v", first.Expires)
	}
	as.Credentials.(*aws.CredentialsCache).Invalidate()
	if again := must(as.Credentials.Retrieve(ctx))(t); again.AccessKeyID == first.AccessKeyID {
		t.Error("the same session after an invalidation: the credentials do not refresh")
	}
	// The caller's config is left as it was.
	if c := must(alex.Credentials.Retrieve(ctx))(t); c.SessionToken != "" {
		t.Error("AssumeRole changed the caller's config")
	}
	if _, err := iamx.CreateCrossAccountRole(ctx, cfg, "x", "12345", nil); err == nil || !strings.Contains(err.Error(), "12 digits") {
		t.Errorf("a short account: %v", err)
	}
}

func TestAssumeRoleWithMFA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := iam.NewFromConfig(cfg)
	alex := adminConfig(t, cloud, "alex")
	r := must(iamx.CreateCrossAccountRole(ctx, cfg, "breakglass", "123456789012", []string{iamx.AdministratorAccess},
		func(o *iamx.RoleOptions) { o.RequireMFA = true }))(t)
	if _, err := iamx.AssumeRole(ctx, alex, r.ARN); apiCode(err) != "AccessDenied" {
		t.Errorf("without MFA: %v", err)
	}
	dev := must(client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alex-phone")}))(t).VirtualMFADevice
	code := func(at time.Time) string {
		c, err := totp.GenerateCodeCustom(string(dev.Base32StringSeed), at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := cloud.Now()
	if _, err := client.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alex"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: aws.String(code(now.Add(-30 * time.Second))), AuthenticationCode2: aws.String(code(now))}); err != nil {
		t.Fatal(err)
	}
	asked := 0
	as, err := iamx.AssumeRole(ctx, alex, r.ARN, func(o *iamx.AssumeOptions) {
		o.MFASerial = aws.ToString(dev.SerialNumber)
		o.TokenCode = func() (string, error) { asked++; return code(now.Add(30 * time.Second)), nil }
	})
	if err != nil {
		t.Fatal(err)
	}
	id := must(sts.NewFromConfig(as).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if !strings.HasPrefix(aws.ToString(id.Arn), "arn:aws:sts::123456789012:assumed-role/breakglass/") || asked != 1 {
		t.Errorf("acting as %s, the code asked %d times", aws.ToString(id.Arn), asked)
	}
}

func TestDeleteRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := iam.NewFromConfig(cfg)
	must(iamx.CreateInstanceRole(ctx, cfg, "web", iamx.AdministratorAccess))(t)
	must(client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("web"), PolicyName: aws.String("logs"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`)}))(t)
	// A profile of another name that carries the role: the role leaves it, the profile stays.
	must(client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("shared")}))(t)
	must(client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("shared"), RoleName: aws.String("web")}))(t)
	must(iamx.CreateServiceRole(ctx, cfg, "other", "lambda", nil))(t)

	// A refusal halfway: an error, and the next run finishes the job.
	remove := cloud.Inject(sim.Fault{Service: "iam", Operation: "DeleteRolePolicy", Code: "ServiceFailure", Status: 500, Times: 4})
	if err := iamx.DeleteRole(ctx, cfg, "web"); apiCode(err) != "ServiceFailure" {
		t.Errorf("refused: %v", err)
	}
	remove()
	for range 2 {
		if err := iamx.DeleteRole(ctx, cfg, "web"); err != nil {
			t.Fatal(err)
		}
	}
	if got := roles(t, client); got != "role:other profile:shared" {
		t.Errorf("left: %s", got)
	}
	if !slices.ContainsFunc(must(client.ListPolicies(ctx, &iam.ListPoliciesInput{}))(t).Policies, func(p types.Policy) bool {
		return aws.ToString(p.Arn) == iamx.AdministratorAccess
	}) {
		t.Error("the managed policy went with the role")
	}
}

// must returns v, failing the test at once on err.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
