package ec2sim

import (
	"cmp"
	"context"
	"encoding/base64"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// instance is one instance. State is always settled — running, stopped or terminated: the
// transitional states (pending, stopping, shutting-down) show only in the response of the call
// that caused them, so that what a test sees does not depend on time.
type instance struct {
	meta
	Reservation      string
	LaunchIndex      int32
	Image            string
	Type             types.InstanceType
	Key              string
	VPC, Subnet      string
	Zone             zone
	PrivateIP        string
	PublicIP         string
	WantsPublicIP    bool // it gets a public address on every start
	Groups           []string
	State            types.InstanceStateName
	Reason           string // the state transition reason
	Launched         time.Time
	Terminated       time.Time
	UserData         string // base64, as given
	Profile          Profile
	ENI, Attachment  string
	Volume           string // the root volume's ID ("" for an instance-store root)
	InstanceStore    bool   `json:",omitempty"` // its root device is instance store: it cannot stop
	NoTerminate      bool
	NoStop           bool
	ShutdownBehavior types.ShutdownBehavior
	Monitoring       bool
	EbsOptimized     bool
	SourceDestCheck  bool
	ClientToken      string        // as given; the SDK makes one for every RunInstances
	Spot             *instanceSpot `json:",omitempty"` // a Spot Instance's request and notice: spotmarket.go
}

// The codes of the instance states: the high byte is for AWS's internal use.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html
var stateCodes = map[types.InstanceStateName]int32{
	types.InstanceStateNamePending: 0, types.InstanceStateNameRunning: 16, types.InstanceStateNameShuttingDown: 32,
	types.InstanceStateNameTerminated: 48, types.InstanceStateNameStopping: 64, types.InstanceStateNameStopped: 80,
}

const stateTerminated = types.InstanceStateNameTerminated

func instanceState(name types.InstanceStateName) *types.InstanceState {
	return &types.InstanceState{Name: name, Code: aws.Int32(stateCodes[name])}
}

// terminatedVisible is how long a terminated instance stays in DescribeInstances.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html
const terminatedVisible = time.Hour

func (i *instance) gone(now time.Time) bool {
	return i.State == stateTerminated && !now.Before(i.Terminated.Add(terminatedVisible))
}

// maxInstances is the simulator's quota of instances per region, not terminated. AWS counts
// vCPUs per instance family instead; this bounds what one request can make.
const maxInstances = 1000

// maxUserData is the most user data an instance takes, before base64.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
const maxUserData = 16 << 10

// launch is a RunInstances request, checked.
type launch struct {
	in         *ec2.RunInstancesInput
	min, max   int
	itype      *instanceType
	tags       tags
	profile    Profile
	subnetID   *string
	groupIDs   []string
	publicIP   *bool
	privateIP  *string
	hasProfile bool
	market     *marketLaunch // InstanceMarketOptions: spotmarket.go
	volumeTags tags          // the TagSpecifications for its volumes
	aws        tags          // the tags AWS gives the instances: those of their launch template
}

// checkLaunch checks what RunInstances can check before it looks at the region's state.
func (s *Store) checkLaunch(in *ec2.RunInstancesInput) (*launch, error) {
	l := &launch{in: in, subnetID: in.SubnetId, groupIDs: in.SecurityGroupIds, privateIP: in.PrivateIpAddress}
	if in.ImageId == nil {
		return nil, missingParameter("ImageId")
	}
	if in.MinCount == nil {
		return nil, missingParameter("MinCount")
	}
	if in.MaxCount == nil {
		return nil, missingParameter("MaxCount")
	}
	l.min, l.max = int(*in.MinCount), int(*in.MaxCount)
	switch {
	case l.min < 1:
		return nil, core.Errorf(InvalidParameterValue, "Value (%d) for parameter minCount is invalid. Expected a positive integer.", l.min)
	case l.max < 1:
		return nil, core.Errorf(InvalidParameterValue, "Value (%d) for parameter maxCount is invalid. Expected a positive integer.", l.max)
	case l.min > l.max:
		return nil, core.Errorf(InvalidParameterValue, "Invalid value '%d' for minCount. Must be less than or equal to maxCount (%d).", l.min, l.max)
	}
	// "Default: m1.small" — https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
	typ := in.InstanceType
	if typ == "" {
		typ = types.InstanceTypeM1Small
	}
	var err error
	if l.itype, err = runnable(typ); err != nil {
		return nil, err
	}
	if in.UserData != nil {
		raw, err := base64.StdEncoding.DecodeString(*in.UserData)
		if err != nil {
			return nil, core.Errorf(InvalidParameterValue, "Invalid BASE64 encoding of user data.")
		}
		if len(raw) > maxUserData {
			return nil, core.Errorf(InvalidParameterValue, "User data is limited to %d bytes", maxUserData)
		}
	}
	switch in.InstanceInitiatedShutdownBehavior {
	case "", types.ShutdownBehaviorStop, types.ShutdownBehaviorTerminate:
	default:
		return nil, invalidValue("InstanceInitiatedShutdownBehavior", string(in.InstanceInitiatedShutdownBehavior), "Valid values are stop and terminate.")
	}
	tagged := []types.ResourceType{types.ResourceTypeVolume, types.ResourceTypeNetworkInterface}
	if in.InstanceMarketOptions != nil {
		tagged = append(tagged, types.ResourceTypeSpotInstancesRequest)
	}
	if l.tags, err = tagsFor(in.TagSpecifications, types.ResourceTypeInstance, tagged...); err != nil {
		return nil, err
	}
	if l.volumeTags, err = tagsFor(in.TagSpecifications, types.ResourceTypeVolume, append(tagged, types.ResourceTypeInstance)...); err != nil {
		return nil, err
	}
	if l.market, err = checkMarket(in, s.now()); err != nil {
		return nil, err
	}
	if err := l.networkInterface(); err != nil {
		return nil, err
	}
	if l.privateIP != nil && l.max > 1 {
		return nil, core.Errorf(InvalidParameterCombination, "Cannot specify a private IP address when launching more than one instance")
	}
	if p := in.IamInstanceProfile; p != nil {
		if err := s.resolveProfile(l, p); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// networkInterface reads the one network interface RunInstances may describe, as the AWS CLI's
// --associate-public-ip-address makes it: device 0, with its subnet, groups and public address.
func (l *launch) networkInterface() error {
	nis := l.in.NetworkInterfaces
	if len(nis) == 0 {
		return nil
	}
	ni := nis[0]
	if len(nis) > 1 || aws.ToInt32(ni.DeviceIndex) != 0 || ni.NetworkInterfaceId != nil {
		return core.Errorf(core.NotImplemented, "The simulator launches instances with one new network interface, device index 0.")
	}
	if l.subnetID != nil && ni.SubnetId != nil {
		return core.Errorf(InvalidParameterCombination, "Network interfaces and an instance-level subnet ID may not be specified on the same request")
	}
	if (len(l.groupIDs) > 0 || len(l.in.SecurityGroups) > 0) && len(ni.Groups) > 0 {
		return core.Errorf(InvalidParameterCombination, "Network interfaces and an instance-level security groups may not be specified on the same request")
	}
	if ni.SubnetId != nil {
		l.subnetID = ni.SubnetId
	}
	if len(ni.Groups) > 0 {
		l.groupIDs = ni.Groups
	}
	if ni.PrivateIpAddress != nil {
		l.privateIP = ni.PrivateIpAddress
	}
	// The AWS CLI moves --private-ip-address here when its scalar network arguments make the
	// interface (awscli/customizations/ec2/runinstances.py).
	for _, a := range ni.PrivateIpAddresses {
		if !aws.ToBool(a.Primary) {
			return core.Errorf(core.NotImplemented, "The simulator gives an instance one private IP address: it has no secondary addresses.")
		}
		l.privateIP = a.PrivateIpAddress
	}
	if aws.ToInt32(ni.SecondaryPrivateIpAddressCount) > 0 {
		return core.Errorf(core.NotImplemented, "The simulator gives an instance one private IP address: it has no secondary addresses.")
	}
	l.publicIP = ni.AssociatePublicIpAddress
	return nil
}

// resolveProfile asks IAM for the instance profile, by ARN or by name.
func (s *Store) resolveProfile(l *launch, p *types.IamInstanceProfileSpecification) error {
	switch {
	case p.Arn != nil:
		prof, ok := s.profiles(*p.Arn)
		if !ok {
			return invalidValue("iamInstanceProfile.arn", *p.Arn, "Invalid IAM Instance Profile ARN")
		}
		l.profile = prof
	case p.Name != nil:
		prof, ok := s.profiles(*p.Name)
		if !ok {
			return invalidValue("iamInstanceProfile.name", *p.Name, "Invalid IAM Instance Profile name")
		}
		l.profile = prof
	}
	return nil
}

// placement finds the subnet of a launch: the one named, or the default subnet of the zone
// named, or that of the region's first zone.
func (r *regionState) placement(l *launch) (*subnet, error) {
	if l.subnetID != nil {
		return find(subnetKind, r.Subnets, *l.subnetID)
	}
	v := r.defaultVPC()
	if v == nil {
		return nil, noDefaultVPC()
	}
	geo, _ := lookupRegion(r.Name)
	z := zoneOf(geo, 0)
	if p := l.in.Placement; p != nil && p.AvailabilityZone != nil {
		var ok bool
		if z, ok = geo.zoneNamed(*p.AvailabilityZone); !ok {
			return nil, core.Errorf(InvalidParameterValue, "Invalid availability zone: [%s]", *p.AvailabilityZone)
		}
	}
	for _, sn := range r.Subnets {
		if sn.VPC == v.ID && sn.DefaultForAz && sn.Zone == z {
			return sn, nil
		}
	}
	return nil, core.Errorf(MissingInput, "No subnets found for the default VPC '%s'. Please specify a subnet.", v.ID)
}

// launchGroups resolves the security groups of a launch in the subnet's VPC: by ID, by name,
// or the VPC's default group.
func (r *regionState) launchGroups(l *launch, sn *subnet) ([]string, error) {
	var out []string
	for _, id := range l.groupIDs {
		g, err := find(groupKind, r.Groups, id)
		if err != nil {
			return nil, err
		}
		if g.VPC != sn.VPC {
			return nil, core.Errorf(InvalidParameter, "Security group %s and subnet %s belong to different networks.", g.ID, sn.ID)
		}
		out = append(out, g.ID)
	}
	if names := l.in.SecurityGroups; len(names) > 0 {
		if l.in.SubnetId != nil && !r.VPCs[sn.VPC].Default {
			return nil, core.Errorf(InvalidParameterCombination, "The parameter groupName cannot be used with the parameter subnet")
		}
		for _, name := range names {
			g := r.groupNamed(sn.VPC, name)
			if g == nil {
				return nil, core.Errorf(InvalidGroupNotFound, "The security group '%s' does not exist in VPC '%s'", name, sn.VPC)
			}
			out = append(out, g.ID)
		}
	}
	if len(out) == 0 {
		out = append(out, r.groupNamed(sn.VPC, defaultGroupName).ID)
	}
	return dedupe(out), nil
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// archMismatch refuses an instance type whose architectures do not include the image's.
func archMismatch(it *instanceType, im regionImage) error {
	for _, a := range it.Archs {
		if string(a) == string(im.Arch) {
			return nil
		}
	}
	return core.Errorf(InvalidParameterValue, "The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. "+
		"Specify an instance type and an AMI that have matching architectures, and try again. "+
		"You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
		it.Archs[len(it.Archs)-1], im.Arch)
}

// RunInstances launches MinCount to MaxCount instances of an image, as many as the subnet's
// free addresses and the region's quota allow.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
func (h *EC2) RunInstances(ctx context.Context, in *ec2.RunInstancesInput) (*ec2.RunInstancesOutput, error) {
	s := h.s
	var fromTemplate tags
	if in.LaunchTemplate != nil {
		if err := s.read(ctx, func(r *regionState) error {
			var err error
			in, fromTemplate, err = r.fromTemplate(in)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if c := core.CallerFrom(ctx); c != nil && c.Service != "" {
		in, fromTemplate = serviceTags(in, fromTemplate)
	}
	id, err := s.resolveImage(ctx, in.ImageId)
	if err != nil {
		return nil, err
	}
	if id != in.ImageId {
		c := *in
		c.ImageId, in = id, &c
	}
	l, err := s.checkLaunch(in)
	if err != nil {
		return nil, err
	}
	l.aws = fromTemplate
	out := &ec2.RunInstancesOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		// The SDK gives every RunInstances a client token and sends it again when it retries:
		// the retry answers what the first call did.
		// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
		if res, ok := r.Tokens[aws.ToString(in.ClientToken)]; ok && in.ClientToken != nil {
			var is []*instance
			for _, i := range r.Instances {
				if i.Reservation == res {
					is = append(is, i)
				}
			}
			slices.SortFunc(is, func(a, b *instance) int { return cmp.Compare(a.Seq, b.Seq) })
			reservationOut(s, r, res, is, out)
			return nil
		}
		is, err := s.launchIn(r, l)
		if err != nil {
			return err
		}
		res := is[0].Reservation
		if in.ClientToken != nil {
			r.Tokens[*in.ClientToken] = res
		}
		reservationOut(s, r, res, is, out)
		return nil
	})
}

// launchIn launches the instances of a checked RunInstances request in the region, as many as
// fit, in one new reservation, and returns them. r is held for writing.
func (s *Store) launchIn(r *regionState, l *launch) ([]*instance, error) {
	im, sn, groups, err := r.checkPlacement(l, s.now())
	if err != nil {
		return nil, err
	}
	n, err := r.capacity(l, sn)
	if err != nil {
		return nil, err
	}
	plan, err := s.planVolumes(r, l, im)
	if err != nil {
		return nil, err
	}
	if l.market != nil {
		if err := r.checkMarketPrice(l, sn.Zone, im, s.now()); err != nil {
			return nil, err
		}
	}
	if im.own != nil {
		im.own.LastLaunched = s.now() // the image's lastLaunchedTime
	}
	var launched []*instance
	res := s.id("r")
	now := s.now()
	wantsPublic := sn.MapPublicIP
	if l.publicIP != nil {
		wantsPublic = *l.publicIP
	}
	for k := range n {
		i := &instance{
			meta: r.newMeta(s.id("i"), l.tags.clone()), Reservation: res, LaunchIndex: int32(k), Image: im.ID,
			Type: l.itype.Name, Key: aws.ToString(l.in.KeyName), VPC: sn.VPC, Subnet: sn.ID, Zone: sn.Zone,
			WantsPublicIP: wantsPublic, Groups: groups, State: types.InstanceStateNameRunning, Launched: now,
			UserData: aws.ToString(l.in.UserData), Profile: l.profile,
			ENI: s.id("eni"), Attachment: s.id("eni-attach"), Volume: s.id("vol"),
			NoTerminate: aws.ToBool(l.in.DisableApiTermination), NoStop: aws.ToBool(l.in.DisableApiStop),
			ShutdownBehavior: l.in.InstanceInitiatedShutdownBehavior, EbsOptimized: aws.ToBool(l.in.EbsOptimized),
			Monitoring: l.in.Monitoring != nil && aws.ToBool(l.in.Monitoring.Enabled), SourceDestCheck: true,
			ClientToken: aws.ToString(l.in.ClientToken),
		}
		maps.Copy(i.Tags, l.aws)
		if i.ShutdownBehavior == "" {
			i.ShutdownBehavior = types.ShutdownBehaviorStop
		}
		if im.InstanceStore {
			i.Volume, i.InstanceStore = "", true
		}
		s.makeVolumes(r, i, plan, l.volumeTags)
		addr, _ := sn.allocate() // capacity checked there are enough
		if l.privateIP != nil {
			addr = netip.MustParseAddr(*l.privateIP)
		}
		i.PrivateIP = addr.String()
		sn.Used[i.PrivateIP] = i.ID
		if wantsPublic {
			i.PublicIP = s.publicIP(r)
		}
		r.addInstance(i)
		s.emit(r, i, InstanceLaunched)
		if l.market != nil {
			s.marketRequest(r, l, i, im, groups)
		}
		launched = append(launched, i)
	}
	return launched, nil
}

// serviceTags moves the aws: tags of a launch's instance TagSpecifications into the tags AWS
// gives the instances: an AWS service launching for the account (Auto Scaling's
// aws:autoscaling:groupName) may set them, where a caller's are refused.
func serviceTags(in *ec2.RunInstancesInput, given tags) (*ec2.RunInstancesInput, tags) {
	c := *in
	c.TagSpecifications = nil
	for _, ts := range in.TagSpecifications {
		if ts.ResourceType != types.ResourceTypeInstance {
			c.TagSpecifications = append(c.TagSpecifications, ts)
			continue
		}
		kept := types.TagSpecification{ResourceType: ts.ResourceType}
		for _, t := range ts.Tags {
			if k := aws.ToString(t.Key); strings.HasPrefix(k, "aws:") {
				if given == nil {
					given = tags{}
				}
				given[k] = aws.ToString(t.Value)
				continue
			}
			kept.Tags = append(kept.Tags, t)
		}
		if len(kept.Tags) > 0 {
			c.TagSpecifications = append(c.TagSpecifications, kept)
		}
	}
	return &c, given
}

// capacity returns how many instances of a launch fit: at least MinCount, at most MaxCount.
func (r *regionState) capacity(l *launch, sn *subnet) (int, error) {
	if l.privateIP != nil {
		a, err := netip.ParseAddr(*l.privateIP)
		if err != nil || !sn.usable(a) {
			return 0, core.Errorf(InvalidParameterValue, "Address %s does not fall within the subnet's address range", *l.privateIP)
		}
		if sn.Used[a.String()] != "" {
			return 0, core.Errorf(InvalidIPAddressInUse, "Address %s is in use.", a)
		}
	}
	running := r.notTerminated()
	if running+l.min > maxInstances {
		return 0, core.Errorf(InstanceLimitExceeded, "You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
			running+l.min, maxInstances)
	}
	free := int(sn.available())
	if free < l.min {
		return 0, core.Errorf(InsufficientFreeAddressesInSubnet, "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", sn.ID)
	}
	return min(l.max, free, maxInstances-running), nil
}

// publicPool is where the simulator's public addresses come from: 3.0.0.0/8, which Amazon
// owns. Real EC2 draws from each region's own ranges (https://ip-ranges.amazonaws.com/ip-ranges.json).
var publicPool = netip.MustParsePrefix("3.0.0.0/8")

// publicIP returns a free public address from the seeded generator.
func (s *Store) publicIP(r *regionState) string {
	base := publicPool.Addr().As4()
	for {
		b := s.ids.Bytes(3)
		a := netip.AddrFrom4([4]byte{base[0], b[0], b[1], b[2]})
		if b[2] != 0 && b[2] != 255 && !r.publicInUse(a.String()) {
			return a.String()
		}
	}
}

// dnsNames returns an instance's private and public DNS names: ip-10-0-0-5.ec2.internal and
// ec2-3-4-5-6.compute-1.amazonaws.com in us-east-1, …​.<region>.compute.internal and
// …​.<region>.compute.amazonaws.com elsewhere. A public name needs DNS hostnames on in the VPC.
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-hostnames
func (r *regionState) dnsNames(i *instance) (private, public string) {
	if i.PrivateIP != "" {
		private = "ip-" + strings.ReplaceAll(i.PrivateIP, ".", "-") + ".ec2.internal"
		if r.Name != "us-east-1" {
			private = "ip-" + strings.ReplaceAll(i.PrivateIP, ".", "-") + "." + r.Name + ".compute.internal"
		}
	}
	if ip := r.publicAddr(i); ip != "" {
		if v, ok := r.VPCs[i.VPC]; ok && v.DNSHostnames {
			public = "ec2-" + strings.ReplaceAll(ip, ".", "-") + ".compute-1.amazonaws.com"
			if r.Name != "us-east-1" {
				public = "ec2-" + strings.ReplaceAll(ip, ".", "-") + "." + r.Name + ".compute.amazonaws.com"
			}
		}
	}
	return private, public
}

// macAddress makes an instance's MAC address from its network interface's ID, so that it is
// the same on every run.
func macAddress(eni string) string {
	h := strings.TrimPrefix(eni, "eni-")
	return "0e:" + h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10]
}

// reservationOut writes the reservation res of the instances is into out, as RunInstances
// answers it: its running instances "pending".
func reservationOut(s *Store, r *regionState, res string, is []*instance, out *ec2.RunInstancesOutput) {
	out.ReservationId, out.OwnerId, out.Groups = aws.String(res), aws.String(s.account), []types.GroupIdentifier{}
	out.Instances = []types.Instance{}
	for _, i := range is {
		var state types.InstanceStateName
		if i.State == running {
			state = types.InstanceStateNamePending
		}
		out.Instances = append(out.Instances, s.instanceOut(r, i, state))
	}
}

func (r *regionState) groupIdentifiers(ids []string) []types.GroupIdentifier {
	out := []types.GroupIdentifier{}
	for _, id := range ids {
		gi := types.GroupIdentifier{GroupId: aws.String(id)}
		if g, ok := r.Groups[id]; ok {
			gi.GroupName = aws.String(g.Name)
		}
		out = append(out, gi)
	}
	return out
}

// instanceOut describes an instance, in state, or in its own state if state is "".
func (s *Store) instanceOut(r *regionState, i *instance, state types.InstanceStateName) types.Instance {
	if state == "" {
		state = i.State
	}
	im, _ := r.image(i.Image)
	it, _ := lookupInstanceType(i.Type)
	private, public := r.dnsNames(i)
	monitoring := types.MonitoringStateDisabled
	if i.Monitoring {
		monitoring = types.MonitoringStateEnabled
	}
	tokens := types.HttpTokensStateOptional
	if im.IMDSv2 {
		tokens = types.HttpTokensStateRequired
	}
	out := types.Instance{
		InstanceId: aws.String(i.ID), ImageId: aws.String(i.Image), InstanceType: i.Type, AmiLaunchIndex: aws.Int32(i.LaunchIndex),
		State: instanceState(state), StateTransitionReason: aws.String(i.Reason), LaunchTime: aws.Time(i.Launched),
		Placement:      &types.Placement{AvailabilityZone: aws.String(i.Zone.Name), AvailabilityZoneId: aws.String(i.Zone.ID), GroupName: aws.String(""), Tenancy: types.TenancyDefault},
		Monitoring:     &types.Monitoring{State: monitoring},
		PrivateDnsName: aws.String(private), PublicDnsName: aws.String(public),
		Architecture: im.Arch, Hypervisor: types.HypervisorTypeXen, VirtualizationType: types.VirtualizationTypeHvm,
		RootDeviceType: im.rootDeviceType(), RootDeviceName: aws.String(im.Root), EbsOptimized: aws.Bool(i.EbsOptimized),
		EnaSupport: aws.Bool(true), SourceDestCheck: aws.Bool(i.SourceDestCheck),
		PlatformDetails: aws.String(im.platformDetails()), UsageOperation: aws.String(im.usageOperation()),
		UsageOperationUpdateTime: aws.Time(i.Launched), ProductCodes: []types.ProductCode{},
		SecurityGroups: r.groupIdentifiers(i.Groups), Tags: i.Tags.out(),
		CpuOptions:         &types.CpuOptions{CoreCount: aws.Int32(it.VCPUs / it.Threads), ThreadsPerCore: aws.Int32(it.Threads)},
		HibernationOptions: &types.HibernationOptions{Configured: aws.Bool(false)},
		EnclaveOptions:     &types.EnclaveOptions{Enabled: aws.Bool(false)},
		MetadataOptions: &types.InstanceMetadataOptionsResponse{
			State: types.InstanceMetadataOptionsStateApplied, HttpTokens: tokens, HttpPutResponseHopLimit: aws.Int32(2),
			HttpEndpoint: types.InstanceMetadataEndpointStateEnabled, HttpProtocolIpv6: types.InstanceMetadataProtocolStateDisabled,
			InstanceMetadataTags: types.InstanceMetadataTagsStateDisabled,
		},
		PrivateDnsNameOptions: &types.PrivateDnsNameOptionsResponse{
			HostnameType: types.HostnameTypeIpName, EnableResourceNameDnsARecord: aws.Bool(false), EnableResourceNameDnsAAAARecord: aws.Bool(false),
		},
		BlockDeviceMappings: []types.InstanceBlockDeviceMapping{},
		NetworkInterfaces:   []types.InstanceNetworkInterface{},
	}
	if i.Key != "" {
		out.KeyName = aws.String(i.Key)
	}
	if i.ClientToken != "" {
		out.ClientToken = aws.String(i.ClientToken)
	}
	if im.Windows {
		out.Platform = platformWindows
	}
	if i.Profile.ARN != "" {
		out.IamInstanceProfile = &types.IamInstanceProfile{Arn: aws.String(i.Profile.ARN), Id: aws.String(i.Profile.ID)}
	}
	if i.Reason != "" {
		out.StateReason = &types.StateReason{Code: aws.String("Client.UserInitiatedShutdown"), Message: aws.String("Client.UserInitiatedShutdown: User initiated shutdown")}
	}
	spotInstanceOut(i, &out)
	if i.State == stateTerminated {
		return out // a terminated instance has let its volume and network interface go
	}
	out.BlockDeviceMappings = s.blockDevices(r, i)
	out.VpcId, out.SubnetId, out.PrivateIpAddress = aws.String(i.VPC), aws.String(i.Subnet), aws.String(i.PrivateIP)
	var assoc *types.InstanceNetworkInterfaceAssociation
	if eip := r.eipOf(i); eip != nil {
		// An Elastic IP's owner is the account, EC2's own addresses' "amazon".
		out.PublicIpAddress = aws.String(eip.PublicIP)
		assoc = &types.InstanceNetworkInterfaceAssociation{IpOwnerId: aws.String(s.account), PublicIp: aws.String(eip.PublicIP), PublicDnsName: aws.String(public)}
	} else if i.PublicIP != "" {
		out.PublicIpAddress = aws.String(i.PublicIP)
		assoc = &types.InstanceNetworkInterfaceAssociation{IpOwnerId: aws.String("amazon"), PublicIp: aws.String(i.PublicIP), PublicDnsName: aws.String(public)}
	}
	out.NetworkInterfaces = append(out.NetworkInterfaces, types.InstanceNetworkInterface{
		NetworkInterfaceId: aws.String(i.ENI), SubnetId: aws.String(i.Subnet), VpcId: aws.String(i.VPC),
		Description: aws.String(""), OwnerId: aws.String(s.account), Status: types.NetworkInterfaceStatusInUse,
		MacAddress: aws.String(macAddress(i.ENI)), PrivateIpAddress: aws.String(i.PrivateIP), PrivateDnsName: aws.String(private),
		SourceDestCheck: aws.Bool(i.SourceDestCheck), Groups: r.groupIdentifiers(i.Groups), InterfaceType: aws.String("interface"),
		Ipv6Addresses: []types.InstanceIpv6Address{}, Association: assoc,
		Attachment: &types.InstanceNetworkInterfaceAttachment{
			AttachmentId: aws.String(i.Attachment), AttachTime: aws.Time(i.Launched), DeleteOnTermination: aws.Bool(true),
			DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0), Status: types.AttachmentStatusAttached,
		},
		PrivateIpAddresses: []types.InstancePrivateIpAddress{{
			Primary: aws.Bool(true), PrivateIpAddress: aws.String(i.PrivateIP), PrivateDnsName: aws.String(private), Association: assoc,
		}},
	})
	out.NetworkInterfaces = append(out.NetworkInterfaces, s.attachedOut(r, i)...)
	return out
}

// resolveImage returns the image ID that id stands for: id itself, or for resolve:ssm:NAME
// (NAME may end in :version or :label) the parameter's value, read as the caller.
func (s *Store) resolveImage(ctx context.Context, id *string) (*string, error) {
	name, ok := strings.CutPrefix(aws.ToString(id), "resolve:ssm:")
	if !ok {
		return id, nil
	}
	if s.resolve == nil {
		return nil, core.Errorf(InvalidParameterValue, "Invalid value '%s' for parameter ImageId: Systems Manager is not available.", aws.ToString(id))
	}
	v, err := s.resolve(ctx, name)
	if err != nil {
		if e := core.AsError(err); e.Status < 500 && e.Code != core.InternalError {
			return nil, core.Errorf(InvalidParameterValue, "Unable to resolve the Systems Manager parameter %s: %s", name, e.Message)
		}
		return nil, err
	}
	return aws.String(v), nil
}
