package asgsim

import (
	"fmt"
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Auto Scaling's error codes, as botocore's model and AWS's API reference name them.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html
const (
	ValidationError               core.Code = "ValidationError"
	AlreadyExists                 core.Code = "AlreadyExists"
	ResourceInUse                 core.Code = "ResourceInUse"
	ScalingActivityInProgress     core.Code = "ScalingActivityInProgress"
	LimitExceeded                 core.Code = "LimitExceeded"
	ResourceContention            core.Code = "ResourceContention"
	InvalidNextToken              core.Code = "InvalidNextToken"
	ServiceLinkedRoleFailure      core.Code = "ServiceLinkedRoleFailure"
	ActiveInstanceRefreshNotFound core.Code = "ActiveInstanceRefreshNotFound"
	InstanceRefreshInProgress     core.Code = "InstanceRefreshInProgress"
)

// statuses are the codes whose HTTP status is not 400.
var statuses = map[core.Code]int{
	ResourceContention: http.StatusInternalServerError,
}

func errorf(code core.Code, format string, args ...any) error {
	e := core.Errorf(code, format, args...)
	if st, ok := statuses[code]; ok {
		e.Status = st
	}
	return e
}

func validation(format string, args ...any) error { return errorf(ValidationError, format, args...) }

// groupNotFound is AWS's answer for a group that does not exist.
func groupNotFound(name string) error {
	return validation("AutoScalingGroup name not found - AutoScalingGroup '%s' not found", name)
}

func missing(param string) error {
	return validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(param))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return fmt.Sprintf("%c%s", s[0]|0x20, s[1:])
}
