// Package rdssim simulates Amazon RDS for one account: DB instances of MySQL, MariaDB and
// PostgreSQL, DB subnet groups, DB parameter groups and manual DB snapshots, per region, as
// records. It is not a database engine: an instance has an endpoint that names it, and
// nothing listens there; nothing stores rows.
//
// [RDS] has one method per operation with the SDK client's signature; the simulator's front
// door decodes the awsQuery requests (query.FromSchema over the SDK's RDS schemas),
// authorizes rds:<Operation> on the ARNs [Resources] names, and calls them. Operations of RDS
// it does not have (clusters, proxies, read replicas, option groups, events, …) are answered
// by the door with an error that names them.
//
// # What is simulated
//
//   - CreateDBInstance: the engine and version against a catalog of AWS's published ones
//     (engines.go: a default version per engine, a major version such as "8.0" or "16"
//     picking its newest minor), the instance class against the classes offered, storage
//     per storage type (gp2 and gp3 20–65,536 GiB, io1 and io2 100–65,536 with Iops,
//     standard 5–3,072), MasterUsername (1–16 characters for MySQL and MariaDB, 63 for
//     PostgreSQL, a letter first, not the engine's own names) and MasterUserPassword (8–41
//     or 128 printable ASCII characters but / " @ and space; it is checked, not kept), Port
//     by the engine's default, DBSubnetGroupName (none: the "default" group over the default
//     VPC's subnets, made on first use), VpcSecurityGroupIds (they must exist in EC2 and be
//     of the group's VPC; none: the VPC's default group), the Availability Zone (the first
//     of the group's, a second one for MultiAZ), PubliclyAccessible, DeletionProtection,
//     BackupRetentionPeriod (0–35), DBParameterGroupName (its family must be the version's),
//     tags. DescribeDBEngineVersions answers from the same catalog.
//   - States on the simulator's clock (core.Clock, moved with Cloud.Advance): creating (4
//     minutes) → backing-up (2) → available; stopping (2) → stopped; starting (3),
//     rebooting (1), modifying (1) → available; deleting (2) → gone. The endpoint,
//     <id>.<12 characters of the account and region>.<region>.rds.amazonaws.com and the
//     port, is there once creating is over. Statuses are computed from the record and the
//     time, so reads change nothing.
//   - DescribeDBInstances by identifier or ARN, with the db-instance-id, dbi-resource-id and
//     engine filters and Marker/MaxRecords paging (20–100); ModifyDBInstance (class,
//     storage — never down —, engine version, backup retention and Multi-AZ wait in
//     PendingModifiedValues unless ApplyImmediately; password, security groups, public
//     access, deletion protection, copy-tags and parameter group apply at once);
//     DeleteDBInstance (SkipFinalSnapshot or FinalDBSnapshotIdentifier, one of them;
//     DeletionProtection refuses); Stop, Start and RebootDBInstance.
//   - DB subnet groups: Create, Modify, Describe, Delete; their subnets must be of one VPC and
//     cover at least two Availability Zones, as EC2 describes them; a group in use is not
//     deleted.
//   - DB parameter groups: default.<family> for every family of the catalog (always there,
//     not deletable), the account's own (Create, Describe, Delete unless in use), and
//     DescribeDBParameters with a few of each engine's parameters and their defaults.
//   - Manual DB snapshots: CreateDBSnapshot of an available instance (creating for 2 minutes,
//     then available), DescribeDBSnapshots, DeleteDBSnapshot, the final snapshot of a
//     deletion, RestoreDBInstanceFromDBSnapshot.
//   - Tags of instances, subnet groups, parameter groups and snapshots by ARN
//     (AddTagsToResource, ListTagsForResource, RemoveTagsFromResource; 50 a resource).
//   - Authorization: rds:<Operation> on arn:aws:rds:<region>:<account>:db:<id>, :subgrp:,
//     :pg: and :snapshot: per the Service Authorization Reference (a Describe without an
//     identifier on …:db:*). RDS reads the network through EC2's own operations as the
//     account, standing for its service-linked role: the caller needs no EC2 permission.
//
// # State
//
// A [Store] holds every region's records under one lock; values handed out are built fresh.
// Identifiers are kept in lower case, as RDS keeps them. [Store.MarshalJSON] and
// [Store.UnmarshalJSON] save and load it; [Store.Generation] moves with every change, never
// with a read (an instance whose deletion has ended is dropped by the next write).
//
// # Scope and limitations
//
// Not simulated: a database (no connection, no data, no size growth), Aurora and DB
// clusters, read replicas, Multi-AZ failover (RebootDBInstance with ForceFailover is
// NotImplemented), automated backups and point-in-time restore, option groups, DB security
// groups (EC2-Classic), KMS (StorageEncrypted is recorded), Secrets Manager
// (ManageMasterUserPassword is NotImplemented), parameter values (ModifyDBParameterGroup and
// the engines' hundreds of parameters), maintenance windows (pending modifications wait
// until a call applies them immediately), renaming an instance or moving it to another
// subnet group or storage type (NotImplemented), events and quotas, and network interfaces:
// EC2 does not know an instance is in its subnets and security groups, so it does not
// refuse to delete them (AWS's DependencyViolation). Messages are AWS's where
// its documentation or public logs quote them (instance not found, already exists, the
// password and identifier rules, the subnet group's AZ coverage, deletion protection, the
// unsupported class combination); elsewhere the message is the simulator's own and the code
// is AWS's.
package rdssim
