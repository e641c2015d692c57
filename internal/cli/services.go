package cli

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsxlab/awsx"
	"github.com/awsxlab/awsx/internal/cli/params"
	"github.com/awsxlab/awsx/internal/cli/s3cmd"
)

// awsService is one AWS service the command speaks, through the SDK's own client.
type awsService struct {
	name    string // the SDK's package name and its models': "ec2", "s3"
	command string // the AWS CLI's command, when not name: "s3api"
	// newClient makes the SDK's client for the backend ("sim", "aws" or a URL).
	newClient func(cfg aws.Config, backend string) any
	client    reflect.Type

	once sync.Once
	ops  []*operation
}

// awsServices are the services the simulator serves.
var awsServices = []*awsService{
	{name: "ec2", newClient: func(c aws.Config, _ string) any { return ec2.NewFromConfig(c) }, client: reflect.TypeFor[*ec2.Client]()},
	{name: "iam", newClient: func(c aws.Config, _ string) any { return iam.NewFromConfig(c) }, client: reflect.TypeFor[*iam.Client]()},
	{name: "s3", command: "s3api", newClient: newS3Client, client: reflect.TypeFor[*s3.Client]()},
	{name: "sts", newClient: func(c aws.Config, _ string) any { return sts.NewFromConfig(c) }, client: reflect.TypeFor[*sts.Client]()},
}

// newS3Client addresses buckets in the path on the simulators, as botocore does on any
// endpoint URL; on AWS as the SDK's endpoint rules choose.
func newS3Client(cfg aws.Config, backend string) any {
	return s3cmd.NewClient(cfg, backend != awsx.BackendAWS)
}

// cliName is the service's command: "s3api" for s3, whose "s3" is the hand-made commands.
func (s *awsService) cliName() string {
	if s.command != "" {
		return s.command
	}
	return s.name
}

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
