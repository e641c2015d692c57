package cfnsim

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func sortStrings(s []string) { sort.Strings(s) }

// noValue is AWS::NoValue: the property or list element it stands in is removed.
type noValue struct{}

// pseudo are the pseudo parameters.
var pseudo = []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

// env is what a template's values are evaluated in.
type env struct {
	t                                   *Template
	region, account, stackName, stackID string
	params                              map[string]any // string, or []any for the list types
	conds                               map[string]bool
	res                                 map[string]*resource // the resources created so far
	azs                                 func(region string) ([]string, error)
	imports                             func(name string) (string, error)
	imported                            []string // the exports read
}

func (e *env) pseudo(name string) (any, bool) {
	switch name {
	case "AWS::AccountId":
		return e.account, true
	case "AWS::NotificationARNs":
		return []any{}, true
	case "AWS::NoValue":
		return noValue{}, true
	case "AWS::Partition":
		return "aws", true
	case "AWS::Region":
		return e.region, true
	case "AWS::StackId":
		return e.stackID, true
	case "AWS::StackName":
		return e.stackName, true
	case "AWS::URLSuffix":
		return "amazonaws.com", true
	}
	return nil, false
}

// templateError is CloudFormation's "Template error: …", a stack's failure reason.
func templateError(format string, args ...any) error {
	return invalid("Template error: "+format, args...)
}

// fn returns the function of a one-key map, if it is one.
func fn(v any) (string, any, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", nil, false
	}
	for k, a := range m {
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, a, true
		}
	}
	return "", nil, false
}

// eval evaluates v's intrinsic functions.
func (e *env) eval(v any) (any, error) { return e.evalDepth(v, 0) }

func (e *env) evalDepth(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, templateError("the template nests too deeply")
	}
	if name, arg, ok := fn(v); ok && name != "Condition" {
		return e.call(name, arg, depth+1)
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			r, err := e.evalDepth(x, depth+1)
			if err != nil {
				return nil, err
			}
			if _, drop := r.(noValue); !drop {
				out[k] = r
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(t))
		for _, x := range t {
			r, err := e.evalDepth(x, depth+1)
			if err != nil {
				return nil, err
			}
			if _, drop := r.(noValue); !drop {
				out = append(out, r)
			}
		}
		return out, nil
	}
	return v, nil
}

func (e *env) evalString(v any, depth int, what string) (string, error) {
	r, err := e.evalDepth(v, depth)
	if err != nil {
		return "", err
	}
	s, ok := r.(string)
	if !ok {
		return "", templateError("every %s argument must be a string", what)
	}
	return s, nil
}

func (e *env) evalList(v any, depth int, what string) ([]any, error) {
	r, err := e.evalDepth(v, depth)
	if err != nil {
		return nil, err
	}
	l, ok := r.([]any)
	if !ok {
		return nil, templateError("%s requires a list argument", what)
	}
	return l, nil
}

func args(arg any, n int, name string) ([]any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) != n {
		return nil, templateError("%s requires %d arguments", name, n)
	}
	return l, nil
}

// ref is Ref's value of name.
func (e *env) ref(name string) (any, error) {
	if v, ok := e.pseudo(name); ok {
		return v, nil
	}
	if v, ok := e.params[name]; ok {
		return v, nil
	}
	if r, ok := e.res[name]; ok && r.Physical != "" {
		return r.Ref, nil
	}
	if _, ok := e.t.Resources[name]; ok {
		return nil, templateError("resource %s is not available (its condition is false or it was not created)", name)
	}
	return nil, formatError("Unresolved resource dependencies [%s] in the Resources block of the template", name)
}

func (e *env) getAtt(name, attr string) (any, error) {
	r, ok := e.res[name]
	if !ok {
		if _, ok := e.t.Resources[name]; ok {
			return nil, templateError("resource %s is not available (its condition is false or it was not created)", name)
		}
		return nil, templateError("instance of Fn::GetAtt references undefined resource %s", name)
	}
	v, ok := r.Attrs[attr]
	if !ok {
		return nil, templateError("resource %s does not support attribute type %s in Fn::GetAtt", name, attr)
	}
	return v, nil
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

func (e *env) call(name string, arg any, depth int) (any, error) {
	switch name {
	case "Ref":
		s, ok := arg.(string)
		if !ok {
			return nil, templateError("Ref requires a string argument")
		}
		return e.ref(s)
	case "Fn::GetAtt":
		l, err := args(arg, 2, "Fn::GetAtt")
		if err != nil {
			return nil, templateError("every Fn::GetAtt object requires two non-empty parameters")
		}
		n, _ := l[0].(string)
		a, err := e.evalString(l[1], depth, "Fn::GetAtt")
		if n == "" || err != nil || a == "" {
			return nil, templateError("every Fn::GetAtt object requires two non-empty parameters")
		}
		return e.getAtt(n, a)
	case "Fn::Sub":
		var text string
		vars := map[string]any{}
		switch t := arg.(type) {
		case string:
			text = t
		case []any:
			if len(t) != 2 {
				return nil, templateError("One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
			}
			s, ok := t[0].(string)
			m, ok2 := t[1].(map[string]any)
			if !ok || !ok2 {
				return nil, templateError("One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
			}
			text = s
			for k, x := range m {
				r, err := e.evalDepth(x, depth)
				if err != nil {
					return nil, err
				}
				vars[k] = r
			}
		default:
			return nil, templateError("One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
		}
		var ferr error
		out := subVar.ReplaceAllStringFunc(text, func(m string) string {
			inner := m[2 : len(m)-1]
			if strings.HasPrefix(inner, "!") {
				return "${" + inner[1:] + "}"
			}
			var v any
			var err error
			if x, ok := vars[inner]; ok {
				v = x
			} else if n, a, ok := strings.Cut(inner, "."); ok && !strings.HasPrefix(inner, "AWS::") {
				v, err = e.getAtt(n, a)
			} else {
				v, err = e.ref(inner)
			}
			if err != nil {
				if ferr == nil {
					ferr = err
				}
				return ""
			}
			s, ok := v.(string)
			if !ok {
				if ferr == nil {
					ferr = templateError("variable %s in Fn::Sub expression %s must be a string", inner, text)
				}
				return ""
			}
			return s
		})
		if ferr != nil {
			return nil, ferr
		}
		return out, nil
	case "Fn::Join":
		l, err := args(arg, 2, "Fn::Join")
		if err != nil {
			return nil, templateError("every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
		}
		d, ok := l[0].(string)
		if !ok {
			return nil, templateError("every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
		}
		items, err := e.evalList(l[1], depth, "Fn::Join")
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, x := range items {
			s, ok := x.(string)
			if !ok {
				return nil, templateError("every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
			}
			parts[i] = s
		}
		return strings.Join(parts, d), nil
	case "Fn::Select":
		l, err := args(arg, 2, "Fn::Select")
		if err != nil {
			return nil, templateError("Fn::Select requires a list argument with two elements: an integer index and a list")
		}
		is, err := e.evalString(l[0], depth, "Fn::Select")
		if err != nil {
			return nil, err
		}
		i, err := strconv.Atoi(is)
		if err != nil {
			return nil, templateError("Fn::Select requires a list argument with two elements: an integer index and a list")
		}
		items, err := e.evalList(l[1], depth, "Fn::Select")
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= len(items) {
			return nil, templateError("Fn::Select cannot select nonexistent value at index %d", i)
		}
		return items[i], nil
	case "Fn::Split":
		l, err := args(arg, 2, "Fn::Split")
		if err != nil {
			return nil, templateError("every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
		}
		d, ok := l[0].(string)
		s, err := e.evalString(l[1], depth, "Fn::Split")
		if !ok || d == "" || err != nil {
			return nil, templateError("every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
		}
		var out []any
		for _, p := range strings.Split(s, d) {
			out = append(out, p)
		}
		return out, nil
	case "Fn::GetAZs":
		region := ""
		if arg != nil {
			s, err := e.evalString(arg, depth, "Fn::GetAZs")
			if err != nil {
				return nil, err
			}
			region = s
		}
		if region == "" {
			region = e.region
		}
		if e.azs == nil {
			return []any{}, nil
		}
		zs, err := e.azs(region)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(zs))
		for i, z := range zs {
			out[i] = z
		}
		return out, nil
	case "Fn::FindInMap":
		l, ok := arg.([]any)
		if !ok || len(l) != 3 {
			return nil, templateError("Fn::FindInMap requires a list argument with three elements")
		}
		keys := make([]string, 3)
		for i, x := range l {
			s, err := e.evalString(x, depth, "Fn::FindInMap")
			if err != nil {
				return nil, err
			}
			keys[i] = s
		}
		m, ok := e.t.Mappings[keys[0]].(map[string]any)
		if !ok {
			return nil, templateError("Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])
		}
		top, ok := m[keys[1]].(map[string]any)
		if !ok {
			return nil, templateError("Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])
		}
		v, ok := top[keys[2]]
		if !ok {
			return nil, templateError("Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])
		}
		return v, nil
	case "Fn::If":
		l, ok := arg.([]any)
		if !ok || len(l) != 3 {
			return nil, templateError("Fn::If requires a list argument with three elements")
		}
		c, ok := l[0].(string)
		if !ok {
			return nil, templateError("Fn::If requires a list argument with the first element being a condition")
		}
		b, ok := e.conds[c]
		if !ok {
			return nil, formatError("Unresolved condition dependency %s in Fn::If", c)
		}
		if b {
			return e.evalDepth(l[1], depth)
		}
		return e.evalDepth(l[2], depth)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		b, err := e.cond(map[string]any{name: arg}, depth)
		if err != nil {
			return nil, err
		}
		return strconv.FormatBool(b), nil
	case "Fn::Base64":
		s, err := e.evalString(arg, depth, "Fn::Base64")
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "Fn::Cidr":
		l, err := args(arg, 3, "Fn::Cidr")
		if err != nil {
			return nil, templateError("Fn::Cidr requires a list argument with three elements: an IP block, a count and a number of bits")
		}
		var s [3]string
		for i := range l {
			if s[i], err = e.evalString(l[i], depth, "Fn::Cidr"); err != nil {
				return nil, err
			}
		}
		return cidr(s[0], s[1], s[2])
	case "Fn::ImportValue":
		s, err := e.evalString(arg, depth, "Fn::ImportValue")
		if err != nil {
			return nil, err
		}
		if e.imports == nil {
			return nil, templateError("No export named %s found", s)
		}
		v, err := e.imports(s)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(e.imported, s) {
			e.imported = append(e.imported, s)
		}
		return v, nil
	}
	return nil, formatError("Unrecognized function '%s'", name)
}

// cond evaluates a condition.
func (e *env) cond(v any, depth int) (bool, error) {
	if depth > maxDepth {
		return false, templateError("the template nests too deeply")
	}
	name, arg, ok := fn(v)
	if !ok {
		if s, ok := v.(string); ok && (s == "true" || s == "false") {
			return s == "true", nil
		}
		return false, formatError("Conditions can only be boolean operations on parameters and other conditions")
	}
	switch name {
	case "Condition":
		c, ok := arg.(string)
		if !ok {
			return false, formatError("Condition requires a string argument")
		}
		b, ok := e.conds[c]
		if !ok {
			return false, formatError("Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", c)
		}
		return b, nil
	case "Fn::Equals":
		l, ok := arg.([]any)
		if !ok || len(l) != 2 {
			return false, templateError("Fn::Equals requires a list argument with two elements")
		}
		a, err := e.evalDepth(l[0], depth+1)
		if err != nil {
			return false, err
		}
		b, err := e.evalDepth(l[1], depth+1)
		if err != nil {
			return false, err
		}
		return describe(a) == describe(b), nil
	case "Fn::Not":
		l, ok := arg.([]any)
		if !ok || len(l) != 1 {
			return false, templateError("Fn::Not requires a list argument with one element")
		}
		b, err := e.cond(l[0], depth+1)
		return !b, err
	case "Fn::And", "Fn::Or":
		l, ok := arg.([]any)
		if !ok || len(l) < 2 || len(l) > 10 {
			return false, templateError("%s requires a list argument with between 2 and 10 elements", name)
		}
		and := name == "Fn::And"
		for _, x := range l {
			b, err := e.cond(x, depth+1)
			if err != nil {
				return false, err
			}
			if b != and {
				return b, nil
			}
		}
		return and, nil
	}
	r, err := e.call(name, arg, depth+1)
	if err != nil {
		return false, err
	}
	return r == "true", nil
}

// conditions evaluates the template's Conditions, each once, in dependency order.
func (e *env) conditions() error {
	e.conds = map[string]bool{}
	done := map[string]bool{}
	var visit func(name string, stack []string) error
	visit = func(name string, stack []string) error {
		if done[name] {
			return nil
		}
		if slices.Contains(stack, name) {
			return formatError("Circular dependency between conditions: [%s]", strings.Join(stack, ", "))
		}
		def, ok := e.t.Conditions[name]
		if !ok {
			return formatError("Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", name)
		}
		for _, d := range condRefs(def, 0) {
			if err := visit(d, append(stack, name)); err != nil {
				return err
			}
		}
		b, err := e.cond(def, 0)
		if err != nil {
			return err
		}
		e.conds[name], done[name] = b, true
		return nil
	}
	names := make([]string, 0, len(e.t.Conditions))
	for k := range e.t.Conditions {
		names = append(names, k)
	}
	sortStrings(names)
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return err
		}
	}
	return nil
}

// condRefs are the conditions a condition names.
func condRefs(v any, depth int) []string {
	if depth > maxDepth {
		return nil
	}
	var out []string
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && k == "Condition" {
				out = append(out, s)
			}
			out = append(out, condRefs(x, depth+1)...)
		}
	case []any:
		for _, x := range t {
			out = append(out, condRefs(x, depth+1)...)
		}
	}
	return out
}

// refs are the names v refers to: Ref's, Fn::GetAtt's and Fn::Sub's variables.
func refs(v any, depth int, out map[string]bool) {
	if depth > maxDepth {
		return
	}
	if name, arg, ok := fn(v); ok {
		switch name {
		case "Ref":
			if s, ok := arg.(string); ok {
				out[s] = true
			}
			return
		case "Fn::GetAtt":
			if l, ok := arg.([]any); ok && len(l) > 0 {
				if s, ok := l[0].(string); ok {
					out[s] = true
				}
				if len(l) > 1 {
					refs(l[1], depth+1, out)
				}
			}
			return
		case "Fn::Sub":
			var text string
			var vars map[string]any
			switch t := arg.(type) {
			case string:
				text = t
			case []any:
				if len(t) > 0 {
					text, _ = t[0].(string)
				}
				if len(t) > 1 {
					vars, _ = t[1].(map[string]any)
					refs(t[1], depth+1, out)
				}
			}
			for _, m := range subVar.FindAllStringSubmatch(text, -1) {
				inner := m[1]
				if strings.HasPrefix(inner, "!") {
					continue
				}
				if _, ok := vars[inner]; ok {
					continue
				}
				if n, _, ok := strings.Cut(inner, "."); ok && !strings.HasPrefix(inner, "AWS::") {
					inner = n
				}
				out[inner] = true
			}
			return
		}
	}
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			refs(x, depth+1, out)
		}
	case []any:
		for _, x := range t {
			refs(x, depth+1, out)
		}
	}
}

// cidr is Fn::Cidr: count subnets of bits host bits each, from block.
func cidr(block, count, bits string) (any, error) {
	p, err := netip.ParsePrefix(block)
	n, err2 := strconv.Atoi(count)
	b, err3 := strconv.Atoi(bits)
	if err != nil || err2 != nil || err3 != nil || n < 1 || n > 256 || b < 1 {
		return nil, templateError("Fn::Cidr requires a valid IP block, a count between 1 and 256 and a number of subnet bits")
	}
	size := 32
	if p.Addr().Is6() {
		size = 128
	}
	newLen := size - b
	if newLen < p.Bits() || b > 128 {
		return nil, templateError("Fn::Cidr cannot create %d subnets of /%d in %s", n, newLen, block)
	}
	addr := p.Masked().Addr()
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		q := netip.PrefixFrom(addr, newLen)
		if !p.Contains(addr) {
			return nil, templateError("Fn::Cidr cannot create %d subnets of /%d in %s", n, newLen, block)
		}
		out = append(out, q.String())
		addr = addAddr(addr, b)
	}
	return out, nil
}

// addAddr adds 2^bits to a.
func addAddr(a netip.Addr, bits int) netip.Addr {
	bs := a.AsSlice()
	carry := false
	byteIdx := len(bs) - 1 - bits/8
	if byteIdx < 0 {
		return netip.Addr{}
	}
	inc := uint16(1) << (bits % 8)
	for i := byteIdx; i >= 0; i-- {
		sum := uint16(bs[i]) + inc
		bs[i] = byte(sum)
		carry = sum > 0xff
		if !carry {
			break
		}
		inc = 1
	}
	if carry {
		return netip.Addr{} // past the end: Contains is false
	}
	r, _ := netip.AddrFromSlice(bs)
	return r
}

var _ = fmt.Sprint
