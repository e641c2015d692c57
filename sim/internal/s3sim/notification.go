package s3sim

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// # Event notifications
//
// A bucket's notification configuration sends S3's event messages to SNS topics: when it is
// set, a test event goes to each topic (a topic that cannot take it refuses the
// configuration), and after each request that creates, deletes, restores, tags an object or
// sets its ACL, each configuration whose events and key filter match gets the event's
// message, published through SNS's own Publish (package sim gives the store a [Publisher]).
// The lifecycle's expirations and transitions are sent when they are played, as S3's own.
// SQS queues and Lambda functions are not simulated, so a configuration naming one is
// refused as AWS refuses a destination it cannot reach; EventBridge's is kept.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

// Publisher publishes message, with subject, to the SNS topic topicARN, as S3 does.
type Publisher func(ctx context.Context, topicARN, subject, message string) error

// Notify gives the store the way to publish its event notifications to SNS.
func (s *Store) Notify(p Publisher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publish = p
}

type notificationConfiguration struct {
	XMLName     xml.Name                    `xml:"http://s3.amazonaws.com/doc/2006-03-01/ NotificationConfiguration"`
	Topics      []notificationTarget        `xml:"TopicConfiguration,omitempty" json:",omitempty"`
	Queues      []notificationTarget        `xml:"QueueConfiguration,omitempty" json:",omitempty"`
	Lambdas     []notificationTarget        `xml:"CloudFunctionConfiguration,omitempty" json:",omitempty"`
	EventBridge *struct{ XMLName xml.Name } `xml:"EventBridgeConfiguration,omitempty" json:",omitempty"`
}

// notificationTarget is a TopicConfiguration, QueueConfiguration or CloudFunctionConfiguration.
type notificationTarget struct {
	ID            string              `xml:"Id,omitempty" json:",omitempty"`
	Topic         string              `xml:"Topic,omitempty" json:",omitempty"`
	Queue         string              `xml:"Queue,omitempty" json:",omitempty"`
	CloudFunction string              `xml:"CloudFunction,omitempty" json:",omitempty"`
	Events        []string            `xml:"Event"`
	Filter        *notificationFilter `xml:"Filter,omitempty" json:",omitempty"`
}

type notificationFilter struct {
	Rules []filterRule `xml:"S3Key>FilterRule"`
}

type filterRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// notificationEvents are the event types a configuration may name.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
var notificationEvents = map[string]bool{}

func init() {
	for _, e := range []string{
		"ObjectCreated:*", "ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload",
		"ObjectRemoved:*", "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
		"ObjectRestore:*", "ObjectRestore:Post", "ObjectRestore:Completed", "ObjectRestore:Delete",
		"ReducedRedundancyLostObject", "Replication:*", "Replication:OperationFailedReplication",
		"Replication:OperationMissedThreshold", "Replication:OperationReplicatedAfterThreshold", "Replication:OperationNotTracked",
		"LifecycleExpiration:*", "LifecycleExpiration:Delete", "LifecycleExpiration:DeleteMarkerCreated",
		"LifecycleTransition", "IntelligentTiering", "ObjectTagging:*", "ObjectTagging:Put", "ObjectTagging:Delete",
		"ObjectAcl:Put",
	} {
		notificationEvents["s3:"+e] = true
	}
}

func unableToValidate(dest, why string) *Error {
	return errorf(InvalidArgument, "Unable to validate the following destination configurations").
		With("ArgumentName1", dest).With("ArgumentValue1", why)
}

// parseNotification reads and checks a PutBucketNotificationConfiguration document, without
// its destinations.
func parseNotification(body []byte) (*notificationConfiguration, error) {
	var in notificationConfiguration
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decodeXML(body, &in); err != nil {
			return nil, err
		}
	}
	for kind, list := range map[string][]notificationTarget{"Topic": in.Topics, "Queue": in.Queues, "CloudFunction": in.Lambdas} {
		for _, t := range list {
			dest := t.Topic + t.Queue + t.CloudFunction
			if a, err := arn.Parse(dest); err != nil || a.Resource == "" {
				return nil, invalidArgument("The ARN is not well formed", kind, dest)
			}
			if len(t.Events) == 0 {
				return nil, malformedXML()
			}
			for _, e := range t.Events {
				if !notificationEvents[e] {
					return nil, invalidArgument("The event is not supported for notifications", "Event", e)
				}
			}
			if t.Filter != nil {
				seen := map[string]bool{}
				for _, r := range t.Filter.Rules {
					name := strings.ToLower(r.Name)
					if name != "prefix" && name != "suffix" {
						return nil, invalidArgument("filter rule name must be either prefix or suffix", "FilterRule", r.Name)
					}
					if seen[name] {
						return nil, invalidArgument("Cannot specify more than one "+name+" rule in a filter.", "FilterRule", r.Name)
					}
					seen[name] = true
				}
			}
		}
	}
	return &in, nil
}

func putBucketNotificationConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	cfg, err := parseNotification(r.Body)
	if err != nil {
		return nil, err
	}
	if _, err := s.bucket(r.Bucket); err != nil {
		return nil, err
	}
	// Each destination is sent a test event; one that cannot take it refuses the whole.
	if len(cfg.Queues) > 0 {
		return nil, unableToValidate(cfg.Queues[0].Queue, "Permissions on the destination queue do not allow S3 to publish notifications from this bucket")
	}
	if len(cfg.Lambdas) > 0 {
		return nil, unableToValidate(cfg.Lambdas[0].CloudFunction, "The destination Lambda does not exist or S3 cannot invoke it")
	}
	for i := range cfg.Topics {
		if cfg.Topics[i].ID == "" {
			cfg.Topics[i].ID = s.ids.Token(48) // S3 names a configuration sent without an Id
		}
	}
	skip := strings.EqualFold(r.Header.Get("X-Amz-Skip-Destination-Validation"), "true")
	for _, t := range cfg.Topics {
		if skip {
			continue
		}
		msg, _ := json.Marshal(map[string]string{"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": timeXML(s.now()),
			"Bucket": r.Bucket, "RequestId": r.ID, "HostId": r.HostID})
		if err := s.publishTo(ctx, t.Topic, string(msg)); err != nil {
			return nil, unableToValidate(t.Topic, "Permissions on the destination topic do not allow S3 to publish notifications from this bucket")
		}
	}
	return s.withBucket(r, true, func(b *bucket) (*Response, error) {
		if len(cfg.Topics)+len(cfg.Queues)+len(cfg.Lambdas) == 0 && cfg.EventBridge == nil {
			b.Notifications = nil
		} else {
			b.Notifications = cfg
		}
		return empty(http.StatusOK), nil
	})
}

func getBucketNotificationConfiguration(s *Store, ctx context.Context, r *Request) (*Response, error) {
	return s.withBucket(r, false, func(b *bucket) (*Response, error) {
		out := notificationConfiguration{}
		if b.Notifications != nil {
			out = *b.Notifications
		}
		return xmlResponse(out)
	})
}

// publishTo publishes an event message to a topic through the store's publisher.
func (s *Store) publishTo(ctx context.Context, topic, message string) error {
	s.mu.RLock()
	p := s.publish
	s.mu.RUnlock()
	if p == nil {
		return fmt.Errorf("s3sim: no SNS to publish to")
	}
	return p(ctx, topic, "Amazon S3 Notification", message)
}

// event is what a request did to an object, for its notification.
type event struct {
	name                      string // "ObjectCreated:Put"
	key, versionID, etag      string
	by                        string // the principal of an event S3 did itself (lifecycle)
	size                      int64
	withSize, withETag, isDel bool
}

// eventsOf returns the events of a request that succeeded with resp.
func (s *Store) eventsOf(r *Request, resp *Response) []event {
	if resp.replayed {
		return nil
	}
	object := func(name string) []event {
		e := event{name: name, key: r.Key, versionID: resp.Header.Get("X-Amz-Version-Id")}
		s.mu.RLock()
		if b := s.buckets[r.Bucket]; b != nil {
			if o := b.current(r.Key); o != nil && !o.DeleteMarker {
				e.size, e.etag, e.withSize, e.withETag = o.size(), strings.Trim(o.ETag, `"`), true, true
			}
		}
		s.mu.RUnlock()
		return []event{e}
	}
	switch r.op.op {
	case "PutObject":
		return object("ObjectCreated:Put")
	case "CopyObject":
		return object("ObjectCreated:Copy")
	case "CompleteMultipartUpload":
		return object("ObjectCreated:CompleteMultipartUpload")
	case "RestoreObject":
		if resp.Status == http.StatusAccepted {
			return object("ObjectRestore:Post")
		}
	case "PutObjectTagging":
		return object("ObjectTagging:Put")
	case "DeleteObjectTagging":
		return object("ObjectTagging:Delete")
	case "PutObjectAcl":
		return object("ObjectAcl:Put")
	case "DeleteObject":
		name := "ObjectRemoved:Delete"
		if resp.Header.Get("X-Amz-Delete-Marker") == "true" && !r.Query.Has("versionId") {
			name = "ObjectRemoved:DeleteMarkerCreated"
		}
		return []event{{name: name, key: r.Key, versionID: resp.Header.Get("X-Amz-Version-Id"), isDel: true}}
	case "DeleteObjects":
		var out deleteResult
		if xml.Unmarshal(resp.Body, &out) != nil {
			return nil
		}
		var evs []event
		for _, d := range out.Deleted {
			name, id := "ObjectRemoved:Delete", d.VersionID
			if d.DeleteMarker && d.VersionID == "" {
				name, id = "ObjectRemoved:DeleteMarkerCreated", d.DeleteMarkerVersionID
			}
			evs = append(evs, event{name: name, key: d.Key, versionID: id, isDel: true})
		}
		return evs
	}
	return nil
}

// notify sends the notifications of a request that succeeded with resp.
func (s *Store) notify(ctx context.Context, r *Request, resp *Response) {
	if r.Bucket == "" {
		return
	}
	s.mu.RLock()
	b := s.buckets[r.Bucket]
	var cfg *notificationConfiguration
	region := ""
	if b != nil && b.Notifications != nil && len(b.Notifications.Topics) > 0 {
		cfg, region = b.Notifications, b.Region
	}
	s.mu.RUnlock()
	if cfg == nil {
		return
	}
	s.send(ctx, r, region, cfg, s.eventsOf(r, resp))
}

// send publishes events of r's bucket to the topics of cfg that ask for them.
func (s *Store) send(ctx context.Context, r *Request, region string, cfg *notificationConfiguration, events []event) {
	for _, ev := range events {
		for _, t := range cfg.Topics {
			if !t.matches(ev) {
				continue
			}
			msg := s.eventMessage(r, region, t.ID, ev)
			_ = s.publishTo(ctx, t.Topic, msg) // as on AWS, a delivery that fails is not the request's error
		}
	}
}

// matches reports whether the configuration asks for ev.
func (t *notificationTarget) matches(ev event) bool {
	named := false
	for _, e := range t.Events {
		e = strings.TrimPrefix(e, "s3:")
		if e == ev.name || strings.HasSuffix(e, ":*") && strings.HasPrefix(ev.name, strings.TrimSuffix(e, "*")) {
			named = true
		}
	}
	if !named || t.Filter == nil {
		return named
	}
	for _, r := range t.Filter.Rules {
		switch strings.ToLower(r.Name) {
		case "prefix":
			if !strings.HasPrefix(ev.key, r.Value) {
				return false
			}
		case "suffix":
			if !strings.HasSuffix(ev.key, r.Value) {
				return false
			}
		}
	}
	return true
}

// eventMessage is S3's event message (event structure version 2.1) of ev.
func (s *Store) eventMessage(r *Request, region, configID string, ev event) string {
	principal := "anonymous"
	switch {
	case ev.by != "":
		principal = ev.by
	case r.Caller != nil && r.Caller.UserID != "":
		principal = "AWS:" + r.Caller.UserID
	}
	obj := map[string]any{"key": url.QueryEscape(ev.key), "sequencer": fmt.Sprintf("%016X", s.gen.Load())}
	if ev.withSize {
		obj["size"] = ev.size
	}
	if ev.withETag {
		obj["eTag"] = ev.etag
	}
	if ev.versionID != "" {
		obj["versionId"] = ev.versionID
	}
	ip := "127.0.0.1"
	if r.Caller != nil && r.Caller.SourceIP != "" {
		ip = r.Caller.SourceIP
	}
	rec := map[string]any{
		"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region, "eventTime": timeXML(s.now()), "eventName": ev.name,
		"userIdentity":      map[string]string{"principalId": principal},
		"requestParameters": map[string]string{"sourceIPAddress": ip},
		"responseElements":  map[string]string{"x-amz-request-id": r.ID, "x-amz-id-2": r.HostID},
		"s3": map[string]any{
			"s3SchemaVersion": "1.0", "configurationId": configID,
			"bucket": map[string]any{"name": r.Bucket, "ownerIdentity": map[string]string{"principalId": s.owner}, "arn": "arn:aws:s3:::" + r.Bucket},
			"object": obj,
		},
	}
	b, _ := json.Marshal(map[string]any{"Records": []any{rec}})
	return string(b)
}
