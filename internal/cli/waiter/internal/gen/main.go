// Command gen copies botocore's waiter definitions (waiters-2.json) of each service of
// internal/awsmodel's list, at the API version the list names, into the waiter package's
// data directory, compacted: data/<name>.json. It reads the AWS CLI v2's own botocore
// (/usr/lib/python3/dist-packages/awscli/botocore/data), whose waiters `aws <service> wait`
// offers, and removes the files of services no longer listed. A service without waiters
// gets none.
//
// Usage:
//
//	go run ./internal/gen [-data DIR] [-out DIR]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

// Data is the AWS CLI v2's botocore data directory.
const Data = "/usr/lib/python3/dist-packages/awscli/botocore/data"

func main() {
	data := flag.String("data", Data, "botocore data directory")
	out := flag.String("out", "data", "output directory")
	flag.Parse()
	if err := Generate(*data, *out, awsmodel.Services()); err != nil {
		log.Fatal(err)
	}
}

// Generate writes out/<name>.json for each service that has waiters.
func Generate(data, out string, services []awsmodel.Service) error {
	keep := map[string]bool{}
	for _, s := range services {
		b, err := read(filepath.Join(data, s.Botocore, s.APIVersion, "waiters-2.json"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("gen: %s: %w", s.Name, err)
		}
		var doc struct {
			Version int                        `json:"version"`
			Waiters map[string]json.RawMessage `json:"waiters"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("gen: %s's waiters: %w", s.Name, err)
		}
		if doc.Version != 2 {
			return fmt.Errorf("gen: %s's waiters are of version %d, not 2", s.Name, doc.Version)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		buf.WriteByte('\n')
		name := s.Name + ".json"
		keep[name] = true
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	old, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range old {
		if strings.HasSuffix(e.Name(), ".json") && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(out, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// read returns a botocore file, plain or gzipped.
func read(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return b, nil
	}
	f, gzErr := os.Open(path + ".gz")
	if gzErr != nil {
		return nil, err
	}
	defer f.Close()
	z, gzErr := gzip.NewReader(f)
	if gzErr != nil {
		return nil, gzErr
	}
	return io.ReadAll(z)
}
