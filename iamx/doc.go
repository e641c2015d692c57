// Package iamx has the IAM chores of the course as single calls over aws-sdk-go-v2: an
// administrator user in an admin group, a user with one policy, a role for EC2 instances, and
// the explanation of whether a principal may do an action.
//
// Each function takes an aws.Config, so it runs the same against the simulator (package sim)
// and against AWS. The policy language itself is package [policy].
//
// # All or nothing, and safe to run again
//
// [CreateAdminUser] and [CreateUserWithPolicy] undo what they made when a step fails (the
// user with its keys and password, a group they created, a policy they attached), so a
// failure leaves the account as it was. [DeleteUser] removes what IAM requires gone before
// a user can be deleted — access keys, password, group memberships, inline and attached
// policies — and accepts a user that is already gone, so it finishes what a failed run
// started. Their tests make IAM fail at each step (sim.Cloud.Inject) and check what is left.
//
// # What it costs on real AWS
//
// IAM is free. An access key is a long-term secret: keep it in ~/.aws/credentials, never in
// code, and delete users and keys you no longer use.
//
// # Concurrency
//
// The functions are safe to call from several goroutines; IAM itself is the shared state, and
// two calls creating the same names race as they would on AWS (one gets EntityAlreadyExists).
package iamx
