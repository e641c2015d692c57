package ec2sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// vpcAccesses names what the operations on a VPC's DHCP options, CIDR blocks, peerings,
// endpoints, prefix lists and flow logs act on; ok is false for others:
//
//   - CreateDhcpOptions: the new set (dhcp-options/*) with its request tags;
//     DeleteDhcpOptions: the set (dhcp-options/dopt-…, with its tags); AssociateDhcpOptions:
//     the set (none for "default") and the VPC.
//
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) vpcAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.CreateDhcpOptionsInput:
		return access(s.arn(region, "dhcp-options/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeDhcpOptions)), true
	case *ec2.DeleteDhcpOptionsInput:
		return []service.Access{s.heldAccess(region, dhcpKind, "dhcp-options", aws.ToString(in.DhcpOptionsId))}, true
	case *ec2.AssociateDhcpOptionsInput:
		out := []service.Access{s.vpcAccess(region, aws.ToString(in.VpcId))}
		if id := aws.ToString(in.DhcpOptionsId); id != noDHCP {
			out = append(out, s.heldAccess(region, dhcpKind, "dhcp-options", id))
		}
		return out, true
	}
	return nil, false
}

// heldAccess is the access to the record of kind k with id, a resource of the ARN type
// resource, with its tags as the store has them.
func (s *Store) heldAccess(region string, k kind, resource, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		for _, h := range tagHolders {
			if h.kind == k {
				if m := r.held(h, id); m != nil {
					c.resourceTags(m.Tags)
				}
			}
		}
	})
	return service.Access{Resource: s.arn(region, resource+"/"+id), Context: c}
}

// vpcAccess is the access to VPC id, with its tags as the store has them.
func (s *Store) vpcAccess(region, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if v, ok := r.VPCs[id]; ok {
			c.resourceTags(v.Tags)
		}
	})
	return service.Access{Resource: s.arn(region, "vpc/"+id), Context: c}
}
