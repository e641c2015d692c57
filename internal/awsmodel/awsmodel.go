// Package awsmodel is the one list of the AWS services that awsx serves — the simulator
// answers them and the awsx command speaks them — and of where each one's models come from:
// its aws-sdk-go-v2 module, its botocore model (name and API version), its protocol and its
// AWS CLI command.
//
// Every generator of the module that is per service takes its services from [Services]:
// the query codec's shape files (sim/internal/query), the awsx command's required members
// (internal/cli/params), its input models for help and skeletons (internal/cli/params), its
// output models and paginators (internal/output), and its table of SDK clients
// (internal/cli). Adding a service to them is one entry here and `go generate`; each
// generator's output is checked fresh by a test of its own.
//
// The package holds data only and imports nothing of the module or of the SDK, so that
// generators, which run before the code they write compiles, can import it.
package awsmodel

import "slices"

// Protocol is a service's wire protocol, by its Smithy name.
type Protocol string

// The protocols of the services, by their Smithy trait names (aws.protocols#awsQuery, …).
const (
	AWSQuery  Protocol = "awsQuery"   // IAM, STS: Tags.member.1.Key in, <OpResult> out
	EC2Query  Protocol = "ec2Query"   // EC2: Filter.1.Value.1 in, lowerCamel XML out
	RESTXML   Protocol = "restXml"    // S3
	AWSJSON10 Protocol = "awsJson1_0" // JSON bodies, X-Amz-Target, application/x-amz-json-1.0
	AWSJSON11 Protocol = "awsJson1_1" // SSM: as 1.0, application/x-amz-json-1.1
	RESTJSON1 Protocol = "restJson1"
	// RPCV2CBOR is Smithy RPC v2 CBOR (smithy.protocols#rpcv2Cbor), CloudWatch's: POST
	// /service/<Service>/operation/<Op>, CBOR bodies.
	RPCV2CBOR Protocol = "rpcv2Cbor"
)

// Botocore returns the protocol as botocore's model metadata names it: protocol ("query",
// "ec2", "rest-xml", "json", "rest-json", "smithy-rpc-v2-cbor") and, for JSON, jsonVersion
// ("1.0", "1.1").
func (p Protocol) Botocore() (protocol, jsonVersion string) {
	switch p {
	case AWSQuery:
		return "query", ""
	case EC2Query:
		return "ec2", ""
	case RESTXML:
		return "rest-xml", ""
	case AWSJSON10:
		return "json", "1.0"
	case AWSJSON11:
		return "json", "1.1"
	case RESTJSON1:
		return "rest-json", ""
	case RPCV2CBOR:
		// botocore's models of such services keep the jsonVersion of their awsJson fallback.
		return "smithy-rpc-v2-cbor", "1.0"
	}
	return "", ""
}

// Service is one service and where its models come from. It is a value: safe to copy and to
// use from many goroutines.
type Service struct {
	// Name is the SDK's package name, the last element of Module, which names the service
	// throughout awsx (model files, the simulator's codecs): "ec2", "ssm".
	Name string
	// Module is the aws-sdk-go-v2 module, at the version go.mod requires.
	Module string
	// Botocore is botocore's name of the service, its directory under botocore/data:
	// "ec2", "ssm" (and, for services to come, "elbv2" for elasticloadbalancingv2).
	Botocore string
	// APIVersion is the version of the model: botocore's directory under the service's
	// (botocore/data/ssm/2014-11-06) and the SDK's ServiceAPIVersion.
	APIVersion string
	Protocol   Protocol
	// Command is the AWS CLI's command for the service's operations: "ec2", "s3api" (the
	// AWS CLI's "s3" is its hand-made commands).
	Command string
}

// services are the services the simulator serves, by Name.
var services = []Service{
	{Name: "autoscaling", Module: "github.com/aws/aws-sdk-go-v2/service/autoscaling", Botocore: "autoscaling", APIVersion: "2011-01-01", Protocol: AWSQuery, Command: "autoscaling"},
	{Name: "cloudformation", Module: "github.com/aws/aws-sdk-go-v2/service/cloudformation", Botocore: "cloudformation", APIVersion: "2010-05-15", Protocol: AWSQuery, Command: "cloudformation"},
	{Name: "cloudwatch", Module: "github.com/aws/aws-sdk-go-v2/service/cloudwatch", Botocore: "cloudwatch", APIVersion: "2010-08-01", Protocol: RPCV2CBOR, Command: "cloudwatch"},
	{Name: "ec2", Module: "github.com/aws/aws-sdk-go-v2/service/ec2", Botocore: "ec2", APIVersion: "2016-11-15", Protocol: EC2Query, Command: "ec2"},
	{Name: "efs", Module: "github.com/aws/aws-sdk-go-v2/service/efs", Botocore: "efs", APIVersion: "2015-02-01", Protocol: RESTJSON1, Command: "efs"},
	{Name: "elasticloadbalancingv2", Module: "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2", Botocore: "elbv2", APIVersion: "2015-12-01", Protocol: AWSQuery, Command: "elbv2"},
	{Name: "iam", Module: "github.com/aws/aws-sdk-go-v2/service/iam", Botocore: "iam", APIVersion: "2010-05-08", Protocol: AWSQuery, Command: "iam"},
	{Name: "rds", Module: "github.com/aws/aws-sdk-go-v2/service/rds", Botocore: "rds", APIVersion: "2014-10-31", Protocol: AWSQuery, Command: "rds"},
	{Name: "s3", Module: "github.com/aws/aws-sdk-go-v2/service/s3", Botocore: "s3", APIVersion: "2006-03-01", Protocol: RESTXML, Command: "s3api"},
	{Name: "sns", Module: "github.com/aws/aws-sdk-go-v2/service/sns", Botocore: "sns", APIVersion: "2010-03-31", Protocol: AWSQuery, Command: "sns"},
	{Name: "ssm", Module: "github.com/aws/aws-sdk-go-v2/service/ssm", Botocore: "ssm", APIVersion: "2014-11-06", Protocol: AWSJSON11, Command: "ssm"},
	{Name: "sts", Module: "github.com/aws/aws-sdk-go-v2/service/sts", Botocore: "sts", APIVersion: "2011-06-15", Protocol: AWSQuery, Command: "sts"},
}

// Services returns the services, sorted by Name. The slice is the caller's own.
func Services() []Service { return slices.Clone(services) }

// Lookup returns the service of the given Name ("ssm") and reports whether there is one.
func Lookup(name string) (Service, bool) {
	i := slices.IndexFunc(services, func(s Service) bool { return s.Name == name })
	if i < 0 {
		return Service{}, false
	}
	return services[i], true
}
