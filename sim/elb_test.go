package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// webNetwork is a web tier's network: a VPC with an internet gateway, two public subnets in
// two zones, a security group for the load balancer and one for the instances.
type webNetwork struct {
	vpc, lbSG, webSG string
	subnets          []string
}

func newWebNetwork(t testing.TB, cfg aws.Config, gateway bool) webNetwork {
	t.Helper()
	ctx := context.Background()
	e := ec2.NewFromConfig(cfg)
	var n webNetwork
	n.vpc = *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")}))(t).Vpc.VpcId
	if gateway {
		igw := *must(e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
		must(e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &n.vpc}))(t)
	}
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		sn := must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.vpc, CidrBlock: aws.String(fmt.Sprintf("10.30.%d.0/24", i+1)), AvailabilityZone: aws.String(az)}))(t)
		n.subnets = append(n.subnets, *sn.Subnet.SubnetId)
	}
	n.lbSG = *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("lb"), Description: aws.String("lb"), VpcId: &n.vpc}))(t).GroupId
	n.webSG = *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: &n.vpc}))(t).GroupId
	return n
}

func (n webNetwork) defaultSG(t *testing.T, cfg aws.Config) string {
	t.Helper()
	out := must(ec2.NewFromConfig(cfg).DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{n.vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}))(t)
	return *out.SecurityGroups[0].GroupId
}

func createALB(t *testing.T, client *elb.Client, name string, subnets []string, sgs ...string) types.LoadBalancer {
	t.Helper()
	return must(client.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets, SecurityGroups: sgs}))(t).LoadBalancers[0]
}

// A load balancer's life: created provisioning with AWS's DNS name and hosted zone, active
// after three minutes, found by name and ARN and page by page, its attributes, groups and
// subnets changed, protected from deletion, deleted.
func TestELBLoadBalancerLifecycle(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := elb.NewFromConfig(c.Config())
		n := newWebNetwork(t, c.Config(), true)

		lb := createALB(t, client, "web", n.subnets)
		if !regexp.MustCompile(`^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$`).MatchString(aws.ToString(lb.DNSName)) ||
			aws.ToString(lb.CanonicalHostedZoneId) != "Z35SXDOTRQ7X7K" || lb.State.Code != types.LoadBalancerStateEnumProvisioning ||
			lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || lb.Type != types.LoadBalancerTypeEnumApplication ||
			aws.ToString(lb.VpcId) != n.vpc || len(lb.AvailabilityZones) != 2 || aws.ToString(lb.AvailabilityZones[0].ZoneName) != "us-east-1a" ||
			!slices.Equal(lb.SecurityGroups, []string{n.defaultSG(t, c.Config())}) ||
			!regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/[0-9a-f]{16}$`).MatchString(aws.ToString(lb.LoadBalancerArn)) {
			t.Errorf("new load balancer = %+v", lb)
		}
		// The same name and settings answer the same load balancer; other settings are refused.
		if again := createALB(t, client, "web", n.subnets); aws.ToString(again.LoadBalancerArn) != aws.ToString(lb.LoadBalancerArn) {
			t.Errorf("created twice: %s", aws.ToString(again.LoadBalancerArn))
		}
		_, err := client.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: n.subnets, SecurityGroups: []string{n.lbSG}})
		wantCode(t, err, "DuplicateLoadBalancerName")
		c.Advance(t, 3*time.Minute)
		got := must(client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"web"}}))(t).LoadBalancers
		if len(got) != 1 || got[0].State.Code != types.LoadBalancerStateEnumActive {
			t.Errorf("after 3 minutes: %+v", got)
		}

		internal := must(client.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("api"), Subnets: n.subnets,
			SecurityGroups: []string{n.lbSG}, Scheme: types.LoadBalancerSchemeEnumInternal}))(t).LoadBalancers[0]
		if !strings.HasPrefix(aws.ToString(internal.DNSName), "internal-api-") {
			t.Errorf("internal DNS name %s", aws.ToString(internal.DNSName))
		}
		nlb := must(client.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("tcp"), Type: types.LoadBalancerTypeEnumNetwork,
			SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String(n.subnets[0])}}}))(t).LoadBalancers[0]
		if !regexp.MustCompile(`^tcp-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$`).MatchString(aws.ToString(nlb.DNSName)) ||
			aws.ToString(nlb.CanonicalHostedZoneId) != "Z26RNL4JYFTOTI" || len(nlb.SecurityGroups) != 0 ||
			!strings.Contains(aws.ToString(nlb.LoadBalancerArn), ":loadbalancer/net/tcp/") {
			t.Errorf("network load balancer = %+v", nlb)
		}

		// Page by page, by name.
		var names []string
		var marker *string
		for range 4 {
			out := must(client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2), Marker: marker}))(t)
			for _, l := range out.LoadBalancers {
				names = append(names, aws.ToString(l.LoadBalancerName))
			}
			if marker = out.NextMarker; marker == nil {
				break
			}
		}
		if !slices.Equal(names, []string{"api", "tcp", "web"}) {
			t.Errorf("pages: %v", names)
		}
		_, err = client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"nope"}})
		wantCode(t, err, "LoadBalancerNotFound")
		_, err = client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(401)})
		wantCode(t, err, "ValidationError")

		attrs := must(client.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn}))(t).Attributes
		if attr(attrs, "idle_timeout.timeout_seconds") != "60" || attr(attrs, "deletion_protection.enabled") != "false" || attr(attrs, "load_balancing.cross_zone.enabled") != "true" {
			t.Errorf("attributes %v", attrs)
		}
		must(client.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}}}))(t)
		_, err = client.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
		wantCode(t, err, "OperationNotPermitted")
		_, err = client.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("9000")}}})
		wantCode(t, err, "ValidationError")
		_, err = client.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("no.such.key"), Value: aws.String("1")}}})
		wantCode(t, err, "ValidationError")

		sgs := must(client.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{n.lbSG}}))(t)
		if !slices.Equal(sgs.SecurityGroupIds, []string{n.lbSG}) {
			t.Errorf("security groups %v", sgs.SecurityGroupIds)
		}
		_, err = client.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: nlb.LoadBalancerArn, SecurityGroups: []string{n.lbSG}})
		wantCode(t, err, "InvalidConfigurationRequest")
		_, err = client.SetSubnets(ctx, &elb.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: n.subnets[:1]})
		wantCode(t, err, "ValidationError")
		must(client.SetSubnets(ctx, &elb.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: n.subnets}))(t)

		must(client.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}}}))(t)
		must(client.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))(t)
		must(client.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}))(t) // gone already: succeeds
		_, err = client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn)}})
		wantCode(t, err, "LoadBalancerNotFound")
	})
}

func attr(as []types.LoadBalancerAttribute, k string) string {
	for _, a := range as {
		if aws.ToString(a.Key) == k {
			return aws.ToString(a.Value)
		}
	}
	return "<absent>"
}

// CreateLoadBalancer's refusals, in AWS's codes.
func TestELBCreateLoadBalancerErrors(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := elb.NewFromConfig(c.Config())
		n := newWebNetwork(t, c.Config(), true)
		closed := newWebNetwork(t, c.Config(), false)
		c.Diverges(t, "moto", "moto's CreateLoadBalancer checks neither names, zones, internet gateways nor security groups, and answers InvalidSubnetID.NotFound for a missing subnet")
		for _, tc := range []struct {
			name string
			in   elb.CreateLoadBalancerInput
			code string
		}{
			{"one subnet", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets[:1]}, "ValidationError"},
			{"no such subnet", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: []string{n.subnets[0], "subnet-0123456789abcdef0"}}, "SubnetNotFound"},
			{"no internet gateway", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: closed.subnets}, "InvalidSubnet"},
			{"no such group", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets, SecurityGroups: []string{"sg-0123456789abcdef0"}}, "InvalidSecurityGroup"},
			{"group of another VPC", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets, SecurityGroups: []string{closed.lbSG}}, "InvalidSecurityGroup"},
			{"name too long", elb.CreateLoadBalancerInput{Name: aws.String(strings.Repeat("a", 33)), Subnets: n.subnets}, "ValidationError"},
			{"name with a dot", elb.CreateLoadBalancerInput{Name: aws.String("a.b"), Subnets: n.subnets}, "ValidationError"},
			{"name ends with a hyphen", elb.CreateLoadBalancerInput{Name: aws.String("a-"), Subnets: n.subnets}, "ValidationError"},
			{"internal- name", elb.CreateLoadBalancerInput{Name: aws.String("internal-a"), Subnets: n.subnets}, "ValidationError"},
			{"bad scheme", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets, Scheme: "public"}, "ValidationError"},
			{"subnets and mappings", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets, SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String(n.subnets[0])}}}, "ValidationError"},
			{"aws: tag", elb.CreateLoadBalancerInput{Name: aws.String("a"), Subnets: n.subnets, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}}, "ValidationError"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateLoadBalancer(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		if n := len(must(client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{}))(t).LoadBalancers); n != 0 {
			t.Errorf("%d load balancers after refusals", n)
		}
	})
}

// Target groups with AWS's defaults per protocol and their validation; listeners and rules
// with their actions and priorities; a group a listener uses cannot be deleted; tags.
func TestELBTargetGroupsListenersRules(t *testing.T) {
	certPEM, keyPEM := selfSigned(t, "www.example.com")
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := elb.NewFromConfig(c.Config())
		n := newWebNetwork(t, c.Config(), true)
		lb := createALB(t, client, "web", n.subnets, n.lbSG)
		serverCert := must(iam.NewFromConfig(c.Config()).UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"),
			CertificateBody: aws.String(certPEM), PrivateKey: aws.String(keyPEM)}))(t).ServerCertificateMetadata.Arn

		web := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp,
			Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
		if web.HealthCheckProtocol != types.ProtocolEnumHttp || aws.ToString(web.HealthCheckPath) != "/" || aws.ToString(web.HealthCheckPort) != "traffic-port" ||
			aws.ToInt32(web.HealthCheckIntervalSeconds) != 30 || aws.ToInt32(web.HealthCheckTimeoutSeconds) != 5 || aws.ToInt32(web.HealthyThresholdCount) != 5 ||
			aws.ToInt32(web.UnhealthyThresholdCount) != 2 || aws.ToString(web.Matcher.HttpCode) != "200" || web.TargetType != types.TargetTypeEnumInstance ||
			aws.ToString(web.ProtocolVersion) != "HTTP1" || len(web.LoadBalancerArns) != 0 ||
			!regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/[0-9a-f]{16}$`).MatchString(aws.ToString(web.TargetGroupArn)) {
			t.Errorf("HTTP target group = %+v", web)
		}
		tcp := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("tcp"), Protocol: types.ProtocolEnumTcp,
			Port: aws.Int32(22), VpcId: aws.String(n.vpc), TargetType: types.TargetTypeEnumIp}))(t).TargetGroups[0]
		if tcp.HealthCheckProtocol != types.ProtocolEnumTcp || tcp.HealthCheckPath != nil || aws.ToInt32(tcp.HealthCheckTimeoutSeconds) != 10 || tcp.Matcher != nil {
			t.Errorf("TCP target group = %+v", tcp)
		}
		c.Diverges(t, "moto", "moto checks neither matchers, ranges nor a target group's name before its settings, nor listeners' protocols against their groups'")
		api := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("api"), Protocol: types.ProtocolEnumHttp,
			Port: aws.Int32(8080), VpcId: aws.String(n.vpc), HealthCheckPath: aws.String("/health"), Matcher: &types.Matcher{HttpCode: aws.String("200-299")},
			HealthCheckIntervalSeconds: aws.Int32(10), HealthyThresholdCount: aws.Int32(2)}))(t).TargetGroups[0]
		for _, tc := range []struct {
			name string
			in   elb.CreateTargetGroupInput
			code string
		}{
			{"no port", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, VpcId: aws.String(n.vpc)}, "ValidationError"},
			{"no VPC", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80)}, "ValidationError"},
			{"no such VPC", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String("vpc-0123456789abcdef0")}, "ValidationError"},
			{"bad matcher", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc), Matcher: &types.Matcher{HttpCode: aws.String("600")}}, "ValidationError"},
			{"timeout not under interval", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc),
				HealthCheckIntervalSeconds: aws.Int32(10), HealthCheckTimeoutSeconds: aws.Int32(10)}, "ValidationError"},
			{"threshold too high", elb.CreateTargetGroupInput{Name: aws.String("x"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc), HealthyThresholdCount: aws.Int32(11)}, "ValidationError"},
			{"lambda with a port", elb.CreateTargetGroupInput{Name: aws.String("x"), TargetType: types.TargetTypeEnumLambda, Port: aws.Int32(80)}, "ValidationError"},
			{"same name, other settings", elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(81), VpcId: aws.String(n.vpc)}, "DuplicateTargetGroupName"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateTargetGroup(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}
		fn := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda}))(t).TargetGroups[0]
		if aws.ToBool(fn.HealthCheckEnabled) || fn.Protocol != "" {
			t.Errorf("lambda target group = %+v", fn)
		}

		// Listeners: forward to a group, which is then in use.
		_, err := client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tcp.TargetGroupArn}}})
		wantCode(t, err, "IncompatibleProtocols")
		_, err = client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumTcp, Port: aws.Int32(80),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: web.TargetGroupArn}}})
		wantCode(t, err, "ValidationError")
		_, err = client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: web.TargetGroupArn}}})
		wantCode(t, err, "ValidationError") // no certificate
		l := must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: web.TargetGroupArn}}}))(t).Listeners[0]
		if !strings.Contains(aws.ToString(l.ListenerArn), ":listener/app/web/") || aws.ToString(l.DefaultActions[0].TargetGroupArn) != aws.ToString(web.TargetGroupArn) ||
			aws.ToInt32(l.DefaultActions[0].ForwardConfig.TargetGroups[0].Weight) != 1 {
			t.Errorf("listener = %+v", l)
		}
		_, err = client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(80),
			Certificates:   []types.Certificate{{CertificateArn: serverCert}},
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: web.TargetGroupArn}}})
		wantCode(t, err, "DuplicateListener")
		_, err = client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			Certificates: []types.Certificate{{CertificateArn: serverCert}}, SslPolicy: aws.String("Strongest"),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: web.TargetGroupArn}}})
		wantCode(t, err, "SSLPolicyNotFound")
		tls := must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			Certificates:   []types.Certificate{{CertificateArn: serverCert}},
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("503")}}}}))(t).Listeners[0]
		if aws.ToString(tls.SslPolicy) != "ELBSecurityPolicy-2016-08" {
			t.Errorf("HTTPS listener %+v", tls)
		}
		used := must(client.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn}))(t).TargetGroups
		if len(used) != 1 || !slices.Equal(used[0].LoadBalancerArns, []string{aws.ToString(lb.LoadBalancerArn)}) {
			t.Errorf("groups of the load balancer: %+v", used)
		}
		_, err = client.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: web.TargetGroupArn})
		wantCode(t, err, "ResourceInUse")

		// Rules: priorities unique, conditions and actions checked, the default rule last.
		rule := func(prio int32, field string, vals []string, act types.Action) (*elb.CreateRuleOutput, error) {
			return client.CreateRule(ctx, &elb.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(prio),
				Conditions: []types.RuleCondition{{Field: aws.String(field), Values: vals}}, Actions: []types.Action{act}})
		}
		fwdAPI := types.Action{Type: types.ActionTypeEnumForward, TargetGroupArn: api.TargetGroupArn}
		r10 := must(rule(10, "path-pattern", []string{"/api/*"}, fwdAPI))(t).Rules[0]
		_, err = rule(10, "path-pattern", []string{"/other/*"}, fwdAPI)
		wantCode(t, err, "PriorityInUse")
		_, err = rule(11, "user-agent", []string{"x"}, fwdAPI)
		wantCode(t, err, "ValidationError")
		_, err = client.CreateRule(ctx, &elb.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(11), Actions: []types.Action{fwdAPI},
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/a"}}, {Field: aws.String("path-pattern"), Values: []string{"/b"}}}})
		wantCode(t, err, "ValidationError")
		_, err = rule(11, "path-pattern", []string{"/x"}, types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("302")}})
		wantCode(t, err, "ValidationError")
		_, err = rule(11, "path-pattern", []string{"/x"}, types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{StatusCode: types.RedirectActionStatusCodeEnumHttp301}})
		wantCode(t, err, "InvalidLoadBalancerAction") // a loop
		r20 := must(rule(20, "host-header", []string{"old.example.com"}, types.Action{Type: types.ActionTypeEnumRedirect,
			RedirectConfig: &types.RedirectActionConfig{Host: aws.String("new.example.com"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}}))(t).Rules[0]
		if rc := r20.Actions[0].RedirectConfig; aws.ToString(rc.Path) != "/#{path}" || aws.ToString(rc.Protocol) != "#{protocol}" {
			t.Errorf("redirect defaults %+v", rc)
		}
		must(client.SetRulePriorities(ctx, &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
			{RuleArn: r10.RuleArn, Priority: aws.Int32(30)}}}))(t)
		_, err = client.SetRulePriorities(ctx, &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: r10.RuleArn, Priority: aws.Int32(20)}}})
		wantCode(t, err, "PriorityInUse")
		rules := must(client.DescribeRules(ctx, &elb.DescribeRulesInput{ListenerArn: l.ListenerArn}))(t).Rules
		var order []string
		for _, r := range rules {
			order = append(order, aws.ToString(r.Priority))
		}
		if !slices.Equal(order, []string{"20", "30", "default"}) || !aws.ToBool(rules[2].IsDefault) ||
			aws.ToString(rules[2].Actions[0].TargetGroupArn) != aws.ToString(web.TargetGroupArn) {
			t.Errorf("rules %v: %+v", order, rules)
		}
		_, err = client.DeleteRule(ctx, &elb.DeleteRuleInput{RuleArn: rules[2].RuleArn})
		wantCode(t, err, "OperationNotPermitted")
		must(client.ModifyRule(ctx, &elb.ModifyRuleInput{RuleArn: r10.RuleArn, Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/v2/*"}}}}))(t)

		// ModifyListener moves the default action; the old group is free to go.
		must(client.ModifyListener(ctx, &elb.ModifyListenerInput{ListenerArn: l.ListenerArn, DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("404"), ContentType: aws.String("text/plain"), MessageBody: aws.String("none")}}}}))(t)
		must(client.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: web.TargetGroupArn}))(t)
		_, err = client.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{Names: []string{"web"}})
		wantCode(t, err, "TargetGroupNotFound")

		// Attributes and tags.
		ta := must(client.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: api.TargetGroupArn,
			Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")}}}))(t).Attributes
		if !slices.ContainsFunc(ta, func(a types.TargetGroupAttribute) bool {
			return aws.ToString(a.Key) == "deregistration_delay.timeout_seconds" && aws.ToString(a.Value) == "30"
		}) {
			t.Errorf("attributes %+v", ta)
		}
		_, err = client.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: api.TargetGroupArn,
			Attributes: []types.TargetGroupAttribute{{Key: aws.String("stickiness.type"), Value: aws.String("source_ip")}}})
		wantCode(t, err, "InvalidConfigurationRequest")
		must(client.AddTags(ctx, &elb.AddTagsInput{ResourceArns: []string{aws.ToString(lb.LoadBalancerArn), aws.ToString(api.TargetGroupArn)},
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))(t)
		must(client.RemoveTags(ctx, &elb.RemoveTagsInput{ResourceArns: []string{aws.ToString(api.TargetGroupArn)}, TagKeys: []string{"env"}}))(t)
		td := must(client.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: []string{aws.ToString(lb.LoadBalancerArn), aws.ToString(api.TargetGroupArn)}}))(t).TagDescriptions
		if len(td) != 2 || len(td[0].Tags) != 2 || len(td[1].Tags) != 1 || aws.ToString(td[1].Tags[0].Key) != "team" {
			t.Errorf("tags %+v", td)
		}
		must(client.DeleteListener(ctx, &elb.DeleteListenerInput{ListenerArn: l.ListenerArn}))(t)
		_, err = client.DescribeRules(ctx, &elb.DescribeRulesInput{RuleArns: []string{aws.ToString(r20.RuleArn)}})
		wantCode(t, err, "RuleNotFound")
		must(client.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: api.TargetGroupArn}))(t)
		_ = fn
	})
}

// fakeHosts are instances' operating systems for the tests: what listens on which port.
type fakeHosts struct {
	mu sync.Mutex
	h  map[string]http.Handler // "i-…:80"
}

func (f *fakeHosts) serve(inst string, port int, h http.Handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.h == nil {
		f.h = map[string]http.Handler{}
	}
	key := fmt.Sprintf("%s:%d", inst, port)
	if h == nil {
		delete(f.h, key)
		return
	}
	f.h[key] = h
}

func (f *fakeHosts) Listening(inst string, port int) bool { return f.Handler(inst, port) != nil }

func (f *fakeHosts) Handler(inst string, port int) http.Handler {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.h[fmt.Sprintf("%s:%d", inst, port)]
}

// page answers every path with a page naming the instance, and what the load balancer told
// it in its headers.
func page(inst string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s xff=%s proto=%s port=%s", inst, r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Port"))
	})
}

// fakeNetwork lets every flow through but the ones blocked says.
type fakeNetwork struct {
	mu      sync.Mutex
	blocked func(world.Flow) bool
}

func (f *fakeNetwork) block(b func(world.Flow) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blocked = b
}

func (f *fakeNetwork) Reach(fl world.Flow) world.Verdict {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.blocked != nil && f.blocked(fl) {
		return world.Verdict{Component: "sg-test", Reason: "the security group does not allow it"}
	}
	return world.Verdict{OK: true}
}

// webTier is a load balancer in front of two instances, one per zone, with a target group
// on port 80 and a listener on port 80.
type webTier struct {
	elb       *elb.Client
	lb        types.LoadBalancer
	tg        types.TargetGroup
	listener  types.Listener
	instances []string
	vpc       string
}

func newWebTier(t *testing.T, c *conformance.Account) webTier {
	t.Helper()
	ctx := context.Background()
	n := newWebNetwork(t, c.Config(), true)
	e := ec2.NewFromConfig(c.Config())
	w := webTier{vpc: n.vpc}
	for _, sn := range n.subnets {
		i := run(t, e, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: aws.String(sn),
			SecurityGroupIds: []string{n.webSG}, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})[0]
		w.instances = append(w.instances, *i.InstanceId)
	}
	w.elb = elb.NewFromConfig(c.Config())
	w.lb = createALB(t, w.elb, "web", n.subnets, n.lbSG)
	w.tg = must(w.elb.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	w.listener = must(w.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: w.lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: w.tg.TargetGroupArn}}}))(t).Listeners[0]
	return w
}

func (w webTier) health(t *testing.T) map[string]string {
	t.Helper()
	out := must(w.elb.DescribeTargetHealth(context.Background(), &elb.DescribeTargetHealthInput{TargetGroupArn: w.tg.TargetGroupArn}))(t)
	m := map[string]string{}
	for _, d := range out.TargetHealthDescriptions {
		m[aws.ToString(d.Target.Id)] = string(d.TargetHealth.State) + "/" + string(d.TargetHealth.Reason)
	}
	return m
}

func (w webTier) register(t *testing.T, ids ...string) {
	t.Helper()
	var ts []types.TargetDescription
	for _, id := range ids {
		ts = append(ts, types.TargetDescription{Id: aws.String(id)})
	}
	must(w.elb.RegisterTargets(context.Background(), &elb.RegisterTargetsInput{TargetGroupArn: w.tg.TargetGroupArn, Targets: ts}))(t)
}

// Health is computed: the instance's state, the network from the load balancer's nodes to
// the port, and what answers the health check there, each with AWS's state and reason, on
// the clock of the health check's interval and thresholds.
func TestELBTargetHealth(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		hosts, network := &fakeHosts{}, &fakeNetwork{}
		c := b.Open(t, sim.WithHosts(hosts), sim.WithNetwork(network))
		c.Require(t, conformance.ClockControl)
		w := newWebTier(t, c)
		a, bb := w.instances[0], w.instances[1]
		hosts.serve(a, 80, page(a))
		hosts.serve(bb, 80, http.NotFoundHandler())

		_, err := w.elb.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: w.tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("i-0123456789abcdef0")}}})
		wantCode(t, err, "InvalidTarget")
		w.register(t, a, bb)
		if h := w.health(t); h[a] != "initial/Elb.RegistrationInProgress" {
			t.Errorf("while provisioning: %v", h)
		}
		c.Advance(t, 3*time.Minute) // active; the first check
		if h := w.health(t); h[a] != "initial/Elb.InitialHealthChecking" || h[bb] != "initial/Elb.InitialHealthChecking" {
			t.Errorf("first check: %v", h)
		}
		c.Advance(t, 30*time.Second) // two checks: b fails its unhealthy threshold
		if h := w.health(t); h[a] != "initial/Elb.InitialHealthChecking" || h[bb] != "unhealthy/Target.ResponseCodeMismatch" {
			t.Errorf("two checks: %v", h)
		}
		c.Advance(t, 90*time.Second) // five checks: a passes its healthy threshold
		if h := w.health(t); h[a] != "healthy/" || h[bb] != "unhealthy/Target.ResponseCodeMismatch" {
			t.Errorf("five checks: %v", h)
		}
		d := must(w.elb.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: w.tg.TargetGroupArn,
			Targets: []types.TargetDescription{{Id: aws.String(bb)}, {Id: aws.String("i-0aaaaaaaaaaaaaaaa")}}}))(t).TargetHealthDescriptions
		if len(d) != 2 || aws.ToString(d[0].TargetHealth.Description) != "Health checks failed with these codes: [404]" ||
			aws.ToString(d[0].HealthCheckPort) != "80" || d[1].TargetHealth.Reason != types.TargetHealthReasonEnumNotRegistered {
			t.Errorf("named targets: %+v %+v", d[0].TargetHealth, d[1].TargetHealth)
		}

		hosts.serve(bb, 80, nil) // nothing listens
		if h := w.health(t); h[bb] != "unhealthy/Target.FailedHealthChecks" {
			t.Errorf("nothing listens: %v", h)
		}
		network.block(func(f world.Flow) bool { return f.To.Instance == a && f.Port == 80 && f.From.Subnet != "" })
		if h := w.health(t); h[a] != "unhealthy/Target.Timeout" {
			t.Errorf("blocked: %v", h)
		}
		network.block(nil)
		must(ec2.NewFromConfig(c.Config()).StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{bb}}))(t)
		c.Advance(t, 5*time.Minute)
		if h := w.health(t); h[bb] != "unused/Target.InvalidState" || h[a] != "healthy/" {
			t.Errorf("stopped: %v", h)
		}
		_, err = w.elb.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: w.tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String(bb), Port: aws.Int32(8080)}}})
		wantCode(t, err, "InvalidTarget") // not running

		// A target in a zone the load balancer does not have is not used.
		e := ec2.NewFromConfig(c.Config())
		sn := must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(w.vpc), CidrBlock: aws.String("10.30.3.0/24"), AvailabilityZone: aws.String("us-east-1c")}))(t).Subnet.SubnetId
		far := *run(t, e, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: sn, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})[0].InstanceId
		hosts.serve(far, 80, page(far))
		w.register(t, far)
		if h := w.health(t); h[far] != "unused/Target.NotInUse" {
			t.Errorf("a zone not enabled: %v", h)
		}
		must(w.elb.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: w.tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String(far)}}}))(t)
		c.Advance(t, 300*time.Second)

		// Deregistration drains for the delay, then the target is gone.
		must(w.elb.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: w.tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String(a)}}}))(t)
		if h := w.health(t); h[a] != "draining/Target.DeregistrationInProgress" {
			t.Errorf("deregistered: %v", h)
		}
		c.Advance(t, 300*time.Second)
		if h := w.health(t); len(h) != 1 {
			t.Errorf("after the delay: %v", h)
		}
		// A group no listener uses: its targets are unused.
		must(w.elb.DeleteListener(ctx, &elb.DeleteListenerInput{ListenerArn: w.listener.ListenerArn}))(t)
		if h := w.health(t); h[bb] != "unused/Target.NotInUse" {
			t.Errorf("not in use: %v", h)
		}
	})
}

func get(t *testing.T, client *http.Client, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// The load balancer answers HTTP at its DNS name: in turn from its healthy targets, with the
// X-Forwarded headers; by its rules' fixed responses and redirects; 503 with no target, 502
// when nothing listens, 504 when the network stops it.
func TestELBTraffic(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		hosts, network := &fakeHosts{}, &fakeNetwork{}
		c := b.Open(t, sim.WithHosts(hosts), sim.WithNetwork(network))
		c.Require(t, conformance.ClockControl)
		w := newWebTier(t, c)
		hc := *c.HTTPClient()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		url := "http://" + aws.ToString(w.lb.DNSName)
		if c.URL() != "" { // on a server: the .localhost name at the server's port
			url = "http://" + strings.TrimSuffix(aws.ToString(w.lb.DNSName), ".amazonaws.com") + ".localhost" + c.URL()[strings.LastIndex(c.URL(), ":"):]
		}
		if code, _, _ := get(t, &hc, url+"/"); code != 503 {
			t.Errorf("provisioning: %d", code)
		}
		c.Advance(t, 3*time.Minute)
		if code, _, hd := get(t, &hc, url+"/"); code != 503 || hd.Get("Server") != "awselb/2.0" {
			t.Errorf("no targets: %d %v", code, hd)
		}
		for _, i := range w.instances {
			hosts.serve(i, 80, page(i))
		}
		w.register(t, w.instances...)
		if code, _, _ := get(t, &hc, url+"/"); code != 503 {
			t.Errorf("targets in their initial checks: %d", code)
		}
		c.Advance(t, 2*time.Minute+30*time.Second)
		seen := map[string]int{}
		for range 4 {
			code, body, _ := get(t, &hc, url+"/index.html")
			if code != 200 || !strings.Contains(body, "xff=127.0.0.1 proto=http port=80") {
				t.Fatalf("forwarded: %d %q", code, body)
			}
			seen[strings.Fields(body)[2]]++
		}
		if len(seen) != 2 || seen[w.instances[0]] != 2 {
			t.Errorf("round robin: %v", seen)
		}

		must(w.elb.CreateRule(ctx, &elb.CreateRuleInput{ListenerArn: w.listener.ListenerArn, Priority: aws.Int32(1),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/health*"}}},
			Actions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{
				StatusCode: aws.String("200"), ContentType: aws.String("application/json"), MessageBody: aws.String(`{"ok":true}`)}}}}))(t)
		must(w.elb.CreateRule(ctx, &elb.CreateRuleInput{ListenerArn: w.listener.ListenerArn, Priority: aws.Int32(2),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/old/*"}}},
			Actions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
				Path: aws.String("/new/#{path}"), Protocol: aws.String("HTTPS"), StatusCode: types.RedirectActionStatusCodeEnumHttp302}}}}))(t)
		if code, body, hd := get(t, &hc, url+"/healthz"); code != 200 || body != `{"ok":true}` || !strings.HasPrefix(hd.Get("Content-Type"), "application/json") {
			t.Errorf("fixed response: %d %q %v", code, body, hd)
		}
		host := strings.TrimPrefix(url, "http://")
		host = host[:strings.IndexAny(host+":", ":")]
		if code, _, hd := get(t, &hc, url+"/old/a?b=c"); code != 302 || hd.Get("Location") != "https://"+host+":80/new/old/a?b=c" {
			t.Errorf("redirect: %d %q", code, hd.Get("Location"))
		}

		// Every target unhealthy: the load balancer sends to them all (fail open), and what
		// the targets cannot answer is the load balancer's 502 or 504.
		for _, i := range w.instances {
			hosts.serve(i, 80, nil)
		}
		if code, _, _ := get(t, &hc, url+"/"); code != 502 {
			t.Errorf("nothing listens: %d", code)
		}
		network.block(func(f world.Flow) bool { return f.From.Subnet != "" && f.Port == 80 })
		if code, _, _ := get(t, &hc, url+"/"); code != 504 {
			t.Errorf("network blocks: %d", code)
		}
		network.block(func(f world.Flow) bool { return f.From.Internet })
		if code, _, hd := get(t, &hc, url+"/"); code != 504 || !strings.Contains(hd.Get("X-Awsx-Reason"), "security group") {
			t.Errorf("the load balancer's group blocks: %d %v", code, hd)
		}
	})
}

// The load balancers' state is saved and loaded with the cloud's.
func TestELBSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	n := newWebNetwork(t, c.Config(), true)
	client := elb.NewFromConfig(c.Config())
	lb := createALB(t, client, "kept", n.subnets)
	tg := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("kept"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	dc := elb.NewFromConfig(d.Config())
	got := must(dc.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"kept"}}))(t).LoadBalancers[0]
	if aws.ToString(got.DNSName) != aws.ToString(lb.DNSName) {
		t.Errorf("loaded %+v", got)
	}
	ls := must(dc.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn}))(t).Listeners
	if len(ls) != 1 || aws.ToString(ls[0].DefaultActions[0].TargetGroupArn) != aws.ToString(tg.TargetGroupArn) {
		t.Errorf("listeners %+v", ls)
	}
	if u, ok := d.LoadBalancerURL("us-east-1", "kept"); !ok || u != "http://"+aws.ToString(lb.DNSName) {
		t.Errorf("LoadBalancerURL = %q, %v", u, ok)
	}
}

// elasticloadbalancing:<Operation> on the resource's ARN; ELB reads the network as its
// service-linked role, so a user needs no EC2 permission.
func TestELBAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		n := newWebNetwork(t, c.Config(), true)
		must(iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("unused")}))(t)
		alex := elb.NewFromConfig(newUser(t, c, "alex"))
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("a"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:CreateLoadBalancer","Resource":"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/team-*"},
			{"Effect":"Allow","Action":"elasticloadbalancing:Describe*","Resource":"*"}]}`)}))(t)
		lb := createALB(t, alex, "team-a", n.subnets)
		must(alex.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := alex.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("other"), Subnets: n.subnets})
		wantCode(t, err, "AccessDenied")
		_, err = alex.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "elasticloadbalancing:DeleteLoadBalancer on resource: "+aws.ToString(lb.LoadBalancerArn)) {
			t.Errorf("the refusal does not say what: %v", err)
		}
		// Tags on create need elasticloadbalancing:AddTags as well.
		_, err = alex.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("team-b"), Subnets: n.subnets, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "elasticloadbalancing:AddTags") {
			t.Errorf("the refusal does not name AddTags: %v", err)
		}
		_, err = elb.NewFromConfig(c.Config()).DescribeTrustStores(ctx, &elb.DescribeTrustStoresInput{})
		wantCode(t, err, "NotImplemented")
	})
}

// Many goroutines register, describe and forward at once (run with -race).
func TestELBConcurrent(t *testing.T) {
	hosts := &fakeHosts{}
	c := sim.New(sim.WithHosts(hosts), sim.WithNetwork(&fakeNetwork{}), sim.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	ctx := context.Background()
	n := newWebNetwork(t, c.Config(), true)
	client := elb.NewFromConfig(c.Config())
	lb := createALB(t, client, "web", n.subnets)
	c.Advance(3 * time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tg, err := client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String(fmt.Sprintf("tg-%d", i)), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)})
			if err != nil {
				errs <- err
				return
			}
			if _, err := client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Port: aws.Int32(int32(8000 + i)),
				DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}}); err != nil {
				errs <- err
			}
			if _, err := client.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}); err != nil {
				errs <- err
			}
			if resp, err := c.HTTPClient().Get(fmt.Sprintf("http://%s:%d/", aws.ToString(lb.DNSName), 8000+i)); err != nil {
				errs <- err
			} else if resp.Body.Close(); resp.StatusCode != 503 {
				errs <- fmt.Errorf("listener %d: %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(must(client.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn}))(t).Listeners); n != 8 {
		t.Errorf("%d listeners", n)
	}
}

// A Network Load Balancer in front of an IP target group: TCP health checks ask whether
// something listens, and traffic passes through without the X-Forwarded headers.
func TestELBNetworkLoadBalancerIPTargets(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		hosts := &fakeHosts{}
		c := b.Open(t, sim.WithHosts(hosts), sim.WithNetwork(&fakeNetwork{}))
		c.Require(t, conformance.ClockControl)
		n := newWebNetwork(t, c.Config(), true)
		i := run(t, ec2.NewFromConfig(c.Config()), ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro,
			SubnetId: aws.String(n.subnets[1]), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})[0]
		client := elb.NewFromConfig(c.Config())
		nlb := must(client.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("tcp"), Type: types.LoadBalancerTypeEnumNetwork, Subnets: n.subnets}))(t).LoadBalancers[0]
		tg := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("ips"), Protocol: types.ProtocolEnumTcp, Port: aws.Int32(8080),
			VpcId: aws.String(n.vpc), TargetType: types.TargetTypeEnumIp}))(t).TargetGroups[0]
		_, err := client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: nlb.LoadBalancerArn, Protocol: types.ProtocolEnumTcp, Port: aws.Int32(80),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}}}})
		wantCode(t, err, "InvalidLoadBalancerAction")
		must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: nlb.LoadBalancerArn, Protocol: types.ProtocolEnumTcp, Port: aws.Int32(80),
			DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t)
		for _, tc := range []struct{ ip, az, code string }{{"8.8.8.8", "", "InvalidTarget"}, {"192.168.1.1", "", "ValidationError"}, {"not-an-ip", "", "ValidationError"}} {
			td := types.TargetDescription{Id: aws.String(tc.ip)}
			_, err := client.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{td}})
			wantCode(t, err, tc.code)
		}
		must(client.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{
			{Id: i.PrivateIpAddress}, {Id: aws.String("10.30.1.200")}}}))(t)
		c.Advance(t, 3*time.Minute+2*time.Minute) // active, then five checks
		out := must(client.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn}))(t).TargetHealthDescriptions
		states := map[string]string{}
		for _, d := range out {
			states[aws.ToString(d.Target.Id)] = string(d.TargetHealth.State) + "/" + string(d.TargetHealth.Reason)
		}
		if states[*i.PrivateIpAddress] != "unhealthy/Target.FailedHealthChecks" || states["10.30.1.200"] != "unhealthy/Target.Timeout" {
			t.Errorf("nothing listens: %v", states)
		}
		hosts.serve(*i.InstanceId, 8080, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "xff=%q", r.Header.Get("X-Forwarded-For"))
		}))
		must(client.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("10.30.1.200")}}}))(t)
		out = must(client.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: i.PrivateIpAddress}}}))(t).TargetHealthDescriptions
		if len(out) != 1 || out[0].TargetHealth.State != types.TargetHealthStateEnumHealthy || aws.ToString(out[0].Target.AvailabilityZone) != "us-east-1b" {
			t.Errorf("listening: %+v", out)
		}
		url := "http://" + aws.ToString(nlb.DNSName)
		if c.URL() != "" {
			url = "http://" + strings.TrimSuffix(aws.ToString(nlb.DNSName), ".amazonaws.com") + ".localhost" + c.URL()[strings.LastIndex(c.URL(), ":"):]
		}
		if code, body, _ := get(t, c.HTTPClient(), url+"/"); code != 200 || body != `xff=""` {
			t.Errorf("through the network load balancer: %d %q", code, body)
		}
	})
}

// A cloud from Open keeps the load balancers across a reopen, and neither describing them
// nor asking their targets' health writes anything, even as their states move on the clock.
func TestELBOpenKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	n := newWebNetwork(t, c.Config(), true)
	lb := createALB(t, elb.NewFromConfig(c.Config()), "kept", n.subnets)
	tg := must(elb.NewFromConfig(c.Config()).CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("kept"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client := elb.NewFromConfig(c.Config())
	for _, d := range []time.Duration{0, 5 * time.Minute} {
		c.Advance(d)
		before := dirBytes(t, dir)
		st := must(client.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"kept"}}))(t).LoadBalancers[0].State.Code
		if want := map[time.Duration]types.LoadBalancerStateEnum{0: "provisioning", 5 * time.Minute: "active"}[d]; st != want {
			t.Errorf("after %v: %s, want %s", d, st, want)
		}
		must(client.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn}))(t)
		if resp, err := c.HTTPClient().Get("http://" + aws.ToString(lb.DNSName) + "/"); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
		}
		if after := dirBytes(t, dir); after != before {
			t.Errorf("reads wrote:\nbefore\n%s\nafter\n%s", before, after)
		}
	}
}
