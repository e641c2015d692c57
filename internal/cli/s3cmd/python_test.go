package s3cmd

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/awsxlab/awsx/internal/pycompare"

	"github.com/awsxlab/awsx/s3x"
)

// Keys decoded as botocore's unquote_str (urllib's unquote_plus) decodes them.
func TestUnquotePlusMatchesPython(t *testing.T) {
	in := []string{"", "a", "a+b", "a%20b", "%2B", "%2b", "%", "%2", "%zz", "%e2%82%ac", "%e2%82", "%ff%fe", "a%2Fb/c",
		"100%", "%%41", "+%2B+", "é%C3%A9",
		"%c0%af", "%ed%a0%80", "%f4%90%80%80", "%f0%9f%98", "%80abc", "%e2%28%a1", "%f0%9f%98%80", "%e0%80%80", "%f5"}
	var want []string
	pycompare.Run(t, `
import json, sys
from urllib.parse import unquote_plus
print(json.dumps([unquote_plus(s) for s in json.load(sys.stdin)]))
`, in, &want)
	for i, s := range in {
		if got := UnquotePlus(s); got != want[i] {
			t.Errorf("UnquotePlus(%q) = %q, Python %q", s, got, want[i])
		}
	}
}

// Sizes as the AWS CLI's human_readable_size prints them.
func TestHumanSizeMatchesAWSCLI(t *testing.T) {
	sizes := []int64{0, 1, 2, 1023, 1024, 1025, 1536, 10 << 10, 1048575, 1048576, 1<<20 + 1, 5 << 30, 1<<40 - 1, 1 << 40, 5 << 40, 1 << 50, 1 << 60}
	var want []string
	pycompare.Run(t, `
import json, sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.customizations.s3.utils import human_readable_size
print(json.dumps([human_readable_size(n) for n in json.load(sys.stdin)]))
`, sizes, &want)
	for i, n := range sizes {
		if got := HumanSize(n); got != want[i] {
			t.Errorf("HumanSize(%d) = %q, the AWS CLI %q", n, got, want[i])
		}
	}
}

// Paths split, and filters decided, as the AWS CLI's own functions do.
func TestPathsAndFiltersMatchAWSCLI(t *testing.T) {
	dir := t.TempDir()
	paths := []string{"bucket", "bucket/", "bucket/key", "bucket/dir/key", "bucket//key", "/key", "",
		"arn:aws:s3:us-west-2:123456789012:accesspoint/endpoint/key", "arn:aws:s3:us-west-2:123456789012:accesspoint:ep",
		"arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/ap/key"}
	type split struct{ Bucket, Key string }
	var want []split
	pycompare.Run(t, `
import json, sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.customizations.s3.utils import find_bucket_key
print(json.dumps([dict(zip(('Bucket', 'Key'), find_bucket_key(p))) for p in json.load(sys.stdin)]))
`, paths, &want)
	for i, p := range paths {
		b, k, err := FindBucketKey(p)
		if err != nil || b != want[i].Bucket || k != want[i].Key {
			t.Errorf("FindBucketKey(%q) = %q, %q, %v; the AWS CLI %q, %q", p, b, k, err, want[i].Bucket, want[i].Key)
		}
	}

	type filterCase struct {
		Filters  [][2]string
		Src      string
		Dest     string
		DirOp    bool
		Files    []string
		SrcLocal bool
	}
	local := func(p string) string { return dir + "/" + p }
	cases := []filterCase{
		{Filters: [][2]string{{"--exclude", "*"}, {"--include", "*.json"}}, Src: "src/", Dest: "s3://b/p", DirOp: true, SrcLocal: true,
			Files: []string{local("src/a.txt"), local("src/sub/b.json"), local("src/c.json")}},
		{Filters: [][2]string{{"--exclude", "sub/*"}}, Src: "src", Dest: "s3://b/p/", DirOp: true, SrcLocal: true,
			Files: []string{local("src/a.txt"), local("src/sub/b.json"), local("src/subx/c")}},
		{Filters: [][2]string{{"--exclude", "*.txt"}, {"--include", "keep.txt"}}, Src: "s3://b/dotfiles", Dest: "backup", DirOp: true,
			Files: []string{"b/dotfiles/a.txt", "b/dotfiles/keep.txt", "b/dotfiles/x/keep.txt", "b/dotfiles/y.json"}},
		{Filters: [][2]string{{"--exclude", "*"}, {"--include", "/tmp/*"}}, Src: "s3://b/", Dest: "out", DirOp: true,
			Files: []string{"b/a", "b/tmp/a"}},
		{Filters: [][2]string{{"--include", "*"}, {"--exclude", "a?"}}, Src: "s3://b/k/a1", Dest: "s3://c/", DirOp: false,
			Files: []string{"b/k/a1", "b/k/ab", "b/k/abc"}},
		{Filters: [][2]string{{"--exclude", "*.log"}}, Src: "s3://b/logs/", Dest: "s3://c/old/", DirOp: true,
			Files: []string{"b/logs/x.log", "c/old/y.log", "b/logs/x.txt"}},
		{Filters: [][2]string{{"--exclude", "[a-c]*"}, {"--include", "b*"}}, Src: "f", Dest: "s3://b/", DirOp: false, SrcLocal: true,
			Files: []string{local("a"), local("b"), local("d"), local("sub/a")}},
	}
	var decisions [][]bool
	script := `
import json, os, sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.customizations.s3.filters import create_filter
class F:
    def __init__(self, src, local):
        self.src, self.src_type = src, 'local' if local else 's3'
out = []
for c in json.load(sys.stdin):
    params = {'filters': c['Filters'], 'src': c['Src'], 'dest': c['Dest'], 'dir_op': c['DirOp']}
    f = create_filter(params)
    kept = {x.src for x in f.call([F(p, c['SrcLocal']) for p in c['Files']])}
    out.append([p in kept for p in c['Files']])
print(json.dumps(out))
`
	if testing.Short() {
		t.Skip("runs the AWS CLI's Python: not in -short mode")
	}
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3 to compare with")
	}
	b, _ := json.Marshal(cases)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(string(b))
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(res, &decisions); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		var rules []s3x.Rule
		for _, f := range c.Filters {
			rules = append(rules, s3x.Rule{Include: f[0] == "--include", Pattern: f[1]})
		}
		flt := newFilter(rules, c.Src, c.Dest, c.DirOp, dir)
		kind := "s3"
		if c.SrcLocal {
			kind = "local"
		}
		for j, f := range c.Files {
			if got := flt.Keep(f, kind == "local"); got != decisions[i][j] {
				t.Errorf("case %d %v: keep(%q) = %v, the AWS CLI %v", i, c.Filters, f, got, decisions[i][j])
			}
		}
	}
}
