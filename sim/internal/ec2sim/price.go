package ec2sim

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// Prices are held in millionths of a US dollar an hour (micro-dollars): EC2 writes every price
// with six decimals ("0.031200"), so this is exact.
type price int64

const dollar price = 1_000_000

// onDemand is the on-demand price of each instance type of the simulator's table, for Linux
// and for Windows (0 where the type runs no Windows: Graviton).
//
// Source: AWS's EC2 On-Demand pricing pages, https://aws.amazon.com/ec2/pricing/on-demand/
// (current generation) and https://aws.amazon.com/ec2/previous-generation/ (m1.small, m4),
// US East (N. Virginia), as read in January 2025. US East (Ohio) and US West (Oregon) charge
// the same for these types; the simulator uses these prices in every other region too, which
// is where it is wrong: most regions charge 5–30% more.
var onDemand = map[types.InstanceType]struct{ linux, windows price }{
	"m1.small":   {44_000, 75_000},
	"t2.nano":    {5_800, 8_100},
	"t2.micro":   {11_600, 16_200},
	"t2.small":   {23_000, 32_000},
	"t2.medium":  {46_400, 64_400},
	"t2.large":   {92_800, 120_800},
	"t2.xlarge":  {185_600, 226_600},
	"t2.2xlarge": {371_200, 433_200},
	"t3.nano":    {5_200, 9_800},
	"t3.micro":   {10_400, 19_600},
	"t3.small":   {20_800, 39_200},
	"t3.medium":  {41_600, 60_000},
	"t3.large":   {83_200, 110_800},
	"t3.xlarge":  {166_400, 203_200},
	"t3.2xlarge": {332_800, 406_400},
	"t3a.micro":  {9_400, 18_600},
	"t4g.micro":  {8_400, 0},
	"t4g.small":  {16_800, 0},
	"m4.large":   {100_000, 192_000},
	"m5.large":   {96_000, 188_000},
	"c5.large":   {85_000, 177_000},
	"r5.large":   {126_000, 218_000},
}

// The product descriptions of Spot prices. An instance in a VPC is billed as the plain
// product; the "(Amazon VPC)" names are EC2-Classic's leftovers, which DescribeSpotPriceHistory
// still lists, at the same price.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotPriceHistory.html
const (
	productLinux      = "Linux/UNIX"
	productLinuxVPC   = "Linux/UNIX (Amazon VPC)"
	productWindows    = "Windows"
	productWindowsVPC = "Windows (Amazon VPC)"
)

var products = []string{productLinux, productLinuxVPC, productWindows, productWindowsVPC}

// windowsProduct reports whether a product description is one of Windows'.
func windowsProduct(product string) bool { return strings.HasPrefix(product, "Windows") }

// onDemandPrice returns the on-demand price of a type for a product; ok is false when the
// simulator has no price for it.
func onDemandPrice(it types.InstanceType, product string) (p price, ok bool) {
	od, found := onDemand[it]
	if !found {
		return 0, false
	}
	if windowsProduct(product) {
		return od.windows, od.windows > 0
	}
	return od.linux, true
}

// A market is one Spot price series: an instance type in an Availability Zone, for Linux or
// for Windows (the "(Amazon VPC)" products share their plain twin's series).
type market struct {
	Zone    string // the zone's name, us-east-1a
	Type    types.InstanceType
	Windows bool
}

func (m market) key() string {
	os := "linux"
	if m.Windows {
		os = "windows"
	}
	return m.Zone + "/" + string(m.Type) + "/" + os
}

// The market's own price moves at most once per slot of three hours, at an instant in the
// slot drawn from a hash; it always moves in a slot whose number is a multiple of four, so
// that the price in force is found within five slots back.
const (
	priceSlot  = 3 * time.Hour
	forcedSlot = 4
)

// draw is the market's seeded randomness: 64 bits mixed from the market, the slot and what
// is drawn. The series is a function of the market and the time alone, the same in every
// simulator and every account, so that prices are reproducible whatever the ID seed.
func (m market) draw(slot int64, what uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte("awsx spot " + m.key()))
	return mix(h.Sum64() ^ mix(uint64(slot)^what<<56))
}

// mix is SplitMix64's finalizer: every bit of x moves every bit of the result.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// What a slot draws.
const (
	drawMoves uint64 = iota + 1
	drawWhen
	drawPrice
)

// change returns when the market's own price moves in slot, if it does.
func (m market) change(slot int64) (time.Time, bool) {
	if slot%forcedSlot != 0 && m.draw(slot, drawMoves)%2 == 0 {
		return time.Time{}, false
	}
	offset := time.Duration(m.draw(slot, drawWhen)%uint64(priceSlot/time.Second)) * time.Second
	return time.Unix(slot*int64(priceSlot/time.Second), 0).UTC().Add(offset), true
}

// marketPrice is the market's own price from its change in slot: between a quarter and 40% of
// the on-demand price, to a hundredth of a cent, as Spot prices are quoted.
func (m market) marketPrice(slot int64, od price) price {
	frac := 0.25 + 0.15*float64(m.draw(slot, drawPrice)%10_001)/10_000
	p := price(math.Round(float64(od)*frac/100)) * 100
	return max(p, 100)
}

func slotOf(t time.Time) int64 {
	return int64(math.Floor(float64(t.Unix()) / (priceSlot.Seconds())))
}

// natural returns the market's own price at t and when it took that value.
func (m market) natural(t time.Time, od price) (price, time.Time) {
	for slot := slotOf(t); ; slot-- {
		if at, ok := m.change(slot); ok && !at.After(t) {
			return m.marketPrice(slot, od), at
		}
	}
}

// naturalChanges returns the market's own changes in (from, to], oldest first.
func (m market) naturalChanges(from, to time.Time, od price) []pricePoint {
	var out []pricePoint
	for slot := slotOf(from); slot <= slotOf(to); slot++ {
		if at, ok := m.change(slot); ok && at.After(from) && !at.After(to) {
			out = append(out, pricePoint{at, m.marketPrice(slot, od)})
		}
	}
	return out
}

// pricePoint is a price and the instant it took effect.
type pricePoint struct {
	At    time.Time
	Price price
}

// priceOverride is a price set by the simulator's owner ([Store.SetSpotPrice]): from At, the
// market stands at Price until the next override; a Price of 0 gives the market back its own
// series.
type priceOverride struct {
	Market string // market.key()
	At     time.Time
	Price  price
}

// spotPrice returns a market's price at t, and when it took that value.
func (r *regionState) spotPrice(m market, t time.Time) (price, time.Time) {
	od, _ := onDemandPrice(m.Type, productFor(m.Windows))
	var last *priceOverride
	for i := range r.SpotPrices {
		o := &r.SpotPrices[i]
		if o.Market == m.key() && !o.At.After(t) {
			last = o
		}
	}
	p, at := m.natural(t, od)
	switch {
	case last == nil:
	case last.Price > 0:
		return last.Price, last.At
	case at.Before(last.At):
		at = last.At // back to the market's own price, from the reset
	}
	return p, at
}

// priceChanges returns the market's changes in (from, to], oldest first: its own, except
// while an override holds it, and the overrides'.
func (r *regionState) priceChanges(m market, from, to time.Time) []pricePoint {
	od, _ := onDemandPrice(m.Type, productFor(m.Windows))
	var out []pricePoint
	pinned := func(t time.Time) bool {
		var last *priceOverride
		for i := range r.SpotPrices {
			if o := &r.SpotPrices[i]; o.Market == m.key() && !o.At.After(t) {
				last = o
			}
		}
		return last != nil && last.Price > 0
	}
	for _, pt := range m.naturalChanges(from, to, od) {
		if !pinned(pt.At) {
			out = append(out, pt)
		}
	}
	for _, o := range r.SpotPrices {
		if o.Market == m.key() && o.At.After(from) && !o.At.After(to) {
			p, _ := r.spotPrice(m, o.At)
			out = append(out, pricePoint{o.At, p})
		}
	}
	sortPoints(out)
	return out
}

func sortPoints(ps []pricePoint) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].At.Before(ps[j-1].At); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func productFor(windows bool) string {
	if windows {
		return productWindows
	}
	return productLinux
}

// maxPrice bounds the prices the simulator takes: ten thousand dollars an hour, more than any
// instance costs, and far from overflowing.
const maxPrice = 10_000 * dollar

// parsePrice reads a price in dollars as EC2 takes it: a decimal number such as "0.05",
// ".05" or "1"; digits past the sixth decimal are rounded. ok is false for anything else,
// signs, exponents and numbers above maxPrice included.
func parsePrice(s string) (p price, ok bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) {
		return 0, false
	}
	if whole = strings.TrimLeft(whole, "0"); len(whole) > 5 {
		return 0, false
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	var f int64
	for i := range 6 {
		f *= 10
		if i < len(frac) {
			f += int64(frac[i] - '0')
		}
	}
	p = price(w)*dollar + price(f)
	if len(frac) > 6 && frac[6] >= '5' {
		p++
	}
	if p > maxPrice {
		return 0, false
	}
	return p, true
}

func digits(s string) bool { return strings.Trim(s, "0123456789") == "" }

// String writes the price as EC2 answers it, with six decimals: "0.031200".
func (p price) String() string {
	return strconv.FormatInt(int64(p/dollar), 10) + "." + fmt.Sprintf("%06d", int64(p%dollar))
}

// short writes the price as EC2's messages do, without trailing zeros: "0.0312".
func (p price) short() string {
	s := strings.TrimRight(p.String(), "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// checkPrice reads a maximum price given to RequestSpotInstances or RunInstances; EC2 refuses
// a price under a tenth of a cent.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SpotMarketOptions.html
func checkPrice(s string) (price, error) {
	p, ok := parsePrice(s)
	if ok && p >= 1_000 {
		return p, nil
	}
	shown := s
	if ok {
		shown = p.String()
	}
	return 0, core.Errorf(InvalidParameterValue, "Value (%s) for parameter price is invalid. \"%s\" is an invalid spot instance price", shown, shown)
}
