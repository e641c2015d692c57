package ec2x_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
)

func TestSpotPrices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	// us-east-1b made the cheapest market of t3.micro by far.
	if _, _, err := cloud.SetSpotPrice(sim.SpotMarket{AvailabilityZone: "us-east-1b", InstanceType: "t3.micro"}, "0.0011"); err != nil {
		t.Fatal(err)
	}
	prices, err := ec2x.SpotPrices(ctx, cfg, []types.InstanceType{types.InstanceTypeT3Micro, types.InstanceTypeT2Micro})
	if err != nil {
		t.Fatal(err)
	}
	zones := must(ec2.NewFromConfig(cfg).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}))(t).AvailabilityZones
	if len(prices) != 2*len(zones) {
		t.Fatalf("%d prices for 2 types in %d zones: %+v", len(prices), len(zones), prices)
	}
	if p := prices[0]; p.Zone != "us-east-1b" || p.InstanceType != types.InstanceTypeT3Micro || p.USD != 0.0011 || p.Since.IsZero() {
		t.Errorf("the cheapest: %+v", p)
	}
	if !slices.IsSortedFunc(prices, func(a, b ec2x.SpotPrice) int {
		if a.USD < b.USD {
			return -1
		}
		if a.USD > b.USD {
			return 1
		}
		return 0
	}) {
		t.Errorf("not cheapest first: %+v", prices)
	}
	for _, p := range prices {
		if p.USD <= 0 || p.USD >= 0.1 {
			t.Errorf("a price out of reason: %+v", p)
		}
	}
	one, err := ec2x.SpotPrices(ctx, cfg, []types.InstanceType{types.InstanceTypeT3Micro}, func(o *ec2x.SpotPriceOptions) { o.Zone = "us-east-1c" })
	if err != nil || len(one) != 1 || one[0].Zone != "us-east-1c" {
		t.Errorf("one zone: %+v %v", one, err)
	}
	for name, tc := range map[string]struct {
		types []types.InstanceType
		opt   func(*ec2x.SpotPriceOptions)
		want  string
	}{
		"no type":      {nil, func(*ec2x.SpotPriceOptions) {}, "name at least one instance type"},
		"unknown type": {[]types.InstanceType{"t9.huge"}, func(*ec2x.SpotPriceOptions) {}, "InvalidParameterValue"},
		"unknown zone": {[]types.InstanceType{"t3.micro"}, func(o *ec2x.SpotPriceOptions) { o.Zone = "us-east-1z" }, "InvalidParameterValue"},
	} {
		if _, err := ec2x.SpotPrices(ctx, cfg, tc.types, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %s", name, err, tc.want)
		}
	}
}

// spotRequests returns the states of the Spot requests tagged name.
func spotRequests(t *testing.T, client *ec2.Client, name string) []types.SpotInstanceState {
	t.Helper()
	var states []types.SpotInstanceState
	for _, r := range must(client.DescribeSpotInstanceRequests(context.Background(), &ec2.DescribeSpotInstanceRequestsInput{Filters: byName(name)}))(t).SpotInstanceRequests {
		states = append(states, r.State)
	}
	return states
}

// liveInstances returns the instances tagged name that are not terminated or shutting down.
func liveInstances(t *testing.T, client *ec2.Client, name string) []string {
	t.Helper()
	out := must(client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{Filters: append(byName(name),
		types.Filter{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped"}})}))(t)
	var ids []string
	for _, r := range out.Reservations {
		for _, i := range r.Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
	}
	return ids
}

func TestLaunchSpot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	client := ec2.NewFromConfig(cfg)
	cheapest := must(ec2x.SpotPrices(ctx, cfg, []types.InstanceType{types.InstanceTypeT3Micro}))(t)[0]
	w, err := ec2x.Launch(ctx, cfg, "worker", func(o *ec2x.LaunchOptions) {
		o.InstanceType, o.Zone, o.Spot = types.InstanceTypeT3Micro, cheapest.Zone, &ec2x.SpotOptions{}
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.Zone != cheapest.Zone || !strings.HasPrefix(w.SpotRequestID, "sir-") {
		t.Errorf("the worker: %+v, want a Spot Instance in %s", w, cheapest.Zone)
	}
	i := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{w.ID}}))(t).Reservations[0].Instances[0]
	if i.InstanceLifecycle != types.InstanceLifecycleTypeSpot {
		t.Errorf("lifecycle %q", i.InstanceLifecycle)
	}
	if got := spotRequests(t, client, "worker"); !slices.Equal(got, []types.SpotInstanceState{types.SpotInstanceStateActive}) {
		t.Errorf("the Spot requests tagged worker: %v", got)
	}
	if err := ec2x.Teardown(ctx, cfg, "worker", time.Minute, fastTeardown); err != nil {
		t.Fatal(err)
	}
	if got := spotRequests(t, client, "worker"); !slices.Equal(got, []types.SpotInstanceState{types.SpotInstanceStateCancelled}) {
		t.Errorf("after the teardown, the Spot requests: %v", got)
	}
	if live := liveInstances(t, client, "worker"); len(live) != 0 {
		t.Errorf("after the teardown, still live: %v", live)
	}
}

// A Spot launch that fails leaves neither a request nor an instance, whichever step fails;
// if the undoing fails too, the instance comes back with the error.
func TestLaunchSpotFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	spot := func(o *ec2x.LaunchOptions) { o.InstanceType, o.Spot = types.InstanceTypeT3Micro, &ec2x.SpotOptions{} }
	for _, tc := range []struct {
		name    string
		faults  []sim.Fault
		opt     func(*ec2x.LaunchOptions)
		want    string
		kept    bool // the instance comes back with the error
		timeout time.Duration
	}{
		{name: "price too low", opt: func(o *ec2x.LaunchOptions) { o.Spot.MaxPrice = "0.001" }, want: "SpotMaxPriceTooLow"},
		{name: "the wait refused", faults: []sim.Fault{{Service: "ec2", Operation: "DescribeInstances", Code: "UnauthorizedOperation", Status: 403, Times: 1}},
			want: "(it was terminated)"},
		// The caller gives up before RunInstances answers: whether it started is unknown.
		{name: "RunInstances' answer lost", faults: []sim.Fault{{Service: "ec2", Operation: "RunInstances", Latency: time.Second, Times: 1}},
			timeout: 50 * time.Millisecond, want: "was terminated"},
		{name: "the undoing refused", faults: []sim.Fault{
			{Service: "ec2", Operation: "DescribeInstances", Code: "UnauthorizedOperation", Status: 403, Times: 1},
			{Service: "ec2", Operation: "TerminateInstances", Code: "UnauthorizedOperation", Status: 403, Times: 1},
		}, want: "so it may still run", kept: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cloud := sim.New()
			cfg := cloud.Config()
			client := ec2.NewFromConfig(cfg)
			for _, f := range tc.faults {
				cloud.Inject(f)
			}
			opts := []func(*ec2x.LaunchOptions){spot}
			if tc.opt != nil {
				opts = append(opts, tc.opt)
			}
			lctx := ctx
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				lctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			w, err := ec2x.Launch(lctx, cfg, "worker", opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Launch: %v, want %q", err, tc.want)
			}
			if tc.kept {
				if w == nil || w.ID == "" || w.SpotRequestID == "" {
					t.Fatalf("the instance not returned: %+v", w)
				}
				if live := liveInstances(t, client, "worker"); !slices.Equal(live, []string{w.ID}) {
					t.Errorf("live %v, want %s", live, w.ID)
				}
				// The caller holds what it needs to finish the job.
				if err := ec2x.Teardown(ctx, cfg, "worker", time.Minute, fastTeardown); err != nil {
					t.Fatal(err)
				}
			} else if w != nil {
				t.Errorf("an instance with the error: %+v", w)
			}
			if live := liveInstances(t, client, "worker"); len(live) != 0 {
				t.Errorf("left running: %v", live)
			}
			for _, s := range spotRequests(t, client, "worker") {
				if s == types.SpotInstanceStateOpen || s == types.SpotInstanceStateActive {
					t.Errorf("a Spot request left %s", s)
				}
			}
		})
	}
}

func fastTeardown(o *ec2x.TeardownOptions) { o.Poll = 5 * time.Millisecond }
