package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimOn returns `awsx sim on INSTANCE COMMAND…`: a command line run in the shell of a
// simulated instance, as its default user, where 169.254.169.254 is the instance's metadata
// service and the AWS CLI signs with the instance role's credentials.
func NewCmdSimOn(f *Factory) *cobra.Command {
	streams := f.IO
	return &cobra.Command{
		Use:   "on INSTANCE-ID [COMMAND [ARGS…]]",
		Short: "Run a command line in a simulated instance's shell, as if logged in to it",
		Long: `Run a command line in the shell of an instance of the embedded simulator (or, with
--endpoint-url URL before the instance, of awsx sim serve's), as its default user
(ec2-user on Amazon Linux, ubuntu on Ubuntu, admin on Debian), as if logged in to it.

  awsx sim on i-0abc… whoami
  awsx sim on i-0abc… sudo yum install -y httpd
  awsx sim on i-0abc… 'curl -s localhost; cat /var/log/cloud-init-output.log'
  awsx sim on i-0abc… curl http://169.254.169.254/latest/meta-data/instance-id
  awsx sim on i-0abc… aws sts get-caller-identity

Without a command, the script on standard input runs (awsx sim on i-0abc… < setup.sh).
One argument is run as a shell command line (pipes, redirections, ; and && work in it);
several are one command and its arguments, each word as it is, as docker exec takes them.

The instance's shell is bash's language with the commands an EC2 lesson uses: files (ls,
cat, cp, mv, rm, mkdir, chmod, grep, head, tail, sed, find …), sudo, the image's package
manager (dnf, yum, apt-get), systemctl, curl (the metadata service, the instance's own web
servers at localhost, AWS's endpoints) and python3 -m http.server; "command not found" lists
them. sleep moves the simulator's clock (as awsx sim advance does) rather than waiting. Its files, packages and services are the instance's own, kept with the simulator's
state; nothing touches this machine's files.

aws (or awsx) on the instance runs with no profile and no keys of yours: like the AWS CLI on
an instance, it takes the region and the credentials of the instance's IAM role from the
metadata service, unless the instance's own ~/.aws (aws configure, on the instance) has keys.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return nil
			}
			args, err := cutEndpoint(cmd, args)
			if err != nil {
				return err
			}
			return cobra.MinimumNArgs(1)(cmd, args)
		},
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "-h" || args[0] == "--help" {
				return cmd.Help()
			}
			args, _ = cutEndpoint(cmd, args) // checked by Args
			id, stdin := args[0], streams.In
			var line string
			if len(args) == 1 {
				// The script on stdin, as ssh HOST < script runs it; the script's own stdin is empty.
				b, err := io.ReadAll(io.LimitReader(streams.In, maxScript+1))
				if err != nil {
					return err
				}
				if len(b) > maxScript {
					io.WriteString(streams.Err, "awsx sim on: the script on standard input is larger than 1 MiB\n")
					return &exitCode{2}
				}
				line, stdin = string(b), strings.NewReader("")
			} else {
				line = commandLine(args[1:])
			}
			admin, err := adminOf(cmd.Context(), cmd, f)
			if err != nil {
				return err
			}
			if admin != nil {
				return runOnServed(cmd.Context(), f, admin, id, line, stdin)
			}
			code := 0
			err = onInstance(cmd.Context(), f, id, func(c *sim.Cloud) error {
				var err error
				code, err = c.Run(cmd.Context(), id, line, sim.RunOptions{Stdin: stdin, Stdout: streams.Out, Stderr: streams.Err})
				if err != nil {
					return &exitError{255, "awsx sim on: " + strings.TrimPrefix(err.Error(), "sim: ") + "\n"}
				}
				return nil
			})
			var ee *exitError
			if errors.As(err, &ee) {
				io.WriteString(streams.Err, ee.msg)
				return &exitCode{ee.code}
			}
			if err != nil {
				return err
			}
			if code != 0 {
				return &exitCode{code}
			}
			return nil
		},
	}
}

// maxScript is the largest script sim on reads from its standard input.
const maxScript = 1 << 20

// runOnServed is sim on against a served simulator, through its admin API: the standard
// input is sent whole (none from a terminal), the output comes back as the command writes it.
func runOnServed(ctx context.Context, f *Factory, admin *adminClient, id, line string, stdin io.Reader) error {
	streams := f.IO
	code, err := admin.run(ctx, id, line, sim.RunOptions{Stdin: stdin, Stdout: streams.Out, Stderr: streams.Err})
	var none *noInstanceError
	switch {
	case errors.As(err, &none):
		return fmt.Errorf("sim on: the simulator has no instance %s", id)
	case err != nil:
		io.WriteString(streams.Err, "awsx sim on: "+strings.TrimPrefix(err.Error(), "sim: ")+"\n")
		return &exitCode{255}
	}
	return exitFor(code)
}

// commandLine is the shell command line of sim on's words: one word is a command line as it
// is; several are a command and its arguments, each quoted for the shell unless plain.
func commandLine(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	out := make([]string, len(words))
	for i, w := range words {
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !plainRune(r) }) {
			w = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		out[i] = w
	}
	return strings.Join(out, " ")
}

// plainRune reports whether r means nothing to the shell.
func plainRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:=,@%+", r)
}

type instanceKey struct{}

// onInstanceCtx is what a command run by an instance's AWS CLI knows: the instance, the open
// cloud it is in, and the keys of the instance's own ~/.aws, if any.
type onInstanceCtx struct {
	id                 string
	cloud              *sim.Cloud
	key, secret, token string
}

// withInstance marks ctx as running on the instance called id.
func withInstance(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, instanceKey{}, &onInstanceCtx{id: id})
}

// instanceFrom returns the instance ctx runs on, "" for none.
func instanceFrom(ctx context.Context) string {
	if v, _ := ctx.Value(instanceKey{}).(*onInstanceCtx); v != nil {
		return v.id
	}
	return ""
}

// openCloudFrom returns the cloud that an instance's AWS CLI runs in, nil outside one.
func openCloudFrom(ctx context.Context) *onInstanceCtx {
	v, _ := ctx.Value(instanceKey{}).(*onInstanceCtx)
	if v == nil || v.cloud == nil {
		return nil
	}
	return v
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

// instanceCLI is the AWS CLI of the instances of c: this command, run in c (which is open
// already), on the instance, with the flags that the instance's ~/.aws gives.
func instanceCLI(c *sim.Cloud) func(ctx context.Context, call sim.AWSCall) int {
	return func(ctx context.Context, call sim.AWSCall) int {
		args := slices.Clone(call.Args)
		if call.Region != "" && !hasFlag(args, "--region") {
			args = append(args, "--region", call.Region)
		}
		if !hasFlag(args, "--output") {
			// The instance's output format, never this machine's (AWS_DEFAULT_OUTPUT, ~/.aws/config).
			out := call.Output
			if out == "" {
				out = "json"
			}
			args = append(args, "--output", out)
		}
		ctx = context.WithValue(ctx, instanceKey{}, &onInstanceCtx{id: call.Instance, cloud: c,
			key: call.AccessKeyID, secret: call.SecretAccessKey, token: call.SessionToken})
		// A factory of the instance's own: nothing of this machine's environment or directory.
		root := NewCmdRoot(NewFactory(&IO{In: call.Stdin, Out: call.Stdout, Err: call.Stderr}, nil, ""))
		root.SetArgs(args)
		return exitStatus(root.ExecuteContext(ctx), call.Stderr)
	}
}

// hasFlag reports whether args hold the flag name, alone or as name=value.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}
