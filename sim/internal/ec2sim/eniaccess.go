package ec2sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// eniAccesses names what the network interface operations act on; ok is false for others:
//
//   - CreateNetworkInterface: the new interface (network-interface/*) with its request tags,
//     the subnet and each security group;
//   - DeleteNetworkInterface, Assign- and UnassignPrivateIpAddresses, DetachNetworkInterface: the interface (network-interface/eni-…),
//     with its tags, and for a detach the instance;
//   - AttachNetworkInterface: the instance and the interface;
//   - ModifyNetworkInterfaceAttribute: the interface and each security group it is given.
//
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) eniAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.CreateNetworkInterfaceInput:
		out := access(s.arn(region, "network-interface/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNetworkInterface))
		out = append(out, service.Access{Resource: s.arn(region, "subnet/"+aws.ToString(in.SubnetId)), Context: regionCond(region)})
		for _, g := range in.Groups {
			out = append(out, service.Access{Resource: s.arn(region, "security-group/"+g), Context: regionCond(region)})
		}
		return out, true
	case *ec2.AssignPrivateIpAddressesInput:
		return []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}, true
	case *ec2.UnassignPrivateIpAddressesInput:
		return []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}, true
	case *ec2.DeleteNetworkInterfaceInput:
		return []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}, true
	case *ec2.AttachNetworkInterfaceInput:
		return append(s.instanceAccesses(region, []string{aws.ToString(in.InstanceId)}), s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))), true
	case *ec2.DetachNetworkInterfaceInput:
		var eni, inst string
		s.peek(region, func(r *regionState) {
			if r == nil {
				return
			}
			for _, n := range r.ENIs {
				if n.Attach != nil && n.Attach.ID == aws.ToString(in.AttachmentId) {
					eni, inst = n.ID, n.Attach.Instance
				}
			}
		})
		if eni == "" {
			return []service.Access{{Resource: s.arn(region, "network-interface/*"), Context: regionCond(region)}}, true
		}
		return append(s.instanceAccesses(region, []string{inst}), s.eniAccess(region, eni)), true
	case *ec2.ModifyNetworkInterfaceAttributeInput:
		out := []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}
		for _, g := range in.Groups {
			out = append(out, service.Access{Resource: s.arn(region, "security-group/"+g), Context: regionCond(region)})
		}
		return out, true
	}
	return nil, false
}

// eniAccess is the access to interface id, with its zone, subnet, VPC and tags as the store
// has them.
func (s *Store) eniAccess(region, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if n, ok := r.ENIs[id]; ok {
			c[keyZone] = n.Zone.Name
			c["ec2:Subnet"] = s.arn(region, "subnet/"+n.Subnet)
			c["ec2:Vpc"] = s.arn(region, "vpc/"+n.VPC)
			c.resourceTags(n.Tags)
		}
	})
	return service.Access{Resource: s.arn(region, "network-interface/"+id), Context: c}
}
