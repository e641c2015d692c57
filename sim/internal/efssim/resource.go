package efssim

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
)

// Resources returns the ARNs an EFS request acts on, for authorization: the door authorizes
// elasticfilesystem:<Operation> on each. The resource types are the Service Authorization
// Reference's: file-system (arn:aws:elasticfilesystem:REGION:ACCOUNT:file-system/fs-…) and
// access-point (…:access-point/fsap-…). A mount target's operations act on its file system;
// a Create or a Describe without an identifier acts on every resource of its type
// (…:file-system/*).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html
func (s *Store) Resources(region string, in any) []string {
	fs := func(id *string) string {
		v := aws.ToString(id)
		if strings.HasPrefix(v, "arn:") {
			return v
		}
		if v == "" {
			v = "*"
		}
		return fsARN(s.account, region, v)
	}
	ap := func(id *string) string {
		v := aws.ToString(id)
		if strings.HasPrefix(v, "arn:") {
			return v
		}
		if v == "" {
			v = "*"
		}
		return apARN(s.account, region, v)
	}
	byID := func(id *string) string {
		v := aws.ToString(id)
		if strings.HasPrefix(v, "fsap-") || strings.Contains(v, ":access-point/") {
			return ap(id)
		}
		return fs(id)
	}
	// mt is the file system of a mount target; every file system when there is no such one
	// (the operation then answers MountTargetNotFound).
	mt := func(id *string) string {
		var fsID string
		s.read(region, func(r *regionState) error {
			if m := r.MountTargets[aws.ToString(id)]; m != nil {
				fsID = m.FileSystem
			}
			return nil
		})
		return fs(&fsID)
	}
	switch in := in.(type) {
	case *efs.CreateFileSystemInput:
		return []string{fs(nil)}
	case *efs.DescribeFileSystemsInput:
		return []string{fs(in.FileSystemId)}
	case *efs.UpdateFileSystemInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DeleteFileSystemInput:
		return []string{fs(in.FileSystemId)}
	case *efs.UpdateFileSystemProtectionInput:
		return []string{fs(in.FileSystemId)}
	case *efs.CreateReplicationConfigurationInput:
		return []string{fs(in.SourceFileSystemId)}
	case *efs.DescribeReplicationConfigurationsInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DeleteReplicationConfigurationInput:
		return []string{fs(in.SourceFileSystemId)}
	case *efs.CreateMountTargetInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeMountTargetsInput:
		switch {
		case in.AccessPointId != nil:
			return []string{ap(in.AccessPointId)}
		case in.MountTargetId != nil:
			return []string{mt(in.MountTargetId)}
		}
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeMountTargetSecurityGroupsInput:
		return []string{mt(in.MountTargetId)}
	case *efs.ModifyMountTargetSecurityGroupsInput:
		return []string{mt(in.MountTargetId)}
	case *efs.DeleteMountTargetInput:
		return []string{mt(in.MountTargetId)}
	case *efs.CreateAccessPointInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeAccessPointsInput:
		if in.FileSystemId != nil {
			return []string{fs(in.FileSystemId)}
		}
		return []string{ap(in.AccessPointId)}
	case *efs.DeleteAccessPointInput:
		return []string{ap(in.AccessPointId)}
	case *efs.PutLifecycleConfigurationInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeLifecycleConfigurationInput:
		return []string{fs(in.FileSystemId)}
	case *efs.PutFileSystemPolicyInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeFileSystemPolicyInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DeleteFileSystemPolicyInput:
		return []string{fs(in.FileSystemId)}
	case *efs.PutBackupPolicyInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeBackupPolicyInput:
		return []string{fs(in.FileSystemId)}
	case *efs.CreateTagsInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DeleteTagsInput:
		return []string{fs(in.FileSystemId)}
	case *efs.DescribeTagsInput:
		return []string{fs(in.FileSystemId)}
	case *efs.TagResourceInput:
		return []string{byID(in.ResourceId)}
	case *efs.UntagResourceInput:
		return []string{byID(in.ResourceId)}
	case *efs.ListTagsForResourceInput:
		return []string{byID(in.ResourceId)}
	}
	return []string{"*"}
}
