package sim_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim"
)

// Code that calls EC2 retries when EC2 throttles it: the SDK's standard retryer knows
// RequestLimitExceeded. Two throttled answers, then the real one.
func ExampleCloud_Inject_throttle() {
	ctx := context.Background()
	cloud := sim.New()
	cloud.Inject(sim.Fault{Service: "ec2", Operation: "DescribeVpcs", Throttle: true, Times: 2})

	cfg := cloud.Config()
	cfg.Retryer = func() aws.Retryer { // the standard retryer, without the wait between tries
		return retry.NewStandard(func(o *retry.StandardOptions) { o.Backoff = retry.BackoffDelayerFunc(noWait) })
	}
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Vpcs), "default VPC")
	for _, call := range cloud.Calls() {
		fmt.Println(call.Operation, call.Status, call.Error)
	}
	// Output:
	// 1 default VPC
	// DescribeVpcs 503 RequestLimitExceeded
	// DescribeVpcs 503 RequestLimitExceeded
	// DescribeVpcs 200
}

func noWait(int, error) (time.Duration, error) { return 0, nil }

// Code that launches a large instance falls back to another type when EC2 has no capacity
// for the first: InsufficientInstanceCapacity for p5.48xlarge only.
func ExampleCloud_Inject_insufficientCapacity() {
	ctx := context.Background()
	cloud := sim.New()
	cloud.Inject(sim.Fault{Service: "ec2", Operation: "RunInstances",
		Match: func(in any) bool { return in.(*ec2.RunInstancesInput).InstanceType == types.InstanceTypeP548xlarge },
		Code:  "InsufficientInstanceCapacity", Message: "We currently do not have sufficient p5.48xlarge capacity in the Availability Zone you requested.",
	})
	client := ec2.NewFromConfig(cloud.Config())

	for _, it := range []types.InstanceType{types.InstanceTypeP548xlarge, types.InstanceTypeM5Large} {
		out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String("ami-fce3c696"), InstanceType: it, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		})
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "InsufficientInstanceCapacity" {
			fmt.Println(it, "has no capacity; trying the next type")
			continue
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("launched a", out.Instances[0].InstanceType)
		break
	}
	// Output:
	// p5.48xlarge has no capacity; trying the next type
	// launched a m5.large
}
