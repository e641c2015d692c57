package s3cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/s3x"
)

// A fileStat is one file or object a transfer command found: the AWS CLI's FileStat.
type fileStat struct {
	src, dest        string // a local file's absolute path, or an object's "bucket/key"
	compareKey       string // its path below the source, with slashes: what sync compares
	size             int64
	sizeKnown        bool
	lastUpdate       time.Time
	srcKind, dstKind string // "local" or "s3"
	op               string // upload, download, copy or delete
	storageClass     string // an object's, from its listing or HeadObject
	restore          string
	head             *s3.HeadObjectOutput // a single object's, for copy properties
}

// transfer is one run of cp, mv, rm or sync.
type transfer struct {
	name            string
	a               *args
	env             *Env
	client, srcCl   *s3.Client
	dirOp, isMove   bool
	isStream        bool
	pathsType       string
	src, dest       string
	onlyShowErrors  bool
	pageSize        int32
	followSymlinks  bool
	printer         *printer
	multipartThresh int64
	chunkSize       int64
}

const (
	defaultThreshold = 8 << 20 // multipart_threshold: the AWS CLI's default
	defaultChunk     = 8 << 20 // multipart_chunksize
	maxConcurrency   = 10      // max_concurrent_requests
	maxUploadSize    = 5 << 40
)

// runTransfer runs cp, mv, rm or sync (name) as the AWS CLI's CommandArchitecture does:
// paths checked, the source listed, filtered, compared with the destination for sync, and
// each file or object transferred, with a line printed for each result.
func runTransfer(ctx context.Context, c *s3.Client, env *Env, name, usage string, a *args) (int, error) {
	t := &transfer{name: name, a: a, env: env, client: c, srcCl: c, isMove: name == "mv",
		followSymlinks: !a.has("no-follow-symlinks"), multipartThresh: defaultThreshold, chunkSize: defaultChunk}
	t.dirOp = a.has("recursive") || name == "sync"
	paths := append([]string{}, a.paths...)
	var kinds string
	for _, p := range paths {
		k, _ := pathKind(p)
		kinds += k
	}
	allowed := map[string][]string{"s3s3": {"cp", "sync", "mv"}, "s3local": {"cp", "sync", "mv"}, "locals3": {"cp", "sync", "mv"}, "s3": {"rm"}}
	if !contains(allowed[kinds], name) {
		return 0, &paramError{fmt.Sprintf("usage: aws s3 %s %s\nError: Invalid argument type", name, usage)}
	}
	t.pathsType = kinds
	for i, p := range paths {
		if rest, ok := strings.CutPrefix(p, "s3://"); ok {
			_, key, err := FindBucketKey(rest)
			if err != nil {
				return 0, err
			}
			if key == "" && !strings.HasSuffix(p, "/") {
				paths[i] = p + "/"
			}
		}
	}
	t.src, t.dest = paths[0], paths[len(paths)-1]
	if t.src == "-" || t.dest == "-" {
		if name != "cp" || t.dirOp {
			return 0, &paramError{"Streaming currently is only compatible with non-recursive cp commands"}
		}
		t.isStream, t.dirOp, t.onlyShowErrors = true, false, true
	}
	if name == "mv" && kinds == "s3s3" && samePath(t.src, t.dest) {
		return 0, &paramError{fmt.Sprintf("Cannot mv a file onto itself: '%s' - '%s'", t.src, t.dest)}
	}
	switch {
	case kinds == "locals3" && !t.isStream:
		if _, err := os.Lstat(absPath(env.Dir, t.src)); err != nil {
			if _, err := os.Stat(absPath(env.Dir, t.src)); err != nil {
				return 0, &runtimeError{fmt.Sprintf("The user-provided path %s does not exist.", t.src)}
			}
		}
	case kinds == "s3local" && t.dirOp:
		d := absPath(env.Dir, t.dest)
		if _, err := os.Stat(d); err != nil {
			if err := os.MkdirAll(d, 0o777); err != nil {
				return 0, &runtimeError{params.PyOSError(err, t.dest)}
			}
		}
	}
	if err := t.checkSSEC(); err != nil {
		return 0, err
	}
	var err error
	if t.pageSize, err = pageSize(a); err != nil {
		return 0, err
	}
	if r := a.get("source-region"); r != "" {
		t.srcCl = s3.New(c.Options(), func(o *s3.Options) { o.Region = r })
	}
	if a.has("only-show-errors") {
		t.onlyShowErrors = true
	}
	t.printer = newPrinter(env, t.printMode())
	return t.run(ctx), nil
}

// samePath is the AWS CLI's check that mv would move an object onto itself.
func samePath(src, dest string) bool {
	if src == dest {
		return true
	}
	if strings.HasSuffix(dest, "/") {
		return src == pyJoin(dest, src[strings.LastIndexByte(src, '/')+1:])
	}
	return false
}

func (t *transfer) checkSSEC() error {
	for _, p := range [][2]string{{"sse-c", "sse-c-key"}, {"sse-c-copy-source", "sse-c-copy-source-key"}} {
		if t.a.get(p[0]) != "" && t.a.get(p[1]) == "" {
			return &paramError{fmt.Sprintf("If --%s is specified, --%s must be specified as well.", p[0], p[1])}
		}
		if t.a.get(p[1]) != "" && t.a.get(p[0]) == "" {
			return &paramError{fmt.Sprintf("If --%s is specified, --%s must be specified as well.", p[1], p[0])}
		}
	}
	if t.a.get("sse-c-copy-source") != "" && t.pathsType != "s3s3" {
		return &paramError{"--sse-c-copy-source is only supported for copy operations."}
	}
	return nil
}

// printMode is the result printer the parameters choose (s3handler.py).
func (t *transfer) printMode() printMode {
	switch {
	case t.a.has("quiet"):
		return printNothing
	case t.onlyShowErrors:
		return printErrors
	case t.a.has("no-progress") || !t.env.Terminal:
		return printResults
	}
	return printProgress
}

// operation is what the command does to each file: the AWS CLI's cmd_translation.
func (t *transfer) operation() string {
	return map[string]string{"locals3": "upload", "s3s3": "copy", "s3local": "download", "s3": "delete"}[t.pathsType]
}

// run lists, filters, compares and transfers, and returns the exit code: 1 when a transfer
// or the listing failed, 2 when there were warnings.
func (t *transfer) run(ctx context.Context) int {
	pool := newPool(ctx, t.printer)
	err := t.submitAll(ctx, pool)
	t.printer.allQueued()
	pool.wait()
	if err != nil {
		t.printer.fatal(err)
	}
	t.printer.finish()
	switch {
	case t.printer.failed > 0:
		return 1
	case t.printer.warned > 0:
		return 2
	}
	return 0
}

func (t *transfer) submitAll(ctx context.Context, pool *pool) error {
	op := t.operation()
	files := formatPaths(t.src, t.dest, t.dirOp, t.env.Dir)
	if t.isStream {
		dest, key := destPath(files, files.src.path)
		f := &fileStat{src: files.src.path, dest: dest, compareKey: key, srcKind: files.src.kind, dstKind: files.dest.kind, op: op}
		if op == "upload" {
			f.src = "-"
		}
		t.submit(ctx, pool, f)
		return nil
	}
	flt := newFilter(t.a.filters, t.src, t.dest, t.dirOp, t.env.Dir)
	srcFiles, err := t.generate(ctx, pool, files, op, flt)
	if t.name != "sync" {
		for _, f := range srcFiles {
			t.submit(ctx, pool, f)
		}
		return err
	}
	if err != nil {
		return err
	}
	rev := formatPaths(t.dest, t.src, t.dirOp, t.env.Dir)
	destFiles, err := t.generate(ctx, pool, rev, "", flt)
	if err != nil {
		return err
	}
	for _, f := range t.compare(srcFiles, destFiles) {
		t.submit(ctx, pool, f)
	}
	return nil
}

// generate lists the source of files (FileGenerator) and keeps what the filter passes;
// warnings go to the pool in order.
func (t *transfer) generate(ctx context.Context, pool *pool, files formatted, op string, flt *s3x.Filter) ([]*fileStat, error) {
	var out []*fileStat
	add := func(src string, f *fileStat) {
		f.src, f.srcKind, f.dstKind, f.op = src, files.src.kind, files.dest.kind, op
		f.dest, f.compareKey = destPath(files, src)
		if flt.Keep(f.src, f.srcKind == "local") {
			out = append(out, f)
		}
	}
	if files.src.kind == "local" {
		t.listFiles(pool, files.src.path, files.dirOp, add)
		return out, nil
	}
	err := t.listObjects(ctx, files.src.path, files.dirOp, op, add)
	return out, err
}

// listFiles is FileGenerator.list_files: the file, or the directory's files depth first in
// the order an S3 listing of the same keys has.
func (t *transfer) listFiles(pool *pool, path string, dirOp bool, add func(string, *fileStat)) {
	if t.ignore(pool, path) {
		return
	}
	if !dirOp {
		if f := t.stat(pool, path); f != nil {
			add(path, f)
		}
		return
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		p := filepath.Join(path, e.Name())
		if t.ignore(pool, p) {
			continue
		}
		name := e.Name()
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			name += string(os.PathSeparator)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := pyJoin(path, name)
		if strings.HasSuffix(name, string(os.PathSeparator)) {
			t.listFiles(pool, p, dirOp, add)
		} else if f := t.stat(pool, p); f != nil {
			add(p, f)
		}
	}
}

// ignore is should_ignore_file: a symbolic link when they are not followed, or a file that
// warrants a warning (missing, special or unreadable), which it queues.
func (t *transfer) ignore(pool *pool, path string) bool {
	if !t.followSymlinks {
		p := path
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && strings.HasSuffix(p, string(os.PathSeparator)) {
			p = p[:len(p)-1]
		}
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return true
		}
	}
	return t.warnFile(pool, path)
}

func (t *transfer) warnFile(pool *pool, path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		pool.warn(skipWarning(path, "File does not exist."))
		return true
	}
	if m := fi.Mode(); m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
		pool.warn(skipWarning(path, "File is character special device, block special device, FIFO, or socket."))
		return true
	}
	readable := true
	if fi.IsDir() {
		if _, err := os.ReadDir(path); err != nil {
			readable = false
		}
	} else if f, err := os.Open(path); err != nil {
		readable = false
	} else {
		f.Close()
	}
	if !readable {
		pool.warn(skipWarning(path, "File/Directory is not readable."))
		return true
	}
	return false
}

func (t *transfer) stat(pool *pool, path string) *fileStat {
	fi, err := os.Stat(path)
	if err != nil {
		t.warnFile(pool, path)
		return nil
	}
	return &fileStat{size: fi.Size(), sizeKnown: true, lastUpdate: fi.ModTime().Round(time.Microsecond)}
}

func skipWarning(path, msg string) string {
	return "warning: Skipping file " + path + ". " + msg
}

// listObjects is FileGenerator.list_objects: one object (its HeadObject, unless it is to be
// deleted) or the objects under a prefix, without the zero-byte "directory" keys unless
// deleting.
func (t *transfer) listObjects(ctx context.Context, s3Path string, dirOp bool, op string, add func(string, *fileStat)) error {
	bucket, prefix, err := FindBucketKey(s3Path)
	if err != nil {
		return err
	}
	if !dirOp && prefix != "" {
		if op == "delete" {
			add(s3Path, &fileStat{})
			return nil
		}
		in := &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(prefix)}
		t.headParams(in)
		out, err := t.srcCl.HeadObject(ctx, in)
		if err != nil {
			if code, _, ok := errorCode("HeadObject", err); ok && code == "404" {
				return &serviceError{op: "HeadObject", code: "404", msg: fmt.Sprintf("Key \"%s\" does not exist", prefix)}
			}
			return err
		}
		add(s3Path, &fileStat{size: aws.ToInt64(out.ContentLength), sizeKnown: true, lastUpdate: aws.ToTime(out.LastModified),
			storageClass: string(out.StorageClass), restore: aws.ToString(out.Restore), head: out})
		return nil
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
	if p := t.a.get("request-payer"); p != "" {
		in.RequestPayer = types.RequestPayer(p)
	}
	cl := t.srcCl
	if op == "" {
		cl = t.client // the destination's listing, for sync
	}
	return listObjects(ctx, cl, in, t.pageSize, func(page *s3.ListObjectsV2Output) error {
		for _, o := range page.Contents {
			src := bucket + "/" + aws.ToString(o.Key)
			size := aws.ToInt64(o.Size)
			switch {
			case size == 0 && strings.HasSuffix(src, "/"):
				if op != "delete" {
					continue
				}
			case !dirOp && s3Path != src:
				continue
			}
			add(src, &fileStat{size: size, sizeKnown: true, lastUpdate: aws.ToTime(o.LastModified),
				storageClass: string(o.StorageClass), restore: restoreOf(o)})
		}
		return nil
	})
}

func restoreOf(o types.Object) string {
	if o.RestoreStatus != nil && o.RestoreStatus.IsRestoreInProgress != nil && !*o.RestoreStatus.IsRestoreInProgress {
		return `ongoing-request="false"`
	}
	return ""
}

// headParams adds the SSE-C key and request payer to a HeadObject of the source.
func (t *transfer) headParams(in *s3.HeadObjectInput) {
	alg, key := t.a.get("sse-c"), t.a.get("sse-c-key")
	if t.pathsType == "s3s3" {
		alg, key = t.a.get("sse-c-copy-source"), t.a.get("sse-c-copy-source-key")
	}
	if alg != "" {
		in.SSECustomerAlgorithm, in.SSECustomerKey = aws.String(alg), aws.String(key)
	}
	if p := t.a.get("request-payer"); p != "" {
		in.RequestPayer = types.RequestPayer(p)
	}
}

// serviceError is a service's error with a message the AWS CLI rewrote.
type serviceError struct{ op, code, msg string }

func (e *serviceError) Error() string {
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", e.code, e.op, e.msg)
}

// compare is the AWS CLI's Comparator over the sorted source and destination lists: what
// to copy, and with --delete what to delete.
func (t *transfer) compare(src, dest []*fileStat) []*fileStat {
	var out []*fileStat
	i, j := 0, 0
	for i < len(src) || j < len(dest) {
		switch {
		case i < len(src) && j < len(dest) && src[i].compareKey == dest[j].compareKey:
			if t.shouldSync(src[i], dest[j]) {
				out = append(out, src[i])
			}
			i++
			j++
		case j >= len(dest) || (i < len(src) && src[i].compareKey < dest[j].compareKey):
			out = append(out, src[i]) // missing at the destination
			i++
		default:
			if t.a.has("delete") {
				d := dest[j]
				d.op = "delete"
				out = append(out, d)
			}
			j++
		}
	}
	return out
}

// shouldSync is the sync strategy of a file at both ends: [s3x.Outdated].
func (t *transfer) shouldSync(src, dest *fileStat) bool {
	return s3x.Outdated(s3x.Op(src.op), s3x.Stat{Size: src.size, ModTime: src.lastUpdate}, s3x.Stat{Size: dest.size, ModTime: dest.lastUpdate},
		t.a.has("size-only"), t.a.has("exact-timestamps"))
}

// metadataArg reads --metadata: shorthand key=value,… or a JSON object.
func metadataArg(v string) (map[string]string, error) {
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var m map[string]string
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, &paramError{fmt.Sprintf("Error parsing parameter '--metadata': Invalid JSON: %v\nJSON received: %s", err, v)}
		}
		return m, nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, &paramError{fmt.Sprintf("Error parsing parameter '--metadata': Expected: '=', received: 'EOF' for input:\n%s", v)}
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return m, nil
}
