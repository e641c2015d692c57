package cfnsim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// The web tier's types: ELBv2, EFS, and RDS's subnet groups.

func elbTags(t []tag) []elbtypes.Tag {
	var out []elbtypes.Tag
	for _, x := range t {
		out = append(out, elbtypes.Tag{Key: aws.String(x.Key), Value: aws.String(x.Value)})
	}
	return out
}

// elbName is a generated ELB name: at most 32 characters of letters, digits and hyphens.
func (m *maker) elbName(logical string) string {
	n := m.name(logical, 32, false)
	out := []byte(n)
	for i, c := range out {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			out[i] = '-'
		}
	}
	return string(out)
}

func init() {
	types["AWS::ElasticLoadBalancingV2::LoadBalancer"] = rtype{
		props: []string{"Name", "Subnets", "SecurityGroups", "Scheme", "Type", "IpAddressType", "Tags", "LoadBalancerAttributes", "SubnetMappings"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			name := p.str("Name")
			if name == "" {
				name = m.elbName(logical)
			}
			in := &elb.CreateLoadBalancerInput{Name: &name, Subnets: p.strs("Subnets"), SecurityGroups: p.strs("SecurityGroups"), Tags: elbTags(p.tags())}
			if s := p.str("Scheme"); s != "" {
				in.Scheme = elbtypes.LoadBalancerSchemeEnum(s)
			}
			if s := p.str("Type"); s != "" {
				in.Type = elbtypes.LoadBalancerTypeEnum(s)
			}
			if s := p.str("IpAddressType"); s != "" {
				in.IpAddressType = elbtypes.IpAddressType(s)
			}
			for _, sm := range p.objects("SubnetMappings") {
				in.SubnetMappings = append(in.SubnetMappings, elbtypes.SubnetMapping{SubnetId: sm.sp("SubnetId"), AllocationId: sm.sp("AllocationId")})
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("elasticloadbalancing", "CreateLoadBalancer", in)
			if err != nil {
				return nil, err
			}
			lb := out.(*elb.CreateLoadBalancerOutput).LoadBalancers[0]
			arn := aws.ToString(lb.LoadBalancerArn)
			full := arn
			if i := indexOf(arn, ":loadbalancer/"); i >= 0 {
				full = arn[i+len(":loadbalancer/"):]
			}
			groups := []any{}
			for _, g := range lb.SecurityGroups {
				groups = append(groups, g)
			}
			return &made{physical: arn, attrs: map[string]any{"LoadBalancerArn": arn, "DNSName": aws.ToString(lb.DNSName),
				"CanonicalHostedZoneID": aws.ToString(lb.CanonicalHostedZoneId), "LoadBalancerName": aws.ToString(lb.LoadBalancerName),
				"LoadBalancerFullName": full, "SecurityGroups": groups}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("elasticloadbalancing", "DeleteLoadBalancer", &elb.DeleteLoadBalancerInput{LoadBalancerArn: &r.Physical})
			return err
		},
	}
	types["AWS::ElasticLoadBalancingV2::TargetGroup"] = rtype{
		props: []string{"Name", "Port", "Protocol", "ProtocolVersion", "VpcId", "TargetType", "HealthCheckEnabled", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol",
			"HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher", "Targets", "Tags", "TargetGroupAttributes", "IpAddressType"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			name := p.str("Name")
			if name == "" {
				name = m.elbName(logical)
			}
			in := &elb.CreateTargetGroupInput{Name: &name, Port: p.i32("Port"), VpcId: p.sp("VpcId"), ProtocolVersion: p.sp("ProtocolVersion"),
				HealthCheckEnabled: p.boolean("HealthCheckEnabled"), HealthCheckPath: p.sp("HealthCheckPath"), HealthCheckPort: p.sp("HealthCheckPort"),
				HealthCheckIntervalSeconds: p.i32("HealthCheckIntervalSeconds"), HealthCheckTimeoutSeconds: p.i32("HealthCheckTimeoutSeconds"),
				HealthyThresholdCount: p.i32("HealthyThresholdCount"), UnhealthyThresholdCount: p.i32("UnhealthyThresholdCount"), Tags: elbTags(p.tags())}
			if s := p.str("Protocol"); s != "" {
				in.Protocol = elbtypes.ProtocolEnum(s)
			}
			if s := p.str("HealthCheckProtocol"); s != "" {
				in.HealthCheckProtocol = elbtypes.ProtocolEnum(s)
			}
			if s := p.str("TargetType"); s != "" {
				in.TargetType = elbtypes.TargetTypeEnum(s)
			}
			if mt := p.object("Matcher"); mt != nil {
				in.Matcher = &elbtypes.Matcher{HttpCode: mt.sp("HttpCode"), GrpcCode: mt.sp("GrpcCode")}
			}
			var targets []elbtypes.TargetDescription
			for _, t := range p.objects("Targets") {
				targets = append(targets, elbtypes.TargetDescription{Id: t.sp("Id"), Port: t.i32("Port"), AvailabilityZone: t.sp("AvailabilityZone")})
				if t.err != nil {
					p.fail("%v", t.err)
				}
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("elasticloadbalancing", "CreateTargetGroup", in)
			if err != nil {
				return nil, err
			}
			tg := out.(*elb.CreateTargetGroupOutput).TargetGroups[0]
			arn := aws.ToString(tg.TargetGroupArn)
			full := arn
			if i := indexOf(arn, ":targetgroup/"); i >= 0 {
				full = arn[i+1:]
			}
			md := &made{physical: arn, attrs: map[string]any{"TargetGroupArn": arn, "TargetGroupName": aws.ToString(tg.TargetGroupName),
				"TargetGroupFullName": full, "LoadBalancerArns": []any{}}}
			if len(targets) > 0 {
				if _, err := m.do("elasticloadbalancing", "RegisterTargets", &elb.RegisterTargetsInput{TargetGroupArn: &arn, Targets: targets}); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("elasticloadbalancing", "DeleteTargetGroup", &elb.DeleteTargetGroupInput{TargetGroupArn: &r.Physical})
			return err
		},
	}
	types["AWS::ElasticLoadBalancingV2::Listener"] = rtype{
		props: []string{"LoadBalancerArn", "Port", "Protocol", "DefaultActions", "Certificates", "SslPolicy", "AlpnPolicy"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("LoadBalancerArn", "DefaultActions")
			in := &elb.CreateListenerInput{LoadBalancerArn: p.sp("LoadBalancerArn"), Port: p.i32("Port"), SslPolicy: p.sp("SslPolicy"), AlpnPolicy: p.strs("AlpnPolicy")}
			if s := p.str("Protocol"); s != "" {
				in.Protocol = elbtypes.ProtocolEnum(s)
			}
			for _, c := range p.objects("Certificates") {
				in.Certificates = append(in.Certificates, elbtypes.Certificate{CertificateArn: c.sp("CertificateArn")})
			}
			for _, a := range p.objects("DefaultActions") {
				act := elbtypes.Action{Type: elbtypes.ActionTypeEnum(a.str("Type")), TargetGroupArn: a.sp("TargetGroupArn"), Order: a.i32("Order")}
				if f := a.object("FixedResponseConfig"); f != nil {
					act.FixedResponseConfig = &elbtypes.FixedResponseActionConfig{StatusCode: f.sp("StatusCode"), ContentType: f.sp("ContentType"), MessageBody: f.sp("MessageBody")}
				}
				if rd := a.object("RedirectConfig"); rd != nil {
					act.RedirectConfig = &elbtypes.RedirectActionConfig{StatusCode: elbtypes.RedirectActionStatusCodeEnum(rd.str("StatusCode")), Protocol: rd.sp("Protocol"),
						Port: rd.sp("Port"), Host: rd.sp("Host"), Path: rd.sp("Path"), Query: rd.sp("Query")}
				}
				if a.err != nil {
					p.fail("%v", a.err)
				}
				in.DefaultActions = append(in.DefaultActions, act)
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("elasticloadbalancing", "CreateListener", in)
			if err != nil {
				return nil, err
			}
			arn := aws.ToString(out.(*elb.CreateListenerOutput).Listeners[0].ListenerArn)
			return &made{physical: arn, attrs: map[string]any{"ListenerArn": arn}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("elasticloadbalancing", "DeleteListener", &elb.DeleteListenerInput{ListenerArn: &r.Physical})
			return err
		},
	}
	types["AWS::EFS::FileSystem"] = rtype{
		props: []string{"PerformanceMode", "ThroughputMode", "Encrypted", "KmsKeyId", "ProvisionedThroughputInMibps", "FileSystemTags", "AvailabilityZoneName", "BackupPolicy", "LifecyclePolicies", "FileSystemPolicy", "BypassPolicyLockoutSafetyCheck", "FileSystemProtection", "ReplicationConfiguration"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			in := &efs.CreateFileSystemInput{CreationToken: aws.String(m.name(logical, 64, false)), Encrypted: p.boolean("Encrypted"), KmsKeyId: p.sp("KmsKeyId"),
				AvailabilityZoneName: p.sp("AvailabilityZoneName")}
			if s := p.str("PerformanceMode"); s != "" {
				in.PerformanceMode = efstypes.PerformanceMode(s)
			}
			if s := p.str("ThroughputMode"); s != "" {
				in.ThroughputMode = efstypes.ThroughputMode(s)
			}
			for _, t := range p.objects("FileSystemTags") {
				in.Tags = append(in.Tags, efstypes.Tag{Key: t.sp("Key"), Value: t.sp("Value")})
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("elasticfilesystem", "CreateFileSystem", in)
			if err != nil {
				return nil, err
			}
			fs := out.(*efs.CreateFileSystemOutput)
			id := aws.ToString(fs.FileSystemId)
			return &made{physical: id, attrs: map[string]any{"FileSystemId": id, "Arn": aws.ToString(fs.FileSystemArn)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("elasticfilesystem", "DeleteFileSystem", &efs.DeleteFileSystemInput{FileSystemId: &r.Physical})
			return err
		},
	}
	types["AWS::EFS::MountTarget"] = rtype{
		props: []string{"FileSystemId", "SubnetId", "SecurityGroups", "IpAddress", "IpAddressType", "Ipv6Address"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("FileSystemId", "SubnetId", "SecurityGroups")
			in := &efs.CreateMountTargetInput{FileSystemId: p.sp("FileSystemId"), SubnetId: p.sp("SubnetId"), SecurityGroups: p.strs("SecurityGroups"), IpAddress: p.sp("IpAddress")}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("elasticfilesystem", "CreateMountTarget", in)
			if err != nil {
				return nil, err
			}
			mt := out.(*efs.CreateMountTargetOutput)
			id := aws.ToString(mt.MountTargetId)
			return &made{physical: id, attrs: map[string]any{"Id": id, "IpAddress": aws.ToString(mt.IpAddress)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("elasticfilesystem", "DeleteMountTarget", &efs.DeleteMountTargetInput{MountTargetId: &r.Physical})
			return err
		},
	}
	types["AWS::RDS::DBSubnetGroup"] = rtype{
		props: []string{"DBSubnetGroupName", "DBSubnetGroupDescription", "SubnetIds", "Tags"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("DBSubnetGroupDescription", "SubnetIds")
			name := p.str("DBSubnetGroupName")
			if name == "" {
				name = m.name(logical, 255, true)
			}
			in := &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: &name, DBSubnetGroupDescription: p.sp("DBSubnetGroupDescription"), SubnetIds: p.strs("SubnetIds")}
			for _, t := range p.tags() {
				in.Tags = append(in.Tags, rdstypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
			}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("rds", "CreateDBSubnetGroup", in); err != nil {
				return nil, err
			}
			return &made{physical: name}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("rds", "DeleteDBSubnetGroup", &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: &r.Physical})
			return err
		},
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
