package cwsim

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxTags is the most tags a resource has.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_TagResource.html
const maxTags = 50

func tagsIn(ts []types.Tag) ([]tag, error) {
	var out []tag
	for _, t := range ts {
		if err := checkTag(t); err != nil {
			return nil, err
		}
		out = setTag(out, tag{*t.Key, *t.Value})
	}
	return out, nil
}

func checkTag(t types.Tag) error {
	switch {
	case t.Key == nil:
		return missing("Tags.member.N.Key")
	case t.Value == nil:
		return missing("Tags.member.N.Value")
	case len(*t.Key) < 1 || len(*t.Key) > 128:
		return validation("1 validation error detected: Value '%s' at 'tags.member.key' failed to satisfy constraint: Member must have length less than or equal to 128", *t.Key)
	case len(*t.Value) > 256:
		return validation("1 validation error detected: Value '%s' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", *t.Value)
	case strings.HasPrefix(strings.ToLower(*t.Key), "aws:"):
		return invalid("Tag keys may not begin with aws: (%s).", *t.Key)
	}
	return nil
}

func setTag(ts []tag, t tag) []tag {
	for i := range ts {
		if ts[i].Key == t.Key {
			ts[i].Value = t.Value
			return ts
		}
	}
	return append(ts, t)
}

// resourceAlarm returns the alarm an ARN names in r: arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME.
// Contributor Insights rules and metric streams are not simulated.
func (s *Store) resourceAlarm(r *regionState, region, arn string) (*alarm, error) {
	name, ok := strings.CutPrefix(arn, "arn:aws:cloudwatch:"+region+":"+s.account+":alarm:")
	if !ok || name == "" {
		if !strings.HasPrefix(arn, "arn:") {
			return nil, invalid("The value %s for parameter ResourceARN is invalid.", arn)
		}
		return nil, notFound(ResourceNotFoundException, "Resource %s not found.", arn)
	}
	a := r.Alarms[name]
	if a == nil {
		return nil, notFound(ResourceNotFoundException, "Resource %s not found.", arn)
	}
	return a, nil
}

// TagResource adds or replaces tags of an alarm.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_TagResource.html
func (h *CloudWatch) TagResource(ctx context.Context, in *cloudwatch.TagResourceInput) (*cloudwatch.TagResourceOutput, error) {
	if in.ResourceARN == nil {
		return nil, missing("ResourceARN")
	}
	if in.Tags == nil {
		return nil, missing("Tags")
	}
	add, err := tagsIn(in.Tags)
	if err != nil {
		return nil, err
	}
	region := core.RegionFrom(ctx)
	return &cloudwatch.TagResourceOutput{}, h.s.write(region, func(r *regionState, now time.Time) (bool, error) {
		a, err := h.s.resourceAlarm(r, region, *in.ResourceARN)
		if err != nil {
			return false, err
		}
		ts := slices.Clone(a.Tags)
		for _, t := range add {
			ts = setTag(ts, t)
		}
		if len(ts) > maxTags {
			return false, core.Errorf(LimitExceeded, "The maximum number of tags (%d) for resource %s would be exceeded.", maxTags, *in.ResourceARN)
		}
		a.Tags = ts
		return true, nil
	})
}

// UntagResource removes tags of an alarm; keys it does not have are passed over.
func (h *CloudWatch) UntagResource(ctx context.Context, in *cloudwatch.UntagResourceInput) (*cloudwatch.UntagResourceOutput, error) {
	if in.ResourceARN == nil {
		return nil, missing("ResourceARN")
	}
	if in.TagKeys == nil {
		return nil, missing("TagKeys")
	}
	region := core.RegionFrom(ctx)
	return &cloudwatch.UntagResourceOutput{}, h.s.write(region, func(r *regionState, now time.Time) (bool, error) {
		a, err := h.s.resourceAlarm(r, region, *in.ResourceARN)
		if err != nil {
			return false, err
		}
		a.Tags = slices.DeleteFunc(slices.Clone(a.Tags), func(t tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return true, nil
	})
}

// ListTagsForResource lists an alarm's tags.
func (h *CloudWatch) ListTagsForResource(ctx context.Context, in *cloudwatch.ListTagsForResourceInput) (*cloudwatch.ListTagsForResourceOutput, error) {
	if in.ResourceARN == nil {
		return nil, missing("ResourceARN")
	}
	region := core.RegionFrom(ctx)
	out := &cloudwatch.ListTagsForResourceOutput{Tags: []types.Tag{}}
	return out, h.s.read(region, func(r *regionState, now time.Time) error {
		a, err := h.s.resourceAlarm(r, region, *in.ResourceARN)
		if err != nil {
			return err
		}
		for _, t := range a.Tags {
			out.Tags = append(out.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
		}
		return nil
	})
}
