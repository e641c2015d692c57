package ec2sim

import (
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Usage is one instance as the metrics and the cost meter of the simulator's CloudWatch see
// it: where it runs, since when, and what an hour of it costs.
type Usage struct {
	ID, Region string
	Type       types.InstanceType
	Running    bool      // it is running now
	Launched   time.Time // when it was launched
	Terminated time.Time // when it was terminated; zero while it is not
	// Hourly is the on-demand price of an hour of it, in millionths of a US dollar (the
	// simulator's table, price.go; a Spot Instance is priced on demand too); 0 when the
	// table has no price for its type.
	Hourly int64
	// Detailed reports detailed monitoring (one-minute metrics).
	Detailed bool
	// Group is the Auto Scaling group whose instance it is (its aws:autoscaling:groupName tag).
	Group string
}

// Usage returns every instance of every region that DescribeInstances still shows,
// terminated ones included, ordered by region and ID.
func (s *Store) Usage() []Usage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	var out []Usage
	for _, name := range sortedKeys(s.regions) {
		r := s.regions[name]
		for _, id := range sortedKeys(r.Instances) {
			i := r.Instances[id]
			if i.gone(now) {
				continue
			}
			im, _ := r.image(i.Image)
			product := productLinux
			if im.Windows {
				product = productWindows
			}
			p, _ := onDemandPrice(i.Type, product)
			u := Usage{ID: i.ID, Region: name, Type: i.Type, Running: i.State == running, Launched: i.Launched, Hourly: int64(p), Detailed: i.Monitoring, Group: i.Tags["aws:autoscaling:groupName"]}
			if i.State == stateTerminated {
				u.Terminated = i.Terminated
			}
			out = append(out, u)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// natHourly is what an hour of a NAT gateway costs, in millionths of a US dollar: us-east-1's
// price, which the simulator uses in every region. The data it processes ($0.045 a GB) is
// not metered. https://aws.amazon.com/vpc/pricing/
const natHourly = 45000

// NATUsage returns every NAT gateway of every region that DescribeNatGateways still shows,
// as the cost meter sees it: billed from its creation until its deletion is over (a failed
// one is not billed), ordered by region and ID.
func (s *Store) NATUsage() []Usage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	var out []Usage
	for _, name := range sortedKeys(s.regions) {
		r := s.regions[name]
		for _, id := range sortedKeys(r.NATs) {
			n := r.NATs[id]
			if n.gone(now) || n.Failure != "" {
				continue
			}
			u := Usage{ID: n.ID, Region: name, Running: true, Launched: n.Created, Hourly: natHourly}
			if !n.Deleted.IsZero() {
				u.Running, u.Terminated = false, n.Deleted.Add(natDeleting)
			}
			out = append(out, u)
		}
	}
	return out
}
