package ec2sim

import (
	"context"
	"encoding/base64"
	"fmt"
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
		return nil, core.Errorf(InvalidParameterCombination, "Either AvailabilityZone or AvailabilityZoneId can be specified, but not both")
	}
	known := types.InstanceType("").Values()
	for _, it := range in.InstanceTypes {
		if !slices.Contains(known, it) {
			return nil, core.Errorf(InvalidParameterValue, "Invalid value '%s' for InstanceType.", it)
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
		return nil, core.Errorf(InvalidParameterCombination, "The start time (%s) must be before the end time (%s).",
			start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if _, err := where(in.Filters, priceFields, nil, nil); err != nil {
		return nil, err // a filter it does not know
	}
	max := in.MaxResults
	if max == nil {
		max = aws.Int32(historyPage)
	}
	if _, _, err := page([]int{}, max, nil, 5, historyPage); err != nil {
		return nil, err // MaxResults out of bounds
	}
	after, err := parseCursor(in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeSpotPriceHistoryOutput{}
	return out, s.read(ctx, func(r *regionState) error {
		geo, _ := lookupRegion(r.Name)
		zones := geo.zones()
		if want := aws.ToString(in.AvailabilityZone) + aws.ToString(in.AvailabilityZoneId); want != "" {
			z, ok := geo.zoneNamed(want)
			if !ok {
				return core.Errorf(InvalidParameterValue, "Invalid availability zone: [%s]", want)
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
		var ms []priceSeries
		for _, z := range zones {
			for _, it := range its {
				for _, prod := range prods {
					if _, ok := onDemandPrice(it, prod); ok && slices.Contains(products, prod) {
						ms = append(ms, priceSeries{z, it, prod, len(ms)})
					}
				}
			}
		}
		match := func(p types.SpotPrice) bool {
			return filters(in.Filters).match(func(name string) []string { return priceFields[name](p) })
		}
		out.SpotPriceHistory, out.NextToken = r.history(ms, start, end, after, int(*max), match)
		return nil
	})
}

// priceSeries is one series of prices as DescribeSpotPriceHistory lists it: a market, for
// one product description, and its place in the answer's order among those of one instant.
type priceSeries struct {
	zone    zone
	typ     types.InstanceType
	product string
	index   int
}

func (p priceSeries) market() market {
	return market{Zone: p.zone.Name, Type: p.typ, Windows: windowsProduct(p.product)}
}

// priceRow is one price of a series and when it took effect.
type priceRow struct {
	at     time.Time
	series priceSeries
	price  price
}

// before orders the answer: newest first, then in the series' order.
func (a priceRow) before(b priceRow) bool {
	if !a.at.Equal(b.at) {
		return a.at.After(b.at)
	}
	return a.series.index < b.series.index
}

func (a priceRow) out() types.SpotPrice {
	return types.SpotPrice{
		AvailabilityZone: aws.String(a.series.zone.Name), AvailabilityZoneId: aws.String(a.series.zone.ID), InstanceType: a.series.typ,
		ProductDescription: types.RIProductDescription(a.series.product), SpotPrice: aws.String(a.price.String()), Timestamp: aws.Time(a.at),
	}
}

// history answers one page of at most max rows that match, after the row after (nil for the
// first page): the series' changes in (start, end], newest first, then the price each had in
// force at start. It walks back through time a slot at a time and stops when the page is
// full, so that a page costs the same wherever it is in a long history.
func (r *regionState) history(ms []priceSeries, start, end time.Time, after *priceRow, max int, match func(types.SpotPrice) bool) ([]types.SpotPrice, *string) {
	out := []types.SpotPrice{}
	var last priceRow
	take := func(rows []priceRow) bool {
		slices.SortFunc(rows, func(a, b priceRow) int {
			if a.before(b) {
				return -1
			}
			return 1
		})
		for _, row := range rows {
			if after != nil && !after.before(row) {
				continue
			}
			if p := row.out(); match(p) {
				if len(out) == max {
					return false
				}
				out, last = append(out, p), row
			}
		}
		return true
	}
	byMarket := map[string][]priceSeries{}
	for _, s := range ms {
		byMarket[s.market().key()] = append(byMarket[s.market().key()], s)
	}
	first := slotOf(end)
	if after != nil && after.at.Before(end) {
		first = slotOf(after.at)
	}
	for slot := first; slot >= slotOf(start); slot-- {
		from := time.Unix(slot*int64(priceSlot/time.Second), 0).UTC().Add(-time.Nanosecond)
		to := from.Add(priceSlot)
		if from.Before(start) {
			from = start
		}
		if to.After(end) {
			to = end
		}
		var rows []priceRow
		for _, series := range byMarket {
			for _, pt := range r.priceChanges(series[0].market(), from, to) {
				for _, s := range series {
					rows = append(rows, priceRow{pt.At, s, pt.Price})
				}
			}
		}
		if !take(rows) {
			return out, cursor(last)
		}
	}
	var rows []priceRow
	for _, s := range ms {
		p, at := r.spotPrice(s.market(), start)
		rows = append(rows, priceRow{at, s, p})
	}
	if !take(rows) {
		return out, cursor(last)
	}
	return out, nil
}

// A history page's token is where the last page ended: the instant and the series' index.
func cursor(row priceRow) *string {
	t := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "spot:%d:%d", row.at.UnixNano(), row.series.index))
	return &t
}

func parseCursor(token *string) (*priceRow, error) {
	if token == nil || *token == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*token)
	var at int64
	var index int
	if _, serr := fmt.Sscanf(string(b), "spot:%d:%d", &at, &index); err != nil || serr != nil {
		return nil, core.Errorf(InvalidPaginationToken, "Invalid pagination token: %s", *token)
	}
	return &priceRow{at: time.Unix(0, at).UTC(), series: priceSeries{index: index}}, nil
}
