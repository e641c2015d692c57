package cli

import "testing"

// Policy documents the session's commands read from files.
var sessionFiles = map[string]string{
	"ec2.json":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`,
	"s3.json":    `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::lab","arn:aws:s3:::lab/*"],"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`,
	"trust.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`,
	"trust2.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`,
	"inputs.json": `["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"]`,
}

const (
	managedARN = "arn:aws:iam::123456789012:policy/ec2-no-terminate"
	adminARN   = "arn:aws:iam::aws:policy/AdministratorAccess"
	readARN    = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// iamSTSSession uses every IAM and STS operation the simulator answers, each where what it
// needs exists: users, groups, roles, managed policies with versions, inline policies,
// boundaries, tags, access keys, login profiles, instance profiles, simulations, sessions;
// then the errors and the deletes. Outputs in json, and text, table and yaml for some; not
// yaml where the step changes state, since the AWS CLI v1, which has no yaml, must change it
// too for the sessions' IDs to stay in step.
var iamSTSSession = []step{
	// Users.
	{args: []string{"iam", "create-user", "--user-name", "alex", "--tags", "Key=team,Value=blue"}},
	{args: []string{"iam", "create-user", "--user-name", "sam", "--path", "/ops/", "--output", "table"}},
	{args: []string{"iam", "create-user", "--user-name", "kim", "--permissions-boundary", readARN, "--output", "text"}},
	{args: []string{"iam", "get-user", "--user-name", "alex"}},
	{args: []string{"iam", "get-user", "--user-name", "kim", "--output", "yaml"}},
	{args: []string{"iam", "update-user", "--user-name", "sam", "--new-user-name", "samantha", "--new-path", "/ops/lead/"}},
	{args: []string{"iam", "list-users"}},
	{args: []string{"iam", "list-users", "--output", "text"}},
	{args: []string{"iam", "list-users", "--output", "table"}},
	{args: []string{"iam", "list-users", "--path-prefix", "/ops/", "--output", "yaml"}},
	{args: []string{"iam", "list-users", "--max-items", "1"}},
	{args: []string{"iam", "list-users", "--max-items", "1", "--query", "NextToken"}, capture: "token"},
	{args: []string{"iam", "list-users", "--starting-token", "{token}"}},
	{args: []string{"iam", "list-users", "--starting-token", "{token}", "--output", "yaml-stream"}},
	{args: []string{"iam", "list-users", "--max-items", "2", "--page-size", "1", "--output", "yaml-stream"}},
	{args: []string{"iam", "list-users", "--page-size", "1", "--output", "yaml-stream", "--query", "Users[].UserName"}},
	{args: []string{"iam", "list-users", "--page-size", "1", "--output", "text", "--query", "Users[].UserName"}},
	{args: []string{"iam", "list-users", "--page-size", "2", "--output", "text"}},
	{args: []string{"iam", "list-users", "--max-items", "1", "--query", "NextToken", "--output", "text"}},
	{args: []string{"iam", "list-users", "--max-items", "2", "--page-size", "1", "--output", "text"}},
	{args: []string{"iam", "tag-user", "--user-name", "alex", "--tags", "Key=env,Value=lab", "Key=cost,Value=1.5"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex", "--output", "yaml"}},
	{args: []string{"iam", "untag-user", "--user-name", "alex", "--tag-keys", "env"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex", "--output", "text"}},
	{args: []string{"iam", "put-user-permissions-boundary", "--user-name", "alex", "--permissions-boundary", readARN}},
	{args: []string{"iam", "get-user", "--user-name", "alex", "--query", "User.PermissionsBoundary"}},
	{args: []string{"iam", "delete-user-permissions-boundary", "--user-name", "alex"}},

	// Groups.
	{args: []string{"iam", "create-group", "--group-name", "admin"}},
	{args: []string{"iam", "create-group", "--group-name", "readers", "--path", "/teams/"}},
	{args: []string{"iam", "update-group", "--group-name", "readers", "--new-group-name", "auditors"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "alex", "--group-name", "admin"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "kim", "--group-name", "admin"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "kim", "--group-name", "auditors"}},
	{args: []string{"iam", "get-group", "--group-name", "admin"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--output", "table"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--page-size", "1", "--output", "text"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--page-size", "1", "--output", "yaml-stream"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--max-items", "1"}},
	{args: []string{"iam", "list-groups"}},
	{args: []string{"iam", "list-groups", "--output", "yaml"}},
	{args: []string{"iam", "list-groups-for-user", "--user-name", "kim", "--output", "text"}},
	{args: []string{"iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", adminARN}},
	{args: []string{"iam", "list-attached-group-policies", "--group-name", "admin"}},
	{args: []string{"iam", "put-group-policy", "--group-name", "auditors", "--policy-name", "read-lab", "--policy-document", "file://s3.json"}},
	{args: []string{"iam", "get-group-policy", "--group-name", "auditors", "--policy-name", "read-lab"}},
	{args: []string{"iam", "get-group-policy", "--group-name", "auditors", "--policy-name", "read-lab", "--output", "yaml"}},
	{args: []string{"iam", "list-group-policies", "--group-name", "auditors"}},

	// Managed policies and their versions.
	{args: []string{"iam", "create-policy", "--policy-name", "ec2-no-terminate", "--policy-document", "file://ec2.json", "--description", "EC2, but no terminating"}},
	{args: []string{"iam", "get-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "get-policy", "--policy-arn", adminARN, "--output", "yaml"}},
	{args: []string{"iam", "create-policy-version", "--policy-arn", managedARN, "--policy-document", "file://s3.json", "--set-as-default"}},
	{args: []string{"iam", "list-policy-versions", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-policy-versions", "--policy-arn", managedARN, "--output", "table"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v2"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v2", "--output", "yaml"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v1", "--output", "text"}},
	{args: []string{"iam", "set-default-policy-version", "--policy-arn", managedARN, "--version-id", "v1"}},
	{args: []string{"iam", "delete-policy-version", "--policy-arn", managedARN, "--version-id", "v2"}},
	{args: []string{"iam", "list-policies", "--scope", "Local"}},
	{args: []string{"iam", "list-policies", "--scope", "Local", "--output", "yaml"}},
	{args: []string{"iam", "list-policies", "--scope", "AWS", "--query", "length(Policies) > `0`"}},
	{args: []string{"iam", "attach-user-policy", "--user-name", "alex", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-attached-user-policies", "--user-name", "alex"}},
	{args: []string{"iam", "list-entities-for-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-entities-for-policy", "--policy-arn", adminARN, "--output", "text"}},

	// Inline user policies.
	{args: []string{"iam", "put-user-policy", "--user-name", "alex", "--policy-name", "s3-read", "--policy-document", "file://s3.json"}},
	{args: []string{"iam", "get-user-policy", "--user-name", "alex", "--policy-name", "s3-read"}},
	{args: []string{"iam", "list-user-policies", "--user-name", "alex"}},
	{args: []string{"iam", "delete-user-policy", "--user-name", "alex", "--policy-name", "s3-read"}},

	// Access keys and login profiles.
	{args: []string{"iam", "create-access-key", "--user-name", "alex"}},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--query", "AccessKeyMetadata[0].AccessKeyId", "--output", "text"}, capture: "key"},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--output", "table"}},
	{args: []string{"iam", "update-access-key", "--user-name", "alex", "--access-key-id", "{key}", "--status", "Inactive"}},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--output", "yaml"}},
	{args: []string{"iam", "get-access-key-last-used", "--access-key-id", "{key}"}},
	{args: []string{"iam", "create-login-profile", "--user-name", "alex", "--password", "Lab-Passw0rd!", "--password-reset-required"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "alex"}},
	{args: []string{"iam", "update-login-profile", "--user-name", "alex", "--no-password-reset-required"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "alex", "--output", "text"}},

	// Roles.
	{args: []string{"iam", "create-role", "--role-name", "app", "--assume-role-policy-document", "file://trust.json", "--description", "The lab's application", "--tags", "Key=tier,Value=web"}},
	{args: []string{"iam", "get-role", "--role-name", "app"}},
	{args: []string{"iam", "get-role", "--role-name", "app", "--output", "yaml"}},
	{args: []string{"iam", "update-role", "--role-name", "app", "--description", "The web tier", "--max-session-duration", "7200"}},
	{args: []string{"iam", "update-assume-role-policy", "--role-name", "app", "--policy-document", "file://trust2.json"}},
	{args: []string{"iam", "list-roles"}},
	{args: []string{"iam", "list-roles", "--output", "text"}},
	{args: []string{"iam", "tag-role", "--role-name", "app", "--tags", "Key=owner,Value=alex"}},
	{args: []string{"iam", "list-role-tags", "--role-name", "app"}},
	{args: []string{"iam", "untag-role", "--role-name", "app", "--tag-keys", "tier"}},
	{args: []string{"iam", "list-role-tags", "--role-name", "app", "--output", "table"}},
	{args: []string{"iam", "put-role-policy", "--role-name", "app", "--policy-name", "ec2", "--policy-document", "file://ec2.json"}},
	{args: []string{"iam", "get-role-policy", "--role-name", "app", "--policy-name", "ec2"}},
	{args: []string{"iam", "list-role-policies", "--role-name", "app"}},
	{args: []string{"iam", "attach-role-policy", "--role-name", "app", "--policy-arn", readARN}},
	{args: []string{"iam", "list-attached-role-policies", "--role-name", "app"}},
	{args: []string{"iam", "put-role-permissions-boundary", "--role-name", "app", "--permissions-boundary", adminARN}},
	{args: []string{"iam", "get-role", "--role-name", "app", "--query", "Role.PermissionsBoundary", "--output", "text"}},
	{args: []string{"iam", "delete-role-permissions-boundary", "--role-name", "app"}},

	// Instance profiles.
	{args: []string{"iam", "create-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "add-role-to-instance-profile", "--instance-profile-name", "web", "--role-name", "app"}},
	{args: []string{"iam", "get-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "list-instance-profiles"}},
	{args: []string{"iam", "list-instance-profiles", "--output", "yaml"}},
	{args: []string{"iam", "list-instance-profiles-for-role", "--role-name", "app"}},
	{args: []string{"iam", "list-instance-profiles-for-role", "--role-name", "app", "--output", "text"}},

	// Simulations.
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/alex", "--action-names", "ec2:RunInstances", "ec2:TerminateInstances"}},
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/kim", "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::lab/key", "--output", "text"}},
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:role/app", "--action-names", "ec2:DescribeInstances", "--output", "yaml"}},
	{args: []string{"iam", "simulate-custom-policy", "--policy-input-list", "file://inputs.json", "--action-names", "s3:PutObject", "ec2:RunInstances"}},
	{args: []string{"iam", "simulate-custom-policy", "--policy-input-list", "file://inputs.json", "--action-names", "s3:PutObject", "--output", "table"}},

	// STS.
	{args: []string{"sts", "get-caller-identity"}},
	{args: []string{"sts", "get-caller-identity", "--output", "yaml"}},
	{args: []string{"sts", "get-session-token"}},
	{args: []string{"sts", "get-session-token", "--duration-seconds", "900", "--output", "text"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab", "--duration-seconds", "1800", "--output", "text"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/nobody", "--role-session-name", "lab"}},
	{args: []string{"sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::123456789012:role/app", "--principal-arn", "arn:aws:iam::123456789012:saml-provider/idp", "--saml-assertion", "bm90IGEgU0FNTCBhc3NlcnRpb24="}},
	{args: []string{"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab", "--web-identity-token", "not-a-token"}},

	// Errors.
	{args: []string{"iam", "get-user", "--user-name", "nobody"}},
	{args: []string{"iam", "create-user", "--user-name", "alex"}},
	{args: []string{"iam", "create-user", "--user-name", "bad name!"}},
	{args: []string{"iam", "delete-group", "--group-name", "admin"}},
	{args: []string{"iam", "delete-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-role", "--role-name", "app"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v9"}},
	{args: []string{"iam", "delete-policy-version", "--policy-arn", managedARN, "--version-id", "v1"}},
	{args: []string{"iam", "create-policy", "--policy-name", "broken", "--policy-document", "{not json"}},
	{args: []string{"iam", "attach-user-policy", "--user-name", "alex", "--policy-arn", "arn:aws:iam::123456789012:policy/none"}},
	{args: []string{"iam", "update-access-key", "--user-name", "alex", "--access-key-id", "AKIAIOSFODNN7NOTHERE", "--status", "Active"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "kim"}},
	{args: []string{"iam", "get-role-policy", "--role-name", "app", "--policy-name", "none"}},

	// Deletes, each undoing what the others need gone first.
	{args: []string{"iam", "remove-role-from-instance-profile", "--instance-profile-name", "web", "--role-name", "app"}},
	{args: []string{"iam", "delete-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "delete-role-policy", "--role-name", "app", "--policy-name", "ec2"}},
	{args: []string{"iam", "detach-role-policy", "--role-name", "app", "--policy-arn", readARN}},
	{args: []string{"iam", "delete-role", "--role-name", "app"}},
	{args: []string{"iam", "delete-login-profile", "--user-name", "alex"}},
	{args: []string{"iam", "delete-access-key", "--user-name", "alex", "--access-key-id", "{key}"}},
	{args: []string{"iam", "detach-user-policy", "--user-name", "alex", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-group-policy", "--group-name", "auditors", "--policy-name", "read-lab"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "kim", "--group-name", "auditors"}},
	{args: []string{"iam", "delete-group", "--group-name", "auditors"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "alex", "--group-name", "admin"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "kim", "--group-name", "admin"}},
	{args: []string{"iam", "detach-group-policy", "--group-name", "admin", "--policy-arn", adminARN}},
	{args: []string{"iam", "delete-group", "--group-name", "admin"}},
	{args: []string{"iam", "delete-user", "--user-name", "samantha"}},
	{args: []string{"iam", "delete-user", "--user-name", "kim"}},
	{args: []string{"iam", "delete-user", "--user-name", "alex"}},
	{args: []string{"iam", "list-users"}},
	{args: []string{"iam", "list-users", "--output", "yaml"}},
	{args: []string{"iam", "list-roles", "--output", "table"}},
}

// Every IAM and STS operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityEveryIAMAndSTSOperation(t *testing.T) {
	t.Parallel()
	compareSession(t, iamSTSSession, sessionFiles)
}
