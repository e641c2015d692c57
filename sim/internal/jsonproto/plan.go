package jsonproto

import (
	"fmt"
	"math/big"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/traits"

	"github.com/awsxlab/awsx/sim/internal/sdkschema"
)

// kind is how a value is read from JSON.
type kind uint8

const (
	kString kind = iota // string and string enums
	kBool
	kInt
	kFloat
	kTime
	kBlob
	kStruct
	kList
	kMap
	kUnion
)

// codec is the plan for one value: a struct field, a list element, a map value or a union
// member's Value.
type codec struct {
	kind  kind
	ptr   bool         // the Go value is a pointer to typ
	typ   reflect.Type // the value's type, pointer removed
	bits  int          // integer and float sizes
	tf    string       // kTime: "epoch-seconds", "date-time" or "http-date"
	tfSet bool         // kTime: tf is the member's timestampFormat, not the body's default
	media bool         // kString: the shape has @mediaType (base64 in a header)

	st   *structPlan // kStruct
	elem *codec      // kList, kMap

	variants map[string]variant // kUnion: by member name
}

// variant is one member of a union: its Go type (whose pointer implements the union) and
// the codec of its Value field.
type variant struct {
	typ   reflect.Type
	value int // index of the Value field
	c     *codec
}

// binding is where restJson1 carries a top-level input member.
type binding uint8

const (
	inBody binding = iota
	inLabel
	inQuery
	inQueryParams
	inHeader
	inPrefixHeaders
	inPayload
)

type fieldPlan struct {
	index int
	name  string  // the member name
	key   string  // its JSON key: the name, or under restJson1 its @jsonName
	bind  binding // restJson1's top-level inputs; inBody otherwise
	loc   string  // the label, query parameter or header name, or the header prefix
	c     *codec
}

type structPlan struct {
	typ    reflect.Type
	fields []fieldPlan
	byKey  map[string]*fieldPlan // the members in the JSON object, by key

	// restJson1's top-level inputs
	bound   []*fieldPlan // members in the URI, the query string or headers
	payload *fieldPlan   // the @httpPayload member: the whole body
	body    bool         // some members are in a JSON body
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	metadataType = reflect.TypeFor[middleware.Metadata]()
	bigIntType   = reflect.TypeFor[big.Int]()
	bigFloatType = reflect.TypeFor[big.Float]()
	documentType = reflect.TypeFor[document.Value]()
)

// target checks that in is what Decode of operation o (named op) fills in, a non-nil pointer
// to its SDK input struct, and returns the struct's plan and in as a reflect.Value. Another
// type is the caller's bug, a plain error.
func (p *planCache) target(o *operation, op string, in any) (*structPlan, reflect.Value, error) {
	rv := reflect.ValueOf(in)
	if in == nil || rv.Type() != o.in || rv.IsNil() {
		return nil, rv, fmt.Errorf("jsonproto: Decode(%s) needs a non-nil %v, not %T", op, o.in, in)
	}
	sp, err := p.inputPlan(o.in.Elem())
	return sp, rv, err
}

// inputPlan returns the decoding plan of a top-level input struct type.
func (p *planCache) inputPlan(t reflect.Type) (*structPlan, error) {
	if p.facts != nil {
		return p.factsPlan(t, false)
	}
	if sp, ok := p.plans.Load(t); ok {
		return sp.(*structPlan), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.built == nil {
		p.built = map[reflect.Type]*structPlan{}
	}
	top, err := topSchema(t)
	if err != nil {
		return nil, err
	}
	if top == nil {
		sp := &structPlan{typ: t, byKey: map[string]*fieldPlan{}}
		p.plans.Store(t, sp)
		return sp, nil
	}
	b := builder{built: p.built, rest: p.rest}
	sp, err := b.structPlan(t, top, true)
	if err != nil {
		// Drop what this attempt half-built, so that a later call reports the same error.
		for _, k := range b.added {
			delete(p.built, k)
		}
		return nil, fmt.Errorf("jsonproto: %v: %w", t, err)
	}
	p.plans.Store(t, sp)
	return sp, nil
}

// topSchema returns the schema a top-level input or output type writes itself as (nil for
// Smithy's Unit); see [sdkschema.Top].
func topSchema(t reflect.Type) (*smithy.Schema, error) {
	s, err := sdkschema.Top(t)
	if err != nil {
		return nil, fmt.Errorf("jsonproto: %w", err)
	}
	return s, nil
}

// builder builds plans; the caller holds Protocol.mu. built holds every plan made so far,
// including those still being filled, so that recursive shapes end.
type builder struct {
	built map[reflect.Type]*structPlan
	added []reflect.Type
	rest  bool // restJson1: @jsonName keys, and HTTP bindings at the top level
}

// structPlan learns which member each field of t is by asking the SDK (see fieldMembers),
// and builds the codec of each. top says t is an operation's input.
func (b *builder) structPlan(t reflect.Type, s *smithy.Schema, top bool) (*structPlan, error) {
	if sp := b.built[t]; sp != nil {
		return sp, nil
	}
	sp := &structPlan{typ: t, byKey: map[string]*fieldPlan{}}
	b.built[t] = sp
	b.added = append(b.added, t)
	fms, err := fieldMembers(t, s)
	if err != nil {
		return nil, err
	}
	fields := make([]fieldPlan, 0, len(fms))
	for _, fm := range fms {
		f := t.Field(fm.Index)
		c, err := b.codec(f.Type, fm.Member, fm.Probe)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		fp := fieldPlan{index: fm.Index, name: fm.Member.MemberName(), key: fm.Member.MemberName(), c: c}
		if b.rest {
			if jn, ok := smithy.SchemaTrait[*traits.JSONName](fm.Member); ok {
				fp.key = jn.Name
			}
			if top {
				if err := bind(&fp, fm.Member); err != nil {
					return nil, fmt.Errorf("%s: %w", f.Name, err)
				}
			}
		}
		fields = append(fields, fp)
	}
	sp.fields = fields
	for i := range sp.fields {
		f := &sp.fields[i]
		switch f.bind {
		case inBody:
			if sp.byKey[f.key] != nil {
				return nil, fmt.Errorf("two members of %s have the JSON key %q", s.ID(), f.key)
			}
			sp.byKey[f.key] = f
			sp.body = true
		case inPayload:
			sp.payload = f
		default:
			sp.bound = append(sp.bound, f)
		}
	}
	if sp.payload != nil && sp.body {
		return nil, fmt.Errorf("%s has an @httpPayload member and members in the body", s.ID())
	}
	return sp, nil
}

// fieldMembers asks the SDK which member each field of t (a struct of schema s) is. Every
// field must be one: the JSON services served so far have no client-side fields.
func fieldMembers(t reflect.Type, s *smithy.Schema) ([]sdkschema.Field, error) {
	fs, err := sdkschema.Fields(t, s, unionMembers)
	for _, f := range fs {
		if err == nil && f.Member == nil {
			err = fmt.Errorf("%s: the SDK serializes the field as no member of %s", t.Field(f.Index).Name, s.ID())
		}
	}
	return fs, err
}

// bind sets where restJson1 carries a top-level input member, in the order of precedence of
// smithy-go's binding serializer (header, label, query), and checks that the member's type
// suits the place.
func bind(f *fieldPlan, m *smithy.Schema) error {
	c := f.c
	scalar := c.kind != kStruct && c.kind != kList && c.kind != kMap && c.kind != kUnion
	scalars := scalar || c.kind == kList && c.elem.kind != kStruct && c.elem.kind != kList && c.elem.kind != kMap && c.elem.kind != kUnion
	if h, ok := smithy.SchemaTrait[*traits.HTTPHeader](m); ok {
		f.bind, f.loc = inHeader, http.CanonicalHeaderKey(h.Name)
		if !scalars {
			return fmt.Errorf("header %s of a %v", h.Name, m.Type())
		}
		return nil
	}
	if _, ok := smithy.SchemaTrait[*traits.HTTPLabel](m); ok {
		f.bind, f.loc = inLabel, m.MemberName()
		if !scalar || c.kind == kBlob {
			return fmt.Errorf("label of a %v", m.Type())
		}
		return nil
	}
	if q, ok := smithy.SchemaTrait[*traits.HTTPQuery](m); ok {
		f.bind, f.loc = inQuery, q.Name
		if !scalars {
			return fmt.Errorf("query parameter %s of a %v", q.Name, m.Type())
		}
		return nil
	}
	if _, ok := smithy.SchemaTrait[*traits.HTTPQueryParams](m); ok {
		f.bind = inQueryParams
		if c.kind != kMap || c.elem.kind != kString && (c.elem.kind != kList || c.elem.elem.kind != kString) {
			return fmt.Errorf("query parameters in a %v", c.typ)
		}
		return nil
	}
	if ph, ok := smithy.SchemaTrait[*traits.HTTPPrefixHeaders](m); ok {
		f.bind, f.loc = inPrefixHeaders, strings.ToLower(ph.Prefix)
		if c.kind != kMap || c.elem.kind != kString {
			return fmt.Errorf("prefix headers in a %v", c.typ)
		}
		return nil
	}
	if _, ok := smithy.SchemaTrait[*traits.HTTPPayload](m); ok {
		f.bind = inPayload
		switch c.kind {
		case kStruct, kUnion, kBlob, kString:
		default:
			return fmt.Errorf("payload of a %v", m.Type())
		}
		if _, ok := smithy.SchemaTrait[*traits.Streaming](m); ok {
			return fmt.Errorf("streaming payloads are not supported")
		}
	}
	return nil
}

// codec returns the codec of a value of Go type t written with member schema s. probe
// serializes a value of type t in its place, for unions to learn their members' names.
func (b *builder) codec(t reflect.Type, s *smithy.Schema, probe func(reflect.Value) *sdkschema.Recorder) (*codec, error) {
	c := &codec{typ: t}
	if t.Kind() == reflect.Pointer {
		c.ptr, c.typ = true, t.Elem()
	}
	t = c.typ
	k := t.Kind()
	bad := func() (*codec, error) {
		return nil, fmt.Errorf("shape %s (%v) is Go type %v", s.TargetID(), s.Type(), c.typ)
	}
	switch s.Type() {
	case smithy.ShapeTypeString, smithy.ShapeTypeEnum:
		if k != reflect.String {
			return bad()
		}
		c.kind = kString
		_, c.media = smithy.SchemaTrait[*traits.MediaType](s)
	case smithy.ShapeTypeBoolean:
		if k != reflect.Bool {
			return bad()
		}
		c.kind = kBool
	case smithy.ShapeTypeByte, smithy.ShapeTypeShort, smithy.ShapeTypeInteger, smithy.ShapeTypeLong, smithy.ShapeTypeIntEnum:
		if k < reflect.Int || k > reflect.Int64 {
			return bad()
		}
		c.kind, c.bits = kInt, t.Bits()
	case smithy.ShapeTypeFloat, smithy.ShapeTypeDouble:
		if k != reflect.Float32 && k != reflect.Float64 {
			return bad()
		}
		c.kind, c.bits = kFloat, t.Bits()
	case smithy.ShapeTypeTimestamp:
		if t != timeType {
			return bad()
		}
		c.kind, c.tf = kTime, "epoch-seconds" // awsJson's default
		if tf, ok := smithy.SchemaTrait[*traits.TimestampFormat](s); ok {
			c.tf, c.tfSet = tf.Format, true
		}
		switch c.tf {
		case "epoch-seconds", "date-time", "http-date":
		default:
			return nil, fmt.Errorf("shape %s: timestamp format %q", s.TargetID(), c.tf)
		}
	case smithy.ShapeTypeBlob:
		if k != reflect.Slice || t.Elem().Kind() != reflect.Uint8 {
			return bad()
		}
		c.kind = kBlob
	case smithy.ShapeTypeList, smithy.ShapeTypeSet:
		if k != reflect.Slice || c.ptr {
			return bad()
		}
		e, err := b.codec(t.Elem(), s.ListMember(), func(ev reflect.Value) *sdkschema.Recorder {
			sv := reflect.MakeSlice(t, 1, 1)
			sv.Index(0).Set(ev)
			return probe(sv)
		})
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kList, e
	case smithy.ShapeTypeMap:
		if k != reflect.Map || t.Key().Kind() != reflect.String || c.ptr {
			return bad()
		}
		e, err := b.codec(t.Elem(), s.MapValue(), func(ev reflect.Value) *sdkschema.Recorder {
			mv := reflect.MakeMapWithSize(t, 1)
			mv.SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), ev)
			return probe(mv)
		})
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kMap, e
	case smithy.ShapeTypeStructure:
		if k != reflect.Struct || t == timeType || t == bigIntType || t == bigFloatType {
			return bad()
		}
		sp, err := b.structPlan(t, s, false)
		if err != nil {
			return nil, err
		}
		c.kind, c.st = kStruct, sp
	case smithy.ShapeTypeUnion:
		if k != reflect.Interface || c.ptr {
			return bad()
		}
		if err := b.union(c, s, probe); err != nil {
			return nil, err
		}
	default:
		// Documents, big numbers: no service the simulator speaks for has them yet.
		return nil, fmt.Errorf("shape %s: %v members are not supported", s.TargetID(), s.Type())
	}
	return c, nil
}

// union fills c's variants: for each member type of the union (sdk_gen.go), the SDK's
// serializer names the member it writes.
func (b *builder) union(c *codec, s *smithy.Schema, probe func(reflect.Value) *sdkschema.Recorder) error {
	c.kind, c.variants = kUnion, map[string]variant{}
	for _, mt := range unionMembers {
		if !reflect.PointerTo(mt).Implements(c.typ) {
			continue
		}
		vf, ok := mt.FieldByName("Value")
		if !ok || len(vf.Index) != 1 {
			return fmt.Errorf("union member %v has no Value field", mt)
		}
		mv := reflect.New(mt)
		pv, err := sdkschema.ProbeValue(vf.Type, unionMembers)
		if err != nil {
			return err
		}
		mv.Elem().Field(vf.Index[0]).Set(pv)
		iv := reflect.New(c.typ).Elem()
		iv.Set(mv)
		m := probe(iv).Variant()
		if m == nil || s.Member(m.MemberName()) != m {
			return fmt.Errorf("the SDK serializes union member %v as no member of %s", mt, s.TargetID())
		}
		vc, err := b.codec(vf.Type, m, func(v reflect.Value) *sdkschema.Recorder {
			mv := reflect.New(mt)
			mv.Elem().Field(vf.Index[0]).Set(v)
			iv := reflect.New(c.typ).Elem()
			iv.Set(mv)
			return probe(iv)
		})
		if err != nil {
			return fmt.Errorf("%v: %w", mt, err)
		}
		c.variants[m.MemberName()] = variant{typ: mt, value: vf.Index[0], c: vc}
	}
	if len(c.variants) != len(s.Members()) {
		return fmt.Errorf("union %v: %d of the %d members of %s have a type in sdk_gen.go (run go generate)", c.typ, len(c.variants), len(s.Members()), s.TargetID())
	}
	return nil
}

// planCache is the per-Go-type plan cache of a protocol.
type planCache struct {
	rest  bool                         // restJson1's plans: @jsonName keys and HTTP bindings
	mu    sync.Mutex                   // guards building plans
	plans sync.Map                     // reflect.Type → *structPlan, top-level inputs
	built map[reflect.Type]*structPlan // every struct plan, by type

	// A restJson1 service of wire facts (NewRestFromSerializers) has its plans from them, and
	// plans of its outputs too (their keys may differ from the inputs').
	facts    *facts
	outPlans sync.Map                     // reflect.Type → *structPlan, top-level outputs
	outBuilt map[reflect.Type]*structPlan // every output struct plan, by type
}
