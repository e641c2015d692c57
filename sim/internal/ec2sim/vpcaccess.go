package ec2sim

import (
	"slices"

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
//   - AssociateVpcCidrBlock and DisassociateVpcCidrBlock: the VPC (vpc/vpc-…, with its tags);
//     Associate- and DisassociateSubnetCidrBlock: the subnet; Assign- and
//     UnassignIpv6Addresses: the network interface; CreateEgressOnlyInternetGateway: the new
//     gateway (egress-only-internet-gateway/*) with its request tags, and the VPC;
//     DeleteEgressOnlyInternetGateway: the gateway.
//   - CreateVpcPeeringConnection: the requester's VPC and the new connection
//     (vpc-peering-connection/*) with its request tags, ec2:RequesterVpc and ec2:AccepterVpc;
//     Accept-, Reject- and DeleteVpcPeeringConnection: the connection, with its tags and its
//     two VPCs.
//   - CreateManagedPrefixList: the new list (prefix-list/*) with its request tags;
//     Modify-, DeleteManagedPrefixList and GetManagedPrefixListEntries: the list.
//   - CreateVpcEndpoint: the new endpoint (vpc-endpoint/*) with its request tags, the VPC,
//     and each route table, subnet and security group it is given; ModifyVpcEndpoint: the
//     endpoint and each route table, subnet and security group it adds; DeleteVpcEndpoints:
//     each endpoint.
//   - CreateFlowLogs: each resource, the new flow logs (vpc-flow-log/*) with their request
//     tags, and iam:PassRole on DeliverLogsPermissionArn (flowlog.go); DeleteFlowLogs: each
//     flow log (vpc-flow-log/fl-…).
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
	case *ec2.AssociateVpcCidrBlockInput:
		return []service.Access{s.vpcAccess(region, aws.ToString(in.VpcId))}, true
	case *ec2.DisassociateVpcCidrBlockInput:
		return []service.Access{s.vpcAccess(region, s.vpcOfAssociation(region, aws.ToString(in.AssociationId)))}, true
	case *ec2.AssociateSubnetCidrBlockInput:
		return []service.Access{{Resource: s.arn(region, "subnet/"+aws.ToString(in.SubnetId)), Context: regionCond(region)}}, true
	case *ec2.DisassociateSubnetCidrBlockInput:
		subnet := "*"
		s.peek(region, func(r *regionState) {
			if r == nil {
				return
			}
			for id, b := range r.SubnetV6 {
				if b.AssocID == aws.ToString(in.AssociationId) {
					subnet = id
				}
			}
		})
		return []service.Access{{Resource: s.arn(region, "subnet/"+subnet), Context: regionCond(region)}}, true
	case *ec2.AssignIpv6AddressesInput:
		return []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}, true
	case *ec2.UnassignIpv6AddressesInput:
		return []service.Access{s.eniAccess(region, aws.ToString(in.NetworkInterfaceId))}, true
	case *ec2.CreateEgressOnlyInternetGatewayInput:
		return append(access(s.arn(region, "egress-only-internet-gateway/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeEgressOnlyInternetGateway)),
			s.vpcAccess(region, aws.ToString(in.VpcId))), true
	case *ec2.DeleteEgressOnlyInternetGatewayInput:
		return []service.Access{s.heldAccess(region, eigwKind, "egress-only-internet-gateway", aws.ToString(in.EgressOnlyInternetGatewayId))}, true
	case *ec2.CreateVpcPeeringConnectionInput:
		c := regionCond(region)
		c["ec2:RequesterVpc"] = s.arn(region, "vpc/"+aws.ToString(in.VpcId))
		c["ec2:AccepterVpc"] = s.arn(region, "vpc/"+aws.ToString(in.PeerVpcId))
		return append([]service.Access{s.vpcAccess(region, aws.ToString(in.VpcId))},
			access(s.arn(region, "vpc-peering-connection/*"), c, specTags(in.TagSpecifications, types.ResourceTypeVpcPeeringConnection))...), true
	case *ec2.AcceptVpcPeeringConnectionInput:
		return []service.Access{s.peeringAccess(region, aws.ToString(in.VpcPeeringConnectionId))}, true
	case *ec2.RejectVpcPeeringConnectionInput:
		return []service.Access{s.peeringAccess(region, aws.ToString(in.VpcPeeringConnectionId))}, true
	case *ec2.DeleteVpcPeeringConnectionInput:
		return []service.Access{s.peeringAccess(region, aws.ToString(in.VpcPeeringConnectionId))}, true
	case *ec2.CreateManagedPrefixListInput:
		return access(s.arn(region, "prefix-list/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypePrefixList)), true
	case *ec2.ModifyManagedPrefixListInput:
		return []service.Access{s.heldAccess(region, prefixListKind, "prefix-list", aws.ToString(in.PrefixListId))}, true
	case *ec2.DeleteManagedPrefixListInput:
		return []service.Access{s.heldAccess(region, prefixListKind, "prefix-list", aws.ToString(in.PrefixListId))}, true
	case *ec2.GetManagedPrefixListEntriesInput:
		return []service.Access{s.heldAccess(region, prefixListKind, "prefix-list", aws.ToString(in.PrefixListId))}, true
	case *ec2.CreateVpcEndpointInput:
		out := append(access(s.arn(region, "vpc-endpoint/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeVpcEndpoint)),
			s.vpcAccess(region, aws.ToString(in.VpcId)))
		return append(out, s.partAccesses(region, in.RouteTableIds, in.SubnetIds, in.SecurityGroupIds)...), true
	case *ec2.ModifyVpcEndpointInput:
		out := []service.Access{s.heldAccess(region, endpointKind, "vpc-endpoint", aws.ToString(in.VpcEndpointId))}
		return append(out, s.partAccesses(region, in.AddRouteTableIds, in.AddSubnetIds, in.AddSecurityGroupIds)...), true
	case *ec2.CreateFlowLogsInput:
		return s.flowLogAccesses(region, in), true
	case *ec2.DeleteFlowLogsInput:
		var out []service.Access
		for _, id := range in.FlowLogIds {
			out = append(out, s.heldAccess(region, flowLogKind, "vpc-flow-log", id))
		}
		return out, true
	case *ec2.DeleteVpcEndpointsInput:
		var out []service.Access
		for _, id := range in.VpcEndpointIds {
			out = append(out, s.heldAccess(region, endpointKind, "vpc-endpoint", id))
		}
		return out, true
	}
	return nil, false
}

// partAccesses are the accesses to the route tables, subnets and security groups an
// endpoint is given.
func (s *Store) partAccesses(region string, tables, subnets, groups []string) []service.Access {
	var out []service.Access
	for _, part := range []struct {
		resource string
		ids      []string
	}{{"route-table/", tables}, {"subnet/", subnets}, {"security-group/", groups}} {
		for _, id := range part.ids {
			out = append(out, service.Access{Resource: s.arn(region, part.resource+id), Context: regionCond(region)})
		}
	}
	return out
}

// peeringAccess is the access to peering connection id, with its tags and its VPCs.
func (s *Store) peeringAccess(region, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if p, ok := r.Peerings[id]; ok {
			c.resourceTags(p.Tags)
			c["ec2:RequesterVpc"] = s.arn(region, "vpc/"+p.Requester)
			c["ec2:AccepterVpc"] = s.arn(region, "vpc/"+p.Accepter)
		}
	})
	return service.Access{Resource: s.arn(region, "vpc-peering-connection/"+id), Context: c}
}

// vpcOfAssociation returns the VPC of a VPC CIDR block association, or "*".
func (s *Store) vpcOfAssociation(region, assoc string) string {
	vpcID := "*"
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		for _, v := range r.VPCs {
			if v.AssocID == assoc || slices.ContainsFunc(r.VPCBlocks[v.ID], func(b vpcBlock) bool { return b.AssocID == assoc }) {
				vpcID = v.ID
			}
		}
	})
	return vpcID
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
