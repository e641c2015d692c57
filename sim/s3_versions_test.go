package sim_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// versionList is a ListObjectVersions page as "key@id" (versions) and "key#id" (delete
// markers), and its common prefixes.
func versionList(out *s3.ListObjectVersionsOutput) (entries, prefixes []string) {
	for _, v := range out.Versions {
		entries = append(entries, aws.ToString(v.Key)+"@"+aws.ToString(v.VersionId))
	}
	for _, m := range out.DeleteMarkers {
		entries = append(entries, aws.ToString(m.Key)+"#"+aws.ToString(m.VersionId))
	}
	for _, p := range out.CommonPrefixes {
		prefixes = append(prefixes, aws.ToString(p.Prefix))
	}
	return entries, prefixes
}

// TestS3ListObjectVersionsPaging walks a bucket of many versions and delete markers with
// the SDK's paginator at several page sizes, with and without a prefix and delimiter, and
// finds every entry once, in S3's order; and pins the markers of a page cut within a key.
func TestS3ListObjectVersionsPaging(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		client := s3Client(t, c, "path")
		mustBucket(t, client, "history")
		mustPut(t, client, "history", "a.txt", "before versioning") // a "null" version
		if _, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("history"),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
			t.Fatal(err)
		}
		keys := []string{"a.txt", "b.txt", "dir/x", "dir/y", "dir/sub/z", "logs/1", "logs/2", "z.txt"}
		for round := range 3 {
			for i, k := range keys {
				if (i+round)%4 == 3 {
					if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("history"), Key: aws.String(k)}); err != nil {
						t.Fatal(err)
					}
					continue
				}
				mustPut(t, client, "history", k, fmt.Sprint(k, round))
			}
		}
		// Many versions of one key, so that pages end within it.
		for i := range 25 {
			mustPut(t, client, "history", "hot", fmt.Sprint(i))
		}

		for _, q := range []struct{ prefix, delimiter string }{{"", ""}, {"", "/"}, {"dir/", ""}, {"dir/", "/"}, {"logs/", ""}} {
			whole, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"),
				Prefix: aws.String(q.prefix), Delimiter: aws.String(q.delimiter)})
			if err != nil || aws.ToBool(whole.IsTruncated) {
				t.Fatalf("one page: %v", err)
			}
			wantEntries, wantPrefixes := versionList(whole)
			if q.prefix == "" && q.delimiter == "" && len(wantEntries) != 3*len(keys)+1+25 {
				t.Fatalf("%d entries, want %d", len(wantEntries), 3*len(keys)+1+25)
			}
			for _, size := range []int32{1, 2, 3, 7, 1000} {
				p := s3.NewListObjectVersionsPaginator(client, &s3.ListObjectVersionsInput{Bucket: aws.String("history"),
					Prefix: aws.String(q.prefix), Delimiter: aws.String(q.delimiter), MaxKeys: aws.Int32(size)})
				var gotEntries, gotPrefixes []string
				pages := 0
				for p.HasMorePages() {
					page, err := p.NextPage(ctx)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					e, pr := versionList(page)
					if n := len(e) + len(pr); n > int(size) || n < int(size) && aws.ToBool(page.IsTruncated) {
						t.Fatalf("prefix %q delimiter %q size %d: a page of %d entries, truncated %v", q.prefix, q.delimiter, size, n, aws.ToBool(page.IsTruncated))
					}
					gotEntries, gotPrefixes = append(gotEntries, e...), append(gotPrefixes, pr...)
					if pages > 200 {
						t.Fatal("the paginator does not end")
					}
				}
				if strings.Join(slices.Sorted(slices.Values(gotEntries)), ",") != strings.Join(slices.Sorted(slices.Values(wantEntries)), ",") || strings.Join(gotPrefixes, ",") != strings.Join(wantPrefixes, ",") {
					t.Errorf("prefix %q delimiter %q pages of %d:\n got %v %v\nwant %v %v", q.prefix, q.delimiter, size, gotEntries, gotPrefixes, wantEntries, wantPrefixes)
				}
			}
		}

		// A page cut within "hot": its markers name the last version given; the next page
		// starts with the version after it.
		first, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), KeyMarker: aws.String("dir/y"), MaxKeys: aws.Int32(4)})
		if err != nil {
			t.Fatal(err)
		}
		if !aws.ToBool(first.IsTruncated) || aws.ToString(first.NextKeyMarker) != "hot" || len(first.Versions) != 4 ||
			aws.ToString(first.NextVersionIdMarker) != aws.ToString(first.Versions[3].VersionId) || aws.ToString(first.KeyMarker) != "dir/y" {
			t.Fatalf("first page: truncated %v, next %q %q, %d versions", aws.ToBool(first.IsTruncated), aws.ToString(first.NextKeyMarker), aws.ToString(first.NextVersionIdMarker), len(first.Versions))
		}
		if !aws.ToBool(first.Versions[0].IsLatest) || aws.ToBool(first.Versions[1].IsLatest) {
			t.Errorf("the newest version of hot is first and latest")
		}
		second, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), MaxKeys: aws.Int32(1),
			KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker})
		if err != nil || len(second.Versions) != 1 || aws.ToString(second.VersionIdMarker) != aws.ToString(first.NextVersionIdMarker) {
			t.Fatalf("second page: %v", err)
		}
		whole, _ := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), Prefix: aws.String("hot")})
		if aws.ToString(second.Versions[0].VersionId) != aws.ToString(whole.Versions[4].VersionId) {
			t.Errorf("the second page starts at %s, want the fifth version of hot", aws.ToString(second.Versions[0].VersionId))
		}
		// The "null" version of a.txt is a marker like any other.
		nul, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), KeyMarker: aws.String("a.txt"), VersionIdMarker: aws.String("null")})
		if e, _ := versionList(nul); err != nil || len(e) != 3*len(keys)+25-3 || strings.Join(e, ",") == "" || strings.HasPrefix(slices.Min(e), "a.txt") {
			t.Errorf("after a.txt's null version: %v %v", e, err)
		}
		// A common prefix ends a page with NextKeyMarker alone.
		dirs, err := client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), Delimiter: aws.String("/"), KeyMarker: aws.String("b.txt"), MaxKeys: aws.Int32(1)})
		if err != nil || aws.ToString(dirs.NextKeyMarker) != "dir/" || dirs.NextVersionIdMarker != nil || len(dirs.CommonPrefixes) != 1 {
			t.Errorf("a page ending in a prefix: next %q %v, %v", aws.ToString(dirs.NextKeyMarker), dirs.NextVersionIdMarker, err)
		}

		_, err = client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), VersionIdMarker: aws.String("null")})
		wantS3Error(t, err, "InvalidArgument", 400)
		_, err = client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("history"), MaxKeys: aws.Int32(-1)})
		wantS3Error(t, err, "InvalidArgument", 400)
	})
}
