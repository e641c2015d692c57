package query

import (
	"embed"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	stsschemas "github.com/aws/aws-sdk-go-v2/service/sts/schemas"
)

// Protocol is one of AWS's two query protocols.
type Protocol int

const (
	// AWSQuery is the awsQuery protocol of IAM and STS: `Tags.member.1.Key` in, `<OpResult>` out.
	AWSQuery Protocol = iota
	// EC2Query is EC2's protocol: flattened lists in (`Filter.1.Value.1`), lowercase names out.
	EC2Query
)

func (p Protocol) String() string {
	if p == EC2Query {
		return "ec2query"
	}
	return "awsQuery"
}

// Service is one service's codec. It is safe for concurrent use.
type Service struct {
	name     string
	protocol Protocol
	version  string
	xmlns    string
	pkg      string            // FromSchema: the SDK package's import path
	ops      map[string]*opDef // FromSchema: the client's operations
	seconds  bool              // FromSchema: timestamps written to the second (STS), not with milliseconds
	unions   []reflect.Type    // FromSchema: the member types of its unions

	load   sync.Once
	tables *tables
	err    error

	mu   sync.Mutex // guards building plans
	in   sync.Map   // reflect.Type → *structPlan, input (query) names
	out  sync.Map   // reflect.Type → *structPlan, output (XML) names
	inB  map[reflect.Type]*structPlan
	outB map[reflect.Type]*structPlan
}

// The services. Their shape data is loaded on first use. STS is of the SDK's schema-based
// generation since service/sts v1.52 (no serializers.go).
var (
	IAM = &Service{name: "iam", protocol: AWSQuery, version: "2010-05-08", xmlns: "https://iam.amazonaws.com/doc/2010-05-08/"}
	STS = toTheSecond(FromSchema(stsschemas.AWSSecurityTokenServiceV20110615, (*sts.Client)(nil)))
	EC2 = &Service{name: "ec2", protocol: EC2Query, version: "2016-11-15", xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/"}
)

// toTheSecond makes s write timestamps to the second, as STS writes a session's Expiration
// (2019-11-09T13:34:41Z in the AssumeRole example of STS's API reference; pinned by
// TestSTSTimestampsToTheSecond), where the other services of FromSchema write milliseconds.
func toTheSecond(s *Service) *Service {
	s.seconds = true
	return s
}

// Name returns the service's name in the SDK's module path: "iam", "sts", "ec2", "rds".
func (s *Service) Name() string { return s.name }

// Protocol returns the service's wire protocol.
func (s *Service) Protocol() Protocol { return s.protocol }

// Version returns the API version the requests carry, e.g. "2010-05-08".
func (s *Service) Version() string { return s.version }

// XMLNS returns the XML namespace of the service's responses.
func (s *Service) XMLNS() string { return s.xmlns }

// Operations returns the names of the service's operations, sorted.
func (s *Service) Operations() ([]string, error) {
	t, err := s.data()
	if err != nil {
		return nil, err
	}
	return t.opNames, nil
}

// HasOperation reports whether the SDK knows the operation (the Action parameter).
func (s *Service) HasOperation(op string) bool {
	t, err := s.data()
	return err == nil && t.ops[op] != nil
}

//go:embed data/*.shapes data/*.required
var shapeFiles embed.FS

// tables is a parsed shape file.
type tables struct {
	version string
	ops     map[string]*opDef
	opNames []string
	in, out map[string]*shapeDef

	required map[string]map[string]string // FromSchema: required fields by Go type, then field
}

type opDef struct {
	name, input, output string
	result              string       // awsQuery: the <OpResult> element; "" for ec2query
	discard             bool         // the SDK reads no body: the output has no members
	outType             reflect.Type // FromSchema: the output struct type
	size                atomic.Int64 // the length of the last answer: the room the next is given
}

type shapeDef struct {
	kind      byte // 'S' struct, 'U' union, 'L' list, 'M' map
	id        string
	goType    string
	member    string // list member; map entry element ("" when flattened)
	key, val  string
	skipEmpty bool
	ref       string
	fields    []fieldDef
}

type fieldDef struct {
	goName, wire string
	flat         bool
	ref          string
	required     string
}

func (s *Service) data() (*tables, error) {
	s.load.Do(func() {
		if s.ops != nil {
			s.tables, s.err = s.schemaData()
			return
		}
		b, err := shapeFiles.ReadFile("data/" + s.name + ".shapes")
		if err != nil {
			s.err = fmt.Errorf("query: %s: %w", s.name, err)
			return
		}
		s.tables, s.err = parseTables(string(b))
		if s.err != nil {
			s.err = fmt.Errorf("query: %s shapes: %w", s.name, s.err)
			return
		}
		if s.tables.version != s.version {
			s.err = fmt.Errorf("query: %s shapes are for version %q, not %q", s.name, s.tables.version, s.version)
		}
	})
	return s.tables, s.err
}

// parseTables reads the format documented in internal/gen (func write).
func parseTables(text string) (*tables, error) {
	t := &tables{ops: map[string]*opDef{}, in: map[string]*shapeDef{}, out: map[string]*shapeDef{}}
	var cur *shapeDef
	var w [8]string
	for n := 1; len(text) > 0; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		k := 0
		for line != "" && k < len(w) {
			w[k], line, _ = strings.Cut(line, " ")
			k++
		}
		arg := func(i int) string {
			if i >= k || w[i] == "-" {
				return ""
			}
			return w[i]
		}
		bad := func() error { return fmt.Errorf("line %d: malformed %q record", n, w[0]) }
		switch w[0] {
		case "svc":
			t.version = arg(2)
		case "op":
			if k != 5 {
				return nil, bad()
			}
			o := &opDef{name: w[1], input: w[2], output: w[3], result: arg(4)}
			if o.result == "!" {
				o.result, o.discard = "", true
			}
			t.ops[o.name] = o
			t.opNames = append(t.opNames, o.name)
		case "i", "o":
			if k < 4 {
				return nil, bad()
			}
			d := &shapeDef{kind: w[1][0], id: w[2]}
			switch d.kind {
			case 'S', 'U':
				d.goType = w[3]
			case 'L':
				if k != 6 {
					return nil, bad()
				}
				d.member, d.skipEmpty, d.ref = arg(3), w[4] == "e", arg(5)
			case 'M':
				if k != 8 {
					return nil, bad()
				}
				d.member, d.key, d.val, d.skipEmpty, d.ref = arg(3), w[4], w[5], w[6] == "e", arg(7)
			default:
				return nil, bad()
			}
			if w[0] == "i" {
				t.in[d.id] = d
			} else {
				t.out[d.id] = d
			}
			cur = d
		case "f":
			if k != 6 || cur == nil || (cur.kind != 'S' && cur.kind != 'U') {
				return nil, bad()
			}
			cur.fields = append(cur.fields, fieldDef{goName: w[1], wire: w[2], flat: w[3] == "f", ref: arg(4), required: arg(5)})
		case "":
		default:
			return nil, bad()
		}
	}
	return t, nil
}
