package efssim

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// EC2 runs an operation of EC2 (DescribeSubnets, DescribeSecurityGroups,
// DescribeAvailabilityZones, DescribeInstances) for EFS, with the SDK's input and output
// types. The simulator runs it through its door as the account, standing for the
// service-linked role AWSServiceRoleForAmazonElasticFileSystem through which EFS reads an
// account's network: the caller needs no EC2 permission.
type EC2 func(ctx context.Context, op string, in any) (any, error)

// Store is the EFS of one account: its file systems, mount targets and access points, per
// region. It is safe for concurrent use: one lock guards it, and every value handed out is
// built fresh from the records.
type Store struct {
	mu      sync.RWMutex
	account string
	clock   *core.Clock
	ids     *core.IDs
	ec2     EC2
	network world.Network // nil: no model of the network, mounts fail
	st      state
	gen     uint64
}

// NewStore returns an empty store for account, which reads subnets and security groups
// through ec2 and asks network whether an instance reaches a mount target.
func NewStore(account string, clock *core.Clock, ids *core.IDs, ec2 EC2, network world.Network) *Store {
	return &Store{account: account, clock: clock, ids: ids, ec2: ec2, network: network, st: newState()}
}

type state struct {
	Regions map[string]*regionState
}

func newState() state { return state{Regions: map[string]*regionState{}} }

// regionState is the resources of one region, by ID.
type regionState struct {
	FileSystems  map[string]*fileSystem  `json:",omitempty"`
	MountTargets map[string]*mountTarget `json:",omitempty"`
	AccessPoints map[string]*accessPoint `json:",omitempty"`
	// ShortIDs is the account's preference for the region (PutAccountPreferences SHORT_ID):
	// new file systems and mount targets get 8 hexadecimal digits, not 17.
	ShortIDs bool `json:",omitempty"`
}

func (r *regionState) empty() bool {
	return len(r.FileSystems) == 0 && len(r.MountTargets) == 0 && len(r.AccessPoints) == 0 && !r.ShortIDs
}

// newID returns a new file system or mount target ID in the region's preferred length.
func (s *Store) newID(r *regionState, prefix string) string {
	if r.ShortIDs {
		return s.ids.Hex(prefix, 8)
	}
	return s.ids.Hex(prefix, 17)
}

type tag struct{ Key, Value string }

type fileSystem struct {
	ID          string
	Token       string
	Created     time.Time
	Performance string
	Throughput  string
	Provisioned float64 `json:",omitempty"` // MiB/s, in provisioned mode
	Encrypted   bool
	KmsKeyID    string `json:",omitempty"`
	AZ          string `json:",omitempty"` // One Zone
	AZID        string `json:",omitempty"`
	Tags        []tag  `json:",omitempty"`
	Lifecycle   []lifecyclePolicy
	Policy      string `json:",omitempty"`
	Backup      string // ENABLED, DISABLED
	Protection  string // ReplicationOverwriteProtection: ENABLED
	// Throttled is when the throughput mode last changed or the provisioned throughput last
	// went down: neither may happen again for 24 hours.
	Throttled time.Time `json:",omitzero"`
	// Replication is the file system's replication as its source; ReplicaOf names the source
	// of a destination file system.
	Replication *replication `json:",omitempty"`
	ReplicaOf   *replicaOf   `json:",omitempty"`
	Status      string       // as of Since; see phase
	Since       time.Time
}

// replication is a replication configuration, kept on its source file system.
type replication struct {
	Created    time.Time
	Region     string // the destination's
	FileSystem string
	Role       string `json:",omitempty"`
}

type replicaOf struct{ Region, FileSystem string }

// replicationSync is how long a new replication is ENABLING before it is ENABLED (the
// destination file system made and the first copy done).
const replicationSync = 2 * time.Minute

type lifecyclePolicy struct {
	TransitionToIA, TransitionToArchive, TransitionToPrimaryStorageClass string `json:",omitempty"`
}

type mountTarget struct {
	ID             string
	FileSystem     string
	Subnet         string
	VPC            string
	AZ, AZID       string
	IP             string
	ENI            string
	SecurityGroups []string
	Status         string
	Since          time.Time
}

type accessPoint struct {
	ID         string
	FileSystem string
	Token      string
	Uid, Gid   *int64  `json:",omitempty"`
	Secondary  []int64 `json:",omitempty"`
	Path       string
	Owner      *creationInfo `json:",omitempty"`
	Tags       []tag         `json:",omitempty"`
	Status     string
	Since      time.Time
}

type creationInfo struct {
	Uid, Gid    int64
	Permissions string
}

// The simulated durations of EFS's lifecycle states. AWS's vary (a file system is available
// in seconds, a mount target in about a minute and a half); the simulator's are fixed so
// that a lab can wait for them with Cloud.Advance.
var phases = map[string]struct {
	d    time.Duration
	next string // "" for a resource that is gone
}{
	"creating":    {30 * time.Second, "available"},
	"updating":    {10 * time.Second, "available"},
	"deleting":    {30 * time.Second, ""},
	"mt-creating": {90 * time.Second, "available"},
	"mt-deleting": {60 * time.Second, ""},
	"ap-creating": {5 * time.Second, "available"},
	"ap-deleting": {5 * time.Second, ""},
}

// phase returns a status at now, following the chain of timed states of kind ("" for a file
// system, "mt-" for a mount target, "ap-" for an access point) from the recorded one; gone
// reports a resource whose deletion has ended. It is a function of the record and the time:
// reads change nothing.
func phase(kind, status string, since, now time.Time) (string, time.Time, bool) {
	for {
		p, ok := phases[kind+status]
		if !ok || now.Before(since.Add(p.d)) {
			return status, since, false
		}
		since = since.Add(p.d)
		if p.next == "" {
			return status, since, true
		}
		status = p.next
	}
}

func (f *fileSystem) phase(now time.Time) (string, bool) {
	st, _, gone := phase("", f.Status, f.Since, now)
	return st, gone
}

func (m *mountTarget) phase(now time.Time) (string, bool) {
	st, _, gone := phase("mt-", m.Status, m.Since, now)
	return st, gone
}

func (a *accessPoint) phase(now time.Time) (string, bool) {
	st, _, gone := phase("ap-", a.Status, a.Since, now)
	return st, gone
}

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

// Generation returns a number that moves with every change to the state, never on a read.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// read runs f under the read lock with a region's resources (an empty one when it has
// none). Resources whose deletion has ended are passed over by the readers.
func (s *Store) read(name string, f func(r *regionState) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.st.Regions[name]
	if r == nil {
		r = &regionState{}
	}
	return f(r)
}

// write runs f under the write lock with a region's resources, made if need be; the
// generation moves when f reports a change and succeeds. Resources whose deletion has ended
// are dropped first, which is itself a change.
func (s *Store) write(name string, f func(r *regionState) (bool, error)) error {
	return s.writeRegions([]string{name}, func(rs map[string]*regionState) (bool, error) { return f(rs[name]) })
}

// writeRegions is write for a change that spans regions (a replication's source and
// destination): f gets each region named, made if need be.
func (s *Store) writeRegions(names []string, f func(rs map[string]*regionState) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := map[string]*regionState{}
	reaped := false
	for _, name := range names {
		r := s.st.Regions[name]
		if r == nil {
			r = &regionState{}
		}
		if r.FileSystems == nil {
			r.FileSystems = map[string]*fileSystem{}
		}
		if r.MountTargets == nil {
			r.MountTargets = map[string]*mountTarget{}
		}
		if r.AccessPoints == nil {
			r.AccessPoints = map[string]*accessPoint{}
		}
		rs[name] = r
		reaped = s.reap(r) || reaped
	}
	changed, err := f(rs)
	if err != nil && !reaped || !changed && !reaped {
		return err
	}
	for name, r := range rs {
		if r.empty() {
			delete(s.st.Regions, name)
		} else {
			s.st.Regions[name] = r
		}
	}
	s.gen++
	return err
}

// reap drops the resources whose deletion has ended and reports whether there were any.
func (s *Store) reap(r *regionState) bool {
	now := s.clock.Now()
	n := 0
	for id, m := range r.MountTargets {
		if _, gone := m.phase(now); gone {
			delete(r.MountTargets, id)
			n++
		}
	}
	for id, a := range r.AccessPoints {
		if _, gone := a.phase(now); gone {
			delete(r.AccessPoints, id)
			n++
		}
	}
	for id, f := range r.FileSystems {
		if _, gone := f.phase(now); gone {
			delete(r.FileSystems, id)
			n++
		}
	}
	return n > 0
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
		return fmt.Errorf("efssim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil || r.empty() {
			delete(st.Regions, name)
			continue
		}
		for k, f := range r.FileSystems {
			if f == nil || f.ID != k {
				return fmt.Errorf("efssim: load: the file system saved under %q of %s is not named so", k, name)
			}
		}
		for k, m := range r.MountTargets {
			if m == nil || m.ID != k || r.FileSystems[m.FileSystem] == nil {
				return fmt.Errorf("efssim: load: the mount target saved under %q of %s is not named so or has no file system", k, name)
			}
		}
		for k, a := range r.AccessPoints {
			if a == nil || a.ID != k || r.FileSystems[a.FileSystem] == nil {
				return fmt.Errorf("efssim: load: the access point saved under %q of %s is not named so or has no file system", k, name)
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}
