package sim_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// cwEpoch is the fixed clock of the CloudWatch tests: Sunday 12 July 2026, 15:00 UTC.
var cwEpoch = time.Date(2026, 7, 12, 15, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) sim.Option { return sim.WithClock(func() time.Time { return t }) }

func datum(name string, v float64, at time.Time, dims ...string) types.MetricDatum {
	d := types.MetricDatum{MetricName: aws.String(name), Value: aws.Float64(v), Timestamp: aws.Time(at)}
	for i := 0; i+1 < len(dims); i += 2 {
		d.Dimensions = append(d.Dimensions, types.Dimension{Name: aws.String(dims[i]), Value: aws.String(dims[i+1])})
	}
	return d
}

// Custom metrics through the SDK's own client, which speaks Smithy RPC v2 CBOR.
func TestCloudWatchMetrics(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		cw := cloudwatch.NewFromConfig(c.Config())
		now := c.Now()

		var data []types.MetricDatum
		for i := range 10 {
			data = append(data, datum("Latency", float64(10*(i+1)), now.Add(-time.Duration(10-i)*time.Minute), "Host", "web-1"))
		}
		must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Web"), MetricData: data}))(t)
		must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Web"), MetricData: []types.MetricDatum{
			datum("Latency", 500, now.Add(-5*time.Minute), "Host", "web-2"),
			{MetricName: aws.String("Requests"), Values: []float64{1, 2, 3}, Counts: []float64{10, 1, 1}, Unit: types.StandardUnitCount, Timestamp: aws.Time(now.Add(-time.Minute))},
		}}))(t)
		must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Other"), MetricData: []types.MetricDatum{datum("Queue", 1, now)}}))(t)

		list := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("App/Web")}))(t)
		var names []string
		for _, m := range list.Metrics {
			s := aws.ToString(m.MetricName)
			for _, d := range m.Dimensions {
				s += " " + aws.ToString(d.Name) + "=" + aws.ToString(d.Value)
			}
			names = append(names, s)
		}
		if got := strings.Join(names, ", "); got != "Latency Host=web-1, Latency Host=web-2, Requests" {
			t.Errorf("ListMetrics = %s", got)
		}
		byDim := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Dimensions: []types.DimensionFilter{{Name: aws.String("Host"), Value: aws.String("web-2")}}}))(t)
		if len(byDim.Metrics) != 1 || aws.ToString(byDim.Metrics[0].MetricName) != "Latency" {
			t.Errorf("by dimension: %+v", byDim.Metrics)
		}

		stats := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
			Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("web-1")}},
			StartTime:  aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now), Period: aws.Int32(300),
			Statistics: []types.Statistic{types.StatisticAverage, types.StatisticMaximum, types.StatisticSampleCount, types.StatisticSum, types.StatisticMinimum},
		}))(t)
		if len(stats.Datapoints) != 2 {
			t.Fatalf("datapoints: %+v", stats.Datapoints)
		}
		d0 := stats.Datapoints[0]
		if !d0.Timestamp.Equal(now.Add(-10*time.Minute)) || *d0.Average != 30 || *d0.Maximum != 50 || *d0.Minimum != 10 || *d0.SampleCount != 5 || *d0.Sum != 150 || d0.Unit != types.StandardUnitNone {
			t.Errorf("first period: %+v", d0)
		}
		pct := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("App/Web"), MetricName: aws.String("Requests"), StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
			Period: aws.Int32(3600), ExtendedStatistics: []string{"p50", "p99"},
		}))(t)
		if len(pct.Datapoints) != 1 || pct.Datapoints[0].ExtendedStatistics["p50"] != 1 || pct.Datapoints[0].ExtendedStatistics["p99"] != 3 {
			t.Errorf("percentiles of weighted values: %+v", pct.Datapoints)
		}

		gmd := must(cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now),
			MetricDataQueries: []types.MetricDataQuery{
				{Id: aws.String("lat"), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
					Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("web-1")}}}, Period: aws.Int32(60), Stat: aws.String("Maximum")}},
				{Id: aws.String("hidden"), ReturnData: aws.Bool(false), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("Other"), MetricName: aws.String("Queue")}, Period: aws.Int32(60), Stat: aws.String("Sum")}},
			},
			MaxDatapoints: aws.Int32(4),
		}))(t)
		if len(gmd.MetricDataResults) != 1 || len(gmd.MetricDataResults[0].Values) != 4 || gmd.MetricDataResults[0].Values[0] != 100 ||
			gmd.MetricDataResults[0].StatusCode != types.StatusCodePartialData || gmd.NextToken == nil {
			t.Fatalf("GetMetricData, newest first, 4 at a time: %+v", gmd.MetricDataResults)
		}
		var all []float64
		p := cloudwatch.NewGetMetricDataPaginator(cw, &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending, MaxDatapoints: aws.Int32(3),
			MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("lat"), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
				Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("web-1")}}}, Period: aws.Int32(60), Stat: aws.String("Average")}}},
		})
		for p.HasMorePages() {
			all = append(all, must(p.NextPage(ctx))(t).MetricDataResults[0].Values...)
		}
		if fmt.Sprint(all) != "[10 20 30 40 50 60 70 80 90 100]" {
			t.Errorf("paged ascending: %v", all)
		}

		// AWS's refusals.
		_, err := cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/EC2"), MetricData: []types.MetricDatum{datum("x", 1, now)}})
		wantCode(t, err, "InvalidParameterValue")
		var ipv *types.InvalidParameterValueException
		if !errors.As(err, &ipv) || !strings.Contains(err.Error(), "The value AWS/EC2 for parameter Namespace is invalid.") {
			t.Errorf("typed error and message: %v", err)
		}
		_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{datum("ok", 1, now), datum("old", 1, now.Add(-15*24*time.Hour))}})
		wantCode(t, err, "InvalidParameterValue")
		if !strings.Contains(err.Error(), "The parameter MetricData.member.2.Timestamp must specify a time within the past two weeks.") {
			t.Errorf("old timestamp: %v", err)
		}
		_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{datum("future", 1, now.Add(3*time.Hour))}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{{MetricName: aws.String("both"), Value: aws.Float64(1), Values: []float64{1}}}})
		wantCode(t, err, "InvalidParameterCombination")
		many := datum("dims", 1, now)
		for i := range 31 {
			many.Dimensions = append(many.Dimensions, types.Dimension{Name: aws.String(fmt.Sprint("d", i)), Value: aws.String("v")})
		}
		_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{many}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{{MetricName: aws.String("u"), Value: aws.Float64(1), Unit: "Parsecs"}}})
		wantCode(t, err, "ValidationError")
		_, err = cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
			StartTime: aws.Time(now.Add(-48 * time.Hour)), EndTime: aws.Time(now), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}})
		wantCode(t, err, "InvalidParameterCombination")
		if !strings.Contains(err.Error(), "You have requested up to 2,880 datapoints, which exceeds the limit of 1,440.") {
			t.Errorf("datapoint limit: %v", err)
		}
		_, err = cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
			StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), Period: aws.Int32(90), Statistics: []types.Statistic{types.StatisticSum}})
		wantCode(t, err, "InvalidParameterValue")
		// Metric math, the subset simulated.
		lat := func(id, host string, ret bool) types.MetricDataQuery {
			return types.MetricDataQuery{Id: aws.String(id), ReturnData: aws.Bool(ret), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
				Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String(host)}}}, Period: aws.Int32(60), Stat: aws.String("Maximum")}}
		}
		expr := func(id, e string) types.MetricDataQuery {
			return types.MetricDataQuery{Id: aws.String(id), Expression: aws.String(e)}
		}
		math := must(cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending,
			MetricDataQueries: []types.MetricDataQuery{expr("double", "m1 * 2"), expr("total", "SUM(METRICS())"), expr("gap", "(m2 - m1) / 10"), lat("m1", "web-1", false), lat("m2", "web-2", false)}}))(t)
		var got []string
		for _, r := range math.MetricDataResults {
			got = append(got, fmt.Sprintf("%s %v", aws.ToString(r.Id), r.Values))
		}
		if want := "double [20 40 60 80 100 120 140 160 180 200]; total [10 20 30 40 50 560 70 80 90 100]; gap [44]"; strings.Join(got, "; ") != want {
			t.Errorf("metric math: %s, want %s", strings.Join(got, "; "), want)
		}
		for _, c := range []struct{ e, code string }{{"FILL(m1, 0)", "NotImplemented"}, {"m1 +", "ValidationError"}, {"m9 * 2", "ValidationError"}, {"e1 + 1", "ValidationError"}, {"1 + 2", "ValidationError"}} {
			_, err = cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
				MetricDataQueries: []types.MetricDataQuery{expr("e1", c.e), lat("m1", "web-1", false)}})
			wantCode(t, err, c.code)
		}

		// Metrics are regional.
		west := cloudwatch.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		if n := len(must(west.ListMetrics(ctx, &cloudwatch.ListMetricsInput{}))(t).Metrics); n != 0 {
			t.Errorf("eu-west-1 has %d metrics", n)
		}

		// RecentlyActive: three hours.
		c.Advance(t, 4*time.Hour)
		must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Other"), MetricData: []types.MetricDatum{datum("Fresh", 1, c.Now())}}))(t)
		recent := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{RecentlyActive: types.RecentlyActivePt3h}))(t)
		if len(recent.Metrics) != 1 || aws.ToString(recent.Metrics[0].MetricName) != "Fresh" {
			t.Errorf("recently active: %+v", recent.Metrics)
		}
	})
}

// An alarm on a custom metric, evaluated on the simulator's clock.
func TestCloudWatchAlarms(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		cw := cloudwatch.NewFromConfig(c.Config())
		put := func(v float64) {
			t.Helper()
			must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{datum("Load", v, c.Now(), "Host", "a")}}))(t)
		}
		alarmIn := &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String("high-load"), Namespace: aws.String("App"), MetricName: aws.String("Load"),
			Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("a")}},
			Statistic:  types.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(80),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
			AlarmActions:       []string{"arn:aws:sns:us-east-1:123456789012:ops"},
			Tags:               []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
		}
		must(cw.PutMetricAlarm(ctx, alarmIn))(t)
		describe := func() types.MetricAlarm {
			t.Helper()
			out := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"high-load"}}))(t)
			if len(out.MetricAlarms) != 1 {
				t.Fatalf("alarms: %+v", out.MetricAlarms)
			}
			return out.MetricAlarms[0]
		}
		a := describe()
		if a.StateValue != types.StateValueInsufficientData || aws.ToString(a.StateReason) != "Unchecked: Initial alarm creation" ||
			aws.ToString(a.AlarmArn) != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high-load" || !*a.ActionsEnabled {
			t.Errorf("new alarm: %+v", a)
		}

		put(95)
		c.Advance(t, time.Minute)
		a = describe()
		if a.StateValue != types.StateValueAlarm {
			t.Fatalf("after 95 > 80: %s %s", a.StateValue, aws.ToString(a.StateReason))
		}
		if want := "Threshold Crossed: 1 datapoint [95.0 (12/07/26 15:00:00)] was greater than the threshold (80.0)."; aws.ToString(a.StateReason) != want {
			t.Errorf("reason = %q, want %q", aws.ToString(a.StateReason), want)
		}
		if !strings.Contains(aws.ToString(a.StateReasonData), `"recentDatapoints":[95]`) {
			t.Errorf("reason data: %s", aws.ToString(a.StateReasonData))
		}

		put(20)
		c.Advance(t, time.Minute)
		if a = describe(); a.StateValue != types.StateValueOk ||
			aws.ToString(a.StateReason) != "Threshold Crossed: 1 datapoint [20.0 (12/07/26 15:01:00)] was not greater than the threshold (80.0)." {
			t.Errorf("after 20: %s %q", a.StateValue, aws.ToString(a.StateReason))
		}
		// No data: missing by default, INSUFFICIENT_DATA.
		c.Advance(t, time.Minute)
		if a = describe(); a.StateValue != types.StateValueInsufficientData || aws.ToString(a.StateReason) != "Insufficient Data: 1 datapoint was unknown." {
			t.Errorf("with no data: %s %q", a.StateValue, aws.ToString(a.StateReason))
		}

		// The history, newest first: the SNS action is attempted and, not simulated, fails.
		hist := must(cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("high-load")}))(t)
		var summaries []string
		for _, h := range hist.AlarmHistoryItems {
			summaries = append(summaries, string(h.HistoryItemType)+": "+aws.ToString(h.HistorySummary))
		}
		want := []string{
			"StateUpdate: Alarm updated from OK to INSUFFICIENT_DATA",
			"StateUpdate: Alarm updated from ALARM to OK",
			`Action: Failed to execute action arn:aws:sns:us-east-1:123456789012:ops. Received error: "NotFound: Topic does not exist"`,
			"StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM",
			`ConfigurationUpdate: Alarm "high-load" created`,
		}
		if strings.Join(summaries, "\n") != strings.Join(want, "\n") {
			t.Errorf("history:\n%s\nwant:\n%s", strings.Join(summaries, "\n"), strings.Join(want, "\n"))
		}

		// 2 of 3, with missing data breaching.
		must(cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String("two-of-three"), Namespace: aws.String("App"), MetricName: aws.String("Load"),
			Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("a")}},
			Statistic:  types.StatisticMaximum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(3), DatapointsToAlarm: aws.Int32(2),
			Threshold: aws.Float64(50), ComparisonOperator: types.ComparisonOperatorGreaterThanOrEqualToThreshold, TreatMissingData: aws.String("breaching"),
		}))(t)
		// Evaluated at once on 15:00 (95), 15:01 (20) and 15:02 (missing, breaching).
		two := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("two")}))(t).MetricAlarms[0]
		if two.StateValue != types.StateValueAlarm || aws.ToString(two.StateReason) != "Threshold Crossed: 2 out of the last 3 datapoints [95.0 (12/07/26 15:00:00)] were greater than or equal to the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition)." {
			t.Errorf("2 of 3: %s %q", two.StateValue, aws.ToString(two.StateReason))
		}

		// Filters and paging.
		byState := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{StateValue: types.StateValueAlarm}))(t)
		if len(byState.MetricAlarms) != 1 || aws.ToString(byState.MetricAlarms[0].AlarmName) != "two-of-three" {
			t.Errorf("by state: %+v", byState.MetricAlarms)
		}
		for i := range 5 {
			in := *alarmIn
			in.AlarmName = aws.String(fmt.Sprintf("z-%d", i))
			must(cw.PutMetricAlarm(ctx, &in))(t)
		}
		var pages, total int
		pg := cloudwatch.NewDescribeAlarmsPaginator(cw, &cloudwatch.DescribeAlarmsInput{MaxRecords: aws.Int32(3)})
		for pg.HasMorePages() {
			total += len(must(pg.NextPage(ctx))(t).MetricAlarms)
			pages++
		}
		if pages != 3 || total != 7 {
			t.Errorf("paged: %d pages, %d alarms", pages, total)
		}
		forMetric := must(cw.DescribeAlarmsForMetric(ctx, &cloudwatch.DescribeAlarmsForMetricInput{Namespace: aws.String("App"), MetricName: aws.String("Load"), Statistic: types.StatisticMaximum}))(t)
		if len(forMetric.MetricAlarms) != 1 {
			t.Errorf("for metric, Maximum: %d", len(forMetric.MetricAlarms))
		}

		// SetAlarmState, actions off, tags, delete.
		must(cw.DisableAlarmActions(ctx, &cloudwatch.DisableAlarmActionsInput{AlarmNames: []string{"high-load"}}))(t)
		must(cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("high-load"), StateValue: types.StateValueAlarm, StateReason: aws.String("testing")}))(t)
		if a = describe(); a.StateValue != types.StateValueAlarm || aws.ToString(a.StateReason) != "testing" || *a.ActionsEnabled {
			t.Errorf("set state: %+v", a)
		}
		_, err := cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("high-load"), StateValue: types.StateValueOk, StateReason: aws.String("x"), StateReasonData: aws.String("{not json")})
		wantCode(t, err, "InvalidFormat")
		_, err = cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("nope"), StateValue: types.StateValueOk, StateReason: aws.String("x")})
		wantCode(t, err, "ResourceNotFound")
		arn := aws.ToString(a.AlarmArn)
		must(cw.TagResource(ctx, &cloudwatch.TagResourceInput{ResourceARN: aws.String(arn), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))(t)
		must(cw.UntagResource(ctx, &cloudwatch.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: []string{"team"}}))(t)
		tags := must(cw.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: aws.String(arn)}))(t).Tags
		if len(tags) != 1 || aws.ToString(tags[0].Key) != "env" {
			t.Errorf("tags: %+v", tags)
		}
		_, err = cw.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope")})
		wantCode(t, err, "ResourceNotFoundException")
		// A name of no alarm is passed over, as on AWS.
		must(cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"high-load", "nope"}}))(t)
		if n := len(must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"high-load"}}))(t).MetricAlarms); n != 0 {
			t.Errorf("deleted alarm still listed")
		}

		// PutMetricAlarm's refusals.
		bad := func(f func(in *cloudwatch.PutMetricAlarmInput), code string) {
			t.Helper()
			in := *alarmIn
			in.AlarmName = aws.String("bad")
			f(&in)
			_, err := cw.PutMetricAlarm(ctx, &in)
			wantCode(t, err, code)
		}
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.Period = aws.Int32(45) }, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.ExtendedStatistic = aws.String("p90") }, "InvalidParameterCombination")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.DatapointsToAlarm = aws.Int32(2) }, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.AlarmActions = []string{"not-an-arn"} }, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) {
			in.AlarmActions = []string{"arn:aws:sns:eu-west-1:123456789012:ops"}
		}, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.EvaluationPeriods = aws.Int32(1441) }, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.TreatMissingData = aws.String("sometimes") }, "ValidationError")
		loadQuery := func(ret bool) types.MetricDataQuery {
			return types.MetricDataQuery{Id: aws.String("m1"), ReturnData: aws.Bool(ret), MetricStat: &types.MetricStat{Period: aws.Int32(60), Stat: aws.String("Maximum"),
				Metric: &types.Metric{Namespace: aws.String("App"), MetricName: aws.String("Load"), Dimensions: []types.Dimension{{Name: aws.String("Host"), Value: aws.String("a")}}}}}
		}
		math := func(e string) []types.MetricDataQuery {
			return []types.MetricDataQuery{{Id: aws.String("e1"), Expression: aws.String(e), ReturnData: aws.Bool(true)}, loadQuery(false)}
		}
		noMetric := func(in *cloudwatch.PutMetricAlarmInput) {
			in.MetricName, in.Namespace, in.Statistic, in.Period, in.Dimensions = nil, nil, "", nil, nil
		}
		bad(func(in *cloudwatch.PutMetricAlarmInput) { in.Metrics = math("m1 * 2") }, "InvalidParameterCombination")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { noMetric(in); in.Metrics = math("FILL(m1, 0)") }, "NotImplemented")
		bad(func(in *cloudwatch.PutMetricAlarmInput) {
			noMetric(in)
			in.Metrics = []types.MetricDataQuery{{Id: aws.String("e1"), Expression: aws.String("m1 * 2")}, loadQuery(true)}
		}, "ValidationError")
		bad(func(in *cloudwatch.PutMetricAlarmInput) { noMetric(in); in.Metrics = math("m2 * 2") }, "ValidationError")

		// An alarm on metric math: twice the load over 100.
		in := *alarmIn
		in.AlarmName, in.Threshold, in.AlarmActions, in.Tags = aws.String("twice"), aws.Float64(100), nil, nil
		noMetric(&in)
		in.Metrics = math("m1 * 2")
		must(cw.PutMetricAlarm(ctx, &in))(t)
		put(60)
		c.Advance(t, time.Minute)
		tw := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"twice"}}))(t).MetricAlarms[0]
		if tw.StateValue != types.StateValueAlarm || len(tw.Metrics) != 2 || aws.ToString(tw.Metrics[0].Expression) != "m1 * 2" || tw.MetricName != nil ||
			!strings.HasPrefix(aws.ToString(tw.StateReason), "Threshold Crossed: 1 datapoint [120.0 (") {
			t.Errorf("alarm on m1 * 2 with 60: %s %q %+v", tw.StateValue, aws.ToString(tw.StateReason), tw.Metrics)
		}
	})
}

// EC2's metrics from the load model, and the billing alarm of the course's first lesson.
func TestCloudWatchProducedMetrics(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		cloud := c.Cloud(t)
		cw := cloudwatch.NewFromConfig(c.Config())
		must(cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String("billing"), Namespace: aws.String("AWS/Billing"), MetricName: aws.String("EstimatedCharges"),
			Dimensions: []types.Dimension{{Name: aws.String("Currency"), Value: aws.String("USD")}},
			Statistic:  types.StatisticMaximum, Period: aws.Int32(21600), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
		}))(t)

		ec := ec2.NewFromConfig(c.Config())
		run := must(ec.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: ec2types.InstanceTypeM5Large, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t)
		id := aws.ToString(run.Instances[0].InstanceId)
		if err := cloud.SetInstanceLoad(id, sim.Load{CPU: 0.9, NetworkIn: 1000}); err != nil {
			t.Fatal(err)
		}
		c.Advance(t, 30*time.Minute)
		stats := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("AWS/EC2"), MetricName: aws.String("CPUUtilization"),
			Dimensions: []types.Dimension{{Name: aws.String("InstanceId"), Value: aws.String(id)}},
			StartTime:  aws.Time(cwEpoch), EndTime: aws.Time(c.Now()), Period: aws.Int32(300), Statistics: []types.Statistic{types.StatisticAverage},
		}))(t)
		if len(stats.Datapoints) != 6 || *stats.Datapoints[0].Average != 90 || stats.Datapoints[0].Unit != types.StandardUnitPercent {
			t.Errorf("CPUUtilization: %+v", stats.Datapoints)
		}
		netIn := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("AWS/EC2"), MetricName: aws.String("NetworkIn"),
			Dimensions: []types.Dimension{{Name: aws.String("InstanceId"), Value: aws.String(id)}},
			StartTime:  aws.Time(cwEpoch), EndTime: aws.Time(c.Now()), Period: aws.Int32(1800), Statistics: []types.Statistic{types.StatisticSum},
		}))(t)
		if len(netIn.Datapoints) != 1 || *netIn.Datapoints[0].Sum != 1000*1800 {
			t.Errorf("NetworkIn: %+v", netIn.Datapoints)
		}
		ec2Metrics := must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/EC2"), Dimensions: []types.DimensionFilter{{Name: aws.String("InstanceId"), Value: aws.String(id)}}}))(t)
		var ec2Names []string
		for _, m := range ec2Metrics.Metrics {
			ec2Names = append(ec2Names, aws.ToString(m.MetricName))
		}
		if strings.Join(ec2Names, " ") != "CPUUtilization NetworkIn NetworkOut StatusCheckFailed StatusCheckFailed_Instance StatusCheckFailed_System" {
			t.Errorf("AWS/EC2 metrics of the instance: %v", ec2Names)
		}

		// An m5.large is $0.096 an hour: past $1 after 10 h 25 min; the charge is published every
		// six hours, at 18:00, 00:00 and 06:00; the alarm, evaluated every minute on the six hours
		// before, fires at 06:01.
		c.Advance(t, 15*time.Hour+30*time.Minute) // 07:00
		charges := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("AWS/Billing"), MetricName: aws.String("EstimatedCharges"),
			Dimensions: []types.Dimension{{Name: aws.String("Currency"), Value: aws.String("USD")}},
			StartTime:  aws.Time(cwEpoch), EndTime: aws.Time(c.Now()), Period: aws.Int32(21600), Statistics: []types.Statistic{types.StatisticMaximum},
		}))(t)
		var got []string
		for _, d := range charges.Datapoints {
			got = append(got, fmt.Sprintf("%s %.2f", d.Timestamp.Format("15:04"), *d.Maximum))
		}
		if strings.Join(got, ", ") != "15:00 0.29, 21:00 0.86, 03:00 1.44" {
			t.Errorf("EstimatedCharges: %v", got)
		}
		west := cloudwatch.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		if n := len(must(west.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/Billing")}))(t).Metrics); n != 0 {
			t.Errorf("billing metrics outside us-east-1: %d", n)
		}
		a := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"billing"}}))(t).MetricAlarms[0]
		if a.StateValue != types.StateValueAlarm ||
			aws.ToString(a.StateReason) != "Threshold Crossed: 1 datapoint [1.44 (13/07/26 00:01:00)] was greater than the threshold (1.0)." {
			t.Errorf("billing alarm: %s %q", a.StateValue, aws.ToString(a.StateReason))
		}
	})
}

// A user needs cloudwatch:<Operation>; alarms are authorized by their ARN.
func TestCloudWatchAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.EnforcesIAM)
		sam := cloudwatch.NewFromConfig(newUser(t, c, "sam"))
		_, err := sam.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "is not authorized to perform: cloudwatch:ListMetrics") {
			t.Errorf("message: %v", err)
		}
		_, err = sam.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"a"}})
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "on resource: arn:aws:cloudwatch:us-east-1:123456789012:alarm:a") {
			t.Errorf("message: %v", err)
		}
	})
}

// Many writers and readers at once.
func TestCloudWatchRace(t *testing.T) {
	ctx := context.Background()
	cloud := sim.New(fixedClock(cwEpoch))
	cw := cloudwatch.NewFromConfig(cloud.Config())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if _, err := cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Race"), MetricData: []types.MetricDatum{datum("M", float64(i), cwEpoch, "G", fmt.Sprint(g))}}); err != nil {
					t.Error(err)
					return
				}
				if _, err := cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(fmt.Sprint("a", g)), Namespace: aws.String("Race"), MetricName: aws.String("M"),
					Statistic: types.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(5), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold}); err != nil {
					t.Error(err)
					return
				}
				if _, err := cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{}); err != nil {
					t.Error(err)
					return
				}
				if g == 0 {
					cloud.Advance(time.Minute)
				}
			}
		}()
	}
	wg.Wait()
	out := must(cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("Race"), MetricName: aws.String("M"),
		Dimensions: []types.Dimension{{Name: aws.String("G"), Value: aws.String("3")}},
		StartTime:  aws.Time(cwEpoch), EndTime: aws.Time(cwEpoch.Add(time.Minute)), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSampleCount}}))(t)
	if len(out.Datapoints) != 1 || *out.Datapoints[0].SampleCount != 20 {
		t.Errorf("after the race: %+v", out.Datapoints)
	}
}

// Metrics, alarms, the loads set and the meter survive a reopened state directory.
func TestCloudWatchPersists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := sim.Open(ctx, dir, false, fixedClock(cwEpoch))
	if err != nil {
		t.Fatal(err)
	}
	cw := cloudwatch.NewFromConfig(c.Config())
	must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{datum("M", 7, cwEpoch)}}))(t)
	must(cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("a"), Namespace: aws.String("App"), MetricName: aws.String("M"),
		Statistic: types.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(5), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold}))(t)
	c.Advance(time.Minute)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = sim.Open(ctx, dir, false, fixedClock(cwEpoch))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cw = cloudwatch.NewFromConfig(c.Config())
	a := must(cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{}))(t).MetricAlarms
	if len(a) != 1 || a[0].StateValue != types.StateValueAlarm {
		t.Fatalf("reopened alarms: %+v", a)
	}
	if n := len(must(cw.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("App")}))(t).Metrics); n != 1 {
		t.Errorf("reopened metrics: %d", n)
	}
	if n := len(must(cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{}))(t).AlarmHistoryItems); n != 2 {
		t.Errorf("reopened history: %d items", n)
	}
}

// An alarm's action on an SNS topic publishes CloudWatch's notification there: a confirmed
// email subscriber finds `ALARM: "name" in US East (N. Virginia)` in its inbox, with the alarm
// as JSON, and the alarm's history says the action was executed.
func TestCloudWatchAlarmNotifiesSNS(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, fixedClock(cwEpoch))
		c.Require(t, conformance.ClockControl)
		cloud := c.Cloud(t)
		cw := cloudwatch.NewFromConfig(c.Config())
		topics := sns.NewFromConfig(c.Config())
		topic := must(topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("ops")}))(t).TopicArn
		must(topics.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic, Protocol: aws.String("email"), Endpoint: aws.String("alex@example.com")}))(t)
		inbox := cloud.Inbox("alex@example.com")
		if len(inbox) != 1 {
			t.Fatalf("inbox before the alarm: %+v", inbox)
		}
		must(cloud.Confirm(ctx, inbox[0]))(t)

		must(cw.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String("high-load"), Namespace: aws.String("App"), MetricName: aws.String("Load"),
			Statistic: types.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(80),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold, AlarmActions: []string{aws.ToString(topic)},
		}))(t)
		must(cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App"), MetricData: []types.MetricDatum{datum("Load", 95, c.Now())}}))(t)
		c.Advance(t, time.Minute)

		inbox = cloud.Inbox("alex@example.com")
		if len(inbox) != 2 {
			t.Fatalf("inbox after the alarm: %+v", inbox)
		}
		mail := inbox[1]
		if mail.Subject != `ALARM: "high-load" in US East (N. Virginia)` {
			t.Errorf("subject = %q", mail.Subject)
		}
		for _, want := range []string{`"AlarmName":"high-load"`, `"NewStateValue":"ALARM"`, `"OldStateValue":"INSUFFICIENT_DATA"`,
			`"Region":"US East (N. Virginia)"`, `"MetricName":"Load"`, `"Threshold":80`, `"AWSAccountId":"123456789012"`} {
			if !strings.Contains(mail.Body, want) {
				t.Errorf("the notification lacks %s: %s", want, mail.Body)
			}
		}
		history := must(cw.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("high-load"), HistoryItemType: types.HistoryItemTypeAction}))(t)
		if len(history.AlarmHistoryItems) != 1 || aws.ToString(history.AlarmHistoryItems[0].HistorySummary) != "Successfully executed action "+aws.ToString(topic) {
			t.Errorf("action history: %+v", history.AlarmHistoryItems)
		}
	})
}
