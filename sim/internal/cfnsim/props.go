package cfnsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// props reads a resource's evaluated properties into an SDK input's types; the first
// problem is kept in err, CloudFormation's words for it.
type props struct {
	m   map[string]any
	err error
}

func (p *props) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *props) has(name string) bool { _, ok := p.m[name]; return ok }

func (p *props) require(names ...string) {
	for _, n := range names {
		if !p.has(n) {
			p.fail("Property %s cannot be empty.", n)
		}
	}
}

func (p *props) str(name string) string {
	v, ok := p.m[name]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail("Value of property %s must be of type String", name)
	}
	return s
}

// sp is str as a pointer, nil when absent.
func (p *props) sp(name string) *string {
	if !p.has(name) {
		return nil
	}
	return aws.String(p.str(name))
}

func (p *props) boolean(name string) *bool {
	if !p.has(name) {
		return nil
	}
	switch strings.ToLower(p.str(name)) {
	case "true":
		return aws.Bool(true)
	case "false":
		return aws.Bool(false)
	}
	p.fail("Value of property %s must be of type Boolean", name)
	return nil
}

func (p *props) i32(name string) *int32 {
	if !p.has(name) {
		return nil
	}
	n, err := strconv.ParseInt(p.str(name), 10, 32)
	if err != nil {
		p.fail("Value of property %s must be of type Integer", name)
		return nil
	}
	return aws.Int32(int32(n))
}

func (p *props) strs(name string) []string {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		p.fail("Value of property %s must be of type List of String", name)
		return nil
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, ok := x.(string)
		if !ok {
			p.fail("Value of property %s must be of type List of String", name)
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (p *props) objects(name string) []*props {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		p.fail("Value of property %s must be of type List", name)
		return nil
	}
	var out []*props
	for _, x := range l {
		m, ok := x.(map[string]any)
		if !ok {
			p.fail("Value of property %s must be a list of objects", name)
			return nil
		}
		out = append(out, &props{m: m})
	}
	return out
}

func (p *props) object(name string) *props {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.fail("Value of property %s must be an object", name)
		return nil
	}
	return &props{m: m}
}

// document is a policy document property as JSON text: an object, or a string of JSON.
func (p *props) document(name string) string {
	v, ok := p.m[name]
	if !ok {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(typed(v))
	if err != nil {
		p.fail("Value of property %s must be an object", name)
	}
	return string(b)
}

// typed turns a policy's "true"/"10" strings back into the JSON they were? A policy's
// values are strings in IAM's grammar, so strings are kept as they are.
func typed(v any) any { return v }

// tags are the Tags property: a list of {Key, Value}.
func (p *props) tags() []tag {
	var out []tag
	for _, o := range p.objects("Tags") {
		k, v := o.str("Key"), o.str("Value")
		if o.err != nil {
			p.fail("Value of property Tags must be a list of Key and Value")
		}
		out = append(out, tag{k, v})
	}
	return out
}

// only refuses properties a type does not have, as CloudFormation does.
func (p *props) only(allowed []string) {
	var keys []string
	for k := range p.m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			p.fail("Encountered unsupported property %s", k)
			return
		}
	}
}
