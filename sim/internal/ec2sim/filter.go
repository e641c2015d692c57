package ec2sim

import (
	"path"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// filters is EC2's Filter.N list: a resource matches when every named filter has a value that
// matches one of the resource's values for that name. Values may use * and ? wildcards.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html
type filters []types.Filter

// check rejects filter names the operation does not know, as EC2 does.
func (fs filters) check(known ...string) error {
	for _, f := range fs {
		name := aws.ToString(f.Name)
		ok := false
		for _, k := range known {
			if k == name {
				ok = true
				break
			}
		}
		if !ok {
			return core.Errorf("InvalidParameterValue", "The filter '%s' is invalid", name)
		}
	}
	return nil
}

// match reports whether a resource whose filterable values are given by values matches.
func (fs filters) match(values func(name string) []string) bool {
	for _, f := range fs {
		have := values(aws.ToString(f.Name))
		if !anyMatch(f.Values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if ok, _ := path.Match(p, v); ok || p == v {
				return true
			}
		}
	}
	return false
}
