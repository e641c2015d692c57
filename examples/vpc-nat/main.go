// Command vpc-nat builds the course's VPC chapter: a VPC with a public and a private subnet
// in two Availability Zones, a NAT gateway that lets the private subnets reach out, a
// bastion that lets SSH in from your address only, and a private instance behind it — then
// takes the whole network down again, finding everything in it first.
//
//	go run ./examples/vpc-nat                       # on the embedded simulator
//	go run ./examples/vpc-nat -keep                 # left standing (then -delete vpc-…)
//	AWSX_BACKEND=aws go run ./examples/vpc-nat
//
// On AWS the NAT gateway costs by the hour (about $0.045 in us-east-1) and by the GB, and
// its Elastic IP by the hour; the two t2.micro instances are in the free tier for a year.
// Without -keep, all of it is deleted within minutes. On the simulator the program moves
// the simulator's clock on while it waits, so the NAT gateway's minute passes at once.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/simbackend"
	"github.com/awsxlab/awsx/vpcx"
)

func main() {
	name := flag.String("name", "awsx-vpc-nat", "the name everything is tagged with")
	cidr := flag.String("cidr", "10.0.0.0/16", "the VPC's range")
	keep := flag.Bool("keep", false, "leave the network standing")
	del := flag.String("delete", "", "only delete the VPC of this ID (what -keep left) with everything in it")
	flag.Parse()
	ctx := context.Background()

	settings, err := awsx.NewSettings()
	if err != nil {
		log.Fatal(err)
	}
	settings.SetDefault("backend", awsx.BackendSim)
	cfg, err := awsx.Load(ctx, func(o *awsx.Options) { o.Settings = settings })
	if err != nil {
		log.Fatal(err)
	}
	var cloud *sim.Cloud
	poll := func(*vpcx.Options) {}
	if settings.GetString("backend") == awsx.BackendSim {
		cloud = simbackend.Default()
		stop := fastForward(cloud)
		defer stop()
		poll = func(o *vpcx.Options) { o.Poll = 10 * time.Millisecond }
	}
	if *del != "" {
		if err := vpcx.Delete(ctx, cfg, *del, poll); err != nil {
			log.Fatal(err)
		}
		fmt.Println("deleted", *del)
		return
	}

	v, err := vpcx.Create(ctx, cfg, *name, *cidr, poll, func(o *vpcx.Options) { o.NAT = true })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("VPC", v.ID, v.CIDR)
	for i := range v.Public {
		fmt.Printf("  %s  public %s  private %s\n", v.Public[i].Zone, v.Public[i].CIDR, v.Private[i].CIDR)
	}
	fmt.Println("  NAT gateway", v.NATGatewayID)

	key := filepath.Join(os.TempDir(), *name+".pem")
	if err := ec2x.CreateKeyPair(ctx, cfg, *name, key); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(key)
	b, err := vpcx.CreateBastion(ctx, cfg, v, *name, func(o *vpcx.BastionOptions) { o.KeyName = *name })
	if err != nil {
		log.Fatal(err)
	}
	worker, err := ec2x.Launch(ctx, cfg, *name+"-worker", func(o *ec2x.LaunchOptions) {
		o.SubnetID, o.SecurityGroupIDs, o.KeyName = v.Private[0].ID, []string{b.PrivateGroupID}, *name
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("bastion", b.Host.ID, "at", b.Host.PublicIP)
	fmt.Println("worker ", worker.ID, "at", worker.PrivateIP, "(no public address)")
	fmt.Println("log in to the worker through the bastion:")
	fmt.Println("  " + b.SSHCommand(key, worker))

	if cloud != nil {
		// The simulator answers what AWS's Reachability Analyzer would: which paths are open.
		me := sim.Endpoint{Internet: true}
		out := sim.Endpoint{Address: netip.MustParseAddr("1.1.1.1")}
		for _, p := range []struct {
			what     string
			from, to sim.Endpoint
			port     int
		}{
			{"me → bastion, ssh", me, sim.Endpoint{Instance: b.Host.ID}, 22},
			{"me → worker, ssh", me, sim.Endpoint{Instance: worker.ID}, 22},
			{"bastion → worker, ssh", sim.Endpoint{Instance: b.Host.ID}, sim.Endpoint{Instance: worker.ID}, 22},
			{"worker → internet, https (through the NAT gateway)", sim.Endpoint{Instance: worker.ID}, out, 443},
		} {
			v := cloud.Reach(p.from, p.to, "tcp", p.port)
			verdict := "open"
			if !v.OK {
				verdict = "closed: " + v.Reason
			}
			fmt.Printf("  %s: %s\n", p.what, verdict)
		}
	}
	if *keep {
		fmt.Println("left standing; delete with: -delete", v.ID)
		return
	}
	if err := vpcx.Delete(ctx, cfg, v.ID, poll); err != nil {
		log.Fatal(err)
	}
	if err := ec2x.Teardown(ctx, cfg, *name, 5*time.Minute); err != nil { // the key pair
		log.Fatal(err)
	}
	fmt.Println("deleted", v.ID, "with its instances, NAT gateway and Elastic IP")
}

// fastForward moves the simulator's clock on, ten seconds every ten milliseconds, until
// stop is called: the simulated minutes a program waits for pass at once.
func fastForward(c *sim.Cloud) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.Advance(10 * time.Second)
			}
		}
	}()
	return func() { close(done) }
}
