package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// complete runs `awsx __complete words…`, as the shells' scripts do, and returns the
// candidates (without cobra's descriptions) and the directive line.
func complete(t *testing.T, words ...string) (candidates []string, directive string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Main(append([]string{"__complete"}, words...), strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", words, code, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if strings.HasPrefix(line, ":") {
			directive = line
			continue
		}
		name, _, _ := strings.Cut(line, "\t")
		candidates = append(candidates, name)
	}
	return candidates, directive
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		words     []string
		want      []string // all of these
		wantNot   []string // none of these
		exactly   bool     // and nothing else
		directive string
	}{
		{words: []string{"i"}, want: []string{"iam"}, exactly: true, directive: ":4"},
		{words: []string{""}, want: []string{"ec2", "iam", "s3api", "ssm", "sts", "sim", "netcalc", "configure", "completion"}},
		{words: []string{"ssm", "get-parameters"}, want: []string{"get-parameters", "get-parameters-by-path"}, exactly: true},
		{words: []string{"ssm", "put-parameter", "--type", ""}, want: []string{"String", "StringList", "SecureString"}, exactly: true},
		{words: []string{"iam", "create-u"}, want: []string{"create-user"}, exactly: true, directive: ":4"},
		{words: []string{"iam", "list-"}, want: []string{"list-users", "list-roles", "list-policies"}, wantNot: []string{"create-user"}},
		{words: []string{"sts", ""}, want: []string{"get-caller-identity", "assume-role"}},
		{words: []string{"ec2", "describe-reg"}, want: []string{"describe-regions"}, exactly: true},
		{words: []string{"iam", "create-user", "--user"}, want: []string{"--user-name"}, exactly: true},
		{words: []string{"iam", "create-user", "--"}, want: []string{"--user-name", "--path", "--tags", "--permissions-boundary", "--cli-input-json", "--generate-cli-skeleton", "--output", "--query"}},
		{words: []string{"iam", "create-user", "--user-name", "alex", "--"}, want: []string{"--path"}, wantNot: []string{"--user-name"}},
		{words: []string{"ec2", "describe-regions", "--dry"}, want: []string{"--dry-run"}, exactly: true},
		{words: []string{"ec2", "run-instances", "--"}, want: []string{"--count", "--image-id"}, wantNot: []string{"--min-count", "--max-count"}},
		{words: []string{"ec2", "describe-regions", "--no-"}, want: []string{"--no-dry-run", "--no-all-regions", "--no-paginate"}},
		{words: []string{"iam", "update-access-key", "--status", ""}, want: []string{"Active", "Inactive"}},
		{words: []string{"iam", "list-users", "--output", "y"}, want: []string{"yaml", "yaml-stream"}, exactly: true},
		{words: []string{"iam", "get-user", "--generate-cli-skeleton", ""}, want: []string{"input", "output", "yaml-input"}, exactly: true},
		{words: []string{"--output", ""}, want: []string{"json", "text", "table", "yaml", "yaml-stream"}, exactly: true},
		{words: []string{"iam", "no-such-operation", "--"}, wantNot: []string{"--user-name"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			got, directive := complete(t, tt.words...)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %q", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if slices.Contains(got, w) {
					t.Errorf("%q offered: %q", w, got)
				}
			}
			if tt.exactly && len(got) != len(tt.want) {
				t.Errorf("got %q, want exactly %q", got, tt.want)
			}
			if tt.directive != "" && directive != tt.directive {
				t.Errorf("directive %q, want %q (no file names)", directive, tt.directive)
			}
		})
	}
}

// The scripts each shell sources: they call back `awsx __complete`.
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for shell, marker := range map[string]string{
		"bash":       "complete -o default -F __start_awsx awsx",
		"zsh":        "#compdef awsx",
		"fish":       "complete -c awsx",
		"powershell": "Register-ArgumentCompleter",
	} {
		t.Run(shell, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main([]string{"completion", shell}, strings.NewReader(""), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), marker) || !strings.Contains(stdout.String(), "__complete") {
				t.Errorf("the %s script lacks %q or the __complete callback:\n%.400s", shell, marker, stdout.String())
			}
		})
	}
}
