package cwsim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CloudWatch's error codes, as its awsQuery API gave them and its rpcv2Cbor API reports them
// in x-amzn-query-error (the codec writes the modeled shape's ID in __type). The SDK's
// ErrorCode() and botocore's Error.Code are these.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
const (
	InvalidParameterValue       core.Code = "InvalidParameterValue"
	InvalidParameterCombination core.Code = "InvalidParameterCombination"
	MissingParameter            core.Code = "MissingParameter"
	InvalidNextToken            core.Code = "InvalidNextToken"
	InvalidFormat               core.Code = "InvalidFormat"
	ResourceNotFound            core.Code = "ResourceNotFound"
	ResourceNotFoundException   core.Code = "ResourceNotFoundException"
	LimitExceeded               core.Code = "LimitExceeded"
	ValidationError             core.Code = "ValidationError"
)

func invalid(format string, args ...any) *core.Error {
	return core.Errorf(InvalidParameterValue, format, args...)
}

func combination(format string, args ...any) *core.Error {
	return core.Errorf(InvalidParameterCombination, format, args...)
}

func missing(name string) *core.Error {
	return core.Errorf(MissingParameter, "The parameter %s is required.", name)
}

func validation(format string, args ...any) *core.Error {
	return core.Errorf(ValidationError, format, args...)
}

func notFound(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	e.Status = http.StatusNotFound
	return e
}
