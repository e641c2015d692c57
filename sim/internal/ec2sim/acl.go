package ec2sim

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// networkACL is a network ACL of a VPC: its default one, made with the VPC, or one of the
// account's own. Its numbered rules are records; the catch-all rule of each direction (*,
// numbered 32767, deny) is not stored, since nothing can change it.
type networkACL struct {
	meta
	VPC     string
	Custom  bool // made by CreateNetworkAcl: not the VPC's default
	Entries []aclEntry
	Assocs  []association
	// Stored is set on every ACL whose rules are records; a state saved before rules were
	// records has default ACLs without it, which get the default rules when loaded.
	Stored bool
}

// aclEntry is one numbered rule of a network ACL.
// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
type aclEntry struct {
	Number   int32
	Egress   bool
	Protocol string // "-1" for all, else the protocol's number ("6" tcp, "17" udp, "1" icmp)
	Allow    bool
	CIDR     string `json:",omitempty"`
	CIDRv6   string `json:",omitempty"`
	From, To int32  // the port range of tcp and udp rules
	Type     int32  // the ICMP type and code of icmp rules, -1 for all
	Code     int32
}

// catchAll is the number of the rule that ends every list: it denies what no rule allowed.
const catchAll = 32767

var aclAssocKind = kind{"aclassoc", InvalidAssociationIDMalformed, InvalidAssociationIDNotFound, "The association ID '%s' does not exist", ""}

// newNetworkACL makes a VPC's default network ACL, whose rules 100 allow all traffic in each
// direction. https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
func (s *Store) newNetworkACL(r *regionState, v *vpc) *networkACL {
	a := &networkACL{meta: r.newMeta(s.id("acl"), nil), VPC: v.ID, Entries: defaultACLEntries(), Stored: true}
	r.ACLs[a.ID] = a
	return a
}

func defaultACLEntries() []aclEntry {
	return []aclEntry{
		{Number: 100, Egress: true, Protocol: "-1", Allow: true, CIDR: "0.0.0.0/0"},
		{Number: 100, Egress: false, Protocol: "-1", Allow: true, CIDR: "0.0.0.0/0"},
	}
}

// aclsOfOldState gives the default ACLs of a state saved before rules were records the rules
// they then always had.
func (r *regionState) aclsOfOldState() {
	for _, a := range r.ACLs {
		if !a.Stored {
			a.Entries, a.Stored = defaultACLEntries(), true
		}
	}
}

func (r *regionState) defaultACL(vpcID string) *networkACL {
	for _, a := range r.ACLs {
		if a.VPC == vpcID && !a.Custom {
			return a
		}
	}
	return nil
}

// subnetACL returns the network ACL the subnet is associated with.
func (r *regionState) subnetACL(subnetID string) *networkACL {
	for _, a := range r.ACLs {
		for _, as := range a.Assocs {
			if as.Subnet == subnetID {
				return a
			}
		}
	}
	return nil
}

// sorted returns the ACL's rules as they are evaluated: by number, each direction apart, each
// ending in its catch-all rule.
func (a *networkACL) sorted(egress bool) []aclEntry {
	var out []aclEntry
	for _, e := range a.Entries {
		if e.Egress == egress {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(x, y aclEntry) int { return cmp.Compare(x.Number, y.Number) })
	return append(out, aclEntry{Number: catchAll, Egress: egress, Protocol: "-1", CIDR: "0.0.0.0/0"})
}

func (e aclEntry) out() types.NetworkAclEntry {
	o := types.NetworkAclEntry{Egress: aws.Bool(e.Egress), Protocol: aws.String(e.Protocol), RuleNumber: aws.Int32(e.Number), RuleAction: types.RuleActionDeny}
	if e.Allow {
		o.RuleAction = types.RuleActionAllow
	}
	if e.CIDR != "" {
		o.CidrBlock = aws.String(e.CIDR)
	}
	if e.CIDRv6 != "" {
		o.Ipv6CidrBlock = aws.String(e.CIDRv6)
	}
	switch e.Protocol {
	case "6", "17":
		o.PortRange = &types.PortRange{From: aws.Int32(e.From), To: aws.Int32(e.To)}
	case "1":
		o.IcmpTypeCode = &types.IcmpTypeCode{Type: aws.Int32(e.Type), Code: aws.Int32(e.Code)}
	}
	return o
}

func (s *Store) networkACLOut(a *networkACL) types.NetworkAcl {
	out := types.NetworkAcl{
		NetworkAclId: aws.String(a.ID), VpcId: aws.String(a.VPC), IsDefault: aws.Bool(!a.Custom), OwnerId: aws.String(s.account),
		Entries: []types.NetworkAclEntry{}, Associations: []types.NetworkAclAssociation{}, Tags: a.Tags.out(),
	}
	// EC2 lists the outbound rules, then the inbound ones, each by number.
	for _, egress := range []bool{true, false} {
		for _, e := range a.sorted(egress) {
			out.Entries = append(out.Entries, e.out())
		}
	}
	for _, as := range a.Assocs {
		out.Associations = append(out.Associations, types.NetworkAclAssociation{
			NetworkAclAssociationId: aws.String(as.ID), NetworkAclId: aws.String(a.ID), SubnetId: aws.String(as.Subnet),
		})
	}
	return out
}

// entryValues returns a value of each of an ACL's rules, for the entry.* filters.
func entryValues(a types.NetworkAcl, get func(types.NetworkAclEntry) string) []string {
	var out []string
	for _, e := range a.Entries {
		if v := get(e); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func int32Value(p *int32) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(int(*p))
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html
var networkACLFields = fields[types.NetworkAcl]{
	"network-acl-id": func(a types.NetworkAcl) []string { return one(*a.NetworkAclId) },
	"vpc-id":         func(a types.NetworkAcl) []string { return one(*a.VpcId) },
	"default":        func(a types.NetworkAcl) []string { return boolValue(*a.IsDefault) },
	"owner-id":       func(a types.NetworkAcl) []string { return one(*a.OwnerId) },
	"association.subnet-id": func(a types.NetworkAcl) []string {
		var out []string
		for _, as := range a.Associations {
			out = append(out, *as.SubnetId)
		}
		return out
	},
	"association.association-id": func(a types.NetworkAcl) []string {
		var out []string
		for _, as := range a.Associations {
			out = append(out, *as.NetworkAclAssociationId)
		}
		return out
	},
	"association.network-acl-id": func(a types.NetworkAcl) []string {
		var out []string
		for _, as := range a.Associations {
			out = append(out, *as.NetworkAclId)
		}
		return out
	},
	"entry.cidr": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return aws.ToString(e.CidrBlock) })
	},
	"entry.ipv6-cidr": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return aws.ToString(e.Ipv6CidrBlock) })
	},
	"entry.egress": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return strconv.FormatBool(*e.Egress) })
	},
	"entry.protocol": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return *e.Protocol })
	},
	"entry.rule-action": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return string(e.RuleAction) })
	},
	"entry.rule-number": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string { return int32Value(e.RuleNumber) })
	},
	"entry.port-range.from": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string {
			if e.PortRange == nil {
				return ""
			}
			return int32Value(e.PortRange.From)
		})
	},
	"entry.port-range.to": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string {
			if e.PortRange == nil {
				return ""
			}
			return int32Value(e.PortRange.To)
		})
	},
	"entry.icmp.type": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string {
			if e.IcmpTypeCode == nil {
				return ""
			}
			return int32Value(e.IcmpTypeCode.Type)
		})
	},
	"entry.icmp.code": func(a types.NetworkAcl) []string {
		return entryValues(a, func(e types.NetworkAclEntry) string {
			if e.IcmpTypeCode == nil {
				return ""
			}
			return int32Value(e.IcmpTypeCode.Code)
		})
	},
}

// DescribeNetworkAcls lists the region's network ACLs.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html
func (h *EC2) DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput) (*ec2.DescribeNetworkAclsOutput, error) {
	s := h.s
	out := &ec2.DescribeNetworkAclsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		as, err := pick(aclKind, r.ACLs, in.NetworkAclIds)
		if err != nil {
			return err
		}
		all := make([]types.NetworkAcl, len(as))
		for i, a := range as {
			all[i] = s.networkACLOut(a)
		}
		out.NetworkAcls, out.NextToken, err = describe(all, in.Filters, networkACLFields,
			func(a types.NetworkAcl) []types.Tag { return a.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// CreateNetworkAcl makes a network ACL of the VPC's with no rules but the catch-all ones:
// it denies everything until rules are added, and no subnet uses it until one is associated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAcl.html
func (h *EC2) CreateNetworkAcl(ctx context.Context, in *ec2.CreateNetworkAclInput) (*ec2.CreateNetworkAclOutput, error) {
	if in.VpcId == nil {
		return nil, missingParameter("vpcId")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeNetworkAcl)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateNetworkAclOutput{ClientToken: in.ClientToken}
	return out, s.write(ctx, func(r *regionState) error {
		v, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		a := &networkACL{meta: r.newMeta(s.id("acl"), t), VPC: v.ID, Custom: true, Stored: true}
		r.ACLs[a.ID] = a
		o := s.networkACLOut(a)
		out.NetworkAcl = &o
		return nil
	})
}

// DeleteNetworkAcl deletes one of the account's own network ACLs that no subnet uses.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkAcl.html
func (h *EC2) DeleteNetworkAcl(ctx context.Context, in *ec2.DeleteNetworkAclInput) (*ec2.DeleteNetworkAclOutput, error) {
	if in.NetworkAclId == nil {
		return nil, missingParameter("networkAclId")
	}
	return &ec2.DeleteNetworkAclOutput{}, h.s.write(ctx, func(r *regionState) error {
		a, err := find(aclKind, r.ACLs, *in.NetworkAclId)
		if err != nil {
			return err
		}
		if !a.Custom {
			return core.Errorf(InvalidParameterValue, "cannot delete default network ACL %s", a.ID)
		}
		if len(a.Assocs) > 0 {
			return core.Errorf(DependencyViolation, "The networkAcl '%s' has dependencies and cannot be deleted.", a.ID)
		}
		delete(r.ACLs, a.ID)
		return nil
	})
}

// aclEntryRequest is what CreateNetworkAclEntry and ReplaceNetworkAclEntry take, checked.
func aclEntryRequest(acl, proto *string, action types.RuleAction, number *int32, egress *bool, cidr, cidr6 *string,
	pr *types.PortRange, icmp *types.IcmpTypeCode) (aclEntry, error) {
	var e aclEntry
	switch {
	case acl == nil:
		return e, missingParameter("networkAclId")
	case number == nil:
		return e, missingParameter("ruleNumber")
	case proto == nil:
		return e, missingParameter("protocol")
	case action == "":
		return e, missingParameter("ruleAction")
	case egress == nil:
		return e, missingParameter("egress")
	}
	// https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html: 1 to 32766.
	if *number < 1 || *number > catchAll-1 {
		return e, invalidValue("ruleNumber", strconv.Itoa(int(*number)), "Rulenumber must be in range 1..32766")
	}
	e.Number, e.Egress = *number, *egress
	switch action {
	case types.RuleActionAllow:
		e.Allow = true
	case types.RuleActionDeny:
	default:
		return e, invalidValue("ruleAction", string(action), "Valid values are allow and deny.")
	}
	p, err := protocol(proto)
	if err != nil {
		return e, err
	}
	// Network ACLs show protocols by number; all of them is -1.
	e.Protocol = map[string]string{"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}[p]
	if e.Protocol == "" {
		e.Protocol = p
	}
	switch {
	case cidr != nil && cidr6 != nil:
		return e, core.Errorf(InvalidParameterCombination, "The request may contain only one of cidrBlock and ipv6CidrBlock")
	case cidr != nil:
		if e.CIDR, err = ruleCIDR(*cidr, false); err != nil {
			return e, invalidValue("cidrBlock", *cidr, "This is not a valid CIDR block.")
		}
		e.CIDR = netip.MustParsePrefix(e.CIDR).Masked().String()
	case cidr6 != nil:
		if e.CIDRv6, err = ruleCIDR(*cidr6, true); err != nil {
			return e, invalidValue("ipv6CidrBlock", *cidr6, "This is not a valid CIDR block.")
		}
		e.CIDRv6 = netip.MustParsePrefix(e.CIDRv6).Masked().String()
	default:
		return e, missingParameter("cidrBlock or ipv6CidrBlock")
	}
	switch e.Protocol {
	case "6", "17":
		if pr == nil || pr.From == nil || pr.To == nil {
			return e, missingParameter("portRange")
		}
		e.From, e.To = *pr.From, *pr.To
		if e.From < 0 || e.To > 65535 || e.From > e.To {
			return e, invalidValue("portRange", strconv.Itoa(int(e.From))+"-"+strconv.Itoa(int(e.To)), "Ports must be between 0 and 65535, from no greater than to.")
		}
	case "1":
		if icmp == nil || icmp.Type == nil || icmp.Code == nil {
			return e, missingParameter("icmpTypeCode")
		}
		e.Type, e.Code = *icmp.Type, *icmp.Code
		if e.Type < -1 || e.Type > 255 || e.Code < -1 || e.Code > 255 {
			return e, invalidValue("icmpTypeCode", strconv.Itoa(int(e.Type))+"/"+strconv.Itoa(int(e.Code)), "ICMP types and codes are -1 to 255.")
		}
	}
	return e, nil
}

// entryIndex returns the index of the ACL's rule with the number in the direction, or -1.
func (a *networkACL) entryIndex(number int32, egress bool) int {
	return slices.IndexFunc(a.Entries, func(e aclEntry) bool { return e.Number == number && e.Egress == egress })
}

// CreateNetworkAclEntry adds a numbered rule; the number must be free in its direction.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html
func (h *EC2) CreateNetworkAclEntry(ctx context.Context, in *ec2.CreateNetworkAclEntryInput) (*ec2.CreateNetworkAclEntryOutput, error) {
	e, err := aclEntryRequest(in.NetworkAclId, in.Protocol, in.RuleAction, in.RuleNumber, in.Egress, in.CidrBlock, in.Ipv6CidrBlock, in.PortRange, in.IcmpTypeCode)
	if err != nil {
		return nil, err
	}
	return &ec2.CreateNetworkAclEntryOutput{}, h.s.write(ctx, func(r *regionState) error {
		a, err := find(aclKind, r.ACLs, *in.NetworkAclId)
		if err != nil {
			return err
		}
		if a.entryIndex(e.Number, e.Egress) >= 0 {
			return core.Errorf(NetworkAclEntryAlreadyExists, "The network acl entry identified by %d already exists.", e.Number)
		}
		if n := len(a.sorted(e.Egress)) - 1; n >= maxACLEntries {
			return core.Errorf(NetworkAclEntryLimitExceeded, "The maximum number of network acl entries has been reached.")
		}
		a.Entries = append(a.Entries, e)
		return nil
	})
}

// maxACLEntries is the default quota of rules per network ACL and direction.
// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
const maxACLEntries = 20

func entryNotFound(number int32) error {
	return core.Errorf(InvalidNetworkAclEntryNotFound, "The network acl entry identified by %d does not exist", number)
}

// ReplaceNetworkAclEntry replaces a numbered rule that exists.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceNetworkAclEntry.html
func (h *EC2) ReplaceNetworkAclEntry(ctx context.Context, in *ec2.ReplaceNetworkAclEntryInput) (*ec2.ReplaceNetworkAclEntryOutput, error) {
	e, err := aclEntryRequest(in.NetworkAclId, in.Protocol, in.RuleAction, in.RuleNumber, in.Egress, in.CidrBlock, in.Ipv6CidrBlock, in.PortRange, in.IcmpTypeCode)
	if err != nil {
		return nil, err
	}
	return &ec2.ReplaceNetworkAclEntryOutput{}, h.s.write(ctx, func(r *regionState) error {
		a, err := find(aclKind, r.ACLs, *in.NetworkAclId)
		if err != nil {
			return err
		}
		i := a.entryIndex(e.Number, e.Egress)
		if i < 0 {
			return entryNotFound(e.Number)
		}
		a.Entries[i] = e
		return nil
	})
}

// DeleteNetworkAclEntry deletes a numbered rule; the catch-all rule cannot go.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkAclEntry.html
func (h *EC2) DeleteNetworkAclEntry(ctx context.Context, in *ec2.DeleteNetworkAclEntryInput) (*ec2.DeleteNetworkAclEntryOutput, error) {
	switch {
	case in.NetworkAclId == nil:
		return nil, missingParameter("networkAclId")
	case in.RuleNumber == nil:
		return nil, missingParameter("ruleNumber")
	case in.Egress == nil:
		return nil, missingParameter("egress")
	}
	if n := *in.RuleNumber; n < 1 || n > catchAll-1 {
		return nil, invalidValue("ruleNumber", strconv.Itoa(int(n)), "Rulenumber must be in range 1..32766")
	}
	return &ec2.DeleteNetworkAclEntryOutput{}, h.s.write(ctx, func(r *regionState) error {
		a, err := find(aclKind, r.ACLs, *in.NetworkAclId)
		if err != nil {
			return err
		}
		i := a.entryIndex(*in.RuleNumber, *in.Egress)
		if i < 0 {
			return entryNotFound(*in.RuleNumber)
		}
		a.Entries = slices.Delete(a.Entries, i, i+1)
		return nil
	})
}

// ReplaceNetworkAclAssociation moves a subnet to another network ACL of its VPC; the
// association gets a new ID. The association IDs are those DescribeNetworkAcls shows.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceNetworkAclAssociation.html
func (h *EC2) ReplaceNetworkAclAssociation(ctx context.Context, in *ec2.ReplaceNetworkAclAssociationInput) (*ec2.ReplaceNetworkAclAssociationOutput, error) {
	switch {
	case in.AssociationId == nil:
		return nil, missingParameter("associationId")
	case in.NetworkAclId == nil:
		return nil, missingParameter("networkAclId")
	}
	s := h.s
	out := &ec2.ReplaceNetworkAclAssociationOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		id := *in.AssociationId
		if !aclAssocKind.wellFormed(id) {
			return aclAssocKind.malformedError(id)
		}
		to, err := find(aclKind, r.ACLs, *in.NetworkAclId)
		if err != nil {
			return err
		}
		for _, from := range r.ACLs {
			i := slices.IndexFunc(from.Assocs, func(as association) bool { return as.ID == id })
			if i < 0 {
				continue
			}
			sn := from.Assocs[i].Subnet
			if from.VPC != to.VPC {
				return core.Errorf(InvalidParameterValue, "Network acl %s and subnet %s belong to different networks", to.ID, sn)
			}
			from.Assocs = slices.Delete(from.Assocs, i, i+1)
			as := association{ID: s.id("aclassoc"), Subnet: sn}
			to.Assocs = append(to.Assocs, as)
			out.NewAssociationId = aws.String(as.ID)
			return nil
		}
		return aclAssocKind.notFoundError(id)
	})
}
