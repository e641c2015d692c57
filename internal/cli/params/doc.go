// Package params turns the AWS CLI's parameter syntax into aws-sdk-go-v2 input structs,
// generically, by reflection over the SDK's input types.
//
// [Params] lists an operation's parameters as the AWS CLI names them (botocore's xform_name:
// InstanceIds → --instance-ids), with the members the SDK's validators require; [Set] parses one
// flag's words into the input — scalars, lists, structures in shorthand or JSON, file:// and
// fileb:// — and [FromJSON] and [FromYAML] fill an input from --cli-input-json and
// --cli-input-yaml. [Skeleton] and [YAMLSkeleton] are --generate-cli-skeleton's input and
// yaml-input; the latter, and [OperationDoc], read an extract of the AWS CLI v2's models
// embedded under model/. [ParseShorthand] is the shorthand parser itself. Errors are
// *[UsageError], worded as the AWS CLI v2 words them.
//
// # Scope and limitations
//
//   - Parameter order is the SDK's (required members first, then alphabetical), not botocore's
//     model order, which the SDK does not keep.
//   - Model constraints the SDK does not carry (string lengths, integer minimums) are not
//     checked; integers are checked against their Go type's range.
//   - Invalid JSON is reported with Go's decoder's message, not Python's.
//
// Everything here is safe for concurrent use.
package params
