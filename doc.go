// Package awsx makes AWS learnable and testable without an AWS account: helpers over
// aws-sdk-go-v2, an in-memory AWS (package sim) that the real SDK, AWS CLI and boto3 talk to
// unchanged, and a workbook of labs that run against it.
//
// This package loads an aws.Config the way the SDK and the AWS CLI do — profiles and regions
// from ~/.aws, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL — and adds one setting on top: the
// backend.
//
// # Backends
//
//   - "aws" (the default): real AWS. Nothing is simulated; the config is the SDK's own.
//   - "sim": an embedded simulator, in memory, in this process: [Options.Simulator], or the
//     one that package github.com/awsxlab/awsx/simbackend registers when it is imported
//     ([RegisterSimulator]). Without either, "sim" is an error.
//   - a URL such as http://127.0.0.1:4566: a simulator served by `awsx sim serve`.
//
// The backend is read, first to last, from [Options.Backend], the --backend flag when a
// command binds it, the AWSX_BACKEND environment variable, and the backend key of
// ~/.awsx/config.yaml (or the file AWSX_CONFIG names).
//
// This package imports no simulator: a program that talks to AWS links only the SDK, its
// configuration libraries and these helpers, and a setting left unset (a missing
// AWSX_BACKEND in automation) reaches AWS rather than silently "succeeding" against a
// fake. The simulator is chosen explicitly, as a database/sql driver is; the awsx command,
// a learning tool, makes its embedded simulator its own default.
package awsx
