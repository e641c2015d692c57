package ec2sim

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// vpcEndpoint is a VPC endpoint: a gateway endpoint (S3, DynamoDB) whose routes send the
// service's prefix list to it, or an interface endpoint with an interface in each of its
// subnets. Both are records: no traffic goes through them, and an interface endpoint's
// interfaces are IDs, not interfaces DescribeNetworkInterfaces lists.
type vpcEndpoint struct {
	meta
	VPC, Service string
	Type         types.VpcEndpointType
	RouteTables  []string `json:",omitempty"` // Gateway
	Subnets      []string `json:",omitempty"` // Interface
	ENIs         []string `json:",omitempty"` // Interface: one per subnet
	Groups       []string `json:",omitempty"` // Interface
	Policy       string
	PrivateDNS   bool
	Created      time.Time
	ClientToken  string `json:",omitempty"`
}

// endpointState is a region's VPC endpoints.
type endpointState struct {
	Endpoints map[string]*vpcEndpoint `json:",omitempty"`
}

var endpointKind = kind{"vpce", InvalidVpcEndpointIDMalformed, InvalidVpcEndpointIDNotFound, "The VpcEndpoint ID '%s' does not exist", types.ResourceTypeVpcEndpoint}

func init() {
	taggable[endpointKind.prefix] = endpointKind
	tagHolders = append(tagHolders, tagHolder{endpointKind, func(r *regionState) []*meta { return metas(r.Endpoints) }})
}

// An endpoint's states as AWS writes them, in lower case (the SDK's State constants are
// capitalized): https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html
const (
	endpointAvailable types.State = "available"
	endpointPending   types.State = "pending"
)

// fullAccess is the policy an endpoint has unless given one.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
const fullAccess = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

// endpointServices are the AWS services the simulator offers endpoints for, with the types
// each takes: S3 and DynamoDB gateway endpoints, and interface endpoints of the services a
// private subnet's instances commonly call.
// https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
var endpointServices = []struct {
	name  string
	types []types.VpcEndpointType
}{
	{"autoscaling", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"cloudformation", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"dynamodb", []types.VpcEndpointType{types.VpcEndpointTypeGateway, types.VpcEndpointTypeInterface}},
	{"ec2", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"ec2messages", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"elasticloadbalancing", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"logs", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"monitoring", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"rds", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"s3", []types.VpcEndpointType{types.VpcEndpointTypeGateway, types.VpcEndpointTypeInterface}},
	{"sns", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"ssm", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"ssmmessages", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
	{"sts", []types.VpcEndpointType{types.VpcEndpointTypeInterface}},
}

// serviceTypes returns the endpoint types of a service name of the region, or nil.
func serviceTypes(region, name string) []types.VpcEndpointType {
	for _, sv := range endpointServices {
		if "com.amazonaws."+region+"."+sv.name == name {
			return sv.types
		}
	}
	return nil
}

func (s *Store) endpointOut(r *regionState, e *vpcEndpoint) types.VpcEndpoint {
	out := types.VpcEndpoint{
		VpcEndpointId: aws.String(e.ID), VpcEndpointType: e.Type, VpcId: aws.String(e.VPC), ServiceName: aws.String(e.Service),
		State: endpointAvailable, PolicyDocument: aws.String(e.Policy), OwnerId: aws.String(s.account), RequesterManaged: aws.Bool(false),
		CreationTimestamp: aws.Time(e.Created), Tags: e.Tags.out(), PrivateDnsEnabled: aws.Bool(e.PrivateDNS), IpAddressType: types.IpAddressTypeIpv4,
		RouteTableIds: nonNil(slices.Clone(e.RouteTables)), SubnetIds: nonNil(slices.Clone(e.Subnets)), NetworkInterfaceIds: nonNil(slices.Clone(e.ENIs)),
		DnsEntries: []types.DnsEntry{}, Groups: []types.SecurityGroupIdentifier{},
	}
	if e.Type == types.VpcEndpointTypeInterface {
		svc := strings.TrimPrefix(e.Service, "com.amazonaws."+r.Name+".")
		out.DnsEntries = append(out.DnsEntries, types.DnsEntry{DnsName: aws.String(e.ID + "." + svc + "." + r.Name + ".vpce.amazonaws.com")})
		for _, sn := range e.Subnets {
			if x := r.Subnets[sn]; x != nil {
				out.DnsEntries = append(out.DnsEntries, types.DnsEntry{DnsName: aws.String(e.ID + "-" + x.Zone.Name + "." + svc + "." + r.Name + ".vpce.amazonaws.com")})
			}
		}
		for _, g := range r.groupIdentifiers(e.Groups) {
			out.Groups = append(out.Groups, types.SecurityGroupIdentifier{GroupId: g.GroupId, GroupName: g.GroupName})
		}
		out.DnsOptions = &types.DnsOptions{DnsRecordIpType: types.DnsRecordIpTypeIpv4}
	}
	return out
}

// checkPolicy refuses an endpoint policy that is not a JSON object.
func checkPolicy(p *string) (string, error) {
	if p == nil {
		return fullAccess, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(*p), &doc); err != nil {
		return "", core.Errorf(InvalidPolicyDocument, "The policy document is not valid JSON: %v", err)
	}
	return *p, nil
}

// endpointTables checks the route tables a gateway endpoint of service is given: each of
// the VPC's, none already routing the service's prefix list.
func (r *regionState) endpointTables(vpcID string, pl *prefixList, ids []string) error {
	for _, id := range ids {
		rt, err := find(routeKind, r.RouteTables, id)
		if err != nil {
			return err
		}
		if rt.VPC != vpcID {
			return core.Errorf(InvalidParameter, "Route table %s is not in VPC %s.", rt.ID, vpcID)
		}
		if slices.ContainsFunc(rt.Routes, func(rte route) bool { return rte.Destination == pl.ID }) {
			return core.Errorf(RouteAlreadyExists, "The route identified by %s already exists in route table %s.", pl.ID, rt.ID)
		}
	}
	return nil
}

// endpointSubnets checks the subnets an interface endpoint is given: the VPC's, one a zone.
func (r *regionState) endpointSubnets(vpcID string, have, add []string) error {
	zones := map[string]string{}
	for _, id := range have {
		if sn := r.Subnets[id]; sn != nil {
			zones[sn.Zone.Name] = id
		}
	}
	for _, id := range add {
		sn, err := find(subnetKind, r.Subnets, id)
		if err != nil {
			return err
		}
		if sn.VPC != vpcID {
			return core.Errorf(InvalidParameter, "Subnet %s is not in VPC %s.", sn.ID, vpcID)
		}
		if other, ok := zones[sn.Zone.Name]; ok {
			return core.Errorf(DuplicateSubnetsInSameZone, "Found another VPC endpoint subnet in the availability zone of %s (%s)", sn.ID, other)
		}
		zones[sn.Zone.Name] = sn.ID
	}
	return nil
}

// endpointGroups checks an interface endpoint's security groups: the VPC's.
func (r *regionState) endpointGroups(vpcID string, ids []string) error {
	for _, id := range ids {
		g, err := find(groupKind, r.Groups, id)
		if err != nil {
			return err
		}
		if g.VPC != vpcID {
			return core.Errorf(InvalidParameter, "Security group %s is not in VPC %s.", g.ID, vpcID)
		}
	}
	return nil
}

// routeEndpoint adds the gateway endpoint's route to each table: the service's prefix list
// to the endpoint.
func (r *regionState) routeEndpoint(e *vpcEndpoint, tables []string) {
	pl := servicePrefixList(r.Name, e.Service)
	for _, id := range tables {
		rt := r.RouteTables[id]
		rt.Routes = append(rt.Routes, route{Destination: pl.ID, Endpoint: e.ID, Origin: types.RouteOriginCreateRoute})
	}
}

// unrouteEndpoint takes the endpoint's routes out of the tables.
func (r *regionState) unrouteEndpoint(e *vpcEndpoint, tables []string) {
	for _, id := range tables {
		if rt := r.RouteTables[id]; rt != nil {
			rt.Routes = slices.DeleteFunc(rt.Routes, func(rte route) bool { return rte.Endpoint == e.ID })
		}
	}
}

// CreateVpcEndpoint makes a gateway endpoint (S3, DynamoDB), which adds a route to the
// service's prefix list in each route table given, or an interface endpoint, with an
// interface in each subnet given (one a zone) and the VPC's default security group unless
// others are given. Resource and service-network endpoints are not simulated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
func (h *EC2) CreateVpcEndpoint(ctx context.Context, in *ec2.CreateVpcEndpointInput) (*ec2.CreateVpcEndpointOutput, error) {
	region := core.RegionFrom(ctx)
	typ := in.VpcEndpointType
	switch typ {
	case "":
		typ = types.VpcEndpointTypeGateway
	case types.VpcEndpointTypeGateway, types.VpcEndpointTypeInterface:
	default:
		return nil, core.Errorf(core.NotImplemented, "The simulator makes Gateway and Interface endpoints: %s endpoints are not simulated.", typ)
	}
	switch {
	case in.VpcId == nil:
		return nil, missingParameter("vpcId")
	case in.ServiceName == nil:
		return nil, missingParameter("serviceName")
	case in.ServiceRegion != nil && *in.ServiceRegion != region:
		return nil, core.Errorf(core.NotImplemented, "The simulator makes endpoints of the region's own services.")
	case len(in.SubnetConfigurations) > 0 || in.DnsOptions != nil || in.IpAddressType != "" && in.IpAddressType != types.IpAddressTypeIpv4:
		return nil, core.Errorf(core.NotImplemented, "The simulator's endpoints are IPv4, without subnet configurations or DNS options.")
	}
	ts := serviceTypes(region, *in.ServiceName)
	if ts == nil {
		return nil, core.Errorf(InvalidServiceName, "The Vpc Endpoint Service '%s' does not exist", *in.ServiceName)
	}
	if !slices.Contains(ts, typ) {
		return nil, core.Errorf(InvalidParameter, "The Vpc Endpoint Service '%s' does not support endpoint type %s.", *in.ServiceName, typ)
	}
	if typ == types.VpcEndpointTypeGateway && (len(in.SubnetIds) > 0 || len(in.SecurityGroupIds) > 0 || aws.ToBool(in.PrivateDnsEnabled)) {
		return nil, core.Errorf(InvalidParameter, "A Gateway endpoint takes route tables, not subnets, security groups or private DNS.")
	}
	if typ == types.VpcEndpointTypeInterface && len(in.RouteTableIds) > 0 {
		return nil, core.Errorf(InvalidParameter, "An Interface endpoint takes subnets, not route tables.")
	}
	policy, err := checkPolicy(in.PolicyDocument)
	if err != nil {
		return nil, err
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeVpcEndpoint)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateVpcEndpointOutput{ClientToken: in.ClientToken}
	return out, s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, e := range inOrder(r.Endpoints) {
				if e.ClientToken == tok {
					o := s.endpointOut(r, e)
					out.VpcEndpoint = &o
					return nil
				}
			}
		}
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		e := &vpcEndpoint{meta: r.newMeta(s.id("vpce"), t), VPC: v.ID, Service: *in.ServiceName, Type: typ, Policy: policy, Created: s.now(),
			ClientToken: aws.ToString(in.ClientToken)}
		if typ == types.VpcEndpointTypeGateway {
			tables := dedupe(in.RouteTableIds)
			if err := r.endpointTables(v.ID, servicePrefixList(r.Name, e.Service), tables); err != nil {
				return err
			}
			e.RouteTables = tables
			r.routeEndpoint(e, tables)
		} else {
			subnets, groups := dedupe(in.SubnetIds), dedupe(in.SecurityGroupIds)
			if err := r.endpointSubnets(v.ID, nil, subnets); err != nil {
				return err
			}
			if err := r.endpointGroups(v.ID, groups); err != nil {
				return err
			}
			if len(groups) == 0 {
				groups = []string{r.groupNamed(v.ID, defaultGroupName).ID}
			}
			e.Subnets, e.Groups, e.PrivateDNS = subnets, groups, in.PrivateDnsEnabled == nil || *in.PrivateDnsEnabled
			for range subnets {
				e.ENIs = append(e.ENIs, s.id("eni"))
			}
		}
		if r.Endpoints == nil {
			r.Endpoints = map[string]*vpcEndpoint{}
		}
		r.Endpoints[e.ID] = e
		o := s.endpointOut(r, e)
		if typ == types.VpcEndpointTypeInterface {
			o.State = endpointPending // as AWS answers; described, it is available
		}
		out.VpcEndpoint = &o
		return nil
	})
}

var endpointFields = fields[types.VpcEndpoint]{
	"vpc-endpoint-id":    func(e types.VpcEndpoint) []string { return one(*e.VpcEndpointId) },
	"vpc-id":             func(e types.VpcEndpoint) []string { return one(*e.VpcId) },
	"service-name":       func(e types.VpcEndpoint) []string { return one(*e.ServiceName) },
	"vpc-endpoint-state": func(e types.VpcEndpoint) []string { return one(strings.ToLower(string(e.State))) },
	"vpc-endpoint-type":  func(e types.VpcEndpoint) []string { return one(string(e.VpcEndpointType)) },
	"ip-address-type":    func(e types.VpcEndpoint) []string { return one(string(e.IpAddressType)) },
}

// DescribeVpcEndpoints lists the region's endpoints.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html
func (h *EC2) DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput) (*ec2.DescribeVpcEndpointsOutput, error) {
	s := h.s
	out := &ec2.DescribeVpcEndpointsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		es, err := pick(endpointKind, r.Endpoints, in.VpcEndpointIds)
		if err != nil {
			return err
		}
		all := make([]types.VpcEndpoint, len(es))
		for i, e := range es {
			all[i] = s.endpointOut(r, e)
		}
		out.VpcEndpoints, out.NextToken, err = describe(all, in.Filters, endpointFields,
			func(e types.VpcEndpoint) []types.Tag { return e.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// ModifyVpcEndpoint changes an endpoint's route tables (its routes with them), subnets,
// security groups, policy or private DNS.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html
func (h *EC2) ModifyVpcEndpoint(ctx context.Context, in *ec2.ModifyVpcEndpointInput) (*ec2.ModifyVpcEndpointOutput, error) {
	switch {
	case in.VpcEndpointId == nil:
		return nil, missingParameter("vpcEndpointId")
	case len(in.SubnetConfigurations) > 0 || in.DnsOptions != nil || in.IpAddressType != "":
		return nil, core.Errorf(core.NotImplemented, "The simulator's endpoints are IPv4, without subnet configurations or DNS options.")
	case in.PolicyDocument != nil && aws.ToBool(in.ResetPolicy):
		return nil, core.Errorf(InvalidParameterCombination, "PolicyDocument and ResetPolicy cannot be used together.")
	}
	var policy string
	if in.PolicyDocument != nil {
		var err error
		if policy, err = checkPolicy(in.PolicyDocument); err != nil {
			return nil, err
		}
	}
	s := h.s
	return &ec2.ModifyVpcEndpointOutput{Return: aws.Bool(true)}, s.write(ctx, func(r *regionState) error {
		e, err := find(endpointKind, r.Endpoints, *in.VpcEndpointId)
		if err != nil {
			return err
		}
		gateway := e.Type == types.VpcEndpointTypeGateway
		if gateway && (len(in.AddSubnetIds)+len(in.RemoveSubnetIds)+len(in.AddSecurityGroupIds)+len(in.RemoveSecurityGroupIds) > 0 || in.PrivateDnsEnabled != nil) {
			return core.Errorf(InvalidParameter, "A Gateway endpoint takes route tables, not subnets, security groups or private DNS.")
		}
		if !gateway && len(in.AddRouteTableIds)+len(in.RemoveRouteTableIds) > 0 {
			return core.Errorf(InvalidParameter, "An Interface endpoint takes subnets, not route tables.")
		}
		addTables := slices.DeleteFunc(dedupe(in.AddRouteTableIds), func(id string) bool { return slices.Contains(e.RouteTables, id) })
		if err := r.endpointTables(e.VPC, servicePrefixList(r.Name, e.Service), addTables); err != nil {
			return err
		}
		for _, id := range in.RemoveRouteTableIds {
			if !slices.Contains(e.RouteTables, id) {
				return core.Errorf(InvalidParameter, "Route table %s is not associated with endpoint %s.", id, e.ID)
			}
		}
		addSubnets := slices.DeleteFunc(dedupe(in.AddSubnetIds), func(id string) bool { return slices.Contains(e.Subnets, id) })
		keep := slices.DeleteFunc(slices.Clone(e.Subnets), func(id string) bool { return slices.Contains(in.RemoveSubnetIds, id) })
		if err := r.endpointSubnets(e.VPC, keep, addSubnets); err != nil {
			return err
		}
		if err := r.endpointGroups(e.VPC, in.AddSecurityGroupIds); err != nil {
			return err
		}
		groups := slices.DeleteFunc(append(slices.Clone(e.Groups), in.AddSecurityGroupIds...), func(id string) bool { return slices.Contains(in.RemoveSecurityGroupIds, id) })
		if !gateway && len(groups) == 0 {
			return core.Errorf(InvalidParameter, "An Interface endpoint needs at least one security group.")
		}
		// Checked: now change.
		r.unrouteEndpoint(e, in.RemoveRouteTableIds)
		e.RouteTables = slices.DeleteFunc(e.RouteTables, func(id string) bool { return slices.Contains(in.RemoveRouteTableIds, id) })
		r.routeEndpoint(e, addTables)
		e.RouteTables = append(e.RouteTables, addTables...)
		var enis []string
		for i, id := range e.Subnets {
			if slices.Contains(keep, id) {
				enis = append(enis, e.ENIs[i])
			}
		}
		for range addSubnets {
			enis = append(enis, s.id("eni"))
		}
		e.Subnets, e.ENIs, e.Groups = append(keep, addSubnets...), enis, dedupe(groups)
		if in.PolicyDocument != nil {
			e.Policy = policy
		}
		if aws.ToBool(in.ResetPolicy) {
			e.Policy = fullAccess
		}
		if in.PrivateDnsEnabled != nil {
			e.PrivateDNS = *in.PrivateDnsEnabled
		}
		return nil
	})
}

// DeleteVpcEndpoints deletes endpoints, and a gateway endpoint's routes; an ID that cannot be
// deleted is listed as unsuccessful, as AWS does.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpoints.html
func (h *EC2) DeleteVpcEndpoints(ctx context.Context, in *ec2.DeleteVpcEndpointsInput) (*ec2.DeleteVpcEndpointsOutput, error) {
	if len(in.VpcEndpointIds) == 0 {
		return nil, missingParameter("vpcEndpointId")
	}
	out := &ec2.DeleteVpcEndpointsOutput{Unsuccessful: []types.UnsuccessfulItem{}}
	return out, h.s.write(ctx, func(r *regionState) error {
		for _, id := range in.VpcEndpointIds {
			e, err := find(endpointKind, r.Endpoints, id)
			if err != nil {
				ce := err.(*core.Error)
				out.Unsuccessful = append(out.Unsuccessful, types.UnsuccessfulItem{ResourceId: aws.String(id),
					Error: &types.UnsuccessfulItemError{Code: aws.String(string(ce.Code)), Message: aws.String(ce.Message)}})
				continue
			}
			r.unrouteEndpoint(e, e.RouteTables)
			delete(r.Endpoints, e.ID)
		}
		return nil
	})
}

// DescribeVpcEndpointServices lists the services the simulator makes endpoints of.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointServices.html
func (h *EC2) DescribeVpcEndpointServices(ctx context.Context, in *ec2.DescribeVpcEndpointServicesInput) (*ec2.DescribeVpcEndpointServicesOutput, error) {
	region := core.RegionFrom(ctx)
	geo, ok := lookupRegion(region)
	if !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", region)
	}
	var zones, zoneIDs []string
	for _, z := range geo.zones() {
		zones, zoneIDs = append(zones, z.Name), append(zoneIDs, z.ID)
	}
	var all []types.ServiceDetail
	for _, sv := range endpointServices {
		name := "com.amazonaws." + region + "." + sv.name
		for _, typ := range sv.types {
			d := types.ServiceDetail{
				ServiceName: aws.String(name), ServiceId: aws.String("vpce-svc-" + sv.name), Owner: aws.String("amazon"),
				ServiceType:       []types.ServiceTypeDetail{{ServiceType: types.ServiceType(typ)}},
				AvailabilityZones: zones, AvailabilityZoneIds: zoneIDs, AcceptanceRequired: aws.Bool(false), ManagesVpcEndpoints: aws.Bool(false),
				VpcEndpointPolicySupported: aws.Bool(true), BaseEndpointDnsNames: []string{sv.name + "." + region + ".amazonaws.com"},
				SupportedIpAddressTypes: []types.ServiceConnectivityType{types.ServiceConnectivityTypeIpv4}, Tags: []types.Tag{},
				ServiceRegion: aws.String(region), PrivateDnsNameVerificationState: types.DnsNameStateVerified,
			}
			if typ == types.VpcEndpointTypeInterface {
				d.PrivateDnsName = aws.String(sv.name + "." + region + ".amazonaws.com")
			}
			all = append(all, d)
		}
	}
	if len(in.ServiceNames) > 0 {
		var missing []string
		for _, n := range in.ServiceNames {
			if serviceTypes(region, n) == nil {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, core.Errorf(InvalidServiceName, "The Vpc Endpoint Service '%s' does not exist", missing[0])
		}
		all = slices.DeleteFunc(all, func(d types.ServiceDetail) bool { return !slices.Contains(in.ServiceNames, *d.ServiceName) })
	}
	details, err := where(in.Filters, fields[types.ServiceDetail]{
		"service-name": func(d types.ServiceDetail) []string { return one(*d.ServiceName) },
		"service-type": func(d types.ServiceDetail) []string { return one(string(d.ServiceType[0].ServiceType)) },
		"owner":        func(d types.ServiceDetail) []string { return one(*d.Owner) },
	}, func(d types.ServiceDetail) []types.Tag { return d.Tags }, all)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcEndpointServicesOutput{}
	out.ServiceDetails, out.NextToken, err = page(details, in.MaxResults, in.NextToken, 5, 1000)
	out.ServiceDetails = nonNil(out.ServiceDetails)
	out.ServiceNames = []string{}
	for _, d := range out.ServiceDetails {
		if !slices.Contains(out.ServiceNames, *d.ServiceName) {
			out.ServiceNames = append(out.ServiceNames, *d.ServiceName)
		}
	}
	return out, err
}
