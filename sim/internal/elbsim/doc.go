// Package elbsim simulates Elastic Load Balancing (v2) for one account: Application and
// Network Load Balancers, target groups, listeners and rules, per region — and the load
// balancers themselves, which answer HTTP at their DNS names.
//
// [ELB] has one method per operation with the SDK client's signature; the simulator's front
// door decodes the awsQuery requests (query.FromSchema over the SDK's schemas), authorizes
// elasticloadbalancing:<Operation> on the ARNs [Resources] names, and calls them. Operations
// it does not have (trust stores, capacity reservations, IP pools,
// Gateway Load Balancers) are answered by the door with an error that names them.
//
// # What is simulated
//
//   - Load balancers: application and network; internet-facing (its VPC must have an
//     internet gateway) or internal; subnets (or subnet mappings without addresses) of one
//     VPC, one per zone, two zones or more for an Application Load Balancer; security groups
//     from EC2 (none given: the VPC's default group for an Application Load Balancer, none
//     for a Network one); DNS names in AWS's forms (name-1234567890.REGION.elb.amazonaws.com,
//     internal-… when internal; name-<16 hex>.elb.REGION.amazonaws.com for a Network Load
//     Balancer) and the hosted zone of each region from AWS's table; provisioning for three
//     minutes of the simulator's clock, then active; attributes with AWS's defaults per type
//     and their checks (deletion protection refuses DeleteLoadBalancer); SetSecurityGroups,
//     SetSubnets; the same name with the same settings answers the load balancer that exists.
//   - Target groups: instance, ip and lambda targets; the protocol, port and VPC rules; health
//     check settings with AWS's defaults per protocol and their ranges (interval 5–300,
//     timeout 2–120 and under the interval, thresholds 2–10, matcher codes 200–499); the
//     attributes (deregistration_delay.timeout_seconds, stickiness.…); a group one load
//     balancer forwards to cannot serve another, nor be deleted (ResourceInUse).
//   - Targets: RegisterTargets takes running instances of the group's VPC (read from EC2) and
//     addresses of the VPC or of private ranges (zone "all"); DeregisterTargets drains a
//     target for the deregistration delay when a load balancer uses the group.
//   - Listeners and rules: HTTP and HTTPS for Application Load Balancers, TCP, TLS, UDP and
//     TCP_UDP for Network ones. An HTTPS or TLS listener's default certificate, and those
//     AddListenerCertificates adds (25 at most; the default one cannot be removed), must be
//     IAM server certificates of the account (read through IAM as the account): ACM is not
//     simulated, so an ACM ARN is CertificateNotFound, as AWS answers for a certificate that
//     does not exist. SslPolicy is one of AWS's predefined policies, ELBSecurityPolicy-2016-08
//     by default, and DescribeSSLPolicies lists them with their protocols and ciphers in
//     AWS's order of priority (tls.go). Forward
//     (to one or more weighted groups), redirect and fixed-response actions with AWS's
//     checks; rules with path-pattern, host-header, http-request-method and source-ip
//     conditions, unique priorities, SetRulePriorities, the default rule; tags on all four.
//
// # Health is computed
//
// DescribeTargetHealth works out each target's health when asked, from the world around the
// API (package world): the instance's state (EC2), the network from the load balancer's
// node in the target's zone — its subnet, its address there and its security groups — to
// the health check port ([world.Network]; without one every flow gets through), and what
// listens there ([world.Hosts]; without them nothing does): a TCP check asks whether
// something listens, an HTTP one sends GET of the path and compares the status with the
// matcher. Checks run every interval from the latest of the target's registration, its
// group's coming into use and its load balancer's becoming active; a target is initial
// (Elb.RegistrationInProgress while the load balancer provisions, then
// Elb.InitialHealthChecking) until HealthyThreshold checks pass or UnhealthyThreshold fail.
// After that its state is the current check's: the simulator keeps no history of checks,
// so a target turns unhealthy or healthy again at once. Reasons are AWS's:
// Target.NotRegistered, Target.NotInUse (no listener forwards to the group, or the target's
// zone is not enabled), Target.InvalidState (the instance is stopped), Target.Timeout (the
// network stops the check), Target.FailedHealthChecks (nothing listens),
// Target.ResponseCodeMismatch, Target.DeregistrationInProgress, Target.HealthCheckDisabled.
//
// # The load balancers answer HTTP
//
// [Store.TrafficService] claims the hosts of load balancers' DNS names — in memory through
// the Cloud's HTTP client, or with .localhost in place of .amazonaws.com on `awsx sim serve`
// (whose port is the server's: such a request reaches the listener on port 80, else the
// lowest). A request reaches the listener only if the load balancer is internet-facing and
// its security groups let the learner's address in on the listener's port; it then takes the
// first rule that matches, by priority, else the default actions. Forward picks a group by
// weight in turn, then one of its healthy targets in turn (its unhealthy ones when none is
// healthy, as AWS "fails open"), and hands the request to what listens on the target's
// port with X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Port and X-Amzn-Trace-Id (an
// Application Load Balancer's; a Network one passes it as it came). The load balancer's own
// answers are AWS's pages: 503 when the group has no healthy or unhealthy target (or the
// load balancer has no listener on the port, or is still provisioning, where AWS's name
// would not resolve), 502 when nothing listens on the target's port, 504 when the network
// stops the request to the target (or, where AWS's client would time out, to the load
// balancer); an X-Awsx-Reason header says why.
//
// No TLS is spoken: the simulator holds no private key a learner's client could trust. In
// memory an https:// URL without a port reaches the listener on 443 (an HTTPS one is
// answered in plain HTTP, with X-Forwarded-Proto https), so an HTTP listener's redirect to
// HTTPS can be followed; on `awsx sim serve` the .localhost name is plain HTTP on the
// server's port, which reaches the listener on 80 (or the lowest), and a redirect's
// https:// location is for the learner to read, not to follow.
//
// A request from this machine (loopback, or in memory) comes from the learner's address on
// the internet when the network knows it (EC2's setting, 203.0.113.10 unless set): that is
// the address the load balancer's security groups, source-ip conditions and X-Forwarded-For
// see. The round robin's position is state, saved and loaded with the rest, so that one
// request per process (`awsx sim curl` typed again and again) still goes to the targets in
// turn.
//
// # Metrics
//
// Each request an Application Load Balancer answers, once it has reached a listener, is
// counted in its minute ([Store.Serve]): by the node's zone (the target's, else the load
// balancer's first), the target group a target was chosen in, the target's status class or
// the load balancer's own status, and the target's response time — the time its handler
// took, measured, the one value here not from the simulator's clock. [Store.Metrics] turns
// the minutes into CloudWatch's AWS/ApplicationELB data points with AWS's names, dimensions
// and units, adds every minute RequestCount 0 when idle, RequestCountPerTarget (the group's
// requests over its healthy targets) and, for groups with health checks, HealthyHostCount
// and UnHealthyHostCount (AWS/NetworkELB for a Network Load Balancer), worked out as
// DescribeTargetHealth does with the current check's result. Each request is one connection
// (ActiveConnectionCount, NewConnectionCount). A Network Load Balancer's traffic metrics
// (flows, bytes) are not produced.
//
// # Not simulated
//
// Lambda targets are recorded but not invoked (a forward to them answers 502); stickiness,
// slow start and the algorithms other than round robin are attributes only; access logs,
// WAF, authentication actions, mutual TLS, IPv6 and Elastic IP subnet mappings are not
// simulated.
package elbsim
