package sim_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

const (
	idpEntity    = "https://idp.example.com/saml"
	samlProvider = "arn:aws:iam::123456789012:saml-provider/corp"
	samlRole     = "arn:aws:iam::123456789012:role/engineer"
	samlTrust    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + samlProvider + `"},
 "Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
)

func TestSAMLProviders(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		root := iam.NewFromConfig(c.Config())
		doc, err := cloud.SAMLMetadata(idpEntity)
		if err != nil {
			t.Fatal(err)
		}
		out, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{
			Name: aws.String("corp"), SAMLMetadataDocument: aws.String(doc),
			Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("1")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.SAMLProviderArn) != samlProvider {
			t.Fatalf("ARN = %s", aws.ToString(out.SAMLProviderArn))
		}
		got, err := root.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(got.SAMLMetadataDocument) != doc || len(aws.ToString(got.SAMLProviderUUID)) < 22 || got.ValidUntil == nil {
			t.Errorf("GetSAMLProvider = %+v", got)
		}
		if len(got.Tags) != 2 || aws.ToString(got.Tags[0].Key) != "a" {
			t.Errorf("tags are not sorted by key: %v", got.Tags)
		}
		list, err := root.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
		if err != nil || len(list.SAMLProviderList) != 1 || aws.ToString(list.SAMLProviderList[0].Arn) != samlProvider {
			t.Errorf("ListSAMLProviders = %v, %v", list, err)
		}
		doc2, _ := cloud.SAMLMetadata("https://idp2.example.com")
		if _, err := root.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider), SAMLMetadataDocument: aws.String(doc2)}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider), Tags: []types.Tag{{Key: aws.String("c"), Value: aws.String("3")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := root.UntagSAMLProvider(ctx, &iam.UntagSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider), TagKeys: []string{"a", "b"}}); err != nil {
			t.Fatal(err)
		}
		tags, err := root.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: aws.String(samlProvider)})
		if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "c" {
			t.Errorf("ListSAMLProviderTags = %v, %v", tags, err)
		}
		got, _ = root.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider)})
		if aws.ToString(got.SAMLMetadataDocument) != doc2 {
			t.Errorf("UpdateSAMLProvider did not replace the document")
		}
		refusals := []struct {
			name, code, msg string
			call            func() error
		}{
			{"the same name", "EntityAlreadyExists", "corp", func() error {
				_, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(doc)})
				return err
			}},
			{"a document too short", "ValidationError", "sAMLMetadataDocument", func() error {
				_, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("x"), SAMLMetadataDocument: aws.String("<EntityDescriptor/>")})
				return err
			}},
			{"not metadata", "InvalidInput", "Could not parse metadata", func() error {
				_, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("x"), SAMLMetadataDocument: aws.String("<html>" + strings.Repeat("x", 1000) + "</html>")})
				return err
			}},
			{"a bad name", "ValidationError", "name", func() error {
				_, err := root.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("a b"), SAMLMetadataDocument: aws.String(doc)})
				return err
			}},
			{"no such provider", "NoSuchEntity", "arn:aws:iam::123456789012:saml-provider/nope", func() error {
				_, err := root.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/nope")})
				return err
			}},
			{"delete no such provider", "NoSuchEntity", "nope", func() error {
				_, err := root.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/nope")})
				return err
			}},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				err := r.call()
				wantCode(t, err, r.code)
				if !strings.Contains(err.Error(), r.msg) {
					t.Errorf("message %q does not contain %q", err, r.msg)
				}
			})
		}
		if _, err := root.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider)}); err != nil {
			t.Fatal(err)
		}
		_, err = root.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(samlProvider)})
		wantCode(t, err, "NoSuchEntity")
	})
}

// setupSAML makes the SAML provider corp from the simulator's IdP and the role engineer
// that trusts it.
func setupSAML(t *testing.T, cloud *sim.Cloud, cfg aws.Config) {
	t.Helper()
	ctx := context.Background()
	doc, err := cloud.SAMLMetadata(idpEntity)
	if err != nil {
		t.Fatal(err)
	}
	admin := iam.NewFromConfig(cfg)
	if _, err := admin.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("engineer"), AssumeRolePolicyDocument: aws.String(samlTrust)}); err != nil {
		t.Fatal(err)
	}
}

func TestAssumeRoleWithSAML(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		setupSAML(t, cloud, c.Config())
		anon := sts.NewFromConfig(anonymous(c.Config()))
		assertion, err := cloud.IssueSAMLAssertion(idpEntity, "alice@example.com", []string{samlRole + "," + samlProvider},
			func(o *sim.SAMLAssertionOptions) { o.SessionName = "alice" })
		if err != nil {
			t.Fatal(err)
		}
		out, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
			RoleArn: aws.String(samlRole), PrincipalArn: aws.String(samlProvider), SAMLAssertion: aws.String(assertion),
		})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::123456789012:assumed-role/engineer/alice" ||
			aws.ToString(out.Subject) != "alice@example.com" || aws.ToString(out.SubjectType) != "persistent" ||
			aws.ToString(out.Issuer) != idpEntity || aws.ToString(out.Audience) != "https://signin.aws.amazon.com/saml" ||
			aws.ToString(out.NameQualifier) == "" {
			t.Errorf("AssumeRoleWithSAML = %+v %+v", out, out.AssumedRoleUser)
		}
		session := c.Config()
		session.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
		who, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Arn) != "arn:aws:sts::123456789012:assumed-role/engineer/alice" {
			t.Errorf("GetCallerIdentity = %v, %v", who, err)
		}

		other := sim.New(sim.WithSeed(42))
		foreign, _ := other.IssueSAMLAssertion(idpEntity, "mallory", []string{samlRole + "," + samlProvider})
		wrongRole, _ := cloud.IssueSAMLAssertion(idpEntity, "bob", []string{"arn:aws:iam::123456789012:role/admin," + samlProvider})
		wrongIssuer, _ := cloud.IssueSAMLAssertion("https://other.example.com", "bob", []string{samlRole + "," + samlProvider})
		raw, _ := base64.StdEncoding.DecodeString(assertion)
		altered := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), "alice@example.com", "admin@example.com", 1)))
		short, _ := cloud.IssueSAMLAssertion(idpEntity, "carol", []string{samlRole + "," + samlProvider})
		tests := []struct {
			name, principal, assertion, code, msg string
		}{
			{"signed by another IdP", samlProvider, foreign, "InvalidIdentityToken", "Response signature invalid"},
			{"altered after signing", samlProvider, altered, "InvalidIdentityToken", "Response signature invalid"},
			{"another issuer", samlProvider, wrongIssuer, "InvalidIdentityToken", "Response signature invalid"},
			{"a role the assertion does not name", samlProvider, wrongRole, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"},
			{"no such provider", "arn:aws:iam::123456789012:saml-provider/nope", assertion, "InvalidIdentityToken", "Specified provider doesn't exist"},
			{"not base64", samlProvider, "!!!!", "InvalidIdentityToken", "base64"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
					RoleArn: aws.String(samlRole), PrincipalArn: aws.String(tt.principal), SAMLAssertion: aws.String(tt.assertion),
				})
				wantCode(t, err, tt.code)
				if !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q does not contain %q", err, tt.msg)
				}
			})
		}
		c.Advance(t, 6*time.Minute)
		_, err = anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
			RoleArn: aws.String(samlRole), PrincipalArn: aws.String(samlProvider), SAMLAssertion: aws.String(short),
		})
		wantCode(t, err, "ExpiredTokenException")
	})
}
