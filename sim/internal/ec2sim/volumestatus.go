package ec2sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// volumeStatus is a volume's status checks: no data while it is created, then I/O enabled
// (io-performance is for io1, io2 and gp3 volumes that are attached, and the simulator has no
// performance to measure: not applicable).
// https://docs.aws.amazon.com/ebs/latest/userguide/monitoring-volume-status.html
func volumeStatus(v *volume, state types.VolumeState) *types.VolumeStatusInfo {
	if state == types.VolumeStateCreating {
		return &types.VolumeStatusInfo{Status: types.VolumeStatusInfoStatusInsufficientData, Details: []types.VolumeStatusDetails{
			{Name: types.VolumeStatusNameIoEnabled, Status: aws.String("insufficient-data")},
			{Name: types.VolumeStatusNameIoPerformance, Status: aws.String("not-applicable")},
		}}
	}
	return &types.VolumeStatusInfo{Status: types.VolumeStatusInfoStatusOk, Details: []types.VolumeStatusDetails{
		{Name: types.VolumeStatusNameIoEnabled, Status: aws.String("passed")},
		{Name: types.VolumeStatusNameIoPerformance, Status: aws.String("not-applicable")},
	}}
}

var volumeStatusFields = fields[types.VolumeStatusItem]{
	"availability-zone":    func(v types.VolumeStatusItem) []string { return one(*v.AvailabilityZone) },
	"volume-status.status": func(v types.VolumeStatusItem) []string { return one(string(v.VolumeStatus.Status)) },
	"volume-status.details-name": func(v types.VolumeStatusItem) []string {
		var out []string
		for _, d := range v.VolumeStatus.Details {
			out = append(out, string(d.Name))
		}
		return out
	},
	"volume-status.details-status": func(v types.VolumeStatusItem) []string {
		return collect(v.VolumeStatus.Details, func(d types.VolumeStatusDetails) *string { return d.Status })
	},
}

// DescribeVolumeStatus reports the status checks of volumes, 5 to 1,000 a page.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumeStatus.html
func (h *EC2) DescribeVolumeStatus(ctx context.Context, in *ec2.DescribeVolumeStatusInput) (*ec2.DescribeVolumeStatusOutput, error) {
	s := h.s
	out := &ec2.DescribeVolumeStatusOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		vs, err := pick(volumeKind, r.Volumes, in.VolumeIds)
		if err != nil {
			return err
		}
		now := s.now()
		all := make([]types.VolumeStatusItem, len(vs))
		for k, v := range vs {
			all[k] = types.VolumeStatusItem{
				VolumeId: aws.String(v.ID), AvailabilityZone: aws.String(v.Zone.Name), VolumeStatus: volumeStatus(v, v.stateAt(now)),
				Actions: []types.VolumeStatusAction{}, Events: []types.VolumeStatusEvent{},
			}
		}
		out.VolumeStatuses, out.NextToken, err = describe(all, in.Filters, volumeStatusFields, nil, clamp(in.MaxResults, 1000), in.NextToken)
		return err
	})
}

// DescribeVolumeAttribute answers a volume's autoEnableIO or productCodes.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumeAttribute.html
func (h *EC2) DescribeVolumeAttribute(ctx context.Context, in *ec2.DescribeVolumeAttributeInput) (*ec2.DescribeVolumeAttributeOutput, error) {
	switch {
	case in.VolumeId == nil:
		return nil, missingParameter("VolumeId")
	case in.Attribute == "":
		return nil, missingParameter("Attribute")
	case in.Attribute != types.VolumeAttributeNameAutoEnableIO && in.Attribute != types.VolumeAttributeNameProductCodes:
		return nil, invalidValue("attribute", string(in.Attribute), "Valid values are autoEnableIO and productCodes.")
	}
	out := &ec2.DescribeVolumeAttributeOutput{VolumeId: in.VolumeId}
	return out, h.s.read(ctx, func(r *regionState) error {
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		if in.Attribute == types.VolumeAttributeNameAutoEnableIO {
			out.AutoEnableIO = &types.AttributeBooleanValue{Value: aws.Bool(v.AutoEnableIO)}
		} else {
			out.ProductCodes = []types.ProductCode{}
		}
		return nil
	})
}

// ModifyVolumeAttribute sets a volume's autoEnableIO: whether I/O resumes by itself after a
// status check finds the data possibly inconsistent (never, in the simulator).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVolumeAttribute.html
func (h *EC2) ModifyVolumeAttribute(ctx context.Context, in *ec2.ModifyVolumeAttributeInput) (*ec2.ModifyVolumeAttributeOutput, error) {
	if in.VolumeId == nil {
		return nil, missingParameter("VolumeId")
	}
	if in.AutoEnableIO == nil || in.AutoEnableIO.Value == nil {
		return nil, core.Errorf(InvalidParameterCombination, "No attributes specified.")
	}
	return &ec2.ModifyVolumeAttributeOutput{}, h.s.write(ctx, func(r *regionState) error {
		v, err := find(volumeKind, r.Volumes, *in.VolumeId)
		if err != nil {
			return err
		}
		v.AutoEnableIO = *in.AutoEnableIO.Value
		return nil
	})
}
