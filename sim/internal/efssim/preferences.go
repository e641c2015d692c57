package efssim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// preference is the account's resource ID preference in a region, for file systems and
// mount targets.
func preference(short bool) *types.ResourceIdPreference {
	t := types.ResourceIdTypeLongId
	if short {
		t = types.ResourceIdTypeShortId
	}
	return &types.ResourceIdPreference{ResourceIdType: t, Resources: []types.Resource{types.ResourceFileSystem, types.ResourceMountTarget}}
}

// DescribeAccountPreferences returns the region's resource ID preference: LONG_ID (17
// hexadecimal digits) unless SHORT_ID was put.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeAccountPreferences.html
func (h *EFS) DescribeAccountPreferences(ctx context.Context, in *efs.DescribeAccountPreferencesInput) (*efs.DescribeAccountPreferencesOutput, error) {
	if _, err := maxItems(in.MaxResults, 100); err != nil {
		return nil, err
	}
	var short bool
	h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		short = r.ShortIDs
		return nil
	})
	return &efs.DescribeAccountPreferencesOutput{ResourceIdPreference: preference(short)}, nil
}

// PutAccountPreferences sets the length of the IDs of the region's new file systems and
// mount targets; existing ones keep theirs.
// https://docs.aws.amazon.com/efs/latest/ug/API_PutAccountPreferences.html
func (h *EFS) PutAccountPreferences(ctx context.Context, in *efs.PutAccountPreferencesInput) (*efs.PutAccountPreferencesOutput, error) {
	t := in.ResourceIdType
	if t != types.ResourceIdTypeLongId && t != types.ResourceIdTypeShortId {
		return nil, errorf(BadRequest, "ResourceIdType must be LONG_ID or SHORT_ID, not '%s'.", t)
	}
	short := t == types.ResourceIdTypeShortId
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		changed := r.ShortIDs != short
		r.ShortIDs = short
		return changed, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.PutAccountPreferencesOutput{ResourceIdPreference: preference(short)}, nil
}
