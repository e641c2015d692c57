// Package cli is the awsx command, runnable in-process: [Main] takes the arguments and the
// standard streams and returns the exit code, so tests and labs call it without a subprocess.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/cli/configure"
)

// Version is the awsx version, set at build time with -ldflags "-X …/internal/cli.Version=v1.2.3".
var Version = "devel"

// IO holds a command's standard streams.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// Main runs awsx with args, the process's environment and working directory, and returns
// its exit code. SIGINT and SIGTERM cancel the command.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return Run(ctx, FromProcess(stdin, stdout, stderr), args)
}

// Run runs awsx with args in the factory's environment and returns its exit code. Runs with
// factories of their own may go on at once.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args

	return exitStatus(root.ExecuteContext(ctx), f.IO.Err)
}

// exitStatus is the exit status of a run of the command that ended with err, whose message
// it writes to stderr.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ec *exitCode
	if errors.As(err, &ec) {
		return ec.code
	}
	var ee *exitError
	if errors.As(err, &ee) {
		io.WriteString(stderr, ee.msg)
		return ee.code
	}
	var ce *configure.ExitError
	if errors.As(err, &ce) {
		return ce.ExitCode()
	}
	fmt.Fprintln(stderr, "awsx:", err)
	return exitUsage
}

// NewCmdRoot returns the awsx command with its subcommands.
func NewCmdRoot(f *Factory) *cobra.Command {
	streams := f.IO
	root := &cobra.Command{
		Use:           "awsx",
		Short:         "AWS without an account: an in-memory AWS for learning and testing",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	g := &globals{}
	flags := root.PersistentFlags()
	flags.StringVar(&g.output, "output", "", "output format: json, text, table, yaml, yaml-stream")
	flags.StringVar(&g.query, "query", "", "a JMESPath query applied to the response")
	flags.StringVar(&g.region, "region", "", "the region to use")
	flags.StringVar(&g.profile, "profile", "", "the profile in ~/.aws to use")
	flags.StringVar(&g.endpoint, "endpoint-url", "", "send requests to this URL (a simulator served by `awsx sim serve`, or AWS)")
	flags.BoolVar(&g.noPaginate, "no-paginate", false, "make one request, without following pages")
	flags.BoolVar(&g.debug, "debug", false, "log requests and responses")
	flags.BoolVar(&g.noSignRequest, "no-sign-request", false, "send requests unsigned")
	root.RegisterFlagCompletionFunc("output", completeOutput)
	root.TraverseChildren = true
	for _, svc := range awsServices {
		root.AddCommand(NewCmdService(f, svc, g))
	}
	root.AddCommand(NewCmdS3(f, g))
	root.AddCommand(NewCmdSim(f), NewCmdNetcalc(streams, g), NewCmdLab(f), configure.NewCmdConfigure(streams.In, streams.Out, streams.Err, f.Getenv, configureFooter(f, g)))
	// A command awsx does not have is refused as the AWS CLI refuses one, exit 252, rather
	// than answered with the help and success.
	root.Args = cobra.ArbitraryArgs
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return &exitCode{fail(streams, unknownCommand(root, args[0]))}
	}
	return root
}

// unknownCommand is the refusal of a command awsx does not have: the AWS CLI's "Invalid
// choice" with awsx's commands, or, for one of the AWS CLI's services that awsx does not
// speak yet, a message that says so.
func unknownCommand(root *cobra.Command, name string) *exitError {
	var choices, services []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			choices = append(choices, c.Name())
		}
	}
	for _, s := range awsServices {
		services = append(services, s.cliName())
	}
	services = append(services, "s3")
	slices.Sort(services)
	if _, known := slices.BinarySearch(awsCLICommands, name); known {
		return usageErr("argument command: '%s' is an AWS CLI command that awsx does not speak yet; awsx speaks %s (see `awsx help`)", name, strings.Join(services, ", "))
	}
	return invalidChoice("command", name, choices)
}
