package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimOn returns `awsx sim on INSTANCE COMMAND…`: a command run as if on a simulated
// instance, where 169.254.169.254 is the instance's metadata service and the AWS CLI signs
// with the instance role's credentials.
func NewCmdSimOn(f *Factory) *cobra.Command {
	streams := f.IO
	return &cobra.Command{
		Use:   "on INSTANCE-ID (aws|awsx|curl) ARGS…",
		Short: "Run a command as if on a simulated instance: its metadata service and its role",
		Long: `Run a command as if logged in to an instance of the embedded simulator.

  awsx sim on i-0abc… curl http://169.254.169.254/latest/meta-data/instance-id
  awsx sim on i-0abc… aws sts get-caller-identity

curl reaches only the instance metadata service (options -s -S -f -i -X -H). aws (or awsx)
runs with no profile and no keys of yours: like the AWS CLI on an instance, it takes the
region and the credentials of the instance's IAM role from the metadata service.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return nil
			}
			return cobra.MinimumNArgs(2)(cmd, args)
		},
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "-h" || args[0] == "--help" {
				return cmd.Help()
			}
			id, prog, rest := args[0], args[1], args[2:]
			var err error
			switch prog {
			case "aws", "awsx":
				root := NewCmdRoot(f)
				root.SetArgs(rest)
				return root.ExecuteContext(withInstance(cmd.Context(), id))
			case "curl":
				err = onInstance(cmd.Context(), f, id, func(c *sim.Cloud) error { return curl(f, c.Metadata(id), metadataOnly, rest) })
			default:
				err = &exitError{127, prog + ": command not found (a simulated instance has aws, awsx and curl)\n"}
			}
			var ee *exitError
			if errors.As(err, &ee) {
				io.WriteString(streams.Err, ee.msg)
				return &exitCode{ee.code}
			}
			return err
		},
	}
}

type instanceKey struct{}

// withInstance marks ctx as running on the instance called id.
func withInstance(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, instanceKey{}, id)
}

// instanceFrom returns the instance ctx runs on, "" for none.
func instanceFrom(ctx context.Context) string {
	id, _ := ctx.Value(instanceKey{}).(string)
	return id
}

// onInstance runs f with the embedded simulator's state, which must hold the instance.
func onInstance(ctx context.Context, f *Factory, id string, fn func(*sim.Cloud) error) error {
	return onEmbedded(ctx, f, "sim on", func(c *sim.Cloud) error {
		if _, err := c.InstanceConfig(id); err != nil {
			return fmt.Errorf("sim on: the simulator has no instance %s", id)
		}
		return fn(c)
	})
}
