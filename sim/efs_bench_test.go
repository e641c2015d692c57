package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
)

// BenchmarkEFSDescribeFileSystems lists 10 file systems, as alex: the restJson1 codec of wire
// facts (jsonproto.NewRestFromSerializers) on both sides of the door, beside the floor.
func BenchmarkEFSDescribeFileSystems(b *testing.B) {
	ctx := context.Background()
	c, cfg := benchCloud(b)
	client := efs.NewFromConfig(c.Config())
	for i := range 10 {
		if _, err := client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(fmt.Sprint("fs-", i))}); err != nil {
			b.Fatal(err)
		}
	}
	benchCall(b, c, cfg, func(cfg aws.Config) error {
		out, err := efs.NewFromConfig(cfg).DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
		if err == nil && len(out.FileSystems) != 10 {
			err = fmt.Errorf("%d file systems, want 10", len(out.FileSystems))
		}
		return err
	})
}
