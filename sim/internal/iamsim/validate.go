package iamsim

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Constraints from the IAM API reference's data types (UserName, GroupName, RoleName,
// PolicyName, Path, …): https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
var (
	namePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
)

// validation collects the failures of one request into IAM's ValidationError message:
// "1 validation error detected: Value 'x y' at 'userName' failed to satisfy constraint: …".
type validation []string

func (v *validation) name(field, value string, max int) {
	switch {
	case len(value) < 1 || len(value) > max:
		*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, field, max))
		if value == "" {
			(*v)[len(*v)-1] = fmt.Sprintf("Value '' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", field)
		}
	case !namePattern.MatchString(value):
		*v = append(*v, fmt.Sprintf(`Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`, value, field))
	}
}

func (v *validation) path(field string, value *string) {
	if value == nil {
		return
	}
	if len(*value) > 512 || !pathPattern.MatchString(*value) {
		*v = append(*v, fmt.Sprintf(`Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, *value, field))
	}
}

func (v *validation) maxItems(value *int32) {
	if value != nil && (*value < 1 || *value > 1000) {
		*v = append(*v, fmt.Sprintf("Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", *value))
	}
}

func (v validation) err() error {
	if len(v) == 0 {
		return nil
	}
	noun := "errors"
	if len(v) == 1 {
		noun = "error"
	}
	return core.Errorf(ValidationError, "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

// pathOr returns the path given or IAM's default "/".
func pathOr(p *string) string {
	if p == nil {
		return "/"
	}
	return *p
}

// parseDocument validates a policy text as IAM does when it is stored.
func parseDocument(text string, kind policy.Kind) (*document, error) {
	if len(text) == 0 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	p, err := policy.Parse(text, kind)
	if err != nil {
		msg := err.Error()
		var pe *policy.Error
		if errors.As(err, &pe) {
			msg = pe.Message
		}
		return nil, core.Errorf(MalformedPolicyDocument, "%s", msg)
	}
	return &document{Text: text, parsed: p}, nil
}

// encodeDocument returns a policy text as IAM's API returns it: URL-encoded (RFC 3986).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html
func encodeDocument(text string) *string {
	return aws.String(strings.ReplaceAll(url.QueryEscape(text), "+", "%20"))
}

func toTags(in []types.Tag) []tag {
	out := make([]tag, 0, len(in))
	for _, t := range in {
		out = append(out, tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return out
}

func fromTags(in []tag) []types.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]types.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out
}

// mergeTags adds or replaces tags by key, keeping at most 50 as IAM allows.
func mergeTags(have []tag, add []types.Tag) ([]tag, error) {
	for _, t := range toTags(add) {
		i := slices.IndexFunc(have, func(h tag) bool { return h.Key == t.Key })
		if i >= 0 {
			have[i].Value = t.Value
		} else {
			have = append(have, t)
		}
	}
	if len(have) > 50 {
		return nil, core.Errorf(LimitExceeded, "The number of tags has reached the maximum limit.")
	}
	return have, nil
}

func removeTags(have []tag, keys []string) []tag {
	return slices.DeleteFunc(have, func(t tag) bool { return slices.Contains(keys, t.Key) })
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func sortedValues[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// page cuts items into IAM's Marker/MaxItems pages: up to maxItems (default 100) from the
// position marker names, and the marker of the next page when the list is truncated.
func page[T any](items []T, marker *string, maxItems *int32) ([]T, *string, bool, error) {
	start := 0
	if marker != nil {
		b, err := base64.RawURLEncoding.DecodeString(*marker)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 || n > len(items) {
			return nil, nil, false, core.Errorf(ValidationError, "Invalid Marker.")
		}
		start = n
	}
	limit := 100
	if maxItems != nil {
		limit = int(*maxItems)
	}
	end := min(start+limit, len(items))
	if end == len(items) {
		return items[start:end], nil, false, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	return items[start:end], &next, true, nil
}
