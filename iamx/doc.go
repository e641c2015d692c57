// Package iamx has the IAM chores of the course as single calls over aws-sdk-go-v2.
//
// # Users
//
// An administrator user in an admin group, so that nobody works as root
// ([CreateAdminUser]); a user with one policy, the least-privilege lesson's
// ([CreateUserWithPolicy]); and a user deleted with everything IAM wants gone first
// ([DeleteUser]).
//
// # Roles
//
// A role is an identity with permissions and no keys, which those its trust policy names
// take on for an hour or so. [CreateInstanceRole] makes one for EC2 instances, wrapped in an
// instance profile; [CreateServiceRole] one for another AWS service (Lambda, ECS tasks,
// CloudFormation); [CreateCrossAccountRole] one that another account's users may assume,
// optionally only with an external ID or MFA. [AssumeRole] returns an aws.Config that acts
// as a role, its credentials refreshed before they expire; [DeleteRole] deletes a role with
// its policies and instance profiles.
//
// # Questions
//
// [Explain] asks IAM's policy simulator whether a principal may do an action, and which
// policy decided. The policy language itself is package [policy].
//
// Each function takes an aws.Config, so it runs the same against the simulator (package
// sim, whose configs the examples use) and against AWS.
//
// # All or nothing, and safe to run again
//
// [CreateAdminUser], [CreateUserWithPolicy] and the role makers undo what they made when a
// step fails (the user with its keys and password, a group they created, a policy they
// attached, the role and its instance profile), so a failure leaves the account as it was.
// [DeleteUser] and [DeleteRole] remove what IAM requires gone first and accept what is
// already gone, so they finish what a failed run started. Their tests make IAM fail at each
// step (sim.Cloud.Inject) and check what is left.
//
// # What it costs on real AWS
//
// IAM and STS are free. An access key is a long-term secret: keep it in ~/.aws/credentials,
// never in code, and delete users and keys you no longer use; a role's credentials are
// temporary, which is why roles are preferred.
//
// # Concurrency
//
// The functions are safe to call from several goroutines; IAM itself is the shared state, and
// two calls creating the same names race as they would on AWS (one gets EntityAlreadyExists).
// The config [AssumeRole] returns is safe for concurrent use, as every aws.Config is.
package iamx
