// Package ec2x has the EC2 chores of the course as single calls over aws-sdk-go-v2: find the
// newest image of a family ([LatestImage], [ParameterImage]), make a key pair and keep its
// private half as a .pem file ([CreateKeyPair]), make a security group with its rules
// ([SecurityGroup], [SSHFrom], [HTTPFrom]), launch an instance and wait until it runs
// ([Launch]) and print the ssh line for it ([Instance.SSHCommand]), give it an Elastic IP
// ([AttachElasticIP]) and a data volume ([AttachVolume]), make an image of it and wait until
// it is available ([CreateImage]), and take everything a name was given down again
// ([Teardown], [Terminate]; an image and its snapshots with [DeleteImage]).
//
// Each function takes an aws.Config, so it runs the same against the simulator (package sim)
// and against AWS. None leaves half its work behind: a call that fails undoes what it made,
// or returns what it could not undo with the error. What they make is tagged Name=name, which
// is how [Teardown] finds it.
//
// # Costs on AWS
//
// Instances cost by the second while they run (t2.micro and t3.micro are in the free tier's
// 750 hours a month for a year); an Elastic IP costs for every hour it is allocated, attached
// or not; an EBS volume costs by the GiB-month while it exists, and an image's snapshots
// while they exist, after the image is deregistered too. Security groups and key pairs
// are free.
//
// # Concurrency
//
// The functions are safe to call from several goroutines; EC2 itself is the shared state.
package ec2x

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// The image [Launch] uses when none is named: the newest Amazon Linux 2023 for x86_64.
const (
	AmazonLinuxOwner = "amazon"
	AmazonLinuxName  = "al2023-ami-2023.*-x86_64"
)

// LatestImage returns the ID of the newest available image owned by owner ("amazon", "self",
// or an account ID such as Canonical's 099720109477) whose name matches pattern (with * and ?
// wildcards, as EC2's name filter takes them).
func LatestImage(ctx context.Context, cfg aws.Config, owner, pattern string) (string, error) {
	id, err := latestImage(ctx, ec2.NewFromConfig(cfg), owner, pattern)
	if err != nil {
		return "", fmt.Errorf("ec2x: latest image %q of %s: %w", pattern, owner, err)
	}
	return id, nil
}

func latestImage(ctx context.Context, client *ec2.Client, owner, pattern string) (string, error) {
	out, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{
		Owners: []string{owner},
		Filters: []types.Filter{
			{Name: aws.String("name"), Values: []string{pattern}},
			{Name: aws.String("state"), Values: []string{"available"}},
		},
	})
	if err != nil {
		return "", err
	}
	var newest *types.Image
	for i, im := range out.Images {
		// CreationDate is RFC 3339 in UTC with milliseconds: its text sorts as its time.
		if newest == nil || aws.ToString(im.CreationDate) > aws.ToString(newest.CreationDate) {
			newest = &out.Images[i]
		}
	}
	if newest == nil {
		return "", errors.New("no image matches")
	}
	return aws.ToString(newest.ImageId), nil
}

// CreateKeyPair makes the key pair name, tagged Name=name, and writes its private key to
// path, readable only by its owner (mode 0400), as ssh requires. An existing file is not overwritten: the key pair
// is then not made.
func CreateKeyPair(ctx context.Context, cfg aws.Config, name, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("ec2x: key pair %q: %s exists", name, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("ec2x: key pair %q: %w", name, err)
	}
	client := ec2.NewFromConfig(cfg)
	out, err := client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: &name, TagSpecifications: nameTag(types.ResourceTypeKeyPair, name)})
	if err != nil {
		return fmt.Errorf("ec2x: key pair %q: %w", name, err)
	}
	if err := os.WriteFile(path, []byte(aws.ToString(out.KeyMaterial)+"\n"), 0o400); err != nil {
		// Without its private half the key pair is no use: take it back.
		_, derr := client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: &name})
		return fmt.Errorf("ec2x: key pair %q: %w", name, errors.Join(err, derr))
	}
	return nil
}

// OpenPort lets TCP traffic to port in the security group groupID from the range cidr
// ("203.0.113.7/32"). A rule that is already there is no error.
func OpenPort(ctx context.Context, cfg aws.Config, groupID string, port int32, cidr string) error {
	_, err := ec2.NewFromConfig(cfg).AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: &groupID,
		IpPermissions: []types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: &port, ToPort: &port, IpRanges: []types.IpRange{{CidrIp: &cidr}},
		}},
	})
	if code(err) == "InvalidPermission.Duplicate" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ec2x: open port %d of %s to %s: %w", port, groupID, cidr, err)
	}
	return nil
}

// LaunchOptions tunes [Launch].
type LaunchOptions struct {
	// ImageID is the image to start from; by default the newest Amazon Linux 2023 for x86_64.
	ImageID string
	// InstanceType is t2.micro (free-tier eligible) by default.
	InstanceType types.InstanceType
	// KeyName is the key pair to log in with; none by default.
	KeyName string
	// SecurityGroupIDs are the instance's groups; by default its VPC's default group.
	SecurityGroupIDs []string
	// SubnetID is where it runs; by default a default subnet of the default VPC.
	SubnetID string
	// InstanceProfile names the IAM instance profile whose role the instance acts as.
	InstanceProfile string
	// UserData is the script (or cloud-init text) the instance runs at boot, as text:
	// Launch encodes it.
	UserData string
	// MaxWait bounds the wait for the instance to run; 5 minutes by default.
	MaxWait time.Duration
}

// Instance is an instance [Launch] started, as it is once running.
type Instance struct {
	ID, ImageID, Type string
	Zone              string
	VPCID, SubnetID   string
	PrivateIP         string
	PublicIP          string // "" without one
	PublicDNS         string
	User              string // the image's default user ([DefaultUser]); "" when unknown
}

// Launch starts one instance tagged Name=name and waits until it runs. [Teardown] finds it
// by that name.
//
// Launch never leaves a billed instance behind it cannot report: if the wait fails (the
// instance stops or terminates while starting, MaxWait passes, ctx is cancelled, a call
// is refused), Launch terminates the instance it started and returns a nil Instance and the
// error, which names the instance and says it was terminated. Only if that termination
// fails too does it return the Instance (its ID, and what it knows of it) with the error:
// the instance may still run, and the caller holds its ID to terminate it. RunInstances is
// sent with a client token, so that a retry never starts a second instance, and so that a
// RunInstances left without an answer (ctx cancelled in flight) is asked again and what it
// started terminated.
func Launch(ctx context.Context, cfg aws.Config, name string, optFns ...func(*LaunchOptions)) (*Instance, error) {
	o := LaunchOptions{InstanceType: types.InstanceTypeT2Micro, MaxWait: 5 * time.Minute}
	for _, f := range optFns {
		f(&o)
	}
	i, err := launch(ctx, ec2.NewFromConfig(cfg), name, o)
	if err != nil {
		return i, fmt.Errorf("ec2x: launch %q: %w", name, err)
	}
	return i, nil
}

func launch(ctx context.Context, client *ec2.Client, name string, o LaunchOptions) (*Instance, error) {
	if o.ImageID == "" {
		id, err := latestImage(ctx, client, AmazonLinuxOwner, AmazonLinuxName)
		if err != nil {
			return nil, fmt.Errorf("finding Amazon Linux 2023: %w", err)
		}
		o.ImageID = id
	}
	in := &ec2.RunInstancesInput{
		ImageId: &o.ImageID, InstanceType: o.InstanceType, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SecurityGroupIds: o.SecurityGroupIDs,
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{{Key: aws.String("Name"), Value: &name}},
		}},
	}
	if o.KeyName != "" {
		in.KeyName = &o.KeyName
	}
	if o.SubnetID != "" {
		in.SubnetId = &o.SubnetID
	}
	if o.InstanceProfile != "" {
		in.IamInstanceProfile = &types.IamInstanceProfileSpecification{Name: &o.InstanceProfile}
	}
	if o.UserData != "" {
		in.UserData = aws.String(base64.StdEncoding.EncodeToString([]byte(o.UserData)))
	}
	in.ClientToken = aws.String(clientToken())
	out, err := client.RunInstances(ctx, in)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return nil, err // EC2 answered: nothing was started
		}
		// No answer (a cancelled context, a lost connection): the instance may have started.
		// The same request with the same client token answers the same reservation
		// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html), whose
		// instances are terminated; if it had not started, this starts it, to be terminated.
		tctx, cancel := undoContext(ctx)
		defer cancel()
		again, rerr := client.RunInstances(tctx, in)
		if rerr != nil {
			return nil, fmt.Errorf("%w; whether an instance started is unknown: asking again failed: %w", err, rerr)
		}
		var ids []string
		for _, i := range again.Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
		if _, terr := client.TerminateInstances(tctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); terr != nil {
			return instance(again.Instances[0]), fmt.Errorf("%w; terminating %s failed, so it may still run: %w", err, ids[0], terr)
		}
		return nil, fmt.Errorf("%w (%s was terminated)", err, ids[0])
	}
	started := out.Instances[0]
	id := aws.ToString(started.InstanceId)
	running, err := ec2.NewInstanceRunningWaiter(client).WaitForOutput(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, o.MaxWait)
	if err != nil {
		// Undo on a context of its own: the caller's may be what ended the wait.
		tctx, cancel := undoContext(ctx)
		defer cancel()
		if _, terr := client.TerminateInstances(tctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}); terr != nil {
			return instance(started), fmt.Errorf("waiting for %s to run: %w; terminating it failed, so it may still run: %w", id, err, terr)
		}
		return nil, fmt.Errorf("waiting for %s to run: %w (it was terminated)", id, err)
	}
	i := instance(running.Reservations[0].Instances[0])
	if im, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{o.ImageID}}); err == nil && len(im.Images) > 0 {
		i.User = DefaultUser(aws.ToString(im.Images[0].Name))
	}
	return i, nil
}

// clientToken is a RunInstances idempotency token: 32 random hex digits (AWS takes up to
// 64 ASCII characters).
func clientToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func instance(i types.Instance) *Instance {
	out := &Instance{
		ID: aws.ToString(i.InstanceId), ImageID: aws.ToString(i.ImageId), Type: string(i.InstanceType),
		VPCID: aws.ToString(i.VpcId), SubnetID: aws.ToString(i.SubnetId),
		PrivateIP: aws.ToString(i.PrivateIpAddress), PublicIP: aws.ToString(i.PublicIpAddress), PublicDNS: aws.ToString(i.PublicDnsName),
	}
	if i.Placement != nil {
		out.Zone = aws.ToString(i.Placement.AvailabilityZone)
	}
	return out
}

// Terminate terminates the instances and waits, at most maxWait, until they are gone.
func Terminate(ctx context.Context, cfg aws.Config, maxWait time.Duration, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	client := ec2.NewFromConfig(cfg)
	if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
		return fmt.Errorf("ec2x: terminate %v: %w", ids, err)
	}
	if err := ec2.NewInstanceTerminatedWaiter(client).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, maxWait); err != nil {
		return fmt.Errorf("ec2x: waiting for %v to terminate: %w", ids, err)
	}
	return nil
}
