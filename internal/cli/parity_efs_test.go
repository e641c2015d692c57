package cli

import "testing"

// efsSession uses every EFS operation the simulator answers: a network from EC2, file systems
// and the rules of their creation, tags new and old, and the operations that need an
// available file system, refused (the session's clock does not move, so it stays
// "creating"), then the deletes. Not yaml where the step changes state: the AWS CLI v1,
// which has no yaml, must change it too.
var efsSession = []step{
	// The network, from EC2.
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.40.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "vpc"},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.40.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "sn"},

	// File systems.
	{args: []string{"efs", "create-file-system", "--creation-token", "uploads", "--tags", "Key=Name,Value=wordpress", "--encrypted",
		"--query", "[LifeCycleState,PerformanceMode,ThroughputMode,Encrypted,Name,NumberOfMountTargets,SizeInBytes.Value]", "--output", "text"}},
	{args: []string{"efs", "create-file-system", "--creation-token", "uploads"}},
	{args: []string{"efs", "create-file-system", "--creation-token", "p", "--throughput-mode", "provisioned"}},
	{args: []string{"efs", "create-file-system", "--creation-token", "p", "--performance-mode", "maxIO", "--throughput-mode", "elastic"}},
	{args: []string{"efs", "create-file-system", "--creation-token", "oz", "--availability-zone-name", "us-east-1z"}},
	{args: []string{"efs", "create-file-system", "--creation-token", "oz", "--availability-zone-name", "us-east-1b", "--throughput-mode", "provisioned",
		"--provisioned-throughput-in-mibps", "64", "--query", "[AvailabilityZoneName,ProvisionedThroughputInMibps]", "--output", "text"}},
	{args: []string{"efs", "describe-file-systems", "--creation-token", "uploads", "--query", "FileSystems[0].FileSystemId", "--output", "text"}, capture: "fs"},
	{args: []string{"efs", "describe-file-systems", "--query", "FileSystems[].[CreationToken,LifeCycleState,Name]", "--output", "text"}},
	{args: []string{"efs", "describe-file-systems", "--file-system-id", "{fs}", "--output", "table", "--query", "FileSystems[].[FileSystemId,LifeCycleState,ThroughputMode]"}},
	{args: []string{"efs", "describe-file-systems", "--file-system-id", "{fs}", "--output", "yaml", "--query", "FileSystems[0].[OwnerId,PerformanceMode]"}},
	{args: []string{"efs", "describe-file-systems", "--max-items", "1", "--query", "FileSystems[].CreationToken"}},
	{args: []string{"efs", "describe-file-systems", "--file-system-id", "fs-0123456789abcdef0"}},
	{args: []string{"efs", "update-file-system", "--file-system-id", "{fs}", "--throughput-mode", "elastic"}},

	// What needs an available file system.
	{args: []string{"efs", "create-mount-target", "--file-system-id", "{fs}", "--subnet-id", "{sn}"}},
	{args: []string{"efs", "create-mount-target", "--file-system-id", "fs-0123456789abcdef0", "--subnet-id", "{sn}"}},
	{args: []string{"efs", "describe-mount-targets", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "describe-mount-targets"}},
	{args: []string{"efs", "describe-mount-targets", "--mount-target-id", "fsmt-0123456789abcdef0"}},
	{args: []string{"efs", "describe-mount-target-security-groups", "--mount-target-id", "fsmt-0123456789abcdef0"}},
	{args: []string{"efs", "modify-mount-target-security-groups", "--mount-target-id", "fsmt-0123456789abcdef0", "--security-groups", "sg-0123456789abcdef0"}},
	{args: []string{"efs", "delete-mount-target", "--mount-target-id", "fsmt-0123456789abcdef0"}},
	{args: []string{"efs", "create-access-point", "--file-system-id", "{fs}", "--posix-user", "Uid=1000,Gid=1000"}},
	{args: []string{"efs", "describe-access-points"}},
	{args: []string{"efs", "describe-access-points", "--access-point-id", "fsap-0123456789abcdef0"}},
	{args: []string{"efs", "delete-access-point", "--access-point-id", "fsap-0123456789abcdef0"}},
	{args: []string{"efs", "put-lifecycle-configuration", "--file-system-id", "{fs}", "--lifecycle-policies", "TransitionToIA=AFTER_30_DAYS"}},
	{args: []string{"efs", "describe-lifecycle-configuration", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "put-file-system-policy", "--file-system-id", "{fs}", "--policy", `{"Statement":[]}`}},
	{args: []string{"efs", "describe-file-system-policy", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "delete-file-system-policy", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "put-backup-policy", "--file-system-id", "{fs}", "--backup-policy", "Status=ENABLED"}},
	{args: []string{"efs", "describe-backup-policy", "--file-system-id", "{fs}"}},

	// Replication.
	{args: []string{"efs", "create-replication-configuration", "--source-file-system-id", "{fs}", "--destinations", "Region=eu-west-1"}},
	{args: []string{"efs", "describe-replication-configurations"}},
	{args: []string{"efs", "describe-replication-configurations", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "delete-replication-configuration", "--source-file-system-id", "{fs}"}},

	// The region's ID preference.
	{args: []string{"efs", "describe-account-preferences"}},
	{args: []string{"efs", "put-account-preferences", "--resource-id-type", "SHORT_ID", "--output", "text"}},
	{args: []string{"efs", "put-account-preferences", "--resource-id-type", "MEDIUM_ID"}},
	{args: []string{"efs", "describe-account-preferences", "--output", "table"}},

	// Tags, new and old.
	{args: []string{"efs", "tag-resource", "--resource-id", "{fs}", "--tags", "Key=team,Value=web", "Key=env,Value=lab"}},
	{args: []string{"efs", "untag-resource", "--resource-id", "{fs}", "--tag-keys", "env"}},
	{args: []string{"efs", "list-tags-for-resource", "--resource-id", "{fs}"}},
	{args: []string{"efs", "list-tags-for-resource", "--resource-id", "fsap-0123456789abcdef0"}},
	{args: []string{"efs", "create-tags", "--file-system-id", "{fs}", "--tags", "Key=Name,Value=media"}},
	{args: []string{"efs", "delete-tags", "--file-system-id", "{fs}", "--tag-keys", "team"}},
	{args: []string{"efs", "describe-tags", "--file-system-id", "{fs}", "--output", "text"}},

	// The command line's own errors (252).
	{args: []string{"efs", "create-mount-target", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "describe-file-systems", "--max-items", "many"}},

	// Deletes.
	{args: []string{"efs", "delete-file-system", "--file-system-id", "{fs}"}},
	{args: []string{"efs", "delete-file-system", "--file-system-id", "fs-0123456789abcdef0"}},
	{args: []string{"efs", "describe-file-systems", "--query", "FileSystems[].[CreationToken,LifeCycleState]", "--output", "text"}},
}

// Every EFS operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityEFSSession(t *testing.T) {
	compareSession(t, efsSession, nil)
}
