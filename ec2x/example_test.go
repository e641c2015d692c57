package ec2x_test

import (
	"context"
	"fmt"
	"time"

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
