package rdssim

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// Resources returns the ARNs an RDS request acts on, for authorization: the door authorizes
// rds:<Operation> on each. The resource types are the Service Authorization Reference's:
// db (arn:aws:rds:REGION:ACCOUNT:db:ID), subgrp, pg and snapshot; a Describe without an
// identifier acts on every resource of its type (…:db:*), and the tagging operations on the
// ARN they name.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html
func Resources(account, region string, in any) []string {
	arn := func(kind, id string) string {
		return "arn:aws:rds:" + region + ":" + account + ":" + kind + ":" + strings.ToLower(id)
	}
	named := func(kind string, id *string) string {
		if s := aws.ToString(id); strings.HasPrefix(s, "arn:") {
			return s
		} else if s != "" {
			return arn(kind, s)
		}
		return arn(kind, "*")
	}
	opt := func(out []string, kind string, id *string) []string {
		if aws.ToString(id) != "" {
			out = append(out, named(kind, id))
		}
		return out
	}
	switch in := in.(type) {
	case *rds.CreateDBInstanceInput:
		out := []string{named("db", in.DBInstanceIdentifier)}
		out = opt(out, "subgrp", in.DBSubnetGroupName)
		return opt(out, "pg", in.DBParameterGroupName)
	case *rds.DescribeDBInstancesInput:
		return []string{named("db", in.DBInstanceIdentifier)}
	case *rds.ModifyDBInstanceInput:
		return opt([]string{named("db", in.DBInstanceIdentifier)}, "pg", in.DBParameterGroupName)
	case *rds.DeleteDBInstanceInput:
		return []string{named("db", in.DBInstanceIdentifier)}
	case *rds.StopDBInstanceInput:
		return []string{named("db", in.DBInstanceIdentifier)}
	case *rds.StartDBInstanceInput:
		return []string{named("db", in.DBInstanceIdentifier)}
	case *rds.RebootDBInstanceInput:
		return []string{named("db", in.DBInstanceIdentifier)}
	case *rds.CreateDBSubnetGroupInput:
		return []string{named("subgrp", in.DBSubnetGroupName)}
	case *rds.ModifyDBSubnetGroupInput:
		return []string{named("subgrp", in.DBSubnetGroupName)}
	case *rds.DeleteDBSubnetGroupInput:
		return []string{named("subgrp", in.DBSubnetGroupName)}
	case *rds.DescribeDBSubnetGroupsInput:
		return []string{named("subgrp", in.DBSubnetGroupName)}
	case *rds.CreateDBParameterGroupInput:
		return []string{named("pg", in.DBParameterGroupName)}
	case *rds.DeleteDBParameterGroupInput:
		return []string{named("pg", in.DBParameterGroupName)}
	case *rds.DescribeDBParameterGroupsInput:
		return []string{named("pg", in.DBParameterGroupName)}
	case *rds.DescribeDBParametersInput:
		return []string{named("pg", in.DBParameterGroupName)}
	case *rds.CreateDBSnapshotInput:
		return []string{named("db", in.DBInstanceIdentifier), named("snapshot", in.DBSnapshotIdentifier)}
	case *rds.DeleteDBSnapshotInput:
		return []string{named("snapshot", in.DBSnapshotIdentifier)}
	case *rds.DescribeDBSnapshotsInput:
		out := []string{named("snapshot", in.DBSnapshotIdentifier)}
		return opt(out, "db", in.DBInstanceIdentifier)
	case *rds.RestoreDBInstanceFromDBSnapshotInput:
		out := []string{named("db", in.DBInstanceIdentifier), named("snapshot", in.DBSnapshotIdentifier)}
		out = opt(out, "subgrp", in.DBSubnetGroupName)
		return opt(out, "pg", in.DBParameterGroupName)
	case *rds.AddTagsToResourceInput:
		return []string{aws.ToString(in.ResourceName)}
	case *rds.RemoveTagsFromResourceInput:
		return []string{aws.ToString(in.ResourceName)}
	case *rds.ListTagsForResourceInput:
		return []string{aws.ToString(in.ResourceName)}
	}
	return []string{"*"}
}
