package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// The simulator's account is in no organization: centralized root access answers
// OrganizationNotFoundException, after authorization, and the Organizations access report's
// job fails with the same reason.
func TestOrganizationsFeatures(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no centralized root access")
		root := iam.NewFromConfig(c.Config())
		calls := map[string]func(*iam.Client) error{
			"ListOrganizationsFeatures": func(cl *iam.Client) error {
				_, err := cl.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
				return err
			},
			"EnableOrganizationsRootCredentialsManagement": func(cl *iam.Client) error {
				_, err := cl.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{})
				return err
			},
			"DisableOrganizationsRootCredentialsManagement": func(cl *iam.Client) error {
				_, err := cl.DisableOrganizationsRootCredentialsManagement(ctx, &iam.DisableOrganizationsRootCredentialsManagementInput{})
				return err
			},
			"EnableOrganizationsRootSessions": func(cl *iam.Client) error {
				_, err := cl.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
				return err
			},
			"DisableOrganizationsRootSessions": func(cl *iam.Client) error {
				_, err := cl.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
				return err
			},
		}
		// A user allowed only ListOrganizationsFeatures is refused the others.
		user := iam.NewFromConfig(policyUser(t, c, "orgs", `{"Effect":"Allow","Action":"iam:ListOrganizationsFeatures","Resource":"*"}`))
		for name, call := range calls {
			t.Run(name, func(t *testing.T) {
				err := call(root)
				wantCode(t, err, "OrganizationNotFoundException")
				wantHTTPStatus(t, err, 400)
				var nf *types.OrganizationNotFoundException
				if !errors.As(err, &nf) || nf.ErrorMessage() != "The request was rejected because no organization is associated with your account." {
					t.Errorf("err = %v", err)
				}
				if name == "ListOrganizationsFeatures" {
					wantCode(t, call(user), "OrganizationNotFoundException")
				} else {
					wantCode(t, call(user), "AccessDenied")
				}
			})
		}

		_, err := root.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-notanorg/r-root")})
		wantCode(t, err, "ValidationError")
		_, err = root.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7"), OrganizationsPolicyId: aws.String("p-x")})
		wantCode(t, err, "ValidationError")
		job := must(root.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7h8i9/123456789012")}))(t).JobId
		rep := must(root.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: job}))(t)
		if rep.JobStatus != types.JobStatusTypeFailed || rep.ErrorDetails == nil || *rep.ErrorDetails.Code != "OrganizationNotFoundException" || rep.JobCreationDate == nil || len(rep.AccessDetails) != 0 {
			t.Errorf("report = %+v", rep)
		}
		_, err = root.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: aws.String("00000000-0000-0000-0000-000000000000")})
		wantCode(t, err, "NoSuchEntity")
		_, err = root.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: job, SortKey: "BY_NAME"})
		wantCode(t, err, "ValidationError")
		_, err = user.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7")})
		wantCode(t, err, "AccessDenied")
		// Its resource is the access report of the entity path.
		one := iam.NewFromConfig(policyUser(t, c, "orgs-report", `{"Effect":"Allow","Action":"iam:GenerateOrganizationsAccessReport","Resource":"arn:aws:iam::*:access-report/o-a1b2c3d4e5/*"}`))
		must(one.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7")}))(t)
		_, err = one.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-zzzzzzzzzz/r-f6g7")})
		wantCode(t, err, "AccessDenied")
	})
}

func TestAccountProperties(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no account properties")
		root := iam.NewFromConfig(c.Config())
		if p := must(root.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t).Properties; len(p) != 0 {
			t.Fatalf("new account's properties = %v", p)
		}
		must(root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"RoleManager/Enabled": "true", "RoleManager/Mode": "strict"}}))(t)
		must(root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"RoleManager/Mode": "open"}}))(t)
		want := map[string]string{"RoleManager/Enabled": "true", "RoleManager/Mode": "open"}
		if p := must(root.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t).Properties; !maps.Equal(p, want) {
			t.Errorf("properties = %v, want %v", p, want)
		}
		for _, tc := range []struct {
			name  string
			props map[string]string
			code  string
		}{
			{"no namespace", map[string]string{"Enabled": "true"}, "InvalidInput"},
			{"two slashes", map[string]string{"A/b/c": "true"}, "InvalidInput"},
			{"ends with slash", map[string]string{"A/": "true"}, "InvalidInput"},
			{"two namespaces", map[string]string{"A/x": "1", "B/y": "2"}, "InvalidInput"},
			{"leading slash", map[string]string{"/A": "1"}, "ValidationError"},
			{"bad character", map[string]string{"A/b c": "1"}, "ValidationError"},
			{"empty value", map[string]string{"A/b": ""}, "ValidationError"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: tc.props})
				wantCode(t, err, tc.code)
			})
		}
		if p := must(root.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t).Properties; !maps.Equal(p, want) {
			t.Errorf("after refusals: properties = %v", p)
		}
		user := iam.NewFromConfig(policyUser(t, c, "reader", `{"Effect":"Allow","Action":"iam:GetAccountProperties","Resource":"*"}`))
		must(user.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t)
		_, err := user.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{"A/b": "1"}})
		wantCode(t, err, "AccessDenied")
	})
}

// No partner can make a delegation request to the simulator's account: creating one is
// refused, none exists, and role templates do not exist either.
func TestDelegationRequests(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no temporary delegation")
		root := iam.NewFromConfig(c.Config())
		create := &iam.CreateDelegationRequestInput{
			Description: aws.String("set up"), NotificationChannel: aws.String("arn:aws:sns:us-east-1:123456789012:partner"),
			Permissions: &types.DelegationPermission{PolicyTemplateArn: aws.String("arn:aws:iam::aws:policy-template/Example")}, RequestorWorkflowId: aws.String("wf-1"), SessionDuration: aws.Int32(3600),
		}
		_, err := root.CreateDelegationRequest(ctx, create)
		wantCode(t, err, "AccessDenied")
		wantHTTPStatus(t, err, 403)
		bad := *create
		bad.NotificationChannel = aws.String("https://example.com/hook")
		_, err = root.CreateDelegationRequest(ctx, &bad)
		wantCode(t, err, "ValidationError")

		id := aws.String("dr-0123456789abcdef")
		errs := map[string]error{}
		_, errs["Get"] = root.GetDelegationRequest(ctx, &iam.GetDelegationRequestInput{DelegationRequestId: id})
		_, errs["Accept"] = root.AcceptDelegationRequest(ctx, &iam.AcceptDelegationRequestInput{DelegationRequestId: id})
		_, errs["Reject"] = root.RejectDelegationRequest(ctx, &iam.RejectDelegationRequestInput{DelegationRequestId: id, Notes: aws.String("no")})
		_, errs["Update"] = root.UpdateDelegationRequest(ctx, &iam.UpdateDelegationRequestInput{DelegationRequestId: id, Notes: aws.String("later")})
		_, errs["Associate"] = root.AssociateDelegationRequest(ctx, &iam.AssociateDelegationRequestInput{DelegationRequestId: id})
		_, errs["Send"] = root.SendDelegationToken(ctx, &iam.SendDelegationTokenInput{DelegationRequestId: id})
		_, errs["Summary"] = root.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:delegation-request/dr-0123456789abcdef")})
		for op, err := range errs {
			t.Run(op, func(t *testing.T) {
				wantCode(t, err, "NoSuchEntity")
				wantHTTPStatus(t, err, 404)
			})
		}
		_, err = root.GetHumanReadableSummary(ctx, &iam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::123456789012:role/r")})
		wantCode(t, err, "InvalidInput")
		list := must(root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{}))(t)
		if len(list.DelegationRequests) != 0 || list.IsTruncated {
			t.Errorf("list = %+v", list)
		}
		_, err = root.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{Marker: aws.String("bm90IGEgbWFya2Vy")})
		wantCode(t, err, "ValidationError")
		user := iam.NewFromConfig(newUser(t, c, "nobody"))
		_, err = user.ListDelegationRequests(ctx, &iam.ListDelegationRequestsInput{})
		wantCode(t, err, "AccessDenied")
	})
}

func TestRoleTemplates(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto has no role templates")
		root := iam.NewFromConfig(c.Config())
		arn := aws.String("arn:aws:iam::aws:role-template/Example")
		_, err := root.GetRoleTemplateVersion(ctx, &iam.GetRoleTemplateVersionInput{TemplateArn: arn})
		wantCode(t, err, "NoSuchEntity")
		_, err = root.AcquireRole(ctx, &iam.AcquireRoleInput{TemplateArn: arn, TemplateMinorVersion: aws.Int32(1)})
		wantCode(t, err, "NoSuchEntity")
		_, err = root.AcquireRole(ctx, &iam.AcquireRoleInput{TemplateArn: aws.String("Example")})
		wantCode(t, err, "InvalidInput")
		if n := len(must(root.ListRoles(ctx, &iam.ListRolesInput{}))(t).Roles); n != 0 {
			t.Errorf("AcquireRole made %d roles", n)
		}
	})
}

func TestAccountPropertiesPersistAndRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	root := iam.NewFromConfig(c.Config())
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			must(root.PutAccountProperties(ctx, &iam.PutAccountPropertiesInput{Properties: map[string]string{fmt.Sprintf("NS/p%d", i): "v"}}))(t)
			must(root.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t)
			must(root.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7")}))(t)
		})
	}
	wg.Wait()
	job := must(root.GenerateOrganizationsAccessReport(ctx, &iam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7")}))(t).JobId
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	r2 := iam.NewFromConfig(d.Config())
	if p := must(r2.GetAccountProperties(ctx, &iam.GetAccountPropertiesInput{}))(t).Properties; len(p) != 16 || p["NS/p7"] != "v" {
		t.Errorf("loaded properties = %v", p)
	}
	must(r2.GetOrganizationsAccessReport(ctx, &iam.GetOrganizationsAccessReportInput{JobId: job}))(t)
}
