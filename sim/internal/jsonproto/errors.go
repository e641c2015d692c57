package jsonproto

import "github.com/awsxlab/awsx/sim/internal/core"

// The protocol's own error codes: AWS's service framework answers them before any
// operation runs, and no service model lists them (they are in no botocore service-2.json).
// Both are client errors, status 400 (core.Status's default).
const (
	// SerializationException: the body is not JSON, or a member's value has the wrong JSON
	// type (a number where the model has a string, a malformed timestamp or base64 blob).
	SerializationException core.Code = "SerializationException"

	// UnknownOperationException: X-Amz-Target is missing or names no operation of the
	// service. AWS answers it with status 400, e.g. CloudWatch Logs' body
	// {"__type":"UnknownOperationException"} (github.com/aws/aws-sdk-net/issues/1536), and
	// Storage Gateway's error table lists it as 400 "An unknown operation was specified".
	UnknownOperationException core.Code = "UnknownOperationException"

	// RequestEntityTooLarge: a body larger than the service takes, once inflated (413).
	RequestEntityTooLarge core.Code = "RequestEntityTooLarge"
)
