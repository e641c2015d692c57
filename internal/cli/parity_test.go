package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/internal/output"
)

// runAwsx runs awsx in-process, as a process with the environment env and the working
// directory dir would run it, and returns what it printed and its exit code. Runs with
// environments of their own may go on at once.
func runAwsx(t *testing.T, env []string, dir string, args ...string) result {
	t.Helper()
	return runAwsxStdin(t, env, dir, "", args...)
}

// runAwsxStdin is [runAwsx] with stdin.
func runAwsxStdin(t *testing.T, env []string, dir, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), NewFactory(&IO{In: strings.NewReader(stdin), Out: &stdout, Err: &stderr}, env, dir), args)
	return result{stdout.String(), stderr.String(), code}
}

// The same commands through the AWS CLI and through awsx, each against a server of its own
// (see [compareSession]): JSON compared as data, text and table byte for byte, errors by exit
// code and message.
func TestParityWithAWSCLI(t *testing.T) {
	t.Parallel()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`
	// A list parameter from a file is a JSON list: the AWS CLI splits a bare JSON object into
	// its characters.
	list, _ := json.Marshal([]string{doc})
	compareSession(t, paritySteps, map[string]string{
		"policy.json": string(list),
		"in.yaml":     "# from --generate-cli-skeleton yaml-input\nUserName: alex # [REQUIRED]\nMaxItems: 10\n",
	})
}

// paritySteps make some state to read (a group with a policy, a user in it) and read it in
// every output format, with the AWS CLI's errors on the way.
var paritySteps = stepsOf([][]string{
	{"iam", "create-group", "--group-name", "admin"},
	{"iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"},
	{"iam", "create-user", "--user-name", "alex", "--tags", "Key=team,Value=blue"},
	{"iam", "add-user-to-group", "--user-name", "alex", "--group-name", "admin"},
	{"sts", "get-caller-identity"},
	{"sts", "get-caller-identity", "--output", "text"},
	{"sts", "get-caller-identity", "--output", "table"},
	{"iam", "get-user", "--user-name", "alex"},
	{"iam", "list-users", "--output", "text"},
	{"iam", "list-users", "--output", "table"},
	{"iam", "list-users", "--query", "Users[].UserName", "--output", "text"},
	{"iam", "get-group", "--group-name", "admin"},
	{"iam", "get-group", "--group-name", "admin", "--output", "text"},
	{"iam", "list-attached-group-policies", "--group-name", "admin", "--output", "table"},
	{"iam", "list-groups-for-user", "--user-name", "alex", "--query", "Groups[0].GroupName"},
	{"iam", "get-policy", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"},
	{"iam", "simulate-custom-policy", "--policy-input-list", "file://policy.json", "--action-names", "ec2:RunInstances", "ec2:TerminateInstances"},
	{"iam", "simulate-custom-policy", "--policy-input-list", "file://policy.json", "--action-names", "ec2:TerminateInstances", "--output", "text"},
	{"ec2", "describe-regions"},
	{"ec2", "describe-regions", "--output", "table"},
	{"ec2", "describe-regions", "--filters", "Name=region-name,Values=eu-west-1,eu-west-2", "--output", "text"},
	{"ec2", "describe-regions", "--region-names", "us-east-1", "af-south-1", "--query", "Regions[].[RegionName,OptInStatus]", "--output", "text"},
	{"ec2", "describe-availability-zones", "--region", "eu-west-1", "--output", "table"},
	{"ec2", "describe-availability-zones", "--query", "AvailabilityZones[?ZoneId=='use1-az1'].ZoneName", "--output", "text"},
	{"iam", "get-user", "--user-name", "nobody"},
	{"iam", "create-user", "--user-name", "alex"},
	{"ec2", "describe-regions", "--filters", "Name=colour,Values=red"},
	{"ec2", "describe-regions", "--output", "yaml"},
	{"ec2", "describe-regions", "--output", "yaml-stream", "--query", "Regions[?starts_with(RegionName, 'eu-')]"},
	{"ec2", "describe-availability-zones", "--region", "eu-west-1", "--output", "yaml"},
	{"ec2", "describe-availability-zones", "--query", "AvailabilityZones[0].ZoneName", "--output", "yaml"},
	{"iam", "get-user", "--user-name", "alex", "--output", "yaml"},
	{"iam", "list-users", "--output", "yaml-stream"},
	{"iam", "get-group", "--group-name", "admin", "--output", "yaml"},
	{"iam", "list-groups-for-user", "--user-name", "alex", "--query", "Groups[0].GroupName", "--output", "yaml-stream"},
	{"iam", "simulate-custom-policy", "--policy-input-list", "file://policy.json", "--action-names", "ec2:RunInstances", "ec2:TerminateInstances", "--output", "yaml"},
	{"iam", "list-access-keys", "--user-name", "alex", "--output", "yaml"},
	{"sts", "get-caller-identity", "--output", "yaml"},
	{"iam", "get-user", "--cli-input-yaml", "UserName: alex"},
	{"iam", "list-groups-for-user", "--cli-input-yaml", "file://in.yaml", "--output", "yaml"},
	{"iam", "list-groups-for-user", "--user-name", "alex", "--cli-input-json", `{"MaxItems": 5}`},
	{"iam", "list-users", "--marker", "x"},
	{"iam", "get-user", "--cli-input-yaml", "UserName: [alex"},
	{"iam", "get-user", "--cli-input-yaml", "- alex"},
	{"iam", "get-user", "--cli-input-yaml", "UserName: 12"},
	{"iam", "get-user", "--cli-input-yaml", "UserName: alex", "--cli-input-json", `{"UserName": "alex"}`},
	{"ec2", "describe-regions", "--cli-input-yaml", "RegionNames: [eu-west-1, us-east-1]\nAllRegions: yes"},
	{"ec2", "describe-regions", "--cli-input-yaml", "RegionNames: [eu-west-1, us-east-1]\nAllRegions: true", "--output", "text"},
	// A required boolean is not the parser's to require; botocore's validation names it.
	{"ec2", "create-network-acl-entry", "--network-acl-id", "acl-1", "--rule-number", "100", "--protocol", "-1", "--rule-action", "allow"},
	// A required member the SDK's validators cannot check (an int32) is required all the same.
	{"ssm", "create-maintenance-window", "--name", "w", "--schedule", "rate(1 day)", "--duration", "2", "--no-allow-unassociated-targets"},
})

// stepsOf is a step of each command.
func stepsOf(commands [][]string) []step {
	steps := make([]step, len(commands))
	for i, args := range commands {
		steps[i] = step{args: args}
	}
	return steps
}

// compareWithCLI fails when awsx's run of args differs from the AWS CLI c's: exit codes
// (v1's own codes mapped to v2's), error messages, JSON as data, other formats byte for byte.
// The AWS CLI v1 is compared on JSON only, with timestamps normalised (it prints them as the
// service sent them) and the members its newer models know and v2's lack left out.
func compareWithCLI(t *testing.T, c client, args []string, got, want result) {
	t.Helper()
	name := strings.Join(args, " ")
	format := "json"
	for i, a := range args {
		if a == "--output" && i+1 < len(args) {
			format = args[i+1]
		}
	}
	v1 := c.Name == "v1"
	if v1 && strings.Contains(name, "yaml") {
		return // v1 has no yaml, in or out
	}
	if v1 {
		switch want.code {
		case 255:
			if got.code == 254 || got.code == 252 {
				want.code = got.code // v1 exits 255 on a service error and on a bad value; awsx follows v2
			}
		case 2:
			want.code = 252 // and 2 on a usage error
		}
	}
	if want.code != got.code {
		t.Errorf("%s: exit %d, the AWS CLI %s %d\nawsx: %s\naws:  %s", name, got.code, c.Name, want.code, got.stderr, want.stderr)
		return
	}
	if want.code != 0 {
		if (!v1 || want.code == 254) && strings.TrimSpace(want.stderr) != strings.TrimSpace(got.stderr) {
			t.Errorf("%s: stderr\nawsx: %q\naws %s:  %q", name, got.stderr, c.Name, want.stderr)
		}
		return
	}
	if format != "json" {
		if !v1 && want.stdout != got.stdout {
			t.Errorf("%s: output differs\nawsx:\n%s\naws:\n%s", name, got.stdout, want.stdout)
		}
		return
	}
	w, g, ok := decodeBoth(t, name, want.stdout, got.stdout)
	if !ok {
		return
	}
	if v1 {
		w = normaliseV1(w, g)
		if m, ok := w.(map[string]any); ok && len(m) == 0 && g == nil {
			w = nil // all of it members of v1's newer model: ec2 delete-key-pair's Return
		}
		if m, ok := g.(map[string]any); ok {
			if wm, _ := w.(map[string]any); wm["IsTruncated"] == nil {
				delete(m, "IsTruncated") // v1's newer paginators page more operations, dropping it
			}
		}
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("%s: JSON differs from the AWS CLI %s's\n%s\nawsx: %s\naws:  %s", name, c.Name, strings.Join(jsonDiff("", g, w, 5), "\n"), got.stdout, want.stdout)
	}
}

// jsonDiff returns up to n paths at which the decoded JSON values got and want differ, each
// with the two values.
func jsonDiff(path string, got, want any, n int) []string {
	if reflect.DeepEqual(got, want) || n <= 0 {
		return nil
	}
	var out []string
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			break
		}
		keys := slices.Sorted(maps.Keys(g))
		for k := range w {
			if _, ok := g[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			out = append(out, jsonDiff(path+"."+k, g[k], w[k], n-len(out))...)
		}
		return out
	case []any:
		w, ok := want.([]any)
		if !ok || len(w) != len(g) {
			break
		}
		for i := range g {
			out = append(out, jsonDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], n-len(out))...)
		}
		return out
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	return []string{fmt.Sprintf("  at %s: awsx %.200s, aws %.200s", cmp.Or(path, "."), gb, wb)}
}

// decodeBoth decodes the two JSON outputs; empty output is nil.
func decodeBoth(t *testing.T, name, want, got string) (w, g any, ok bool) {
	t.Helper()
	if strings.TrimSpace(want) != "" {
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Errorf("%s: the AWS CLI printed no JSON: %v\n%s", name, err, want)
			return nil, nil, false
		}
	}
	if strings.TrimSpace(got) != "" {
		if err := json.Unmarshal([]byte(got), &g); err != nil {
			t.Errorf("%s: awsx printed no JSON: %v\n%s", name, err, got)
			return nil, nil, false
		}
	}
	return w, g, true
}

// v1Timestamp is a timestamp as the AWS CLI v1 prints it: as the service sent it.
var v1Timestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

// normaliseV1 rewrites v1's timestamps as v2 prints them (strings, and the JSON protocols'
// epoch numbers; not the strings that only look like timestamps, such as an image's
// CreationDate, which both print as sent) and drops the object keys that awsx's data (like)
// lacks: members of v1's newer models.
func normaliseV1(v, like any) any {
	switch x := v.(type) {
	case map[string]any:
		l, _ := like.(map[string]any)
		for k := range x {
			if _, ok := l[k]; !ok {
				delete(x, k)
				continue
			}
			x[k] = normaliseV1(x[k], l[k])
		}
	case []any:
		l, _ := like.([]any)
		for i := range x {
			if i < len(l) {
				x[i] = normaliseV1(x[i], l[i])
			}
		}
	case string:
		if like, _ := like.(string); like != x && v1Timestamp.MatchString(x) {
			if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return output.Timestamp(ts)
			}
		}
	case float64:
		// A JSON protocol's timestamp, which v1 prints as sent: seconds since the epoch.
		if like, _ := like.(string); v1Timestamp.MatchString(like) {
			sec, frac := math.Modf(x)
			return output.Timestamp(time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3))
		}
	}
	return v
}
