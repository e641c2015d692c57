// Command spot-worker is the course's Spot chapter: it looks up the Spot prices of a few
// small instance types in every Availability Zone, launches a worker as a Spot Instance in
// the cheapest market, and takes it down again with its Spot request. On the simulator it
// also plays what makes Spot cheap: AWS takes the instance back with two minutes' notice.
//
//	go run ./examples/spot-worker                   # on the embedded simulator
//	go run ./examples/spot-worker -max 0.004        # a maximum price of your own
//	AWSX_BACKEND=aws go run ./examples/spot-worker
//
// On AWS the worker costs the Spot price (a fraction of a cent an hour for a t3.micro)
// while it runs; without -keep it is terminated at once, and -teardown takes down what an
// earlier -keep left.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/simbackend"
)

// worker is the user data of the worker: a loop that does its work until the instance's
// metadata says it is about to be taken back.
const worker = `#!/bin/bash
TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
until curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/spot/instance-action; do
  echo "working at $(date)" >> /var/log/worker.log
  sleep 5
done
echo "interrupted: saving my work" >> /var/log/worker.log
`

func main() {
	name := flag.String("name", "awsx-spot-worker", "the name everything is tagged with")
	maxPrice := flag.String("max", "", "the most to pay an hour, in dollars; the On-Demand price when empty")
	keep := flag.Bool("keep", false, "leave the worker running")
	teardown := flag.Bool("teardown", false, "only take down what an earlier -keep left")
	flag.Parse()
	ctx := context.Background()

	settings, err := awsx.NewSettings()
	if err != nil {
		log.Fatal(err)
	}
	settings.SetDefault("backend", awsx.BackendSim)
	cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Settings = settings })
	if err != nil {
		log.Fatal(err)
	}
	onSim := settings.GetString("backend") == awsx.BackendSim
	if *teardown {
		if err := ec2x.Teardown(ctx, cfg, *name, 5*time.Minute); err != nil {
			log.Fatal(err)
		}
		return
	}

	prices, err := ec2x.SpotPrices(ctx, cfg, []types.InstanceType{types.InstanceTypeT3Micro, types.InstanceTypeT3aMicro, types.InstanceTypeT2Micro})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the cheapest Spot markets now:")
	for _, p := range prices[:min(5, len(prices))] {
		fmt.Printf("  %-9s %s  $%.4f an hour\n", p.InstanceType, p.Zone, p.USD)
	}
	best := prices[0]
	w, err := ec2x.Launch(ctx, cfg, *name, func(o *ec2x.LaunchOptions) {
		o.InstanceType, o.Zone, o.UserData = best.InstanceType, best.Zone, worker
		o.Spot = &ec2x.SpotOptions{MaxPrice: *maxPrice}
	})
	if err != nil {
		log.Fatal(err) // nothing is left behind: Launch cancelled and terminated what it started
	}
	fmt.Println("worker", w.ID, "runs in", w.Zone, "as a", w.Type, "Spot Instance of request", w.SpotRequestID)

	if onSim {
		// What AWS does when it needs the capacity back: a notice, two minutes, the end.
		cloud := simbackend.Default()
		notice, err := cloud.InterruptSpotInstance(w.ID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("AWS gives notice: the worker is to", notice.Action, "at", notice.Time.Format(time.Kitchen))
		cloud.Advance(2 * time.Minute)
		out, err := ec2.NewFromConfig(cfg).DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{w.SpotRequestID}})
		if err != nil {
			log.Fatal(err)
		}
		r := out.SpotInstanceRequests[0]
		fmt.Println("two minutes later its request is", r.State+":", *r.Status.Code)
	}
	if *keep {
		fmt.Println("left running; take it down with -teardown")
		return
	}
	if err := ec2x.Teardown(ctx, cfg, *name, 5*time.Minute); err != nil {
		log.Fatal(err)
	}
	fmt.Println("taken down: no instance, no open Spot request")
}
