package iamsim

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/awsxlab/awsx/iamx/policy"
	"github.com/awsxlab/awsx/sim/internal/core"
)

// Constraints from the IAM API reference's data types (UserName, GroupName, RoleName,
// PolicyName, Path, …): https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
var (
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
	case !isName(value):
		*v = append(*v, fmt.Sprintf(`Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`, value, field))
	}
}

// isName reports whether s matches IAM's name pattern, [\w+=,.@-]+; by hand, not by a
// regular expression, as most calls check a name.
func isName(s string) bool {
	for i := range len(s) {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_+=,.@-", c) >= 0:
		default:
			return false
		}
	}
	return s != ""
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

// parseDocument validates a policy text as IAM does when it is stored; field names the
// request's member in a ValidationError.
func parseDocument(field, text string, kind policy.Kind) (*document, error) {
	if len(text) == 0 {
		return nil, core.Errorf(ValidationError, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", field)
	}
	// The model's policyDocumentType is [\u0009\u000A\u000D\u0020-\u00FF]+; AWS decodes invalid
	// UTF-8 to U+FFFD, outside it, so the document fails the pattern. Characters above U+00FF
	// that are valid UTF-8 are taken, as AWS takes them in practice.
	// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (quota/policy document not UTF-8)
	if !utf8.ValidString(text) {
		return nil, core.Errorf(ValidationError, `1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`, strings.ToValidUTF8(text, "\uFFFD"), field)
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

// Limits of policy documents, counted without white space.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	maxManagedPolicySize = 6144
	maxUserInlineSize    = 2048
	maxGroupInlineSize   = 5120
	maxRoleInlineSize    = 10240
)

// policySize is a document's size as IAM counts it against its quotas: "IAM doesn't count
// white space when calculating the size of a policy against these quotas."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func policySize(text string) int {
	n := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// checkManagedSize refuses a managed policy version over 6,144 characters, with AWS's words.
func checkManagedSize(doc *document) error {
	if policySize(doc.Text) > maxManagedPolicySize {
		return core.Errorf(LimitExceeded, "Cannot exceed quota for PolicySize: %d", maxManagedPolicySize)
	}
	return nil
}

// maxTags is the length of the model's tagListType: 50 tags on a user, role, policy or
// instance profile. https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html
const maxTags = 50

// tags checks tags against the model's tagListType and Tag: at most 50, keys of 1–128
// characters, values of at most 256.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
func (v *validation) tags(in []types.Tag) {
	if len(in) > maxTags {
		keys := make([]string, len(in))
		for i, t := range in {
			keys[i] = aws.ToString(t.Key)
		}
		*v = append(*v, fmt.Sprintf("Value '[%s]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(keys, ", "), maxTags))
	}
	for i, t := range in {
		k, val := aws.ToString(t.Key), aws.ToString(t.Value)
		switch n := utf8.RuneCountInString(k); {
		case n < 1:
			*v = append(*v, fmt.Sprintf("Value '' at 'tags.%d.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1", i+1))
		case n > 128:
			*v = append(*v, fmt.Sprintf("Value '%s' at 'tags.%d.member.key' failed to satisfy constraint: Member must have length less than or equal to 128", k, i+1))
		}
		if utf8.RuneCountInString(val) > 256 {
			*v = append(*v, fmt.Sprintf("Value '%s' at 'tags.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", val, i+1))
		}
	}
}

// checkTags validates the tags of a request: the model's bounds (ValidationError), then the
// prefix aws:, which AWS keeps for itself in any case ("You can't create, edit, or delete
// tag keys that begin with aws:"; InvalidInput, quota/tag key aws: on a user).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
func checkTags(in []types.Tag) error {
	var v validation
	v.tags(in)
	if err := v.err(); err != nil {
		return err
	}
	return reservedTags(in)
}

// reservedTags refuses tag keys that begin with aws:, in any case.
func reservedTags(in []types.Tag) error {
	for _, t := range in {
		if k := aws.ToString(t.Key); len(k) >= 4 && strings.EqualFold(k[:4], "aws:") {
			return core.Errorf(InvalidInput, "User-defined tag keys can't start with 'aws:', which AWS reserves for its own use: %s", k)
		}
	}
	return nil
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
	if len(m) == 0 {
		return nil // most principals have no inline policy: nothing to allocate
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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

// checkStatus refuses a credential's status that is neither Active nor Inactive.
func checkStatus(st types.StatusType) error {
	if st != types.StatusTypeActive && st != types.StatusTypeInactive {
		return core.Errorf(ValidationError, "1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", st)
	}
	return nil
}
