package ssmsim

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the Parameter Store of one account: its parameters, per region. It is safe for
// concurrent use: one lock guards it, and every value handed out is built fresh from the
// records, never shared.
type Store struct {
	mu      sync.RWMutex
	account string
	clock   *core.Clock
	ids     *core.IDs // the cloud's generator: Parameter Store makes no IDs of its own yet
	images  func(region string) []Image
	st      state
	gen     uint64 // counts the changes to st
}

// Image is a public machine image of the simulator's EC2 catalog, as the public parameters
// (/aws/service/…) need it. The simulator wires EC2's catalog to [NewStore].
type Image struct {
	ID      string
	Name    string
	Owner   string // the owning account
	Arch    string // x86_64 or arm64
	Windows bool
	Created time.Time
}

// state is everything the store holds, in the form MarshalJSON writes.
type state struct {
	Regions map[string]*regionState
}

// regionState is the parameters of one region, keyed by [key].
type regionState struct {
	Parameters map[string]*parameter
}

// parameter is one parameter: its versions, oldest first (at most [maxVersions]), and its tags.
type parameter struct {
	Name     string // as it was created: "/app/db/url" or "url"
	Versions []*version
	Tags     []tag
}

// version is one version of a parameter: its value and everything PutParameter set with it.
type version struct {
	Version        int64
	Value          string // the plain value, SecureStrings included
	Type           string
	Description    string `json:",omitempty"`
	AllowedPattern string `json:",omitempty"`
	KeyID          string `json:",omitempty"` // SecureStrings only
	DataType       string
	Tier           string
	Policies       []policy `json:",omitempty"`
	Labels         []string `json:",omitempty"`
	Modified       time.Time
	User           string // the ARN of who made it
}

// policy is one parameter policy, as PutParameter took it.
type policy struct {
	Type string
	Text string // the policy's JSON, as given
}

type tag struct{ Key, Value string }

// NewStore returns an empty store for account. images lists the public images of a region,
// which the public parameters resolve to; nil means none.
func NewStore(account string, clock *core.Clock, ids *core.IDs, images func(region string) []Image) *Store {
	if images == nil {
		images = func(string) []Image { return nil }
	}
	return &Store{account: account, clock: clock, ids: ids, images: images, st: newState()}
}

func newState() state { return state{Regions: map[string]*regionState{}} }

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

// Generation returns a number that changes with every change to the store's state, and only
// then: whoever saves the state saves it again when the number moved.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// read runs f under the read lock with the parameters of a region, which may be nil.
func (s *Store) read(name string, f func(r *regionState) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f(s.st.Regions[name])
}

// write runs f under the write lock with the parameters of a region, made if need be. f
// reports whether it changed anything; the generation moves when it did and f succeeded.
func (s *Store) write(name string, f func(r *regionState) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.Regions[name]
	made := r == nil
	if made {
		r = &regionState{Parameters: map[string]*parameter{}}
	}
	changed, err := f(r)
	if err != nil || !changed {
		return err
	}
	if made {
		s.st.Regions[name] = r
	}
	if len(r.Parameters) == 0 {
		delete(s.st.Regions, name)
	}
	s.gen++
	return nil
}

// get returns the parameter named name (by its key) in r, which may be nil.
func (r *regionState) get(name string) *parameter {
	if r == nil {
		return nil
	}
	return r.Parameters[key(name)]
}

// current is the parameter's latest version.
func (p *parameter) current() *version { return p.Versions[len(p.Versions)-1] }

// version returns version n of the parameter, or nil.
func (p *parameter) version(n int64) *version {
	for _, v := range p.Versions {
		if v.Version == n {
			return v
		}
	}
	return nil
}

// labeled returns the version that carries label, or nil. Labels are case-sensitive.
func (p *parameter) labeled(label string) *version {
	for _, v := range p.Versions {
		if slices.Contains(v.Labels, label) {
			return v
		}
	}
	return nil
}

// sorted returns the parameters of r in name order.
func (r *regionState) sorted() []*parameter {
	if r == nil {
		return nil
	}
	out := make([]*parameter, 0, len(r.Parameters))
	for _, p := range r.Parameters {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *parameter) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// arn returns the ARN of an account parameter: "parameter/a/b" for "/a/b", and
// "parameter/a" for "a" as for "/a".
func (s *Store) arn(region, name string) string {
	return parameterARN(region, s.account, name)
}

func parameterARN(region, account, name string) string {
	return "arn:aws:ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(name, "/")
}
