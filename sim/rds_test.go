package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// rdsNetwork makes a VPC with two subnets in two zones and a security group: what a subnet
// group and an instance need.
func rdsNetwork(t *testing.T, cfg aws.Config) (vpc string, subnets []string, sg string) {
	t.Helper()
	ctx := context.Background()
	e := ec2.NewFromConfig(cfg)
	vpc = *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16")}))(t).Vpc.VpcId
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		sn := must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(fmt.Sprintf("10.20.%d.0/24", i+1)), AvailabilityZone: aws.String(az)}))(t)
		subnets = append(subnets, *sn.Subnet.SubnetId)
	}
	sg = *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db"), VpcId: &vpc}))(t).GroupId
	return vpc, subnets, sg
}

func mysqlInput(id, group, sg string) *rds.CreateDBInstanceInput {
	in := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(id), Engine: aws.String("mysql"), DBInstanceClass: aws.String("db.t3.micro"),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("admin"), MasterUserPassword: aws.String("correct-horse-9"),
	}
	if group != "" {
		in.DBSubnetGroupName = aws.String(group)
	}
	if sg != "" {
		in.VpcSecurityGroupIds = []string{sg}
	}
	return in
}

// A DB instance's life on the simulator's clock: creating, backing-up, available with an
// endpoint; stopped and started; snapshotted, deleted with a final snapshot, restored.
func TestRDSInstanceLifecycle(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Require(t, conformance.ClockControl)
		client := rds.NewFromConfig(c.Config())
		vpc, subnets, sg := rdsNetwork(t, c.Config())

		g := must(client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("Data"),
			DBSubnetGroupDescription: aws.String("data tier"), SubnetIds: subnets}))(t).DBSubnetGroup
		if aws.ToString(g.DBSubnetGroupName) != "data" || aws.ToString(g.VpcId) != vpc || len(g.Subnets) != 2 ||
			aws.ToString(g.DBSubnetGroupArn) != "arn:aws:rds:us-east-1:123456789012:subgrp:data" {
			t.Errorf("subnet group = %+v", g)
		}
		db := must(client.CreateDBInstance(ctx, mysqlInput("shop-db", "data", sg)))(t).DBInstance
		if aws.ToString(db.DBInstanceStatus) != "creating" || db.Endpoint != nil || aws.ToString(db.EngineVersion) != "8.0.41" ||
			aws.ToString(db.DBParameterGroups[0].DBParameterGroupName) != "default.mysql8.0" || aws.ToString(db.VpcSecurityGroups[0].VpcSecurityGroupId) != sg {
			t.Errorf("new instance = %+v", db)
		}
		_, err := client.CreateDBInstance(ctx, mysqlInput("shop-db", "data", sg))
		wantCode(t, err, "DBInstanceAlreadyExists")

		status := func() (string, *types.Endpoint) {
			out := must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("shop-db")}))(t)
			return aws.ToString(out.DBInstances[0].DBInstanceStatus), out.DBInstances[0].Endpoint
		}
		c.Advance(t, 4*time.Minute)
		if st, ep := status(); st != "backing-up" || ep == nil {
			t.Errorf("after 4 minutes: %s, endpoint %v", st, ep)
		}
		c.Advance(t, 2*time.Minute)
		st, ep := status()
		if st != "available" || aws.ToInt32(ep.Port) != 3306 || !strings.HasPrefix(aws.ToString(ep.Address), "shop-db.") ||
			!strings.HasSuffix(aws.ToString(ep.Address), ".us-east-1.rds.amazonaws.com") || len(strings.Split(aws.ToString(ep.Address), ".")[1]) != 12 {
			t.Errorf("after 6 minutes: %s, endpoint %+v", st, ep)
		}
		// The same instance, waited on with the SDK's own waiter (its polls advance nothing:
		// the instance is available already).
		must(0, rds.NewDBInstanceAvailableWaiter(client).Wait(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("shop-db")}, time.Minute))(t)

		_, err = client.StartDBInstance(ctx, &rds.StartDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db")})
		wantCode(t, err, "InvalidDBInstanceState")
		must(client.StopDBInstance(ctx, &rds.StopDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db")}))(t)
		c.Advance(t, 2*time.Minute)
		if st, _ := status(); st != "stopped" {
			t.Errorf("stopped: %s", st)
		}
		must(client.StartDBInstance(ctx, &rds.StartDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db")}))(t)
		c.Advance(t, 3*time.Minute)
		if st, _ := status(); st != "available" {
			t.Errorf("started: %s", st)
		}

		// Pending until applied; applied at once with ApplyImmediately.
		m := must(client.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db"), DBInstanceClass: aws.String("db.t3.small")}))(t).DBInstance
		if aws.ToString(m.DBInstanceClass) != "db.t3.micro" || aws.ToString(m.PendingModifiedValues.DBInstanceClass) != "db.t3.small" {
			t.Errorf("modified later: %+v", m.PendingModifiedValues)
		}
		m = must(client.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db"), AllocatedStorage: aws.Int32(30), ApplyImmediately: aws.Bool(true), DeletionProtection: aws.Bool(true)}))(t).DBInstance
		if aws.ToString(m.DBInstanceClass) != "db.t3.small" || aws.ToInt32(m.AllocatedStorage) != 30 || aws.ToString(m.DBInstanceStatus) != "modifying" || !aws.ToBool(m.DeletionProtection) {
			t.Errorf("modified now: %+v", m)
		}
		c.Advance(t, time.Minute)

		snap := must(client.CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String("shop-db"), DBSnapshotIdentifier: aws.String("before-sale")}))(t).DBSnapshot
		if aws.ToString(snap.Status) != "creating" || aws.ToInt32(snap.AllocatedStorage) != 30 {
			t.Errorf("snapshot = %+v", snap)
		}
		_, err = client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db"), SkipFinalSnapshot: aws.Bool(true)})
		wantCode(t, err, "InvalidParameterCombination") // deletion protection
		must(client.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db"), DeletionProtection: aws.Bool(false)}))(t)
		_, err = client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db")})
		wantCode(t, err, "InvalidParameterCombination") // neither skip nor a final snapshot
		_, err = client.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String("data")})
		wantCode(t, err, "InvalidDBSubnetGroupStateFault")
		del := must(client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("shop-db"), FinalDBSnapshotIdentifier: aws.String("last")}))(t).DBInstance
		if aws.ToString(del.DBInstanceStatus) != "deleting" {
			t.Errorf("deleting: %s", aws.ToString(del.DBInstanceStatus))
		}
		c.Advance(t, 2*time.Minute)
		_, err = client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("shop-db")})
		wantCode(t, err, "DBInstanceNotFound")
		var nf *types.DBInstanceNotFoundFault
		if !errors.As(err, &nf) {
			t.Errorf("the SDK did not read the typed error: %T", err)
		}
		snaps := must(client.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: aws.String("shop-db")}))(t).DBSnapshots
		if len(snaps) != 2 || aws.ToString(snaps[0].DBSnapshotIdentifier) != "before-sale" || aws.ToString(snaps[1].Status) != "available" {
			t.Errorf("snapshots = %+v", snaps)
		}
		must(client.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String("data")}))(t)

		r := must(client.RestoreDBInstanceFromDBSnapshot(ctx, &rds.RestoreDBInstanceFromDBSnapshotInput{DBInstanceIdentifier: aws.String("shop-db-2"),
			DBSnapshotIdentifier: aws.String("last")}))(t).DBInstance
		if aws.ToString(r.Engine) != "mysql" || aws.ToInt32(r.AllocatedStorage) != 30 || aws.ToString(r.DBSubnetGroup.DBSubnetGroupName) != "default" ||
			aws.ToString(r.MasterUsername) != "admin" || aws.ToString(r.DBInstanceClass) != "db.t3.small" {
			t.Errorf("restored = %+v", r)
		}
		must(client.DeleteDBSnapshot(ctx, &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: aws.String("before-sale")}))(t)
		_, err = client.DeleteDBSnapshot(ctx, &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: aws.String("before-sale")})
		wantCode(t, err, "DBSnapshotNotFound")
	})
}

// CreateDBInstance's checks, each with AWS's code.
func TestRDSCreateInstanceErrors(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto checks none of CreateDBInstance's rules on versions, classes, storage, users, passwords, zones or security groups, nor a subnet group's zones")
		client := rds.NewFromConfig(c.Config())
		_, subnets, sg := rdsNetwork(t, c.Config())
		must(client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("data"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: subnets}))(t)
		tests := []struct {
			name string
			edit func(in *rds.CreateDBInstanceInput)
			code string
		}{
			{"bad identifier", func(in *rds.CreateDBInstanceInput) { in.DBInstanceIdentifier = aws.String("1db") }, "InvalidParameterValue"},
			{"double hyphen", func(in *rds.CreateDBInstanceInput) { in.DBInstanceIdentifier = aws.String("a--b") }, "InvalidParameterValue"},
			{"unknown engine", func(in *rds.CreateDBInstanceInput) { in.Engine = aws.String("mysqll") }, "InvalidParameterValue"},
			{"unknown version", func(in *rds.CreateDBInstanceInput) { in.EngineVersion = aws.String("5.9") }, "InvalidParameterCombination"},
			{"unknown class", func(in *rds.CreateDBInstanceInput) { in.DBInstanceClass = aws.String("db.z9.huge") }, "InvalidParameterCombination"},
			{"small storage", func(in *rds.CreateDBInstanceInput) { in.AllocatedStorage = aws.Int32(10) }, "InvalidParameterValue"},
			{"io1 without iops", func(in *rds.CreateDBInstanceInput) {
				in.StorageType = aws.String("io1")
				in.AllocatedStorage = aws.Int32(100)
			}, "InvalidParameterCombination"},
			{"short password", func(in *rds.CreateDBInstanceInput) { in.MasterUserPassword = aws.String("short") }, "InvalidParameterValue"},
			{"password with @", func(in *rds.CreateDBInstanceInput) { in.MasterUserPassword = aws.String("abc@defgh") }, "InvalidParameterValue"},
			{"no password", func(in *rds.CreateDBInstanceInput) { in.MasterUserPassword = nil }, "InvalidParameterValue"},
			{"long mysql user", func(in *rds.CreateDBInstanceInput) { in.MasterUsername = aws.String("a234567890123456x") }, "InvalidParameterValue"},
			{"reserved user", func(in *rds.CreateDBInstanceInput) { in.MasterUsername = aws.String("rdsadmin") }, "InvalidParameterValue"},
			{"missing subnet group", func(in *rds.CreateDBInstanceInput) { in.DBSubnetGroupName = aws.String("nope") }, "DBSubnetGroupNotFoundFault"},
			{"missing security group", func(in *rds.CreateDBInstanceInput) { in.VpcSecurityGroupIds = []string{"sg-0123456789abcdef0"} }, "InvalidParameterValue"},
			{"security group of another VPC", func(in *rds.CreateDBInstanceInput) { in.DBSubnetGroupName = nil }, "InvalidParameterCombination"},
			{"zone and Multi-AZ", func(in *rds.CreateDBInstanceInput) {
				in.MultiAZ = aws.Bool(true)
				in.AvailabilityZone = aws.String("us-east-1a")
			}, "InvalidParameterCombination"},
			{"missing parameter group", func(in *rds.CreateDBInstanceInput) { in.DBParameterGroupName = aws.String("tuned") }, "DBParameterGroupNotFound"},
			{"retention", func(in *rds.CreateDBInstanceInput) { in.BackupRetentionPeriod = aws.Int32(36) }, "InvalidParameterValue"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := mysqlInput("db1", "data", sg)
				tt.edit(in)
				_, err := client.CreateDBInstance(ctx, in)
				wantCode(t, err, tt.code)
			})
		}
		// Ports by engine; PostgreSQL's user may be longer; the version's major picks its newest.
		pg := mysqlInput("pg1", "data", sg)
		pg.Engine, pg.EngineVersion, pg.MasterUsername = aws.String("postgres"), aws.String("16"), aws.String("a_postgres_user_name_longer_than_16")
		db := must(client.CreateDBInstance(ctx, pg))(t).DBInstance
		if aws.ToString(db.EngineVersion) != "16.6" || aws.ToString(db.DBParameterGroups[0].DBParameterGroupName) != "default.postgres16" || aws.ToString(db.LicenseModel) != "postgresql-license" {
			t.Errorf("postgres = %+v", db)
		}
		if ds := must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("pg1")}))(t).DBInstances; len(ds) != 1 {
			t.Fatal(ds)
		}
		// Multi-AZ takes a second zone; the subnet group must cover two.
		ma := mysqlInput("multi", "data", sg)
		ma.MultiAZ = aws.Bool(true)
		db = must(client.CreateDBInstance(ctx, ma))(t).DBInstance
		if aws.ToString(db.AvailabilityZone) != "us-east-1a" || aws.ToString(db.SecondaryAvailabilityZone) != "us-east-1b" {
			t.Errorf("Multi-AZ zones %s %s", aws.ToString(db.AvailabilityZone), aws.ToString(db.SecondaryAvailabilityZone))
		}
		_, err := client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("one"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: subnets[:1]})
		wantCode(t, err, "DBSubnetGroupDoesNotCoverEnoughAZs")
		_, err = client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("bad"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: []string{"subnet-0123456789abcdef0", subnets[0]}})
		wantCode(t, err, "InvalidSubnet")
		// An empty list ("SubnetIds=" on the wire) is there, and names no subnet.
		_, err = client.ModifyDBSubnetGroup(ctx, &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: aws.String("data"), SubnetIds: []string{}})
		wantCode(t, err, "InvalidSubnet")
		_, err = client.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("data"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: subnets})
		wantCode(t, err, "DBSubnetGroupAlreadyExists")
		// No subnet group: the default VPC's "default" group, made once.
		db = must(client.CreateDBInstance(ctx, mysqlInput("plain", "", "")))(t).DBInstance
		if aws.ToString(db.DBSubnetGroup.DBSubnetGroupName) != "default" || len(db.VpcSecurityGroups) != 1 {
			t.Errorf("default placement = %+v", db.DBSubnetGroup)
		}
		groups := must(client.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{}))(t).DBSubnetGroups
		if len(groups) != 2 || aws.ToString(groups[1].DBSubnetGroupName) != "default" {
			t.Errorf("groups = %d", len(groups))
		}
	})
}

// Parameter groups, engine versions, tags, filters and paging.
func TestRDSCatalogTagsAndPaging(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		c.Diverges(t, conformance.Moto, "moto's DescribeDBEngineVersions answers XML the SDK cannot parse (an unquoted attribute)")
		client := rds.NewFromConfig(c.Config())
		vs := must(client.DescribeDBEngineVersions(ctx, &rds.DescribeDBEngineVersionsInput{Engine: aws.String("mysql"), DefaultOnly: aws.Bool(true)}))(t).DBEngineVersions
		if len(vs) != 1 || aws.ToString(vs[0].EngineVersion) != "8.0.41" || aws.ToString(vs[0].DBParameterGroupFamily) != "mysql8.0" {
			t.Errorf("default mysql = %+v", vs)
		}
		all := must(client.DescribeDBEngineVersions(ctx, &rds.DescribeDBEngineVersionsInput{}))(t).DBEngineVersions
		if len(all) < 10 {
			t.Errorf("%d engine versions", len(all))
		}
		pg := must(client.CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{DBParameterGroupName: aws.String("tuned"),
			DBParameterGroupFamily: aws.String("mysql8.0"), Description: aws.String("tuned"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("shop")}}}))(t).DBParameterGroup
		arn := aws.ToString(pg.DBParameterGroupArn)
		if arn != "arn:aws:rds:us-east-1:123456789012:pg:tuned" {
			t.Errorf("pg arn %s", arn)
		}
		_, err := client.CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{DBParameterGroupName: aws.String("x"), DBParameterGroupFamily: aws.String("oracle19"), Description: aws.String("d")})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DeleteDBParameterGroup(ctx, &rds.DeleteDBParameterGroupInput{DBParameterGroupName: aws.String("default.mysql8.0")})
		wantCode(t, err, "InvalidDBParameterGroupState")
		params := must(client.DescribeDBParameters(ctx, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String("tuned")}))(t).Parameters
		if len(params) == 0 || aws.ToString(params[0].ParameterName) == "" {
			t.Errorf("parameters = %+v", params)
		}
		must(client.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: &arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("team"), Value: aws.String("ops")}}}))(t)
		tags := must(client.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: &arn}))(t).TagList
		if len(tags) != 2 || aws.ToString(tags[0].Value) != "ops" || aws.ToString(tags[1].Key) != "env" {
			t.Errorf("tags = %+v", tags)
		}
		must(client.RemoveTagsFromResource(ctx, &rds.RemoveTagsFromResourceInput{ResourceName: &arn, TagKeys: []string{"team"}}))(t)
		if tags := must(client.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: &arn}))(t).TagList; len(tags) != 1 {
			t.Errorf("after removal %+v", tags)
		}
		_, err = client.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:rds:us-east-1:123456789012:db:nope")})
		wantCode(t, err, "DBInstanceNotFound")
		_, err = client.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:rds:eu-west-1:123456789012:pg:tuned")})
		wantCode(t, err, "InvalidParameterValue")
		must(client.DeleteDBParameterGroup(ctx, &rds.DeleteDBParameterGroupInput{DBParameterGroupName: aws.String("tuned")}))(t)
		_, err = client.DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String("tuned")})
		wantCode(t, err, "DBParameterGroupNotFound")

		// 25 instances, 20 a page, in the default VPC; a filter on the engine.
		for i := range 25 {
			in := mysqlInput(fmt.Sprintf("db-%02d", i), "", "")
			if i%5 == 0 {
				in.Engine, in.MasterUsername = aws.String("mariadb"), aws.String("maria")
			}
			must(client.CreateDBInstance(ctx, in))(t)
		}
		var ids []string
		p := rds.NewDescribeDBInstancesPaginator(client, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(20)})
		pages := 0
		for p.HasMorePages() {
			for _, d := range must(p.NextPage(ctx))(t).DBInstances {
				ids = append(ids, aws.ToString(d.DBInstanceIdentifier))
			}
			pages++
		}
		if len(ids) != 25 || pages != 2 || ids[0] != "db-00" || ids[24] != "db-24" {
			t.Errorf("%d pages: %v", pages, ids)
		}
		maria := must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{Filters: []types.Filter{{Name: aws.String("engine"), Values: []string{"mariadb"}}}}))(t).DBInstances
		if len(maria) != 5 {
			t.Errorf("%d mariadb instances", len(maria))
		}
		_, err = client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
		wantCode(t, err, "InvalidParameterValue")
		_, err = client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(5)})
		wantCode(t, err, "InvalidParameterValue")
		// Regional.
		west := rds.NewFromConfig(c.Config(conformance.WithRegion("eu-west-1")))
		if n := len(must(west.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}))(t).DBInstances); n != 0 {
			t.Errorf("eu-west-1 has %d instances", n)
		}
	})
}

// rds:<Operation> on the resource's ARN; the refusal is the query services' AccessDenied.
func TestRDSAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		must(iam.NewFromConfig(c.Config()).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("unused")}))(t)
		alex := rds.NewFromConfig(newUser(t, c, "alex"))
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alex"), PolicyName: aws.String("a"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:CreateDBInstance","rds:DescribeDBInstances"],"Resource":"arn:aws:rds:us-east-1:123456789012:db:team-*"}]}`)}))(t)
		// Allowed with no EC2 permission: RDS reads the network as its service-linked role.
		must(alex.CreateDBInstance(ctx, mysqlInput("team-a", "", "")))(t)
		must(alex.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("team-a")}))(t)
		c.Require(t, conformance.EnforcesIAM)
		_, err := alex.CreateDBInstance(ctx, mysqlInput("other", "", ""))
		wantCode(t, err, "AccessDenied")
		if !strings.Contains(err.Error(), "rds:CreateDBInstance on resource: arn:aws:rds:us-east-1:123456789012:db:other") {
			t.Errorf("the refusal does not say what: %v", err)
		}
		_, err = alex.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
		wantCode(t, err, "AccessDenied") // db:* is not team-*
		_, err = rds.NewFromConfig(c.Config()).DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
		wantCode(t, err, "NotImplemented")
	})
}

// Many goroutines create, describe and tag instances at once (run with -race).
func TestRDSConcurrent(t *testing.T) {
	c := sim.New(sim.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	client := rds.NewFromConfig(c.Config())
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("db-%d", i)
			out, err := client.CreateDBInstance(ctx, mysqlInput(id, "", ""))
			if err != nil {
				errs <- err
				return
			}
			if _, err := client.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: out.DBInstance.DBInstanceArn, Tags: []types.Tag{{Key: aws.String("n"), Value: aws.String(id)}}}); err != nil {
				errs <- err
			}
			if _, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}); err != nil {
				errs <- err
			}
			c.Advance(time.Second)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}))(t).DBInstances); n != 16 {
		t.Errorf("%d instances", n)
	}
	if n := len(must(client.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{}))(t).DBSubnetGroups); n != 1 {
		t.Errorf("%d default subnet groups", n)
	}
}

// RDS's state is saved and loaded with the cloud's.
func TestRDSSaveLoad(t *testing.T) {
	ctx := context.Background()
	c := sim.New()
	client := rds.NewFromConfig(c.Config())
	must(client.CreateDBInstance(ctx, mysqlInput("kept", "", "")))(t)
	must(client.CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{DBParameterGroupName: aws.String("p"), DBParameterGroupFamily: aws.String("postgres17"), Description: aws.String("d")}))(t)
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&buf); err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Minute)
	d.Advance(10 * time.Minute)
	got := must(rds.NewFromConfig(d.Config()).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("kept")}))(t).DBInstances[0]
	want := must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("kept")}))(t).DBInstances[0]
	if aws.ToString(got.DBInstanceStatus) != "available" || aws.ToString(got.Endpoint.Address) != aws.ToString(want.Endpoint.Address) || aws.ToString(got.DbiResourceId) != aws.ToString(want.DbiResourceId) {
		t.Errorf("loaded %+v", got)
	}
	must(rds.NewFromConfig(d.Config()).DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String("p")}))(t)
}

// A cloud from Open keeps RDS's records across a reopen, and reading them writes nothing,
// even as their states move on the clock.
func TestRDSOpenKeepsState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openCloud(t, dir, false)
	must(rds.NewFromConfig(c.Config()).CreateDBInstance(ctx, mysqlInput("kept", "", "")))(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = openCloud(t, dir, false)
	defer c.Close()
	client := rds.NewFromConfig(c.Config())
	before := dirBytes(t, dir)
	for _, d := range []time.Duration{0, 5 * time.Minute} {
		c.Advance(d)
		before = dirBytes(t, dir)
		st := aws.ToString(must(client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("kept")}))(t).DBInstances[0].DBInstanceStatus)
		if want := map[time.Duration]string{0: "creating", 5 * time.Minute: "backing-up"}[d]; st != want {
			t.Errorf("after %v: %s, want %s", d, st, want)
		}
		must(client.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{}))(t)
		if after := dirBytes(t, dir); after != before {
			t.Errorf("reads wrote:\nbefore\n%s\nafter\n%s", before, after)
		}
	}
}
