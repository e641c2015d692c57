package params

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/awsxlab/awsx/internal/output"
)

// FromYAML fills in, a pointer to an input struct, from --cli-input-yaml text, as [FromJSON]
// does from JSON. The YAML is read as the AWS CLI reads it (a safe load): !!binary values
// are blobs, timestamps are read as the text they were written as.
func FromYAML(in any, data []byte) error {
	if err := checkInput(in, "FromYAML"); err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return &UsageError{Message: "Error parsing parameter 'cli-input-yaml': Invalid YAML received."}
	}
	v, err := fromYAMLNode(&doc)
	if err != nil {
		return &UsageError{Message: "Error parsing parameter 'cli-input-yaml': Invalid YAML received."}
	}
	return fill(in, v, "cli-input-yaml")
}

// fromYAMLNode converts a parsed YAML node into the generic values the converter reads:
// *object, []any, string, json.Number, bool, nil.
func fromYAMLNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAMLNode(n.Content[0])
	case yaml.AliasNode:
		return fromYAMLNode(n.Alias)
	case yaml.MappingNode:
		obj := newObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := fromYAMLNode(n.Content[i])
			if err != nil {
				return nil, err
			}
			v, err := fromYAMLNode(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			obj.set(fmt.Sprint(k), v)
		}
		return obj, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := fromYAMLNode(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	}
	return yamlScalar(n)
}

// yamlScalar reads a scalar node by its resolved tag.
func yamlScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, err
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case "!!binary":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), ""))
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.EncodeToString(b), nil // blobs are base64 text to the converter
	}
	return n.Value, nil
}

// YAMLSkeleton returns what --generate-cli-skeleton yaml-input prints for the operation
// ("iam", "CreateUser"): the AWS CLI v2's YAMLArgumentGenerator over its model (members in
// the model's order; ” or an enum's first value for strings, 0, 0.0, true, midnight of
// 1970-01-01, !!binary ” for blobs, one-element lists, {KeyName: …} for maps, {} where a
// structure recurs), each member followed by a comment: [REQUIRED], the first sentence of its
// documentation and its valid values, laid out as ruamel.yaml lays out end-of-line comments.
func YAMLSkeleton(service, op string) ([]byte, error) {
	m := modelOf(service)
	if m == nil {
		return nil, fmt.Errorf("params: no model of %q", service)
	}
	o, ok := m.Operations[op]
	if !ok {
		return nil, fmt.Errorf("params: %s has no operation %q", service, op)
	}
	root := &skeletonNode{mapping: true}
	if o.Input != "" {
		g := &skeletonGen{m: m}
		root = g.node(o.Input)
	}
	var b strings.Builder
	root.write(&b, 0, false)
	return []byte(b.String()), nil
}

// skeletonNode is a node of a YAML skeleton: a scalar as written, a sequence or a mapping.
type skeletonNode struct {
	scalar  string
	items   []*skeletonNode
	entries []skeletonEntry
	mapping bool
}

// skeletonEntry is a mapping's key, value and end-of-line comment ("" for none; else
// written after one space, as ruamel.yaml writes a comment at column 0).
type skeletonEntry struct {
	key     string
	value   *skeletonNode
	comment string
}

type skeletonGen struct {
	m     *inputModel
	stack []string
}

func (g *skeletonGen) node(name string) *skeletonNode {
	s := g.m.Shapes[name]
	g.stack = append(g.stack, name)
	defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	switch s.Type {
	case "structure":
		n := &skeletonNode{mapping: true}
		if g.depth(name) > 1 {
			return n // the structure again, inside itself
		}
		for _, mb := range s.Members {
			n.entries = append(n.entries, skeletonEntry{key: mb.Name, value: g.node(mb.Shape)})
			n.comment(len(n.entries)-1, memberComment(mb, g.m.Shapes[mb.Shape]))
		}
		return n
	case "list":
		return &skeletonNode{items: []*skeletonNode{g.node(s.Member)}}
	case "map":
		return &skeletonNode{mapping: true, entries: []skeletonEntry{{key: "KeyName", value: g.node(s.Value)}}}
	case "string":
		if len(s.Enum) > 0 {
			return &skeletonNode{scalar: yamlText(s.Enum[0])}
		}
		return &skeletonNode{scalar: "''"}
	case "integer", "long":
		return &skeletonNode{scalar: "0"}
	case "float", "double":
		return &skeletonNode{scalar: "0.0"}
	case "boolean":
		return &skeletonNode{scalar: "true"}
	case "timestamp":
		return &skeletonNode{scalar: "1970-01-01 00:00:00"}
	case "blob":
		return &skeletonNode{scalar: "!!binary ''"}
	}
	return &skeletonNode{scalar: "null"}
}

// depth counts the shapes being generated that are name.
func (g *skeletonGen) depth(name string) int {
	n := 0
	for _, s := range g.stack {
		if s == name {
			n++
		}
	}
	return n
}

// memberComment is the AWS CLI's comment on a member: "[REQUIRED]", the documentation's
// first sentence and the enum's values, joined by spaces; "" when that is blank.
func memberComment(mb inputMember, s inputShape) string {
	var parts []string
	if mb.Required {
		parts = append(parts, "[REQUIRED]")
	}
	parts = append(parts, mb.Doc)
	if len(s.Enum) > 0 {
		parts = append(parts, "Valid values are: "+strings.Join(s.Enum, ", ")+".")
	}
	c := strings.Join(parts, " ")
	if strings.TrimSpace(c) == "" {
		return ""
	}
	return c
}

// comment sets entry i's comment as ruamel.yaml's yaml_add_eol_comment does, right after
// adding the key: it takes the column of a comment before (the previous key's, else that of
// the last key with a comment before the first key not sorting before this one); without
// one the comment starts with a space, so it stands two spaces after the value.
func (n *skeletonNode) comment(i int, text string) {
	if text == "" {
		return
	}
	text = "# " + text
	if !n.columnBefore(i) {
		text = " " + text
	}
	n.entries[i].comment = text
}

func (n *skeletonNode) columnBefore(i int) bool {
	if i > 0 && n.entries[i-1].comment != "" {
		return true
	}
	for _, e := range n.entries[:i] {
		if e.key >= n.entries[i].key {
			break
		}
		if e.comment != "" {
			return true
		}
	}
	return false
}

// write writes the node at indent; inline says the first line continues a "- " already
// written.
func (n *skeletonNode) write(b *strings.Builder, indent int, inline bool) {
	pad := strings.Repeat(" ", indent)
	switch {
	case n.mapping && len(n.entries) == 0:
		b.WriteString("{}\n")
	case n.mapping:
		for i, e := range n.entries {
			if i > 0 || !inline {
				b.WriteString(pad)
			}
			b.WriteString(yamlText(e.key) + ":")
			e.value.writeValue(b, indent, e.comment)
		}
	case n.items != nil:
		for i, item := range n.items {
			if i > 0 || !inline {
				b.WriteString(pad)
			}
			b.WriteString("- ")
			item.write(b, indent+2, true)
		}
	default:
		b.WriteString(n.scalar + "\n")
	}
}

// writeValue writes a mapping value after "key:", with the entry's comment.
func (n *skeletonNode) writeValue(b *strings.Builder, indent int, comment string) {
	tail := "\n"
	if comment != "" {
		tail = " " + comment + "\n"
	}
	switch {
	case n.mapping && len(n.entries) == 0:
		b.WriteString(" {}" + tail)
	case n.mapping:
		b.WriteString(strings.TrimRight(tail, "\n") + "\n")
		n.write(b, indent+2, false)
	case n.items != nil:
		b.WriteString(strings.TrimRight(tail, "\n") + "\n")
		n.write(b, indent, false)
	default:
		b.WriteString(" " + n.scalar + tail)
	}
}

// yamlText writes a string as the AWS CLI's YAML dumpers do in block context: plain when
// that reads back as the same string, else single-quoted.
func yamlText(s string) string {
	if output.PlainYAML(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
