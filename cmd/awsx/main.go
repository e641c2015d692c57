// Command awsx is the AWS CLI's language on an in-memory AWS, or on AWS itself.
package main

import (
	"os"

	"github.com/awsxlab/awsx/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
