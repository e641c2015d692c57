package params

import (
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"
)

//go:generate go run ./internal/gen -o required_gen.go

// Kind is how the AWS CLI takes a parameter's words.
type Kind int

const (
	Scalar           Kind = iota // one word: a string, an enum (any string) or a number
	Bool                         // no word: --dry-run, --no-dry-run
	List                         // words: a list of scalars, or one JSON list
	Structure                    // one word: shorthand or JSON
	ListOfStructures             // words, each shorthand or JSON; or one JSON list
	Map                          // one word: shorthand (k1=v1,k2=v2) or JSON
	Blob                         // one word: base64 text, or fileb://path
	Timestamp                    // one word: ISO 8601 or epoch seconds
	Complex                      // words: a list of lists or of maps, in shorthand or JSON
	Stream                       // one word: a path to a file whose content is streamed (S3 bodies)
	Document                     // one word: JSON only (document types and unions)
)

var kindNames = [...]string{"Scalar", "Bool", "List", "Structure", "ListOfStructures", "Map", "Blob",
	"Timestamp", "Complex", "Stream", "Document"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Param is one parameter of an operation as the AWS CLI presents it.
type Param struct {
	Flag     string       // "instance-ids": botocore's xform_name of the member name
	Field    string       // "InstanceIds": the SDK input struct's field
	Type     reflect.Type // the field's type
	Required bool         // the SDK's validators require the member (so does the AWS CLI)
	Kind     Kind
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	bytesType  = reflect.TypeFor[[]byte]()
	readerType = reflect.TypeFor[io.Reader]()
	paramCache sync.Map // reflect.Type → []Param
)

// Params lists the parameters of an SDK input struct type (a struct or a pointer to one, e.g.
// reflect.TypeFor[ec2.DescribeInstancesInput]()): its exported fields, required ones first,
// then in the SDK's (alphabetical) order. The AWS CLI orders them as botocore's model does,
// which the SDK does not record. Params is safe for concurrent use.
func Params(input reflect.Type) []Param {
	for input.Kind() == reflect.Pointer {
		input = input.Elem()
	}
	if ps, ok := paramCache.Load(input); ok {
		return ps.([]Param)
	}
	var ps []Param
	if input.Kind() == reflect.Struct {
		req := requiredSet(input)
		for i := 0; i < input.NumField(); i++ {
			f := input.Field(i)
			if !f.IsExported() || f.Anonymous {
				continue
			}
			ps = append(ps, Param{
				Flag:     XformName(f.Name),
				Field:    f.Name,
				Type:     f.Type,
				Required: req[f.Name],
				Kind:     KindOf(f.Type),
			})
		}
	}
	ps2, _ := paramCache.LoadOrStore(input, ps)
	return ps2.([]Param)
}

// requiredSet returns the members of struct type t that the SDK's validators require.
func requiredSet(t reflect.Type) map[string]bool {
	names := required[t.PkgPath()+"."+t.Name()]
	if len(names) == 0 {
		return nil
	}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// KindOf classifies a field type of an SDK input.
func KindOf(t reflect.Type) Kind {
	if t == readerType {
		return Stream
	}
	if t == bytesType {
		return Blob
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return Timestamp
	case t.Kind() == reflect.Bool:
		return Bool
	case isScalarType(t):
		return Scalar
	case t.Kind() == reflect.Struct, isUnion(t):
		return Structure
	case t.Kind() == reflect.Map:
		return Map
	case t.Kind() == reflect.Slice:
		e := t.Elem()
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		switch {
		case e == timeType || e.Kind() == reflect.Bool || isScalarType(e) || e == bytesType:
			return List
		case e.Kind() == reflect.Struct:
			return ListOfStructures
		case e.Kind() == reflect.Slice || e.Kind() == reflect.Map:
			return Complex
		}
	}
	return Document
}

func isScalarType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

var (
	firstCap   = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap     = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	pluralAbbr = regexp.MustCompile(`[A-Z]{2,}s$`)
)

// XformName is botocore's xform_name with "-": the AWS CLI's option name for a member name
// ("InstanceIds" → "instance-ids", "GatewayARNs" → "gateway-arns").
func XformName(name string) string {
	if strings.Contains(name, "-") {
		return name
	}
	if m := pluralAbbr.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "-" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}-${2}")
	return strings.ToLower(endCap.ReplaceAllString(s, "${1}-${2}"))
}
