package snssim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of the operations simulated, as botocore's model names them (its error
// shapes' code), with the HTTP status it gives each.
// https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
const (
	InvalidParameter             core.Code = "InvalidParameter"
	ParameterValueInvalid        core.Code = "ParameterValueInvalid" // InvalidParameterValueException
	NotFound                     core.Code = "NotFound"
	ResourceNotFound             core.Code = "ResourceNotFound"
	AuthorizationError           core.Code = "AuthorizationError"
	TagLimitExceeded             core.Code = "TagLimitExceeded"
	TagPolicy                    core.Code = "TagPolicy"
	FilterPolicyLimitExceeded    core.Code = "FilterPolicyLimitExceeded"
	EmptyBatchRequest            core.Code = "EmptyBatchRequest"
	TooManyEntriesInBatchRequest core.Code = "TooManyEntriesInBatchRequest"
	BatchEntryIdsNotDistinct     core.Code = "BatchEntryIdsNotDistinct"
	InvalidBatchEntryID          core.Code = "InvalidBatchEntryId"
	BatchRequestTooLong          core.Code = "BatchRequestTooLong"
)

// statuses are the codes botocore's model gives a status other than 400.
var statuses = map[core.Code]int{
	NotFound:                  http.StatusNotFound,
	ResourceNotFound:          http.StatusNotFound,
	AuthorizationError:        http.StatusForbidden,
	FilterPolicyLimitExceeded: http.StatusForbidden,
}

// errorf returns an SNS error with the status of the model.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	e.Status = http.StatusBadRequest
	if s, ok := statuses[code]; ok {
		e.Status = s
	}
	return e
}

// invalid is SNS's usual refusal, "Invalid parameter: <what>".
func invalid(format string, args ...any) *core.Error {
	return errorf(InvalidParameter, "Invalid parameter: "+format, args...)
}

func topicNotFound() *core.Error        { return errorf(NotFound, "Topic does not exist") }
func subscriptionNotFound() *core.Error { return errorf(NotFound, "Subscription does not exist") }
func resourceNotFound() *core.Error     { return errorf(ResourceNotFound, "Resource does not exist") }
