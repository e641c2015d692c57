package ec2x

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// CheckIPURL is AWS's service that answers the address a request comes from: the one the
// EC2 User Guide has you use to find the address to let SSH in from (Connect to your Linux
// instance, "Get the public IPv4 address of your local computer"). The simulator answers it
// too, with its setting for the learner's address (sim's Cloud.InternetAddress,
// 203.0.113.10 unless set), the address its network model has the internet's traffic come
// from.
const CheckIPURL = "https://checkip.amazonaws.com/"

// MyIPOptions tunes [MyIP].
type MyIPOptions struct {
	// URL answers the caller's address as one line of text: [CheckIPURL] by default. Against
	// `awsx sim serve` at http://localhost:4566, say, it is http://checkip.localhost:4566/.
	URL string
	// HTTPClient sends the request: cfg's by default, which goes to the simulator in memory
	// when cfg is one of a simulator's, and through the SDK's proxy settings otherwise.
	HTTPClient aws.HTTPClient
}

// MyIP returns the address your requests reach the internet from, as [CheckIPURL] sees it:
// the source of the "My IP" rule the EC2 console offers, which lets SSH in from your machine
// alone rather than from anywhere (0.0.0.0/0):
//
//	ip, err := ec2x.MyIP(ctx, cfg)
//	…
//	sg, err := ec2x.SecurityGroup(ctx, cfg, "", "web", "SSH from me", ec2x.SSHFrom(ec2x.HostCIDR(ip)))
//
// Behind a NAT or a proxy it is the NAT's or proxy's address, which is what a security group
// sees too; it changes when your network does, and the rule with it.
func MyIP(ctx context.Context, cfg aws.Config, optFns ...func(*MyIPOptions)) (netip.Addr, error) {
	o := MyIPOptions{URL: CheckIPURL, HTTPClient: cfg.HTTPClient}
	for _, f := range optFns {
		f(&o)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.URL, nil)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ec2x: my IP from %s: %w", o.URL, err)
	}
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ec2x: my IP from %s: %w", o.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ec2x: my IP from %s: %w", o.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("ec2x: my IP from %s: %s", o.URL, resp.Status)
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(string(b)))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ec2x: my IP from %s: the answer %q is no address", o.URL, b)
	}
	return ip.Unmap(), nil
}

// HostCIDR is the CIDR range of the one address a: "203.0.113.7/32" (or /128 for IPv6), as
// a rule that lets one machine in names it.
func HostCIDR(a netip.Addr) string { return netip.PrefixFrom(a, a.BitLen()).String() }
