package cli

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/awsmodel"
	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/cli/s3cmd"
)

//go:generate go run ./internal/clientgen -o clients_gen.go
//go:generate go run ./internal/commandgen -o awscommands_gen.go

// awsService is one AWS service the command speaks, through the SDK's own client.
type awsService struct {
	name    string // the SDK's package name and its models': "ec2", "s3"
	command string // the AWS CLI's command: "ec2", "s3api"
	// newClient makes the SDK's client for the backend ("sim", "aws" or a URL).
	newClient func(cfg aws.Config, backend string) any
	client    reflect.Type

	once sync.Once
	ops  []*operation
}

// sdkClient makes the SDK's client of one service; clients_gen.go has one per service of
// awsmodel's list.
type sdkClient struct {
	new    func(aws.Config) any
	client reflect.Type
}

// ownClients are the services whose client the command makes its own way, by Name.
var ownClients = map[string]func(cfg aws.Config, backend string) any{"s3": newS3Client}

// awsServices are the services the simulator serves: awsmodel's list.
var awsServices = servicesOf(awsmodel.Services())

// servicesOf returns the command's services of the list, each with its SDK client.
func servicesOf(list []awsmodel.Service) []*awsService {
	out := make([]*awsService, 0, len(list))
	for _, m := range list {
		c := sdkClients[m.Name] // clientgen's test keeps clients_gen.go in step with the list
		s := &awsService{name: m.Name, command: m.Command, client: c.client,
			newClient: func(cfg aws.Config, _ string) any { return c.new(cfg) }}
		if own := ownClients[m.Name]; own != nil {
			s.newClient = own
		}
		out = append(out, s)
	}
	return out
}

// newS3Client addresses buckets in the path on the simulators, as botocore does on any
// endpoint URL; on AWS as the SDK's endpoint rules choose.
func newS3Client(cfg aws.Config, backend string) any {
	return s3cmd.NewClient(cfg, backend != awsx.BackendAWS)
}

// cliName is the service's command: "s3api" for s3, whose "s3" is the hand-made commands.
func (s *awsService) cliName() string { return s.command }

// lookupService returns the service of the AWS CLI command name ("s3api"), or nil.
func lookupService(name string) *awsService {
	for _, s := range awsServices {
		if s.cliName() == name {
			return s
		}
	}
	return nil
}

// operation is one SDK client method, (ctx, *XInput, ...func(*Options)) (*XOutput, error),
// as the AWS CLI names it.
type operation struct {
	name    string // "DescribeInstances"
	command string // "describe-instances"
	method  reflect.Method
	in      reflect.Type // *ec2.DescribeInstancesInput
}

var ctxType = reflect.TypeFor[interface{ Done() <-chan struct{} }]()

// operations lists the service's operations by command name, found by reflection on its
// client the first time they are needed: most invocations use one service.
func (s *awsService) operations() []*operation {
	s.once.Do(func() {
		for i := range s.client.NumMethod() {
			m := s.client.Method(i)
			t := m.Type
			if t.NumIn() != 4 || !t.IsVariadic() || t.NumOut() != 2 || !t.In(1).Implements(ctxType) ||
				t.In(2).Kind() != reflect.Pointer || !strings.HasSuffix(t.In(2).Elem().Name(), "Input") {
				continue
			}
			s.ops = append(s.ops, &operation{name: m.Name, command: params.XformName(m.Name), method: m, in: t.In(2)})
		}
		sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].command < s.ops[j].command })
	})
	return s.ops
}

func (s *awsService) operation(command string) *operation {
	ops := s.operations()
	i := sort.Search(len(ops), func(i int) bool { return ops[i].command >= command })
	if i < len(ops) && ops[i].command == command {
		return ops[i]
	}
	return nil
}
