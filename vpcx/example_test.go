package vpcx_test

import (
	"context"
	"fmt"

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
