package elbsim

import (
	"context"
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// ELB is the handler: one method per operation, with the SDK client's signature.
type ELB struct{ s *Store }

// NewELB returns the handler of s's operations.
func NewELB(s *Store) *ELB { return &ELB{s} }

// hostedZones are the Route 53 hosted zones of load balancers' DNS names per region:
// application load balancers', then network load balancers'. From "Elastic Load Balancing
// endpoints and quotas" in the AWS General Reference; a region not listed here answers no
// hosted zone.
var hostedZones = map[string][2]string{
	"us-east-1":      {"Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"},
	"us-east-2":      {"Z3AADJGX6KTTL2", "ZLMOA37VPKANP"},
	"us-west-1":      {"Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"},
	"us-west-2":      {"Z1H1FL5HABSF5", "Z18D5FSROUN65G"},
	"ca-central-1":   {"ZQSVJUPU6J1EY", "Z2EPGBW3API2WT"},
	"eu-west-1":      {"Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"},
	"eu-west-2":      {"ZHURV8PSTC4K8", "ZD4D7Y8KGAS4G"},
	"eu-west-3":      {"Z3Q77PNBQS71R4", "Z1CMS0P5QUZ6D5"},
	"eu-central-1":   {"Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"},
	"eu-north-1":     {"Z23TAZ6LKFMNIO", "Z1UDT6IFJ4EJM"},
	"ap-south-1":     {"ZP97RAFLXTNZK", "ZVDDRBQ08TROA"},
	"ap-northeast-1": {"Z14GRHDCWA56QT", "Z31USIVHYNEOWT"},
	"ap-northeast-2": {"ZWKZPGTI48KDX", "ZIBE1TIR4HY56"},
	"ap-southeast-1": {"Z1LMS91P8CMLE5", "ZKVM4W9LS7TM"},
	"ap-southeast-2": {"Z1GM3OXH4ZPM65", "ZCT6FZBF4DROD"},
	"sa-east-1":      {"Z2P70J7HTTTPLU", "ZTK26PT1VY4CU"},
	"ap-east-1":      {"Z3DQVH9N71FHZ0", "Z12Y7K3UBGUAD1"},
	"ap-northeast-3": {"Z5LXEXXYW11ES", "Z1GWIQ4HH19I5X"},
	"me-south-1":     {"ZS929ML54UICD", "Z3QSRYVP46NYYV"},
	"af-south-1":     {"Z268VQBMOI5EKX", "Z203XCE67M25HM"},
}

func hostedZone(region, typ string) string {
	z := hostedZones[region]
	if typ == "network" {
		return z[1]
	}
	return z[0]
}

// checkName applies the rules of load balancer and target group names: 1 to 32 letters,
// digits and hyphens, no hyphen first or last. what is "Load balancer" or "Target group".
func checkName(what, name string) error {
	if name == "" {
		return errorf(ValidationError, "%s name cannot be empty", what)
	}
	if len(name) > 32 {
		return errorf(ValidationError, "%s name '%s' cannot be longer than '32' characters", what, name)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(isAlnum(c) || c == '-') {
			return errorf(ValidationError, "%s name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", what, name)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		return errorf(ValidationError, "%s name '%s' cannot begin or end with '-'", what, name)
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// enum checks a value against its set, as the API's validation words it.
func enum(v, field string, set ...string) error {
	if !slices.Contains(set, v) {
		return errorf(ValidationError, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", v, field, strings.Join(set, ", "))
	}
	return nil
}

// arnRegion returns the region an ELB ARN names.
func arnRegion(arn string) string {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 {
		return ""
	}
	return p[3]
}

func (h *ELB) CreateLoadBalancer(ctx context.Context, in *elb.CreateLoadBalancerInput) (*elb.CreateLoadBalancerOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	name := aws.ToString(in.Name)
	if err := checkName("Load balancer", name); err != nil {
		return nil, err
	}
	if strings.HasPrefix(strings.ToLower(name), "internal-") {
		return nil, errorf(ValidationError, "Load balancer name '%s' cannot begin with 'internal-'", name)
	}
	typ := string(in.Type)
	if typ == "" {
		typ = "application"
	}
	if err := enum(typ, "type", "application", "network", "gateway"); err != nil {
		return nil, err
	}
	if typ == "gateway" {
		return nil, core.Errorf(core.NotImplemented, "The simulator does not implement Gateway Load Balancers.")
	}
	scheme := string(in.Scheme)
	if scheme == "" {
		scheme = "internet-facing"
	}
	if err := enum(scheme, "scheme", "internet-facing", "internal"); err != nil {
		return nil, err
	}
	ipType := string(in.IpAddressType)
	if ipType == "" {
		ipType = "ipv4"
	}
	if err := enum(ipType, "ipAddressType", "ipv4", "dualstack", "dualstack-without-public-ipv4"); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	ids, err := subnetIDs(in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	vpc, sns, err := h.placeSubnets(ctx, typ, ids)
	if err != nil {
		return nil, err
	}
	if scheme == "internet-facing" {
		if err := h.s.checkGateway(ctx, vpc); err != nil {
			return nil, err
		}
	}
	var sgs []string
	if typ == "application" || len(in.SecurityGroups) > 0 {
		if sgs, err = s.securityGroups(ctx, in.SecurityGroups, vpc); err != nil {
			return nil, err
		}
	}
	for i := range sns {
		sns[i].Node = nodeAddress(sns[i].CIDR, name)
	}
	var out *loadBalancer
	err = s.write(region, func(r *regionState) (bool, error) {
		for _, lb := range r.LBs {
			if lb.Name != name {
				continue
			}
			// Creating a load balancer that exists with the same settings answers it (the API
			// reference: "If you attempt to create multiple load balancers with the same name
			// and the same settings, each call succeeds").
			if lb.Type == typ && lb.Scheme == scheme && slices.Equal(lb.SecurityGroups, sgs) && slices.Equal(subnetList(lb.Subnets), subnetList(sns)) {
				out = cloneLB(lb)
				return false, nil
			}
			return false, errorf(DuplicateLoadBalancerName, "A load balancer with the same name '%s' exists, but with different settings", name)
		}
		id := s.ids.Hex("", 16)
		lb := &loadBalancer{
			ARN:  "arn:aws:elasticloadbalancing:" + region + ":" + s.account + ":loadbalancer/" + map[string]string{"application": "app", "network": "net"}[typ] + "/" + name + "/" + id,
			Name: name, Type: typ, Scheme: scheme, IPType: ipType, VPC: vpc, Subnets: sns, SecurityGroups: sgs,
			Created: s.clock.Now(), Attributes: lbAttributeDefaults(typ), Tags: tags,
		}
		lb.DNSName = dnsName(lb, region, s.ids)
		r.LBs[lb.ARN] = lb
		out = cloneLB(lb)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.CreateLoadBalancerOutput{LoadBalancers: []types.LoadBalancer{lbOut(out, region, s.clock.Now())}}, nil
}

// dnsName is a load balancer's DNS name in AWS's forms: name-1234567890.REGION.elb.amazonaws.com
// for an Application Load Balancer ("internal-" first when internal), and
// name-0123456789abcdef.elb.REGION.amazonaws.com for a Network Load Balancer.
func dnsName(lb *loadBalancer, region string, ids *core.IDs) string {
	if lb.Type == "network" {
		return strings.ToLower(lb.Name) + "-" + ids.Hex("", 16) + ".elb." + region + ".amazonaws.com"
	}
	n, _ := strconv.ParseUint(ids.Hex("", 15), 16, 64)
	num := strconv.FormatUint(1000000000+n%9000000000, 10)
	prefix := ""
	if lb.Scheme == "internal" {
		prefix = "internal-"
	}
	return prefix + strings.ToLower(lb.Name) + "-" + num + "." + region + ".elb.amazonaws.com"
}

func subnetList(sns []subnet) []string {
	var out []string
	for _, sn := range sns {
		out = append(out, sn.ID)
	}
	slices.Sort(out)
	return out
}

// subnetIDs takes the subnets from Subnets or SubnetMappings, not both.
func subnetIDs(ids []string, maps []types.SubnetMapping) ([]string, error) {
	if len(ids) > 0 && len(maps) > 0 {
		return nil, errorf(ValidationError, "Subnets and subnet mappings cannot be specified at the same time")
	}
	out := slices.Clone(ids)
	for _, m := range maps {
		if m.AllocationId != nil || m.PrivateIPv4Address != nil || m.IPv6Address != nil {
			return nil, core.Errorf(core.NotImplemented, "The simulator does not implement Elastic IP or private address subnet mappings.")
		}
		out = append(out, aws.ToString(m.SubnetId))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// placeSubnets resolves a load balancer's subnets and applies its type's rule: an
// Application Load Balancer needs subnets in two or more zones, a Network Load Balancer one.
func (h *ELB) placeSubnets(ctx context.Context, typ string, ids []string) (string, []subnet, error) {
	if typ == "application" && len(ids) < 2 {
		// AWS's words for an ALB given fewer than two subnets.
		return "", nil, errorf(ValidationError, "At least two subnets in two different Availability Zones must be specified")
	}
	if len(ids) == 0 {
		return "", nil, errorf(ValidationError, "At least one subnet must be specified")
	}
	return h.s.subnets(ctx, ids)
}

// checkGateway refuses an internet-facing load balancer in a VPC without an internet
// gateway, in AWS's words (quoted in terraform-provider-aws issues).
func (s *Store) checkGateway(ctx context.Context, vpc string) error {
	if s.ec2 == nil {
		return nil
	}
	res, err := s.ec2(ctx, "DescribeInternetGateways", &ec2.DescribeInternetGatewaysInput{
		Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}})
	if err != nil {
		return ec2Failure(err)
	}
	if len(res.(*ec2.DescribeInternetGatewaysOutput).InternetGateways) == 0 {
		return errorf(InvalidSubnet, "VPC %s has no internet gateway", vpc)
	}
	return nil
}

func cloneLB(lb *loadBalancer) *loadBalancer {
	cp := *lb
	cp.Subnets = slices.Clone(lb.Subnets)
	cp.SecurityGroups = slices.Clone(lb.SecurityGroups)
	cp.Attributes = maps.Clone(lb.Attributes)
	cp.Tags = slices.Clone(lb.Tags)
	return &cp
}

// lbOut is the load balancer as the API describes it at now.
func lbOut(lb *loadBalancer, region string, now time.Time) types.LoadBalancer {
	out := types.LoadBalancer{
		LoadBalancerArn: aws.String(lb.ARN), LoadBalancerName: aws.String(lb.Name), DNSName: aws.String(lb.DNSName),
		CreatedTime: aws.Time(lb.Created),
		Scheme:      types.LoadBalancerSchemeEnum(lb.Scheme), Type: types.LoadBalancerTypeEnum(lb.Type),
		IpAddressType: types.IpAddressType(lb.IPType), VpcId: aws.String(lb.VPC),
		State:          &types.LoadBalancerState{Code: types.LoadBalancerStateEnum(lb.state(now))},
		SecurityGroups: slices.Clone(lb.SecurityGroups),
	}
	if z := hostedZone(region, lb.Type); z != "" {
		out.CanonicalHostedZoneId = aws.String(z)
	}
	for _, sn := range lb.Subnets {
		az := types.AvailabilityZone{SubnetId: aws.String(sn.ID), ZoneName: aws.String(sn.AZ)}
		if lb.Type == "network" {
			az.LoadBalancerAddresses = []types.LoadBalancerAddress{}
		}
		out.AvailabilityZones = append(out.AvailabilityZones, az)
	}
	if lb.Type == "application" && out.SecurityGroups == nil {
		out.SecurityGroups = []string{}
	}
	return out
}

// findLB returns the load balancer an ARN names in r, or LoadBalancerNotFound.
func findLB(r *regionState, arn string) (*loadBalancer, error) {
	if r != nil {
		if lb := r.LBs[arn]; lb != nil {
			return lb, nil
		}
	}
	return nil, lbNotFound()
}

// page cuts a sorted list at an opaque marker (the base64 of the first key of the page) and
// a page size (1 to 400); next is the marker of the page after, "" at the end.
func page(keys []string, marker *string, size *int32) (from, to int, next string, err error) {
	n := 400
	if size != nil {
		if *size < 1 || *size > 400 {
			return 0, 0, "", errorf(ValidationError, "1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400", *size)
		}
		n = int(*size)
	}
	if m := aws.ToString(marker); m != "" {
		b, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil {
			return 0, 0, "", errorf(ValidationError, "Invalid marker '%s'", m)
		}
		from, _ = slices.BinarySearch(keys, string(b))
	}
	to = min(from+n, len(keys))
	if to < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte(keys[to]))
	}
	return from, to, next, nil
}

func (h *ELB) DescribeLoadBalancers(ctx context.Context, in *elb.DescribeLoadBalancersInput) (*elb.DescribeLoadBalancersOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	if len(in.Names) > 0 && len(in.LoadBalancerArns) > 0 {
		return nil, errorf(ValidationError, "Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	var lbs []*loadBalancer
	err := s.read(region, func(r *regionState) error {
		switch {
		case len(in.LoadBalancerArns) > 0:
			for _, a := range in.LoadBalancerArns {
				lb, err := findLB(r, a)
				if err != nil {
					return err
				}
				lbs = append(lbs, cloneLB(lb))
			}
		case len(in.Names) > 0:
			var missing []string
			for _, n := range in.Names {
				var found *loadBalancer
				if r != nil {
					for _, lb := range r.LBs {
						if lb.Name == n {
							found = lb
						}
					}
				}
				if found == nil {
					missing = append(missing, n)
					continue
				}
				lbs = append(lbs, cloneLB(found))
			}
			if len(missing) > 0 {
				return errorf(LoadBalancerNotFound, "Load balancers '[%s]' not found", strings.Join(missing, ", "))
			}
		case r != nil:
			for _, lb := range r.LBs {
				lbs = append(lbs, cloneLB(lb))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(lbs, func(a, b *loadBalancer) int { return strings.Compare(a.Name, b.Name) })
	lbs = slices.CompactFunc(lbs, func(a, b *loadBalancer) bool { return a.ARN == b.ARN })
	keys := make([]string, len(lbs))
	for i, lb := range lbs {
		keys[i] = lb.Name
	}
	from, to, next, err := page(keys, in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeLoadBalancersOutput{LoadBalancers: []types.LoadBalancer{}}
	now := s.clock.Now()
	for _, lb := range lbs[from:to] {
		out.LoadBalancers = append(out.LoadBalancers, lbOut(lb, region, now))
	}
	if next != "" {
		out.NextMarker = aws.String(next)
	}
	return out, nil
}

func (h *ELB) DeleteLoadBalancer(ctx context.Context, in *elb.DeleteLoadBalancerInput) (*elb.DeleteLoadBalancerOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	arn := aws.ToString(in.LoadBalancerArn)
	err := s.write(region, func(r *regionState) (bool, error) {
		lb := r.LBs[arn]
		if lb == nil {
			// Deleting a load balancer that does not exist succeeds (the API reference).
			if !strings.Contains(arn, ":loadbalancer/") {
				return false, errorf(ValidationError, "'%s' is not a valid load balancer ARN", arn)
			}
			return false, nil
		}
		if lb.Attributes["deletion_protection.enabled"] == "true" {
			return false, errorf(OperationNotPermitted, "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
		// Its listeners and their rules go with it.
		for la, l := range r.Listeners {
			if l.LB == arn {
				deleteListener(r, la)
			}
		}
		delete(r.LBs, arn)
		markUse(r, s.clock.Now())
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.DeleteLoadBalancerOutput{}, nil
}

func (h *ELB) SetSecurityGroups(ctx context.Context, in *elb.SetSecurityGroupsInput) (*elb.SetSecurityGroupsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	arn := aws.ToString(in.LoadBalancerArn)
	var lb *loadBalancer
	if err := s.read(region, func(r *regionState) error {
		l, err := findLB(r, arn)
		if err == nil {
			lb = cloneLB(l)
		}
		return err
	}); err != nil {
		return nil, err
	}
	if lb.Type == "network" && len(lb.SecurityGroups) == 0 {
		return nil, errorf(InvalidConfigurationRequest, "You cannot set security groups for a Network Load Balancer which was created without any security groups")
	}
	if lb.Type == "application" && len(in.SecurityGroups) == 0 {
		return nil, errorf(ValidationError, "At least one security group must be specified for an Application Load Balancer")
	}
	var sgs []string
	if len(in.SecurityGroups) > 0 {
		var err error
		if sgs, err = s.securityGroups(ctx, in.SecurityGroups, lb.VPC); err != nil {
			return nil, err
		}
	}
	err := s.write(region, func(r *regionState) (bool, error) {
		l, err := findLB(r, arn)
		if err != nil {
			return false, err
		}
		l.SecurityGroups = sgs
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.SetSecurityGroupsOutput{SecurityGroupIds: slices.Clone(sgs)}, nil
}

func (h *ELB) SetSubnets(ctx context.Context, in *elb.SetSubnetsInput) (*elb.SetSubnetsOutput, error) {
	s, region := h.s, core.RegionFrom(ctx)
	arn := aws.ToString(in.LoadBalancerArn)
	var lb *loadBalancer
	if err := s.read(region, func(r *regionState) error {
		l, err := findLB(r, arn)
		if err == nil {
			lb = cloneLB(l)
		}
		return err
	}); err != nil {
		return nil, err
	}
	ids, err := subnetIDs(in.Subnets, in.SubnetMappings)
	if err != nil {
		return nil, err
	}
	vpc, sns, err := h.placeSubnets(ctx, lb.Type, ids)
	if err != nil {
		return nil, err
	}
	if vpc != lb.VPC {
		return nil, errorf(InvalidConfigurationRequest, "The subnets must be in the load balancer's VPC '%s'", lb.VPC)
	}
	if lb.Type == "network" && len(sns) < len(lb.Subnets) {
		return nil, errorf(InvalidConfigurationRequest, "You cannot remove subnets from a Network Load Balancer")
	}
	for i := range sns {
		sns[i].Node = nodeAddress(sns[i].CIDR, lb.Name)
	}
	err = s.write(region, func(r *regionState) (bool, error) {
		l, err := findLB(r, arn)
		if err != nil {
			return false, err
		}
		l.Subnets = sns
		lb = cloneLB(l)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	o := lbOut(lb, region, s.clock.Now())
	return &elb.SetSubnetsOutput{AvailabilityZones: o.AvailabilityZones, IpAddressType: o.IpAddressType}, nil
}

// lbAttributeDefaults are a new load balancer's attributes, as DescribeLoadBalancerAttributes
// answers them for each type (the User Guides' "Load balancer attributes").
func lbAttributeDefaults(typ string) map[string]string {
	m := map[string]string{
		"access_logs.s3.enabled":                                   "false",
		"access_logs.s3.bucket":                                    "",
		"access_logs.s3.prefix":                                    "",
		"deletion_protection.enabled":                              "false",
		"load_balancing.cross_zone.enabled":                        "false",
		"zonal_shift.config.enabled":                               "false",
		"dns_record.client_routing_policy":                         "any_availability_zone",
		"ipv6.deny_all_igw_traffic":                                "false",
		"connection_logs.s3.enabled":                               "false",
		"connection_logs.s3.bucket":                                "",
		"connection_logs.s3.prefix":                                "",
		"idle_timeout.timeout_seconds":                             "60",
		"client_keep_alive.seconds":                                "3600",
		"routing.http2.enabled":                                    "true",
		"routing.http.desync_mitigation_mode":                      "defensive",
		"routing.http.drop_invalid_header_fields.enabled":          "false",
		"routing.http.preserve_host_header.enabled":                "false",
		"routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
		"routing.http.xff_client_port.enabled":                     "false",
		"routing.http.xff_header_processing.mode":                  "append",
		"waf.fail_open.enabled":                                    "false",
	}
	if typ == "application" {
		m["load_balancing.cross_zone.enabled"] = "true"
		delete(m, "dns_record.client_routing_policy")
		return m
	}
	for k := range m {
		if strings.HasPrefix(k, "routing.") || strings.HasPrefix(k, "connection_logs.") || k == "idle_timeout.timeout_seconds" ||
			k == "client_keep_alive.seconds" || k == "waf.fail_open.enabled" {
			delete(m, k)
		}
	}
	return m
}

// checkAttribute checks one attribute's value by the shape of its key.
func checkAttribute(what, k, v string) error {
	switch {
	case strings.HasSuffix(k, ".enabled") && k != "load_balancing.cross_zone.enabled" || k == "load_balancing.cross_zone.enabled" && what == "Load balancer":
		if v != "true" && v != "false" {
			return errorf(ValidationError, "%s attribute value '%s' for key '%s' must be 'true' or 'false'", what, v, k)
		}
	case strings.HasSuffix(k, "_seconds") || strings.HasSuffix(k, ".seconds"):
		n, err := strconv.Atoi(v)
		lo, hi := 0, 604800
		switch k {
		case "idle_timeout.timeout_seconds":
			lo, hi = 1, 4000
		case "deregistration_delay.timeout_seconds":
			hi = 3600
		case "client_keep_alive.seconds":
			lo, hi = 60, 604800
		case "slow_start.duration_seconds":
			hi = 900
		}
		if err != nil || n < lo || n > hi {
			return errorf(ValidationError, "%s attribute value '%s' for key '%s' must be an integer between %d and %d", what, v, k, lo, hi)
		}
	}
	return nil
}

// attributesOut is attributes m in key order, each made by mk: a load balancer's or a
// target group's.
func attributesOut[T any](m map[string]string, mk func(k, v *string) T) []T {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, mk(aws.String(k), aws.String(m[k])))
	}
	return out
}

func lbAttribute(k, v *string) types.LoadBalancerAttribute {
	return types.LoadBalancerAttribute{Key: k, Value: v}
}

func (h *ELB) DescribeLoadBalancerAttributes(ctx context.Context, in *elb.DescribeLoadBalancerAttributesInput) (*elb.DescribeLoadBalancerAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		lb, err := findLB(r, aws.ToString(in.LoadBalancerArn))
		if err == nil {
			attrs = maps.Clone(lb.Attributes)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &elb.DescribeLoadBalancerAttributesOutput{Attributes: attributesOut(attrs, lbAttribute)}, nil
}

func (h *ELB) ModifyLoadBalancerAttributes(ctx context.Context, in *elb.ModifyLoadBalancerAttributesInput) (*elb.ModifyLoadBalancerAttributesOutput, error) {
	var attrs map[string]string
	err := h.s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		lb, err := findLB(r, aws.ToString(in.LoadBalancerArn))
		if err != nil {
			return false, err
		}
		next := maps.Clone(lb.Attributes)
		for _, a := range in.Attributes {
			k, v := aws.ToString(a.Key), aws.ToString(a.Value)
			if _, ok := next[k]; !ok {
				return false, errorf(ValidationError, "Load balancer attribute key '%s' is not recognized", k)
			}
			if err := checkAttribute("Load balancer", k, v); err != nil {
				return false, err
			}
			next[k] = v
		}
		lb.Attributes = next
		attrs = maps.Clone(next)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.ModifyLoadBalancerAttributesOutput{Attributes: attributesOut(attrs, lbAttribute)}, nil
}
