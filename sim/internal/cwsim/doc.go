// Package cwsim is the simulator's Amazon CloudWatch: custom metrics, the metrics the
// account's own resources produce, and metric alarms evaluated on the simulator's clock.
//
// It speaks CloudWatch's protocols of aws-sdk-go-v2 v1.76 and botocore 1.43: Smithy RPC v2
// CBOR (package jsonproto's CBOR: the Go SDK, boto3), awsJson1.0 (the AWS CLI v1, whose
// botocore lists both and takes JSON) and awsQuery (clients whose models predate the CBOR
// API, such as Debian's AWS CLI v2 with botocore 1.29: CloudWatch's API is
// @awsQueryCompatible, and AWS still answers it), each request answered in the one it speaks
// (jsonproto.Negotiate; the awsQuery codec is query.FromSchema over the same schemas, with the
// unions' member types). Its signing name is "monitoring" and its IAM prefix "cloudwatch".
// Errors carry CloudWatch's awsQuery codes (InvalidParameterValue, MissingParameter,
// ResourceNotFound …) as x-amzn-query-error, which both SDKs report, and the modeled error
// shape in __type, which the Go SDK returns as its typed error; in awsQuery they are the
// ErrorResponse document's Code.
//
// # Metrics
//
// PutMetricData takes Value, Values with Counts, or StatisticValues, up to 1,000 data and 30
// dimensions each, timestamps at most two weeks old and two hours ahead, standard (one
// minute) or high (one second) resolution, and refuses namespaces beginning AWS/. Points are
// kept as they came, up to 15 months and 100,000 a metric. ListMetrics filters by namespace,
// name, dimensions and RecentlyActive (PT3H), 500 at a time. GetMetricStatistics answers
// SampleCount, Average, Sum, Minimum, Maximum and percentiles (pNN.NN, nearest rank over the
// values sent as Value or Values; none for statistic sets), a datapoint per unit when no Unit
// is given, at most 1,440 of them. GetMetricData answers MetricStat queries with their ids,
// ReturnData, ScanBy and MaxDatapoints with NextToken, and a subset of metric math: numbers,
// query ids, + - * / and parentheses, ABS, and SUM, AVG, MIN, MAX of a list or of
// METRICS(); AWS's other functions (FILL, RATE, SEARCH …) are refused with NotImplemented,
// naming them and the query.
//
// # The metrics the account produces
//
// Each running EC2 instance produces AWS/EC2 CPUUtilization, NetworkIn, NetworkOut and
// StatusCheckFailed (and its _Instance and _System halves) (dimension InstanceId) every five minutes, or every minute with
// detailed monitoring, from the simulator's load model: a [Load] set per instance (sim's
// Cloud.SetInstanceLoad), idle until set. AWS/Billing EstimatedCharges (us-east-1 only,
// Currency=USD, and with ServiceName=AmazonEC2) is published every six hours once the
// account has had an instance, month to date, from a meter that prices each second an
// instance runs at its on-demand price (EC2's table). The store reads EC2 through a function
// given to [NewStore], never EC2's store, and plays the metrics, the meter and the alarms up
// to the simulator's now before each request.
//
// Other services' metrics come from their [Source]s ([Store.AddSource]): Elastic Load
// Balancing's AWS/ApplicationELB and AWS/NetworkELB, Auto Scaling's AWS/AutoScaling. Each
// lists [world.Datum]s, a minute each, which the store asks for before it takes its lock
// (as it reads EC2) and keeps once each minute has ended, at most two weeks back.
//
// # Alarms
//
// PutMetricAlarm validates as AWS does (periods of 10, 20, 30 seconds or multiples of 60,
// at most a day of evaluation range, or seven for hourly periods; DatapointsToAlarm within
// EvaluationPeriods; Statistic or ExtendedStatistic; at most five actions a state, each an
// ARN of SNS, Auto Scaling, EC2's automate actions, Systems Manager, Lambda, in the alarm's
// region). A new alarm is INSUFFICIENT_DATA ("Unchecked: Initial alarm creation") and is
// evaluated at once and then every minute of the simulator's clock on its last
// EvaluationPeriods periods: M of N breaching is ALARM, with TreatMissingData (missing,
// breaching, notBreaching, ignore), and StateReason in AWS's words ("Threshold Crossed: 1
// datapoint [95.0 (12/07/26 15:00:00)] was greater than the threshold (80.0).") with its
// StateReasonData. Every change is in DescribeAlarmHistory (30 days). DescribeAlarms
// (names, prefix, state, action prefix, paging), DescribeAlarmsForMetric, DeleteAlarms,
// SetAlarmState, Enable/DisableAlarmActions and the tags of alarms are as AWS's.
//
// # Scope and limitations
//
//   - Alarm actions on SNS topics and Auto Scaling policies are delivered (see [Notifier]);
//     the others (EC2's automate actions, Systems Manager, Lambda) are recorded in the
//     history as a failed Action, saying so.
//   - Composite alarms, anomaly detection, dashboards, metric streams,
//     Contributor Insights and the other operations answer NotImplemented.
//   - A stopped instance's stop time is not known to CloudWatch: it produces and costs
//     nothing from the last time CloudWatch looked. Spot Instances are priced on demand.
//     Only EC2 is metered.
//   - A clock advanced far is caught up within bounds: two weeks of produced metrics and
//     1,440 evaluations an alarm.
//   - Refusal messages marked in the code as AWS's are AWS's; the others are worded after
//     them and not verified against AWS.
//
// The store is safe for concurrent use: one lock guards it, values are copied in and out.
package cwsim
