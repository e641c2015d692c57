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
