package ssmsim_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/ssmsim"
)

// tree makes a hierarchy of parameters of every type:
//
//	top, /root
//	/app/name /app/port /app/secret (SecureString, key alias/app) /app/hosts (StringList)
//	/app/db/url /app/db/password (SecureString) /app/db/replica/url
//	/other/x
//
// /app/port has two versions, the first labeled "old"; /app/db/url is tagged env=prod,
// /app/name env=dev and team=web; /app/hosts is Advanced.
func tree(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	put := func(name, value string, typ types.ParameterType, f ...func(*ssm.PutParameterInput)) {
		in := &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: typ}
		for _, g := range f {
			g(in)
		}
		w.put(t, east, in)
	}
	tags := func(kv ...string) func(*ssm.PutParameterInput) {
		return func(in *ssm.PutParameterInput) {
			for i := 0; i < len(kv); i += 2 {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
			}
		}
	}
	put("top", "1", types.ParameterTypeString)
	put("/root", "2", types.ParameterTypeString)
	put("/app/name", "web", types.ParameterTypeString, tags("env", "dev", "team", "web"))
	put("/app/port", "80", types.ParameterTypeString)
	put("/app/secret", "s3cr3t", types.ParameterTypeSecureString, func(in *ssm.PutParameterInput) { in.KeyId = aws.String("alias/app") })
	put("/app/hosts", "a,b,c", types.ParameterTypeStringList, func(in *ssm.PutParameterInput) { in.Tier = types.ParameterTierAdvanced })
	put("/app/db/url", "postgres://db", types.ParameterTypeString, tags("env", "prod"))
	put("/app/db/password", "pw", types.ParameterTypeSecureString)
	put("/app/db/replica/url", "postgres://replica", types.ParameterTypeString, func(in *ssm.PutParameterInput) { in.Description = aws.String("read only") })
	put("/other/x", "x", types.ParameterTypeString)
	if _, err := w.ssm.LabelParameterVersion(in(east), &ssm.LabelParameterVersionInput{Name: aws.String("/app/port"), Labels: []string{"old"}}); err != nil {
		t.Fatal(err)
	}
	w.overwrite(t, east, "/app/port", "8080")
	return w
}

// byPath lists a path through every page of size max and checks the pages' sizes.
func byPath(t *testing.T, w *world, in0 *ssm.GetParametersByPathInput) []types.Parameter {
	t.Helper()
	var all []types.Parameter
	in1 := *in0
	for {
		out, err := w.ssm.GetParametersByPath(in(east), &in1)
		if err != nil {
			t.Fatalf("GetParametersByPath %s: %v", aws.ToString(in1.Path), err)
		}
		max := 10
		if in1.MaxResults != nil {
			max = int(*in1.MaxResults)
		}
		if len(out.Parameters) > max || out.NextToken != nil && len(out.Parameters) != max {
			t.Fatalf("a page of %d with token %v, at most %d", len(out.Parameters), out.NextToken, max)
		}
		all = append(all, out.Parameters...)
		if out.NextToken == nil {
			return all
		}
		in1.NextToken = out.NextToken
	}
}

func TestGetParametersByPath(t *testing.T) {
	w := tree(t)
	filter := func(key, option string, values ...string) types.ParameterStringFilter {
		f := types.ParameterStringFilter{Key: aws.String(key), Values: values}
		if option != "" {
			f.Option = aws.String(option)
		}
		return f
	}
	tests := []struct {
		name      string
		path      string
		recursive bool
		filters   []types.ParameterStringFilter
		want      []string
	}{
		{"one level", "/app", false, nil, []string{"/app/hosts", "/app/name", "/app/port", "/app/secret"}},
		{"trailing slash", "/app/", false, nil, []string{"/app/hosts", "/app/name", "/app/port", "/app/secret"}},
		{"recursive", "/app", true, nil, []string{"/app/db/password", "/app/db/replica/url", "/app/db/url", "/app/hosts", "/app/name", "/app/port", "/app/secret"}},
		{"root", "/", false, nil, []string{"/root", "top"}},
		{"root recursive", "/", true, nil, []string{"/app/db/password", "/app/db/replica/url", "/app/db/url", "/app/hosts", "/app/name", "/app/port", "/app/secret", "/other/x", "/root", "top"}},
		{"a parameter is not its own path", "/app/name", true, nil, []string{}},
		{"case matters", "/APP", true, nil, []string{}},
		{"nothing there", "/none", true, nil, []string{}},
		{"type", "/app", true, []types.ParameterStringFilter{filter("Type", "", "SecureString")}, []string{"/app/db/password", "/app/secret"}},
		{"two types", "/app", false, []types.ParameterStringFilter{filter("Type", "Equals", "StringList", "SecureString")}, []string{"/app/hosts", "/app/secret"}},
		{"key", "/app", true, []types.ParameterStringFilter{filter("KeyId", "", "alias/aws/ssm")}, []string{"/app/db/password"}},
		{"key begins", "/app", true, []types.ParameterStringFilter{filter("KeyId", "BeginsWith", "alias/")}, []string{"/app/db/password", "/app/secret"}},
		{"label", "/app", true, []types.ParameterStringFilter{filter("Label", "", "old")}, []string{"/app/port"}},
		{"label and type", "/app", true, []types.ParameterStringFilter{filter("Label", "Equals", "old"), filter("Type", "", "SecureString")}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, max := range []int32{1, 3, 10} {
				got := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String(tt.path), Recursive: aws.Bool(tt.recursive), ParameterFilters: tt.filters, MaxResults: aws.Int32(max)})
				if !slices.Equal(names(got), tt.want) {
					t.Fatalf("pages of %d: %v, want %v", max, names(got), tt.want)
				}
			}
		})
	}

	t.Run("label selects the version", func(t *testing.T) {
		got := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{filter("Label", "", "old")}})
		if len(got) != 1 || aws.ToString(got[0].Value) != "80" || got[0].Version != 1 {
			t.Fatalf("labeled version: %+v", got)
		}
	})
	t.Run("decryption", func(t *testing.T) {
		hidden := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{filter("Type", "", "SecureString")}})
		clear := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/app"), WithDecryption: aws.Bool(true), ParameterFilters: []types.ParameterStringFilter{filter("Type", "", "SecureString")}})
		if aws.ToString(clear[0].Value) != "s3cr3t" || aws.ToString(hidden[0].Value) == "s3cr3t" || aws.ToString(hidden[0].Value) != aws.ToString(w.get(t, east, "/app/secret", false).Value) {
			t.Fatalf("hidden %q, clear %q", aws.ToString(hidden[0].Value), aws.ToString(clear[0].Value))
		}
		if aws.ToString(clear[0].ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/app/secret" || clear[0].Version != 1 || clear[0].Selector != nil {
			t.Fatalf("parameter = %+v", clear[0])
		}
	})
	t.Run("a page goes on after a deletion", func(t *testing.T) {
		w := tree(t)
		first, err := w.ssm.GetParametersByPath(in(east), &ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(2)})
		if err != nil || !slices.Equal(names(first.Parameters), []string{"/app/hosts", "/app/name"}) {
			t.Fatalf("first page: %v, %v", names(first.Parameters), err)
		}
		if _, err := w.ssm.DeleteParameter(in(east), &ssm.DeleteParameterInput{Name: aws.String("/app/name")}); err != nil {
			t.Fatal(err)
		}
		next, err := w.ssm.GetParametersByPath(in(east), &ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(2), NextToken: first.NextToken})
		if err != nil || !slices.Equal(names(next.Parameters), []string{"/app/port", "/app/secret"}) {
			t.Fatalf("next page: %v, %v", names(next.Parameters), err)
		}
	})
	t.Run("another region", func(t *testing.T) {
		if got := byPath(t, w, &ssm.GetParametersByPathInput{Path: aws.String("/"), Recursive: aws.Bool(true)}); len(got) != 10 {
			t.Fatalf("us-east-1 has %d", len(got))
		}
		out, err := w.ssm.GetParametersByPath(in("eu-west-1"), &ssm.GetParametersByPathInput{Path: aws.String("/"), Recursive: aws.Bool(true)})
		if err != nil || len(out.Parameters) != 0 || out.Parameters == nil {
			t.Fatalf("eu-west-1: %+v, %v", out, err)
		}
	})
}

func TestGetParametersByPathRefusals(t *testing.T) {
	w := tree(t)
	f := func(key, option string, values ...string) []types.ParameterStringFilter {
		fl := types.ParameterStringFilter{Key: aws.String(key), Values: values}
		if option != "" {
			fl.Option = aws.String(option)
		}
		return []types.ParameterStringFilter{fl}
	}
	tests := []struct {
		name string
		in   *ssm.GetParametersByPathInput
		code core.Code
		msg  string
	}{
		{"no slash", &ssm.GetParametersByPathInput{Path: aws.String("some-parameter")}, ssmsim.ValidationException, `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).`},
		{"bad character", &ssm.GetParametersByPathInput{Path: aws.String("/a b")}, ssmsim.ValidationException, "Valid example: /get/parameters2-/by1./path0_."},
		{"empty level", &ssm.GetParametersByPathInput{Path: aws.String("/a//b")}, ssmsim.ValidationException, "must begin with a forward slash"},
		{"ssm", &ssm.GetParametersByPathInput{Path: aws.String("/ssm/x")}, ssmsim.ValidationException, "must begin with a forward slash"},
		{"no path", &ssm.GetParametersByPathInput{}, ssmsim.ValidationException, "Value null at 'path'"},
		{"eleven a page", &ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(11)}, ssmsim.ValidationException, "Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10"},
		{"zero a page", &ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(0)}, ssmsim.ValidationException, "Member must have value greater than or equal to 1"},
		{"name filter", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Name", "", "x")}, ssmsim.InvalidFilterKey, "The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId, Label]."},
		{"tag filter", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("tag:env", "", "x")}, ssmsim.InvalidFilterKey, "not valid: tag:env"},
		{"path filter", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Path", "", "/x")}, ssmsim.InvalidFilterKey, "not valid: Path"},
		{"unknown key", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Colour", "", "x")}, ssmsim.ValidationException, "at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType"},
		{"label begins", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Label", "BeginsWith", "o")}, ssmsim.InvalidFilterOption, "The following filter option is not valid: BeginsWith. Valid options include: [Equals]."},
		{"type contains", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Type", "Contains", "String")}, ssmsim.InvalidFilterOption, "[BeginsWith, Equals]"},
		{"type value", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Type", "", "Text")}, ssmsim.InvalidFilterOption, "The following filter value is not valid: Text. Valid values include: [SecureString, StringList, String]."},
		{"no values", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: f("Type", "")}, ssmsim.InvalidFilterValue, "The following filter values are missing : null for filter key Type."},
		{"duplicated", &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: append(f("Type", "", "String"), f("Type", "", "StringList")...)}, ssmsim.InvalidFilterKey, "The following filter is duplicated in the request: Type."},
		{"bad token", &ssm.GetParametersByPathInput{Path: aws.String("/app"), NextToken: aws.String("AAAA")}, ssmsim.InvalidNextToken, "The specified token isn't valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.ssm.GetParametersByPath(in(east), tt.in)
			wantError(t, err, tt.code, tt.msg)
		})
	}
	// A token of another listing is not taken either.
	d, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.ssm.GetParametersByPath(in(east), &ssm.GetParametersByPathInput{Path: aws.String("/app"), NextToken: d.NextToken})
	wantError(t, err, ssmsim.InvalidNextToken, "")
}

func TestDescribeParameters(t *testing.T) {
	w := tree(t)
	f := func(key, option string, values ...string) types.ParameterStringFilter {
		fl := types.ParameterStringFilter{Key: aws.String(key), Values: values}
		if option != "" {
			fl.Option = aws.String(option)
		}
		return fl
	}
	all := []string{"/app/db/password", "/app/db/replica/url", "/app/db/url", "/app/hosts", "/app/name", "/app/port", "/app/secret", "/other/x", "/root", "top"}
	tests := []struct {
		name    string
		filters []types.ParameterStringFilter
		old     []types.ParametersFilter
		want    []string
	}{
		{"all", nil, nil, all},
		{"name equals", []types.ParameterStringFilter{f("Name", "", "/app/name", "top")}, nil, []string{"/app/name", "top"}},
		{"name without its slash", []types.ParameterStringFilter{f("Name", "Equals", "app/name", "/top")}, nil, []string{"/app/name", "top"}},
		{"name begins", []types.ParameterStringFilter{f("Name", "BeginsWith", "/app/db")}, nil, []string{"/app/db/password", "/app/db/replica/url", "/app/db/url"}},
		{"name contains", []types.ParameterStringFilter{f("Name", "Contains", "url")}, nil, []string{"/app/db/replica/url", "/app/db/url"}},
		{"path one level", []types.ParameterStringFilter{f("Path", "", "/app/db")}, nil, []string{"/app/db/password", "/app/db/url"}},
		{"path root", []types.ParameterStringFilter{f("Path", "OneLevel", "/")}, nil, []string{"/root", "top"}},
		{"path recursive", []types.ParameterStringFilter{f("Path", "Recursive", "/app/db")}, nil, []string{"/app/db/password", "/app/db/replica/url", "/app/db/url"}},
		{"two paths", []types.ParameterStringFilter{f("Path", "OneLevel", "/other", "/app/db/replica")}, nil, []string{"/app/db/replica/url", "/other/x"}},
		{"type", []types.ParameterStringFilter{f("Type", "", "StringList")}, nil, []string{"/app/hosts"}},
		{"type begins", []types.ParameterStringFilter{f("Type", "BeginsWith", "Secure")}, nil, []string{"/app/db/password", "/app/secret"}},
		{"key", []types.ParameterStringFilter{f("KeyId", "", "alias/app")}, nil, []string{"/app/secret"}},
		{"tier", []types.ParameterStringFilter{f("Tier", "", "Advanced")}, nil, []string{"/app/hosts"}},
		{"data type", []types.ParameterStringFilter{f("DataType", "", "text"), f("Path", "", "/other")}, nil, []string{"/other/x"}},
		{"tag value", []types.ParameterStringFilter{f("tag:env", "", "prod")}, nil, []string{"/app/db/url"}},
		{"tag begins", []types.ParameterStringFilter{f("tag:env", "BeginsWith", "d", "p")}, nil, []string{"/app/db/url", "/app/name"}},
		{"tag present", []types.ParameterStringFilter{{Key: aws.String("tag:team")}}, nil, []string{"/app/name"}},
		{"tag and path", []types.ParameterStringFilter{f("tag:env", "", "prod", "dev"), f("Path", "Recursive", "/app/db")}, nil, []string{"/app/db/url"}},
		{"old name", nil, []types.ParametersFilter{{Key: types.ParametersFilterKeyName, Values: []string{"/app/d"}}}, []string{"/app/db/password", "/app/db/replica/url", "/app/db/url"}},
		{"old type and key", nil, []types.ParametersFilter{{Key: types.ParametersFilterKeyType, Values: []string{"SecureString"}}, {Key: types.ParametersFilterKeyKeyId, Values: []string{"alias/aws/ssm"}}}, []string{"/app/db/password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, max := range []int32{1, 4, 50} {
				var got []string
				var token *string
				for pages := 0; ; pages++ {
					out, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{ParameterFilters: tt.filters, Filters: tt.old, MaxResults: aws.Int32(max), NextToken: token})
					if err != nil {
						t.Fatal(err)
					}
					if len(out.Parameters) > int(max) || pages > 20 {
						t.Fatalf("a page of %d, at most %d", len(out.Parameters), max)
					}
					got = append(got, metaNames(out.Parameters)...)
					if token = out.NextToken; token == nil {
						break
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Fatalf("pages of %d: %v, want %v", max, got, tt.want)
				}
			}
		})
	}

	refusals := []struct {
		name string
		in   *ssm.DescribeParametersInput
		code core.Code
		msg  string
	}{
		{"both kinds", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Name", "", "x")}, Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyName, Values: []string{"x"}}}}, ssmsim.ValidationException, "You can use either Filters or ParameterFilters in a single request."},
		{"label", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Label", "", "x")}}, ssmsim.InvalidFilterKey, "The following filter key is not valid: Label."},
		{"path option", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Path", "Equals", "/app")}}, ssmsim.InvalidFilterOption, "The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel]."},
		{"name option", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Name", "Recursive", "/app")}}, ssmsim.InvalidFilterOption, "[BeginsWith, Equals, Contains]"},
		{"aws path", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Path", "", "/aws/service")}}, ssmsim.ValidationException, `Filters for common parameters can't be prefixed with "aws" or "ssm" (case-insensitive).`},
		{"bad path", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Path", "", "app")}}, ssmsim.ValidationException, "must begin with a forward slash"},
		{"tier value", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Tier", "", "Basic")}}, ssmsim.InvalidFilterOption, "The following filter value is not valid: Basic."},
		{"no values", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name")}}}, ssmsim.InvalidFilterValue, "null for filter key Name"},
		{"51 values", &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Name", "", fifty()...)}}, ssmsim.ValidationException, "at 'parameterFilters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"old key", &ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: "Path", Values: []string{"/x"}}}}, ssmsim.ValidationException, "Value 'Path' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]"},
		{"51 a page", &ssm.DescribeParametersInput{MaxResults: aws.Int32(51)}, ssmsim.ValidationException, "Member must have value less than or equal to 50"},
		{"bad token", &ssm.DescribeParametersInput{NextToken: aws.String("%%%")}, ssmsim.InvalidNextToken, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.ssm.DescribeParameters(in(east), tt.in)
			wantError(t, err, tt.code, tt.msg)
		})
	}

	shared, err := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{Shared: aws.Bool(true)})
	if err != nil || len(shared.Parameters) != 0 || shared.Parameters == nil {
		t.Fatalf("shared: %+v, %v", shared, err)
	}
	other, err := w.ssm.DescribeParameters(in("ap-south-1"), &ssm.DescribeParametersInput{})
	if err != nil || len(other.Parameters) != 0 {
		t.Fatalf("ap-south-1: %+v, %v", other, err)
	}
	one, _ := w.ssm.DescribeParameters(in(east), &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{f("Name", "", "/app/db/replica/url")}})
	m := one.Parameters[0]
	if aws.ToString(m.Description) != "read only" || aws.ToString(m.ARN) != "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/replica/url" ||
		aws.ToString(m.DataType) != "text" || m.Policies == nil || !m.LastModifiedDate.Equal(start) || aws.ToString(m.LastModifiedUser) != rootARN {
		t.Fatalf("metadata = %+v", m)
	}
}

func fifty() []string {
	var out []string
	for i := range 51 {
		out = append(out, "/n"+strconv.Itoa(i))
	}
	return out
}
