package s3cmd

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// listObjects pages through ListObjectsV2 as botocore's paginator does for the s3
// commands: encoding-type=url asked for and the keys decoded, MaxKeys the page size.
func listObjects(ctx context.Context, c *s3.Client, in *s3.ListObjectsV2Input, pageSize int32, page func(*s3.ListObjectsV2Output) error) error {
	in.EncodingType = types.EncodingTypeUrl
	if pageSize > 0 {
		in.MaxKeys = aws.Int32(pageSize)
	}
	for {
		out, err := c.ListObjectsV2(ctx, in)
		if err != nil {
			return err
		}
		if out.EncodingType == types.EncodingTypeUrl {
			for i := range out.Contents {
				if k := out.Contents[i].Key; k != nil {
					out.Contents[i].Key = aws.String(UnquotePlus(*k))
				}
			}
			for i := range out.CommonPrefixes {
				if p := out.CommonPrefixes[i].Prefix; p != nil {
					out.CommonPrefixes[i].Prefix = aws.String(UnquotePlus(*p))
				}
			}
		}
		if err := page(out); err != nil {
			return err
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextContinuationToken) == "" {
			return nil
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

// pageSize reads --page-size as Python's int() does.
func pageSize(a *args) (int32, error) {
	if !a.has("page-size") {
		return 0, nil
	}
	v := a.get("page-size")
	n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(v, "_", "")), 10, 32)
	if err != nil {
		return 0, &runtimeError{fmt.Sprintf("invalid literal for int() with base 10: '%s'", v)}
	}
	return int32(n), nil
}

// lastModified is the AWS CLI's date of a listing: local time, "2006-01-02 15:04:05".
func lastModified(t time.Time) string {
	return t.In(time.Local).Format("2006-01-02 15:04:05")
}

// HumanSize is the AWS CLI's human_readable_size: "1 Byte", "10 Bytes", "1.0 KiB", …
func HumanSize(n int64) string {
	f := float64(n)
	switch {
	case n == 1:
		return "1 Byte"
	case f < 1024:
		return fmt.Sprintf("%d Bytes", n)
	}
	for i, suffix := range []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"} {
		unit := pow1024(i + 2)
		if pyRound(f/unit*1024) < 1024 {
			return fmt.Sprintf("%.1f %s", 1024*f/unit, suffix)
		}
	}
	return fmt.Sprintf("%.1f EiB", 1024*f/pow1024(7)) // past EiB the AWS CLI prints None
}

func pow1024(n int) float64 {
	f := 1.0
	for range n {
		f *= 1024
	}
	return f
}

// pyRound is Python's round() to an integer: halves to even.
func pyRound(f float64) float64 {
	r := float64(int64(f))
	diff := f - r
	switch {
	case diff > 0.5, diff == 0.5 && int64(r)%2 != 0:
		r++
	}
	return r
}

// lsState is a listing's running totals.
type lsState struct {
	out          io.Writer
	human        bool
	emptyResult  bool
	atFirstPage  bool
	size, number int64
}

func runLs(ctx context.Context, c *s3.Client, env *Env, a *args) (int, error) {
	path := strings.TrimPrefix(a.paths[0], "s3://")
	bucket, key, err := FindBucketKey(path)
	if err != nil {
		return 0, err
	}
	size, err := pageSize(a)
	if err != nil {
		return 0, err
	}
	st := &lsState{out: env.Out, human: a.has("human-readable"), atFirstPage: true}
	switch {
	case bucket == "":
		out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			return 0, err
		}
		for _, b := range out.Buckets {
			fmt.Fprintf(env.Out, "%s %s\n", lastModified(aws.ToTime(b.CreationDate)), aws.ToString(b.Name))
		}
	default:
		in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(key)}
		recursive := a.has("recursive")
		if !recursive {
			in.Delimiter = aws.String("/")
		}
		if a.has("request-payer") {
			in.RequestPayer = types.RequestPayer(a.get("request-payer"))
		}
		if err := listObjects(ctx, c, in, size, func(page *s3.ListObjectsV2Output) error {
			st.page(page, !recursive)
			return nil
		}); err != nil {
			return 0, err
		}
	}
	if a.has("summarize") {
		total := strconv.FormatInt(st.size, 10)
		if st.human {
			total = HumanSize(st.size)
		}
		fmt.Fprintf(env.Out, "\nTotal Objects: %d\n   Total Size: %s\n", st.number, total)
	}
	if key != "" && st.emptyResult && st.atFirstPage {
		return 1, nil // nothing under the prefix the user named
	}
	return 0, nil
}

// page prints one page of a listing as ListCommand._display_page does.
func (st *lsState) page(p *s3.ListObjectsV2Output, basename bool) {
	if len(p.Contents) == 0 && len(p.CommonPrefixes) == 0 {
		st.emptyResult = true
		return
	}
	for _, cp := range p.CommonPrefixes {
		parts := strings.Split(aws.ToString(cp.Prefix), "/")
		name := ""
		if len(parts) >= 2 {
			name = parts[len(parts)-2]
		}
		fmt.Fprintf(st.out, "%30s %s/\n", "PRE", name)
	}
	for _, o := range p.Contents {
		n := aws.ToInt64(o.Size)
		st.size += n
		st.number++
		sz := strconv.FormatInt(n, 10)
		if st.human {
			sz = HumanSize(n)
		}
		name := aws.ToString(o.Key)
		if basename {
			name = name[strings.LastIndexByte(name, '/')+1:]
		}
		fmt.Fprintf(st.out, "%-19s %10s %s\n", lastModified(aws.ToTime(o.LastModified)), sz, name)
	}
	st.atFirstPage = false
}
