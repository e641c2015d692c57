package sim

import (
	"github.com/awsxlab/awsx/sim/internal/world"
)

// network is the world's network as the services that depend on it see it: a test's, else
// EC2's once it answers Reach, else nil (every flow gets through).
func (c *Cloud) network() world.Network {
	if c.opts.network != nil {
		return c.opts.network
	}
	if n, ok := any(c.compute).(world.Network); ok {
		return n
	}
	return nil
}

// LoadBalancerURL returns the URL of the load balancer called name in the config's region
// (http://name-1234567890.us-east-1.elb.amazonaws.com), for [Cloud.HTTPClient] to fetch:
// the load balancer answers by its listeners' rules, forwarding to its healthy targets in
// turn. A server started with `awsx sim serve` answers the same host with .localhost and its
// port in place of .amazonaws.com. ok is false when there is no such load balancer.
func (c *Cloud) LoadBalancerURL(region, name string) (url string, ok bool) {
	if c.needs(c.lbs) != nil {
		return "", false
	}
	dns, ok := c.lbs.DNSName(region, name)
	if !ok {
		return "", false
	}
	return "http://" + dns, true
}
