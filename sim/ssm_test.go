package sim_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Parameter Store through the SDK's own client: awsJson1.1 on the same door as the others.
func TestSSMParameters(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ssm.NewFromConfig(c.Config())

		put := func(name, value string, overwrite bool) (*ssm.PutParameterOutput, error) {
			return client.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: types.ParameterTypeString, Overwrite: aws.Bool(overwrite)})
		}
		if v := must(put("/app/db/host", "db1", false))(t).Version; v != 1 {
			t.Errorf("first version = %d", v)
		}
		_, err := put("/app/db/host", "db2", false)
		wantCode(t, err, "ParameterAlreadyExists")
		var exists *types.ParameterAlreadyExists
		if !errors.As(err, &exists) {
			t.Errorf("the SDK did not read the typed error: %T", err)
		}
		if v := must(put("/app/db/host", "db2", true))(t).Version; v != 2 {
			t.Errorf("second version = %d", v)
		}
		must(put("/app/db/port", "3306", false))(t)
		must(put("/app/name", "shop", false))(t)

		got := must(client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/db/host:1")}))(t).Parameter
		if aws.ToString(got.Value) != "db1" || got.Version != 1 || aws.ToString(got.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host" {
			t.Errorf("version 1 = %+v", got)
		}
		var names []string
		p := ssm.NewGetParametersByPathPaginator(client, &ssm.GetParametersByPathInput{Path: aws.String("/app"), Recursive: aws.Bool(true), MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			for _, prm := range must(p.NextPage(ctx))(t).Parameters {
				names = append(names, aws.ToString(prm.Name))
			}
		}
		if strings.Join(names, " ") != "/app/db/host /app/db/port /app/name" {
			t.Errorf("by path, a page at a time: %v", names)
		}

		_, err = client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/nope")})
		wantCode(t, err, "ParameterNotFound")
		c.Diverges(t, conformance.Moto, "moto takes a parameter name with spaces")
		_, err = put("no spaces allowed", "x", false)
		wantCode(t, err, "ValidationException")

		// Parameters are regional.
		west := ssm.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		_, err = west.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/name")})
		wantCode(t, err, "ParameterNotFound")
	})
}

// AWS's public parameters name the newest image of the simulator's catalog in each region.
func TestSSMPublicImageParameters(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Shared(t) // only reads
		c.Diverges(t, conformance.Moto, "moto's public parameters name its own images, which the simulator's catalog replaces there (MOTO_AMIS_PATH)")
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			cfg := c.Config(conformance.WithRegion(region))
			name := "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
			id := aws.ToString(must(ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)}))(t).Parameter.Value)
			img := must(ec2.NewFromConfig(cfg).DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}}))(t)
			if len(img.Images) != 1 || !strings.HasPrefix(aws.ToString(img.Images[0].Name), "al2023-ami-") || img.Images[0].Architecture != "x86_64" {
				t.Errorf("%s in %s = %s, which is %+v", name, region, id, img.Images)
			}
		}
	})
}

// A user needs ssm:GetParameter on the parameter's ARN; the refusal is JSON's
// AccessDeniedException.
func TestSSMAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		must(ssm.NewFromConfig(c.Config()).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/team/a"), Value: aws.String("x"), Type: types.ParameterTypeString}))(t)
		must(ssm.NewFromConfig(c.Config()).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/team/b"), Value: aws.String("y"), Type: types.ParameterTypeString}))(t)
		alex := ssm.NewFromConfig(newUser(t, c, "alex"))
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("a"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/team/a"}]}`)}))(t)

		must(alex.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/a")}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := alex.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/b")})
		wantCode(t, err, "AccessDeniedException")
		if !strings.Contains(err.Error(), "ssm:GetParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/team/b") {
			t.Errorf("the refusal does not say what: %v", err)
		}
		_, err = ssm.NewFromConfig(c.Config(conformance.WithCredentials("AKIANOSUCHKEY0000000", "secret", ""))).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/team/a")})
		wantCode(t, err, "UnrecognizedClientException")
		// An operation the SDK has and the simulator does not: authorized, then named.
		_, err = ssm.NewFromConfig(c.Config()).ListDocuments(ctx, &ssm.ListDocumentsInput{})
		wantCode(t, err, "NotImplemented")
		if !strings.Contains(err.Error(), "ssm:ListDocuments") {
			t.Errorf("NotImplemented does not name the operation: %v", err)
		}
	})
}

// A request for a JSON service the simulator does not have is refused in JSON, which its
// client reads (its bad signature first, as AWS checks it before anything); an unsigned
// one too.
func TestJSONRefusals(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator) // its door's refusals
		endpoint := "https://ssm.us-east-1.amazonaws.com/"
		if u := c.URL(); u != "" {
			endpoint = u + "/"
		}
		for _, tc := range []struct {
			name, target, auth, code string
		}{
			{"unsigned", "AmazonSSM.GetParameter", "", "MissingAuthenticationTokenException"},
			{"unknown service", "Logs_20140328.DescribeLogGroups",
				"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00", "InvalidSignatureException"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, endpoint, bytes.NewBufferString(`{}`))
				req.Header.Set("Content-Type", "application/x-amz-json-1.1")
				req.Header.Set("X-Amz-Target", tc.target)
				if tc.auth != "" {
					req.Header.Set("Authorization", tc.auth)
					req.Header.Set("X-Amz-Date", "20261207T000000Z")
				}
				resp, err := c.HTTPClient().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var body bytes.Buffer
				body.ReadFrom(resp.Body)
				if !strings.Contains(body.String(), `"__type":"`+tc.code+`"`) || resp.Header.Get("X-Amzn-Errortype") != tc.code {
					t.Errorf("status %d, %s: %s", resp.StatusCode, resp.Header, body.String())
				}
			})
		}
	})
}

// RunInstances takes resolve:ssm:NAME for an image ID, read as the caller; a name that is
// not a parameter is an invalid image ID.
func TestRunInstancesResolvesParameters(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		name := "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
		want := aws.ToString(must(ssm.NewFromConfig(c.Config()).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)}))(t).Parameter.Value)
		out := must(client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("resolve:ssm:" + name), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t)
		c.Diverges(t, conformance.Moto, "moto launches an image called resolve:ssm:… without resolving the parameter")
		if got := aws.ToString(out.Instances[0].ImageId); got != want {
			t.Errorf("the instance's image = %s, want %s", got, want)
		}
		_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("resolve:ssm:/no/such/parameter"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidParameterValue")

		// A user allowed to launch but not to read the parameter cannot resolve it.
		alex := newUser(t, c, "alex")
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("run"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}`)}))(t)
		_, err = ec2.NewFromConfig(alex).RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("resolve:ssm:" + name), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		wantCode(t, err, "InvalidParameterValue")
		if !strings.Contains(err.Error(), "ssm:GetParameter") {
			t.Errorf("the refusal does not say why: %v", err)
		}
	})
}
