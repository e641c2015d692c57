// Package jsonproto is the simulator's codec for the protocols of AWS's schema-serialized
// SDK clients, on the server side: awsJson1.0 and awsJson1.1 (SSM, CloudWatch Logs, DynamoDB
// and others), restJson1 (EFS, Lambda, IAM Identity Center and others) and Smithy RPC v2
// CBOR (CloudWatch). CBOR lives here, not in a package of its own, because everything but
// the bytes is shared: the plans built from the SDK's schemas, the union and operation
// lists, the operation table read from the client type, and encoding by the SDK's own
// serializer.
//
// A [Protocol] (awsJson) or a [Rest] (restJson1) is made from a service's schema and its SDK
// client type:
//
//	p := jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil))
//
// [Protocol.Operation] reads the operation from a request's X-Amz-Target header;
// [Protocol.Decode] fills the SDK's input struct (*ssm.PutParameterInput) from the JSON body;
// [Protocol.Encode] writes the SDK's output struct as the body the SDK's client reads; and
// [Protocol.EncodeError] with [Protocol.SetErrorHeaders] writes AWS's JSON error. [Rest] has
// the same methods: its Operation routes by method and path, its Decode reads the URI, the
// query string and headers too, and its Encode returns a status and headers with the body.
//
// # Wire facts come from the SDK
//
// No member name, type or timestamp format is written by hand here. The aws-sdk-go-v2 modules
// of this generation are schema-based: every input, output and nested struct has a generated
// SerializeMembers method that hands each member set to a smithy.ShapeSerializer together
// with the member's schema (its name, shape type and traits such as timestampFormat). Once
// per Go type, a plan asks that method: it sets one field at a time, serializes the struct
// into a recorder (package sdkschema, shared with the query codec), and notes which member schema was written. The decoder then walks the
// JSON body with the plan. Union member types, which reflection cannot enumerate, are listed
// by `go generate` (./internal/gen reads the SDK's types.go) in sdk_gen.go, and the SDK's
// serializer again says which member each one is. The same file lists the operation schemas,
// whose @http traits are restJson1's routes.
//
// Responses are written by the SDK itself: the output's Serialize method drives the SDK's
// own serializer, reached through the public awsjson and restjson1 client protocols (a
// response's header and body bindings are a request's). Its reader, the SDK client's, is
// therefore reading its own writer's output.
//
// The wire format follows the SDK: member names as keys (awsJson ignores @jsonName),
// timestamps as epoch seconds unless a timestampFormat trait says otherwise, blobs in
// standard base64, floats' NaN and infinities as the strings "NaN", "Infinity" and
// "-Infinity", a union as an object with one member. As in the SDK's reader, a null member is
// absent and a null list element or map value is the zero value. restJson1 adds @jsonName
// keys, and its HTTP bindings as smithy-go writes them: labels and query values as text,
// timestamps there as RFC 3339 and in headers as HTTP dates, header lists comma-separated
// with quoted strings, blobs and @mediaType strings in headers in base64.
//
// # restJson1 of the SDK modules with generated serializers
//
// Some service modules in go.mod (EFS's) are of the SDK's older generation: no schemas, but
// generated serializers.go and deserializers.go. [NewRestFromSerializers] serves them:
// `go generate` (./internal/restgen) reads those files with go/ast — each operation's route,
// the members bound to the URI, query string and headers, and the JSON keys of every input and
// output structure — and takes each operation's success status from botocore's model, into
// data/<service>.rest. The plans are then built from these facts and the Go types, the
// decoder is the same, and responses are written by reflection with smithy-go's JSON encoder
// under the deserializers' keys (timestamps as epoch seconds unless the SDK reads another
// format; a 204's body is empty). A service whose error shapes have an ErrorCode member
// (EFS) gets errors as {"ErrorCode":"…","Message":"…"} with the error's further fields
// (FileSystemAlreadyExists's FileSystemId), beside X-Amzn-ErrorType. Where botocore's URI of
// an operation differs from the SDK's by a trailing slash (EFS's DescribeTags), both route.
//
// [Rest.Wire] puts either kind of [Rest] on the request path of the simulator's door.
//
// # RPC v2 CBOR
//
// A [CBOR] (NewCBOR(schemas.GraniteServiceVersion20100801, (*cloudwatch.Client)(nil),
// cloudwatch.TypeRegistry)) takes POST /service/<ServiceName>/operation/<Operation> with a
// CBOR body. Decode reads the body into values with smithy-go's encoding/cbor and walks them
// with the same plans (member names as keys, timestamps as epoch seconds in tag 1, blobs as
// byte strings, null members passed over); a gzip body (Content-Encoding: gzip, which the
// SDK and botocore use for PutMetricData's larger bodies) is inflated first, up to 8 MiB.
// Encode writes the output with the SDK's rpcv2Cbor serializer. An error's __type is the ID
// of the modeled error shape whose name or awsQuery code is the error's code
// ("com.amazonaws.cloudwatch#InvalidParameterValueException" for InvalidParameterValue), so
// the SDK returns the modeled type; a service with @awsQueryCompatible (CloudWatch) also
// gets x-amzn-query-error: "InvalidParameterValue;Sender", from which both the SDK and
// botocore take the code they report, the one its awsQuery API gave. A path that names no
// operation is an UnknownOperationException with status 404. smithy-go's decoder does not
// report bytes after the first value; they are ignored.
//
// # Errors
//
// Decode answers SerializationException (400) for a body that is not JSON or a value of the
// wrong JSON type, and passes over members the operation does not have, as AWS does.
// Operation answers UnknownOperationException (400) for a missing X-Amz-Target or one that
// names no operation of the service; [Rest.Operation] answers it with 404 for a request no
// route matches. Neither code is in any service model: they are AWS's service framework's
// own.
//
// # Cost
//
// Plans are built on the first Decode of each input type and cached (PutParameter's takes
// about 25µs, all 154 of SSM's about 2ms); a request then costs one pass over the body and
// the allocation of the values. Encoding costs what the SDK's serializer costs, plus a
// request value to carry the body (about 2µs).
//
// # Scope and limitations
//
//   - Required members are not checked: the SDK's validators are unexported. A service that
//     wants AWS's ValidationException for a missing member checks it itself.
//   - Enum values, lengths, ranges and patterns are not checked either.
//   - Document members and big numbers are not supported (no service served so far has
//     them); building a plan that meets one fails with an error naming the shape.
//   - Event streams and streaming payloads are not supported.
//   - Services of wire facts: unions, documents, payload members and response codes bound to
//     members are not supported yet (EFS has none); restgen and the plans fail on them.
//   - restJson1: prefix header keys are read in lower case (as the SDK reads them);
//     Content-Type and Accept are not checked; the route of a request with a path prefix
//     (an endpoint URL with a path) does not match.
//   - restJson1 is tested with the real clients of the restJson1 modules in go.mod (sso,
//     ssooidc, signin: queries, headers, @jsonName, structure payloads; efs: wire facts) and,
//     for the bindings they lack (labels, greedy labels, header lists, prefix headers,
//     blob, string and union payloads, @httpResponseCode), with a small service written as
//     smithy-go's generator writes one, through smithy-go's own restJson1 client protocol.
package jsonproto

//go:generate go run ./internal/gen -o sdk_gen.go
