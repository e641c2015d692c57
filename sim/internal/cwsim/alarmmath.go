package cwsim

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// alarmQuery is one of the Metrics of an alarm on metric math: a metric's statistic, or an
// expression over the others (expr.go's subset).
type alarmQuery struct {
	ID, Label  string `json:",omitempty"`
	Expression string `json:",omitempty"`
	Namespace  string `json:",omitempty"`
	MetricName string `json:",omitempty"`
	Dims       []dim  `json:",omitempty"`
	Period     int32  `json:",omitempty"`
	Stat       string `json:",omitempty"`
	Unit       string `json:",omitempty"`
	ReturnData bool
}

// maxAlarmMetrics is the most queries an alarm's Metrics holds.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const maxAlarmMetrics = 10

// alarmQueries checks the Metrics of PutMetricAlarm and returns them, with the period their
// metrics share.
func alarmQueries(ms []types.MetricDataQuery) ([]alarmQuery, int32, error) {
	if len(ms) > maxAlarmMetrics {
		return nil, 0, validation("1 validation error detected: Value at 'metrics' failed to satisfy constraint: Member must have length less than or equal to %d", maxAlarmMetrics)
	}
	var out []alarmQuery
	var period int32
	returns := 0
	ids := map[string]bool{}
	for i, q := range ms {
		p := fmt.Sprintf("Metrics.member.%d", i+1)
		if q.Id == nil {
			return nil, 0, missing(p + ".Id")
		}
		if !queryID.MatchString(*q.Id) || ids[*q.Id] {
			return nil, 0, validation("The value %s for parameter %s.Id is invalid: ids start with a lower-case letter, hold letters, digits and underscores, and are unique.", *q.Id, p)
		}
		ids[*q.Id] = true
		aq := alarmQuery{ID: *q.Id, Label: aws.ToString(q.Label), ReturnData: q.ReturnData == nil || *q.ReturnData}
		if aq.ReturnData {
			returns++
		}
		switch {
		case q.Expression != nil && q.MetricStat != nil, q.Expression == nil && q.MetricStat == nil:
			return nil, 0, validation("Exactly one of %s.Expression and %s.MetricStat must be specified.", p, p)
		case q.Expression != nil:
			_, err := parseExpr(*q.Expression)
			var un *unsupported
			switch {
			case errors.As(err, &un):
				return nil, 0, core.Errorf(core.NotImplemented, "The simulator does not evaluate %s in metric math (query %s).", un.name, *q.Id)
			case err != nil:
				return nil, 0, validation("Error in expression %s: %v.", *q.Id, err)
			}
			aq.Expression = *q.Expression
		default:
			ms := q.MetricStat
			if ms.Metric == nil || ms.Metric.Namespace == nil || ms.Metric.MetricName == nil || ms.Stat == nil || ms.Period == nil {
				return nil, 0, missing(p + ".MetricStat")
			}
			if _, ok := percentile(*ms.Stat); !ok && !slices.Contains(statistics, types.Statistic(*ms.Stat)) {
				return nil, 0, invalid("The value %s for parameter %s.MetricStat.Stat is invalid.", *ms.Stat, p)
			}
			if err := checkDimensions(ms.Metric.Dimensions, p+".MetricStat.Metric.Dimensions"); err != nil {
				return nil, 0, err
			}
			if period != 0 && *ms.Period != period {
				return nil, 0, validation("The metrics of an alarm have one period; %s has %d, another %d.", p, *ms.Period, period)
			}
			period = *ms.Period
			aq.Namespace, aq.MetricName, aq.Dims, aq.Period, aq.Stat, aq.Unit = *ms.Metric.Namespace, *ms.Metric.MetricName, dimsIn(ms.Metric.Dimensions), *ms.Period, *ms.Stat, string(ms.Unit)
		}
		out = append(out, aq)
	}
	if returns != 1 {
		// AWS's words. https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
		return nil, 0, validation("Exactly one element of the metrics list should return data.")
	}
	if period == 0 {
		return nil, 0, validation("The metrics of an alarm include at least one MetricStat.")
	}
	if _, err := mathOrder(out); err != nil {
		return nil, 0, err
	}
	return out, period, nil
}

func statIDs(qs []alarmQuery) []string {
	var ids []string
	for _, q := range qs {
		if q.Expression == "" {
			ids = append(ids, q.ID)
		}
	}
	return ids
}

func mathOrder(qs []alarmQuery) ([]int, error) {
	stats := statIDs(qs)
	return exprOrder(len(qs), func(i int) (string, []string) {
		if qs[i].Expression == "" {
			return qs[i].ID, nil
		}
		n, err := parseExpr(qs[i].Expression)
		if err != nil {
			return qs[i].ID, nil
		}
		return qs[i].ID, n.ids(nil, stats)
	})
}

// mathValue is the value of an alarm on metric math over [from, from+step): its queries'
// statistics and expressions, the one that returns data.
func mathValue(r *regionState, qs []alarmQuery, from time.Time, step time.Duration) (float64, bool) {
	order, err := mathOrder(qs)
	if err != nil {
		return 0, false
	}
	stats := statIDs(qs)
	series := map[string]timeSeries{}
	for _, i := range order {
		q := qs[i]
		ts := timeSeries{}
		if q.Expression != "" {
			n, err := parseExpr(q.Expression)
			if err != nil {
				return 0, false
			}
			v, err := n.eval(series, stats)
			if err != nil {
				return 0, false
			}
			if v.scalar {
				ts[from] = v.n
			} else {
				ts = v.s
			}
		} else if m := r.Metrics[seriesKey(q.Namespace, q.MetricName, q.Dims)]; m != nil {
			ag := &agg{}
			for _, p := range m.window(from, from.Add(step)) {
				if q.Unit == "" || p.Unit == q.Unit {
					ag.add(p)
				}
			}
			if ag.n > 0 {
				if v, ok := ag.stat(q.Stat); ok {
					ts[from] = v
				}
			}
		}
		series[q.ID] = ts
	}
	for _, q := range qs {
		if q.ReturnData {
			v, ok := series[q.ID][from]
			return v, ok
		}
	}
	return 0, false
}

// metricsOut writes an alarm's Metrics as DescribeAlarms answers them.
func metricsOut(qs []alarmQuery) []types.MetricDataQuery {
	out := make([]types.MetricDataQuery, len(qs))
	for i, q := range qs {
		m := types.MetricDataQuery{Id: aws.String(q.ID), ReturnData: aws.Bool(q.ReturnData)}
		if q.Label != "" {
			m.Label = aws.String(q.Label)
		}
		if q.Expression != "" {
			m.Expression = aws.String(q.Expression)
		} else {
			m.MetricStat = &types.MetricStat{Metric: &types.Metric{Namespace: aws.String(q.Namespace), MetricName: aws.String(q.MetricName), Dimensions: dimsOut(q.Dims)},
				Period: aws.Int32(q.Period), Stat: aws.String(q.Stat), Unit: types.StandardUnit(q.Unit)}
		}
		out[i] = m
	}
	return out
}
