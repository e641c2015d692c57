package cwsim

import (
	"math"
	"time"
)

// The metrics the account's own resources produce, and AWS's billing metric.
//
// EC2 publishes CPUUtilization (Percent), NetworkIn and NetworkOut (Bytes) and
// StatusCheckFailed, StatusCheckFailed_Instance and StatusCheckFailed_System (Count; the
// load model fails both checks at once) per instance, in AWS/EC2 with the dimension InstanceId, every
// five minutes (every minute with detailed monitoring), from the load model ([Load]).
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
//
// AWS/Billing's EstimatedCharges (USD, month to date) is in us-east-1 only, with the
// dimension Currency=USD and again with ServiceName=AmazonEC2, published every six hours
// once the account has had an instance, from a meter that prices each second an instance
// runs at its on-demand price.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/monitor_estimated_charges_with_cloudwatch.html

const (
	billingRegion = "us-east-1"
	billingEvery  = 6 * time.Hour
)

// produce plays the produced metrics and the cost meter from where they were up to now, and
// reports whether it added anything. s.mu is held for writing.
func (s *Store) produce(now time.Time, insts []Instance) bool {
	m := &s.st.Meter
	if len(insts) > 0 {
		m.Seen = true
	}
	start := m.Through
	if start.IsZero() {
		start = now
		for _, i := range insts {
			if i.Launched.Before(start) {
				start = i.Launched
			}
		}
	}
	if !now.After(start) {
		m.Through = start
		return false
	}
	changed := false
	for _, i := range insts {
		if !i.MeterOnly && s.produceInstance(i, start, now) {
			changed = true
		}
	}
	for seg := start; seg.Before(now); {
		b := seg.Truncate(billingEvery).Add(billingEvery)
		end := b
		if now.Before(end) {
			end = now
		}
		if month := seg.Format("2006-01"); m.Month != month {
			m.Month, m.Charges = month, 0
		}
		for _, i := range insts {
			if sec := runningSeconds(i, seg, end); sec > 0 && i.Hourly > 0 {
				m.Charges += sec * float64(i.Hourly) / 3600
				changed = true
			}
		}
		if end.Equal(b) && m.Seen {
			usd := math.Round(m.Charges/1e4) / 100
			r := s.region(billingRegion)
			for _, dims := range [][]dim{{{"Currency", "USD"}}, {{"Currency", "USD"}, {"ServiceName", "AmazonEC2"}}} {
				s.emit(r, "AWS/Billing", "EstimatedCharges", dims, "None", b, usd, now)
			}
			changed = true
		}
		seg = end
	}
	m.Through = now
	return changed
}

// runningSeconds is how long an instance ran within [from, to). A stopped instance is not
// known to have run since the meter last looked: its stop time is not kept.
func runningSeconds(i Instance, from, to time.Time) float64 {
	end := to
	switch {
	case !i.Terminated.IsZero():
		if i.Terminated.Before(end) {
			end = i.Terminated
		}
	case !i.Running:
		return 0
	}
	begin := from
	if i.Launched.After(begin) {
		begin = i.Launched
	}
	if !end.After(begin) {
		return 0
	}
	return end.Sub(begin).Seconds()
}

// produceInstance adds an instance's data points for the periods that ended within
// (from, now], at most two weeks of them.
func (s *Store) produceInstance(i Instance, from, now time.Time) bool {
	step := 5 * time.Minute
	if i.Detailed {
		step = time.Minute
	}
	if floor := now.Add(-pastLimit); from.Before(floor) {
		from = floor
	}
	r := s.region(i.Region)
	dims := []dim{{"InstanceId", i.ID}}
	changed := false
	for t := from.Truncate(step); !t.Add(step).After(now); t = t.Add(step) {
		if !t.Add(step).After(from) || runningSeconds(i, t, t.Add(time.Second)) == 0 {
			continue
		}
		l := s.st.Meter.loadAt(i.ID, t)
		failed := 0.0
		if l.StatusCheckFailed {
			failed = 1
		}
		sec := step.Seconds()
		s.emit(r, "AWS/EC2", "CPUUtilization", dims, "Percent", t, math.Round(l.CPU*100*1e6)/1e6, now)
		s.emit(r, "AWS/EC2", "NetworkIn", dims, "Bytes", t, math.Round(l.NetworkIn*sec), now)
		s.emit(r, "AWS/EC2", "NetworkOut", dims, "Bytes", t, math.Round(l.NetworkOut*sec), now)
		if i.Group != "" {
			// Each instance adds a point to its group's series: the period's statistics are
			// over the group's instances (Average is the group's average).
			// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html#ec2-cloudwatch-dimensions
			gd := []dim{{"AutoScalingGroupName", i.Group}}
			s.emit(r, "AWS/EC2", "CPUUtilization", gd, "Percent", t, math.Round(l.CPU*100*1e6)/1e6, now)
			s.emit(r, "AWS/EC2", "NetworkIn", gd, "Bytes", t, math.Round(l.NetworkIn*sec), now)
			s.emit(r, "AWS/EC2", "NetworkOut", gd, "Bytes", t, math.Round(l.NetworkOut*sec), now)
		}
		for _, name := range []string{"StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System"} {
			s.emit(r, "AWS/EC2", name, dims, "Count", t, failed, now)
		}
		changed = true
	}
	return changed
}

// emit adds one data point of a produced metric.
func (s *Store) emit(r *regionState, ns, name string, dims []dim, unit string, t time.Time, v float64, now time.Time) {
	s.add(r, ns, name, dims, unit, t, []float64{v}, nil, now)
}
