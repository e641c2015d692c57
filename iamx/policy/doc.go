// Package policy is the IAM policy language: it parses and validates policy documents,
// evaluates requests against them as AWS does within one account, and explains its decisions
// in AWS's own words.
//
// It is pure — the standard library and the SDK's aws/arn only — so that the simulator, the
// awsx command and Go programs can ask "is this principal allowed to do this?" offline.
//
// # Parsing
//
// [Parse] accepts what IAM accepts: Version 2012-10-17 or 2008-10-17, Id, Statement as an
// object or an array, Sid, Effect, Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal ("*", AWS, Service, Federated, CanonicalUser) and Condition; wherever
// a list is allowed a single string is too. Each [Kind] has its rules: an [Identity] policy
// must not name a principal, a [Resource] policy must, and a [Trust] policy must name one and
// may not have Resource. Errors are *[Error], whose Message is IAM's MalformedPolicyDocument
// text ("Policy statement must contain actions.") and which says where: statement and field.
//
// # Matching
//
// Actions match case-insensitively with * and ? wildcards. Resources match case-sensitively;
// * matches any run of characters, across "/" and ":", ? exactly one. In Version 2012-10-17
// documents, policy variables in Resource and in condition values are replaced by the
// request's context keys: ${aws:username}, ${aws:userid}, ${aws:PrincipalTag/team}, with a
// default as in ${aws:PrincipalTag/team, 'none'}, and ${*}, ${?}, ${$} for the literal
// characters. A variable that has no value makes the entry it is in match nothing (and a
// NotResource or a negated condition that uses it does not apply). In 2008-10-17 documents
// "${…}" is literal text.
//
// # Conditions
//
// All of IAM's operators: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress and
// NotIpAddress (IPv4 and IPv6), Arn*, their …IfExists forms, Null, and the ForAnyValue: and
// ForAllValues: qualifiers. Operators in a block, and keys under an operator, must all hold;
// the values of one key are alternatives. With a missing key a condition is false, except that
// …IfExists, ForAllValues: and the negated operators (StringNotEquals, NotIpAddress…) are
// true. A negated operator with several values holds when the request matches none of them.
// Without a qualifier, a multi-valued request key matches when any of its values does.
//
// # Evaluation
//
// [Evaluate] takes a [Request] (principal, action, resource, [Context]) and the [Policies] that
// apply — identity-based, resource-based, permissions boundary, session — and returns a
// [Decision]: [Allow], [ExplicitDeny] or [ImplicitDeny], with the statement that decided and
// AWS's message ([Decision.Message]). Parse compiles the patterns (actions lower-cased,
// wildcards split, CIDRs, numbers and dates parsed), so that Evaluate uses no regular
// expressions and allocates nothing but the Match it returns: a few microseconds for a
// user with a dozen policies.
//
// Policies, Requests and Contexts are only read by Evaluate: share them between goroutines
// freely as long as nobody modifies them.
//
// # Managed policies
//
// [AWSManaged] and [AWSManagedList] hold the current default-version documents and the metadata
// (policy ID, version, dates, description) of the AWS managed policies the course's labs use:
// AdministratorAccess, PowerUserAccess, ReadOnlyAccess, IAMFullAccess, IAMReadOnlyAccess,
// IAMUserChangePassword, AmazonEC2FullAccess, AmazonEC2ReadOnlyAccess, AmazonS3FullAccess,
// AmazonS3ReadOnlyAccess, AmazonVPCFullAccess, AmazonRDSFullAccess and
// AmazonRekognitionReadOnlyAccess. They are data files embedded in the package (managed/*.json).
// ReadOnlyAccess is kept whole (about 140 KB, every service): parse it once and keep the
// [Policy], since parsing it takes milliseconds.
//
// # Scope and limitations
//
// Evaluation is within one account: no cross-account rules, no service control or resource
// control policies, no VPC endpoint policies. The root user is not evaluated (it is allowed
// everything but what an explicit deny in a resource policy refuses; the caller decides).
// Principals in Principal elements are compared exactly: IAM does not allow wildcards there
// except "*" alone.
package policy
