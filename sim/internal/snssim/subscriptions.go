package snssim

import (
	"context"
	"maps"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// needsConfirming are the protocols whose subscriptions wait for the endpoint's owner to
// confirm them; the others (sqs, lambda, sms, application, firehose) are confirmed at once.
// https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html
var needsConfirming = map[string]bool{"email": true, "email-json": true, "http": true, "https": true}

// subAttrs are the attributes Subscribe and SetSubscriptionAttributes take.
// https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
var subAttrs = map[string]bool{
	"DeliveryPolicy": true, "FilterPolicy": true, "FilterPolicyScope": true, "RawMessageDelivery": true,
	"RedrivePolicy": true, "SubscriptionRoleArn": true, "ReplayPolicy": true,
}

var (
	e164     = regexp.MustCompile(`^\+?[1-9][0-9]{4,14}$`)
	snsARN   = regexp.MustCompile(`^arn:aws:(sqs|lambda|firehose|sns):[a-z0-9-]+:[0-9]{12}:.+$`)
	pendingA = "pending confirmation"
)

// checkEndpoint validates an endpoint for its protocol as AWS does.
func checkEndpoint(protocol, endpoint string, fifo bool) error {
	if fifo && protocol != "sqs" && protocol != "firehose" {
		return invalid("Invalid protocol type: %s", protocol)
	}
	switch protocol {
	case "email", "email-json":
		a, err := mail.ParseAddress(endpoint)
		if err != nil || a.Address != endpoint || !strings.Contains(endpoint, "@") {
			return invalid("Email address")
		}
	case "http", "https":
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != protocol || u.Host == "" {
			return invalid("Endpoint must match the specified protocol")
		}
	case "sqs":
		if m := snsARN.FindStringSubmatch(endpoint); m == nil || m[1] != "sqs" {
			return invalid("SQS endpoint ARN")
		}
	case "lambda":
		if m := snsARN.FindStringSubmatch(endpoint); m == nil || m[1] != "lambda" {
			return invalid("Lambda endpoint ARN")
		}
	case "firehose":
		if m := snsARN.FindStringSubmatch(endpoint); m == nil || m[1] != "firehose" {
			return invalid("Firehose endpoint ARN")
		}
	case "sms":
		if !e164.MatchString(strings.NewReplacer("-", "", ".", "", " ", "").Replace(endpoint)) {
			// Without "Invalid parameter:", as AWS words it (aws-samples/aws-sagemaker-build#4).
			return errorf(InvalidParameter, "Invalid SMS endpoint: %s", endpoint)
		}
	case "application":
		// The simulator has no platform applications, so no endpoint of one exists.
		return invalid("Endpoint Reason: Endpoint does not exist for endpoint arn%s", endpoint)
	default:
		return invalid("Amazon SNS does not support this protocol string: %s", protocol)
	}
	return nil
}

// checkSubAttr validates one subscription attribute as AWS does.
func checkSubAttr(protocol, name, value, scope string) error {
	switch name {
	case "RawMessageDelivery":
		if value != "true" && value != "false" {
			return invalid("Attributes Reason: RawMessageDelivery: Invalid value [%s]. Must be true or false.", value)
		}
		if value == "true" && !slices.Contains([]string{"sqs", "http", "https", "firehose"}, protocol) {
			return invalid("Attributes Reason: Delivery protocol [%s] does not support raw message delivery.", protocol)
		}
	case "FilterPolicyScope":
		if value != "MessageAttributes" && value != "MessageBody" {
			return invalid("Attributes Reason: FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", value)
		}
	case "FilterPolicy":
		if value == "" {
			return nil
		}
		if _, err := ParseFilterPolicy(value, scope); err != nil {
			return err
		}
	}
	return nil
}

// Subscribe subscribes an endpoint to a topic. Email and HTTP endpoints are sent a
// confirmation request and wait for it ("pending confirmation"); the others are confirmed at
// once. Subscribing the same endpoint again with the same attributes returns the same
// subscription (and sends a pending one its confirmation again).
func (h *SNS) Subscribe(ctx context.Context, in *sns.SubscribeInput) (*sns.SubscribeOutput, error) {
	s := h.s
	region := core.RegionFrom(ctx)
	protocol, endpoint := strings.ToLower(aws.ToString(in.Protocol)), aws.ToString(in.Endpoint)
	if protocol == "" {
		return nil, invalid("Protocol")
	}
	for _, k := range slices.Sorted(maps.Keys(in.Attributes)) {
		if !subAttrs[k] {
			return nil, invalid("Attributes Reason: Unknown attribute %s", k)
		}
		if err := checkSubAttr(protocol, k, in.Attributes[k], in.Attributes["FilterPolicyScope"]); err != nil {
			return nil, err
		}
	}
	caller := ""
	if c := core.CallerFrom(ctx); c != nil {
		caller = c.ARN
	}
	var arn string
	err := s.write(region, func(r *regionState) (bool, error) {
		t, err := findTopic(r, "TopicArn", aws.ToString(in.TopicArn))
		if err != nil {
			return false, err
		}
		if err := checkEndpoint(protocol, endpoint, t.fifo()); err != nil {
			return false, err
		}
		for _, k := range slices.Sorted(maps.Keys(r.Subs)) {
			sub := r.Subs[k]
			if sub.Topic != t.ARN || sub.Protocol != protocol || sub.Endpoint != endpoint {
				continue
			}
			for k, v := range in.Attributes {
				if sub.Attrs[k] != v {
					return false, invalid("Attributes Reason: Subscription already exists with different attributes")
				}
			}
			arn = sub.ARN
			if !sub.Confirmed {
				s.confirmation(region, t, sub)
				return true, nil
			}
			return false, nil
		}
		sub := &subscription{
			ARN: t.ARN + ":" + s.uuid(), Topic: t.ARN, Protocol: protocol, Endpoint: endpoint,
			Owner: s.account, Principal: caller, Confirmed: !needsConfirming[protocol],
			Attrs: maps.Clone(in.Attributes), Created: s.clock.Now(),
		}
		if sub.Attrs == nil {
			sub.Attrs = map[string]string{}
		}
		if !sub.Confirmed {
			sub.Token = s.ids.Hex("", 256)
			s.confirmation(region, t, sub)
		}
		r.Subs[sub.ARN] = sub
		arn = sub.ARN
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	out := &sns.SubscribeOutput{SubscriptionArn: aws.String(arn)}
	if !in.ReturnSubscriptionArn && h.pending(region, arn) {
		out.SubscriptionArn = aws.String(pendingA)
	}
	return out, nil
}

func (h *SNS) pending(region, arn string) bool {
	p := false
	h.s.read(region, func(r *regionState) error {
		if sub := r.Subs[arn]; sub != nil {
			p = !sub.Confirmed
		}
		return nil
	})
	return p
}

// ConfirmSubscription confirms a pending subscription with the token its confirmation
// request carried.
func (h *SNS) ConfirmSubscription(ctx context.Context, in *sns.ConfirmSubscriptionInput) (*sns.ConfirmSubscriptionOutput, error) {
	token := aws.ToString(in.Token)
	var arn string
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		t, err := findTopic(r, "TopicArn", aws.ToString(in.TopicArn))
		if err != nil {
			return false, err
		}
		if token == "" {
			return false, invalid("Token")
		}
		for _, sub := range r.Subs {
			if sub.Topic == t.ARN && sub.Token == token {
				arn = sub.ARN
				if sub.Confirmed {
					return false, nil
				}
				sub.Confirmed = true
				sub.Authenticated = aws.ToString(in.AuthenticateOnUnsubscribe) == "true"
				return true, nil
			}
		}
		return false, invalid("Token")
	})
	if err != nil {
		return nil, err
	}
	return &sns.ConfirmSubscriptionOutput{SubscriptionArn: aws.String(arn)}, nil
}

// listed is a subscription as the List operations show it: a pending one's ARN is
// "PendingConfirmation".
func listed(sub *subscription) types.Subscription {
	arn := sub.ARN
	if !sub.Confirmed {
		arn = "PendingConfirmation"
	}
	return types.Subscription{SubscriptionArn: aws.String(arn), TopicArn: aws.String(sub.Topic),
		Protocol: aws.String(sub.Protocol), Endpoint: aws.String(sub.Endpoint), Owner: aws.String(sub.Owner)}
}

// ListSubscriptions returns the region's subscriptions, 100 at a time, in ARN order.
func (h *SNS) ListSubscriptions(ctx context.Context, in *sns.ListSubscriptionsInput) (*sns.ListSubscriptionsOutput, error) {
	out := &sns.ListSubscriptionsOutput{Subscriptions: []types.Subscription{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		keys, next, err := page(slices.Sorted(maps.Keys(r.Subs)), aws.ToString(in.NextToken))
		for _, k := range keys {
			out.Subscriptions = append(out.Subscriptions, listed(r.Subs[k]))
		}
		out.NextToken = next
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListSubscriptionsByTopic returns a topic's subscriptions, 100 at a time.
func (h *SNS) ListSubscriptionsByTopic(ctx context.Context, in *sns.ListSubscriptionsByTopicInput) (*sns.ListSubscriptionsByTopicOutput, error) {
	out := &sns.ListSubscriptionsByTopicOutput{Subscriptions: []types.Subscription{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		t, err := findTopic(r, "TopicArn", aws.ToString(in.TopicArn))
		if err != nil {
			return err
		}
		var mine []string
		for k, sub := range r.Subs {
			if sub.Topic == t.ARN {
				mine = append(mine, k)
			}
		}
		slices.Sort(mine)
		keys, next, err := page(mine, aws.ToString(in.NextToken))
		for _, k := range keys {
			out.Subscriptions = append(out.Subscriptions, listed(r.Subs[k]))
		}
		out.NextToken = next
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// findSub returns the subscription an ARN names.
func findSub(r *regionState, arn string) (*subscription, error) {
	if _, _, res, ok := splitARN(arn); !ok || strings.Count(res, ":") != 1 {
		return nil, invalid("SubscriptionArn Reason: An ARN must have at least 6 elements, not %d", len(strings.Split(arn, ":")))
	}
	sub := r.Subs[arn]
	if sub == nil {
		return nil, subscriptionNotFound()
	}
	return sub, nil
}

// GetSubscriptionAttributes returns a subscription's attributes.
func (h *SNS) GetSubscriptionAttributes(ctx context.Context, in *sns.GetSubscriptionAttributesInput) (*sns.GetSubscriptionAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		sub, err := findSub(r, aws.ToString(in.SubscriptionArn))
		if err != nil {
			return err
		}
		attrs = maps.Clone(sub.Attrs)
		attrs["SubscriptionArn"] = sub.ARN
		attrs["TopicArn"] = sub.Topic
		attrs["Protocol"] = sub.Protocol
		attrs["Endpoint"] = sub.Endpoint
		attrs["Owner"] = sub.Owner
		attrs["PendingConfirmation"] = boolString(!sub.Confirmed)
		attrs["ConfirmationWasAuthenticated"] = boolString(sub.Authenticated || !needsConfirming[sub.Protocol])
		if sub.Principal != "" {
			attrs["SubscriptionPrincipal"] = sub.Principal
		}
		if _, ok := attrs["RawMessageDelivery"]; !ok {
			attrs["RawMessageDelivery"] = "false"
		}
		if attrs["FilterPolicy"] != "" && attrs["FilterPolicyScope"] == "" {
			attrs["FilterPolicyScope"] = "MessageAttributes"
		}
		if sub.Protocol == "http" || sub.Protocol == "https" {
			attrs["EffectiveDeliveryPolicy"] = defaultDeliveryPolicy
			if t := r.Topics[sub.Topic]; t != nil && t.Attrs["DeliveryPolicy"] != "" {
				attrs["EffectiveDeliveryPolicy"] = t.Attrs["DeliveryPolicy"]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.GetSubscriptionAttributesOutput{Attributes: attrs}, nil
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// SetSubscriptionAttributes sets one attribute; an empty FilterPolicy removes it.
func (h *SNS) SetSubscriptionAttributes(ctx context.Context, in *sns.SetSubscriptionAttributesInput) (*sns.SetSubscriptionAttributesOutput, error) {
	name, value := aws.ToString(in.AttributeName), aws.ToString(in.AttributeValue)
	if !subAttrs[name] {
		return nil, invalid("AttributeName")
	}
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		sub, err := findSub(r, aws.ToString(in.SubscriptionArn))
		if err != nil {
			return false, err
		}
		scope := sub.Attrs["FilterPolicyScope"]
		if name == "FilterPolicyScope" {
			scope = value
		}
		if err := checkSubAttr(sub.Protocol, name, value, scope); err != nil {
			return false, err
		}
		if name == "FilterPolicyScope" && sub.Attrs["FilterPolicy"] != "" {
			if _, err := ParseFilterPolicy(sub.Attrs["FilterPolicy"], value); err != nil {
				return false, err
			}
		}
		if value == "" {
			delete(sub.Attrs, name)
		} else {
			sub.Attrs[name] = value
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.SetSubscriptionAttributesOutput{}, nil
}

// Unsubscribe deletes a subscription; one that does not exist is not an error.
func (h *SNS) Unsubscribe(ctx context.Context, in *sns.UnsubscribeInput) (*sns.UnsubscribeOutput, error) {
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		sub, err := findSub(r, aws.ToString(in.SubscriptionArn))
		if err != nil {
			if e, ok := err.(*core.Error); ok && e.Code == NotFound {
				return false, nil
			}
			return false, err
		}
		delete(r.Subs, sub.ARN)
		if t := r.Topics[sub.Topic]; t != nil {
			t.Deleted++
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &sns.UnsubscribeOutput{}, nil
}
