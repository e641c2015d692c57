// Package efssim simulates Amazon Elastic File System: file systems, their mount targets and
// access points, lifecycle, file system and backup policies, and tags, per region, served
// over restJson1 by package jsonproto from the SDK's own serializers.
//
// # What is simulated
//
//   - File systems: creation tokens (a second CreateFileSystem with one answers
//     FileSystemAlreadyExists naming the first), performance and throughput modes and their
//     rules (provisioned needs ProvisionedThroughputInMibps, maxIO neither elastic nor One
//     Zone), encryption with the given KMS key or the account's aws/elasticfilesystem key,
//     One Zone file systems in the zone given, the Name tag as Name; "creating" for 30
//     seconds of the simulator's clock, then "available"; UpdateFileSystem's "updating" for
//     10 seconds, a change of mode or decrease of provisioned throughput once per 24 hours
//     (TooManyRequests); DeleteFileSystem refused with FileSystemInUse while mount targets exist,
//     then "deleting" for 30 seconds.
//   - Mount targets: the subnet (read through EC2's DescribeSubnets, as the account) gives
//     the zone and VPC; one per zone (MountTargetConflict), all of a file system in one VPC;
//     the address given (in the subnet, not an instance's or another mount target's:
//     IpAddressInUse) or the highest free one; up to five security groups of the VPC, or its
//     default group; "creating" for 90 seconds, "deleting" for 60.
//   - Access points with their POSIX user and root directory, client tokens; lifecycle
//     policies; file system policies (parsed as IAM resource policies); backup policies;
//     TagResource, UntagResource and ListTagsForResource, and the older CreateTags,
//     DeleteTags and DescribeTags; account preferences (long or short IDs); replication
//     configurations to a new or an existing file system, in the region or another,
//     ENABLING then ENABLED, the destination read-only (REPLICATING) until the configuration
//     is deleted.
//   - Errors with EFS's codes and statuses (FileSystemNotFound 404, MountTargetConflict
//     409, …) in EFS's JSON: {"ErrorCode":…,"Message":…}.
//   - [Store.CanMount]: whether an instance can mount a file system, through the mount
//     target of its zone and the model of the network (world.Network) on TCP 2049, and by
//     the file system policy for a client without IAM authorization (with or without TLS).
//
// # Scope and limitations
//
//   - Records, not a file system: no data is stored; SizeInBytes is that of an empty file
//     system (0 while it is created, then 6 KiB of metadata).
//   - The mount target's network interface is EFS's own ID: the simulator's EC2 has no
//     network interfaces, so DescribeNetworkInterfaces does not show it, and EC2 does not
//     avoid its address when it places an instance (EFS counts down from the top of the
//     subnet to keep out of EC2's way). [Store.NetworkInterface] describes it for the
//     network's model.
//   - IPv6 mount targets are not simulated. Replication is a record: no data moves, and a
//     deleted replication configuration is gone at once (AWS takes minutes, DELETING).
package efssim
