// Package ec2x has the EC2 chores of the course as single calls over aws-sdk-go-v2.
//
// # Instances
//
// Find the newest image of a family ([ParameterImage], [LatestImage]), launch an instance
// and wait until it runs ([Launch], with [LaunchOptions.UserData] for its boot script),
// print the ssh line for it ([Instance.SSHCommand]), and terminate it ([Terminate]). A
// [Launch] that fails undoes itself: no billed instance is left that the caller cannot see.
//
// # Spot Instances
//
// [SpotPrices] answers what an instance type costs on the Spot market now in each
// Availability Zone, cheapest first; [Launch] with [LaunchOptions.Spot] (and
// [LaunchOptions.Zone]) starts a one-time Spot Instance there. A failed Spot launch cancels
// its Spot request before it terminates the instance, so neither is left.
//
// # Access: key pairs and security groups
//
// Make a key pair and keep its private half as a file only you can read ([CreateKeyPair],
// RSA or ED25519), or bring your own public key ([ImportKeyPair]). Make a security group
// with its rules ([SecurityGroup], [SSHFrom], [HTTPFrom], [Rule]); [MyIP] finds the address
// you reach the internet from, for the "My IP" rule ([HostCIDR]).
//
// # Addresses and storage
//
// Give an instance an Elastic IP ([AttachElasticIP], [ReleaseElasticIP]) and a data volume
// ([AttachVolume]).
//
// # Images
//
// Make an image (AMI) of an instance and wait until it is available ([CreateImage]): its
// volumes become snapshots, and an instance launched from the image starts with what the
// first one had. [DeleteImage] deregisters an image and deletes its snapshots.
//
// # Teardown
//
// What the helpers make is tagged Name=name; [Teardown] finds it all by that tag — Spot
// requests, instances, images and their snapshots, Elastic IPs, volumes, security groups, key
// pairs — and deletes it in the order the dependencies allow. Every helper is safe to run again.
//
// Each function takes an aws.Config, so it runs the same against the simulator (package sim,
// whose configs the examples use) and against AWS. None leaves half its work behind: a call
// that fails undoes what it made, or returns what it could not undo with the error. Errors
// wrap the SDK's, so errors.As finds smithy.APIError and its ErrorCode.
//
// # Costs on AWS
//
// Instances cost by the second while they run (t2.micro and t3.micro are in the free tier's
// 750 hours a month for a year); Spot Instances cost the Spot price, often a third or less
// of On-Demand, and may be interrupted; an Elastic IP costs for every hour it is allocated,
// attached or not; an EBS volume costs by the GiB-month while it exists, and an image's
// snapshots while they exist, after the image is deregistered too. Security groups, key
// pairs and price look-ups are free.
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
	"strings"
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
	// Zone is the Availability Zone to run in ("us-east-1b"), in the default VPC: the zone
	// whose Spot price is lowest, say ([SpotPrices]). Leave it "" with SubnetID, whose zone
	// it is.
	Zone string
	// Spot, when set, launches a Spot Instance rather than an On-Demand one (see [SpotOptions]).
	Spot *SpotOptions
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
	// SpotRequestID is the Spot Instance request of a Spot Instance ("sir-…"), "" for an
	// On-Demand one.
	SpotRequestID string
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
// started terminated. A Spot launch is undone the same way, its Spot request cancelled
// before its instance is terminated, so that neither is left behind.
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
		SecurityGroupIds: o.SecurityGroupIDs, TagSpecifications: nameTag(types.ResourceTypeInstance, name),
	}
	if o.Zone != "" {
		in.Placement = &types.Placement{AvailabilityZone: &o.Zone}
	}
	if o.Spot != nil {
		in.InstanceMarketOptions = o.Spot.marketOptions()
		in.TagSpecifications = append(in.TagSpecifications, nameTag(types.ResourceTypeSpotInstancesRequest, name)...)
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
		if uerr := undoLaunch(tctx, client, again.Instances); uerr != nil {
			return instance(again.Instances[0]), fmt.Errorf("%w; %w", err, uerr)
		}
		return nil, fmt.Errorf("%w (%s was terminated)", err, aws.ToString(again.Instances[0].InstanceId))
	}
	started := out.Instances[0]
	id := aws.ToString(started.InstanceId)
	running, err := ec2.NewInstanceRunningWaiter(client).WaitForOutput(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, o.MaxWait)
	if err != nil {
		// Undo on a context of its own: the caller's may be what ended the wait.
		tctx, cancel := undoContext(ctx)
		defer cancel()
		if uerr := undoLaunch(tctx, client, out.Instances); uerr != nil {
			return instance(started), fmt.Errorf("waiting for %s to run: %w; %w", id, err, uerr)
		}
		return nil, fmt.Errorf("waiting for %s to run: %w (it was terminated)", id, err)
	}
	i := instance(running.Reservations[0].Instances[0])
	i.User = imageUser(ctx, client, o.ImageID)
	return i, nil
}

// imageUser is the default user of the image id, "" when it cannot be told.
func imageUser(ctx context.Context, client *ec2.Client, id string) string {
	if im, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}}); err == nil && len(im.Images) > 0 {
		return DefaultUser(aws.ToString(im.Images[0].Name))
	}
	return ""
}

// DescribeInstance returns the instance id as [Launch] reports one: its addresses, zone,
// subnet, and its image's default user.
func DescribeInstance(ctx context.Context, cfg aws.Config, id string) (*Instance, error) {
	client := ec2.NewFromConfig(cfg)
	out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		return nil, fmt.Errorf("ec2x: describe %s: %w", id, err)
	}
	if len(out.Reservations) == 0 || len(out.Reservations[0].Instances) == 0 {
		return nil, fmt.Errorf("ec2x: describe %s: no such instance", id)
	}
	i := instance(out.Reservations[0].Instances[0])
	i.User = imageUser(ctx, client, i.ImageID)
	return i, nil
}

// undoLaunch takes back what a RunInstances started: the Spot requests first (a request
// still open would launch again; AWS's Spot guide: "cancel the Spot Instance request, and
// then terminate the instance"), then the instances.
func undoLaunch(ctx context.Context, client *ec2.Client, started []types.Instance) error {
	var ids, requests []string
	for _, i := range started {
		ids = append(ids, aws.ToString(i.InstanceId))
		if r := aws.ToString(i.SpotInstanceRequestId); r != "" {
			requests = append(requests, r)
		}
	}
	var errs []error
	if len(requests) > 0 {
		if _, err := client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: requests}); err != nil {
			errs = append(errs, fmt.Errorf("cancelling the Spot request %s failed, so it may launch again: %w", strings.Join(requests, " "), err))
		}
	}
	if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
		errs = append(errs, fmt.Errorf("terminating %s failed, so it may still run: %w", strings.Join(ids, " "), err))
	}
	return errors.Join(errs...)
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
		SpotRequestID: aws.ToString(i.SpotInstanceRequestId),
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
