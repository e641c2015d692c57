package elbsim

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// EC2 runs an operation of EC2 (DescribeSubnets, DescribeSecurityGroups, DescribeVpcs,
// DescribeInstances) for ELB, with the SDK's input and output types. The simulator runs it
// through its door as the account, standing for the service-linked role
// AWSServiceRoleForElasticLoadBalancing: the caller needs no EC2 permission.
type EC2 func(ctx context.Context, op string, in any) (any, error)

// Store is the Elastic Load Balancing (v2) of one account: its load balancers, target
// groups, listeners and rules, per region. It is safe for concurrent use: one lock guards it,
// and every value handed out is built fresh from the records.
type Store struct {
	mu      sync.RWMutex
	account string
	clock   *core.Clock
	ids     *core.IDs
	ec2     EC2
	net     world.Network // nil: every flow gets through
	hosts   world.Hosts   // nil: nothing listens
	certs   Certificates  // IAM's server certificates; nil: none exists
	st      state
	gen     uint64
}

// NewStore returns an empty store for account, which reads the network through ec2, asks
// net whether flows get through and hosts what listens on the instances.
func NewStore(account string, clock *core.Clock, ids *core.IDs, ec2 EC2, net world.Network, hosts world.Hosts) *Store {
	return &Store{account: account, clock: clock, ids: ids, ec2: ec2, net: net, hosts: hosts, st: newState()}
}

type state struct {
	Regions map[string]*regionState
	// Turns is the round robin's position of each target group (and of each weighted forward
	// action over several groups): state, so that requests from one process after another
	// (`awsx sim curl` run again and again) go to the targets in turn.
	Turns map[string]uint64 `json:",omitempty"`
	// Traffic is the Application Load Balancers' requests counted a minute at a time, for
	// their CloudWatch metrics (metrics.go), by minute, load balancer, target group and zone.
	Traffic map[string]*tally `json:",omitempty"`
}

func newState() state { return state{Regions: map[string]*regionState{}} }

// regionState is the resources of one region, keyed by ARN.
type regionState struct {
	LBs       map[string]*loadBalancer `json:",omitempty"`
	TGs       map[string]*targetGroup  `json:",omitempty"`
	Listeners map[string]*listener     `json:",omitempty"`
	Rules     map[string]*rule         `json:",omitempty"`
}

func (r *regionState) empty() bool {
	return len(r.LBs) == 0 && len(r.TGs) == 0 && len(r.Listeners) == 0 && len(r.Rules) == 0
}

type tag struct{ Key, Value string }

// loadBalancer is an Application or Network Load Balancer.
type loadBalancer struct {
	ARN            string
	Name           string
	Type           string // application | network
	Scheme         string // internet-facing | internal
	IPType         string // ipv4 | dualstack
	VPC            string
	Subnets        []subnet
	SecurityGroups []string `json:",omitempty"`
	DNSName        string
	Created        time.Time
	Attributes     map[string]string
	Tags           []tag `json:",omitempty"`
}

// subnet is one of a load balancer's subnets: its node's zone and private address.
type subnet struct {
	ID, AZ, CIDR string
	Node         string // the node's private IPv4 address
}

// provisionTime is how long a load balancer stays "provisioning": AWS's take a few minutes;
// the simulator's is fixed so that a lab can wait for it with Cloud.Advance.
const provisionTime = 3 * time.Minute

// state returns the load balancer's state at now.
func (lb *loadBalancer) state(now time.Time) string {
	if now.Before(lb.activeAt()) {
		return "provisioning"
	}
	return "active"
}

func (lb *loadBalancer) activeAt() time.Time { return lb.Created.Add(provisionTime) }

// kind is the load balancer's type as its ARN and listener ARNs spell it.
func (lb *loadBalancer) kind() string {
	if lb.Type == "network" {
		return "net"
	}
	return "app"
}

// targetGroup is a target group with its registered targets.
type targetGroup struct {
	ARN             string
	Name            string
	TargetType      string // instance | ip | lambda | alb
	Protocol        string `json:",omitempty"`
	ProtocolVersion string `json:",omitempty"`
	Port            int32  `json:",omitempty"`
	VPC             string `json:",omitempty"`
	IPType          string `json:",omitempty"`
	Health          healthCheck
	Attributes      map[string]string
	Targets         []target `json:",omitempty"`
	// InUse is when a listener or rule of a load balancer first forwarded to the group since
	// it last forwarded to none: its health checks start then. Zero while unused.
	InUse   time.Time `json:",omitempty"`
	Created time.Time
	Tags    []tag `json:",omitempty"`
}

type healthCheck struct {
	Enabled   bool
	Protocol  string `json:",omitempty"`
	Port      string // "traffic-port" or a number
	Path      string `json:",omitempty"`
	Interval  int32
	Timeout   int32
	Healthy   int32
	Unhealthy int32
	Matcher   string `json:",omitempty"` // HTTP codes: "200", "200-399", "200,302"
}

// target is a registered target, or one draining since Deregistered.
type target struct {
	ID           string // i-…, an IP address or a Lambda function's ARN
	Port         int32  `json:",omitempty"`
	AZ           string `json:",omitempty"` // "all" or a zone, for IP targets outside the VPC
	Registered   time.Time
	Deregistered time.Time `json:",omitempty"`
}

// draining reports whether the target is being deregistered at now; gone whether its
// deregistration delay has passed.
func (t *target) draining(now time.Time, delay time.Duration) (draining, gone bool) {
	if t.Deregistered.IsZero() {
		return false, false
	}
	if now.Before(t.Deregistered.Add(delay)) {
		return true, false
	}
	return false, true
}

// listener listens on a load balancer's port.
type listener struct {
	ARN          string
	LB           string // its load balancer's ARN
	Protocol     string
	Port         int32
	Actions      []action
	Certificates []string `json:",omitempty"` // the default certificate
	Extra        []string `json:",omitempty"` // the certificates AddListenerCertificates added
	SSLPolicy    string   `json:",omitempty"`
	DefaultRule  string   // the ARN of its default rule
	Created      time.Time
	Tags         []tag `json:",omitempty"`
}

// rule is one of a listener's rules; the default rule's actions are the listener's.
type rule struct {
	ARN        string
	Listener   string
	Priority   int32 // 0 for the default rule
	Default    bool
	Conditions []condition `json:",omitempty"`
	Actions    []action    `json:",omitempty"`
	Tags       []tag       `json:",omitempty"`
}

type condition struct {
	Field  string   // path-pattern | host-header | http-request-method | source-ip
	Values []string // the patterns
}

// action is a listener's or rule's action.
type action struct {
	Type     string // forward | redirect | fixed-response
	Order    int32  `json:",omitempty"`
	Forward  []weighted
	Sticky   *stickiness `json:",omitempty"`
	Redirect *redirect   `json:",omitempty"`
	Fixed    *fixed      `json:",omitempty"`
	// Single reports a forward given as TargetGroupArn alone, which is answered so.
	Single bool `json:",omitempty"`
}

type weighted struct {
	TG     string
	Weight int32
}

type stickiness struct {
	Enabled  bool
	Duration int32 `json:",omitempty"`
}

type redirect struct {
	Protocol, Port, Host, Path, Query string
	Status                            string // HTTP_301 | HTTP_302
}

type fixed struct {
	Status      string
	ContentType string `json:",omitempty"`
	Body        string `json:",omitempty"`
	HasBody     bool   `json:",omitempty"`
	HasType     bool   `json:",omitempty"`
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
// generation moves when f reports a change and succeeds. Targets whose draining has ended are
// dropped first, which is itself a change.
func (s *Store) write(name string, f func(r *regionState) (bool, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.Regions[name]
	made := r == nil
	if made {
		r = &regionState{LBs: map[string]*loadBalancer{}, TGs: map[string]*targetGroup{},
			Listeners: map[string]*listener{}, Rules: map[string]*rule{}}
	}
	reaped := s.reap(r)
	changed, err := f(r)
	if (err != nil || !changed) && !reaped {
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

// reap drops the targets whose deregistration delay has passed and reports whether there
// were any.
func (s *Store) reap(r *regionState) bool {
	now := s.clock.Now()
	n := 0
	for _, tg := range r.TGs {
		delay := tg.delay()
		kept := tg.Targets[:0]
		for _, t := range tg.Targets {
			if _, gone := t.draining(now, delay); gone {
				n++
				continue
			}
			kept = append(kept, t)
		}
		tg.Targets = kept
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
		return fmt.Errorf("elbsim: load: %w", err)
	}
	if st.Regions == nil {
		st.Regions = map[string]*regionState{}
	}
	for name, r := range st.Regions {
		if r == nil || r.empty() {
			delete(st.Regions, name)
			continue
		}
		if r.LBs == nil {
			r.LBs = map[string]*loadBalancer{}
		}
		if r.TGs == nil {
			r.TGs = map[string]*targetGroup{}
		}
		if r.Listeners == nil {
			r.Listeners = map[string]*listener{}
		}
		if r.Rules == nil {
			r.Rules = map[string]*rule{}
		}
		if err := check(name, r); err != nil {
			return fmt.Errorf("elbsim: load: %w", err)
		}
	}
	s.mu.Lock()
	s.st = st
	s.gen++
	s.mu.Unlock()
	return nil
}

// check verifies that a loaded region's records are filed under their ARNs and that what
// they point at exists.
func check(region string, r *regionState) error {
	for k, lb := range r.LBs {
		if lb == nil || lb.ARN != k || !strings.Contains(k, ":"+region+":") {
			return fmt.Errorf("the load balancer saved under %q of %s is not named so", k, region)
		}
	}
	for k, tg := range r.TGs {
		if tg == nil || tg.ARN != k {
			return fmt.Errorf("the target group saved under %q of %s is not named so", k, region)
		}
	}
	for k, l := range r.Listeners {
		if l == nil || l.ARN != k || r.LBs[l.LB] == nil || r.Rules[l.DefaultRule] == nil {
			return fmt.Errorf("the listener saved under %q of %s is not named so or has no load balancer", k, region)
		}
	}
	for k, ru := range r.Rules {
		if ru == nil || ru.ARN != k || r.Listeners[ru.Listener] == nil {
			return fmt.Errorf("the rule saved under %q of %s is not named so or has no listener", k, region)
		}
	}
	return nil
}

// next returns the round robin's position of key (a target group's ARN) and moves it on.
func (s *Store) next(key string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Turns == nil {
		s.st.Turns = map[string]uint64{}
	}
	n := s.st.Turns[key]
	s.st.Turns[key] = n + 1
	s.gen++
	return n
}

// DNSName returns the DNS name of the load balancer called name in region.
func (s *Store) DNSName(region, name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.st.Regions[region]; r != nil {
		for _, lb := range r.LBs {
			if lb.Name == name {
				return lb.DNSName, true
			}
		}
	}
	return "", false
}
