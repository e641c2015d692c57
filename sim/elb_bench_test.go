package sim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim"
)

// benchWebTier is a load balancer forwarding to a target group of two healthy instances
// that answer HTTP, ten minutes after it was made.
func benchWebTier(b *testing.B) (c *sim.Cloud, cfg aws.Config, lbDNS string, arn *string) {
	ctx := context.Background()
	hosts := &fakeHosts{}
	c, cfg = benchCloud(b, sim.WithHosts(hosts), sim.WithNetwork(&fakeNetwork{}))
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
	arn = tg.TargetGroups[0].TargetGroupArn
	if _, err := root.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: arn}}}); err != nil {
		b.Fatal(err)
	}
	if _, err := root.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: arn, Targets: ids}); err != nil {
		b.Fatal(err)
	}
	c.Advance(10 * time.Minute)
	return c, cfg, aws.ToString(lb.LoadBalancers[0].DNSName), arn
}

// BenchmarkELBDescribeTargetHealth asks, as alex, the health of a target group's two healthy
// instances: the awsQuery codec of the schema-based SDK, EC2's DescribeInstances through the
// door, the network and the hosts' health check pages — all of it computed on each call —
// beside the floor.
func BenchmarkELBDescribeTargetHealth(b *testing.B) {
	ctx := context.Background()
	c, cfg, _, arn := benchWebTier(b)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := elb.NewFromConfig(cfg).DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: arn})
		if err == nil && (len(out.TargetHealthDescriptions) != 2 || out.TargetHealthDescriptions[0].TargetHealth.State != types.TargetHealthStateEnumHealthy) {
			err = fmt.Errorf("health %+v", out.TargetHealthDescriptions)
		}
		return err
	})
}

// BenchmarkCloudWatchELBRequestCount reads, as alex, the RequestCount of a load balancer
// that has answered requests: CloudWatch's CBOR codec and, on each call, what it asks of ELB
// (the minute's tallies, the target group's health through EC2's DescribeInstances) before
// its lock — beside the floor.
func BenchmarkCloudWatchELBRequestCount(b *testing.B) {
	ctx := context.Background()
	c, cfg, dns, _ := benchWebTier(b)
	for range 10 {
		resp, err := c.HTTPClient().Get("http://" + dns + "/")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	c.Advance(time.Minute)
	lbDim := ""
	if i := strings.Index(dns, "-"); i > 0 {
		lbDim = dns[:i]
	}
	lbs, err := elb.NewFromConfig(c.Config()).DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{lbDim}})
	if err != nil {
		b.Fatal(err)
	}
	lbARN := aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn)
	dims := []cwtypes.Dimension{{Name: aws.String("LoadBalancer"), Value: aws.String(lbARN[strings.Index(lbARN, ":loadbalancer/")+len(":loadbalancer/"):])}}
	since := c.Now().Add(-time.Hour)
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := cloudwatch.NewFromConfig(cfg).GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("AWS/ApplicationELB"),
			MetricName: aws.String("RequestCount"), Dimensions: dims, StartTime: aws.Time(since), EndTime: aws.Time(since.Add(time.Hour)), Period: aws.Int32(3600),
			Statistics: []cwtypes.Statistic{cwtypes.StatisticSum}})
		if err == nil && (len(out.Datapoints) != 1 || aws.ToFloat64(out.Datapoints[0].Sum) != 10) {
			err = fmt.Errorf("RequestCount %+v", out.Datapoints)
		}
		return err
	})
}
