package cli

import (
	"strings"
	"testing"
)

// v2Only returns the AWS CLI v2 among the clients, skipping the test without it.
func v2Only(t *testing.T) client {
	t.Helper()
	for _, c := range clients(t) {
		if c.Name == "v2" {
			return c
		}
	}
	t.Skip("the AWS CLI v2 is not at /usr/bin/aws: nothing to compare with")
	return client{}
}

// Skeletons need no backend: awsx and the AWS CLI v2 print them from their models, and
// must print the same bytes, or fail with the same message and exit code.
func TestSkeletonParity(t *testing.T) {
	t.Parallel()
	v2 := v2Only(t)
	home := t.TempDir()
	env := cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	tests := [][]string{
		{"iam", "get-user", "--generate-cli-skeleton", "output"},
		{"iam", "list-users", "--generate-cli-skeleton", "output"},
		{"iam", "list-account-aliases", "--generate-cli-skeleton", "output"},
		{"iam", "get-account-summary", "--generate-cli-skeleton", "output"},
		{"iam", "get-account-summary", "--generate-cli-skeleton", "output", "--output", "yaml"},
		{"iam", "get-credential-report", "--generate-cli-skeleton", "output"},
		{"iam", "delete-user", "--user-name", "alex", "--generate-cli-skeleton", "output"},
		{"iam", "delete-user", "--generate-cli-skeleton", "output"},
		{"iam", "simulate-custom-policy", "--policy-input-list", "{}", "--action-names", "s3:GetObject", "--generate-cli-skeleton", "output"},
		{"sts", "get-caller-identity", "--generate-cli-skeleton", "output"},
		{"sts", "get-session-token", "--generate-cli-skeleton", "output"},
		{"ec2", "describe-regions", "--generate-cli-skeleton", "output"},
		{"ec2", "describe-regions", "--generate-cli-skeleton", "output", "--output", "text"},
		{"ec2", "describe-availability-zones", "--generate-cli-skeleton", "output", "--output", "table"},
		{"ec2", "describe-snapshots", "--generate-cli-skeleton", "output", "--output", "yaml"},
		{"ec2", "describe-snapshots", "--generate-cli-skeleton", "output", "--output", "text"},
		{"ec2", "describe-snapshots", "--generate-cli-skeleton", "output", "--query", "Snapshots[0].StartTime"},
		{"ec2", "describe-instances", "--generate-cli-skeleton", "output"},
		{"ec2", "describe-instances", "--generate-cli-skeleton", "output", "--output", "yaml-stream"},
		{"ec2", "describe-security-groups", "--generate-cli-skeleton", "output", "--output", "yaml"},
		{"ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--generate-cli-skeleton", "output", "--output", "yaml"},
		{"ec2", "describe-regions", "--generate-cli-skeleton", "bogus"},
		{"iam", "create-user", "--generate-cli-skeleton", "yaml-input"},
		{"iam", "list-users", "--generate-cli-skeleton", "yaml-input"},
		{"iam", "get-account-summary", "--generate-cli-skeleton", "yaml-input"},
		{"iam", "put-user-policy", "--generate-cli-skeleton", "yaml-input"},
		{"iam", "simulate-principal-policy", "--generate-cli-skeleton", "yaml-input"},
		{"sts", "assume-role", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "describe-regions", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "import-key-pair", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "describe-spot-price-history", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "run-instances", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "authorize-security-group-ingress", "--generate-cli-skeleton", "yaml-input"},
		{"ec2", "create-launch-template", "--generate-cli-skeleton", "yaml-input"},
		{"ssm", "get-parameter", "--generate-cli-skeleton", "output"},
		{"ssm", "describe-parameters", "--generate-cli-skeleton", "output", "--output", "yaml"},
		{"ssm", "get-parameter-history", "--generate-cli-skeleton", "output", "--output", "text"},
		{"ssm", "put-parameter", "--generate-cli-skeleton", "yaml-input"},
		{"ssm", "get-parameters-by-path", "--generate-cli-skeleton", "yaml-input"},
		{"iam", "list-users", "--output", "yml"},
	}
	aws := newCLIWorld(v2, env, home, "")
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			compareRuns(t, runAwsx(t, env, home, args...), aws.run(args))
		})
	}
}

// compareRuns fails unless two runs exited alike and printed the same bytes (stderr
// compared without surrounding space).
func compareRuns(t *testing.T, got, want result) {
	t.Helper()
	if got.code != want.code {
		t.Fatalf("exit %d, the AWS CLI %d\nawsx: %s%s\naws:  %s%s", got.code, want.code, got.stdout, got.stderr, want.stdout, want.stderr)
	}
	if strings.TrimSpace(got.stderr) != strings.TrimSpace(want.stderr) {
		t.Errorf("stderr\nawsx: %q\naws:  %q", got.stderr, want.stderr)
	}
	if got.stdout != want.stdout {
		t.Errorf("stdout differs\nawsx:\n%s\naws:\n%s", got.stdout, want.stdout)
	}
}
