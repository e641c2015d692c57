package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A command awsx does not have exits 252 with the AWS CLI's refusal, never the help and 0 a
// script would take for success; one of the AWS CLI's services awsx does not speak says so.
func TestUnknownCommands(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"lambda", "list-functions"}, "argument command: 'lambda' is an AWS CLI command that awsx does not speak yet; awsx speaks "},
		{[]string{"--region", "eu-west-1", "dynamodb", "list-tables"}, "'dynamodb' is an AWS CLI command"},
		{[]string{"ec3", "describe-instances"}, "argument command: Invalid choice, valid choices are:"},
		{[]string{"configur"}, "Invalid choice: 'configur', maybe you meant:\n\n  * configure"},
	} {
		var out, errOut bytes.Buffer
		code := Main(tt.args, strings.NewReader(""), &out, &errOut)
		if code != exitUsage || out.Len() != 0 || !strings.Contains(errOut.String(), tt.want) || !strings.HasPrefix(errOut.String(), "\nusage: aws [options]") {
			t.Errorf("awsx %s: exit %d, stdout %q, stderr %q; want 252 and %q", strings.Join(tt.args, " "), code, out.String(), errOut.String(), tt.want)
		}
	}
	var out, errOut bytes.Buffer
	if code := Main(nil, strings.NewReader(""), &out, &errOut); code != exitOK || !strings.Contains(out.String(), "Available Commands:") {
		t.Errorf("awsx alone: exit %d, %q; want the help", code, out.String())
	}
}
