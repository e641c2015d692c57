package asgsim

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxConfigs is AWS's default quota of launch configurations per region.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html
const maxConfigs = 200

// CreateLaunchConfiguration stores a launch configuration: RunInstances' parameters for a
// group's instances. EC2 checks them when a group launches.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateLaunchConfiguration.html
func (h *AutoScaling) CreateLaunchConfiguration(ctx context.Context, in *autoscaling.CreateLaunchConfigurationInput) (*autoscaling.CreateLaunchConfigurationOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name, err := checkName("LaunchConfigurationName", in.LaunchConfigurationName)
	if err != nil {
		return nil, err
	}
	if in.InstanceId != nil {
		return nil, core.Errorf(core.NotImplemented, "The simulator makes launch configurations from an image and an instance type, not from an instance.")
	}
	if in.ImageId == nil || in.InstanceType == nil {
		return nil, validation("Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.")
	}
	if p := in.IamInstanceProfile; p != nil && s.profiles != nil {
		if _, ok := s.profiles(*p); !ok {
			return nil, validation("Invalid IamInstanceProfile: %s", *p)
		}
	}
	lc := &launchConfig{
		Name: name, ARN: s.arn(region, "launchConfiguration:"+s.uuid()+":launchConfigurationName/"+name),
		Image: *in.ImageId, Type: *in.InstanceType, Key: aws.ToString(in.KeyName), SecurityGroups: slices.Clone(in.SecurityGroups),
		UserData: aws.ToString(in.UserData), Profile: aws.ToString(in.IamInstanceProfile), PublicIP: in.AssociatePublicIpAddress,
		Monitoring: in.InstanceMonitoring == nil || aws.ToBool(in.InstanceMonitoring.Enabled), EbsOptimized: aws.ToBool(in.EbsOptimized),
		Created: s.now(),
	}
	if len(in.BlockDeviceMappings) > 0 {
		b, err := json.Marshal(in.BlockDeviceMappings)
		if err != nil {
			return nil, validation("Invalid block device mappings: %v", err)
		}
		lc.BlockDevicesJSON = b
	}
	return &autoscaling.CreateLaunchConfigurationOutput{}, s.write(region, func(r *regionState) error {
		if _, ok := r.Configs[name]; ok {
			return errorf(AlreadyExists, "Launch Configuration by this name already exists - A launch configuration already exists with the name %s", name)
		}
		if len(r.Configs) >= maxConfigs {
			return errorf(LimitExceeded, "You have reached your limit of %d launch configurations in this Region.", maxConfigs)
		}
		r.Configs[name] = lc
		return nil
	})
}

func (lc *launchConfig) out() types.LaunchConfiguration {
	out := types.LaunchConfiguration{
		LaunchConfigurationName: aws.String(lc.Name), LaunchConfigurationARN: aws.String(lc.ARN), ImageId: aws.String(lc.Image),
		InstanceType: aws.String(lc.Type), KeyName: aws.String(lc.Key), SecurityGroups: slices.Clone(lc.SecurityGroups),
		UserData: aws.String(lc.UserData), CreatedTime: aws.Time(lc.Created), AssociatePublicIpAddress: lc.PublicIP,
		InstanceMonitoring: &types.InstanceMonitoring{Enabled: aws.Bool(lc.Monitoring)}, EbsOptimized: aws.Bool(lc.EbsOptimized),
		BlockDeviceMappings: []types.BlockDeviceMapping{}, ClassicLinkVPCSecurityGroups: []string{},
		KernelId: aws.String(""), RamdiskId: aws.String(""),
	}
	if out.SecurityGroups == nil {
		out.SecurityGroups = []string{}
	}
	if lc.Profile != "" {
		out.IamInstanceProfile = aws.String(lc.Profile)
	}
	if len(lc.BlockDevicesJSON) > 0 {
		_ = json.Unmarshal(lc.BlockDevicesJSON, &out.BlockDeviceMappings) // written by CreateLaunchConfiguration
	}
	return out
}

// DescribeLaunchConfigurations lists launch configurations by name, in pages.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLaunchConfigurations.html
func (h *AutoScaling) DescribeLaunchConfigurations(ctx context.Context, in *autoscaling.DescribeLaunchConfigurationsInput) (*autoscaling.DescribeLaunchConfigurationsOutput, error) {
	out := &autoscaling.DescribeLaunchConfigurationsOutput{LaunchConfigurations: []types.LaunchConfiguration{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var all []*launchConfig
		for _, lc := range r.Configs {
			if len(in.LaunchConfigurationNames) == 0 || slices.Contains(in.LaunchConfigurationNames, lc.Name) {
				all = append(all, lc)
			}
		}
		slices.SortFunc(all, func(a, b *launchConfig) int { return strings.Compare(a.Name, b.Name) })
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 50, 100)
		if err != nil {
			return err
		}
		for _, lc := range pg {
			out.LaunchConfigurations = append(out.LaunchConfigurations, lc.out())
		}
		out.NextToken = next
		return nil
	})
}

// DeleteLaunchConfiguration deletes a launch configuration no group uses.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteLaunchConfiguration.html
func (h *AutoScaling) DeleteLaunchConfiguration(ctx context.Context, in *autoscaling.DeleteLaunchConfigurationInput) (*autoscaling.DeleteLaunchConfigurationOutput, error) {
	name, err := checkName("LaunchConfigurationName", in.LaunchConfigurationName)
	if err != nil {
		return nil, err
	}
	return &autoscaling.DeleteLaunchConfigurationOutput{}, h.s.write(core.RegionFrom(ctx), func(r *regionState) error {
		if _, ok := r.Configs[name]; !ok {
			return validation("Launch configuration name not found - Launch configuration %s not found", name)
		}
		for _, g := range r.Groups {
			if g.Config == name {
				return errorf(ResourceInUse, "Cannot delete launch configuration %s because it is attached to AutoScalingGroup %s", name, g.Name)
			}
		}
		delete(r.Configs, name)
		return nil
	})
}
