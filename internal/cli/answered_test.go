package cli

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/awsxlab/awsx/sim"
)

// answeredOperations returns the commands of the service's operations that the simulator
// answers: all but those it refuses with NotImplemented, or with InvalidAction when its
// codec predates the operation. Each is called with an empty input (but for S3's bucket and
// key), the SDK's own validation of required members turned off so that the simulator sees
// the call.
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
	// S3 puts the bucket and key in the request's address: without them the SDK does not send
	// the request, and S3 looks for the bucket before anything else. So there is one, with
	// one object.
	ctx := context.Background()
	probe := s3.NewFromConfig(cloud.Config())
	if _, err := probe.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("probe")}); err != nil {
		t.Fatal(err)
	}
	if _, err := probe.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("probe"), Key: aws.String("probe"), Body: strings.NewReader("probe")}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, op := range svc.operations() {
		in := reflect.New(op.in.Elem())
		// EFS's SourceFileSystemId is a URI label, which the SDK does not send empty.
		for _, name := range []string{"Bucket", "Key", "Id", "UploadId", "CopySource", "RequestRoute", "RequestToken", "SourceFileSystemId"} {
			if f := in.Elem().FieldByName(name); f.IsValid() && f.Type() == reflect.TypeFor[*string]() {
				f.Set(reflect.ValueOf(aws.String("probe")))
			}
		}
		res := client.MethodByName(op.name).Call([]reflect.Value{reflect.ValueOf(ctx), in})
		err, _ := res[1].Interface().(error)
		var ae smithy.APIError
		if errors.As(err, &ae) && (ae.ErrorCode() == "NotImplemented" || ae.ErrorCode() == "InvalidAction") {
			continue
		}
		out = append(out, op.command)
	}
	return out
}
