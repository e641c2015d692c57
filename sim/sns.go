package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/snssim"
)

// Mail is one message SNS sent to an email address: a subscription's confirmation request
// or a notification published to a topic, as the address's owner would read it. Email
// subscriptions get text; email-json subscriptions get SNS's JSON document as the body.
type Mail struct {
	N         int       // the mail's position in its inbox, from 1
	To        string    // the address
	From      string    // "AWS Notifications <no-reply@sns.amazonaws.com>", or the topic's display name
	Subject   string    //
	Body      string    //
	Date      time.Time // on the simulator's clock
	Kind      string    // "SubscriptionConfirmation" or "Notification"
	JSON      bool      // sent to an email-json subscription
	TopicARN  string    //
	MessageID string    //
	// Token and ConfirmURL are a confirmation request's: the token that
	// sns:ConfirmSubscription takes, and the link the mail asks its reader to follow
	// (see [Cloud.Confirm]).
	Token      string
	ConfirmURL string
}

// Delivery is one request SNS made, or would have made, to a subscription's endpoint that
// is not an email address: the body of an HTTP/HTTPS POST (recorded, not sent), or a
// notification for an endpoint the simulator does not deliver to yet (sqs, lambda, sms,
// application), whose Undeliverable says so.
type Delivery struct {
	Protocol      string
	Endpoint      string
	Kind          string // "SubscriptionConfirmation" or "Notification"
	TopicARN      string
	Subscription  string
	MessageID     string
	Date          time.Time
	Body          string
	Token         string // a confirmation's
	Undeliverable string // why it was not delivered; empty when it was (recorded)
}

func (c *Cloud) deliveries(keep func(*snssim.Delivery) bool) []snssim.Delivery {
	if c.needs(c.topics) != nil {
		return nil
	}
	return c.topics.Deliveries(keep)
}

func isMail(d *snssim.Delivery) bool { return d.Protocol == "email" || d.Protocol == "email-json" }

// Inbox returns the mail SNS sent to address, oldest first. The address is compared as SNS
// keeps it: the domain without regard to case.
func (c *Cloud) Inbox(address string) []Mail {
	want := canonAddress(address)
	var out []Mail
	for _, d := range c.deliveries(func(d *snssim.Delivery) bool { return isMail(d) && canonAddress(d.Endpoint) == want }) {
		out = append(out, Mail{N: len(out) + 1, To: d.Endpoint, From: d.From, Subject: d.Subject, Body: d.Body,
			Date: d.At, Kind: d.Kind, JSON: d.Protocol == "email-json", TopicARN: d.TopicARN, MessageID: d.MessageID,
			Token: d.Token, ConfirmURL: d.ConfirmURL})
	}
	return out
}

// Inboxes returns the addresses that have mail, sorted.
func (c *Cloud) Inboxes() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range c.deliveries(isMail) {
		if k := canonAddress(d.Endpoint); !seen[k] {
			seen[k] = true
			out = append(out, d.Endpoint)
		}
	}
	slices.Sort(out)
	return out
}

func canonAddress(a string) string {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return a[:i] + strings.ToLower(a[i:])
	}
	return a
}

// Deliveries returns what SNS sent to endpoints other than email addresses, oldest first:
// the recorded HTTP/HTTPS requests and the undeliverable notifications.
func (c *Cloud) Deliveries() []Delivery {
	var out []Delivery
	for _, d := range c.deliveries(func(d *snssim.Delivery) bool { return !isMail(d) }) {
		out = append(out, Delivery{Protocol: d.Protocol, Endpoint: d.Endpoint, Kind: d.Kind, TopicARN: d.TopicARN,
			Subscription: d.Subscription, MessageID: d.MessageID, Date: d.At, Body: d.Body, Token: d.Token,
			Undeliverable: d.Undeliverable})
	}
	return out
}

// Confirm follows a confirmation mail's link: it confirms the subscription with the mail's
// token, as sns:ConfirmSubscription in the topic's region, and returns the subscription's ARN.
// The link is anonymous on AWS; here the account's root follows it.
func (c *Cloud) Confirm(ctx context.Context, m Mail) (subscriptionARN string, err error) {
	if m.Kind != "SubscriptionConfirmation" || m.Token == "" {
		return "", fmt.Errorf("sim: confirm: mail %d to %s is not a confirmation request", m.N, m.To)
	}
	region := DefaultRegion
	if p := strings.Split(m.TopicARN, ":"); len(p) == 6 {
		region = p[3]
	}
	ctx = core.WithRegion(core.WithCaller(ctx, c.rootCaller()), region)
	out, err := c.call(ctx, "sns", "ConfirmSubscription", &sns.ConfirmSubscriptionInput{TopicArn: aws.String(m.TopicARN), Token: aws.String(m.Token)})
	if err != nil {
		return "", fmt.Errorf("sim: confirm: %w", err)
	}
	return aws.ToString(out.(*sns.ConfirmSubscriptionOutput).SubscriptionArn), nil
}
