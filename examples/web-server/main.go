// Command web-server is the course's first web server: a security group that lets HTTP in from
// anywhere and SSH from your address only, an instance whose user data installs and starts
// Apache with a page of its own, the ssh line to log in with, the page fetched — and all of it
// taken down again by name.
//
//	go run ./examples/web-server                       # on the embedded simulator
//	go run ./examples/web-server -keep                 # left running (then -teardown)
//	AWSX_BACKEND=aws go run ./examples/web-server
//
// SSH is let in from your own address, as https://checkip.amazonaws.com sees it (ec2x.MyIP;
// the simulator answers its own setting, 203.0.113.10), or from the range -me names.
//
// On AWS the instance (t2.micro, in the free tier for a year) costs by the second while it
// runs; -teardown terminates it and deletes its group and key pair.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/simbackend"
)

const userData = `#!/bin/bash
dnf install -y httpd
echo "<h1>Hello from $(hostname)</h1>" > /var/www/html/index.html
systemctl enable --now httpd
`

func main() {
	name := flag.String("name", "awsx-web-server", "the name everything is tagged with")
	me := flag.String("me", "", "the range SSH is let in from; your own address by default")
	keep := flag.Bool("keep", false, "leave the server running")
	teardown := flag.Bool("teardown", false, "only take down what an earlier -keep left")
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
	if *teardown {
		if err := ec2x.Teardown(ctx, cfg, *name, 5*time.Minute); err != nil {
			log.Fatal(err)
		}
		return
	}

	if *me == "" {
		ip, err := ec2x.MyIP(ctx, cfg)
		if err != nil {
			log.Fatal(err)
		}
		*me = ec2x.HostCIDR(ip)
	}
	key := filepath.Join(os.TempDir(), *name+".pem")
	if err := ec2x.CreateKeyPair(ctx, cfg, *name, key); err != nil {
		log.Fatal(err)
	}
	sg, err := ec2x.SecurityGroup(ctx, cfg, "", *name, "web server: HTTP from anywhere, SSH from me", ec2x.HTTPFrom("0.0.0.0/0"), ec2x.SSHFrom(*me))
	if err != nil {
		log.Fatal(err)
	}
	web, err := ec2x.Launch(ctx, cfg, *name, func(o *ec2x.LaunchOptions) {
		o.KeyName, o.SecurityGroupIDs, o.UserData = *name, []string{sg}, userData
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("running:", web.ID, "at", web.PublicIP)
	fmt.Println("log in:", web.SSHCommand(key))

	page, err := fetch(settings.GetString("backend") == awsx.BackendSim, web)
	if err != nil {
		log.Print(err)
	} else {
		fmt.Print("http://"+web.PublicIP+"/ says: ", page)
	}
	if *keep {
		return
	}
	err = ec2x.Teardown(ctx, cfg, *name, 5*time.Minute)
	os.Remove(key)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("taken down")
}

// fetch gets the server's page: from the embedded simulator's model of the instance, or over
// the internet from AWS, where Apache takes a minute or two to be installed and started.
func fetch(onSimulator bool, web *ec2x.Instance) (string, error) {
	if onSimulator {
		resp, err := simbackend.Default().FetchInstance(web.ID, 80, "/")
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	client := &http.Client{Timeout: 5 * time.Second}
	var last error
	for range 36 {
		resp, err := client.Get("http://" + web.PublicIP + "/")
		if err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(b), rerr
			}
			err = errors.New(resp.Status)
		}
		last = err
		time.Sleep(5 * time.Second)
	}
	return "", fmt.Errorf("the page did not come within 3 minutes: %w", last)
}
