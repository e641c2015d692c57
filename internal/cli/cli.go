// Package cli is the awsx command, runnable in-process: [Main] takes the arguments and the
// standard streams and returns the exit code, so tests and labs call it without a subprocess.
package cli

import (
	"context"
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

// Main runs awsx with args and returns its exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	streams := &IO{In: stdin, Out: stdout, Err: stderr}
	root := NewCmdRoot(streams)
	root.SetArgs(args)
	return exitStatus(root.ExecuteContext(ctx), stderr)
}

// NewCmdRoot returns the awsx command with its subcommands.
func NewCmdRoot(streams *IO) *cobra.Command {
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
	f := root.PersistentFlags()
	f.StringVar(&g.output, "output", "", "output format: json, text, table, yaml, yaml-stream")
	f.StringVar(&g.query, "query", "", "a JMESPath query applied to the response")
	f.StringVar(&g.region, "region", "", "the region to use")
	f.StringVar(&g.profile, "profile", "", "the profile in ~/.aws to use")
	f.StringVar(&g.endpoint, "endpoint-url", "", "send requests to this URL (a simulator served by `awsx sim serve`, or AWS)")
	f.BoolVar(&g.noPaginate, "no-paginate", false, "make one request, without following pages")
	f.BoolVar(&g.debug, "debug", false, "log requests and responses")
	f.BoolVar(&g.noSignRequest, "no-sign-request", false, "send requests unsigned")
	root.RegisterFlagCompletionFunc("output", completeOutput)
	root.TraverseChildren = true
	for _, svc := range awsServices {
		root.AddCommand(NewCmdService(streams, svc, g))
	}
	root.AddCommand(NewCmdS3(streams, g))
	root.AddCommand(NewCmdSim(streams), NewCmdNetcalc(streams, g), NewCmdLab(streams), configure.NewCmdConfigure(streams.In, streams.Out, streams.Err))
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
