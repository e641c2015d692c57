// Command sdk is testdata/size/awsx written on the SDK alone.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	p, err := ssm.NewFromConfig(cfg).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")})
	if err != nil {
		log.Fatal(err)
	}
	client := ec2.NewFromConfig(cfg)
	out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: p.Parameter.Value, InstanceType: types.InstanceTypeT2Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}})
	if err != nil {
		log.Fatal(err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	running, err := ec2.NewInstanceRunningWaiter(client).WaitForOutput(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Minute)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id, aws.ToString(running.Reservations[0].Instances[0].PublicIpAddress))
	if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); err != nil {
		log.Fatal(err)
	}
	if err := ec2.NewInstanceTerminatedWaiter(client).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, 5*time.Minute); err != nil {
		log.Fatal(err)
	}
}
