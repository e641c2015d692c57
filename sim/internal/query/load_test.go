package query

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate regenerates the shape files from the SDK modules in go.mod and compares
// them with the committed ones: after an SDK upgrade, run `go generate`.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator over the SDK sources")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/gen", "-data", dir, "-unions", filepath.Join(dir, "unions_gen.go"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, out)
	}
	// Every file the generator writes, and no other in data/ (a service that moved to the
	// schema-based generation, as STS with service/sts v1.52, leaves no .shapes behind).
	written, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, w := range written {
		name := "data/" + filepath.Base(w)
		if filepath.Base(w) == "unions_gen.go" {
			name = "unions_gen.go"
		}
		names[name] = true
		want, err := os.ReadFile(w)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v: run go generate in sim/internal/query", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate in sim/internal/query", name)
		}
	}
	committed, _ := filepath.Glob("data/*")
	for _, name := range committed {
		if !names[filepath.ToSlash(name)] {
			t.Errorf("%s is not written by the generator any more: remove it", name)
		}
	}
	for _, name := range []string{"data/ec2.shapes", "data/iam.shapes", "data/sts.required", "data/rds.required", "unions_gen.go"} {
		if !names[name] {
			t.Errorf("the generator did not write %s", name)
		}
	}
}

func TestShapeTables(t *testing.T) {
	for _, s := range []*Service{IAM, STS, EC2} { // STS: from its schema and sts.required
		t.Run(s.name, func(t *testing.T) {
			tb, err := s.data()
			if err != nil {
				t.Fatal(err)
			}
			if tb.version != s.version {
				t.Errorf("data version %s, service %s", tb.version, s.version)
			}
			for _, o := range tb.ops {
				if s.protocol == AWSQuery && !o.discard && o.result != o.name+"Result" {
					t.Errorf("%s: result element %q", o.name, o.result)
				}
			}
		})
	}
	if _, err := parseTables("op A B\n"); err == nil {
		t.Error("parseTables accepted a short op record")
	}
	if _, err := parseTables("f A B - - -\n"); err == nil {
		t.Error("parseTables accepted a field outside a structure")
	}
}

// BenchmarkLoadEC2Shapes is the one-time cost of the first EC2 request: parsing the embedded
// shape file.
func BenchmarkLoadEC2Shapes(b *testing.B) {
	raw, err := shapeFiles.ReadFile("data/ec2.shapes")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseTables(string(raw)); err != nil {
			b.Fatal(err)
		}
	}
}
