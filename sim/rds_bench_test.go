package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// BenchmarkRDSDescribeDBInstances lists 10 MySQL instances, as alex: the awsQuery codec of the
// schema-based SDK (query.FromSchema) on both sides of the door, beside the floor.
func BenchmarkRDSDescribeDBInstances(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := rds.NewFromConfig(c.Config())
	for i := range 10 {
		if _, err := client.CreateDBInstance(ctx, mysqlInput(fmt.Sprintf("db-%d", i), "", "")); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := rds.NewFromConfig(cfg).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
		if err == nil && len(out.DBInstances) != 10 {
			err = fmt.Errorf("%d instances, want 10", len(out.DBInstances))
		}
		return err
	})
}
