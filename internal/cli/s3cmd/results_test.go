package s3cmd

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// The printers of --quiet, --only-show-errors, --no-progress (or a pipe) and a terminal:
// which lines go where, progress lines and the padding that overwrites them.
func TestPrinterModes(t *testing.T) {
	results := []result{
		{kind: resultSuccess, text: "upload: ./a to s3://b/a", size: 2048},
		{kind: resultWarning, text: "warning: Skipping file /x. File does not exist."},
		{kind: resultFailure, text: "upload failed: ./c to s3://b/c An error occurred (NoSuchBucket) when calling the PutObject operation: no", size: 10},
		{kind: resultDryRun, text: "delete: s3://b/d"},
	}
	progress := regexp.MustCompile(`Completed [^\r]*\r`)
	for _, tc := range []struct {
		mode        printMode
		out, err    string
		hasProgress bool
	}{
		{printNothing, "", "", false},
		{printErrors, "(dryrun) delete: s3://b/d\n", "warning: Skipping file /x. File does not exist.\nupload failed: ./c to s3://b/c An error occurred (NoSuchBucket) when calling the PutObject operation: no\nfatal error: boom\n", false},
		{printResults, "upload: ./a to s3://b/a\n(dryrun) delete: s3://b/d\n", "warning: Skipping file /x. File does not exist.\nupload failed: ./c to s3://b/c An error occurred (NoSuchBucket) when calling the PutObject operation: no\nfatal error: boom\n", false},
		{printProgress, "upload: ./a to s3://b/a\n(dryrun) delete: s3://b/d\n", "warning: Skipping file /x. File does not exist.\nupload failed: ./c to s3://b/c An error occurred (NoSuchBucket) when calling the PutObject operation: no\nfatal error: boom\n", true},
	} {
		var out, errOut bytes.Buffer
		p := newPrinter(&Env{Out: &out, Err: &errOut}, tc.mode)
		p.queued(2048)
		p.queued(10)
		p.allQueued()
		for _, r := range results {
			p.print(r)
		}
		p.fatal(errors.New("boom"))
		p.finish()
		unpad := func(s string) string { // the spaces that overwrite a progress line
			ls := strings.Split(s, "\n")
			for i, l := range ls {
				ls[i] = strings.TrimRight(l, " ")
			}
			return strings.Join(ls, "\n")
		}
		gotOut, gotErr := unpad(progress.ReplaceAllString(out.String(), "")), unpad(errOut.String())
		if gotOut != tc.out || gotErr != tc.err {
			t.Errorf("mode %d: stdout %q, stderr %q\nwant %q, %q", tc.mode, gotOut, gotErr, tc.out, tc.err)
		}
		if has := progress.MatchString(out.String()); has != tc.hasProgress {
			t.Errorf("mode %d: progress lines %v, want %v: %q", tc.mode, has, tc.hasProgress, out.String())
		}
		if p.failed != 2 || p.warned != 1 {
			t.Errorf("mode %d: %d failed, %d warned; want 2 and 1", tc.mode, p.failed, p.warned)
		}
	}
	var out bytes.Buffer
	p := newPrinter(&Env{Out: &out, Err: &out}, printProgress)
	p.queued(3 << 20)
	p.queued(1 << 20)
	p.print(result{kind: resultSuccess, text: "upload: ./big to s3://b/big", size: 3 << 20})
	if !regexp.MustCompile(`^upload: ./big to s3://b/big\nCompleted 3\.0 MiB/~4\.0 MiB \([^)]*/s\) with ~1 file\(s\) remaining \(calculating\.\.\.\)\r$`).MatchString(out.String()) {
		t.Errorf("progress while files are still being found: %q", out.String())
	}
}
