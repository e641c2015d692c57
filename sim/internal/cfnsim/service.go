package cfnsim

import (
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/schemas"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is CloudFormation's awsQuery, from the SDK's own schemas, made when it is first
// used.
var protocol = sync.OnceValue(func() service.Protocol {
	return query.FromSchema(schemas.CloudFormation, (*cloudformation.Client)(nil)).Wire()
})

// Service returns CloudFormation as the door serves it: each operation authorized on the
// stack it names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "cloudformation",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewCloudFormation(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			acc := service.On(s.Resources(r.Region, r.In)...)
			// A stack's service role is passed to CloudFormation: iam:PassRole on it.
			if in, ok := r.In.(*cloudformation.CreateStackInput); ok && aws.ToString(in.RoleARN) != "" {
				acc = append(acc, service.Access{Action: "iam:PassRole", Resource: *in.RoleARN,
					Context: map[string]string{"iam:PassedToService": "cloudformation.amazonaws.com"}})
			}
			return acc, nil
		},
		Dialect: service.QueryDialect,
	}
}

// Resources returns the ARNs a request acts on: per the Service Authorization Reference,
// the stack operations act on the stack, arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID
// (stack/NAME/* for a stack not made yet); ValidateTemplate, ListStacks, ListExports and
// DescribeStacks of every stack on "*".
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
func (s *Store) Resources(region string, in any) []string {
	var name *string
	switch in := in.(type) {
	case *cloudformation.CreateStackInput:
		name = in.StackName
	case *cloudformation.DeleteStackInput:
		name = in.StackName
	case *cloudformation.DescribeStacksInput:
		name = in.StackName
	case *cloudformation.DescribeStackEventsInput:
		name = in.StackName
	case *cloudformation.DescribeStackResourcesInput:
		name = in.StackName
	case *cloudformation.DescribeStackResourceInput:
		name = in.StackName
	case *cloudformation.ListStackResourcesInput:
		name = in.StackName
	case *cloudformation.GetTemplateInput:
		name = in.StackName
	default:
		return nil
	}
	n := aws.ToString(name)
	if n == "" {
		return nil
	}
	if strings.HasPrefix(n, "arn:") {
		return []string{n}
	}
	s.mu.RLock()
	k := s.find(region, n, s.clock.Now())
	s.mu.RUnlock()
	if k != nil {
		return []string{k.ID}
	}
	return []string{"arn:aws:cloudformation:" + region + ":" + s.account + ":stack/" + n + "/*"}
}
