package output

import (
	"fmt"
	"strings"
)

// Sample returns what `--generate-cli-skeleton output` prints for an operation of a service
// ("iam", "GetUser"), as the AWS CLI v2 makes it: botocore's ArgumentGenerator with member
// names walks the output shape of the AWS CLI's model (a string is its member's name, a list's
// string its member shape's name, a map {"KeyName": …}, numbers 0 and 0.0, booleans true,
// timestamps 1970-01-01 at midnight, a structure met again inside itself {}), then botocore's
// stubber validates the sample against the model. Samples that break the model's minimums
// (IAM's 16-character user IDs are longer than "UserId") fail as the AWS CLI fails, with a
// *SampleError. An operation without output has the empty sample, which prints nothing.
// (awscli/customizations/generatecliskeleton.py; TestSkeletonParity in package cli.)
func Sample(service, op string) (any, error) {
	m := modelOf(service)
	if m == nil {
		return nil, fmt.Errorf("output: no model of %q", service)
	}
	root, ok := m.Operations[op]
	if !ok {
		return &Map{}, nil
	}
	g := sampler{m: m}
	v := g.sample(root, "")
	var problems []string
	g.validate(v, root, "", &problems)
	if len(problems) > 0 {
		return nil, &SampleError{problems}
	}
	return v, nil
}

// SampleError is botocore's parameter validation failing on a sample output.
type SampleError struct {
	Problems []string // one line each, in the order botocore reports them
}

// Error returns the lines as the AWS CLI prints them, after a blank line.
func (e *SampleError) Error() string {
	return "Parameter validation failed:\n" + strings.Join(e.Problems, "\n")
}

// Datetime is a timestamp as a Python datetime without a time zone, which sample outputs
// hold: JSON prints it "1970-01-01T00:00:00", text, table and yaml "1970-01-01 00:00:00".
type Datetime string

// sampleEpoch is the timestamp botocore's ArgumentGenerator puts in samples.
const sampleEpoch Datetime = "1970-01-01T00:00:00"

// pyStr is str() of the datetime.
func (d Datetime) pyStr() string { return strings.Replace(string(d), "T", " ", 1) }

type sampler struct {
	m     *serviceModel
	stack []string // the shapes being generated, outermost first
}

// sample generates the value of the named shape for a member called name.
func (g *sampler) sample(name, member string) any {
	s, ok := g.m.shapeOf(name)
	if !ok {
		return nil
	}
	g.stack = append(g.stack, name)
	defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	switch s.Type {
	case "structure":
		out := &Map{}
		if countOf(g.stack, name) > 1 {
			return out
		}
		for _, mb := range s.Members {
			if len(mb) > 2 && mb[2] == "new" {
				continue // the AWS CLI v2's model lacks it
			}
			out.Set(mb[0], g.sample(mb[1], mb[0]))
		}
		return out
	case "list":
		return []any{g.sample(s.Member, s.Member)}
	case "map":
		return NewMap("KeyName", g.sample(s.Value, ""))
	case "string":
		return member
	case "integer", "long":
		return int64(0)
	case "float", "double":
		return 0.0
	case "boolean":
		return true
	case "timestamp":
		return sampleEpoch
	}
	return nil // a blob: the generator has no value for it, and validation says so
}

func countOf(stack []string, name string) int {
	n := 0
	for _, s := range stack {
		if s == name {
			n++
		}
	}
	return n
}

// validate checks v against the named shape as botocore's ParamValidator does, for what a
// sample can break: minimum lengths and values, and blobs without a value.
func (g *sampler) validate(v any, name, path string, problems *[]string) {
	s, ok := g.m.shapeOf(name)
	if !ok {
		return
	}
	label := strings.TrimPrefix(path, ".")
	// kind is "length" or "value", as botocore words the two range checks.
	tooSmall := func(n float64, text, kind string) {
		if min, err := s.Min.Float64(); err == nil && n < min {
			*problems = append(*problems, fmt.Sprintf("Invalid %s for parameter %s, value: %s, valid min %s: %s", kind, label, text, kind, s.Min))
		}
	}
	length := func(n int) { tooSmall(float64(n), fmt.Sprint(n), "length") }
	switch x := v.(type) {
	case *Map:
		for _, mb := range s.Members {
			if e, ok := x.Get(mb[0]); ok {
				g.validate(e, mb[1], path+"."+mb[0], problems)
			}
		}
		if s.Type == "map" {
			for _, k := range x.Keys() {
				e, _ := x.Get(k)
				g.validate(e, s.Value, path+"."+k, problems)
			}
		}
	case []any:
		length(len(x))
		for i, e := range x {
			g.validate(e, s.Member, fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case string:
		length(len([]rune(x)))
	case int64:
		tooSmall(float64(x), fmt.Sprint(x), "value")
	case float64:
		tooSmall(x, pyFloat(x), "value")
	case nil:
		if s.Type == "blob" {
			*problems = append(*problems, fmt.Sprintf("Invalid type for parameter %s, value: None, type: <class 'NoneType'>, valid types: <class 'bytes'>, <class 'bytearray'>, file-like object", label))
		}
	}
}
