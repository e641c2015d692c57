package sim_test

import (
	"context"
	"errors"
	"io/fs"
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/sim"
)

func TestHostAddress(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"3.80.12.7":                                     "3.80.12.7",
		"ec2-3-80-12-7.compute-1.amazonaws.com":         "3.80.12.7",
		"EC2-3-80-12-7.us-west-2.compute.amazonaws.com": "3.80.12.7",
		"ip-10-0-1-5.ec2.internal":                      "10.0.1.5",
		"ip-10-0-1-5.eu-west-1.compute.internal":        "10.0.1.5",
		"ec2-3-80-12-7.compute-1.amazonaws.com.":        "3.80.12.7",
		"ec2-3-80-12-999.compute-1.amazonaws.com":       "",
		"example.com":                                   "",
		"ec2-3-80-12-7.example.com":                     "",
		"":                                              "",
	} {
		a, ok := sim.HostAddress(host)
		if got := ""; ok {
			got = a.String()
			if got != want {
				t.Errorf("HostAddress(%q) = %s, want %q", host, got, want)
			}
		} else if want != "" {
			t.Errorf("HostAddress(%q) found nothing, want %s", host, want)
		}
	}
}

// TestSSHHost: the instance at an address, with what an SSH client checks of it, and its
// files read and written as its user.
func TestSSHHost(t *testing.T) {
	t.Parallel()
	c := sim.New()
	ctx := context.Background()
	client := ec2.NewFromConfig(c.Config())
	key := must(client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("k")}))(t)
	in := ec2.RunInstancesInput{ImageId: aws.String(guestImage(t, client, "ubuntu/images/*noble-24.04-amd64*")),
		InstanceType: types.InstanceTypeT3Micro, KeyName: aws.String("k")}
	i := run(t, client, in)[0]
	id := *i.InstanceId
	v := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))(t).Reservations[0].Instances[0]

	h, ok := c.SSHHost(netip.MustParseAddr(*v.PublicIpAddress))
	if !ok || h.Instance != id || h.Private || h.State != "running" || h.User != "ubuntu" || h.Amazon || h.KeyName != "k" || h.Windows {
		t.Fatalf("SSHHost(public) = %+v, %v", h, ok)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(h.PublicKey))
	if err != nil {
		t.Fatalf("the public key %q: %v", h.PublicKey, err)
	}
	signer, err := ssh.ParsePrivateKey([]byte(*key.KeyMaterial))
	if err != nil || string(signer.PublicKey().Marshal()) != string(pub.Marshal()) {
		t.Errorf("the instance's public key is not the key pair's: %v", err)
	}
	if h, ok := c.SSHHost(netip.MustParseAddr(*v.PrivateIpAddress)); !ok || h.Instance != id || !h.Private {
		t.Errorf("SSHHost(private) = %+v, %v", h, ok)
	}
	if _, ok := c.SSHHost(netip.MustParseAddr("198.51.100.1")); ok {
		t.Error("SSHHost of an address no instance has found one")
	}
	if !c.Listening(id, 22) || c.Listening(id, 80) {
		t.Errorf("Listening(22), Listening(80) = %v, %v", c.Listening(id, 22), c.Listening(id, 80))
	}

	// Files, as ubuntu (relative to /home/ubuntu) and as root.
	if err := c.WriteInstanceFile(id, "", "notes.txt", []byte("hi\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := on(t, c, id, "cat /home/ubuntu/notes.txt; ls -l notes.txt"); code != 0 || out[:3] != "hi\n" || out[3:13] != "-rw-r--r--" {
		t.Errorf("the written file, seen on the instance: %d %q", code, out)
	}
	if b, err := c.ReadInstanceFile(id, "", "/home/ubuntu/notes.txt"); err != nil || string(b) != "hi\n" {
		t.Errorf("ReadInstanceFile: %q %v", b, err)
	}
	err = c.WriteInstanceFile(id, "", "/etc/motd", []byte("x"), 0o644)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("ubuntu writing /etc/motd: %v", err)
	}
	if err := c.WriteInstanceFile(id, "root", "/etc/motd", []byte("x"), 0o644); err != nil {
		t.Errorf("root writing /etc/motd: %v", err)
	}
	if _, err := c.ReadInstanceFile(id, "", "/root/secret"); !errors.Is(err, fs.ErrPermission) && !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("reading under /root: %v", err)
	}
	if _, err := c.StatInstanceFile(id, "", "nothing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of nothing: %v", err)
	}
	if err := c.MkdirInstance(id, "", "site"); err != nil {
		t.Fatal(err)
	}
	if err := c.MkdirInstance(id, "", "site"); err != nil {
		t.Errorf("Mkdir of an existing directory: %v", err)
	}
	c.WriteInstanceFile(id, "", "site/a", []byte("a"), 0o644)
	list, err := c.ReadInstanceDir(id, "", "site")
	if err != nil || len(list) != 1 || list[0].Name != "a" || list[0].Dir {
		t.Errorf("ReadInstanceDir: %+v %v", list, err)
	}
	if fi, err := c.StatInstanceFile(id, "", ""); err != nil || !fi.Dir || fi.Name != "ubuntu" {
		t.Errorf("Stat of the home directory: %+v %v", fi, err)
	}

	// A stopped instance keeps its private address; its files are out of reach.
	must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))(t)
	if h, ok := c.SSHHost(netip.MustParseAddr(*v.PrivateIpAddress)); !ok || h.State == "running" {
		t.Errorf("SSHHost of a stopped instance = %+v, %v", h, ok)
	}
	if _, err := c.ReadInstanceFile(id, "", "notes.txt"); err == nil {
		t.Error("ReadInstanceFile on a stopped instance succeeded")
	}
}
