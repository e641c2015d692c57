package ec2sim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// checkSnapshotAttribute refuses an attribute a snapshot does not have.
func checkSnapshotAttribute(a types.SnapshotAttributeName) error {
	switch a {
	case "":
		return missingParameter("Attribute")
	case types.SnapshotAttributeNameCreateVolumePermission, types.SnapshotAttributeNameProductCodes:
		return nil
	}
	return invalidValue("attribute", string(a), "Valid values are createVolumePermission and productCodes.")
}

// DescribeSnapshotAttribute answers who may make volumes of a snapshot (accounts, or the group
// all when it is public), or its product codes.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshotAttribute.html
func (h *EC2) DescribeSnapshotAttribute(ctx context.Context, in *ec2.DescribeSnapshotAttributeInput) (*ec2.DescribeSnapshotAttributeOutput, error) {
	if in.SnapshotId == nil {
		return nil, missingParameter("SnapshotId")
	}
	if err := checkSnapshotAttribute(in.Attribute); err != nil {
		return nil, err
	}
	out := &ec2.DescribeSnapshotAttributeOutput{SnapshotId: in.SnapshotId}
	return out, h.s.read(ctx, func(r *regionState) error {
		sn, err := find(snapshotKind, r.Snapshots, *in.SnapshotId)
		if err != nil {
			return err
		}
		if in.Attribute == types.SnapshotAttributeNameProductCodes {
			out.ProductCodes = []types.ProductCode{}
			return nil
		}
		out.CreateVolumePermissions = []types.CreateVolumePermission{}
		if sn.Public {
			out.CreateVolumePermissions = append(out.CreateVolumePermissions, types.CreateVolumePermission{Group: types.PermissionGroupAll})
		}
		for _, id := range sn.SharedWith {
			out.CreateVolumePermissions = append(out.CreateVolumePermissions, types.CreateVolumePermission{UserId: aws.String(id)})
		}
		return nil
	})
}

// ModifySnapshotAttribute shares a snapshot with accounts or makes it public (the group all),
// or stops. An encrypted snapshot cannot be public, nor shared while encrypted with the AWS
// managed key, which other accounts cannot use.
// https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html
func (h *EC2) ModifySnapshotAttribute(ctx context.Context, in *ec2.ModifySnapshotAttributeInput) (*ec2.ModifySnapshotAttributeOutput, error) {
	if in.SnapshotId == nil {
		return nil, missingParameter("SnapshotId")
	}
	if in.Attribute != "" && in.Attribute != types.SnapshotAttributeNameCreateVolumePermission {
		return nil, invalidValue("attribute", string(in.Attribute), "Only createVolumePermission can be modified.")
	}
	var add, remove []types.CreateVolumePermission
	if m := in.CreateVolumePermission; m != nil {
		add, remove = m.Add, m.Remove
	}
	add, remove, err := permissionEdits(add, remove, in.UserIds, in.GroupNames, in.OperationType,
		func(user *string, group types.PermissionGroup) types.CreateVolumePermission {
			return types.CreateVolumePermission{UserId: user, Group: group}
		})
	if err != nil {
		return nil, err
	}
	if len(add)+len(remove) == 0 {
		return nil, core.Errorf(MissingParameter, "The request must contain the parameter createVolumePermission")
	}
	for _, p := range slices.Concat(add, remove) {
		switch {
		case p.UserId == nil && p.Group != types.PermissionGroupAll:
			return nil, invalidValue("group", string(p.Group), "The only group is all.")
		case p.UserId != nil && !isAccountID(*p.UserId):
			return nil, core.Errorf(InvalidUserIDMalformed, "Invalid user id: \"%s\"", *p.UserId)
		}
	}
	return &ec2.ModifySnapshotAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		sn, err := find(snapshotKind, r.Snapshots, *in.SnapshotId)
		if err != nil {
			return err
		}
		for _, p := range add {
			switch {
			case sn.Encrypted && p.UserId == nil:
				return core.Errorf(InvalidParameter, "Encrypted snapshots cannot be made public.")
			case sn.Encrypted && sn.KMSKey == h.s.ebsKey(r.Name):
				return core.Errorf(InvalidParameter, "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.")
			}
		}
		for _, p := range add {
			if p.UserId == nil {
				sn.Public = true
			} else if !slices.Contains(sn.SharedWith, *p.UserId) {
				sn.SharedWith = append(sn.SharedWith, *p.UserId)
			}
		}
		for _, p := range remove {
			if p.UserId == nil {
				sn.Public = false
			} else {
				sn.SharedWith = slices.DeleteFunc(sn.SharedWith, func(id string) bool { return id == *p.UserId })
			}
		}
		return nil
	})
}

// ResetSnapshotAttribute makes a snapshot private to the account again.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetSnapshotAttribute.html
func (h *EC2) ResetSnapshotAttribute(ctx context.Context, in *ec2.ResetSnapshotAttributeInput) (*ec2.ResetSnapshotAttributeOutput, error) {
	if in.SnapshotId == nil {
		return nil, missingParameter("SnapshotId")
	}
	if in.Attribute != types.SnapshotAttributeNameCreateVolumePermission {
		if err := checkSnapshotAttribute(in.Attribute); err != nil {
			return nil, err
		}
		return nil, invalidValue("attribute", string(in.Attribute), "Only createVolumePermission can be reset.")
	}
	return &ec2.ResetSnapshotAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		sn, err := find(snapshotKind, r.Snapshots, *in.SnapshotId)
		if err != nil {
			return err
		}
		sn.Public, sn.SharedWith = false, nil
		return nil
	})
}
