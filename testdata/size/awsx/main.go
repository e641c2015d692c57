// Command awsx launches an instance with the awsx helpers, against AWS: the program whose
// size TestProgramSize compares with sdk/, the same on the SDK alone.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/ec2x"
)

func main() {
	ctx := context.Background()
	cfg, err := awsx.Load(ctx)
	if err != nil {
		log.Fatal(err)
	}
	web, err := ec2x.Launch(ctx, cfg, "web")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(web.ID, web.PublicIP)
	if err := ec2x.Terminate(ctx, cfg, 5*time.Minute, web.ID); err != nil {
		log.Fatal(err)
	}
}
