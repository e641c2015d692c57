package ec2sim

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// peering is a VPC peering connection between two VPCs of the account in one region.
type peering struct {
	meta
	Requester, Accepter string
	// RequesterCIDR and AccepterCIDR are the VPCs' primary blocks, kept for after a VPC's
	// deletion.
	RequesterCIDR, AccepterCIDR string
	Status                      types.VpcPeeringConnectionStateReasonCode // failed, pending-acceptance, active, rejected or deleted
	Created                     time.Time
	Changed                     time.Time // when it took its status
}

// peeringState is a region's VPC peering connections.
type peeringState struct {
	Peerings map[string]*peering `json:",omitempty"`
}

// How long a VPC peering connection waits for acceptance, and how long one that is over stays
// listed.
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-lifecycle
const (
	peeringExpiry       = 7 * 24 * time.Hour // pending-acceptance → expired
	peeringFailedShown  = 2 * time.Hour      // failed
	peeringClosedShown  = 2 * 24 * time.Hour // rejected, deleted, expired
	peeringFailedReason = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
)

var peeringKind = kind{"pcx", InvalidVpcPeeringConnectionIDMalformed, InvalidVpcPeeringConnectionIDNotFound,
	"The vpcPeeringConnection ID '%s' does not exist", types.ResourceTypeVpcPeeringConnection}

func init() {
	taggable[peeringKind.prefix] = peeringKind
	tagHolders = append(tagHolders, tagHolder{peeringKind, func(r *regionState) []*meta { return metas(r.Peerings) }})
}

// statusAt is the connection's status at now: a pending one expires after a week.
func (p *peering) statusAt(now time.Time) (types.VpcPeeringConnectionStateReasonCode, time.Time) {
	if p.Status == types.VpcPeeringConnectionStateReasonCodePendingAcceptance && !now.Before(p.Created.Add(peeringExpiry)) {
		return types.VpcPeeringConnectionStateReasonCodeExpired, p.Created.Add(peeringExpiry)
	}
	return p.Status, p.Changed
}

// gone reports whether the connection is no longer listed.
func (p *peering) gone(now time.Time) bool {
	st, since := p.statusAt(now)
	switch st {
	case types.VpcPeeringConnectionStateReasonCodeFailed:
		return !now.Before(since.Add(peeringFailedShown))
	case types.VpcPeeringConnectionStateReasonCodePendingAcceptance, types.VpcPeeringConnectionStateReasonCodeActive:
		return false
	}
	return !now.Before(since.Add(peeringClosedShown))
}

// visiblePeerings are the connections still listed at now.
func (r *regionState) visiblePeerings(now time.Time) map[string]*peering {
	out := map[string]*peering{}
	for id, p := range r.Peerings {
		if !p.gone(now) {
			out[id] = p
		}
	}
	return out
}

// activePeering returns the connection with id when it is active, or nil.
func (r *regionState) activePeering(id string, now time.Time) *peering {
	if p := r.Peerings[id]; p != nil {
		if st, _ := p.statusAt(now); st == types.VpcPeeringConnectionStateReasonCodeActive {
			return p
		}
	}
	return nil
}

func (s *Store) peeringOut(r *regionState, p *peering) types.VpcPeeringConnection {
	now := s.now()
	st, _ := p.statusAt(now)
	info := func(vpcID, cidr string) *types.VpcPeeringConnectionVpcInfo {
		in := &types.VpcPeeringConnectionVpcInfo{VpcId: aws.String(vpcID), OwnerId: aws.String(s.account), Region: aws.String(r.Name), CidrBlock: aws.String(cidr)}
		if v := r.VPCs[vpcID]; v != nil {
			for _, b := range r.blocks(v) {
				if b.Is4() {
					in.CidrBlockSet = append(in.CidrBlockSet, types.CidrBlock{CidrBlock: aws.String(b.String())})
				} else {
					in.Ipv6CidrBlockSet = append(in.Ipv6CidrBlockSet, types.Ipv6CidrBlock{Ipv6CidrBlock: aws.String(b.String())})
				}
			}
		}
		if st == types.VpcPeeringConnectionStateReasonCodeActive {
			in.PeeringOptions = &types.VpcPeeringConnectionOptionsDescription{AllowDnsResolutionFromRemoteVpc: aws.Bool(false),
				AllowEgressFromLocalClassicLinkToRemoteVpc: aws.Bool(false), AllowEgressFromLocalVpcToRemoteClassicLink: aws.Bool(false)}
		}
		return in
	}
	message := map[types.VpcPeeringConnectionStateReasonCode]string{
		types.VpcPeeringConnectionStateReasonCodeInitiatingRequest: "Initiating Request to " + s.account,
		types.VpcPeeringConnectionStateReasonCodePendingAcceptance: "Pending Acceptance by " + s.account,
		types.VpcPeeringConnectionStateReasonCodeActive:            "Active",
		types.VpcPeeringConnectionStateReasonCodeRejected:          "Rejected by " + s.account,
		types.VpcPeeringConnectionStateReasonCodeDeleted:           "Deleted by " + s.account,
		types.VpcPeeringConnectionStateReasonCodeExpired:           "Expired",
		types.VpcPeeringConnectionStateReasonCodeFailed:            peeringFailedReason,
	}[st]
	out := types.VpcPeeringConnection{
		VpcPeeringConnectionId: aws.String(p.ID), Tags: p.Tags.out(),
		RequesterVpcInfo: info(p.Requester, p.RequesterCIDR), AccepterVpcInfo: info(p.Accepter, p.AccepterCIDR),
		Status: &types.VpcPeeringConnectionStateReason{Code: st, Message: aws.String(message)},
	}
	if st == types.VpcPeeringConnectionStateReasonCodePendingAcceptance {
		out.ExpirationTime = aws.Time(p.Created.Add(peeringExpiry))
	}
	return out
}

// overlapping reports whether two VPCs have overlapping IPv4 blocks: they cannot be peered.
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations
func (r *regionState) overlapping(a, b *vpc) bool {
	for _, x := range r.blocks4(a) {
		for _, y := range r.blocks4(b) {
			if x.Overlaps(y) {
				return true
			}
		}
	}
	return false
}

// CreateVpcPeeringConnection requests a peering between two VPCs of the account in the
// region; the accepter accepts it. VPCs whose IPv4 blocks overlap get a failed connection,
// as on AWS. Peering with another account or region is not simulated.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html
func (h *EC2) CreateVpcPeeringConnection(ctx context.Context, in *ec2.CreateVpcPeeringConnectionInput) (*ec2.CreateVpcPeeringConnectionOutput, error) {
	s := h.s
	region := core.RegionFrom(ctx)
	switch {
	case in.VpcId == nil:
		return nil, missingParameter("vpcId")
	case in.PeerVpcId == nil:
		return nil, missingParameter("peerVpcId")
	case in.PeerOwnerId != nil && *in.PeerOwnerId != s.account:
		return nil, core.Errorf(core.NotImplemented, "The simulator peers VPCs of one account: peering with account %s is not simulated.", *in.PeerOwnerId)
	case in.PeerRegion != nil && *in.PeerRegion != region:
		return nil, core.Errorf(core.NotImplemented, "The simulator peers VPCs of one region: peering with %s is not simulated.", *in.PeerRegion)
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeVpcPeeringConnection)
	if err != nil {
		return nil, err
	}
	out := &ec2.CreateVpcPeeringConnectionOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		req, err := find(vpcKind, r.VPCs, *in.VpcId)
		if err != nil {
			return err
		}
		acc, err := find(vpcKind, r.VPCs, *in.PeerVpcId)
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range r.visiblePeerings(now) {
			st, _ := p.statusAt(now)
			live := st == types.VpcPeeringConnectionStateReasonCodeActive || st == types.VpcPeeringConnectionStateReasonCodePendingAcceptance
			if live && (p.Requester == req.ID && p.Accepter == acc.ID || p.Requester == acc.ID && p.Accepter == req.ID) {
				return core.Errorf(VpcPeeringConnectionAlreadyExists, "A VPC peering connection between %s and %s already exists: %s.", req.ID, acc.ID, p.ID)
			}
		}
		p := &peering{meta: r.newMeta(s.id("pcx"), t), Requester: req.ID, Accepter: acc.ID, RequesterCIDR: req.CIDR.String(), AccepterCIDR: acc.CIDR.String(),
			Status: types.VpcPeeringConnectionStateReasonCodePendingAcceptance, Created: now, Changed: now}
		if req.ID == acc.ID || r.overlapping(req, acc) {
			p.Status = types.VpcPeeringConnectionStateReasonCodeFailed
		}
		for id, old := range r.Peerings {
			if old.gone(now) {
				delete(r.Peerings, id)
			}
		}
		if r.Peerings == nil {
			r.Peerings = map[string]*peering{}
		}
		r.Peerings[p.ID] = p
		o := s.peeringOut(r, p)
		// AWS answers the request as initiating-request; describing it shows
		// pending-acceptance, or failed.
		o.Status = &types.VpcPeeringConnectionStateReason{Code: types.VpcPeeringConnectionStateReasonCodeInitiatingRequest, Message: aws.String("Initiating Request to " + s.account)}
		o.ExpirationTime = nil
		out.VpcPeeringConnection = &o
		return nil
	})
}

// changePeering moves a connection from the statuses in from to status to.
func (h *EC2) changePeering(ctx context.Context, id *string, to types.VpcPeeringConnectionStateReasonCode, from ...types.VpcPeeringConnectionStateReasonCode) (*types.VpcPeeringConnection, error) {
	if id == nil {
		return nil, missingParameter("vpcPeeringConnectionId")
	}
	s := h.s
	var out *types.VpcPeeringConnection
	return out, s.write(ctx, func(r *regionState) error {
		now := s.now()
		p, err := find(peeringKind, r.visiblePeerings(now), *id)
		if err != nil {
			return err
		}
		st, _ := p.statusAt(now)
		ok := false
		for _, f := range from {
			ok = ok || st == f
		}
		if !ok {
			return core.Errorf(InvalidStateTransition, "Invalid state transition for pcx %s, attempted to transition from %s to %s", p.ID, st, to)
		}
		p.Status, p.Changed = to, now
		o := s.peeringOut(r, p)
		out = &o
		return nil
	})
}

// AcceptVpcPeeringConnection makes a pending connection active.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptVpcPeeringConnection.html
func (h *EC2) AcceptVpcPeeringConnection(ctx context.Context, in *ec2.AcceptVpcPeeringConnectionInput) (*ec2.AcceptVpcPeeringConnectionOutput, error) {
	p, err := h.changePeering(ctx, in.VpcPeeringConnectionId, types.VpcPeeringConnectionStateReasonCodeActive, types.VpcPeeringConnectionStateReasonCodePendingAcceptance)
	if err != nil {
		return nil, err
	}
	return &ec2.AcceptVpcPeeringConnectionOutput{VpcPeeringConnection: p}, nil
}

// RejectVpcPeeringConnection rejects a pending connection; it stays listed for two days.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RejectVpcPeeringConnection.html
func (h *EC2) RejectVpcPeeringConnection(ctx context.Context, in *ec2.RejectVpcPeeringConnectionInput) (*ec2.RejectVpcPeeringConnectionOutput, error) {
	_, err := h.changePeering(ctx, in.VpcPeeringConnectionId, types.VpcPeeringConnectionStateReasonCodeRejected, types.VpcPeeringConnectionStateReasonCodePendingAcceptance)
	if err != nil {
		return nil, err
	}
	return &ec2.RejectVpcPeeringConnectionOutput{Return: aws.Bool(true)}, nil
}

// DeleteVpcPeeringConnection deletes a pending or active connection (a failed one too); it
// stays listed for two days, and routes to it become blackholes.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcPeeringConnection.html
func (h *EC2) DeleteVpcPeeringConnection(ctx context.Context, in *ec2.DeleteVpcPeeringConnectionInput) (*ec2.DeleteVpcPeeringConnectionOutput, error) {
	_, err := h.changePeering(ctx, in.VpcPeeringConnectionId, types.VpcPeeringConnectionStateReasonCodeDeleted,
		types.VpcPeeringConnectionStateReasonCodePendingAcceptance, types.VpcPeeringConnectionStateReasonCodeActive, types.VpcPeeringConnectionStateReasonCodeFailed)
	if err != nil {
		return nil, err
	}
	return &ec2.DeleteVpcPeeringConnectionOutput{Return: aws.Bool(true)}, nil
}

func peeringInfo(get func(*types.VpcPeeringConnectionVpcInfo) *string, which func(types.VpcPeeringConnection) *types.VpcPeeringConnectionVpcInfo) func(types.VpcPeeringConnection) []string {
	return func(p types.VpcPeeringConnection) []string { return one(aws.ToString(get(which(p)))) }
}

func requesterInfo(p types.VpcPeeringConnection) *types.VpcPeeringConnectionVpcInfo {
	return p.RequesterVpcInfo
}
func accepterInfo(p types.VpcPeeringConnection) *types.VpcPeeringConnectionVpcInfo {
	return p.AccepterVpcInfo
}

var peeringFields = fields[types.VpcPeeringConnection]{
	"vpc-peering-connection-id": func(p types.VpcPeeringConnection) []string { return one(*p.VpcPeeringConnectionId) },
	"status-code":               func(p types.VpcPeeringConnection) []string { return one(string(p.Status.Code)) },
	"status-message":            func(p types.VpcPeeringConnection) []string { return one(aws.ToString(p.Status.Message)) },
	"expiration-time": func(p types.VpcPeeringConnection) []string {
		if p.ExpirationTime == nil {
			return nil
		}
		return one(p.ExpirationTime.UTC().Format(time.RFC3339))
	},
	"requester-vpc-info.vpc-id":     peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.VpcId }, requesterInfo),
	"requester-vpc-info.cidr-block": peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.CidrBlock }, requesterInfo),
	"requester-vpc-info.owner-id":   peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.OwnerId }, requesterInfo),
	"accepter-vpc-info.vpc-id":      peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.VpcId }, accepterInfo),
	"accepter-vpc-info.cidr-block":  peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.CidrBlock }, accepterInfo),
	"accepter-vpc-info.owner-id":    peeringInfo(func(i *types.VpcPeeringConnectionVpcInfo) *string { return i.OwnerId }, accepterInfo),
}

// DescribeVpcPeeringConnections lists the region's connections, the closed ones while AWS
// still lists them.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcPeeringConnections.html
func (h *EC2) DescribeVpcPeeringConnections(ctx context.Context, in *ec2.DescribeVpcPeeringConnectionsInput) (*ec2.DescribeVpcPeeringConnectionsOutput, error) {
	s := h.s
	out := &ec2.DescribeVpcPeeringConnectionsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		ps, err := pick(peeringKind, r.visiblePeerings(s.now()), in.VpcPeeringConnectionIds)
		if err != nil {
			return err
		}
		all := make([]types.VpcPeeringConnection, len(ps))
		for i, p := range ps {
			all[i] = s.peeringOut(r, p)
		}
		out.VpcPeeringConnections, out.NextToken, err = describe(all, in.Filters, peeringFields,
			func(p types.VpcPeeringConnection) []types.Tag { return p.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// peeringTarget checks a route of rt to a VPC peering connection: one of the table's VPC, not
// closed.
func (r *regionState) peeringTarget(rt *routeTable, id string, now time.Time) (string, error) {
	p, err := find(peeringKind, r.visiblePeerings(now), id)
	if err != nil {
		return "", err
	}
	if p.Requester != rt.VPC && p.Accepter != rt.VPC {
		return "", core.Errorf(InvalidParameterValue, "route table %s and VPC peering connection %s belong to different networks", rt.ID, p.ID)
	}
	switch st, _ := p.statusAt(now); st {
	case types.VpcPeeringConnectionStateReasonCodeActive, types.VpcPeeringConnectionStateReasonCodePendingAcceptance:
		return p.ID, nil
	default:
		return "", core.Errorf(InvalidVpcPeeringConnectionIDNotFound, "The vpcPeeringConnection ID '%s' does not exist", p.ID)
	}
}

// closeVPCPeerings deletes the connections of a VPC being deleted, as AWS does.
// https://docs.aws.amazon.com/vpc/latest/peering/delete-vpc-peering-connection.html
func (s *Store) closeVPCPeerings(r *regionState, vpcID string) {
	now := s.now()
	for _, p := range r.Peerings {
		st, _ := p.statusAt(now)
		if (p.Requester == vpcID || p.Accepter == vpcID) && st != types.VpcPeeringConnectionStateReasonCodeDeleted &&
			st != types.VpcPeeringConnectionStateReasonCodeRejected && st != types.VpcPeeringConnectionStateReasonCodeExpired {
			p.Status, p.Changed = types.VpcPeeringConnectionStateReasonCodeDeleted, now
		}
	}
}

// viaPeering is a flow between VPCs over a peering connection: the source's route to the
// destination's private address goes to an active connection between their VPCs, the
// destination's route back to the source goes to it too, and the security groups and ACLs
// of both ends let it through (s.local). ok is false when the source's route goes elsewhere.
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html
func (s *Store) viaPeering(r *regionState, src, dst node, fl flow) (v *world.Verdict, ok bool) {
	rt := r.subnetRouteTable(src.subnet, src.vpc)
	rte, found := longest(rt, dst.private)
	if !found || rte.Peering == "" {
		return nil, false
	}
	now := s.now()
	p := r.activePeering(rte.Peering, now)
	if p == nil {
		return blocked(xBadStateRoute, rt.ID, "route table %s of subnet %s sends %v to VPC peering connection %s, which is not active (a blackhole route)", rt.ID, src.subnet, dst.private, rte.Peering), true
	}
	if !(p.Requester == src.vpc && p.Accepter == dst.vpc || p.Requester == dst.vpc && p.Accepter == src.vpc) {
		return blocked(xNoRoute, rt.ID, "route table %s of subnet %s sends %v to VPC peering connection %s, which joins %s and %s, not %s",
			rt.ID, src.subnet, dst.private, p.ID, p.Requester, p.Accepter, dst.vpc), true
	}
	back := r.subnetRouteTable(dst.subnet, dst.vpc)
	if bte, found := longest(back, src.private); !found || bte.Peering != p.ID {
		return blocked(xNoRoute, back.ID, "route table %s of subnet %s has no route to %v through VPC peering connection %s: the replies cannot return (peering routes go both ways)",
			back.ID, dst.subnet, src.private, p.ID), true
	}
	return s.local(r, src, dst, fl), true
}

// peeringRouteState is a route's state when it goes to a peering connection.
func (r *regionState) peeringRouteState(id string, now time.Time) types.RouteState {
	if r.activePeering(id, now) != nil {
		return types.RouteStateActive
	}
	return types.RouteStateBlackhole
}

// peeredRoute reports whether the source's route to the destination's private address goes
// to a peering connection: a flow between VPCs that viaPeering carries.
func (r *regionState) peeredRoute(src, dst node) bool {
	rte, ok := longest(r.subnetRouteTable(src.subnet, src.vpc), dst.private)
	return ok && rte.Peering != ""
}
