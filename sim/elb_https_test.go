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
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// An HTTPS listener takes an IAM server certificate of the account (no ACM one: ACM is not
// simulated) and one of AWS's security policies, which DescribeSSLPolicies lists; the HTTP
// listener redirects to it, and in memory an https:// URL reaches it.
func TestELBHTTPSListeners(t *testing.T) {
	certPEM, keyPEM := selfSigned(t, "www.example.com")
	otherPEM, otherKey := selfSigned(t, "api.example.com")
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		hosts := &fakeHosts{}
		c := b.Open(t, sim.WithHosts(hosts), sim.WithNetwork(&fakeNetwork{}))
		c.Require(t, conformance.ClockControl)
		w := newWebTier(t, c)
		for _, i := range w.instances {
			hosts.serve(i, 80, page(i))
		}
		w.register(t, w.instances...)
		c.Advance(t, 6*time.Minute)
		root := iam.NewFromConfig(c.Config())
		cert := must(root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"),
			CertificateBody: aws.String(certPEM), PrivateKey: aws.String(keyPEM)}))(t).ServerCertificateMetadata.Arn
		other := must(root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("api"),
			CertificateBody: aws.String(otherPEM), PrivateKey: aws.String(otherKey)}))(t).ServerCertificateMetadata.Arn
		forward := []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: w.tg.TargetGroupArn}}

		for _, bad := range []string{"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
			"arn:aws:iam::123456789012:server-certificate/nope", "arn:aws:iam::210987654321:server-certificate/www"} {
			_, err := w.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: w.lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
				Certificates: []types.Certificate{{CertificateArn: aws.String(bad)}}, DefaultActions: forward})
			wantCode(t, err, "CertificateNotFound")
		}
		_, err := w.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: w.lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			Certificates: []types.Certificate{{CertificateArn: cert}}, SslPolicy: aws.String("ELBSecurityPolicy-2099-01"), DefaultActions: forward})
		wantCode(t, err, "SSLPolicyNotFound")
		https := must(w.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: w.lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
			Certificates: []types.Certificate{{CertificateArn: cert}}, DefaultActions: forward}))(t).Listeners[0]
		if aws.ToString(https.SslPolicy) != "ELBSecurityPolicy-2016-08" || len(https.Certificates) != 1 || aws.ToString(https.Certificates[0].CertificateArn) != aws.ToString(cert) {
			t.Errorf("HTTPS listener: %+v", https)
		}
		must(w.elb.ModifyListener(ctx, &elb.ModifyListenerInput{ListenerArn: https.ListenerArn, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06")}))(t)

		// The certificate list for SNI: the default one stays.
		_, err = w.elb.AddListenerCertificates(ctx, &elb.AddListenerCertificatesInput{ListenerArn: https.ListenerArn,
			Certificates: []types.Certificate{{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/x")}}})
		wantCode(t, err, "CertificateNotFound")
		_, err = w.elb.AddListenerCertificates(ctx, &elb.AddListenerCertificatesInput{ListenerArn: w.listener.ListenerArn, Certificates: []types.Certificate{{CertificateArn: other}}})
		wantCode(t, err, "ValidationError") // an HTTP listener
		must(w.elb.AddListenerCertificates(ctx, &elb.AddListenerCertificatesInput{ListenerArn: https.ListenerArn, Certificates: []types.Certificate{{CertificateArn: other}}}))(t)
		certs := must(w.elb.DescribeListenerCertificates(ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: https.ListenerArn}))(t).Certificates
		if len(certs) != 2 || !aws.ToBool(certs[0].IsDefault) || aws.ToBool(certs[1].IsDefault) || aws.ToString(certs[1].CertificateArn) != aws.ToString(other) {
			t.Errorf("listener certificates: %+v", certs)
		}
		var saved bytes.Buffer // the list is saved and loaded with the rest
		if err := c.Cloud(t).Save(&saved); err != nil {
			t.Fatal(err)
		}
		loaded := sim.New()
		if err := loaded.Load(&saved); err != nil {
			t.Fatal(err)
		}
		lc := must(elb.NewFromConfig(loaded.Config()).DescribeListenerCertificates(ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: https.ListenerArn}))(t).Certificates
		if len(lc) != 2 || aws.ToString(lc[1].CertificateArn) != aws.ToString(other) {
			t.Errorf("loaded listener certificates: %+v", lc)
		}
		_, err = w.elb.RemoveListenerCertificates(ctx, &elb.RemoveListenerCertificatesInput{ListenerArn: https.ListenerArn, Certificates: []types.Certificate{{CertificateArn: cert}}})
		wantCode(t, err, "OperationNotPermitted")
		must(w.elb.RemoveListenerCertificates(ctx, &elb.RemoveListenerCertificatesInput{ListenerArn: https.ListenerArn, Certificates: []types.Certificate{{CertificateArn: other}}}))(t)
		if n := len(must(w.elb.DescribeListenerCertificates(ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: https.ListenerArn}))(t).Certificates); n != 1 {
			t.Errorf("%d certificates after the removal", n)
		}

		// AWS's security policies.
		pol := must(w.elb.DescribeSSLPolicies(ctx, &elb.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-FS-1-2-Res-2020-10"}}))(t).SslPolicies
		if len(pol) != 2 || strings.Join(pol[0].SslProtocols, " ") != "TLSv1 TLSv1.1 TLSv1.2" || len(pol[0].Ciphers) != 18 ||
			aws.ToString(pol[0].Ciphers[0].Name) != "ECDHE-ECDSA-AES128-GCM-SHA256" || aws.ToInt32(pol[0].Ciphers[17].Priority) != 18 || len(pol[1].Ciphers) != 4 {
			t.Errorf("security policies: %+v", pol)
		}
		_, err = w.elb.DescribeSSLPolicies(ctx, &elb.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-2099-01"}})
		wantCode(t, err, "SSLPolicyNotFound")
		first := must(w.elb.DescribeSSLPolicies(ctx, &elb.DescribeSSLPoliciesInput{PageSize: aws.Int32(20)}))(t)
		rest := must(w.elb.DescribeSSLPolicies(ctx, &elb.DescribeSSLPoliciesInput{PageSize: aws.Int32(20), Marker: first.NextMarker}))(t)
		if len(first.SslPolicies) != 20 || len(rest.SslPolicies) != 6 || rest.NextMarker != nil {
			t.Errorf("pages of policies: %d, %d", len(first.SslPolicies), len(rest.SslPolicies))
		}

		// HTTP redirected to HTTPS, which answers with the target's page.
		must(w.elb.ModifyListener(ctx, &elb.ModifyListenerInput{ListenerArn: w.listener.ListenerArn, DefaultActions: []types.Action{{Type: types.ActionTypeEnumRedirect,
			RedirectConfig: &types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}}}}))(t)
		hc := *c.HTTPClient()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		url := lbURL(c, w.lb)
		host := strings.TrimPrefix(url, "http://")
		host = host[:strings.IndexAny(host+":", ":")]
		code, _, hd := get(t, &hc, url+"/shop?item=1")
		if code != 301 || hd.Get("Location") != "https://"+host+"/shop?item=1" {
			t.Errorf("redirect: %d %q", code, hd.Get("Location"))
		}
		if c.URL() == "" { // in memory: the https:// URL reaches the HTTPS listener, without TLS
			code, body, _ := get(t, c.HTTPClient(), url+"/shop")
			if code != 200 || !strings.Contains(body, "proto=https port=443") {
				t.Errorf("followed to HTTPS: %d %q", code, body)
			}
		}
	})
}

// Many goroutines add and remove a listener's certificates, and turn a group's metrics on
// and off, while CloudWatch reads what the services produce.
func TestELBCertificatesAndGroupMetricsRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(sim.WithHosts(anyHosts{}), sim.WithNetwork(&fakeNetwork{}), fixedClock(cwEpoch))
	n := newWebNetwork(t, c.Config(), true)
	client := elb.NewFromConfig(c.Config())
	lb := createALB(t, client, "web", n.subnets)
	tg := must(client.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("web"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(n.vpc)}))(t).TargetGroups[0]
	root := iam.NewFromConfig(c.Config())
	var certs []*string
	for i := range 4 {
		body, key := selfSigned(t, fmt.Sprintf("www%d.example.com", i))
		certs = append(certs, must(root.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String(fmt.Sprintf("www%d", i)),
			CertificateBody: aws.String(body), PrivateKey: aws.String(key)}))(t).ServerCertificateMetadata.Arn)
	}
	l := must(client.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
		Certificates: []types.Certificate{{CertificateArn: certs[0]}}, DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}))(t).Listeners[0]
	as := autoscaling.NewFromConfig(c.Config())
	must(ec2.NewFromConfig(c.Config()).CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-4fffc834")}}))(t)
	must(as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1),
		LaunchTemplate: &astypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web")}, AvailabilityZones: []string{"us-east-1a"}}))(t)
	cw := cloudwatch.NewFromConfig(c.Config())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				var err error
				switch g % 4 {
				case 0:
					_, err = client.AddListenerCertificates(ctx, &elb.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: certs[1+i%3]}}})
				case 1:
					_, err = client.RemoveListenerCertificates(ctx, &elb.RemoveListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: certs[1+i%3]}}})
				case 2:
					if i%2 == 0 {
						_, err = as.EnableMetricsCollection(ctx, &autoscaling.EnableMetricsCollectionInput{AutoScalingGroupName: aws.String("web"), Granularity: aws.String("1Minute")})
					} else {
						_, err = as.DisableMetricsCollection(ctx, &autoscaling.DisableMetricsCollectionInput{AutoScalingGroupName: aws.String("web")})
					}
				default:
					_, err = cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/AutoScaling")})
					c.Advance(time.Minute)
				}
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got := must(client.DescribeListenerCertificates(ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: l.ListenerArn}))(t).Certificates
	if len(got) < 1 || len(got) > 4 || !aws.ToBool(got[0].IsDefault) {
		t.Errorf("certificates after the race: %+v", got)
	}
}
