package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimToken returns `awsx sim token`, which mints an OpenID Connect ID token as a CI
// system issues one, for AssumeRoleWithWebIdentity on the embedded simulator.
func NewCmdSimToken(f *Factory) *cobra.Command {
	var (
		issuer, subject string
		audiences       []string
		claims          []string
		lifetime        time.Duration
		keys            bool
		out             string
	)
	cmd := &cobra.Command{
		Use:   "token --issuer URL --sub SUBJECT --aud AUDIENCE",
		Short: "Mint an OpenID Connect ID token, as a CI system does, for assume-role-with-web-identity",
		Long: `Print an OpenID Connect ID token (a JWT) from the issuer at URL about SUBJECT, for AUDIENCE,
issued at the simulator's now and signed with the simulator's key for that issuer: the token a
CI job (GitHub Actions, GitLab CI) gets from its CI system and trades for a role's credentials.
The simulator takes it in sts assume-role-with-web-identity once the account has an OIDC
provider for the URL with AUDIENCE among its client IDs, and the role's trust policy allows
the provider with the token's claims (HOST:sub, HOST:aud). With --keys, print instead the
JSON Web Key Set the issuer publishes, to check tokens with.

  awsx iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com \
      --client-id-list sts.amazonaws.com
  awsx sim token --issuer https://token.actions.githubusercontent.com \
      --sub repo:octo-org/octo-repo:ref:refs/heads/main --aud sts.amazonaws.com > token.jwt
  awsx sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/ci \
      --role-session-name run-1 --web-identity-token file://token.jwt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if issuer == "" {
				return fmt.Errorf("sim token: --issuer is required")
			}
			more := map[string]any{}
			for _, c := range claims {
				k, v, ok := strings.Cut(c, "=")
				if !ok || k == "" {
					return fmt.Errorf("sim token: --claim %q is not NAME=VALUE", c)
				}
				more[k] = v
			}
			return onEmbedded(cmd.Context(), f, "sim token", func(c *sim.Cloud) error {
				if keys {
					b, err := c.WebIdentityKeys(issuer)
					if err != nil {
						return fmt.Errorf("sim token: %w", err)
					}
					fmt.Fprintln(f.IO.Out, string(b))
					return nil
				}
				if subject == "" || len(audiences) == 0 {
					return fmt.Errorf("sim token: --sub and --aud are required")
				}
				tok, err := c.IssueWebIdentityToken(issuer, subject, audiences[0], func(o *sim.WebIdentityTokenOptions) {
					o.Audiences, o.Lifetime, o.Claims = audiences[1:], lifetime, more
				})
				if err != nil {
					return fmt.Errorf("sim token: %w", err)
				}
				return printOrWrite(f, "sim token", out, tok)
			})
		},
	}
	cmd.Flags().StringVar(&issuer, "issuer", "", "the issuer's https URL (the token's iss)")
	cmd.Flags().StringVar(&subject, "sub", "", "the subject (sub): who the token is about")
	cmd.Flags().StringSliceVar(&audiences, "aud", nil, "an audience (aud), such as sts.amazonaws.com; repeat for more")
	cmd.Flags().StringArrayVar(&claims, "claim", nil, "another claim, NAME=VALUE; repeat for more")
	cmd.Flags().DurationVar(&lifetime, "lifetime", time.Hour, "how long the token is valid")
	cmd.Flags().BoolVar(&keys, "keys", false, "print the issuer's JSON Web Key Set instead of a token")
	cmd.Flags().StringVar(&out, "out", "", "write the token to this file (as a CI system's token file) instead of printing it")
	return cmd
}

// NewCmdSimSAML returns `awsx sim saml`, which plays a SAML identity provider: its metadata
// for create-saml-provider, and assertions for assume-role-with-saml.
func NewCmdSimSAML(f *Factory) *cobra.Command {
	var (
		issuer, subject, session string
		roles                    []string
		lifetime                 time.Duration
		metadata                 bool
		outFile                  string
	)
	cmd := &cobra.Command{
		Use:   "saml --issuer ENTITY-ID (--metadata | --sub NAME --role ROLE-ARN,PROVIDER-ARN)",
		Short: "Play a SAML identity provider: its metadata, or an assertion for assume-role-with-saml",
		Long: `Play the SAML 2.0 identity provider whose entity ID is ENTITY-ID, with the simulator's key for
it. With --metadata, print its metadata document, for iam create-saml-provider. Otherwise print
a base64 SAML response about NAME whose assertion, signed by the IdP, names the role and the
provider (the Role attribute, ROLE-ARN,PROVIDER-ARN) and the session's name: what a company's
sign-in service posts to AWS, and what sts assume-role-with-saml takes.

  awsx sim saml --issuer https://idp.example.com/saml --metadata > idp.xml
  awsx iam create-saml-provider --name corp --saml-metadata-document file://idp.xml
  awsx sim saml --issuer https://idp.example.com/saml --sub alice@example.com \
      --role arn:aws:iam::123456789012:role/engineer,arn:aws:iam::123456789012:saml-provider/corp > assertion.b64
  awsx sts assume-role-with-saml --role-arn arn:aws:iam::123456789012:role/engineer \
      --principal-arn arn:aws:iam::123456789012:saml-provider/corp --saml-assertion file://assertion.b64`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if issuer == "" {
				return fmt.Errorf("sim saml: --issuer is required")
			}
			if !metadata && (subject == "" || len(roles) == 0) {
				return fmt.Errorf("sim saml: --metadata, or --sub and --role, are required")
			}
			return onEmbedded(cmd.Context(), f, "sim saml", func(c *sim.Cloud) error {
				var out string
				var err error
				if metadata {
					out, err = c.SAMLMetadata(issuer)
				} else {
					out, err = c.IssueSAMLAssertion(issuer, subject, roles, func(o *sim.SAMLAssertionOptions) {
						o.SessionName, o.Lifetime = session, lifetime
					})
				}
				if err != nil {
					return fmt.Errorf("sim saml: %w", err)
				}
				return printOrWrite(f, "sim saml", outFile, strings.TrimRight(out, "\n"))
			})
		},
	}
	cmd.Flags().StringVar(&issuer, "issuer", "", "the IdP's entity ID")
	cmd.Flags().BoolVar(&metadata, "metadata", false, "print the IdP's metadata document")
	cmd.Flags().StringVar(&subject, "sub", "", "the subject (NameID)")
	cmd.Flags().StringArrayVar(&roles, "role", nil, "a Role attribute value, ROLE-ARN,PROVIDER-ARN; repeat for more")
	cmd.Flags().StringVar(&session, "session-name", "", "the RoleSessionName attribute (default: the subject)")
	cmd.Flags().DurationVar(&lifetime, "lifetime", 5*time.Minute, "how long the assertion is valid")
	cmd.Flags().StringVar(&outFile, "out", "", "write to this file instead of printing")
	return cmd
}

// printOrWrite prints text, or writes it to the file out without a final newline: a token
// file is read whole, and a newline would be part of the token.
func printOrWrite(f *Factory, command, out, text string) error {
	if out == "" {
		fmt.Fprintln(f.IO.Out, text)
		return nil
	}
	if err := os.WriteFile(f.Path(out), []byte(text), 0o600); err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	return nil
}
