// Command gen writes sim/OPERATIONS.md: every operation of IAM, STS, S3 and EC2 and whether the
// simulator answers it (see package opslist).
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/awsxlab/awsx/sim/internal/opslist"
)

func main() {
	out := flag.String("out", "OPERATIONS.md", "the file to write")
	flag.Parse()
	services, err := opslist.Probe(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, opslist.Render(services), 0o644); err != nil {
		log.Fatal(err)
	}
}
