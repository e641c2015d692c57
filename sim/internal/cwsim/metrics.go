package cwsim

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// CloudWatch is the handler: its methods are CloudWatch's operations, with the SDK's
// signatures.
type CloudWatch struct{ s *Store }

// NewCloudWatch returns the handler of s.
func NewCloudWatch(s *Store) *CloudWatch { return &CloudWatch{s} }

// AWS's limits on PutMetricData.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
const (
	maxMetricData = 1000 // data in one request
	maxDimensions = 30   // dimensions of a metric
	maxValues     = 150  // Values of one datum
	pastLimit     = 14 * 24 * time.Hour
	futureLimit   = 2 * time.Hour
)

// CloudWatch refuses values whose magnitude is outside this range (zero aside).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
const (
	minMagnitude = 8.515920e-109
	maxMagnitude = 1.174271e+108
)

func validValue(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	a := math.Abs(v)
	return a == 0 || a >= minMagnitude && a <= maxMagnitude
}

// formatValue writes a value as AWS's messages quote it (Java's Double.toString).
func formatValue(v float64) string { return javaDouble(v) }

var namespacePattern = regexp.MustCompile(`^[^:]+$`)

// checkNamespace checks a namespace a caller writes to: 1 to 255 characters without a colon,
// not AWS's own (AWS/…).
func checkNamespace(ns *string, param string) error {
	if ns == nil {
		return missing(param)
	}
	n := *ns
	if len(n) < 1 || len(n) > 255 || !namespacePattern.MatchString(n) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*", n, lowerFirst(param))
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func checkDimensions(ds []types.Dimension, param string) error {
	if len(ds) > maxDimensions {
		return invalid("The collection %s must not have a size greater than %d.", param, maxDimensions)
	}
	seen := map[string]bool{}
	for i, d := range ds {
		p := fmt.Sprintf("%s.member.%d", param, i+1)
		if d.Name == nil {
			return missing(p + ".Name")
		}
		if d.Value == nil {
			return missing(p + ".Value")
		}
		if n := len(*d.Name); n < 1 || n > 255 {
			return invalid("The value %s for parameter %s.Name is invalid.", *d.Name, p)
		}
		if n := len(*d.Value); n < 1 || n > 1024 {
			return invalid("The value %s for parameter %s.Value is invalid.", *d.Value, p)
		}
		if seen[*d.Name] {
			return invalid("No metric may have two dimensions of the same name: %s has %s twice.", param, *d.Name)
		}
		seen[*d.Name] = true
	}
	return nil
}

func checkUnit(u types.StandardUnit, param string) error {
	if u == "" || slices.Contains(u.Values(), u) {
		return nil
	}
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", u, param, joinEnum(u.Values()))
}

func joinEnum[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// PutMetricData stores data points of custom metrics.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
func (h *CloudWatch) PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput) (*cloudwatch.PutMetricDataOutput, error) {
	if err := checkNamespace(in.Namespace, "Namespace"); err != nil {
		return nil, err
	}
	// AWS's namespaces are AWS's: a caller may not write to them.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace
	if strings.HasPrefix(*in.Namespace, "AWS/") {
		return nil, invalid("The value %s for parameter Namespace is invalid.", *in.Namespace)
	}
	if len(in.MetricData) == 0 && len(in.EntityMetricData) == 0 {
		return nil, missing("MetricData")
	}
	data := in.MetricData
	for _, e := range in.EntityMetricData {
		data = append(data, e.MetricData...) // the entity is not kept
	}
	if len(data) > maxMetricData {
		return nil, validation("1 validation error detected: Value at 'metricData' failed to satisfy constraint: Member must have length less than or equal to %d", maxMetricData)
	}
	region := core.RegionFrom(ctx)
	return &cloudwatch.PutMetricDataOutput{}, h.s.write(region, func(r *regionState, now time.Time) (bool, error) {
		pts := make([]point, len(data))
		for i, d := range data {
			p, err := datum(d, i+1, now)
			if err != nil {
				return false, err
			}
			pts[i] = p
		}
		for i, d := range data {
			dims := dimsIn(d.Dimensions)
			key := seriesKey(*in.Namespace, *d.MetricName, dims)
			m := r.Metrics[key]
			if m == nil {
				m = &series{Namespace: *in.Namespace, Name: *d.MetricName, Dims: dims}
				r.Metrics[key] = m
			}
			m.add(pts[i], now)
			m.Last = now
		}
		return true, nil
	})
}

// datum checks MetricData.member.n and makes its point.
func datum(d types.MetricDatum, n int, now time.Time) (point, error) {
	p := fmt.Sprintf("MetricData.member.%d", n)
	if d.MetricName == nil {
		return point{}, missing(p + ".MetricName")
	}
	if l := len(*d.MetricName); l < 1 || l > 255 {
		return point{}, validation("1 validation error detected: Value '%s' at 'metricData.%d.member.metricName' failed to satisfy constraint: Member must have length less than or equal to 255", *d.MetricName, n)
	}
	if err := checkDimensions(d.Dimensions, p+".Dimensions"); err != nil {
		return point{}, err
	}
	if err := checkUnit(d.Unit, fmt.Sprintf("metricData.%d.member.unit", n)); err != nil {
		return point{}, err
	}
	pt := point{T: now, Unit: string(d.Unit)}
	if pt.Unit == "" {
		pt.Unit = string(types.StandardUnitNone)
	}
	if d.Timestamp != nil {
		t := d.Timestamp.UTC()
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
		if now.Sub(t) > pastLimit {
			return point{}, invalid("The parameter %s.Timestamp must specify a time within the past two weeks.", p)
		}
		if t.Sub(now) > futureLimit {
			return point{}, invalid("The parameter %s.Timestamp must specify a time no more than two hours in the future.", p)
		}
		pt.T = t
	}
	if d.StorageResolution != nil {
		switch *d.StorageResolution {
		case 1:
			pt.Resolution = 1
		case 60:
		default:
			return point{}, invalid("The value %d for parameter %s.StorageResolution is invalid.", *d.StorageResolution, p)
		}
	}
	if pt.Resolution != 1 {
		pt.T = pt.T.Truncate(time.Minute) // standard resolution keeps minutes
	}
	set := 0
	for _, b := range []bool{d.Value != nil, len(d.Values) > 0, d.StatisticValues != nil} {
		if b {
			set++
		}
	}
	if set > 1 {
		switch {
		case d.Value != nil && len(d.Values) > 0:
			return point{}, combination("The parameters %s.Value and %s.Values are mutually exclusive and you have specified both.", p, p)
		case d.Value != nil:
			return point{}, combination("The parameters %s.Value and %s.StatisticValues are mutually exclusive and you have specified both.", p, p)
		default:
			return point{}, combination("The parameters %s.Values and %s.StatisticValues are mutually exclusive and you have specified both.", p, p)
		}
	}
	switch {
	case d.Value != nil:
		v := *d.Value
		if !validValue(v) {
			return point{}, invalid("The value %s for parameter %s.Value is invalid.", formatValue(v), p)
		}
		pt.Count, pt.Sum, pt.Min, pt.Max = 1, v, v, v
		pt.Values, pt.Counts = []float64{v}, []float64{1}
	case len(d.Values) > 0:
		if len(d.Values) > maxValues {
			return point{}, invalid("The collection %s.Values must not have a size greater than %d.", p, maxValues)
		}
		if len(d.Counts) > 0 && len(d.Counts) != len(d.Values) {
			return point{}, invalid("The parameters %s.Values and %s.Counts must be of the same size.", p, p)
		}
		pt.Min, pt.Max = math.Inf(1), math.Inf(-1)
		for i, v := range d.Values {
			if !validValue(v) {
				return point{}, invalid("The value %s for parameter %s.Values is invalid.", formatValue(v), p)
			}
			c := 1.0
			if len(d.Counts) > 0 {
				c = d.Counts[i]
				if !validValue(c) || c < 0 {
					return point{}, invalid("The value %s for parameter %s.Counts is invalid.", formatValue(c), p)
				}
			}
			pt.Count += c
			pt.Sum += v * c
			pt.Min, pt.Max = math.Min(pt.Min, v), math.Max(pt.Max, v)
		}
		pt.Values = slices.Clone(d.Values)
		pt.Counts = slices.Clone(d.Counts)
		if len(pt.Counts) == 0 {
			pt.Counts = make([]float64, len(pt.Values))
			for i := range pt.Counts {
				pt.Counts[i] = 1
			}
		}
	case d.StatisticValues != nil:
		sv := d.StatisticValues
		for _, f := range []struct {
			name string
			v    *float64
		}{{"SampleCount", sv.SampleCount}, {"Sum", sv.Sum}, {"Minimum", sv.Minimum}, {"Maximum", sv.Maximum}} {
			if f.v == nil {
				return point{}, missing(p + ".StatisticValues." + f.name)
			}
			if !validValue(*f.v) {
				return point{}, invalid("The value %s for parameter %s.StatisticValues.%s is invalid.", formatValue(*f.v), p, f.name)
			}
		}
		if *sv.SampleCount <= 0 || *sv.Minimum > *sv.Maximum {
			return point{}, invalid("The parameter %s.StatisticValues is invalid: SampleCount must be positive and Minimum not above Maximum.", p)
		}
		pt.Count, pt.Sum, pt.Min, pt.Max = *sv.SampleCount, *sv.Sum, *sv.Minimum, *sv.Maximum
	default:
		return point{}, combination("At least one of the parameters %s.Value, %s.Values and %s.StatisticValues must be specified.", p, p, p)
	}
	return pt, nil
}

// recentlyActive is the window of ListMetrics' RecentlyActive=PT3H.
const recentlyActive = 3 * time.Hour

// listPage is how many metrics ListMetrics returns at a time.
const listPage = 500

// ListMetrics lists the metrics of the region that match its filters, 500 at a time.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html
func (h *CloudWatch) ListMetrics(ctx context.Context, in *cloudwatch.ListMetricsInput) (*cloudwatch.ListMetricsOutput, error) {
	if in.RecentlyActive != "" && in.RecentlyActive != types.RecentlyActivePt3h {
		return nil, validation("1 validation error detected: Value '%s' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]", in.RecentlyActive)
	}
	if len(in.Dimensions) > 10 {
		return nil, validation("1 validation error detected: Value at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	for i, f := range in.Dimensions {
		if f.Name == nil {
			return nil, missing(fmt.Sprintf("Dimensions.member.%d.Name", i+1))
		}
	}
	after, err := pageToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &cloudwatch.ListMetricsOutput{Metrics: []types.Metric{}}
	err = h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		keys := make([]string, 0, len(r.Metrics))
		for k, m := range r.Metrics {
			if k > after && matches(m, in, now) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		if len(keys) > listPage {
			keys = keys[:listPage]
			out.NextToken = aws.String(base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1])))
		}
		for _, k := range keys {
			m := r.Metrics[k]
			out.Metrics = append(out.Metrics, types.Metric{Namespace: aws.String(m.Namespace), MetricName: aws.String(m.Name), Dimensions: dimsOut(m.Dims)})
		}
		return nil
	})
	return out, err
}

// pageToken reads a NextToken of ListMetrics: the key of the last metric returned.
func pageToken(t *string) (string, error) {
	if t == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*t)
	if err != nil || len(b) == 0 {
		return "", core.Errorf(InvalidNextToken, "The service couldn't process your request because the NextToken %q is not valid.", *t)
	}
	return string(b), nil
}

func matches(m *series, in *cloudwatch.ListMetricsInput, now time.Time) bool {
	if in.Namespace != nil && m.Namespace != *in.Namespace || in.MetricName != nil && m.Name != *in.MetricName {
		return false
	}
	if in.RecentlyActive != "" && now.Sub(m.Last) > recentlyActive {
		return false
	}
	for _, f := range in.Dimensions {
		found := false
		for _, d := range m.Dims {
			if d.Name == *f.Name && (f.Value == nil || d.Value == *f.Value) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// maxDatapoints is the most data points GetMetricStatistics returns.
const maxDatapoints = 1440

// checkPeriod checks a period of GetMetricStatistics or GetMetricData: 1, 5, 10, 20, 30, 60
// or a multiple of 60 seconds.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
func checkPeriod(p *int32, param string) (int64, error) {
	if p == nil {
		return 0, missing(param)
	}
	switch v := *p; {
	case v < 1:
		return 0, invalid("The parameter %s must be greater than 0.", param)
	case v == 1 || v == 5 || v == 10 || v == 20 || v == 30 || v%60 == 0:
		return int64(v), nil
	}
	return 0, invalid("The parameter %s must be a multiple of 60.", param)
}

var statistics = types.Statistic("").Values()

// GetMetricStatistics answers statistics of one metric per period.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
func (h *CloudWatch) GetMetricStatistics(ctx context.Context, in *cloudwatch.GetMetricStatisticsInput) (*cloudwatch.GetMetricStatisticsOutput, error) {
	switch {
	case in.Namespace == nil:
		return nil, missing("Namespace")
	case in.MetricName == nil:
		return nil, missing("MetricName")
	case in.StartTime == nil:
		return nil, missing("StartTime")
	case in.EndTime == nil:
		return nil, missing("EndTime")
	}
	period, err := checkPeriod(in.Period, "Period")
	if err != nil {
		return nil, err
	}
	if err := checkDimensions(in.Dimensions, "Dimensions"); err != nil {
		return nil, err
	}
	if err := checkUnit(in.Unit, "unit"); err != nil {
		return nil, err
	}
	switch {
	case len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0:
		return nil, combination("Must specify either Statistics or ExtendedStatistics.")
	case len(in.Statistics) > 0 && len(in.ExtendedStatistics) > 0:
		return nil, combination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.")
	case len(in.Statistics) > 5:
		return nil, validation("1 validation error detected: Value at 'statistics' failed to satisfy constraint: Member must have length less than or equal to 5")
	case len(in.ExtendedStatistics) > 10:
		return nil, validation("1 validation error detected: Value at 'extendedStatistics' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	for _, s := range in.Statistics {
		if !slices.Contains(statistics, s) {
			return nil, validation("1 validation error detected: Value '[%s]' at 'statistics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [%s]]", s, joinEnum(statistics))
		}
	}
	for _, s := range in.ExtendedStatistics {
		if _, ok := percentile(s); !ok {
			return nil, invalid("The value %s for parameter ExtendedStatistics is not supported.", s)
		}
	}
	start, end := alignStart(in.StartTime.UTC(), period), in.EndTime.UTC()
	if !start.Before(end) {
		return nil, invalid("The parameter StartTime must be less than the parameter EndTime.")
	}
	n := (int64(end.Sub(start)/time.Second) + period - 1) / period
	if n > maxDatapoints {
		return nil, combination("You have requested up to %s datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", thousands(n))
	}
	out := &cloudwatch.GetMetricStatisticsOutput{Label: in.MetricName, Datapoints: []types.Datapoint{}}
	err = h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		m := r.Metrics[seriesKey(*in.Namespace, *in.MetricName, dimsIn(in.Dimensions))]
		if m == nil {
			return nil
		}
		bs := buckets(m.window(start, end), start, period, string(in.Unit))
		for _, k := range slices.Sorted(mapsKeys(bs)) {
			for _, unit := range slices.Sorted(mapsKeys(bs[k])) {
				a := bs[k][unit]
				dp := types.Datapoint{Timestamp: aws.Time(start.Add(time.Duration(k*period) * time.Second)), Unit: types.StandardUnit(unit)}
				for _, s := range in.Statistics {
					v, _ := a.stat(string(s))
					switch s {
					case types.StatisticSampleCount:
						dp.SampleCount = aws.Float64(v)
					case types.StatisticAverage:
						dp.Average = aws.Float64(v)
					case types.StatisticSum:
						dp.Sum = aws.Float64(v)
					case types.StatisticMinimum:
						dp.Minimum = aws.Float64(v)
					case types.StatisticMaximum:
						dp.Maximum = aws.Float64(v)
					}
				}
				for _, s := range in.ExtendedStatistics {
					if v, ok := a.stat(s); ok {
						if dp.ExtendedStatistics == nil {
							dp.ExtendedStatistics = map[string]float64{}
						}
						dp.ExtendedStatistics[s] = v
					}
				}
				out.Datapoints = append(out.Datapoints, dp)
			}
		}
		return nil
	})
	return out, err
}

// alignStart rounds a query's start down as CloudWatch does: to the second for periods under
// a minute, else to the minute.
func alignStart(t time.Time, period int64) time.Time {
	if period < 60 {
		return t.Truncate(time.Second)
	}
	return t.Truncate(time.Minute)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var queryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// maxGetMetricData is GetMetricData's default and largest MaxDatapoints.
const maxGetMetricData = 100_800

// GetMetricData answers MetricStat queries and expressions of the metric math of expr.go:
// one series of values per query that returns data, newest first unless ScanBy says
// otherwise, MaxDatapoints at a time. An expression using a function not simulated is
// refused, naming it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
func (h *CloudWatch) GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
	switch {
	case len(in.MetricDataQueries) == 0:
		return nil, missing("MetricDataQueries")
	case len(in.MetricDataQueries) > 500:
		return nil, validation("1 validation error detected: Value at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to 500")
	case in.StartTime == nil:
		return nil, missing("StartTime")
	case in.EndTime == nil:
		return nil, missing("EndTime")
	}
	if in.ScanBy != "" && !slices.Contains(in.ScanBy.Values(), in.ScanBy) {
		return nil, validation("1 validation error detected: Value '%s' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.ScanBy, joinEnum(in.ScanBy.Values()))
	}
	start, end := in.StartTime.UTC(), in.EndTime.UTC()
	if !start.Before(end) {
		if start.Equal(end) {
			return nil, validation("The parameter StartTime must not equal parameter EndTime.")
		}
		return nil, validation("The parameter EndTime must be greater than StartTime.")
	}
	max := maxGetMetricData
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints < 1 || *in.MaxDatapoints > maxGetMetricData {
			return nil, invalid("The parameter MaxDatapoints must be within 1 and %d.", maxGetMetricData)
		}
		max = int(*in.MaxDatapoints)
	}
	skip := 0
	if in.NextToken != nil {
		n, err := strconv.Atoi(strings.TrimPrefix(*in.NextToken, "dp-"))
		if err != nil || n < 1 || !strings.HasPrefix(*in.NextToken, "dp-") {
			return nil, core.Errorf(InvalidNextToken, "The service couldn't process your request because the NextToken %q is not valid.", *in.NextToken)
		}
		skip = n
	}
	ids := map[string]bool{}
	type query struct {
		id, label string
		m         *types.MetricStat
		expr      *exprNode
		period    int64
		ret       bool
	}
	var qs []query
	var stats []string // the ids of the MetricStat queries: METRICS()
	for i, q := range in.MetricDataQueries {
		p := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		if q.Id == nil {
			return nil, missing(p + ".Id")
		}
		if !queryID.MatchString(*q.Id) || len(*q.Id) > 255 {
			return nil, validation("The value %s for parameter %s.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.", *q.Id, p)
		}
		if ids[*q.Id] {
			return nil, validation("The values of %s.Id must be unique: %s appears twice.", "MetricDataQueries", *q.Id)
		}
		ids[*q.Id] = true
		qy := query{id: *q.Id, label: *q.Id, ret: q.ReturnData == nil || *q.ReturnData}
		switch {
		case q.Expression != nil && q.MetricStat != nil:
			return nil, validation("The parameters %s.Expression and %s.MetricStat are mutually exclusive and you have specified both.", p, p)
		case q.Expression != nil:
			n, err := parseExpr(*q.Expression)
			var un *unsupported
			switch {
			case errors.As(err, &un):
				return nil, core.Errorf(core.NotImplemented, "The simulator does not evaluate %s in metric math (query %s); it takes numbers, query ids, + - * / ( ), ABS, and SUM, AVG, MIN, MAX of [..] or METRICS().", un.name, *q.Id)
			case err != nil:
				return nil, validation("Error in expression %s: %v.", *q.Id, err)
			}
			qy.expr = n
			if q.Period != nil {
				qy.period = int64(*q.Period)
			}
		case q.MetricStat == nil:
			return nil, validation("Exactly one of %s.Expression and %s.MetricStat must be specified.", p, p)
		default:
			ms := q.MetricStat
			if ms.Metric == nil || ms.Metric.Namespace == nil || ms.Metric.MetricName == nil {
				return nil, missing(p + ".MetricStat.Metric")
			}
			if ms.Stat == nil {
				return nil, missing(p + ".MetricStat.Stat")
			}
			if _, ok := percentile(*ms.Stat); !ok && !slices.Contains(statistics, types.Statistic(*ms.Stat)) {
				return nil, invalid("The value %s for parameter %s.MetricStat.Stat is invalid.", *ms.Stat, p)
			}
			period, err := checkPeriod(ms.Period, p+".MetricStat.Period")
			if err != nil {
				return nil, err
			}
			if err := checkDimensions(ms.Metric.Dimensions, p+".MetricStat.Metric.Dimensions"); err != nil {
				return nil, err
			}
			qy.m, qy.period, qy.label = ms, period, *ms.Metric.MetricName
			stats = append(stats, *q.Id)
		}
		if q.Label != nil {
			qy.label = *q.Label
		}
		qs = append(qs, qy)
	}
	// Expressions refer to queries that exist, without cycles: evaluated in an order where
	// every id comes before what uses it.
	order, err := exprOrder(len(qs), func(i int) (string, []string) {
		if qs[i].expr == nil {
			return qs[i].id, nil
		}
		return qs[i].id, qs[i].expr.ids(nil, stats)
	})
	if err != nil {
		return nil, err
	}
	out := &cloudwatch.GetMetricDataOutput{MetricDataResults: []types.MetricDataResult{}, Messages: []types.MessageData{}}
	err = h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		series := map[string]timeSeries{}
		for _, i := range order {
			q := qs[i]
			if q.expr != nil {
				v, err := q.expr.eval(series, stats)
				if err != nil {
					return validation("Error in expression %s: %v.", q.id, err)
				}
				if v.scalar {
					return validation("Error in expression %s: it gives a number, not a time series.", q.id)
				}
				series[q.id] = v.s
				continue
			}
			ts := timeSeries{}
			if m := r.Metrics[seriesKey(*q.m.Metric.Namespace, *q.m.Metric.MetricName, dimsIn(q.m.Metric.Dimensions))]; m != nil {
				from := alignStart(start, q.period)
				bs := buckets(m.window(from, end), from, q.period, string(q.m.Unit))
				for k, byUnit := range bs {
					a := &agg{}
					for _, u := range slices.Sorted(mapsKeys(byUnit)) {
						a.merge(byUnit[u])
					}
					if v, ok := a.stat(*q.m.Stat); ok {
						ts[from.Add(time.Duration(k*q.period)*time.Second)] = v
					}
				}
			}
			series[q.id] = ts
		}
		seen, budget := 0, max
		for _, q := range qs {
			if !q.ret {
				continue
			}
			res := types.MetricDataResult{Id: aws.String(q.id), Label: aws.String(q.label), Timestamps: []time.Time{}, Values: []float64{}, StatusCode: types.StatusCodeComplete}
			times := slices.SortedFunc(mapsKeys(series[q.id]), func(a, b time.Time) int { return a.Compare(b) })
			if in.ScanBy != types.ScanByTimestampAscending {
				slices.Reverse(times)
			}
			for _, t := range times {
				seen++
				if seen <= skip {
					continue
				}
				if budget == 0 {
					res.StatusCode = types.StatusCodePartialData
					if out.NextToken == nil {
						out.NextToken = aws.String("dp-" + strconv.Itoa(seen-1))
					}
					break
				}
				budget--
				res.Timestamps = append(res.Timestamps, t)
				res.Values = append(res.Values, series[q.id][t])
			}
			out.MetricDataResults = append(out.MetricDataResults, res)
		}
		return nil
	})
	return out, err
}

// exprOrder orders n queries so that each comes after the ids it uses (deps of query i),
// refusing an id no query has and a cycle.
func exprOrder(n int, deps func(i int) (id string, uses []string)) ([]int, error) {
	byID := map[string]int{}
	for i := range n {
		id, _ := deps(i)
		byID[id] = i
	}
	state := make([]int, n) // 0 new, 1 visiting, 2 done
	var order []int
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			id, _ := deps(i)
			return validation("Error in expression %s: it refers to itself, through the queries it uses.", id)
		case 2:
			return nil
		}
		state[i] = 1
		id, uses := deps(i)
		for _, u := range uses {
			j, ok := byID[u]
			if !ok {
				return validation("Error in expression %s: no query has the id %s.", id, u)
			}
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = 2
		order = append(order, i)
		return nil
	}
	for i := range n {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
