package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim"
)

const (
	oidcARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	samlARN = "arn:aws:iam::123456789012:saml-provider/corp"
)

// iamFederationSession uses the identity providers and the federation operations: OIDC and
// SAML providers, the sessions a web identity token and a SAML assertion buy, federation
// tokens, the account of a key; then the errors and the deletes.
var iamFederationSession = []step{
	// OpenID Connect providers.
	{args: []string{"iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com", "--client-id-list", "sts.amazonaws.com",
		"--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1", "--tags", "Key=ci,Value=github"}},
	{args: []string{"iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN}},
	{args: []string{"iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN, "--output", "yaml"}},
	{args: []string{"iam", "list-open-id-connect-providers"}},
	{args: []string{"iam", "list-open-id-connect-providers", "--output", "text"}},
	{args: []string{"iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN, "--client-id", "app"}},
	{args: []string{"iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN, "--client-id", "app"}},
	{args: []string{"iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", oidcARN,
		"--thumbprint-list", "1b511abead59c6ce207077c0bf0e0043b1382612"}},
	{args: []string{"iam", "tag-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN, "--tags", "Key=env,Value=lab"}},
	{args: []string{"iam", "list-open-id-connect-provider-tags", "--open-id-connect-provider-arn", oidcARN}},
	{args: []string{"iam", "untag-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN, "--tag-keys", "env"}},
	{args: []string{"iam", "list-open-id-connect-provider-tags", "--open-id-connect-provider-arn", oidcARN, "--output", "table"}},

	// SAML providers.
	{args: []string{"iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", "file://idp.xml", "--tags", "Key=team,Value=it"}},
	{args: []string{"iam", "get-saml-provider", "--saml-provider-arn", samlARN, "--query", "[CreateDate, ValidUntil, Tags]"}},
	{args: []string{"iam", "list-saml-providers"}},
	{args: []string{"iam", "list-saml-providers", "--output", "text"}},
	{args: []string{"iam", "update-saml-provider", "--saml-provider-arn", samlARN, "--saml-metadata-document", "file://idp.xml"}},
	{args: []string{"iam", "tag-saml-provider", "--saml-provider-arn", samlARN, "--tags", "Key=env,Value=lab"}},
	{args: []string{"iam", "list-saml-provider-tags", "--saml-provider-arn", samlARN}},
	{args: []string{"iam", "untag-saml-provider", "--saml-provider-arn", samlARN, "--tag-keys", "team"}},
	{args: []string{"iam", "list-saml-provider-tags", "--saml-provider-arn", samlARN, "--output", "yaml"}},

	// Sessions of federated identities.
	{args: []string{"iam", "create-role", "--role-name", "ci", "--assume-role-policy-document", "file://ci-trust.json"}},
	{args: []string{"iam", "create-role", "--role-name", "engineer", "--assume-role-policy-document", "file://saml-trust.json"}},
	{args: []string{"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/ci", "--role-session-name", "run-1",
		"--web-identity-token", "file://token.jwt"}},
	{args: []string{"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/ci", "--role-session-name", "run-2",
		"--web-identity-token", "file://token.jwt", "--duration-seconds", "900", "--output", "text"}},
	{args: []string{"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/ci", "--role-session-name", "run-3",
		"--web-identity-token", "file://evil.jwt"}},
	{args: []string{"sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::123456789012:role/engineer", "--principal-arn", samlARN,
		"--saml-assertion", "file://assertion.b64"}},
	{args: []string{"sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::123456789012:role/ci", "--principal-arn", samlARN,
		"--saml-assertion", "file://assertion.b64"}},
	{args: []string{"sts", "get-federation-token", "--name", "bob", "--policy", "file://s3.json"}},
	{args: []string{"sts", "get-federation-token", "--name", "carol", "--duration-seconds", "7200", "--output", "text"}},
	{args: []string{"sts", "get-federation-token", "--name", "bad name"}},
	{args: []string{"sts", "get-access-key-info", "--access-key-id", "AKIAIOSFODNN7EXAMPLE"}},
	{args: []string{"sts", "get-access-key-info", "--access-key-id", "ASIAY34FZKBOKMUTVV7A", "--output", "text"}},
	{args: []string{"sts", "decode-authorization-message", "--encoded-message", "bm90LWEtbWVzc2FnZQ"}},
	// The standalone account has no member accounts and no delegation requests.
	{args: []string{"sts", "assume-root", "--target-principal", "111122223333", "--task-policy-arn", "arn=arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}, unlike: v2Predates},
	{args: []string{"sts", "assume-root", "--target-principal", "111122223333", "--task-policy-arn", "arn=arn:aws:iam::aws:policy/AdministratorAccess"}, unlike: v2Predates},
	{args: []string{"sts", "get-delegated-access-token", "--trade-in-token", "dt-0123456789abcdef"}, unlike: v2Predates},

	// Errors.
	// (The AWS CLI v2 2.9.19 requires a thumbprint list, which AWS has since made optional.)
	{args: []string{"iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com", "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1"}},
	{args: []string{"iam", "create-open-id-connect-provider", "--url", "http://insecure.example.com", "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1"}},
	{args: []string{"iam", "create-open-id-connect-provider", "--url", "https://x.example.com", "--thumbprint-list", "zz38fd4d98bab03faadb97b34396831e3780aea1"}},
	{args: []string{"iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", "arn:aws:iam::123456789012:oidc-provider/none.example.com"}},
	{args: []string{"iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", "file://idp.xml"}},
	{args: []string{"iam", "get-saml-provider", "--saml-provider-arn", "arn:aws:iam::123456789012:saml-provider/none"}},

	// Deletes.
	{args: []string{"iam", "delete-role", "--role-name", "ci"}},
	{args: []string{"iam", "delete-role", "--role-name", "engineer"}},
	{args: []string{"iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", oidcARN}},
	{args: []string{"iam", "delete-saml-provider", "--saml-provider-arn", samlARN}},
	{args: []string{"iam", "delete-saml-provider", "--saml-provider-arn", samlARN}},
	{args: []string{"iam", "list-open-id-connect-providers", "--output", "yaml"}},
	{args: []string{"iam", "list-saml-providers", "--output", "table"}},
}

// federationFiles writes the session's documents into dir, and what the simulator's identity
// providers issue at the servers' clock now: a CI system's tokens, a SAML IdP's metadata and
// assertion.
func federationFiles(t *testing.T, dir string, now time.Time) {
	t.Helper()
	c := sim.New(sim.WithSeed(1), sim.WithClock(func() time.Time { return now }))
	const issuer, entity = "https://token.actions.githubusercontent.com", "https://idp.example.com/saml"
	token, err := c.IssueWebIdentityToken(issuer, "repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	evil, err := c.IssueWebIdentityToken(issuer, "repo:evil/repo:ref:refs/heads/main", "sts.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	metadata, err := c.SAMLMetadata(entity)
	if err != nil {
		t.Fatal(err)
	}
	assertion, err := c.IssueSAMLAssertion(entity, "alice@example.com",
		[]string{"arn:aws:iam::123456789012:role/engineer," + samlARN}, func(o *sim.SAMLAssertionOptions) { o.SessionName = "alice" })
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"ci-trust.json": ciTrustDoc, "saml-trust.json": samlTrustDoc, "s3.json": sessionFiles["s3.json"],
		"token.jwt": token, "evil.jwt": evil, "idp.xml": metadata, "assertion.b64": assertion,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// Every federation operation of IAM and STS, through the AWS CLI v1, v2 and awsx.
func TestParityIAMFederation(t *testing.T) {
	t.Parallel()
	playSessions(t, iamFederationSession, federationFiles, compareWithCLI)
}
