package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// SpotPriceOptions are the settings of `awsx sim spot-price`.
type SpotPriceOptions struct {
	Factory *Factory
	Market  sim.SpotMarket
	Price   string // dollars an hour, or "" for the market's own price
	Command string
	admin   *adminClient // a served simulator's admin API; nil for the embedded one
}

// NewCmdSimSpotPrice returns `awsx sim spot-price`, which moves a Spot price of the embedded
// simulator as the market would.
func NewCmdSimSpotPrice(f *Factory) *cobra.Command {
	o := &SpotPriceOptions{Factory: f, Command: "sim spot-price"}
	cmd := &cobra.Command{
		Use:   "spot-price --instance-type TYPE --availability-zone ZONE (PRICE|market)",
		Short: "Set the Spot price of an instance type in an Availability Zone",
		Long: `Set the Spot price of an instance type in an Availability Zone of the embedded simulator
(or, with --endpoint-url, of awsx sim serve's), in dollars an hour, as if the market had moved: from now until you set it again, or until
you give the market back its own moving price with "market".

  awsx sim spot-price --instance-type m4.large --availability-zone us-east-1a 0.08
  awsx sim spot-price --instance-type m4.large --availability-zone us-east-1a market

A Spot Instance whose maximum price is now under the Spot price gets EC2's two-minute
interruption notice at once: its request is marked for termination (or stop), and its
metadata service answers spot/instance-action. Two simulated minutes later (awsx sim
advance 2m) it is terminated or stopped. An open request whose maximum price covers the
new price is fulfilled.

On real AWS nobody sets the Spot price: EC2 moves it with supply and demand. Read it with
aws ec2 describe-spot-price-history.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "market" {
				o.Price = args[0]
			}
			admin, err := adminOf(cmd.Context(), cmd, f)
			if err != nil {
				return err
			}
			o.admin = admin
			return spotPriceRun(cmd.Context(), o)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&o.Market.InstanceType, "instance-type", "", "the instance type, such as m4.large")
	flags.StringVar(&o.Market.AvailabilityZone, "availability-zone", "", "the Availability Zone, such as us-east-1a")
	flags.StringVar(&o.Market.ProductDescription, "product-description", "Linux/UNIX", "the product: Linux/UNIX or Windows")
	cmd.MarkFlagRequired("instance-type")
	cmd.MarkFlagRequired("availability-zone")
	return cmd
}

func spotPriceRun(ctx context.Context, o *SpotPriceOptions) error {
	show := func(price string, at time.Time, notices []sim.SpotNotice) {
		m := o.Market
		fmt.Fprintf(o.Factory.IO.Out, "%s in %s (%s): %s an hour from %s\n", m.InstanceType, m.AvailabilityZone, m.ProductDescription, price, stamp(at))
		for _, n := range notices {
			printNotice(o.Factory.IO, n)
		}
	}
	if o.admin != nil {
		var out adminSpotPriceOut
		if err := o.admin.call(ctx, "spot-price", adminSpotPriceIn{o.Market, o.Price}, &out); err != nil {
			return fmt.Errorf("%s: %w", o.Command, err)
		}
		show(out.Price, out.Now, out.Notices)
		return nil
	}
	return onEmbedded(ctx, o.Factory, o.Command, func(c *sim.Cloud) error {
		now, notices, err := c.SetSpotPrice(o.Market, o.Price)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Command, err)
		}
		show(now, c.Now(), notices)
		return nil
	})
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func printNotice(streams *IO, n sim.SpotNotice) {
	if !n.Time.After(n.Notice) {
		fmt.Fprintf(streams.Out, "%s (%s): interrupted: %s at %s\n", n.InstanceID, n.RequestID, n.Action, stamp(n.Time))
		return
	}
	fmt.Fprintf(streams.Out, "%s (%s): interruption notice at %s: %s at %s\n", n.InstanceID, n.RequestID, stamp(n.Notice), n.Action, stamp(n.Time))
}

// NewCmdSimInterrupt returns `awsx sim interrupt`, which interrupts a Spot Instance of the
// embedded simulator as EC2 does when it needs the capacity back.
func NewCmdSimInterrupt(f *Factory) *cobra.Command {
	var now bool
	cmd := &cobra.Command{
		Use:   "interrupt INSTANCE-ID",
		Short: "Interrupt a Spot Instance: its two-minute notice, then a stop or termination",
		Long: `Interrupt a running Spot Instance of the embedded simulator (or, with --endpoint-url, of
awsx sim serve's), as EC2 does when it needs the
capacity back, whatever your maximum price: the instance gets the two-minute notice (its
request is marked for termination or stop; its metadata service answers
spot/instance-action and events/recommendations/rebalance), and two simulated minutes
later (awsx sim advance 2m) it is terminated, or stopped if its request says so. With
--now the interruption happens at once.

  awsx sim interrupt i-0123456789abcdef0
  awsx sim on i-0123456789abcdef0 curl http://169.254.169.254/latest/meta-data/spot/instance-action
  awsx sim advance 2m

On real AWS, AWS Fault Injection Service (aws:ec2:send-spot-instance-interruptions) does
this to test how your application copes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			admin, err := adminOf(cmd.Context(), cmd, f)
			if err != nil {
				return err
			}
			if admin != nil {
				var out adminInterruptOut
				if err := admin.call(cmd.Context(), "interrupt", adminInterruptIn{args[0], now}, &out); err != nil {
					return fmt.Errorf("sim interrupt: %w", err)
				}
				printNotice(f.IO, out.Notice)
				return nil
			}
			return onEmbedded(cmd.Context(), f, "sim interrupt", func(c *sim.Cloud) error {
				n, err := c.InterruptSpotInstance(args[0], func(o *sim.InterruptOptions) { o.Now = now })
				if err != nil {
					return fmt.Errorf("sim interrupt: %w", err)
				}
				printNotice(f.IO, n)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&now, "now", false, "interrupt at once, without the two minutes' notice")
	return cmd
}

// NewCmdSimAdvance returns `awsx sim advance`, which moves the embedded simulator's clock.
func NewCmdSimAdvance(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the simulator's clock forward (2m, 1h30m)",
		Long: `Move the embedded simulator's clock (or, with --endpoint-url, awsx sim serve's)
forward by a duration, such as 2m or 1h30m: what waits on time happens, at once — a Spot Instance's notice falls due and it is interrupted, the
Spot market moves, sessions and presigned URLs expire. The clock stays moved in the state
directory; it never goes back.

  awsx sim advance 2m`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := time.ParseDuration(args[0])
			if err != nil || d <= 0 {
				return fmt.Errorf("sim advance: %q is not a positive duration such as 2m or 1h30m", args[0])
			}
			admin, err := adminOf(cmd.Context(), cmd, f)
			if err != nil {
				return err
			}
			if admin != nil {
				var out adminAdvanceOut
				if err := admin.call(cmd.Context(), "advance", adminAdvanceIn{d.String()}, &out); err != nil {
					return fmt.Errorf("sim advance: %w", err)
				}
				fmt.Fprintf(f.IO.Out, "The simulator's clock is at %s.\n", stamp(out.Now))
				return nil
			}
			return onEmbedded(cmd.Context(), f, "sim advance", func(c *sim.Cloud) error {
				c.Advance(d)
				fmt.Fprintf(f.IO.Out, "The simulator's clock is at %s.\n", stamp(c.Now()))
				return nil
			})
		},
	}
}
