package cli

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/awsxlab/awsx/sim"
)

// answeredOperations returns the commands of the service's operations that the simulator
// answers: all but those it refuses with NotImplemented, or with InvalidAction when its
// codec predates the operation. Each is called with an empty input, the SDK's own
// validation of required members turned off so that the simulator sees the call.
func answeredOperations(t *testing.T, svc *awsService) []string {
	t.Helper()
	cloud := sim.New()
	cfg := cloud.Config()
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		s.Initialize.Remove("OperationInputValidation") // absent when no member is required
		return nil
	})
	cfg.RetryMaxAttempts = 1
	client := reflect.ValueOf(svc.newClient(cfg, "sim"))
	var out []string
	for _, op := range svc.operations() {
		res := client.MethodByName(op.name).Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.New(op.in.Elem())})
		err, _ := res[1].Interface().(error)
		var ae smithy.APIError
		if errors.As(err, &ae) && (ae.ErrorCode() == "NotImplemented" || ae.ErrorCode() == "InvalidAction") {
			continue
		}
		out = append(out, op.command)
	}
	return out
}
