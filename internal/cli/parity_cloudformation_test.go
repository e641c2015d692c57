package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

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
	// Change sets: a CREATE one leaves its stack in REVIEW_IN_PROGRESS; on the still clock it
	// stays CREATE_PENDING, and cannot be executed.
	{args: []string{"cloudformation", "create-change-set", "--stack-name", "review", "--change-set-name", "first", "--change-set-type", "CREATE", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "create-change-set", "--stack-name", "review", "--change-set-name", "first", "--change-set-type", "CREATE", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "create-change-set", "--stack-name", "nope", "--change-set-name", "x", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "describe-change-set", "--stack-name", "review", "--change-set-name", "first"}},
	{args: []string{"cloudformation", "describe-change-set", "--stack-name", "review", "--change-set-name", "nope"}},
	{args: []string{"cloudformation", "list-change-sets", "--stack-name", "review"}},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "review", "--query", "Stacks[0].StackStatus"}},
	{args: []string{"cloudformation", "execute-change-set", "--stack-name", "review", "--change-set-name", "first"}},
	{args: []string{"cloudformation", "get-template-summary", "--template-body", "file://stack.yaml"}},
	{args: []string{"cloudformation", "get-template-summary", "--stack-name", "review"}},
	{args: []string{"cloudformation", "delete-change-set", "--stack-name", "review", "--change-set-name", "first"}},
	{args: []string{"cloudformation", "list-change-sets", "--stack-name", "review"}},
	// Termination protection and stack policies.
	{args: []string{"cloudformation", "update-termination-protection", "--stack-name", "review", "--enable-termination-protection"}},
	{args: []string{"cloudformation", "delete-stack", "--stack-name", "review"}},
	{args: []string{"cloudformation", "update-termination-protection", "--stack-name", "nope", "--no-enable-termination-protection"}},
	{args: []string{"cloudformation", "set-stack-policy", "--stack-name", "review", "--stack-policy-body", `{"Statement":[{"Effect":"Deny","Action":"Update:Replace","Principal":"*","Resource":"LogicalResourceId/Alerts"}]}`}},
	{args: []string{"cloudformation", "get-stack-policy", "--stack-name", "review"}},
	{args: []string{"cloudformation", "set-stack-policy", "--stack-name", "review", "--stack-policy-body", `{"Statement":[{"Effect":"Perhaps"}]}`}},
}

// Every CloudFormation operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityCloudFormationSession(t *testing.T) {
	t.Parallel()
	compareSession(t, cloudFormationSession, map[string]string{"stack.yaml": cloudFormationTemplate})
}

// cloudFormationDeploySession is the AWS CLI's cloudformation deploy, and change sets carried
// through: its servers' clock runs a hundred thousand times faster than the wall, so that each wait
// (the AWS CLI's on the wall clock, every 5 or 30 seconds) ends at its first attempt. A deploy
// names its change set for the second it runs in, so that deploys of one stack pause a
// second apart. Their output is text: they print lines, never JSON.
var cloudFormationDeploySession = []step{
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--parameter-overrides", "Team=dev", "--output", "text"}},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "web", "--query", "Stacks[0].[StackStatus,Parameters[?ParameterKey=='Team'].ParameterValue]", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--output", "text"}, pause: time.Second,
		unlike: "v1: an empty change set fails in the AWS CLI v1 (--fail-on-empty-changeset is its default); awsx follows v2"},
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--fail-on-empty-changeset", "--output", "text"}, pause: time.Second},
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--parameter-overrides", "Team=ops", "--output", "text"}, pause: time.Second},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "web", "--query", "Stacks[0].[StackStatus,Parameters[?ParameterKey=='Team'].ParameterValue]", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--template-file", "nope.yaml", "--stack-name", "web", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--stack-name", "web", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--parameter-overrides", "Team", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "web", "--parameter-overrides", "Team=qa", "--output", "text"}},
	{args: []string{"cloudformation", "deploy", "--template-file", "broken.yaml", "--stack-name", "broken", "--output", "text"}},
	{args: []string{"cloudformation", "describe-stacks", "--stack-name", "broken", "--query", "Stacks[0].StackStatus"}},
	{args: []string{"cloudformation", "create-change-set", "--stack-name", "web", "--change-set-name", "preview", "--use-previous-template", "--parameters", "ParameterKey=Team,ParameterValue=dev", "--query", "Id", "--output", "text"}, capture: "cs"},
	{args: []string{"cloudformation", "wait", "change-set-create-complete", "--change-set-name", "{cs}"}},
	{args: []string{"cloudformation", "describe-change-set", "--change-set-name", "{cs}", "--query", "[Status,ExecutionStatus,Changes[].ResourceChange.[Action,LogicalResourceId,Replacement,Details[].[Target.Name,Evaluation,ChangeSource,CausingEntity]]]", "--output", "json"}},
	{args: []string{"cloudformation", "execute-change-set", "--change-set-name", "{cs}"}},
	{args: []string{"cloudformation", "wait", "stack-update-complete", "--stack-name", "web"}},
	{args: []string{"cloudformation", "describe-change-set", "--change-set-name", "{cs}", "--query", "[Status,ExecutionStatus]", "--output", "text"}},
	{args: []string{"cloudformation", "execute-change-set", "--change-set-name", "{cs}"}},
	{args: []string{"cloudformation", "list-change-sets", "--stack-name", "web", "--query", "Summaries[].[ChangeSetName,ExecutionStatus]", "--output", "text"}},
	// Drift detection (dates left out: each server's fast clock is its own).
	{args: []string{"cloudformation", "detect-stack-drift", "--stack-name", "web", "--query", "StackDriftDetectionId", "--output", "text"}, capture: "drift"},
	{args: []string{"cloudformation", "describe-stack-drift-detection-status", "--stack-drift-detection-id", "{drift}", "--query", "[DetectionStatus,StackDriftStatus,DriftedStackResourceCount]"}},
	{args: []string{"cloudformation", "describe-stack-drift-detection-status", "--stack-drift-detection-id", "nope"}},
	{args: []string{"cloudformation", "describe-stack-resource-drifts", "--stack-name", "web", "--query", "StackResourceDrifts[].[LogicalResourceId,StackResourceDriftStatus,ExpectedProperties,ActualProperties]"}},
	{args: []string{"cloudformation", "detect-stack-resource-drift", "--stack-name", "web", "--logical-resource-id", "Alerts", "--query", "StackResourceDrift.[StackResourceDriftStatus,ExpectedProperties]"}},
	{args: []string{"cloudformation", "detect-stack-drift", "--stack-name", "broken"}},
}

// deployTemplate is the deploy session's stack: Team changes the topic's display name, so an
// update replaces the topic, and the parameter that names it.
const deployTemplate = `Parameters:
  Team:
    Type: String
    Default: ops
    AllowedValues: [ops, dev]
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub '${Team} alerts'
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref Alerts
Outputs:
  Topic:
    Value: !Ref Alerts
`

// brokenTemplate fails at its subnet: its stack rolls back, and deploy says so.
const brokenTemplate = `Resources:
  Topic:
    Type: AWS::SNS::Topic
  Net:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-nope, CidrBlock: 10.0.0.0/24}
`

// The AWS CLI's cloudformation deploy and change sets, through the AWS CLI v1, v2 and awsx.
func TestParityCloudFormationDeploy(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := func() time.Time { return start.Add(time.Since(start) * 100000) }
	files := map[string]string{"stack.yaml": deployTemplate, "broken.yaml": brokenTemplate}
	playSessionsOn(t, cloudFormationDeploySession, start, func(o *ServeOptions) { o.clock = fast }, false, func(t *testing.T, dir string, _ time.Time) {
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}, compareWithCLI)
}
