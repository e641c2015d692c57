// Package sim is an in-memory AWS: one account whose IAM, STS, EC2, S3, Systems Manager
// Parameter Store, RDS, EFS, CloudWatch, SNS and CloudFormation answer in AWS's own wire protocols, so that the
// real aws-sdk-go-v2 clients, the AWS CLI and boto3 talk to it
// unchanged — in-process through [Cloud.Config], or over loopback with `awsx sim serve`.
//
//	cloud := sim.New()
//	client := iam.NewFromConfig(cloud.Config())
//	client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alex")})
//
// # Every request is signed and authorized
//
// As on AWS, the front door ([Cloud.ServeHTTP]) checks each request's Signature Version 4
// (header and presigned forms, session tokens, clock skew) by recomputing it with the SDK's
// signer, resolves the access key to a caller, and evaluates the caller's IAM policies —
// identity policies of the user and its groups or of the role, permissions boundaries, session
// policies, and resource policies such as a role's trust policy — with package
// [github.com/awsxlab/awsx/iamx/policy]. A refused request gets the service's own error
// (UnauthorizedOperation for EC2, AccessDenied for IAM and STS) with AWS's message naming the
// principal and the action. The account's root signs with AWS's documented example keys,
// [DefaultAccessKeyID] and [DefaultSecretAccessKey], and may do anything that no bucket
// policy denies. S3 also takes unsigned requests, as the anonymous principal, which only a
// bucket policy can allow, and S3's legacy Signature Version 2 (which boto3 and the AWS CLI
// v1 still use for presigned URLs in us-east-1).
//
// # What is simulated
//
//   - IAM: users, groups and membership, access keys (two per user, active or inactive, last
//     used), login profiles, customer managed policies with versions, the AWS managed policies
//     of package policy, inline policies, attachment to users, groups and roles, permissions
//     boundaries, roles with trust policies, instance profiles, tags, Marker/MaxItems
//     pagination, SimulatePrincipalPolicy and SimulateCustomPolicy; the account's password
//     policy (enforced on login profiles and ChangePassword), alias, summary (counted from the
//     state), authorization details and credential report (AWS's CSV); virtual MFA devices
//     (RFC 6238 codes on the simulator's clock, a QR code PNG); SSH public keys, signing and
//     server certificates (parsed, AWS's errors); service-specific credentials; service-linked
//     roles for the course's services; context keys of policies; OpenID Connect providers
//     (client IDs, thumbprints, tags) and SAML providers (their metadata document read for
//     the IdP's entity ID and signing certificates).
//
//     The account is a standalone one, in no AWS Organization: centralized root access
//     (ListOrganizationsFeatures, Enable/Disable…RootCredentialsManagement and …RootSessions)
//     answers OrganizationNotFoundException after authorization, and an Organizations access
//     report's job fails with that reason in ErrorDetails. Account properties
//     (Put/GetAccountProperties) are kept as given, checked for AWS's Namespace/PropertyName
//     form and one namespace per request. Temporary delegation requests are made only by
//     onboarded AWS Partners, which the simulator cannot be: CreateDelegationRequest is
//     refused (AccessDenied), none exists, and the operations on one answer NoSuchEntity; no
//     role template exists either (GetRoleTemplateVersion, AcquireRole).
//
//   - STS: GetCallerIdentity, AssumeRole (trust policy and the same-account rule, session
//     policies, role chaining's one-hour limit), GetSessionToken (both take an MFA device's
//     SerialNumber and TokenCode, which sets aws:MultiFactorAuthPresent for the session and
//     lets a GetSessionToken session call IAM), GetFederationToken (federated users: the
//     user's policies and the session policy, both), GetAccessKeyInfo,
//     DecodeAuthorizationMessage (of the encoded message EC2 adds to its refusals but for
//     Describe calls), and the unsigned federation operations: AssumeRoleWithWebIdentity (an
//     OIDC ID token's signature, iss, aud, exp and nbf checked on the simulator's clock, then
//     the role's trust policy with PROVIDER:sub and PROVIDER:aud) and AssumeRoleWithSAML (the
//     response's or assertion's XML signature against the provider's metadata, issuer, times,
//     audience, the Role attribute's role and provider, then the trust policy with SAML:aud,
//     SAML:sub, …); and GetWebIdentityToken, outbound identity federation's JWT about the
//     caller (ES384 or RS256, under the account's issuer once IAM's
//     EnableOutboundWebIdentityFederation is on; [Cloud.WebIdentityKeys] of that issuer
//     verifies it). AssumeRoot is checked (target account, one of the five root task
//     policies, at most 900 seconds, no root credentials) and authorized as sts:AssumeRoot on
//     the target's root, then refused AccessDenied: the standalone account has no
//     organization, so no member accounts; GetDelegatedAccessToken refuses every trade-in
//     token with ExpiredTradeInTokenException, as no IAM delegation request can exist.
//
//   - The simulator as identity provider: nothing outside it can sign what it takes, so it
//     is every issuer itself, with one key per issuer derived from its seed (the same in every
//     process of one simulator). [Cloud.IssueWebIdentityToken] mints the ID token a CI system
//     gives a job (`awsx sim token`), [Cloud.WebIdentityKeys] is the issuer's key set,
//     [Cloud.SAMLMetadata] and [Cloud.IssueSAMLAssertion] play a SAML IdP (`awsx sim saml`).
//     Tokens of real issuers (GitHub's, Google's) are refused: their keys cannot be fetched.
//
//   - EC2: the commercial regions and their zones; per region, a default network that every
//     new account has (default VPC, a default subnet per zone, internet gateway, main route
//     table, default network ACL and security group); VPCs, subnets, internet gateways, route
//     tables and routes, security groups and rules (the AWS CLI's --protocol/--port/--cidr form
//     too), key pairs (RSA and ED25519, made or imported, with AWS's fingerprints), a catalog
//     of public images, instance types, instances (run, stop, start, reboot, terminate,
//     attributes, status, filters and pagination), and tags. Instance operations authorize on
//     the instances' ARNs. Where each instance type is offered (DescribeInstanceTypeOfferings:
//     every type in every zone). Instance profiles of running instances: associate, replace,
//     disassociate and describe their associations, with iam:PassRole on the new role; the
//     metadata service's credentials follow the instance's profile at once.
//
//   - Images of one's own: CreateImage (a snapshot of each of the instance's EBS volumes, the
//     image pending until they complete; NoReboot; block device mappings that resize, leave
//     out or add volumes), CopyImage to another region (a new ID, its snapshots copied),
//     RegisterImage from snapshots, DeregisterImage (the snapshots stay, and the instances;
//     DeleteAssociatedSnapshots), DescribeImages beside the public catalog (Owners self,
//     ExecutableUsers, filters), launch permissions (accounts and the group all) and the
//     description, and RunInstances from them: their mappings make the volumes. An image
//     carries its instance's disks: an instance launched from it has what was installed,
//     enabled and written there. They authorize on image ARNs (arn:aws:ec2:REGION::image/…)
//     with ec2:Owner, ec2:Public and ec2:ImageID.
//
//   - EBS: volumes of every type (gp2, gp3, io1, io2, st1, sc1, standard) with AWS's size,
//     IOPS and throughput rules, creating → available on the simulator's clock; attach and
//     detach (attaching, detaching, Force) with the device names of the instance's platform;
//     ModifyVolume's modifying → optimizing → completed and AWS's four a day; volume status
//     checks and the autoEnableIO attribute; snapshots (pending with their progress, then
//     completed) and their sharing, volumes from snapshots, CopySnapshot;
//     encryption by default and its key, per region. RunInstances makes the root volume from
//     the image and the request's block device mappings; terminating deletes the volumes
//     marked DeleteOnTermination and detaches the others; an instance-store-backed image's
//     instance cannot stop. Volumes and snapshots authorize on their ARNs with EC2's keys
//     (ec2:VolumeType, ec2:VolumeSize, ec2:Encrypted…).
//
//   - Elastic IP addresses: allocate (five a region), describe with filters, associate with
//     an instance or its network interface and private address (AllowReassociation's rule,
//     Resource.AlreadyAssociated), disassociate, release (refused while associated), tags.
//     While associated the address is the instance's public address, through stops and
//     starts; an instance's own public address changes at every start.
//
//   - Private networks: network ACLs of one's own and their numbered rules (1 to 32766,
//     each direction read in order, the catch-all rule last; the default ACL's rules are
//     records too, editable as on AWS), subnet associations; NAT gateways, public with an
//     Elastic IP or private, pending → available and deleting → deleted on the simulator's
//     clock, and routes to them (CreateRoute, ReplaceRoute). DHCP options sets: the region's
//     default one (Amazon's DNS server and ec2.internal or REGION.compute.internal), sets of
//     one's own with AWS's options and their checks, a VPC's association ("default" for none),
//     DependencyViolation while a VPC uses a set. The options are kept and shown; no
//     instance's resolver reads them.
//
//   - VPC blocks and IPv6: secondary IPv4 blocks (AssociateVpcCidrBlock with AWS's rules —
//     /16 to /28, no overlap, the ranges the primary block allows, five in all — and their
//     local routes in every route table; subnets in them; DisassociateVpcCidrBlock refused
//     for the primary block and while a subnet is in the block). IPv6: an Amazon-provided /56
//     per VPC (CreateVpc's AmazonProvidedIpv6CidrBlock, or associated later), deterministic in
//     Amazon's 2600:1f00::/24 from the region, the account and a counter, with its local
//     route and the default security group's ::/0 egress rule; /64 subnet blocks (CreateSubnet,
//     Associate- and DisassociateSubnetCidrBlock, AssignIpv6AddressOnCreation); IPv6
//     addresses of network interfaces made by CreateNetworkInterface (Assign- and
//     UnassignIpv6Addresses, one by the subnet's attribute); routes to IPv6 blocks through
//     internet gateways and egress-only internet gateways. Instances' primary interfaces get
//     no IPv6 address, and the reachability evaluator follows IPv4 flows only.
//
//   - VPC peering between VPCs of the account in one region: CreateVpcPeeringConnection
//     (initiating-request, then pending-acceptance for a week before it expires; failed
//     between VPCs whose IPv4 blocks overlap), Accept-, Reject- and
//     DeleteVpcPeeringConnection (InvalidStateTransition otherwise), closed connections listed
//     as long as AWS lists them, deleting a VPC deleting its connections; routes to pcx-
//     targets, blackholes while the connection is not active. The reachability evaluator
//     follows them: a route each way through the same active connection, then both ends'
//     security groups (which may name the peer VPC's groups) and network ACLs. Peering with
//     another account or region is not simulated.
//
//   - Managed prefix lists: the lists AWS manages for S3 and DynamoDB in each region
//     (com.amazonaws.REGION.s3, deterministic IDs; us-east-1's entries are AWS's published
//     ranges, other regions' are made from them and are not AWS's), lists of one's own with
//     their versions (Create-, Modify-, Delete-, DescribeManagedPrefixLists,
//     GetManagedPrefixListEntries with TargetVersion, DescribePrefixLists), usable in security
//     group rules (PrefixListIds, checked to exist) and as route destinations; a list in use
//     is not deleted. VPC endpoints as records: gateway endpoints of S3 and DynamoDB, whose
//     route tables get a route from the service's prefix list to the endpoint; interface
//     endpoints of the services a private subnet calls, one interface ID a subnet (one subnet
//     a zone), their security groups and DNS names; policies; Modify-, Delete- and
//     DescribeVpcEndpoints, DescribeVpcEndpointServices. No traffic goes through them: the
//     reachability evaluator does not follow prefix-list routes.
//
//   - Flow logs as records: CreateFlowLogs of VPCs, subnets and network interfaces to a
//     CloudWatch Logs group (with DeliverLogsPermissionArn, and iam:PassRole on it to
//     vpc-flow-logs.amazonaws.com) or an S3 bucket ARN, their traffic type, format and
//     aggregation interval, a missing resource or an existing flow log listed as
//     unsuccessful; Describe- and DeleteFlowLogs. No flow record is written anywhere.
//
//   - Reachability: [Cloud.Reach] answers "can A reach B on tcp/22?" through one model of
//     the network — security groups (stateful; by CIDR or by group), network ACLs
//     (stateless: the request through both subnets' rules, and the replies back on the
//     ephemeral ports 1024–65535), route tables (the local route, an internet gateway for a
//     public address, a NAT gateway for a private subnet's way out), public addresses and
//     Elastic IPs, the instances' states — and names the component that stops a flow, with
//     one sentence saying why. The learner's own address on the internet is
//     [Cloud.InternetAddress] (203.0.113.10 unless set), which https://checkip.amazonaws.com
//     answers as AWS's does (checkip.localhost on `awsx sim serve`): the source of the "My
//     IP" rule. Whether a service listens is not the network's to say.
//
//   - The VPC Reachability Analyzer on the same evaluator: network insights paths (Create-,
//     Describe-, DeleteNetworkInsightsPath) from an instance, a network interface or an
//     internet gateway (the internet, at the path's SourceIp or the learner's address) to
//     another or to an address, over tcp or udp to one port; analyses (Start-, Describe-,
//     DeleteNetworkInsightsAnalysis), running in StartNetworkInsightsAnalysis's answer and
//     decided on the network as it was then, with NetworkPathFound and, when blocked, one
//     explanation with AWS's code and component (ENI_SG_RULES_MISMATCH and the security
//     group, SUBNET_ACL_RESTRICTION with the ACL's deciding rule, NO_ROUTE_TO_DESTINATION
//     and the route table, IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, BAD_STATE, …; Verdict.Code
//     is the same). Not simulated: the path's hops (ForwardPathComponents), other accounts,
//     intermediate components (FilterInArns), port ranges.
//
//   - EC2 Spot Instances: a Spot price per instance type, Availability Zone and product that
//     moves with the simulator's clock (DescribeSpotPriceHistory), Spot requests
//     (RequestSpotInstances, one-time and persistent; Describe- and
//     CancelSpotInstanceRequests) and RunInstances' InstanceMarketOptions, with their status
//     codes; the two-minute interruption notice in the instance's metadata, then the stop or
//     termination. [Cloud.SetSpotPrice] and [Cloud.InterruptSpotInstance] play the market.
//
//   - EC2 launch templates and their versions (numbered from 1, a default and a latest,
//     $Default and $Latest, versions made from a SourceVersion, deleted one by one or with
//     the template). RunInstances with a LaunchTemplate takes each parameter the call leaves
//     out from the template's version (image, type, key, security groups, subnet or network
//     interface, user data, instance profile — iam:PassRole on its role as if the call had
//     named it —, tags, block devices) and tags the instance aws:ec2launchtemplate:id and
//     aws:ec2launchtemplate:version, as AWS does.
//
//   - Instance metadata: [Cloud.Metadata] is the service an instance reaches at
//     169.254.169.254 — IMDSv2 session tokens (IMDSv1 where the image allows it), the
//     meta-data categories, user data, the identity document, and the credentials of the
//     instance profile's role, a session named after the instance that EC2 renews hourly.
//     [Cloud.InstanceConfig] is an aws.Config as code on the instance has it, its
//     credentials fetched from that service by the SDK's own provider.
//
//   - S3: buckets (names global, each in a region; virtual-hosted, path-style and
//     bucket.localhost addressing), objects with metadata, ranges, conditional requests,
//     checksums (Content-MD5 and the flexible checksums, sent in headers or aws-chunked
//     trailers), copies, listings (V1, V2, delimiters, encoding-type=url), DeleteObjects,
//     multipart uploads, presigned URLs that Advance expires, bucket policies, Block Public
//     Access (on for new buckets, as on AWS), Object Ownership (ACLs disabled), versioning
//     and delete markers, tags, and static websites: their configuration, and the website
//     endpoint itself (bucket.s3-website-us-east-1.amazonaws.com in memory through
//     [Cloud.HTTPClient] and [Cloud.WebsiteURL], or .localhost:port on a server), with index
//     and error documents, redirects and AWS's HTML error pages; default encryption (SSE-S3
//     said on every object, SSE-KMS recorded with its key, SSE-C keys checked on every read
//     and copy, only their MD5 kept; UpdateObjectEncryption moves an object or a version
//     from SSE-S3 or one KMS key to a KMS key in place, keeping its ETag, dates, storage
//     class, checksums and metadata), CORS with browsers' preflights
//     answered, lifecycle rules (transitions, expirations, aborted uploads) played on the
//     simulator's clock, storage classes with Glacier restores, Object Lock (retention, legal
//     holds, the GOVERNANCE bypass), event notifications to SNS topics, GetObjectAttributes,
//     S3 Select (SelectObjectContent: its SQL over CSV and JSON objects, plain, GZIP or
//     BZIP2, answered in AWS's event stream of Records, Progress, Cont, Stats and End, with
//     S3 Select's error codes; not Parquet), the bucket settings kept without effect
//     (logging, acceleration, requester pays, replication, inventory, analytics, metrics,
//     Intelligent-Tiering), and bucket ABAC (off by default; while on, PutBucketTagging and
//     DeleteBucketTagging are refused). Directory buckets (CreateSession, RenameObject),
//     BitTorrent, S3 Metadata and object annotations (their tables are in S3 Tables) are not
//     simulated: they answer NotImplemented with that reason. OPERATIONS.md lists
//     every IAM, STS and S3 operation with its state. Each operation authorizes
//     as AWS does (ListObjectsV2 is s3:ListBucket on the bucket, with s3:prefix; CopyObject
//     also needs s3:GetObject on its source). A request body is at most [WithMaxObjectSize] (1 GiB
//     by default); larger objects go in parts. Objects are held in memory, or, in a cloud
//     from [Open], as files in its directory (one per distinct body).
//
//   - Systems Manager Parameter Store: String, StringList and SecureString parameters per
//     region, versions, labels, hierarchies and GetParametersByPath, history, tags, tiers and
//     policies as far as AWS validates them, and AWS's public parameters of the newest images
//     (/aws/service/ami-amazon-linux-latest/…, Canonical's, Debian's, Windows'), which point at
//     EC2's catalog in each region; RunInstances takes resolve:ssm:NAME as an image ID.
//
//   - RDS, as records, not a database engine: DB instances of MySQL, MariaDB and PostgreSQL
//     (engine, version, class, storage, master user and password checked against AWS's
//     published rules), DB subnet groups over two Availability Zones of a VPC as EC2 knows it,
//     security groups from EC2, the "default" group of the default VPC, parameter groups,
//     manual snapshots and restores, tags; creating → backing-up → available and the other
//     states on the simulator's clock, and an endpoint name that nothing answers at. On the
//     network ([Cloud.DBEndpoint], `awsx sim why INSTANCE shop-db 3306`) an instance is in the
//     subnet of its subnet group in its zone, at an address of that subnet (where RDS's
//     network interface would be), behind its security groups; a publicly accessible one has
//     a public address too.
//
//   - Elastic Load Balancing (v2): Application and Network Load Balancers (subnets in two or
//     more zones, security groups, DNS names and hosted zones in AWS's forms, provisioning →
//     active on the clock, attributes), target groups with AWS's health check defaults,
//     instance, IP and Lambda targets with draining, listeners and rules (path and host
//     conditions, forward, redirect and fixed-response actions, priorities), HTTPS listeners
//     with IAM server certificates (ACM is not simulated: an ACM ARN is CertificateNotFound)
//     and AWS's security policies (DescribeSSLPolicies), tags. Target
//     health is computed from the instance's state, the network from the load balancer's
//     nodes and what listens on the instance (DescribeTargetHealth, with AWS's reasons), and
//     the load balancers answer HTTP at their DNS names ([Cloud.LoadBalancerURL], through
//     [Cloud.HTTPClient], or .localhost:port on a server): by their rules, in turn to healthy
//     targets, with AWS's 502, 503 and 504 pages when they cannot. No TLS is spoken: in
//     memory an https:// URL reaches the HTTPS listener in plain HTTP; a server's .localhost
//     names are plain HTTP.
//
//   - EFS, in restJson1, as records, not a file system: file systems (creation tokens, the
//     throughput and performance modes and their rules, encryption, One Zone), mount targets
//     in a VPC's subnets as EC2 knows them (one per zone, an address of the subnet, up to
//     five security groups of the VPC or its default group), access points, lifecycle, file
//     system and backup policies, tags; creating → available and deleting on the simulator's
//     clock. Whether an instance can mount a file system is decided by its mount target's
//     state and the model of the network on TCP 2049. A mount target's network interface is
//     EFS's own ID: EC2 does not list it.
//
//   - CloudWatch, in Smithy RPC v2 CBOR (today's SDKs and boto3), awsJson1.0 (the AWS CLI
//     v1) and awsQuery (older clients, such as Debian's AWS CLI v2): custom metrics (PutMetricData with AWS's limits, ListMetrics, GetMetricStatistics
//     with percentiles, GetMetricData's MetricStat queries and a subset of metric math), metric
//     alarms evaluated every minute of the simulator's clock with AWS's state reasons, their
//     history, tags and SetAlarmState. The account produces AWS/EC2 metrics per instance from
//     a load model ([Cloud.SetInstanceLoad]), also with the dimension AutoScalingGroupName for
//     a group's instances, and AWS/Billing EstimatedCharges in us-east-1 from a meter that
//     prices each second an instance runs at its on-demand price (and a NAT gateway lives, at
//     $0.045 an hour). Its load balancers produce AWS/ApplicationELB's metrics a minute at a
//     time from the requests they actually answer (RequestCount, RequestCountPerTarget,
//     HTTPCode_Target_2XX…5XX_Count, HTTPCode_ELB_3XX…5XX_Count and 502/503/504,
//     TargetResponseTime, ActiveConnectionCount …) and from their targets' health
//     (HealthyHostCount, UnHealthyHostCount, in AWS/NetworkELB too), with AWS's dimensions
//     (LoadBalancer, TargetGroup, AvailabilityZone) and units; Auto Scaling groups whose
//     metrics collection is enabled produce AWS/AutoScaling's group metrics. Alarms act on all
//     of them, and target tracking on ALBRequestCountPerTarget scales on the requests the load
//     balancer answered. An alarm's actions on SNS topics publish CloudWatch's notification
//     there, those on Auto Scaling policies execute them; its other actions (EC2's automate
//     actions and the rest, not simulated yet) are recorded in its history as failed.
//
//   - Auto Scaling: launch configurations (one with an instance profile needs iam:PassRole on
//     its role); groups over subnets or zones from a launch
//     template, a mixed instances policy's template or a launch configuration, with their
//     sizes, health check settings, tags (propagated to instances at launch) and target
//     groups. A group keeps its count on the simulator's clock — after each request that
//     changes it and whenever [Cloud.Advance] moves the clock: it launches instances through
//     EC2 as its service-linked role (the caller needs no EC2 permission), each in the zone
//     with the fewest, replaces those EC2 reports terminated or stopped and those marked
//     Unhealthy, scales in by the default termination policy (balance the zones, then the
//     oldest launch template or configuration, then the oldest instance), registers and
//     deregisters instances with ELBv2 target groups, and records each activity with AWS's
//     description and cause. Simple and step scaling policies (through their alarms — invoked
//     at every evaluation while the alarm stays in ALARM, as AWS does for Auto Scaling
//     actions — or ExecutePolicy; cooldowns and warm-ups honoured), target tracking policies
//     with the two CloudWatch alarms AWS makes for them (the new capacity is the instances
//     there times metric over target, rounded up), one-time scheduled actions, instance refreshes (batches kept within
//     MinHealthyPercentage, each after the last warmed up, from the desired launch template),
//     and lifecycle hooks (an instance waits in
//     Pending:Wait or Terminating:Wait until CompleteLifecycleAction, or until the heartbeat
//     timeout applies the default result; no notification is sent). A group of health check
//     type ELB also replaces the instances its target groups report unhealthy (ELBv2's
//     DescribeTargetHealth) after the grace period. Suspended processes (Launch, Terminate,
//     HealthCheck, ReplaceUnhealthy, AlarmNotification, ScheduledActions, AddToLoadBalancer,
//     InstanceRefresh) stop what they name; instances may be protected from scale in, put in
//     Standby, detached and attached; EnableMetricsCollection publishes the group's metrics
//     to CloudWatch every minute. Not simulated: warm pools, recurring
//     scheduled actions, predictive scaling, Classic Load Balancers; instances are InService
//     as soon as EC2 runs them.
//
//   - SNS: topics (standard and FIFO, with AWS's default topic policy, attributes, tags),
//     subscriptions whose endpoints are checked per protocol, email and HTTP ones pending
//     until confirmed with the token SNS sent, Publish with subjects, message attributes,
//     per-protocol JSON bodies, filter policies and FIFO deduplication. Nothing leaves the
//     process: mail to email subscribers is kept in inboxes ([Cloud.Inbox], [Cloud.Confirm],
//     `awsx sim inbox`), HTTP requests are recorded, not sent, and sqs, lambda and sms
//     deliveries are recorded as undeliverable ([Cloud.Deliveries]).
//
//   - CloudFormation: stacks from templates in YAML (the short-form tags) or JSON, with
//     parameters and their constraints (the EC2 types checked against the account), mappings,
//     conditions, the intrinsic functions, pseudo parameters, outputs and exports. A stack's
//     resources — VPCs, subnets, gateways, routes, security groups, instances, addresses, NAT
//     gateways, buckets and their policies, roles, instance profiles and policies, SSM
//     parameters, SNS topics, load balancers, target groups and listeners, EFS file systems
//     and mount targets, DB subnet groups — are made in dependency order through their services' operations as the
//     caller, so they are the ones describe-* shows, and a refusal fails the stack, rolled
//     back. UpdateStack adds, removes and replaces resources. The stack's events are one second apart on the clock: it is CREATE_IN_PROGRESS
//     for as many seconds as it has resources (sim/internal/cfnsim). Change sets preview a
//     stack's creation (its stack waits in REVIEW_IN_PROGRESS) or update — each resource's
//     Add, Modify or Remove, with the properties that changed and what caused them (a
//     parameter, a replaced resource) — CREATE_PENDING for a second, then CREATE_COMPLETE (or
//     FAILED when nothing changes, in AWS's words); ExecuteChangeSet makes them as
//     CreateStack and UpdateStack do, and a change set outrun by another update is OBSOLETE.
//     The AWS CLI's cloudformation deploy works against `awsx sim serve`, and `awsx
//     cloudformation deploy` is the same command. Stack policies are enforced on updates (a
//     replacement or removal they do not allow fails the update, rolled back), and
//     termination protection refuses DeleteStack. A TemplateURL is read from the simulator's
//     S3 as the caller, and nested stacks (AWS::CloudFormation::Stack) are made from theirs,
//     their outputs read with Fn::GetAtt Outputs.NAME. Drift detection compares SSM
//     parameters and SNS topics with their templates (other types NOT_CHECKED).
//
// An operation the simulator does not implement is authorized like any other, then answered
// with a NotImplemented error that names it — never an empty success.
//
// # Inside an instance
//
// Each Linux instance has a simulated operating system (sim/internal/guest), made at launch
// from its image's family — Amazon Linux 2023 and 2, Ubuntu, Debian, told by the image's name:
// a small filesystem in memory (/etc/os-release, the default user's home — ec2-user, ubuntu,
// admin — /tmp, /var/log), the family's installed packages, and systemd services with their
// enabled and active states. It is kept with the cloud's state. EC2 tells it when the
// instance launches, starts, stops and terminates: at launch cloud-init runs the user data
// as root (a #! shell script, or #cloud-config's write_files, package_update, packages and
// runcmd), once, its output in /var/log/cloud-init-output.log with the boot's time; a start
// starts the enabled services; a stop stops everything; a termination discards the disk.
//
// [Cloud.Run] runs a command line there, as the image's default user: a real shell language
// (mvdan.cc/sh's interpreter) whose programs are the simulator's own — whoami, id, hostname,
// uname, ls, cat, cp, mv, rm, mkdir, touch, chmod, chown, grep, head, tail, wc, tee, sort,
// date, sudo, the family's package manager (dnf/yum or apt-get/apt, from a small catalog, in
// the shape of the real tools' output), systemctl and service, curl (the metadata service,
// the instance's own services at localhost, AWS's endpoints), python3 -m http.server, cloud-init
// status, and aws, which runs the program set by [Cloud.SetInstanceCLI] (the awsx command)
// with the keys of the instance's own ~/.aws, else its role's. mount mounts an EFS file
// system (-t efs with amazon-efs-utils installed; -t nfs4 by DNS name or a mount target's
// address with nfs-utils), as root, when EFS's check allows it (the mount target in the
// instance's zone, the network on TCP 2049, the file system policy), else it prints the mount
// helper's timeout or resolution error and the reason on a line "awsx: …"; what is under the
// mount point is the file system's content, shared by every instance that mounts it and kept
// with the state; umount, df and mount alone list the mounts, and a stop unmounts. Anything else is "command not
// found", with the list. File permissions hold: ec2-user writes /var/www/html only through
// sudo. The interpreter never reaches the host: its files, directory, environment and every
// program are the instance's, process substitution is refused, and background jobs (&) run
// to completion in place (a server they start is a service of the instance). A run is bounded:
// 100,000 commands, 4 MiB of output, 10 seconds; past a bound it stops with status 124.
// sleep (5, 0.5, 2m, 1h, 1d; at most a week) moves the cloud's clock as [Cloud.Advance] does
// and takes no wall time, so that what falls due meanwhile (a NAT gateway available, a Spot
// notice, an alarm) has happened when the next command runs; in user data at boot it
// returns at once, the boot's time being the launch's.
//
// A started httpd or nginx serves its document root on port 80 (/var/www/html; nginx's
// /usr/share/nginx/html on Amazon Linux), a python3 -m http.server its directory on its port;
// sshd listens on 22. [Cloud.Hosts] answers which ports listen and what answers HTTP there,
// for the features that reach an instance through the network, and [Cloud.FetchInstance]
// fetches a page directly. Windows instances have no simulated operating system.
//
// For an SSH client (awsx sim ssh, sim scp): [HostAddress] reads an address or one of EC2's
// DNS names of it (ec2-3-80-12-7.compute-1.amazonaws.com, ip-10-0-1-5.ec2.internal),
// [Cloud.SSHHost] finds the instance that has it (private, public or Elastic IP) with its
// state, the public key of the key pair it was launched with and its image's default user,
// [Cloud.Listening] says whether sshd listens, and [Cloud.StatInstanceFile],
// [Cloud.ReadInstanceFile], [Cloud.ReadInstanceDir], [Cloud.WriteInstanceFile] and
// [Cloud.MkdirInstance] read and write the instance's files as its user, with its permissions.
//
// # One path for every service
//
// Each service is a package that fills one contract (sim/internal/service): its signing
// name, its wire protocol (awsQuery, ec2query, restXml, awsJson, rpcv2Cbor — codecs derived from the
// SDK's own generated code), its operations (methods with the SDK's signatures), the
// resources each request acts on, its refusals' wording, and its state. Every request takes
// the same path: route, authenticate once, decode, authorize once, call, encode. Adding a
// service is a package and a registry line: sim/ADDING.md.
//
// # Test hooks
//
// [Cloud.Calls] is the log of the latest requests: who called what, the authorization's
// decision and the statement that made it, the error answered. [Cloud.Inject] answers the
// requests that match a [Fault] as a test says — an error, the service's throttle, a
// latency, or an answer of the test's own — after they are authenticated and authorized, so
// code's retries and fallbacks can be tested (see the examples).
//
// # Determinism, time and state
//
// IDs come from a seeded generator ([WithSeed]) and resource times from a clock
// ([WithClock]) that [Cloud.Advance] moves, so sessions expire without waiting. An instance
// is "pending" in the answer of RunInstances and "running" from the next call on; a
// terminated one is listed for an hour of the simulator's clock. The Spot market is played
// up to the clock before each request: a notice falls due when the clock has moved two
// minutes past it, however it moved. EBS's states (a volume creating, attaching, detaching,
// modifying; a snapshot pending) are a function of the clock, so Advance moves them too. A Cloud is safe
// for concurrent use. [Cloud.Save] and [Cloud.Load] write and read its whole state as one
// JSON document.
//
// [Open] keeps a cloud in a directory instead: each service's state is a part of a journaled
// store, a change is on disk (journal and directory synced) before the request that made it
// is answered, only the services that changed are written, a request that changes nothing
// writes nothing, and a service's part is read only when a request first needs it. A
// process killed at any point loses no answered change. The awsx command's state directory
// and `awsx sim serve --state-dir` are such directories.
//
// # When not to use it
//
// The simulator is one account, in one process, without AWS's eventual consistency, quotas
// beyond the documented per-entity ones, or services other than those above. Use it to learn,
// and to test code that calls AWS; use AWS itself to test how your system behaves on AWS.
package sim

//go:generate go run ./internal/opslist/gen -out OPERATIONS.md
