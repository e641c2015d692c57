package query

import (
	"context"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"

	"github.com/awsxlab/awsx/sim/internal/sdkschema"
)

// FromSchema returns the awsQuery codec of a service of the SDK's schema-based generation
// (RDS, Elastic Load Balancing v2, Auto Scaling, SNS): its service schema, as the SDK's
// api_client.go passes it to awsquery.New, and a value of its client type, whose methods are
// the operations (only the method set is used: (*rds.Client)(nil) will do).
//
//	query.FromSchema(schemas.AmazonRDSv19, (*rds.Client)(nil))
//
// Wire names, list and map layouts and timestamp formats come from the member schemas the
// SDK's SerializeMembers methods hand over; the required members, which the schemas do not
// carry, from data/<name>.required, which `go generate` writes from the module's
// validators.go once the service is in internal/awsmodel's list. It panics if client has no
// operation methods of this generation, a programming error; other problems (no required
// file, a shape the codec cannot carry) are returned by the first Decode or Encode.
//
// unions lists the member types of the unions its types have (the SDK's XMemberY types:
// reflection cannot enumerate an interface's implementations); a union member of a type it
// does not list is refused when its plan is built.
func FromSchema(service *smithy.ServiceSchema, client any, unions ...reflect.Type) *Service {
	ct := reflect.TypeOf(client)
	pkg := ""
	if ct != nil && ct.Kind() == reflect.Pointer {
		pkg = ct.Elem().PkgPath()
	}
	s := &Service{
		name:     path.Base(pkg),
		protocol: AWSQuery,
		version:  service.Version,
		pkg:      pkg,
		ops:      schemaOperations(ct),
		unions:   unions,
	}
	if ns, ok := smithy.SchemaTrait[*traits.XMLNamespace](service.Schema); ok {
		s.xmlns = ns.URI
	}
	if len(s.ops) == 0 {
		panic(fmt.Sprintf("query: %v has no operation methods of a schema-serialized SDK client", ct))
	}
	return s
}

var (
	ctxType          = reflect.TypeFor[context.Context]()
	errorType        = reflect.TypeFor[error]()
	serializableType = reflect.TypeFor[smithy.Serializable]()
)

// schemaOperations returns the operations of an SDK client type: its methods
// (ctx, *XInput, ...func(*Options)) (*XOutput, error), by name.
func schemaOperations(ct reflect.Type) map[string]*opDef {
	ops := map[string]*opDef{}
	if ct == nil {
		return ops
	}
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		ft := m.Type // with the receiver
		if ft.NumIn() != 4 || !ft.IsVariadic() || ft.In(1) != ctxType || ft.NumOut() != 2 || ft.Out(1) != errorType {
			continue
		}
		in, out := ft.In(2), ft.Out(0)
		if in.Kind() != reflect.Pointer || in.Elem().Name() != m.Name+"Input" ||
			out.Kind() != reflect.Pointer || out.Elem().Name() != m.Name+"Output" ||
			!in.Implements(serializableType) || !out.Implements(serializableType) {
			continue
		}
		ops[m.Name] = &opDef{name: m.Name, input: in.Elem().Name(), output: out.Elem().Name(), outType: out.Elem()}
	}
	return ops
}

// schemaData makes the tables of a schema-based service: its operations, each answering in
// <OpResult> unless its output is Smithy's Unit, and its required members.
func (s *Service) schemaData() (*tables, error) {
	b, err := shapeFiles.ReadFile("data/" + s.name + ".required")
	if err != nil {
		return nil, fmt.Errorf("query: %s: no required members (%w): add the service to internal/awsmodel and run go generate in sim/internal/query", s.name, err)
	}
	t := &tables{ops: s.ops, required: map[string]map[string]string{}}
	for n, line := range strings.Split(string(b), "\n") {
		w := strings.Fields(line)
		switch {
		case len(w) == 0:
		case w[0] == "svc" && len(w) == 4:
			t.version = w[2]
		case w[0] == "r" && len(w) == 4:
			if t.required[w[1]] == nil {
				t.required[w[1]] = map[string]string{}
			}
			t.required[w[1]][w[2]] = w[3]
		default:
			return nil, fmt.Errorf("query: %s.required: line %d: malformed %q", s.name, n+1, line)
		}
	}
	if t.version != s.version {
		return nil, fmt.Errorf("query: %s.required is for version %q, not %q: run go generate", s.name, t.version, s.version)
	}
	for name, o := range t.ops {
		t.opNames = append(t.opNames, name)
		top, err := sdkschema.Top(o.outType)
		if err != nil {
			return nil, fmt.Errorf("query: %s: %w", s.name, err)
		}
		if top != nil {
			o.result = name + "Result"
		}
	}
	slices.Sort(t.opNames)
	return t, nil
}

// buildSchemaTop builds the plan of a top-level input or output type from its schema.
func (s *Service) buildSchemaTop(tb *tables, t reflect.Type, input bool) (*structPlan, error) {
	cache, built := &s.out, &s.outB
	if input {
		cache, built = &s.in, &s.inB
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := cache.Load(t); ok {
		return p.(*structPlan), nil
	}
	if *built == nil {
		*built = map[reflect.Type]*structPlan{}
	}
	top, err := sdkschema.Top(t)
	if err != nil {
		return nil, fmt.Errorf("query: %s: %w", s.name, err)
	}
	if top == nil { // Unit: no members
		p := &structPlan{typ: t, byWire: map[string]*fieldPlan{}}
		cache.Store(t, p)
		return p, nil
	}
	b := &schemaBuilder{svc: s, input: input, required: tb.required, built: *built}
	p, err := b.structPlan(t, top)
	if err != nil {
		for _, k := range b.added { // so that a later call reports the same error
			delete(*built, k)
		}
		return nil, fmt.Errorf("query: %s: %v: %w", s.name, t, err)
	}
	cache.Store(t, p)
	return p, nil
}

// schemaBuilder builds plans from member schemas. Input plans use the names the SDK's
// awsQuery serializer writes (a member's xmlName, else its name; a list's member xmlName,
// else "member"); output plans the names its XML reader looks for (a member's own xmlName,
// else its name), and the list member and map entry names AWS writes.
type schemaBuilder struct {
	svc      *Service
	input    bool
	required map[string]map[string]string // by Go type ("X", "types.X"), then field
	built    map[reflect.Type]*structPlan
	added    []reflect.Type
}

func (b *schemaBuilder) structPlan(t reflect.Type, s *smithy.Schema) (*structPlan, error) {
	if p := b.built[t]; p != nil {
		return p, nil // possibly still being filled: recursive shapes
	}
	p := &structPlan{typ: t, byWire: map[string]*fieldPlan{}}
	b.built[t] = p
	b.added = append(b.added, t)
	fs, err := sdkschema.Fields(t, s, b.svc.unions)
	if err != nil {
		return nil, err
	}
	var req map[string]string
	if b.input {
		name := t.Name()
		if t.PkgPath() != b.svc.pkg {
			name = "types." + name
		}
		req = b.required[name]
	}
	p.fields = make([]fieldPlan, 0, len(fs))
	for _, f := range fs {
		if f.Member == nil {
			continue // the SDK's own field, not on the wire
		}
		sf := t.Field(f.Index)
		c, err := b.codec(sf.Type, f.Member)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sf.Name, err)
		}
		_, flat := smithy.SchemaTrait[*traits.XMLFlattened](f.Member)
		fp := fieldPlan{index: f.Index, goName: sf.Name, wire: b.memberName(f.Member), flat: flat, required: req[sf.Name], c: c}
		if fp.required != "" {
			p.hasReq = true
		}
		p.fields = append(p.fields, fp)
	}
	for i := range p.fields {
		f := &p.fields[i]
		if p.byWire[f.wire] != nil {
			return nil, fmt.Errorf("two members of %s are named %q", s.ID(), f.wire)
		}
		p.byWire[f.wire] = f
	}
	return p, nil
}

// memberName is a struct member's name on the wire. The SDK's query serializer takes the
// member's xmlName, its own or its target's; its XML reader only the member's own.
func (b *schemaBuilder) memberName(m *smithy.Schema) string {
	var xn *traits.XMLName
	var ok bool
	if b.input {
		xn, ok = smithy.SchemaTrait[*traits.XMLName](m)
	} else {
		xn, ok = smithy.SchemaDirectTrait[*traits.XMLName](m)
	}
	if ok {
		return xn.Name
	}
	return m.MemberName()
}

func xmlName(m *smithy.Schema, def string) string {
	if m != nil {
		if xn, ok := smithy.SchemaTrait[*traits.XMLName](m); ok {
			return xn.Name
		}
	}
	return def
}

func (b *schemaBuilder) codec(t reflect.Type, s *smithy.Schema) (*codec, error) {
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
		c.kind, c.tf = kTime, "date-time" // awsQuery's default, in and out
		if tf, ok := smithy.SchemaTrait[*traits.TimestampFormat](s); ok {
			c.tf = tf.Format
		}
		switch c.tf {
		case "date-time", "http-date", "epoch-seconds":
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
		e, err := b.codec(t.Elem(), s.ListMember())
		if err != nil {
			return nil, err
		}
		c.kind, c.elem, c.member = kList, e, xmlName(s.ListMember(), "member")
	case smithy.ShapeTypeMap:
		if k != reflect.Map || t.Key().Kind() != reflect.String || c.ptr {
			return bad()
		}
		e, err := b.codec(t.Elem(), s.MapValue())
		if err != nil {
			return nil, err
		}
		c.kind, c.elem = kMap, e
		c.member, c.key, c.val = "entry", xmlName(s.MapKey(), "key"), xmlName(s.MapValue(), "value")
	case smithy.ShapeTypeStructure:
		if k != reflect.Struct || t == timeType {
			return bad()
		}
		p, err := b.structPlan(t, s)
		if err != nil {
			return nil, err
		}
		c.kind, c.st = kStruct, p
	case smithy.ShapeTypeUnion:
		// Written as a structure with its one member set: Criteria.PromQLCriteria.Query=… in,
		// <Criteria><PromQLCriteria>…</PromQLCriteria></Criteria> out.
		if k != reflect.Interface || c.ptr {
			return bad()
		}
		c.kind, c.union, c.unionByType = kUnion, map[string]unionMember{}, map[reflect.Type]string{}
		for _, mt := range b.svc.unions {
			if !reflect.PointerTo(mt).Implements(t) {
				continue
			}
			m := s.Member(strings.TrimPrefix(mt.Name(), t.Name()+"Member")) // the SDK's XMemberY naming
			vf, ok := mt.FieldByName("Value")
			if m == nil || !ok || len(vf.Index) != 1 {
				return nil, fmt.Errorf("union member %v is no member of %s", mt, s.TargetID())
			}
			vc, err := b.codec(vf.Type, m)
			if err != nil {
				return nil, fmt.Errorf("%v: %w", mt, err)
			}
			name := b.memberName(m)
			c.union[name] = unionMember{typ: mt, index: vf.Index[0], c: vc}
			c.unionByType[mt] = name
		}
		if len(c.union) != len(s.Members()) {
			return nil, fmt.Errorf("union %v: %d of the %d members of %s have a type given to FromSchema", t, len(c.union), len(s.Members()), s.TargetID())
		}
	default:
		// Documents and big numbers: no awsQuery service of this generation has them.
		return nil, fmt.Errorf("shape %s: %v members are not supported", s.TargetID(), s.Type())
	}
	return c, nil
}
