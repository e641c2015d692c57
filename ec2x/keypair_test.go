package ec2x_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/crypto/ssh"

	"github.com/awsxlab/awsx/ec2x"
	"github.com/awsxlab/awsx/sim"
)

func TestCreateKeyPairED25519(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := sim.New().Config()
	path := filepath.Join(t.TempDir(), "lab.pem")
	if err := ec2x.CreateKeyPair(ctx, cfg, "lab", path, func(o *ec2x.KeyPairOptions) { o.Type = types.KeyTypeEd25519 }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o400 {
		t.Fatalf("the key file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(path)
	key, err := ssh.ParseRawPrivateKey(b)
	if err != nil {
		t.Fatalf("the key file holds no private key: %v", err)
	}
	if _, ok := key.(*ed25519.PrivateKey); !ok {
		t.Errorf("a %T, want ED25519", key)
	}
	kp := must(ec2.NewFromConfig(cfg).DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"lab"}}))(t).KeyPairs[0]
	if kp.KeyType != types.KeyTypeEd25519 {
		t.Errorf("key type %q", kp.KeyType)
	}
	// A file that cannot be written: the key pair made for it is deleted again.
	err = ec2x.CreateKeyPair(ctx, cfg, "nowhere", filepath.Join(t.TempDir(), "no", "such", "dir.pem"))
	if err == nil || !strings.Contains(err.Error(), "the key pair was deleted") {
		t.Errorf("into a missing directory: %v", err)
	}
	if _, err := ec2.NewFromConfig(cfg).DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"nowhere"}}); err == nil {
		t.Error("the key pair nowhere was left")
	}
}

func TestImportKeyPair(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := sim.New().Config()
	client := ec2.NewFromConfig(cfg)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pubPath := filepath.Join(dir, "id_ed25519.pub")
	if err := os.WriteFile(pubPath, ssh.MarshalAuthorizedKey(sshPub), 0o644); err != nil {
		t.Fatal(err)
	}
	id, err := ec2x.ImportKeyPair(ctx, cfg, "mine", pubPath)
	if err != nil {
		t.Fatal(err)
	}
	kp := must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"mine"}}))(t).KeyPairs[0]
	if aws.ToString(kp.KeyPairId) != id || kp.KeyType != types.KeyTypeEd25519 || aws.ToString(kp.Tags[0].Value) != "mine" {
		t.Errorf("the key pair: %+v", kp)
	}
	// A private key is refused before anything is sent.
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	privPath := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(privPath, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, want string }{
		{"private key", privPath, "holds a private key"},
		{"no file", filepath.Join(dir, "missing.pub"), "no such file"},
		{"again", pubPath, "InvalidKeyPair.Duplicate"},
	} {
		name := "other"
		if tc.name == "again" {
			name = "mine"
		}
		if _, err := ec2x.ImportKeyPair(ctx, cfg, name, tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	garbage := filepath.Join(dir, "garbage.pub")
	os.WriteFile(garbage, []byte("ssh-ed25519 not-base64!"), 0o644)
	if _, err := ec2x.ImportKeyPair(ctx, cfg, "other", garbage); err == nil || !strings.Contains(err.Error(), "InvalidKey.Format") {
		t.Errorf("a garbled key: %v", err)
	}
	if n := len(must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{Filters: byName("other")}))(t).KeyPairs); n != 0 {
		t.Errorf("%d key pairs other made", n)
	}
	if err := ec2x.Teardown(ctx, cfg, "mine", time.Minute, fastTeardown); err != nil {
		t.Fatal(err)
	}
	if n := len(must(client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}))(t).KeyPairs); n != 0 {
		t.Errorf("%d key pairs after the teardown", n)
	}
}

func TestMyIP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloud := sim.New()
	cfg := cloud.Config()
	ip, err := ec2x.MyIP(ctx, cfg)
	if err != nil || ip != cloud.InternetAddress() {
		t.Fatalf("MyIP = %v, %v; want the simulator's %v", ip, err, cloud.InternetAddress())
	}
	cloud.SetInternetAddress(netip.MustParseAddr("198.51.100.7"))
	ip = must(ec2x.MyIP(ctx, cfg))(t)
	// The "My IP" rule: SSH from this address alone, which the simulated network lets through
	// and no other address.
	sg := must(ec2x.SecurityGroup(ctx, cfg, "", "me", "SSH from me", ec2x.SSHFrom(ec2x.HostCIDR(ip))))(t)
	g := must(ec2.NewFromConfig(cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{sg}}))(t).SecurityGroups[0]
	if got := aws.ToString(g.IpPermissions[0].IpRanges[0].CidrIp); got != "198.51.100.7/32" {
		t.Errorf("the rule's range %s", got)
	}
	web := must(ec2x.Launch(ctx, cfg, "me", func(o *ec2x.LaunchOptions) { o.SecurityGroupIDs = []string{sg} }))(t)
	if v := cloud.Reach(sim.Endpoint{Internet: true}, sim.Endpoint{Instance: web.ID}, "tcp", 22); !v.OK {
		t.Errorf("SSH from my IP: %v", v)
	}
	cloud.SetInternetAddress(netip.MustParseAddr("192.0.2.1"))
	if v := cloud.Reach(sim.Endpoint{Internet: true}, sim.Endpoint{Instance: web.ID}, "tcp", 22); v.OK {
		t.Error("SSH from another address got through")
	}

	// The override: another service, and its failures.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v6":
			w.Write([]byte("2001:db8::7\n"))
		case "/garbage":
			w.Write([]byte("<html>hello</html>"))
		case "/down":
			http.Error(w, "down", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	at := func(path string) func(*ec2x.MyIPOptions) {
		return func(o *ec2x.MyIPOptions) { o.URL, o.HTTPClient = srv.URL+path, srv.Client() }
	}
	if ip, err := ec2x.MyIP(ctx, cfg, at("/v6")); err != nil || ec2x.HostCIDR(ip) != "2001:db8::7/128" {
		t.Errorf("IPv6: %v %v", ip, err)
	}
	for path, want := range map[string]string{"/garbage": "is no address", "/down": "503"} {
		if _, err := ec2x.MyIP(ctx, cfg, at(path)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
	// An IPv6 address's rule is an IPv6 range.
	sg6 := must(ec2x.SecurityGroup(ctx, cfg, "", "me6", "SSH from my IPv6", ec2x.SSHFrom("2001:db8::7/128")))(t)
	g = must(ec2.NewFromConfig(cfg).DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{sg6}}))(t).SecurityGroups[0]
	if len(g.IpPermissions) != 1 || len(g.IpPermissions[0].Ipv6Ranges) != 1 || aws.ToString(g.IpPermissions[0].Ipv6Ranges[0].CidrIpv6) != "2001:db8::7/128" {
		t.Errorf("an IPv6 rule: %+v", g.IpPermissions)
	}
}
