package ec2sim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// attachedTo returns the interfaces attached to the instance, by device index.
func (r *regionState) attachedTo(instanceID string) []*netInterface {
	var out []*netInterface
	for _, n := range r.interfaces() {
		if n.Attach != nil && n.Attach.Instance == instanceID {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *netInterface) int { return int(a.Attach.Device - b.Attach.Device) })
	return out
}

// AttachNetworkInterface attaches an available interface to an instance in its zone, at a
// free device index of 1 or more.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachNetworkInterface.html
func (h *EC2) AttachNetworkInterface(ctx context.Context, in *ec2.AttachNetworkInterfaceInput) (*ec2.AttachNetworkInterfaceOutput, error) {
	s := h.s
	switch {
	case in.DeviceIndex == nil:
		return nil, missingParameter("deviceIndex")
	case in.InstanceId == nil:
		return nil, missingParameter("instanceId")
	case in.NetworkInterfaceId == nil:
		return nil, missingParameter("networkInterfaceId")
	case aws.ToInt32(in.NetworkCardIndex) != 0:
		return nil, invalidValue("NetworkCardIndex", itoa(aws.ToInt32(in.NetworkCardIndex)), "The instance type has one network card.")
	}
	var out *ec2.AttachNetworkInterfaceOutput
	return out, s.write(ctx, func(r *regionState) error {
		i, err := find(instanceKind, r.Instances, *in.InstanceId)
		if err != nil {
			return err
		}
		if r.primaryOf(*in.NetworkInterfaceId) != nil {
			return core.Errorf(InvalidNetworkInterfaceInUse, "Interface: [%s] in use.", *in.NetworkInterfaceId)
		}
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		if i.State != running && i.State != stopped {
			return core.Errorf(IncorrectInstanceState, "The instance '%s' is not in a valid state for this operation.", i.ID)
		}
		if n.Attach != nil {
			return core.Errorf(InvalidNetworkInterfaceInUse, "Interface: [%s] in use.", n.ID)
		}
		if n.Zone.Name != i.Zone.Name {
			return core.Errorf(InvalidParameterCombination, "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		dev := *in.DeviceIndex
		attached := r.attachedTo(i.ID)
		if dev < 0 {
			return invalidValue("deviceIndex", itoa(dev), "The device index must be 0 or more.")
		}
		if dev == 0 || slices.ContainsFunc(attached, func(o *netInterface) bool { return o.Attach.Device == dev }) {
			return core.Errorf(InvalidParameterValue, "Instance '%s' already has an interface attached at device index '%d'.", i.ID, dev)
		}
		if it, ok := lookupInstanceType(i.Type); ok && it.ENIs > 0 && int32(len(attached)+2) > it.ENIs {
			return core.Errorf(AttachmentLimitExceeded, "Interface count %d exceeds the limit for %s", len(attached)+2, i.Type)
		}
		n.Attach = &eniAttachment{ID: s.id("eni-attach"), Instance: i.ID, Device: dev, Time: s.now()}
		out = &ec2.AttachNetworkInterfaceOutput{AttachmentId: aws.String(n.Attach.ID), NetworkCardIndex: aws.Int32(0)}
		return nil
	})
}

// DetachNetworkInterface detaches an interface of the account's own; an instance's primary
// interface stays.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachNetworkInterface.html
func (h *EC2) DetachNetworkInterface(ctx context.Context, in *ec2.DetachNetworkInterfaceInput) (*ec2.DetachNetworkInterfaceOutput, error) {
	s := h.s
	if in.AttachmentId == nil {
		return nil, missingParameter("attachmentId")
	}
	id := *in.AttachmentId
	return &ec2.DetachNetworkInterfaceOutput{}, s.write(ctx, func(r *regionState) error {
		for _, i := range r.Instances {
			if i.Attachment == id && i.State != stateTerminated {
				return core.Errorf(OperationNotPermitted, "The network interface at device index 0 and networkCard index 0 cannot be detached.")
			}
		}
		if !eniAttachKind.wellFormed(id) {
			return core.Errorf(InvalidAttachmentIDNotFound, "The attachment ID '%s' does not exist", id)
		}
		for _, n := range r.interfaces() {
			if n.Attach != nil && n.Attach.ID == id {
				n.Attach = nil
				return nil
			}
		}
		return core.Errorf(InvalidAttachmentIDNotFound, "The attachment ID '%s' does not exist", id)
	})
}

// ModifyNetworkInterfaceAttribute changes one attribute of an interface: its description,
// security groups, source/destination check, or its attachment's delete-on-termination. An
// instance's primary interface takes groups and the source/destination check, as the
// instance's own.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyNetworkInterfaceAttribute.html
func (h *EC2) ModifyNetworkInterfaceAttribute(ctx context.Context, in *ec2.ModifyNetworkInterfaceAttributeInput) (*ec2.ModifyNetworkInterfaceAttributeOutput, error) {
	s := h.s
	given := 0
	for _, set := range []bool{in.Description != nil, len(in.Groups) > 0, in.SourceDestCheck != nil, in.Attachment != nil} {
		if set {
			given++
		}
	}
	if in.AssociatePublicIpAddress != nil || in.EnaSrdSpecification != nil || in.ConnectionTrackingSpecification != nil || in.EnablePrimaryIpv6 != nil || len(in.AssociatedSubnetIds) > 0 {
		return nil, core.Errorf(core.NotImplemented, "The simulator modifies the description, groups, source/destination check and delete-on-termination of network interfaces only.")
	}
	if given != 1 {
		return nil, core.Errorf(InvalidParameterCombination, "Exactly one attribute must be specified.")
	}
	return &ec2.ModifyNetworkInterfaceAttributeOutput{}, s.write(ctx, func(r *regionState) error {
		var groups *[]string
		var check *bool
		vpc := ""
		if i := r.primaryOf(aws.ToString(in.NetworkInterfaceId)); i != nil {
			if in.Description != nil || in.Attachment != nil {
				return core.Errorf(core.NotImplemented, "The simulator keeps the description and delete-on-termination of an instance's primary interface fixed.")
			}
			groups, check, vpc = &i.Groups, &i.SourceDestCheck, i.VPC
		} else {
			n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
			if err != nil {
				return err
			}
			groups, check, vpc = &n.Groups, &n.SourceDestCheck, n.VPC
			if in.Description != nil {
				n.Description = aws.ToString(in.Description.Value)
			}
			if a := in.Attachment; a != nil {
				if n.Attach == nil || aws.ToString(a.AttachmentId) != n.Attach.ID {
					return core.Errorf(InvalidAttachmentIDNotFound, "The attachment ID '%s' does not exist", aws.ToString(a.AttachmentId))
				}
				n.Attach.DeleteOnTermination = aws.ToBool(a.DeleteOnTermination)
			}
		}
		if in.SourceDestCheck != nil {
			*check = aws.ToBool(in.SourceDestCheck.Value)
		}
		if len(in.Groups) > 0 {
			var ids []string
			for _, id := range in.Groups {
				g, err := find(groupKind, r.Groups, id)
				if err != nil {
					return err
				}
				if g.VPC != vpc {
					return core.Errorf(InvalidParameter, "Security group %s and network interface %s belong to different networks.", g.ID, aws.ToString(in.NetworkInterfaceId))
				}
				ids = append(ids, g.ID)
			}
			*groups = dedupe(ids)
		}
		return nil
	})
}

// DescribeNetworkInterfaceAttribute answers one attribute of an interface.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaceAttribute.html
func (h *EC2) DescribeNetworkInterfaceAttribute(ctx context.Context, in *ec2.DescribeNetworkInterfaceAttributeInput) (*ec2.DescribeNetworkInterfaceAttributeOutput, error) {
	s := h.s
	var out *ec2.DescribeNetworkInterfaceAttributeOutput
	return out, s.read(ctx, func(r *regionState) error {
		var ni types.NetworkInterface
		if i := r.primaryOf(aws.ToString(in.NetworkInterfaceId)); i != nil {
			ni = s.primaryOut(r, i)
		} else {
			n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
			if err != nil {
				return err
			}
			ni = n.out(s.account, r.Name, r)
		}
		out = &ec2.DescribeNetworkInterfaceAttributeOutput{NetworkInterfaceId: ni.NetworkInterfaceId}
		switch in.Attribute {
		case types.NetworkInterfaceAttributeDescription:
			out.Description = &types.AttributeValue{Value: ni.Description}
		case types.NetworkInterfaceAttributeGroupSet:
			out.Groups = ni.Groups
		case types.NetworkInterfaceAttributeSourceDestCheck:
			out.SourceDestCheck = &types.AttributeBooleanValue{Value: ni.SourceDestCheck}
		case types.NetworkInterfaceAttributeAttachment:
			out.Attachment = ni.Attachment
		case "":
			return missingParameter("attribute")
		default:
			return invalidValue("attribute", string(in.Attribute), "The attribute is not one of description, groupSet, sourceDestCheck and attachment.")
		}
		return nil
	})
}

// releaseInterfaces is a terminated instance's interfaces' end: those to be deleted on
// termination go, the others become available.
func (r *regionState) releaseInterfaces(i *instance) {
	for _, n := range r.attachedTo(i.ID) {
		if n.Attach.DeleteOnTermination {
			r.dropInterface(n)
			continue
		}
		n.Attach = nil
	}
}

// attachedOut is the instance's other interfaces as DescribeInstances has them.
func (s *Store) attachedOut(r *regionState, i *instance) []types.InstanceNetworkInterface {
	var out []types.InstanceNetworkInterface
	for _, n := range r.attachedTo(i.ID) {
		o := n.out(s.account, r.Name, r)
		ino := types.InstanceNetworkInterface{
			NetworkInterfaceId: o.NetworkInterfaceId, SubnetId: o.SubnetId, VpcId: o.VpcId, Description: o.Description,
			OwnerId: o.OwnerId, Status: o.Status, MacAddress: o.MacAddress, PrivateIpAddress: o.PrivateIpAddress,
			PrivateDnsName: o.PrivateDnsName, SourceDestCheck: o.SourceDestCheck, Groups: o.Groups, InterfaceType: aws.String("interface"),
			Ipv6Addresses: []types.InstanceIpv6Address{},
			Attachment: &types.InstanceNetworkInterfaceAttachment{
				AttachmentId: aws.String(n.Attach.ID), AttachTime: aws.Time(n.Attach.Time), DeleteOnTermination: aws.Bool(n.Attach.DeleteOnTermination),
				DeviceIndex: aws.Int32(n.Attach.Device), NetworkCardIndex: aws.Int32(0), Status: types.AttachmentStatusAttached,
			},
		}
		for _, p := range o.PrivateIpAddresses {
			ino.PrivateIpAddresses = append(ino.PrivateIpAddresses, types.InstancePrivateIpAddress{Primary: p.Primary, PrivateIpAddress: p.PrivateIpAddress, PrivateDnsName: p.PrivateDnsName})
		}
		out = append(out, ino)
	}
	return out
}
