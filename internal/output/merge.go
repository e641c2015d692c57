package output

import (
	"encoding/json"
	"strings"
)

// Paginator is a botocore paginator: how the AWS CLI pages an operation.
type Paginator struct {
	// InputTokens and OutputTokens name the request parameters and the response members that
	// carry the position (Marker, NextToken).
	InputTokens, OutputTokens []string
	// LimitKey is the request parameter of the page size (MaxItems, MaxResults); MoreResults
	// the response member that says more pages follow (IsTruncated), if any.
	LimitKey, MoreResults string
	// ResultKeys are the members the pages' values are joined under (dotted paths).
	ResultKeys []string
	// NonAggregateKeys are the members taken from the first page only (GetGroup's Group).
	NonAggregateKeys []string
}

// PaginatorOf returns the AWS CLI's paginator of the operation (service as in the SDK's
// package name: "iam", "ec2"; op "ListUsers") and reports whether the operation has one,
// that is, whether the AWS CLI pages it automatically.
func PaginatorOf(service, op string) (Paginator, bool) {
	m := modelOf(service)
	if m == nil {
		return Paginator{}, false
	}
	raw, ok := m.Paginators[op]
	if !ok {
		return Paginator{}, false
	}
	var c struct {
		InputToken       any    `json:"input_token"`
		OutputToken      any    `json:"output_token"`
		LimitKey         string `json:"limit_key"`
		MoreResults      string `json:"more_results"`
		ResultKey        any    `json:"result_key"`
		NonAggregateKeys any    `json:"non_aggregate_keys"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return Paginator{}, false
	}
	return Paginator{
		InputTokens: strs(c.InputToken), OutputTokens: strs(c.OutputToken),
		LimitKey: c.LimitKey, MoreResults: c.MoreResults,
		ResultKeys: strs(c.ResultKey), NonAggregateKeys: strs(c.NonAggregateKeys),
	}, true
}

// strs reads botocore's "one string or a list of strings".
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Merge combines the pages (data from [Value]) of a paginated operation as the AWS CLI's
// automatic pagination does. When the pages come from an SDK output whose operation has a
// paginator, its configuration is used (resultKeys, when not empty, replace its result keys):
// see [MergePages]. Otherwise the result keys are joined and every other member of the first
// page is kept, except the usual position members (NextToken, Marker, NextMarker,
// IsTruncated).
func Merge(pages []any, resultKeys []string) any {
	if len(pages) == 0 {
		return &Map{}
	}
	first, ok := pages[0].(*Map)
	if !ok {
		return pages[0]
	}
	p, found := PaginatorOf(first.service, first.op)
	if !found {
		p = Paginator{}
		skip := map[string]bool{"NextToken": true, "Marker": true, "NextMarker": true, "IsTruncated": true}
		for _, k := range resultKeys {
			skip[k] = true
		}
		for _, k := range first.keys {
			if !skip[k] {
				p.NonAggregateKeys = append(p.NonAggregateKeys, k)
			}
		}
	}
	if len(resultKeys) > 0 {
		p.ResultKeys = resultKeys
	}
	return MergePages(pages, p, "")
}

// MergePages is botocore's PageIterator.build_full_result: the result keys' values of every
// page in order (lists concatenated, strings and numbers added), then the non-aggregate keys
// of the first page (null when it lacks one), then "NextToken": resumeToken when it is not
// empty (the AWS CLI's token for --starting-token after --max-items stopped early). All
// other members (the output tokens, IsTruncated) are dropped.
func MergePages(pages []any, p Paginator, resumeToken string) any {
	out := &Map{}
	for _, page := range pages {
		for _, key := range p.ResultKeys {
			val := search(page, key)
			if val == nil {
				continue
			}
			existing := search(out, key)
			if existing == nil {
				setPath(out, key, val)
				continue
			}
			switch x := val.(type) {
			case []any:
				if e, ok := existing.([]any); ok {
					setPath(out, key, append(append([]any(nil), e...), x...))
				}
			case string:
				if e, ok := existing.(string); ok {
					setPath(out, key, e+x)
				}
			case int64:
				if e, ok := existing.(int64); ok {
					setPath(out, key, e+x)
				}
			case float64:
				if e, ok := existing.(float64); ok {
					setPath(out, key, e+x)
				}
			}
		}
	}
	if len(pages) > 0 {
		nonAgg := &Map{}
		for _, key := range p.NonAggregateKeys {
			setPath(nonAgg, key, search(pages[0], key))
		}
		mergeMaps(out, nonAgg)
	}
	if resumeToken != "" {
		out.Set("NextToken", resumeToken)
	}
	return out
}

// search follows a dotted path of member names.
func search(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(*Map)
		if !ok {
			return nil
		}
		if v, ok = m.Get(part); !ok {
			return nil
		}
	}
	return v
}

// setPath is botocore's set_value_from_jmespath: it makes the objects along the path.
func setPath(m *Map, path string, v any) {
	parts := strings.Split(path, ".")
	for _, part := range parts[:len(parts)-1] {
		next, ok := m.vals[part].(*Map)
		if !ok {
			next = &Map{}
			m.Set(part, next)
		}
		m = next
	}
	m.Set(parts[len(parts)-1], v)
}

// mergeMaps is botocore's merge_dicts without list appending.
func mergeMaps(dst, src *Map) {
	for _, k := range src.keys {
		sv := src.vals[k]
		if sm, ok := sv.(*Map); ok {
			if dm, ok := dst.vals[k].(*Map); ok {
				mergeMaps(dm, sm)
				continue
			}
		}
		dst.Set(k, sv)
	}
}
