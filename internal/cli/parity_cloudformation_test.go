package cli

import "testing"

// cloudFormationTemplate is the session's template: a topic and a parameter, a parameter
// with NoEcho, an output exported.
const cloudFormationTemplate = `Description: alerts
Parameters:
  Team:
    Type: String
    Default: ops
    AllowedValues: [ops, dev]
  Secret:
    Type: String
    NoEcho: true
    Default: hunter2
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub '${Team}-alerts'
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /alerts/topic
      Type: String
      Value: !Ref Alerts
Outputs:
  Topic:
    Value: !Ref Alerts
    Export:
      Name: alerts-topic
`

// cloudFormationSession uses every CloudFormation operation the simulator answers. The
// servers' clock stands still, so the stack stays CREATE_IN_PROGRESS (its events are one
// second apart on the clock): what it shows is its first second.
var cloudFormationSession = []step{
	{args: []string{"cloudformation", "validate-template", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "validate-template", "--template-body", "Resources:\n  A:\n    Type: AWS::Foo::Bar\n"}},
	{args: []string{"cloudformation", "validate-template", "--template-body", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DependsOn: B\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n"}},
	{args: []string{"cloudformation", "create-stack", "--stack-name", "alerts", "--template-body", "file://stack.yaml", "--parameters", "ParameterKey=Team,ParameterValue=qa"}},
	{args: []string{"cloudformation", "create-stack", "--stack-name", "alerts", "--template-body", "file://stack.yaml", "--query", "StackId", "--output", "text"}, capture: "id"},
	{args: []string{"cloudformation", "create-stack", "--stack-name", "alerts", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "create-stack", "--stack-name", "1bad", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "alerts"}},
	{args: []string{"cloudformation", "describe-stacks", "--output", "yaml"}},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "nope"}},
	{args: []string{"cloudformation", "describe-stack-events", "--stack-name", "{id}", "--query", "StackEvents[].[LogicalResourceId,ResourceStatus,ResourceStatusReason]", "--output", "text"}},
	{args: []string{"cloudformation", "describe-stack-resources", "--stack-name", "alerts", "--output", "table"}},
	{args: []string{"cloudformation", "describe-stack-resource", "--stack-name", "alerts", "--logical-resource-id", "Alerts"}},
	{args: []string{"cloudformation", "describe-stack-resource", "--stack-name", "alerts", "--logical-resource-id", "Nope"}},
	{args: []string{"cloudformation", "list-stack-resources", "--stack-name", "alerts"}},
	{args: []string{"cloudformation", "get-template", "--stack-name", "alerts", "--query", "TemplateBody", "--output", "text"}},
	{args: []string{"cloudformation", "list-stacks", "--stack-status-filter", "CREATE_IN_PROGRESS"}},
	{args: []string{"cloudformation", "list-exports"}},
	{args: []string{"cloudformation", "update-stack", "--stack-name", "alerts", "--use-previous-template", "--parameters", "ParameterKey=Team,ParameterValue=dev"}},
	{args: []string{"cloudformation", "update-stack", "--stack-name", "nope", "--use-previous-template"}},
	{args: []string{"cloudformation", "delete-stack", "--stack-name", "alerts"}},
	{args: []string{"cloudformation", "delete-stack", "--stack-name", "never-was"}},
	{args: []string{"cloudformation", "list-stacks", "--query", "StackSummaries[].[StackName,StackStatus]", "--output", "text"}},
	{args: []string{"cloudformation", "create-stack", "--stack-name", "alerts"}},
}

// Every CloudFormation operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityCloudFormationSession(t *testing.T) {
	t.Parallel()
	compareSession(t, cloudFormationSession, map[string]string{"stack.yaml": cloudFormationTemplate})
}
