// Package iamsim simulates IAM and STS over one store of identities: users, groups, roles,
// managed and inline policies, access keys, login profiles, instance profiles and STS sessions.
//
// [IAM] and [STS] have one method per operation with the SDK's own signature; the simulator's
// front door decodes requests into the SDK's input types and calls them. The [Store] also
// answers the front door's questions on every request: who owns this access key
// ([Store.Authenticate]) and which policies apply to the caller ([Store.Policies]).
//
// # Scope and limitations
//
// One account. No MFA devices, service-linked roles, or account password policy. OIDC and
// SAML providers take only tokens and assertions signed with the simulator's own keys
// (idp.go): it cannot fetch a real issuer's keys. Encrypted SAML assertions are not read
// (a provider's private keys are kept, not used). Policy documents are validated and
// evaluated by [policy].
package iamsim
