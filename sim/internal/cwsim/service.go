package cwsim

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"

	"github.com/awsxlab/awsx/sim/internal/jsonproto"
	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is CloudWatch's Smithy RPC v2 CBOR (today's SDKs), awsJson1.0 (the AWS CLI v1)
// and awsQuery (clients whose models predate the CBOR API, such as Debian's AWS CLI v2), from
// the SDK's own schemas, each request answered in the one it speaks; made on first use. The
// awsQuery codec is given the unions' member types (PutMetricAlarm's EvaluationCriteria …),
// which it reads and writes as structures with one member set.
var protocol = sync.OnceValue(func() service.Protocol {
	return jsonproto.Negotiate(
		jsonproto.NewCBOR(schemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil), cloudwatch.TypeRegistry),
		jsonproto.New10(schemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil)),
		query.FromSchema(schemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil), jsonproto.UnionMembers()...).Wire())
})

// Service returns CloudWatch as the door serves it: signing name "monitoring", IAM prefix
// "cloudwatch". Refusals are worded as CloudWatch's awsQuery API words them (AccessDenied,
// InvalidClientTokenId, Throttling), which is what its query-compatible CBOR API reports
// through x-amzn-query-error.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "monitoring",
		Prefix:   "cloudwatch",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewCloudWatch(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			return Resources(s.account, r.Region, r.In), nil
		},
		Dialect: service.QueryDialect,
	}
}

// Resources returns what a CloudWatch request acts on, for authorization: the alarms it
// names (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME), the resource a tagging request
// names, or "*" — the metric operations have no resource; PutMetricData carries the
// cloudwatch:namespace condition key.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
func Resources(account, region string, in any) []service.Access {
	alarms := func(names ...string) []service.Access {
		var out []service.Access
		for _, n := range names {
			out = append(out, service.Access{Resource: alarmARN(region, account, n)})
		}
		if len(out) == 0 {
			return service.On()
		}
		return out
	}
	switch in := in.(type) {
	case *cloudwatch.PutMetricDataInput:
		return []service.Access{{Resource: "*", Context: map[string]string{"cloudwatch:namespace": aws.ToString(in.Namespace)}}}
	case *cloudwatch.PutMetricAlarmInput:
		return alarms(aws.ToString(in.AlarmName))
	case *cloudwatch.DeleteAlarmsInput:
		return alarms(in.AlarmNames...)
	case *cloudwatch.SetAlarmStateInput:
		return alarms(aws.ToString(in.AlarmName))
	case *cloudwatch.EnableAlarmActionsInput:
		return alarms(in.AlarmNames...)
	case *cloudwatch.DisableAlarmActionsInput:
		return alarms(in.AlarmNames...)
	case *cloudwatch.DescribeAlarmHistoryInput:
		if in.AlarmName != nil {
			return alarms(*in.AlarmName)
		}
	case *cloudwatch.TagResourceInput:
		return on(in.ResourceARN)
	case *cloudwatch.UntagResourceInput:
		return on(in.ResourceARN)
	case *cloudwatch.ListTagsForResourceInput:
		return on(in.ResourceARN)
	}
	return service.On()
}

func on(arn *string) []service.Access {
	if arn == nil || *arn == "" {
		return service.On()
	}
	return service.On(*arn)
}
