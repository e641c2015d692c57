package cli

import "testing"

const (
	hostARN   = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host"
	al2023AMI = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
)

// ssmSession uses every SSM Parameter Store operation the simulator answers: parameters of
// each type and tier put, overwritten and read by name, ARN, version and label; read by path
// with paging, described with filters; their history, labels and tags; AWS's public image
// parameters; the errors and their exit codes; then the deletes. Not yaml where the step
// changes state: the AWS CLI v1, which has no yaml, must change it too.
var ssmSession = []step{
	// Parameters of each type.
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/host", "--value", "db.internal", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/port", "--value", "5432", "--type", "String", "--description", "the port", "--output", "text"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/password", "--value", "s3cret", "--type", "SecureString", "--output", "table"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/replicas", "--value", "r1,r2,r3", "--type", "StringList", "--tags", "Key=team,Value=blue", "Key=env,Value=lab"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/key", "--value", "k", "--type", "SecureString", "--key-id", "alias/app"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/web/banner", "--value", "hello", "--type", "String", "--tier", "Advanced"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/web/mode", "--value", "blue", "--type", "String", "--allowed-pattern", "^(blue|green)$"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/ami", "--value", "ami-0123456789abcdef0", "--type", "String", "--data-type", "aws:ec2:image"}},
	{args: []string{"ssm", "put-parameter", "--name", "flat", "--value", "v", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--cli-input-json", `{"Name":"/app/web/port","Value":"8080","Type":"String"}`}},
	// More than a page of them.
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f01", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f02", "--value", "off", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f03", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f04", "--value", "off", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f05", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f06", "--value", "off", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f07", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f08", "--value", "off", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f09", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f10", "--value", "off", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f11", "--value", "on", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/feature/f12", "--value", "off", "--type", "String"}},

	// New versions.
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/host", "--value", "db2.internal", "--type", "String", "--overwrite"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/host", "--value", "db3.internal", "--overwrite", "--output", "text"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/web/mode", "--value", "green", "--overwrite", "--query", "Version"}},

	// Reads.
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host", "--output", "text"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host", "--output", "table"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host", "--output", "yaml"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host", "--query", "Parameter.Value", "--output", "text"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host:1"}},
	{args: []string{"ssm", "get-parameter", "--name", hostARN}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/password"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/password", "--with-decryption"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/password", "--with-decryption", "--output", "table"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/replicas", "--output", "text"}},
	{args: []string{"ssm", "get-parameter", "--name", "flat"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/ami", "--query", "Parameter.[Name,DataType,Value]", "--output", "text"}},
	{args: []string{"ssm", "get-parameters", "--names", "/app/db/host", "/app/db/port", "/nope"}},
	{args: []string{"ssm", "get-parameters", "--names", "/app/db/host", "/app/db/password", "--with-decryption", "--output", "text"}},
	{args: []string{"ssm", "get-parameters", "--names", "/app/db/host:2", "/app/db/port", "--output", "table"}},
	{args: []string{"ssm", "get-parameters", "--names", "/app/db/host", "--query", "Parameters[].Value", "--output", "yaml"}},

	// By path, paged: the CLI follows NextToken (AWS's pages hold ten parameters), and pages
	// it when asked.
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/feature", "--query", "length(Parameters)"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/feature", "--output", "text", "--query", "Parameters[].[Name,Value]"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/feature", "--max-items", "11", "--query", "[Parameters[-1].Name, NextToken]"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app/db", "--output", "table"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--with-decryption", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--page-size", "2"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--page-size", "3", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--page-size", "4", "--output", "yaml-stream", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--max-items", "3"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--max-items", "3", "--query", "NextToken"}, capture: "bypath"},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--starting-token", "{bypath}"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--max-items", "3", "--query", "NextToken", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--page-size", "2", "--max-items", "3", "--query", "NextToken"}, capture: "bypath2"},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--page-size", "2", "--starting-token", "{bypath2}", "--query", "Parameters[].Name", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--no-paginate", "--max-results", "2", "--query", "[Parameters[].Name, NextToken != null]"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--parameter-filters", "Key=Type,Option=Equals,Values=SecureString"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--parameter-filters", "Key=Type,Values=String,StringList", "--query", "Parameters[].Name", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/nothing", "--recursive"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "app"}},

	// AWS's public parameters, from the EC2 catalog.
	{args: []string{"ssm", "get-parameter", "--name", al2023AMI, "--query", "Parameter.[Name,Type,DataType]", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/aws/service/ami-amazon-linux-latest", "--query", "length(Parameters) > `0`"}},

	// Describe, with the filters of both kinds.
	{args: []string{"ssm", "describe-parameters"}},
	{args: []string{"ssm", "describe-parameters", "--query", "length(Parameters)"}},
	{args: []string{"ssm", "describe-parameters", "--no-paginate", "--query", "[length(Parameters), NextToken != null]"}},
	{args: []string{"ssm", "describe-parameters", "--output", "text"}},
	{args: []string{"ssm", "describe-parameters", "--output", "table"}},
	{args: []string{"ssm", "describe-parameters", "--output", "yaml"}},
	{args: []string{"ssm", "describe-parameters", "--page-size", "2", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--max-items", "2", "--query", "NextToken"}, capture: "described"},
	{args: []string{"ssm", "describe-parameters", "--starting-token", "{described}", "--query", "Parameters[].[Name,Version]", "--output", "text"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=Name,Option=BeginsWith,Values=/app/db"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=Path,Option=Recursive,Values=/app", "Key=Type,Values=SecureString", "--output", "table"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=tag:team,Values=blue", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=Tier,Values=Advanced", "--query", "Parameters[].[Name,Tier]", "--output", "text"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=DataType,Values=aws:ec2:image", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--filters", "Key=Type,Values=String", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--filters", "Key=Name,Values=/app/db/host,/app/db/port", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--parameter-filters", "Key=Bogus,Values=x"}},
	{args: []string{"ssm", "describe-parameters", "--filters", "Key=Name,Values=a", "--parameter-filters", "Key=Name,Values=a"}},

	// Labels.
	{args: []string{"ssm", "label-parameter-version", "--name", "/app/db/host", "--parameter-version", "2", "--labels", "prod", "stable"}},
	{args: []string{"ssm", "label-parameter-version", "--name", "/app/db/host", "--labels", "latest", "--output", "text"}},
	{args: []string{"ssm", "label-parameter-version", "--name", "/app/db/host", "--parameter-version", "1", "--labels", "aws-x", "9lives", "old"}},
	{args: []string{"ssm", "label-parameter-version", "--name", "/app/db/host", "--parameter-version", "9", "--labels", "x"}},
	{args: []string{"ssm", "label-parameter-version", "--name", "/nope", "--labels", "x"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host:prod"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host:nolabel"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app/db", "--parameter-filters", "Key=Label,Values=prod", "--query", "Parameters[].[Name,Version]", "--output", "text"}},
	{args: []string{"ssm", "unlabel-parameter-version", "--name", "/app/db/host", "--parameter-version", "2", "--labels", "stable", "gone"}},
	{args: []string{"ssm", "unlabel-parameter-version", "--name", "/app/db/host", "--parameter-version", "7", "--labels", "prod"}},

	// History.
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host", "--output", "text"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host", "--output", "table"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host", "--page-size", "1", "--output", "yaml-stream"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host", "--max-items", "1", "--query", "NextToken"}, capture: "history"},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/host", "--starting-token", "{history}", "--query", "Parameters[].[Version,Value]", "--output", "text"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/app/db/password", "--with-decryption", "--query", "Parameters[].Value"}},
	{args: []string{"ssm", "get-parameter-history", "--name", "/nope"}},

	// Tags.
	{args: []string{"ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/host", "--tags", "Key=owner,Value=ops", "Key=tier,Value=db"}},
	{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/host"}},
	{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/replicas", "--output", "text"}},
	{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/replicas", "--output", "table"}},
	{args: []string{"ssm", "remove-tags-from-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/host", "--tag-keys", "tier"}},
	{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/host", "--output", "yaml"}},
	{args: []string{"ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/nope"}},
	{args: []string{"ssm", "add-tags-to-resource", "--resource-type", "Document", "--resource-id", "doc", "--tags", "Key=a,Value=b"}},
	{args: []string{"ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", "/app/db/host"}},

	// Errors: the service's (exit 254) and the command line's (252).
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/host", "--value", "again", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/web/mode", "--value", "red", "--overwrite"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/db/tagged", "--value", "v", "--type", "String", "--overwrite", "--tags", "Key=a,Value=b"}},
	{args: []string{"ssm", "put-parameter", "--name", "awsthing", "--value", "v", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/aws/mine", "--value", "v", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/bad", "--value", "ami-nothex", "--type", "String", "--data-type", "aws:ec2:image"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/bad", "--value", "v", "--type", "Strung"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/bad", "--value", "v", "--type", "String", "--key-id", "alias/app"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/bad", "--type", "String"}},
	{args: []string{"ssm", "put-parameter", "--name", "/app/bad", "--value", "v", "--type", "String", "--tier", "Huge"}},
	{args: []string{"ssm", "get-parameter", "--name", "/nope"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host:9"}},
	{args: []string{"ssm", "get-parameter"}},
	{args: []string{"ssm", "get-parameter", "--name", "/app/db/host", "--with-decryption", "--output", "json", "--query", "Parameter.Name", "--no-with-decryption"}},

	// Deletes.
	{args: []string{"ssm", "delete-parameter", "--name", "/app/db/port"}},
	{args: []string{"ssm", "delete-parameter", "--name", "/app/db/port"}},
	{args: []string{"ssm", "delete-parameters", "--names", "/app/db/replicas", "/app/web/banner", "/nope"}},
	{args: []string{"ssm", "delete-parameters", "--names", "/app/db/key", "--output", "text"}},
	{args: []string{"ssm", "get-parameters-by-path", "--path", "/app", "--recursive", "--query", "Parameters[].Name"}},
	{args: []string{"ssm", "describe-parameters", "--query", "Parameters[].[Name,Type,Version]", "--output", "table"}},
}

// Every SSM Parameter Store operation the simulator answers, through the AWS CLI v1, v2 and
// awsx.
func TestParitySSMSession(t *testing.T) {
	t.Parallel()
	compareSession(t, ssmSession, nil)
}
