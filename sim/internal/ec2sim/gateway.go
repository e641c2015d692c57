package ec2sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

type gateway struct {
	meta
	VPC string // the VPC it is attached to, or ""
}

func (s *Store) newGateway(r *regionState, t tags) *gateway {
	g := &gateway{meta: r.newMeta(s.id("igw"), t)}
	r.Gateways[g.ID] = g
	return g
}

func (s *Store) gatewayOut(g *gateway) types.InternetGateway {
	out := types.InternetGateway{
		InternetGatewayId: aws.String(g.ID), OwnerId: aws.String(s.account),
		Attachments: []types.InternetGatewayAttachment{}, Tags: g.Tags.out(),
	}
	if g.VPC != "" {
		// An attached internet gateway's attachment state is "available".
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InternetGatewayAttachment.html
		out.Attachments = append(out.Attachments, types.InternetGatewayAttachment{State: types.AttachmentStatus("available"), VpcId: aws.String(g.VPC)})
	}
	return out
}

// CreateInternetGateway makes a detached gateway.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInternetGateway.html
func (h *EC2) CreateInternetGateway(ctx context.Context, in *ec2.CreateInternetGatewayInput) (*ec2.CreateInternetGatewayOutput, error) {
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeInternetGateway)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateInternetGatewayOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		o := s.gatewayOut(s.newGateway(r, t))
		out.InternetGateway = &o
		return nil
	})
}

// gatewayAndVPC resolves the two IDs that AttachInternetGateway and DetachInternetGateway take.
func (r *regionState) gatewayAndVPC(gatewayID, vpcID *string) (*gateway, *vpc, error) {
	if gatewayID == nil {
		return nil, nil, missingParameter("internetGatewayId")
	}
	if vpcID == nil {
		return nil, nil, missingParameter("vpcId")
	}
	g, err := find(gatewayKind, r.Gateways, *gatewayID)
	if err != nil {
		return nil, nil, err
	}
	v, err := find(vpcKind, r.VPCs, *vpcID)
	return g, v, err
}

// AttachInternetGateway attaches a gateway to a VPC: one gateway per VPC, one VPC per gateway.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachInternetGateway.html
func (h *EC2) AttachInternetGateway(ctx context.Context, in *ec2.AttachInternetGatewayInput) (*ec2.AttachInternetGatewayOutput, error) {
	return &ec2.AttachInternetGatewayOutput{}, h.s.write(ctx, func(r *regionState) error {
		g, v, err := r.gatewayAndVPC(in.InternetGatewayId, in.VpcId)
		if err != nil {
			return err
		}
		if g.VPC != "" {
			return core.Errorf(ResourceAlreadyAssociated, "resource %s is already attached to network %s", g.ID, g.VPC)
		}
		for _, other := range r.Gateways {
			if other.VPC == v.ID {
				return core.Errorf(ResourceAlreadyAssociated, "Network %s already has an internet gateway attached", v.ID)
			}
		}
		g.VPC = v.ID
		return nil
	})
}

// DetachInternetGateway refuses while instances of the VPC have public addresses.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachInternetGateway.html
func (h *EC2) DetachInternetGateway(ctx context.Context, in *ec2.DetachInternetGatewayInput) (*ec2.DetachInternetGatewayOutput, error) {
	return &ec2.DetachInternetGatewayOutput{}, h.s.write(ctx, func(r *regionState) error {
		g, v, err := r.gatewayAndVPC(in.InternetGatewayId, in.VpcId)
		if err != nil {
			return err
		}
		if g.VPC != v.ID {
			return core.Errorf(GatewayNotAttached, "resource %s is not attached to network %s", g.ID, v.ID)
		}
		for _, i := range r.Instances {
			if i.VPC == v.ID && r.publicAddr(i) != "" {
				return core.Errorf(DependencyViolation, "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", v.ID)
			}
		}
		for _, a := range r.Addresses {
			if n := r.natOfAddress(a); n != nil && n.VPC == v.ID {
				return core.Errorf(DependencyViolation, "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", v.ID)
			}
		}
		g.VPC = ""
		return nil
	})
}

// DeleteInternetGateway refuses while the gateway is attached.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInternetGateway.html
func (h *EC2) DeleteInternetGateway(ctx context.Context, in *ec2.DeleteInternetGatewayInput) (*ec2.DeleteInternetGatewayOutput, error) {
	if in.InternetGatewayId == nil {
		return nil, missingParameter("internetGatewayId")
	}
	return &ec2.DeleteInternetGatewayOutput{}, h.s.write(ctx, func(r *regionState) error {
		g, err := find(gatewayKind, r.Gateways, *in.InternetGatewayId)
		if err != nil {
			return err
		}
		if g.VPC != "" {
			return core.Errorf(DependencyViolation, "The internetGateway '%s' has dependencies and cannot be deleted.", g.ID)
		}
		delete(r.Gateways, g.ID)
		return nil
	})
}

var gatewayFields = fields[types.InternetGateway]{
	"internet-gateway-id": func(g types.InternetGateway) []string { return one(*g.InternetGatewayId) },
	"owner-id":            func(g types.InternetGateway) []string { return one(*g.OwnerId) },
	"attachment.vpc-id": func(g types.InternetGateway) []string {
		var out []string
		for _, a := range g.Attachments {
			out = append(out, *a.VpcId)
		}
		return out
	},
	"attachment.state": func(g types.InternetGateway) []string {
		var out []string
		for _, a := range g.Attachments {
			out = append(out, string(a.State))
		}
		return out
	},
}

// DescribeInternetGateways lists the region's internet gateways.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html
func (h *EC2) DescribeInternetGateways(ctx context.Context, in *ec2.DescribeInternetGatewaysInput) (*ec2.DescribeInternetGatewaysOutput, error) {
	s := h.s
	out := &ec2.DescribeInternetGatewaysOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		gs, err := pick(gatewayKind, r.Gateways, in.InternetGatewayIds)
		if err != nil {
			return err
		}
		all := make([]types.InternetGateway, len(gs))
		for i, g := range gs {
			all[i] = s.gatewayOut(g)
		}
		out.InternetGateways, out.NextToken, err = describe(all, in.Filters, gatewayFields,
			func(g types.InternetGateway) []types.Tag { return g.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}
