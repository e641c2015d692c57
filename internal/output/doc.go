// Package output prints aws-sdk-go-v2 operation outputs exactly as the AWS CLI v2 prints them.
//
// [Value] turns an SDK output into the data botocore would have parsed from the same response
// (objects in the model's member order, timestamps as the CLI's ISO 8601 strings), [Query]
// applies --query, [Merge] joins the pages of a paginated call as the CLI's automatic
// pagination does, and [Write] prints the result in an --output format: json, text, table,
// yaml or yaml-stream. [Sample] is the sample output of --generate-cli-skeleton output.
//
// It is shared by the awsx command (internal/cli) and the root package's awsx.Query, which
// is why it lives outside internal/cli: the library's query is the command's --query, with
// no command code linked in.
//
// # Where the key order comes from
//
// The AWS CLI prints keys in the order of botocore's service model, not alphabetically (the
// SDK's struct fields are sorted). The models under model/ are extracted from botocore's
// by internal/modelgen (go generate): the AWS CLI v2's bundled models decide the order of the
// members they know; members added since follow, from a newer botocore.
//
// # Scope and limitations
//
//   - Maps (Go maps in the SDK types) print with sorted keys; botocore keeps the wire order.
//   - After --query, numbers with integral values print as integers, even when the model's
//     type is a float (go-jmespath computes in float64).
//   - [Value] prints what the AWS CLI v2 2.9.19's models know; members added to the services
//     since are dropped ([ValueAll] keeps them, as a newer AWS CLI such as v1 1.45 prints them).
//   - yaml-stream prints each page of a [Stream] apart, as the AWS CLI does.
//   - Tables are rendered for a non-terminal (80 columns, no colors); [WriteWidth] takes another
//     width.
//   - Text output of a multi-page result is printed per page by the AWS CLI; [Write] prints
//     a [Stream] so, and otherwise the merged result it is given.
package output
