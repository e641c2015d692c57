package efssim

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxAccessPoints is the most access points a file system has.
// https://docs.aws.amazon.com/efs/latest/ug/limits.html
const maxAccessPoints = 10000

func apARN(account, region, id string) string {
	return "arn:aws:elasticfilesystem:" + region + ":" + account + ":access-point/" + id
}

// CreateAccessPoint makes an access point of an available file system: the POSIX user it
// enforces and its root directory ("/" unless given, made with CreationInfo's owner and
// permissions on first use). It is "creating" for 5 seconds. A client token already used for
// the file system answers AccessPointAlreadyExists naming the access point.
// https://docs.aws.amazon.com/efs/latest/ug/API_CreateAccessPoint.html
func (h *EFS) CreateAccessPoint(ctx context.Context, in *efs.CreateAccessPointInput) (*efs.CreateAccessPointOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	token := aws.ToString(in.ClientToken)
	if token == "" || len(token) > 64 {
		return nil, errorf(BadRequest, "ClientToken must be 1 to 64 characters long.")
	}
	a := &accessPoint{Token: token, Path: "/", Status: "creating"}
	if u := in.PosixUser; u != nil {
		if u.Uid == nil || u.Gid == nil {
			return nil, errorf(BadRequest, "PosixUser needs Uid and Gid.")
		}
		if len(u.SecondaryGids) > 16 {
			return nil, errorf(BadRequest, "PosixUser has at most 16 SecondaryGids.")
		}
		for _, id := range append([]int64{*u.Uid, *u.Gid}, u.SecondaryGids...) {
			if id < 0 || id > 4294967295 {
				return nil, errorf(BadRequest, "POSIX IDs are between 0 and 4294967295, not %d.", id)
			}
		}
		a.Uid, a.Gid, a.Secondary = aws.Int64(*u.Uid), aws.Int64(*u.Gid), slices.Clone(u.SecondaryGids)
	}
	if rd := in.RootDirectory; rd != nil {
		if p := aws.ToString(rd.Path); rd.Path != nil {
			if !strings.HasPrefix(p, "/") || len(p) > 100 || strings.Contains(p, "//") {
				return nil, errorf(BadRequest, "RootDirectory Path '%s' must be an absolute path of at most 100 characters.", p)
			}
			a.Path = p
		}
		if ci := rd.CreationInfo; ci != nil {
			if ci.OwnerUid == nil || ci.OwnerGid == nil || ci.Permissions == nil {
				return nil, errorf(BadRequest, "CreationInfo needs OwnerUid, OwnerGid and Permissions.")
			}
			perm := *ci.Permissions
			if _, err := strconv.ParseUint(perm, 8, 16); err != nil || len(perm) < 3 || len(perm) > 4 {
				return nil, errorf(BadRequest, "Permissions '%s' must be 3 or 4 octal digits, such as 0755.", perm)
			}
			a.Owner = &creationInfo{Uid: *ci.OwnerUid, Gid: *ci.OwnerGid, Permissions: perm}
		}
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	a.Tags = tags
	var out *efs.CreateAccessPointOutput
	err = s.write(region, func(r *regionState) (bool, error) {
		now := s.clock.Now()
		f, err := fileSystemID(r, aws.ToString(in.FileSystemId), now)
		if err != nil {
			return false, err
		}
		if err := available(f, now); err != nil {
			return false, err
		}
		n := 0
		for _, o := range r.AccessPoints {
			if _, gone := o.phase(now); gone || o.FileSystem != f.ID {
				continue
			}
			if o.Token == token {
				return false, errorf(AccessPointAlreadyExists, "Access point '%s' already exists with client token '%s'.", o.ID, token).With("AccessPointId", o.ID)
			}
			n++
		}
		if n >= maxAccessPoints {
			return false, errorf(AccessPointLimitExceeded, "File system '%s' has %d access points, the most it may have.", f.ID, n)
		}
		a.ID, a.FileSystem, a.Since = s.ids.Hex("fsap-", 17), f.ID, now
		r.AccessPoints[a.ID] = a
		d := s.describeAccessPoint(region, a, now)
		out = &efs.CreateAccessPointOutput{AccessPointArn: d.AccessPointArn, AccessPointId: d.AccessPointId, ClientToken: d.ClientToken,
			FileSystemId: d.FileSystemId, LifeCycleState: d.LifeCycleState, Name: d.Name, OwnerId: d.OwnerId,
			PosixUser: d.PosixUser, RootDirectory: d.RootDirectory, Tags: d.Tags}
		return true, nil
	})
	return out, err
}

func (s *Store) describeAccessPoint(region string, a *accessPoint, now time.Time) types.AccessPointDescription {
	st, _ := a.phase(now)
	d := types.AccessPointDescription{AccessPointArn: aws.String(apARN(s.account, region, a.ID)), AccessPointId: aws.String(a.ID),
		ClientToken: aws.String(a.Token), FileSystemId: aws.String(a.FileSystem), LifeCycleState: types.LifeCycleState(st),
		OwnerId: aws.String(s.account), Tags: sdkTags(a.Tags), RootDirectory: &types.RootDirectory{Path: aws.String(a.Path)}}
	if a.Uid != nil {
		d.PosixUser = &types.PosixUser{Uid: aws.Int64(*a.Uid), Gid: aws.Int64(*a.Gid), SecondaryGids: slices.Clone(a.Secondary)}
	}
	if a.Owner != nil {
		d.RootDirectory.CreationInfo = &types.CreationInfo{OwnerUid: aws.Int64(a.Owner.Uid), OwnerGid: aws.Int64(a.Owner.Gid),
			Permissions: aws.String(a.Owner.Permissions)}
	}
	if name, ok := tagValue(a.Tags, "Name"); ok {
		d.Name = aws.String(name)
	}
	return d
}

// accessPointID returns the access point an ID or ARN names, not gone at now.
func accessPointID(r *regionState, id string, now time.Time) (*accessPoint, error) {
	if i := strings.LastIndex(id, ":access-point/"); strings.HasPrefix(id, "arn:") && i > 0 {
		id = id[i+len(":access-point/"):]
	}
	if a := r.AccessPoints[id]; a != nil {
		if _, gone := a.phase(now); !gone {
			return a, nil
		}
	}
	return nil, errorf(AccessPointNotFound, "Access point '%s' does not exist.", id)
}

// DescribeAccessPoints lists the region's access points, or a file system's, or the one an
// AccessPointId names, MaxResults (at most 100) at a time.
// https://docs.aws.amazon.com/efs/latest/ug/API_DescribeAccessPoints.html
func (h *EFS) DescribeAccessPoints(ctx context.Context, in *efs.DescribeAccessPointsInput) (*efs.DescribeAccessPointsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if in.AccessPointId != nil && in.FileSystemId != nil {
		return nil, errorf(BadRequest, "Specify either AccessPointId or FileSystemId, not both.")
	}
	max, err := maxItems(in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &efs.DescribeAccessPointsOutput{}
	err = s.read(region, func(r *regionState) error {
		now := s.clock.Now()
		var aps []*accessPoint
		switch {
		case in.AccessPointId != nil:
			a, err := accessPointID(r, *in.AccessPointId, now)
			if err != nil {
				return err
			}
			aps = []*accessPoint{a}
		default:
			fsID := ""
			if in.FileSystemId != nil {
				f, err := fileSystemID(r, *in.FileSystemId, now)
				if err != nil {
					return err
				}
				fsID = f.ID
			}
			for _, a := range r.AccessPoints {
				if _, gone := a.phase(now); !gone && (fsID == "" || a.FileSystem == fsID) {
					aps = append(aps, a)
				}
			}
		}
		slices.SortFunc(aps, func(a, b *accessPoint) int { return strings.Compare(a.ID, b.ID) })
		ids := make([]string, len(aps))
		for i, a := range aps {
			ids[i] = a.ID
		}
		lo, hi, next, err := page(ids, aws.ToString(in.NextToken), max)
		if err != nil {
			return err
		}
		out.AccessPoints = []types.AccessPointDescription{}
		for _, a := range aps[lo:hi] {
			out.AccessPoints = append(out.AccessPoints, s.describeAccessPoint(region, a, now))
		}
		out.NextToken = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAccessPoint deletes an access point: "deleting" for 5 seconds, then gone.
// https://docs.aws.amazon.com/efs/latest/ug/API_DeleteAccessPoint.html
func (h *EFS) DeleteAccessPoint(ctx context.Context, in *efs.DeleteAccessPointInput) (*efs.DeleteAccessPointOutput, error) {
	s := h.s
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		now := s.clock.Now()
		a, err := accessPointID(r, aws.ToString(in.AccessPointId), now)
		if err != nil {
			return false, err
		}
		if st, _ := a.phase(now); st == "deleting" {
			return false, nil
		}
		a.Status, a.Since = "deleting", now
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &efs.DeleteAccessPointOutput{}, nil
}
