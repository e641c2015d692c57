// Package conformance is the harness of the simulator's conformance suite: the behaviour
// tests of package sim, written once against the real SDK clients, run against every
// backend. gocloud's drivertest is the model.
//
//	func TestIAMErrors(t *testing.T) {
//		conformance.Run(t, func(t *testing.T, b conformance.Backend) {
//			c := b.Open(t) // a new, empty account on this backend
//			client := iam.NewFromConfig(c.Config())
//			…
//		})
//	}
//
// There is no list of tests: a test that calls [Run] is in the suite, and runs once per
// backend, as subtests named for them (TestIAMErrors/memory, TestIAMErrors/loopback, …).
//
// # Backends
//
//   - memory: [sim.Cloud.Config], the in-memory transport (no socket).
//   - loopback: an httptest server with the Cloud as its handler — what `awsx sim serve` is.
//     Requests go to localhost:port, so that S3's bucket.localhost:port reaches it too. A test
//     that sends it no request fails: it would have tested nothing over the socket.
//   - moto: moto_server (Python moto 5), started once per test binary on a free port of
//     127.0.0.1, with MOTO_IAM_LOAD_MANAGED_POLICIES=true and the simulator's us-east-1 image
//     catalog (MOTO_AMIS_PATH, so that the course's AMIs exist), reset before each test, and
//     stopped by [Close]. Skipped when the moto_server command is absent. Not run by
//     default: each reset costs moto seconds, the suite minutes. It runs when
//     AWSX_CONFORMANCE_MOTO=1, or when -run names it: go test ./sim/ -run '/moto$'.
//   - aws: real AWS, when AWSX_CONFORMANCE_AWS=1 and the SDK's default configuration finds
//     credentials; never in CI. Real AWS gives no fresh account: only the tests that only
//     read ([Backend.Shared]) run there, in us-east-1 unless they say otherwise.
//
// Select backends with -run: go test ./sim/ -run '/memory$', -run 'TestS3Objects/loopback'.
//
// # Capabilities and divergences
//
// Backends differ in what they can do:
//
//	capability        memory, loopback   moto   aws
//	Simulator         yes                no     no
//	Fresh             yes                yes    no
//	Authenticates     yes                no     yes
//	EnforcesIAM       yes                no     yes
//	DeterministicIDs  yes                no     no
//	ClockControl      yes                no     no
//
// A test that needs what a backend lacks says so, and is skipped there with the reason:
// [Account.Require]; [Account.Cloud] needs [Simulator]; [Account.Advance] needs
// [ClockControl]; [Backend.Open] with the simulator's options needs the simulator.
//
// A backend may also answer otherwise than AWS where it could answer the same: moto does, in
// many places. [Account.Diverges] marks each known difference where the test meets it, with
// a one-line reason; the rest of the test is skipped on that backend, and the skip message
// is the fact to report:
//
//	go test ./sim/ -run '/moto$' -v | grep 'known divergence'
//
// With AWSX_CONFORMANCE_STRICT=1 the marks skip nothing, and the tests fail where the
// backend still differs. The simulator has no marks: where it is wrong, its test fails.
package conformance
