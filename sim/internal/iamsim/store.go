package iamsim

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the identity state of one account. It is safe for concurrent use: one lock guards
// it, and every value handed out is built fresh from the records, never shared.
type Store struct {
	mu      sync.RWMutex
	gen     core.Generation // bumped with every write lock
	account string
	clock   *core.Clock
	ids     *core.IDs
	st      state
	ix      index // index.go: derived from st
}

// state is everything the store holds, in the form Save and Load write. Names are keyed in
// lower case: IAM names are unique regardless of case.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
type state struct {
	Created          time.Time
	Users            map[string]*user
	Groups           map[string]*group
	Roles            map[string]*role
	Policies         map[string]*managedPolicy // customer managed, by ARN
	InstanceProfiles map[string]*instanceProfile
	Keys             map[string]*accessKey // by access key ID
	Sessions         map[string]*session   // by temporary access key ID
	Account          accountState          // account.go: password policy, aliases, MFA, keys, certificates

	// Identity providers, by ARN (oidc.go, saml.go).
	OIDCProviders map[string]*oidcProvider
	SAMLProviders map[string]*samlProvider
}

type principalCommon struct {
	Name     string
	Path     string
	ID       string
	Created  time.Time
	Inline   map[string]*document // by policy name
	Attached []string             // managed policy ARNs, in attach order
	Boundary string               // permissions boundary policy ARN
	Tags     []tag
}

type tag struct{ Key, Value string }

type user struct {
	principalCommon
	Login *loginProfile
}

type loginProfile struct {
	Created       time.Time
	ResetRequired bool
	Password      string    // hashed; see hashPassword
	Changed       time.Time // when the password was last set
	History       []string  // earlier hashes, newest last, for the policy's reuse prevention
}

type group struct {
	principalCommon
	Members []string // user names, in the order they were added
}

type role struct {
	principalCommon
	Trust       *document
	Description string
	MaxSession  int32
}

type managedPolicy struct {
	Name, Path, ID, ARN, Description string
	Created, Updated                 time.Time
	Versions                         []*policyVersion
	Default                          string
	NextVersion                      int
	Tags                             []tag
}

type policyVersion struct {
	ID      string
	Doc     *document
	Created time.Time
}

type instanceProfile struct {
	Name, Path, ID string
	Created        time.Time
	Roles          []string
	Tags           []tag
}

type accessKey struct {
	ID, Secret, User string
	Active           bool
	Created          time.Time
	LastUsed         time.Time
	LastService      string
	LastRegion       string
}

type session struct {
	KeyID, Secret, Token string
	Expires              time.Time
	User                 string // GetSessionToken: the user, "" for root
	Root                 bool
	Role                 string // AssumeRole: the role's name
	RoleID               string
	Name                 string // role session name
	Policy               *document
	PolicyARNs           []string
	Tags                 []tag
	MFA                  time.Time // when its MFA code was checked; zero without MFA (mfa.go)
	// Federated is the name of a GetFederationToken session's federated user; User is then
	// the IAM user who asked for it (federation.go).
	Federated string
}

// document is a policy text with its parsed form; the parsed form is rebuilt on Load.
type document struct {
	Text   string
	parsed *policy.Policy
}

// NewStore returns an empty store for account.
func NewStore(account string, clock *core.Clock, ids *core.IDs) *Store {
	s := &Store{account: account, clock: clock, ids: ids}
	s.st = newState()
	s.st.Created = clock.Now()
	s.ix = newIndex(&s.st)
	return s
}

func newState() state {
	return state{
		Users:            map[string]*user{},
		Groups:           map[string]*group{},
		Roles:            map[string]*role{},
		Policies:         map[string]*managedPolicy{},
		InstanceProfiles: map[string]*instanceProfile{},
		Keys:             map[string]*accessKey{},
		Sessions:         map[string]*session{},
		Account:          newAccountState(),
		OIDCProviders:    map[string]*oidcProvider{},
		SAMLProviders:    map[string]*samlProvider{},
	}
}

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

func key(name string) string { return strings.ToLower(name) }

func (s *Store) arn(kind, path, name string) string {
	return "arn:aws:iam::" + s.account + ":" + kind + path + name
}

func (s *Store) user(name string) (*user, error) {
	u, ok := s.st.Users[key(name)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "The user with name %s cannot be found.", name)
	}
	return u, nil
}

func (s *Store) group(name string) (*group, error) {
	g, ok := s.st.Groups[key(name)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "The group with name %s cannot be found.", name)
	}
	return g, nil
}

func (s *Store) role(name string) (*role, error) {
	r, ok := s.st.Roles[key(name)]
	if !ok {
		return nil, core.Errorf(NoSuchEntity, "The role with name %s cannot be found.", name)
	}
	return r, nil
}

// groupsOf returns the groups u belongs to, in name order.
func (s *Store) groupsOf(name string) []*group {
	// Every request of a user asks this: only the user's groups are sorted, not all of them.
	k := key(name)
	var keys []string
	for gk, g := range s.st.Groups {
		if slices.ContainsFunc(g.Members, func(m string) bool { return key(m) == k }) {
			keys = append(keys, gk)
		}
	}
	slices.Sort(keys)
	out := make([]*group, len(keys))
	for i, gk := range keys {
		out[i] = s.st.Groups[gk]
	}
	return out
}

// Generation changes with every change to the store's state, and never on a read.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// update runs f, under the write lock, on what find finds by key.
func update[T any](s *Store, find func(string) (T, error), key string, f func(T) error) error {
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	e, err := find(key)
	if err != nil {
		return err
	}
	return f(e)
}
