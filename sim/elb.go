package sim

import (
	"net/netip"

	"github.com/awsxlab/awsx/sim/internal/world"
)

// network is the world's network as the services that depend on it see it: a test's, else
// EC2's once it answers Reach, else nil (every flow gets through).
func (c *Cloud) network() world.Network {
	if c.opts.network != nil {
		return c.opts.network
	}
	if _, ok := any(c.compute).(world.Network); ok {
		return cloudNetwork{c}
	}
	return nil
}

// cloudNetwork is EC2's network read from the Cloud's saved state when a dependent service
// first asks: a Cloud opened from disk loads each service's state when a request needs it,
// and a load balancer's traffic, an EFS mount or a health check may come before any EC2
// request has.
type cloudNetwork struct{ c *Cloud }

func (n cloudNetwork) Reach(f world.Flow) world.Verdict {
	if err := n.c.needs(n.c.compute); err != nil {
		return world.Verdict{Reason: err.Error()}
	}
	return any(n.c.compute).(world.Network).Reach(f)
}

// InternetAddress is the learner's address on the internet, EC2's setting.
func (n cloudNetwork) InternetAddress() netip.Addr {
	n.c.needs(n.c.compute)
	return n.c.compute.InternetAddress()
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
