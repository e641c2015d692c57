package snssim

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the SNS of one account: its topics and subscriptions per region, and the log of
// what SNS delivered (the inboxes of email subscribers, the requests to HTTP endpoints). It is
// safe for concurrent use: one lock guards it, and every value handed out is a copy.
type Store struct {
	mu       sync.RWMutex
	account  string
	clock    *core.Clock
	ids      *core.IDs
	st       state
	gen      uint64
	policies sync.Map // policy text → *policy.Policy, the parsed topic policies
	filters  sync.Map // scope + "\x00" + policy text → *FilterPolicy
}

// NewStore returns an empty store for account.
func NewStore(account string, clock *core.Clock, ids *core.IDs) *Store {
	return &Store{account: account, clock: clock, ids: ids, st: newState()}
}

type state struct {
	Regions    map[string]*regionState
	Deliveries []Delivery `json:",omitempty"`
	Sequence   uint64     `json:",omitempty"` // the last number handed out to a delivery
}

func newState() state { return state{Regions: map[string]*regionState{}} }

// regionState is the topics and subscriptions of one region, keyed by ARN.
type regionState struct {
	Topics map[string]*topic        `json:",omitempty"`
	Subs   map[string]*subscription `json:",omitempty"`
}

func (r *regionState) empty() bool { return len(r.Topics) == 0 && len(r.Subs) == 0 }

type tag struct{ Key, Value string }

// topic is one topic; Attrs holds the attributes that were set (DisplayName, Policy,
// DeliveryPolicy, KmsMasterKeyId, FifoTopic, ContentBasedDeduplication, …), and the counts
// are computed from the subscriptions when asked.
type topic struct {
	Name    string
	ARN     string
	Attrs   map[string]string
	Tags    []tag `json:",omitempty"`
	Deleted int   // subscriptions removed, for SubscriptionsDeleted
	Created time.Time
	// Dedup is a FIFO topic's deduplication IDs of the last five minutes.
	Dedup map[string]dedup `json:",omitempty"`
	Seq   uint64           `json:",omitempty"` // a FIFO topic's last sequence number
}

type dedup struct {
	MessageID string
	Sequence  string
	At        time.Time
}

func (t *topic) fifo() bool { return t.Attrs["FifoTopic"] == "true" }

// subscription is one subscription. A subscription that needs confirming (email,
// email-json, http, https) holds its Token until confirmed.
type subscription struct {
	ARN       string
	Topic     string
	Protocol  string
	Endpoint  string
	Owner     string
	Principal string // the caller who subscribed
	Confirmed bool
	Token     string `json:",omitempty"`
	Attrs     map[string]string
	Created   time.Time
	// Authenticated is ConfirmationWasAuthenticated: confirmed by a signed call.
	Authenticated bool
}

// Delivery is one thing SNS sent, or would have sent, to an endpoint: a subscription's
// confirmation request or a notification. Email and email-json deliveries are the inboxes;
// the others are a record of the request that was (not) made.
type Delivery struct {
	Seq          uint64    // 1, 2, … in the order of delivery, across the account
	Kind         string    // SubscriptionConfirmation or Notification
	Protocol     string    // the subscription's
	Endpoint     string    // the address, URL or ARN
	Region       string    // the topic's
	TopicARN     string    //
	Subscription string    // the subscription's ARN
	MessageID    string    //
	At           time.Time //
	From         string    // email: the sender, "DisplayName <no-reply@sns.amazonaws.com>"
	Subject      string    // email: the subject line
	Body         string    // what was delivered: the mail's text, or the HTTP request's body
	Token        string    `json:",omitempty"` // a confirmation's token
	ConfirmURL   string    `json:",omitempty"` // a confirmation's link
	// Undeliverable says why the simulator did not deliver it (sqs, lambda, sms,
	// application: endpoints it does not simulate); empty when delivered.
	Undeliverable string `json:",omitempty"`
}

// maxDeliveries bounds the delivery log: past it (by up to a tenth), the oldest are dropped.
const maxDeliveries = 10000

// Account returns the store's account ID.
func (s *Store) Account() string { return s.account }

// Generation returns a number that moves with every change to the state, never on a read.
func (s *Store) Generation() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

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
// generation moves when f reports a change and succeeds.
func (s *Store) write(name string, f func(r *regionState) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.Regions[name]
	if r == nil {
		r = &regionState{Topics: map[string]*topic{}, Subs: map[string]*subscription{}}
	}
	if r.Topics == nil {
		r.Topics = map[string]*topic{}
	}
	if r.Subs == nil {
		r.Subs = map[string]*subscription{}
	}
	changed, err := f(r)
	if err != nil || !changed {
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

// deliver appends d to the log; the caller holds the write lock.
func (s *Store) deliver(d Delivery) {
	s.st.Sequence++
	d.Seq = s.st.Sequence
	s.st.Deliveries = append(s.st.Deliveries, d)
	// Trimmed a tenth at a time, so that a busy topic does not copy the log on every delivery.
	if n := len(s.st.Deliveries) - maxDeliveries; n > maxDeliveries/10 {
		s.st.Deliveries = append([]Delivery(nil), s.st.Deliveries[n:]...)
	}
}

// Deliveries returns the log of deliveries that keep reports, oldest first.
func (s *Store) Deliveries(keep func(*Delivery) bool) []Delivery {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Delivery
	for i := range s.st.Deliveries {
		if d := &s.st.Deliveries[i]; keep == nil || keep(d) {
			out = append(out, *d)
		}
	}
	return out
}

// topicPolicy returns the parsed policy of the topic arn, nil when there is no such topic or
// its policy does not parse.
func (s *Store) topicPolicy(region, arn string) *policy.Policy {
	var text string
	s.read(region, func(r *regionState) error {
		if t := r.Topics[arn]; t != nil {
			text = t.Attrs["Policy"]
		}
		return nil
	})
	if text == "" {
		return nil
	}
	if p, ok := s.policies.Load(text); ok {
		return p.(*policy.Policy)
	}
	p, err := policy.Parse(text, policy.Resource)
	if err != nil {
		return nil
	}
	s.policies.Store(text, p)
	return p
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
		return fmt.Errorf("snssim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil || r.empty() {
			delete(st.Regions, name)
			continue
		}
		for k, t := range r.Topics {
			if t == nil || t.ARN != k {
				return fmt.Errorf("snssim: load: the topic saved under %q of %s is not named so", k, name)
			}
			if t.Attrs == nil {
				t.Attrs = map[string]string{}
			}
		}
		for k, sub := range r.Subs {
			if sub == nil || sub.ARN != k {
				return fmt.Errorf("snssim: load: the subscription saved under %q of %s is not named so", k, name)
			}
			if r.Topics[sub.Topic] == nil {
				return fmt.Errorf("snssim: load: the subscription %q of %s is to no topic", k, name)
			}
			if sub.Attrs == nil {
				sub.Attrs = map[string]string{}
			}
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}

// uuid returns a random-looking UUID from the simulator's IDs, as SNS's message and
// subscription IDs are.
func (s *Store) uuid() string {
	h := s.ids.Hex("", 32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// filter returns a subscription's filter policy, parsed once per text and scope; nil when it
// has none. A policy stored is one that was checked when set.
func (s *Store) filter(sub *subscription) (*FilterPolicy, error) {
	text := sub.Attrs["FilterPolicy"]
	if text == "" {
		return nil, nil
	}
	key := sub.Attrs["FilterPolicyScope"] + "\x00" + text
	if p, ok := s.filters.Load(key); ok {
		return p.(*FilterPolicy), nil
	}
	p, err := ParseFilterPolicy(text, sub.Attrs["FilterPolicyScope"])
	if err != nil {
		return nil, err
	}
	s.filters.Store(key, p)
	return p, nil
}
