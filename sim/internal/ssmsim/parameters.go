package ssmsim

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// SSM serves the Parameter Store operations of Systems Manager over a [Store]. Its methods
// have the SDK client's signatures; the request's region and caller come from ctx. It is safe
// for concurrent use.
type SSM struct{ s *Store }

// NewSSM returns the SSM service of s.
func NewSSM(s *Store) *SSM { return &SSM{s: s} }

// Limits of values, versions and parameters.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
const (
	maxValue         = 32768 // the API's own limit, above either tier's
	maxStandardValue = 4096
	maxAdvancedValue = 8192
	maxVersions      = 100
	maxStandard      = 10000 // standard parameters per account and region
	maxAdvanced      = 100000
)

const (
	typeString       = string(types.ParameterTypeString)
	typeStringList   = string(types.ParameterTypeStringList)
	typeSecureString = string(types.ParameterTypeSecureString)
	tierStandard     = string(types.ParameterTierStandard)
	tierAdvanced     = string(types.ParameterTierAdvanced)
	dataText         = "text"
	dataImage        = "aws:ec2:image"
)

var (
	parameterTypes = []string{typeSecureString, typeStringList, typeString}
	tiers          = []string{tierAdvanced, string(types.ParameterTierIntelligentTiering), tierStandard}
	keyIDPattern   = regexp.MustCompile(`^([a-zA-Z0-9:/_-]+)$`)
	nested         = regexp.MustCompile(`(?s)\{\{.*\}\}`)
)

// newerDataTypes are the data types AWS added beside text and aws:ec2:image, each with its own
// validation. The simulator refuses them by name rather than store them unchecked.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-data-types.html
var newerDataTypes = []string{
	"aws:ssm:integration", "aws:region", "aws:account:id", "boolean", "integer", "float", "binary",
	"hostname", "email", "ipv4-address", "ipv6-address", "url", "json", "jsonc",
}

// PutParameter creates a parameter, or with Overwrite a new version of one. What the request
// leaves out of a new version (type, description, allowed pattern, key, data type, policies)
// is kept from the version before, as AWS does.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
func (h *SSM) PutParameter(ctx context.Context, in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := trimName(aws.ToString(in.Name))
	var v validation
	if in.Name == nil {
		v.null("name")
	} else {
		v.length("name", name, 1, maxNameLength)
	}
	if in.Value == nil {
		v.null("value")
	} else {
		v.secret("value", *in.Value, 1, maxValue)
	}
	v.enum("type", string(in.Type), parameterTypes)
	v.enum("tier", string(in.Tier), tiers)
	v.optLength("description", in.Description, 0, 1024)
	if in.KeyId != nil {
		v.length("keyId", *in.KeyId, 1, 256)
		if len(*in.KeyId) >= 1 && !keyIDPattern.MatchString(*in.KeyId) {
			v.add("Value '%s' at 'keyId' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", *in.KeyId, keyIDPattern)
		}
	}
	v.optLength("allowedPattern", in.AllowedPattern, 0, 1024)
	v.optLength("policies", in.Policies, 1, 4096)
	v.optLength("dataType", in.DataType, 0, 128)
	v.tags("tags", in.Tags, 0)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := s.checkStorable(region, name); err != nil {
		return nil, err
	}
	overwrite := aws.ToBool(in.Overwrite)
	if overwrite && len(in.Tags) > 0 {
		return nil, errorf(ValidationException, "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
	}
	value := *in.Value
	// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#systemsmanager-PutParameter-request-Value
	if nested.MatchString(value) {
		return nil, errorf(ValidationException, `Parameter value can't nest another parameter. Do not use "{{}}" in the value.`)
	}
	if in.DataType != nil && *in.DataType != "" && *in.DataType != dataText && *in.DataType != dataImage {
		if slices.Contains(newerDataTypes, *in.DataType) {
			return nil, errorf(core.NotImplemented, "The data type %s is not simulated: the simulator validates text and aws:ec2:image only.", *in.DataType)
		}
		return nil, errorf(ValidationException, "The following data type is not supported: %s (Data type names are all lowercase.)", *in.DataType)
	}
	var policies []policy
	if in.Policies != nil {
		var err error
		if policies, err = parsePolicies(*in.Policies); err != nil {
			return nil, err
		}
	}
	var user string
	if c := core.CallerFrom(ctx); c != nil {
		user = c.ARN
	}
	out := &ssm.PutParameterOutput{}
	err := s.write(region, func(r *regionState) (bool, error) {
		p := r.get(name)
		var prev *version
		if p != nil {
			if !overwrite {
				return false, errorf(ParameterAlreadyExists, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
			}
			prev = p.current()
		}
		nv := &version{Value: value, Modified: s.clock.Now(), User: user, Version: 1}
		if prev != nil {
			nv.Version = prev.Version + 1
			nv.Type, nv.Description, nv.AllowedPattern = prev.Type, prev.Description, prev.AllowedPattern
			nv.DataType, nv.Policies = prev.DataType, prev.Policies
		}
		if in.Type != "" {
			nv.Type = string(in.Type)
		}
		if nv.Type == "" {
			return false, errorf(ValidationException, "A parameter type is required when you create a parameter.")
		}
		if in.Description != nil {
			nv.Description = *in.Description
		}
		if in.AllowedPattern != nil {
			nv.AllowedPattern = *in.AllowedPattern
		}
		if in.Policies != nil {
			nv.Policies = policies
		}
		if err := nv.setKey(in.KeyId, prev); err != nil {
			return false, err
		}
		if err := nv.setDataType(aws.ToString(in.DataType), prev); err != nil {
			return false, err
		}
		if err := nv.checkPattern(); err != nil {
			return false, err
		}
		standardFull := p == nil && r.count(tierStandard, maxStandard) >= maxStandard
		tier, err := chooseTier(in.Tier, prev, value, len(nv.Policies) > 0, standardFull)
		if err != nil {
			return false, err
		}
		nv.Tier = tier
		if tier == tierStandard && standardFull {
			// https://github.com/hashicorp/terraform-provider-aws/issues/18521 quotes it.
			return false, errorf(ParameterLimitExceeded, "You have reached the maximum number of standard parameters for this AWS account and Region (%d). To add more parameters, either delete existing parameters or upgrade to the advanced-parameter tier (charges apply).", maxStandard)
		}
		if tier == tierAdvanced && (p == nil || prev.Tier != tierAdvanced) && r.count(tierAdvanced, maxAdvanced) >= maxAdvanced {
			return false, errorf(ParameterLimitExceeded, "You have reached the maximum number of advanced parameters for this AWS account and Region (%d).", maxAdvanced)
		}
		if p == nil {
			p = &parameter{Name: name, Tags: toTags(in.Tags)}
			r.Parameters[key(name)] = p
		} else if len(p.Versions) >= maxVersions {
			// Parameter Store keeps the last 100 versions and drops the oldest, unless it has a
			// label. https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
			if oldest := p.Versions[0]; len(oldest.Labels) > 0 {
				return false, errorf(ParameterMaxVersionLimitExceeded, "You attempted to create a new version of %s by calling the PutParameter API with the overwrite flag. Version %d, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.", p.Name, oldest.Version)
			}
			p.Versions = slices.Delete(p.Versions, 0, 1)
		}
		p.Versions = append(p.Versions, nv)
		out.Version, out.Tier = nv.Version, types.ParameterTier(nv.Tier)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// setKey sets the KMS key of a new version: only a SecureString has one, the one named, the
// one it had, or the account's default.
func (nv *version) setKey(keyID *string, prev *version) error {
	if nv.Type != typeSecureString {
		if keyID != nil {
			return errorf(ValidationException, "KeyId is required for SecureString type parameter only.")
		}
		return nil
	}
	switch {
	case keyID != nil:
		nv.KeyID = *keyID
	case prev != nil && prev.Type == typeSecureString:
		nv.KeyID = prev.KeyID
	default:
		nv.KeyID = defaultKey
	}
	return nil
}

// setDataType sets and checks the data type of a new version. An image ID is checked for its
// shape here; AWS checks afterwards, asynchronously, that the image exists and drops the
// version if it does not — the simulator does not.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html
func (nv *version) setDataType(dataType string, prev *version) error {
	switch {
	case dataType != "":
		nv.DataType = dataType
	case nv.DataType == "":
		nv.DataType = dataText
	}
	if prev != nil && (prev.DataType == dataImage) != (nv.DataType == dataImage) {
		// "You can't change a parameter to or from either of these data types."
		// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-data-types.html
		return errorf(ValidationException, "The data type of parameter can't be changed from %s to %s. Delete the parameter and create it again with the new data type.", prev.DataType, nv.DataType)
	}
	if nv.DataType != dataImage {
		return nil
	}
	if nv.Type != typeString {
		return errorf(ValidationException, "The data type aws:ec2:image is supported for String parameters only, not %s.", nv.Type)
	}
	if !isImageID(nv.Value) {
		return errorf(ValidationException, "Parameter value %s is not a valid image ID for data type aws:ec2:image: an image ID is ami- and 8 or 17 hexadecimal digits, such as ami-12345abcdeEXAMPLE.", nv.Value)
	}
	return nil
}

// checkPattern checks the value against the version's AllowedPattern, which must match all of
// it. Patterns are Go's regular expressions (RE2): one that only Java's accept is refused.
func (nv *version) checkPattern() error {
	if nv.AllowedPattern == "" {
		return nil
	}
	re, err := regexp.Compile(`^(?:` + nv.AllowedPattern + `)$`)
	if err != nil {
		return errorf(InvalidAllowedPatternException, "The request does not meet the regular expression requirement: %s is not a valid regular expression.", nv.AllowedPattern)
	}
	if !re.MatchString(nv.Value) {
		// The AWS CLI walkthrough quotes it: https://docs.aws.amazon.com/systems-manager/latest/userguide/param-create-cli.html
		return errorf(ParameterPatternMismatchException, "Parameter value, cannot be validated against allowedPattern: %s", nv.AllowedPattern)
	}
	return nil
}

// chooseTier decides a new version's tier. Without a tier the account's default (Standard)
// applies; Intelligent-Tiering makes it Advanced only when it must be: a value over 4 KB,
// policies, or no room left for standard parameters. An advanced parameter stays advanced.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
func chooseTier(requested types.ParameterTier, prev *version, value string, policies, standardFull bool) (string, error) {
	size := utf8.RuneCountInString(value)
	wasAdvanced := prev != nil && prev.Tier == tierAdvanced
	tier := tierStandard
	switch requested {
	case types.ParameterTierAdvanced:
		tier = tierAdvanced
	case types.ParameterTierIntelligentTiering:
		if wasAdvanced || size > maxStandardValue || policies || standardFull {
			tier = tierAdvanced
		}
	case types.ParameterTierStandard:
		if wasAdvanced {
			return "", errorf(ValidationException, "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.")
		}
	default:
		if wasAdvanced {
			tier = tierAdvanced
		}
	}
	switch {
	case tier == tierStandard && size > maxStandardValue:
		// Quoted by github-aws-runners/terraform-aws-github-runner#3815.
		return "", errorf(ValidationException, "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	case tier == tierStandard && policies:
		return "", errorf(ValidationException, "Standard tier parameters don't support parameter policies. To use parameter policies, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	case tier == tierAdvanced && size > maxAdvancedValue:
		return "", errorf(ValidationException, "Advanced tier parameters support a maximum parameter value of 8192 characters. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	}
	return tier, nil
}

// count counts the parameters of r in a tier, when there can be limit of them: fewer
// parameters than the limit are fewer in any tier, and need no counting.
func (r *regionState) count(tier string, limit int) int {
	if len(r.Parameters) < limit {
		return len(r.Parameters)
	}
	n := 0
	for _, p := range r.Parameters {
		if p.current().Tier == tier {
			n++
		}
	}
	return n
}

// GetParameter returns a parameter: its latest version, or the one a :version or :label
// selector names. Names may be ARNs; AWS's public parameters are read here too.
func (h *SSM) GetParameter(ctx context.Context, in *ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if err := requireName(in.Name); err != nil {
		return nil, err
	}
	r, err := parseRef(*in.Name)
	if err != nil {
		return nil, err
	}
	p, err := s.getParameter(region, r, aws.ToBool(in.WithDecryption))
	if err != nil {
		return nil, err
	}
	return &ssm.GetParameterOutput{Parameter: &p}, nil
}

// getParameter reads the parameter a reference names.
func (s *Store) getParameter(region string, r ref, decrypt bool) (types.Parameter, error) {
	if isPublicRef(r) {
		if r.ARN && r.Region != region {
			return types.Parameter{}, notFound()
		}
		p, err := s.lookupPublic(region, r)
		if err != nil {
			return types.Parameter{}, err
		}
		return p.out(region, r.Selector), nil
	}
	if !s.ownRef(r, region) {
		return types.Parameter{}, notFound()
	}
	var out types.Parameter
	err := s.read(region, func(reg *regionState) error {
		p := reg.get(r.Name)
		v, err := selectVersion(p, r)
		if err != nil {
			return err
		}
		out = s.parameterOut(region, p, v, decrypt, r.Selector)
		return nil
	})
	return out, err
}

// isPublicRef reports whether a reference is to AWS's public parameters.
func isPublicRef(r ref) bool {
	if r.ARN {
		return r.Account == ""
	}
	return isPublicNamespace(r.Name)
}

// requireName checks that a request has a name of a length AWS takes.
func requireName(name *string) error {
	var v validation
	if name == nil {
		v.null("name")
	} else {
		v.length("name", trimName(*name), 1, maxNameLength)
	}
	return v.err()
}

// selectVersion returns the version of p a reference selects.
func selectVersion(p *parameter, r ref) (*version, error) {
	switch {
	case p == nil:
		return nil, notFound()
	case r.Label != "":
		if v := p.labeled(r.Label); v != nil {
			return v, nil
		}
		return nil, notFound()
	case r.Selector != "":
		if v := p.version(r.Version); v != nil {
			return v, nil
		}
		return nil, versionNotFound(p.Name, r.Version)
	}
	return p.current(), nil
}

// value returns a version's value as a read shows it: a SecureString in clear only when
// decrypt is set.
func (s *Store) value(region string, p *parameter, v *version, decrypt bool) string {
	if v.Type == typeSecureString && !decrypt {
		return ciphertext(s.account, region, v.KeyID, key(p.Name), v.Version, v.Value)
	}
	return v.Value
}

func (s *Store) parameterOut(region string, p *parameter, v *version, decrypt bool, selector string) types.Parameter {
	out := types.Parameter{
		Name: ptr(p.Name), Type: types.ParameterType(v.Type), Value: ptr(s.value(region, p, v, decrypt)),
		Version: v.Version, LastModifiedDate: ptr(v.Modified), ARN: ptr(s.arn(region, p.Name)), DataType: ptr(v.DataType),
	}
	if selector != "" {
		out.Selector = ptr(selector)
	}
	return out
}

// GetParameters returns up to ten parameters, in name order; the names it cannot find are
// listed in InvalidParameters, in the order asked.
func (h *SSM) GetParameters(ctx context.Context, in *ssm.GetParametersInput) (*ssm.GetParametersOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	if in.Names == nil {
		v.null("names")
	} else {
		v.count("names", in.Names, 1, 10)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	refs := make([]ref, 0, len(in.Names))
	for _, n := range in.Names {
		r, err := parseRef(n)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	out := &ssm.GetParametersOutput{Parameters: []types.Parameter{}, InvalidParameters: []string{}}
	seen := map[string]bool{}
	for i, r := range refs {
		asked := in.Names[i]
		if seen[asked] {
			continue
		}
		seen[asked] = true
		p, err := s.getParameter(region, r, aws.ToBool(in.WithDecryption))
		if err != nil {
			if core.AsError(err).Code == InternalServerError {
				return nil, err
			}
			out.InvalidParameters = append(out.InvalidParameters, asked)
			continue
		}
		out.Parameters = append(out.Parameters, p)
	}
	// "The results for GetParameters requests are listed in alphabetical order."
	slices.SortStableFunc(out.Parameters, func(a, b types.Parameter) int {
		if c := strings.Compare(*a.Name, *b.Name); c != 0 {
			return c
		}
		return strings.Compare(aws.ToString(a.Selector), aws.ToString(b.Selector))
	})
	return out, nil
}

// GetParameterHistory returns every version a parameter keeps, oldest first, up to 50 a page.
func (h *SSM) GetParameterHistory(ctx context.Context, in *ssm.GetParameterHistoryInput) (*ssm.GetParameterHistoryOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	v.between("maxResults", in.MaxResults, 1, 50)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := requireName(in.Name); err != nil {
		return nil, err
	}
	r, err := parseRef(*in.Name)
	if err != nil {
		return nil, err
	}
	if r.Selector != "" {
		return nil, errorf(ValidationException, msgNameFormat)
	}
	after, err := decodeToken("history", in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(aws.ToInt32(in.MaxResults))
	if in.MaxResults == nil {
		limit = 50
	}
	out := &ssm.GetParameterHistoryOutput{Parameters: []types.ParameterHistory{}}
	if isPublicRef(r) {
		p, err := s.lookupPublic(region, r)
		if err != nil || r.ARN && r.Region != region {
			return nil, notFound()
		}
		if after == "" {
			out.Parameters = append(out.Parameters, p.history())
		}
		return out, nil
	}
	if !s.ownRef(r, region) {
		return nil, notFound()
	}
	err = s.read(region, func(reg *regionState) error {
		p := reg.get(r.Name)
		if p == nil {
			return notFound()
		}
		var all []*version
		for _, ver := range p.Versions {
			if after == "" || ver.Version > atoi64(after) {
				all = append(all, ver)
			}
		}
		for i, ver := range all {
			if i == limit {
				out.NextToken = encodeToken("history", itoa64(all[i-1].Version))
				break
			}
			out.Parameters = append(out.Parameters, s.historyOut(region, p, ver, aws.ToBool(in.WithDecryption)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) historyOut(region string, p *parameter, v *version, decrypt bool) types.ParameterHistory {
	out := types.ParameterHistory{
		Name: ptr(p.Name), Type: types.ParameterType(v.Type), Value: ptr(s.value(region, p, v, decrypt)),
		Version: v.Version, LastModifiedDate: ptr(v.Modified), DataType: ptr(v.DataType),
		Tier: types.ParameterTier(v.Tier), Labels: append([]string{}, v.Labels...), Policies: policiesOut(v.Policies),
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

// checkWritable refuses to change AWS's own namespace, /aws/…: its public parameters are
// read-only, and an account has nothing else there.
func checkWritable(name string) error {
	if strings.HasPrefix(firstLevel(name), "aws") && strings.HasPrefix(name, "/") && strings.Contains(name[1:], "/") {
		return checkReserved(name)
	}
	return nil
}

// DeleteParameter deletes a parameter with all its versions, labels and tags.
func (h *SSM) DeleteParameter(ctx context.Context, in *ssm.DeleteParameterInput) (*ssm.DeleteParameterOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if err := requireName(in.Name); err != nil {
		return nil, err
	}
	name := trimName(*in.Name)
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := checkWritable(name); err != nil {
		return nil, err
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		if r.get(name) == nil {
			return false, notFound()
		}
		delete(r.Parameters, key(name))
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &ssm.DeleteParameterOutput{}, nil
}

// DeleteParameters deletes up to ten parameters; the names it cannot delete, because they are
// malformed, AWS's own or not there, are listed in InvalidParameters.
func (h *SSM) DeleteParameters(ctx context.Context, in *ssm.DeleteParametersInput) (*ssm.DeleteParametersOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	var v validation
	if in.Names == nil {
		v.null("names")
	} else {
		v.count("names", in.Names, 1, 10)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out := &ssm.DeleteParametersOutput{DeletedParameters: []string{}, InvalidParameters: []string{}}
	err := s.write(region, func(r *regionState) (bool, error) {
		seen := map[string]bool{}
		for _, asked := range in.Names {
			if seen[asked] {
				continue
			}
			seen[asked] = true
			name := trimName(asked)
			if checkName(name) != nil || checkWritable(name) != nil || r.get(name) == nil {
				out.InvalidParameters = append(out.InvalidParameters, asked)
				continue
			}
			delete(r.Parameters, key(name))
			out.DeletedParameters = append(out.DeletedParameters, asked)
		}
		return len(out.DeletedParameters) > 0, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
