package params

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./internal/inputmodel -out model

// The input models of the services of internal/awsmodel's list are extracted from the AWS CLI
// v2's botocore models by internal/inputmodel, with the documentation's first sentences as the
// AWS CLI cuts them.
//
//go:embed model/*.json.gz
var modelFS embed.FS

// inputModel is what params keeps of a service's model: each operation's input shape and
// documentation's first sentence, and the shapes reachable from the inputs.
type inputModel struct {
	Operations map[string]struct {
		Input string `json:"input"`
		Doc   string `json:"doc"`
	} `json:"operations"`
	Shapes map[string]inputShape `json:"shapes"`
}

// inputShape is a structure (Members), a list (Member), a map (Value) or a scalar (Type,
// and Enum for a string with values).
type inputShape struct {
	Type    string        `json:"type"`
	Enum    []string      `json:"enum"`
	Members []inputMember `json:"members"`
	Member  string        `json:"member"`
	Value   string        `json:"value"`
}

// inputMember is one member of a structure, in the model's order.
type inputMember struct {
	Name, Shape, Doc string
	Required         bool
}

// UnmarshalJSON reads the extract's [name, shape, doc, required].
func (m *inputMember) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) != 4 {
		return fmt.Errorf("params: member %s: want [name, shape, doc, required]", b)
	}
	for i, dst := range []any{&m.Name, &m.Shape, &m.Doc, &m.Required} {
		if err := json.Unmarshal(raw[i], dst); err != nil {
			return err
		}
	}
	return nil
}

var inputModels sync.Map // service → func() *inputModel

// modelOf returns the service's input model, decoded on first use; nil when none is embedded.
func modelOf(service string) *inputModel {
	f, _ := inputModels.LoadOrStore(service, sync.OnceValue(func() *inputModel {
		b, err := modelFS.ReadFile("model/" + service + ".json.gz")
		if err != nil {
			return nil
		}
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil
		}
		raw, err := io.ReadAll(z)
		if err != nil {
			return nil
		}
		var m inputModel
		if json.Unmarshal(raw, &m) != nil {
			return nil
		}
		return &m
	}))
	return f.(func() *inputModel)()
}

// OperationDoc returns the first sentence of the operation's documentation in the AWS CLI
// v2's model ("iam", "CreateUser"), or "" when the model lacks it.
func OperationDoc(service, op string) string {
	m := modelOf(service)
	if m == nil {
		return ""
	}
	return m.Operations[op].Doc
}

// Operation describes an operation's input as the AWS CLI v2's model has it, for help pages.
type Operation struct {
	Doc    string     // the first sentence of the operation's documentation
	Params []ParamDoc // in the model's order
}

// ParamDoc is one member of an operation's input.
type ParamDoc struct {
	Name     string // the member: "UserName"
	Flag     string // its option: "user-name"
	Type     string // the model's type: string, integer, boolean, list, structure, map, …
	Doc      string // the first sentence of its documentation
	Required bool
}

// Describe returns the operation ("iam", "CreateUser") as the AWS CLI v2's model describes
// it, and reports whether the model has it.
func Describe(service, op string) (Operation, bool) {
	m := modelOf(service)
	if m == nil {
		return Operation{}, false
	}
	o, ok := m.Operations[op]
	if !ok {
		return Operation{}, false
	}
	d := Operation{Doc: o.Doc}
	for _, mb := range m.Shapes[o.Input].Members {
		d.Params = append(d.Params, ParamDoc{
			Name: mb.Name, Flag: XformName(mb.Name), Type: m.Shapes[mb.Shape].Type,
			Doc: strings.TrimSpace(mb.Doc), Required: mb.Required,
		})
	}
	return d, true
}
