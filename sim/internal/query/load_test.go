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
	for _, name := range []string{"data/ec2.shapes", "data/iam.shapes", "data/sts.shapes", "data/rds.required", "unions_gen.go"} {
		want, err := os.ReadFile(filepath.Join(dir, filepath.Base(name)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate in sim/internal/query", name)
		}
	}
}

func TestShapeTables(t *testing.T) {
	for _, s := range []*Service{IAM, STS, EC2} {
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
