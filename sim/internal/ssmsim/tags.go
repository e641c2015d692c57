package ssmsim

import (
	"context"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Tag limits: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html
// ("Most resources can have a maximum of 50 tags") and the Tag shape's constraints.
const maxTags = 50

var tagPattern = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)

// tags checks a list of tags against the Tag shape: a key of 1 to 128 characters and a value
// of up to 256, both of letters, spaces, digits and _.:/=+-@. min is the list's least length.
func (v *validation) tags(field string, tags []types.Tag, min int) {
	if len(tags) < min || len(tags) > 1000 {
		bound := "less than or equal to 1000"
		if len(tags) < min {
			bound = "greater than or equal to 1"
		}
		v.add("Value '%v' at '%s' failed to satisfy constraint: Member must have length %s", tagsText(tags), field, bound)
	}
	for i, t := range tags {
		at := field + "." + itoa64(int64(i+1)) + ".member"
		if t.Key == nil {
			v.null(at + ".key")
		} else {
			v.length(at+".key", *t.Key, 1, 128)
			if !tagPattern.MatchString(*t.Key) {
				v.add("Value '%s' at '%s.key' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", *t.Key, at, tagPattern)
			}
		}
		if t.Value == nil {
			v.null(at + ".value")
		} else {
			v.length(at+".value", *t.Value, 0, 256)
			if !tagPattern.MatchString(*t.Value) {
				v.add("Value '%s' at '%s.value' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", *t.Value, at, tagPattern)
			}
		}
	}
}

func tagsText(tags []types.Tag) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		out = append(out, "Tag(key="+aws.ToString(t.Key)+", value="+aws.ToString(t.Value)+")")
	}
	return out
}

func toTags(in []types.Tag) []tag {
	var out []tag
	return mergeTags(out, in)
}

// mergeTags adds tags to have, replacing the value of a key it has.
func mergeTags(have []tag, add []types.Tag) []tag {
	for _, t := range add {
		k, val := aws.ToString(t.Key), aws.ToString(t.Value)
		if i := slices.IndexFunc(have, func(h tag) bool { return h.Key == k }); i >= 0 {
			have[i].Value = val
		} else {
			have = append(have, tag{Key: k, Value: val})
		}
	}
	return have
}

// resourceTypes are the ResourceTypeForTagging values AWS takes, in its order.
var resourceTypes = func() []string {
	var out []string
	for _, t := range types.ResourceTypeForTagging("").Values() {
		out = append(out, string(t))
	}
	return out
}()

// taggedParameter finds the parameter a tagging request names. Of the resource types SSM tags,
// the simulator has parameters only: any other resource is not found, as it would be in an
// account that has none.
func taggedParameter(r *regionState, resourceType types.ResourceTypeForTagging, id string) (*parameter, error) {
	if resourceType != types.ResourceTypeForTaggingParameter {
		return nil, errorf(InvalidResourceId, "Invalid Resource Id")
	}
	name := trimName(id)
	if checkName(name) != nil || isPublicNamespace(name) {
		return nil, errorf(InvalidResourceId, "Invalid Resource Id")
	}
	p := r.get(name)
	if p == nil {
		return nil, errorf(InvalidResourceId, "Invalid Resource Id")
	}
	return p, nil
}

func checkTagging(v *validation, resourceType types.ResourceTypeForTagging, id *string) {
	if resourceType == "" {
		v.null("resourceType")
	} else {
		v.enum("resourceType", string(resourceType), resourceTypes)
	}
	if id == nil {
		v.null("resourceId")
	}
}

// AddTagsToResource adds tags to a parameter or changes their values, up to 50 tags.
func (h *SSM) AddTagsToResource(ctx context.Context, in *ssm.AddTagsToResourceInput) (*ssm.AddTagsToResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	checkTagging(&v, in.ResourceType, in.ResourceId)
	if in.Tags == nil {
		v.null("tags")
	} else {
		v.tags("tags", in.Tags, 1)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		p, err := taggedParameter(r, in.ResourceType, *in.ResourceId)
		if err != nil {
			return false, err
		}
		merged := mergeTags(slices.Clone(p.Tags), in.Tags)
		if len(merged) > maxTags {
			return false, errorf(TooManyTagsError, "The resource can have at most %d tags; with these it would have %d. Remove one or more tags and try the command again.", maxTags, len(merged))
		}
		changed := !slices.Equal(merged, p.Tags)
		p.Tags = merged
		return changed, nil
	})
	if err != nil {
		return nil, err
	}
	return &ssm.AddTagsToResourceOutput{}, nil
}

// RemoveTagsFromResource removes tags from a parameter by key; keys it does not have are
// ignored.
func (h *SSM) RemoveTagsFromResource(ctx context.Context, in *ssm.RemoveTagsFromResourceInput) (*ssm.RemoveTagsFromResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	checkTagging(&v, in.ResourceType, in.ResourceId)
	if in.TagKeys == nil {
		v.null("tagKeys")
	}
	for i, k := range in.TagKeys {
		v.length("tagKeys."+itoa64(int64(i+1))+".member", k, 1, 128)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		p, err := taggedParameter(r, in.ResourceType, *in.ResourceId)
		if err != nil {
			return false, err
		}
		n := len(p.Tags)
		p.Tags = slices.DeleteFunc(p.Tags, func(t tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return len(p.Tags) != n, nil
	})
	if err != nil {
		return nil, err
	}
	return &ssm.RemoveTagsFromResourceOutput{}, nil
}

// ListTagsForResource lists a parameter's tags, in the order they were added.
func (h *SSM) ListTagsForResource(ctx context.Context, in *ssm.ListTagsForResourceInput) (*ssm.ListTagsForResourceOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	checkTagging(&v, in.ResourceType, in.ResourceId)
	if err := v.err(); err != nil {
		return nil, err
	}
	out := &ssm.ListTagsForResourceOutput{TagList: []types.Tag{}}
	err := s.read(region, func(r *regionState) error {
		p, err := taggedParameter(r, in.ResourceType, *in.ResourceId)
		if err != nil {
			return err
		}
		out.TagList = tagsOut(p.Tags)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func tagsOut(tags []tag) []types.Tag {
	out := make([]types.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, types.Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}
