package sim_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// An instance's instance profile is changed while it runs: associated, replaced,
// disassociated; its metadata serves the credentials of the profile it has now, and each
// change passes the new role (iam:PassRole, with iam:AssociatedResourceArn the instance).
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/attach-iam-role.html
func TestEC2ProfileAssociations(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, root := spotCloud(t, b)
		c.Require(t, conformance.EnforcesIAM)
		passRoleSetup(t, c)
		i := run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT3Micro})[0]
		launched := run(t, root, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT3Micro,
			IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("reader")}})[0]
		roleOf := func(id string) string {
			client := imds.New(imds.Options{HTTPClient: &http.Client{Transport: roundTripper{c.Cloud(t).Metadata(id)}}})
			out, err := client.GetMetadata(ctx, &imds.GetMetadataInput{Path: "iam/security-credentials/"})
			if err != nil {
				return ""
			}
			b, _ := io.ReadAll(out.Content)
			return string(b)
		}
		assocs := func(in ec2.DescribeIamInstanceProfileAssociationsInput) []types.IamInstanceProfileAssociation {
			return must(root.DescribeIamInstanceProfileAssociations(ctx, &in))(t).IamInstanceProfileAssociations
		}
		if a := assocs(ec2.DescribeIamInstanceProfileAssociationsInput{}); len(a) != 1 || *a[0].InstanceId != *launched.InstanceId ||
			a[0].State != types.IamInstanceProfileAssociationStateAssociated || !strings.HasSuffix(*a[0].IamInstanceProfile.Arn, "/reader") {
			t.Fatalf("associations after launch = %+v", a)
		}
		if r := roleOf(*i.InstanceId); r != "" {
			t.Fatalf("instance without a profile has role %q", r)
		}

		admin := &types.IamInstanceProfileSpecification{Name: aws.String("admin")}
		for _, tc := range []struct {
			name string
			in   ec2.AssociateIamInstanceProfileInput
			code string
		}{
			{"unknown profile", ec2.AssociateIamInstanceProfileInput{InstanceId: i.InstanceId, IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("nope")}}, "InvalidParameterValue"},
			{"unknown instance", ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String("i-0123456789abcdef0"), IamInstanceProfile: admin}, "InvalidInstanceID.NotFound"},
			{"already has one", ec2.AssociateIamInstanceProfileInput{InstanceId: launched.InstanceId, IamInstanceProfile: admin}, "IncorrectState"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := root.AssociateIamInstanceProfile(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}

		// A user without iam:PassRole on the role is refused; with it, the profile is associated.
		noPass := userWith(t, c, "nopass", "")
		_, err := noPass.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: i.InstanceId, IamInstanceProfile: admin})
		wantCode(t, err, "UnauthorizedOperation")
		user := userWith(t, c, "ops", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:AssociatedResourceArn":"arn:aws:ec2:us-east-1:123456789012:instance/`+*i.InstanceId+`"}}}`)
		out := must(user.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: i.InstanceId, IamInstanceProfile: admin}))(t).IamInstanceProfileAssociation
		if out.State != types.IamInstanceProfileAssociationStateAssociating || *out.InstanceId != *i.InstanceId || !strings.HasPrefix(*out.AssociationId, "iip-assoc-") {
			t.Fatalf("association = %+v", out)
		}
		if r := roleOf(*i.InstanceId); r != "admin" {
			t.Errorf("role after associating = %q", r)
		}
		if got := describeInstance(t, root, *i.InstanceId).IamInstanceProfile; got == nil || !strings.HasSuffix(*got.Arn, "/admin") {
			t.Errorf("DescribeInstances' profile = %+v", got)
		}
		if a := assocs(ec2.DescribeIamInstanceProfileAssociationsInput{Filters: []types.Filter{filter("instance-id", *i.InstanceId)}}); len(a) != 1 || *a[0].AssociationId != *out.AssociationId {
			t.Errorf("associations of the instance = %+v", a)
		}

		// Replace: the other instance's PassRole condition does not hold for this one.
		launchedAssoc := assocs(ec2.DescribeIamInstanceProfileAssociationsInput{Filters: []types.Filter{filter("instance-id", *launched.InstanceId)}})[0].AssociationId
		_, err = user.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: launchedAssoc, IamInstanceProfile: admin})
		wantCode(t, err, "UnauthorizedOperation")
		reader := &types.IamInstanceProfileSpecification{Name: aws.String("reader")}
		rep := must(user.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: out.AssociationId, IamInstanceProfile: reader}))(t).IamInstanceProfileAssociation
		if *rep.AssociationId == *out.AssociationId || roleOf(*i.InstanceId) != "reader" {
			t.Errorf("after replacing: %+v, role %q", rep, roleOf(*i.InstanceId))
		}
		_, err = root.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: out.AssociationId, IamInstanceProfile: reader})
		wantCode(t, err, "InvalidAssociationID.NotFound")

		dis := must(root.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: rep.AssociationId}))(t).IamInstanceProfileAssociation
		if dis.State != types.IamInstanceProfileAssociationStateDisassociating || roleOf(*i.InstanceId) != "" {
			t.Errorf("after disassociating: %+v, role %q", dis, roleOf(*i.InstanceId))
		}
		_, err = root.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: rep.AssociationId})
		wantCode(t, err, "InvalidAssociationID.NotFound")
		_, err = root.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: aws.String("assoc-1")})
		wantCode(t, err, "InvalidAssociationID.Malformed")
		_, err = root.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{AssociationIds: []string{*rep.AssociationId}})
		wantCode(t, err, "InvalidAssociationID.NotFound")
		if a := assocs(ec2.DescribeIamInstanceProfileAssociationsInput{Filters: []types.Filter{filter("state", "associated")}}); len(a) != 1 {
			t.Errorf("associations at the end = %+v", a)
		}
	})
}

// Many goroutines associate, replace and disassociate instance profiles at once.
func TestEC2ProfileAssociationsRace(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	ic := iam.NewFromConfig(c.Config())
	must(ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("p")}))(t)
	is := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeT3Micro, MinCount: aws.Int32(8), MaxCount: aws.Int32(8)})
	p := &types.IamInstanceProfileSpecification{Name: aws.String("p")}
	var wg sync.WaitGroup
	for _, i := range is {
		wg.Go(func() {
			for range 5 {
				a, err := client.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: i.InstanceId, IamInstanceProfile: p})
				if err != nil {
					t.Error(err)
					return
				}
				r, err := client.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: a.IamInstanceProfileAssociation.AssociationId, IamInstanceProfile: p})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := client.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{}); err != nil {
					t.Error(err)
				}
				if _, err := client.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: r.IamInstanceProfileAssociation.AssociationId}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(must(client.DescribeIamInstanceProfileAssociations(ctx, &ec2.DescribeIamInstanceProfileAssociationsInput{}))(t).IamInstanceProfileAssociations); n != 0 {
		t.Errorf("%d associations left", n)
	}
}
