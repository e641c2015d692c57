package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// awsx cloudformation deploy on the embedded simulator: its waits pass on the simulator's
// clock, so a deploy takes no wall time; a second deploy of the same template changes
// nothing; --no-execute-changeset leaves the change set for review; a rolled-back stack fails
// the deploy with the AWS CLI's words.
func TestDeployEmbedded(t *testing.T) {
	t.Parallel()
	home, env := embeddedEnv(t)
	for name, text := range map[string]string{"stack.yaml": deployTemplate, "broken.yaml": brokenTemplate} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		args         []string
		code         int
		stdout, more string
	}{
		{[]string{"--template-file", "stack.yaml", "--stack-name", "web"}, 0,
			"\nWaiting for changeset to be created..\nWaiting for stack create/update to complete\nSuccessfully created/updated stack - web\n", ""},
		{[]string{"--template-file", "stack.yaml", "--stack-name", "web"}, 0,
			"\nWaiting for changeset to be created..\n\nNo changes to deploy. Stack web is up to date\n", ""},
		{[]string{"--template-file", "stack.yaml", "--stack-name", "web", "--parameter-overrides", "Team=dev", "--no-execute-changeset"}, 0,
			"\nWaiting for changeset to be created..\nChangeset created successfully. Run the following command to review changes:\naws cloudformation describe-change-set --change-set-name arn:aws:cloudformation:us-east-1:123456789012:changeSet/awscli-cloudformation-package-deploy-", ""},
		{[]string{"--template-file", "broken.yaml", "--stack-name", "broken"}, 255,
			"\nWaiting for changeset to be created..\nWaiting for stack create/update to complete\n", "aws cloudformation describe-stack-events --stack-name broken"},
		{[]string{"--template-file", "stack.yaml", "--stack-name", "web", "--colour", "blue"}, 252, "", "Unknown options: --colour"},
		{[]string{"--template-file", "stack.yaml", "--stack-name", "viaS3", "--s3-bucket", "nobucket"}, 255, "", "S3 Bucket does not exist. Execute the command to create a new bucket\naws s3 mb s3://nobucket"},
	}
	for _, s := range steps {
		r := runAwsx(t, env, home, append([]string{"cloudformation", "deploy"}, s.args...)...)
		if r.code != s.code || !strings.HasPrefix(r.stdout, s.stdout) || !strings.Contains(r.stderr, s.more) {
			t.Errorf("deploy %v: %d\n%s\n%s", s.args, r.code, r.stdout, r.stderr)
		}
	}
	// Through a bucket: the template is uploaded once, by its MD5, and read from its URL.
	if r := runAwsx(t, env, home, "s3", "mb", "s3://lab-templates"); r.code != 0 {
		t.Fatalf("mb: %s", r.stderr)
	}
	for range 2 {
		r := runAwsx(t, env, home, "cloudformation", "deploy", "--template-file", "stack.yaml", "--stack-name", "viaS3", "--s3-bucket", "lab-templates", "--s3-prefix", "web")
		if r.code != 0 || !strings.Contains(r.stdout, "Successfully created/updated stack - viaS3") && !strings.Contains(r.stdout, "No changes to deploy") {
			t.Errorf("deploy through S3: %d %s %s", r.code, r.stdout, r.stderr)
		}
	}
	r := runAwsx(t, env, home, "s3api", "list-objects-v2", "--bucket", "lab-templates", "--query", "Contents[].Key", "--output", "text")
	if !regexp.MustCompile(`^web/[0-9a-f]{32}\.template\n$`).MatchString(r.stdout) {
		t.Errorf("the bucket holds %q", r.stdout)
	}
	r = runAwsx(t, env, home, "cloudformation", "list-change-sets", "--stack-name", "web", "--query", "Summaries[].[Status,ExecutionStatus]", "--output", "text")
	if !regexp.MustCompile(`^CREATE_COMPLETE\tEXECUTE_COMPLETE\nFAILED\tUNAVAILABLE\nCREATE_COMPLETE\tAVAILABLE\n$`).MatchString(r.stdout) {
		t.Errorf("change sets after the deploys: %q %s", r.stdout, r.stderr)
	}
	r = runAwsx(t, env, home, "cloudformation", "describe-stacks", "--stack-name", "broken", "--query", "Stacks[0].StackStatus", "--output", "text")
	if strings.TrimSpace(r.stdout) != "ROLLBACK_COMPLETE" {
		t.Errorf("the broken stack: %q", r.stdout)
	}
}

// templateParameters never panics, and finds the parameters of any template it reads in its
// order.
func FuzzTemplateParameters(f *testing.F) {
	f.Add([]byte(deployTemplate))
	f.Add([]byte(`{"Parameters": {"B": {"Type": "String"}, "A": {"Type": "Number"}}, "Resources": {}}`))
	f.Add([]byte("Parameters: [1, 2]\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("Parameters:\n  X: !Ref Y\n  ? [a]\n  : b\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		names, err := templateParameters(body)
		if err != nil && names != nil {
			t.Errorf("names %q with an error %v", names, err)
		}
	})
}

func TestTemplateParameters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ body, want string }{
		{deployTemplate, "Team"},
		{`{"Parameters": {"B": {"Type": "String"}, "A": {"Type": "Number"}}}`, "B,A"},
		{"Resources: {}\n", ""},
		{"Parameters: [1, 2]\n", ""},
	} {
		names, err := templateParameters([]byte(c.body))
		if err != nil || strings.Join(names, ",") != c.want {
			t.Errorf("templateParameters(%q) = %q, %v; want %q", c.body, names, err, c.want)
		}
	}
	if _, err := templateParameters([]byte("a: [")); err == nil {
		t.Error("a broken template read")
	}
}
