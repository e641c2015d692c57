// Package cfnsim is AWS CloudFormation in the simulator: stacks made from templates, spoken in
// CloudFormation's awsQuery protocol from the SDK's own schemas.
//
// # Templates
//
// A template is JSON or YAML; YAML's short-form tags (!Ref, !GetAtt, !Sub, !Join, !Select,
// !Split, !GetAZs, !FindInMap, !If, !Equals, !Not, !And, !Or, !Condition, !Base64, !Cidr,
// !ImportValue) are read from the YAML library's nodes into the long form. Every scalar is a
// string, as CloudFormation passes them. ValidateTemplate and CreateStack check the sections,
// the resource types ("Template format error: Unrecognized resource types: [AWS::Foo::Bar]"),
// the references of Ref, Fn::GetAtt, Fn::Sub and DependsOn ("Unresolved resource
// dependencies [X] in the Resources block of the template") and cycles ("Circular dependency
// between resources: [A, B]"), and the IAM capabilities a template needs. Parameters are
// String, Number, CommaDelimitedList, List<Number>, the AWS-specific EC2 types (key pairs,
// images, VPCs, subnets and security groups checked through EC2's operations as the caller)
// and AWS::SSM::Parameter::Value<…> (read through SSM's), with AllowedValues,
// AllowedPattern, MinLength, MaxLength, MinValue, MaxValue, ConstraintDescription and NoEcho
// (shown as ****), refused in AWS's words.
//
// # Stacks
//
// CreateStack makes the stack's resources one after the other, each after those it depends
// on (else in the template's order), at the call, through the services' operations at the
// door as the caller — never their stores — so they are authorized with the caller's
// policies, as AWS does for a stack without a service role. A RoleARN needs iam:PassRole on
// the role (for cloudformation.amazonaws.com); it is kept, but not assumed yet: the
// resources are still made as the caller.
// Unknown properties fail their resource ("Encountered unsupported property X"); a service's
// refusal fails it with the service's message as the reason; then the stack is rolled back:
// what was made is deleted in reverse, ROLLBACK_IN_PROGRESS → ROLLBACK_COMPLETE (or
// CREATE_FAILED when rollback is disabled), and DeleteStack deletes the stack. DeleteStack
// deletes in the reverse of creation, keeps resources whose DeletionPolicy is Retain
// (DELETE_SKIPPED), and refuses while TerminationProtection is on or another stack imports
// one of its exports.
//
// The timing rule: the operation runs at the call, and its events are stamped one second
// apart on the simulator's clock from the call's time (a resource's CREATE_IN_PROGRESS and
// "Resource creation Initiated" at its second, its CREATE_COMPLETE at the next). What
// DescribeStacks, DescribeStackEvents and the resource operations show is what the events up
// to the clock's now say: a stack of ten resources is CREATE_IN_PROGRESS for ten seconds,
// then CREATE_COMPLETE, with its outputs. No background work is needed, so nothing is
// settled when the clock moves; the resources themselves exist from the call.
//
// Resource types: EC2's VPC, Subnet, InternetGateway, VPCGatewayAttachment, RouteTable,
// Route, SubnetRouteTableAssociation, SecurityGroup, SecurityGroupIngress, Instance, EIP and
// NatGateway; S3's Bucket and BucketPolicy; IAM's Role, InstanceProfile, Policy and
// ManagedPolicy; SSM's Parameter; SNS's Topic; ELBv2's LoadBalancer, TargetGroup and
// Listener; EFS's FileSystem and MountTarget; EC2's LaunchTemplate; Auto Scaling's
// LaunchConfiguration, AutoScalingGroup and ScalingPolicy; RDS's DBSubnetGroup and
// DBInstance. Each has its Ref value and the Fn::GetAtt attributes AWS documents. Since a
// resource is made at the call, one that needs another to have settled on the clock (a mount
// target on a file system still "creating") fails in the same stack; it works from a second
// stack made later (through Fn::ImportValue, say).
//
// An Auto Scaling group launches its instances at the call, as Auto Scaling does; deleting
// it forces the deletion (ForceDelete), terminating them. A DBInstance is "creating" on
// RDS's clock for minutes, but its CREATE_COMPLETE follows at the next second like any
// resource's; its Endpoint.Address and Endpoint.Port, which RDS shows only after
// "creating", are fixed at creation and answered at the call (read from RDS's store through
// SetDBEndpoint, the one attribute not read through the door). Without a DeletionPolicy a
// DBInstance is deleted as CloudFormation's default, Snapshot, asks: with a final snapshot
// named stack-Logical-RANDOM — which RDS refuses while the instance is still creating (the
// resource's DELETE_FAILED says so); a rollback deletes without one. The deleting instance
// keeps its subnet group for two minutes of the clock, so a stack holding both ends
// DELETE_FAILED on the subnet group; DeleteStack again, after the clock moves, finishes —
// where AWS would wait.
//
// UpdateStack (a new template, new parameter values, UsePreviousValue,
// UsePreviousTemplate) makes the resources added, deletes those removed, and replaces those
// whose evaluated properties changed — a new one made, the old one deleted in the
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS phase; nothing is updated in place, and a named
// resource that would be replaced is refused as AWS refuses it. An update with no changes is
// refused ("No updates are to be performed."); a failing one is rolled back to
// UPDATE_ROLLBACK_COMPLETE.
//
// # Change sets
//
// CreateChangeSet checks its request as CreateStack (ChangeSetType CREATE) or UpdateStack
// (UPDATE, the default) check theirs, at the call, and finds what would change without
// making anything. A CREATE change set makes its stack in REVIEW_IN_PROGRESS, with no
// resources (DeleteStack deletes it); its changes are every resource an Add. An UPDATE change
// set's changes are the update's plan: Add, Remove, and Modify for a resource whose
// properties changed — Replacement True, each changed property RequiresRecreation Always,
// since the simulator replaces what it modifies — with the change's source: a parameter
// (ParameterReference, Static), a resource being replaced (ResourceReference, Dynamic), else
// DirectModification. A change set is CREATE_PENDING in its first second on the clock, then
// CREATE_COMPLETE, or FAILED with "The submitted information didn't contain changes. Submit
// different information to create a change set." (or the refusal of a named resource's
// replacement). Its ExecutionStatus is UNAVAILABLE, then AVAILABLE; OBSOLETE once its stack
// changed otherwise; EXECUTE_IN_PROGRESS until the stack's last event of the execution, then
// EXECUTE_COMPLETE or EXECUTE_FAILED. ExecuteChangeSet runs the creation or update as
// CreateStack and UpdateStack do, and deletes the stack's other change sets; deleting a stack
// deletes its change sets. GetTemplateSummary describes a template or a stack's, as the AWS
// CLI's deploy asks.
//
// # Stack policies and termination protection
//
// A stack policy (StackPolicyBody of CreateStack and UpdateStack, SetStackPolicy,
// GetStackPolicy) is checked when set: Allow or Deny, Update:Modify, Update:Replace,
// Update:Delete or Update:*, Principal "*", Resource or NotResource ("*",
// "LogicalResourceId/Name", with wildcards), and StringEquals or StringLike on ResourceType.
// An update (UpdateStack, ExecuteChangeSet) is checked against it before anything is made:
// each replacement is Update:Replace (the simulator replaces what it modifies) and each
// removal Update:Delete; an explicit Deny wins, and once a policy is set a resource no
// statement allows is denied. The first resource denied is UPDATE_FAILED ("Action denied by
// stack policy: Statement [#2] does not allow [Update:Replace] for resource
// [LogicalResourceId/Topic]"), and the update rolls back; StackPolicyDuringUpdateBody
// overrides the policy for one update. UpdateTerminationProtection turns on and off the
// protection that makes DeleteStack refuse. Policy URLs are not read yet.
//
// # Templates in S3
//
// A TemplateURL (ValidateTemplate, CreateStack, UpdateStack, CreateChangeSet,
// GetTemplateSummary) is read from the simulator's own S3 through GetObject at the door, as
// the caller: one who may not read the object gets "S3 error: " and S3's refusal. The URL is
// S3's, virtual-hosted (https://BUCKET.s3.amazonaws.com/KEY, with .s3.REGION. or .s3-REGION.)
// or path-style (https://s3.amazonaws.com/BUCKET/KEY, s3.REGION., s3-REGION.); any other is
// refused ("TemplateURL must be a supported URL.").
//
// A nested stack, AWS::CloudFormation::Stack, is made from its TemplateURL by CreateStack at
// the door as the caller, with its Parameters and the parent's capabilities, named
// PARENT-Logical-RANDOM; its Ref is its stack ID and Fn::GetAtt Outputs.NAME its outputs,
// known at the call since the child is made at once (its own events run on the clock from
// the same second, so the parent may show the child's resource complete before the child
// is). A child that rolls back fails its resource ("Embedded stack ARN was not successfully
// created: " and the child's reason), and the parent rolls back; deleting the parent deletes
// the child. ParentId and RootId are not shown yet.
//
// # Drift
//
// DetectStackDrift (and DetectStackResourceDrift for one resource) reads each resource of a
// stack in CREATE_COMPLETE, UPDATE_COMPLETE or UPDATE_ROLLBACK_COMPLETE through its service's
// operations as the caller, and compares the properties the simulator reads with the
// template's: SSM parameters (Value, Type) and SNS topics (DisplayName). A resource that
// differs is MODIFIED, with each property's difference (NOT_EQUAL); one deleted outside the
// stack is DELETED; resources of the other types are NOT_CHECKED, as AWS answers for types
// drift detection does not support. A detection is complete at the call
// (DescribeStackDriftDetectionStatus), its results kept for DescribeStackResourceDrifts, and
// DescribeStacks shows the stack's drift status and when it was checked.
//
// Not yet: resource import change sets,
// creation policies, the aws:cloudformation:* tags (EC2 refuses aws: keys to every caller).
package cfnsim
