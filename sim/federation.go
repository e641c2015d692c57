package sim

import (
	"time"

	"github.com/awsxlab/awsx/sim/internal/iamsim"
)

// The simulator as an identity provider: it mints the OpenID Connect ID tokens and SAML
// assertions that its STS takes in AssumeRoleWithWebIdentity and AssumeRoleWithSAML, as a CI
// system (GitHub Actions, GitLab) or a company's sign-in service issues them for AWS. The
// signing keys are the simulator's own, one per issuer, derived from its seed: the same in
// every process of one simulator (`awsx sim token` and a later `awsx sts …` agree), never
// stored, and no use outside it.

// WebIdentityTokenOptions tunes [Cloud.IssueWebIdentityToken].
type WebIdentityTokenOptions struct {
	// Audiences are more aud values beside the one given.
	Audiences []string
	// Lifetime is how long the token is valid from the simulator's now; 0 means an hour.
	Lifetime time.Duration
	// Claims are more claims (amr, email, a CI job's details); they do not replace iss, sub,
	// aud, iat, nbf or exp.
	Claims map[string]any
}

// IssueWebIdentityToken returns an OpenID Connect ID token (a JWT, ES256-signed) from the
// issuer at the URL issuer (https://token.actions.githubusercontent.com) about subject, for
// audience (sts.amazonaws.com), issued at the simulator's now. AssumeRoleWithWebIdentity
// takes it once the account has an OIDC provider for the issuer's URL with audience among
// its client IDs, and the role's trust policy allows the provider with the token's claims
// (ISSUER-HOST:sub, ISSUER-HOST:aud).
func (c *Cloud) IssueWebIdentityToken(issuer, subject, audience string, optFns ...func(*WebIdentityTokenOptions)) (string, error) {
	var o WebIdentityTokenOptions
	for _, f := range optFns {
		f(&o)
	}
	return c.identity.IssueWebIdentityToken(iamsim.TokenRequest{
		Issuer: issuer, Subject: subject, Audience: append([]string{audience}, o.Audiences...),
		Lifetime: o.Lifetime, Claims: o.Claims,
	})
}

// WebIdentityKeys returns the JSON Web Key Set the issuer would publish (its jwks_uri): the
// public key [Cloud.IssueWebIdentityToken]'s tokens verify with, for code that checks them.
func (c *Cloud) WebIdentityKeys(issuer string) ([]byte, error) {
	return c.identity.WebIdentityKeys(issuer)
}

// SAMLMetadata returns the metadata document of the simulator's SAML identity provider
// whose entity ID is entityID: what CreateSAMLProvider takes as SAMLMetadataDocument.
func (c *Cloud) SAMLMetadata(entityID string) (string, error) {
	return c.identity.SAMLMetadata(entityID)
}

// SAMLAssertionOptions tunes [Cloud.IssueSAMLAssertion].
type SAMLAssertionOptions struct {
	// SessionName is the RoleSessionName attribute; empty means the subject.
	SessionName string
	// Lifetime is how long the assertion is valid from the simulator's now; 0 means five
	// minutes.
	Lifetime time.Duration
}

// IssueSAMLAssertion returns a base64 SAML response, its assertion signed by the simulator's
// identity provider entityID, about subject, with the Role attribute's values roles
// ("arn:aws:iam::123456789012:role/R,arn:aws:iam::123456789012:saml-provider/P" each): the
// SAMLAssertion AssumeRoleWithSAML takes once the account has a SAML provider made from
// [Cloud.SAMLMetadata]'s document.
func (c *Cloud) IssueSAMLAssertion(entityID, subject string, roles []string, optFns ...func(*SAMLAssertionOptions)) (string, error) {
	var o SAMLAssertionOptions
	for _, f := range optFns {
		f(&o)
	}
	return c.identity.IssueSAMLAssertion(iamsim.SAMLRequest{
		Issuer: entityID, Subject: subject, Roles: roles, SessionName: o.SessionName, Lifetime: o.Lifetime,
	})
}
