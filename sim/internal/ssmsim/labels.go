package ssmsim

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// checkLabels checks the Labels member of the label operations: 1 to 10 labels.
func checkLabels(v *validation, labels []string) {
	if labels == nil {
		v.null("labels")
		return
	}
	v.count("labels", labels, 1, maxLabels)
}

// labelTarget checks a label request's name and returns it.
func labelTarget(name *string) (string, error) {
	if err := requireName(name); err != nil {
		return "", err
	}
	n := trimName(*name)
	if err := checkName(n); err != nil {
		return "", err
	}
	if err := checkWritable(n); err != nil {
		return "", err
	}
	return n, nil
}

// LabelParameterVersion attaches labels to a version, the latest when none is named. A label
// another version has moves to this one; a label that breaks the rules is not attached and is
// listed in InvalidLabels; a version can have at most ten labels.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html
func (h *SSM) LabelParameterVersion(ctx context.Context, in *ssm.LabelParameterVersionInput) (*ssm.LabelParameterVersionOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	checkLabels(&v, in.Labels)
	for i, l := range in.Labels {
		if len(l) > maxLabelLength {
			v.add("Value '[%s]' at 'labels.%d.member' failed to satisfy constraint: Member must have length less than or equal to %d", l, i+1, maxLabelLength)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	name, err := labelTarget(in.Name)
	if err != nil {
		return nil, err
	}
	out := &ssm.LabelParameterVersionOutput{InvalidLabels: []string{}}
	err = s.write(region, func(r *regionState) (bool, error) {
		p := r.get(name)
		if p == nil {
			return false, notFound()
		}
		target := p.current()
		if in.ParameterVersion != nil {
			if target = p.version(*in.ParameterVersion); target == nil {
				return false, versionNotFound(p.Name, *in.ParameterVersion)
			}
		}
		var add []string
		for _, l := range in.Labels {
			switch {
			case !validLabel(l):
				if !slices.Contains(out.InvalidLabels, l) {
					out.InvalidLabels = append(out.InvalidLabels, l)
				}
			case !slices.Contains(target.Labels, l) && !slices.Contains(add, l):
				add = append(add, l)
			}
		}
		if len(target.Labels)+len(add) > maxLabels {
			return false, errorf(ParameterVersionLabelLimitExceeded, "A parameter version can have maximum %d labels.Move one or more labels to another version and try again.", maxLabels)
		}
		out.ParameterVersion = target.Version
		if len(add) == 0 {
			return false, nil
		}
		for _, other := range p.Versions {
			if other != target {
				other.Labels = slices.DeleteFunc(other.Labels, func(l string) bool { return slices.Contains(add, l) })
				if len(other.Labels) == 0 {
					other.Labels = nil
				}
			}
		}
		target.Labels = append(target.Labels, add...)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UnlabelParameterVersion removes labels from a version; the labels it does not carry are
// listed in InvalidLabels.
func (h *SSM) UnlabelParameterVersion(ctx context.Context, in *ssm.UnlabelParameterVersionInput) (*ssm.UnlabelParameterVersionOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	checkLabels(&v, in.Labels)
	if in.ParameterVersion == nil {
		v.null("parameterVersion")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	name, err := labelTarget(in.Name)
	if err != nil {
		return nil, err
	}
	out := &ssm.UnlabelParameterVersionOutput{RemovedLabels: []string{}, InvalidLabels: []string{}}
	err = s.write(region, func(r *regionState) (bool, error) {
		p := r.get(name)
		if p == nil {
			return false, notFound()
		}
		target := p.version(*in.ParameterVersion)
		if target == nil {
			return false, versionNotFound(p.Name, *in.ParameterVersion)
		}
		for _, l := range in.Labels {
			switch {
			case slices.Contains(target.Labels, l):
				target.Labels = slices.DeleteFunc(target.Labels, func(have string) bool { return have == l })
				out.RemovedLabels = append(out.RemovedLabels, l)
			case !slices.Contains(out.RemovedLabels, l) && !slices.Contains(out.InvalidLabels, l):
				out.InvalidLabels = append(out.InvalidLabels, l)
			}
		}
		if len(target.Labels) == 0 {
			target.Labels = nil
		}
		return len(out.RemovedLabels) > 0, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
