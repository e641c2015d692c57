package ec2sim

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// prefixList is a managed prefix list: the account's own, or one AWS manages for a service
// (awsPrefixLists), which no request changes.
type prefixList struct {
	meta
	Name        string
	IPv6        bool
	MaxEntries  int32
	Versions    [][]plEntry // the entries of each version, from version 1
	ClientToken string      `json:",omitempty"`
	aws         bool        // AWS's own: made by awsPrefixLists, never stored
}

type plEntry struct {
	CIDR        string
	Description string `json:",omitempty"`
}

func (p *prefixList) version() int64     { return int64(len(p.Versions)) }
func (p *prefixList) entries() []plEntry { return p.Versions[len(p.Versions)-1] }

// plState is a region's prefix lists of the account's own.
type plState struct {
	PrefixLists map[string]*prefixList `json:",omitempty"`
}

var prefixListKind = kind{"pl", InvalidPrefixListIDMalformed, InvalidPrefixListIDNotFound, "The prefix list ID '%s' does not exist", types.ResourceTypePrefixList}

func init() {
	taggable[prefixListKind.prefix] = prefixListKind
	tagHolders = append(tagHolders, tagHolder{prefixListKind, func(r *regionState) []*meta { return metas(r.PrefixLists) }})
}

// The address ranges of the services AWS manages prefix lists for, in us-east-1 as AWS
// publishes them (https://ip-ranges.amazonaws.com/ip-ranges.json, service S3 and DYNAMODB);
// other regions' lists are made from these by region, deterministic and not AWS's.
var servicePrefixes = map[string][]string{
	"s3":       {"3.5.0.0/19", "16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21", "52.216.0.0/15", "54.231.0.0/16"},
	"dynamodb": {"3.218.180.0/23", "3.218.182.0/24", "52.94.0.0/22", "52.119.224.0/20"},
}

// awsPrefixLists returns the prefix lists AWS manages in the region: one per gateway
// endpoint service, named com.amazonaws.REGION.SERVICE, their IDs deterministic.
// https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html
func awsPrefixLists(region string) []*prefixList {
	var out []*prefixList
	for _, svc := range []string{"dynamodb", "s3"} {
		h := fnv.New32a()
		h.Write([]byte(region + "/" + svc))
		sum := h.Sum32()
		var es []plEntry
		for _, c := range servicePrefixes[svc] {
			p := netip.MustParsePrefix(c)
			if region != "us-east-1" {
				a := p.Addr().As4()
				a[1] ^= byte(sum) // another /16 of the same /8 per region
				p = netip.PrefixFrom(netip.AddrFrom4(a), p.Bits()).Masked()
			}
			es = append(es, plEntry{CIDR: p.String()})
		}
		out = append(out, &prefixList{meta: meta{ID: fmt.Sprintf("pl-%08x", sum), Tags: tags{}}, Name: "com.amazonaws." + region + "." + svc,
			MaxEntries: int32(len(es)), Versions: [][]plEntry{es}, aws: true})
	}
	return out
}

// servicePrefixList returns the prefix list AWS manages for a service name
// (com.amazonaws.REGION.s3), or nil.
func servicePrefixList(region, service string) *prefixList {
	for _, p := range awsPrefixLists(region) {
		if p.Name == service {
			return p
		}
	}
	return nil
}

// prefixLists returns the region's prefix lists: AWS's, then the account's in creation order.
func (r *regionState) prefixLists() map[string]*prefixList {
	out := map[string]*prefixList{}
	for _, p := range awsPrefixLists(r.Name) {
		out[p.ID] = p
	}
	for id, p := range r.PrefixLists {
		out[id] = p
	}
	return out
}

func (s *Store) prefixListOut(region string, p *prefixList) types.ManagedPrefixList {
	family, owner, state := "IPv4", s.account, types.PrefixListStateCreateComplete
	if p.IPv6 {
		family = "IPv6"
	}
	if p.aws {
		owner = "AWS"
	} else if p.version() > 1 {
		state = types.PrefixListStateModifyComplete
	}
	out := types.ManagedPrefixList{
		PrefixListId: aws.String(p.ID), PrefixListName: aws.String(p.Name), AddressFamily: aws.String(family), OwnerId: aws.String(owner),
		State: state, Tags: p.Tags.out(), PrefixListArn: aws.String("arn:aws:ec2:" + region + ":" + owner + ":prefix-list/" + p.ID),
	}
	if !p.aws {
		out.MaxEntries, out.Version = aws.Int32(p.MaxEntries), aws.Int64(p.version())
		out.PrefixListArn = aws.String(s.arn(region, "prefix-list/"+p.ID))
	}
	return out
}

// parseEntries checks a request's entries for a list of the family.
func parseEntries(in []types.AddPrefixListEntry, ipv6 bool) ([]plEntry, error) {
	var out []plEntry
	for _, e := range in {
		c := aws.ToString(e.Cidr)
		p, err := netip.ParsePrefix(c)
		if err != nil || p.Addr().Is6() != ipv6 || p.Addr().Is4In6() {
			return nil, invalidValue("Cidr", c, "The CIDR is not a valid block of the prefix list's address family.")
		}
		c = p.Masked().String()
		if slices.ContainsFunc(out, func(o plEntry) bool { return o.CIDR == c }) {
			return nil, core.Errorf(InvalidRequest, "The request contains the entry %s more than once.", c)
		}
		if len(aws.ToString(e.Description)) > 255 {
			return nil, invalidValue("Description", aws.ToString(e.Description), "A description is at most 255 characters.")
		}
		out = append(out, plEntry{CIDR: c, Description: aws.ToString(e.Description)})
	}
	return out, nil
}

// CreateManagedPrefixList makes a prefix list of the account's own.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateManagedPrefixList.html
func (h *EC2) CreateManagedPrefixList(ctx context.Context, in *ec2.CreateManagedPrefixListInput) (*ec2.CreateManagedPrefixListOutput, error) {
	switch {
	case in.PrefixListName == nil:
		return nil, missingParameter("prefixListName")
	case in.MaxEntries == nil:
		return nil, missingParameter("maxEntries")
	case in.AddressFamily == nil:
		return nil, missingParameter("addressFamily")
	case *in.AddressFamily != "IPv4" && *in.AddressFamily != "IPv6":
		return nil, invalidValue("addressFamily", *in.AddressFamily, "Valid values are IPv4 and IPv6.")
	case *in.MaxEntries < 1 || *in.MaxEntries > 1000:
		return nil, invalidValue("maxEntries", fmt.Sprint(*in.MaxEntries), "The maximum number of entries is 1 to 1000.")
	case strings.HasPrefix(strings.ToLower(*in.PrefixListName), "com.amazonaws") || *in.PrefixListName == "" || len(*in.PrefixListName) > 255:
		return nil, invalidValue("prefixListName", *in.PrefixListName, "A name is 1 to 255 characters and cannot start with com.amazonaws.")
	}
	ipv6 := *in.AddressFamily == "IPv6"
	es, err := parseEntries(in.Entries, ipv6)
	if err != nil {
		return nil, err
	}
	if len(es) > int(*in.MaxEntries) {
		return nil, core.Errorf(PrefixListMaxEntriesExceeded, "The prefix list has more entries (%d) than its maximum (%d).", len(es), *in.MaxEntries)
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypePrefixList)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateManagedPrefixListOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, p := range inOrder(r.PrefixLists) {
				if p.ClientToken == tok {
					o := s.prefixListOut(r.Name, p)
					out.PrefixList = &o
					return nil
				}
			}
		}
		p := &prefixList{meta: r.newMeta(s.id("pl"), t), Name: *in.PrefixListName, IPv6: ipv6, MaxEntries: *in.MaxEntries,
			Versions: [][]plEntry{es}, ClientToken: aws.ToString(in.ClientToken)}
		if r.PrefixLists == nil {
			r.PrefixLists = map[string]*prefixList{}
		}
		r.PrefixLists[p.ID] = p
		o := s.prefixListOut(r.Name, p)
		o.State = types.PrefixListStateCreateInProgress // as AWS answers; described, it is create-complete
		out.PrefixList = &o
		return nil
	})
}

var prefixListFields = fields[types.ManagedPrefixList]{
	"owner-id":         func(p types.ManagedPrefixList) []string { return one(*p.OwnerId) },
	"prefix-list-id":   func(p types.ManagedPrefixList) []string { return one(*p.PrefixListId) },
	"prefix-list-name": func(p types.ManagedPrefixList) []string { return one(*p.PrefixListName) },
}

// DescribeManagedPrefixLists lists AWS's prefix lists of the region and the account's.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeManagedPrefixLists.html
func (h *EC2) DescribeManagedPrefixLists(ctx context.Context, in *ec2.DescribeManagedPrefixListsInput) (*ec2.DescribeManagedPrefixListsOutput, error) {
	s := h.s
	out := &ec2.DescribeManagedPrefixListsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		ps, err := pick(prefixListKind, r.prefixLists(), in.PrefixListIds)
		if err != nil {
			return err
		}
		sortPrefixLists(ps)
		all := make([]types.ManagedPrefixList, len(ps))
		for i, p := range ps {
			all[i] = s.prefixListOut(r.Name, p)
		}
		if all, err = where(in.Filters, prefixListFields, func(p types.ManagedPrefixList) []types.Tag { return p.Tags }, all); err != nil {
			return err
		}
		out.PrefixLists, out.NextToken, err = page(all, in.MaxResults, in.NextToken, 1, 100)
		out.PrefixLists = nonNil(out.PrefixLists)
		return err
	})
}

// GetManagedPrefixListEntries lists a prefix list's entries, of its current version or of an
// earlier one.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetManagedPrefixListEntries.html
func (h *EC2) GetManagedPrefixListEntries(ctx context.Context, in *ec2.GetManagedPrefixListEntriesInput) (*ec2.GetManagedPrefixListEntriesOutput, error) {
	if in.PrefixListId == nil {
		return nil, missingParameter("prefixListId")
	}
	s := h.s
	out := &ec2.GetManagedPrefixListEntriesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		p, err := find(prefixListKind, r.prefixLists(), *in.PrefixListId)
		if err != nil {
			return err
		}
		es := p.entries()
		if v := in.TargetVersion; v != nil {
			if *v < 1 || *v > p.version() {
				return invalidValue("targetVersion", fmt.Sprint(*v), fmt.Sprintf("The prefix list %s has versions 1 to %d.", p.ID, p.version()))
			}
			es = p.Versions[*v-1]
		}
		all := make([]types.PrefixListEntry, len(es))
		for i, e := range es {
			all[i] = types.PrefixListEntry{Cidr: aws.String(e.CIDR)}
			if e.Description != "" {
				all[i].Description = aws.String(e.Description)
			}
		}
		out.Entries, out.NextToken, err = page(all, in.MaxResults, in.NextToken, 1, 100)
		out.Entries = nonNil(out.Entries)
		return err
	})
}

// ModifyManagedPrefixList adds and removes entries of a list of the account's own, or
// renames it, or changes its maximum: each change of the entries is a new version, and
// CurrentVersion, when given, must be the current one.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyManagedPrefixList.html
func (h *EC2) ModifyManagedPrefixList(ctx context.Context, in *ec2.ModifyManagedPrefixListInput) (*ec2.ModifyManagedPrefixListOutput, error) {
	if in.PrefixListId == nil {
		return nil, missingParameter("prefixListId")
	}
	if in.MaxEntries != nil && (len(in.AddEntries) > 0 || len(in.RemoveEntries) > 0) {
		return nil, core.Errorf(InvalidParameterCombination, "The maximum number of entries cannot be changed with the entries.")
	}
	s := h.s
	out := &ec2.ModifyManagedPrefixListOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		p, err := find(prefixListKind, r.prefixLists(), *in.PrefixListId)
		if err != nil {
			return err
		}
		if p.aws {
			return core.Errorf(InvalidPrefixListModification, "The prefix list %s is managed by AWS and cannot be modified.", p.ID)
		}
		if v := in.CurrentVersion; v != nil && *v != p.version() {
			return core.Errorf(PrefixListVersionMismatch, "The prefix list %s has version %d, not %d.", p.ID, p.version(), *v)
		}
		add, err := parseEntries(in.AddEntries, p.IPv6)
		if err != nil {
			return err
		}
		es := slices.Clone(p.entries())
		for _, rm := range in.RemoveEntries {
			c := aws.ToString(rm.Cidr)
			if pre, err := netip.ParsePrefix(c); err == nil {
				c = pre.Masked().String()
			}
			i := slices.IndexFunc(es, func(e plEntry) bool { return e.CIDR == c })
			if i < 0 {
				return core.Errorf(InvalidPrefixListModification, "The prefix list %s has no entry %s.", p.ID, c)
			}
			es = slices.Delete(es, i, i+1)
		}
		for _, a := range add {
			if i := slices.IndexFunc(es, func(e plEntry) bool { return e.CIDR == a.CIDR }); i >= 0 {
				es[i] = a // a new description
			} else {
				es = append(es, a)
			}
		}
		max := p.MaxEntries
		if in.MaxEntries != nil {
			if *in.MaxEntries < 1 || *in.MaxEntries > 1000 {
				return invalidValue("maxEntries", fmt.Sprint(*in.MaxEntries), "The maximum number of entries is 1 to 1000.")
			}
			max = *in.MaxEntries
		}
		if len(es) > int(max) {
			return core.Errorf(PrefixListMaxEntriesExceeded, "The prefix list would have more entries (%d) than its maximum (%d).", len(es), max)
		}
		if name := in.PrefixListName; name != nil {
			if *name == "" || strings.HasPrefix(strings.ToLower(*name), "com.amazonaws") {
				return invalidValue("prefixListName", *name, "A name is 1 to 255 characters and cannot start with com.amazonaws.")
			}
			p.Name = *name
		}
		p.MaxEntries = max
		if len(in.AddEntries) > 0 || len(in.RemoveEntries) > 0 {
			p.Versions = append(p.Versions, es)
		}
		o := s.prefixListOut(r.Name, p)
		o.State = types.PrefixListStateModifyInProgress
		out.PrefixList = &o
		return nil
	})
}

// DeleteManagedPrefixList deletes a list of the account's own that no security group rule
// and no route uses.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteManagedPrefixList.html
func (h *EC2) DeleteManagedPrefixList(ctx context.Context, in *ec2.DeleteManagedPrefixListInput) (*ec2.DeleteManagedPrefixListOutput, error) {
	if in.PrefixListId == nil {
		return nil, missingParameter("prefixListId")
	}
	s := h.s
	out := &ec2.DeleteManagedPrefixListOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		p, err := find(prefixListKind, r.prefixLists(), *in.PrefixListId)
		if err != nil {
			return err
		}
		if p.aws {
			return core.Errorf(InvalidPrefixListModification, "The prefix list %s is managed by AWS and cannot be deleted.", p.ID)
		}
		for _, g := range inOrder(r.Groups) {
			for _, rl := range g.Rules {
				if rl.Peer.PrefixList == p.ID {
					return core.Errorf(DependencyViolation, "The prefix list %s is referenced by security group %s.", p.ID, g.ID)
				}
			}
		}
		for _, rt := range inOrder(r.RouteTables) {
			for _, rte := range rt.Routes {
				if rte.Destination == p.ID {
					return core.Errorf(DependencyViolation, "The prefix list %s is referenced by route table %s.", p.ID, rt.ID)
				}
			}
		}
		delete(r.PrefixLists, p.ID)
		o := s.prefixListOut(r.Name, p)
		o.State = types.PrefixListStateDeleteInProgress
		out.PrefixList = &o
		return nil
	})
}

// DescribePrefixLists lists the prefix lists AWS manages for its services (the older API
// of gateway endpoints).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribePrefixLists.html
func (h *EC2) DescribePrefixLists(ctx context.Context, in *ec2.DescribePrefixListsInput) (*ec2.DescribePrefixListsOutput, error) {
	s := h.s
	out := &ec2.DescribePrefixListsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		m := map[string]*prefixList{}
		for _, p := range awsPrefixLists(r.Name) {
			m[p.ID] = p
		}
		ps, err := pick(prefixListKind, m, in.PrefixListIds)
		if err != nil {
			return err
		}
		sortPrefixLists(ps)
		all := make([]types.PrefixList, len(ps))
		for i, p := range ps {
			all[i] = types.PrefixList{PrefixListId: aws.String(p.ID), PrefixListName: aws.String(p.Name), Cidrs: []string{}}
			for _, e := range p.entries() {
				all[i].Cidrs = append(all[i].Cidrs, e.CIDR)
			}
		}
		out.PrefixLists, out.NextToken, err = describe(all, in.Filters, fields[types.PrefixList]{
			"prefix-list-id":   func(p types.PrefixList) []string { return one(*p.PrefixListId) },
			"prefix-list-name": func(p types.PrefixList) []string { return one(*p.PrefixListName) },
		}, nil, in.MaxResults, in.NextToken)
		return err
	})
}

// checkPrefixList refuses a security group rule's or a route's prefix list that does not
// exist.
func (r *regionState) checkPrefixList(id string) error {
	_, err := find(prefixListKind, r.prefixLists(), id)
	return err
}

// sortPrefixLists orders lists as they are described: AWS's by name, then the account's in
// creation order.
func sortPrefixLists(ps []*prefixList) {
	slices.SortStableFunc(ps, func(a, b *prefixList) int {
		if a.aws != b.aws {
			if a.aws {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), strings.Compare(a.Name, b.Name))
	})
}
