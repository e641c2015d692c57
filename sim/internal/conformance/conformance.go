package conformance

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awsxlab/awsx/sim"
)

// The backends' names, as [Run] names their subtests and [Account.Diverges] takes them.
const (
	Memory   = "memory"
	Loopback = "loopback"
	Moto     = "moto"
	AWS      = "aws"
)

// Backend is where a test's requests go. Its accounts are made per test. The backends of
// this package are safe for concurrent use, but moto's accounts are one server's: tests on
// moto run one at a time.
type Backend interface {
	// Name is the backend's name: [Memory], [Loopback], [Moto] or [AWS].
	Name() string
	// Has reports whether the backend has capability c.
	Has(c Capability) bool
	// Open returns a new, empty account for t: the simulator's default one, 123456789012,
	// made with opts, which only the simulator takes. It skips t when the backend is not
	// available, when it gives no fresh accounts ([Fresh]), when it can give only one at a
	// time and t has one, or when opts are given to a backend that is not the simulator.
	Open(t testing.TB, opts ...sim.Option) *Account
	// Shared returns an account for a test that only reads: on a backend without [Fresh]
	// (real AWS), the account its credentials are of, as it is; on the others, as Open.
	Shared(t testing.TB) *Account
}

// Capability is something a backend may do or not.
type Capability int

const (
	// Simulator: package sim answers, and [Account.Cloud] is its *sim.Cloud (hooks, clock,
	// Spot market, instance metadata, Save and Load).
	Simulator Capability = iota + 1
	// Fresh: [Backend.Open] gives each test a new, empty account 123456789012, whose root
	// signs with [Account.Config]'s default credentials.
	Fresh
	// Authenticates: signatures and access keys are checked; a wrong secret is refused.
	Authenticates
	// EnforcesIAM: IAM policies are evaluated; a user no policy allows is refused.
	EnforcesIAM
	// DeterministicIDs: IDs, addresses and generated keys follow from the calls made, so
	// that a test may name the ones it will get.
	DeterministicIDs
	// ClockControl: [Account.Advance] moves the backend's clock.
	ClockControl
)

var capabilityNames = map[Capability]string{
	Simulator:        "Simulator (package sim's own API)",
	Fresh:            "Fresh (a new, empty account 123456789012 per test)",
	Authenticates:    "Authenticates (signatures and access keys checked)",
	EnforcesIAM:      "EnforcesIAM (IAM policies evaluated)",
	DeterministicIDs: "DeterministicIDs (IDs and addresses follow from the calls)",
	ClockControl:     "ClockControl (a clock the test moves)",
}

func (c Capability) String() string {
	if s, ok := capabilityNames[c]; ok {
		return s
	}
	return fmt.Sprintf("Capability(%d)", int(c))
}

// backends are the backends Run runs a test on, in order.
var backends = []Backend{memoryBackend{}, &loopbackBackend{}, theMoto, awsBackend{}}

// Run runs test on every backend, each as a subtest named for the backend.
func Run(t *testing.T, test func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.Name(), func(t *testing.T) { test(t, b) })
	}
}

// Close stops what the backends started: moto_server. Call it from TestMain, after m.Run.
func Close() { theMoto.stop() }

// ConfigOptions are the settings of a config of an account.
type ConfigOptions struct {
	Region                                     string // the backend's default when ""
	AccessKeyID, SecretAccessKey, SessionToken string // the account's root's when AccessKeyID is ""
}

// ConfigOption adjusts a config that [Account.Config] returns.
type ConfigOption func(*ConfigOptions)

// WithRegion makes the config's region region, us-east-1 by default.
func WithRegion(region string) ConfigOption { return func(o *ConfigOptions) { o.Region = region } }

// WithCredentials makes the config sign with the given credentials instead of the root's.
func WithCredentials(accessKeyID, secretAccessKey, sessionToken string) ConfigOption {
	return func(o *ConfigOptions) {
		o.AccessKeyID, o.SecretAccessKey, o.SessionToken = accessKeyID, secretAccessKey, sessionToken
	}
}

// Account is one test's account on a backend. It is safe for concurrent use.
type Account struct {
	backend Backend
	cloud   *sim.Cloud   // the simulator's, or nil
	url     string       // the server's base URL, or "" when requests go to AWS's own hosts
	base    aws.Config   // region, root's credentials, HTTP client and endpoint
	client  *http.Client // for unsigned requests
}

// Backend returns the backend the account is on.
func (a *Account) Backend() Backend { return a.backend }

// Config returns a config for SDK clients of the account: the root's credentials in
// us-east-1, unless opts say otherwise.
func (a *Account) Config(opts ...ConfigOption) aws.Config {
	var o ConfigOptions
	for _, f := range opts {
		f(&o)
	}
	cfg := a.base.Copy()
	if o.Region != "" {
		cfg.Region = o.Region
	}
	if o.AccessKeyID != "" {
		cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(o.AccessKeyID, o.SecretAccessKey, o.SessionToken))
	}
	return cfg
}

// URL returns the base URL of the server the account's requests go to, or "" when they go
// to AWS's own host names (in memory, and on AWS).
func (a *Account) URL() string { return a.url }

// HTTPClient returns an HTTP client that reaches the backend whatever the URL's host: for
// unsigned requests, presigned URLs and S3's virtual-hosted and website host names
// (bucket.localhost:port on a server).
func (a *Account) HTTPClient() *http.Client { return a.client }

// Now returns the backend's time: the simulator's clock, or the wall clock.
func (a *Account) Now() time.Time {
	if a.cloud != nil {
		return a.cloud.Now()
	}
	return time.Now()
}

// Advance moves the backend's clock forward by d, or skips t on a backend without
// [ClockControl].
func (a *Account) Advance(t testing.TB, d time.Duration) {
	t.Helper()
	a.Require(t, ClockControl)
	a.cloud.Advance(d)
}

// Cloud returns the simulator behind the account, or skips t on a backend that is not the
// simulator: for tests of what only the simulator has.
func (a *Account) Cloud(t testing.TB) *sim.Cloud {
	t.Helper()
	a.Require(t, Simulator)
	return a.cloud
}

// Require skips t, saying which, unless the backend has every one of caps.
func (a *Account) Require(t testing.TB, caps ...Capability) {
	t.Helper()
	for _, c := range caps {
		if !a.backend.Has(c) {
			t.Skipf("%s lacks %s", a.backend.Name(), c)
		}
	}
}

// Diverges marks a known difference of the backend called backend from AWS: on it, the rest
// of t is skipped, and reason, one line, is the skip message. On other backends, and with an
// empty reason (a table's case that diverges nowhere), it does nothing. With
// AWSX_CONFORMANCE_STRICT=1 it does nothing either, so that the test meets the difference and
// fails: to see that a marked difference is still there.
func (a *Account) Diverges(t testing.TB, backend, reason string) {
	t.Helper()
	if a.backend.Name() == backend && reason != "" && os.Getenv("AWSX_CONFORMANCE_STRICT") != "1" {
		t.Skipf("known divergence: %s", reason)
	}
}

var background = context.Background()
