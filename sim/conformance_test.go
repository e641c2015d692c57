package sim_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsxlab/awsx/sim"
)

// The simulator's tests form one conformance suite that runs twice: through the in-memory
// transport (each test as itself) and through a loopback HTTP server (TestLoopback), where
// config points the same SDK clients at an httptest server in front of the same Cloud.
var (
	overLoopback bool
	serversMu    sync.Mutex
	servers      = map[*sim.Cloud]*httptest.Server{}
	served       atomic.Int64 // requests the loopback servers answered
)

// config returns an SDK config for c: in memory, or over loopback while TestLoopback runs.
func config(t testing.TB, c *sim.Cloud, opts ...sim.ConfigOption) aws.Config {
	t.Helper()
	cfg := c.Config(opts...)
	if !overLoopback {
		return cfg
	}
	serversMu.Lock()
	srv, ok := servers[c]
	if !ok {
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			c.ServeHTTP(w, r)
		}))
		servers[c] = srv
		t.Cleanup(func() {
			serversMu.Lock()
			delete(servers, c)
			serversMu.Unlock()
			srv.Close()
		})
	}
	serversMu.Unlock()
	cfg.HTTPClient = &http.Client{}
	cfg.BaseEndpoint = aws.String(srv.URL)
	return cfg
}

func TestLoopback(t *testing.T) {
	suite := []struct {
		name string
		test func(*testing.T)
	}{
		{"FirstLesson", TestFirstLesson},
		{"CredentialsRefused", TestCredentialsRefused},
		{"InactiveKeyRefused", TestInactiveKeyRefused},
		{"ThirdAccessKey", TestThirdAccessKey},
		{"ExplicitDenyBeatsAdministratorAccess", TestExplicitDenyBeatsAdministratorAccess},
		{"AssumeRoleTrust", TestAssumeRoleTrust},
		{"AssumedRoleIdentity", TestAssumedRoleIdentity},
		{"IAMErrors", TestIAMErrors},
		{"UnimplementedAfterAuthorization", TestUnimplementedAfterAuthorization},
		{"GetUserWithoutName", TestGetUserWithoutName},
		{"ListPagination", TestListPagination},
		{"PolicyVersions", TestPolicyVersions},
		{"SimulatePrincipalPolicy", TestSimulatePrincipalPolicy},
		{"SaveLoad", TestSaveLoad},
		{"ConcurrentIAMWrites", TestConcurrentIAMWrites},
		{"DescribeRegions", TestDescribeRegions},
		{"DescribeAvailabilityZones", TestDescribeAvailabilityZones},
	}
	overLoopback = true
	defer func() { overLoopback = false }()
	for _, s := range suite {
		before := served.Load()
		t.Run(s.name, s.test)
		if served.Load() == before {
			t.Errorf("%s sent no request over loopback", s.name)
		}
	}
}
