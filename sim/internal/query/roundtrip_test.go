package query_test

import (
	"flag"
	"math/rand/v2"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdsschemas "github.com/aws/aws-sdk-go-v2/service/rds/schemas"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx/sim/internal/query"
)

var iterations = flag.Int("roundtrips", 8, "random values per operation in the round-trip tests")

// Unions are interfaces; reflection cannot list their implementations, so the test names them.
var unions = map[reflect.Type][]reflect.Type{
	reflect.TypeFor[iamtypes.PolicyIdentifier](): {
		reflect.TypeFor[iamtypes.PolicyIdentifierMemberPolicyArn](),
		reflect.TypeFor[iamtypes.PolicyIdentifierMemberPolicyType](),
		reflect.TypeFor[iamtypes.PolicyIdentifierMemberInlinePolicyIdentifier](),
	},
}

type serviceCase struct {
	svc    *query.Service
	client func(*transport) any
	every  int // test every n-th operation (1: all)
}

var serviceCases = []serviceCase{
	{query.IAM, func(tr *transport) any { return iam.NewFromConfig(testConfig(tr)) }, 1},
	{query.STS, func(tr *transport) any { return sts.NewFromConfig(testConfig(tr)) }, 1},
	{query.EC2, func(tr *transport) any { return ec2.NewFromConfig(testConfig(tr)) }, 1},
	{rdsCodec, func(tr *transport) any { return rds.NewFromConfig(testConfig(tr)) }, 1},
}

var rdsCodec = query.FromSchema(rdsschemas.AmazonRDSv19, (*rds.Client)(nil))

// TestRoundTrip checks, for every operation of each service, with random values:
// input → the SDK's own serializer → Decode → the same input; and
// output → EncodeResult → the SDK's own deserializer → the same output.
//
// SDK-side normalisations allowed for, on the input side only (the serializer loses them):
// a member that serializes to nothing (a struct with no member set, a false non-pointer
// boolean) equals its zero value; and for EC2, whose serializer skips empty lists, an empty list
// equals nil. The SDK's idempotency middleware fills ClientToken in the caller's input before
// serializing, so the comparison sees the token it sent. Outputs compare strictly; generated
// timestamps have the protocol's precision (seconds for IAM and STS, milliseconds for EC2).
func TestRoundTrip(t *testing.T) {
	for _, sc := range serviceCases {
		t.Run(sc.svc.Name(), func(t *testing.T) {
			tr := &transport{status: http.StatusOK}
			ops := operations(t, sc.client(tr))
			unit := time.Second
			if sc.svc.Protocol() == query.EC2Query || sc.svc == rdsCodec {
				unit = time.Millisecond
			}
			for i, op := range ops {
				if i%sc.every != 0 {
					continue
				}
				if !sc.svc.HasOperation(op.name) {
					t.Errorf("%s: the SDK client has %s, the shape data does not", sc.svc.Name(), op.name)
					continue
				}
				r := rand.New(rand.NewPCG(uint64(i), 42))
				for n := 0; n < *iterations; n++ {
					in := roundTripInput(t, sc.svc, tr, op, r, unit)
					if in.IsValid() {
						roundTripOutput(t, sc.svc, tr, op, in, r, unit)
					}
					if t.Failed() {
						break
					}
				}
			}
		})
	}
}

func roundTripInput(t *testing.T, svc *query.Service, tr *transport, op operation, r *rand.Rand, unit time.Duration) reflect.Value {
	t.Helper()
	canned, err := svc.EncodeResult(nil, op.name, nil, "req")
	if err != nil {
		t.Fatalf("%s: EncodeResult(nil): %v", op.name, err)
	}
	tr.resp = canned
	var in reflect.Value
	for attempt := 0; ; attempt++ {
		g := &gen{r: r, maxDepth: 4, all: attempt >= 3, timeUnit: unit, unions: unions, nonEmpty: true}
		in = reflect.New(op.in)
		g.fill(in.Elem(), 0)
		tr.body = nil
		_, err = op.call(in)
		if err == nil {
			break
		}
		if isValidationError(err) && attempt < 6 {
			continue // the SDK's validators refused a random value that lacks a required member
		}
		t.Errorf("%s: SDK call with random input: %v", op.name, err)
		return reflect.Value{}
	}
	// RDS's SourceRegion is read by the SDK's presigning middleware and never sent.
	if f := in.Elem().FieldByName("SourceRegion"); f.IsValid() && svc == rdsCodec {
		f.SetZero()
	}
	got := reflect.New(op.in)
	if err := svc.Decode(form(t, tr.body), got.Interface()); err != nil {
		t.Errorf("%s: Decode(%s): %v", op.name, tr.body, err)
		return reflect.Value{}
	}
	o := eqOpts{emptyStructNil: true, nilEqualsEmpty: svc.Protocol() == query.EC2Query}
	if d := diff(in, got, op.in.Name(), o); d != "" {
		t.Errorf("%s input round trip: %s\nbody: %s", op.name, d, tr.body)
		return reflect.Value{}
	}
	return in
}

func roundTripOutput(t *testing.T, svc *query.Service, tr *transport, op operation, in reflect.Value, r *rand.Rand, unit time.Duration) {
	t.Helper()
	g := &gen{r: r, maxDepth: 4, timeUnit: unit}
	out := reflect.New(op.out)
	g.fill(out.Elem(), 0)
	body, err := svc.EncodeResult(nil, op.name, out.Interface(), "req-1")
	if err != nil {
		t.Errorf("%s: EncodeResult: %v", op.name, err)
		return
	}
	tr.resp = body
	got, err := op.call(in)
	if err != nil {
		t.Errorf("%s: SDK could not read EncodeResult's output: %v\n%s", op.name, err, body)
		return
	}
	if d := diff(out, got, op.out.Name(), eqOpts{}); d != "" {
		t.Errorf("%s output round trip: %s\n%s", op.name, d, body)
	}
}
