package asgsim

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Call runs another service's operation (EC2's RunInstances, CloudWatch's PutMetricAlarm),
// with the SDK's input and output types, through the simulator's door in the region of ctx.
// The simulator runs it as the account: it stands for the service-linked role
// AWSServiceRoleForAutoScaling, through which Auto Scaling acts, so the caller of Auto
// Scaling needs no EC2 permission.
type Call func(ctx context.Context, service, op string, in any) (any, error)

// Targets registers (register true) or deregisters instances with an Elastic Load Balancing
// target group, through ELBv2's RegisterTargets and DeregisterTargets; the simulator passes
// one that calls them through its door as the account.
type Targets func(ctx context.Context, register bool, targetGroupARN string, instanceIDs []string) error

// TargetHealth reads the health of instances in an ELBv2 target group (ELBv2's
// DescribeTargetHealth): each instance's state, "healthy", "unhealthy", "initial", "draining",
// "unused" or "unavailable". Groups whose health check type is ELB replace the instances it
// reports unhealthy.
type TargetHealth func(ctx context.Context, targetGroupARN string, instanceIDs []string) (map[string]string, error)

// Store is the Auto Scaling of one account: its launch configurations and groups, with their
// instances, activities, policies, scheduled actions and tags, per region. It is safe for
// concurrent use: one lock guards the records, every value handed out is built fresh, and a
// second lock lets one reconciliation at a time call the other services, never under the
// first.
type Store struct {
	mu       sync.RWMutex
	busy     sync.Mutex // held by the reconciliation, which calls other services without mu
	account  string
	clock    *core.Clock
	ids      *core.IDs
	call     Call
	targets  Targets
	health   TargetHealth
	profiles ProfileRole
	st       state
	gen      uint64
}

// NewStore returns an empty store for account, which acts on EC2 and CloudWatch through call
// and on target groups through targets (either may be nil: their actions then fail).
func NewStore(account string, clock *core.Clock, ids *core.IDs, call Call, targets Targets) *Store {
	return &Store{account: account, clock: clock, ids: ids, call: call, targets: targets, st: newState()}
}

// ProfileRole returns the ARN of the role in the IAM instance profile called nameOrARN (by
// name or ARN); ok is false when IAM has no such profile, roleARN "" when it holds no role.
type ProfileRole func(nameOrARN string) (roleARN string, ok bool)

// ResolveProfiles sets how instance profiles are read, for the iam:PassRole that a launch
// configuration with one needs. Call it before the store serves requests.
func (s *Store) ResolveProfiles(f ProfileRole) { s.profiles = f }

// ReadTargetHealth sets how ELB health checks are read; without it, a group's ELB health
// check finds every instance healthy. Call it before the store serves requests.
func (s *Store) ReadTargetHealth(h TargetHealth) { s.health = h }

type state struct {
	Regions map[string]*regionState
}

func newState() state { return state{Regions: map[string]*regionState{}} }

type regionState struct {
	Configs map[string]*launchConfig `json:",omitempty"`
	Groups  map[string]*group        `json:",omitempty"`
	// Deleted keeps the activities of deleted groups, for IncludeDeletedGroups.
	Deleted []*activity `json:",omitempty"`
}

func newRegion() *regionState {
	return &regionState{Configs: map[string]*launchConfig{}, Groups: map[string]*group{}}
}

func (r *regionState) empty() bool {
	return len(r.Configs) == 0 && len(r.Groups) == 0 && len(r.Deleted) == 0
}

// launchConfig is a launch configuration: RunInstances' parameters, kept as given.
type launchConfig struct {
	Name, ARN        string
	Image, Type      string
	Key              string   `json:",omitempty"`
	SecurityGroups   []string `json:",omitempty"`
	UserData         string   `json:",omitempty"`
	Profile          string   `json:",omitempty"`
	PublicIP         *bool    `json:",omitempty"`
	Monitoring       bool
	EbsOptimized     bool
	Created          time.Time
	BlockDevicesJSON json.RawMessage `json:",omitempty"` // []types.BlockDeviceMapping
}

type templateRef struct {
	ID, Name, Version string
}

type tag struct {
	Key, Value string
	Propagate  bool
}

// member is an instance of a group.
type member struct {
	ID          string
	Zone        string
	Subnet      string `json:",omitempty"`
	Lifecycle   string // Pending, InService, Terminating, Standby …
	Health      string // Healthy, Unhealthy
	Protected   bool
	Config      string       `json:",omitempty"` // its launch configuration
	Template    *templateRef `json:",omitempty"`
	Image, Type string
	Launched    time.Time
	Seq         uint64
	Activity    string `json:",omitempty"` // the activity of its launch or termination under way
	Wait        *wait  `json:",omitempty"` // its lifecycle action: hooks.go
	queued      bool   // its termination is under way in this round
}

type group struct {
	Name, ARN        string
	Created          time.Time
	Config           string       `json:",omitempty"`
	Template         *templateRef `json:",omitempty"`
	Mixed            bool         `json:",omitempty"` // the template came in a MixedInstancesPolicy
	Min, Max, Desire int32
	Zones            []string
	Subnets          []string          `json:",omitempty"`
	SubnetZone       map[string]string `json:",omitempty"` // each subnet's zone
	TargetGroups     []string          `json:",omitempty"`
	HealthCheck      string
	Grace            int32
	Cooldown         int32
	Termination      []string
	Protect          bool  // NewInstancesProtectedFromScaleIn
	Tags             []tag `json:",omitempty"`
	Members          map[string]*member
	Seq              uint64
	Activities       []*activity `json:",omitempty"` // newest first
	Policies         map[string]*policy
	Scheduled        map[string]*scheduled
	Hooks            map[string]*hook
	Refreshes        []*refresh           `json:",omitempty"` // newest first: refresh.go
	Suspended        map[string]string    `json:",omitempty"` // process → reason: processes.go
	Cause            string               `json:",omitempty"` // why the desired capacity last changed, for the next activity
	LastScaled       time.Time            `json:",omitempty"` // the end of the last scaling activity: the cooldown's start
	Deleting         bool                 `json:",omitempty"`
	FailedLaunch     string               `json:",omitempty"` // the last launch failure's message, so that it is recorded once
	Metrics          map[string]time.Time `json:",omitempty"` // the group metrics collected, each since when: metrics.go
}

type activity struct {
	ID          string
	Group       string
	GroupARN    string
	Description string
	Cause       string
	Details     string
	Status      string
	Message     string `json:",omitempty"`
	Start, End  time.Time
}

type policy struct {
	Name, ARN    string
	Type         string // SimpleScaling, StepScaling, TargetTrackingScaling
	Adjustment   string `json:",omitempty"`
	Scaling      *int32 `json:",omitempty"`
	MinMagnitude *int32 `json:",omitempty"`
	Cooldown     *int32 `json:",omitempty"`
	Aggregation  string `json:",omitempty"`
	Warmup       *int32 `json:",omitempty"`
	Enabled      bool
	StepsJSON    json.RawMessage `json:",omitempty"` // []types.StepAdjustment
	TargetJSON   json.RawMessage `json:",omitempty"` // *types.TargetTrackingConfiguration
	Alarms       []alarmRef      `json:",omitempty"` // the alarms that target tracking made, or that name the policy
}

type alarmRef struct{ Name, ARN string }

type scheduled struct {
	Name, ARN         string
	Start, End        time.Time
	Recurrence        string `json:",omitempty"`
	TimeZone          string `json:",omitempty"`
	Min, Max, Desired *int32
	Done              bool `json:",omitempty"` // a one-time action that ran
	Next              time.Time
}

// Generation returns a number that moves with every change to the state, never on a read.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// read runs f under the read lock with a region's records (empty when it has none).
func (s *Store) read(name string, f func(r *regionState) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.st.Regions[name]
	if r == nil {
		r = newRegion()
	}
	return f(r)
}

// write runs f under the write lock with a region's records, made if need be; f checks
// everything before it changes anything.
func (s *Store) write(name string, f func(r *regionState) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.Regions[name]
	if r == nil {
		r = newRegion()
	}
	if err := f(r); err != nil {
		return err
	}
	if r.empty() {
		delete(s.st.Regions, name)
	} else {
		s.st.Regions[name] = r
	}
	s.gen++
	return nil
}

func (s *Store) now() time.Time { return s.clock.Now().UTC() }

func (s *Store) arn(region, resource string) string {
	return "arn:aws:autoscaling:" + region + ":" + s.account + ":" + resource
}

// uuid returns a new identifier in the form AWS's ARNs and activity IDs use.
func (s *Store) uuid() string {
	b := s.ids.Bytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Active reports whether the account has a group anywhere: whether time passing may make
// Auto Scaling act.
func (s *Store) Active() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.st.Regions {
		if len(r.Groups) > 0 {
			return true
		}
	}
	return false
}

// regionNames returns the regions with records, sorted.
func (s *Store) regionNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for name, r := range s.st.Regions {
		if len(r.Groups) > 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
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
		return fmt.Errorf("asgsim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil {
			delete(st.Regions, name)
			continue
		}
		if r.Configs == nil {
			r.Configs = map[string]*launchConfig{}
		}
		if r.Groups == nil {
			r.Groups = map[string]*group{}
		}
		for k, c := range r.Configs {
			if c == nil || c.Name != k {
				return fmt.Errorf("asgsim: load: the launch configuration saved under %q of %s is not named so", k, name)
			}
		}
		for k, g := range r.Groups {
			if g == nil || g.Name != k {
				return fmt.Errorf("asgsim: load: the group saved under %q of %s is not named so", k, name)
			}
			g.init()
			for id, m := range g.Members {
				if m == nil || m.ID != id {
					return fmt.Errorf("asgsim: load: the instance saved under %q of group %s is not so", id, k)
				}
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}

// init makes a group's maps, for a group made or loaded.
func (g *group) init() {
	if g.Members == nil {
		g.Members = map[string]*member{}
	}
	if g.Policies == nil {
		g.Policies = map[string]*policy{}
	}
	if g.Scheduled == nil {
		g.Scheduled = map[string]*scheduled{}
	}
	if g.Hooks == nil {
		g.Hooks = map[string]*hook{}
	}
}
