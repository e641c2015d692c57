package ec2sim

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// netInterface is a network interface the account created: in one subnet, with a primary
// private address and perhaps secondary ones, attached to at most one instance at a device
// index of 1 or more. An instance's primary interface (device 0) is the instance's own
// record (instance.ENI); DescribeNetworkInterfaces shows both kinds.
type netInterface struct {
	meta
	Description     string
	VPC, Subnet     string
	Zone            zone
	PrivateIP       string
	Secondary       []string `json:",omitempty"`
	Groups          []string
	SourceDestCheck bool
	Attach          *eniAttachment `json:",omitempty"`
}

// eniAttachment is an interface's attachment to an instance.
type eniAttachment struct {
	ID                  string
	Instance            string
	Device              int32
	DeleteOnTermination bool
	Time                time.Time
}

// eniState is a region's network interfaces of the account's own.
type eniState struct {
	ENIs map[string]*netInterface `json:",omitempty"`
}

var eniAttachKind = kind{"eni-attach", InvalidAttachmentIDNotFound, InvalidAttachmentIDNotFound, "The attachment ID '%s' does not exist", ""}

// maxSecondary is how many secondary addresses one request may ask for here: the largest
// per-interface quota of the types the simulator knows, less the primary.
const maxSecondary = 49

func (r *regionState) interfaces() map[string]*netInterface {
	if r.ENIs == nil {
		r.ENIs = map[string]*netInterface{}
	}
	return r.ENIs
}

func (n *netInterface) addresses() []string { return append([]string{n.PrivateIP}, n.Secondary...) }

func privateDNS(region, ip string) string {
	if region == "us-east-1" {
		return "ip-" + strings.ReplaceAll(ip, ".", "-") + ".ec2.internal"
	}
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + "." + region + ".compute.internal"
}

// out is the interface as DescribeNetworkInterfaces has it.
func (n *netInterface) out(account, region string, r *regionState) types.NetworkInterface {
	status := types.NetworkInterfaceStatusAvailable
	out := types.NetworkInterface{
		NetworkInterfaceId: aws.String(n.ID), SubnetId: aws.String(n.Subnet), VpcId: aws.String(n.VPC),
		AvailabilityZone: aws.String(n.Zone.Name), AvailabilityZoneId: aws.String(n.Zone.ID),
		Description: aws.String(n.Description), OwnerId: aws.String(account), RequesterManaged: aws.Bool(false),
		MacAddress: aws.String(macAddress(n.ID)), PrivateIpAddress: aws.String(n.PrivateIP), PrivateDnsName: aws.String(privateDNS(region, n.PrivateIP)),
		SourceDestCheck: aws.Bool(n.SourceDestCheck), Groups: r.groupIdentifiers(n.Groups), InterfaceType: types.NetworkInterfaceTypeInterface,
		Ipv6Addresses: r.ipv6Out(n.ID), TagSet: n.Tags.out(),
	}
	if a := n.Attach; a != nil {
		status = types.NetworkInterfaceStatusInUse
		out.Attachment = &types.NetworkInterfaceAttachment{
			AttachmentId: aws.String(a.ID), InstanceId: aws.String(a.Instance), InstanceOwnerId: aws.String(account),
			DeviceIndex: aws.Int32(a.Device), NetworkCardIndex: aws.Int32(0), AttachTime: aws.Time(a.Time),
			DeleteOnTermination: aws.Bool(a.DeleteOnTermination), Status: types.AttachmentStatusAttached,
		}
	}
	out.Status = status
	for k, ip := range n.addresses() {
		out.PrivateIpAddresses = append(out.PrivateIpAddresses, types.NetworkInterfacePrivateIpAddress{
			Primary: aws.Bool(k == 0), PrivateIpAddress: aws.String(ip), PrivateDnsName: aws.String(privateDNS(region, ip)),
		})
	}
	return out
}

// primaryOut is an instance's primary interface as DescribeNetworkInterfaces has it.
func (s *Store) primaryOut(r *regionState, i *instance) types.NetworkInterface {
	n := &netInterface{
		meta: meta{ID: i.ENI, Tags: tags{}}, VPC: i.VPC, Subnet: i.Subnet, Zone: i.Zone, PrivateIP: i.PrivateIP,
		Groups: i.Groups, SourceDestCheck: i.SourceDestCheck,
		Attach: &eniAttachment{ID: i.Attachment, Instance: i.ID, Device: 0, DeleteOnTermination: true, Time: i.Launched},
	}
	out := n.out(s.account, r.Name, r)
	if eip := r.eipOf(i); eip != nil {
		out.Association = &types.NetworkInterfaceAssociation{AllocationId: aws.String(eip.ID), AssociationId: aws.String(eip.Assoc.ID), IpOwnerId: aws.String(s.account), PublicIp: aws.String(eip.PublicIP)}
	} else if i.PublicIP != "" {
		out.Association = &types.NetworkInterfaceAssociation{IpOwnerId: aws.String("amazon"), PublicIp: aws.String(i.PublicIP)}
	}
	return out
}

// pickAddresses chooses the interface's addresses: the one asked for or a free one, then
// secondary ones, asked for or free. None may be held by an instance or another interface.
func pickAddresses(sn *subnet, primary *string, given []types.PrivateIpAddressSpecification, count int32) (string, []string, error) {
	var asked []string
	for _, p := range given {
		if p.PrivateIpAddress == nil {
			continue
		}
		if aws.ToBool(p.Primary) {
			if primary != nil && *primary != *p.PrivateIpAddress {
				return "", nil, core.Errorf(InvalidParameterCombination, "The primary IP address specified with PrivateIpAddress does not match the one in PrivateIpAddresses.")
			}
			primary = p.PrivateIpAddress
			continue
		}
		asked = append(asked, *p.PrivateIpAddress)
	}
	if count < 0 || int(count)+len(asked) > maxSecondary {
		return "", nil, invalidValue("SecondaryPrivateIpAddressCount", strconv.Itoa(int(count)), "The number of secondary addresses exceeds the limit.")
	}
	check := func(ip string) (string, error) {
		a, err := netip.ParseAddr(ip)
		if err != nil || !a.Is4() {
			return "", invalidValue("PrivateIpAddress", ip, "It is not a valid IPv4 address.")
		}
		if !sn.usable(a) {
			return "", core.Errorf(InvalidParameterValue, "Address %s does not fall within the subnet's address range", ip)
		}
		if sn.Used[a.String()] != "" {
			return "", core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", a)
		}
		return a.String(), nil
	}
	var want []string
	if primary != nil {
		ip, err := check(*primary)
		if err != nil {
			return "", nil, err
		}
		want = append(want, ip)
	}
	for _, ip := range asked {
		ip, err := check(ip)
		if err != nil {
			return "", nil, err
		}
		if contains(want, ip) {
			return "", nil, core.Errorf(InvalidParameterValue, "Address %s is specified more than once.", ip)
		}
		want = append(want, ip)
	}
	free := int(sn.available()) - len(want)
	need := int(count)
	if primary == nil {
		need++
	}
	if free < need {
		return "", nil, core.Errorf(InsufficientFreeAddressesInSubnet, "There are not enough free addresses in subnet '%s' to satisfy the requested number of addresses.", sn.ID)
	}
	// Reserve what was asked for while free ones are chosen; the caller records them all.
	for _, ip := range want {
		sn.Used[ip] = "reserving"
	}
	var chosen []string
	for range need {
		a, _ := sn.allocate()
		sn.Used[a.String()] = "reserving"
		chosen = append(chosen, a.String())
	}
	for _, ip := range append(want, chosen...) {
		sn.release(ip)
	}
	if primary == nil {
		return chosen[0], append(want, chosen[1:]...), nil
	}
	return want[0], append(want[1:], chosen...), nil
}

// CreateNetworkInterface makes a network interface in a subnet, available to attach.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInterface.html
func (h *EC2) CreateNetworkInterface(ctx context.Context, in *ec2.CreateNetworkInterfaceInput) (*ec2.CreateNetworkInterfaceOutput, error) {
	s := h.s
	if in.SubnetId == nil {
		return nil, missingParameter("subnetId")
	}
	if in.InterfaceType != "" {
		return nil, core.Errorf(core.NotImplemented, "The simulator makes network interfaces of the type interface only: %s is not simulated.", in.InterfaceType)
	}
	if in.Ipv6AddressCount != nil || len(in.Ipv6Addresses) > 0 || in.Ipv4PrefixCount != nil || len(in.Ipv4Prefixes) > 0 {
		return nil, core.Errorf(core.NotImplemented, "The simulator gives network interfaces IPv4 addresses only: IPv6 addresses and prefixes are not simulated.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeNetworkInterface)
	if err != nil {
		return nil, err
	}
	var out *ec2.CreateNetworkInterfaceOutput
	return out, s.write(ctx, func(r *regionState) error {
		sn, err := find(subnetKind, r.Subnets, *in.SubnetId)
		if err != nil {
			return err
		}
		var groups []string
		for _, id := range in.Groups {
			g, err := find(groupKind, r.Groups, id)
			if err != nil {
				return err
			}
			if g.VPC != sn.VPC {
				return core.Errorf(InvalidParameter, "Security group %s and subnet %s belong to different networks.", g.ID, sn.ID)
			}
			groups = append(groups, g.ID)
		}
		if len(groups) == 0 {
			groups = []string{r.groupNamed(sn.VPC, defaultGroupName).ID}
		}
		primary, secondary, err := pickAddresses(sn, in.PrivateIpAddress, in.PrivateIpAddresses, aws.ToInt32(in.SecondaryPrivateIpAddressCount))
		if err != nil {
			return err
		}
		n := &netInterface{
			meta: r.newMeta(s.id("eni"), t), Description: aws.ToString(in.Description), VPC: sn.VPC, Subnet: sn.ID, Zone: sn.Zone,
			PrivateIP: primary, Secondary: secondary, Groups: dedupe(groups), SourceDestCheck: true,
		}
		for _, ip := range n.addresses() {
			sn.Used[ip] = n.ID
		}
		r.interfaces()[n.ID] = n
		r.autoIPv6(n)
		o := n.out(s.account, r.Name, r)
		out = &ec2.CreateNetworkInterfaceOutput{NetworkInterface: &o, ClientToken: in.ClientToken}
		return nil
	})
}

var eniFields = fields[types.NetworkInterface]{
	"network-interface-id": func(n types.NetworkInterface) []string { return one(aws.ToString(n.NetworkInterfaceId)) },
	"subnet-id":            func(n types.NetworkInterface) []string { return one(aws.ToString(n.SubnetId)) },
	"vpc-id":               func(n types.NetworkInterface) []string { return one(aws.ToString(n.VpcId)) },
	"availability-zone":    func(n types.NetworkInterface) []string { return one(aws.ToString(n.AvailabilityZone)) },
	"description":          func(n types.NetworkInterface) []string { return one(aws.ToString(n.Description)) },
	"status":               func(n types.NetworkInterface) []string { return one(string(n.Status)) },
	"owner-id":             func(n types.NetworkInterface) []string { return one(aws.ToString(n.OwnerId)) },
	"mac-address":          func(n types.NetworkInterface) []string { return one(aws.ToString(n.MacAddress)) },
	"interface-type":       func(n types.NetworkInterface) []string { return one(string(n.InterfaceType)) },
	"requester-managed": func(n types.NetworkInterface) []string {
		return one(strconv.FormatBool(aws.ToBool(n.RequesterManaged)))
	},
	"source-dest-check":            func(n types.NetworkInterface) []string { return one(strconv.FormatBool(aws.ToBool(n.SourceDestCheck))) },
	"private-ip-address":           func(n types.NetworkInterface) []string { return privateIPs(n) },
	"addresses.private-ip-address": func(n types.NetworkInterface) []string { return privateIPs(n) },
	"private-dns-name":             func(n types.NetworkInterface) []string { return one(aws.ToString(n.PrivateDnsName)) },
	"group-id": func(n types.NetworkInterface) []string {
		return collect(n.Groups, func(g types.GroupIdentifier) *string { return g.GroupId })
	},
	"group-name": func(n types.NetworkInterface) []string {
		return collect(n.Groups, func(g types.GroupIdentifier) *string { return g.GroupName })
	},
	"attachment.attachment-id": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string { return aws.ToString(a.AttachmentId) })
	},
	"attachment.instance-id": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string { return aws.ToString(a.InstanceId) })
	},
	"attachment.instance-owner-id": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string { return aws.ToString(a.InstanceOwnerId) })
	},
	"attachment.device-index": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string { return itoa(aws.ToInt32(a.DeviceIndex)) })
	},
	"attachment.status": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string { return string(a.Status) })
	},
	"attachment.delete-on-termination": func(n types.NetworkInterface) []string {
		return attachField(n, func(a *types.NetworkInterfaceAttachment) string {
			return strconv.FormatBool(aws.ToBool(a.DeleteOnTermination))
		})
	},
}

func privateIPs(n types.NetworkInterface) []string {
	return collect(n.PrivateIpAddresses, func(p types.NetworkInterfacePrivateIpAddress) *string { return p.PrivateIpAddress })
}

func attachField(n types.NetworkInterface, f func(*types.NetworkInterfaceAttachment) string) []string {
	if n.Attachment == nil {
		return nil
	}
	return one(f(n.Attachment))
}

// DescribeNetworkInterfaces lists the region's network interfaces: the account's own and the
// primary interfaces of its instances, in creation order.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
func (h *EC2) DescribeNetworkInterfaces(ctx context.Context, in *ec2.DescribeNetworkInterfacesInput) (*ec2.DescribeNetworkInterfacesOutput, error) {
	s := h.s
	if in.MaxResults != nil && len(in.NetworkInterfaceIds) > 0 {
		return nil, core.Errorf(InvalidParameterCombination, "The parameter NetworkInterfaceIds cannot be used with the parameter maxResults")
	}
	out := &ec2.DescribeNetworkInterfacesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		type entry struct {
			seq uint64
			out types.NetworkInterface
		}
		all := map[string]entry{}
		for _, n := range r.interfaces() {
			all[n.ID] = entry{n.Seq, n.out(s.account, r.Name, r)}
		}
		for _, i := range r.Instances {
			if i.State != stateTerminated && i.ENI != "" {
				all[i.ENI] = entry{i.Seq, s.primaryOut(r, i)}
			}
		}
		var items []types.NetworkInterface
		if len(in.NetworkInterfaceIds) > 0 {
			for _, id := range in.NetworkInterfaceIds {
				if !eniKind.wellFormed(id) {
					return eniKind.malformedError(id)
				}
				e, ok := all[id]
				if !ok {
					return eniKind.notFoundError(id)
				}
				items = append(items, e.out)
			}
		} else {
			es := make([]entry, 0, len(all))
			for _, e := range all {
				es = append(es, e)
			}
			slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
			for _, e := range es {
				items = append(items, e.out)
			}
		}
		var err error
		out.NetworkInterfaces, out.NextToken, err = describe(items, in.Filters, eniFields, func(n types.NetworkInterface) []types.Tag { return n.TagSet }, in.MaxResults, in.NextToken)
		return err
	})
}

// primaryOf returns the live instance whose primary interface is id, or nil.
func (r *regionState) primaryOf(id string) *instance {
	for _, i := range r.Instances {
		if i.ENI == id && i.State != stateTerminated {
			return i
		}
	}
	return nil
}

// findInterface finds an interface of the account's own; an instance's primary interface is
// reported as in use.
func (r *regionState) findInterface(id *string, param string) (*netInterface, error) {
	if id == nil {
		return nil, missingParameter(param)
	}
	if !eniKind.wellFormed(*id) {
		return nil, eniKind.malformedError(*id)
	}
	if n, ok := r.interfaces()[*id]; ok {
		return n, nil
	}
	return nil, eniKind.notFoundError(*id)
}

// DeleteNetworkInterface deletes an interface that is not attached.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkInterface.html
func (h *EC2) DeleteNetworkInterface(ctx context.Context, in *ec2.DeleteNetworkInterfaceInput) (*ec2.DeleteNetworkInterfaceOutput, error) {
	s := h.s
	return &ec2.DeleteNetworkInterfaceOutput{}, s.write(ctx, func(r *regionState) error {
		if in.NetworkInterfaceId != nil && r.primaryOf(*in.NetworkInterfaceId) != nil {
			return core.Errorf(InvalidNetworkInterfaceInUse, "Network interface '%s' is currently in use.", *in.NetworkInterfaceId)
		}
		n, err := r.findInterface(in.NetworkInterfaceId, "networkInterfaceId")
		if err != nil {
			return err
		}
		if n.Attach != nil {
			return core.Errorf(InvalidNetworkInterfaceInUse, "Network interface '%s' is currently in use.", n.ID)
		}
		r.dropInterface(n)
		return nil
	})
}

// dropInterface deletes n and frees its addresses; an Elastic IP associated with it stays
// the account's.
func (r *regionState) dropInterface(n *netInterface) {
	if sn, ok := r.Subnets[n.Subnet]; ok {
		for _, ip := range n.addresses() {
			if sn.Used[ip] == n.ID {
				sn.release(ip)
			}
		}
	}
	for _, a := range r.Addresses {
		if a.Assoc != nil && a.Assoc.ENI == n.ID {
			a.Assoc = nil
		}
	}
	delete(r.ENIs, n.ID)
	delete(r.ENIv6, n.ID)
}
