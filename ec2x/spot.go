package ec2x

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// SpotOptions makes [Launch] start a Spot Instance: spare EC2 capacity at a price that moves
// with demand, often a third or less of the On-Demand price, which AWS may take back with
// two minutes' notice (the instance's metadata, spot/instance-action, says when). Launch
// asks for a one-time Spot Instance that is terminated when interrupted: a worker that can
// be stopped at any moment and started again, not a server that must stay up.
type SpotOptions struct {
	// MaxPrice is the most you will pay an hour, in US dollars ("0.0050"). "" is the
	// On-Demand price, AWS's default and its advice: you pay the Spot price, not your
	// maximum, and a lower maximum only makes interruptions likelier. A maximum below the
	// current Spot price is refused (SpotMaxPriceTooLow), and nothing is started.
	MaxPrice string
}

func (s *SpotOptions) marketOptions() *types.InstanceMarketOptionsRequest {
	so := &types.SpotMarketOptions{SpotInstanceType: types.SpotInstanceTypeOneTime,
		InstanceInterruptionBehavior: types.InstanceInterruptionBehaviorTerminate}
	if s.MaxPrice != "" {
		so.MaxPrice = aws.String(s.MaxPrice)
	}
	return &types.InstanceMarketOptionsRequest{MarketType: types.MarketTypeSpot, SpotOptions: so}
}

// A SpotPrice is the Spot price of an instance type in an Availability Zone.
type SpotPrice struct {
	InstanceType types.InstanceType
	Zone         string
	// USD is the price an hour in US dollars, as AWS states it (0.0031 for "0.003100").
	USD   float64
	Since time.Time // when it took effect
}

// SpotPriceOptions tunes [SpotPrices].
type SpotPriceOptions struct {
	// Product is the operating system the price is for: "Linux/UNIX" by default, or
	// "Windows", "Red Hat Enterprise Linux", "SUSE Linux" (AWS's product descriptions).
	Product string
	// Zone keeps the prices of one Availability Zone; "" keeps every zone of the region.
	Zone string
}

// SpotPrices returns the current Spot price of each of the instance types in each
// Availability Zone of cfg's region, cheapest first (then by zone and type): what
// DescribeSpotPriceHistory answers for a start time of now, the price each market has had
// since its last change. The first is where a [Launch] with [SpotOptions] and its Zone costs
// least now. Looking prices up is free.
func SpotPrices(ctx context.Context, cfg aws.Config, instanceTypes []types.InstanceType, optFns ...func(*SpotPriceOptions)) ([]SpotPrice, error) {
	o := SpotPriceOptions{Product: "Linux/UNIX"}
	for _, f := range optFns {
		f(&o)
	}
	if len(instanceTypes) == 0 {
		return nil, fmt.Errorf("ec2x: Spot prices: name at least one instance type (t3.micro)")
	}
	in := &ec2.DescribeSpotPriceHistoryInput{InstanceTypes: instanceTypes, ProductDescriptions: []string{o.Product}, StartTime: aws.Time(time.Now())}
	if o.Zone != "" {
		in.AvailabilityZone = aws.String(o.Zone)
	}
	type market struct {
		typ  types.InstanceType
		zone string
	}
	current := map[market]SpotPrice{}
	pages := ec2.NewDescribeSpotPriceHistoryPaginator(ec2.NewFromConfig(cfg), in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ec2x: Spot prices of %v: %w", instanceTypes, err)
		}
		for _, p := range page.SpotPriceHistory {
			usd, err := strconv.ParseFloat(aws.ToString(p.SpotPrice), 64)
			if err != nil {
				return nil, fmt.Errorf("ec2x: Spot prices of %v: the price %q of %s in %s: %w", instanceTypes, aws.ToString(p.SpotPrice), p.InstanceType, aws.ToString(p.AvailabilityZone), err)
			}
			sp := SpotPrice{InstanceType: p.InstanceType, Zone: aws.ToString(p.AvailabilityZone), USD: usd, Since: aws.ToTime(p.Timestamp)}
			m := market{sp.InstanceType, sp.Zone}
			if had, ok := current[m]; !ok || sp.Since.After(had.Since) {
				current[m] = sp
			}
		}
	}
	out := make([]SpotPrice, 0, len(current))
	for _, p := range current {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b SpotPrice) int {
		return cmp.Or(cmp.Compare(a.USD, b.USD), cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.InstanceType, b.InstanceType))
	})
	return out, nil
}
