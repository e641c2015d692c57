package ssmsim

import (
	"context"
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Page sizes: GetParametersByPath answers at most 10 a page, DescribeParameters 50.
const (
	maxByPath   = 10
	maxDescribe = 50
)

// encodeToken makes a NextToken: the kind of listing and the cursor to go on after (the last
// name or version of the page), so that a page goes on where the last one stopped even when
// parameters come and go in between.
func encodeToken(kind, cursor string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + cursor))
	return &t
}

// decodeToken returns the cursor of a NextToken made by encodeToken for kind, "" for none.
func decodeToken(kind string, token *string) (string, error) {
	if token == nil || *token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*token)
	cursor, ok := strings.CutPrefix(string(b), kind+"\x00")
	if err != nil || !ok || cursor == "" {
		return "", errorf(InvalidNextToken, "The specified token isn't valid.")
	}
	return cursor, nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// filter is one ParameterStringFilter, checked.
type filter struct {
	Key    string
	Option string
	Values []string
}

var filterKeyPattern = regexp.MustCompile(`^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$`)

// parseFilters checks ParameterFilters for DescribeParameters or, with byPath, for
// GetParametersByPath: their shapes first, then the keys, options and values each takes.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html
func parseFilters(in []types.ParameterStringFilter, byPath bool) ([]filter, error) {
	var v validation
	for i, f := range in {
		at := "parameterFilters." + itoa64(int64(i+1)) + ".member"
		if f.Key == nil {
			v.null(at + ".key")
		} else {
			v.length(at+".key", *f.Key, 1, 132)
			if len(*f.Key) >= 1 && !filterKeyPattern.MatchString(*f.Key) {
				v.add("Value '%s' at '%s.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType", *f.Key, at)
			}
		}
		v.optLength(at+".option", f.Option, 1, 10)
		if f.Values != nil {
			v.count(at+".values", f.Values, 1, 50)
		}
		for j, val := range f.Values {
			v.length(at+".values."+itoa64(int64(j+1))+".member", val, 1, 1024)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var out []filter
	seen := map[string]bool{}
	for _, f := range in {
		k := *f.Key
		switch {
		case byPath && (k == "Name" || k == "Path" || k == "Tier" || k == "DataType" || strings.HasPrefix(k, "tag:")):
			return nil, errorf(InvalidFilterKey, "The following filter key is not valid: %s. Valid filter keys include: [Type, KeyId, Label].", k)
		case !byPath && k == "Label":
			return nil, errorf(InvalidFilterKey, "The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, tag].")
		case seen[k]:
			return nil, errorf(InvalidFilterKey, "The following filter is duplicated in the request: %s. A request can contain only one occurrence of a specific filter.", k)
		case len(f.Values) == 0 && !strings.HasPrefix(k, "tag:"):
			return nil, errorf(InvalidFilterValue, "The following filter values are missing : null for filter key %s.", k)
		}
		seen[k] = true
		option := aws.ToString(f.Option)
		valid := []string{"BeginsWith", "Equals"}
		switch k {
		case "Path":
			valid = []string{"Recursive", "OneLevel"}
		case "Name":
			valid = append(valid, "Contains")
		case "Label":
			valid = []string{"Equals"}
		}
		if option == "" {
			option = "Equals"
			if k == "Path" {
				option = "OneLevel"
			}
		}
		if !slices.Contains(valid, option) {
			return nil, errorf(InvalidFilterOption, "The following filter option is not valid: %s. Valid options include: [%s].", option, strings.Join(valid, ", "))
		}
		values := slices.Clone(f.Values)
		switch {
		case k == "Type" && option == "Equals":
			if err := enumValues(values, parameterTypes); err != nil {
				return nil, err
			}
		case k == "Tier" && option == "Equals":
			if err := enumValues(values, tiers); err != nil {
				return nil, err
			}
		case k == "Path":
			for i, p := range values {
				if first := firstLevel(p); strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
					return nil, errorf(ValidationException, msgFilterPath)
				}
				clean, err := checkPath(p)
				if err != nil {
					return nil, err
				}
				values[i] = clean
			}
		}
		out = append(out, filter{Key: k, Option: option, Values: values})
	}
	return out, nil
}

func enumValues(values, allowed []string) error {
	for _, val := range values {
		if !slices.Contains(allowed, val) {
			return errorf(InvalidFilterOption, "The following filter value is not valid: %s. Valid values include: [%s].", val, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// slashed is a name with one leading slash: name filters compare "a" and "/a" alike.
func slashed(name string) string { return "/" + strings.TrimPrefix(name, "/") }

// matches reports whether a parameter's version passes the filter. The values of one filter
// are alternatives; a Label filter is applied by [pickVersion], not here.
func (f filter) matches(p *parameter, v *version) bool {
	var have []string
	switch {
	case f.Key == "Name":
		if f.Option == "Contains" {
			return slices.ContainsFunc(f.Values, func(val string) bool { return strings.Contains(p.Name, val) })
		}
		have = []string{slashed(p.Name)}
		values := make([]string, len(f.Values))
		for i, val := range f.Values {
			values[i] = slashed(val)
		}
		return compare(f.Option, have, values)
	case f.Key == "Path":
		name := slashed(p.Name)
		parent := name[:strings.LastIndex(name, "/")]
		if parent == "" {
			parent = "/"
		}
		return slices.ContainsFunc(f.Values, func(path string) bool {
			if f.Option == "OneLevel" {
				return parent == path
			}
			return path == "/" || strings.HasPrefix(name, path+"/")
		})
	case f.Key == "Type":
		have = []string{v.Type}
	case f.Key == "KeyId":
		if v.KeyID == "" {
			return false
		}
		have = []string{v.KeyID}
	case f.Key == "Tier":
		have = []string{v.Tier}
	case f.Key == "DataType":
		have = []string{v.DataType}
	case f.Key == "Label":
		return true
	case strings.HasPrefix(f.Key, "tag:"):
		k := strings.TrimPrefix(f.Key, "tag:")
		i := slices.IndexFunc(p.Tags, func(t tag) bool { return t.Key == k })
		if i < 0 {
			return false
		}
		if len(f.Values) == 0 {
			return true // the tag's presence is enough
		}
		have = []string{p.Tags[i].Value}
	}
	return compare(f.Option, have, f.Values)
}

func compare(option string, have, values []string) bool {
	for _, h := range have {
		for _, val := range values {
			if option == "BeginsWith" && strings.HasPrefix(h, val) || option == "Equals" && h == val {
				return true
			}
		}
	}
	return false
}

// pickVersion returns the version of p a listing shows: the latest, or with a Label filter
// the version that carries one of its labels (nil when none does).
func pickVersion(p *parameter, filters []filter) *version {
	for _, f := range filters {
		if f.Key == "Label" {
			for _, label := range f.Values {
				if v := p.labeled(label); v != nil {
					return v
				}
			}
			return nil
		}
	}
	return p.current()
}

func matchesAll(filters []filter, p *parameter, v *version) bool {
	for _, f := range filters {
		if !f.matches(p, v) {
			return false
		}
	}
	return true
}

// inPath reports whether name is below path: one level below, or any level with recursive.
// A one-level name ("a" or "/a") is below "/".
func inPath(name, path string, recursive bool) bool {
	name = slashed(name)
	prefix := strings.TrimSuffix(path, "/") + "/"
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && rest != "" && (recursive || !strings.Contains(rest, "/"))
}

// GetParametersByPath lists the parameters below a path, in name order, up to 10 a page.
// Paths under /aws/ list AWS's public parameters. A Label filter lists each parameter's
// version that carries the label.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
func (h *SSM) GetParametersByPath(ctx context.Context, in *ssm.GetParametersByPathInput) (*ssm.GetParametersByPathOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	if in.Path == nil {
		v.null("path")
	} else {
		v.length("path", trimName(*in.Path), 1, maxNameLength)
	}
	v.between("maxResults", in.MaxResults, 1, maxByPath)
	if err := v.err(); err != nil {
		return nil, err
	}
	path, err := checkPath(*in.Path)
	if err != nil {
		return nil, err
	}
	if first := firstLevel(path); first != "aws" && strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		return nil, errorf(ValidationException, msgPathFormat)
	}
	filters, err := parseFilters(in.ParameterFilters, true)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken("path", in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := maxByPath
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
	}
	recursive, decrypt := aws.ToBool(in.Recursive), aws.ToBool(in.WithDecryption)
	out := &ssm.GetParametersByPathOutput{Parameters: []types.Parameter{}}
	add := func(p types.Parameter) bool {
		if len(out.Parameters) == limit {
			out.NextToken = encodeToken("path", *out.Parameters[limit-1].Name)
			return false
		}
		out.Parameters = append(out.Parameters, p)
		return true
	}
	if firstLevel(path) == "aws" {
		for _, p := range s.publicIn(region) {
			if p.Name <= after || !inPath(p.Name, path, recursive) || !publicMatches(filters) {
				continue
			}
			if !add(p.out(region, "")) {
				break
			}
		}
		return out, nil
	}
	err = s.read(region, func(r *regionState) error {
		for _, p := range r.sorted() {
			if p.Name <= after && after != "" || !inPath(p.Name, path, recursive) {
				continue
			}
			ver := pickVersion(p, filters)
			if ver == nil || !matchesAll(filters, p, ver) {
				continue
			}
			if !add(s.parameterOut(region, p, ver, decrypt, "")) {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// publicMatches applies the filters GetParametersByPath takes to a public parameter: a String
// with no key and no labels.
func publicMatches(filters []filter) bool {
	pub := &parameter{Name: "", Versions: []*version{{Type: typeString}}}
	return pickVersion(pub, filters) != nil && matchesAll(filters, pub, pub.current())
}

// DescribeParameters lists the account's parameters in the region with their metadata, in
// name order, up to 50 a page. It takes the old Filters or ParameterFilters, not both. AWS's
// public parameters are not the account's and are not listed; nothing is shared with the
// account, so Shared lists nothing.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
func (h *SSM) DescribeParameters(ctx context.Context, in *ssm.DescribeParametersInput) (*ssm.DescribeParametersOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	v.between("maxResults", in.MaxResults, 1, maxDescribe)
	keys := []string{string(types.ParametersFilterKeyName), string(types.ParametersFilterKeyType), string(types.ParametersFilterKeyKeyId)}
	for i, f := range in.Filters {
		at := "filters." + itoa64(int64(i+1)) + ".member"
		if f.Key == "" {
			v.null(at + ".key")
		} else {
			v.enum(at+".key", string(f.Key), keys)
		}
		if f.Values == nil {
			v.null(at + ".values")
		} else {
			v.count(at+".values", f.Values, 1, 50)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if len(in.Filters) > 0 && len(in.ParameterFilters) > 0 {
		return nil, errorf(ValidationException, "You can use either Filters or ParameterFilters in a single request.")
	}
	filters, err := parseFilters(in.ParameterFilters, false)
	if err != nil {
		return nil, err
	}
	// The old filters: Name matches the beginning of names, Type and KeyId match exactly.
	for _, f := range in.Filters {
		option := "Equals"
		if f.Key == types.ParametersFilterKeyName {
			option = "BeginsWith"
		}
		filters = append(filters, filter{Key: string(f.Key), Option: option, Values: f.Values})
	}
	after, err := decodeToken("describe", in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := maxDescribe
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
	}
	out := &ssm.DescribeParametersOutput{Parameters: []types.ParameterMetadata{}}
	if aws.ToBool(in.Shared) {
		return out, nil
	}
	err = s.read(region, func(r *regionState) error {
		for _, p := range r.sorted() {
			if after != "" && p.Name <= after || !matchesAll(filters, p, p.current()) {
				continue
			}
			if len(out.Parameters) == limit {
				out.NextToken = encodeToken("describe", *out.Parameters[limit-1].Name)
				break
			}
			out.Parameters = append(out.Parameters, s.metadataOut(region, p))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) metadataOut(region string, p *parameter) types.ParameterMetadata {
	v := p.current()
	out := types.ParameterMetadata{
		Name: ptr(p.Name), ARN: ptr(s.arn(region, p.Name)), Type: types.ParameterType(v.Type), Version: v.Version,
		LastModifiedDate: ptr(v.Modified), Tier: types.ParameterTier(v.Tier), DataType: ptr(v.DataType),
		Policies: policiesOut(v.Policies),
	}
	if v.Description != "" {
		out.Description = ptr(v.Description)
	}
	if v.AllowedPattern != "" {
		out.AllowedPattern = ptr(v.AllowedPattern)
	}
	if v.KeyID != "" {
		out.KeyId = ptr(v.KeyID)
	}
	if v.User != "" {
		out.LastModifiedUser = ptr(v.User)
	}
	return out
}
