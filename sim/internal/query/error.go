package query

import "github.com/awsxlab/awsx/sim/internal/core"

// Error is bad input from the client: Code is AWS's error code for the protocol
// (e.g. "MissingParameter", "ValidationError"), Message its explanation. The HTTP status is 400
// and the fault the sender's.
type Error struct {
	Code    core.Code
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// The codes of bad input, by protocol: ec2query's, then awsQuery's.
const (
	MissingParameter      core.Code = "MissingParameter"
	UnknownParameter      core.Code = "UnknownParameter"
	InvalidParameterValue core.Code = "InvalidParameterValue"
	ValidationError       core.Code = "ValidationError"
	InvalidQueryParameter core.Code = "InvalidQueryParameter"
)

// StatusCode returns the HTTP status AWS answers with: 400.
func (e *Error) StatusCode() int { return 400 }

// callerError is a programming error of the caller (not the client), such as passing a
// non-pointer to Decode.
type callerError struct{ msg string }

func (e *callerError) Error() string { return e.msg }
