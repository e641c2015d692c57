package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// BenchmarkSNSPublish publishes, as alex, a message with an attribute to a topic with a
// confirmed email subscription, an sqs one and one whose filter policy it does not match:
// the query codec, the topic policy as a resource policy, filtering and delivery into the
// inbox, beside the floor.
func BenchmarkSNSPublish(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	root := sns.NewFromConfig(c.Config())
	out, err := root.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	arn := out.TopicArn
	for _, s := range []sns.SubscribeInput{
		{TopicArn: arn, Protocol: aws.String("email"), Endpoint: aws.String("ops@example.com")},
		{TopicArn: arn, Protocol: aws.String("sqs"), Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:q")},
		{TopicArn: arn, Protocol: aws.String("sqs"), Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:high"),
			Attributes: map[string]string{"FilterPolicy": `{"severity":["high"]}`}},
	} {
		if _, err := root.Subscribe(ctx, &s); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := c.Confirm(ctx, c.Inbox("ops@example.com")[0]); err != nil {
		b.Fatal(err)
	}
	in := &sns.PublishInput{TopicArn: arn, Subject: aws.String("Disk"), Message: aws.String("web-1: /var is 91% full"),
		MessageAttributes: map[string]types.MessageAttributeValue{"severity": {DataType: aws.String("String"), StringValue: aws.String("low")}}}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		_, err := sns.NewFromConfig(cfg).Publish(ctx, in)
		return err
	})
}
