package query

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// kind is how a value is written on the wire.
type kind uint8

const (
	kString kind = iota // string and string enums
	kBool
	kInt
	kUint
	kFloat
	kTime
	kBlob
	kStruct
	kList
	kMap
	kUnion
)

// codec is the plan for one value: a struct field, a list element or a map value.
type codec struct {
	kind kind
	ptr  bool         // the Go value is a pointer to typ
	typ  reflect.Type // the value's type, pointer removed
	bits int          // integer and float sizes
	tf   string       // kTime of a FromSchema service: "date-time", "http-date" or "epoch-seconds"

	st *structPlan // kStruct

	elem      *codec // kList, kMap
	member    string // list member element or key; map entry ("" when flattened)
	key, val  string // map key and value names
	skipEmpty bool   // the SDK sends nothing for an empty list or map

	union       map[string]unionMember // kUnion: by wire name
	unionByType map[reflect.Type]string
}

type unionMember struct {
	typ   reflect.Type // the member struct type (its pointer implements the union)
	index int          // of its Value field
	c     *codec
}

type fieldPlan struct {
	index    int
	goName   string
	wire     string
	flat     bool
	required string // the validators' name, when the SDK requires the member
	c        *codec
}

type structPlan struct {
	typ    reflect.Type
	fields []fieldPlan
	byWire map[string]*fieldPlan
	hasReq bool
	// ignored are the wire names of members the SDK keeps unexported, such as CopySnapshot's
	// DestinationRegion, which its presigning sets: the model has them and clients send them,
	// but the Go input cannot hold them. They are accepted and dropped.
	ignored map[string]bool
}

var timeType = reflect.TypeFor[time.Time]()

// inputPlan returns the decoding plan of a top-level input struct type.
func (s *Service) inputPlan(t reflect.Type) (*structPlan, error) {
	if p, ok := s.in.Load(t); ok {
		return p.(*structPlan), nil
	}
	return s.buildTop(t, true)
}

// outputPlan returns the encoding plan of a top-level output struct type.
func (s *Service) outputPlan(t reflect.Type) (*structPlan, error) {
	if p, ok := s.out.Load(t); ok {
		return p.(*structPlan), nil
	}
	return s.buildTop(t, false)
}

func (s *Service) buildTop(t reflect.Type, input bool) (*structPlan, error) {
	tb, err := s.data()
	if err != nil {
		return nil, err
	}
	if t.Kind() != reflect.Struct || s.pkg == "" && t.PkgPath() != sdkPrefix+s.name || s.pkg != "" && t.PkgPath() != s.pkg {
		return nil, fmt.Errorf("query: %s: %v is not a %s input or output type", s.name, t, s.name)
	}
	if s.ops != nil {
		return s.buildSchemaTop(tb, t, input)
	}
	shapes, cache, built := tb.out, &s.out, &s.outB
	if input {
		shapes, cache, built = tb.in, &s.in, &s.inB
	}
	d := shapes[t.Name()]
	if d == nil || d.kind != 'S' {
		// Operations without members have no serializer: their plan is empty.
		if _, ok := tb.ops[strings.TrimSuffix(strings.TrimSuffix(t.Name(), "Input"), "Output")]; !ok {
			return nil, fmt.Errorf("query: %s: no shape for %v", s.name, t)
		}
		d = &shapeDef{kind: 'S', id: t.Name(), goType: t.Name()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if *built == nil {
		*built = map[reflect.Type]*structPlan{}
	}
	b := &builder{svc: s, shapes: shapes, built: *built}
	p, err := b.structPlan(t, d)
	if err != nil {
		return nil, err
	}
	cache.Store(t, p)
	return p, nil
}

const sdkPrefix = "github.com/aws/aws-sdk-go-v2/service/"

type builder struct {
	svc    *Service
	shapes map[string]*shapeDef
	built  map[reflect.Type]*structPlan
}

func (b *builder) structPlan(t reflect.Type, d *shapeDef) (*structPlan, error) {
	if p := b.built[t]; p != nil {
		return p, nil // possibly still being filled: recursive shapes
	}
	want := strings.TrimPrefix(d.goType, "types.")
	if t.Name() != want {
		return nil, fmt.Errorf("query: %s: shape %s is Go type %s, not %v", b.svc.name, d.id, d.goType, t)
	}
	p := &structPlan{typ: t, byWire: make(map[string]*fieldPlan, len(d.fields))}
	b.built[t] = p
	p.fields = make([]fieldPlan, 0, len(d.fields))
	for _, fd := range d.fields {
		sf, ok := t.FieldByName(fd.goName)
		if !ok || len(sf.Index) != 1 {
			return nil, fmt.Errorf("query: %s: %v has no field %s", b.svc.name, t, fd.goName)
		}
		if !sf.IsExported() {
			if p.ignored == nil {
				p.ignored = map[string]bool{}
			}
			p.ignored[fd.wire] = true
			continue
		}
		c, err := b.codec(sf.Type, fd.ref)
		if err != nil {
			return nil, fmt.Errorf("%v.%s: %w", t, fd.goName, err)
		}
		p.fields = append(p.fields, fieldPlan{index: sf.Index[0], goName: fd.goName, wire: fd.wire, flat: fd.flat, required: fd.required, c: c})
		if fd.required != "" {
			p.hasReq = true
		}
	}
	for i := range p.fields {
		p.byWire[p.fields[i].wire] = &p.fields[i]
	}
	return p, nil
}

func (b *builder) codec(t reflect.Type, ref string) (*codec, error) {
	c := &codec{typ: t}
	if t.Kind() == reflect.Pointer {
		c.ptr, c.typ = true, t.Elem()
		t = c.typ
	}
	if ref == "" {
		switch {
		case t == timeType:
			c.kind = kTime
		case t.Kind() == reflect.String:
			c.kind = kString
		case t.Kind() == reflect.Bool:
			c.kind = kBool
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
			c.kind, c.bits = kInt, t.Bits()
		case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
			c.kind, c.bits = kUint, t.Bits()
		case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
			c.kind, c.bits = kFloat, t.Bits()
		case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
			c.kind = kBlob
		default:
			return nil, fmt.Errorf("scalar of unsupported type %v", t)
		}
		return c, nil
	}
	d := b.shapes[ref]
	if d == nil {
		return nil, fmt.Errorf("unknown shape %s", ref)
	}
	switch d.kind {
	case 'S':
		if t.Kind() != reflect.Struct {
			return nil, fmt.Errorf("shape %s is a structure, Go type %v", ref, t)
		}
		p, err := b.structPlan(t, d)
		if err != nil {
			return nil, err
		}
		c.kind, c.st = kStruct, p
	case 'L':
		if t.Kind() != reflect.Slice {
			return nil, fmt.Errorf("shape %s is a list, Go type %v", ref, t)
		}
		e, err := b.codec(t.Elem(), d.ref)
		if err != nil {
			return nil, err
		}
		c.kind, c.elem, c.member, c.skipEmpty = kList, e, d.member, d.skipEmpty
	case 'M':
		if t.Kind() != reflect.Map || t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("shape %s is a map, Go type %v", ref, t)
		}
		e, err := b.codec(t.Elem(), d.ref)
		if err != nil {
			return nil, err
		}
		c.kind, c.elem, c.member, c.key, c.val, c.skipEmpty = kMap, e, d.member, d.key, d.val, d.skipEmpty
	case 'U':
		if t.Kind() != reflect.Interface {
			return nil, fmt.Errorf("shape %s is a union, Go type %v", ref, t)
		}
		c.kind = kUnion
		c.union = map[string]unionMember{}
		c.unionByType = map[reflect.Type]string{}
		for _, fd := range d.fields {
			mt := unionMembers[b.svc.name][fd.goName]
			if mt == nil {
				return nil, fmt.Errorf("union member %s is not in unions_gen.go", fd.goName)
			}
			vf, ok := mt.FieldByName("Value")
			if !ok {
				return nil, fmt.Errorf("union member %v has no Value", mt)
			}
			vc, err := b.codec(vf.Type, fd.ref)
			if err != nil {
				return nil, err
			}
			c.union[fd.wire] = unionMember{typ: mt, index: vf.Index[0], c: vc}
			c.unionByType[mt] = fd.wire
		}
	}
	return c, nil
}
