package efssim

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxTags is the most tags a resource has.
const maxTags = 50

// newTags checks tags as given to a Create or tagging operation.
func newTags(in []types.Tag) ([]tag, error) {
	var out []tag
	for _, t := range in {
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		if t.Key == nil || k == "" || utf8.RuneCountInString(k) > 128 {
			return nil, errorf(BadRequest, "Tag keys must be 1 to 128 characters long.")
		}
		if t.Value == nil || utf8.RuneCountInString(v) > 256 {
			return nil, errorf(BadRequest, "Tag '%s' needs a value of at most 256 characters.", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, errorf(BadRequest, "Tag keys beginning with 'aws:' are reserved for AWS use.")
		}
		out = setTag(out, k, v)
	}
	if len(out) > maxTags {
		return nil, errorf(BadRequest, "A resource has at most %d tags.", maxTags)
	}
	return out, nil
}

func setTag(ts []tag, k, v string) []tag {
	for i := range ts {
		if ts[i].Key == k {
			ts[i].Value = v
			return ts
		}
	}
	return append(ts, tag{k, v})
}

// merge adds or replaces tags.
func merge(ts, add []tag) ([]tag, error) {
	out := slices.Clone(ts)
	for _, t := range add {
		out = setTag(out, t.Key, t.Value)
	}
	if len(out) > maxTags {
		return nil, errorf(BadRequest, "A resource has at most %d tags.", maxTags)
	}
	return out, nil
}

func removeTags(ts []tag, keys []string) []tag {
	return slices.DeleteFunc(slices.Clone(ts), func(t tag) bool { return slices.Contains(keys, t.Key) })
}

func sdkTags(ts []tag) []types.Tag {
	out := make([]types.Tag, len(ts))
	for i, t := range ts {
		out[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
	}
	return out
}

func tagValue(ts []tag, k string) (string, bool) {
	for _, t := range ts {
		if t.Key == k {
			return t.Value, true
		}
	}
	return "", false
}

// tagged returns the tags of the file system or access point an ID or ARN names.
func tagged(r *regionState, id string, now time.Time) (*[]tag, error) {
	if i := strings.LastIndexAny(id, "/"); strings.HasPrefix(id, "arn:") && i > 0 {
		id = id[i+1:]
	}
	switch {
	case strings.HasPrefix(id, "fsap-"):
		a, err := accessPointID(r, id, now)
		if err != nil {
			return nil, err
		}
		return &a.Tags, nil
	case strings.HasPrefix(id, "fs-"):
		f, err := fileSystemID(r, id, now)
		if err != nil {
			return nil, err
		}
		return &f.Tags, nil
	}
	return nil, errorf(BadRequest, "Invalid resource ID '%s': use a file system (fs-…) or access point (fsap-…) ID.", id)
}

// TagResource adds or replaces tags of a file system or an access point.
// https://docs.aws.amazon.com/efs/latest/ug/API_TagResource.html
func (h *EFS) TagResource(ctx context.Context, in *efs.TagResourceInput) (*efs.TagResourceOutput, error) {
	add, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if len(add) == 0 {
		return nil, errorf(BadRequest, "Tags must not be empty.")
	}
	s := h.s
	err = s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		ts, err := tagged(r, aws.ToString(in.ResourceId), s.clock.Now())
		if err != nil {
			return false, err
		}
		merged, err := merge(*ts, add)
		if err != nil {
			return false, err
		}
		*ts = merged
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys the resource does not have are passed over.
// https://docs.aws.amazon.com/efs/latest/ug/API_UntagResource.html
func (h *EFS) UntagResource(ctx context.Context, in *efs.UntagResourceInput) (*efs.UntagResourceOutput, error) {
	if len(in.TagKeys) == 0 {
		return nil, errorf(BadRequest, "TagKeys must not be empty.")
	}
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		ts, err := tagged(r, aws.ToString(in.ResourceId), s.clock.Now())
		if err != nil {
			return false, err
		}
		*ts = removeTags(*ts, in.TagKeys)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.UntagResourceOutput{}, nil
}

// ListTagsForResource lists a file system's or an access point's tags, MaxResults (at most
// 100) at a time.
// https://docs.aws.amazon.com/efs/latest/ug/API_ListTagsForResource.html
func (h *EFS) ListTagsForResource(ctx context.Context, in *efs.ListTagsForResourceInput) (*efs.ListTagsForResourceOutput, error) {
	max, err := maxItems(in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &efs.ListTagsForResourceOutput{}
	s := h.s
	err = s.read(core.RegionFrom(ctx), func(r *regionState) error {
		ts, err := tagged(r, aws.ToString(in.ResourceId), s.clock.Now())
		if err != nil {
			return err
		}
		out.Tags, out.NextToken, err = tagPage(*ts, aws.ToString(in.NextToken), max)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tagPage returns the page of tags from the key marker on.
func tagPage(ts []tag, marker string, max int) ([]types.Tag, *string, error) {
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.Key
	}
	lo, hi, next, err := page(keys, marker, max)
	if err != nil {
		return nil, nil, err
	}
	return sdkTags(ts[lo:hi]), next, nil
}

// CreateTags is the older TagResource, for file systems only.
// https://docs.aws.amazon.com/efs/latest/ug/API_CreateTags.html
func (h *EFS) CreateTags(ctx context.Context, in *efs.CreateTagsInput) (*efs.CreateTagsOutput, error) {
	if !strings.HasPrefix(aws.ToString(in.FileSystemId), "fs-") {
		return nil, errorf(FileSystemNotFound, "File system '%s' does not exist.", aws.ToString(in.FileSystemId))
	}
	if _, err := h.TagResource(ctx, &efs.TagResourceInput{ResourceId: in.FileSystemId, Tags: in.Tags}); err != nil {
		return nil, err
	}
	return &efs.CreateTagsOutput{}, nil
}

// DeleteTags is the older UntagResource, for file systems only.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteTags.html
func (h *EFS) DeleteTags(ctx context.Context, in *efs.DeleteTagsInput) (*efs.DeleteTagsOutput, error) {
	if !strings.HasPrefix(aws.ToString(in.FileSystemId), "fs-") {
		return nil, errorf(FileSystemNotFound, "File system '%s' does not exist.", aws.ToString(in.FileSystemId))
	}
	if _, err := h.UntagResource(ctx, &efs.UntagResourceInput{ResourceId: in.FileSystemId, TagKeys: in.TagKeys}); err != nil {
		return nil, err
	}
	return &efs.DeleteTagsOutput{}, nil
}

// DescribeTags is the older ListTagsForResource, for file systems only, with markers.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeTags.html
func (h *EFS) DescribeTags(ctx context.Context, in *efs.DescribeTagsInput) (*efs.DescribeTagsOutput, error) {
	max, err := maxItems(in.MaxItems, 100)
	if err != nil {
		return nil, err
	}
	out := &efs.DescribeTagsOutput{Marker: in.Marker}
	s := h.s
	err = s.read(core.RegionFrom(ctx), func(r *regionState) error {
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), s.clock.Now())
		if err != nil {
			return err
		}
		out.Tags, out.NextMarker, err = tagPage(f.Tags, aws.ToString(in.Marker), max)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
