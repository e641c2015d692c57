package cli

import (
	"strings"
	"testing"
)

// SSM on the embedded simulator: each command an invocation of its own, the parameters kept in
// the state directory between them, the AWS CLI's exit codes on the errors.
func TestSSMOnEmbeddedSimulator(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string // a part of it
	}{
		{args: []string{"ssm", "put-parameter", "--name", "/app/db", "--value", "x", "--type", "String", "--query", "Version"}, stdout: "1\n"},
		{args: []string{"ssm", "put-parameter", "--name", "/app/db/pass", "--value", "s3cret", "--type", "SecureString", "--output", "text"}, stdout: "Standard\t1\n"},
		{args: []string{"ssm", "put-parameter", "--name", "/app/db", "--value", "y", "--type", "String"}, code: exitService,
			stderr: "An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists."},
		{args: []string{"ssm", "put-parameter", "--name", "/app/db", "--value", "y", "--overwrite", "--query", "Version"}, stdout: "2\n"},
		{args: []string{"ssm", "get-parameter", "--name", "/app/db/pass", "--with-decryption", "--query", "Parameter.Value", "--output", "text"}, stdout: "s3cret\n"},
		{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--query", "Parameters[].Name", "--output", "text"}, stdout: "/app/db\t/app/db/pass\n"},
		{args: []string{"ssm", "label-parameter-version", "--name", "/app/db", "--parameter-version", "1", "--labels", "first", "--query", "ParameterVersion"}, stdout: "1\n"},
		{args: []string{"ssm", "get-parameter", "--name", "/app/db:first", "--query", "Parameter.Value", "--output", "text"}, stdout: "x\n"},
		{args: []string{"ssm", "get-parameter-history", "--name", "/app/db", "--query", "Parameters[].[Version,Value]", "--output", "text"}, stdout: "1\tx\n2\ty\n"},
		{args: []string{"ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", "/app/db", "--tags", "Key=env,Value=lab"}},
		{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db", "--output", "yaml"}, stdout: "TagList:\n- Key: env\n  Value: lab\n"},
		{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=tag:env", "--query", "Parameters[].Name", "--output", "text"}, stdout: "/app/db\n"},
		{args: []string{"ssm", "delete-parameters", "--names", "/app/db", "/nope", "--output", "text"}, stdout: "DELETEDPARAMETERS\t/app/db\nINVALIDPARAMETERS\t/nope\n"},
		{args: []string{"ssm", "delete-parameter", "--name", "/app/db"}, code: exitService,
			stderr: "An error occurred (ParameterNotFound) when calling the DeleteParameter operation: "},
		{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db"}, code: exitService,
			stderr: "An error occurred (InvalidResourceId) when calling the ListTagsForResource operation: Invalid Resource Id"},
	} {
		r := runAwsx(t, env, home, tt.args...)
		if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d, %q, %q", strings.Join(tt.args, " "), r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
}
