package sim_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/sim/internal/conformance"
)

func TestS3ListObjects(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "listing")
			keys := []string{"a.txt", "photos/2024/jan.jpg", "photos/2024/feb.jpg", "photos/2025/mar.jpg", "photos/cover.jpg", "z z.txt"}
			for _, k := range keys {
				mustPut(t, client, "listing", k, k)
			}
			all, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing")})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range all.Contents {
				got = append(got, aws.ToString(o.Key))
				if aws.ToInt64(o.Size) != int64(len(aws.ToString(o.Key))) || o.StorageClass != "STANDARD" || o.Owner != nil {
					t.Errorf("entry %+v", o)
				}
			}
			if strings.Join(got, ",") != "a.txt,photos/2024/feb.jpg,photos/2024/jan.jpg,photos/2025/mar.jpg,photos/cover.jpg,z z.txt" ||
				aws.ToInt32(all.KeyCount) != 6 || aws.ToBool(all.IsTruncated) {
				t.Errorf("ListObjectsV2 = %v (%d)", got, aws.ToInt32(all.KeyCount))
			}

			dir, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("photos/"), Delimiter: aws.String("/")})
			if err != nil {
				t.Fatal(err)
			}
			var prefixes []string
			for _, p := range dir.CommonPrefixes {
				prefixes = append(prefixes, aws.ToString(p.Prefix))
			}
			if strings.Join(prefixes, ",") != "photos/2024/,photos/2025/" || len(dir.Contents) != 1 || aws.ToString(dir.Contents[0].Key) != "photos/cover.jpg" {
				t.Errorf("delimited listing: prefixes %v, contents %d", prefixes, len(dir.Contents))
			}

			// Pages of two, with the paginator.
			var pages [][]string
			p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), MaxKeys: aws.Int32(2), FetchOwner: aws.Bool(true)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var ks []string
				for _, o := range page.Contents {
					ks = append(ks, aws.ToString(o.Key))
					if o.Owner == nil || aws.ToString(o.Owner.ID) == "" {
						t.Errorf("fetch-owner: no owner on %s", aws.ToString(o.Key))
					}
				}
				pages = append(pages, ks)
			}
			if fmt.Sprint(pages) != "[[a.txt photos/2024/feb.jpg] [photos/2024/jan.jpg photos/2025/mar.jpg] [photos/cover.jpg z z.txt]]" {
				t.Errorf("pages = %v", pages)
			}
			after, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), StartAfter: aws.String("photos/cover.jpg")})
			if err != nil || len(after.Contents) != 1 || aws.ToString(after.Contents[0].Key) != "z z.txt" {
				t.Errorf("start-after: %v %+v", err, after)
			}
			c.Diverges(t, conformance.Moto, "moto answers a bogus ContinuationToken with a 500")
			_, err = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), ContinuationToken: aws.String("bogus")})
			wantS3Error(t, err, "InvalidArgument", 400)

			// encoding-type=url encodes keys and prefixes.
			enc, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("z"), EncodingType: s3types.EncodingTypeUrl})
			if err != nil || len(enc.Contents) != 1 || aws.ToString(enc.Contents[0].Key) != "z+z.txt" {
				t.Errorf("encoding-type=url: %v %+v", err, enc.Contents)
			}

			// Version 1, with markers.
			v1, err := client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing"), MaxKeys: aws.Int32(2), Delimiter: aws.String("/")})
			if err != nil {
				t.Fatal(err)
			}
			if len(v1.Contents) != 1 || len(v1.CommonPrefixes) != 1 || !aws.ToBool(v1.IsTruncated) || aws.ToString(v1.NextMarker) != "photos/" {
				t.Errorf("ListObjects = %d contents, %d prefixes, truncated %v, next %q", len(v1.Contents), len(v1.CommonPrefixes), aws.ToBool(v1.IsTruncated), aws.ToString(v1.NextMarker))
			}
			v1, err = client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing"), Marker: aws.String("photos/"), Delimiter: aws.String("/")})
			if err != nil || len(v1.Contents) != 1 || aws.ToString(v1.Contents[0].Key) != "z z.txt" || v1.Contents[0].Owner == nil {
				t.Errorf("ListObjects after marker: %v %+v", err, v1)
			}
		})
	})
}

func TestS3DeleteObjects(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "deletions")
			for _, k := range []string{"a", "b", "c"} {
				mustPut(t, client, "deletions", k, k)
			}
			out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("deletions"), Delete: &s3types.Delete{
				Objects: []s3types.ObjectIdentifier{{Key: aws.String("a")}, {Key: aws.String("b")}, {Key: aws.String("never")}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Deleted) != 3 || len(out.Errors) != 0 {
				t.Errorf("DeleteObjects: %d deleted, %d errors", len(out.Deleted), len(out.Errors))
			}
			c.Diverges(t, conformance.Moto, "moto's quiet DeleteObjects lists what it deleted")
			quiet, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("deletions"), Delete: &s3types.Delete{
				Objects: []s3types.ObjectIdentifier{{Key: aws.String("c")}}, Quiet: aws.Bool(true),
			}})
			if err != nil || len(quiet.Deleted) != 0 {
				t.Errorf("quiet DeleteObjects: %v, %d deleted", err, len(quiet.Deleted))
			}
			list, _ := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("deletions")})
			if len(list.Contents) != 0 {
				t.Errorf("%d objects left", len(list.Contents))
			}
		})
	})
}

func TestS3Multipart(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		forEachAddressing(t, b, func(t *testing.T, c *conformance.Account, client *s3.Client) {
			ctx := context.Background()
			mustBucket(t, client, "multipart")
			up, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), ContentType: aws.String("application/x-big")})
			if err != nil {
				t.Fatal(err)
			}
			part1 := strings.Repeat("a", 5<<20)
			part2 := "tail"
			var md5s []byte
			var parts []s3types.CompletedPart
			for i, data := range []string{part1, part2} {
				out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), UploadId: up.UploadId,
					PartNumber: aws.Int32(int32(i + 1)), Body: strings.NewReader(data)})
				if err != nil {
					t.Fatal(err)
				}
				sum := md5.Sum([]byte(data))
				md5s = append(md5s, sum[:]...)
				if aws.ToString(out.ETag) != `"`+hex.EncodeToString(sum[:])+`"` {
					t.Errorf("part %d ETag = %s", i+1, aws.ToString(out.ETag))
				}
				parts = append(parts, s3types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
			}
			lp, err := client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), UploadId: up.UploadId})
			if err != nil || len(lp.Parts) != 2 || aws.ToInt64(lp.Parts[0].Size) != 5<<20 {
				t.Errorf("ListParts: %v %+v", err, lp)
			}
			lu, err := client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multipart")})
			if err != nil || len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != aws.ToString(up.UploadId) {
				t.Errorf("ListMultipartUploads: %v %+v", err, lu)
			}
			c.Diverges(t, conformance.Moto, "moto checks part sizes before their order: parts out of order are EntityTooSmall, not InvalidPartOrder")
			// Out of order, an unknown part, a small part before the last.
			_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), UploadId: up.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{parts[1], parts[0]}}})
			wantS3Error(t, err, "InvalidPartOrder", 400)
			_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), UploadId: up.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(3), ETag: aws.String(`"00"`)}}}})
			wantS3Error(t, err, "InvalidPart", 400)
			small, _ := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small")})
			var sp []s3types.CompletedPart
			for i := range 2 {
				o, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: strings.NewReader("x")})
				if err != nil {
					t.Fatal(err)
				}
				sp = append(sp, s3types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: o.ETag})
			}
			_, err = client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: sp}})
			wantS3Error(t, err, "EntityTooSmall", 400)
			if _, err := client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId}); err != nil {
				t.Fatal(err)
			}
			_, err = client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId})
			wantS3Error(t, err, "NoSuchUpload", 404)

			done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin"), UploadId: up.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
			if err != nil {
				t.Fatal(err)
			}
			whole := md5.Sum(md5s)
			if want := `"` + hex.EncodeToString(whole[:]) + `-2"`; aws.ToString(done.ETag) != want {
				t.Errorf("multipart ETag = %s, want %s", aws.ToString(done.ETag), want)
			}
			get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("multipart"), Key: aws.String("big.bin")})
			if err != nil {
				t.Fatal(err)
			}
			if b := readBody(t, get); b != part1+part2 || aws.ToString(get.ContentType) != "application/x-big" {
				t.Errorf("assembled object: %d bytes, type %s", len(b), aws.ToString(get.ContentType))
			}

			// UploadPartCopy of a range of the object.
			cp, _ := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("copy")})
			pc, err := client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("multipart"), Key: aws.String("copy"), UploadId: cp.UploadId, PartNumber: aws.Int32(1),
				CopySource: aws.String("multipart/big.bin"), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", 5<<20, 5<<20+3))})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("copy"), UploadId: cp.UploadId,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pc.CopyPartResult.ETag}}}}); err != nil {
				t.Fatal(err)
			}
			got, _ := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("multipart"), Key: aws.String("copy")})
			if b := readBody(t, got); b != "tail" {
				t.Errorf("part copy = %q", b)
			}
		})
	})
}
