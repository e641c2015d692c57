package ec2x

import (
	"context"
	"errors"
	"time"

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

// undoContext is the context of a call that undoes what a failed helper made: the caller's
// values, but neither its cancellation nor its deadline, which may be what failed, and a
// minute of its own.
func undoContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
}
