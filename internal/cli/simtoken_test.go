package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ciTrustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},` +
	`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{` +
	`"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},` +
	`"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:*"}}}]}`

const samlTrustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},` +
	`"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`

// The CI flow on the embedded simulator, one awsx invocation a step, as a learner types it.
func TestSimTokenFlow(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	must := func(args ...string) string {
		t.Helper()
		r := runAwsx(t, env, home, args...)
		if r.code != 0 {
			t.Fatalf("awsx %s: %d %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r.stdout
	}
	write("trust.json", ciTrustDoc)
	must("iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com", "--client-id-list", "sts.amazonaws.com")
	must("iam", "create-role", "--role-name", "ci", "--assume-role-policy-document", "file://trust.json")
	tok := must("sim", "token", "--issuer", "https://token.actions.githubusercontent.com", "--sub", "repo:octo-org/octo-repo:ref:refs/heads/main", "--aud", "sts.amazonaws.com")
	if strings.Count(tok, ".") != 2 {
		t.Fatalf("sim token printed %q, not a JWT", tok)
	}
	write("token.jwt", strings.TrimSpace(tok))
	out := must("sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/ci",
		"--role-session-name", "run-1", "--web-identity-token", "file://token.jwt", "--query", "AssumedRoleUser.Arn", "--output", "text")
	if strings.TrimSpace(out) != "arn:aws:sts::123456789012:assumed-role/ci/run-1" {
		t.Errorf("assume-role-with-web-identity = %q", out)
	}
	// Another subject is refused by the trust policy.
	if out := must("sim", "token", "--issuer", "https://token.actions.githubusercontent.com", "--sub", "repo:evil/repo:ref:refs/heads/main", "--aud", "sts.amazonaws.com", "--out", "evil.jwt"); out != "" {
		t.Errorf("sim token --out printed %q", out)
	}
	r := runAwsx(t, env, home, "sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/ci",
		"--role-session-name", "run-2", "--web-identity-token", "file://evil.jwt")
	if r.code == 0 || !strings.Contains(r.stderr, "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity") {
		t.Errorf("a token of another repository: %d %q", r.code, r.stderr)
	}
	if keys := must("sim", "token", "--issuer", "https://token.actions.githubusercontent.com", "--keys"); !strings.Contains(keys, `"kty":"EC"`) {
		t.Errorf("--keys = %q", keys)
	}

	// SAML: the IdP's metadata makes the provider, its assertion buys the role.
	write("idp.xml", must("sim", "saml", "--issuer", "https://idp.example.com/saml", "--metadata"))
	write("saml-trust.json", samlTrustDoc)
	must("iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", "file://idp.xml")
	must("iam", "create-role", "--role-name", "engineer", "--assume-role-policy-document", "file://saml-trust.json")
	write("assertion.b64", strings.TrimSpace(must("sim", "saml", "--issuer", "https://idp.example.com/saml", "--sub", "alice@example.com",
		"--role", "arn:aws:iam::123456789012:role/engineer,arn:aws:iam::123456789012:saml-provider/corp", "--session-name", "alice")))
	out = must("sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::123456789012:role/engineer",
		"--principal-arn", "arn:aws:iam::123456789012:saml-provider/corp", "--saml-assertion", "file://assertion.b64",
		"--query", "[AssumedRoleUser.Arn, Subject]", "--output", "text")
	if strings.Fields(out)[0] != "arn:aws:sts::123456789012:assumed-role/engineer/alice" || strings.Fields(out)[1] != "alice@example.com" {
		t.Errorf("assume-role-with-saml = %q", out)
	}

	for _, bad := range [][]string{
		{"sim", "token", "--sub", "x", "--aud", "y"},
		{"sim", "token", "--issuer", "http://insecure.example.com", "--sub", "x", "--aud", "y"},
		{"sim", "token", "--issuer", "https://x.example.com", "--sub", "x", "--aud", "y", "--claim", "novalue"},
		{"sim", "saml", "--issuer", "https://idp.example.com/saml"},
	} {
		if r := runAwsx(t, env, home, bad...); r.code == 0 || r.stderr == "" {
			t.Errorf("awsx %s: %d %q", strings.Join(bad, " "), r.code, r.stderr)
		}
	}
}
