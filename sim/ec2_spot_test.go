package sim_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// spotStart is when the Spot tests' clocks stand, as the labs' do.
var spotStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// spotCloud returns a simulator's account on a clock stopped at spotStart (Advance moves
// it), and its EC2 client as root.
func spotCloud(t *testing.T, b conformance.Backend, opts ...sim.Option) (*conformance.Account, *ec2.Client) {
	t.Helper()
	c := b.Open(t, append([]sim.Option{sim.WithClock(func() time.Time { return spotStart })}, opts...)...)
	return c, ec2Client(t, c)
}

// course is the launch specification of the course notes: the 2017 Amazon Linux AMI on an
// m4.large.
func course() *types.RequestSpotLaunchSpecification {
	return &types.RequestSpotLaunchSpecification{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeM4Large}
}

// spotRequest describes one Spot request as it is now.
func spotRequest(t *testing.T, client *ec2.Client, id string) types.SpotInstanceRequest {
	t.Helper()
	out := must(client.DescribeSpotInstanceRequests(context.Background(), &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{id}}))(t)
	if len(out.SpotInstanceRequests) != 1 {
		t.Fatalf("DescribeSpotInstanceRequests %s = %+v", id, out.SpotInstanceRequests)
	}
	return out.SpotInstanceRequests[0]
}

// wantStatus fails unless the request is in state with status code.
func wantStatus(t *testing.T, q types.SpotInstanceRequest, state types.SpotInstanceState, code string) {
	t.Helper()
	if q.State != state || aws.ToString(q.Status.Code) != code {
		t.Fatalf("request %s is %s/%s (%s), want %s/%s", aws.ToString(q.SpotInstanceRequestId), q.State, aws.ToString(q.Status.Code),
			aws.ToString(q.Status.Message), state, code)
	}
}

// currentPrices returns the Spot price now of a type for Linux/UNIX, by zone.
func currentPrices(t *testing.T, client *ec2.Client, it types.InstanceType, now time.Time) map[string]float64 {
	t.Helper()
	out := must(client.DescribeSpotPriceHistory(context.Background(), &ec2.DescribeSpotPriceHistoryInput{
		InstanceTypes: []types.InstanceType{it}, ProductDescriptions: []string{"Linux/UNIX"}, StartTime: aws.Time(now),
	}))(t)
	prices := map[string]float64{}
	for _, p := range out.SpotPriceHistory {
		prices[*p.AvailabilityZone] = must(strconv.ParseFloat(*p.SpotPrice, 64))(t)
	}
	return prices
}

func cheapest(prices map[string]float64) (zone string, price float64) {
	for z, p := range prices {
		if zone == "" || p < price || p == price && z < zone {
			zone, price = z, p
		}
	}
	return zone, price
}

func TestEC2SpotPriceHistory(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)

		// With StartTime now, one row per zone: the price in force, stamped when it took effect.
		now := currentPrices(t, client, types.InstanceTypeM4Large, spotStart)
		if len(now) != 6 {
			t.Fatalf("us-east-1 has 6 zones, prices for %d: %v", len(now), now)
		}
		for z, p := range now {
			// a quarter to 40% of the on-demand $0.10
			if p < 0.025 || p > 0.040 {
				t.Errorf("m4.large in %s at $%v, want 25-40%% of $0.10", z, p)
			}
		}
		// The series is a function of the market and the time: pinned here, as the spot lab prints it.
		if now["us-east-1a"] != 0.0392 {
			t.Errorf("m4.large in us-east-1a at %v = %v, want 0.0392", spotStart, now["us-east-1a"])
		}
		other := ec2Client(t, b.Open(t, sim.WithSeed(99), sim.WithClock(func() time.Time { return spotStart })))
		if o := currentPrices(t, other, types.InstanceTypeM4Large, spotStart); !mapsEqual(o, now) {
			t.Errorf("prices depend on the ID seed: %v, %v", o, now)
		}

		// The last day: newest first, every price at most 90 days old, the VPC twin at the same
		// prices, Windows dearer.
		day := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{
			InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large}, AvailabilityZone: aws.String("us-east-1a"),
			StartTime: aws.Time(spotStart.Add(-24 * time.Hour)),
		}))(t).SpotPriceHistory
		byProduct := map[types.RIProductDescription][]string{}
		for k, p := range day {
			if k > 0 && p.Timestamp.After(*day[k-1].Timestamp) {
				t.Fatalf("history not newest first at %d: %v after %v", k, p.Timestamp, day[k-1].Timestamp)
			}
			if *p.AvailabilityZoneId != "use1-az6" || p.InstanceType != types.InstanceTypeM4Large {
				t.Errorf("row %+v", p)
			}
			byProduct[p.ProductDescription] = append(byProduct[p.ProductDescription], *p.SpotPrice)
		}
		if len(byProduct) != 4 || len(byProduct["Linux/UNIX"]) < 3 {
			t.Fatalf("a day of m4.large in us-east-1a: %v", byProduct)
		}
		if !slices.Equal(byProduct["Linux/UNIX"], byProduct["Linux/UNIX (Amazon VPC)"]) || slices.Equal(byProduct["Linux/UNIX"], byProduct["Windows"]) {
			t.Errorf("products: %v", byProduct)
		}

		// The price moves with the clock.
		c.Advance(t, 48*time.Hour)
		later := currentPrices(t, client, types.InstanceTypeM4Large, spotStart.Add(48*time.Hour))
		if mapsEqual(later, now) {
			t.Errorf("no price moved in two days: %v", later)
		}

		// Filters, as AWS names them; timestamps in AWS's "ddd MMM dd HH:mm:ss UTC YYYY" form too.
		stamp := day[0].Timestamp.UTC()
		dayAgo := spotStart.Add(-24 * time.Hour)
		for _, tc := range []struct {
			name string
			f    []types.Filter
			want int
		}{
			{"spot-price", []types.Filter{filter("spot-price", *day[0].SpotPrice), filter("product-description", string(day[0].ProductDescription))}, 1},
			{"timestamp", []types.Filter{filter("timestamp", stamp.Format("Mon Jan 02 15:04:05 UTC 2006"))}, 2},
			{"timestamp wildcard", []types.Filter{filter("timestamp", stamp.Format("2006-01-02T15:04:05")+"*")}, 2},
			{"product wildcard", []types.Filter{filter("product-description", "Windows*")}, len(byProduct["Windows"]) * 2},
		} {
			got := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{
				InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large}, AvailabilityZone: aws.String("us-east-1a"),
				StartTime: aws.Time(dayAgo), EndTime: aws.Time(spotStart), Filters: tc.f,
			}))(t).SpotPriceHistory
			if len(got) != tc.want {
				t.Errorf("%s: %d rows, want %d", tc.name, len(got), tc.want)
			}
		}

		// Pages, through the SDK's paginator, answer the same rows in the same order.
		row := func(p types.SpotPrice) string {
			return *p.AvailabilityZone + " " + string(p.InstanceType) + " " + string(p.ProductDescription) + " " + *p.SpotPrice + " " + p.Timestamp.String()
		}
		all := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{
			InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large, types.InstanceTypeT3Micro}, StartTime: aws.Time(dayAgo), EndTime: aws.Time(spotStart),
		}))(t).SpotPriceHistory
		var paged []types.SpotPrice
		pages := ec2.NewDescribeSpotPriceHistoryPaginator(client, &ec2.DescribeSpotPriceHistoryInput{
			InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large, types.InstanceTypeT3Micro}, StartTime: aws.Time(dayAgo), EndTime: aws.Time(spotStart),
			MaxResults: aws.Int32(7),
		})
		for pages.HasMorePages() {
			paged = append(paged, must(pages.NextPage(ctx))(t).SpotPriceHistory...)
		}
		if len(paged) != len(all) || len(all) < 100 {
			t.Fatalf("paged: %d rows, unpaged %d", len(paged), len(all))
		}
		for k := range all {
			if row(paged[k]) != row(all[k]) {
				t.Fatalf("row %d paged %s, unpaged %s", k, row(paged[k]), row(all[k]))
			}
			if k > 0 && all[k].Timestamp.After(*all[k-1].Timestamp) {
				t.Fatalf("not newest first at %d", k)
			}
		}
		_, err := client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{NextToken: aws.String("nonsense")})
		wantCode(t, err, "InvalidPaginationToken")

		for _, tc := range []struct {
			name string
			in   ec2.DescribeSpotPriceHistoryInput
			code string
		}{
			{"zone", ec2.DescribeSpotPriceHistoryInput{AvailabilityZone: aws.String("us-east-1z")}, "InvalidParameterValue"},
			{"zone and id", ec2.DescribeSpotPriceHistoryInput{AvailabilityZone: aws.String("us-east-1a"), AvailabilityZoneId: aws.String("use1-az6")}, "InvalidParameterCombination"},
			{"type", ec2.DescribeSpotPriceHistoryInput{InstanceTypes: []types.InstanceType{"m4.huge"}}, "InvalidParameterValue"},
			{"times", ec2.DescribeSpotPriceHistoryInput{StartTime: aws.Time(spotStart.Add(-time.Hour)), EndTime: aws.Time(spotStart.Add(-2 * time.Hour))}, "InvalidParameterCombination"},
			{"filter", ec2.DescribeSpotPriceHistoryInput{Filters: []types.Filter{filter("price", "1")}}, "InvalidParameterValue"},
		} {
			_, err := client.DescribeSpotPriceHistory(ctx, &tc.in)
			wantCode(t, err, tc.code)
		}
	})
}

func mapsEqual(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestEC2SpotRequests(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		_, client := spotCloud(t, b)
		zone, price := cheapest(currentPrices(t, client, types.InstanceTypeM4Large, spotStart))

		// With no price, the maximum is the on-demand price, and the request is fulfilled at once
		// in the cheapest zone. The answer itself is the request as EC2 first takes it.
		out := must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: course(), InstanceCount: aws.Int32(2)}))(t)
		if len(out.SpotInstanceRequests) != 2 {
			t.Fatalf("two instances asked, %d requests", len(out.SpotInstanceRequests))
		}
		first := out.SpotInstanceRequests[0]
		wantStatus(t, first, types.SpotInstanceStateOpen, "pending-evaluation")
		id := *first.SpotInstanceRequestId
		if len(id) != 12 || !strings.HasPrefix(id, "sir-") || *first.SpotPrice != "0.100000" || first.Type != types.SpotInstanceTypeOneTime ||
			first.ProductDescription != "Linux/UNIX" || first.InstanceInterruptionBehavior != types.InstanceInterruptionBehaviorTerminate ||
			!first.ValidUntil.Equal(spotStart.Add(7*24*time.Hour)) || first.InstanceId != nil {
			t.Errorf("request = %+v", first)
		}
		q := spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		if *q.LaunchedAvailabilityZone != zone || *q.LaunchSpecification.ImageId != "ami-4fffc834" || *q.LaunchSpecification.SecurityGroups[0].GroupName != "default" {
			t.Errorf("fulfilled request = %+v, want it in %s", q, zone)
		}
		inst := describeInstance(t, client, *q.InstanceId)
		if inst.InstanceLifecycle != types.InstanceLifecycleTypeSpot || *inst.SpotInstanceRequestId != id || *inst.Placement.AvailabilityZone != zone ||
			inst.State.Name != types.InstanceStateNameRunning || inst.InstanceType != types.InstanceTypeM4Large {
			t.Errorf("instance = %+v", inst)
		}
		spot := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("instance-lifecycle", "spot")}}))(t)
		if n := len(spot.Reservations); n != 2 {
			t.Errorf("instance-lifecycle=spot: %d reservations, want 2", n)
		}

		// A maximum price under the market's waits: price-too-low, with the price it would need.
		low := must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.02"), LaunchSpecification: course()}))(t).SpotInstanceRequests[0]
		q = spotRequest(t, client, *low.SpotInstanceRequestId)
		wantStatus(t, q, types.SpotInstanceStateOpen, "price-too-low")
		want := "Your Spot request price of 0.02 is lower than the minimum required Spot request fulfillment price of " + strconv.FormatFloat(price, 'f', -1, 64) + "."
		if *q.Status.Message != want || *q.SpotPrice != "0.020000" {
			t.Errorf("price-too-low: %q %s, want %q", *q.Status.Message, *q.SpotPrice, want)
		}
		// Filters.
		for f, n := range map[string]int{"state=open": 1, "state=active": 2, "status-code=price-too-low": 1, "spot-price=0.100000": 2, "launched-availability-zone=" + zone: 2, "type=persistent": 0} {
			name, value, _ := strings.Cut(f, "=")
			got := must(client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{Filters: []types.Filter{filter(name, value)}}))(t)
			if len(got.SpotInstanceRequests) != n {
				t.Errorf("filter %s: %d requests, want %d", f, len(got.SpotInstanceRequests), n)
			}
		}

		// Canceling: the open request is canceled before fulfillment; the fulfilled one is
		// canceled and its instance keeps running.
		cancel := must(client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{*low.SpotInstanceRequestId, id}}))(t)
		if len(cancel.CancelledSpotInstanceRequests) != 2 || cancel.CancelledSpotInstanceRequests[1].State != types.CancelSpotInstanceRequestStateCancelled {
			t.Errorf("cancel = %+v", cancel.CancelledSpotInstanceRequests)
		}
		wantStatus(t, spotRequest(t, client, *low.SpotInstanceRequestId), types.SpotInstanceStateCancelled, "canceled-before-fulfillment")
		wantStatus(t, spotRequest(t, client, id), types.SpotInstanceStateCancelled, "request-canceled-and-instance-running")
		if s := describeInstance(t, client, *inst.InstanceId).State.Name; s != types.InstanceStateNameRunning {
			t.Errorf("after its request was canceled, the instance is %s", s)
		}

		// A one-time request's instance cannot be stopped; terminating it closes the request.
		other := *out.SpotInstanceRequests[1].SpotInstanceRequestId
		otherInst := *spotRequest(t, client, other).InstanceId
		_, err := client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{otherInst}})
		wantCode(t, err, "UnsupportedOperation")
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{otherInst, *inst.InstanceId}}))(t)
		q = spotRequest(t, client, other)
		wantStatus(t, q, types.SpotInstanceStateClosed, "instance-terminated-by-user")
		if *q.Status.Message != "Spot Instance terminated due to user-initiated termination." {
			t.Errorf("message %q", *q.Status.Message)
		}
		wantStatus(t, spotRequest(t, client, id), types.SpotInstanceStateCancelled, "instance-terminated-by-user")
		if r := describeInstance(t, client, otherInst).StateReason; *r.Code != "Client.UserInitiatedShutdown" {
			t.Errorf("state reason %s", *r.Code)
		}

		// Canceling again answers the state as it is.
		again := must(client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{other}}))(t)
		if again.CancelledSpotInstanceRequests[0].State != types.CancelSpotInstanceRequestStateClosed {
			t.Errorf("canceling a closed request: %+v", again.CancelledSpotInstanceRequests)
		}
	})
}

// TestEC2SpotInterruption raises the Spot price over a request's maximum: the instance gets
// its two-minute notice, in its metadata too, and is terminated two simulated minutes later.
func TestEC2SpotInterruption(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		ic := iam.NewFromConfig(c.Config())
		must(ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("worker"), AssumeRolePolicyDocument: aws.String(ec2Trust)}))(t)
		must(ic.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("worker"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")}))(t)
		must(ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("worker")}))(t)
		must(ic.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("worker"), RoleName: aws.String("worker")}))(t)
		spec := course()
		spec.IamInstanceProfile = &types.IamInstanceProfileSpecification{Name: aws.String("worker")}
		spec.Placement = &types.SpotPlacement{AvailabilityZone: aws.String("us-east-1b")}
		spec.UserData = aws.String("IyEvYmluL2Jhc2gKZWNobyBoaQo=")
		id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.05"), LaunchSpecification: spec}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		q := spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		instance := *q.InstanceId
		if *q.LaunchedAvailabilityZone != "us-east-1b" || !strings.HasSuffix(*q.LaunchSpecification.IamInstanceProfile.Arn, ":instance-profile/worker") {
			t.Errorf("request = %+v", q)
		}

		get := func(path string) (int, string) {
			t.Helper()
			w := httptest.NewRecorder()
			c.Cloud(t).Metadata(instance).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://169.254.169.254/latest/meta-data/"+path, nil))
			return w.Code, strings.TrimSpace(w.Body.String())
		}
		if code, life := get("instance-life-cycle"); code != 200 || life != "spot" {
			t.Errorf("instance-life-cycle = %d %q", code, life)
		}
		if code, _ := get("spot/instance-action"); code != 404 {
			t.Errorf("spot/instance-action before any notice: %d, want 404", code)
		}

		notices := must2(c.Cloud(t).SetSpotPrice(sim.SpotMarket{AvailabilityZone: "us-east-1b", InstanceType: "m4.large"}, "0.08"))(t)
		if len(notices) != 1 || notices[0].InstanceID != instance || notices[0].RequestID != id || notices[0].Action != "terminate" ||
			!notices[0].Time.Equal(spotStart.Add(2*time.Minute)) {
			t.Fatalf("notices = %+v", notices)
		}
		q = spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateClosed, "marked-for-termination")
		for path, want := range map[string]string{
			"spot/instance-action":             `{"action": "terminate", "time": "2026-01-01T09:02:00Z"}`,
			"spot/termination-time":            "2026-01-01T09:02:00Z",
			"events/recommendations/rebalance": `{"noticeTime": "2026-01-01T09:00:00Z"}`,
		} {
			if code, got := get(path); code != 200 || got != want {
				t.Errorf("%s = %d %q, want %q", path, code, got, want)
			}
		}
		// The SDK's own IMDS client, as code on the instance reads the notice; and the instance's
		// role sees its own request.
		md := imds.New(imds.Options{HTTPClient: &http.Client{Transport: roundTripper{c.Cloud(t).Metadata(instance)}}})
		action := must(md.GetMetadata(ctx, &imds.GetMetadataInput{Path: "spot/instance-action"}))(t)
		if b, _ := io.ReadAll(action.Content); !bytes.Contains(b, []byte(`"action": "terminate"`)) {
			t.Errorf("IMDS client: %s", b)
		}
		onInstance := ec2.NewFromConfig(must(c.Cloud(t).InstanceConfig(instance))(t))
		mine := must(onInstance.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{
			Filters: []types.Filter{filter("instance-id", instance)},
		}))(t).SpotInstanceRequests
		if len(mine) != 1 || *mine[0].Status.Code != "marked-for-termination" {
			t.Errorf("the instance's role sees %+v", mine)
		}

		// Not yet: a second short of two minutes, it runs.
		c.Advance(t, 2*time.Minute-time.Second)
		if s := describeInstance(t, client, instance).State.Name; s != types.InstanceStateNameRunning {
			t.Fatalf("before the notice is up, the instance is %s", s)
		}
		c.Advance(t, time.Second)
		inst := describeInstance(t, client, instance)
		if inst.State.Name != types.InstanceStateNameTerminated || *inst.StateReason.Code != "Server.SpotInstanceTermination" ||
			*inst.StateReason.Message != "Server.SpotInstanceTermination: Spot instance termination" ||
			*inst.StateTransitionReason != "Service initiated (2026-01-01 09:02:00 GMT)" {
			t.Errorf("interrupted instance: %s %+v %q", inst.State.Name, inst.StateReason, aws.ToString(inst.StateTransitionReason))
		}
		wantStatus(t, spotRequest(t, client, id), types.SpotInstanceStateClosed, "instance-terminated-by-price")
		if code, _ := get("instance-id"); code != http.StatusServiceUnavailable {
			t.Errorf("a terminated instance's metadata answers %d", code)
		}

		// Four hours after, the closed request is forgotten.
		c.Advance(t, 4*time.Hour)
		_, err := client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{id}})
		wantCode(t, err, "InvalidSpotInstanceRequestID.NotFound")
	})
}

func must2[T, U any](_ T, v U, err error) func(testing.TB) U {
	return must(v, err)
}

// TestEC2SpotCapacityInterruption interrupts an instance whatever its price, as EC2 does when
// it needs the capacity back, with and without the two minutes.
func TestEC2SpotCapacityInterruption(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		out := must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: course(), InstanceCount: aws.Int32(2)}))(t).SpotInstanceRequests
		qa, qb := *out[0].SpotInstanceRequestId, *out[1].SpotInstanceRequestId
		ia, ib := *spotRequest(t, client, qa).InstanceId, *spotRequest(t, client, qb).InstanceId

		n := must(c.Cloud(t).InterruptSpotInstance(ia))(t)
		if n.Action != "terminate" || !n.Notice.Equal(spotStart) || !n.Time.Equal(spotStart.Add(2*time.Minute)) {
			t.Errorf("notice %+v", n)
		}
		wantStatus(t, spotRequest(t, client, qa), types.SpotInstanceStateClosed, "marked-for-termination")
		if again := must(c.Cloud(t).InterruptSpotInstance(ia))(t); again != n {
			t.Errorf("a second interruption changed the notice: %+v", again)
		}
		must(c.Cloud(t).InterruptSpotInstance(ib, func(o *sim.InterruptOptions) { o.Now = true }))(t)
		wantStatus(t, spotRequest(t, client, qb), types.SpotInstanceStateClosed, "instance-terminated-no-capacity")
		c.Advance(t, 2*time.Minute)
		wantStatus(t, spotRequest(t, client, qa), types.SpotInstanceStateClosed, "instance-terminated-no-capacity")

		_, err := c.Cloud(t).InterruptSpotInstance(ia)
		if err == nil || !strings.Contains(err.Error(), "not running") {
			t.Errorf("interrupting a terminated instance: %v", err)
		}
		onDemand := run(t, client, ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834")})[0]
		if _, err := c.Cloud(t).InterruptSpotInstance(*onDemand.InstanceId); err == nil || !strings.Contains(err.Error(), "not a Spot Instance") {
			t.Errorf("interrupting an on-demand instance: %v", err)
		}
		if _, err := c.Cloud(t).InterruptSpotInstance("i-00000000000000000"); err == nil || !strings.Contains(err.Error(), "InvalidInstanceID.NotFound") {
			t.Errorf("interrupting no instance: %v", err)
		}
	})
}

// TestEC2SpotPersistent: a persistent request opens again after an interruption and launches
// another instance when the price falls; with the stop behavior its instance is stopped and
// started again.
func TestEC2SpotPersistent(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		m := sim.SpotMarket{AvailabilityZone: "us-east-1c", InstanceType: "m4.large"}
		spec := course()
		spec.Placement = &types.SpotPlacement{AvailabilityZone: aws.String("us-east-1c")}
		id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{
			SpotPrice: aws.String("0.05"), Type: types.SpotInstanceTypePersistent, LaunchSpecification: spec,
		}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		first := *spotRequest(t, client, id).InstanceId

		must2(c.Cloud(t).SetSpotPrice(m, "0.07"))(t)
		c.Advance(t, 2*time.Minute)
		wantStatus(t, spotRequest(t, client, id), types.SpotInstanceStateOpen, "price-too-low")
		must2(c.Cloud(t).SetSpotPrice(m, ""))(t) // the market's own price again
		q := spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		second := *q.InstanceId
		if second == first || describeInstance(t, client, first).State.Name != types.InstanceStateNameTerminated {
			t.Fatalf("after the interruption: instance %s (first %s)", second, first)
		}
		// Terminated by the user, it is replaced too; canceled first, it is not.
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{second}}))(t)
		q = spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		third := *q.InstanceId
		must(client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{id}}))(t)
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{third}}))(t)
		q = spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateCancelled, "instance-terminated-by-user")
		if *q.InstanceId != third {
			t.Errorf("a canceled request launched %s", *q.InstanceId)
		}

		// The stop behavior, by RunInstances (which takes persistent only with stop or hibernate).
		res := must(client.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeM4Large, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1c")},
			InstanceMarketOptions: &types.InstanceMarketOptionsRequest{MarketType: types.MarketTypeSpot, SpotOptions: &types.SpotMarketOptions{
				MaxPrice: aws.String("0.05"), SpotInstanceType: types.SpotInstanceTypePersistent, InstanceInterruptionBehavior: types.InstanceInterruptionBehaviorStop,
			}},
		}))(t).Instances[0]
		sid := *res.SpotInstanceRequestId
		// The user may stop and start it: the request is disabled meanwhile.
		must(client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{*res.InstanceId}}))(t)
		wantStatus(t, spotRequest(t, client, sid), types.SpotInstanceStateDisabled, "instance-stopped-by-user")
		must(client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*res.InstanceId}}))(t)
		wantStatus(t, spotRequest(t, client, sid), types.SpotInstanceStateActive, "fulfilled")

		must2(c.Cloud(t).SetSpotPrice(m, "0.06"))(t)
		wantStatus(t, spotRequest(t, client, sid), types.SpotInstanceStateActive, "marked-for-stop")
		c.Advance(t, 2*time.Minute)
		wantStatus(t, spotRequest(t, client, sid), types.SpotInstanceStateDisabled, "instance-stopped-by-price")
		inst := describeInstance(t, client, *res.InstanceId)
		if inst.State.Name != types.InstanceStateNameStopped || *inst.StateReason.Code != "Server.SpotInstanceShutdown" {
			t.Errorf("stopped by price: %s %+v", inst.State.Name, inst.StateReason)
		}
		_, err := client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{*res.InstanceId}})
		wantCode(t, err, "IncorrectSpotRequestState")
		must2(c.Cloud(t).SetSpotPrice(m, "0.04"))(t)
		wantStatus(t, spotRequest(t, client, sid), types.SpotInstanceStateActive, "fulfilled")
		if s := describeInstance(t, client, *res.InstanceId).State.Name; s != types.InstanceStateNameRunning {
			t.Errorf("the price fell back, the instance is %s", s)
		}
		// Terminated by the user, RunInstances' persistent request launches another like it.
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*res.InstanceId}}))(t)
		q = spotRequest(t, client, sid)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		again := describeInstance(t, client, *q.InstanceId)
		if *q.InstanceId == *res.InstanceId || *again.SubnetId != *res.SubnetId || *again.SecurityGroups[0].GroupId != *res.SecurityGroups[0].GroupId {
			t.Errorf("the replacement %+v, the first %+v", again, res)
		}
	})
}

// TestEC2SpotMarketMoves leaves a request alone while the market moves: it is interrupted two
// minutes after the first price change above its maximum, as the price history shows it —
// also when the clock jumps past it in one step.
func TestEC2SpotMarketMoves(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		start := func() (*conformance.Account, *ec2.Client, string, float64) {
			c, client := spotCloud(t, b)
			zone, price := cheapest(currentPrices(t, client, types.InstanceTypeM4Large, spotStart))
			spec := course()
			spec.Placement = &types.SpotPlacement{AvailabilityZone: aws.String(zone)}
			max := max(price, 0.0325) // mid-band: the price passes it now and then
			id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{
				SpotPrice: aws.String(strconv.FormatFloat(max, 'f', 4, 64)), LaunchSpecification: spec,
			}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
			return c, client, id, max
		}
		c, client, first, max := start()
		zone := *spotRequest(t, client, first).LaunchedAvailabilityZone
		c.Advance(t, 72*time.Hour)
		history := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{
			InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large}, AvailabilityZone: aws.String(zone),
			ProductDescriptions: []string{"Linux/UNIX"}, StartTime: aws.Time(spotStart),
		}))(t).SpotPriceHistory
		var rise time.Time
		for k := len(history) - 1; k >= 0; k-- {
			if p := must(strconv.ParseFloat(*history[k].SpotPrice, 64))(t); p > max && history[k].Timestamp.After(spotStart) {
				rise = *history[k].Timestamp
				break
			}
		}
		if rise.IsZero() {
			t.Fatalf("in three days the price never passed %v: %v", max, history)
		}

		// The same cloud again, its clock moved in one jump to just after the interruption.
		c, client, id, _ := start()
		c.Advance(t, rise.Add(2*time.Minute+time.Second).Sub(spotStart))
		q := spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateClosed, "instance-terminated-by-price")
		if !q.Status.UpdateTime.Equal(rise.Add(2 * time.Minute)) {
			t.Errorf("interrupted at %v, the price passed the maximum at %v", q.Status.UpdateTime, rise)
		}
		if inst := describeInstance(t, client, *q.InstanceId); inst.State.Name != types.InstanceStateNameTerminated {
			t.Errorf("instance %s", inst.State.Name)
		}
	})
}

func TestEC2SpotRunInstances(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		_, client := spotCloud(t, b)
		spot := func(o *types.SpotMarketOptions) *types.InstanceMarketOptionsRequest {
			return &types.InstanceMarketOptionsRequest{MarketType: types.MarketTypeSpot, SpotOptions: o}
		}
		runIn := func(mo *types.InstanceMarketOptionsRequest) *ec2.RunInstancesInput {
			return &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), InstanceType: types.InstanceTypeM4Large,
				MinCount: aws.Int32(1), MaxCount: aws.Int32(1), InstanceMarketOptions: mo,
				TagSpecifications: nameTag(types.ResourceTypeSpotInstancesRequest, "batch")}
		}
		inst := must(client.RunInstances(ctx, runIn(spot(nil))))(t).Instances[0]
		if inst.InstanceLifecycle != types.InstanceLifecycleTypeSpot || inst.SpotInstanceRequestId == nil {
			t.Fatalf("instance = %+v", inst)
		}
		q := spotRequest(t, client, *inst.SpotInstanceRequestId)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		if *q.SpotPrice != "0.100000" || *q.InstanceId != *inst.InstanceId || q.ValidUntil != nil || len(q.Tags) != 1 || *q.Tags[0].Value != "batch" {
			t.Errorf("request = %+v", q)
		}
		must(client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*inst.InstanceId}}))(t)
		wantStatus(t, spotRequest(t, client, *inst.SpotInstanceRequestId), types.SpotInstanceStateClosed, "instance-terminated-by-user")

		price := currentPrices(t, client, types.InstanceTypeM4Large, spotStart)["us-east-1a"]
		for _, tc := range []struct {
			name    string
			mo      *types.InstanceMarketOptionsRequest
			code    string
			message string
		}{
			{"too low", spot(&types.SpotMarketOptions{MaxPrice: aws.String("0.01")}), "SpotMaxPriceTooLow",
				"Your Spot request price of 0.01 is lower than the minimum required Spot request fulfillment price of " + strconv.FormatFloat(price, 'f', -1, 64) + "."},
			{"under a tenth of a cent", spot(&types.SpotMarketOptions{MaxPrice: aws.String("0.0005")}), "InvalidParameterValue",
				`Value (0.000500) for parameter price is invalid. "0.000500" is an invalid spot instance price`},
			{"not a price", spot(&types.SpotMarketOptions{MaxPrice: aws.String("cheap")}), "InvalidParameterValue",
				`Value (cheap) for parameter price is invalid. "cheap" is an invalid spot instance price`},
			{"persistent terminate", spot(&types.SpotMarketOptions{SpotInstanceType: types.SpotInstanceTypePersistent}), "InvalidParameterCombination",
				"The terminate InstanceInterruptionBehavior is not supported when requestType is set to persistent."},
			{"one-time stop", spot(&types.SpotMarketOptions{InstanceInterruptionBehavior: types.InstanceInterruptionBehaviorStop}), "InvalidParameterCombination",
				"The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to 'stop'."},
			{"one-time valid until", spot(&types.SpotMarketOptions{ValidUntil: aws.Time(spotStart.Add(time.Hour))}), "InvalidParameterCombination",
				"The parameter validUntil cannot be specified when the SpotRequestType is set to 'one-time'."},
			{"behavior", spot(&types.SpotMarketOptions{InstanceInterruptionBehavior: "explode"}), "InvalidParameterValue", ""},
			{"spot blocks", spot(&types.SpotMarketOptions{BlockDurationMinutes: aws.Int32(60)}), "InvalidParameterValue", ""},
			{"capacity block", &types.InstanceMarketOptionsRequest{MarketType: types.MarketTypeCapacityBlock}, "InvalidParameterValue", ""},
			{"market", &types.InstanceMarketOptionsRequest{MarketType: "bazaar"}, "InvalidParameterValue", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.RunInstances(ctx, runIn(tc.mo))
				wantCode(t, err, tc.code)
				if tc.message != "" && !strings.Contains(err.Error(), tc.message) {
					t.Errorf("message: %v, want %q", err, tc.message)
				}
			})
		}
		if n := len(must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations); n != 1 {
			t.Errorf("refused launches left %d reservations", n-1)
		}
	})
}

func TestEC2SpotErrors(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		with := func(f func(*ec2.RequestSpotInstancesInput)) *ec2.RequestSpotInstancesInput {
			in := &ec2.RequestSpotInstancesInput{LaunchSpecification: course()}
			f(in)
			return in
		}
		for _, tc := range []struct {
			name    string
			in      *ec2.RequestSpotInstancesInput
			code    string
			message string
		}{
			// https://github.com/aws/aws-sdk-js/issues/495, https://github.com/unblocked/ec2-action-builder/issues/45
			{"price", with(func(in *ec2.RequestSpotInstancesInput) { in.SpotPrice = aws.String("0.040.050.04 / 3") }), "InvalidParameterValue",
				`Value (0.040.050.04 / 3) for parameter price is invalid. "0.040.050.04 / 3" is an invalid spot instance price`},
			{"zero price", with(func(in *ec2.RequestSpotInstancesInput) { in.SpotPrice = aws.String("0") }), "InvalidParameterValue",
				`Value (0.000000) for parameter price is invalid. "0.000000" is an invalid spot instance price`},
			{"negative price", with(func(in *ec2.RequestSpotInstancesInput) { in.SpotPrice = aws.String("-1") }), "InvalidParameterValue", ""},
			{"one-time stop", with(func(in *ec2.RequestSpotInstancesInput) {
				in.InstanceInterruptionBehavior = types.InstanceInterruptionBehaviorStop
			}),
				"InvalidParameterCombination", "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to 'stop'."},
			{"type", with(func(in *ec2.RequestSpotInstancesInput) { in.Type = "sometimes" }), "InvalidParameterValue", ""},
			{"count", with(func(in *ec2.RequestSpotInstancesInput) { in.InstanceCount = aws.Int32(0) }), "InvalidParameterValue", ""},
			{"no specification", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification = nil }), "MissingParameter", ""},
			{"image", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification.ImageId = aws.String("ami-00000000") }), "InvalidAMIID.NotFound", ""},
			{"instance type", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification.InstanceType = "m4.huge" }), "InvalidParameterValue", ""},
			{"key", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification.KeyName = aws.String("nope") }), "InvalidKeyPair.NotFound", ""},
			{"group", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification.SecurityGroups = []string{"nope"} }), "InvalidGroup.NotFound", ""},
			{"subnet", with(func(in *ec2.RequestSpotInstancesInput) {
				in.LaunchSpecification.SubnetId = aws.String("subnet-00000000")
			}), "InvalidSubnetID.NotFound", ""},
			{"zone", with(func(in *ec2.RequestSpotInstancesInput) {
				in.LaunchSpecification.Placement = &types.SpotPlacement{AvailabilityZone: aws.String("us-east-1z")}
			}), "InvalidParameterValue", ""},
			{"profile", with(func(in *ec2.RequestSpotInstancesInput) {
				in.LaunchSpecification.IamInstanceProfile = &types.IamInstanceProfileSpecification{Name: aws.String("nope")}
			}), "InvalidParameterValue", ""},
			{"user data", with(func(in *ec2.RequestSpotInstancesInput) { in.LaunchSpecification.UserData = aws.String("not base64!") }), "InvalidParameterValue", ""},
			{"architecture", with(func(in *ec2.RequestSpotInstancesInput) {
				in.LaunchSpecification.InstanceType = types.InstanceTypeT4gMicro
			}), "InvalidParameterValue", ""},
			{"tag type", with(func(in *ec2.RequestSpotInstancesInput) {
				in.TagSpecifications = nameTag(types.ResourceTypeInstance, "x")
			}), "InvalidParameterValue", ""},
			{"valid until", with(func(in *ec2.RequestSpotInstancesInput) { in.ValidUntil = aws.Time(spotStart.Add(-time.Hour)) }), "InvalidParameterValue", ""},
			{"valid from", with(func(in *ec2.RequestSpotInstancesInput) { in.ValidFrom = aws.Time(spotStart) }), "InvalidParameterValue", ""},
			{"valid order", with(func(in *ec2.RequestSpotInstancesInput) {
				in.ValidFrom, in.ValidUntil = aws.Time(spotStart.Add(2*time.Hour)), aws.Time(spotStart.Add(time.Hour))
			}), "InvalidParameterCombination", ""},
			{"spot blocks", with(func(in *ec2.RequestSpotInstancesInput) { in.BlockDurationMinutes = aws.Int32(60) }), "InvalidParameterValue", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := client.RequestSpotInstances(ctx, tc.in)
				wantCode(t, err, tc.code)
				if tc.message != "" && !strings.Contains(err.Error(), tc.message) {
					t.Errorf("message: %v, want %q", err, tc.message)
				}
			})
		}
		if n := len(must(client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{}))(t).SpotInstanceRequests); n != 0 {
			t.Errorf("refused requests left %d", n)
		}

		_, err := client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{"sir-ex1g53fg"}})
		wantCode(t, err, "InvalidSpotInstanceRequestID.NotFound")
		if !strings.Contains(err.Error(), "The spot instance request ID 'sir-ex1g53fg' does not exist") {
			t.Errorf("message: %v", err)
		}
		_, err = client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{"sir-XYZ"}})
		wantCode(t, err, "InvalidSpotInstanceRequestID.Malformed")
		_, err = client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{Filters: []types.Filter{filter("colour", "red")}})
		wantCode(t, err, "InvalidParameterValue")

		// SetSpotPrice's own checks.
		for _, tc := range []struct {
			m     sim.SpotMarket
			price string
		}{
			{sim.SpotMarket{AvailabilityZone: "us-east-1z", InstanceType: "m4.large"}, "0.1"},
			{sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "p5.48xlarge"}, "0.1"},
			{sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "t4g.micro", ProductDescription: "Windows"}, "0.1"},
			{sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "m4.large", ProductDescription: "BeOS"}, "0.1"},
			{sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "m4.large"}, "free"},
			{sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "m4.large"}, "0"},
		} {
			if _, _, err := c.Cloud(t).SetSpotPrice(tc.m, tc.price); err == nil {
				t.Errorf("SetSpotPrice(%+v, %q) took it", tc.m, tc.price)
			}
		}
	})
}

// TestEC2SpotSchedule: a request waits for its ValidFrom, and expires at its ValidUntil.
func TestEC2SpotSchedule(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		later := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{
			LaunchSpecification: course(), ValidFrom: aws.Time(spotStart.Add(time.Hour)),
		}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		q := spotRequest(t, client, later)
		wantStatus(t, q, types.SpotInstanceStateOpen, "not-scheduled-yet")
		if !q.ValidUntil.Equal(spotStart.Add(time.Hour + 7*24*time.Hour)) {
			t.Errorf("valid until %v", q.ValidUntil)
		}
		expiring := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{
			LaunchSpecification: course(), SpotPrice: aws.String("0.001"), ValidUntil: aws.Time(spotStart.Add(30 * time.Minute)),
		}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		wantStatus(t, spotRequest(t, client, expiring), types.SpotInstanceStateOpen, "price-too-low")

		c.Advance(t, time.Hour)
		q = spotRequest(t, client, later)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		if !q.Status.UpdateTime.Equal(spotStart.Add(time.Hour)) {
			t.Errorf("fulfilled at %v", q.Status.UpdateTime)
		}
		q = spotRequest(t, client, expiring)
		wantStatus(t, q, types.SpotInstanceStateCancelled, "schedule-expired")
		if !q.Status.UpdateTime.Equal(spotStart.Add(30 * time.Minute)) {
			t.Errorf("expired at %v", q.Status.UpdateTime)
		}
	})
}

func TestEC2SpotTagsAndPages(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		_, client := spotCloud(t, b)
		var ids []string
		for _, q := range must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{
			LaunchSpecification: course(), InstanceCount: aws.Int32(7), SpotPrice: aws.String("0.001"),
			TagSpecifications: nameTag(types.ResourceTypeSpotInstancesRequest, "batch"),
			// A client token, so that a retry of the SDK's (a connection lost on a loaded
			// machine) answers the same seven requests rather than making seven more.
			ClientToken: aws.String("tags-and-pages"),
		}))(t).SpotInstanceRequests {
			ids = append(ids, *q.SpotInstanceRequestId)
		}
		must(client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: ids[:1], Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}))(t)
		tagged := must(client.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("resource-id", ids[0])}}))(t).Tags
		if len(tagged) != 2 || tagged[0].ResourceType != types.ResourceTypeSpotInstancesRequest {
			t.Errorf("tags = %+v", tagged)
		}
		got := must(client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{Filters: []types.Filter{filter("tag:team", "data")}}))(t)
		if len(got.SpotInstanceRequests) != 1 || *got.SpotInstanceRequests[0].SpotInstanceRequestId != ids[0] {
			t.Errorf("tag:team=data: %+v", got.SpotInstanceRequests)
		}
		var seen []string
		pages := ec2.NewDescribeSpotInstanceRequestsPaginator(client, &ec2.DescribeSpotInstanceRequestsInput{MaxResults: aws.Int32(5)})
		for pages.HasMorePages() {
			for _, q := range must(pages.NextPage(ctx))(t).SpotInstanceRequests {
				seen = append(seen, *q.SpotInstanceRequestId)
			}
		}
		if !slices.Equal(seen, ids) {
			t.Errorf("paged: %v, want %v", seen, ids)
		}
		_, err := client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: ids[:1], MaxResults: aws.Int32(5)})
		wantCode(t, err, "InvalidParameterCombination")
		// Idempotency: the same client token answers the same requests.
		in := &ec2.RequestSpotInstancesInput{LaunchSpecification: course(), ClientToken: aws.String("once")}
		first := must(client.RequestSpotInstances(ctx, in))(t).SpotInstanceRequests[0]
		again := must(client.RequestSpotInstances(ctx, in))(t).SpotInstanceRequests[0]
		if *first.SpotInstanceRequestId != *again.SpotInstanceRequestId {
			t.Errorf("a retried request made %s and %s", *first.SpotInstanceRequestId, *again.SpotInstanceRequestId)
		}
	})
}

// TestEC2SpotAuthorization: EC2 authorizes Spot requests on spot-instances-request resources.
func TestEC2SpotAuthorization(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, root := spotCloud(t, b)
		other := *must(root.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: course()}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		alex := ec2.NewFromConfig(newUser(t, c, "alex"))
		arn := "arn:aws:ec2:us-east-1:123456789012:"
		must(iam.NewFromConfig(c.Config()).PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName: aws.String("alex"), PolicyName: aws.String("spot"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["ec2:RequestSpotInstances","ec2:DescribeSpotInstanceRequests","ec2:DescribeSpotPriceHistory"],"Resource":"*"},
			{"Effect":"Allow","Action":"ec2:RunInstances","Resource":["` + arn + `instance/*","arn:aws:ec2:us-east-1::image/*","` + arn + `volume/*","` + arn + `network-interface/*"]},
			{"Effect":"Allow","Action":"ec2:CancelSpotInstanceRequests","Resource":"` + arn + `spot-instances-request/*","Condition":{"StringEquals":{"aws:username":"nobody"}}}]}`),
		}))(t)
		mine := *must(alex.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: course()}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		must(alex.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{StartTime: aws.Time(spotStart)}))(t)
		_, err := alex.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{mine}})
		wantCode(t, err, "UnauthorizedOperation")
		if !strings.Contains(err.Error(), "spot-instances-request/"+mine) {
			t.Errorf("message does not name the request: %v", err)
		}
		_, err = alex.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: []string{other}})
		wantCode(t, err, "UnauthorizedOperation")
		// An on-demand launch is allowed; a Spot launch needs spot-instances-request too.
		must(alex.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}))(t)
		_, err = alex.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-4fffc834"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			InstanceMarketOptions: &types.InstanceMarketOptionsRequest{MarketType: types.MarketTypeSpot}})
		wantCode(t, err, "UnauthorizedOperation")
	})
}

// TestEC2SpotSaveLoad: requests, prices set and a pending notice survive a save and load; the
// notice falls due in the loaded cloud.
func TestEC2SpotSaveLoad(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c, client := spotCloud(t, b)
		id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String("0.05"), LaunchSpecification: course()}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		q := spotRequest(t, client, id)
		must2(c.Cloud(t).SetSpotPrice(sim.SpotMarket{AvailabilityZone: *q.LaunchedAvailabilityZone, InstanceType: "m4.large"}, "0.09"))(t)
		var saved bytes.Buffer
		if err := c.Cloud(t).Save(&saved); err != nil {
			t.Fatal(err)
		}
		d, loaded := spotCloud(t, b)
		if err := d.Cloud(t).Load(bytes.NewReader(saved.Bytes())); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, spotRequest(t, loaded, id), types.SpotInstanceStateClosed, "marked-for-termination")
		if p := currentPrices(t, loaded, types.InstanceTypeM4Large, spotStart)[*q.LaunchedAvailabilityZone]; p != 0.09 {
			t.Errorf("the price set is %v after a load", p)
		}
		d.Advance(t, 2*time.Minute)
		wantStatus(t, spotRequest(t, loaded, id), types.SpotInstanceStateClosed, "instance-terminated-by-price")
	})
}

// TestEC2SpotOldState loads a state saved before the simulator had Spot (by the commit before
// it: testdata/state-before-spot.json, an on-demand instance launched at spotStart): it loads,
// its instance is on-demand, Spot works after, and a state without Spot saves as it did.
func TestEC2SpotOldState(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		old := must(os.ReadFile("testdata/state-before-spot.json"))(t)
		c, client := spotCloud(t, b)
		if err := c.Cloud(t).Load(bytes.NewReader(old)); err != nil {
			t.Fatal(err)
		}
		res := must(client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}))(t).Reservations
		if len(res) != 1 || res[0].Instances[0].InstanceLifecycle != "" || res[0].Instances[0].SpotInstanceRequestId != nil {
			t.Fatalf("the old state's instance: %+v", res)
		}
		var resaved bytes.Buffer
		if err := c.Cloud(t).Save(&resaved); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(resaved.Bytes(), []byte("Spot")) {
			t.Errorf("a state without Spot saves Spot members: %s", resaved.Bytes())
		}
		id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: course()}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		wantStatus(t, spotRequest(t, client, id), types.SpotInstanceStateActive, "fulfilled")
	})
}

// TestEC2SpotWindows: a Windows image is billed as the product Windows, at its own prices.
func TestEC2SpotWindows(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		_, client := spotCloud(t, b)
		spec := course()
		spec.ImageId = aws.String(imageID(t, client, "Windows_Server-2022-English-Full-Base-*"))
		id := *must(client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{LaunchSpecification: spec}))(t).SpotInstanceRequests[0].SpotInstanceRequestId
		q := spotRequest(t, client, id)
		wantStatus(t, q, types.SpotInstanceStateActive, "fulfilled")
		if q.ProductDescription != "Windows" || *q.SpotPrice != "0.192000" {
			t.Errorf("a Windows request: %s at %s, want Windows at the on-demand 0.192000", q.ProductDescription, *q.SpotPrice)
		}
		windows := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large},
			ProductDescriptions: []string{"Windows"}, AvailabilityZone: q.LaunchedAvailabilityZone, StartTime: aws.Time(spotStart)}))(t).SpotPriceHistory
		if p := must(strconv.ParseFloat(*windows[0].SpotPrice, 64))(t); p < 0.048 || p > 0.0768 {
			t.Errorf("Windows m4.large Spot at %v, want 25-40%% of 0.192", p)
		}
		none := must(client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{InstanceTypes: []types.InstanceType{types.InstanceTypeT4gMicro},
			ProductDescriptions: []string{"Windows"}, StartTime: aws.Time(spotStart)}))(t).SpotPriceHistory
		if len(none) != 0 {
			t.Errorf("Graviton runs no Windows, yet %d prices", len(none))
		}
	})
}
