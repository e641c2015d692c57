package vpcx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/ec2x"
)

// BastionOptions tunes [CreateBastion].
type BastionOptions struct {
	// From is the range SSH is let into the bastion from: by default your own address alone,
	// as [ec2x.MyIP] finds it (the console's "My IP"), tuned by MyIP.
	From string
	MyIP []func(*ec2x.MyIPOptions)
	// KeyName is the key pair to log in with ([ec2x.CreateKeyPair]); without one, nobody can
	// log in over SSH.
	KeyName string
	// InstanceType and ImageID are [ec2x.LaunchOptions]'s: a t2.micro of the newest Amazon
	// Linux 2023 by default.
	InstanceType types.InstanceType
	ImageID      string
	// MaxWait bounds the wait for the bastion to run; 5 minutes by default.
	MaxWait time.Duration
}

// A Bastion is the one host of a network that lets SSH in from outside, and the security
// groups of the pattern.
type Bastion struct {
	Host *ec2x.Instance
	// GroupID is the bastion's security group: SSH from [BastionOptions.From].
	GroupID string
	// PrivateGroupID is the group for the private instances: SSH from the bastion's group
	// alone (by group, so it holds whatever the bastion's address becomes). Launch them in
	// the VPC's private subnets with it.
	PrivateGroupID string
}

// CreateBastion sets up the bastion pattern in the network v: a bastion host in its first
// public subnet, in a security group (name-bastion) that lets SSH in from your address
// only, and a security group (name-private) for the instances of the private subnets that
// lets SSH in from the bastion's group only. You log in to the bastion, and from it to the
// private instances, which the internet cannot reach ([Bastion.SSHCommand]).
//
// It is safe to run again: the groups are reused and a bastion already running is kept. If
// a step fails, what this call made is taken down again (the instance terminated, the
// groups it made deleted); only if the instance cannot be terminated is the Bastion
// returned with the error, its host still to terminate. On AWS the bastion costs what its instance costs while it runs
// (a t2.micro is in the free tier for a year); [Delete] takes it down with the VPC.
func CreateBastion(ctx context.Context, cfg aws.Config, v *VPC, name string, optFns ...func(*BastionOptions)) (*Bastion, error) {
	o := BastionOptions{InstanceType: types.InstanceTypeT2Micro, MaxWait: 5 * time.Minute}
	for _, f := range optFns {
		f(&o)
	}
	b, err := createBastion(ctx, cfg, ec2.NewFromConfig(cfg), v, name, o)
	if err != nil {
		return b, fmt.Errorf("vpcx: bastion %q: %w", name, err)
	}
	return b, nil
}

func createBastion(ctx context.Context, cfg aws.Config, client *ec2.Client, v *VPC, name string, o BastionOptions) (b *Bastion, err error) {
	if v == nil || len(v.Public) == 0 {
		return nil, errors.New("the network has no public subnet to put a bastion in")
	}
	if o.From == "" {
		ip, err := ec2x.MyIP(ctx, cfg, o.MyIP...)
		if err != nil {
			return nil, fmt.Errorf("your address, to let SSH in from (or set From): %w", err)
		}
		o.From = ec2x.HostCIDR(ip)
	}
	hostName, publicName, privateName := name+"-bastion", name+"-bastion", name+"-private"
	had, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{v.ID}}, {Name: aws.String("group-name"), Values: []string{publicName, privateName}},
	}})
	if err != nil {
		return nil, err
	}
	existed := map[string]bool{}
	for _, g := range had.SecurityGroups {
		existed[aws.ToString(g.GroupId)] = true
	}
	b = &Bastion{}
	defer func() {
		if err == nil || b.Host != nil {
			return // done, or an instance is left that holds the groups: returned with the error
		}
		// Undo: the groups this call made, the private one first (it names the other).
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		for _, g := range []string{b.PrivateGroupID, b.GroupID} {
			if g == "" || existed[g] {
				continue
			}
			if _, derr := client.DeleteSecurityGroup(uctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(g)}); derr != nil {
				err = errors.Join(err, fmt.Errorf("deleting %s, which this call made: %w", g, derr))
			}
		}
		b = nil
	}()
	if b.GroupID, err = ec2x.SecurityGroup(ctx, cfg, v.ID, publicName, "bastion: SSH from "+o.From, ec2x.SSHFrom(o.From)); err != nil {
		return b, err
	}
	if b.PrivateGroupID, err = ec2x.SecurityGroup(ctx, cfg, v.ID, privateName, "private instances: SSH from the bastion",
		ec2x.Rule{Port: 22, Group: b.GroupID}); err != nil {
		return b, err
	}
	// A bastion already running in the VPC is kept.
	running, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{v.ID}}, {Name: aws.String("tag:Name"), Values: []string{hostName}},
		{Name: aws.String("instance-state-name"), Values: []string{"running"}},
	}})
	if err != nil {
		return b, err
	}
	for _, r := range running.Reservations {
		for _, i := range r.Instances {
			b.Host, err = ec2x.DescribeInstance(ctx, cfg, aws.ToString(i.InstanceId))
			if err != nil {
				return b, err
			}
			return b, nil
		}
	}
	// Launch terminates what it started if it fails, so only the groups are left to undo.
	b.Host, err = ec2x.Launch(ctx, cfg, hostName, func(l *ec2x.LaunchOptions) {
		l.SubnetID, l.SecurityGroupIDs, l.KeyName, l.InstanceType, l.ImageID, l.MaxWait = v.Public[0].ID, []string{b.GroupID}, o.KeyName, o.InstanceType, o.ImageID, o.MaxWait
	})
	if err != nil {
		if b.Host != nil {
			// Its termination failed: the groups cannot go while it holds them.
			return b, fmt.Errorf("%w (the security groups %s and %s are kept for it)", err, b.GroupID, b.PrivateGroupID)
		}
		return b, err // the deferred undo deletes the groups and answers nil
	}
	return b, nil
}

// SSHCommand is the command that logs in to target, a private instance, through the
// bastion, with the private key at keyPath for both hops: ssh's ProxyCommand opens the way
// through the bastion, so the key never leaves your machine (unlike copying it to the
// bastion, or agent forwarding). With a nil target it logs in to the bastion itself. It is
// "" when an image's default user is unknown.
func (b *Bastion) SSHCommand(keyPath string, target *ec2x.Instance) string {
	if target == nil {
		return b.Host.SSHCommand(keyPath)
	}
	if b.Host.User == "" || target.User == "" || b.Host.PublicIP == "" {
		return ""
	}
	return fmt.Sprintf(`ssh -i %s -o ProxyCommand="ssh -i %s -W %%h:%%p %s@%s" %s@%s`,
		keyPath, keyPath, b.Host.User, b.Host.PublicIP, target.User, target.PrivateIP)
}
