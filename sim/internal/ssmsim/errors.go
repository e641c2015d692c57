package ssmsim

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of Parameter Store, as the SSM API reference names them (the Errors of each
// operation): https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
const (
	ValidationException                  core.Code = "ValidationException"
	AccessDeniedException                core.Code = "AccessDeniedException"
	InternalServerError                  core.Code = "InternalServerError"
	ParameterNotFound                    core.Code = "ParameterNotFound"
	ParameterAlreadyExists               core.Code = "ParameterAlreadyExists"
	ParameterVersionNotFound             core.Code = "ParameterVersionNotFound"
	ParameterVersionLabelLimitExceeded   core.Code = "ParameterVersionLabelLimitExceeded"
	ParameterMaxVersionLimitExceeded     core.Code = "ParameterMaxVersionLimitExceeded"
	ParameterLimitExceeded               core.Code = "ParameterLimitExceeded"
	HierarchyLevelLimitExceededException core.Code = "HierarchyLevelLimitExceededException"
	InvalidAllowedPatternException       core.Code = "InvalidAllowedPatternException"
	ParameterPatternMismatchException    core.Code = "ParameterPatternMismatchException"
	PoliciesLimitExceededException       core.Code = "PoliciesLimitExceededException"
	InvalidPolicyTypeException           core.Code = "InvalidPolicyTypeException"
	InvalidPolicyAttributeException      core.Code = "InvalidPolicyAttributeException"
	IncompatiblePolicyException          core.Code = "IncompatiblePolicyException"
	InvalidFilterKey                     core.Code = "InvalidFilterKey"
	InvalidFilterOption                  core.Code = "InvalidFilterOption"
	InvalidFilterValue                   core.Code = "InvalidFilterValue"
	InvalidNextToken                     core.Code = "InvalidNextToken"
	InvalidResourceId                    core.Code = "InvalidResourceId"
	TooManyTagsError                     core.Code = "TooManyTagsError"
)

// errorf returns an SSM error. SSM answers every client error with 400 (AccessDeniedException
// for a reserved name included: the Terraform and SDK logs quoting it show StatusCode: 400)
// and its own failures with 500, whatever other services use the same code for. The
// simulator's NotImplemented keeps its own status.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	switch code {
	case core.NotImplemented:
	case InternalServerError:
		e.Status = http.StatusInternalServerError
	default:
		e.Status = http.StatusBadRequest
	}
	return e
}

// notFound is GetParameter's and DeleteParameter's answer for a name the account does not
// have. AWS sends it with no message at all (aws/aws-sdk-js#4330: "the error message is
// null"; the CLI prints "An error occurred (ParameterNotFound) when calling the GetParameter
// operation: "), so clients must branch on the code. TestGetParameterErrors pins it.
func notFound() *core.Error { return errorf(ParameterNotFound, "") }

// versionNotFound is the answer for a version a parameter does not have.
func versionNotFound(name string, version int64) *core.Error {
	return errorf(ParameterVersionNotFound, "Systems Manager could not find version %d of %s. Verify the version and try again.", version, name)
}

// Messages of the name checks, as AWS words them. The first is what PutParameter and
// GetParameter answer for any malformed name, whatever is wrong with it (boto/boto3#1499,
// localstack/localstack#11538: "test/parameter" is refused with it by GetParameter).
const (
	msgNameFormat = `Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`
	msgNamePrefix = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`
	// GetParametersByPath's answer for a path it does not take, with the backslashes AWS's
	// message has (aws/aws-sdk-js-v3#5928, aws/copilot-cli#66 quote it).
	msgPathFormat = `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`
	msgFilterPath = `Filters for common parameters can't be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.`
)

// validation collects the constraint failures of one request into the message SSM's
// validator writes: "2 validation errors detected: Value 'x' at 'name' failed to satisfy
// constraint: …; Value …". Members are named as the wire's lowerCamelCase.
type validation []string

func (v *validation) add(format string, args ...any) {
	*v = append(*v, fmt.Sprintf(format, args...))
}

// null records a required member that is missing.
func (v *validation) null(field string) {
	v.add("Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

// length checks a string's length in characters against [lo, hi].
func (v *validation) length(field, value string, lo, hi int) {
	n := utf8.RuneCountInString(value)
	switch {
	case n < lo:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", value, field, lo)
	case n > hi:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, field, hi)
	}
}

// optLength checks an optional string's length.
func (v *validation) optLength(field string, value *string, lo, hi int) {
	if value != nil {
		v.length(field, *value, lo, hi)
	}
}

// secret checks the length of a sensitive member: AWS leaves its value out of the message
// ("Value at 'value' failed to satisfy constraint", crossplane-contrib/provider-upjet-aws#1559).
func (v *validation) secret(field, value string, lo, hi int) {
	n := utf8.RuneCountInString(value)
	switch {
	case n < lo:
		v.add("Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", field, lo)
	case n > hi:
		v.add("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, hi)
	}
}

// enum checks a value against its enum; "" (absent) passes.
func (v *validation) enum(field, value string, allowed []string) {
	if value == "" {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, field, strings.Join(allowed, ", "))
}

// count checks a list's length against [lo, hi], quoting it as AWS does: '[a, b]'.
func (v *validation) count(field string, items []string, lo, hi int) {
	switch {
	case len(items) < lo:
		v.add("Value '[%s]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", strings.Join(items, ", "), field, lo)
	case len(items) > hi:
		v.add("Value '[%s]' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(items, ", "), field, hi)
	}
}

// between checks an optional number against [lo, hi].
func (v *validation) between(field string, value *int32, lo, hi int32) {
	switch {
	case value == nil:
	case *value < lo:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *value, field, lo)
	case *value > hi:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *value, field, hi)
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
	return errorf(ValidationException, "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}
