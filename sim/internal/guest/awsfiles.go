package guest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// The AWS CLI runs in the simulator's process, whose files are the learner's: every path an
// instance's aws command names is the instance's. awsCmd hands the CLI no path: file:// and
// fileb:// parameters become their contents, `s3 cp` and `s3 mv` of one file stream through
// the CLI's standard streams, and the commands that would read or write a local file some
// other way are refused with the way to do it.

// inline replaces file://PATH and fileb://PATH words (alone or as --name=…) with the
// contents of the instance's file: text for file://, base64 for fileb:// (a blob's inline
// form). It returns the message of a file that cannot be read.
func (c *cmd) inline(args []string) ([]string, string) {
	out := slices.Clone(args)
	for i, a := range out {
		prefix, word := "", a
		if strings.HasPrefix(a, "--") {
			if name, v, ok := strings.Cut(a, "="); ok {
				prefix, word = name+"=", v
			}
		}
		for _, scheme := range []string{"file://", "fileb://"} {
			p, ok := strings.CutPrefix(word, scheme)
			if !ok {
				continue
			}
			data, err := c.read(p)
			if err != nil {
				return nil, fmt.Sprintf("\nError parsing parameter '%s': Unable to load paramfile %s: [Errno 2] %s: '%s'\n", strings.TrimPrefix(c.optionOf(out, i), "--"), word, err, p)
			}
			if scheme == "fileb://" {
				out[i] = prefix + base64.StdEncoding.EncodeToString(data)
			} else {
				out[i] = prefix + string(data)
			}
		}
	}
	return out, ""
}

// optionOf names the option that the word at i is the value of.
func (c *cmd) optionOf(args []string, i int) string {
	if name, _, ok := strings.Cut(args[i], "="); ok && strings.HasPrefix(name, "--") {
		return name
	}
	if i > 0 {
		return args[i-1]
	}
	return ""
}

// s3Flags are the s3 commands' options that take no value.
var s3Flags = map[string]bool{"--recursive": true, "--dryrun": true, "--quiet": true, "--no-progress": true, "--only-show-errors": true,
	"--no-guess-mime-type": true, "--follow-symlinks": true, "--no-follow-symlinks": true, "--delete": true, "--exact-timestamps": true,
	"--size-only": true, "--no-sign-request": true, "--debug": true, "--human-readable": true, "--summarize": true, "--force": true}

// localFiles reports how an aws command line touches the instance's files: ok is false with
// a message when it would in a way the simulator does not carry; for s3 cp and mv of one
// file, op is their plan.
func (c *cmd) localFiles(args []string) (op *s3Copy, refuse string) {
	if len(args) < 2 {
		return nil, ""
	}
	switch args[0] + " " + args[1] {
	case "s3api get-object", "s3api get-object-torrent", "lambda invoke", "s3api put-object", "s3api upload-part",
		"cloudformation package", "cloudformation deploy":
		return nil, fmt.Sprintf("awsx sim: on an instance, `aws %s %s` would read or write a file outside the instance; use `aws s3 cp` between S3 and the instance's files\n", args[0], args[1])
	}
	if args[0] != "s3" || !slices.Contains([]string{"cp", "mv", "sync"}, args[1]) {
		return nil, ""
	}
	var pos []int
	recursive := false
	for i := 2; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--recursive":
			recursive = true
		case strings.HasPrefix(a, "--") && !s3Flags[a] && !strings.Contains(a, "="):
			i++
		case strings.HasPrefix(a, "--"):
		default:
			pos = append(pos, i)
		}
	}
	if len(pos) != 2 {
		return nil, ""
	}
	src, dst := args[pos[0]], args[pos[1]]
	local := func(p string) bool { return !strings.HasPrefix(p, "s3://") && p != "-" }
	if !local(src) && !local(dst) {
		return nil, ""
	}
	if recursive || args[1] == "sync" {
		return nil, "awsx sim: on an instance, aws s3 copies one file at a time between S3 and the instance (cp FILE s3://BUCKET/KEY, cp s3://BUCKET/KEY FILE); sync and --recursive with the instance's directories are not simulated\n"
	}
	return &s3Copy{move: args[1] == "mv", srcAt: pos[0], dstAt: pos[1], upload: local(src)}, ""
}

// s3Copy is an s3 cp or mv of one file between S3 and the instance.
type s3Copy struct {
	move         bool
	upload       bool
	srcAt, dstAt int
}

// copyS3 runs an s3 cp or mv of one file through the CLI's streams: an upload reads the
// instance's file into `cp - s3://…`, a download writes what `cp s3://… -` prints into it.
func (c *cmd) copyS3(call AWSCall, op *s3Copy) int {
	run := c.sh.s.env.AWS
	args := slices.Clone(call.Args)
	src, dst := args[op.srcAt], args[op.dstAt]
	quiet := slices.Contains(args, "--quiet") || slices.Contains(args, "--only-show-errors")
	verb := "upload"
	if !op.upload {
		verb = "download"
	}
	if op.move {
		verb = "move"
	}
	if op.upload {
		data, err := c.read(src)
		if err != nil {
			fmt.Fprintf(c.stderr, "\nThe user-provided path %s does not exist.\n", src)
			return 255
		}
		if strings.HasSuffix(dst, "/") {
			dst += path.Base(src)
			args[op.dstAt] = dst
		}
		args[op.srcAt] = "-"
		args[1] = "cp"
		call.Args, call.Stdin, call.Stdout = args, bytes.NewReader(data), io.Discard
		if code := run(c.ctx, call); code != 0 {
			return code
		}
		if op.move {
			var rerr error
			c.sh.s.update(c.sh.id, func(m *machine) { rerr = m.Files.remove(c.user, c.abs(src), false) })
			if rerr != nil {
				fmt.Fprintf(c.stderr, "move failed: %s to %s %s\n", src, dst, rerr)
				return 1
			}
		}
		if !quiet {
			fmt.Fprintf(c.stdout, "%s: %s to %s\n", verb, src, dst)
		}
		return 0
	}
	var buf bytes.Buffer
	args[op.dstAt] = "-"
	args[1] = "cp"
	call.Args, call.Stdout = args, &limitedBuffer{b: &buf, max: maxDiskBytes}
	if code := run(c.ctx, call); code != 0 {
		return code
	}
	target := c.abs(dst)
	isDir := strings.HasSuffix(dst, "/")
	c.sh.s.view(c.sh.id, func(m *machine) {
		if n, err := m.Files.lookup(c.user, target); err == nil && n.Dir {
			isDir = true
		}
	})
	if isDir {
		target = path.Join(target, path.Base(src))
		dst = path.Join(dst, path.Base(src))
	}
	var werr error
	c.sh.s.update(c.sh.id, func(m *machine) {
		werr = m.Files.write(c.user, target, buf.Bytes(), false, 0o644, c.sh.s.clock.Now())
	})
	if werr != nil {
		fmt.Fprintf(c.stderr, "download failed: %s to %s [Errno 13] %s: '%s'\n", src, dst, werr, dst)
		return 1
	}
	if op.move {
		rm := AWSCall{Instance: call.Instance, Args: []string{"s3", "rm", src, "--quiet"}, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: c.stderr,
			AccessKeyID: call.AccessKeyID, SecretAccessKey: call.SecretAccessKey, SessionToken: call.SessionToken, Region: call.Region}
		if code := run(c.ctx, rm); code != 0 {
			return code
		}
	}
	if !quiet {
		fmt.Fprintf(c.stdout, "%s: %s to %s\n", verb, src, dst)
	}
	return 0
}

// limitedBuffer keeps at most max bytes, and fails past them.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.b.Len()+len(p) > l.max {
		return 0, errNoSpace
	}
	return l.b.Write(p)
}
