package rdssim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// tagged finds the tags of the resource an ARN names in r: a DB instance, subnet group,
// parameter group (the account's) or snapshot of this account and region.
func (s *Store) tagged(r *regionState, region, arn string) (*[]tag, error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "rds" || parts[3] != region || parts[4] != s.account {
		return nil, errorf(InvalidParameterValue, "The specified resource name does not match an RDS resource in this region.")
	}
	id := strings.ToLower(parts[6])
	if r == nil {
		r = &regionState{}
	}
	switch parts[5] {
	case "db":
		if in := r.Instances[id]; in != nil {
			return &in.Tags, nil
		}
		return nil, instanceNotFound(parts[6])
	case "subgrp":
		if g := r.SubnetGroups[id]; g != nil {
			return &g.Tags, nil
		}
		return nil, subnetGroupNotFound(parts[6])
	case "pg":
		if g := r.ParamGroups[id]; g != nil {
			return &g.Tags, nil
		}
		return nil, paramGroupNotFound(parts[6])
	case "snapshot":
		if sn := r.Snapshots[id]; sn != nil {
			return &sn.Tags, nil
		}
		return nil, snapshotNotFound(parts[6])
	}
	return nil, errorf(InvalidParameterValue, "The specified resource name does not match an RDS resource in this region.")
}

// maxTags is the limit of tags on an RDS resource (the RDS User Guide, "Tagging").
const maxTags = 50

// AddTagsToResource adds or replaces tags of a resource.
func (h *RDS) AddTagsToResource(ctx context.Context, in *rds.AddTagsToResourceInput) (*rds.AddTagsToResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	for _, t := range in.Tags {
		k := aws.ToString(t.Key)
		if k == "" || len(k) > 128 || len(aws.ToString(t.Value)) > 256 || strings.HasPrefix(strings.ToLower(k), "aws:") || strings.HasPrefix(strings.ToLower(k), "rds:") {
			return nil, errorf(InvalidParameterValue, "Invalid tag key or value: %q. Keys are 1 to 128 characters and may not begin with aws: or rds:; values are at most 256 characters.", k)
		}
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		ts, err := s.tagged(r, region, aws.ToString(in.ResourceName))
		if err != nil {
			return false, err
		}
		next := slices.Clone(*ts)
		for _, t := range in.Tags {
			next = setTag(next, aws.ToString(t.Key), aws.ToString(t.Value))
		}
		if len(next) > maxTags {
			return false, errorf(InvalidParameterValue, "Cannot add tags: a resource has at most %d tags.", maxTags)
		}
		*ts = next
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.AddTagsToResourceOutput{}, nil
}

// RemoveTagsFromResource removes tags by key; keys the resource lacks are passed over.
func (h *RDS) RemoveTagsFromResource(ctx context.Context, in *rds.RemoveTagsFromResourceInput) (*rds.RemoveTagsFromResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	err := s.write(region, func(r *regionState) (bool, error) {
		ts, err := s.tagged(r, region, aws.ToString(in.ResourceName))
		if err != nil {
			return false, err
		}
		before := len(*ts)
		*ts = slices.DeleteFunc(*ts, func(t tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return len(*ts) != before, nil
	})
	if err != nil {
		return nil, err
	}
	return &rds.RemoveTagsFromResourceOutput{}, nil
}

// ListTagsForResource lists a resource's tags.
func (h *RDS) ListTagsForResource(ctx context.Context, in *rds.ListTagsForResourceInput) (*rds.ListTagsForResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if len(in.Filters) > 0 {
		return nil, errorf(InvalidParameterValue, "Unrecognized filter name: %s", aws.ToString(in.Filters[0].Name))
	}
	var out []types.Tag
	err := s.read(region, func(r *regionState) error {
		ts, err := s.tagged(r, region, aws.ToString(in.ResourceName))
		if err == nil {
			out = sdkTags(*ts)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &rds.ListTagsForResourceOutput{TagList: out}, nil
}
