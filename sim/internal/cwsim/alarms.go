package cwsim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// alarm is one metric alarm.
type alarm struct {
	Name, ARN                  string
	Description                string `json:",omitempty"`
	Namespace, MetricName      string
	Dims                       []dim  `json:",omitempty"`
	Statistic, Extended        string `json:",omitempty"`
	Period                     int32
	EvaluationPeriods          int32
	DatapointsToAlarm          int32 `json:",omitempty"` // 0: EvaluationPeriods
	Threshold                  float64
	Comparison                 string
	TreatMissing               string `json:",omitempty"`
	LowSample                  string `json:",omitempty"`
	Unit                       string `json:",omitempty"`
	ActionsEnabled             bool
	AlarmActions, OKActions    []string `json:",omitempty"`
	InsufficientActions        []string `json:",omitempty"`
	State, Reason, ReasonData  string
	StateUpdated, Transitioned time.Time
	Configured                 time.Time
	Evaluated                  time.Time    // the last evaluation's instant
	Tags                       []tag        `json:",omitempty"`
	Queries                    []alarmQuery `json:",omitempty"` // an alarm on metric math: its Metrics
}

type tag struct{ Key, Value string }

// historyItem is one entry of an alarm's history.
type historyItem struct {
	Alarm   string
	Time    time.Time
	Type    string // ConfigurationUpdate, StateUpdate, Action
	Summary string
	Data    string
}

// maxHistory bounds a region's alarm history; AWS keeps 30 days of it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
const (
	maxHistory  = 10_000
	historyKept = 30 * 24 * time.Hour
)

func (r *regionState) record(h historyItem) {
	cut := 0
	for cut < len(r.History) && (h.Time.Sub(r.History[cut].Time) > historyKept || len(r.History)-cut >= maxHistory) {
		cut++
	}
	r.History = append(r.History[cut:], h)
}

func alarmARN(region, account, name string) string {
	return "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name
}

const (
	stateOK           = string(types.StateValueOk)
	stateAlarm        = string(types.StateValueAlarm)
	stateInsufficient = string(types.StateValueInsufficientData)
)

var alarmComparisons = []types.ComparisonOperator{
	types.ComparisonOperatorGreaterThanOrEqualToThreshold, types.ComparisonOperatorGreaterThanThreshold,
	types.ComparisonOperatorLessThanThreshold, types.ComparisonOperatorLessThanOrEqualToThreshold,
}

// actionARN is the form of an alarm action: SNS topics, Auto Scaling policies, EC2's automate
// actions, Systems Manager OpsItems and incidents, Lambda functions.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
var actionARN = regexp.MustCompile(`^arn:aws:(sns|autoscaling|automate|swf|ssm|ssm-incidents|lambda):([a-z0-9-]*):([^:]*):(.+)$`)

// checkActions checks the actions of one state: at most 5, each an ARN of a kind AWS takes,
// in the alarm's region.
func checkActions(actions []string, param, region string) error {
	if len(actions) > 5 {
		return validation("1 validation error detected: Value '[%s]' at '%s' failed to satisfy constraint: Member must have length less than or equal to 5", strings.Join(actions, ", "), lowerFirst(param))
	}
	for _, a := range actions {
		m := actionARN.FindStringSubmatch(a)
		if m == nil || len(a) > 1024 {
			return validation("Invalid arn syntax: %s", a)
		}
		if m[1] != "ssm-incidents" && m[2] != region {
			return validation("Invalid region %s specified. Only %s is supported.", m[2], region)
		}
		if m[1] == "automate" && !slices.Contains([]string{"ec2:stop", "ec2:terminate", "ec2:reboot", "ec2:recover"}, m[3]+":"+m[4]) {
			return validation("Invalid arn syntax: %s", a)
		}
	}
	return nil
}

// PutMetricAlarm creates or replaces an alarm on one metric. A new alarm starts in
// INSUFFICIENT_DATA and is evaluated on the simulator's clock; an update keeps its state.
// Alarms on metric math (Metrics) take the subset of expr.go; PromQL (EvaluationCriteria)
// and anomaly detection (ThresholdMetricId) are not simulated and are refused.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
func (h *CloudWatch) PutMetricAlarm(ctx context.Context, in *cloudwatch.PutMetricAlarmInput) (*cloudwatch.PutMetricAlarmOutput, error) {
	region := core.RegionFrom(ctx)
	a, err := newAlarm(in, region)
	if err != nil {
		return nil, err
	}
	a.ARN = alarmARN(region, h.s.account, a.Name)
	return &cloudwatch.PutMetricAlarmOutput{}, h.s.write(region, func(r *regionState, now time.Time) (bool, error) {
		a.Configured = now
		old := r.Alarms[a.Name]
		verb, kind := "created", "Create"
		if old != nil {
			verb, kind = "updated", "Update"
			a.State, a.Reason, a.ReasonData, a.StateUpdated, a.Transitioned, a.Evaluated = old.State, old.Reason, old.ReasonData, old.StateUpdated, old.Transitioned, old.Evaluated
			a.Tags = old.Tags // tags of an update are ignored
		} else {
			a.State, a.Reason, a.StateUpdated, a.Transitioned = stateInsufficient, "Unchecked: Initial alarm creation", now, now
			if len(in.Tags) > 50 {
				return false, validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
			}
			tags, err := tagsIn(in.Tags)
			if err != nil {
				return false, err
			}
			a.Tags = tags
		}
		r.Alarms[a.Name] = a
		data, _ := json.Marshal(map[string]string{"type": kind, "version": "1.0"})
		r.record(historyItem{Alarm: a.Name, Time: now, Type: string(types.HistoryItemTypeConfigurationUpdate), Summary: fmt.Sprintf("Alarm %q %s", a.Name, verb), Data: string(data)})
		if old == nil {
			// A new alarm is evaluated at once.
			h.s.evaluateAt(region, r, a, lastBoundary(now, evaluationStep(a.Period)))
		}
		return true, nil
	})
}

// newAlarm checks a PutMetricAlarm request and makes its alarm.
func newAlarm(in *cloudwatch.PutMetricAlarmInput, region string) (*alarm, error) {
	switch {
	case in.AlarmName == nil:
		return nil, missing("AlarmName")
	case len(*in.AlarmName) < 1 || len(*in.AlarmName) > 255:
		return nil, validation("1 validation error detected: Value '%s' at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255", *in.AlarmName)
	case in.EvaluationPeriods == nil:
		return nil, missing("EvaluationPeriods")
	case *in.EvaluationPeriods < 1:
		return nil, validation("1 validation error detected: Value '%d' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.EvaluationPeriods)
	case in.ComparisonOperator == "":
		return nil, missing("ComparisonOperator")
	case in.EvaluationCriteria != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator does not evaluate PromQL alarms (EvaluationCriteria); give MetricName, Namespace, Statistic and Period, or Metrics.")
	case in.ThresholdMetricId != nil:
		return nil, core.Errorf(core.NotImplemented, "The simulator does not evaluate anomaly detection alarms (ThresholdMetricId).")
	case len(in.Metrics) > 0:
		for _, f := range []struct {
			name string
			set  bool
		}{{"MetricName", in.MetricName != nil}, {"Namespace", in.Namespace != nil}, {"Statistic", in.Statistic != ""}, {"ExtendedStatistic", in.ExtendedStatistic != nil},
			{"Period", in.Period != nil}, {"Dimensions", len(in.Dimensions) > 0}, {"Unit", in.Unit != ""}} {
			if f.set {
				return nil, combination("The parameters %s and Metrics are mutually exclusive and you have specified both.", f.name)
			}
		}
		if in.Threshold == nil {
			return nil, missing("Threshold")
		}
		return mathAlarm(in, region)
	case in.MetricName == nil:
		return nil, validation("One of MetricName or Metrics must be specified.")
	case in.Namespace == nil:
		return nil, missing("Namespace")
	case in.Threshold == nil:
		return nil, missing("Threshold")
	case in.Period == nil:
		return nil, missing("Period")
	}
	if !slices.Contains(in.ComparisonOperator.Values(), in.ComparisonOperator) {
		return nil, validation("1 validation error detected: Value '%s' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.ComparisonOperator, joinEnum(in.ComparisonOperator.Values()))
	}
	if !slices.Contains(alarmComparisons, in.ComparisonOperator) {
		return nil, validation("Comparison operator %s is only supported for anomaly detection alarms (ThresholdMetricId), which the simulator does not evaluate.", in.ComparisonOperator)
	}
	if err := checkNamespace(in.Namespace, "Namespace"); err != nil {
		return nil, err
	}
	if err := checkDimensions(in.Dimensions, "Dimensions"); err != nil {
		return nil, err
	}
	if err := checkUnit(in.Unit, "unit"); err != nil {
		return nil, err
	}
	switch {
	case in.Statistic != "" && in.ExtendedStatistic != nil:
		return nil, combination("The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.")
	case in.Statistic == "" && in.ExtendedStatistic == nil:
		return nil, combination("Must specify either Statistic or ExtendedStatistic.")
	case in.Statistic != "" && !slices.Contains(statistics, in.Statistic):
		return nil, validation("1 validation error detected: Value '%s' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.Statistic, joinEnum(statistics))
	}
	if in.ExtendedStatistic != nil {
		if _, ok := percentile(*in.ExtendedStatistic); !ok {
			return nil, invalid("The value %s for parameter ExtendedStatistic is not supported.", *in.ExtendedStatistic)
		}
	}
	if p := in.EvaluateLowSampleCountPercentile; p != nil {
		if *p != "evaluate" && *p != "ignore" {
			return nil, validation("Option %s is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.", *p)
		}
	}
	// An alarm's period is 10, 20 or 30 seconds (high resolution) or a multiple of 60.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
	period := *in.Period
	if period < 10 || period%60 != 0 && period != 10 && period != 20 && period != 30 {
		return nil, validation("Period (%d) must be 10, 20, 30 or a multiple of 60.", period)
	}
	// The evaluation range is at most one day, or seven for periods of an hour or more.
	limit := int64(86400)
	if period >= 3600 {
		limit = 7 * 86400
	}
	if int64(period)*int64(*in.EvaluationPeriods) > limit {
		return nil, validation("The product of EvaluationPeriods (%d) and Period (%d) must not exceed %d seconds.", *in.EvaluationPeriods, period, limit)
	}
	a := &alarm{
		Name: *in.AlarmName, Description: aws.ToString(in.AlarmDescription), Namespace: *in.Namespace, MetricName: *in.MetricName,
		Dims: dimsIn(in.Dimensions), Statistic: string(in.Statistic), Extended: aws.ToString(in.ExtendedStatistic), Period: period,
		EvaluationPeriods: *in.EvaluationPeriods, Threshold: *in.Threshold, Comparison: string(in.ComparisonOperator),
		TreatMissing: aws.ToString(in.TreatMissingData), LowSample: aws.ToString(in.EvaluateLowSampleCountPercentile),
		Unit: string(in.Unit), ActionsEnabled: in.ActionsEnabled == nil || *in.ActionsEnabled,
		AlarmActions: slices.Clone(in.AlarmActions), OKActions: slices.Clone(in.OKActions), InsufficientActions: slices.Clone(in.InsufficientDataActions),
	}
	if len(a.Description) > 1024 {
		return nil, validation("1 validation error detected: Value at 'alarmDescription' failed to satisfy constraint: Member must have length less than or equal to 1024")
	}
	if in.DatapointsToAlarm != nil {
		if d := *in.DatapointsToAlarm; d < 1 || d > *in.EvaluationPeriods {
			return nil, validation("DatapointsToAlarm (%d) must be within 1 and EvaluationPeriods (%d).", d, *in.EvaluationPeriods)
		}
		a.DatapointsToAlarm = *in.DatapointsToAlarm
	}
	switch a.TreatMissing {
	case "", "breaching", "notBreaching", "ignore", "missing":
	default:
		return nil, validation("The value %s for parameter TreatMissingData is not supported. Supported values are breaching, notBreaching, ignore and missing.", a.TreatMissing)
	}
	for _, acts := range []struct {
		list  []string
		param string
	}{{in.AlarmActions, "AlarmActions"}, {in.OKActions, "OKActions"}, {in.InsufficientDataActions, "InsufficientDataActions"}} {
		if err := checkActions(acts.list, acts.param, region); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// mathAlarm makes an alarm on metric math: its Metrics checked, and what it shares with
// plain alarms (operator, periods, actions …) checked as theirs are.
func mathAlarm(in *cloudwatch.PutMetricAlarmInput, region string) (*alarm, error) {
	qs, period, err := alarmQueries(in.Metrics)
	if err != nil {
		return nil, err
	}
	// The checks of a plain alarm, on the period and the first metric of the Metrics.
	var first alarmQuery
	for _, q := range qs {
		if q.Expression == "" {
			first = q
			break
		}
	}
	plain := *in
	plain.Metrics, plain.MetricName, plain.Namespace, plain.Period = nil, aws.String(first.MetricName), aws.String(first.Namespace), aws.Int32(period)
	plain.Statistic = types.StatisticSum
	a, err := newAlarm(&plain, region)
	if err != nil {
		return nil, err
	}
	a.MetricName, a.Namespace, a.Statistic, a.Dims, a.Queries = "", "", "", nil, qs
	return a, nil
}

func (a *alarm) out() types.MetricAlarm {
	m := types.MetricAlarm{
		AlarmName: aws.String(a.Name), AlarmArn: aws.String(a.ARN), AlarmConfigurationUpdatedTimestamp: aws.Time(a.Configured),
		ActionsEnabled: aws.Bool(a.ActionsEnabled), AlarmActions: nonNil(a.AlarmActions), OKActions: nonNil(a.OKActions),
		InsufficientDataActions: nonNil(a.InsufficientActions), StateValue: types.StateValue(a.State), StateReason: aws.String(a.Reason),
		StateUpdatedTimestamp: aws.Time(a.StateUpdated), StateTransitionedTimestamp: aws.Time(a.Transitioned),
		MetricName: aws.String(a.MetricName), Namespace: aws.String(a.Namespace), Dimensions: dimsOut(a.Dims),
		Period: aws.Int32(a.Period), EvaluationPeriods: aws.Int32(a.EvaluationPeriods), Threshold: aws.Float64(a.Threshold),
		ComparisonOperator: types.ComparisonOperator(a.Comparison), Unit: types.StandardUnit(a.Unit),
	}
	if a.Description != "" {
		m.AlarmDescription = aws.String(a.Description)
	}
	if a.ReasonData != "" {
		m.StateReasonData = aws.String(a.ReasonData)
	}
	switch {
	case len(a.Queries) > 0:
		m.Metrics, m.MetricName, m.Namespace, m.Period, m.Dimensions = metricsOut(a.Queries), nil, nil, nil, nil
	case a.Statistic != "":
		m.Statistic = types.Statistic(a.Statistic)
	default:
		m.ExtendedStatistic = aws.String(a.Extended)
	}
	if a.DatapointsToAlarm != 0 {
		m.DatapointsToAlarm = aws.Int32(a.DatapointsToAlarm)
	}
	if a.TreatMissing != "" {
		m.TreatMissingData = aws.String(a.TreatMissing)
	}
	if a.LowSample != "" {
		m.EvaluateLowSampleCountPercentile = aws.String(a.LowSample)
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// alarmPage is DescribeAlarms' default MaxRecords, and its largest.
const (
	alarmPage    = 50
	maxAlarmPage = 100
)

func maxRecords(p *int32, def int32) (int, error) {
	if p == nil {
		return int(def), nil
	}
	if *p < 1 || *p > maxAlarmPage {
		return 0, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and %d", *p, maxAlarmPage)
	}
	return int(*p), nil
}

// DescribeAlarms lists the region's alarms by name, prefix, state or action prefix.
// Composite alarms are not simulated: there are none to list.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
func (h *CloudWatch) DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput) (*cloudwatch.DescribeAlarmsOutput, error) {
	if len(in.AlarmNames) > 0 && in.AlarmNamePrefix != nil {
		return nil, combination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.")
	}
	if len(in.AlarmNames) > 100 {
		return nil, validation("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	if in.StateValue != "" && !slices.Contains(in.StateValue.Values(), in.StateValue) {
		return nil, validation("1 validation error detected: Value '%s' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.StateValue, joinEnum(in.StateValue.Values()))
	}
	n, err := maxRecords(in.MaxRecords, alarmPage)
	if err != nil {
		return nil, err
	}
	after, err := pageToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	metric := len(in.AlarmTypes) == 0 || slices.Contains(in.AlarmTypes, types.AlarmTypeMetricAlarm)
	out := &cloudwatch.DescribeAlarmsOutput{MetricAlarms: []types.MetricAlarm{}, CompositeAlarms: []types.CompositeAlarm{}}
	err = h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		if !metric || in.ChildrenOfAlarmName != nil || in.ParentsOfAlarmName != nil {
			return nil
		}
		for _, name := range slices.Sorted(mapsKeys(r.Alarms)) {
			a := r.Alarms[name]
			switch {
			case name <= after:
			case len(in.AlarmNames) > 0 && !slices.Contains(in.AlarmNames, name):
			case in.AlarmNamePrefix != nil && !strings.HasPrefix(name, *in.AlarmNamePrefix):
			case in.StateValue != "" && a.State != string(in.StateValue):
			case in.ActionPrefix != nil && !hasActionPrefix(a, *in.ActionPrefix):
			default:
				if len(out.MetricAlarms) == n {
					out.NextToken = aws.String(base64.RawURLEncoding.EncodeToString([]byte(*out.MetricAlarms[n-1].AlarmName)))
					return nil
				}
				out.MetricAlarms = append(out.MetricAlarms, a.out())
			}
		}
		return nil
	})
	return out, err
}

func hasActionPrefix(a *alarm, prefix string) bool {
	for _, list := range [][]string{a.AlarmActions, a.OKActions, a.InsufficientActions} {
		for _, x := range list {
			if strings.HasPrefix(x, prefix) {
				return true
			}
		}
	}
	return false
}

// DescribeAlarmsForMetric lists the alarms on one metric.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmsForMetric.html
func (h *CloudWatch) DescribeAlarmsForMetric(ctx context.Context, in *cloudwatch.DescribeAlarmsForMetricInput) (*cloudwatch.DescribeAlarmsForMetricOutput, error) {
	switch {
	case in.MetricName == nil:
		return nil, missing("MetricName")
	case in.Namespace == nil:
		return nil, missing("Namespace")
	}
	if err := checkDimensions(in.Dimensions, "Dimensions"); err != nil {
		return nil, err
	}
	dims := dimsIn(in.Dimensions)
	out := &cloudwatch.DescribeAlarmsForMetricOutput{MetricAlarms: []types.MetricAlarm{}}
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		for _, name := range slices.Sorted(mapsKeys(r.Alarms)) {
			a := r.Alarms[name]
			switch {
			case a.Namespace != *in.Namespace || a.MetricName != *in.MetricName:
			case in.Dimensions != nil && !slices.Equal(a.Dims, dims):
			case in.Period != nil && a.Period != *in.Period:
			case in.Statistic != "" && a.Statistic != string(in.Statistic):
			case in.ExtendedStatistic != nil && a.Extended != *in.ExtendedStatistic:
			case in.Unit != "" && a.Unit != string(in.Unit):
			default:
				out.MetricAlarms = append(out.MetricAlarms, a.out())
			}
		}
		return nil
	})
	return out, err
}

// DeleteAlarms deletes alarms. Names of no alarm are passed over: AWS deletes what exists
// and answers success (the AWS CloudFormation contract tests found it so,
// github.com/aws-cloudformation/cloudformation-cli/issues/456; moto agrees), although the API
// reference lists ResourceNotFound. Pinned by TestCloudWatchAlarms.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html
func (h *CloudWatch) DeleteAlarms(ctx context.Context, in *cloudwatch.DeleteAlarmsInput) (*cloudwatch.DeleteAlarmsOutput, error) {
	if len(in.AlarmNames) == 0 {
		return nil, missing("AlarmNames")
	}
	if len(in.AlarmNames) > 100 {
		return nil, validation("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	return &cloudwatch.DeleteAlarmsOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState, now time.Time) (bool, error) {
		changed := false
		for _, n := range in.AlarmNames {
			if r.Alarms[n] != nil {
				delete(r.Alarms, n)
				changed = true
			}
		}
		return changed, nil
	})
}

// SetAlarmState sets an alarm's state until its next evaluation, as AWS does for testing
// actions; the state change and its actions are in the history.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
func (h *CloudWatch) SetAlarmState(ctx context.Context, in *cloudwatch.SetAlarmStateInput) (*cloudwatch.SetAlarmStateOutput, error) {
	switch {
	case in.AlarmName == nil:
		return nil, missing("AlarmName")
	case in.StateValue == "":
		return nil, missing("StateValue")
	case in.StateReason == nil:
		return nil, missing("StateReason")
	case !slices.Contains(in.StateValue.Values(), in.StateValue):
		return nil, validation("1 validation error detected: Value '%s' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.StateValue, joinEnum(in.StateValue.Values()))
	case len(*in.StateReason) > 1023:
		return nil, validation("1 validation error detected: Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to 1023")
	}
	if d := in.StateReasonData; d != nil && (len(*d) > 4000 || !json.Valid([]byte(*d))) {
		return nil, core.Errorf(InvalidFormat, "StateReasonData is not valid JSON.")
	}
	region := core.RegionFrom(ctx)
	return &cloudwatch.SetAlarmStateOutput{}, h.s.write(region, func(r *regionState, now time.Time) (bool, error) {
		a := r.Alarms[*in.AlarmName]
		if a == nil {
			return false, notFound(ResourceNotFound, "The alarm %s does not exist.", *in.AlarmName)
		}
		h.s.transition(region, r, a, now, string(in.StateValue), *in.StateReason, aws.ToString(in.StateReasonData))
		return true, nil
	})
}

// EnableAlarmActions turns the actions of alarms on; names of no alarm are passed over.
func (h *CloudWatch) EnableAlarmActions(ctx context.Context, in *cloudwatch.EnableAlarmActionsInput) (*cloudwatch.EnableAlarmActionsOutput, error) {
	return &cloudwatch.EnableAlarmActionsOutput{}, h.setActions(ctx, in.AlarmNames, true)
}

// DisableAlarmActions turns the actions of alarms off; names of no alarm are passed over.
func (h *CloudWatch) DisableAlarmActions(ctx context.Context, in *cloudwatch.DisableAlarmActionsInput) (*cloudwatch.DisableAlarmActionsOutput, error) {
	return &cloudwatch.DisableAlarmActionsOutput{}, h.setActions(ctx, in.AlarmNames, false)
}

func (h *CloudWatch) setActions(ctx context.Context, names []string, on bool) error {
	if len(names) == 0 {
		return missing("AlarmNames")
	}
	if len(names) > 100 {
		return validation("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	return h.s.write(core.RegionFrom(ctx), func(r *regionState, now time.Time) (bool, error) {
		changed := false
		for _, n := range names {
			if a := r.Alarms[n]; a != nil && a.ActionsEnabled != on {
				a.ActionsEnabled = on
				changed = true
			}
		}
		return changed, nil
	})
}

// DescribeAlarmHistory lists the history of the region's alarms, newest first unless ScanBy
// says otherwise: configuration updates, state updates and actions, 30 days of it. Deleted
// alarms' history stays.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
func (h *CloudWatch) DescribeAlarmHistory(ctx context.Context, in *cloudwatch.DescribeAlarmHistoryInput) (*cloudwatch.DescribeAlarmHistoryOutput, error) {
	if in.HistoryItemType != "" && !slices.Contains(in.HistoryItemType.Values(), in.HistoryItemType) {
		return nil, validation("1 validation error detected: Value '%s' at 'historyItemType' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.HistoryItemType, joinEnum(in.HistoryItemType.Values()))
	}
	if in.ScanBy != "" && !slices.Contains(in.ScanBy.Values(), in.ScanBy) {
		return nil, validation("1 validation error detected: Value '%s' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [%s]", in.ScanBy, joinEnum(in.ScanBy.Values()))
	}
	n, err := maxRecords(in.MaxRecords, alarmPage)
	if err != nil {
		return nil, err
	}
	skip := 0
	if in.NextToken != nil {
		k, err := strconv.Atoi(strings.TrimPrefix(*in.NextToken, "h-"))
		if err != nil || k < 1 || !strings.HasPrefix(*in.NextToken, "h-") {
			return nil, core.Errorf(InvalidNextToken, "The service couldn't process your request because the NextToken %q is not valid.", *in.NextToken)
		}
		skip = k
	}
	metric := len(in.AlarmTypes) == 0 || slices.Contains(in.AlarmTypes, types.AlarmTypeMetricAlarm)
	out := &cloudwatch.DescribeAlarmHistoryOutput{AlarmHistoryItems: []types.AlarmHistoryItem{}}
	err = h.s.read(core.RegionFrom(ctx), func(r *regionState, now time.Time) error {
		if !metric {
			return nil
		}
		var items []historyItem
		for _, it := range r.History {
			switch {
			case in.AlarmName != nil && it.Alarm != *in.AlarmName:
			case in.HistoryItemType != "" && it.Type != string(in.HistoryItemType):
			case in.StartDate != nil && it.Time.Before(*in.StartDate):
			case in.EndDate != nil && !it.Time.Before(*in.EndDate):
			case now.Sub(it.Time) > historyKept:
			default:
				items = append(items, it)
			}
		}
		if in.ScanBy != types.ScanByTimestampAscending {
			slices.Reverse(items)
		}
		if skip > len(items) {
			skip = len(items)
		}
		items = items[skip:]
		if len(items) > n {
			items = items[:n]
			out.NextToken = aws.String("h-" + strconv.Itoa(skip+n))
		}
		for _, it := range items {
			out.AlarmHistoryItems = append(out.AlarmHistoryItems, types.AlarmHistoryItem{
				AlarmName: aws.String(it.Alarm), AlarmType: types.AlarmTypeMetricAlarm, Timestamp: aws.Time(it.Time),
				HistoryItemType: types.HistoryItemType(it.Type), HistorySummary: aws.String(it.Summary), HistoryData: aws.String(it.Data),
			})
		}
		return nil
	})
	return out, err
}
