package cwsim

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/awsxlab/awsx/sim/internal/world"
)

// The metrics other services produce: Elastic Load Balancing's AWS/ApplicationELB from the
// requests its load balancers answer and its targets' health, Auto Scaling's group metrics.
// Each service is a [Source] the simulator gives the store ([Store.AddSource]); CloudWatch
// asks them, as it reads EC2's instances, before it takes its lock, and keeps each minute's
// data points ([world.Datum]) once, when the minute has ended.

// A Source lists the data points a service produced for the minutes that ended within
// (from, to], from being at most two weeks before to (what CloudWatch takes of the past). It
// is called without the store's lock held, and must not call CloudWatch.
type Source func(from, to time.Time) []world.Datum

// AddSource adds a service's produced metrics. Call it before the store serves requests.
func (s *Store) AddSource(src Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sources = append(s.sources, src)
}

// sourced is what the sources answered, before the lock: their data up to To.
type sourced struct {
	To   time.Time
	Data []world.Datum
}

// gather asks the sources for their data since the store last kept theirs, up to now. It
// takes the read lock only to read where that was.
func (s *Store) gather() sourced {
	s.mu.RLock()
	from, srcs := s.st.Meter.Sourced, s.sources
	s.mu.RUnlock()
	if len(srcs) == 0 {
		return sourced{}
	}
	out := sourced{To: s.clock.Now()}
	if floor := out.To.Add(-pastLimit); from.IsZero() || from.Before(floor) {
		from = floor.Truncate(world.Minute)
	}
	for _, src := range srcs {
		out.Data = append(out.Data, src(from, out.To)...)
	}
	return out
}

// keep adds what the sources produced for the minutes that ended since the store last kept
// theirs, and reports whether it added anything. Data another request kept already (two
// requests gathered at once) are passed over. s.mu is held for writing.
func (s *Store) keep(in sourced, now time.Time) bool {
	m := &s.st.Meter
	through := m.Sourced
	changed := false
	for _, d := range in.Data {
		end := d.T.Add(world.Minute)
		if !end.After(through) || end.After(in.To) || end.After(now) || now.Sub(d.T) > pastLimit || len(d.Values) == 0 {
			continue
		}
		if d.Counts != nil && len(d.Counts) != len(d.Values) {
			continue
		}
		dims := make([]dim, len(d.Dimensions))
		for i, x := range d.Dimensions {
			dims[i] = dim{x.Name, x.Value}
		}
		sort.Slice(dims, func(i, j int) bool { return dims[i].Name < dims[j].Name })
		s.add(s.region(d.Region), d.Namespace, d.Name, dims, d.Unit, d.T, d.Values, d.Counts, now)
		changed = true
	}
	if in.To.After(m.Sourced) && !in.To.After(now) {
		m.Sourced = in.To // as the meter's Through: a change saved with the next one
	}
	return changed
}

// add adds one data point of a produced metric with its values and their counts.
func (s *Store) add(r *regionState, ns, name string, dims []dim, unit string, t time.Time, values, counts []float64, now time.Time) {
	p := point{T: t, Unit: unit, Min: math.Inf(1), Max: math.Inf(-1), Values: slices.Clone(values), Counts: slices.Clone(counts)}
	if p.Counts == nil {
		p.Counts = make([]float64, len(values))
		for i := range p.Counts {
			p.Counts[i] = 1
		}
	}
	for i, v := range values {
		p.Count += p.Counts[i]
		p.Sum += v * p.Counts[i]
		p.Min, p.Max = math.Min(p.Min, v), math.Max(p.Max, v)
	}
	key := seriesKey(ns, name, dims)
	m := r.Metrics[key]
	if m == nil {
		m = &series{Namespace: ns, Name: name, Dims: dims}
		r.Metrics[key] = m
	}
	m.add(p, now)
	m.Last = now
}
