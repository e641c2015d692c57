package rdssim

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// EC2 runs an operation of EC2 (DescribeSubnets, DescribeVpcs, DescribeSecurityGroups) for
// RDS, with the SDK's input and output types. The simulator runs it through its door as the
// account, standing for the service-linked role AWSServiceRoleForRDS through which RDS reads
// an account's network: the caller needs no EC2 permission.
type EC2 func(ctx context.Context, op string, in any) (any, error)

// Store is the RDS of one account: its DB instances, subnet groups, parameter groups and
// snapshots, per region. It is safe for concurrent use: one lock guards it, and every value
// handed out is built fresh from the records.
type Store struct {
	mu      sync.RWMutex
	account string
	clock   *core.Clock
	ids     *core.IDs
	ec2     EC2
	st      state
	gen     uint64
}

// NewStore returns an empty store for account, which reads the network through ec2.
func NewStore(account string, clock *core.Clock, ids *core.IDs, ec2 EC2) *Store {
	return &Store{account: account, clock: clock, ids: ids, ec2: ec2, st: newState()}
}

type state struct {
	Regions map[string]*regionState
}

func newState() state { return state{Regions: map[string]*regionState{}} }

// region is the resources of one region, keyed by their lower-case identifiers.
type regionState struct {
	Instances    map[string]*instance    `json:",omitempty"`
	SubnetGroups map[string]*subnetGroup `json:",omitempty"`
	ParamGroups  map[string]*paramGroup  `json:",omitempty"` // the account's own; defaults are not state
	Snapshots    map[string]*snapshot    `json:",omitempty"`
}

func (r *regionState) empty() bool {
	return len(r.Instances) == 0 && len(r.SubnetGroups) == 0 && len(r.ParamGroups) == 0 && len(r.Snapshots) == 0
}

type tag struct{ Key, Value string }

// instance is a DB instance: a record of what was asked for and of its state, not a database.
type instance struct {
	ID              string
	ResourceID      string // db-…
	Class           string
	Engine          string
	Version         string
	Username        string
	DBName          string `json:",omitempty"`
	Storage         int32
	StorageType     string
	Iops            int32 `json:",omitempty"`
	Port            int32
	SubnetGroup     string
	VPC             string
	AZ              string
	SecondaryAZ     string `json:",omitempty"`
	SecurityGroups  []string
	ParamGroup      string
	MultiAZ         bool
	Public          bool
	Protected       bool // DeletionProtection
	Encrypted       bool
	CopyTags        bool
	BackupRetention int32
	Status          string // as of Since; see phase
	Since           time.Time
	Created         time.Time
	Pending         *pending `json:",omitempty"`
	Tags            []tag    `json:",omitempty"`
}

// pending is what ModifyDBInstance changes at the next maintenance window (never, in the
// simulator's time) unless applied immediately.
type pending struct {
	Class           string `json:",omitempty"`
	Storage         int32  `json:",omitempty"`
	Version         string `json:",omitempty"`
	BackupRetention *int32 `json:",omitempty"`
	MultiAZ         *bool  `json:",omitempty"`
}

type subnetGroup struct {
	Name        string
	Description string
	VPC         string
	Subnets     []subnet
	Tags        []tag `json:",omitempty"`
}

type subnet struct{ ID, AZ string }

type paramGroup struct {
	Name        string
	Family      string
	Description string
	Tags        []tag `json:",omitempty"`
}

type snapshot struct {
	ID          string
	Instance    string
	ResourceID  string // the instance's
	Engine      string
	Version     string
	Username    string
	Storage     int32
	StorageType string
	Iops        int32 `json:",omitempty"`
	Port        int32
	VPC         string
	AZ          string
	Class       string
	Encrypted   bool
	Type        string // manual
	Created     time.Time
	Since       time.Time
	Status      string // creating → available
	InstanceAt  time.Time
	Tags        []tag `json:",omitempty"`
}

// The simulated durations of RDS's states. AWS's take minutes and vary with the instance; the
// simulator's are fixed so that a lab can wait for them with Cloud.Advance.
var phases = map[string]struct {
	d    time.Duration
	next string // "" for an instance that is gone
}{
	"creating":   {4 * time.Minute, "backing-up"},
	"backing-up": {2 * time.Minute, "available"},
	"modifying":  {time.Minute, "available"},
	"rebooting":  {time.Minute, "available"},
	"stopping":   {2 * time.Minute, "stopped"},
	"starting":   {3 * time.Minute, "available"},
	"deleting":   {2 * time.Minute, ""},
}

// snapshotTime is how long a snapshot stays "creating".
const snapshotTime = 2 * time.Minute

// phase returns the instance's status at now, following the chain of timed states from the
// recorded one, and when it entered it; gone reports an instance whose deletion has ended.
// It is a function of the record and the time: reads change nothing.
func (in *instance) phase(now time.Time) (status string, since time.Time, gone bool) {
	status, since = in.Status, in.Since
	for {
		p, ok := phases[status]
		if !ok || now.Before(since.Add(p.d)) {
			return status, since, false
		}
		since = since.Add(p.d)
		if p.next == "" {
			return "deleting", since, true
		}
		status = p.next
	}
}

// settle records the instance's current phase, before a change is made to it.
func (in *instance) settle(now time.Time) {
	in.Status, in.Since, _ = in.phase(now)
}

// snapStatus returns a snapshot's status at now.
func (s *snapshot) snapStatus(now time.Time) string {
	if s.Status == "creating" && !now.Before(s.Since.Add(snapshotTime)) {
		return "available"
	}
	return s.Status
}

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

// Generation returns a number that moves with every change to the state, never on a read.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// read runs f under the read lock with a region's resources (nil when it has none).
func (s *Store) read(name string, f func(r *regionState) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f(s.st.Regions[name])
}

// write runs f under the write lock with a region's resources, made if need be; the
// generation moves when f reports a change and succeeds. Instances whose deletion has ended
// are dropped first (their final snapshots made), which is itself a change.
func (s *Store) write(name string, f func(r *regionState) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.Regions[name]
	made := r == nil
	if made {
		r = &regionState{}
	}
	reaped := s.reap(r)
	changed, err := f(r)
	if err != nil && !reaped {
		return err
	}
	if !changed && !reaped {
		return err
	}
	if made && !r.empty() {
		s.st.Regions[name] = r
	}
	if r.empty() {
		delete(s.st.Regions, name)
	}
	s.gen++
	return err
}

// reap drops the instances whose deletion has ended and reports whether there were any.
func (s *Store) reap(r *regionState) bool {
	now := s.clock.Now()
	n := 0
	for id, in := range r.Instances {
		if _, _, gone := in.phase(now); gone {
			delete(r.Instances, id)
			n++
		}
	}
	return n > 0
}

// endpointHash is the 12 characters AWS puts between an instance's name and the region in
// its endpoint, one value per account and region.
func (s *Store) endpointHash(region string) string {
	h := fnv.New64a()
	h.Write([]byte(s.account + "/" + region))
	v := h.Sum64()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	for i := range b {
		b[i] = alphabet[v%36]
		v /= 36
		if v == 0 {
			v = h.Sum64() ^ uint64(i+1)*0x9e3779b97f4a7c15
		}
	}
	if b[0] >= '0' && b[0] <= '9' {
		b[0] = 'c'
	}
	return string(b)
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
		return fmt.Errorf("rdssim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil || r.empty() {
			delete(st.Regions, name)
			continue
		}
		for k, in := range r.Instances {
			if in == nil || in.ID != k {
				return fmt.Errorf("rdssim: load: the instance saved under %q of %s is not named so", k, name)
			}
		}
		for k, g := range r.SubnetGroups {
			if g == nil || g.Name != k {
				return fmt.Errorf("rdssim: load: the subnet group saved under %q of %s is not named so", k, name)
			}
		}
		for k, g := range r.ParamGroups {
			if g == nil || g.Name != k {
				return fmt.Errorf("rdssim: load: the parameter group saved under %q of %s is not named so", k, name)
			}
		}
		for k, sn := range r.Snapshots {
			if sn == nil || sn.ID != k {
				return fmt.Errorf("rdssim: load: the snapshot saved under %q of %s is not named so", k, name)
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}
