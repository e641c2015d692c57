package sim_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
)

var guestEpoch = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

// launchWithUserData runs an instance of the image named by pattern with the user data,
// through the SDK, and returns its ID.
func launchWithUserData(t *testing.T, c *sim.Cloud, pattern, userData string) string {
	t.Helper()
	client := ec2.NewFromConfig(c.Config())
	in := ec2.RunInstancesInput{ImageId: aws.String(guestImage(t, client, pattern)), InstanceType: types.InstanceTypeT3Micro}
	if userData != "" {
		in.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(userData)))
	}
	return *run(t, client, in)[0].InstanceId
}

func guestImage(t *testing.T, client *ec2.Client, pattern string) string {
	t.Helper()
	images := must(client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{Filters: []types.Filter{filter("name", pattern)}}))(t).Images
	if len(images) == 0 {
		t.Fatalf("no image named %s", pattern)
	}
	return *images[0].ImageId
}

// on runs script on the instance and returns its exit status and output.
func on(t *testing.T, c *sim.Cloud, id, script string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code, err := c.Run(context.Background(), id, script, sim.RunOptions{Stdout: &out, Stderr: &errOut})
	if err != nil {
		t.Fatalf("Run %q: %v", script, err)
	}
	return code, out.String(), errOut.String()
}

const webUserData = `#!/bin/bash
yum update -y
yum install -y httpd
systemctl start httpd
systemctl enable httpd
echo "<h1>Hello World from $(hostname -f)</h1>" > /var/www/html/index.html
`

// TestGuestUserDataWebServer: user data that installs httpd and writes index.html runs at
// the first boot, as root; the page answers on port 80, to curl on the instance and to the
// Hosts the network consults; a stop closes the port, a start opens it again without running
// the user data twice.
func TestGuestUserDataWebServer(t *testing.T) {
	ctx := context.Background()
	c := sim.New(sim.WithClock(func() time.Time { return guestEpoch }))
	id := launchWithUserData(t, c, "al2023-ami-*-x86_64", webUserData)
	client := ec2.NewFromConfig(c.Config())
	private := *describeInstance(t, client, id).PrivateDnsName
	want := "<h1>Hello World from " + private + "</h1>\n"

	code, out, errOut := on(t, c, id, "curl -s localhost")
	if code != 0 || out != want {
		t.Errorf("curl localhost: %d %q %q, want %q", code, out, errOut, want)
	}
	_, log, _ := on(t, c, id, "cat /var/log/cloud-init-output.log")
	for _, s := range []string{
		"Cloud-init v. 22.2.2 running 'modules:final' at Tue, 04 Mar 2025 09:30:00 +0000.",
		"Installed:\n  httpd-2.4.62-1.amzn2023.x86_64\n",
		"Created symlink /etc/systemd/system/multi-user.target.wants/httpd.service",
		"Cloud-init v. 22.2.2 finished at Tue, 04 Mar 2025 09:30:00 +0000. Datasource DataSourceEc2.",
	} {
		if !strings.Contains(log, s) {
			t.Errorf("cloud-init-output.log lacks %q:\n%s", s, log)
		}
	}
	if strings.Contains(log, "WARNING") {
		t.Errorf("the user data failed:\n%s", log)
	}
	hosts := c.Hosts()
	if !hosts.Listening(id, 80) || !hosts.Listening(id, 22) || hosts.Listening(id, 443) {
		t.Errorf("Listening 80, 22, 443: %v %v %v", hosts.Listening(id, 80), hosts.Listening(id, 22), hosts.Listening(id, 443))
	}
	resp, err := c.FetchInstance(id, 80, "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != want || resp.Header.Get("Server") != "Apache/2.4.62 (Amazon Linux)" {
		t.Errorf("GET /: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))(t)
	if hosts.Listening(id, 80) {
		t.Error("a stopped instance's httpd listens")
	}
	if _, err := c.Run(ctx, id, "true", sim.RunOptions{}); err == nil || !strings.Contains(err.Error(), "is stopped") {
		t.Errorf("Run on a stopped instance: %v", err)
	}
	must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}))(t)
	if !hosts.Listening(id, 80) {
		t.Error("an enabled httpd does not start with the instance")
	}
	_, log, _ = on(t, c, id, "cat /var/log/cloud-init-output.log; cat /var/www/html/index.html")
	if n := strings.Count(log, "finished at"); n != 1 || !strings.HasSuffix(log, want) {
		t.Errorf("after a restart, user data ran %d times; files:\n%s", n, log)
	}
	must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))(t)
	if _, err := c.Run(ctx, id, "true", sim.RunOptions{}); err == nil || hosts.Listening(id, 22) {
		t.Errorf("Run on a terminated instance: %v", err)
	}
	if _, err := c.Run(ctx, "i-00000000000000000", "true", sim.RunOptions{}); err == nil || !strings.Contains(err.Error(), "no instance") {
		t.Errorf("Run on no instance: %v", err)
	}
}

// TestGuestUserDataKinds runs the user data of the course notes and of AWS's guides, and a
// #cloud-config document, each on the image it was written for.
func TestGuestUserDataKinds(t *testing.T) {
	for _, tc := range []struct {
		name, image, userData string
		check                 string // a script whose output must be want
		want                  string
		log                   []string // in cloud-init-output.log
	}{
		{
			// The course notes (AWS in Action): a CloudFormation template's UserData.
			name: "course notes, bash -x", image: "amzn2-ami-kernel-5.10-hvm-*",
			userData: "#!/bin/bash -x\nexport MY_PASSWORD=\"secret\"\n/usr/bin/start.sh\n",
			check:    "sudo cat /var/lib/cloud/instance/scripts/part-001 | head -n 1", want: "#!/bin/bash -x\n",
			log: []string{"+ /usr/bin/start.sh\n", "bash: /usr/bin/start.sh: No such file or directory\n",
				"[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [127]", "Failed to run module scripts-user"},
		},
		{
			// https://docs.aws.amazon.com/linux/al2023/ug/ec2-lamp-amazon-linux-2023.html
			name: "AL2023 LAMP", image: "al2023-ami-*-x86_64",
			userData: "#!/bin/bash\ndnf update -y\ndnf install -y httpd wget php-fpm php-mysqli php-json php php-devel\ndnf install -y mariadb105-server\nsystemctl start httpd\nsystemctl enable httpd\n",
			check:    "systemctl is-active mariadb; systemctl is-active httpd", want: "inactive\nactive\n",
			log: []string{"Installing       : php-fpm-8.3.16-1.amzn2023.x86_64"},
		},
		{
			name: "Ubuntu nginx", image: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-*",
			userData: "#!/bin/bash\napt-get update\napt-get install -y nginx\necho ok > /var/www/html/index.html\n",
			check:    "whoami; curl -s localhost", want: "ubuntu\nok\n",
			log: []string{"Setting up nginx (1.24.0-1ubuntu1) ..."},
		},
		{
			name: "cloud-config", image: "al2023-ami-*-x86_64",
			userData: `#cloud-config
package_update: true
packages:
  - nginx
write_files:
  - path: /usr/share/nginx/html/index.html
    content: |
      <p>from cloud-config</p>
    permissions: '0644'
    defer: true
runcmd:
  - systemctl enable --now nginx
  - [sh, -c, "echo runcmd ran > /tmp/ran"]
`,
			check: "curl -s localhost; cat /tmp/ran", want: "<p>from cloud-config</p>\nruncmd ran\n",
			log: []string{"Installed:\n  nginx-1.26.2-1.amzn2023.x86_64"},
		},
		{
			name: "not a script", image: "amzn2-ami-kernel-5.10-hvm-*", userData: "just some data\n",
			check: "curl -s http://169.254.169.254/latest/user-data", want: "just some data\n",
			log: []string{"Unhandled non-multipart (text/x-not-multipart) userdata"},
		},
		{
			name: "endless", image: "al2023-ami-*-x86_64", userData: "#!/bin/sh\nwhile true; do echo y; done\n",
			check: "cloud-init status", want: "status: done\n",
			log: []string{"awsx sim: the command was stopped", "Failed running /var/lib/cloud/instance/scripts/part-001 [124]"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sim.New()
			id := launchWithUserData(t, c, tc.image, tc.userData)
			if code, out, errOut := on(t, c, id, tc.check); code != 0 || out != tc.want {
				t.Errorf("%q: %d %q %q, want %q", tc.check, code, out, errOut, tc.want)
			}
			_, log, _ := on(t, c, id, "cat /var/log/cloud-init-output.log")
			for _, s := range tc.log {
				if !strings.Contains(log, s) {
					t.Errorf("cloud-init-output.log lacks %q:\n%.3000s", s, log)
				}
			}
		})
	}
}

// TestGuestStatePersists: what a command leaves on an instance is in the cloud's saved
// state, and in a state directory across opens.
func TestGuestStatePersists(t *testing.T) {
	c := sim.New()
	id := launchWithUserData(t, c, "al2023-ami-*-x86_64", "")
	on(t, c, id, "echo kept > note.txt; sudo dnf install -y -q nginx >/dev/null")
	var saved bytes.Buffer
	if err := c.Save(&saved); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&saved); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := on(t, d, id, "cat note.txt; rpm=$(command -v nginx); echo $rpm"); out != "kept\n/usr/bin/nginx\n" {
		t.Errorf("after Load: %q", out)
	}

	dir := t.TempDir()
	ctx := context.Background()
	o, err := sim.Open(ctx, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	id = launchWithUserData(t, o, "al2023-ami-*-x86_64", "#!/bin/bash\necho booted > /root/boot\n")
	on(t, o, id, "echo on disk > f")
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o, err = sim.Open(ctx, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, out, _ := on(t, o, id, "cat f; sudo cat /root/boot"); out != "on disk\nbooted\n" {
		t.Errorf("after reopening: %q", out)
	}
}

// TestGuestNothingOnTheHost: a command on an instance touches the simulated filesystem
// only, whatever paths it names.
func TestGuestNothingOnTheHost(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	c := sim.New()
	id := launchWithUserData(t, c, "al2023-ami-*-x86_64", "")
	host := t.TempDir()
	script := "mkdir -p ~/.aws; echo x > ~/.aws/credentials; sudo mkdir -p " + host + "; sudo touch " + host + "/made; cd /; echo y > /tmp/z; sudo rm -rf /etc; printf 'A\\nB\\nus-east-2\\n\\n' | aws configure"
	on(t, c, id, script)
	if entries, _ := readDir(host); len(entries) != 0 {
		t.Errorf("the host directory has %v", entries)
	}
	if code, out, _ := on(t, c, id, "ls "+host+"; cat ~/.aws/config"); code != 0 || out != "made\n[default]\nregion = us-east-2\n" {
		t.Errorf("on the instance: %d %q", code, out)
	}
}

func readDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}

// TestGuestRace: commands on one instance, and fetches of its page, from many goroutines.
func TestGuestRace(t *testing.T) {
	c := sim.New()
	id := launchWithUserData(t, c, "al2023-ami-*-x86_64", webUserData)
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 10 {
				var out bytes.Buffer
				script := "mkdir -p d; echo " + string(rune('a'+g)) + " >> d/log; cat d/log | grep -c . > /dev/null; ls /tmp"
				if i%3 == 0 {
					script = "echo '<p>" + string(rune('a'+g)) + "</p>' | sudo tee /var/www/html/index.html > /dev/null"
				}
				if code, err := c.Run(context.Background(), id, script, sim.RunOptions{Stdout: &out, Stderr: &out}); code != 0 || err != nil {
					t.Errorf("%q: %d %v %s", script, code, err, out.String())
				}
				if resp, err := c.FetchInstance(id, 80, "/"); err != nil || resp.StatusCode != 200 {
					t.Errorf("GET /: %v", err)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	if _, out, _ := on(t, c, id, "wc -l < d/log"); out != "48\n" { // six appends each: every third run writes the page
		t.Errorf("appends from 8 goroutines: %q lines", out)
	}
}

// BenchmarkGuestRun is one command line on an instance, through Cloud.Run.
func BenchmarkGuestRun(b *testing.B) {
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	images := must(client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{Filters: []types.Filter{filter("name", "al2023-ami-*-x86_64")}}))(b).Images
	out := must(client.RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: images[0].ImageId, InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(b)
	id := *out.Instances[0].InstanceId
	b.ReportAllocs()
	for b.Loop() {
		if code, err := c.Run(context.Background(), id, "echo hi > f; cat f | grep -c hi", sim.RunOptions{Stdout: io.Discard}); code != 0 || err != nil {
			b.Fatal(code, err)
		}
	}
}

// TestGuestSpotAndWindows: a Spot request's instance boots with its launch specification's
// user data and is gone with its interruption; a Windows instance has no simulated shell.
func TestGuestSpotAndWindows(t *testing.T) {
	ctx := context.Background()
	c := sim.New(sim.WithClock(func() time.Time { return spotStart }))
	client := ec2.NewFromConfig(c.Config())
	spec := course()
	spec.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho spot > /tmp/s\n")))
	q := must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: spec}))(t).SpotInstanceRequests[0]
	id := aws.ToString(spotRequest(t, client, *q.SpotInstanceRequestId).InstanceId)
	if code, out, errOut := on(t, c, id, "cat /tmp/s; grep PRETTY /etc/os-release"); code != 0 || out != "spot\nPRETTY_NAME=\"Amazon Linux AMI 2017.03\"\n" {
		t.Errorf("on the Spot Instance: %d %q %q", code, out, errOut)
	}
	if _, err := c.InterruptSpotInstance(id, func(o *sim.InterruptOptions) { o.Now = true }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, id, "true", sim.RunOptions{}); err == nil || c.Hosts().Listening(id, 22) {
		t.Errorf("Run on an interrupted Spot Instance: %v", err)
	}

	win := launchWithUserData(t, c, "Windows_Server-2022-English-Full-Base-*", "")
	if _, err := c.Run(ctx, win, "whoami", sim.RunOptions{}); err == nil || !strings.Contains(err.Error(), "Windows") {
		t.Errorf("Run on Windows: %v", err)
	}
}

// TestGuestNestedBoots: user data whose aws launches an instance with the same user data
// stops nesting after a few levels instead of launching without end.
func TestGuestNestedBoots(t *testing.T) {
	c := sim.New()
	client := ec2.NewFromConfig(c.Config())
	image := guestImage(t, client, "al2023-ami-*-x86_64")
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\naws ec2 run-instances\n"))
	c.SetInstanceCLI(func(ctx context.Context, call sim.AWSCall) int {
		_, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image), InstanceType: types.InstanceTypeT3Micro,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), UserData: aws.String(userData)})
		if err != nil {
			return 255
		}
		return 0
	})
	first := *run(t, client, ec2.RunInstancesInput{ImageId: aws.String(image), InstanceType: types.InstanceTypeT3Micro, UserData: aws.String(userData)})[0].InstanceId
	n := 0
	for _, r := range must(client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}))(t).Reservations {
		n += len(r.Instances)
	}
	if n != 5 {
		t.Errorf("%d instances launched by nesting user data, want 5", n)
	}
	if _, log, _ := on(t, c, first, "cat /var/log/cloud-init-output.log"); strings.Contains(log, "WARNING") {
		t.Errorf("the first boot:\n%s", log)
	}
}

// TestGuestSleepMovesTheClock: sleep in an instance's shell moves the simulator's clock, as
// Advance does (the wait is the clock's, not the machine's); what falls due meanwhile has happened (a NAT
// gateway pending for a minute is available); sleep in user data at boot does not move it.
func TestGuestSleepMovesTheClock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := sim.New(sim.WithClock(func() time.Time { return guestEpoch }))
	id := launchWithUserData(t, c, "al2023-ami-2023*-x86_64", "#!/bin/bash\nsleep 3600\necho booted\n")
	if got := c.Now(); !got.Equal(guestEpoch) {
		t.Errorf("user data's sleep moved the clock to %s", got)
	}
	client := ec2.NewFromConfig(c.Config())
	vpc, subnets := newVPC(t, client, "10.9.0.0/16", "10.9.0.0/24")
	attachGateway(t, client, vpc)
	nat := *must(client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]), AllocationId: allocate(t, client).AllocationId}))(t).NatGateway.NatGatewayId
	state := func() types.NatGatewayState {
		return must(client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{nat}}))(t).NatGateways[0].State
	}
	if s := state(); s != types.NatGatewayStatePending {
		t.Fatalf("a new NAT gateway is %s", s)
	}
	for _, tc := range []struct {
		script    string
		code      int
		stdout    string
		stderr    string
		clockMove time.Duration
	}{
		{"sleep 30; date -u +%H:%M:%S", 0, "09:30:30\n", "", 30 * time.Second},
		{"sleep 0.5m 30s", 0, "", "", time.Minute},
		{"sleep 1h", 0, "", "", time.Hour},
		{"sleep soon", 1, "", "sleep: invalid time interval ‘soon’\nTry 'sleep --help' for more information.\n", 0},
		{"sleep", 1, "", "sleep: missing operand\n", 0},
		{"sleep 999999d", 0, "", "", 7 * 24 * time.Hour}, // bounded
	} {
		before := c.Now()
		code, out, errOut := on(t, c, id, tc.script)
		if code != tc.code || out != tc.stdout || !strings.HasPrefix(errOut, tc.stderr) || c.Now().Sub(before) != tc.clockMove {
			t.Errorf("%s: %d %q %q, the clock moved %s; want %d %q %q and %s", tc.script, code, out, errOut, c.Now().Sub(before), tc.code, tc.stdout, tc.stderr, tc.clockMove)
		}
		if tc.script == "sleep 0.5m 30s" {
			if s := state(); s != types.NatGatewayStateAvailable {
				t.Errorf("after a minute's sleep the NAT gateway is %s", s)
			}
		}
	}
}
