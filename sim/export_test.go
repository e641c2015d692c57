package sim

import "github.com/awsxlab/awsx/sim/internal/world"

// What the tests of package sim_test reach inside the cloud.

// WithHosts makes h the instances' hosts, for tests of what depends on them (a load
// balancer's health checks and traffic) without instances' operating systems.
func WithHosts(h world.Hosts) Option { return func(o *options) { o.hosts = h } }

// WithNetwork makes n answer whether flows get through, in place of EC2.
func WithNetwork(n world.Network) Option { return func(o *options) { o.network = n } }

// Hosts returns the instances' hosts as the network sees them.
func (c *Cloud) Hosts() world.Hosts { return c.hosts() }

// SeedObjects stores an object with body under each of keys in an existing bucket, without
// requests: for benchmarks of large buckets.
func (c *Cloud) SeedObjects(bucket string, keys []string, body []byte) error {
	return c.buckets.Seed(bucket, keys, body)
}
