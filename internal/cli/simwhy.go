package cli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimWhy returns `awsx sim why`, which asks the simulator's network whether one end
// reaches the other, and if not, what stops it.
func NewCmdSimWhy(f *Factory) *cobra.Command {
	streams := f.IO
	var region, me string
	cmd := &cobra.Command{
		Use:   "why FROM TO [PROTOCOL/]PORT",
		Short: "Say whether FROM reaches TO on a port, and what blocks it if not",
		Long: `Ask the simulator's network whether traffic from FROM reaches TO's port, through security
groups, network ACLs (and their replies on the ephemeral ports), route tables, internet and
NAT gateways, public addresses and the instances' states. When it does not, say which
component stops it and why. It does not say whether a service listens on the port.

FROM and TO are an instance ID (i-…), a network interface ID (eni-…), an address (an
instance's private, public or Elastic IP, or an address on the internet), an RDS DB
instance's identifier or endpoint (shop-db.abc123.us-east-1.rds.amazonaws.com), or "me"
(you, on the internet: 203.0.113.10 unless --me says otherwise). PORT is 22, tcp/22,
udp/53 or icmp. With --endpoint-url URL, the simulator is awsx sim serve's.
The exit status is 0 when the traffic gets through, 1 when it does not.

  awsx sim why me i-0123456789abcdef0 22
  awsx sim why i-0123456789abcdef0 1.1.1.1 tcp/443
  awsx sim why me 3.80.12.7 icmp --me 198.51.100.7
  awsx sim why i-0123456789abcdef0 shop-db 3306`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			proto, port, err := parsePort(args[2])
			if err != nil {
				return err
			}
			var meAddr netip.Addr
			if me != "" {
				if meAddr, err = netip.ParseAddr(me); err != nil {
					return fmt.Errorf("sim why: --me %q is not an IP address", me)
				}
			}
			from, err := parseEnd(args[0], region)
			if err != nil {
				return err
			}
			to, err := parseEnd(args[1], region)
			if err != nil {
				return err
			}
			in := adminWhyIn{From: from, To: to, Protocol: proto, Port: port, Me: meAddr, Region: region}
			var v sim.Verdict
			admin, err := adminOf(cmd.Context(), cmd, f)
			switch {
			case err != nil:
				return err
			case admin != nil:
				var out adminWhyOut
				err = admin.call(cmd.Context(), "why", in, &out)
				v = out.Verdict
			default:
				err = onEmbedded(cmd.Context(), f, "sim why", func(c *sim.Cloud) error {
					v, err = why(c, in)
					return err
				})
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(streams.Out, v)
			if !v.OK {
				return &exitCode{1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&region, "region", sim.DefaultRegion, "the endpoints' region")
	cmd.Flags().StringVar(&me, "me", "", "your address on the internet (default 203.0.113.10)")
	return cmd
}

// why is sim why's answer from the simulator c.
func why(c *sim.Cloud, in adminWhyIn) (sim.Verdict, error) {
	if in.Me.IsValid() {
		// For this question only: a served simulator's setting outlives the request.
		defer c.SetInternetAddress(c.InternetAddress())
		c.SetInternetAddress(in.Me)
	}
	for _, e := range []*sim.Endpoint{&in.From, &in.To} {
		if e.Name == "" {
			continue
		}
		db, err := c.DBEndpoint(in.Region, e.Name)
		if err != nil {
			return sim.Verdict{}, fmt.Errorf("sim why: %q is not an instance ID, a network interface ID, an address or \"me\", and %v", e.Name, err)
		}
		*e = db
	}
	return c.Reach(in.From, in.To, in.Protocol, in.Port), nil
}

// parsePort reads 22, tcp/22, udp/53 or icmp.
func parsePort(s string) (string, int, error) {
	s = strings.ToLower(s)
	if s == "icmp" {
		return "icmp", 0, nil
	}
	proto, p, ok := strings.Cut(s, "/")
	if !ok {
		proto, p = "tcp", proto
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 65535 || proto != "tcp" && proto != "udp" {
		return "", 0, fmt.Errorf("sim why: %q is not a port: write 22, tcp/22, udp/53 or icmp", s)
	}
	return proto, n, nil
}

// parseEnd reads an endpoint: me, i-…, eni-…, an address, or else (in Name, to be found by
// [sim.Cloud.DBEndpoint]) an RDS DB instance's identifier or endpoint DNS name.
func parseEnd(s, region string) (sim.Endpoint, error) {
	e := sim.Endpoint{Region: region}
	switch {
	case s == "me" || s == "internet":
		e.Internet = true
	case strings.HasPrefix(s, "i-"):
		e.Instance = s
	case strings.HasPrefix(s, "eni-"):
		e.Interface = s
	default:
		a, err := netip.ParseAddr(s)
		if err != nil {
			// An RDS DB instance's identifier or endpoint, found once the simulator is open.
			e.Name = s
			return e, nil
		}
		e.Address = a
	}
	return e, nil
}
