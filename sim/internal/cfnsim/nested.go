package cfnsim

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// A nested stack, AWS::CloudFormation::Stack: a stack made from the template at its
// TemplateURL (read from the simulator's S3) through CreateStack at the door as the caller,
// with the parent's capabilities; its Ref is its stack ID, and Fn::GetAtt's Outputs.NAME its
// outputs. It fails its parent's resource when it rolls back, and DeleteStack deletes it with
// its parent.
func init() {
	types["AWS::CloudFormation::Stack"] = rtype{
		props:  []string{"TemplateURL", "Parameters", "TimeoutInMinutes", "NotificationARNs", "Tags"},
		create: createNested,
		delete: func(m *maker, r *resource) error {
			_, err := m.do("cloudformation", "DeleteStack", &cloudformation.DeleteStackInput{StackName: aws.String(r.Physical)})
			return err
		},
	}
}

func createNested(m *maker, logical string, p *props) (*made, error) {
	p.require("TemplateURL")
	in := &cloudformation.CreateStackInput{StackName: aws.String(m.name(logical, 128, false)), TemplateURL: p.sp("TemplateURL"),
		NotificationARNs: p.strs("NotificationARNs"), TimeoutInMinutes: p.i32("TimeoutInMinutes")}
	in.Capabilities, in.Tags = capabilitiesOut(m.stack.Capabilities), tagsOut(p.tags())
	if raw, ok := p.m["Parameters"]; ok {
		ps, isMap := raw.(map[string]any)
		if !isMap {
			p.fail("Value of property Parameters must be an object")
		}
		for k, v := range ps {
			s, isStr := v.(string)
			if l, isList := v.([]any); isList {
				parts := make([]string, 0, len(l))
				for _, x := range l {
					xs, _ := x.(string)
					parts = append(parts, xs)
				}
				s, isStr = strings.Join(parts, ","), true
			}
			if !isStr {
				p.fail("Value of property Parameters must be an object with String (or simple type) properties")
			}
			in.Parameters = append(in.Parameters, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(s)})
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	out, err := m.do("cloudformation", "CreateStack", in)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(out.(*cloudformation.CreateStackOutput).StackId)
	// The child is made at the call: its outputs, or its failure, are known now.
	m.s.mu.RLock()
	child := m.s.find(m.stack.Region, id, m.s.clock.Now())
	var final, why string
	attrs := map[string]any{}
	if child != nil {
		final = child.Final
		for _, o := range child.Outputs {
			attrs["Outputs."+o.Key] = o.Value
		}
		for _, e := range child.Events {
			if e.Type == stackType && e.Logical == child.Name && strings.HasPrefix(e.Status, "ROLLBACK_IN_PROGRESS") {
				why = e.Reason
			}
		}
	}
	m.s.mu.RUnlock()
	md := &made{physical: id, attrs: attrs}
	if final != "CREATE_COMPLETE" {
		return md, fmt.Errorf("Embedded stack %s was not successfully created: %s", id, why)
	}
	return md, nil
}
