package cli

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// section returns the lines of a help page's section up to the line stop matches.
func section(page, name string, stop *regexp.Regexp) []string {
	var out []string
	in := false
	for _, line := range strings.Split(page, "\n") {
		switch {
		case line == name:
			in = true
		case in && stop.MatchString(line):
			return out
		case in && strings.TrimSpace(line) != "":
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// An operation's help has the AWS CLI v2's synopsis, up to the global options, and its
// description's first sentence.
func TestHelpMatchesAWSCLI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff, which the AWS CLI renders help with, is not installed")
	}
	v2 := v2Only(t)
	home := t.TempDir()
	env := append(cliEnv(t, home, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "PAGER=cat", "MANPAGER=cat")
	overstrike := regexp.MustCompile(".\b")
	globals := regexp.MustCompile(`^\s*\[--debug\]`)
	for _, args := range [][]string{
		{"iam", "create-user"}, {"iam", "list-users"}, {"iam", "list-policies"}, {"iam", "update-access-key"}, {"iam", "create-virtual-mfa-device"},
		{"sts", "get-caller-identity"}, {"sts", "assume-role"},
		{"ec2", "describe-regions"}, {"ec2", "describe-instances"}, {"ec2", "create-vpc"},
		{"ec2", "run-instances"}, {"ec2", "authorize-security-group-ingress"}, {"ec2", "modify-subnet-attribute"}, {"ec2", "modify-instance-attribute"},
		{"ssm", "put-parameter"}, {"ssm", "get-parameters-by-path"}, {"ssm", "label-parameter-version"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			want := run(t, v2, env, home, append(args, "help")...)
			got := runAwsx(t, env, home, append(args, "help")...)
			if want.code != 0 || got.code != 0 {
				t.Fatalf("exit %d, the AWS CLI %d: %s", got.code, want.code, got.stderr+want.stderr)
			}
			page := overstrike.ReplaceAllString(want.stdout, "")
			w, g := section(page, "SYNOPSIS", globals), section(got.stdout, "SYNOPSIS", globals)
			if strings.Join(w, "\n") != strings.Join(g, "\n") {
				t.Errorf("synopsis\nawsx:\n%s\naws:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
			first := func(lines []string) string {
				text := strings.Join(lines, " ")
				text = strings.ReplaceAll(text, "- ", "") // the AWS CLI hyphenates at line ends
				return strings.Join(strings.Fields(text), " ")
			}
			wd := first(section(page, "DESCRIPTION", regexp.MustCompile(`^\S`)))
			gd := first(section(got.stdout, "DESCRIPTION", regexp.MustCompile(`^\S`)))
			if gd == "" || !strings.HasPrefix(strings.ReplaceAll(wd, "-", ""), strings.ReplaceAll(gd, "-", "")) {
				t.Errorf("description %q does not start the AWS CLI's %q", gd, wd)
			}
		})
	}
}
