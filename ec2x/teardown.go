package ec2x

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DefaultUser is the user an image's Linux lets in over SSH, by the image's name as AWS and
// the distributions publish them: ec2-user (Amazon Linux, Red Hat, SUSE), ubuntu, admin
// (Debian), centos, fedora. It is "" for a name it does not know, and for Windows, which is
// reached over RDP.
func DefaultUser(imageName string) string {
	n := strings.ToLower(imageName)
	switch {
	case strings.HasPrefix(n, "windows"):
		return ""
	case strings.HasPrefix(n, "al2023-"), strings.HasPrefix(n, "amzn"), strings.HasPrefix(n, "rhel-"), strings.HasPrefix(n, "suse-"):
		return "ec2-user"
	case strings.HasPrefix(n, "ubuntu"):
		return "ubuntu"
	case strings.HasPrefix(n, "debian-"):
		return "admin"
	case strings.HasPrefix(n, "centos"):
		return "centos"
	case strings.HasPrefix(n, "fedora"):
		return "fedora"
	}
	return ""
}

// SSHCommand is the command that logs in to the instance with the private key at keyPath,
// as its image's default user, at its public address (its private one when it has none: from
// a bastion or over a VPN): "ssh -i lab.pem ec2-user@203.0.113.25". It is "" when the
// image's user is unknown ([DefaultUser]).
func (i *Instance) SSHCommand(keyPath string) string {
	host := i.PublicIP
	if host == "" {
		host = i.PrivateIP
	}
	if i.User == "" || host == "" {
		return ""
	}
	return "ssh -i " + keyPath + " " + i.User + "@" + host
}

// TeardownOptions tunes [Teardown].
type TeardownOptions struct {
	// Poll is how long its waits (the instances terminated, the volumes detached) sleep
	// before they first ask again, then up to 2.5 times as long: 2 seconds by default, where
	// the SDK's waiters sleep 15 seconds at least. Against the simulator in a test, a few
	// milliseconds.
	Poll time.Duration
}

// Teardown deletes what the helpers made under name — the Spot requests, the instances
// (waiting, at most maxWait, until they are terminated), the account's images and their
// snapshots, the Elastic IPs, the volumes, the security groups and the key pairs tagged
// Name=name — in the order their dependencies allow. It is safe to run again; what is gone
// already is no error. It returns every failure it met, joined.
func Teardown(ctx context.Context, cfg aws.Config, name string, maxWait time.Duration, optFns ...func(*TeardownOptions)) error {
	o := TeardownOptions{Poll: 2 * time.Second}
	for _, f := range optFns {
		f(&o)
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	client := ec2.NewFromConfig(cfg)
	byName := []types.Filter{{Name: aws.String("tag:Name"), Values: []string{name}}}
	var errs []error
	fail := func(what string, err error) { errs = append(errs, fmt.Errorf("%s: %w", what, err)) }

	// Spot requests first: an open one would start its instance again.
	if out, err := client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{Filters: append(byName,
		types.Filter{Name: aws.String("state"), Values: []string{"open", "active", "disabled"}})}); err != nil {
		fail("Spot requests", err)
	} else if len(out.SpotInstanceRequests) > 0 {
		var ids []string
		for _, r := range out.SpotInstanceRequests {
			ids = append(ids, aws.ToString(r.SpotInstanceRequestId))
		}
		if _, err := client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: ids}); err != nil {
			fail("cancel "+strings.Join(ids, " "), err)
		}
	}

	var instances []string
	pages := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{Filters: append(byName,
		types.Filter{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped"}})})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			fail("instances", err)
			break
		}
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				instances = append(instances, aws.ToString(i.InstanceId))
			}
		}
	}
	if len(instances) > 0 {
		if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: instances}); err != nil {
			fail("terminate "+strings.Join(instances, " "), err)
		} else if err := ec2.NewInstanceTerminatedWaiter(client, func(w *ec2.InstanceTerminatedWaiterOptions) {
			w.MinDelay, w.MaxDelay = o.Poll, o.Poll*5/2
		}).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: instances}, maxWait); err != nil {
			fail("wait for "+strings.Join(instances, " ")+" to terminate", err)
		}
	}

	if out, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}, Filters: byName}); err != nil {
		fail("images", err)
	} else {
		for _, im := range out.Images {
			if err := deleteImage(ctx, client, aws.ToString(im.ImageId)); err != nil && code(err) != "InvalidAMIID.NotFound" {
				fail("delete image "+aws.ToString(im.ImageId), err)
			}
		}
	}

	if out, err := client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: byName}); err != nil {
		fail("Elastic IPs", err)
	} else {
		for _, a := range out.Addresses {
			if err := ReleaseElasticIP(ctx, cfg, aws.ToString(a.AllocationId)); err != nil {
				errs = append(errs, err)
			}
		}
	}

	if out, err := client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: byName}); err != nil {
		fail("volumes", err)
	} else {
		for _, v := range out.Volumes {
			id := aws.ToString(v.VolumeId)
			if v.State == types.VolumeStateInUse {
				client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: v.VolumeId})
				if err := ec2.NewVolumeAvailableWaiter(client, func(w *ec2.VolumeAvailableWaiterOptions) {
					w.MinDelay, w.MaxDelay = o.Poll, o.Poll*5/2
				}).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}}, maxWait); err != nil {
					fail("detach "+id, err)
					continue
				}
			}
			if _, err := client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: v.VolumeId}); err != nil && code(err) != "InvalidVolume.NotFound" {
				fail("delete "+id, err)
			}
		}
	}

	if out, err := client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: byName}); err != nil {
		fail("security groups", err)
	} else {
		for _, g := range out.SecurityGroups {
			if _, err := client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: g.GroupId}); err != nil && code(err) != "InvalidGroup.NotFound" {
				fail("delete "+aws.ToString(g.GroupId), err)
			}
		}
	}

	if out, err := client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{Filters: byName}); err != nil {
		fail("key pairs", err)
	} else {
		for _, k := range out.KeyPairs {
			if _, err := client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyPairId: k.KeyPairId}); err != nil {
				fail("delete key pair "+aws.ToString(k.KeyName), err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("ec2x: tear down %q: %w", name, err)
	}
	return nil
}
