package ec2sim

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// dhcpOptions is one DHCP options set: what a VPC's instances are told by DHCP. The simulator
// keeps and shows the options; no instance of it runs a resolver that reads them.
type dhcpOptions struct {
	meta
	Config []dhcpConfig // in the order of dhcpKeys
}

type dhcpConfig struct {
	Key    string
	Values []string
}

// dhcpState is a region's DHCP options sets and which VPC uses which. A VPC not in DHCPOf
// uses the region's default set (regionState.DHCPOptions), or none once that was deleted;
// noDHCP in DHCPOf is a VPC set to use none.
type dhcpState struct {
	DHCPSets map[string]*dhcpOptions `json:",omitempty"`
	DHCPOf   map[string]string       `json:",omitempty"`
}

// noDHCP is the DHCP options ID of a VPC that uses none: what AssociateDhcpOptions takes and
// DescribeVpcs shows.
const noDHCP = "default"

var dhcpKind = kind{"dopt", InvalidDhcpOptionsIDMalformed, InvalidDhcpOptionIDNotFound, "The dhcpOption ID '%s' does not exist", types.ResourceTypeDhcpOptions}

func init() {
	taggable[dhcpKind.prefix] = dhcpKind
	tagHolders = append(tagHolders, tagHolder{dhcpKind, func(r *regionState) []*meta { return metas(r.DHCPSets) }})
}

// dhcpKeys are the options a set may hold, with how many values each takes and the check
// of one value.
// https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html
var dhcpKeys = []dhcpKey{
	{"domain-name-servers", 4, func(v string) bool { return v == "AmazonProvidedDNS" || isIPv4(v) },
		"Specify AmazonProvidedDNS or up to four IPv4 addresses."},
	{"domain-name", 1, func(v string) bool { return v != "" && len(v) <= 255 && !strings.ContainsAny(v, ",;") },
		"Specify one domain name (several separated by spaces)."},
	{"ntp-servers", 4, func(v string) bool { _, err := netip.ParseAddr(v); return err == nil },
		"Specify up to four IP addresses."},
	{"netbios-name-servers", 4, isIPv4, "Specify up to four IPv4 addresses."},
	{"netbios-node-type", 1, func(v string) bool { return slices.Contains([]string{"1", "2", "4", "8"}, v) },
		"Valid values are 1, 2, 4 and 8."},
	{"ipv6-address-preferred-lease-time", 1, func(v string) bool {
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= 140 && n <= 2147483647
	}, "Specify a number of seconds from 140 to 2147483647."},
}

type dhcpKey struct {
	key   string
	max   int // values
	valid func(string) bool
	why   string // what a valid value is
}

func isIPv4(v string) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

// parseDHCP checks a CreateDhcpOptions request's configurations and returns them in the
// order of dhcpKeys, each key once.
func parseDHCP(in []types.NewDhcpConfiguration) ([]dhcpConfig, error) {
	if len(in) == 0 {
		return nil, missingParameter("dhcpConfiguration")
	}
	byKey := map[string][]string{}
	for _, c := range in {
		key := aws.ToString(c.Key)
		i := slices.IndexFunc(dhcpKeys, func(k dhcpKey) bool { return k.key == key })
		if i < 0 {
			return nil, invalidValue("key", key, "Unknown DHCP option.")
		}
		if _, dup := byKey[key]; dup {
			return nil, invalidValue("key", key, "The DHCP option is given more than once.")
		}
		k := dhcpKeys[i]
		if len(c.Values) == 0 || len(c.Values) > k.max {
			return nil, invalidValue("value", strings.Join(c.Values, ","), "Option "+key+": "+k.why)
		}
		for _, v := range c.Values {
			if !k.valid(v) {
				return nil, invalidValue("value", v, "Option "+key+": "+k.why)
			}
		}
		byKey[key] = slices.Clone(c.Values)
	}
	var out []dhcpConfig
	for _, k := range dhcpKeys {
		if vs, ok := byKey[k.key]; ok {
			out = append(out, dhcpConfig{k.key, vs})
		}
	}
	return out, nil
}

// newDefaultDHCP makes the region's default DHCP options set: Amazon's DNS server and the
// region's internal domain (ec2.internal in us-east-1, REGION.compute.internal elsewhere).
// https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSetConcepts.html#DHCPOptionSets
func (s *Store) newDefaultDHCP(r *regionState) {
	r.DHCPOptions = s.id("dopt")
	r.addDefaultDHCP()
}

func (r *regionState) addDefaultDHCP() {
	domain := r.Name + ".compute.internal"
	if r.Name == "us-east-1" {
		domain = "ec2.internal"
	}
	if r.DHCPSets == nil {
		r.DHCPSets = map[string]*dhcpOptions{}
	}
	r.DHCPSets[r.DHCPOptions] = &dhcpOptions{meta: r.newMeta(r.DHCPOptions, nil), Config: []dhcpConfig{
		{"domain-name", []string{domain}}, {"domain-name-servers", []string{"AmazonProvidedDNS"}},
	}}
}

// dhcpOfOldState gives a state saved before DHCP options sets were records its default set.
func (r *regionState) dhcpOfOldState() {
	if r.DHCPOptions != "" && r.DHCPSets[r.DHCPOptions] == nil {
		r.addDefaultDHCP()
	}
}

// dhcpOf returns the ID of the DHCP options set the VPC uses, or noDHCP.
func (r *regionState) dhcpOf(vpcID string) string {
	if id, ok := r.DHCPOf[vpcID]; ok {
		return id
	}
	if r.DHCPOptions == "" {
		return noDHCP
	}
	return r.DHCPOptions
}

func (s *Store) dhcpOut(d *dhcpOptions) types.DhcpOptions {
	out := types.DhcpOptions{DhcpOptionsId: aws.String(d.ID), OwnerId: aws.String(s.account), Tags: d.Tags.out(), DhcpConfigurations: []types.DhcpConfiguration{}}
	for _, c := range d.Config {
		dc := types.DhcpConfiguration{Key: aws.String(c.Key)}
		for _, v := range c.Values {
			dc.Values = append(dc.Values, types.AttributeValue{Value: aws.String(v)})
		}
		out.DhcpConfigurations = append(out.DhcpConfigurations, dc)
	}
	return out
}

// CreateDhcpOptions makes a DHCP options set.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDhcpOptions.html
func (h *EC2) CreateDhcpOptions(ctx context.Context, in *ec2.CreateDhcpOptionsInput) (*ec2.CreateDhcpOptionsOutput, error) {
	config, err := parseDHCP(in.DhcpConfigurations)
	if err != nil {
		return nil, err
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeDhcpOptions)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateDhcpOptionsOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		d := &dhcpOptions{meta: r.newMeta(s.id("dopt"), t), Config: config}
		if r.DHCPSets == nil {
			r.DHCPSets = map[string]*dhcpOptions{}
		}
		r.DHCPSets[d.ID] = d
		o := s.dhcpOut(d)
		out.DhcpOptions = &o
		return nil
	})
}

var dhcpFields = fields[types.DhcpOptions]{
	"dhcp-options-id": func(d types.DhcpOptions) []string { return one(*d.DhcpOptionsId) },
	"owner-id":        func(d types.DhcpOptions) []string { return one(*d.OwnerId) },
	"key": func(d types.DhcpOptions) []string {
		var out []string
		for _, c := range d.DhcpConfigurations {
			out = append(out, *c.Key)
		}
		return out
	},
	"value": func(d types.DhcpOptions) []string {
		var out []string
		for _, c := range d.DhcpConfigurations {
			for _, v := range c.Values {
				out = append(out, *v.Value)
			}
		}
		return out
	},
}

// DescribeDhcpOptions lists the region's DHCP options sets, the default one included.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeDhcpOptions.html
func (h *EC2) DescribeDhcpOptions(ctx context.Context, in *ec2.DescribeDhcpOptionsInput) (*ec2.DescribeDhcpOptionsOutput, error) {
	s := h.s
	out := &ec2.DescribeDhcpOptionsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		ds, err := pick(dhcpKind, r.DHCPSets, in.DhcpOptionsIds)
		if err != nil {
			return err
		}
		all := make([]types.DhcpOptions, len(ds))
		for i, d := range ds {
			all[i] = s.dhcpOut(d)
		}
		out.DhcpOptions, out.NextToken, err = describe(all, in.Filters, dhcpFields,
			func(d types.DhcpOptions) []types.Tag { return d.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteDhcpOptions refuses while a VPC uses the set; the region's default set may go too,
// after which new VPCs use none.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteDhcpOptions.html
func (h *EC2) DeleteDhcpOptions(ctx context.Context, in *ec2.DeleteDhcpOptionsInput) (*ec2.DeleteDhcpOptionsOutput, error) {
	if in.DhcpOptionsId == nil {
		return nil, missingParameter("dhcpOptionsId")
	}
	return &ec2.DeleteDhcpOptionsOutput{}, h.s.write(ctx, func(r *regionState) error {
		d, err := find(dhcpKind, r.DHCPSets, *in.DhcpOptionsId)
		if err != nil {
			return err
		}
		for _, v := range inOrder(r.VPCs) {
			if r.dhcpOf(v.ID) == d.ID {
				return core.Errorf(DependencyViolation, "The dhcpOptions '%s' has dependencies and cannot be deleted.", d.ID)
			}
		}
		delete(r.DHCPSets, d.ID)
		if r.DHCPOptions == d.ID {
			r.DHCPOptions = ""
		}
		return nil
	})
}

// AssociateDhcpOptions sets the DHCP options set a VPC uses; "default" sets none. Instances
// take the new options when their DHCP lease is renewed: nothing to do in the simulator.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateDhcpOptions.html
func (h *EC2) AssociateDhcpOptions(ctx context.Context, in *ec2.AssociateDhcpOptionsInput) (*ec2.AssociateDhcpOptionsOutput, error) {
	switch {
	case in.DhcpOptionsId == nil:
		return nil, missingParameter("dhcpOptionsId")
	case in.VpcId == nil:
		return nil, missingParameter("vpcId")
	}
	return &ec2.AssociateDhcpOptionsOutput{}, h.s.write(ctx, func(r *regionState) error {
		id := *in.DhcpOptionsId
		if id != noDHCP {
			if _, err := find(dhcpKind, r.DHCPSets, id); err != nil {
				return err
			}
		}
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		if r.DHCPOf == nil {
			r.DHCPOf = map[string]string{}
		}
		for vpcID := range r.DHCPOf {
			if r.VPCs[vpcID] == nil {
				delete(r.DHCPOf, vpcID) // of a VPC deleted since
			}
		}
		r.DHCPOf[v.ID] = id
		return nil
	})
}
