package ec2sim

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// historyDepth is how far back DescribeSpotPriceHistory looks: "up to the past 90 days".
const historyDepth = 90 * 24 * time.Hour

// historyPage is the page size DescribeSpotPriceHistory answers when not asked for one.
const historyPage = 1000

var priceFields = fields[types.SpotPrice]{
	"availability-zone":    func(p types.SpotPrice) []string { return one(*p.AvailabilityZone) },
	"availability-zone-id": func(p types.SpotPrice) []string { return one(*p.AvailabilityZoneId) },
	"instance-type":        func(p types.SpotPrice) []string { return one(string(p.InstanceType)) },
	"product-description":  func(p types.SpotPrice) []string { return one(string(p.ProductDescription)) },
	// "The value must match exactly (or use wildcards; greater than or less than comparison
	// is not supported)."
	"spot-price": func(p types.SpotPrice) []string { return one(*p.SpotPrice) },
	// "in UTC format (for example, ddd MMM dd HH:mm:ss UTC YYYY)"; the ISO form is taken too.
	"timestamp": func(p types.SpotPrice) []string {
		t := p.Timestamp.UTC()
		return []string{t.Format("Mon Jan 02 15:04:05 UTC 2006"), t.Format("2006-01-02T15:04:05.000Z"), t.Format(time.RFC3339)}
	},
}

// DescribeSpotPriceHistory answers the Spot prices of the region's markets between StartTime
// and EndTime (the last 90 days by default), newest first: each market's changes in that
// time, and the price in force at StartTime, stamped with when it took effect — so that
// StartTime = now answers every market's current price. A page holds at most 1000.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotPriceHistory.html
func (h *EC2) DescribeSpotPriceHistory(ctx context.Context, in *ec2.DescribeSpotPriceHistoryInput) (*ec2.DescribeSpotPriceHistoryOutput, error) {
	s := h.s
	if in.AvailabilityZone != nil && in.AvailabilityZoneId != nil {
		return nil, core.Errorf("InvalidParameterCombination", "Either AvailabilityZone or AvailabilityZoneId can be specified, but not both")
	}
	known := types.InstanceType("").Values()
	for _, it := range in.InstanceTypes {
		if !slices.Contains(known, it) {
			return nil, core.Errorf("InvalidParameterValue", "Invalid value '%s' for InstanceType.", it)
		}
	}
	now := s.now()
	end, start := now, now.Add(-historyDepth)
	if in.EndTime != nil && in.EndTime.Before(now) {
		end = in.EndTime.UTC()
	}
	if in.StartTime != nil && in.StartTime.After(start) {
		start = in.StartTime.UTC()
	}
	if in.EndTime == nil && start.After(end) {
		start = end // a StartTime of "now" from a clock a little ahead of the simulator's
	}
	if start.After(end) {
		return nil, core.Errorf("InvalidParameterCombination", "The start time (%s) must be before the end time (%s).",
			start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if _, err := where(in.Filters, priceFields, nil, nil); err != nil {
		return nil, err // a filter it does not know
	}
	max := in.MaxResults
	if max == nil {
		max = aws.Int32(historyPage)
	}
	out := &ec2.DescribeSpotPriceHistoryOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		geo, _ := lookupRegion(r.Name)
		zones := geo.zones()
		if want := aws.ToString(in.AvailabilityZone) + aws.ToString(in.AvailabilityZoneId); want != "" {
			z, ok := geo.zoneNamed(want)
			if !ok {
				return core.Errorf("InvalidParameterValue", "Invalid availability zone: [%s]", want)
			}
			zones = []zone{z}
		}
		its := in.InstanceTypes
		if len(its) == 0 {
			for _, it := range instanceTypes {
				its = append(its, it.Name)
			}
		}
		prods := products
		if len(in.ProductDescriptions) > 0 {
			prods = in.ProductDescriptions
		}
		var all []types.SpotPrice
		for _, z := range zones {
			for _, it := range its {
				for _, prod := range prods {
					if !slices.Contains(products, prod) {
						continue
					}
					if _, ok := onDemandPrice(it, prod); !ok {
						continue
					}
					m := market{Zone: z.Name, Type: it, Windows: windowsProduct(prod)}
					row := func(p price, at time.Time) types.SpotPrice {
						return types.SpotPrice{
							AvailabilityZone: aws.String(z.Name), AvailabilityZoneId: aws.String(z.ID), InstanceType: it,
							ProductDescription: types.RIProductDescription(prod), SpotPrice: aws.String(p.String()), Timestamp: aws.Time(at),
						}
					}
					p, at := r.spotPrice(m, start)
					all = append(all, row(p, at))
					for _, pt := range r.priceChanges(m, start, end) {
						all = append(all, row(pt.Price, pt.At))
					}
				}
			}
		}
		slices.SortStableFunc(all, func(a, b types.SpotPrice) int { return cmp.Compare(b.Timestamp.UnixNano(), a.Timestamp.UnixNano()) })
		all, err := where(in.Filters, priceFields, nil, all)
		if err != nil {
			return err
		}
		out.SpotPriceHistory, out.NextToken, err = page(all, max, in.NextToken, 5, historyPage)
		out.SpotPriceHistory = nonNil(out.SpotPriceHistory)
		return err
	})
}
