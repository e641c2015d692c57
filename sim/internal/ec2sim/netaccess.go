package ec2sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// netAccesses names what the network ACL and NAT gateway operations act on; ok is false for
// others:
//
//   - CreateNetworkAcl: the new ACL (network-acl/*) with its request tags, and the VPC;
//   - DeleteNetworkAcl, Create-, Replace- and DeleteNetworkAclEntry, and
//     ReplaceNetworkAclAssociation: the ACL (network-acl/acl-…), with its tags;
//   - CreateNatGateway: the new NAT gateway (natgateway/*) with its request tags, the subnet
//     and the Elastic IP; DeleteNatGateway: the NAT gateway (natgateway/nat-…).
//
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) netAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.CreateNetworkAclInput:
		return append(access(s.arn(region, "network-acl/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNetworkAcl)),
			service.Access{Resource: s.arn(region, "vpc/"+aws.ToString(in.VpcId)), Context: regionCond(region)}), true
	case *ec2.DeleteNetworkAclInput:
		return []service.Access{s.aclAccess(region, aws.ToString(in.NetworkAclId))}, true
	case *ec2.CreateNetworkAclEntryInput:
		return []service.Access{s.aclAccess(region, aws.ToString(in.NetworkAclId))}, true
	case *ec2.ReplaceNetworkAclEntryInput:
		return []service.Access{s.aclAccess(region, aws.ToString(in.NetworkAclId))}, true
	case *ec2.DeleteNetworkAclEntryInput:
		return []service.Access{s.aclAccess(region, aws.ToString(in.NetworkAclId))}, true
	case *ec2.ReplaceNetworkAclAssociationInput:
		return []service.Access{s.aclAccess(region, aws.ToString(in.NetworkAclId))}, true
	case *ec2.CreateNatGatewayInput:
		out := access(s.arn(region, "natgateway/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNatgateway))
		if in.SubnetId != nil {
			out = append(out, service.Access{Resource: s.arn(region, "subnet/"+*in.SubnetId), Context: regionCond(region)})
		}
		if in.AllocationId != nil {
			out = append(out, s.addressAccess(region, *in.AllocationId))
		}
		return out, true
	case *ec2.DeleteNatGatewayInput:
		id := aws.ToString(in.NatGatewayId)
		c := regionCond(region)
		s.peek(region, func(r *regionState) {
			if r == nil {
				return
			}
			if n, ok := r.NATs[id]; ok {
				c.resourceTags(n.Tags)
			}
		})
		return []service.Access{{Resource: s.arn(region, "natgateway/"+id), Context: c}}, true
	}
	return nil, false
}

// aclAccess is the access to network ACL id, with its tags as the store has them.
func (s *Store) aclAccess(region, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if a, ok := r.ACLs[id]; ok {
			c.resourceTags(a.Tags)
		}
	})
	return service.Access{Resource: s.arn(region, "network-acl/"+id), Context: c}
}
