package cwsim

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// maxEvaluations bounds the evaluations one alarm catches up on at once: a clock advanced
// by a year evaluates an alarm at its last 1,440 instants only.
const maxEvaluations = 1440

// evaluationStep is how often an alarm is evaluated: every minute, as AWS evaluates them, or
// every period when its periods are shorter (high resolution alarms).
func evaluationStep(period int32) int32 { return min(period, 60) }

// lastBoundary returns the last instant at or before t that is a multiple of step seconds
// since the epoch.
func lastBoundary(t time.Time, step int32) time.Time {
	p := int64(step)
	return time.Unix(t.Unix()/p*p, 0).UTC()
}

// evaluate plays an alarm's evaluations from its last one up to now, one a minute, and
// reports whether its state changed.
func (s *Store) evaluate(region string, r *regionState, a *alarm, now time.Time) bool {
	es := evaluationStep(a.Period)
	last := lastBoundary(now, es)
	if !last.After(a.Evaluated) {
		return false
	}
	step := time.Duration(es) * time.Second
	t := a.Evaluated.Add(step)
	if a.Evaluated.IsZero() || last.Sub(t)/step > maxEvaluations {
		t = last.Add(-step * (maxEvaluations - 1))
	}
	t = lastBoundary(t, es)
	changed := false
	for ; !t.After(last); t = t.Add(step) {
		if s.evaluateAt(region, r, a, t) {
			changed = true
		}
	}
	a.Evaluated = last
	return changed
}

// datapoint is one period's value of an alarm's statistic; ok is false when it is missing.
type datapoint struct {
	t     time.Time
	v     float64
	count float64
	ok    bool
}

// evaluateAt evaluates an alarm at t on the EvaluationPeriods periods that end at t, newest
// first, as AWS documents the evaluation: M of N breaching is ALARM, and TreatMissingData
// says what a missing period counts as.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
func (s *Store) evaluateAt(region string, r *regionState, a *alarm, t time.Time) bool {
	a.Evaluated = t
	n := int(a.EvaluationPeriods)
	m := n
	if a.DatapointsToAlarm > 0 {
		m = int(a.DatapointsToAlarm)
	}
	step := time.Duration(a.Period) * time.Second
	series := r.Metrics[seriesKey(a.Namespace, a.MetricName, a.Dims)]
	stat := a.Statistic
	if stat == "" {
		stat = a.Extended
	}
	dps := make([]datapoint, n)
	present := 0
	for i := range n {
		from := t.Add(-step * time.Duration(i+1))
		dps[i].t = from
		if len(a.Queries) > 0 {
			if v, ok := mathValue(r, a.Queries, from, step); ok {
				dps[i].v, dps[i].count, dps[i].ok = v, 1, true
				present++
			}
			continue
		}
		if series == nil {
			continue
		}
		ag := &agg{}
		for _, p := range series.window(from, from.Add(step)) {
			if a.Unit == "" || p.Unit == a.Unit {
				ag.add(p)
			}
		}
		if ag.n == 0 {
			continue
		}
		if v, ok := ag.stat(stat); ok {
			dps[i].v, dps[i].count, dps[i].ok = v, ag.Count, true
			present++
		}
	}
	missingAs := a.TreatMissing
	if missingAs == "" {
		missingAs = "missing"
	}
	var state, reason string
	op := comparisonText[a.Comparison]
	switch {
	case present == 0 && missingAs == "ignore":
		return false
	case present == 0 && missingAs == "missing":
		state, reason = stateInsufficient, fmt.Sprintf("Insufficient Data: %s unknown.", plural(n, "datapoint was", "datapoints were"))
	case present == 0:
		label, st := "NonBreaching", stateOK
		if missingAs == "breaching" {
			label, st = "Breaching", stateAlarm
			if n < m {
				st = stateOK
			}
		}
		state = st
		reason = fmt.Sprintf("Threshold Crossed: no datapoints were received for %s and %s treated as [%s].", plural(n, "period", "periods"), plural(n, "missing datapoint was", "missing datapoints were"), label)
	default:
		var breaching, calm []datapoint
		extra := 0
		for _, d := range dps {
			switch {
			case !d.ok && missingAs == "breaching":
				extra++
			case !d.ok:
			case a.breaches(d.v):
				breaching = append(breaching, d)
			default:
				calm = append(calm, d)
			}
		}
		b := len(breaching) + extra
		if b >= m {
			state = stateAlarm
			reason = thresholdReason(n, m, b, breaching, op, a.Threshold, "OK -> ALARM")
		} else {
			state = stateOK
			reason = thresholdReason(n, n-m+1, len(calm), calm, "not "+op, a.Threshold, "ALARM -> OK")
		}
	}
	if state == a.State {
		if state == stateAlarm {
			s.repeatScaling(region, a, t, reasonData(a, t, dps, stat))
		}
		return false
	}
	s.transition(region, r, a, t, state, reason, reasonData(a, t, dps, stat))
	return true
}

// repeatScaling invokes again the Auto Scaling actions of an alarm that stays in ALARM: unlike
// the other actions, which run on state transitions only, they run at every evaluation while
// the condition persists (Auto Scaling's cooldowns and warm-ups decide what they do). The
// repeats are not written to the alarm's history.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html
func (s *Store) repeatScaling(region string, a *alarm, t time.Time, data string) {
	if !a.ActionsEnabled || s.notifier.Scale == nil {
		return
	}
	for _, act := range a.AlarmActions {
		if m := actionARN.FindStringSubmatch(act); m != nil && m[1] == "autoscaling" {
			_ = s.notifier.Scale(region, act, a.Name, latestValue(data), a.Threshold, t)
		}
	}
}

// thresholdReason words a crossing as AWS does: "Threshold Crossed: 1 datapoint [95.0
// (07/12/26 15:00:00)] was greater than the threshold (80.0)." for one period of one, else
// "Threshold Crossed: 2 out of the last 3 datapoints [...] were greater than the threshold
// (80.0) (minimum 2 datapoints for OK -> ALARM transition)."
func thresholdReason(n, min, count int, dps []datapoint, op string, threshold float64, transition string) string {
	list := make([]string, len(dps))
	for i, d := range dps {
		list[i] = javaDouble(d.v) + " (" + d.t.Format("02/01/06 15:04:05") + ")"
	}
	if n == 1 {
		return fmt.Sprintf("Threshold Crossed: 1 datapoint [%s] was %s the threshold (%s).", strings.Join(list, ", "), op, javaDouble(threshold))
	}
	verb := "were"
	if count == 1 {
		verb = "was"
	}
	return fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] %s %s the threshold (%s) (minimum %s for %s transition).",
		count, n, strings.Join(list, ", "), verb, op, javaDouble(threshold), plural(min, "datapoint", "datapoints"), transition)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

var comparisonText = map[string]string{
	string(types.ComparisonOperatorGreaterThanOrEqualToThreshold): "greater than or equal to",
	string(types.ComparisonOperatorGreaterThanThreshold):          "greater than",
	string(types.ComparisonOperatorLessThanThreshold):             "less than",
	string(types.ComparisonOperatorLessThanOrEqualToThreshold):    "less than or equal to",
}

func (a *alarm) breaches(v float64) bool {
	switch types.ComparisonOperator(a.Comparison) {
	case types.ComparisonOperatorGreaterThanOrEqualToThreshold:
		return v >= a.Threshold
	case types.ComparisonOperatorGreaterThanThreshold:
		return v > a.Threshold
	case types.ComparisonOperatorLessThanThreshold:
		return v < a.Threshold
	case types.ComparisonOperatorLessThanOrEqualToThreshold:
		return v <= a.Threshold
	}
	return false
}

const isoMillis = "2006-01-02T15:04:05.000-0700"

// reasonData is the StateReasonData of an evaluation, in AWS's shape.
func reasonData(a *alarm, t time.Time, dps []datapoint, stat string) string {
	type evaluated struct {
		Timestamp   string   `json:"timestamp"`
		SampleCount *float64 `json:"sampleCount,omitempty"`
		Value       *float64 `json:"value,omitempty"`
	}
	d := struct {
		Version     string      `json:"version"`
		QueryDate   string      `json:"queryDate"`
		StartDate   string      `json:"startDate"`
		Statistic   string      `json:"statistic,omitempty"`
		Period      int32       `json:"period"`
		Recent      []float64   `json:"recentDatapoints"`
		Threshold   float64     `json:"threshold"`
		Evaluated   []evaluated `json:"evaluatedDatapoints"`
		Extended    string      `json:"extendedStatistic,omitempty"`
		TreatAsUnit string      `json:"unit,omitempty"`
	}{Version: "1.0", QueryDate: t.Format(isoMillis), Period: a.Period, Threshold: a.Threshold, Recent: []float64{}, Evaluated: []evaluated{}, TreatAsUnit: a.Unit}
	if a.Statistic != "" {
		d.Statistic = stat
	} else {
		d.Extended = stat
	}
	if len(dps) > 0 {
		d.StartDate = dps[len(dps)-1].t.Format(isoMillis)
	}
	for i := len(dps) - 1; i >= 0; i-- {
		if dps[i].ok {
			d.Recent = append(d.Recent, dps[i].v)
		}
	}
	for _, dp := range dps {
		e := evaluated{Timestamp: dp.t.Format(isoMillis)}
		if dp.ok {
			e.SampleCount, e.Value = &dp.count, &dp.v
		}
		d.Evaluated = append(d.Evaluated, e)
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// transition moves an alarm to state at t, records it in the history and attempts the
// actions of the new state: an SNS topic gets CloudWatch's notification through the
// Notifier; the other actions (Auto Scaling, EC2's automate actions and the rest are not
// simulated) are in the history as the failures they are.
func (s *Store) transition(region string, r *regionState, a *alarm, t time.Time, state, reason, data string) {
	old, oldReason := a.State, a.Reason
	a.State, a.Reason, a.ReasonData, a.StateUpdated = state, reason, data, t
	if old != state {
		a.Transitioned = t
	}
	type st struct {
		Value      string          `json:"stateValue"`
		Reason     string          `json:"stateReason"`
		ReasonData json.RawMessage `json:"stateReasonData,omitempty"`
	}
	var rd json.RawMessage
	if data != "" && json.Valid([]byte(data)) {
		rd = json.RawMessage(data)
	}
	hd, _ := json.Marshal(struct {
		Version string `json:"version"`
		Old     st     `json:"oldState"`
		New     st     `json:"newState"`
	}{"1.0", st{Value: old, Reason: oldReason}, st{Value: state, Reason: reason, ReasonData: rd}})
	r.record(historyItem{Alarm: a.Name, Time: t, Type: string(types.HistoryItemTypeStateUpdate), Summary: fmt.Sprintf("Alarm updated from %s to %s", old, state), Data: string(hd)})
	if !a.ActionsEnabled {
		return
	}
	var actions []string
	switch state {
	case stateAlarm:
		actions = a.AlarmActions
	case stateOK:
		actions = a.OKActions
	case stateInsufficient:
		actions = a.InsufficientActions
	}
	for _, act := range actions {
		svc := act
		if m := actionARN.FindStringSubmatch(act); m != nil {
			svc = m[1]
		}
		var err error
		if svc == "sns" && s.notifier.Publish != nil {
			err = s.notify(region, a, act, old, t)
		} else if svc == "autoscaling" && s.notifier.Scale != nil {
			err = s.notifier.Scale(region, act, a.Name, latestValue(data), a.Threshold, t)
		} else {
			err = fmt.Errorf("The simulator does not deliver %s actions yet", svc)
		}
		if err == nil {
			ad, _ := json.Marshal(map[string]string{"actionState": "Succeeded", "stateUpdateTimestamp": t.Format(isoMillis), "notificationResource": act})
			r.record(historyItem{Alarm: a.Name, Time: t, Type: string(types.HistoryItemTypeAction),
				Summary: "Successfully executed action " + act, Data: string(ad)})
			continue
		}
		ad, _ := json.Marshal(map[string]string{"actionState": "Failed", "stateUpdateTimestamp": t.Format(isoMillis), "error": err.Error()})
		r.record(historyItem{Alarm: a.Name, Time: t, Type: string(types.HistoryItemTypeAction),
			Summary: fmt.Sprintf("Failed to execute action %s. Received error: %q", act, err.Error()), Data: string(ad)})
	}
}

// latestValue is the newest of the recent data points of an evaluation's reason data, NaN
// when it has none.
func latestValue(data string) float64 {
	var d struct {
		Recent []float64 `json:"recentDatapoints"`
	}
	if json.Unmarshal([]byte(data), &d) != nil || len(d.Recent) == 0 {
		return math.NaN()
	}
	return d.Recent[len(d.Recent)-1]
}

// notify publishes the alarm's new state to the SNS topic, as CloudWatch does: the subject
// `ALARM: "name" in US East (N. Virginia)` and a JSON message of the alarm, its old and new
// states, the reason and its trigger.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html (the message's fields)
func (s *Store) notify(region string, a *alarm, topic, old string, t time.Time) error {
	place := region
	if s.notifier.RegionName != nil {
		if n := s.notifier.RegionName(region); n != "" {
			place = n
		}
	}
	orEmpty := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	type dimension struct {
		Value string `json:"value"`
		Name  string `json:"name"`
	}
	dims := []dimension{}
	for _, d := range a.Dims {
		dims = append(dims, dimension{Value: d.Value, Name: d.Name})
	}
	var description, unit *string
	if a.Description != "" {
		description = &a.Description
	}
	if a.Unit != "" {
		unit = &a.Unit
	}
	statType, stat := "Statistic", strings.ToUpper(a.Statistic)
	if a.Extended != "" {
		statType, stat = "ExtendedStatistic", a.Extended
	}
	treat := a.TreatMissing
	if treat == "" {
		treat = "missing"
	}
	msg, err := json.Marshal(struct {
		AlarmName               string   `json:"AlarmName"`
		AlarmDescription        *string  `json:"AlarmDescription"`
		AWSAccountID            string   `json:"AWSAccountId"`
		ConfigurationUpdated    string   `json:"AlarmConfigurationUpdatedTimestamp"`
		NewStateValue           string   `json:"NewStateValue"`
		NewStateReason          string   `json:"NewStateReason"`
		StateChangeTime         string   `json:"StateChangeTime"`
		Region                  string   `json:"Region"`
		AlarmArn                string   `json:"AlarmArn"`
		OldStateValue           string   `json:"OldStateValue"`
		OKActions               []string `json:"OKActions"`
		AlarmActions            []string `json:"AlarmActions"`
		InsufficientDataActions []string `json:"InsufficientDataActions"`
		Trigger                 any      `json:"Trigger"`
	}{
		AlarmName: a.Name, AlarmDescription: description, AWSAccountID: s.account,
		ConfigurationUpdated: a.Configured.UTC().Format(notifyTime), NewStateValue: a.State, NewStateReason: a.Reason,
		StateChangeTime: t.UTC().Format(notifyTime), Region: place, AlarmArn: a.ARN, OldStateValue: old,
		OKActions: orEmpty(a.OKActions), AlarmActions: orEmpty(a.AlarmActions), InsufficientDataActions: orEmpty(a.InsufficientActions),
		Trigger: map[string]any{
			"MetricName": a.MetricName, "Namespace": a.Namespace, "StatisticType": statType, statType: stat,
			"Unit": unit, "Dimensions": dims, "Period": a.Period, "EvaluationPeriods": a.EvaluationPeriods,
			"ComparisonOperator": a.Comparison, "Threshold": a.Threshold, "TreatMissingData": treat,
			"EvaluateLowSampleCountPercentile": a.LowSample,
		},
	})
	if err != nil {
		return err
	}
	subject := fmt.Sprintf("%s: %q in %s", a.State, a.Name, place)
	return s.notifier.Publish(region, topic, subject, string(msg))
}

// notifyTime is how CloudWatch's notifications write times: 2026-12-07T06:01:00.000+0000.
const notifyTime = "2006-01-02T15:04:05.000-0700"

// javaDouble writes v as Java's Double.toString does, as AWS's messages quote values: 95.0,
// 0.5, 1.0E7, 1.2345E-4.
func javaDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, 64) // 1.2345e-04
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
