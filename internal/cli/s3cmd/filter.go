package s3cmd

import (
	"strings"

	"github.com/awsxlab/awsx/s3x"
)

// newFilter is create_filter for the command's formatted source and destination
// (p.src, p.dest as the command line gave them): the rules of [s3x.Filter] joined to the
// source's root and the destination's.
func newFilter(rules []s3x.Rule, src, dest string, dirOp bool, dir string) *s3x.Filter {
	if len(rules) == 0 {
		return nil
	}
	root := func(p string) string {
		if strings.HasPrefix(p, "s3://") {
			bucket, key, _ := SplitS3Path(p)
			if !dirOp && !strings.HasSuffix(key, "/") {
				parts := strings.Split(key, "/")
				key = strings.Join(parts[:len(parts)-1], "/")
			}
			return bucket + "/" + key
		}
		if dirOp {
			return absPath(dir, p)
		}
		return absPath(dir, pyDirname(p))
	}
	return s3x.NewFilter(rules, root(src), root(dest))
}

// pyDirname is posixpath.dirname: everything before the last slash, trailing slashes
// removed unless it is all slashes.
func pyDirname(p string) string {
	i := strings.LastIndexByte(p, '/') + 1
	head := p[:i]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}
