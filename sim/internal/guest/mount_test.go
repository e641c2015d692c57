package guest

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// mountStore returns a store with two Amazon Linux 2023 instances whose mounts reach
// fs-0aaa (mount target 10.0.1.20), are refused by the network for fs-0bbb, and do not
// resolve for any other file system.
func mountStore(t *testing.T) (*Store, Instance, Instance) {
	t.Helper()
	s := NewStore(core.NewClock(func() time.Time { return t0 }), Env{
		Mount: func(_ context.Context, instance, region, target string, tls bool) (string, string, bool) {
			switch strings.TrimSuffix(target, ".efs."+region+".amazonaws.com") {
			case "fs-0aaa", "10.0.1.20":
				return "fs-0aaa", "", true
			case "fs-0bbb":
				return "", "Security group sg-1 of mount target fsmt-1 does not allow tcp/2049 from " + instance + ".", false
			}
			return "", "File system " + target + " does not exist in " + region + ".", false
		},
	})
	a := Instance{ID: "i-0a", Region: "us-east-1", ImageName: al2023Image, PrivateIP: "10.0.1.5"}
	b := Instance{ID: "i-0b", Region: "us-east-1", ImageName: al2023Image, PrivateIP: "10.0.1.6"}
	for _, in := range []Instance{a, b} {
		s.Handle(context.Background(), Event{Kind: Launched, Instance: in, Time: t0})
	}
	return s, a, b
}

func TestMountErrors(t *testing.T) {
	s, a, _ := mountStore(t)
	for _, tc := range []struct {
		name, script string
		code         int
		stderr       string
	}{
		{"no efs-utils", "sudo mkdir -p /mnt/efs; sudo mount -t efs fs-0aaa:/ /mnt/efs", 32, "mount: /mnt/efs: unknown filesystem type 'efs'.\n"},
		{"no nfs helper", "sudo mount -t nfs4 10.0.1.20:/ /mnt/efs", 32, "mount: /mnt/efs: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n"},
		{"not root", "sudo yum install -y -q amazon-efs-utils >/dev/null; mount -t efs fs-0aaa:/ /mnt/efs", 1, "mount: only root can do that\n"},
		{"no mount point", "sudo mount -t efs fs-0aaa:/ /mnt/nope", 32, "mount.nfs4: mount point /mnt/nope does not exist\n"},
		{"not a directory", "sudo touch /mnt/file; sudo mount -t efs fs-0aaa /mnt/file", 32, "mount.nfs4: mount point /mnt/file is not a directory\n"},
		{"blocked", "sudo mount -t efs fs-0bbb:/ /mnt/efs", 32, "mount.nfs4: Connection timed out\nawsx: Security group sg-1 of mount target fsmt-1 does not allow tcp/2049 from i-0a.\n"},
		{"unknown", "sudo mount -t efs fs-0ccc:/ /mnt/efs", 32, "Failed to resolve \"fs-0ccc.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.\nSee https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail.\nawsx: File system fs-0ccc does not exist in us-east-1.\n"},
		{"unknown nfs4", "sudo mount -t nfs4 fs-0ccc.efs.us-east-1.amazonaws.com:/ /mnt/efs", 32, "mount.nfs4: Failed to resolve server fs-0ccc.efs.us-east-1.amazonaws.com: Name or service not known\nawsx: File system fs-0ccc.efs.us-east-1.amazonaws.com does not exist in us-east-1.\n"},
		{"unknown type", "sudo mount -t xfs /dev/xvdf /mnt/efs", 32, "mount: /mnt/efs: unknown filesystem type 'xfs'.\n"},
		{"umount not mounted", "sudo umount /mnt/efs", 32, "umount: /mnt/efs: not mounted.\n"},
		{"umount not root", "umount /mnt/efs", 32, "umount: /mnt/efs: must be superuser to unmount.\n"},
	} {
		code, _, errOut := run(t, s, a, tc.script)
		if code != tc.code || errOut != tc.stderr {
			t.Errorf("%s: %d %q, want %d %q", tc.name, code, errOut, tc.code, tc.stderr)
		}
	}
	if _, out, _ := run(t, s, a, "mount | grep -c nfs4"); out != "0\n" {
		t.Errorf("after refusals, mounts: %q", out)
	}
}

func TestMountShared(t *testing.T) {
	s, a, b := mountStore(t)
	setup := "sudo yum install -y -q amazon-efs-utils >/dev/null && sudo mkdir -p /mnt/efs && "
	if code, _, errOut := run(t, s, a, setup+"echo local | sudo tee /mnt/efs/hidden >/dev/null && sudo mount -t efs -o tls fs-0aaa:/ /mnt/efs && echo hi | sudo tee /mnt/efs/x >/dev/null && ls /mnt/efs"); code != 0 || errOut != "" {
		t.Fatalf("mount on a: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, s, b, setup+"sudo mount -t nfs4 -o nfsvers=4.1 10.0.1.20:/ /mnt/efs && cat /mnt/efs/x && mount | grep nfs4"); code != 0 ||
		!strings.HasPrefix(out, "hi\n10.0.1.20:/ on /mnt/efs type nfs4 (rw,relatime,vers=4.1,") {
		t.Fatalf("mount on b: %d %q %q", code, out, errOut)
	}
	if _, out, _ := run(t, s, a, "mount | grep nfs4"); !strings.HasPrefix(out, "127.0.0.1:/ on /mnt/efs type nfs4 (") {
		t.Errorf("a's mount with tls: %q", out)
	}
	if code, _, errOut := run(t, s, a, "sudo mount -t efs fs-0aaa:/ /mnt/efs"); code != 32 || !strings.Contains(errOut, "already mounted") {
		t.Errorf("mounted twice: %d %q", code, errOut)
	}
	run(t, s, b, "sudo rm /mnt/efs/x; echo two | sudo tee /mnt/efs/y >/dev/null")
	if _, out, _ := run(t, s, a, "ls /mnt/efs; cat /mnt/efs/y"); out != "y\ntwo\n" {
		t.Errorf("a sees b's changes: %q", out)
	}

	// The store's state keeps the content and the mounts.
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := mountStore(t)
	if err := json.Unmarshal(data, s2); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := run(t, s2, b, "cat /mnt/efs/y"); out != "two\n" {
		t.Errorf("after reloading: %q", out)
	}

	// umount shows what the mount point held; a stop unmounts.
	if code, out, errOut := run(t, s, a, "sudo umount /mnt/efs && ls /mnt/efs"); code != 0 || out != "hidden\n" {
		t.Errorf("after umount: %d %q %q", code, out, errOut)
	}
	s.Handle(context.Background(), Event{Kind: Stopped, Instance: b, Time: t0})
	s.Handle(context.Background(), Event{Kind: Started, Instance: b, Time: t0})
	if _, out, _ := run(t, s, b, "ls /mnt/efs; df -h | grep -c efs"); out != "0\n" {
		t.Errorf("after a stop: %q", out)
	}
	var buf bytes.Buffer
	if code, _ := s.Run(context.Background(), a, "sudo mount -t efs fs-0aaa:/ /mnt/efs && cat /mnt/efs/y", RunOptions{Stdout: &buf}); code != 0 || buf.String() != "two\n" {
		t.Errorf("mounted again: %q", buf.String())
	}
}
