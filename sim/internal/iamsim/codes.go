package iamsim

import "github.com/awsxlab/awsx/sim/internal/core"

// IAM's and STS's error codes as the wire spells them; the source of truth is the "Errors" of each
// operation in https://docs.aws.amazon.com/IAM/latest/APIReference/ and …/STS/latest/APIReference/.
const (
	AccessDenied               core.Code = "AccessDenied"
	DeleteConflict             core.Code = "DeleteConflict"
	EntityAlreadyExists        core.Code = "EntityAlreadyExists"
	InvalidInput               core.Code = "InvalidInput"
	InvalidParameterValue      core.Code = "InvalidParameterValue"
	LimitExceeded              core.Code = "LimitExceeded"
	MalformedPolicyDocument    core.Code = "MalformedPolicyDocument"
	MissingAuthenticationToken core.Code = "MissingAuthenticationToken"
	NoSuchEntity               core.Code = "NoSuchEntity"
	PackedPolicyTooLarge       core.Code = "PackedPolicyTooLarge"
	PasswordPolicyViolation    core.Code = "PasswordPolicyViolation"
	ValidationError            core.Code = "ValidationError"
)
