package params

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestParseShorthand(t *testing.T) {
	m := func(kv ...any) map[string]any {
		out := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	l := func(v ...any) []any { return append([]any{}, v...) }
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"filter", "Name=instance-type,Values=t2.micro", m("Name", "instance-type", "Values", "t2.micro")},
		{"csv list", "Name=instance-type,Values=t2.micro,t2.small", m("Name", "instance-type", "Values", l("t2.micro", "t2.small"))},
		{"csv list then key", "Values=a,b,Name=c", m("Values", l("a", "b"), "Name", "c")},
		{"tag specification", "ResourceType=instance,Tags=[{Key=Name,Value=web}]",
			m("ResourceType", "instance", "Tags", l(m("Key", "Name", "Value", "web")))},
		{"ip permissions", "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]",
			m("IpProtocol", "tcp", "FromPort", "22", "ToPort", "22", "IpRanges", l(m("CidrIp", "0.0.0.0/0")))},
		{"nested hash", "A={B={C=d},E=[f,g]}", m("A", m("B", m("C", "d"), "E", l("f", "g")))},
		{"nested lists", "A=[[a,b],[],[c]]", m("A", l(l("a", "b"), l(), l("c")))},
		{"empty list", "A=[]", m("A", l())},
		{"empty hash", "A={}", m("A", m())},
		{"empty value", "A=,B=c", m("A", "", "B", "c")},
		{"empty value at end", "A=", m("A", "")},
		{"empty key", "=a", m("", "a")},
		{"single quotes", "A='x,y=z'", m("A", "x,y=z")},
		{"double quotes", `A="x, y",B=c`, m("A", "x, y", "B", "c")},
		{"escaped quote", `A='it\'s',B="say \"hi\""`, m("A", "it's", "B", `say "hi"`)},
		{"escaped backslash", `A="a\\b"`, m("A", `a\b`)},
		{"escaped comma", `A=a\,b,C=d`, m("A", "a,b", "C", "d")},
		{"quoted list members", `A=['a,b',"c]"]`, m("A", l("a,b", "c]"))},
		{"spaces", "A = b , C = d", m("A", "b", "C", "d")},
		{"trailing space trimmed", "A=b  ", m("A", "b")},
		{"value with equals", "A=b=c", m("A", "b=c")},
		{"key characters", "a-b_c.d#e/f:g=1", m("a-b_c.d#e/f:g", "1")},
		{"unicode", "A=é,B=日本", m("A", "é", "B", "日本")},
		{"space inside a value", "A=b c=d", m("A", "b c=d")},
		{"newline inside a value", "A=b\nC", m("A", "b\nC")},
		{"second value with bracket", "A=b,c]", m("A", l("b", "c]"))},
		{"quoted csv", `A="x",'y'`, m("A", l("x", "y"))},
		{"hash key repeated keeps last", "A={k=1,k=2}", m("A", m("k", "2"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseShorthand(tt.in)
			if err != nil {
				t.Fatalf("ParseShorthand(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseShorthand(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseShorthandErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Name", "Expected: '=', received: 'EOF' for input:\nName\n    ^"},
		{"", "Expected: '=', received: 'EOF' for input:\n\n^"},
		{"Name=a,Values=[x", "Expected: ',', received: 'EOF' for input:\nName=a,Values=[x\n                ^"},
		{"Name=a,Name=b", "Second instance of key \"Name\" encountered for input:\nName=a,Name=b\n       ^\n" +
			"This is often because there is a preceding \",\" instead of a space."},
		{"Name=a,Values=b,", "Expected: '<second>', received: '<none>' for input:\nName=a,Values=b,\n                ^"},
		{"A='x", "Expected: '<singled quoted>', received: '<none>' for input:\nA='x\n  ^"},
		{`A="x`, "Expected: '<double quoted>', received: '<none>' for input:\nA=\"x\n  ^"},
		{"A={b=c", "Expected: ',', received: 'EOF' for input:\nA={b=c\n      ^"},
		{"A=b[0]", "Expected: ',', received: ']' for input:\nA=b[0]\n     ^"},
		{"A=[b,\nC", "Expected: ',', received: 'EOF' for input:\nA=[b,\nC\n ^"},
		{"A=[b\n,c", "Expected: ',', received: 'EOF' for input:\nA=[b\n,c\n  ^"},
		{"A!=b", "Expected: '=', received: '!' for input:\nA!=b\n ^"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseShorthand(tt.in)
			if err == nil {
				t.Fatalf("ParseShorthand(%q) succeeded, want %q", tt.in, tt.want)
			}
			if _, ok := err.(*ShorthandError); !ok {
				t.Errorf("error is %T, want *ShorthandError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseShorthand(%q) error:\n%s\nwant:\n%s", tt.in, err, tt.want)
			}
		})
	}
}

// shorthandCorpus are inputs for the differential test against the AWS CLI's own parser.
var shorthandCorpus = []string{
	"Name=instance-type,Values=t2.micro", "Name=a,Values=t2.micro,t2.small",
	"ResourceType=instance,Tags=[{Key=Name,Value=web}]", "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]",
	"a=b,c,d=e,f", "a=[b,[c,{d=e}]]", "a={b=[c,d],e={}}", "a=", "=", "a=,", "a=,,", "a=b,,c", "a=b,", "a= b ,c ",
	`a='x\'y'`, `a='x\\'`, `a='x\\\'y'`, `a="x\"y"`, `a="x\\"`, `a="\\\\"`, `a='\'`, `a='\''`, `a=''`, `a=""`,
	`a=x\,y`, `a=x\\,y`, `a=\,`, `a=[\,]`, "a=b]", "a=[b]]", "a=}", "a={b=}", "a={b=c}}", "a=[,]", "a=[]]",
	"a=b=c=d", "a=b,c=d,c=e", "a={b=c,b=d}", "a=b\nc=d", "a=b,\nc=d", "a=\tb", "a=b\x1c", "a=b\u00a0,c=d",
	"a=é,ü=b", "a=😀", "a='😀'", "a=b,😀", "a=[😀]", "a=x y,z", "a=b c", "a=b,'c',d", `a="b",c=d`, "a={b='c,d'}",
	"a=[{b=c},{d=e}]", "a=[{b=c} , {d=e}]", "a=[ b , c ]", "a={ b = c , d = e }", "a=!#$%&()*+-./:;<>?@",
	"a=^_`|~", "a=b^", "a=b~c", "a=[b~]", "a=\x7f", "a=b\x00", "a=[b,c", "a={", "a=[", "a=,b=c", "a=b,[c]", "A=[b,\nC", "A=b[0]",
}

// TestShorthandMatchesAWSCLI runs the inputs through the AWS CLI's shorthand parser (v2 when
// installed, else v1) and compares values and error messages.
func TestShorthandMatchesAWSCLI(t *testing.T) {
	py := awscliPython(t)
	script := `
import json, sys
from awscli.shorthand import ShorthandParser, ShorthandParseError
out = []
for s in json.load(sys.stdin):
    try:
        out.append({"value": ShorthandParser().parse(s)})
    except ShorthandParseError as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(shorthandCorpus)
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", py, err)
	}
	var results []struct {
		Value any     `json:"value"`
		Error *string `json:"error"`
	}
	if err := json.Unmarshal(outb, &results); err != nil {
		t.Fatal(err)
	}
	for i, s := range shorthandCorpus {
		got, err := ParseShorthand(s)
		r := results[i]
		switch {
		case r.Error != nil && err == nil:
			t.Errorf("ParseShorthand(%q) = %#v, AWS CLI fails: %s", s, got, *r.Error)
		case r.Error == nil && err != nil:
			t.Errorf("ParseShorthand(%q) fails: %v; AWS CLI gives %#v", s, err, r.Value)
		case r.Error != nil && !strings.Contains(*r.Error, "{self.") && err.Error() != *r.Error:
			t.Errorf("ParseShorthand(%q) error:\n%s\nAWS CLI:\n%s", s, err, *r.Error)
		case r.Error == nil && !reflect.DeepEqual(got, r.Value):
			t.Errorf("ParseShorthand(%q) = %#v, AWS CLI gives %#v", s, got, r.Value)
		}
	}
}

// awscliPython returns a python3 that imports the AWS CLI v2's packages, or v1's, or skips.
func awscliPython(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the AWS CLI's Python: not in -short mode")
	}
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import awscli.shorthand").Run() == nil {
			return py
		}
	}
	t.Skip("no python3 with the AWS CLI (awscli) installed")
	return ""
}

func TestFormatShorthand(t *testing.T) {
	v := map[string]any{"A": []any{"x,y", map[string]any{"k": `q"\`}}, "B": "", "C": []any{}}
	s, err := FormatShorthand(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `A=["x,y",{k="q\"\\"}],B="",C=[]`; s != want {
		t.Errorf("FormatShorthand = %s, want %s", s, want)
	}
	back, err := ParseShorthand(s)
	if err != nil || !reflect.DeepEqual(back, v) {
		t.Errorf("ParseShorthand(%s) = %#v, %v; want %#v", s, back, err, v)
	}
	for _, bad := range []any{map[string]any{}, "x", map[string]any{"a b": "c"}, map[string]any{"a": 1}} {
		if s, err := FormatShorthand(bad); err == nil {
			t.Errorf("FormatShorthand(%#v) = %q, want an error", bad, s)
		}
	}
}

func FuzzParseShorthand(f *testing.F) {
	for _, s := range shorthandCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseShorthand(s)
		if err != nil {
			if _, ok := err.(*ShorthandError); !ok {
				t.Fatalf("error %T, want *ShorthandError", err)
			}
			_ = err.Error()
			return
		}
		text, err := FormatShorthand(v)
		if err != nil {
			return // keys the printer cannot write back (none today) or an empty map
		}
		back, err := ParseShorthand(text)
		if err != nil {
			t.Fatalf("ParseShorthand(%q) = %#v, printed %q, which fails: %v", s, v, text, err)
		}
		if !reflect.DeepEqual(back, v) {
			t.Fatalf("ParseShorthand(%q) = %#v, printed %q, parsed back as %#v", s, v, text, back)
		}
	})
}
