// Package iamsim simulates IAM and STS over one store of identities: users, groups, roles,
// managed and inline policies, access keys, login profiles, instance profiles and STS sessions,
// and what IAM keeps for the account beside them (account.go): the password policy, the alias,
// virtual MFA devices, SSH public keys, signing and server certificates, service-specific
// credentials, service-linked roles and the credential report.
//
// [IAM] and [STS] have one method per operation with the SDK's own signature; the simulator's
// front door decodes requests into the SDK's input types and calls them. The [Store] also
// answers the front door's questions on every request: who owns this access key
// ([Store.Authenticate]) and which policies apply to the caller ([Store.Policies]).
//
// # Scope and limitations
//
// One account. MFA devices are virtual (TOTP); the root user has
// none. Service-linked roles are made for the services in linkedServices, without their AWS
// managed permissions policies, which the catalogue of package policy lacks; their deletion
// succeeds at once. Without a password policy, AWS's default is enforced as a minimum of eight
// characters only; a password policy's AllowUsersToChangePassword is kept but grants no
// iam:ChangePassword by itself: users need a policy that allows it. Organizations' features,
// delegation requests and role templates answer NotImplemented. OIDC and SAML providers take
// only tokens and assertions signed with the simulator's own keys (idp.go): it cannot fetch a
// real issuer's keys. Encrypted SAML assertions are not read (a provider's private keys are
// kept, not used). Policy documents are validated and evaluated by [policy].
package iamsim
