package sim_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

const thumb = "6938fd4d98bab03faadb97b34396831e3780aea1"

func TestOpenIDConnectProviders(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		root := iam.NewFromConfig(c.Config())
		out, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
			Url: aws.String("https://oidc.example.com/id/ABC"), ClientIDList: []string{"sts.amazonaws.com"},
			ThumbprintList: []string{thumb}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ci")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		arn := aws.ToString(out.OpenIDConnectProviderArn)
		if arn != "arn:aws:iam::123456789012:oidc-provider/oidc.example.com/id/ABC" {
			t.Fatalf("ARN = %s", arn)
		}
		steps := []struct {
			name string
			call func() error
		}{
			{"add a client ID", func() error {
				_, err := root.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("app")})
				return err
			}},
			{"add it again", func() error {
				_, err := root.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("app")})
				return err
			}},
			{"remove the first", func() error {
				_, err := root.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("sts.amazonaws.com")})
				return err
			}},
			{"new thumbprints", func() error {
				_, err := root.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: []string{strings.Repeat("ab", 20)}})
				return err
			}},
			{"tag", func() error {
				_, err := root.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
				return err
			}},
			{"untag", func() error {
				_, err := root.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, TagKeys: []string{"team"}})
				return err
			}},
		}
		c.Diverges(t, conformance.Moto, "moto answers AddClientIDToOpenIDConnectProvider with a 500")
		for _, s := range steps {
			if err := s.call(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		got, err := root.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(got.Url) != "oidc.example.com/id/ABC" || !slices.Equal(got.ClientIDList, []string{"app"}) ||
			!slices.Equal(got.ThumbprintList, []string{strings.Repeat("ab", 20)}) || got.CreateDate == nil {
			t.Errorf("GetOpenIDConnectProvider = %s %v %v %v", aws.ToString(got.Url), got.ClientIDList, got.ThumbprintList, got.CreateDate)
		}
		if len(got.Tags) != 1 || aws.ToString(got.Tags[0].Key) != "env" {
			t.Errorf("tags = %v", got.Tags)
		}
		tags, err := root.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: &arn})
		if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "prod" {
			t.Errorf("ListOpenIDConnectProviderTags = %v, %v", tags, err)
		}
		list, err := root.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
		if err != nil || len(list.OpenIDConnectProviderList) != 1 || aws.ToString(list.OpenIDConnectProviderList[0].Arn) != arn {
			t.Errorf("ListOpenIDConnectProviders = %v, %v", list, err)
		}

		refusals := []struct {
			name, code, msg string
			call            func() error
		}{
			{"the same URL again", "EntityAlreadyExists", "Provider with url https://oidc.example.com/id/ABC already exists.", func() error {
				_, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://oidc.example.com/id/ABC"), ThumbprintList: []string{thumb}})
				return err
			}},
			{"a thumbprint of 39 characters", "ValidationError", "thumbprintList", func() error {
				_, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"), ThumbprintList: []string{thumb[1:]}})
				return err
			}},
			{"six thumbprints", "InvalidInput", "Thumbprint list must contain fewer than 6 entries.", func() error {
				_, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"), ThumbprintList: slices.Repeat([]string{thumb}, 6)})
				return err
			}},
			{"an http URL", "InvalidInput", "Invalid Open ID Connect Provider URL", func() error {
				_, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://x.example.com"), ThumbprintList: []string{thumb}})
				return err
			}},
			{"101 client IDs", "LimitExceeded", "ClientIdsPerOpenIdConnectProvider", func() error {
				ids := make([]string, 101)
				for i := range ids {
					ids[i] = "client" + strings.Repeat("x", i)
				}
				_, err := root.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"), ClientIDList: ids})
				return err
			}},
			{"no such provider", "NoSuchEntity", "OpenIDConnect Provider not found for arn arn:aws:iam::123456789012:oidc-provider/nope.example.com", func() error {
				_, err := root.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::123456789012:oidc-provider/nope.example.com")})
				return err
			}},
			{"tag no such provider", "NoSuchEntity", "not found", func() error {
				_, err := root.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::123456789012:oidc-provider/nope.example.com"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
				return err
			}},
		}
		onMoto := map[string]string{
			"the same URL again": "moto's message is Unknown",
			"six thumbprints":    "moto's message differs",
			"an http URL":        "moto takes an http URL",
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				c.Diverges(t, conformance.Moto, onMoto[r.name])
				err := r.call()
				wantCode(t, err, r.code)
				if !strings.Contains(err.Error(), r.msg) {
					t.Errorf("message %q does not contain %q", err, r.msg)
				}
			})
		}

		if _, err := root.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}); err != nil {
			t.Fatal(err)
		}
		// Deleting is idempotent, as AWS documents.
		if _, err := root.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}); err != nil {
			t.Errorf("deleting again: %v", err)
		}
		_, err = root.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
		wantCode(t, err, "NoSuchEntity")
	})
}

// Provider operations are authorized on the provider's ARN.
func TestProvidersAuthorized(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		alex := newUser(t, c, "alex")
		_, err := iam.NewFromConfig(alex).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://oidc.example.com"), ThumbprintList: []string{thumb}})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "iam:CreateOpenIDConnectProvider on resource: arn:aws:iam::123456789012:oidc-provider/oidc.example.com") {
			t.Errorf("message: %v", err)
		}
		_, err = iam.NewFromConfig(alex).GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/idp")})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "iam:GetSAMLProvider on resource: arn:aws:iam::123456789012:saml-provider/idp") {
			t.Errorf("message: %v", err)
		}
	})
}
