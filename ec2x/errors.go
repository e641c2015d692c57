package ec2x

import (
	"errors"

	"github.com/aws/smithy-go"
)

// code returns the AWS error code of err, "" when it has none.
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
