package cfnsim

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/s3sim"
)

// maker makes and deletes the resources of one stack operation, through the door as the
// caller in ctx.
type maker struct {
	s     *Store
	ctx   context.Context
	stack *stack
}

func (m *maker) do(service, op string, in any) (any, error) {
	if m.s.call == nil {
		return nil, core.Errorf(core.NotImplemented, "the simulator does not make %s resources here", service)
	}
	return m.s.call(m.ctx, service, op, in)
}

// s3 calls an S3 operation on a bucket: S3's handlers take its REST requests, not the
// SDK's inputs.
func (m *maker) s3(method, bucket string, query url.Values, body []byte) error {
	h := http.Header{}
	if body != nil {
		sum := md5.Sum(body)
		h.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	op, req, err := s3sim.InternalRequest(method, bucket, "", query, h, body)
	if err != nil {
		return err
	}
	_, err = m.do("s3", op, req)
	return err
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// name is a generated physical name: stack-Logical-RANDOM, at most max characters.
func (m *maker) name(logical string, max int, lower bool) string {
	suffix := m.s.ids.Unique("")[:12]
	base := m.stack.Name + "-" + logical
	if len(base)+13 > max {
		base = base[:max-13]
	}
	n := base + "-" + suffix
	if lower {
		n = strings.ToLower(n)
	}
	return n
}

// made is what creating a resource gives: its physical ID, Ref value, attributes, and what
// deleting it needs.
type made struct {
	physical, ref string
	attrs         map[string]any
	extra         map[string]string
}

// rtype is one resource type.
type rtype struct {
	props  []string
	create func(m *maker, logical string, p *props) (*made, error)
	delete func(m *maker, r *resource) error
	// iam marks IAM resources, which need CAPABILITY_IAM, or CAPABILITY_NAMED_IAM when
	// named by nameProp.
	iam      bool
	nameProp string
}

var tagProps = []string{"Tags"}

func ec2Tags(kind ec2types.ResourceType, t []tag) []ec2types.TagSpecification {
	if len(t) == 0 {
		return nil
	}
	var tags []ec2types.Tag
	for _, x := range t {
		tags = append(tags, ec2types.Tag{Key: aws.String(x.Key), Value: aws.String(x.Value)})
	}
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: tags}}
}

var types = map[string]rtype{
	"AWS::EC2::VPC": {
		props: []string{"CidrBlock", "EnableDnsHostnames", "EnableDnsSupport", "InstanceTenancy", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Tags"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			in := &ec2.CreateVpcInput{CidrBlock: p.sp("CidrBlock"), TagSpecifications: ec2Tags(ec2types.ResourceTypeVpc, p.tags())}
			if t := p.str("InstanceTenancy"); t != "" {
				in.InstanceTenancy = ec2types.Tenancy(t)
			}
			dnsHost, dnsSupport := p.boolean("EnableDnsHostnames"), p.boolean("EnableDnsSupport")
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateVpc", in)
			if err != nil {
				return nil, err
			}
			vpc := out.(*ec2.CreateVpcOutput).Vpc
			id := aws.ToString(vpc.VpcId)
			if dnsSupport != nil {
				if _, err := m.do("ec2", "ModifyVpcAttribute", &ec2.ModifyVpcAttributeInput{VpcId: &id, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: dnsSupport}}); err != nil {
					return &made{physical: id}, err
				}
			}
			if dnsHost != nil {
				if _, err := m.do("ec2", "ModifyVpcAttribute", &ec2.ModifyVpcAttributeInput{VpcId: &id, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: dnsHost}}); err != nil {
					return &made{physical: id}, err
				}
			}
			attrs := map[string]any{"VpcId": id, "CidrBlock": aws.ToString(vpc.CidrBlock), "CidrBlockAssociations": []any{}, "Ipv6CidrBlocks": []any{}}
			for _, a := range vpc.CidrBlockAssociationSet {
				attrs["CidrBlockAssociations"] = append(attrs["CidrBlockAssociations"].([]any), aws.ToString(a.AssociationId))
			}
			if g, err := m.do("ec2", "DescribeSecurityGroups", &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("group-name"), Values: []string{"default"}}}}); err == nil {
				if gs := g.(*ec2.DescribeSecurityGroupsOutput).SecurityGroups; len(gs) > 0 {
					attrs["DefaultSecurityGroup"] = aws.ToString(gs[0].GroupId)
				}
			}
			if a, err := m.do("ec2", "DescribeNetworkAcls", &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("default"), Values: []string{"true"}}}}); err == nil {
				if as := a.(*ec2.DescribeNetworkAclsOutput).NetworkAcls; len(as) > 0 {
					attrs["DefaultNetworkAcl"] = aws.ToString(as[0].NetworkAclId)
				}
			}
			return &made{physical: id, attrs: attrs}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteVpc", &ec2.DeleteVpcInput{VpcId: &r.Physical})
			return err
		},
	},
	"AWS::EC2::Subnet": {
		props: []string{"AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "MapPublicIpOnLaunch", "VpcId", "Tags", "Ipv6CidrBlock", "AssignIpv6AddressOnCreation", "EnableDns64", "Ipv6Native", "OutpostArn", "PrivateDnsNameOptionsOnLaunch"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("VpcId")
			in := &ec2.CreateSubnetInput{VpcId: p.sp("VpcId"), CidrBlock: p.sp("CidrBlock"), AvailabilityZone: p.sp("AvailabilityZone"),
				AvailabilityZoneId: p.sp("AvailabilityZoneId"), TagSpecifications: ec2Tags(ec2types.ResourceTypeSubnet, p.tags())}
			public := p.boolean("MapPublicIpOnLaunch")
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateSubnet", in)
			if err != nil {
				return nil, err
			}
			sn := out.(*ec2.CreateSubnetOutput).Subnet
			id := aws.ToString(sn.SubnetId)
			if public != nil && *public {
				if _, err := m.do("ec2", "ModifySubnetAttribute", &ec2.ModifySubnetAttributeInput{SubnetId: &id, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: public}}); err != nil {
					return &made{physical: id}, err
				}
			}
			attrs := map[string]any{"SubnetId": id, "VpcId": aws.ToString(sn.VpcId), "CidrBlock": aws.ToString(sn.CidrBlock),
				"AvailabilityZone": aws.ToString(sn.AvailabilityZone), "AvailabilityZoneId": aws.ToString(sn.AvailabilityZoneId), "Ipv6CidrBlocks": []any{}, "OutpostArn": ""}
			if a, err := m.do("ec2", "DescribeNetworkAcls", &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{id}}}}); err == nil {
				for _, acl := range a.(*ec2.DescribeNetworkAclsOutput).NetworkAcls {
					for _, as := range acl.Associations {
						if aws.ToString(as.SubnetId) == id {
							attrs["NetworkAclAssociationId"] = aws.ToString(as.NetworkAclAssociationId)
						}
					}
				}
			}
			return &made{physical: id, attrs: attrs}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteSubnet", &ec2.DeleteSubnetInput{SubnetId: &r.Physical})
			return err
		},
	},
	"AWS::EC2::InternetGateway": {
		props: tagProps,
		create: func(m *maker, logical string, p *props) (*made, error) {
			in := &ec2.CreateInternetGatewayInput{TagSpecifications: ec2Tags(ec2types.ResourceTypeInternetGateway, p.tags())}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateInternetGateway", in)
			if err != nil {
				return nil, err
			}
			id := aws.ToString(out.(*ec2.CreateInternetGatewayOutput).InternetGateway.InternetGatewayId)
			return &made{physical: id, attrs: map[string]any{"InternetGatewayId": id}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteInternetGateway", &ec2.DeleteInternetGatewayInput{InternetGatewayId: &r.Physical})
			return err
		},
	},
	"AWS::EC2::VPCGatewayAttachment": {
		props: []string{"VpcId", "InternetGatewayId", "VpnGatewayId"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("VpcId")
			vpc, igw := p.str("VpcId"), p.str("InternetGatewayId")
			if p.err == nil && igw == "" {
				p.fail("Property InternetGatewayId cannot be empty.") // VPN gateways are not simulated
			}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("ec2", "AttachInternetGateway", &ec2.AttachInternetGatewayInput{VpcId: &vpc, InternetGatewayId: &igw}); err != nil {
				return nil, err
			}
			id := "IGW|" + vpc
			return &made{physical: id, attrs: map[string]any{"AttachmentType": "InternetGateway"}, extra: map[string]string{"vpc": vpc, "igw": igw}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DetachInternetGateway", &ec2.DetachInternetGatewayInput{VpcId: aws.String(r.Extra["vpc"]), InternetGatewayId: aws.String(r.Extra["igw"])})
			return err
		},
	},
	"AWS::EC2::RouteTable": {
		props: []string{"VpcId", "Tags"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("VpcId")
			in := &ec2.CreateRouteTableInput{VpcId: p.sp("VpcId"), TagSpecifications: ec2Tags(ec2types.ResourceTypeRouteTable, p.tags())}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateRouteTable", in)
			if err != nil {
				return nil, err
			}
			id := aws.ToString(out.(*ec2.CreateRouteTableOutput).RouteTable.RouteTableId)
			return &made{physical: id, attrs: map[string]any{"RouteTableId": id}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteRouteTable", &ec2.DeleteRouteTableInput{RouteTableId: &r.Physical})
			return err
		},
	},
	"AWS::EC2::Route": {
		props: []string{"RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId", "GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId", "VpcPeeringConnectionId", "TransitGatewayId", "EgressOnlyInternetGatewayId", "CarrierGatewayId", "VpcEndpointId", "LocalGatewayId", "CoreNetworkArn"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("RouteTableId")
			in := &ec2.CreateRouteInput{RouteTableId: p.sp("RouteTableId"), DestinationCidrBlock: p.sp("DestinationCidrBlock"),
				DestinationIpv6CidrBlock: p.sp("DestinationIpv6CidrBlock"), DestinationPrefixListId: p.sp("DestinationPrefixListId"),
				GatewayId: p.sp("GatewayId"), NatGatewayId: p.sp("NatGatewayId"), InstanceId: p.sp("InstanceId"),
				NetworkInterfaceId: p.sp("NetworkInterfaceId"), VpcPeeringConnectionId: p.sp("VpcPeeringConnectionId"),
				TransitGatewayId: p.sp("TransitGatewayId"), EgressOnlyInternetGatewayId: p.sp("EgressOnlyInternetGatewayId"),
				CarrierGatewayId: p.sp("CarrierGatewayId"), VpcEndpointId: p.sp("VpcEndpointId"), LocalGatewayId: p.sp("LocalGatewayId")}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("ec2", "CreateRoute", in); err != nil {
				return nil, err
			}
			dest := aws.ToString(in.DestinationCidrBlock) + aws.ToString(in.DestinationIpv6CidrBlock) + aws.ToString(in.DestinationPrefixListId)
			id := aws.ToString(in.RouteTableId) + "|" + dest
			extra := map[string]string{"table": aws.ToString(in.RouteTableId)}
			switch {
			case in.DestinationCidrBlock != nil:
				extra["cidr"] = dest
			case in.DestinationIpv6CidrBlock != nil:
				extra["cidr6"] = dest
			default:
				extra["prefix"] = dest
			}
			return &made{physical: id, attrs: map[string]any{"CidrBlock": dest}, extra: extra}, nil
		},
		delete: func(m *maker, r *resource) error {
			in := &ec2.DeleteRouteInput{RouteTableId: aws.String(r.Extra["table"])}
			if c, ok := r.Extra["cidr"]; ok {
				in.DestinationCidrBlock = &c
			} else if c, ok := r.Extra["cidr6"]; ok {
				in.DestinationIpv6CidrBlock = &c
			} else {
				in.DestinationPrefixListId = aws.String(r.Extra["prefix"])
			}
			_, err := m.do("ec2", "DeleteRoute", in)
			return err
		},
	},
	"AWS::EC2::SubnetRouteTableAssociation": {
		props: []string{"SubnetId", "RouteTableId"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("SubnetId", "RouteTableId")
			in := &ec2.AssociateRouteTableInput{SubnetId: p.sp("SubnetId"), RouteTableId: p.sp("RouteTableId")}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "AssociateRouteTable", in)
			if err != nil {
				return nil, err
			}
			id := aws.ToString(out.(*ec2.AssociateRouteTableOutput).AssociationId)
			return &made{physical: id, attrs: map[string]any{"Id": id}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DisassociateRouteTable", &ec2.DisassociateRouteTableInput{AssociationId: &r.Physical})
			return err
		},
	},
	"AWS::EC2::SecurityGroup": {
		props:  []string{"GroupDescription", "GroupName", "SecurityGroupIngress", "SecurityGroupEgress", "VpcId", "Tags"},
		create: createGroup,
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteSecurityGroup", &ec2.DeleteSecurityGroupInput{GroupId: aws.String(r.Extra["id"])})
			return err
		},
	},
	"AWS::EC2::SecurityGroupIngress": {
		props: append([]string{"GroupId", "GroupName"}, ruleProps...),
		create: func(m *maker, logical string, p *props) (*made, error) {
			perm := permission(p, "Source")
			in := &ec2.AuthorizeSecurityGroupIngressInput{GroupId: p.sp("GroupId"), GroupName: p.sp("GroupName"), IpPermissions: []ec2types.IpPermission{perm}}
			if p.err == nil && !p.has("IpProtocol") {
				p.fail("Property IpProtocol cannot be empty.")
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "AuthorizeSecurityGroupIngress", in)
			if err != nil {
				return nil, err
			}
			var id string
			if rs := out.(*ec2.AuthorizeSecurityGroupIngressOutput).SecurityGroupRules; len(rs) > 0 {
				id = aws.ToString(rs[0].SecurityGroupRuleId)
			}
			return &made{physical: id, attrs: map[string]any{"Id": id}, extra: map[string]string{"group": aws.ToString(in.GroupId), "groupName": aws.ToString(in.GroupName)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			in := &ec2.RevokeSecurityGroupIngressInput{SecurityGroupRuleIds: []string{r.Physical}}
			if g := r.Extra["group"]; g != "" {
				in.GroupId = &g
			} else {
				in.GroupName = aws.String(r.Extra["groupName"])
			}
			_, err := m.do("ec2", "RevokeSecurityGroupIngress", in)
			return err
		},
	},
	"AWS::EC2::Instance": {
		props:  []string{"ImageId", "InstanceType", "KeyName", "SubnetId", "SecurityGroupIds", "SecurityGroups", "UserData", "IamInstanceProfile", "Tags", "AvailabilityZone", "PrivateIpAddress", "Monitoring", "DisableApiTermination", "EbsOptimized", "NetworkInterfaces", "InstanceInitiatedShutdownBehavior", "Tenancy", "SourceDestCheck", "BlockDeviceMappings", "CreditSpecification", "Volumes"},
		create: createInstance,
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "TerminateInstances", &ec2.TerminateInstancesInput{InstanceIds: []string{r.Physical}})
			return err
		},
	},
	"AWS::EC2::EIP": {
		props: []string{"Domain", "InstanceId", "Tags", "NetworkBorderGroup", "PublicIpv4Pool", "TransferAddress", "IpamPoolId", "Address"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			in := &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, NetworkBorderGroup: p.sp("NetworkBorderGroup"), TagSpecifications: ec2Tags(ec2types.ResourceTypeElasticIp, p.tags())}
			inst := p.str("InstanceId")
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "AllocateAddress", in)
			if err != nil {
				return nil, err
			}
			a := out.(*ec2.AllocateAddressOutput)
			ip, alloc := aws.ToString(a.PublicIp), aws.ToString(a.AllocationId)
			md := &made{physical: ip, attrs: map[string]any{"PublicIp": ip, "AllocationId": alloc}, extra: map[string]string{"alloc": alloc}}
			if inst != "" {
				as, err := m.do("ec2", "AssociateAddress", &ec2.AssociateAddressInput{AllocationId: &alloc, InstanceId: &inst})
				if err != nil {
					return md, err
				}
				md.extra["assoc"] = aws.ToString(as.(*ec2.AssociateAddressOutput).AssociationId)
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			if a := r.Extra["assoc"]; a != "" {
				if _, err := m.do("ec2", "DisassociateAddress", &ec2.DisassociateAddressInput{AssociationId: &a}); err != nil && !notFound(err) {
					return err
				}
			}
			_, err := m.do("ec2", "ReleaseAddress", &ec2.ReleaseAddressInput{AllocationId: aws.String(r.Extra["alloc"])})
			return err
		},
	},
	"AWS::EC2::NatGateway": {
		props: []string{"SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress", "Tags", "SecondaryAllocationIds", "SecondaryPrivateIpAddresses", "SecondaryPrivateIpAddressCount", "MaxDrainDurationSeconds"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("SubnetId")
			in := &ec2.CreateNatGatewayInput{SubnetId: p.sp("SubnetId"), AllocationId: p.sp("AllocationId"), PrivateIpAddress: p.sp("PrivateIpAddress"),
				TagSpecifications: ec2Tags(ec2types.ResourceTypeNatgateway, p.tags())}
			if t := p.str("ConnectivityType"); t != "" {
				in.ConnectivityType = ec2types.ConnectivityType(t)
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateNatGateway", in)
			if err != nil {
				return nil, err
			}
			id := aws.ToString(out.(*ec2.CreateNatGatewayOutput).NatGateway.NatGatewayId)
			return &made{physical: id, attrs: map[string]any{"NatGatewayId": id}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteNatGateway", &ec2.DeleteNatGatewayInput{NatGatewayId: &r.Physical})
			return err
		},
	},
	"AWS::S3::Bucket": {
		props: []string{"BucketName", "Tags", "VersioningConfiguration"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			name := p.str("BucketName")
			if name == "" {
				name = m.name(logical, 63, true)
			}
			var status string
			if v := p.object("VersioningConfiguration"); v != nil {
				status = v.str("Status")
				if v.err != nil {
					p.fail("%v", v.err)
				}
			}
			tags := p.tags()
			if p.err != nil {
				return nil, p.err
			}
			var config []byte
			if r := m.stack.Region; r != "us-east-1" {
				config = []byte(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>` + r + `</LocationConstraint></CreateBucketConfiguration>`)
			}
			if err := m.s3("PUT", name, nil, config); err != nil {
				return nil, err
			}
			md := &made{physical: name, attrs: map[string]any{"Arn": "arn:aws:s3:::" + name, "DomainName": name + ".s3.amazonaws.com",
				"RegionalDomainName": name + ".s3." + m.stack.Region + ".amazonaws.com", "DualStackDomainName": name + ".s3.dualstack." + m.stack.Region + ".amazonaws.com",
				"WebsiteURL": "http://" + name + ".s3-website-" + m.stack.Region + ".amazonaws.com"}}
			if status != "" {
				doc := `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>` + xmlText(status) + `</Status></VersioningConfiguration>`
				if err := m.s3("PUT", name, url.Values{"versioning": {""}}, []byte(doc)); err != nil {
					return md, err
				}
			}
			if len(tags) > 0 {
				var doc strings.Builder
				doc.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
				for _, t := range tags {
					doc.WriteString("<Tag><Key>" + xmlText(t.Key) + "</Key><Value>" + xmlText(t.Value) + "</Value></Tag>")
				}
				doc.WriteString("</TagSet></Tagging>")
				if err := m.s3("PUT", name, url.Values{"tagging": {""}}, []byte(doc.String())); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			return m.s3("DELETE", r.Physical, nil, nil)
		},
	},
	"AWS::S3::BucketPolicy": {
		props: []string{"Bucket", "PolicyDocument"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("Bucket", "PolicyDocument")
			b, doc := p.str("Bucket"), p.document("PolicyDocument")
			if p.err != nil {
				return nil, p.err
			}
			if err := m.s3("PUT", b, url.Values{"policy": {""}}, []byte(doc)); err != nil {
				return nil, err
			}
			return &made{physical: m.name(logical, 128, false), extra: map[string]string{"bucket": b}}, nil
		},
		delete: func(m *maker, r *resource) error {
			return m.s3("DELETE", r.Extra["bucket"], url.Values{"policy": {""}}, nil)
		},
	},
	"AWS::IAM::Role": {
		iam: true, nameProp: "RoleName",
		props:  []string{"AssumeRolePolicyDocument", "RoleName", "Path", "Policies", "ManagedPolicyArns", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags"},
		create: createRole,
		delete: func(m *maker, r *resource) error {
			name := r.Physical
			if out, err := m.do("iam", "ListAttachedRolePolicies", &iam.ListAttachedRolePoliciesInput{RoleName: &name}); err == nil {
				for _, a := range out.(*iam.ListAttachedRolePoliciesOutput).AttachedPolicies {
					if _, err := m.do("iam", "DetachRolePolicy", &iam.DetachRolePolicyInput{RoleName: &name, PolicyArn: a.PolicyArn}); err != nil {
						return err
					}
				}
			}
			if out, err := m.do("iam", "ListRolePolicies", &iam.ListRolePoliciesInput{RoleName: &name}); err == nil {
				for _, pn := range out.(*iam.ListRolePoliciesOutput).PolicyNames {
					if _, err := m.do("iam", "DeleteRolePolicy", &iam.DeleteRolePolicyInput{RoleName: &name, PolicyName: aws.String(pn)}); err != nil {
						return err
					}
				}
			}
			_, err := m.do("iam", "DeleteRole", &iam.DeleteRoleInput{RoleName: &name})
			return err
		},
	},
	"AWS::IAM::InstanceProfile": {
		iam: true, nameProp: "InstanceProfileName",
		props: []string{"InstanceProfileName", "Path", "Roles"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("Roles")
			name := p.str("InstanceProfileName")
			if name == "" {
				name = m.name(logical, 128, false)
			}
			roles := p.strs("Roles")
			in := &iam.CreateInstanceProfileInput{InstanceProfileName: &name, Path: p.sp("Path")}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("iam", "CreateInstanceProfile", in)
			if err != nil {
				return nil, err
			}
			md := &made{physical: name, attrs: map[string]any{"Arn": aws.ToString(out.(*iam.CreateInstanceProfileOutput).InstanceProfile.Arn)}}
			for _, r := range roles {
				if _, err := m.do("iam", "AddRoleToInstanceProfile", &iam.AddRoleToInstanceProfileInput{InstanceProfileName: &name, RoleName: aws.String(r)}); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			name := r.Physical
			if out, err := m.do("iam", "GetInstanceProfile", &iam.GetInstanceProfileInput{InstanceProfileName: &name}); err == nil {
				for _, role := range out.(*iam.GetInstanceProfileOutput).InstanceProfile.Roles {
					if _, err := m.do("iam", "RemoveRoleFromInstanceProfile", &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: &name, RoleName: role.RoleName}); err != nil {
						return err
					}
				}
			}
			_, err := m.do("iam", "DeleteInstanceProfile", &iam.DeleteInstanceProfileInput{InstanceProfileName: &name})
			return err
		},
	},
	"AWS::IAM::Policy": {
		iam:   true,
		props: []string{"PolicyName", "PolicyDocument", "Roles", "Users", "Groups"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("PolicyName", "PolicyDocument")
			name, doc := p.str("PolicyName"), p.document("PolicyDocument")
			roles, users, groups := p.strs("Roles"), p.strs("Users"), p.strs("Groups")
			if p.err == nil && len(roles)+len(users)+len(groups) == 0 {
				p.fail("At least one of [Groups,Roles,Users] must be non-empty.")
			}
			if p.err != nil {
				return nil, p.err
			}
			md := &made{physical: m.name(logical, 128, false), extra: map[string]string{"name": name,
				"roles": strings.Join(roles, ","), "users": strings.Join(users, ","), "groups": strings.Join(groups, ",")}}
			for _, r := range roles {
				if _, err := m.do("iam", "PutRolePolicy", &iam.PutRolePolicyInput{RoleName: aws.String(r), PolicyName: &name, PolicyDocument: &doc}); err != nil {
					return md, err
				}
			}
			for _, u := range users {
				if _, err := m.do("iam", "PutUserPolicy", &iam.PutUserPolicyInput{UserName: aws.String(u), PolicyName: &name, PolicyDocument: &doc}); err != nil {
					return md, err
				}
			}
			for _, g := range groups {
				if _, err := m.do("iam", "PutGroupPolicy", &iam.PutGroupPolicyInput{GroupName: aws.String(g), PolicyName: &name, PolicyDocument: &doc}); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			name := aws.String(r.Extra["name"])
			for _, x := range splitList(r.Extra["roles"]) {
				if _, err := m.do("iam", "DeleteRolePolicy", &iam.DeleteRolePolicyInput{RoleName: aws.String(x), PolicyName: name}); err != nil && !notFound(err) {
					return err
				}
			}
			for _, x := range splitList(r.Extra["users"]) {
				if _, err := m.do("iam", "DeleteUserPolicy", &iam.DeleteUserPolicyInput{UserName: aws.String(x), PolicyName: name}); err != nil && !notFound(err) {
					return err
				}
			}
			for _, x := range splitList(r.Extra["groups"]) {
				if _, err := m.do("iam", "DeleteGroupPolicy", &iam.DeleteGroupPolicyInput{GroupName: aws.String(x), PolicyName: name}); err != nil && !notFound(err) {
					return err
				}
			}
			return nil
		},
	},
	"AWS::IAM::ManagedPolicy": {
		iam: true, nameProp: "ManagedPolicyName",
		props: []string{"ManagedPolicyName", "PolicyDocument", "Roles", "Users", "Groups", "Path", "Description"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("PolicyDocument")
			name := p.str("ManagedPolicyName")
			if name == "" {
				name = m.name(logical, 128, false)
			}
			in := &iam.CreatePolicyInput{PolicyName: &name, PolicyDocument: aws.String(p.document("PolicyDocument")), Path: p.sp("Path"), Description: p.sp("Description")}
			roles, users, groups := p.strs("Roles"), p.strs("Users"), p.strs("Groups")
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("iam", "CreatePolicy", in)
			if err != nil {
				return nil, err
			}
			pol := out.(*iam.CreatePolicyOutput).Policy
			arn := aws.ToString(pol.Arn)
			md := &made{physical: arn, attrs: map[string]any{"PolicyArn": arn, "PolicyId": aws.ToString(pol.PolicyId), "DefaultVersionId": aws.ToString(pol.DefaultVersionId),
				"AttachmentCount": "0", "IsAttachable": "true", "CreateDate": "", "UpdateDate": ""}}
			for _, r := range roles {
				if _, err := m.do("iam", "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: aws.String(r), PolicyArn: &arn}); err != nil {
					return md, err
				}
			}
			for _, u := range users {
				if _, err := m.do("iam", "AttachUserPolicy", &iam.AttachUserPolicyInput{UserName: aws.String(u), PolicyArn: &arn}); err != nil {
					return md, err
				}
			}
			for _, g := range groups {
				if _, err := m.do("iam", "AttachGroupPolicy", &iam.AttachGroupPolicyInput{GroupName: aws.String(g), PolicyArn: &arn}); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			arn := &r.Physical
			if out, err := m.do("iam", "ListEntitiesForPolicy", &iam.ListEntitiesForPolicyInput{PolicyArn: arn}); err == nil {
				o := out.(*iam.ListEntitiesForPolicyOutput)
				for _, x := range o.PolicyRoles {
					if _, err := m.do("iam", "DetachRolePolicy", &iam.DetachRolePolicyInput{RoleName: x.RoleName, PolicyArn: arn}); err != nil {
						return err
					}
				}
				for _, x := range o.PolicyUsers {
					if _, err := m.do("iam", "DetachUserPolicy", &iam.DetachUserPolicyInput{UserName: x.UserName, PolicyArn: arn}); err != nil {
						return err
					}
				}
				for _, x := range o.PolicyGroups {
					if _, err := m.do("iam", "DetachGroupPolicy", &iam.DetachGroupPolicyInput{GroupName: x.GroupName, PolicyArn: arn}); err != nil {
						return err
					}
				}
			}
			_, err := m.do("iam", "DeletePolicy", &iam.DeletePolicyInput{PolicyArn: arn})
			return err
		},
	},
	"AWS::SSM::Parameter": {
		props: []string{"Name", "Type", "Value", "Description", "AllowedPattern", "Tier", "Tags", "DataType", "Policies"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("Type", "Value")
			name := p.str("Name")
			if name == "" {
				name = "CFN-" + m.name(logical, 128, false)
			}
			in := &ssm.PutParameterInput{Name: &name, Value: p.sp("Value"), Type: ssmtypes.ParameterType(p.str("Type")), Description: p.sp("Description"),
				AllowedPattern: p.sp("AllowedPattern"), DataType: p.sp("DataType")}
			if t := p.str("Tier"); t != "" {
				in.Tier = ssmtypes.ParameterTier(t)
			}
			if o := p.object("Tags"); o != nil {
				for k, v := range o.m {
					s, _ := v.(string)
					in.Tags = append(in.Tags, ssmtypes.Tag{Key: aws.String(k), Value: aws.String(s)})
				}
			}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("ssm", "PutParameter", in); err != nil {
				return nil, err
			}
			return &made{physical: name, attrs: map[string]any{"Type": string(in.Type), "Value": aws.ToString(in.Value)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ssm", "DeleteParameter", &ssm.DeleteParameterInput{Name: &r.Physical})
			return err
		},
	},
	"AWS::SNS::Topic": {
		props: []string{"TopicName", "DisplayName", "Subscription", "Tags", "FifoTopic", "ContentBasedDeduplication", "KmsMasterKeyId"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			name := p.str("TopicName")
			fifo := p.boolean("FifoTopic")
			if name == "" {
				name = m.name(logical, 256, false)
				if fifo != nil && *fifo {
					name = m.name(logical, 251, false) + ".fifo"
				}
			}
			in := &sns.CreateTopicInput{Name: &name, Attributes: map[string]string{}}
			if d := p.str("DisplayName"); d != "" {
				in.Attributes["DisplayName"] = d
			}
			if fifo != nil && *fifo {
				in.Attributes["FifoTopic"] = "true"
			}
			subs := p.objects("Subscription")
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("sns", "CreateTopic", in)
			if err != nil {
				return nil, err
			}
			arn := aws.ToString(out.(*sns.CreateTopicOutput).TopicArn)
			md := &made{physical: arn, attrs: map[string]any{"TopicArn": arn, "TopicName": name}}
			for _, sp := range subs {
				if _, err := m.do("sns", "Subscribe", &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String(sp.str("Protocol")), Endpoint: aws.String(sp.str("Endpoint"))}); err != nil {
					return md, err
				}
			}
			return md, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("sns", "DeleteTopic", &sns.DeleteTopicInput{TopicArn: &r.Physical})
			return err
		},
	},
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func notFound(err error) bool {
	var e *core.Error
	return errors.As(err, &e) && strings.Contains(string(e.Code), "NotFound")
}

var ruleProps = []string{"IpProtocol", "FromPort", "ToPort", "CidrIp", "CidrIpv6", "Description", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId", "SourcePrefixListId", "DestinationSecurityGroupId", "DestinationPrefixListId"}

// permission is one rule of a security group property.
func permission(p *props, side string) ec2types.IpPermission {
	perm := ec2types.IpPermission{IpProtocol: p.sp("IpProtocol"), FromPort: p.i32("FromPort"), ToPort: p.i32("ToPort")}
	desc := p.sp("Description")
	if c := p.str("CidrIp"); c != "" {
		perm.IpRanges = []ec2types.IpRange{{CidrIp: &c, Description: desc}}
	}
	if c := p.str("CidrIpv6"); c != "" {
		perm.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: &c, Description: desc}}
	}
	if g := p.str(side + "SecurityGroupId"); g != "" {
		perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: &g, Description: desc, UserId: p.sp(side + "SecurityGroupOwnerId")}}
	} else if g := p.str(side + "SecurityGroupName"); g != "" {
		perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupName: &g, Description: desc}}
	}
	if l := p.str(side + "PrefixListId"); l != "" {
		perm.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: &l, Description: desc}}
	}
	return perm
}

func createGroup(m *maker, logical string, p *props) (*made, error) {
	p.require("GroupDescription")
	name := p.str("GroupName")
	if name == "" {
		name = m.name(logical, 255, false)
	}
	in := &ec2.CreateSecurityGroupInput{GroupName: &name, Description: p.sp("GroupDescription"), VpcId: p.sp("VpcId"),
		TagSpecifications: ec2Tags(ec2types.ResourceTypeSecurityGroup, p.tags())}
	var ingress, egress []ec2types.IpPermission
	for _, r := range p.objects("SecurityGroupIngress") {
		r.only(ruleProps)
		ingress = append(ingress, permission(r, "Source"))
		if r.err != nil {
			p.fail("%v", r.err)
		}
	}
	for _, r := range p.objects("SecurityGroupEgress") {
		r.only(ruleProps)
		egress = append(egress, permission(r, "Destination"))
		if r.err != nil {
			p.fail("%v", r.err)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	out, err := m.do("ec2", "CreateSecurityGroup", in)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(out.(*ec2.CreateSecurityGroupOutput).GroupId)
	ref := name
	if in.VpcId != nil {
		ref = id
	}
	md := &made{physical: ref, attrs: map[string]any{"GroupId": id, "VpcId": aws.ToString(in.VpcId)}, extra: map[string]string{"id": id}}
	if len(ingress) > 0 {
		if _, err := m.do("ec2", "AuthorizeSecurityGroupIngress", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &id, IpPermissions: ingress}); err != nil {
			return md, err
		}
	}
	if len(egress) > 0 && in.VpcId != nil {
		all := ec2types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}
		if _, err := m.do("ec2", "RevokeSecurityGroupEgress", &ec2.RevokeSecurityGroupEgressInput{GroupId: &id, IpPermissions: []ec2types.IpPermission{all}}); err != nil {
			return md, err
		}
		if _, err := m.do("ec2", "AuthorizeSecurityGroupEgress", &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &id, IpPermissions: egress}); err != nil {
			return md, err
		}
	}
	return md, nil
}

func createInstance(m *maker, logical string, p *props) (*made, error) {
	in := &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), ImageId: p.sp("ImageId"), KeyName: p.sp("KeyName"),
		SubnetId: p.sp("SubnetId"), SecurityGroupIds: p.strs("SecurityGroupIds"), SecurityGroups: p.strs("SecurityGroups"),
		UserData: p.sp("UserData"), PrivateIpAddress: p.sp("PrivateIpAddress"), DisableApiTermination: p.boolean("DisableApiTermination"),
		EbsOptimized: p.boolean("EbsOptimized"), TagSpecifications: ec2Tags(ec2types.ResourceTypeInstance, p.tags())}
	if t := p.str("InstanceType"); t != "" {
		in.InstanceType = ec2types.InstanceType(t)
	} else {
		in.InstanceType = ec2types.InstanceTypeM1Small // CloudFormation's default
	}
	if z := p.str("AvailabilityZone"); z != "" {
		in.Placement = &ec2types.Placement{AvailabilityZone: &z}
	}
	if b := p.str("InstanceInitiatedShutdownBehavior"); b != "" {
		in.InstanceInitiatedShutdownBehavior = ec2types.ShutdownBehavior(b)
	}
	if prof := p.str("IamInstanceProfile"); prof != "" {
		if strings.HasPrefix(prof, "arn:") {
			in.IamInstanceProfile = &ec2types.IamInstanceProfileSpecification{Arn: &prof}
		} else {
			in.IamInstanceProfile = &ec2types.IamInstanceProfileSpecification{Name: &prof}
		}
	}
	if mon := p.boolean("Monitoring"); mon != nil {
		in.Monitoring = &ec2types.RunInstancesMonitoringEnabled{Enabled: mon}
	}
	for _, ni := range p.objects("NetworkInterfaces") {
		spec := ec2types.InstanceNetworkInterfaceSpecification{AssociatePublicIpAddress: ni.boolean("AssociatePublicIpAddress"),
			DeviceIndex: ni.i32("DeviceIndex"), SubnetId: ni.sp("SubnetId"), Groups: ni.strs("GroupSet"),
			DeleteOnTermination: ni.boolean("DeleteOnTermination"), Description: ni.sp("Description"),
			NetworkInterfaceId: ni.sp("NetworkInterfaceId"), PrivateIpAddress: ni.sp("PrivateIpAddress")}
		if ni.err != nil {
			p.fail("%v", ni.err)
		}
		in.NetworkInterfaces = append(in.NetworkInterfaces, spec)
	}
	if p.err != nil {
		return nil, p.err
	}
	out, err := m.do("ec2", "RunInstances", in)
	if err != nil {
		return nil, err
	}
	insts := out.(*ec2.RunInstancesOutput).Instances
	if len(insts) == 0 {
		return nil, errors.New("no instance was launched")
	}
	i := insts[0]
	id := aws.ToString(i.InstanceId)
	if d, err := m.do("ec2", "DescribeInstances", &ec2.DescribeInstancesInput{InstanceIds: []string{id}}); err == nil {
		for _, r := range d.(*ec2.DescribeInstancesOutput).Reservations {
			for _, x := range r.Instances {
				i = x
			}
		}
	}
	attrs := map[string]any{"InstanceId": id, "PrivateIp": aws.ToString(i.PrivateIpAddress), "PrivateDnsName": aws.ToString(i.PrivateDnsName),
		"PublicIp": aws.ToString(i.PublicIpAddress), "PublicDnsName": aws.ToString(i.PublicDnsName), "VpcId": aws.ToString(i.VpcId)}
	if i.Placement != nil {
		attrs["AvailabilityZone"] = aws.ToString(i.Placement.AvailabilityZone)
	}
	return &made{physical: id, attrs: attrs}, nil
}

func createRole(m *maker, logical string, p *props) (*made, error) {
	p.require("AssumeRolePolicyDocument")
	name := p.str("RoleName")
	if name == "" {
		name = m.name(logical, 64, false)
	}
	in := &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: aws.String(p.document("AssumeRolePolicyDocument")), Path: p.sp("Path"),
		Description: p.sp("Description"), MaxSessionDuration: p.i32("MaxSessionDuration"), PermissionsBoundary: p.sp("PermissionsBoundary")}
	for _, t := range p.tags() {
		in.Tags = append(in.Tags, iamtypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	type inline struct{ name, doc string }
	var policies []inline
	for _, o := range p.objects("Policies") {
		policies = append(policies, inline{o.str("PolicyName"), o.document("PolicyDocument")})
		if o.err != nil {
			p.fail("%v", o.err)
		}
	}
	managed := p.strs("ManagedPolicyArns")
	if p.err != nil {
		return nil, p.err
	}
	out, err := m.do("iam", "CreateRole", in)
	if err != nil {
		return nil, err
	}
	role := out.(*iam.CreateRoleOutput).Role
	md := &made{physical: name, attrs: map[string]any{"Arn": aws.ToString(role.Arn), "RoleId": aws.ToString(role.RoleId)}}
	for _, pol := range policies {
		if _, err := m.do("iam", "PutRolePolicy", &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String(pol.name), PolicyDocument: aws.String(pol.doc)}); err != nil {
			return md, err
		}
	}
	for _, arn := range managed {
		if _, err := m.do("iam", "AttachRolePolicy", &iam.AttachRolePolicyInput{RoleName: &name, PolicyArn: aws.String(arn)}); err != nil {
			return md, err
		}
	}
	return md, nil
}

// The account checks of the AWS-specific parameter types.

func keyExists(ctx context.Context, s *Store, v string) (bool, error) {
	out, err := s.call(ctx, "ec2", "DescribeKeyPairs", &ec2.DescribeKeyPairsInput{Filters: []ec2types.Filter{{Name: aws.String("key-name"), Values: []string{v}}}})
	if err != nil {
		return false, err
	}
	return len(out.(*ec2.DescribeKeyPairsOutput).KeyPairs) > 0, nil
}

func imageExists(ctx context.Context, s *Store, v string) (bool, error) {
	out, err := s.call(ctx, "ec2", "DescribeImages", &ec2.DescribeImagesInput{Filters: []ec2types.Filter{{Name: aws.String("image-id"), Values: []string{v}}}})
	if err != nil {
		return false, err
	}
	return len(out.(*ec2.DescribeImagesOutput).Images) > 0, nil
}

func vpcExists(ctx context.Context, s *Store, v string) (bool, error) {
	out, err := s.call(ctx, "ec2", "DescribeVpcs", &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{v}}}})
	if err != nil {
		return false, err
	}
	return len(out.(*ec2.DescribeVpcsOutput).Vpcs) > 0, nil
}

func subnetExists(ctx context.Context, s *Store, v string) (bool, error) {
	out, err := s.call(ctx, "ec2", "DescribeSubnets", &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: []string{v}}}})
	if err != nil {
		return false, err
	}
	return len(out.(*ec2.DescribeSubnetsOutput).Subnets) > 0, nil
}

func groupExists(ctx context.Context, s *Store, v string) (bool, error) {
	out, err := s.call(ctx, "ec2", "DescribeSecurityGroups", &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{v}}}})
	if err != nil {
		return false, err
	}
	return len(out.(*ec2.DescribeSecurityGroupsOutput).SecurityGroups) > 0, nil
}

func (s *Store) ssmParameter(ctx context.Context, name string) (string, error) {
	out, err := s.call(ctx, "ssm", "GetParameter", &ssm.GetParameterInput{Name: &name})
	if err != nil {
		return "", invalid("Unable to fetch parameters [%s] from parameter store for this account.", name)
	}
	return aws.ToString(out.(*ssm.GetParameterOutput).Parameter.Value), nil
}

func (s *Store) availabilityZones(ctx context.Context, region string) ([]string, error) {
	out, err := s.call(core.WithRegion(ctx, region), "ec2", "DescribeAvailabilityZones", &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, err
	}
	var zs []string
	for _, z := range out.(*ec2.DescribeAvailabilityZonesOutput).AvailabilityZones {
		zs = append(zs, aws.ToString(z.ZoneName))
	}
	return zs, nil
}
