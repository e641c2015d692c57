package snssim

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

var batchID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// PublishBatch publishes up to 10 messages to a topic, each as Publish would; an entry that
// Publish would refuse is reported in Failed, the others delivered. The request as a whole
// is refused for its shape: no entries, more than 10, Ids not distinct or not of letters,
// digits, hyphens and underscores, more than 256 KiB in all, or no such topic.
// https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
func (h *SNS) PublishBatch(ctx context.Context, in *sns.PublishBatchInput) (*sns.PublishBatchOutput, error) {
	entries := in.PublishBatchRequestEntries
	switch {
	case len(entries) == 0:
		return nil, errorf(EmptyBatchRequest, "The batch request doesn't contain any entries.")
	case len(entries) > 10:
		return nil, errorf(TooManyEntriesInBatchRequest, "The batch request contains more entries than permissible.")
	}
	seen, size := map[string]bool{}, 0
	for _, e := range entries {
		id := aws.ToString(e.Id)
		if !batchID.MatchString(id) {
			return nil, errorf(InvalidBatchEntryID, "The Id of a batch entry in a batch request doesn't abide by the specification.")
		}
		if seen[id] {
			return nil, errorf(BatchEntryIdsNotDistinct, "Two or more batch entries in the request have the same Id.")
		}
		seen[id] = true
		size += len(aws.ToString(e.Message))
		for k, v := range e.MessageAttributes {
			size += len(k) + len(aws.ToString(v.DataType)) + len(aws.ToString(v.StringValue)) + len(v.BinaryValue)
		}
	}
	if size > maxMessage {
		return nil, errorf(BatchRequestTooLong, "The length of all the messages put together is more than the limit.")
	}
	region, arn := core.RegionFrom(ctx), aws.ToString(in.TopicArn)
	if err := h.s.read(region, func(r *regionState) error { _, err := findTopic(r, "TopicArn", arn); return err }); err != nil {
		return nil, err
	}
	out := &sns.PublishBatchOutput{Successful: []types.PublishBatchResultEntry{}, Failed: []types.BatchResultErrorEntry{}}
	for _, e := range entries {
		m, err := check(e.Subject, aws.ToString(e.Message), aws.ToString(e.MessageStructure), e.MessageAttributes)
		if err == nil {
			m.group, m.dedup = aws.ToString(e.MessageGroupId), aws.ToString(e.MessageDeduplicationId)
			err = h.s.publish(region, arn, m)
		}
		if err != nil {
			ce, ok := err.(*core.Error)
			if !ok || ce.Code == NotFound { // the topic went meanwhile
				return nil, err
			}
			out.Failed = append(out.Failed, types.BatchResultErrorEntry{Id: e.Id, Code: aws.String(string(ce.Code)),
				Message: aws.String(ce.Message), SenderFault: true})
			continue
		}
		ok := types.PublishBatchResultEntry{Id: e.Id, MessageId: aws.String(m.id)}
		if m.sequence != "" {
			ok.SequenceNumber = aws.String(m.sequence)
		}
		out.Successful = append(out.Successful, ok)
	}
	return out, nil
}
