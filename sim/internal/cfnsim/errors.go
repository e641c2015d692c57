package cfnsim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of the operations simulated, as botocore's model names them.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html
const (
	ValidationError        core.Code = "ValidationError"
	AlreadyExists          core.Code = "AlreadyExistsException"
	InsufficientCapabilit  core.Code = "InsufficientCapabilitiesException"
	LimitExceeded          core.Code = "LimitExceededException"
	ChangeSetNotFound      core.Code = "ChangeSetNotFound" // answers 404
	InvalidChangeSetStatus core.Code = "InvalidChangeSetStatus"
)

// errorf returns a CloudFormation error; all of them answer 400.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	e.Status = http.StatusBadRequest
	return e
}

// invalid is a ValidationError, the code of nearly every refusal of CloudFormation.
func invalid(format string, args ...any) *core.Error { return errorf(ValidationError, format, args...) }
