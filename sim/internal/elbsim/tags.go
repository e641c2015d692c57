package elbsim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

const maxTags = 50

// checkTags reads tags as AWS takes them: keys of 1 to 128 characters, not beginning with
// "aws:", values of up to 256, no key twice, at most 50.
func checkTags(in []types.Tag) ([]tag, error) {
	var out []tag
	for _, t := range in {
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		if k == "" || len(k) > 128 {
			return nil, errorf(ValidationError, "1 validation error detected: Value '%s' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, errorf(ValidationError, "Tag keys starting with 'aws:' are reserved for internal use")
		}
		if len(v) > 256 {
			return nil, errorf(ValidationError, "1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256")
		}
		if slices.ContainsFunc(out, func(o tag) bool { return o.Key == k }) {
			return nil, errorf(DuplicateTagKey, "Tag key '%s' specified more than once", k)
		}
		out = append(out, tag{k, v})
	}
	if len(out) > maxTags {
		return nil, errorf(TooManyTags, "The quota for the number of tags that can be assigned to a resource has been reached")
	}
	return out, nil
}

// tagsOf returns the tags of the resource an ARN names, or the not-found error of its kind.
func tagsOf(r *regionState, arn string) (*[]tag, error) {
	switch {
	case strings.Contains(arn, ":loadbalancer/"):
		lb, err := findLB(r, arn)
		if err != nil {
			return nil, err
		}
		return &lb.Tags, nil
	case strings.Contains(arn, ":targetgroup/"):
		tg, err := findTG(r, arn)
		if err != nil {
			return nil, err
		}
		return &tg.Tags, nil
	case strings.Contains(arn, ":listener/"):
		l, err := findListener(r, arn)
		if err != nil {
			return nil, err
		}
		return &l.Tags, nil
	case strings.Contains(arn, ":listener-rule/"):
		ru, err := findRule(r, arn)
		if err != nil {
			return nil, err
		}
		return &ru.Tags, nil
	}
	return nil, errorf(ValidationError, "'%s' is not a valid Elastic Load Balancing resource ARN", arn)
}

func (h *ELB) AddTags(ctx context.Context, in *elb.AddTagsInput) (*elb.AddTagsOutput, error) {
	add, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	err = h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		var all []*[]tag
		for _, arn := range in.ResourceArns {
			ts, err := tagsOf(r, arn)
			if err != nil {
				return false, err
			}
			merged := slices.Clone(*ts)
			for _, t := range add {
				if i := slices.IndexFunc(merged, func(o tag) bool { return o.Key == t.Key }); i >= 0 {
					merged[i] = t
				} else {
					merged = append(merged, t)
				}
			}
			if len(merged) > maxTags {
				return false, errorf(TooManyTags, "The quota for the number of tags that can be assigned to a resource has been reached")
			}
			all = append(all, ts)
		}
		for _, ts := range all {
			for _, t := range add {
				if i := slices.IndexFunc(*ts, func(o tag) bool { return o.Key == t.Key }); i >= 0 {
					(*ts)[i] = t
				} else {
					*ts = append(*ts, t)
				}
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.AddTagsOutput{}, nil
}

func (h *ELB) RemoveTags(ctx context.Context, in *elb.RemoveTagsInput) (*elb.RemoveTagsOutput, error) {
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		var all []*[]tag
		for _, arn := range in.ResourceArns {
			ts, err := tagsOf(r, arn)
			if err != nil {
				return false, err
			}
			all = append(all, ts)
		}
		for _, ts := range all {
			*ts = slices.DeleteFunc(*ts, func(t tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.RemoveTagsOutput{}, nil
}

func (h *ELB) DescribeTags(ctx context.Context, in *elb.DescribeTagsInput) (*elb.DescribeTagsOutput, error) {
	out := &elb.DescribeTagsOutput{TagDescriptions: []types.TagDescription{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		for _, arn := range in.ResourceArns {
			ts, err := tagsOf(r, arn)
			if err != nil {
				return err
			}
			d := types.TagDescription{ResourceArn: aws.String(arn), Tags: []types.Tag{}}
			for _, t := range *ts {
				d.Tags = append(d.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
			}
			out.TagDescriptions = append(out.TagDescriptions, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
