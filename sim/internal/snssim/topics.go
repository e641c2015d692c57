package snssim

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// SNS is the handler: its methods are SNS's operations, with the SDK client's signatures.
type SNS struct{ s *Store }

// NewSNS returns the handler of the store.
func NewSNS(s *Store) *SNS { return &SNS{s} }

// pageSize is how many topics or subscriptions a List call returns at most.
// https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html
const pageSize = 100

var (
	topicName     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	fifoTopicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,251}\.fifo$`)
)

// topicAttrs are the attributes CreateTopic and SetTopicAttributes take; FifoTopic only at
// creation. https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
var topicAttrs = map[string]bool{
	"DeliveryPolicy": true, "DisplayName": true, "Policy": true, "KmsMasterKeyId": true,
	"SignatureVersion": true, "TracingConfig": true, "ContentBasedDeduplication": true,
	"ArchivePolicy": true, "FifoThroughputScope": true, "FifoTopic": true,
	"HTTPSuccessFeedbackRoleArn": true, "HTTPFailureFeedbackRoleArn": true, "HTTPSuccessFeedbackSampleRate": true,
	"LambdaSuccessFeedbackRoleArn": true, "LambdaFailureFeedbackRoleArn": true, "LambdaSuccessFeedbackSampleRate": true,
	"SQSSuccessFeedbackRoleArn": true, "SQSFailureFeedbackRoleArn": true, "SQSSuccessFeedbackSampleRate": true,
	"ApplicationSuccessFeedbackRoleArn": true, "ApplicationFailureFeedbackRoleArn": true, "ApplicationSuccessFeedbackSampleRate": true,
	"FirehoseSuccessFeedbackRoleArn": true, "FirehoseFailureFeedbackRoleArn": true, "FirehoseSuccessFeedbackSampleRate": true,
}

// defaultPolicy is the policy AWS writes on a new topic: the account's principals may manage
// and publish to it (the AWS:SourceOwner condition holds only for AWS services acting for
// the account, so to IAM users it grants nothing their own policies do not).
func defaultPolicy(account, arn string) string {
	return `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"` +
		arn + `","Condition":{"StringEquals":{"AWS:SourceOwner":"` + account + `"}}}]}`
}

// defaultDeliveryPolicy is the EffectiveDeliveryPolicy of a topic without its own.
const defaultDeliveryPolicy = `{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`

func (s *Store) topicARN(region, name string) string {
	return "arn:aws:sns:" + region + ":" + s.account + ":" + name
}

// splitARN returns the region, account and resource of an SNS ARN.
func splitARN(arn string) (region, account, resource string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[1] != "aws" || p[2] != "sns" || p[5] == "" {
		return "", "", "", false
	}
	return p[3], p[4], p[5], true
}

// findTopic returns the topic an ARN parameter names in the region of the request.
func findTopic(r *regionState, param, arn string) (*topic, error) {
	if arn == "" {
		return nil, invalid("%s", param)
	}
	if _, _, res, ok := splitARN(arn); !ok || strings.Contains(res, ":") {
		return nil, invalid("%s", param)
	}
	t := r.Topics[arn]
	if t == nil {
		return nil, topicNotFound()
	}
	return t, nil
}

// checkTopicAttr validates one topic attribute's value as AWS does.
func checkTopicAttr(name, value string, fifo bool) error {
	switch name {
	case "Policy":
		var v map[string]any
		if json.Unmarshal([]byte(value), &v) != nil {
			return invalid("Policy Error: null")
		}
	case "DeliveryPolicy":
		var v map[string]any
		if json.Unmarshal([]byte(value), &v) != nil {
			return invalid("DeliveryPolicy: failed to parse JSON.")
		}
	case "DisplayName":
		if len(value) > 100 {
			return invalid("Attributes Reason: DisplayName") // as AWS words it (aws-solutions/cognito-user-profiles-export-reference-architecture#7)
		}
	case "FifoTopic", "ContentBasedDeduplication":
		if value != "true" && value != "false" {
			return invalid("Attributes Reason: Invalid value [%s] for %s", value, name)
		}
		if name == "ContentBasedDeduplication" && value == "true" && !fifo {
			return invalid("Attributes Reason: Content based deduplication can only be set for FIFO topics")
		}
	case "SignatureVersion":
		if value != "1" && value != "2" {
			return invalid("Attributes Reason: SignatureVersion: Invalid value [%s]. Valid values are 1 and 2", value)
		}
	case "TracingConfig":
		if value != "PassThrough" && value != "Active" {
			return invalid("Attributes Reason: TracingConfig: Invalid value [%s]. Valid values are PassThrough and Active", value)
		}
	}
	return nil
}

func fromTags(in []types.Tag) ([]tag, error) {
	out := make([]tag, 0, len(in))
	for _, t := range in {
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		if k == "" || len(k) > 128 || len(v) > 256 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, errorf(TagPolicy, "Invalid tag key or value: %q", k)
		}
		out = append(out, tag{k, v})
	}
	return out, nil
}

// CreateTopic makes a topic, or returns the one of that name when its attributes and tags
// are the ones asked for. https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
func (h *SNS) CreateTopic(ctx context.Context, in *sns.CreateTopicInput) (*sns.CreateTopicOutput, error) {
	s := h.s
	region := core.RegionFrom(ctx)
	name := aws.ToString(in.Name)
	fifo := in.Attributes["FifoTopic"] == "true"
	if fifo && !fifoTopicName.MatchString(name) {
		return nil, invalid("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
	}
	if !fifo && !topicName.MatchString(name) {
		return nil, invalid("Topic Name")
	}
	for _, k := range slices.Sorted(maps.Keys(in.Attributes)) {
		if !topicAttrs[k] {
			return nil, invalid("Attributes Reason: Unknown attribute %s", k)
		}
		if err := checkTopicAttr(k, in.Attributes[k], fifo); err != nil {
			return nil, err
		}
	}
	tags, err := fromTags(in.Tags)
	if err != nil {
		return nil, err
	}
	if len(tags) > 50 {
		return nil, errorf(TagLimitExceeded, "Could not complete request: tag quota of per resource exceeded")
	}
	arn := s.topicARN(region, name)
	err = s.write(region, func(r *regionState) (bool, error) {
		if t := r.Topics[arn]; t != nil {
			// Idempotent: the same name with the same attributes is the same topic.
			for k, v := range in.Attributes {
				if cur, ok := t.Attrs[k]; (ok && cur != v) || (!ok && v != "" && !(k == "FifoTopic" && v == "false")) {
					return false, invalid("Attributes Reason: Topic already exists with different attributes")
				}
			}
			for _, tg := range tags {
				if !slices.Contains(t.Tags, tg) {
					return false, invalid("Tags Reason: Topic already exists with different tags")
				}
			}
			return false, nil
		}
		if len(r.Topics) >= 100000 {
			return false, errorf(TopicLimitExceeded, "Topic limit exceeded")
		}
		attrs := map[string]string{"Policy": defaultPolicy(s.account, arn)}
		for k, v := range in.Attributes {
			if k == "FifoTopic" && v == "false" {
				continue
			}
			attrs[k] = v
		}
		if fifo && attrs["ContentBasedDeduplication"] == "" {
			attrs["ContentBasedDeduplication"] = "false"
		}
		r.Topics[arn] = &topic{Name: name, ARN: arn, Attrs: attrs, Tags: tags, Created: s.clock.Now()}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.CreateTopicOutput{TopicArn: aws.String(arn)}, nil
}

// TopicLimitExceeded is refused past AWS's default quota of topics per account.
const TopicLimitExceeded core.Code = "TopicLimitExceeded"

// ListTopics returns the region's topics, 100 at a time, in ARN order.
func (h *SNS) ListTopics(ctx context.Context, in *sns.ListTopicsInput) (*sns.ListTopicsOutput, error) {
	out := &sns.ListTopicsOutput{Topics: []types.Topic{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		arns, next, err := page(slices.Sorted(maps.Keys(r.Topics)), aws.ToString(in.NextToken))
		for _, a := range arns {
			out.Topics = append(out.Topics, types.Topic{TopicArn: aws.String(a)})
		}
		out.NextToken = next
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// page returns a page of keys after the token, which is the position (in decimal) of the
// page's first key, and the next token.
func page(keys []string, token string) ([]string, *string, error) {
	start := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 || n > len(keys) || strconv.Itoa(n) != token {
			return nil, nil, invalid("NextToken")
		}
		start = n
	}
	end := min(start+pageSize, len(keys))
	var next *string
	if end < len(keys) {
		next = aws.String(strconv.Itoa(end))
	}
	return keys[start:end], next, nil
}

// GetTopicAttributes returns a topic's attributes, with the counts of its subscriptions.
func (h *SNS) GetTopicAttributes(ctx context.Context, in *sns.GetTopicAttributesInput) (*sns.GetTopicAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		t, err := findTopic(r, "TopicArn", aws.ToString(in.TopicArn))
		if err != nil {
			return err
		}
		attrs = maps.Clone(t.Attrs)
		confirmed, pending := 0, 0
		for _, sub := range r.Subs {
			if sub.Topic != t.ARN {
				continue
			}
			if sub.Confirmed {
				confirmed++
			} else {
				pending++
			}
		}
		attrs["TopicArn"] = t.ARN
		attrs["Owner"] = h.s.account
		attrs["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
		attrs["SubscriptionsPending"] = strconv.Itoa(pending)
		attrs["SubscriptionsDeleted"] = strconv.Itoa(t.Deleted)
		if _, ok := attrs["DisplayName"]; !ok {
			attrs["DisplayName"] = ""
		}
		attrs["EffectiveDeliveryPolicy"] = defaultDeliveryPolicy
		if p := t.Attrs["DeliveryPolicy"]; p != "" {
			attrs["EffectiveDeliveryPolicy"] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.GetTopicAttributesOutput{Attributes: attrs}, nil
}

// SetTopicAttributes sets one attribute; an empty value removes it (DisplayName,
// DeliveryPolicy, KmsMasterKeyId). FifoTopic cannot change.
func (h *SNS) SetTopicAttributes(ctx context.Context, in *sns.SetTopicAttributesInput) (*sns.SetTopicAttributesOutput, error) {
	name, value := aws.ToString(in.AttributeName), aws.ToString(in.AttributeValue)
	if !topicAttrs[name] || name == "FifoTopic" {
		return nil, invalid("AttributeName")
	}
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		t, err := findTopic(r, "TopicArn", aws.ToString(in.TopicArn))
		if err != nil {
			return false, err
		}
		if value == "" && name != "Policy" {
			delete(t.Attrs, name)
			return true, nil
		}
		if err := checkTopicAttr(name, value, t.fifo()); err != nil {
			return false, err
		}
		if name == "Policy" && value == "" {
			return false, invalid("Policy Error: null")
		}
		t.Attrs[name] = value
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.SetTopicAttributesOutput{}, nil
}

// DeleteTopic deletes a topic and its subscriptions. "Deleting a topic that does not exist
// does not result in an error." (API_DeleteTopic).
func (h *SNS) DeleteTopic(ctx context.Context, in *sns.DeleteTopicInput) (*sns.DeleteTopicOutput, error) {
	arn := aws.ToString(in.TopicArn)
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		t, err := findTopic(r, "TopicArn", arn)
		if err != nil {
			if e, ok := err.(*core.Error); ok && e.Code == NotFound {
				return false, nil
			}
			return false, err
		}
		delete(r.Topics, t.ARN)
		for k, sub := range r.Subs {
			if sub.Topic == t.ARN {
				delete(r.Subs, k)
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.DeleteTopicOutput{}, nil
}

// tagged returns the topic a tagging operation's ResourceArn names.
func tagged(r *regionState, arn string) (*topic, error) {
	if _, _, res, ok := splitARN(arn); !ok || strings.Contains(res, ":") {
		return nil, invalid("ResourceArn")
	}
	t := r.Topics[arn]
	if t == nil {
		return nil, resourceNotFound()
	}
	return t, nil
}

// TagResource adds or replaces tags on a topic, at most 50 in all.
func (h *SNS) TagResource(ctx context.Context, in *sns.TagResourceInput) (*sns.TagResourceOutput, error) {
	tags, err := fromTags(in.Tags)
	if err != nil {
		return nil, err
	}
	err = h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		t, err := tagged(r, aws.ToString(in.ResourceArn))
		if err != nil {
			return false, err
		}
		merged := slices.Clone(t.Tags)
		for _, tg := range tags {
			if i := slices.IndexFunc(merged, func(x tag) bool { return x.Key == tg.Key }); i >= 0 {
				merged[i] = tg
			} else {
				merged = append(merged, tg)
			}
		}
		if len(merged) > 50 {
			return false, errorf(TagLimitExceeded, "Could not complete request: tag quota of per resource exceeded")
		}
		t.Tags = merged
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys it does not have are ignored.
func (h *SNS) UntagResource(ctx context.Context, in *sns.UntagResourceInput) (*sns.UntagResourceOutput, error) {
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		t, err := tagged(r, aws.ToString(in.ResourceArn))
		if err != nil {
			return false, err
		}
		t.Tags = slices.DeleteFunc(t.Tags, func(x tag) bool { return slices.Contains(in.TagKeys, x.Key) })
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.UntagResourceOutput{}, nil
}

// ListTagsForResource returns a topic's tags, in the order they were added.
func (h *SNS) ListTagsForResource(ctx context.Context, in *sns.ListTagsForResourceInput) (*sns.ListTagsForResourceOutput, error) {
	out := &sns.ListTagsForResourceOutput{Tags: []types.Tag{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		t, err := tagged(r, aws.ToString(in.ResourceArn))
		if err != nil {
			return err
		}
		for _, tg := range t.Tags {
			out.Tags = append(out.Tags, types.Tag{Key: aws.String(tg.Key), Value: aws.String(tg.Value)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
