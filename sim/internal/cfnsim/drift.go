package cfnsim

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// driftRun is a stack's last drift detection: each resource's result.
type driftRun struct {
	ID      string
	At      time.Time
	Results []resourceDrift
}

// resourceDrift is one resource's drift: its template's properties (those the simulator
// reads) against the live resource's.
type resourceDrift struct {
	Logical, Physical, Type, Status string
	Expected, Actual                string     `json:",omitempty"`
	Diffs                           []propDiff `json:",omitempty"`
	At                              time.Time
}

type propDiff struct{ Path, Expected, Actual, Kind string }

// drifters read a live resource's properties, through its service's operations as the
// caller, for the types whose properties the simulator can read; gone reports a resource
// deleted outside the stack. Other types are NOT_CHECKED, as AWS answers for types drift
// detection does not support.
var drifters = map[string]func(m *maker, r *resource) (props map[string]any, gone bool, err error){
	"AWS::SSM::Parameter": func(m *maker, r *resource) (map[string]any, bool, error) {
		out, err := m.do("ssm", "GetParameter", &ssm.GetParameterInput{Name: aws.String(r.Physical)})
		if err != nil {
			return nil, notFound(err) || strings.Contains(err.Error(), "ParameterNotFound"), err
		}
		p := out.(*ssm.GetParameterOutput).Parameter
		return map[string]any{"Value": aws.ToString(p.Value), "Type": string(p.Type)}, false, nil
	},
	"AWS::SNS::Topic": func(m *maker, r *resource) (map[string]any, bool, error) {
		out, err := m.do("sns", "GetTopicAttributes", &sns.GetTopicAttributesInput{TopicArn: aws.String(r.Physical)})
		if err != nil {
			return nil, notFound(err), err
		}
		a := out.(*sns.GetTopicAttributesOutput).Attributes
		return map[string]any{"DisplayName": a["DisplayName"]}, false, nil
	},
}

// detect is one resource's drift now.
func detect(m *maker, r *resource, at time.Time) resourceDrift {
	d := resourceDrift{Logical: r.Logical, Physical: r.Physical, Type: r.Type, Status: "NOT_CHECKED", At: at}
	read, ok := drifters[r.Type]
	if !ok {
		return d
	}
	var expected map[string]any
	_ = json.Unmarshal([]byte(r.Props), &expected)
	live, gone, err := read(m, r)
	if gone {
		d.Status = "DELETED"
		return d
	}
	if err != nil {
		return d // not readable as the caller: not checked
	}
	exp, act := map[string]any{}, map[string]any{}
	for k, v := range live {
		if want, set := expected[k]; set {
			exp[k], act[k] = want, v
			if describe(want) != describe(v) {
				d.Diffs = append(d.Diffs, propDiff{Path: "/" + k, Expected: scalar(want), Actual: scalar(v), Kind: "NOT_EQUAL"})
			}
		}
	}
	slices.SortFunc(d.Diffs, func(a, b propDiff) int { return strings.Compare(a.Path, b.Path) })
	d.Expected, d.Actual = describe(exp), describe(act)
	d.Status = "IN_SYNC"
	if len(d.Diffs) > 0 {
		d.Status = "MODIFIED"
	}
	return d
}

func scalar(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return describe(v)
}

// driftable stacks are those not in the middle of an operation.
func driftable(k *stack, now time.Time) error {
	st, _ := k.status(now)
	if k.Busy.After(now) || !strings.HasSuffix(st, "_COMPLETE") || strings.HasPrefix(st, "DELETE") || st == "ROLLBACK_COMPLETE" {
		return invalid("Drift detection cannot be performed on a stack that is in %s state", st)
	}
	return nil
}

// DetectStackDrift compares each resource of a stack (or those named) with its live
// resource, at the call; the detection is complete at once.
func (h *CloudFormation) DetectStackDrift(ctx context.Context, in *cloudformation.DetectStackDriftInput) (*cloudformation.DetectStackDriftOutput, error) {
	s := h.s
	k, now, err := s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	if err := driftable(k, now); err != nil {
		return nil, err
	}
	m := &maker{s: s, ctx: ctx, stack: k}
	run := &driftRun{ID: uuid(s.ids), At: now}
	for _, v := range k.resourcesAt(now) {
		if len(in.LogicalResourceIds) > 0 && !slices.Contains(in.LogicalResourceIds, v.r.Logical) {
			continue
		}
		run.Results = append(run.Results, detect(m, v.r, now))
	}
	err = s.withStack(k.Region, k.ID, func(live *stack) error {
		live.Drift = run
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &cloudformation.DetectStackDriftOutput{StackDriftDetectionId: aws.String(run.ID)}, nil
}

// stackDrift is a run's drift status and how many resources drifted.
func (r *driftRun) stackDrift() (cfntypes.StackDriftStatus, int32) {
	var n int32
	for _, d := range r.Results {
		if d.Status == "MODIFIED" || d.Status == "DELETED" {
			n++
		}
	}
	if n > 0 {
		return cfntypes.StackDriftStatusDrifted, n
	}
	return cfntypes.StackDriftStatusInSync, 0
}

// DescribeStackDriftDetectionStatus describes a drift detection of DetectStackDrift.
func (h *CloudFormation) DescribeStackDriftDetectionStatus(ctx context.Context, in *cloudformation.DescribeStackDriftDetectionStatusInput) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	s, id := h.s, aws.ToString(in.StackDriftDetectionId)
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, k := range s.st.Stacks {
		if k.Drift != nil && k.Drift.ID == id && k.Region == core.RegionFrom(ctx) {
			status, n := k.Drift.stackDrift()
			return &cloudformation.DescribeStackDriftDetectionStatusOutput{StackId: aws.String(k.ID), StackDriftDetectionId: aws.String(id),
				StackDriftStatus: status, DetectionStatus: cfntypes.StackDriftDetectionStatusDetectionComplete,
				DriftedStackResourceCount: aws.Int32(n), Timestamp: aws.Time(k.Drift.At)}, nil
		}
	}
	return nil, invalid("Drift detection with id %s does not exist", id)
}

// view is a resource's drift as the API shows it.
func (d *resourceDrift) view(stackID string) cfntypes.StackResourceDrift {
	out := cfntypes.StackResourceDrift{LogicalResourceId: aws.String(d.Logical), PhysicalResourceId: aws.String(d.Physical), ResourceType: aws.String(d.Type),
		StackId: aws.String(stackID), StackResourceDriftStatus: cfntypes.StackResourceDriftStatus(d.Status), Timestamp: aws.Time(d.At)}
	if d.Expected != "" {
		out.ExpectedProperties, out.ActualProperties = aws.String(d.Expected), aws.String(d.Actual)
	}
	for _, p := range d.Diffs {
		out.PropertyDifferences = append(out.PropertyDifferences, cfntypes.PropertyDifference{PropertyPath: aws.String(p.Path),
			ExpectedValue: aws.String(p.Expected), ActualValue: aws.String(p.Actual), DifferenceType: cfntypes.DifferenceType(p.Kind)})
	}
	return out
}

// DescribeStackResourceDrifts lists the last drift detection's results of a stack.
func (h *CloudFormation) DescribeStackResourceDrifts(ctx context.Context, in *cloudformation.DescribeStackResourceDriftsInput) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	k, _, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	out := &cloudformation.DescribeStackResourceDriftsOutput{StackResourceDrifts: []cfntypes.StackResourceDrift{}}
	if k.Drift == nil {
		return out, nil
	}
	for _, d := range k.Drift.Results {
		if len(in.StackResourceDriftStatusFilters) > 0 && !slices.Contains(in.StackResourceDriftStatusFilters, cfntypes.StackResourceDriftStatus(d.Status)) {
			continue
		}
		out.StackResourceDrifts = append(out.StackResourceDrifts, d.view(k.ID))
	}
	return out, nil
}

// DetectStackResourceDrift compares one resource of a stack with its live resource.
func (h *CloudFormation) DetectStackResourceDrift(ctx context.Context, in *cloudformation.DetectStackResourceDriftInput) (*cloudformation.DetectStackResourceDriftOutput, error) {
	k, now, err := h.s.stackOf(core.RegionFrom(ctx), aws.ToString(in.StackName))
	if err != nil {
		return nil, err
	}
	if err := driftable(k, now); err != nil {
		return nil, err
	}
	for _, v := range k.resourcesAt(now) {
		if v.r.Logical == aws.ToString(in.LogicalResourceId) {
			d := detect(&maker{s: h.s, ctx: ctx, stack: k}, v.r, now)
			view := d.view(k.ID)
			return &cloudformation.DetectStackResourceDriftOutput{StackResourceDrift: &view}, nil
		}
	}
	return nil, invalid("Resource %s does not exist for stack %s", aws.ToString(in.LogicalResourceId), aws.ToString(in.StackName))
}
