// Package snssim is Amazon Simple Notification Service (SNS) in the simulator: topics,
// subscriptions and Publish, spoken in SNS's awsQuery protocol from the SDK's own schemas,
// with deliveries that are simulated and kept for a learner or a test to read.
//
// # Topics
//
// CreateTopic takes AWS's names (letters, digits, hyphens and underscores, up to 256
// characters; a FIFO topic's name ends in .fifo and it has FifoTopic "true") and is
// idempotent: the same name with the same attributes and tags returns the same ARN,
// arn:aws:sns:REGION:ACCOUNT:NAME, and with other ones is refused. A new topic carries the
// default policy AWS writes (the account's principals, under the AWS:SourceOwner condition).
// GetTopicAttributes adds Owner, TopicArn, EffectiveDeliveryPolicy and the counts of
// confirmed, pending and deleted subscriptions. ListTopics and the subscription lists page
// 100 at a time. Tags are TagResource's, UntagResource's and ListTagsForResource's, 50 a
// topic.
//
// # Subscriptions
//
// Subscribe checks the endpoint for its protocol as AWS does: an email address for email
// and email-json, an http:// or https:// URL for http and https, an ARN of the service for
// sqs, lambda and firehose, an E.164 number for sms; application endpoints are refused,
// since there are no platform applications here; a FIFO topic takes sqs and firehose only.
// Email, email-json, http and https subscriptions are "pending confirmation" until
// ConfirmSubscription is called with the token SNS sent them; the others are confirmed at
// once. Subscribe answers "pending confirmation" for a pending one unless
// ReturnSubscriptionArn is set; the lists show its ARN as "PendingConfirmation".
// Subscription attributes: FilterPolicy, FilterPolicyScope, RawMessageDelivery (sqs, http,
// https and firehose only), DeliveryPolicy, RedrivePolicy, SubscriptionRoleArn.
//
// # Publish and delivery
//
// Publish takes TopicArn, TargetArn (a topic's; platform endpoints do not exist) or
// PhoneNumber; a message of at most 256 KiB with its attributes; a Subject of 1 to 100
// printable ASCII characters; MessageStructure "json" with a "default" body and a body per
// protocol; up to 10 message attributes of types String, Number, Binary and String.Array.
// A FIFO topic requires MessageGroupId, and a MessageDeduplicationId unless
// ContentBasedDeduplication is on (the SHA-256 of the body is then the ID); a duplicate
// within five minutes of the simulator's clock is answered with the first message's ID and
// sequence number and not delivered again. PublishBatch publishes up to ten entries so,
// reporting each refused one in Failed.
//
// The rule of delivery: a message goes to each confirmed subscription of the topic whose
// filter policy (see [FilterPolicy]) it matches, at once, in the order of the
// subscriptions' ARNs, and each delivery is kept in the store's log ([Delivery], the last
// 10,000 of the account):
//
//   - email: a mail in the address's inbox, from "<DisplayName or AWS Notifications>
//     <no-reply@sns.amazonaws.com>", with the Subject (or "AWS Notification Message") and
//     the message followed by AWS's unsubscribe footer;
//   - email-json, http, https: SNS's JSON document (Type, MessageId, TopicArn, Subject,
//     Message, Timestamp, SignatureVersion, Signature, SigningCertURL, UnsubscribeURL), or
//     the bare message with RawMessageDelivery; for http and https it is recorded, not sent;
//   - sqs, lambda, firehose, sms: recorded as undeliverable — the simulator has no queues
//     or functions yet — with the body they would have had.
//
// A pending subscription's confirmation request is delivered the same way: for email, AWS's
// "AWS Notification - Subscription Confirmation" mail with its "Confirm subscription" link;
// for the others, the SubscriptionConfirmation document with its Token and SubscribeURL.
// Nothing is signed: Signature says SIMULATED-NOT-SIGNED.
//
// # Authorization
//
// The door authorizes sns:<Operation> on the topic's ARN (the subscription operations on
// the subscription's topic; ListTopics and ListSubscriptions on "*"), with the topic's
// Policy as a resource policy, and refuses as SNS does: AuthorizationError (403).
//
// # Scope and limitations
//
// Not simulated: platform applications and endpoints (mobile push), SMS sandbox and
// attributes, data protection policies, AddPermission/RemovePermission (set the Policy
// attribute instead), delivery retries and the delivery status logs, message
// signatures, KMS encryption (KmsMasterKeyId is kept, not used), the three-day expiry of
// unconfirmed subscriptions. Those operations answer NotImplemented.
package snssim
