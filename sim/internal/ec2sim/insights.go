package ec2sim

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/service"
	"github.com/awsxlab/awsx/sim/internal/world"
)

// The VPC Reachability Analyzer, on the one model of the network (reach.go): a network
// insights path names a source and a destination (an instance, a network interface or an
// internet gateway, or the destination's address), a protocol and a port; an analysis of it
// is the evaluator's verdict at the time it starts. A path that gets through is
// NetworkPathFound; one that does not has one explanation, with the Reachability Analyzer's
// code for the component that stops it and that component:
//
//   - ENI_SG_RULES_MISMATCH: a security group (SecurityGroup, SecurityGroups, Direction);
//   - SUBNET_ACL_RESTRICTION: a network ACL (Acl, AclRule, Direction), on the request or on
//     the replies' ephemeral ports;
//   - NO_ROUTE_TO_DESTINATION: a route table (RouteTable) with no route, or a VPC (Vpc) with
//     no internet gateway, or between VPCs without public addresses (peering is not
//     simulated);
//   - IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS and IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: a
//     private address that the internet gateway does not carry traffic to or from;
//   - BAD_STATE: an instance that is not running, a NAT gateway that is not available;
//     BAD_STATE_ROUTE: a route to a deleted NAT gateway or a detached internet gateway;
//   - ENI_ADDRESS_RESTRICTION, NO_POSSIBLE_DESTINATION, UNKNOWN_DESTINATION: an address that
//     is not the endpoint's, one no instance has, a route through an instance.
//
// An analysis whose path names what no longer exists fails, with a StatusMessage. The
// analysis takes one destination port (the path's DestinationPort, or a filter's
// DestinationPortRange of one port); ForwardPathComponents and ReturnPathComponents are not
// listed. An analysis is running in the answer of StartNetworkInsightsAnalysis and succeeded
// (or failed) from the next call on, as an instance is pending, then running.
// https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html
// https://docs.aws.amazon.com/vpc/latest/reachability/how-reachability-analyzer-works.html

// explanationCode is one of the Reachability Analyzer's explanation codes.
type explanationCode string

const (
	xSGRules               explanationCode = "ENI_SG_RULES_MISMATCH"
	xACL                   explanationCode = "SUBNET_ACL_RESTRICTION"
	xNoRoute               explanationCode = "NO_ROUTE_TO_DESTINATION"
	xIGWIngress            explanationCode = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	xIGWEgress             explanationCode = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	xBadState              explanationCode = "BAD_STATE"
	xBadStateRoute         explanationCode = "BAD_STATE_ROUTE"
	xENIAddress            explanationCode = "ENI_ADDRESS_RESTRICTION"
	xNoPossibleDestination explanationCode = "NO_POSSIBLE_DESTINATION"
	xUnknownDestination    explanationCode = "UNKNOWN_DESTINATION"
)

var (
	insightsPathKind     = kind{"nip", InvalidParameterValue, InvalidNetworkInsightsPathIDNotFound, "The NetworkInsightsPath ID '%s' does not exist", types.ResourceTypeNetworkInsightsPath}
	insightsAnalysisKind = kind{"nia", InvalidParameterValue, InvalidNetworkInsightsAnalysisIDNotFound, "The NetworkInsightsAnalysis ID '%s' does not exist", types.ResourceTypeNetworkInsightsAnalysis}
)

// insightsState is a region's Reachability Analyzer paths and analyses.
type insightsState struct {
	InsightsPaths    map[string]*insightsPath     `json:",omitempty"`
	InsightsAnalyses map[string]*insightsAnalysis `json:",omitempty"`
}

// insightsPath is one network insights path.
type insightsPath struct {
	meta
	Created                  time.Time
	Source, Destination      string // resource IDs; Destination "" for DestinationIP alone
	SourceIP, DestinationIP  string `json:",omitempty"`
	Protocol                 types.Protocol
	Port                     int32                    `json:",omitempty"` // 0: none given
	FilterSource, FilterDest *types.PathRequestFilter `json:",omitempty"`
	ClientToken              string                   `json:",omitempty"`
}

// insightsAnalysis is one analysis of a path, decided when it started.
type insightsAnalysis struct {
	meta
	Path        string
	Started     time.Time
	Status      types.AnalysisStatus // succeeded or failed once it is no longer running
	Message     string               `json:",omitempty"` // why it failed
	Found       bool
	Explanation *storedExplanation `json:",omitempty"`
	ClientToken string             `json:",omitempty"`
}

// storedExplanation is an analysis's explanation, as the network was when it ran.
type storedExplanation struct {
	Code      string
	Component string
	Direction string `json:",omitempty"`
	Reason    string
	Rule      *types.AnalysisAclRule `json:",omitempty"`
}

// insightsPaths returns the region's paths, making the map of a state saved without one.
func (r *regionState) insightsPaths() map[string]*insightsPath {
	if r.InsightsPaths == nil {
		r.InsightsPaths = map[string]*insightsPath{}
	}
	return r.InsightsPaths
}

func (r *regionState) insightsAnalyses() map[string]*insightsAnalysis {
	if r.InsightsAnalyses == nil {
		r.InsightsAnalyses = map[string]*insightsAnalysis{}
	}
	return r.InsightsAnalyses
}

// resourceARNType is the resource type in the ARN of an EC2 ID, by its prefix.
var resourceARNType = map[string]string{
	"i": "instance", "eni": "network-interface", "igw": "internet-gateway", "sg": "security-group",
	"acl": "network-acl", "rtb": "route-table", "vpc": "vpc", "subnet": "subnet", "nat": "natgateway",
}

func (s *Store) componentARN(region, id string) string {
	prefix, _, _ := strings.Cut(id, "-")
	if t, ok := resourceARNType[prefix]; ok {
		return s.arn(region, t+"/"+id)
	}
	return ""
}

// pathEnd reads a path's source or destination: an ID or its ARN, of an instance, a network
// interface or an internet gateway of the region.
func (s *Store) pathEnd(r *regionState, param, v string) (string, error) {
	id := v
	if strings.HasPrefix(v, "arn:") {
		p := strings.SplitN(v, ":", 6)
		_, after, ok := strings.Cut(p[len(p)-1], "/")
		if len(p) != 6 || p[2] != "ec2" || !ok {
			return "", invalidValue(param, v, "Give a resource ID or an EC2 resource ARN.")
		}
		if p[3] != r.Name {
			return "", invalidValue(param, v, "The source and destination must be in the region of the request, "+r.Name+".")
		}
		id = after
	}
	switch prefix, _, _ := strings.Cut(id, "-"); prefix {
	case "i":
		i, err := find(instanceKind, r.Instances, id)
		if err == nil && i.gone(s.now()) {
			err = instanceKind.notFoundError(id)
		}
		return id, err
	case "eni":
		_, err := find(eniKind, r.interfaces(), id)
		return id, err
	case "igw":
		_, err := find(gatewayKind, r.Gateways, id)
		return id, err
	}
	return "", core.Errorf(core.NotImplemented, "The simulator's Reachability Analyzer takes instances (i-…), network interfaces (eni-…) and internet gateways (igw-…) as a path's ends, not %q.", v)
}

func checkAddress(param string, v *string) error {
	if v == nil {
		return nil
	}
	if a, err := netip.ParseAddr(*v); err != nil || !a.Is4() {
		return invalidValue(param, *v, "Give an IPv4 address.")
	}
	return nil
}

// CreateNetworkInsightsPath makes a path for the Reachability Analyzer to analyze.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInsightsPath.html
func (h *EC2) CreateNetworkInsightsPath(ctx context.Context, in *ec2.CreateNetworkInsightsPathInput) (*ec2.CreateNetworkInsightsPathOutput, error) {
	switch {
	case in.Source == nil:
		return nil, missingParameter("source")
	case in.Protocol == "":
		return nil, missingParameter("protocol")
	case in.Destination == nil && in.DestinationIp == nil:
		return nil, core.Errorf(MissingParameter, "The request must contain the parameter destination or destinationIp.")
	}
	proto := types.Protocol(strings.ToLower(string(in.Protocol)))
	if proto != types.ProtocolTcp && proto != types.ProtocolUdp {
		return nil, invalidValue("protocol", string(in.Protocol), "Valid values are tcp and udp.")
	}
	if p := in.DestinationPort; p != nil && (*p < 0 || *p > 65535) {
		return nil, invalidValue("destinationPort", strconv.Itoa(int(*p)), "Ports are 0 to 65535.")
	}
	for param, v := range map[string]*string{"sourceIp": in.SourceIp, "destinationIp": in.DestinationIp} {
		if err := checkAddress(param, v); err != nil {
			return nil, err
		}
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeNetworkInsightsPath)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.CreateNetworkInsightsPathOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		paths := r.insightsPaths()
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, p := range inOrder(paths) {
				if p.ClientToken == tok {
					o := s.pathOut(r, p)
					out.NetworkInsightsPath = &o
					return nil
				}
			}
		}
		src, err := s.pathEnd(r, "source", *in.Source)
		if err != nil {
			return err
		}
		dst := ""
		if in.Destination != nil {
			if dst, err = s.pathEnd(r, "destination", *in.Destination); err != nil {
				return err
			}
		}
		p := &insightsPath{
			meta: r.newMeta(s.id("nip"), t), Created: s.now(), Source: src, Destination: dst,
			SourceIP: aws.ToString(in.SourceIp), DestinationIP: aws.ToString(in.DestinationIp), Protocol: proto,
			Port: aws.ToInt32(in.DestinationPort), FilterSource: in.FilterAtSource, FilterDest: in.FilterAtDestination,
			ClientToken: aws.ToString(in.ClientToken),
		}
		paths[p.ID] = p
		o := s.pathOut(r, p)
		out.NetworkInsightsPath = &o
		return nil
	})
}

func (p *insightsPath) base() *meta     { return &p.meta }
func (a *insightsAnalysis) base() *meta { return &a.meta }

func (s *Store) pathOut(r *regionState, p *insightsPath) types.NetworkInsightsPath {
	out := types.NetworkInsightsPath{
		NetworkInsightsPathId: aws.String(p.ID), NetworkInsightsPathArn: aws.String(s.arn(r.Name, "network-insights-path/"+p.ID)),
		CreatedDate: aws.Time(p.Created), Source: aws.String(p.Source), SourceArn: aws.String(s.componentARN(r.Name, p.Source)),
		Protocol: p.Protocol, Tags: p.Tags.out(),
	}
	if p.Destination != "" {
		out.Destination, out.DestinationArn = aws.String(p.Destination), aws.String(s.componentARN(r.Name, p.Destination))
	}
	if p.SourceIP != "" {
		out.SourceIp = aws.String(p.SourceIP)
	}
	if p.DestinationIP != "" {
		out.DestinationIp = aws.String(p.DestinationIP)
	}
	if p.Port != 0 {
		out.DestinationPort = aws.Int32(p.Port)
	}
	out.FilterAtSource, out.FilterAtDestination = pathFilterOut(p.FilterSource), pathFilterOut(p.FilterDest)
	return out
}

func pathFilterOut(f *types.PathRequestFilter) *types.PathFilter {
	if f == nil {
		return nil
	}
	rng := func(r *types.RequestFilterPortRange) *types.FilterPortRange {
		if r == nil {
			return nil
		}
		return &types.FilterPortRange{FromPort: r.FromPort, ToPort: r.ToPort}
	}
	return &types.PathFilter{SourceAddress: f.SourceAddress, DestinationAddress: f.DestinationAddress,
		SourcePortRange: rng(f.SourcePortRange), DestinationPortRange: rng(f.DestinationPortRange)}
}

var insightsPathFields = fields[types.NetworkInsightsPath]{
	"destination": func(p types.NetworkInsightsPath) []string { return one(aws.ToString(p.Destination)) },
	"destination-ip": func(p types.NetworkInsightsPath) []string {
		return one(aws.ToString(p.DestinationIp))
	},
	"destination-port": func(p types.NetworkInsightsPath) []string {
		if p.DestinationPort == nil {
			return nil
		}
		return one(strconv.Itoa(int(*p.DestinationPort)))
	},
	"protocol":  func(p types.NetworkInsightsPath) []string { return one(string(p.Protocol)) },
	"source":    func(p types.NetworkInsightsPath) []string { return one(aws.ToString(p.Source)) },
	"source-ip": func(p types.NetworkInsightsPath) []string { return one(aws.ToString(p.SourceIp)) },
}

// DescribeNetworkInsightsPaths lists the region's paths.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInsightsPaths.html
func (h *EC2) DescribeNetworkInsightsPaths(ctx context.Context, in *ec2.DescribeNetworkInsightsPathsInput) (*ec2.DescribeNetworkInsightsPathsOutput, error) {
	s := h.s
	out := &ec2.DescribeNetworkInsightsPathsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		ps, err := pick(insightsPathKind, r.InsightsPaths, in.NetworkInsightsPathIds)
		if err != nil {
			return err
		}
		all := make([]types.NetworkInsightsPath, len(ps))
		for i, p := range ps {
			all[i] = s.pathOut(r, p)
		}
		out.NetworkInsightsPaths, out.NextToken, err = describe(all, in.Filters, insightsPathFields,
			func(p types.NetworkInsightsPath) []types.Tag { return p.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteNetworkInsightsPath deletes a path that has no analyses left.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkInsightsPath.html
func (h *EC2) DeleteNetworkInsightsPath(ctx context.Context, in *ec2.DeleteNetworkInsightsPathInput) (*ec2.DeleteNetworkInsightsPathOutput, error) {
	if in.NetworkInsightsPathId == nil {
		return nil, missingParameter("networkInsightsPathId")
	}
	s := h.s
	out := &ec2.DeleteNetworkInsightsPathOutput{NetworkInsightsPathId: in.NetworkInsightsPathId}
	return out, s.write(ctx, func(r *regionState) error {
		p, err := find(insightsPathKind, r.insightsPaths(), *in.NetworkInsightsPathId)
		if err != nil {
			return err
		}
		for _, a := range inOrder(r.insightsAnalyses()) {
			if a.Path == p.ID {
				return core.Errorf(AnalysisExistsForNetworkInsightsPath, "The network insights path %s has analyses (%s): delete them first.", p.ID, a.ID)
			}
		}
		delete(r.InsightsPaths, p.ID)
		return nil
	})
}

// StartNetworkInsightsAnalysis analyzes a path on the network as it is now.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartNetworkInsightsAnalysis.html
func (h *EC2) StartNetworkInsightsAnalysis(ctx context.Context, in *ec2.StartNetworkInsightsAnalysisInput) (*ec2.StartNetworkInsightsAnalysisOutput, error) {
	switch {
	case in.NetworkInsightsPathId == nil:
		return nil, missingParameter("networkInsightsPathId")
	case len(in.AdditionalAccounts) > 0:
		return nil, core.Errorf(core.NotImplemented, "The simulator is one account: AdditionalAccounts are not simulated.")
	case len(in.FilterInArns) > 0 || len(in.FilterOutArns) > 0:
		return nil, core.Errorf(core.NotImplemented, "The simulator's analyzer does not list intermediate components: FilterInArns and FilterOutArns are not simulated.")
	}
	t, err := tagsFor(in.TagSpecifications, types.ResourceTypeNetworkInsightsAnalysis)
	if err != nil {
		return nil, err
	}
	s := h.s
	out := &ec2.StartNetworkInsightsAnalysisOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		analyses := r.insightsAnalyses()
		if tok := aws.ToString(in.ClientToken); tok != "" {
			for _, a := range inOrder(analyses) {
				if a.ClientToken == tok {
					o := s.analysisOut(r, a)
					out.NetworkInsightsAnalysis = &o
					return nil
				}
			}
		}
		p, err := find(insightsPathKind, r.insightsPaths(), *in.NetworkInsightsPathId)
		if err != nil {
			return err
		}
		a := &insightsAnalysis{meta: r.newMeta(s.id("nia"), t), Path: p.ID, Started: s.now(), ClientToken: aws.ToString(in.ClientToken)}
		s.analyze(r, p, a)
		analyses[a.ID] = a
		o := s.analysisOut(r, a)
		// Running in this answer, done from the next call on.
		o.Status, o.StatusMessage, o.NetworkPathFound, o.Explanations = types.AnalysisStatusRunning, nil, nil, nil
		out.NetworkInsightsAnalysis = &o
		return nil
	})
}

// analyze decides the analysis a of path p on the network as it is. s.mu is held.
func (s *Store) analyze(r *regionState, p *insightsPath, a *insightsAnalysis) {
	fail := func(msg string) { a.Status, a.Message = types.AnalysisStatusFailed, msg }
	port := p.Port
	if port == 0 {
		for _, f := range []*types.PathRequestFilter{p.FilterSource, p.FilterDest} {
			if f != nil && f.DestinationPortRange != nil && f.DestinationPortRange.FromPort != nil &&
				aws.ToInt32(f.DestinationPortRange.FromPort) == aws.ToInt32(f.DestinationPortRange.ToPort) {
				port = *f.DestinationPortRange.FromPort
			}
		}
	}
	if port == 0 {
		fail("The simulator's analyzer checks one destination port: give the path a DestinationPort, or a DestinationPortRange of one port in a filter.")
		return
	}
	end := func(id, ip string) (world.Endpoint, bool) {
		e := world.Endpoint{Region: r.Name}
		if ip != "" {
			e.Address = netip.MustParseAddr(ip) // checked when the path was made
		}
		switch prefix, _, _ := strings.Cut(id, "-"); prefix {
		case "i":
			e.Instance = id
		case "eni":
			e.Interface = id
		case "igw":
			if r.Gateways[id] == nil {
				fail("internet gateway " + id + " no longer exists")
				return e, false
			}
			e.Internet = true
		}
		return e, true
	}
	from, ok := end(p.Source, p.SourceIP)
	if !ok {
		return
	}
	to, ok := end(p.Destination, p.DestinationIP)
	if !ok {
		return
	}
	v := s.reach(world.Flow{From: from, To: to, Protocol: string(p.Protocol), Port: int(port)})
	switch {
	case v.OK:
		a.Status, a.Found = types.AnalysisStatusSucceeded, true
	case v.Code == "":
		fail(v.Reason)
	default:
		a.Status = types.AnalysisStatusSucceeded
		a.Explanation = &storedExplanation{Code: v.Code, Component: v.Component, Direction: v.Direction, Reason: v.Reason}
		if acl := r.ACLs[v.Component]; acl != nil && v.Code == string(xACL) {
			a.Explanation.Rule = aclRuleOut(acl, v.Direction == "egress", v.Rule)
		}
	}
}

// aclRuleOut is the ACL's rule number of the direction, as an explanation shows it.
func aclRuleOut(a *networkACL, egress bool, number int32) *types.AnalysisAclRule {
	for _, e := range a.sorted(egress) {
		if e.Number != number {
			continue
		}
		rule := &types.AnalysisAclRule{RuleNumber: aws.Int32(e.Number), Egress: aws.Bool(egress), Cidr: aws.String(e.CIDR),
			Protocol: aws.String(e.Protocol), RuleAction: aws.String("deny")}
		if e.Allow {
			rule.RuleAction = aws.String("allow")
		}
		if e.Protocol == "6" || e.Protocol == "17" {
			rule.PortRange = &types.PortRange{From: aws.Int32(e.From), To: aws.Int32(e.To)}
		}
		return rule
	}
	return nil
}

func (s *Store) analysisOut(r *regionState, a *insightsAnalysis) types.NetworkInsightsAnalysis {
	out := types.NetworkInsightsAnalysis{
		NetworkInsightsAnalysisId: aws.String(a.ID), NetworkInsightsAnalysisArn: aws.String(s.arn(r.Name, "network-insights-analysis/"+a.ID)),
		NetworkInsightsPathId: aws.String(a.Path), StartDate: aws.Time(a.Started), Status: a.Status, Tags: a.Tags.out(),
	}
	if a.Status == types.AnalysisStatusFailed {
		out.StatusMessage = aws.String(a.Message)
		return out
	}
	out.NetworkPathFound = aws.Bool(a.Found)
	if x := a.Explanation; x != nil {
		c := &types.AnalysisComponent{Id: aws.String(x.Component)}
		if arn := s.componentARN(r.Name, x.Component); arn != "" {
			c.Arn = aws.String(arn)
		}
		e := types.Explanation{ExplanationCode: aws.String(x.Code), Component: c, ComponentRegion: aws.String(r.Name)}
		if x.Direction != "" {
			e.Direction = aws.String(x.Direction)
		}
		switch prefix, _, _ := strings.Cut(x.Component, "-"); prefix {
		case "sg":
			e.SecurityGroup, e.SecurityGroups = c, []types.AnalysisComponent{*c}
		case "acl":
			e.Acl, e.AclRule = c, x.Rule
		case "rtb":
			e.RouteTable = c
		case "vpc":
			e.Vpc = c
		case "igw":
			e.InternetGateway = c
		case "nat":
			e.NatGateway = c
		case "subnet":
			e.Subnet = c
		case "eni":
			e.NetworkInterface = c
		}
		out.Explanations = []types.Explanation{e}
	}
	return out
}

var insightsAnalysisFields = fields[types.NetworkInsightsAnalysis]{
	"path-found": func(a types.NetworkInsightsAnalysis) []string {
		if a.NetworkPathFound == nil {
			return nil
		}
		return one(strconv.FormatBool(*a.NetworkPathFound))
	},
	"status": func(a types.NetworkInsightsAnalysis) []string { return one(string(a.Status)) },
}

// DescribeNetworkInsightsAnalyses lists the region's analyses: of one path, started in a
// window of time.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInsightsAnalyses.html
func (h *EC2) DescribeNetworkInsightsAnalyses(ctx context.Context, in *ec2.DescribeNetworkInsightsAnalysesInput) (*ec2.DescribeNetworkInsightsAnalysesOutput, error) {
	s := h.s
	out := &ec2.DescribeNetworkInsightsAnalysesOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		if id := aws.ToString(in.NetworkInsightsPathId); id != "" {
			if _, err := find(insightsPathKind, r.InsightsPaths, id); err != nil {
				return err
			}
		}
		as, err := pick(insightsAnalysisKind, r.InsightsAnalyses, in.NetworkInsightsAnalysisIds)
		if err != nil {
			return err
		}
		var all []types.NetworkInsightsAnalysis
		for _, a := range as {
			switch {
			case in.NetworkInsightsPathId != nil && a.Path != *in.NetworkInsightsPathId,
				in.AnalysisStartTime != nil && a.Started.Before(*in.AnalysisStartTime),
				in.AnalysisEndTime != nil && a.Started.After(*in.AnalysisEndTime):
				continue
			}
			all = append(all, s.analysisOut(r, a))
		}
		out.NetworkInsightsAnalyses, out.NextToken, err = describe(all, in.Filters, insightsAnalysisFields,
			func(a types.NetworkInsightsAnalysis) []types.Tag { return a.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// DeleteNetworkInsightsAnalysis deletes an analysis.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNetworkInsightsAnalysis.html
func (h *EC2) DeleteNetworkInsightsAnalysis(ctx context.Context, in *ec2.DeleteNetworkInsightsAnalysisInput) (*ec2.DeleteNetworkInsightsAnalysisOutput, error) {
	if in.NetworkInsightsAnalysisId == nil {
		return nil, missingParameter("networkInsightsAnalysisId")
	}
	s := h.s
	out := &ec2.DeleteNetworkInsightsAnalysisOutput{NetworkInsightsAnalysisId: in.NetworkInsightsAnalysisId}
	return out, s.write(ctx, func(r *regionState) error {
		a, err := find(insightsAnalysisKind, r.insightsAnalyses(), *in.NetworkInsightsAnalysisId)
		if err != nil {
			return err
		}
		delete(r.InsightsAnalyses, a.ID)
		return nil
	})
}

// insightsAccesses names what the Reachability Analyzer's operations act on; ok is false for
// others:
//
//   - CreateNetworkInsightsPath: the new path (network-insights-path/*) with its request tags;
//   - DeleteNetworkInsightsPath: the path (network-insights-path/nip-…), with its tags;
//   - StartNetworkInsightsAnalysis: the new analysis (network-insights-analysis/*) with its
//     request tags, and the path;
//   - DeleteNetworkInsightsAnalysis: the analysis (network-insights-analysis/nia-…).
//
// The Describe operations act on no resource ("*").
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
func (s *Store) insightsAccesses(region string, in any) ([]service.Access, bool) {
	switch in := in.(type) {
	case *ec2.CreateNetworkInsightsPathInput:
		return access(s.arn(region, "network-insights-path/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNetworkInsightsPath)), true
	case *ec2.DeleteNetworkInsightsPathInput:
		return []service.Access{s.insightsAccess(region, "network-insights-path", aws.ToString(in.NetworkInsightsPathId))}, true
	case *ec2.StartNetworkInsightsAnalysisInput:
		return append(access(s.arn(region, "network-insights-analysis/*"), regionCond(region), specTags(in.TagSpecifications, types.ResourceTypeNetworkInsightsAnalysis)),
			s.insightsAccess(region, "network-insights-path", aws.ToString(in.NetworkInsightsPathId))), true
	case *ec2.DeleteNetworkInsightsAnalysisInput:
		return []service.Access{s.insightsAccess(region, "network-insights-analysis", aws.ToString(in.NetworkInsightsAnalysisId))}, true
	}
	return nil, false
}

// insightsAccess is the access to the path or analysis id, with its tags as the store has them.
func (s *Store) insightsAccess(region, resource, id string) service.Access {
	c := regionCond(region)
	s.peek(region, func(r *regionState) {
		if r == nil {
			return
		}
		if p, ok := r.InsightsPaths[id]; ok {
			c.resourceTags(p.Tags)
		}
		if a, ok := r.InsightsAnalyses[id]; ok {
			c.resourceTags(a.Tags)
		}
	})
	return service.Access{Resource: s.arn(region, resource+"/"+id), Context: c}
}
