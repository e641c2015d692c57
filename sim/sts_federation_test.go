package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// A federated user has what both the IAM user and the session policy allow, and nothing
// without a session policy.
func TestGetFederationToken(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		alex := newUser(t, c, "alex")
		root := iam.NewFromConfig(c.Config())
		if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","s3:ListAllMyBuckets","s3:CreateBucket"],"Resource":"*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		out, err := sts.NewFromConfig(alex).GetFederationToken(ctx, &sts.GetFederationTokenInput{
			Name:   aws.String("bob"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","ec2:DescribeVpcs"],"Resource":"*"}]}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.FederatedUser.Arn) != "arn:aws:sts::123456789012:federated-user/bob" || aws.ToString(out.FederatedUser.FederatedUserId) != "123456789012:bob" {
			t.Errorf("FederatedUser = %+v", out.FederatedUser)
		}
		if out.PackedPolicySize == nil {
			t.Errorf("PackedPolicySize missing")
		}
		if d := out.Credentials.Expiration.Sub(c.Now()); d < 43199e9 || d > 43201e9 {
			t.Errorf("a federation token lasts %v, want 12h by default", d)
		}
		bob := c.Config()
		bob.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
		who, err := sts.NewFromConfig(bob).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Arn) != "arn:aws:sts::123456789012:federated-user/bob" || aws.ToString(who.UserId) != "123456789012:bob" {
			t.Fatalf("GetCallerIdentity = %v, %v", who, err)
		}
		if _, err := s3.NewFromConfig(bob).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
			t.Errorf("both allow ListBuckets: %v", err)
		}
		_, err = s3.NewFromConfig(bob).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bobs-bucket")})
		wantCode(t, err, "AccessDenied") // the user may, the session policy does not
		_, err = iam.NewFromConfig(bob).ListUsers(ctx, &iam.ListUsersInput{})
		wantCode(t, err, "InvalidClientTokenId") // federated users may not call IAM

		// Without a session policy, nothing.
		bare, err := sts.NewFromConfig(alex).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("nobody")})
		if err != nil {
			t.Fatal(err)
		}
		nobody := c.Config()
		nobody.Credentials = credentials.NewStaticCredentialsProvider(*bare.Credentials.AccessKeyId, *bare.Credentials.SecretAccessKey, *bare.Credentials.SessionToken)
		_, err = s3.NewFromConfig(nobody).ListBuckets(ctx, &s3.ListBucketsInput{})
		wantCode(t, err, "AccessDenied")

		// Sessions may not ask; names are checked; the action is authorized on the federated user.
		_, err = sts.NewFromConfig(bob).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("carol")})
		wantCode(t, err, "AccessDenied")
		_, err = sts.NewFromConfig(alex).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("a")})
		wantCode(t, err, "ValidationError")
		_, err = sts.NewFromConfig(alex).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("bob"), DurationSeconds: aws.Int32(600)})
		wantCode(t, err, "ValidationError")
		dana := newUser(t, c, "dana")
		_, err = sts.NewFromConfig(dana).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("eve")})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "sts:GetFederationToken on resource: arn:aws:sts::123456789012:federated-user/eve") {
			t.Errorf("message: %v", err)
		}

		// Root's federation tokens last at most an hour.
		rootTok, err := sts.NewFromConfig(c.Config()).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("ops"), DurationSeconds: aws.Int32(7200)})
		if err != nil {
			t.Fatal(err)
		}
		if d := rootTok.Credentials.Expiration.Sub(c.Now()); d > 3601e9 {
			t.Errorf("root's federation token lasts %v", d)
		}
	})
}

func TestGetAccessKeyInfo(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("kim")}); err != nil {
			t.Fatal(err)
		}
		key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("kim")})
		if err != nil {
			t.Fatal(err)
		}
		client := sts.NewFromConfig(c.Config())
		for _, id := range []string{aws.ToString(key.AccessKey.AccessKeyId), "AKIAIOSFODNN7EXAMPLE"} {
			out, err := client.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(id)})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.Account) != "123456789012" {
				t.Errorf("GetAccessKeyInfo(%s) = %s", id, aws.ToString(out.Account))
			}
		}
		// A key of another account: AWS encodes the account in the ID.
		c.Require(t, conformance.Simulator)
		out, err := client.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("ASIAY34FZKBOKMUTVV7A")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != "609629065308" {
			t.Errorf("account of ASIAY34FZKBOKMUTVV7A = %s, want 609629065308", aws.ToString(out.Account))
		}
		_, err = client.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("short")})
		wantCode(t, err, "ValidationError")
	})
}

// Identity providers and federated sessions are state: a loaded simulator has them, and
// takes the tokens of the one it was saved from.
func TestFederationSaveLoad(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		setupCI(t, c.Config())
		setupSAML(t, cloud, c.Config())
		alex := newUser(t, c, "alex")
		if _, err := iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","s3:ListAllMyBuckets"],"Resource":"*"}]}`)}); err != nil {
			t.Fatal(err)
		}
		fed, err := sts.NewFromConfig(alex).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("bob"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := cloud.Save(&buf); err != nil {
			t.Fatal(err)
		}
		d := b.Open(t)
		if err := d.Cloud(t).Load(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		admin := iam.NewFromConfig(d.Config())
		oidc, err := admin.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
		if err != nil || len(oidc.OpenIDConnectProviderList) != 1 {
			t.Fatalf("loaded OIDC providers = %v, %v", oidc, err)
		}
		saml, err := admin.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
		if err != nil || len(saml.SAMLProviderList) != 1 {
			t.Fatalf("loaded SAML providers = %v, %v", saml, err)
		}
		bob := d.Config(conformance.WithCredentials(*fed.Credentials.AccessKeyId, *fed.Credentials.SecretAccessKey, *fed.Credentials.SessionToken))
		if _, err := s3.NewFromConfig(bob).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
			t.Errorf("the federated user's session after loading: %v", err)
		}
		token, err := cloud.IssueWebIdentityToken(githubIssuer, ciSubject, "sts.amazonaws.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sts.NewFromConfig(anonymous(d.Config())).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(ciRoleARN), RoleSessionName: aws.String("loaded"), WebIdentityToken: aws.String(token),
		}); err != nil {
			t.Errorf("a token of the saved simulator, on the loaded one: %v", err)
		}
	})
}

// EC2's refusal carries an encoded message; DecodeAuthorizationMessage opens it for a caller
// allowed to, and says who was refused what.
func TestDecodeAuthorizationMessage(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		alex := newUser(t, c, "alex")
		_, err := ec2.NewFromConfig(alex).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
		wantCode(t, err, "UnauthorizedOperation")
		_, encoded, ok := strings.Cut(err.Error(), "Encoded authorization failure message: ")
		if !ok {
			t.Fatalf("no encoded message: %v", err)
		}
		_, err = ec2.NewFromConfig(alex).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		if wantCode(t, err, "UnauthorizedOperation"); strings.Contains(err.Error(), "Encoded") {
			t.Errorf("a Describe refusal carries an encoded message: %v", err)
		}
		_, err = sts.NewFromConfig(alex).DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(encoded)})
		wantCode(t, err, "AccessDenied")
		out, err := sts.NewFromConfig(c.Config()).DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(encoded)})
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Allowed bool
			Context struct {
				Principal struct{ Arn string }
				Action    string
			}
		}
		if err := json.Unmarshal([]byte(aws.ToString(out.DecodedMessage)), &m); err != nil {
			t.Fatalf("%v: %s", err, aws.ToString(out.DecodedMessage))
		}
		if m.Allowed || m.Context.Principal.Arn != "arn:aws:iam::123456789012:user/alex" || m.Context.Action != "ec2:CreateVpc" {
			t.Errorf("decoded %s", aws.ToString(out.DecodedMessage))
		}
		_, err = sts.NewFromConfig(c.Config()).DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(encoded[:len(encoded)-3] + "AAA")})
		wantCode(t, err, "InvalidAuthorizationMessageException")
	})
}
