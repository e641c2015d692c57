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
		{"SSMParameters", TestSSMParameters},
		{"SSMAuthorization", TestSSMAuthorization},
		{"SSMPublicImageParameters", TestSSMPublicImageParameters},
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
		{"EC2DefaultNetwork", TestEC2DefaultNetwork},
		{"EC2VPCs", TestEC2VPCs},
		{"EC2Subnets", TestEC2Subnets},
		{"EC2InternetGateways", TestEC2InternetGateways},
		{"EC2RouteTables", TestEC2RouteTables},
		{"EC2SecurityGroups", TestEC2SecurityGroups},
		{"EC2SecurityGroupRules", TestEC2SecurityGroupRules},
		{"EC2CreateKeyPair", TestEC2CreateKeyPair},
		{"EC2ImportKeyPair", TestEC2ImportKeyPair},
		{"EC2DescribeDeleteKeyPairs", TestEC2DescribeDeleteKeyPairs},
		{"EC2DescribeImages", TestEC2DescribeImages},
		{"EC2DescribeInstanceTypes", TestEC2DescribeInstanceTypes},
		{"EC2RunInstances", TestEC2RunInstances},
		{"EC2InstanceLifecycle", TestEC2InstanceLifecycle},
		{"EC2DescribeInstances", TestEC2DescribeInstances},
		{"EC2InstanceAttributes", TestEC2InstanceAttributes},
		{"EC2Tags", TestEC2Tags},
		{"EC2SaveLoad", TestEC2SaveLoad},
		{"EC2Concurrent", TestEC2Concurrent},
		{"EC2InstanceARNs", TestEC2InstanceARNs},
		{"S3Buckets", TestS3Buckets},
		{"S3Objects", TestS3Objects},
		{"S3CopyObject", TestS3CopyObject},
		{"S3Unimplemented", TestS3Unimplemented},
		{"S3ListObjects", TestS3ListObjects},
		{"S3DeleteObjects", TestS3DeleteObjects},
		{"S3Multipart", TestS3Multipart},
		{"S3Checksums", TestS3Checksums},
		{"S3Presigned", TestS3Presigned},
		{"S3Authorization", TestS3Authorization},
		{"S3PublicBucket", TestS3PublicBucket},
		{"S3Versioning", TestS3Versioning},
		{"S3Tagging", TestS3Tagging},
		{"S3Website", TestS3Website},
		{"S3SaveLoad", TestS3SaveLoad},
		{"S3Concurrent", TestS3Concurrent},
		{"S3EntityTooLarge", TestS3EntityTooLarge},
		{"S3ContentSHA256Mismatch", TestS3ContentSHA256Mismatch},
		{"EC2SpotRequests", TestEC2SpotRequests},
		{"EC2SpotInterruption", TestEC2SpotInterruption},
		{"EC2SpotPersistent", TestEC2SpotPersistent},
		{"EC2SpotRunInstances", TestEC2SpotRunInstances},
		{"EC2SpotErrors", TestEC2SpotErrors},
		{"EC2SpotPriceHistory", TestEC2SpotPriceHistory},
		{"EC2SpotConcurrent", TestEC2SpotConcurrent},
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
