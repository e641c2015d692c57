// Package jsonproto is the simulator's codec for AWS's JSON RPC protocols, awsJson1.0 and
// awsJson1.1 (SSM, CloudWatch Logs, DynamoDB and others), on the server side.
//
// A [Protocol] is made from a service's schema and its SDK client type:
//
//	p := jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil))
//
// [Protocol.Operation] reads the operation from a request's X-Amz-Target header;
// [Protocol.Decode] fills the SDK's input struct (*ssm.PutParameterInput) from the JSON body;
// [Protocol.Encode] writes the SDK's output struct as the body the SDK's client reads; and
// [Protocol.EncodeError] with [Protocol.SetErrorHeaders] writes AWS's JSON error.
//
// # Wire facts come from the SDK
//
// No member name, type or timestamp format is written by hand here. The aws-sdk-go-v2 modules
// of this generation are schema-based: every input, output and nested struct has a generated
// SerializeMembers method that hands each member set to a smithy.ShapeSerializer together
// with the member's schema (its name, shape type and traits such as timestampFormat). Once
// per Go type, a plan asks that method: it sets one field at a time, serializes the struct
// into a recorder, and notes which member schema was written. The decoder then walks the
// JSON body with the plan. Union member types, which reflection cannot enumerate, are listed
// by `go generate` (./internal/gen reads the SDK's types.go) in unions_gen.go, and the SDK's
// serializer again says which member each one is.
//
// Responses are written by the SDK itself: the output's Serialize method drives the SDK's
// own JSON serializer, reached through the public awsjson client protocol. Its reader, the
// SDK client's, is therefore reading its own writer's output.
//
// The wire format follows the SDK: member names as keys (awsJson ignores @jsonName),
// timestamps as epoch seconds unless a timestampFormat trait says otherwise, blobs in
// standard base64, floats' NaN and infinities as the strings "NaN", "Infinity" and
// "-Infinity", a union as an object with one member. As in the SDK's reader, a null member is
// absent and a null list element or map value is the zero value.
//
// # Errors
//
// Decode answers SerializationException (400) for a body that is not JSON or a value of the
// wrong JSON type, and passes over members the operation does not have, as AWS does.
// Operation answers UnknownOperationException (400) for a missing X-Amz-Target or one that
// names no operation of the service. Neither code is in any service model: they are AWS's
// service framework's own.
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
//   - Event streams are not supported.
//   - restJson1 (HTTP bindings) is not covered.
package jsonproto

//go:generate go run ./internal/gen -o unions_gen.go
