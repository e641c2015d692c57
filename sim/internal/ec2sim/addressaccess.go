package ec2sim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/service"
)

// The condition keys of Elastic IP addresses.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-elastic-ip
const (
	keyAllocationID    = "ec2:AllocationId"
	keyDomain          = "ec2:Domain"
	keyPublicIPAddress = "ec2:PublicIpAddress"
)

// addressAccesses names what the Elastic IP operations act on; ok is false for others.
func (s *Store) addressAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.AllocateAddressInput:
		c := regionCond(region)
		c[keyDomain] = string(types.DomainTypeVpc)
		return access(s.arn(region, "elastic-ip/*"), c, specTags(in.TagSpecifications, types.ResourceTypeElasticIp)), true
	case *ec2.AssociateAddressInput:
		out := []service.Access{s.addressAccess(region, aws.ToString(in.AllocationId))}
		if in.InstanceId != nil {
			out = append(out, s.instanceAccesses(region, []string{*in.InstanceId})...)
		}
		if in.NetworkInterfaceId != nil {
			out = append(out, service.Access{Resource: s.arn(region, "network-interface/"+*in.NetworkInterfaceId), Context: regionCond(region)})
		}
		return out, true
	case *ec2.DisassociateAddressInput:
		// The address of the association, as the store has it.
		var id string
		s.peek(region, func(r *regionState) {
			if r == nil || in.AssociationId == nil {
				return
			}
			for _, a := range r.Addresses {
				if a.Assoc != nil && a.Assoc.ID == *in.AssociationId {
					id = a.ID
				}
			}
		})
		if id == "" {
			return []service.Access{{Resource: s.arn(region, "elastic-ip/*"), Context: regionCond(region)}}, true
		}
		return []service.Access{s.addressAccess(region, id)}, true
	case *ec2.ReleaseAddressInput:
		return []service.Access{s.addressAccess(region, aws.ToString(in.AllocationId))}, true
	}
	return nil, false
}

// addressAccess is the access to address id, with its keys as the store has it.
func (s *Store) addressAccess(region, id string) service.Access {
	c := regionCond(region)
	c[keyAllocationID] = id
	c[keyDomain] = string(types.DomainTypeVpc)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if a, ok := r.Addresses[id]; ok {
			c[keyPublicIPAddress] = a.PublicIP
			c.resourceTags(a.Tags)
		}
	})
	return service.Access{Resource: s.arn(region, "elastic-ip/"+id), Context: c}
}
