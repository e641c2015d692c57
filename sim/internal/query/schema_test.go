package query_test

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/awsxlab/awsx/sim/internal/query"
)

// The round trips of every RDS operation through the SDK's client are in TestRoundTrip; these
// tests pin what the schema path adds: names from xmlName traits, required members from the
// validators, the service's identity from its schema, and errors the SDK maps to its types.

func TestSchemaIdentity(t *testing.T) {
	s := rdsCodec
	if s.Name() != "rds" || s.Version() != "2014-10-31" || s.XMLNS() != "http://rds.amazonaws.com/doc/2014-10-31/" || s.Protocol() != query.AWSQuery {
		t.Errorf("got %s %s %s %v", s.Name(), s.Version(), s.XMLNS(), s.Protocol())
	}
	ops, err := s.Operations()
	if err != nil || len(ops) < 150 || !s.HasOperation("CreateDBInstance") || s.HasOperation("NoSuchThing") {
		t.Errorf("Operations() = %d, %v", len(ops), err)
	}
	defer func() {
		if recover() == nil {
			t.Error("FromSchema of a client of the old generation did not panic")
		}
	}()
	query.FromSchema(nil, (*iam.Client)(nil))
}

func TestSchemaDecode(t *testing.T) {
	tests := []struct {
		name string
		form string
		want any
	}{
		{"list member xmlName", "DBSubnetGroupName=g&DBSubnetGroupDescription=d&SubnetIds.SubnetIdentifier.1=subnet-1&SubnetIds.SubnetIdentifier.2=subnet-2&Tags.Tag.1.Key=k&Tags.Tag.1.Value=v",
			&rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("g"), DBSubnetGroupDescription: aws.String("d"),
				SubnetIds: []string{"subnet-1", "subnet-2"}, Tags: []rdstypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}},
		{"filters", "Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=mysql&MaxRecords=20&Marker=m",
			&rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("engine"), Values: []string{"mysql"}}}, MaxRecords: aws.Int32(20), Marker: aws.String("m")}},
		{"empty list", "Filters=",
			&rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{}}},
		{"timestamp", "DBInstanceIdentifier=a&StartTime=2024-01-02T03:04:05.123Z",
			&rds.DescribeDBLogFilesInput{DBInstanceIdentifier: aws.String("a")}},
		{"booleans and integers", "DBInstanceIdentifier=db&ApplyImmediately=true&AllocatedStorage=30&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1",
			&rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("db"), ApplyImmediately: aws.Bool(true), AllocatedStorage: aws.Int32(30), VpcSecurityGroupIds: []string{"sg-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			got := reflect.New(reflect.TypeOf(tt.want).Elem())
			if err := rdsCodec.Decode(f, got.Interface()); err != nil {
				t.Fatalf("Decode(%q): %v", tt.form, err)
			}
			if d := diff(reflect.ValueOf(tt.want), got, "in", eqOpts{}); d != "" {
				t.Errorf("Decode(%q): %s", tt.form, d)
			}
		})
	}
}

func TestSchemaDecodeBadInput(t *testing.T) {
	tests := []struct {
		name, form, code, message string
		in                        any
	}{
		{"missing required", "Action=CreateDBSubnetGroup&DBSubnetGroupName=g", "ValidationError",
			"2 validation errors detected: Value null at 'dBSubnetGroupDescription' failed to satisfy constraint: Member must not be null; Value null at 'subnetIds'",
			&rds.CreateDBSubnetGroupInput{}},
		{"nested required", "Filters.Filter.1.Name=engine", "ValidationError", "Value null at 'filters.1.Filter.values'",
			&rds.DescribeDBInstancesInput{}},
		{"bad integer", "MaxRecords=many", "InvalidParameterValue", "Invalid value 'many' for parameter MaxRecords: expected a 32-bit integer",
			&rds.DescribeDBInstancesInput{}},
		{"bad boolean", "DBInstanceIdentifier=d&SkipFinalSnapshot=maybe", "InvalidParameterValue", "SkipFinalSnapshot",
			&rds.DeleteDBInstanceInput{}},
		{"bad index", "ResourceName=a&TagKeys.member.x=k", "InvalidQueryParameter", "TagKeys.member.x",
			&rds.RemoveTagsFromResourceInput{}},
		{"the generic member name is not RDS's", "DBInstanceIdentifier=d&VpcSecurityGroupIds.member.1=sg-1", "", "",
			&rds.ModifyDBInstanceInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := url.ParseQuery(tt.form)
			err := rdsCodec.Decode(f, tt.in)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Decode(%q) = %v", tt.form, err)
				}
				return
			}
			var qe *query.Error
			if !errors.As(err, &qe) || string(qe.Code) != tt.code || !strings.Contains(qe.Message, tt.message) {
				t.Fatalf("Decode(%q) = %v, want %s containing %q", tt.form, err, tt.code, tt.message)
			}
		})
	}
	if got := (&rds.ModifyDBInstanceInput{}); rdsCodec.Decode(url.Values{"DBInstanceIdentifier": {"d"}, "VpcSecurityGroupIds.member.1": {"sg-1"}}, got) != nil || got.VpcSecurityGroupIds != nil {
		t.Errorf("VpcSecurityGroupIds.member.1 decoded as %v; awsQuery passes over names it does not know", got.VpcSecurityGroupIds)
	}
}

// TestSchemaEncode checks AWS's element names in what EncodeResult writes (the SDK's reader
// ignores list member names, so the round trip alone would not catch them) and that the SDK
// reads the document back.
func TestSchemaEncode(t *testing.T) {
	created := time.Date(2024, 1, 2, 3, 4, 5, 678000000, time.UTC)
	out := &rds.CreateDBSubnetGroupOutput{DBSubnetGroup: &rdstypes.DBSubnetGroup{
		DBSubnetGroupName: aws.String("g"),
		Subnets: []rdstypes.Subnet{{SubnetIdentifier: aws.String("subnet-1"),
			SubnetAvailabilityZone: &rdstypes.AvailabilityZone{Name: aws.String("us-east-1a")}}},
		SupportedNetworkTypes: []string{"IPV4"},
	}}
	b, err := rdsCodec.EncodeResult(nil, "CreateDBSubnetGroup", out, "req-1")
	if err != nil {
		t.Fatal(err)
	}
	want := `<CreateDBSubnetGroupResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><CreateDBSubnetGroupResult><DBSubnetGroup>`
	for _, w := range []string{want, "<Subnets><Subnet><SubnetAvailabilityZone><Name>us-east-1a</Name></SubnetAvailabilityZone><SubnetIdentifier>subnet-1</SubnetIdentifier></Subnet></Subnets>",
		"<SupportedNetworkTypes><member>IPV4</member></SupportedNetworkTypes>",
		"</CreateDBSubnetGroupResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateDBSubnetGroupResponse>"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("EncodeResult lacks %s:\n%s", w, b)
		}
	}
	// Timestamps with milliseconds, as RDS writes them.
	b, err = rdsCodec.EncodeResult(nil, "DescribeDBInstances", &rds.DescribeDBInstancesOutput{DBInstances: []rdstypes.DBInstance{{InstanceCreateTime: &created}}}, "r")
	if err != nil || !strings.Contains(string(b), "<DBInstances><DBInstance><InstanceCreateTime>2024-01-02T03:04:05.678Z</InstanceCreateTime></DBInstance></DBInstances>") {
		t.Errorf("EncodeResult = %s, %v", b, err)
	}
	// An operation without output answers its metadata only.
	b, err = rdsCodec.EncodeResult(nil, "DeleteDBSubnetGroup", &rds.DeleteDBSubnetGroupOutput{}, "r-2")
	if err != nil || string(b) != `<DeleteDBSubnetGroupResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DeleteDBSubnetGroupResponse>` {
		t.Errorf("EncodeResult = %s, %v", b, err)
	}
	if _, err := rdsCodec.EncodeResult(nil, "DeleteDBSubnetGroup", &rds.CreateDBSubnetGroupOutput{}, "r"); err == nil {
		t.Error("EncodeResult of the wrong output type: no error")
	}
	if err := rdsCodec.Decode(url.Values{}, &iam.GetUserInput{}); err == nil {
		t.Error("rds Decode into an IAM input: no error")
	}
}

// TestSchemaEncodeError: the SDK maps a modeled error's code to its type (through the
// awsQueryError trait), reads the message, and takes the request ID from the header.
func TestSchemaEncodeError(t *testing.T) {
	tests := []struct {
		code, msg string
		status    int
		typed     any
	}{
		{"DBInstanceNotFound", "DBInstance db-1 not found.", 404, new(*rdstypes.DBInstanceNotFoundFault)},
		{"DBSubnetGroupAlreadyExists", "The DB subnet group 'g' already exists & <is> here.", 400, new(*rdstypes.DBSubnetGroupAlreadyExistsFault)},
		{"InvalidParameterCombination", "No value & no default.", 400, nil},
		{"ValidationError", "1 validation error detected", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			body := rdsCodec.EncodeError(nil, tt.code, tt.msg, "req-7", true)
			c := rds.NewFromConfig(testConfig(&transport{status: tt.status, resp: body, reqID: "req-7"}))
			_, err := c.DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.code || ae.ErrorMessage() != tt.msg {
				t.Fatalf("SDK error %v (%T); body %s", err, err, body)
			}
			if tt.typed != nil && !errors.As(err, tt.typed) {
				t.Errorf("SDK error %T is not %T", ae, tt.typed)
			}
			if !strings.Contains(err.Error(), "req-7") {
				t.Errorf("SDK error %q lacks the request ID", err)
			}
		})
	}
}

// TestSTSTimestampsToTheSecond: STS, of the schema-based generation since service/sts v1.52,
// keeps its identity and writes a session's Expiration to the second, as STS does (the
// AssumeRole example of its API reference), where RDS writes milliseconds; the SDK reads it.
func TestSTSTimestampsToTheSecond(t *testing.T) {
	s := query.STS
	if s.Name() != "sts" || s.Version() != "2011-06-15" || s.XMLNS() != "https://sts.amazonaws.com/doc/2011-06-15/" || s.Protocol() != query.AWSQuery {
		t.Errorf("got %s %s %s %v", s.Name(), s.Version(), s.XMLNS(), s.Protocol())
	}
	exp := time.Date(2019, 11, 9, 13, 34, 41, 359000000, time.UTC)
	out := &sts.GetSessionTokenOutput{Credentials: &ststypes.Credentials{AccessKeyId: aws.String("ASIAX"), SecretAccessKey: aws.String("s"),
		SessionToken: aws.String("t"), Expiration: &exp}}
	b, err := s.EncodeResult(nil, "GetSessionToken", out, "req-1")
	if err != nil || !strings.Contains(string(b), "<Expiration>2019-11-09T13:34:41Z</Expiration>") {
		t.Fatalf("EncodeResult = %s, %v", b, err)
	}
	c := sts.NewFromConfig(testConfig(&transport{status: 200, resp: b, reqID: "req-1"}))
	got, err := c.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	if err != nil || got.Credentials == nil || !got.Credentials.Expiration.Equal(exp.Truncate(time.Second)) {
		t.Errorf("SDK read %+v, %v", got, err)
	}
}
