package ec2sim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/netcalc"
	"github.com/awsxlab/awsx/sim/internal/core"
)

type routeTable struct {
	meta
	VPC       string
	Main      bool
	MainAssoc string        // the main association's ID, when Main
	Assocs    []association // explicit subnet associations
	Routes    []route
}

// association joins a subnet to a route table or a network ACL.
type association struct{ ID, Subnet string }

type route struct {
	Destination string
	Gateway     string // "local" or an internet gateway's ID
	Instance    string
	NAT         string `json:",omitempty"` // a NAT gateway's ID
	EgressOnly  string `json:",omitempty"` // an egress-only internet gateway's ID: ipv6.go
	Peering     string `json:",omitempty"` // a VPC peering connection's ID: peering.go
	Endpoint    string `json:",omitempty"` // a gateway endpoint's ID, its Destination a prefix list: endpoint.go
	Origin      types.RouteOrigin
}

func dropSubnet(as []association, subnet string) []association {
	out := as[:0]
	for _, a := range as {
		if a.Subnet != subnet {
			out = append(out, a)
		}
	}
	return out
}

// newRouteTable makes a route table of v with its local route; a main one is associated
// with the VPC.
func (s *Store) newRouteTable(r *regionState, v *vpc, main bool, t tags) *routeTable {
	rt := &routeTable{
		meta: r.newMeta(s.id("rtb"), t), VPC: v.ID, Main: main,
		Routes: r.localRoutes(v),
	}
	if main {
		rt.MainAssoc = s.id("rtbassoc")
	}
	r.RouteTables[rt.ID] = rt
	return rt
}

func (r *regionState) mainRouteTable(vpcID string) *routeTable {
	for _, rt := range r.RouteTables {
		if rt.VPC == vpcID && rt.Main {
			return rt
		}
	}
	return nil
}

// routeState is "active" while the route's target exists — an attached gateway, a running or
// stopped instance, an active peering connection — and "blackhole" after.
func (r *regionState) routeState(rt *routeTable, rte route, now time.Time) types.RouteState {
	switch {
	case rte.Peering != "":
		return r.peeringRouteState(rte.Peering, now)
	case rte.Endpoint != "":
		if _, ok := r.Endpoints[rte.Endpoint]; ok {
			return types.RouteStateActive
		}
	case rte.Gateway == "local":
		return types.RouteStateActive
	case rte.Gateway != "":
		if g, ok := r.Gateways[rte.Gateway]; ok && g.VPC == rt.VPC {
			return types.RouteStateActive
		}
	case rte.Instance != "":
		if i, ok := r.Instances[rte.Instance]; ok && i.State != stateTerminated {
			return types.RouteStateActive
		}
	case rte.NAT != "":
		if n, ok := r.NATs[rte.NAT]; ok && n.Failure == "" && n.Deleted.IsZero() {
			return types.RouteStateActive
		}
	case rte.EgressOnly != "":
		if g, ok := r.EIGWs[rte.EgressOnly]; ok && g.VPC == rt.VPC {
			return types.RouteStateActive
		}
	}
	return types.RouteStateBlackhole
}

func (s *Store) routeTableOut(r *regionState, rt *routeTable) types.RouteTable {
	out := types.RouteTable{
		RouteTableId: aws.String(rt.ID), VpcId: aws.String(rt.VPC), OwnerId: aws.String(s.account),
		Routes: []types.Route{}, Associations: []types.RouteTableAssociation{}, PropagatingVgws: []types.PropagatingVgw{},
		Tags: rt.Tags.out(),
	}
	for _, rte := range rt.Routes {
		o := types.Route{Origin: rte.Origin, State: r.routeState(rt, rte, s.now())}
		switch {
		case strings.HasPrefix(rte.Destination, "pl-"):
			o.DestinationPrefixListId = aws.String(rte.Destination)
		case isIPv6Route(rte.Destination):
			o.DestinationIpv6CidrBlock = aws.String(rte.Destination)
		default:
			o.DestinationCidrBlock = aws.String(rte.Destination)
		}
		if rte.EgressOnly != "" {
			o.EgressOnlyInternetGatewayId = aws.String(rte.EgressOnly)
		}
		if rte.Peering != "" {
			o.VpcPeeringConnectionId = aws.String(rte.Peering)
		}
		if rte.Endpoint != "" {
			o.GatewayId = aws.String(rte.Endpoint)
		}
		if rte.Gateway != "" {
			o.GatewayId = aws.String(rte.Gateway)
		}
		if rte.Instance != "" {
			o.InstanceId, o.InstanceOwnerId = aws.String(rte.Instance), aws.String(s.account)
		}
		if rte.NAT != "" {
			o.NatGatewayId = aws.String(rte.NAT)
		}
		out.Routes = append(out.Routes, o)
	}
	associated := &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated}
	if rt.Main {
		out.Associations = append(out.Associations, types.RouteTableAssociation{
			Main: aws.Bool(true), RouteTableAssociationId: aws.String(rt.MainAssoc), RouteTableId: aws.String(rt.ID), AssociationState: associated,
		})
	}
	for _, a := range rt.Assocs {
		out.Associations = append(out.Associations, types.RouteTableAssociation{
			Main: aws.Bool(false), RouteTableAssociationId: aws.String(a.ID), RouteTableId: aws.String(rt.ID),
			SubnetId: aws.String(a.Subnet), AssociationState: associated,
		})
	}
	return out
}

// CreateRouteTable makes a route table with only the local route.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html
func (h *EC2) CreateRouteTable(ctx context.Context, in *ec2.CreateRouteTableInput) (*ec2.CreateRouteTableOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeRouteTable)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateRouteTableOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		o := s.routeTableOut(r, s.newRouteTable(r, v, false, t))
		out.RouteTable = &o
		return nil
	})
}

func assocValues(rt types.RouteTable, get func(types.RouteTableAssociation) *string) []string {
	var out []string
	for _, a := range rt.Associations {
		if v := get(a); v != nil {
			out = append(out, *v)
		}
	}
	return out
}

func routeValues(rt types.RouteTable, get func(types.Route) *string) []string {
	var out []string
	for _, rte := range rt.Routes {
		if v := get(rte); v != nil {
			out = append(out, *v)
		}
	}
	return out
}

var routeTableFields = fields[types.RouteTable]{
	"route-table-id": func(rt types.RouteTable) []string { return one(*rt.RouteTableId) },
	"vpc-id":         func(rt types.RouteTable) []string { return one(*rt.VpcId) },
	"owner-id":       func(rt types.RouteTable) []string { return one(*rt.OwnerId) },
	"association.main": func(rt types.RouteTable) []string {
		return assocValues(rt, func(a types.RouteTableAssociation) *string {
			if *a.Main {
				return aws.String("true")
			}
			return nil
		})
	},
	"association.subnet-id": func(rt types.RouteTable) []string {
		return assocValues(rt, func(a types.RouteTableAssociation) *string { return a.SubnetId })
	},
	"association.route-table-association-id": func(rt types.RouteTable) []string {
		return assocValues(rt, func(a types.RouteTableAssociation) *string { return a.RouteTableAssociationId })
	},
	"route.destination-cidr-block": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.DestinationCidrBlock })
	},
	"route.gateway-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.GatewayId })
	},
	"route.instance-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.InstanceId })
	},
	"route.nat-gateway-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.NatGatewayId })
	},
	"route.destination-ipv6-cidr-block": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.DestinationIpv6CidrBlock })
	},
	"route.egress-only-internet-gateway-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.EgressOnlyInternetGatewayId })
	},
	"route.destination-prefix-list-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.DestinationPrefixListId })
	},
	"route.vpc-peering-connection-id": func(rt types.RouteTable) []string {
		return routeValues(rt, func(r types.Route) *string { return r.VpcPeeringConnectionId })
	},
}

// DescribeRouteTables lists the region's route tables.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html
func (h *EC2) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
	s := h.s
	out := &ec2.DescribeRouteTablesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		rts, err := pick(routeKind, r.RouteTables, in.RouteTableIds)
		if err != nil {
			return err
		}
		all := make([]types.RouteTable, len(rts))
		for i, rt := range rts {
			all[i] = s.routeTableOut(r, rt)
		}
		out.RouteTables, out.NextToken, err = describe(all, in.Filters, routeTableFields,
			func(rt types.RouteTable) []types.Tag { return rt.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteRouteTable refuses the main route table and any table still associated with a subnet.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRouteTable.html
func (h *EC2) DeleteRouteTable(ctx context.Context, in *ec2.DeleteRouteTableInput) (*ec2.DeleteRouteTableOutput, error) {
	if in.RouteTableId == nil {
		return nil, missingParameter("routeTableId")
	}
	return &ec2.DeleteRouteTableOutput{}, h.s.write(ctx, func(r *regionState) error {
		rt, err := find(routeKind, r.RouteTables, *in.RouteTableId)
		if err != nil {
			return err
		}
		if rt.Main || len(rt.Assocs) > 0 {
			return core.Errorf(DependencyViolation, "The routeTable '%s' has dependencies and cannot be deleted.", rt.ID)
		}
		delete(r.RouteTables, rt.ID)
		return nil
	})
}

// routeRequest is what CreateRoute and DeleteRoute share: the table and the destination, an
// IPv4 or an IPv6 block.
func (r *regionState) routeRequest(tableID, destination, destination6, prefixList *string) (*routeTable, string, error) {
	if tableID == nil {
		return nil, "", missingParameter("routeTableId")
	}
	param, v6 := "destinationCidrBlock", false
	switch {
	case prefixList != nil && (destination != nil || destination6 != nil):
		return nil, "", core.Errorf(InvalidParameterCombination, "The parameter destinationPrefixListId cannot be used with destinationCidrBlock or destinationIpv6CidrBlock")
	case prefixList != nil:
		if err := r.checkPrefixList(*prefixList); err != nil {
			return nil, "", err
		}
		rt, err := find(routeKind, r.RouteTables, *tableID)
		return rt, *prefixList, err
	case destination != nil && destination6 != nil:
		return nil, "", core.Errorf(InvalidParameterCombination, "The parameter destinationCidrBlock cannot be used with the parameter destinationIpv6CidrBlock")
	case destination6 != nil:
		destination, param, v6 = destination6, "destinationIpv6CidrBlock", true
	case destination == nil:
		return nil, "", missingParameter("destinationCidrBlock")
	}
	b, err := netcalc.ParseMasked(*destination)
	if err != nil || b.Is4() == v6 {
		return nil, "", invalidValue(param, *destination, "This is not a valid CIDR block.")
	}
	rt, err := find(routeKind, r.RouteTables, *tableID)
	return rt, b.String(), err
}

// routeTargets is what CreateRoute and ReplaceRoute take: the target the simulator routes
// to — an internet gateway (GatewayId), an instance, or a NAT gateway — and the others, which
// it does not simulate.
type routeTargets struct {
	gateway, instance, nat, eigw, pcx *string
	others                            []*string
}

// target resolves the request's one target into a route to dest in rt.
func (r *regionState) target(rt *routeTable, dest string, t routeTargets, now time.Time) (route, error) {
	rte := route{Destination: dest, Origin: types.RouteOriginCreateRoute}
	switch {
	case t.gateway != nil:
		g, err := find(gatewayKind, r.Gateways, *t.gateway)
		if err != nil {
			return rte, err
		}
		if g.VPC != rt.VPC {
			return rte, core.Errorf(InvalidParameterValue, "route table %s and network gateway %s belong to different networks", rt.ID, g.ID)
		}
		rte.Gateway = g.ID
	case t.instance != nil:
		i, err := find(instanceKind, r.Instances, *t.instance)
		if err != nil {
			return rte, err
		}
		if i.VPC != rt.VPC {
			return rte, core.Errorf(InvalidParameterValue, "route table %s and instance %s belong to different networks", rt.ID, i.ID)
		}
		rte.Instance = i.ID
	case t.pcx != nil:
		id, err := r.peeringTarget(rt, *t.pcx, now)
		if err != nil {
			return rte, err
		}
		rte.Peering = id
	case t.eigw != nil:
		g, err := find(eigwKind, r.EIGWs, *t.eigw)
		if err != nil {
			return rte, err
		}
		if g.VPC != rt.VPC {
			return rte, core.Errorf(InvalidParameterValue, "route table %s and egress-only internet gateway %s belong to different networks", rt.ID, g.ID)
		}
		if !isIPv6Route(dest) {
			return rte, core.Errorf(InvalidParameterCombination, "An egress-only internet gateway takes IPv6 routes only (DestinationIpv6CidrBlock).")
		}
		rte.EgressOnly = g.ID
	default:
		n, err := find(natKind, r.NATs, *t.nat)
		if err != nil {
			return rte, err
		}
		if n.stateAt(now) == types.NatGatewayStateDeleted {
			return rte, natKind.notFoundError(n.ID)
		}
		if n.VPC != rt.VPC {
			return rte, core.Errorf(InvalidParameterValue, "route table %s and NAT gateway %s belong to different networks", rt.ID, n.ID)
		}
		rte.NAT = n.ID
	}
	return rte, nil
}

// check refuses the targets the simulator does not route to, and any number but one.
func (t routeTargets) check() error {
	for _, other := range t.others {
		if other != nil {
			return core.Errorf(core.NotImplemented, "The simulator routes only to internet gateways (GatewayId), egress-only internet gateways, VPC peering connections, instances (InstanceId) and NAT gateways (NatGatewayId).")
		}
	}
	n := 0
	for _, p := range []*string{t.gateway, t.instance, t.nat, t.eigw, t.pcx} {
		if p != nil {
			n++
		}
	}
	if n != 1 {
		return core.Errorf(InvalidParameterCombination, "The request must contain exactly one of gatewayId, natGatewayId, instanceId, egressOnlyInternetGatewayId, vpcPeeringConnectionId")
	}
	return nil
}

// CreateRoute adds a route, to an IPv4 or IPv6 block, to an internet gateway attached to the
// table's VPC, an instance in it, a NAT gateway or an egress-only internet gateway in it.
// Other targets (transit gateways, interfaces …) are not simulated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
func (h *EC2) CreateRoute(ctx context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
	t := routeTargets{gateway: in.GatewayId, instance: in.InstanceId, nat: in.NatGatewayId, eigw: in.EgressOnlyInternetGatewayId, pcx: in.VpcPeeringConnectionId, others: []*string{in.NetworkInterfaceId, in.TransitGatewayId,
		in.CarrierGatewayId, in.LocalGatewayId, in.VpcEndpointId, in.CoreNetworkArn, in.OdbNetworkArn}}
	if err := t.check(); err != nil {
		return nil, err
	}
	s := h.s
	return &ec2.CreateRouteOutput{Return: aws.Bool(true)}, s.write(ctx, func(r *regionState) error {
		rt, dest, err := r.routeRequest(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId)
		if err != nil {
			return err
		}
		for _, rte := range rt.Routes {
			if rte.Destination == dest {
				return core.Errorf(RouteAlreadyExists, "The route identified by %s already exists.", dest)
			}
		}
		rte, err := r.target(rt, dest, t, s.now())
		if err != nil {
			return err
		}
		rt.Routes = append(rt.Routes, rte)
		return nil
	})
}

// ReplaceRoute points an existing route at another target; the local route stays.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html
func (h *EC2) ReplaceRoute(ctx context.Context, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error) {
	var local *string
	if aws.ToBool(in.LocalTarget) {
		local = aws.String("local")
	}
	t := routeTargets{gateway: in.GatewayId, instance: in.InstanceId, nat: in.NatGatewayId, eigw: in.EgressOnlyInternetGatewayId, pcx: in.VpcPeeringConnectionId, others: []*string{in.NetworkInterfaceId, in.TransitGatewayId,
		in.CarrierGatewayId, in.LocalGatewayId, in.VpcEndpointId, in.CoreNetworkArn, in.OdbNetworkArn, local}}
	if err := t.check(); err != nil {
		return nil, err
	}
	s := h.s
	return &ec2.ReplaceRouteOutput{}, s.write(ctx, func(r *regionState) error {
		rt, dest, err := r.routeRequest(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rt.Routes, func(rte route) bool { return rte.Destination == dest })
		if i < 0 {
			return core.Errorf(InvalidParameterValue, "There is no route defined for '%s' in the route table. Use CreateRoute instead.", dest)
		}
		if rt.Routes[i].Gateway == "local" {
			return core.Errorf(InvalidParameterValue, "cannot replace local route %s in route table %s", dest, rt.ID)
		}
		if e := rt.Routes[i].Endpoint; e != "" {
			return core.Errorf(InvalidParameterValue, "The route to %s in route table %s is managed by VPC endpoint %s: modify the endpoint instead.", dest, rt.ID, e)
		}
		rte, err := r.target(rt, dest, t, s.now())
		if err != nil {
			return err
		}
		rte.Origin = rt.Routes[i].Origin
		rt.Routes[i] = rte
		return nil
	})
}

// DeleteRoute removes a route; the local route stays.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRoute.html
func (h *EC2) DeleteRoute(ctx context.Context, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error) {
	return &ec2.DeleteRouteOutput{}, h.s.write(ctx, func(r *regionState) error {
		rt, dest, err := r.routeRequest(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId)
		if err != nil {
			return err
		}
		for i, rte := range rt.Routes {
			if rte.Destination != dest {
				continue
			}
			if rte.Gateway == "local" {
				return core.Errorf(InvalidParameterValue, "cannot remove local route %s in route table %s", dest, rt.ID)
			}
			if rte.Endpoint != "" {
				return core.Errorf(InvalidParameterValue, "The route to %s in route table %s is managed by VPC endpoint %s: modify the endpoint instead.", dest, rt.ID, rte.Endpoint)
			}
			rt.Routes = append(rt.Routes[:i], rt.Routes[i+1:]...)
			return nil
		}
		return core.Errorf(InvalidRouteNotFound, "no route with destination-cidr-block %s in route table %s", dest, rt.ID)
	})
}

// AssociateRouteTable gives a subnet its own route table instead of its VPC's main one.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html
func (h *EC2) AssociateRouteTable(ctx context.Context, in *ec2.AssociateRouteTableInput) (*ec2.AssociateRouteTableOutput, error) {
	if in.RouteTableId == nil {
		return nil, missingParameter("routeTableId")
	}
	if in.GatewayId != nil || in.PublicIpv4Pool != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator associates route tables with subnets only.")
	}
	if in.SubnetId == nil {
		return nil, missingParameter("subnetId")
	}
	s := h.s
	out := &ec2.AssociateRouteTableOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		rt, err := find(routeKind, r.RouteTables, *in.RouteTableId)
		if err != nil {
			return err
		}
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		if sn.VPC != rt.VPC {
			return core.Errorf(InvalidParameterValue, "Route table %s and subnet %s belong to different networks", rt.ID, sn.ID)
		}
		for _, other := range r.RouteTables {
			for _, a := range other.Assocs {
				if a.Subnet == sn.ID {
					return core.Errorf(ResourceAlreadyAssociated, "the specified association for route table %s conflicts with an existing association", rt.ID)
				}
			}
		}
		a := association{ID: s.id("rtbassoc"), Subnet: sn.ID}
		rt.Assocs = append(rt.Assocs, a)
		out.AssociationId = aws.String(a.ID)
		out.AssociationState = &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated}
		return nil
	})
}

// DisassociateRouteTable returns a subnet to its VPC's main route table.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateRouteTable.html
func (h *EC2) DisassociateRouteTable(ctx context.Context, in *ec2.DisassociateRouteTableInput) (*ec2.DisassociateRouteTableOutput, error) {
	if in.AssociationId == nil {
		return nil, missingParameter("associationId")
	}
	id := *in.AssociationId
	return &ec2.DisassociateRouteTableOutput{}, h.s.write(ctx, func(r *regionState) error {
		for _, rt := range r.RouteTables {
			if rt.MainAssoc == id {
				return core.Errorf(InvalidParameterValue, "cannot disassociate the main route table association %s", id)
			}
			for i, a := range rt.Assocs {
				if a.ID == id {
					rt.Assocs = append(rt.Assocs[:i], rt.Assocs[i+1:]...)
					return nil
				}
			}
		}
		return core.Errorf(InvalidAssociationIDNotFound, "The association ID '%s' does not exist", id)
	})
}
