// Package opslist lists every operation of the SDK clients of IAM, STS, S3 and EC2 with what the
// simulator does with it: answers it, or refuses it with NotImplemented (and why). It finds
// out by asking: each operation is sent, through the SDK's own client, to a fresh simulator
// (with a bucket and an object for S3's operations to address), and the call log says which
// operation the simulator took the request for. sim/OPERATIONS.md is its output, written by
// `go generate ./sim` and checked fresh by this package's test.
package opslist

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/awsxlab/awsx/sim"
)

// Operation is one operation of an SDK client and its state in the simulator.
type Operation struct {
	Name        string
	Implemented bool
	// Reason is why an operation is not answered: the NotImplemented error's message, or
	// that the simulator does not route the SDK's request to it.
	Reason string
}

// Service is one service's operations, sorted by name.
type Service struct {
	Name       string // as the docs name it: "IAM"
	Operations []Operation
}

// Implemented returns how many of the service's operations the simulator answers.
func (s Service) Implemented() int {
	n := 0
	for _, o := range s.Operations {
		if o.Implemented {
			n++
		}
	}
	return n
}

// clients are the services listed, each with a function making its SDK client.
var clients = []struct {
	name, signing string
	client        func(aws.Config) any
}{
	{"IAM", "iam", func(c aws.Config) any { return iam.NewFromConfig(c) }},
	{"STS", "sts", func(c aws.Config) any { return sts.NewFromConfig(c) }},
	{"S3", "s3", func(c aws.Config) any { return s3.NewFromConfig(c, func(o *s3.Options) { o.UsePathStyle = true }) }},
	{"EC2", "ec2", func(c aws.Config) any { return ec2.NewFromConfig(c) }},
}

// areas group a service's operations for the summary of a large API (EC2's 800): an
// operation is in the first area one of whose words its name contains, else in "Other".
var areas = map[string][]struct {
	name  string
	words []string
}{
	"EC2": {
		{"Spot", []string{"Spot"}},
		{"Launch templates", []string{"LaunchTemplate"}},
		{"Images", []string{"Image"}},
		{"Instance profiles", []string{"IamInstanceProfile"}},
		{"Instance types", []string{"InstanceType"}},
		{"Instances", []string{"Instance"}},
		{"EBS volumes and snapshots", []string{"Volume", "Snapshot", "EbsDefault", "EbsEncryption"}},
		{"Elastic IPs", []string{"Address"}},
		{"Network interfaces", []string{"NetworkInterface", "PrivateIpAddresses"}},
		{"Security groups", []string{"SecurityGroup"}},
		{"Key pairs", []string{"KeyPair"}},
		{"Tags", []string{"Tags"}},
		{"VPCs and their networking", []string{"Vpc", "Subnet", "RouteTable", "Route", "InternetGateway", "NatGateway", "NetworkAcl",
			"DhcpOptions", "PrefixList", "FlowLogs"}},
		{"Regions and zones", []string{"Regions", "AvailabilityZones"}},
	},
}

// areaOf returns the area of operation op of service svc.
func areaOf(svc, op string) string {
	for _, a := range areas[svc] {
		for _, w := range a.words {
			if strings.Contains(op, w) {
				return a.name
			}
		}
	}
	return "Other"
}

// probeValues are given to the input members of these names, so that the SDK sends the
// request (S3 puts them in its address) and S3 finds a bucket and an object.
var probeValues = []string{"Bucket", "Key", "UploadId", "CopySource", "RequestRoute", "RequestToken", "Id"}

// Probe asks a fresh simulator every operation of each service's SDK client.
func Probe(ctx context.Context) ([]Service, error) {
	cloud := sim.New()
	probe := s3.NewFromConfig(cloud.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := probe.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("probe")}); err != nil {
		return nil, fmt.Errorf("opslist: %w", err)
	}
	if _, err := probe.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("probe"), Key: aws.String("probe"), Body: strings.NewReader("probe")}); err != nil {
		return nil, fmt.Errorf("opslist: %w", err)
	}
	cfg := cloud.Config()
	cfg.RetryMaxAttempts = 1
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		s.Initialize.Remove("OperationInputValidation") // absent when no member is required
		return nil
	})
	var out []Service
	for _, c := range clients {
		client := reflect.ValueOf(c.client(cfg))
		svc := Service{Name: c.name}
		for _, m := range operations(client.Type()) {
			in := reflect.New(m.Type.In(2).Elem())
			for _, name := range probeValues {
				if f := in.Elem().FieldByName(name); f.IsValid() && f.Type() == reflect.TypeFor[*string]() {
					f.Set(reflect.ValueOf(aws.String("probe")))
				}
			}
			if f := in.Elem().FieldByName("PartNumber"); f.IsValid() && f.Type() == reflect.TypeFor[*int32]() {
				f.Set(reflect.ValueOf(aws.Int32(1))) // UploadPart is told from PutObject by it
			}
			cloud.ResetCalls()
			res := client.MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(ctx), in})
			err, _ := res[1].Interface().(error)
			svc.Operations = append(svc.Operations, classify(m.Name, c.signing, err, cloud.Calls()))
		}
		out = append(out, svc)
	}
	return out, nil
}

// operations returns the methods of an SDK client that are operations: (ctx, *XInput,
// ...func(*Options)) (*XOutput, error).
func operations(t reflect.Type) []reflect.Method {
	var out []reflect.Method
	for i := range t.NumMethod() {
		m := t.Method(i)
		if m.Type.NumIn() == 4 && m.Type.NumOut() == 2 && m.Type.IsVariadic() &&
			m.Type.In(2).Kind() == reflect.Pointer && m.Type.In(2).Elem().Name() == m.Name+"Input" {
			out = append(out, m)
		}
	}
	return out
}

// classify says what the simulator did with op: err is the SDK call's error, calls the
// requests the simulator logged for it.
func classify(op, signing string, err error, calls []sim.Call) Operation {
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "NotImplemented" || ae.ErrorCode() == "InvalidAction") {
		return Operation{Name: op, Reason: ae.ErrorMessage()}
	}
	for _, c := range calls {
		if c.Service == signing && c.Operation == op {
			return Operation{Name: op, Implemented: true}
		}
	}
	seen := "no request"
	if len(calls) > 0 {
		seen = fmt.Sprintf("a request the simulator takes for %q", calls[len(calls)-1].Operation)
		if calls[len(calls)-1].Operation == "" {
			seen = "a request the simulator names no operation for"
		}
	}
	return Operation{Name: op, Reason: "Not routed: the SDK sends " + seen + " (newer than the simulator's model)."}
}

// Render writes the list as Markdown.
func Render(services []Service) []byte {
	var b bytes.Buffer
	b.WriteString("# Operations of IAM, STS, S3 and EC2 in the simulator\n\n")
	b.WriteString("Generated by `go generate ./sim` (sim/internal/opslist), which sends every operation of the\n")
	b.WriteString("SDK clients in go.mod to a fresh simulator. Do not edit.\n\n")
	b.WriteString("| Service | Implemented | Operations |\n|---|---|---|\n")
	for _, s := range services {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", s.Name, s.Implemented(), len(s.Operations))
	}
	for _, s := range services {
		if areas[s.Name] == nil {
			continue
		}
		fmt.Fprintf(&b, "\n## %s by area\n\n| Area | Implemented | Operations |\n|---|---|---|\n", s.Name)
		var names []string
		implemented, total := map[string]int{}, map[string]int{}
		for _, o := range s.Operations {
			a := areaOf(s.Name, o.Name)
			if total[a] == 0 {
				names = append(names, a)
			}
			total[a]++
			if o.Implemented {
				implemented[a]++
			}
		}
		order := func(a string) int {
			for i, x := range areas[s.Name] {
				if x.name == a {
					return i
				}
			}
			return len(areas[s.Name])
		}
		sort.Slice(names, func(i, j int) bool { return order(names[i]) < order(names[j]) })
		for _, a := range names {
			fmt.Fprintf(&b, "| %s | %d | %d |\n", a, implemented[a], total[a])
		}
	}
	for _, s := range services {
		ops := append([]Operation(nil), s.Operations...)
		sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
		fmt.Fprintf(&b, "\n## %s\n\n| Operation | State |\n|---|---|\n", s.Name)
		for _, o := range ops {
			state := "implemented"
			if !o.Implemented {
				state = strings.ReplaceAll(o.Reason, "|", `\|`)
			}
			fmt.Fprintf(&b, "| %s | %s |\n", o.Name, state)
		}
	}
	return b.Bytes()
}
