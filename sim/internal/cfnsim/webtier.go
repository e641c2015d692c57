package cfnsim

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The web tier's compute and database: EC2's LaunchTemplate, Auto Scaling's
// LaunchConfiguration, AutoScalingGroup and ScalingPolicy, and RDS's DBInstance.

// DBEndpoint finds a DB instance's endpoint (host and port) in region, known from the
// instance's creation though RDS shows it only once the instance is no longer "creating".
type DBEndpoint func(region, id string) (host string, port int, ok bool)

// SetDBEndpoint sets how Fn::GetAtt DB.Endpoint.Address is answered at the call.
func (s *Store) SetDBEndpoint(f DBEndpoint) { s.dbEndpoint = f }

// launchTemplateData converts a LaunchTemplateData property.
func launchTemplateData(p *props) *ec2types.RequestLaunchTemplateData {
	p.only([]string{"ImageId", "InstanceType", "KeyName", "SecurityGroupIds", "SecurityGroups", "UserData", "IamInstanceProfile",
		"NetworkInterfaces", "TagSpecifications", "Monitoring", "MetadataOptions", "EbsOptimized", "DisableApiTermination", "InstanceInitiatedShutdownBehavior"})
	d := &ec2types.RequestLaunchTemplateData{ImageId: p.sp("ImageId"), KeyName: p.sp("KeyName"), SecurityGroupIds: p.strs("SecurityGroupIds"),
		SecurityGroups: p.strs("SecurityGroups"), UserData: p.sp("UserData"), EbsOptimized: p.boolean("EbsOptimized"), DisableApiTermination: p.boolean("DisableApiTermination")}
	if s := p.str("InstanceType"); s != "" {
		d.InstanceType = ec2types.InstanceType(s)
	}
	if s := p.str("InstanceInitiatedShutdownBehavior"); s != "" {
		d.InstanceInitiatedShutdownBehavior = ec2types.ShutdownBehavior(s)
	}
	if ip := p.object("IamInstanceProfile"); ip != nil {
		ip.only([]string{"Name", "Arn"})
		d.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: ip.sp("Name"), Arn: ip.sp("Arn")}
		p.merge(ip)
	}
	if mo := p.object("Monitoring"); mo != nil {
		mo.only([]string{"Enabled"})
		d.Monitoring = &ec2types.LaunchTemplatesMonitoringRequest{Enabled: mo.boolean("Enabled")}
		p.merge(mo)
	}
	if mo := p.object("MetadataOptions"); mo != nil {
		mo.only([]string{"HttpTokens", "HttpEndpoint", "HttpPutResponseHopLimit"})
		d.MetadataOptions = &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpPutResponseHopLimit: mo.i32("HttpPutResponseHopLimit")}
		if s := mo.str("HttpTokens"); s != "" {
			d.MetadataOptions.HttpTokens = ec2types.LaunchTemplateHttpTokensState(s)
		}
		if s := mo.str("HttpEndpoint"); s != "" {
			d.MetadataOptions.HttpEndpoint = ec2types.LaunchTemplateInstanceMetadataEndpointState(s)
		}
		p.merge(mo)
	}
	for _, ni := range p.objects("NetworkInterfaces") {
		ni.only([]string{"AssociatePublicIpAddress", "DeviceIndex", "Groups", "SubnetId", "DeleteOnTermination", "Description"})
		d.NetworkInterfaces = append(d.NetworkInterfaces, ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{
			AssociatePublicIpAddress: ni.boolean("AssociatePublicIpAddress"), DeviceIndex: ni.i32("DeviceIndex"), Groups: ni.strs("Groups"),
			SubnetId: ni.sp("SubnetId"), DeleteOnTermination: ni.boolean("DeleteOnTermination"), Description: ni.sp("Description")})
		p.merge(ni)
	}
	for _, ts := range p.objects("TagSpecifications") {
		ts.only([]string{"ResourceType", "Tags"})
		spec := ec2types.LaunchTemplateTagSpecificationRequest{ResourceType: ec2types.ResourceType(ts.str("ResourceType"))}
		for _, t := range ts.tags() {
			spec.Tags = append(spec.Tags, ec2types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
		}
		d.TagSpecifications = append(d.TagSpecifications, spec)
		p.merge(ts)
	}
	return d
}

// merge keeps a nested property's first error.
func (p *props) merge(q *props) {
	if q.err != nil && p.err == nil {
		p.err = q.err
	}
}

func init() {
	types["AWS::EC2::LaunchTemplate"] = rtype{
		props: []string{"LaunchTemplateName", "LaunchTemplateData", "VersionDescription", "TagSpecifications"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("LaunchTemplateData")
			name := p.str("LaunchTemplateName")
			if name == "" {
				name = m.name(logical, 128, false)
			}
			in := &ec2.CreateLaunchTemplateInput{LaunchTemplateName: &name, VersionDescription: p.sp("VersionDescription")}
			if d := p.object("LaunchTemplateData"); d != nil {
				in.LaunchTemplateData = launchTemplateData(d)
				p.merge(d)
			}
			for _, ts := range p.objects("TagSpecifications") {
				spec := ec2types.TagSpecification{ResourceType: ec2types.ResourceType(ts.str("ResourceType"))}
				for _, t := range ts.tags() {
					spec.Tags = append(spec.Tags, ec2types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
				}
				in.TagSpecifications = append(in.TagSpecifications, spec)
				p.merge(ts)
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("ec2", "CreateLaunchTemplate", in)
			if err != nil {
				return nil, err
			}
			lt := out.(*ec2.CreateLaunchTemplateOutput).LaunchTemplate
			id := aws.ToString(lt.LaunchTemplateId)
			return &made{physical: id, attrs: map[string]any{"LaunchTemplateId": id,
				"LatestVersionNumber":  strconv.FormatInt(aws.ToInt64(lt.LatestVersionNumber), 10),
				"DefaultVersionNumber": strconv.FormatInt(aws.ToInt64(lt.DefaultVersionNumber), 10)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("ec2", "DeleteLaunchTemplate", &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: &r.Physical})
			return err
		},
	}
	types["AWS::AutoScaling::LaunchConfiguration"] = rtype{
		props: []string{"LaunchConfigurationName", "ImageId", "InstanceType", "KeyName", "SecurityGroups", "UserData", "IamInstanceProfile",
			"AssociatePublicIpAddress", "InstanceMonitoring", "EbsOptimized", "MetadataOptions", "InstanceId"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			name := p.str("LaunchConfigurationName")
			if name == "" {
				name = m.name(logical, 255, false)
			}
			in := &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: &name, ImageId: p.sp("ImageId"), InstanceType: p.sp("InstanceType"),
				KeyName: p.sp("KeyName"), SecurityGroups: p.strs("SecurityGroups"), UserData: p.sp("UserData"), IamInstanceProfile: p.sp("IamInstanceProfile"),
				AssociatePublicIpAddress: p.boolean("AssociatePublicIpAddress"), EbsOptimized: p.boolean("EbsOptimized"), InstanceId: p.sp("InstanceId")}
			if p.has("InstanceMonitoring") {
				in.InstanceMonitoring = &asgtypes.InstanceMonitoring{Enabled: p.boolean("InstanceMonitoring")}
			}
			if mo := p.object("MetadataOptions"); mo != nil {
				mo.only([]string{"HttpTokens", "HttpEndpoint", "HttpPutResponseHopLimit"})
				in.MetadataOptions = &asgtypes.InstanceMetadataOptions{HttpPutResponseHopLimit: mo.i32("HttpPutResponseHopLimit"),
					HttpTokens: asgtypes.InstanceMetadataHttpTokensState(mo.str("HttpTokens")), HttpEndpoint: asgtypes.InstanceMetadataEndpointState(mo.str("HttpEndpoint"))}
				p.merge(mo)
			}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("autoscaling", "CreateLaunchConfiguration", in); err != nil {
				return nil, err
			}
			return &made{physical: name}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("autoscaling", "DeleteLaunchConfiguration", &autoscaling.DeleteLaunchConfigurationInput{LaunchConfigurationName: &r.Physical})
			return err
		},
	}
	types["AWS::AutoScaling::AutoScalingGroup"] = rtype{
		props: []string{"AutoScalingGroupName", "LaunchConfigurationName", "LaunchTemplate", "MinSize", "MaxSize", "DesiredCapacity", "VPCZoneIdentifier",
			"AvailabilityZones", "TargetGroupARNs", "HealthCheckType", "HealthCheckGracePeriod", "Tags", "Cooldown", "TerminationPolicies",
			"MetricsCollection", "NotificationConfigurations", "LoadBalancerNames", "InstanceId", "CapacityRebalance", "DefaultInstanceWarmup", "MaxInstanceLifetime"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("MinSize", "MaxSize")
			name := p.str("AutoScalingGroupName")
			if name == "" {
				name = m.name(logical, 255, false)
			}
			in := &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name, LaunchConfigurationName: p.sp("LaunchConfigurationName"),
				MinSize: p.i32("MinSize"), MaxSize: p.i32("MaxSize"), DesiredCapacity: p.i32("DesiredCapacity"), AvailabilityZones: p.strs("AvailabilityZones"),
				TargetGroupARNs: p.strs("TargetGroupARNs"), HealthCheckType: p.sp("HealthCheckType"), HealthCheckGracePeriod: p.i32("HealthCheckGracePeriod"),
				DefaultCooldown: p.i32("Cooldown"), TerminationPolicies: p.strs("TerminationPolicies"), LoadBalancerNames: p.strs("LoadBalancerNames"),
				InstanceId: p.sp("InstanceId"), CapacityRebalance: p.boolean("CapacityRebalance"), DefaultInstanceWarmup: p.i32("DefaultInstanceWarmup"),
				MaxInstanceLifetime: p.i32("MaxInstanceLifetime")}
			if subnets := p.strs("VPCZoneIdentifier"); len(subnets) > 0 {
				in.VPCZoneIdentifier = aws.String(strings.Join(subnets, ","))
			}
			if lt := p.object("LaunchTemplate"); lt != nil {
				lt.only([]string{"LaunchTemplateId", "LaunchTemplateName", "Version"})
				lt.require("Version")
				in.LaunchTemplate = &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.sp("LaunchTemplateId"), LaunchTemplateName: lt.sp("LaunchTemplateName"), Version: lt.sp("Version")}
				p.merge(lt)
			}
			for _, t := range p.objects("Tags") {
				t.only([]string{"Key", "Value", "PropagateAtLaunch"})
				t.require("Key", "Value", "PropagateAtLaunch")
				in.Tags = append(in.Tags, asgtypes.Tag{Key: t.sp("Key"), Value: t.sp("Value"), PropagateAtLaunch: t.boolean("PropagateAtLaunch")})
				p.merge(t)
			}
			if p.err != nil {
				return nil, p.err
			}
			if _, err := m.do("autoscaling", "CreateAutoScalingGroup", in); err != nil {
				return nil, err
			}
			return &made{physical: name}, nil
		},
		// CloudFormation deletes a group with instances by forcing it: the instances are
		// terminated and the group goes once they have (the group pending delete until then).
		delete: func(m *maker, r *resource) error {
			_, err := m.do("autoscaling", "DeleteAutoScalingGroup", &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: &r.Physical, ForceDelete: aws.Bool(true)})
			return err
		},
	}
	types["AWS::AutoScaling::ScalingPolicy"] = rtype{
		props: []string{"AutoScalingGroupName", "PolicyType", "TargetTrackingConfiguration", "AdjustmentType", "ScalingAdjustment", "Cooldown",
			"MinAdjustmentMagnitude", "EstimatedInstanceWarmup"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("AutoScalingGroupName")
			group := p.str("AutoScalingGroupName")
			in := &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: &group, PolicyName: aws.String(m.name(logical, 255, false)),
				PolicyType: p.sp("PolicyType"), AdjustmentType: p.sp("AdjustmentType"), ScalingAdjustment: p.i32("ScalingAdjustment"),
				Cooldown: p.i32("Cooldown"), MinAdjustmentMagnitude: p.i32("MinAdjustmentMagnitude"), EstimatedInstanceWarmup: p.i32("EstimatedInstanceWarmup")}
			if tt := p.object("TargetTrackingConfiguration"); tt != nil {
				tt.only([]string{"TargetValue", "PredefinedMetricSpecification", "DisableScaleIn"})
				tt.require("TargetValue")
				v, err := strconv.ParseFloat(tt.str("TargetValue"), 64)
				if err != nil && tt.err == nil {
					tt.fail("Value of property TargetValue must be of type Number")
				}
				c := &asgtypes.TargetTrackingConfiguration{TargetValue: aws.Float64(v), DisableScaleIn: tt.boolean("DisableScaleIn")}
				if pm := tt.object("PredefinedMetricSpecification"); pm != nil {
					pm.only([]string{"PredefinedMetricType", "ResourceLabel"})
					c.PredefinedMetricSpecification = &asgtypes.PredefinedMetricSpecification{
						PredefinedMetricType: asgtypes.MetricType(pm.str("PredefinedMetricType")), ResourceLabel: pm.sp("ResourceLabel")}
					tt.merge(pm)
				}
				in.TargetTrackingConfiguration = c
				p.merge(tt)
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("autoscaling", "PutScalingPolicy", in)
			if err != nil {
				return nil, err
			}
			arn := aws.ToString(out.(*autoscaling.PutScalingPolicyOutput).PolicyARN)
			return &made{physical: arn, attrs: map[string]any{"Arn": arn, "PolicyName": aws.ToString(in.PolicyName)},
				extra: map[string]string{"group": group, "name": aws.ToString(in.PolicyName)}}, nil
		},
		delete: func(m *maker, r *resource) error {
			_, err := m.do("autoscaling", "DeletePolicy", &autoscaling.DeletePolicyInput{AutoScalingGroupName: aws.String(r.Extra["group"]), PolicyName: aws.String(r.Extra["name"])})
			return err
		},
	}
	types["AWS::RDS::DBInstance"] = rtype{
		props: []string{"DBInstanceIdentifier", "Engine", "EngineVersion", "DBInstanceClass", "AllocatedStorage", "MasterUsername", "MasterUserPassword",
			"DBSubnetGroupName", "VPCSecurityGroups", "DBName", "MultiAZ", "DeletionProtection", "Port", "PubliclyAccessible", "StorageType",
			"BackupRetentionPeriod", "AvailabilityZone", "Tags", "StorageEncrypted", "KmsKeyId", "DBParameterGroupName", "PreferredBackupWindow",
			"PreferredMaintenanceWindow", "AutoMinorVersionUpgrade", "CopyTagsToSnapshot", "LicenseModel"},
		create: func(m *maker, logical string, p *props) (*made, error) {
			p.require("DBInstanceClass")
			id := p.str("DBInstanceIdentifier")
			if id == "" {
				id = m.name(logical, 63, true)
			}
			in := &rds.CreateDBInstanceInput{DBInstanceIdentifier: &id, Engine: p.sp("Engine"), EngineVersion: p.sp("EngineVersion"),
				DBInstanceClass: p.sp("DBInstanceClass"), AllocatedStorage: p.i32("AllocatedStorage"), MasterUsername: p.sp("MasterUsername"),
				MasterUserPassword: p.sp("MasterUserPassword"), DBSubnetGroupName: p.sp("DBSubnetGroupName"), VpcSecurityGroupIds: p.strs("VPCSecurityGroups"),
				DBName: p.sp("DBName"), MultiAZ: p.boolean("MultiAZ"), DeletionProtection: p.boolean("DeletionProtection"), Port: p.i32("Port"),
				PubliclyAccessible: p.boolean("PubliclyAccessible"), StorageType: p.sp("StorageType"), BackupRetentionPeriod: p.i32("BackupRetentionPeriod"),
				AvailabilityZone: p.sp("AvailabilityZone"), StorageEncrypted: p.boolean("StorageEncrypted"), KmsKeyId: p.sp("KmsKeyId"),
				DBParameterGroupName: p.sp("DBParameterGroupName"), PreferredBackupWindow: p.sp("PreferredBackupWindow"),
				PreferredMaintenanceWindow: p.sp("PreferredMaintenanceWindow"), AutoMinorVersionUpgrade: p.boolean("AutoMinorVersionUpgrade"),
				CopyTagsToSnapshot: p.boolean("CopyTagsToSnapshot"), LicenseModel: p.sp("LicenseModel")}
			for _, t := range p.tags() {
				in.Tags = append(in.Tags, rdstypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
			}
			if p.err != nil {
				return nil, p.err
			}
			out, err := m.do("rds", "CreateDBInstance", in)
			if err != nil {
				return nil, err
			}
			db := out.(*rds.CreateDBInstanceOutput).DBInstance
			id = aws.ToString(db.DBInstanceIdentifier)
			attrs := map[string]any{"DBInstanceArn": aws.ToString(db.DBInstanceArn), "DbiResourceId": aws.ToString(db.DbiResourceId)}
			// RDS shows the endpoint once the instance is no longer "creating"; its address is
			// fixed at creation, so the stack answers it at the call.
			if f := m.s.dbEndpoint; f != nil {
				if host, port, ok := f(core.RegionFrom(m.ctx), id); ok {
					attrs["Endpoint.Address"] = host
					attrs["Endpoint.Port"] = strconv.Itoa(port)
				}
			}
			return &made{physical: id, attrs: attrs}, nil
		},
		// Without a DeletionPolicy, CloudFormation's default for a DBInstance is Snapshot: a
		// final snapshot named after the instance. A rollback deletes without one.
		delete: func(m *maker, r *resource) error {
			in := &rds.DeleteDBInstanceInput{DBInstanceIdentifier: &r.Physical, SkipFinalSnapshot: aws.Bool(true)}
			if (r.DeletionPolicy == "" || r.DeletionPolicy == "Snapshot") && !rollingBack(m.stack) {
				in.SkipFinalSnapshot = nil
				in.FinalDBSnapshotIdentifier = aws.String(m.name(r.Logical, 255, true))
			}
			_, err := m.do("rds", "DeleteDBInstance", in)
			return err
		},
	}
}

// rollingBack tells whether k's deletions undo a failed create or update.
func rollingBack(k *stack) bool { return strings.Contains(k.Final, "ROLLBACK") }
