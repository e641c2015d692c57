package policy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
)

// The documents and metadata of AWS managed policies, one JSON file each, as AWS publishes
// them (current default versions). ReadOnlyAccess is kept whole.
//
//go:embed managed/*.json
var managedFS embed.FS

// Managed is an AWS managed policy: its metadata as IAM's GetPolicy returns it and the
// document of its default version. Values returned by [AWSManaged] and [AWSManagedList] are
// shared: do not modify them.
type Managed struct {
	Name             string // "AdministratorAccess"
	ARN              string // "arn:aws:iam::aws:policy/AdministratorAccess"
	Path             string // "/"
	PolicyID         string // "ANPAIWMBCKSKIEE64ZLYK"
	DefaultVersionID string // "v1"
	Description      string
	CreateDate       time.Time
	UpdateDate       time.Time
	Document         string // the default version's document, JSON indented by four spaces

	once   sync.Once
	policy *Policy
	err    error
}

// Policy returns the document parsed as an identity policy. It is parsed once and shared:
// a [Policy] is immutable.
func (m *Managed) Policy() (*Policy, error) {
	m.once.Do(func() { m.policy, m.err = Parse(m.Document, Identity) })
	return m.policy, m.err
}

var managed struct {
	once   sync.Once
	byName map[string]*Managed
	list   []*Managed
	err    error
}

func loadManaged() {
	entries, err := managedFS.ReadDir("managed")
	if err != nil {
		managed.err = err
		return
	}
	managed.byName = make(map[string]*Managed, len(entries))
	for _, e := range entries {
		data, err := managedFS.ReadFile("managed/" + e.Name())
		if err != nil {
			managed.err = err
			return
		}
		var f struct {
			PolicyName, Path, PolicyId, DefaultVersionId, Description string
			CreateDate, UpdateDate                                    time.Time
			Document                                                  json.RawMessage
		}
		if err := json.Unmarshal(data, &f); err != nil {
			managed.err = fmt.Errorf("policy: managed policy file %q: %w", e.Name(), err)
			return
		}
		var doc bytes.Buffer
		if err := json.Indent(&doc, f.Document, "", "    "); err != nil {
			managed.err = fmt.Errorf("policy: managed policy file %q: %w", e.Name(), err)
			return
		}
		m := &Managed{
			Name:             f.PolicyName,
			ARN:              "arn:aws:iam::aws:policy" + f.Path + f.PolicyName,
			Path:             f.Path,
			PolicyID:         f.PolicyId,
			DefaultVersionID: f.DefaultVersionId,
			Description:      f.Description,
			CreateDate:       f.CreateDate.UTC(),
			UpdateDate:       f.UpdateDate.UTC(),
			Document:         doc.String(),
		}
		managed.byName[m.Name] = m
		managed.list = append(managed.list, m)
	}
	sort.Slice(managed.list, func(i, j int) bool { return managed.list[i].Name < managed.list[j].Name })
}

// AWSManaged returns the AWS managed policy with the given name, e.g. "AdministratorAccess".
func AWSManaged(name string) (*Managed, bool) {
	managed.once.Do(loadManaged)
	m, ok := managed.byName[name]
	return m, ok
}

// AWSManagedList returns the AWS managed policies this package carries, sorted by name.
func AWSManagedList() []*Managed {
	managed.once.Do(loadManaged)
	return append([]*Managed(nil), managed.list...)
}
