// Package cli is the awsx command, runnable in-process: [Main] takes the arguments and the
// standard streams and returns the exit code, so tests and labs call it without a subprocess.
package cli

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
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
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "awsx:", err)
		return 255
	}
	return 0
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
	root.AddCommand(NewCmdSim(streams))
	return root
}
