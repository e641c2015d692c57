package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// The course's compute and database tier from a template: a launch template, an Auto
// Scaling group of two over two subnets launching from its latest version, a target
// tracking policy, and a MySQL instance in a subnet group whose endpoint is an output.
// Deleting the stack terminates the group's instances and deletes the DB instance with a
// final snapshot, CloudFormation's default DeletionPolicy for a DBInstance.
func TestCloudFormationComputeTier(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		body := `Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.6.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.6.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.6.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: web, VpcId: !Ref VPC}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-4fffc834
        InstanceType: t3.micro
        SecurityGroupIds: [!Ref Web]
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: !GetAtt Template.LatestVersionNumber
      MinSize: '2'
      MaxSize: '4'
      DesiredCapacity: '2'
      VPCZoneIdentifier: [!Ref A, !Ref B]
      HealthCheckType: EC2
      HealthCheckGracePeriod: 300
      Tags:
        - {Key: Name, Value: web, PropagateAtLaunch: true}
  CPU:
    Type: AWS::AutoScaling::ScalingPolicy
    Properties:
      AutoScalingGroupName: !Ref Group
      PolicyType: TargetTrackingScaling
      TargetTrackingConfiguration:
        PredefinedMetricSpecification: {PredefinedMetricType: ASGAverageCPUUtilization}
        TargetValue: 70
  DBSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: {DBSubnetGroupDescription: db, SubnetIds: [!Ref A, !Ref B]}
  DB:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t3.micro
      AllocatedStorage: '20'
      MasterUsername: admin
      MasterUserPassword: correct-horse-9
      DBName: wordpress
      DBSubnetGroupName: !Ref DBSubnets
      VPCSecurityGroups: [!GetAtt Web.GroupId]
      MultiAZ: false
      DeletionProtection: false
Outputs:
  Host:
    Value: !GetAtt DB.Endpoint.Address
  Port:
    Value: !GetAtt DB.Endpoint.Port
  Group:
    Value: !Ref Group
  Policy:
    Value: !Ref CPU
  Version:
    Value: !GetAtt Template.LatestVersionNumber
`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("compute"), TemplateBody: &body}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "compute"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("compute")}))(t).StackEvents
			for _, e := range ev {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("status %s", st.StackStatus)
		}
		as := autoscaling.NewFromConfig(c.Config())
		groups := must(as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{outputOf(st, "Group")}}))(t).AutoScalingGroups
		if len(groups) != 1 || len(groups[0].Instances) != 2 || aws.ToString(groups[0].LaunchTemplate.Version) != "1" || outputOf(st, "Version") != "1" {
			t.Fatalf("groups %+v", groups)
		}
		g := groups[0]
		var ids []string
		zones := map[string]bool{}
		for _, in := range g.Instances {
			ids = append(ids, aws.ToString(in.InstanceId))
			zones[aws.ToString(in.AvailabilityZone)] = true
		}
		if len(zones) != 2 {
			t.Errorf("zones %v", zones)
		}
		ec := ec2.NewFromConfig(c.Config())
		for _, r := range must(ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}))(t).Reservations {
			for _, in := range r.Instances {
				if in.State.Name != ec2types.InstanceStateNameRunning {
					t.Errorf("%s is %s", aws.ToString(in.InstanceId), in.State.Name)
				}
			}
		}
		pols := must(as.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: g.AutoScalingGroupName}))(t).ScalingPolicies
		if len(pols) != 1 || aws.ToString(pols[0].PolicyARN) != outputOf(st, "Policy") || pols[0].TargetTrackingConfiguration == nil ||
			aws.ToFloat64(pols[0].TargetTrackingConfiguration.TargetValue) != 70 {
			t.Errorf("policies %+v, output %s", pols, outputOf(st, "Policy"))
		}

		// The endpoint is the output once RDS shows it.
		c.Advance(t, 10*time.Minute)
		rc := rds.NewFromConfig(c.Config())
		dbs := must(rc.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}))(t).DBInstances
		if len(dbs) != 1 || dbs[0].Endpoint == nil || aws.ToString(dbs[0].Endpoint.Address) != outputOf(st, "Host") || outputOf(st, "Port") != "3306" ||
			aws.ToString(dbs[0].DBName) != "wordpress" {
			t.Fatalf("DB instances %+v, outputs %s:%s", dbs, outputOf(st, "Host"), outputOf(st, "Port"))
		}
		db := aws.ToString(dbs[0].DBInstanceIdentifier)

		// The stack is deleted at the call, but RDS's instance is "deleting" for a while on
		// the clock and keeps its subnet group until then: the first DeleteStack ends
		// DELETE_FAILED on the subnet group, and a second one, later, finishes.
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("compute")}))(t)
		c.Advance(t, 10*time.Minute)
		st = must(stackStatus(t, client, aws.ToString(st.StackId)))(t)
		if st.StackStatus != cfntypes.StackStatusDeleteFailed || !strings.Contains(aws.ToString(st.StackStatusReason), "[DBSubnets]") {
			t.Fatalf("first delete: %s %s", st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: st.StackId}))(t)
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, aws.ToString(st.StackId)))(t)
		if st.StackStatus != cfntypes.StackStatusDeleteComplete {
			ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId}))(t).StackEvents
			for _, e := range ev {
				t.Logf("%s %s %s", aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
			}
			t.Fatalf("deleted: %s", st.StackStatus)
		}
		for _, r := range must(ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}))(t).Reservations {
			for _, in := range r.Instances {
				if in.State.Name != ec2types.InstanceStateNameTerminated {
					t.Errorf("after delete, %s is %s", aws.ToString(in.InstanceId), in.State.Name)
				}
			}
		}
		if left := must(as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}))(t).AutoScalingGroups; len(left) != 0 {
			t.Errorf("groups left: %d", len(left))
		}
		if left := must(rc.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}))(t).DBInstances; len(left) != 0 {
			t.Errorf("DB instances left: %d", len(left))
		}
		snaps := must(rc.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: &db}))(t).DBSnapshots
		if len(snaps) != 1 || !strings.HasPrefix(aws.ToString(snaps[0].DBSnapshotIdentifier), "compute-db-") {
			t.Errorf("final snapshots %+v", snaps)
		}
	})
}

// A group from a launch configuration; an unknown property of a launch template's data fails
// the stack with CloudFormation's reason; a DBInstance with DeletionPolicy Delete leaves no
// snapshot.
func TestCloudFormationLaunchConfiguration(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t, cfnClock())
		c.Require(t, conformance.ClockControl)
		client := cloudformation.NewFromConfig(c.Config())
		bad := `Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-4fffc834, Colour: blue}
`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad"), TemplateBody: &bad}))(t)
		c.Advance(t, time.Minute)
		ev := must(client.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("bad")}))(t).StackEvents
		found := false
		for _, e := range ev {
			if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed && strings.Contains(aws.ToString(e.ResourceStatusReason), "Encountered unsupported property Colour") {
				found = true
			}
		}
		if !found {
			t.Errorf("no CREATE_FAILED for the unknown property: %+v", ev)
		}

		body := `Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.7.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.7.1.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.7.2.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-4fffc834, InstanceType: t3.micro}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Config
      MinSize: '1'
      MaxSize: '2'
      VPCZoneIdentifier: [!Ref A, !Ref B]
  DBSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: {DBSubnetGroupDescription: db, SubnetIds: [!Ref A, !Ref B]}
  DB:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Delete
    Properties:
      DBInstanceIdentifier: plain
      Engine: mysql
      DBInstanceClass: db.t3.micro
      AllocatedStorage: '20'
      MasterUsername: admin
      MasterUserPassword: correct-horse-9
      DBSubnetGroupName: !Ref DBSubnets
Outputs:
  Config:
    Value: !Ref Config
  DB:
    Value: !Ref DB
`
		must(client.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("lc"), TemplateBody: &body}))(t)
		c.Advance(t, time.Minute)
		st := must(stackStatus(t, client, "lc"))(t)
		if st.StackStatus != cfntypes.StackStatusCreateComplete || outputOf(st, "DB") != "plain" {
			t.Fatalf("status %s, outputs %+v", st.StackStatus, st.Outputs)
		}
		as := autoscaling.NewFromConfig(c.Config())
		groups := must(as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}))(t).AutoScalingGroups
		if len(groups) != 1 || aws.ToString(groups[0].LaunchConfigurationName) != outputOf(st, "Config") || len(groups[0].Instances) != 1 {
			t.Fatalf("groups %+v", groups)
		}
		// Deleted while still creating, with no final snapshot asked for; the subnet group
		// waits for the instance's "deleting" to end, so a second DeleteStack finishes.
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: st.StackId}))(t)
		c.Advance(t, 10*time.Minute)
		if st = must(stackStatus(t, client, aws.ToString(st.StackId)))(t); st.StackStatus != cfntypes.StackStatusDeleteFailed {
			t.Fatalf("first delete: %s %s", st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		must(client.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: st.StackId}))(t)
		c.Advance(t, time.Minute)
		st = must(stackStatus(t, client, aws.ToString(st.StackId)))(t)
		if st.StackStatus != cfntypes.StackStatusDeleteComplete {
			t.Fatalf("deleted: %s %s", st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		rc := rds.NewFromConfig(c.Config())
		if snaps := must(rc.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{}))(t).DBSnapshots; len(snaps) != 0 {
			t.Errorf("snapshots %+v", snaps)
		}
		if left := must(as.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{}))(t).LaunchConfigurations; len(left) != 0 {
			t.Errorf("launch configurations left: %d", len(left))
		}
	})
}
