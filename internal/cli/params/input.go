package params

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// FromJSON fills in, a pointer to an input struct, from --cli-input-json text: an object of
// botocore member names, which are the SDK's field names for these services. Members the text
// names replace the fields' values; others are left as they are, so flags can be set before or
// after. Blobs are base64, as in the AWS CLI v2. Errors are *[UsageError].
func FromJSON(in any, data []byte) error {
	if err := checkInput(in, "FromJSON"); err != nil {
		return err
	}
	v, err := decodeJSON(string(data))
	if err != nil {
		return &UsageError{Message: "Error parsing parameter 'cli-input-json': Invalid JSON received."}
	}
	return fill(in, v, "cli-input-json")
}

func checkInput(in any, fn string) error {
	rv := reflect.ValueOf(in)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("params: %s needs a pointer to an input struct, not %T", fn, in)
	}
	return nil
}

// fill sets the members of in that the decoded object v names, for the parameter param.
func fill(in any, v any, param string) error {
	rv := reflect.ValueOf(in)
	obj, ok := v.(*object)
	if !ok {
		return &UsageError{Param: param, Message: fmt.Sprintf("Invalid type: expecting map, received %s", pyType(v))}
	}
	c := &converter{}
	t := rv.Elem().Type()
	out, ok := c.structure(t, obj, "")
	if c.fatal != nil {
		c.fatal.Param = param
		return c.fatal
	}
	if len(c.errs) > 0 || !ok {
		return &UsageError{Param: param, Message: strings.Join(c.errs, "\n"), Form: ValidationError}
	}
	for _, k := range obj.keys {
		f, _ := t.FieldByName(k)
		rv.Elem().Field(f.Index[0]).Set(out.Field(f.Index[0]))
	}
	return nil
}

// Validate reports the required members that in, a pointer to an input struct, lacks, as
// botocore does before sending: "Missing required parameter in input: \"UserName\"".
// Set checks nested members; the command checks required flags itself, and calls Validate
// when --cli-input-json may have supplied them.
func Validate(in any) error {
	rv := reflect.ValueOf(in)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("params: Validate needs a pointer to an input struct, not %T", in)
	}
	t := rv.Elem().Type()
	var errs []string
	for _, name := range required[t.PkgPath()+"."+t.Name()] {
		f := rv.Elem().FieldByName(name)
		if f.IsValid() && (f.IsZero() && (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Map || f.Kind() == reflect.Interface)) {
			errs = append(errs, fmt.Sprintf("Missing required parameter in input: %q", name))
		}
	}
	if len(errs) > 0 {
		return &UsageError{Message: strings.Join(errs, "\n"), Form: ValidationError}
	}
	return nil
}

// Skeleton returns --generate-cli-skeleton's JSON for an input type, with the AWS CLI v2's
// placeholders: "" for strings, an enum's first value, 0, 0.0, true, "1970-01-01T00:00:00",
// null for blobs, one-element lists, {"KeyName": …} for maps, {} where a structure recurs.
// Members are in [Params] order.
func Skeleton(input reflect.Type) []byte {
	var b bytes.Buffer
	writeSkeleton(&b, deref(input), 0, nil)
	b.WriteByte('\n')
	return b.Bytes()
}

func writeSkeleton(b *bytes.Buffer, t reflect.Type, depth int, stack []reflect.Type) {
	indent := func(d int) { b.WriteString(strings.Repeat("    ", d)) }
	if t == readerType || t == bytesType {
		b.WriteString("null")
		return
	}
	t = deref(t)
	switch {
	case t == timeType:
		b.WriteString(`"1970-01-01T00:00:00"`)
		return
	case t.Kind() == reflect.String:
		s := ""
		if vals := EnumValues(t); len(vals) > 0 {
			s = vals[0]
		}
		q, _ := json.Marshal(s)
		b.Write(q)
		return
	case t.Kind() == reflect.Bool:
		b.WriteString("true")
		return
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		b.WriteString("0.0")
		return
	case isScalarType(t):
		b.WriteString("0")
		return
	case t.Kind() == reflect.Slice:
		b.WriteString("[\n")
		indent(depth + 1)
		writeSkeleton(b, t.Elem(), depth+1, stack)
		b.WriteByte('\n')
		indent(depth)
		b.WriteByte(']')
		return
	case t.Kind() == reflect.Map:
		b.WriteString("{\n")
		indent(depth + 1)
		b.WriteString(`"KeyName": `)
		writeSkeleton(b, t.Elem(), depth+1, stack)
		b.WriteByte('\n')
		indent(depth)
		b.WriteByte('}')
		return
	case isUnion(t):
		// Every member, as the AWS CLI writes a union's skeleton.
		members := unionMembers[t]
		names := make([]string, 0, len(members))
		for n := range members {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString("{\n")
		for i, n := range names {
			indent(depth + 1)
			fmt.Fprintf(b, "%q: ", n)
			f, _ := members[n].FieldByName("Value")
			writeSkeleton(b, f.Type, depth+1, stack)
			if i < len(names)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(depth)
		b.WriteByte('}')
		return
	case t.Kind() != reflect.Struct:
		b.WriteString("null")
		return
	}
	n := 0
	for _, s := range stack {
		if s == t {
			n++
		}
	}
	ps := Params(t)
	if n > 0 || len(ps) == 0 {
		b.WriteString("{}")
		return
	}
	stack = append(stack, t)
	b.WriteString("{\n")
	for i, p := range ps {
		indent(depth + 1)
		q, _ := json.Marshal(p.Field)
		b.Write(q)
		b.WriteString(": ")
		writeSkeleton(b, p.Type, depth+1, stack)
		if i < len(ps)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	indent(depth)
	b.WriteByte('}')
}

// EnumValues returns the values of an SDK enum type (its Values method), in the model's
// order; nil for other types. Pointers are followed.
func EnumValues(t reflect.Type) []string {
	t = deref(t)
	if t.Kind() != reflect.String {
		return nil
	}
	m := reflect.New(t).Elem().MethodByName("Values")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	vals := m.Call(nil)[0]
	if vals.Kind() != reflect.Slice {
		return nil
	}
	out := make([]string, vals.Len())
	for i := range out {
		out[i] = vals.Index(i).String()
	}
	return out
}
