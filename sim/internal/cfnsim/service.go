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
			var role string
			switch in := r.In.(type) {
			case *cloudformation.CreateStackInput:
				role = aws.ToString(in.RoleARN)
			case *cloudformation.CreateChangeSetInput:
				role = aws.ToString(in.RoleARN)
			}
			if role != "" {
				acc = append(acc, service.Access{Action: "iam:PassRole", Resource: role,
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
// DescribeStacks of every stack on "*". A change set's operations act on its stack.
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
	case *cloudformation.GetTemplateSummaryInput:
		name = in.StackName
	case *cloudformation.DetectStackDriftInput:
		name = in.StackName
	case *cloudformation.DetectStackResourceDriftInput:
		name = in.StackName
	case *cloudformation.DescribeStackResourceDriftsInput:
		name = in.StackName
	case *cloudformation.SetStackPolicyInput:
		name = in.StackName
	case *cloudformation.GetStackPolicyInput:
		name = in.StackName
	case *cloudformation.UpdateTerminationProtectionInput:
		name = in.StackName
	case *cloudformation.UpdateStackInput:
		name = in.StackName
	case *cloudformation.CreateChangeSetInput:
		name = in.StackName
	case *cloudformation.ListChangeSetsInput:
		name = in.StackName
	case *cloudformation.DescribeChangeSetInput:
		name = s.changeSetStack(region, in.ChangeSetName, in.StackName)
	case *cloudformation.ExecuteChangeSetInput:
		name = s.changeSetStack(region, in.ChangeSetName, in.StackName)
	case *cloudformation.DeleteChangeSetInput:
		name = s.changeSetStack(region, in.ChangeSetName, in.StackName)
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

// changeSetStack names the stack of a change set operation: the one given, else (for a
// change set named by its ARN) the change set's.
func (s *Store) changeSetStack(region string, changeSet, stackName *string) *string {
	if aws.ToString(stackName) != "" || !strings.HasPrefix(aws.ToString(changeSet), "arn:") {
		return stackName
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.st.ChangeSets {
		if c.ID == *changeSet && c.Region == region {
			return aws.String(c.StackID)
		}
	}
	return nil
}
