package ec2x_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
)

func ExampleLaunch() {
	ctx := context.Background()
	cfg := sim.New().Config()
	web, err := ec2x.Launch(ctx, cfg, "web", func(o *ec2x.LaunchOptions) {
		o.UserData = "#!/bin/bash\ndnf install -y httpd\n"
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(web.Type, web.Zone, web.PublicIP != "")
	if err := ec2x.Terminate(ctx, cfg, time.Minute, web.ID); err != nil {
		panic(err)
	}
	// Output: t2.micro us-east-1a true
}

// The newest Amazon Linux 2023 image, by the public parameter AWS keeps pointing at it.
func ExampleParameterImage() {
	ctx := context.Background()
	cfg := sim.New().Config()
	id, err := ec2x.ParameterImage(ctx, cfg, ec2x.AmazonLinux2023)
	if err != nil {
		panic(err)
	}
	fmt.Println(id[:4])
	// Output: ami-
}

// A web server for the lab: its security group, the instance, and all of it taken down by
// name at the end.
func ExampleTeardown() {
	ctx := context.Background()
	cfg := sim.New().Config()
	sg, err := ec2x.SecurityGroup(ctx, cfg, "", "lab", "the lab web server", ec2x.SSHFrom("203.0.113.7/32"), ec2x.HTTPFrom("0.0.0.0/0"))
	if err != nil {
		panic(err)
	}
	web, err := ec2x.Launch(ctx, cfg, "lab", func(o *ec2x.LaunchOptions) { o.SecurityGroupIDs = []string{sg} })
	if err != nil {
		panic(err)
	}
	fmt.Println(web.User)
	if err := ec2x.Teardown(ctx, cfg, "lab", time.Minute); err != nil {
		panic(err)
	}
	// Output: ec2-user
}

// Where a t3.micro Spot Instance costs least now, and at what price an hour.
func ExampleSpotPrices() {
	ctx := context.Background()
	cloud := sim.New()
	// The simulator's market moves with its clock; one price is set here so that the output
	// is the same on every run.
	cloud.SetSpotPrice(sim.SpotMarket{AvailabilityZone: "us-east-1d", InstanceType: "t3.micro"}, "0.0012")
	prices, err := ec2x.SpotPrices(ctx, cloud.Config(), []types.InstanceType{types.InstanceTypeT3Micro})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d zones; cheapest %s at $%.4f an hour\n", len(prices), prices[0].Zone, prices[0].USD)
	// Output: 6 zones; cheapest us-east-1d at $0.0012 an hour
}

// A Spot worker in the zone where Spot costs least, taken down by name with its request.
func ExampleLaunch_spot() {
	ctx := context.Background()
	cfg := sim.New().Config()
	prices, err := ec2x.SpotPrices(ctx, cfg, []types.InstanceType{types.InstanceTypeT3Micro})
	if err != nil {
		panic(err)
	}
	w, err := ec2x.Launch(ctx, cfg, "worker", func(o *ec2x.LaunchOptions) {
		o.InstanceType, o.Zone, o.Spot = types.InstanceTypeT3Micro, prices[0].Zone, &ec2x.SpotOptions{}
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(w.Zone == prices[0].Zone, w.SpotRequestID[:4])
	if err := ec2x.Teardown(ctx, cfg, "worker", time.Minute); err != nil {
		panic(err)
	}
	// Output: true sir-
}

// The "My IP" rule: SSH let in from this machine's address alone. On the simulator the
// address is its setting for the learner's (203.0.113.10 unless set).
func ExampleMyIP() {
	ctx := context.Background()
	cfg := sim.New().Config()
	ip, err := ec2x.MyIP(ctx, cfg)
	if err != nil {
		panic(err)
	}
	rule := ec2x.SSHFrom(ec2x.HostCIDR(ip))
	if _, err := ec2x.SecurityGroup(ctx, cfg, "", "bastion", "SSH from my IP", rule); err != nil {
		panic(err)
	}
	fmt.Println(rule.CIDR)
	// Output: 203.0.113.10/32
}
