package cli

import "testing"

// elbv2Session uses every Elastic Load Balancing v2 operation the simulator answers: a
// network and an instance from EC2, load balancers and their refusals, target groups with
// their defaults, targets and their health (initial: the session's clock does not move),
// listeners and rules, attributes and tags, then the deletes. Not yaml where the step
// changes state: the AWS CLI v1, which has no yaml, must change it too.
var elbv2Session = []step{
	// The network, from EC2.
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.40.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "vpc"},
	{args: []string{"ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text"}, capture: "igw"},
	{args: []string{"ec2", "attach-internet-gateway", "--internet-gateway-id", "{igw}", "--vpc-id", "{vpc}"}},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.40.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "sn1"},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.40.2.0/24", "--availability-zone", "us-east-1b", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "sn2"},
	{args: []string{"ec2", "create-security-group", "--group-name", "lb", "--description", "lb", "--vpc-id", "{vpc}", "--query", "GroupId", "--output", "text"}, capture: "sg"},
	{args: []string{"ec2", "run-instances", "--image-id", "ami-4fffc834", "--instance-type", "t2.micro", "--subnet-id", "{sn1}", "--query", "Instances[0].InstanceId", "--output", "text"}, capture: "i1"},

	// Load balancers.
	{args: []string{"elbv2", "create-load-balancer", "--name", "web", "--subnets", "{sn1}", "{sn2}", "--security-groups", "{sg}", "--tags", "Key=team,Value=web",
		"--query", "LoadBalancers[0].[LoadBalancerName,DNSName,CanonicalHostedZoneId,State.Code,Scheme,Type]", "--output", "text"}},
	{args: []string{"elbv2", "describe-load-balancers", "--names", "web", "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text"}, capture: "lb"},
	{args: []string{"elbv2", "create-load-balancer", "--name", "web", "--subnets", "{sn1}"}},
	{args: []string{"elbv2", "create-load-balancer", "--name", "one", "--subnets", "{sn1}"}},
	{args: []string{"elbv2", "create-load-balancer", "--name", "nlb", "--type", "network", "--scheme", "internal", "--subnets", "{sn1}", "--output", "table"}},
	{args: []string{"elbv2", "describe-load-balancers"}},
	{args: []string{"elbv2", "describe-load-balancers", "--names", "web", "--output", "yaml"}},
	{args: []string{"elbv2", "describe-load-balancers", "--max-items", "1", "--query", "NextToken"}, capture: "lbs"},
	{args: []string{"elbv2", "describe-load-balancers", "--starting-token", "{lbs}", "--query", "LoadBalancers[].LoadBalancerName"}},
	{args: []string{"elbv2", "describe-load-balancers", "--names", "nope"}},
	{args: []string{"elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", "{lb}", "--output", "text"}},
	{args: []string{"elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", "{lb}", "--attributes", "Key=idle_timeout.timeout_seconds,Value=120"}},
	{args: []string{"elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", "{lb}", "--attributes", "Key=colour,Value=red"}},
	{args: []string{"elbv2", "set-security-groups", "--load-balancer-arn", "{lb}", "--security-groups", "{sg}"}},
	{args: []string{"elbv2", "set-subnets", "--load-balancer-arn", "{lb}", "--subnets", "{sn1}", "{sn2}"}},
	{args: []string{"elbv2", "set-subnets", "--load-balancer-arn", "{lb}", "--subnets", "{sn1}"}},

	// Target groups and targets.
	{args: []string{"elbv2", "create-target-group", "--name", "web", "--protocol", "HTTP", "--port", "80", "--vpc-id", "{vpc}", "--query", "TargetGroups[0].TargetGroupArn", "--output", "text"}, capture: "tg"},
	{args: []string{"elbv2", "create-target-group", "--name", "api", "--protocol", "HTTP", "--port", "8080", "--vpc-id", "{vpc}", "--health-check-path", "/health",
		"--matcher", "HttpCode=200-299", "--query", "TargetGroups[0].TargetGroupArn", "--output", "text"}, capture: "api"},
	{args: []string{"elbv2", "create-target-group", "--name", "bad", "--protocol", "HTTP", "--port", "80", "--vpc-id", "{vpc}", "--health-check-timeout-seconds", "30"}},
	{args: []string{"elbv2", "create-target-group", "--name", "bad", "--protocol", "HTTP", "--vpc-id", "{vpc}"}},
	{args: []string{"elbv2", "describe-target-groups"}},
	{args: []string{"elbv2", "describe-target-groups", "--names", "web", "--output", "table"}},
	{args: []string{"elbv2", "modify-target-group", "--target-group-arn", "{tg}", "--health-check-interval-seconds", "10", "--healthy-threshold-count", "2"}},
	{args: []string{"elbv2", "describe-target-group-attributes", "--target-group-arn", "{tg}", "--output", "text"}},
	{args: []string{"elbv2", "modify-target-group-attributes", "--target-group-arn", "{tg}", "--attributes", "Key=deregistration_delay.timeout_seconds,Value=30"}},
	{args: []string{"elbv2", "register-targets", "--target-group-arn", "{tg}", "--targets", "Id={i1}"}},
	{args: []string{"elbv2", "register-targets", "--target-group-arn", "{tg}", "--targets", "Id=i-0123456789abcdef0"}},
	{args: []string{"elbv2", "describe-target-health", "--target-group-arn", "{tg}"}},

	// Listeners and rules.
	{args: []string{"elbv2", "create-listener", "--load-balancer-arn", "{lb}", "--protocol", "HTTP", "--port", "80",
		"--default-actions", "Type=forward,TargetGroupArn={tg}", "--query", "Listeners[0].ListenerArn", "--output", "text"}, capture: "l"},
	{args: []string{"elbv2", "create-listener", "--load-balancer-arn", "{lb}", "--protocol", "HTTP", "--port", "80", "--default-actions", "Type=forward,TargetGroupArn={api}"}},
	{args: []string{"elbv2", "describe-listeners", "--load-balancer-arn", "{lb}"}},
	{args: []string{"elbv2", "describe-target-health", "--target-group-arn", "{tg}", "--output", "text"}},
	{args: []string{"elbv2", "delete-target-group", "--target-group-arn", "{tg}"}},
	{args: []string{"elbv2", "create-rule", "--listener-arn", "{l}", "--priority", "10", "--conditions", "Field=path-pattern,Values=/api/*",
		"--actions", "Type=forward,TargetGroupArn={api}", "--query", "Rules[0].RuleArn", "--output", "text"}, capture: "r10"},
	{args: []string{"elbv2", "create-rule", "--listener-arn", "{l}", "--priority", "10", "--conditions", "Field=host-header,Values=x.example.com", "--actions", "Type=forward,TargetGroupArn={api}"}},
	{args: []string{"elbv2", "create-rule", "--listener-arn", "{l}", "--priority", "20", "--conditions", "Field=host-header,Values=old.example.com",
		"--actions", "Type=redirect,RedirectConfig={Host=new.example.com,StatusCode=HTTP_301}", "--query", "Rules[0].RuleArn", "--output", "text"}, capture: "r20"},
	{args: []string{"elbv2", "set-rule-priorities", "--rule-priorities", "RuleArn={r10},Priority=30"}},
	{args: []string{"elbv2", "modify-rule", "--rule-arn", "{r20}", "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404,ContentType=text/plain,MessageBody=gone}"}},
	{args: []string{"elbv2", "describe-rules", "--listener-arn", "{l}"}},
	{args: []string{"elbv2", "describe-rules", "--listener-arn", "{l}", "--query", "Rules[].[Priority,IsDefault]", "--output", "text"}},
	{args: []string{"elbv2", "modify-listener", "--listener-arn", "{l}", "--port", "8080"}},

	// HTTPS: an IAM server certificate (ACM is not simulated), AWS's security policies, and
	// HTTP redirected to HTTPS.
	{args: []string{"iam", "upload-server-certificate", "--server-certificate-name", "elb-www", "--certificate-body", "file://cert.pem", "--private-key", "file://key.pem",
		"--query", "ServerCertificateMetadata.Arn", "--output", "text"}, capture: "cert"},
	{args: []string{"elbv2", "create-listener", "--load-balancer-arn", "{lb}", "--protocol", "HTTPS", "--port", "443",
		"--certificates", "CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", "--default-actions", "Type=forward,TargetGroupArn={api}"}},
	{args: []string{"elbv2", "create-listener", "--load-balancer-arn", "{lb}", "--protocol", "HTTPS", "--port", "443", "--certificates", "CertificateArn={cert}",
		"--default-actions", "Type=forward,TargetGroupArn={api}", "--query", "Listeners[0].ListenerArn", "--output", "text"}, capture: "https"},
	{args: []string{"elbv2", "describe-listeners", "--listener-arns", "{https}"}},
	{args: []string{"elbv2", "modify-listener", "--listener-arn", "{https}", "--ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06", "--query", "Listeners[0].SslPolicy"}},
	{args: []string{"elbv2", "modify-listener", "--listener-arn", "{https}", "--ssl-policy", "ELBSecurityPolicy-2099-01"}},
	{args: []string{"elbv2", "add-listener-certificates", "--listener-arn", "{https}", "--certificates", "CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/x"}},
	{args: []string{"elbv2", "describe-listener-certificates", "--listener-arn", "{https}"}},
	{args: []string{"elbv2", "describe-listener-certificates", "--listener-arn", "{https}", "--output", "table"}},
	{args: []string{"elbv2", "remove-listener-certificates", "--listener-arn", "{https}", "--certificates", "CertificateArn={cert}"}},
	{args: []string{"elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-2016-08"}},
	{args: []string{"elbv2", "describe-ssl-policies", "--query", "SslPolicies[].[Name,length(Ciphers)]", "--output", "text"}},
	{args: []string{"elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-2099-01"}},
	{args: []string{"elbv2", "modify-listener", "--listener-arn", "{l}", "--default-actions", "Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}",
		"--query", "Listeners[0].DefaultActions"}},
	{args: []string{"elbv2", "delete-listener", "--listener-arn", "{https}"}},

	// Tags.
	{args: []string{"elbv2", "add-tags", "--resource-arns", "{lb}", "{tg}", "--tags", "Key=env,Value=lab"}},
	{args: []string{"elbv2", "remove-tags", "--resource-arns", "{lb}", "--tag-keys", "team"}},
	{args: []string{"elbv2", "describe-tags", "--resource-arns", "{lb}", "{tg}"}},

	// The command line's own errors (252).
	{args: []string{"elbv2", "create-target-group", "--protocol", "HTTP"}},
	{args: []string{"elbv2", "describe-load-balancers", "--page-size", "many"}},

	// Deletes.
	{args: []string{"elbv2", "delete-rule", "--rule-arn", "{r20}"}},
	{args: []string{"elbv2", "deregister-targets", "--target-group-arn", "{tg}", "--targets", "Id={i1}"}},
	{args: []string{"elbv2", "delete-listener", "--listener-arn", "{l}"}},
	{args: []string{"elbv2", "delete-target-group", "--target-group-arn", "{tg}"}},
	{args: []string{"elbv2", "delete-load-balancer", "--load-balancer-arn", "{lb}"}},
	{args: []string{"elbv2", "describe-load-balancers", "--query", "LoadBalancers[].LoadBalancerName", "--output", "text"}},
}

// Every ELBv2 operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityELBv2Session(t *testing.T) {
	compareSession(t, elbv2Session, sessionFiles)
}
