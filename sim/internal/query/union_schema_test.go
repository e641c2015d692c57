package query_test

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/sim/internal/query"
)

// cwCodec is CloudWatch's awsQuery, which its @awsQueryCompatible CBOR API still answers:
// a schema-based service with unions.
var cwCodec = query.FromSchema(cwschemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil),
	reflect.TypeFor[cwtypes.EvaluationCriteriaMemberPromQLCriteria](),
	reflect.TypeFor[cwtypes.EvaluationWindowMemberSlidingWindow](),
	reflect.TypeFor[cwtypes.EvaluationWindowMemberWallClockWindow]())

// A union of a schema-based service is a structure with one member set, in and out; two
// members are refused, and a union whose member types were not given cannot be planned.
func TestSchemaUnions(t *testing.T) {
	var in cloudwatch.PutMetricAlarmInput
	form, _ := url.ParseQuery("AlarmName=a&EvaluationPeriods=1&ComparisonOperator=GreaterThanThreshold&Dimensions.member.1.Name=Host&Dimensions.member.1.Value=web-1" +
		"&EvaluationCriteria.PromQLCriteria.Query=up%3D%3D0&EvaluationCriteria.PromQLCriteria.PendingPeriod=60")
	if err := cwCodec.Decode(form, &in); err != nil {
		t.Fatal(err)
	}
	pq, ok := in.EvaluationCriteria.(*cwtypes.EvaluationCriteriaMemberPromQLCriteria)
	if !ok || aws.ToString(pq.Value.Query) != "up==0" || aws.ToInt32(pq.Value.PendingPeriod) != 60 || aws.ToString(in.Dimensions[0].Value) != "web-1" {
		t.Errorf("decoded %+v %+v", in, in.EvaluationCriteria)
	}

	form, _ = url.ParseQuery("AlarmName=a&EvaluationPeriods=1&ComparisonOperator=GreaterThanThreshold&EvaluationInterval=60" +
		"&EvaluationWindow.SlidingWindow.Period=60&EvaluationWindow.WallClockWindow.Period=60")
	var two cloudwatch.PutMetricAlarmInput
	var qe *query.Error
	if err := cwCodec.Decode(form, &two); err == nil || !errors.As(err, &qe) || string(qe.Code) != "InvalidParameterValue" {
		t.Errorf("two members of a union: %v", err)
	}

	out := &cloudwatch.DescribeAlarmsOutput{MetricAlarms: []cwtypes.MetricAlarm{{AlarmName: aws.String("a"),
		EvaluationCriteria: &cwtypes.EvaluationCriteriaMemberPromQLCriteria{Value: cwtypes.AlarmPromQLCriteria{Query: aws.String("up")}}}}}
	b, err := cwCodec.EncodeResult(nil, "DescribeAlarms", out, "rid")
	if err != nil || !strings.Contains(string(b), "<EvaluationCriteria><PromQLCriteria><Query>up</Query></PromQLCriteria></EvaluationCriteria>") ||
		!strings.Contains(string(b), "<DescribeAlarmsResult>") {
		t.Errorf("encoded %s, %v", b, err)
	}

	bare := query.FromSchema(cwschemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil))
	if err := bare.Decode(form, &cloudwatch.PutMetricAlarmInput{}); err == nil || !strings.Contains(err.Error(), "union") {
		t.Errorf("without the unions' member types: %v", err)
	}
}
