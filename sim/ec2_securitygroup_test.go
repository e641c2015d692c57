package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// tcp is an inbound permission for TCP ports from..to from cidr.
func tcp(from, to int32, cidr string) types.IpPermission {
	return types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(from), ToPort: aws.Int32(to), IpRanges: []types.IpRange{{CidrIp: aws.String(cidr)}}}
}

func TestEC2SecurityGroups(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		web := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: aws.String("web"), Description: aws.String("web servers"), TagSpecifications: nameTag(types.ResourceTypeSecurityGroup, "web"),
		}))(t)
		c.Diverges(t, conformance.Moto, "moto's CreateSecurityGroup answers without the group's tags")
		if !strings.HasPrefix(*web.GroupId, "sg-") || *web.SecurityGroupArn != "arn:aws:ec2:us-east-1:123456789012:security-group/"+*web.GroupId || len(web.Tags) != 1 {
			t.Errorf("created group = %+v", web)
		}
		vpc := must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId
		// The same name in another VPC is another group.
		other := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("x"), VpcId: vpc}))(t)

		for _, tc := range []struct {
			name string
			in   ec2.CreateSecurityGroupInput
			code string
		}{
			{"duplicate", ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("again")}, "InvalidGroup.Duplicate"},
			{"default", ec2.CreateSecurityGroupInput{GroupName: aws.String("default"), Description: aws.String("d")}, "InvalidGroup.Duplicate"},
			{"sg- name", ec2.CreateSecurityGroupInput{GroupName: aws.String("sg-web"), Description: aws.String("d")}, "InvalidParameterValue"},
			{"bad character", ec2.CreateSecurityGroupInput{GroupName: aws.String("wéb"), Description: aws.String("d")}, "InvalidParameterValue"},
			{"no such VPC", ec2.CreateSecurityGroupInput{GroupName: aws.String("x"), Description: aws.String("d"), VpcId: aws.String("vpc-0123456789abcdef0")}, "InvalidVpcID.NotFound"},
			{"empty description", ec2.CreateSecurityGroupInput{GroupName: aws.String("x"), Description: aws.String("")}, "MissingParameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.CreateSecurityGroup(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}

		must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: web.GroupId, IpPermissions: []types.IpPermission{tcp(22, 22, "203.0.113.0/24")}}))(t)
		for _, tc := range []struct {
			name string
			in   ec2.DescribeSecurityGroupsInput
			want []string // group IDs
			code string
		}{
			{"by name, in the default VPC", ec2.DescribeSecurityGroupsInput{GroupNames: []string{"web"}}, []string{*web.GroupId}, ""},
			{"by ID", ec2.DescribeSecurityGroupsInput{GroupIds: []string{*other.GroupId}}, []string{*other.GroupId}, ""},
			{"group-name", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("group-name", "web")}}, []string{*web.GroupId, *other.GroupId}, ""},
			{"vpc-id", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", *vpc), filter("group-name", "web")}}, []string{*other.GroupId}, ""},
			{"description", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("description", "web *")}}, []string{*web.GroupId}, ""},
			{"ip-permission.from-port", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("ip-permission.from-port", "22")}}, []string{*web.GroupId}, ""},
			{"ip-permission.cidr", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("ip-permission.cidr", "203.0.113.0/24")}}, []string{*web.GroupId}, ""},
			{"egress.ip-permission.protocol", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("egress.ip-permission.protocol", "-1"), filter("group-name", "web")}}, []string{*web.GroupId, *other.GroupId}, ""},
			{"tag", ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("tag:Name", "web")}}, []string{*web.GroupId}, ""},
			{"name in another VPC", ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}}, nil, "InvalidGroup.NotFound"},
			{"missing ID", ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}}, nil, "InvalidGroup.NotFound"},
			{"malformed ID", ec2.DescribeSecurityGroupsInput{GroupIds: []string{"web"}}, nil, "InvalidGroupId.Malformed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, err := client.DescribeSecurityGroups(ctx, &tc.in)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				var got []string
				for _, g := range must(out, err)(t).SecurityGroups {
					got = append(got, *g.GroupId)
				}
				if strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Errorf("groups %v, want %v", got, tc.want)
				}
			})
		}

		// Deletion: not the default group, not a group another group's rule refers to.
		_, err := client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("default")})
		wantCode(t, err, "CannotDelete")
		db := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("database")}))(t)
		must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: db.GroupId, IpPermissions: []types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: web.GroupId}},
		}}}))(t)
		_, err = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: web.GroupId})
		wantCode(t, err, "DependencyViolation")
		deleted := must(client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("db")}))(t)
		if !*deleted.Return || *deleted.GroupId != *db.GroupId {
			t.Errorf("DeleteSecurityGroup = %+v", deleted)
		}
		must(client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: web.GroupId}))(t)
		_, err = client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: web.GroupId})
		wantCode(t, err, "InvalidGroup.NotFound")
	})
}

func TestEC2SecurityGroupRules(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		group := must(client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId

		// The AWS CLI's --protocol tcp --port 22 --cidr 0.0.0.0/0, as top-level members, by group name.
		legacy := must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
			GroupName: aws.String("web"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("0.0.0.0/0"),
		}))(t)
		if !*legacy.Return || len(legacy.SecurityGroupRules) != 1 {
			t.Fatalf("legacy authorize = %+v", legacy)
		}
		r := legacy.SecurityGroupRules[0]
		c.Diverges(t, conformance.Moto, "moto's security group rules have no GroupOwnerId")
		if !strings.HasPrefix(*r.SecurityGroupRuleId, "sgr-") || *r.GroupId != *group || *r.IsEgress || *r.IpProtocol != "tcp" ||
			*r.FromPort != 22 || *r.ToPort != 22 || *r.CidrIpv4 != "0.0.0.0/0" || *r.GroupOwnerId != sim.DefaultAccount {
			t.Errorf("rule = %+v", r)
		}

		// IpPermissions with several peers make one rule each; protocol numbers become names.
		many := must(client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: group, IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("6"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
				IpRanges:   []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("http")}},
				Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
			{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(8), ToPort: aws.Int32(-1), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}},
			{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupName: aws.String("default")}}},
		}, TagSpecifications: nameTag(types.ResourceTypeSecurityGroupRule, "in")}))(t).SecurityGroupRules
		if len(many) != 4 || *many[0].IpProtocol != "tcp" || *many[0].Description != "http" || *many[1].CidrIpv6 != "::/0" ||
			*many[2].FromPort != 8 || many[3].ReferencedGroupInfo == nil || *many[3].FromPort != -1 || len(many[3].Tags) != 1 {
			t.Errorf("rules = %+v", many)
		}

		g := must(client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{*group}}))(t).SecurityGroups[0]
		perms := g.IpPermissions
		if len(perms) != 4 || *perms[0].FromPort != 22 || len(perms[1].IpRanges) != 1 || len(perms[1].Ipv6Ranges) != 1 ||
			*perms[3].IpProtocol != "-1" || perms[3].FromPort != nil || len(perms[3].UserIdGroupPairs) != 1 {
			t.Errorf("IpPermissions = %+v", perms)
		}
		if len(g.IpPermissionsEgress) != 1 || *g.IpPermissionsEgress[0].IpRanges[0].CidrIp != "0.0.0.0/0" {
			t.Errorf("a new group's egress = %+v", g.IpPermissionsEgress)
		}

		for _, tc := range []struct {
			name string
			perm types.IpPermission
			code string
		}{
			{"duplicate", tcp(22, 22, "0.0.0.0/0"), "InvalidPermission.Duplicate"},
			{"port out of range", tcp(22, 70000, "0.0.0.0/0"), "InvalidPermission.Malformed"},
			{"negative port", tcp(-1, 22, "0.0.0.0/0"), "InvalidPermission.Malformed"},
			{"reversed ports", tcp(443, 80, "0.0.0.0/0"), "InvalidParameterValue"},
			{"no ports", types.IpPermission{IpProtocol: aws.String("udp"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "InvalidParameterValue"},
			{"bad CIDR", tcp(22, 22, "0.0.0.0/99"), "InvalidParameterValue"},
			{"IPv6 as IPv4", tcp(22, 22, "::/0"), "InvalidParameterValue"},
			{"bad protocol", types.IpPermission{IpProtocol: aws.String("tcpp"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "InvalidParameterValue"},
			{"no such group", types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-0123456789abcdef0")}}}, "InvalidGroup.NotFound"},
			{"no peer", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2)}, "MissingParameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: group, IpPermissions: []types.IpPermission{tc.perm}})
				wantCode(t, err, tc.code)
			})
		}
		// A request with a duplicate adds nothing, not even its new rules.
		_, err := client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: group, IpPermissions: []types.IpPermission{tcp(443, 443, "0.0.0.0/0"), tcp(22, 22, "0.0.0.0/0")}})
		wantCode(t, err, "InvalidPermission.Duplicate")
		if !strings.Contains(err.Error(), `"peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW"`) {
			t.Errorf("duplicate message: %v", err)
		}
		rules := must(client.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", *group)}}))(t).SecurityGroupRules
		if len(rules) != 6 { // 5 in, 1 out
			t.Errorf("%d rules after a refused request, want 6", len(rules))
		}
		_, err = client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("nope"), IpPermissions: []types.IpPermission{tcp(1, 1, "0.0.0.0/0")}})
		wantCode(t, err, "InvalidGroup.NotFound")

		// Egress, then revoke it by permission.
		out := must(client.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: group, IpPermissions: []types.IpPermission{tcp(5432, 5432, "10.0.0.0/16")}}))(t).SecurityGroupRules
		if len(out) != 1 || !*out[0].IsEgress {
			t.Errorf("egress rules = %+v", out)
		}
		revoked := must(client.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: group, IpPermissions: []types.IpPermission{tcp(5432, 5432, "10.0.0.0/16")}}))(t)
		if !*revoked.Return || len(revoked.RevokedSecurityGroupRules) != 1 || *revoked.RevokedSecurityGroupRules[0].SecurityGroupRuleId != *out[0].SecurityGroupRuleId {
			t.Errorf("revoked = %+v", revoked)
		}
		_, err = client.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: group, IpPermissions: []types.IpPermission{tcp(5432, 5432, "10.0.0.0/16")}})
		wantCode(t, err, "InvalidPermission.NotFound")

		// Revoke inbound rules by the legacy members and by rule ID.
		must(client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{
			GroupName: aws.String("web"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("0.0.0.0/0"),
		}))(t)
		must(client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: group, SecurityGroupRuleIds: []string{*many[0].SecurityGroupRuleId}}))(t)
		_, err = client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: group, SecurityGroupRuleIds: []string{*many[0].SecurityGroupRuleId}})
		wantCode(t, err, "InvalidSecurityGroupRuleId.NotFound")
		_, err = client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: group, SecurityGroupRuleIds: []string{*out[0].SecurityGroupRuleId}})
		wantCode(t, err, "InvalidSecurityGroupRuleId.NotFound") // an egress rule is not an ingress rule
		left := must(client.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{*many[1].SecurityGroupRuleId}}))(t).SecurityGroupRules
		if len(left) != 1 || *left[0].CidrIpv6 != "::/0" {
			t.Errorf("rule by ID = %+v", left)
		}
		_, err = client.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{"sgr-0123456789abcdef0"}})
		wantCode(t, err, "InvalidSecurityGroupRuleId.NotFound")
	})
}
