package vpcx_test

import (
	"context"
	"fmt"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/vpcx"
)

func ExampleCreate() {
	ctx := context.Background()
	cloud := sim.New()
	v, err := vpcx.Create(ctx, cloud.Config(), "lab", "10.0.0.0/16")
	if err != nil {
		panic(err)
	}
	for _, s := range v.Public {
		fmt.Println("public ", s.CIDR, s.Zone)
	}
	for _, s := range v.Private {
		fmt.Println("private", s.CIDR, s.Zone)
	}
	if err := vpcx.Delete(ctx, cloud.Config(), v.ID); err != nil {
		panic(err)
	}
	// Output:
	// public  10.0.0.0/24 us-east-1a
	// public  10.0.1.0/24 us-east-1b
	// private 10.0.2.0/24 us-east-1a
	// private 10.0.3.0/24 us-east-1b
}

// The bastion pattern: one host in a public subnet that lets SSH in from my address, and a
// private instance that lets SSH in from the bastion alone — then all of it taken down.
func ExampleCreateBastion() {
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	v, err := vpcx.Create(ctx, cfg, "lab", "10.0.0.0/16")
	if err != nil {
		panic(err)
	}
	b, err := vpcx.CreateBastion(ctx, cfg, v, "lab")
	if err != nil {
		panic(err)
	}
	db, err := ec2x.Launch(ctx, cfg, "db", func(o *ec2x.LaunchOptions) {
		o.SubnetID, o.SecurityGroupIDs = v.Private[0].ID, []string{b.PrivateGroupID}
	})
	if err != nil {
		panic(err)
	}
	me := sim.Endpoint{Internet: true}
	fmt.Println("me → bastion:", cloud.Reach(me, sim.Endpoint{Instance: b.Host.ID}, "tcp", 22).OK)
	fmt.Println("me → db:", cloud.Reach(me, sim.Endpoint{Instance: db.ID}, "tcp", 22).OK)
	fmt.Println("bastion → db:", cloud.Reach(sim.Endpoint{Instance: b.Host.ID}, sim.Endpoint{Instance: db.ID}, "tcp", 22).OK)
	// Delete finds the instances, the groups and the rest, and takes them down first.
	if err := vpcx.Delete(ctx, cfg, v.ID); err != nil {
		panic(err)
	}
	// Output:
	// me → bastion: true
	// me → db: false
	// bastion → db: true
}
