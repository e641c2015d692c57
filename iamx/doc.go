// Package iamx has the IAM chores of the course as single calls over aws-sdk-go-v2: an
// administrator user in an admin group, a user with one policy, a role for EC2 instances, and
// the explanation of whether a principal may do an action.
//
// Each function takes an aws.Config, so it runs the same against the simulator (package sim)
// and against AWS. The policy language itself is package [policy].
//
// # Concurrency
//
// The functions are safe to call from several goroutines; IAM itself is the shared state, and
// two calls creating the same names race as they would on AWS (one gets EntityAlreadyExists).
package iamx
