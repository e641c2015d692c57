package cfnsim

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// checkTemplate checks what ValidateTemplate checks: resource types, references and cycles.
// It returns the resources' logical IDs in an order of creation (each after what it
// depends on, else in the template's order) and each one's dependencies.
func checkTemplate(t *Template) ([]string, map[string][]string, error) {
	var unknown []string
	for _, k := range t.Order {
		typ := t.Resources[k]["Type"].(string)
		if _, ok := types[typ]; !ok && !slices.Contains(unknown, typ) && !strings.HasPrefix(typ, "Custom::") {
			unknown = append(unknown, typ)
		}
	}
	if len(unknown) > 0 {
		return nil, nil, formatError("Unrecognized resource types: [%s]", strings.Join(unknown, ", "))
	}
	for name, p := range t.Parameters {
		typ, _ := p["Type"].(string)
		if typ == "" {
			return nil, nil, formatError("[/Parameters/%s] Every Parameters object must contain a Type member.", name)
		}
		if !paramType(typ) {
			return nil, nil, formatError("Unrecognized parameter type: %s", typ)
		}
		for k := range p {
			switch k {
			case "Type", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue", "NoEcho", "Description", "ConstraintDescription":
			default:
				return nil, nil, formatError("Invalid template parameter property '%s'", k)
			}
		}
		if _, ok := t.Resources[name]; ok {
			return nil, nil, formatError("Duplicate logical IDs: [%s]", name) // hmm
		}
	}
	known := func(n string) bool {
		_, p := t.Parameters[n]
		_, r := t.Resources[n]
		return p || r || slices.Contains(pseudo, n)
	}
	deps := map[string][]string{}
	var unresolved []string
	for _, k := range t.Order {
		r := t.Resources[k]
		names := map[string]bool{}
		refs(r["Properties"], 0, names)
		refs(r["Metadata"], 0, names)
		switch d := r["DependsOn"].(type) {
		case string:
			names[d] = true
		case []any:
			for _, x := range d {
				s, ok := x.(string)
				if !ok {
					return nil, nil, formatError("DependsOn must be a string or a list of strings")
				}
				names[s] = true
			}
		case nil:
		default:
			return nil, nil, formatError("DependsOn must be a string or a list of strings")
		}
		if c, ok := r["Condition"]; ok {
			s, ok := c.(string)
			if _, def := t.Conditions[s]; !ok || !def {
				return nil, nil, formatError("Unresolved dependencies [%v]. Cannot reference resources in the Conditions block of the template", c)
			}
		}
		for n := range names {
			if !known(n) {
				unresolved = append(unresolved, n)
				continue
			}
			if _, ok := t.Resources[n]; ok {
				deps[k] = append(deps[k], n)
			}
		}
		sortStrings(deps[k])
	}
	if len(unresolved) > 0 {
		sortStrings(unresolved)
		return nil, nil, formatError("Unresolved resource dependencies [%s] in the Resources block of the template", strings.Join(slices.Compact(unresolved), ", "))
	}
	for name, c := range t.Conditions {
		names := map[string]bool{}
		refs(c, 0, names)
		for n := range names {
			if _, r := t.Resources[n]; r || !known(n) {
				return nil, nil, formatError("Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", n)
			}
		}
		_ = name
	}
	for _, o := range t.Outputs {
		names := map[string]bool{}
		refs(o["Value"], 0, names)
		refs(o["Export"], 0, names)
		for n := range names {
			if !known(n) {
				unresolved = append(unresolved, n)
			}
		}
	}
	if len(unresolved) > 0 {
		sortStrings(unresolved)
		return nil, nil, formatError("Unresolved resource dependencies [%s] in the Outputs block of the template", strings.Join(slices.Compact(unresolved), ", "))
	}
	// Kahn's algorithm, taking ready resources in the template's order.
	done := map[string]bool{}
	var order []string
	for len(order) < len(t.Order) {
		progress := false
		for _, k := range t.Order {
			if done[k] {
				continue
			}
			ready := true
			for _, d := range deps[k] {
				if !done[d] {
					ready = false
					break
				}
			}
			if ready {
				done[k] = true
				order = append(order, k)
				progress = true
			}
		}
		if !progress {
			var cycle []string
			for _, k := range t.Order {
				if !done[k] {
					cycle = append(cycle, k)
				}
			}
			return nil, nil, invalid("Circular dependency between resources: [%s]", strings.Join(cycle, ", "))
		}
	}
	return order, deps, nil
}

var listOf = regexp.MustCompile(`^List<(.+)>$`)

func paramType(typ string) bool {
	switch typ {
	case "String", "Number", "CommaDelimitedList", "List<Number>":
		return true
	}
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") && strings.HasSuffix(typ, ">") {
		return true
	}
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Name") {
		return true
	}
	if m := listOf.FindStringSubmatch(typ); m != nil {
		typ = m[1]
	}
	_, ok := awsTypes[typ]
	return ok
}

// awsTypes are the AWS-specific parameter types, each with the EC2 lookup that checks a
// value exists in the account (nil: not checked).
var awsTypes = map[string]func(ctx context.Context, s *Store, v string) (bool, error){
	"AWS::EC2::KeyPair::KeyName":         keyExists,
	"AWS::EC2::Image::Id":                imageExists,
	"AWS::EC2::VPC::Id":                  vpcExists,
	"AWS::EC2::Subnet::Id":               subnetExists,
	"AWS::EC2::SecurityGroup::Id":        groupExists,
	"AWS::EC2::AvailabilityZone::Name":   nil,
	"AWS::EC2::Instance::Id":             nil,
	"AWS::EC2::SecurityGroup::GroupName": nil,
	"AWS::EC2::Volume::Id":               nil,
	"AWS::Route53::HostedZone::Id":       nil,
}

// resolveParams checks the given parameters against the template's, and returns each
// parameter's value (a string, or []any for the list types) and the stack's parameters.
func (s *Store) resolveParams(ctx context.Context, t *Template, given map[string]string, previous map[string]bool) (map[string]any, []param, error) {
	var extra []string
	for k := range given {
		if _, ok := t.Parameters[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sortStrings(extra)
		return nil, nil, invalid("Parameters: [%s] do not exist in the template", strings.Join(extra, ", "))
	}
	names := make([]string, 0, len(t.Parameters))
	for k := range t.Parameters {
		names = append(names, k)
	}
	sortStrings(names)
	var missing []string
	values := map[string]any{}
	var out []param
	for _, name := range names {
		p := t.Parameters[name]
		v, ok := given[name]
		if !ok {
			d, has := p["Default"]
			if !has {
				missing = append(missing, name)
				continue
			}
			switch dv := d.(type) {
			case string:
				v = dv
			case []any: // a list default written as a YAML list
				parts := make([]string, 0, len(dv))
				for _, x := range dv {
					xs, _ := x.(string)
					parts = append(parts, xs)
				}
				v = strings.Join(parts, ",")
			default:
				return nil, nil, formatError("Default member must be a string for parameter %s", name)
			}
		}
		val, resolved, err := s.checkParam(ctx, name, p, v)
		if err != nil {
			return nil, nil, err
		}
		values[name] = val
		noEcho, _ := p["NoEcho"].(string)
		out = append(out, param{Key: name, Value: v, NoEcho: noEcho == "true", Resolved: resolved})
	}
	if len(missing) > 0 {
		return nil, nil, invalid("Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	return values, out, nil
}

func (s *Store) checkParam(ctx context.Context, name string, p map[string]any, v string) (any, string, error) {
	typ, _ := p["Type"].(string)
	constraint, _ := p["ConstraintDescription"].(string)
	fail := func(msg string, args ...any) error {
		if constraint != "" {
			return invalid("Parameter '%s' failed to satisfy constraint: %s", name, constraint)
		}
		return invalid(msg, args...)
	}
	list := typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
	var items []string
	if list {
		if v != "" {
			for _, x := range strings.Split(v, ",") {
				items = append(items, strings.TrimSpace(x))
			}
		}
	} else {
		items = []string{v}
	}
	elem := typ
	if m := listOf.FindStringSubmatch(typ); m != nil {
		elem = m[1]
	}
	for _, x := range items {
		if allowed, ok := p["AllowedValues"].([]any); ok && !slices.Contains(allowed, any(x)) {
			return nil, "", fail("Parameter '%s' must be one of AllowedValues", name)
		}
		if pat, ok := p["AllowedPattern"].(string); ok {
			re, err := regexp.Compile("^(?:" + pat + ")$")
			if err != nil {
				return nil, "", formatError("Invalid AllowedPattern %s for parameter %s", pat, name)
			}
			if !re.MatchString(x) {
				return nil, "", fail("Parameter '%s' must match pattern %s", name, pat)
			}
		}
		if s, ok := p["MinLength"].(string); ok {
			if n, err := strconv.Atoi(s); err == nil && len(x) < n {
				return nil, "", fail("Parameter '%s' must contain at least %d characters", name, n)
			}
		}
		if s, ok := p["MaxLength"].(string); ok {
			if n, err := strconv.Atoi(s); err == nil && len(x) > n {
				return nil, "", fail("Parameter '%s' must contain at most %d characters", name, n)
			}
		}
		if elem == "Number" {
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return nil, "", invalid("Parameter '%s' must be a number.", name)
			}
			if s, ok := p["MinValue"].(string); ok {
				if n, err := strconv.ParseFloat(s, 64); err == nil && f < n {
					return nil, "", fail("Parameter '%s' must be a number not less than %s", name, s)
				}
			}
			if s, ok := p["MaxValue"].(string); ok {
				if n, err := strconv.ParseFloat(s, 64); err == nil && f > n {
					return nil, "", fail("Parameter '%s' must be a number not greater than %s", name, s)
				}
			}
		}
		if check := awsTypes[elem]; check != nil {
			ok, err := check(ctx, s, x)
			if err != nil {
				return nil, "", err
			}
			if !ok {
				return nil, "", invalid("Parameter validation failed: parameter value %s for parameter name %s does not exist. Rollback requested by user.", x, name)
			}
		}
	}
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
		val, err := s.ssmParameter(ctx, v)
		if err != nil {
			return nil, "", err
		}
		if strings.Contains(typ, "List<") || strings.Contains(typ, "CommaDelimitedList") {
			var l []any
			for _, x := range strings.Split(val, ",") {
				l = append(l, x)
			}
			return l, val, nil
		}
		return val, val, nil
	}
	if list {
		l := make([]any, len(items))
		for i, x := range items {
			l[i] = x
		}
		return l, "", nil
	}
	return v, "", nil
}
