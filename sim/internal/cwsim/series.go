package cwsim

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// series is one metric: a namespace, a name and a set of dimensions, and its data points.
type series struct {
	Namespace, Name string
	Dims            []dim   // sorted by name
	Points          []point // by time, oldest first
	Last            time.Time
}

type dim struct{ Name, Value string }

// point is what one datum of PutMetricData brought: a statistic set, its unit, and the
// values themselves where it gave them (for percentiles).
type point struct {
	T          time.Time
	Unit       string
	Count      float64
	Sum        float64
	Min, Max   float64
	Values     []float64 `json:",omitempty"`
	Counts     []float64 `json:",omitempty"`
	Resolution int32     `json:",omitempty"` // 1 for high resolution
}

// retention is how long data points are kept: AWS keeps one-hour aggregates for 15 months.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention
const retention = 455 * 24 * time.Hour

// maxPoints bounds the points of one series (give or take an eighth), the oldest going first: the simulator keeps
// every point as it came, not AWS's roll-ups.
const maxPoints = 100_000

func seriesKey(ns, name string, dims []dim) string {
	var b strings.Builder
	b.WriteString(ns)
	b.WriteByte(0)
	b.WriteString(name)
	for _, d := range dims {
		b.WriteByte(0)
		b.WriteString(d.Name)
		b.WriteByte(1)
		b.WriteString(d.Value)
	}
	return b.String()
}

func (m *series) key() string { return seriesKey(m.Namespace, m.Name, m.Dims) }

func dimsIn(ds []types.Dimension) []dim {
	out := make([]dim, len(ds))
	for i, d := range ds {
		out[i] = dim{aws.ToString(d.Name), aws.ToString(d.Value)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func dimsOut(ds []dim) []types.Dimension {
	out := make([]types.Dimension, len(ds))
	for i, d := range ds {
		out[i] = types.Dimension{Name: aws.String(d.Name), Value: aws.String(d.Value)}
	}
	return out
}

// add inserts p in time order and lets the oldest points go: those past retention, and
// beyond maxPoints, an eighth at a time so that a full series costs no more to add to.
func (m *series) add(p point, now time.Time) {
	i := sort.Search(len(m.Points), func(i int) bool { return m.Points[i].T.After(p.T) })
	m.Points = slices.Insert(m.Points, i, p)
	cut := 0
	if len(m.Points) > maxPoints+maxPoints/8 {
		cut = len(m.Points) - maxPoints
	}
	for cut < len(m.Points) && now.Sub(m.Points[cut].T) > retention {
		cut++
	}
	if cut > 0 {
		m.Points = slices.Delete(m.Points, 0, cut)
	}
}

// window returns the points with from ≤ T < to.
func (m *series) window(from, to time.Time) []point {
	i := sort.Search(len(m.Points), func(i int) bool { return !m.Points[i].T.Before(from) })
	j := sort.Search(len(m.Points), func(j int) bool { return !m.Points[j].T.Before(to) })
	if i >= j {
		return nil
	}
	return m.Points[i:j]
}

// agg is the statistics of the points of one period.
type agg struct {
	Count, Sum, Min, Max float64
	values, counts       []float64
	Unit                 string
	n                    int // points
}

func (a *agg) add(p point) {
	if a.n == 0 {
		a.Min, a.Max = p.Min, p.Max
	} else {
		a.Min, a.Max = math.Min(a.Min, p.Min), math.Max(a.Max, p.Max)
	}
	a.n++
	a.Count += p.Count
	a.Sum += p.Sum
	a.values = append(a.values, p.Values...)
	a.counts = append(a.counts, p.Counts...)
	a.Unit = p.Unit
}

// merge adds the points of b.
func (a *agg) merge(b *agg) {
	if b.n == 0 {
		return
	}
	if a.n == 0 {
		a.Min, a.Max = b.Min, b.Max
	} else {
		a.Min, a.Max = math.Min(a.Min, b.Min), math.Max(a.Max, b.Max)
	}
	a.n += b.n
	a.Count += b.Count
	a.Sum += b.Sum
	a.values = append(a.values, b.values...)
	a.counts = append(a.counts, b.counts...)
	a.Unit = b.Unit
}

// stat returns a statistic of the period: SampleCount, Average, Sum, Minimum, Maximum, or a
// percentile pNN(.NN); ok is false when it cannot be computed (a percentile of points sent as
// statistic sets only).
func (a *agg) stat(name string) (float64, bool) {
	switch name {
	case "SampleCount":
		return a.Count, true
	case "Sum":
		return a.Sum, true
	case "Minimum":
		return a.Min, true
	case "Maximum":
		return a.Max, true
	case "Average":
		if a.Count == 0 {
			return 0, false
		}
		return a.Sum / a.Count, true
	}
	q, ok := percentile(name)
	if !ok || len(a.values) == 0 {
		return 0, false
	}
	return a.percentile(q), true
}

// percentile is the nearest-rank percentile q (0–100) of the values, weighted by their counts.
func (a *agg) percentile(q float64) float64 {
	type vc struct{ v, c float64 }
	vs := make([]vc, len(a.values))
	total := 0.0
	for i, v := range a.values {
		c := 1.0
		if i < len(a.counts) {
			c = a.counts[i]
		}
		vs[i] = vc{v, c}
		total += c
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].v < vs[j].v })
	rank := math.Ceil(q / 100 * total)
	acc := 0.0
	for _, x := range vs {
		acc += x.c
		if acc >= rank {
			return x.v
		}
	}
	return vs[len(vs)-1].v
}

// percentile parses an extended statistic "p99" or "p99.9": p followed by 0 to 100 with at
// most two decimals.
func percentile(s string) (float64, bool) {
	num, ok := strings.CutPrefix(s, "p")
	if !ok || num == "" || len(num) > 6 {
		return 0, false
	}
	whole, frac, dotted := strings.Cut(num, ".")
	if whole == "" || len(whole) > 3 || dotted && (frac == "" || len(frac) > 2) {
		return 0, false
	}
	q := 0.0
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, false
		}
		q = q*10 + float64(c-'0')
	}
	scale := 0.1
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, false
		}
		q += float64(c-'0') * scale
		scale /= 10
	}
	return q, q <= 100
}

// buckets aggregates the points of [from, to) into periods of period seconds aligned on
// from, one agg per period that has data, by unit when unit is "" (AWS answers a datapoint
// per unit), else of that unit only.
func buckets(pts []point, from time.Time, period int64, unit string) map[int64]map[string]*agg {
	out := map[int64]map[string]*agg{}
	for _, p := range pts {
		if unit != "" && p.Unit != unit {
			continue
		}
		k := int64(p.T.Sub(from)/time.Second) / period
		byUnit := out[k]
		if byUnit == nil {
			byUnit = map[string]*agg{}
			out[k] = byUnit
		}
		a := byUnit[p.Unit]
		if a == nil {
			a = &agg{}
			byUnit[p.Unit] = a
		}
		a.add(p)
	}
	return out
}
