package sim

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/ec2sim"
)

// # Spot Instances
//
// The simulated Spot market has a price per instance type, Availability Zone and product
// (Linux/UNIX, Windows) that moves with the simulator's clock: a seeded, reproducible series
// at 25–40% of the on-demand price, changing every few hours. A Spot request whose maximum
// price covers the Spot price is fulfilled; a Spot Instance whose maximum price the Spot price
// passes gets a two-minute notice, then is stopped or terminated. Nothing waits on the wall
// clock: [Cloud.Advance] moves the market, [Cloud.SetSpotPrice] moves a price, and
// [Cloud.InterruptSpotInstance] interrupts an instance as EC2 does when it needs the capacity
// back.

// SpotMarket names one Spot market: an instance type in an Availability Zone, for a product
// description ("Linux/UNIX" when empty; also "Windows", and their "(Amazon VPC)" twins, which
// share their prices).
type SpotMarket struct {
	AvailabilityZone   string // us-east-1a
	InstanceType       string // m4.large
	ProductDescription string
}

// SpotNotice is the interruption notice of a Spot Instance: what its metadata service
// answers at spot/instance-action from Notice on.
type SpotNotice struct {
	InstanceID string
	RequestID  string    // its Spot request, sir-…
	Action     string    // terminate, stop or hibernate
	Notice     time.Time // when EC2 gave notice
	Time       time.Time // when EC2 acts: two minutes after the notice
}

// SetSpotPrice sets the Spot price of a market, in dollars an hour ("0.05"), from now until
// it is set again; "" gives the market back its own moving price. It returns the market's
// price now, in EC2's six decimals, and the notices of the Spot Instances whose maximum price
// the new price passes: two simulated minutes later ([Cloud.Advance]), they are interrupted.
// Open requests whose maximum price covers the new price are fulfilled.
func (c *Cloud) SetSpotPrice(m SpotMarket, price string) (now string, notices []SpotNotice, err error) {
	if err := c.needs(c.compute); err != nil {
		return "", nil, err
	}
	now, ns, err := c.compute.SetSpotPrice(ec2sim.SpotMarket(m), price)
	for _, n := range ns {
		notices = append(notices, SpotNotice(n))
	}
	return now, notices, errors.Join(err, c.commit(false))
}

// InterruptOptions adjusts [Cloud.InterruptSpotInstance].
type InterruptOptions struct {
	// Now carries the interruption out at once instead of two minutes after the notice.
	Now bool
}

// InterruptSpotInstance gives the running Spot Instance id the two-minute interruption
// notice EC2 gives when it needs the capacity back, whatever the price (as AWS Fault Injection
// Service's aws:ec2:send-spot-instance-interruptions does on real AWS). Its request's status
// becomes marked-for-termination (or marked-for-stop), its metadata service answers
// spot/instance-action, and two simulated minutes later ([Cloud.Advance]) it is terminated or
// stopped, per its interruption behavior, with the status instance-terminated-no-capacity (or
// instance-stopped-no-capacity). An instance already under notice keeps it.
func (c *Cloud) InterruptSpotInstance(id string, optFns ...func(*InterruptOptions)) (SpotNotice, error) {
	var o InterruptOptions
	for _, f := range optFns {
		f(&o)
	}
	if err := c.needs(c.compute); err != nil {
		return SpotNotice{}, err
	}
	n, err := c.compute.InterruptSpotInstance(id, o.Now)
	return SpotNotice(n), errors.Join(err, c.commit(false))
}

// spotMetadata adds a Spot Instance's notice to its metadata: spot/instance-action,
// spot/termination-time (for a termination) and events/recommendations/rebalance.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/rebalance-recommendations.html
func spotMetadata(md mdir, n *ec2sim.SpotNotice) {
	if n == nil {
		return
	}
	at := n.Time.UTC().Format(time.RFC3339)
	spot := mdir{"instance-action": []byte(`{"action": "` + n.Action + `", "time": "` + at + `"}`)}
	if n.Action == "terminate" {
		spot["termination-time"] = []byte(at)
	}
	md["spot"] = spot
	if events, ok := md["events"].(mdir); ok {
		events["recommendations"] = mdir{"rebalance": []byte(`{"noticeTime": "` + n.Notice.UTC().Format(time.RFC3339) + `"}`)}
	}
}

// lifeCycle is an instance's purchasing option as its metadata service says it.
func lifeCycle(i types.Instance) string {
	if i.InstanceLifecycle == types.InstanceLifecycleTypeSpot {
		return "spot"
	}
	return "on-demand"
}
