package cfnsim

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Call calls another service's operation through the simulator's door, authorized as the
// caller in ctx: CloudFormation makes a stack's resources with the caller's permissions, as
// AWS does for a stack without a service role.
type Call func(ctx context.Context, service, op string, in any) (any, error)

// Store is the CloudFormation of one account: its stacks, in every region. It is safe for
// concurrent use: one lock guards it, and every value handed out is a copy.
type Store struct {
	mu         sync.RWMutex
	account    string
	clock      *core.Clock
	ids        *core.IDs
	call       Call
	dbEndpoint DBEndpoint
	st         state
	gen        uint64
}

// NewStore returns an empty store for account; call makes the stacks' resources.
func NewStore(account string, clock *core.Clock, ids *core.IDs, call Call) *Store {
	return &Store{account: account, clock: clock, ids: ids, call: call}
}

type state struct {
	Stacks     []*stack     `json:",omitempty"` // in the order of creation, deleted ones too
	ChangeSets []*changeSet `json:",omitempty"` // in the order of creation
}

// stack is one stack. Its operations run at the call, and their events are stamped one
// second apart on the simulator's clock from the call's time: what the stack and its
// resources show is what the events up to the clock's now say, so that a stack is
// CREATE_IN_PROGRESS for as many seconds as it has resources to make.
type stack struct {
	ID, Name, Region string
	Body             string
	Description      string
	Params           []param
	Outputs          []output
	Resources        []*resource
	Events           []event
	Created          time.Time
	Deleted          time.Time `json:",omitzero"` // when its DELETE_COMPLETE event is due
	Busy             time.Time `json:",omitzero"` // when its current operation's last event is due
	Final            string    // the status of its last event
	Reason           string    `json:",omitempty"`
	Capabilities     []string  `json:",omitempty"`
	Tags             []tag     `json:",omitempty"`
	RoleARN          string    `json:",omitempty"`
	DisableRollback  bool      `json:",omitempty"`
	Protection       bool      `json:",omitempty"`
	Policy           string    `json:",omitempty"` // its stack policy
	Drift            *driftRun `json:",omitempty"` // its last drift detection
	Imports          []string  `json:",omitempty"`
	NotificationARNs []string  `json:",omitempty"`
	TimeoutInMinutes int32     `json:",omitempty"`
	LastUpdated      time.Time `json:",omitzero"`
	ResourceSeq      int       `json:",omitempty"`
}

type tag struct{ Key, Value string }

type param struct {
	Key, Value string
	NoEcho     bool   `json:",omitempty"`
	Resolved   string `json:",omitempty"` // an SSM parameter type's value
}

type output struct {
	Key, Value, Description, Export string
}

// resource is one resource of a stack. Ref is its Ref value, Attrs its Fn::GetAtt's.
type resource struct {
	Logical, Type, Physical string
	Ref                     string
	Attrs                   map[string]any    `json:",omitempty"`
	DeletionPolicy          string            `json:",omitempty"`
	Retained                bool              `json:",omitempty"`
	Deps                    []string          `json:",omitempty"` // the resources it depends on
	Extra                   map[string]string `json:",omitempty"` // what deleting it needs
	Props                   string            `json:",omitempty"` // its evaluated properties, for updates
}

// event is one stack event.
type event struct {
	ID, Logical, Physical, Type, Status, Reason string
	At                                          time.Time
	Props                                       string `json:",omitempty"`
	Seq                                         int
}

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

// Generation returns a number that moves with every change to the state, never on a read.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// MarshalJSON writes the store's whole state.
func (s *Store) MarshalJSON() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(&s.st)
}

// UnmarshalJSON replaces the store's state with one written by MarshalJSON.
func (s *Store) UnmarshalJSON(b []byte) error {
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	for _, k := range st.Stacks {
		if k == nil || k.ID == "" || k.Name == "" {
			return &json.UnsupportedValueError{Str: "a stack without an ID or a name"}
		}
	}
	for _, c := range st.ChangeSets {
		if c == nil || c.ID == "" || c.StackID == "" {
			return &json.UnsupportedValueError{Str: "a change set without an ID or a stack"}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}

// clone deep-copies a stack through JSON: stacks are small, and their values are JSON's.
func (k *stack) clone() *stack {
	b, _ := json.Marshal(k)
	var c stack
	_ = json.Unmarshal(b, &c)
	return &c
}

// visible is the stack's events up to now, newest first.
func (k *stack) visible(now time.Time) []event {
	var out []event
	for _, e := range k.Events {
		if !e.At.After(now) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b event) int { return b.Seq - a.Seq })
	return out
}

// status is the stack's status at now and its reason: its newest stack event's.
func (k *stack) status(now time.Time) (string, string) {
	// Events are kept in the order of their Seq: the newest visible is the last one due.
	for i := len(k.Events) - 1; i >= 0; i-- {
		if e := &k.Events[i]; !e.At.After(now) && e.Logical == k.Name && e.Type == stackType {
			return e.Status, e.Reason
		}
	}
	return "CREATE_IN_PROGRESS", ""
}

// resourceStatus is a resource's status at now, its reason and when it last changed; ok is
// false before its first event.
func (k *stack) resourceStatus(r *resource, now time.Time) (status, reason string, at time.Time, ok bool) {
	for i := len(k.Events) - 1; i >= 0; i-- {
		if e := &k.Events[i]; !e.At.After(now) && e.Logical == r.Logical && e.Type != stackType && (e.Physical == r.Physical || e.Physical == "") {
			return e.Status, e.Reason, e.At, true
		}
	}
	return "", "", time.Time{}, false
}

const stackType = "AWS::CloudFormation::Stack"
