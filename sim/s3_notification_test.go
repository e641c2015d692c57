package sim_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// TestS3Notifications: a bucket's notification configuration on an SNS topic, validated
// with a test event, and S3's event messages published to the topic through SNS for the
// objects created and removed under the filter.
func TestS3Notifications(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator) // the topic's deliveries are read from the simulator
		client := s3Client(t, c, "path")
		topics := sns.NewFromConfig(c.Config())
		ctx := context.Background()
		mustBucket(t, client, "events-bucket")
		got, err := client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("events-bucket")})
		if err != nil || len(got.TopicConfigurations) != 0 {
			t.Fatalf("GetBucketNotificationConfiguration of a new bucket = %+v, %v", got, err)
		}
		topic, err := topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("uploads")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := topics.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
			Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:uploads-queue")}); err != nil {
			t.Fatal(err)
		}
		configure := func(topicARN string, events ...s3types.Event) error {
			_, err := client.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("events-bucket"),
				NotificationConfiguration: &s3types.NotificationConfiguration{TopicConfigurations: []s3types.TopicConfiguration{{
					Id: aws.String("images"), TopicArn: aws.String(topicARN), Events: events,
					Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{
						{Name: "prefix", Value: aws.String("images/")}, {Name: "suffix", Value: aws.String(".png")}}}},
				}}}})
			return err
		}
		wantS3Error(t, configure("arn:aws:sns:us-east-1:123456789012:no-such-topic", "s3:ObjectCreated:*"), "InvalidArgument", 400)
		wantS3Error(t, configure(aws.ToString(topic.TopicArn), "s3:ObjectCreated:Sneeze"), "InvalidArgument", 400)
		if err := configure(aws.ToString(topic.TopicArn), "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"); err != nil {
			t.Fatal(err)
		}
		got, err = client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("events-bucket")})
		if err != nil || len(got.TopicConfigurations) != 1 || aws.ToString(got.TopicConfigurations[0].Id) != "images" ||
			len(got.TopicConfigurations[0].Events) != 2 || len(got.TopicConfigurations[0].Filter.Key.FilterRules) != 2 {
			t.Fatalf("GetBucketNotificationConfiguration = %+v, %v", got, err)
		}

		mustPut(t, client, "events-bucket", "images/cat.png", "meow")
		mustPut(t, client, "events-bucket", "images/cat.txt", "not a png")
		mustPut(t, client, "events-bucket", "docs/dog.png", "not under images/")
		if _, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("events-bucket"), Key: aws.String("images/copy.png"),
			CopySource: aws.String("events-bucket/images/cat.png")}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("events-bucket"), Key: aws.String("images/cat.png")}); err != nil {
			t.Fatal(err)
		}

		type record struct {
			EventName string `json:"eventName"`
			EventSrc  string `json:"eventSource"`
			S3        struct {
				ConfigurationID string `json:"configurationId"`
				Bucket          struct{ Name string }
				Object          struct {
					Key  string `json:"key"`
					Size int64  `json:"size"`
					ETag string `json:"eTag"`
				} `json:"object"`
			} `json:"s3"`
		}
		var names []string
		test := 0
		for _, d := range c.Cloud(t).Deliveries() {
			if d.Protocol != "sqs" || d.TopicARN != aws.ToString(topic.TopicArn) {
				continue
			}
			var doc struct{ Records []record }
			if strings.Contains(d.Body, `"s3:TestEvent"`) {
				test++
				continue
			}
			if err := json.Unmarshal([]byte(d.Body), &doc); err != nil || len(doc.Records) != 1 {
				t.Fatalf("event message %s: %v", d.Body, err)
			}
			r := doc.Records[0]
			if r.EventSrc != "aws:s3" || r.S3.ConfigurationID != "images" || r.S3.Bucket.Name != "events-bucket" {
				t.Errorf("record = %+v", r)
			}
			if r.EventName == "ObjectCreated:Put" && (r.S3.Object.Size != 4 || len(r.S3.Object.ETag) != 32) {
				t.Errorf("Put record's object = %+v", r.S3.Object)
			}
			names = append(names, r.EventName+" "+r.S3.Object.Key)
		}
		want := []string{"ObjectCreated:Put images%2Fcat.png", "ObjectCreated:Copy images%2Fcopy.png", "ObjectRemoved:Delete images%2Fcat.png"}
		if strings.Join(names, "; ") != strings.Join(want, "; ") || test != 1 {
			t.Errorf("events = %q (and %d test events), want %q and one", names, test, want)
		}
	})
}

// The lifecycle's expirations, played on the clock, are events too, done by S3 itself.
func TestS3LifecycleNotifications(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		c.Require(t, conformance.Simulator, conformance.ClockControl)
		client := s3Client(t, c, "path")
		topics := sns.NewFromConfig(c.Config())
		ctx := context.Background()
		mustBucket(t, client, "expiring-bucket")
		topic := must(topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("expiries")}))(t)
		must(topics.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:q")}))(t)
		must(client.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("expiring-bucket"),
			NotificationConfiguration: &s3types.NotificationConfiguration{TopicConfigurations: []s3types.TopicConfiguration{{
				Id: aws.String("gone"), TopicArn: topic.TopicArn, Events: []s3types.Event{"s3:LifecycleExpiration:*"}}}}}))(t)
		must(client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("expiring-bucket"),
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{Status: "Enabled",
				Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")}, Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(1)}}}}}))(t)
		mustPut(t, client, "expiring-bucket", "tmp/scratch", "s")
		c.Advance(t, 72*time.Hour)
		must(client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("expiring-bucket")}))(t)
		var got []string
		for _, d := range c.Cloud(t).Deliveries() {
			if d.TopicARN == aws.ToString(topic.TopicArn) && strings.Contains(d.Body, `"Records"`) {
				got = append(got, d.Body)
			}
		}
		if len(got) != 1 || !strings.Contains(got[0], `"eventName":"LifecycleExpiration:Delete"`) || !strings.Contains(got[0], `"principalId":"s3.amazonaws.com"`) ||
			!strings.Contains(got[0], `"key":"tmp%2Fscratch"`) {
			t.Errorf("lifecycle events = %q", got)
		}
	})
}
