// Package sdkschema learns, from the aws-sdk-go-v2 modules of the schema-based generation,
// which Smithy member each field of an SDK struct is. The simulator's codecs that build on
// those modules (jsonproto for the JSON protocols, query for awsQuery) plan their wire
// formats from what it finds, so that no member name, trait or shape type is written by hand.
//
// # How it asks
//
// Every generated input, output and nested struct has a SerializeMembers method that hands
// each member that is set to a smithy.ShapeSerializer, together with the member's schema (its
// name, target shape and traits: xmlName, xmlFlattened, timestampFormat, jsonName, the HTTP
// bindings). [Fields] sets one field of a zero struct at a time to a value the SDK writes
// ([ProbeValue]), serializes the struct into a [Recorder] that writes nothing, and notes
// which member schema came out differently from the zero struct's. A field's Probe does the
// same with any value, which is how a union's member types learn their member names: a
// union is an interface, and its member types are listed by the codec's own `go generate`.
//
// # Cost and concurrency
//
// Each call serializes the struct once per field; callers build their plans once per Go type
// and cache them. The functions keep no state and are safe for concurrent use.
package sdkschema

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
)

var (
	timeType     = reflect.TypeFor[time.Time]()
	metadataType = reflect.TypeFor[middleware.Metadata]()
	documentType = reflect.TypeFor[document.Value]()
)

// Members is what the SDK's generated structs implement: SerializeMembers writes each member
// that is set, with its schema.
type Members interface {
	SerializeMembers(smithy.ShapeSerializer)
}

// Top returns the schema a top-level input or output type writes itself as: the SDK's
// Serialize method opens the struct with it. It is nil for Smithy's Unit (an operation
// without input or output), which the SDK writes as a struct without schema or members.
func Top(t reflect.Type) (*smithy.Schema, error) {
	v, ok := reflect.New(t).Interface().(smithy.Serializable)
	if !ok {
		return nil, fmt.Errorf("%v has no Serialize method: not an SDK type of the schema-based generation", t)
	}
	var r Recorder
	v.Serialize(&r)
	if len(r.events) == 0 || r.events[0].v != "" || r.events[0].s != nil && r.events[0].s.Type() != smithy.ShapeTypeStructure {
		return nil, fmt.Errorf("%v does not serialize as a structure", t)
	}
	return r.events[0].s, nil
}

// Field is a field of an SDK struct and the member schema the SDK writes it as.
type Field struct {
	Index  int            // of the field in the struct
	Member *smithy.Schema // the member's schema, as the SDK's serializer hands it over; nil for a field it never writes
	// Probe serializes a zero struct with the field set to v, for callers that must learn
	// more of the field's value (a union's member names) from the SDK.
	Probe func(v reflect.Value) *Recorder
}

// Fields asks the SDK which member each exported field of t (a struct of schema s) is. unions
// lists the union member types the codec knows (see [ProbeValue]). A field the SDK does not
// write at all (a client-side input such as RDS's SourceRegion) is returned without Member.
// Unexported fields are not probed (reflection cannot set them); each may be one member. It
// fails when a field is written as no member of s, two fields as one member, or a member has
// no field.
func Fields(t reflect.Type, s *smithy.Schema, unions []reflect.Type) ([]Field, error) {
	if _, ok := reflect.New(t).Interface().(Members); !ok {
		return nil, fmt.Errorf("%v (shape %s) has no SerializeMembers method", t, s.ID())
	}
	var base Recorder
	reflect.New(t).Interface().(Members).SerializeMembers(&base)
	var fs []Field
	seen := map[*smithy.Schema]bool{}
	hidden := 0 // fields the SDK does not write itself: its middleware reads or sets them (RDS's SourceRegion, destinationRegion)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && f.Name != "noSmithyDocumentSerde" {
			hidden++
		}
		if !f.IsExported() || f.Type == metadataType {
			continue
		}
		probe := func(fv reflect.Value) *Recorder {
			v := reflect.New(t)
			v.Elem().Field(i).Set(fv)
			var r Recorder
			v.Interface().(Members).SerializeMembers(&r)
			return &r
		}
		pv, err := ProbeValue(f.Type, unions)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		r := probe(pv)
		m := r.changed(&base)
		if m == nil && r.same(&base) {
			// Written as nothing: a member the SDK's middleware reads instead (RDS's
			// SourceRegion, from which it makes PreSignedUrl), not sent.
			fs = append(fs, Field{Index: i, Probe: probe})
			hidden++
			continue
		}
		if m == nil || s.Member(m.MemberName()) != m {
			return nil, fmt.Errorf("%s: the SDK serializes the field as no member of %s", f.Name, s.ID())
		}
		if seen[m] {
			return nil, fmt.Errorf("%s: two fields are member %s of %s", f.Name, m.MemberName(), s.ID())
		}
		seen[m] = true
		fs = append(fs, Field{Index: i, Member: m, Probe: probe})
	}
	if len(seen)+hidden != len(s.Members()) {
		return nil, fmt.Errorf("%d of the %d members of %s are written from a field, and %d fields are not written", len(seen), len(s.Members()), s.ID(), hidden)
	}
	return fs, nil
}

// ProbeValue returns a value of type t that the SDK's serializers write: they skip nil
// pointers, slices and maps, empty strings and zero numbers. For an interface (a union) it
// is a member type from unions that implements it.
func ProbeValue(t reflect.Type, unions []reflect.Type) (reflect.Value, error) {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 0, 0))
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
	case reflect.Struct:
		if t == timeType {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
		}
	case reflect.Interface:
		if t == documentType {
			return v, fmt.Errorf("document members are not supported")
		}
		for _, mt := range unions {
			if reflect.PointerTo(mt).Implements(t) {
				v.Set(reflect.New(mt))
				return v, nil
			}
		}
		return v, fmt.Errorf("interface %v: no known union member type implements it (run go generate)", t)
	default:
		return v, fmt.Errorf("unsupported Go type %v", t)
	}
	return v, nil
}

// Recorder is a smithy.ShapeSerializer that writes nothing: it notes the schemas (and scalar
// values) the SDK's generated Serialize methods hand it at the outermost level, and the first
// union member written. The zero value is ready to use.
type Recorder struct {
	depth   int
	events  []event
	variant *smithy.Schema
}

type event struct {
	s *smithy.Schema
	v string // a scalar's value, "" for a container
}

var _ smithy.ShapeSerializer = (*Recorder)(nil)

// Variant returns the member schema of the first union member written, or nil.
func (r *Recorder) Variant() *smithy.Schema { return r.variant }

func (r *Recorder) note(s *smithy.Schema, v any) {
	if r.depth == 0 {
		e := event{s: s}
		if v != nil {
			e.v = fmt.Sprint(v)
		}
		r.events = append(r.events, e)
	}
}

func (r *Recorder) open(s *smithy.Schema) { r.note(s, nil); r.depth++ }
func (r *Recorder) close()                { r.depth-- }

func (r *Recorder) Bytes() []byte                                    { return nil }
func (r *Recorder) WriteInt8(s *smithy.Schema, v int8)               { r.note(s, v) }
func (r *Recorder) WriteInt16(s *smithy.Schema, v int16)             { r.note(s, v) }
func (r *Recorder) WriteInt32(s *smithy.Schema, v int32)             { r.note(s, v) }
func (r *Recorder) WriteInt64(s *smithy.Schema, v int64)             { r.note(s, v) }
func (r *Recorder) WriteFloat32(s *smithy.Schema, v float32)         { r.note(s, v) }
func (r *Recorder) WriteFloat64(s *smithy.Schema, v float64)         { r.note(s, v) }
func (r *Recorder) WriteBool(s *smithy.Schema, v bool)               { r.note(s, v) }
func (r *Recorder) WriteString(s *smithy.Schema, v string)           { r.note(s, "s"+v) }
func (r *Recorder) WriteBigInt(s *smithy.Schema, v *big.Int)         { r.note(s, v) }
func (r *Recorder) WriteBigFloat(s *smithy.Schema, v *big.Float)     { r.note(s, v) }
func (r *Recorder) WriteBlob(s *smithy.Schema, v []byte)             { r.note(s, v) }
func (r *Recorder) WriteTime(s *smithy.Schema, v time.Time)          { r.note(s, v.UnixNano()) }
func (r *Recorder) WriteDocument(s *smithy.Schema, v document.Value) { r.note(s, nil) }
func (r *Recorder) WriteNil(s *smithy.Schema)                        { r.note(s, "nil") }
func (r *Recorder) WriteStruct(s *smithy.Schema)                     { r.open(s) }
func (r *Recorder) CloseStruct()                                     { r.close() }
func (r *Recorder) WriteList(s *smithy.Schema)                       { r.open(s) }
func (r *Recorder) CloseList()                                       { r.close() }
func (r *Recorder) WriteMap(s *smithy.Schema)                        { r.open(s) }
func (r *Recorder) WriteKey(*smithy.Schema, string)                  {}
func (r *Recorder) CloseMap()                                        { r.close() }
func (r *Recorder) CloseUnion()                                      { r.close() }

func (r *Recorder) WriteUnion(s, v *smithy.Schema) {
	if r.variant == nil {
		r.variant = v
	}
	r.open(s)
}

// same reports whether r wrote what base wrote.
func (r *Recorder) same(base *Recorder) bool { return slices.Equal(r.events, base.events) }

// changed returns the one schema written differently from base (the zero struct's members:
// the SDK writes some non-pointer members, such as a bool with a default, even when zero),
// or nil when there is not exactly one.
func (r *Recorder) changed(base *Recorder) *smithy.Schema {
	var found *smithy.Schema
	for _, e := range r.events {
		if slices.Contains(base.events, e) {
			continue
		}
		if found != nil && found != e.s {
			return nil
		}
		found = e.s
	}
	return found
}
