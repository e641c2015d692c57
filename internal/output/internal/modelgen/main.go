// Command modelgen extracts from botocore's service models what the output package needs to
// print like the AWS CLI: each operation's output shape, the member order of every structure
// reachable from an output (the order botocore's parser, and so the AWS CLI, emits keys in),
// the shapes' minimum lengths and values (which botocore's stubber checks sample outputs
// against), and the paginators. It does so for each service of internal/awsmodel's list, at
// the API version the list names, and removes the model files of services no longer listed.
//
// Usage:
//
//	go run ./internal/modelgen [-primary DIR] [-extra DIR] [-out DIR]
//
// -primary is the botocore data directory whose member order wins (the AWS CLI v2's own,
// /usr/lib/python3/dist-packages/awscli/botocore/data); -extra a newer botocore's (by default
// python3's, the AWS CLI v1's), whose members the primary lacks are appended after the
// primary's, in the newer order, marked "new" (the AWS CLI v2 of the primary models does not
// print them).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

type member struct {
	Shape string `json:"shape"`
}

type shape struct {
	Type    string         `json:"type"`
	Min     json.Number    `json:"min"`
	Members orderedMembers `json:"members"`
	Member  *member        `json:"member"`
	Value   *member        `json:"value"`
}

// orderedMembers keeps a structure's members in document order.
type orderedMembers struct {
	names   []string
	targets map[string]string
}

func (o *orderedMembers) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	o.targets = map[string]string{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var m member
		if err := dec.Decode(&m); err != nil {
			return err
		}
		name := k.(string)
		o.names = append(o.names, name)
		o.targets[name] = m.Shape
	}
	_, err := dec.Token()
	return err
}

type operation struct {
	Output *member `json:"output"`
}

type model struct {
	Operations map[string]operation `json:"operations"`
	Shapes     map[string]*shape    `json:"shapes"`
}

// Out is the file written per service: see the output package's model.go.
type Out struct {
	Operations map[string]string          `json:"operations"`
	Shapes     map[string]outShape        `json:"shapes"`
	Paginators map[string]json.RawMessage `json:"paginators,omitempty"`
}

type outShape struct {
	Type    string      `json:"type"`
	Min     json.Number `json:"min,omitempty"` // the shortest length or least value the model allows
	Members [][]string  `json:"members,omitempty"`
	Member  string      `json:"member,omitempty"`
	Value   string      `json:"value,omitempty"`
}

// PrimaryData is the AWS CLI v2's botocore data directory (Debian's awscli package).
const PrimaryData = "/usr/lib/python3/dist-packages/awscli/botocore/data"

func main() {
	primary := flag.String("primary", PrimaryData, "botocore data directory whose order wins")
	extra := flag.String("extra", "", "newer botocore data directory for members the primary lacks (default: python3's botocore)")
	out := flag.String("out", "model", "output directory")
	flag.Parse()
	if *extra == "" {
		var err error
		if *extra, err = ExtraData(); err != nil {
			log.Fatal(err)
		}
	}
	if err := Generate(*primary, *extra, *out, awsmodel.Services()); err != nil {
		log.Fatal(err)
	}
}

// ExtraData returns the data directory of python3's botocore, the AWS CLI v1's.
func ExtraData() (string, error) {
	out, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return "", fmt.Errorf("modelgen: python3 has no botocore (pip install botocore, or pass -extra): %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data"), nil
}

// Generate writes the models of services into out, from the botocore data directories
// primary and extra ("" for none).
func Generate(primary, extra, out string, services []awsmodel.Service) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, svc := range services {
		p, pdir, err := load(primary, svc)
		if err != nil {
			return err
		}
		var x *model
		xdir := ""
		if extra != "" {
			if x, xdir, err = load(extra, svc); err != nil {
				return err
			}
		}
		o := build(p, x)
		pag, err := paginators(pdir)
		if err != nil {
			return err
		}
		// The primary's CLI pages only what its own paginators name; the newer paginators
		// serve the operations the primary does not have at all.
		newer, err := paginators(xdir)
		if err != nil {
			return err
		}
		for op, v := range newer {
			if _, known := p.Operations[op]; !known {
				pag[op] = v
			}
		}
		o.Paginators = pag
		name := svc.Name + ".json.gz"
		keep[name] = true
		if err := write(filepath.Join(out, name), o); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%s: %d operations, %d shapes, %d paginators\n", svc.Name, len(o.Operations), len(o.Shapes), len(o.Paginators))
	}
	old, err := filepath.Glob(filepath.Join(out, "*.json.gz"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if !keep[filepath.Base(f)] {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// load reads the service's model, of the list's API version, under the data directory root.
func load(root string, svc awsmodel.Service) (*model, string, error) {
	dir := filepath.Join(root, svc.Botocore, svc.APIVersion)
	r, err := openMaybeGz(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return nil, "", fmt.Errorf("modelgen: no model of %s %s under %s: %w", svc.Botocore, svc.APIVersion, root, err)
	}
	defer r.Close()
	var m model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, "", fmt.Errorf("modelgen: %s: %w", dir, err)
	}
	return &m, dir, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

func openMaybeGz(path string) (io.ReadCloser, error) {
	if f, err := os.Open(path); err == nil {
		return f, nil
	}
	f, err := os.Open(path + ".gz")
	if err != nil {
		return nil, err
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return readCloser{z, func() error { z.Close(); return f.Close() }}, nil
}

// build walks the shapes reachable from every operation's output. Shapes are looked up by name
// in the primary model, and members by name in the newer one when the primary lacks them.
func build(p, x *model) Out {
	o := Out{Operations: map[string]string{}, Shapes: map[string]outShape{}}
	ops := map[string]operation{}
	if x != nil {
		for k, v := range x.Operations {
			ops[k] = v
		}
	}
	for k, v := range p.Operations {
		ops[k] = v
	}
	var visit func(name string, m *model)
	lookup := func(name string, m *model) (*shape, *model) {
		if s, ok := m.Shapes[name]; ok {
			return s, m
		}
		if s, ok := p.Shapes[name]; ok {
			return s, p
		}
		if x != nil {
			if s, ok := x.Shapes[name]; ok {
				return s, x
			}
		}
		return nil, nil
	}
	visit = func(name string, m *model) {
		if _, done := o.Shapes[name]; done {
			return
		}
		s, from := lookup(name, m)
		if s == nil {
			return
		}
		os := outShape{Type: s.Type, Min: s.Min}
		o.Shapes[name] = os
		switch s.Type {
		case "structure":
			seen := map[string]bool{}
			for _, n := range s.Members.names {
				os.Members = append(os.Members, []string{n, s.Members.targets[n]})
				seen[n] = true
			}
			// Members only the newer model knows, in its order, after the primary's.
			if x != nil && from == p {
				if xs, ok := x.Shapes[name]; ok && xs.Type == "structure" {
					for _, n := range xs.Members.names {
						if !seen[n] {
							os.Members = append(os.Members, []string{n, xs.Members.targets[n], "new"})
						}
					}
				}
			}
			o.Shapes[name] = os
			for _, mb := range os.Members {
				visit(mb[1], from)
			}
		case "list":
			os.Member = s.Member.Shape
			o.Shapes[name] = os
			visit(os.Member, from)
		case "map":
			os.Value = s.Value.Shape
			o.Shapes[name] = os
			visit(os.Value, from)
		}
	}
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		op := ops[k]
		if op.Output == nil {
			// An operation the primary answers with nothing and the newer model with an
			// output (ec2's DeleteKeyPair): the newer output, every member of it "new".
			if xo, ok := x.operation(k); ok && xo.Output != nil {
				root := xo.Output.Shape
				o.Operations[k] = root
				visit(root, x)
				if rs, ok := o.Shapes[root]; ok {
					for i, mb := range rs.Members {
						rs.Members[i] = append(mb[:2:2], "new")
					}
				}
			}
			continue
		}
		o.Operations[k] = op.Output.Shape
		if _, inP := p.Operations[k]; inP {
			visit(op.Output.Shape, p)
		} else {
			visit(op.Output.Shape, x)
		}
	}
	return o
}

// operation returns the model's operation named name; m may be nil.
func (m *model) operation(name string) (operation, bool) {
	if m == nil {
		return operation{}, false
	}
	op, ok := m.Operations[name]
	return op, ok
}

// paginators merges paginators-1.json and its sdk-extras of both directories, the primary's
// entries winning.
func paginators(dirs ...string) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	for i := len(dirs) - 1; i >= 0; i-- {
		if dirs[i] == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dirs[i], "paginators-1.json"))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		var f struct {
			Pagination map[string]map[string]any `json:"pagination"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, err
		}
		if b, err := os.ReadFile(filepath.Join(dirs[i], "paginators-1.sdk-extras.json")); err == nil {
			var e struct {
				Merge struct {
					Pagination map[string]map[string]any `json:"pagination"`
				} `json:"merge"`
			}
			if err := json.Unmarshal(b, &e); err != nil {
				return nil, err
			}
			for op, kv := range e.Merge.Pagination {
				if f.Pagination[op] == nil {
					continue
				}
				for k, v := range kv {
					f.Pagination[op][k] = v
				}
			}
		}
		for op, v := range f.Pagination {
			b, _ := json.Marshal(v)
			out[op] = b
		}
	}
	return out, nil
}

func write(path string, o Out) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	z, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := z.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := z.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
