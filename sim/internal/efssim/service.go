package efssim

import (
	"sync"

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
		Name:     "elasticfilesystem",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewEFS(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			return service.On(s.Resources(r.Region, r.In)...), nil
		},
		Dialect: service.JSONDialect,
	}
}
