package conformance

import (
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/awsxlab/awsx/sim"
)

// awsBackend is real AWS, as the SDK's default configuration finds it (environment, profiles,
// SSO, instance roles), when AWSX_CONFORMANCE_AWS=1. Its account is the caller's own, with
// what is in it: only tests that read run there.
type awsBackend struct{}

func (awsBackend) Name() string { return AWS }

func (awsBackend) Has(c Capability) bool { return c == Authenticates || c == EnforcesIAM }

func (b awsBackend) Open(t testing.TB, opts ...sim.Option) *Account {
	t.Helper()
	b.Shared(t)
	t.Skipf("%s lacks %s: the test changes the account", AWS, Fresh)
	return nil
}

var awsConfig = sync.OnceValues(func() (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(background, config.WithRegion(sim.DefaultRegion))
	if err != nil {
		return cfg, err
	}
	_, err = cfg.Credentials.Retrieve(background)
	return cfg, err
})

func (b awsBackend) Shared(t testing.TB) *Account {
	t.Helper()
	if os.Getenv("AWSX_CONFORMANCE_AWS") != "1" {
		t.Skip("aws: set AWSX_CONFORMANCE_AWS=1, with credentials the SDK finds, to run the suite's reads on real AWS")
	}
	cfg, err := awsConfig()
	if err != nil {
		t.Skipf("aws: no credentials: %v", err)
	}
	return &Account{backend: b, base: cfg, client: &http.Client{}}
}
