package cwsim

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the CloudWatch of one account: its metrics and alarms per region, the metrics the
// account's own resources produce, and the cost meter. It is safe for concurrent use: one lock
// guards it, and every value handed out is built fresh from the records.
type Store struct {
	mu        sync.RWMutex
	account   string
	clock     *core.Clock
	instances func() []Instance
	notifier  Notifier
	sources   []Source // other services' produced metrics: source.go
	st        state
	gen       uint64
}

// Notifier delivers alarm actions that name an SNS topic: Publish sends CloudWatch's
// notification to the topic (the simulator publishes it through its SNS, as the account),
// RegionName is a region's name as the notification writes it ("US East (N. Virginia)").
// Without Publish, SNS actions are recorded as failed, as the other actions are.
type Notifier struct {
	Publish    func(region, topic, subject, message string) error
	RegionName func(region string) string
	// Scale executes an Auto Scaling policy that an alarm action names (its ARN), for the
	// alarm called alarm that went to ALARM (or OK) at time at, with value its latest data
	// point (NaN when it has none) against threshold. Without it, Auto Scaling actions are
	// recorded as failed. It must not call CloudWatch: it runs under the store's lock.
	Scale func(region, policyARN, alarm string, value, threshold float64, at time.Time) error
}

// Notify sets how SNS alarm actions are delivered.
func (s *Store) Notify(n Notifier) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifier = n
}

// Instance is an EC2 instance as CloudWatch's produced metrics and the cost meter see it. The
// simulator passes a function that lists them to [NewStore]: CloudWatch reads EC2 through it,
// never EC2's store.
type Instance struct {
	ID, Region string
	Type       string
	Running    bool      // running now
	Launched   time.Time // when it was launched
	Terminated time.Time // zero unless it is terminated
	Hourly     int64     // its on-demand price an hour, in millionths of a US dollar; 0 unknown
	Detailed   bool      // detailed monitoring: one-minute metrics
	// MeterOnly marks a resource billed by the hour that has no AWS/EC2 metrics of its own
	// (a NAT gateway): the cost meter counts it, the produced metrics do not.
	MeterOnly bool
	// Group is the Auto Scaling group the instance belongs to ("" for none): its EC2 metrics
	// are also published with the dimension AutoScalingGroupName, aggregated over the group.
	Group string
}

// Load is what the simulator's load model says an instance is doing, from the moment it is
// set until it is set again: its CPU use (0 to 1), its network traffic in bytes a second,
// and whether its status check fails. An instance whose load was never set is idle: all zero.
type Load struct {
	CPU               float64
	NetworkIn         float64
	NetworkOut        float64
	StatusCheckFailed bool
}

// state is everything the store holds, as MarshalJSON writes it.
type state struct {
	Regions map[string]*regionState
	Meter   meter
}

type regionState struct {
	Metrics map[string]*series // by seriesKey
	Alarms  map[string]*alarm  // by name
	History []historyItem      // oldest first, at most maxHistory
}

// meter is how far the produced metrics and the cost meter have been played, and what they
// know: the loads set, the month's charges so far.
type meter struct {
	Through time.Time              // produced metrics and charges are in up to here
	Seen    bool                   // an instance has existed: billing metrics are published
	Month   string                 // the month Charges are of, "2026-12"
	Charges float64                // EC2's charges this month, in millionths of a US dollar
	Sourced time.Time              `json:",omitempty"` // the sources' data are in up to here
	Loads   map[string][]loadPoint `json:",omitempty"` // by instance ID, oldest first
}

type loadPoint struct {
	From time.Time
	Load Load
}

// NewStore returns an empty store for account. instances lists the account's EC2 instances
// in every region; nil means none.
func NewStore(account string, clock *core.Clock, instances func() []Instance) *Store {
	if instances == nil {
		instances = func() []Instance { return nil }
	}
	return &Store{account: account, clock: clock, instances: instances, st: newState()}
}

func newState() state { return state{Regions: map[string]*regionState{}} }

func newRegion() *regionState {
	return &regionState{Metrics: map[string]*series{}, Alarms: map[string]*alarm{}}
}

// Generation returns a number that changes with every change to the store's state.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// SetLoad sets the load of instance id from now on.
func (s *Store) SetLoad(id string, l Load) error {
	if l.CPU < 0 || l.CPU > 1 || l.NetworkIn < 0 || l.NetworkOut < 0 {
		return fmt.Errorf("cwsim: load of %s: CPU must be within 0 and 1 and traffic not negative, not %+v", id, l)
	}
	insts, src := s.instances(), s.gather()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.settle(now, insts, src)
	if s.st.Meter.Loads == nil {
		s.st.Meter.Loads = map[string][]loadPoint{}
	}
	pts := s.st.Meter.Loads[id]
	for len(pts) > 0 && !pts[len(pts)-1].From.Before(now) {
		pts = pts[:len(pts)-1]
	}
	s.st.Meter.Loads[id] = append(pts, loadPoint{From: now, Load: l})
	s.gen++
	return nil
}

// loadAt returns the load of an instance at t.
func (m *meter) loadAt(id string, t time.Time) Load {
	var l Load
	for _, p := range m.Loads[id] {
		if p.From.After(t) {
			break
		}
		l = p.Load
	}
	return l
}

// region returns a region's state, made if need be. s.mu is held for writing.
func (s *Store) region(name string) *regionState {
	r := s.st.Regions[name]
	if r == nil {
		r = newRegion()
		s.st.Regions[name] = r
	}
	return r
}

// read runs f under the write lock (the clock's work is played first: produced metrics,
// charges and alarm evaluations up to now) with a region's state, which may be empty.
func (s *Store) read(name string, f func(r *regionState, now time.Time) error) error {
	return s.write(name, func(r *regionState, now time.Time) (bool, error) { return false, f(r, now) })
}

// write runs f under the write lock, after the clock's work, with a region's state; f
// reports whether it changed anything.
func (s *Store) write(name string, f func(r *regionState, now time.Time) (bool, error)) error {
	// Before the lock: CloudWatch holds no lock while it reads EC2 and the other sources.
	insts, src := s.instances(), s.gather()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.settle(now, insts, src)
	r := s.st.Regions[name]
	if r == nil {
		r = newRegion()
	}
	changed, err := f(r, now)
	if err != nil || !changed {
		return err
	}
	s.st.Regions[name] = r
	s.gen++
	return nil
}

// Settle plays the clock's work up to now — produced metrics, charges, alarm evaluations
// and their actions — without a request: the simulator calls it when its clock moves, so
// that an alarm's notification arrives when its time comes, not at the next CloudWatch call.
func (s *Store) Settle() {
	insts, src := s.instances(), s.gather()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.clock.Now(), insts, src)
}

// settle plays the clock up to now: the metrics the account's instances and the other
// sources produced, the charges of the cost meter, and every alarm's evaluations. s.mu is
// held for writing.
func (s *Store) settle(now time.Time, insts []Instance, src sourced) {
	changed := s.produce(now, insts)
	if s.keep(src, now) {
		changed = true
	}
	for name, r := range s.st.Regions {
		for _, a := range r.Alarms {
			if s.evaluate(name, r, a, now) {
				changed = true
			}
		}
	}
	if changed {
		s.gen++
	}
}

// MarshalJSON writes the store's whole state.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(&s.st)
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON. A state that does
// not load leaves the store as it was.
func (s *Store) UnmarshalJSON(b []byte) error {
	st := newState()
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("cwsim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil {
			delete(st.Regions, name)
			continue
		}
		if r.Metrics == nil {
			r.Metrics = map[string]*series{}
		}
		if r.Alarms == nil {
			r.Alarms = map[string]*alarm{}
		}
		for k, m := range r.Metrics {
			if m == nil || m.key() != k {
				return fmt.Errorf("cwsim: load: metric %q of %s is not stored under its key", k, name)
			}
		}
		for k, a := range r.Alarms {
			if a == nil || a.Name != k {
				return fmt.Errorf("cwsim: load: alarm %q of %s is not stored under its name", k, name)
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}
