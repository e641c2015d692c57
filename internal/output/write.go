package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Formats are the values of --output that [Write] prints.
var Formats = []string{"json", "text", "table", "yaml", "yaml-stream"}

// Write prints v (data from [Value], [Query] or [Merge]; an SDK output is converted with
// [Value] first) in format, one of [Formats], for the operation op, byte for byte as the AWS CLI
// v2 does with its output going to a file or a pipe (no colors; tables 80 columns wide at most
// before single-row sections turn vertical). The table's title is op, the operation's name
// ("DescribeRegions").
func Write(w io.Writer, format string, v any, op string) error {
	return WriteWidth(w, format, v, op, 80)
}

// WriteWidth is [Write] for a terminal of the given width, which only the table format uses:
// the AWS CLI turns single-row sections vertical when the table is wider than the terminal.
func WriteWidth(w io.Writer, format string, v any, op string, width int) error {
	switch v.(type) {
	case nil, *Map, map[string]any, []any, string, bool, int64, int, float64, Stream, Datetime:
	default:
		v = Value(v)
	}
	if s, ok := v.(Stream); ok && format != "yaml-stream" && format != "text" {
		v = []any(s)
	}
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		err = writeJSON(bw, v)
	case "text":
		err = writeText(bw, v)
	case "table":
		err = writeTable(bw, v, op, width)
	case "yaml":
		err = writeYAML(bw, v)
	case "yaml-stream":
		err = writeYAMLStream(bw, v)
	default:
		return fmt.Errorf("output: unknown output format %q (valid: %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}
