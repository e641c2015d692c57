package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Topics: made idempotently, listed 100 at a time, their attributes with the default policy
// and the counts, set, tagged and deleted.
func TestSNSTopics(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := sns.NewFromConfig(c.Config())

		arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts"),
			Attributes: map[string]string{"DisplayName": "Alerts"}}))(t).TopicArn
		if arn != "arn:aws:sns:us-east-1:123456789012:alerts" {
			t.Fatalf("TopicArn = %q", arn)
		}
		again := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts"),
			Attributes: map[string]string{"DisplayName": "Alerts"}}))(t).TopicArn
		if again != arn {
			t.Errorf("CreateTopic again = %q, want %q", again, arn)
		}
		for _, bad := range []string{"", "has space", "dots.not.allowed", strings.Repeat("a", 257), "x.fifo"} {
			_, err := client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(bad)})
			wantCode(t, err, "InvalidParameter")
		}
		_, err := client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("nofifo"), Attributes: map[string]string{"FifoTopic": "true"}})
		wantCode(t, err, "InvalidParameter")

		attrs := must(client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn}))(t).Attributes
		for k, v := range map[string]string{"TopicArn": arn, "Owner": "123456789012", "DisplayName": "Alerts",
			"SubscriptionsConfirmed": "0", "SubscriptionsPending": "0", "SubscriptionsDeleted": "0"} {
			if attrs[k] != v {
				t.Errorf("attribute %s = %q, want %q", k, attrs[k], v)
			}
		}
		var pol struct {
			Statement []struct {
				Resource  string
				Condition map[string]map[string]string
			}
		}
		if err := json.Unmarshal([]byte(attrs["Policy"]), &pol); err != nil || len(pol.Statement) != 1 ||
			pol.Statement[0].Resource != arn || pol.Statement[0].Condition["StringEquals"]["AWS:SourceOwner"] != "123456789012" {
			t.Errorf("default policy = %s (%v)", attrs["Policy"], err)
		}
		if !strings.Contains(attrs["EffectiveDeliveryPolicy"], "defaultHealthyRetryPolicy") {
			t.Errorf("EffectiveDeliveryPolicy = %q", attrs["EffectiveDeliveryPolicy"])
		}

		must(client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: &arn, AttributeName: aws.String("DisplayName"), AttributeValue: aws.String("Ops")}))(t)
		if got := must(client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn}))(t).Attributes["DisplayName"]; got != "Ops" {
			t.Errorf("DisplayName = %q after set", got)
		}
		_, err = client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:nope")})
		wantCode(t, err, "NotFound")

		// Tags.
		must(client.TagResource(ctx, &sns.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}}))(t)
		tags := must(client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: &arn}))(t).Tags
		if len(tags) != 1 || *tags[0].Key != "team" || *tags[0].Value != "ops" {
			t.Errorf("tags = %v", tags)
		}
		must(client.UntagResource(ctx, &sns.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team"}}))(t)
		if tags := must(client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: &arn}))(t).Tags; len(tags) != 0 {
			t.Errorf("tags after untag = %v", tags)
		}
		_, err = client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:sns:us-east-1:123456789012:nope")})
		wantCode(t, err, "ResourceNotFound")

		// Paging: 100 a page.
		for i := range 120 {
			must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(fmt.Sprintf("t%03d", i))}))(t)
		}
		n, pages := 0, 0
		p := sns.NewListTopicsPaginator(client, &sns.ListTopicsInput{})
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			n += len(out.Topics)
			pages++
		}
		if n != 121 || pages != 2 {
			t.Errorf("ListTopics: %d topics in %d pages, want 121 in 2", n, pages)
		}

		must(client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: &arn}))(t)
		must(client.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: &arn}))(t) // gone: not an error
		_, err = client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn})
		wantCode(t, err, "NotFound")

		// Another region's topics are its own.
		west := sns.NewFromConfig(c.Config(), func(o *sns.Options) { o.Region = "us-west-2" })
		if out := must(west.ListTopics(ctx, &sns.ListTopicsInput{}))(t); len(out.Topics) != 0 {
			t.Errorf("us-west-2 lists %d topics", len(out.Topics))
		}

		// The same name with other attributes is refused ("Topic already exists with
		// different attributes").
		c.Diverges(t, conformance.Moto, "moto answers CreateTopic with other attributes with the existing topic, sets an attribute SNS does not have, and fails on a malformed ARN")
		must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("again"), Attributes: map[string]string{"DisplayName": "One"}}))(t)
		_, err = client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("again"), Attributes: map[string]string{"DisplayName": "Other"}})
		wantCode(t, err, "InvalidParameter")
		_, err = client.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:again"), AttributeName: aws.String("Bogus"), AttributeValue: aws.String("x")})
		wantCode(t, err, "InvalidParameter")
		_, err = client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String("nope")})
		wantCode(t, err, "InvalidParameter")
	})
}

// An email subscription: pending until the token mailed to the inbox confirms it; then a
// publish arrives in the inbox, filtered by the subscription's filter policy.
func TestSNSEmailSubscription(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		client := sns.NewFromConfig(c.Config())
		arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alarms")}))(t).TopicArn

		_, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("email"), Endpoint: aws.String("not-an-address")})
		wantCode(t, err, "InvalidParameter")
		_, err = client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("carrier-pigeon"), Endpoint: aws.String("x")})
		wantCode(t, err, "InvalidParameter")

		sub := must(client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("email"), Endpoint: aws.String("ana@example.com")}))(t)
		if *sub.SubscriptionArn != "pending confirmation" {
			t.Errorf("SubscriptionArn = %q, want pending confirmation", *sub.SubscriptionArn)
		}
		attrs := must(client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn}))(t).Attributes
		if attrs["SubscriptionsPending"] != "1" || attrs["SubscriptionsConfirmed"] != "0" {
			t.Errorf("pending %s, confirmed %s", attrs["SubscriptionsPending"], attrs["SubscriptionsConfirmed"])
		}
		// A pending subscription gets nothing.
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String("too early")}))(t)

		inbox := cloud.Inbox("ana@example.com")
		if len(inbox) != 1 || inbox[0].Kind != "SubscriptionConfirmation" || inbox[0].Subject != "AWS Notification - Subscription Confirmation" ||
			!strings.Contains(inbox[0].Body, arn) || !strings.Contains(inbox[0].Body, inbox[0].ConfirmURL) || inbox[0].Token == "" {
			t.Fatalf("inbox = %+v", inbox)
		}
		_, err = client.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: &arn, Token: aws.String("wrong")})
		wantCode(t, err, "InvalidParameter")
		confirmed := *must(client.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: &arn, Token: &inbox[0].Token}))(t).SubscriptionArn
		if !strings.HasPrefix(confirmed, arn+":") {
			t.Fatalf("confirmed ARN = %q", confirmed)
		}
		sa := must(client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: &confirmed}))(t).Attributes
		if sa["PendingConfirmation"] != "false" || sa["Protocol"] != "email" || sa["Endpoint"] != "ana@example.com" || sa["TopicArn"] != arn {
			t.Errorf("subscription attributes = %v", sa)
		}
		list := must(client.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: &arn}))(t).Subscriptions
		if len(list) != 1 || *list[0].SubscriptionArn != confirmed {
			t.Errorf("ListSubscriptionsByTopic = %+v", list)
		}

		must(client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: &confirmed,
			AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(`{"severity":["high",{"prefix":"crit"}]}`)}))(t)
		_, err = client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: &confirmed,
			AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(`{"severity":"high"}`)})
		wantCode(t, err, "InvalidParameter")
		_, err = client.SetSubscriptionAttributes(ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: &confirmed,
			AttributeName: aws.String("RawMessageDelivery"), AttributeValue: aws.String("true")})
		wantCode(t, err, "InvalidParameter") // email does not take raw delivery

		attr := func(v string) map[string]types.MessageAttributeValue {
			return map[string]types.MessageAttributeValue{"severity": {DataType: aws.String("String"), StringValue: aws.String(v)}}
		}
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String("disk full"), Subject: aws.String("Disk"), MessageAttributes: attr("critical")}))(t)
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String("fyi"), MessageAttributes: attr("low")}))(t)
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String("no attributes")}))(t)
		inbox = cloud.Inbox("ana@example.com")
		if len(inbox) != 2 || inbox[1].Kind != "Notification" || inbox[1].Subject != "Disk" || !strings.HasPrefix(inbox[1].Body, "disk full\n") ||
			!strings.Contains(inbox[1].Body, "unsubscribe") {
			t.Fatalf("inbox after publishing = %+v", inbox)
		}

		must(client.Unsubscribe(ctx, &sns.UnsubscribeInput{SubscriptionArn: &confirmed}))(t)
		_, err = client.GetSubscriptionAttributes(ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: &confirmed})
		wantCode(t, err, "NotFound")
		if got := must(client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn}))(t).Attributes["SubscriptionsConfirmed"]; got != "0" {
			t.Errorf("SubscriptionsConfirmed after unsubscribing = %s", got)
		}
	})
}

// Publish's rules: a target, a message, a subject, attributes, the JSON structure, FIFO.
func TestSNSPublish(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t)
		client := sns.NewFromConfig(c.Config())
		arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("events")}))(t).TopicArn
		hook := must(client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("https"), Endpoint: aws.String("https://hooks.example.com/in"), ReturnSubscriptionArn: true}))(t)
		queue := must(client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("sqs"), Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:q")}))(t)
		if !strings.HasPrefix(*queue.SubscriptionArn, arn+":") {
			t.Errorf("an sqs subscription is confirmed at once: %q", *queue.SubscriptionArn)
		}
		_, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("http"), Endpoint: aws.String("https://x.example.com")})
		wantCode(t, err, "InvalidParameter")
		_, err = client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("sqs"), Endpoint: aws.String("queue")})
		wantCode(t, err, "InvalidParameter")

		cases := []struct {
			name string
			in   sns.PublishInput
			code string
		}{
			{"no target", sns.PublishInput{Message: aws.String("m")}, "InvalidParameter"},
			{"two targets", sns.PublishInput{TopicArn: &arn, TargetArn: &arn, Message: aws.String("m")}, "InvalidParameter"},
			{"empty message", sns.PublishInput{TopicArn: &arn, Message: aws.String("")}, "InvalidParameter"},
			{"long subject", sns.PublishInput{TopicArn: &arn, Message: aws.String("m"), Subject: aws.String(strings.Repeat("s", 101))}, "InvalidParameter"},
			{"subject with newline", sns.PublishInput{TopicArn: &arn, Message: aws.String("m"), Subject: aws.String("a\nb")}, "InvalidParameter"},
			{"long message", sns.PublishInput{TopicArn: &arn, Message: aws.String(strings.Repeat("m", 256*1024+1))}, "InvalidParameter"},
			{"bad structure", sns.PublishInput{TopicArn: &arn, Message: aws.String("m"), MessageStructure: aws.String("xml")}, "InvalidParameter"},
			{"json without default", sns.PublishInput{TopicArn: &arn, Message: aws.String(`{"email":"x"}`), MessageStructure: aws.String("json")}, "InvalidParameter"},
			{"bad number", sns.PublishInput{TopicArn: &arn, Message: aws.String("m"), MessageAttributes: map[string]types.MessageAttributeValue{
				"n": {DataType: aws.String("Number"), StringValue: aws.String("ten")}}}, "ParameterValueInvalid"},
			{"dedup on standard", sns.PublishInput{TopicArn: &arn, Message: aws.String("m"), MessageDeduplicationId: aws.String("d")}, "InvalidParameter"},
			{"no such topic", sns.PublishInput{TopicArn: aws.String(arn + "x"), Message: aws.String("m")}, "NotFound"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.Publish(ctx, &tc.in)
				wantCode(t, err, tc.code)
			})
		}

		// The largest message is taken; JSON structure picks each protocol's body.
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String(strings.Repeat("m", 256*1024))}))(t)
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, MessageStructure: aws.String("json"),
			Message: aws.String(`{"default":"plain","sqs":"for queues"}`)}))(t)
		var sqs, https []sim.Delivery
		for _, d := range cloud.Deliveries() {
			switch d.Protocol {
			case "sqs":
				sqs = append(sqs, d)
			case "https":
				https = append(https, d)
			}
		}
		if len(sqs) != 2 || sqs[1].Body != "for queues" || sqs[1].Undeliverable == "" {
			t.Errorf("sqs deliveries = %+v", sqs)
		}
		// The https endpoint is pending: only its confirmation request was recorded.
		if len(https) != 1 || https[0].Kind != "SubscriptionConfirmation" || https[0].Subscription != *hook.SubscriptionArn {
			t.Errorf("https deliveries = %+v", https)
		}

		// The https endpoint confirms with the token of the request it was sent, and gets the
		// next message as SNS's JSON document.
		must(client.ConfirmSubscription(ctx, &sns.ConfirmSubscriptionInput{TopicArn: &arn, Token: &https[0].Token}))(t)
		must(client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Subject: aws.String("S"), Message: aws.String("to the hook")}))(t)
		var last sim.Delivery
		for _, d := range cloud.Deliveries() {
			if d.Protocol == "https" {
				last = d
			}
		}
		var doc map[string]string
		if err := json.Unmarshal([]byte(last.Body), &doc); err != nil || last.Protocol != "https" || doc["Type"] != "Notification" ||
			doc["Message"] != "to the hook" || doc["Subject"] != "S" || doc["TopicArn"] != arn || doc["MessageId"] != last.MessageID {
			t.Errorf("the https notification = %+v (%v)", last, err)
		}

		// FIFO: a group is required, and deduplication by ID or content.
		fifo := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("orders.fifo"), Attributes: map[string]string{"FifoTopic": "true"}}))(t).TopicArn
		_, err = client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m")})
		wantCode(t, err, "InvalidParameter")
		_, err = client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m"), MessageGroupId: aws.String("g")})
		wantCode(t, err, "InvalidParameter")
		_, err = client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &fifo, Protocol: aws.String("email"), Endpoint: aws.String("a@example.com")})
		wantCode(t, err, "InvalidParameter")
		one := must(client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d1")}))(t)
		two := must(client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d1")}))(t)
		three := must(client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d2")}))(t)
		if *one.MessageId != *two.MessageId || *one.SequenceNumber != *two.SequenceNumber || *three.SequenceNumber <= *one.SequenceNumber || len(*one.SequenceNumber) != 20 {
			t.Errorf("FIFO: %v/%v, %v/%v, %v/%v", *one.MessageId, *one.SequenceNumber, *two.MessageId, *two.SequenceNumber, *three.MessageId, *three.SequenceNumber)
		}
		if c.Backend().Has(conformance.ClockControl) {
			c.Advance(t, 6*60e9)
			four := must(client.Publish(ctx, &sns.PublishInput{TopicArn: &fifo, Message: aws.String("m"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d1")}))(t)
			if *four.MessageId == *one.MessageId {
				t.Errorf("a deduplication ID is remembered past five minutes")
			}
		}
	})
}

// sns:<Operation> on the topic's ARN, refused as SNS's AuthorizationError.
func TestSNSAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		root := sns.NewFromConfig(c.Config())
		arn := *must(root.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("ops")}))(t).TopicArn
		other := *must(root.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("billing")}))(t).TopicArn
		cfg := newUser(t, c, "pub")
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("pub"), PolicyName: aws.String("p"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"` + arn + `"}]}`)}))(t)
		user := sns.NewFromConfig(cfg)
		must(user.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String("ok")}))(t)
		_, err := user.Publish(ctx, &sns.PublishInput{TopicArn: &other, Message: aws.String("no")})
		wantCode(t, err, "AuthorizationError")
		if err != nil && !strings.Contains(err.Error(), "sns:Publish on resource: "+other) {
			t.Errorf("refusal does not name the action and topic: %v", err)
		}
		_, err = user.ListTopics(ctx, &sns.ListTopicsInput{})
		wantCode(t, err, "AuthorizationError")

		// The topic policy is a resource policy: a statement naming the user lets them in.
		must(root.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: &other, AttributeName: aws.String("Policy"),
			AttributeValue: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/pub"},"Action":"sns:Publish","Resource":"` + other + `"}]}`)}))(t)
		must(user.Publish(ctx, &sns.PublishInput{TopicArn: &other, Message: aws.String("now allowed")}))(t)
	})
}

// Many goroutines publishing, subscribing and reading at once.
func TestSNSRace(t *testing.T) {
	c := sim.New()
	ctx := context.Background()
	client := sns.NewFromConfig(c.Config())
	arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("busy")}))(t).TopicArn
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			addr := fmt.Sprintf("u%d@example.com", g)
			if _, err := client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("email"), Endpoint: &addr}); err != nil {
				t.Error(err)
				return
			}
			for _, m := range c.Inbox(addr) {
				if _, err := c.Confirm(ctx, m); err != nil {
					t.Error(err)
				}
			}
			for i := range 10 {
				if _, err := client.Publish(ctx, &sns.PublishInput{TopicArn: &arn, Message: aws.String(fmt.Sprint(g, i))}); err != nil {
					t.Error(err)
				}
				c.Inbox(addr)
				client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn})
			}
		})
	}
	wg.Wait()
	attrs := must(client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: &arn}))(t).Attributes
	if attrs["SubscriptionsConfirmed"] != "16" {
		t.Fatalf("SubscriptionsConfirmed = %s", attrs["SubscriptionsConfirmed"])
	}
	total := 0
	for _, a := range c.Inboxes() {
		total += len(c.Inbox(a))
	}
	// 16 confirmations; each of the 160 messages reaches the subscribers confirmed by then.
	if total <= 16 || total > 16+160*16 {
		t.Errorf("%d mails in all", total)
	}
}

// SNS's state is saved and loaded with the cloud's: topics, subscriptions, the inboxes.
func TestSNSSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	client := sns.NewFromConfig(c.Config())
	arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("kept")}))(t).TopicArn
	must(client.Subscribe(ctx, &sns.SubscribeInput{TopicArn: &arn, Protocol: aws.String("email"), Endpoint: aws.String("k@example.com")}))(t)
	var buf strings.Builder
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(strings.NewReader(buf.String())); err != nil {
		t.Fatal(err)
	}
	inbox := d.Inbox("k@example.com")
	if len(inbox) != 1 {
		t.Fatalf("loaded inbox = %+v", inbox)
	}
	if sub, err := d.Confirm(ctx, inbox[0]); err != nil || !strings.HasPrefix(sub, arn+":") {
		t.Fatalf("Confirm on the loaded cloud = %q, %v", sub, err)
	}
}

// PublishBatch: the request's shape is refused whole; each entry is published or failed on
// its own.
func TestSNSPublishBatch(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := sns.NewFromConfig(c.Config())
		arn := *must(client.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("batch")}))(t).TopicArn
		entry := func(id, msg string) types.PublishBatchRequestEntry {
			return types.PublishBatchRequestEntry{Id: aws.String(id), Message: aws.String(msg)}
		}
		// An empty list is "PublishBatchRequestEntries=" on the wire: present, and empty.
		_, err := client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: []types.PublishBatchRequestEntry{}})
		c.Diverges(t, conformance.Moto, "moto takes an empty batch, and Ids of any characters")
		if code := apiCode(t, err); code != "EmptyBatchRequest" {
			t.Errorf("an empty batch: %v", err)
		}
		var eleven []types.PublishBatchRequestEntry
		for i := range 11 {
			eleven = append(eleven, entry(fmt.Sprint("e", i), "m"))
		}
		_, err = client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: eleven})
		wantCode(t, err, "TooManyEntriesInBatchRequest")
		_, err = client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: []types.PublishBatchRequestEntry{entry("a", "m"), entry("a", "n")}})
		wantCode(t, err, "BatchEntryIdsNotDistinct")
		_, err = client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: []types.PublishBatchRequestEntry{entry("a b", "m")}})
		wantCode(t, err, "InvalidBatchEntryId")
		_, err = client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: []types.PublishBatchRequestEntry{
			entry("a", strings.Repeat("m", 200*1024)), entry("b", strings.Repeat("m", 100*1024))}})
		wantCode(t, err, "BatchRequestTooLong")
		_, err = client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: aws.String(arn + "x"), PublishBatchRequestEntries: []types.PublishBatchRequestEntry{entry("a", "m")}})
		wantCode(t, err, "NotFound")

		out := must(client.PublishBatch(ctx, &sns.PublishBatchInput{TopicArn: &arn, PublishBatchRequestEntries: []types.PublishBatchRequestEntry{
			entry("ok", "fine"), entry("empty", ""), {Id: aws.String("subj"), Message: aws.String("m"), Subject: aws.String("")}}}))(t)
		if len(out.Successful) != 1 || *out.Successful[0].Id != "ok" || out.Successful[0].MessageId == nil {
			t.Errorf("Successful = %+v", out.Successful)
		}
		if len(out.Failed) != 2 || *out.Failed[0].Id != "empty" || *out.Failed[0].Code != "InvalidParameter" || !out.Failed[0].SenderFault {
			t.Errorf("Failed = %+v", out.Failed)
		}
	})
}
