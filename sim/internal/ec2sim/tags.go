package ec2sim

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// tags are a resource's tags, by key.
type tags map[string]string

// Tag limits: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// out returns the tags as EC2 lists them, by key; nil when there are none, as EC2 then omits
// the tagSet.
func (t tags) out() []types.Tag {
	if len(t) == 0 {
		return nil
	}
	out := make([]types.Tag, 0, len(t))
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range t {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(t[k])})
	}
	return out
}

// checkTags applies EC2's tag restrictions to the tags a request adds to a resource that has
// have tags already.
func checkTags(have tags, add []types.Tag) error {
	n := len(have)
	for _, tg := range add {
		k := aws.ToString(tg.Key)
		switch {
		case k == "":
			return core.Errorf(InvalidParameterValue, "Tag key must not be empty")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return core.Errorf(InvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use")
		case len(k) > maxTagKeyLen:
			return core.Errorf(InvalidParameterValue, "Tag key exceeds the maximum length of %d characters", maxTagKeyLen)
		case len(aws.ToString(tg.Value)) > maxTagValueLen:
			return core.Errorf(InvalidParameterValue, "Tag value exceeds the maximum length of %d characters", maxTagValueLen)
		}
		if _, ok := have[k]; !ok {
			n++
		}
	}
	if n > maxTags {
		return core.Errorf(TagLimitExceeded, "The maximum number of Tags for a resource has been reached.")
	}
	return nil
}

func (t tags) clone() tags {
	out := make(tags, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

func (t tags) add(add []types.Tag) {
	for _, tg := range add {
		t[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
}

// tagsFor returns the tags that a create request's TagSpecifications give the resource of
// type rt. Specifications for the types in also (such as an instance's volumes) are accepted
// and ignored; any other type is refused, as EC2 does.
func tagsFor(specs []types.TagSpecification, rt types.ResourceType, also ...types.ResourceType) (tags, error) {
	t := tags{}
	for _, sp := range specs {
		switch {
		case sp.ResourceType == rt:
			if err := checkTags(t, sp.Tags); err != nil {
				return nil, err
			}
			t.add(sp.Tags)
		case slices.Contains(also, sp.ResourceType):
		default:
			return nil, core.Errorf(InvalidParameterValue, "'%s' is not a valid taggable resource type for this operation.", sp.ResourceType)
		}
	}
	return t, nil
}

// tagHolder is a kind of taggable record kept in a file of its own (dhcp.go, peering.go …),
// with the region's records of that kind: CreateTags, DeleteTags and DescribeTags find them
// here.
type tagHolder struct {
	kind kind
	all  func(r *regionState) []*meta
}

var tagHolders []tagHolder

// held returns the record of h's kind with id, or nil.
func (r *regionState) held(h tagHolder, id string) *meta {
	for _, m := range h.all(r) {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// metas returns the records' metas, for a tagHolder.
func metas[T record](m map[string]T) []*meta {
	out := make([]*meta, 0, len(m))
	for _, v := range m {
		out = append(out, v.base())
	}
	return out
}

// tagged is a resource's tags with what DescribeTags says of the resource.
type tagged struct {
	id   string
	kind types.ResourceType
	seq  uint64
	tags tags
}

// tagged returns every resource of the region that can carry tags, in creation order.
func (r *regionState) tagged() []tagged {
	var out []tagged
	add := func(k kind, m *meta) { out = append(out, tagged{m.ID, k.resource, m.Seq, m.Tags}) }
	for _, v := range r.VPCs {
		add(vpcKind, &v.meta)
	}
	for _, v := range r.Subnets {
		add(subnetKind, &v.meta)
	}
	for _, v := range r.Gateways {
		add(gatewayKind, &v.meta)
	}
	for _, v := range r.RouteTables {
		add(routeKind, &v.meta)
	}
	for _, v := range r.ACLs {
		add(aclKind, &v.meta)
	}
	for _, g := range r.Groups {
		add(groupKind, &g.meta)
		for _, rl := range g.Rules {
			add(ruleKind, &rl.meta)
		}
	}
	for _, v := range r.KeyPairs {
		add(keyKind, &v.meta)
	}
	for _, v := range r.Instances {
		add(instanceKind, &v.meta)
	}
	for _, v := range r.SpotRequests {
		add(spotRequestKind, &v.meta)
	}
	for _, v := range r.Volumes {
		add(volumeKind, &v.meta)
	}
	for _, v := range r.Snapshots {
		add(snapshotKind, &v.meta)
	}
	for _, v := range r.Addresses {
		add(addressKind, &v.meta)
	}
	for _, v := range r.NATs {
		add(natKind, &v.meta)
	}
	for _, v := range r.ENIs {
		add(eniKind, &v.meta)
	}
	for _, v := range r.LaunchTemplates {
		add(templateKind, &v.meta)
	}
	for _, v := range r.Images {
		if !v.Deregistered {
			add(imageKind, &v.meta)
		}
	}
	for _, h := range tagHolders {
		for _, m := range h.all(r) {
			add(h.kind, m)
		}
	}
	for id, t := range r.ImageTags {
		out = append(out, tagged{id, imageKind.resource, 0, t})
	}
	slices.SortFunc(out, func(a, b tagged) int { return cmp.Or(cmp.Compare(a.seq, b.seq), cmp.Compare(a.id, b.id)) })
	return out
}

// tagsOf returns the tags of the resource id, whatever its kind, for CreateTags and DeleteTags;
// a public image's tags are made on first use. r is held for writing.
func (r *regionState) tagsOf(id string) (tags, error) {
	prefix, _, _ := strings.Cut(id, "-")
	k, ok := taggable[prefix]
	if !ok || !k.wellFormed(id) {
		return nil, core.Errorf(InvalidID, "The ID '%s' is not valid", id)
	}
	var m *meta
	switch k {
	case vpcKind:
		if v, ok := r.VPCs[id]; ok {
			m = &v.meta
		}
	case subnetKind:
		if v, ok := r.Subnets[id]; ok {
			m = &v.meta
		}
	case gatewayKind:
		if v, ok := r.Gateways[id]; ok {
			m = &v.meta
		}
	case routeKind:
		if v, ok := r.RouteTables[id]; ok {
			m = &v.meta
		}
	case aclKind:
		if v, ok := r.ACLs[id]; ok {
			m = &v.meta
		}
	case groupKind:
		if v, ok := r.Groups[id]; ok {
			m = &v.meta
		}
	case ruleKind:
		if _, rl := r.rule(id); rl != nil {
			m = &rl.meta
		}
	case keyKind:
		if kp := r.keyByID(id); kp != nil {
			m = &kp.meta
		}
	case instanceKind:
		if v, ok := r.Instances[id]; ok {
			m = &v.meta
		}
	case spotRequestKind:
		if v, ok := r.SpotRequests[id]; ok {
			m = &v.meta
		}
	case volumeKind:
		if v, ok := r.Volumes[id]; ok {
			m = &v.meta
		}
	case snapshotKind:
		if v, ok := r.Snapshots[id]; ok {
			m = &v.meta
		}
	case addressKind:
		if v, ok := r.Addresses[id]; ok {
			m = &v.meta
		}
	case natKind:
		if v, ok := r.NATs[id]; ok {
			m = &v.meta
		}
	case eniKind:
		if v, ok := r.ENIs[id]; ok {
			m = &v.meta
		}
	case templateKind:
		if v, ok := r.LaunchTemplates[id]; ok {
			m = &v.meta
		}
	case imageKind:
		if v, ok := r.Images[id]; ok && !v.Deregistered {
			m = &v.meta
		} else if _, ok := imageByID(r.Name, id); ok {
			if r.ImageTags[id] == nil {
				r.ImageTags[id] = tags{}
			}
			return r.ImageTags[id], nil
		}
	}
	for _, h := range tagHolders {
		if h.kind == k {
			m = r.held(h, id)
		}
	}
	if m == nil {
		return nil, k.notFoundError(id)
	}
	if m.Tags == nil {
		m.Tags = tags{}
	}
	return m.Tags, nil
}

// CreateTags adds or overwrites tags on resources of any kind.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
func (h *EC2) CreateTags(ctx context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, missingParameter("resourceIdSet")
	}
	if len(in.Tags) == 0 {
		return nil, missingParameter("tagSet")
	}
	return &ec2.CreateTagsOutput{}, h.s.write(ctx, func(r *regionState) error {
		var all []tags
		for _, id := range in.Resources {
			t, err := r.tagsOf(id)
			if err != nil {
				return err
			}
			if err := checkTags(t, in.Tags); err != nil {
				return err
			}
			all = append(all, t)
		}
		for k, t := range all {
			r.retag(in.Resources[k], func() { t.add(in.Tags) })
		}
		return nil
	})
}

// DeleteTags removes tags: a tag given with a value goes only if its value matches; with no
// tags at all, every tag of the resources goes.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
func (h *EC2) DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, missingParameter("resourceIdSet")
	}
	return &ec2.DeleteTagsOutput{}, h.s.write(ctx, func(r *regionState) error {
		var all []tags
		for _, id := range in.Resources {
			t, err := r.tagsOf(id)
			if err != nil {
				return err
			}
			all = append(all, t)
		}
		for k, t := range all {
			r.retag(in.Resources[k], func() { deleteTags(t, in.Tags) })
		}
		return nil
	})
}

var tagDescriptionFields = fields[types.TagDescription]{
	"key":           func(d types.TagDescription) []string { return []string{*d.Key} },
	"value":         func(d types.TagDescription) []string { return []string{*d.Value} },
	"resource-id":   func(d types.TagDescription) []string { return []string{*d.ResourceId} },
	"resource-type": func(d types.TagDescription) []string { return []string{string(d.ResourceType)} },
}

// deleteTags removes del from t: a tag given with a value only if its value matches; with no
// tags at all, every tag.
func deleteTags(t tags, del []types.Tag) {
	if len(del) == 0 {
		clear(t)
	}
	for _, tg := range del {
		k := aws.ToString(tg.Key)
		if v, ok := t[k]; ok && (tg.Value == nil || *tg.Value == v) {
			delete(t, k)
		}
	}
}

// DescribeTags lists the tags of the region's resources.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html
func (h *EC2) DescribeTags(ctx context.Context, in *ec2.DescribeTagsInput) (*ec2.DescribeTagsOutput, error) {
	out := &ec2.DescribeTagsOutput{}
	return out, h.s.read(ctx, func(r *regionState) error {
		var all []types.TagDescription
		for _, t := range r.tagged() {
			for _, tg := range t.tags.out() {
				all = append(all, types.TagDescription{Key: tg.Key, Value: tg.Value, ResourceId: aws.String(t.id), ResourceType: t.kind})
			}
		}
		var err error
		out.Tags, out.NextToken, err = describe(all, in.Filters, tagDescriptionFields, nil, in.MaxResults, in.NextToken)
		return err
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
