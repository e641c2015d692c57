package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// lbURL is the URL a test fetches a load balancer at: its DNS name in memory, its .localhost
// name at the server's port on a server.
func lbURL(c *conformance.Account, lb types.LoadBalancer) string {
	if c.URL() != "" {
		return "http://" + strings.TrimSuffix(aws.ToString(lb.DNSName), ".amazonaws.com") + ".localhost" + c.URL()[strings.LastIndex(c.URL(), ":"):]
	}
	return "http://" + aws.ToString(lb.DNSName)
}

// stat reads one statistic of a metric over the whole of the test's time, in one period.
func stat(t *testing.T, cw *cloudwatch.Client, ns, name string, s cwtypes.Statistic, since, until time.Time, dims ...string) (float64, cwtypes.StandardUnit, bool) {
	t.Helper()
	var ds []cwtypes.Dimension
	for i := 0; i+1 < len(dims); i += 2 {
		ds = append(ds, cwtypes.Dimension{Name: aws.String(dims[i]), Value: aws.String(dims[i+1])})
	}
	period := int32(until.Sub(since).Truncate(time.Minute)/time.Second) + 60
	out := must(cw.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String(ns), MetricName: aws.String(name),
		Dimensions: ds, StartTime: aws.Time(since.Truncate(time.Minute)), EndTime: aws.Time(until.Truncate(time.Minute).Add(time.Minute)), Period: aws.Int32(period),
		Statistics: []cwtypes.Statistic{s}}))(t)
	if len(out.Datapoints) == 0 {
		return 0, "", false
	}
	d := out.Datapoints[0]
	v := map[cwtypes.Statistic]*float64{cwtypes.StatisticSum: d.Sum, cwtypes.StatisticMaximum: d.Maximum, cwtypes.StatisticMinimum: d.Minimum,
		cwtypes.StatisticAverage: d.Average, cwtypes.StatisticSampleCount: d.SampleCount}[s]
	return aws.ToFloat64(v), d.Unit, true
}

// An Application Load Balancer's requests and its targets' health are CloudWatch metrics in
// AWS/ApplicationELB, with AWS's dimensions and units, and alarms act on them.
func TestELBMetrics(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		hosts, network := &fakeHosts{}, &fakeNetwork{}
		c := b.Open(t, sim.WithHosts(hosts), sim.WithNetwork(network))
		c.Require(t, conformance.ClockControl)
		since := c.Now()
		w := newWebTier(t, c)
		cw := cloudwatch.NewFromConfig(c.Config())
		hc := c.HTTPClient()
		url := lbURL(c, w.lb)
		a, bb := w.instances[0], w.instances[1]
		for _, i := range w.instances {
			i := i
			hosts.serve(i, 80, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/nope" {
					http.NotFound(rw, r)
					return
				}
				page(i).ServeHTTP(rw, r)
			}))
		}
		lbDim := aws.ToString(w.lb.LoadBalancerArn)[strings.Index(aws.ToString(w.lb.LoadBalancerArn), ":loadbalancer/")+len(":loadbalancer/"):]
		tgDim := aws.ToString(w.tg.TargetGroupArn)[strings.LastIndex(aws.ToString(w.tg.TargetGroupArn), ":")+1:]
		if !strings.HasPrefix(lbDim, "app/web/") || !strings.HasPrefix(tgDim, "targetgroup/web/") {
			t.Fatalf("dimensions %q %q", lbDim, tgDim)
		}

		c.Advance(t, 3*time.Minute) // active
		if code, _, _ := get(t, hc, url+"/"); code != 503 {
			t.Fatalf("no target: %d", code)
		}
		w.register(t, a, bb)
		c.Advance(t, 2*time.Minute+30*time.Second) // both healthy
		for range 4 {
			if code, _, _ := get(t, hc, url+"/"); code != 200 {
				t.Fatalf("forwarded: %d", code)
			}
		}
		if code, _, _ := get(t, hc, url+"/nope"); code != 404 {
			t.Fatalf("404 of the target: %d", code)
		}
		c.Advance(t, time.Minute) // the minute ends: its points are in
		until := c.Now()

		for _, tc := range []struct {
			name string
			s    cwtypes.Statistic
			dims []string
			want float64
			unit cwtypes.StandardUnit
		}{
			{"RequestCount", cwtypes.StatisticSum, []string{"LoadBalancer", lbDim}, 5, cwtypes.StandardUnitCount},
			{"RequestCount", cwtypes.StatisticSum, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 5, cwtypes.StandardUnitCount},
			{"RequestCount", cwtypes.StatisticSum, []string{"AvailabilityZone", "us-east-1a", "LoadBalancer", lbDim}, 3, cwtypes.StandardUnitCount},
			{"RequestCount", cwtypes.StatisticSum, []string{"TargetGroup", tgDim, "AvailabilityZone", "us-east-1b", "LoadBalancer", lbDim}, 2, cwtypes.StandardUnitCount},
			{"RequestCount", cwtypes.StatisticMaximum, []string{"LoadBalancer", lbDim}, 1, cwtypes.StandardUnitCount},
			{"HTTPCode_Target_2XX_Count", cwtypes.StatisticSum, []string{"LoadBalancer", lbDim}, 4, cwtypes.StandardUnitCount},
			{"HTTPCode_Target_4XX_Count", cwtypes.StatisticSum, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 1, cwtypes.StandardUnitCount},
			{"HTTPCode_ELB_5XX_Count", cwtypes.StatisticSum, []string{"LoadBalancer", lbDim}, 1, cwtypes.StandardUnitCount},
			{"HTTPCode_ELB_503_Count", cwtypes.StatisticSum, []string{"LoadBalancer", lbDim}, 1, cwtypes.StandardUnitCount},
			{"ActiveConnectionCount", cwtypes.StatisticSum, []string{"LoadBalancer", lbDim}, 6, cwtypes.StandardUnitCount},
			{"TargetResponseTime", cwtypes.StatisticSampleCount, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 5, cwtypes.StandardUnitSeconds},
			{"HealthyHostCount", cwtypes.StatisticMaximum, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 2, cwtypes.StandardUnitCount},
			{"HealthyHostCount", cwtypes.StatisticMaximum, []string{"TargetGroup", tgDim, "AvailabilityZone", "us-east-1a", "LoadBalancer", lbDim}, 1, cwtypes.StandardUnitCount},
			{"HealthyHostCount", cwtypes.StatisticMinimum, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 0, cwtypes.StandardUnitCount},
			{"UnHealthyHostCount", cwtypes.StatisticMaximum, []string{"TargetGroup", tgDim, "LoadBalancer", lbDim}, 0, cwtypes.StandardUnitCount},
			{"RequestCountPerTarget", cwtypes.StatisticSum, []string{"TargetGroup", tgDim}, 2.5, cwtypes.StandardUnitNone},
		} {
			got, unit, ok := stat(t, cw, "AWS/ApplicationELB", tc.name, tc.s, since, until, tc.dims...)
			if !ok || got != tc.want || unit != tc.unit {
				t.Errorf("%s %s %v: %v %s (found %v), want %v %s", tc.name, tc.s, tc.dims, got, unit, ok, tc.want, tc.unit)
			}
		}
		if _, _, ok := stat(t, cw, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", cwtypes.StatisticSum, since, until, "TargetGroup", tgDim, "LoadBalancer", lbDim); ok {
			t.Error("the load balancer's own answers have no TargetGroup dimension")
		}
		listed := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("HealthyHostCount")}))(t).Metrics
		if len(listed) != 3 { // the group's, and its two zones'
			t.Errorf("HealthyHostCount series: %+v", listed)
		}

		// A target that fails its checks is counted unhealthy, and an alarm on it fires.
		must(cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("unhealthy"), Namespace: aws.String("AWS/ApplicationELB"),
			MetricName: aws.String("UnHealthyHostCount"), Dimensions: []cwtypes.Dimension{{Name: aws.String("TargetGroup"), Value: aws.String(tgDim)},
				{Name: aws.String("LoadBalancer"), Value: aws.String(lbDim)}}, Statistic: cwtypes.StatisticMaximum, Period: aws.Int32(60),
			EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(0), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold}))(t)
		if s := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"unhealthy"}}))(t).MetricAlarms[0].StateValue; s != cwtypes.StateValueOk {
			t.Errorf("alarm while both are healthy: %s", s)
		}
		hosts.serve(bb, 80, nil)
		c.Advance(t, 2*time.Minute)
		al := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"unhealthy"}}))(t).MetricAlarms[0]
		if al.StateValue != cwtypes.StateValueAlarm || !strings.Contains(aws.ToString(al.StateReason), "[1.0 (") {
			t.Errorf("alarm with a target unhealthy: %s %q", al.StateValue, aws.ToString(al.StateReason))
		}
		if v, _, _ := stat(t, cw, "AWS/ApplicationELB", "UnHealthyHostCount", cwtypes.StatisticMaximum, c.Now().Add(-time.Minute), c.Now().Add(-time.Minute),
			"TargetGroup", tgDim, "AvailabilityZone", "us-east-1b", "LoadBalancer", lbDim); v != 1 {
			t.Errorf("UnHealthyHostCount in us-east-1b: %v", v)
		}
	})
}

// anyHosts answer HTTP on port 80 of every instance, with a page naming it.
type anyHosts struct{}

func (anyHosts) Listening(inst string, port int) bool { return port == 80 }
func (anyHosts) Handler(inst string, port int) http.Handler {
	if port != 80 {
		return nil
	}
	return page(inst)
}

// An Auto Scaling group's metrics are in AWS/AutoScaling once collected, and a target
// tracking policy on ALBRequestCountPerTarget scales the group on the requests its load
// balancer answers.
func TestAutoScalingMetricsAndRequestTracking(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, sim.WithHosts(anyHosts{}), sim.WithNetwork(&fakeNetwork{}))
		c.Require(t, conformance.ClockControl)
		since := c.Now()
		w := newWebTier(t, c)
		as := autoscaling.NewFromConfig(c.Config())
		cw := cloudwatch.NewFromConfig(c.Config())
		e := ec2.NewFromConfig(c.Config())
		must(e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT3Micro}}))(t)
		subnets := must(w.elb.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(w.lb.LoadBalancerArn)}}))(t).LoadBalancers[0].AvailabilityZones
		var sns []string
		for _, z := range subnets {
			sns = append(sns, aws.ToString(z.SubnetId))
		}
		must(as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"),
			LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, MinSize: aws.Int32(1), MaxSize: aws.Int32(3),
			VPCZoneIdentifier: aws.String(strings.Join(sns, ",")), TargetGroupARNs: []string{aws.ToString(w.tg.TargetGroupArn)}}))(t)

		_, err := as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Granularity: aws.String("5Minute")})
		wantCode(t, err, "ValidationError")
		_, err = as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Granularity: aws.String("1Minute"), Metrics: []string{"GroupSize"}})
		wantCode(t, err, "ValidationError")
		_, err = as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("nope"), Granularity: aws.String("1Minute")})
		wantCode(t, err, "ValidationError")
		must(as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Granularity: aws.String("1Minute")}))(t)
		must(as.DisableMetricsCollection(ctx, &autoscaling.DisableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Metrics: []string{"GroupMinSize"}}))(t)
		g := must(as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"web"}}))(t).AutoScalingGroups[0]
		if len(g.EnabledMetrics) != 19 || aws.ToString(g.EnabledMetrics[0].Metric) != "GroupMaxSize" || aws.ToString(g.EnabledMetrics[0].Granularity) != "1Minute" {
			t.Errorf("EnabledMetrics: %d %+v", len(g.EnabledMetrics), g.EnabledMetrics)
		}
		types := must(as.DescribeMetricCollectionTypes(ctx, &autoscaling.DescribeMetricCollectionTypesInput{}))(t)
		if len(types.Metrics) != 20 || aws.ToString(types.Granularities[0].Granularity) != "1Minute" {
			t.Errorf("DescribeMetricCollectionTypes: %+v", types)
		}

		tgARN := aws.ToString(w.tg.TargetGroupArn)
		lbARN := aws.ToString(w.lb.LoadBalancerArn)
		label := lbARN[strings.Index(lbARN, ":loadbalancer/")+len(":loadbalancer/"):] + "/" + tgARN[strings.LastIndex(tgARN, ":")+1:]
		must(as.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("web"), PolicyName: aws.String("requests"),
			PolicyType: aws.String("TargetTrackingScaling"), TargetTrackingConfiguration: &astypes.TargetTrackingConfiguration{
				TargetValue: aws.Float64(20), PredefinedMetricSpecification: &astypes.PredefinedMetricSpecification{
					PredefinedMetricType: astypes.MetricTypeALBRequestCountPerTarget, ResourceLabel: aws.String(label)}}}))(t)

		c.Advance(t, 6*time.Minute) // the load balancer is active, the instance healthy
		url := lbURL(c, w.lb)
		hc := c.HTTPClient()
		for minute := range 17 {
			for range 10 {
				if code, _, _ := get(t, hc, url+"/"); code != 200 {
					t.Fatalf("minute %d: %d", minute, code)
				}
			}
			c.Advance(t, time.Minute)
		}
		g = must(as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"web"}}))(t).AutoScalingGroups[0]
		if aws.ToInt32(g.DesiredCapacity) != 3 {
			acts := must(as.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("web")}))(t).Activities
			t.Errorf("desired capacity after 50 requests a target in five minutes, over a target of 20: %d; %+v", aws.ToInt32(g.DesiredCapacity), acts)
		}
		c.Advance(t, 2*time.Minute) // the minutes after the scaling are in
		until := c.Now()
		if v, unit, _ := stat(t, cw, "AWS/AutoScaling", "GroupDesiredCapacity", cwtypes.StatisticMaximum, since, until, "AutoScalingGroupName", "web"); v != 3 || unit != cwtypes.StandardUnitNone {
			t.Errorf("GroupDesiredCapacity: %v %s", v, unit)
		}
		if v, _, _ := stat(t, cw, "AWS/AutoScaling", "GroupInServiceInstances", cwtypes.StatisticMinimum, since, until, "AutoScalingGroupName", "web"); v != 1 {
			t.Errorf("GroupInServiceInstances minimum: %v", v)
		}
		if _, _, ok := stat(t, cw, "AWS/AutoScaling", "GroupMinSize", cwtypes.StatisticMaximum, since, until, "AutoScalingGroupName", "web"); ok {
			t.Error("GroupMinSize is not collected")
		}
		if v, _, _ := stat(t, cw, "AWS/ApplicationELB", "RequestCount", cwtypes.StatisticSum, since, until, "LoadBalancer", label[:strings.Index(label, "/targetgroup/")]); v != 170 {
			t.Errorf("RequestCount: %v", v)
		}
	})
}

// Many goroutines send requests to one load balancer while CloudWatch reads its metrics.
func TestELBMetricsRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(sim.WithHosts(anyHosts{}), sim.WithNetwork(&fakeNetwork{}), sim.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	n := newWebNetwork(t, c.Config(), true)
	client := elb.NewFromConfig(c.Config())
	lb := createALB(t, client, "web", n.subnets)
	tg := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t)
	e := ec2.NewFromConfig(c.Config())
	var targets []types.TargetDescription
	for _, sn := range n.subnets {
		i := run(t, e, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: aws.String(sn), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})[0]
		targets = append(targets, types.TargetDescription{Id: i.InstanceId})
	}
	must(client.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: targets}))(t)
	c.Advance(6 * time.Minute)
	url := "http://" + aws.ToString(lb.DNSName)
	cw := cloudwatch.NewFromConfig(c.Config())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if g%2 == 0 {
					resp, err := c.HTTPClient().Get(url + fmt.Sprintf("/%d", i))
					if err != nil || resp.StatusCode != 200 {
						t.Errorf("request: %v %v", err, resp)
					}
					if err == nil {
						resp.Body.Close()
					}
					continue
				}
				if _, err := cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/ApplicationELB")}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	c.Advance(time.Minute)
	lbARN := aws.ToString(lb.LoadBalancerArn)
	out := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("RequestCount"),
		Dimensions: []cwtypes.Dimension{{Name: aws.String("LoadBalancer"), Value: aws.String(lbARN[strings.Index(lbARN, ":loadbalancer/")+len(":loadbalancer/"):])}},
		StartTime:  aws.Time(c.Now().Add(-time.Hour)), EndTime: aws.Time(c.Now()), Period: aws.Int32(3600), Statistics: []cwtypes.Statistic{cwtypes.StatisticSum}}))(t)
	if len(out.Datapoints) != 1 || aws.ToFloat64(out.Datapoints[0].Sum) != 80 {
		t.Errorf("RequestCount of 80 requests: %+v", out.Datapoints)
	}
}

// A minute's requests counted before a save are CloudWatch's after the load; a group's
// collected metrics stay collected.
func TestELBMetricsSaveLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := []sim.Option{sim.WithHosts(anyHosts{}), sim.WithNetwork(&fakeNetwork{}), fixedClock(cwEpoch)}
	c := sim.New(opts...)
	n := newWebNetwork(t, c.Config(), true)
	client := elb.NewFromConfig(c.Config())
	lb := createALB(t, client, "kept", n.subnets)
	tg := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("kept"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t)
	i := run(t, ec2.NewFromConfig(c.Config()), ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro,
		SubnetId: aws.String(n.subnets[0]), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})[0]
	must(client.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: i.InstanceId}}}))(t)
	as := autoscaling.NewFromConfig(c.Config())
	must(ec2.NewFromConfig(c.Config()).CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}}))(t)
	must(as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1),
		LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a"}}))(t)
	must(as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Granularity: aws.String("1Minute"),
		Metrics: []string{"GroupTotalInstances"}}))(t)
	c.Advance(6*time.Minute + 10*time.Second)
	for range 3 {
		if code, _, _ := get(t, c.HTTPClient(), "http://"+aws.ToString(lb.DNSName)+"/"); code != 200 {
			t.Fatalf("forwarded: %d", code)
		}
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New(append(opts[:2:2], sim.WithClock(c.Now))...)
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	d.Advance(time.Minute)
	cw := cloudwatch.NewFromConfig(d.Config())
	lbARN := aws.ToString(lb.LoadBalancerArn)
	if v, _, _ := stat(t, cw, "AWS/ApplicationELB", "RequestCount", cwtypes.StatisticSum, cwEpoch, d.Now(), "LoadBalancer", lbARN[strings.Index(lbARN, ":loadbalancer/")+len(":loadbalancer/"):]); v != 3 {
		t.Errorf("RequestCount after the load: %v", v)
	}
	if v, _, ok := stat(t, cw, "AWS/AutoScaling", "GroupTotalInstances", cwtypes.StatisticMaximum, d.Now().Add(-time.Minute), d.Now().Add(-time.Minute), "AutoScalingGroupName", "web"); !ok || v != 1 {
		t.Errorf("GroupTotalInstances after the load: %v %v", v, ok)
	}
}
