package snssim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxMessage is the largest message, with its attributes: 256 KiB.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
const maxMessage = 256 * 1024

// dedupWindow is how long a FIFO topic remembers a deduplication ID.
const dedupWindow = 5 * time.Minute

// message is one publication, checked.
type message struct {
	id, sequence string
	subject      string
	body         string
	bodies       map[string]string // MessageStructure json: per protocol, with "default"
	attrs        map[string]Attribute
	raw          map[string]types.MessageAttributeValue
	group, dedup string
}

func (m *message) bodyFor(protocol string) string {
	if m.bodies == nil {
		return m.body
	}
	if b, ok := m.bodies[protocol]; ok {
		return b
	}
	return m.bodies["default"]
}

// check validates a publication's parts as AWS does, in its order.
func check(subject *string, body, structure string, attrs map[string]types.MessageAttributeValue) (*message, error) {
	m := &message{body: body, raw: attrs, attrs: map[string]Attribute{}}
	if body == "" {
		return nil, invalid("Empty message")
	}
	if subject != nil {
		s := *subject
		if s == "" || len(s) > 100 || strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) {
			return nil, invalid("Subject")
		}
		for _, r := range s {
			if r < 0x20 || r > 0x7e {
				return nil, invalid("Subject")
			}
		}
		m.subject = s
	}
	size := len(body)
	if len(attrs) > 10 {
		return nil, errorf(ParameterValueInvalid, "Number of message attributes [%d] exceeds the allowed maximum [10].", len(attrs))
	}
	for name, a := range attrs {
		t := aws.ToString(a.DataType)
		base, _, _ := strings.Cut(t, ".")
		if base != "String" && base != "Number" && base != "Binary" {
			return nil, errorf(ParameterValueInvalid, "The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
		v := aws.ToString(a.StringValue)
		if base == "Binary" {
			if len(a.BinaryValue) == 0 {
				return nil, errorf(ParameterValueInvalid, "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, t)
			}
			v = string(a.BinaryValue)
		} else if v == "" {
			return nil, errorf(ParameterValueInvalid, "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, t)
		}
		if base == "Number" {
			if _, err := json.Number(v).Float64(); err != nil {
				return nil, errorf(ParameterValueInvalid, "Could not cast message attribute '%s' value to number.", name)
			}
		}
		if t == "String.Array" {
			var list []any
			if json.Unmarshal([]byte(v), &list) != nil {
				return nil, errorf(ParameterValueInvalid, "The message attribute '%s' with type 'String.Array' has an invalid value: it must be a JSON array.", name)
			}
		}
		size += len(name) + len(t) + len(v)
		m.attrs[name] = Attribute{Type: t, Value: v}
	}
	if size > maxMessage {
		return nil, invalid("Message too long")
	}
	switch structure {
	case "":
	case "json":
		var bodies map[string]any
		if json.Unmarshal([]byte(body), &bodies) != nil {
			return nil, invalid("Message Structure - JSON message body failed to parse")
		}
		if _, ok := bodies["default"]; !ok {
			return nil, invalid("Message Structure - No default entry in JSON message body")
		}
		m.bodies = map[string]string{}
		for k, v := range bodies {
			s, ok := v.(string)
			if !ok {
				return nil, invalid("Message Structure - JSON message body failed to parse")
			}
			m.bodies[k] = s
		}
	default:
		return nil, invalid("MessageStructure")
	}
	return m, nil
}

// Publish sends a message to a topic's confirmed subscriptions whose filter policies it
// matches; see the package doc for what delivery means here.
func (h *SNS) Publish(ctx context.Context, in *sns.PublishInput) (*sns.PublishOutput, error) {
	target, err := publishTarget(in.TopicArn, in.TargetArn, in.PhoneNumber)
	if err != nil {
		return nil, err
	}
	m, err := check(in.Subject, aws.ToString(in.Message), aws.ToString(in.MessageStructure), in.MessageAttributes)
	if err != nil {
		return nil, err
	}
	m.group, m.dedup = aws.ToString(in.MessageGroupId), aws.ToString(in.MessageDeduplicationId)
	region := core.RegionFrom(ctx)
	if in.PhoneNumber != nil {
		return h.s.sms(region, aws.ToString(in.PhoneNumber), m)
	}
	if err := h.s.publish(region, target, m); err != nil {
		return nil, err
	}
	out := &sns.PublishOutput{MessageId: aws.String(m.id)}
	if m.sequence != "" {
		out.SequenceNumber = aws.String(m.sequence)
	}
	return out, nil
}

func publishTarget(topicARN, targetARN, phone *string) (string, error) {
	n := 0
	for _, p := range []*string{topicARN, targetARN, phone} {
		if p != nil {
			n++
		}
	}
	if n == 0 {
		return "", invalid("TopicArn or TargetArn Reason: no value for required parameter")
	}
	if n > 1 {
		return "", invalid("TopicArn Reason: Only one of the following parameters may be specified: TopicArn, TargetArn, PhoneNumber")
	}
	if targetARN != nil {
		if _, _, res, ok := splitARN(*targetARN); ok && strings.HasPrefix(res, "endpoint/") {
			return "", errorf(NotFound, "Endpoint does not exist")
		}
		return *targetARN, nil
	}
	if phone != nil {
		if !e164.MatchString(*phone) {
			return "", invalid("PhoneNumber Reason: %s is not valid to publish to", *phone)
		}
		return "", nil
	}
	return aws.ToString(topicARN), nil
}

var groupIDChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

func checkID(param, v string) error {
	if v == "" {
		return nil
	}
	if len(v) > 128 || strings.Trim(v, groupIDChars) != "" {
		return invalid("%s Reason: %s can only include alphanumeric and punctuation characters. 1 to 128 in length.", param, param)
	}
	return nil
}

// publish checks a message against its topic's rules and delivers it, under the lock: a
// FIFO topic's sequence and deduplication are the topic's own.
func (s *Store) publish(region, arn string, m *message) error {
	if err := checkID("MessageGroupId", m.group); err != nil {
		return err
	}
	if err := checkID("MessageDeduplicationId", m.dedup); err != nil {
		return err
	}
	return s.write(region, func(r *regionState) (bool, error) {
		t, err := findTopic(r, "TopicArn", arn)
		if err != nil {
			return false, err
		}
		now := s.clock.Now()
		if t.fifo() {
			if m.group == "" {
				return false, invalid("The MessageGroupId parameter is required for FIFO topics")
			}
			if m.dedup == "" {
				if t.Attrs["ContentBasedDeduplication"] != "true" {
					return false, invalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
				}
				sum := sha256.Sum256([]byte(m.body))
				m.dedup = hex.EncodeToString(sum[:])
			}
			for k, d := range t.Dedup {
				if now.Sub(d.At) >= dedupWindow {
					delete(t.Dedup, k)
				}
			}
			if d, ok := t.Dedup[m.dedup]; ok {
				m.id, m.sequence = d.MessageID, d.Sequence
				return true, nil // a duplicate: accepted, not delivered
			}
			t.Seq++
			m.sequence = fmt.Sprintf("%020d", t.Seq)
		} else if m.dedup != "" {
			return false, invalid("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
		}
		m.id = s.uuid()
		if t.fifo() {
			if t.Dedup == nil {
				t.Dedup = map[string]dedup{}
			}
			t.Dedup[m.dedup] = dedup{MessageID: m.id, Sequence: m.sequence, At: now}
		}
		for _, k := range sortedKeys(r.Subs) {
			sub := r.Subs[k]
			if sub.Topic != t.ARN || !sub.Confirmed {
				continue
			}
			if p, err := s.filter(sub); err != nil || (p != nil && !p.Match(m.attrs, m.bodyFor(sub.Protocol))) {
				continue
			}
			s.notify(region, t, sub, m, now)
		}
		return true, nil
	})
}

// sms records a message sent to a phone number: SMS is not simulated.
func (s *Store) sms(region, phone string, m *message) (*sns.PublishOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.id = s.uuid()
	s.deliver(Delivery{Kind: "Notification", Protocol: "sms", Endpoint: phone, Region: region, MessageID: m.id,
		At: s.clock.Now(), Body: m.bodyFor("sms"), Undeliverable: "SMS is not simulated"})
	s.gen++
	return &sns.PublishOutput{MessageId: aws.String(m.id)}, nil
}

// sender is the From of SNS's mail: the topic's display name, or "AWS Notifications".
func sender(t *topic) string {
	name := t.Attrs["DisplayName"]
	if name == "" {
		name = "AWS Notifications"
	}
	return name + " <no-reply@sns.amazonaws.com>"
}

func (s *Store) unsubscribeURL(region string, sub *subscription) string {
	return "https://sns." + region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + url.QueryEscape(sub.ARN)
}

// envelope is the JSON document SNS sends to email-json and HTTP endpoints.
func envelope(fields [][2]string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, f := range fields {
		v, _ := json.Marshal(f[1])
		fmt.Fprintf(&b, "  %q : %s", f[0], v)
		if i < len(fields)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}

// signature is a stand-in for SNS's signature: the simulator signs nothing, and says so.
const signature = "SIMULATED-NOT-SIGNED"

// confirmation sends a pending subscription its confirmation request, in AWS's wording.
// The caller holds the write lock.
func (s *Store) confirmation(region string, t *topic, sub *subscription) {
	now := s.clock.Now()
	confirm := "https://sns." + region + ".amazonaws.com/confirmation.html?TopicArn=" + url.QueryEscape(t.ARN) +
		"&Token=" + sub.Token + "&Endpoint=" + url.QueryEscape(sub.Endpoint)
	d := Delivery{Kind: "SubscriptionConfirmation", Protocol: sub.Protocol, Endpoint: sub.Endpoint, Region: region,
		TopicARN: t.ARN, Subscription: sub.ARN, MessageID: s.uuid(), At: now, Token: sub.Token, ConfirmURL: confirm}
	switch sub.Protocol {
	case "email":
		d.From = sender(t)
		d.Subject = "AWS Notification - Subscription Confirmation"
		d.Body = "You have chosen to subscribe to the topic: \n" + t.ARN +
			"\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n" +
			"Confirm subscription: " + confirm + "\n\nPlease do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out\n"
	default: // email-json, http, https: the JSON document
		subscribe := "https://sns." + region + ".amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(t.ARN) + "&Token=" + sub.Token
		d.ConfirmURL = subscribe
		d.Body = envelope([][2]string{
			{"Type", "SubscriptionConfirmation"}, {"MessageId", d.MessageID}, {"Token", sub.Token}, {"TopicArn", t.ARN},
			{"Message", "You have chosen to subscribe to the topic " + t.ARN + ".\nTo confirm the subscription, visit the SubscribeURL included in this message."},
			{"SubscribeURL", subscribe}, {"Timestamp", now.UTC().Format("2006-01-02T15:04:05.000Z")},
			{"SignatureVersion", "1"}, {"Signature", signature},
			{"SigningCertURL", "https://sns." + region + ".amazonaws.com/SimpleNotificationService-simulated.pem"},
		})
		if sub.Protocol == "email-json" {
			d.From = sender(t)
			d.Subject = "AWS Notification - Subscription Confirmation"
		}
	}
	s.deliver(d)
}

// notify delivers a message to one subscription. The caller holds the write lock.
func (s *Store) notify(region string, t *topic, sub *subscription, m *message, now time.Time) {
	body := m.bodyFor(sub.Protocol)
	d := Delivery{Kind: "Notification", Protocol: sub.Protocol, Endpoint: sub.Endpoint, Region: region,
		TopicARN: t.ARN, Subscription: sub.ARN, MessageID: m.id, At: now}
	subject := m.subject
	unsub := s.unsubscribeURL(region, sub)
	switch sub.Protocol {
	case "email":
		d.From = sender(t)
		d.Subject = subject
		if d.Subject == "" {
			d.Subject = "AWS Notification Message"
		}
		d.Body = body + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n" +
			unsub + "\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n"
	case "email-json", "http", "https":
		if sub.Attrs["RawMessageDelivery"] == "true" {
			d.Body = body
			break
		}
		fields := [][2]string{{"Type", "Notification"}, {"MessageId", m.id}}
		if m.sequence != "" {
			fields = append(fields, [2]string{"SequenceNumber", m.sequence})
		}
		fields = append(fields, [2]string{"TopicArn", t.ARN})
		if subject != "" {
			fields = append(fields, [2]string{"Subject", subject})
		}
		fields = append(fields, [][2]string{{"Message", body}, {"Timestamp", now.UTC().Format("2006-01-02T15:04:05.000Z")},
			{"SignatureVersion", "1"}, {"Signature", signature},
			{"SigningCertURL", "https://sns." + region + ".amazonaws.com/SimpleNotificationService-simulated.pem"},
			{"UnsubscribeURL", unsub}}...)
		d.Body = envelope(fields)
		if sub.Protocol == "email-json" {
			d.From = sender(t)
			d.Subject = subject
			if d.Subject == "" {
				d.Subject = "AWS Notification Message"
			}
		}
	default:
		d.Body = body
		d.Undeliverable = sub.Protocol + " delivery is not simulated"
	}
	s.deliver(d)
}
