package cli

import "testing"

const (
	cwSince = "2020-01-01T00:00:00Z"
	cwUntil = "2100-01-01T00:00:00Z"
	cwMonth = "2592000"
	cwAlarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high-latency"
)

// cloudWatchSession uses every CloudWatch operation the simulator answers: custom metrics put
// with values, statistic sets and dimensions, listed and read as statistics and as metric
// data; an alarm created, evaluated, described, set, tagged and deleted, and its history; the
// errors. Timestamps are the server's clock, the same for every client; reads span 2020 to
// 2100 in 30-day periods.
var cloudWatchSession = []step{
	// Custom metrics.
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-data", "MetricName=Latency,Value=12,Unit=Milliseconds"}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-data", `[{"MetricName":"Latency","Value":95,"Unit":"Milliseconds","Dimensions":[{"Name":"Host","Value":"web-1"}]}]`}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-data", `[{"MetricName":"Latency","Values":[10,20,30],"Counts":[1,2,1],"Unit":"Milliseconds","Dimensions":[{"Name":"Host","Value":"web-2"}]}]`}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Jobs", "--metric-data", `[{"MetricName":"Done","StatisticValues":{"SampleCount":4,"Sum":10,"Minimum":1,"Maximum":4},"Unit":"Count"}]`}},
	{args: []string{"cloudwatch", "put-metric-data", "--cli-input-json", `{"Namespace":"App/Jobs","MetricData":[{"MetricName":"Queue","Value":3}]}`}},
	// The AWS CLI's scalar arguments: one datum.
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Jobs", "--metric-name", "Queue", "--value", "4.5", "--unit", "Count"}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-name", "Errors", "--value", "2", "--dimensions", "Host=web-1,Path=/api"}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-name", "Bytes", "--statistic-values", "Sum=30,Minimum=1,Maximum=20,SampleCount=3", "--storage-resolution", "1", "--unit", "Bytes"}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-name", "Errors", "--metric-data", "MetricName=x,Value=1"}},

	// Listed.
	{args: []string{"cloudwatch", "list-metrics"}},
	{args: []string{"cloudwatch", "list-metrics", "--namespace", "App/Web", "--output", "text"}},
	{args: []string{"cloudwatch", "list-metrics", "--namespace", "App/Web", "--output", "table"}},
	{args: []string{"cloudwatch", "list-metrics", "--dimensions", "Name=Host,Value=web-1", "--query", "Metrics[].MetricName"}},
	{args: []string{"cloudwatch", "list-metrics", "--metric-name", "Queue", "--recently-active", "PT3H", "--output", "yaml"}},

	// Statistics.
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency", "--start-time", cwSince, "--end-time", cwUntil, "--period", cwMonth, "--statistics", "Average", "Maximum", "SampleCount"}},
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-2", "--start-time", cwSince, "--end-time", cwUntil, "--period", cwMonth, "--extended-statistics", "p50", "p99", "--output", "text"}},
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App/Jobs", "--metric-name", "Done", "--start-time", cwSince, "--end-time", cwUntil, "--period", cwMonth, "--statistics", "Sum", "Minimum", "--unit", "Count", "--output", "table"}},
	{args: []string{"cloudwatch", "get-metric-data", "--start-time", cwSince, "--end-time", cwUntil, "--metric-data-queries", `[{"Id":"lat","MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency","Dimensions":[{"Name":"Host","Value":"web-1"}]},"Period":2592000,"Stat":"Maximum"}},{"Id":"q","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App/Jobs","MetricName":"Queue"},"Period":2592000,"Stat":"Sum"}}]`}},
	{args: []string{"cloudwatch", "get-metric-data", "--start-time", cwSince, "--end-time", cwUntil, "--metric-data-queries", `[{"Id":"twice","Expression":"lat * 2"},{"Id":"all","Label":"every metric","Expression":"SUM(METRICS())"},{"Id":"lat","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency","Dimensions":[{"Name":"Host","Value":"web-1"}]},"Period":2592000,"Stat":"Maximum"}},{"Id":"q","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App/Jobs","MetricName":"Queue"},"Period":2592000,"Stat":"Sum"}}]`}},
	{args: []string{"cloudwatch", "get-metric-data", "--start-time", cwSince, "--end-time", cwUntil, "--metric-data-queries", `[{"Id":"e1","Expression":"lat +"},{"Id":"lat","MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency"},"Period":2592000,"Stat":"Maximum"}}]`}},
	{args: []string{"cloudwatch", "get-metric-data", "--start-time", cwSince, "--end-time", cwUntil, "--scan-by", "TimestampAscending", "--metric-data-queries", `[{"Id":"done","Label":"jobs","MetricStat":{"Metric":{"Namespace":"App/Jobs","MetricName":"Done"},"Period":2592000,"Stat":"Average"}}]`, "--query", "MetricDataResults[].[Label,Values[0]]", "--output", "text"}},

	// An alarm, evaluated at once on the data just put.
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "high-latency", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-1",
		"--statistic", "Maximum", "--period", "60", "--evaluation-periods", "1", "--threshold", "80", "--comparison-operator", "GreaterThanThreshold",
		"--alarm-actions", "arn:aws:sns:us-east-1:123456789012:ops", "--tags", "Key=team,Value=web"}},
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "jobs-idle", "--namespace", "App/Jobs", "--metric-name", "Done", "--statistic", "Sum",
		"--period", "300", "--evaluation-periods", "3", "--datapoints-to-alarm", "2", "--threshold", "1", "--comparison-operator", "LessThanThreshold", "--treat-missing-data", "notBreaching"}},
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "latency-math", "--evaluation-periods", "1", "--threshold", "100", "--comparison-operator", "GreaterThanOrEqualToThreshold",
		"--metrics", `[{"Id":"e1","Expression":"m1 * 2","Label":"twice"},{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency","Dimensions":[{"Name":"Host","Value":"web-1"}]},"Period":60,"Stat":"Maximum"}}]`}},
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "bad-math", "--evaluation-periods", "1", "--threshold", "100", "--comparison-operator", "GreaterThanThreshold",
		"--metrics", `[{"Id":"e1","Expression":"m1 * 2"},{"Id":"m1","MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency"},"Period":60,"Stat":"Maximum"}}]`}},
	{args: []string{"cloudwatch", "describe-alarms"}},
	{args: []string{"cloudwatch", "describe-alarms", "--alarm-names", "high-latency", "--query", "MetricAlarms[0].[StateValue,StateReason]", "--output", "text"}},
	{args: []string{"cloudwatch", "describe-alarms", "--alarm-name-prefix", "jobs", "--output", "table"}},
	{args: []string{"cloudwatch", "describe-alarms", "--state-value", "ALARM", "--query", "MetricAlarms[].AlarmName"}},
	{args: []string{"cloudwatch", "describe-alarms", "--max-items", "1", "--query", "NextToken"}, capture: "alarms"},
	{args: []string{"cloudwatch", "describe-alarms", "--starting-token", "{alarms}", "--query", "MetricAlarms[].AlarmName"}},
	{args: []string{"cloudwatch", "describe-alarms-for-metric", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-1", "--query", "MetricAlarms[].AlarmArn"}},
	{args: []string{"cloudwatch", "set-alarm-state", "--alarm-name", "jobs-idle", "--state-value", "ALARM", "--state-reason", "testing the pager"}},
	{args: []string{"cloudwatch", "disable-alarm-actions", "--alarm-names", "high-latency"}},
	{args: []string{"cloudwatch", "enable-alarm-actions", "--alarm-names", "high-latency", "jobs-idle"}},
	{args: []string{"cloudwatch", "describe-alarm-history", "--alarm-name", "high-latency"}},
	{args: []string{"cloudwatch", "describe-alarm-history", "--history-item-type", "StateUpdate", "--query", "AlarmHistoryItems[].[AlarmName,HistorySummary]", "--output", "text"}},
	{args: []string{"cloudwatch", "describe-alarm-history", "--max-items", "2", "--scan-by", "TimestampAscending", "--query", "AlarmHistoryItems[].HistoryItemType"}},

	// Tags.
	{args: []string{"cloudwatch", "tag-resource", "--resource-arn", cwAlarm, "--tags", "Key=env,Value=prod"}},
	{args: []string{"cloudwatch", "list-tags-for-resource", "--resource-arn", cwAlarm}},
	{args: []string{"cloudwatch", "untag-resource", "--resource-arn", cwAlarm, "--tag-keys", "team"}},
	{args: []string{"cloudwatch", "list-tags-for-resource", "--resource-arn", cwAlarm, "--output", "text"}},
	{args: []string{"cloudwatch", "list-tags-for-resource", "--resource-arn", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope"}},

	// Errors: the service's (exit 254) and the command line's (252).
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "AWS/EC2", "--metric-data", "MetricName=CPUUtilization,Value=1"}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App", "--metric-data", `[{"MetricName":"x","Value":1,"Values":[1]}]`}},
	{args: []string{"cloudwatch", "put-metric-data", "--namespace", "App", "--metric-data", `[{"MetricName":"x","Value":1,"Timestamp":"2020-01-01T00:00:00Z"}]`}},
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency", "--start-time", cwSince, "--end-time", cwUntil, "--period", "60", "--statistics", "Sum"}},
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency", "--start-time", cwSince, "--end-time", cwUntil, "--period", "90", "--statistics", "Sum"}},
	{args: []string{"cloudwatch", "get-metric-data", "--start-time", cwSince, "--end-time", cwUntil, "--metric-data-queries", `[{"Id":"e1","Expression":"FILL(m1, 0)"},{"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"App/Web","MetricName":"Latency"},"Period":60,"Stat":"Sum"}}]`}},
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "bad", "--namespace", "App", "--metric-name", "x", "--statistic", "Sum", "--period", "45", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanThreshold"}},
	{args: []string{"cloudwatch", "put-metric-alarm", "--alarm-name", "bad", "--namespace", "App", "--metric-name", "x", "--statistic", "Sum", "--period", "60", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanThreshold", "--alarm-actions", "not-an-arn"}},
	{args: []string{"cloudwatch", "set-alarm-state", "--alarm-name", "nope", "--state-value", "OK", "--state-reason", "x"}},
	{args: []string{"cloudwatch", "list-metrics", "--next-token", "!!"}},
	{args: []string{"cloudwatch", "get-metric-statistics", "--namespace", "App"}},

	// Deletes.
	{args: []string{"cloudwatch", "delete-alarms", "--alarm-names", "high-latency", "nope"}},
	{args: []string{"cloudwatch", "delete-alarms", "--alarm-names", "high-latency", "jobs-idle", "latency-math"}},
	{args: []string{"cloudwatch", "delete-alarms", "--alarm-names", "high-latency"}},
	{args: []string{"cloudwatch", "describe-alarms", "--output", "text"}},
}

// Every CloudWatch operation the simulator answers, through the AWS CLI v1 (awsJson1.0),
// Debian's AWS CLI v2 (awsQuery: its botocore predates the CBOR API) and awsx (CBOR).
func TestParityCloudWatchSession(t *testing.T) {
	t.Parallel()
	compareSession(t, cloudWatchSession, nil)
}
