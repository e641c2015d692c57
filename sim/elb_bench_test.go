package sim_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim"
)

// BenchmarkELBDescribeTargetHealth asks, as alex, the health of a target group's two healthy
// instances: the awsQuery codec of the schema-based SDK, EC2's DescribeInstances through the
// door, the network and the hosts' health check pages — all of it computed on each call —
// beside the floor.
func BenchmarkELBDescribeTargetHealth(b *testing.B) {
	ctx := context.Background()
	hosts := &fakeHosts{}
	c, cfg := benchCloud(b, sim.WithHosts(hosts), sim.WithNetwork(&fakeNetwork{}))
	n := newWebNetwork(b, c.Config(), true)
	root := elb.NewFromConfig(c.Config())
	var ids []types.TargetDescription
	for _, sn := range n.subnets {
		out, err := ec2.NewFromConfig(c.Config()).RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"),
			InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: aws.String(sn), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
		if err != nil {
			b.Fatal(err)
		}
		id := *out.Instances[0].InstanceId
		hosts.serve(id, 80, page(id))
		ids = append(ids, types.TargetDescription{Id: aws.String(id)})
	}
	lb, err := root.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: n.subnets})
	if err != nil {
		b.Fatal(err)
	}
	tg, err := root.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)})
	if err != nil {
		b.Fatal(err)
	}
	arn := tg.TargetGroups[0].TargetGroupArn
	if _, err := root.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: arn}}}); err != nil {
		b.Fatal(err)
	}
	if _, err := root.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: arn, Targets: ids}); err != nil {
		b.Fatal(err)
	}
	c.Advance(10 * time.Minute)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := elb.NewFromConfig(cfg).DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: arn})
		if err == nil && (len(out.TargetHealthDescriptions) != 2 || out.TargetHealthDescriptions[0].TargetHealth.State != types.TargetHealthStateEnumHealthy) {
			err = fmt.Errorf("health %+v", out.TargetHealthDescriptions)
		}
		return err
	})
}
