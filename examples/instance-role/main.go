// Command instance-role runs code as it would run on an EC2 instance with an instance role:
// no access keys anywhere, the role's temporary credentials fetched from the instance
// metadata service by the SDK's own provider — all in memory, on a fresh simulator.
//
//	go run ./examples/instance-role
//
// It is the shape of a test for code that runs on EC2: give the code the instance's
// aws.Config, and check what it may and may not do.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/iamx"
	"github.com/awsxlab/awsx/sim"
)

// inventory is "the code on the instance": it lists the running instances' IDs.
func inventory(ctx context.Context, cfg aws.Config) (any, error) {
	out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	if err != nil {
		return nil, err
	}
	return awsx.Query(out, "Reservations[].Instances[?State.Name=='running'].InstanceId[]")
}

func main() {
	ctx := context.Background()
	cloud := sim.New()
	admin := cloud.Config()

	// A role EC2 may take on, allowed to read EC2, in an instance profile; an instance with it.
	role, err := iamx.CreateInstanceRole(ctx, admin, "inventory", "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
	if err != nil {
		log.Fatal(err)
	}
	web, err := ec2x.Launch(ctx, admin, "web", func(o *ec2x.LaunchOptions) { o.InstanceProfile = role.InstanceProfileName })
	if err != nil {
		log.Fatal(err)
	}

	// On the instance: its region, and the role's credentials from 169.254.169.254.
	onWeb, err := cloud.InstanceConfig(web.ID)
	if err != nil {
		log.Fatal(err)
	}
	who, err := sts.NewFromConfig(onWeb).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("on the instance, calls are made as", *who.Arn)
	ids, err := inventory(ctx, onWeb)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("inventory:", ids)

	// The role reads; it does not terminate.
	_, err = ec2.NewFromConfig(onWeb).TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{web.ID}})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println("terminating from the instance:", ae.ErrorCode())
	}
}
