package sim_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim"
	"github.com/awsxlab/awsx/sim/internal/conformance"
)

// TestEC2SpotConcurrent: many goroutines request, describe, cancel and terminate Spot
// Instances on one Cloud on the wall clock, while others move prices, interrupt instances,
// read their metadata and advance the clock. Run with -race. After, every request is in a
// state its instance agrees with.
func TestEC2SpotConcurrent(t *testing.T) {
	conformance.Run(t, func(t *testing.T, b conformance.Backend) {
		ctx := context.Background()
		c := b.Open(t)
		cloud := c.Cloud(t) // the market's controls, from many goroutines
		client := ec2Client(t, c)
		const workers, each = 12, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each*6)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					price := "0.05"
					if (w+i)%3 == 0 {
						price = "0.001" // waits: price-too-low
					}
					out, err := client.RequestSpotInstances(ctx, &ec2.RequestSpotInstancesInput{SpotPrice: aws.String(price), InstanceCount: aws.Int32(2),
						LaunchSpecification: course(), TagSpecifications: nameTag(types.ResourceTypeSpotInstancesRequest, fmt.Sprintf("w%d", w))})
					if err != nil {
						errs <- err
						return
					}
					ids := []string{*out.SpotInstanceRequests[0].SpotInstanceRequestId, *out.SpotInstanceRequests[1].SpotInstanceRequestId}
					got, err := client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{SpotInstanceRequestIds: ids})
					if err != nil {
						errs <- err
						continue
					}
					if _, err := client.CancelSpotInstanceRequests(ctx, &ec2.CancelSpotInstanceRequestsInput{SpotInstanceRequestIds: ids[:1]}); err != nil {
						errs <- err
					}
					for _, q := range got.SpotInstanceRequests {
						if q.InstanceId == nil {
							continue
						}
						if i%2 == 0 {
							if _, err := client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*q.InstanceId}}); err != nil {
								errs <- err
							}
						} else if _, err := cloud.InterruptSpotInstance(*q.InstanceId); err != nil && !strings.Contains(err.Error(), "IncorrectInstanceState") {
							// (the market may have interrupted it already: the clock moves meanwhile)
							errs <- fmt.Errorf("interrupt %s: %w", *q.InstanceId, err)
						}
						w := httptest.NewRecorder()
						cloud.Metadata(*q.InstanceId).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://169.254.169.254/latest/meta-data/spot/instance-action", nil))
					}
					if _, err := client.DescribeSpotPriceHistory(ctx, &ec2.DescribeSpotPriceHistoryInput{StartTime: aws.Time(c.Now()),
						InstanceTypes: []types.InstanceType{types.InstanceTypeM4Large}}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each * 4 {
				price := []string{"0.06", "0.02", ""}[i%3]
				if _, _, err := cloud.SetSpotPrice(sim.SpotMarket{AvailabilityZone: "us-east-1a", InstanceType: "m4.large"}, price); err != nil {
					errs <- err
				}
				cloud.Advance(30 * time.Second)
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}

		cloud.Advance(3 * time.Minute) // every notice falls due
		reqs := must(client.DescribeSpotInstanceRequests(ctx, &ec2.DescribeSpotInstanceRequestsInput{}))(t).SpotInstanceRequests
		if len(reqs) != workers*each*2 {
			t.Errorf("%d requests, want %d", len(reqs), workers*each*2)
		}
		for _, q := range reqs {
			if q.InstanceId == nil {
				if q.State != types.SpotInstanceStateOpen && q.State != types.SpotInstanceStateCancelled {
					t.Errorf("%s without an instance is %s/%s", *q.SpotInstanceRequestId, q.State, *q.Status.Code)
				}
				continue
			}
			inst := describeInstance(t, client, *q.InstanceId)
			if *inst.SpotInstanceRequestId != *q.SpotInstanceRequestId {
				t.Errorf("instance %s names request %s, not %s", *q.InstanceId, *inst.SpotInstanceRequestId, *q.SpotInstanceRequestId)
			}
			running := inst.State.Name == types.InstanceStateNameRunning
			if active := q.State == types.SpotInstanceStateActive || *q.Status.Code == "request-canceled-and-instance-running"; active != running {
				t.Errorf("%s is %s/%s, its instance %s", *q.SpotInstanceRequestId, q.State, *q.Status.Code, inst.State.Name)
			}
		}
	})
}
