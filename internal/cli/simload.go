package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimLoad returns `awsx sim load`, which sets what an instance does in the simulator's
// load model: the source of its CloudWatch metrics.
func NewCmdSimLoad(f *Factory) *cobra.Command {
	var l sim.Load
	cmd := &cobra.Command{
		Use:   "load INSTANCE-ID --cpu FRACTION",
		Short: "Set an instance's load: its CPU use and traffic, for its CloudWatch metrics",
		Long: `Set what an instance does from the simulator's now on, until it is set again: its CPU use
(0 to 1), its network traffic in bytes a second, and whether its status check fails.
CloudWatch's AWS/EC2 metrics of the instance (CPUUtilization, NetworkIn, NetworkOut,
StatusCheckFailed) are made from it, every five minutes of the simulator's clock (every
minute with detailed monitoring); an instance whose load was never set is idle. On real
AWS the instance's own work does this.

  awsx sim load i-0123456789abcdef0 --cpu 0.9
  awsx sim advance 15m`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return onEmbedded(cmd.Context(), f, "sim load", func(c *sim.Cloud) error {
				if err := c.SetInstanceLoad(args[0], l); err != nil {
					return fmt.Errorf("sim load: %w", err)
				}
				fmt.Fprintf(f.IO.Out, "From %s, %s runs at %g%% CPU.\n", stamp(c.Now()), args[0], l.CPU*100)
				return nil
			})
		},
	}
	cmd.Flags().Float64Var(&l.CPU, "cpu", 0, "CPU use, from 0 (idle) to 1 (100%)")
	cmd.Flags().Float64Var(&l.NetworkIn, "network-in", 0, "bytes received a second")
	cmd.Flags().Float64Var(&l.NetworkOut, "network-out", 0, "bytes sent a second")
	cmd.Flags().BoolVar(&l.StatusCheckFailed, "status-check-failed", false, "its status check fails")
	return cmd
}
