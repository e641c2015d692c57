package sim_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/efs"

	"github.com/awsxlab/awsx/sim"
)

// efsMountLab makes a VPC with a subnet, a group for the instances and one for the mount
// targets that lets the instances' group in on TCP 2049, a group that lets nobody in, and two
// instances of Amazon Linux 2023 in the subnet.
func efsMountLab(t *testing.T, c *sim.Cloud) (subnet, nfsSG, closedSG string, instances []string) {
	t.Helper()
	ctx := context.Background()
	e := ec2.NewFromConfig(c.Config())
	vpc := *must(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.60.0.0/16")}))(t).Vpc.VpcId
	subnet = *must(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.60.1.0/24"), AvailabilityZone: aws.String("us-east-1a")}))(t).Subnet.SubnetId
	group := func(name string) string {
		return *must(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: &vpc}))(t).GroupId
	}
	webSG, nfsSG, closedSG := group("web"), group("nfs"), group("closed")
	must(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &nfsSG, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(2049), ToPort: aws.Int32(2049),
		UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: &webSG}},
	}}}))(t)
	image := guestImage(t, e, "al2023-ami-*-x86_64")
	for range 2 {
		in := run(t, e, ec2.RunInstancesInput{ImageId: &image, InstanceType: types.InstanceTypeT3Micro, SubnetId: &subnet, SecurityGroupIds: []string{webSG}})
		instances = append(instances, *in[0].InstanceId)
	}
	return subnet, nfsSG, closedSG, instances
}

// efsWithMountTarget makes a file system with a mount target in the subnet and group, both
// available, and returns the file system's ID and the mount target's address.
func efsWithMountTarget(t *testing.T, c *sim.Cloud, token, subnet, sg string) (fs, ip string) {
	t.Helper()
	ctx := context.Background()
	client := efs.NewFromConfig(c.Config())
	fs = *must(client.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: &token}))(t).FileSystemId
	c.Advance(time.Minute)
	mt := must(client.CreateMountTarget(ctx, &efs.CreateMountTargetInput{FileSystemId: &fs, SubnetId: &subnet, SecurityGroups: []string{sg}}))(t)
	c.Advance(2 * time.Minute)
	return fs, *mt.IpAddress
}

// TestEFSMountShared: amazon-efs-utils mounts a file system on one instance, mount.nfs4 by
// DNS name and by the mount target's address on another; what one writes the other reads;
// the mounts are listed, kept through Save and Load, and umount hides the content again.
func TestEFSMountShared(t *testing.T) {
	c := sim.New()
	subnet, nfsSG, _, ids := efsMountLab(t, c)
	fs, ip := efsWithMountTarget(t, c, "shared", subnet, nfsSG)
	a, b := ids[0], ids[1]

	if code, _, errOut := on(t, c, a, "sudo mkdir -p /mnt/efs && sudo mount -t efs "+fs+":/ /mnt/efs"); code != 32 || errOut != "mount: /mnt/efs: unknown filesystem type 'efs'.\n" {
		t.Errorf("mount -t efs without amazon-efs-utils: %d %q", code, errOut)
	}
	if code, _, errOut := on(t, c, a, "sudo yum install -y -q amazon-efs-utils >/dev/null && sudo mount -t efs "+fs+":/ /mnt/efs && echo hi | sudo tee /mnt/efs/x"); code != 0 {
		t.Fatalf("mount -t efs: %d %q", code, errOut)
	}
	dns := fs + ".efs.us-east-1.amazonaws.com"
	if code, out, errOut := on(t, c, b, "sudo yum install -y -q nfs-utils >/dev/null && sudo mkdir -p /mnt/efs && sudo mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport "+dns+":/ /mnt/efs && cat /mnt/efs/x"); code != 0 || out != "hi\n" {
		t.Fatalf("the other instance reads: %d %q %q", code, out, errOut)
	}
	if _, out, _ := on(t, c, b, "mount | grep efs; df -h | grep /mnt/efs"); !strings.Contains(out, dns+":/ on /mnt/efs type nfs4 (rw,") || !strings.Contains(out, "/mnt/efs\n") {
		t.Errorf("mount lists: %q", out)
	}
	on(t, c, b, "echo back | sudo tee /mnt/efs/y >/dev/null; sudo mkdir /mnt/efs/d")
	if _, out, _ := on(t, c, a, "cat /mnt/efs/y; ls /mnt/efs"); out != "back\nd\nx\ny\n" {
		t.Errorf("the first instance sees: %q", out)
	}

	// Saved and loaded, the content and the mounts stay.
	var saved bytes.Buffer
	if err := c.Save(&saved); err != nil {
		t.Fatal(err)
	}
	d := sim.New()
	if err := d.Load(&saved); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := on(t, d, a, "cat /mnt/efs/x /mnt/efs/y"); out != "hi\nback\n" {
		t.Errorf("after Load: %q", out)
	}

	// umount shows the directory as it was; a third mount by address sees the content.
	if code, out, errOut := on(t, c, b, "sudo umount /mnt/efs && ls -A /mnt/efs; mount | grep -c nfs4"); code != 1 || out != "0\n" {
		t.Errorf("after umount: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := on(t, c, b, "sudo mount -t nfs4 "+ip+":/ /mnt/efs && ls /mnt/efs && mount | grep nfs4"); code != 0 || !strings.HasPrefix(out, "d\nx\ny\n"+ip+":/ on /mnt/efs type nfs4") {
		t.Errorf("by address: %d %q %q", code, out, errOut)
	}
}

// TestEFSMountRefused: a mount target whose group lets nobody in on 2049 times out with the
// network's reason; an unknown file system does not resolve; only root mounts.
func TestEFSMountRefused(t *testing.T) {
	c := sim.New()
	subnet, _, closedSG, ids := efsMountLab(t, c)
	fs, _ := efsWithMountTarget(t, c, "closed", subnet, closedSG)
	on(t, c, ids[0], "sudo yum install -y -q amazon-efs-utils >/dev/null; sudo mkdir -p /mnt/efs")

	code, _, errOut := on(t, c, ids[0], "sudo mount -t efs "+fs+":/ /mnt/efs")
	if lines := strings.Split(errOut, "\n"); code != 32 || lines[0] != "mount.nfs4: Connection timed out" || !strings.HasPrefix(lines[1], "awsx: ") || !strings.Contains(lines[1], "tcp/2049") {
		t.Errorf("blocked on 2049: %d %q", code, errOut)
	}
	code, _, errOut = on(t, c, ids[0], "sudo mount -t efs fs-0123456789abcdef0:/ /mnt/efs")
	if code != 32 || !strings.HasPrefix(errOut, `Failed to resolve "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com"`) || !strings.Contains(errOut, "\nawsx: ") {
		t.Errorf("unknown file system: %d %q", code, errOut)
	}
	if code, _, errOut := on(t, c, ids[0], "mount -t efs "+fs+":/ /mnt/efs"); code != 1 || errOut != "mount: only root can do that\n" {
		t.Errorf("not root: %d %q", code, errOut)
	}
	if code, _, errOut := on(t, c, ids[0], "sudo mount -t efs "+fs+":/ /mnt/nowhere"); code != 32 || errOut != "mount.nfs4: mount point /mnt/nowhere does not exist\n" {
		t.Errorf("no mount point: %d %q", code, errOut)
	}
}
