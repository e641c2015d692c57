package cli

import "testing"

// rdsSession uses every RDS operation the simulator answers: a network from EC2, subnet and
// parameter groups, an instance and the errors of its rules, tags, the catalog, snapshots and
// restores (refused: the session's clock does not move, so the instance stays "creating"),
// then the deletes. Not yaml where the step changes state: the AWS CLI v1, which has no
// yaml, must change it too.
var rdsSession = []step{
	// The network, from EC2.
	{args: []string{"ec2", "create-vpc", "--cidr-block", "10.30.0.0/16", "--query", "Vpc.VpcId", "--output", "text"}, capture: "vpc"},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.30.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "sn1"},
	{args: []string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.30.2.0/24", "--availability-zone", "us-east-1b", "--query", "Subnet.SubnetId", "--output", "text"}, capture: "sn2"},
	{args: []string{"ec2", "create-security-group", "--group-name", "db", "--description", "db", "--vpc-id", "{vpc}", "--query", "GroupId", "--output", "text"}, capture: "sg"},

	// Subnet groups.
	{args: []string{"rds", "create-db-subnet-group", "--db-subnet-group-name", "data", "--db-subnet-group-description", "data tier", "--subnet-ids", "{sn1}", "{sn2}", "--tags", "Key=team,Value=shop"}},
	{args: []string{"rds", "create-db-subnet-group", "--db-subnet-group-name", "one", "--db-subnet-group-description", "one zone", "--subnet-ids", "{sn1}"}},
	{args: []string{"rds", "create-db-subnet-group", "--db-subnet-group-name", "data", "--db-subnet-group-description", "again", "--subnet-ids", "{sn1}", "{sn2}"}},
	{args: []string{"rds", "create-db-subnet-group", "--db-subnet-group-name", "ghost", "--db-subnet-group-description", "x", "--subnet-ids", "subnet-0123456789abcdef0", "{sn1}"}},
	{args: []string{"rds", "modify-db-subnet-group", "--db-subnet-group-name", "data", "--db-subnet-group-description", "the data tier", "--subnet-ids", "{sn1}", "{sn2}", "--output", "text"}},
	{args: []string{"rds", "describe-db-subnet-groups"}},
	{args: []string{"rds", "describe-db-subnet-groups", "--db-subnet-group-name", "data", "--output", "table"}},
	{args: []string{"rds", "describe-db-subnet-groups", "--db-subnet-group-name", "data", "--output", "yaml"}},
	{args: []string{"rds", "describe-db-subnet-groups", "--db-subnet-group-name", "nope"}},

	// Parameter groups and the catalog.
	{args: []string{"rds", "create-db-parameter-group", "--db-parameter-group-name", "tuned", "--db-parameter-group-family", "mysql8.0", "--description", "tuned"}},
	{args: []string{"rds", "create-db-parameter-group", "--db-parameter-group-name", "bad", "--db-parameter-group-family", "oracle19", "--description", "x"}},
	{args: []string{"rds", "describe-db-parameter-groups", "--query", "DBParameterGroups[].DBParameterGroupName", "--output", "text"}},
	{args: []string{"rds", "describe-db-parameter-groups", "--db-parameter-group-name", "tuned"}},
	{args: []string{"rds", "describe-db-parameters", "--db-parameter-group-name", "default.postgres17", "--output", "table"}},
	{args: []string{"rds", "describe-db-parameters", "--db-parameter-group-name", "tuned", "--query", "Parameters[].[ParameterName,Source]", "--output", "text"}},
	{args: []string{"rds", "describe-db-engine-versions", "--engine", "mysql", "--query", "DBEngineVersions[].[EngineVersion,DBParameterGroupFamily]", "--output", "text"}},
	{args: []string{"rds", "describe-db-engine-versions", "--default-only", "--query", "DBEngineVersions[].[Engine,EngineVersion]"}},
	{args: []string{"rds", "describe-db-engine-versions", "--engine", "postgres", "--engine-version", "16"}},

	// An instance, and the rules it meets.
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "shop-db", "--engine", "mysql", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--db-subnet-group-name", "data",
		"--vpc-security-group-ids", "{sg}", "--db-parameter-group-name", "tuned", "--backup-retention-period", "7", "--tags", "Key=env,Value=lab",
		"--query", "DBInstance.[DBInstanceIdentifier,DBInstanceStatus,Engine,EngineVersion,AllocatedStorage,AvailabilityZone]", "--output", "text"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "shop-db", "--engine", "mysql", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--engine-version", "9.6", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--db-instance-class", "db.x9.huge",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "10", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "has spaces", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "2pg", "--engine", "postgres", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--db-instance-class", "db.t3.micro",
		"--allocated-storage", "20", "--master-username", "admin", "--master-user-password", "correct-horse-9", "--vpc-security-group-ids", "sg-0123456789abcdef0"}},
	{args: []string{"rds", "create-db-instance", "--db-instance-identifier", "pg", "--engine", "postgres", "--engine-version", "17", "--db-instance-class", "db.t4g.small",
		"--allocated-storage", "50", "--storage-type", "gp3", "--master-username", "app_owner", "--master-user-password", "correct-horse-9",
		"--multi-az", "--deletion-protection", "--output", "table"}},
	{args: []string{"rds", "describe-db-instances"}},
	{args: []string{"rds", "describe-db-instances", "--db-instance-identifier", "shop-db", "--output", "yaml"}},
	{args: []string{"rds", "describe-db-instances", "--query", "DBInstances[].[DBInstanceIdentifier,DBInstanceStatus,MultiAZ,DBSubnetGroup.DBSubnetGroupName]", "--output", "text"}},
	{args: []string{"rds", "describe-db-instances", "--filters", "Name=engine,Values=postgres", "--query", "DBInstances[].DBInstanceIdentifier"}},
	{args: []string{"rds", "describe-db-instances", "--max-items", "1", "--query", "NextToken"}, capture: "dbs"},
	{args: []string{"rds", "describe-db-instances", "--starting-token", "{dbs}", "--query", "DBInstances[].DBInstanceIdentifier"}},
	{args: []string{"rds", "describe-db-instances", "--db-instance-identifier", "nope"}},
	{args: []string{"rds", "describe-db-instances", "--filters", "Name=colour,Values=red"}},

	// Changes to a "creating" instance are refused.
	{args: []string{"rds", "modify-db-instance", "--db-instance-identifier", "shop-db", "--db-instance-class", "db.t3.small", "--apply-immediately"}},
	{args: []string{"rds", "stop-db-instance", "--db-instance-identifier", "shop-db"}},
	{args: []string{"rds", "start-db-instance", "--db-instance-identifier", "shop-db"}},
	{args: []string{"rds", "reboot-db-instance", "--db-instance-identifier", "shop-db"}},
	{args: []string{"rds", "create-db-snapshot", "--db-instance-identifier", "shop-db", "--db-snapshot-identifier", "first"}},
	{args: []string{"rds", "describe-db-snapshots"}},
	{args: []string{"rds", "describe-db-snapshots", "--db-snapshot-identifier", "first"}},
	{args: []string{"rds", "delete-db-snapshot", "--db-snapshot-identifier", "first"}},
	{args: []string{"rds", "restore-db-instance-from-db-snapshot", "--db-instance-identifier", "again", "--db-snapshot-identifier", "first"}},

	// Tags.
	{args: []string{"rds", "add-tags-to-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:db:shop-db", "--tags", "Key=team,Value=shop", "Key=env,Value=prod"}},
	{args: []string{"rds", "list-tags-for-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:db:shop-db"}},
	{args: []string{"rds", "remove-tags-from-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:db:shop-db", "--tag-keys", "team"}},
	{args: []string{"rds", "list-tags-for-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:db:shop-db", "--output", "text"}},
	{args: []string{"rds", "list-tags-for-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:subgrp:data", "--output", "table"}},
	{args: []string{"rds", "list-tags-for-resource", "--resource-name", "arn:aws:rds:us-east-1:123456789012:db:nope"}},

	// The command line's own errors (252).
	{args: []string{"rds", "create-db-subnet-group", "--db-subnet-group-name", "x"}},
	{args: []string{"rds", "describe-db-instances", "--max-records", "many"}},

	// Deletes.
	{args: []string{"rds", "delete-db-instance", "--db-instance-identifier", "pg", "--skip-final-snapshot"}},
	{args: []string{"rds", "delete-db-instance", "--db-instance-identifier", "shop-db"}},
	{args: []string{"rds", "delete-db-subnet-group", "--db-subnet-group-name", "data"}},
	{args: []string{"rds", "delete-db-instance", "--db-instance-identifier", "shop-db", "--skip-final-snapshot", "--query", "DBInstance.DBInstanceStatus"}},
	{args: []string{"rds", "delete-db-parameter-group", "--db-parameter-group-name", "default.mysql8.0"}},
	{args: []string{"rds", "delete-db-parameter-group", "--db-parameter-group-name", "tuned"}},
	{args: []string{"rds", "describe-db-instances", "--query", "DBInstances[].[DBInstanceIdentifier,DBInstanceStatus]", "--output", "text"}},
}

// Every RDS operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityRDSSession(t *testing.T) {
	t.Parallel()
	compareSession(t, rdsSession, nil)
}
