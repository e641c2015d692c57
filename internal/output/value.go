package output

import (
	"encoding/base64"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

const sdkServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"

var timeType = reflect.TypeOf(time.Time{})

// Value converts an SDK output struct (pointer) into the data the AWS CLI would have parsed
// from the same response:
//
//   - a structure is a [*Map] keyed by botocore's member names (the SDK's field names), in the
//     order of botocore's model, which is the order the AWS CLI prints (the SDK sorts its
//     fields instead); fields the model lacks follow in the SDK's order;
//   - nil pointers, nil slices and nil maps are absent, and so are empty enums (the SDK's
//     enum members are strings, "" when the response lacks them); ResultMetadata and
//     unexported fields are dropped; an empty non-nil slice is an empty list, as an empty XML list is to botocore;
//   - a Go map is a [*Map] with its keys sorted (the wire order is not kept by the SDK);
//   - lists are []any; strings and enums are string; integers int64; float32 and float64
//     float64 (a float32 by its shortest decimal form, as botocore parses the wire text);
//     booleans bool; blobs their base64 string, as the AWS CLI leaves them;
//   - a timestamp is the string the AWS CLI v2 prints with its default
//     cli_timestamp_format=iso8601: Python's isoformat in UTC, "2024-05-01T12:30:00+00:00",
//     with ".ffffff" when there are microseconds. It is a string already before --query, as
//     in the AWS CLI, so JMESPath compares and sorts it as a string.
//
// The AWS CLI prints only the members its own models know: Value keeps those of the AWS CLI
// v2 2.9.19 (Debian's awscli) and drops members added to the services since (a newer SDK
// parses them, the CLI ignores them). [ValueAll] keeps them, after the others.
//
// Value accepts any value: a non-SDK struct is converted the same way in field order, and
// data already converted is returned as is.
func Value(out any) any { return value(out, false) }

// ValueAll is [Value] keeping the members that the AWS CLI v2 2.9.19's models lack: those a
// newer botocore knows, in its order, then any others the SDK has, in the SDK's order.
func ValueAll(out any) any { return value(out, true) }

func value(out any, all bool) any {
	rv := reflect.ValueOf(out)
	if !rv.IsValid() {
		return nil
	}
	t := rv.Type()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var m *serviceModel
	var service, op, root string
	if t.Kind() == reflect.Struct && strings.HasPrefix(t.PkgPath(), sdkServicePrefix) {
		service = strings.TrimPrefix(t.PkgPath(), sdkServicePrefix)
		if i := strings.IndexByte(service, '/'); i >= 0 { // a types package
			service = service[:i]
		}
		m = modelOf(service)
		if name, ok := strings.CutSuffix(t.Name(), "Output"); ok && m != nil {
			op = name
			root = m.Operations[name]
		}
	}
	c := converter{m: m, all: all}
	v, ok := c.convert(rv, root)
	if !ok {
		return nil
	}
	if mm, isMap := v.(*Map); isMap && op != "" {
		mm.service, mm.op = service, op
	}
	return v
}

type converter struct {
	m   *serviceModel
	all bool // keep members the primary model lacks
}

// convert returns the data of v of the model's shape (or "" when unknown) and whether it is
// present at all.
func (c converter) convert(v reflect.Value, shapeName string) (any, bool) {
	switch v.Kind() {
	case reflect.Invalid:
		return nil, false
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return c.convert(v.Elem(), shapeName)
	case reflect.Struct:
		if v.Type() == timeType {
			return Timestamp(v.Interface().(time.Time)), true
		}
		if m, ok := v.Interface().(Map); ok {
			return &m, true
		}
		return c.structure(v, shapeName), true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes()), true
		}
		fallthrough
	case reflect.Array:
		elem := ""
		if s, ok := c.m.shapeOf(shapeName); ok && s.Type == "list" {
			elem = s.Member
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if e, ok := c.convert(v.Index(i), elem); ok {
				out = append(out, e)
			} else {
				out = append(out, nil)
			}
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		if m, ok := v.Interface().(map[string]any); ok && shapeName == "" {
			return sortedMap(m), true
		}
		elem := ""
		if s, ok := c.m.shapeOf(shapeName); ok && s.Type == "map" {
			elem = s.Value
		}
		keys := make([]string, 0, v.Len())
		byKey := map[string]reflect.Value{}
		for it := v.MapRange(); it.Next(); {
			k := mapKey(it.Key())
			keys = append(keys, k)
			byKey[k] = it.Value()
		}
		sort.Strings(keys)
		out := &Map{}
		for _, k := range keys {
			if e, ok := c.convert(byKey[k], elem); ok {
				out.Set(k, e)
			} else {
				out.Set(k, nil)
			}
		}
		return out, true
	case reflect.String:
		if shapeName == policyDocument {
			return decodePolicy(v.String()), true
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(v.Uint()), true
	case reflect.Float32:
		f, _ := strconv.ParseFloat(strconv.FormatFloat(v.Float(), 'g', -1, 32), 64)
		return f, true
	case reflect.Float64:
		return v.Float(), true
	}
	return nil, false
}

func mapKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return strings.TrimSpace(strings.Trim(strconv.Quote(k.String()), `"`))
}

func sortedMap(m map[string]any) *Map {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := &Map{}
	for _, k := range keys {
		v, ok := converter{}.convert(reflect.ValueOf(m[k]), "")
		if !ok {
			v = nil
		}
		out.Set(k, v)
	}
	return out
}

// structure converts a struct. A union member (the SDK's XxxMemberName{Value: …}) becomes a
// one-key Map, as botocore parses a union.
func (c converter) structure(v reflect.Value, shapeName string) *Map {
	t := v.Type()
	out := &Map{}
	if i := strings.Index(t.Name(), "Member"); i > 0 && t.NumField() >= 1 && t.Field(0).Name == "Value" && strings.HasPrefix(t.PkgPath(), sdkServicePrefix) {
		if e, ok := c.convert(v.Field(0), ""); ok {
			out.Set(t.Name()[i+len("Member"):], e)
		}
		return out
	}
	fields := map[string]int{}
	var order []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || f.Name == "ResultMetadata" {
			continue
		}
		fields[f.Name] = i
		order = append(order, f.Name)
	}
	done := map[string]bool{}
	add := func(name string, idx int, target string) {
		done[name] = true
		if f := v.Field(idx); f.Kind() == reflect.String && f.Len() == 0 {
			return // an enum the response did not have: the SDK's zero value, not a member
		}
		if e, ok := c.convert(v.Field(idx), target); ok {
			out.Set(name, e)
		}
	}
	s, known := c.m.shapeOf(shapeName)
	known = known && s.Type == "structure"
	if known {
		for _, mb := range s.Members {
			if len(mb) > 2 && mb[2] == "new" && !c.all {
				continue
			}
			idx, ok := fields[mb[0]]
			if !ok {
				idx, ok = fieldFold(fields, mb[0])
			}
			if ok && !done[t.Field(idx).Name] {
				add(t.Field(idx).Name, idx, mb[1])
			}
		}
	}
	for _, name := range order {
		if !done[name] && (!known || c.all) {
			add(name, fields[name], c.guessShape(t, name))
		}
	}
	return out
}

func fieldFold(fields map[string]int, name string) (int, bool) {
	for n, i := range fields {
		if strings.EqualFold(n, name) {
			return i, true
		}
	}
	return 0, false
}

// guessShape finds the model shape of a field the output's walk did not reach, by the Go
// type's name: the SDK names its types after the model's shapes.
func (c converter) guessShape(t reflect.Type, field string) string {
	if c.m == nil {
		return ""
	}
	f, _ := t.FieldByName(field)
	ft := f.Type
	for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
		ft = ft.Elem()
	}
	if s, ok := c.m.Shapes[ft.Name()]; ok && s.Type == "structure" && f.Type.Kind() != reflect.Slice {
		return ft.Name()
	}
	return ""
}

// Timestamp formats t as the AWS CLI v2 prints a timestamp by default: Python's
// datetime.isoformat() of the parsed value in UTC (microseconds, when not zero, and "+00:00").
func Timestamp(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}
