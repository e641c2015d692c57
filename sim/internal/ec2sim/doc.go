// Package ec2sim simulates EC2 for one account: its geography (regions and Availability
// Zones), and per region its default network, VPCs, subnets, internet gateways, route tables,
// network ACLs and their rules, NAT gateways, security groups and their rules, key pairs, a
// catalog of public images and the account's own images, a table of instance types and where
// they are offered, instances and their instance profiles, EBS volumes and snapshots,
// Elastic IP addresses, Spot prices and requests, and tags; and the reachability of one
// address from another through all of these.
//
// [EC2] has one method per operation with the SDK's own signature, over a [Store]; operations
// it does not have are answered by the front door with an error that names them.
//
// # State
//
// A [Store] holds every region's state under one lock, in records that are copied into fresh
// SDK values on the way out. A region's state — with its default VPC, default subnets,
// internet gateway, main route table, default network ACL and default security group — is
// made the first time a request touches the region, with IDs from the cloud's seeded
// generator, so that the same seed and the same calls give the same IDs and addresses.
//
// Instances are always in a settled state (running, stopped, terminated): the transitional
// states show only in the answer of the call that caused them. A terminated instance stays
// listed for an hour of the simulator's clock.
//
// # EBS
//
// A volume (volume.go) is a record of what it is — type, size, IOPS, throughput, encryption,
// zone — and of the times at which its states change, so that its state is a function of the
// simulator's clock and a read needs no timer: creating for 5 seconds, then available; in
// use from AttachVolume, the attachment attaching for 5 seconds; detaching for 5 seconds
// after DetachVolume, then available (Force: at once). ModifyVolume (volumemod.go) is
// modifying for a minute, optimizing for ten (the new size and type show from here), then
// completed; a volume takes four modifications in any 24 hours, each once the one before
// completed. A snapshot (snapshot.go) is pending for two minutes, its progress rising evenly,
// then completed. Writes first settle what the clock has finished (Store.settleVolumes).
// AWS publishes no such durations: these are short so that a lab sees every state.
//
// RunInstances (rootvolume.go) makes each instance's volumes from the image's block device
// mappings and the request's, checked before anything is made; the root volume takes the ID
// drawn for it with the instance, so that IDs come in the order they always did. Instance
// store mappings are accepted and not listed, as EC2 lists only EBS volumes.
//
// Encryption uses KMS key ARNs without KMS: the AWS managed key aws/ebs has an ID made from
// the account and region, and other keys are taken by their shape, not looked up.
//
// # Images
//
// An image of the account's (imageown.go) is a record of its block device mappings — each a
// snapshot, an empty volume or an instance store volume — and of when its snapshots
// complete: pending until then, available after, like a volume. CreateImage takes its
// snapshots through the snapshots' own code (pending two minutes); CopyImage copies them into
// the request's region; RegisterImage names the account's snapshots. A deregistered image
// stays as a hidden record, so that its instances keep their platform, architecture and
// root device; every request but DeregisterImage (InvalidAMIID.Unavailable) finds it gone.
// RunInstances takes the image's mappings as the root volume and the other volumes
// (rootvolume.go). The catalog's images are another account's: changing them is AuthFailure.
// An ImageMade event tells the guests to keep the instance's disks with the image.
//
// An instance's instance profile is its association (profileassoc.go): a launch's has an ID
// made from the instance's (launches draw no ID more than before), a later one a drawn ID.
//
// # Elastic IP addresses
//
// An address (address.go) is allocated from the same public pool as instances' own addresses
// (never one in use), five a region. Associated with an instance's network interface — its
// primary one, the only kind the simulator has — it is the instance's public address: the
// instance's own address of EC2's is released, DescribeInstances shows the Elastic IP with
// the account as its owner, and a stop and start keep it while an address of EC2's would
// change. Disassociated, a running instance whose interface takes a public address gets a
// new one of EC2's; terminated, the address stays the account's, unassociated. The
// instance's VPC must have an internet gateway.
//
// # Private networks and reachability
//
// A network ACL (acl.go) stores its numbered rules, the default ACL's two rules 100 too;
// the catch-all rule of each direction is shown, never stored. A new subnet is associated
// with its VPC's default ACL; ReplaceNetworkAclAssociation moves it, with a new association
// ID. A NAT gateway (nat.go) takes an address of its subnet's and, when public, its Elastic
// IP, which shows as associated with the gateway's interface until the deletion is over; it
// is pending for a minute, then available — or failed (Gateway.NotAttached) when its VPC has
// no internet gateway — and deleting for a minute, then deleted, listed for an hour.
// Store.NATUsage is what the cost meter bills: $0.045 an hour from its creation until its
// deletion is over.
//
// The reachability evaluator (reach.go) is the store's world.Network: it reads the same
// records the operations write, and its model is written out at the top of reach.go.
//
// # Spot
//
// Each market (an instance type in a zone, for Linux or Windows; price.go) has a price that
// is a function of the market and the time alone: a seeded series between 25% and 40% of the
// type's on-demand price, which moves at most once in three hours, unless the simulator's
// owner set it (Store.SetSpotPrice). Spot requests (spot.go) and their instances are played
// against those prices lazily (spotmarket.go): before a request touches a region, every
// instant since the region was last played at which something could happen — a watched
// price changing, a notice falling due, a request's validity starting or ending — is played
// in order; after a request changed the region, the present is played once more. So a
// request is fulfilled, and an instance gets its notice or is interrupted, in the very next
// answer, without a timer.
//
// # Scope and limitations
//
// Not simulated: IPv6 blocks and addresses, secondary VPC blocks, an instance's secondary
// private addresses (refused by name), regional NAT gateways and NAT gateways' secondary
// addresses, peering and the other route targets, network interfaces of one's own (an Elastic IP associates with
// an instance's primary interface), Elastic IPs from BYOIP, IPAM or customer-owned pools and
// the recovery of a released address, Multi-Attach volumes, fast snapshot restore, snapshots'
// archive tier, other accounts' snapshots (sharing is recorded and shown), launch templates,
// Spot Fleet and EC2 Fleet, Spot launch groups and Availability Zone groups (kept and shown,
// not enforced), Spot capacity (a request is refused only by its price), placement groups,
// images of other accounts shared with this one (sharing is recorded and shown), AWS
// Organizations as launch permissions, S3-backed images (RegisterImage's ImageLocation),
// deregistration protection and the Recycle Bin, a check of a paravirtual image against the
// instance type, key material in PuTTY's ppk format, per-family vCPU quotas (a flat 1,000
// instances per region stands in), RunInstances' authorization on the subnet and security
// groups it uses (it is asked on the volumes and network interface it makes), which instance
// types have instance store (any type launches the instance-store
// image), and the ec2:Attribute/… keys of ModifyInstanceAttribute.
// Launches check iam:PassRole on the instance profile's role, and each action carries the
// condition keys EC2 documents for it (ec2:Region, ec2:InstanceType, ec2:ResourceTag/…,
// aws:RequestTag/…, aws:TagKeys, the image's keys): conditions.go. Tags given when a resource
// is created (TagSpecifications of RunInstances, CreateVolume, CreateVpc, …) need
// ec2:CreateTags on the new resources too, with ec2:CreateAction naming the creating action.
// Public addresses come from 3.0.0.0/8 rather than each region's own ranges, and RSA key
// pairs differ from run to run: Go's crypto does not take a seeded source.
package ec2sim
