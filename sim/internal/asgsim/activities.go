package asgsim

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// maxActivities is how many activities a group keeps; AWS keeps six weeks of them.
const maxActivities = 1000

func secs(n int32) time.Duration { return time.Duration(n) * time.Second }

// newActivity records an activity of g, begun now. r is held for writing.
func (s *Store) newActivity(g *group, description, cause, status string) *activity {
	a := &activity{ID: s.uuid(), Group: g.Name, GroupARN: g.ARN, Description: description, Cause: cause, Status: status, Start: s.now()}
	g.Activities = append([]*activity{a}, g.Activities...)
	if len(g.Activities) > maxActivities {
		g.Activities = g.Activities[:maxActivities]
	}
	return a
}

func (g *group) activity(id string) *activity {
	for _, a := range g.Activities {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// details is an activity's Details: the subnet and zone, as AWS writes them.
func (s *Store) details(region string, g *group, subnet, zone string) string {
	d := map[string]string{"Availability Zone": zone}
	if subnet != "" {
		d["Subnet ID"] = subnet
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// detailsOr returns the activity's details, or def without an activity.
func (a *activity) detailsOr(def string) string {
	if a == nil {
		return def
	}
	return a.Details
}

func (a *activity) out() types.Activity {
	progress := int32(0)
	switch a.Status {
	case "Successful", "Failed", "Cancelled":
		progress = 100
	case "InProgress", "MidLifecycleAction":
		progress = 50
	}
	out := types.Activity{
		ActivityId: aws.String(a.ID), AutoScalingGroupName: aws.String(a.Group), AutoScalingGroupARN: aws.String(a.GroupARN),
		Description: aws.String(a.Description), Cause: aws.String(a.Cause), Details: aws.String(a.Details),
		StartTime: aws.Time(a.Start), StatusCode: types.ScalingActivityStatusCode(a.Status), Progress: aws.Int32(progress),
	}
	if !a.End.IsZero() {
		out.EndTime = aws.Time(a.End)
	}
	if a.Message != "" {
		out.StatusMessage = aws.String(a.Message)
	}
	return out
}

// DescribeScalingActivities lists a group's activities (or every group's), newest first, in
// pages of MaxRecords (100 by default and at most).
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html
func (h *AutoScaling) DescribeScalingActivities(ctx context.Context, in *autoscaling.DescribeScalingActivitiesInput) (*autoscaling.DescribeScalingActivitiesOutput, error) {
	out := &autoscaling.DescribeScalingActivitiesOutput{Activities: []types.Activity{}}
	return out, h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		var all []*activity
		name := aws.ToString(in.AutoScalingGroupName)
		for _, g := range sortedGroups(r) {
			if name == "" || g.Name == name {
				all = append(all, g.Activities...)
			}
		}
		if aws.ToBool(in.IncludeDeletedGroups) {
			for _, a := range r.Deleted {
				if name == "" || a.Group == name {
					all = append(all, a)
				}
			}
		}
		if len(in.ActivityIds) > 0 {
			all = slices.DeleteFunc(all, func(a *activity) bool { return !slices.Contains(in.ActivityIds, a.ID) })
		}
		slices.SortStableFunc(all, func(a, b *activity) int { return b.Start.Compare(a.Start) })
		pg, next, err := page(all, in.MaxRecords, in.NextToken, 100, 100)
		if err != nil {
			return err
		}
		for _, a := range pg {
			out.Activities = append(out.Activities, a.out())
		}
		out.NextToken = next
		return nil
	})
}
