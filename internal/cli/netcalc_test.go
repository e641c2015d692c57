package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNetcalcCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want []string // substrings of stdout (or of stderr for failures)
	}{
		{[]string{"netcalc", "describe", "10.0.0.0/24", "--output", "text"}, 0,
			[]string{"10.0.0.0/24", "10.0.0.255", "251", "XXXX XXXX.XXXX XXXX.XXXX XXXX.#### ####", "255.255.255.0"}},
		{[]string{"netcalc", "overlaps", "10.0.0.0/24", "10.1.0.0/24"}, 0, []string{"Overlaps"}},
		{[]string{"netcalc", "split", "172.31.0.0/16", "--bits", "20", "--output", "text"}, 0,
			[]string{"172.31.0.0/20", "172.31.240.0/20"}},
		{[]string{"netcalc", "summarize", "10.0.0.0", "10.0.2.255", "--output", "text"}, 0, []string{"10.0.0.0/23", "10.0.2.0/24"}},
		{[]string{"netcalc", "describe", "10.0.0.1/24"}, exitUsage, []string{`"10.0.0.1/24"`, "10.0.0.0/24"}},
		{[]string{"netcalc", "split", "10.0.0.0/16"}, exitUsage, []string{"--bits or --count"}},
		// --output and --query as every command has them.
		{[]string{"netcalc", "split", "10.0.0.0/16", "--count", "4", "--query", "Subnets[].Cidr", "--output", "text"}, 0,
			[]string{"10.0.0.0/18\t10.0.64.0/18\t10.0.128.0/18\t10.0.192.0/18"}},
		{[]string{"--output", "yaml", "netcalc", "describe", "10.0.0.0/24", "--query", "Blocks[0].AwsUsable"}, 0, []string{"251"}},
		{[]string{"netcalc", "describe", "10.0.0.0/24", "--output", "xml"}, exitUsage, []string{"argument --output: Invalid choice, valid choices are:"}},
		{[]string{"netcalc", "describe", "10.0.0.0/24", "--query", "Blocks[0"}, exitUsage, []string{"Bad value for --query Blocks[0"}},
		{[]string{"netcalc", "describe", "10.0.0.0/24", "--format", "text"}, 0, []string{"10.0.0.0/24"}}, // the old flag, deprecated
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(tt.args, strings.NewReader(""), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut.String())
			}
			text := out.String()
			if code != 0 {
				text = errOut.String()
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
		})
	}

	// The notes' two subnets do not overlap: the list of overlapping pairs is empty.
	var out, errOut bytes.Buffer
	if code := Main([]string{"netcalc", "overlaps", "10.0.0.0/24", "10.1.0.0/24", "--output", "json"}, nil, &out, &errOut); code != 0 {
		t.Fatal(errOut.String())
	}
	var got struct{ Overlaps []any }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got.Overlaps) != 0 {
		t.Errorf("overlaps = %s (%v)", out.String(), err)
	}
}
