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

const pyFormatter = `
import io, json, sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from awscli.formatter import JSONFormatter, TextFormatter, TableFormatter, YAMLFormatter, StreamedYAMLFormatter
class Args:
    query = None
    color = 'off'
fmt, title, path = sys.argv[1:4]
data = json.load(open(path))
s = io.StringIO()
{'json': JSONFormatter, 'text': TextFormatter, 'table': TableFormatter,
 'yaml': YAMLFormatter, 'yaml-stream': StreamedYAMLFormatter}[fmt](Args())(title, data, s)
sys.stdout.write(s.getvalue())
`

// TestGoldensAreTheAWSCLIs runs the AWS CLI v2's formatters (Debian's awscli, on the system
// Python) over the inputs and compares with the goldens.
func TestGoldensAreTheAWSCLIs(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import awscli.formatter").Run() != nil {
		t.Skip("the AWS CLI v2's formatters are not on this machine (apt-get install awscli)")
	}
	inputs, _ := filepath.Glob("testdata/*.in.json")
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".in.json")
		for _, format := range goldenFormats {
			out, err := exec.Command("/usr/bin/python3", "-c", pyFormatter, format, "Golden", in).Output()
			golden := filepath.Join("testdata", name+"."+format+".golden")
			want, rerr := os.ReadFile(golden)
			switch {
			case err != nil && os.IsNotExist(rerr):
			case err != nil:
				t.Errorf("%s: the AWS CLI fails (%v) but %s exists", in, err, golden)
			case rerr != nil:
				t.Errorf("%s: %v; the AWS CLI prints:\n%s", in, rerr, out)
			case string(out) != string(want):
				t.Errorf("%s differs from the AWS CLI's:\n%s", golden, fmt.Sprint(string(out)))
			}
		}
	}
}

// TestYAMLMatchesAWSCLI is a differential test of the yaml emitter: random strings, as values
// and as keys, dumped by the AWS CLI v2's YAML formatter and by Write.
func TestYAMLMatchesAWSCLI(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import awscli.formatter").Run() != nil {
		t.Skip("the AWS CLI v2's formatters are not on this machine (apt-get install awscli)")
	}
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
	want, err := exec.Command("/usr/bin/python3", "-c", pyFormatter, "yaml", "Golden", in).Output()
	if err != nil {
		t.Fatal(err)
	}
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
