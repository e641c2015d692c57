package sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// Replication and the configurations kept by ID: checked, kept, answered, listed, removed.
func TestS3StoredConfigurations(t *testing.T) {
	t.Parallel()
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		c := b.Open(t)
		client := s3Client(t, c, "path")
		ctx := context.Background()
		for _, name := range []string{"repl-source", "repl-target"} {
			mustBucket(t, client, name)
		}
		_, err := client.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String("repl-source")})
		wantS3Error(t, err, "ReplicationConfigurationNotFoundError", 404)
		repl := &s3.PutBucketReplicationInput{Bucket: aws.String("repl-source"), ReplicationConfiguration: &s3types.ReplicationConfiguration{
			Role: aws.String("arn:aws:iam::123456789012:role/replication"),
			Rules: []s3types.ReplicationRule{{ID: aws.String("all"), Status: "Enabled", Priority: aws.Int32(1), Filter: &s3types.ReplicationRuleFilter{},
				DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: "Disabled"},
				Destination:             &s3types.Destination{Bucket: aws.String("arn:aws:s3:::repl-target"), StorageClass: "STANDARD_IA"}}}}}
		_, err = client.PutBucketReplication(ctx, repl)
		wantS3Error(t, err, "InvalidRequest", 400) // versioning is off
		for _, name := range []string{"repl-source", "repl-target"} {
			if _, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: "Enabled"}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := client.PutBucketReplication(ctx, repl); err != nil {
			t.Fatal(err)
		}
		got, err := client.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String("repl-source")})
		if err != nil || aws.ToString(got.ReplicationConfiguration.Role) != "arn:aws:iam::123456789012:role/replication" ||
			len(got.ReplicationConfiguration.Rules) != 1 || got.ReplicationConfiguration.Rules[0].Destination.StorageClass != "STANDARD_IA" {
			t.Errorf("GetBucketReplication = %+v, %v", got, err)
		}
		if _, err := client.DeleteBucketReplication(ctx, &s3.DeleteBucketReplicationInput{Bucket: aws.String("repl-source")}); err != nil {
			t.Fatal(err)
		}

		// Metrics configurations, by ID, listed in order.
		for _, id := range []string{"b-metrics", "a-metrics"} {
			if _, err := client.PutBucketMetricsConfiguration(ctx, &s3.PutBucketMetricsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String(id),
				MetricsConfiguration: &s3types.MetricsConfiguration{Id: aws.String(id), Filter: &s3types.MetricsFilterMemberPrefix{Value: "logs/"}}}); err != nil {
				t.Fatal(err)
			}
		}
		c.Diverges(t, conformance.Moto, "moto takes a configuration whose Id is not the query's id")
		_, err = client.PutBucketMetricsConfiguration(ctx, &s3.PutBucketMetricsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("x"),
			MetricsConfiguration: &s3types.MetricsConfiguration{Id: aws.String("y")}})
		wantS3Error(t, err, "InvalidArgument", 400)
		m, err := client.GetBucketMetricsConfiguration(ctx, &s3.GetBucketMetricsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("a-metrics")})
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := m.MetricsConfiguration.Filter.(*s3types.MetricsFilterMemberPrefix); !ok || p.Value != "logs/" {
			t.Errorf("GetBucketMetricsConfiguration filter = %#v", m.MetricsConfiguration.Filter)
		}
		list, err := client.ListBucketMetricsConfigurations(ctx, &s3.ListBucketMetricsConfigurationsInput{Bucket: aws.String("repl-source")})
		if err != nil || len(list.MetricsConfigurationList) != 2 || aws.ToString(list.MetricsConfigurationList[0].Id) != "a-metrics" || aws.ToBool(list.IsTruncated) {
			t.Errorf("ListBucketMetricsConfigurations = %+v, %v", list, err)
		}
		if _, err := client.DeleteBucketMetricsConfiguration(ctx, &s3.DeleteBucketMetricsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("a-metrics")}); err != nil {
			t.Fatal(err)
		}
		_, err = client.GetBucketMetricsConfiguration(ctx, &s3.GetBucketMetricsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("a-metrics")})
		wantS3Error(t, err, "NoSuchConfiguration", 404)

		// An inventory is checked for its parts; Intelligent-Tiering for its days.
		inv := &s3types.InventoryConfiguration{Id: aws.String("weekly"), IsEnabled: aws.Bool(true), IncludedObjectVersions: "Current",
			Schedule:    &s3types.InventorySchedule{Frequency: "Weekly"},
			Destination: &s3types.InventoryDestination{S3BucketDestination: &s3types.InventoryS3BucketDestination{Bucket: aws.String("arn:aws:s3:::repl-target"), Format: "CSV"}}}
		if _, err := client.PutBucketInventoryConfiguration(ctx, &s3.PutBucketInventoryConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("weekly"), InventoryConfiguration: inv}); err != nil {
			t.Fatal(err)
		}
		gi, err := client.GetBucketInventoryConfiguration(ctx, &s3.GetBucketInventoryConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("weekly")})
		if err != nil || gi.InventoryConfiguration.Schedule.Frequency != "Weekly" || gi.InventoryConfiguration.Destination.S3BucketDestination.Format != "CSV" {
			t.Errorf("GetBucketInventoryConfiguration = %+v, %v", gi, err)
		}
		_, err = client.PutBucketIntelligentTieringConfiguration(ctx, &s3.PutBucketIntelligentTieringConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("cold"),
			IntelligentTieringConfiguration: &s3types.IntelligentTieringConfiguration{Id: aws.String("cold"), Status: "Enabled",
				Tierings: []s3types.Tiering{{AccessTier: "ARCHIVE_ACCESS", Days: aws.Int32(10)}}}})
		wantS3Error(t, err, "InvalidArgument", 400)
		if _, err := client.PutBucketAnalyticsConfiguration(ctx, &s3.PutBucketAnalyticsConfigurationInput{Bucket: aws.String("repl-source"), Id: aws.String("usage"),
			AnalyticsConfiguration: &s3types.AnalyticsConfiguration{Id: aws.String("usage"), StorageClassAnalysis: &s3types.StorageClassAnalysis{}}}); err != nil {
			t.Fatal(err)
		}
		la, err := client.ListBucketAnalyticsConfigurations(ctx, &s3.ListBucketAnalyticsConfigurationsInput{Bucket: aws.String("repl-source")})
		if err != nil || len(la.AnalyticsConfigurationList) != 1 {
			t.Errorf("ListBucketAnalyticsConfigurations = %+v, %v", la, err)
		}
	})
}
