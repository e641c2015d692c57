package output

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"io"
	"sync"
)

//go:generate go run ./internal/modelgen -out model

// The models of the services of internal/awsmodel's list are extracted from botocore's service
// models by internal/modelgen: the AWS CLI v2's own (2.9.19) for the order of the members it
// knows, a newer botocore (python3's, the AWS CLI v1's) for the members added since, appended
// after.
//
//go:embed model/*.json.gz
var modelFS embed.FS

// serviceModel is what the output package keeps of a botocore service model.
type serviceModel struct {
	// Operations maps an operation's name to its output shape's.
	Operations map[string]string `json:"operations"`
	Shapes     map[string]shape  `json:"shapes"`
	// Paginators are botocore's paginators-1.json entries, sdk-extras merged.
	Paginators map[string]json.RawMessage `json:"paginators"`
}

// shape is a structure (Members, in the model's order: member name, target shape, and "new"
// for a member only the newer botocore knows), a list (Member) or a map (Value); scalars have
// a Type. Min is the model's minimum, of a length or of a value.
type shape struct {
	Type    string      `json:"type"`
	Min     json.Number `json:"min"` // the least length or value; "" for none
	Members [][]string  `json:"members"`
	Member  string      `json:"member"`
	Value   string      `json:"value"`
}

var models sync.Map // service name → func() *serviceModel

// modelOf returns the model of the service, or nil when none is embedded. Each is decoded
// once, on first use, so a command pays only for the services it prints.
func modelOf(service string) *serviceModel {
	f, _ := models.LoadOrStore(service, sync.OnceValue(func() *serviceModel {
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
		var m serviceModel
		if json.Unmarshal(raw, &m) != nil {
			return nil
		}
		return &m
	}))
	return f.(func() *serviceModel)()
}

// shapeOf returns the named shape of the model; ok is false when m is nil or lacks it.
func (m *serviceModel) shapeOf(name string) (shape, bool) {
	if m == nil || name == "" {
		return shape{}, false
	}
	s, ok := m.Shapes[name]
	return s, ok
}
