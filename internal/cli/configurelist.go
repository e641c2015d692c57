package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx"
)

// configureFooter is what `awsx configure list` prints below the AWS CLI's table: which
// backend answers and, on a simulator, who the profile's credentials are there (sts
// get-caller-identity) with the way back to the account's root. On AWS it asks nothing: a
// listing makes no call to AWS.
func configureFooter(f *Factory, g *globals) func(ctx context.Context, w io.Writer, profile string) {
	return func(ctx context.Context, w io.Writer, profile string) {
		gl := *g
		gl.profile = profile
		backend, _, err := backendOf(f, gl)
		if err != nil {
			fmt.Fprintf(w, "\n   backend: %v\n", err)
			return
		}
		switch backend {
		case awsx.BackendAWS:
			fmt.Fprintf(w, "\n   backend: AWS (AWSX_BACKEND=aws); `awsx sts get-caller-identity` says who you are there\n")
			return
		case awsx.BackendSim:
			dir, _ := f.StateDir()
			fmt.Fprintf(w, "\n   backend: the embedded simulator, its state in %s\n", dir)
		default:
			fmt.Fprintf(w, "\n   backend: the simulator at %s\n", backend)
		}
		var arn string
		err = withBackend(ctx, f, gl, func(cfg aws.Config, _ string) error {
			out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err == nil {
				arn = aws.ToString(out.Arn)
			}
			return err
		})
		if err != nil {
			fmt.Fprintf(w, "    caller: unknown: %v\n", err)
			return
		}
		fmt.Fprintf(w, "    caller: %s\n", arn)
		if !strings.HasSuffix(arn, ":root") {
			// A profile with no keys signs as the simulated account's root (awsx.Load).
			fmt.Fprintf(w, "            (to act as the account's root again: a profile with no keys signs as the root\n"+
				"            on the simulator: awsx configure set region us-east-1 --profile root, then\n"+
				"            add --profile root to a command, or export AWS_PROFILE=root)\n")
		}
	}
}
