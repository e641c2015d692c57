// Package query is the simulator's generic codec for AWS's two query protocols:
// awsQuery (IAM, STS, RDS, and ELB, Auto Scaling, SNS to come) and ec2query (EC2).
//
// [Service.Decode] fills an aws-sdk-go-v2 input struct (e.g. *iam.CreateUserInput) from a
// form-encoded request; [Service.EncodeResult] writes an SDK output struct as the XML the SDK's
// own deserializer reads; [Service.EncodeError] writes AWS's error document.
//
// # Wire names come from the SDK
//
// No wire name is written by hand here. `go generate` runs ./internal/gen, which reads the
// SDK's generated serializers.go, deserializers.go and validators.go (of the module versions in
// go.mod) with go/ast and writes data/<service>.shapes: for each operation its input, output and
// result element; for each input shape the query keys (`Filter.N.Value.M`, `Tags.member.N.Key`,
// flattened or not, `entry.N.key`); for each output shape the XML element names
// (`reservationSet`/`item`, `member`, `entry`/`key`/`value`); and the required members. The
// generator fails on any code pattern it does not know, so an SDK upgrade cannot silently change
// the wire format. Scalar types (string, enum, bool, integers, floats, timestamps, blobs) are
// taken from the Go types by reflection.
//
// # Services of the schema-based SDK generation
//
// The newer SDK modules (RDS, ELBv2, Auto Scaling, SNS, STS from v1.52) have no
// serializers.go: their client hands each input to awsquery.New(schemas.X), and every struct
// has a SerializeMembers method that gives each member to a smithy.ShapeSerializer with its
// member schema. [FromSchema] makes a Service from such a module:
//
//	query.FromSchema(schemas.AmazonRDSv19, (*rds.Client)(nil))
//
// Its operations are the client's methods; its version and XML namespace come from the
// service schema. Per Go type, a plan asks the SDK which member each field is (package
// sdkschema, shared with jsonproto) and takes the wire names from the member schemas, as
// the SDK's own awsQuery serializer and XML reader use them: a member's xmlName or name; a
// list as Name.<member's xmlName, else member>.N (Tags.Tag.1.Key for RDS), or Name.N when
// @xmlFlattened; a map as Name.entry.N.key/value; timestamps by their timestampFormat
// (date-time by default, written with milliseconds as RDS and ELB write them, and to the
// second for STS, as STS writes them). Decoding and encoding then run on the same plans,
// with the same errors, as for the generated services.
// The schemas do not carry @required (the SDK checks it client-side in validators.go), so
// `go generate` writes data/<name>.required from validators.go for every schema-based
// service of internal/awsmodel's list. Unions, documents and big numbers are refused when a
// plan meets them: no awsQuery service of this generation has them.
//
// # Cost
//
// A service's shape file is embedded and parsed on the first Decode or Encode for that service
// (about a millisecond for EC2, the largest), not at program start. Per Go type, a plan (field
// indexes, names, element codecs) is built once and cached; requests then run on the plans and
// write XML straight into the caller's buffer.
//
// # Errors
//
// Bad input returns *[Error] with the code AWS gives for the protocol: for ec2query
// MissingParameter, InvalidParameterValue and UnknownParameter; for awsQuery ValidationError
// (a missing required member, in Coral's "Value null at 'userName'" wording),
// InvalidParameterValue (a value of the wrong type) and InvalidQueryParameter (a malformed list
// index). awsQuery passes over parameters it does not know (so a newer CLI's new parameters do
// not break an older simulator); ec2query refuses them with UnknownParameter, as EC2 does.
package query

//go:generate go run ./internal/gen -data data -unions unions_gen.go
