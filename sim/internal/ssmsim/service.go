package ssmsim

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/schemas"

	"github.com/awsxlab/awsx/sim/internal/core"
	"github.com/awsxlab/awsx/sim/internal/jsonproto"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is SSM's awsJson1.1, from the SDK's own schemas, made when SSM is first used:
// a program that never calls SSM does not pay for it at start.
var protocol = sync.OnceValue(func() service.Protocol {
	return jsonproto.New11(schemas.AmazonSSM, (*ssm.Client)(nil)).Wire()
})

// Service returns Systems Manager as the door serves it: the Parameter Store's operations,
// each authorized on the parameters it names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "ssm",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewSSM(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			return service.On(Resources(s.account, r.Region, r.In)...), nil
		},
		Dialect: service.JSONDialect,
		Regions: core.Regions(),
	}
}
