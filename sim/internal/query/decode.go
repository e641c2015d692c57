package query

import (
	"encoding/base64"
	"github.com/awsxlab/awsx/sim/internal/core"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Decode fills in (a pointer to an SDK input struct, e.g. *iam.CreateUserInput) from a
// request's form values. Action and Version, checked by the caller, are ignored.
//
// Bad input — a value of the wrong type, a list index that is not a positive integer, a member
// the SDK's validators require but the form lacks, and for ec2query a parameter the operation
// does not have — returns *Error with AWS's code for the protocol. Other errors (in is not an
// input of this service) are plain errors: the caller's bug, not the client's.
func (s *Service) Decode(form url.Values, in any) error {
	rv := reflect.ValueOf(in)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return &callerError{"query: Decode needs a non-nil pointer to an input struct, not " + reflect.TypeOf(in).String()}
	}
	p, err := s.inputPlan(rv.Type().Elem())
	if err != nil {
		return err
	}
	root := node{}
	a := arena{free: make([]node, 0, 3*len(form))}
	for key, vals := range form {
		if key == "Action" || key == "Version" {
			continue
		}
		v := ""
		if len(vals) > 0 {
			v = vals[0]
		}
		root.insert(&a, key, v)
	}
	d := decoder{svc: s, ec2: s.protocol == EC2Query}
	d.structValue(&root, p, rv.Elem())
	if d.err != nil {
		return d.err
	}
	if len(d.missing) > 0 {
		return d.missingError()
	}
	return nil
}

// node is one dotted segment of the form's keys: `Filter.1.Value.2` is four nodes deep.
type node struct {
	seg   string
	val   string
	has   bool
	kids  []*node
	index int // parsed list index, once checked
}

// arena hands out nodes from one allocation.
type arena struct{ free []node }

func (a *arena) new(seg string) *node {
	if len(a.free) == cap(a.free) {
		a.free = make([]node, 0, 32)
	}
	a.free = append(a.free, node{seg: seg})
	return &a.free[len(a.free)-1]
}

func (n *node) insert(a *arena, key, val string) {
	for {
		seg, rest, more := strings.Cut(key, ".")
		var k *node
		for _, c := range n.kids {
			if c.seg == seg {
				k = c
				break
			}
		}
		if k == nil {
			k = a.new(seg)
			n.kids = append(n.kids, k)
		}
		n = k
		if !more {
			n.val, n.has = val, true
			return
		}
		key = rest
	}
}

// decoder walks the tree. The key path of the value at hand is kept as two stacks of
// segments and only turned into strings for an error message: keys as sent
// (`TagSpecification.1.Tag`) and, for awsQuery messages, in the validators' lowerCamel wording.
type decoder struct {
	svc     *Service
	ec2     bool
	err     *Error
	missing []string
	keys    []string
	vkeys   []string
}

func (d *decoder) push(key, vkey string) {
	d.keys = append(d.keys, key)
	d.vkeys = append(d.vkeys, vkey)
}

func (d *decoder) pop() {
	d.keys = d.keys[:len(d.keys)-1]
	d.vkeys = d.vkeys[:len(d.vkeys)-1]
}

// path returns the current key, plus extra segments.
func (d *decoder) path(extra ...string) string {
	return strings.Join(append(slices.Clip(d.keys), extra...), ".")
}

func (d *decoder) fail(code core.Code, msg string) {
	if d.err == nil {
		d.err = &Error{Code: code, Message: msg}
	}
}

// unknown reports a parameter the shape does not have: EC2 refuses it; IAM and STS pass over it.
func (d *decoder) unknown(path string) {
	if d.ec2 {
		d.fail(UnknownParameter, "The parameter "+path+" is not recognized")
	}
}

// structValue decodes n's children into the struct v.
func (d *decoder) structValue(n *node, p *structPlan, v reflect.Value) {
	if n.has && n.val != "" && len(n.kids) == 0 {
		d.unknown(d.path())
	}
	for _, k := range n.kids {
		f := p.byWire[k.seg]
		if f == nil && p.ignored[k.seg] {
			continue
		}
		if f == nil {
			d.unknown(d.path(k.seg))
			continue
		}
		d.push(k.seg, f.goName)
		d.value(k, f.c, v.Field(f.index), f.flat)
		d.pop()
		if d.err != nil {
			return
		}
	}
	if p.hasReq {
		for i := range p.fields {
			f := &p.fields[i]
			if f.required == "" {
				continue
			}
			fv := v.Field(f.index)
			// A list or map sent empty (`Entries=`) is there, and no longer null: the
			// operation's own check answers it (SNS's EmptyBatchRequest).
			if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Interface || fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.IsNil() ||
				fv.Kind() == reflect.String && fv.Len() == 0 {
				if d.ec2 {
					d.missing = append(d.missing, d.path(f.wire))
				} else {
					var vk []string
					for _, k := range append(slices.Clip(d.vkeys), f.goName) {
						if k != "" {
							vk = append(vk, lowerFirst(k))
						}
					}
					d.missing = append(d.missing, strings.Join(vk, "."))
				}
			}
		}
	}
}

func lowerFirst(name string) string {
	if name == "" || unicode.IsLower(rune(name[0])) {
		return name
	}
	return strings.ToLower(name[:1]) + name[1:]
}

func (d *decoder) missingError() *Error {
	if d.ec2 {
		// EC2: "The request must contain the parameter ImageId" (AWS EC2 API error codes: MissingParameter).
		return &Error{Code: MissingParameter, Message: "The request must contain the parameter " + d.missing[0]}
	}
	// IAM and STS answer in Coral's validation wording, e.g.
	// "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null".
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(d.missing)))
	if len(d.missing) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	for i, m := range d.missing {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("Value null at '" + m + "' failed to satisfy constraint: Member must not be null")
	}
	return &Error{Code: ValidationError, Message: b.String()}
}

func (d *decoder) value(n *node, c *codec, v reflect.Value, flat bool) {
	switch c.kind {
	case kStruct:
		if c.ptr {
			if v.IsNil() {
				v.Set(reflect.New(c.typ))
			}
			v = v.Elem()
		}
		d.structValue(n, c.st, v)
	case kList:
		d.list(n, c, v, flat)
	case kMap:
		d.mapValue(n, c, v, flat)
	case kUnion:
		d.union(n, c, v)
	default:
		if len(n.kids) > 0 {
			d.unknown(d.path(n.kids[0].seg))
			if d.ec2 {
				return
			}
		}
		if !n.has {
			return
		}
		if c.ptr {
			pv := reflect.New(c.typ)
			if d.scalar(n.val, c, pv.Elem()) {
				v.Set(pv)
			}
			return
		}
		d.scalar(n.val, c, v)
	}
}

// indexed returns n's children as list elements in index order, checking each index.
func (d *decoder) indexed(n *node) []*node {
	kids := n.kids
	for _, k := range kids {
		i, ok := parseIndex(k.seg)
		if !ok {
			p := d.path(k.seg)
			if d.ec2 {
				d.fail(UnknownParameter, "The parameter "+p+" is not recognized")
			} else {
				d.fail(InvalidQueryParameter, "Invalid list index '"+k.seg+"' in parameter '"+p+"': expected a positive integer")
			}
			return nil
		}
		k.index = i
	}
	if !slices.IsSortedFunc(kids, byIndex) {
		kids = slices.Clone(kids)
		slices.SortFunc(kids, byIndex)
	}
	return kids
}

func byIndex(a, b *node) int { return a.index - b.index }

// parseIndex accepts a positive decimal integer without sign or leading zeros.
func parseIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func (d *decoder) list(n *node, c *codec, v reflect.Value, flat bool) {
	if len(n.kids) == 0 {
		if n.has && n.val == "" { // `Tags=`: the SDK's empty list
			v.Set(reflect.MakeSlice(c.typ, 0, 0))
		} else if n.has {
			d.unknown(d.path())
		}
		return
	}
	elems := n
	if !flat {
		// Tags.member.1: one child, the member name, holding the indexes.
		elems = nil
		for _, k := range n.kids {
			if k.seg == c.member {
				elems = k
			} else {
				d.unknown(d.path(k.seg))
				if d.err != nil {
					return
				}
			}
		}
		if elems == nil {
			return
		}
		d.push(c.member, "")
		defer d.pop()
	}
	kids := d.indexed(elems)
	if d.err != nil {
		return
	}
	// Duplicate indexes cannot happen: the tree merged equal segments, and parseIndex
	// admits one spelling per number.
	sv := reflect.MakeSlice(c.typ, len(kids), len(kids))
	for i, k := range kids {
		vk := k.seg // Coral names list elements 'tags.1.member'
		if !flat {
			vk += "." + c.member
		}
		d.push(k.seg, vk)
		d.value(k, c.elem, sv.Index(i), false)
		d.pop()
		if d.err != nil {
			return
		}
	}
	v.Set(sv)
}

func (d *decoder) mapValue(n *node, c *codec, v reflect.Value, flat bool) {
	entries := n
	if !flat && c.member != "" {
		entries = nil
		for _, k := range n.kids {
			if k.seg == c.member {
				entries = k
			} else {
				d.unknown(d.path(k.seg))
			}
		}
		if d.err != nil || entries == nil {
			return
		}
		d.push(c.member, c.member)
		defer d.pop()
	}
	kids := d.indexed(entries)
	if d.err != nil {
		return
	}
	mv := reflect.MakeMapWithSize(c.typ, len(kids))
	for _, e := range kids {
		var key, val *node
		for _, k := range e.kids {
			switch k.seg {
			case c.key:
				key = k
			case c.val:
				val = k
			default:
				d.unknown(d.path(e.seg, k.seg))
			}
		}
		if d.err != nil {
			return
		}
		if key == nil || !key.has {
			d.fail(InvalidParameterValue, "Map entry "+d.path(e.seg)+" has no "+c.key)
			return
		}
		ev := reflect.New(c.typ.Elem()).Elem()
		if val != nil {
			d.push(e.seg, key.val)
			d.push(c.val, c.val)
			d.value(val, c.elem, ev, false)
			d.pop()
			d.pop()
			if d.err != nil {
				return
			}
		}
		mv.SetMapIndex(reflect.ValueOf(key.val).Convert(c.typ.Key()), ev)
	}
	v.Set(mv)
}

func (d *decoder) union(n *node, c *codec, v reflect.Value) {
	set := ""
	for _, k := range n.kids {
		m, ok := c.union[k.seg]
		if !ok {
			d.unknown(d.path(k.seg))
			continue
		}
		if set != "" {
			d.fail(InvalidParameterValue, "Only one of "+d.path(set)+" and "+d.path(k.seg)+" may be set")
			return
		}
		set = k.seg
		mv := reflect.New(m.typ)
		d.push(k.seg, k.seg)
		d.value(k, m.c, mv.Elem().Field(m.index), false)
		d.pop()
		if d.err != nil {
			return
		}
		v.Set(mv)
	}
}

// scalar parses s into v (not a pointer) and reports whether it did.
func (d *decoder) scalar(s string, c *codec, v reflect.Value) bool {
	switch c.kind {
	case kString:
		v.SetString(s)
		return true
	case kBool:
		switch {
		case strings.EqualFold(s, "true"):
			v.SetBool(true)
			return true
		case strings.EqualFold(s, "false"):
			v.SetBool(false)
			return true
		}
		d.badValue(s, "a boolean (true or false)")
	case kInt:
		i, err := strconv.ParseInt(s, 10, c.bits)
		if err == nil {
			v.SetInt(i)
			return true
		}
		d.badValue(s, "a "+strconv.Itoa(c.bits)+"-bit integer")
	case kUint:
		i, err := strconv.ParseUint(s, 10, c.bits)
		if err == nil {
			v.SetUint(i)
			return true
		}
		d.badValue(s, "an unsigned "+strconv.Itoa(c.bits)+"-bit integer")
	case kFloat:
		f, ok := parseFloat(s, c.bits)
		if ok {
			v.SetFloat(f)
			return true
		}
		d.badValue(s, "a number")
	case kTime:
		t, ok := parseTime(s)
		if !ok && c.tf == "http-date" {
			tt, err := time.Parse(http.TimeFormat, s)
			t, ok = tt.UTC(), err == nil
		}
		if ok {
			v.Set(reflect.ValueOf(t))
			return true
		}
		d.badValue(s, "an ISO 8601 timestamp such as 2006-01-02T15:04:05Z")
	case kBlob:
		b, err := base64.StdEncoding.DecodeString(s)
		if err == nil {
			v.SetBytes(b)
			return true
		}
		d.badValue(s, "base64 data")
	}
	return false
}

func (d *decoder) badValue(s, want string) {
	path := d.path()
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	if d.ec2 {
		// EC2's wording: "Value (abc) for parameter MaxCount is invalid."
		d.fail(InvalidParameterValue, "Value ("+s+") for parameter "+path+" is invalid. Expected "+want+".")
		return
	}
	d.fail(InvalidParameterValue, "Invalid value '"+s+"' for parameter "+path+": expected "+want)
}

// parseFloat accepts decimal numbers and the SDK's NaN, Infinity and -Infinity.
func parseFloat(s string, bits int) (float64, bool) {
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	for i := 0; i < len(s); i++ { // no hex floats, no "inf" spellings, no underscores
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, bits)
	return f, err == nil
}

// parseTime accepts ISO 8601 date-times as the SDK (milliseconds, Z) and botocore (offsets,
// microseconds) write them, and epoch seconds.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, true
	}
	if f, ok := parseFloat(s, 64); ok && !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) < 1e11 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), true
	}
	return time.Time{}, false
}
