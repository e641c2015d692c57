package sim

import "github.com/awsxlab/awsx/sim/internal/world"

// WithHosts makes h the instances' hosts, for tests of what depends on them (a load
// balancer's health checks and traffic) before the guest model is wired.
func WithHosts(h world.Hosts) Option { return func(o *options) { o.hosts = h } }

// WithNetwork makes n answer whether flows get through, in place of EC2.
func WithNetwork(n world.Network) Option { return func(o *options) { o.network = n } }
