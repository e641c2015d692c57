package ec2sim

import (
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// instanceSpot is what a Spot Instance has beyond an on-demand one: its request, and an
// interruption EC2 has given notice of.
type instanceSpot struct {
	Request     string
	Action      types.InstanceInterruptionBehavior `json:",omitempty"` // the interruption under notice
	Cause       string                             `json:",omitempty"` // "price" or "capacity"
	Notice      time.Time                          `json:",omitzero"`
	Deadline    time.Time                          `json:",omitzero"`
	Interrupted bool                               `json:",omitempty"` // EC2 stopped or terminated it last
}

// noticePeriod is the warning a Spot Instance gets before it is interrupted.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
const noticePeriod = 2 * time.Minute

// forgetAfter is how long a finished request stays listed: "Spot Instance requests are
// deleted four hours after they are canceled and their instances are terminated."
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotInstanceRequests.html
const forgetAfter = 4 * time.Hour

// maxCatchUp bounds how far back the market is replayed when the clock has moved a long way
// since the region was last used.
const maxCatchUp = 31 * 24 * time.Hour

// # Playing the market
//
// The Spot market moves with the simulator's clock, which moves by itself (the wall clock)
// or when told (Cloud.Advance), never by a timer. So the market is played lazily: before a
// request touches a region, settleSpot replays every instant since it last did at which
// something could happen — a change of a watched price, a notice falling due, a request
// expiring — and after a request changed the region, settleSpot plays the present once more,
// so that a request fulfilled or an instance interrupted shows in the very next answer. The
// market's state is therefore always settled, as instances' states are (see instance).

// spotBusy reports whether the region's market may change with time: a request waiting for
// a price, a Spot Instance running or stopped by an interruption. A read of a busy region
// settles it first, under the write lock.
func (r *regionState) spotBusy() bool {
	for _, q := range r.SpotRequests {
		if q.State == spotOpen || q.State == spotActive || q.State == spotDisabled {
			return true
		}
		if i, ok := r.Instances[q.Instance]; ok && i.State == running {
			return true
		}
	}
	return false
}

// settleSpot plays the region's market up to the present. s.mu is held for writing.
func (s *Store) settleSpot(r *regionState) {
	now := s.now()
	if len(r.SpotRequests) == 0 {
		r.SpotSettled = time.Time{} // nothing to play: a region without Spot saves as before
		return
	}
	from := r.SpotSettled
	if from.IsZero() || from.After(now) {
		from = now
	}
	if now.Sub(from) > maxCatchUp {
		from = now.Add(-maxCatchUp)
	}
	for _, t := range r.spotInstants(from, now) {
		s.spotStep(r, t)
	}
	s.spotStep(r, now)
	r.SpotSettled = now
	for id, q := range r.SpotRequests {
		if r.forgotten(q, now) {
			delete(r.SpotRequests, id)
		}
	}
}

// forgotten reports whether a request is finished — closed, canceled or failed, its instance
// terminated — since four hours at now.
func (r *regionState) forgotten(q *spotRequest, now time.Time) bool {
	if i, ok := r.Instances[q.Instance]; ok && i.State != stateTerminated {
		return false
	}
	return (q.State == spotClosed || q.State == spotCancelled || q.State == spotFailed) && !now.Before(q.Updated.Add(forgetAfter))
}

// visibleSpot returns the requests DescribeSpotInstanceRequests still shows.
func (r *regionState) visibleSpot(now time.Time) map[string]*spotRequest {
	out := make(map[string]*spotRequest, len(r.SpotRequests))
	for id, q := range r.SpotRequests {
		if !r.forgotten(q, now) {
			out[id] = q
		}
	}
	return out
}

// spotInstants returns the instants in (from, to) at which the market may act, in order.
func (r *regionState) spotInstants(from, to time.Time) []time.Time {
	if !from.Before(to) {
		return nil
	}
	var out []time.Time
	add := func(t time.Time) {
		if t.After(from) && t.Before(to) {
			out = append(out, t)
		}
	}
	watched := map[string]market{}
	for _, q := range r.SpotRequests {
		add(q.ValidFrom)
		add(q.ValidUntil)
		i := r.Instances[q.Instance]
		switch {
		case q.State == spotOpen:
			for _, z := range r.candidateZones(q) {
				m := q.market(z.Name)
				watched[m.key()] = m
			}
		case i != nil && (i.State == running || i.State == stopped && i.Spot.Interrupted):
			m := q.market(i.Zone.Name)
			watched[m.key()] = m
			add(i.Spot.Deadline)
		}
	}
	for _, m := range watched {
		for _, pt := range r.priceChanges(m, from, to) {
			add(pt.At)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.Compact(out)
}

// market returns the price series a request's instance is billed by in zone.
func (q *spotRequest) market(zone string) market {
	return market{Zone: zone, Type: q.instanceType(), Windows: windowsProduct(q.Product)}
}

func (q *spotRequest) instanceType() types.InstanceType {
	if q.Spec.InstanceType == "" {
		return types.InstanceTypeM1Small
	}
	return q.Spec.InstanceType
}

// candidateZones returns the zones a request may launch in: the one it asked for, or the
// region's zones.
func (r *regionState) candidateZones(q *spotRequest) []zone {
	geo, _ := lookupRegion(r.Name)
	if q.Want != "" {
		z, _ := geo.zoneNamed(q.Want)
		return []zone{z}
	}
	return geo.zones()
}

// spotStep plays the market at t: notices falling due are carried out, requests expire,
// open requests are fulfilled if the price lets them, running Spot Instances whose maximum
// price the Spot price passed get their notice, and instances stopped by an interruption
// start again when it falls back.
func (s *Store) spotStep(r *regionState, t time.Time) {
	for _, q := range inOrder(r.SpotRequests) {
		i := r.Instances[q.Instance]
		if i != nil && i.Spot.Action != "" && i.State == running && !i.Spot.Deadline.After(t) {
			s.interrupt(r, q, i, i.Spot.Deadline)
		}
		if q.State == spotOpen && !q.ValidUntil.IsZero() && !q.ValidUntil.After(t) {
			q.setStatus(spotCancelled, "schedule-expired", q.ValidUntil)
			continue
		}
		switch {
		case q.State == spotOpen:
			if q.ValidFrom.IsZero() || !q.ValidFrom.After(t) {
				s.fulfil(r, q, t)
			}
		case i != nil && i.State == running && i.Spot.Action == "":
			if p, _ := r.spotPrice(q.market(i.Zone.Name), t); p > q.MaxPrice {
				r.notice(q, i, t, "price")
			}
		case i != nil && i.State == stopped && i.Spot.Interrupted && q.State == spotDisabled:
			if p, _ := r.spotPrice(q.market(i.Zone.Name), t); p <= q.MaxPrice {
				s.restart(r, q, i, t)
			}
		}
	}
}

// fulfil launches the instance of an open request in the cheapest zone it may use, if its
// maximum price covers that zone's Spot price at t.
func (s *Store) fulfil(r *regionState, q *spotRequest, t time.Time) {
	var best zone
	var bestPrice price = -1
	for _, z := range r.candidateZones(q) {
		if p, _ := r.spotPrice(q.market(z.Name), t); bestPrice < 0 || p < bestPrice {
			best, bestPrice = z, p
		}
	}
	if bestPrice > q.MaxPrice {
		q.setStatus(spotOpen, "price-too-low", t, q.MaxPrice.short(), bestPrice.short())
		return
	}
	i, err := s.launchSpot(r, q, best.Name)
	if err != nil {
		e := core.AsError(err)
		q.FaultCode, q.FaultText = string(e.Code), e.Message
		q.setStatus(spotFailed, "bad-parameters", t, e.Message)
		return
	}
	i.Launched = t
	q.Instance, q.Zone = i.ID, i.Zone
	q.setStatus(spotActive, "fulfilled", t)
}

// launchSpot launches one instance of a request's launch specification in zone.
func (s *Store) launchSpot(r *regionState, q *spotRequest, zone string) (*instance, error) {
	in := specInput(&q.Spec, zone)
	in.IamInstanceProfile = nil // resolved when the request was made
	l, err := s.checkLaunch(in)
	if err != nil {
		return nil, err
	}
	l.profile = q.Profile
	is, err := s.launchIn(r, l)
	if err != nil {
		return nil, err
	}
	is[0].Spot = &instanceSpot{Request: q.ID}
	return is[0], nil
}

// notice gives a running Spot Instance its two-minute warning: the request shows it marked,
// the instance's metadata service answers spot/instance-action.
func (r *regionState) notice(q *spotRequest, i *instance, t time.Time, cause string) {
	i.Spot.Action, i.Spot.Cause, i.Spot.Notice, i.Spot.Deadline = q.Behavior, cause, t, t.Add(noticePeriod)
	why := "the Spot price is higher than your maximum price"
	if cause == "capacity" {
		why = "Amazon EC2 needs the capacity back"
	}
	// marked-for-termination closes the request; marked-for-stop leaves it active.
	// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instances-request-status-lifecycle.html
	state, code := spotClosed, "marked-for-termination"
	if q.Behavior != types.InstanceInterruptionBehaviorTerminate {
		state, code = spotActive, "marked-for-stop"
	}
	if q.State == spotCancelled {
		state = spotCancelled
	}
	q.setStatus(state, code, t, why)
}

// interrupt carries out a notice at t: the instance is terminated, or stopped (hibernation
// is simulated as a stop), with the Spot service as the reason. A persistent request opens
// again after a termination, and is disabled, waiting to start its instance again, after a
// stop.
func (s *Store) interrupt(r *regionState, q *spotRequest, i *instance, t time.Time) {
	action, cause := i.Spot.Action, i.Spot.Cause
	i.Spot.Action, i.Spot.Cause, i.Spot.Notice, i.Spot.Deadline = "", "", time.Time{}, time.Time{}
	i.Spot.Interrupted = true
	suffix := "by-price"
	if cause == "capacity" {
		suffix = "no-capacity"
	}
	if action == types.InstanceInterruptionBehaviorTerminate {
		terminate.apply(s, r, i)
		i.Terminated = t
		r.setState(i, stateTerminated)
		s.emit(r, i, InstanceTerminated)
		state := spotClosed
		switch {
		case q.State == spotCancelled:
			state = spotCancelled
		case q.Type == types.SpotInstanceTypePersistent && (q.ValidUntil.IsZero() || q.ValidUntil.After(t)):
			state = spotOpen
		}
		q.setStatus(state, "instance-terminated-"+suffix, t)
	} else {
		stop.apply(s, r, i)
		r.setState(i, stopped)
		s.emit(r, i, InstanceStopped)
		state := spotDisabled
		if q.State == spotCancelled {
			state = spotCancelled
		}
		q.setStatus(state, "instance-stopped-"+suffix, t)
	}
	i.Reason = "Service initiated (" + t.Format("2006-01-02 15:04:05") + " GMT)"
}

// restart starts an instance that an interruption stopped, now that the price lets it run.
func (s *Store) restart(r *regionState, q *spotRequest, i *instance, t time.Time) {
	start.apply(s, r, i)
	i.State, i.Spot.Interrupted = running, false
	s.emit(r, i, InstanceStarted)
	q.setStatus(spotActive, "fulfilled", t)
}

// spotCheck refuses what EC2 refuses of a Spot Instance: to stop one of a one-time request,
// to start one that an interruption stopped (the Spot service starts it again).
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-spot-instances-request.html
func (r *regionState) spotCheck(i *instance, c change) error {
	if i.Spot == nil || i.State == c.to {
		return nil
	}
	q := r.SpotRequests[i.Spot.Request]
	switch {
	case c.to == stopped && (q == nil || q.Type == types.SpotInstanceTypeOneTime):
		return core.Errorf(UnsupportedOperation, "You can't stop the Spot Instance '%s' because it is associated with a one-time Spot Instance request. "+
			"You can only stop Spot Instances associated with persistent Spot Instance requests.", i.ID)
	case c.to == running && i.Spot.Interrupted && q != nil && q.State == spotDisabled:
		return core.Errorf(IncorrectSpotRequestState, "The Spot Instance '%s' was stopped by an interruption of its request '%s': "+
			"Amazon EC2 starts it again when the Spot price is under the request's maximum price.", i.ID, q.ID)
	}
	return nil
}

// spotChanged updates a Spot Instance's request after the user stopped, started or
// terminated the instance.
func (s *Store) spotChanged(r *regionState, i *instance) {
	if i.Spot == nil {
		return
	}
	i.Spot.Action, i.Spot.Cause, i.Spot.Notice, i.Spot.Deadline, i.Spot.Interrupted = "", "", time.Time{}, time.Time{}, false
	q := r.SpotRequests[i.Spot.Request]
	if q == nil || q.Instance != i.ID {
		return
	}
	now := s.now()
	keep := func(state types.SpotInstanceState) types.SpotInstanceState {
		if q.State == spotCancelled {
			return spotCancelled
		}
		return state
	}
	switch i.State {
	case stateTerminated:
		// A persistent request opens again when its instance is terminated: cancel it first
		// to keep it from launching another.
		// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-a-spot-instance.html
		state := spotClosed
		if q.Type == types.SpotInstanceTypePersistent && (q.ValidUntil.IsZero() || q.ValidUntil.After(now)) {
			state = spotOpen
		}
		q.setStatus(keep(state), "instance-terminated-by-user", now)
	case stopped:
		q.setStatus(keep(spotDisabled), "instance-stopped-by-user", now)
	case running:
		if q.State == spotCancelled {
			q.setStatus(spotCancelled, "request-canceled-and-instance-running", now)
		} else {
			q.setStatus(spotActive, "fulfilled", now)
		}
	}
}

// spotInstanceOut adds what DescribeInstances says of a Spot Instance.
func spotInstanceOut(i *instance, out *types.Instance) {
	if i.Spot == nil {
		return
	}
	out.InstanceLifecycle = types.InstanceLifecycleTypeSpot
	out.SpotInstanceRequestId = aws.String(i.Spot.Request)
	if i.Spot.Interrupted && i.State != running {
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StateReason.html
		code, what := "Server.SpotInstanceTermination", "Spot instance termination"
		if i.State == stopped {
			code, what = "Server.SpotInstanceShutdown", "Spot instance shutdown"
		}
		out.StateReason = &types.StateReason{Code: aws.String(code), Message: aws.String(code + ": " + what)}
	}
}

func init() {
	instanceFields["instance-lifecycle"] = func(i reserved) []string { return one(string(i.InstanceLifecycle)) }
	instanceFields["spot-instance-request-id"] = func(i reserved) []string { return one(aws.ToString(i.SpotInstanceRequestId)) }
}

// marketLaunch is the Spot part of a RunInstances request (InstanceMarketOptions).
type marketLaunch struct {
	typ      types.SpotInstanceType
	behavior types.InstanceInterruptionBehavior
	max      price
	hasMax   bool
	until    time.Time
	tags     tags
}

// checkMarket reads RunInstances' InstanceMarketOptions: nil for an on-demand launch.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SpotMarketOptions.html
func checkMarket(in *ec2.RunInstancesInput, now time.Time) (*marketLaunch, error) {
	mo := in.InstanceMarketOptions
	if mo == nil {
		return nil, nil
	}
	switch mo.MarketType {
	case types.MarketTypeSpot:
	case types.MarketTypeCapacityBlock:
		return nil, core.Errorf(InvalidParameterValue, "The simulator has no Capacity Blocks: use MarketType spot, or leave InstanceMarketOptions out for On-Demand.")
	default:
		return nil, invalidValue("InstanceMarketOptions.MarketType", string(mo.MarketType), "Valid values are spot and capacity-block.")
	}
	m := &marketLaunch{typ: types.SpotInstanceTypeOneTime, behavior: types.InstanceInterruptionBehaviorTerminate}
	so := mo.SpotOptions
	if so == nil {
		so = &types.SpotMarketOptions{}
	}
	switch so.SpotInstanceType {
	case "":
	case types.SpotInstanceTypeOneTime, types.SpotInstanceTypePersistent:
		m.typ = so.SpotInstanceType
	default:
		return nil, invalidValue("SpotInstanceType", string(so.SpotInstanceType), "Valid values are one-time and persistent.")
	}
	if b := so.InstanceInterruptionBehavior; b != "" {
		if !validBehavior(b) {
			return nil, invalidValue("InstanceInterruptionBehavior", string(b), "Valid values are hibernate, stop and terminate.")
		}
		m.behavior = b
	} else if m.typ == types.SpotInstanceTypePersistent && in.HibernationOptions != nil && aws.ToBool(in.HibernationOptions.Configured) {
		m.behavior = types.InstanceInterruptionBehaviorHibernate
	}
	if in.HibernationOptions != nil && aws.ToBool(in.HibernationOptions.Configured) && m.behavior != types.InstanceInterruptionBehaviorHibernate {
		return nil, core.Errorf(InvalidParameterCombination, "An instance configured for hibernation must have the Spot interruption behavior hibernate, not '%s'.", m.behavior)
	}
	if so.BlockDurationMinutes != nil {
		return nil, spotBlocksGone()
	}
	switch {
	// https://github.com/aws/aws-cli/issues/4679 (AWS's answer, quoted)
	case so.ValidUntil != nil && m.typ == types.SpotInstanceTypeOneTime:
		return nil, core.Errorf(InvalidParameterCombination, "The parameter validUntil cannot be specified when the SpotRequestType is set to 'one-time'.")
	case m.typ == types.SpotInstanceTypeOneTime && m.behavior != types.InstanceInterruptionBehaviorTerminate:
		return nil, core.Errorf(InvalidParameterCombination, "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '%s'.", m.behavior)
	// "For RunInstances, persistent Spot Instance requests are only supported when the
	// instance interruption behavior is either hibernate or stop." — SpotMarketOptions
	case m.typ == types.SpotInstanceTypePersistent && m.behavior == types.InstanceInterruptionBehaviorTerminate:
		return nil, core.Errorf(InvalidParameterCombination, "The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent.")
	}
	if so.ValidUntil != nil {
		if !so.ValidUntil.After(now) {
			return nil, invalidValue("validUntil", so.ValidUntil.UTC().Format(time.RFC3339), "The end date must be in the future.")
		}
		m.until = so.ValidUntil.UTC()
	}
	if so.MaxPrice != nil {
		p, err := checkPrice(*so.MaxPrice)
		if err != nil {
			return nil, err
		}
		m.max, m.hasMax = p, true
	}
	var err error
	if m.tags, err = tagsFor(in.TagSpecifications, types.ResourceTypeSpotInstancesRequest,
		types.ResourceTypeInstance, types.ResourceTypeVolume, types.ResourceTypeNetworkInterface); err != nil {
		return nil, err
	}
	return m, nil
}

// checkMarketPrice refuses a Spot launch whose maximum price is under the Spot price in the
// subnet's zone, with the code and message RunInstances answers.
func (r *regionState) checkMarketPrice(l *launch, z zone, im regionImage, now time.Time) error {
	m := l.market
	product := productFor(im.Windows)
	od, ok := onDemandPrice(l.itype.Name, product)
	if !ok {
		return core.Errorf(InvalidParameterValue, "The instance type '%s' is not offered for %s.", l.itype.Name, product)
	}
	if !m.hasMax {
		m.max = od
	}
	mk := market{Zone: z.Name, Type: l.itype.Name, Windows: im.Windows}
	if p, _ := r.spotPrice(mk, now); p > m.max {
		// https://github.com/aws/aws-parallelcluster-node/pull/415 (AWS's answer, quoted)
		return core.Errorf(SpotMaxPriceTooLow, "Your Spot request price of %s is lower than the minimum required Spot request fulfillment price of %s.", m.max.short(), p.short())
	}
	return nil
}

// marketRequest makes the Spot request of an instance RunInstances launched on the Spot
// market: fulfilled, with the instance, and the launch specification to launch another if
// it is persistent and its instance is terminated.
func (s *Store) marketRequest(r *regionState, l *launch, i *instance, im regionImage, groups []string) {
	r.initSpot()
	m, now := l.market, s.now()
	in := l.in
	q := &spotRequest{
		meta: r.newMeta(s.spotRequestID(), m.tags.clone()), Type: m.typ, MaxPrice: m.max, Product: productFor(im.Windows),
		Behavior: m.behavior, Created: now, ValidUntil: m.until, Groups: groups, Profile: l.profile,
		Spec: types.RequestSpotLaunchSpecification{
			ImageId: in.ImageId, InstanceType: i.Type, KeyName: in.KeyName, SubnetId: aws.String(i.Subnet), UserData: in.UserData,
			SecurityGroupIds: groups, // so that a persistent request launches the same instance again
			EbsOptimized:     in.EbsOptimized, BlockDeviceMappings: in.BlockDeviceMappings,
		},
		Want: i.Zone.Name, Zone: i.Zone, Instance: i.ID,
	}
	if in.Monitoring != nil {
		q.Spec.Monitoring = &types.RunInstancesMonitoringEnabled{Enabled: in.Monitoring.Enabled}
	}
	q.setStatus(spotActive, "fulfilled", now)
	r.SpotRequests[q.ID] = q
	i.Spot = &instanceSpot{Request: q.ID}
}

// SpotNotice is a Spot Instance's interruption notice.
type SpotNotice struct {
	InstanceID, RequestID string
	Action                string    // terminate, stop or hibernate
	Notice                time.Time // when EC2 gave notice
	Time                  time.Time // when it acts: two minutes after the notice
}

func noticeOf(i *instance) *SpotNotice {
	if i.Spot == nil || i.Spot.Action == "" {
		return nil
	}
	return &SpotNotice{InstanceID: i.ID, RequestID: i.Spot.Request, Action: string(i.Spot.Action), Notice: i.Spot.Notice, Time: i.Spot.Deadline}
}

// SpotMarket names one Spot market: an instance type in an Availability Zone, for a product
// ("Linux/UNIX" when empty).
type SpotMarket struct {
	AvailabilityZone, InstanceType, ProductDescription string
}

// market checks m and returns its region and series.
func (m SpotMarket) market() (string, market, error) {
	var geo *region
	var z zone
	for i := range regions {
		if found, ok := regions[i].zoneNamed(m.AvailabilityZone); ok {
			geo, z = &regions[i], found
			break
		}
	}
	if geo == nil {
		return "", market{}, core.Errorf(InvalidParameterValue, "Invalid availability zone: [%s]", m.AvailabilityZone)
	}
	product := m.ProductDescription
	if product == "" {
		product = productLinux
	}
	if !slices.Contains(products, product) {
		return "", market{}, invalidValue("ProductDescription", product, "Valid values are Linux/UNIX, Linux/UNIX (Amazon VPC), Windows and Windows (Amazon VPC).")
	}
	it := types.InstanceType(m.InstanceType)
	if _, ok := onDemandPrice(it, product); !ok {
		return "", market{}, core.Errorf(InvalidParameterValue, "The simulator has no %s price for the instance type '%s'.", product, m.InstanceType)
	}
	return geo.Name, market{Zone: z.Name, Type: it, Windows: windowsProduct(product)}, nil
}

// SetSpotPrice sets a market's Spot price from now on, until it is set again; "" gives the
// market back its own moving price. Spot Instances whose maximum price the new price passes
// get their two-minute notice, which it returns; open requests it covers are fulfilled.
func (s *Store) SetSpotPrice(m SpotMarket, amount string) (now string, notices []SpotNotice, err error) {
	name, mk, err := m.market()
	if err != nil {
		return "", nil, err
	}
	var p price
	if amount != "" {
		var ok bool
		if p, ok = parsePrice(amount); !ok || p <= 0 {
			return "", nil, core.Errorf(InvalidParameterValue, "%q is not a price in dollars, such as 0.05.", amount)
		}
	}
	s.mu.Lock()
	s.gen.Bump()
	defer s.unlock()
	r, err := s.region(name)
	if err != nil {
		return "", nil, err
	}
	s.settleSpot(r)
	t := s.now()
	before := map[string]bool{}
	for id, i := range r.Instances {
		before[id] = noticeOf(i) != nil
	}
	r.SpotPrices = slices.DeleteFunc(r.SpotPrices, func(o priceOverride) bool { return o.Market == mk.key() && o.At.Equal(t) })
	r.SpotPrices = append(r.SpotPrices, priceOverride{Market: mk.key(), At: t, Price: p})
	s.settleSpot(r)
	for _, i := range inOrder(r.Instances) {
		if n := noticeOf(i); n != nil && !before[i.ID] {
			notices = append(notices, *n)
		}
	}
	cur, _ := r.spotPrice(mk, t)
	return cur.String(), notices, nil
}

// InterruptSpotInstance gives the Spot Instance id the two-minute notice that EC2 gives
// when it needs the capacity back (as AWS Fault Injection Service's
// aws:ec2:send-spot-instance-interruptions does); with now, the interruption is carried out
// at once. An instance already under notice keeps its notice.
func (s *Store) InterruptSpotInstance(id string, now bool) (SpotNotice, error) {
	s.mu.Lock()
	s.gen.Bump()
	defer s.unlock()
	for _, r := range s.regions {
		i, ok := r.Instances[id]
		if !ok {
			continue
		}
		s.settleSpot(r)
		q := r.SpotRequests[aws.ToString(spotRequestOf(i))]
		switch {
		case i.Spot == nil || q == nil:
			return SpotNotice{}, core.Errorf(InvalidParameterValue, "The instance '%s' is not a Spot Instance.", id)
		case i.State != running:
			return SpotNotice{}, core.Errorf(IncorrectInstanceState, "The instance '%s' is not running: it is %s.", id, i.State)
		}
		t := s.now()
		if i.Spot.Action == "" {
			r.notice(q, i, t, "capacity")
		}
		n := *noticeOf(i)
		if now {
			i.Spot.Deadline, n.Time = t, t
			s.settleSpot(r)
		}
		return n, nil
	}
	return SpotNotice{}, instanceKind.notFoundError(id)
}

func spotRequestOf(i *instance) *string {
	if i.Spot == nil {
		return nil
	}
	return &i.Spot.Request
}
