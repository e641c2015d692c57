package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// decodeOrdered parses JSON into the data Value makes.
func decodeOrdered(t *testing.T, b []byte) any {
	t.Helper()
	v, err := DecodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// goldenFormats are the formats each testdata input has a golden of.
var goldenFormats = []string{"json", "text", "table", "yaml", "yaml-stream"}

// The goldens under testdata are the AWS CLI v2's own formatters' output for each input
// (TestGoldensAreTheAWSCLIs checks them); a format without a golden is one the AWS CLI fails
// on, and Write must fail too.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.in.json")
	if len(inputs) == 0 {
		t.Fatal("no testdata")
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".in.json")
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range goldenFormats {
			t.Run(name+"/"+format, func(t *testing.T) {
				var got bytes.Buffer
				err := Write(&got, format, decodeOrdered(t, b), "Golden")
				want, rerr := os.ReadFile(filepath.Join("testdata", name+"."+format+".golden"))
				if os.IsNotExist(rerr) {
					if err == nil {
						t.Fatalf("Write succeeded where the AWS CLI fails:\n%s", got.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != string(want) {
					t.Errorf("got\n%s\nwant\n%s", got.String(), want)
				}
			})
		}
	}
}

// pyFormatter reads a JSON list of [format, title, path] jobs on stdin and prints a JSON list
// of what the AWS CLI v2's formatter printed for each, or null where it failed.
const pyFormatter = `
import io, json, sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.formatter import JSONFormatter, TextFormatter, TableFormatter, YAMLFormatter, StreamedYAMLFormatter
class Args:
    query = None
    color = 'off'
formatters = {'json': JSONFormatter, 'text': TextFormatter, 'table': TableFormatter,
    'yaml': YAMLFormatter, 'yaml-stream': StreamedYAMLFormatter}
out = []
for fmt, title, path in json.load(sys.stdin):
    s = io.StringIO()
    try:
        formatters[fmt](Args())(title, json.load(open(path)), s)
        out.append(s.getvalue())
    except Exception:
        out.append(None)
json.dump(out, sys.stdout)
`

// awsFormat runs the AWS CLI v2's formatters, in one process, on jobs of [format, title,
// path]; a nil answer is the formatter's failure.
func awsFormat(t *testing.T, jobs [][3]string) []*string {
	t.Helper()
	in, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", "-c", pyFormatter)
	cmd.Stdin = bytes.NewReader(in)
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var out []*string
	if err := json.Unmarshal(b, &out); err != nil || len(out) != len(jobs) {
		t.Fatalf("the formatters' answer %.200q: %v", b, err)
	}
	return out
}

// TestGoldensAreTheAWSCLIs runs the AWS CLI v2's formatters (Debian's awscli, on the system
// Python) over the inputs and compares with the goldens.
func TestGoldensAreTheAWSCLIs(t *testing.T) {
	skipWithoutFormatters(t)
	inputs, _ := filepath.Glob("testdata/*.in.json")
	var jobs [][3]string
	for _, in := range inputs {
		for _, format := range goldenFormats {
			jobs = append(jobs, [3]string{format, "Golden", in})
		}
	}
	for i, out := range awsFormat(t, jobs) {
		format, in := jobs[i][0], jobs[i][2]
		golden := strings.TrimSuffix(in, ".in.json") + "." + format + ".golden"
		want, rerr := os.ReadFile(golden)
		switch {
		case out == nil && os.IsNotExist(rerr):
		case out == nil:
			t.Errorf("%s: the AWS CLI fails but %s exists", in, golden)
		case rerr != nil:
			t.Errorf("%s: %v; the AWS CLI prints:\n%s", in, rerr, *out)
		case *out != string(want):
			t.Errorf("%s differs from the AWS CLI's:\n%s", golden, *out)
		}
	}
}

// skipWithoutFormatters skips the test in -short mode or on a machine without the AWS CLI v2.
func skipWithoutFormatters(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the AWS CLI's formatters: not in -short mode")
	}
	if exec.Command("/usr/bin/python3", "-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import awscli.formatter").Run() != nil {
		t.Skip("the AWS CLI v2's formatters are not on this machine (apt-get install awscli)")
	}
}

// TestYAMLMatchesAWSCLI is a differential test of the yaml emitter: random strings, as values
// and as keys, dumped by the AWS CLI v2's YAML formatter and by Write.
func TestYAMLMatchesAWSCLI(t *testing.T) {
	skipWithoutFormatters(t)
	alphabet := []rune("aaaaaaaaaaaaaaabbbbbbbbbcc            --::##''\"\n\n\t,[]{}?!&*|>%@`0123456789.eE+_~=<é☃😀\u2028\r\\\x07\u00a0\ufeff")
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		rs := make([]rune, rng.IntN(120))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(rs)
	}
	data := &Map{}
	for i := range 400 {
		data.Set(fmt.Sprintf("k%03d", i), []any{word(), NewMap(word(), word())})
	}
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out := awsFormat(t, [][3]string{{"yaml", "Golden", in}})[0]
	if out == nil {
		t.Fatal("the AWS CLI's yaml formatter fails")
	}
	want := *out
	var got bytes.Buffer
	if err := Write(&got, "yaml", data, "Golden"); err != nil {
		t.Fatal(err)
	}
	gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("line %d differs:\nawsx: %q\naws:  %q", i+1, gl[i], wl[i])
		}
	}
	if len(gl) != len(wl) {
		t.Fatalf("awsx printed %d lines, the AWS CLI %d", len(gl), len(wl))
	}
}
