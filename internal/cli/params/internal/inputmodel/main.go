// Command inputmodel writes package params' input models: for each service of
// internal/awsmodel's list, <out>/<name>.json.gz, extracted from the AWS CLI v2's botocore
// model (the version the list names) by extract.py, run on the system Python that has
// Debian's AWS CLI v2.
//
// The list is read here, in Go, and handed to the script on its command line as
// name:botocore:version, so that the script names no service; model files of services no
// longer listed are removed.
//
//	go run ./internal/inputmodel -out model
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

//go:embed extract.py
var script string

// Python is the system Python with Debian's AWS CLI v2 (package awscli).
const Python = "/usr/bin/python3"

func main() {
	out := flag.String("out", "model", "directory for the <service>.json.gz files")
	python := flag.String("python", Python, "a Python that imports awscli.botocore (the AWS CLI v2)")
	flag.Parse()
	if err := Generate(*python, *out, awsmodel.Services()); err != nil {
		log.Fatal(err)
	}
}

// Check reports why python cannot run the extraction, or nil when it can.
func Check(python string) error {
	cmd := exec.Command(python, "-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import awscli.botocore.session, awscli.customizations.utils")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("inputmodel: %s cannot import the AWS CLI v2 (apt-get install awscli): %v\n%s", python, err, out)
	}
	return nil
}

// Generate writes the models of services into dir with python.
func Generate(python, dir string, services []awsmodel.Service) error {
	if err := Check(python); err != nil {
		return err
	}
	args := []string{"-", "-out", dir}
	keep := map[string]bool{}
	for _, s := range services {
		args = append(args, s.Name+":"+s.Botocore+":"+s.APIVersion)
		keep[s.Name+".json.gz"] = true
	}
	cmd := exec.Command(python, args...)
	cmd.Stdin = strings.NewReader(script)
	cmd.Stderr = os.Stderr
	if out, err := cmd.Output(); err != nil {
		return fmt.Errorf("inputmodel: extract.py: %v\n%s", err, out)
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json.gz"))
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
