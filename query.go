package awsx

import (
	"fmt"

	"github.com/awsxlab/awsx/internal/output"
)

// Query applies the JMESPath expression to the output of an SDK call, as the AWS CLI's --query
// does to the same call's response, and returns the result as JSON-like Go values:
// map[string]any, []any, string, int64, float64, bool, or nil. Members have the names AWS
// gives them ("Reservations[].Instances[].InstanceId"), timestamps are strings as the AWS CLI
// prints them, and backtick literals that are not JSON (`us-east-1`) read as strings, as
// the AWS CLI reads them.
//
//	out, _ := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
//	ids, _ := awsx.Query(out, "Reservations[].Instances[?State.Name=='running'].InstanceId[]")
//
// It is the conversion and query of the awsx command (package internal/output, which the
// command shares; no command code is linked in), so a query gives in Go what
// `awsx … --query` prints. Query is safe for concurrent use.
func Query(out any, expression string) (any, error) {
	res, err := output.Query(output.ValueAll(out), expression)
	if err != nil {
		return nil, fmt.Errorf("awsx: %w", err)
	}
	return plain(res), nil
}

// plain turns the output package's ordered maps into maps.
func plain(v any) any {
	switch x := v.(type) {
	case *output.Map:
		if x == nil {
			return nil
		}
		m := make(map[string]any, x.Len())
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			m[k] = plain(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = plain(e)
		}
		return l
	}
	return v
}
