package cli

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/internal/output"
	"github.com/awsxlab/awsx/netcalc"
)

// NewCmdNetcalc returns `awsx netcalc`: CIDR math over package netcalc, printed as every
// command prints, with --output (table unless given) and --query.
func NewCmdNetcalc(streams *IO, g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "netcalc",
		Short: "CIDR and subnet math for VPCs: describe, split, overlaps, summarize",
	}
	cmd.PersistentFlags().StringVar(&format, "format", "", "the output format (use --output)")
	cmd.PersistentFlags().MarkDeprecated("format", "use --output")
	write := func(v any, title string) error {
		out := cmp.Or(g.output, format, "table")
		if !slices.Contains(output.Formats, out) {
			return invalidChoice("--output", out, output.Formats)
		}
		if g.query != "" {
			var err error
			if v, err = output.Query(v, g.query); err != nil {
				return &exitError{exitUsage, "\nBad value for --query " + g.query + ": " + err.Error() + "\n"}
			}
		}
		return output.Write(streams.Out, out, v, title)
	}

	cmd.AddCommand(&cobra.Command{
		Use:   "describe CIDR...",
		Short: "Describe blocks: range, masks, address counts, AWS's usable addresses, bit layout",
		Example: `  awsx netcalc describe 10.0.0.0/24 10.1.0.0/24
  awsx netcalc describe 172.31.0.0/16 --output json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var blocks []any
			for _, a := range args {
				b, err := netcalc.Parse(a)
				if err != nil {
					return err
				}
				blocks = append(blocks, describe(b))
			}
			return write(output.NewMap("Blocks", blocks), "Describe")
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:     "split CIDR (--bits N | --count N)",
		Short:   "Split a block into subnets of a prefix length, or into N equal subnets (one per AZ)",
		Example: "  awsx netcalc split 10.0.0.0/16 --bits 24\n  awsx netcalc split 172.31.0.0/16 --count 6",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := netcalc.Parse(args[0])
			if err != nil {
				return err
			}
			bits, _ := cmd.Flags().GetInt("bits")
			count, _ := cmd.Flags().GetInt("count")
			var subnets []netcalc.Block
			switch {
			case bits > 0 && count == 0:
				subnets, err = b.Subnets(bits)
			case count > 0 && bits == 0:
				subnets, err = b.Split(count)
			default:
				return fmt.Errorf("netcalc split: give one of --bits or --count")
			}
			if err != nil {
				return err
			}
			var rows []any
			for _, s := range subnets {
				rows = append(rows, output.NewMap("Cidr", s.String(), "First", s.First().String(), "Last", s.Last().String(),
					"AwsUsable", netcalc.Usable(s).Int64()))
			}
			return write(output.NewMap("Subnets", rows), "Split")
		},
	})
	cmd.Commands()[1].Flags().Int("bits", 0, "prefix length of the subnets")
	cmd.Commands()[1].Flags().Int("count", 0, "number of equal subnets (rounded up to a power of two)")
	cmd.AddCommand(&cobra.Command{
		Use:     "overlaps CIDR...",
		Short:   "List the pairs of blocks that overlap",
		Example: "  awsx netcalc overlaps 10.0.0.0/24 10.1.0.0/24 10.0.0.128/25",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			blocks := make([]netcalc.Block, len(args))
			for i, a := range args {
				var err error
				if blocks[i], err = netcalc.Parse(a); err != nil {
					return err
				}
			}
			pairs := []any{}
			for i := range blocks {
				for j := i + 1; j < len(blocks); j++ {
					if blocks[i].Overlaps(blocks[j]) {
						pairs = append(pairs, output.NewMap("A", blocks[i].String(), "B", blocks[j].String()))
					}
				}
			}
			return write(output.NewMap("Overlaps", pairs), "Overlaps")
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:     "summarize FIRST LAST",
		Short:   "The fewest blocks that cover an address range",
		Example: "  awsx netcalc summarize 10.0.0.0 10.0.2.255",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			first, err := netip.ParseAddr(args[0])
			if err != nil {
				return fmt.Errorf("netcalc: parse %q: %w", args[0], err)
			}
			last, err := netip.ParseAddr(args[1])
			if err != nil {
				return fmt.Errorf("netcalc: parse %q: %w", args[1], err)
			}
			blocks, err := netcalc.Summarize(first, last)
			if err != nil {
				return err
			}
			var out []any
			for _, b := range blocks {
				out = append(out, b.String())
			}
			return write(output.NewMap("Blocks", out), "Summarize")
		},
	})
	return cmd
}

// describe is what `netcalc describe` says of one block.
func describe(b netcalc.Block) *output.Map {
	m := output.NewMap(
		"Cidr", b.String(),
		"First", b.First().String(),
		"Last", b.Last().String(),
		"Netmask", b.Netmask().String(),
		"Wildcard", b.Wildcard().String(),
		"Addresses", b.Size().String(),
		"Private", b.IsPrivate(),
	)
	if b.Is4() {
		m.Set("AwsUsable", netcalc.Usable(b).Int64())
		var reserved []any
		for _, r := range netcalc.Reserved(b) {
			reserved = append(reserved, r.Addr.String()+" "+r.Purpose)
		}
		m.Set("AwsReserved", reserved)
		m.Set("Layout", b.Layout())
		m.Set("Binary", netcalc.Binary(b.First()))
	}
	m.Set("AwsVpcBlock", vpcVerdict(b))
	return m
}

func vpcVerdict(b netcalc.Block) string {
	if err := netcalc.ValidateVPC(b); err != nil {
		msg := err.Error()
		return "no: " + strings.TrimPrefix(msg, "netcalc: ")
	}
	return "yes"
}
