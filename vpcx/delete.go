package vpcx

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// deleteWait bounds each of Delete's waits: instances terminated, endpoints and NAT
// gateways deleted.
const deleteWait = 10 * time.Minute

// Delete takes the VPC called id apart with everything in it, finding each dependent AWS
// requires gone before the VPC goes, in the order it requires:
//
//  1. its instances, terminated (their Spot requests cancelled first) and waited for — a
//     bastion and the servers behind it alike;
//  2. its VPC endpoints, deleted and waited for; its VPC peering connections that are
//     pending or active, deleted; its egress-only internet gateways, deleted;
//  3. its NAT gateways, deleted and waited for, and their Elastic IPs released;
//  4. the Elastic IPs that were associated in it, released (they would go on costing);
//  5. its network interfaces left over (detached ones, and attached ones no instance
//     owns), deleted; those AWS manages for a service go with that service;
//  6. its internet gateways, detached and deleted;
//  7. its subnets, its route tables but the main one, its network ACLs but the default
//     one;
//  8. its security groups but the default one, after the rules by which they refer to
//     one another are revoked;
//  9. the VPC.
//
// It stops at the first refusal and returns it, naming the step; run it again once the
// cause is fixed: what is gone already is skipped. A VPC that does not exist is no error.
// Of the options, it reads Poll.
func Delete(ctx context.Context, cfg aws.Config, id string, optFns ...func(*Options)) error {
	if err := deleteVPC(ctx, ec2.NewFromConfig(cfg), id, options(optFns).Poll); err != nil {
		return fmt.Errorf("vpcx: delete %q: %w", id, err)
	}
	return nil
}

func deleteVPC(ctx context.Context, client *ec2.Client, id string, poll time.Duration) error {
	if _, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}); code(err) == "InvalidVpcID.NotFound" {
		return nil
	} else if err != nil {
		return err
	}
	inVPC := []types.Filter{{Name: aws.String("vpc-id"), Values: []string{id}}}
	// The addresses associated in the VPC, found before the instances go: a terminated
	// instance's Elastic IP is disassociated and stays allocated, no longer tied to the VPC.
	enis, err := networkInterfaces(ctx, client, inVPC)
	if err != nil {
		return fmt.Errorf("network interfaces: %w", err)
	}
	var addresses []types.Address
	if len(enis) > 0 {
		var ids []string
		for _, n := range enis {
			ids = append(ids, aws.ToString(n.NetworkInterfaceId))
		}
		out, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{{Name: aws.String("network-interface-id"), Values: ids}}})
		if err != nil {
			return fmt.Errorf("Elastic IPs: %w", err)
		}
		addresses = out.Addresses
	}
	if err := terminateInstances(ctx, client, inVPC, poll); err != nil {
		return fmt.Errorf("instances: %w", err)
	}
	if err := deleteEndpoints(ctx, client, id, poll); err != nil {
		return fmt.Errorf("VPC endpoints: %w", err)
	}
	if err := deletePeerings(ctx, client, id); err != nil {
		return fmt.Errorf("VPC peering connections: %w", err)
	}
	if err := deleteEgressOnlyGateways(ctx, client, id); err != nil {
		return fmt.Errorf("egress-only internet gateways: %w", err)
	}
	natAddresses, err := deleteNATs(ctx, client, id, poll)
	if err != nil {
		return fmt.Errorf("NAT gateways: %w", err)
	}
	for _, a := range addresses {
		if slices.Contains(natAddresses, aws.ToString(a.AllocationId)) {
			continue // released with its NAT gateway
		}
		if a.AssociationId != nil {
			if _, err := client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}); err != nil && code(err) != "InvalidAssociationID.NotFound" {
				return fmt.Errorf("Elastic IP %s: %w", aws.ToString(a.PublicIp), err)
			}
		}
		if _, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}); err != nil && code(err) != "InvalidAllocationID.NotFound" {
			return fmt.Errorf("Elastic IP %s: %w", aws.ToString(a.PublicIp), err)
		}
	}
	if err := deleteInterfaces(ctx, client, inVPC); err != nil {
		return fmt.Errorf("network interfaces: %w", err)
	}
	igws, err := client.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{
		Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{id}}},
	})
	if err != nil {
		return err
	}
	for _, g := range igws.InternetGateways {
		if _, err := client.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: g.InternetGatewayId, VpcId: &id}); err != nil {
			return fmt.Errorf("internet gateway %s: %w", aws.ToString(g.InternetGatewayId), err)
		}
		if _, err := client.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: g.InternetGatewayId}); err != nil {
			return fmt.Errorf("internet gateway %s: %w", aws.ToString(g.InternetGatewayId), err)
		}
	}
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, s := range subnets.Subnets {
		if _, err := client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: s.SubnetId}); err != nil {
			return fmt.Errorf("subnet %s: %w", aws.ToString(s.SubnetId), err)
		}
	}
	tables, err := client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, t := range tables.RouteTables {
		if isMain(t) {
			continue
		}
		if _, err := client.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: t.RouteTableId}); err != nil {
			return fmt.Errorf("route table %s: %w", aws.ToString(t.RouteTableId), err)
		}
	}
	acls, err := client.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: inVPC})
	if err != nil {
		return err
	}
	for _, a := range acls.NetworkAcls {
		if aws.ToBool(a.IsDefault) {
			continue
		}
		if _, err := client.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: a.NetworkAclId}); err != nil {
			return fmt.Errorf("network ACL %s: %w", aws.ToString(a.NetworkAclId), err)
		}
	}
	if err := deleteGroups(ctx, client, inVPC); err != nil {
		return err
	}
	if _, err := client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &id}); err != nil && code(err) != "InvalidVpcID.NotFound" {
		return err
	}
	return nil
}

// code returns the AWS error code of err, "" when it has none.
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isMain reports whether t is its VPC's main route table, which goes with the VPC.
func isMain(t types.RouteTable) bool {
	for _, a := range t.Associations {
		if aws.ToBool(a.Main) {
			return true
		}
	}
	return false
}

func networkInterfaces(ctx context.Context, client *ec2.Client, filters []types.Filter) ([]types.NetworkInterface, error) {
	var out []types.NetworkInterface
	pages := ec2.NewDescribeNetworkInterfacesPaginator(client, &ec2.DescribeNetworkInterfacesInput{Filters: filters})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.NetworkInterfaces...)
	}
	return out, nil
}

// terminateInstances terminates the instances in the VPC, cancelling their Spot requests
// first (an open persistent request would launch again), and waits until they are gone.
func terminateInstances(ctx context.Context, client *ec2.Client, inVPC []types.Filter, poll time.Duration) error {
	var ids, requests []string
	pages := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{Filters: append(slices.Clone(inVPC),
		types.Filter{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped", "shutting-down"}})})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
				if q := aws.ToString(i.SpotInstanceRequestId); q != "" {
					requests = append(requests, q)
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if len(requests) > 0 {
		if _, err := client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: requests}); err != nil {
			return err
		}
	}
	if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
		return err
	}
	if err := ec2.NewInstanceTerminatedWaiter(client, func(w *ec2.InstanceTerminatedWaiterOptions) {
		w.MinDelay, w.MaxDelay = poll, 3*poll
	}).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, deleteWait); err != nil {
		return fmt.Errorf("waiting for %v to terminate: %w", ids, err)
	}
	return nil
}

// deleteEndpoints deletes the VPC's endpoints and waits until they are gone.
func deleteEndpoints(ctx context.Context, client *ec2.Client, id string, poll time.Duration) error {
	list := func() ([]string, error) {
		var ids []string
		pages := ec2.NewDescribeVpcEndpointsPaginator(client, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{id}},
		}})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, e := range page.VpcEndpoints {
				if s := types.State(e.State); s != types.StateDeleted && s != types.State("deleted") {
					ids = append(ids, aws.ToString(e.VpcEndpointId))
				}
			}
		}
		return ids, nil
	}
	ids, err := list()
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := client.DeleteVpcEndpoints(ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: ids}); err != nil {
		return err
	}
	// The SDK has no waiter for endpoints: ask until none is left.
	deadline := time.Now().Add(deleteWait)
	for delay := poll; ; delay = min(delay*2, 3*poll) {
		left, err := list()
		if err != nil || len(left) == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%v still there after %v", left, deleteWait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// deletePeerings deletes the VPC peering connections of the VPC id, on either side, that
// are pending acceptance or active; the others are gone already.
func deletePeerings(ctx context.Context, client *ec2.Client, id string) error {
	live := types.Filter{Name: aws.String("status-code"), Values: []string{"pending-acceptance", "active"}}
	for _, side := range []string{"requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"} {
		pages := ec2.NewDescribeVpcPeeringConnectionsPaginator(client, &ec2.DescribeVpcPeeringConnectionsInput{
			Filters: []types.Filter{{Name: aws.String(side), Values: []string{id}}, live},
		})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, p := range page.VpcPeeringConnections {
				if _, err := client.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: p.VpcPeeringConnectionId}); err != nil &&
					code(err) != "InvalidVpcPeeringConnectionID.NotFound" {
					return err
				}
			}
		}
	}
	return nil
}

// deleteEgressOnlyGateways deletes the egress-only internet gateways attached to the VPC id.
// DescribeEgressOnlyInternetGateways filters by tags only, so every page is read.
func deleteEgressOnlyGateways(ctx context.Context, client *ec2.Client, id string) error {
	pages := ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(client, &ec2.DescribeEgressOnlyInternetGatewaysInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, g := range page.EgressOnlyInternetGateways {
			for _, a := range g.Attachments {
				if aws.ToString(a.VpcId) != id {
					continue
				}
				if _, err := client.DeleteEgressOnlyInternetGateway(ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: g.EgressOnlyInternetGatewayId}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// deleteNATs deletes the NAT gateways of the VPC id that are not deleted already, waits until
// they are, and releases their Elastic IPs, which would go on costing. It returns the
// allocation IDs it released.
func deleteNATs(ctx context.Context, client *ec2.Client, id string, poll time.Duration) ([]string, error) {
	out, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{id}}, {Name: aws.String("state"), Values: []string{"pending", "available", "deleting"}},
	}})
	if err != nil {
		return nil, err
	}
	var ids, allocations []string
	for _, g := range out.NatGateways {
		ids = append(ids, aws.ToString(g.NatGatewayId))
		for _, a := range g.NatGatewayAddresses {
			if a.AllocationId != nil {
				allocations = append(allocations, aws.ToString(a.AllocationId))
			}
		}
		if g.State != types.NatGatewayStateDeleting {
			if _, err := client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: g.NatGatewayId}); err != nil {
				return nil, err
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := ec2.NewNatGatewayDeletedWaiter(client, func(w *ec2.NatGatewayDeletedWaiterOptions) {
		w.MinDelay, w.MaxDelay = poll, 3*poll
	}).Wait(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: ids}, deleteWait); err != nil {
		return nil, fmt.Errorf("waiting for NAT gateways %v to go: %w", ids, err)
	}
	for _, a := range allocations {
		if _, err := client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &a}); err != nil && code(err) != "InvalidAllocationID.NotFound" {
			return nil, err
		}
	}
	return allocations, nil
}

// deleteInterfaces deletes the network interfaces left in the VPC once its instances and
// gateways are gone: detached ones, and attached ones that no instance owns. Interfaces a
// service manages (requester-managed: a load balancer's, an endpoint's) go with it.
func deleteInterfaces(ctx context.Context, client *ec2.Client, inVPC []types.Filter) error {
	enis, err := networkInterfaces(ctx, client, inVPC)
	if err != nil {
		return err
	}
	for _, n := range enis {
		if aws.ToBool(n.RequesterManaged) {
			continue
		}
		id := aws.ToString(n.NetworkInterfaceId)
		if a := n.Attachment; a != nil && a.AttachmentId != nil && a.Status != types.AttachmentStatusDetached {
			if _, err := client.DetachNetworkInterface(ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: a.AttachmentId, Force: aws.Bool(true)}); err != nil &&
				code(err) != "InvalidAttachmentID.NotFound" {
				return fmt.Errorf("%s: %w", id, err)
			}
		}
		if _, err := client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: n.NetworkInterfaceId}); err != nil &&
			code(err) != "InvalidNetworkInterfaceID.NotFound" {
			return fmt.Errorf("%s: %w", id, err)
		}
	}
	return nil
}

// deleteGroups deletes the VPC's security groups but the default one: first the rules by
// which groups refer to one another (a group another's rule names cannot be deleted), then
// the groups. The default group keeps its rule that names itself, and goes with the VPC.
func deleteGroups(ctx context.Context, client *ec2.Client, inVPC []types.Filter) error {
	var groups []types.SecurityGroup
	pages := ec2.NewDescribeSecurityGroupsPaginator(client, &ec2.DescribeSecurityGroupsInput{Filters: inVPC})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		groups = append(groups, page.SecurityGroups...)
	}
	// The rules that name another group, the default group's included.
	others := func(self *string, ps []types.IpPermission) []types.IpPermission {
		var out []types.IpPermission
		for _, p := range ps {
			var pairs []types.UserIdGroupPair
			for _, pair := range p.UserIdGroupPairs {
				if aws.ToString(pair.GroupId) != aws.ToString(self) {
					pairs = append(pairs, types.UserIdGroupPair{GroupId: pair.GroupId})
				}
			}
			if len(pairs) > 0 {
				out = append(out, types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, UserIdGroupPairs: pairs})
			}
		}
		return out
	}
	for _, g := range groups {
		if in := others(g.GroupId, g.IpPermissions); len(in) > 0 {
			if _, err := client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: in}); err != nil {
				return fmt.Errorf("security group %s: %w", aws.ToString(g.GroupId), err)
			}
		}
		if out := others(g.GroupId, g.IpPermissionsEgress); len(out) > 0 {
			if _, err := client.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: g.GroupId, IpPermissions: out}); err != nil {
				return fmt.Errorf("security group %s: %w", aws.ToString(g.GroupId), err)
			}
		}
	}
	for _, g := range groups {
		if aws.ToString(g.GroupName) == "default" {
			continue
		}
		if _, err := client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: g.GroupId}); err != nil && code(err) != "InvalidGroup.NotFound" {
			return fmt.Errorf("security group %s: %w", aws.ToString(g.GroupId), err)
		}
	}
	return nil
}
