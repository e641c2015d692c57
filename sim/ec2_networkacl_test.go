package sim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// newVPC makes a VPC of block with one subnet of each of subnets, and returns their IDs.
func newVPC(t *testing.T, client *ec2.Client, block string, subnets ...string) (string, []string) {
	t.Helper()
	ctx := context.Background()
	vpc := *must(client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)}))(t).Vpc.VpcId
	var ids []string
	for _, sn := range subnets {
		ids = append(ids, *must(client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(sn)}))(t).Subnet.SubnetId)
	}
	return vpc, ids
}

// aclOf returns the network ACL with id as DescribeNetworkAcls shows it.
func aclOf(t *testing.T, client *ec2.Client, id string) types.NetworkAcl {
	t.Helper()
	acls := must(client.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{id}}))(t).NetworkAcls
	if len(acls) != 1 {
		t.Fatalf("DescribeNetworkAcls %s = %+v", id, acls)
	}
	return acls[0]
}

// entries lists an ACL's rules as "egress number action protocol cidr ports".
func entries(a types.NetworkAcl) []string {
	var out []string
	for _, e := range a.Entries {
		s := fmt.Sprintf("%v %d %s %s %s", *e.Egress, *e.RuleNumber, e.RuleAction, *e.Protocol, aws.ToString(e.CidrBlock))
		if e.PortRange != nil {
			s += fmt.Sprintf(" %d-%d", *e.PortRange.From, *e.PortRange.To)
		}
		out = append(out, s)
	}
	return out
}

func aclEntry(acl string, n int32, egress bool, proto string, allow bool, cidr string, from, to int32) *ec2.CreateNetworkAclEntryInput {
	in := &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(n), Egress: aws.Bool(egress),
		Protocol: aws.String(proto), RuleAction: types.RuleActionDeny, CidrBlock: aws.String(cidr)}
	if allow {
		in.RuleAction = types.RuleActionAllow
	}
	if proto == "tcp" || proto == "6" || proto == "udp" {
		in.PortRange = &types.PortRange{From: aws.Int32(from), To: aws.Int32(to)}
	}
	return in
}

func TestEC2NetworkAcls(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := ec2Client(t, c)
		vpc, subnets := newVPC(t, client, "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24")

		// A new subnet is associated with its VPC's default ACL.
		def := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("vpc-id", vpc), filter("default", "true")}}))(t).NetworkAcls
		if len(def) != 1 || len(def[0].Associations) != 2 {
			t.Fatalf("default ACL = %+v", def)
		}
		defID := *def[0].NetworkAclId

		made := must(client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc), TagSpecifications: nameTag(types.ResourceTypeNetworkAcl, "private")}))(t).NetworkAcl
		acl := *made.NetworkAclId
		if *made.IsDefault || len(made.Associations) != 0 || *made.VpcId != vpc {
			t.Errorf("CreateNetworkAcl = %+v", made)
		}
		c.Diverges(t, conformance.Moto, "moto shows no catch-all rules, validates no rule (numbers, ports, protocols, IDs) and answers ReplaceNetworkAclEntry with a 500")
		want := []string{"true 32767 deny -1 0.0.0.0/0", "false 32767 deny -1 0.0.0.0/0"}
		if got := entries(*made); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("new ACL's rules = %q, want %q", got, want)
		}

		must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 100, false, "tcp", true, "203.0.113.0/24", 22, 22)))(t)
		must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 90, false, "6", false, "203.0.113.66/32", 0, 65535)))(t)
		must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 100, true, "tcp", true, "0.0.0.0/0", 1024, 65535)))(t)
		want = []string{
			"true 100 allow 6 0.0.0.0/0 1024-65535", "true 32767 deny -1 0.0.0.0/0",
			"false 90 deny 6 203.0.113.66/32 0-65535", "false 100 allow 6 203.0.113.0/24 22-22", "false 32767 deny -1 0.0.0.0/0",
		}
		if got := entries(aclOf(t, client, acl)); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("rules = %q, want %q", got, want)
		}

		t.Run("entry errors", func(t *testing.T) {
			for _, tc := range []struct {
				name, code string
				in         *ec2.CreateNetworkAclEntryInput
			}{
				{"duplicate", "NetworkAclEntryAlreadyExists", aclEntry(acl, 100, false, "udp", true, "0.0.0.0/0", 53, 53)},
				{"rule 0", "InvalidParameterValue", aclEntry(acl, 0, false, "-1", true, "0.0.0.0/0", 0, 0)},
				{"rule 32767", "InvalidParameterValue", aclEntry(acl, 32767, false, "-1", true, "0.0.0.0/0", 0, 0)},
				{"no port range", "MissingParameter", &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(5), Egress: aws.Bool(false),
					Protocol: aws.String("tcp"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0")}},
				{"bad protocol", "InvalidParameterValue", aclEntry(acl, 5, false, "tcpx", true, "0.0.0.0/0", 0, 0)},
				{"bad cidr", "InvalidParameterValue", aclEntry(acl, 5, false, "-1", true, "10.0.0.0/33", 0, 0)},
				{"bad action", "InvalidParameterValue", &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(5), Egress: aws.Bool(false),
					Protocol: aws.String("-1"), RuleAction: "maybe", CidrBlock: aws.String("0.0.0.0/0")}},
				{"no such ACL", "InvalidNetworkAclID.NotFound", aclEntry("acl-0123456789abcdef0", 5, false, "-1", true, "0.0.0.0/0", 0, 0)},
				{"malformed ACL", "InvalidNetworkAclID.Malformed", aclEntry("acl-x", 5, false, "-1", true, "0.0.0.0/0", 0, 0)},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := client.CreateNetworkAclEntry(ctx, tc.in)
					wantCode(t, err, tc.code)
				})
			}
			_, err := client.CreateNetworkAclEntry(ctx, aclEntry(acl, 100, false, "udp", true, "0.0.0.0/0", 53, 53))
			if msg := apiMessage(t, err); msg != "The network acl entry identified by 100 already exists." {
				t.Errorf("duplicate: %q", msg)
			}
		})

		t.Run("replace and delete", func(t *testing.T) {
			must(client.ReplaceNetworkAclEntry(ctx, (*ec2.ReplaceNetworkAclEntryInput)(aclEntry(acl, 90, false, "-1", true, "198.51.100.0/24", 0, 0))))(t)
			_, err := client.ReplaceNetworkAclEntry(ctx, (*ec2.ReplaceNetworkAclEntryInput)(aclEntry(acl, 91, false, "-1", true, "0.0.0.0/0", 0, 0)))
			wantCode(t, err, "InvalidNetworkAclEntry.NotFound")
			_, err = client.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(90), Egress: aws.Bool(true)})
			wantCode(t, err, "InvalidNetworkAclEntry.NotFound")
			_, err = client.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(32767), Egress: aws.Bool(true)})
			wantCode(t, err, "InvalidParameterValue")
			must(client.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(100), Egress: aws.Bool(true)}))(t)
			want := []string{"true 32767 deny -1 0.0.0.0/0", "false 90 allow -1 198.51.100.0/24", "false 100 allow 6 203.0.113.0/24 22-22", "false 32767 deny -1 0.0.0.0/0"}
			if got := entries(aclOf(t, client, acl)); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("rules = %q, want %q", got, want)
			}
			// The default ACL's rules are records too: its rule 100 can go.
			must(client.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(defID), RuleNumber: aws.Int32(100), Egress: aws.Bool(false)}))(t)
			want = []string{"true 100 allow -1 0.0.0.0/0", "true 32767 deny -1 0.0.0.0/0", "false 32767 deny -1 0.0.0.0/0"}
			if got := entries(aclOf(t, client, defID)); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("default rules = %q, want %q", got, want)
			}
		})

		t.Run("associations", func(t *testing.T) {
			var assoc string
			for _, a := range aclOf(t, client, defID).Associations {
				if *a.SubnetId == subnets[1] {
					assoc = *a.NetworkAclAssociationId
				}
			}
			moved := *must(client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(acl)}))(t).NewAssociationId
			if moved == assoc || !strings.HasPrefix(moved, "aclassoc-") {
				t.Errorf("new association %q (old %q)", moved, assoc)
			}
			got := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("association.subnet-id", subnets[1])}}))(t).NetworkAcls
			if len(got) != 1 || *got[0].NetworkAclId != acl || *got[0].Associations[0].NetworkAclAssociationId != moved {
				t.Errorf("ACL of %s = %+v", subnets[1], got)
			}
			_, err := client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(acl)})
			wantCode(t, err, "InvalidAssociationID.NotFound")

			// Another VPC's ACL is refused.
			other, _ := newVPC(t, client, "10.9.0.0/16")
			otherACL := *must(client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(other)}))(t).NetworkAcl.NetworkAclId
			_, err = client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(moved), NetworkAclId: aws.String(otherACL)})
			wantCode(t, err, "InvalidParameterValue")

			// In use, the ACL stays; the default ACL never goes.
			_, err = client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(acl)})
			wantCode(t, err, "DependencyViolation")
			_, err = client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(defID)})
			wantCode(t, err, "InvalidParameterValue")
			// A VPC with an ACL of one's own cannot be deleted.
			_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(other)})
			wantCode(t, err, "DependencyViolation")
			must(client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(otherACL)}))(t)
			must(client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(other)}))(t)

			// Back to the default, then the ACL can go.
			must(client.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(moved), NetworkAclId: aws.String(defID)}))(t)
			must(client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(acl)}))(t)
			_, err = client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(acl)})
			wantCode(t, err, "InvalidNetworkAclID.NotFound")
		})

		t.Run("filters", func(t *testing.T) {
			acl := *must(client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)}))(t).NetworkAcl.NetworkAclId
			must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 120, false, "tcp", true, "0.0.0.0/0", 443, 443)))(t)
			for _, tc := range []struct {
				f    types.Filter
				want int
			}{
				{filter("entry.port-range.from", "443"), 1},
				{filter("entry.rule-number", "120"), 1},
				{filter("entry.rule-action", "allow"), 2}, // the default ACL's outbound rule 100 too
				{filter("entry.egress", "true"), 2},
				{filter("default", "false"), 1},
				{filter("entry.cidr", "0.0.0.0/0"), 2},
				{filter("entry.protocol", "6"), 1},
			} {
				got := must(client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{tc.f, filter("vpc-id", vpc)}}))(t).NetworkAcls
				if len(got) != tc.want {
					t.Errorf("filter %s=%v: %d ACLs, want %d", *tc.f.Name, tc.f.Values, len(got), tc.want)
				}
			}
			_, err := client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{filter("entry.colour", "red")}})
			wantCode(t, err, "InvalidParameterValue")
		})

		t.Run("twenty rules a direction", func(t *testing.T) {
			acl := *must(client.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)}))(t).NetworkAcl.NetworkAclId
			for n := int32(1); n <= 20; n++ {
				must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, n*10, true, "-1", true, "0.0.0.0/0", 0, 0)))(t)
			}
			_, err := client.CreateNetworkAclEntry(ctx, aclEntry(acl, 500, true, "-1", true, "0.0.0.0/0", 0, 0))
			wantCode(t, err, "NetworkAclEntryLimitExceeded")
			must(client.CreateNetworkAclEntry(ctx, aclEntry(acl, 500, false, "-1", true, "0.0.0.0/0", 0, 0)))(t)
		})
	})
}

// ACL operations authorize on the ACL's ARN, with its tags.
func TestEC2NetworkAclConditions(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := ec2Client(t, c)
		user := policyClient(t, c, "netadmin", `
			{"Effect":"Allow","Action":["ec2:CreateNetworkAclEntry","ec2:DeleteNetworkAcl"],"Resource":"arn:aws:ec2:*:*:network-acl/*","Condition":{"StringEquals":{"ec2:ResourceTag/team":"web"}}}`)
		vpc, _ := newVPC(t, root, "10.0.0.0/16")
		mine := *must(root.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc), TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeNetworkAcl, "team", "web")}}))(t).NetworkAcl.NetworkAclId
		theirs := *must(root.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)}))(t).NetworkAcl.NetworkAclId
		must(user.CreateNetworkAclEntry(ctx, aclEntry(mine, 100, false, "tcp", true, "0.0.0.0/0", 80, 80)))(t)
		_, err := user.CreateNetworkAclEntry(ctx, aclEntry(theirs, 100, false, "tcp", true, "0.0.0.0/0", 80, 80))
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(apiMessage(t, err), "network-acl/"+theirs) {
			t.Errorf("refusal = %s", apiMessage(t, err))
		}
		_, err = user.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)})
		wantCode(t, err, "UnauthorizedOperation")
		must(user.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(mine)}))(t)
	})
}
