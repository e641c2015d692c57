package query_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// BenchmarkSchemaDecode decodes the form the SDK sends for a typical CreateDBInstance, on the
// plans built from the RDS schemas.
func BenchmarkSchemaDecode(b *testing.B) {
	tr := &transport{status: http.StatusOK}
	tr.resp, _ = rdsCodec.EncodeResult(nil, "CreateDBInstance", nil, "r")
	in := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String("shop-db"), Engine: aws.String("mysql"), DBInstanceClass: aws.String("db.t3.micro"),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("admin"), MasterUserPassword: aws.String("correct-horse-9"),
		DBSubnetGroupName: aws.String("data"), VpcSecurityGroupIds: []string{"sg-0123456789abcdef0"}, MultiAZ: aws.Bool(true),
		Tags: []rdstypes.Tag{{Key: aws.String("env"), Value: aws.String("lab")}, {Key: aws.String("team"), Value: aws.String("shop")}},
	}
	if _, err := rds.NewFromConfig(testConfig(tr)).CreateDBInstance(context.Background(), in); err != nil {
		b.Fatal(err)
	}
	f := form(b, tr.body)
	b.ReportAllocs()
	for b.Loop() {
		if err := rdsCodec.Decode(f, &rds.CreateDBInstanceInput{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchemaEncode writes DescribeDBInstances with 10 instances as RDS's XML.
func BenchmarkSchemaEncode(b *testing.B) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	out := &rds.DescribeDBInstancesOutput{}
	for i := range 10 {
		out.DBInstances = append(out.DBInstances, rdstypes.DBInstance{
			DBInstanceIdentifier: aws.String(fmt.Sprintf("db-%d", i)), Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.41"),
			DBInstanceStatus: aws.String("available"), InstanceCreateTime: &now, AllocatedStorage: aws.Int32(20),
			Endpoint:          &rdstypes.Endpoint{Address: aws.String("db.abcdefghijkl.us-east-1.rds.amazonaws.com"), Port: aws.Int32(3306)},
			VpcSecurityGroups: []rdstypes.VpcSecurityGroupMembership{{VpcSecurityGroupId: aws.String("sg-1"), Status: aws.String("active")}},
			TagList:           []rdstypes.Tag{{Key: aws.String("env"), Value: aws.String("lab")}},
		})
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = rdsCodec.EncodeResult(buf[:0], "DescribeDBInstances", out, "req"); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}
