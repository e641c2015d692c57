package ec2sim

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// spotState is a region's Spot market: its requests, the prices the simulator's owner set,
// and the instant up to which the market has been played (see settleSpot).
type spotState struct {
	SpotRequests map[string]*spotRequest `json:",omitempty"`
	SpotPrices   []priceOverride         `json:",omitempty"`
	SpotSettled  time.Time               `json:",omitzero"`
	SpotTokens   map[string][]string     `json:",omitempty"` // RequestSpotInstances client token → its requests
}

// spotRequest is one Spot Instance request: made by RequestSpotInstances (one per instance
// asked for), or by RunInstances with InstanceMarketOptions for each instance it launched.
type spotRequest struct {
	meta
	Type       types.SpotInstanceType
	MaxPrice   price
	Product    string // Linux/UNIX or Windows, from the image
	Behavior   types.InstanceInterruptionBehavior
	State      types.SpotInstanceState
	Code       string // the status code
	Message    string
	FaultCode  string `json:",omitempty"`
	FaultText  string `json:",omitempty"`
	Created    time.Time
	Updated    time.Time // of the status
	ValidFrom  time.Time `json:",omitzero"`
	ValidUntil time.Time `json:",omitzero"`
	Spec       types.RequestSpotLaunchSpecification
	Groups     []string // the security groups of the launch, resolved to IDs
	Profile    Profile
	Want       string // the one Availability Zone it may launch in (from its subnet or placement), "" for any
	Zone       zone   // where it launched
	Instance   string // the instance it launched last
	LaunchGroup,
	ZoneGroup string
}

// The status codes of Spot requests and their messages.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-request-status.html
// The messages of pending-evaluation, price-too-low and instance-terminated-by-user are
// AWS's, as its API answers them; the others follow their pattern.
var spotMessages = map[string]string{
	"pending-evaluation":                    "Your Spot request has been submitted for review, and is pending evaluation.",
	"not-scheduled-yet":                     "Your Spot request will not be evaluated until %s.",
	"price-too-low":                         "Your Spot request price of %s is lower than the minimum required Spot request fulfillment price of %s.",
	"fulfilled":                             "Your spot request is fulfilled.",
	"schedule-expired":                      "Your Spot request has expired.",
	"canceled-before-fulfillment":           "Your Spot request was canceled before it was fulfilled.",
	"bad-parameters":                        "Your Spot request could not be fulfilled: %s",
	"request-canceled-and-instance-running": "Your Spot request is canceled, but your Spot Instance is still running.",
	"marked-for-termination":                "Your Spot Instance is marked for termination: %s.",
	"marked-for-stop":                       "Your Spot Instance is marked to be stopped: %s.",
	"instance-terminated-by-price":          "Spot Instance terminated due to price.",
	"instance-terminated-no-capacity":       "Spot Instance terminated due to no available capacity.",
	"instance-terminated-by-user":           "Spot Instance terminated due to user-initiated termination.",
	"instance-stopped-by-price":             "Spot Instance stopped due to price.",
	"instance-stopped-no-capacity":          "Spot Instance stopped due to no available capacity.",
	"instance-stopped-by-user":              "Spot Instance stopped due to user-initiated stop.",
}

const (
	spotOpen      = types.SpotInstanceStateOpen
	spotActive    = types.SpotInstanceStateActive
	spotClosed    = types.SpotInstanceStateClosed
	spotCancelled = types.SpotInstanceStateCancelled
	spotFailed    = types.SpotInstanceStateFailed
	spotDisabled  = types.SpotInstanceStateDisabled
)

// setStatus moves the request to state and status code at t; args fill the code's message.
func (q *spotRequest) setStatus(state types.SpotInstanceState, code string, t time.Time, args ...any) {
	msg := spotMessages[code]
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	if q.State != state || q.Code != code || q.Message != msg {
		q.State, q.Code, q.Message, q.Updated = state, code, msg, t
	}
}

// defaultValidity is how long a request made by RequestSpotInstances waits by default.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestSpotInstances.html
const defaultValidity = 7 * 24 * time.Hour

// spotRequestID returns a new request ID: "sir-" and eight lowercase letters and digits, as
// AWS's are (sir-ex1g53fg).
func (s *Store) spotRequestID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := s.ids.Bytes(8)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "sir-" + string(b)
}

// spotAsk is a RequestSpotInstances request, checked.
type spotAsk struct {
	in       *ec2.RequestSpotInstancesInput
	l        *launch
	count    int
	typ      types.SpotInstanceType
	behavior types.InstanceInterruptionBehavior
	max      price
	hasMax   bool
	tags     tags
	from     time.Time
	until    time.Time
}

// checkSpotAsk checks what RequestSpotInstances can check before it looks at the region.
func (s *Store) checkSpotAsk(in *ec2.RequestSpotInstancesInput) (*spotAsk, error) {
	a := &spotAsk{in: in, count: 1, typ: types.SpotInstanceTypeOneTime, behavior: types.InstanceInterruptionBehaviorTerminate}
	if in.InstanceCount != nil {
		if a.count = int(*in.InstanceCount); a.count < 1 {
			return nil, core.Errorf(InvalidParameterValue, "Value (%d) for parameter instanceCount is invalid. Expected a positive integer.", a.count)
		}
	}
	switch in.Type {
	case "":
	case types.SpotInstanceTypeOneTime, types.SpotInstanceTypePersistent:
		a.typ = in.Type
	default:
		return nil, invalidValue("type", string(in.Type), "Valid values are one-time and persistent.")
	}
	if b := in.InstanceInterruptionBehavior; b != "" {
		if !validBehavior(b) {
			return nil, invalidValue("instanceInterruptionBehavior", string(b), "Valid values are hibernate, stop and terminate.")
		}
		a.behavior = b
	}
	// https://github.com/harmony-one/harmony-ops/issues/285 (AWS's answer, quoted)
	if a.typ == types.SpotInstanceTypeOneTime && a.behavior != types.InstanceInterruptionBehaviorTerminate {
		return nil, core.Errorf(InvalidParameterCombination, "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '%s'.", a.behavior)
	}
	if in.BlockDurationMinutes != nil {
		return nil, spotBlocksGone()
	}
	if in.SpotPrice != nil {
		p, err := checkPrice(*in.SpotPrice)
		if err != nil {
			return nil, err
		}
		a.max, a.hasMax = p, true
	}
	now := s.now()
	a.until = now.Add(defaultValidity)
	if in.ValidFrom != nil {
		if !in.ValidFrom.After(now) {
			return nil, invalidValue("validFrom", in.ValidFrom.UTC().Format(time.RFC3339), "The start date must be in the future.")
		}
		a.from = in.ValidFrom.UTC()
		a.until = a.from.Add(defaultValidity)
	}
	if in.ValidUntil != nil {
		if !in.ValidUntil.After(now) {
			return nil, invalidValue("validUntil", in.ValidUntil.UTC().Format(time.RFC3339), "The end date must be in the future.")
		}
		if !a.from.IsZero() && !in.ValidUntil.After(a.from) {
			return nil, core.Errorf(InvalidParameterCombination, "The end date (validUntil) must be after the start date (validFrom).")
		}
		a.until = in.ValidUntil.UTC()
	}
	var err error
	// "The value for ResourceType must be spot-instances-request, otherwise the Spot Instance
	// request fails." — RequestSpotInstancesInput.TagSpecifications
	if a.tags, err = tagsFor(in.TagSpecifications, types.ResourceTypeSpotInstancesRequest); err != nil {
		return nil, err
	}
	spec := in.LaunchSpecification
	if spec == nil {
		return nil, missingParameter("LaunchSpecification")
	}
	if a.l, err = s.checkLaunch(specInput(spec, "")); err != nil {
		return nil, err
	}
	return a, nil
}

func validBehavior(b types.InstanceInterruptionBehavior) bool {
	switch b {
	case types.InstanceInterruptionBehaviorHibernate, types.InstanceInterruptionBehaviorStop, types.InstanceInterruptionBehaviorTerminate:
		return true
	}
	return false
}

// spotBlocksGone refuses Spot blocks (BlockDurationMinutes), which EC2 no longer offers.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-requests.html
func spotBlocksGone() error {
	return core.Errorf(InvalidParameterValue, "Spot Instances with a defined duration (Spot blocks) are no longer available: leave BlockDurationMinutes out.")
}

// specInput is the RunInstances request that launches one instance of a Spot request's
// launch specification, in zone if it is not "".
func specInput(spec *types.RequestSpotLaunchSpecification, zone string) *ec2.RunInstancesInput {
	in := &ec2.RunInstancesInput{
		ImageId: spec.ImageId, InstanceType: spec.InstanceType, KeyName: spec.KeyName, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SecurityGroupIds: spec.SecurityGroupIds, SecurityGroups: spec.SecurityGroups, SubnetId: spec.SubnetId, UserData: spec.UserData,
		IamInstanceProfile: spec.IamInstanceProfile, EbsOptimized: spec.EbsOptimized, NetworkInterfaces: spec.NetworkInterfaces,
		BlockDeviceMappings: spec.BlockDeviceMappings,
	}
	if in.ImageId == nil {
		in.ImageId = aws.String("") // RunInstances' MissingParameter would name ImageId; EC2 says it is invalid here
	}
	if spec.Monitoring != nil {
		in.Monitoring = &types.RunInstancesMonitoringEnabled{Enabled: spec.Monitoring.Enabled}
	}
	if p := spec.Placement; p != nil && p.AvailabilityZone != nil {
		zone = *p.AvailabilityZone
	}
	if zone != "" {
		in.Placement = &types.Placement{AvailabilityZone: aws.String(zone)}
	}
	return in
}

// RequestSpotInstances asks for Spot Instances at a maximum price (the on-demand price when
// none is given): one request per instance, answered "open" and "pending-evaluation". The
// simulator evaluates them before it answers anything else: a request whose price covers the
// Spot price of an Availability Zone it may use is fulfilled there at once, in the cheapest;
// the others wait, "price-too-low", until the price falls.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestSpotInstances.html
func (h *EC2) RequestSpotInstances(ctx context.Context, in *ec2.RequestSpotInstancesInput) (*ec2.RequestSpotInstancesOutput, error) {
	s := h.s
	a, err := s.checkSpotAsk(in)
	if err != nil {
		return nil, err
	}
	out := &ec2.RequestSpotInstancesOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		r.initSpot()
		if ids, ok := r.SpotTokens[aws.ToString(in.ClientToken)]; ok && in.ClientToken != nil {
			for _, id := range ids {
				if q, ok := r.SpotRequests[id]; ok {
					out.SpotInstanceRequests = append(out.SpotInstanceRequests, s.spotRequestOut(r, q))
				}
			}
			return nil
		}
		im, sn, groups, err := r.checkPlacement(a.l, s.now())
		if err != nil {
			return err
		}
		product := productFor(im.Windows)
		od, ok := onDemandPrice(a.l.itype.Name, product)
		if !ok {
			return core.Errorf(InvalidParameterValue, "The instance type '%s' is not offered for %s.", a.l.itype.Name, product)
		}
		if !a.hasMax {
			// "If you do not specify this parameter, you will pay the current Spot price", up to
			// the on-demand price, which requests show as their maximum.
			a.max = od
		}
		if r.running()+a.count > maxInstances {
			return core.Errorf(MaxSpotInstanceCountExceeded, "Max spot instance count exceeded")
		}
		want := ""
		if a.l.subnetID != nil || a.l.in.Placement != nil {
			want = sn.Zone.Name
		}
		now := s.now()
		for range a.count {
			q := &spotRequest{
				meta: r.newMeta(s.spotRequestID(), a.tags.clone()), Type: a.typ, MaxPrice: a.max, Product: product, Behavior: a.behavior,
				Created: now, ValidFrom: a.from, ValidUntil: a.until, Spec: *in.LaunchSpecification, Groups: groups, Profile: a.l.profile,
				Want: want, LaunchGroup: aws.ToString(in.LaunchGroup), ZoneGroup: aws.ToString(in.AvailabilityZoneGroup),
			}
			q.setStatus(spotOpen, "pending-evaluation", now)
			r.SpotRequests[q.ID] = q
			out.SpotInstanceRequests = append(out.SpotInstanceRequests, s.spotRequestOut(r, q))
			if !q.ValidFrom.IsZero() {
				q.setStatus(spotOpen, "not-scheduled-yet", now, q.ValidFrom.Format(time.RFC3339))
			}
			if in.ClientToken != nil {
				r.SpotTokens[*in.ClientToken] = append(r.SpotTokens[*in.ClientToken], q.ID)
			}
		}
		return nil
	})
}

// checkPlacement resolves a launch's image, subnet and security groups as RunInstances
// does, without launching anything.
func (r *regionState) checkPlacement(l *launch, now time.Time) (regionImage, *subnet, []string, error) {
	im, err := r.launchable(l.in.ImageId, now)
	if err != nil {
		return im, nil, nil, err
	}
	if err := archMismatch(l.itype, im); err != nil {
		return im, nil, nil, err
	}
	if l.in.KeyName != nil {
		if _, ok := r.KeyPairs[*l.in.KeyName]; !ok {
			return im, nil, nil, core.Errorf(InvalidKeyPairNotFound, "The key pair '%s' does not exist", *l.in.KeyName)
		}
	}
	sn, err := r.placement(l)
	if err != nil {
		return im, nil, nil, err
	}
	groups, err := r.launchGroups(l, sn)
	return im, sn, groups, err
}

// running counts the region's instances that are not terminated.
func (r *regionState) running() int {
	n := 0
	for _, i := range r.Instances {
		if i.State != stateTerminated {
			n++
		}
	}
	return n
}

func (r *regionState) initSpot() {
	if r.SpotRequests == nil {
		r.SpotRequests = map[string]*spotRequest{}
	}
	if r.SpotTokens == nil {
		r.SpotTokens = map[string][]string{}
	}
}

// spotRequestOut describes a request as DescribeSpotInstanceRequests does.
func (s *Store) spotRequestOut(r *regionState, q *spotRequest) types.SpotInstanceRequest {
	out := types.SpotInstanceRequest{
		SpotInstanceRequestId: aws.String(q.ID), SpotPrice: aws.String(q.MaxPrice.String()), Type: q.Type, State: q.State,
		Status:     &types.SpotInstanceStatus{Code: aws.String(q.Code), Message: aws.String(q.Message), UpdateTime: aws.Time(q.Updated)},
		CreateTime: aws.Time(q.Created), ProductDescription: types.RIProductDescription(q.Product),
		InstanceInterruptionBehavior: q.Behavior, LaunchSpecification: r.launchSpecOut(q), Tags: q.Tags.out(),
	}
	if q.Instance != "" {
		out.InstanceId = aws.String(q.Instance)
		out.LaunchedAvailabilityZone, out.LaunchedAvailabilityZoneId = aws.String(q.Zone.Name), aws.String(q.Zone.ID)
	}
	if !q.ValidFrom.IsZero() {
		out.ValidFrom = aws.Time(q.ValidFrom)
	}
	if !q.ValidUntil.IsZero() {
		out.ValidUntil = aws.Time(q.ValidUntil)
	}
	if q.FaultCode != "" {
		out.Fault = &types.SpotInstanceStateFault{Code: aws.String(q.FaultCode), Message: aws.String(q.FaultText)}
	}
	if q.LaunchGroup != "" {
		out.LaunchGroup = aws.String(q.LaunchGroup)
	}
	if q.ZoneGroup != "" {
		out.AvailabilityZoneGroup = aws.String(q.ZoneGroup)
	}
	return out
}

// launchSpecOut is the request's launch specification as EC2 describes it: its security
// groups by ID and name, its instance profile by ARN.
func (r *regionState) launchSpecOut(q *spotRequest) *types.LaunchSpecification {
	sp := q.Spec
	out := &types.LaunchSpecification{
		ImageId: sp.ImageId, InstanceType: sp.InstanceType, KeyName: sp.KeyName, SubnetId: sp.SubnetId, UserData: sp.UserData,
		SecurityGroups: r.groupIdentifiers(q.Groups), BlockDeviceMappings: sp.BlockDeviceMappings, NetworkInterfaces: sp.NetworkInterfaces,
		EbsOptimized: aws.Bool(aws.ToBool(sp.EbsOptimized)),
		Monitoring:   &types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(sp.Monitoring != nil && aws.ToBool(sp.Monitoring.Enabled))},
	}
	if out.InstanceType == "" {
		out.InstanceType = types.InstanceTypeM1Small
	}
	if z := q.Want; z != "" {
		out.Placement = &types.SpotPlacement{AvailabilityZone: aws.String(z), Tenancy: types.TenancyDefault}
	} else if q.Zone.Name != "" {
		out.Placement = &types.SpotPlacement{AvailabilityZone: aws.String(q.Zone.Name), Tenancy: types.TenancyDefault}
	}
	if q.Profile.ARN != "" {
		out.IamInstanceProfile = &types.IamInstanceProfileSpecification{Arn: aws.String(q.Profile.ARN)}
	}
	return out
}

var spotFields = fields[types.SpotInstanceRequest]{
	"spot-instance-request-id":      func(q types.SpotInstanceRequest) []string { return one(*q.SpotInstanceRequestId) },
	"state":                         func(q types.SpotInstanceRequest) []string { return one(string(q.State)) },
	"status-code":                   func(q types.SpotInstanceRequest) []string { return one(*q.Status.Code) },
	"status-message":                func(q types.SpotInstanceRequest) []string { return one(*q.Status.Message) },
	"type":                          func(q types.SpotInstanceRequest) []string { return one(string(q.Type)) },
	"spot-price":                    func(q types.SpotInstanceRequest) []string { return one(*q.SpotPrice) },
	"product-description":           func(q types.SpotInstanceRequest) []string { return one(string(q.ProductDescription)) },
	"instance-id":                   func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.InstanceId)) },
	"launched-availability-zone":    func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.LaunchedAvailabilityZone)) },
	"launched-availability-zone-id": func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.LaunchedAvailabilityZoneId)) },
	"launch-group":                  func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.LaunchGroup)) },
	"availability-zone-group":       func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.AvailabilityZoneGroup)) },
	"create-time":                   func(q types.SpotInstanceRequest) []string { return one(timeValue(q.CreateTime)) },
	"valid-from":                    func(q types.SpotInstanceRequest) []string { return one(timeValue(q.ValidFrom)) },
	"valid-until":                   func(q types.SpotInstanceRequest) []string { return one(timeValue(q.ValidUntil)) },
	"fault-code": func(q types.SpotInstanceRequest) []string {
		if q.Fault == nil {
			return nil
		}
		return one(*q.Fault.Code)
	},
	"fault-message": func(q types.SpotInstanceRequest) []string {
		if q.Fault == nil {
			return nil
		}
		return one(*q.Fault.Message)
	},
	"launch.image-id":      func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.LaunchSpecification.ImageId)) },
	"launch.instance-type": func(q types.SpotInstanceRequest) []string { return one(string(q.LaunchSpecification.InstanceType)) },
	"launch.key-name":      func(q types.SpotInstanceRequest) []string { return one(aws.ToString(q.LaunchSpecification.KeyName)) },
	"launch.monitoring-enabled": func(q types.SpotInstanceRequest) []string {
		return boolValue(aws.ToBool(q.LaunchSpecification.Monitoring.Enabled))
	},
	"launch.group-id": func(q types.SpotInstanceRequest) []string {
		return collect(q.LaunchSpecification.SecurityGroups, func(g types.GroupIdentifier) *string { return g.GroupId })
	},
	"launch.group-name": func(q types.SpotInstanceRequest) []string {
		return collect(q.LaunchSpecification.SecurityGroups, func(g types.GroupIdentifier) *string { return g.GroupName })
	},
}

func timeValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// DescribeSpotInstanceRequests lists Spot requests, 5 to 1000 a page. Requests are forgotten
// four hours after they were canceled or closed and their instance is gone.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotInstanceRequests.html
func (h *EC2) DescribeSpotInstanceRequests(ctx context.Context, in *ec2.DescribeSpotInstanceRequestsInput) (*ec2.DescribeSpotInstanceRequestsOutput, error) {
	s := h.s
	out := &ec2.DescribeSpotInstanceRequestsOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		if len(in.SpotInstanceRequestIds) > 0 && in.MaxResults != nil {
			return core.Errorf(InvalidParameterCombination, "The parameter spotInstanceRequestIdSet cannot be used with the parameter maxResults")
		}
		qs, err := pick(spotRequestKind, r.visibleSpot(s.now()), in.SpotInstanceRequestIds)
		if err != nil {
			return err
		}
		all := make([]types.SpotInstanceRequest, len(qs))
		for k, q := range qs {
			all[k] = s.spotRequestOut(r, q)
		}
		out.SpotInstanceRequests, out.NextToken, err = describe(all, in.Filters, spotFields,
			func(q types.SpotInstanceRequest) []types.Tag { return q.Tags }, in.MaxResults, in.NextToken)
		return err
	})
}

// CancelSpotInstanceRequests cancels Spot requests. An instance a request launched keeps
// running: terminate it yourself. A request already closed, canceled or failed is answered as
// it is.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CancelSpotInstanceRequests.html
func (h *EC2) CancelSpotInstanceRequests(ctx context.Context, in *ec2.CancelSpotInstanceRequestsInput) (*ec2.CancelSpotInstanceRequestsOutput, error) {
	s := h.s
	if len(in.SpotInstanceRequestIds) == 0 {
		return nil, missingParameter("SpotInstanceRequestId")
	}
	out := &ec2.CancelSpotInstanceRequestsOutput{}
	return out, s.write(ctx, func(r *regionState) error {
		qs, err := pick(spotRequestKind, r.SpotRequests, in.SpotInstanceRequestIds)
		if err != nil {
			return err
		}
		now := s.now()
		out.CancelledSpotInstanceRequests = []types.CancelledSpotInstanceRequest{}
		for _, q := range qs {
			switch q.State {
			case spotOpen:
				q.setStatus(spotCancelled, "canceled-before-fulfillment", now)
			case spotActive, spotDisabled:
				q.setStatus(spotCancelled, "request-canceled-and-instance-running", now)
			}
			state := types.CancelSpotInstanceRequestState(q.State)
			if q.State == spotFailed {
				state = types.CancelSpotInstanceRequestStateClosed
			}
			out.CancelledSpotInstanceRequests = append(out.CancelledSpotInstanceRequests,
				types.CancelledSpotInstanceRequest{SpotInstanceRequestId: aws.String(q.ID), State: state})
		}
		return nil
	})
}
