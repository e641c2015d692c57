package cfnsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A template's values, once parsed, are JSON's: map[string]any, []any, string and nil. Every
// scalar is a string ("10", "true"), as CloudFormation compares and passes them; YAML's
// short-form tags become the long form ({"Fn::GetAtt": ["A", "B"]}, {"Ref": "X"}).

// Template is a parsed template.
type Template struct {
	Description string
	Parameters  map[string]map[string]any
	Mappings    map[string]any
	Conditions  map[string]any
	Resources   map[string]map[string]any
	Outputs     map[string]map[string]any
	// Order is the resources' logical IDs in the template's order.
	Order []string
}

// maxTemplate is the largest TemplateBody CloudFormation takes, 51,200 bytes.
const maxTemplate = 51200

// formatError is CloudFormation's "Template format error: …".
func formatError(format string, args ...any) error {
	return invalid("Template format error: "+format, args...)
}

// parseBody reads a template body in JSON or YAML into JSON's values.
func parseBody(body string) (map[string]any, []string, error) {
	trimmed := strings.TrimSpace(body)
	if trimmed == "" {
		return nil, nil, formatError("YAML not well-formed. (line 1, column 1)")
	}
	if strings.HasPrefix(trimmed, "{") {
		dec := json.NewDecoder(strings.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, formatError("JSON not well-formed. (%s)", err)
		}
		m, ok := normalize(v).(map[string]any)
		if !ok {
			return nil, nil, formatError("JSON not well-formed.")
		}
		return m, jsonResourceOrder(trimmed), nil
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader([]byte(body))).Decode(&doc); err != nil {
		return nil, nil, formatError("YAML not well-formed. (%s)", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, formatError("YAML not well-formed. (line 1, column 1)")
	}
	budget := maxNodes
	v, err := fromNode(doc.Content[0], 0, &budget)
	if err != nil {
		return nil, nil, err
	}
	var order []string
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "Resources" && root.Content[i+1].Kind == yaml.MappingNode {
			for j := 0; j+1 < len(root.Content[i+1].Content); j += 2 {
				order = append(order, root.Content[i+1].Content[j].Value)
			}
		}
	}
	return v.(map[string]any), order, nil
}

// jsonResourceOrder is the order of the keys of a JSON template's Resources.
func jsonResourceOrder(body string) []string {
	dec := json.NewDecoder(strings.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if key != "Resources" {
			skipValue(dec)
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return nil
		}
		var order []string
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return order
			}
			if s, ok := k.(string); ok {
				order = append(order, s)
			}
			skipValue(dec)
		}
		return order
	}
	return nil
}

// skipValue reads one whole value from dec.
func skipValue(dec *json.Decoder) {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return
		}
	}
}

// normalize turns JSON's numbers and booleans into strings.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return v
}

// shortForms maps YAML's short-form tags to the functions they stand for.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!GetAZs": "Fn::GetAZs", "!FindInMap": "Fn::FindInMap", "!If": "Fn::If",
	"!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or",
	"!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!ImportValue": "Fn::ImportValue",
	"!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

// maxNodes bounds the values of a template once YAML's aliases are expanded: a body of 51,200
// bytes has far fewer, and an alias bomb far more.
const maxNodes = 200000

// maxDepth bounds the nesting of a template's values.
const maxDepth = 100

// fromNode converts a YAML node into JSON's values, the short forms into the long.
func fromNode(n *yaml.Node, depth int, budget *int) (any, error) {
	if *budget--; *budget < 0 {
		return nil, formatError("YAML not well-formed. (line %d, column %d): too many nodes once its aliases are expanded", n.Line, n.Column)
	}
	if depth > maxDepth {
		return nil, formatError("YAML not well-formed. (line %d, column %d)", n.Line, n.Column)
	}
	var v any
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return fromNode(n.Alias, depth+1, budget)
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			v = nil
		} else {
			v = n.Value
		}
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			e, err := fromNode(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			l = append(l, e)
		}
		v = l
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, formatError("YAML not well-formed. (line %d, column %d)", k.Line, k.Column)
			}
			if k.Tag == "!!merge" {
				continue
			}
			if _, dup := m[k.Value]; dup {
				return nil, formatError("YAML not well-formed. (line %d, column %d)", k.Line, k.Column)
			}
			e, err := fromNode(n.Content[i+1], depth+1, budget)
			if err != nil {
				return nil, err
			}
			m[k.Value] = e
		}
		v = m
	default:
		return nil, formatError("YAML not well-formed. (line %d, column %d)", n.Line, n.Column)
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	fn, ok := shortForms[n.Tag]
	if !ok {
		return nil, formatError("YAML not well-formed. (line %d, column %d): unknown tag %s", n.Line, n.Column, n.Tag)
	}
	if fn == "Fn::GetAtt" {
		if s, ok := v.(string); ok { // !GetAtt Resource.Attribute
			name, attr, _ := strings.Cut(s, ".")
			v = []any{name, attr}
		}
	}
	if n.Kind == yaml.ScalarNode && n.Value == "" && fn != "Ref" && fn != "Condition" && fn != "Fn::GetAZs" && fn != "Fn::Sub" && fn != "Fn::Base64" {
		v = ""
	}
	return map[string]any{fn: v}, nil
}

// parseTemplate parses and checks a template's sections.
func parseTemplate(body string) (*Template, error) {
	if len(body) > maxTemplate {
		return nil, invalid("1 validation error detected: Value '%s' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", "...", maxTemplate)
	}
	root, order, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	t := &Template{Parameters: map[string]map[string]any{}, Resources: map[string]map[string]any{}, Outputs: map[string]map[string]any{}}
	var unknown []string
	for k := range root {
		switch k {
		case "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs":
		default:
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sortStrings(unknown)
		return nil, formatError("Invalid template property or properties [%s]", strings.Join(unknown, ", "))
	}
	if v, ok := root["AWSTemplateFormatVersion"]; ok && v != "2010-09-09" {
		return nil, formatError("Unsupported template version %v", v)
	}
	if v, ok := root["Description"]; ok {
		s, ok := v.(string)
		if !ok {
			return nil, formatError("Every Description member must be a string.")
		}
		t.Description = s
	}
	if _, ok := root["Transform"]; ok {
		return nil, invalid("Transform is not supported by the simulator")
	}
	sections := func(name string, dst map[string]map[string]any, what string) error {
		v, ok := root[name]
		if !ok {
			return nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return formatError("%s must be an object", name)
		}
		for k, e := range m {
			o, ok := e.(map[string]any)
			if !ok {
				return formatError("Every %s member %s must be an object", what, k)
			}
			if !alnum(k) {
				return formatError("%s %s name '%s' is non alphanumeric.", name, what, k)
			}
			dst[k] = o
		}
		return nil
	}
	if err := sections("Parameters", t.Parameters, "Parameters"); err != nil {
		return nil, err
	}
	if err := sections("Resources", t.Resources, "Resources"); err != nil {
		return nil, err
	}
	if err := sections("Outputs", t.Outputs, "Outputs"); err != nil {
		return nil, err
	}
	if len(t.Resources) == 0 {
		return nil, formatError("At least one Resources member must be defined.")
	}
	if len(t.Parameters) > 200 {
		return nil, formatError("Parameter count %d is greater than max allowed 200", len(t.Parameters))
	}
	for _, k := range []string{"Mappings", "Conditions"} {
		if v, ok := root[k]; ok {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, formatError("%s must be an object", k)
			}
			if k == "Mappings" {
				t.Mappings = m
			} else {
				t.Conditions = m
			}
		}
	}
	for name, m := range t.Mappings {
		if _, ok := m.(map[string]any); !ok {
			return nil, formatError("Mappings attribute for %s must be a map", name)
		}
	}
	seen := map[string]bool{}
	for _, k := range order {
		if _, ok := t.Resources[k]; ok && !seen[k] {
			seen[k] = true
			t.Order = append(t.Order, k)
		}
	}
	var rest []string
	for k := range t.Resources {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sortStrings(rest)
	t.Order = append(t.Order, rest...)
	for _, k := range t.Order {
		r := t.Resources[k]
		typ, ok := r["Type"].(string)
		if !ok || typ == "" {
			return nil, formatError("[/Resources/%s] Every Resources object must contain a Type member.", k)
		}
		for a := range r {
			switch a {
			case "Type", "Properties", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "Condition", "CreationPolicy", "UpdatePolicy":
			default:
				return nil, formatError("Invalid template resource property '%s'", a)
			}
		}
		if p, ok := r["Properties"]; ok && p != nil {
			if _, ok := p.(map[string]any); !ok {
				return nil, formatError("[/Resources/%s/Properties] 'null' values are not allowed in templates", k)
			}
		}
		if dp, ok := r["DeletionPolicy"]; ok {
			switch dp {
			case "Delete", "Retain", "RetainExceptOnCreate", "Snapshot":
			default:
				return nil, formatError("Unrecognized DeletionPolicy %v for resource %s", dp, k)
			}
		}
	}
	for k, o := range t.Outputs {
		if _, ok := o["Value"]; !ok {
			return nil, formatError("Every Outputs member must contain a Value object, the Outputs member %s does not", k)
		}
	}
	return t, nil
}

func alnum(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// str is a scalar as a string.
func str(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
