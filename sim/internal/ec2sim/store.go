package ec2sim

import (
	"cmp"
	"context"
	"maps"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Store is the EC2 state of one account: for each region, its networks, security groups,
// key pairs and instances. It is safe for concurrent use: one lock guards it, and every value
// handed out is built fresh from the records, never shared.
type Store struct {
	mu       sync.RWMutex
	gen      core.Generation // bumped with every write lock
	account  string
	clock    *core.Clock
	ids      *core.IDs
	profiles ProfileFunc
	resolve  ParameterFunc
	regions  map[string]*regionState
	internet netip.Addr            // the learner's address on the internet: reach.go
	hooks    []func(InstanceEvent) // events.go
	pending  []InstanceEvent       // events of the write in progress, for the hooks after it
}

// ParameterFunc returns the value of a Systems Manager parameter, read as the caller of ctx:
// what an image ID of the form resolve:ssm:NAME stands for.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami-parameter-store.html
type ParameterFunc func(ctx context.Context, name string) (string, error)

// ResolveParameters sets how image IDs of the form resolve:ssm:NAME are resolved; without it
// they are invalid image IDs. Call it before the store serves requests.
func (s *Store) ResolveParameters(f ParameterFunc) { s.resolve = f }

// Profile is an IAM instance profile as an instance shows it, with the ARN of its role.
type Profile struct {
	ARN, ID string
	// Role is the ARN of the profile's role when it was looked up, "" when it holds none: the
	// role a launch or an association passes (iam:PassRole). IAM's to say, so not kept.
	Role string `json:"-"`
}

// ProfileFunc resolves an IAM instance profile by name or by ARN; ok is false when IAM has
// none. The simulator's front door gives the store one over its IAM state, so that this
// package needs nothing of IAM's.
type ProfileFunc func(nameOrARN string) (p Profile, ok bool)

// NewStore returns the EC2 state of account: empty until a region is first used, when that
// region's default network appears.
func NewStore(account string, clock *core.Clock, ids *core.IDs, profiles ProfileFunc) *Store {
	if profiles == nil {
		profiles = func(string) (Profile, bool) { return Profile{}, false }
	}
	return &Store{account: account, clock: clock, ids: ids, profiles: profiles, regions: map[string]*regionState{}}
}

// regionState is everything of one region, in the form persist.go writes.
type regionState struct {
	Name          string
	Seq           uint64 // the last sequence number handed to a record: records list in creation order
	DHCPOptions   string
	VPCs          map[string]*vpc
	Subnets       map[string]*subnet
	Gateways      map[string]*gateway
	RouteTables   map[string]*routeTable
	ACLs          map[string]*networkACL
	Groups        map[string]*securityGroup
	KeyPairs      map[string]*keyPair // by name
	Instances     map[string]*instance
	ImageTags     map[string]tags   // tags this account gave public images, by image ID
	Tokens        map[string]string // RunInstances client token → reservation ID
	spotState                       // Spot requests and prices: spot.go
	ebsState                        // volumes and snapshots: volume.go, snapshot.go
	addressState                    // Elastic IP addresses: address.go
	natState                        // NAT gateways: nat.go
	ltState                         // launch templates: launchtemplate.go
	eniState                        // network interfaces: eni.go
	insightsState                   // Reachability Analyzer paths and analyses: insights.go
	ownImageState                   // the account's images: imageown.go
	assocState                      // instance profile associations: profileassoc.go
	instanceIndex                   // Instances by state, VPC and tag key: instanceindex.go
	subnetIndex                     // Subnets by VPC: subnet.go
	groupIndex                      // Groups by VPC and name: securitygroup.go
	dhcpState                       // DHCP options sets: dhcp.go
	cidrState                       // VPCs' secondary and IPv6 blocks: vpccidr.go
	ipv6State                       // subnets' and interfaces' IPv6, egress-only gateways: ipv6.go
	peeringState                    // VPC peering connections: peering.go
	plState                         // managed prefix lists of one's own: prefixlist.go
	endpointState                   // VPC endpoints: endpoint.go
	flowLogState                    // flow logs: flowlog.go
}

func newRegionState(name string) *regionState {
	return &regionState{
		Name:          name,
		VPCs:          map[string]*vpc{},
		Subnets:       map[string]*subnet{},
		Gateways:      map[string]*gateway{},
		RouteTables:   map[string]*routeTable{},
		ACLs:          map[string]*networkACL{},
		Groups:        map[string]*securityGroup{},
		KeyPairs:      map[string]*keyPair{},
		Instances:     map[string]*instance{},
		ImageTags:     map[string]tags{},
		Tokens:        map[string]string{},
		ebsState:      ebsState{Volumes: map[string]*volume{}, Snapshots: map[string]*snapshot{}},
		addressState:  addressState{Addresses: map[string]*address{}},
		natState:      natState{NATs: map[string]*natGateway{}},
		eniState:      eniState{ENIs: map[string]*netInterface{}},
		ownImageState: ownImageState{Images: map[string]*ownImage{}},
		instanceIndex: newInstanceIndex(),
		subnetIndex:   subnetIndex{subnetsByVPC: map[string]map[string]*subnet{}},
		groupIndex:    groupIndex{groupsByName: map[groupName]*securityGroup{}},
	}
}

// meta is what every EC2 record has: its ID, its place in creation order and its tags.
type meta struct {
	ID   string
	Seq  uint64
	Tags tags
}

func (m *meta) base() *meta { return m }

// record is a stored resource.
type record interface{ base() *meta }

// newMeta stamps a new record of r with id and the next sequence number.
func (r *regionState) newMeta(id string, t tags) meta {
	r.Seq++
	if t == nil {
		t = tags{}
	}
	return meta{ID: id, Seq: r.Seq, Tags: t}
}

// inOrder returns the records of m in creation order.
func inOrder[T record](m map[string]T) []T {
	out := slices.Collect(maps.Values(m))
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(a.base().Seq, b.base().Seq) })
	return out
}

// id returns a new resource ID of AWS's current shape: the prefix, a dash, 17 hex digits.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
func (s *Store) id(prefix string) string { return s.ids.Hex(prefix+"-", 17) }

// read runs fn with the request's region under the read lock, creating the region (and its
// default network) first if this is its first use.
func (s *Store) read(ctx context.Context, fn func(r *regionState) error) error {
	name := core.RegionFrom(ctx)
	s.mu.RLock()
	r, ok := s.regions[name]
	if ok && !r.spotBusy() && !r.natsUnsettled(s.now()) {
		defer s.mu.RUnlock()
		return fn(r)
	}
	s.mu.RUnlock()
	return s.write(ctx, fn) // a new region, or a Spot market to play up to now first
}

// write runs fn with the request's region under the write lock. fn checks everything before
// it changes anything, so that a failed request leaves no trace.
func (s *Store) write(ctx context.Context, fn func(r *regionState) error) error {
	name := core.RegionFrom(ctx)
	s.mu.Lock()
	s.gen.Bump()
	defer s.unlock()
	r, err := s.region(name)
	if err != nil {
		return err
	}
	s.forgetTerminated(r)
	s.settleVolumes(r)
	s.settleNATs(r)
	s.settleSpot(r)
	settled := len(s.pending)
	if err := fn(r); err != nil {
		s.pending = s.pending[:settled] // a failed request changed nothing
		return err
	}
	s.settleSpot(r) // what the request changed plays out at once: see settleSpot
	return nil
}

// region returns the state of the region called name, making it on first use. s.mu is held
// for writing.
func (s *Store) region(name string) (*regionState, error) {
	if r, ok := s.regions[name]; ok {
		return r, nil
	}
	geo, ok := lookupRegion(name)
	if !ok {
		return nil, core.Errorf(InvalidParameterValue, "Invalid region: %s", name)
	}
	r := newRegionState(name)
	s.defaultNetwork(r, geo)
	s.regions[name] = r
	return r, nil
}

// now returns the simulator's time.
func (s *Store) now() time.Time { return s.clock.Now() }

// arn returns the ARN of an EC2 resource of the region, as "instance/i-…".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-resources-for-iam-policies
func (s *Store) arn(region, resource string) string {
	return "arn:aws:ec2:" + region + ":" + s.account + ":" + resource
}

// Generation changes with every change to the store's state, and never on a read.
func (s *Store) Generation() uint64 { return s.gen.Load() }
