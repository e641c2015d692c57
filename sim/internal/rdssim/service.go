package rdssim

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/schemas"

	"github.com/awsxlab/awsx/sim/internal/query"
	"github.com/awsxlab/awsx/sim/internal/service"
)

// protocol is RDS's awsQuery, from the SDK's own schemas, made when RDS is first used.
var protocol = sync.OnceValue(func() service.Protocol {
	return query.FromSchema(schemas.AmazonRDSv19, (*rds.Client)(nil)).Wire()
})

// Service returns RDS as the door serves it: each operation authorized on the resources it
// names.
func (s *Store) Service() *service.Service {
	return &service.Service{
		Name:     "rds",
		State:    s,
		Protocol: service.Lazy(protocol),
		Handler:  service.Methods(NewRDS(s)),
		Resources: func(r *service.Request) ([]service.Access, error) {
			return service.On(Resources(s.account, r.Region, r.In)...), nil
		},
		Dialect: service.QueryDialect,
	}
}
