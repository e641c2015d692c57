package cli

import "testing"

// snsSession uses every SNS operation the simulator answers: topics (standard and FIFO),
// their attributes and tags, subscriptions of each kind and their attributes, publishing and
// its rules, then the deletes. A confirmation token is in the inbox only (awsx sim inbox),
// so the session confirms with a wrong one, and its email subscription stays pending. Not
// yaml where the step changes state: the AWS CLI v1, which has no yaml, must change it too.
var snsSession = []step{
	// Topics.
	{args: []string{"sns", "create-topic", "--name", "alerts", "--attributes", "DisplayName=Alerts", "--tags", "Key=team,Value=ops"}},
	{args: []string{"sns", "create-topic", "--name", "alerts", "--attributes", "DisplayName=Alerts"}},
	{args: []string{"sns", "create-topic", "--name", "alerts", "--attributes", "DisplayName=Other"}},
	{args: []string{"sns", "create-topic", "--name", "has space"}},
	{args: []string{"sns", "create-topic", "--name", "orders.fifo", "--attributes", "FifoTopic=true,ContentBasedDeduplication=true", "--query", "TopicArn", "--output", "text"}, capture: "fifo"},
	{args: []string{"sns", "create-topic", "--name", "orders", "--attributes", "FifoTopic=true"}},
	{args: []string{"sns", "list-topics"}},
	{args: []string{"sns", "list-topics", "--output", "table"}},
	{args: []string{"sns", "list-topics", "--output", "yaml"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "{fifo}", "--query", "Attributes.[FifoTopic,ContentBasedDeduplication]", "--output", "text"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:nope"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "nope"}},
	{args: []string{"sns", "set-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--attribute-name", "DisplayName", "--attribute-value", "Ops"}},
	{args: []string{"sns", "set-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--attribute-name", "FifoTopic", "--attribute-value", "true"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--query", "Attributes.DisplayName"}},

	// Tags.
	{args: []string{"sns", "tag-resource", "--resource-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--tags", "Key=env,Value=lab"}},
	{args: []string{"sns", "list-tags-for-resource", "--resource-arn", "arn:aws:sns:us-east-1:123456789012:alerts"}},
	{args: []string{"sns", "untag-resource", "--resource-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--tag-keys", "team"}},
	{args: []string{"sns", "list-tags-for-resource", "--resource-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--output", "text"}},
	{args: []string{"sns", "list-tags-for-resource", "--resource-arn", "arn:aws:sns:us-east-1:123456789012:nope"}},

	// Subscriptions.
	{args: []string{"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--protocol", "email", "--notification-endpoint", "ana@example.com"}},
	{args: []string{"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--protocol", "email", "--notification-endpoint", "not-an-address"}},
	{args: []string{"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--protocol", "pigeon", "--notification-endpoint", "x"}},
	{args: []string{"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--protocol", "https", "--notification-endpoint", "https://hooks.example.com/in", "--return-subscription-arn"}},
	{args: []string{"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--protocol", "sqs", "--notification-endpoint", "arn:aws:sqs:us-east-1:123456789012:q",
		"--attributes", `{"RawMessageDelivery":"true","FilterPolicy":"{\"severity\":[\"high\",{\"prefix\":\"crit\"}]}"}`, "--query", "SubscriptionArn", "--output", "text"}, capture: "sub"},
	{args: []string{"sns", "subscribe", "--topic-arn", "{fifo}", "--protocol", "email", "--notification-endpoint", "ana@example.com"}},
	{args: []string{"sns", "confirm-subscription", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--token", "not-the-token"}},
	{args: []string{"sns", "list-subscriptions"}},
	{args: []string{"sns", "list-subscriptions", "--output", "table"}},
	{args: []string{"sns", "list-subscriptions-by-topic", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--query", "Subscriptions[].[Protocol,Endpoint]", "--output", "text"}},
	{args: []string{"sns", "list-subscriptions-by-topic", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:nope"}},
	{args: []string{"sns", "get-subscription-attributes", "--subscription-arn", "{sub}"}},
	{args: []string{"sns", "get-subscription-attributes", "--subscription-arn", "arn:aws:sns:us-east-1:123456789012:alerts:00000000-0000-4000-a000-000000000000"}},
	{args: []string{"sns", "set-subscription-attributes", "--subscription-arn", "{sub}", "--attribute-name", "FilterPolicy", "--attribute-value", `{"severity":"high"}`}},
	{args: []string{"sns", "set-subscription-attributes", "--subscription-arn", "{sub}", "--attribute-name", "FilterPolicyScope", "--attribute-value", "MessageBody"}},
	{args: []string{"sns", "get-subscription-attributes", "--subscription-arn", "{sub}", "--query", "Attributes.[FilterPolicyScope,RawMessageDelivery,PendingConfirmation]", "--output", "text"}},

	// Publishing.
	{args: []string{"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--message", "disk full", "--subject", "Disk",
		"--message-attributes", `{"severity":{"DataType":"String","StringValue":"critical"}}`}},
	{args: []string{"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--message", "m", "--subject", "a\nb"}},
	{args: []string{"sns", "publish", "--message", "nowhere"}},
	{args: []string{"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--message", `{"email":"x"}`, "--message-structure", "json"}},
	{args: []string{"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--message", "m",
		"--message-attributes", `{"n":{"DataType":"Number","StringValue":"ten"}}`}},
	{args: []string{"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:nope", "--message", "m"}},
	{args: []string{"sns", "publish", "--topic-arn", "{fifo}", "--message", "m"}},
	{args: []string{"sns", "publish", "--topic-arn", "{fifo}", "--message", "order 1", "--message-group-id", "g1"}},
	{args: []string{"sns", "publish", "--topic-arn", "{fifo}", "--message", "order 1", "--message-group-id", "g1", "--output", "text"}},

	{args: []string{"sns", "publish-batch", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--publish-batch-request-entries",
		"Id=one,Message=first", "Id=two,Message=second,Subject=Two", "Id=bad,Message=x,MessageDeduplicationId=d"}},
	{args: []string{"sns", "publish-batch", "--topic-arn", "{fifo}", "--publish-batch-request-entries", "Id=a,Message=m,MessageGroupId=g", "Id=b,Message=m"}},
	{args: []string{"sns", "publish-batch", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--publish-batch-request-entries", "Id=a,Message=m", "Id=a,Message=n"}},

	// The command line's own errors (252).
	{args: []string{"sns", "create-topic"}},
	{args: []string{"sns", "publish", "--topic-arn"}},

	// Deletes.
	{args: []string{"sns", "unsubscribe", "--subscription-arn", "{sub}"}},
	{args: []string{"sns", "unsubscribe", "--subscription-arn", "not-an-arn"}},
	{args: []string{"sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts", "--query", "Attributes.[SubscriptionsConfirmed,SubscriptionsPending]", "--output", "text"}},
	{args: []string{"sns", "delete-topic", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts"}},
	{args: []string{"sns", "delete-topic", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:alerts"}},
	{args: []string{"sns", "delete-topic", "--topic-arn", "{fifo}"}},
	{args: []string{"sns", "list-topics", "--query", "Topics[].TopicArn", "--output", "text"}},
}

// Every SNS operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParitySNSSession(t *testing.T) {
	t.Parallel()
	compareSession(t, snsSession, nil)
}
