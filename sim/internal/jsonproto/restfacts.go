package jsonproto

//go:generate go run ./internal/restgen -data data

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	smithyjson "github.com/aws/smithy-go/encoding/json"
	smithytime "github.com/aws/smithy-go/time"
	"github.com/aws/smithy-go/traits"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// restFiles are the wire facts of the restJson1 services whose SDK module has generated
// serializers (no schemas), written by internal/restgen from the SDK's serializers.go and
// deserializers.go and botocore's status codes.
//
//go:embed data/*.rest
var restFiles embed.FS

// facts are one such service's wire facts, by Go type name (an input, an output or a
// structure of its types package) and field name.
type facts struct {
	service, version string
	ops              map[string]opFacts
	binds            map[string]map[string][2]string // where ("uri", "query", "header", "prefix") and name
	ins              map[string]map[string]keyFact
	outs             map[string][]outFact // in the file's order: the first key of a field is written
	obinds           map[string]map[string]string
	errorCode        bool // the error shapes have an ErrorCode member: the body carries it
}

type opFacts struct {
	method, uri string
	code        int
	alias       string // the URI botocore's model gives, where it differs from the SDK's
}

type keyFact struct{ key, tf string }

type outFact struct{ field, key, tf string }

// readFacts parses a data/<name>.rest file.
func readFacts(name string) (*facts, error) {
	b, err := restFiles.ReadFile("data/" + name + ".rest")
	if err != nil {
		return nil, fmt.Errorf("jsonproto: no wire facts for %q (add it to internal/awsmodel and run go generate): %w", name, err)
	}
	f := &facts{ops: map[string]opFacts{}, binds: map[string]map[string][2]string{},
		ins: map[string]map[string]keyFact{}, outs: map[string][]outFact{}, obinds: map[string]map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		w := strings.Fields(sc.Text())
		bad := fmt.Errorf("jsonproto: data/%s.rest:%d: %q", name, n, sc.Text())
		if len(w) == 0 {
			continue
		}
		tf := func(i int) string {
			if len(w) > i {
				return w[i]
			}
			return ""
		}
		switch {
		case w[0] == "svc" && len(w) == 4:
			f.service, f.version = w[1], w[2]
		case w[0] == "op" && len(w) == 7:
			code, err := strconv.Atoi(w[4])
			if err != nil {
				return nil, bad
			}
			f.ops[w[1]] = opFacts{method: w[2], uri: w[3], code: code}
		case w[0] == "alias" && len(w) == 3:
			of, ok := f.ops[w[1]]
			if !ok {
				return nil, bad
			}
			of.alias = w[2]
			f.ops[w[1]] = of
		case w[0] == "bind" && len(w) == 5:
			put(f.binds, w[1], w[2], [2]string{w[3], w[4]})
		case w[0] == "in" && (len(w) == 4 || len(w) == 5):
			put(f.ins, w[1], w[2], keyFact{w[3], tf(4)})
		case w[0] == "out" && (len(w) == 4 || len(w) == 5):
			f.outs[w[1]] = append(f.outs[w[1]], outFact{w[2], w[3], tf(4)})
			if w[2] == "ErrorCode_" && w[3] == "ErrorCode" {
				f.errorCode = true
			}
		case w[0] == "obind" && len(w) == 5 && w[3] == "header":
			put(f.obinds, w[1], w[2], w[4])
		default:
			return nil, bad
		}
	}
	if f.service != name || len(f.ops) == 0 {
		return nil, fmt.Errorf("jsonproto: data/%s.rest names service %q and %d operations", name, f.service, len(f.ops))
	}
	return f, nil
}

func put[V any](m map[string]map[string]V, typ, field string, v V) {
	if m[typ] == nil {
		m[typ] = map[string]V{}
	}
	m[typ][field] = v
}

// NewRestFromSerializers returns the restJson1 codec of a service whose SDK module is of the
// generation with generated serializers and no schemas (EFS's), by its name in
// internal/awsmodel ("efs"), whose operations are the methods of client ((*efs.Client)(nil)).
// Its routes, HTTP bindings and JSON keys are the SDK's own, read by `go generate`
// (internal/restgen) into data/<name>.rest; it decodes and encodes by reflection over the
// SDK's types with them. It panics if the facts are missing or do not fit the client, which
// are programming errors.
func NewRestFromSerializers(name string, client any) *Rest {
	f, err := readFacts(name)
	if err != nil {
		panic(err.Error())
	}
	p := &Rest{
		name:      name,
		ops:       operations(client, false),
		byOp:      map[string]*route{},
		planCache: planCache{rest: true, facts: f},
		facts:     f,
	}
	for opName, o := range p.ops {
		of, ok := f.ops[opName]
		if !ok {
			panic(fmt.Sprintf("jsonproto: data/%s.rest has no operation %s: run go generate", name, opName))
		}
		rt, err := newRoute(o, &traits.HTTP{Method: of.method, URI: of.uri, Code: of.code})
		if err != nil {
			panic(fmt.Sprintf("jsonproto: %s: %v", opName, err))
		}
		p.routes = append(p.routes, rt)
		p.byOp[opName] = rt
		if of.alias != "" {
			if rt.alt, err = newRoute(o, &traits.HTTP{Method: of.method, URI: of.alias, Code: of.code}); err != nil {
				panic(fmt.Sprintf("jsonproto: %s: %v", opName, err))
			}
			p.routes = append(p.routes, rt.alt)
		}
	}
	slices.SortFunc(p.routes, func(a, b *route) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.op.name, b.op.name)
	})
	return p
}

// factsBuilder builds plans from wire facts: the input's (JSON keys from the serializers,
// bindings at the top level) or the output's (JSON keys from the deserializers).
type factsBuilder struct {
	f     *facts
	out   bool
	built map[reflect.Type]*structPlan
	added []reflect.Type
}

func (b *factsBuilder) structPlan(t reflect.Type, top bool) (*structPlan, error) {
	if sp := b.built[t]; sp != nil {
		return sp, nil
	}
	sp := &structPlan{typ: t, byKey: map[string]*fieldPlan{}}
	b.built[t] = sp
	b.added = append(b.added, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Type == metadataType {
			continue
		}
		fp := fieldPlan{index: i, name: sf.Name}
		tf := ""
		if b.out {
			if h, ok := b.f.obinds[t.Name()][sf.Name]; ok {
				fp.bind, fp.loc = inHeader, http.CanonicalHeaderKey(h)
			} else {
				i := slices.IndexFunc(b.f.outs[t.Name()], func(o outFact) bool { return o.field == sf.Name })
				if i < 0 {
					continue // not on the wire (ErrorCodeOverride), or a member no response has
				}
				fp.key, tf = b.f.outs[t.Name()][i].key, b.f.outs[t.Name()][i].tf
			}
		} else if bd, ok := b.f.binds[t.Name()][sf.Name]; ok && top {
			switch bd[0] {
			case "uri":
				fp.bind = inLabel
			case "query":
				fp.bind = inQuery
			case "header":
				fp.bind = inHeader
				bd[1] = http.CanonicalHeaderKey(bd[1])
			case "prefix":
				fp.bind = inPrefixHeaders
				bd[1] = strings.ToLower(bd[1])
			}
			fp.loc = bd[1]
		} else if k, ok := b.f.ins[t.Name()][sf.Name]; ok {
			fp.key, tf = k.key, k.tf
		} else {
			return nil, fmt.Errorf("the SDK serializes %s.%s nowhere", t.Name(), sf.Name)
		}
		c, err := b.codec(sf.Type, tf)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name(), sf.Name, err)
		}
		fp.c = c
		sp.fields = append(sp.fields, fp)
	}
	for i := range sp.fields {
		f := &sp.fields[i]
		if f.bind == inBody {
			sp.byKey[f.key] = f
			sp.body = true
		} else {
			sp.bound = append(sp.bound, f)
		}
	}
	return sp, nil
}

// codec returns the codec of a value of Go type t; tf is the timestamp format the SDK's
// (de)serializer uses for it, "" for the body's default (epoch seconds).
func (b *factsBuilder) codec(t reflect.Type, tf string) (*codec, error) {
	c := &codec{typ: t}
	if t.Kind() == reflect.Pointer {
		c.ptr, c.typ = true, t.Elem()
	}
	t = c.typ
	switch k := t.Kind(); {
	case t == timeType:
		c.kind, c.tf, c.tfSet = kTime, "epoch-seconds", tf != ""
		if tf != "" {
			c.tf = tf
		}
	case k == reflect.String:
		c.kind = kString
	case k == reflect.Bool:
		c.kind = kBool
	case k >= reflect.Int && k <= reflect.Int64:
		c.kind, c.bits = kInt, t.Bits()
	case k == reflect.Float32 || k == reflect.Float64:
		c.kind, c.bits = kFloat, t.Bits()
	case k == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		c.kind = kBlob
	case k == reflect.Slice && !c.ptr:
		e, err := b.codec(t.Elem(), "")
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kList, e
	case k == reflect.Map && t.Key().Kind() == reflect.String && !c.ptr:
		e, err := b.codec(t.Elem(), "")
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kMap, e
	case k == reflect.Struct && t != bigIntType && t != bigFloatType:
		sp, err := b.structPlan(t, false)
		if err != nil {
			return nil, err
		}
		c.kind, c.st = kStruct, sp
	default:
		// Unions, documents, big numbers: no service served this way has them yet.
		return nil, fmt.Errorf("Go type %v is not supported", t)
	}
	return c, nil
}

// factsPlan returns the plan of a top-level input (out false) or output struct type.
func (p *planCache) factsPlan(t reflect.Type, out bool) (*structPlan, error) {
	cache := &p.plans
	if out {
		cache = &p.outPlans
	}
	if sp, ok := cache.Load(t); ok {
		return sp.(*structPlan), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	built := &p.built
	if out {
		built = &p.outBuilt
	}
	if *built == nil {
		*built = map[reflect.Type]*structPlan{}
	}
	b := factsBuilder{f: p.facts, out: out, built: *built}
	sp, err := b.structPlan(t, true)
	if err != nil {
		for _, k := range b.added {
			delete(*built, k)
		}
		return nil, fmt.Errorf("jsonproto: %v: %w", t, err)
	}
	cache.Store(t, sp)
	return sp, nil
}

// encodeFacts is Encode for a service of wire facts: the output's members bound to headers
// as headers, the others as a JSON object with the deserializers' keys.
func (p *Rest) encodeFacts(o *operation, out any) (status int, header http.Header, body []byte, err error) {
	status = p.byOp[o.name].code
	header = http.Header{"Content-Type": {"application/json"}}
	v := reflect.ValueOf(out)
	if out == nil || v.IsNil() {
		return status, header, []byte("{}"), nil
	}
	if v.Type() != o.out {
		return 0, nil, nil, fmt.Errorf("jsonproto: Encode(%s) needs a %v, not a %v", o.name, o.out, v.Type())
	}
	sp, err := p.factsPlan(o.out.Elem(), true)
	if err != nil {
		return 0, nil, nil, err
	}
	for _, f := range sp.bound {
		fv := v.Elem().Field(f.index)
		if s, ok := headerText(f.c, fv); ok {
			header.Set(f.loc, s)
		}
	}
	enc := smithyjson.NewEncoder()
	encodeStruct(enc.Value, sp, v.Elem())
	return status, header, enc.Bytes(), nil
}

// headerText writes a scalar output member as a header's value; ok is false for an unset one.
func headerText(c *codec, v reflect.Value) (string, bool) {
	if c.ptr {
		if v.IsNil() {
			return "", false
		}
		v = v.Elem()
	}
	switch c.kind {
	case kString:
		return v.String(), v.Len() > 0 || c.ptr
	case kBool:
		return strconv.FormatBool(v.Bool()), true
	case kInt:
		return strconv.FormatInt(v.Int(), 10), true
	case kFloat:
		return strconv.FormatFloat(v.Float(), 'g', -1, c.bits), true
	case kTime:
		return smithytime.FormatHTTPDate(v.Interface().(time.Time)), true
	}
	return "", false
}

func encodeStruct(jv smithyjson.Value, sp *structPlan, v reflect.Value) {
	obj := jv.Object()
	defer obj.Close()
	for i := range sp.fields {
		f := &sp.fields[i]
		if f.bind != inBody {
			continue
		}
		fv := v.Field(f.index)
		if omitted(f.c, fv) {
			continue
		}
		encodeValue(obj.Key(f.key), f.c, fv)
	}
}

// omitted reports whether a member is left out of the document, as the SDK's serializers
// leave it: a nil pointer, list or map, an empty enum.
func omitted(c *codec, v reflect.Value) bool {
	switch {
	case c.ptr, c.kind == kList, c.kind == kMap, c.kind == kBlob:
		return v.IsNil()
	case c.kind == kString:
		return v.Len() == 0
	}
	return false
}

func encodeValue(jv smithyjson.Value, c *codec, v reflect.Value) {
	if c.ptr {
		if v.IsNil() {
			jv.Null()
			return
		}
		v = v.Elem()
	}
	switch c.kind {
	case kString:
		jv.String(v.String())
	case kBool:
		jv.Boolean(v.Bool())
	case kInt:
		jv.Long(v.Int())
	case kFloat:
		switch f := v.Float(); {
		case math.IsNaN(f):
			jv.String("NaN")
		case math.IsInf(f, 1):
			jv.String("Infinity")
		case math.IsInf(f, -1):
			jv.String("-Infinity")
		case c.bits == 32:
			jv.Float(float32(f))
		default:
			jv.Double(f)
		}
	case kTime:
		t := v.Interface().(time.Time)
		switch c.tf {
		case "date-time":
			jv.String(smithytime.FormatDateTime(t))
		case "http-date":
			jv.String(smithytime.FormatHTTPDate(t))
		default:
			jv.Double(smithytime.FormatEpochSeconds(t))
		}
	case kBlob:
		jv.Base64EncodeBytes(v.Bytes())
	case kStruct:
		encodeStruct(jv, c.st, v)
	case kList:
		arr := jv.Array()
		for i := range v.Len() {
			encodeValue(arr.Value(), c.elem, v.Index(i))
		}
		arr.Close()
	case kMap:
		obj := jv.Object()
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			encodeValue(obj.Key(k.String()), c.elem, v.MapIndex(k))
		}
		obj.Close()
	}
}

// encodeFactsError writes the error document of a service whose error shapes have an
// ErrorCode member (EFS: {"ErrorCode":"FileSystemNotFound","Message":"…"}), which the SDK
// reads into the error's ErrorCode_ and botocore reads beside X-Amzn-ErrorType; fields are
// the error shape's further members (FileSystemAlreadyExists's FileSystemId), as strings.
func encodeFactsError(code core.Code, message string, fields [][2]string) []byte {
	enc := smithyjson.NewEncoder()
	obj := enc.Value.Object()
	obj.Key("ErrorCode").String(string(code))
	if message != "" {
		obj.Key("Message").String(message)
	}
	for _, f := range fields {
		if f[0] != "ErrorCode" && f[0] != "Message" {
			obj.Key(f[0]).String(f[1])
		}
	}
	obj.Close()
	return enc.Bytes()
}
