package efssim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxPolicy is the largest file system policy, in bytes.
const maxPolicy = 20000

// PutLifecycleConfiguration replaces a file system's lifecycle policies; an empty list
// removes them. Each policy has exactly one transition, and each transition appears once.
// https://docs.aws.amazon.com/efs/latest/ug/API_PutLifecycleConfiguration.html
func (h *EFS) PutLifecycleConfiguration(ctx context.Context, in *efs.PutLifecycleConfigurationInput) (*efs.PutLifecycleConfigurationOutput, error) {
	var ps []lifecyclePolicy
	seen := map[string]bool{}
	for _, p := range in.LifecyclePolicies {
		n := 0
		lp := lifecyclePolicy{TransitionToIA: string(p.TransitionToIA), TransitionToArchive: string(p.TransitionToArchive),
			TransitionToPrimaryStorageClass: string(p.TransitionToPrimaryStorageClass)}
		for name, v := range map[string]string{"TransitionToIA": lp.TransitionToIA, "TransitionToArchive": lp.TransitionToArchive,
			"TransitionToPrimaryStorageClass": lp.TransitionToPrimaryStorageClass} {
			if v == "" {
				continue
			}
			n++
			if seen[name] {
				return nil, errorf(BadRequest, "%s appears in more than one LifecyclePolicy.", name)
			}
			seen[name] = true
		}
		if n != 1 {
			return nil, errorf(BadRequest, "Each LifecyclePolicy must have exactly one transition, not %d.", n)
		}
		if !valid(types.TransitionToIARules(lp.TransitionToIA)) || !valid(types.TransitionToArchiveRules(lp.TransitionToArchive)) ||
			!valid(types.TransitionToPrimaryStorageClassRules(lp.TransitionToPrimaryStorageClass)) {
			return nil, errorf(BadRequest, "Invalid transition in %+v.", lp)
		}
		ps = append(ps, lp)
	}
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		f.Lifecycle = ps
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.PutLifecycleConfigurationOutput{LifecyclePolicies: sdkLifecycle(ps)}, nil
}

// valid reports whether an enum value is empty or one of its type's.
func valid[E interface {
	~string
	Values() []E
}](v E) bool {
	if v == "" {
		return true
	}
	for _, x := range v.Values() {
		if x == v {
			return true
		}
	}
	return false
}

func sdkLifecycle(ps []lifecyclePolicy) []types.LifecyclePolicy {
	out := []types.LifecyclePolicy{}
	for _, p := range ps {
		out = append(out, types.LifecyclePolicy{TransitionToIA: types.TransitionToIARules(p.TransitionToIA),
			TransitionToArchive:             types.TransitionToArchiveRules(p.TransitionToArchive),
			TransitionToPrimaryStorageClass: types.TransitionToPrimaryStorageClassRules(p.TransitionToPrimaryStorageClass)})
	}
	return out
}

// DescribeLifecycleConfiguration returns a file system's lifecycle policies (none for a new
// one).
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeLifecycleConfiguration.html
func (h *EFS) DescribeLifecycleConfiguration(ctx context.Context, in *efs.DescribeLifecycleConfigurationInput) (*efs.DescribeLifecycleConfigurationOutput, error) {
	s := h.s
	var out *efs.DescribeLifecycleConfigurationOutput
	err := s.read(core.RegionFrom(ctx), func(r *regionState) error {
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), s.clock.Now())
		if err != nil {
			return err
		}
		out = &efs.DescribeLifecycleConfigurationOutput{LifecyclePolicies: sdkLifecycle(f.Lifecycle)}
		return nil
	})
	return out, err
}

// PutFileSystemPolicy sets a file system's resource policy, a JSON IAM policy of at most
// 20,000 bytes.
// https://docs.aws.amazon.com/efs/latest/ug/API_PutFileSystemPolicy.html
func (h *EFS) PutFileSystemPolicy(ctx context.Context, in *efs.PutFileSystemPolicyInput) (*efs.PutFileSystemPolicyOutput, error) {
	doc := aws.ToString(in.Policy)
	if doc == "" || len(doc) > maxPolicy {
		return nil, errorf(BadRequest, "Policy must be 1 to %d bytes long.", maxPolicy)
	}
	if _, err := policy.Parse(doc, policy.Resource); err != nil {
		return nil, errorf(InvalidPolicyException, "Policy is invalid: %v", err)
	}
	s := h.s
	var id string
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		f.Policy, id = doc, f.ID
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.PutFileSystemPolicyOutput{FileSystemId: aws.String(id), Policy: aws.String(doc)}, nil
}

// DescribeFileSystemPolicy returns a file system's policy; PolicyNotFound when it has none
// (the default policy is in effect).
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystemPolicy.html
func (h *EFS) DescribeFileSystemPolicy(ctx context.Context, in *efs.DescribeFileSystemPolicyInput) (*efs.DescribeFileSystemPolicyOutput, error) {
	s := h.s
	var out *efs.DescribeFileSystemPolicyOutput
	err := s.read(core.RegionFrom(ctx), func(r *regionState) error {
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), s.clock.Now())
		if err != nil {
			return err
		}
		if f.Policy == "" {
			return errorf(PolicyNotFound, "File system '%s' has no policy: the default file system policy is in effect.", f.ID)
		}
		out = &efs.DescribeFileSystemPolicyOutput{FileSystemId: aws.String(f.ID), Policy: aws.String(f.Policy)}
		return nil
	})
	return out, err
}

// DeleteFileSystemPolicy removes a file system's policy, restoring the default one; it
// succeeds when there is none.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteFileSystemPolicy.html
func (h *EFS) DeleteFileSystemPolicy(ctx context.Context, in *efs.DeleteFileSystemPolicyInput) (*efs.DeleteFileSystemPolicyOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		changed := f.Policy != ""
		f.Policy = ""
		return changed, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.DeleteFileSystemPolicyOutput{}, nil
}

// PutBackupPolicy turns automatic backups of a file system on (ENABLED) or off (DISABLED).
// https://docs.aws.amazon.com/efs/latest/ug/API_PutBackupPolicy.html
func (h *EFS) PutBackupPolicy(ctx context.Context, in *efs.PutBackupPolicyInput) (*efs.PutBackupPolicyOutput, error) {
	if in.BackupPolicy == nil {
		return nil, errorf(BadRequest, "BackupPolicy is required.")
	}
	st := in.BackupPolicy.Status
	if st != types.StatusEnabled && st != types.StatusDisabled {
		return nil, errorf(ValidationException, "BackupPolicy Status must be ENABLED or DISABLED, not '%s'.", st)
	}
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		f.Backup = string(st)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.PutBackupPolicyOutput{BackupPolicy: &types.BackupPolicy{Status: st}}, nil
}

// DescribeBackupPolicy returns whether automatic backups of a file system are on.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeBackupPolicy.html
func (h *EFS) DescribeBackupPolicy(ctx context.Context, in *efs.DescribeBackupPolicyInput) (*efs.DescribeBackupPolicyOutput, error) {
	s := h.s
	var out *efs.DescribeBackupPolicyOutput
	err := s.read(core.RegionFrom(ctx), func(r *regionState) error {
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), s.clock.Now())
		if err != nil {
			return err
		}
		out = &efs.DescribeBackupPolicyOutput{BackupPolicy: &types.BackupPolicy{Status: types.Status(f.Backup)}}
		return nil
	})
	return out, err
}
