package s3x

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// An Op is what a transfer does to one file or object.
type Op string

// The operations of a transfer, named as the AWS CLI prints them.
const (
	OpUpload   Op = "upload"   // a local file to S3
	OpDownload Op = "download" // an object to a local file
	OpCopy     Op = "copy"     // an object to another (the AWS CLI's; s3x's helpers make none)
	OpDelete   Op = "delete"   // a file or object at the destination that the source lacks
)

// A Stat is what sync compares of a file or object found at both ends: its size and its
// modification time (a file's mtime, an object's LastModified).
type Stat struct {
	Size    int64
	ModTime time.Time
}

// Outdated reports whether `aws s3 sync` transfers a file that exists at both ends, src
// being the source's and dest the destination's: when the sizes differ, or else when the
// times say so — an upload or copy when the source is newer than the destination; a
// download only when the local file is newer than the object (its time is set to the
// object's when downloaded), or with exactTimestamps when the times differ at all.
// sizeOnly compares the sizes alone (exactTimestamps wins over it).
func Outdated(op Op, src, dest Stat, sizeOnly, exactTimestamps bool) bool {
	if src.Size != dest.Size {
		return true
	}
	if sizeOnly && !exactTimestamps {
		return false
	}
	delta := dest.ModTime.Sub(src.ModTime)
	switch op {
	case OpUpload, OpCopy:
		return delta < 0
	case OpDownload:
		if exactTimestamps {
			return delta != 0
		}
		return delta > 0
	}
	return false
}

// SyncOptions tunes [Sync], [UploadDir] and [DownloadDir].
type SyncOptions struct {
	// Delete deletes at the destination what the source lacks (sync's --delete); files
	// the rules exclude are not deleted.
	Delete bool
	// SizeOnly compares sizes only (--size-only); ExactTimestamps makes a download of an
	// object whose time differs from the file's at all (--exact-timestamps).
	SizeOnly, ExactTimestamps bool
	// Rules are --exclude and --include rules, in order: see [Filter].
	Rules []Rule
	// Concurrency is how many files are transferred at once; 0 means 10 (the AWS CLI's
	// max_concurrent_requests).
	Concurrency int
	// DryRun reports what would be done and does nothing (--dryrun).
	DryRun bool
	// Progress, when set, is called after each file is transferred or deleted (or fails),
	// one call at a time.
	Progress func(Progress)
	// File tunes each file's transfer (part size, request parameters…).
	File []func(*FileOptions)
	// ClientOptions tune every request (for example the region of the bucket).
	ClientOptions []func(*s3.Options)
}

// Progress is one file done, as [SyncOptions.Progress] reports it.
type Progress struct {
	Transfer
	Err error // nil when it was done
	// Files and Bytes are the files done so far (this one included), of TotalFiles and
	// TotalBytes to do.
	Files, TotalFiles int
	Bytes, TotalBytes int64
}

// A Transfer is one file or object a transfer handled.
type Transfer struct {
	Op   Op
	Src  string // a local path or s3://bucket/key
	Dest string // the same; "" for a delete
	Size int64
}

// A Report is what a transfer did: each file done, in the order of their keys.
type Report struct {
	Transfers []Transfer
	Bytes     int64 // bytes transferred
	Skipped   int   // files at both ends that sync found up to date
}

// Count returns how many transfers were op.
func (r *Report) Count(op Op) int {
	n := 0
	for _, t := range r.Transfers {
		if t.Op == op {
			n++
		}
	}
	return n
}

// location is one end of a transfer: a local directory or an S3 prefix.
type location struct {
	local          bool
	dir            string // absolute
	bucket, prefix string // the prefix empty or ending in "/"
}

func parseLocation(p string) (location, error) {
	if rest, ok := strings.CutPrefix(p, "s3://"); ok {
		bucket, prefix, _ := strings.Cut(rest, "/")
		if bucket == "" {
			return location{}, fmt.Errorf("s3x: %q names no bucket", p)
		}
		if prefix != "" && !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		return location{bucket: bucket, prefix: prefix}, nil
	}
	if p == "" {
		return location{}, errors.New(`s3x: an empty path; want a directory or s3://bucket/prefix`)
	}
	dir, err := filepath.Abs(p)
	if err != nil {
		return location{}, fmt.Errorf("s3x: %q: %w", p, err)
	}
	return location{local: true, dir: dir}, nil
}

func (l location) String() string {
	if l.local {
		return l.dir
	}
	return "s3://" + l.bucket + "/" + l.prefix
}

// root is the location as the AWS CLI's filter joins patterns to it.
func (l location) root() string {
	if l.local {
		return l.dir
	}
	return l.bucket + "/" + l.prefix
}

// name is the full name of the file or object at rel below the location.
func (l location) name(rel string) string {
	if l.local {
		return filepath.Join(l.dir, filepath.FromSlash(rel))
	}
	return "s3://" + l.bucket + "/" + l.prefix + rel
}

// entry is a file or object found, by its path below the location (with slashes).
type entry struct {
	Stat
	rel string
}

// Sync makes dest hold what src holds, as `aws s3 sync SRC DEST` does: one end a local
// directory, the other an S3 prefix ("s3://bucket/prefix"). A file missing at the
// destination, or [Outdated] there, is transferred; with o.Delete what the source lacks is
// deleted (objects in batches of 1,000 with DeleteObjects). Zero-byte "folder" objects
// (keys ending in "/") are not files. A re-run transfers nothing that is up to date, so Sync
// is safe to run again after a failure: it picks up where it stopped.
//
// Files are transferred [SyncOptions.Concurrency] at a time with [UploadFile] and
// [DownloadFile]; a file that fails does not stop the others, and the error joins each
// failure's. Copies between buckets are not supported.
//
// On AWS, a sync lists both ends (a ListObjectsV2 request per 1,000 objects) and makes a
// request per file (more for a multipart one); requests and stored bytes are billed, bytes
// downloaded to the internet too.
func Sync(ctx context.Context, c API, src, dest string, optFns ...func(*SyncOptions)) (*Report, error) {
	return transfer(ctx, c, src, dest, true, optFns)
}

// UploadDir uploads every file below dir to bucket under prefix, as `aws s3 cp --recursive
// DIR s3://BUCKET/PREFIX` does: each file, whatever is at the destination, with its content
// type ([ContentType]). o.Delete, o.SizeOnly and o.ExactTimestamps are [Sync]'s, and an
// error here.
func UploadDir(ctx context.Context, c API, dir, bucket, prefix string, optFns ...func(*SyncOptions)) (*Report, error) {
	return transfer(ctx, c, dir, "s3://"+bucket+"/"+prefix, false, optFns)
}

// DownloadDir downloads every object under prefix of bucket into dir, as `aws s3 cp
// --recursive s3://BUCKET/PREFIX DIR` does, each to the path of its key below the prefix;
// a key that would land outside dir ("../x") fails. Options as [UploadDir].
func DownloadDir(ctx context.Context, c API, bucket, prefix, dir string, optFns ...func(*SyncOptions)) (*Report, error) {
	return transfer(ctx, c, "s3://"+bucket+"/"+prefix, dir, false, optFns)
}

func transfer(ctx context.Context, c API, srcPath, destPath string, sync bool, optFns []func(*SyncOptions)) (*Report, error) {
	var o SyncOptions
	for _, f := range optFns {
		f(&o)
	}
	what := "sync"
	if !sync {
		what = "copy"
		if o.Delete || o.SizeOnly || o.ExactTimestamps {
			return nil, fmt.Errorf("s3x: copy %s to %s: Delete, SizeOnly and ExactTimestamps are Sync's options", srcPath, destPath)
		}
	}
	src, err := parseLocation(srcPath)
	if err != nil {
		return nil, err
	}
	dest, err := parseLocation(destPath)
	if err != nil {
		return nil, err
	}
	if src.local == dest.local {
		return nil, fmt.Errorf("s3x: %s %s to %s: one end must be local and the other s3://; copies between buckets or directories are not supported", what, srcPath, destPath)
	}
	op := OpUpload
	if !src.local {
		op = OpDownload
	}
	flt := NewFilter(o.Rules, src.root(), dest.root())
	srcFiles, err := list(ctx, c, src, flt, true, o.ClientOptions)
	if err != nil {
		return nil, fmt.Errorf("s3x: %s %s to %s: %w", what, srcPath, destPath, err)
	}
	var destFiles map[string]entry
	if sync {
		m, err := list(ctx, c, dest, flt, false, o.ClientOptions)
		if err != nil {
			return nil, fmt.Errorf("s3x: %s %s to %s: %w", what, srcPath, destPath, err)
		}
		destFiles = make(map[string]entry, len(m))
		for _, e := range m {
			destFiles[e.rel] = e
		}
	}
	report := &Report{}
	var todo []Transfer
	var mtimes = map[string]time.Time{}
	seen := make(map[string]bool, len(srcFiles))
	for _, e := range srcFiles {
		seen[e.rel] = true
		if d, ok := destFiles[e.rel]; ok && !Outdated(op, e.Stat, d.Stat, o.SizeOnly, o.ExactTimestamps) {
			report.Skipped++
			continue
		}
		t := Transfer{Op: op, Src: src.name(e.rel), Dest: dest.name(e.rel), Size: e.Size}
		todo = append(todo, t)
		mtimes[t.Src] = e.ModTime
	}
	var deletes []Transfer
	if o.Delete {
		rels := make([]string, 0, len(destFiles))
		for rel := range destFiles {
			if !seen[rel] {
				rels = append(rels, rel)
			}
		}
		sort.Strings(rels)
		for _, rel := range rels {
			deletes = append(deletes, Transfer{Op: OpDelete, Src: dest.name(rel), Size: destFiles[rel].Size})
		}
	}
	r := &runner{o: o, report: report, total: len(todo) + len(deletes)}
	for _, t := range todo {
		r.totalBytes += t.Size
	}
	if o.DryRun {
		report.Transfers = append(append(report.Transfers, todo...), deletes...)
		return report, nil
	}
	r.run(ctx, todo, func(ctx context.Context, t Transfer) error {
		fileOpts := append(append([]func(*FileOptions){}, o.File...), func(fo *FileOptions) {
			fo.ClientOptions = append(fo.ClientOptions, o.ClientOptions...)
			if t.Op == OpDownload && fo.ModTime.IsZero() {
				fo.ModTime = mtimes[t.Src]
			}
		})
		if t.Op == OpDownload {
			bucket, key := splitS3(t.Src)
			rel := strings.TrimPrefix(key, src.prefix)
			if !filepath.IsLocal(filepath.FromSlash(rel)) {
				return fmt.Errorf("s3x: download %s: its key leads outside %s", t.Src, dest.dir)
			}
			return DownloadFile(ctx, c, bucket, key, t.Dest, fileOpts...)
		}
		bucket, key := splitS3(t.Dest)
		return UploadFile(ctx, c, t.Src, bucket, key, fileOpts...)
	})
	if len(deletes) > 0 {
		if dest.local {
			r.run(ctx, deletes, func(ctx context.Context, t Transfer) error {
				if err := os.Remove(t.Src); err != nil {
					return fmt.Errorf("s3x: delete %s: %w", t.Src, err)
				}
				return nil
			})
		} else {
			r.deleteObjects(ctx, c, dest.bucket, deletes, o.ClientOptions)
		}
	}
	sort.SliceStable(report.Transfers, func(i, j int) bool {
		if (report.Transfers[i].Op == OpDelete) != (report.Transfers[j].Op == OpDelete) {
			return report.Transfers[j].Op == OpDelete
		}
		return report.Transfers[i].Src < report.Transfers[j].Src
	})
	if len(r.errs) > 0 {
		return report, fmt.Errorf("s3x: %s %s to %s: %d of %d failed: %w", what, srcPath, destPath, len(r.errs), r.total, errors.Join(r.errs...))
	}
	return report, nil
}

func splitS3(name string) (bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(name, "s3://"), "/")
	return bucket, key
}

// list lists the files or objects below the location that the filter keeps, sorted by
// their paths. A missing local directory is an error at the source, empty at the
// destination.
func list(ctx context.Context, c API, l location, flt *Filter, isSrc bool, opts []func(*s3.Options)) ([]entry, error) {
	var out []entry
	if l.local {
		fi, err := os.Stat(l.dir)
		if err != nil || !fi.IsDir() {
			if !isSrc && errors.Is(err, fs.ErrNotExist) {
				return nil, nil
			}
			if err == nil {
				err = errors.New("not a directory")
			}
			return nil, fmt.Errorf("%s: %w", l.dir, err)
		}
		err = walk(l.dir, "", func(path, rel string, fi fs.FileInfo) {
			if flt.Keep(path, true) {
				out = append(out, entry{rel: rel, Stat: Stat{Size: fi.Size(), ModTime: fi.ModTime().Round(time.Microsecond)}})
			}
		})
		sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
		return out, err
	}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(l.bucket), Prefix: aws.String(l.prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, opts...)
		if err != nil {
			return nil, err
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			size := aws.ToInt64(obj.Size)
			if size == 0 && strings.HasSuffix(key, "/") {
				continue // a "folder"
			}
			if flt.Keep(l.bucket+"/"+key, false) {
				out = append(out, entry{rel: strings.TrimPrefix(key, l.prefix), Stat: Stat{Size: size, ModTime: aws.ToTime(obj.LastModified)}})
			}
		}
	}
	return out, nil
}

// walk calls fn for each regular file below dir, following symbolic links (as the AWS CLI
// does by default) but not into a directory it is already in.
func walk(dir, rel string, fn func(path, rel string, fi fs.FileInfo)) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		r := e.Name()
		if rel != "" {
			r = rel + "/" + e.Name()
		}
		fi, err := os.Stat(path) // follows links
		if err != nil {
			continue // a dangling link
		}
		switch {
		case fi.IsDir():
			if e.Type()&fs.ModeSymlink != 0 {
				if target, err := filepath.EvalSymlinks(path); err == nil && (strings.HasPrefix(dir+string(os.PathSeparator), target+string(os.PathSeparator))) {
					continue // a loop
				}
			}
			if err := walk(path, r, fn); err != nil {
				return err
			}
		case fi.Mode().IsRegular():
			fn(path, r, fi)
		}
	}
	return nil
}

// runner runs a transfer's files, Concurrency at a time, and reports them.
type runner struct {
	o                 SyncOptions
	mu                sync.Mutex
	report            *Report
	errs              []error
	total, done       int
	totalBytes, bytes int64
}

func (r *runner) finish(t Transfer, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	if err != nil {
		r.errs = append(r.errs, err)
	} else {
		r.report.Transfers = append(r.report.Transfers, t)
		if t.Op != OpDelete {
			r.bytes += t.Size
			r.report.Bytes += t.Size
		}
	}
	if r.o.Progress != nil {
		r.o.Progress(Progress{Transfer: t, Err: err, Files: r.done, TotalFiles: r.total, Bytes: r.bytes, TotalBytes: r.totalBytes})
	}
}

func (r *runner) run(ctx context.Context, ts []Transfer, fn func(context.Context, Transfer) error) {
	n := r.o.Concurrency
	if n <= 0 {
		n = 10
	}
	work := make(chan Transfer)
	var wg sync.WaitGroup
	for range min(n, len(ts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				err := ctx.Err()
				if err == nil {
					err = fn(ctx, t)
				}
				r.finish(t, err)
			}
		}()
	}
	for _, t := range ts {
		work <- t
	}
	close(work)
	wg.Wait()
}

// deleteObjects deletes the objects in batches of 1,000 (DeleteObjects' most).
func (r *runner) deleteObjects(ctx context.Context, c API, bucket string, ts []Transfer, opts []func(*s3.Options)) {
	for len(ts) > 0 {
		batch := ts[:min(len(ts), 1000)]
		ts = ts[len(batch):]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, t := range batch {
			_, key := splitS3(t.Src)
			ids[i] = types.ObjectIdentifier{Key: aws.String(key)}
		}
		failed, err := deleteBatch(ctx, c, bucket, ids, opts)
		for _, t := range batch {
			_, key := splitS3(t.Src)
			switch {
			case err != nil:
				r.finish(t, err)
			case failed[key] != nil:
				r.finish(t, failed[key])
			default:
				r.finish(t, nil)
			}
		}
	}
}

// deleteBatch deletes up to 1,000 objects or versions with one DeleteObjects, and returns
// the error of each key S3 could not delete.
func deleteBatch(ctx context.Context, c API, bucket string, ids []types.ObjectIdentifier, opts []func(*s3.Options)) (map[string]error, error) {
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
		Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}}, opts...)
	if err != nil {
		return nil, wrap(err, "delete %d objects of %s", len(ids), bucket)
	}
	failed := map[string]error{}
	for _, e := range out.Errors {
		failed[aws.ToString(e.Key)] = &DeleteError{Bucket: bucket, Key: aws.ToString(e.Key), VersionID: aws.ToString(e.VersionId),
			Code: aws.ToString(e.Code), Message: aws.ToString(e.Message)}
	}
	return failed, nil
}

// A DeleteError is one object a DeleteObjects request could not delete, as S3 answered it.
type DeleteError struct {
	Bucket, Key, VersionID string
	Code, Message          string // S3's error code ("AccessDenied") and message
}

func (e *DeleteError) Error() string {
	v := ""
	if e.VersionID != "" {
		v = " version " + e.VersionID
	}
	return fmt.Sprintf("s3x: delete s3://%s/%s%s: %s: %s", e.Bucket, e.Key, v, e.Code, e.Message)
}

// ErrorCode, ErrorMessage and ErrorFault make a DeleteError a smithy.APIError, so that
// callers branch on its code as on any other service error.
func (e *DeleteError) ErrorCode() string { return e.Code }

// ErrorMessage returns S3's message.
func (e *DeleteError) ErrorMessage() string { return e.Message }

// ErrorFault says whose fault the error is: the server's for S3's InternalError.
func (e *DeleteError) ErrorFault() smithy.ErrorFault {
	if e.Code == "InternalError" {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}
