package s3cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The ARNs an s3:// path may name instead of a bucket (awscli/customizations/s3/utils.py).
var (
	accessPointPath = regexp.MustCompile(`^(?P<bucket>arn:(aws).*:s3:[a-z\-0-9]*:[0-9]{12}:accesspoint[:/][^/]+)/?(?P<key>.*)$`)
	outpostPath     = regexp.MustCompile(`^(?P<bucket>arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>.*)$`)
	outpostBucket   = regexp.MustCompile(`^(?P<bucket>arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]bucket[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>.*)$`)
	objectLambda    = regexp.MustCompile(`^(?P<bucket>arn:(aws).*:s3-object-lambda:[a-z\-0-9]+:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-]{1,63})[/:]?(?P<key>.*)$`)
)

// paramError is the AWS CLI's ParamValidationError: printed on its own, exit 252.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

// runtimeError is a Python exception the AWS CLI lets through: printed on its own, exit 255.
type runtimeError struct{ msg string }

func (e *runtimeError) Error() string { return e.msg }

// checkSupported refuses the resources the s3 commands do not take.
func checkSupported(path string) error {
	if objectLambda.MatchString(path) {
		return &paramError{"s3 commands do not support S3 Object Lambda resources. Use s3api commands instead."}
	}
	if outpostBucket.MatchString(path) {
		return &paramError{"s3 commands do not support Outpost Bucket ARNs. Use s3control commands instead."}
	}
	return nil
}

// FindBucketKey splits "bucket/key" (no s3:// in front) as the AWS CLI does: at the first
// slash, or after an access point's ARN.
func FindBucketKey(path string) (bucket, key string, err error) {
	if err := checkSupported(path); err != nil {
		return "", "", err
	}
	for _, re := range []*regexp.Regexp{accessPointPath, outpostPath} {
		if m := re.FindStringSubmatch(path); m != nil {
			return m[re.SubexpIndex("bucket")], m[re.SubexpIndex("key")], nil
		}
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key, nil
}

// SplitS3Path is FindBucketKey of a path with or without s3:// in front.
func SplitS3Path(path string) (bucket, key string, err error) {
	return FindBucketKey(strings.TrimPrefix(path, "s3://"))
}

// pathKind is where a path is: "s3" or "local".
func pathKind(path string) (kind, rest string) {
	if rest, ok := strings.CutPrefix(path, "s3://"); ok {
		return "s3", rest
	}
	return "local", path
}

// location is one side of a transfer as FileFormat leaves it: an absolute local path or
// "bucket/key", ending with the separator when names are appended to it.
type location struct {
	path, kind string
}

// formatted is the AWS CLI's FileFormat result: the source and destination, whether the
// operation is on a directory, and whether destinations take the source's names.
type formatted struct {
	src, dest  location
	dirOp      bool
	useSrcName bool
}

// formatPaths is FileFormat.format: src and dest as the command line gave them (s3://… or
// local, relative to dir).
func formatPaths(src, dest string, dirOp bool, dir string) formatted {
	sk, sp := pathKind(src)
	dk, dp := pathKind(dest)
	f := formatted{dirOp: dirOp}
	f.src = location{formatPath(sk, sp, dirOp, dir), sk}
	dp, f.useSrcName = formatPathUse(dk, dp, dirOp, dir)
	f.dest = location{dp, dk}
	return f
}

func formatPath(kind, p string, dirOp bool, dir string) string {
	p, _ = formatPathUse(kind, p, dirOp, dir)
	return p
}

// formatPathUse is local_format and s3_format: the path, and whether it takes the source's
// name (it names a directory or a prefix).
func formatPathUse(kind, p string, dirOp bool, dir string) (string, bool) {
	if kind == "s3" {
		if dirOp {
			if !strings.HasSuffix(p, "/") {
				p += "/"
			}
			return p, true
		}
		return p, strings.HasSuffix(p, "/")
	}
	full := absPath(dir, p)
	if fi, err := os.Stat(full); (err == nil && fi.IsDir()) || dirOp {
		return full + string(os.PathSeparator), true
	}
	if strings.HasSuffix(p, string(os.PathSeparator)) {
		return full + string(os.PathSeparator), true
	}
	return full, false
}

// absPath is Python's os.path.abspath relative to dir: joined and normalised, without
// resolving symbolic links; "" is dir.
func absPath(dir, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// destPath is find_dest_path_comp_key: the destination of the source file or object
// srcPath, and its compare key (its path below the source, with slashes).
func destPath(f formatted, srcPath string) (dest, compareKey string) {
	srcSep, destSep := sepOf(f.src.kind), sepOf(f.dest.kind)
	var rel string
	if f.dirOp {
		rel = srcPath[min(len(f.src.path), len(srcPath)):]
	} else {
		parts := strings.Split(srcPath, srcSep)
		rel = parts[len(parts)-1]
	}
	compareKey = strings.ReplaceAll(rel, srcSep, "/")
	dest = f.dest.path
	if f.useSrcName {
		dest += strings.ReplaceAll(rel, srcSep, destSep)
	}
	return dest, compareKey
}

func sepOf(kind string) string {
	if kind == "s3" {
		return "/"
	}
	return string(os.PathSeparator)
}

// relativePath is the AWS CLI's relative_path: the directory relative to dir, joined with
// the name, so a file in dir is "./name".
func relativePath(p, dir string) string {
	d, name := filepath.Split(p)
	if d == "" {
		d = "."
	}
	rel, err := filepath.Rel(dir, absPath(dir, d))
	if err != nil {
		return absPath(dir, p)
	}
	return pyJoin(rel, name)
}

// pyJoin is posixpath.join of two parts: b as it is when absolute, else a/b.
func pyJoin(a, b string) string {
	switch {
	case strings.HasPrefix(b, "/"):
		return b
	case a == "" || strings.HasSuffix(a, "/"):
		return a + b
	}
	return a + "/" + b
}
