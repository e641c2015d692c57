package ec2sim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// DescribeImageAttribute answers one attribute of an image of the account's: who may launch
// it (accounts, and the group all when it is public), its description, block device mappings,
// IMDS support, last launch, and the attributes its images do not have (kernel, ramdisk,
// product codes, boot mode, …), which EC2 answers empty.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html
func (h *EC2) DescribeImageAttribute(ctx context.Context, in *ec2.DescribeImageAttributeInput) (*ec2.DescribeImageAttributeOutput, error) {
	if in.Attribute == "" {
		return nil, missingParameter("Attribute")
	}
	if !slices.Contains(types.ImageAttributeName("").Values(), in.Attribute) {
		return nil, invalidValue("attribute", string(in.Attribute), "Valid values are "+joinValues(types.ImageAttributeName("").Values())+".")
	}
	out := &ec2.DescribeImageAttributeOutput{ImageId: in.ImageId}
	return out, h.s.read(ctx, func(r *regionState) error {
		o, err := r.ownedImage(aws.ToString(in.ImageId))
		if err != nil {
			return err
		}
		switch in.Attribute {
		case types.ImageAttributeNameDescription:
			out.Description = &types.AttributeValue{Value: aws.String(o.Description)}
		case types.ImageAttributeNameLaunchPermission:
			out.LaunchPermissions = []types.LaunchPermission{}
			if o.Public {
				out.LaunchPermissions = append(out.LaunchPermissions, types.LaunchPermission{Group: types.PermissionGroupAll})
			}
			for _, id := range o.SharedWith {
				out.LaunchPermissions = append(out.LaunchPermissions, types.LaunchPermission{UserId: aws.String(id)})
			}
		case types.ImageAttributeNameBlockDeviceMapping:
			out.BlockDeviceMappings = o.mappingsOut()
		case types.ImageAttributeNameProductCodes:
			out.ProductCodes = []types.ProductCode{}
		case types.ImageAttributeNameSriovNetSupport:
			out.SriovNetSupport = &types.AttributeValue{Value: aws.String("simple")}
		case types.ImageAttributeNameImdsSupport:
			if o.IMDSv2 {
				out.ImdsSupport = &types.AttributeValue{Value: aws.String(string(types.ImdsSupportValuesV20))}
			}
		case types.ImageAttributeNameLastLaunchedTime:
			if !o.LastLaunched.IsZero() {
				out.LastLaunchedTime = &types.AttributeValue{Value: aws.String(o.LastLaunched.Format(timeFormat))}
			}
		case types.ImageAttributeNameDeregistrationProtection:
			out.DeregistrationProtection = &types.AttributeValue{Value: aws.String("disabled")}
		}
		return nil
	})
}

// permissionEdits are the permissions a Modify…Attribute request adds and removes: its Add
// and Remove, and its flat form (OperationType with account IDs and group names).
func permissionEdits[P any](add, remove []P, users, groups []string, op types.OperationType, mk func(*string, types.PermissionGroup) P) ([]P, []P, error) {
	var flat []P
	for _, id := range users {
		flat = append(flat, mk(aws.String(id), ""))
	}
	for _, g := range groups {
		flat = append(flat, mk(nil, types.PermissionGroup(g)))
	}
	switch op {
	case types.OperationTypeAdd:
		add = append(add, flat...)
	case types.OperationTypeRemove:
		remove = append(remove, flat...)
	case "":
		if len(flat) > 0 {
			return nil, nil, missingParameter("OperationType")
		}
	default:
		return nil, nil, invalidValue("operationType", string(op), "Valid values are add and remove.")
	}
	return add, remove, nil
}

func joinValues[T ~string](vs []T) string {
	out := ""
	for k, v := range vs {
		if k > 0 {
			out += ", "
		}
		out += string(v)
	}
	return out
}

// ModifyImageAttribute changes who may launch an image of the account's (LaunchPermission's
// Add and Remove, or Attribute launchPermission with OperationType, UserIds and UserGroups;
// the group all makes it public), its description, or its IMDS support (v2.0, which cannot be
// undone). A pending image takes no change; an image with encrypted snapshots cannot be public.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html
func (h *EC2) ModifyImageAttribute(ctx context.Context, in *ec2.ModifyImageAttributeInput) (*ec2.ModifyImageAttributeOutput, error) {
	var add, remove []types.LaunchPermission
	if m := in.LaunchPermission; m != nil {
		add, remove = m.Add, m.Remove
	}
	if len(in.OrganizationArns)+len(in.OrganizationalUnitArns) > 0 {
		return nil, core.Errorf(core.NotImplemented, "The simulator has no AWS Organizations: an image is shared with accounts or made public.")
	}
	add, remove, err := permissionEdits(add, remove, in.UserIds, in.UserGroups, in.OperationType,
		func(user *string, group types.PermissionGroup) types.LaunchPermission {
			return types.LaunchPermission{UserId: user, Group: group}
		})
	if err != nil {
		return nil, err
	}
	desc := in.Description != nil && in.Description.Value != nil
	if aws.ToString(in.Attribute) == string(types.ImageAttributeNameDescription) {
		if in.Value == nil {
			return nil, missingParameter("Value")
		}
		desc, in.Description = true, &types.AttributeValue{Value: in.Value}
	}
	imds := in.ImdsSupport != nil && in.ImdsSupport.Value != nil
	switch a := aws.ToString(in.Attribute); {
	case a != "" && a != string(types.ImageAttributeNameDescription) && a != string(types.ImageAttributeNameLaunchPermission) && a != string(types.ImageAttributeNameImdsSupport):
		return nil, invalidValue("attribute", a, "Only description, launchPermission and imdsSupport can be modified.")
	case len(add)+len(remove) == 0 && !desc && !imds:
		return nil, core.Errorf(MissingParameter, "The request must contain the parameter launchPermission, description or imdsSupport")
	case imds && *in.ImdsSupport.Value != string(types.ImdsSupportValuesV20):
		return nil, invalidValue("imdsSupport", *in.ImdsSupport.Value, "The only value is v2.0.")
	}
	if desc {
		if err := checkImageDescription(in.Description.Value); err != nil {
			return nil, err
		}
	}
	for _, p := range slices.Concat(add, remove) {
		switch {
		case p.OrganizationArn != nil || p.OrganizationalUnitArn != nil:
			return nil, core.Errorf(core.NotImplemented, "The simulator has no AWS Organizations: an image is shared with accounts or made public.")
		case p.UserId == nil && p.Group != types.PermissionGroupAll:
			// moto's and AWS's wording: Invalid attribute item value "x" for UserGroup item type.
			return nil, core.Errorf(InvalidAMIAttributeItemValue, "Invalid attribute item value \"%s\" for UserGroup item type.", p.Group)
		case p.UserId != nil && !isAccountID(*p.UserId):
			return nil, core.Errorf(InvalidAMIAttributeItemValue, "Invalid attribute item value \"%s\" for userId item type.", *p.UserId)
		}
	}
	return &ec2.ModifyImageAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		o, err := r.ownedImage(aws.ToString(in.ImageId))
		if err != nil {
			return err
		}
		if err := o.notPending(h.s.now()); err != nil {
			return err
		}
		for _, p := range add {
			if p.UserId == nil && slices.ContainsFunc(o.Mappings, func(m imageMapping) bool { return m.Encrypted }) {
				return core.Errorf(InvalidParameter, "Images with EBS-backed encrypted snapshots cannot be made public.")
			}
		}
		for _, p := range add {
			if p.UserId == nil {
				o.Public = true
			} else if *p.UserId != h.s.account && !slices.Contains(o.SharedWith, *p.UserId) {
				o.SharedWith = append(o.SharedWith, *p.UserId)
			}
		}
		for _, p := range remove {
			if p.UserId == nil {
				o.Public = false
			} else {
				o.SharedWith = slices.DeleteFunc(o.SharedWith, func(id string) bool { return id == *p.UserId })
			}
		}
		if desc {
			o.Description = *in.Description.Value
		}
		if imds {
			o.IMDSv2 = true
		}
		return nil
	})
}

// ResetImageAttribute makes an image of the account's private again: launchPermission is the
// only attribute it resets.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetImageAttribute.html
func (h *EC2) ResetImageAttribute(ctx context.Context, in *ec2.ResetImageAttributeInput) (*ec2.ResetImageAttributeOutput, error) {
	switch in.Attribute {
	case "":
		return nil, missingParameter("Attribute")
	case types.ResetImageAttributeNameLaunchPermission:
	default:
		return nil, invalidValue("attribute", string(in.Attribute), "Only launchPermission can be reset.")
	}
	return &ec2.ResetImageAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		o, err := r.ownedImage(aws.ToString(in.ImageId))
		if err != nil {
			return err
		}
		o.Public, o.SharedWith = false, nil
		return nil
	})
}
