package efssim

import (
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"

	"github.com/awsxlab/awsx/sim/internal/jsonproto"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is EFS's restJson1, from the SDK's own serializers (jsonproto's wire facts of
// the efs module), made when EFS is first used.
var protocol = sync.OnceValue(func() service.Protocol {
	return jsonproto.NewRestFromSerializers("efs", (*efs.Client)(nil)).Wire()
})

// Service returns EFS as the door serves it: signing name and IAM prefix
// "elasticfilesystem", each operation authorized on the resources it names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:      "elasticfilesystem",
		State:     s,
		Protocol:  service.Lazy(protocol),
		Handler:   service.Methods(NewEFS(s)),
		Resources: func(r *service.Request) ([]service.Access, error) { return s.accesses(r.Region, r.In), nil },
		Dialect:   service.RestJSONDialect,
	}
}

// accesses are what a request is authorized for: the operation on its resources, with
// elasticfilesystem:Encrypted for CreateFileSystem, and elasticfilesystem:TagResource on the
// new resource's type when a Create carries tags (EFS authorizes tagging on create since
// 2024, as the Service Authorization Reference's operations table lists).
// https://docs.aws.amazon.com/efs/latest/ug/using-tags-efs.html
func (s *Store) accesses(region string, in any) []service.Access {
	out := service.On(s.Resources(region, in)...)
	tagged := false
	switch in := in.(type) {
	case *efs.CreateFileSystemInput:
		out[0].Context = map[string]string{"elasticfilesystem:Encrypted": strconv.FormatBool(aws.ToBool(in.Encrypted))}
		tagged = len(in.Tags) > 0
	case *efs.CreateAccessPointInput:
		tagged = len(in.Tags) > 0
	}
	if tagged {
		res := fsARN(s.account, region, "*")
		if _, ok := in.(*efs.CreateAccessPointInput); ok {
			res = apARN(s.account, region, "*")
		}
		out = append(out, service.Access{Action: "elasticfilesystem:TagResource", Resource: res})
	}
	return out
}
