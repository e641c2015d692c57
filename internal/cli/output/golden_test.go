package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// decodeOrdered parses JSON into the data Value makes: *Map in document order, int64 for
// numbers without a fraction or exponent, float64 for the others.
func decodeOrdered(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var read func() any
	read = func() any {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case json.Delim:
			if x == '{' {
				m := &Map{}
				for dec.More() {
					k, _ := dec.Token()
					m.Set(k.(string), read())
				}
				dec.Token()
				return m
			}
			l := []any{}
			for dec.More() {
				l = append(l, read())
			}
			dec.Token()
			return l
		case json.Number:
			if i, err := x.Int64(); err == nil && !strings.ContainsAny(x.String(), ".eE") {
				return i
			}
			f, _ := x.Float64()
			return f
		}
		return tok
	}
	return read()
}

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
		for _, format := range []string{"json", "text", "table"} {
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
from awscli.formatter import JSONFormatter, TextFormatter, TableFormatter
class Args:
    query = None
    color = 'off'
fmt, title, path = sys.argv[1:4]
data = json.load(open(path))
s = io.StringIO()
{'json': JSONFormatter, 'text': TextFormatter, 'table': TableFormatter}[fmt](Args())(title, data, s)
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
		for _, format := range []string{"json", "text", "table"} {
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
