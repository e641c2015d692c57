package sim_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/awsxlab/awsx/sim"
)

// webTierUserData installs httpd and writes a page naming the instance, read from the
// instance metadata service with a session token (Amazon Linux 2023 requires IMDSv2).
const webTierUserData = `#!/bin/bash
yum install -y httpd
systemctl enable --now httpd
TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
echo "<h1>$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)</h1>" > /var/www/html/index.html
`

// TestWebTierEndToEnd builds a load-balanced web tier with the real parts only — EC2's
// network and reachability evaluator, the instances' operating systems running their user
// data, ELB's health checks and traffic — through SDK clients, and fetches the load
// balancer's URL over loopback the way `awsx sim serve` hosts it (<dns>.localhost:PORT),
// with curl where installed: both instances answer in turn; a stopped web server, a stopped
// instance and a security group without port 80 each show AWS's reason in
// DescribeTargetHealth, and the load balancer routes around them.
func TestWebTierEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	cfg := c.Config()
	e, lbc := ec2.NewFromConfig(cfg), elb.NewFromConfig(cfg)
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	w := buildWebTier(t, c)
	a, b, lbSG, webSG, fromLB, lb := w.a, w.b, w.lbSG, w.webSG, w.fromLB, w.lb
	tg := types.TargetGroup{TargetGroupArn: &w.tg}

	health := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, d := range must(lbc.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroupArn}))(t).TargetHealthDescriptions {
			out[*d.Target.Id] = string(d.TargetHealth.State) + "/" + string(d.TargetHealth.Reason)
		}
		return out
	}
	// Advance the clock until both are healthy, as a learner waits.
	start := time.Now()
	waited := time.Duration(0)
	for h := health(); h[a] != "healthy/" || h[b] != "healthy/"; h = health() {
		if waited > 10*time.Minute {
			t.Fatalf("not healthy after %v: %v", waited, h)
		}
		c.Advance(10 * time.Second)
		waited += 10 * time.Second
	}
	t.Logf("healthy after %v of the simulator's clock", waited)

	u, _ := url.Parse(srv.URL)
	host := strings.TrimSuffix(*lb.DNSName, ".amazonaws.com") + ".localhost"
	lbURL := "http://" + host + ":" + u.Port() + "/"
	fetch := curlFetch(t, host, u.Port())
	answers := func(n int) []string {
		t.Helper()
		var got []string
		for range n {
			code, body := fetch(lbURL)
			if code != 200 {
				t.Fatalf("GET %s: %d %q", lbURL, code, body)
			}
			got = append(got, strings.TrimSpace(body))
		}
		return got
	}
	page := func(id string) string { return "<h1>" + id + "</h1>" }

	// Requests spread over both instances, in turn.
	got := answers(4)
	if got[0] == got[1] || got[0] != got[2] || got[1] != got[3] || !(got[0] == page(a) || got[0] == page(b)) || !(got[1] == page(a) || got[1] == page(b)) {
		t.Errorf("in turn from both instances: %q", got)
	}

	// The load balancer's group lets in only the learner's own address (as "My IP" in the
	// console): the learner's curl, from this machine, still gets through.
	my := c.InternetAddress().String() + "/32"
	must(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &lbSG, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String(my)}))(t)
	must(e.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &lbSG, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("0.0.0.0/0")}))(t)
	if code, body := fetch(lbURL); code != 200 {
		t.Errorf("the load balancer's group open to %s only: %d %q", my, code, body)
	}

	// The web server on a stops: its health check is refused (FailedHealthChecks) and the
	// load balancer sends everything to b.
	if code, out, errOut := on(t, c, a, "sudo systemctl stop httpd"); code != 0 {
		t.Fatalf("systemctl stop httpd: %d %s %s", code, out, errOut)
	}
	c.Advance(20 * time.Second)
	if h := health(); h[a] != "unhealthy/Target.FailedHealthChecks" || h[b] != "healthy/" {
		t.Errorf("httpd stopped on a: %v", h)
	}
	for _, body := range answers(3) {
		if body != page(b) {
			t.Errorf("with a's httpd stopped, answered %q, want b's page", body)
		}
	}
	// A page that is not 200: ResponseCodeMismatch.
	on(t, c, a, "sudo systemctl start httpd; sudo rm /var/www/html/index.html")
	c.Advance(20 * time.Second)
	if h := health(); h[a] != "unhealthy/Target.ResponseCodeMismatch" {
		t.Errorf("index.html removed on a: %v", h)
	}
	on(t, c, a, `echo "<h1>`+a+`</h1>" | sudo tee /var/www/html/index.html`)
	c.Advance(30 * time.Second)
	if h := health(); h[a] != "healthy/" {
		t.Errorf("a repaired: %v", h)
	}

	// The instance b stops: InvalidState, and only a answers.
	must(e.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{b}}))(t)
	c.Advance(2 * time.Minute)
	if h := health(); h[b] != "unused/Target.InvalidState" || h[a] != "healthy/" {
		t.Errorf("b stopped: %v", h)
	}
	for _, body := range answers(3) {
		if body != page(a) {
			t.Errorf("with b stopped, answered %q, want a's page", body)
		}
	}

	// Port 80 leaves the web group: the health checks time out.
	must(e.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &webSG, IpPermissions: fromLB}))(t)
	c.Advance(30 * time.Second)
	if h := health(); h[a] != "unhealthy/Target.Timeout" {
		t.Errorf("port 80 revoked: %v", h)
	}
	if code, _ := fetch(lbURL); code != http.StatusGatewayTimeout {
		t.Errorf("every target unreachable: %d, want 504", code)
	}
	t.Logf("end to end in %v", time.Since(start))
}

// curlFetch returns a GET of a URL on host at port, by curl where installed (resolving host
// to the loopback address), else by Go's client dialling the loopback address.
func curlFetch(t *testing.T, host, port string) func(string) (int, string) {
	if path, err := exec.LookPath("curl"); err == nil {
		return func(u string) (int, string) {
			t.Helper()
			out, err := exec.Command(path, "-s", "--max-time", "10", "--resolve", host+":"+port+":127.0.0.1", "-w", "\n%{http_code}", u).Output()
			if err != nil {
				t.Fatalf("curl %s: %v", u, err)
			}
			s := string(out)
			i := strings.LastIndex(s, "\n")
			var code int
			fmt.Sscan(s[i+1:], &code)
			return code, s[:i]
		}
	}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
	}}}
	return func(u string) (int, string) {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

// realWebTier is a load-balanced web tier built through the SDK.
type realWebTier struct {
	a, b, lbSG, webSG string
	fromLB            []ec2types.IpPermission
	tg                string
	lb                types.LoadBalancer
}

// buildWebTier builds, on c, a VPC with an internet gateway, two public subnets in two zones
// and their route table; an "lb" group open on 80 to the world and a "web" group open on 80
// to the lb group; two instances whose user data installs httpd; a target group with both, an
// ALB and its listener.
func buildWebTier(t *testing.T, c *sim.Cloud) realWebTier {
	t.Helper()
	ctx := context.Background()
	e, lbc := ec2.NewFromConfig(c.Config()), elb.NewFromConfig(c.Config())

	// The network: a VPC, an internet gateway, two public subnets in two zones, a route table.
	vpc := *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16")}))(t).Vpc.VpcId
	igw := *must(e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
	must(e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc}))(t)
	rtb := *must(e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc}))(t).RouteTable.RouteTableId
	must(e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &rtb, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw}))(t)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		sn := *must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(fmt.Sprintf("10.40.%d.0/24", i+1)), AvailabilityZone: aws.String(az)}))(t).Subnet.SubnetId
		must(e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: &rtb, SubnetId: &sn}))(t)
		must(e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &sn, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
		subnets = append(subnets, sn)
	}

	// The load balancer's group lets the world in on 80; the instances' group lets in only
	// the load balancer's group.
	lbSG := *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("lb"), Description: aws.String("load balancer"), VpcId: &vpc}))(t).GroupId
	webSG := *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web servers"), VpcId: &vpc}))(t).GroupId
	must(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &lbSG, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("0.0.0.0/0")}))(t)
	fromLB := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &lbSG}}}}
	must(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &webSG, IpPermissions: fromLB}))(t)

	// Two instances, one per subnet, whose user data installs the web server.
	image := guestImage(t, e, "al2023-ami-*-x86_64")
	var ids []string
	for _, sn := range subnets {
		out := run(t, e, ec2.RunInstancesInput{ImageId: &image, InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: aws.String(sn),
			SecurityGroupIds: []string{webSG}, UserData: aws.String(base64.StdEncoding.EncodeToString([]byte(webTierUserData)))})
		ids = append(ids, *out[0].InstanceId)
	}
	a, b := ids[0], ids[1]

	// The target group, the load balancer and its listener.
	tg := must(lbc.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: &vpc,
		HealthCheckPath: aws.String("/"), HealthCheckIntervalSeconds: aws.Int32(10), HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)}))(t).TargetGroups[0]
	must(lbc.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: &a}, {Id: &b}}}))(t)
	lb := must(lbc.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("web-lb"), Subnets: subnets, SecurityGroups: []string{lbSG}}))(t).LoadBalancers[0]
	must(lbc.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t)

	return realWebTier{a: a, b: b, lbSG: lbSG, webSG: webSG, fromLB: fromLB, tg: *tg.TargetGroupArn, lb: lb}
}

// A Cloud opened from disk loads each service's state when a request first needs it: the
// load balancer's first request after opening reaches the network (EC2's state) and the hosts
// (the guests' state), though no EC2 request came before. The round robin's position is
// state: one request per opening (as `awsx sim curl` runs, a process each) still goes to the
// targets in turn.
func TestWebTierOpenedFromDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	w := buildWebTier(t, c)
	c.Advance(5 * time.Minute)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 3 {
		c = openCloud(t, dir, false)
		u, ok := c.LoadBalancerURL("us-east-1", "web-lb")
		if !ok {
			t.Fatal("no load balancer web-lb after opening")
		}
		code, body, hd := get(t, c.HTTPClient(), u+"/")
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if code != 200 {
			t.Fatalf("GET %s after opening: %d %q (%s)", u, code, body, hd.Get("X-Awsx-Reason"))
		}
		got = append(got, strings.TrimSpace(body))
	}
	pa, pb := "<h1>"+w.a+"</h1>", "<h1>"+w.b+"</h1>"
	if !(got[0] == pa && got[1] == pb || got[0] == pb && got[1] == pa) || got[2] != got[0] {
		t.Errorf("one request per opening, answered %q; want the two instances in turn", got)
	}
}

// The database tier: an RDS instance in the web tier's VPC, its group open on 3306 to the web
// servers' group only. [sim.Cloud.DBEndpoint] places it in its subnet, by identifier or DNS
// name, and the network lets a web server in and nothing else.
func TestWebTierDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New()
	w := buildWebTier(t, c)
	e, r := ec2.NewFromConfig(c.Config()), rds.NewFromConfig(c.Config())
	lbSubnets := w.lb.AvailabilityZones
	dbSG := *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("database"), VpcId: w.lb.VpcId}))(t).GroupId
	must(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &dbSG, IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(3306), ToPort: aws.Int32(3306), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: &w.webSG}}}}}))(t)
	must(r.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("data"), DBSubnetGroupDescription: aws.String("data"),
		SubnetIds: []string{*lbSubnets[0].SubnetId, *lbSubnets[1].SubnetId}}))(t)
	must(r.CreateDBInstance(ctx, mysqlInput("shop-db", "data", dbSG)))(t)
	if _, err := c.DBEndpoint("", "shop-db"); err == nil || !strings.Contains(err.Error(), "creating") {
		t.Errorf("while creating: %v", err)
	}
	c.Advance(10 * time.Minute)
	db := must(r.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("shop-db")}))(t).DBInstances[0]
	host := *db.Endpoint.Address
	byName, err := c.DBEndpoint("", "shop-db")
	if err != nil {
		t.Fatal(err)
	}
	byHost, err := c.DBEndpoint("us-east-1", host)
	if err != nil || byHost.Address != byName.Address || byHost.Subnet != byName.Subnet {
		t.Fatalf("by DNS name: %+v %v; by identifier %+v", byHost, err, byName)
	}
	var zoneSubnet string
	for _, z := range lbSubnets {
		if *z.ZoneName == *db.AvailabilityZone {
			zoneSubnet = *z.SubnetId
		}
	}
	if byName.Subnet != zoneSubnet || !strings.HasPrefix(byName.Address.String(), "10.40.") || byName.PublicAddress.IsValid() || !strings.Contains(byName.Name, host) {
		t.Errorf("endpoint %+v, want in %s (%s)", byName, zoneSubnet, *db.AvailabilityZone)
	}
	if _, err := c.DBEndpoint("", "nope"); err == nil {
		t.Error("found a DB instance called nope")
	}

	// A web server reaches 3306; nothing else does: not the load balancer's group, not the
	// internet (the database is not publicly accessible), not another port.
	if v := c.Reach(sim.Endpoint{Instance: w.a}, byName, "tcp", 3306); !v.OK {
		t.Errorf("web server to the database: %v", v)
	}
	other := *run(t, e, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: lbSubnets[0].SubnetId,
		SecurityGroupIds: []string{w.lbSG}})[0].InstanceId
	if v := c.Reach(sim.Endpoint{Instance: other}, byName, "tcp", 3306); v.OK || v.Component != dbSG {
		t.Errorf("another group's instance to the database: %v", v)
	}
	if v := c.Reach(sim.Endpoint{Internet: true}, byName, "tcp", 3306); v.OK {
		t.Errorf("the internet to the database: %v", v)
	}
	if v := c.Reach(sim.Endpoint{Instance: w.a}, byName, "tcp", 22); v.OK || v.Component != dbSG {
		t.Errorf("web server to the database's port 22: %v", v)
	}
}
