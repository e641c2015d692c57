package snssim

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// Resources returns the ARNs an SNS request acts on, for authorization: the door authorizes
// sns:<Operation> on each. Per the Service Authorization Reference, the topic operations,
// Subscribe, ConfirmSubscription, ListSubscriptionsByTopic, Publish and the tagging
// operations act on the topic (arn:aws:sns:REGION:ACCOUNT:NAME); the subscription
// operations on the subscription's topic; the List operations on "*".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
func Resources(account, region string, in any) []string {
	topic := func(p *string) string {
		if s := aws.ToString(p); s != "" {
			return s
		}
		return "arn:aws:sns:" + region + ":" + account + ":*"
	}
	ofSub := func(p *string) string {
		s := aws.ToString(p)
		if i := strings.LastIndexByte(s, ':'); i > 0 && strings.Count(s, ":") == 6 {
			return s[:i]
		}
		return topic(nil)
	}
	switch in := in.(type) {
	case *sns.CreateTopicInput:
		return []string{"arn:aws:sns:" + region + ":" + account + ":" + aws.ToString(in.Name)}
	case *sns.GetTopicAttributesInput:
		return []string{topic(in.TopicArn)}
	case *sns.SetTopicAttributesInput:
		return []string{topic(in.TopicArn)}
	case *sns.DeleteTopicInput:
		return []string{topic(in.TopicArn)}
	case *sns.SubscribeInput:
		return []string{topic(in.TopicArn)}
	case *sns.ConfirmSubscriptionInput:
		return []string{topic(in.TopicArn)}
	case *sns.ListSubscriptionsByTopicInput:
		return []string{topic(in.TopicArn)}
	case *sns.PublishInput:
		if in.TopicArn != nil {
			return []string{topic(in.TopicArn)}
		}
		if in.TargetArn != nil {
			return []string{topic(in.TargetArn)}
		}
		return []string{"*"}
	case *sns.PublishBatchInput:
		return []string{topic(in.TopicArn)}
	case *sns.GetSubscriptionAttributesInput:
		return []string{ofSub(in.SubscriptionArn)}
	case *sns.SetSubscriptionAttributesInput:
		return []string{ofSub(in.SubscriptionArn)}
	case *sns.UnsubscribeInput:
		return []string{ofSub(in.SubscriptionArn)}
	case *sns.TagResourceInput:
		return []string{topic(in.ResourceArn)}
	case *sns.UntagResourceInput:
		return []string{topic(in.ResourceArn)}
	case *sns.ListTagsForResourceInput:
		return []string{topic(in.ResourceArn)}
	}
	return []string{"*"}
}

// Service returns SNS as the door serves it: each operation authorized on the topic it
// names, with the topic's policy as the resource policy.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "sns",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewSNS(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			acc := service.On(Resources(s.account, r.Region, r.In)...)
			for i := range acc {
				if p := s.topicPolicy(r.Region, acc[i].Resource); p != nil {
					acc[i].Policy, acc[i].PolicyName = p, "topic policy"
				}
			}
			return acc, nil
		},
		Dialect: service.SNSDialect,
		Regions: core.Regions(),
	}
}
