package ec2sim

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// filters is EC2's Filter.N list: a resource matches when every named filter has a value that
// matches one of the resource's values for that name. Values may use * and ? wildcards.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html
type filters []types.Filter

// maxFilterValues is how many filter values EC2 takes in one call, over all its filters.
const maxFilterValues = 200

// limit refuses more filter values than EC2 takes.
func (fs filters) limit() error {
	n := 0
	for _, f := range fs {
		n += max(len(f.Values), 1)
	}
	if n > maxFilterValues {
		return core.Errorf(FilterLimitExceeded, "The maximum number of filter values specified on a single call is %d", maxFilterValues)
	}
	return nil
}

// check rejects filter names the operation does not know, as EC2 does.
func (fs filters) check(known ...string) error {
	if err := fs.limit(); err != nil {
		return err
	}
	for _, f := range fs {
		name := aws.ToString(f.Name)
		ok := false
		for _, k := range known {
			if k == name {
				ok = true
				break
			}
		}
		if !ok {
			return core.Errorf(InvalidParameterValue, "The filter '%s' is invalid", name)
		}
	}
	return nil
}

// match reports whether a resource whose filterable values are given by values matches.
func (fs filters) match(values func(name string) []string) bool {
	for _, f := range fs {
		have := values(aws.ToString(f.Name))
		if !anyMatch(f.Values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if wildcard(p, v) {
				return true
			}
		}
	}
	return false
}

// wildcard reports whether v matches the filter value p, in which * is any run of characters
// (slashes included, unlike path.Match), ? any one character, and a backslash escapes either.
func wildcard(p, v string) bool {
	for len(p) > 0 {
		switch c := p[0]; {
		case c == '*':
			for i := len(v); i >= 0; i-- {
				if wildcard(p[1:], v[i:]) {
					return true
				}
			}
			return false
		case c == '?' && len(v) > 0:
			_, n := utf8.DecodeRuneInString(v)
			p, v = p[1:], v[n:]
		case c == '\\' && len(p) > 1 && len(v) > 0 && p[1] == v[0]:
			p, v = p[2:], v[1:]
		case c != '?' && c != '\\' && len(v) > 0 && c == v[0]:
			p, v = p[1:], v[1:]
		default:
			return false
		}
	}
	return v == ""
}

// fields maps each filter name an operation knows to the values a resource has for it. The
// resource is the SDK's output type: filters select on what the caller sees.
type fields[T any] map[string]func(T) []string

// where returns the items that match every filter in fs. Filter names must be in known, or,
// when tagsOf is not nil, one of the tag filters every taggable resource has: tag:<key>,
// tag-key and tag-value.
func where[T any](fs []types.Filter, known fields[T], tagsOf func(T) []types.Tag, items []T) ([]T, error) {
	if err := filters(fs).limit(); err != nil {
		return nil, err
	}
	for _, f := range fs {
		name := aws.ToString(f.Name)
		_, ok := known[name]
		if !ok && (tagsOf == nil || !isTagFilter(name)) {
			return nil, core.Errorf(InvalidParameterValue, "The filter '%s' is invalid", name)
		}
	}
	if len(fs) == 0 {
		return items, nil
	}
	out := items[:0:0]
	for _, it := range items {
		if filters(fs).match(func(name string) []string {
			if get, ok := known[name]; ok {
				return get(it)
			}
			return tagValues(tagsOf(it), name)
		}) {
			out = append(out, it)
		}
	}
	return out, nil
}

// describe is the common end of the Describe operations: filter, then one page of at most
// max items (5 to 1000) from token. The list it returns is never nil: EC2 writes an empty set.
func describe[T any](items []T, fs []types.Filter, known fields[T], tagsOf func(T) []types.Tag, max *int32, token *string) ([]T, *string, error) {
	items, err := where(fs, known, tagsOf, items)
	if err != nil {
		return nil, nil, err
	}
	items, next, err := page(items, max, token, 5, 1000)
	return nonNil(items), next, err
}

func isTagFilter(name string) bool {
	return strings.HasPrefix(name, "tag:") || name == "tag-key" || name == "tag-value"
}

// tagValues returns the values of the tag filters: tag:<key>, tag-key and tag-value.
func tagValues(ts []types.Tag, name string) []string {
	var out []string
	for _, t := range ts {
		switch {
		case name == "tag:"+aws.ToString(t.Key), name == "tag-value":
			out = append(out, aws.ToString(t.Value))
		case name == "tag-key":
			out = append(out, aws.ToString(t.Key))
		}
	}
	return out
}

// one makes a filter's values of a single string; an empty string is no value.
func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func boolValue(b bool) []string { return []string{strconv.FormatBool(b)} }
